//! The write-pattern demos (cache-aside, read-through, write-through, write-behind, write-around)
//! and the stampede demo: a scenario of the engine's model drawn as a diagram of what each node
//! holds and what is on the wire, the followed request's steps, the reader's own reads and writes,
//! a crash button, time travel, stats and the console (whose lines select a request to follow).

use std::cell::RefCell;
use std::rc::Rc;

use super::bar_chart::{BarChartInput, bar_chart};
use super::controls::{
    Console, ConsoleSource, HasConsole, KeyOps, SeedField, SliderInput, TransportInput, count,
    percent, range_slider, stats_panel, transport,
};
use super::flow_diagram::{DiagramInput, flow_diagram, legend};
use super::flow_narration::{NarrationInput, NarrationStep, flow_narration};
use super::flow_sequence::{SequenceInput, flow_sequence};
use crate::app::flow_scene;
use crate::app::hooks::use_animation_frame;
use crate::config::DemoConfig;
use crate::config::demo::Demo;
use crate::config::fields::{Choice, DecimalField, DurationField, IntField, find_choice};
use crate::config::flow::{
    CLIENTS, FlowConfig, Herd, LATENCY, NO_CRASH, READS, SIZE, SKEW, SPEED, STAMPEDE_CLIENTS,
    STAMPEDE_TTL, Strategy, TTL,
};
use crate::engine::events::Millis;
use crate::engine::lab::flow::LOAD_BUCKET;
use crate::engine::lab::{ConsoleLog, FlowLab, LineKind};
use yew::prelude::*;

impl HasConsole for FlowLab {
    fn console(&self) -> &ConsoleLog {
        FlowLab::console(self)
    }
}

const KINDS: &[LineKind] = &[
    LineKind::Hit,
    LineKind::Miss,
    LineKind::Set,
    LineKind::Evict,
    LineKind::Expire,
    LineKind::Delete,
    LineKind::DbRead,
    LineKind::DbWrite,
    LineKind::DbDown,
    LineKind::Queue,
    LineKind::Flush,
    LineKind::Lost,
    LineKind::Crash,
    LineKind::Wait,
    LineKind::Refresh,
    LineKind::Stale,
    LineKind::Message,
    LineKind::Done,
];

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|window| {
            window
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}

#[derive(Properties, PartialEq)]
pub struct FlowDemoProps {
    /// Which demo (sets the scenario and the controls offered).
    pub demo: Demo,
    /// The settings to start from.
    pub config: FlowConfig,
    /// Called with every change of the settings.
    pub on_change: Callback<DemoConfig>,
}

/// A slider's range, from a URL field's.
trait SliderRange {
    /// (min, max, step) in the slider's unit.
    fn range(&self) -> (f64, f64, f64);
}

impl SliderRange for IntField {
    fn range(&self) -> (f64, f64, f64) {
        (self.min as f64, self.max as f64, 1.0)
    }
}

impl SliderRange for DecimalField {
    fn range(&self) -> (f64, f64, f64) {
        (self.min, self.max, self.step)
    }
}

/// Durations slide in milliseconds.
impl SliderRange for DurationField {
    fn range(&self) -> (f64, f64, f64) {
        (self.min as f64, self.max as f64, self.step as f64)
    }
}

