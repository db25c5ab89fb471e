//! ARC: Adaptive Replacement Cache.
//!
//! Megiddo and Modha, FAST'03, "ARC: A Self-Tuning, Low Overhead Replacement Cache", transcribed
//! from the paper's Figure 4. Resident keys are split between T1 (seen once recently) and T2 (seen
//! at least twice); ghost lists B1 and B2 remember keys recently evicted from each. A miss that hits
//! a ghost list moves the target size `p` of T1 towards the list that would have kept it: B1 grows
//! `p` (favour recency), B2 shrinks it (favour frequency). `p` is a real number, as in the paper.
//! All four lists are LRU-ordered (most recent first); |T1| + |T2| ≤ c and |T1| + |B1| + |T2| + |B2|
//! ≤ 2c. O(1) per request.
//!
//! With object sizes ([`Arc::in_bytes`]) every list and `p` are measured in bytes, as
//! libCacheSim's `ARC.c` has them: a miss first runs the paper's case II, III or IV once, then,
//! while the object does not fit, evicts as libCacheSim's `ARC_evict` does (case IV's directory
//! rules with the incoming object's size counted). Where this differs from libCacheSim, on
//! purpose: `delta` is the real-valued ratio of the ghost lists' bytes, as in the entry form
//! (libCacheSim divides integers), and a hit keeps the size the object was admitted with, as every
//! other policy here does (libCacheSim's ARC alone takes the new size). With every size 1 this is
//! exactly the entry form: the same code.

use super::by_bytes::InBytes;
use super::layout::{GroupKind, Layout, Note, SlotGroup};
use super::{ByteCapacity, Inspect, Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// Which ARC list a key is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcList {
    /// Resident, seen once.
    T1,
    /// Resident, seen at least twice.
    T2,
    /// Ghost of T1.
    B1,
    /// Ghost of T2.
    B2,
}

/// One key in any of the four lists.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// Its weight: 1 counted in entries, its size in bytes otherwise (fits in the padding).
    size: u32,
    /// The list it is linked into.
    list: ArcList,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// Adaptive replacement. All four lists share one slab and one index, so a request is one
/// lookup, and moving a key between lists is only relinking.
#[derive(Clone, Debug)]
pub struct Arc {
    /// Where each key (resident or ghost) is.
    index: TokenIndex,
    /// The keys of all four lists.
    entries: LinkedSlab<Entry>,
    /// T1, T2, B1 and B2 (indexed by [`ArcList`]), each most recent first.
    lists: [List; 4],
    /// Their weights: lengths counted in entries, bytes otherwise.
    weights: [u64; 4],
    /// The adaptive target size of T1, in `0..=c`.
    p: f64,
    /// The cache size c (entries, or bytes).
    capacity: u64,
}

impl Arc {
    /// An empty ARC of size `capacity` (≥ 1).
    pub fn new(capacity: usize) -> Self {
        Self::weighed(capacity.max(1) as u64, super::initial_reserve(capacity))
    }

    /// An empty ARC of `capacity` bytes, for requests with object sizes.
    pub fn in_bytes(capacity: ByteCapacity) -> InBytes<Arc> {
        InBytes::new(Self::weighed(capacity.get(), 1024))
    }

    fn weighed(capacity: u64, reserve: usize) -> Self {
        Self {
            index: TokenIndex::with_capacity(2 * reserve),
            entries: LinkedSlab::with_capacity(2 * reserve),
            lists: [List::new(); 4],
            weights: [0; 4],
            p: 0.0,
            capacity,
        }
    }

    /// The target size of T1.
    pub fn target_t1(&self) -> f64 {
        self.p
    }

    /// How much one list holds: keys counted in entries, bytes otherwise.
    fn size(&self, list: ArcList) -> u64 {
        self.weights[list as usize]
    }

