//! Named, seeded presets: each builds a configuration and a list of client requests that the UI
//! can animate and `cachesim scenario` can run headless.

use std::fmt;

use super::{
    ClientRequest, ModelConfig, ModelRun, Op, Pattern, Related, Route, StampedeStrategy, run,
    sort_requests,
};
use crate::engine::events::Millis;
use crate::engine::policy::{Capacity, CapacityError};
use crate::engine::rng::Rng;
use crate::engine::workload::{Workload, WorkloadError};

/// Overrides for a scenario's defaults (from the command line or the UI).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ScenarioOptions {
    /// The write pattern.
    pub pattern: Option<Pattern>,
    /// The cache size in entries.
    pub size: Option<u64>,
    /// The TTL of cached values.
    pub ttl: Option<Millis>,
    /// Database read latency (writes take 1.5 times as long).
    pub db_latency: Option<Millis>,
    /// When the cache crashes.
    pub crash_at: Option<Millis>,
    /// How many clients.
    pub clients: Option<u32>,
    /// Stampede protection.
    pub strategy: Option<StampedeStrategy>,
    /// TTL jitter in percent (the `jitter` strategy).
    pub ttl_jitter_percent: Option<u32>,
    /// Cache "not found" for this long (negative caching).
    pub negative_ttl: Option<Millis>,
    /// Percentage of requests that are reads (the pattern workloads).
    pub read_percent: Option<u64>,
    /// Zipf skew of key popularity (the pattern workloads).
    pub skew: Option<f64>,
    /// Milliseconds between one client's requests (the pattern workloads).
    pub request_interval: Option<Millis>,
    /// The database is down in `[from, until)`.
    pub db_outage: Option<(Millis, Millis)>,
    /// The seed.
    pub seed: Option<u64>,
}

/// A built scenario: its configuration and its client requests, or why the options do not fit.
pub type Built = Result<(ModelConfig, Vec<ClientRequest>), ScenarioError>;

/// Why a scenario's options do not fit; its `Display` says it in one line.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// The cache size is not a usable capacity.
    Size(CapacityError),
    /// The settings would send about `requests` client requests, past [`MAX_REQUESTS`].
    TooManyRequests { requests: u64 },
    /// The workload's parameters are unusable (no keys, a bad skew).
    Workload(WorkloadError),
    /// TTL jitter asked of the stampede, which has one hot key.
    JitterOnOneKey,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Size(error) => error.fmt(f),
            ScenarioError::TooManyRequests { requests } => write!(
                f,
                "these settings would send about {requests} requests; at most {MAX_REQUESTS} run (fewer clients, a lower rate or a shorter TTL)"
            ),
            ScenarioError::Workload(error) => error.fmt(f),
            ScenarioError::JitterOnOneKey => f.write_str(
                "TTL jitter spreads expiry across many keys; a single hot key needs coalesce or xfetch (try the expiry-storm scenario for jitter)",
            ),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A named preset.
#[derive(Debug)]
pub struct Scenario {
    /// Its id.
    pub name: &'static str,
    /// One line on what it shows.
    pub summary: &'static str,
    /// Builds the run.
    build: fn(&ScenarioOptions) -> Built,
}

impl Scenario {
    /// The preset called `name`.
    pub fn find(name: &str) -> Option<&'static Scenario> {
        SCENARIOS.iter().find(|scenario| scenario.name == name)
    }

    /// Its configuration and requests, with `options` applied.
    pub fn build(&self, options: &ScenarioOptions) -> Built {
        (self.build)(options)
    }

    /// Builds and runs it.
    pub fn run(&self, options: &ScenarioOptions) -> Result<ModelRun, ScenarioError> {
        let (config, requests) = self.build(options)?;
        Ok(run(&config, &requests))
    }

    /// The valid names, comma-separated, for error messages (with `memo`, which `cachesim`
    /// runs through [`crate::engine::memo`]).
    pub fn names() -> String {
        let mut names: Vec<&str> = SCENARIOS.iter().map(|scenario| scenario.name).collect();
        names.push("memo");
        names.join(", ")
    }
}

