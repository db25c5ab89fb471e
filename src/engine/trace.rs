//! Request traces: plain text, CSV, and libCacheSim's `oracleGeneral` binary format, the last
//! optionally zstd-compressed (decoded in pure Rust, so it works in the browser too).
//!
//! Readers never panic: malformed input is a [`TraceError`] naming the source, the line or byte
//! offset, and what was expected. They hand the requests to a [`RequestSink`] a batch at a time:
//! a [`Trace`] keeps them all (the browser, tests), `cachesim` writes them to a spill file and
//! keeps none ([`stream_trace`]). Text and CSV keys are opaque strings, numbered in order of first
//! appearance; `oracleGeneral` object ids are used as they are.

use std::fmt;
use std::io::Read;

use super::hash::IdSet;
use super::key_numbers::{BATCH, KeyNumbers, TooManyKeys};
use super::text;

/// The zstd frame magic number, little-endian.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Whether `bytes` start with a zstd frame or a skippable frame (magic 0x184D2A50 to 5F).
fn is_zstd(bytes: &[u8]) -> bool {
    bytes.starts_with(&ZSTD_MAGIC) || matches!(bytes, [0x50..=0x5F, 0x2A, 0x4D, 0x18, ..])
}

/// Bytes per `oracleGeneral` record: u32 time, u64 object id, u32 size, i64 next access.
pub const ORACLE_GENERAL_RECORD: usize = 24;

/// Which CSV column holds the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyColumn {
    /// By position, counting from 1 (as `cut` and libCacheSim do).
    Index(usize),
    /// By header name; implies a header row.
    Name(String),
}

impl KeyColumn {
    /// Parses a command-line value: a number is a 1-based index, anything else a header name.
    pub fn parse(text: &str) -> KeyColumn {
        match text.trim().parse::<usize>() {
            Ok(index) => KeyColumn::Index(index),
            Err(_) => KeyColumn::Name(text.trim().to_owned()),
        }
    }
}

/// How a trace is encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceFormat {
    /// One key per line; blank lines are skipped.
    Text,
    /// Comma-separated values with the key in one column.
    Csv {
        /// The key's column.
        key_column: KeyColumn,
        /// The column of each object's size in bytes, read when sizes are kept ([`Fields`]).
        size_column: Option<KeyColumn>,
        /// Whether the first row is a header (always true when a column is named).
        header: bool,
    },
    /// libCacheSim's 24-byte records, plain or zstd-compressed.
    OracleGeneral,
}

impl TraceFormat {
    /// The format a file name suggests: `.csv` is CSV (key in column 1, no header), names with
    /// `oracleGeneral`, `.bin` or `.zst` are `oracleGeneral`, anything else is text.
    pub fn from_file_name(name: &str) -> TraceFormat {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            TraceFormat::Csv {
                key_column: KeyColumn::Index(1),
                size_column: None,
                header: false,
            }
        } else if lower.contains("oraclegeneral")
            || lower.ends_with(".bin")
            || lower.ends_with(".zst")
        {
            TraceFormat::OracleGeneral
        } else {
            TraceFormat::Text
        }
    }

    /// The format a file's name and first bytes (`head`, a few KiB) suggest, for a file chosen
    /// without saying its format (the Trace Lab's "detect"), or the kind of file it plainly is
    /// instead (an image, an archive) by its magic number. The bytes decide first: a zstd frame
    /// (or a skippable one) is `oracleGeneral`, and so is a NUL byte, which a 24-byte record's
    /// high-order zeros always hold and UTF-8 text never does; then the name, as
    /// [`TraceFormat::from_file_name`] reads it, except that a name alone never makes text bytes
    /// binary. `csv` is what a CSV file is read as (its columns come from the reader's choice).
    pub fn detect(name: &str, head: &[u8], csv: TraceFormat) -> Result<TraceFormat, NotATrace> {
        const KNOWN: [(&[u8], &str); 7] = [
            (b"\x89PNG", "a PNG image"),
            (b"\xFF\xD8\xFF", "a JPEG image"),
            (b"GIF8", "a GIF image"),
            (b"%PDF", "a PDF document"),
            (b"PK\x03\x04", "a ZIP archive"),
            (
                b"\x1F\x8B",
                "a gzip file (only zstd is read: recompress it with zstd)",
            ),
            (
                b"\xFD7zXZ",
                "an xz file (only zstd is read: recompress it with zstd)",
            ),
        ];
        if let Some((_, kind)) = KNOWN.iter().find(|(magic, _)| head.starts_with(magic)) {
            return Err(NotATrace { kind });
        }
        if is_zstd(head) || head.contains(&0) {
            return Ok(TraceFormat::OracleGeneral);
        }
        Ok(match TraceFormat::from_file_name(name) {
            TraceFormat::Csv { .. } => csv,
            _ => TraceFormat::Text,
        })
    }
}

/// A file [`TraceFormat::detect`] recognises as something other than a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotATrace {
    /// What it is, as a noun phrase ("a PNG image").
    pub kind: &'static str,
}

impl std::fmt::Display for NotATrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "is {}, not a trace (text, CSV or oracleGeneral, plain or zstd)",
            self.kind
        )
    }
}

/// Which of a request's fields a reader keeps besides its key: each costs memory per request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    /// Timestamps (`oracleGeneral` has them; text and CSV do not).
    pub times: bool,
    /// Object sizes in bytes: `oracleGeneral`'s size field, a CSV size column, or a text line's
    /// last field (`key 4096`). Requests of size 0 are then left out, as libCacheSim's readers do
    /// (`ignore_size_zero_req`), and counted in [`Trace::zero_sized`].
    pub sizes: bool,
    /// `oracleGeneral`'s next-access field, as it is in the file (the other formats have none; a
    /// [`Trace`] does not keep it).
    pub next_access: bool,
}

/// A decoded trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// The requested keys, in order.
    pub keys: Vec<u64>,
    /// Each request's timestamp in seconds, for formats that have one (`oracleGeneral`).
    pub times: Option<Vec<u64>>,
    /// Each request's object size in bytes (at least 1), when sizes were kept.
    pub sizes: Option<Vec<u32>>,
    /// Requests of size 0 left out (only when sizes were kept).
    pub zero_sized: u64,
    /// The distinct objects' bytes, each at the size first requested (0 without sizes).
    pub working_set: u64,
    /// How many distinct keys were requested.
    pub unique_keys: usize,
}

/// A batch of requests, in order: their keys, and their sizes and times when those are kept (then
/// one for each key; otherwise empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requests {
    /// The requested keys.
    pub keys: Vec<u64>,
    /// Each request's object size in bytes (at least 1), when kept.
    pub sizes: Vec<u32>,
    /// Each request's timestamp in seconds, when kept (`oracleGeneral` only).
    pub times: Vec<u64>,
    /// Each request's next-access field as written in the file, when kept (`oracleGeneral` only:
    /// libCacheSim's `traceConv` writes the 1-based position of the next request for the same
    /// object, or -1 for none; nothing here trusts it unchecked).
    pub next_access: Vec<i64>,
}

impl Requests {
    /// How many requests.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Empties the batch, keeping its room.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.sizes.clear();
        self.times.clear();
        self.next_access.clear();
    }
}

/// Where a reader puts the requests it reads, a batch of at most [`SINK_BATCH`] at a time: a caller
/// keeps them (a [`Trace`]) or passes them on without holding them (cachesim's spill file).
pub trait RequestSink {
    /// Takes the next requests, in order.
    fn take(&mut self, batch: &Requests);
}

/// The most requests a reader hands its [`RequestSink`] at once.
pub const SINK_BATCH: usize = 1 << 16;

/// A whole trace is a sink that keeps every request.
impl RequestSink for Trace {
    fn take(&mut self, batch: &Requests) {
        self.keys.extend_from_slice(&batch.keys);
        if let Some(sizes) = &mut self.sizes {
            sizes.extend_from_slice(&batch.sizes);
        }
        if let Some(times) = &mut self.times {
            times.extend_from_slice(&batch.times);
        }
    }
}

/// What a read found besides the requests it handed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceSummary {
    /// Requests read (those of size 0 left out).
    pub requests: u64,
    /// Requests of size 0 left out (only when sizes were kept).
    pub zero_sized: u64,
    /// The distinct objects' bytes, each at the size first requested (0 without sizes).
    pub working_set: u64,
    /// The smallest object size requested (0 without sizes).
    pub smallest: u32,
    /// How many distinct keys were requested.
    pub unique_keys: usize,
}

impl TraceSummary {
    /// The distinct objects' mean size in bytes, rounded down and at least 1 (1 without sizes).
    pub fn mean_object_size(&self) -> u64 {
        (self.working_set / (self.unique_keys.max(1) as u64)).max(1)
    }

    /// Counts a request of `size` bytes in the working set (if its key is `first` seen) and the
    /// smallest size.
    pub fn note_size(&mut self, size: u32, first: bool) {
        if first {
            self.working_set += u64::from(size);
        }
        self.smallest = if self.smallest == 0 {
            size
        } else {
            self.smallest.min(size)
        };
    }
}

/// Where in the input a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// The input as a whole.
    Whole,
    /// A 1-based line number (text and CSV).
    Line(usize),
    /// A byte offset (binary formats).
    Byte(u64),
}

