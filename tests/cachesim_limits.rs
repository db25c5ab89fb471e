//! Every limit in `config::limits` at each of its edges, through the real argument parsers: the
//! smallest and largest values are accepted, one step past either end is refused with one line
//! that names the flag and the range. The walk is over the table itself, so a limit added there
//! is tested here without another line (and a derived limit without a test fails below).
#![cfg(not(target_arch = "wasm32"))]

use cache_playground::cachesim::{parse_mrc, parse_scenario, parse_sim};
use cache_playground::config::limits::{self, ALL, Command, Limit, Span};
use cache_playground::engine::PolicyKind;

/// A `sim`, `mrc` or `scenario` command that gives `limit`'s flag `value`, every other flag valid.
fn command_with(limit: &Limit, value: &str) -> Vec<String> {
    let mut words: Vec<String> = match limit.command {
        Command::Sim => {
            // The policies' own options apply to their policy only.
            let policy = match limit.flag {
                "--clock-bits" => "clock",
                "--s3fifo-threshold" | "--s3fifo-ghost" => "s3fifo",
                _ => "lru",
            };
            // Sizes in bytes need a trace read with its object sizes (only named here: parsing
            // does not open it).
            let mut flags = if limit.unit.contains("bytes") {
                vec![
                    ("--trace", "t.txt".to_owned()),
                    ("--object-sizes", String::new()),
                ]
            } else {
                vec![
                    ("--workload", "zipf".to_owned()),
                    ("--keys", "100".to_owned()),
                    ("--requests", "1000".to_owned()),
                ]
            };
            flags.extend([("--policy", policy.to_owned()), ("--size", "10".to_owned())]);
            let value = if limit.unit.starts_with('%') {
                format!("{value}%")
            } else {
                value.to_owned()
            };
            match flags.iter_mut().find(|(flag, _)| *flag == limit.flag) {
                Some((_, given)) => *given = value,
                None => flags.push((limit.flag, value)),
            }
            flags
                .into_iter()
                .flat_map(|(flag, value)| [flag.to_owned(), value])
                .filter(|word| !word.is_empty())
                .collect()
        }
        Command::Mrc => ["--workload", "zipf", "--keys", "100", "--requests", "1000"]
            .into_iter()
            .map(str::to_owned)
            .chain([limit.flag.to_owned(), value.to_owned()])
            .collect(),
        Command::Scenario | Command::Memo => {
            let name = match (limit.command, limit.flag) {
                (Command::Memo, _) => "memo",
                (_, "--lock-ttl" | "--backoff") => "stampede",
                _ => "cache-aside",
            };
            let value = if limit.flag == "--db-down" {
                // An outage from the start to `value` (from 0 to 1 at the lowest end); one
                // starting past the end is tested below.
                format!("0-{}", if value == "0" { "1" } else { value })
            } else {
                value.to_owned()
            };
            vec![name.to_owned(), limit.flag.to_owned(), value]
        }
    };
    if matches!(limit.flag, "--lock-ttl" | "--backoff") {
        words.extend(["--strategy".to_owned(), "lock".to_owned()]);
    }
    words
}

fn parse(limit: &Limit, value: &str) -> Result<(), String> {
    let words = command_with(limit, value);
    match limit.command {
        Command::Sim => parse_sim(&words).map(|_| ()),
        Command::Mrc => parse_mrc(&words).map(|_| ()),
        Command::Scenario | Command::Memo => parse_scenario(&words).map(|_| ()),
    }
}

