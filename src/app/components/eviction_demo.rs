//! The eviction demos (LRU, LFU, TTL): a small cache drawn as slots, a policy selector offering
//! every engine policy, the reader's Get and Put, a seeded workload on Play, and time travel.

use std::cell::RefCell;
use std::rc::Rc;

use super::controls::{
    Console, ConsoleSource, HasConsole, KeyOps, SeedField, SliderInput, TransportInput, count,
    percent, range_slider, stats_panel, transport,
};
use super::slots::{SlotsInput, slots};
use crate::app::hooks::use_animation_frame;
use crate::config::demo::Demo;
use crate::config::eviction::{EvictionConfig, KEYS, SIZE, SKEW, SPEED, TTL};
use crate::config::{DemoConfig, opt_refusal};
use crate::engine::events::Millis;
use crate::engine::lab::eviction::seconds;
use crate::engine::lab::{ConsoleLog, EvictionLab, LineKind};
use crate::engine::policy::{Capacity, PolicyKind};
use yew::prelude::*;

impl HasConsole for EvictionLab {
    fn console(&self) -> &ConsoleLog {
        EvictionLab::console(self)
    }
}

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

#[component]
pub fn EvictionDemo(props: &EvictionDemoProps) -> Html {
    let demo = props.demo;
    let controls = use_state(|| props.config);
    let lab = use_mut_ref(|| {
        EvictionLab::new(props.config.settings()).unwrap_or_else(|_| {
            EvictionLab::new(EvictionConfig::defaults(demo).settings())
                .expect("the defaults are valid")
        })
    });
    let revision = use_mut_ref(|| 0u64);
    let run = use_state(|| 0u64);
    let playing = use_state(|| false);
    let problem = use_state(|| None::<String>);
    let carry = use_mut_ref(|| 0.0f64);
    let force = use_force_update();
    let changed = {
        let (revision, force) = (revision.clone(), force.clone());
        Rc::new(move || {
            *revision.borrow_mut() += 1;
            force.force_update();
        })
    };

    // Keeps the new settings and tells the app (which updates the URL and storage).
    let commit = {
        let (controls, on_change) = (controls.clone(), props.on_change.clone());
        move |next: EvictionConfig| {
            controls.set(next);
            on_change.emit(DemoConfig::Eviction(next));
        }
    };

    {
        let (lab, carry, changed, speed) =
            (lab.clone(), carry.clone(), changed.clone(), controls.speed);
        use_animation_frame(*playing, move |gap| {
            let mut carry = carry.borrow_mut();
            *carry += gap * speed;
            let whole = carry.floor();
            *carry -= whole;
            if whole >= 1.0 {
                let mut lab = lab.borrow_mut();
                let target = lab.now() + whole as Millis;
                lab.play_to(target);
                drop(lab);
                changed();
            }
        });
    }

    let reconfigure = {
        let (lab, commit, changed, problem) = (
            lab.clone(),
            commit.clone(),
            changed.clone(),
            problem.clone(),
        );
        move |next: EvictionConfig| {
            match lab.borrow_mut().reconfigure(next.settings()) {
                Ok(()) => {
                    problem.set(None);
                    commit(next);
                }
                Err(message) => problem.set(Some(message)),
            }
            changed();
        }
    };

    let on_policy = {
        let (reconfigure, controls, problem) = (reconfigure.clone(), *controls, problem.clone());
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            match select.value().parse::<PolicyKind>() {
                Ok(PolicyKind::Opt) => problem.set(Some(format!(
                    "OPT {}. The policy stays as it was.",
                    opt_refusal().1
                ))),
                Ok(policy) => reconfigure(EvictionConfig { policy, ..controls }),
                Err(error) => problem.set(Some(error.to_string())),
            }
        })
    };
    let on_size = {
        let (lab, controls, commit, changed) =
            (lab.clone(), *controls, commit.clone(), changed.clone());
        Callback::from(move |value: f64| {
            let size = (value.round() as u64).clamp(SIZE.min, SIZE.max);
            if let Ok(capacity) = Capacity::new(u128::from(size)) {
                lab.borrow_mut().resize(capacity);
                commit(EvictionConfig { size, ..controls });
                changed();
            }
        })
    };
    let on_ttl = {
        let (lab, controls, commit, changed) =
            (lab.clone(), *controls, commit.clone(), changed.clone());
        Callback::from(move |value: f64| {
            let next = EvictionConfig {
                ttl: ((value.round() as u64) * 1000).clamp(TTL.min, TTL.max),
                ..controls
            };
            lab.borrow_mut().set_ttl(next.ttl());
            commit(next);
            changed();
        })
    };
    let on_keys = {
        let (reconfigure, controls) = (reconfigure.clone(), *controls);
        Callback::from(move |value: f64| {
            reconfigure(EvictionConfig {
                keys: (value.round() as u64).clamp(KEYS.min, KEYS.max),
                ..controls
            })
        })
    };
    let on_skew = {
        let (reconfigure, controls) = (reconfigure.clone(), *controls);
        Callback::from(move |value: f64| {
            reconfigure(EvictionConfig {
                skew: (value.clamp(SKEW.min, SKEW.max) * 10.0).round() / 10.0,
                ..controls
            })
        })
    };
    let on_seed = {
        let (reconfigure, controls) = (reconfigure.clone(), *controls);
        Callback::from(move |seed: u64| reconfigure(EvictionConfig { seed, ..controls }))
    };
    let on_speed = {
        let (commit, controls) = (commit.clone(), *controls);
        Callback::from(move |value: f64| {
            commit(EvictionConfig {
                speed: value.clamp(SPEED.min, SPEED.max),
                ..controls
            })
        })
    };
    let on_play_pause = {
        let playing = playing.clone();
        Callback::from(move |()| playing.set(!*playing))
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
        let (lab, controls, changed, playing, run) = (
            lab.clone(),
            controls.clone(),
            changed.clone(),
            playing.clone(),
            run.clone(),
        );
        Callback::from(move |()| {
            playing.set(false);
            if let Ok(fresh) = EvictionLab::new(controls.settings()) {
                *lab.borrow_mut() = fresh;
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
                "Put" => lab.put(&key),
                _ => lab.get(&key),
            }
            drop(lab);
            changed();
        })
    };

    let view = lab.borrow();
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
    let source = ConsoleSource {
        owner: lab.clone() as Rc<RefCell<dyn HasConsole>>,
        revision: *revision.borrow(),
    };
    let c = *controls;
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
                    display: count(c.size, "entry", "entries"), on_change: on_size }) }
                { range_slider(SliderInput { id: format!("{id}-ttl"), label: "TTL", value: (c.ttl / 1000) as f64,
                    min: (TTL.min / 1000) as f64, max: (TTL.max / 1000) as f64, step: 1.0,
                    display: if c.ttl == 0 { "off".to_owned() } else { seconds(c.ttl) }, on_change: on_ttl }) }
                { range_slider(SliderInput { id: format!("{id}-keys"), label: "Keys", value: c.keys as f64,
                    min: KEYS.min as f64, max: KEYS.max as f64, step: 1.0,
                    display: format!("{} keys (a–{})", c.keys, crate::engine::lab::key_names::workload_key_name(c.keys - 1)),
                    on_change: on_keys }) }
                { range_slider(SliderInput { id: format!("{id}-skew"), label: "Skew", value: c.skew,
                    min: SKEW.min, max: SKEW.max, step: SKEW.step,
                    display: format!("Zipf {:.1}", c.skew), on_change: on_skew }) }
                { range_slider(SliderInput { id: format!("{id}-speed"), label: "Speed", value: c.speed,
                    min: SPEED.min, max: SPEED.max, step: SPEED.step,
                    display: format!("{} s per second", c.speed), on_change: on_speed }) }
                <SeedField id={format!("{id}-seed")} value={c.seed} on_change={on_seed} />
            </div>
            if let Some(message) = &*problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            { transport(TransportInput { playing: *playing, now: view.now(), horizon: view.horizon(),
                on_play_pause, on_step, on_reset, on_seek }) }
            <KeyOps operations={&["Get", "Put"][..]} {on_operation}
                hint="Play sends the workload: a request every 0.5 s of virtual time; a miss stores the key." />
            <div class="lab-stage">
                { slots(&SlotsInput { groups, note, departure: view.recent_departure(DEPARTURE_SHOWN).cloned(),
                    used: stats.size as usize, capacity: view.capacity() }) }
                { stats_panel("Stats", stats_items) }
            </div>
            <Console key={*run} {source} kinds={KINDS} />
        </div>
    }
}
