//! The event loop: every message arrival is one step, applied in (time, sequence) order.
//!
//! [`Simulation`] is the one interpreter of the model: `cachesim` runs it to the end, and the
//! playground advances it to the moment shown and draws its [`Snapshot`], so the picture is the
//! model's own state, never a second reading of its events.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

use super::database::Database;
use super::metrics::{GroupMetrics, Metrics, Percentiles};
use super::snapshot::{
    CachedEntry, LockShown, LostWrite, OpenRequest, QueuedWrite, Snapshot, Wire, greatest_first,
};
use super::{
    ClientRequest, Message, ModelConfig, ModelEvent, ModelEventKind, ModelRun, Node, Op, Pattern,
    StampedeStrategy,
};
use crate::engine::cache::{Cache, CacheConfig, Ttl};
use crate::engine::events::{CacheEvent, EventKind, Millis};
use crate::engine::hash::{IdMap, IdSet};
use crate::engine::policy::PolicyOptions;
use crate::engine::rng::Rng;

/// A cached value: the database version it came from (0: a cached "not found"), and when it was
/// stored (the diagram lists the newest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cached {
    version: u64,
    stored_at: Millis,
}

/// A key's lock: who holds it, until when, and the token that tells this lock from a later one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HeldLock {
    client: u32,
    until: Millis,
    token: u64,
}

/// Where a request (or a background refresh) has got to: the step runs when its message arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// The app received a client's read.
    AppGotRead,
    /// The cache received a GET.
    CacheGotGet,
    /// The app received the cache's answer to a GET (cache-aside).
    AppGotCacheReply { hit: bool },
    /// The app received the cache's answer after the cache loaded the key (read-through).
    AppGotLoadReply { ok: bool },
    /// The database received a read from `from`.
    DbGotRead { from: Node },
    /// `at` (app or cache) received the database's answer to a read.
    GotDbReadReply { at: Node, ok: bool },
    /// The cache received the app's fill (cache-aside: a plain SET after a miss).
    CacheGotFill,
    /// The client received its reply.
    ClientGotReply { ok: bool },
    /// The app received a client's write.
    AppGotWrite,
    /// The database received a write from `from`.
    DbGotWrite { from: Node },
    /// `at` received the database's acknowledgement of a write.
    GotDbWriteAck { at: Node, ok: bool },
    /// The app may update the cache now (after any stall).
    AppUpdatesCache,
    /// The cache received the app's write-side message (SET or DELETE).
    CacheGotWrite,
    /// The app received the cache's acknowledgement of a write.
    AppGotCacheAck { ok: bool },
    /// The cache received a DELETE for a key related to a write (no reply is awaited).
    CacheGotRelatedDelete,
    /// The cache received a request for the key's lock.
    CacheGotLock,
    /// The app learnt whether it got the lock.
    AppGotLockReply { granted: bool },
    /// The app's back-off is over: it asks the cache again.
    AppRetries,
    /// The cache received the holder's release of the lock.
    CacheGotUnlock,
}

/// One request in flight, or a background refresh (no client).
#[derive(Clone, Copy, Debug)]
struct Flight {
    /// The client request it serves (its index in the run's requests); `None` for background work.
    request: Option<u32>,
    /// The client waiting for it; `None` for an early refresh.
    client: Option<u32>,
    /// The key.
    key: u64,
    /// Whether it is a write.
    write: bool,
    /// When the client sent it.
    started: Millis,
    /// For a write, the new version; for a read, the version obtained so far.
    version: u64,
    /// For a write, the app's stall between the database's acknowledgement and the cache update.
    stall: Millis,
    /// For a load by the cache: the key's write epoch when it started (see `Simulation::write_epoch`).
    epoch: u64,
    /// The token of the key's lock this flight took, or 0 (lock strategy).
    lock: u64,
}

/// What the event loop does at a moment.
#[derive(Clone, Copy, Debug)]
enum Action {
    /// Client request number `n` is sent.
    Start(usize),
    /// A message for a flight arrives.
    Arrive { flight: usize, step: Step },
    /// The write-behind queue flushes.
    Flush,
    /// A flushed batch reaches the database.
    FlushArrives { batch: usize },
    /// The cache crashes.
    Crash,
    /// A key's lock runs out, unless it was released (or taken again: another token) by then.
    LockExpires { key: u64, token: u64 },
}

