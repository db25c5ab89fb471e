//! The LRU stack as Olken (1981, "Efficient methods for calculating the success function of
//! fixed space replacement policies") keeps it: every key at the position of its last access, and a
//! tree of counts over positions, so "how many distinct keys (and how many bytes) were accessed
//! since this key's last access" is a sum over the positions after it, O(log M) for M distinct
//! keys, instead of a walk down Mattson's stack.
//!
//! The positions are a bitmap (a bit per position, set while a key's last access is there) and
//! the tree counts 64-position blocks: a depth is the set bits after the position in its block
//! plus a Fenwick prefix over blocks. That is 1 bit a position and 4 bytes a block, so the tree of
//! a million keys fits in the processor's L2 cache, where a Fenwick tree over positions (4 bytes
//! each, 21 levels) missed it. Bytes need a second tree over blocks and each position's size; they
//! are kept only when asked for. [`RecencyStack::access_all`] also looks a chunk of keys up in the
//! map before walking the stack for them, so that the map's cache misses overlap. Measured on
//! 10M Zipf(1.0) requests over 1M keys, natively (the `lru_curve` benchmark): 3.0 s with two
//! Fenwick trees over positions, 1.75 s with the bitmap, 1.15 s in chunks, 0.92 s renumbering
//! by rank instead of sorting.
//!
//! Positions only grow. When they run out, the live keys are renumbered in order of their last
//! access (a key's rank among the set bits, one pass over the map); the room is then
//! [`ROOM_PER_KEY`] times the live keys (at least [`MIN_ROOM`]), so a renumbering comes at most
//! once per three accesses a key: amortized O(1).

use crate::engine::IdMap;

/// The fewest positions the stack holds.
const MIN_ROOM: usize = 1 << 12;

/// Positions per live key after a renumbering.
const ROOM_PER_KEY: usize = 4;

/// A Fenwick (binary indexed) tree of sums over indices `0..len`.
#[derive(Clone, Debug, Default)]
struct Fenwick<W> {
    /// `tree[i - 1]` sums the `i & i.wrapping_neg()` weights ending at index `i - 1`.
    tree: Vec<W>,
}

impl<W> Fenwick<W>
where
    W: Copy + Default + std::ops::AddAssign + std::ops::SubAssign,
{
    /// A tree over `weights` (index `i` weighs `weights[i]`), built in linear time.
    fn from_weights(mut weights: Vec<W>) -> Self {
        let len = weights.len();
        for index in 1..=len {
            let parent = index + (index & index.wrapping_neg());
            if parent <= len {
                let weight = weights[index - 1];
                weights[parent - 1] += weight;
            }
        }
        Self { tree: weights }
    }

    /// Adds `weight` at `index`.
    fn add(&mut self, index: usize, weight: W) {
        let mut at = index + 1;
        while let Some(slot) = self.tree.get_mut(at - 1) {
            *slot += weight;
            at += at & at.wrapping_neg();
        }
    }

    /// Takes `weight` away at `index`.
    fn remove(&mut self, index: usize, weight: W) {
        let mut at = index + 1;
        while let Some(slot) = self.tree.get_mut(at - 1) {
            *slot -= weight;
            at += at & at.wrapping_neg();
        }
    }

    /// The weights at indices `0..=index`, added up.
    fn prefix(&self, index: usize) -> W {
        let mut sum = W::default();
        let mut at = (index + 1).min(self.tree.len());
        while at > 0 {
            sum += self.tree[at - 1];
            at &= at - 1;
        }
        sum
    }
}

/// Where a key was last accessed, and its size then.
#[derive(Clone, Copy, Debug)]
struct Last {
    position: usize,
    size: u32,
    /// Accesses of the key so far (saturating): its popularity, at no extra lookup.
    count: u32,
}

