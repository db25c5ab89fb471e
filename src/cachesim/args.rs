//! Command-line parsing for `cachesim sim`. Every error is one line saying what was wrong.

use super::{decimal_in, range_help, whole_in};
use crate::config::limits::{
    self, MRC_SAMPLE_KEYS, MRC_SAMPLE_RATE, SIM_ALPHA, SIM_CLOCK_BITS, SIM_KEYS, SIM_REQUESTS,
    SIM_S3FIFO_GHOST, SIM_S3FIFO_THRESHOLD, SIM_SEED, SIM_SIZE_BYTES, SIM_SIZE_ENTRIES,
    SIM_SIZE_PERCENT, SIM_SIZE_PERCENT_BYTES, SIM_THREADS, SIM_TTL, SIM_WARMUP_PERCENT,
    SIM_WARMUP_REQUESTS,
};
use crate::engine::policy::{OptAdmission, PolicyOptions, S3FifoOptions, TinyLfuWindow};
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

/// A cache size as given: entries, or a percentage of the trace's distinct keys; with object
/// sizes, bytes, or a percentage of the working set's bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SizeSpec {
    /// So many entries.
    Entries(u64),
    /// So many bytes (only with object sizes).
    Bytes(u64),
    /// This percentage of the distinct keys, or with object sizes of the working set's bytes.
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
    /// Whether each request's object size is read, and capacities count bytes.
    pub object_sizes: bool,
    /// A default TTL in seconds, if any.
    pub ttl_seconds: Option<u64>,
    /// The first requests, replayed but not counted.
    pub warmup: Option<Warmup>,
    /// The policies' options: the seed of those that choose at random (the workload's, or 1),
    /// clock's bits, s3fifo's knobs, opt's admission.
    pub policy_options: PolicyOptions,
    /// How many replays run at once, each on its own thread.
    pub threads: usize,
    /// One JSON object instead of a table.
    pub json: bool,
}

/// The threads a sweep uses by default: one per core the machine offers, within
/// [`SIM_THREADS`].
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, SIM_THREADS.max() as usize)
}

/// `--warmup`: the first requests warm the caches up and are left out of the counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Warmup {
    /// So many requests.
    Requests(u64),
    /// This percentage of the requests.
    Percent(f64),
}

impl Warmup {
    /// How many of `requests` requests warm up; an error if none would be left to count.
    pub fn of(self, requests: u64) -> Result<u64, String> {
        let warm = match self {
            Warmup::Requests(count) => count,
            Warmup::Percent(percent) => (percent / 100.0 * requests as f64).round() as u64,
        };
        if warm >= requests {
            return Err(format!(
                "--warmup: {warm} of the trace's {requests} requests would warm up, leaving none to count"
            ));
        }
        Ok(warm)
    }
}

/// A value parser for a flag that takes one of `choices` (name, value); `what` names the setting
/// in the refusal ("unknown opt admission 'x' (valid: bypass, forced)").
fn one_of<T: Copy + Send + Sync + 'static>(
    what: &'static str,
    choices: &'static [(&'static str, T)],
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |text: &str| {
        let text = text.trim();
        choices
            .iter()
            .find(|(name, _)| *name == text)
            .map(|&(_, value)| value)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                format!(
                    "unknown {what} '{}' (valid: {})",
                    crate::engine::trace::shown(text.as_bytes()),
                    names.join(", ")
                )
            })
    }
}

/// `--tinylfu-window fixed|adaptive`.
const TINYLFU_WINDOWS: &[(&str, TinyLfuWindow)] = &[
    ("fixed", TinyLfuWindow::Fixed),
    ("adaptive", TinyLfuWindow::Adaptive),
];

/// `--opt-admission bypass|forced`.
const OPT_ADMISSIONS: &[(&str, OptAdmission)] = &[
    ("bypass", OptAdmission::Bypass),
    ("forced", OptAdmission::Forced),
];

