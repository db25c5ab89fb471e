//! Eviction policies: one file per policy behind the small [`Policy`] trait (the algorithm), with
//! [`Inspect`] beside it for what the demos draw.
//!
//! A policy tracks which keys are resident and decides what to evict; it holds no values and knows
//! nothing of time. [`crate::engine::Cache`] adds values, TTL, statistics and events on top, and the
//! trace simulator drives a policy directly through [`Policy::request`].
//!
//! Adding a policy: write one file with a type implementing [`Policy`] and [`Inspect`], add a
//! [`PolicyKind`] variant, its id and label, a line in [`PolicyKind::build`], and its words in
//! `crate::engine::lab::policy_words`.

mod arc;
mod by_bytes;
mod clock;
mod fifo;
mod layout;
mod lfu;
mod lru;
mod opt;
mod random;
mod redis_lru;
mod s3fifo;
mod sieve;
mod tinylfu;

pub use arc::{Arc, ArcList};
pub use by_bytes::{ByteBudget, ByteCapacity, ByteCapacityError, BytePolicy, InBytes, Weighed};
pub use clock::{Clock, MAX_CLOCK_BITS};
pub use fifo::Fifo;
pub use layout::{Badge, GroupKind, Layout, Note, SlotGroup, SlotView};
pub use lfu::Lfu;
pub use lru::Lru;
pub use opt::{NextUse, Opt, OptAdmission};
pub use random::RandomEviction;
pub use redis_lru::{DEFAULT_SAMPLES, EVICTION_POOL_SIZE, RedisLru};
pub use s3fifo::{S3Fifo, S3FifoOptions, S3Queue};
pub use sieve::Sieve;
pub use tinylfu::{Segment, TinyLfu, TinyLfuWindow};

use std::fmt;
use std::str::FromStr;

/// A cache replacement policy over `u64` keys, with capacity counted in entries.
///
/// Every method is O(1) or O(log n) in the number of resident keys.
pub trait Policy: Send {
    /// Which policy this is.
    fn kind(&self) -> PolicyKind;

    /// The most keys that can be resident at once (always at least 1).
    fn capacity(&self) -> usize;

    /// How many keys are resident.
    fn len(&self) -> usize;

    /// Whether no key is resident.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `key` is resident. Does not count as an access.
    fn contains(&self, key: u64) -> bool;

    /// Records a hit on `key` if it is resident; returns whether it was.
    fn touch(&mut self, key: u64) -> bool;

    /// Inserts `key`, which must not be resident, evicting as needed; every evicted key is pushed onto
    /// `evicted`. Returns `false` when the policy's admission refused the key (it is then not
    /// resident, and nothing was evicted for it).
    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool;

    /// Removes `key` (invalidation or expiry); returns whether it was resident.
    fn remove(&mut self, key: u64) -> bool;

    /// Changes the capacity (at least 1), evicting by the policy's own order while over it.
    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>);

    /// Gives an offline policy (`opt`) the next uses of the requests about to come, a window of
    /// its trace at a time, so a replay can stream the trace instead of holding it; the online
    /// policies need no future and ignore it.
    fn see_future(&mut self, _future: &NextUse) {}

    /// One simulated request as in libCacheSim: a lookup, and on a miss an insert. Returns whether it
    /// hit. Policies override this to look the key up only once.
    fn request(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.touch(key) {
            true
        } else {
            self.insert(key, evicted);
            false
        }
    }
}

/// A policy whose order of eviction does not depend on its capacity, so that a cache counted in
/// bytes ([`ByteBudget`]) can drive it: it evicts by the policy's own order until a new object
/// fits, as libCacheSim's `cache_get_base` does for every such policy.
pub trait EvictNext: Policy {
    /// Removes and returns the key the policy would evict next (moving a CLOCK or SIEVE hand as an
    /// eviction does), or `None` when nothing is resident.
    fn evict_next(&mut self) -> Option<u64>;
}

/// What the demos draw from a policy, apart from its algorithm ([`Policy`]): the order it will
/// evict in and its inner structure. Structure only; the words for it are the lab's.
pub trait Inspect {
    /// The resident keys in the policy's own order, the next victim last (for example most to least
    /// recently used for LRU); O(n).
    fn keys_in_eviction_order(&self) -> Vec<u64>;

    /// The policy's internal structure for drawing (groups, badges, hand); O(n). By default one
    /// group of [`Inspect::keys_in_eviction_order`].
    fn layout(&self) -> Layout {
        Layout::single(GroupKind::Resident, self.keys_in_eviction_order())
    }
}

/// A policy that can also be looked inside: what [`PolicyKind::build`] makes, so that a cache the
/// demos draw and a replay that only counts hold the same object.
pub trait InspectablePolicy: Policy + Inspect {}

impl<P: Policy + Inspect> InspectablePolicy for P {}

