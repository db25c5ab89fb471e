//! The write-pattern and stampede demos' engine: a scenario of the discrete-event model, run to the
//! end once (for its length and every request's full story), and a second [`Simulation`] of the
//! same run advanced to the moment shown, whose own [`Snapshot`] is what the diagram draws. Nothing
//! here re-derives the cache, the database or the queue from events: the model is the one
//! interpreter. Seeking back starts the view's simulation again; the reader's own reads and writes,
//! and a cache crash, join the scenario and the run is redone, so everything before the moment they
//! acted is unchanged.
//!
//! Words for the reader (console lines, the steps of a request, arrow labels) are made here.

use std::rc::Rc;

use super::console::{ConsoleLog, LineKind, format_time};
use super::key_names::KeyNames;
use super::policy_words;
use crate::engine::events::Millis;
use crate::engine::model::{
    ClientRequest, Message, Metrics, ModelConfig, ModelEvent, ModelEventKind, ModelRun, Node, Op,
    Pattern, Scenario, ScenarioOptions, Simulation, Snapshot, StampedeStrategy, run, sort_requests,
};

/// The reader's requests come from this client number.
pub const READER_CLIENT: u32 = 900;
/// Names typed by the reader that are not database keys are numbered from here.
const TYPED_KEYS: u64 = 1_000_000;
/// Width of a database-load bucket, in virtual ms.
pub use crate::engine::model::metrics::LOAD_BUCKET;

/// What a message means, for its colour and legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meaning {
    /// A client's request, or a lookup on its behalf.
    Request,
    /// The cache's answer to a lookup that hit.
    Hit,
    /// The cache's answer to a lookup that missed.
    Miss,
    /// A database query or write, or its answer.
    Database,
    /// A DELETE of a cached key.
    Invalidate,
    /// A SET of a cached key.
    Fill,
    /// A batch of queued writes on its way to the database.
    Flush,
    /// Any other reply (an acknowledgement, or the value on its way back to the client).
    Reply,
    /// Taking or releasing a key's lock (lock strategy).
    Lock,
}

impl Meaning {
    /// A lower-case id for CSS classes, e.g. `hit`.
    pub fn id(self) -> &'static str {
        match self {
            Meaning::Request => "request",
            Meaning::Hit => "hit",
            Meaning::Miss => "miss",
            Meaning::Database => "database",
            Meaning::Invalidate => "invalidate",
            Meaning::Fill => "fill",
            Meaning::Flush => "flush",
            Meaning::Reply => "reply",
            Meaning::Lock => "lock",
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Meaning::Request => "request",
            Meaning::Hit => "hit",
            Meaning::Miss => "miss",
            Meaning::Database => "database",
            Meaning::Invalidate => "invalidate",
            Meaning::Fill => "set",
            Meaning::Flush => "flush",
            Meaning::Reply => "reply",
            Meaning::Lock => "lock (SET NX / DEL)",
        }
    }

    /// Every meaning, in legend order.
    pub const ALL: [Meaning; 9] = [
        Meaning::Request,
        Meaning::Hit,
        Meaning::Miss,
        Meaning::Database,
        Meaning::Fill,
        Meaning::Invalidate,
        Meaning::Flush,
        Meaning::Reply,
        Meaning::Lock,
    ];
}

/// A message on the wire at the time shown.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlight {
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// What it carries.
    pub message: Message,
    /// Its label, e.g. `GET k3`.
    pub label: String,
    /// What it means.
    pub meaning: Meaning,
    /// How far along, 0 to 1.
    pub progress: f64,
    /// The request it serves, if any.
    pub request: Option<u32>,
}

/// An outcome to flash on the node where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Where it happened.
    pub node: Node,
    /// What happened, in capitals: `HIT`, `MISS`, `STALE`, `LOST`, `WAIT`…
    pub label: &'static str,
    /// The console kind it matches (for its colour).
    pub kind: LineKind,
    /// The key's name (or a count, for a crash).
    pub detail: String,
}

/// One step of a request: a message and what came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestStep {
    /// When it started.
    pub at: Millis,
    /// When its message arrives (a step without a message: `at`).
    pub until: Millis,
    /// Sender and receiver, for a message.
    pub hop: Option<(Node, Node)>,
    /// What the message carries, for a message.
    pub message: Option<Message>,
    /// The step in words, e.g. `app → cache: GET k3 → MISS`.
    pub text: String,
    /// The message's label alone, e.g. `GET k3` (for an arrow).
    pub label: String,
}

/// A message of another request, sent while the followed one was under way (the sequence view
/// draws them faintly around it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// The request it serves, if any.
    pub request: Option<u32>,
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// What it carries, e.g. `GET k3`.
    pub label: String,
    /// When it left.
    pub sent: Millis,
    /// When it arrives.
    pub arrive: Millis,
}

/// One arrow of the diagram: a direction and the operations it carries in this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// The operations, e.g. `GET / SET / DELETE`.
    pub label: String,
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
    /// Every request of the run, in the order sent; events name them by index.
    requests: Rc<[ClientRequest]>,
    /// The whole run, to its end.
    run: ModelRun,
    /// Each request's events (indices into the run's events), in order.
    by_request: Vec<Vec<u32>>,
    /// The clients that send requests, in order.
    clients: Vec<u32>,
    /// When the last event happens or the last message arrives.
    end: Millis,
    /// The time shown.
    now: Millis,
    /// Key names.
    names: KeyNames,
    /// The run advanced to the time shown.
    view: Simulation,
    /// Its state at the time shown.
    snapshot: Snapshot,
    /// The console as of the time shown.
    console: ConsoleLog,
    /// The view's events already in the console.
    console_cursor: usize,
    /// The request the reader selected.
    selected: Option<u32>,
}

/// A kind of data in a scenario whose keys are grouped (the e-commerce service).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataType {
    /// The prefix of its keys' names (`prod:7`), also its CSS class after `dt-`.
    pub id: &'static str,
    /// In the legend's and the table's words.
    pub label: &'static str,
}

