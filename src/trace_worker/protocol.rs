//! The messages between the page and the Trace Lab's worker, as typed Rust on both sides and as
//! plain JavaScript objects between them (`serde-wasm-bindgen`). The trace itself travels beside
//! the message as a `File` (or `Blob`): the browser hands the worker a reference, never a copy.

use crate::engine::mrc::{MrcCurve, Popularity, ReuseBucket, Sampling, threshold_of_rate};
use crate::engine::{KeyColumn, NotATrace, PolicyKind, TraceFormat, Workload};

/// How the trace is encoded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Format {
    /// One key per line (with `in_bytes`, its size as the line's last field).
    Text,
    /// Comma-separated values: the key's column and the size's, each a 1-based index or a header
    /// name.
    Csv {
        /// The key's column.
        key_column: String,
        /// The size's column (read with `in_bytes`).
        size_column: Option<String>,
        /// Whether the first row is a header (always, when a column is named).
        header: bool,
    },
    /// libCacheSim's 24-byte records, plain or zstd-compressed.
    OracleGeneral,
    /// Detected from the file's first bytes and its name ([`TraceFormat::detect`]); the columns
    /// are those a CSV file is read with.
    Auto {
        /// The key's column, for CSV.
        key_column: String,
        /// The size's column, for CSV (read with `in_bytes`).
        size_column: Option<String>,
        /// Whether a CSV file's first row is a header.
        header: bool,
    },
}

impl Format {
    /// The format a file named `name` starting with `head` is read as: this one, or for
    /// [`Format::Auto`] the one detected (never `Auto`), or what the file plainly is instead.
    pub fn resolve(&self, name: &str, head: &[u8]) -> Result<Format, NotATrace> {
        let Format::Auto {
            key_column,
            size_column,
            header,
        } = self
        else {
            return Ok(self.clone());
        };
        let csv = Format::Csv {
            key_column: key_column.clone(),
            size_column: size_column.clone(),
            header: *header,
        };
        Ok(match TraceFormat::detect(name, head, csv.trace_format())? {
            TraceFormat::Text => Format::Text,
            TraceFormat::OracleGeneral => Format::OracleGeneral,
            TraceFormat::Csv { .. } => csv,
        })
    }

    /// The engine's form (`Auto` is resolved first; unresolved, it reads as text).
    pub fn trace_format(&self) -> TraceFormat {
        match self {
            Format::Text | Format::Auto { .. } => TraceFormat::Text,
            Format::OracleGeneral => TraceFormat::OracleGeneral,
            Format::Csv {
                key_column,
                size_column,
                header,
            } => TraceFormat::Csv {
                key_column: KeyColumn::parse(key_column),
                size_column: size_column.as_deref().map(KeyColumn::parse),
                header: *header,
            },
        }
    }
}

/// Which keys feed the curves.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Sample {
    /// Every key: exact curves.
    Every,
    /// SHARDS at a fixed rate (0 to 1).
    Rate {
        /// The share of the keys tracked.
        rate: f64,
    },
    /// SHARDS tracking at most this many keys.
    Keys {
        /// The most keys tracked.
        keys: u64,
    },
}

impl Sample {
    /// The engine's form.
    pub fn sampling(self) -> Sampling {
        match self {
            Sample::Every => Sampling::Every,
            Sample::Rate { rate } => Sampling::Rate {
                threshold: threshold_of_rate(rate),
            },
            Sample::Keys { keys } => Sampling::FixedSize {
                keys: usize::try_from(keys).unwrap_or(usize::MAX).max(1),
            },
        }
    }
}

/// A generated workload (`cachesim mrc --workload`): the Trace Lab's built-in samples.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Generated {
    /// Zipf popularity with skew `alpha`.
    Zipf {
        /// The skew.
        alpha: f64,
    },
    /// Zipf interrupted by one-time scans.
    Scan {
        /// The skew.
        alpha: f64,
    },
    /// A hot tenth of the keys that moves.
    Hotspot,
}

/// Where the requests come from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// The file sent beside the run, read as `format`.
    File {
        /// Its name, for messages.
        name: String,
        /// How to read it.
        format: Format,
    },
    /// Requests generated in the worker.
    Workload {
        /// Which workload.
        workload: Generated,
        /// Distinct keys it draws from.
        keys: u64,
        /// Requests.
        requests: u64,
        /// Its seed (and the random policies').
        seed: u64,
    },
}

impl Source {
    /// The engine's workload, for a generated source.
    pub fn workload(&self) -> Option<(Workload, u64, u64)> {
        match *self {
            Source::File { .. } => None,
            Source::Workload {
                workload,
                keys,
                requests,
                seed,
            } => {
                let workload = match workload {
                    Generated::Zipf { alpha } => Workload::Zipf { keys, alpha },
                    Generated::Scan { alpha } => Workload::Scan { keys, alpha },
                    Generated::Hotspot => Workload::Hotspot { keys },
                };
                Some((workload, requests, seed))
            }
        }
    }
}

/// What the page asks: the curves of the requests `source` names (a file is sent beside this).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Run {
    /// The requests.
    pub source: Source,
    /// The policies' ids (`lru`, `s3fifo`…), in order.
    pub policies: Vec<String>,
    /// Which keys feed the curves.
    pub sample: Sample,
    /// Whether caches count bytes (each request's size) rather than entries.
    pub in_bytes: bool,
}

impl Run {
    /// The policies, or the first id that names none.
    pub fn policy_kinds(&self) -> Result<Vec<PolicyKind>, String> {
        self.policies
            .iter()
            .map(|id| id.parse::<PolicyKind>().map_err(|e| e.to_string()))
            .collect()
    }
}

/// The trace's counts, once it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Requests read (those of size 0 left out).
    pub requests: u64,
    /// Distinct keys.
    pub unique_keys: u64,
    /// The distinct objects' bytes (0 without sizes).
    pub working_set: u64,
    /// Requests of size 0 left out (only with sizes).
    pub zero_sized: u64,
}

/// The SHARDS sample the curves come from.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SampleSummary {
    /// The share of the keys tracked in the end.
    pub rate: f64,
    /// The final threshold, out of 2^24.
    pub threshold: u32,
    /// Keys sampled.
    pub keys: u64,
    /// Their requests.
    pub requests: u64,
}

/// What the worker says, in order: that it is ready; then for a run, progress while it reads,
/// then the curves or a failure.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reply {
    /// The worker is listening (its wasm is loaded): a run may be sent. A message sent before
    /// this would be lost.
    Ready,
    /// How the file is read: the format asked for, or the one detected (sent before any
    /// progress; not for a generated workload).
    Format {
        /// The format, never `Auto`.
        format: Format,
    },
    /// Read so far: bytes of the file (of a generated workload, requests), and requests.
    Progress {
        /// Bytes of the file read (a generated workload: requests made).
        bytes: u64,
        /// The file's bytes (a generated workload: its requests).
        total: u64,
        /// Requests read.
        requests: u64,
    },
    /// The file is read; the policies replay next.
    Read {
        /// What it held.
        summary: Summary,
    },
    /// The curves.
    Done {
        /// What the trace held.
        summary: Summary,
        /// The sample, when sampled.
        sample: Option<SampleSummary>,
        /// One curve per policy, in the order asked.
        curves: Vec<MrcCurve>,
        /// How the requests spread over the keys, with the fitted Zipf skew.
        popularity: Popularity,
        /// Reuses by stack depth (powers of two).
        reuse: Vec<ReuseBucket>,
    },
    /// The run failed; one sentence.
    Failed {
        /// What went wrong, where.
        message: String,
    },
}