/// How far down the LRU stack a reaccessed key was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Depth {
    /// Distinct keys accessed since its last access, itself included: an LRU cache of at least
    /// this many entries hits.
    pub keys: u64,
    /// Their bytes (each at its last access's size), its own size included: with constant sizes,
    /// an LRU cache of at least this many bytes hits. 0 unless the stack keeps bytes.
    pub bytes: u64,
    /// The size the key had at its last access.
    pub previous_size: u32,
}

/// The bytes side of the stack: each position's size and a tree of bytes over blocks.
#[derive(Clone, Debug, Default)]
struct Bytes {
    at: Vec<u32>,
    blocks: Fenwick<u64>,
    total: u64,
}

/// The LRU stack of every key accessed so far.
#[derive(Clone, Debug)]
pub struct RecencyStack {
    last: IdMap<Last>,
    /// A bit per position: set where a live key's last access is.
    live: Vec<u64>,
    /// Live keys per 64-position block.
    blocks: Fenwick<u32>,
    bytes: Option<Bytes>,
    /// The next access's position.
    next: usize,
    /// Positions set in `live`: the keys on the stack.
    on_stack: u64,
    /// [`RecencyStack::access_all`]'s keys' previous accesses, a chunk at a time.
    previous: Vec<Option<Last>>,
}

/// Accesses [`RecencyStack::access_all`] looks up in the map before it walks the stack.
const CHUNK: usize = 2048;

/// The bits of a block after position `bit` (0 to 63).
#[inline]
fn after(bit: usize) -> u64 {
    (!0u64).checked_shl(bit as u32 + 1).unwrap_or(0)
}

impl RecencyStack {
    /// An empty stack; with `bytes`, it also answers how many bytes are above a key.
    pub fn new(bytes: bool) -> Self {
        Self {
            last: IdMap::default(),
            live: Vec::new(),
            blocks: Fenwick::default(),
            bytes: bytes.then(Bytes::default),
            next: 0,
            on_stack: 0,
            previous: Vec::new(),
        }
    }

    /// Distinct keys on the stack.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    /// Whether `key` is on the stack.
    pub fn contains(&self, key: u64) -> bool {
        self.last.contains_key(&key)
    }

