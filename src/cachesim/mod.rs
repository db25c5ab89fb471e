//! `cachesim`: replay traces or generated workloads through the engine's policies (native only).
//!
//! The binary (`src/bin/cachesim.rs`) only calls [`main_with`]; everything here is a library so the
//! tests can drive it directly.

mod args;
mod output;
mod scenario;

pub use args::{SimArgs, SizeSpec, Source, Warmup, parse_policies, parse_sim, parse_sizes};
pub use output::{SimReport, SimRow, TraceBytes};
pub use scenario::{ScenarioArgs, parse_scenario};

use std::io::{Read, Write};
use std::time::Instant;

use crate::config::limits;
use crate::engine::trace::{MAX_TRACE_BYTES, check_trace_bytes, read_oracle_general};
use crate::engine::{
    ByteCapacity, Cache, CacheConfig, Capacity, Fields, IdSet, NextUse, PolicyKind, PolicyOptions,
    SimResult, Trace, TraceFormat, read_trace_with, replay, replay_in_bytes,
};

/// The top-level help.
pub const HELP: &str = "\
cachesim: replay request traces or synthetic workloads through cache eviction policies

usage:
  cachesim sim (--trace FILE|- [--format txt|csv|oracle-general] [--key-column C] [--header]
                             [--object-sizes] [--size-column C]
                | --workload zipf|uniform|scan|loop|hotspot [--alpha A] --keys N --requests M [--seed S])
               --policy lru,lfu,...|all --size 100,1000|1%,10%|64MiB,1GB [--ttl SECS] [--warmup N|P%]
               [--clock-bits 1-4] [--s3fifo-threshold 1-3] [--s3fifo-ghost P%]
               [--opt-admission bypass|forced] [--tinylfu-window fixed|adaptive] [--threads N]
               [--json]
  cachesim scenario <name> [--pattern P] [--size N] [--ttl SECS] [--db-latency MS] [--crash-at MS]
                  [--clients N] [--strategy none|coalesce|lock|xfetch|jitter] [--negative-ttl MS]
                  [--lock-ttl MS] [--backoff MS] [--read-ratio R]
                  [--skew A] [--rate REQ/S] [--db-down FROM-UNTIL]
                  [--seed S] [--json] [--events]
  cachesim scenario --list
  cachesim sim --help | scenario --help   every flag, with its range
  cachesim completions bash|zsh|fish|elvish|powershell
  cachesim --help | --version

Every request is a lookup, and a miss inserts the key (unless the policy refuses it), as in
libCacheSim and Caffeine's simulator. Sizes count entries, or a percentage of the distinct keys.
--object-sizes: read each request's size (oracleGeneral's size field, a CSV --size-column, a text
           line's last field: `key 4096`) and count caches in bytes (4096, 64MiB, 1.5GB) or in a
           percentage of the working set's bytes; adds byte miss ratios. As in libCacheSim, an
           object larger than the cache is never cached, a miss evicts until the object fits, and
           requests of size 0 are left out. Every policy but tinylfu.

policies:  lru fifo lfu clock sieve arc s3fifo tinylfu redis-lru random opt (or all)
workloads: zipf (skew --alpha, default 1), uniform, loop, scan (zipf with one-time scans),
           hotspot (a hot tenth of the keys that shifts every N requests); --seed defaults to 1
traces:    txt (one key per line), csv (key column by 1-based index or header name; default 1),
           oracle-general (libCacheSim's 24-byte records, plain or .zst); guessed from the name
--ttl:     every entry expires SECS after it is stored; time comes from the trace's timestamps,
           or else advances 1 ms per request
--warmup:  the first requests (a count or a percentage) are replayed but not counted
--json:    one JSON object: {\"trace\":{\"requests\":N,\"unique_keys\":U,\"warmup\":W},\"results\":[...]}

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
        Some(name @ ("sim" | "scenario"))
            if args[1..].iter().any(|a| a == "--help" || a == "-h") =>
        {
            write_out(out, &help_of(name))
        }
        Some("completions") => completions(&args[1..], out),
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
        Some(other) => Err(plain_message(&format!(
            "unknown command '{other}' (valid: sim, scenario, completions; see cachesim --help)"
        ))),
    }
}

