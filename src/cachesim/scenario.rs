//! `cachesim scenario`: run a named write-pattern scenario headless.

use std::fmt::Write;

use crate::config::demo::Demo;
use crate::config::flow::FlowConfig;
use crate::config::limits::{
    MEMO_CLIENTS, MEMO_SIZE, SCENARIO_BACKOFF, SCENARIO_CLIENTS, SCENARIO_CRASH_AT,
    SCENARIO_DB_DOWN, SCENARIO_DB_LATENCY, SCENARIO_LOCK_TTL, SCENARIO_NEGATIVE_TTL, SCENARIO_RATE,
    SCENARIO_READ_RATIO, SCENARIO_SEED, SCENARIO_SIZE, SCENARIO_SKEW, SCENARIO_TTL,
};
use crate::engine::lab::flow::SHOP_TYPES;
use crate::engine::memo::{MaxSize, memo_scenario};
use crate::engine::model::{
    Metrics, Pattern, SCENARIOS, Scenario, ScenarioOptions, StampedeStrategy, events_to_json_lines,
};

/// What `cachesim scenario` was asked to do.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioArgs {
    /// The scenario, or `None` for `--list`.
    pub name: Option<String>,
    /// Overrides.
    pub options: ScenarioOptions,
    /// One JSON object instead of a table.
    pub json: bool,
    /// Print the event log as JSON lines first.
    pub events: bool,
}

/// The flags that take a value.
const VALUED: &[&str] = &[
    "--pattern",
    "--size",
    "--ttl",
    "--db-latency",
    "--crash-at",
    "--clients",
    "--strategy",
    "--seed",
    "--negative-ttl",
    "--read-ratio",
    "--skew",
    "--rate",
    "--db-down",
    "--lock-ttl",
    "--backoff",
];

fn parse_pattern(text: &str) -> Result<Pattern, String> {
    Ok(match text {
        "cache-aside" => Pattern::CacheAside {
            update_on_write: false,
        },
        "cache-aside-update" => Pattern::CacheAside {
            update_on_write: true,
        },
        "read-through" => Pattern::ReadThrough,
        "write-through" => Pattern::WriteThrough,
        "write-behind" => Pattern::WriteBehind {
            batch_size: 10,
            flush_interval: 200,
        },
        "write-around" => Pattern::WriteAround,
        other => {
            return Err(format!(
                "unknown pattern '{other}' (valid: cache-aside, cache-aside-update, read-through, write-through, write-behind, write-around)"
            ));
        }
    })
}

/// `--db-down FROM-UNTIL`: a window of virtual time, both ends within [`SCENARIO_DB_DOWN`].
fn outage(text: &str) -> Result<(u64, u64), String> {
    let expected = || {
        format!(
            "--db-down expects FROM-UNTIL with FROM below UNTIL, both {}, such as 500-800, got '{text}'",
            SCENARIO_DB_DOWN
                .range_words()
                .replace(", FROM below UNTIL", "")
        )
    };
    let (from, until) = text.split_once('-').ok_or_else(expected)?;
    let end = |part: &str| -> Result<u64, String> {
        let digits = part.trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(expected());
        }
        // Digits past u64 are out of range, as any number past the limit.
        let value = digits.parse().unwrap_or(u64::MAX);
        SCENARIO_DB_DOWN.check_whole(value, text)
    };
    let (from, until) = (end(from)?, end(until)?);
    if from >= until {
        return Err(expected());
    }
    Ok((from, until))
}

/// `--size` and `--clients`, read with the ranges of the scenario they were given to: the memo
/// scenario's `maxsize` and callers, or a write-pattern scenario's cache and clients.
fn read_size_and_clients(
    parsed: &mut ScenarioArgs,
    size: Option<&str>,
    clients: Option<&str>,
) -> Result<(), String> {
    let memo = parsed.name.as_deref() == Some(MEMO.0);
    let (size_limit, clients_limit) = if memo {
        (&MEMO_SIZE, &MEMO_CLIENTS)
    } else {
        (&SCENARIO_SIZE, &SCENARIO_CLIENTS)
    };
    if let Some(text) = size {
        parsed.options.size = Some(size_limit.whole(text)?);
    }
    if let Some(text) = clients {
        // At most SCENARIO_CLIENTS.max(), so it fits.
        let count = clients_limit.whole(text)?;
        parsed.options.clients = Some(u32::try_from(count).unwrap_or(u32::MAX));
    }
    Ok(())
}

