//! Property tests of the Cache layer over every online policy: random puts, gets, removes and
//! time jumps, checked against an unbounded model of what each key's latest value is and when it
//! expires. The cache may forget a key (eviction) but must never return a wrong or expired value.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use cache_playground::engine::{
    Cache, CacheConfig, CacheEvent, Capacity, Millis, PolicyKind, PolicyOptions, Stats, Ttl,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Get(u64),
    Put(u64, Option<Millis>),
    Remove(u64),
    Advance(Millis),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u64..20).prop_map(Op::Get),
        3 => ((0u64..20), prop::option::of(1u64..200)).prop_map(|(k, ttl)| Op::Put(k, ttl)),
        1 => (0u64..20).prop_map(Op::Remove),
        2 => (0u64..120).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn never_a_wrong_or_expired_value_and_stats_match_events(
        size in 1u128..10,
        jitter in prop::sample::select(vec![0u32, 20]),
        active in any::<bool>(),
        ops in prop::collection::vec(op(), 0..300),
    ) {
        for &kind in PolicyKind::ALL.iter().filter(|kind| !kind.needs_trace()) {
            let config = CacheConfig {
                policy: kind,
                policy_options: PolicyOptions { seed: 5, ..PolicyOptions::default() },
                ttl_jitter_percent: jitter,
                active_expiry: active.then(Default::default),
                ..CacheConfig::new(Capacity::new(size).unwrap())
            };
            let mut cache = Cache::with_sink(config, Vec::<CacheEvent>::new()).unwrap();
            // key → (value, latest possible expiry): jitter can only shorten the TTL by 20%.
            let mut model: HashMap<u64, (u64, Option<Millis>)> = HashMap::new();
            let mut version = 0u64;
            for op in &ops {
                match *op {
                    Op::Get(key) => {
                        if let Some(&value) = cache.get(key) {
                            let (expected, expires) = model.get(&key).copied()
                                .unwrap_or_else(|| panic!("{kind}: {key} returned but never stored"));
                            prop_assert_eq!(value, expected, "{}: stale value for {}", kind, key);
                            prop_assert!(expires.is_none_or(|at| cache.now() < at), "{}: expired value", kind);
                        }
                    }
                    Op::Put(key, ttl) => {
                        version += 1;
                        cache.put_with_ttl(key, version, ttl.map_or(Ttl::Never, Ttl::After));
                        let latest = ttl.map(|ttl| cache.now() + ttl + ttl * u64::from(jitter) / 100);
                        model.insert(key, (version, latest));
                    }
                    Op::Remove(key) => {
                        cache.remove(key);
                        model.remove(&key);
                    }
                    Op::Advance(by) => cache.advance(by),
                }
                prop_assert!(cache.len() as u128 <= size, "{}: over capacity", kind);
            }
            let stats = *cache.stats();
            let derived = Stats::from_events(cache.sink());
            prop_assert_eq!((derived.hits, derived.misses, derived.inserts), (stats.hits, stats.misses, stats.inserts));
            prop_assert_eq!((derived.updates, derived.rejections), (stats.updates, stats.rejections));
            prop_assert_eq!(derived.evictions(), stats.evictions());
            prop_assert_eq!(stats.size, cache.len() as u64);
            prop_assert_eq!(
                stats.misses,
                stats.misses_cold + stats.misses_capacity + stats.misses_expired + stats.misses_invalidated
            );
        }
    }
}
