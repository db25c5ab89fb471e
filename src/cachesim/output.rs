//! `cachesim sim` results as an aligned table or one JSON object.

use std::fmt::Write;

use crate::engine::PolicyKind;

/// One policy at one size.
#[derive(Clone, Debug, PartialEq)]
pub struct SimRow {
    /// The policy.
    pub policy: PolicyKind,
    /// The cache size in entries.
    pub size: u64,
    /// Requests that hit.
    pub hits: u64,
    /// Requests that missed.
    pub misses: u64,
    /// Entries that left (to make room, or expired with --ttl).
    pub evictions: u64,
    /// Replay speed, measured on this machine.
    pub requests_per_sec: u64,
}

impl SimRow {
    /// Misses per request.
    pub fn miss_ratio(&self) -> f64 {
        let requests = self.hits + self.misses;
        if requests == 0 {
            0.0
        } else {
            self.misses as f64 / requests as f64
        }
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
    /// One row per policy and size, policies in the order given, then sizes.
    pub rows: Vec<SimRow>,
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
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
        let mut out = format!(
            "{} requests{warmup}, {} distinct keys\n\n",
            grouped(self.requests),
            grouped(self.unique_keys)
        );
        let header = [
            "policy",
            "size",
            "hits",
            "misses",
            "miss ratio",
            "evictions",
            "requests/s",
        ];
        let cells: Vec<[String; 7]> = self
            .rows
            .iter()
            .map(|row| {
                [
                    row.policy.id().to_owned(),
                    grouped(row.size),
                    grouped(row.hits),
                    grouped(row.misses),
                    format!("{:.4}", row.miss_ratio()),
                    grouped(row.evictions),
                    grouped(row.requests_per_sec),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|column| {
                cells
                    .iter()
                    .map(|row| row[column].len())
                    .chain([header[column].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut line = |fields: &[&str]| {
            for (column, field) in fields.iter().enumerate() {
                if column == 0 {
                    let _ = write!(out, "{field:<width$}", width = widths[0]);
                } else {
                    let _ = write!(out, "  {field:>width$}", width = widths[column]);
                }
            }
            out.push('\n');
        };
        line(&header);
        for row in &cells {
            line(&row.iter().map(String::as_str).collect::<Vec<_>>());
        }
        out
    }

    /// One JSON object: `{"trace":{"requests":N,"unique_keys":U},"results":[…]}`.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct TraceJson {
            requests: u64,
            unique_keys: u64,
            warmup: u64,
        }
        #[derive(serde::Serialize)]
        struct RowJson {
            policy: &'static str,
            size: u64,
            hits: u64,
            misses: u64,
            miss_ratio: f64,
            evictions: u64,
            requests_per_sec: u64,
        }
        #[derive(serde::Serialize)]
        struct ReportJson {
            trace: TraceJson,
            results: Vec<RowJson>,
        }
        let report = ReportJson {
            trace: TraceJson {
                requests: self.requests,
                unique_keys: self.unique_keys,
                warmup: self.warmup,
            },
            results: self
                .rows
                .iter()
                .map(|row| RowJson {
                    policy: row.policy.id(),
                    size: row.size,
                    hits: row.hits,
                    misses: row.misses,
                    miss_ratio: row.miss_ratio(),
                    evictions: row.evictions,
                    requests_per_sec: row.requests_per_sec,
                })
                .collect(),
        };
        super::json_line(&report)
    }
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
            rows: vec![SimRow {
                policy: PolicyKind::Lru,
                size: 100,
                hits: 750_000,
                misses: 250_000,
                evictions: 249_900,
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
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