/// Parses `--s3fifo-ghost P%` (or `P`).
fn ghost_percent(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    SIM_S3FIFO_GHOST
        .whole(trimmed.strip_suffix('%').unwrap_or(trimmed))
        .map_err(|_| SIM_S3FIFO_GHOST.refusal(trimmed))
}

/// Parses `--warmup N` or `--warmup P%`.
fn parse_warmup(text: &str) -> Result<Warmup, String> {
    let text = text.trim();
    match text.strip_suffix('%') {
        Some(percent) => SIM_WARMUP_PERCENT
            .decimal(percent)
            .map(Warmup::Percent)
            .map_err(|_| SIM_WARMUP_PERCENT.refusal(text)),
        None => SIM_WARMUP_REQUESTS.whole(text).map(Warmup::Requests),
    }
}

/// Byte units `--size` takes, lowercase: SI (powers of 1000) and IEC (powers of 1024).
const BYTE_UNITS: &[(&str, u64)] = &[
    ("b", 1),
    ("kb", 1_000),
    ("mb", 1_000_000),
    ("gb", 1_000_000_000),
    ("tb", 1_000_000_000_000),
    ("kib", 1 << 10),
    ("mib", 1 << 20),
    ("gib", 1 << 30),
    ("tib", 1 << 40),
];

/// A byte count as `--size` takes it with object sizes: `4096`, `4096B`, `64MiB`, `1.5GB`
/// (units in any case, SI or IEC), a whole number of bytes within [`SIM_SIZE_BYTES`].
pub fn parse_bytes(part: &str) -> Result<u64, String> {
    let shown = crate::engine::trace::shown(part.as_bytes());
    let expected = || {
        format!(
            "--size expects bytes, {} (as 4096, 64MiB or 1.5GB), or a percentage of the working set's bytes (10%), got '{shown}'",
            SIM_SIZE_BYTES.range_words()
        )
    };
    let number_end = part
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(part.len());
    let (number, unit) = part.split_at(number_end);
    let unit = unit.trim().to_ascii_lowercase();
    let scale = match unit.as_str() {
        "" => 1,
        unit => BYTE_UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|&(_, scale)| scale)
            .ok_or_else(expected)?,
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits_only = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 12 {
        return Err(expected());
    }
    // Exact: whole × scale + fraction × scale / 10^digits, refused unless a whole number of bytes.
    // Past 38 digits u128 overflows, and such a size is out of range anyway.
    let too_large = || SIM_SIZE_BYTES.refusal(&shown);
    let whole: u128 = whole.parse().map_err(|_| too_large())?;
    let fraction_value: u128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| expected())?
    };
    let denominator = 10u128.pow(fraction.len() as u32);
    let scaled_fraction = fraction_value * u128::from(scale);
    if !scaled_fraction.is_multiple_of(denominator) {
        return Err(format!(
            "--size {shown} is not a whole number of bytes: use {}",
            SIM_SIZE_BYTES.range_words()
        ));
    }
    let bytes = whole
        .checked_mul(u128::from(scale))
        .and_then(|bytes| bytes.checked_add(scaled_fraction / denominator))
        .ok_or_else(too_large)?;
    let bytes = u64::try_from(bytes).map_err(|_| too_large())?;
    SIM_SIZE_BYTES.check_whole(bytes, &shown)
}