/// Parses the arguments after `scenario`.
pub fn parse_scenario(args: &[String]) -> Result<ScenarioArgs, String> {
    read_scenario(args).map_err(|message| super::plain_message(&message))
}

fn read_scenario(args: &[String]) -> Result<ScenarioArgs, String> {
    let mut parsed = ScenarioArgs {
        name: None,
        options: ScenarioOptions::default(),
        json: false,
        events: false,
    };
    let mut list = false;
    let mut seen: Vec<&str> = Vec::new();
    let defaults = FlowConfig::defaults(Demo::Stampede);
    let (mut lock_ttl, mut backoff) = (None, None);
    let (mut size, mut clients) = (None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--list" => list = true,
            "--json" => parsed.json = true,
            "--events" => parsed.events = true,
            _ if VALUED.contains(&flag) => {
                let value = match inline {
                    Some(value) => value,
                    None => rest
                        .next()
                        .map(String::as_str)
                        .ok_or_else(|| format!("{flag} needs a value"))?,
                };
                if seen.contains(&flag) {
                    return Err(format!("{flag} was given twice"));
                }
                seen.push(flag);
                let options = &mut parsed.options;
                match flag {
                    "--pattern" => options.pattern = Some(parse_pattern(value)?),
                    // Read once the scenario is known: the memo scenario has its own ranges.
                    "--size" => size = Some(value),
                    "--ttl" => {
                        let seconds = SCENARIO_TTL.decimal(value)?;
                        options.ttl = Some((seconds * 1000.0).round().max(1.0) as u64);
                    }
                    "--db-latency" => options.db_latency = Some(SCENARIO_DB_LATENCY.whole(value)?),
                    "--crash-at" => options.crash_at = Some(SCENARIO_CRASH_AT.whole(value)?),
                    "--clients" => clients = Some(value),
                    "--strategy" => match value {
                        "none" => options.strategy = Some(StampedeStrategy::None),
                        "coalesce" => options.strategy = Some(StampedeStrategy::Coalesce),
                        "lock" => {
                            options.strategy = Some(StampedeStrategy::Lock {
                                lock_ttl: defaults.lock_ttl,
                                backoff: defaults.backoff,
                            })
                        }
                        "xfetch" => {
                            options.strategy = Some(StampedeStrategy::EarlyRefresh { beta: 1.0 })
                        }
                        "jitter" => options.ttl_jitter_percent = Some(20),
                        other => {
                            return Err(format!(
                                "unknown strategy '{other}' (valid: none, coalesce, lock, xfetch, jitter)"
                            ));
                        }
                    },
                    "--seed" => options.seed = Some(SCENARIO_SEED.whole(value)?),
                    "--lock-ttl" => lock_ttl = Some(SCENARIO_LOCK_TTL.whole(value)?),
                    "--backoff" => backoff = Some(SCENARIO_BACKOFF.whole(value)?),
                    "--negative-ttl" => {
                        options.negative_ttl = Some(SCENARIO_NEGATIVE_TTL.whole(value)?)
                    }
                    "--read-ratio" => {
                        let ratio = SCENARIO_READ_RATIO.decimal(value)?;
                        options.read_percent = Some((ratio * 100.0).round() as u64);
                    }
                    "--skew" => options.skew = Some(SCENARIO_SKEW.decimal(value)?),
                    "--rate" => {
                        let rate = SCENARIO_RATE.decimal(value)?;
                        options.request_interval = Some((1000.0 / rate).round().max(1.0) as u64);
                    }
                    "--db-down" => options.db_outage = Some(outage(value)?),
                    _ => unreachable!("every valued flag is handled"),
                }
            }
            _ if !flag.starts_with("--") && parsed.name.is_none() => {
                parsed.name = Some(arg.clone())
            }
            _ => return Err(format!("unknown argument '{arg}' (see cachesim --help)")),
        }
    }
    if lock_ttl.is_some() || backoff.is_some() {
        let Some(StampedeStrategy::Lock {
            lock_ttl: ttl,
            backoff: wait,
        }) = &mut parsed.options.strategy
        else {
            return Err("--lock-ttl and --backoff apply to --strategy lock only".to_owned());
        };
        *ttl = lock_ttl.unwrap_or(*ttl);
        *wait = backoff.unwrap_or(*wait);
    }
    match (&parsed.name, list) {
        (Some(_), true) => Err("give a scenario name or --list, not both".to_owned()),
        (None, false) => Err(format!(
            "name a scenario (one of: {}), or use --list",
            Scenario::names()
        )),
        (Some(name), false) if name != MEMO.0 && Scenario::find(name).is_none() => Err(format!(
            "unknown scenario '{name}' (valid: {})",
            Scenario::names()
        )),
        _ => {
            read_size_and_clients(&mut parsed, size, clients)?;
            Ok(parsed)
        }
    }
}

