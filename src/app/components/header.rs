//! The site header: name and tagline, linking home to the overview.

use super::demo_link::demo_link;
use crate::config::demo::Demo;
use yew::prelude::*;

/// What [`header`] shows.
pub struct HeaderInput {
    /// Called when the reader follows the link to the overview.
    pub on_open: Callback<Option<Demo>>,
}

/// The mark: three cache lines of shrinking length. Drawn inline so it costs no request (and as a
/// plain function: a component type of its own would cost about 2 KB of wasm).
fn logo() -> Html {
    html! {
        <svg class="site-logo" viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#2f6fdd" />
            <rect x="6" y="7" width="20" height="5" rx="1.5" fill="#fff" />
            <rect x="6" y="14" width="14" height="5" rx="1.5" fill="#fff" />
            <rect x="6" y="21" width="8" height="5" rx="1.5" fill="#fff" />
        </svg>
    }
}

/// A view function rather than a component: it keeps no state, and a component type would only
/// add its generic glue (about 2 KB of wasm each).
pub fn header(props: &HeaderInput) -> Html {
    html! {
        <header class="site-header">
            { demo_link(None, &props.on_open, "site-title", false, html! { <>{ logo() }{ "Cache Playground" }</> }) }
            <span class="site-tagline">{ "See caching happen, one request at a time." }</span>
        </header>
    }
}
