//! A cache of values: a [`Policy`] for what to keep, plus values, time to live, statistics and
//! events.
//!
//! Time is virtual ([`Millis`]), moved forward only by [`Cache::advance_to`]; randomness (TTL
//! jitter, the active expiry sweep) comes from a seeded [`Rng`]. So the same operations always
//! give the same events, natively and in the browser.
//!
//! Expiry works as in Redis: lazily (a lookup of an expired entry drops it and misses) and actively
//! (every `interval` of virtual time, sample keys that have a TTL, drop the expired ones, and sample
//! again while more than a quarter of a sample had expired). An expired value is never returned.

use std::collections::VecDeque;
use std::fmt;

use super::dense_keys::DenseKeys;
use super::events::{CacheEvent, EventKind, EventSink, EvictionReason, Millis, NoEvents};
use super::hash::{IdMap, id_map_with_capacity};
use super::policy::{Capacity, InspectablePolicy, NeedsTrace, PolicyKind, PolicyOptions};
use super::rng::Rng;
use super::stats::{CacheInfo, MissKind, Stats};

/// Redis-style active expiry: how often the sweep runs and how hard it looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveExpiry {
    /// Virtual time between sweeps (Redis: 100 ms, at `hz 10`).
    pub interval: Millis,
    /// Keys with a TTL sampled per round (Redis: 20).
    pub samples: usize,
    /// Another round runs while more than this percentage of a sample had expired (Redis: 25).
    pub repeat_above_percent: u32,
    /// At most this many rounds per sweep, bounding the work (Redis bounds it by CPU time).
    pub max_rounds: usize,
}

impl Default for ActiveExpiry {
    fn default() -> Self {
        Self {
            interval: 100,
            samples: 20,
            repeat_above_percent: 25,
            max_rounds: 16,
        }
    }
}

/// How to build a [`Cache`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CacheConfig {
    /// The most entries resident at once.
    pub capacity: Capacity,
    /// The eviction policy (any but `opt`, which needs a whole trace).
    pub policy: PolicyKind,
    /// The policy's settings (its seed, Redis's sample count).
    pub policy_options: PolicyOptions,
    /// The TTL of entries stored without one; `None` means they never expire.
    pub default_ttl: Option<Millis>,
    /// Each TTL is spread uniformly by up to ± this percentage (0 to 100), so that entries stored
    /// together do not all expire together.
    pub ttl_jitter_percent: u32,
    /// The active sweep, or `None` for lazy expiry only.
    pub active_expiry: Option<ActiveExpiry>,
    /// Seeds the jitter and the sweep's sampling.
    pub seed: u64,
}

impl CacheConfig {
    /// An LRU cache of `capacity` entries with no TTL and the default active sweep.
    pub fn new(capacity: Capacity) -> Self {
        Self {
            capacity,
            policy: PolicyKind::Lru,
            policy_options: PolicyOptions::default(),
            default_ttl: None,
            ttl_jitter_percent: 0,
            active_expiry: Some(ActiveExpiry::default()),
            seed: 0,
        }
    }
}

/// What a [`Cache::put`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new entry was stored.
    Inserted,
    /// The key was live; its value (and TTL) were replaced.
    Updated,
    /// The policy refused the new key; nothing was stored.
    Rejected,
}

/// The TTL of one [`Cache::put_with_ttl`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ttl {
    /// Use the cache's default TTL.
    Default,
    /// Never expire.
    Never,
    /// Expire this long after the put (before jitter).
    After(Millis),
}

/// One stored value.
#[derive(Clone, Debug)]
struct Entry<V> {
    /// The value.
    value: V,
    /// When it expires, if ever.
    expires_at: Option<Millis>,
}

/// What the cache knows of a key it has seen: one map holds both, so a lookup finds a value or
/// the reason for a miss in a single probe, and a departure overwrites the slot in place.
#[derive(Clone, Debug)]
enum Slot<V> {
    /// Stored (possibly expired but not yet dropped).
    Live(Entry<V>),
    /// Stored once; this is how its next miss is classified. `departure` orders it among the
    /// remembered departures (see [`REMEMBERED_PER_ENTRY`]).
    Gone { kind: MissKind, departure: u64 },
}

/// How many departed keys the cache remembers, per entry of its capacity (at least
/// [`MIN_REMEMBERED`]): the oldest record is forgotten first, as quick_cache bounds its
/// non-resident entries, so memory follows the capacity and not every key ever seen. A miss on
/// a remembered key says why it left; on a forgotten one it counts as cold.
pub const REMEMBERED_PER_ENTRY: usize = 2;

