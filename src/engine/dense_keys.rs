//! Resident keys packed densely in an array, so that a uniformly random one is one draw away.
//!
//! Random eviction and Redis-style sampling need "pick a resident key at random" in O(1); a hash
//! map cannot do that, an array with swap-removal can. Each key carries a little metadata `T`.

use hashbrown::HashTable;

use super::hash::hash_key as hash;

/// Distinct keys with metadata, in no particular order, with O(1) insert, removal and sampling.
#[derive(Clone, Debug)]
pub struct DenseKeys<T> {
    /// Keys and their metadata, packed.
    slots: Vec<(u64, T)>,
    /// Each key's position in `slots`, found by comparing through `slots` (4 bytes a key).
    index: HashTable<u32>,
}

impl<T> Default for DenseKeys<T> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<T> DenseKeys<T> {
    /// An empty set with room for `capacity` keys before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Vec::with_capacity(capacity),
            index: HashTable::with_capacity(capacity),
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

    /// The position of `key` in `slots`.
    #[inline]
    fn position(&self, key: u64) -> Option<usize> {
        let slots = &self.slots;
        self.index
            .find(hash(key), |&slot| slots[slot as usize].0 == key)
            .map(|&slot| slot as usize)
    }

    /// Whether `key` is present.
    #[inline]
    pub fn contains(&self, key: u64) -> bool {
        self.position(key).is_some()
    }

    /// The metadata of `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: u64) -> Option<&mut T> {
        let slot = self.position(key)?;
        Some(&mut self.slots[slot].1)
    }

    /// The key and metadata at `slot` (`0..len()`), e.g. a random one.
    pub fn at(&self, slot: usize) -> (u64, &T) {
        let (key, meta) = &self.slots[slot];
        (*key, meta)
    }

    /// Adds a key that is not present.
    pub fn insert(&mut self, key: u64, meta: T) {
        debug_assert!(!self.contains(key), "key {key} was already present");
        let slot = u32::try_from(self.slots.len()).expect("at most u32::MAX keys");
        self.slots.push((key, meta));
        let slots = &self.slots;
        self.index
            .insert_unique(hash(key), slot, |&s| hash(slots[s as usize].0));
    }

    /// Removes `key`, returning its metadata: the last key moves into its slot.
    pub fn remove(&mut self, key: u64) -> Option<T> {
        let slots = &self.slots;
        let entry = self
            .index
            .find_entry(hash(key), |&slot| slots[slot as usize].0 == key)
            .ok()?;
        let slot = entry.remove().0 as usize;
        let last = self.slots.len() - 1;
        if slot != last {
            // Re-point the last key's index entry at the slot it is about to move into.
            let moved = self.slots[last].0;
            let slots = &self.slots;
            if let Some(position) = self
                .index
                .find_mut(hash(moved), |&s| slots[s as usize].0 == moved)
            {
                *position = slot as u32;
            }
        }
        Some(self.slots.swap_remove(slot).1)
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
