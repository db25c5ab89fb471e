//! The model's state at a moment, as [`super::Simulation::snapshot`] reports it: what the
//! playground's diagram draws, taken from the simulation itself.

use super::{Message, Metrics, Node};
use crate::engine::events::Millis;

/// `items` reordered by `key`, greatest first. The sort runs on plain `(u64, u64, u32)` keys so
/// every caller shares one instantiation of it: each sort by a new closure or type adds several KB
/// to the web bundle.
pub fn greatest_first<T>(items: Vec<T>, key: impl Fn(&T) -> (u64, u64)) -> Vec<T> {
    let mut order: Vec<(u64, u64, u32)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let (first, second) = key(item);
            (first, second, index as u32)
        })
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .rev()
        .filter_map(|&(_, _, index)| slots[index as usize].take())
        .collect()
}

/// The state of the system after the last action run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// The time of the last action run.
    pub now: Millis,
    /// Cached entries, the most recently stored first (an entry past its expiry stays until the
    /// cache drops it, lazily or in its sweep, as a real cache's does).
    pub cache: Vec<CachedEntry>,
    /// Database rows read or written so far, the most recently touched first.
    pub db: Vec<DbRow>,
    /// Writes in the write-behind queue, oldest first.
    pub queue: Vec<QueuedWrite>,
    /// Acknowledged writes lost in a crash.
    pub lost: Vec<LostWrite>,
    /// Locks held (lock strategy), by key.
    pub locks: Vec<LockShown>,
    /// When the write-behind queue flushes next, if anything is left to do.
    pub next_flush: Option<Millis>,
    /// When the cache crashed, if it has.
    pub crashed_at: Option<Millis>,
    /// Client requests sent and not yet answered, oldest first.
    pub open: Vec<OpenRequest>,
    /// Messages on the wire, in the order they were sent.
    pub wire: Vec<Wire>,
    /// The metrics so far.
    pub metrics: Metrics,
}

/// A key's lock (lock strategy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockShown {
    /// The key it guards.
    pub key: u64,
    /// The client whose request holds it.
    pub client: u32,
    /// When it expires unless released.
    pub until: Millis,
}

/// One cached entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachedEntry {
    /// The key.
    pub key: u64,
    /// The database version it holds (0: a cached "not found").
    pub version: u64,
    /// When it was stored.
    pub stored_at: Millis,
    /// When it expires, if it has a TTL.
    pub expires_at: Option<Millis>,
    /// The database's version of the key now.
    pub db_version: u64,
}

impl CachedEntry {
    /// The cache holds an older version than the database.
    pub fn stale(&self) -> bool {
        self.version < self.db_version
    }
}

/// One database row that has been read or written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbRow {
    /// The key.
    pub key: u64,
    /// Its version (0: no such row).
    pub version: u64,
    /// When it was last read or written.
    pub touched_at: Millis,
    /// When a write last changed it, if one has.
    pub changed_at: Option<Millis>,
}

/// One write waiting in the write-behind queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueuedWrite {
    /// The key.
    pub key: u64,
    /// The version to write.
    pub version: u64,
    /// When it joined the queue (or replaced the write queued before it).
    pub queued_at: Millis,
    /// The version of the queued write it replaced (coalescing), if any.
    pub replaced: Option<u64>,
}

/// An acknowledged write that a crash lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LostWrite {
    /// The key.
    pub key: u64,
    /// The version that never reached the database.
    pub version: u64,
    /// When it was lost.
    pub at: Millis,
}

/// A client request under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenRequest {
    /// Its index in the run's requests.
    pub request: u32,
    /// The client that sent it.
    pub client: u32,
    /// The key.
    pub key: u64,
    /// A write (otherwise a read).
    pub write: bool,
    /// When the client sent it.
    pub started: Millis,
}

/// A message on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wire {
    /// The request it serves, if any.
    pub request: Option<u32>,
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// What it carries.
    pub message: Message,
    /// The key concerned (a flush: its first key).
    pub key: u64,
    /// When it left.
    pub sent: Millis,
    /// When it arrives.
    pub arrive: Millis,
}