/// The memoization scenario's id and summary (it is not a write-pattern simulation).
const MEMO: (&str, &str) = (
    "memo",
    "functools.lru_cache: a cache built per call never hits; single flight; persistence",
);

/// One line per scenario, for `--list`.
pub fn list() -> String {
    let names = SCENARIOS
        .iter()
        .map(|scenario| (scenario.name, scenario.summary))
        .chain([MEMO]);
    let width = names.clone().map(|(name, _)| name.len()).max().unwrap_or(0);
    names
        .map(|(name, summary)| format!("{name:width$}  {summary}\n"))
        .collect()
}

/// `cachesim scenario memo`: the memoization lessons, with `--size` as `maxsize` and
/// `--clients` as the number of concurrent callers.
fn memo(args: &ScenarioArgs) -> Result<String, String> {
    let options = &args.options;
    // In MEMO_SIZE's range: checked when the arguments were read.
    let size = options.size.unwrap_or(128).min(MEMO_SIZE.max());
    let maxsize = MaxSize::Entries(size as usize);
    let callers = options.clients.unwrap_or(10);
    let report = memo_scenario(
        200,
        20,
        maxsize,
        false,
        callers,
        100,
        options.seed.unwrap_or(1),
    );
    let [first, restarted] = report.persistent;
    if args.json {
        return Ok(format!(
            "{{\"scenario\":\"memo\",\"per_call\":{{\"hits\":{},\"misses\":{}}},\"shared\":{{\"hits\":{},\"misses\":{},\"currsize\":{}}},\"concurrent\":{{\"callers\":{callers},\"computations_plain\":{},\"computations_single_flight\":{},\"waits\":{}}},\"persistent\":{{\"first_run\":[{},{}],\"after_restart\":[{},{}]}}}}\n",
            report.per_call.hits,
            report.per_call.misses,
            report.shared.hits,
            report.shared.misses,
            report.shared.currsize,
            report.concurrent_plain.computations,
            report.concurrent_single_flight.computations,
            report.concurrent_single_flight.waits,
            first.0,
            first.1,
            restarted.0,
            restarted.1
        ));
    }
    let rows = [
        (
            "cache built per call (the pitfall)".to_owned(),
            format!(
                "hits={} misses={}",
                report.per_call.hits, report.per_call.misses
            ),
        ),
        ("one shared cache".to_owned(), report.shared.to_string()),
        (
            format!("{callers} concurrent callers"),
            format!(
                "{} computations without single flight, {} with ({} waited)",
                report.concurrent_plain.computations,
                report.concurrent_single_flight.computations,
                report.concurrent_single_flight.waits
            ),
        ),
        (
            "persistent memo".to_owned(),
            format!(
                "first run hits={} misses={}; after a restart hits={} misses={}",
                first.0, first.1, restarted.0, restarted.1
            ),
        ),
    ];
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    let mut out = "scenario memo (200 calls over 20 arguments)\n\n".to_owned();
    for (label, value) in rows {
        let _ = writeln!(out, "{label:width$}  {value}");
    }
    Ok(out)
}

