//! The seed: a number field, so a reader can try another random run and share it.

use crate::config::SEED;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SeedFieldProps {
    /// A unique element id.
    pub id: AttrValue,
    /// The seed.
    pub value: u64,
    /// Called with a new, valid seed.
    pub on_change: Callback<u64>,
}

#[component]
pub fn SeedField(props: &SeedFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let (on_change, error) = (props.on_change.clone(), error.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(seed) if seed <= SEED.max => {
                    error.set(None);
                    on_change.emit(seed);
                }
                _ => error.set(Some(format!(
                    "A seed is a whole number from 0 to {}; the seed stays as it was.",
                    SEED.max
                ))),
            }
        })
    };
    html! {
        <div class="seed-field">
            <label for={props.id.clone()}>{ "Seed" }</label>
            <input type="number" id={props.id.clone()} min="0" max={SEED.max.to_string()} step="1"
                inputmode="numeric" value={props.value.to_string()} {onchange} />
            if let Some(message) = &*error {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
        </div>
    }
}