/// Parses a comma-separated size list such as `100,1000` or `1%,10%`; with object sizes
/// (`bytes`), `64MiB,1GB` or `1%,10%` of the working set's bytes.
pub fn parse_sizes(text: &str, bytes: bool) -> Result<Vec<SizeSpec>, String> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            let percent_limit = if bytes { &SIM_SIZE_PERCENT_BYTES } else { &SIM_SIZE_PERCENT };
            if let Some(percent) = part.strip_suffix('%') {
                Ok(SizeSpec::Percent(
                    percent_limit
                        .decimal(percent)
                        .map_err(|_| percent_limit.refusal(part))?,
                ))
            } else if bytes {
                parse_bytes(part).map(SizeSpec::Bytes)
            } else if part.bytes().any(|b| b.is_ascii_alphabetic()) && parse_bytes(part).is_ok() {
                Err(format!(
                    "--size {part} is in bytes: add --object-sizes to read each request's size and count the cache in bytes (or give entries)"
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

/// A trace format's name, as `--format` takes it.
fn format_name(text: &str) -> Result<FormatName, String> {
    match text {
        "txt" | "text" => Ok(FormatName::Text),
        "csv" => Ok(FormatName::Csv),
        "oracle-general" | "oraclegeneral" => Ok(FormatName::OracleGeneral),
        other => Err(format!(
            "unknown trace format '{other}' (valid: txt, csv, oracle-general)"
        )),
    }
}

/// The formats `--format` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormatName {
    Text,
    Csv,
    OracleGeneral,
}

/// A workload's name, as `--workload` takes it.
fn workload_name(text: &str) -> Result<WorkloadName, String> {
    Ok(match text {
        "zipf" => WorkloadName::Zipf,
        "uniform" => WorkloadName::Uniform,
        "scan" => WorkloadName::Scan,
        "loop" => WorkloadName::Loop,
        "hotspot" => WorkloadName::Hotspot,
        other => {
            return Err(format!(
                "unknown workload '{other}' (valid: zipf, uniform, scan, loop, hotspot)"
            ));
        }
    })
}

/// The workloads `--workload` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkloadName {
    Zipf,
    Uniform,
    Scan,
    Loop,
    Hotspot,
}

// `cachesim sim`'s flags as given; `parse_sim` checks how they go together. (The doc comment
// below is what `cachesim sim --help` says.)
/// Replay a trace or a generated workload through cache policies: every request is a lookup, and
/// a miss inserts the key unless the policy refuses it (as libCacheSim and Caffeine's simulator
/// do).
#[derive(clap::Args, Debug)]
pub struct SimFlags {
    /// Replay this trace (- reads standard input)
    #[arg(long, value_name = "FILE", help_heading = "Requests")]
    trace: Option<String>,
    /// The trace's format: txt, csv or oracle-general (default: from the file's name)
    #[arg(long, value_name = "FORMAT", value_parser = format_name, help_heading = "Requests")]
    format: Option<FormatName>,
    /// CSV: the key's column, a 1-based index or a header name (default 1)
    #[arg(long, value_name = "C", help_heading = "Requests")]
    key_column: Option<String>,
    /// CSV: the first row is a header
    #[arg(long, help_heading = "Requests")]
    header: bool,
    /// Read each request's object size (oracleGeneral's size field, a CSV --size-column, or a
    /// text line's last field: `key 4096`) and count the caches in bytes; requests of size 0 are
    /// left out, as libCacheSim does
    #[arg(long, help_heading = "Requests")]
    object_sizes: bool,
    /// CSV: the column of each object's size in bytes, a 1-based index or a header name (implies
    /// --object-sizes)
    #[arg(long, value_name = "C", help_heading = "Requests")]
    size_column: Option<String>,
    /// Generate requests instead: zipf, uniform, scan, loop or hotspot
    #[arg(long, value_name = "W", value_parser = workload_name, help_heading = "Requests")]
    workload: Option<WorkloadName>,
    /// Zipf skew of zipf and scan workloads (default 1)
    #[arg(long, value_name = "A", value_parser = decimal_in(&SIM_ALPHA),
          help = range_help("Zipf skew of zipf and scan (default 1)", &SIM_ALPHA), help_heading = "Requests")]
    alpha: Option<f64>,
    /// Distinct keys of the workload
    #[arg(long, value_name = "N", value_parser = whole_in(&SIM_KEYS),
          help = range_help("Distinct keys of the workload", &SIM_KEYS), help_heading = "Requests")]
    keys: Option<u64>,
    /// Requests of the workload
    #[arg(long, value_name = "M", value_parser = whole_in(&SIM_REQUESTS),
          help = range_help("Requests of the workload", &SIM_REQUESTS), help_heading = "Requests")]
    requests: Option<u64>,
    /// Seed of the workload and of random policies (default 1)
    #[arg(long, value_name = "S", value_parser = whole_in(&SIM_SEED), help_heading = "Requests")]
    seed: Option<u64>,
    /// Policies, comma-separated, or all
    #[arg(long, value_name = "P,…", help_heading = "Caches")]
    policy: Option<String>,
    /// Cache sizes, comma-separated: entries (100) or percentages of the distinct keys (10%);
    /// with --object-sizes, bytes (4096, 64MiB, 1.5GB) or percentages of the working set's bytes
    #[arg(
        long,
        value_name = "S,…",
        allow_hyphen_values = true,
        help_heading = "Caches"
    )]
    size: Option<String>,
    /// Every entry expires this many seconds after it is stored
    #[arg(long, value_name = "SECS", value_parser = whole_in(&SIM_TTL),
          help = range_help("Every entry expires SECS after it is stored", &SIM_TTL), help_heading = "Caches")]
    ttl: Option<u64>,
    /// Bits of clock's counters (default 1)
    #[arg(long, value_name = "BITS", value_parser = whole_in(&SIM_CLOCK_BITS),
          help = range_help("Bits of clock's reference counters (default 1)", &SIM_CLOCK_BITS),
          help_heading = "Caches")]
    clock_bits: Option<u64>,
    /// S3-FIFO: hits a key needs in the small queue to move to the main one (default 2)
    #[arg(long, value_name = "HITS", value_parser = whole_in(&SIM_S3FIFO_THRESHOLD),
          help = range_help("s3fifo: hits a key needs in the small queue to move to the main one (default 2)", &SIM_S3FIFO_THRESHOLD),
          help_heading = "Caches")]
    s3fifo_threshold: Option<u64>,
    /// S3-FIFO: the ghost queue's size (default: the main queue's share)
    #[arg(long, value_name = "P%", value_parser = ghost_percent, allow_hyphen_values = true,
          help = range_help("s3fifo: the ghost queue's size (default: the main queue's share, 90%)", &SIM_S3FIFO_GHOST),
          help_heading = "Caches")]
    s3fifo_ghost: Option<u64>,
    /// opt: bypass (a missed key is cached only if that saves a miss; the optimum over every
    /// policy, the default) or forced (every miss is cached: the classic MIN, as libCacheSim's
    /// Belady)
    #[arg(long, value_name = "A", value_parser = one_of("opt admission", OPT_ADMISSIONS), help_heading = "Caches")]
    opt_admission: Option<OptAdmission>,
    /// tinylfu: fixed (the window is 1% of the cache, as Caffeine's simulator; the default) or
    /// adaptive (hill climbing on the hit rate moves it, as Caffeine's cache does)
    #[arg(long, value_name = "W", value_parser = one_of("tinylfu window", TINYLFU_WINDOWS), help_heading = "Caches")]
    tinylfu_window: Option<TinyLfuWindow>,
    /// Leave the first requests out of the counts (the caches still see them): N or P%
    #[arg(long, value_name = "N|P%", value_parser = parse_warmup, allow_hyphen_values = true, help = format!(
        "Leave the first requests out of the counts (the caches still see them) [{}, or {}]",
        SIM_WARMUP_REQUESTS.range_words(), SIM_WARMUP_PERCENT.range_words()
    ), help_heading = "Caches")]
    warmup: Option<Warmup>,
    /// Replays run side by side, one per thread (default: one per core)
    #[arg(long, value_name = "N", value_parser = whole_in(&SIM_THREADS),
          help = range_help("Threads the caches are split across as they replay the trace together (default: one per core)", &SIM_THREADS),
          help_heading = "Caches")]
    threads: Option<u64>,
    /// One JSON object instead of a table
    #[arg(long)]
    json: bool,
}

