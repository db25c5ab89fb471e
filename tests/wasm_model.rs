//! The write-pattern model in the browser: every scenario's event log is byte-identical to the
//! native one (compared through the digests pinned natively in tests/model_consequences.rs).
#![cfg(target_arch = "wasm32")]

mod common;

use cache_playground::engine::model::{Scenario, ScenarioOptions, StampedeStrategy, log_digest};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_scenario_log_matches_the_native_digest() {
    for (name, digest) in common::model_digests::DIGESTS {
        let run = Scenario::find(name)
            .unwrap()
            .run(&ScenarioOptions::default())
            .unwrap();
        assert_eq!(log_digest(&run.events), *digest, "{name}");
    }
}

#[wasm_bindgen_test]
fn stampede_strategies_behave_in_the_browser_as_natively() {
    let run = |strategy| {
        let options = ScenarioOptions {
            strategy: Some(strategy),
            ..Default::default()
        };
        Scenario::find("stampede")
            .unwrap()
            .run(&options)
            .unwrap()
            .metrics
            .db_reads
    };
    assert_eq!(run(StampedeStrategy::None), 20);
    assert_eq!(run(StampedeStrategy::Coalesce), 1);
}
