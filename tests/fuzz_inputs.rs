//! Fuzzing on the stable toolchain: every reader of outside input (text, CSV, oracleGeneral and
//! zstd traces, links, and `cachesim sim` / `mrc` / `scenario` arguments) gets the committed corpus in
//! `tests/fixtures/fuzz/<target>/` (every hostile case of issue #12 among them) and then
//! generated inputs: corpus entries mutated (bits flipped, bytes inserted, removed, runs
//! repeated, cut short) and plain random ones. For each input the target checks what must hold:
//! no panic, errors as one short line of plain text, and results equal to a simple reference
//! model where one exists (so an input is never read as something else in silence).
//!
//! `make test` runs 500 generated cases a target. A longer run, say a million a target:
//!
//! ```text
//! FUZZ_CASES=1000000 cargo test --release --test fuzz_inputs
//! ```
//!
//! Corpus files whose names start with `once-` (the 1.1 GB zstd bomb) are read once each run and
//! never mutated: each costs a second of decoding.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::Path;

use cache_playground::cachesim::{parse_mrc, parse_scenario, parse_sim};
use cache_playground::config::Link;
use cache_playground::engine::{
    Fields, KeyColumn, Trace, TraceFormat, read_trace, read_trace_with,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Generated cases per target: `FUZZ_CASES`, or 500.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(500)
}

/// The corpus of `target`: (file name, contents), sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a readable corpus file"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of {target} is empty");
    files
}

/// One mutation of an input.
#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Repeat(usize, usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    prop::sample::select(b"\n\r,\"\0\x1b\xEF\xBB\xBF0123456789-=&%".to_vec()),
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1usize..16).prop_map(|(at, len)| Mutation::Remove(at, len)),
        (any::<usize>(), 1usize..32, 1usize..64)
            .prop_map(|(at, len, times)| Mutation::Repeat(at, len, times)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = bytes.len();
        let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
        match mutation {
            Mutation::FlipBit(i, bit) if len > 0 => bytes[i % len] ^= 1 << bit,
            Mutation::FlipBit(..) => {}
            Mutation::Insert(i, new) => {
                let i = at(*i);
                bytes.splice(i..i, new.iter().copied());
            }
            Mutation::Remove(i, n) => {
                let i = at(*i);
                bytes.drain(i..(i + n).min(len));
            }
            Mutation::Repeat(i, n, times) => {
                let i = at(*i);
                let run: Vec<u8> = bytes[i..(i + n).min(len)].to_vec();
                for _ in 0..*times {
                    bytes.splice(i..i, run.iter().copied());
                }
            }
            Mutation::Truncate(i) => bytes.truncate(at(*i)),
        }
    }
    bytes
}

/// Inputs for a target: mutated corpus entries (not the `once-` ones) or random bytes.
fn inputs(target: &str) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = corpus(target)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("once-"))
        .map(|(_, bytes)| bytes)
        .collect();
    prop_oneof![
        4 => (prop::sample::select(seeds), prop::collection::vec(mutation(), 1..6))
            .prop_map(|(seed, mutations)| mutate(seed, &mutations)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Runs `check` on every corpus entry of `target`, then on [`cases`] generated inputs.
fn fuzz(target: &str, check: impl Fn(&[u8]) -> Result<(), TestCaseError>) {
    for (name, bytes) in corpus(target) {
        if let Err(failure) = check(&bytes) {
            panic!("corpus entry {target}/{name}: {failure}");
        }
    }
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&inputs(target), |bytes| check(&bytes));
    if let Err(failure) = result {
        panic!("{target}: {failure}");
    }
}

/// A message for people: one line, no control characters, short.
fn one_plain_line(message: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !message.chars().any(char::is_control),
        "a control character in {message:?}"
    );
    prop_assert!(
        message.chars().count() <= 2_000,
        "{} characters",
        message.chars().count()
    );
    Ok(())
}