/// Every preset.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "cache-aside",
        summary: "reads fill the cache on a miss; writes update the database and delete the cached key",
        build: |o| {
            pattern_workload(
                Pattern::CacheAside {
                    update_on_write: false,
                },
                o,
            )
        },
    },
    Scenario {
        name: "read-through",
        summary: "the cache loads missed keys from the database itself",
        build: |o| pattern_workload(Pattern::ReadThrough, o),
    },
    Scenario {
        name: "write-through",
        summary: "a write completes once both the cache and the database have it: no stale reads",
        build: |o| pattern_workload(Pattern::WriteThrough, o),
    },
    Scenario {
        name: "write-behind",
        summary: "writes land in the cache and a queue flushed in batches; a crash loses the queue",
        build: |o| {
            pattern_workload(
                Pattern::WriteBehind {
                    batch_size: 10,
                    flush_interval: 200,
                },
                o,
            )
        },
    },
    Scenario {
        name: "write-around",
        summary: "writes go only to the database; the first read after a write misses",
        build: |o| pattern_workload(Pattern::WriteAround, o),
    },
    Scenario {
        name: "update-race",
        summary: "two writers' cache updates cross: update-instead-of-delete leaves a stale value",
        build: update_race,
    },
    Scenario {
        name: "stampede",
        summary: "a hot key expires while many clients read it (strategies: none, coalesce, xfetch)",
        build: stampede,
    },
    Scenario {
        name: "expiry-storm",
        summary: "many keys cached together expire together; TTL jitter spreads the reloads",
        build: expiry_storm,
    },
    Scenario {
        name: "e-commerce",
        summary: "a shop: catalogue cache-aside, sessions write-through, analytics write-behind, prices write-around",
        build: e_commerce,
    },
    Scenario {
        name: "penetration",
        summary: "reads of keys that do not exist, with and without negative caching",
        build: penetration,
    },
];

/// The base configuration with the common overrides applied.
fn configure(
    pattern: Pattern,
    size: u64,
    options: &ScenarioOptions,
) -> Result<ModelConfig, ScenarioError> {
    let size = options.size.unwrap_or(size);
    let capacity = Capacity::new(u128::from(size)).map_err(ScenarioError::Size)?;
    let mut config = ModelConfig::new(options.pattern.unwrap_or(pattern), capacity);
    config.ttl = options.ttl.or(config.ttl);
    if let Some(latency) = options.db_latency {
        config.latencies.db_read = latency;
        config.latencies.db_write = latency + latency / 2;
    }
    config.crash_cache_at = options.crash_at;
    config.strategy = options.strategy.unwrap_or(StampedeStrategy::None);
    config.ttl_jitter_percent = options.ttl_jitter_percent.unwrap_or(0).min(100);
    config.negative_ttl = options.negative_ttl;
    config.db_outage = options.db_outage;
    config.seed = options.seed.unwrap_or(1);
    Ok(config)
}

/// The shape of a mixed read/write workload.
struct Mix {
    /// How many clients.
    clients: u32,
    /// How long they send requests.
    duration: Millis,
    /// Milliseconds between one client's requests (± a quarter, seeded).
    every: Millis,
    /// Percentage of reads.
    read_percent: u64,
    /// Distinct keys.
    keys: u64,
    /// Zipf skew of their popularity.
    skew: f64,
}

/// The most client requests a scenario may send: each costs about ten events, so a run stays
/// within about a second and a few hundred MB. Checked before the requests are made.
pub const MAX_REQUESTS: u64 = 1_000_000;

/// Refuses a scenario that would send `requests` requests, past [`MAX_REQUESTS`].
fn within_budget(requests: u64) -> Result<(), ScenarioError> {
    if requests > MAX_REQUESTS {
        return Err(ScenarioError::TooManyRequests { requests });
    }
    Ok(())
}

/// At most how many requests one client sends in `duration` ms, one every `every` ms ± a quarter.
fn per_client(duration: Millis, every: Millis) -> u64 {
    let shortest = (every - every / 4).max(1);
    duration / shortest + 1
}

