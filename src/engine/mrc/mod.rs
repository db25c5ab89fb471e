//! Miss-ratio curves: LRU's miss ratio at every cache size from one pass over the requests.
//!
//! LRU is a stack algorithm (Mattson, Gecsei, Slutz and Traiger, 1970, "Evaluation techniques for
//! storage hierarchies"): a cache of C entries holds the C most recently used keys, so a request
//! hits every cache at least as large as its key's depth in the recency stack. One pass that
//! records each request's depth (kept by [`RecencyStack`] in O(log M), after Olken 1981) gives the
//! hits at every size at once. In bytes the depth is the bytes of the keys above plus the key's
//! own; that is exact where our byte LRU is a stack algorithm: with a size that stays the same for
//! each key and caches no smaller than the largest object (a smaller cache never admits that object,
//! so it no longer holds a prefix of the stack). [`LruCurve::byte_point`] says which points are
//! exact; `cachesim mrc` simulates the others.
//!
//! Large traces are sampled with SHARDS (Waldspurger, Park, Garthwaite and Ahmad, FAST'15,
//! "Efficient MRC Construction with SHARDS"): a key is tracked iff a hash of it falls below a
//! threshold T out of [`SAMPLE_SCALE`], so every request for a tracked key is seen and the rate is
//! R = T / 2^24; a sampled depth d stands for d / R. With [`Sampling::Rate`] T is fixed and the
//! curve gets the paper's SHARDS_adj correction (the difference between the requests expected,
//! N·R, and those sampled is counted at the smallest depth, since the popular keys that make it
//! are hits in any cache); with [`Sampling::FixedSize`] at most a given number of keys are tracked:
//! when one more arrives the largest hashes leave, T drops to theirs and the counts so far are
//! scaled by T'/T, as in the paper's fixed-size variant.
//!
//! Where we differ from the paper: the threshold comparison is exact in integers (an estimated
//! depth is ⌈d·2^24 / T⌉), so a fixed-rate curve at rate 1 is the exact curve; the entries
//! histogram has one bucket per size rather than bins, capped at the caller's largest size; and
//! the fixed-size variant gets the adjustment too, against N·R at the final rate (on 10M Zipf(1.0)
//! requests over 1M keys with 8,192 keys tracked, `tests/lru_curve.rs`, it takes the mean absolute
//! error from 0.078 to 0.0016). Byte points are not adjusted: the missing requests' bytes are
//! unknown.

mod recency;

pub use recency::{Depth, RecencyStack};

use std::collections::BinaryHeap;

use crate::engine::{PolicyKind, Requests};

/// Thresholds count out of this many: a key is sampled iff `sample_value(key) < threshold`.
pub const SAMPLE_SCALE: u32 = 1 << 24;

/// Where a key falls in `0..SAMPLE_SCALE`, uniformly and independently of the others'.
#[inline]
pub fn sample_value(key: u64) -> u32 {
    (crate::engine::rng::mix64(key ^ 0x5348_4152_4453) >> 40) as u32
}

/// The threshold that samples `rate` (in `(0, 1]`) of the keys: at least 1 in [`SAMPLE_SCALE`].
pub fn threshold_of_rate(rate: f64) -> u32 {
    let scaled = (rate * f64::from(SAMPLE_SCALE)).round();
    if scaled.is_nan() || scaled < 1.0 {
        1
    } else if scaled >= f64::from(SAMPLE_SCALE) {
        SAMPLE_SCALE
    } else {
        scaled as u32
    }
}

/// The sizes a curve has by default.
pub const DEFAULT_POINTS: u32 = 12;

/// `points` sizes evenly spaced on a log scale from a thousandth of `total` (at least 1) to
/// `total`, rounded, without repeats (so fewer for a small total). Powers and logarithms here
/// are `libm`'s, so the browser's worker and `cachesim` get the same bits (a platform's own `pow`
/// and `log` may differ in the last place, and a size can round the other way).
pub fn log_spaced(total: u64, points: u32) -> Vec<u64> {
    let total = total.max(1);
    let smallest = (total / 1000).max(1);
    let ratio = total as f64 / smallest as f64;
    let last = points.saturating_sub(1).max(1);
    let mut sizes: Vec<u64> = (0..points.max(1))
        .map(|step| {
            let exponent = f64::from(step) / f64::from(last);
            ((smallest as f64 * libm::pow(ratio, exponent)).round() as u64).clamp(smallest, total)
        })
        .collect();
    sizes.dedup();
    sizes
}

