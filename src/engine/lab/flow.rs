//! The write-pattern and stampede demos' engine: a scenario of the discrete-event model, run to the
//! end at once (it is deterministic and takes microseconds), then shown at any virtual time: what is
//! cached, what the database holds, which messages are on the wire, the console and the stats as
//! they were at that moment. The reader's own reads and writes, and a cache crash, join the
//! scenario's requests and the run is redone, so everything before the moment they acted is
//! unchanged.

use std::collections::HashMap;

use super::console::{ConsoleLog, LineKind};
use super::key_names::KeyNames;
use crate::engine::events::Millis;
use crate::engine::model::{
    ClientRequest, Message, ModelConfig, ModelEvent, ModelEventKind, ModelRun, Node, Op,
    Percentiles, Scenario, ScenarioOptions, run,
};

/// The reader's requests come from this client number.
pub const READER_CLIENT: u32 = 900;
/// Names typed by the reader that are not database keys are numbered from here.
const TYPED_KEYS: u64 = 1_000_000;
/// Width of a database-load bucket, in virtual ms.
pub const LOAD_BUCKET: Millis = 10;

/// A message on the wire at the time shown.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlight {
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// What it carries.
    pub message: Message,
    /// The key's name.
    pub key: String,
    /// How far along, 0 to 1.
    pub progress: f64,
}

/// One key as the diagram shows it: its version in the cache and in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowView {
    /// The key's name.
    pub name: String,
    /// The cached version (0: a cached "not found"), if cached.
    pub cached: Option<u64>,
    /// The database's version (0: no such row).
    pub db: u64,
    /// A queued write-behind version not yet in the database.
    pub queued: Option<u64>,
}

impl RowView {
    /// The cache holds an older version than the database.
    pub fn stale(&self) -> bool {
        self.cached.is_some_and(|cached| cached < self.db)
    }
}

/// Counters as of the time shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowStats {
    /// Reads finished.
    pub reads: u64,
    /// Writes finished.
    pub writes: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Cache hits.
    pub hits: u64,
    /// Cache misses.
    pub misses: u64,
    /// Database reads.
    pub db_reads: u64,
    /// Database writes.
    pub db_writes: u64,
    /// Reads that returned an out-of-date value.
    pub stale_reads: u64,
    /// Acknowledged writes lost in a crash.
    pub lost_writes: u64,
    /// Clients that waited for a load under way.
    pub waits: u64,
    /// Read latency so far.
    pub read_latency: Percentiles,
    /// Write latency so far.
    pub write_latency: Percentiles,
}