/// Why a trace could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// The file (or other source) name.
    pub source: String,
    /// Where.
    pub position: Position,
    /// What was wrong.
    pub problem: TraceProblem,
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::Whole => write!(f, "{}: {}", self.source, self.problem),
            Position::Line(line) => write!(f, "{} line {}: {}", self.source, line, self.problem),
            Position::Byte(offset) => {
                write!(f, "{} byte {}: {}", self.source, offset, self.problem)
            }
        }
    }
}

/// What was wrong with a trace; its `Display` says it in one line, with what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceProblem {
    /// More than [`MAX_TRACE_BYTES`] bytes.
    TooLarge { bytes: u64, limit: u64 },
    /// No request at all.
    Empty,
    /// Only requests of size 0, left out when sizes are kept.
    OnlyZeroSized { requests: u64 },
    /// More than [`MAX_TRACE_KEYS`] distinct keys.
    TooManyKeys,
    /// More than `max` requests.
    TooManyRequests { max: usize },
    /// A text or CSV line longer than `max` bytes, as a trace held whole may be at most.
    LineTooLong { max: u64 },
    /// A CSV quoted field without its closing quote.
    UnclosedQuote,
    /// A CSV key column numbered 0 (they count from 1).
    ColumnZero,
    /// A CSV key column asked for by name, in a file with no rows.
    NoHeader { column: String },
    /// A CSV key column asked for by name that the header does not have. Names are as shown
    /// (escaped and cut: see [`shown`]); at most [`SHOWN_COLUMNS`], `more` left out.
    NoSuchColumn {
        column: String,
        columns: Vec<String>,
        more: usize,
    },
    /// A CSV row without the key column.
    TooFewColumns { needed: usize, found: usize },
    /// A text line without a size after its key, when sizes were asked for (as shown).
    NoSize { line: String },
    /// A size that is not a whole number of bytes from 0 to 4294967295 (as shown).
    BadSize { found: String },
    /// Sizes were asked of a CSV trace without naming their column.
    NoSizeColumn,
    /// An oracleGeneral file whose last record has only `last` bytes.
    TruncatedRecord { last: usize },
    /// The same, in the data a zstd file expanded to.
    Decompressed(Box<TraceProblem>),
    /// A zstd file that could not be expanded.
    Zstd { offset: usize, problem: ZstdProblem },
    /// Reading the file failed (the system's words).
    Unreadable(String),
}

/// What was wrong with the zstd frame at a byte offset of the compressed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZstdProblem {
    /// A skippable frame longer than the rest of the file.
    SkippableFrameCut,
    /// Not a zstd frame: no magic number.
    NotZstd,
    /// A frame header the decoder refused (its words).
    BadHeader(String),
    /// Data the decoder refused while expanding (its words).
    Corrupt(String),
    /// The data expands past `limit` bytes.
    ExpandsPast { limit: u64 },
    /// The frame's checksum does not match its data.
    Checksum,
}

impl fmt::Display for TraceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceProblem::TooLarge { bytes, limit } => {
                write!(f, "the trace is {bytes} bytes; at most {limit} are read")?;
                if *limit == MAX_TRACE_BYTES as u64 {
                    f.write_str(" (a trace read whole is held in memory)")?;
                }
                Ok(())
            }
            TraceProblem::Empty => f.write_str("the trace contains no requests"),
            TraceProblem::OnlyZeroSized { requests } => write!(
                f,
                "every request ({requests}) has size 0, and requests of size 0 are left out when object sizes are read"
            ),
            TraceProblem::TooManyKeys => write!(
                f,
                "the trace has more than {MAX_TRACE_KEYS} distinct keys (or 4 GiB of them); at most that many are read (their table is held in memory)"
            ),
            TraceProblem::TooManyRequests { max } => write!(
                f,
                "the trace has more than {max} requests; at most that many are read (each costs work in every cache)"
            ),
            TraceProblem::LineTooLong { max } => write!(
                f,
                "the line is longer than {max} bytes; a line is held whole while it is read, and at most that much of it"
            ),
            TraceProblem::UnclosedQuote => {
                f.write_str("a quoted field is not closed (expected a closing \")")
            }
            TraceProblem::ColumnZero => {
                f.write_str("CSV columns are counted from 1; column 0 does not exist")
            }
            TraceProblem::NoHeader { column } => write!(
                f,
                "expected a header row naming the column '{column}', but the file is empty"
            ),
            TraceProblem::NoSuchColumn {
                column,
                columns,
                more,
            } => {
                write!(
                    f,
                    "no column named '{column}' in the header (columns: {}",
                    columns.join(", ")
                )?;
                if *more > 0 {
                    write!(f, ", and {more} more")?;
                }
                f.write_str(")")
            }
            TraceProblem::TooFewColumns { needed, found } => {
                write!(f, "expected at least {needed} columns, found {found}")
            }
            TraceProblem::NoSize { line } => write!(
                f,
                "expected a key and its size in bytes ('key 4096'), found '{line}'"
            ),
            TraceProblem::BadSize { found } => write!(
                f,
                "expected a size in bytes, a whole number from 0 to 4294967295, found '{found}'"
            ),
            TraceProblem::NoSizeColumn => f.write_str(
                "object sizes were asked of a CSV trace without naming the column that holds them",
            ),
            TraceProblem::TruncatedRecord { last } => write!(
                f,
                "truncated record: oracleGeneral records are {ORACLE_GENERAL_RECORD} bytes, the last has {last}"
            ),
            TraceProblem::Unreadable(error) => write!(f, "cannot be read: {error}"),
            TraceProblem::Decompressed(problem) => {
                write!(f, "{problem} (after zstd decompression)")
            }
            TraceProblem::Zstd { offset, problem } => match problem {
                ZstdProblem::SkippableFrameCut => {
                    write!(f, "the skippable zstd frame at byte {offset} is cut short")
                }
                ZstdProblem::NotZstd => write!(
                    f,
                    "byte {offset}: not a zstd frame (expected zstd's magic number, 28 B5 2F FD)"
                ),
                ZstdProblem::BadHeader(detail) => {
                    write!(f, "the zstd frame at byte {offset} is not valid: {detail}")
                }
                ZstdProblem::Corrupt(detail) => write!(
                    f,
                    "the zstd data is corrupt or cut short (frame at byte {offset}): {detail}"
                ),
                ZstdProblem::ExpandsPast { limit } => write!(
                    f,
                    "the zstd data (frame at byte {offset}) expands past {limit} bytes, the most a trace may hold in memory"
                ),
                ZstdProblem::Checksum => write!(
                    f,
                    "the zstd frame at byte {offset} does not match its checksum: the data is corrupt"
                ),
            },
        }
    }
}

impl std::error::Error for TraceError {}

/// Reads a whole trace from `bytes`, keeping its times (where it has them) and not its sizes;
/// `source` names it in errors.
pub fn read_trace(source: &str, bytes: &[u8], format: &TraceFormat) -> Result<Trace, TraceError> {
    let fields = Fields {
        times: true,
        ..Fields::default()
    };
    read_trace_with(source, bytes, format, fields)
}

/// [`read_trace`], keeping the `fields` asked for.
pub fn read_trace_with(
    source: &str,
    bytes: &[u8],
    format: &TraceFormat,
    fields: Fields,
) -> Result<Trace, TraceError> {
    let error = |position, problem| TraceError {
        source: source.to_owned(),
        position,
        problem,
    };
    let mut trace = Trace::to_fill(fields, format);
    let summary = read_held(bytes, format, fields, &mut trace).map_err(|(p, m)| error(p, m))?;
    Ok(trace.with(summary))
}

/// Bytes of a text or CSV trace read at once by [`stream_trace`].
const LINE_BLOCK: usize = 4 << 20;

/// Reads a trace from `input` as it arrives, handing its requests to `sink` (with the `fields`
/// asked for) instead of keeping them; `source` names it in errors. Neither the input nor its
/// decompressed bytes are held: an `oracleGeneral` trace is decoded as it is read, a text or CSV
/// trace is read `LINE_BLOCK` (4 MiB) at a time. At most [`MAX_STREAMED_BYTES`] are read.
pub fn stream_trace(
    source: &str,
    input: impl Read,
    format: &TraceFormat,
    fields: Fields,
    sink: &mut dyn RequestSink,
) -> Result<TraceSummary, TraceError> {
    let error = |position, problem| TraceError {
        source: source.to_owned(),
        position,
        problem,
    };
    let summary = match format {
        TraceFormat::OracleGeneral => oracle_general_from(input, fields, sink, MAX_STREAMED_BYTES)
            .map_err(|(p, problem)| error(p, problem))?,
        _ => {
            let max_line = MAX_TRACE_BYTES as u64;
            stream_lines(
                input,
                format,
                fields,
                sink,
                LINE_BLOCK,
                MAX_STREAMED_BYTES,
                max_line,
            )
            .map_err(|(p, m)| error(p, m))?
        }
    };
    Ok(summary)
}

impl Trace {
    /// An empty trace for a read of `format` to fill, keeping the `fields` asked for (times only
    /// where the format has them).
    fn to_fill(fields: Fields, format: &TraceFormat) -> Trace {
        Trace {
            sizes: fields.sizes.then(Vec::new),
            times: (fields.times && *format == TraceFormat::OracleGeneral).then(Vec::new),
            ..Trace::default()
        }
    }

