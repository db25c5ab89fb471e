//! The write-pattern demos (cache-aside, read-through, write-through, write-behind, write-around),
//! the stampede and e-commerce demos, and Compare: a scenario of the engine's model drawn as a
//! diagram of what each node holds and what is on the wire, the followed request's steps, the
//! reader's own reads and writes, a crash button, time travel, stats and the console (whose lines
//! select a request to follow). Compare draws the five write patterns' runs side by side instead.

use super::bar_chart::{BarChartInput, bar_chart};
use super::controls::{
    Console, ConsoleSource, HasConsole, KeyRequest, SliderInput, TransportInput, count, key_ops,
    percent, range_slider, seed_field, slider_id, stats_panel, transport,
};
use super::flow_diagram::{DiagramInput, flow_diagram, legend};
use super::flow_narration::{NarrationInput, NarrationStep, flow_narration};
use super::flow_sequence::{SequenceInput, flow_sequence};
use crate::app::flow_scene;
use crate::app::hooks::{DemoState, use_demo_state};
use crate::config::DemoConfig;
use crate::config::demo::Demo;
use crate::config::fields::{Choice, DecimalField, DurationField, IntField, find_choice};
use crate::config::flow::{
    BACKOFF, CLIENTS, FlowConfig, Herd, LATENCY, LOCK_TTL, READS, SHOP_SIZE, SIZE, SKEW, SPEED,
    STAMPEDE_CLIENTS, STAMPEDE_TTL, Strategy, TTL,
};
use crate::engine::events::Millis;
use crate::engine::lab::flow::DataType;
use crate::engine::lab::flow::LOAD_BUCKET;
use crate::engine::lab::{ConsoleLog, FlowLab, LineKind};
use crate::engine::model::GroupMetrics;
use yew::prelude::*;

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
    LineKind::Lock,
    LineKind::Retry,
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

