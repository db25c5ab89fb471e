//! `cachesim mrc`: miss-ratio curves. LRU's whole curve comes from one pass of stack distances
//! (`engine::mrc`); every other policy is simulated at the curve's sizes, all of them together in
//! one pass over the spilled requests, as `cachesim sim` replays. With SHARDS sampling the LRU
//! curve is the sample's, scaled, and the other policies are miniature simulations of the sampled
//! requests at the sizes scaled by the rate (Waldspurger et al., ATC'17, "Cache Modeling and
//! Optimization using Miniature Simulations"); OPT's future is then the sample's own. Where we
//! go past that paper: a miniature simulation's miss ratio gets the same SHARDS_adj correction as
//! LRU's sampled curve (misses over the requests the rate should have sampled), so that every
//! policy is estimated the same way and the curves compare; byte miss ratios are not adjusted.

use std::fmt::Write as _;

use super::args::{MrcArgs, Sample};
use super::output::{TraceBytes, TraceJson, grouped};
use super::spill::{self, Shape, SpillWriter};
use super::{
    CacheSize, Replaying, Spilled, progress_bar, replay_jobs, resolve_sizes, spill_requests,
};
use crate::config::limits;
use crate::engine::mrc::{
    DEFAULT_POINTS, LruCurve, LruCurveBuilder, Method, MrcCurve, MrcPoint, Popularity, ReuseBucket,
    SAMPLE_SCALE, SampleKeeper, Sampling, log_spaced, rate_of, scaled_size, threshold_of_rate,
};
use crate::engine::{
    ByteCapacity, Capacity, Fields, PolicyKind, RequestSink, Requests, TraceSummary,
};

/// The SHARDS sample the curves come from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SampleReport {
    /// `rate` (fixed) or `size` (a fixed number of keys, the rate lowered as needed).
    pub mode: &'static str,
    /// The final threshold out of 2^24.
    pub threshold: u32,
    /// The share of the keys tracked: threshold / 2^24.
    pub rate: f64,
    /// Requests of the sampled keys.
    pub requests: u64,
    /// Sampled keys.
    pub keys: u64,
}

/// Everything one `cachesim mrc` run found.
#[derive(Clone, Debug, PartialEq)]
pub struct MrcReport {
    /// Requests read.
    pub requests: u64,
    /// Distinct keys requested.
    pub unique_keys: u64,
    /// With object sizes, what the trace's sizes add up to.
    pub bytes: Option<TraceBytes>,
    /// The sample, when sampled.
    pub sample: Option<SampleReport>,
    /// One curve per policy, in the order given.
    pub curves: Vec<MrcCurve>,
    /// With LRU's pass: how the requests spread over the keys (the sample's, when sampled).
    pub popularity: Option<Popularity>,
    /// With LRU's pass: reuses by stack depth.
    pub reuse: Option<Vec<ReuseBucket>>,
}

