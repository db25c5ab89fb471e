//! The hit-rate simulation demo's engine: several policies replay one seeded trace side by side,
//! a slice of work at a time (so the page stays responsive and the chart grows live), giving the
//! hit ratio over time per policy and then a miss-ratio curve over cache sizes with OPT as the floor.

use super::console::{ConsoleLog, LineKind};
use crate::engine::events::Millis;
use crate::engine::policy::{Capacity, NextUse, Policy, PolicyKind, PolicyOptions};
use crate::engine::workload::Workload;

/// Points per hit-ratio-over-time curve.
pub const POINTS: u64 = 100;
/// The most requests a run may have.
pub const MAX_REQUESTS: u64 = 1_000_000;
/// Cache sizes of the miss-ratio curve, as fractions of the distinct keys in the trace.
pub const MRC_FRACTIONS: [f64; 7] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5];

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRateSettings {
    /// The workload.
    pub workload: Workload,
    /// Requests in the trace.
    pub requests: u64,
    /// The cache size of the over-time curves.
    pub size: Capacity,
    /// The policies compared (OPT is always added to the miss-ratio curve).
    pub policies: Vec<PolicyKind>,
    /// The seed.
    pub seed: u64,
}

/// One policy's hit ratio over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The policy.
    pub policy: PolicyKind,
    /// (requests so far, hit ratio in the window ending there).
    pub points: Vec<(u64, f64)>,
    /// Hits over the whole run so far.
    pub hits: u64,
    /// Requests so far.
    pub requests: u64,
}

/// One policy's miss ratio per cache size.
#[derive(Clone, Debug, PartialEq)]
pub struct MissRatioCurve {
    /// The policy.
    pub policy: PolicyKind,
    /// (cache size, miss ratio), for the sizes done so far.
    pub points: Vec<(usize, f64)>,
}

/// A replay in progress.
struct Replay {
    policy: Box<dyn Policy>,
    position: usize,
    hits: u64,
    window_hits: u64,
}

impl Replay {
    fn new(kind: PolicyKind, size: Capacity, seed: u64, future: &NextUse) -> Replay {
        let options = PolicyOptions {
            seed,
            ..PolicyOptions::default()
        };
        Replay {
            policy: kind.build_for_trace(size, &options, future),
            position: 0,
            hits: 0,
            window_hits: 0,
        }
    }

    /// Replays up to `until`; returns whether the last request hit.
    fn run(&mut self, trace: &[u64], until: usize, evicted: &mut Vec<u64>) {
        for &key in &trace[self.position..until] {
            if self.policy.request(key, evicted) {
                self.hits += 1;
                self.window_hits += 1;
            }
            evicted.clear();
        }
        self.position = until;
    }
}

/// The simulation.
pub struct HitRateLab {
    settings: HitRateSettings,
    trace: Vec<u64>,
    future: NextUse,
    /// Distinct keys in the trace.
    distinct: usize,
    /// The over-time replays, in lockstep.
    replays: Vec<Replay>,
    curves: Vec<Curve>,
    /// The miss-ratio curves, filled after the over-time replays.
    mrc: Vec<MissRatioCurve>,
    /// The miss-ratio-curve replay in progress: (curve index, size index, replay).
    mrc_job: Option<(usize, usize, Replay)>,
    /// Requests per over-time point.
    window: usize,
    evicted: Vec<u64>,
    /// The run in lines: its start, each policy's result at each size as it is known, and the
    /// OPT floor. A line's time is the work done so far: requests replayed by all replays, 1 ms
    /// per request (as `cachesim` counts time in a trace without timestamps).
    console: ConsoleLog,
}

impl std::fmt::Debug for HitRateLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HitRateLab")
            .field("settings", &self.settings)
            .field("curves", &self.curves)
            .field("mrc", &self.mrc)
            .finish_non_exhaustive()
    }
}

