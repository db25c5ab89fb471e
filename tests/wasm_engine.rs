//! The engine in the browser: the fixed workloads give exactly the numbers they give natively.
#![cfg(target_arch = "wasm32")]

mod common;

use cache_playground::engine::Workload;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn fixed_workloads_give_the_native_results_in_the_browser() {
    common::fixed_workloads::check_all();
}

#[wasm_bindgen_test]
fn zipf_keys_are_bit_identical_to_native() {
    // The first keys of this stream, as drawn natively (see the native test of the same name).
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