/// The whole command line as clap sees it: each command's help, and shell completions.
fn command() -> clap::Command {
    use clap::Args;
    clap::Command::new("cachesim")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Replay request traces or synthetic workloads through cache eviction policies")
        // Each command's description is its flags' doc comment (`SimFlags`, `ScenarioFlags`).
        .subcommand(args::SimFlags::augment_args(
            clap::Command::new("sim")
                .after_help("Every range is also in the README's table (src/config/limits.rs)."),
        ))
        .subcommand(scenario::ScenarioFlags::augment_args(
            clap::Command::new("scenario")
                .after_help("Every range is also in the README's table (src/config/limits.rs)."),
        ))
        .subcommand(
            clap::Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    clap::Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// `command`'s help (a subcommand of [`command`]), as plain text.
fn help_of(name: &str) -> String {
    let mut command = command();
    // Built, so that a subcommand's usage names it as `cachesim sim`.
    command.build();
    match command.find_subcommand_mut(name) {
        Some(sub) => sub.render_long_help().to_string(),
        None => HELP.to_owned(),
    }
}

/// `cachesim completions SHELL`: the script that completes `cachesim`'s commands and flags.
fn completions(args: &[String], out: &mut dyn Write) -> Result<(), String> {
    let [shell] = args else {
        return Err(
            "completions takes one shell: bash, elvish, fish, powershell or zsh".to_owned(),
        );
    };
    let shell: clap_complete::Shell = shell.parse().map_err(|_| {
        plain_message(&format!(
            "unknown shell '{shell}' (valid: bash, elvish, fish, powershell, zsh)"
        ))
    })?;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "cachesim", &mut script);
    out.write_all(&script)
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// One command's flags parsed alone, for [`parse_flags`]: no help flag (`--help` is answered in
/// [`main_with`], with the whole command line's help), and `-1` read as a value, so that its
/// range says what is wrong with it.
#[derive(clap::Parser, Debug)]
#[command(disable_help_flag = true, allow_negative_numbers = true)]
struct Alone<F: clap::Args> {
    #[command(flatten)]
    flags: F,
}

/// `help` followed by `limit`'s range, for `--help`.
fn range_help(help: &str, limit: &limits::Limit) -> String {
    format!("{help} [{}]", limit.range_words())
}

/// A clap value parser: a whole number in `limit`'s range, refused in its words.
fn whole_in(
    limit: &'static limits::Limit,
) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |text| limit.whole(text)
}

/// A clap value parser: a decimal number in `limit`'s range.
fn decimal_in(
    limit: &'static limits::Limit,
) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |text| limit.decimal(text)
}

/// `args`, the words after the command `name`, read by clap as its flags `F`; an error is one
/// line.
fn parse_flags<F: clap::Args>(name: &str, args: &[String]) -> Result<F, String> {
    let words = std::iter::once(name).chain(args.iter().map(String::as_str));
    <Alone<F> as clap::Parser>::try_parse_from(words)
        .map(|alone| alone.flags)
        .map_err(|error| clap_message(&error, name))
}

