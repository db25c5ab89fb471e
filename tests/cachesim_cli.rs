//! The `cachesim` binary as a user runs it: exit status, one-line errors, table and JSON output.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

fn cachesim(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cachesim"))
        .args(args)
        .output()
        .expect("cachesim runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A file in a fresh temporary directory, removed with it when the test is done.
struct TempFile {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TempFile {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

/// A file named `name` holding `contents`, for this test only.
fn temp_file(name: &str, contents: &[u8]) -> TempFile {
    let dir = tempfile::Builder::new()
        .prefix("cachesim-test-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    TempFile { path, _dir: dir }
}

fn assert_one_line_error(args: &[&str], expected: &str) {
    let (code, stdout, stderr) = cachesim(args);
    assert_eq!(code, 2, "{args:?} exits with status 2");
    assert!(
        stdout.is_empty(),
        "{args:?} prints nothing on stdout: {stdout}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: one line, got {stderr}"
    );
    assert!(stderr.starts_with("cachesim: error: "), "{stderr}");
    assert!(
        stderr.contains(expected),
        "{args:?}: expected '{expected}' in {stderr}"
    );
}

#[test]
fn a_workload_run_prints_a_table_with_every_policy_and_size() {
    let (code, stdout, _) = cachesim(&[
        "sim",
        "--workload",
        "zipf",
        "--keys",
        "1000",
        "--requests",
        "20000",
        "--seed",
        "42",
        "--policy",
        "all",
        "--size",
        "50,10%",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("20,000 requests, "), "{stdout}");
    for policy in [
        "lru",
        "fifo",
        "lfu",
        "clock",
        "sieve",
        "arc",
        "s3fifo",
        "tinylfu",
        "redis-lru",
        "random",
        "opt",
    ] {
        assert_eq!(
            stdout
                .lines()
                .filter(|line| line.starts_with(&format!("{policy} ")))
                .count(),
            2,
            "{policy}"
        );
    }
}

#[test]
fn json_output_has_the_documented_shape_and_exact_counts() {
    let path = temp_file("abc.txt", b"a\nb\nc\na\nb\nd\na\n");
    let (code, stdout, _) = cachesim(&[
        "sim",
        "--trace",
        path.to_str().unwrap(),
        "--policy",
        "lru,opt",
        "--size",
        "2",
        "--json",
    ]);
    assert_eq!(code, 0);
    // LRU size 2 on a b c a b d a: every request misses. OPT (with bypass) never caches c or d,
    // which are not used again, so a and b stay: hits at positions 4, 5 and 7, no evictions.
    // The fields in their documented order...
    assert!(stdout.starts_with("{\"trace\":{\"requests\":7,\"unique_keys\":4,\"warmup\":0},\"results\":[{\"policy\":\"lru\",\"size\":2,\"hits\":0,\"misses\":7,\"miss_ratio\":1.0,\"evictions\":5,\"requests_per_sec\":"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1);
    // ...and their values, read as JSON.
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    let opt = &json["results"][1];
    assert_eq!(opt["policy"], "opt");
    assert_eq!(
        (opt["hits"].as_u64(), opt["misses"].as_u64()),
        (Some(3), Some(4))
    );
    assert_eq!(opt["miss_ratio"].as_f64(), Some(4.0 / 7.0));
    assert_eq!(opt["evictions"].as_u64(), Some(0));
    assert!(opt["requests_per_sec"].as_u64().is_some());
}

#[test]
fn csv_traces_by_column_name_and_ttl_runs() {
    let path = temp_file("t.csv", b"ts,object,bytes\n1,x,10\n2,y,10\n3,x,10\n");
    let (code, stdout, _) = cachesim(&[
        "sim",
        "--trace",
        path.to_str().unwrap(),
        "--key-column",
        "object",
        "--policy",
        "lru",
        "--size",
        "100%",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\"requests\":3,\"unique_keys\":2"),
        "{stdout}"
    );
    assert!(stdout.contains("\"hits\":1,"), "{stdout}");
    // With a 1-second TTL and 1 ms per request, nothing expires in 3 requests.
    let (code, stdout, _) = cachesim(&[
        "sim",
        "--trace",
        path.to_str().unwrap(),
        "--key-column",
        "2",
        "--header",
        "--policy",
        "lru",
        "--size",
        "2",
        "--ttl",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("\"hits\":1,"), "{stdout}");
}

#[test]
fn every_error_path_is_one_line_and_status_2() {
    let missing = std::env::temp_dir().join("cachesim-no-such-file.txt");
    let truncated = temp_file("bad.oracleGeneral", &[0u8; 30]);
    let empty = temp_file("empty.txt", b"\n\n");
    let bad_csv = temp_file("bad.csv", b"k\n\"unclosed\n");
    let small = temp_file("small.txt", b"a\nb\n");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["frobnicate"],
            "unknown command 'frobnicate' (valid: sim, mrc, scenario",
        ),
        (
            vec![
                "sim",
                "--trace",
                missing.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "cannot read the trace",
        ),
        (
            vec![
                "sim",
                "--trace",
                truncated.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "byte 24: truncated record",
        ),
        (
            vec![
                "sim",
                "--trace",
                empty.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "the trace contains no requests",
        ),
        (
            vec![
                "sim",
                "--trace",
                bad_csv.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "line 2: a quoted field is not closed",
        ),
        (
            vec![
                "sim",
                "--trace",
                small.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "10%",
            ],
            "rounds to 0 entries",
        ),
        (
            vec![
                "sim",
                "--trace",
                small.to_str().unwrap(),
                "--policy",
                "belady",
                "--size",
                "1",
            ],
            "unknown policy 'belady' (valid: lru,",
        ),
        (
            vec![
                "sim",
                "--trace",
                small.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "0",
            ],
            "--size 0",
        ),
        (
            vec![
                "sim",
                "--trace",
                small.to_str().unwrap(),
                "--format",
                "xml",
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "unknown trace format 'xml'",
        ),
        (
            vec![
                "sim",
                "--trace",
                small.to_str().unwrap(),
                "--policy",
                "lru",
                "--size",
                "99999999999999999999",
            ],
            "--size 99999999999999999999: use 1 to 4294967294 entries",
        ),
        (
            vec![
                "sim",
                "--workload",
                "zipf",
                "--keys",
                "0",
                "--requests",
                "5",
                "--policy",
                "lru",
                "--size",
                "1",
            ],
            "--keys 0",
        ),
        (
            vec!["sim", "--policy", "lru", "--size", "1"],
            "give a trace (--trace FILE) or a workload",
        ),
    ];
    for (args, expected) in cases {
        assert_one_line_error(&args, expected);
    }
    let path = small.to_str().unwrap();
    let options = [
        (
            ["lru", "--opt-admission", "forced"],
            "--opt-admission applies to the opt policy only",
        ),
        (
            ["opt", "--opt-admission", "lazy"],
            "unknown opt admission 'lazy' (valid: bypass, forced)",
        ),
        (
            ["lru", "--clock-bits", "2"],
            "--clock-bits applies to the clock policy only",
        ),
        (
            ["lru", "--tinylfu-window", "adaptive"],
            "--tinylfu-window applies to the tinylfu policy only",
        ),
        (
            ["tinylfu", "--tinylfu-window", "1%"],
            "unknown tinylfu window '1%' (valid: fixed, adaptive)",
        ),
        (
            ["lru", "--s3fifo-threshold", "1"],
            "apply to the s3fifo policy only",
        ),
    ];
    for ([policy, flag, value], expected) in options {
        assert_one_line_error(
            &[
                "sim", "--trace", path, "--policy", policy, "--size", "1", flag, value,
            ],
            expected,
        );
    }
    for (warmup, expected) in [
        ("101%", "--warmup 101%: use 0 to 100% of the requests"),
        (
            "x",
            "--warmup expects a whole number (0 to 100000000 requests), got 'x'",
        ),
        (
            "2",
            "--warmup: 2 of the trace's 2 requests would warm up, leaving none to count",
        ),
        ("100%", "leaving none to count"),
    ] {
        assert_one_line_error(
            &[
                "sim", "--trace", path, "--policy", "lru", "--size", "1", "--warmup", warmup,
            ],
            expected,
        );
    }
}

#[test]
fn scenarios_list_run_and_print_their_event_log() {
    let (code, stdout, _) = cachesim(&["scenario", "--list"]);
    assert_eq!(code, 0);
    assert!(
        stdout.lines().any(|line| line.starts_with("stampede ")),
        "{stdout}"
    );

    let (code, stdout, _) = cachesim(&["scenario", "stampede", "--clients", "12", "--json"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("{\"scenario\":\"stampede\","),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"db_reads\":12,"),
        "no protection: one database read per client: {stdout}"
    );
    let (_, coalesced, _) = cachesim(&[
        "scenario",
        "stampede",
        "--clients",
        "12",
        "--strategy",
        "coalesce",
        "--json",
    ]);
    assert!(coalesced.contains("\"db_reads\":1,"), "{coalesced}");

    let (code, stdout, _) = cachesim(&[
        "scenario",
        "write-behind",
        "--crash-at",
        "1000",
        "--events",
        "--json",
    ]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    let lost = lines
        .iter()
        .filter(|line| line.contains("\"event\":\"lost\""))
        .count();
    assert!(lost > 0);
    assert!(
        lines
            .last()
            .unwrap()
            .contains(&format!("\"lost_writes\":{lost},")),
        "{}",
        lines.last().unwrap()
    );
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|line| line.starts_with("{\"at\":"))
    );

    let (code, stdout, _) = cachesim(&["scenario", "memo", "--json"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\"per_call\":{\"hits\":0,\"misses\":200}"),
        "the pitfall never hits: {stdout}"
    );
    assert!(
        stdout.contains("\"computations_single_flight\":1,\"waits\":9"),
        "{stdout}"
    );

    let (code, stdout, _) = cachesim(&["scenario", "write-through"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("stale reads         0"), "{stdout}");
}

#[test]
fn scenario_mistakes_are_one_line_and_status_2() {
    for (args, expected) in [
        (vec!["scenario"], "name a scenario"),
        (
            vec!["scenario", "thundering"],
            "unknown scenario 'thundering' (valid: cache-aside,",
        ),
        (
            vec!["scenario", "stampede", "--strategy", "jitter"],
            "try the expiry-storm scenario",
        ),
        (vec!["scenario", "stampede", "--size", "0"], "--size 0"),
        (
            vec!["scenario", "stampede", "--pattern", "write-sideways"],
            "unknown pattern 'write-sideways'",
        ),
    ] {
        assert_one_line_error(&args, expected);
    }
}

#[test]
fn help_and_version() {
    let (code, stdout, _) = cachesim(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("cachesim sim (--trace FILE"));
    // Each command's help lists every flag with its range, from the range table.
    let (code, stdout, _) = cachesim(&["sim", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: cachesim sim [OPTIONS]"), "{stdout}");
    assert!(stdout.contains("--keys <N>"), "{stdout}");
    assert!(stdout.contains("[1 to 9007199254740992 keys]"), "{stdout}");
    let (code, stdout, _) = cachesim(&["scenario", "-h"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--db-latency <MS>"), "{stdout}");
    assert!(stdout.contains("[1 to 200 milliseconds]"), "{stdout}");
    // Shell completions, and a clear line for a shell it does not know.
    let (code, stdout, _) = cachesim(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("_cachesim") && stdout.contains("--db-latency"));
    assert_one_line_error(&["completions", "tcsh"], "unknown shell 'tcsh'");
    assert_one_line_error(&["completions"], "completions takes one shell");
    let (code, stdout, _) = cachesim(&["--version"]);
    assert_eq!(
        (code, stdout.trim()),
        (0, concat!("cachesim ", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn only_regular_files_or_standard_input_are_read_as_traces() {
    let dir = std::env::temp_dir();
    for path in ["/dev/zero", dir.to_str().unwrap()] {
        assert_one_line_error(
            &[
                "sim", "--trace", path, "--format", "txt", "--policy", "lru", "--size", "1",
            ],
            "is not a regular file (a directory, a device or a pipe): give a trace file, or - to read standard input",
        );
    }
    // `-` reads standard input, explicitly asked for.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cachesim"))
        .args([
            "sim", "--trace", "-", "--format", "txt", "--policy", "lru", "--size", "1",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cachesim runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"\xEF\xBB\xBFa\nb\na\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    // The byte-order mark is not part of the first key: a, b, a are 2 distinct keys.
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("3 requests, 2 distinct keys"));
}

#[test]
fn tinylfu_adaptive_window_runs_from_the_command_line_as_in_the_engine() {
    use cache_playground::engine::policy::{TinyLfu, TinyLfuWindow};
    use cache_playground::engine::{TraceFormat, read_trace, replay};
    // Recency-biased: a new key every step, and one from 30 to 129 steps back.
    let mut text = String::new();
    let mut state = 7u64;
    for step in 0..20_000u64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(&format!(
            "{step}\n{}\n",
            step.saturating_sub(30 + state % 100)
        ));
    }
    let path = temp_file("recency.txt", text.as_bytes());
    let hits = |window: &str| {
        let (code, stdout, stderr) = cachesim(&[
            "sim",
            "--trace",
            path.to_str().unwrap(),
            "--policy",
            "tinylfu",
            "--size",
            "200",
            "--tinylfu-window",
            window,
            "--json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
        json["results"][0]["hits"].as_u64().expect("hits")
    };
    let trace = read_trace("recency.txt", text.as_bytes(), &TraceFormat::Text).unwrap();
    let mut adaptive = TinyLfu::with_window(200, TinyLfuWindow::Adaptive);
    let expected = replay(&mut adaptive, trace.keys.iter().copied()).hits;
    assert_eq!(hits("adaptive"), expected);
    // The window grows on this trace, and the hits with it (the fixed 1% loses every duel).
    assert!(
        expected > 3 * hits("fixed"),
        "{expected} against {}",
        hits("fixed")
    );
}

/// (key, size) requests with sizes that change now and then, and some of size 0.
fn sized_requests() -> Vec<(u64, u32)> {
    let mut state = 11u64;
    (0..30_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let key = (state % 1_000) * (state % 7 + 1) % 1_500;
            let size = match state % 97 {
                0 => 0,
                1 => 3_000 + (state % 5_000) as u32,
                _ => 100 + (key * 37 % 4_000) as u32,
            };
            (key, size)
        })
        .collect()
}

#[test]
fn object_sizes_give_the_same_numbers_from_every_format_and_the_engines() {
    use cache_playground::engine::{
        ByteCapacity, NextUse, PolicyKind, PolicyOptions, replay_in_bytes,
    };
    let requests = sized_requests();
    let mut text = String::new();
    let mut csv = String::from("time,size,object\n");
    // oracleGeneral twice: with the raw ids, and with the numbers the text and CSV readers give
    // the keys (by first appearance among the requests kept), which tinylfu's sketch hashes.
    let (mut oracle, mut numbered_oracle) = (Vec::new(), Vec::new());
    let mut numbers = std::collections::HashMap::new();
    for (time, &(key, size)) in requests.iter().enumerate() {
        text.push_str(&format!("k{key} {size}\n"));
        csv.push_str(&format!("{time},{size},k{key}\n"));
        let next = numbers.len() as u64;
        let number = match size {
            0 => u64::MAX,
            _ => *numbers.entry(key).or_insert(next),
        };
        for (out, id) in [(&mut oracle, key), (&mut numbered_oracle, number)] {
            out.extend_from_slice(&(time as u32).to_le_bytes());
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(-1i64).to_le_bytes());
        }
    }
    let text_path = temp_file("sized.txt", text.as_bytes());
    let csv_path = temp_file("sized.csv", csv.as_bytes());
    let oracle_path = temp_file("sized.oracleGeneral", &oracle);
    let numbered_path = temp_file("numbered.oracleGeneral", &numbered_oracle);
    let policies = "all";
    let run = |trace: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "sim",
            "--trace",
            trace.to_str().unwrap(),
            "--policy",
            policies,
            "--size",
            "5%,20%,64KiB,1.5MB",
            "--json",
        ];
        args.extend(extra);
        let (code, stdout, stderr) = cachesim(&args);
        assert_eq!(code, 0, "{stderr}");
        let mut json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
        for row in json["results"].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("requests_per_sec");
        }
        json
    };
    let from_text = run(&text_path, &["--object-sizes"]);
    // --size-column implies --object-sizes; the key column is named, the size column by index.
    let from_csv = run(&csv_path, &["--key-column", "object", "--size-column", "2"]);
    assert_eq!(from_text, from_csv);
    assert_eq!(from_text, run(&numbered_path, &["--object-sizes"]));
    // With raw ids every policy but tinylfu gives the same numbers (its sketch hashes other ids,
    // so its estimates collide elsewhere).
    let mut from_oracle = run(&oracle_path, &["--object-sizes"]);
    let mut without_tinylfu = from_text.clone();
    for json in [&mut from_oracle, &mut without_tinylfu] {
        json["results"]
            .as_array_mut()
            .unwrap()
            .retain(|row| row["policy"] != "tinylfu");
    }
    assert_eq!(without_tinylfu, from_oracle);
    let trace = &from_text["trace"];
    let kept: Vec<(u64, u32)> = requests
        .iter()
        .copied()
        .filter(|&(_, size)| size > 0)
        .collect();
    assert_eq!(trace["requests"], kept.len());
    assert_eq!(trace["zero_sized_requests"], requests.len() - kept.len());
    assert_eq!(trace["size_unit"], "bytes");
    let mut first_sizes = std::collections::HashMap::new();
    for &(key, size) in &kept {
        first_sizes.entry(key).or_insert(u64::from(size));
    }
    let working_set: u64 = first_sizes.values().sum();
    assert_eq!(trace["working_set_bytes"], working_set);
    assert_eq!(trace["unique_keys"], first_sizes.len());
    // Every row is the engine's own replay of the same requests, their keys numbered as the
    // text reader numbers them.
    let kept: Vec<(u64, u32)> = kept
        .iter()
        .map(|&(key, size)| (numbers[&key], size))
        .collect();
    let keys: Vec<u64> = kept.iter().map(|&(key, _)| key).collect();
    let future = NextUse::from_trace(&keys);
    let options = PolicyOptions {
        seed: 1,
        // tinylfu's sketch is sized by the objects' mean size, rounded down.
        mean_object_size: working_set / first_sizes.len() as u64,
        ..PolicyOptions::default()
    };
    let rows = from_text["results"].as_array().unwrap();
    assert_eq!(rows.len(), 11 * 4);
    for row in rows {
        let kind: PolicyKind = row["policy"].as_str().unwrap().parse().unwrap();
        let size = row["size"].as_u64().unwrap();
        let bytes = ByteCapacity::new(u128::from(size)).unwrap();
        let mut policy = kind.build_in_bytes(bytes, &options, &future);
        let (result, totals) = replay_in_bytes(policy.as_mut(), kept.iter().copied());
        assert_eq!(row["hits"], result.hits, "{kind} at {size}");
        assert_eq!(row["misses"], result.misses, "{kind} at {size}");
        assert_eq!(row["evictions"], result.evictions, "{kind} at {size}");
        assert_eq!(row["bytes_requested"], totals.requested, "{kind} at {size}");
        assert_eq!(row["bytes_missed"], totals.missed, "{kind} at {size}");
        // serde_json reads decimals back to within an ulp, not always exactly.
        let ratio = row["byte_miss_ratio"].as_f64().unwrap();
        assert!(
            (ratio - totals.miss_ratio()).abs() < 1e-12,
            "{kind} at {size}"
        );
    }
    let sizes: Vec<u64> = rows
        .iter()
        .take(4)
        .map(|row| row["size"].as_u64().unwrap())
        .collect();
    let share = |percent: f64| (percent / 100.0 * working_set as f64).round() as u64;
    assert_eq!(sizes, [share(5.0), share(20.0), 65_536, 1_500_000]);
    // OPT is the floor of every other policy here (bypass, at these sizes).
    for size in 0..4 {
        let misses = |policy: usize| rows[policy * 4 + size]["misses"].as_u64().unwrap();
        assert!((0..10).all(|policy| misses(10) <= misses(policy)));
    }
}

#[test]
fn object_size_mistakes_are_one_line_and_status_2() {
    let text = temp_file("sizes.txt", b"a 10\nb 20\n");
    let csv = temp_file("sizes.csv", b"a,10\n");
    let plain = temp_file("plain.txt", b"a\nb\n");
    let zeros = temp_file("zeros.txt", b"a 0\nb 0\n");
    let text = text.to_str().unwrap();
    let sim = |trace: &str, extra: &[&str], expected: &str| {
        let mut args = vec!["sim", "--trace", trace];
        if !extra.contains(&"--policy") {
            args.extend(["--policy", "lru"]);
        }
        args.extend(extra);
        assert_one_line_error(&args, expected);
    };
    for (size, expected) in [
        ("64MiB", "--size 64MiB is in bytes: add --object-sizes"),
        ("1GB,10", "--size 1GB is in bytes: add --object-sizes"),
    ] {
        sim(text, &["--size", size], expected);
    }
    for (size, expected) in [
        ("0", "--size 0: use 1 to 1152921504606846976 bytes"),
        ("0B", "--size 0B: use 1 to 1152921504606846976 bytes"),
        (
            "2EiB",
            "--size expects bytes, 1 to 1152921504606846976 bytes",
        ),
        ("64 MeB", "--size expects bytes"),
        ("1.5B", "--size 1.5B is not a whole number of bytes"),
        ("1.0000000000001KB", "--size expects bytes"),
        ("2000PB", "--size expects bytes"),
        (
            "99999999999999999999999GiB",
            "--size 99999999999999999999999GiB: use 1 to",
        ),
        (
            "0%",
            "--size 0%: use above 0 and at most 100% of the working set's bytes",
        ),
        ("0.0000001%", "rounds to 0 bytes"),
    ] {
        sim(text, &["--object-sizes", "--size", size], expected);
    }
    sim(
        text,
        &["--object-sizes", "--size", "1KiB", "--ttl", "5"],
        "--ttl cannot be combined with --object-sizes yet",
    );
    sim(
        csv.to_str().unwrap(),
        &["--object-sizes", "--size", "1KiB"],
        "--object-sizes with a CSV trace needs --size-column",
    );
    sim(
        text,
        &["--size-column", "2", "--size", "1KiB"],
        "--key-column, --size-column and --header apply to CSV traces only",
    );
    sim(
        plain.to_str().unwrap(),
        &["--object-sizes", "--size", "1KiB"],
        "line 1: expected a key and its size in bytes ('key 4096'), found 'a'",
    );
    sim(
        zeros.to_str().unwrap(),
        &["--object-sizes", "--size", "1KiB"],
        "every request (2) has size 0",
    );
    assert_one_line_error(
        &[
            "sim",
            "--workload",
            "zipf",
            "--keys",
            "10",
            "--requests",
            "10",
            "--policy",
            "lru",
            "--size",
            "1KiB",
            "--object-sizes",
        ],
        "--object-sizes applies to --trace, not to --workload",
    );
}

#[test]
fn a_warm_up_with_object_sizes_counts_only_the_requests_after_it() {
    use cache_playground::engine::{
        ByteCapacity, NextUse, PolicyKind, PolicyOptions, replay_in_bytes,
    };
    let requests: Vec<(u64, u32)> = sized_requests()
        .into_iter()
        .filter(|&(_, size)| size > 0)
        .collect();
    let text: String = requests
        .iter()
        .map(|(key, size)| format!("{key} {size}\n"))
        .collect();
    let path = temp_file("warm.txt", text.as_bytes());
    let (code, stdout, stderr) = cachesim(&[
        "sim",
        "--trace",
        path.to_str().unwrap(),
        "--object-sizes",
        "--policy",
        "lru,arc,tinylfu,opt",
        "--size",
        "256KiB",
        "--warmup",
        "25%",
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let warm = (requests.len() as f64 * 0.25).round() as usize;
    assert_eq!(json["trace"]["warmup"], warm);
    // Text keys are numbered in order of first appearance.
    let mut numbers = std::collections::HashMap::new();
    let numbered: Vec<(u64, u32)> = requests
        .iter()
        .map(|&(key, size)| {
            let next = numbers.len() as u64;
            (*numbers.entry(key).or_insert(next), size)
        })
        .collect();
    let keys: Vec<u64> = numbered.iter().map(|&(key, _)| key).collect();
    let future = NextUse::from_trace(&keys);
    let mut first_sizes = std::collections::HashMap::new();
    for &(key, size) in &numbered {
        first_sizes.entry(key).or_insert(u64::from(size));
    }
    let options = PolicyOptions {
        seed: 1,
        mean_object_size: first_sizes.values().sum::<u64>() / first_sizes.len() as u64,
        ..PolicyOptions::default()
    };
    for row in json["results"].as_array().unwrap() {
        let kind: PolicyKind = row["policy"].as_str().unwrap().parse().unwrap();
        let bytes = ByteCapacity::new(256 * 1024).unwrap();
        let mut policy = kind.build_in_bytes(bytes, &options, &future);
        replay_in_bytes(policy.as_mut(), numbered[..warm].iter().copied());
        let (result, totals) = replay_in_bytes(policy.as_mut(), numbered[warm..].iter().copied());
        assert_eq!(row["hits"], result.hits, "{kind}");
        assert_eq!(row["misses"], result.misses, "{kind}");
        assert_eq!(row["bytes_requested"], totals.requested, "{kind}");
        assert_eq!(row["bytes_missed"], totals.missed, "{kind}");
        assert_eq!(result.hits + result.misses, (requests.len() - warm) as u64);
    }
}

#[test]
fn a_temporary_directory_that_cannot_be_used_is_one_line() {
    // The requests wait in a temporary file: where TMPDIR points nowhere, that is said.
    let output = Command::new(env!("CARGO_BIN_EXE_cachesim"))
        .args([
            "sim",
            "--workload",
            "zipf",
            "--keys",
            "100",
            "--requests",
            "1000",
            "--policy",
            "lru",
            "--size",
            "10",
        ])
        .env("TMPDIR", "/nonexistent/cachesim-no-such-directory")
        .output()
        .expect("cachesim runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "cachesim: error: cannot use a temporary file for the requests (set TMPDIR"
        ),
        "{stderr}"
    );
}

#[test]
fn mrc_mistakes_are_one_line_and_status_2() {
    let workload = ["--workload", "zipf", "--keys", "100", "--requests", "1000"];
    for (extra, expected) in [
        (&["--ttl", "5"][..], "--ttl does not apply to mrc"),
        (&["--warmup", "10"], "--warmup does not apply to mrc"),
        (
            &["--sample", "0.1", "--sample-size", "500"],
            "either --sample RATE or --sample-size N",
        ),
        (&["--sample", "0"], "--sample 0: use 0.000001 to 1"),
        (&["--sample-size", "5"], "--sample-size 5: use 100 to"),
        (
            &["--sample", "0.000001"],
            "the sample (0.0001% of the keys) holds none of the trace's 99 distinct keys",
        ),
        (&["--size", "0"], "--size 0"),
        (&["--policy", "nope"], "unknown policy 'nope'"),
    ] {
        let args: Vec<&str> = ["mrc"]
            .iter()
            .chain(&workload)
            .chain(extra)
            .copied()
            .collect();
        assert_one_line_error(&args, expected);
    }
    // Work past the limit suggests sampling.
    assert_one_line_error(
        &[
            "mrc",
            "--workload",
            "zipf",
            "--keys",
            "1000000",
            "--requests",
            "100000000",
            "--policy",
            "all",
        ],
        "or sample the keys (--sample 0.01)",
    );
}

#[test]
fn mrc_help_lists_its_flags_and_not_the_ones_it_refuses() {
    let (code, help, _) = cachesim(&["mrc", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--sample <RATE>",
        "--sample-size <N>",
        "--trace",
        "--object-sizes",
        "--json",
    ] {
        assert!(help.contains(flag), "{flag} in {help}");
    }
    for refused in ["--ttl", "--warmup"] {
        assert!(!help.contains(refused), "{refused} in {help}");
    }
}
