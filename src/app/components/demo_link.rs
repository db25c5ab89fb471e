//! A link to a demo (or the overview) that switches in place, without a page load.

use crate::app::route;
use crate::config::demo::Demo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DemoLinkProps {
    /// Where the link goes; `None` is the overview.
    pub demo: Option<Demo>,
    /// Called on a plain click (the app updates the URL).
    pub on_open: Callback<Option<Demo>>,
    /// CSS classes for the `<a>`.
    #[prop_or_default]
    pub class: Classes,
    /// Marks the link as the current page (`aria-current="page"`).
    #[prop_or_default]
    pub current: bool,
    /// The link's content.
    pub children: Html,
}

/// A real `<a href="?demo=…">`: it can be opened in a new tab or copied, and a plain click switches
/// the demo in place (and the app adds a history entry).
#[component]
pub fn DemoLink(props: &DemoLinkProps) -> Html {
    let demo = props.demo;
    let onclick = {
        let on_open = props.on_open.clone();
        Callback::from(move |event: MouseEvent| {
            let modified =
                event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
            if modified || event.button() != 0 {
                return; // let the browser open a new tab or window
            }
            event.prevent_default();
            on_open.emit(demo);
        })
    };
    html! {
        <a
            href={route::href(demo)}
            class={props.class.clone()}
            aria-current={props.current.then_some("page")}
            {onclick}
        >
            { props.children.clone() }
        </a>
    }
}
