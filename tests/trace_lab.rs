//! The Trace Lab's engine (what the browser's worker runs, in memory) against `cachesim mrc` (the
//! same curves from a spill on disk): on the same trace file, at the same sizes, every point is
//! the same number, exact or sampled, in entries and in bytes.
#![cfg(not(target_arch = "wasm32"))]

use cache_playground::cachesim::{MrcReport, parse_mrc, run_mrc};
use cache_playground::engine::lab::{TraceLab, TraceLabResult, TraceLabSettings};
use cache_playground::engine::mrc::{SAMPLE_SCALE, Sampling, threshold_of_rate};
use cache_playground::engine::{Fields, PolicyKind, Rng, TraceFormat, Workload, stream_trace};

/// A text trace of Zipf keys, one per line, with a size after each key.
fn text_trace(requests: usize) -> Vec<u8> {
    let keys = Workload::Zipf {
        keys: 20_000,
        alpha: 0.9,
    }
    .keys(7)
    .unwrap();
    let mut text = Vec::new();
    for key in keys.take(requests) {
        let size = 1 + key.wrapping_mul(0x2545_F491_4F6C_DD1D) % 5_000;
        text.extend_from_slice(format!("object-{key} {size}\n").as_bytes());
    }
    text
}

/// An oracleGeneral trace (24-byte records) of skewed keys, a few requested at a second size.
fn oracle_trace(requests: usize) -> Vec<u8> {
    let mut rng = Rng::new(9);
    let mut bytes = Vec::with_capacity(requests * 24);
    for i in 0..requests {
        let key = rng.below(3_000) * (rng.below(4) + 1) % 3_000;
        let size = 1 + (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 50) as u32;
        bytes.extend_from_slice(&((i / 50) as u32).to_le_bytes());
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&size.to_le_bytes());
        bytes.extend_from_slice(&(-1i64).to_le_bytes());
    }
    bytes
}

fn lab(path: &std::path::Path, format: &TraceFormat, settings: TraceLabSettings) -> TraceLabResult {
    let fields = Fields {
        sizes: settings.in_bytes,
        ..Fields::default()
    };
    let mut lab = TraceLab::new(settings);
    let file = std::fs::File::open(path).unwrap();
    let read = stream_trace("trace", file, format, fields, &mut lab).unwrap();
    assert_eq!(lab.requests(), read.requests);
    lab.finish(read).unwrap()
}

/// `cachesim mrc` on `path` with the lab's own sizes, policies and sampling.
fn cachesim(path: &std::path::Path, result: &TraceLabResult, extra: &str) -> MrcReport {
    let sizes: Vec<String> = result.curves[0]
        .points
        .iter()
        .map(|point| point.size.to_string())
        .collect();
    let policies: Vec<&str> = result
        .curves
        .iter()
        .map(|curve| curve.policy.id())
        .collect();
    let line = format!(
        "--trace {} --policy {} --size {} {extra}",
        path.display(),
        policies.join(","),
        sizes.join(",")
    );
    let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    run_mrc(&parse_mrc(&words).unwrap(), false).unwrap()
}

fn assert_same(result: &TraceLabResult, report: &MrcReport) {
    assert_eq!(result.summary.requests, report.requests);
    assert_eq!(result.summary.unique_keys as u64, report.unique_keys);
    assert_eq!(result.curves, report.curves);
    match (&result.sample, &report.sample) {
        (None, None) => {}
        (Some(found), Some(sample)) => {
            assert_eq!(found.threshold, sample.threshold);
            assert_eq!(found.keys, sample.keys);
            assert_eq!(found.requests, sample.requests);
        }
        other => panic!("one is sampled, the other not: {other:?}"),
    }
}

const POLICIES: [PolicyKind; 6] = [
    PolicyKind::Lru,
    PolicyKind::Random,
    PolicyKind::Fifo,
    PolicyKind::S3Fifo,
    PolicyKind::TinyLfu,
    PolicyKind::Opt,
];

#[test]
fn the_lab_gives_cachesims_numbers_in_entries_exact_and_sampled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zipf.txt");
    std::fs::write(&path, text_trace(60_000)).unwrap();
    // Several rates, so that a sampled reuse is estimated deeper than the distinct keys (which
    // a cache of every key hits) in some of them.
    let rates = [0.05, 0.1, 0.2, 0.5].map(|rate| {
        (
            Sampling::Rate {
                threshold: threshold_of_rate(rate),
            },
            format!("--sample {rate}"),
        )
    });
    let runs = [
        (Sampling::Every, String::new()),
        (
            Sampling::FixedSize { keys: 2_000 },
            "--sample-size 2000".to_owned(),
        ),
    ];
    for (sampling, extra) in runs.into_iter().chain(rates) {
        let settings = TraceLabSettings {
            policies: POLICIES.to_vec(),
            sampling,
            in_bytes: false,
            seed: 1,
        };
        let result = lab(&path, &TraceFormat::Text, settings);
        assert_eq!(result.curves[0].points.len(), 12);
        assert_eq!(result.sample.is_some(), sampling != Sampling::Every);
        assert_same(&result, &cachesim(&path, &result, &extra));
    }
}

#[test]
fn the_lab_gives_cachesims_numbers_in_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sized.oracleGeneral");
    std::fs::write(&path, oracle_trace(40_000)).unwrap();
    for (sampling, extra) in [
        (Sampling::Every, ""),
        (
            Sampling::Rate {
                threshold: SAMPLE_SCALE / 4,
            },
            "--sample 0.25",
        ),
    ] {
        let settings = TraceLabSettings {
            policies: POLICIES.to_vec(),
            sampling,
            in_bytes: true,
            seed: 1,
        };
        let result = lab(&path, &TraceFormat::OracleGeneral, settings);
        let report = cachesim(&path, &result, &format!("--object-sizes {extra}"));
        assert_same(&result, &report);
        assert!(
            result.curves[0]
                .points
                .iter()
                .all(|point| point.byte_miss_ratio.is_some())
        );
    }
}