/// The fewest departed keys remembered, whatever the capacity.
pub const MIN_REMEMBERED: usize = 64;

impl<V> Slot<V> {
    /// The entry, if stored and not expired at `now`.
    fn live_at(&self, now: Millis) -> Option<&Entry<V>> {
        match self {
            Slot::Live(entry) if entry.expires_at.is_none_or(|at| at > now) => Some(entry),
            _ => None,
        }
    }
}

/// A cache of `V` values under `u64` keys, reporting events to `S`.
pub struct Cache<V, S: EventSink = NoEvents> {
    /// Decides what stays.
    policy: Box<dyn InspectablePolicy>,
    /// Every key seen: its value, or why it left.
    entries: IdMap<Slot<V>>,
    /// Keys with a TTL and their expiry times, for the active sweep's sampling.
    expiring: DenseKeys<Millis>,
    /// Counters.
    stats: Stats,
    /// The current virtual time.
    now: Millis,
    /// TTL for puts without one.
    default_ttl: Option<Millis>,
    /// TTL spread, in percent.
    ttl_jitter_percent: u32,
    /// The active sweep's settings.
    active_expiry: Option<ActiveExpiry>,
    /// Jitter and sweep sampling.
    rng: Rng,
    /// Scratch space for the policy's evictions.
    evicted: Vec<u64>,
    /// Departed keys in the order they left, with their departure's number: the oldest are
    /// forgotten past `remembered` (an entry whose key has come back since is only dropped).
    departures: VecDeque<(u64, u64)>,
    /// The next departure's number.
    next_departure: u64,
    /// How many departures are remembered.
    remembered: usize,
    /// Where events go.
    sink: S,
}

impl<V> Cache<V, NoEvents> {
    /// A cache that reports no events.
    pub fn new(config: CacheConfig) -> Result<Self, NeedsTrace> {
        Cache::with_sink(config, NoEvents)
    }
}

impl<V, S: EventSink> Cache<V, S> {
    /// A cache reporting every event to `sink`.
    pub fn with_sink(config: CacheConfig, sink: S) -> Result<Self, NeedsTrace> {
        Ok(Self {
            policy: config
                .policy
                .build(config.capacity, &config.policy_options)?,
            entries: id_map_with_capacity(config.capacity.get().min(1 << 16)),
            expiring: DenseKeys::default(),
            stats: Stats::default(),
            now: 0,
            default_ttl: config.default_ttl,
            ttl_jitter_percent: config.ttl_jitter_percent.min(100),
            active_expiry: config.active_expiry,
            rng: Rng::new(config.seed),
            evicted: Vec::new(),
            departures: VecDeque::new(),
            next_departure: 0,
            remembered: config
                .capacity
                .get()
                .saturating_mul(REMEMBERED_PER_ENTRY)
                .max(MIN_REMEMBERED),
            sink,
        })
    }

    /// The current virtual time.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Python-`functools`-style summary.
    pub fn cache_info(&self) -> CacheInfo {
        CacheInfo {
            hits: self.stats.hits,
            misses: self.stats.misses,
            maxsize: Some(self.policy.capacity() as u64),
            currsize: self.stats.size,
        }
    }

    /// The eviction policy, for views of its internal order.
    pub fn policy(&self) -> &dyn InspectablePolicy {
        self.policy.as_ref()
    }

    /// The event sink.
    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// The event sink, mutably (e.g. to drain collected events).
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    /// How many entries are stored (some may have expired but not yet been dropped).
    pub fn len(&self) -> usize {
        self.stats.size as usize
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.stats.size == 0
    }

    /// The default TTL.
    pub fn default_ttl(&self) -> Option<Millis> {
        self.default_ttl
    }

    /// Changes the TTL of future puts without one; stored entries keep theirs.
    pub fn set_default_ttl(&mut self, ttl: Option<Millis>) {
        self.default_ttl = ttl;
    }

    /// Changes the capacity, evicting by the policy's order if over it.
    pub fn set_capacity(&mut self, capacity: Capacity) {
        let mut evicted = std::mem::take(&mut self.evicted);
        self.policy.set_capacity(capacity.get(), &mut evicted);
        self.depart_all(&mut evicted);
        self.evicted = evicted;
    }

    fn emit(&mut self, key: u64, kind: EventKind) {
        self.sink.event(CacheEvent {
            time: self.now,
            key,
            kind,
        });
    }

