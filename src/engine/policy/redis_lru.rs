//! Redis LRU: Redis's approximation of LRU by random sampling and an eviction pool.
//!
//! As in Redis's `evict.c` (`maxmemory-policy allkeys-lru`): each key remembers when it was last
//! used. To evict, sample `samples` random keys (Redis's `maxmemory-samples`, default 5), merge them
//! into a pool of the 16 idlest candidates seen so far (kept across evictions, sorted by idle time),
//! and evict the idlest pooled key that is still resident. Like Redis, a pooled idle time is not
//! refreshed if the key is used again before it is evicted.
//!
//! Differences from Redis, both deliberate: idle time is measured on the engine's logical clock
//! (one tick per access) rather than Redis's 1-second-resolution LRU clock, so ties are rarer; and
//! samples are drawn uniformly with replacement from a seeded RNG rather than by Redis's hash-table
//! bucket walk, so a run is reproducible. O(samples + pool size) per eviction.

use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::dense_keys::DenseKeys;
use crate::engine::rng::Rng;

/// The pool size, Redis's `EVPOOL_SIZE`.
pub const EVICTION_POOL_SIZE: usize = 16;

/// Redis's default `maxmemory-samples`.
pub const DEFAULT_SAMPLES: usize = 5;

/// Sampled LRU with an eviction pool.
#[derive(Clone, Debug)]
pub struct RedisLru {
    /// Resident keys with the logical time of their last use.
    keys: DenseKeys<u64>,
    /// Candidates as (idle time when sampled, key), idlest last; at most [`EVICTION_POOL_SIZE`].
    pool: Vec<(u64, u64)>,
    /// Keys sampled per eviction round.
    samples: usize,
    /// The logical clock: one tick per access.
    clock: u64,
    /// Draws the samples.
    rng: Rng,
    /// The most keys resident at once.
    capacity: usize,
}

impl RedisLru {
    /// An empty cache of at most `capacity` (≥ 1) keys, sampling `samples` (≥ 1) keys per round.
    pub fn new(capacity: usize, samples: usize, seed: u64) -> Self {
        Self {
            keys: DenseKeys::with_capacity(super::initial_reserve(capacity)),
            pool: Vec::with_capacity(EVICTION_POOL_SIZE),
            samples: samples.max(1),
            clock: 0,
            rng: Rng::new(seed),
            capacity: capacity.max(1),
        }
    }

    /// Samples keys into the pool, as Redis's `evictionPoolPopulate`.
    fn populate_pool(&mut self) {
        for _ in 0..self.samples {
            let (key, &last_used) = self
                .keys
                .at(self.rng.below(self.keys.len() as u64) as usize);
            let idle = self.clock - last_used;
            let full = self.pool.len() == EVICTION_POOL_SIZE;
            let position = self.pool.partition_point(|&(pooled, _)| pooled < idle);
            if full && position == 0 {
                continue; // less idle than every candidate in a full pool
            }
            if full {
                self.pool.remove(0); // drop the least idle to make room
                self.pool.insert(position - 1, (idle, key));
            } else {
                self.pool.insert(position, (idle, key));
            }
        }
    }

    fn evict(&mut self) -> Option<u64> {
        if self.keys.is_empty() {
            return None;
        }
        // As Redis's performEvictions: sample first, then take the idlest pooled key that still
        // exists; if every pooled key is gone, sample again.
        loop {
            self.populate_pool();
            while let Some((_, key)) = self.pool.pop() {
                if self.keys.remove(key).is_some() {
                    return Some(key);
                }
            }
        }
    }
}

impl Policy for RedisLru {
    fn kind(&self) -> PolicyKind {
        PolicyKind::RedisLru
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.keys.contains(key)
    }

    fn touch(&mut self, key: u64) -> bool {
        let now = self.clock + 1;
        match self.keys.get_mut(key) {
            Some(last_used) => {
                *last_used = now;
                self.clock = now;
                true
            }
            None => false,
        }
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.keys.len() >= self.capacity {
            evicted.extend(self.evict());
        }
        self.clock += 1;
        self.keys.insert(key, self.clock);
        true
    }

    fn remove(&mut self, key: u64) -> bool {
        self.keys.remove(key).is_some()
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        while self.keys.len() > self.capacity {
            evicted.extend(self.evict());
        }
    }
}

impl EvictNext for RedisLru {
    fn evict_next(&mut self) -> Option<u64> {
        self.evict()
    }
}

impl Inspect for RedisLru {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Most recently used first: the order Redis approximates.
        let mut keys: Vec<(u64, u64)> = self.keys.iter().map(|(key, &last)| (last, key)).collect();
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys.into_iter().map(|(_, key)| key).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_a_sample_as_large_as_the_cache_it_is_close_to_lru() {
        // Sampling with replacement, 64 draws over 4 keys almost surely sees every key, so the
        // idlest key (the true LRU) is evicted.
        let mut redis = RedisLru::new(4, 64, 3);
        let mut evicted = Vec::new();
        for key in [1, 2, 3, 4, 1, 2, 5] {
            redis.request(key, &mut evicted);
        }
        assert_eq!(evicted, [3]);
        assert_eq!(redis.keys_in_eviction_order(), [5, 2, 1, 4]);
    }

    #[test]
    fn five_samples_come_close_to_true_lru_and_one_sample_is_random() {
        use crate::engine::policy::{Lru, RandomEviction};
        use crate::engine::{Workload, replay};
        let keys: Vec<u64> = Workload::Zipf {
            keys: 1000,
            alpha: 0.9,
        }
        .keys(42)
        .unwrap()
        .take(20_000)
        .collect();
        let hits = |policy: &mut dyn Policy| replay(policy, keys.iter().copied()).hits;
        let lru = hits(&mut Lru::new(100));
        let random = hits(&mut RandomEviction::new(100, 0));
        let redis5 = hits(&mut RedisLru::new(100, DEFAULT_SAMPLES, 0));
        // Sampling on every eviction (not only when the pool runs dry) is what makes this close.
        assert!(redis5 * 100 >= lru * 98, "redis-lru {redis5} vs lru {lru}");
        assert_eq!(hits(&mut RedisLru::new(100, 1, 0)), random);
    }

    #[test]
    fn the_pool_keeps_the_sixteen_idlest_sorted() {
        let mut redis = RedisLru::new(100, 5, 9);
        let mut evicted = Vec::new();
        for key in 0..400 {
            redis.request(key % 150, &mut evicted);
        }
        assert!(redis.pool.len() <= EVICTION_POOL_SIZE);
        assert!(redis.pool.windows(2).all(|pair| pair[0].0 <= pair[1].0));
        assert_eq!(redis.len(), 100);
    }
}
