//! The memoization demo: the factory pitfall beside one shared `lru_cache`, each with its
//! `cache_info()`, and `maxsize` and `typed` controls; and a persistent memo whose results are
//! kept in browser storage, so they survive a reload.

use super::controls::{Console, ConsoleSource, HasConsole, SliderInput, range_slider};
use crate::app::hooks::{DemoState, use_demo_state};
use crate::app::memo_store::BrowserStore;
use crate::config::DemoConfig;
use crate::config::memo::{MAXSIZE, MemoConfig, UNBOUNDED};
use crate::engine::lab::memo::parse_arg;
use crate::engine::lab::{ConsoleLog, LineKind, MemoLab};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MemoDemoProps {
    /// The settings to start from.
    pub config: MemoConfig,
    /// Called with every change of the settings.
    pub on_change: Callback<DemoConfig>,
}

const KINDS: &[LineKind] = &[LineKind::Hit, LineKind::Call, LineKind::Setting];

/// The demo's state: the memos, their settings and the argument being typed.
pub struct MemoState {
    lab: MemoLab<BrowserStore>,
    controls: MemoConfig,
    argument: String,
    /// Why the last call could not be made, until the next that works.
    problem: Option<String>,
}

/// What the reader can do to the memoization demo.
pub enum MemoAction {
    /// New settings: new `lru_cache`s; the persistent memo keeps its results.
    Settings(MemoConfig),
    Type(String),
    /// Call the function with the argument typed.
    Call,
    Clear,
}

impl DemoState for MemoState {
    type Action = MemoAction;

    fn apply(&mut self, action: MemoAction) -> bool {
        match action {
            MemoAction::Settings(next) => {
                if next == self.controls {
                    return false;
                }
                self.lab.reconfigure(next.maxsize(), next.typed);
                self.controls = next;
            }
            MemoAction::Type(text) => self.argument = text,
            MemoAction::Call => {
                let text = self.argument.trim();
                if text.is_empty() || text.chars().count() > 40 {
                    self.problem = Some(
                        "Type an argument of 1 to 40 characters, e.g. 42, 3.0 or 'ada'.".to_owned(),
                    );
                } else {
                    match parse_arg(text) {
                        Ok(arg) => {
                            self.lab.call(arg);
                            self.problem = None;
                        }
                        Err(message) => self.problem = Some(message),
                    }
                }
            }
            MemoAction::Clear => self.lab.cache_clear(),
        }
        true
    }

    fn settings(&self) -> DemoConfig {
        DemoConfig::Memo(self.controls)
    }
}

impl HasConsole for MemoState {
    fn console(&self) -> &ConsoleLog {
        self.lab.console()
    }
}

#[component]
pub fn MemoDemo(props: &MemoDemoProps) -> Html {
    let state = use_demo_state(
        || MemoState {
            lab: MemoLab::new(
                props.config.maxsize(),
                props.config.typed,
                BrowserStore::open(),
            ),
            controls: props.config,
            argument: "42".to_owned(),
            problem: None,
        },
        || DemoConfig::Memo(props.config),
        &props.on_change,
    );
    let act = state.dispatcher().to_callback();
    let held = state.borrow();
    let view = &held.lab;
    let c = held.controls;
    let on_maxsize = act.reform(move |v: f64| {
        MemoAction::Settings(MemoConfig {
            maxsize: (v.round() as u64).min(UNBOUNDED),
            ..c
        })
    });
    let on_typed = act.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        MemoAction::Settings(MemoConfig {
            typed: input.checked(),
            ..c
        })
    });
    let on_input = act.reform(|event: InputEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        MemoAction::Type(input.value())
    });
    let on_call = act.reform(|event: SubmitEvent| {
        event.prevent_default();
        MemoAction::Call
    });
    let source = ConsoleSource::of(&state);
    let maxsize_text = match c.maxsize {
        0 => "0 (caches nothing)".to_owned(),
        n if n >= UNBOUNDED => "None (unbounded)".to_owned(),
        n => n.to_string(),
    };
    let persists = view.store().persists();
    html! {
        <div class="lab memo-lab">
            <div class="lab-settings">
                { range_slider(SliderInput { id: "memo-maxsize".to_owned(), label: "maxsize", value: c.maxsize as f64,
                    min: MAXSIZE.min as f64, max: UNBOUNDED as f64, step: 1.0, display: maxsize_text, on_change: on_maxsize }) }
                <label class="check">
                    <input type="checkbox" checked={c.typed} onchange={on_typed} />
                    <span>{ "typed" }</span>
                </label>
            </div>
            <form class="key-ops" onsubmit={on_call} aria-label="Call the function">
                <label>
                    <span>{ "Argument" }</span>
                    <input type="text" value={held.argument.clone()} oninput={on_input} maxlength="40" spellcheck="false" />
                </label>
                <button type="submit" class="primary">{ "Call get_user" }</button>
                <button type="button" onclick={act.reform(|_| MemoAction::Clear)}>{ "cache_clear()" }</button>
                if let Some(message) = &held.problem {
                    <p class="field-error" role="alert">{ message.clone() }</p>
                }
            </form>
            <div class="memo-sides">
                <section class="memo-side" aria-label="Cache built per request">
                    <h2>{ "Pitfall: a cache per request" }</h2>
                    <pre><code>{ "def handler(conn, user_id):\n    get_user = lru_cache(partial(fetch_user, conn))\n    return get_user(user_id)" }</code></pre>
                    <p class="info"><code>{ view.per_call_info().to_string() }</code></p>
                    <p class="hint">{ "Summed over every cache the factory built: each new cache starts empty, so every call misses." }</p>
                </section>
                <section class="memo-side" aria-label="One shared cache">
                    <h2>{ "Fix: one shared cache" }</h2>
                    <pre><code>{ "@lru_cache(maxsize=…, typed=…)\ndef get_user(user_id):\n    return fetch_user(CONN, user_id)" }</code></pre>
                    <p class="info"><code>{ view.shared_info().to_string() }</code></p>
                    <p class="hint">{ "Repeated arguments are answered from the cache; with typed off, 3 and 3.0 share an entry." }</p>
                </section>
                <section class="memo-side" aria-label="Persistent memo">
                    <h2>{ "Persistent: survives a reload" }</h2>
                    <pre><code>{ "@persistent_cache(\"users.sqlite\")\ndef get_user(user_id):\n    return fetch_user(CONN, user_id)" }</code></pre>
                    <p class="info"><code>{ view.persistent_info().to_string() }</code></p>
                    <p class="hint">
                        if persists {
                            { "Results are kept in this browser's storage, like rows in a SQLite file: reload the page and earlier arguments still hit. Counts start again with each page load; cache_clear() forgets the stored results." }
                        } else {
                            { "This browser does not let the page keep data (private mode, a sandboxed frame, or storage is full), so results last only until the page closes." }
                        }
                    </p>
                </section>
            </div>
            <Console {source} kinds={KINDS} />
        </div>
    }
}
