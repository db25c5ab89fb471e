//! A discrete-event simulation of an application with a cache and a database: the write patterns,
//! stampedes and cache penetration, in virtual time and seeded, so every run is reproducible.
//!
//! Clients send reads and writes to the app; every hop between client, app, cache, database and
//! write-behind queue is a [`ModelEvent`] with a start and an arrival time (so the UI can draw it
//! moving along an arrow), and every effect (hit, miss, set, eviction, database read or write,
//! flush, lost write, wait) is an event too. [`metrics::Metrics`] summarises a run.

mod database;
mod format;
pub mod metrics;
pub mod scenario;
mod snapshot;
mod world;

pub use database::{Database, Row};
pub use format::{events_to_json_lines, log_digest};
pub use metrics::{GroupMetrics, Metrics, Percentiles};
pub use scenario::{MAX_REQUESTS, SCENARIOS, Scenario, ScenarioError, ScenarioOptions};
pub use snapshot::{
    CachedEntry, DbRow, LockShown, LostWrite, OpenRequest, QueuedWrite, Snapshot, Wire,
    greatest_first,
};
pub use world::{Simulation, run};

use crate::engine::events::Millis;
use crate::engine::policy::{Capacity, PolicyKind};

/// A participant in the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// Client number `n`.
    Client(u32),
    /// The application server.
    App,
    /// The cache.
    Cache,
    /// The database.
    Database,
    /// The write-behind queue.
    Queue,
}

impl Node {
    /// A short label: `client 3`, `app`, `cache`, `db`, `queue`.
    pub fn label(self) -> String {
        match self {
            Node::Client(n) => format!("client {n}"),
            Node::App => "app".to_owned(),
            Node::Cache => "cache".to_owned(),
            Node::Database => "db".to_owned(),
            Node::Queue => "queue".to_owned(),
        }
    }
}

/// What a hop carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// A client's read request.
    ReadRequest,
    /// A client's write request.
    WriteRequest,
    /// A cache lookup.
    Get,
    /// Store a value in the cache.
    Set,
    /// Remove a key from the cache.
    Delete,
    /// A database read.
    DbRead,
    /// A database write.
    DbWrite,
    /// A batch of queued writes on its way to the database.
    Flush,
    /// A reply (value, acknowledgement or error).
    Reply,
    /// Take a key's lock (`SET lock:key token NX PX ttl`).
    Lock,
    /// Release a key's lock if still held (compare-and-delete).
    Unlock,
}

impl Message {
    /// A label for an arrow.
    pub fn label(self) -> &'static str {
        match self {
            Message::ReadRequest => "read",
            Message::WriteRequest => "write",
            Message::Get => "GET",
            Message::Set => "SET",
            Message::Delete => "DELETE",
            Message::DbRead => "SELECT",
            Message::DbWrite => "UPDATE",
            Message::Flush => "FLUSH",
            Message::Reply => "reply",
            Message::Lock => "SET NX",
            Message::Unlock => "DEL lock",
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelEventKind {
    /// A message leaves `from` now and reaches `to` at `arrive`.
    Hop {
        /// Sender.
        from: Node,
        /// Receiver.
        to: Node,
        /// What it carries.
        message: Message,
        /// The key concerned.
        key: u64,
        /// Arrival time.
        arrive: Millis,
    },
    /// A cache lookup found `version` (0: a cached "not found").
    Hit { key: u64, version: u64 },
    /// A cache lookup found nothing.
    Miss { key: u64 },
    /// The cache stored `version` (0: "not found", for negative caching).
    Set { key: u64, version: u64 },
    /// The cache evicted a key to make room.
    Evict { key: u64, policy: PolicyKind },
    /// A cached key's TTL ran out.
    Expire { key: u64 },
    /// The cache dropped a key on request.
    Invalidate { key: u64 },
    /// The database returned `version` (0: no such row).
    DbRead { key: u64, version: u64 },
    /// The database stored `version`.
    DbWrite { key: u64, version: u64 },
    /// The database refused a request: it is down.
    DbDown { key: u64 },
    /// A write joined the write-behind queue (`coalesced`: it replaced a queued write to the key).
    Queued {
        key: u64,
        version: u64,
        coalesced: bool,
    },
    /// A batch of `writes` queued writes left for the database.
    Flush { writes: u32 },
    /// A queued write was lost in a cache crash.
    Lost { key: u64, version: u64 },
    /// The cache crashed, losing `entries` entries and `queued` queued writes.
    CacheCrash { entries: u32, queued: u32 },
    /// A client waits for a load of `key` already under way (request coalescing).
    Wait { key: u64, client: u32 },
    /// An early (probabilistic) refresh of `key` started before it expired.
    Refresh { key: u64 },
    /// `client` took `key`'s lock until `until` (lock strategy).
    LockTaken {
        key: u64,
        client: u32,
        until: Millis,
    },
    /// `client` found `key`'s lock taken and asks the cache again at `retry_at`.
    LockBusy {
        key: u64,
        client: u32,
        retry_at: Millis,
    },
    /// `client` asks the cache for `key` again after a back-off.
    Retry { key: u64, client: u32 },
    /// `key`'s lock was released by its holder.
    LockReleased { key: u64 },
    /// `key`'s lock expired before its holder released it.
    LockExpired { key: u64 },
    /// A read returned `got` while the database held the newer `latest`.
    Stale { key: u64, got: u64, latest: u64 },
    /// A client's request finished after `latency` ms (`ok`: it succeeded).
    Done {
        client: u32,
        write: bool,
        key: u64,
        latency: Millis,
        ok: bool,
    },
}

/// One event at a virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelEvent {
    /// When it happened (for a hop, when the message left).
    pub at: Millis,
    /// The client request it belongs to (its index in the run's requests), if any: a request's
    /// events, in order, are its steps. Background work (flushes, sweeps, crashes, early
    /// refreshes, related invalidations) has none.
    pub request: Option<u32>,
    /// What happened.
    pub kind: ModelEventKind,
}

/// How reads and writes flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Reads check the cache and fill it from the database on a miss; writes go to the database
    /// and then delete the cached key, or, with `update_on_write`, overwrite it.
    CacheAside {
        /// Overwrite the cached value after a write instead of deleting it (exposes a race).
        update_on_write: bool,
    },
    /// The cache loads from the database on a miss; writes go to the database, then invalidate.
    ReadThrough,
    /// A write completes only once the cache and the database both have it.
    WriteThrough,
    /// Writes go to the cache and a queue that flushes to the database in batches.
    WriteBehind {
        /// Writes per flush, at most.
        batch_size: usize,
        /// Virtual time between flushes.
        flush_interval: Millis,
    },
    /// Writes go only to the database and invalidate the cache; reads are cache-aside.
    WriteAround,
}

