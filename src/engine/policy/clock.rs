//! CLOCK: one reference bit per key, a hand that gives referenced keys a second chance.
//!
//! Corbató (1968), "A paging experiment with the Multics system"; implemented as libCacheSim does,
//! as a FIFO queue with reinsertion, which is the same algorithm as the circular array: the hand
//! is the queue's tail. A new key starts with its bit clear and enters just behind the hand (the
//! head of the queue); a hit sets the bit. To evict, the hand looks at the tail: a set bit is
//! cleared and the key goes back to the head (the hand moves past it), and the first key with a
//! clear bit is evicted. Amortized O(1): every bit the hand clears was set by a hit.

use super::layout::{Layout, SlotGroup};
use super::{Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List};
use crate::engine::token_index::{Keyed, TokenIndex};

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// Set by a hit, cleared when the hand passes.
    referenced: bool,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// CLOCK (second-chance) eviction.
#[derive(Clone, Debug)]
pub struct Clock {
    /// Where each resident key's entry is.
    index: TokenIndex,
    /// The entries.
    entries: LinkedSlab<Entry>,
    /// The circle, cut at the hand: the tail is under the hand, the head just behind it.
    ring: List,
    /// The most keys resident at once.
    capacity: usize,
}

impl Clock {
    /// An empty CLOCK holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        let reserve = super::initial_reserve(capacity);
        Self {
            index: TokenIndex::with_capacity(reserve),
            entries: LinkedSlab::with_capacity(reserve),
            ring: List::new(),
            capacity: capacity.max(1),
        }
    }

    /// Whether a resident key's reference bit is set.
    pub fn is_referenced(&self, key: u64) -> Option<bool> {
        self.index
            .find(&self.entries, key)
            .map(|token| self.entries.get(token).referenced)
    }

    /// Sweeps the hand to the first clear bit and evicts that key.
    fn evict(&mut self) -> Option<u64> {
        loop {
            let token = self.entries.pop_back(&mut self.ring)?;
            let entry = self.entries.get_mut(token);
            if entry.referenced {
                entry.referenced = false;
                self.entries.push_front(&mut self.ring, token);
            } else {
                let key = entry.key;
                self.index.remove(&self.entries, key);
                self.entries.free(token);
                return Some(key);
            }
        }
    }
}

impl Policy for Clock {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Clock
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
                self.entries.get_mut(token).referenced = true;
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
            referenced: false,
        });
        self.entries.push_front(&mut self.ring, token);
        self.index.insert(&self.entries, token);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        let Some(token) = self.index.remove(&self.entries, key) else {
            return false;
        };
        self.entries.unlink(&mut self.ring, token);
        self.entries.free(token);
        true
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.index.len() > self.capacity {
            evicted.extend(self.evict());
        }
    }

    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // From just behind the hand round to the key under it.
        self.entries
            .iter(&self.ring)
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    fn eviction_reason(&self) -> &'static str {
        "the hand found its reference bit clear"
    }

    fn layout(&self) -> Layout {
        let keys = self.keys_in_eviction_order();
        Layout {
            hand: keys.last().copied(),
            groups: vec![SlotGroup::badged(
                "Clock (the hand is on the last)",
                keys,
                false,
                |key| {
                    self.is_referenced(key)
                        .map(|bit| format!("bit {}", u8::from(bit)))
                },
            )],
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_buys_one_second_chance() {
        let mut clock = Clock::new(3);
        let mut evicted = Vec::new();
        // a b c, hit a: d → hand clears a, evicts b. e → evicts c (clear), a survives? a's bit was
        // cleared and it went behind d, so the order under the hand is c, a, d.
        for key in [1, 2, 3, 1, 4] {
            clock.request(key, &mut evicted);
        }
        assert_eq!(evicted, [2]);
        assert_eq!(clock.is_referenced(1), Some(false));
        assert_eq!(clock.keys_in_eviction_order(), [4, 1, 3]);
        clock.request(5, &mut evicted);
        clock.request(6, &mut evicted);
        assert_eq!(evicted, [2, 3, 1]);
    }
}
