//! The eviction demos' engine: a small cache that the reader pokes (Get, Put) and that a seeded
//! workload drives while playing, in virtual time, with every step recorded so that any earlier
//! moment can be shown again exactly (the timeline scrubber).
//!
//! The run is a list of timed inputs. Showing time `t` applies the inputs up to `t` to a cache; going
//! back rebuilds the cache from the start (runs are short and a replay takes microseconds). An input
//! made at an earlier moment discards the recorded future, like typing after an undo.

use super::console::{ConsoleLog, LineKind};
use super::key_names::{KeyNames, workload_key_name};
use super::policy_words;
use crate::engine::cache::{ActiveExpiry, Cache, CacheConfig, PutOutcome};
use crate::engine::events::{CacheEvent, EventKind, Millis};
use crate::engine::policy::{Capacity, NeedsTrace, PolicyKind, PolicyOptions};
use crate::engine::stats::Stats;
use crate::engine::workload::{KeyStream, Workload};

/// Keys typed by the reader that are not workload keys are numbered from here.
const TYPED_KEYS: u64 = 1 << 40;

/// What shapes an eviction run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EvictionSettings {
    /// The policy (any but `opt`).
    pub policy: PolicyKind,
    /// Entries the cache holds.
    pub capacity: Capacity,
    /// The TTL of new entries, if any.
    pub ttl: Option<Millis>,
    /// The keys the Play workload requests (`a`, `b`…).
    pub workload: Workload,
    /// Virtual time between the Play workload's requests.
    pub request_interval: Millis,
    /// Seeds the workload and the random policies.
    pub seed: u64,
}

/// One recorded input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// The reader's Get.
    Get(u64),
    /// The reader's Put.
    Put(u64),
    /// The next workload request: a Get, and a Put on a miss.
    Auto,
    /// The reader moved the Cache size slider.
    Resize(Capacity),
    /// The reader moved the TTL slider.
    SetTtl(Option<Millis>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Input {
    at: Millis,
    op: Op,
}

/// One resident (or ghost) key as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotInfo {
    /// The key's name.
    pub name: String,
    /// The policy's note on it ("2 hits", "bit 1").
    pub badge: Option<String>,
    /// The cached value's version (`v3` is the third Put of the key); `None` for a ghost.
    pub version: Option<u64>,
    /// Time left before it expires, and its full TTL, if it has one.
    pub ttl: Option<(Millis, Millis)>,
    /// The policy would evict it next.
    pub next_victim: bool,
    /// A CLOCK or SIEVE hand points at it.
    pub under_hand: bool,
}

/// One group of slots as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupInfo {
    /// The group's name.
    pub name: String,
    /// Whether it holds ghosts (remembered, not resident).
    pub ghost: bool,
    /// Its keys.
    pub slots: Vec<SlotInfo>,
}

/// A key that just left, kept on screen briefly so the reader sees it go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departure {
    /// Its name.
    pub name: String,
    /// When it left.
    pub at: Millis,
    /// Why, in plain words.
    pub why: String,
}

/// A running eviction demo.
#[derive(Debug)]
pub struct EvictionLab {
    /// The settings the run started with (capacity and TTL may have changed since: see inputs).
    settings: EvictionSettings,
    /// Every input so far, in time order.
    inputs: Vec<Input>,
    /// How many inputs the cache has seen.
    applied: usize,
    /// The latest time reached; the scrubber's end.
    horizon: Millis,
    /// The cache at the time shown.
    cache: Cache<u64, Vec<CacheEvent>>,
    /// The Play workload's keys.
    stream: KeyStream,
    /// Names of keys.
    names: KeyNames,
    /// Puts so far per key, for versions.
    versions: crate::engine::hash::IdMap<u64>,
    /// The current TTL (changes with `SetTtl`).
    ttl: Option<Millis>,
    /// The console.
    console: ConsoleLog,
    /// The latest departure.
    departure: Option<Departure>,
}