/// The e-commerce service's kinds of data, in the order of the model's key groups
/// (`shop::GROUPS`).
pub const SHOP_TYPES: [DataType; 6] = [
    DataType {
        id: "prod",
        label: "Catalogue (cache-aside)",
    },
    DataType {
        id: "sess",
        label: "Sessions (write-through)",
    },
    DataType {
        id: "evt",
        label: "Analytics (write-behind)",
    },
    DataType {
        id: "price",
        label: "Prices (write-around)",
    },
    DataType {
        id: "prof",
        label: "Profiles (invalidate related)",
    },
    DataType {
        id: "recs",
        label: "Recommendations",
    },
];

/// Keys named per kind of data, from each group's first key.
const NAMED_PER_TYPE: u64 = 100;

impl FlowLab {
    /// Builds and runs `scenario` with `options`, or says why the options do not fit.
    pub fn new(scenario: &str, options: ScenarioOptions) -> Result<FlowLab, String> {
        let scenario = Scenario::find(scenario).ok_or_else(|| {
            format!(
                "no scenario called {scenario}; try one of {}",
                Scenario::names()
            )
        })?;
        let (config, workload) = scenario.build(&options).map_err(|e| e.to_string())?;
        let mut names = KeyNames::starting_at(TYPED_KEYS);
        for key in 0..config.db_keys.min(10_000) {
            names.bind(&format!("k{key}"), key);
        }
        // Grouped keys read by their kind: `prod:7` rather than `k7` (which still works).
        for (range, data) in config.groups.iter().zip(SHOP_TYPES) {
            for offset in 0..NAMED_PER_TYPE.min(range.until - range.from) {
                names.bind(&format!("{}:{offset}", data.id), range.from + offset);
            }
        }
        let requests: Rc<[ClientRequest]> = Rc::from(Vec::new());
        let mut lab = FlowLab {
            scenario,
            options,
            config,
            workload,
            manual: Vec::new(),
            view: Simulation::new(config, requests.clone()),
            requests,
            run: ModelRun {
                events: Vec::new(),
                metrics: Metrics::default(),
            },
            by_request: Vec::new(),
            clients: Vec::new(),
            end: 0,
            now: 0,
            names,
            snapshot: Snapshot::default(),
            console: ConsoleLog::default(),
            console_cursor: 0,
            selected: None,
        };
        lab.rerun();
        Ok(lab)
    }

    /// Changes the options (a slider moved), keeping the reader's requests and the time shown.
    pub fn set_options(&mut self, options: ScenarioOptions) -> Result<(), String> {
        let (config, workload) = self.scenario.build(&options).map_err(|e| e.to_string())?;
        self.options = options;
        self.config = config;
        self.workload = workload;
        self.selected = None;
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
        &self.console
    }

    /// The model's state at the time shown.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The metrics as of the time shown.
    pub fn metrics(&self) -> &Metrics {
        &self.snapshot.metrics
    }

    /// The clients that send requests, in order (the reader's last, once they have acted).
    pub fn clients(&self) -> &[u32] {
        &self.clients
    }

    /// A request as sent.
    pub fn request_sent(&self, request: u32) -> Option<&ClientRequest> {
        self.requests.get(request as usize)
    }

    /// Whether the reader selected the request followed (rather than the newest being followed).
    pub fn selected(&self) -> Option<u32> {
        self.selected
    }

    /// A key's name.
    pub fn name(&self, key: u64) -> String {
        self.names.name(key)
    }