/// The simulated system, advanced one action at a time.
pub struct Simulation {
    config: ModelConfig,
    requests: Rc<[ClientRequest]>,
    now: Millis,
    /// Pending actions as (time, sequence); the sequence breaks ties first-scheduled-first.
    agenda: BinaryHeap<Reverse<(Millis, u64)>>,
    /// Actions by sequence number.
    actions: Vec<Action>,
    /// Messages on the wire, by the sequence number of the action their arrival runs.
    wire: IdMap<Wire>,
    /// The request whose action is running, for tagging the events it causes.
    current: Option<u32>,
    flights: Vec<Flight>,
    /// Flights of client requests that have started and not finished.
    open: IdSet,
    cache: Cache<Cached, Vec<CacheEvent>>,
    db: Database,
    /// The newest version handed out per key (writes get the next one).
    issued: IdMap<u64>,
    /// Keys being loaded under single flight, with the flights waiting for each.
    loading: IdMap<Vec<usize>>,
    /// Keys with an early refresh under way.
    refreshing: IdSet,
    /// Writes seen by the cache per key. A load the cache started before a write to its key
    /// finished after it is not stored, as read-through caches discard overtaken loads.
    write_epoch: IdMap<u64>,
    /// Write-behind: queued keys in order, and each one's newest queued write.
    queue_order: VecDeque<u64>,
    queued: IdMap<QueuedWrite>,
    /// When the write-behind queue flushes next.
    next_flush: Option<Millis>,
    /// Acknowledged writes lost in a crash, in the order they were lost.
    lost: Vec<LostWrite>,
    /// When the cache crashed.
    crashed_at: Option<Millis>,
    /// Lock strategy: the locks held, by key.
    locks: IdMap<HeldLock>,
    /// Flushed batches, by index, on their way to the database.
    batches: Vec<Vec<(u64, u64)>>,
    /// Keys stored in the cache and not read since.
    unread: IdSet,
    rng: Rng,
    events: Vec<ModelEvent>,
    metrics: Metrics,
    read_latencies: Vec<Millis>,
    write_latencies: Vec<Millis>,
}

