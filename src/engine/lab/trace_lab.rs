//! The Trace Lab's work, as the browser's worker runs it: a trace read once as a stream (it is a
//! [`RequestSink`]), giving its summary, LRU's curve from stack distances at every size, and, from
//! the requests it keeps (every one, or the SHARDS sample's), every other policy simulated at the
//! curve's sizes. The numbers are `cachesim mrc`'s for the same trace and sizes: the same stack
//! pass, the same sizes ([`log_spaced`]), the same replays and the same adjustment of sampled
//! ones (`tests/trace_lab.rs` holds the two side by side). `cachesim` keeps its requests in a
//! file on disk; a browser has none, so here they wait in memory, bounded by
//! [`MAX_KEPT_REQUESTS`] (past that, the lab asks for a sample).

use crate::engine::mrc::{
    DEFAULT_POINTS, LruCurve, LruCurveBuilder, MrcCurve, MrcPoint, Popularity, ReuseBucket,
    SAMPLE_SCALE, SampleKeeper, Sampling, log_spaced, sample_value, scaled_size,
};
use crate::engine::trace::MAX_TRACE_KEYS;
use crate::engine::{
    ByteCapacity, Capacity, NextUse, PolicyKind, PolicyOptions, RequestSink, Requests,
    TraceSummary, replay, replay_in_bytes,
};

/// The most requests kept for the policies' replays: 12 bytes each (key and size), so 600 MB.
pub const MAX_KEPT_REQUESTS: usize = 50_000_000;

/// Byte sizes the LRU curve answers for: every power of 2^(1/16) from 1 byte to 1 TiB, rounded
/// (the curve's sizes in bytes are picked among them, as the working set is known only at the
/// end of the one pass).
pub fn byte_grid() -> Vec<u64> {
    let mut grid: Vec<u64> = (0..=16 * 40)
        .map(|step| libm::exp2(f64::from(step) / 16.0).round() as u64)
        .collect();
    grid.dedup();
    grid
}

/// The grid's sizes nearest [`log_spaced`]'s for a working set of `total` bytes.
fn byte_sizes(grid: &[u64], total: u64) -> Vec<u64> {
    let mut sizes: Vec<u64> = log_spaced(total, DEFAULT_POINTS)
        .into_iter()
        .map(|target| {
            let above = grid.partition_point(|&size| size < target);
            let below = above.saturating_sub(1);
            match (grid.get(below), grid.get(above)) {
                (Some(&low), Some(&high)) if target - low <= high - target => low,
                (_, Some(&high)) => high,
                (Some(&low), None) => low,
                (None, None) => target,
            }
        })
        .collect();
    sizes.dedup();
    sizes
}

/// What to compute.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLabSettings {
    /// The policies, in order (LRU from stack distances, the others simulated).
    pub policies: Vec<PolicyKind>,
    /// Every request, or a SHARDS sample of the keys.
    pub sampling: Sampling,
    /// Whether caches count bytes (each request's size) rather than entries.
    pub in_bytes: bool,
    /// The seed of the policies that choose at random (`cachesim` gives a trace 1, a workload
    /// its own seed).
    pub seed: u64,
}

/// The lab: give it the trace's requests, then [`TraceLab::finish`].
#[derive(Debug)]
pub struct TraceLab {
    settings: TraceLabSettings,
    curve: LruCurveBuilder,
    grid: Vec<u64>,
    /// The requests kept for the replays (those of keys sampled so far, when sampling).
    kept: Requests,
    /// Requests given so far.
    requests: u64,
}

/// What the lab found.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLabResult {
    /// The whole trace's requests, distinct keys and bytes.
    pub summary: TraceSummary,
    /// With sampling: the final threshold (out of [`SAMPLE_SCALE`]), and the sample's keys and
    /// requests.
    pub sample: Option<SampleFound>,
    /// One curve per policy, in the settings' order.
    pub curves: Vec<MrcCurve>,
    /// How the requests spread over the keys (the sample's, scaled, when sampled).
    pub popularity: Popularity,
    /// Reuses by stack depth.
    pub reuse: Vec<ReuseBucket>,
}

/// The SHARDS sample a result comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleFound {
    /// The final threshold: the rate is threshold / 2^24.
    pub threshold: u32,
    /// Distinct keys sampled.
    pub keys: u64,
    /// Their requests.
    pub requests: u64,
}

impl TraceLab {
    /// A lab for `settings`.
    pub fn new(settings: TraceLabSettings) -> Self {
        let grid = if settings.in_bytes {
            byte_grid()
        } else {
            Vec::new()
        };
        Self {
            // The distinct keys are known only at the end (`finish_for_keys`); until then the
            // histogram is bounded by the most keys a trace may have.
            curve: LruCurveBuilder::new(settings.sampling, MAX_TRACE_KEYS as u64, &grid),
            settings,
            grid,
            kept: Requests::default(),
            requests: 0,
        }
    }

    /// Requests given so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Whether the requests kept for the replays are past [`MAX_KEPT_REQUESTS`] (every later
    /// request is then refused by [`TraceLab::finish`]).
    pub fn is_over_budget(&self) -> bool {
        self.kept.keys.len() > MAX_KEPT_REQUESTS
    }

