//! S3-FIFO: three static FIFO queues.
//!
//! Yang et al., SOSP'23, "FIFO queues are all you need for cache eviction", Algorithm 1. A small
//! FIFO S (10% of the cache) filters one-hit wonders, a main FIFO M holds the rest, and a ghost FIFO
//! G remembers as many recently filtered keys as M holds. Each resident key has a 2-bit frequency
//! (0 to 3) raised by hits. A miss whose key is in G goes straight to M; any other miss enters S.
//! Evicting from S: the tail moves to M if it was hit more than once (freq > 1), otherwise it leaves
//! for G. Evicting from M: a tail with freq > 0 is reinserted at the head with freq − 1, otherwise it
//! is evicted. S is evicted from while it holds at least its 10% share. Amortized O(1).
//!
//! Two of the paper's knobs are options ([`S3FifoOptions`]), as libCacheSim's `S3FIFO.c` has them
//! (`move-to-main-threshold`, `ghost-size-ratio`): the hits a key needs in S to move to M (2 by
//! default, `freq >= 2` being the paper's `freq > 1`; 1 moves any key hit once), and G's size
//! (by default as many keys as M's share, 90% of the cache, which is libCacheSim's 0.9 too).
//!
//! With object sizes ([`S3Fifo::in_bytes`]), every count above is a count of bytes, as the paper
//! and libCacheSim have it: S holds 10% of the cache's bytes, M the rest, G as many bytes of keys
//! as M's share (or the options' share of the cache), and a miss evicts until the object fits.
//! Two choices where neither says more: a ghost that comes back takes the size its request now
//! gives, and an object larger than S's share still enters S (it is the first to leave it). With
//! every size 1 this is exactly the entry form, which is the same code.

use super::by_bytes::InBytes;
use super::layout::{Badge, GroupKind, Layout, SlotGroup};
use super::{ByteCapacity, Inspect, Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// The highest frequency a 2-bit counter holds.
const MAX_FREQ: u8 = 3;

/// Which queue a key is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Queue {
    /// The small probationary FIFO (resident).
    Small,
    /// The main FIFO (resident).
    Main,
    /// The ghost FIFO: recently filtered keys, not resident.
    Ghost,
}

/// One key in any of the three queues.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// Its weight: 1 counted in entries, its size in bytes otherwise (fits in the padding).
    size: u32,
    /// Hits while resident, saturating at [`MAX_FREQ`].
    freq: u8,
    /// The queue it is linked into.
    queue: S3Queue,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// S3-FIFO's options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct S3FifoOptions {
    /// Hits a key needs while in S to move to M on leaving it: 1 to 3 (its counter's range).
    pub move_to_main: u8,
    /// G's size as a percentage of the cache, or `None` for as many keys as M's share.
    pub ghost_percent: Option<u8>,
}

impl Default for S3FifoOptions {
    fn default() -> Self {
        Self {
            move_to_main: 2,
            ghost_percent: None,
        }
    }
}

/// S3-FIFO eviction. The three queues share one slab and one index, so a key moves between them
/// by relinking, and a request is one lookup.
#[derive(Clone, Debug)]
pub struct S3Fifo {
    /// Where each key (resident or ghost) is.
    index: TokenIndex,
    /// The keys of all three queues.
    entries: LinkedSlab<Entry>,
    /// S, M and G (indexed by [`S3Queue`]), newest at the head.
    queues: [List; 3],
    /// The weights of S, M and G: their lengths counted in entries, their bytes otherwise.
    weights: [u64; 3],
    /// S's share of the cache, at least 1.
    small_capacity: u64,
    /// The whole cache size (entries, or bytes).
    capacity: u64,
    /// Its options.
    options: S3FifoOptions,
}

impl S3Fifo {
    /// An empty S3-FIFO of size `capacity` (≥ 1), as the paper has it.
    pub fn new(capacity: usize) -> Self {
        Self::with_options(capacity, S3FifoOptions::default())
    }

    /// An empty S3-FIFO with `options` (the threshold clamped to 1..=3, the ghost to 0..=100%).
    pub fn with_options(capacity: usize, options: S3FifoOptions) -> Self {
        let capacity = capacity.max(1);
        let reserve = super::initial_reserve(capacity);
        Self::weighed(capacity as u64, reserve, options)
    }

    /// An empty S3-FIFO of `capacity` bytes, for requests with object sizes.
    pub fn in_bytes(capacity: ByteCapacity, options: S3FifoOptions) -> InBytes<S3Fifo> {
        InBytes::new(Self::weighed(capacity.get(), 1024, options))
    }