    /// The keys of one list, most recent first.
    pub fn list(&self, list: ArcList) -> Vec<u64> {
        self.entries
            .iter(&self.lists[list as usize])
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    /// Moves a linked node to the most recent end of `to`.
    #[inline]
    fn move_to(&mut self, token: Token, to: ArcList) {
        let entry = *self.entries.get(token);
        if entry.list == to {
            // A hit in T2, the common case: no weight moves.
            self.entries
                .move_to_front(&mut self.lists[to as usize], token);
            return;
        }
        self.entries
            .unlink(&mut self.lists[entry.list as usize], token);
        self.weights[entry.list as usize] -= u64::from(entry.size);
        self.entries.push_front(&mut self.lists[to as usize], token);
        self.weights[to as usize] += u64::from(entry.size);
        self.entries.get_mut(token).list = to;
    }

    /// Forgets the least recent key of `list` entirely (used for the ghost lists and for T1's
    /// outright eviction).
    fn forget_lru(&mut self, list: ArcList) -> Option<u64> {
        let token = self.entries.pop_back(&mut self.lists[list as usize])?;
        let Entry { key, size, .. } = *self.entries.get(token);
        self.weights[list as usize] -= u64::from(size);
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        Some(key)
    }

    /// The paper's REPLACE(x, p): evict the LRU key of T1 into B1, or of T2 into B2.
    fn replace(&mut self, requested_in_b2: bool) -> Option<u64> {
        let t1 = self.size(ArcList::T1);
        let from_t1 = t1 >= 1 && ((requested_in_b2 && t1 as f64 == self.p) || t1 as f64 > self.p);
        // (Weights are at most 2^61, exact as f64 up to 2^53 bytes: far past any cache here.)
        let (from, to) = if from_t1 || self.size(ArcList::T2) == 0 {
            (ArcList::T1, ArcList::B1)
        } else {
            (ArcList::T2, ArcList::B2)
        };
        if self.size(from) == 0 {
            return None;
        }
        let token = self.lists[from as usize].tail;
        self.move_to(token, to);
        Some(self.entries.get(token).key)
    }

    fn resident(&self) -> u64 {
        self.size(ArcList::T1) + self.size(ArcList::T2)
    }

    /// A miss of `key`, `size` units (1 counted in entries): the paper's cases II to IV.
    fn admit(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) {
        let c = self.capacity;
        let weight = u64::from(size);
        let (b1, b2) = (self.size(ArcList::B1) as f64, self.size(ArcList::B2) as f64);
        let found = self.index.find(&self.entries, key);
        match found.map(|token| (token, self.entries.get(token).list)) {
            Some((token, ghost @ (ArcList::B1 | ArcList::B2))) => {
                let in_b2 = ghost == ArcList::B2;
                if in_b2 {
                    // Case III: frequency would have kept it, so aim for a smaller T1.
                    let delta = if b2 >= b1 { 1.0 } else { b1 / b2 };
                    self.p = (self.p - delta).max(0.0);
                } else {
                    // Case II: recency would have kept it, so aim for a larger T1.
                    let delta = if b1 >= b2 { 1.0 } else { b2 / b1 };
                    self.p = (self.p + delta).min(c as f64);
                }
                if self.resident() + weight > c {
                    evicted.extend(self.replace(in_b2));
                }
                // Out of its ghost list while room is made; back in T2 at its size now.
                let old = self.entries.get(token).size;
                self.entries.unlink(&mut self.lists[ghost as usize], token);
                self.weights[ghost as usize] -= u64::from(old);
                self.make_room(weight, evicted);
                let entry = self.entries.get_mut(token);
                entry.size = size;
                entry.list = ArcList::T2;
                self.entries
                    .push_front(&mut self.lists[ArcList::T2 as usize], token);
                self.weights[ArcList::T2 as usize] += weight;
            }
            Some((token, _resident)) => {
                // Not a miss after all: treat as a hit rather than corrupting the lists.
                self.move_to(token, ArcList::T2);
            }
            None => {
                // Case IV: a key in no list; the paper's step runs once whatever the room.
                self.directory_step(weight, evicted);
                self.make_room(weight, evicted);
                let token = self.entries.alloc(Entry {
                    key,
                    size,
                    list: ArcList::T1,
                });
                self.entries
                    .push_front(&mut self.lists[ArcList::T1 as usize], token);
                self.weights[ArcList::T1 as usize] += weight;
                self.index.insert(&self.entries, token);
            }
        }
    }

    /// Case IV's step for an object of `incoming` units: keep L1 = T1 ∪ B1 within c and the
    /// directory within 2c, and REPLACE if the object does not fit. Counted in entries this is the
    /// paper's step exactly (`l1 + 1 > c` is `|L1| = c`, and so on).
    fn directory_step(&mut self, incoming: u64, evicted: &mut Vec<u64>) {
        let c = self.capacity;
        let l1 = self.size(ArcList::T1) + self.size(ArcList::B1);
        if l1 + incoming > c {
            if self.size(ArcList::T1) < c {
                self.forget_lru(ArcList::B1);
                evicted.extend(self.replace(false));
            } else {
                // B1 is empty and T1 fills the cache: drop T1's LRU outright.
                evicted.extend(self.forget_lru(ArcList::T1));
            }
        } else {
            let total = l1 + self.size(ArcList::T2) + self.size(ArcList::B2);
            if total + incoming > c {
                if total + incoming > 2 * c {
                    self.forget_lru(ArcList::B2);
                }
                if self.resident() + incoming > c {
                    evicted.extend(self.replace(false));
                }
            }
        }
    }

    /// Evicts until `incoming` more fits, a [`Self::directory_step`] for each victim (as
    /// libCacheSim's `ARC_evict` in its loop). Counted in entries the room is already there.
    fn make_room(&mut self, incoming: u64, evicted: &mut Vec<u64>) {
        while self.resident() + incoming > self.capacity && self.resident() > 0 {
            self.directory_step(incoming, evicted);
        }
    }
}

impl Policy for Arc {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Arc
    }

