//! Seeded synthetic workloads: streams of `u64` keys.
//!
//! Floating-point maths goes through the pure-Rust `libm` crate rather than the platform's maths
//! library, so a workload draws bit-identical keys natively and in the browser.

use super::IdSet;
use super::rng::Rng;
use super::trace::{RequestSink, Requests, SINK_BATCH, TraceSummary};
use std::fmt;

/// A workload shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Workload {
    /// Every key in `0..keys` equally likely.
    Uniform {
        /// How many distinct keys.
        keys: u64,
    },
    /// Key `k` (0-based rank) drawn with probability proportional to `1 / (k + 1)^alpha`.
    Zipf {
        /// How many distinct keys.
        keys: u64,
        /// The skew: 0 is uniform, around 1 is typical of web traffic.
        alpha: f64,
    },
    /// `0, 1, …, keys - 1` over and over: LRU's worst case once `keys` exceeds the cache.
    Loop {
        /// The loop length.
        keys: u64,
    },
    /// Zipf(`alpha`) traffic over `keys` keys, interrupted by scans: every `keys` Zipf requests are
    /// followed by `keys / 2` (at least 1) requests for fresh keys (ids from `keys` up) that are never
    /// requested again. The pattern that flushes LRU and that scan-resistant policies survive.
    Scan {
        /// Distinct keys in the Zipf part.
        keys: u64,
        /// The Zipf part's skew.
        alpha: f64,
    },
    /// A shifting hot set: 90% of requests go uniformly to a hot set of 10% of the keys (at least
    /// 1), the rest uniformly to all keys; every `keys` requests the hot set moves on to the next
    /// tenth of the key space, wrapping around.
    Hotspot {
        /// Distinct keys.
        keys: u64,
    },
}

/// Why a workload's parameters are unusable.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkloadError {
    /// No keys to draw from.
    NoKeys,
    /// A skew that is negative, NaN or infinite.
    BadAlpha(f64),
}

impl fmt::Display for WorkloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkloadError::NoKeys => f.write_str("a workload needs at least 1 key"),
            WorkloadError::BadAlpha(alpha) => {
                write!(f, "Zipf skew must be a finite number ≥ 0, got {alpha}")
            }
        }
    }
}

impl std::error::Error for WorkloadError {}

impl Workload {
    /// At most how many distinct keys it draws: its keys, or without bound for `scan`, whose
    /// scans are fresh keys.
    pub fn key_space(self) -> u64 {
        match self {
            Workload::Uniform { keys }
            | Workload::Zipf { keys, .. }
            | Workload::Loop { keys }
            | Workload::Hotspot { keys } => keys,
            Workload::Scan { .. } => u64::MAX,
        }
    }

    /// The first `requests` keys of the stream with `seed`, handed to `sink` a batch of at most
    /// `SINK_BATCH` at a time, as a trace reader hands on what it reads; and what they add up to
    /// (requests and distinct keys), as a reader's summary says.
    pub fn stream(
        self,
        requests: u64,
        seed: u64,
        sink: &mut dyn RequestSink,
    ) -> Result<TraceSummary, WorkloadError> {
        let keys = self.keys(seed)?;
        let mut distinct = IdSet::with_capacity_and_hasher(
            self.key_space().min(requests) as usize,
            Default::default(),
        );
        let mut batch = Requests::default();
        for key in keys.take(usize::try_from(requests).unwrap_or(usize::MAX)) {
            distinct.insert(key);
            batch.keys.push(key);
            if batch.len() == SINK_BATCH {
                sink.take(&batch);
                batch.clear();
            }
        }
        sink.take(&batch);
        Ok(TraceSummary {
            requests,
            unique_keys: distinct.len(),
            ..TraceSummary::default()
        })
    }