    fn weighed(capacity: u64, reserve: usize, options: S3FifoOptions) -> Self {
        Self {
            index: TokenIndex::with_capacity(2 * reserve),
            entries: LinkedSlab::with_capacity(2 * reserve),
            queues: [List::new(); 3],
            weights: [0; 3],
            small_capacity: Self::small_share(capacity),
            capacity,
            options: S3FifoOptions {
                move_to_main: options.move_to_main.clamp(1, MAX_FREQ),
                ghost_percent: options.ghost_percent.map(|percent| percent.min(100)),
            },
        }
    }

    /// 10% of the cache, at least 1 entry (or byte).
    fn small_share(capacity: u64) -> u64 {
        (capacity / 10).max(1)
    }

    /// M's share: what S does not take (0 for a cache of 1).
    fn main_capacity(&self) -> u64 {
        self.capacity.saturating_sub(self.small_capacity)
    }

    /// G's size: as many keys (or bytes of keys) as M holds (at least 1), or the options' share
    /// of the cache.
    fn ghost_capacity(&self) -> u64 {
        match self.options.ghost_percent {
            None => self.main_capacity().max(1),
            Some(percent) => self.capacity.saturating_mul(u64::from(percent)) / 100,
        }
    }

    /// How much one queue holds: keys counted in entries, bytes otherwise.
    fn size(&self, queue: S3Queue) -> u64 {
        self.weights[queue as usize]
    }

    /// The keys of one queue, newest first.
    pub fn queue(&self, queue: S3Queue) -> Vec<u64> {
        self.entries
            .iter(&self.queues[queue as usize])
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    /// A resident key's frequency.
    pub fn freq(&self, key: u64) -> Option<u8> {
        let token = self.index.find(&self.entries, key)?;
        let entry = self.entries.get(token);
        (entry.queue != S3Queue::Ghost).then_some(entry.freq)
    }

    /// The weight resident, in S and M.
    fn resident(&self) -> u64 {
        self.size(S3Queue::Small) + self.size(S3Queue::Main)
    }

    /// Links an unlinked node at the head of `queue`.
    fn push(&mut self, token: Token, queue: S3Queue) {
        self.entries
            .push_front(&mut self.queues[queue as usize], token);
        let entry = self.entries.get_mut(token);
        entry.queue = queue;
        self.weights[queue as usize] += u64::from(entry.size);
    }

    /// Unlinks the oldest node of `queue`.
    fn pop(&mut self, queue: S3Queue) -> Option<Token> {
        let token = self.entries.pop_back(&mut self.queues[queue as usize])?;
        self.weights[queue as usize] -= u64::from(self.entries.get(token).size);
        Some(token)
    }

    /// Unlinks a node from the middle of `queue`.
    fn unlink(&mut self, token: Token, queue: S3Queue) {
        self.entries.unlink(&mut self.queues[queue as usize], token);
        self.weights[queue as usize] -= u64::from(self.entries.get(token).size);
    }

    /// Forgets a node entirely.
    fn forget(&mut self, token: Token) {
        let key = self.entries.get(token).key;
        self.index.remove(&self.entries, key);
        self.entries.free(token);
    }

    /// EVICT: from S while it holds its share (or M is empty), otherwise from M.
    fn evict(&mut self, evicted: &mut Vec<u64>) {
        if self.size(S3Queue::Small) >= self.small_capacity || self.size(S3Queue::Main) == 0 {
            self.evict_small(evicted);
        } else {
            self.evict_main(evicted);
        }
    }

    /// EVICTS: promote S's tail to M if hit enough (twice by default), else send it to G.
    fn evict_small(&mut self, evicted: &mut Vec<u64>) {
        while let Some(token) = self.pop(S3Queue::Small) {
            if self.entries.get(token).freq >= self.options.move_to_main {
                self.push(token, S3Queue::Main);
                if self.size(S3Queue::Main) > self.main_capacity() {
                    self.evict_main(evicted);
                }
            } else {
                evicted.push(self.entries.get(token).key);
                self.push(token, S3Queue::Ghost);
                self.trim_ghosts();
                return;
            }
        }
    }

    /// Forgets G's oldest keys while it holds more than its size.
    fn trim_ghosts(&mut self) {
        while self.size(S3Queue::Ghost) > self.ghost_capacity()
            && let Some(oldest) = self.pop(S3Queue::Ghost)
        {
            self.forget(oldest);
        }
    }

    /// A miss of `key`, `size` units (1 counted in entries): evicts until it fits, then caches it
    /// in M if it was a ghost, else in S.
    fn admit(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) {
        while self.resident() + u64::from(size) > self.capacity && self.resident() > 0 {
            self.evict(evicted);
        }
        // Look the key up only after evicting: evicting may push the ghost queue past its size and
        // forget the very ghost this key would have matched, as a separate ghost FIFO would.
        match self.index.find(&self.entries, key) {
            Some(token) if self.entries.get(token).queue == S3Queue::Ghost => {
                self.unlink(token, S3Queue::Ghost);
                let entry = self.entries.get_mut(token);
                entry.freq = 0;
                entry.size = size;
                self.push(token, S3Queue::Main);
            }
            Some(_) => {} // already resident: nothing to insert
            None => {
                let token = self.entries.alloc(Entry {
                    key,
                    size,
                    freq: 0,
                    queue: S3Queue::Small,
                });
                self.push(token, S3Queue::Small);
                self.index.insert(&self.entries, token);
            }
        }
    }

    /// EVICTM: reinsert M's tail with one less frequency, or evict it at frequency 0.
    fn evict_main(&mut self, evicted: &mut Vec<u64>) {
        while let Some(token) = self.pop(S3Queue::Main) {
            let entry = self.entries.get_mut(token);
            if entry.freq > 0 {
                entry.freq -= 1;
                self.push(token, S3Queue::Main);
            } else {
                evicted.push(entry.key);
                self.forget(token);
                return;
            }
        }
    }
}

impl Policy for S3Fifo {
    fn kind(&self) -> PolicyKind {
        PolicyKind::S3Fifo
    }