impl EvictionLab {
    /// A new run; fails for `opt` (it needs the whole trace) or an unusable workload.
    pub fn new(settings: EvictionSettings) -> Result<EvictionLab, String> {
        let stream = settings
            .workload
            .keys(settings.seed)
            .map_err(|e| e.to_string())?;
        let cache = Self::fresh_cache(&settings).map_err(|e| e.to_string())?;
        let mut names = KeyNames::starting_at(TYPED_KEYS);
        bind_workload_names(&mut names, settings.workload);
        Ok(EvictionLab {
            settings,
            inputs: Vec::new(),
            applied: 0,
            horizon: 0,
            cache,
            stream,
            names,
            versions: Default::default(),
            ttl: settings.ttl,
            console: ConsoleLog::default(),
            departure: None,
        })
    }

    fn fresh_cache(settings: &EvictionSettings) -> Result<Cache<u64, Vec<CacheEvent>>, NeedsTrace> {
        Cache::with_sink(
            CacheConfig {
                capacity: settings.capacity,
                policy: settings.policy,
                policy_options: PolicyOptions {
                    seed: settings.seed,
                    ..PolicyOptions::default()
                },
                default_ttl: settings.ttl,
                ttl_jitter_percent: 0,
                active_expiry: Some(ActiveExpiry::default()),
                seed: settings.seed,
            },
            Vec::new(),
        )
    }

    /// The settings the run started with.
    pub fn settings(&self) -> &EvictionSettings {
        &self.settings
    }

    /// The time shown.
    pub fn now(&self) -> Millis {
        self.cache.now()
    }

    /// The latest time reached (the scrubber's end).
    pub fn horizon(&self) -> Millis {
        self.horizon
    }

    /// The cache's statistics at the time shown.
    pub fn stats(&self) -> &Stats {
        self.cache.stats()
    }

    /// The console at the time shown.
    pub fn console(&self) -> &ConsoleLog {
        &self.console
    }

    /// The key that left most recently, if within `window` of the time shown.
    pub fn recent_departure(&self, window: Millis) -> Option<&Departure> {
        self.departure
            .as_ref()
            .filter(|departure| self.now() <= departure.at + window)
    }

    /// The current capacity.
    pub fn capacity(&self) -> usize {
        self.cache.policy().capacity()
    }

    /// Shows time `at`: forwards by applying recorded inputs, backwards by replaying from the start.
    pub fn seek(&mut self, at: Millis) {
        if at < self.cache.now() {
            self.rebuild();
        }
        while let Some(&input) = self.inputs.get(self.applied) {
            if input.at > at {
                break;
            }
            self.apply(input);
            self.applied += 1;
        }
        self.cache.advance_to(at);
        self.drain_events();
        self.horizon = self.horizon.max(at);
    }

    /// Plays to `at`: replays the recorded future, then (past the horizon) the workload sends a
    /// request every `request_interval`.
    pub fn play_to(&mut self, at: Millis) {
        let interval = self.settings.request_interval.max(1);
        let mut next = (self.horizon / interval + 1) * interval;
        while next <= at {
            self.inputs.push(Input {
                at: next,
                op: Op::Auto,
            });
            next += interval;
        }
        self.seek(at);
    }

    /// Steps to the next recorded input, or past the horizon to the workload's next request.
    pub fn step(&mut self) {
        let now = self.now();
        match self.inputs[self.applied..]
            .iter()
            .find(|input| input.at > now)
        {
            Some(input) => {
                let at = input.at;
                self.seek(at);
            }
            None => {
                let interval = self.settings.request_interval.max(1);
                let next = (self.horizon.max(now) / interval + 1) * interval;
                self.play_to(next);
            }
        }
    }

    /// The reader's Get of `name` at the time shown.
    pub fn get(&mut self, name: &str) {
        let key = self.names.key(name);
        self.record(Op::Get(key));
    }

