//! The settings of the write-pattern demos (cache-aside, read-through, write-through,
//! write-behind, write-around) and the stampede demo, and the engine scenario each one runs.

use super::demo::Demo;
use super::fields::{
    Choice, ChoiceField, DecimalField, DurationField, FlagField, IntField, TimeUnit, Visitor,
};
use super::{SEED, zipf_skew};
use crate::engine::events::Millis;
use crate::engine::model::{Pattern, ScenarioOptions, StampedeStrategy};

/// Which stampede workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Herd {
    /// One hot key expires while many clients read it.
    HotKey,
    /// 100 keys cached together expire together.
    ManyKeys,
    /// Reads of keys that do not exist (cache penetration).
    MissingKeys,
}

impl Herd {
    /// Every workload, in menu order.
    pub const ALL: [Herd; 3] = [Herd::HotKey, Herd::ManyKeys, Herd::MissingKeys];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Herd::HotKey => "One hot key expires",
            Herd::ManyKeys => "100 keys expire together",
            Herd::MissingKeys => "Reads of missing keys (penetration)",
        }
    }
}

impl Choice for Herd {
    fn id(self) -> &'static str {
        match self {
            Herd::HotKey => "hot",
            Herd::ManyKeys => "many",
            Herd::MissingKeys => "missing",
        }
    }
}

/// Stampede protection, as the demo offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Every miss goes to the database.
    None,
    /// Single flight.
    Coalesce,
    /// XFetch probabilistic early refresh.
    EarlyRefresh,
    /// ±20% TTL jitter.
    Jitter,
    /// A lock in the cache (Redis `SET NX PX`); the others retry after a back-off.
    Lock,
}

impl Strategy {
    /// Every strategy, in menu order.
    pub const ALL: [Strategy; 5] = [
        Strategy::None,
        Strategy::Coalesce,
        Strategy::Lock,
        Strategy::EarlyRefresh,
        Strategy::Jitter,
    ];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::None => "None",
            Strategy::Coalesce => "Request coalescing",
            Strategy::EarlyRefresh => "Early refresh (XFetch)",
            Strategy::Jitter => "TTL jitter (±20%)",
            Strategy::Lock => "Lock in the cache (SET NX)",
        }
    }
}

impl Choice for Strategy {
    fn id(self) -> &'static str {
        match self {
            Strategy::None => "none",
            Strategy::Coalesce => "coalesce",
            Strategy::EarlyRefresh => "xfetch",
            Strategy::Jitter => "jitter",
            Strategy::Lock => "lock",
        }
    }
}

/// Lock strategy: how long a lock lasts unless its holder releases it.
pub const LOCK_TTL: DurationField = DurationField {
    name: "lock-ttl",
    min: 10,
    max: 2_000,
    step: 10,
    unit: TimeUnit::Millis,
    about: "Lock strategy: how long a lock lasts unless released",
};
/// Lock strategy: how long a reader that found the key locked waits before asking again.
pub const BACKOFF: DurationField = DurationField {
    name: "backoff",
    min: 5,
    max: 500,
    step: 5,
    unit: TimeUnit::Millis,
    about: "Lock strategy: wait before asking the cache again",
};