/// A cache of `size` (entries or bytes) as a sample at `threshold` sees it: scaled by the rate,
/// rounded, at least 1 (a miniature simulation's cache, ATC'17).
pub fn scaled_size(size: u64, threshold: u32) -> u64 {
    if threshold >= SAMPLE_SCALE {
        return size;
    }
    let product = u128::from(size) * u128::from(threshold);
    let scaled = (product + u128::from(SAMPLE_SCALE / 2)) / u128::from(SAMPLE_SCALE);
    u64::try_from(scaled).unwrap_or(u64::MAX).max(1)
}

/// A miniature simulation's miss ratio, adjusted as SHARDS_adj adjusts LRU's sampled curve so
/// the policies compare on equal terms: its misses over the requests a sample at `threshold`
/// should hold (of `requests` in all), within `[0, 1]`. The requests missing from (or extra in)
/// the sample count as hits: they are the popular keys'.
pub fn adjusted_miss_ratio(misses: u64, requests: u64, threshold: u32) -> f64 {
    let expected = requests as f64 * rate_of(threshold);
    if expected <= 0.0 {
        return 0.0;
    }
    (misses as f64 / expected).clamp(0.0, 1.0)
}

/// Picks the requests of the keys a threshold samples out of batches of requests, counting what
/// they add up to.
#[derive(Debug, Default)]
pub struct SampleKeeper {
    keys: crate::engine::IdSet,
    summary: crate::engine::TraceSummary,
}

impl SampleKeeper {
    /// Appends the requests of `batch` whose keys fall below `threshold` to `out` (their sizes
    /// too, when `batch` has them).
    pub fn keep(&mut self, batch: &Requests, threshold: u32, out: &mut Requests) {
        for (index, &key) in batch.keys.iter().enumerate() {
            if sample_value(key) >= threshold {
                continue;
            }
            out.keys.push(key);
            let first = self.keys.insert(key);
            self.summary.requests += 1;
            if let Some(&size) = batch.sizes.get(index) {
                out.sizes.push(size);
                self.summary.note_size(size, first);
            }
        }
    }

    /// What the requests kept add up to.
    pub fn summary(&self) -> crate::engine::TraceSummary {
        crate::engine::TraceSummary {
            unique_keys: self.keys.len(),
            ..self.summary
        }
    }
}

/// The share of the keys `threshold` samples: threshold / 2^24.
pub fn rate_of(threshold: u32) -> f64 {
    f64::from(threshold) / f64::from(SAMPLE_SCALE)
}

/// Which requests feed the curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Every request: the exact curve.
    Every,
    /// The keys whose [`sample_value`] is below `threshold` (1 to [`SAMPLE_SCALE`]).
    Rate {
        /// The fixed threshold.
        threshold: u32,
    },
    /// At most `keys` keys, the rate lowered as more arrive.
    FixedSize {
        /// The most keys tracked (at least 1).
        keys: usize,
    },
}

/// Builds an [`LruCurve`] from requests given one at a time.
#[derive(Debug)]
pub struct LruCurveBuilder {
    stack: RecencyStack,
    sampling: Sampling,
    threshold: u32,
    /// FixedSize: the tracked keys by sample value, largest on top.
    tracked: BinaryHeap<(u32, u64)>,
    /// Weight of the sampled reuses by estimated depth in entries (index = depth, at most `cap`).
    by_entries: Vec<f64>,
    /// The largest entry count answered for: deeper reuses count at it.
    cap: usize,
    /// The sorted capacities in bytes answered for, and per capacity the weight (in requests, and
    /// in bytes requested) of the reuses whose depth is above the previous capacity and at most
    /// this one.
    byte_grid: Vec<u64>,
    by_bytes_count: Vec<f64>,
    by_bytes_bytes: Vec<f64>,
    /// Sampled requests (weighted), and their bytes.
    sampled: f64,
    sampled_bytes: f64,
    /// What a sampled request counts for: 1, times each drop of the threshold's old value over
    /// its new one (see [`LruCurveBuilder::lower_threshold`]).
    unit: f64,
    /// Every request given, and its bytes.
    requests: u64,
    bytes: u64,
    /// Sampled requests, unweighted.
    sampled_requests: u64,
    largest: u32,
    sizes_vary: bool,
    /// [`LruCurveBuilder::access_all`]'s sampled requests and their depths, kept for their room.
    batch: Requests,
    depths: Vec<Option<Depth>>,
}