    /// The reader's Put of `name` at the time shown.
    pub fn put(&mut self, name: &str) {
        let key = self.names.key(name);
        self.record(Op::Put(key));
    }

    /// Changes the capacity from the time shown on (evicting at once if over it).
    pub fn resize(&mut self, capacity: Capacity) {
        self.record(Op::Resize(capacity));
    }

    /// Changes the TTL of entries stored from the time shown on.
    pub fn set_ttl(&mut self, ttl: Option<Millis>) {
        self.record(Op::SetTtl(ttl));
    }

    /// Replays the whole recorded run under new settings (another policy, workload or seed),
    /// keeping the time shown; the reader's inputs stay, the workload's requests are redrawn.
    pub fn reconfigure(&mut self, settings: EvictionSettings) -> Result<(), String> {
        Self::fresh_cache(&settings).map_err(|e| e.to_string())?;
        settings
            .workload
            .keys(settings.seed)
            .map_err(|e| e.to_string())?;
        self.settings = settings;
        bind_workload_names(&mut self.names, settings.workload);
        let now = self.now();
        self.rebuild();
        self.seek(now);
        Ok(())
    }

    fn record(&mut self, op: Op) {
        let at = self.now();
        // Acting at an earlier moment discards the recorded future.
        self.inputs.truncate(self.applied);
        self.horizon = at;
        self.inputs.push(Input { at, op });
        self.seek(at);
    }

    fn rebuild(&mut self) {
        self.cache = Self::fresh_cache(&self.settings).expect("checked when the policy was set");
        self.stream = self
            .settings
            .workload
            .keys(self.settings.seed)
            .expect("checked in new");
        self.versions.clear();
        self.ttl = self.settings.ttl;
        self.console.reset();
        self.departure = None;
        self.applied = 0;
    }

    fn apply(&mut self, input: Input) {
        self.cache.advance_to(input.at);
        self.drain_events();
        match input.op {
            Op::Get(key) => {
                self.cache.get(key);
            }
            Op::Put(key) => self.store(key),
            Op::Auto => {
                let key = self.stream.next().expect("endless");
                if self.cache.get(key).is_none() {
                    self.drain_events();
                    self.store(key);
                }
            }
            Op::Resize(capacity) => {
                self.console.push(
                    input.at,
                    LineKind::Setting,
                    format!("cache size {}", capacity.get()),
                );
                self.cache.set_capacity(capacity);
            }
            Op::SetTtl(ttl) => {
                self.console.push(
                    input.at,
                    LineKind::Setting,
                    match ttl {
                        Some(ttl) => format!("TTL {} for new entries", seconds(ttl)),
                        None => "no TTL for new entries".to_owned(),
                    },
                );
                self.ttl = ttl;
                self.cache.set_default_ttl(ttl);
            }
        }
        self.drain_events();
    }

    fn store(&mut self, key: u64) {
        let version = self.versions.entry(key).or_insert(0);
        *version += 1;
        let version = *version;
        if self.cache.put(key, version) == PutOutcome::Rejected {
            self.versions.insert(key, version - 1);
        }
    }