/// Cache size in entries (write patterns).
pub const SIZE: IntField = IntField {
    name: "size",
    min: 1,
    max: 50,
    unit: "entries",
    about: "Cache size",
    word: None,
};
/// TTL of cached values (write patterns); 0 is off.
pub const TTL: DurationField = DurationField {
    name: "ttl",
    min: 0,
    max: 2_000,
    step: 100,
    unit: TimeUnit::Seconds,
    about: "TTL of cached values (0 is off)",
};
/// TTL of the hot key(s) (stampede).
pub const STAMPEDE_TTL: DurationField = DurationField {
    name: "ttl",
    min: 200,
    max: 3_000,
    step: 100,
    unit: TimeUnit::Seconds,
    about: "TTL of the cached value(s)",
};
/// Cache size in entries (the e-commerce service: hundreds of keys).
pub const SHOP_SIZE: IntField = IntField {
    name: "size",
    min: 10,
    max: 1_000,
    unit: "entries",
    about: "Cache size",
    word: None,
};
/// Share of requests that are reads.
pub const READS: IntField = IntField {
    name: "reads",
    min: 0,
    max: 100,
    unit: "%",
    about: "Share of requests that are reads",
    word: None,
};
/// Zipf skew of key popularity.
pub const SKEW: DecimalField = zipf_skew("Zipf skew of key popularity");
/// Clients sending requests (write patterns).
pub const CLIENTS: IntField = IntField {
    name: "clients",
    min: 1,
    max: 8,
    unit: "clients",
    about: "Clients sending requests",
    word: None,
};
/// Clients reading the hot key (stampede).
pub const STAMPEDE_CLIENTS: IntField = IntField {
    name: "clients",
    min: 1,
    max: 50,
    unit: "clients",
    about: "Clients reading at expiry",
    word: None,
};
/// Database read latency.
pub const LATENCY: DurationField = DurationField {
    name: "latency",
    min: 1,
    max: 200,
    step: 1,
    unit: TimeUnit::Millis,
    about: "Database read latency (writes take 1.5 times as long)",
};
/// Virtual milliseconds per real second.
pub const SPEED: DecimalField = DecimalField {
    name: "speed",
    min: 10.0,
    max: 1_000.0,
    step: 10.0,
    unit: "virtual ms per s",
    about: "Playback speed",
};
/// Cache-aside: update the cached value on write instead of deleting it.
pub const UPDATE: FlagField = FlagField {
    name: "update",
    about: "Cache-aside: update the cache on write instead of deleting the key",
};
/// Cache-aside: the two-writers race.
pub const RACE: FlagField = FlagField {
    name: "race",
    about: "Cache-aside: two writers race (instead of the mixed workload)",
};
/// Write-behind: when the cache crashes.
pub const CRASH: IntField = IntField {
    name: "crash",
    min: 0,
    max: 3_600_000,
    unit: "ms",
    about: "Write-behind, e-commerce and compare: the moment the cache crashes (virtual ms)",
    word: Some(("none", NO_CRASH)),
};
/// `crash=none`.
pub const NO_CRASH: u64 = u64::MAX;
/// The stampede workload.
pub const WORKLOAD: ChoiceField = ChoiceField {
    name: "workload",
    about: "Stampede workload: one hot key, 100 keys, or missing keys",
    refused: &[],
};
/// Stampede protection.
pub const STRATEGY: ChoiceField = ChoiceField {
    name: "strategy",
    about: "Stampede protection",
    refused: &[],
};
/// Negative caching.
pub const NEGATIVE: FlagField = FlagField {
    name: "negative",
    about: "Negative caching: remember “not found” for 0.5 s",
};

/// How long negative caching remembers "not found".
const NEGATIVE_TTL: Millis = 500;

/// The settings of a write-pattern or stampede demo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlowConfig {
    /// Cache size in entries.
    pub size: u64,
    /// TTL in ms; 0 is off.
    pub ttl: Millis,
    /// Database read latency in ms.
    pub db_latency: Millis,
    /// Percentage of reads.
    pub read_percent: u64,
    /// Zipf skew.
    pub skew: f64,
    /// Clients.
    pub clients: u64,
    /// Virtual milliseconds per real second.
    pub speed: f64,
    /// Cache-aside: update on write.
    pub update_on_write: bool,
    /// Cache-aside: the race scenario.
    pub race: bool,
    /// Write-behind: crash time in ms, or [`NO_CRASH`].
    pub crash: u64,
    /// Stampede protection.
    pub strategy: Strategy,
    /// Lock strategy: the lock's TTL in ms.
    pub lock_ttl: Millis,
    /// Lock strategy: the back-off in ms.
    pub backoff: Millis,
    /// Stampede workload.
    pub herd: Herd,
    /// Negative caching.
    pub negative_caching: bool,
    /// The seed.
    pub seed: u64,
}

