//! Key → token lookup that stores only the 4-byte token, as quick_cache does.
//!
//! A `HashMap<u64, Token>` spends 16 bytes per slot (key, token, padding). Here the table holds
//! just the token and compares keys through the slab node, which a hit reads anyway: the index is a
//! quarter of the size, so far more of it stays in the CPU caches, and an entry costs its slab node
//! (16 to 24 bytes) plus about 5 bytes of index.

use hashbrown::HashTable;

use super::hash::hash_key as hash;
use super::linked_slab::{LinkedSlab, Token};

/// A slab payload that knows its key.
pub trait Keyed {
    /// The key this node belongs to.
    fn key(&self) -> u64;
}

impl Keyed for u64 {
    #[inline]
    fn key(&self) -> u64 {
        *self
    }
}

/// Finds the token of a key whose node lives in a [`LinkedSlab`].
#[derive(Clone, Debug, Default)]
pub struct TokenIndex {
    /// The tokens, placed by the hash of their node's key.
    table: HashTable<Token>,
}

impl TokenIndex {
    /// An empty index with room for `capacity` keys before it grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            table: HashTable::with_capacity(capacity),
        }
    }

    /// How many keys are indexed.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no key is indexed.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The token of `key`'s node, if indexed.
    #[inline]
    pub fn find<T: Keyed>(&self, slab: &LinkedSlab<T>, key: u64) -> Option<Token> {
        self.table
            .find(hash(key), |&token| slab.get(token).key() == key)
            .copied()
    }

    /// Indexes `token`, whose node must already hold its key, which must not be indexed yet.
    #[inline]
    pub fn insert<T: Keyed>(&mut self, slab: &LinkedSlab<T>, token: Token) {
        let key = slab.get(token).key();
        debug_assert!(
            self.find(slab, key).is_none(),
            "key {key} is already indexed"
        );
        self.table
            .insert_unique(hash(key), token, |&t| hash(slab.get(t).key()));
    }

    /// Unindexes `key`, whose node must still hold it; returns its token.
    #[inline]
    pub fn remove<T: Keyed>(&mut self, slab: &LinkedSlab<T>, key: u64) -> Option<Token> {
        match self
            .table
            .find_entry(hash(key), |&token| slab.get(token).key() == key)
        {
            Ok(entry) => Some(entry.remove().0),
            Err(_) => None,
        }
    }

    /// Unindexes every key.
    pub fn clear(&mut self) {
        self.table.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inserts_and_removes_through_the_slab() {
        let mut slab = LinkedSlab::default();
        let mut index = TokenIndex::with_capacity(2);
        let tokens: Vec<Token> = (0..100u64).map(|key| slab.alloc(key * 7)).collect();
        for &token in &tokens {
            index.insert(&slab, token);
        }
        assert_eq!(index.len(), 100);
        assert_eq!(index.find(&slab, 14), Some(tokens[2]));
        assert_eq!(index.find(&slab, 15), None);
        assert_eq!(index.remove(&slab, 14), Some(tokens[2]));
        assert_eq!(index.find(&slab, 14), None);
        assert_eq!(index.remove(&slab, 14), None);
        assert_eq!(index.len(), 99);
    }
}
