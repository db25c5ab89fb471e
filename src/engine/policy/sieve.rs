//! SIEVE: a FIFO queue with a visited bit and a hand that stays where it stopped.
//!
//! Zhang et al., NSDI'24, "SIEVE is Simpler than LRU: an Efficient Turn-Key Eviction Algorithm for
//! Web Caches". New keys enter at the head with the bit clear; a hit sets the bit and moves nothing.
//! To evict, the hand (starting at the tail) walks towards the head, clearing set bits, and evicts
//! the first key whose bit is clear; the hand then rests on that key's neighbour towards the head,
//! and wraps to the tail when it walks off the head. Unlike CLOCK, survivors keep their place, so
//! new keys near the head are examined soon ("quick demotion"). Amortized O(1).

use super::layout::{Badge, GroupKind, Layout, SlotGroup};
use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List, NIL, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// Set by a hit, cleared when the hand passes.
    visited: bool,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// SIEVE eviction.
#[derive(Clone, Debug)]
pub struct Sieve {
    /// Where each resident key's entry is.
    index: TokenIndex,
    /// The entries.
    entries: LinkedSlab<Entry>,
    /// The queue: newest at the head.
    queue: List,
    /// Where the hand rests, or [`NIL`] for "start at the tail".
    hand: Token,
    /// The most keys resident at once.
    capacity: usize,
}

impl Sieve {
    /// An empty SIEVE holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        let reserve = super::initial_reserve(capacity);
        Self {
            index: TokenIndex::with_capacity(reserve),
            entries: LinkedSlab::with_capacity(reserve),
            queue: List::new(),
            hand: NIL,
            capacity: capacity.max(1),
        }
    }

    /// The key under the hand (where the next eviction starts looking), if any.
    pub fn hand(&self) -> Option<u64> {
        let token = if self.hand == NIL {
            self.queue.tail
        } else {
            self.hand
        };
        (token != NIL).then(|| self.entries.get(token).key)
    }

    /// Whether a resident key's visited bit is set.
    pub fn is_visited(&self, key: u64) -> Option<bool> {
        self.index
            .find(&self.entries, key)
            .map(|token| self.entries.get(token).visited)
    }

    /// Unlinks and frees a node, moving the hand off it first.
    fn unlink(&mut self, token: Token) -> u64 {
        if self.hand == token {
            self.hand = self.entries.prev(token);
        }
        self.entries.unlink(&mut self.queue, token);
        let key = self.entries.get(token).key;
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        key
    }

    /// Walks the hand to the first unvisited key and evicts it.
    fn evict(&mut self) -> Option<u64> {
        if self.queue.is_empty() {
            return None;
        }
        let mut token = if self.hand == NIL {
            self.queue.tail
        } else {
            self.hand
        };
        while self.entries.get(token).visited {
            self.entries.get_mut(token).visited = false;
            token = match self.entries.prev(token) {
                NIL => self.queue.tail,
                prev => prev,
            };
        }
        self.hand = token;
        Some(self.unlink(token))
    }
}

impl Policy for Sieve {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Sieve
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

    #[inline]
    fn touch(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) => {
                self.entries.get_mut(token).visited = true;
                true
            }
            None => false,
        }
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.index.len() >= self.capacity {
            evicted.extend(self.evict());
        }
        let token = self.entries.alloc(Entry {
            key,
            visited: false,
        });
        self.entries.push_front(&mut self.queue, token);
        self.index.insert(&self.entries, token);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) => {
                self.unlink(token);
                true
            }
            None => false,
        }
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.index.len() > self.capacity {
            evicted.extend(self.evict());
        }
    }
}

impl EvictNext for Sieve {
    fn evict_next(&mut self) -> Option<u64> {
        self.evict()
    }
}

impl Inspect for Sieve {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Queue order, newest first; the hand is shown separately by `hand()`.
        self.entries
            .iter(&self.queue)
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    fn layout(&self) -> Layout {
        Layout {
            hand: self.hand(),
            groups: vec![SlotGroup::badged(
                GroupKind::SieveQueue,
                self.keys_in_eviction_order(),
                |key| self.is_visited(key).map(Badge::Visited),
            )],
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_stays_where_it_stopped() {
        let mut sieve = Sieve::new(3);
        let mut evicted = Vec::new();
        // Queue (head..tail) c b a; hits on a and b. d: hand clears a, clears b, evicts c and rests
        // on c's neighbour towards the head: none, so it wraps to the tail next time.
        for key in [1, 2, 3, 1, 2, 4] {
            sieve.request(key, &mut evicted);
        }
        assert_eq!(evicted, [3]);
        assert_eq!(sieve.keys_in_eviction_order(), [4, 2, 1]);
        assert_eq!(sieve.hand(), Some(1));
        // e: a and b are clear now, so the hand evicts a at the tail and rests on b.
        sieve.request(5, &mut evicted);
        assert_eq!(evicted, [3, 1]);
        assert_eq!(sieve.hand(), Some(2));
        // Hit d (newest). f: the hand evicts b where it rests, not the tail.
        sieve.request(4, &mut evicted);
        sieve.request(6, &mut evicted);
        assert_eq!(evicted, [3, 1, 2]);
        assert_eq!(sieve.is_visited(4), Some(true));
    }
}