    /// The live value of `key` without counting a lookup or touching the policy (for displays).
    pub fn peek(&self, key: u64) -> Option<&V> {
        self.entries
            .get(&key)?
            .live_at(self.now)
            .map(|entry| &entry.value)
    }

    /// How long until `key` expires: `None` if it is not live, `Some(None)` if it never expires.
    pub fn ttl_remaining(&self, key: u64) -> Option<Option<Millis>> {
        let entry = self.entries.get(&key)?.live_at(self.now)?;
        Some(entry.expires_at.map(|at| at - self.now))
    }

    /// Live entries as (key, value, expiry time), in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (u64, &V, Option<Millis>)> {
        self.entries.iter().filter_map(|(&key, slot)| {
            slot.live_at(self.now)
                .map(|entry| (key, &entry.value, entry.expires_at))
        })
    }

    /// Drops a stored key for `reason` (the policy has already let go of it), remembering why for
    /// its next miss and reporting `event`. Returns its value, or `None` if it was not stored.
    fn depart(&mut self, key: u64, reason: EvictionReason, event: EventKind) -> Option<V> {
        let miss_kind = match reason {
            EvictionReason::Capacity => MissKind::Capacity,
            EvictionReason::Expired => MissKind::Expired,
            EvictionReason::Invalidated => MissKind::Invalidated,
        };
        let slot = self.entries.get_mut(&key)?;
        if matches!(slot, Slot::Gone { .. }) {
            return None;
        }
        let departure = self.next_departure;
        self.next_departure += 1;
        let gone = Slot::Gone {
            kind: miss_kind,
            departure,
        };
        let Slot::Live(entry) = std::mem::replace(slot, gone) else {
            unreachable!("checked above");
        };
        self.remember_departure(key, departure);
        if entry.expires_at.is_some() {
            self.expiring.remove(key);
        }
        self.stats.record_departure(reason);
        self.emit(key, event);
        Some(entry.value)
    }

    /// Notes that `key` left as departure number `departure`, forgetting the oldest departures
    /// past [`Self::remembered`] (a key still gone as that departure; one that came back, or left
    /// again since, is only taken off the list).
    fn remember_departure(&mut self, key: u64, departure: u64) {
        self.departures.push_back((key, departure));
        while self.departures.len() > self.remembered {
            let Some((old, number)) = self.departures.pop_front() else {
                break;
            };
            if matches!(
                self.entries.get(&old),
                Some(Slot::Gone { departure, .. }) if *departure == number
            ) {
                self.entries.remove(&old);
            }
        }
    }

    /// Drops the keys the policy just evicted to make room.
    fn depart_all(&mut self, keys: &mut Vec<u64>) {
        let event = EventKind::Evict {
            policy: self.policy.kind(),
        };
        for key in keys.drain(..) {
            self.depart(key, EvictionReason::Capacity, event);
        }
    }

    /// Drops `key` if it has expired; returns whether it did.
    fn expire_if_due(&mut self, key: u64, lazy: bool) -> bool {
        let now = self.now;
        let due = matches!(
            self.entries.get(&key),
            Some(Slot::Live(entry)) if entry.expires_at.is_some_and(|at| at <= now)
        );
        if due {
            self.policy.remove(key);
            self.depart(key, EvictionReason::Expired, EventKind::Expire { lazy });
        }
        due
    }

    /// Looks `key` up: a hit returns its value and counts as a use for the policy; a miss (absent
    /// or expired) returns `None`.
    pub fn get(&mut self, key: u64) -> Option<&V> {
        let now = self.now;
        let miss_kind = match self.entries.get(&key) {
            None => MissKind::Cold,
            Some(Slot::Gone { kind, .. }) => *kind,
            Some(slot) if slot.live_at(now).is_some() => {
                self.policy.touch(key);
                self.stats.hits += 1;
                self.sink.event(CacheEvent {
                    time: now,
                    key,
                    kind: EventKind::Hit,
                });
                // A second (cached) lookup: returning the first borrow is beyond today's borrowck.
                return self
                    .entries
                    .get(&key)?
                    .live_at(now)
                    .map(|entry| &entry.value);
            }
            Some(Slot::Live(_)) => {
                self.expire_if_due(key, true);
                MissKind::Expired
            }
        };
        self.stats.record_miss(miss_kind);
        self.emit(key, EventKind::Miss);
        None
    }

    /// Stores `value` under `key` with the default TTL.
    pub fn put(&mut self, key: u64, value: V) -> PutOutcome {
        self.put_with_ttl(key, value, Ttl::Default)
    }

    /// The expiry time for a put now with `ttl`, jittered.
    fn expiry_for(&mut self, ttl: Ttl) -> Option<Millis> {
        let ttl = match ttl {
            Ttl::Default => self.default_ttl?,
            Ttl::Never => return None,
            Ttl::After(ttl) => ttl,
        };
        let spread = ttl * u64::from(self.ttl_jitter_percent) / 100;
        let jittered = if spread == 0 {
            ttl
        } else {
            ttl - spread + self.rng.below(2 * spread + 1)
        };
        Some(self.now.saturating_add(jittered))
    }

    /// Stores `value` under `key`, expiring per `ttl`. A live key is updated in place (and counts as
    /// a use); a new key is offered to the policy, which may evict others or refuse it.
    pub fn put_with_ttl(&mut self, key: u64, value: V, ttl: Ttl) -> PutOutcome {
        let now = self.now;
        let expires_at = self.expiry_for(ttl);
        match self.entries.get_mut(&key) {
            Some(Slot::Live(entry)) if entry.expires_at.is_none_or(|at| at > now) => {
                entry.value = value;
                let had_ttl = entry.expires_at.is_some();
                entry.expires_at = expires_at;
                self.track_expiry(key, had_ttl, expires_at);
                self.policy.touch(key);
                self.stats.updates += 1;
                self.emit(key, EventKind::Update);
                return PutOutcome::Updated;
            }
            Some(Slot::Live(_)) => {
                self.expire_if_due(key, true);
            }
            Some(Slot::Gone { .. }) | None => {}
        }
        let mut evicted = std::mem::take(&mut self.evicted);
        let admitted = self.policy.insert(key, &mut evicted);
        self.depart_all(&mut evicted);
        self.evicted = evicted;
        if !admitted {
            self.stats.rejections += 1;
            self.emit(key, EventKind::Rejected);
            return PutOutcome::Rejected;
        }
        self.entries
            .insert(key, Slot::Live(Entry { value, expires_at }));
        self.track_expiry(key, false, expires_at);
        self.stats.record_insert();
        self.emit(key, EventKind::Insert);
        PutOutcome::Inserted
    }

    fn track_expiry(&mut self, key: u64, was_tracked: bool, expires_at: Option<Millis>) {
        match (was_tracked, expires_at) {
            (true, Some(at)) => *self.expiring.get_mut(key).expect("tracked") = at,
            (true, None) => {
                self.expiring.remove(key);
            }
            (false, Some(at)) => self.expiring.insert(key, at),
            (false, None) => {}
        }
    }

    /// Removes `key` on purpose (invalidation); returns its live value, if it had one.
    pub fn remove(&mut self, key: u64) -> Option<V> {
        if self.expire_if_due(key, true) || !matches!(self.entries.get(&key), Some(Slot::Live(_))) {
            return None;
        }
        self.policy.remove(key);
        self.depart(key, EvictionReason::Invalidated, EventKind::Remove)
    }

    /// Removes every entry (each reported as removed), as `functools`'s `cache_clear` does, and
    /// resets the statistics.
    pub fn clear(&mut self) {
        let mut keys: Vec<u64> = self
            .entries
            .iter()
            .filter(|(_, slot)| matches!(slot, Slot::Live(_)))
            .map(|(&key, _)| key)
            .collect();
        keys.sort_unstable(); // a deterministic event order
        for key in keys {
            self.remove(key);
        }
        self.stats = Stats::default();
        self.entries.clear();
        self.departures.clear();
    }

    /// Moves virtual time forward to `time` (earlier times are ignored: time never runs back),
    /// running the active expiry sweep once per interval boundary crossed (at most 10,000 times).
    pub fn advance_to(&mut self, time: Millis) {
        if time <= self.now {
            return;
        }
        let Some(sweep) = self.active_expiry.filter(|sweep| sweep.interval > 0) else {
            self.now = time;
            return;
        };
        let first = self.now / sweep.interval + 1;
        let last = time / sweep.interval;
        let skip = last.saturating_sub(first).saturating_sub(10_000);
        for tick in (first + skip)..=last {
            self.now = tick * sweep.interval;
            self.sweep(&sweep);
        }
        self.now = time;
    }

    /// Moves virtual time forward by `duration`.
    pub fn advance(&mut self, duration: Millis) {
        self.advance_to(self.now.saturating_add(duration));
    }

    /// One active expiry cycle: sample, drop the expired, repeat while many were.
    fn sweep(&mut self, sweep: &ActiveExpiry) {
        for _ in 0..sweep.max_rounds {
            if self.expiring.is_empty() {
                return;
            }
            let samples = sweep.samples.min(self.expiring.len());
            let mut expired = 0;
            for _ in 0..samples {
                if self.expiring.is_empty() {
                    break;
                }
                let slot = self.rng.below(self.expiring.len() as u64) as usize;
                let (key, &at) = self.expiring.at(slot);
                if at <= self.now && self.expire_if_due(key, false) {
                    expired += 1;
                }
            }
            if expired * 100 <= samples * sweep.repeat_above_percent as usize {
                return;
            }
        }
    }
}

