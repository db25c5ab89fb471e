//! A queue of distinct `u64` keys with O(1) lookup, push, pop and removal by key.
//!
//! The building block of LRU and FIFO (and of ghost lists in the adaptive policies): the keys
//! linked newest-first in a [`LinkedSlab`], found through a [`TokenIndex`].

use super::linked_slab::{LinkedSlab, List};
use super::token_index::TokenIndex;

/// Distinct keys, newest at the front.
#[derive(Clone, Debug, Default)]
pub struct KeyQueue {
    /// Where each key's node is.
    index: TokenIndex,
    /// The nodes, each holding its key.
    slab: LinkedSlab<u64>,
    /// The order: head is the newest, tail the oldest.
    order: List,
}

impl KeyQueue {
    /// An empty queue with room for `capacity` keys before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            index: TokenIndex::with_capacity(capacity),
            slab: LinkedSlab::with_capacity(capacity),
            order: List::new(),
        }
    }

    /// How many keys are queued.
    pub fn len(&self) -> usize {
        self.order.len
    }

    /// Whether no key is queued.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether `key` is queued.
    pub fn contains(&self, key: u64) -> bool {
        self.index.find(&self.slab, key).is_some()
    }

    /// Moves `key` to the front if queued; returns whether it was.
    #[inline]
    pub fn move_to_front(&mut self, key: u64) -> bool {
        match self.index.find(&self.slab, key) {
            Some(token) => {
                self.slab.move_to_front(&mut self.order, token);
                true
            }
            None => false,
        }
    }

    /// Pushes a key that is not queued onto the front.
    #[inline]
    pub fn push_front(&mut self, key: u64) {
        let token = self.slab.alloc(key);
        self.slab.push_front(&mut self.order, token);
        self.index.insert(&self.slab, token);
    }

    /// Removes and returns the oldest key.
    #[inline]
    pub fn pop_back(&mut self) -> Option<u64> {
        let token = self.slab.pop_back(&mut self.order)?;
        let key = *self.slab.get(token);
        self.index.remove(&self.slab, key);
        self.slab.free(token);
        Some(key)
    }

    /// Pushes a new key onto the front and, in the same step, drops the oldest: reuses the oldest
    /// node so that a full cache's miss allocates nothing. Returns the dropped key.
    #[inline]
    pub fn replace_oldest(&mut self, key: u64) -> Option<u64> {
        let token = self.slab.pop_back(&mut self.order)?;
        let old = *self.slab.get(token);
        self.index.remove(&self.slab, old);
        *self.slab.get_mut(token) = key;
        self.slab.push_front(&mut self.order, token);
        self.index.insert(&self.slab, token);
        Some(old)
    }

    /// Removes `key`; returns whether it was queued.
    pub fn remove(&mut self, key: u64) -> bool {
        match self.index.remove(&self.slab, key) {
            Some(token) => {
                self.slab.unlink(&mut self.order, token);
                self.slab.free(token);
                true
            }
            None => false,
        }
    }

    /// The oldest key, if any.
    pub fn oldest(&self) -> Option<u64> {
        self.order.tail_key(&self.slab)
    }

    /// The keys from newest to oldest.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.slab
            .iter(&self.order)
            .map(|token| *self.slab.get(token))
    }
}

impl List {
    /// The payload of the tail node, for lists of keys.
    fn tail_key(&self, slab: &LinkedSlab<u64>) -> Option<u64> {
        (!self.is_empty()).then(|| *slab.get(self.tail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_index_in_step() {
        let mut queue = KeyQueue::with_capacity(4);
        for key in [1, 2, 3] {
            queue.push_front(key);
        }
        assert!(queue.move_to_front(1));
        assert!(!queue.move_to_front(9));
        assert_eq!(queue.iter().collect::<Vec<_>>(), [1, 3, 2]);
        assert_eq!(queue.replace_oldest(4), Some(2));
        assert!(!queue.contains(2));
        assert_eq!(queue.oldest(), Some(3));
        assert!(queue.remove(3));
        assert!(!queue.remove(3));
        assert_eq!(queue.pop_back(), Some(1));
        assert_eq!(queue.iter().collect::<Vec<_>>(), [4]);
        assert_eq!(queue.len(), 1);
    }
}
