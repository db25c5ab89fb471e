//! Caches counted in bytes: every request carries its object's size, and a cache holds objects
//! while their sizes add up to at most its capacity.
//!
//! The rules are libCacheSim's (`cache_get_base` in `cache.c`), which the trace simulators people
//! compare against share:
//! - a hit is a hit whatever size the request gives (the size cached is the one first admitted);
//! - an object larger than the whole cache is a miss and is never admitted;
//! - otherwise, on a miss, the policy evicts by its own order until the object fits, then caches it.
//!
//! [`ByteBudget`] applies them to any policy whose order does not depend on its capacity
//! ([`EvictNext`]: lru, fifo, lfu, clock, sieve, redis-lru, random); OPT, ARC, S3-FIFO and
//! W-TinyLFU have their own byte forms (see their files).

use std::fmt;

use super::{
    Arc, Capacity, Clock, EvictNext, Fifo, Lfu, Lru, NextUse, Policy, PolicyKind, PolicyOptions,
    RandomEviction, RedisLru, S3Fifo, Sieve,
};
use crate::engine::hash::{IdMap, id_map_with_capacity};

/// A cache size in bytes: at least 1, at most [`ByteCapacity::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteCapacity(u64);

/// Why a requested byte capacity was not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteCapacityError {
    /// Zero bytes: nothing could ever be cached.
    Zero,
    /// More than [`ByteCapacity::MAX`] bytes.
    TooLarge(u128),
}

impl fmt::Display for ByteCapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByteCapacityError::Zero => {
                f.write_str("a cache size of 0 bytes cannot hold anything; use at least 1")
            }
            ByteCapacityError::TooLarge(n) => write!(
                f,
                "a cache size of {n} bytes is larger than the supported maximum of {} (1 EiB)",
                ByteCapacity::MAX
            ),
        }
    }
}

impl std::error::Error for ByteCapacityError {}

impl ByteCapacity {
    /// The largest capacity, 2^60 bytes: more than any trace's working set (at most 2^27 distinct
    /// keys of at most 4 GiB each), and far enough from `u64::MAX` that the bytes resident plus
    /// one object's size cannot overflow.
    pub const MAX: u64 = 1 << 60;

    /// The smallest capacity, 1 byte.
    pub const MIN: ByteCapacity = ByteCapacity(1);

    /// A capacity of `bytes`, or why it is not usable.
    pub fn new(bytes: u128) -> Result<Self, ByteCapacityError> {
        match bytes {
            0 => Err(ByteCapacityError::Zero),
            n if n > u128::from(Self::MAX) => Err(ByteCapacityError::TooLarge(n)),
            n => Ok(Self(n as u64)),
        }
    }

    /// The number of bytes.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// A policy driven with object sizes, its capacity counted in bytes.
pub trait BytePolicy: Send {
    /// Which policy this is.
    fn kind(&self) -> PolicyKind;

    /// The most bytes resident at once.
    fn capacity(&self) -> ByteCapacity;

    /// The bytes resident now (the sizes the resident objects were admitted with).
    fn used(&self) -> u64;

    /// How many objects are resident.
    fn len(&self) -> usize;

    /// Whether no object is resident.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One request for `key`, an object of `size` bytes (0 counts as 1: every object takes room).
    /// Returns whether it hit. On a miss the object is cached if it fits in the whole cache and the
    /// policy admits it; every key evicted for it is pushed onto `evicted`.
    fn request(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) -> bool;

    /// [`super::Policy::see_future`] for a cache counted in bytes.
    fn see_future(&mut self, _future: &super::NextUse) {}
}

/// Bytes resident and each resident object's size: the bookkeeping every byte form shares.
#[derive(Clone, Debug)]
pub(crate) struct Occupancy {
    /// The most bytes resident.
    capacity: u64,
    /// The bytes resident.
    pub(crate) used: u64,
    /// Each resident key's size as admitted.
    sizes: IdMap<u32>,
}

impl Occupancy {
    pub(crate) fn new(capacity: ByteCapacity) -> Self {
        Self {
            capacity: capacity.get(),
            used: 0,
            sizes: id_map_with_capacity(1024),
        }
    }

    pub(crate) fn capacity(&self) -> ByteCapacity {
        ByteCapacity(self.capacity)
    }

    /// Whether an object of `size` bytes could ever be resident.
    pub(crate) fn can_hold(&self, size: u64) -> bool {
        size <= self.capacity
    }

    /// Bytes that must be freed before `size` more fit.
    pub(crate) fn shortfall(&self, size: u64) -> u64 {
        (self.used + size).saturating_sub(self.capacity)
    }

