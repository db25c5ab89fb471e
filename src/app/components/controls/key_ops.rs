//! Manual operations: a Key field and buttons (Get, Put, Write) so the reader can poke the cache.

use crate::engine::lab::validate_key_name;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What a button press asks for: (operation, key) for a valid key, or what is wrong with the key
/// (the demo shows it with its other problems).
pub type KeyRequest = Result<(&'static str, String), String>;

/// The Key field with a button per operation (by visible name; the first is also what Enter does),
/// and a hint under them. A view function rather than a component: the field keeps its own text
/// (it is read when a button is pressed), so there is no state to hold, and a component type
/// would add its generic glue to the bundle (about 2 KB).
pub fn key_ops(
    operations: &'static [&'static str],
    on_operation: &Callback<KeyRequest>,
    hint: &'static str,
) -> Html {
    // The key typed in the form that holds `target`.
    fn typed(target: Option<web_sys::EventTarget>) -> String {
        target
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("form").ok().flatten())
            .and_then(|form| form.query_selector("input").ok().flatten())
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default()
    }
    let request = move |operation: &'static str, target| {
        validate_key_name(&typed(target)).map(|key| (operation, key.to_owned()))
    };
    let first = operations.first().copied().unwrap_or("Get");
    let onsubmit = on_operation.reform(move |event: SubmitEvent| {
        event.prevent_default();
        request(first, event.target())
    });
    html! {
        <form class="key-ops" {onsubmit} aria-label="Manual operations">
            <label>
                <span>{ "Key" }</span>
                <input type="text" autocomplete="off" spellcheck="false" maxlength="40" placeholder="a" />
            </label>
            { for operations.iter().map(|&operation| html! {
                <button type="button" onclick={on_operation.reform(move |event: MouseEvent| request(operation, event.target()))}>
                    { operation }
                </button>
            }) }
            <p class="hint">{ hint }</p>
        </form>
    }
}