/// Values at and just past each end of `limit`: (accepted, refused).
fn edges(limit: &Limit) -> (Vec<String>, Vec<String>) {
    match limit.span {
        Span::Whole { min, max } => {
            let mut refused = vec![
                max.checked_add(1)
                    .map_or("18446744073709551616".to_owned(), |past| past.to_string()),
            ];
            if let Some(below) = min.checked_sub(1) {
                refused.push(below.to_string());
            }
            refused.extend(["-1".to_owned(), "1.5".to_owned(), "x".to_owned()]);
            (vec![min.to_string(), max.to_string()], refused)
        }
        Span::Decimal { min, above, max } => {
            let step = 1e-3;
            let (lowest, below) = if above {
                (min + step, min)
            } else {
                (min, min - step)
            };
            (
                vec![lowest.to_string(), max.to_string()],
                vec![
                    below.to_string(),
                    (max + step).to_string(),
                    "NaN".to_owned(),
                    "inf".to_owned(),
                    "x".to_owned(),
                ],
            )
        }
    }
}

#[test]
fn every_flag_is_accepted_at_its_edges_and_refused_one_step_past_them() {
    let mut tested = 0;
    for limit in ALL.iter().filter(|limit| limit.is_flag()) {
        let (accepted, refused) = edges(limit);
        for value in &accepted {
            if let Err(error) = parse(limit, value) {
                panic!("{} {value} is in range but refused: {error}", limit.flag);
            }
        }
        for value in &refused {
            let Err(error) = parse(limit, value) else {
                panic!(
                    "{:?} {} {value} is out of range but accepted",
                    limit.command, limit.flag
                );
            };
            assert!(
                error.starts_with(limit.flag) || error.contains(&format!(" {}", limit.flag)),
                "{} {value}: the message names the flag: {error}",
                limit.flag
            );
            let range = limit.range_words();
            let range = range.split(',').next().unwrap_or(&range);
            assert!(
                error.contains(range),
                "{} {value}: the message gives the range {range:?}: {error}",
                limit.flag
            );
            assert!(!error.contains('\n') && error.len() < 200, "{error}");
        }
        tested += 1;
    }
    assert_eq!(tested, ALL.iter().filter(|limit| limit.is_flag()).count());
}

#[test]
fn an_outage_starts_and_ends_within_the_hour() {
    let start_past = format!("{}-{}", limits::SCENARIO_DB_DOWN.max() + 1, u64::MAX);
    for window in ["5-5", "9-3", "-5", "5-", start_past.as_str()] {
        let words = ["cache-aside", "--db-down", window].map(String::from);
        let error = parse_scenario(&words).expect_err(window);
        assert!(error.starts_with("--db-down "), "{error}");
    }
}

/// The limits that are counts the command derives rather than flags, each with its test here.
#[test]
fn every_derived_limit_is_tested_at_its_edge() {
    for limit in ALL.iter().filter(|limit| !limit.is_flag()) {
        match **limit {
            limit if limit == limits::SIM_WORK => replay_work_edge(),
            limit if limit == limits::SIM_TRACE_BYTES => trace_bytes_edge(),
            limit if limit == limits::SIM_STREAMED_BYTES => streamed_bytes_edge(),
            limit if limit == limits::SCENARIO_REQUESTS => scenario_requests_edge(),
            limit if limit == limits::SIM_MEMORY => replay_memory_edge(),
            // Numbering keys and counting requests at their limits: the unit tests of
            // `engine::trace` and `engine::key_numbers` (with small limits; the real ones
            // are checked to be these).
            limit if limit == limits::SIM_TRACE_REQUESTS => assert_eq!(
                limit.max(),
                cache_playground::engine::trace::MAX_TRACE_REQUESTS as u64
            ),
            limit if limit == limits::SIM_TRACE_KEYS => assert_eq!(
                limit.max(),
                cache_playground::engine::trace::MAX_TRACE_KEYS as u64
            ),
            other => panic!("{} has no edge test", other.flag),
        }
    }
}

fn sim(line: &str) -> Result<(), String> {
    let words: Vec<String> = line.split_whitespace().map(String::from).collect();
    parse_sim(&words).map(|_| ())
}