impl Pattern {
    /// The id used on the command line and in URLs.
    pub fn id(self) -> &'static str {
        match self {
            Pattern::CacheAside { .. } => "cache-aside",
            Pattern::ReadThrough => "read-through",
            Pattern::WriteThrough => "write-through",
            Pattern::WriteBehind { .. } => "write-behind",
            Pattern::WriteAround => "write-around",
        }
    }

    /// Whether the cache itself loads missed keys (otherwise the app does).
    pub(crate) fn cache_loads(self) -> bool {
        matches!(
            self,
            Pattern::ReadThrough | Pattern::WriteThrough | Pattern::WriteBehind { .. }
        )
    }
}

/// Keys `from..until` follow `pattern` instead of the configuration's main one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The first key of the range.
    pub from: u64,
    /// One past the last key.
    pub until: u64,
    /// Their pattern.
    pub pattern: Pattern,
}

/// Keys `from..until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRange {
    /// The first key.
    pub from: u64,
    /// One past the last.
    pub until: u64,
}

impl KeyRange {
    /// Whether `key` is in the range.
    pub fn contains(self, key: u64) -> bool {
        (self.from..self.until).contains(&key)
    }
}

/// A write to a key in `from..until` also invalidates that key plus each offset (a user's
/// profile update dropping their cached session and recommendations, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Related {
    /// The first key whose writes invalidate related keys.
    pub from: u64,
    /// One past the last.
    pub until: u64,
    /// Related key = written key + offset (negative offsets reach lower keys).
    pub offsets: &'static [i64],
}

/// What protects the database when a hot key expires.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StampedeStrategy {
    /// Every miss goes to the database.
    None,
    /// Single flight: one load per key at a time; other readers wait for it.
    Coalesce,
    /// XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): a hit refreshes early with a
    /// probability that grows as expiry nears: when `now - delta * beta * ln(rand) >= expiry`.
    EarlyRefresh {
        /// Eagerness; 1 is the paper's recommended default.
        beta: f64,
    },
    /// A lock in the cache, as with Redis `SET lock:key token NX PX ttl`: the reader that misses
    /// and takes the lock loads the key, sets it and releases the lock (only if it still holds
    /// it, as Redis's compare-and-delete script does); readers that find the lock taken do not
    /// queue in the app but ask the cache again after `backoff`. A lock whose holder is slower
    /// than `lock_ttl` expires, and the next reader to ask takes it and loads too. Unlike
    /// `Coalesce`, this works across app servers, at the price of retries. Locks do not occupy
    /// cache entries here (a real lock key would take one).
    Lock {
        /// How long a lock lasts unless released (PX).
        lock_ttl: Millis,
        /// How long a reader waits before asking the cache again.
        backoff: Millis,
    },
}

/// Network and storage latencies, in virtual milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Latencies {
    /// Client ↔ app, each way.
    pub client_app: Millis,
    /// App ↔ cache (and cache ↔ queue), each way.
    pub cache: Millis,
    /// App or cache ↔ database for reads, each way.
    pub db_read: Millis,
    /// App, cache or queue ↔ database for writes, each way.
    pub db_write: Millis,
    /// Up to this much extra is added to each database hop, seeded.
    pub db_jitter: Millis,
}