    /// The size `key` was admitted with (0 if it is not resident).
    pub(crate) fn size_of(&self, key: u64) -> u64 {
        self.sizes.get(&key).map_or(0, |&size| u64::from(size))
    }

    pub(crate) fn admit(&mut self, key: u64, size: u64) {
        // Sizes come from a u32 (at least 1), so the conversion back is exact.
        self.sizes.insert(key, size.min(u64::from(u32::MAX)) as u32);
        self.used += size;
    }

    pub(crate) fn depart(&mut self, key: u64) {
        if let Some(size) = self.sizes.remove(&key) {
            self.used -= u64::from(size);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.sizes.len()
    }
}

/// An [`EvictNext`] policy counted in bytes: on a miss it evicts by the policy's own order until the
/// object fits. The policy itself is given room for every entry, so it never evicts on its own.
#[derive(Clone, Debug)]
pub struct ByteBudget<P> {
    policy: P,
    occupancy: Occupancy,
}

impl<P: EvictNext> ByteBudget<P> {
    /// An empty cache of `capacity` bytes over `policy`, which must be empty and sized for as many
    /// entries as may ever be resident ([`Capacity::MAX`]: see [`PolicyKind::build_in_bytes`]).
    pub fn new(policy: P, capacity: ByteCapacity) -> Self {
        Self {
            policy,
            occupancy: Occupancy::new(capacity),
        }
    }

    /// The policy inside, to inspect.
    pub fn policy(&self) -> &P {
        &self.policy
    }
}

impl<P: EvictNext> BytePolicy for ByteBudget<P> {
    fn kind(&self) -> PolicyKind {
        self.policy.kind()
    }

    fn capacity(&self) -> ByteCapacity {
        self.occupancy.capacity()
    }

    fn used(&self) -> u64 {
        self.occupancy.used
    }

    fn len(&self) -> usize {
        self.policy.len()
    }

    #[inline]
    fn request(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) -> bool {
        if self.policy.touch(key) {
            return true;
        }
        let size = u64::from(size.max(1));
        if !self.occupancy.can_hold(size) {
            return false;
        }
        while self.occupancy.shortfall(size) > 0 {
            let Some(victim) = self.policy.evict_next() else {
                break;
            };
            self.occupancy.depart(victim);
            evicted.push(victim);
        }
        let before = evicted.len();
        self.policy.insert(key, evicted);
        // Only past Capacity::MAX resident entries would the policy evict by count; its victims
        // then leave the bytes too.
        for index in before..evicted.len() {
            if let Some(&victim) = evicted.get(index) {
                self.occupancy.depart(victim);
            }
        }
        self.occupancy.admit(key, size);
        false
    }
}

/// A policy whose lists are weighed in the same code in both units: every weight 1 counted in
/// entries, object sizes counted in bytes (ARC, S3-FIFO).
pub trait Weighed: Policy {
    /// The capacity, in the policy's unit.
    fn weight_capacity(&self) -> u64;
    /// The weight resident.
    fn resident_weight(&self) -> u64;
    /// A miss of `key` weighing `size`, which fits in the capacity: evicts until it fits, then
    /// caches it (or leaves it out, if the policy so decides).
    fn admit_weighed(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>);
}

/// Implements [`Weighed`] for a policy with a `capacity: u64` field and `resident()` and
/// `admit(key, size, evicted)` methods, as ARC, S3-FIFO and W-TinyLFU have: each is the same code
/// in both units.
macro_rules! weighed_by_its_own_code {
    ($policy:ty) => {
        impl $crate::engine::policy::Weighed for $policy {
            fn weight_capacity(&self) -> u64 {
                self.capacity
            }

            fn resident_weight(&self) -> u64 {
                self.resident()
            }

            fn admit_weighed(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) {
                self.admit(key, size, evicted);
            }
        }
    };
}
pub(crate) use weighed_by_its_own_code;

/// A [`Weighed`] policy built in bytes, driven with object sizes.
#[derive(Clone, Debug)]
pub struct InBytes<P>(P);

impl<P: Weighed> InBytes<P> {
    /// `policy`, which must have been built with a capacity in bytes.
    pub(crate) fn new(policy: P) -> Self {
        Self(policy)
    }

    /// The policy inside, to inspect.
    pub fn policy(&self) -> &P {
        &self.0
    }
}

impl<P: Weighed> BytePolicy for InBytes<P> {
    fn kind(&self) -> PolicyKind {
        self.0.kind()
    }