    /// The trace with the counts of the read that filled it.
    fn with(mut self, summary: TraceSummary) -> Trace {
        self.zero_sized = summary.zero_sized;
        self.working_set = summary.working_set;
        self.unique_keys = summary.unique_keys;
        self
    }
}

/// A trace held whole, its requests handed to `sink`; an empty trace is refused.
fn read_held(
    bytes: &[u8],
    format: &TraceFormat,
    fields: Fields,
    sink: &mut dyn RequestSink,
) -> Result<TraceSummary, (Position, TraceProblem)> {
    check_trace_bytes(bytes.len() as u64).map_err(|problem| (Position::Whole, problem))?;
    if *format == TraceFormat::OracleGeneral {
        return oracle_general_from(bytes, fields, sink, MAX_TRACE_BYTES as u64);
    }
    let mut reader = LineReader::new(format, fields, sink, READ_LIMITS)?;
    reader.block(bytes)?;
    reader.finish()
}

/// The summary of a read, or why a trace without requests has none: it had none, or only ones of
/// size 0.
fn nothing_left(summary: TraceSummary) -> Result<TraceSummary, (Position, TraceProblem)> {
    match (summary.requests, summary.zero_sized) {
        (0, 0) => Err((Position::Whole, TraceProblem::Empty)),
        (0, requests) => Err((Position::Whole, TraceProblem::OnlyZeroSized { requests })),
        _ => Ok(summary),
    }
}

/// The most bytes of a trace held whole: a text or CSV trace while it is read (with its key table,
/// at most 1 GiB, beside it), or any trace read into a [`Trace`] (in the browser, whose requests
/// are then held too). An oracleGeneral trace streamed into a sink may be larger
/// ([`MAX_STREAMED_BYTES`]).
pub const MAX_TRACE_BYTES: usize = 1 << 30;

/// The most bytes of a trace read as a stream ([`stream_trace`]), or decompressed from one: as
/// many as [`MAX_TRACE_REQUESTS`] oracleGeneral records. Only a block, the counts and the table
/// of distinct keys are held, so the bound is on work, not memory.
pub const MAX_STREAMED_BYTES: u64 = MAX_TRACE_REQUESTS as u64 * ORACLE_GENERAL_RECORD as u64;

/// Refuses a trace of `bytes` bytes past [`MAX_TRACE_BYTES`].
pub fn check_trace_bytes(bytes: u64) -> Result<(), TraceProblem> {
    check_bytes_within(bytes, MAX_TRACE_BYTES as u64)
}

/// Refuses a trace of `bytes` bytes past `limit`.
pub fn check_bytes_within(bytes: u64, limit: u64) -> Result<(), TraceProblem> {
    if bytes > limit {
        return Err(TraceProblem::TooLarge { bytes, limit });
    }
    Ok(())
}

/// The UTF-8 byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The most characters of a value from a trace quoted in a message.
const SHOWN_CHARS: usize = 80;

/// The most header columns listed in a message.
const SHOWN_COLUMNS: usize = 20;

/// `bytes` from a trace as text for a message (see [`text::shown`]), at most [`SHOWN_CHARS`].
pub fn shown(bytes: &[u8]) -> String {
    text::shown(bytes, SHOWN_CHARS)
}

/// The error when [`KeyNumbers`] is full.
fn too_many_keys(_: TooManyKeys) -> (Position, TraceProblem) {
    (Position::Whole, TraceProblem::TooManyKeys)
}

/// The most distinct keys a text or CSV trace may have (their table is then 1 GiB).
pub const MAX_TRACE_KEYS: usize = super::key_numbers::MAX_KEYS;

/// The most requests a trace may have: every cache of a sweep replays each one, so they bound the
/// work (a [`Trace`] also holds their keys, 8 bytes each; an oracleGeneral trace within
/// [`MAX_TRACE_BYTES`] has at most 44,739,242).
pub const MAX_TRACE_REQUESTS: usize = 100_000_000;

/// The error for a trace with more than `max` requests, the first past it on `line`.
fn too_many_requests(line: usize, max: usize) -> (Position, TraceProblem) {
    (Position::Line(line), TraceProblem::TooManyRequests { max })
}

/// How much of a text or CSV trace is read: [`MAX_TRACE_REQUESTS`] and [`MAX_TRACE_KEYS`],
/// smaller in tests.
#[derive(Clone, Copy, Debug)]
struct ReadLimits {
    requests: usize,
    keys: usize,
}

const READ_LIMITS: ReadLimits = ReadLimits {
    requests: MAX_TRACE_REQUESTS,
    keys: MAX_TRACE_KEYS,
};

/// A trace's lines, numbered from `first`, without their `\n` or `\r\n`; a last line without a
/// newline counts too.
fn lines(bytes: &[u8], first: usize) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    NewLines::new(bytes)
        .chain(std::iter::once(bytes.len()))
        .enumerate()
        .map(move |(index, end)| {
            let line = bytes.get(start..end).unwrap_or_default();
            start = end + 1;
            (first + index, line.strip_suffix(b"\r").unwrap_or(line))
        })
}

/// The positions of the newlines in `bytes`, found 64 bytes at a time: each block's newlines are
/// one 64-bit mask (the compiler turns the comparison into vector compares), read off bit by bit.
/// Trace lines are short (12 bytes a line is common), and `memchr_iter` pays a call per match:
/// with this, reading 20M such lines went from 3.1 s to 2.0 s (`benches/trace_parse.rs`).
struct NewLines<'a> {
    bytes: &'a [u8],
    /// Where the current block starts.
    block: usize,
    /// The current block's newlines not yet given, one bit each.
    mask: u64,
}

impl<'a> NewLines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            mask: Self::mask(bytes),
            bytes,
            block: 0,
        }
    }

    /// The newlines among the first 64 bytes of `bytes`.
    #[inline]
    fn mask(bytes: &[u8]) -> u64 {
        match bytes.first_chunk::<64>() {
            Some(block) => block
                .iter()
                .enumerate()
                .fold(0, |mask, (at, &byte)| mask | u64::from(byte == b'\n') << at),
            None => bytes
                .iter()
                .enumerate()
                .fold(0, |mask, (at, &byte)| mask | u64::from(byte == b'\n') << at),
        }
    }
}

impl Iterator for NewLines<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block += 64;
            let rest = self.bytes.get(self.block..)?;
            if rest.is_empty() {
                return None;
            }
            self.mask = Self::mask(rest);
        }
        let at = self.block + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// What numbering a text or CSV trace's keys keeps from one block of it to the next: the table,
/// the numbered requests not handed to the sink yet (they go [`SINK_BATCH`] at a time), and the
/// counts.
struct Numbered<'s> {
    numbers: KeyNumbers,
    /// Numbered requests not handed on yet.
    out: Requests,
    /// Whether sizes are kept.
    sizes: bool,
    sink: &'s mut dyn RequestSink,
    /// Requests handed on.
    sent: usize,
    summary: TraceSummary,
    /// The number the next new key will get: keys are numbered in order of first appearance,
    /// so a key is new where it is this number, and no table of the keys seen is needed.
    next_new: u64,
    /// The most requests read.
    max_requests: usize,
}

impl<'s> Numbered<'s> {
    fn new(sizes: bool, limits: ReadLimits, sink: &'s mut dyn RequestSink) -> Self {
        Self {
            numbers: KeyNumbers::with_max_keys(limits.keys),
            out: Requests {
                keys: Vec::with_capacity(SINK_BATCH + BATCH),
                sizes: Vec::with_capacity(if sizes { SINK_BATCH + BATCH } else { 0 }),
                ..Requests::default()
            },
            sizes,
            sink,
            sent: 0,
            summary: TraceSummary {
                smallest: if sizes { u32::MAX } else { 0 },
                ..TraceSummary::default()
            },
            next_new: 0,
            max_requests: limits.requests,
        }
    }

    /// Hands the numbered requests on, counting the working set's bytes as it goes. A size may be
    /// one ahead of its key (kept before the key is read): it waits for the next batch.
    fn send(&mut self) {
        let ahead = self
            .out
            .sizes
            .split_off(self.out.keys.len().min(self.out.sizes.len()));
        if self.sizes {
            for (&key, &size) in self.out.keys.iter().zip(&self.out.sizes) {
                if key == self.next_new {
                    self.summary.working_set += u64::from(size);
                    self.next_new += 1;
                }
                self.summary.smallest = self.summary.smallest.min(size);
            }
        }
        self.sent += self.out.len();
        self.sink.take(&self.out);
        self.out.clear();
        self.out.sizes.extend_from_slice(&ahead);
    }

    fn finish(mut self) -> Result<TraceSummary, (Position, TraceProblem)> {
        if !self.out.is_empty() {
            self.send();
        }
        if self.sent == 0 {
            self.summary.smallest = 0;
        }
        self.summary.requests = self.sent as u64;
        self.summary.unique_keys = self.numbers.len();
        nothing_left(self.summary)
    }
}