// `cachesim mrc`'s flags: `sim`'s (less --ttl and --warmup, hidden from its help) and the
// sampling. (The doc comment below is what `cachesim mrc --help` says.)
/// Miss-ratio curves: LRU's miss ratio at every size from one pass over the trace (stack
/// distances, in entries and with --object-sizes in bytes), and the other policies simulated at
/// the same sizes; --sample or --sample-size samples the keys with SHARDS and replays the other
/// policies as miniature simulations of the sample, with the cache sizes scaled by the rate.
/// Without --size, 12 sizes evenly spaced on a log scale from a thousandth of the distinct keys
/// (or of the working set's bytes) to all of them.
#[derive(clap::Args, Debug)]
pub struct MrcFlags {
    #[command(flatten)]
    sim: SimFlags,
    /// SHARDS at a fixed rate: track this share of the keys (0.01 for 1%)
    #[arg(long, value_name = "RATE", value_parser = decimal_in(&MRC_SAMPLE_RATE),
          help = range_help("SHARDS at a fixed rate: track this share of the keys (0.01 for 1%)", &MRC_SAMPLE_RATE),
          help_heading = "Sampling")]
    sample: Option<f64>,
    /// SHARDS with a fixed size: track at most this many keys, lowering the rate as more arrive
    #[arg(long, value_name = "N", value_parser = whole_in(&MRC_SAMPLE_KEYS),
          help = range_help("SHARDS with a fixed size: track at most N keys, lowering the rate as more arrive", &MRC_SAMPLE_KEYS),
          help_heading = "Sampling")]
    sample_size: Option<u64>,
}