/// Runs `cachesim mrc`.
pub fn run_mrc(args: &MrcArgs, progress: bool) -> Result<MrcReport, String> {
    let sim = &args.sim;
    let fields = Fields {
        times: false,
        sizes: sim.object_sizes,
        next_access: false,
    };
    let spilled = spill_requests(&sim.source, fields)?;
    let summary = spilled.summary;
    let requests = spilled.spill.requests();
    let distinct = summary.unique_keys as u64;
    let sizes = if args.default_sizes {
        default_sizes(&summary, sim.object_sizes)?
    } else {
        resolve_sizes(sim, &summary)?
    };
    let byte_sizes: Vec<u64> = sizes
        .iter()
        .filter_map(|&size| match size {
            CacheSize::Bytes(capacity) => Some(capacity.get()),
            CacheSize::Entries(_) => None,
        })
        .collect();
    let sampling = match args.sample {
        Sample::Every => Sampling::Every,
        Sample::Rate(rate) => Sampling::Rate {
            threshold: threshold_of_rate(rate),
        },
        // Within MRC_SAMPLE_KEYS, so it fits.
        Sample::Keys(keys) => Sampling::FixedSize {
            keys: keys as usize,
        },
    };
    let wants_lru = sim.policies.contains(&PolicyKind::Lru);
    // The stack holds every key tracked, about as a cache of them all would.
    let tracked = match sampling {
        Sampling::FixedSize { keys } => distinct.min(keys as u64),
        _ => distinct,
    };
    limits::ReplayShape {
        distinct: tracked,
        opt: false,
        largest: tracked,
        sizes: sim.object_sizes,
    }
    .check_memory()?;
    let curve = if wants_lru || matches!(sampling, Sampling::FixedSize { .. }) {
        Some(lru_curve(
            &spilled,
            sampling,
            distinct,
            &byte_sizes,
            progress,
        )?)
    } else {
        None
    };
    let threshold = match (sampling, &curve) {
        (Sampling::Rate { threshold }, _) => threshold,
        (Sampling::FixedSize { .. }, Some(curve)) => curve.threshold,
        _ => SAMPLE_SCALE,
    };
    let sampled = if threshold < SAMPLE_SCALE {
        let sampled = sample_spill(&spilled, threshold, sim.object_sizes)?;
        if sampled.spill.requests() == 0 {
            return Err(format!(
                "the sample ({} of the keys) holds none of the trace's {distinct} distinct keys: use a larger --sample or --sample-size",
                percent(rate_of(threshold))
            ));
        }
        Some(sampled)
    } else {
        None
    };
    let replayed = sampled.as_ref().unwrap_or(&spilled);
    // The LRU points the stack gives exactly need no replay.
    let from_stack = |kind: PolicyKind, size: CacheSize| {
        curve
            .as_ref()
            .filter(|_| kind == PolicyKind::Lru)
            .and_then(|curve| curve.stack_point(size.get(), sim.object_sizes))
    };
    let mut jobs = Vec::new();
    for &kind in &sim.policies {
        for &size in &sizes {
            if from_stack(kind, size).is_none() {
                jobs.push((kind, scaled(size, threshold)?));
            }
        }
    }
    let simulated: Vec<PolicyKind> = sim
        .policies
        .iter()
        .copied()
        .filter(|&kind| jobs.iter().any(|&(job, _)| job == kind))
        .collect();
    limits::check_sim_work(replayed.spill.requests(), &simulated, sizes.len()).map_err(|e| {
        if sampled.is_none() {
            format!("{e}; or sample the keys (--sample 0.01)")
        } else {
            e
        }
    })?;
    let how = Replaying {
        warmup: 0,
        progress,
        room: limits::PASS_ROOM,
        batch_size: spill::BATCH,
    };
    let mut rows = replay_jobs(replayed, &jobs, sim, how)?.into_iter();
    let mut curves = Vec::with_capacity(sim.policies.len());
    for &kind in &sim.policies {
        let mut points = Vec::with_capacity(sizes.len());
        for &size in &sizes {
            let point = match from_stack(kind, size) {
                Some(point) => point,
                None => {
                    let row = rows
                        .next()
                        .ok_or("a replay's result went missing (a bug in cachesim)")?;
                    MrcPoint::simulated(
                        size.get(),
                        row.size,
                        (row.misses, row.hits + row.misses),
                        row.bytes,
                        requests,
                        threshold,
                    )
                }
            };
            points.push(point);
        }
        curves.push(MrcCurve {
            policy: kind,
            points,
        });
    }
    Ok(MrcReport {
        requests,
        unique_keys: distinct,
        bytes: sim.object_sizes.then_some(TraceBytes {
            working_set: summary.working_set,
            zero_sized: summary.zero_sized,
        }),
        sample: sampled.as_ref().map(|sampled| SampleReport {
            mode: match sampling {
                Sampling::FixedSize { .. } => "size",
                _ => "rate",
            },
            threshold,
            rate: rate_of(threshold),
            requests: sampled.spill.requests(),
            keys: sampled.summary.unique_keys as u64,
        }),
        curves,
        popularity: curve.as_ref().map(|curve| curve.popularity.clone()),
        reuse: curve.as_ref().map(LruCurve::reuse_histogram),
    })
}

/// `size` as the sample at `threshold` sees it: scaled by the rate, at least 1.
fn scaled(size: CacheSize, threshold: u32) -> Result<CacheSize, String> {
    let scaled = u128::from(scaled_size(size.get(), threshold));
    Ok(match size {
        CacheSize::Entries(_) => {
            CacheSize::Entries(Capacity::new(scaled).map_err(|e| format!("--size: {e}"))?)
        }
        CacheSize::Bytes(_) => {
            CacheSize::Bytes(ByteCapacity::new(scaled).map_err(|e| format!("--size: {e}"))?)
        }
    })
}

/// [`DEFAULT_POINTS`] sizes evenly spaced on a log scale from a thousandth of the distinct keys
/// (with object sizes, of the working set's bytes) to all of them; fewer where they would repeat.
fn default_sizes(summary: &TraceSummary, bytes: bool) -> Result<Vec<CacheSize>, String> {
    let total = if bytes {
        summary.working_set
    } else {
        summary.unique_keys as u64
    };
    log_spaced(total, DEFAULT_POINTS)
        .into_iter()
        .map(|size| {
            if bytes {
                ByteCapacity::new(u128::from(size))
                    .map(CacheSize::Bytes)
                    .map_err(|e| format!("--size: {e}"))
            } else {
                Capacity::new(u128::from(size))
                    .map(CacheSize::Entries)
                    .map_err(|e| format!("--size: {e}"))
            }
        })
        .collect()
}