/// The keys of one block of a text or CSV trace as they are read: numbered [`BATCH`] at a time
/// (see [`KeyNumbers::number_batch`]), in order, as slices of the block; [`Numbering::done`]
/// numbers the last of them before the block goes.
struct Numbering<'a, 'n, 's> {
    state: &'n mut Numbered<'s>,
    /// Keys read but not numbered yet.
    batch: Vec<&'a [u8]>,
}

impl<'a, 'n, 's> Numbering<'a, 'n, 's> {
    fn new(state: &'n mut Numbered<'s>) -> Self {
        Self {
            state,
            batch: Vec::with_capacity(BATCH),
        }
    }

    /// Keeps the next request's size; returns whether the request is kept (size 0 is left out).
    #[inline]
    fn sized(&mut self, size: u32) -> bool {
        if size == 0 {
            self.state.summary.zero_sized += 1;
            return false;
        }
        if self.state.sizes {
            self.state.out.sizes.push(size);
        }
        true
    }

    /// Numbers the keys read so far, and hands the numbered ones on once there are enough.
    fn flush(&mut self) -> Result<(), (Position, TraceProblem)> {
        let state = &mut *self.state;
        let result = state.numbers.number_batch(&self.batch, &mut state.out.keys);
        self.batch.clear();
        result.map_err(too_many_keys)?;
        if state.out.len() >= SINK_BATCH {
            state.send();
        }
        Ok(())
    }

    /// Refuses the request on `line` past [`MAX_TRACE_REQUESTS`].
    #[inline]
    fn room_for(&self, line: usize) -> Result<(), (Position, TraceProblem)> {
        let state = &*self.state;
        if state.sent + state.out.len() + self.batch.len() >= state.max_requests {
            return Err(too_many_requests(line, state.max_requests));
        }
        Ok(())
    }

    /// The next key, a slice of the block, on `line`.
    fn push(&mut self, key: &'a [u8], line: usize) -> Result<(), (Position, TraceProblem)> {
        self.room_for(line)?;
        self.batch.push(key);
        if self.batch.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// The next key, on `line`, held elsewhere only for now: numbered at once, after the keys
    /// before it.
    fn push_now(&mut self, key: &[u8], line: usize) -> Result<(), (Position, TraceProblem)> {
        self.room_for(line)?;
        self.flush()?;
        let number = self.state.numbers.number(key).map_err(too_many_keys)?;
        self.state.out.keys.push(number);
        Ok(())
    }

    /// Numbers the block's last keys.
    fn done(mut self) -> Result<(), (Position, TraceProblem)> {
        self.flush()
    }
}

/// One block of a text trace, whose lines are numbered from `first`.
fn read_text(
    bytes: &[u8],
    first: usize,
    state: &mut Numbered,
) -> Result<(), (Position, TraceProblem)> {
    let sizes = state.sizes;
    let mut numbering = Numbering::new(state);
    for (number, line) in lines(bytes, first) {
        let key = line.trim_ascii();
        if key.is_empty() {
            continue;
        }
        if sizes {
            let (key, size) = key_and_size(key).map_err(|m| (Position::Line(number), m))?;
            numbering.room_for(number)?;
            if numbering.sized(size) {
                numbering.push(key, number)?;
            }
        } else {
            numbering.push(key, number)?;
        }
    }
    numbering.done()
}

/// A trimmed text line with its size: `key size`, the size its last field (the key may hold
/// spaces).
fn key_and_size(line: &[u8]) -> Result<(&[u8], u32), TraceProblem> {
    let no_size = || TraceProblem::NoSize { line: shown(line) };
    let at = line
        .iter()
        .rposition(|b| b.is_ascii_whitespace())
        .ok_or_else(no_size)?;
    let key = line.get(..at).unwrap_or_default().trim_ascii();
    if key.is_empty() {
        return Err(no_size());
    }
    Ok((key, parse_size(line.get(at + 1..).unwrap_or_default())?))
}

/// An object size: a whole number of bytes (digits only) that fits 32 bits, as in oracleGeneral.
fn parse_size(field: &[u8]) -> Result<u32, TraceProblem> {
    let digits = field.trim_ascii();
    let bad = || TraceProblem::BadSize {
        found: shown(digits),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    digits.iter().try_fold(0u32, |size, &digit| {
        size.checked_mul(10)
            .and_then(|size| size.checked_add(u32::from(digit - b'0')))
            .ok_or_else(bad)
    })
}

/// Where [`csv_field`] left the wanted field.
enum CsvField<'l> {
    /// In the record as it is (it has no quotes).
    In(&'l [u8]),
    /// Unquoted into the scratch buffer.
    Scratch,
    /// The record has fewer fields.
    Missing,
}

/// [`csv_field`] for a record without quotes, split at its commas in one pass over its bytes (a
/// row is short: one loop beats a `memchr` call per comma and another for the quote); `None` as
/// soon as a quote shows the record needs unquoting.
#[inline]
fn unquoted_field(line: &[u8], wanted: usize) -> Option<(CsvField<'_>, usize)> {
    let mut field = CsvField::Missing;
    let mut count = 0;
    let mut start = 0;
    for (at, &byte) in line.iter().enumerate() {
        match byte {
            b',' => {
                if count == wanted {
                    field = CsvField::In(line.get(start..at).unwrap_or_default());
                }
                count += 1;
                start = at + 1;
            }
            b'"' => return None,
            _ => {}
        }
    }
    if count == wanted {
        field = CsvField::In(line.get(start..).unwrap_or_default());
    }
    Some((field, count + 1))
}

/// One CSV record (RFC 4180 quoting, no embedded newlines): where its field number `wanted`
/// (0-based, unquoted, `""` read as `"`) is, and how many fields it has. A record without quotes,
/// the common case, is split at its commas with no copying; otherwise the wanted field is unquoted
/// into `scratch`.
fn csv_field<'l>(
    line: &'l [u8],
    wanted: usize,
    scratch: &mut Vec<u8>,
) -> Result<(CsvField<'l>, usize), TraceProblem> {
    if let Some(split) = unquoted_field(line, wanted) {
        return Ok(split);
    }
    scratch.clear();
    let count = csv_walk(line, |index, b| {
        if index == wanted {
            scratch.push(b);
        }
    })?;
    let field = if wanted < count {
        CsvField::Scratch
    } else {
        CsvField::Missing
    };
    Ok((field, count))
}

/// Walks one CSV record, calling `each(field, byte)` for every byte of every field's value (quotes
/// removed, `""` read as `"`), and returns how many fields it has. A quote opens a quoted part
/// only where its field has no value yet; after a closing quote, bytes are taken as they are.
fn csv_walk(line: &[u8], mut each: impl FnMut(usize, u8)) -> Result<usize, TraceProblem> {
    let mut index = 0;
    let mut empty = true;
    let mut quoted = false;
    let mut bytes = line.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        let value = if quoted {
            match b {
                b'"' if bytes.peek() == Some(&b'"') => {
                    bytes.next();
                    Some(b'"')
                }
                b'"' => {
                    quoted = false;
                    None
                }
                _ => Some(b),
            }
        } else {
            match b {
                b',' => {
                    index += 1;
                    empty = true;
                    None
                }
                b'"' if empty => {
                    quoted = true;
                    None
                }
                _ => Some(b),
            }
        };
        if let Some(b) = value {
            empty = false;
            each(index, b);
        }
    }
    if quoted {
        return Err(TraceProblem::UnclosedQuote);
    }
    Ok(index + 1)
}

/// Every field of one CSV record (a header), in one pass.
fn csv_fields(line: &[u8]) -> Result<Vec<Vec<u8>>, TraceProblem> {
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let count = csv_walk(line, |index, b| {
        if fields.len() <= index {
            fields.resize_with(index + 1, Vec::new);
        }
        if let Some(field) = fields.get_mut(index) {
            field.push(b);
        }
    })?;
    fields.resize_with(count, Vec::new);
    Ok(fields)
}

/// The columns a CSV trace is read from.
struct CsvColumns<'c> {
    key: &'c KeyColumn,
    /// Only when sizes are kept.
    size: Option<&'c KeyColumn>,
    header: bool,
}

/// Where `column` is (0-based), given the header row's fields if there is one (on `line`).
fn column_index(
    column: &KeyColumn,
    header: Option<(usize, &[Vec<u8>])>,
) -> Result<usize, (Position, TraceProblem)> {
    match (column, header) {
        (KeyColumn::Index(0), _) => Err((Position::Whole, TraceProblem::ColumnZero)),
        (KeyColumn::Index(index), _) => Ok(index - 1),
        (KeyColumn::Name(name), None) => Err((
            Position::Whole,
            TraceProblem::NoHeader {
                column: shown(name.as_bytes()),
            },
        )),
        (KeyColumn::Name(name), Some((line, names))) => names
            .iter()
            .position(|field| field.trim_ascii() == name.as_bytes())
            .ok_or_else(|| {
                (
                    Position::Line(line),
                    TraceProblem::NoSuchColumn {
                        column: shown(name.as_bytes()),
                        columns: names
                            .iter()
                            .take(SHOWN_COLUMNS)
                            .map(|n| shown(n.trim_ascii()))
                            .collect(),
                        more: names.len().saturating_sub(SHOWN_COLUMNS),
                    },
                )
            }),
    }
}