impl LruCurveBuilder {
    /// A builder answering for entry counts up to `largest_entries` (a reuse estimated deeper
    /// counts as a hit there: give the distinct keys when known) and, if not empty, for each of
    /// `byte_sizes` (any order).
    pub fn new(sampling: Sampling, largest_entries: u64, byte_sizes: &[u64]) -> Self {
        let mut byte_grid: Vec<u64> = byte_sizes.to_vec();
        byte_grid.sort_unstable();
        byte_grid.dedup();
        let buckets = byte_grid.len();
        let threshold = match sampling {
            Sampling::Every | Sampling::FixedSize { .. } => SAMPLE_SCALE,
            Sampling::Rate { threshold } => threshold.clamp(1, SAMPLE_SCALE),
        };
        Self {
            stack: RecencyStack::new(!byte_grid.is_empty()),
            sampling,
            threshold,
            tracked: BinaryHeap::new(),
            // It grows with the depths seen, so memory follows the keys tracked, not the cap.
            by_entries: Vec::new(),
            cap: usize::try_from(largest_entries.max(1)).unwrap_or(usize::MAX),
            byte_grid,
            by_bytes_count: vec![0.0; buckets],
            by_bytes_bytes: vec![0.0; buckets],
            sampled: 0.0,
            sampled_bytes: 0.0,
            unit: 1.0,
            requests: 0,
            bytes: 0,
            sampled_requests: 0,
            largest: 0,
            sizes_vary: false,
            batch: Requests::default(),
            depths: Vec::new(),
        }
    }

    /// The threshold now (it only drops, and only with [`Sampling::FixedSize`]).
    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    /// Keys tracked now.
    pub fn tracked_keys(&self) -> usize {
        self.stack.len()
    }

    /// One request for `key` of `size` bytes (give 1 for every request when sizes are unknown).
    pub fn access(&mut self, key: u64, size: u32) {
        self.requests += 1;
        self.bytes += u64::from(size);
        let value = if self.sampling == Sampling::Every {
            0
        } else {
            sample_value(key)
        };
        if value >= self.threshold {
            return;
        }
        if let Sampling::FixedSize { keys } = self.sampling {
            let new = self.stack.len() >= keys.max(1) && !self.stack.contains(key);
            if new && self.tracked.peek().is_some_and(|&(top, _)| value >= top) {
                // The newcomer has the largest value: lowering the threshold to it leaves it out.
                self.lower_threshold(value);
                return;
            }
        }
        self.sampled_requests += 1;
        self.sampled += self.unit;
        self.sampled_bytes += f64::from(size) * self.unit;
        self.largest = self.largest.max(size);
        match self.stack.access(key, size) {
            None => {
                if let Sampling::FixedSize { keys } = self.sampling {
                    self.tracked.push((value, key));
                    if self.tracked.len() > keys.max(1)
                        && let Some(&(top, _)) = self.tracked.peek()
                    {
                        self.lower_threshold(top);
                    }
                }
            }
            Some(depth) => self.record(depth, size),
        }
    }