    /// Database reads per [`LOAD_BUCKET`] up to the time shown.
    pub fn db_load(&self) -> Vec<u64> {
        self.snapshot
            .metrics
            .db_load
            .iter()
            .map(|&(_, reads, _)| reads)
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
    /// the view moves on to that moment, with the reader's request selected.
    fn request(&mut self, op: Op) {
        let at = self.now + 1;
        let request = ClientRequest::new(at, READER_CLIENT, op);
        self.manual.push(request);
        self.rerun();
        self.selected = self
            .requests
            .iter()
            .rposition(|sent| *sent == request)
            .map(|index| index as u32);
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
        sort_requests(&mut requests);
        self.requests = requests.into();
        self.run = run(&self.config, &self.requests);
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
        self.by_request = vec![Vec::new(); self.requests.len()];
        for (index, event) in self.run.events.iter().enumerate() {
            if let Some(list) = event
                .request
                .and_then(|request| self.by_request.get_mut(request as usize))
            {
                list.push(index as u32);
            }
        }
        let mut clients: Vec<u64> = self
            .requests
            .iter()
            .map(|request| u64::from(request.client))
            .collect();
        clients.sort_unstable();
        clients.dedup();
        self.clients = clients.into_iter().map(|client| client as u32).collect();
        self.selected = self
            .selected
            .filter(|&request| (request as usize) < self.requests.len());
        self.restart_view();
        self.seek(self.now);
    }

    fn restart_view(&mut self) {
        self.view = Simulation::new(self.config, self.requests.clone());
        self.console.reset();
        self.console_cursor = 0;
    }

    /// Shows time `at` (clamped to the run's end).
    pub fn seek(&mut self, at: Millis) {
        let at = at.min(self.end);
        if at < self.now || at < self.view.now() {
            self.restart_view();
        }
        self.now = at;
        self.view.advance_to(at);
        let fresh = self.view.events().len();
        for index in self.console_cursor..fresh {
            let event = self.view.events()[index];
            let (kind, text) = self.describe(&event);
            self.console
                .push_tagged(event.at, kind, text, event.request);
        }
        self.console_cursor = fresh;
        self.snapshot = self.view.snapshot();
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

    /// Selects a request (from the console, say), or clears the selection.
    pub fn select(&mut self, request: Option<u32>) {
        self.selected = request.filter(|&request| (request as usize) < self.requests.len());
    }

    /// The request the narration follows: the one selected, or else the newest one under way, or
    /// else the one that finished last.
    pub fn focus(&self) -> Option<u32> {
        self.selected
            .or_else(|| {
                self.snapshot
                    .open
                    .iter()
                    .max_by_key(|open| (open.started, open.request))
                    .map(|open| open.request)
            })
            .or_else(|| {
                let seen = self.view.events();
                seen.iter().rev().find_map(|event| match event.kind {
                    ModelEventKind::Done { .. } => event.request,
                    _ => None,
                })
            })
    }

    /// Selects the request sent before (`-1`) or after (`+1`) the one in focus, among those sent
    /// by the time shown; returns whether the selection moved.
    pub fn select_step(&mut self, direction: i32) -> bool {
        let sent = self
            .requests
            .partition_point(|request| request.at <= self.now) as u32;
        if sent == 0 {
            return false;
        }
        let next = match (self.focus(), direction) {
            (None, _) => sent - 1,
            (Some(at), d) if d < 0 => at.saturating_sub(1),
            (Some(at), _) => (at + 1).min(sent - 1),
        };
        let moved = Some(next) != self.focus();
        self.selected = Some(next);
        moved
    }

    /// A request in words: `client 2: read k3`.
    pub fn request_label(&self, request: u32) -> String {
        let Some(sent) = self.requests.get(request as usize) else {
            return String::new();
        };
        let (what, key) = match sent.op {
            Op::Read(key) => ("read", key),
            Op::Write(key) => ("write", key),
        };
        format!(
            "{}: {what} {}",
            node_name(Node::Client(sent.client)),
            self.names.name(key)
        )
    }

    /// The request's steps up to the time shown (`all`: to its end), in order.
    pub fn steps(&self, request: u32, all: bool) -> Vec<RequestStep> {
        let Some(indices) = self.by_request.get(request as usize) else {
            return Vec::new();
        };
        let mut steps: Vec<RequestStep> = Vec::new();
        // The last version seen on the way, for the replies' words.
        let mut version: Option<u64> = None;
        // The answer to a lock request, for the cache's reply that carries it.
        let mut lock_answer: Option<&str> = None;
        for &index in indices {
            let event = &self.run.events[index as usize];
            if !all && event.at > self.now {
                break;
            }
            let key = |key: u64| self.names.name(key);
            // An effect belongs to the message whose arrival caused it: the one that reached the
            // node where it happened at that moment (two can arrive at once).
            let (at, kind) = (event.at, event.kind);
            let mut attach = |suffix: String| {
                let arrived_here = |step: &RequestStep| {
                    step.until == at && step.hop.is_some_and(|(_, to)| happens_at(&kind, to))
                };
                // Of two messages reaching the node at once (a SET and a lock's release), the
                // one that carries this effect's operation.
                let here = steps
                    .iter()
                    .rposition(|step| arrived_here(step) && step.message == caused_by(&kind))
                    .or_else(|| steps.iter().rposition(arrived_here));
                let arrived = here.or_else(|| steps.iter().rposition(|step| step.until == at));
                if let Some(index) = arrived.or(steps.len().checked_sub(1)) {
                    steps[index].text.push_str(&suffix);
                }
            };
            match event.kind {
                ModelEventKind::Hop {
                    from,
                    to,
                    message,
                    key: k,
                    arrive,
                } => {
                    let label = match message {
                        Message::Reply if from == Node::Cache && lock_answer.is_some() => {
                            lock_answer.take().unwrap_or_default().to_owned()
                        }
                        Message::Reply => reply_words(from, to, version),
                        _ => self.message_words(message, k),
                    };
                    let took = if matches!(to, Node::Database) || matches!(from, Node::Database) {
                        format!(" ({} ms)", arrive - event.at)
                    } else {
                        String::new()
                    };
                    steps.push(RequestStep {
                        at: event.at,
                        until: arrive,
                        hop: Some((from, to)),
                        message: Some(message),
                        text: format!("{} → {}: {label}{took}", node_name(from), node_name(to)),
                        label,
                    });
                }
                ModelEventKind::Hit { version: v, .. } => {
                    version = Some(v);
                    attach(format!(" → HIT {}", version_words(v)));
                }
                ModelEventKind::Miss { .. } => attach(" → MISS".to_owned()),
                ModelEventKind::Set { version: v, .. } => {
                    version = Some(v);
                    attach(format!(" → cached {}", version_words(v)));
                }
                ModelEventKind::Evict { key: k, .. } => {
                    attach(format!(" (evicts {})", key(k)));
                }
                ModelEventKind::Expire { key: k } => {
                    attach(format!(" ({} had expired)", key(k)));
                }
                ModelEventKind::Invalidate { .. } => attach(" → deleted".to_owned()),
                ModelEventKind::DbRead { version: v, .. } => {
                    version = Some(v);
                    attach(format!(" → {}", version_words(v)));
                }
                ModelEventKind::DbWrite { version: v, .. } => {
                    version = Some(v);
                    attach(format!(" → stored v{v}"));
                }
                ModelEventKind::DbDown { .. } => attach(" → the database is down".to_owned()),
                ModelEventKind::Queued {
                    version: v,
                    coalesced,
                    ..
                } => {
                    version = Some(v);
                    attach(if coalesced {
                        format!(" → queued v{v}, replacing the queued write")
                    } else {
                        format!(" → queued v{v}")
                    });
                }
                ModelEventKind::Stale { got, latest, .. } => {
                    attach(format!(" → STALE: v{got} while the database has v{latest}"));
                }
                ModelEventKind::Refresh { .. } => attach(" → early refresh started".to_owned()),
                ModelEventKind::Wait { key: k, .. } => steps.push(RequestStep {
                    at: event.at,
                    until: event.at,
                    hop: None,
                    message: None,
                    text: format!("WAIT for the load of {} already under way", key(k)),
                    label: "WAIT".to_owned(),
                }),
                ModelEventKind::LockTaken { until, .. } => {
                    lock_answer = Some("lock granted");
                    attach(format!(" → lock taken until {}", format_time(until)));
                }
                ModelEventKind::LockBusy { retry_at, .. } => {
                    lock_answer = Some("lock busy");
                    attach(format!(
                        " → locked by another reader: retry at {}",
                        format_time(retry_at)
                    ));
                }
                ModelEventKind::Retry { key: k, .. } => steps.push(RequestStep {
                    at: event.at,
                    until: event.at,
                    hop: None,
                    message: None,
                    text: format!(
                        "RETRY: the back-off is over; ask the cache for {} again",
                        key(k)
                    ),
                    label: "RETRY".to_owned(),
                }),
                ModelEventKind::LockReleased { .. } => attach(" → lock released".to_owned()),
                ModelEventKind::Done { latency, ok, .. } => {
                    attach(if ok {
                        format!(" in {latency} ms")
                    } else {
                        format!(" — failed after {latency} ms")
                    });
                }
                ModelEventKind::Flush { .. }
                | ModelEventKind::Lost { .. }
                | ModelEventKind::CacheCrash { .. }
                | ModelEventKind::LockExpired { .. } => {}
            }
        }
        steps
    }

    /// Up to `limit` messages of other requests (or background work) sent while `request` was
    /// under way, in the order sent.
    pub fn neighbours(&self, request: u32, limit: usize) -> Vec<Neighbour> {
        let steps = self.steps(request, true);
        let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
            return Vec::new();
        };
        let (from, until) = (first.at, last.until);
        let events = &self.run.events;
        let start = events.partition_point(|event| event.at < from);
        events[start..]
            .iter()
            .take_while(|event| event.at <= until)
            .filter(|event| event.request != Some(request))
            .filter_map(|event| match event.kind {
                ModelEventKind::Hop {
                    from,
                    to,
                    message,
                    key,
                    arrive,
                } => Some(Neighbour {
                    request: event.request,
                    from,
                    to,
                    label: match message {
                        Message::Reply => message.label().to_owned(),
                        _ => self.message_words(message, key),
                    },
                    sent: event.at,
                    arrive,
                }),
                _ => None,
            })
            .take(limit)
            .collect()
    }

    /// The messages on the wire at the time shown.
    pub fn in_flight(&self) -> Vec<InFlight> {
        self.snapshot
            .wire
            .iter()
            .map(|wire| {
                let label = match wire.message {
                    Message::Flush => {
                        let writes = self.flush_size(wire.sent).unwrap_or(1);
                        format!("FLUSH {writes}")
                    }
                    Message::Reply => reply_words(
                        wire.from,
                        wire.to,
                        wire.request.and_then(|r| self.version_before(r, wire.sent)),
                    ),
                    message => self.message_words(message, wire.key),
                };
                InFlight {
                    from: wire.from,
                    to: wire.to,
                    message: wire.message,
                    label,
                    meaning: self.meaning(
                        wire.request,
                        wire.from,
                        wire.to,
                        wire.message,
                        wire.sent,
                    ),
                    progress: if wire.arrive > wire.sent {
                        (self.now.saturating_sub(wire.sent)) as f64
                            / (wire.arrive - wire.sent) as f64
                    } else {
                        1.0
                    },
                    request: wire.request,
                }
            })
            .collect()
    }

    /// How many writes the flush sent at `at` carries.
    fn flush_size(&self, at: Millis) -> Option<u32> {
        let seen = self.view.events();
        let from = seen.partition_point(|event| event.at < at);
        seen[from..]
            .iter()
            .take_while(|event| event.at == at)
            .find_map(|event| match event.kind {
                ModelEventKind::Flush { writes } => Some(writes),
                _ => None,
            })
    }

    /// The events of `request` (if any) up to time `at`, in order.
    fn events_until(
        &self,
        request: Option<u32>,
        at: Millis,
    ) -> impl Iterator<Item = &ModelEvent> + '_ {
        request
            .and_then(|request| self.by_request.get(request as usize))
            .into_iter()
            .flatten()
            .map(|&index| &self.run.events[index as usize])
            .take_while(move |event| event.at <= at)
    }

