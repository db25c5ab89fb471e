//! The memoization demo: the factory pitfall beside one shared `lru_cache`, each with its
//! `cache_info()`, and `maxsize` and `typed` controls; and a persistent memo whose results are
//! kept in browser storage, so they survive a reload.

use std::cell::RefCell;
use std::rc::Rc;

use super::controls::{Console, ConsoleSource, HasConsole, SliderInput, range_slider};
use crate::app::memo_store::BrowserStore;
use crate::config::DemoConfig;
use crate::config::memo::{MAXSIZE, MemoConfig, UNBOUNDED};
use crate::engine::lab::memo::parse_arg;
use crate::engine::lab::{ConsoleLog, LineKind, MemoLab};
use yew::prelude::*;

impl HasConsole for MemoLab<BrowserStore> {
    fn console(&self) -> &ConsoleLog {
        MemoLab::console(self)
    }
}

#[derive(Properties, PartialEq)]
pub struct MemoDemoProps {
    /// The settings to start from.
    pub config: MemoConfig,
    /// Called with every change of the settings.
    pub on_change: Callback<DemoConfig>,
}

const KINDS: &[LineKind] = &[LineKind::Hit, LineKind::Call, LineKind::Setting];

#[component]
pub fn MemoDemo(props: &MemoDemoProps) -> Html {
    let controls = use_state(|| props.config);
    let lab = use_mut_ref(|| {
        MemoLab::new(
            props.config.maxsize(),
            props.config.typed,
            BrowserStore::open(),
        )
    });
    let revision = use_mut_ref(|| 0u64);
    let argument = use_state(|| "42".to_owned());
    let problem = use_state(|| None::<String>);
    let force = use_force_update();
    let changed = {
        let (revision, force) = (revision.clone(), force.clone());
        Rc::new(move || {
            *revision.borrow_mut() += 1;
            force.force_update();
        })
    };
    // New lru_caches with the new settings; the persistent memo keeps its results.
    let reconfigure = {
        let (lab, controls, on_change, changed) = (
            lab.clone(),
            controls.clone(),
            props.on_change.clone(),
            changed.clone(),
        );
        move |next: MemoConfig| {
            lab.borrow_mut().reconfigure(next.maxsize(), next.typed);
            controls.set(next);
            on_change.emit(DemoConfig::Memo(next));
            changed();
        }
    };
    let c = *controls;
    let on_maxsize = {
        let reconfigure = reconfigure.clone();
        Callback::from(move |v: f64| {
            let maxsize = (v.round() as u64).min(UNBOUNDED);
            if maxsize != c.maxsize {
                reconfigure(MemoConfig { maxsize, ..c });
            }
        })
    };
    let on_typed = {
        let reconfigure = reconfigure.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            reconfigure(MemoConfig {
                typed: input.checked(),
                ..c
            });
        })
    };
    let on_input = {
        let argument = argument.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            argument.set(input.value());
        })
    };
    let on_call = {
        let (lab, argument, problem, changed) = (
            lab.clone(),
            argument.clone(),
            problem.clone(),
            changed.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = argument.trim();
            if text.is_empty() || text.chars().count() > 40 {
                problem.set(Some(
                    "Type an argument of 1 to 40 characters, e.g. 42, 3.0 or 'ada'.".to_owned(),
                ));
                return;
            }
            problem.set(None);
            lab.borrow_mut().call(parse_arg(text));
            changed();
        })
    };
    let on_clear = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |_| {
            lab.borrow_mut().cache_clear();
            changed();
        })
    };
    let view = lab.borrow();
    let source = ConsoleSource {
        owner: lab.clone() as Rc<RefCell<dyn HasConsole>>,
        revision: *revision.borrow(),
    };
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
                    <input type="text" value={(*argument).clone()} oninput={on_input} maxlength="40" spellcheck="false" />
                </label>
                <button type="submit" class="primary">{ "Call get_user" }</button>
                <button type="button" onclick={on_clear}>{ "cache_clear()" }</button>
                if let Some(message) = &*problem {
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
