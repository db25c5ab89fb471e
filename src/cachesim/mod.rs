//! `cachesim`: replay traces or generated workloads through the engine's policies (native only).
//!
//! The binary (`src/bin/cachesim.rs`) only calls [`main_with`]; everything here is a library so the
//! tests can drive it directly.

mod args;
mod mrc;
mod output;
mod scenario;
mod spill;

pub use crate::engine::mrc::{Method, MrcCurve, MrcPoint};
pub use args::{
    MrcArgs, Sample, SimArgs, SizeSpec, Source, Warmup, parse_mrc, parse_policies, parse_sim,
    parse_sizes,
};
pub use mrc::{MrcReport, SampleReport, run_mrc};
pub use output::{SimReport, SimRow, TraceBytes};
pub use scenario::{ScenarioArgs, parse_scenario};

use std::io::{Read, Write};
use std::time::Instant;

use crate::config::limits;
use crate::engine::trace::{MAX_STREAMED_BYTES, check_bytes_within};
use crate::engine::{
    ByteCapacity, BytePolicy, ByteTotals, Cache, CacheConfig, Capacity, Fields, InspectablePolicy,
    NextUse, PolicyKind, PolicyOptions, Requests, SimResult, Stats, TraceFormat, TraceSummary,
    replay, replay_in_bytes, stream_trace,
};
use spill::{Future, Shape, Spill, SpillWriter};
use std::sync::Mutex;

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
  cachesim mrc (--trace FILE|- ... | --workload ...) [--policy lru,fifo,...|all] [--size S,...]
              [--sample RATE | --sample-size N] [--object-sizes] [--threads N] [--json]
  cachesim scenario <name> [--pattern P] [--size N] [--ttl SECS] [--db-latency MS] [--crash-at MS]
                  [--clients N] [--strategy none|coalesce|lock|xfetch|jitter] [--negative-ttl MS]
                  [--lock-ttl MS] [--backoff MS] [--read-ratio R]
                  [--skew A] [--rate REQ/S] [--db-down FROM-UNTIL]
                  [--seed S] [--json] [--events]
  cachesim scenario --list
  cachesim sim --help | mrc --help | scenario --help   every flag, with its range
  cachesim completions bash|zsh|fish|elvish|powershell
  cachesim --help | --version

Every request is a lookup, and a miss inserts the key (unless the policy refuses it), as in
libCacheSim and Caffeine's simulator. Sizes count entries, or a percentage of the distinct keys.
--object-sizes: read each request's size (oracleGeneral's size field, a CSV --size-column, a text
           line's last field: `key 4096`) and count caches in bytes (4096, 64MiB, 1.5GB) or in a
           percentage of the working set's bytes; adds byte miss ratios. As in libCacheSim, an
           object larger than the cache is never cached, a miss evicts until the object fits, and
           requests of size 0 are left out. Every policy has a byte form.

policies:  lru fifo lfu clock sieve arc s3fifo tinylfu redis-lru random opt (or all)
workloads: zipf (skew --alpha, default 1), uniform, loop, scan (zipf with one-time scans),
           hotspot (a hot tenth of the keys that shifts every N requests); --seed defaults to 1