    /// The curves, once every request was given, with what the reader found (`summary`: the
    /// requests, distinct keys and bytes; the lab does not count the keys again). An error (in
    /// words) if the requests kept were past [`MAX_KEPT_REQUESTS`], or the sample holds none.
    pub fn finish(self, summary: TraceSummary) -> Result<TraceLabResult, String> {
        if self.is_over_budget() {
            return Err(format!(
                "the trace has more than {MAX_KEPT_REQUESTS} requests to keep for the replays: sample its keys"
            ));
        }
        let Self {
            settings,
            curve,
            grid,
            kept,
            ..
        } = self;
        let curve = curve.finish_for_keys(summary.unique_keys as u64);
        let threshold = curve.threshold;
        let sampled = threshold < SAMPLE_SCALE;
        // Those kept before the threshold last dropped may be past it now.
        let (kept, kept_summary) = if sampled {
            keep_sampled(&kept, threshold)
        } else {
            (kept, summary)
        };
        if sampled && kept.keys.is_empty() {
            return Err(format!(
                "the sample holds none of the trace's {} distinct keys: sample more of them",
                summary.unique_keys
            ));
        }
        let sizes = if settings.in_bytes {
            byte_sizes(&grid, summary.working_set)
        } else {
            log_spaced(summary.unique_keys as u64, DEFAULT_POINTS)
        };
        let options = PolicyOptions {
            mean_object_size: kept_summary.mean_object_size(),
            seed: settings.seed,
            ..PolicyOptions::default()
        };
        let future = settings
            .policies
            .contains(&PolicyKind::Opt)
            .then(|| NextUse::from_trace(&kept.keys));
        let no_future = NextUse::from_trace(&[]);
        let mut curves = Vec::with_capacity(settings.policies.len());
        for &kind in &settings.policies {
            let future = future.as_ref().unwrap_or(&no_future);
            let points = sizes
                .iter()
                .map(|&size| {
                    let replayed = Replayed {
                        kept: &kept,
                        future,
                        options: &options,
                        requests: summary.requests,
                        threshold,
                    };
                    point(kind, size, settings.in_bytes, &curve, &replayed)
                })
                .collect::<Result<_, String>>()?;
            curves.push(MrcCurve {
                policy: kind,
                points,
            });
        }
        Ok(TraceLabResult {
            summary,
            sample: sampled.then_some(SampleFound {
                threshold,
                keys: kept_summary.unique_keys as u64,
                requests: kept.keys.len() as u64,
            }),
            curves,
            popularity: curve.popularity.clone(),
            reuse: curve.reuse_histogram(),
        })
    }
}

/// What a point's replay replays.
struct Replayed<'a> {
    kept: &'a Requests,
    future: &'a NextUse,
    options: &'a PolicyOptions,
    /// The whole trace's requests.
    requests: u64,
    threshold: u32,
}

/// `kind` at `size`: from LRU's stack where that is exact, else replayed.
fn point(
    kind: PolicyKind,
    size: u64,
    in_bytes: bool,
    curve: &LruCurve,
    replayed: &Replayed,
) -> Result<MrcPoint, String> {
    if kind == PolicyKind::Lru
        && let Some(point) = curve.stack_point(size, in_bytes)
    {
        return Ok(point);
    }
    let simulated = scaled_size(size, replayed.threshold);
    let keys = replayed.kept.keys.iter().copied();
    let (result, bytes) = if in_bytes {
        let capacity = ByteCapacity::new(u128::from(simulated)).map_err(|e| e.to_string())?;
        let mut policy = kind.build_in_bytes(capacity, replayed.options, replayed.future);
        let requests = keys.zip(replayed.kept.sizes.iter().copied());
        let (result, bytes) = replay_in_bytes(policy.as_mut(), requests);
        (result, Some(bytes))
    } else {
        let capacity = Capacity::new(u128::from(simulated)).map_err(|e| e.to_string())?;
        let mut policy = kind.build_for_trace(capacity, replayed.options, replayed.future);
        (replay(policy.as_mut(), keys), None)
    };
    Ok(MrcPoint::simulated(
        size,
        simulated,
        (result.misses, result.requests),
        bytes,
        replayed.requests,
        replayed.threshold,
    ))
}

/// The requests of `kept` whose keys fall below `threshold`, and what they add up to.
fn keep_sampled(kept: &Requests, threshold: u32) -> (Requests, TraceSummary) {
    let mut keeper = SampleKeeper::default();
    let mut sample = Requests::default();
    keeper.keep(kept, threshold, &mut sample);
    (sample, keeper.summary())
}

impl RequestSink for TraceLab {
    fn take(&mut self, batch: &Requests) {
        let in_bytes = self.settings.in_bytes;
        let sizes: &[u32] = if in_bytes { &batch.sizes } else { &[] };
        self.curve.access_all(&batch.keys, sizes);
        self.requests += batch.len() as u64;
        if self.is_over_budget() {
            return;
        }
        let threshold = self.curve.threshold();
        for (index, &key) in batch.keys.iter().enumerate() {
            if threshold < SAMPLE_SCALE && sample_value(key) >= threshold {
                continue;
            }
            self.kept.keys.push(key);
            if let Some(&size) = sizes.get(index) {
                self.kept.sizes.push(size);
            }
        }
    }
}