    /// Requests for `keys`, in order, each of the size at the same place in `sizes` (1 each if
    /// `sizes` is empty): the same as [`LruCurveBuilder::access`] for each, faster (see
    /// [`RecencyStack::access_all`]).
    pub fn access_all(&mut self, keys: &[u64], sizes: &[u32]) {
        if matches!(self.sampling, Sampling::FixedSize { .. }) {
            for (at, &key) in keys.iter().enumerate() {
                self.access(key, sizes.get(at).copied().unwrap_or(1));
            }
            return;
        }
        self.requests += keys.len() as u64;
        self.bytes += if sizes.is_empty() {
            keys.len() as u64
        } else {
            sizes.iter().map(|&size| u64::from(size)).sum()
        };
        // Every request goes to the stack as given; a sample's are picked out first.
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        let (keys, sizes): (&[u64], &[u32]) = if self.sampling == Sampling::Every {
            (keys, sizes)
        } else {
            for (at, &key) in keys.iter().enumerate() {
                if sample_value(key) < self.threshold {
                    batch.keys.push(key);
                    if let Some(&size) = sizes.get(at) {
                        batch.sizes.push(size);
                    }
                }
            }
            (&batch.keys, &batch.sizes)
        };
        self.sampled_requests += keys.len() as u64;
        self.sampled += keys.len() as f64;
        if sizes.is_empty() {
            self.sampled_bytes += keys.len() as f64;
            if !keys.is_empty() {
                self.largest = self.largest.max(1);
            }
        }
        for &size in sizes {
            self.sampled_bytes += f64::from(size);
            self.largest = self.largest.max(size);
        }
        let mut depths = std::mem::take(&mut self.depths);
        depths.clear();
        self.stack.access_all(keys, sizes, &mut depths);
        for (at, depth) in depths.iter().enumerate() {
            if let Some(depth) = *depth {
                self.record(depth, sizes.get(at).copied().unwrap_or(1));
            }
        }
        self.depths = depths;
        self.batch = batch;
    }

    /// Counts a sampled reuse `depth` deep of a request of `size` bytes.
    #[inline]
    fn record(&mut self, depth: Depth, size: u32) {
        self.sizes_vary |= depth.previous_size != size;
        let keys = self.estimate(depth.keys);
        let index = usize::try_from(keys).unwrap_or(usize::MAX).min(self.cap);
        if index >= self.by_entries.len() {
            self.by_entries.resize(index + 1, 0.0);
        }
        self.by_entries[index] += self.unit;
        if !self.byte_grid.is_empty() {
            let bytes = self.estimate(depth.bytes);
            let bucket = self.byte_grid.partition_point(|&capacity| capacity < bytes);
            if bucket < self.byte_grid.len() {
                self.by_bytes_count[bucket] += self.unit;
                self.by_bytes_bytes[bucket] += f64::from(size) * self.unit;
            }
        }
    }

    /// A sampled depth as the depth it stands for: ⌈depth · 2^24 / T⌉.
    #[inline]
    fn estimate(&self, depth: u64) -> u64 {
        if self.threshold == SAMPLE_SCALE {
            return depth;
        }
        let scaled = u128::from(depth) * u128::from(SAMPLE_SCALE);
        let estimate = scaled.div_ceil(u128::from(self.threshold));
        u64::try_from(estimate).unwrap_or(u64::MAX)
    }

    /// Lowers the threshold to `threshold`, forgetting the keys at or above it. The counts so far
    /// should be scaled by the new rate over the old; the same ratio is had, without touching
    /// them, by counting every later request that much heavier (`unit`), and dividing by it once
    /// at the end.
    fn lower_threshold(&mut self, threshold: u32) {
        while let Some(&(value, key)) = self.tracked.peek() {
            if value < threshold {
                break;
            }
            self.tracked.pop();
            self.stack.forget(key);
        }
        self.unit *= f64::from(self.threshold) / f64::from(threshold);
        self.threshold = threshold;
    }

    /// The curve of a trace of `distinct` distinct keys, known once it is read: a reuse
    /// estimated deeper than that (sampling noise) counts at `distinct`, as a cache of every key
    /// hits it; the same as [`LruCurveBuilder::new`] given `distinct` as its largest size.
    pub fn finish_for_keys(mut self, distinct: u64) -> LruCurve {
        let cap = usize::try_from(distinct.max(1)).unwrap_or(usize::MAX);
        if cap < self.cap {
            if self.by_entries.len() > cap + 1 {
                let deeper: f64 = self.by_entries[cap + 1..].iter().sum();
                self.by_entries.truncate(cap + 1);
                self.by_entries[cap] += deeper;
            }
            self.cap = cap;
        }
        self.finish()
    }

