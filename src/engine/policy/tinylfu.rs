//! W-TinyLFU: a small LRU window in front of a segmented-LRU main space, with TinyLFU admission.
//!
//! Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy" (ACM TOS
//! 2017), as Caffeine's simulator implements it (`WindowTinyLfuPolicy` with the `TinyLfu`
//! admittor): the window takes 1% of the cache and the main space the rest, split into probation
//! (20%) and protected (80%). Every access is counted in a [`FrequencySketch`]. A new key enters the
//! window; when the window overflows, its LRU key (the candidate) moves to probation, and if the
//! cache is then over capacity the candidate duels probation's LRU key (the victim): the candidate
//! stays only if the sketch says it is strictly more frequent. A probation hit promotes the key to
//! protected, demoting protected's LRU key to probation if protected overflows. O(1) per request.
//!
//! Not included: the adaptive window sizing (hill climbing) and the random admission of warm
//! candidates that Caffeine's production cache adds; the simulator's plain W-TinyLFU has neither.

use super::layout::{Badge, GroupKind, Layout, SlotGroup};
use super::{Inspect, Policy, PolicyKind};
use crate::engine::frequency_sketch::FrequencySketch;
use crate::engine::linked_slab::{LinkedSlab, List, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// Which segment a resident key is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The LRU admission window.
    Window,
    /// Main space, seen once since entering it.
    Probation,
    /// Main space, hit while in probation.
    Protected,
}

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// The segment it is linked into.
    segment: Segment,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// W-TinyLFU eviction and admission.
#[derive(Clone, Debug)]
pub struct TinyLfu {
    /// Where each resident key's entry is.
    index: TokenIndex,
    /// The entries.
    entries: LinkedSlab<Entry>,
    /// The window, probation and protected (indexed by [`Segment`]), most recent first.
    segments: [List; 3],
    /// Recent access frequencies.
    sketch: FrequencySketch,
    /// The window's size: 1% of the cache, at least 1.
    max_window: usize,
    /// Protected's size: 80% of the main space.
    max_protected: usize,
    /// The whole cache size.
    capacity: usize,
}

impl TinyLfu {
    /// An empty W-TinyLFU of size `capacity` (≥ 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let reserve = super::initial_reserve(capacity);
        let mut policy = Self {
            index: TokenIndex::with_capacity(reserve),
            // One more than the cache: a new key joins the window before the duel that evicts.
            entries: LinkedSlab::with_capacity(reserve + 1),
            segments: [List::new(); 3],
            sketch: FrequencySketch::new(capacity),
            max_window: 0,
            max_protected: 0,
            capacity,
        };
        policy.size_segments();
        policy
    }

    /// Caffeine's split: main = ⌊99% of the cache⌋, window = the rest, protected = ⌊80% of main⌋.
    fn size_segments(&mut self) {
        let main = self.capacity * 99 / 100;
        self.max_window = self.capacity - main;
        self.max_protected = main * 8 / 10;
    }

    /// The keys of one segment, most recent first.
    pub fn segment(&self, segment: Segment) -> Vec<u64> {
        self.entries
            .iter(self.list(segment))
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    /// The sketch's estimate for `key`.
    pub fn frequency(&self, key: u64) -> u8 {
        self.sketch.frequency(key)
    }

    /// One segment's list.
    fn list(&self, segment: Segment) -> &List {
        &self.segments[segment as usize]
    }

    /// Unlinks `token` from its segment and links it at the head of `to`.
    fn move_to(&mut self, token: Token, to: Segment) {
        let from = self.entries.get(token).segment;
        self.entries
            .unlink(&mut self.segments[from as usize], token);
        self.entries
            .push_front(&mut self.segments[to as usize], token);
        self.entries.get_mut(token).segment = to;
    }

    fn drop_entry(&mut self, token: Token) -> u64 {
        let segment = self.entries.get(token).segment;
        self.entries
            .unlink(&mut self.segments[segment as usize], token);
        let key = self.entries.get(token).key;
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        key
    }

    /// Moves window overflow into probation, where each candidate duels probation's LRU key.
    fn evict(&mut self, evicted: &mut Vec<u64>) {
        while self.list(Segment::Window).len > self.max_window {
            let candidate = self.list(Segment::Window).tail;
            self.move_to(candidate, Segment::Probation);
            if self.index.len() > self.capacity {
                let victim = self.list(Segment::Probation).tail;
                let candidate_key = self.entries.get(candidate).key;
                let victim_key = self.entries.get(victim).key;
                let admit =
                    self.sketch.frequency(candidate_key) > self.sketch.frequency(victim_key);
                evicted.push(self.drop_entry(if admit { victim } else { candidate }));
            }
        }
        // Only a shrink can leave the main space over its share; trim it by LRU order.
        while self.index.len() > self.capacity {
            let token = if self.list(Segment::Probation).is_empty() {
                self.list(Segment::Protected).tail
            } else {
                self.list(Segment::Probation).tail
            };
            evicted.push(self.drop_entry(token));
        }
    }
}