    /// Whether no key was accessed yet.
    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }

    /// Accesses `key` with `size` bytes: moves it to the top, and says how deep it was (`None` the
    /// first time).
    pub fn access(&mut self, key: u64, size: u32) -> Option<Depth> {
        if self.next >= self.live.len() * 64 {
            self.renumber(1);
        }
        let position = self.next;
        self.next += 1;
        let previous = self.record(key, position, size);
        self.place(previous, position, size)
    }

    /// Accesses every one of `keys` in order, each with its size in `sizes` (1 each if `sizes` is
    /// empty), appending how deep each was to `depths`. The same as [`RecencyStack::access`] a
    /// key at a time, faster: the map is looked up for a chunk of keys first, in a loop whose
    /// cache misses overlap, and the stack (small, in cache) is walked after.
    pub fn access_all(&mut self, keys: &[u64], sizes: &[u32], depths: &mut Vec<Option<Depth>>) {
        for (index, chunk) in keys.chunks(CHUNK).enumerate() {
            let chunk_sizes = sizes.get(index * CHUNK..).unwrap_or_default();
            let size_of = |at: usize| chunk_sizes.get(at).copied().unwrap_or(1);
            if self.next + chunk.len() > self.live.len() * 64 {
                self.renumber(chunk.len());
            }
            let mut previous = std::mem::take(&mut self.previous);
            previous.clear();
            for (at, &key) in chunk.iter().enumerate() {
                previous.push(self.record(key, self.next + at, size_of(at)));
            }
            for (at, &earlier) in previous.iter().enumerate() {
                let position = self.next + at;
                depths.push(self.place(earlier, position, size_of(at)));
            }
            self.next += chunk.len();
            self.previous = previous;
        }
    }

    /// Records `key`'s access at `position` with `size` in the map (one lookup), returning its
    /// previous access.
    #[inline]
    fn record(&mut self, key: u64, position: usize, size: u32) -> Option<Last> {
        use std::collections::hash_map::Entry;
        match self.last.entry(key) {
            Entry::Occupied(mut slot) => {
                let previous = *slot.get();
                *slot.get_mut() = Last {
                    position,
                    size,
                    count: previous.count.saturating_add(1),
                };
                Some(previous)
            }
            Entry::Vacant(slot) => {
                slot.insert(Last {
                    position,
                    size,
                    count: 1,
                });
                None
            }
        }
    }

    /// How often each key on the stack was accessed, in no order.
    pub fn access_counts(&self) -> impl Iterator<Item = u32> + '_ {
        self.last.values().map(|last| last.count)
    }

    /// Moves a key whose last access was `previous` (if any) to `position` with `size`, and says
    /// how deep it was.
    #[inline]
    fn place(&mut self, previous: Option<Last>, position: usize, size: u32) -> Option<Depth> {
        let depth = match previous {
            None => {
                self.on_stack += 1;
                None
            }
            Some(last) => {
                let (block, bit) = (last.position / 64, last.position % 64);
                let word = self.live[block];
                let keys_above = u64::from((word & after(bit)).count_ones()) + self.on_stack
                    - u64::from(self.blocks.prefix(block));
                let bytes_above = self.bytes.as_ref().map_or(0, |bytes| {
                    let mut above = bytes.total - bytes.blocks.prefix(block);
                    let mut rest = word & after(bit);
                    while rest != 0 {
                        let next_bit = rest.trailing_zeros() as usize;
                        above += u64::from(bytes.at[block * 64 + next_bit]);
                        rest &= rest - 1;
                    }
                    above
                });
                self.unset(last);
                self.on_stack += 1;
                Some(Depth {
                    keys: keys_above + 1,
                    bytes: if self.bytes.is_some() {
                        bytes_above + u64::from(size)
                    } else {
                        0
                    },
                    previous_size: last.size,
                })
            }
        };
        let block = position / 64;
        self.live[block] |= 1 << (position % 64);
        self.blocks.add(block, 1);
        if let Some(bytes) = &mut self.bytes {
            bytes.at[position] = size;
            bytes.blocks.add(block, u64::from(size));
            bytes.total += u64::from(size);
        }
        depth
    }

    /// Clears the position of a key's last access.
    fn unset(&mut self, last: Last) {
        self.on_stack -= 1;
        let block = last.position / 64;
        self.live[block] &= !(1 << (last.position % 64));
        self.blocks.remove(block, 1);
        if let Some(bytes) = &mut self.bytes {
            bytes.blocks.remove(block, u64::from(last.size));
            bytes.total -= u64::from(last.size);
        }
    }

    /// Takes `key` off the stack (a sampler that stops tracking it); nothing if it is not there.
    pub fn forget(&mut self, key: u64) {
        if let Some(last) = self.last.remove(&key) {
            self.unset(last);
        }
    }

    /// Renumbers the live keys `0..len` in the order of their last access, with room for
    /// [`ROOM_PER_KEY`] times as many positions and at least `coming` more. A key's new position
    /// is its rank among the set bits, so no sort is needed: one pass over the map.
    fn renumber(&mut self, coming: usize) {
        let keys = self.last.len();
        // Set bits before each block.
        let mut before = Vec::with_capacity(self.live.len());
        let mut running = 0usize;
        for word in &self.live {
            before.push(running);
            running += word.count_ones() as usize;
        }
        let room = (ROOM_PER_KEY * keys)
            .max(keys + coming)
            .max(MIN_ROOM)
            .div_ceil(64);
        let mut sizes = self.bytes.as_ref().map(|_| vec![0u32; room * 64]);
        for last in self.last.values_mut() {
            let (block, bit) = (last.position / 64, last.position % 64);
            let below = self.live[block] & ((1u64 << bit) - 1);
            last.position = before[block] + below.count_ones() as usize;
            if let Some(sizes) = &mut sizes {
                sizes[last.position] = last.size;
            }
        }
        // The keys now fill positions 0..keys.
        let mut live = vec![0u64; room];
        let mut block_keys = vec![0u32; room];
        for (block, word) in live.iter_mut().enumerate().take(keys.div_ceil(64)) {
            let in_block = (keys - block * 64).min(64);
            *word = (!0u64).checked_shr(64 - in_block as u32).unwrap_or(0);
            block_keys[block] = in_block as u32;
        }
        self.live = live;
        self.blocks = Fenwick::from_weights(block_keys);
        if let (Some(bytes), Some(sizes)) = (&mut self.bytes, sizes) {
            let block_bytes = sizes
                .chunks(64)
                .map(|block| block.iter().map(|&size| u64::from(size)).sum())
                .collect();
            bytes.at = sizes;
            bytes.blocks = Fenwick::from_weights(block_bytes);
        }
        self.next = keys;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mattson's stack, walked: the reference the tree must agree with.
    fn walked_depth(stack: &mut Vec<(u64, u32)>, key: u64, size: u32) -> Option<Depth> {
        let found = stack.iter().position(|&(k, _)| k == key);
        let depth = found.map(|index| Depth {
            keys: index as u64 + 1,
            bytes: stack[..index]
                .iter()
                .map(|&(_, s)| u64::from(s))
                .sum::<u64>()
                + u64::from(size),
            previous_size: stack[index].1,
        });
        if let Some(index) = found {
            stack.remove(index);
        }
        stack.insert(0, (key, size));
        depth
    }

    #[test]
    fn depths_match_a_walk_down_the_stack_across_renumbering() {
        let mut rng = crate::engine::Rng::new(7);
        let mut stack = RecencyStack::new(true);
        let mut walked = Vec::new();
        // Enough accesses over few keys that positions run out many times.
        for step in 0..20_000u64 {
            let key = rng.below(300);
            let size = 1 + (key as u32 * 37 + (step % 3) as u32) % 500;
            assert_eq!(
                stack.access(key, size),
                walked_depth(&mut walked, key, size),
                "access {step} of key {key}"
            );
            if step % 997 == 0 {
                let gone = rng.below(300);
                stack.forget(gone);
                walked.retain(|&(k, _)| k != gone);
            }
            assert_eq!(stack.len(), walked.len());
        }
    }

    #[test]
    fn a_chunked_pass_equals_one_access_at_a_time_with_or_without_bytes() {
        let mut rng = crate::engine::Rng::new(11);
        let keys: Vec<u64> = (0..30_000).map(|_| rng.below(900)).collect();
        let sizes: Vec<u32> = keys.iter().map(|&key| 1 + (key as u32 * 13) % 77).collect();
        for bytes in [true, false] {
            let mut one = RecencyStack::new(bytes);
            let singly: Vec<Option<Depth>> = keys
                .iter()
                .zip(&sizes)
                .map(|(&key, &size)| one.access(key, size))
                .collect();
            let mut all = RecencyStack::new(bytes);
            let mut chunked = Vec::new();
            // Uneven batches, so chunks and renumbering fall anywhere.
            for (keys, sizes) in keys.chunks(4_999).zip(sizes.chunks(4_999)) {
                all.access_all(keys, sizes, &mut chunked);
            }
            assert_eq!(chunked, singly);
            if !bytes {
                assert!(singly.iter().flatten().all(|depth| depth.bytes == 0));
            }
        }
    }

    #[test]
    fn a_fenwick_tree_built_at_once_equals_one_built_by_adding() {
        let weights: Vec<u64> = (0..100).map(|i| (i * 7919) % 13).collect();
        let built = Fenwick::from_weights(weights.clone());
        let mut added = Fenwick {
            tree: vec![0u64; weights.len()],
        };
        for (position, &weight) in weights.iter().enumerate() {
            added.add(position, weight);
        }
        for position in 0..weights.len() {
            let expected: u64 = weights[..=position].iter().sum();
            assert_eq!(built.prefix(position), expected);
            assert_eq!(added.prefix(position), expected);
        }
    }
}