/// One of clap's errors as this command's one line: the range table's own words for a value out
/// of range, the flag's name otherwise.
fn clap_message(error: &clap::Error, command: &str) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use std::error::Error as _;
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => text.clone(),
        _ => String::new(),
    };
    // "--size <S,…>" names the flag `--size`.
    let flag = || {
        context(ContextKind::InvalidArg)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let message = match error.kind() {
        ErrorKind::ValueValidation => error
            .source()
            .map_or_else(|| error.to_string(), |source| source.to_string()),
        ErrorKind::UnknownArgument => format!(
            "unknown argument '{}' (see cachesim {command} --help)",
            context(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!("{} was given twice", flag()),
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            format!("{} needs a value", flag())
        }
        _ => {
            let rendered = error.to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_owned()
        }
    };
    plain_message(&message)
}

/// `value` as one line of JSON. Serializing plain numbers, strings and lists cannot fail; were it
/// to, the line says so rather than printing half an object.
pub(crate) fn json_line(value: &impl serde::Serialize) -> String {
    match serde_json::to_string(value) {
        Ok(mut line) => {
            line.push('\n');
            line
        }
        Err(error) => format!("{{\"error\":{:?}}}\n", error.to_string()),
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), String> {
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// Loads or generates the requests, keeping the `fields` asked for (timestamps for a TTL, sizes
/// for a cache in bytes).
fn load(source: &Source, fields: Fields) -> Result<Trace, String> {
    match source {
        // Read as it arrives: neither the file nor its decompressed bytes are held, only the
        // requests (and their times if a TTL needs them).
        Source::Trace {
            path,
            format: TraceFormat::OracleGeneral,
        } => {
            let input = open_bounded(path)?;
            read_oracle_general(path, input, fields).map_err(|e| e.to_string())
        }
        Source::Trace { path, format } => {
            let bytes = read_bounded(path)?;
            read_trace_with(path, &bytes, format, fields).map_err(|e| e.to_string())
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
                unique_keys,
                ..Trace::default()
            })
        }
    }
}

/// The trace at `path` (`-`: standard input) to read, at most [`MAX_TRACE_BYTES`] and one byte
/// more of it (to tell a trace at the limit from one past it). Only regular files are read: a
/// device or a pipe could pour bytes without end, a directory has none.
fn open_bounded(path: &str) -> Result<Box<dyn Read>, String> {
    let limit = MAX_TRACE_BYTES as u64;
    if path == "-" {
        return Ok(Box::new(std::io::stdin().lock().take(limit + 1)));
    }
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
    Ok(Box::new(
        std::io::BufReader::with_capacity(1 << 20, file).take(limit + 1),
    ))
}

/// The bytes of the trace at `path` (see [`open_bounded`]), held whole.
fn read_bounded(path: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    open_bounded(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| match path {
            "-" => format!("cannot read the trace from standard input: {e}"),
            _ => format!("cannot read the trace {path}: {e}"),
        })?;
    check_trace_bytes(bytes.len() as u64).map_err(|message| format!("{path}: {message}"))?;
    Ok(bytes)
}

/// A size as given, as a count: the count itself, or its percentage of `total` (which `of`
/// names in the refusal), refused if that rounds to 0 `unit`.
fn size_count(spec: SizeSpec, total: u64, of: &str, unit: &str) -> Result<u128, String> {
    match spec {
        SizeSpec::Entries(count) | SizeSpec::Bytes(count) => Ok(u128::from(count)),
        SizeSpec::Percent(percent) => {
            let count = (percent / 100.0 * total as f64).round() as u128;
            if count == 0 {
                return Err(format!(
                    "--size {percent}% of {of} rounds to 0 {unit}; use a larger percentage"
                ));
            }
            Ok(count)
        }
    }
}

/// Turns a size as given into entries, given the distinct key count.
pub fn resolve_size(spec: SizeSpec, unique_keys: usize) -> Result<Capacity, String> {
    let of = format!("{unique_keys} distinct keys");
    let entries = size_count(spec, unique_keys as u64, &of, "entries")?;
    Capacity::new(entries).map_err(|e| format!("--size: {e}"))
}

/// Turns a size as given into bytes, given the working set's bytes (`--object-sizes`).
pub fn resolve_bytes(spec: SizeSpec, working_set: u64) -> Result<ByteCapacity, String> {
    let of = format!("the working set's {working_set} bytes");
    let bytes = size_count(spec, working_set, &of, "bytes")?;
    ByteCapacity::new(bytes).map_err(|e| format!("--size: {e}"))
}

/// One cache's size: in entries, or with object sizes in bytes.
#[derive(Clone, Copy, Debug)]
enum CacheSize {
    Entries(Capacity),
    Bytes(ByteCapacity),
}

impl CacheSize {
    /// The number, in its unit.
    fn get(self) -> u64 {
        match self {
            CacheSize::Entries(capacity) => capacity.get() as u64,
            CacheSize::Bytes(capacity) => capacity.get(),
        }
    }
}

/// Replays the requests through every policy at every size.
pub fn run_sim(sim: &SimArgs, progress: bool) -> Result<SimReport, String> {
    let fields = Fields {
        times: sim.ttl_seconds.is_some(),
        sizes: sim.object_sizes,
    };
    let trace = load(&sim.source, fields)?;
    let requests = trace.keys.len() as u64;
    let distinct = trace.unique_keys as u64;
    let warmup = match sim.warmup {
        Some(warmup) => warmup.of(requests)?,
        None => 0,
    };
    limits::check_sim_work(requests, &sim.policies, sim.sizes.len())?;
    limits::ReplayShape {
        requests,
        distinct,
        opt: sim.policies.contains(&PolicyKind::Opt),
        largest: args::largest_size(&sim.sizes, distinct),
        caches: args::caches_at_once(sim.threads, sim.policies.len(), sim.sizes.len()),
        sizes: sim.object_sizes,
    }
    .check_memory()?;
    let object_sizes = trace.sizes.as_deref();
    let bytes = object_sizes.map(|_| TraceBytes {
        working_set: trace.working_set,
        zero_sized: trace.zero_sized,
    });
    let sizes: Vec<CacheSize> = sim
        .sizes
        .iter()
        .map(|&spec| match bytes {
            Some(bytes) => resolve_bytes(spec, bytes.working_set).map(CacheSize::Bytes),
            None => resolve_size(spec, trace.unique_keys).map(CacheSize::Entries),
        })
        .collect::<Result<_, _>>()?;
    // Only opt reads the future; the other policies are given an empty one.
    let future = if sim.policies.contains(&PolicyKind::Opt) {
        NextUse::with_distinct_keys(&trace.keys, trace.unique_keys)
    } else {
        NextUse::from_trace(&[])
    };
    let jobs: Vec<(PolicyKind, CacheSize)> = sim
        .policies
        .iter()
        .flat_map(|&kind| sizes.iter().map(move |&size| (kind, size)))
        .collect();
    let bar = progress_bar(jobs.len(), progress && trace.keys.len() >= 1_000_000);
    // The warm-up requests first, uncounted; then the counted ones, in order.
    let (warm, counted) = trace.keys.split_at(warmup as usize);
    let sized = |range: std::ops::Range<usize>| {
        let keys = trace.keys.get(range.clone()).unwrap_or_default();
        let sizes = object_sizes
            .and_then(|sizes| sizes.get(range))
            .unwrap_or_default();
        keys.iter().copied().zip(sizes.iter().copied())
    };
    let replay_one = |&(kind, size): &(PolicyKind, CacheSize)| {
        let started = Instant::now();
        let options = &sim.policy_options;
        let (result, bytes) = match (size, sim.ttl_seconds) {
            (CacheSize::Entries(capacity), None) => {
                let mut policy = kind.build_for_trace(capacity, options, &future);
                replay(policy.as_mut(), warm.iter().copied());
                (replay(policy.as_mut(), counted.iter().copied()), None)
            }
            (CacheSize::Entries(capacity), Some(ttl)) => (
                replay_with_ttl(&trace, kind, capacity, options, ttl, warmup)?,
                None,
            ),
            // --ttl with --object-sizes is refused by the argument checks.
            (CacheSize::Bytes(capacity), _) => {
                let mut policy = kind
                    .build_in_bytes(capacity, options, &future)
                    .map_err(|e| format!("--object-sizes: {e}"))?;
                replay_in_bytes(policy.as_mut(), sized(0..warm.len()));
                let (result, bytes) =
                    replay_in_bytes(policy.as_mut(), sized(warm.len()..trace.keys.len()));
                (result, Some(bytes))
            }
        };
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        let unit = if bytes.is_some() { "bytes" } else { "entries" };
        bar.set_message(format!("{} at {} {unit}", kind.id(), size.get()));
        bar.inc(1);
        Ok(SimRow {
            policy: kind,
            size: size.get(),
            hits: result.hits,
            misses: result.misses,
            evictions: result.evictions,
            bytes,
            requests_per_sec: (trace.keys.len() as f64 / seconds).round() as u64,
        })
    };
    let rows = in_parallel(&jobs, sim.threads, replay_one);
    bar.finish_and_clear();
    Ok(SimReport {
        requests,
        warmup,
        unique_keys: distinct,
        bytes,
        rows: rows.into_iter().collect::<Result<_, String>>()?,
    })
}

/// `work` done for every one of `jobs` on up to `threads` threads, the results in the jobs'
/// order. Each thread takes the next job not yet taken, so a slow replay (opt, a large cache)
/// does not hold the others up; the results do not depend on which thread ran what.
fn in_parallel<J: Sync, R: Send>(
    jobs: &[J],
    threads: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = threads.clamp(1, jobs.len().max(1));
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else {
                            break mine;
                        };
                        mine.push((index, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(results) => results,
                // A replay that panicked is a bug; show it as the panic it was.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The progress line: `[=======>            ]   7/22  lru at 76260 entries (3s)`.
const PROGRESS: &str = "[{bar:24}] {pos:>3}/{len:<3} {msg} ({elapsed})";

/// A bar for `total` replays, drawn on standard error if `shown`.
fn progress_bar(total: usize, shown: bool) -> indicatif::ProgressBar {
    let target = if shown {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    };
    let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), target);
    // The template is fixed, so it always parses; were it not to, the bar keeps its default.
    if let Ok(style) = indicatif::ProgressStyle::with_template(PROGRESS) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Replays through a [`Cache`] with a default TTL; evictions count entries gone for any reason.
fn replay_with_ttl(
    trace: &Trace,
    kind: PolicyKind,
    capacity: Capacity,
    options: &PolicyOptions,
    ttl_seconds: u64,
    warmup: u64,
) -> Result<SimResult, String> {
    let config = CacheConfig {
        policy: kind,
        policy_options: *options,
        default_ttl: Some(ttl_seconds.saturating_mul(1000)),
        ..CacheConfig::new(capacity)
    };
    let mut cache: Cache<()> = Cache::new(config).map_err(|e| e.to_string())?;
    let mut at_warmup = *cache.stats();
    for (position, &key) in trace.keys.iter().enumerate() {
        if position as u64 == warmup {
            at_warmup = *cache.stats();
        }
        let now = match &trace.times {
            Some(times) => times[position].saturating_mul(1000),
            None => position as u64,
        };
        cache.advance_to(now);
        if cache.get(key).is_none() {
            cache.put(key, ());
        }
    }
    // Counts since the warm-up ended (they only grow, so the differences are exact).
    let stats = cache.stats();
    let (hits, misses) = (stats.hits - at_warmup.hits, stats.misses - at_warmup.misses);
    Ok(SimResult {
        requests: hits + misses,
        hits,
        misses,
        evictions: stats.evictions() - at_warmup.evictions(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warm_up_leaves_its_requests_out_of_the_counts_and_nothing_else() {
        let run = |requests: u64, warmup: Option<Warmup>, ttl: Option<u64>| {
            let sim = SimArgs {
                source: Source::Workload {
                    workload: crate::engine::Workload::Zipf {
                        keys: 500,
                        alpha: 0.9,
                    },
                    requests,
                    seed: 4,
                },
                policies: PolicyKind::ALL
                    .iter()
                    .copied()
                    .filter(|&kind| kind != PolicyKind::Opt)
                    .collect(),
                sizes: vec![SizeSpec::Entries(40)],
                object_sizes: false,
                ttl_seconds: ttl,
                warmup,
                policy_options: PolicyOptions {
                    seed: 4,
                    ..PolicyOptions::default()
                },
                threads: 2,
                json: false,
            };
            run_sim(&sim, false).unwrap()
        };
        for ttl in [None, Some(2)] {
            let whole = run(20_000, None, ttl);
            let prefix = run(3_000, None, ttl);
            let warmed = run(20_000, Some(Warmup::Requests(3_000)), ttl);
            let by_share = run(20_000, Some(Warmup::Percent(15.0)), ttl);
            assert_eq!(warmed.warmup, 3_000);
            for ((w, all), (first, share)) in warmed
                .rows
                .iter()
                .zip(&whole.rows)
                .zip(prefix.rows.iter().zip(&by_share.rows))
            {
                // What the first 3,000 requests did is the same counted or not.
                assert_eq!(w.hits, all.hits - first.hits, "{:?} ttl {ttl:?}", w.policy);
                assert_eq!(w.misses, all.misses - first.misses, "{:?}", w.policy);
                assert_eq!(
                    w.evictions,
                    all.evictions - first.evictions,
                    "{:?}",
                    w.policy
                );
                assert_eq!((share.hits, share.misses), (w.hits, w.misses));
            }
        }
        // A warm-up that leaves nothing to count is refused in words.
        let sim = SimArgs {
            warmup: Some(Warmup::Percent(100.0)),
            ..parse_sim(
                &"--workload zipf --keys 10 --requests 10 --policy lru --size 1"
                    .split(' ')
                    .map(String::from)
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        };
        let error = run_sim(&sim, false).unwrap_err();
        assert!(error.contains("leaving none to count"), "{error}");
    }

    #[test]
    fn a_sweep_gives_the_same_numbers_in_the_same_order_on_any_number_of_threads() {
        let sweep = |threads: usize, ttl: Option<u64>| {
            let words = format!(
                "--workload zipf --keys 2000 --requests 30000 --seed 3 --policy all --size 10,1%,300 --threads {threads}"
            );
            let mut sim =
                parse_sim(&words.split(' ').map(String::from).collect::<Vec<_>>()).unwrap();
            assert_eq!(sim.threads, threads);
            if ttl.is_some() {
                sim.policies.retain(|&kind| kind != PolicyKind::Opt);
                sim.ttl_seconds = ttl;
            }
            run_sim(&sim, false)
                .unwrap()
                .rows
                .into_iter()
                .map(|row| (row.policy, row.size, row.hits, row.misses, row.evictions))
                .collect::<Vec<_>>()
        };
        for ttl in [None, Some(3)] {
            let alone = sweep(1, ttl);
            // Every policy at every size, in the order asked for.
            let expected = PolicyKind::ALL.len() - usize::from(ttl.is_some());
            assert_eq!(alone.len(), expected * 3);
            assert_eq!(
                (alone[0].0, alone[0].1, alone[2].1),
                (PolicyKind::Lru, 10, 300)
            );
            assert_eq!(alone[3].0, PolicyKind::Fifo);
            for threads in [2, 5, 64] {
                assert_eq!(sweep(threads, ttl), alone, "{threads} threads, ttl {ttl:?}");
            }
        }
    }

    #[test]
    fn the_top_level_help_names_every_flag_of_both_commands() {
        let mut command = command();
        command.build();
        let mut checked = 0;
        for name in ["sim", "scenario"] {
            let sub = command.find_subcommand(name).unwrap();
            for arg in sub.get_arguments() {
                if let Some(long) = arg.get_long().filter(|long| *long != "help") {
                    assert!(
                        HELP.contains(&format!("--{long}")),
                        "{name} --{long} is not in HELP"
                    );
                    checked += 1;
                }
            }
        }
        // Both commands' flags were seen, not none.
        assert!(checked >= 35, "only {checked} flags checked");
    }

    #[test]
    fn the_progress_bar_counts_every_replay() {
        assert!(indicatif::ProgressStyle::with_template(PROGRESS).is_ok());
        let bar = progress_bar(4, false);
        assert!(bar.is_hidden());
        (0..4).for_each(|_| bar.inc(1));
        assert_eq!((bar.position(), bar.length()), (4, Some(4)));
    }
}
