//! The navigation: every demo, grouped.

use super::demo_link::demo_link;
use crate::config::demo::{Demo, DemoGroup};
use yew::prelude::*;

/// What [`nav`] shows.
pub struct NavInput {
    /// The demo on screen, highlighted in the list.
    pub current: Option<Demo>,
    /// Called when the reader picks a demo.
    pub on_open: Callback<Option<Demo>>,
}

/// A view function rather than a component: it keeps no state, and a component type would only
/// add its generic glue (about 2 KB of wasm each).
pub fn nav(props: &NavInput) -> Html {
    html! {
        <nav class="site-nav" aria-label="Demos">
            { for DemoGroup::ALL.into_iter().map(|group| {
                let heading_id = format!("nav-group-{}", group.title().to_ascii_lowercase().replace(' ', "-"));
                html! {
                    <div class="nav-group">
                        <h2 class="nav-group-title" id={heading_id.clone()}>{ group.title() }</h2>
                        <ul class="nav-list" aria-labelledby={heading_id}>
                            { for group.demos().map(|demo| html! {
                                <li>
                                    { demo_link(Some(demo), &props.on_open, "nav-link", props.current == Some(demo), html! { demo.nav_label() }) }
                                </li>
                            }) }
                        </ul>
                    </div>
                }
            }) }
        </nav>
    }
}
