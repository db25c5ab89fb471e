//! Trace replay: drive a policy with a stream of requests and count what happened.

use super::policy::Policy;

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
        if self.requests == 0 {
            0.0
        } else {
            self.misses as f64 / self.requests as f64
        }
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