    /// The curve.
    pub fn finish(self) -> LruCurve {
        let rate = rate_of(self.threshold);
        // Every weight in the unit of the last threshold (1 for the exact curve: no change).
        let per_unit = 1.0 / self.unit;
        let sampled = self.sampled * per_unit;
        // SHARDS_adj: the requests a rate-R sample should hold, less those it holds, count as hits
        // at the smallest depth.
        let adjustment = match self.sampling {
            Sampling::Rate { .. } | Sampling::FixedSize { .. } => {
                self.requests as f64 * rate - sampled
            }
            Sampling::Every => 0.0,
        };
        let mut hits_by_entries = Vec::with_capacity(self.by_entries.len());
        let mut hits = 0.0;
        let smallest = self.estimate(1);
        for (depth, weight) in self.by_entries.iter().enumerate() {
            hits += weight * per_unit;
            if depth as u64 == smallest.min(self.cap as u64) {
                hits += adjustment;
            }
            hits_by_entries.push(hits);
        }
        let cumulative = |weights: &[f64]| {
            weights
                .iter()
                .scan(0.0, |sum, weight| {
                    *sum += weight * per_unit;
                    Some(*sum)
                })
                .collect::<Vec<f64>>()
        };
        LruCurve {
            requests: self.requests,
            bytes: self.bytes,
            sampled_requests: self.sampled_requests,
            threshold: self.threshold,
            exact: self.sampling == Sampling::Every,
            weight: sampled + adjustment,
            sampled_weight: sampled,
            hits_by_entries,
            cap: self.cap as u64,
            byte_hits_count: cumulative(&self.by_bytes_count),
            byte_hits_bytes: cumulative(&self.by_bytes_bytes),
            byte_weight: self.sampled_bytes * per_unit,
            byte_grid: self.byte_grid,
            largest: self.largest,
            sizes_vary: self.sizes_vary,
            popularity: popularity(self.stack.access_counts().collect(), rate),
        }
    }
}

/// LRU's miss ratio at every size, from one pass.
#[derive(Clone, Debug, PartialEq)]
pub struct LruCurve {
    /// Every request given.
    pub requests: u64,
    /// Their bytes (the requests' count when sizes were not given).
    pub bytes: u64,
    /// The requests sampled.
    pub sampled_requests: u64,
    /// The final threshold: the rate is `threshold / SAMPLE_SCALE`.
    pub threshold: u32,
    /// Whether every request was used.
    pub exact: bool,
    /// The requests the counts stand for (sampled, weighted, adjusted).
    weight: f64,
    /// The sampled requests' weight, without the adjustment (the byte points do without it).
    sampled_weight: f64,
    /// `hits_by_entries[c]`: the weight of reuses an LRU of `c` entries hits.
    hits_by_entries: Vec<f64>,
    cap: u64,
    byte_grid: Vec<u64>,
    byte_hits_count: Vec<f64>,
    byte_hits_bytes: Vec<f64>,
    byte_weight: f64,
    /// The largest size sampled.
    pub largest: u32,
    /// Whether a key was requested with two different sizes.
    pub sizes_vary: bool,
    /// How the requests spread over the keys (the sample's keys, when sampled).
    pub popularity: Popularity,
}

/// How requests spread over the keys: the access count at ranks spaced evenly on a log scale
/// (the most requested key is rank 1), and the Zipf skew that fits them.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Popularity {
    /// (rank, requests of the key at that rank); with sampling the rank is the sample's divided
    /// by the rate, the rank the key would have among all keys.
    pub points: Vec<(u64, u64)>,
    /// The slope α of `log requests = c - α log rank`, least squares over the points requested
    /// at least twice (the keys seen once flatten the tail of any finite trace); 0 with fewer
    /// than two such points.
    pub skew: f64,
}

/// Reuses (requests after a key's first) by stack depth: those at most `up_to` keys deep and
/// deeper than the bucket before (powers of two: 1, 2, 4, …), as a share of all requests.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReuseBucket {
    /// The deepest reuse in the bucket, in keys.
    pub up_to: u64,
    /// Its share of the requests.
    pub share: f64,
}

