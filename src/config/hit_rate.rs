//! The hit-rate simulation's settings: workload, skew, keys, requests, cache size, the policies
//! compared, speed and seed.

use super::fields::{Choice, ChoiceField, DecimalField, IntField, Visitor};
use super::{SEED, zipf_skew};
use crate::engine::lab::HitRateSettings;
use crate::engine::policy::{Capacity, PolicyKind};
use crate::engine::workload::Workload;

/// The workload generators the simulation offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    /// Zipf popularity.
    Zipf,
    /// Every key equally likely.
    Uniform,
    /// Zipf interrupted by one-time scans.
    Scan,
    /// A loop over every key.
    Loop,
    /// A hot set that moves.
    Hotspot,
}

impl WorkloadKind {
    /// Every workload, in menu order.
    pub const ALL: [WorkloadKind; 5] = [
        WorkloadKind::Zipf,
        WorkloadKind::Uniform,
        WorkloadKind::Scan,
        WorkloadKind::Loop,
        WorkloadKind::Hotspot,
    ];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            WorkloadKind::Zipf => "Zipf",
            WorkloadKind::Uniform => "Uniform",
            WorkloadKind::Scan => "Zipf with scans",
            WorkloadKind::Loop => "Loop",
            WorkloadKind::Hotspot => "Shifting hot set",
        }
    }
}

impl Choice for WorkloadKind {
    fn id(self) -> &'static str {
        match self {
            WorkloadKind::Zipf => "zipf",
            WorkloadKind::Uniform => "uniform",
            WorkloadKind::Scan => "scan",
            WorkloadKind::Loop => "loop",
            WorkloadKind::Hotspot => "hotspot",
        }
    }
}

/// The workload.
pub const WORKLOAD: ChoiceField = ChoiceField {
    name: "workload",
    about: "Workload generator",
    refused: &[],
};
/// Zipf skew.
pub const SKEW: DecimalField = zipf_skew("Zipf skew (zipf and scan workloads)");
/// Distinct keys.
pub const KEYS: IntField = IntField {
    name: "keys",
    min: 100,
    max: 100_000,
    unit: "keys",
    about: "Distinct keys",
    word: None,
};
/// Requests replayed.
pub const REQUESTS: IntField = IntField {
    name: "requests",
    min: 10_000,
    max: 1_000_000,
    unit: "requests",
    about: "Requests replayed",
    word: None,
};
/// Cache size as a percentage of the keys.
pub const SIZE: DecimalField = DecimalField {
    name: "size",
    min: 0.5,
    max: 50.0,
    step: 0.5,
    unit: "%",
    about: "Cache size, in percent of the keys",
};
/// The policies compared.
pub const POLICY: ChoiceField = ChoiceField {
    name: "policy",
    about: "Policies compared (OPT is always drawn on the miss-ratio curve)",
    refused: &[],
};
/// Thousands of policy requests per frame.
pub const SPEED: DecimalField = DecimalField {
    name: "speed",
    min: 5.0,
    max: 200.0,
    step: 5.0,
    unit: "thousand requests per frame",
    about: "Simulation speed",
};

/// The hit-rate simulation's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRateConfig {
    /// The workload generator.
    pub workload: WorkloadKind,
    /// Zipf skew.
    pub skew: f64,
    /// Distinct keys.
    pub keys: u64,
    /// Requests replayed.
    pub requests: u64,
    /// Cache size, percent of the keys.
    pub size_percent: f64,
    /// The policies compared, in [`PolicyKind::ALL`] order.
    pub policies: Vec<PolicyKind>,
    /// Thousands of requests per frame.
    pub speed: f64,
    /// The seed.
    pub seed: u64,
}

impl Default for HitRateConfig {
    fn default() -> Self {
        Self {
            workload: WorkloadKind::Zipf,
            skew: 0.9,
            keys: 10_000,
            requests: 200_000,
            size_percent: 10.0,
            policies: vec![
                PolicyKind::Lru,
                PolicyKind::Lfu,
                PolicyKind::S3Fifo,
                PolicyKind::TinyLfu,
            ],
            speed: 60.0,
            seed: 42,
        }
    }
}

impl HitRateConfig {
    /// Lists the fields.
    pub fn visit<V: Visitor>(&mut self, visitor: &mut V) {
        visitor.choice(&WORKLOAD, &WorkloadKind::ALL, &mut self.workload);
        visitor.decimal(&SKEW, &mut self.skew);
        visitor.int(&KEYS, &mut self.keys);
        visitor.int(&REQUESTS, &mut self.requests);
        visitor.decimal(&SIZE, &mut self.size_percent);
        visitor.choices(&POLICY, PolicyKind::ALL, &mut self.policies);
        visitor.decimal(&SPEED, &mut self.speed);
        visitor.int(&SEED, &mut self.seed);
    }

    /// The cache size in entries.
    pub fn size(&self) -> u64 {
        ((self.keys as f64 * self.size_percent / 100.0).round() as u64).max(1)
    }

    /// What the engine's lab runs.
    pub fn settings(&self) -> HitRateSettings {
        let (keys, alpha) = (self.keys, self.skew);
        let workload = match self.workload {
            WorkloadKind::Uniform => Workload::Uniform { keys },
            WorkloadKind::Scan => Workload::Scan { keys, alpha },
            WorkloadKind::Loop => Workload::Loop { keys },
            WorkloadKind::Hotspot => Workload::Hotspot { keys },
            WorkloadKind::Zipf => Workload::Zipf { keys, alpha },
        };
        HitRateSettings {
            workload,
            requests: self.requests,
            size: Capacity::new(u128::from(self.size())).expect("at most half of 100,000 keys"),
            policies: self.policies.clone(),
            seed: self.seed,
        }
    }
}
