//! ARC: Adaptive Replacement Cache.
//!
//! Megiddo and Modha, FAST'03, "ARC: A Self-Tuning, Low Overhead Replacement Cache", transcribed
//! from the paper's Figure 4. Resident keys are split between T1 (seen once recently) and T2 (seen
//! at least twice); ghost lists B1 and B2 remember keys recently evicted from each. A miss that hits
//! a ghost list moves the target size `p` of T1 towards the list that would have kept it: B1 grows
//! `p` (favour recency), B2 shrinks it (favour frequency). `p` is a real number, as in the paper.
//! All four lists are LRU-ordered (most recent first); |T1| + |T2| ≤ c and |T1| + |B1| + |T2| + |B2|
//! ≤ 2c. O(1) per request.

use super::{Policy, PolicyKind};
use crate::engine::key_queue::KeyQueue;

/// Adaptive replacement.
#[derive(Clone, Debug)]
pub struct Arc {
    /// Resident keys seen once recently.
    t1: KeyQueue,
    /// Resident keys seen at least twice recently.
    t2: KeyQueue,
    /// Ghosts: keys recently evicted from T1.
    b1: KeyQueue,
    /// Ghosts: keys recently evicted from T2.
    b2: KeyQueue,
    /// The adaptive target size of T1, in `0..=c`.
    p: f64,
    /// The cache size c.
    capacity: usize,
}

/// Which ARC list a key is in, for the UI.
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

impl Arc {
    /// An empty ARC of size `capacity` (≥ 1).
    pub fn new(capacity: usize) -> Self {
        let reserve = capacity.min(1 << 20);
        Self {
            t1: KeyQueue::with_capacity(reserve),
            t2: KeyQueue::with_capacity(reserve),
            b1: KeyQueue::with_capacity(reserve),
            b2: KeyQueue::with_capacity(reserve),
            p: 0.0,
            capacity: capacity.max(1),
        }
    }

    /// The target size of T1.
    pub fn target_t1(&self) -> f64 {
        self.p
    }

    /// The keys of one list, most recent first.
    pub fn list(&self, list: ArcList) -> Vec<u64> {
        match list {
            ArcList::T1 => self.t1.iter().collect(),
            ArcList::T2 => self.t2.iter().collect(),
            ArcList::B1 => self.b1.iter().collect(),
            ArcList::B2 => self.b2.iter().collect(),
        }
    }

    /// The paper's REPLACE(x, p): evict the LRU key of T1 into B1, or of T2 into B2.
    fn replace(&mut self, requested_in_b2: bool) -> Option<u64> {
        let t1 = self.t1.len();
        let from_t1 = t1 >= 1 && ((requested_in_b2 && t1 as f64 == self.p) || t1 as f64 > self.p);
        if from_t1 || self.t2.is_empty() {
            let victim = self.t1.pop_back()?;
            self.b1.push_front(victim);
            Some(victim)
        } else {
            let victim = self.t2.pop_back()?;
            self.b2.push_front(victim);
            Some(victim)
        }
    }

    fn resident(&self) -> usize {
        self.t1.len() + self.t2.len()
    }
}

impl Policy for Arc {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Arc
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.resident()
    }

    fn contains(&self, key: u64) -> bool {
        self.t1.contains(key) || self.t2.contains(key)
    }

    /// Case I: a hit in T1 or T2 moves the key to the MRU end of T2.
    fn touch(&mut self, key: u64) -> bool {
        if self.t2.move_to_front(key) {
            true
        } else if self.t1.remove(key) {
            self.t2.push_front(key);
            true
        } else {
            false
        }
    }

    /// Cases II, III and IV: a miss.
    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        let c = self.capacity;
        let (b1, b2) = (self.b1.len() as f64, self.b2.len() as f64);
        if self.b1.contains(key) {
            // Case II: recency would have kept it, so aim for a larger T1.
            let delta = if b1 >= b2 { 1.0 } else { b2 / b1 };
            self.p = (self.p + delta).min(c as f64);
            if self.resident() >= c {
                evicted.extend(self.replace(false));
            }
            self.b1.remove(key);
            self.t2.push_front(key);
        } else if self.b2.contains(key) {
            // Case III: frequency would have kept it, so aim for a smaller T1.
            let delta = if b2 >= b1 { 1.0 } else { b1 / b2 };
            self.p = (self.p - delta).max(0.0);
            if self.resident() >= c {
                evicted.extend(self.replace(true));
            }
            self.b2.remove(key);
            self.t2.push_front(key);
        } else {
            // Case IV: a key in no list.
            let l1 = self.t1.len() + self.b1.len();
            if l1 == c {
                if self.t1.len() < c {
                    self.b1.pop_back();
                    evicted.extend(self.replace(false));
                } else {
                    // B1 is empty and T1 fills the cache: drop T1's LRU outright.
                    evicted.extend(self.t1.pop_back());
                }
            } else {
                let total = l1 + self.t2.len() + self.b2.len();
                if total >= c {
                    if total == 2 * c {
                        self.b2.pop_back();
                    }
                    if self.resident() >= c {
                        evicted.extend(self.replace(false));
                    }
                }
            }
            self.t1.push_front(key);
        }
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        self.t1.remove(key) || self.t2.remove(key)
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        let c = self.capacity;
        self.p = self.p.min(c as f64);
        while self.resident() > c {
            evicted.extend(self.replace(false));
        }
        // Restore the directory bounds by forgetting the oldest ghosts.
        while self.t1.len() + self.b1.len() > c && self.b1.pop_back().is_some() {}
        while self.resident() + self.b1.len() + self.b2.len() > 2 * c
            && self.b2.pop_back().is_some()
        {}
    }

    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // T2 then T1, each most recent first: a simplification, since the next victim depends on p.
        self.t2.iter().chain(self.t1.iter()).collect()
    }

    fn eviction_reason(&self) -> &'static str {
        "least recent of the list ARC is shrinking"
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