/// Which keys `cachesim mrc` tracks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sample {
    /// Every key: exact curves.
    Every,
    /// SHARDS at this fixed rate.
    Rate(f64),
    /// SHARDS tracking at most this many keys.
    Keys(u64),
}

/// What `cachesim mrc` was asked to do.
#[derive(Clone, Debug, PartialEq)]
pub struct MrcArgs {
    /// The requests, policies, sizes and options, as `sim` takes them (no TTL, no warm-up).
    pub sim: SimArgs,
    /// Whether no --size was given: the sizes are then 12 spaced over the trace's keys or bytes.
    pub default_sizes: bool,
    /// The sampling.
    pub sample: Sample,
}

/// Parses the arguments after `mrc`; every error is one line.
pub fn parse_mrc(args: &[String]) -> Result<MrcArgs, String> {
    let flags: MrcFlags = super::parse_flags("mrc", args)?;
    read_mrc(flags).map_err(|message| super::plain_message(&message))
}

fn read_mrc(mut flags: MrcFlags) -> Result<MrcArgs, String> {
    if flags.sim.ttl.is_some() {
        return Err(
            "--ttl does not apply to mrc: its curves are of caches whose entries never expire (cachesim sim takes --ttl)"
                .to_owned(),
        );
    }
    if flags.sim.warmup.is_some() {
        return Err(
            "--warmup does not apply to mrc: its curves count every request (cachesim sim takes --warmup)"
                .to_owned(),
        );
    }
    let sample = match (flags.sample, flags.sample_size) {
        (Some(_), Some(_)) => {
            return Err("give either --sample RATE or --sample-size N, not both".to_owned());
        }
        (Some(rate), None) => Sample::Rate(rate),
        (None, Some(keys)) => Sample::Keys(keys),
        (None, None) => Sample::Every,
    };
    let default_sizes = flags.sim.size.is_none();
    // Checked with one size in place of the default ones; the real sizes are known once the trace
    // is read, and the replay's work is checked then, on the requests sampled.
    flags.sim.size.get_or_insert_with(|| "100%".to_owned());
    flags.sim.policy.get_or_insert_with(|| "lru".to_owned());
    let sim = read_sim_checked(flags.sim, false)?;
    // A workload's work is known now; a trace's once it is read.
    if let (Source::Workload { requests, .. }, Sample::Every) = (&sim.source, sample) {
        let sizes = if default_sizes {
            crate::engine::mrc::DEFAULT_POINTS as usize
        } else {
            sim.sizes.len()
        };
        limits::check_sim_work(*requests, &sim.policies, sizes)
            .map_err(|e| format!("{e}; or sample the keys (--sample 0.01)"))?;
    }
    Ok(MrcArgs {
        sim,
        default_sizes,
        sample,
    })
}

