//! Memoization with the semantics of Python's `functools.lru_cache`, built on the engine's
//! [`Cache`] (LRU): `maxsize`, `typed`, `cache_info()` and `cache_clear()`; a persistent variant
//! whose results survive a restart; and single-flight concurrent callers.
//!
//! Python's rules, followed here: `maxsize=None` caches without bound and `maxsize=0` caches
//! nothing (every call computes and counts as a miss); with `typed=False`, arguments that compare
//! equal share an entry even across types (`f(3)` and `f(3.0)`), with `typed=True` they do not.

use std::collections::HashMap;

use super::cache::{Cache, CacheConfig};
use super::events::{CacheEvent, EventKind, EventSink, Millis};
use super::hash::IdMap;
use super::policy::Capacity;
use super::stats::CacheInfo;

/// One argument of a memoized call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
}

/// An argument as part of a cache key: floats with integral values fold into integers unless
/// the cache is typed, as `3 == 3.0` (with equal hashes) in Python.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyPart {
    Int(i64),
    /// A float's bits (non-integral, or typed).
    Float(u64),
    Str(String),
}

/// Python's `maxsize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxSize {
    /// `maxsize=None`: no bound.
    Unbounded,
    /// `maxsize=n` (`0` caches nothing).
    Entries(usize),
}

impl MaxSize {
    /// The bound in entries, as `cache_info()` reports it: `None` for unbounded.
    pub fn entries(self) -> Option<u64> {
        match self {
            MaxSize::Unbounded => None,
            MaxSize::Entries(n) => Some(n as u64),
        }
    }
}

/// The keys a memo's cache let go (evicted, expired or removed), so that the memo forgets their
/// arguments too.
#[derive(Debug, Default)]
struct Departures(Vec<u64>);

impl EventSink for Departures {
    fn event(&mut self, event: CacheEvent) {
        if matches!(
            event.kind,
            EventKind::Evict { .. } | EventKind::Expire { .. } | EventKind::Remove
        ) {
            self.0.push(event.key);
        }
    }
}

/// A memoized function's cache, as `functools.lru_cache(maxsize, typed)` wraps one.
#[derive(Debug)]
pub struct Memo<V> {
    /// The bound.
    maxsize: MaxSize,
    /// Whether argument types are part of the key.
    typed: bool,
    /// The argument lists cached now, numbered (so at most `maxsize` of them).
    keys: HashMap<Vec<KeyPart>, u64>,
    /// Each cached number's argument list, to forget it when the cache lets the number go.
    arguments: IdMap<Vec<KeyPart>>,
    /// The next argument list's number (numbers are never reused).
    next_key: u64,
    /// The results, by key number; `None` when `maxsize=0`.
    cache: Option<Cache<V, Departures>>,
    /// Calls that computed because `maxsize=0` (nothing is ever stored).
    uncached_misses: u64,
}

impl<V: Clone> Memo<V> {
    /// `lru_cache(maxsize=maxsize, typed=typed)`.
    pub fn new(maxsize: MaxSize, typed: bool) -> Self {
        let capacity = match maxsize {
            MaxSize::Unbounded => Some(Capacity::MAX as u128),
            MaxSize::Entries(0) => None,
            MaxSize::Entries(n) => Some(n as u128),
        };
        let cache = capacity.map(|capacity| {
            let capacity = Capacity::new(capacity).expect("1..=Capacity::MAX");
            Cache::with_sink(
                CacheConfig {
                    active_expiry: None,
                    ..CacheConfig::new(capacity)
                },
                Departures::default(),
            )
            .expect("LRU")
        });
        Self {
            maxsize,
            typed,
            keys: HashMap::new(),
            arguments: IdMap::default(),
            next_key: 0,
            cache,
            uncached_misses: 0,
        }
    }

    /// How many argument lists it holds (for tests: never more than it caches).
    pub fn argument_lists(&self) -> usize {
        self.keys.len()
    }