/// Requests for `mix`: each client sends one every `every` ms; a read with probability
/// `read_percent`, of a Zipf-popular key.
fn mixed_requests(mix: &Mix, seed: u64) -> Result<Vec<ClientRequest>, ScenarioError> {
    let every = mix.every.max(1);
    within_budget(u64::from(mix.clients).saturating_mul(per_client(mix.duration, every)))?;
    let mut rng = Rng::new(seed);
    let mut popular = Workload::Zipf {
        keys: mix.keys,
        alpha: mix.skew,
    }
    .keys(seed)
    .map_err(ScenarioError::Workload)?;
    let mut requests = Vec::new();
    for client in 0..mix.clients {
        let mut at = rng.below(every);
        while at < mix.duration {
            let key = popular.next().expect("endless");
            let op = if rng.below(100) < mix.read_percent {
                Op::Read(key)
            } else {
                Op::Write(key)
            };
            requests.push(ClientRequest::new(at, client, op));
            at += every - every / 4 + rng.below(every / 2 + 1);
        }
    }
    sort_requests(&mut requests);
    Ok(requests)
}

fn pattern_workload(pattern: Pattern, options: &ScenarioOptions) -> Built {
    let mut config = configure(pattern, 20, options)?;
    config.db_keys = 50;
    let mix = Mix {
        clients: options.clients.unwrap_or(4),
        duration: 2_000,
        every: options.request_interval.unwrap_or(40),
        read_percent: options.read_percent.unwrap_or(80).min(100),
        keys: 50,
        skew: options.skew.unwrap_or(1.0),
    };
    Ok((config, mixed_requests(&mix, config.seed)?))
}

fn update_race(options: &ScenarioOptions) -> Built {
    let config = configure(
        Pattern::CacheAside {
            update_on_write: true,
        },
        10,
        options,
    )?;
    let mut first = ClientRequest::new(0, 1, Op::Write(0));
    first.stall_after_db = 50; // writer 1 pauses (a GC, say) before updating the cache
    let mut requests = vec![first, ClientRequest::new(5, 2, Op::Write(0))];
    requests.extend((0..3).map(|i| ClientRequest::new(150 + 20 * i, 3, Op::Read(0))));
    Ok((config, requests))
}

fn stampede(options: &ScenarioOptions) -> Built {
    if options.ttl_jitter_percent.is_some() {
        return Err(ScenarioError::JitterOnOneKey);
    }
    let mut config = configure(
        Pattern::CacheAside {
            update_on_write: false,
        },
        10,
        options,
    )?;
    config.ttl = Some(options.ttl.unwrap_or(1_000));
    config.warm = 1;
    let expiry = config.ttl.unwrap_or(1_000);
    let clients = options.clients.unwrap_or(20);
    within_budget((expiry / 10).saturating_add(u64::from(clients)))?;
    // A steady reader keeps the key hot until just before it expires...
    let mut requests: Vec<ClientRequest> = (1..expiry / 10)
        .map(|i| ClientRequest::new(i * 10, 0, Op::Read(0)))
        .collect();
    // ...then a burst of clients reads it just after.
    requests.extend(
        (0..clients).map(|c| ClientRequest::new(expiry + Millis::from(c % 5), c + 1, Op::Read(0))),
    );
    Ok((config, requests))
}

fn expiry_storm(options: &ScenarioOptions) -> Built {
    let mut config = configure(
        Pattern::CacheAside {
            update_on_write: false,
        },
        200,
        options,
    )?;
    config.ttl = Some(options.ttl.unwrap_or(1_000));
    config.db_keys = 100;
    config.warm = 100; // every key cached at time 0 with the same TTL
    let clients = options.clients.unwrap_or(20);
    within_budget(u64::from(clients) * 300)?;
    let mut rng = Rng::new(config.seed);
    let requests = (0..clients)
        .flat_map(|client| (0..300u64).map(move |i| (client, i)))
        .map(|(client, i)| {
            ClientRequest::new(
                i * 10 + Millis::from(client % 10),
                client,
                Op::Read(rng.below(100)),
            )
        })
        .collect();
    Ok((config, requests))
}

fn penetration(options: &ScenarioOptions) -> Built {
    let mut config = configure(
        Pattern::CacheAside {
            update_on_write: false,
        },
        50,
        options,
    )?;
    config.db_keys = 100;
    let clients = options.clients.unwrap_or(10);
    within_budget(u64::from(clients) * 100)?;
    // Each client asks for its own missing key (100 and up) every 10 ms for a second.
    let requests = (0..100u64)
        .flat_map(|i| {
            (0..clients).map(move |c| ClientRequest::new(i * 10, c, Op::Read(100 + u64::from(c))))
        })
        .collect();
    Ok((config, requests))
}

/// E-commerce key ranges: each group of keys is one kind of data with its own pattern.
pub mod shop {
    use crate::engine::model::KeyRange;