impl FlowStats {
    /// Hits per lookup so far.
    pub fn hit_ratio(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

/// The state folded from the events up to the time shown.
#[derive(Clone, Debug, Default)]
struct Folded {
    /// Events applied.
    cursor: usize,
    cache: HashMap<u64, u64>,
    db: HashMap<u64, u64>,
    queue: Vec<(u64, u64)>,
    /// Hops that have left, not necessarily arrived: (event index).
    wire: Vec<usize>,
    /// Keys in order of last change, most recent last.
    touched: Vec<u64>,
    stats: FlowStats,
    read_samples: Vec<Millis>,
    write_samples: Vec<Millis>,
    /// Database reads per bucket.
    db_load: Vec<u64>,
    console: ConsoleLog,
}

/// A running scenario.
#[derive(Debug)]
pub struct FlowLab {
    /// The preset.
    scenario: &'static Scenario,
    /// Its options (sliders, crash time).
    options: ScenarioOptions,
    /// The built configuration.
    config: ModelConfig,
    /// The preset's requests.
    workload: Vec<ClientRequest>,
    /// The reader's requests.
    manual: Vec<ClientRequest>,
    /// The finished run.
    run: ModelRun,
    /// When the last event happens or the last message arrives.
    end: Millis,
    /// The time shown.
    now: Millis,
    /// Key names.
    names: KeyNames,
    /// The fold at `now`.
    folded: Folded,
}

impl FlowLab {
    /// Builds and runs `scenario` with `options`, or says why the options do not fit.
    pub fn new(scenario: &str, options: ScenarioOptions) -> Result<FlowLab, String> {
        let scenario = Scenario::find(scenario).ok_or_else(|| {
            format!(
                "no scenario called {scenario}; try one of {}",
                Scenario::names()
            )
        })?;
        let (config, workload) = scenario.build(&options)?;
        let mut names = KeyNames::starting_at(TYPED_KEYS);
        for key in 0..config.db_keys.min(10_000) {
            names.bind(&format!("k{key}"), key);
        }
        let mut lab = FlowLab {
            scenario,
            options,
            config,
            workload,
            manual: Vec::new(),
            run: ModelRun {
                events: Vec::new(),
                metrics: Default::default(),
            },
            end: 0,
            now: 0,
            names,
            folded: Folded::default(),
        };
        lab.rerun();
        Ok(lab)
    }

    /// Changes the options (a slider moved), keeping the reader's requests and the time shown.
    pub fn set_options(&mut self, options: ScenarioOptions) -> Result<(), String> {
        let (config, workload) = self.scenario.build(&options)?;
        self.options = options;
        self.config = config;
        self.workload = workload;
        self.rerun();
        Ok(())
    }

    /// The options in force.
    pub fn options(&self) -> &ScenarioOptions {
        &self.options
    }

    /// The configuration in force.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The time shown.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// When the run ends.
    pub fn end(&self) -> Millis {
        self.end
    }

    /// The whole run's events.
    pub fn events(&self) -> &[ModelEvent] {
        &self.run.events
    }

    /// The console as of the time shown.
    pub fn console(&self) -> &ConsoleLog {
        &self.folded.console
    }

    /// The stats as of the time shown.
    pub fn stats(&self) -> &FlowStats {
        &self.folded.stats
    }

    /// Entries cached at the time shown.
    pub fn cached_len(&self) -> usize {
        self.folded.cache.len()
    }

    /// Database reads per [`LOAD_BUCKET`] up to the time shown.
    pub fn db_load(&self) -> &[u64] {
        &self.folded.db_load
    }

    /// Writes waiting in the write-behind queue, oldest first: (key name, version).
    pub fn queue(&self) -> Vec<(String, u64)> {
        self.folded
            .queue
            .iter()
            .map(|&(key, version)| (self.names.name(key), version))
            .collect()
    }

    /// The reader's read of `name` at the time shown.
    pub fn read(&mut self, name: &str) {
        let key = self.names.key(name);
        self.request(Op::Read(key));
    }

    /// The reader's write of `name` at the time shown.
    pub fn write(&mut self, name: &str) {
        let key = self.names.key(name);
        self.request(Op::Write(key));
    }

    /// The request leaves 1 ms after the time shown, so that nothing already shown changes order;
    /// the view moves on to that moment.
    fn request(&mut self, op: Op) {
        let at = self.now + 1;
        self.manual.push(ClientRequest::new(at, READER_CLIENT, op));
        self.rerun();
        self.seek(at);
    }

    /// Crashes the cache at the time shown (or cancels the crash with `None`).
    pub fn crash_at(&mut self, at: Option<Millis>) {
        let mut options = self.options;
        options.crash_at = at;
        // Crashing changes nothing the scenario could refuse.
        let _ = self.set_options(options);
    }

    /// Crashes the cache now.
    pub fn crash_now(&mut self) {
        self.crash_at(Some(self.now));
    }

    fn rerun(&mut self) {
        let mut requests = self.workload.clone();
        requests.extend_from_slice(&self.manual);
        requests.sort_by_key(|request| (request.at, request.client));
        self.run = run(&self.config, &requests);
        self.end = self
            .run
            .events
            .iter()
            .map(|event| match event.kind {
                ModelEventKind::Hop { arrive, .. } => arrive,
                _ => event.at,
            })
            .max()
            .unwrap_or(0);
        let now = self.now;
        self.folded = Folded::default();
        self.seek(now);
    }

    /// Shows time `at` (clamped to the run's end).
    pub fn seek(&mut self, at: Millis) {
        let at = at.min(self.end);
        if at < self.now {
            self.folded = Folded::default();
        }
        self.now = at;
        while let Some(event) = self.run.events.get(self.folded.cursor) {
            if event.at > at {
                break;
            }
            let event = *event;
            let index = self.folded.cursor;
            self.fold(index, &event);
            self.folded.cursor += 1;
        }
        let events = &self.run.events;
        self.folded.wire.retain(|&index| match events[index].kind {
            ModelEventKind::Hop { arrive, .. } => arrive > at,
            _ => false,
        });
        self.folded.stats.read_latency = Percentiles::of(&mut self.folded.read_samples.clone());
        self.folded.stats.write_latency = Percentiles::of(&mut self.folded.write_samples.clone());
    }

    /// Steps to the next moment something happens.
    pub fn step(&mut self) {
        let next = self
            .run
            .events
            .iter()
            .map(|event| event.at)
            .find(|&at| at > self.now)
            .unwrap_or(self.end);
        self.seek(next);
    }

    /// The messages on the wire at the time shown.
    pub fn in_flight(&self) -> Vec<InFlight> {
        self.folded
            .wire
            .iter()
            .filter_map(|&index| {
                let event = &self.run.events[index];
                match event.kind {
                    ModelEventKind::Hop {
                        from,
                        to,
                        message,
                        key,
                        arrive,
                    } => Some(InFlight {
                        from,
                        to,
                        message,
                        key: self.names.name(key),
                        progress: if arrive > event.at {
                            (self.now - event.at) as f64 / (arrive - event.at) as f64
                        } else {
                            1.0
                        },
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    /// Up to `limit` keys, most recently changed first, with their cached and database versions.
    pub fn rows(&self, limit: usize) -> Vec<RowView> {
        self.folded
            .touched
            .iter()
            .rev()
            .take(limit)
            .map(|&key| RowView {
                name: self.names.name(key),
                cached: self.folded.cache.get(&key).copied(),
                db: self.db_version(key),
                queued: self
                    .folded
                    .queue
                    .iter()
                    .rev()
                    .find(|&&(queued, _)| queued == key)
                    .map(|&(_, version)| version),
            })
            .collect()
    }

    fn db_version(&self, key: u64) -> u64 {
        self.folded
            .db
            .get(&key)
            .copied()
            .unwrap_or(if key < self.config.db_keys { 1 } else { 0 })
    }

    fn touch(&mut self, key: u64) {
        let touched = &mut self.folded.touched;
        if let Some(position) = touched.iter().rposition(|&k| k == key) {
            touched.remove(position);
        }
        touched.push(key);
        // Only the latest few are ever drawn.
        if touched.len() > 64 {
            touched.remove(0);
        }
    }

    fn fold(&mut self, index: usize, event: &ModelEvent) {
        let name = |lab: &FlowLab, key: u64| lab.names.name(key);
        let version = |version: u64| {
            if version == 0 {
                "not found".to_owned()
            } else {
                format!("v{version}")
            }
        };
        let (kind, text) = match event.kind {
            ModelEventKind::Hop {
                from,
                to,
                message,
                key,
                ..
            } => {
                self.folded.wire.push(index);
                let what = match message {
                    Message::Flush => message.label().to_owned(),
                    _ => format!("{} {}", message.label(), name(self, key)),
                };
                (
                    LineKind::Message,
                    format!("{} → {}: {what}", node_label(from), node_label(to)),
                )
            }
            ModelEventKind::Hit { key, version: v } => {
                self.folded.stats.hits += 1;
                (
                    LineKind::Hit,
                    format!("{} = {}", name(self, key), version(v)),
                )
            }
            ModelEventKind::Miss { key } => {
                self.folded.stats.misses += 1;
                (
                    LineKind::Miss,
                    format!("{} — not in the cache", name(self, key)),
                )
            }
            ModelEventKind::Set { key, version: v } => {
                self.folded.cache.insert(key, v);
                self.touch(key);
                (
                    LineKind::Set,
                    format!("{} = {}", name(self, key), version(v)),
                )
            }
            ModelEventKind::Evict { key, why } => {
                self.folded.cache.remove(&key);
                (LineKind::Evict, format!("{} — {why}", name(self, key)))
            }
            ModelEventKind::Expire { key } => {
                self.folded.cache.remove(&key);
                (
                    LineKind::Expire,
                    format!("{} — TTL ran out", name(self, key)),
                )
            }
            ModelEventKind::Invalidate { key } => {
                self.folded.cache.remove(&key);
                self.touch(key);
                (
                    LineKind::Delete,
                    format!("{} — invalidated after a write", name(self, key)),
                )
            }
            ModelEventKind::DbRead { key, version: v } => {
                self.folded.stats.db_reads += 1;
                let bucket = (event.at / LOAD_BUCKET) as usize;
                if self.folded.db_load.len() <= bucket {
                    self.folded.db_load.resize(bucket + 1, 0);
                }
                self.folded.db_load[bucket] += 1;
                (
                    LineKind::DbRead,
                    format!("{} → {}", name(self, key), version(v)),
                )
            }
            ModelEventKind::DbWrite { key, version: v } => {
                self.folded.stats.db_writes += 1;
                let stored = self.db_version(key).max(v);
                self.folded.db.insert(key, stored);
                if let Some(position) = self
                    .folded
                    .queue
                    .iter()
                    .position(|&(queued, queued_version)| queued == key && queued_version <= v)
                {
                    self.folded.queue.remove(position);
                }
                self.touch(key);
                (LineKind::DbWrite, format!("{} = v{v}", name(self, key)))
            }
            ModelEventKind::DbDown { key } => (
                LineKind::DbDown,
                format!("{} — the database is unavailable", name(self, key)),
            ),
            ModelEventKind::Queued {
                key,
                version: v,
                coalesced,
            } => {
                self.folded.queue.retain(|&(queued, _)| queued != key);
                self.folded.queue.push((key, v));
                self.touch(key);
                let how = if coalesced {
                    " (replaces the queued write)"
                } else {
                    ""
                };
                (LineKind::Queue, format!("{} = v{v}{how}", name(self, key)))
            }
            ModelEventKind::Flush { writes } => (
                LineKind::Flush,
                format!("{writes} queued writes leave for the database"),
            ),
            ModelEventKind::Lost { key, version: v } => {
                self.folded.stats.lost_writes += 1;
                self.folded.queue.retain(|&(queued, _)| queued != key);
                (
                    LineKind::Lost,
                    format!(
                        "{} = v{v} — acknowledged, never reached the database",
                        name(self, key)
                    ),
                )
            }
            ModelEventKind::CacheCrash { entries, queued } => {
                self.folded.cache.clear();
                (
                    LineKind::Crash,
                    format!("the cache lost {entries} entries and {queued} queued writes"),
                )
            }
            ModelEventKind::Wait { key, client } => {
                self.folded.stats.waits += 1;
                (
                    LineKind::Wait,
                    format!(
                        "client {client} waits for the load of {} already under way",
                        name(self, key)
                    ),
                )
            }
            ModelEventKind::Refresh { key } => (
                LineKind::Refresh,
                format!("{} — refreshed early, before it expires", name(self, key)),
            ),
            ModelEventKind::Stale { key, got, latest } => {
                self.folded.stats.stale_reads += 1;
                (
                    LineKind::Stale,
                    format!(
                        "{}: the reader got v{got} while the database has v{latest}",
                        name(self, key)
                    ),
                )
            }
            ModelEventKind::Done {
                client,
                write,
                key,
                latency,
                ok,
            } => {
                let stats = &mut self.folded.stats;
                if write {
                    stats.writes += 1;
                    self.folded.write_samples.push(latency);
                } else {
                    stats.reads += 1;
                    self.folded.read_samples.push(latency);
                }
                if !ok {
                    stats.errors += 1;
                }
                let who = if client == READER_CLIENT {
                    "you".to_owned()
                } else {
                    format!("client {client}")
                };
                let what = if write { "write" } else { "read" };
                let outcome = if ok { "" } else { " — failed" };
                (
                    LineKind::Done,
                    format!("{who}: {what} {} in {latency} ms{outcome}", name(self, key)),
                )
            }
        };
        self.folded.console.push(event.at, kind, text);
    }
}

/// A node's label, with the reader's own client called "you".
pub fn node_label(node: Node) -> String {
    match node {
        Node::Client(READER_CLIENT) => "you".to_owned(),
        _ => node.label(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::StampedeStrategy;

    fn lines(lab: &FlowLab) -> Vec<String> {
        lab.console().lines().map(ToString::to_string).collect()
    }

    #[test]
    fn the_fold_at_the_end_agrees_with_the_runs_metrics() {
        for scenario in [
            "cache-aside",
            "write-through",
            "write-behind",
            "write-around",
        ] {
            let mut lab = FlowLab::new(scenario, ScenarioOptions::default()).unwrap();
            lab.seek(Millis::MAX);
            let metrics = &lab.run.metrics;
            let stats = lab.stats();
            assert_eq!(
                (stats.hits, stats.misses, stats.db_reads, stats.db_writes),
                (
                    metrics.cache_hits,
                    metrics.cache_misses,
                    metrics.db_reads,
                    metrics.db_writes
                ),
                "{scenario}"
            );
            assert_eq!(stats.stale_reads, metrics.stale_reads, "{scenario}");
            assert_eq!(stats.read_latency, metrics.read_latency, "{scenario}");
            assert!(lab.in_flight().is_empty());
        }
    }

    #[test]
    fn seeking_back_and_forth_gives_the_same_view() {
        let mut lab = FlowLab::new("write-behind", ScenarioOptions::default()).unwrap();
        lab.seek(700);
        let at_700 = (
            lines(&lab),
            lab.rows(8),
            lab.in_flight(),
            lab.stats().clone(),
        );
        lab.seek(1_500);
        lab.seek(100);
        lab.seek(700);
        assert_eq!(
            (
                lines(&lab),
                lab.rows(8),
                lab.in_flight(),
                lab.stats().clone()
            ),
            at_700
        );
    }

    #[test]
    fn a_crash_loses_exactly_the_queued_writes() {
        let mut lab = FlowLab::new("write-behind", ScenarioOptions::default()).unwrap();
        lab.seek(950);
        let queued = lab.queue().len() as u64;
        assert!(queued > 0);
        lab.crash_now();
        lab.seek(Millis::MAX);
        assert_eq!(lab.stats().lost_writes, queued);
        let lost = lines(&lab)
            .iter()
            .filter(|line| line.contains(" LOST "))
            .count();
        assert_eq!(lost as u64, queued);
    }

    #[test]
    fn the_readers_requests_join_the_run_at_the_time_shown() {
        let mut lab = FlowLab::new("write-around", ScenarioOptions::default()).unwrap();
        lab.seek(500);
        let before = lines(&lab);
        lab.write("user:7");
        lab.seek(600);
        lab.read("user:7");
        lab.seek(Millis::MAX);
        let after = lines(&lab);
        assert_eq!(after[..before.len()], before[..]);
        assert!(after.iter().any(|line| line.contains("you: write user:7")));
        // Write-around: the first read after the write misses.
        assert!(after.iter().any(|line| line.contains("MISS user:7")));
    }

    #[test]
    fn stampede_db_reads_equal_clients_without_protection_and_one_with_coalescing() {
        let options = |strategy| ScenarioOptions {
            clients: Some(12),
            strategy: Some(strategy),
            ..ScenarioOptions::default()
        };
        let mut none = FlowLab::new("stampede", options(StampedeStrategy::None)).unwrap();
        none.seek(Millis::MAX);
        assert_eq!(none.stats().db_reads, 12);
        let mut coalesce = FlowLab::new("stampede", options(StampedeStrategy::Coalesce)).unwrap();
        coalesce.seek(Millis::MAX);
        assert_eq!(coalesce.stats().db_reads, 1);
        assert_eq!(coalesce.stats().waits, 11);
        assert_eq!(none.db_load().iter().sum::<u64>(), 12);
    }
}