/// A CSV trace read a block at a time: its columns are found once, from the header row if it has
/// one (the first row that is not empty).
struct CsvReader<'c> {
    columns: CsvColumns<'c>,
    /// The key and size columns (0-based), once known: at once without a header, else from it.
    found: Option<(usize, Option<usize>)>,
    scratch: Vec<u8>,
}

/// Whether `column` is looked up by name.
fn named(column: Option<&KeyColumn>) -> bool {
    matches!(column, Some(KeyColumn::Name(_)))
}

impl<'c> CsvReader<'c> {
    fn new(columns: CsvColumns<'c>) -> Result<Self, (Position, TraceProblem)> {
        // Column 0 is refused before the header is looked at, whatever else is wrong.
        for column in std::iter::once(columns.key).chain(columns.size) {
            if *column == KeyColumn::Index(0) {
                return Err((Position::Whole, TraceProblem::ColumnZero));
            }
        }
        let header = columns.header || named(Some(columns.key)) || named(columns.size);
        let mut reader = Self {
            columns,
            found: None,
            scratch: Vec::new(),
        };
        if !header {
            reader.found = Some(reader.find(None)?);
        }
        Ok(reader)
    }

    /// The key and size columns, given the header row and its line if there is one. The header
    /// row is split only when a column is looked up by name; otherwise it is skipped unread,
    /// whatever it holds.
    fn find(
        &self,
        header_row: Option<(usize, &[u8])>,
    ) -> Result<(usize, Option<usize>), (Position, TraceProblem)> {
        let columns = &self.columns;
        let names = match header_row {
            Some((line, row)) if named(Some(columns.key)) || named(columns.size) => Some((
                line,
                csv_fields(row).map_err(|m| (Position::Line(line), m))?,
            )),
            _ => None,
        };
        let header_row = names
            .as_ref()
            .map(|(line, names)| (*line, names.as_slice()));
        let key_column = column_index(columns.key, header_row)?;
        let size_column = match columns.size {
            Some(column) => Some(column_index(column, header_row)?),
            None => None,
        };
        Ok((key_column, size_column))
    }

    /// One block of the trace, whose lines are numbered from `first`.
    fn block(
        &mut self,
        bytes: &[u8],
        first: usize,
        state: &mut Numbered,
    ) -> Result<(), (Position, TraceProblem)> {
        let mut numbering = Numbering::new(state);
        let rows = lines(bytes, first).filter(|(_, line)| !line.trim_ascii().is_empty());
        for (line, row) in rows {
            let Some((key_column, size_column)) = self.found else {
                self.found = Some(self.find(Some((line, row)))?);
                continue;
            };
            let too_few = |found: usize| {
                let needed = key_column.max(size_column.unwrap_or(0)) + 1;
                (
                    Position::Line(line),
                    TraceProblem::TooFewColumns { needed, found },
                )
            };
            let scratch = &mut self.scratch;
            if let Some(column) = size_column {
                let (field, count) =
                    csv_field(row, column, scratch).map_err(|m| (Position::Line(line), m))?;
                let size = match field {
                    CsvField::In(size) => parse_size(size),
                    CsvField::Scratch => parse_size(scratch),
                    CsvField::Missing => return Err(too_few(count)),
                };
                numbering.room_for(line)?;
                if !numbering.sized(size.map_err(|m| (Position::Line(line), m))?) {
                    continue;
                }
            }
            let (field, count) =
                csv_field(row, key_column, scratch).map_err(|m| (Position::Line(line), m))?;
            match field {
                CsvField::In(key) => numbering.push(key.trim_ascii(), line)?,
                CsvField::Scratch => numbering.push_now(scratch.trim_ascii(), line)?,
                CsvField::Missing => return Err(too_few(count)),
            }
        }
        numbering.done()
    }

    /// After the last block: a trace with no row at all still needs its columns found (a name
    /// without a header is refused).
    fn finish(&self) -> Result<(), (Position, TraceProblem)> {
        if self.found.is_none() {
            self.find(None)?;
        }
        Ok(())
    }
}

/// A text or CSV trace read a block at a time, each block whole lines.
struct LineReader<'c, 's> {
    /// `None` for text.
    csv: Option<CsvReader<'c>>,
    state: Numbered<'s>,
    /// The number of the next block's first line.
    next_line: usize,
}

impl<'c, 's> LineReader<'c, 's> {
    fn new(
        format: &'c TraceFormat,
        fields: Fields,
        sink: &'s mut dyn RequestSink,
        limits: ReadLimits,
    ) -> Result<Self, (Position, TraceProblem)> {
        let csv = match format {
            TraceFormat::Csv {
                key_column,
                size_column,
                header,
            } => {
                let size_column = match (fields.sizes, size_column) {
                    (false, _) => None,
                    (true, Some(column)) => Some(column),
                    (true, None) => return Err((Position::Whole, TraceProblem::NoSizeColumn)),
                };
                Some(CsvReader::new(CsvColumns {
                    key: key_column,
                    size: size_column,
                    header: *header,
                })?)
            }
            _ => None,
        };
        Ok(Self {
            csv,
            state: Numbered::new(fields.sizes, limits, sink),
            next_line: 1,
        })
    }

    /// The next lines: the first block starts the trace (a UTF-8 byte-order mark, as some
    /// editors write, is not part of its first key or column); every block but the last ends
    /// where a line does, its last newline left out.
    fn block(&mut self, bytes: &[u8]) -> Result<(), (Position, TraceProblem)> {
        let bytes = match self.next_line {
            1 => bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes),
            _ => bytes,
        };
        let first = self.next_line;
        match &mut self.csv {
            Some(csv) => csv.block(bytes, first, &mut self.state)?,
            None => read_text(bytes, first, &mut self.state)?,
        }
        self.next_line += memchr::memchr_iter(b'\n', bytes).count() + 1;
        Ok(())
    }

    fn finish(self) -> Result<TraceSummary, (Position, TraceProblem)> {
        if let Some(csv) = &self.csv {
            csv.finish()?;
        }
        self.state.finish()
    }
}

/// Reads a text or CSV trace from `input` a block of about `block` bytes at a time, handing its
/// requests to `sink`: a line is held only until its block is read, so memory holds a block (or
/// the longest line, at most `max_line` bytes), not the trace. At most `limit` bytes are read.
fn stream_lines(
    mut input: impl Read,
    format: &TraceFormat,
    fields: Fields,
    sink: &mut dyn RequestSink,
    block: usize,
    limit: u64,
    max_line: u64,
) -> Result<TraceSummary, (Position, TraceProblem)> {
    let mut reader = LineReader::new(format, fields, sink, READ_LIMITS)?;
    let unreadable = |e: std::io::Error| (Position::Whole, TraceProblem::Unreadable(e.to_string()));
    let mut buffer: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    loop {
        // Fill the buffer to a block past the line carried over, or to the end of the input.
        let carried = buffer.len();
        buffer.resize(carried + block.max(1), 0);
        let mut filled = carried;
        while filled < buffer.len() {
            match input.read(buffer.get_mut(filled..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(unreadable(e)),
            }
        }
        let ended = filled < buffer.len();
        buffer.truncate(filled);
        total += (filled - carried) as u64;
        check_bytes_within(total, limit).map_err(|problem| (Position::Whole, problem))?;
        if ended {
            reader.block(&buffer)?;
            return reader.finish();
        }
        // A line longer than the block waits for more of it, up to the most a trace held whole
        // may have: memory holds one line, not the input.
        match memchr::memrchr(b'\n', &buffer) {
            Some(last) => {
                reader.block(buffer.get(..last).unwrap_or_default())?;
                buffer.drain(..=last);
            }
            None if buffer.len() as u64 > max_line => {
                let problem = TraceProblem::LineTooLong { max: max_line };
                return Err((Position::Line(reader.next_line), problem));
            }
            None => {}
        }
    }
}

/// Reads an oracleGeneral trace, plain or zstd-compressed (told by its first bytes), from
/// `input` as it arrives: only the requests are held (and their times if `times`), never the file
/// or its decompressed bytes, so a 240 MB trace of 10M requests costs their 80 MB of keys.
/// `source` names it in errors.
pub fn read_oracle_general(
    source: &str,
    input: impl Read,
    fields: Fields,
) -> Result<Trace, TraceError> {
    let mut trace = Trace::to_fill(fields, &TraceFormat::OracleGeneral);
    let summary = oracle_general_from(input, fields, &mut trace, MAX_TRACE_BYTES as u64).map_err(
        |(position, problem)| TraceError {
            source: source.to_owned(),
            position,
            problem,
        },
    )?;
    Ok(trace.with(summary))
}

/// [`read_oracle_general`]'s work into `sink`, reading (and decompressing) at most `limit`
/// bytes, with the error's place and problem apart; an empty trace is refused.
fn oracle_general_from(
    mut input: impl Read,
    fields: Fields,
    sink: &mut dyn RequestSink,
    limit: u64,
) -> Result<TraceSummary, (Position, TraceProblem)> {
    let unreadable =
        |error: std::io::Error| (Position::Whole, TraceProblem::Unreadable(error.to_string()));
    // The first bytes tell zstd from plain records; they are read again, chained before the rest.
    let mut head = Vec::with_capacity(4);
    (&mut input)
        .take(4)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    let head = head.as_slice();
    let mut records = Records::new(fields, sink);
    let mut input = head.chain(input);
    if is_zstd(head) {
        decompress_zstd(&mut input, limit, |chunk| records.push(chunk))
            .map_err(|problem| (Position::Whole, problem))?;
        return records
            .finish()
            .map_err(|(p, problem)| (p, TraceProblem::Decompressed(Box::new(problem))))
            .and_then(nothing_left);
    }
    let mut buffer = vec![0u8; 1 << 16];
    let mut total: u64 = 0;
    loop {
        let n = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(unreadable(error)),
        };
        total += n as u64;
        check_bytes_within(total, limit).map_err(|problem| (Position::Whole, problem))?;
        records.push(buffer.get(..n).unwrap_or_default());
    }
    records.finish().and_then(nothing_left)
}