impl HitRateLab {
    /// Generates the trace and prepares the replays; fails on an unusable workload or no policy.
    pub fn new(settings: HitRateSettings) -> Result<HitRateLab, String> {
        if settings.policies.is_empty() {
            return Err("choose at least one policy".to_owned());
        }
        if settings.requests == 0 || settings.requests > MAX_REQUESTS {
            return Err(format!(
                "requests must be between 1 and {MAX_REQUESTS}, got {}",
                settings.requests
            ));
        }
        let trace: Vec<u64> = settings
            .workload
            .keys(settings.seed)
            .map_err(|e| e.to_string())?
            .take(settings.requests as usize)
            .collect();
        let future = NextUse::from_trace(&trace);
        let distinct = {
            let mut keys = trace.clone();
            keys.sort_unstable();
            keys.dedup();
            keys.len()
        };
        let replays = settings
            .policies
            .iter()
            .map(|&kind| Replay::new(kind, settings.size, settings.seed, &future))
            .collect();
        let curves = settings
            .policies
            .iter()
            .map(|&policy| Curve {
                policy,
                points: Vec::new(),
                hits: 0,
                requests: 0,
            })
            .collect();
        let mut mrc_policies = settings.policies.clone();
        if !mrc_policies.contains(&PolicyKind::Opt) {
            mrc_policies.push(PolicyKind::Opt);
        }
        let mrc = mrc_policies
            .into_iter()
            .map(|policy| MissRatioCurve {
                policy,
                points: Vec::new(),
            })
            .collect();
        let window = (trace.len() as u64).div_ceil(POINTS).max(1) as usize;
        let mut console = ConsoleLog::default();
        let names: Vec<&str> = settings.policies.iter().map(|p| p.label()).collect();
        console.push(
            0,
            LineKind::Setting,
            format!(
                "run starts: {} requests over {distinct} distinct keys, cache of {} entries, seed {}; {}",
                trace.len(),
                settings.size.get(),
                settings.seed,
                names.join(", ")
            ),
        );
        Ok(HitRateLab {
            settings,
            trace,
            future,
            distinct,
            replays,
            curves,
            mrc,
            mrc_job: None,
            window,
            evicted: Vec::new(),
            console,
        })
    }

    /// The run in lines.
    pub fn console(&self) -> &ConsoleLog {
        &self.console
    }

    /// The settings.
    pub fn settings(&self) -> &HitRateSettings {
        &self.settings
    }

    /// The hit ratio over time, per policy.
    pub fn curves(&self) -> &[Curve] {
        &self.curves
    }

    /// The miss-ratio curves so far.
    pub fn miss_ratio_curves(&self) -> &[MissRatioCurve] {
        &self.mrc
    }

    /// Distinct keys in the trace.
    pub fn distinct_keys(&self) -> usize {
        self.distinct
    }

    /// The cache sizes of the miss-ratio curve.
    pub fn mrc_sizes(&self) -> Vec<usize> {
        let mut sizes: Vec<usize> = MRC_FRACTIONS
            .iter()
            .map(|fraction| ((self.distinct as f64 * fraction).round() as usize).max(1))
            .collect();
        sizes.dedup();
        sizes
    }

    /// Requests replayed so far by the over-time curves.
    pub fn position(&self) -> usize {
        self.replays.first().map_or(0, |replay| replay.position)
    }

    /// Requests in the trace.
    pub fn len(&self) -> usize {
        self.trace.len()
    }

    /// Whether the trace is empty (never: `new` refuses that).
    pub fn is_empty(&self) -> bool {
        self.trace.is_empty()
    }

    /// Whether everything is computed.
    pub fn is_done(&self) -> bool {
        self.position() == self.trace.len()
            && self.mrc_job.is_none()
            && self
                .mrc
                .iter()
                .all(|curve| curve.points.len() == self.mrc_sizes().len())
    }