    /// The version the request had obtained by `at`, if any.
    fn version_before(&self, request: u32, at: Millis) -> Option<u64> {
        self.events_until(Some(request), at)
            .filter_map(|event| match event.kind {
                ModelEventKind::Hit { version, .. }
                | ModelEventKind::Set { version, .. }
                | ModelEventKind::DbRead { version, .. }
                | ModelEventKind::DbWrite { version, .. }
                | ModelEventKind::Queued { version, .. } => Some(version),
                _ => None,
            })
            .last()
    }

    /// What a message means: a cache's reply is a hit or a miss by what the lookup found.
    fn meaning(
        &self,
        request: Option<u32>,
        from: Node,
        to: Node,
        message: Message,
        sent: Millis,
    ) -> Meaning {
        match message {
            Message::ReadRequest | Message::WriteRequest | Message::Get => Meaning::Request,
            Message::Set => Meaning::Fill,
            Message::Delete => Meaning::Invalidate,
            Message::DbRead | Message::DbWrite => Meaning::Database,
            Message::Flush => Meaning::Flush,
            Message::Lock | Message::Unlock => Meaning::Lock,
            Message::Reply if from == Node::Database || to == Node::Database => Meaning::Database,
            Message::Reply if from == Node::Cache => {
                let lookup = self
                    .events_until(request, sent)
                    .filter_map(|event| match event.kind {
                        ModelEventKind::Hit { .. } => Some(Meaning::Hit),
                        ModelEventKind::Miss { .. } => Some(Meaning::Miss),
                        ModelEventKind::LockTaken { .. } | ModelEventKind::LockBusy { .. } => {
                            Some(Meaning::Lock)
                        }
                        _ => None,
                    })
                    .last();
                // A read's answer from the cache carries what the lookup found; a write's is an
                // acknowledgement.
                match request.and_then(|request| self.requests.get(request as usize)) {
                    Some(ClientRequest {
                        op: Op::Read(_), ..
                    }) => lookup.unwrap_or(Meaning::Reply),
                    _ => Meaning::Reply,
                }
            }
            Message::Reply => Meaning::Reply,
        }
    }