/// oracleGeneral records as their bytes arrive, in pieces of any length, handed to the sink
/// [`SINK_BATCH`] at a time.
struct Records<'s> {
    /// Requests not handed on yet.
    out: Requests,
    fields: Fields,
    sink: &'s mut dyn RequestSink,
    summary: TraceSummary,
    seen: IdSet,
    /// The start of a record cut by the end of the last piece.
    partial: [u8; ORACLE_GENERAL_RECORD],
    filled: usize,
    /// Bytes taken in whole records.
    whole: u64,
}

impl<'s> Records<'s> {
    fn new(fields: Fields, sink: &'s mut dyn RequestSink) -> Self {
        Self {
            out: Requests::default(),
            fields,
            sink,
            summary: TraceSummary {
                smallest: if fields.sizes { u32::MAX } else { 0 },
                ..TraceSummary::default()
            },
            seen: IdSet::default(),
            partial: [0; ORACLE_GENERAL_RECORD],
            filled: 0,
            whole: 0,
        }
    }

    fn record(&mut self, record: &[u8]) {
        let field = |range: std::ops::Range<usize>| {
            let mut bytes = [0u8; 8];
            if let (Some(to), Some(from)) = (bytes.get_mut(..range.len()), record.get(range)) {
                to.copy_from_slice(from);
            }
            u64::from_le_bytes(bytes)
        };
        self.whole += ORACLE_GENERAL_RECORD as u64;
        let mut size = 0;
        if self.fields.sizes {
            // As libCacheSim's reader (ignore_size_zero_req): a request of size 0 is left out.
            size = field(12..16);
            if size == 0 {
                self.summary.zero_sized += 1;
                return;
            }
            self.out.sizes.push(size as u32);
            self.summary.smallest = self.summary.smallest.min(size as u32);
        }
        let id = field(4..12);
        self.out.keys.push(id);
        if self.fields.times {
            self.out.times.push(field(0..4));
        }
        if self.fields.next_access {
            self.out.next_access.push(field(16..24) as i64);
        }
        if self.seen.insert(id) {
            self.summary.working_set += size;
        }
        if self.out.len() == SINK_BATCH {
            self.send();
        }
    }

    /// Hands the requests read on.
    fn send(&mut self) {
        self.summary.requests += self.out.len() as u64;
        self.sink.take(&self.out);
        self.out.clear();
    }

