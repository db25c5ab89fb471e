//! Resident keys packed densely in an array, so that a uniformly random one is one draw away.
//!
//! Random eviction and Redis-style sampling need "pick a resident key at random" in O(1); a hash
//! map cannot do that, an array with swap-removal can. Each key carries a little metadata `T`.

use super::hash::{IdMap, id_map_with_capacity};

/// Distinct keys with metadata, in no particular order, with O(1) insert, removal and sampling.
#[derive(Clone, Debug, Default)]
pub struct DenseKeys<T> {
    /// Keys and their metadata, packed.
    slots: Vec<(u64, T)>,
    /// Where each key sits in `slots`.
    index: IdMap<usize>,
}

impl<T> DenseKeys<T> {
    /// An empty set with room for `capacity` keys before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Vec::with_capacity(capacity),
            index: id_map_with_capacity(capacity),
        }
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: u64) -> bool {
        self.index.contains_key(&key)
    }

    /// The metadata of `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: u64) -> Option<&mut T> {
        let &slot = self.index.get(&key)?;
        Some(&mut self.slots[slot].1)
    }

    /// The key and metadata at `slot` (`0..len()`), e.g. a random one.
    pub fn at(&self, slot: usize) -> (u64, &T) {
        let (key, meta) = &self.slots[slot];
        (*key, meta)
    }

    /// Adds a key that is not present.
    pub fn insert(&mut self, key: u64, meta: T) {
        let previous = self.index.insert(key, self.slots.len());
        debug_assert!(previous.is_none(), "key {key} was already present");
        self.slots.push((key, meta));
    }

    /// Removes `key`, returning its metadata: the last key moves into its slot.
    pub fn remove(&mut self, key: u64) -> Option<T> {
        let slot = self.index.remove(&key)?;
        let (_, meta) = self.slots.swap_remove(slot);
        if let Some(&(moved, _)) = self.slots.get(slot) {
            self.index.insert(moved, slot);
        }
        Some(meta)
    }

    /// Every key with its metadata, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.slots.iter().map(|(key, meta)| (*key, meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_removal_keeps_the_index_right() {
        let mut keys = DenseKeys::with_capacity(4);
        for key in [10, 20, 30] {
            keys.insert(key, key * 2);
        }
        assert_eq!(keys.remove(10), Some(20));
        assert_eq!(keys.remove(10), None);
        assert_eq!(keys.at(0), (30, &60));
        *keys.get_mut(30).unwrap() += 1;
        assert_eq!(keys.remove(30), Some(61));
        assert_eq!(keys.iter().collect::<Vec<_>>(), [(20, &40)]);
    }
}
