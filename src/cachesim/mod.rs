//! `cachesim`: replay traces or generated workloads through the engine's policies (native only).
//!
//! The binary (`src/bin/cachesim.rs`) only calls [`main_with`]; everything here is a library so the
//! tests can drive it directly.

mod args;
mod output;
mod scenario;

pub use args::{SimArgs, SizeSpec, Source, parse_policies, parse_sim, parse_sizes};
pub use output::{SimReport, SimRow};
pub use scenario::{ScenarioArgs, parse_scenario};

use std::io::{Read, Write};
use std::time::Instant;

use crate::config::limits;
use crate::engine::trace::{MAX_TRACE_BYTES, check_trace_bytes};
use crate::engine::{
    Cache, CacheConfig, Capacity, IdSet, NextUse, PolicyKind, PolicyOptions, Trace, read_trace,
    replay,
};

/// The top-level help.
pub const HELP: &str = "\
cachesim: replay request traces or synthetic workloads through cache eviction policies

usage:
  cachesim sim (--trace FILE|- [--format txt|csv|oracle-general] [--key-column C] [--header]
                | --workload zipf|uniform|scan|loop|hotspot [--alpha A] --keys N --requests M [--seed S])
               --policy lru,lfu,...|all --size 100,1000|1%,10% [--ttl SECS] [--json]
  cachesim scenario <name> [--pattern P] [--size N] [--ttl SECS] [--db-latency MS] [--crash-at MS]
                  [--clients N] [--strategy none|coalesce|lock|xfetch|jitter] [--negative-ttl MS]
                  [--lock-ttl MS] [--backoff MS] [--read-ratio R]
                  [--skew A] [--rate REQ/S] [--db-down FROM-UNTIL]
                  [--seed S] [--json] [--events]
  cachesim scenario --list
  cachesim --help | --version

Every request is a lookup, and a miss inserts the key (unless the policy refuses it), as in
libCacheSim and Caffeine's simulator. Sizes count entries, or a percentage of the distinct keys.

policies:  lru fifo lfu clock sieve arc s3fifo tinylfu redis-lru random opt (or all)
workloads: zipf (skew --alpha, default 1), uniform, loop, scan (zipf with one-time scans),
           hotspot (a hot tenth of the keys that shifts every N requests); --seed defaults to 1