/// Runs `requests` (in any order; they are sent at their times) through the system `config`
/// describes, until nothing is left to do.
pub fn run(config: &ModelConfig, requests: &[ClientRequest]) -> ModelRun {
    let mut simulation = Simulation::new(*config, requests.into());
    simulation.advance_to(Millis::MAX);
    simulation.finish()
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("now", &self.now)
            .field("requests", &self.requests.len())
            .field("pending", &self.agenda.len())
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl Simulation {
    /// The system `config` describes at time 0, with `requests` (in any order) still to be sent.
    /// Events name a request by its index in `requests`.
    pub fn new(config: ModelConfig, requests: Rc<[ClientRequest]>) -> Self {
        let mut world = Self {
            config,
            requests,
            now: 0,
            agenda: BinaryHeap::new(),
            actions: Vec::new(),
            wire: IdMap::default(),
            current: None,
            flights: Vec::new(),
            open: IdSet::default(),
            cache: Self::fresh_cache(&config),
            db: Database::new(config.db_keys, config.db_outage),
            issued: IdMap::default(),
            loading: IdMap::default(),
            refreshing: IdSet::default(),
            write_epoch: IdMap::default(),
            queue_order: VecDeque::new(),
            queued: IdMap::default(),
            next_flush: None,
            lost: Vec::new(),
            crashed_at: None,
            locks: IdMap::default(),
            batches: Vec::new(),
            unread: IdSet::default(),
            rng: Rng::new(config.seed ^ 0x6D6F_6465_6C00),
            events: Vec::new(),
            metrics: Metrics {
                groups: vec![GroupMetrics::default(); config.groups.len()],
                ..Metrics::default()
            },
            read_latencies: Vec::new(),
            write_latencies: Vec::new(),
        };
        for key in 0..config.warm.min(config.capacity.get() as u64) {
            let version = world.db.version(key);
            world.store(key, version);
        }
        for index in 0..world.requests.len() {
            world.schedule(world.requests[index].at, Action::Start(index));
        }
        if let Some((_, flush_interval)) = config.write_behind() {
            world.schedule_flush(flush_interval.max(1));
        }
        if let Some(at) = config.crash_cache_at {
            world.schedule(at, Action::Crash);
        }
        world
    }

    fn fresh_cache(config: &ModelConfig) -> Cache<Cached, Vec<CacheEvent>> {
        let cache_config = CacheConfig {
            policy: config.policy,
            policy_options: PolicyOptions {
                seed: config.seed,
                ..PolicyOptions::default()
            },
            default_ttl: config.ttl,
            ttl_jitter_percent: config.ttl_jitter_percent,
            seed: config.seed,
            ..CacheConfig::new(config.capacity)
        };
        // `opt` needs a whole trace; the scenario layer never configures it.
        Cache::with_sink(cache_config, Vec::new()).expect("an online policy")
    }

    /// Schedules `action` at `at`; returns its sequence number.
    fn schedule(&mut self, at: Millis, action: Action) -> u64 {
        let sequence = self.actions.len() as u64;
        self.actions.push(action);
        self.agenda.push(Reverse((at, sequence)));
        sequence
    }

    fn schedule_flush(&mut self, at: Millis) {
        self.next_flush = Some(at);
        self.schedule(at, Action::Flush);
    }

    /// Records an event caused by the action running now.
    fn log(&mut self, kind: ModelEventKind) {
        self.log_for(self.current, kind);
    }

    fn log_for(&mut self, request: Option<u32>, kind: ModelEventKind) {
        self.events.push(ModelEvent {
            at: self.now,
            request,
            kind,
        });
    }

    /// Records a hop leaving now and puts it on the wire until the action `sequence` receives it.
    fn put_on_wire(&mut self, sequence: u64, wire: Wire) {
        let Wire {
            request,
            from,
            to,
            message,
            key,
            arrive,
            ..
        } = wire;
        self.log_for(
            request,
            ModelEventKind::Hop {
                from,
                to,
                message,
                key,
                arrive,
            },
        );
        self.wire.insert(sequence, wire);
    }

    /// Sends a message for `flight` that arrives after `latency` and continues with `step`.
    fn send(
        &mut self,
        flight: usize,
        from: Node,
        to: Node,
        message: Message,
        latency: Millis,
        step: Step,
    ) {
        let Flight { key, request, .. } = self.flights[flight];
        let arrive = self.now + latency;
        let sequence = self.schedule(arrive, Action::Arrive { flight, step });
        self.put_on_wire(
            sequence,
            Wire {
                request,
                from,
                to,
                message,
                key,
                sent: self.now,
                arrive,
            },
        );
    }

    fn db_latency(&mut self, base: Millis) -> Millis {
        let jitter = self.config.latencies.db_jitter;
        base + if jitter == 0 {
            0
        } else {
            self.rng.below(jitter + 1)
        }
    }

    /// The node that loads missed `key`s: the cache (read-through) or the app (cache-aside).
    fn loader(&self, key: u64) -> Node {
        if self.config.pattern_for(key).cache_loads() {
            Node::Cache
        } else {
            Node::App
        }
    }

    /// Runs every action due at or before `until`, in order.
    pub fn advance_to(&mut self, until: Millis) {
        while let Some(&Reverse((at, sequence))) = self.agenda.peek() {
            if at > until {
                break;
            }
            self.agenda.pop();
            self.wire.remove(&sequence);
            self.now = self.now.max(at);
            self.current = None;
            self.cache.advance_to(self.now);
            self.drain_cache_events();
            let action = self.actions[sequence as usize];
            self.current = match action {
                Action::Start(index) => Some(index as u32),
                Action::Arrive { flight, .. } => self.flights[flight].request,
                Action::Flush
                | Action::FlushArrives { .. }
                | Action::Crash
                | Action::LockExpires { .. } => None,
            };
            match action {
                Action::Start(index) => self.start(index),
                Action::Arrive { flight, step } => self.arrive(flight, step),
                Action::Flush => self.flush_tick(),
                Action::FlushArrives { batch } => self.flush_arrives(batch),
                Action::Crash => self.crash(),
                Action::LockExpires { key, token } => self.lock_expires(key, token),
            }
            self.drain_cache_events();
        }
    }

    /// Whether nothing is left to do.
    pub fn finished(&self) -> bool {
        self.agenda.is_empty()
    }

    /// The time of the last action run.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Every event so far, in order.
    pub fn events(&self) -> &[ModelEvent] {
        &self.events
    }

    /// The model's state after the last action run: what is cached, what the database holds,
    /// what is queued, lost and on the wire, the requests under way, and the metrics so far.
    pub fn snapshot(&mut self) -> Snapshot {
        let cache: Vec<CachedEntry> = self
            .cache
            .entries()
            .map(|(key, cached, expires_at)| CachedEntry {
                key,
                version: cached.version,
                stored_at: cached.stored_at,
                expires_at,
                db_version: self.db.version(key),
            })
            .collect();
        let cache = greatest_first(cache, |entry| (entry.stored_at, entry.key));
        // Flights are numbered as they start, and the wire's entries as they are sent.
        let mut flights: Vec<u64> = self.open.iter().copied().collect();
        flights.sort_unstable();
        let open: Vec<OpenRequest> = flights
            .into_iter()
            .filter_map(|flight| {
                let flight = self.flights[flight as usize];
                Some(OpenRequest {
                    request: flight.request?,
                    client: flight.client?,
                    key: flight.key,
                    write: flight.write,
                    started: flight.started,
                })
            })
            .collect();
        let mut sequences: Vec<u64> = self.wire.keys().copied().collect();
        sequences.sort_unstable();
        let mut metrics = self.metrics.clone();
        metrics.never_read += self.unread.len() as u64;
        metrics.read_latency = Percentiles::of(&mut self.read_latencies);
        metrics.write_latency = Percentiles::of(&mut self.write_latencies);
        Snapshot {
            now: self.now,
            cache,
            db: self.db.touched(),
            queue: self
                .queue_order
                .iter()
                .filter_map(|key| self.queued.get(key).copied())
                .collect(),
            lost: self.lost.clone(),
            locks: {
                let mut locks: Vec<LockShown> = self
                    .locks
                    .iter()
                    .map(|(&key, lock)| LockShown {
                        key,
                        client: lock.client,
                        until: lock.until,
                    })
                    .collect();
                locks.sort_unstable_by_key(|lock| lock.key);
                locks
            },
            next_flush: self.next_flush.filter(|_| !self.agenda.is_empty()),
            crashed_at: self.crashed_at,
            open,
            wire: sequences
                .iter()
                .filter_map(|sequence| self.wire.get(sequence).copied())
                .collect(),
            metrics,
        }
    }

    /// Turns the cache's own events (evictions, expiries) into model events.
    fn drain_cache_events(&mut self) {
        let drained: Vec<CacheEvent> = std::mem::take(self.cache.sink_mut());
        for event in drained {
            match event.kind {
                EventKind::Evict { policy } => {
                    self.forget_unread(event.key);
                    self.log(ModelEventKind::Evict {
                        key: event.key,
                        policy,
                    });
                }
                EventKind::Expire { .. } => {
                    self.forget_unread(event.key);
                    self.log(ModelEventKind::Expire { key: event.key });
                }
                _ => {}
            }
        }
    }

    /// Counts something about `key` in its group's metrics, if it has a group.
    fn in_group(&mut self, key: u64, count: fn(&mut GroupMetrics)) {
        if let Some(group) = self.config.group_of(key) {
            count(&mut self.metrics.groups[group]);
        }
    }

    fn forget_unread(&mut self, key: u64) {
        if self.unread.remove(&key) {
            self.metrics.never_read += 1;
        }
    }

    fn start(&mut self, index: usize) {
        let request = self.requests[index];
        let (key, write) = match request.op {
            Op::Read(key) => (key, false),
            Op::Write(key) => (key, true),
        };
        let flight = self.flights.len();
        self.open.insert(flight as u64);
        self.flights.push(Flight {
            request: Some(index as u32),
            client: Some(request.client),
            key,
            write,
            started: self.now,
            version: 0,
            stall: request.stall_after_db,
            epoch: 0,
            lock: 0,
        });
        let (message, step) = if write {
            (Message::WriteRequest, Step::AppGotWrite)
        } else {
            (Message::ReadRequest, Step::AppGotRead)
        };
        let latency = self.config.latencies.client_app;
        self.send(
            flight,
            Node::Client(request.client),
            Node::App,
            message,
            latency,
            step,
        );
    }

    fn arrive(&mut self, flight: usize, step: Step) {
        let latencies = self.config.latencies;
        let key = self.flights[flight].key;
        match step {
            Step::AppGotRead => {
                self.ask_cache(flight);
            }
            Step::CacheGotGet => self.cache_lookup(flight),
            Step::AppGotCacheReply { hit: true } => {
                // A lock holder that finds the key cached after all has nothing to load.
                self.release_lock(flight);
                self.reply_to_client(flight, true)
            }
            // A lock holder's second look missed too: it loads.
            Step::AppGotCacheReply { hit: false } if self.flights[flight].lock != 0 => {
                self.read_db(flight, Node::App)
            }
            Step::AppGotCacheReply { hit: false } => self.load(flight, Node::App),
            Step::AppGotLoadReply { ok } => self.reply_to_client(flight, ok),
            Step::DbGotRead { from } => {
                let ok = self.db.is_up(self.now);
                if ok {
                    let version = self.db.read_at(key, self.now);
                    self.flights[flight].version = version;
                    self.metrics.record_db(self.now, false);
                    self.in_group(key, |group| group.db_reads += 1);
                    self.log(ModelEventKind::DbRead { key, version });
                } else {
                    self.log(ModelEventKind::DbDown { key });
                }
                let latency = self.db_latency(latencies.db_read);
                self.send(
                    flight,
                    Node::Database,
                    from,
                    Message::Reply,
                    latency,
                    Step::GotDbReadReply { at: from, ok },
                );
            }
            Step::GotDbReadReply { at, ok } => self.loaded(flight, at, ok),
            Step::CacheGotFill => {
                let version = self.flights[flight].version;
                self.store(key, version);
            }
            Step::ClientGotReply { ok } => self.done(flight, ok),
            Step::AppGotWrite => {
                let version = self
                    .issued
                    .get(&key)
                    .copied()
                    .unwrap_or_else(|| self.db.version(key))
                    + 1;
                self.issued.insert(key, version);
                self.flights[flight].version = version;
                match self.config.pattern_for(key) {
                    Pattern::WriteThrough | Pattern::WriteBehind { .. } => {
                        self.send(
                            flight,
                            Node::App,
                            Node::Cache,
                            Message::Set,
                            latencies.cache,
                            Step::CacheGotWrite,
                        );
                    }
                    _ => {
                        let latency = self.db_latency(latencies.db_write);
                        self.send(
                            flight,
                            Node::App,
                            Node::Database,
                            Message::DbWrite,
                            latency,
                            Step::DbGotWrite { from: Node::App },
                        );
                    }
                }
            }
            Step::DbGotWrite { from } => {
                let ok = self.db.is_up(self.now);
                if ok {
                    let version = self.db.write(key, self.flights[flight].version, self.now);
                    self.metrics.record_db(self.now, true);
                    self.in_group(key, |group| group.db_writes += 1);
                    self.log(ModelEventKind::DbWrite { key, version });
                    if from == Node::Cache {
                        // Write-through: the cache holds the key while it writes, and publishes
                        // the new value at the moment the database commits it.
                        *self.write_epoch.entry(key).or_insert(0) += 1;
                        self.store(key, version);
                    }
                } else {
                    self.log(ModelEventKind::DbDown { key });
                }
                let latency = self.db_latency(latencies.db_write);
                self.send(
                    flight,
                    Node::Database,
                    from,
                    Message::Reply,
                    latency,
                    Step::GotDbWriteAck { at: from, ok },
                );
            }
            Step::GotDbWriteAck {
                at: Node::Cache,
                ok,
            } => {
                self.cache_replies(flight, Step::AppGotCacheAck { ok });
            }
            Step::GotDbWriteAck { ok: false, .. } => self.reply_to_client(flight, false),
            Step::GotDbWriteAck { ok: true, .. } => {
                let stall = self.flights[flight].stall;
                if stall > 0 {
                    self.schedule(
                        self.now + stall,
                        Action::Arrive {
                            flight,
                            step: Step::AppUpdatesCache,
                        },
                    );
                } else {
                    self.arrive(flight, Step::AppUpdatesCache);
                }
            }
            Step::AppUpdatesCache => {
                let message = match self.config.pattern_for(key) {
                    Pattern::CacheAside {
                        update_on_write: true,
                    } => Message::Set,
                    _ => Message::Delete,
                };
                self.send(
                    flight,
                    Node::App,
                    Node::Cache,
                    message,
                    latencies.cache,
                    Step::CacheGotWrite,
                );
            }
            Step::CacheGotWrite => self.cache_write(flight),
            Step::AppGotCacheAck { ok } => {
                // The write is committed: drop the keys that depend on it.
                if ok {
                    for related in self.config.related_to(key).collect::<Vec<_>>() {
                        self.invalidate_related(related);
                    }
                }
                self.reply_to_client(flight, ok);
            }
            Step::CacheGotLock => self.try_lock(flight),
            // Double-checked: the key may have been cached between the miss and the lock (by the
            // previous holder), so the new holder looks again before it loads.
            Step::AppGotLockReply { granted: true } => self.ask_cache(flight),
            Step::AppGotLockReply { granted: false } => {
                if let StampedeStrategy::Lock { backoff, .. } = self.config.strategy {
                    self.schedule(
                        self.now.saturating_add(backoff),
                        Action::Arrive {
                            flight,
                            step: Step::AppRetries,
                        },
                    );
                }
            }
            Step::AppRetries => {
                self.metrics.retries += 1;
                if let Some(client) = self.flights[flight].client {
                    self.log(ModelEventKind::Retry { key, client });
                }
                self.ask_cache(flight);
            }
            Step::CacheGotUnlock => {
                let token = std::mem::take(&mut self.flights[flight].lock);
                // Compare-and-delete: a lock that expired and was taken again is not ours.
                if self.locks.get(&key).is_some_and(|lock| lock.token == token) {
                    self.locks.remove(&key);
                    self.log(ModelEventKind::LockReleased { key });
                }
            }
            Step::CacheGotRelatedDelete => {
                *self.write_epoch.entry(key).or_insert(0) += 1;
                if self.cache.remove(key).is_some() {
                    self.forget_unread(key);
                    self.log(ModelEventKind::Invalidate { key });
                }
                self.drain_cache_events();
            }
        }
    }

    /// A request for the key's lock reaches the cache: `SET NX` succeeds only if no one holds it.
    fn try_lock(&mut self, flight: usize) {
        let StampedeStrategy::Lock { lock_ttl, backoff } = self.config.strategy else {
            return;
        };
        let Flight { key, client, .. } = self.flights[flight];
        let client = client.unwrap_or_default();
        let granted = !self.locks.contains_key(&key);
        if granted {
            let until = self.now.saturating_add(lock_ttl);
            // Tokens are unique per run: the sequence number of the expiry they schedule.
            let token = self.actions.len() as u64;
            let scheduled = self.schedule(until, Action::LockExpires { key, token });
            debug_assert_eq!(scheduled, token);
            self.locks.insert(
                key,
                HeldLock {
                    client,
                    until,
                    token,
                },
            );
            self.flights[flight].lock = token;
            self.log(ModelEventKind::LockTaken { key, client, until });
        } else {
            let retry_at = self
                .now
                .saturating_add(self.config.latencies.cache)
                .saturating_add(backoff);
            self.log(ModelEventKind::LockBusy {
                key,
                client,
                retry_at,
            });
        }
        self.cache_replies(flight, Step::AppGotLockReply { granted });
    }

    /// The flight's holder releases its lock, if it took one (whether or not it still holds it:
    /// the cache compares tokens).
    fn release_lock(&mut self, flight: usize) {
        if self.flights[flight].lock != 0 {
            let latency = self.config.latencies.cache;
            self.send(
                flight,
                Node::App,
                Node::Cache,
                Message::Unlock,
                latency,
                Step::CacheGotUnlock,
            );
        }
    }

    /// A lock's time is up: it goes, unless it was released (or replaced) already.
    fn lock_expires(&mut self, key: u64, token: u64) {
        if self.locks.get(&key).is_some_and(|lock| lock.token == token) {
            self.locks.remove(&key);
            self.metrics.lock_expiries += 1;
            self.log(ModelEventKind::LockExpired { key });
        }
    }

    /// The cache answers the app about the flight.
    fn cache_replies(&mut self, flight: usize, step: Step) {
        let latency = self.config.latencies.cache;
        self.send(
            flight,
            Node::Cache,
            Node::App,
            Message::Reply,
            latency,
            step,
        );
    }

    /// The app sends the flight's GET to the cache.
    fn ask_cache(&mut self, flight: usize) {
        let latency = self.config.latencies.cache;
        self.send(
            flight,
            Node::App,
            Node::Cache,
            Message::Get,
            latency,
            Step::CacheGotGet,
        );
    }

    /// A GET reaches the cache.
    fn cache_lookup(&mut self, flight: usize) {
        let key = self.flights[flight].key;
        let ttl_left = self.cache.ttl_remaining(key);
        let found = self.cache.get(key).copied();
        self.drain_cache_events();
        match found {
            Some(Cached { version, .. }) => {
                self.metrics.cache_hits += 1;
                self.in_group(key, |group| group.cache_hits += 1);
                self.unread.remove(&key);
                self.log(ModelEventKind::Hit { key, version });
                self.flights[flight].version = version;
                let latest = self.db.version(key);
                if version < latest {
                    self.metrics.stale_reads += 1;
                    self.in_group(key, |group| group.stale_reads += 1);
                    self.log(ModelEventKind::Stale {
                        key,
                        got: version,
                        latest,
                    });
                }
                if let Some(Some(left)) = ttl_left {
                    self.maybe_refresh_early(key, left);
                }
                self.cache_replies(flight, Step::AppGotCacheReply { hit: true });
            }
            None => {
                self.metrics.cache_misses += 1;
                self.in_group(key, |group| group.cache_misses += 1);
                self.log(ModelEventKind::Miss { key });
                if self.loader(key) == Node::Cache {
                    self.load(flight, Node::Cache);
                } else {
                    self.cache_replies(flight, Step::AppGotCacheReply { hit: false });
                }
            }
        }
    }

    /// XFetch: refresh `key` in the background if `now - delta * beta * ln(rand) >= expiry`, where
    /// delta is the time a reload takes.
    fn maybe_refresh_early(&mut self, key: u64, ttl_left: Millis) {
        let StampedeStrategy::EarlyRefresh { beta } = self.config.strategy else {
            return;
        };
        if self.refreshing.contains(&key) || self.loading.contains_key(&key) {
            return;
        }
        let latencies = self.config.latencies;
        let delta = (2 * latencies.db_read + 2 * latencies.cache) as f64;
        // 1 - unit is in (0, 1], so its logarithm is finite.
        let gap = -delta * beta * libm::log(1.0 - self.rng.unit_f64());
        if gap >= ttl_left as f64 {
            self.refreshing.insert(key);
            self.log(ModelEventKind::Refresh { key });
            let refresh = self.flights.len();
            self.flights.push(Flight {
                request: None,
                client: None,
                key,
                write: false,
                started: self.now,
                version: 0,
                stall: 0,
                epoch: 0,
                lock: 0,
            });
            let loader = self.loader(key);
            self.load(refresh, loader);
        }
    }

    /// `at` (app or cache) loads the flight's key from the database, or waits for a load of it that
    /// is already under way when requests are coalesced.
    fn load(&mut self, flight: usize, at: Node) {
        let key = self.flights[flight].key;
        if self.config.strategy == StampedeStrategy::Coalesce {
            if let Some(waiting) = self.loading.get_mut(&key) {
                waiting.push(flight);
                if let Some(client) = self.flights[flight].client {
                    self.metrics.waits += 1;
                    self.log(ModelEventKind::Wait { key, client });
                }
                return;
            }
            self.loading.insert(key, Vec::new());
        }
        if let StampedeStrategy::Lock { .. } = self.config.strategy
            && at == Node::App
            && self.flights[flight].client.is_some()
        {
            let latency = self.config.latencies.cache;
            self.send(
                flight,
                Node::App,
                Node::Cache,
                Message::Lock,
                latency,
                Step::CacheGotLock,
            );
            return;
        }
        self.read_db(flight, at);
    }

    /// `at` (app or cache) sends a read of the flight's key to the database.
    fn read_db(&mut self, flight: usize, at: Node) {
        let key = self.flights[flight].key;
        self.flights[flight].epoch = self.write_epoch.get(&key).copied().unwrap_or(0);
        let latency = self.db_latency(self.config.latencies.db_read);
        self.send(
            flight,
            at,
            Node::Database,
            Message::DbRead,
            latency,
            Step::DbGotRead { from: at },
        );
    }

    /// The database's answer to a load reaches `at`.
    fn loaded(&mut self, flight: usize, at: Node, ok: bool) {
        let key = self.flights[flight].key;
        let version = self.flights[flight].version;
        let waiting = self.loading.remove(&key).unwrap_or_default();
        if self.flights[flight].client.is_none() {
            self.refreshing.remove(&key);
        }
        let cacheable = ok && (version > 0 || self.config.negative_ttl.is_some());
        if at == Node::Cache {
            let overtaken =
                self.write_epoch.get(&key).copied().unwrap_or(0) != self.flights[flight].epoch;
            if cacheable && !overtaken {
                self.store(key, version);
            }
            for follower in std::iter::once(flight).chain(waiting) {
                self.flights[follower].version = version;
                self.answer_from(follower, Node::Cache, ok);
            }
        } else {
            if cacheable {
                // Cache-aside: the app fills the cache with a plain SET, in parallel with replying.
                let latency = self.config.latencies.cache;
                self.send(
                    flight,
                    Node::App,
                    Node::Cache,
                    Message::Set,
                    latency,
                    Step::CacheGotFill,
                );
            }
            self.release_lock(flight);
            for follower in std::iter::once(flight).chain(waiting) {
                self.flights[follower].version = version;
                self.answer_from(follower, Node::App, ok);
            }
        }
    }

    /// Sends a loaded answer on towards the client (a refresh has no client: it just ends).
    fn answer_from(&mut self, flight: usize, at: Node, ok: bool) {
        if self.flights[flight].client.is_none() {
            return;
        }
        if at == Node::Cache {
            self.cache_replies(flight, Step::AppGotLoadReply { ok });
        } else {
            self.reply_to_client(flight, ok);
        }
    }

    /// Stores `version` of `key` in the cache (a plain SET: it may overwrite a newer version).
    fn store(&mut self, key: u64, version: u64) {
        let ttl = if version == 0 {
            self.config.negative_ttl.map_or(Ttl::Default, Ttl::After)
        } else {
            Ttl::Default
        };
        let stored_at = self.now;
        self.cache
            .put_with_ttl(key, Cached { version, stored_at }, ttl);
        self.drain_cache_events();
        if self.cache.peek(key).is_some() {
            self.metrics.cache_sets += 1;
            self.unread.insert(key);
            self.log(ModelEventKind::Set { key, version });
        }
    }

    /// The app drops a key related to a write: a DELETE of its own, not waited for.
    fn invalidate_related(&mut self, key: u64) {
        let flight = self.flights.len();
        self.flights.push(Flight {
            request: None,
            client: None,
            key,
            write: true,
            started: self.now,
            version: 0,
            stall: 0,
            epoch: 0,
            lock: 0,
        });
        let latency = self.config.latencies.cache;
        self.send(
            flight,
            Node::App,
            Node::Cache,
            Message::Delete,
            latency,
            Step::CacheGotRelatedDelete,
        );
    }

    /// A write-side message (SET or DELETE) reaches the cache.
    fn cache_write(&mut self, flight: usize) {
        let key = self.flights[flight].key;
        *self.write_epoch.entry(key).or_insert(0) += 1;
        let version = self.flights[flight].version;
        match self.config.pattern_for(key) {
            Pattern::CacheAside {
                update_on_write: true,
            } => self.store(key, version),
            Pattern::WriteThrough => {
                let db_latency = self.db_latency(self.config.latencies.db_write);
                self.send(
                    flight,
                    Node::Cache,
                    Node::Database,
                    Message::DbWrite,
                    db_latency,
                    Step::DbGotWrite { from: Node::Cache },
                );
                return;
            }
            Pattern::WriteBehind { batch_size, .. } => {
                self.store(key, version);
                let replaced = self.queued.get(&key).map(|older| older.version);
                self.queued.insert(
                    key,
                    QueuedWrite {
                        key,
                        version,
                        queued_at: self.now,
                        replaced,
                    },
                );
                let coalesced = replaced.is_some();
                if !coalesced {
                    self.queue_order.push_back(key);
                }
                self.log(ModelEventKind::Queued {
                    key,
                    version,
                    coalesced,
                });
                if self.queue_order.len() >= batch_size.max(1) {
                    self.flush_batch();
                }
            }
            _ => {
                if self.cache.remove(key).is_some() {
                    self.forget_unread(key);
                    self.log(ModelEventKind::Invalidate { key });
                }
                self.drain_cache_events();
            }
        }
        self.cache_replies(flight, Step::AppGotCacheAck { ok: true });
    }

    fn reply_to_client(&mut self, flight: usize, ok: bool) {
        let Some(client) = self.flights[flight].client else {
            return;
        };
        let latency = self.config.latencies.client_app;
        self.send(
            flight,
            Node::App,
            Node::Client(client),
            Message::Reply,
            latency,
            Step::ClientGotReply { ok },
        );
    }

    fn done(&mut self, flight: usize, ok: bool) {
        let Flight {
            client,
            key,
            write,
            started,
            ..
        } = self.flights[flight];
        let Some(client) = client else { return };
        self.open.remove(&(flight as u64));
        let latency = self.now - started;
        if write {
            self.metrics.writes += 1;
            self.write_latencies.push(latency);
        } else {
            self.metrics.reads += 1;
            self.read_latencies.push(latency);
        }
        if !ok {
            self.metrics.errors += 1;
        }
        self.log(ModelEventKind::Done {
            client,
            write,
            key,
            latency,
            ok,
        });
    }

    /// The write-behind timer: flush a batch, and keep ticking while anything else is pending.
    fn flush_tick(&mut self) {
        let Some((_, flush_interval)) = self.config.write_behind() else {
            return;
        };
        self.next_flush = None;
        self.flush_batch();
        if !self.agenda.is_empty() || !self.queue_order.is_empty() {
            self.schedule_flush(self.now + flush_interval.max(1));
        }
    }

    /// Write-behind: send up to a batch of queued writes to the database.
    fn flush_batch(&mut self) {
        let Some((batch_size, _)) = self.config.write_behind() else {
            return;
        };
        let mut batch = Vec::new();
        while batch.len() < batch_size.max(1) {
            let Some(key) = self.queue_order.pop_front() else {
                break;
            };
            if let Some(write) = self.queued.remove(&key) {
                batch.push((key, write.version));
            }
        }
        let Some(&(first_key, _)) = batch.first() else {
            return;
        };
        self.log(ModelEventKind::Flush {
            writes: batch.len() as u32,
        });
        let latency = self.db_latency(self.config.latencies.db_write);
        let arrive = self.now + latency;
        self.batches.push(batch);
        let sequence = self.schedule(
            arrive,
            Action::FlushArrives {
                batch: self.batches.len() - 1,
            },
        );
        self.put_on_wire(
            sequence,
            Wire {
                request: None,
                from: Node::Queue,
                to: Node::Database,
                message: Message::Flush,
                key: first_key,
                sent: self.now,
                arrive,
            },
        );
    }

    fn flush_arrives(&mut self, batch: usize) {
        let writes = std::mem::take(&mut self.batches[batch]);
        if !self.db.is_up(self.now) {
            // Put the batch back at the front of the queue, unless newer writes replaced it there.
            for &(key, version) in writes.iter().rev() {
                self.log(ModelEventKind::DbDown { key });
                if let std::collections::hash_map::Entry::Vacant(slot) = self.queued.entry(key) {
                    slot.insert(QueuedWrite {
                        key,
                        version,
                        queued_at: self.now,
                        replaced: None,
                    });
                    self.queue_order.push_front(key);
                }
            }
            return;
        }
        for (key, version) in writes {
            let stored = self.db.write(key, version, self.now);
            self.metrics.record_db(self.now, true);
            self.in_group(key, |group| group.db_writes += 1);
            self.log(ModelEventKind::DbWrite {
                key,
                version: stored,
            });
        }
    }

    /// The cache crashes: its entries and every queued write are gone.
    fn crash(&mut self) {
        let entries = self.cache.len() as u32;
        let queued = self.queue_order.len() as u32;
        self.log(ModelEventKind::CacheCrash { entries, queued });
        self.crashed_at = Some(self.now);
        while let Some(key) = self.queue_order.pop_front() {
            if let Some(QueuedWrite { version, .. }) = self.queued.remove(&key) {
                self.metrics.lost_writes += 1;
                self.in_group(key, |group| group.lost_writes += 1);
                self.lost.push(LostWrite {
                    key,
                    version,
                    at: self.now,
                });
                self.log(ModelEventKind::Lost { key, version });
            }
        }
        self.metrics.never_read += self.unread.len() as u64;
        self.unread.clear();
        self.cache = Self::fresh_cache(&self.config);
        self.cache.advance_to(self.now);
        // A restarted cache holds no locks either.
        self.locks.clear();
    }

    /// The events and metrics of the run so far (the whole run once [`Simulation::finished`]).
    pub fn finish(mut self) -> ModelRun {
        self.metrics.never_read += self.unread.len() as u64;
        self.metrics.read_latency = Percentiles::of(&mut self.read_latencies);
        self.metrics.write_latency = Percentiles::of(&mut self.write_latencies);
        ModelRun {
            events: self.events,
            metrics: self.metrics,
        }
    }
}