/// Numbers keys by first appearance, the plain way.
fn reference_numbers<'a>(keys: impl Iterator<Item = &'a [u8]>) -> (Vec<u64>, usize) {
    let mut numbers: HashMap<&[u8], u64> = HashMap::new();
    let keys = keys
        .map(|key| {
            let next = numbers.len() as u64;
            *numbers.entry(key).or_insert(next)
        })
        .collect();
    (keys, numbers.len())
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The lines of a trace, the plain way.
fn reference_lines(bytes: &[u8]) -> Vec<&[u8]> {
    without_bom(bytes)
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .collect()
}

/// The trace `read_trace` must return for `keys`, or the error when there are none.
fn expect_keys(
    result: &Result<Trace, cache_playground::engine::TraceError>,
    keys: Vec<&[u8]>,
) -> Result<(), TestCaseError> {
    let (numbers, unique) = reference_numbers(keys.into_iter());
    match result {
        Ok(trace) => {
            prop_assert_eq!(&trace.keys, &numbers);
            prop_assert_eq!(trace.unique_keys, unique);
        }
        Err(error) => {
            prop_assert!(numbers.is_empty(), "refused a trace with keys: {}", error);
            one_plain_line(&error.to_string())?;
        }
    }
    Ok(())
}

#[test]
fn text_traces() {
    fuzz("text", |bytes| {
        let result = read_trace("t.txt", bytes, &TraceFormat::Text);
        let keys = reference_lines(bytes)
            .into_iter()
            .map(<[u8]>::trim_ascii)
            .filter(|key| !key.is_empty())
            .collect();
        expect_keys(&result, keys)
    });
}

/// Splits one CSV record as RFC 4180 says, the plain way (a quote opens a quoted part only at
/// the start of a field's value; `""` inside is a quote).
fn reference_csv_fields(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut fields = vec![Vec::new()];
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        let field = fields.last_mut().unwrap();
        match (quoted, b) {
            (true, b'"') if line.get(i + 1) == Some(&b'"') => {
                field.push(b'"');
                i += 1;
            }
            (true, b'"') => quoted = false,
            (false, b',') => fields.push(Vec::new()),
            (false, b'"') if field.is_empty() => quoted = true,
            (_, b) => field.push(b),
        }
        i += 1;
    }
    (!quoted).then_some(fields)
}

#[test]
fn csv_traces() {
    for (column, header) in [(1, false), (2, true), (3, false)] {
        fuzz("csv", |bytes| {
            let format = TraceFormat::Csv {
                key_column: KeyColumn::Index(column),
                size_column: None,
                header,
            };
            let result = read_trace("t.csv", bytes, &format);
            let rows = reference_lines(bytes)
                .into_iter()
                .filter(|line| !line.trim_ascii().is_empty())
                .skip(usize::from(header));
            let mut keys = Vec::new();
            let mut owned = Vec::new();
            for row in rows {
                match reference_csv_fields(row) {
                    Some(fields) if fields.len() >= column => owned.push(fields),
                    _ => {
                        // The reader stops at the first bad row, with a message.
                        let error = result.as_ref().err();
                        prop_assert!(error.is_some(), "accepted a bad row {:?}", row);
                        return one_plain_line(&error.unwrap().to_string());
                    }
                }
            }
            for fields in &owned {
                keys.push(fields[column - 1].trim_ascii());
            }
            expect_keys(&result, keys)
        });
    }
    // By name: whatever the header, no panic, and a plain message.
    fuzz("csv", |bytes| {
        let format = TraceFormat::Csv {
            key_column: KeyColumn::Name("key".to_owned()),
            size_column: None,
            header: true,
        };
        match read_trace("t.csv", bytes, &format) {
            Ok(trace) => prop_assert!(trace.unique_keys <= trace.keys.len()),
            Err(error) => one_plain_line(&error.to_string())?,
        }
        Ok(())
    });
}