impl FlowConfig {
    /// The defaults of `demo`.
    pub fn defaults(demo: Demo) -> Self {
        let stampede = demo == Demo::Stampede;
        // Each pattern opens on a workload that shows its own trade-off: read-through on hot keys
        // that writes race loads for (it discards overtaken loads: fewer stale reads than
        // cache-aside, and fewer hits); write-around on a write-heavy mix (nothing written is
        // cached: fewer cache writes and never-read entries than write-through, and a miss after
        // each write).
        let (read_percent, skew, db_latency, clients) = match demo {
            Demo::ReadThrough => (50, 1.4, 40, 4),
            Demo::WriteAround => (30, 1.0, 10, 3),
            Demo::Stampede => (70, 1.0, 10, 20),
            // The shop's request mix is its own (reads are not a setting there); 8 users.
            Demo::ECommerce => (70, 1.0, 10, 8),
            _ => (70, 1.0, 10, 3),
        };
        Self {
            // Compare crashes the cache partway, so the table shows what each pattern loses.
            crash: if demo == Demo::Compare {
                1_600
            } else {
                NO_CRASH
            },
            size: match demo {
                Demo::Stampede => 10,
                Demo::ECommerce => 300,
                _ => 20,
            },
            ttl: if stampede { 1_000 } else { 0 },
            db_latency,
            read_percent,
            skew,
            clients,
            speed: if stampede { 250.0 } else { 100.0 },
            update_on_write: false,
            race: false,
            strategy: Strategy::None,
            lock_ttl: 100,
            backoff: 20,
            herd: Herd::HotKey,
            negative_caching: false,
            seed: 1,
        }
    }

    /// Lists the fields `demo` offers.
    pub fn visit<V: Visitor>(&mut self, demo: Demo, visitor: &mut V) {
        if demo == Demo::Stampede {
            visitor.choice(&WORKLOAD, &Herd::ALL, &mut self.herd);
            visitor.choice(&STRATEGY, &Strategy::ALL, &mut self.strategy);
            visitor.duration(&LOCK_TTL, &mut self.lock_ttl);
            visitor.duration(&BACKOFF, &mut self.backoff);
            visitor.flag(&NEGATIVE, &mut self.negative_caching);
            visitor.int(&STAMPEDE_CLIENTS, &mut self.clients);
            visitor.duration(&STAMPEDE_TTL, &mut self.ttl);
        } else if demo == Demo::ECommerce {
            visitor.int(&SHOP_SIZE, &mut self.size);
            visitor.duration(&TTL, &mut self.ttl);
            visitor.decimal(&SKEW, &mut self.skew);
            visitor.int(&CLIENTS, &mut self.clients);
        } else {
            visitor.int(&SIZE, &mut self.size);
            visitor.duration(&TTL, &mut self.ttl);
            visitor.int(&READS, &mut self.read_percent);
            visitor.decimal(&SKEW, &mut self.skew);
            visitor.int(&CLIENTS, &mut self.clients);
        }
        visitor.duration(&LATENCY, &mut self.db_latency);
        visitor.decimal(&SPEED, &mut self.speed);
        if demo == Demo::CacheAside {
            visitor.flag(&UPDATE, &mut self.update_on_write);
            visitor.flag(&RACE, &mut self.race);
        }
        if demo.can_crash() {
            visitor.int(&CRASH, &mut self.crash);
        }
        visitor.int(&SEED, &mut self.seed);
    }

    /// The demos whose runs `demo` shows: itself, or for Compare every write pattern.
    pub fn patterns(demo: Demo) -> Vec<Demo> {
        if demo == Demo::Compare {
            Demo::PATTERNS.to_vec()
        } else {
            vec![demo]
        }
    }