impl Policy for TinyLfu {
    fn kind(&self) -> PolicyKind {
        PolicyKind::TinyLfu
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.index.find(&self.entries, key).is_some()
    }

    fn touch(&mut self, key: u64) -> bool {
        let Some(token) = self.index.find(&self.entries, key) else {
            return false;
        };
        self.sketch.increment(key);
        match self.entries.get(token).segment {
            Segment::Window => self.move_to(token, Segment::Window),
            Segment::Protected => self.move_to(token, Segment::Protected),
            Segment::Probation => {
                self.move_to(token, Segment::Protected);
                if self.list(Segment::Protected).len > self.max_protected {
                    let demoted = self.list(Segment::Protected).tail;
                    self.move_to(demoted, Segment::Probation);
                }
            }
        }
        true
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        self.sketch.increment(key);
        let token = self.entries.alloc(Entry {
            key,
            segment: Segment::Window,
        });
        self.entries
            .push_front(&mut self.segments[Segment::Window as usize], token);
        self.index.insert(&self.entries, token);
        self.evict(evicted);
        self.index.find(&self.entries, key).is_some()
    }

    fn remove(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) => {
                self.drop_entry(token);
                true
            }
            None => false,
        }
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        self.size_segments();
        while self.list(Segment::Protected).len > self.max_protected {
            let demoted = self.list(Segment::Protected).tail;
            self.move_to(demoted, Segment::Probation);
        }
        self.evict(evicted);
    }
}

impl Inspect for TinyLfu {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Window, protected, then probation, each most recent first: probation's LRU key is the
        // next victim unless the window's candidate loses its duel.
        let mut keys = self.segment(Segment::Window);
        keys.extend(self.segment(Segment::Protected));
        keys.extend(self.segment(Segment::Probation));
        keys
    }

    fn layout(&self) -> Layout {
        let freq = |key| Some(Badge::Frequency(self.frequency(key)));
        Layout {
            groups: [Segment::Window, Segment::Protected, Segment::Probation]
                .into_iter()
                .map(|segment| {
                    SlotGroup::badged(GroupKind::TinyLfu(segment), self.segment(segment), freq)
                })
                .collect(),
            hand: None,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frequent_key_survives_a_scan_of_one_time_keys() {
        // Size 100: window 1, probation 20, protected 79.
        let mut tiny = TinyLfu::new(100);
        let mut evicted = Vec::new();
        for _ in 0..5 {
            for key in 0..50 {
                tiny.request(key, &mut evicted);
            }
        }
        // A scan of 1,000 keys seen once each: they lose every duel against the hot set.
        for key in 1000..2000 {
            tiny.request(key, &mut evicted);
        }
        let survivors = (0..50).filter(|&key| tiny.contains(key)).count();
        assert_eq!(survivors, 50, "the hot set survives the scan");
        assert!(tiny.len() <= 100);
        assert_eq!(tiny.segment(Segment::Window).len(), 1);
    }

    #[test]
    fn a_rejected_candidate_reports_itself_as_not_admitted() {
        let mut tiny = TinyLfu::new(2); // window 1, main 1
        let mut evicted = Vec::new();
        for _ in 0..3 {
            tiny.request(1, &mut evicted);
        }
        tiny.request(2, &mut evicted); // 1 moves to main, 2 in the window
        assert!(evicted.is_empty());
        // 3 enters the window and pushes 2 out as the candidate; 2 (seen once) loses to 1.
        assert!(tiny.insert(3, &mut evicted));
        assert_eq!(evicted, [2]);
        assert!(tiny.contains(1) && tiny.contains(3));
    }
}
