//! OPT: Belady's MIN, the offline optimum that every chart shows as its floor.
//!
//! Belady (1966), "A study of replacement algorithms for a virtual-storage computer": evict the key
//! whose next use is farthest in the future. It needs the whole trace in advance, so it is built from
//! one ([`NextUse`]) and must be driven with exactly that trace, one request at a time; a replay
//! that streams the trace hands it the next uses a window at a time ([`Policy::see_future`]).
//!
//! Two forms, chosen by [`OptAdmission`]:
//! - **Bypass** (the default): on a miss the requested key competes too, and is not cached if its
//!   own next use is no sooner than every resident key's (in particular if it is never used
//!   again). That makes it a lower bound for every policy here, including those that may refuse
//!   admission (TinyLFU).
//! - **Forced**: the classic demand-paging MIN, which caches every missed key and evicts the
//!   resident key used farthest in the future. This is what libCacheSim's `Belady` reports (its
//!   `Belady.c` evicts until there is room, then always inserts); it is a lower bound only for
//!   policies that admit every miss.
//!
//! O(log n) per request. The resident keys are ordered by next use in a max-heap whose entries
//! are dropped lazily ([`Heap`]): a hit pushes the key's new next use and leaves the old entry to
//! be skipped when it surfaces. That is over twice as fast as a balanced tree: `cachesim` on 10M
//! Zipf(1.0) requests over 1M keys replays at 13.4M and 10.4M requests/s at 1% and 10% of the
//! keys, against 6.0M and 3.7M with a `BTreeSet`. The byte form needs to walk the farthest keys in
//! order, so it keeps a tree ([`Tree`]).

use std::collections::{BTreeSet, BinaryHeap};
use std::sync::Arc;

use super::by_bytes::Occupancy;
use super::{ByteCapacity, BytePolicy, Capacity, Inspect, Policy, PolicyKind};
use crate::engine::hash::{IdMap, id_map_with_capacity};

/// "Never used again".
const NEVER: u64 = u64::MAX;

/// For each position of a trace, the position of the next request for the same key.
#[derive(Clone, Debug)]
pub struct NextUse {
    /// `next[i]` is the next position requesting `trace[i]`'s key, or [`NEVER`]. (An
    /// `Arc<Vec>`, not an `Arc<[u64]>`: turning the vector into a slice would copy it.)
    next: Arc<Vec<u64>>,
}

impl NextUse {
    /// Computes next uses for `trace` in one backward pass. (`cachesim` makes them from its spill
    /// file instead, without holding the trace.)
    pub fn from_trace(trace: &[u64]) -> Self {
        let mut seen: IdMap<u64> = id_map_with_capacity(trace.len().min(1024));
        let mut next = vec![NEVER; trace.len()];
        for (position, &key) in trace.iter().enumerate().rev() {
            if let Some(later) = seen.insert(key, position as u64) {
                next[position] = later;
            }
        }
        Self {
            next: Arc::new(next),
        }
    }

    /// The next uses of a window of a trace, as positions in the whole trace (`u64::MAX` for
    /// none), for a replay that streams it ([`Policy::see_future`]).
    pub fn from_positions(next: Vec<u64>) -> Self {
        Self {
            next: Arc::new(next),
        }
    }

    /// The next uses in order (`u64::MAX` for none).
    pub fn positions(&self) -> impl Iterator<Item = u64> + '_ {
        self.next.iter().copied()
    }

    /// Number of requests in the trace.
    pub fn len(&self) -> usize {
        self.next.len()
    }

    /// Whether the trace is empty.
    pub fn is_empty(&self) -> bool {
        self.next.is_empty()
    }
}

/// Whether OPT may leave a missed key out of the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OptAdmission {
    /// A missed key is cached only if that saves a miss (the optimum over all policies).
    #[default]
    Bypass,
    /// Every missed key is cached (the classic MIN).
    Forced,
}

/// The resident keys ordered by their next use, for [`Opt`]: `(next use, key)` pairs, given the
/// map of every resident key's current next use to tell live pairs from old ones.
pub trait NextUseOrder: Clone + std::fmt::Debug + Default + Send {
    /// Adds resident `key`, next used at `next` (already in `next_use_of`).
    fn add(&mut self, next: u64, key: u64, next_use_of: &IdMap<u64>);
    /// Forgets `(next, key)`: the key moved or left.
    fn forget(&mut self, next: u64, key: u64);
    /// The live pair used farthest in the future.
    fn farthest(&mut self, next_use_of: &IdMap<u64>) -> Option<(u64, u64)>;
    /// Removes and returns the live pair used farthest in the future (then no longer resident).
    fn pop_farthest(&mut self, next_use_of: &IdMap<u64>) -> Option<(u64, u64)>;
}