    /// Products (catalogue pages): keys `0..100`.
    pub const PRODUCTS: u64 = 0;
    /// User sessions: `1000 + user`.
    pub const SESSIONS: u64 = 1_000;
    /// Analytics events: keys `2000..2100`.
    pub const ANALYTICS: u64 = 2_000;
    /// Prices: `3000 + product`.
    pub const PRICES: u64 = 3_000;
    /// User profiles: `4000 + user`.
    pub const PROFILES: u64 = 4_000;
    /// Personal recommendations: `5000 + user`.
    pub const RECOMMENDATIONS: u64 = 5_000;

    /// Each data type's keys, counted apart in the metrics: products, sessions, analytics,
    /// prices, profiles, recommendations.
    pub const GROUPS: [KeyRange; 6] = [
        KeyRange {
            from: PRODUCTS,
            until: PRODUCTS + 1_000,
        },
        KeyRange {
            from: SESSIONS,
            until: SESSIONS + 1_000,
        },
        KeyRange {
            from: ANALYTICS,
            until: ANALYTICS + 1_000,
        },
        KeyRange {
            from: PRICES,
            until: PRICES + 1_000,
        },
        KeyRange {
            from: PROFILES,
            until: PROFILES + 1_000,
        },
        KeyRange {
            from: RECOMMENDATIONS,
            until: RECOMMENDATIONS + 1_000,
        },
    ];
}

/// Which pattern each group follows (profiles and recommendations use the main one, cache-aside).
const SHOP_ROUTES: &[Route] = &[
    Route {
        from: shop::SESSIONS,
        until: shop::SESSIONS + 1_000,
        pattern: Pattern::WriteThrough,
    },
    Route {
        from: shop::ANALYTICS,
        until: shop::ANALYTICS + 1_000,
        pattern: Pattern::WriteBehind {
            batch_size: 20,
            flush_interval: 250,
        },
    },
    Route {
        from: shop::PRICES,
        until: shop::PRICES + 1_000,
        pattern: Pattern::WriteAround,
    },
];

/// A profile update drops the user's cached session and recommendations.
const SHOP_RELATED: &[Related] = &[Related {
    from: shop::PROFILES,
    until: shop::PROFILES + 1_000,
    offsets: &[
        shop::SESSIONS as i64 - shop::PROFILES as i64,
        shop::RECOMMENDATIONS as i64 - shop::PROFILES as i64,
    ],
}];

fn e_commerce(options: &ScenarioOptions) -> Built {
    let mut config = configure(
        Pattern::CacheAside {
            update_on_write: false,
        },
        300,
        options,
    )?;
    config.routes = SHOP_ROUTES;
    config.related = SHOP_RELATED;
    config.groups = &shop::GROUPS;
    config.db_keys = 6_000;
    let clients = options.clients.unwrap_or(8);
    let every = options.request_interval.unwrap_or(50).max(1);
    within_budget(u64::from(clients).saturating_mul(per_client(3_000, every)))?;
    let mut rng = Rng::new(config.seed);
    let mut popular = Workload::Zipf {
        keys: 100,
        alpha: options.skew.unwrap_or(1.0),
    }
    .keys(config.seed)
    .map_err(ScenarioError::Workload)?;
    let mut requests = Vec::new();
    for user in 0..clients {
        let user_key = u64::from(user);
        let mut at = rng.below(every);
        while at < 3_000 {
            let product = popular.next().expect("endless");
            let op = match rng.below(100) {
                0..=39 => Op::Read(shop::PRODUCTS + product),
                40..=49 => Op::Read(shop::PRICES + product),
                50..=64 => Op::Read(shop::SESSIONS + user_key),
                65..=69 => Op::Write(shop::SESSIONS + user_key),
                70..=89 => Op::Write(shop::ANALYTICS + rng.below(100)),
                90..=91 => Op::Write(shop::PRICES + product),
                92..=94 => Op::Read(shop::RECOMMENDATIONS + user_key),
                95..=96 => Op::Write(shop::PROFILES + user_key),
                _ => Op::Read(shop::PROFILES + user_key),
            };
            requests.push(ClientRequest::new(at, user, op));
            at += every - every / 4 + rng.below(every / 2 + 1);
        }
    }
    sort_requests(&mut requests);
    Ok((config, requests))
}