    /// The engine scenario `demo` runs with these settings.
    pub fn scenario(&self, demo: Demo) -> &'static str {
        match demo {
            Demo::CacheAside if self.race => "update-race",
            Demo::CacheAside => "cache-aside",
            Demo::ReadThrough => "read-through",
            Demo::WriteThrough => "write-through",
            Demo::WriteBehind => "write-behind",
            Demo::WriteAround => "write-around",
            Demo::ECommerce => "e-commerce",
            // Compare runs one scenario per pattern (see `patterns`); this names the first.
            Demo::Compare => "cache-aside",
            _ => match self.herd {
                Herd::HotKey => "stampede",
                Herd::ManyKeys => "expiry-storm",
                Herd::MissingKeys => "penetration",
            },
        }
    }

    /// The crash time, if any.
    pub fn crash_at(&self) -> Option<Millis> {
        (self.crash != NO_CRASH).then_some(self.crash)
    }

    /// The scenario options `demo` runs with these settings.
    pub fn options(&self, demo: Demo) -> ScenarioOptions {
        let mut options = ScenarioOptions {
            size: Some(self.size),
            ttl: (self.ttl > 0).then_some(self.ttl),
            db_latency: Some(self.db_latency),
            clients: Some(u32::try_from(self.clients).unwrap_or(u32::MAX)),
            seed: Some(self.seed),
            ..ScenarioOptions::default()
        };
        if demo == Demo::Stampede {
            options.strategy = Some(match self.strategy {
                Strategy::Coalesce => StampedeStrategy::Coalesce,
                Strategy::EarlyRefresh => StampedeStrategy::EarlyRefresh { beta: 1.0 },
                Strategy::Lock => StampedeStrategy::Lock {
                    lock_ttl: self.lock_ttl,
                    backoff: self.backoff,
                },
                Strategy::None | Strategy::Jitter => StampedeStrategy::None,
            });
            if self.strategy == Strategy::Jitter {
                options.ttl_jitter_percent = Some(20);
            }
            if self.negative_caching {
                options.negative_ttl = Some(NEGATIVE_TTL);
            }
        } else if demo == Demo::ECommerce {
            options.skew = Some(self.skew);
            // A request per user every 100 ms or so (the command line's default is 50): as many
            // messages as the diagram can show legibly, and as a frame can draw at top speed.
            options.request_interval = Some(100);
        } else {
            options.read_percent = Some(self.read_percent);
            options.skew = Some(self.skew);
            options.request_interval = Some(120);
        }
        if demo == Demo::CacheAside {
            options.pattern = Some(Pattern::CacheAside {
                update_on_write: self.update_on_write,
            });
        }
        if demo.can_crash() {
            options.crash_at = self.crash_at();
        }
        options
    }

    /// The options of `pattern`'s run as `shown` shows it: Compare crashes every pattern's cache
    /// (only write-behind has writes to lose).
    pub fn run_options(&self, shown: Demo, pattern: Demo) -> ScenarioOptions {
        let mut options = self.options(pattern);
        if shown == Demo::Compare {
            options.crash_at = self.crash_at();
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{Metrics, Scenario};

    /// The whole run of `demo` with `config`.
    fn metrics(demo: Demo, config: FlowConfig) -> Metrics {
        let scenario = Scenario::find(config.scenario(demo)).unwrap();
        scenario.run(&config.options(demo)).unwrap().metrics
    }

    #[test]
    fn each_write_pattern_opens_on_a_workload_that_shows_its_trade_off() {
        let patterns = [
            Demo::CacheAside,
            Demo::ReadThrough,
            Demo::WriteThrough,
            Demo::WriteBehind,
            Demo::WriteAround,
        ];
        let defaults: Vec<Metrics> = patterns
            .iter()
            .map(|&demo| metrics(demo, FlowConfig::defaults(demo)))
            .collect();
        for (i, a) in defaults.iter().enumerate() {
            for b in &defaults[i + 1..] {
                assert_ne!(a, b, "two patterns open on the same numbers");
            }
        }
        // Read-through's workload: it throws overtaken loads away, so fewer stale reads than
        // cache-aside on the same settings, and fewer hits.
        let contended = FlowConfig::defaults(Demo::ReadThrough);
        let (aside, through) = (
            metrics(Demo::CacheAside, contended),
            metrics(Demo::ReadThrough, contended),
        );
        assert!(through.stale_reads < aside.stale_reads);
        assert!(through.hit_ratio() < aside.hit_ratio());
        // Write-around's: writes stay out of the cache, so fewer cache writes and fewer entries
        // cached for nothing than write-through, and fewer hits.
        let write_heavy = FlowConfig::defaults(Demo::WriteAround);
        let (around, through) = (
            metrics(Demo::WriteAround, write_heavy),
            metrics(Demo::WriteThrough, write_heavy),
        );
        assert!(around.cache_sets * 2 < through.cache_sets);
        assert!(around.never_read < through.never_read);
        assert!(around.hit_ratio() < through.hit_ratio());
    }
}