/// A max-heap of `(next use, key)` with lazy deletion: a pair is live while it is its key's entry
/// in the map of next uses (positions are unique, so an old pair never comes back to life).
/// Rebuilt from the live pairs when old ones outnumber them, so it holds at most about twice the
/// resident keys.
#[derive(Clone, Debug, Default)]
pub struct Heap(BinaryHeap<(u64, u64)>);

impl Heap {
    fn live(pair: &(u64, u64), next_use_of: &IdMap<u64>) -> bool {
        next_use_of.get(&pair.1) == Some(&pair.0)
    }
}

impl NextUseOrder for Heap {
    fn add(&mut self, next: u64, key: u64, next_use_of: &IdMap<u64>) {
        if self.0.len() > 2 * next_use_of.len() + 1024 {
            let mut pairs = std::mem::take(&mut self.0).into_vec();
            pairs.retain(|pair| Self::live(pair, next_use_of));
            self.0 = BinaryHeap::from(pairs);
        }
        self.0.push((next, key));
    }

    fn forget(&mut self, _next: u64, _key: u64) {}

    fn farthest(&mut self, next_use_of: &IdMap<u64>) -> Option<(u64, u64)> {
        while let Some(top) = self.0.peek() {
            if Self::live(top, next_use_of) {
                return Some(*top);
            }
            self.0.pop();
        }
        None
    }

    fn pop_farthest(&mut self, next_use_of: &IdMap<u64>) -> Option<(u64, u64)> {
        let farthest = self.farthest(next_use_of)?;
        self.0.pop();
        Some(farthest)
    }
}

/// An ordered set of `(next use, key)`, the last the farthest, that can be walked in order.
#[derive(Clone, Debug, Default)]
pub struct Tree(BTreeSet<(u64, u64)>);

impl NextUseOrder for Tree {
    fn add(&mut self, next: u64, key: u64, _next_use_of: &IdMap<u64>) {
        self.0.insert((next, key));
    }

    fn forget(&mut self, next: u64, key: u64) {
        self.0.remove(&(next, key));
    }

    fn farthest(&mut self, _next_use_of: &IdMap<u64>) -> Option<(u64, u64)> {
        self.0.last().copied()
    }

    fn pop_farthest(&mut self, _next_use_of: &IdMap<u64>) -> Option<(u64, u64)> {
        self.0.pop_last()
    }
}

/// Belady's optimal replacement, with bypass or forced admission.
#[derive(Clone, Debug)]
pub struct Opt<O: NextUseOrder = Heap> {
    /// The future.
    future: NextUse,
    /// The position of the next request in the trace.
    cursor: usize,
    /// Resident keys ordered by next use.
    by_next_use: O,
    /// Each resident key's next use.
    next_use_of: IdMap<u64>,
    /// The most keys resident at once.
    capacity: usize,
    /// Whether a missed key may be left out.
    admission: OptAdmission,
}

impl Opt {
    /// An empty OPT (with bypass) of size `capacity` (≥ 1) for the trace whose next uses are
    /// `future`.
    pub fn new(capacity: usize, future: NextUse) -> Self {
        Self::with_admission(capacity, future, OptAdmission::Bypass)
    }

    /// [`Self::new`] with the given admission.
    pub fn with_admission(capacity: usize, future: NextUse, admission: OptAdmission) -> Self {
        Self::ordered_by(capacity, future, admission)
    }
}

impl<O: NextUseOrder> Opt<O> {
    /// [`Opt::with_admission`], its keys kept in order by `O`.
    fn ordered_by(capacity: usize, future: NextUse, admission: OptAdmission) -> Self {
        Self {
            future,
            cursor: 0,
            by_next_use: O::default(),
            next_use_of: id_map_with_capacity(super::initial_reserve(capacity)),
            capacity: capacity.max(1),
            admission,
        }
    }

    /// Consumes the current request's position, returning its next use.
    fn advance(&mut self) -> u64 {
        let next = self.future.next.get(self.cursor).copied().unwrap_or(NEVER);
        self.cursor += 1;
        next
    }

    /// Moves resident `key` to its new next use.
    fn reposition(&mut self, key: u64, next: u64) {
        if let Some(old) = self.next_use_of.insert(key, next) {
            self.by_next_use.forget(old, key);
        }
        self.by_next_use.add(next, key, &self.next_use_of);
    }

    /// Makes `key`, next used at `next`, resident.
    fn place(&mut self, key: u64, next: u64) {
        self.next_use_of.insert(key, next);
        self.by_next_use.add(next, key, &self.next_use_of);
    }

    /// The next use of the resident key used farthest in the future.
    fn farthest(&mut self) -> Option<u64> {
        let (next, _) = self.by_next_use.farthest(&self.next_use_of)?;
        Some(next)
    }