    /// Fraction of the work done, 0 to 1.
    pub fn progress(&self) -> f64 {
        let total = (self.replays.len() + self.mrc.len() * self.mrc_sizes().len()) as f64;
        let over_time =
            self.position() as f64 / self.trace.len() as f64 * self.replays.len() as f64;
        let mrc_done: f64 = self
            .mrc
            .iter()
            .map(|curve| curve.points.len() as f64)
            .sum::<f64>()
            + self.mrc_job.as_ref().map_or(0.0, |(_, _, replay)| {
                replay.position as f64 / self.trace.len() as f64
            });
        ((over_time + mrc_done) / total).min(1.0)
    }

    /// Does about `budget` policy requests of work; returns whether everything is done.
    pub fn advance(&mut self, budget: usize) -> bool {
        let mut budget = budget.max(1);
        // First the over-time curves, all policies in lockstep, one window at a time.
        while self.position() < self.trace.len() && budget > 0 {
            let start = self.position();
            let until = (start + self.window).min(self.trace.len());
            for (replay, curve) in self.replays.iter_mut().zip(&mut self.curves) {
                replay.window_hits = 0;
                replay.run(&self.trace, until, &mut self.evicted);
                curve.points.push((
                    until as u64,
                    replay.window_hits as f64 / (until - start) as f64,
                ));
                curve.hits = replay.hits;
                curve.requests = until as u64;
            }
            budget = budget.saturating_sub((until - start) * self.replays.len());
            if until == self.trace.len() {
                let size = self.settings.size.get();
                for curve in &self.curves {
                    let ratio = percent(curve.hits, curve.requests);
                    self.console.push(
                        until as Millis,
                        LineKind::Done,
                        format!(
                            "{}: hit ratio {ratio} at {size} entries",
                            curve.policy.label()
                        ),
                    );
                }
            }
        }
        // Then the miss-ratio curves, one (policy, size) replay at a time, in slices.
        let sizes = self.mrc_sizes();
        while budget > 0 {
            let (curve, size_index, mut replay) = match self.mrc_job.take() {
                Some(job) => job,
                None => {
                    let Some(curve) = self
                        .mrc
                        .iter()
                        .position(|curve| curve.points.len() < sizes.len())
                    else {
                        break;
                    };
                    let size_index = self.mrc[curve].points.len();
                    let capacity =
                        Capacity::new(sizes[size_index] as u128).expect("sizes are at least 1");
                    let replay = Replay::new(
                        self.mrc[curve].policy,
                        capacity,
                        self.settings.seed,
                        &self.future,
                    );
                    (curve, size_index, replay)
                }
            };
            let until = (replay.position + budget).min(self.trace.len());
            budget -= until - replay.position;
            replay.run(&self.trace, until, &mut self.evicted);
            if replay.position == self.trace.len() {
                let requests = self.trace.len() as u64;
                let misses = requests - replay.hits;
                let size = sizes[size_index];
                self.mrc[curve]
                    .points
                    .push((size, misses as f64 / requests as f64));
                let policy = self.mrc[curve].policy;
                let ratio = percent(misses, requests);
                let text = if policy == PolicyKind::Opt {
                    format!(
                        "OPT floor at {size} entries: miss ratio {ratio}; no policy can miss less"
                    )
                } else {
                    format!("{}: miss ratio {ratio} at {size} entries", policy.label())
                };
                let done = (self.replays.len() + curve * sizes.len() + size_index + 1) as u64;
                self.console.push(
                    done.saturating_mul(requests) as Millis,
                    LineKind::Done,
                    text,
                );
            } else {
                self.mrc_job = Some((curve, size_index, replay));
            }
        }
        self.is_done()
    }
}

