//! LFU: evict the key with the fewest hits; ties go to the least recently used among them.
//!
//! The O(1) in-cache LFU of Shah, Mitra and Matani (2010), "An O(1) algorithm for implementing the
//! LFU cache eviction scheme". A key's count is the number of hits since it was inserted (0 on
//! insert) and is forgotten when it leaves. Keys with the same count share a bucket, kept in
//! recency order; buckets are chained in increasing count order, so the victim is the tail of the
//! first bucket.

use super::layout::{GroupKind, Layout, SlotGroup};
use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::linked_slab::{LinkedSlab, List, NIL, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// The bucket (in `buckets`) holding every key with this key's count.
    bucket: Token,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// All resident keys with the same count.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Hits since insertion shared by every key here.
    count: u64,
    /// The keys, most recently used first.
    entries: List,
}

/// Least-frequently-used eviction with LRU tie-breaking.
#[derive(Clone, Debug)]
pub struct Lfu {
    /// Where each resident key's entry is.
    index: TokenIndex,
    /// The entries.
    entries: LinkedSlab<Entry>,
    /// The buckets.
    buckets: LinkedSlab<Bucket>,
    /// The buckets in increasing count order.
    by_count: List,
    /// The most keys resident at once.
    capacity: usize,
}

impl Lfu {
    /// An empty LFU holding at most `capacity` (≥ 1) keys.
    pub fn new(capacity: usize) -> Self {
        let reserve = super::initial_reserve(capacity);
        Self {
            index: TokenIndex::with_capacity(reserve),
            entries: LinkedSlab::with_capacity(reserve),
            buckets: LinkedSlab::default(),
            by_count: List::new(),
            capacity: capacity.max(1),
        }
    }

    /// The hit count of a resident key.
    pub fn count(&self, key: u64) -> Option<u64> {
        let token = self.index.find(&self.entries, key)?;
        Some(self.buckets.get(self.entries.get(token).bucket).count)
    }

    /// Unlinks an entry from its bucket, dropping the bucket if it empties.
    fn detach(&mut self, token: Token) {
        let bucket = self.entries.get(token).bucket;
        let mut entries = self.buckets.get(bucket).entries;
        self.entries.unlink(&mut entries, token);
        if entries.is_empty() {
            self.buckets.unlink(&mut self.by_count, bucket);
            self.buckets.free(bucket);
        } else {
            self.buckets.get_mut(bucket).entries = entries;
        }
    }

    /// Links an entry in at the most-recent end of `bucket`.
    fn attach(&mut self, token: Token, bucket: Token) {
        let mut entries = self.buckets.get(bucket).entries;
        self.entries.push_front(&mut entries, token);
        self.buckets.get_mut(bucket).entries = entries;
        self.entries.get_mut(token).bucket = bucket;
    }

    /// The bucket for `count` placed right after `after` (or first, for `NIL`), creating it if the
    /// next bucket has a different count.
    fn bucket_after(&mut self, after: Token, count: u64) -> Token {
        let next = if after == NIL {
            self.by_count.head
        } else {
            self.buckets.next(after)
        };
        if next != NIL && self.buckets.get(next).count == count {
            return next;
        }
        let bucket = self.buckets.alloc(Bucket {
            count,
            entries: List::new(),
        });
        if after == NIL {
            self.buckets.push_front(&mut self.by_count, bucket);
        } else {
            self.buckets.insert_after(&mut self.by_count, after, bucket);
        }
        bucket
    }

    /// Removes the victim: the least recently used key of the lowest-count bucket.
    fn evict(&mut self) -> Option<u64> {
        let bucket = self.by_count.head;
        if bucket == NIL {
            return None;
        }
        let token = self.buckets.get(bucket).entries.tail;
        let key = self.entries.get(token).key;
        self.detach(token);
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        Some(key)
    }
}

impl Policy for Lfu {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Lfu
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