    fn key(&mut self, args: &[Arg]) -> u64 {
        let typed = self.typed;
        let parts: Vec<KeyPart> = args
            .iter()
            .map(|arg| match arg {
                Arg::Int(n) => KeyPart::Int(*n),
                Arg::Float(x) if !typed && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                    KeyPart::Int(*x as i64)
                }
                Arg::Float(x) => KeyPart::Float(x.to_bits()),
                Arg::Str(s) => KeyPart::Str(s.clone()),
            })
            .collect();
        // Typed caches tell 3 and 3.0 apart by a type tag per position.
        let parts = if typed {
            args.iter()
                .zip(parts)
                .flat_map(|(arg, part)| {
                    let tag = KeyPart::Int(match arg {
                        Arg::Int(_) => 0,
                        Arg::Float(_) => 1,
                        Arg::Str(_) => 2,
                    });
                    [tag, part]
                })
                .collect()
        } else {
            parts
        };
        if let Some(&key) = self.keys.get(&parts) {
            return key;
        }
        let key = self.next_key;
        self.next_key += 1;
        self.arguments.insert(key, parts.clone());
        self.keys.insert(parts, key);
        key
    }

    /// Forgets the argument lists of the keys the cache has let go.
    fn forget_departed(&mut self) {
        let Some(cache) = self.cache.as_mut() else {
            return;
        };
        for key in cache.sink_mut().0.drain(..) {
            if let Some(parts) = self.arguments.remove(&key) {
                self.keys.remove(&parts);
            }
        }
    }

    /// Calls the memoized function: returns the cached result for `args`, or computes it with
    /// `compute`, stores it (LRU-evicting at `maxsize`) and returns it. The flag says it hit.
    pub fn call(&mut self, args: &[Arg], compute: impl FnOnce() -> V) -> (V, bool) {
        if self.cache.is_none() {
            // maxsize=0: nothing is stored, so no argument list is kept either.
            self.uncached_misses += 1;
            return (compute(), false);
        }
        let key = self.key(args);
        let Some(cache) = self.cache.as_mut() else {
            return (compute(), false);
        };
        if let Some(value) = cache.get(key) {
            return (value.clone(), true);
        }
        let value = compute();
        cache.put(key, value.clone());
        self.forget_departed();
        (value, false)
    }

    /// `cache_info()`: hits, misses, maxsize (`None` for unbounded) and current size.
    pub fn cache_info(&self) -> CacheInfo {
        let counted = match &self.cache {
            Some(cache) => cache.cache_info(),
            // `maxsize=0`: no cache, every call computes.
            None => CacheInfo {
                misses: self.uncached_misses,
                ..CacheInfo::empty(None)
            },
        };
        // The memo's own bound: its cache's capacity cannot say "unbounded".
        CacheInfo {
            maxsize: self.maxsize.entries(),
            ..counted
        }
    }

    /// `cache_clear()`: drops every result and resets the statistics.
    pub fn cache_clear(&mut self) {
        if let Some(cache) = self.cache.as_mut() {
            cache.clear();
            cache.sink_mut().0.clear();
        }
        self.keys.clear();
        self.arguments.clear();
        self.uncached_misses = 0;
    }
}

/// Where a persistent memo keeps results: the model of a SQLite table, or browser storage.
pub trait MemoStore {
    /// The stored result for `key`, if any.
    fn load(&self, key: &str) -> Option<String>;
    /// Stores a result.
    fn save(&mut self, key: &str, value: &str);
    /// Forgets every result.
    fn clear(&mut self);
    /// How many results it holds.
    fn len(&self) -> usize;
    /// Whether it holds none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A [`MemoStore`] in memory (what a restart keeps is modelled by keeping this value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemoryStore {
    /// The results.
    entries: HashMap<String, String>,
}

impl MemoStore for MemoryStore {
    fn load(&self, key: &str) -> Option<String> {
        self.entries.get(key).cloned()
    }

    fn save(&mut self, key: &str, value: &str) {
        self.entries.insert(key.to_owned(), value.to_owned());
    }

