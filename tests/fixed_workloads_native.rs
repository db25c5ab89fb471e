//! The fixed workloads give exactly the pinned results natively (tests/wasm_engine.rs checks the
//! same numbers in the browser).
#![cfg(not(target_arch = "wasm32"))]

mod common;

#[test]
fn fixed_workloads_give_the_pinned_results() {
    common::fixed_workloads::check_all();
}

#[test]
fn zipf_keys_are_bit_identical_to_native() {
    use cache_playground::engine::Workload;
    let keys: Vec<u64> = Workload::Zipf {
        keys: 1_000_000,
        alpha: 0.8,
    }
    .keys(2024)
    .unwrap()
    .take(8)
    .collect();
    assert_eq!(keys, common::fixed_workloads::ZIPF_FIRST_KEYS);
}

#[test]
#[ignore = "prints the pinned numbers; run with --ignored --nocapture after a deliberate change"]
fn print_fixed_workload_results() {
    for &(kind, size, workload, seed, requests, ..) in common::fixed_workloads::CASES {
        let result = common::fixed_workloads::run(kind, size, workload, seed, requests);
        println!(
            "{kind:>9} hits {:>6} evictions {:>6}",
            result.hits, result.evictions
        );
    }
}
