//! A link to a demo (or the overview) that switches in place, without a page load.

use crate::app::route;
use crate::config::demo::Demo;
use yew::prelude::*;

/// A real `<a href="?demo=…">` to `demo` (`None`: the overview): it can be opened in a new tab or
/// copied, and a plain click calls `on_open` instead (the app switches the demo in place and adds a
/// history entry). `current` marks it as the page shown. A view function rather than a component:
/// it keeps no state, and a component type would only add its generic glue (about 2 KB of wasm).
pub fn demo_link(
    demo: Option<Demo>,
    on_open: &Callback<Option<Demo>>,
    class: &'static str,
    current: bool,
    content: Html,
) -> Html {
    let on_open = on_open.clone();
    let onclick = Callback::from(move |event: MouseEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
        if modified || event.button() != 0 {
            return; // let the browser open a new tab or window
        }
        event.prevent_default();
        on_open.emit(demo);
    });
    html! {
        <a href={route::href(demo)} {class} aria-current={current.then_some("page")} {onclick}>
            { content }
        </a>
    }
}