    /// Turns the cache's new events into console lines.
    fn drain_events(&mut self) {
        let events = std::mem::take(self.cache.sink_mut());
        for event in &events {
            let name = self.names.name(event.key);
            let (kind, text) = match event.kind {
                EventKind::Hit => (
                    LineKind::Hit,
                    format!(
                        "{name} = v{}",
                        self.cache.peek(event.key).copied().unwrap_or(0)
                    ),
                ),
                EventKind::Miss => (LineKind::Miss, format!("{name} — not in the cache")),
                EventKind::Insert | EventKind::Update => {
                    let version = self.versions.get(&event.key).copied().unwrap_or(0);
                    let ttl = match self.ttl {
                        Some(ttl) => format!(", expires in {}", seconds(ttl)),
                        None => String::new(),
                    };
                    let how = if event.kind == EventKind::Update {
                        " (update)"
                    } else {
                        ""
                    };
                    (LineKind::Set, format!("{name} = v{version}{how}{ttl}"))
                }
                EventKind::Rejected => (
                    LineKind::Reject,
                    format!("{name} — admission refused it (not frequent enough yet)"),
                ),
                EventKind::Evict { policy } => {
                    let why = policy_words::eviction_reason(policy);
                    self.departure = Some(Departure {
                        name: name.clone(),
                        at: event.time,
                        why: why.to_owned(),
                    });
                    (LineKind::Evict, format!("{name} — {why}"))
                }
                EventKind::Expire { lazy } => {
                    let found = if lazy {
                        "found on access"
                    } else {
                        "found by the active sweep"
                    };
                    self.departure = Some(Departure {
                        name: name.clone(),
                        at: event.time,
                        why: "its TTL ran out".to_owned(),
                    });
                    (LineKind::Expire, format!("{name} — TTL ran out ({found})"))
                }
                EventKind::Remove => (LineKind::Delete, name.clone()),
            };
            self.console.push(event.time, kind, text);
        }
        // Hand the (now empty) buffer back so its allocation is reused.
        let mut events = events;
        events.clear();
        *self.cache.sink_mut() = events;
    }

    /// The cache's contents as the policy organises them, the next victim marked.
    pub fn groups(&self) -> (Vec<GroupInfo>, Option<String>) {
        let policy = self.cache.policy();
        let layout = policy.layout();
        let full = policy.len() >= policy.capacity();
        // Random choices have no predictable victim; every other policy's is its last key.
        let predictable = !matches!(policy.kind(), PolicyKind::Random | PolicyKind::RedisLru);
        let victim = if full && predictable {
            policy.keys_in_eviction_order().last().copied()
        } else {
            None
        };
        let groups = layout
            .groups
            .into_iter()
            .map(|group| {
                let ghost = group.kind.is_ghost();
                GroupInfo {
                    slots: group
                        .slots
                        .into_iter()
                        .map(|slot| SlotInfo {
                            name: self.names.name(slot.key),
                            badge: slot.badge.map(policy_words::badge),
                            version: if ghost {
                                None
                            } else {
                                self.cache.peek(slot.key).copied()
                            },
                            ttl: match (ghost, self.cache.ttl_remaining(slot.key)) {
                                (false, Some(Some(left))) => {
                                    Some((left, self.ttl.unwrap_or(left).max(left)))
                                }
                                _ => None,
                            },
                            next_victim: !ghost && victim == Some(slot.key),
                            under_hand: !ghost && layout.hand == Some(slot.key),
                        })
                        .collect(),
                    name: policy_words::group_name(group.kind),
                    ghost,
                }
            })
            .collect();
        (groups, layout.note.map(policy_words::note))
    }
}

/// Names the workload's keys `a`, `b`… so that a reader typing `a` means the workload's key 0.
fn bind_workload_names(names: &mut KeyNames, workload: Workload) {
    let keys = match workload {
        Workload::Uniform { keys }
        | Workload::Zipf { keys, .. }
        | Workload::Loop { keys }
        | Workload::Scan { keys, .. }
        | Workload::Hotspot { keys } => keys,
    };
    for key in 0..keys.min(1_000) {
        names.bind(&workload_key_name(key), key);
    }
}