/// Points of a [`Popularity`] curve.
const POPULARITY_POINTS: u32 = 64;

/// The popularity of keys accessed `counts` times, each sampled key standing for `1 / rate`.
fn popularity(mut counts: Vec<u32>, rate: f64) -> Popularity {
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let keys = counts.len();
    if keys == 0 {
        return Popularity::default();
    }
    let mut ranks: Vec<usize> = (0..POPULARITY_POINTS)
        .map(|step| {
            let exponent = f64::from(step) / f64::from(POPULARITY_POINTS - 1);
            (libm::pow(keys as f64, exponent).round() as usize).clamp(1, keys)
        })
        .collect();
    ranks.dedup();
    let scale = 1.0 / rate.max(f64::MIN_POSITIVE);
    let points: Vec<(u64, u64)> = ranks
        .iter()
        .map(|&rank| {
            let full = ((rank as f64 * scale).round() as u64).max(1);
            (full, u64::from(counts[rank - 1]))
        })
        .collect();
    let fitted: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(_, count)| count >= 2)
        .map(|&(rank, count)| (libm::log(rank as f64), libm::log(count as f64)))
        .collect();
    let skew = if fitted.len() < 2 {
        0.0
    } else {
        let n = fitted.len() as f64;
        let (sx, sy) = fitted
            .iter()
            .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
        let (mx, my) = (sx / n, sy / n);
        let (cov, var) = fitted.iter().fold((0.0, 0.0), |(cov, var), &(x, y)| {
            (cov + (x - mx) * (y - my), var + (x - mx) * (x - mx))
        });
        if var > 0.0 { -cov / var } else { 0.0 }
    };
    Popularity { points, skew }
}

/// LRU in bytes at one capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BytePoint {
    /// Misses per request.
    pub miss_ratio: f64,
    /// Missed bytes per requested byte.
    pub byte_miss_ratio: f64,
    /// Whether the stack gives this point exactly (see the module's notes); when not, simulate it.
    pub stack_exact: bool,
}

/// `(total - hits) / total`, within `[0, 1]` (sampling noise can push an estimate past either
/// end). Whole counts below 2^53 are exact in `f64`, so for the exact curve this is the very
/// `misses / requests` a replay divides.
fn miss_ratio_of(hits: f64, total: f64) -> f64 {
    if total <= 0.0 {
        0.0
    } else {
        ((total - hits) / total).clamp(0.0, 1.0)
    }
}

impl LruCurve {
    /// The sampling rate, 1 for the exact curve.
    pub fn rate(&self) -> f64 {
        rate_of(self.threshold)
    }

    /// LRU at `size` (entries, or with `in_bytes` bytes) as the stack gives it, if it gives it
    /// exactly (every entry count; in bytes, see [`BytePoint::stack_exact`]); else it must be
    /// simulated.
    pub fn stack_point(&self, size: u64, in_bytes: bool) -> Option<MrcPoint> {
        let (miss_ratio, byte_miss_ratio) = if in_bytes {
            let point = self.byte_point(size).filter(|point| point.stack_exact)?;
            (point.miss_ratio, Some(point.byte_miss_ratio))
        } else {
            (self.miss_ratio(size), None)
        };
        Some(MrcPoint {
            size,
            miss_ratio,
            byte_miss_ratio,
            method: Method::Stack,
            simulated_size: None,
        })
    }

    /// The weight of the reuses an LRU of `entries` entries hits.
    fn hit_weight(&self, entries: u64) -> f64 {
        let index = entries.min(self.cap);
        match usize::try_from(index) {
            Ok(index) if index < self.hits_by_entries.len() => self.hits_by_entries[index],
            _ => self.hits_by_entries.last().copied().unwrap_or(0.0),
        }
    }

    /// An LRU cache of `entries` entries: misses per request.
    pub fn miss_ratio(&self, entries: u64) -> f64 {
        miss_ratio_of(self.hit_weight(entries), self.weight)
    }