    fn push(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let take = (ORACLE_GENERAL_RECORD - self.filled).min(bytes.len());
            let (first, rest) = bytes.split_at(take);
            self.partial[self.filled..self.filled + take].copy_from_slice(first);
            self.filled += take;
            bytes = rest;
            if self.filled < ORACLE_GENERAL_RECORD {
                return;
            }
            let record = self.partial;
            self.record(&record);
            self.filled = 0;
        }
        let mut records = bytes.chunks_exact(ORACLE_GENERAL_RECORD);
        for record in &mut records {
            self.record(record);
        }
        let rest = records.remainder();
        self.partial[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    fn finish(mut self) -> Result<TraceSummary, (Position, TraceProblem)> {
        if self.filled > 0 {
            return Err((
                Position::Byte(self.whole),
                TraceProblem::TruncatedRecord { last: self.filled },
            ));
        }
        if !self.out.is_empty() {
            self.send();
        }
        if self.summary.requests == 0 {
            self.summary.smallest = 0;
        }
        self.summary.unique_keys = self.seen.len();
        Ok(self.summary)
    }
}

/// Counts the bytes read through it, so an error can say where in the compressed file it is.
struct Counted<'c, R> {
    inner: R,
    count: &'c std::cell::Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Decompresses every frame of `input` into `sink`, piece by piece, refusing to expand past
/// `limit` bytes: a small file that expands to gigabytes costs one buffer, not `limit`.
/// Skippable frames (metadata) are skipped wherever they are; a frame that carries a checksum
/// must match it. Offsets in errors are the compressed file's.
fn decompress_zstd(
    input: impl Read,
    limit: u64,
    mut sink: impl FnMut(&[u8]),
) -> Result<(), TraceProblem> {
    use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
    use std::io::BufRead;
    let read = std::cell::Cell::new(0u64);
    let mut input = std::io::BufReader::new(Counted {
        inner: input,
        count: &read,
    });
    let mut buffer = vec![0u8; 1 << 16];
    let mut produced: u64 = 0;
    loop {
        let offset = (read.get() - input.buffer().len() as u64) as usize;
        let zstd = |problem| TraceProblem::Zstd { offset, problem };
        match input.fill_buf() {
            Ok([]) => return Ok(()),
            Ok(_) => {}
            Err(error) => return Err(TraceProblem::Unreadable(error.to_string())),
        }
        let decoder = match ruzstd::decoding::StreamingDecoder::new(&mut input) {
            Ok(decoder) => decoder,
            Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                length,
                ..
            })) => {
                let skipped = std::io::copy(
                    &mut (&mut input).take(u64::from(length)),
                    &mut std::io::sink(),
                )
                .map_err(|error| TraceProblem::Unreadable(error.to_string()))?;
                if skipped < u64::from(length) {
                    return Err(zstd(ZstdProblem::SkippableFrameCut));
                }
                continue;
            }
            Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::BadMagicNumber(
                _,
            ))) => return Err(zstd(ZstdProblem::NotZstd)),
            Err(e) => return Err(zstd(ZstdProblem::BadHeader(e.to_string()))),
        };
        // One byte past the limit is read, to tell "exactly the limit" from "past it".
        let room = limit - produced + 1;
        let mut reader = decoder.take(room);
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // Standard input is cut one byte past the limit: say so, not "corrupt".
                Err(_) if read.get() > limit => {
                    return Err(TraceProblem::TooLarge {
                        bytes: read.get(),
                        limit,
                    });
                }
                Err(e) => return Err(zstd(ZstdProblem::Corrupt(e.to_string()))),
            };
            produced += n as u64;
            if produced > limit {
                return Err(zstd(ZstdProblem::ExpandsPast { limit }));
            }
            sink(buffer.get(..n).unwrap_or_default());
        }
        let frame = &reader.into_inner().decoder;
        if let (Some(stored), Some(computed)) = (
            frame.get_checksum_from_data(),
            frame.get_calculated_checksum(),
        ) && stored != computed
        {
            return Err(zstd(ZstdProblem::Checksum));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(key_column: KeyColumn, header: bool) -> TraceFormat {
        TraceFormat::Csv {
            key_column,
            size_column: None,
            header,
        }
    }

    fn sizes() -> Fields {
        Fields {
            sizes: true,
            ..Fields::default()
        }
    }

    #[test]
    fn sizes_are_read_from_every_format_alike_and_size_0_is_left_out() {
        let text = b"a 10\n\nb c 4096\r\nb c 7\na 0\nd\t4294967295";
        let csv_by_name = b"size,key\n10,a\n4096,b c\n7,b c\n0,a\n4294967295,d\n";
        let csv_by_index = b"x,a,10\nx,b c,4096\nx,\"b c\",7\nx,a,0\nx,d,4294967295";
        let from_text = read_trace_with("t", text, &TraceFormat::Text, sizes()).unwrap();
        assert_eq!(from_text.keys, [0, 1, 1, 2]);
        assert_eq!(
            from_text.sizes.as_deref(),
            Some(&[10, 4096, 7, u32::MAX][..])
        );
        assert_eq!((from_text.zero_sized, from_text.unique_keys), (1, 3));
        // Each distinct object at the size it was first requested with.
        assert_eq!(from_text.working_set, 10 + 4096 + u64::from(u32::MAX));
        let by_name = TraceFormat::Csv {
            key_column: KeyColumn::Name("key".into()),
            size_column: Some(KeyColumn::Name("size".into())),
            header: false,
        };
        let by_index = TraceFormat::Csv {
            key_column: KeyColumn::Index(2),
            size_column: Some(KeyColumn::Index(3)),
            header: false,
        };
        assert_eq!(
            read_trace_with("t", csv_by_name, &by_name, sizes()).unwrap(),
            from_text
        );
        assert_eq!(
            read_trace_with("t", csv_by_index, &by_index, sizes()).unwrap(),
            from_text
        );
        let mut oracle = Vec::new();
        for (id, size) in [(5u64, 10u32), (9, 4096), (9, 7), (5, 0), (2, u32::MAX)] {
            oracle.extend_from_slice(&0u32.to_le_bytes());
            oracle.extend_from_slice(&id.to_le_bytes());
            oracle.extend_from_slice(&size.to_le_bytes());
            oracle.extend_from_slice(&(-1i64).to_le_bytes());
        }
        let from_oracle =
            read_trace_with("t", &oracle, &TraceFormat::OracleGeneral, sizes()).unwrap();
        assert_eq!(from_oracle.keys, [5, 9, 9, 2]);
        assert_eq!(from_oracle.sizes, from_text.sizes);
        assert_eq!((from_oracle.zero_sized, from_oracle.unique_keys), (1, 3));
        assert_eq!(from_oracle.working_set, from_text.working_set);
        // Without sizes nothing changes: every request is kept, with no sizes.
        let plain = read_trace("t", &oracle, &TraceFormat::OracleGeneral).unwrap();
        assert_eq!(
            (plain.keys.len(), plain.sizes, plain.zero_sized),
            (5, None, 0)
        );
    }

    #[test]
    fn a_missing_or_bad_size_is_named_with_its_line() {
        let error = |bytes: &[u8], format: &TraceFormat| {
            read_trace_with("t", bytes, format, sizes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(b"a 1\nb\n", &TraceFormat::Text),
            "t line 2: expected a key and its size in bytes ('key 4096'), found 'b'"
        );
        for bad in ["-1", "1.5", "4294967296", "1e3", "x\u{1b}[31m"] {
            let line = format!("a {bad}\n");
            let message = error(line.as_bytes(), &TraceFormat::Text);
            assert!(
                message.starts_with("t line 1: expected a size in bytes, a whole number from 0 to 4294967295, found '"),
                "{message}"
            );
            assert!(!message.contains('\u{1b}'), "{message}");
        }
        let third = TraceFormat::Csv {
            key_column: KeyColumn::Index(1),
            size_column: Some(KeyColumn::Index(3)),
            header: false,
        };
        assert_eq!(
            error(b"a,b,1\na,b\n", &third),
            "t line 2: expected at least 3 columns, found 2"
        );
        let no_column = csv(KeyColumn::Index(1), false);
        assert!(error(b"a\n", &no_column).contains("without naming the column"));
        let zeros = error(b"a 0\nb 0\n", &TraceFormat::Text);
        assert_eq!(
            zeros,
            "t: every request (2) has size 0, and requests of size 0 are left out when object sizes are read"
        );
    }

    #[test]
    fn text_keys_are_numbered_by_first_appearance() {
        let trace = read_trace("t.txt", b"a\nb\r\n\n  a  \nc\n", &TraceFormat::Text).unwrap();
        assert_eq!(trace.keys, [0, 1, 0, 2]);
        assert_eq!(trace.unique_keys, 3);
    }

    #[test]
    fn csv_by_name_and_by_index_with_quotes() {
        let data = b"time,key,size\n1,\"a,b\",10\n2,c,20\n3,\"a,b\",30\n";
        let by_name =
            read_trace("t.csv", data, &csv(KeyColumn::Name("key".into()), false)).unwrap();
        assert_eq!(by_name.keys, [0, 1, 0]);
        let by_index = read_trace("t.csv", data, &csv(KeyColumn::Index(2), true)).unwrap();
        assert_eq!(by_index.keys, by_name.keys);
        let error =
            read_trace("t.csv", data, &csv(KeyColumn::Name("id".into()), false)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.csv line 1: no column named 'id' in the header (columns: time, key, size)"
        );
        let short = read_trace("t.csv", b"1,a\n2\n", &csv(KeyColumn::Index(2), false)).unwrap_err();
        assert_eq!(
            short.to_string(),
            "t.csv line 2: expected at least 2 columns, found 1"
        );
        let unclosed = read_trace("t.csv", b"\"a\n", &csv(KeyColumn::Index(1), false)).unwrap_err();
        assert_eq!(unclosed.position, Position::Line(1));
        assert!(read_trace("t.csv", b"a\n", &csv(KeyColumn::Index(0), false)).is_err());
    }

    fn oracle_record(time: u32, id: u64) -> Vec<u8> {
        let mut record = Vec::new();
        record.extend(time.to_le_bytes());
        record.extend(id.to_le_bytes());
        record.extend(1u32.to_le_bytes());
        record.extend((-1i64).to_le_bytes());
        record
    }

    #[test]
    fn oracle_general_plain_compressed_and_truncated() {
        let plain: Vec<u8> = [(1, 42), (2, 7), (3, 42)]
            .iter()
            .flat_map(|&(t, id)| oracle_record(t, id))
            .collect();
        let trace = read_trace("t.oracleGeneral", &plain, &TraceFormat::OracleGeneral).unwrap();
        assert_eq!(trace.keys, [42, 7, 42]);
        assert_eq!(trace.times, Some(vec![1, 2, 3]));
        assert_eq!(trace.unique_keys, 2);

        let mut compressed = ruzstd::encoding::compress_to_vec(
            &plain[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        assert_eq!(
            read_trace("t.zst", &compressed, &TraceFormat::OracleGeneral).unwrap(),
            trace
        );
        // A frame that expands past the limit is refused having decoded just past it.
        let zeros = vec![0u8; 100_000];
        let bomb = ruzstd::encoding::compress_to_vec(
            &zeros[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let refused = decompress_zstd(&bomb[..], 1_000, |_| {}).unwrap_err();
        assert_eq!(
            refused,
            TraceProblem::Zstd {
                offset: 0,
                problem: ZstdProblem::ExpandsPast { limit: 1_000 }
            }
        );
        assert!(
            refused.to_string().contains("expands past 1000 bytes"),
            "{refused}"
        );
        let mut expanded = 0;
        decompress_zstd(&bomb[..], 100_000, |piece| expanded += piece.len()).unwrap();
        assert_eq!(expanded, 100_000);
        // Two frames back to back decode as one trace.
        compressed.extend(compressed.clone());
        assert_eq!(
            read_trace("t.zst", &compressed, &TraceFormat::OracleGeneral)
                .unwrap()
                .keys
                .len(),
            6
        );

        let truncated = read_trace("t.bin", &plain[..50], &TraceFormat::OracleGeneral).unwrap_err();
        assert_eq!(
            truncated.to_string(),
            "t.bin byte 48: truncated record: oracleGeneral records are 24 bytes, the last has 2"
        );
        let corrupt = read_trace(
            "t.zst",
            &compressed[..compressed.len() - 5],
            &TraceFormat::OracleGeneral,
        );
        assert!(corrupt.unwrap_err().problem.to_string().contains("zstd"));
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key_or_column() {
        let text = read_trace("t.txt", "\u{FEFF}a\nb\na\n".as_bytes(), &TraceFormat::Text).unwrap();
        assert_eq!((text.keys, text.unique_keys), (vec![0, 1, 0], 2));
        let csv = read_trace(
            "t.csv",
            "\u{FEFF}key,size\r\nx,1\r\ny,2\r\nx,3".as_bytes(),
            &csv(KeyColumn::Name("key".to_owned()), true),
        )
        .unwrap();
        assert_eq!(csv.keys, vec![0, 1, 0]);
    }

    #[test]
    fn values_quoted_in_messages_stay_short_plain_text() {
        let missing_key_column = |text: &str| {
            read_trace(
                "h.csv",
                text.as_bytes(),
                &csv(KeyColumn::Name("key".to_owned()), true),
            )
            .unwrap_err()
            .to_string()
        };
        let error = missing_key_column("\u{1b}[2J\u{1b}[31mred,size\nx,1\n");
        assert!(!error.contains('\u{1b}'), "{error:?}");
        assert!(error.contains("\\u{1b}[2J"), "{error}");
        // A 5 MB header without the column: one short line, not the header.
        let error = missing_key_column(&format!("{},d\nx,1\n", "c".repeat(5_000_000)));
        assert!(
            error.len() < 400 && error.contains("c…"),
            "{} bytes",
            error.len()
        );
        let many: String = (0..100).map(|i| format!("c{i},")).collect();
        let error = missing_key_column(&format!("{many}\nx\n"));
        assert!(error.contains("c19, and 81 more)"), "{error}");
        assert_eq!(shown("é\u{7}".as_bytes()), "é\\u{7}");
    }

    #[test]
    fn a_column_name_asked_of_an_empty_file_is_quoted_as_text() {
        // The name comes from the command line or a URL, so it is shown escaped and cut too.
        let asked = format!("\u{1b}[2J{}", "k".repeat(500));
        let error = read_trace("e.csv", b"", &csv(KeyColumn::Name(asked), true))
            .unwrap_err()
            .to_string();
        assert!(!error.contains('\u{1b}') && error.len() < 300, "{error}");
        assert!(error.starts_with("e.csv: expected a header row naming the column '\\u{1b}[2Jk"));
    }

    #[test]
    fn a_file_chosen_without_a_format_is_read_by_its_bytes_then_its_name() {
        let csv = TraceFormat::Csv {
            key_column: KeyColumn::Name("key".into()),
            size_column: None,
            header: true,
        };
        let detect = |name: &str, head: &[u8]| TraceFormat::detect(name, head, csv.clone());
        let record = [
            1u8, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 255, 255, 255, 255,
        ];
        assert_eq!(detect("a.txt", &record), Ok(TraceFormat::OracleGeneral));
        assert_eq!(detect("a.txt", &ZSTD_MAGIC), Ok(TraceFormat::OracleGeneral));
        assert_eq!(
            detect("a", &[0x5A, 0x2A, 0x4D, 0x18, 0]),
            Ok(TraceFormat::OracleGeneral)
        );
        assert_eq!(detect("keys.CSV", b"time,key\n1,a\n"), Ok(csv.clone()));
        assert_eq!(
            detect("trace.oracleGeneral", b"a\nb\n"),
            Ok(TraceFormat::Text)
        );
        assert_eq!(detect("keys", b""), Ok(TraceFormat::Text));
        let png = detect("trace.txt", b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert_eq!(
            png.to_string(),
            "is a PNG image, not a trace (text, CSV or oracleGeneral, plain or zstd)"
        );
        assert_eq!(
            detect("t.gz", b"\x1F\x8B\x08")
                .unwrap_err()
                .kind
                .split(' ')
                .nth(1),
            Some("gzip")
        );
    }

    #[test]
    fn zstd_checksums_are_verified_and_skippable_frames_skipped() {
        // Made by `zstd --check` (the zstd command's default) from three records.
        let frame =
            include_bytes!("../../tests/fixtures/three-records-checksummed.oracleGeneral.zst");
        let expected = [42, 7, 42];
        let read = |bytes: &[u8]| read_trace("t.zst", bytes, &TraceFormat::OracleGeneral);
        assert_eq!(read(frame).unwrap().keys, expected);
        // Any single flipped bit after the magic number: refused, or (where the bit does not
        // matter) the same trace; never a different one.
        let mut refused = 0;
        for bit in 32..frame.len() * 8 {
            let mut flipped = frame.to_vec();
            flipped[bit / 8] ^= 1 << (bit % 8);
            match read(&flipped) {
                Ok(trace) => assert_eq!(trace.keys, expected, "bit {bit}"),
                Err(error) => {
                    refused += 1;
                    assert!(!error.to_string().contains('\n'));
                }
            }
        }
        assert!(refused > frame.len() * 8 / 2, "{refused} refused");
        let mut payload_flip = frame.to_vec();
        let last_data = frame.len() - 5;
        payload_flip[last_data] ^= 0x01;
        let error = read(&payload_flip).unwrap_err().to_string();
        assert!(
            error.contains("byte 0") && error.contains("corrupt"),
            "{error}"
        );
        // A skippable frame (metadata) before, between and after: skipped.
        let skippable = [&[0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0][..], b"abc"].concat();
        let mixed = [&skippable[..], frame, &skippable, frame, &skippable].concat();
        assert_eq!(read(&mixed).unwrap().keys, [42, 7, 42, 42, 7, 42]);
        let cut = [&frame[..], &skippable[..9]].concat();
        assert!(read(&cut).unwrap_err().to_string().contains("cut short"));
        // Something else after a frame: named in words, with its offset.
        let junk = [&frame[..], b"junkjunk"].concat();
        let error = read(&junk).unwrap_err().to_string();
        assert!(
            error.contains(&format!("byte {}: not a zstd frame", frame.len())),
            "{error}"
        );
    }

    #[test]
    fn newlines_are_found_where_memchr_finds_them() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in (0..200).chain([511, 512, 513, 4096]) {
            for density in [1u64, 8, 40, 1000] {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        if state.is_multiple_of(density) {
                            b'\n'
                        } else {
                            (state >> 32) as u8 | 0x80
                        }
                    })
                    .collect();
                let expected: Vec<usize> = memchr::memchr_iter(b'\n', &bytes).collect();
                assert_eq!(
                    NewLines::new(&bytes).collect::<Vec<_>>(),
                    expected,
                    "{len} bytes"
                );
            }
        }
    }

    #[test]
    fn a_text_or_csv_trace_read_in_blocks_of_any_size_is_the_trace_read_whole() {
        let csv_by_name = TraceFormat::Csv {
            key_column: KeyColumn::Name("key".into()),
            size_column: Some(KeyColumn::Name("size".into())),
            header: false,
        };
        let cases: Vec<(&[u8], TraceFormat, Fields)> = vec![
            (
                b"\xEF\xBB\xBFa\r\nb\n\n c \na\r\nlast",
                TraceFormat::Text,
                Fields::default(),
            ),
            (
                b"a 10\nb c 4096\r\n\nb c 7\na 0\nd 9",
                TraceFormat::Text,
                sizes(),
            ),
            (b"a 10\nb\n", TraceFormat::Text, sizes()),
            (
                b"\n\nsize,key\n10,a\n4096,\"b, c\"\n7,\"b, c\"\n0,a\n5,d\n",
                csv_by_name.clone(),
                sizes(),
            ),
            (b"size,key\n10,a\n4096\n", csv_by_name.clone(), sizes()),
            (b"size,nokey\n10,a\n", csv_by_name.clone(), sizes()),
            (b"", csv_by_name, sizes()),
            (
                b"h\nx\ny\nx\n\"unclosed\n",
                csv(KeyColumn::Index(1), true),
                Fields::default(),
            ),
        ];
        for (bytes, format, fields) in cases {
            let whole = read_trace_with("t", bytes, &format, fields);
            for block in 1..=12 {
                let mut trace = Trace {
                    sizes: fields.sizes.then(Vec::new),
                    ..Trace::default()
                };
                let streamed = stream_lines(bytes, &format, fields, &mut trace, block, 1 << 20, 64)
                    .map(|summary| trace.with(summary));
                match (&whole, streamed) {
                    (Ok(whole), Ok(streamed)) => assert_eq!(&streamed, whole, "block {block}"),
                    (Err(whole), Err((position, problem))) => {
                        assert_eq!((position, &problem), (whole.position, &whole.problem))
                    }
                    (whole, streamed) => panic!("block {block}: {whole:?} against {streamed:?}"),
                }
            }
        }
        // Past the limit, as it is read.
        let (_, problem) = stream_lines(
            &b"a\nb\nc\n"[..],
            &TraceFormat::Text,
            Fields::default(),
            &mut Trace::default(),
            2,
            5,
            64,
        )
        .unwrap_err();
        assert_eq!(problem, TraceProblem::TooLarge { bytes: 6, limit: 5 });
        // A line past the longest held is refused where it starts, once that much of it is read.
        let long = [&b"a\nb\n"[..], &[b'x'; 100][..], b"\nc\n"].concat();
        let (at, problem) = stream_lines(
            &long[..],
            &TraceFormat::Text,
            Fields::default(),
            &mut Trace::default(),
            8,
            1 << 20,
            64,
        )
        .unwrap_err();
        assert_eq!(at, Position::Line(3));
        assert_eq!(problem, TraceProblem::LineTooLong { max: 64 });
        assert!(
            problem.to_string().contains("longer than 64 bytes"),
            "{problem}"
        );
    }

    #[test]
    fn requests_and_distinct_keys_past_the_limits_are_refused_at_their_line() {
        let small = ReadLimits {
            requests: 4,
            keys: 2,
        };
        let read = |bytes: &[u8], format: &TraceFormat, sink: &mut Trace| {
            let mut reader = LineReader::new(format, Fields::default(), sink, small)?;
            reader.block(bytes)?;
            reader.finish()
        };
        let mut kept = Trace::default();
        let four = read(b"a\n\nb\na\nb\n", &TraceFormat::Text, &mut kept).unwrap();
        assert_eq!((four.requests, four.unique_keys), (4, 2));
        assert_eq!(kept.keys, [0, 1, 0, 1]);
        let sink = &mut Trace::default();
        let (at, problem) = read(b"a\nb\na\nb\na\n", &TraceFormat::Text, sink).unwrap_err();
        assert_eq!(at, Position::Line(5));
        assert_eq!(problem, TraceProblem::TooManyRequests { max: 4 });
        assert!(
            problem.to_string().contains("more than 4 requests"),
            "{problem}"
        );
        let (_, problem) = read(b"a\nb\nc\n", &TraceFormat::Text, sink).unwrap_err();
        assert_eq!(problem, TraceProblem::TooManyKeys);
        assert!(problem.to_string().contains("distinct keys"), "{problem}");
        let format = csv(KeyColumn::Index(1), true);
        let csv = read(b"k\na\nb\na\nb\n\"a\"\n", &format, sink);
        assert_eq!(csv.unwrap_err().0, Position::Line(6));
        assert_eq!(READ_LIMITS.requests, MAX_TRACE_REQUESTS);
        assert_eq!(READ_LIMITS.keys, MAX_TRACE_KEYS);
    }

    #[test]
    fn empty_traces_and_format_detection() {
        let empty = read_trace("e.txt", b"\n\n", &TraceFormat::Text).unwrap_err();
        assert_eq!(empty.to_string(), "e.txt: the trace contains no requests");
        assert_eq!(
            TraceFormat::from_file_name("x.CSV"),
            csv(KeyColumn::Index(1), false)
        );
        assert_eq!(
            TraceFormat::from_file_name("w.oracleGeneral.zst"),
            TraceFormat::OracleGeneral
        );
        assert_eq!(TraceFormat::from_file_name("keys.log"), TraceFormat::Text);
        assert_eq!(KeyColumn::parse("3"), KeyColumn::Index(3));
        assert_eq!(KeyColumn::parse("obj"), KeyColumn::Name("obj".into()));
    }
}