/// A duration as seconds, e.g. `10 s` or `1.5 s`.
pub fn seconds(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", ms as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(policy: PolicyKind, capacity: u128, ttl: Option<Millis>) -> EvictionLab {
        EvictionLab::new(EvictionSettings {
            policy,
            capacity: Capacity::new(capacity).unwrap(),
            ttl,
            workload: Workload::Zipf {
                keys: 8,
                alpha: 1.0,
            },
            request_interval: 500,
            seed: 7,
        })
        .unwrap()
    }

    fn resident(lab: &EvictionLab) -> Vec<String> {
        let (groups, _) = lab.groups();
        let mut names: Vec<String> = groups
            .iter()
            .filter(|group| !group.ghost)
            .flat_map(|group| group.slots.iter().map(|slot| slot.name.clone()))
            .collect();
        names.sort();
        names
    }

    fn lines(lab: &EvictionLab) -> Vec<String> {
        lab.console().lines().map(ToString::to_string).collect()
    }

    #[test]
    fn lru_put_a_b_c_get_a_put_d_evicts_b() {
        let mut lab = lab(PolicyKind::Lru, 3, None);
        for name in ["a", "b", "c"] {
            lab.put(name);
        }
        lab.get("a");
        lab.put("d");
        assert_eq!(resident(&lab), ["a", "c", "d"]);
        assert!(lines(&lab).contains(&"0.000s EVICT b — least recently used".to_owned()));
        assert_eq!(lab.stats().hits, 1);
    }

    #[test]
    fn the_victim_is_marked_before_it_leaves() {
        let mut lab = lab(PolicyKind::Lfu, 2, None);
        lab.put("a");
        lab.put("b");
        lab.get("a");
        let (groups, _) = lab.groups();
        let victims: Vec<&str> = groups
            .iter()
            .flat_map(|group| &group.slots)
            .filter(|slot| slot.next_victim)
            .map(|slot| slot.name.as_str())
            .collect();
        assert_eq!(victims, ["b"]);
        assert_eq!(groups[0].name, "1 hit");
    }

    #[test]
    fn ttl_expires_in_virtual_time_and_a_get_then_misses() {
        let mut lab = lab(PolicyKind::Lru, 3, Some(2_000));
        lab.put("a");
        lab.seek(1_000);
        assert_eq!(lab.groups().0[0].slots[0].ttl, Some((1_000, 2_000)));
        lab.seek(2_500);
        lab.get("a");
        assert_eq!(lab.stats().misses, 1);
        assert!(lines(&lab).iter().any(|line| line.contains("EXPIRE a")));
    }

    #[test]
    fn scrubbing_back_restores_the_earlier_state_and_forward_again_the_later() {
        let mut lab = lab(PolicyKind::Lru, 3, None);
        lab.play_to(10_000);
        let later = (resident(&lab), lines(&lab), *lab.stats());
        lab.seek(4_000);
        let earlier = (resident(&lab), lines(&lab));
        assert!(earlier.1.len() < later.1.len());
        assert!(earlier.1.iter().all(|line| later.1.contains(line)));
        lab.seek(10_000);
        assert_eq!((resident(&lab), lines(&lab), *lab.stats()), later);
        // Acting in the past discards the future.
        lab.seek(4_000);
        lab.put("zz");
        assert_eq!(lab.horizon(), 4_000);
    }

    #[test]
    fn changing_policy_replays_the_same_inputs() {
        let mut lab = lab(PolicyKind::Lru, 3, None);
        lab.play_to(20_000);
        let lru_hits = lab.stats().hits;
        let mut settings = *lab.settings();
        settings.policy = PolicyKind::Fifo;
        lab.reconfigure(settings).unwrap();
        assert_eq!(lab.now(), 20_000);
        assert_eq!(lab.stats().hits + lab.stats().misses, 40);
        settings.policy = PolicyKind::Opt;
        assert!(lab.reconfigure(settings).is_err());
        settings.policy = PolicyKind::Lru;
        lab.reconfigure(settings).unwrap();
        assert_eq!(lab.stats().hits, lru_hits);
    }

    #[test]
    fn step_walks_one_request_at_a_time() {
        let mut lab = lab(PolicyKind::Sieve, 3, None);
        lab.step();
        assert_eq!(lab.now(), 500);
        lab.step();
        assert_eq!(lab.now(), 1_000);
        lab.seek(0);
        lab.step();
        assert_eq!(lab.now(), 500);
        assert_eq!(lab.stats().hits + lab.stats().misses, 1);
    }
}