    fn evict_farthest(&mut self) -> Option<u64> {
        let (_, key) = self.by_next_use.pop_farthest(&self.next_use_of)?;
        self.next_use_of.remove(&key);
        Some(key)
    }
}

impl<O: NextUseOrder> Policy for Opt<O> {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Opt
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.next_use_of.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.next_use_of.contains_key(&key)
    }

    /// A hit consumes the request's position; a miss leaves it for [`Policy::insert`].
    fn touch(&mut self, key: u64) -> bool {
        if !self.next_use_of.contains_key(&key) {
            return false;
        }
        let next = self.advance();
        self.reposition(key, next);
        true
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        let next = self.advance();
        if self.next_use_of.len() >= self.capacity {
            let farthest = self.farthest().unwrap_or(NEVER);
            if self.admission == OptAdmission::Bypass && farthest <= next {
                return false; // caching the new key would not save a miss
            }
            evicted.extend(self.evict_farthest());
        }
        self.place(key, next);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        match self.next_use_of.remove(&key) {
            Some(next) => {
                self.by_next_use.forget(next, key);
                true
            }
            None => false,
        }
    }

    /// The next window of the trace: the requests before it must all have been seen.
    fn see_future(&mut self, future: &NextUse) {
        self.future = future.clone();
        self.cursor = 0;
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.next_use_of.len() > self.capacity {
            evicted.extend(self.evict_farthest());
        }
    }
}

/// The most resident objects bypass OPT counted in bytes looks at to make room for a missed one:
/// an object that would displace more than this many later-used objects is left out. Without the
/// bound one huge object among millions of tiny ones would cost a scan of them all on every miss.
/// Counted in entries (every size 1) only the first is ever looked at.
const BYPASS_LOOK: usize = 4096;

/// OPT counted in bytes. With sizes the optimum is NP-hard to compute (it contains knapsack), so
/// both forms are the usual heuristics, and say so wherever their numbers are shown:
/// - **Forced**: evict the resident object used farthest in the future until the missed one fits,
///   then cache it. This is libCacheSim's `Belady` with sizes (its `Belady.c` evicts until there
///   is room), so its numbers are the ones it reports.
/// - **Bypass**: the missed object is cached only if the room it needs can be made from objects
///   whose next use is later than its own (farthest first, at most [`BYPASS_LOOK`] of them);
///   otherwise it is left out and nothing is evicted. It can be beaten (by giving up one large object to keep many small ones), so it is
///   a floor in practice, not in theory.
///
/// With every size 1 both are exactly [`Opt`]'s forms.
#[derive(Clone, Debug)]
pub struct ByteOpt {
    /// The entry form, given room for every entry: only this type evicts from it. Its keys are
    /// in a tree, to walk the farthest in order.
    opt: Opt<Tree>,
    /// Bytes resident and each resident object's size.
    occupancy: Occupancy,
}

impl ByteOpt {
    /// An empty OPT of `capacity` bytes for the trace whose next uses are `future`.
    pub fn new(capacity: ByteCapacity, future: NextUse, admission: OptAdmission) -> Self {
        Self {
            opt: Opt::ordered_by(Capacity::MAX, future, admission),
            occupancy: Occupancy::new(capacity),
        }
    }

    /// Where an object of `size` bytes next used at `next` is ranked: by its next use, except that
    /// the objects never used again are ranked by size, the largest farthest. So they go largest
    /// first, which frees the room with the fewest evictions (which of them goes changes no hit),
    /// and the counts are the same whatever the keys are called (text and CSV keys are numbered,
    /// oracleGeneral ids are not).
    fn rank(next: u64, size: u64) -> u64 {
        if next == NEVER {
            NEVER - (u64::from(u32::MAX) - size.min(u64::from(u32::MAX)))
        } else {
            next
        }
    }

    /// Whether freeing `needed` bytes is possible from objects used after `next` alone, looking
    /// at no more than [`BYPASS_LOOK`] of them (so a miss costs bounded work whatever the sizes).
    fn later_objects_free(&self, needed: u64, next: u64) -> bool {
        let mut freed = 0;
        for &(use_at, key) in self.opt.by_next_use.0.iter().rev().take(BYPASS_LOOK) {
            if use_at <= next {
                return false;
            }
            freed += self.occupancy.size_of(key);
            if freed >= needed {
                return true;
            }
        }
        false
    }
}

