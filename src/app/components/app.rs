//! The root component: header, navigation and the main area, kept in step with the URL and with
//! the reader's stored settings. With `embed=1`, the demo alone, reporting its height to the page
//! that embeds it.

use super::demo_page::DemoPage;
use super::header::{HeaderInput, header};
use super::nav::{NavInput, nav};
use super::notice::{NoticeInput, notice};
use super::overview::{OverviewInput, overview};
use crate::app::hooks::{use_report_height, use_window_event};
use crate::app::state::{Action, State};
use crate::app::{route, storage};
use crate::config::demo::Demo;
use crate::config::{DemoConfig, Link};
use yew::prelude::*;

/// The demo and settings a URL shows. A link that sets none of the demo's settings (such as the
/// navigation's `?demo=lru`) restores the reader's stored ones; an embedded demo never does, so
/// it always looks as its author configured it.
fn resolve(link: &Link) -> (Option<Demo>, Option<DemoConfig>) {
    let config = match (link.demo, &link.config) {
        (Some(demo), _) if !link.sets_config && !link.embed => {
            storage::load_settings(demo).or_else(|| link.config.clone())
        }
        (_, config) => config.clone(),
    };
    (link.demo, config)
}

/// Writes the URL for what is shown (a settings change replaces the history entry).
fn write_url(demo: Option<Demo>, config: Option<&DemoConfig>, embed: bool, push: bool) {
    let query = match (demo, config) {
        (Some(demo), Some(config)) => Link::query(demo, config, embed),
        _ => String::new(),
    };
    if push {
        route::push(&query);
    } else {
        route::replace(&query);
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let link = route::current_link();
        let (demo, config) = resolve(&link);
        // Spell out every setting in the address bar, so it can be shared as it is. An embed
        // keeps its author's URL, so reloading the frame restores the example.
        if !link.embed {
            write_url(demo, config.as_ref(), false, false);
        }
        State {
            demo,
            config,
            embed: link.embed,
            notes: link.notes,
            generation: 0,
        }
    });
    let embed = state.embed;

    {
        // Back and forward buttons: the URL is the source of truth.
        let state = state.clone();
        use_window_event("popstate", move |_| {
            let link = route::current_link();
            let (demo, config) = resolve(&link);
            state.dispatch(Action::Show {
                demo,
                config,
                notes: link.notes,
            });
        });
    }
    use_report_height(embed, state.demo);

    use_effect_with((state.demo, embed), |&(demo, embed)| {
        let document = web_sys::window().and_then(|window| window.document());
        if let Some(document) = document {
            document.set_title(&match demo {
                Some(demo) => format!("{} · Cache Playground", demo.title()),
                None => "Cache Playground".to_owned(),
            });
            if embed && let Some(root) = document.document_element() {
                let _ = root.class_list().add_1("embed");
            }
        }
    });

    let on_open = {
        let state = state.clone();
        Callback::from(move |demo: Option<Demo>| {
            let config = demo.map(|demo| {
                storage::load_settings(demo).unwrap_or_else(|| DemoConfig::defaults(demo))
            });
            write_url(demo, config.as_ref(), embed, true);
            state.dispatch(Action::Show {
                demo,
                config,
                notes: Vec::new(),
            });
        })
    };
    let on_dismiss = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::DismissNotice))
    };
    let on_config = {
        let state = state.clone();
        Callback::from(move |config: DemoConfig| {
            let Some(demo) = state.demo else { return };
            if !embed {
                write_url(Some(demo), Some(&config), false, false);
                storage::save_settings(demo, &config);
            }
            state.dispatch(Action::Changed(config));
        })
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |()| {
            let Some(demo) = state.demo else { return };
            let config = if embed {
                // Back to the example as its author configured it (an embed keeps its URL).
                route::current_link().config
            } else {
                storage::forget_settings(demo);
                let defaults = DemoConfig::defaults(demo);
                write_url(Some(demo), Some(&defaults), false, false);
                Some(defaults)
            };
            state.dispatch(Action::Show {
                demo: Some(demo),
                config,
                notes: Vec::new(),
            });
        })
    };

    let shown_notice = (!state.notes.is_empty()).then(|| {
        notice(&NoticeInput {
            notes: state.notes.clone(),
            on_dismiss,
        })
    });
    let content = match (state.demo, &state.config) {
        (Some(demo), Some(config)) => html! {
            <DemoPage key={format!("{}-{}", demo.id(), state.generation)} {demo} config={config.clone()}
                {embed} {on_config} {on_reset} />
        },
        _ => overview(&OverviewInput {
            on_open: on_open.clone(),
        }),
    };
    if embed {
        return html! {
            <main id="main" class="embedded">
                { shown_notice }
                { content }
            </main>
        };
    }
    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            { header(&HeaderInput { on_open: on_open.clone() }) }
            <div class="layout">
                { nav(&NavInput { current: state.demo, on_open: on_open.clone() }) }
                <main id="main">
                    { shown_notice }
                    { content }
                </main>
            </div>
        </>
    }
}
