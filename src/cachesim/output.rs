//! `cachesim sim` results as an aligned table or one JSON object.

use std::fmt::Write;

use crate::engine::{ByteTotals, PolicyKind};

/// One policy at one size.
#[derive(Clone, Debug, PartialEq)]
pub struct SimRow {
    /// The policy.
    pub policy: PolicyKind,
    /// The cache size in entries, or in bytes with object sizes.
    pub size: u64,
    /// Requests that hit.
    pub hits: u64,
    /// Requests that missed.
    pub misses: u64,
    /// Entries that left (to make room, or expired with --ttl).
    pub evictions: u64,
    /// With object sizes, the bytes requested and missed.
    pub bytes: Option<ByteTotals>,
    /// Replay speed, measured on this machine.
    pub requests_per_sec: u64,
}

impl SimRow {
    /// Misses per request.
    pub fn miss_ratio(&self) -> f64 {
        crate::engine::stats::ratio(self.misses, self.hits + self.misses)
    }
}

/// Everything one `cachesim sim` run found.
#[derive(Clone, Debug, PartialEq)]
pub struct SimReport {
    /// Requests replayed.
    pub requests: u64,
    /// The first of them, replayed but not counted (`--warmup`).
    pub warmup: u64,
    /// Distinct keys requested.
    pub unique_keys: u64,
    /// With object sizes, what the trace's sizes add up to.
    pub bytes: Option<TraceBytes>,
    /// One row per policy and size, policies in the order given, then sizes.
    pub rows: Vec<SimRow>,
}

/// A trace read with its object sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceBytes {
    /// The distinct objects' bytes, each at its first size.
    pub working_set: u64,
    /// Requests of size 0, left out.
    pub zero_sized: u64,
}

/// `1234567` as `1,234,567`.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

impl SimReport {
    /// An aligned, human-readable table.
    pub fn to_table(&self) -> String {
        let warmup = if self.warmup > 0 {
            format!(
                " (the first {} warm the caches up and are not counted)",
                grouped(self.warmup)
            )
        } else {
            String::new()
        };
        let sized = match self.bytes {
            Some(bytes) if bytes.zero_sized > 0 => format!(
                ", {} bytes of distinct objects ({} requests of size 0 left out)",
                grouped(bytes.working_set),
                grouped(bytes.zero_sized)
            ),
            Some(bytes) => format!(", {} bytes of distinct objects", grouped(bytes.working_set)),
            None => String::new(),
        };
        let mut out = format!(
            "{} requests{warmup}, {} distinct keys{sized}\n\n",
            grouped(self.requests),
            grouped(self.unique_keys)
        );
        let mut header = vec![
            "policy",
            if self.bytes.is_some() {
                "size (bytes)"
            } else {
                "size"
            },
            "hits",
            "misses",
            "miss ratio",
        ];
        if self.bytes.is_some() {
            header.push("byte miss ratio");
        }
        header.extend(["evictions", "requests/s"]);
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![
                    row.policy.id().to_owned(),
                    grouped(row.size),
                    grouped(row.hits),
                    grouped(row.misses),
                    format!("{:.4}", row.miss_ratio()),
                ];
                if let Some(bytes) = row.bytes {
                    cells.push(format!("{:.4}", bytes.miss_ratio()));
                }
                cells.extend([grouped(row.evictions), grouped(row.requests_per_sec)]);
                cells
            })
            .collect();
        let mut table = vec![header.iter().map(|&cell| cell.to_owned()).collect()];
        table.extend(cells);
        out.push_str(&aligned(&table));
        out
    }

    /// One JSON object: `{"trace":{"requests":N,"unique_keys":U},"results":[…]}`.
    pub fn to_json(&self) -> String {
        // The byte fields appear only with object sizes, so a run without them prints what it
        // always did.
        #[derive(serde::Serialize)]
        struct RowJson {
            policy: &'static str,
            size: u64,
            hits: u64,
            misses: u64,
            miss_ratio: f64,
            #[serde(skip_serializing_if = "Option::is_none")]
            byte_miss_ratio: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            bytes_requested: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            bytes_missed: Option<u64>,
            evictions: u64,
            requests_per_sec: u64,
        }
        #[derive(serde::Serialize)]
        struct ReportJson {
            trace: TraceJson,
            results: Vec<RowJson>,
        }
        let report = ReportJson {
            trace: TraceJson::new(
                self.requests,
                self.unique_keys,
                Some(self.warmup),
                self.bytes,
            ),
            results: self
                .rows
                .iter()
                .map(|row| RowJson {
                    policy: row.policy.id(),
                    size: row.size,
                    hits: row.hits,
                    misses: row.misses,
                    miss_ratio: row.miss_ratio(),
                    byte_miss_ratio: row.bytes.map(|bytes| bytes.miss_ratio()),
                    bytes_requested: row.bytes.map(|bytes| bytes.requested),
                    bytes_missed: row.bytes.map(|bytes| bytes.missed),
                    evictions: row.evictions,
                    requests_per_sec: row.requests_per_sec,
                })
                .collect(),
        };
        super::json_line(&report)
    }
}