/// LRU's curve over the spilled requests, answering for every entry count up to the distinct
/// keys and for `byte_sizes`.
fn lru_curve(
    spilled: &Spilled,
    sampling: Sampling,
    distinct: u64,
    byte_sizes: &[u64],
    progress: bool,
) -> Result<LruCurve, String> {
    let requests = spilled.spill.requests();
    let bar = progress_bar(requests, progress && requests >= 1_000_000);
    bar.set_message(", LRU's stack distances");
    let mut builder = LruCurveBuilder::new(sampling, distinct, byte_sizes);
    let mut batches = spilled.spill.batches(spill::BATCH)?;
    let mut batch = Requests::default();
    while batches.next_into(&mut batch)? {
        builder.access_all(&batch.keys, &batch.sizes);
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    Ok(builder.finish())
}

/// The spilled requests of the keys sampled at `threshold`, in a spill of their own, with what
/// they add up to.
fn sample_spill(spilled: &Spilled, threshold: u32, sizes: bool) -> Result<Spilled, String> {
    let mut writer = SpillWriter::new(Shape {
        sizes,
        times: false,
    })?;
    let mut keeper = SampleKeeper::default();
    let mut batches = spilled.spill.batches(spill::BATCH)?;
    let mut batch = Requests::default();
    let mut kept = Requests::default();
    while batches.next_into(&mut batch)? {
        kept.clear();
        keeper.keep(&batch, threshold, &mut kept);
        writer.take(&kept);
    }
    let (spill, _) = writer.finish()?;
    Ok(Spilled {
        spill,
        given_future: None,
        summary: keeper.summary(),
    })
}

impl MrcReport {
    /// An aligned, human-readable table.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{} requests, {} distinct keys",
            grouped(self.requests),
            grouped(self.unique_keys)
        );
        if let Some(bytes) = self.bytes {
            let _ = write!(
                out,
                ", {} bytes of distinct objects",
                grouped(bytes.working_set)
            );
            if bytes.zero_sized > 0 {
                let _ = write!(
                    out,
                    " ({} requests of size 0 left out)",
                    grouped(bytes.zero_sized)
                );
            }
        }
        out.push('\n');
        if let Some(sample) = &self.sample {
            let _ = writeln!(
                out,
                "SHARDS sample{}: {} of the keys ({} keys, {} requests); other policies simulated on the sample at sizes scaled by the rate",
                if sample.mode == "size" {
                    ", fixed size"
                } else {
                    ""
                },
                percent(sample.rate),
                grouped(sample.keys),
                grouped(sample.requests)
            );
        }
        if let Some(popularity) = &self.popularity {
            let _ = writeln!(
                out,
                "popularity: the most requested key {} times; fitted Zipf skew {:.2}",
                grouped(popularity.points.first().map_or(0, |&(_, count)| count)),
                popularity.skew
            );
        }
        out.push('\n');
        let bytes = self.bytes.is_some();
        let mut header = vec![
            "policy",
            if bytes { "size (bytes)" } else { "size" },
            "miss ratio",
        ];
        if bytes {
            header.push("byte miss ratio");
        }
        header.push("from");
        let mut table = vec![header.iter().map(|&cell| cell.to_owned()).collect()];
        for curve in &self.curves {
            for point in &curve.points {
                let mut cells = vec![
                    curve.policy.id().to_owned(),
                    grouped(point.size),
                    format!("{:.4}", point.miss_ratio),
                ];
                if bytes {
                    cells.push(format!("{:.4}", point.byte_miss_ratio.unwrap_or(0.0)));
                }
                cells.push(match (point.method, point.simulated_size) {
                    (Method::Stack, _) if self.sample.is_some() => {
                        "stack distances of the sample".to_owned()
                    }
                    (Method::Stack, _) => "stack distances".to_owned(),
                    (Method::Simulated, Some(size)) => {
                        format!("simulated at {} (sampled)", grouped(size))
                    }
                    (Method::Simulated, None) => "simulated".to_owned(),
                });
                table.push(cells);
            }
        }
        out.push_str(&super::output::aligned(&table));
        out
    }

    /// One line of JSON.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            trace: TraceJson,
            sample: Option<&'a SampleReport>,
            curves: &'a [MrcCurve],
            #[serde(skip_serializing_if = "Option::is_none")]
            popularity: Option<&'a Popularity>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reuse: Option<&'a [ReuseBucket]>,
        }
        super::json_line(&Json {
            trace: TraceJson::new(self.requests, self.unique_keys, None, self.bytes),
            sample: self.sample.as_ref(),
            curves: &self.curves,
            popularity: self.popularity.as_ref(),
            reuse: self.reuse.as_deref(),
        })
    }
}

/// A rate as a percentage, with the digits that matter: `1%`, `0.0977%`.
fn percent(rate: f64) -> String {
    let percent = rate * 100.0;
    let text = format!("{percent:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}
