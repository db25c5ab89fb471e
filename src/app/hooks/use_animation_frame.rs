//! Run a callback on every animation frame while active.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The longest frame gap passed on, in real milliseconds: a tab in the background gets no frames
/// for a while, and the animation should resume where it was rather than leap ahead.
const MAX_FRAME_GAP: f64 = 100.0;

type FrameClosure = Closure<dyn FnMut(f64)>;

/// While `active`, calls `on_frame` with the real milliseconds since the previous frame, once per
/// `requestAnimationFrame`. The callback of the latest render is the one called.
#[hook]
pub fn use_animation_frame<F>(active: bool, on_frame: F)
where
    F: Fn(f64) + 'static,
{
    let latest = use_mut_ref(|| None::<Rc<dyn Fn(f64)>>);
    *latest.borrow_mut() = Some(Rc::new(on_frame));

    use_effect_with(active, move |&active| {
        let running = Rc::new(Cell::new(active));
        let pending = Rc::new(Cell::new(None::<i32>));
        let frame: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        if active && let Some(window) = web_sys::window() {
            let previous = Cell::new(None::<f64>);
            let (scheduler, still_running, next_id) =
                (frame.clone(), running.clone(), pending.clone());
            let window_for_frames = window.clone();
            *frame.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
                next_id.set(None);
                if !still_running.get() {
                    return;
                }
                let gap = previous
                    .replace(Some(timestamp))
                    .map_or(0.0, |last| (timestamp - last).clamp(0.0, MAX_FRAME_GAP));
                let callback = latest.borrow().clone();
                if let Some(callback) = callback {
                    callback(gap);
                }
                if still_running.get()
                    && let Ok(borrowed) = scheduler.try_borrow()
                    && let Some(next) = borrowed.as_ref()
                {
                    next_id.set(
                        window_for_frames
                            .request_animation_frame(next.as_ref().unchecked_ref())
                            .ok(),
                    );
                }
            }));
            if let Some(first) = frame.borrow().as_ref() {
                pending.set(
                    window
                        .request_animation_frame(first.as_ref().unchecked_ref())
                        .ok(),
                );
            }
        }
        move || {
            running.set(false);
            if let (Some(id), Some(window)) = (pending.take(), web_sys::window()) {
                let _ = window.cancel_animation_frame(id);
            }
            // The cleanup may run inside the closure's own call (its callback re-rendered us):
            // drop it only once that call has returned.
            let closure = frame.borrow_mut().take();
            yew::platform::spawn_local(async move { drop(closure) });
        }
    });
}
