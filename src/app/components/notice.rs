//! A dismissible notice for the reader: what a link asked for that could not be followed, and
//! what was used instead.

use yew::prelude::*;

/// What [`notice`] shows.
pub struct NoticeInput {
    /// One sentence each: always rendered as text, never as markup.
    pub notes: Vec<String>,
    /// Called when the reader dismisses it.
    pub on_dismiss: Callback<()>,
}

/// A view function rather than a component: it keeps no state, and a component type would only
/// add its generic glue (about 2 KB of wasm each).
pub fn notice(props: &NoticeInput) -> Html {
    let on_dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    let body = match props.notes.as_slice() {
        [one] => html! { <p>{ one.clone() }</p> },
        many => html! {
            <>
                <p>{ "Some of the link's settings could not be used as given:" }</p>
                <ul>
                    { for many.iter().map(|note| html! { <li>{ note.clone() }</li> }) }
                </ul>
            </>
        },
    };
    html! {
        <div class="notice" role="status" aria-label="Notice">
            <div class="notice-body">{ body }</div>
            <button type="button" onclick={on_dismiss}>{ "Dismiss" }</button>
        </div>
    }
}
