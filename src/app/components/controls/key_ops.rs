//! Manual operations: a Key field and buttons (Get, Put, Write) so the reader can poke the cache.

use crate::engine::lab::validate_key_name;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KeyOpsProps {
    /// The buttons, by visible name; the first is also what Enter does.
    pub operations: &'static [&'static str],
    /// Called with (operation, key) for a valid key.
    pub on_operation: Callback<(&'static str, String)>,
    /// A hint under the field.
    #[prop_or_default]
    pub hint: AttrValue,
}

#[component]
pub fn KeyOps(props: &KeyOpsProps) -> Html {
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let run = {
        let (text, error, on_operation) = (text.clone(), error.clone(), props.on_operation.clone());
        move |operation: &'static str| match validate_key_name(&text) {
            Ok(key) => {
                error.set(None);
                on_operation.emit((operation, key.to_owned()));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let first = props.operations.first().copied().unwrap_or("Get");
    let onsubmit = {
        let run = run.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            run(first);
        })
    };
    html! {
        <form class="key-ops" {onsubmit} aria-label="Manual operations">
            <label>
                <span>{ "Key" }</span>
                <input type="text" value={(*text).clone()} {oninput} autocomplete="off"
                    spellcheck="false" maxlength="40" placeholder="a" />
            </label>
            { for props.operations.iter().map(|&operation| {
                let run = run.clone();
                html! {
                    <button type="button" onclick={Callback::from(move |_| run(operation))}>
                        { operation }
                    </button>
                }
            }) }
            if !props.hint.is_empty() {
                <p class="hint">{ props.hint.clone() }</p>
            }
            if let Some(message) = &*error {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
        </form>
    }
}
