//! The hit-rate simulation: a seeded workload replayed through the chosen policies, a slice per
//! animation frame, drawing the hit ratio over time and then the miss-ratio curve with OPT.

use super::controls::{SeedField, SliderInput, percent, range_slider, stats_panel};
use super::line_chart::{Line, LineChartInput, format_count, line_chart};
use crate::app::hooks::use_animation_frame;
use crate::config::DemoConfig;
use crate::config::fields::{Choice, find_choice};
use crate::config::hit_rate::{HitRateConfig, KEYS, REQUESTS, SIZE, SKEW, SPEED, WorkloadKind};
use crate::engine::lab::HitRateLab;
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

#[component]
pub fn HitRateDemo(props: &HitRateDemoProps) -> Html {
    let controls = use_state(|| props.config.clone());
    let lab = use_mut_ref(|| HitRateLab::new(controls.settings()).ok());
    let running = use_state(|| true);
    let problem = use_state(|| None::<String>);
    let force = use_force_update();

    {
        let (lab, running, force, budget) = (
            lab.clone(),
            running.clone(),
            force.clone(),
            (controls.speed * 1000.0) as usize,
        );
        use_animation_frame(*running, move |_| {
            let done = lab
                .borrow_mut()
                .as_mut()
                .is_none_or(|lab| advance_for_a_frame(lab, budget));
            if done {
                running.set(false);
            }
            force.force_update();
        });
    }

    // Keeps the new settings and tells the app (which updates the URL and storage).
    let commit = {
        let (controls, on_change) = (controls.clone(), props.on_change.clone());
        move |next: HitRateConfig| {
            controls.set(next.clone());
            on_change.emit(DemoConfig::HitRate(next));
        }
    };
    let restart = {
        let (lab, commit, running, problem, force) = (
            lab.clone(),
            commit.clone(),
            running.clone(),
            problem.clone(),
            force.clone(),
        );
        move |next: HitRateConfig| {
            match HitRateLab::new(next.settings()) {
                Ok(fresh) => {
                    *lab.borrow_mut() = Some(fresh);
                    problem.set(None);
                    commit(next);
                    running.set(true);
                }
                Err(message) => problem.set(Some(format!("{message}; the previous run stays."))),
            }
            force.force_update();
        }
    };
    let c = (*controls).clone();
    let slider = |label: &'static str,
                  value: f64,
                  (min, max, step): (f64, f64, f64),
                  display: String,
                  set: fn(HitRateConfig, f64) -> HitRateConfig| {
        let (restart, c) = (restart.clone(), c.clone());
        html! {
            { range_slider(SliderInput {
                id: format!("hit-rate-{}", label.to_ascii_lowercase().replace(' ', "-")),
                label, value, min, max, step, display,
                on_change: Callback::from(move |v: f64| restart(set(c.clone(), v.clamp(min, max)))),
            }) }
        }
    };
    let on_workload = {
        let (restart, c) = (restart.clone(), c.clone());
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let workload =
                find_choice(&WorkloadKind::ALL, &select.value()).unwrap_or(WorkloadKind::Zipf);
            restart(HitRateConfig {
                workload,
                ..c.clone()
            });
        })
    };
    let toggle = |policy: PolicyKind| {
        let (restart, c, problem) = (restart.clone(), c.clone(), problem.clone());
        Callback::from(move |event: Event| {
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
                problem.set(Some("Keep at least one policy selected.".to_owned()));
                return;
            }
            restart(HitRateConfig {
                policies,
                ..c.clone()
            });
        })
    };
    let on_pause = {
        let running = running.clone();
        Callback::from(move |_| running.set(!*running))
    };
    let on_seed = {
        let (restart, c) = (restart.clone(), c.clone());
        Callback::from(move |seed: u64| restart(HitRateConfig { seed, ..c.clone() }))
    };
    let on_speed = {
        let (commit, c) = (commit.clone(), c.clone());
        Callback::from(move |v: f64| {
            commit(HitRateConfig {
                speed: v.clamp(SPEED.min, SPEED.max),
                ..c.clone()
            })
        })
    };
    let on_rerun = {
        let (restart, c) = (restart.clone(), c.clone());
        Callback::from(move |_| restart(c.clone()))
    };

    let view = lab.borrow();
    let Some(view) = view.as_ref() else {
        return html! { <p class="field-error" role="alert">{ "These settings cannot run." }</p> };
    };
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
                percent(if curve.requests == 0 {
                    0.0
                } else {
                    curve.hits as f64 / curve.requests as f64
                }),
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
                <SeedField id="hit-rate-seed" value={c.seed} on_change={on_seed} />
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
            if let Some(message) = &*problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            <div class="transport" role="group" aria-label="Simulation">
                <button type="button" class="primary" onclick={on_pause}>{ if *running { "Pause" } else if view.is_done() { "Done" } else { "Resume" } }</button>
                <button type="button" onclick={on_rerun}>{ "Run again" }</button>
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
        </div>
    }
}
