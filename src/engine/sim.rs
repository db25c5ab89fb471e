//! Trace replay: drive a policy with a stream of requests and count what happened.

use super::policy::{BytePolicy, Policy};
use super::stats::ratio;

/// The outcome of replaying requests through one policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimResult {
    /// Requests replayed.
    pub requests: u64,
    /// Requests whose key was resident.
    pub hits: u64,
    /// Requests whose key was not resident.
    pub misses: u64,
    /// Keys evicted to make room.
    pub evictions: u64,
}

impl SimResult {
    /// Misses per request, or 0 for no requests.
    pub fn miss_ratio(&self) -> f64 {
        ratio(self.misses, self.requests)
    }
}

impl std::ops::AddAssign for SimResult {
    /// The counts of two parts of one replay, added.
    fn add_assign(&mut self, other: SimResult) {
        self.requests += other.requests;
        self.hits += other.hits;
        self.misses += other.misses;
        self.evictions += other.evictions;
    }
}

/// Replays `keys` through `policy` (a lookup per request, an insert on a miss).
pub fn replay(policy: &mut dyn Policy, keys: impl IntoIterator<Item = u64>) -> SimResult {
    let mut result = SimResult::default();
    let mut evicted = Vec::new();
    for key in keys {
        result.requests += 1;
        if policy.request(key, &mut evicted) {
            result.hits += 1;
        } else {
            result.misses += 1;
        }
        result.evictions += evicted.len() as u64;
        evicted.clear();
    }
    result
}

/// The bytes of a replay with object sizes: what was asked for, and what missed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteTotals {
    /// The sizes of every request, added up.
    pub requested: u64,
    /// The sizes of the requests that missed, added up.
    pub missed: u64,
}

impl ByteTotals {
    /// Missed bytes per requested byte, or 0 for none requested.
    pub fn miss_ratio(&self) -> f64 {
        ratio(self.missed, self.requested)
    }
}

impl std::ops::AddAssign for ByteTotals {
    /// The bytes of two parts of one replay, added.
    fn add_assign(&mut self, other: ByteTotals) {
        self.requested += other.requested;
        self.missed += other.missed;
    }
}

/// Replays `requests` (key, size in bytes) through a policy counted in bytes.
pub fn replay_in_bytes(
    policy: &mut dyn BytePolicy,
    requests: impl IntoIterator<Item = (u64, u32)>,
) -> (SimResult, ByteTotals) {
    let mut result = SimResult::default();
    let mut bytes = ByteTotals::default();
    let mut evicted = Vec::new();
    for (key, size) in requests {
        result.requests += 1;
        let size = size.max(1);
        bytes.requested += u64::from(size);
        if policy.request(key, size, &mut evicted) {
            result.hits += 1;
        } else {
            result.misses += 1;
            bytes.missed += u64::from(size);
        }
        result.evictions += evicted.len() as u64;
        evicted.clear();
    }
    (result, bytes)
}