/// `part` of `whole` as a percentage with one decimal, rounded half up, e.g. `34.2%` (the console
/// and the demo's stats show the same figure).
pub fn percent(part: u64, whole: u64) -> String {
    let tenths = (part * 1000 + whole / 2).checked_div(whole).unwrap_or(0);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::replay;

    fn settings(policies: Vec<PolicyKind>) -> HitRateSettings {
        HitRateSettings {
            workload: Workload::Zipf {
                keys: 1_000,
                alpha: 0.9,
            },
            requests: 20_000,
            size: Capacity::new(100).unwrap(),
            policies,
            seed: 3,
        }
    }

    #[test]
    fn slices_add_up_to_the_same_numbers_as_one_replay() {
        let mut lab = HitRateLab::new(settings(vec![PolicyKind::Lru, PolicyKind::Sieve])).unwrap();
        let mut steps = 0;
        while !lab.advance(7_777) {
            steps += 1;
            assert!(steps < 10_000);
        }
        assert!((lab.progress() - 1.0).abs() < 1e-9);
        let trace: Vec<u64> = settings(vec![])
            .workload
            .keys(3)
            .unwrap()
            .take(20_000)
            .collect();
        let mut lru = PolicyKind::Lru
            .build(
                Capacity::new(100).unwrap(),
                &PolicyOptions {
                    seed: 3,
                    ..Default::default()
                },
            )
            .unwrap();
        let expected = replay(lru.as_mut(), trace.iter().copied());
        assert_eq!(lab.curves()[0].hits, expected.hits);
        assert_eq!(lab.curves()[0].points.len(), POINTS as usize);
        // The miss-ratio curves: every policy plus OPT, OPT below all, each falling with size.
        let curves = lab.miss_ratio_curves();
        assert_eq!(curves.len(), 3);
        let opt = &curves[2];
        assert_eq!(opt.policy, PolicyKind::Opt);
        for curve in curves {
            assert_eq!(curve.points.len(), lab.mrc_sizes().len());
            for (point, floor) in curve.points.iter().zip(&opt.points) {
                assert!(point.1 >= floor.1 - 1e-12);
            }
            assert!(
                curve
                    .points
                    .windows(2)
                    .all(|pair| pair[1].1 <= pair[0].1 + 1e-9)
                    || curve.policy != PolicyKind::Lru
            );
        }
    }

    #[test]
    fn the_console_tells_the_start_every_result_and_the_opt_floor() {
        let mut lab = HitRateLab::new(settings(vec![PolicyKind::Lru, PolicyKind::Sieve])).unwrap();
        let lines = |lab: &HitRateLab| -> Vec<(Millis, LineKind, String)> {
            lab.console()
                .lines()
                .map(|line| (line.at, line.kind, line.text.clone()))
                .collect()
        };
        let start = lines(&lab);
        assert_eq!(start.len(), 1);
        assert_eq!(start[0].1, LineKind::Setting);
        assert!(
            start[0].2.starts_with("run starts: 20000 requests over "),
            "{}",
            start[0].2
        );
        assert!(
            start[0]
                .2
                .ends_with("cache of 100 entries, seed 3; LRU, SIEVE"),
            "{}",
            start[0].2
        );
        while !lab.advance(7_777) {}
        let all = lines(&lab);
        let sizes = lab.mrc_sizes();
        // The start, one over-time result per policy, then a line per policy (and OPT) per size.
        assert_eq!(all.len(), 1 + 2 + 3 * sizes.len());
        let lru = &lab.curves()[0];
        assert_eq!(
            all[1].2,
            format!(
                "LRU: hit ratio {} at 100 entries",
                percent(lru.hits, 20_000)
            )
        );
        assert!(all.windows(2).all(|pair| pair[0].0 <= pair[1].0));
        let floors: Vec<&String> = all
            .iter()
            .map(|line| &line.2)
            .filter(|text| text.starts_with("OPT floor at "))
            .collect();
        assert_eq!(floors.len(), sizes.len());
        assert!(floors[0].starts_with(&format!("OPT floor at {} entries: miss ratio ", sizes[0])));
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 0), "0.0%");
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        assert!(HitRateLab::new(settings(vec![])).is_err());
        let mut too_many = settings(vec![PolicyKind::Lru]);
        too_many.requests = MAX_REQUESTS + 1;
        assert!(
            HitRateLab::new(too_many)
                .unwrap_err()
                .contains("between 1 and")
        );
    }
}
