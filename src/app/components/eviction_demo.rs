//! The eviction demos (LRU, LFU, TTL): a small cache drawn as slots, a policy selector offering
//! every engine policy, the reader's Get and Put, a seeded workload on Play, and time travel.

use super::controls::{
    Console, ConsoleSource, HasConsole, KeyRequest, SliderInput, TransportInput, count, key_ops,
    percent, range_slider, seed_field, stats_panel, transport,
};
use super::slots::{SlotsInput, slots};
use crate::app::hooks::{DemoState, use_demo_state};
use crate::config::demo::Demo;
use crate::config::eviction::{EvictionConfig, KEYS, SIZE, SKEW, SPEED, TTL};
use crate::config::{DemoConfig, opt_refusal};
use crate::engine::events::Millis;
use crate::engine::lab::eviction::seconds;
use crate::engine::lab::{ConsoleLog, EvictionLab, LineKind};
use crate::engine::policy::{Capacity, PolicyKind};
use yew::prelude::*;

const KINDS: &[LineKind] = &[
    LineKind::Hit,
    LineKind::Miss,
    LineKind::Set,
    LineKind::Evict,
    LineKind::Expire,
    LineKind::Reject,
    LineKind::Setting,
];

/// How long a departed key stays on screen, in virtual time.
const DEPARTURE_SHOWN: Millis = 1_500;

#[derive(Properties, PartialEq)]
pub struct EvictionDemoProps {
    /// Which eviction demo.
    pub demo: Demo,
    /// The settings to start from.
    pub config: EvictionConfig,
    /// Called with every change of the settings.
    pub on_change: Callback<DemoConfig>,
}

/// The demo's state: its lab, its settings and the transport.
pub struct EvictionState {
    lab: EvictionLab,
    controls: EvictionConfig,
    playing: bool,
    /// Why the last change could not be made, until the next that works.
    problem: Option<String>,
    /// Counts new runs: the console starts afresh with each.
    run: u64,
    /// Virtual milliseconds owed by earlier frames, below one.
    carry: f64,
}

/// What the reader (or the clock) can do to an eviction demo.
pub enum EvictionAction {
    /// An animation frame, real milliseconds after the previous one.
    Frame(f64),
    PlayPause,
    Step,
    Reset,
    Seek(Millis),
    Get(String),
    Put(String),
    /// New settings. Size, TTL and speed apply to the cache as it is; the others rebuild it.
    Settings(EvictionConfig),
    /// Something the reader asked for that cannot be done, in words.
    Refuse(String),
}

impl EvictionState {
    fn new(demo: Demo, asked: EvictionConfig) -> EvictionState {
        let (controls, lab) = match EvictionLab::new(asked.settings()) {
            Ok(lab) => (asked, lab),
            Err(_) => {
                let defaults = EvictionConfig::defaults(demo);
                let lab = EvictionLab::new(defaults.settings()).expect("the defaults are valid");
                (defaults, lab)
            }
        };
        EvictionState {
            lab,
            controls,
            playing: false,
            problem: None,
            run: 0,
            carry: 0.0,
        }
    }

    fn settle(&mut self, next: EvictionConfig) {
        let was = self.controls;
        let in_place = EvictionConfig {
            size: was.size,
            ttl: was.ttl,
            speed: was.speed,
            ..next
        } == was;
        if !in_place {
            if let Err(message) = self.lab.reconfigure(next.settings()) {
                self.problem = Some(message);
                return;
            }
        } else {
            if next.size != was.size
                && let Ok(capacity) = Capacity::new(u128::from(next.size))
            {
                self.lab.resize(capacity);
            }
            if next.ttl != was.ttl {
                self.lab.set_ttl(next.ttl());
            }
        }
        self.problem = None;
        self.controls = next;
    }
}

impl HasConsole for EvictionState {
    fn console(&self) -> &ConsoleLog {
        self.lab.console()
    }
}

impl DemoState for EvictionState {
    type Action = EvictionAction;

    fn apply(&mut self, action: EvictionAction) -> bool {
        match action {
            EvictionAction::Frame(gap) => {
                self.carry += gap * self.controls.speed;
                let whole = self.carry.floor();
                self.carry -= whole;
                if whole < 1.0 {
                    return false;
                }
                self.lab.play_to(self.lab.now() + whole as Millis);
            }
            EvictionAction::PlayPause => self.playing = !self.playing,
            EvictionAction::Step => {
                self.playing = false;
                self.lab.step();
            }
            EvictionAction::Reset => {
                self.playing = false;
                if let Ok(fresh) = EvictionLab::new(self.controls.settings()) {
                    self.lab = fresh;
                }
                self.run += 1;
            }
            EvictionAction::Seek(at) => {
                self.playing = false;
                self.lab.seek(at);
            }
            EvictionAction::Get(key) => self.lab.get(&key),
            EvictionAction::Put(key) => self.lab.put(&key),
            EvictionAction::Settings(next) => self.settle(next),
            EvictionAction::Refuse(message) => self.problem = Some(message),
        }
        true
    }

    fn frame(gap: f64) -> Option<EvictionAction> {
        Some(EvictionAction::Frame(gap))
    }

    fn running(&self) -> bool {
        self.playing
    }

    fn settings(&self) -> DemoConfig {
        DemoConfig::Eviction(self.controls)
    }
}