    /// Outcomes in the last `window` ms up to the time shown, the newest per node.
    pub fn outcomes(&self, window: Millis) -> Vec<Outcome> {
        let seen = self.view.events();
        let from = seen.partition_point(|event| event.at + window <= self.now);
        let mut outcomes: Vec<Outcome> = Vec::new();
        for event in seen[from..].iter().rev() {
            let name = |key: u64| self.names.name(key);
            let outcome = match event.kind {
                ModelEventKind::Hit { key, .. } => (Node::Cache, "HIT", LineKind::Hit, name(key)),
                ModelEventKind::Miss { key } => (Node::Cache, "MISS", LineKind::Miss, name(key)),
                ModelEventKind::Stale { key, .. } => {
                    (Node::Cache, "STALE", LineKind::Stale, name(key))
                }
                ModelEventKind::Evict { key, .. } => {
                    (Node::Cache, "EVICT", LineKind::Evict, name(key))
                }
                ModelEventKind::Expire { key } => {
                    (Node::Cache, "EXPIRE", LineKind::Expire, name(key))
                }
                ModelEventKind::Invalidate { key } => {
                    (Node::Cache, "DELETE", LineKind::Delete, name(key))
                }
                ModelEventKind::Refresh { key } => {
                    (Node::Cache, "REFRESH", LineKind::Refresh, name(key))
                }
                ModelEventKind::CacheCrash { entries, .. } => (
                    Node::Cache,
                    "CRASH",
                    LineKind::Crash,
                    format!("{entries} entries gone"),
                ),
                ModelEventKind::Wait { key, .. } => (Node::App, "WAIT", LineKind::Wait, name(key)),
                ModelEventKind::LockTaken { key, .. } => {
                    (Node::Cache, "LOCKED", LineKind::Lock, name(key))
                }
                ModelEventKind::LockBusy { key, .. } => {
                    (Node::Cache, "BUSY", LineKind::Lock, name(key))
                }
                ModelEventKind::LockReleased { key } => {
                    (Node::Cache, "UNLOCKED", LineKind::Lock, name(key))
                }
                ModelEventKind::LockExpired { key } => {
                    (Node::Cache, "LOCK EXPIRED", LineKind::Lock, name(key))
                }
                ModelEventKind::Retry { key, .. } => {
                    (Node::App, "RETRY", LineKind::Retry, name(key))
                }
                ModelEventKind::DbRead { key, .. } => {
                    (Node::Database, "READ", LineKind::DbRead, name(key))
                }
                ModelEventKind::DbWrite { key, .. } => {
                    (Node::Database, "WRITE", LineKind::DbWrite, name(key))
                }
                ModelEventKind::DbDown { key } => {
                    (Node::Database, "DOWN", LineKind::DbDown, name(key))
                }
                ModelEventKind::Queued { key, coalesced, .. } => (
                    Node::Queue,
                    if coalesced { "REPLACED" } else { "QUEUED" },
                    LineKind::Queue,
                    name(key),
                ),
                ModelEventKind::Lost { key, .. } => {
                    (Node::Queue, "LOST", LineKind::Lost, name(key))
                }
                _ => continue,
            };
            let (node, label, kind, detail) = outcome;
            // The most telling outcome per node: a stale read outranks the hit it came with.
            if let Some(shown) = outcomes.iter_mut().find(|shown| shown.node == node) {
                if label == "STALE"
                    && shown.label == "HIT"
                    && event.at >= self.now.saturating_sub(window)
                {
                    *shown = Outcome {
                        node,
                        label,
                        kind,
                        detail,
                    };
                }
                continue;
            }
            outcomes.push(Outcome {
                node,
                label,
                kind,
                detail,
            });
        }
        outcomes
    }

    /// The diagram's arrows: one per direction used by the patterns in this run, each labelled
    /// with the operations it carries.
    pub fn links(&self) -> Vec<Link> {
        let mut patterns = vec![self.config.pattern];
        patterns.extend(self.config.routes.iter().map(|route| route.pattern));
        let mut links: Vec<(Node, Node, Vec<&'static str>)> = Vec::new();
        let mut add = |from: Node, to: Node, operations: &[&'static str]| {
            let index = match links.iter().position(|(a, b, _)| *a == from && *b == to) {
                Some(index) => index,
                None => {
                    links.push((from, to, Vec::new()));
                    links.len() - 1
                }
            };
            for operation in operations {
                if !links[index].2.contains(operation) {
                    links[index].2.push(operation);
                }
            }
        };
        let (client, app, cache, db, queue) = (
            Node::Client(0),
            Node::App,
            Node::Cache,
            Node::Database,
            Node::Queue,
        );
        add(client, app, &["read", "write"]);
        add(app, client, &["reply"]);
        for pattern in patterns {
            match pattern {
                Pattern::CacheAside { update_on_write } => {
                    add(
                        app,
                        cache,
                        if update_on_write {
                            &["GET", "SET"]
                        } else {
                            &["GET", "SET", "DELETE"]
                        },
                    );
                    add(cache, app, &["value", "miss", "OK"]);
                    add(app, db, &["SELECT", "UPDATE"]);
                    add(db, app, &["row", "ack"]);
                }
                Pattern::WriteAround => {
                    add(app, cache, &["GET", "SET", "DELETE"]);
                    add(cache, app, &["value", "miss", "OK"]);
                    add(app, db, &["SELECT", "UPDATE"]);
                    add(db, app, &["row", "ack"]);
                }
                Pattern::ReadThrough => {
                    add(app, cache, &["GET", "DELETE"]);
                    add(cache, app, &["value", "OK"]);
                    add(cache, db, &["SELECT"]);
                    add(db, cache, &["row"]);
                    add(app, db, &["UPDATE"]);
                    add(db, app, &["ack"]);
                }
                Pattern::WriteThrough => {
                    add(app, cache, &["GET", "SET"]);
                    add(cache, app, &["value", "OK"]);
                    add(cache, db, &["SELECT", "UPDATE"]);
                    add(db, cache, &["row", "ack"]);
                }
                Pattern::WriteBehind { .. } => {
                    add(app, cache, &["GET", "SET"]);
                    add(cache, app, &["value", "OK"]);
                    add(cache, db, &["SELECT"]);
                    add(db, cache, &["row"]);
                    add(cache, queue, &["enqueue"]);
                    add(queue, db, &["batch flush"]);
                }
            }
        }
        if let StampedeStrategy::Lock { .. } = self.config.strategy {
            add(app, cache, &["lock"]);
            add(cache, app, &["granted", "busy"]);
        }
        links
            .into_iter()
            .map(|(from, to, operations)| Link {
                from,
                to,
                label: operations.join(" / "),
            })
            .collect()
    }

    /// The kinds of data this run's keys are grouped in (none outside the e-commerce service).
    pub fn data_types(&self) -> &'static [DataType] {
        &SHOP_TYPES[..self.config.groups.len().min(SHOP_TYPES.len())]
    }

