//! Property tests: every deterministic policy against a deliberately simple reference model.
#![cfg(not(target_arch = "wasm32"))]

use cache_playground::engine::{Capacity, PolicyKind};
use proptest::prelude::*;

/// A naive O(n) model of a queue policy: `order` holds keys newest first; on a hit, `reorder` says
/// whether the key moves to the front (LRU) or stays (FIFO).
struct ReferenceQueue {
    order: Vec<u64>,
    capacity: usize,
    reorder_on_hit: bool,
}

impl ReferenceQueue {
    /// Returns (hit, evicted key).
    fn request(&mut self, key: u64) -> (bool, Option<u64>) {
        if let Some(position) = self.order.iter().position(|&k| k == key) {
            if self.reorder_on_hit {
                self.order.remove(position);
                self.order.insert(0, key);
            }
            return (true, None);
        }
        let evicted = (self.order.len() == self.capacity).then(|| self.order.pop().unwrap());
        self.order.insert(0, key);
        (false, evicted)
    }
}

fn check_against_reference(kind: PolicyKind, reorder_on_hit: bool, capacity: usize, keys: &[u64]) {
    let mut policy = kind.build(Capacity::new(capacity as u128).unwrap());
    let mut model = ReferenceQueue {
        order: Vec::new(),
        capacity,
        reorder_on_hit,
    };
    let mut evicted = Vec::new();
    for (step, &key) in keys.iter().enumerate() {
        let hit = policy.request(key, &mut evicted);
        let (model_hit, model_evicted) = model.request(key);
        assert_eq!(hit, model_hit, "{kind} step {step} key {key}: hit");
        assert_eq!(
            evicted.pop(),
            model_evicted,
            "{kind} step {step} key {key}: victim"
        );
        assert!(evicted.is_empty());
        assert!(policy.len() <= capacity);
        assert_eq!(
            policy.keys_in_eviction_order(),
            model.order,
            "{kind} step {step}: order"
        );
    }
}

proptest! {
    #[test]
    fn lru_matches_reference(capacity in 1usize..8, keys in prop::collection::vec(0u64..12, 0..300)) {
        check_against_reference(PolicyKind::Lru, true, capacity, &keys);
    }

    #[test]
    fn fifo_matches_reference(capacity in 1usize..8, keys in prop::collection::vec(0u64..12, 0..300)) {
        check_against_reference(PolicyKind::Fifo, false, capacity, &keys);
    }

    #[test]
    fn remove_and_shrink_keep_every_policy_consistent(
        capacity in 1usize..8,
        ops in prop::collection::vec((0u8..4, 0u64..12), 0..300),
    ) {
        for &kind in PolicyKind::ALL {
            let mut policy = kind.build(Capacity::new(capacity as u128).unwrap());
            let mut evicted = Vec::new();
            for &(op, key) in &ops {
                match op {
                    0 | 1 => { policy.request(key, &mut evicted); }
                    2 => {
                        let was_resident = policy.contains(key);
                        prop_assert_eq!(policy.remove(key), was_resident);
                        prop_assert!(!policy.contains(key));
                    }
                    _ => policy.set_capacity(1 + key as usize % 8, &mut evicted),
                }
                for &victim in &evicted {
                    prop_assert!(!policy.contains(victim));
                }
                evicted.clear();
                let keys = policy.keys_in_eviction_order();
                prop_assert_eq!(keys.len(), policy.len());
                prop_assert!(policy.len() <= policy.capacity());
                prop_assert!(keys.iter().all(|&k| policy.contains(k)));
            }
        }
    }
}