    fn capacity(&self) -> usize {
        // Counted in entries, the capacity came from a usize.
        usize::try_from(self.capacity).unwrap_or(usize::MAX)
    }

    fn len(&self) -> usize {
        self.queues[S3Queue::Small as usize].len + self.queues[S3Queue::Main as usize].len
    }

    fn contains(&self, key: u64) -> bool {
        self.freq(key).is_some()
    }

    #[inline]
    fn touch(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) if self.entries.get(token).queue != S3Queue::Ghost => {
                let entry = self.entries.get_mut(token);
                entry.freq = (entry.freq + 1).min(MAX_FREQ);
                true
            }
            _ => false,
        }
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        self.admit(key, 1, evicted);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        let Some(token) = self.index.find(&self.entries, key) else {
            return false;
        };
        let queue = self.entries.get(token).queue;
        if queue == S3Queue::Ghost {
            return false;
        }
        self.unlink(token, queue);
        self.forget(token);
        true
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1) as u64;
        self.small_capacity = Self::small_share(self.capacity);
        while self.resident() > self.capacity {
            self.evict(evicted);
        }
        self.trim_ghosts();
    }
}

super::by_bytes::weighed_by_its_own_code!(S3Fifo);

impl Inspect for S3Fifo {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // M then S, newest first: S's tail is usually the next to go.
        let mut keys = self.queue(S3Queue::Main);
        keys.extend(self.queue(S3Queue::Small));
        keys
    }

    fn layout(&self) -> Layout {
        let freq = |key| self.freq(key).map(Badge::Frequency);
        let group = |queue| SlotGroup::badged(GroupKind::S3Fifo(queue), self.queue(queue), freq);
        Layout {
            groups: vec![
                group(S3Queue::Small),
                group(S3Queue::Main),
                SlotGroup::plain(
                    GroupKind::S3Fifo(S3Queue::Ghost),
                    self.queue(S3Queue::Ghost),
                ),
            ],
            hand: None,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hit_wonders_leave_through_the_small_queue_and_return_via_the_ghost() {
        // Size 10: S holds 1, M holds 9.
        let mut s3 = S3Fifo::new(10);
        let mut evicted = Vec::new();
        // 1 is hit twice while in S; then 2..=10 fill the cache (S keeps only its 1-entry share
        // while M is non-empty, so each new key pushes S's tail onward).
        s3.request(1, &mut evicted);
        s3.request(1, &mut evicted);
        s3.request(1, &mut evicted);
        for key in 2..=10 {
            s3.request(key, &mut evicted);
        }
        assert!(evicted.is_empty());
        // 11: S = [10, ...]; S's tail is 1 with freq 2 → promoted to M, the next tail leaves for G.
        s3.request(11, &mut evicted);
        assert_eq!(evicted, [2]);
        assert_eq!(s3.queue(S3Queue::Main), [1]);
        assert_eq!(s3.queue(S3Queue::Ghost), [2]);
        // 2 again: making room sends S's tail (3) to G, and 2, a ghost hit, goes straight into M.
        s3.request(2, &mut evicted);
        assert_eq!(evicted, [2, 3]);
        assert_eq!(s3.queue(S3Queue::Main), [2, 1]);
        assert_eq!(s3.queue(S3Queue::Ghost), [3]);
        assert!(s3.len() <= 10);
    }
}