#[test]
fn traces_read_with_their_sizes() {
    let sizes = Fields {
        sizes: true,
        ..Fields::default()
    };
    let formats = [
        TraceFormat::Text,
        TraceFormat::Csv {
            key_column: KeyColumn::Index(1),
            size_column: Some(KeyColumn::Index(2)),
            header: false,
        },
        TraceFormat::Csv {
            key_column: KeyColumn::Name("key".to_owned()),
            size_column: Some(KeyColumn::Name("size".to_owned())),
            header: true,
        },
        TraceFormat::OracleGeneral,
    ];
    for format in formats {
        fuzz("sized", |bytes| {
            match read_trace_with("t", bytes, &format, sizes) {
                Ok(trace) => {
                    let kept = trace.sizes.as_deref().unwrap_or_default();
                    prop_assert_eq!(kept.len(), trace.keys.len());
                    prop_assert!(kept.iter().all(|&size| size > 0), "a size 0 was kept");
                }
                Err(error) => one_plain_line(&error.to_string())?,
            }
            Ok(())
        });
    }
}

/// Whether `bytes` would be taken for zstd (a frame or a skippable frame).
fn looks_like_zstd(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD])
        || matches!(bytes, [0x50..=0x5F, 0x2A, 0x4D, 0x18, ..])
}

#[test]
fn oracle_general_traces() {
    fuzz("oracle", |bytes| {
        let result = read_trace("t.oracleGeneral", bytes, &TraceFormat::OracleGeneral);
        if looks_like_zstd(bytes) {
            if let Err(error) = &result {
                one_plain_line(&error.to_string())?;
            }
            return Ok(());
        }
        match &result {
            Ok(trace) => {
                prop_assert!(bytes.len() % 24 == 0 && !bytes.is_empty());
                let ids: Vec<u64> = bytes
                    .chunks_exact(24)
                    .map(|r| u64::from_le_bytes(r[4..12].try_into().unwrap()))
                    .collect();
                prop_assert_eq!(&trace.keys, &ids);
            }
            Err(error) => {
                prop_assert!(bytes.len() % 24 != 0 || bytes.is_empty());
                one_plain_line(&error.to_string())?;
            }
        }
        Ok(())
    });
}

#[test]
fn zstd_traces() {
    let original = read_trace(
        "t.zst",
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/three-records-checksummed.oracleGeneral.zst"),
        )
        .unwrap(),
        &TraceFormat::OracleGeneral,
    )
    .unwrap();
    fuzz("zstd", |bytes| {
        match read_trace("t.zst", bytes, &TraceFormat::OracleGeneral) {
            Ok(trace) => {
                // The checksummed frame, changed, is refused or reads the same (a change in a
                // part that does not alter the data); a different answer would be silent.
                if bytes.len() == 45 && looks_like_zstd(bytes) && trace.keys.len() == 3 {
                    prop_assert_eq!(&trace, &original);
                }
            }
            Err(error) => one_plain_line(&error.to_string())?,
        }
        Ok(())
    });
}

#[test]
fn links() {
    fuzz("url", |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let link = Link::parse(&text);
        prop_assert_eq!(link.config.is_some(), link.demo.is_some());
        for note in &link.notes {
            one_plain_line(note)?;
            prop_assert!(note.chars().count() < 400, "{}", note);
        }
        Ok(())
    });
}

/// Arguments from a corpus entry: one per line.
fn arguments(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn scenario_arguments() {
    fuzz("scenario-args", |bytes| {
        if let Err(message) = parse_scenario(&arguments(bytes)) {
            one_plain_line(&message)?;
        }
        Ok(())
    });
}

#[test]
fn sim_arguments() {
    fuzz("sim-args", |bytes| {
        if let Err(message) = parse_sim(&arguments(bytes)) {
            one_plain_line(&message)?;
        }
        Ok(())
    });
}

#[test]
fn mrc_arguments() {
    fuzz("mrc-args", |bytes| {
        if let Err(message) = parse_mrc(&arguments(bytes)) {
            one_plain_line(&message)?;
        }
        Ok(())
    });
}