#[component]
pub fn EvictionDemo(props: &EvictionDemoProps) -> Html {
    let demo = props.demo;
    let state = use_demo_state(
        || EvictionState::new(demo, props.config),
        || DemoConfig::Eviction(props.config),
        &props.on_change,
    );
    let act = state.dispatcher().to_callback();
    let held = state.borrow();
    let c = held.controls;
    let settings = |set: fn(EvictionConfig, f64) -> EvictionConfig| {
        act.reform(move |value: f64| EvictionAction::Settings(set(c, value)))
    };
    let on_policy = act.reform(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        match select.value().parse::<PolicyKind>() {
            Ok(PolicyKind::Opt) => EvictionAction::Refuse(format!(
                "OPT {}. The policy stays as it was.",
                opt_refusal().1
            )),
            Ok(policy) => EvictionAction::Settings(EvictionConfig { policy, ..c }),
            Err(error) => EvictionAction::Refuse(error.to_string()),
        }
    });
    let on_operation = act.reform(|request: KeyRequest| match request {
        Ok(("Put", key)) => EvictionAction::Put(key),
        Ok((_, key)) => EvictionAction::Get(key),
        Err(message) => EvictionAction::Refuse(message),
    });

    let view = &held.lab;
    let (groups, note) = view.groups();
    let stats = *view.stats();
    let stats_items = vec![
        ("Hits", stats.hits.to_string()),
        ("Misses", stats.misses.to_string()),
        ("Hit ratio", percent(stats.hit_ratio())),
        ("Evictions", stats.evictions_capacity.to_string()),
        ("Expired", stats.evictions_expired.to_string()),
        ("Entries", stats.size.to_string()),
    ];
    let source = ConsoleSource::of(&state);
    let id = demo.id();
    html! {
        <div class="lab eviction-lab">
            <div class="lab-settings">
                <label class="select">
                    <span>{ "Policy" }</span>
                    <select onchange={on_policy}>
                        { for PolicyKind::ALL.iter().map(|policy| html! {
                            <option value={policy.id()} selected={*policy == c.policy}>
                                { policy.label() }
                            </option>
                        }) }
                    </select>
                </label>
                { range_slider(SliderInput { id: format!("{id}-size"), label: "Cache size", value: c.size as f64,
                    min: SIZE.min as f64, max: SIZE.max as f64, step: 1.0,
                    display: count(c.size, "entry", "entries"), on_change: settings(|c, v| EvictionConfig { size: (v.round() as u64).clamp(SIZE.min, SIZE.max), ..c }) }) }
                { range_slider(SliderInput { id: format!("{id}-ttl"), label: "TTL", value: (c.ttl / 1000) as f64,
                    min: (TTL.min / 1000) as f64, max: (TTL.max / 1000) as f64, step: 1.0,
                    display: if c.ttl == 0 { "off".to_owned() } else { seconds(c.ttl) }, on_change: settings(|c, v| EvictionConfig { ttl: ((v.round() as u64) * 1000).clamp(TTL.min, TTL.max), ..c }) }) }
                { range_slider(SliderInput { id: format!("{id}-keys"), label: "Keys", value: c.keys as f64,
                    min: KEYS.min as f64, max: KEYS.max as f64, step: 1.0,
                    display: format!("{} keys (a–{})", c.keys, crate::engine::lab::key_names::workload_key_name(c.keys - 1)),
                    on_change: settings(|c, v| EvictionConfig { keys: (v.round() as u64).clamp(KEYS.min, KEYS.max), ..c }) }) }
                { range_slider(SliderInput { id: format!("{id}-skew"), label: "Skew", value: c.skew,
                    min: SKEW.min, max: SKEW.max, step: SKEW.step,
                    display: format!("Zipf {:.1}", c.skew), on_change: settings(|c, v| EvictionConfig { skew: (v.clamp(SKEW.min, SKEW.max) * 10.0).round() / 10.0, ..c }) }) }
                { range_slider(SliderInput { id: format!("{id}-speed"), label: "Speed", value: c.speed,
                    min: SPEED.min, max: SPEED.max, step: SPEED.step,
                    display: format!("{} s per second", c.speed), on_change: settings(|c, v| EvictionConfig { speed: v.clamp(SPEED.min, SPEED.max), ..c }) }) }
                { seed_field(format!("{id}-seed"), c.seed, &act.reform(move |seed: Result<u64, String>| match seed {
                    Ok(seed) => EvictionAction::Settings(EvictionConfig { seed, ..c }),
                    Err(message) => EvictionAction::Refuse(message),
                })) }
            </div>
            if let Some(message) = &held.problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            { transport(TransportInput { playing: held.playing, now: view.now(), horizon: view.horizon(),
                on_play_pause: act.reform(|()| EvictionAction::PlayPause), on_step: act.reform(|()| EvictionAction::Step),
                on_reset: act.reform(|()| EvictionAction::Reset), on_seek: act.reform(EvictionAction::Seek) }) }
            { key_ops(&["Get", "Put"], &on_operation,
                "Play sends the workload: a request every 0.5 s of virtual time; a miss stores the key.") }
            <div class="lab-stage">
                { slots(&SlotsInput { groups, note, departure: view.recent_departure(DEPARTURE_SHOWN).cloned(),
                    used: stats.size as usize, capacity: view.capacity() }) }
                { stats_panel("Stats", stats_items) }
            </div>
            <Console key={held.run} {source} kinds={KINDS} />
        </div>
    }
}