fn replay_work_edge() {
    let max = limits::SIM_WORK.max();
    // Ten sizes of 100M lru requests is exactly the limit; one more size is past it.
    let sizes = |count: usize| vec!["1"; count].join(",");
    let line = |count| {
        format!(
            "--workload uniform --keys 10 --requests 100000000 --policy lru --size {}",
            sizes(count)
        )
    };
    assert_eq!(100_000_000 * 10, max);
    assert!(sim(&line(10)).is_ok());
    let error = sim(&line(11)).unwrap_err();
    assert!(error.contains(&format!("the limit is {max}")), "{error}");
    // Weighted: opt costs 8 lru requests.
    let weight = limits::replay_cost(PolicyKind::Opt);
    assert!(limits::check_sim_work(max / weight, &[PolicyKind::Opt], 1).is_ok());
    assert!(limits::check_sim_work(max / weight + 1, &[PolicyKind::Opt], 1).is_err());
    // Saturating, never wrapping into an accepted count.
    assert!(limits::check_sim_work(u64::MAX, PolicyKind::ALL, usize::MAX).is_err());
}

/// A replay's shape: distinct keys, opt among the policies, the most entries of the largest
/// cache, object sizes.
fn shape(distinct: u64, opt: bool, largest: u64, sizes: bool) -> limits::ReplayShape {
    limits::ReplayShape {
        distinct,
        opt,
        largest,
        sizes,
    }
}

fn replay_memory_edge() {
    let max = limits::SIM_MEMORY.max();
    let buffers = limits::STREAM_BUFFERS;
    // The requests wait on disk: only the distinct keys cost memory while reading, 39 bytes each
    // with opt (its map of the keys seen), whatever the number of requests.
    let largest_accepted = (max - buffers) / 39;
    let all_distinct_with_opt = |keys: u64| shape(keys, true, 1, false);
    assert!(
        all_distinct_with_opt(largest_accepted)
            .check_memory()
            .is_ok()
    );
    let error = all_distinct_with_opt(largest_accepted + 1)
        .check_memory()
        .unwrap_err();
    assert!(
        error.contains(&format!("the limit is {} MB", max / 1_000_000)),
        "{error}"
    );
    // The same through the parser, which bounds distinct keys by the workload's key space.
    let line = |requests: u64, keys: &str| {
        format!("--workload uniform --keys {keys} --requests {requests} --policy opt --size 1")
    };
    assert!(sim(&line(largest_accepted, "9007199254740992")).is_ok());
    assert!(sim(&line(largest_accepted + 1, "9007199254740992")).is_err());
    // Few distinct keys: 100M requests fit.
    assert!(sim(&line(100_000_000, "1000000")).is_ok());
    // A cache larger than the keys costs no more than one holding them all.
    assert_eq!(
        shape(5, false, u64::MAX, false).memory(),
        shape(5, false, 5, false).memory()
    );
    assert_eq!(shape(u64::MAX, true, u64::MAX, false).memory(), u64::MAX);
    // Reading and replaying do not overlap: the larger of the key set and the cache counts.
    assert_eq!(shape(5, false, 1, false).memory(), buffers + 5 * 21);
    assert_eq!(shape(5, false, 5, false).memory(), buffers + 5 * 64);
    // With object sizes an entry also keeps its size.
    assert_eq!(shape(5, false, 5, true).memory(), buffers + 5 * 88);
    assert_eq!(shape(u64::MAX, true, 1, true).memory(), u64::MAX);
    // One cache of 100% of the keys fits up to 33.3M keys (2.1 GB); two of 14M (896 MB each)
    // replay in two passes instead of being refused.
    let sweep = |keys: u64, policies: &str| {
        sim(&format!(
            "--workload uniform --keys {keys} --requests {keys} --policy {policies} --size 100%"
        ))
    };
    let most_keys = (max - buffers) / 64;
    assert!(sweep(most_keys, "lru").is_ok());
    let error = sweep(most_keys + 1, "lru").unwrap_err();
    assert!(error.contains("the limit is"), "{error}");
    assert!(sweep(14_000_000, "lru,fifo").is_ok());
    let room = limits::PASS_ROOM;
    assert_eq!(room, max - buffers);
    let gigabyte_caches = [1 << 30, 1 << 30, 1, 1, room];
    assert_eq!(
        limits::passes(&gigabyte_caches, |&bytes| bytes, room),
        [0..1, 1..4, 4..5]
    );
    assert_eq!(
        limits::passes(&[u64::MAX, 1], |&bytes| bytes, room),
        [0..1, 1..2]
    );
}

