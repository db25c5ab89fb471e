//! Numbers a trace's byte-string keys 0, 1, 2, … in order of first appearance.
//!
//! The text and CSV readers call it once per line, so it is built for speed (`cargo bench --bench
//! trace_parse`; figures in that file):
//! - No allocation per key or per line: keys up to 20 bytes (most trace keys) live in their slot,
//!   so a lookup that finds its slot needs no other memory; longer keys are copied once into one
//!   arena.
//! - The table is open addressing with linear probing over 32-byte slots (hash, number, length,
//!   bytes) aligned so that none straddles two cache lines, at most three quarters full (half
//!   full, it faulted in twice the fresh memory, which the kernel's page clearing made the
//!   costlier choice on this machine: 20M lines over 5M keys read 12% faster). Growing it places
//!   slots by their stored hash and never rereads the keys.
//! - Keys are looked up in batches ([`KeyNumbers::number_batch`]): first every key's hash, then a
//!   touch of every key's home slot (and the next), then the lookups. The touches do not wait for
//!   each other or for a branch, so their cache misses overlap; with millions of distinct keys
//!   the table outgrows the caches, and one key at a time waits for each miss in turn. That is
//!   what a hand-written table buys over hashbrown's, which does not say where a key's slot is.
//!
//! The lookups themselves run one at a time and in order, so numbers follow first appearance.

use super::hash::hash_bytes;

/// The longest key held in its slot; longer keys keep their first [`PREFIX`] bytes there and the
/// rest of the slot says where they are in the arena.
const INLINE: usize = 20;

/// The bytes of a long key kept in its slot.
const PREFIX: usize = 16;

/// One slot (32 bytes, two to a cache line, aligned so that none straddles two): a distinct key's
/// hash, number, length and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(32))]
struct Slot {
    /// The low 32 bits of the key's hash: they place it, and are compared before the bytes.
    hash: u32,
    /// The key's number; [`EMPTY`] for a free slot.
    number: u32,
    /// The key's length in bytes.
    len: u32,
    /// A key of at most [`INLINE`] bytes, zero-padded; or a longer key's first [`PREFIX`]
    /// bytes followed by its place in the arena (a little-endian `u32`).
    bytes: [u8; INLINE],
}

/// The number of a free slot (numbers stop below it).
const EMPTY: u32 = u32::MAX;

const FREE: Slot = Slot {
    hash: 0,
    number: EMPTY,
    len: 0,
    bytes: [0; INLINE],
};

/// What a slot holding `key` has in its `bytes` (a long key's place in the arena not included).
#[inline]
fn slot_bytes(key: &[u8]) -> [u8; INLINE] {
    let mut bytes = [0; INLINE];
    let kept = if key.len() <= INLINE { INLINE } else { PREFIX };
    for (slot, &byte) in bytes.iter_mut().zip(key).take(kept) {
        *slot = byte;
    }
    bytes
}

/// Whether two byte strings of the same length, at most [`INLINE`] bytes, are equal: compared a
/// word at a time by fixed-size loads that may overlap (the first and last 8, 4 or 1 bytes, and
/// the middle 8 past 16), as hash functions read short keys, instead of a `memcmp` call per lookup
/// (7% of a profile of reading 20M lines).
#[inline]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
        bytes
            .get(at..at + N)
            .and_then(|word| word.try_into().ok())
            .unwrap_or([0; N])
    }
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        0 => true,
        1..4 => a.first() == b.first() && a.get(len / 2) == b.get(len / 2) && a.last() == b.last(),
        4..8 => {
            word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, len - 4) == word::<4>(b, len - 4)
        }
        _ => {
            word::<8>(a, 0) == word::<8>(b, 0)
                && word::<8>(a, len - 8) == word::<8>(b, len - 8)
                && (len <= 16 || word::<8>(a, 8) == word::<8>(b, 8))
        }
    }
}

impl Slot {
    /// A long key's place in the arena.
    #[inline]
    fn start(&self) -> usize {
        let mut start = [0; 4];
        start.copy_from_slice(&self.bytes[PREFIX..]);
        u32::from_le_bytes(start) as usize
    }

    /// Whether the key is kept in the arena (it is longer than [`INLINE`]).
    #[inline]
    fn is_long(&self) -> bool {
        self.len as usize > INLINE
    }
}

/// Keys looked up together by [`KeyNumbers::number_batch`]: enough loads in flight to cover a
/// miss's latency, few enough to stay in registers and L1.
pub const BATCH: usize = 32;

/// The most distinct keys numbered: the table then has 2²⁵ slots, 1 GiB, and grows no further.
pub const MAX_KEYS: usize = 1 << 24;

/// Too many keys: more than [`MAX_KEYS`], or their bytes past 4 GiB, which a slot cannot address
/// (a trace read whole is at most [`super::trace::MAX_TRACE_BYTES`], 1 GiB, so it never is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyKeys;

/// Distinct keys and their numbers.
#[derive(Clone, Debug)]
pub struct KeyNumbers {
    /// A power of two of slots, at most three quarters of them used.
    slots: Vec<Slot>,
    /// How many slots are used.
    len: usize,
    /// The distinct keys' bytes, end to end.
    arena: Vec<u8>,
    /// The most keys it numbers.
    max_keys: usize,
}

