//! Random: evict a uniformly random resident key.
//!
//! The baseline every policy should beat, as in libCacheSim's `Random`. The choice comes from a
//! seeded [`Rng`], so a run is reproducible. O(1).

use super::{EvictNext, Inspect, Policy, PolicyKind};
use crate::engine::dense_keys::DenseKeys;
use crate::engine::rng::Rng;

/// Uniformly random eviction.
#[derive(Clone, Debug)]
pub struct RandomEviction {
    /// The resident keys.
    keys: DenseKeys<()>,
    /// Chooses the victims.
    rng: Rng,
    /// The most keys resident at once.
    capacity: usize,
}

impl RandomEviction {
    /// An empty cache holding at most `capacity` (≥ 1) keys, choosing victims with `seed`.
    pub fn new(capacity: usize, seed: u64) -> Self {
        Self {
            keys: DenseKeys::with_capacity(super::initial_reserve(capacity)),
            rng: Rng::new(seed),
            capacity: capacity.max(1),
        }
    }

    fn evict(&mut self) -> Option<u64> {
        if self.keys.is_empty() {
            return None;
        }
        let (victim, ()) = self
            .keys
            .at(self.rng.below(self.keys.len() as u64) as usize);
        self.keys.remove(victim);
        Some(victim)
    }
}

impl Policy for RandomEviction {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Random
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
        self.keys.contains(key)
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        if self.keys.len() >= self.capacity {
            evicted.extend(self.evict());
        }
        self.keys.insert(key, ());
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

impl EvictNext for RandomEviction {
    fn evict_next(&mut self) -> Option<u64> {
        self.evict()
    }
}

impl Inspect for RandomEviction {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Every key is equally likely to go: show them in insertion-slot order.
        self.keys.iter().map(|(key, ())| key).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn victims_are_spread_and_reproducible() {
        let run = |seed| {
            let mut policy = RandomEviction::new(4, seed);
            let mut evicted = Vec::new();
            for key in 0..2000 {
                policy.request(key % 8, &mut evicted);
            }
            evicted
        };
        let victims = run(1);
        assert_eq!(victims, run(1));
        assert_ne!(victims, run(2));
        let mut counts = [0u32; 8];
        victims.iter().for_each(|&key| counts[key as usize] += 1);
        assert!(counts.iter().all(|&c| c > 50), "{counts:?}");
    }
}