impl<V: fmt::Debug, S: EventSink> fmt::Debug for Cache<V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("policy", &self.policy.kind())
            .field("now", &self.now)
            .field("len", &self.stats.size)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(capacity: u128) -> CacheConfig {
        CacheConfig::new(Capacity::new(capacity).unwrap())
    }

    #[test]
    fn departed_keys_are_remembered_up_to_a_multiple_of_the_capacity() {
        let mut cache: Cache<u64> = Cache::new(config(10)).unwrap();
        // A million distinct keys through 10 entries: what the cache holds stays bounded.
        for key in 0..1_000_000 {
            if cache.get(key).is_none() {
                cache.put(key, key);
            }
        }
        let remembered = 10 * REMEMBERED_PER_ENTRY;
        let limit = 10 + remembered.max(MIN_REMEMBERED);
        assert!(cache.entries.len() <= limit, "{}", cache.entries.len());
        assert!(cache.departures.len() <= remembered.max(MIN_REMEMBERED));
        assert_eq!(cache.stats().misses_cold, 1_000_000);
        // A key that left recently is remembered: its miss is a capacity miss...
        let before = *cache.stats();
        assert!(cache.get(999_980).is_none());
        assert_eq!(cache.stats().misses_capacity, before.misses_capacity + 1);
        // ...one that left long ago is forgotten, and counts as cold.
        assert!(cache.get(5).is_none());
        assert_eq!(cache.stats().misses_cold, before.misses_cold + 1);
    }

    #[test]
    fn a_key_that_comes_back_and_leaves_again_keeps_its_newest_reason() {
        let mut cache: Cache<u64> = Cache::new(config(1)).unwrap();
        cache.put(1, 1);
        cache.remove(1); // invalidated
        cache.put(1, 1);
        cache.put(2, 2); // 1 evicted for capacity
        // The first departure's record is stale; dropping it must not forget the second.
        for key in 3..(3 + MIN_REMEMBERED as u64 - 2) {
            cache.put(key, key);
        }
        let before = *cache.stats();
        assert!(cache.get(1).is_none());
        assert_eq!(cache.stats().misses_capacity, before.misses_capacity + 1);
        // clear() forgets everything.
        cache.clear();
        assert!(cache.entries.is_empty() && cache.departures.is_empty());
    }

    fn kinds(events: &[CacheEvent]) -> Vec<(u64, EventKind)> {
        events.iter().map(|event| (event.key, event.kind)).collect()
    }

    #[test]
    fn lru_put_get_and_evict_with_events() {
        let mut cache = Cache::with_sink(config(2), Vec::new()).unwrap();
        assert_eq!(cache.put(1, "a"), PutOutcome::Inserted);
        cache.put(2, "b");
        assert_eq!(cache.get(1), Some(&"a"));
        cache.put(3, "c"); // evicts 2, the least recently used
        assert_eq!(cache.get(2), None);
        assert_eq!(cache.put(1, "A"), PutOutcome::Updated);
        assert_eq!(
            kinds(cache.sink()),
            [
                (1, EventKind::Insert),
                (2, EventKind::Insert),
                (1, EventKind::Hit),
                (
                    2,
                    EventKind::Evict {
                        policy: PolicyKind::Lru
                    }
                ),
                (3, EventKind::Insert),
                (2, EventKind::Miss),
                (1, EventKind::Update),
            ]
        );
        let stats = *cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.misses_capacity), (1, 1, 1));
        assert_eq!(
            (stats.size, stats.max_size, stats.evictions_capacity),
            (2, 2, 1)
        );
        assert_eq!(
            cache.cache_info().to_string(),
            "CacheInfo(hits=1, misses=1, maxsize=2, currsize=2)"
        );
    }

    #[test]
    fn an_expired_value_is_never_returned_and_its_miss_is_classified() {
        let mut cache = Cache::with_sink(
            CacheConfig {
                active_expiry: None,
                ..config(4)
            },
            Vec::new(),
        )
        .unwrap();
        cache.put_with_ttl(1, 10, Ttl::After(100));
        cache.advance(99);
        assert_eq!(cache.get(1), Some(&10));
        assert_eq!(cache.ttl_remaining(1), Some(Some(1)));
        cache.advance(1);
        assert_eq!(cache.peek(1), None);
        assert_eq!(cache.get(1), None);
        let tail = &cache.sink()[cache.sink().len() - 2..];
        assert_eq!(
            kinds(tail),
            [(1, EventKind::Expire { lazy: true }), (1, EventKind::Miss)]
        );
        assert_eq!(cache.stats().misses_expired, 1);
        assert_eq!(cache.get(9), None);
        assert_eq!(cache.stats().misses_cold, 1);
        cache.put(5, 0);
        cache.remove(5);
        cache.get(5);
        assert_eq!(cache.stats().misses_invalidated, 1);
        assert_eq!(cache.stats().removals, 1);
    }

    #[test]
    fn the_active_sweep_expires_keys_nobody_reads() {
        let mut cache = Cache::with_sink(config(1000), Vec::new()).unwrap();
        for key in 0..200 {
            cache.put_with_ttl(key, (), Ttl::After(1_000));
        }
        cache.put(999, ()); // no TTL: never sampled, never expires
        cache.advance_to(1_050);
        // While most of a sample is expired the sweep keeps going, so one cycle clears nearly all.
        let swept = cache
            .sink()
            .iter()
            .filter(|e| e.kind == EventKind::Expire { lazy: false })
            .count();
        assert!(swept >= 150, "only {swept} swept");
        cache.advance_to(5_000);
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.peek(999), Some(&()));
    }

    #[test]
    fn jitter_spreads_expiry_times_within_the_percentage() {
        let jittered = CacheConfig {
            default_ttl: Some(1_000),
            ttl_jitter_percent: 10,
            ..config(500)
        };
        let mut cache: Cache<()> = Cache::new(jittered).unwrap();
        for key in 0..500 {
            cache.put(key, ());
        }
        let expiries: Vec<Millis> = cache.entries().map(|(_, _, at)| at.unwrap()).collect();
        assert!(expiries.iter().all(|&at| (900..=1_100).contains(&at)));
        let distinct: std::collections::BTreeSet<_> = expiries.iter().collect();
        assert!(
            distinct.len() > 100,
            "only {} distinct expiry times",
            distinct.len()
        );
    }

    #[test]
    fn stats_agree_with_the_event_stream() {
        let mut cache = Cache::with_sink(
            CacheConfig {
                policy: PolicyKind::S3Fifo,
                default_ttl: Some(50),
                ..config(8)
            },
            Vec::new(),
        )
        .unwrap();
        let mut rng = Rng::new(3);
        for _ in 0..2_000 {
            let key = rng.below(30);
            match rng.below(10) {
                0..=5 => {
                    if cache.get(key).is_none() {
                        cache.put(key, key);
                    }
                }
                6 => {
                    cache.remove(key);
                }
                7 => {
                    cache.put_with_ttl(key, key, Ttl::Never);
                }
                _ => cache.advance(rng.below(20)),
            }
        }
        let derived = Stats::from_events(cache.sink());
        let stats = cache.stats();
        assert_eq!(derived.hits, stats.hits);
        assert_eq!(derived.misses, stats.misses);
        assert_eq!(derived.inserts, stats.inserts);
        assert_eq!(derived.updates, stats.updates);
        assert_eq!(derived.evictions(), stats.evictions());
        assert_eq!(
            stats.misses,
            stats.misses_cold
                + stats.misses_capacity
                + stats.misses_expired
                + stats.misses_invalidated
        );
        assert_eq!(stats.size, cache.len() as u64);
        assert_eq!(stats.inserts - stats.evictions(), stats.size);
    }

    #[test]
    fn clear_removes_everything_and_resets_stats() {
        let mut cache: Cache<u8> = Cache::new(config(4)).unwrap();
        cache.put(1, 1);
        cache.get(1);
        cache.clear();
        assert!(cache.is_empty());
        assert_eq!(cache.stats(), &Stats::default());
        assert!(
            Cache::<u8>::new(CacheConfig {
                policy: PolicyKind::Opt,
                ..config(4)
            })
            .is_err()
        );
    }
}
