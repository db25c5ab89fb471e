//! A queue of distinct `u64` keys with O(1) lookup, push, pop and removal by key.
//!
//! The building block of LRU and FIFO (and of ghost lists in the adaptive policies): a hash map
//! from key to token, and the keys linked newest-first in a [`LinkedSlab`].

use super::hash::{IdMap, id_map_with_capacity};
use super::linked_slab::{LinkedSlab, List, Token};

/// Distinct keys, newest at the front.
#[derive(Clone, Debug, Default)]
pub struct KeyQueue {
    /// Where each key's node is.
    index: IdMap<Token>,
    /// The nodes, each holding its key.
    slab: LinkedSlab<u64>,
    /// The order: head is the newest, tail the oldest.
    order: List,
}

impl KeyQueue {
    /// An empty queue with room for `capacity` keys before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            index: id_map_with_capacity(capacity),
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
        self.index.contains_key(&key)
    }

    /// Moves `key` to the front if queued; returns whether it was.
    #[inline]
    pub fn move_to_front(&mut self, key: u64) -> bool {
        match self.index.get(&key) {
            Some(&token) => {
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
        let previous = self.index.insert(key, token);
        debug_assert!(previous.is_none(), "key {key} was already queued");
    }

    /// Removes and returns the oldest key.
    #[inline]
    pub fn pop_back(&mut self) -> Option<u64> {
        let token = self.slab.pop_back(&mut self.order)?;
        let key = *self.slab.get(token);
        self.slab.free(token);
        self.index.remove(&key);
        Some(key)
    }

    /// Pushes a new key onto the front and, in the same step, drops the oldest: reuses the oldest
    /// node so that a full cache's miss allocates nothing. Returns the dropped key.
    #[inline]
    pub fn replace_oldest(&mut self, key: u64) -> Option<u64> {
        let token = self.slab.pop_back(&mut self.order)?;
        let old = std::mem::replace(self.slab.get_mut(token), key);
        self.index.remove(&old);
        self.slab.push_front(&mut self.order, token);
        self.index.insert(key, token);
        Some(old)
    }

    /// Removes `key`; returns whether it was queued.
    pub fn remove(&mut self, key: u64) -> bool {
        match self.index.remove(&key) {
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
