//! Run a callback on every animation frame while active.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

/// The longest frame gap passed on, in real milliseconds: a tab in the background gets no frames
/// for a while, and the animation should resume where it was rather than leap ahead.
const MAX_FRAME_GAP: f64 = 100.0;

/// The callback of the latest render.
type Latest = Rc<RefCell<Option<Rc<dyn Fn(f64)>>>>;

/// One run of frames, from activation to cleanup.
struct Frames {
    latest: Latest,
    running: Cell<bool>,
    /// The previous frame's timestamp.
    previous: Cell<Option<f64>>,
    /// The frame asked for next; dropping it cancels it.
    pending: RefCell<Option<AnimationFrame>>,
}

impl Frames {
    /// Asks for the next frame.
    fn schedule(self: &Rc<Self>) {
        let frames = Rc::clone(self);
        let next = request_animation_frame(move |timestamp| frames.frame(timestamp));
        // This replaces the frame now running, whose closure wasm-bindgen frees once it returns.
        *self.pending.borrow_mut() = Some(next);
    }

    fn frame(self: &Rc<Self>, timestamp: f64) {
        if !self.running.get() {
            return;
        }
        let gap = self
            .previous
            .replace(Some(timestamp))
            .map_or(0.0, |last| (timestamp - last).clamp(0.0, MAX_FRAME_GAP));
        let callback = self.latest.borrow().clone();
        if let Some(callback) = callback {
            callback(gap);
        }
        // The callback may have re-rendered us and ended this run.
        if self.running.get() {
            self.schedule();
        }
    }
}

/// While `active`, calls `on_frame` with the real milliseconds since the previous frame, once per
/// `requestAnimationFrame`. The callback of the latest render is the one called.
#[hook]
pub fn use_animation_frame<F>(active: bool, on_frame: F)
where
    F: Fn(f64) + 'static,
{
    let latest: Latest = use_mut_ref(|| None);
    *latest.borrow_mut() = Some(Rc::new(on_frame));

    use_effect_with(active, move |&active| {
        let frames = Rc::new(Frames {
            latest,
            running: Cell::new(active),
            previous: Cell::new(None),
            pending: RefCell::new(None),
        });
        if active {
            frames.schedule();
        }
        move || {
            frames.running.set(false);
            // Cancels a frame not yet run. The cleanup may run inside a frame's own call (its
            // callback re-rendered us): the handle (and the cycle through it) is dropped once
            // that call has returned.
            let pending = frames.pending.borrow_mut().take();
            yew::platform::spawn_local(async move { drop(pending) });
        }
    });
}
