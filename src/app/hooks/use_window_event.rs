//! Listen to an event on `window` for as long as the component is mounted.

use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Calls `handler` for every `event_name` event on `window` (e.g. `"popstate"`), from mount to
/// unmount. The handler of the latest render is the one called, so it may capture fresh state.
#[hook]
pub fn use_window_event<F>(event_name: &'static str, handler: F)
where
    F: Fn(web_sys::Event) + 'static,
{
    let latest = use_mut_ref(|| None::<Rc<dyn Fn(web_sys::Event)>>);
    *latest.borrow_mut() = Some(Rc::new(handler));

    use_effect_with(event_name, move |&event_name| {
        let closure = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            // Clone out of the cell first: the handler may cause a re-render that replaces it.
            let handler = latest.borrow().clone();
            if let Some(handler) = handler {
                handler(event);
            }
        });
        let window = web_sys::window();
        if let Some(window) = &window {
            // Failure leaves the page without this listener; there is nothing better to do.
            let _ = window
                .add_event_listener_with_callback(event_name, closure.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ = window.remove_event_listener_with_callback(
                    event_name,
                    closure.as_ref().unchecked_ref(),
                );
            }
            drop(closure);
        }
    });
}
