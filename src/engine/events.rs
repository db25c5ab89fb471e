//! Typed cache events: everything the UI's console and animations are built from.
//!
//! A [`crate::engine::Cache`] reports every operation to an [`EventSink`]. The sink is a type
//! parameter, and the default [`NoEvents`] does nothing, so a cache without a sink pays nothing.

use super::policy::PolicyKind;

/// Virtual time in milliseconds. The engine never reads a real clock.
pub type Millis = u64;

/// Why a key left the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvictionReason {
    /// The policy chose it to make room.
    Capacity,
    /// Its time to live ran out.
    Expired,
    /// It was removed on purpose (invalidation, delete).
    Invalidated,
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A lookup found a live entry.
    Hit,
    /// A lookup found nothing (or only an expired entry, reported first as `Expire`).
    Miss,
    /// A new entry was stored.
    Insert,
    /// An existing entry's value was replaced.
    Update,
    /// The policy refused to admit a new key (TinyLFU, OPT); it was not stored.
    Rejected,
    /// The policy evicted an entry to make room, by its own rule (the lab words it).
    Evict {
        /// The policy that chose it.
        policy: PolicyKind,
    },
    /// An entry's TTL ran out; it was found on access (`lazy`) or by the active sweep.
    Expire {
        /// Found by a lookup rather than by the sweep.
        lazy: bool,
    },
    /// An entry was removed on purpose.
    Remove,
}

/// One event, stamped with the virtual time it happened at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheEvent {
    /// When, in virtual milliseconds.
    pub time: Millis,
    /// Which key.
    pub key: u64,
    /// What happened.
    pub kind: EventKind,
}

/// Receives events as they happen.
pub trait EventSink {
    /// Called once per event, in order.
    fn event(&mut self, event: CacheEvent);
}

/// The sink that ignores everything (the default): compiles to nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    #[inline(always)]
    fn event(&mut self, _event: CacheEvent) {}
}

/// Collects every event.
impl EventSink for Vec<CacheEvent> {
    fn event(&mut self, event: CacheEvent) {
        self.push(event);
    }
}