traces:    txt (one key per line), csv (key column by 1-based index or header name; default 1),
           oracle-general (libCacheSim's 24-byte records, plain or .zst); guessed from the name
--ttl:     every entry expires SECS after it is stored; time comes from the trace's timestamps,
           or else advances 1 ms per request
--warmup:  the first requests (a count or a percentage) are replayed but not counted
--json:    one JSON object: {\"trace\":{\"requests\":N,\"unique_keys\":U,\"warmup\":W},\"results\":[...]}

mrc prints miss-ratio curves: LRU's from one pass of stack distances (exact at every size; in
bytes, exact from the largest object up, simulated below), the other policies simulated at the
same sizes (by default 12, log-spaced from 0.1% to 100% of the keys or bytes); --sample 0.01
(SHARDS at a 1% rate) or --sample-size 8192 (at most 8,192 keys) samples the keys, and the other
policies replay the sample at sizes scaled by the rate.

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
        Some(name @ ("sim" | "scenario" | "mrc"))
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
        Some("mrc") => {
            let parsed = parse_mrc(&args[1..])?;
            let report = run_mrc(&parsed, progress)?;
            let text = if parsed.sim.json {
                report.to_json()
            } else {
                report.to_table()
            };
            write_out(out, &text)
        }
        Some(other) => Err(plain_message(&format!(
            "unknown command '{other}' (valid: sim, mrc, scenario, completions; see cachesim --help)"
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
        .subcommand(
            args::MrcFlags::augment_args(
                clap::Command::new("mrc").after_help(
                    "Every range is also in the README's table (src/config/limits.rs).",
                ),
            )
            // sim's flags that mrc refuses.
            .mut_arg("ttl", |arg| arg.hide(true))
            .mut_arg("warmup", |arg| arg.hide(true)),
        )
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

/// The requests read once: on disk, with OPT's future when the trace gave it (checked), and what
/// the read found.
struct Spilled {
    spill: Spill,
    given_future: Option<Spill>,
    summary: TraceSummary,
}

/// Reads (or generates) the requests once, writing them to a spill with the `fields` asked for
/// (timestamps for a TTL, sizes for a cache in bytes, an `oracleGeneral` trace's next-access
/// fields for OPT), and what the read found.
fn spill_requests(source: &Source, fields: Fields) -> Result<Spilled, String> {
    let oracle_general = matches!(
        source,
        Source::Trace {
            format: TraceFormat::OracleGeneral,
            ..
        }
    );
    let fields = Fields {
        times: fields.times && oracle_general,
        next_access: fields.next_access && oracle_general,
        ..fields
    };
    let mut writer = SpillWriter::new(Shape {
        sizes: fields.sizes,
        times: fields.times,
    })?;
    if fields.next_access {
        writer = writer.with_given_future()?;
    }
    let summary = match source {
        Source::Trace { path, format } => {
            let input = open_bounded(path)?;
            stream_trace(path, input, format, fields, &mut writer).map_err(|e| e.to_string())?
        }
        Source::Workload {
            workload,
            requests,
            seed,
        } => workload
            .stream(*requests, *seed, &mut writer)
            .map_err(|e| e.to_string())?,
    };
    let (spill, given) = writer.finish()?;
    let given_future = match given {
        Some(given) => given.finish(summary.unique_keys as u64, summary.zero_sized)?,
        None => None,
    };
    Ok(Spilled {
        spill,
        given_future,
        summary,
    })
}

/// The trace at `path` (`-`: standard input) to read as a stream, at most
/// [`MAX_STREAMED_BYTES`] and one byte more of it (to tell a trace at the limit from one past it).
/// Only regular files are read: a device or a pipe could pour bytes without end, a directory has
/// none.
fn open_bounded(path: &str) -> Result<Box<dyn Read>, String> {
    let limit = MAX_STREAMED_BYTES;
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
    check_bytes_within(metadata.len(), limit).map_err(|message| format!("{path}: {message}"))?;
    Ok(Box::new(
        std::io::BufReader::with_capacity(1 << 20, file).take(limit + 1),
    ))
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

/// Replays the requests through every policy at every size: the trace is read once into a spill
/// file (the `spill` module), then every cache replays it together, a batch at a time, split across the threads.
/// The caches are held together only as far as [`limits::SIM_MEMORY`] allows; past that they are
/// replayed in more than one pass over the spill, so memory is bounded by the largest cache, not
/// by the trace or the number of caches.
pub fn run_sim(sim: &SimArgs, progress: bool) -> Result<SimReport, String> {
    run_sim_within(sim, progress, limits::PASS_ROOM, spill::BATCH)
}

/// [`run_sim`] with the caches of a pass holding at most `room` bytes together, replaying
/// `batch` requests at a time.
fn run_sim_within(
    sim: &SimArgs,
    progress: bool,
    room: u64,
    batch_size: usize,
) -> Result<SimReport, String> {
    let fields = Fields {
        times: sim.ttl_seconds.is_some(),
        sizes: sim.object_sizes,
        next_access: sim.policies.contains(&PolicyKind::Opt),
    };
    let spilled = spill_requests(&sim.source, fields)?;
    let requests = spilled.spill.requests();
    let summary = spilled.summary;
    let warmup = match sim.warmup {
        Some(warmup) => warmup.of(requests)?,
        None => 0,
    };
    limits::check_sim_work(requests, &sim.policies, sim.sizes.len())?;
    let bytes = sim.object_sizes.then_some(TraceBytes {
        working_set: summary.working_set,
        zero_sized: summary.zero_sized,
    });
    let sizes = resolve_sizes(sim, &summary)?;
    let jobs: Vec<(PolicyKind, CacheSize)> = sim
        .policies
        .iter()
        .flat_map(|&kind| sizes.iter().map(move |&size| (kind, size)))
        .collect();
    let rows = replay_jobs(
        &spilled,
        &jobs,
        sim,
        Replaying {
            warmup,
            progress,
            room,
            batch_size,
        },
    )?;
    Ok(SimReport {
        requests,
        warmup,
        unique_keys: summary.unique_keys as u64,
        bytes,
        rows,
    })
}

/// `sim`'s sizes in entries, or with object sizes in bytes, for the trace `summary` describes.
fn resolve_sizes(sim: &SimArgs, summary: &TraceSummary) -> Result<Vec<CacheSize>, String> {
    sim.sizes
        .iter()
        .map(|&spec| {
            if sim.object_sizes {
                resolve_bytes(spec, summary.working_set).map(CacheSize::Bytes)
            } else {
                resolve_size(spec, summary.unique_keys).map(CacheSize::Entries)
            }
        })
        .collect()
}

/// How [`replay_jobs`] replays.
#[derive(Clone, Copy, Debug)]
struct Replaying {
    /// The first requests, replayed but not counted.
    warmup: u64,
    /// Whether a progress bar is drawn (for a million requests or more).
    progress: bool,
    /// The most bytes the caches of one pass hold together.
    room: u64,
    /// Requests replayed at a time.
    batch_size: usize,
}

/// Replays the spilled requests through every one of `jobs` (a policy at a size), with `sim`'s
/// TTL and policy options: all of them together, a batch at a time, split across the threads,
/// in as many passes over the spill as memory needs. The rows are in the jobs' order.
fn replay_jobs(
    spilled: &Spilled,
    jobs: &[(PolicyKind, CacheSize)],
    sim: &SimArgs,
    how: Replaying,
) -> Result<Vec<SimRow>, String> {
    let Spilled {
        spill,
        given_future,
        summary,
    } = spilled;
    let Replaying {
        warmup,
        progress,
        room,
        batch_size,
    } = how;
    let requests = spill.requests();
    let distinct = summary.unique_keys as u64;
    let opt = jobs.iter().any(|&(kind, _)| kind == PolicyKind::Opt);
    // The most entries a cache can hold: its size, or its bytes over the smallest object.
    let entries_of = |size: CacheSize| match size {
        CacheSize::Entries(capacity) => (capacity.get() as u64).min(distinct),
        CacheSize::Bytes(capacity) => {
            (capacity.get() / u64::from(summary.smallest.max(1))).min(distinct)
        }
    };
    limits::ReplayShape {
        distinct,
        opt,
        largest: jobs
            .iter()
            .map(|&(_, size)| entries_of(size))
            .max()
            .unwrap_or(0),
        sizes: sim.object_sizes,
    }
    .check_memory()?;
    // Only opt reads the future: the trace's own if it held, else one backward pass.
    let computed_future;
    let future = match (opt, given_future) {
        (false, _) => None,
        (true, Some(given)) => Some(given),
        (true, None) => {
            computed_future = spill.next_uses(summary.unique_keys)?;
            Some(&computed_future)
        }
    };
    let cache_memory = |&(_, size): &(PolicyKind, CacheSize)| {
        limits::cache_memory(entries_of(size), sim.object_sizes)
    };
    let passes = limits::passes(jobs, cache_memory, room);
    let options = PolicyOptions {
        mean_object_size: summary.mean_object_size(),
        ..sim.policy_options
    };
    let bar = progress_bar(
        requests.saturating_mul(passes.len() as u64),
        progress && requests >= 1_000_000,
    );
    let mut rows = Vec::with_capacity(jobs.len());
    for (pass, range) in passes.iter().enumerate() {
        let replays = jobs
            .get(range.clone())
            .unwrap_or_default()
            .iter()
            .map(|&(kind, size)| Replay::new(kind, size, sim, &options, warmup).map(Mutex::new))
            .collect::<Result<Vec<_>, String>>()?;
        // The costliest first, so that no thread is left with a slow one at the end of a batch.
        let mut order: Vec<usize> = (0..replays.len()).collect();
        order.sort_by_key(|&index| {
            std::cmp::Reverse(jobs.get(range.start + index).map_or(0, |&(kind, size)| {
                limits::replay_cost(kind).saturating_mul(entries_of(size).max(1).ilog2().into())
            }))
        });
        if passes.len() > 1 {
            bar.set_message(format!(", pass {} of {}", pass + 1, passes.len()));
        }
        let mut batches = spill.batches(batch_size)?;
        let mut future = future
            .map(|future| Future::of(future, batch_size))
            .transpose()?;
        let mut batch = Requests::default();
        let mut start = 0u64;
        while batches.next_into(&mut batch)? {
            let next_uses = future.as_mut().map(Future::next).transpose()?;
            let feed = |&index: &usize| {
                if let Some(replay) = replays.get(index) {
                    let mut replay = replay
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    replay.feed(start, &batch, next_uses.as_ref());
                }
            };
            in_parallel(&order, sim.threads, feed);
            start += batch.len() as u64;
            bar.inc(batch.len() as u64);
        }
        for replay in replays {
            let replay = replay
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            rows.push(replay.row(requests));
        }
    }
    bar.finish_and_clear();
    Ok(rows)
}

/// One policy at one size being replayed, a batch at a time.
struct Replay {
    kind: PolicyKind,
    size: CacheSize,
    cache: Replayer,
    /// The first requests, replayed but not counted.
    warmup: u64,
    counted: SimResult,
    bytes: Option<ByteTotals>,
    /// Time spent replaying.
    seconds: f64,
}

/// What replays: a policy counted in entries or in bytes, or a cache whose entries expire.
enum Replayer {
    Entries(Box<dyn InspectablePolicy>),
    Bytes(Box<dyn BytePolicy>),
    Expiring(Box<Expiring>),
}

impl Replay {
    fn new(
        kind: PolicyKind,
        size: CacheSize,
        sim: &SimArgs,
        options: &PolicyOptions,
        warmup: u64,
    ) -> Result<Self, String> {
        // Opt is given its future a batch at a time (see `feed`).
        let no_future = NextUse::from_trace(&[]);
        let cache = match (size, sim.ttl_seconds) {
            (CacheSize::Entries(capacity), None) => {
                Replayer::Entries(kind.build_for_trace(capacity, options, &no_future))
            }
            (CacheSize::Entries(capacity), Some(ttl)) => Replayer::Expiring(Box::new(
                Expiring::new(kind, capacity, options, ttl, warmup)?,
            )),
            // --ttl with --object-sizes is refused by the argument checks.
            (CacheSize::Bytes(capacity), _) => {
                Replayer::Bytes(kind.build_in_bytes(capacity, options, &no_future))
            }
        };
        Ok(Self {
            kind,
            size,
            cache,
            warmup,
            counted: SimResult::default(),
            bytes: matches!(size, CacheSize::Bytes(_)).then(ByteTotals::default),
            seconds: 0.0,
        })
    }

    /// Replays `batch`, the requests from position `start` on, with their next uses for opt.
    fn feed(&mut self, start: u64, batch: &Requests, future: Option<&NextUse>) {
        let started = Instant::now();
        let warm = self.warmup.saturating_sub(start).min(batch.len() as u64) as usize;
        let (warm_keys, keys) = batch.keys.split_at(warm);
        match &mut self.cache {
            Replayer::Entries(policy) => {
                if let Some(future) = future {
                    policy.see_future(future);
                }
                replay(policy.as_mut(), warm_keys.iter().copied());
                self.counted += replay(policy.as_mut(), keys.iter().copied());
            }
            Replayer::Bytes(policy) => {
                if let Some(future) = future {
                    policy.see_future(future);
                }
                let (warm_sizes, sizes) = batch.sizes.split_at(warm.min(batch.sizes.len()));
                let warm_requests = warm_keys.iter().copied().zip(warm_sizes.iter().copied());
                replay_in_bytes(policy.as_mut(), warm_requests);
                let requests = keys.iter().copied().zip(sizes.iter().copied());
                let (result, bytes) = replay_in_bytes(policy.as_mut(), requests);
                self.counted += result;
                if let Some(total) = &mut self.bytes {
                    *total += bytes;
                }
            }
            Replayer::Expiring(cache) => cache.feed(start, batch),
        }
        self.seconds += started.elapsed().as_secs_f64();
    }

    /// The replay's row, once every one of the `requests` has been fed.
    fn row(self, requests: u64) -> SimRow {
        let result = match &self.cache {
            Replayer::Expiring(cache) => cache.result(),
            _ => self.counted,
        };
        SimRow {
            policy: self.kind,
            size: self.size.get(),
            hits: result.hits,
            misses: result.misses,
            evictions: result.evictions,
            bytes: self.bytes,
            requests_per_sec: (requests as f64 / self.seconds.max(1e-9)).round() as u64,
        }
    }
}

/// `work` done for every one of `jobs` on up to `threads` threads, the results in the jobs'
/// order. Each thread takes the next job not yet taken, so a slow replay (opt, a large cache)
/// does not hold the others up; the results do not depend on which thread ran what.
fn in_parallel<J: Sync, R: Send>(
    jobs: &[J],
    threads: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        return jobs.iter().map(work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
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

/// The progress line: `[=======>            ] 3,014,656/10,000,000 requests (3s)`.
const PROGRESS: &str = "[{bar:24}] {human_pos}/{human_len} requests{msg} ({elapsed})";

/// A bar for `total` requests replayed, drawn on standard error if `shown`.
fn progress_bar(total: u64, shown: bool) -> indicatif::ProgressBar {
    let target = if shown {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    };
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), target);
    // The template is fixed, so it always parses; were it not to, the bar keeps its default.
    if let Ok(style) = indicatif::ProgressStyle::with_template(PROGRESS) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A replay through a [`Cache`] with a default TTL; evictions count entries gone for any reason.
struct Expiring {
    cache: Cache<()>,
    /// The cache's counts when the warm-up ended.
    at_warmup: Stats,
    warmup: u64,
}

impl Expiring {
    fn new(
        kind: PolicyKind,
        capacity: Capacity,
        options: &PolicyOptions,
        ttl_seconds: u64,
        warmup: u64,
    ) -> Result<Self, String> {
        let config = CacheConfig {
            policy: kind,
            policy_options: *options,
            default_ttl: Some(ttl_seconds.saturating_mul(1000)),
            ..CacheConfig::new(capacity)
        };
        let cache: Cache<()> = Cache::new(config).map_err(|e| e.to_string())?;
        Ok(Self {
            at_warmup: *cache.stats(),
            cache,
            warmup,
        })
    }

    /// Replays `batch`, the requests from position `start` on: time comes from their timestamps,
    /// or else advances 1 ms a request.
    fn feed(&mut self, start: u64, batch: &Requests) {
        for (index, &key) in batch.keys.iter().enumerate() {
            let position = start + index as u64;
            if position == self.warmup {
                self.at_warmup = *self.cache.stats();
            }
            let now = match batch.times.get(index) {
                Some(&seconds) => seconds.saturating_mul(1000),
                None => position,
            };
            self.cache.advance_to(now);
            if self.cache.get(key).is_none() {
                self.cache.put(key, ());
            }
        }
    }

    /// Counts since the warm-up ended (they only grow, so the differences are exact).
    fn result(&self) -> SimResult {
        let stats = self.cache.stats();
        let at_warmup = &self.at_warmup;
        let (hits, misses) = (stats.hits - at_warmup.hits, stats.misses - at_warmup.misses);
        SimResult {
            requests: hits + misses,
            hits,
            misses,
            evictions: stats.evictions() - at_warmup.evictions(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An oracleGeneral trace of `requests` skewed requests over at most 5,000 objects of 1 to
    /// 4,096 bytes (an object keeps its size), with a timestamp every 100 requests; its
    /// next-access fields -1 throughout, or as libCacheSim's traceConv writes them
    /// (`with_next_access`: the 1-based position of the next request for the object).
    fn sized_trace_with(requests: u64, with_next_access: bool) -> Vec<u8> {
        let keys: Vec<u64> = (0..requests)
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                (h >> 33) % (1 + (h >> 8) % 5_000)
            })
            .collect();
        let next_access = match with_next_access {
            true => spill::tests::trace_conv_fields(&keys),
            false => vec![-1i64; keys.len()],
        };
        let mut bytes = Vec::with_capacity(requests as usize * 24);
        for (i, (&key, &next)) in keys.iter().zip(&next_access).enumerate() {
            let size = 1 + (key.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 52) as u32;
            bytes.extend_from_slice(&((i / 100) as u32).to_le_bytes());
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&size.to_le_bytes());
            bytes.extend_from_slice(&next.to_le_bytes());
        }
        bytes
    }

    fn sized_trace(requests: u64) -> Vec<u8> {
        sized_trace_with(requests, false)
    }

    #[test]
    fn opt_takes_its_future_from_the_traces_next_access_fields_only_when_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let given = dir.path().join("given.oracleGeneral");
        let placeholders = dir.path().join("placeholders.oracleGeneral");
        std::fs::write(&given, sized_trace_with(30_000, true)).unwrap();
        std::fs::write(&placeholders, sized_trace_with(30_000, false)).unwrap();
        let source = |path: &std::path::Path| Source::Trace {
            path: path.to_str().unwrap().to_owned(),
            format: TraceFormat::OracleGeneral,
        };
        let fields = |sizes| Fields {
            sizes,
            next_access: true,
            ..Fields::default()
        };
        for sizes in [false, true] {
            let read = spill_requests(&source(&given), fields(sizes)).unwrap();
            assert!(read.given_future.is_some(), "sizes {sizes}");
            let read = spill_requests(&source(&placeholders), fields(sizes)).unwrap();
            assert!(read.given_future.is_none(), "sizes {sizes}");
        }
        // Either way OPT's numbers are the same: the fields that hold are the true next uses.
        for bytes in ["", " --object-sizes"] {
            let rows = |path: &std::path::Path| {
                let words = format!(
                    "--trace {} --policy opt --size 1%,10% --opt-admission forced{bytes}",
                    path.to_str().unwrap()
                );
                let sim =
                    parse_sim(&words.split(' ').map(String::from).collect::<Vec<_>>()).unwrap();
                let report = run_sim_within(&sim, false, limits::PASS_ROOM, 1_000).unwrap();
                let row = |r: &SimRow| (r.size, r.hits, r.misses, r.evictions, r.bytes);
                report.rows.iter().map(row).collect::<Vec<_>>()
            };
            assert_eq!(rows(&given), rows(&placeholders), "{bytes}");
        }
    }

    #[test]
    fn one_pass_over_the_batches_gives_exactly_what_separate_whole_trace_replays_give() {
        // Batches of 1,000 requests (not the million a replay reads at once, to keep the test
        // quick), the warm-up ending inside one.
        let batch = 1_000;
        let requests = 60_500;
        let warmup = 12_345;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sized.oracleGeneral");
        std::fs::write(&path, sized_trace(requests)).unwrap();
        let path = path.to_str().unwrap();
        let sizes = Fields {
            sizes: true,
            ..Fields::default()
        };
        let file = std::fs::File::open(path).unwrap();
        let trace = crate::engine::trace::read_oracle_general("t", file, sizes).unwrap();
        let future = NextUse::from_trace(&trace.keys);
        let (warm, counted) = trace.keys.split_at(warmup as usize);
        let trace_sizes = trace.sizes.as_deref().unwrap();
        let (warm_sizes, counted_sizes) = trace_sizes.split_at(warmup as usize);
        for object_sizes in [false, true] {
            let bytes = if object_sizes { " --object-sizes" } else { "" };
            let words = format!(
                "--trace {path} --policy all --size 1%,10% --warmup {warmup} --threads 2{bytes}"
            );
            let sim = parse_sim(&words.split(' ').map(String::from).collect::<Vec<_>>()).unwrap();
            let one_pass = run_sim_within(&sim, false, limits::PASS_ROOM, batch).unwrap();
            // Every cache in a pass of its own reads the spill again and gives the same.
            let many_passes = run_sim_within(&sim, false, 1, batch).unwrap();
            // So do batches of the size replays read.
            let counts = |report: &SimReport| {
                let row = |r: &SimRow| (r.policy, r.size, r.hits, r.misses, r.evictions, r.bytes);
                report.rows.iter().map(row).collect::<Vec<_>>()
            };
            assert_eq!(counts(&run_sim(&sim, false).unwrap()), counts(&one_pass));
            assert_eq!(one_pass.requests, requests);
            assert_eq!(one_pass.rows.len(), sim.policies.len() * 2);
            // The sketch of tinylfu's byte form is sized by the objects' mean size.
            let options = &PolicyOptions {
                mean_object_size: trace.working_set / trace.unique_keys as u64,
                ..sim.policy_options
            };
            for (row, again) in one_pass.rows.iter().zip(&many_passes.rows) {
                let (result, row_bytes) = if object_sizes {
                    let capacity = ByteCapacity::new(u128::from(row.size)).unwrap();
                    let mut policy = row.policy.build_in_bytes(capacity, options, &future);
                    let zip = |keys: &[u64], sizes: &[u32]| {
                        keys.iter()
                            .copied()
                            .zip(sizes.iter().copied())
                            .collect::<Vec<_>>()
                    };
                    replay_in_bytes(policy.as_mut(), zip(warm, warm_sizes));
                    let (result, bytes) =
                        replay_in_bytes(policy.as_mut(), zip(counted, counted_sizes));
                    (result, Some(bytes))
                } else {
                    let capacity = Capacity::new(u128::from(row.size)).unwrap();
                    let mut policy = row.policy.build_for_trace(capacity, options, &future);
                    replay(policy.as_mut(), warm.iter().copied());
                    (replay(policy.as_mut(), counted.iter().copied()), None)
                };
                let seen = (row.policy, row.hits, row.misses, row.evictions, row.bytes);
                let expected = (
                    row.policy,
                    result.hits,
                    result.misses,
                    result.evictions,
                    row_bytes,
                );
                assert_eq!(seen, expected, "{} at {}{bytes}", row.policy, row.size);
                let repeated = (
                    again.policy,
                    again.hits,
                    again.misses,
                    again.evictions,
                    again.bytes,
                );
                assert_eq!(
                    repeated, expected,
                    "{} at {}, passes apart{bytes}",
                    row.policy, row.size
                );
            }
        }
    }

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
