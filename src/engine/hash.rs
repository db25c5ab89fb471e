//! A fast, fixed (unseeded) hash for `u64` keys.
//!
//! Fixed so that runs are reproducible; policies never let map iteration order decide anything, but
//! a fixed hash also keeps memory layout, and so timing, the same from run to run. Trace keys are
//! often small consecutive integers, so the hash must spread both the low bits (bucket index) and
//! the high bits (hashbrown's tag byte): a folded 64×64→128 multiply does both.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// How a [`WordHasher`] mixes each word into its state.
pub trait Mix: Copy + Default {
    /// The new state after `value`.
    fn mix(state: u64, value: u64) -> u64;
}

/// Hashes `u64` words (a key, or a few small integers) with the mix `M`.
#[derive(Clone, Copy, Default)]
pub struct WordHasher<M> {
    /// The running state.
    state: u64,
    mix: std::marker::PhantomData<M>,
}

/// An odd constant with well-mixed bits (the golden ratio's fractional part).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

impl<M: Mix> Hasher for WordHasher<M> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.state = M::mix(self.state, value);
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.state
    }
}

/// The folded multiply: the 128-bit product's halves, xored.
#[derive(Clone, Copy, Default)]
pub struct Folded;

impl Mix for Folded {
    #[inline]
    fn mix(state: u64, value: u64) -> u64 {
        let product = u128::from(state ^ value) * u128::from(MULTIPLIER);
        (product as u64) ^ ((product >> 64) as u64)
    }
}

/// One 64-bit multiply, its high bits folded down (for the bucket index; the top bits are the
/// tag).
#[derive(Clone, Copy, Default)]
pub struct Shifted;

impl Mix for Shifted {
    #[inline]
    fn mix(state: u64, value: u64) -> u64 {
        let product = (state ^ value).wrapping_mul(MULTIPLIER);
        product ^ (product >> 29)
    }
}

/// The hash of [`hash_key`] and [`hash_bytes`], the same on every platform.
pub type IdHasher = WordHasher<Folded>;

/// The hasher of [`IdMap`] and [`IdSet`]: [`IdHasher`] natively. In wasm32 a 128-bit product is a
/// library call, so the maps there hash with [`Shifted`] instead. Only the maps' layout differs:
/// nothing reads their order, and [`hash_key`] (which the frequency sketch's counts depend on) is
/// the same everywhere.
#[cfg(not(target_arch = "wasm32"))]
pub type MapHasher = IdHasher;

/// See the native [`MapHasher`].
#[cfg(target_arch = "wasm32")]
pub type MapHasher = WordHasher<Shifted>;

/// The hasher builder for [`IdMap`] and [`IdSet`].
pub type BuildIdHasher = BuildHasherDefault<MapHasher>;

/// A hash map from `u64` keys using [`IdHasher`].
pub type IdMap<V> = HashMap<u64, V, BuildIdHasher>;

/// A hash set of `u64` keys using [`IdHasher`].
pub type IdSet = HashSet<u64, BuildIdHasher>;

/// The [`IdHasher`] hash of one key, for tables that hash keys themselves.
#[inline]
pub fn hash_key(key: u64) -> u64 {
    let mut hasher = IdHasher::default();
    hasher.write_u64(key);
    hasher.finish()
}

/// A fixed hash of a byte string (a trace's key), for tables that hash keys themselves: 8 bytes
/// at a time through the same folded multiply, seeded with the length so that `a` and `a\0`
/// differ.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = IdHasher::default();
    hasher.write_u64(bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        hasher.write_u64(u64::from_le_bytes(word.try_into().unwrap_or_default()));
    }
    // The last 1 to 7 bytes as one word without a copy (a variable-length copy stalls the
    // load that follows it), as wyhash reads them: with the length mixed in above, these words
    // tell every tail apart.
    let rest = words.remainder();
    let tail = match rest {
        [] => None,
        [a, b, c, d, ..] => {
            let head = u32::from_le_bytes([*a, *b, *c, *d]);
            let last = rest.len() - 4;
            let end = rest.get(last..).map_or(0, |end| {
                u32::from_le_bytes([end[0], end[1], end[2], end[3]])
            });
            Some(u64::from(head) << 32 | u64::from(end))
        }
        [first, ..] => {
            let middle = rest[rest.len() / 2];
            let last = rest[rest.len() - 1];
            Some(u64::from(*first) << 16 | u64::from(middle) << 8 | u64::from(last))
        }
    };
    if let Some(word) = tail {
        hasher.write_u64(word);
    }
    // One more round, so the last word's bits reach the top byte (hashbrown's tag) too.
    hasher.write_u64(MULTIPLIER);
    hasher.finish()
}

/// An empty [`IdMap`] with room for `capacity` entries.
pub fn id_map_with_capacity<V>(capacity: usize) -> IdMap<V> {
    HashMap::with_capacity_and_hasher(capacity, BuildIdHasher::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn consecutive_keys_spread_over_low_and_high_bits() {
        let build = BuildIdHasher::default();
        let low: IdSet = (0..1024u64).map(|k| build.hash_one(k) & 1023).collect();
        let high: IdSet = (0..1024u64).map(|k| build.hash_one(k) >> 57).collect();
        // A perfect spread would fill 1024 low buckets and all 128 tags; ask for most of them.
        assert!(
            low.len() > 600,
            "low bits fill {} of 1024 buckets",
            low.len()
        );
        assert_eq!(high.len(), 128);
    }

    #[test]
    fn the_wasm_maps_hash_spreads_consecutive_keys_too() {
        let build = BuildHasherDefault::<WordHasher<Shifted>>::default();
        let low: IdSet = (0..1024u64).map(|k| build.hash_one(k) & 1023).collect();
        let high: IdSet = (0..1024u64).map(|k| build.hash_one(k) >> 57).collect();
        assert!(low.len() > 600, "low bits fill {} of 1024", low.len());
        assert_eq!(high.len(), 128);
    }

    #[test]
    fn byte_keys_of_a_trace_spread_and_differ_by_length() {
        let keys: Vec<String> = (0..1024).map(|k| format!("obj:{k:07}")).collect();
        let low: IdSet = keys
            .iter()
            .map(|k| hash_bytes(k.as_bytes()) & 1023)
            .collect();
        let high: IdSet = keys
            .iter()
            .map(|k| hash_bytes(k.as_bytes()) >> 57)
            .collect();
        assert!(low.len() > 600, "low bits fill {} of 1024", low.len());
        assert_eq!(high.len(), 128);
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"a\0"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }
}