traces:    txt (one key per line), csv (key column by 1-based index or header name; default 1),
           oracle-general (libCacheSim's 24-byte records, plain or .zst); guessed from the name
--ttl:     every entry expires SECS after it is stored; time comes from the trace's timestamps,
           or else advances 1 ms per request
--json:    one JSON object: {\"trace\":{\"requests\":N,\"unique_keys\":U},\"results\":[...]}

scenario runs a discrete-event simulation of clients, app, cache and database in virtual time and
prints its metrics (latency percentiles, database load, hit ratio, stale reads, lost writes);
--events first prints every event as a JSON line. Patterns: cache-aside, cache-aside-update,
read-through, write-through, write-behind, write-around. Stampede strategies: coalesce (single
flight in the app), lock (a lock in the cache as with Redis SET NX PX: the others retry after
--backoff MS, default 20; a lock lasts --lock-ttl MS, default 100, unless released), xfetch
(probabilistic early refresh), jitter (±20% TTL).
";

/// A message that may quote what the user typed, made safe for a terminal: control characters
/// escaped (an argument can hold escape sequences) and at most [`MESSAGE_CHARS`] characters.
pub fn plain_message(message: &str) -> String {
    crate::engine::text::shown(message.as_bytes(), MESSAGE_CHARS)
}

/// The longest message, in characters: the longest we write is under 400.
const MESSAGE_CHARS: usize = 600;

/// Runs `cachesim` with `args` (without the program name), writing results to `out` and, when
/// `progress` is set, progress to standard error. An error is one line, without the prefix.
pub fn main_with(args: &[String], out: &mut dyn Write, progress: bool) -> Result<(), String> {
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => write_out(out, HELP),
        Some("--version" | "-V") => {
            write_out(out, &format!("cachesim {}\n", env!("CARGO_PKG_VERSION")))
        }
        Some("sim" | "scenario") if args[1..].iter().any(|a| a == "--help" || a == "-h") => {
            write_out(out, HELP)
        }
        Some("scenario") => {
            let parsed = parse_scenario(&args[1..])?;
            write_out(out, &scenario::run(&parsed)?)
        }
        Some("sim") => {
            let sim = parse_sim(&args[1..])?;
            let report = run_sim(&sim, progress)?;
            let text = if sim.json {
                report.to_json()
            } else {
                report.to_table()
            };
            write_out(out, &text)
        }
        Some(other) => Err(format!(
            "unknown command '{other}' (valid: sim, scenario; see cachesim --help)"
        )),
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), String> {
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// Loads or generates the requests.
fn load(source: &Source) -> Result<Trace, String> {
    match source {
        Source::Trace { path, format } => {
            let bytes = read_bounded(path)?;
            read_trace(path, &bytes, format).map_err(|e| e.to_string())
        }
        Source::Workload {
            workload,
            requests,
            seed,
        } => {
            // Allocated once, at their size: collecting an endless stream doubles as it goes.
            let mut keys: Vec<u64> = Vec::with_capacity(*requests as usize);
            keys.extend(
                workload
                    .keys(*seed)
                    .map_err(|e| e.to_string())?
                    .take(*requests as usize),
            );
            let mut distinct = IdSet::with_capacity_and_hasher(
                workload.key_space().min(*requests) as usize,
                Default::default(),
            );
            // Not `extend`: it reserves room for every request, not for the distinct keys.
            for &key in &keys {
                distinct.insert(key);
            }
            let unique_keys = distinct.len();
            Ok(Trace {
                keys,
                times: None,
                unique_keys,
            })
        }
    }
}

/// The bytes of the trace at `path` (`-`: standard input), at most [`MAX_TRACE_BYTES`] of them.
/// Only regular files are read: a device or a pipe could pour bytes without end, a directory has
/// none.
fn read_bounded(path: &str) -> Result<Vec<u8>, String> {
    let limit = MAX_TRACE_BYTES as u64;
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the trace from standard input: {e}"))?;
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| format!("cannot read the trace {path}: {e}"))?;
        let metadata = file
            .metadata()
            .map_err(|e| format!("cannot read the trace {path}: {e}"))?;
        if !metadata.is_file() {
            return Err(format!(
                "{path} is not a regular file (a directory, a device or a pipe): give a trace file, or - to read standard input"
            ));
        }
        check_trace_bytes(metadata.len()).map_err(|message| format!("{path}: {message}"))?;
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the trace {path}: {e}"))?;
    }
    check_trace_bytes(bytes.len() as u64).map_err(|message| format!("{path}: {message}"))?;
    Ok(bytes)
}

/// Turns a size as given into entries, given the distinct key count.
pub fn resolve_size(spec: SizeSpec, unique_keys: usize) -> Result<Capacity, String> {
    let entries = match spec {
        SizeSpec::Entries(entries) => u128::from(entries),
        SizeSpec::Percent(percent) => {
            let entries = (percent / 100.0 * unique_keys as f64).round() as u128;
            if entries == 0 {
                return Err(format!(
                    "--size {percent}% of {unique_keys} distinct keys rounds to 0 entries; use a larger percentage"
                ));
            }
            entries
        }
    };
    Capacity::new(entries).map_err(|e| format!("--size: {e}"))
}

/// Replays the requests through every policy at every size.
pub fn run_sim(sim: &SimArgs, progress: bool) -> Result<SimReport, String> {
    let trace = load(&sim.source)?;
    let requests = trace.keys.len() as u64;
    let distinct = trace.unique_keys as u64;
    limits::check_sim_work(requests, &sim.policies, sim.sizes.len())?;
    limits::check_sim_memory(
        requests,
        distinct,
        sim.policies.contains(&PolicyKind::Opt),
        args::largest_size(&sim.sizes, distinct),
    )?;
    let sizes: Vec<Capacity> = sim
        .sizes
        .iter()
        .map(|&spec| resolve_size(spec, trace.unique_keys))
        .collect::<Result<_, _>>()?;
    // Only opt reads the future; the other policies are given an empty one.
    let future = if sim.policies.contains(&PolicyKind::Opt) {
        NextUse::with_distinct_keys(&trace.keys, trace.unique_keys)
    } else {
        NextUse::from_trace(&[])
    };
    let options = PolicyOptions {
        seed: sim.policy_seed,
        ..PolicyOptions::default()
    };
    let total = sim.policies.len() * sizes.len();
    let mut rows = Vec::with_capacity(total);
    for &kind in &sim.policies {
        for &capacity in &sizes {
            if progress && trace.keys.len() >= 1_000_000 {
                eprint!("\r{}", progress_bar(rows.len(), total, kind, capacity));
            }
            let started = Instant::now();
            let (hits, misses, evictions) = match sim.ttl_seconds {
                None => {
                    let mut policy = kind.build_for_trace(capacity, &options, &future);
                    let result = replay(policy.as_mut(), trace.keys.iter().copied());
                    (result.hits, result.misses, result.evictions)
                }
                Some(ttl) => replay_with_ttl(&trace, kind, capacity, &options, ttl)?,
            };
            let seconds = started.elapsed().as_secs_f64().max(1e-9);
            rows.push(SimRow {
                policy: kind,
                size: capacity.get() as u64,
                hits,
                misses,
                evictions,
                requests_per_sec: (trace.keys.len() as f64 / seconds).round() as u64,
            });
        }
    }
    if progress && trace.keys.len() >= 1_000_000 {
        eprint!("\r{:72}\r", "");
    }
    Ok(SimReport {
        requests: trace.keys.len() as u64,
        unique_keys: trace.unique_keys as u64,
        rows,
    })
}

/// One line of progress: `[=======>            ]  7/22  lru at 76,260 entries`.
fn progress_bar(done: usize, total: usize, kind: PolicyKind, capacity: Capacity) -> String {
    const WIDTH: usize = 24;
    let filled = done * WIDTH / total.max(1);
    let arrow = if filled < WIDTH { ">" } else { "" };
    format!(
        "[{}{arrow}{}] {done:>3}/{total:<3} {} at {} entries   ",
        "=".repeat(filled),
        " ".repeat(WIDTH.saturating_sub(filled + arrow.len())),
        kind.id(),
        capacity.get()
    )
}

/// Replays through a [`Cache`] with a default TTL; returns (hits, misses, evictions of any reason).
fn replay_with_ttl(
    trace: &Trace,
    kind: PolicyKind,
    capacity: Capacity,
    options: &PolicyOptions,
    ttl_seconds: u64,
) -> Result<(u64, u64, u64), String> {
    let config = CacheConfig {
        policy: kind,
        policy_options: *options,
        default_ttl: Some(ttl_seconds.saturating_mul(1000)),
        ..CacheConfig::new(capacity)
    };
    let mut cache: Cache<()> = Cache::new(config).map_err(|e| e.to_string())?;
    for (position, &key) in trace.keys.iter().enumerate() {
        let now = match &trace.times {
            Some(times) => times[position].saturating_mul(1000),
            None => position as u64,
        };
        cache.advance_to(now);
        if cache.get(key).is_none() {
            cache.put(key, ());
        }
    }
    let stats = cache.stats();
    Ok((stats.hits, stats.misses, stats.evictions()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_as_runs_complete() {
        let capacity = Capacity::new(100).unwrap();
        let start = progress_bar(0, 4, PolicyKind::Lru, capacity);
        assert!(
            start.starts_with("[>                       ]   0/4   lru at 100 entries"),
            "{start}"
        );
        let half = progress_bar(2, 4, PolicyKind::Sieve, capacity);
        assert!(
            half.starts_with("[============>           ]   2/4   sieve"),
            "{half}"
        );
    }
}