/// Runs a parsed `cachesim scenario` command and returns what it prints.
pub fn run(args: &ScenarioArgs) -> Result<String, String> {
    let Some(name) = &args.name else {
        return Ok(list());
    };
    if name == MEMO.0 {
        return memo(args);
    }
    let scenario = Scenario::find(name).ok_or_else(|| format!("unknown scenario '{name}'"))?;
    let run = scenario.run(&args.options)?;
    let mut out = if args.events {
        events_to_json_lines(&run.events)
    } else {
        String::new()
    };
    if args.json {
        out.push_str(&metrics_json(name, &run.metrics));
    } else {
        out.push_str(&metrics_table(name, &run.metrics));
    }
    Ok(out)
}

fn metrics_table(name: &str, m: &Metrics) -> String {
    let latency = |count: u64, p: &crate::engine::model::Percentiles| {
        if count == 0 {
            "none".to_owned()
        } else {
            format!("p50 {} ms, p95 {} ms, p99 {} ms", p.p50, p.p95, p.p99)
        }
    };
    let mut rows: Vec<(&str, String)> = vec![
        ("reads", m.reads.to_string()),
        ("writes", m.writes.to_string()),
        ("errors", m.errors.to_string()),
        ("read latency", latency(m.reads, &m.read_latency)),
        ("write latency", latency(m.writes, &m.write_latency)),
        (
            "cache hit ratio",
            format!(
                "{:.4} ({} hits, {} misses)",
                m.hit_ratio(),
                m.cache_hits,
                m.cache_misses
            ),
        ),
        ("database reads", m.db_reads.to_string()),
        ("database writes", m.db_writes.to_string()),
        ("peak reads / 10 ms", m.peak_db_reads().to_string()),
        ("stale reads", m.stale_reads.to_string()),
        ("lost writes", m.lost_writes.to_string()),
        ("cache sets", m.cache_sets.to_string()),
        ("never-read entries", m.never_read.to_string()),
    ];
    if m.waits > 0 {
        rows.push(("coalesced waits", m.waits.to_string()));
    }
    if m.retries > 0 || m.lock_expiries > 0 {
        rows.push(("lock retries", m.retries.to_string()));
        rows.push(("locks expired", m.lock_expiries.to_string()));
    }
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    let mut out = format!("scenario {name}\n\n");
    for (label, value) in rows {
        let _ = writeln!(out, "{label:width$}  {value}");
    }
    // The e-commerce service counts each kind of data apart.
    if !m.groups.is_empty() {
        out.push_str("\nby kind of data\n");
        for (data, group) in SHOP_TYPES.iter().zip(&m.groups) {
            let _ = writeln!(
                out,
                "  {:<30}  hit ratio {:.4} ({} hits, {} misses), {} stale reads, {} lost writes, {} database reads, {} database writes",
                data.label,
                group.hit_ratio(),
                group.cache_hits,
                group.cache_misses,
                group.stale_reads,
                group.lost_writes,
                group.db_reads,
                group.db_writes
            );
        }
    }
    out
}