    /// The kind of data `key` is, if the run groups its keys.
    pub fn data_type(&self, key: u64) -> Option<DataType> {
        self.config
            .group_of(key)
            .and_then(|group| self.data_types().get(group).copied())
    }

    /// Whether any key writes behind (the diagram then draws the queue).
    pub fn has_queue(&self) -> bool {
        self.config.write_behind().is_some()
    }

    /// A message with its key in words, e.g. `GET k3` (a flush carries many keys: `FLUSH`).
    fn message_words(&self, message: Message, key: u64) -> String {
        match message {
            Message::Flush => message.label().to_owned(),
            _ => format!("{} {}", message.label(), self.names.name(key)),
        }
    }

    /// A console line for `event`.
    fn describe(&self, event: &ModelEvent) -> (LineKind, String) {
        let name = |key: u64| self.names.name(key);
        match event.kind {
            ModelEventKind::Hop {
                from,
                to,
                message,
                key,
                ..
            } => (
                LineKind::Message,
                format!(
                    "{} → {}: {}",
                    node_label(from),
                    node_label(to),
                    self.message_words(message, key)
                ),
            ),
            ModelEventKind::Hit { key, version } => (
                LineKind::Hit,
                format!("{} = {}", name(key), version_words(version)),
            ),
            ModelEventKind::Miss { key } => {
                (LineKind::Miss, format!("{} — not in the cache", name(key)))
            }
            ModelEventKind::Set { key, version } => (
                LineKind::Set,
                format!("{} = {}", name(key), version_words(version)),
            ),
            ModelEventKind::Evict { key, policy } => (
                LineKind::Evict,
                format!("{} — {}", name(key), policy_words::eviction_reason(policy)),
            ),
            ModelEventKind::Expire { key } => {
                (LineKind::Expire, format!("{} — TTL ran out", name(key)))
            }
            ModelEventKind::Invalidate { key } => (
                LineKind::Delete,
                format!("{} — invalidated after a write", name(key)),
            ),
            ModelEventKind::DbRead { key, version } => (
                LineKind::DbRead,
                format!("{} → {}", name(key), version_words(version)),
            ),
            ModelEventKind::DbWrite { key, version } => {
                (LineKind::DbWrite, format!("{} = v{version}", name(key)))
            }
            ModelEventKind::DbDown { key } => (
                LineKind::DbDown,
                format!("{} — the database is unavailable", name(key)),
            ),
            ModelEventKind::Queued {
                key,
                version,
                coalesced,
            } => {
                let how = if coalesced {
                    " (replaces the queued write)"
                } else {
                    ""
                };
                (LineKind::Queue, format!("{} = v{version}{how}", name(key)))
            }
            ModelEventKind::Flush { writes } => (
                LineKind::Flush,
                format!("{writes} queued writes leave for the database"),
            ),
            ModelEventKind::Lost { key, version } => (
                LineKind::Lost,
                format!(
                    "{} = v{version} — acknowledged, never reached the database",
                    name(key)
                ),
            ),
            ModelEventKind::CacheCrash { entries, queued } => (
                LineKind::Crash,
                format!("the cache lost {entries} entries and {queued} queued writes"),
            ),
            ModelEventKind::Wait { key, client } => (
                LineKind::Wait,
                format!(
                    "{} waits for the load of {} already under way",
                    node_name(Node::Client(client)),
                    name(key)
                ),
            ),
            ModelEventKind::LockTaken { key, client, until } => (
                LineKind::Lock,
                format!(
                    "{} takes the lock on {} until {}",
                    node_name(Node::Client(client)),
                    name(key),
                    format_time(until)
                ),
            ),
            ModelEventKind::LockBusy {
                key,
                client,
                retry_at,
            } => (
                LineKind::Lock,
                format!(
                    "{} finds {} locked; retries at {}",
                    node_name(Node::Client(client)),
                    name(key),
                    format_time(retry_at)
                ),
            ),
            ModelEventKind::Retry { key, client } => (
                LineKind::Retry,
                format!(
                    "{} asks the cache for {} again",
                    node_name(Node::Client(client)),
                    name(key)
                ),
            ),
            ModelEventKind::LockReleased { key } => (
                LineKind::Lock,
                format!("{} — unlocked by its holder", name(key)),
            ),
            ModelEventKind::LockExpired { key } => (
                LineKind::Lock,
                format!(
                    "{} — the lock expired before its holder finished; another reader may load",
                    name(key)
                ),
            ),
            ModelEventKind::Refresh { key } => (
                LineKind::Refresh,
                format!("{} — refreshed early, before it expires", name(key)),
            ),
            ModelEventKind::Stale { key, got, latest } => (
                LineKind::Stale,
                format!(
                    "{}: the reader got v{got} while the database has v{latest}",
                    name(key)
                ),
            ),
            ModelEventKind::Done {
                client,
                write,
                key,
                latency,
                ok,
            } => {
                let what = if write { "write" } else { "read" };
                let outcome = if ok { "" } else { " — failed" };
                (
                    LineKind::Done,
                    format!(
                        "{}: {what} {} in {latency} ms{outcome}",
                        node_name(Node::Client(client)),
                        name(key)
                    ),
                )
            }
        }
    }
}

/// The message whose arrival has an effect of `kind`, where one kind of message does.
fn caused_by(kind: &ModelEventKind) -> Option<Message> {
    match kind {
        ModelEventKind::Set { .. } => Some(Message::Set),
        ModelEventKind::Hit { .. } | ModelEventKind::Miss { .. } => Some(Message::Get),
        ModelEventKind::LockTaken { .. } | ModelEventKind::LockBusy { .. } => Some(Message::Lock),
        ModelEventKind::LockReleased { .. } => Some(Message::Unlock),
        _ => None,
    }
}

