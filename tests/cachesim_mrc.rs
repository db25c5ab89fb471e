//! `cachesim mrc` against `cachesim sim`: every point of an unsampled curve is the number `sim`
//! gives for that policy at that size (LRU's from stack distances, the others replayed), in
//! entries and in bytes; a sampled run says what it sampled (its mistakes, one line each, are in
//! `cachesim_cli.rs`).
#![cfg(not(target_arch = "wasm32"))]

use cache_playground::cachesim::{
    Method, MrcReport, SimReport, parse_mrc, parse_sim, run_mrc, run_sim,
};

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn mrc(line: &str) -> MrcReport {
    run_mrc(&parse_mrc(&words(line)).unwrap(), false).unwrap()
}

fn sim(line: &str) -> SimReport {
    run_sim(&parse_sim(&words(line)).unwrap(), false).unwrap()
}

/// Every point of `curves` equals `sim`'s row for the same policy and size, bit for bit.
fn assert_same_numbers(curves: &MrcReport, sim: &SimReport) {
    let mut compared = 0;
    for curve in &curves.curves {
        for point in &curve.points {
            let row = sim
                .rows
                .iter()
                .find(|row| row.policy == curve.policy && row.size == point.size)
                .unwrap_or_else(|| panic!("sim has {:?} at {}", curve.policy, point.size));
            assert_eq!(
                point.miss_ratio,
                row.miss_ratio(),
                "{:?} at {} ({:?})",
                curve.policy,
                point.size,
                point.method
            );
            assert_eq!(
                point.byte_miss_ratio,
                row.bytes.map(|bytes| bytes.miss_ratio()),
                "{:?} at {} bytes ({:?})",
                curve.policy,
                point.size,
                point.method
            );
            compared += 1;
        }
    }
    assert_eq!(compared, sim.rows.len());
}

#[test]
fn every_point_is_what_sim_gives_at_that_size() {
    let workload = "--workload scan --keys 3000 --requests 60000 --seed 5";
    let sizes = "--size 1,7,100,999,3000,5000";
    let curves = mrc(&format!("{workload} --policy all {sizes}"));
    assert_same_numbers(&curves, &sim(&format!("{workload} --policy all {sizes}")));
    assert!(curves.sample.is_none());
    let lru = &curves.curves[0];
    assert!(lru.points.iter().all(|point| point.method == Method::Stack));
    assert!(
        curves.curves[1..]
            .iter()
            .flat_map(|curve| &curve.points)
            .all(|point| point.method == Method::Simulated)
    );
}

#[test]
fn without_sizes_the_curve_has_twelve_from_a_thousandth_of_the_keys_to_all() {
    let curves = mrc("--workload zipf --keys 20000 --requests 100000");
    let sizes: Vec<u64> = curves.curves[0].points.iter().map(|p| p.size).collect();
    let distinct = curves.unique_keys;
    assert_eq!(sizes.len(), 12);
    assert_eq!(sizes[0], distinct / 1000);
    assert_eq!(*sizes.last().unwrap(), distinct);
    assert!(sizes.windows(2).all(|pair| pair[0] < pair[1]));
    // And they are sim's numbers too.
    let listed: Vec<String> = sizes.iter().map(u64::to_string).collect();
    let given = sim(&format!(
        "--workload zipf --keys 20000 --requests 100000 --policy lru --size {}",
        listed.join(",")
    ));
    assert_same_numbers(&curves, &given);
    // A trace of few keys gets fewer sizes, never a size of 0.
    let small = mrc("--workload uniform --keys 5 --requests 100");
    let sizes: Vec<u64> = small.curves[0].points.iter().map(|p| p.size).collect();
    assert_eq!(sizes, [1, 2, 3, 4, 5]);
}

