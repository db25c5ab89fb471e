//! The app's state and the actions that change it.

use crate::config::DemoConfig;
use crate::config::demo::Demo;
use std::rc::Rc;
use yew::Reducible;

/// Everything the shell renders from.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct State {
    /// The demo on screen; `None` is the overview.
    pub demo: Option<Demo>,
    /// The demo's current settings (the demo owns them while it runs and reports each change).
    pub config: Option<DemoConfig>,
    /// Embedded in another page (`embed=1`): the demo alone, no site navigation.
    pub embed: bool,
    /// What the URL asked for that could not be followed, and what was used instead; shown as
    /// text until dismissed.
    pub notes: Vec<String>,
    /// Counts the times settings came from outside the demo (a link, Back, Reset to defaults),
    /// so the demo starts over with them.
    pub generation: u64,
}

/// What can happen to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show a demo (or the overview) with these settings.
    Show {
        /// The demo.
        demo: Option<Demo>,
        /// Its settings.
        config: Option<DemoConfig>,
        /// What the URL asked for that was changed, and why.
        notes: Vec<String>,
    },
    /// The demo on screen changed its own settings (it keeps running).
    Changed(DemoConfig),
    /// The reader closed the notice.
    DismissNotice,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Show {
                demo,
                config,
                notes,
            } => Rc::new(State {
                demo,
                config,
                notes,
                embed: self.embed,
                generation: self.generation + 1,
            }),
            Action::Changed(config) => Rc::new(State {
                config: Some(config),
                ..(*self).clone()
            }),
            Action::DismissNotice => Rc::new(State {
                notes: Vec::new(),
                ..(*self).clone()
            }),
        }
    }
}
