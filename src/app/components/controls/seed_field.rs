//! The seed: a number field, so a reader can try another random run and share it.

use crate::config::SEED;
use yew::prelude::*;

/// The Seed field (element id `id`) showing `value`. `on_change` gets a new seed, or what is
/// wrong with the text typed (the demo shows it with its other problems). A view function: it
/// holds no state, and a component type would add its generic glue to the bundle (about 2 KB).
pub fn seed_field(id: String, value: u64, on_change: &Callback<Result<u64, String>>) -> Html {
    let onchange = on_change.reform(|event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        match input.value().trim().parse::<u64>() {
            Ok(seed) if seed <= SEED.max => Ok(seed),
            _ => Err(format!(
                "A seed is a whole number from 0 to {}; the seed stays as it was.",
                SEED.max
            )),
        }
    });
    html! {
        <div class="seed-field">
            <label for={id.clone()}>{ "Seed" }</label>
            <input type="number" {id} min="0" max={SEED.max.to_string()} step="1"
                inputmode="numeric" value={value.to_string()} {onchange} />
        </div>
    }
}
