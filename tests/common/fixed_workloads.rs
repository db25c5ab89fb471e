//! Fixed workloads and the exact results they must give, shared by the native test and the
//! in-browser (wasm) test so both platforms are held to the same numbers.

use cache_playground::engine::{
    Capacity, NextUse, PolicyKind, PolicyOptions, SimResult, Workload, replay,
};

/// The workload every policy is pinned on: Zipf(0.9) over 1,000 keys, 20,000 requests, size 100.
const ZIPF: Workload = Workload::Zipf {
    keys: 1000,
    alpha: 0.9,
};

/// (policy, cache size, workload, seed, requests, expected hits, expected evictions).
pub const CASES: &[(PolicyKind, usize, Workload, u64, u64, u64, u64)] = &[
    (PolicyKind::Lru, 100, ZIPF, 42, 20_000, 9_488, 10_412),
    (PolicyKind::Fifo, 100, ZIPF, 42, 20_000, 8_447, 11_453),
    (PolicyKind::Lfu, 100, ZIPF, 42, 20_000, 11_267, 8_633),
    (PolicyKind::Clock, 100, ZIPF, 42, 20_000, 9_810, 10_090),
    (PolicyKind::Sieve, 100, ZIPF, 42, 20_000, 11_316, 8_584),
    (PolicyKind::Arc, 100, ZIPF, 42, 20_000, 10_969, 8_931),
    (PolicyKind::S3Fifo, 100, ZIPF, 42, 20_000, 11_393, 8_507),
    (PolicyKind::TinyLfu, 100, ZIPF, 42, 20_000, 11_657, 8_243),
    (PolicyKind::RedisLru, 100, ZIPF, 42, 20_000, 9_426, 10_474),
    (PolicyKind::Random, 100, ZIPF, 42, 20_000, 8_489, 11_411),
    (PolicyKind::Opt, 100, ZIPF, 42, 20_000, 13_776, 2_861),
    (
        PolicyKind::Lru,
        50,
        Workload::Uniform { keys: 100 },
        7,
        10_000,
        5_033,
        4_917,
    ),
    (
        PolicyKind::Lru,
        99,
        Workload::Loop { keys: 100 },
        1,
        10_000,
        0,
        9_901,
    ),
];

/// Runs one case (policies that choose at random use seed 0) and returns what happened.
pub fn run(
    kind: PolicyKind,
    size: usize,
    workload: Workload,
    seed: u64,
    requests: u64,
) -> SimResult {
    let keys: Vec<u64> = workload
        .keys(seed)
        .unwrap()
        .take(requests as usize)
        .collect();
    let capacity = Capacity::new(size as u128).unwrap();
    let mut policy = kind.build_for_trace(
        capacity,
        &PolicyOptions::default(),
        &NextUse::from_trace(&keys),
    );
    replay(policy.as_mut(), keys)
}

/// Checks every case, naming the first that differs.
pub fn check_all() {
    for &(kind, size, workload, seed, requests, hits, evictions) in CASES {
        let result = run(kind, size, workload, seed, requests);
        let expected = SimResult {
            requests,
            hits,
            misses: requests - hits,
            evictions,
        };
        assert_eq!(
            result, expected,
            "{kind} size {size} on {workload:?} seed {seed}"
        );
    }
}

/// The first 8 keys of `Workload::Zipf { keys: 1_000_000, alpha: 0.8 }` with seed 2024.
pub const ZIPF_FIRST_KEYS: [u64; 8] = [32789, 195585, 270749, 78982, 2179, 744, 2, 7320];
