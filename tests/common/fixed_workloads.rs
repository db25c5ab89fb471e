//! Fixed workloads and the exact results they must give, shared by the native test and the
//! in-browser (wasm) test so both platforms are held to the same numbers.

use cache_playground::engine::{Capacity, PolicyKind, SimResult, Workload, replay};

/// (policy, cache size, workload, seed, requests, expected hits, expected evictions).
pub const CASES: &[(PolicyKind, usize, Workload, u64, u64, u64, u64)] = &[
    (
        PolicyKind::Lru,
        100,
        Workload::Zipf {
            keys: 1000,
            alpha: 1.0,
        },
        42,
        20_000,
        11_507,
        8_393,
    ),
    (
        PolicyKind::Fifo,
        100,
        Workload::Zipf {
            keys: 1000,
            alpha: 1.0,
        },
        42,
        20_000,
        10_393,
        9_507,
    ),
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

/// Runs one case and returns what happened.
pub fn run(
    kind: PolicyKind,
    size: usize,
    workload: Workload,
    seed: u64,
    requests: u64,
) -> SimResult {
    let mut policy = kind.build(Capacity::new(size as u128).unwrap());
    let keys = workload.keys(seed).unwrap().take(requests as usize);
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