/// An oracleGeneral trace: `(key, size)` requests, a timestamp every 100.
fn oracle_general(requests: &[(u64, u32)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(requests.len() * 24);
    for (i, &(key, size)) in requests.iter().enumerate() {
        bytes.extend_from_slice(&((i / 100) as u32).to_le_bytes());
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&size.to_le_bytes());
        bytes.extend_from_slice(&(-1i64).to_le_bytes());
    }
    bytes
}

/// Skewed requests over 2,000 objects of 1 to 4,096 bytes; with `varying`, now and then an object
/// is requested at another size.
fn sized_requests(varying: bool) -> Vec<(u64, u32)> {
    let mut rng = cache_playground::engine::Rng::new(3);
    (0..40_000)
        .map(|_| {
            let key = rng.below(2_000) * (rng.below(5) + 1) % 2_000;
            let size = if varying && rng.below(89) == 0 {
                7
            } else {
                1 + (key.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 52) as u32
            };
            (key, size)
        })
        .collect()
}

#[test]
fn in_bytes_lru_comes_from_the_stack_from_the_largest_object_up_and_is_simulated_below() {
    let dir = tempfile::tempdir().unwrap();
    for varying in [false, true] {
        let requests = sized_requests(varying);
        let path = dir.path().join(format!("sized-{varying}.oracleGeneral"));
        std::fs::write(&path, oracle_general(&requests)).unwrap();
        let largest = requests.iter().map(|&(_, size)| size).max().unwrap();
        let sizes = format!("1000,{largest},100000,1MiB,1%,30%,100%");
        let line = format!(
            "--trace {} --object-sizes --policy lru,fifo,opt --size {sizes}",
            path.display()
        );
        let curves = mrc(&line);
        assert_same_numbers(&curves, &sim(&line));
        let lru = &curves.curves[0];
        for point in &lru.points {
            let expected = if !varying && point.size >= u64::from(largest) {
                Method::Stack
            } else {
                Method::Simulated
            };
            assert_eq!(
                point.method, expected,
                "{} bytes, varying {varying}",
                point.size
            );
        }
    }
}

#[test]
fn a_sample_at_a_fixed_rate_or_size_says_what_it_sampled() {
    let workload = "--workload zipf --keys 50000 --requests 400000 --policy lru,fifo";
    let exact = mrc(&format!("{workload} --size 5000,20000,50000"));
    let rated = mrc(&format!("{workload} --size 5000,20000,50000 --sample 0.05"));
    let sample = rated.sample.as_ref().unwrap();
    assert_eq!(sample.mode, "rate");
    assert_eq!(sample.threshold, (0.05f64 * 16_777_216.0).round() as u32);
    assert!((0.04..0.06).contains(&(sample.keys as f64 / exact.unique_keys as f64)));
    for (exact, sampled) in exact.curves.iter().zip(&rated.curves) {
        for (e, s) in exact.points.iter().zip(&sampled.points) {
            assert!(
                (e.miss_ratio - s.miss_ratio).abs() < 0.03,
                "{:?} at {}: exact {}, sampled {}",
                exact.policy,
                e.size,
                e.miss_ratio,
                s.miss_ratio
            );
            if exact.policy != cache_playground::engine::PolicyKind::Lru {
                // The sample replayed at the size scaled by the rate.
                let scaled = (e.size as f64 * sample.rate).round() as u64;
                assert_eq!(s.simulated_size, Some(scaled));
            }
        }
    }
    let sized = mrc(&format!("{workload} --sample-size 1000"));
    let sample = sized.sample.as_ref().unwrap();
    assert_eq!(sample.mode, "size");
    assert!(sample.keys <= 1000 && sample.keys > 900, "{sample:?}");
    assert!(sized.to_table().contains("SHARDS sample, fixed size:"));
    let json = sized.to_json();
    assert!(
        json.starts_with("{\"trace\":{\"requests\":400000,"),
        "{json}"
    );
    assert!(json.contains("\"sample\":{\"mode\":\"size\""), "{json}");
    assert!(
        json.contains("\"method\":\"simulated\",\"simulated_size\":"),
        "{json}"
    );
}