/// How many entries a policy of `capacity` allocates room for up front: all of them for real
/// cache sizes (so a full cache never reallocates), but a capacity beyond 16M entries means
/// "unbounded" in practice (an unbounded memo, say), which starts small and grows.
pub(crate) fn initial_reserve(capacity: usize) -> usize {
    if capacity > 1 << 24 {
        1024
    } else {
        capacity.min(1 << 20)
    }
}

/// The policies the engine implements, by their command-line and URL id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyKind {
    /// Least recently used.
    Lru,
    /// First in, first out.
    Fifo,
    /// Least frequently used (in-cache counts, LRU among ties).
    Lfu,
    /// CLOCK (second chance).
    Clock,
    /// SIEVE (NSDI'24).
    Sieve,
    /// Adaptive Replacement Cache (FAST'03).
    Arc,
    /// S3-FIFO (SOSP'23).
    S3Fifo,
    /// W-TinyLFU (as in Caffeine's simulator).
    TinyLfu,
    /// Redis's sampled approximation of LRU.
    RedisLru,
    /// Uniformly random eviction.
    Random,
    /// Belady's offline optimum (needs the whole trace).
    Opt,
}

/// Settings some policies take; the defaults are the documented ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyOptions {
    /// Seed for the policies that choose at random (`random`, `redis-lru`).
    pub seed: u64,
    /// Keys sampled per eviction by `redis-lru` (Redis's `maxmemory-samples`), at least 1.
    pub redis_samples: usize,
    /// Bits of `clock`'s counters, 1 (the classic reference bit) to 4.
    pub clock_bits: u8,
    /// `s3fifo`'s move-to-main threshold and ghost size.
    pub s3fifo: S3FifoOptions,
    /// Whether `opt` may leave a missed key out (bypass) or caches every miss (forced).
    pub opt_admission: OptAdmission,
    /// Whether `tinylfu`'s window is 1% or sized by hill climbing.
    pub tinylfu_window: TinyLfuWindow,
    /// The mean size in bytes of the trace's distinct objects (at least 1; 1 when every size is
    /// 1): `tinylfu`'s byte form sizes its frequency sketch for its capacity over this many
    /// objects' bytes ([`TinyLfu::in_bytes`]). Unused counted in entries.
    pub mean_object_size: u64,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            redis_samples: DEFAULT_SAMPLES,
            clock_bits: 1,
            s3fifo: S3FifoOptions::default(),
            opt_admission: OptAdmission::Bypass,
            tinylfu_window: TinyLfuWindow::Fixed,
            mean_object_size: 1,
        }
    }
}

/// `opt` was asked for without the trace it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeedsTrace;

impl fmt::Display for NeedsTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the opt policy needs the whole trace in advance, so it is only available when replaying a trace")
    }
}

impl std::error::Error for NeedsTrace {}

