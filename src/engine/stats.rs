//! Cache statistics, kept in step with the event stream.

use super::events::{CacheEvent, EventKind, EvictionReason};

/// Why a lookup missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissKind {
    /// The key was never stored before (compulsory miss).
    Cold,
    /// The key was stored once but the policy evicted it.
    Capacity,
    /// The key was stored once but its TTL ran out.
    Expired,
    /// The key was stored once but was removed on purpose.
    Invalidated,
}

/// Counters of everything a cache did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lookups that found a live entry.
    pub hits: u64,
    /// Lookups that found nothing live; the sum of the four kinds below.
    pub misses: u64,
    /// Misses on keys never stored before.
    pub misses_cold: u64,
    /// Misses on keys the policy had evicted.
    pub misses_capacity: u64,
    /// Misses on keys whose TTL had run out.
    pub misses_expired: u64,
    /// Misses on keys removed on purpose.
    pub misses_invalidated: u64,
    /// New entries stored.
    pub inserts: u64,
    /// Values replaced in place.
    pub updates: u64,
    /// New keys the policy refused to admit.
    pub rejections: u64,
    /// Entries removed on purpose (also counted in `evictions_invalidated`).
    pub removals: u64,
    /// Entries evicted to make room.
    pub evictions_capacity: u64,
    /// Entries dropped because their TTL ran out.
    pub evictions_expired: u64,
    /// Entries removed on purpose.
    pub evictions_invalidated: u64,
    /// Entries resident now.
    pub size: u64,
    /// The most entries ever resident at once.
    pub max_size: u64,
}

/// `part / whole`, or 0 when `whole` is 0: every hit and miss ratio the engine and `cachesim`
/// report.
pub(crate) fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Stats {
    /// Hits per lookup, or 0 before the first lookup.
    pub fn hit_ratio(&self) -> f64 {
        ratio(self.hits, self.hits + self.misses)
    }

    /// Entries that left for any reason.
    pub fn evictions(&self) -> u64 {
        self.evictions_capacity + self.evictions_expired + self.evictions_invalidated
    }

    /// Counts one miss of the given kind.
    pub(crate) fn record_miss(&mut self, kind: MissKind) {
        self.misses += 1;
        match kind {
            MissKind::Cold => self.misses_cold += 1,
            MissKind::Capacity => self.misses_capacity += 1,
            MissKind::Expired => self.misses_expired += 1,
            MissKind::Invalidated => self.misses_invalidated += 1,
        }
    }

    /// Counts one departure.
    pub(crate) fn record_departure(&mut self, reason: EvictionReason) {
        self.size -= 1;
        match reason {
            EvictionReason::Capacity => self.evictions_capacity += 1,
            EvictionReason::Expired => self.evictions_expired += 1,
            EvictionReason::Invalidated => {
                self.evictions_invalidated += 1;
                self.removals += 1;
            }
        }
    }

    /// Counts one new entry.
    pub(crate) fn record_insert(&mut self) {
        self.inserts += 1;
        self.size += 1;
        self.max_size = self.max_size.max(self.size);
    }

    /// Rebuilds the event-derived counters from an event log, to check a cache's stats against
    /// the events it reported (miss kinds and sizes are not derivable from events alone).
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a CacheEvent>) -> Stats {
        let mut stats = Stats::default();
        for event in events {
            match event.kind {
                EventKind::Hit => stats.hits += 1,
                EventKind::Miss => stats.misses += 1,
                EventKind::Insert => stats.inserts += 1,
                EventKind::Update => stats.updates += 1,
                EventKind::Rejected => stats.rejections += 1,
                EventKind::Evict { .. } => stats.evictions_capacity += 1,
                EventKind::Expire { .. } => stats.evictions_expired += 1,
                EventKind::Remove => {
                    stats.evictions_invalidated += 1;
                    stats.removals += 1;
                }
            }
        }
        stats
    }
}

/// A snapshot shaped like Python's `functools` `CacheInfo(hits, misses, maxsize, currsize)`: a
/// cache's, and a memoized function's (whose calls are its lookups).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheInfo {
    /// Lookups that hit.
    pub hits: u64,
    /// Lookups that missed.
    pub misses: u64,
    /// The capacity in entries, or `None` for unbounded.
    pub maxsize: Option<u64>,
    /// Entries resident now.
    pub currsize: u64,
}

impl CacheInfo {
    /// A cache's (or function's) before any lookup.
    pub fn empty(maxsize: Option<u64>) -> CacheInfo {
        CacheInfo {
            hits: 0,
            misses: 0,
            maxsize,
            currsize: 0,
        }
    }

    /// Adds the lookups of `later`, a cache that took over from this one: hits and misses add
    /// up, and the bound and size are `later`'s (the pitfall of a cache built per call).
    pub fn add_later(&mut self, later: CacheInfo) {
        *self = CacheInfo {
            hits: self.hits + later.hits,
            misses: self.misses + later.misses,
            ..later
        };
    }
}

impl std::fmt::Display for CacheInfo {
    /// As Python prints it: `CacheInfo(hits=1, misses=2, maxsize=None, currsize=2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let maxsize = self.maxsize.map_or("None".to_owned(), |n| n.to_string());
        write!(
            f,
            "CacheInfo(hits={}, misses={}, maxsize={maxsize}, currsize={})",
            self.hits, self.misses, self.currsize
        )
    }
}
