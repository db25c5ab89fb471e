//! The page's URL as the app understands it: which demo `?demo=<id>` names, and reading and writing
//! it through the browser's Location and History.

use super::demo::Demo;
use web_sys::UrlSearchParams;

/// What the query string asks for.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Route {
    /// The demo to show; `None` shows the overview.
    pub demo: Option<Demo>,
    /// A `demo` value that names no demo, kept (as text) to tell the reader.
    pub unknown_demo: Option<String>,
}

impl Route {
    /// The route for a query string such as `?demo=lru` (the leading `?` is optional).
    pub fn from_query(query: &str) -> Route {
        let demo_param = UrlSearchParams::new_with_str(query)
            .ok()
            .and_then(|params| params.get("demo"));
        match demo_param {
            None => Route::default(),
            Some(id) if id.is_empty() => Route::default(),
            Some(id) => match Demo::from_id(&id) {
                Some(demo) => Route {
                    demo: Some(demo),
                    unknown_demo: None,
                },
                None => Route {
                    demo: None,
                    unknown_demo: Some(id),
                },
            },
        }
    }

    /// The route of the page's current URL.
    pub fn current() -> Route {
        let query = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .unwrap_or_default();
        Route::from_query(&query)
    }

    /// The relative URL that shows `demo` (or the overview), keeping the current path so that the
    /// app works under any sub-path.
    pub fn href(demo: Option<Demo>) -> String {
        match demo {
            Some(demo) => format!("?demo={}", demo.id()),
            None => current_path(),
        }
    }

    /// Adds a history entry for `demo` without reloading, so the back button returns here.
    pub fn push(demo: Option<Demo>) {
        if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
            // Failure only means the URL does not update; the page itself still switches.
            let _ = history.push_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&Route::href(demo)),
            );
        }
    }
}

/// The current path without query or fragment, e.g. `/docs/playground/`.
fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_else(|| "./".to_owned())
}
