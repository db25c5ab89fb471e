//! Command-line parsing for `cachesim sim`. Every error is one line saying what was wrong.

use crate::config::limits::{
    self, SIM_ALPHA, SIM_KEYS, SIM_REQUESTS, SIM_SEED, SIM_SIZE_ENTRIES, SIM_SIZE_PERCENT, SIM_TTL,
};
use crate::engine::{KeyColumn, PolicyKind, TraceFormat, Workload};

/// Where the requests come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A trace file, in a given or guessed format.
    Trace {
        /// The file's path.
        path: String,
        /// How to read it.
        format: TraceFormat,
    },
    /// A generated workload.
    Workload {
        /// Its shape.
        workload: Workload,
        /// How many requests.
        requests: u64,
        /// Its seed.
        seed: u64,
    },
}

/// A cache size as given: entries, or a percentage of the trace's distinct keys.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SizeSpec {
    /// So many entries.
    Entries(u64),
    /// This percentage of the distinct keys.
    Percent(f64),
}

/// What `cachesim sim` was asked to do.
#[derive(Clone, Debug, PartialEq)]
pub struct SimArgs {
    /// The requests.
    pub source: Source,
    /// The policies, in the order given.
    pub policies: Vec<PolicyKind>,
    /// The cache sizes, in the order given.
    pub sizes: Vec<SizeSpec>,
    /// A default TTL in seconds, if any.
    pub ttl_seconds: Option<u64>,
    /// Seed for policies that choose at random.
    pub policy_seed: u64,
    /// One JSON object instead of a table.
    pub json: bool,
}

/// The flags that take a value.
const VALUED: &[&str] = &[
    "--trace",
    "--format",
    "--key-column",
    "--workload",
    "--alpha",
    "--keys",
    "--requests",
    "--seed",
    "--policy",
    "--size",
    "--ttl",
];
/// The flags that take no value.
const SWITCHES: &[&str] = &["--json", "--header"];

/// Parses a comma-separated size list such as `100,1000` or `1%,10%`.
pub fn parse_sizes(text: &str) -> Result<Vec<SizeSpec>, String> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            if let Some(percent) = part.strip_suffix('%') {
                Ok(SizeSpec::Percent(
                    SIM_SIZE_PERCENT
                        .decimal(percent)
                        .map_err(|_| SIM_SIZE_PERCENT.refusal(part))?,
                ))
            } else if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() {
                // Digits past u64 are out of range, not "not a number".
                match part.parse::<u64>() {
                    Ok(entries) => Ok(SizeSpec::Entries(SIM_SIZE_ENTRIES.check_whole(entries, part)?)),
                    Err(_) => Err(SIM_SIZE_ENTRIES.refusal(part)),
                }
            } else {
                Err(format!(
                    "--size expects entry counts, {}, or percentages, {} (such as 100 or 10%), got '{part}'",
                    SIM_SIZE_ENTRIES.range_words(),
                    SIM_SIZE_PERCENT.range_words()
                ))
            }
        })
        .collect()
}

/// Parses a comma-separated policy list, or `all`.
pub fn parse_policies(text: &str) -> Result<Vec<PolicyKind>, String> {
    if text.trim() == "all" {
        return Ok(PolicyKind::ALL.to_vec());
    }
    text.split(',')
        .map(|id| id.parse::<PolicyKind>().map_err(|e| e.to_string()))
        .collect()
}

fn parse_format(
    text: &str,
    key_column: Option<KeyColumn>,
    header: bool,
) -> Result<TraceFormat, String> {
    match text {
        "txt" | "text" => Ok(TraceFormat::Text),
        "csv" => Ok(TraceFormat::Csv {
            key_column: key_column.unwrap_or(KeyColumn::Index(1)),
            header,
        }),
        "oracle-general" | "oraclegeneral" => Ok(TraceFormat::OracleGeneral),
        other => Err(format!(
            "unknown trace format '{other}' (valid: txt, csv, oracle-general)"
        )),
    }
}

/// The largest of `sizes` in entries, for a trace of `distinct` distinct keys.
pub fn largest_size(sizes: &[SizeSpec], distinct: u64) -> u64 {
    sizes
        .iter()
        .map(|&size| match size {
            SizeSpec::Entries(entries) => entries,
            SizeSpec::Percent(percent) => (percent / 100.0 * distinct as f64).ceil() as u64,
        })
        .max()
        .unwrap_or(0)
}

/// Parses the arguments after `sim`.
pub fn parse_sim(args: &[String]) -> Result<SimArgs, String> {
    read_sim(args).map_err(|message| super::plain_message(&message))
}

