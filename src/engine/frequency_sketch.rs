//! A count-min sketch of 4-bit counters with periodic halving: TinyLFU's frequency estimate.
//!
//! As in Caffeine's `FrequencySketch` (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient
//! Cache Admission Policy", 2017): 4-bit counters, sixteen packed per `u64`; each key has four
//! counters (one per "row"), an access increments all four (each saturating at 15) and the estimate
//! is the smallest. After `10 × capacity` increments every counter is halved, so old popularity
//! fades ("aging" by reset). Like Caffeine's current sketch, a key's four counters all sit in one
//! 64-byte block (two words per row), so an access touches one cache line instead of four.

use super::hash::hash_key as hash;

/// Counters per key.
const DEPTH: usize = 4;
/// Words per 64-byte block.
const BLOCK_WORDS: usize = 8;
/// Every nibble's low bit.
const ONE_MASK: u64 = 0x1111_1111_1111_1111;
/// Every nibble's top three bits after a shift right by one.
const RESET_MASK: u64 = 0x7777_7777_7777_7777;

/// Approximate access counts, bounded at 15, aging by halving.
#[derive(Clone, Debug)]
pub struct FrequencySketch {
    /// Blocks of eight words; the length is a power of two times eight.
    table: Vec<u64>,
    /// `blocks - 1`, to pick a block from a hash.
    block_mask: u64,
    /// Increments since the last halving.
    additions: u64,
    /// Increments between halvings.
    sample_size: u64,
}

impl FrequencySketch {
    /// A sketch sized for a cache of `capacity` keys: like Caffeine's, 16 counters (8 bytes) per
    /// key, rounded up to a power of two.
    pub fn new(capacity: usize) -> Self {
        // At most 2^24 words (128 MiB): beyond that extra width no longer improves the estimate.
        let words = capacity.clamp(BLOCK_WORDS, 1 << 24).next_power_of_two();
        Self {
            table: vec![0; words],
            block_mask: (words / BLOCK_WORDS) as u64 - 1,
            additions: 0,
            sample_size: 10 * capacity.max(1) as u64,
        }
    }

    /// Increments between halvings: 10 × the capacity it was sized for.
    pub fn sample_size(&self) -> u64 {
        self.sample_size
    }

    /// The four (word, shift) positions of `key`'s counters: the block comes from the hash's high
    /// half; each row takes 5 bits of the low half, one to pick its word and four its nibble.
    #[inline]
    fn slots(&self, key: u64) -> [(usize, u32); DEPTH] {
        let h = hash(key);
        let block = ((h >> 32) & self.block_mask) as usize * BLOCK_WORDS;
        std::array::from_fn(|row| {
            let bits = (h >> (row * 5)) as usize;
            let word = block + row * 2 + (bits & 1);
            (word, ((bits >> 1) & 15) as u32 * 4)
        })
    }

    /// The estimated number of recent accesses to `key` (0 to 15).
    #[inline]
    pub fn frequency(&self, key: u64) -> u8 {
        self.slots(key)
            .iter()
            .map(|&(word, shift)| ((self.table[word] >> shift) & 0xF) as u8)
            .min()
            .unwrap_or(0)
    }

    /// Counts one access to `key`.
    #[inline]
    pub fn increment(&mut self, key: u64) {
        let mut added = false;
        for (word, shift) in self.slots(key) {
            if (self.table[word] >> shift) & 0xF < 15 {
                self.table[word] += 1 << shift;
                added = true;
            }
        }
        if added {
            self.additions += 1;
            if self.additions >= self.sample_size {
                self.halve();
            }
        }
    }

    /// Halves every counter. As in Caffeine, the odd counters' lost halves are subtracted from the
    /// addition count (divided by the depth, since one addition touches every row).
    fn halve(&mut self) {
        let mut odd = 0u64;
        for word in &mut self.table {
            odd += u64::from((*word & ONE_MASK).count_ones());
            *word = (*word >> 1) & RESET_MASK;
        }
        self.additions = (self.additions - (odd / 4).min(self.additions)) / 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate_and_halve() {
        let mut sketch = FrequencySketch::new(64);
        for _ in 0..20 {
            sketch.increment(7);
        }
        sketch.increment(8);
        assert_eq!(sketch.frequency(7), 15);
        assert!(sketch.frequency(8) >= 1);
        assert_eq!(sketch.frequency(9), 0);
        // 640 counted increments trigger a halving; 7 drops from 15 towards 7 and then climbs again.
        for key in 100..800 {
            sketch.increment(key);
        }
        assert!(sketch.frequency(7) < 15, "halved: {}", sketch.frequency(7));
    }
}
