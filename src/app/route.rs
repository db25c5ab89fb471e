//! The page's URL: read as a [`Link`], and changed through History without a reload. The URL is
//! the source of truth for what is on screen: every settings change is written back to it.

use crate::config::Link;
use crate::config::demo::Demo;

/// The current query string, with its `?` (empty on the overview).
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default()
}

/// The current URL, read.
pub fn current_link() -> Link {
    Link::parse(&current_query())
}

/// The relative URL of a plain link to `demo` (or the overview), keeping the current path so that
/// the app works under any sub-path. Opened in a new tab, it restores the reader's stored settings.
pub fn href(demo: Option<Demo>) -> String {
    match demo {
        Some(demo) => format!("?demo={}", demo.id()),
        None => current_path(),
    }
}

/// The absolute URL of this page with another query, for links that leave the page (Copy link,
/// "open in the full playground").
pub fn absolute(query: &str) -> String {
    let location = web_sys::window().map(|window| window.location());
    let origin = location
        .as_ref()
        .and_then(|location| location.origin().ok())
        .unwrap_or_default();
    format!("{origin}{}{query}", current_path())
}

/// Adds a history entry for `query` (or the bare path, for an empty one), so Back returns here.
pub fn push(query: &str) {
    change(query, true);
}

/// Replaces the current history entry's URL: settings changes, which Back should not step through.
pub fn replace(query: &str) {
    change(query, false);
}

fn change(query: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|window| window.history().ok()) else {
        return;
    };
    let url = if query.is_empty() {
        current_path()
    } else {
        query.to_owned()
    };
    // Failure only means the address bar does not update; the page itself still changes.
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// The current path without query or fragment, e.g. `/docs/playground/`.
fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_else(|| "./".to_owned())
}
