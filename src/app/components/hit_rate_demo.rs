//! The hit-rate simulation: a seeded workload replayed through the chosen policies, a slice per
//! animation frame, drawing the hit ratio over time and then the miss-ratio curve with OPT.

use super::controls::{Slider, StatsPanel, percent};
use super::line_chart::{Line, LineChart, format_count};
use crate::app::hooks::use_animation_frame;
use crate::engine::lab::{HitRateLab, HitRateSettings};
use crate::engine::policy::{Capacity, PolicyKind};
use crate::engine::workload::Workload;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
struct Controls {
    workload: &'static str,
    skew: f64,
    keys: u64,
    requests: u64,
    /// Cache size as a percentage of the keys.
    size_percent: f64,
    policies: Vec<PolicyKind>,
    /// Thousands of policy requests per frame.
    speed: f64,
}

impl Controls {
    fn settings(&self) -> HitRateSettings {
        let workload = match self.workload {
            "uniform" => Workload::Uniform { keys: self.keys },
            "scan" => Workload::Scan {
                keys: self.keys,
                alpha: self.skew,
            },
            "loop" => Workload::Loop { keys: self.keys },
            "hotspot" => Workload::Hotspot { keys: self.keys },
            _ => Workload::Zipf {
                keys: self.keys,
                alpha: self.skew,
            },
        };
        let size = ((self.keys as f64 * self.size_percent / 100.0).round() as u128).max(1);
        HitRateSettings {
            workload,
            requests: self.requests,
            size: Capacity::new(size).unwrap_or(Capacity::new(1).expect("1 is valid")),
            policies: self.policies.clone(),
            seed: 42,
        }
    }
}

#[component]
pub fn HitRateDemo() -> Html {
    let controls = use_state(|| Controls {
        workload: "zipf",
        skew: 0.9,
        keys: 10_000,
        requests: 200_000,
        size_percent: 10.0,
        policies: vec![
            PolicyKind::Lru,
            PolicyKind::Lfu,
            PolicyKind::S3Fifo,
            PolicyKind::TinyLfu,
        ],
        speed: 60.0,
    });
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
                .is_none_or(|lab| lab.advance(budget));
            if done {
                running.set(false);
            }
            force.force_update();
        });
    }

    let restart = {
        let (lab, controls, running, problem, force) = (
            lab.clone(),
            controls.clone(),
            running.clone(),
            problem.clone(),
            force.clone(),
        );
        move |next: Controls| {
            match HitRateLab::new(next.settings()) {
                Ok(fresh) => {
                    *lab.borrow_mut() = Some(fresh);
                    problem.set(None);
                    controls.set(next);
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
                  min: f64,
                  max: f64,
                  step: f64,
                  display: String,
                  set: fn(Controls, f64) -> Controls| {
        let (restart, c) = (restart.clone(), c.clone());
        html! {
            <Slider id={format!("hit-rate-{}", label.to_lowercase().replace(' ', "-"))} {label} {value} {min} {max} {step}
                {display} on_change={Callback::from(move |v: f64| restart(set(c.clone(), v.clamp(min, max))))} />
        }
    };
    let on_workload = {
        let (restart, c) = (restart.clone(), c.clone());
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let workload = match select.value().as_str() {
                "uniform" => "uniform",
                "scan" => "scan",
                "loop" => "loop",
                "hotspot" => "hotspot",
                _ => "zipf",
            };
            restart(Controls {
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
            restart(Controls {
                policies,
                ..c.clone()
            });
        })
    };
    let on_pause = {
        let running = running.clone();
        Callback::from(move |_| running.set(!*running))
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
                        { for [("zipf", "Zipf"), ("uniform", "Uniform"), ("scan", "Zipf with scans"), ("loop", "Loop"), ("hotspot", "Shifting hot set")].iter().map(|(id, label)| html! {
                            <option value={*id} selected={c.workload == *id}>{ *label }</option>
                        }) }
                    </select>
                </label>
                { slider("Skew", c.skew, 0.0, 2.0, 0.1, format!("Zipf {:.1}", c.skew), |c, v| Controls { skew: (v * 10.0).round() / 10.0, ..c }) }
                { slider("Keys", c.keys as f64, 100.0, 100_000.0, 100.0, format_count(c.keys as f64), |c, v| Controls { keys: v.round() as u64, ..c }) }
                { slider("Requests", c.requests as f64, 10_000.0, 1_000_000.0, 10_000.0, format_count(c.requests as f64), |c, v| Controls { requests: v.round() as u64, ..c }) }
                { slider("Cache size", c.size_percent, 0.5, 50.0, 0.5, format!("{}% of keys ({} entries)", c.size_percent, format_count(size as f64)), |c, v| Controls { size_percent: v, ..c }) }
                <Slider id="hit-rate-speed" label="Speed" value={c.speed} min={5.0} max={200.0} step={5.0}
                    display={format!("{}k requests per frame", c.speed)}
                    on_change={{ let controls = controls.clone(); Callback::from(move |v: f64| controls.set(Controls { speed: v.clamp(5.0, 200.0), ..(*controls).clone() })) }} />
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
            <LineChart title="Hit ratio over time" lines={over_time} x_max={view.len() as f64} x_label="requests" y_label="hit ratio" />
            <LineChart title="Miss ratio by cache size" lines={mrc} x_min={sizes.first().copied().unwrap_or(1) as f64} x_max={sizes.last().copied().unwrap_or(1) as f64}
                x_label="cache size (entries)" y_label="miss ratio" />
            <div class="lab-stage">
                <StatsPanel title="Hit ratio at this size" items={results} />
                <StatsPanel title="Run" {items} />
            </div>
        </div>
    }
}
