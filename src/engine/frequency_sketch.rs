//! A count-min sketch of 4-bit counters with periodic halving: TinyLFU's frequency estimate.
//!
//! As in Caffeine's `FrequencySketch` (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient
//! Cache Admission Policy", 2017): four rows of 4-bit counters, sixteen packed per `u64`; an access
//! increments the key's counter in every row (each saturating at 15) and the estimate is the
//! smallest of the four. After `10 × capacity` increments every counter is halved, so old popularity
//! fades ("aging" by reset).

use std::hash::{BuildHasher, Hasher};

use super::hash::BuildIdHasher;

/// Rows in the sketch.
const DEPTH: usize = 4;
/// Different seeds make the four rows' hashes independent.
const ROW_SEEDS: [u64; DEPTH] = [
    0xC3A5_C85C_97CB_3127,
    0xB492_B66F_BE98_F273,
    0x9AE1_6A3B_2F90_404F,
    0xCBF2_9CE4_8422_2325,
];
/// Every nibble's low bit.
const ONE_MASK: u64 = 0x1111_1111_1111_1111;
/// Every nibble's top three bits after a shift right by one.
const RESET_MASK: u64 = 0x7777_7777_7777_7777;

/// Approximate access counts, bounded at 15, aging by halving.
#[derive(Clone, Debug)]
pub struct FrequencySketch {
    /// `DEPTH` rows of `width` nibbles, row after row.
    table: Vec<u64>,
    /// Counters per row: a power of two.
    width: usize,
    /// Increments since the last halving.
    additions: u64,
    /// Increments between halvings.
    sample_size: u64,
}

impl FrequencySketch {
    /// A sketch sized for a cache of `capacity` keys: like Caffeine's, 16 counters (8 bytes) per
    /// key rounded up to a power of two, so each row has four counters per key.
    pub fn new(capacity: usize) -> Self {
        let width = 4 * capacity.clamp(4, 1 << 28).next_power_of_two();
        Self {
            table: vec![0; DEPTH * width / 16],
            width,
            additions: 0,
            sample_size: 10 * capacity.max(1) as u64,
        }
    }

    /// (word, shift) of `key`'s counter in `row`.
    fn slot(&self, key: u64, row: usize) -> (usize, u32) {
        let mut hasher = BuildIdHasher::default().build_hasher();
        hasher.write_u64(ROW_SEEDS[row]);
        hasher.write_u64(key);
        let column = (hasher.finish() as usize) & (self.width - 1);
        let counter = row * self.width + column;
        (counter / 16, (counter % 16) as u32 * 4)
    }

    /// The estimated number of recent accesses to `key` (0 to 15).
    pub fn frequency(&self, key: u64) -> u8 {
        (0..DEPTH)
            .map(|row| {
                let (word, shift) = self.slot(key, row);
                ((self.table[word] >> shift) & 0xF) as u8
            })
            .min()
            .unwrap_or(0)
    }

    /// Counts one access to `key`.
    pub fn increment(&mut self, key: u64) {
        let mut added = false;
        for row in 0..DEPTH {
            let (word, shift) = self.slot(key, row);
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
