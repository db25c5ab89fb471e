//! A dismissible notice for the reader, e.g. about a URL that could not be followed.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    /// The message: always rendered as text, never as markup.
    pub message: AttrValue,
    /// Called when the reader dismisses it.
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn Notice(props: &NoticeProps) -> Html {
    let on_dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="notice" role="status" aria-label="Notice">
            <p>{ props.message.clone() }</p>
            <button type="button" onclick={on_dismiss}>{ "Dismiss" }</button>
        </div>
    }
}