    fn capacity(&self) -> ByteCapacity {
        // Built from a ByteCapacity, so within its range.
        ByteCapacity::new(u128::from(self.0.weight_capacity())).unwrap_or(ByteCapacity::MIN)
    }

    fn used(&self) -> u64 {
        self.0.resident_weight()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn request(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) -> bool {
        if self.0.touch(key) {
            return true;
        }
        let size = size.max(1);
        if u64::from(size) <= self.0.weight_capacity() {
            self.0.admit_weighed(key, size, evicted);
        }
        false
    }
}

impl PolicyKind {
    /// A new, empty policy of this kind counted in bytes, for replaying the trace whose next uses
    /// are `future` (only `opt` reads it).
    pub fn build_in_bytes(
        self,
        capacity: ByteCapacity,
        options: &PolicyOptions,
        future: &NextUse,
    ) -> Box<dyn BytePolicy> {
        let entries = Capacity::MAX;
        match self {
            PolicyKind::Lru => Box::new(ByteBudget::new(Lru::new(entries), capacity)),
            PolicyKind::Fifo => Box::new(ByteBudget::new(Fifo::new(entries), capacity)),
            PolicyKind::Lfu => Box::new(ByteBudget::new(Lfu::new(entries), capacity)),
            PolicyKind::Clock => Box::new(ByteBudget::new(
                Clock::with_bits(entries, options.clock_bits),
                capacity,
            )),
            PolicyKind::Sieve => Box::new(ByteBudget::new(Sieve::new(entries), capacity)),
            PolicyKind::RedisLru => Box::new(ByteBudget::new(
                RedisLru::new(entries, options.redis_samples, options.seed),
                capacity,
            )),
            PolicyKind::Random => Box::new(ByteBudget::new(
                RandomEviction::new(entries, options.seed),
                capacity,
            )),
            PolicyKind::Opt => Box::new(super::opt::ByteOpt::new(
                capacity,
                future.clone(),
                options.opt_admission,
            )),
            PolicyKind::S3Fifo => Box::new(S3Fifo::in_bytes(capacity, options.s3fifo)),
            PolicyKind::Arc => Box::new(Arc::in_bytes(capacity)),
            PolicyKind::TinyLfu => Box::new(super::TinyLfu::in_bytes(
                capacity,
                options.tinylfu_window,
                options.mean_object_size,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lru(bytes: u64) -> ByteBudget<Lru> {
        ByteBudget::new(
            Lru::new(Capacity::MAX),
            ByteCapacity::new(u128::from(bytes)).unwrap(),
        )
    }

    #[test]
    fn evicts_until_the_object_fits_and_never_admits_one_larger_than_the_cache() {
        let mut cache = lru(10);
        let mut evicted = Vec::new();
        assert!(!cache.request(1, 4, &mut evicted));
        assert!(!cache.request(2, 4, &mut evicted));
        assert_eq!(cache.used(), 8);
        // 3 needs 6 bytes, 2 are free: 1, the least recent, leaves.
        assert!(!cache.request(3, 6, &mut evicted));
        assert_eq!(evicted, [1]);
        assert_eq!((cache.used(), cache.len()), (10, 2));
        // Larger than the cache: a miss, nothing evicted, not admitted.
        evicted.clear();
        assert!(!cache.request(4, 11, &mut evicted));
        assert!(evicted.is_empty());
        assert!(!cache.request(4, 11, &mut evicted));
        // A hit keeps the size it was admitted with, whatever the request says.
        assert!(cache.request(3, 1, &mut evicted));
        assert_eq!(cache.used(), 10);
        // Size 0 takes a byte, for which 2 (now the least recent) leaves.
        assert!(!cache.request(5, 0, &mut evicted));
        assert_eq!(evicted, [2]);
        assert_eq!((cache.used(), cache.len()), (7, 2));
    }

    #[test]
    fn capacity_rejects_zero_and_past_the_maximum() {
        assert_eq!(ByteCapacity::new(0), Err(ByteCapacityError::Zero));
        assert!(ByteCapacity::new(u128::from(ByteCapacity::MAX)).is_ok());
        let past = u128::from(ByteCapacity::MAX) + 1;
        assert_eq!(
            ByteCapacity::new(past),
            Err(ByteCapacityError::TooLarge(past))
        );
    }

    #[test]
    fn every_policy_has_a_byte_form() {
        let future = NextUse::from_trace(&[]);
        let capacity = ByteCapacity::new(100).unwrap();
        for &kind in PolicyKind::ALL {
            let policy = kind.build_in_bytes(capacity, &PolicyOptions::default(), &future);
            assert_eq!((policy.kind(), policy.capacity()), (kind, capacity));
        }
    }
}