#[component]
pub fn FlowDemo(props: &FlowDemoProps) -> Html {
    let demo = props.demo;
    // Settings a link asked for may not fit together (TTL jitter on one key): then the defaults
    // run, and the demo says why.
    let start = use_memo((), |()| {
        let asked = props.config;
        match FlowLab::new(asked.scenario(demo), asked.options(demo)) {
            Ok(lab) => (asked, std::cell::Cell::new(Some(lab)), None),
            Err(message) => {
                let defaults = FlowConfig::defaults(demo);
                let lab = FlowLab::new(defaults.scenario(demo), defaults.options(demo))
                    .expect("the defaults are valid");
                let why = format!("{message}. The default settings are used instead.");
                (defaults, std::cell::Cell::new(Some(lab)), Some(why))
            }
        }
    });
    let controls = use_state(|| start.0);
    {
        // The address bar shows what runs: report the defaults that replaced a link's settings.
        let (on_change, replaced) = (
            props.on_change.clone(),
            start.2.is_some().then_some(start.0),
        );
        use_effect_with((), move |()| {
            if let Some(config) = replaced {
                on_change.emit(DemoConfig::Flow(config));
            }
        });
    }
    let lab = use_mut_ref(|| start.1.take().expect("taken once"));
    let revision = use_mut_ref(|| 0u64);
    let run = use_state(|| 0u64);
    let playing = use_state(|| false);
    let problem = use_state(|| start.2.clone());
    let carry = use_mut_ref(|| 0.0f64);
    // Flow (the boxes and arrows) or Sequence (the followed request in time).
    let sequence = use_state(|| false);
    let force = use_force_update();
    let changed = {
        let (revision, force) = (revision.clone(), force.clone());
        Rc::new(move || {
            *revision.borrow_mut() += 1;
            force.force_update();
        })
    };

    {
        let (lab, carry, changed, speed, playing) = (
            lab.clone(),
            carry.clone(),
            changed.clone(),
            controls.speed,
            playing.clone(),
        );
        use_animation_frame(*playing, move |gap| {
            let mut carry = carry.borrow_mut();
            *carry += gap / 1000.0 * speed;
            let whole = carry.floor();
            *carry -= whole;
            if whole >= 1.0 {
                let mut lab = lab.borrow_mut();
                let target = lab.now() + whole as Millis;
                lab.seek(target);
                let finished = lab.now() >= lab.end();
                drop(lab);
                if finished {
                    playing.set(false);
                }
                changed();
            }
        });
    }

    // Keeps the new settings and tells the app (which updates the URL and storage).
    let commit = {
        let (controls, on_change) = (controls.clone(), props.on_change.clone());
        move |next: FlowConfig| {
            controls.set(next);
            on_change.emit(DemoConfig::Flow(next));
        }
    };
    // Applies new settings: the same scenario keeps the reader's requests; another starts afresh.
    let apply = {
        let (lab, controls, commit, changed, problem, run) = (
            lab.clone(),
            controls.clone(),
            commit.clone(),
            changed.clone(),
            problem.clone(),
            run.clone(),
        );
        move |next: FlowConfig| {
            let same = next.scenario(demo) == controls.scenario(demo);
            let outcome = if same {
                lab.borrow_mut().set_options(next.options(demo))
            } else {
                FlowLab::new(next.scenario(demo), next.options(demo)).map(|fresh| {
                    *lab.borrow_mut() = fresh;
                    run.set(*run + 1);
                })
            };
            match outcome {
                Ok(()) => {
                    problem.set(None);
                    commit(next);
                }
                Err(message) => {
                    problem.set(Some(format!("{message}. The previous setting stays.")))
                }
            }
            changed();
        }
    };
    let slider = |label: &'static str,
                  value: f64,
                  field: &dyn SliderRange,
                  display: String,
                  set: fn(FlowConfig, f64) -> FlowConfig| {
        let (apply, c) = (apply.clone(), *controls);
        let (min, max, step) = field.range();
        html! {
            { range_slider(SliderInput {
                id: format!("{}-{}", demo.id(), label.to_ascii_lowercase().replace(' ', "-")),
                label, value, min, max, step, display,
                on_change: Callback::from(move |v: f64| apply(set(c, v.clamp(min, max)))),
            }) }
        }
    };
    let c = *controls;
    let on_play_pause = {
        let (playing, lab, changed) = (playing.clone(), lab.clone(), changed.clone());
        Callback::from(move |()| {
            if !*playing {
                // Playing from the end starts over.
                let mut lab = lab.borrow_mut();
                if lab.now() >= lab.end() {
                    lab.seek(0);
                }
                drop(lab);
                changed();
            }
            playing.set(!*playing)
        })
    };
    let on_step = {
        let (lab, changed, playing) = (lab.clone(), changed.clone(), playing.clone());
        Callback::from(move |()| {
            playing.set(false);
            lab.borrow_mut().step();
            changed();
        })
    };
    let on_reset = {
        let (lab, controls, commit, changed, playing, run) = (
            lab.clone(),
            *controls,
            commit.clone(),
            changed.clone(),
            playing.clone(),
            run.clone(),
        );
        Callback::from(move |()| {
            playing.set(false);
            // Starting over takes back a crash too.
            let next = FlowConfig {
                crash: NO_CRASH,
                ..controls
            };
            if let Ok(fresh) = FlowLab::new(next.scenario(demo), next.options(demo)) {
                *lab.borrow_mut() = fresh;
                commit(next);
            }
            run.set(*run + 1);
            changed();
        })
    };
    let on_seek = {
        let (lab, changed, playing) = (lab.clone(), changed.clone(), playing.clone());
        Callback::from(move |at: Millis| {
            playing.set(false);
            lab.borrow_mut().seek(at);
            changed();
        })
    };
    let on_operation = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |(operation, key): (&'static str, String)| {
            let mut lab = lab.borrow_mut();
            match operation {
                "Write" => lab.write(&key),
                _ => lab.read(&key),
            }
            drop(lab);
            changed();
        })
    };
    // Arrow keys on the focused diagram (either view) follow the previous or next request.
    let on_follow = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |event: KeyboardEvent| {
            let direction = match event.key().as_str() {
                "ArrowLeft" | "ArrowUp" => -1,
                "ArrowRight" | "ArrowDown" => 1,
                _ => return,
            };
            event.prevent_default();
            if lab.borrow_mut().select_step(direction) {
                changed();
            }
        })
    };
    let on_follow_latest = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |()| {
            lab.borrow_mut().select(None);
            changed();
        })
    };
    let on_select_line = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |request: u32| {
            lab.borrow_mut().select(Some(request));
            changed();
        })
    };
    let on_crash = {
        let (lab, apply) = (lab.clone(), apply.clone());
        Callback::from(move |_| {
            let now = lab.borrow().now();
            apply(FlowConfig { crash: now, ..c });
        })
    };
    let on_update_switch = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(FlowConfig {
                update_on_write: input.checked(),
                ..c
            });
        })
    };
    let on_race = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(FlowConfig {
                race: input.checked(),
                ..c
            });
        })
    };
    let on_strategy = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let strategy = find_choice(&Strategy::ALL, &select.value()).unwrap_or(Strategy::None);
            apply(FlowConfig { strategy, ..c });
        })
    };
    let on_herd = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let herd = find_choice(&Herd::ALL, &select.value()).unwrap_or(Herd::HotKey);
            apply(FlowConfig { herd, ..c });
        })
    };
    let on_negative = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(FlowConfig {
                negative_caching: input.checked(),
                ..c
            });
        })
    };
    let on_speed = {
        let commit = commit.clone();
        Callback::from(move |value: f64| {
            commit(FlowConfig {
                speed: value.clamp(SPEED.min, SPEED.max),
                ..c
            })
        })
    };
    let on_seed = {
        let apply = apply.clone();
        Callback::from(move |seed: u64| apply(FlowConfig { seed, ..c }))
    };

    let view = lab.borrow();
    let stats = view.metrics().clone();
    let stampede = demo == Demo::Stampede;
    let mut items = vec![
        ("Reads", stats.reads.to_string()),
        ("Writes", stats.writes.to_string()),
        ("Hit ratio", percent(stats.hit_ratio())),
        ("DB reads", stats.db_reads.to_string()),
        ("DB writes", stats.db_writes.to_string()),
        ("Stale reads", stats.stale_reads.to_string()),
        ("Lost writes", stats.lost_writes.to_string()),
        (
            "Read p50 / p99",
            format!("{} / {} ms", stats.read_latency.p50, stats.read_latency.p99),
        ),
        (
            "Write p50 / p99",
            format!(
                "{} / {} ms",
                stats.write_latency.p50, stats.write_latency.p99
            ),
        ),
    ];
    if stampede {
        items.retain(|(label, _)| {
            !matches!(
                *label,
                "Writes" | "DB writes" | "Lost writes" | "Write p50 / p99" | "Stale reads"
            )
        });
        items.push(("Waits", stats.waits.to_string()));
    }
    if stats.errors > 0 {
        items.push(("Errors", stats.errors.to_string()));
    }
    let focus = view.focus();
    let now = view.now();
    // The followed request's steps so far: computed once, for the picture, its words and the list.
    let taken = focus
        .map(|request| view.steps(request, false))
        .unwrap_or_default();
    let request_words = focus.map(|request| view.request_label(request));
    let picture = if *sequence {
        let all = focus
            .map(|request| view.steps(request, true))
            .unwrap_or_default();
        let neighbours = focus
            .map(|request| view.neighbours(request, 16))
            .unwrap_or_default();
        flow_sequence(&SequenceInput {
            request: request_words.clone(),
            steps: all,
            neighbours,
            now: view.now(),
            has_queue: view.has_queue(),
        })
    } else {
        let scene = flow_scene::scene(&view, &taken);
        let description = flow_scene::describe(&view, &scene, &taken);
        html! {
            <>
                { flow_diagram(&DiagramInput { scene, description, reduced_motion: reduced_motion() }) }
                <figcaption>{ legend() }</figcaption>
            </>
        }
    };
    let show = |wanted: bool| {
        let sequence = sequence.clone();
        Callback::from(move |_: MouseEvent| sequence.set(wanted))
    };
    let picked = view.selected().is_some();
    let steps: Vec<NarrationStep> = taken
        .into_iter()
        .map(|step| NarrationStep {
            current: step.until > now,
            text: step.text,
        })
        .collect();
    let source = ConsoleSource {
        owner: lab.clone() as Rc<RefCell<dyn HasConsole>>,
        revision: *revision.borrow(),
    };
    let span = (view.end() / LOAD_BUCKET + 1) as usize;
    html! {
        <div class="lab flow-lab">
            { transport(TransportInput { playing: *playing, now: view.now(), horizon: view.end(),
                on_play_pause, on_step, on_reset, on_seek }) }
            <figure class="diagram-panel" onkeydown={on_follow}>
                <div class="view-toggle" role="group" aria-label="View">
                    <button type="button" aria-pressed={(!*sequence).to_string()} onclick={show(false)}>{ "Flow" }</button>
                    <button type="button" aria-pressed={sequence.to_string()} onclick={show(true)}>{ "Sequence" }</button>
                </div>
                { picture }
            </figure>
            <div class="flow-below">
                { flow_narration(&NarrationInput { request: request_words, steps, picked, on_follow_latest }) }
                <div class="key-ops-row">
                    <KeyOps operations={&["Get", "Write"][..]} {on_operation}
                        hint="Keys k0…k49 exist in the database; any other name is a missing row. Your request leaves at the time shown." />
                    if demo == Demo::WriteBehind {
                        <button type="button" class="danger" onclick={on_crash}>{ "Crash cache" }</button>
                    }
                </div>
            </div>
            if let Some(message) = &*problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            <div class="lab-settings">
                if stampede {
                    <label class="select">
                        <span>{ "Workload" }</span>
                        <select onchange={on_herd}>
                            { for Herd::ALL.into_iter().map(|herd| html! {
                                <option value={herd.id()} selected={c.herd == herd}>{ herd.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label class="select">
                        <span>{ "Strategy" }</span>
                        <select onchange={on_strategy}>
                            { for Strategy::ALL.into_iter().map(|strategy| html! {
                                <option value={strategy.id()} selected={c.strategy == strategy}>{ strategy.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={c.negative_caching} onchange={on_negative} />
                        <span>{ "Negative caching" }</span>
                    </label>
                    { slider("Clients", c.clients as f64, &STAMPEDE_CLIENTS, count(c.clients, "client", "clients"), |c, v| FlowConfig { clients: v.round() as u64, ..c }) }
                    { slider("TTL", c.ttl as f64, &STAMPEDE_TTL, format!("{} ms", c.ttl), |c, v| FlowConfig { ttl: v.round() as Millis, ..c }) }
                } else {
                    { slider("Cache size", c.size as f64, &SIZE, count(c.size, "entry", "entries"), |c, v| FlowConfig { size: v.round() as u64, ..c }) }
                    { slider("TTL", c.ttl as f64, &TTL, if c.ttl == 0 { "off".to_owned() } else { format!("{} ms", c.ttl) }, |c, v| FlowConfig { ttl: v.round() as Millis, ..c }) }
                    { slider("Read ratio", c.read_percent as f64, &READS, format!("{}% reads", c.read_percent), |c, v| FlowConfig { read_percent: v.round() as u64, ..c }) }
                    { slider("Skew", c.skew, &SKEW, format!("Zipf {:.1}", c.skew), |c, v| FlowConfig { skew: (v * 10.0).round() / 10.0, ..c }) }
                    { slider("Clients", c.clients as f64, &CLIENTS, count(c.clients, "client", "clients"), |c, v| FlowConfig { clients: v.round() as u64, ..c }) }
                }
                { slider("DB latency", c.db_latency as f64, &LATENCY, format!("{} ms", c.db_latency), |c, v| FlowConfig { db_latency: v.round() as Millis, ..c }) }
                { range_slider(SliderInput { id: format!("{}-speed", demo.id()), label: "Speed", value: c.speed,
                    min: SPEED.min, max: SPEED.max, step: SPEED.step,
                    display: format!("{} ms per second", c.speed), on_change: on_speed }) }
                <SeedField id={format!("{}-seed", demo.id())} value={c.seed} on_change={on_seed} />
                if demo == Demo::CacheAside {
                    <label class="check">
                        <input type="checkbox" checked={c.update_on_write} onchange={on_update_switch} />
                        <span>{ "Update the cache on write (instead of delete)" }</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={c.race} onchange={on_race} />
                        <span>{ "Two writers race" }</span>
                    </label>
                }
            </div>
            <div class="flow-stage">
                { stats_panel("Stats", items) }
                if stampede {
                    { bar_chart(&BarChartInput { title: "Database load", values: view.db_load(), bucket: LOAD_BUCKET, span, unit: "database reads" }) }
                }
            </div>
            <Console key={*run} {source} kinds={KINDS} selected={focus} on_select={on_select_line} />
        </div>
    }
}
