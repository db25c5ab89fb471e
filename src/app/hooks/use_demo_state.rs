//! One way for every demo to hold its lab and settings: a [`Reducible`] whose actions change the
//! demo's state, as Yew's `function_todomvc` holds its entries. A demo describes its state with
//! [`DemoState`]; [`use_demo_state`] keeps it, runs its clock on animation frames and tells the
//! app about each change of settings (which the app puts in the URL and in storage).
//!
//! The state changes in place behind a `RefCell` rather than being copied per action: a lab
//! holds a whole recorded run (tens of thousands of events), and copying it on every animation
//! frame is what this avoids. Each action that changed something yields a new [`Held`] with the
//! next revision, so Yew re-renders exactly then; an action that changed nothing (a frame too
//! short to move the clock) renders nothing.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use super::use_animation_frame;
use crate::config::DemoConfig;
use yew::prelude::*;

/// A demo's state and what can happen to it.
pub trait DemoState: 'static {
    /// What the reader (or the clock) can do.
    type Action;
    /// Applies an action; `false` when nothing on screen changed.
    fn apply(&mut self, action: Self::Action) -> bool;
    /// The action for an animation frame `gap` real milliseconds after the previous one, for a
    /// demo with a clock.
    fn frame(_gap: f64) -> Option<Self::Action> {
        None
    }
    /// Whether the clock runs (frames are asked for only then).
    fn running(&self) -> bool {
        false
    }
    /// The settings now, as the app keeps them.
    fn settings(&self) -> DemoConfig;
}

/// A demo's state as Yew holds it: shared, with a revision that changes with every change.
pub struct Held<S> {
    cell: Rc<RefCell<S>>,
    revision: u64,
}

impl<S> Held<S> {
    /// The state, to draw from.
    pub fn borrow(&self) -> Ref<'_, S> {
        self.cell.borrow()
    }

    /// Changes with every change of the state (the console redraws on it).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The state itself, for a child that reads it (the console).
    pub fn shared(&self) -> Rc<RefCell<S>> {
        self.cell.clone()
    }
}

impl<S: DemoState> Reducible for Held<S> {
    type Action = S::Action;

    fn reduce(self: Rc<Self>, action: S::Action) -> Rc<Self> {
        if self.cell.borrow_mut().apply(action) {
            Rc::new(Held {
                cell: self.cell.clone(),
                revision: self.revision + 1,
            })
        } else {
            self
        }
    }
}

/// Holds a demo's state, made once by `init`. While it runs, every animation frame is dispatched
/// as [`DemoState::frame`] says. Whenever its settings differ from what the app last heard (at first,
/// what `asked` makes: the settings the demo was opened with, made once), `on_change` is told.
#[hook]
pub fn use_demo_state<S, F, A>(
    init: F,
    asked: A,
    on_change: &Callback<DemoConfig>,
) -> UseReducerHandle<Held<S>>
where
    S: DemoState,
    F: FnOnce() -> S,
    A: FnOnce() -> DemoConfig,
{
    let handle = use_reducer(|| Held {
        cell: Rc::new(RefCell::new(init())),
        revision: 0,
    });
    let (running, settings) = {
        let state = handle.borrow();
        (state.running(), state.settings())
    };
    {
        let dispatcher = handle.dispatcher();
        use_animation_frame(running, move |gap| {
            if let Some(action) = S::frame(gap) {
                dispatcher.dispatch(action);
            }
        });
    }
    let reported = use_mut_ref(asked);
    {
        let on_change = on_change.clone();
        use_effect_with(settings, move |settings| {
            if *reported.borrow() != *settings {
                *reported.borrow_mut() = settings.clone();
                on_change.emit(settings.clone());
            }
        });
    }
    handle
}