    /// A seeded, endless stream of keys of this shape.
    pub fn keys(self, seed: u64) -> Result<KeyStream, WorkloadError> {
        let sampler = match self {
            Workload::Uniform { keys } => Sampler::Uniform(nonzero(keys)?),
            Workload::Zipf { keys, alpha } => {
                if !alpha.is_finite() || alpha < 0.0 {
                    return Err(WorkloadError::BadAlpha(alpha));
                }
                Sampler::Zipf(ZipfSampler::new(nonzero(keys)?, alpha))
            }
            Workload::Loop { keys } => Sampler::Loop {
                keys: nonzero(keys)?,
                next: 0,
            },
            Workload::Scan { keys, alpha } => {
                if !alpha.is_finite() || alpha < 0.0 {
                    return Err(WorkloadError::BadAlpha(alpha));
                }
                let keys = nonzero(keys)?;
                Sampler::Scan {
                    zipf: ZipfSampler::new(keys, alpha),
                    keys,
                    position: 0,
                    next_fresh: keys,
                }
            }
            Workload::Hotspot { keys } => Sampler::Hotspot {
                keys: nonzero(keys)?,
                position: 0,
            },
        };
        Ok(KeyStream {
            rng: Rng::new(seed),
            sampler,
        })
    }
}

fn nonzero(keys: u64) -> Result<u64, WorkloadError> {
    if keys == 0 {
        Err(WorkloadError::NoKeys)
    } else {
        Ok(keys)
    }
}

/// An endless iterator of keys; take as many as needed.
#[derive(Clone, Debug)]
pub struct KeyStream {
    /// The seeded source of randomness.
    rng: Rng,
    /// How keys are drawn.
    sampler: Sampler,
}

#[derive(Clone, Debug)]
enum Sampler {
    Uniform(u64),
    Zipf(ZipfSampler),
    Loop {
        keys: u64,
        next: u64,
    },
    Scan {
        zipf: ZipfSampler,
        keys: u64,
        /// Requests drawn so far.
        position: u64,
        /// The next never-seen key a scan requests.
        next_fresh: u64,
    },
    Hotspot {
        keys: u64,
        /// Requests drawn so far.
        position: u64,
    },
}

impl Iterator for KeyStream {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        Some(match &mut self.sampler {
            Sampler::Uniform(keys) => self.rng.below(*keys),
            Sampler::Zipf(zipf) => zipf.sample(&mut self.rng) - 1,
            Sampler::Loop { keys, next } => {
                let key = *next;
                *next = (*next + 1) % *keys;
                key
            }
            Sampler::Scan {
                zipf,
                keys,
                position,
                next_fresh,
            } => {
                let cycle = *keys + (*keys / 2).max(1);
                let in_zipf_phase = *position % cycle < *keys;
                *position += 1;
                if in_zipf_phase {
                    zipf.sample(&mut self.rng) - 1
                } else {
                    *next_fresh += 1;
                    *next_fresh - 1
                }
            }
            Sampler::Hotspot { keys, position } => {
                let hot = (*keys / 10).max(1);
                let shift = *position / *keys;
                *position += 1;
                if self.rng.below(10) < 9 {
                    (shift * hot + self.rng.below(hot)) % *keys
                } else {
                    self.rng.below(*keys)
                }
            }
        })
    }
}

/// Zipf sampling in O(1) expected time by rejection-inversion (Hörmann and Derflinger, 1996,
/// "Rejection-inversion to generate variates from monotone discrete distributions"), the method
/// Apache Commons uses. No table of N probabilities is built, so a million keys cost nothing.
#[derive(Clone, Debug)]
struct ZipfSampler {
    /// Number of elements; samples are in `1..=n`.
    n: u64,
    /// The exponent (skew).
    exponent: f64,
    /// `H(1.5) - 1`, the upper end of the inversion interval.
    h_integral_x1: f64,
    /// `H(n + 0.5)`, the lower end of the inversion interval.
    h_integral_n: f64,
    /// The squeeze constant that accepts most samples without evaluating `H`.
    s: f64,
}

impl ZipfSampler {
    fn new(n: u64, exponent: f64) -> Self {
        let mut sampler = Self {
            n,
            exponent,
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            s: 0.0,
        };
        sampler.h_integral_x1 = sampler.h_integral(1.5) - 1.0;
        sampler.h_integral_n = sampler.h_integral(n as f64 + 0.5);
        sampler.s = 2.0 - sampler.h_integral_inverse(sampler.h_integral(2.5) - sampler.h(2.0));
        sampler
    }