    fn clear(&mut self) {
        self.entries.clear();
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A memo whose results live in a [`MemoStore`], so they survive a restart of the process that
/// computed them. Keys are the arguments rendered as text.
#[derive(Debug)]
pub struct PersistentMemo<S: MemoStore> {
    /// The results.
    store: S,
    /// Calls answered from the store.
    hits: u64,
    /// Calls that computed.
    misses: u64,
}

impl<S: MemoStore> PersistentMemo<S> {
    /// A memo over `store`, which may already hold results from an earlier run.
    pub fn new(store: S) -> Self {
        Self {
            store,
            hits: 0,
            misses: 0,
        }
    }

    /// The stored result for `args`, or computes, stores and returns it; the flag says it hit.
    pub fn call(&mut self, args: &[Arg], compute: impl FnOnce() -> String) -> (String, bool) {
        let key = args
            .iter()
            .map(|arg| match arg {
                Arg::Int(n) => format!("i:{n}"),
                Arg::Float(x) => format!("f:{x}"),
                Arg::Str(s) => format!("s:{s}"),
            })
            .collect::<Vec<_>>()
            .join("|");
        if let Some(value) = self.store.load(&key) {
            self.hits += 1;
            return (value, true);
        }
        self.misses += 1;
        let value = compute();
        self.store.save(&key, &value);
        (value, false)
    }

    /// Hits and misses since this memo was created (a restart starts them again).
    pub fn counts(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// `cache_info()`: this run's hits and misses; the size is what the store holds, from every
    /// run (unbounded: `maxsize=None`).
    pub fn cache_info(&self) -> CacheInfo {
        CacheInfo {
            hits: self.hits,
            misses: self.misses,
            maxsize: None,
            currsize: self.store.len() as u64,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// `cache_clear()`: forgets every stored result.
    pub fn cache_clear(&mut self) {
        self.store.clear();
        self.hits = 0;
        self.misses = 0;
    }

    /// Ends the process: the in-memory counters go, the store stays.
    pub fn into_store(self) -> S {
        self.store
    }
}

/// The outcome of concurrent calls to one memoized function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConcurrentOutcome {
    /// How many times the function actually ran.
    pub computations: u64,
    /// Calls that waited for a computation already under way.
    pub waits: u64,
    /// Calls answered from the cache.
    pub hits: u64,
    /// When each call got its answer, in call order.
    pub answered_at: Vec<Millis>,
}

/// Calls arriving at the given times with the given keys, a computation taking `compute` ms;
/// with `single_flight`, a call for a key being computed waits for that computation instead of
/// starting its own (and the result is cached when it ends).
pub fn concurrent_calls(
    calls: &[(Millis, u64)],
    compute: Millis,
    single_flight: bool,
) -> ConcurrentOutcome {
    let mut outcome = ConcurrentOutcome::default();
    // Per key: when its cached result became (or becomes) available.
    let mut ready_at: IdMap<Millis> = IdMap::default();
    for &(at, key) in calls {
        match ready_at.get(&key) {
            Some(&ready) if ready <= at => {
                outcome.hits += 1;
                outcome.answered_at.push(at);
            }
            Some(&ready) if single_flight => {
                outcome.waits += 1;
                outcome.answered_at.push(ready);
            }
            _ => {
                outcome.computations += 1;
                let ready = at + compute;
                outcome.answered_at.push(ready);
                ready_at
                    .entry(key)
                    .and_modify(|r| *r = (*r).min(ready))
                    .or_insert(ready);
            }
        }
    }
    outcome
}

/// The memoization scenario: the factory pitfall beside one shared cache, concurrent callers
/// with and without single flight, and a persistent memo across a restart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoReport {
    /// Every call through a cache built for that call (`lru_cache(partial(f, conn))` per request),
    /// summed over the calls.
    pub per_call: CacheInfo,
    /// The same calls through one cache shared by every request.
    pub shared: CacheInfo,
    /// `callers` simultaneous calls with the same argument, without single flight.
    pub concurrent_plain: ConcurrentOutcome,
    /// The same, with single flight.
    pub concurrent_single_flight: ConcurrentOutcome,
    /// A persistent memo's (hits, misses) over the calls, then again after a restart.
    pub persistent: [(u64, u64); 2],
}

/// Runs the memoization scenario: `calls` calls over `distinct` argument values (Zipf-popular,
/// seeded), `callers` concurrent callers, a computation taking `compute` ms.
pub fn memo_scenario(
    calls: usize,
    distinct: u64,
    maxsize: MaxSize,
    typed: bool,
    callers: u32,
    compute: Millis,
    seed: u64,
) -> MemoReport {
    let keys: Vec<i64> = super::workload::Workload::Zipf {
        keys: distinct.max(1),
        alpha: 1.0,
    }
    .keys(seed)
    .expect("at least one key")
    .take(calls)
    .map(|key| key as i64)
    .collect();
    let mut per_call = CacheInfo::empty(None);
    for &key in &keys {
        let mut fresh = Memo::new(maxsize, typed);
        fresh.call(&[Arg::Int(key)], || key * key);
        per_call.add_later(fresh.cache_info());
    }
    let mut shared = Memo::new(maxsize, typed);
    for &key in &keys {
        shared.call(&[Arg::Int(key)], || key * key);
    }
    let simultaneous: Vec<(Millis, u64)> = (0..callers)
        .map(|caller| (Millis::from(caller % 3), 1))
        .collect();
    let mut persistent = PersistentMemo::new(MemoryStore::default());
    for &key in &keys {
        persistent.call(&[Arg::Int(key)], || (key * key).to_string());
    }
    let first = persistent.counts();
    let mut restarted = PersistentMemo::new(persistent.into_store());
    for &key in &keys {
        restarted.call(&[Arg::Int(key)], || (key * key).to_string());
    }
    MemoReport {
        per_call,
        shared: shared.cache_info(),
        concurrent_plain: concurrent_calls(&simultaneous, compute, false),
        concurrent_single_flight: concurrent_calls(&simultaneous, compute, true),
        persistent: [first, restarted.counts()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_kept_only_while_their_results_are_cached() {
        let mut memo = Memo::new(MaxSize::Entries(8), false);
        for round in 0..2 {
            for n in 0..10_000 {
                let (value, hit) = memo.call(&[Arg::Int(n)], || n * 2);
                assert_eq!((value, hit), (n * 2, false), "round {round}, {n}");
                assert!(memo.argument_lists() <= 8);
            }
        }
        // The last eight are cached, and hit.
        for n in 9_992..10_000 {
            assert_eq!(memo.call(&[Arg::Int(n)], || -1), (n * 2, true));
        }
        let info = memo.cache_info();
        assert_eq!((info.hits, info.misses, info.currsize), (8, 20_000, 8));
        memo.cache_clear();
        assert_eq!(memo.argument_lists(), 0);
        assert_eq!(memo.cache_info().currsize, 0);
        // maxsize=0 keeps nothing at all.
        let mut nothing: Memo<i64> = Memo::new(MaxSize::Entries(0), false);
        nothing.call(&[Arg::Str("x".into())], || 1);
        assert_eq!(nothing.argument_lists(), 0);
    }

    fn square(n: i64) -> i64 {
        n * n
    }

    #[test]
    fn lru_cache_semantics_maxsize_and_info() {
        let mut memo = Memo::new(MaxSize::Entries(2), false);
        for n in [1, 2, 1, 3, 2] {
            memo.call(&[Arg::Int(n)], || square(n));
        }
        // 1 2 (misses), 1 (hit), 3 evicts 2, 2 misses again.
        assert_eq!(
            memo.cache_info().to_string(),
            "CacheInfo(hits=1, misses=4, maxsize=2, currsize=2)"
        );
        memo.cache_clear();
        assert_eq!(
            memo.cache_info(),
            CacheInfo {
                hits: 0,
                misses: 0,
                maxsize: Some(2),
                currsize: 0
            }
        );

        let mut nothing = Memo::new(MaxSize::Entries(0), false);
        nothing.call(&[Arg::Int(1)], || 1);
        nothing.call(&[Arg::Int(1)], || 1);
        assert_eq!(
            nothing.cache_info().to_string(),
            "CacheInfo(hits=0, misses=2, maxsize=0, currsize=0)"
        );

        let mut unbounded = Memo::new(MaxSize::Unbounded, false);
        for n in 0..1000 {
            unbounded.call(&[Arg::Int(n)], || n);
        }
        assert_eq!(
            unbounded.cache_info().to_string(),
            "CacheInfo(hits=0, misses=1000, maxsize=None, currsize=1000)"
        );
    }

    #[test]
    fn typed_tells_three_and_three_point_zero_apart() {
        let mut untyped = Memo::new(MaxSize::Entries(8), false);
        untyped.call(&[Arg::Int(3)], || 9.0);
        assert!(
            untyped.call(&[Arg::Float(3.0)], || 9.0).1,
            "3 and 3.0 share an entry"
        );
        assert!(!untyped.call(&[Arg::Float(3.5)], || 12.25).1);
        let mut typed = Memo::new(MaxSize::Entries(8), true);
        typed.call(&[Arg::Int(3)], || 9.0);
        assert!(
            !typed.call(&[Arg::Float(3.0)], || 9.0).1,
            "typed: separate entries"
        );
        assert_eq!(typed.cache_info().currsize, 2);
    }

    #[test]
    fn a_cache_built_per_call_never_hits_and_a_shared_one_does() {
        // The pitfall: lru_cache(partial(f, conn)) inside a request handler builds a new cache
        // every time, so every call is that cache's first.
        let keys = [1, 2, 1, 1, 3, 2];
        let mut per_call_hits = 0;
        for n in keys {
            let mut fresh = Memo::new(MaxSize::Entries(128), false);
            fresh.call(&[Arg::Int(n)], || square(n));
            per_call_hits += fresh.cache_info().hits;
        }
        assert_eq!(per_call_hits, 0);
        let mut shared = Memo::new(MaxSize::Entries(128), false);
        for n in keys {
            shared.call(&[Arg::Int(n)], || square(n));
        }
        // One miss per distinct key, hits after.
        assert_eq!(
            shared.cache_info(),
            CacheInfo {
                hits: 3,
                misses: 3,
                maxsize: Some(128),
                currsize: 3
            }
        );
    }

    #[test]
    fn persistent_results_survive_a_restart_until_cleared() {
        let mut first_run = PersistentMemo::new(MemoryStore::default());
        assert_eq!(
            first_run.call(&[Arg::Str("report".into())], || "42".into()),
            ("42".to_owned(), false)
        );
        let store = first_run.into_store(); // the process ends; the store (a file, a table) stays
        let mut second_run = PersistentMemo::new(store);
        assert_eq!(
            second_run.call(&[Arg::Str("report".into())], || unreachable!()),
            ("42".to_owned(), true)
        );
        assert_eq!(second_run.counts(), (1, 0));
        second_run.cache_clear();
        assert!(
            !second_run
                .call(&[Arg::Str("report".into())], || "43".into())
                .1
        );
    }

    #[test]
    fn the_scenario_shows_every_lesson_at_once() {
        let report = memo_scenario(200, 20, MaxSize::Entries(128), false, 10, 100, 1);
        assert_eq!(report.per_call.hits, 0);
        assert_eq!(report.per_call.misses, 200);
        let distinct = report.shared.currsize;
        assert_eq!(
            report.shared.misses, distinct,
            "one miss per distinct argument"
        );
        assert_eq!(report.shared.hits, 200 - distinct);
        assert_eq!(report.concurrent_plain.computations, 10);
        assert_eq!(
            (
                report.concurrent_single_flight.computations,
                report.concurrent_single_flight.waits
            ),
            (1, 9)
        );
        assert_eq!(report.persistent, [(200 - distinct, distinct), (200, 0)]);
    }

    #[test]
    fn single_flight_computes_once_for_concurrent_callers() {
        let calls: Vec<(Millis, u64)> = (0..10).map(|i| (i, 7)).collect();
        let plain = concurrent_calls(&calls, 100, false);
        assert_eq!((plain.computations, plain.waits), (10, 0));
        let flight = concurrent_calls(&calls, 100, true);
        assert_eq!((flight.computations, flight.waits), (1, 9));
        assert!(flight.answered_at.iter().all(|&t| t == 100));
        // Later callers hit the cached result.
        let later = concurrent_calls(&[(0, 7), (150, 7)], 100, true);
        assert_eq!((later.computations, later.hits), (1, 1));
    }
}