    fn touch(&mut self, key: u64) -> bool {
        let Some(token) = self.index.find(&self.entries, key) else {
            return false;
        };
        let old = self.entries.get(token).bucket;
        let count = self.buckets.get(old).count + 1;
        // A key alone in its bucket, with no bucket for the next count right after it (the hot
        // keys of a skewed trace, whose counts are their own): its bucket takes the new count in
        // place, keeping its place in the order, instead of being freed while a new one is made.
        let next = self.buckets.next(old);
        if self.buckets.get(old).entries.len == 1
            && (next == NIL || self.buckets.get(next).count != count)
        {
            self.buckets.get_mut(old).count = count;
            return true;
        }
        // Find or make the next bucket before detaching, since detaching may free `old`.
        let new = self.bucket_after(old, count);
        self.detach(token);
        self.attach(token, new);
        true
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        debug_assert!(!self.contains(key));
        if self.index.len() >= self.capacity {
            evicted.extend(self.evict());
        }
        let token = self.entries.alloc(Entry { key, bucket: NIL });
        let bucket = self.bucket_after(NIL, 0);
        self.attach(token, bucket);
        self.index.insert(&self.entries, token);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        let Some(token) = self.index.remove(&self.entries, key) else {
            return false;
        };
        self.detach(token);
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

impl EvictNext for Lfu {
    fn evict_next(&mut self) -> Option<u64> {
        self.evict()
    }
}

impl Inspect for Lfu {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Highest count first; within a count, most recent first; the victim last.
        let buckets: Vec<Token> = self.buckets.iter(&self.by_count).collect();
        buckets
            .into_iter()
            .rev()
            .flat_map(|bucket| self.entries.iter(&self.buckets.get(bucket).entries))
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    fn layout(&self) -> Layout {
        // One group per count, highest first; within a bucket most recent first.
        let buckets: Vec<Token> = self.buckets.iter(&self.by_count).collect();
        let groups = buckets
            .into_iter()
            .rev()
            .map(|token| {
                let bucket = self.buckets.get(token);
                let keys = self
                    .entries
                    .iter(&bucket.entries)
                    .map(|entry| self.entries.get(entry).key)
                    .collect();
                SlotGroup::plain(GroupKind::Hits(bucket.count), keys)
            })
            .collect();
        Layout {
            groups,
            ..Layout::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_alone_in_its_bucket_climbs_in_place_and_joins_the_next_count_when_it_meets_it() {
        let mut lfu = Lfu::new(3);
        let mut evicted = Vec::new();
        for key in [1, 2, 3] {
            lfu.request(key, &mut evicted);
        }
        // 1 is hit three times: alone from its first hit on, its bucket takes 1, 2, 3 in place.
        for _ in 0..3 {
            lfu.touch(1);
        }
        // 2 is hit twice: alone at 1, then it meets no bucket at 2 (1 left it) and climbs too.
        lfu.touch(2);
        lfu.touch(2);
        assert_eq!(
            (lfu.count(1), lfu.count(2), lfu.count(3)),
            (Some(3), Some(2), Some(0))
        );
        // One more hit on 2 brings it to 1's count: one bucket, 2 the more recent.
        lfu.touch(2);
        let groups: Vec<(GroupKind, Vec<u64>)> = lfu
            .layout()
            .groups
            .into_iter()
            .map(|group| {
                (
                    group.kind,
                    group.slots.iter().map(|slot| slot.key).collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (GroupKind::Hits(3), vec![2, 1]),
                (GroupKind::Hits(0), vec![3])
            ]
        );
        assert_eq!(lfu.buckets.len(), 2);
        // The victims: 3 (no hits), then 1 (the less recent of the two with 3).
        lfu.request(4, &mut evicted);
        lfu.touch(4);
        lfu.touch(4);
        lfu.touch(4);
        lfu.touch(4);
        lfu.request(5, &mut evicted);
        assert_eq!(evicted, [3, 1]);
    }

    #[test]
    fn evicts_the_least_frequent_then_the_least_recent() {
        let mut lfu = Lfu::new(3);
        let mut evicted = Vec::new();
        // a b c, a a b: counts a=2, b=1, c=0 → d evicts c.
        for key in [1, 2, 3, 1, 1, 2, 4] {
            lfu.request(key, &mut evicted);
        }
        assert_eq!(evicted, [3]);
        assert_eq!(lfu.count(1), Some(2));
        assert_eq!(lfu.keys_in_eviction_order(), [1, 2, 4]);
        // e: d (count 0) is the only key with the lowest count.
        lfu.request(5, &mut evicted);
        assert_eq!(evicted, [3, 4]);
        // b and e tie? No: b=1, e=0 → f evicts e. Then hit f and b... tie on count 1 → LRU of them.
        lfu.request(6, &mut evicted);
        assert_eq!(evicted, [3, 4, 5]);
        lfu.request(6, &mut evicted); // f=1, b=1: b reached 1 earlier, so b is the LRU among ties
        lfu.request(7, &mut evicted);
        assert_eq!(evicted, [3, 4, 5, 2]);
    }
}
