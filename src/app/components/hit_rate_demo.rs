//! The hit-rate simulation: a seeded workload replayed through the chosen policies, a slice per
//! animation frame, drawing the hit ratio over time and then the miss-ratio curve with OPT.

use super::controls::{
    Console, ConsoleSource, HasConsole, SliderInput, percent, range_slider, seed_field, slider_id,
    stats_panel,
};
use super::line_chart::{Line, LineChartInput, format_count, line_chart};
use crate::app::hooks::{DemoState, use_demo_state};
use crate::config::DemoConfig;
use crate::config::fields::{Choice, find_choice};
use crate::config::hit_rate::{HitRateConfig, KEYS, REQUESTS, SIZE, SKEW, SPEED, WorkloadKind};
use crate::engine::lab::{ConsoleLog, HitRateLab, LineKind, hit_rate};
use crate::engine::policy::PolicyKind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HitRateDemoProps {
    /// The settings to start from.
    pub config: HitRateConfig,
    /// Called with every change of the settings.
    pub on_change: Callback<DemoConfig>,
}

/// Real milliseconds of simulation per animation frame at most, so that drawing keeps up and no
/// task blocks the page for long, whatever the speed asks for (slow machines do less per frame).
const FRAME_BUDGET_MS: f64 = 12.0;

/// Policy requests per slice between two looks at the clock.
const SLICE: usize = 4_000;

/// Advances the simulation by up to `budget` policy requests, in slices, stopping early once
/// [`FRAME_BUDGET_MS`] of real time has gone. The engine never reads a clock; the page does.
fn advance_for_a_frame(lab: &mut HitRateLab, budget: usize) -> bool {
    let clock = web_sys::window().and_then(|window| window.performance());
    let now = || clock.as_ref().map_or(0.0, |clock| clock.now());
    let start = now();
    let mut left = budget;
    loop {
        let slice = left.min(SLICE);
        if lab.advance(slice) {
            return true;
        }
        left -= slice;
        if left == 0 || now() - start >= FRAME_BUDGET_MS {
            return false;
        }
    }
}

/// The demo's state: the run, its settings and whether it goes on.
pub struct HitRateState {
    lab: HitRateLab,
    controls: HitRateConfig,
    running: bool,
    /// Why the last change could not be made, until the next that works.
    problem: Option<String>,
    /// Counts runs: the console starts afresh with each.
    run: u64,
}

/// What the reader (or the clock) can do to the hit-rate simulation.
pub enum HitRateAction {
    /// An animation frame: replay the next slice.
    Frame,
    PauseResume,
    /// New settings; all but the speed start a new run.
    Settings(HitRateConfig),
    /// The same settings again, from the first request.
    Rerun,
    /// Something the reader asked for that cannot be done, in words.
    Refuse(String),
}

impl HitRateState {
    /// Settings a link asked for that cannot run give way to the defaults, and the demo says why.
    fn new(asked: HitRateConfig) -> HitRateState {
        let (lab, controls, problem) = match HitRateLab::new(asked.settings()) {
            Ok(lab) => (lab, asked, None),
            Err(message) => {
                let defaults = HitRateConfig::default();
                let lab = HitRateLab::new(defaults.settings()).expect("the defaults are valid");
                let why = format!("{message}. The default settings are used instead.");
                (lab, defaults, Some(why))
            }
        };
        HitRateState {
            lab,
            controls,
            running: true,
            problem,
            run: 0,
        }
    }

    fn restart(&mut self, next: HitRateConfig) {
        match HitRateLab::new(next.settings()) {
            Ok(fresh) => {
                self.lab = fresh;
                self.run += 1;
                self.problem = None;
                self.controls = next;
                self.running = true;
            }
            Err(message) => self.problem = Some(format!("{message}; the previous run stays.")),
        }
    }
}

impl HasConsole for HitRateState {
    fn console(&self) -> &ConsoleLog {
        self.lab.console()
    }
}

impl DemoState for HitRateState {
    type Action = HitRateAction;