fn read_sim(args: &[String]) -> Result<SimArgs, String> {
    let mut values: Vec<(&str, &str)> = Vec::new();
    let mut switches: Vec<&str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (arg.as_str(), None),
        };
        if VALUED.contains(&flag) {
            let value = match inline {
                Some(value) => value,
                None => rest
                    .next()
                    .map(String::as_str)
                    .ok_or_else(|| format!("{flag} needs a value"))?,
            };
            if values.iter().any(|(seen, _)| *seen == flag) {
                return Err(format!("{flag} was given twice"));
            }
            values.push((flag, value));
        } else if SWITCHES.contains(&flag) && inline.is_none() {
            switches.push(flag);
        } else {
            return Err(format!(
                "unknown argument '{arg}' (see cachesim sim --help)"
            ));
        }
    }
    let value = |flag: &str| {
        values
            .iter()
            .find(|(seen, _)| *seen == flag)
            .map(|(_, value)| *value)
    };

    let source = match (value("--trace"), value("--workload")) {
        (Some(_), Some(_)) => return Err("give either --trace or --workload, not both".to_owned()),
        (None, None) => return Err(
            "give a trace (--trace FILE) or a workload (--workload zipf|uniform|scan|loop|hotspot)"
                .to_owned(),
        ),
        (Some(path), None) => {
            for flag in ["--alpha", "--keys", "--requests", "--seed"] {
                if value(flag).is_some() {
                    return Err(format!("{flag} applies to --workload, not to --trace"));
                }
            }
            let key_column = value("--key-column").map(KeyColumn::parse);
            let header = switches.contains(&"--header");
            let format = match value("--format") {
                Some(format) => parse_format(format, key_column.clone(), header)?,
                None => match TraceFormat::from_file_name(path) {
                    TraceFormat::Csv { .. } => TraceFormat::Csv {
                        key_column: key_column.clone().unwrap_or(KeyColumn::Index(1)),
                        header,
                    },
                    guessed => guessed,
                },
            };
            if (key_column.is_some() || header) && !matches!(format, TraceFormat::Csv { .. }) {
                return Err("--key-column and --header apply to CSV traces only".to_owned());
            }
            Source::Trace {
                path: path.to_owned(),
                format,
            }
        }
        (None, Some(kind)) => {
            for flag in ["--format", "--key-column"] {
                if value(flag).is_some() {
                    return Err(format!("{flag} applies to --trace, not to --workload"));
                }
            }
            let keys = SIM_KEYS
                .whole(value("--keys").ok_or("--workload needs --keys N (distinct keys)")?)?;
            let requests = SIM_REQUESTS.whole(
                value("--requests").ok_or("--workload needs --requests M (how many requests)")?,
            )?;
            let alpha = match value("--alpha") {
                Some(text) => SIM_ALPHA.decimal(text)?,
                None => 1.0,
            };
            let workload = match kind {
                "zipf" => Workload::Zipf { keys, alpha },
                "uniform" => Workload::Uniform { keys },
                "scan" => Workload::Scan { keys, alpha },
                "loop" => Workload::Loop { keys },
                "hotspot" => Workload::Hotspot { keys },
                other => {
                    return Err(format!(
                        "unknown workload '{other}' (valid: zipf, uniform, scan, loop, hotspot)"
                    ));
                }
            };
            let seed = match value("--seed") {
                Some(text) => SIM_SEED.whole(text)?,
                None => 1,
            };
            Source::Workload {
                workload,
                requests,
                seed,
            }
        }
    };

    let policies = parse_policies(
        value("--policy").ok_or("--policy is required (e.g. --policy lru,lfu or --policy all)")?,
    )?;
    let sizes = parse_sizes(
        value("--size").ok_or("--size is required (e.g. --size 100,1000 or --size 1%,10%)")?,
    )?;
    let ttl_seconds = match value("--ttl") {
        Some(text) => {
            let ttl = SIM_TTL.whole(text)?;
            if policies.contains(&PolicyKind::Opt) {
                return Err("--ttl cannot be combined with opt: Belady's optimum assumes entries never expire".to_owned());
            }
            Some(ttl)
        }
        None => None,
    };
    let policy_seed = match &source {
        Source::Workload { seed, .. } => *seed,
        Source::Trace { .. } => 1,
    };
    if let Source::Workload {
        requests, workload, ..
    } = &source
    {
        limits::check_sim_work(*requests, &policies, sizes.len())?;
        let distinct = workload.key_space().min(*requests);
        limits::check_sim_memory(
            *requests,
            distinct,
            policies.contains(&PolicyKind::Opt),
            largest_size(&sizes, distinct),
        )?;
    }
    Ok(SimArgs {
        source,
        policies,
        sizes,
        ttl_seconds,
        policy_seed,
        json: switches.contains(&"--json"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<SimArgs, String> {
        parse_sim(
            &line
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_full_workload_command() {
        let args = parse("--workload zipf --alpha 0.8 --keys 1000 --requests 5000 --seed 3 --policy lru,s3fifo --size 10,5% --json").unwrap();
        assert_eq!(
            args.source,
            Source::Workload {
                workload: Workload::Zipf {
                    keys: 1000,
                    alpha: 0.8
                },
                requests: 5000,
                seed: 3
            }
        );
        assert_eq!(args.policies, [PolicyKind::Lru, PolicyKind::S3Fifo]);
        assert_eq!(args.sizes, [SizeSpec::Entries(10), SizeSpec::Percent(5.0)]);
        assert!(args.json);
    }

    #[test]
    fn traces_guess_their_format_and_csv_takes_a_column() {
        let args = parse("--trace t.csv --key-column obj --policy all --size 1").unwrap();
        assert_eq!(
            args.source,
            Source::Trace {
                path: "t.csv".into(),
                format: TraceFormat::Csv {
                    key_column: KeyColumn::Name("obj".into()),
                    header: false
                }
            }
        );
        assert_eq!(args.policies.len(), PolicyKind::ALL.len());
        let args = parse("--trace=t.bin --policy=lru --size=2").unwrap();
        assert_eq!(
            args.source,
            Source::Trace {
                path: "t.bin".into(),
                format: TraceFormat::OracleGeneral
            }
        );
    }

    #[test]
    fn work_and_memory_are_bounded_before_anything_runs() {
        let cases = [
            (
                "--workload zipf --keys 10 --requests 18446744073709551615 --policy lru --size 1",
                "--requests 18446744073709551615: use 1 to 100000000 requests",
            ),
            (
                "--workload zipf --keys 10 --requests 100000000 --policy all --size 1,2",
                "through policies of weight 25 is 5000000000 units of replay; the limit is 1000000000",
            ),
            (
                "--workload zipf --keys 10 --requests 100000000 --policy opt --size 1,2",
                "is 1600000000 units",
            ),
        ];
        for (line, expected) in cases {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
            assert!(!error.contains('\n'));
        }
        // At the edge: accepted (not run here).
        assert!(
            parse("--workload zipf --keys 10 --requests 100000000 --policy lru --size 1,2,3")
                .is_ok()
        );
        assert!(
            parse("--workload zipf --keys 10 --requests 100000000 --policy opt --size 1").is_ok()
        );
        assert!(limits::check_sim_work(u64::MAX, PolicyKind::ALL, usize::MAX).is_err());
        assert!(limits::check_sim_work(1_000_000_000, &[PolicyKind::Lru], 1).is_ok());
        assert!(limits::check_sim_work(1_000_000_001, &[PolicyKind::Lru], 1).is_err());
    }

    #[test]
    fn every_mistake_is_one_clear_line() {
        let cases = [
            (
                "--policy lru --size 1",
                "give a trace (--trace FILE) or a workload",
            ),
            (
                "--trace a --workload zipf --policy lru --size 1",
                "either --trace or --workload",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --policy mru --size 1",
                "unknown policy 'mru' (valid: lru, fifo",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --policy lru --size 0",
                "--size 0: use 1 to 4294967294 entries",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --policy lru --size 0%",
                "--size 0%: use above 0 and at most 100% of the distinct keys",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --policy lru --size ten",
                "--size expects entry counts",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --policy lru",
                "--size is required",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --size 1",
                "--policy is required",
            ),
            (
                "--workload zipf --keys 0 --requests 10 --policy lru --size 1",
                "--keys 0",
            ),
            (
                "--workload zipf --keys 10 --requests 0 --policy lru --size 1",
                "--requests 0",
            ),
            (
                "--workload zipf --keys 10 --policy lru --size 1",
                "--workload needs --requests",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --alpha -1 --policy lru --size 1",
                "--alpha -1: use 0 to 10",
            ),
            (
                "--workload zipf --keys 10 --requests 10 --alpha x --policy lru --size 1",
                "--alpha expects a number",
            ),
            (
                "--workload wave --keys 10 --requests 10 --policy lru --size 1",
                "unknown workload 'wave'",
            ),
            (
                "--trace t --format parquet --policy lru --size 1",
                "unknown trace format 'parquet'",
            ),
            (
                "--trace t.txt --key-column 2 --policy lru --size 1",
                "apply to CSV traces only",
            ),
            (
                "--trace t --keys 3 --policy lru --size 1",
                "--keys applies to --workload",
            ),
            (
                "--trace t --policy opt --size 1 --ttl 5",
                "cannot be combined with opt",
            ),
            ("--trace t --policy lru --size 1 --ttl 0", "--ttl 0"),
            (
                "--trace t --policy lru --size 1 --verbose",
                "unknown argument '--verbose'",
            ),
            (
                "--trace t --policy lru --size 1 --size 2",
                "--size was given twice",
            ),
            ("--trace t --policy lru --size", "--size needs a value"),
        ];
        for (line, expected) in cases {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
            assert!(!error.contains('\n'), "{line}: more than one line");
        }
    }
}
