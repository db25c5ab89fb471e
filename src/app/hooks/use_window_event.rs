//! Listen to an event on `window` for as long as the component is mounted.

use gloo_events::EventListener;
use std::rc::Rc;
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
        // Dropping the listener (on unmount) removes it from `window`.
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, event_name, move |event| {
                // Clone out of the cell first: the handler may cause a re-render that replaces it.
                let handler = latest.borrow().clone();
                if let Some(handler) = handler {
                    handler(event.clone());
                }
            })
        });
        move || drop(listener)
    });
}