/// The largest of `sizes` in entries, for a trace of `distinct` distinct keys.
pub fn largest_size(sizes: &[SizeSpec], distinct: u64) -> u64 {
    sizes
        .iter()
        .map(|&size| match size {
            SizeSpec::Entries(entries) => entries,
            // A cache in bytes may hold as many entries as there are keys.
            SizeSpec::Bytes(_) => distinct,
            SizeSpec::Percent(percent) => (percent / 100.0 * distinct as f64).ceil() as u64,
        })
        .max()
        .unwrap_or(0)
}

/// Parses the arguments after `sim`; every error is one line.
pub fn parse_sim(args: &[String]) -> Result<SimArgs, String> {
    let flags = super::parse_flags("sim", args)?;
    read_sim(flags).map_err(|message| super::plain_message(&message))
}

fn read_sim(flags: SimFlags) -> Result<SimArgs, String> {
    read_sim_checked(flags, true)
}

/// [`read_sim`], checking a workload's replay work before anything runs if `check_work` (a
/// sampled `mrc` replays fewer requests than it generates and checks them once sampled).
fn read_sim_checked(flags: SimFlags, check_work: bool) -> Result<SimArgs, String> {
    let source = match (flags.trace, flags.workload) {
        (Some(_), Some(_)) => return Err("give either --trace or --workload, not both".to_owned()),
        (None, None) => return Err(
            "give a trace (--trace FILE) or a workload (--workload zipf|uniform|scan|loop|hotspot)"
                .to_owned(),
        ),
        (Some(path), None) => {
            for (flag, given) in [
                ("--alpha", flags.alpha.is_some()),
                ("--keys", flags.keys.is_some()),
                ("--requests", flags.requests.is_some()),
                ("--seed", flags.seed.is_some()),
            ] {
                if given {
                    return Err(format!("{flag} applies to --workload, not to --trace"));
                }
            }
            let key_column = flags.key_column.as_deref().map(KeyColumn::parse);
            let size_column = flags.size_column.as_deref().map(KeyColumn::parse);
            let csv = || TraceFormat::Csv {
                key_column: key_column.clone().unwrap_or(KeyColumn::Index(1)),
                size_column: size_column.clone(),
                header: flags.header,
            };
            let format = match flags.format {
                Some(FormatName::Text) => TraceFormat::Text,
                Some(FormatName::OracleGeneral) => TraceFormat::OracleGeneral,
                Some(FormatName::Csv) => csv(),
                None => match TraceFormat::from_file_name(&path) {
                    TraceFormat::Csv { .. } => csv(),
                    guessed => guessed,
                },
            };
            let is_csv = matches!(format, TraceFormat::Csv { .. });
            if (key_column.is_some() || size_column.is_some() || flags.header) && !is_csv {
                return Err(
                    "--key-column, --size-column and --header apply to CSV traces only".to_owned(),
                );
            }
            if is_csv && flags.object_sizes && size_column.is_none() {
                return Err(
                    "--object-sizes with a CSV trace needs --size-column C (the column of each object's size in bytes)"
                        .to_owned(),
                );
            }
            Source::Trace { path, format }
        }
        (None, Some(kind)) => {
            for (flag, given) in [
                ("--format", flags.format.is_some()),
                ("--key-column", flags.key_column.is_some()),
                ("--size-column", flags.size_column.is_some()),
                ("--object-sizes", flags.object_sizes),
            ] {
                if given {
                    return Err(format!("{flag} applies to --trace, not to --workload"));
                }
            }
            let keys = flags
                .keys
                .ok_or("--workload needs --keys N (distinct keys)")?;
            let requests = flags
                .requests
                .ok_or("--workload needs --requests M (how many requests)")?;
            let alpha = flags.alpha.unwrap_or(1.0);
            let workload = match kind {
                WorkloadName::Zipf => Workload::Zipf { keys, alpha },
                WorkloadName::Uniform => Workload::Uniform { keys },
                WorkloadName::Scan => Workload::Scan { keys, alpha },
                WorkloadName::Loop => Workload::Loop { keys },
                WorkloadName::Hotspot => Workload::Hotspot { keys },
            };
            Source::Workload {
                workload,
                requests,
                seed: flags.seed.unwrap_or(1),
            }
        }
    };

    let policies = parse_policies(
        flags
            .policy
            .as_deref()
            .ok_or("--policy is required (e.g. --policy lru,lfu or --policy all)")?,
    )?;
    let object_sizes = flags.object_sizes || flags.size_column.is_some();
    let sizes = parse_sizes(
        flags
            .size
            .as_deref()
            .ok_or("--size is required (e.g. --size 100,1000 or --size 1%,10%)")?,
        object_sizes,
    )?;
    if object_sizes && flags.ttl.is_some() {
        return Err(
            "--ttl cannot be combined with --object-sizes yet: expiry is replayed through a cache counted in entries"
                .to_owned(),
        );
    }
    if flags.clock_bits.is_some() && !policies.contains(&PolicyKind::Clock) {
        return Err("--clock-bits applies to the clock policy only".to_owned());
    }
    if flags.opt_admission.is_some() && !policies.contains(&PolicyKind::Opt) {
        return Err("--opt-admission applies to the opt policy only".to_owned());
    }
    if flags.tinylfu_window.is_some() && !policies.contains(&PolicyKind::TinyLfu) {
        return Err("--tinylfu-window applies to the tinylfu policy only".to_owned());
    }
    if (flags.s3fifo_threshold.is_some() || flags.s3fifo_ghost.is_some())
        && !policies.contains(&PolicyKind::S3Fifo)
    {
        return Err(
            "--s3fifo-threshold and --s3fifo-ghost apply to the s3fifo policy only".to_owned(),
        );
    }
    if flags.ttl.is_some() && policies.contains(&PolicyKind::Opt) {
        return Err(
            "--ttl cannot be combined with opt: Belady's optimum assumes entries never expire"
                .to_owned(),
        );
    }
    let policy_options = PolicyOptions {
        seed: match &source {
            Source::Workload { seed, .. } => *seed,
            Source::Trace { .. } => 1,
        },
        // Within SIM_CLOCK_BITS, so it fits.
        clock_bits: flags.clock_bits.map_or(1, |bits| bits as u8),
        // Both within their limits (at most 3 and 100), so they fit.
        s3fifo: S3FifoOptions {
            move_to_main: flags.s3fifo_threshold.map_or(2, |hits| hits as u8),
            ghost_percent: flags.s3fifo_ghost.map(|percent| percent as u8),
        },
        opt_admission: flags.opt_admission.unwrap_or_default(),
        tinylfu_window: flags.tinylfu_window.unwrap_or_default(),
        ..PolicyOptions::default()
    };
    // Within SIM_THREADS, so it fits.
    let threads = flags.threads.map_or_else(default_threads, |n| n as usize);
    if let Source::Workload {
        requests, workload, ..
    } = &source
    {
        if check_work {
            limits::check_sim_work(*requests, &policies, sizes.len())?;
        }
        let distinct = workload.key_space().min(*requests);
        limits::ReplayShape {
            distinct,
            opt: policies.contains(&PolicyKind::Opt),
            largest: largest_size(&sizes, distinct),
            sizes: false,
        }
        .check_memory()?;
    }
    Ok(SimArgs {
        source,
        policies,
        sizes,
        object_sizes,
        ttl_seconds: flags.ttl,
        warmup: flags.warmup,
        policy_options,
        threads,
        json: flags.json,
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
                    size_column: None,
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