    /// An LRU cache of `entries` entries: its hits, exactly for the exact curve (else the
    /// estimate, rounded).
    pub fn hits(&self, entries: u64) -> u64 {
        let scale = if self.exact { 1.0 } else { 1.0 / self.rate() };
        (self.hit_weight(entries) * scale).round().max(0.0) as u64
    }

    /// Reuses by stack depth, in buckets up to 1, 2, 4, … keys deep (the last holds every reuse
    /// deeper than the largest size answered for), as shares of the requests; the share of first
    /// accesses is what they leave.
    pub fn reuse_histogram(&self) -> Vec<ReuseBucket> {
        let mut buckets = Vec::new();
        if self.weight <= 0.0 {
            return buckets;
        }
        let mut below = 0.0;
        let mut up_to = 1u64;
        let deepest = self.hits_by_entries.len().saturating_sub(1) as u64;
        // Doubling reaches `deepest` (or saturates) in at most 64 steps.
        loop {
            let hits = self.hit_weight(up_to.min(deepest));
            buckets.push(ReuseBucket {
                up_to,
                share: ((hits - below) / self.weight).clamp(0.0, 1.0),
            });
            below = hits;
            if up_to >= deepest {
                break;
            }
            up_to = up_to.saturating_mul(2);
        }
        buckets
    }

    /// An LRU cache of `bytes` bytes, if `bytes` was one of the byte sizes asked for.
    pub fn byte_point(&self, bytes: u64) -> Option<BytePoint> {
        let index = self.byte_grid.binary_search(&bytes).ok()?;
        Some(BytePoint {
            miss_ratio: miss_ratio_of(self.byte_hits_count[index], self.sampled_weight),
            byte_miss_ratio: miss_ratio_of(self.byte_hits_bytes[index], self.byte_weight),
            stack_exact: !self.sizes_vary && bytes >= u64::from(self.largest),
        })
    }
}

/// How a point of a curve was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// From LRU's stack distances.
    Stack,
    /// By replaying the requests (the sample's, when sampled) through the policy.
    Simulated,
}

/// One policy at one cache size.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MrcPoint {
    /// The cache size, in entries or with object sizes in bytes.
    pub size: u64,
    /// Misses per request.
    pub miss_ratio: f64,
    /// With object sizes, missed bytes per requested byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_miss_ratio: Option<f64>,
    /// How it was found.
    pub method: Method,
    /// A simulation of the sample: the scaled size it replayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated_size: Option<u64>,
}

impl MrcPoint {
    /// A cache of `size` replayed at `simulated` (the same size, or scaled for a sample):
    /// `misses` of `replayed` requests, and the bytes' totals with object sizes. With
    /// `threshold` below [`SAMPLE_SCALE`] it is a miniature simulation of the sample of a trace of
    /// `requests` requests, its miss ratio adjusted ([`adjusted_miss_ratio`]).
    pub fn simulated(
        size: u64,
        simulated: u64,
        (misses, replayed): (u64, u64),
        bytes: Option<crate::engine::ByteTotals>,
        requests: u64,
        threshold: u32,
    ) -> MrcPoint {
        let sampled = threshold < SAMPLE_SCALE;
        MrcPoint {
            size,
            miss_ratio: if sampled {
                adjusted_miss_ratio(misses, requests, threshold)
            } else {
                crate::engine::stats::ratio(misses, replayed)
            },
            byte_miss_ratio: bytes.map(|bytes| bytes.miss_ratio()),
            method: Method::Simulated,
            simulated_size: sampled.then_some(simulated),
        }
    }
}

/// One policy's miss-ratio curve.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MrcCurve {
    /// The policy.
    #[serde(with = "policy_id")]
    pub policy: PolicyKind,
    /// Its points, smallest size first.
    pub points: Vec<MrcPoint>,
}

/// A policy as its id (`"lru"`), as `cachesim` and links name it.
mod policy_id {
    use crate::engine::PolicyKind;

    pub fn serialize<S: serde::Serializer>(kind: &PolicyKind, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(kind.id())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(input: D) -> Result<PolicyKind, D::Error> {
        let id = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(input)?;
        id.parse().map_err(serde::de::Error::custom)
    }
}