    fn sample(&self, rng: &mut Rng) -> u64 {
        loop {
            let u = self.h_integral_n + rng.unit_f64() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inverse(u);
            let k = ((x + 0.5) as u64).clamp(1, self.n);
            let kf = k as f64;
            if kf - x <= self.s || u >= self.h_integral(kf + 0.5) - self.h(kf) {
                return k;
            }
        }
    }

    /// `h(x) = x^-exponent`.
    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.exponent * libm::log(x))
    }

    /// `H(x)`, an integral of `h`, written to stay accurate as the exponent approaches 1.
    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        expm1_over_x((1.0 - self.exponent) * log_x) * log_x
    }

    /// The inverse of [`Self::h_integral`].
    fn h_integral_inverse(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.exponent)).max(-1.0);
        libm::exp(log1p_over_x(t) * x)
    }
}

/// `ln(1 + x) / x`, with its series near 0.
fn log1p_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// `(e^x - 1) / x`, with its series near 0.
fn expm1_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_frequencies_follow_the_power_law() {
        let keys = 100;
        let draws = 200_000;
        let mut counts = vec![0u32; keys as usize];
        let stream = Workload::Zipf { keys, alpha: 1.0 }.keys(1).unwrap();
        for key in stream.take(draws) {
            counts[key as usize] += 1;
        }
        let harmonic: f64 = (1..=keys).map(|k| 1.0 / k as f64).sum();
        for rank in [0usize, 1, 9, 99] {
            let expected = draws as f64 / ((rank + 1) as f64 * harmonic);
            let observed = f64::from(counts[rank]);
            assert!(
                (observed - expected).abs() < 5.0 * expected.sqrt() + 5.0,
                "rank {rank}: expected {expected:.0}, observed {observed}"
            );
        }
    }

    #[test]
    fn loop_and_uniform_shapes() {
        let looped: Vec<u64> = Workload::Loop { keys: 3 }
            .keys(0)
            .unwrap()
            .take(7)
            .collect();
        assert_eq!(looped, [0, 1, 2, 0, 1, 2, 0]);
        assert!(
            Workload::Uniform { keys: 5 }
                .keys(3)
                .unwrap()
                .take(100)
                .all(|k| k < 5)
        );
        assert_eq!(
            Workload::Zipf {
                keys: 5,
                alpha: 0.0
            }
            .keys(3)
            .unwrap()
            .take(500)
            .max(),
            Some(4)
        );
    }

    #[test]
    fn scans_interrupt_zipf_with_fresh_keys() {
        let keys: Vec<u64> = Workload::Scan {
            keys: 10,
            alpha: 1.0,
        }
        .keys(1)
        .unwrap()
        .take(30)
        .collect();
        assert!(keys[..10].iter().all(|&k| k < 10));
        assert_eq!(keys[10..15], [10, 11, 12, 13, 14]);
        assert!(keys[15..25].iter().all(|&k| k < 10));
        assert_eq!(keys[25..30], [15, 16, 17, 18, 19]);
    }

    #[test]
    fn the_hot_set_shifts_every_keys_requests() {
        let keys: Vec<u64> = Workload::Hotspot { keys: 100 }
            .keys(4)
            .unwrap()
            .take(200)
            .collect();
        let hot = |range: std::ops::Range<u64>, slice: &[u64]| {
            slice.iter().filter(|k| range.contains(k)).count()
        };
        assert!(
            hot(0..10, &keys[..100]) >= 80,
            "first phase: keys 0..10 are hot"
        );
        assert!(
            hot(10..20, &keys[100..]) >= 80,
            "second phase: keys 10..20 are hot"
        );
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert_eq!(
            Workload::Uniform { keys: 0 }.keys(0).unwrap_err(),
            WorkloadError::NoKeys
        );
        let nan = Workload::Zipf {
            keys: 3,
            alpha: f64::NAN,
        }
        .keys(0)
        .unwrap_err();
        assert!(nan.to_string().contains("finite number"));
        assert!(
            Workload::Zipf {
                keys: 3,
                alpha: -1.0
            }
            .keys(0)
            .is_err()
        );
    }
}
