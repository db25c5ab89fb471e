//! The summary of a model run.

use crate::engine::events::Millis;
use crate::engine::stats::ratio;

/// Latency percentiles, in virtual milliseconds (nearest rank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Percentiles {
    /// The median.
    pub p50: Millis,
    /// The 95th percentile.
    pub p95: Millis,
    /// The 99th percentile.
    pub p99: Millis,
}

impl Percentiles {
    /// The percentiles of `samples` (all 0 when there are none).
    pub fn of(samples: &mut [Millis]) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort_unstable();
        let rank = |p: usize| samples[(samples.len() * p).div_ceil(100).max(1) - 1];
        Percentiles {
            p50: rank(50),
            p95: rank(95),
            p99: rank(99),
        }
    }
}

/// Width of the database-load buckets.
pub const LOAD_BUCKET: Millis = 10;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    /// Reads completed (successfully or not).
    pub reads: u64,
    /// Writes completed (successfully or not).
    pub writes: u64,
    /// Requests that failed (the database was down).
    pub errors: u64,
    /// Read latency.
    pub read_latency: Percentiles,
    /// Write latency.
    pub write_latency: Percentiles,
    /// Cache lookups that hit.
    pub cache_hits: u64,
    /// Cache lookups that missed.
    pub cache_misses: u64,
    /// Database reads.
    pub db_reads: u64,
    /// Database writes (a write-behind flush counts each write in it).
    pub db_writes: u64,
    /// Reads that returned a value older than the database's at the moment it was read.
    pub stale_reads: u64,
    /// Acknowledged writes that never reached the database (lost in a cache crash).
    pub lost_writes: u64,
    /// Values stored in the cache (fills after a miss, and writes that update the cache).
    pub cache_sets: u64,
    /// Cached entries that left, or were still there at the end, without ever being read.
    pub never_read: u64,
    /// Reads that waited for a load of their key already under way (request coalescing).
    pub waits: u64,
    /// Lock strategy: cache lookups made again after a back-off.
    pub retries: u64,
    /// Lock strategy: locks that expired before their holder released them.
    pub lock_expiries: u64,
    /// The same counts for each of the configuration's key groups, in its order.
    pub groups: Vec<GroupMetrics>,
    /// Database reads and writes per [`LOAD_BUCKET`] ms of virtual time: (bucket start, reads,
    /// writes), for every bucket from 0 to the last with any load.
    pub db_load: Vec<(Millis, u64, u64)>,
}

/// What a run did to one group of keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupMetrics {
    /// Cache lookups that hit.
    pub cache_hits: u64,
    /// Cache lookups that missed.
    pub cache_misses: u64,
    /// Reads that returned a value older than the database's.
    pub stale_reads: u64,
    /// Acknowledged writes lost in a cache crash.
    pub lost_writes: u64,
    /// Database reads.
    pub db_reads: u64,
    /// Database writes.
    pub db_writes: u64,
}

impl GroupMetrics {
    /// Hits per cache lookup, or 0 without lookups.
    pub fn hit_ratio(&self) -> f64 {
        ratio(self.cache_hits, self.cache_hits + self.cache_misses)
    }
}

impl Metrics {
    /// Hits per cache lookup, or 0 without lookups.
    pub fn hit_ratio(&self) -> f64 {
        ratio(self.cache_hits, self.cache_hits + self.cache_misses)
    }

    /// The most database reads in any one bucket.
    pub fn peak_db_reads(&self) -> u64 {
        self.db_load
            .iter()
            .map(|&(_, reads, _)| reads)
            .max()
            .unwrap_or(0)
    }

    /// Counts a database access at `at`.
    pub(crate) fn record_db(&mut self, at: Millis, write: bool) {
        let bucket = (at / LOAD_BUCKET) as usize;
        while self.db_load.len() <= bucket {
            self.db_load
                .push((self.db_load.len() as Millis * LOAD_BUCKET, 0, 0));
        }
        if write {
            self.db_writes += 1;
            self.db_load[bucket].2 += 1;
        } else {
            self.db_reads += 1;
            self.db_load[bucket].1 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_and_load_buckets() {
        let mut samples: Vec<Millis> = (1..=100).collect();
        assert_eq!(
            Percentiles::of(&mut samples),
            Percentiles {
                p50: 50,
                p95: 95,
                p99: 99
            }
        );
        assert_eq!(
            Percentiles::of(&mut [7]),
            Percentiles {
                p50: 7,
                p95: 7,
                p99: 7
            }
        );
        let mut metrics = Metrics::default();
        metrics.record_db(25, false);
        metrics.record_db(3, true);
        assert_eq!(metrics.db_load, [(0, 0, 1), (10, 0, 0), (20, 1, 0)]);
        assert_eq!(metrics.peak_db_reads(), 1);
    }
}