impl Default for KeyNumbers {
    fn default() -> Self {
        Self::with_max_keys(MAX_KEYS)
    }
}

/// The low 32 bits of `key`'s hash.
#[inline]
fn hash32(key: &[u8]) -> u32 {
    hash_bytes(key) as u32
}

impl KeyNumbers {
    /// A table that numbers at most `max_keys` keys (at most [`MAX_KEYS`]).
    pub fn with_max_keys(max_keys: usize) -> Self {
        Self {
            slots: vec![FREE; 16],
            len: 0,
            arena: Vec::new(),
            max_keys: max_keys.min(MAX_KEYS),
        }
    }

    /// How many distinct keys have been numbered.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no key has been numbered.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot mask: slots are indexed by the hash's low bits.
    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Whether `slot` holds `key`, whose hash is `hash` and slot bytes `bytes`.
    #[inline]
    fn holds(&self, slot: &Slot, hash: u32, key: &[u8]) -> bool {
        if slot.hash != hash || slot.number == EMPTY || slot.len as usize != key.len() {
            return false;
        }
        if !slot.is_long() {
            return slot
                .bytes
                .get(..key.len())
                .is_some_and(|stored| same_short(stored, key));
        }
        slot.bytes.get(..PREFIX) == key.get(..PREFIX)
            && self
                .arena
                .get(slot.start()..)
                .and_then(|rest| rest.get(..key.len()))
                .is_some_and(|stored| stored == key)
    }

    /// `key`'s number: the one it was given when first seen, or the next one.
    pub fn number(&mut self, key: &[u8]) -> Result<u64, TooManyKeys> {
        self.number_hashed(key, hash32(key))
    }

    fn number_hashed(&mut self, key: &[u8], hash: u32) -> Result<u64, TooManyKeys> {
        let mask = self.mask();
        let mut index = hash as usize & mask;
        loop {
            let slot = self.slots.get(index).copied().unwrap_or(FREE);
            if slot.number == EMPTY {
                return self.insert(index, key, hash);
            }
            if self.holds(&slot, hash, key) {
                return Ok(u64::from(slot.number));
            }
            index = (index + 1) & mask;
        }
    }

    /// Gives `key` the next number, in the free slot `index`.
    fn insert(&mut self, index: usize, key: &[u8], hash: u32) -> Result<u64, TooManyKeys> {
        let mut bytes = slot_bytes(key);
        let len = u32::try_from(key.len()).map_err(|_| TooManyKeys)?;
        if self.len >= self.max_keys {
            return Err(TooManyKeys);
        }
        let number = u32::try_from(self.len).map_err(|_| TooManyKeys)?;
        if key.len() > INLINE {
            let start = u32::try_from(self.arena.len()).map_err(|_| TooManyKeys)?;
            start.checked_add(len).ok_or(TooManyKeys)?;
            bytes[PREFIX..].copy_from_slice(&start.to_le_bytes());
            self.arena.extend_from_slice(key);
        }
        if let Some(free) = self.slots.get_mut(index) {
            *free = Slot {
                hash,
                number,
                len,
                bytes,
            };
        }
        self.len += 1;
        if self.len * 4 > self.slots.len() * 3 {
            self.grow();
        }
        Ok(u64::from(number))
    }