impl PolicyKind {
    /// Every policy, in the order lists and charts show them.
    pub const ALL: &'static [PolicyKind] = &[
        PolicyKind::Lru,
        PolicyKind::Fifo,
        PolicyKind::Lfu,
        PolicyKind::Clock,
        PolicyKind::Sieve,
        PolicyKind::Arc,
        PolicyKind::S3Fifo,
        PolicyKind::TinyLfu,
        PolicyKind::RedisLru,
        PolicyKind::Random,
        PolicyKind::Opt,
    ];

    /// The id used on the command line and in URLs.
    pub fn id(self) -> &'static str {
        match self {
            PolicyKind::Lru => "lru",
            PolicyKind::Fifo => "fifo",
            PolicyKind::Lfu => "lfu",
            PolicyKind::Clock => "clock",
            PolicyKind::Sieve => "sieve",
            PolicyKind::Arc => "arc",
            PolicyKind::S3Fifo => "s3fifo",
            PolicyKind::TinyLfu => "tinylfu",
            PolicyKind::RedisLru => "redis-lru",
            PolicyKind::Random => "random",
            PolicyKind::Opt => "opt",
        }
    }

    /// A human name for labels and legends.
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Lru => "LRU",
            PolicyKind::Fifo => "FIFO",
            PolicyKind::Lfu => "LFU",
            PolicyKind::Clock => "CLOCK",
            PolicyKind::Sieve => "SIEVE",
            PolicyKind::Arc => "ARC",
            PolicyKind::S3Fifo => "S3-FIFO",
            PolicyKind::TinyLfu => "W-TinyLFU",
            PolicyKind::RedisLru => "Redis LRU",
            PolicyKind::Random => "Random",
            PolicyKind::Opt => "OPT (Belady)",
        }
    }

    /// Whether the policy needs the whole trace in advance (only `opt`).
    pub fn needs_trace(self) -> bool {
        self == PolicyKind::Opt
    }

    /// A new, empty policy of this kind holding at most `capacity` keys; `opt` cannot be built
    /// this way (see [`PolicyKind::build_for_trace`]).
    pub fn build(
        self,
        capacity: Capacity,
        options: &PolicyOptions,
    ) -> Result<Box<dyn InspectablePolicy>, NeedsTrace> {
        let capacity = capacity.get();
        Ok(match self {
            PolicyKind::Lru => Box::new(Lru::new(capacity)),
            PolicyKind::Fifo => Box::new(Fifo::new(capacity)),
            PolicyKind::Lfu => Box::new(Lfu::new(capacity)),
            PolicyKind::Clock => Box::new(Clock::with_bits(capacity, options.clock_bits)),
            PolicyKind::Sieve => Box::new(Sieve::new(capacity)),
            PolicyKind::Arc => Box::new(Arc::new(capacity)),
            PolicyKind::S3Fifo => Box::new(S3Fifo::with_options(capacity, options.s3fifo)),
            PolicyKind::TinyLfu => Box::new(TinyLfu::with_window(capacity, options.tinylfu_window)),
            PolicyKind::RedisLru => {
                Box::new(RedisLru::new(capacity, options.redis_samples, options.seed))
            }
            PolicyKind::Random => Box::new(RandomEviction::new(capacity, options.seed)),
            PolicyKind::Opt => return Err(NeedsTrace),
        })
    }

    /// A new, empty policy of this kind for replaying the trace whose next uses are `future`; works
    /// for every kind, `opt` included. The policy must then see exactly that trace.
    pub fn build_for_trace(
        self,
        capacity: Capacity,
        options: &PolicyOptions,
        future: &NextUse,
    ) -> Box<dyn InspectablePolicy> {
        match self.build(capacity, options) {
            Ok(policy) => policy,
            Err(NeedsTrace) => Box::new(Opt::with_admission(
                capacity.get(),
                future.clone(),
                options.opt_admission,
            )),
        }
    }

    /// The valid ids, comma-separated, for error messages.
    pub fn valid_ids() -> String {
        Self::ALL
            .iter()
            .map(|kind| kind.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An unknown policy id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPolicy(pub String);

impl fmt::Display for UnknownPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown policy '{}' (valid: {})",
            self.0,
            PolicyKind::valid_ids()
        )
    }
}

impl std::error::Error for UnknownPolicy {}

impl FromStr for PolicyKind {
    type Err = UnknownPolicy;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.id() == wanted)
            .ok_or_else(|| UnknownPolicy(text.to_owned()))
    }
}

/// A cache capacity in entries: at least 1, at most [`Capacity::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Capacity(usize);

/// Why a requested capacity was not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapacityError {
    /// Zero entries: nothing could ever be cached.
    Zero,
    /// More than [`Capacity::MAX`] entries.
    TooLarge(u128),
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CapacityError::Zero => {
                f.write_str("a cache size of 0 entries cannot hold anything; use at least 1")
            }
            CapacityError::TooLarge(n) => write!(
                f,
                "a cache size of {n} entries is larger than the supported maximum of {}",
                Capacity::MAX
            ),
        }
    }
}

impl std::error::Error for CapacityError {}

impl Capacity {
    /// The largest capacity: slab tokens are `u32`, and one token is reserved.
    pub const MAX: usize = (u32::MAX - 1) as usize;

    /// A capacity of `entries`, or why it is not usable.
    pub fn new(entries: u128) -> Result<Self, CapacityError> {
        match entries {
            0 => Err(CapacityError::Zero),
            n if n > Self::MAX as u128 => Err(CapacityError::TooLarge(n)),
            n => Ok(Self(n as usize)),
        }
    }

    /// The number of entries.
    pub fn get(self) -> usize {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_list_the_valid_ones() {
        let options = PolicyOptions::default();
        let future = NextUse::from_trace(&[1, 2, 1]);
        for &kind in PolicyKind::ALL {
            assert_eq!(kind.id().parse::<PolicyKind>(), Ok(kind));
            let capacity = Capacity::new(3).unwrap();
            assert_eq!(
                kind.build_for_trace(capacity, &options, &future).kind(),
                kind
            );
            assert_eq!(kind.build(capacity, &options).is_err(), kind.needs_trace());
        }
        assert_eq!(" LRU ".parse::<PolicyKind>(), Ok(PolicyKind::Lru));
        let error = "mru".parse::<PolicyKind>().unwrap_err().to_string();
        assert_eq!(
            error,
            format!("unknown policy 'mru' (valid: {})", PolicyKind::valid_ids())
        );
    }

    #[test]
    fn capacity_rejects_zero_and_huge_sizes() {
        assert_eq!(Capacity::new(0), Err(CapacityError::Zero));
        assert_eq!(Capacity::new(1).map(Capacity::get), Ok(1));
        let huge = u128::from(u64::MAX);
        assert_eq!(Capacity::new(huge), Err(CapacityError::TooLarge(huge)));
        assert!(CapacityError::Zero.to_string().contains("use at least 1"));
    }
}