/// Whether an effect of `kind` happens at `node` (where the message that caused it arrived).
fn happens_at(kind: &ModelEventKind, node: Node) -> bool {
    match kind {
        ModelEventKind::DbRead { .. }
        | ModelEventKind::DbWrite { .. }
        | ModelEventKind::DbDown { .. } => node == Node::Database,
        ModelEventKind::Done { .. } => matches!(node, Node::Client(_)),
        _ => node == Node::Cache,
    }
}

/// A version in words: `v3`, or `not found` for a missing row.
pub fn version_words(version: u64) -> String {
    if version == 0 {
        "not found".to_owned()
    } else {
        format!("v{version}")
    }
}

/// A reply's words: what it carries on that arrow.
fn reply_words(from: Node, to: Node, version: Option<u64>) -> String {
    match (from, to, version) {
        (Node::Database, _, Some(v)) => format!("row {}", version_words(v)),
        (_, Node::Client(_), Some(v)) => version_words(v),
        (_, Node::Client(_), None) => "error".to_owned(),
        (Node::Cache, Node::App, Some(v)) => version_words(v),
        (Node::Cache, Node::App, None) => "miss".to_owned(),
        _ => "OK".to_owned(),
    }
}

/// A node's label in the console, with the reader's own client called "you".
pub fn node_label(node: Node) -> String {
    match node {
        Node::Client(READER_CLIENT) => "you".to_owned(),
        _ => node.label(),
    }
}