impl Default for Latencies {
    fn default() -> Self {
        Self {
            client_app: 1,
            cache: 1,
            db_read: 10,
            db_write: 15,
            db_jitter: 0,
        }
    }
}

/// Everything that shapes a run except the requests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelConfig {
    /// How reads and writes flow.
    pub pattern: Pattern,
    /// Key ranges that follow another pattern (the first matching route wins).
    pub routes: &'static [Route],
    /// Writes that invalidate related keys.
    pub related: &'static [Related],
    /// Key ranges whose metrics are also counted apart (the e-commerce data types), in
    /// [`Metrics::groups`], in this order.
    pub groups: &'static [KeyRange],
    /// The cache's eviction policy (any but `opt`).
    pub policy: PolicyKind,
    /// The cache's size in entries.
    pub capacity: Capacity,
    /// The TTL of cached values, if any.
    pub ttl: Option<Millis>,
    /// ± percent spread of each TTL, seeded.
    pub ttl_jitter_percent: u32,
    /// Cache "not found" answers for this long (negative caching); `None` caches nothing.
    pub negative_ttl: Option<Millis>,
    /// Stampede protection.
    pub strategy: StampedeStrategy,
    /// Latencies.
    pub latencies: Latencies,
    /// Keys `0..db_keys` exist in the database from the start.
    pub db_keys: u64,
    /// Keys `0..warm` are in the cache at time 0 (loaded before the run starts).
    pub warm: u64,
    /// The cache crashes at this time, losing its contents and queued writes.
    pub crash_cache_at: Option<Millis>,
    /// The database is down in `[from, until)`.
    pub db_outage: Option<(Millis, Millis)>,
    /// Seeds latency jitter, TTL jitter and early refresh.
    pub seed: u64,
}

impl ModelConfig {
    /// The pattern `key` follows.
    pub fn pattern_for(&self, key: u64) -> Pattern {
        self.routes
            .iter()
            .find(|route| (route.from..route.until).contains(&key))
            .map_or(self.pattern, |route| route.pattern)
    }

    /// The write-behind queue's (batch size, flush interval), if any key writes behind.
    pub fn write_behind(&self) -> Option<(usize, Millis)> {
        std::iter::once(self.pattern)
            .chain(self.routes.iter().map(|route| route.pattern))
            .find_map(|pattern| match pattern {
                Pattern::WriteBehind {
                    batch_size,
                    flush_interval,
                } => Some((batch_size, flush_interval)),
                _ => None,
            })
    }

    /// The index of the group `key` is counted in, if any.
    pub fn group_of(&self, key: u64) -> Option<usize> {
        self.groups.iter().position(|range| range.contains(key))
    }

    /// The keys a write to `key` also invalidates.
    pub fn related_to(&self, key: u64) -> impl Iterator<Item = u64> + '_ {
        self.related
            .iter()
            .filter(move |related| (related.from..related.until).contains(&key))
            .flat_map(move |related| {
                related
                    .offsets
                    .iter()
                    .filter_map(move |&offset| key.checked_add_signed(offset))
            })
    }

    /// A cache-aside setup with an LRU cache of `capacity` entries and 100 keys in the database.
    pub fn new(pattern: Pattern, capacity: Capacity) -> Self {
        Self {
            pattern,
            routes: &[],
            related: &[],
            groups: &[],
            policy: PolicyKind::Lru,
            capacity,
            ttl: None,
            ttl_jitter_percent: 0,
            negative_ttl: None,
            strategy: StampedeStrategy::None,
            latencies: Latencies::default(),
            db_keys: 100,
            warm: 0,
            crash_cache_at: None,
            db_outage: None,
            seed: 1,
        }
    }
}

/// A read or a write of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Read the key.
    Read(u64),
    /// Write a new version of the key.
    Write(u64),
}

/// One client request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    /// When the client sends it.
    pub at: Millis,
    /// Which client.
    pub client: u32,
    /// What it asks for.
    pub op: Op,
    /// For a write: the app stalls this long between the database's acknowledgement and its cache
    /// update (a GC pause, say): the classic way two writers' cache updates cross.
    pub stall_after_db: Millis,
}

/// Puts requests in the order they are sent: by time, then client (stable, so a client's
/// requests at one moment keep their order). One function for every caller: each sort by a new
/// closure adds a copy of the sort to the web bundle.
pub fn sort_requests(requests: &mut [ClientRequest]) {
    requests.sort_by_key(|request| (request.at, request.client));
}

impl ClientRequest {
    /// A request with no stall.
    pub fn new(at: Millis, client: u32, op: Op) -> Self {
        Self {
            at,
            client,
            op,
            stall_after_db: 0,
        }
    }
}

/// A finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRun {
    /// Every event, in order.
    pub events: Vec<ModelEvent>,
    /// The summary.
    pub metrics: Metrics,
}
