//! The root component: header, navigation and the main area, kept in step with the URL.

use super::demo_page::DemoPage;
use super::header::Header;
use super::nav::Nav;
use super::notice::Notice;
use super::overview::Overview;
use crate::app::hooks::use_window_event;
use crate::app::route::Route;
use crate::app::state::{Action, State};
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::from_route(Route::current()));

    {
        // Back and forward buttons: the URL is the source of truth.
        let state = state.clone();
        use_window_event("popstate", move |_| {
            state.dispatch(Action::UrlChanged(Route::current()))
        });
    }

    use_effect_with(state.demo, |demo| {
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&match demo {
                Some(demo) => format!("{} · Cache Playground", demo.title()),
                None => "Cache Playground".to_owned(),
            });
        }
    });

    let on_open = {
        let state = state.clone();
        Callback::from(move |demo| state.dispatch(Action::Open(demo)))
    };
    let on_dismiss = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::DismissNotice))
    };

    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <Header on_open={on_open.clone()} />
            <div class="layout">
                <Nav current={state.demo} on_open={on_open.clone()} />
                <main id="main">
                    if let Some(message) = &state.notice {
                        <Notice message={message.clone()} {on_dismiss} />
                    }
                    {
                        match state.demo {
                            Some(demo) => html! { <DemoPage key={demo.id()} {demo} /> },
                            None => html! { <Overview {on_open} /> },
                        }
                    }
                </main>
            </div>
        </>
    }
}