/// A node in the narration's words: `client 2`, `you`, `app`, `cache`, `database`, `queue`.
pub fn node_name(node: Node) -> String {
    match node {
        Node::Database => "database".to_owned(),
        _ => node_label(node),
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
    fn the_view_at_the_end_agrees_with_the_runs_metrics() {
        for scenario in [
            "cache-aside",
            "read-through",
            "write-through",
            "write-behind",
            "write-around",
        ] {
            let mut lab = FlowLab::new(scenario, ScenarioOptions::default()).unwrap();
            lab.seek(Millis::MAX);
            assert_eq!(lab.metrics(), &lab.run.metrics, "{scenario}");
            assert!(lab.in_flight().is_empty());
            assert!(lab.snapshot().open.is_empty());
        }
    }

    #[test]
    fn seeking_back_and_forth_gives_the_same_view() {
        let mut lab = FlowLab::new("write-behind", ScenarioOptions::default()).unwrap();
        lab.seek(700);
        let at_700 = (lines(&lab), lab.snapshot().clone(), lab.in_flight());
        lab.seek(1_500);
        lab.seek(100);
        for at in (100..700).step_by(37) {
            lab.seek(at);
        }
        lab.seek(700);
        assert_eq!(
            (lines(&lab), lab.snapshot().clone(), lab.in_flight()),
            at_700
        );
    }

    #[test]
    fn a_crash_empties_the_cache_and_loses_exactly_the_queued_writes() {
        let options = ScenarioOptions {
            read_percent: Some(0),
            ..ScenarioOptions::default()
        };
        let mut lab = FlowLab::new("write-behind", options).unwrap();
        lab.seek(150);
        let queued: Vec<(u64, u64)> = lab
            .snapshot()
            .queue
            .iter()
            .map(|write| (write.key, write.version))
            .collect();
        assert!(!queued.is_empty());
        assert!(!lab.snapshot().cache.is_empty());
        lab.crash_now();
        let snapshot = lab.snapshot();
        assert_eq!(snapshot.crashed_at, Some(150));
        assert!(snapshot.cache.is_empty(), "{:?}", snapshot.cache);
        assert!(snapshot.queue.is_empty());
        let lost: Vec<(u64, u64)> = snapshot
            .lost
            .iter()
            .map(|write| (write.key, write.version))
            .collect();
        assert_eq!(lost, queued);
        lab.seek(Millis::MAX);
        assert_eq!(lab.metrics().lost_writes, queued.len() as u64);
        let logged = lines(&lab)
            .iter()
            .filter(|line| line.contains(" LOST "))
            .count();
        assert_eq!(logged, queued.len());
    }

    #[test]
    fn a_cold_read_is_narrated_as_miss_select_and_set_in_order() {
        let mut lab = FlowLab::new("cache-aside", ScenarioOptions::default()).unwrap();
        lab.read("k42");
        let request = lab.focus().expect("the reader's request is selected");
        assert_eq!(lab.request_label(request), "you: read k42");
        let sent = lab.now();
        lab.seek(sent + 100);
        let steps: Vec<String> = lab
            .steps(request, false)
            .into_iter()
            .map(|step| step.text)
            .collect();
        assert_eq!(
            steps,
            [
                "you → app: read k42",
                "app → cache: GET k42 → MISS",
                "cache → app: miss",
                "app → database: SELECT k42 (10 ms) → v1",
                "database → app: row v1 (10 ms)",
                "app → cache: SET k42 → cached v1",
                "app → you: v1 in 24 ms",
            ],
        );
        assert!(
            lab.snapshot()
                .cache
                .iter()
                .any(|entry| lab.name(entry.key) == "k42" && entry.version == 1)
        );
        // Back to before the read: the key is not cached yet, and the narration has not begun.
        lab.seek(sent - 1);
        assert!(
            lab.snapshot()
                .cache
                .iter()
                .all(|entry| lab.name(entry.key) != "k42")
        );
        assert!(lab.steps(request, false).is_empty());
        assert_eq!(lab.steps(request, true).len(), 7);
    }

    #[test]
    fn neighbours_are_other_messages_while_the_request_runs() {
        let mut lab = FlowLab::new("cache-aside", ScenarioOptions::default()).unwrap();
        lab.seek(300);
        lab.read("k45");
        let request = lab.focus().unwrap();
        let steps = lab.steps(request, true);
        let (from, until) = (steps[0].at, steps.last().unwrap().until);
        let around = lab.neighbours(request, 100);
        assert!(
            around
                .iter()
                .all(|hop| hop.request != Some(request) && (from..=until).contains(&hop.sent))
        );
        assert!(lab.neighbours(request, 1).len() <= 1);
    }

    #[test]
    fn messages_on_the_wire_carry_their_meaning() {
        let mut lab = FlowLab::new("cache-aside", ScenarioOptions::default()).unwrap();
        lab.read("k7");
        let request = lab.focus();
        let meanings = |lab: &mut FlowLab, request: Option<u32>, at: Millis| {
            lab.seek(at);
            lab.in_flight()
                .into_iter()
                .filter(|hop| hop.request == request)
                .map(|hop| (hop.label, hop.meaning))
                .collect::<Vec<_>>()
        };
        let start = lab.now();
        assert_eq!(
            meanings(&mut lab, request, start),
            [("read k7".to_owned(), Meaning::Request)]
        );
        assert_eq!(
            meanings(&mut lab, request, start + 2),
            [("miss".to_owned(), Meaning::Miss)]
        );
        // Once the first read has filled the cache, a second one hits.
        lab.seek(start + 100);
        lab.read("k7");
        let request = lab.focus();
        let start = lab.now();
        let hit: Vec<(String, Meaning)> = meanings(&mut lab, request, start + 2);
        assert_eq!(hit, [("v1".to_owned(), Meaning::Hit)]);
    }

    #[test]
    fn outcomes_flash_on_the_node_where_they_happen() {
        let mut lab = FlowLab::new("cache-aside", ScenarioOptions::default()).unwrap();
        lab.read("k40");
        lab.seek(lab.now() + 2);
        let outcomes = lab.outcomes(1);
        assert_eq!(
            outcomes,
            [Outcome {
                node: Node::Cache,
                label: "MISS",
                kind: LineKind::Miss,
                detail: "k40".to_owned()
            }]
        );
        assert!(lab.outcomes(0).is_empty());
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
    fn console_lines_name_their_request_and_arrows_follow_the_pattern() {
        let mut lab = FlowLab::new("write-behind", ScenarioOptions::default()).unwrap();
        lab.seek(Millis::MAX);
        let tagged = lab.console().lines().filter(|line| line.tag.is_some());
        for line in tagged.take(50) {
            let request = line.tag.unwrap();
            assert!(
                lab.steps(request, true)
                    .iter()
                    .any(|step| step.at <= line.at && line.at <= step.until),
                "{line}"
            );
        }
        let labels: Vec<(Node, Node, String)> = lab
            .links()
            .into_iter()
            .map(|link| (link.from, link.to, link.label))
            .collect();
        assert!(labels.contains(&(Node::Queue, Node::Database, "batch flush".to_owned())));
        assert!(labels.contains(&(Node::App, Node::Cache, "GET / SET".to_owned())));
        assert!(
            !labels
                .iter()
                .any(|(from, to, _)| *from == Node::App && *to == Node::Database)
        );
    }

    #[test]
    fn arrow_keys_walk_the_requests_sent_so_far() {
        let mut lab = FlowLab::new("cache-aside", ScenarioOptions::default()).unwrap();
        assert!(!lab.select_step(1), "nothing sent at time 0");
        lab.seek(1_000);
        lab.select(None);
        lab.select_step(-1);
        let first = lab.focus().unwrap();
        lab.select_step(1);
        assert_eq!(lab.focus(), Some(first + 1));
        assert!(lab.requests[first as usize + 1].at <= 1_000);
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
        assert_eq!(none.metrics().db_reads, 12);
        let mut coalesce = FlowLab::new("stampede", options(StampedeStrategy::Coalesce)).unwrap();
        coalesce.seek(Millis::MAX);
        assert_eq!(coalesce.metrics().db_reads, 1);
        assert_eq!(coalesce.metrics().waits, 11);
        assert_eq!(none.db_load().iter().sum::<u64>(), 12);
    }

    #[test]
    fn a_lock_is_narrated_taken_busy_retried_and_released() {
        let options = ScenarioOptions {
            clients: Some(12),
            strategy: Some(StampedeStrategy::Lock {
                lock_ttl: 100,
                backoff: 20,
            }),
            ..ScenarioOptions::default()
        };
        let mut lab = FlowLab::new("stampede", options).unwrap();
        lab.seek(Millis::MAX);
        assert_eq!(lab.metrics().db_reads, 1);
        let texts = |request: u32| -> Vec<String> {
            lab.steps(request, true)
                .into_iter()
                .map(|step| step.text)
                .collect()
        };
        let requests = 0..lab.requests.len() as u32;
        let holder = requests
            .clone()
            .map(texts)
            .find(|steps| steps.iter().any(|step| step.contains("lock taken until")))
            .expect("a holder");
        let at = |needle: &str| holder.iter().position(|step| step.contains(needle));
        // Lock, look again, load, set, release, in that order.
        let order = [
            at("app → cache: SET NX k0"),
            at("cache → app: lock granted"),
            at("database: SELECT"),
            at("app → cache: SET k0 → cached v1"),
            at("app → cache: DEL lock"),
        ];
        assert!(order.iter().all(Option::is_some), "{holder:#?}");
        assert!(
            order.windows(2).all(|pair| pair[0] < pair[1]),
            "{holder:#?}"
        );
        assert!(holder.iter().any(|step| step.ends_with("→ lock released")));
        let retrier = requests
            .map(texts)
            .find(|steps| steps.iter().any(|step| step.starts_with("RETRY")))
            .expect("a reader that retried");
        let busy = retrier
            .iter()
            .position(|step| step.contains("cache → app: lock busy"));
        let retry = retrier.iter().position(|step| step.starts_with("RETRY"));
        assert!(busy.is_some() && busy < retry, "{retrier:#?}");
        assert!(
            retrier.iter().any(|step| step.contains("HIT v1")),
            "{retrier:#?}"
        );
        let kinds: Vec<LineKind> = lab.console().lines().map(|line| line.kind).collect();
        assert!(kinds.contains(&LineKind::Lock) && kinds.contains(&LineKind::Retry));
        assert!(
            lab.links()
                .iter()
                .any(|link| link.label.ends_with("/ lock"))
        );
    }
}
