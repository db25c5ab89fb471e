//! FIFO: evict the key that was inserted longest ago; hits do not reorder.
//!
//! The simplest queue policy, as in libCacheSim's `FIFO`. O(1) per request.

use super::layout::{GroupKind, Layout};
use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::key_queue::KeyQueue;

/// First-in, first-out eviction.
#[derive(Clone, Debug)]
pub struct Fifo {
    /// Resident keys, most recently inserted first.
    arrival: KeyQueue,
    /// The most keys resident at once.
    capacity: usize,
}

impl Fifo {
    /// An empty FIFO holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        Self {
            arrival: KeyQueue::with_capacity(super::initial_reserve(capacity)),
            capacity: capacity.max(1),
        }
    }
}

impl Policy for Fifo {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Fifo
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.arrival.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.arrival.contains(key)
    }

    #[inline]
    fn touch(&mut self, key: u64) -> bool {
        self.arrival.contains(key)
    }

    #[inline]
    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.arrival.len() >= self.capacity {
            evicted.extend(self.arrival.replace_oldest(key));
        } else {
            self.arrival.push_front(key);
        }
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        self.arrival.remove(key)
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.arrival.len() > self.capacity {
            evicted.extend(self.arrival.pop_back());
        }
    }
}

impl EvictNext for Fifo {
    fn evict_next(&mut self) -> Option<u64> {
        self.arrival.pop_back()
    }
}

impl Inspect for Fifo {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        self.arrival.iter().collect()
    }

    fn layout(&self) -> Layout {
        Layout::single(GroupKind::Insertion, self.keys_in_eviction_order())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_do_not_save_the_oldest_key() {
        // Capacity 3: a b c a d → d evicts a even though a was just hit.
        let mut fifo = Fifo::new(3);
        let mut evicted = Vec::new();
        let hits: Vec<bool> = [1, 2, 3, 1, 4, 1]
            .into_iter()
            .map(|key| fifo.request(key, &mut evicted))
            .collect();
        assert_eq!(hits, [false, false, false, true, false, false]);
        assert_eq!(evicted, [1, 2]);
        assert_eq!(fifo.keys_in_eviction_order(), [1, 4, 3]);
    }
}
