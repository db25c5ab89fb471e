//! The write-pattern demos (cache-aside, write-through, write-behind, write-around) and the
//! stampede demo: a scenario of the engine's model, animated along the diagram's arrows, with the
//! reader's own reads and writes, a crash button, time travel, stats and the console.

use std::cell::RefCell;
use std::rc::Rc;

use super::bar_chart::BarChart;
use super::controls::{
    Console, ConsoleSource, HasConsole, KeyOps, Slider, StatsPanel, Transport, percent,
};
use super::flow_diagram::FlowDiagram;
use crate::app::demo::Demo;
use crate::app::hooks::use_animation_frame;
use crate::engine::events::Millis;
use crate::engine::lab::flow::LOAD_BUCKET;
use crate::engine::lab::{ConsoleLog, FlowLab, LineKind};
use crate::engine::model::{Pattern, ScenarioOptions, StampedeStrategy};
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

/// Which stampede workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Herd {
    /// One hot key expires while many clients read it.
    HotKey,
    /// 100 keys cached together expire together.
    ManyKeys,
    /// Reads of keys that do not exist (cache penetration).
    MissingKeys,
}

/// The reader's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Controls {
    size: u64,
    /// Milliseconds; 0 is off.
    ttl: Millis,
    db_latency: Millis,
    read_percent: u64,
    skew: f64,
    clients: u32,
    /// Virtual milliseconds per real second.
    speed: f64,
    /// Cache-aside: update the cached value on write instead of deleting it.
    update_on_write: bool,
    /// Cache-aside: the two-writers race instead of the mixed workload.
    race: bool,
    strategy: &'static str,
    herd: Herd,
    negative_caching: bool,
}

impl Controls {
    fn defaults(demo: Demo) -> Controls {
        let stampede = demo == Demo::Stampede;
        Controls {
            size: if stampede { 10 } else { 20 },
            ttl: if stampede { 1_000 } else { 0 },
            db_latency: 10,
            read_percent: 70,
            skew: 1.0,
            clients: if stampede { 20 } else { 3 },
            speed: if stampede { 250.0 } else { 100.0 },
            update_on_write: false,
            race: false,
            strategy: "none",
            herd: Herd::HotKey,
            negative_caching: false,
        }
    }

    fn scenario(self, demo: Demo) -> &'static str {
        match demo {
            Demo::CacheAside if self.race => "update-race",
            Demo::CacheAside => "cache-aside",
            Demo::WriteThrough => "write-through",
            Demo::WriteBehind => "write-behind",
            Demo::WriteAround => "write-around",
            _ => match self.herd {
                Herd::HotKey => "stampede",
                Herd::ManyKeys => "expiry-storm",
                Herd::MissingKeys => "penetration",
            },
        }
    }

    fn options(self, demo: Demo) -> ScenarioOptions {
        let mut options = ScenarioOptions {
            size: Some(self.size),
            ttl: (self.ttl > 0).then_some(self.ttl),
            db_latency: Some(self.db_latency),
            clients: Some(self.clients),
            ..ScenarioOptions::default()
        };
        if demo == Demo::Stampede {
            options.strategy = Some(match self.strategy {
                "coalesce" => StampedeStrategy::Coalesce,
                "xfetch" => StampedeStrategy::EarlyRefresh { beta: 1.0 },
                _ => StampedeStrategy::None,
            });
            if self.strategy == "jitter" {
                options.ttl_jitter_percent = Some(20);
            }
            if self.negative_caching {
                options.negative_ttl = Some(500);
            }
        } else {
            options.read_percent = Some(self.read_percent);
            options.skew = Some(self.skew);
            options.request_interval = Some(120);
        }
        if demo == Demo::CacheAside {
            options.pattern = Some(Pattern::CacheAside {
                update_on_write: self.update_on_write,
            });
        }
        options
    }
}

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
}

