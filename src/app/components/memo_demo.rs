//! The memoization demo: the factory pitfall beside one shared `lru_cache`, each with its
//! `cache_info()`, and `maxsize` and `typed` controls.

use std::cell::RefCell;
use std::rc::Rc;

use super::controls::{Console, ConsoleSource, HasConsole, Slider};
use crate::engine::lab::memo::parse_arg;
use crate::engine::lab::{ConsoleLog, LineKind, MemoLab};
use crate::engine::memo::MaxSize;
use yew::prelude::*;

impl HasConsole for MemoLab {
    fn console(&self) -> &ConsoleLog {
        MemoLab::console(self)
    }
}

const KINDS: &[LineKind] = &[LineKind::Hit, LineKind::Call, LineKind::Setting];

#[component]
pub fn MemoDemo() -> Html {
    let maxsize = use_state(|| 128u32);
    let typed = use_state(|| false);
    let lab = use_mut_ref(|| MemoLab::new(MaxSize::Entries(128), false));
    let revision = use_mut_ref(|| 0u64);
    let run = use_state(|| 0u64);
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
    let rebuild = {
        let (lab, run, changed) = (lab.clone(), run.clone(), changed.clone());
        move |size: u32, typed: bool| {
            let maxsize = if size == 0 {
                MaxSize::Entries(0)
            } else if size > 1024 {
                MaxSize::Unbounded
            } else {
                MaxSize::Entries(size as usize)
            };
            *lab.borrow_mut() = MemoLab::new(maxsize, typed);
            run.set(*run + 1);
            changed();
        }
    };
    let on_maxsize = {
        let (rebuild, maxsize, typed) = (rebuild.clone(), maxsize.clone(), *typed);
        Callback::from(move |v: f64| {
            let size = v.round().clamp(0.0, 1025.0) as u32;
            maxsize.set(size);
            rebuild(size, typed);
        })
    };
    let on_typed = {
        let (rebuild, typed, size) = (rebuild.clone(), typed.clone(), *maxsize);
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            typed.set(input.checked());
            rebuild(size, input.checked());
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
    let maxsize_text = match *maxsize {
        0 => "0 (caches nothing)".to_owned(),
        n if n > 1024 => "None (unbounded)".to_owned(),
        n => n.to_string(),
    };
    html! {
        <div class="lab memo-lab">
            <div class="lab-settings">
                <Slider id="memo-maxsize" label="maxsize" value={f64::from(*maxsize)} min={0.0} max={1025.0} step={1.0}
                    display={maxsize_text} on_change={on_maxsize} />
                <label class="check">
                    <input type="checkbox" checked={*typed} onchange={on_typed} />
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
            </div>
            <Console key={*run} {source} kinds={KINDS} />
        </div>
    }
}