fn trace_bytes_edge() {
    use cache_playground::engine::trace::check_trace_bytes;
    use cache_playground::engine::{TraceFormat, read_trace};
    let max = limits::SIM_TRACE_BYTES.max();
    assert!(check_trace_bytes(max).is_ok());
    let error = check_trace_bytes(max + 1).unwrap_err().to_string();
    assert!(
        error.contains(&format!("at most {max} are read")),
        "{error}"
    );
    assert!(check_trace_bytes(u64::MAX).is_err());
    // The reader refuses a trace one byte past the limit before reading any of it (the zeroed
    // allocation is never touched).
    let bytes = vec![0u8; max as usize + 1];
    let error = read_trace("t", &bytes, &TraceFormat::Text).unwrap_err();
    assert!(error.to_string().contains("at most"), "{error}");
}

fn streamed_bytes_edge() {
    use cache_playground::engine::trace::{
        MAX_TRACE_REQUESTS, check_bytes_within, check_trace_bytes,
    };
    let max = limits::SIM_STREAMED_BYTES.max();
    assert_eq!(max, MAX_TRACE_REQUESTS as u64 * 24);
    assert!(check_bytes_within(max, max).is_ok());
    let error = check_bytes_within(max + 1, max).unwrap_err().to_string();
    assert!(
        error.contains(&format!("at most {max} are read")),
        "{error}"
    );
    // Past the text and CSV limit, an oracleGeneral file is still read.
    assert!(check_trace_bytes(max).is_err());
    // cachesim refuses a file one byte past it by its length, before reading any of it (the
    // file is sparse: it takes no room on disk).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.oracleGeneral");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(max + 1).unwrap();
    let error = sim_trace_error(&path);
    assert!(
        error.contains(&format!("at most {max} are read")),
        "{error}"
    );
}

/// What `cachesim sim` says of the trace at `path` (lru at 1 entry).
fn sim_trace_error(path: &std::path::Path) -> String {
    use cache_playground::cachesim::{parse_sim, run_sim};
    let words = format!("--trace {} --policy lru --size 1", path.display());
    let sim = parse_sim(&words.split(' ').map(String::from).collect::<Vec<_>>()).unwrap();
    run_sim(&sim, false).unwrap_err()
}

fn scenario_requests_edge() {
    use cache_playground::engine::model::{Scenario, ScenarioError, ScenarioOptions};
    let max = limits::SCENARIO_REQUESTS.max();
    // Stampede: the estimate is TTL / 10 ms + clients. A TTL of 10 s with 1 client is 1001
    // requests; 10,000 s (the largest whole TTL that stays within 1M) runs to the estimate.
    // Built, not run: the run itself is measured by hand (README).
    let stampede = Scenario::find("stampede").unwrap();
    let build = |ttl: u64, clients: u32| {
        stampede.build(&ScenarioOptions {
            ttl: Some(ttl),
            clients: Some(clients),
            ..ScenarioOptions::default()
        })
    };
    let at_limit_ms = (max - 1) * 10;
    let (_, requests) = build(at_limit_ms, 1).unwrap();
    assert!(requests.len() as u64 <= max);
    assert!(requests.len() as u64 >= max - 1);
    let error = build(at_limit_ms + 10, 1).unwrap_err();
    assert_eq!(error, ScenarioError::TooManyRequests { requests: max + 1 });
    assert!(
        error.to_string().contains(&format!("at most {max} run")),
        "{error}"
    );
}