#[component]
pub fn FlowDemo(props: &FlowDemoProps) -> Html {
    let demo = props.demo;
    let controls = use_state(|| Controls::defaults(demo));
    let lab = use_mut_ref(|| {
        let c = Controls::defaults(demo);
        FlowLab::new(c.scenario(demo), c.options(demo)).expect("the defaults are valid")
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

    // Applies new settings: the same scenario keeps the reader's requests; another starts afresh.
    let apply = {
        let (lab, controls, changed, problem, run) = (
            lab.clone(),
            controls.clone(),
            changed.clone(),
            problem.clone(),
            run.clone(),
        );
        move |next: Controls| {
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
                    controls.set(next);
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
                  min: f64,
                  max: f64,
                  step: f64,
                  display: String,
                  set: fn(Controls, f64) -> Controls| {
        let (apply, c) = (apply.clone(), *controls);
        html! {
            <Slider id={format!("{}-{}", demo.id(), label.to_lowercase().replace(' ', "-"))} {label} {value} {min} {max} {step}
                {display} on_change={Callback::from(move |v: f64| apply(set(c, v.clamp(min, max))))} />
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
        let (lab, controls, changed, playing, run) = (
            lab.clone(),
            controls.clone(),
            changed.clone(),
            playing.clone(),
            run.clone(),
        );
        Callback::from(move |()| {
            playing.set(false);
            if let Ok(fresh) = FlowLab::new(controls.scenario(demo), controls.options(demo)) {
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
                "Write" => lab.write(&key),
                _ => lab.read(&key),
            }
            drop(lab);
            changed();
        })
    };
    let on_crash = {
        let (lab, changed) = (lab.clone(), changed.clone());
        Callback::from(move |_| {
            lab.borrow_mut().crash_now();
            changed();
        })
    };
    let on_update_switch = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(Controls {
                update_on_write: input.checked(),
                ..c
            });
        })
    };
    let on_race = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(Controls {
                race: input.checked(),
                ..c
            });
        })
    };
    let on_strategy = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let strategy = match select.value().as_str() {
                "coalesce" => "coalesce",
                "xfetch" => "xfetch",
                "jitter" => "jitter",
                _ => "none",
            };
            apply(Controls { strategy, ..c });
        })
    };
    let on_herd = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let herd = match select.value().as_str() {
                "many" => Herd::ManyKeys,
                "missing" => Herd::MissingKeys,
                _ => Herd::HotKey,
            };
            apply(Controls { herd, ..c });
        })
    };
    let on_negative = {
        let apply = apply.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            apply(Controls {
                negative_caching: input.checked(),
                ..c
            });
        })
    };
    let on_speed = {
        let controls = controls.clone();
        Callback::from(move |value: f64| {
            controls.set(Controls {
                speed: value.clamp(10.0, 1000.0),
                ..*controls
            })
        })
    };

    let view = lab.borrow();
    let stats = view.stats().clone();
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
    let rows = view.rows(8);
    let queue = (demo == Demo::WriteBehind).then(|| view.queue());
    let crashed_at = view.options().crash_at.filter(|&at| at <= view.now());
    let cached = view.cached_len();
    let source = ConsoleSource {
        owner: lab.clone() as Rc<RefCell<dyn HasConsole>>,
        revision: *revision.borrow(),
    };
    let span = (view.end() / LOAD_BUCKET + 1) as usize;
    html! {
        <div class="lab flow-lab">
            <div class="lab-settings">
                if stampede {
                    <label class="select">
                        <span>{ "Workload" }</span>
                        <select onchange={on_herd}>
                            <option value="hot" selected={c.herd == Herd::HotKey}>{ "One hot key expires" }</option>
                            <option value="many" selected={c.herd == Herd::ManyKeys}>{ "100 keys expire together" }</option>
                            <option value="missing" selected={c.herd == Herd::MissingKeys}>{ "Reads of missing keys (penetration)" }</option>
                        </select>
                    </label>
                    <label class="select">
                        <span>{ "Strategy" }</span>
                        <select onchange={on_strategy}>
                            <option value="none" selected={c.strategy == "none"}>{ "None" }</option>
                            <option value="coalesce" selected={c.strategy == "coalesce"}>{ "Request coalescing" }</option>
                            <option value="xfetch" selected={c.strategy == "xfetch"}>{ "Early refresh (XFetch)" }</option>
                            <option value="jitter" selected={c.strategy == "jitter"}>{ "TTL jitter (±20%)" }</option>
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={c.negative_caching} onchange={on_negative} />
                        <span>{ "Negative caching" }</span>
                    </label>
                    { slider("Clients", f64::from(c.clients), 1.0, 50.0, 1.0, format!("{} clients", c.clients), |c, v| Controls { clients: v.round() as u32, ..c }) }
                    { slider("TTL", c.ttl as f64, 200.0, 3000.0, 100.0, format!("{} ms", c.ttl), |c, v| Controls { ttl: v.round() as Millis, ..c }) }
                } else {
                    { slider("Cache size", c.size as f64, 1.0, 50.0, 1.0, format!("{} entries", c.size), |c, v| Controls { size: v.round() as u64, ..c }) }
                    { slider("TTL", c.ttl as f64, 0.0, 2000.0, 100.0, if c.ttl == 0 { "off".to_owned() } else { format!("{} ms", c.ttl) }, |c, v| Controls { ttl: v.round() as Millis, ..c }) }
                    { slider("Read ratio", c.read_percent as f64, 0.0, 100.0, 5.0, format!("{}% reads", c.read_percent), |c, v| Controls { read_percent: v.round() as u64, ..c }) }
                    { slider("Skew", c.skew, 0.0, 2.0, 0.1, format!("Zipf {:.1}", c.skew), |c, v| Controls { skew: (v * 10.0).round() / 10.0, ..c }) }
                    { slider("Clients", f64::from(c.clients), 1.0, 8.0, 1.0, format!("{} clients", c.clients), |c, v| Controls { clients: v.round() as u32, ..c }) }
                }
                { slider("DB latency", c.db_latency as f64, 1.0, 200.0, 1.0, format!("{} ms", c.db_latency), |c, v| Controls { db_latency: v.round() as Millis, ..c }) }
                <Slider id={format!("{}-speed", demo.id())} label="Speed" value={c.speed} min={10.0} max={1000.0} step={10.0}
                    display={format!("{} ms per second", c.speed)} on_change={on_speed} />
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
            if let Some(message) = &*problem {
                <p class="field-error" role="alert">{ message.clone() }</p>
            }
            <Transport playing={*playing} now={view.now()} horizon={view.end()}
                {on_play_pause} {on_step} {on_reset} {on_seek} />
            <div class="key-ops-row">
                <KeyOps operations={&["Get", "Write"][..]} {on_operation}
                    hint="Keys k0…k49 exist in the database; any other name is a missing row. Your request leaves at the time shown." />
                if demo == Demo::WriteBehind {
                    <button type="button" class="danger" onclick={on_crash}>{ "Crash cache" }</button>
                }
            </div>
            <FlowDiagram in_flight={view.in_flight()} queue={queue.as_ref().map(Vec::len)} {cached}
                crashed={crashed_at.is_some()} reduced_motion={reduced_motion()} />
            <div class="lab-stage">
                <section class="rows" aria-label="Keys">
                    <h2>{ "Keys: cache versus database" }</h2>
                    <table>
                        <thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Cache" }</th><th scope="col">{ "Database" }</th>
                            if queue.is_some() { <th scope="col">{ "Queued" }</th> }</tr></thead>
                        <tbody>
                            { for rows.iter().map(|row| html! {
                                <tr class={classes!(row.stale().then_some("stale"))} data-key={row.name.clone()}>
                                    <th scope="row">{ &row.name }</th>
                                    <td>{ match row.cached { Some(0) => "not found".to_owned(), Some(v) => format!("v{v}"), None => "—".to_owned() } }
                                        if row.stale() { <span class="tag stale-tag">{ " stale" }</span> }</td>
                                    <td>{ if row.db == 0 { "no row".to_owned() } else { format!("v{}", row.db) } }</td>
                                    if queue.is_some() { <td>{ row.queued.map_or("—".to_owned(), |v| format!("v{v}")) }</td> }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if rows.is_empty() {
                        <p class="empty">{ "Nothing touched yet: press Play or Step." }</p>
                    }
                    if let Some(at) = crashed_at {
                        <p class="crash-note">{ format!("The cache crashed at {} ms.", at) }</p>
                    }
                </section>
                <StatsPanel {items} />
            </div>
            if stampede {
                <BarChart title="Database load" values={view.db_load().to_vec()} bucket={LOAD_BUCKET} {span} unit="database reads" />
            }
            <Console key={*run} {source} kinds={KINDS} />
        </div>
    }
}