    fn capacity(&self) -> usize {
        // Counted in entries, the capacity came from a usize.
        usize::try_from(self.capacity).unwrap_or(usize::MAX)
    }

    fn len(&self) -> usize {
        self.lists[ArcList::T1 as usize].len + self.lists[ArcList::T2 as usize].len
    }

    fn contains(&self, key: u64) -> bool {
        self.index
            .find(&self.entries, key)
            .is_some_and(|token| matches!(self.entries.get(token).list, ArcList::T1 | ArcList::T2))
    }

    /// Case I: a hit in T1 or T2 moves the key to the MRU end of T2.
    #[inline]
    fn touch(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) if matches!(self.entries.get(token).list, ArcList::T1 | ArcList::T2) => {
                self.move_to(token, ArcList::T2);
                true
            }
            _ => false,
        }
    }

    /// Cases II, III and IV: a miss.
    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        self.admit(key, 1, evicted);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        let Some(token) = self.index.find(&self.entries, key) else {
            return false;
        };
        let list = self.entries.get(token).list;
        if !matches!(list, ArcList::T1 | ArcList::T2) {
            return false;
        }
        self.entries.unlink(&mut self.lists[list as usize], token);
        self.weights[list as usize] -= u64::from(self.entries.get(token).size);
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        true
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1) as u64;
        let c = self.capacity;
        self.p = self.p.min(c as f64);
        while self.resident() > c {
            evicted.extend(self.replace(false));
        }
        // Restore the directory bounds by forgetting the oldest ghosts.
        while self.size(ArcList::T1) + self.size(ArcList::B1) > c
            && self.forget_lru(ArcList::B1).is_some()
        {}
        while self.resident() + self.size(ArcList::B1) + self.size(ArcList::B2) > 2 * c
            && self.forget_lru(ArcList::B2).is_some()
        {}
    }
}

super::by_bytes::weighed_by_its_own_code!(Arc);

impl Inspect for Arc {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // T2 then T1, each most recent first: a simplification, since the next victim depends on p.
        let mut keys = self.list(ArcList::T2);
        keys.extend(self.list(ArcList::T1));
        keys
    }

    fn layout(&self) -> Layout {
        Layout {
            groups: vec![ArcList::T1, ArcList::T2, ArcList::B1, ArcList::B2]
                .into_iter()
                .map(|list| SlotGroup::plain(GroupKind::Arc(list), self.list(list)))
                .collect(),
            hand: None,
            note: Some(Note::ArcTarget(self.p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghost_hits_move_the_target() {
        let mut arc = Arc::new(2);
        let mut evicted = Vec::new();
        // a b: both in T1. c: L1 = T1 + B1 = 2 = c and |T1| = c → drop a outright (no ghost).
        for key in [1, 2, 3] {
            arc.request(key, &mut evicted);
        }
        assert_eq!(evicted, [1]);
        assert_eq!(arc.list(ArcList::T1), [3, 2]);
        assert!(arc.list(ArcList::B1).is_empty());
        // Hit c → T2. d: case IV, L1 = 1 < c, total 2 ≥ c → REPLACE: |T1| = 1 > p = 0 → b to B1.
        arc.request(3, &mut evicted);
        arc.request(4, &mut evicted);
        assert_eq!(evicted, [1, 2]);
        assert_eq!(arc.list(ArcList::B1), [2]);
        // b again: a B1 ghost hit raises p to 1 and brings b back into T2.
        assert!(!arc.request(2, &mut evicted));
        assert_eq!(arc.target_t1(), 1.0);
        assert_eq!(arc.list(ArcList::T2).first(), Some(&2));
        assert_eq!(arc.len(), 2);
    }
}