/// A table of figures with a row per kind of data (the e-commerce service) or per pattern
/// (Compare): each row's class (its colour), its name, and its cells under `columns`.
fn metrics_table(
    title: &'static str,
    columns: &[&'static str],
    rows: Vec<(String, &'static str, Vec<String>)>,
) -> Html {
    html! {
        <section class="stats by-type" aria-label={title}>
            <h2>{ title }</h2>
            <table>
                <thead>
                    <tr>
                        { for columns.iter().map(|column| html! { <th scope="col">{ *column }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.into_iter().map(|(class, name, cells)| html! {
                        <tr {class}>
                            <th scope="row"><span class="swatch" aria-hidden="true"></span>{ name }</th>
                            { for cells.into_iter().map(|cell| html! { <td>{ cell }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// The metrics of each kind of data (the e-commerce service).
fn by_data_type(types: &[DataType], groups: &[GroupMetrics]) -> Html {
    let rows = types
        .iter()
        .zip(groups)
        .map(|(data, group)| {
            let cells = vec![
                percent(group.hit_ratio()),
                group.stale_reads.to_string(),
                group.lost_writes.to_string(),
                group.db_reads.to_string(),
                group.db_writes.to_string(),
            ];
            (format!("dt-{}", data.id), data.label, cells)
        })
        .collect();
    let columns = [
        "Kind",
        "Hit ratio",
        "Stale reads",
        "Lost writes",
        "DB reads",
        "DB writes",
    ];
    metrics_table("By kind of data", &columns, rows)
}

/// Compare: each pattern's diagram, small, and a table of their figures at the moment shown.
fn comparison(labs: &[FlowLab], reduced_motion: bool) -> Html {
    let patterns = Demo::PATTERNS.iter().zip(labs);
    let rows = patterns
        .clone()
        .map(|(pattern, lab)| {
            let m = lab.metrics();
            let cells = vec![
                percent(m.hit_ratio()),
                m.stale_reads.to_string(),
                m.lost_writes.to_string(),
                m.db_reads.to_string(),
                m.db_writes.to_string(),
                format!("{} / {} ms", m.read_latency.p50, m.read_latency.p99),
                format!("{} / {} ms", m.write_latency.p50, m.write_latency.p99),
            ];
            (String::new(), pattern.nav_label(), cells)
        })
        .collect();
    let columns = [
        "Pattern",
        "Hit ratio",
        "Stale reads",
        "Lost writes",
        "DB reads",
        "DB writes",
        "Read p50 / p99",
        "Write p50 / p99",
    ];
    html! {
        <>
            { metrics_table("Side by side", &columns, rows) }
            <div class="compare-grid">
                { for patterns.map(|(pattern, lab)| {
                    let scene = flow_scene::scene(lab, &[]);
                    let description = format!("{}: {}", pattern.nav_label(), flow_scene::describe(lab, &scene, &[]));
                    html! {
                        <figure class="compare-card">
                            <figcaption>{ pattern.nav_label() }</figcaption>
                            { flow_diagram(&DiagramInput { scene, description, reduced_motion }) }
                        </figure>
                    }
                }) }
            </div>
            { legend(false, &[]) }
        </>
    }
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

/// The demo's state: its lab, its settings, the transport and the view chosen.
pub struct FlowState {
    demo: Demo,
    /// One run per pattern shown: one, or Compare's five (same workload, same clock).
    labs: Vec<FlowLab>,
    controls: FlowConfig,
    playing: bool,
    /// Why the settings asked for could not run, until the next change that works.
    problem: Option<String>,
    /// Counts new runs: the console starts afresh with each (filter and Clear included).
    run: u64,
    /// Flow (the boxes and arrows) or Sequence (the followed request in time).
    sequence: bool,
    /// Virtual milliseconds owed by earlier frames, below one.
    carry: f64,
}

/// What the reader (or the clock) can do to a write-pattern or stampede demo.
pub enum FlowAction {
    /// An animation frame, real milliseconds after the previous one.
    Frame(f64),
    PlayPause,
    Step,
    /// Starts over (taking back a crash the reader caused too).
    Reset,
    Seek(Millis),
    Read(String),
    Write(String),
    /// Follow the previous (-1) or next (1) request.
    Follow(i32),
    FollowLatest,
    Select(u32),
    /// New settings: the same scenario keeps the reader's requests; another starts afresh.
    Settings(FlowConfig),
    /// Crash the cache at the moment shown.
    Crash,
    /// Something the reader asked for that cannot be done, in words.
    Refuse(String),
    ShowSequence(bool),
}

/// The runs `demo` shows with `config`, one per pattern.
fn build(demo: Demo, config: &FlowConfig) -> Result<Vec<FlowLab>, String> {
    // A plain loop: collecting into a `Result` adds an iterator adapter to the bundle (2 KB).
    let mut labs = Vec::new();
    for pattern in FlowConfig::patterns(demo) {
        labs.push(FlowLab::new(
            config.scenario(pattern),
            config.run_options(demo, pattern),
        )?);
    }
    Ok(labs)
}

impl FlowState {
    /// Settings a link asked for may not fit together (TTL jitter on one key): then the defaults
    /// run, and the demo says why.
    fn new(demo: Demo, asked: FlowConfig) -> FlowState {
        let (controls, labs, problem) = match build(demo, &asked) {
            Ok(labs) => (asked, labs, None),
            Err(message) => {
                let defaults = FlowConfig::defaults(demo);
                let labs = build(demo, &defaults).expect("the defaults are valid");
                let why = format!("{message}. The default settings are used instead.");
                (defaults, labs, Some(why))
            }
        };
        FlowState {
            demo,
            labs,
            controls,
            playing: false,
            problem,
            run: 0,
            sequence: false,
            carry: 0.0,
        }
    }

    /// The run the diagram, the steps and the console follow (Compare: cache-aside's).
    fn lab(&self) -> &FlowLab {
        &self.labs[0]
    }

    fn lab_mut(&mut self) -> &mut FlowLab {
        &mut self.labs[0]
    }

    /// When the last of the runs ends.
    fn end(&self) -> Millis {
        self.labs.iter().map(FlowLab::end).max().unwrap_or(0)
    }

    /// Shows every run at `at`.
    fn seek(&mut self, at: Millis) {
        for lab in &mut self.labs {
            lab.seek(at);
        }
    }

    fn settle(&mut self, next: FlowConfig) {
        let demo = self.demo;
        let same_run = FlowConfig {
            speed: self.controls.speed,
            ..next
        } == self.controls;
        if same_run {
            self.controls = next; // only the speed: the run stays as it is
            return;
        }
        let outcome = if next.scenario(demo) == self.controls.scenario(demo) {
            let mut outcome = Ok(());
            for (pattern, lab) in FlowConfig::patterns(demo).into_iter().zip(&mut self.labs) {
                outcome = lab.set_options(next.run_options(demo, pattern));
                if outcome.is_err() {
                    break;
                }
            }
            outcome
        } else {
            build(demo, &next).map(|fresh| {
                self.labs = fresh;
                self.run += 1;
            })
        };
        match outcome {
            Ok(()) => {
                self.problem = None;
                self.controls = next;
            }
            Err(message) => self.problem = Some(format!("{message}. The previous setting stays.")),
        }
    }
}

impl HasConsole for FlowState {
    fn console(&self) -> &ConsoleLog {
        self.lab().console()
    }
}

impl DemoState for FlowState {
    type Action = FlowAction;

    fn apply(&mut self, action: FlowAction) -> bool {
        match action {
            FlowAction::Frame(gap) => {
                self.carry += gap / 1000.0 * self.controls.speed;
                let whole = self.carry.floor();
                self.carry -= whole;
                if whole < 1.0 {
                    return false;
                }
                let at = self.lab().now() + whole as Millis;
                self.seek(at);
                if at >= self.end() {
                    self.playing = false;
                }
            }
            FlowAction::PlayPause => {
                // Playing from the end starts over.
                if !self.playing && self.lab().now() >= self.end() {
                    self.seek(0);
                }
                self.playing = !self.playing;
            }
            FlowAction::Step => {
                self.playing = false;
                self.lab_mut().step();
                let at = self.lab().now();
                for lab in &mut self.labs[1..] {
                    lab.seek(at);
                }
            }
            FlowAction::Reset => {
                self.playing = false;
                let next = FlowConfig {
                    crash: FlowConfig::defaults(self.demo).crash,
                    ..self.controls
                };
                if let Ok(fresh) = build(self.demo, &next) {
                    self.labs = fresh;
                    self.controls = next;
                }
                self.run += 1;
            }
            FlowAction::Seek(at) => {
                self.playing = false;
                self.seek(at);
            }
            FlowAction::Read(key) => self.lab_mut().read(&key),
            FlowAction::Write(key) => self.lab_mut().write(&key),
            FlowAction::Follow(direction) => return self.lab_mut().select_step(direction),
            FlowAction::FollowLatest => self.lab_mut().select(None),
            FlowAction::Select(request) => self.lab_mut().select(Some(request)),
            FlowAction::Settings(next) => self.settle(next),
            FlowAction::Crash => {
                let crash = self.lab().now();
                self.settle(FlowConfig {
                    crash,
                    ..self.controls
                });
            }
            FlowAction::ShowSequence(sequence) => self.sequence = sequence,
            FlowAction::Refuse(message) => self.problem = Some(message),
        }
        true
    }

    fn frame(gap: f64) -> Option<FlowAction> {
        Some(FlowAction::Frame(gap))
    }

    fn running(&self) -> bool {
        self.playing
    }

    fn settings(&self) -> DemoConfig {
        DemoConfig::Flow(self.controls)
    }
}

#[component]
pub fn FlowDemo(props: &FlowDemoProps) -> Html {
    let demo = props.demo;
    let state = use_demo_state(
        || FlowState::new(demo, props.config),
        || DemoConfig::Flow(props.config),
        &props.on_change,
    );
    let act = state.dispatcher().to_callback();
    let held = state.borrow();
    let c = held.controls;
    let slider = |label: &'static str,
                  value: f64,
                  field: &dyn SliderRange,
                  display: String,
                  set: fn(FlowConfig, f64) -> FlowConfig| {
        let (min, max, step) = field.range();
        range_slider(SliderInput {
            id: slider_id(demo.id(), label),
            label,
            value,
            min,
            max,
            step,
            display,
            on_change: act.reform(move |v: f64| FlowAction::Settings(set(c, v.clamp(min, max)))),
        })
    };
    // Arrow keys on the focused diagram (either view) follow the previous or next request.
    let on_follow = {
        let act = act.clone();
        Callback::from(move |event: KeyboardEvent| {
            let direction = match event.key().as_str() {
                "ArrowLeft" | "ArrowUp" => -1,
                "ArrowRight" | "ArrowDown" => 1,
                _ => return,
            };
            event.prevent_default();
            act.emit(FlowAction::Follow(direction));
        })
    };
    let checked = |set: fn(FlowConfig, bool) -> FlowConfig| {
        act.reform(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            FlowAction::Settings(set(c, input.checked()))
        })
    };
    let on_strategy = act.reform(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        let strategy = find_choice(&Strategy::ALL, &select.value()).unwrap_or(Strategy::None);
        FlowAction::Settings(FlowConfig { strategy, ..c })
    });
    let on_herd = act.reform(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        let herd = find_choice(&Herd::ALL, &select.value()).unwrap_or(Herd::HotKey);
        FlowAction::Settings(FlowConfig { herd, ..c })
    });
    let on_operation = act.reform(|request: KeyRequest| match request {
        Ok(("Write", key)) => FlowAction::Write(key),
        Ok((_, key)) => FlowAction::Read(key),
        Err(message) => FlowAction::Refuse(message),
    });

    let view = held.lab();
    let stats = view.metrics();
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
    } else {
        // What a write pattern does to the cache: how often it stores, and what it stores for
        // nothing. Write-around keeps every write out of it.
        items.push(("Cache writes", stats.cache_sets.to_string()));
        if demo == Demo::WriteAround {
            items.push(("Cache writes saved", stats.writes.to_string()));
        }
        items.push(("Never read", stats.never_read.to_string()));
    }
    if stats.errors > 0 {
        items.push(("Errors", stats.errors.to_string()));
    }
    let locking = stampede && c.strategy == Strategy::Lock;
    if locking {
        items.push(("Retries", stats.retries.to_string()));
        items.push(("Locks expired", stats.lock_expiries.to_string()));
    }
    let focus = view.focus();
    let now = view.now();
    // The followed request's steps so far: computed once, for the picture, its words and the list.
    let taken = focus
        .map(|request| view.steps(request, false))
        .unwrap_or_default();
    let request_words = focus.map(|request| view.request_label(request));
    let compare = demo == Demo::Compare;
    let picture = if compare {
        comparison(&held.labs, reduced_motion())
    } else if held.sequence {
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
        let scene = flow_scene::scene(view, &taken);
        let description = flow_scene::describe(view, &scene, &taken);
        html! {
            <>
                { flow_diagram(&DiagramInput { scene, description, reduced_motion: reduced_motion() }) }
                <figcaption>{ legend(locking, view.data_types()) }</figcaption>
            </>
        }
    };
    let show = |wanted: bool| act.reform(move |_: MouseEvent| FlowAction::ShowSequence(wanted));
    let picked = view.selected().is_some();
    let steps: Vec<NarrationStep> = taken
        .into_iter()
        .map(|step| NarrationStep {
            current: step.until > now,
            text: step.text,
        })
        .collect();
    let source = ConsoleSource::of(&state);
    let span = (view.end() / LOAD_BUCKET + 1) as usize;
    html! {
        <div class="lab flow-lab">
            { transport(TransportInput { playing: held.playing, now: view.now(), horizon: held.end(),
                on_play_pause: act.reform(|()| FlowAction::PlayPause), on_step: act.reform(|()| FlowAction::Step),
                on_reset: act.reform(|()| FlowAction::Reset), on_seek: act.reform(FlowAction::Seek) }) }
            if compare {
                { picture }
                <button type="button" class="danger" onclick={act.reform(|_| FlowAction::Crash)}>{ "Crash every cache now" }</button>
            } else {
            <figure class="diagram-panel" onkeydown={on_follow}>
                <div class="view-toggle" role="group" aria-label="View">
                    <button type="button" aria-pressed={(!held.sequence).to_string()} onclick={show(false)}>{ "Flow" }</button>
                    <button type="button" aria-pressed={held.sequence.to_string()} onclick={show(true)}>{ "Sequence" }</button>
                </div>
                { picture }
            </figure>
            <div class="flow-below">
                { flow_narration(&NarrationInput { request: request_words, steps, picked,
                    on_follow_latest: act.reform(|()| FlowAction::FollowLatest) }) }
                <div class="key-ops-row">
                    { key_ops(&["Get", "Write"], &on_operation, if view.data_types().is_empty() {
                        "Keys k0…k49 exist in the database; any other name is a missing row. Your request leaves at the time shown."
                    } else {
                        "Keys are named by kind: prod:7, sess:2, evt:40, price:7, prof:2, recs:2; each follows its kind's pattern."
                    }) }
                    if demo.can_crash() {
                        <button type="button" class="danger" onclick={act.reform(|_| FlowAction::Crash)}>{ "Crash cache" }</button>
                    }
                </div>
            </div>
            }
            if let Some(message) = &held.problem {
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
                    if c.strategy == Strategy::Lock {
                        { slider("Lock TTL", c.lock_ttl as f64, &LOCK_TTL, format!("{} ms", c.lock_ttl), |c, v| FlowConfig { lock_ttl: v.round() as Millis, ..c }) }
                        { slider("Back-off", c.backoff as f64, &BACKOFF, format!("{} ms", c.backoff), |c, v| FlowConfig { backoff: v.round() as Millis, ..c }) }
                    }
                    <label class="check">
                        <input type="checkbox" checked={c.negative_caching} onchange={checked(|c, negative_caching| FlowConfig { negative_caching, ..c })} />
                        <span>{ "Negative caching" }</span>
                    </label>
                    { slider("Clients", c.clients as f64, &STAMPEDE_CLIENTS, count(c.clients, "client", "clients"), |c, v| FlowConfig { clients: v.round() as u64, ..c }) }
                    { slider("TTL", c.ttl as f64, &STAMPEDE_TTL, format!("{} ms", c.ttl), |c, v| FlowConfig { ttl: v.round() as Millis, ..c }) }
                } else if demo == Demo::ECommerce {
                    { slider("Cache size", c.size as f64, &SHOP_SIZE, count(c.size, "entry", "entries"), |c, v| FlowConfig { size: v.round() as u64, ..c }) }
                    { slider("TTL", c.ttl as f64, &TTL, if c.ttl == 0 { "off".to_owned() } else { format!("{} ms", c.ttl) }, |c, v| FlowConfig { ttl: v.round() as Millis, ..c }) }
                    { slider("Skew", c.skew, &SKEW, format!("Zipf {:.1}", c.skew), |c, v| FlowConfig { skew: (v * 10.0).round() / 10.0, ..c }) }
                    { slider("Users", c.clients as f64, &CLIENTS, count(c.clients, "user", "users"), |c, v| FlowConfig { clients: v.round() as u64, ..c }) }
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
                    display: format!("{} ms per second", c.speed),
                    on_change: act.reform(move |v: f64| FlowAction::Settings(FlowConfig { speed: v.clamp(SPEED.min, SPEED.max), ..c })) }) }
                { seed_field(format!("{}-seed", demo.id()), c.seed, &act.reform(move |seed: Result<u64, String>| match seed {
                    Ok(seed) => FlowAction::Settings(FlowConfig { seed, ..c }),
                    Err(message) => FlowAction::Refuse(message),
                })) }
                if demo == Demo::CacheAside {
                    <label class="check">
                        <input type="checkbox" checked={c.update_on_write} onchange={checked(|c, update_on_write| FlowConfig { update_on_write, ..c })} />
                        <span>{ "Update the cache on write (instead of delete)" }</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={c.race} onchange={checked(|c, race| FlowConfig { race, ..c })} />
                        <span>{ "Two writers race" }</span>
                    </label>
                }
            </div>
            if !compare {
            <div class="flow-stage">
                { stats_panel("Stats", items) }
                if !view.data_types().is_empty() {
                    { by_data_type(view.data_types(), &stats.groups) }
                }
                if stampede {
                    { bar_chart(&BarChartInput { title: "Database load", values: view.db_load(), bucket: LOAD_BUCKET, span, unit: "database reads" }) }
                }
            </div>
            <Console key={held.run} {source} kinds={KINDS} selected={focus} on_select={act.reform(FlowAction::Select)} />
            }
        </div>
    }
}
