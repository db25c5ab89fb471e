//! The app's state and the actions that change it.

use super::demo::Demo;
use super::route::Route;
use std::rc::Rc;
use yew::Reducible;

/// Everything the shell renders from.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// The demo on screen; `None` is the overview.
    pub demo: Option<Demo>,
    /// A notice for the reader (e.g. an unknown demo id), shown until dismissed.
    pub notice: Option<String>,
}

/// What can happen to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The reader picked a demo (or the overview) in the app.
    Open(Option<Demo>),
    /// The URL changed under us (first load, back or forward button).
    UrlChanged(Route),
    /// The reader closed the notice.
    DismissNotice,
}

impl State {
    /// The state for a URL's route.
    pub fn from_route(route: Route) -> State {
        State {
            demo: route.demo,
            notice: route.unknown_demo.map(|id| {
                format!(
                    "There is no demo called “{id}”. Here is the overview of every demo instead."
                )
            }),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Open(demo) => Rc::new(State { demo, notice: None }),
            Action::UrlChanged(route) => Rc::new(State::from_route(route)),
            Action::DismissNotice => Rc::new(State {
                notice: None,
                ..(*self).clone()
            }),
        }
    }
}