    fn apply(&mut self, action: HitRateAction) -> bool {
        match action {
            HitRateAction::Frame => {
                let budget = (self.controls.speed * 1000.0) as usize;
                if advance_for_a_frame(&mut self.lab, budget) {
                    self.running = false;
                }
            }
            HitRateAction::PauseResume => self.running = !self.running,
            HitRateAction::Settings(next) => {
                let same_run = HitRateConfig {
                    speed: self.controls.speed,
                    ..next.clone()
                } == self.controls;
                if same_run {
                    self.controls = next;
                } else {
                    self.restart(next);
                }
            }
            HitRateAction::Rerun => self.restart(self.controls.clone()),
            HitRateAction::Refuse(message) => self.problem = Some(message),
        }
        true
    }

    fn frame(_: f64) -> Option<HitRateAction> {
        Some(HitRateAction::Frame)
    }

    fn running(&self) -> bool {
        self.running
    }

    fn settings(&self) -> DemoConfig {
        DemoConfig::HitRate(self.controls.clone())
    }
}

#[component]
pub fn HitRateDemo(props: &HitRateDemoProps) -> Html {
    let state = use_demo_state(
        || HitRateState::new(props.config.clone()),
        || DemoConfig::HitRate(props.config.clone()),
        &props.on_change,
    );
    let act = state.dispatcher().to_callback();
    let held = state.borrow();
    let c = held.controls.clone();
    let slider = |label: &'static str,
                  value: f64,
                  (min, max, step): (f64, f64, f64),
                  display: String,
                  set: fn(HitRateConfig, f64) -> HitRateConfig| {
        let c = c.clone();
        range_slider(SliderInput {
            id: slider_id("hit-rate", label),
            label,
            value,
            min,
            max,
            step,
            display,
            on_change: act
                .reform(move |v: f64| HitRateAction::Settings(set(c.clone(), v.clamp(min, max)))),
        })
    };
    let on_workload = {
        let c = c.clone();
        act.reform(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let workload =
                find_choice(&WorkloadKind::ALL, &select.value()).unwrap_or(WorkloadKind::Zipf);
            HitRateAction::Settings(HitRateConfig {
                workload,
                ..c.clone()
            })
        })
    };
    let toggle = |policy: PolicyKind| {
        let c = c.clone();
        act.reform(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let mut policies: Vec<PolicyKind> = c
                .policies
                .iter()
                .copied()
                .filter(|p| *p != policy)
                .collect();
            if input.checked() {
                policies.push(policy);
                policies.sort();
            }
            if policies.is_empty() {
                input.set_checked(true);
                return HitRateAction::Refuse("Keep at least one policy selected.".to_owned());
            }
            HitRateAction::Settings(HitRateConfig {
                policies,
                ..c.clone()
            })
        })
    };
    let on_seed = {
        let c = c.clone();
        act.reform(move |seed: Result<u64, String>| match seed {
            Ok(seed) => HitRateAction::Settings(HitRateConfig { seed, ..c.clone() }),
            Err(message) => HitRateAction::Refuse(message),
        })
    };
    let on_speed = {
        let c = c.clone();
        act.reform(move |v: f64| {
            HitRateAction::Settings(HitRateConfig {
                speed: v.clamp(SPEED.min, SPEED.max),
                ..c.clone()
            })
        })
    };

    let view = &held.lab;
    let size = view.settings().size.get();
    let over_time: Vec<Line> = view
        .curves()
        .iter()
        .map(|curve| Line {
            label: curve.policy.label().to_owned(),
            points: curve.points.iter().map(|&(x, y)| (x as f64, y)).collect(),
            dashed: curve.policy == PolicyKind::Opt,
        })
        .collect();
    let sizes = view.mrc_sizes();
    let mrc: Vec<Line> = view
        .miss_ratio_curves()
        .iter()
        .map(|curve| Line {
            label: curve.policy.label().to_owned(),
            points: curve.points.iter().map(|&(x, y)| (x as f64, y)).collect(),
            dashed: curve.policy == PolicyKind::Opt,
        })
        .collect();
    let items: Vec<(&'static str, String)> = vec![
        ("Requests replayed", format_count(view.position() as f64)),
        ("Distinct keys", format_count(view.distinct_keys() as f64)),
        (
            "Cache size",
            format!("{} entries", format_count(size as f64)),
        ),
        ("Progress", percent(view.progress())),
    ];
    let results: Vec<(&'static str, String)> = view
        .curves()
        .iter()
        .map(|curve| {
            (
                curve.policy.label(),
                hit_rate::percent(curve.hits, curve.requests),
            )
        })
        .collect();
    html! {
        <div class="lab hit-rate-lab">
            <div class="lab-settings">
                <label class="select">
                    <span>{ "Workload" }</span>
                    <select onchange={on_workload}>
                        { for WorkloadKind::ALL.into_iter().map(|workload| html! {
                            <option value={workload.id()} selected={c.workload == workload}>{ workload.label() }</option>
                        }) }
                    </select>
                </label>
                { slider("Skew", c.skew, (SKEW.min, SKEW.max, SKEW.step), format!("Zipf {:.1}", c.skew), |c, v| HitRateConfig { skew: (v * 10.0).round() / 10.0, ..c }) }
                { slider("Keys", c.keys as f64, (KEYS.min as f64, KEYS.max as f64, 100.0), format_count(c.keys as f64), |c, v| HitRateConfig { keys: v.round() as u64, ..c }) }
                { slider("Requests", c.requests as f64, (REQUESTS.min as f64, REQUESTS.max as f64, 10_000.0), format_count(c.requests as f64), |c, v| HitRateConfig { requests: v.round() as u64, ..c }) }
                { slider("Cache size", c.size_percent, (SIZE.min, SIZE.max, SIZE.step), format!("{}% of keys ({} entries)", c.size_percent, format_count(size as f64)), |c, v| HitRateConfig { size_percent: v, ..c }) }
                { range_slider(SliderInput { id: "hit-rate-speed".to_owned(), label: "Speed", value: c.speed,
                    min: SPEED.min, max: SPEED.max, step: SPEED.step,
                    display: format!("{}k requests per frame", c.speed), on_change: on_speed }) }
                { seed_field("hit-rate-seed".to_owned(), c.seed, &on_seed) }
                <fieldset class="policies">
                    <legend>{ "Policies" }</legend>
                    { for PolicyKind::ALL.iter().map(|&policy| html! {
                        <label class="check">
                            <input type="checkbox" checked={c.policies.contains(&policy)} onchange={toggle(policy)} />
                            <span>{ policy.label() }</span>
                        </label>
                    }) }
                </fieldset>
            </div>
            if let Some(message) = &held.problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            <div class="transport" role="group" aria-label="Simulation">
                <button type="button" class="primary" onclick={act.reform(|_| HitRateAction::PauseResume)}>{ if held.running { "Pause" } else if view.is_done() { "Done" } else { "Resume" } }</button>
                <button type="button" onclick={act.reform(|_| HitRateAction::Rerun)}>{ "Run again" }</button>
                <progress max="1" value={view.progress().to_string()} aria-label="Simulation progress"></progress>
            </div>
            { line_chart(&LineChartInput { title: "Hit ratio over time", lines: over_time, x_min: 0.0, x_max: view.len() as f64,
                x_label: "requests", y_label: "hit ratio" }) }
            { line_chart(&LineChartInput { title: "Miss ratio by cache size", lines: mrc,
                x_min: sizes.first().copied().unwrap_or(1) as f64, x_max: sizes.last().copied().unwrap_or(1) as f64,
                x_label: "cache size (entries)", y_label: "miss ratio" }) }
            <div class="lab-stage">
                { stats_panel("Hit ratio at this size", results) }
                { stats_panel("Run", items) }
            </div>
            <Console key={held.run} source={ConsoleSource::of(&state)}
                kinds={&[LineKind::Setting, LineKind::Done][..]} />
        </div>
    }
}
