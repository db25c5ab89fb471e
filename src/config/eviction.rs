//! The eviction demos' settings (LRU, LFU, TTL): policy, cache size, TTL, the Play workload's
//! keys and skew, speed and seed.

use super::demo::Demo;
use super::fields::{ChoiceField, DecimalField, DurationField, IntField, TimeUnit, Visitor};
use super::{SEED, opt_refusal, zipf_skew};
use crate::engine::events::Millis;
use crate::engine::lab::EvictionSettings;
use crate::engine::policy::{Capacity, PolicyKind};
use crate::engine::workload::Workload;

/// The eviction policy.
pub const POLICY: ChoiceField = ChoiceField {
    name: "policy",
    about: "Eviction policy",
    refused: &[opt_refusal()],
};
/// Entries the cache holds.
pub const SIZE: IntField = IntField {
    name: "size",
    min: 1,
    max: 12,
    unit: "entries",
    about: "Cache size",
    word: None,
};
/// The TTL of new entries; 0 is off.
pub const TTL: DurationField = DurationField {
    name: "ttl",
    min: 0,
    max: 30_000,
    step: 1_000,
    unit: TimeUnit::Seconds,
    about: "TTL of new entries (0 is off)",
};
/// Distinct keys the Play workload requests.
pub const KEYS: IntField = IntField {
    name: "keys",
    min: 2,
    max: 26,
    unit: "keys",
    about: "Keys the Play workload requests (`a`, `b`, …)",
    word: None,
};
/// Zipf skew of the Play workload.
pub const SKEW: DecimalField = zipf_skew("Zipf skew of the Play workload (0 is uniform)");
/// Virtual seconds per real second.
pub const SPEED: DecimalField = DecimalField {
    name: "speed",
    min: 0.5,
    max: 20.0,
    step: 0.5,
    unit: "virtual s per s",
    about: "Playback speed",
};

/// Virtual time between the Play workload's requests.
pub const REQUEST_INTERVAL: Millis = 500;

/// The eviction demos' settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EvictionConfig {
    /// The policy (any but OPT, which needs the future).
    pub policy: PolicyKind,
    /// Cache size in entries.
    pub size: u64,
    /// TTL of new entries in ms; 0 is off.
    pub ttl: Millis,
    /// Keys the workload requests.
    pub keys: u64,
    /// Zipf skew.
    pub skew: f64,
    /// Virtual seconds per real second.
    pub speed: f64,
    /// Seeds the workload and the random policies.
    pub seed: u64,
}

/// The policies a live demo can run: every one but OPT.
pub fn live_policies() -> Vec<PolicyKind> {
    PolicyKind::ALL
        .iter()
        .copied()
        .filter(|policy| *policy != PolicyKind::Opt)
        .collect()
}

impl EvictionConfig {
    /// The defaults of `demo` (LFU starts with LFU, TTL with a 5 s TTL).
    pub fn defaults(demo: Demo) -> Self {
        Self {
            policy: if demo == Demo::Lfu {
                PolicyKind::Lfu
            } else {
                PolicyKind::Lru
            },
            size: 4,
            ttl: if demo == Demo::Ttl { 5_000 } else { 0 },
            keys: 8,
            skew: 1.0,
            speed: 2.0,
            seed: 7,
        }
    }

    /// Lists the fields.
    pub fn visit<V: Visitor>(&mut self, visitor: &mut V) {
        visitor.choice(&POLICY, &live_policies(), &mut self.policy);
        visitor.int(&SIZE, &mut self.size);
        visitor.duration(&TTL, &mut self.ttl);
        visitor.int(&KEYS, &mut self.keys);
        visitor.decimal(&SKEW, &mut self.skew);
        visitor.decimal(&SPEED, &mut self.speed);
        visitor.int(&SEED, &mut self.seed);
    }

    /// The TTL, if on.
    pub fn ttl(&self) -> Option<Millis> {
        (self.ttl > 0).then_some(self.ttl)
    }

    /// What the engine's lab runs.
    pub fn settings(&self) -> EvictionSettings {
        EvictionSettings {
            policy: self.policy,
            capacity: Capacity::new(u128::from(self.size.clamp(SIZE.min, SIZE.max)))
                .expect("the size is clamped to 1..=12"),
            ttl: self.ttl(),
            workload: Workload::Zipf {
                keys: self.keys,
                alpha: self.skew,
            },
            request_interval: REQUEST_INTERVAL,
            seed: self.seed,
        }
    }
}
