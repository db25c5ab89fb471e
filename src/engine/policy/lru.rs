//! LRU: evict the least recently used key.
//!
//! The textbook policy (e.g. Mattson et al., 1970, "Evaluation techniques for storage
//! hierarchies"): a hit moves the key to the most-recent end; a miss inserts at that end and, when
//! full, evicts from the least-recent end. O(1) per request.

use super::layout::{GroupKind, Layout};
use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::key_queue::KeyQueue;

/// Least-recently-used eviction.
#[derive(Clone, Debug)]
pub struct Lru {
    /// Resident keys, most recently used first.
    recency: KeyQueue,
    /// The most keys resident at once.
    capacity: usize,
}

impl Lru {
    /// An empty LRU holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        Self {
            recency: KeyQueue::with_capacity(super::initial_reserve(capacity)),
            capacity: capacity.max(1),
        }
    }
}

impl Policy for Lru {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Lru
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.recency.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.recency.contains(key)
    }

    #[inline]
    fn touch(&mut self, key: u64) -> bool {
        self.recency.move_to_front(key)
    }

    #[inline]
    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.recency.len() >= self.capacity {
            evicted.extend(self.recency.replace_oldest(key));
        } else {
            self.recency.push_front(key);
        }
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        self.recency.remove(key)
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.recency.len() > self.capacity {
            evicted.extend(self.recency.pop_back());
        }
    }
}

impl EvictNext for Lru {
    fn evict_next(&mut self) -> Option<u64> {
        self.recency.pop_back()
    }
}

impl Inspect for Lru {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        self.recency.iter().collect()
    }

    fn layout(&self) -> Layout {
        Layout::single(GroupKind::Recency, self.keys_in_eviction_order())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_sequence() {
        // Capacity 3: a b c a d → d evicts b (a was refreshed), then b misses and evicts c.
        let mut lru = Lru::new(3);
        let mut evicted = Vec::new();
        let hits: Vec<bool> = [1, 2, 3, 1, 4, 2]
            .into_iter()
            .map(|key| lru.request(key, &mut evicted))
            .collect();
        assert_eq!(hits, [false, false, false, true, false, false]);
        assert_eq!(evicted, [2, 3]);
        assert_eq!(lru.keys_in_eviction_order(), [2, 4, 1]);
    }

    #[test]
    fn shrinking_evicts_least_recent_first() {
        let mut lru = Lru::new(4);
        let mut evicted = Vec::new();
        for key in [1, 2, 3, 4, 1] {
            lru.request(key, &mut evicted);
        }
        lru.set_capacity(2, &mut evicted);
        assert_eq!(evicted, [2, 3]);
        assert_eq!(lru.keys_in_eviction_order(), [1, 4]);
    }
}
