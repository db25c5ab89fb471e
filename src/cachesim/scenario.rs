//! `cachesim scenario`: run a named write-pattern scenario headless.

use std::fmt::Write;

use super::{decimal_in, range_help, whole_in};
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
    Metrics, Pattern, SCENARIOS, Scenario, ScenarioError, ScenarioOptions, StampedeStrategy,
    events_to_json_lines,
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

/// A stampede strategy's name, as `--strategy` takes it.
fn strategy_name(text: &str) -> Result<StrategyName, String> {
    Ok(match text {
        "none" => StrategyName::None,
        "coalesce" => StrategyName::Coalesce,
        "lock" => StrategyName::Lock,
        "xfetch" => StrategyName::Xfetch,
        "jitter" => StrategyName::Jitter,
        other => {
            return Err(format!(
                "unknown strategy '{other}' (valid: none, coalesce, lock, xfetch, jitter)"
            ));
        }
    })
}

/// The strategies `--strategy` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StrategyName {
    None,
    Coalesce,
    Lock,
    Xfetch,
    Jitter,
}

// `cachesim scenario`'s flags as given; `parse_scenario` checks how they go together. (The doc
// comment below is what `cachesim scenario --help` says.)
/// Run a write-pattern scenario: clients, app, cache and database in virtual time, with its
/// metrics (latency percentiles, database load, hit ratio, stale reads, lost writes).
#[derive(clap::Args, Debug)]
pub struct ScenarioFlags {
    /// The scenario (see --list)
    #[arg(value_name = "NAME")]
    name: Option<String>,
    /// List the scenarios
    #[arg(long)]
    list: bool,
    /// The write pattern: cache-aside, cache-aside-update, read-through, write-through,
    /// write-behind, write-around
    #[arg(long, value_name = "P", value_parser = parse_pattern)]
    pattern: Option<Pattern>,
    /// Cache size in entries (memo: maxsize)
    #[arg(long, value_name = "N", help = format!(
        "Cache size in entries [{}; memo's maxsize: {}]",
        SCENARIO_SIZE.range_words(), MEMO_SIZE.range_words()
    ))]
    size: Option<String>,
    /// TTL of cached values, seconds
    #[arg(long, value_name = "SECS", value_parser = decimal_in(&SCENARIO_TTL),
          help = range_help("TTL of cached values", &SCENARIO_TTL))]
    ttl: Option<f64>,
    /// Database read latency
    #[arg(long, value_name = "MS", value_parser = whole_in(&SCENARIO_DB_LATENCY),
          help = range_help("Database read latency", &SCENARIO_DB_LATENCY))]
    db_latency: Option<u64>,
    /// When the cache crashes
    #[arg(long, value_name = "MS", value_parser = whole_in(&SCENARIO_CRASH_AT),
          help = range_help("When the cache crashes, in virtual time", &SCENARIO_CRASH_AT))]
    crash_at: Option<u64>,
    /// Clients sending requests (memo: concurrent callers)
    #[arg(long, value_name = "N", help = range_help(
        "Clients sending requests (memo: concurrent callers)", &SCENARIO_CLIENTS
    ))]
    clients: Option<String>,
    /// Stampede protection: none, coalesce, lock, xfetch or jitter
    #[arg(long, value_name = "S", value_parser = strategy_name)]
    strategy: Option<StrategyName>,
    /// Seed of every random choice (default 1)
    #[arg(long, value_name = "S", value_parser = whole_in(&SCENARIO_SEED))]
    seed: Option<u64>,
    /// Negative caching: remember "not found" this long
    #[arg(long, value_name = "MS", value_parser = whole_in(&SCENARIO_NEGATIVE_TTL),
          help = range_help("Negative caching: remember \"not found\" this long", &SCENARIO_NEGATIVE_TTL))]
    negative_ttl: Option<u64>,
    /// Share of requests that are reads
    #[arg(long, value_name = "R", value_parser = decimal_in(&SCENARIO_READ_RATIO),
          help = range_help("Share of requests that are reads", &SCENARIO_READ_RATIO))]
    read_ratio: Option<f64>,
    /// Zipf skew of key popularity
    #[arg(long, value_name = "A", value_parser = decimal_in(&SCENARIO_SKEW),
          help = range_help("Zipf skew of key popularity", &SCENARIO_SKEW))]
    skew: Option<f64>,
    /// Requests per second from each client
    #[arg(long, value_name = "REQ/S", value_parser = decimal_in(&SCENARIO_RATE),
          help = range_help("Requests from each client", &SCENARIO_RATE))]
    rate: Option<f64>,
    /// The database is down from FROM until UNTIL (milliseconds)
    #[arg(long, value_name = "FROM-UNTIL", value_parser = outage,
          help = range_help("The database is down from FROM until UNTIL", &SCENARIO_DB_DOWN))]
    db_down: Option<(u64, u64)>,
    /// Lock strategy: how long a lock lasts unless released
    #[arg(long, value_name = "MS", value_parser = whole_in(&SCENARIO_LOCK_TTL),
          help = range_help("Lock strategy: how long a lock lasts unless released", &SCENARIO_LOCK_TTL))]
    lock_ttl: Option<u64>,
    /// Lock strategy: wait before asking the cache again
    #[arg(long, value_name = "MS", value_parser = whole_in(&SCENARIO_BACKOFF),
          help = range_help("Lock strategy: wait before asking the cache again", &SCENARIO_BACKOFF))]
    backoff: Option<u64>,
    /// One JSON object instead of a table
    #[arg(long)]
    json: bool,
    /// Print every event as a JSON line first
    #[arg(long)]
    events: bool,
}