impl BytePolicy for ByteOpt {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Opt
    }

    fn capacity(&self) -> ByteCapacity {
        self.occupancy.capacity()
    }

    fn used(&self) -> u64 {
        self.occupancy.used
    }

    fn len(&self) -> usize {
        self.occupancy.len()
    }

    fn see_future(&mut self, future: &NextUse) {
        self.opt.see_future(future);
    }

    fn request(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) -> bool {
        if self.opt.contains(key) {
            let next = self.opt.advance();
            let rank = Self::rank(next, self.occupancy.size_of(key));
            self.opt.reposition(key, rank);
            return true;
        }
        let next = self.opt.advance();
        let size = u64::from(size.max(1));
        if !self.occupancy.can_hold(size) {
            return false;
        }
        let needed = self.occupancy.shortfall(size);
        if needed > 0
            && self.opt.admission == OptAdmission::Bypass
            && !self.later_objects_free(needed, next)
        {
            return false; // caching it would cost sooner reuses than its own
        }
        while self.occupancy.shortfall(size) > 0 {
            let Some(victim) = self.opt.evict_farthest() else {
                break;
            };
            self.occupancy.depart(victim);
            evicted.push(victim);
        }
        self.opt.place(key, Self::rank(next, size));
        self.occupancy.admit(key, size);
        false
    }
}

impl Inspect for Opt {
    /// Nearest next use first, the next victim last; O(n log n).
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        let mut resident: Vec<(u64, u64)> = self
            .next_use_of
            .iter()
            .map(|(&key, &next)| (next, key))
            .collect();
        resident.sort_unstable();
        resident.into_iter().map(|(_, key)| key).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bypass_in_bytes_looks_at_a_bounded_number_of_objects_for_room() {
        // 5,000 one-byte objects, all used again later, fill the cache; then an object of the
        // whole cache's size, used again at once, would need every one of them to leave.
        let small = 5_000u64;
        let big = small;
        let mut trace: Vec<(u64, u32)> = (0..small).map(|key| (key, 1)).collect();
        trace.extend([(big, small as u32), (big, small as u32)]);
        trace.extend((0..small).map(|key| (key, 1)));
        let keys: Vec<u64> = trace.iter().map(|&(key, _)| key).collect();
        let capacity = ByteCapacity::new(u128::from(small)).unwrap();
        let mut opt = ByteOpt::new(capacity, NextUse::from_trace(&keys), OptAdmission::Bypass);
        let mut evicted = Vec::new();
        let hits: Vec<bool> = trace
            .iter()
            .map(|&(key, size)| opt.request(key, size, &mut evicted))
            .collect();
        // More than BYPASS_LOOK objects would go for it: left out, twice, and nothing evicted.
        assert_eq!(hits[small as usize..small as usize + 2], [false, false]);
        assert!(evicted.is_empty());
        assert!(hits[small as usize + 2..].iter().all(|&hit| hit));
    }

    #[test]
    fn the_heap_evicts_as_the_tree_does_through_its_rebuilds() {
        // 200,000 requests over 3,000 keys at 100 entries: hits leave old entries behind, so the
        // heap is rebuilt many times; removals (expiry, invalidation) leave more.
        let trace: Vec<u64> = (0..200_000u64)
            .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) % (1 + i % 3_000))
            .collect();
        for admission in [OptAdmission::Bypass, OptAdmission::Forced] {
            let future = NextUse::from_trace(&trace);
            let mut heap: Opt<Heap> = Opt::ordered_by(100, future.clone(), admission);
            let mut tree: Opt<Tree> = Opt::ordered_by(100, future, admission);
            let (mut from_heap, mut from_tree) = (Vec::new(), Vec::new());
            for (i, &key) in trace.iter().enumerate() {
                if i % 97 == 0 {
                    assert_eq!(heap.remove(key), tree.remove(key));
                }
                let hit = heap.request(key, &mut from_heap);
                assert_eq!(hit, tree.request(key, &mut from_tree), "request {i}");
                assert_eq!(from_heap, from_tree, "request {i}");
                from_heap.clear();
                from_tree.clear();
                assert!(heap.by_next_use.0.len() <= 2 * heap.len() + 1025);
            }
            assert_eq!(heap.keys_in_eviction_order(), {
                let mut keys: Vec<(u64, u64)> = tree.by_next_use.0.iter().copied().collect();
                keys.sort_unstable();
                keys.into_iter().map(|(_, key)| key).collect::<Vec<_>>()
            });
        }
    }

    #[test]
    fn textbook_example() {
        // The classic reference string with 3 frames: MIN has 9 faults with forced admission
        // (Silberschatz et al., "Operating System Concepts", Figure 10.14); bypass saves one more:
        // 2 at position 9 has no sooner reuse than the residents, so... it is still admitted here.
        let trace = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
        let mut opt = Opt::new(3, NextUse::from_trace(&trace));
        let mut evicted = Vec::new();
        let misses = trace
            .iter()
            .filter(|&&key| !opt.request(key, &mut evicted))
            .count();
        assert!(misses <= 9, "{misses} misses");
        assert_eq!(opt.cursor, trace.len());
    }
}
