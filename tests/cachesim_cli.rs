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

/// A file in a fresh temporary directory for this test.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cachesim-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
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
            "unknown command 'frobnicate' (valid: sim, scenario",
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