/// Parses the arguments after `scenario`; every error is one line.
pub fn parse_scenario(args: &[String]) -> Result<ScenarioArgs, String> {
    let flags = super::parse_flags("scenario", args)?;
    read_scenario(flags).map_err(|message| super::plain_message(&message))
}

fn read_scenario(flags: ScenarioFlags) -> Result<ScenarioArgs, String> {
    let defaults = FlowConfig::defaults(Demo::Stampede);
    let mut options = ScenarioOptions {
        pattern: flags.pattern,
        db_latency: flags.db_latency,
        crash_at: flags.crash_at,
        seed: flags.seed,
        negative_ttl: flags.negative_ttl,
        skew: flags.skew,
        db_outage: flags.db_down,
        ttl: flags
            .ttl
            .map(|seconds| (seconds * 1000.0).round().max(1.0) as u64),
        read_percent: flags.read_ratio.map(|ratio| (ratio * 100.0).round() as u64),
        request_interval: flags
            .rate
            .map(|rate| (1000.0 / rate).round().max(1.0) as u64),
        ..ScenarioOptions::default()
    };
    match flags.strategy {
        None => {}
        Some(StrategyName::None) => options.strategy = Some(StampedeStrategy::None),
        Some(StrategyName::Coalesce) => options.strategy = Some(StampedeStrategy::Coalesce),
        Some(StrategyName::Lock) => {
            options.strategy = Some(StampedeStrategy::Lock {
                lock_ttl: defaults.lock_ttl,
                backoff: defaults.backoff,
            })
        }
        Some(StrategyName::Xfetch) => {
            options.strategy = Some(StampedeStrategy::EarlyRefresh { beta: 1.0 })
        }
        Some(StrategyName::Jitter) => options.ttl_jitter_percent = Some(20),
    }
    let mut parsed = ScenarioArgs {
        name: flags.name,
        options,
        json: flags.json,
        events: flags.events,
    };
    let (list, lock_ttl, backoff) = (flags.list, flags.lock_ttl, flags.backoff);
    let (size, clients) = (flags.size.as_deref(), flags.clients.as_deref());
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
        #[derive(serde::Serialize)]
        struct Counts {
            hits: u64,
            misses: u64,
        }
        #[derive(serde::Serialize)]
        struct Shared {
            hits: u64,
            misses: u64,
            currsize: u64,
        }
        #[derive(serde::Serialize)]
        struct Concurrent {
            callers: u32,
            computations_plain: u64,
            computations_single_flight: u64,
            waits: u64,
        }
        #[derive(serde::Serialize)]
        struct Persistent {
            first_run: [u64; 2],
            after_restart: [u64; 2],
        }
        #[derive(serde::Serialize)]
        struct MemoJson {
            scenario: &'static str,
            per_call: Counts,
            shared: Shared,
            concurrent: Concurrent,
            persistent: Persistent,
        }
        return Ok(super::json_line(&MemoJson {
            scenario: "memo",
            per_call: Counts {
                hits: report.per_call.hits,
                misses: report.per_call.misses,
            },
            shared: Shared {
                hits: report.shared.hits,
                misses: report.shared.misses,
                currsize: report.shared.currsize,
            },
            concurrent: Concurrent {
                callers,
                computations_plain: report.concurrent_plain.computations,
                computations_single_flight: report.concurrent_single_flight.computations,
                waits: report.concurrent_single_flight.waits,
            },
            persistent: Persistent {
                first_run: [first.0, first.1],
                after_restart: [restarted.0, restarted.1],
            },
        }));
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
    let run = scenario.run(&args.options).map_err(|error| match error {
        // The size is the one scenario setting that the engine checks itself: name the flag.
        ScenarioError::Size(error) => format!("--size: {error}"),
        error => error.to_string(),
    })?;
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
    #[derive(serde::Serialize)]
    struct Latency {
        p50: u64,
        p95: u64,
        p99: u64,
    }
    #[derive(serde::Serialize)]
    struct Group {
        kind: &'static str,
        cache_hits: u64,
        cache_misses: u64,
        stale_reads: u64,
        lost_writes: u64,
        db_reads: u64,
        db_writes: u64,
    }
    #[derive(serde::Serialize)]
    struct MetricsJson<'a> {
        scenario: &'a str,
        reads: u64,
        writes: u64,
        errors: u64,
        read_latency: Latency,
        write_latency: Latency,
        cache_hits: u64,
        cache_misses: u64,
        hit_ratio: f64,
        db_reads: u64,
        db_writes: u64,
        peak_db_reads: u64,
        stale_reads: u64,
        lost_writes: u64,
        cache_sets: u64,
        never_read: u64,
        waits: u64,
        retries: u64,
        lock_expiries: u64,
        groups: Vec<Group>,
        db_load: Vec<[u64; 3]>,
    }
    let latency = |p: &crate::engine::model::Percentiles| Latency {
        p50: p.p50,
        p95: p.p95,
        p99: p.p99,
    };
    super::json_line(&MetricsJson {
        scenario: name,
        reads: m.reads,
        writes: m.writes,
        errors: m.errors,
        read_latency: latency(&m.read_latency),
        write_latency: latency(&m.write_latency),
        cache_hits: m.cache_hits,
        cache_misses: m.cache_misses,
        hit_ratio: m.hit_ratio(),
        db_reads: m.db_reads,
        db_writes: m.db_writes,
        peak_db_reads: m.peak_db_reads(),
        stale_reads: m.stale_reads,
        lost_writes: m.lost_writes,
        cache_sets: m.cache_sets,
        never_read: m.never_read,
        waits: m.waits,
        retries: m.retries,
        lock_expiries: m.lock_expiries,
        groups: SHOP_TYPES
            .iter()
            .zip(&m.groups)
            .map(|(data, g)| Group {
                kind: data.id,
                cache_hits: g.cache_hits,
                cache_misses: g.cache_misses,
                stale_reads: g.stale_reads,
                lost_writes: g.lost_writes,
                db_reads: g.db_reads,
                db_writes: g.db_writes,
            })
            .collect(),
        db_load: m
            .db_load
            .iter()
            .map(|&(at, reads, writes)| [at, reads, writes])
            .collect(),
    })
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
