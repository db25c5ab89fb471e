//! Tell the page that embeds us how tall we are, so it can size its iframe.
//!
//! The message, posted to the parent window whenever the content's height changes:
//! `{ type: "cache-playground:height", version: 1, height: <CSS pixels>, demo: "<id>" }`.
//! It goes to any origin (`"*"`): a height is no secret, and the playground cannot know where it
//! is embedded. Receivers check `event.origin` and `event.source` (as `www/embed.js` does).

use crate::config::demo::Demo;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The message's `type`.
const HEIGHT_MESSAGE: &str = "cache-playground:height";

/// While `active` and framed by another page, posts the height of `#app` (showing `demo`) on
/// every change.
#[hook]
pub fn use_report_height(active: bool, demo: Option<Demo>) {
    use_effect_with((active, demo), |&(active, demo)| {
        let watcher = active.then(|| watch(demo)).flatten();
        move || {
            if let Some((observer, closure)) = watcher {
                observer.disconnect();
                drop(closure);
            }
        }
    });
}

type Watcher = (web_sys::ResizeObserver, Closure<dyn FnMut()>);

fn watch(demo: Option<Demo>) -> Option<Watcher> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    if js_sys::Object::is(&parent, &window) {
        return None; // not in a frame
    }
    let app = window.document()?.get_element_by_id("app")?;
    let observed = app.clone();
    let last = std::cell::Cell::new(0.0f64);
    let closure = Closure::<dyn FnMut()>::new(move || {
        let height = observed.get_bounding_client_rect().height().ceil();
        if height == last.replace(height) {
            return;
        }
        let message = js_sys::Object::new();
        let demo = demo.map_or("", |demo| demo.id());
        for (key, value) in [
            ("type", HEIGHT_MESSAGE.into()),
            ("version", 1.into()),
            ("height", height.into()),
            ("demo", demo.into()),
        ] {
            let _ = js_sys::Reflect::set(&message, &key.into(), &value);
        }
        let _ = parent.post_message(&message, "*");
    });
    let observer = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()).ok()?;
    // The observer calls back once at the start, then on every change of size.
    observer.observe(&app);
    Some((observer, closure))
}
