//! The Yew web app (wasm32 only). It renders engine state and dispatches actions; cache logic
//! lives in [`crate::engine`].

mod clipboard;
mod components;
mod flow_scene;
mod hooks;
pub mod memo_store;
pub mod panic_hook;
pub mod route;
pub mod state;
pub mod storage;

pub use components::App;

/// Installs the panic hook and renders the app into `#app` (or `<body>` if there is none).
pub fn start() {
    panic_hook::install();
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html(""); // drop the "Loading…" message
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
