//! CLOCK: a reference counter per key (one bit by default), a hand that gives referenced keys
//! another chance.
//!
//! Corbató (1968), "A paging experiment with the Multics system"; implemented as libCacheSim does,
//! as a FIFO queue with reinsertion, which is the same algorithm as the circular array: the hand
//! is the queue's tail. A new key starts with its counter at 0 and enters just behind the hand
//! (the head of the queue); a hit raises the counter, up to 2^bits − 1. To evict, the hand looks
//! at the tail: a counter above 0 is lowered by one and the key goes back to the head (the hand
//! moves past it), and the first key whose counter is 0 is evicted. With one bit this is the
//! classic second chance; with 2 to 4 bits (libCacheSim's `n-bit-counter`, the same rules), a key
//! hit k times survives k passes of the hand. Amortized O(1): every decrement was paid for by a
//! hit.

use super::layout::{Badge, GroupKind, Layout, SlotGroup};
use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List};
use crate::engine::token_index::{Keyed, TokenIndex};

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// Raised by a hit (up to the policy's maximum), lowered when the hand passes.
    count: u8,
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
    /// The highest a counter goes: 2^bits − 1.
    max_count: u8,
}

/// The most bits a counter may have.
pub const MAX_CLOCK_BITS: u8 = 4;

impl Clock {
    /// An empty CLOCK holding at most `capacity` (≥ 1) keys, with one reference bit each.
    pub fn new(capacity: usize) -> Self {
        Self::with_bits(capacity, 1)
    }

    /// An empty CLOCK whose counters have `bits` bits (1 to [`MAX_CLOCK_BITS`], clamped).
    pub fn with_bits(capacity: usize, bits: u8) -> Self {
        let reserve = super::initial_reserve(capacity);
        Self {
            index: TokenIndex::with_capacity(reserve),
            entries: LinkedSlab::with_capacity(reserve),
            ring: List::new(),
            capacity: capacity.max(1),
            max_count: (1u8 << bits.clamp(1, MAX_CLOCK_BITS)) - 1,
        }
    }

    /// A resident key's counter (with one bit, whether it is referenced).
    pub fn count(&self, key: u64) -> Option<u8> {
        self.index
            .find(&self.entries, key)
            .map(|token| self.entries.get(token).count)
    }

    /// Whether a resident key's counter is above 0.
    pub fn is_referenced(&self, key: u64) -> Option<bool> {
        self.count(key).map(|count| count > 0)
    }

    /// Sweeps the hand to the first clear bit and evicts that key.
    fn evict(&mut self) -> Option<u64> {
        loop {
            let token = self.entries.pop_back(&mut self.ring)?;
            let entry = self.entries.get_mut(token);
            if entry.count > 0 {
                entry.count -= 1;
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
                let max = self.max_count;
                let entry = self.entries.get_mut(token);
                entry.count = (entry.count + 1).min(max);
                true
            }
            None => false,
        }
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.index.len() >= self.capacity {
            evicted.extend(self.evict());
        }
        let token = self.entries.alloc(Entry { key, count: 0 });
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
}

impl EvictNext for Clock {
    fn evict_next(&mut self) -> Option<u64> {
        self.evict()
    }
}

impl Inspect for Clock {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // From just behind the hand round to the key under it.
        self.entries
            .iter(&self.ring)
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    fn layout(&self) -> Layout {
        let keys = self.keys_in_eviction_order();
        Layout {
            hand: keys.last().copied(),
            groups: vec![SlotGroup::badged(GroupKind::ClockRing, keys, |key| {
                self.count(key).map(|count| {
                    if self.max_count == 1 {
                        Badge::ReferenceBit(count)
                    } else {
                        Badge::ClockCount(count)
                    }
                })
            })],
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

    #[test]
    fn with_two_bits_three_hits_buy_three_passes_of_the_hand() {
        let mut clock = Clock::with_bits(2, 2);
        let mut evicted = Vec::new();
        // a, three hits (the counter stops at 3), then b and a run of new keys.
        for key in [1, 1, 1, 1, 2] {
            clock.request(key, &mut evicted);
        }
        assert_eq!(clock.count(1), Some(3));
        // Each new key makes the hand pass a (lowering it) before evicting the other key.
        for (next, lowered_to) in [(3, 2), (4, 1), (5, 0)] {
            clock.request(next, &mut evicted);
            assert_eq!(clock.count(1), Some(lowered_to));
        }
        assert_eq!(evicted, [2, 3, 4]);
        clock.request(6, &mut evicted);
        assert_eq!(evicted, [2, 3, 4, 1]);
        // Out-of-range widths are clamped to 1..=4.
        assert_eq!(Clock::with_bits(1, 0).max_count, 1);
        assert_eq!(Clock::with_bits(1, 9).max_count, 15);
    }
}