fn metrics_json(name: &str, m: &Metrics) -> String {
    let latency = |p: &crate::engine::model::Percentiles| {
        format!("{{\"p50\":{},\"p95\":{},\"p99\":{}}}", p.p50, p.p95, p.p99)
    };
    let load: Vec<String> = m
        .db_load
        .iter()
        .map(|(at, reads, writes)| format!("[{at},{reads},{writes}]"))
        .collect();
    let groups: Vec<String> = SHOP_TYPES
        .iter()
        .zip(&m.groups)
        .map(|(data, g)| {
            format!(
                "{{\"kind\":\"{}\",\"cache_hits\":{},\"cache_misses\":{},\"stale_reads\":{},\"lost_writes\":{},\"db_reads\":{},\"db_writes\":{}}}",
                data.id, g.cache_hits, g.cache_misses, g.stale_reads, g.lost_writes, g.db_reads, g.db_writes
            )
        })
        .collect();
    format!(
        "{{\"scenario\":\"{name}\",\"reads\":{},\"writes\":{},\"errors\":{},\"read_latency\":{},\"write_latency\":{},\"cache_hits\":{},\"cache_misses\":{},\"hit_ratio\":{},\"db_reads\":{},\"db_writes\":{},\"peak_db_reads\":{},\"stale_reads\":{},\"lost_writes\":{},\"cache_sets\":{},\"never_read\":{},\"waits\":{},\"retries\":{},\"lock_expiries\":{},\"groups\":[{}],\"db_load\":[{}]}}\n",
        m.reads,
        m.writes,
        m.errors,
        latency(&m.read_latency),
        latency(&m.write_latency),
        m.cache_hits,
        m.cache_misses,
        m.hit_ratio(),
        m.db_reads,
        m.db_writes,
        m.peak_db_reads(),
        m.stale_reads,
        m.lost_writes,
        m.cache_sets,
        m.never_read,
        m.waits,
        m.retries,
        m.lock_expiries,
        groups.join(","),
        load.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ScenarioArgs, String> {
        parse_scenario(
            &line
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn options_map_onto_the_model() {
        let args =
            parse("stampede --clients 30 --strategy coalesce --ttl 0.5 --seed 9 --json").unwrap();
        assert_eq!(args.name.as_deref(), Some("stampede"));
        assert_eq!(args.options.clients, Some(30));
        assert_eq!(args.options.strategy, Some(StampedeStrategy::Coalesce));
        assert_eq!(args.options.ttl, Some(500));
        assert!(args.json && !args.events);
        let behind = parse("cache-aside --pattern write-behind --crash-at 900 --size 5").unwrap();
        assert!(matches!(
            behind.options.pattern,
            Some(Pattern::WriteBehind { .. })
        ));
        assert_eq!(
            (behind.options.crash_at, behind.options.size),
            (Some(900), Some(5))
        );
    }

    #[test]
    fn the_lock_strategy_takes_its_ttl_and_back_off_in_the_web_demos_ranges() {
        let default = parse("stampede --strategy lock").unwrap();
        assert_eq!(
            default.options.strategy,
            Some(StampedeStrategy::Lock {
                lock_ttl: 100,
                backoff: 20
            })
        );
        // Order does not matter: the durations may come before the strategy.
        let set = parse("stampede --backoff 5 --strategy lock --lock-ttl=2000").unwrap();
        assert_eq!(
            set.options.strategy,
            Some(StampedeStrategy::Lock {
                lock_ttl: 2_000,
                backoff: 5
            })
        );
        for (line, expected) in [
            (
                "stampede --strategy lock --lock-ttl 5",
                "--lock-ttl 5: use 10 to 2000",
            ),
            (
                "stampede --strategy lock --backoff 501",
                "--backoff 501: use 5 to 500",
            ),
            (
                "stampede --strategy lock --backoff 1.5",
                "--backoff expects a whole number (5 to 500 milliseconds), got '1.5'",
            ),
            ("stampede --lock-ttl 50", "--strategy lock only"),
            (
                "stampede --strategy coalesce --backoff 50",
                "--strategy lock only",
            ),
        ] {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
        }
        let report = run(&default).unwrap();
        assert!(report.contains("database reads      1\n"), "{report}");
        assert!(report.contains("lock retries"), "{report}");
    }

    #[test]
    fn the_shop_reports_each_kind_of_data_and_other_scenarios_none() {
        let table = run(&parse("e-commerce --crash-at 1500").unwrap()).unwrap();
        let kinds = table.split("by kind of data\n").nth(1).expect(&table);
        assert_eq!(kinds.lines().count(), SHOP_TYPES.len());
        let analytics = kinds.lines().nth(2).unwrap();
        assert!(analytics.contains("Analytics (write-behind)") && !analytics.contains(" 0 lost"));
        let json = run(&parse("e-commerce --json").unwrap()).unwrap();
        assert_eq!(json.matches("{\"kind\":").count(), SHOP_TYPES.len());
        assert!(json.contains("\"groups\":[{\"kind\":\"prod\","));
        let plain = run(&parse("cache-aside --json").unwrap()).unwrap();
        assert!(plain.contains("\"groups\":[]"));
        let plain_table = run(&parse("cache-aside").unwrap()).unwrap();
        assert!(!plain_table.contains("by kind of data"));
    }

    #[test]
    fn times_are_checked_against_the_shared_ranges_before_anything_runs() {
        for (line, expected) in [
            (
                "stampede --db-latency 0",
                "--db-latency 0: use 1 to 200 milliseconds",
            ),
            ("stampede --db-latency 1000000000000", "use 1 to 200"),
            ("stampede --db-latency 18446744073709551615", "use 1 to 200"),
            (
                "stampede --db-latency 18446744073709551616",
                "--db-latency expects",
            ),
            (
                "write-behind --crash-at 18446744073709551615",
                "use 0 to 3600000",
            ),
            (
                "cache-aside --db-down 5-18446744073709551615",
                "--db-down 5-18446744073709551615: use 0 to 3600000 milliseconds",
            ),
            ("penetration --negative-ttl 0", "use 1 to 86400000"),
            ("stampede --ttl 86401", "at most 86400"),
        ] {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
        }
        // The edges themselves run.
        let edges = parse("write-behind --db-latency 200 --crash-at 3600000").unwrap();
        assert!(run(&edges).is_ok());
        // Work is bounded before the requests are made: a clear line, not 10 GB.
        for line in [
            "cache-aside --clients 10000 --rate 1000",
            "stampede --ttl 86400",
            "e-commerce --clients 10000 --rate 1000",
            "expiry-storm --clients 10000",
        ] {
            let error = run(&parse(line).unwrap()).unwrap_err();
            assert!(
                error.contains("requests; at most 1000000 run"),
                "{line}: {error}"
            );
        }
        // The memo scenario's maxsize is the web demo's: 0 to 1024, never a panic.
        let error = parse("memo --size 4294967295").unwrap_err();
        assert_eq!(error, "--size 4294967295: use 0 to 1024 entries (maxsize)");
        // Its name may come after the flags.
        assert!(parse("--size 2000 memo").is_err() && parse("--size 2000 stampede").is_ok());
        assert!(run(&parse("memo --size 1024").unwrap()).is_ok());
    }

    #[test]
    fn workload_knobs_and_outages() {
        let args =
            parse("cache-aside --read-ratio 0.5 --skew 0.7 --rate 50 --db-down 500-800").unwrap();
        assert_eq!(args.options.read_percent, Some(50));
        assert_eq!(args.options.skew, Some(0.7));
        assert_eq!(args.options.request_interval, Some(20));
        assert_eq!(args.options.db_outage, Some((500, 800)));
        for (line, expected) in [
            ("cache-aside --read-ratio 2", "--read-ratio 2"),
            ("cache-aside --skew -1", "--skew -1"),
            ("cache-aside --rate 0", "--rate 0"),
            ("cache-aside --db-down 800-500", "FROM below UNTIL"),
            ("cache-aside --db-down soon", "FROM-UNTIL"),
        ] {
            assert!(parse(line).expect_err(line).contains(expected), "{line}");
        }
    }

    #[test]
    fn mistakes_are_one_line_each() {
        for (line, expected) in [
            ("", "name a scenario"),
            ("nope", "unknown scenario 'nope'"),
            ("stampede --list", "not both"),
            ("stampede --strategy magic", "unknown strategy 'magic'"),
            ("stampede --pattern write-sideways", "unknown pattern"),
            ("stampede --size 0", "--size 0"),
            ("stampede --ttl -1", "--ttl -1"),
            ("stampede --clients 0", "--clients 0"),
            ("stampede --seed x", "--seed expects"),
            ("stampede --verbose", "unknown argument '--verbose'"),
        ] {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
        }
        let jittered = parse("stampede --strategy jitter").unwrap();
        assert!(run(&jittered).unwrap_err().contains("expiry-storm"));
    }

    #[test]
    fn list_names_every_scenario() {
        let listed = list();
        assert_eq!(listed.lines().count(), SCENARIOS.len() + 1);
        assert!(listed.contains("memo "));
        assert!(listed.contains("stampede") && listed.contains("write-behind"));
    }
}