    /// Doubles the slots, placing each key again by its stored hash.
    fn grow(&mut self) {
        let doubled = vec![FREE; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.mask();
        for slot in old.into_iter().filter(|slot| slot.number != EMPTY) {
            let mut index = slot.hash as usize & mask;
            while self.slots.get(index).is_some_and(|s| s.number != EMPTY) {
                index = (index + 1) & mask;
            }
            if let Some(free) = self.slots.get_mut(index) {
                *free = slot;
            }
        }
    }

    /// Appends the numbers of `keys` to `numbers`, as [`Self::number`] one after another would,
    /// [`BATCH`] keys at a time with their memory accesses overlapped.
    pub fn number_batch(
        &mut self,
        keys: &[&[u8]],
        numbers: &mut Vec<u64>,
    ) -> Result<(), TooManyKeys> {
        keys.chunks(BATCH)
            .try_for_each(|batch| self.number_one_batch(batch, numbers))
    }

    /// [`Self::number_batch`] for at most [`BATCH`] keys.
    fn number_one_batch(
        &mut self,
        keys: &[&[u8]],
        numbers: &mut Vec<u64>,
    ) -> Result<(), TooManyKeys> {
        let mut hashes = [0u32; BATCH];
        for (hash, key) in hashes.iter_mut().zip(keys) {
            *hash = hash32(key);
        }
        // Touch every key's home slot, then every long key's bytes, before looking any key up:
        // these loads do not wait for each other or for a branch, so their cache misses overlap,
        // and the lookups below find what they read cached.
        let mask = self.mask();
        let mut touched = 0u32;
        for &hash in &hashes[..keys.len()] {
            let home = hash as usize & mask;
            // The next slot too: a third of lookups probe past their home, often into the next
            // cache line.
            for index in [home, (home + 1) & mask] {
                touched ^= self.slots.get(index).map_or(0, |slot| slot.number);
            }
        }
        for &hash in &hashes[..keys.len()] {
            if let Some(slot) = self.slots.get(hash as usize & mask)
                && slot.hash == hash
                && slot.is_long()
            {
                touched ^= u32::from(self.arena.get(slot.start()).copied().unwrap_or(0));
            }
        }
        std::hint::black_box(touched);
        for (key, &hash) in keys.iter().zip(&hashes) {
            numbers.push(self.number_hashed(key, hash)?);
        }
        Ok(())
    }

    /// Checks the table's invariants (for tests): every key is reachable from its home slot, the
    /// numbers are 0..len, and the keys' bytes tile the arena in number order.
    pub fn validate(&self) -> Result<(), String> {
        let mask = self.mask();
        let mut by_number: Vec<Option<Slot>> = vec![None; self.len];
        for (index, slot) in self.slots.iter().enumerate() {
            if slot.number == EMPTY {
                continue;
            }
            let mut probe = slot.hash as usize & mask;
            while probe != index {
                if self.slots.get(probe).is_none_or(|s| s.number == EMPTY) {
                    return Err(format!("slot {index} is cut off from its home slot"));
                }
                probe = (probe + 1) & mask;
            }
            match by_number.get_mut(slot.number as usize) {
                Some(seen @ None) => *seen = Some(*slot),
                _ => {
                    return Err(format!(
                        "number {} is out of range or repeated",
                        slot.number
                    ));
                }
            }
        }
        let mut end = 0;
        for slot in by_number.iter().flatten() {
            let key = if slot.is_long() {
                let key = self
                    .arena
                    .get(slot.start()..slot.start() + slot.len as usize)
                    .ok_or("a key lies past the arena")?;
                if slot.start() != end {
                    return Err(format!("key number {} is misplaced", slot.number));
                }
                end += key.len();
                key
            } else {
                &slot.bytes[..slot.len as usize]
            };
            let mut expected = slot_bytes(key);
            if slot.is_long() {
                expected[PREFIX..].copy_from_slice(&slot.bytes[PREFIX..]);
            }
            if hash32(key) != slot.hash || expected != slot.bytes {
                return Err(format!(
                    "key number {} does not match its slot",
                    slot.number
                ));
            }
        }
        if by_number.iter().any(Option::is_none) || end != self.arena.len() {
            return Err("the numbers or the arena have gaps".to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn numbers_follow_first_appearance_like_a_map_does_one_by_one_and_in_batches() {
        let mut one_by_one = KeyNumbers::default();
        let mut batched = KeyNumbers::default();
        let mut reference: HashMap<Vec<u8>, u64> = HashMap::new();
        let mut state = 7u64;
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Short and long keys, the empty key, and keys that are prefixes of others.
            let len = (state >> 58) as usize % 48;
            let key: Vec<u8> = format!("{:x}", state >> 52)
                .bytes()
                .cycle()
                .take(len)
                .collect();
            keys.push(key);
        }
        let mut expected = Vec::new();
        for key in &keys {
            let next = reference.len() as u64;
            expected.push(*reference.entry(key.clone()).or_insert(next));
            assert_eq!(one_by_one.number(key), Ok(*expected.last().unwrap()));
        }
        let mut numbers = Vec::new();
        for chunk in keys.chunks(BATCH) {
            let slices: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
            batched.number_batch(&slices, &mut numbers).unwrap();
        }
        assert_eq!(numbers, expected);
        assert_eq!(one_by_one.len(), reference.len());
        assert_eq!(batched.len(), reference.len());
        one_by_one.validate().unwrap();
        batched.validate().unwrap();
    }

    #[test]
    fn short_keys_compare_equal_exactly_when_every_byte_does() {
        let base: Vec<u8> = (1..=INLINE as u8).collect();
        for len in 0..=INLINE {
            let a = &base[..len];
            assert!(same_short(a, a));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x40;
                assert!(!same_short(a, &b), "length {len}, byte {at}");
            }
            if len > 0 {
                assert!(!same_short(a, &base[..len - 1]));
            }
        }
    }

    #[test]
    fn a_full_table_refuses_the_next_new_key_but_still_numbers_known_ones() {
        let mut numbers = KeyNumbers::with_max_keys(3);
        for key in [b"a", b"b", b"c", b"a"] {
            assert!(numbers.number(key).is_ok());
        }
        assert_eq!(numbers.number(b"d"), Err(TooManyKeys));
        assert_eq!(numbers.number(b"b"), Ok(1));
        let mut out = Vec::new();
        assert_eq!(
            numbers.number_batch(&[b"c", b"e"], &mut out),
            Err(TooManyKeys)
        );
        numbers.validate().unwrap();
        // The real cap keeps the table at 2^25 slots (1 GiB): it never grows past 3/4 full.
        assert_eq!(KeyNumbers::default().max_keys * 2, 1 << 25);
    }
}