/// What `--json` says of the trace (`sim` and `mrc` alike). The byte fields appear only with
/// object sizes, so a run without them prints what it always did.
#[derive(serde::Serialize)]
pub(super) struct TraceJson {
    requests: u64,
    unique_keys: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    warmup: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_set_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zero_sized_requests: Option<u64>,
}

impl TraceJson {
    /// The trace of `requests` requests over `unique_keys` keys, with its warm-up if it has one
    /// (`sim`), and its bytes when sizes were read.
    pub(super) fn new(
        requests: u64,
        unique_keys: u64,
        warmup: Option<u64>,
        bytes: Option<TraceBytes>,
    ) -> Self {
        Self {
            requests,
            unique_keys,
            warmup,
            size_unit: bytes.map(|_| "bytes"),
            working_set_bytes: bytes.map(|bytes| bytes.working_set),
            zero_sized_requests: bytes.map(|bytes| bytes.zero_sized),
        }
    }
}

/// `rows` (the first is the header) as aligned columns: the first to the left, the others to the
/// right.
pub(super) fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .map(|row| row.get(column).map_or(0, String::len))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (column, field) in row.iter().enumerate() {
            let width = widths.get(column).copied().unwrap_or(0);
            if column == 0 {
                let _ = write!(out, "{field:<width$}");
            } else {
                let _ = write!(out, "  {field:>width$}");
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_json() {
        let report = SimReport {
            requests: 1_000_000,
            warmup: 0,
            unique_keys: 1_000,
            bytes: None,
            rows: vec![SimRow {
                policy: PolicyKind::Lru,
                size: 100,
                hits: 750_000,
                misses: 250_000,
                evictions: 249_900,
                bytes: None,
                requests_per_sec: 25_000_000,
            }],
        };
        assert_eq!(
            report.to_table(),
            "1,000,000 requests, 1,000 distinct keys\n\n\
             policy  size     hits   misses  miss ratio  evictions  requests/s\n\
             lru      100  750,000  250,000      0.2500    249,900  25,000,000\n"
        );
        assert_eq!(
            report.to_json(),
            "{\"trace\":{\"requests\":1000000,\"unique_keys\":1000,\"warmup\":0},\"results\":[{\"policy\":\"lru\",\"size\":100,\"hits\":750000,\"misses\":250000,\"miss_ratio\":0.25,\"evictions\":249900,\"requests_per_sec\":25000000}]}\n"
        );
        let sized = SimReport {
            bytes: Some(TraceBytes {
                working_set: 4_096_000,
                zero_sized: 3,
            }),
            rows: vec![SimRow {
                size: 409_600,
                bytes: Some(ByteTotals {
                    requested: 4_000_000_000,
                    missed: 2_000_000_000,
                }),
                ..report.rows[0].clone()
            }],
            ..report.clone()
        };
        assert_eq!(
            sized.to_table(),
            "1,000,000 requests, 1,000 distinct keys, 4,096,000 bytes of distinct objects (3 requests of size 0 left out)\n\n\
             policy  size (bytes)     hits   misses  miss ratio  byte miss ratio  evictions  requests/s\n\
             lru          409,600  750,000  250,000      0.2500           0.5000    249,900  25,000,000\n"
        );
        assert_eq!(
            sized.to_json(),
            "{\"trace\":{\"requests\":1000000,\"unique_keys\":1000,\"warmup\":0,\"size_unit\":\"bytes\",\"working_set_bytes\":4096000,\"zero_sized_requests\":3},\"results\":[{\"policy\":\"lru\",\"size\":409600,\"hits\":750000,\"misses\":250000,\"miss_ratio\":0.25,\"byte_miss_ratio\":0.5,\"bytes_requested\":4000000000,\"bytes_missed\":2000000000,\"evictions\":249900,\"requests_per_sec\":25000000}]}\n"
        );
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
