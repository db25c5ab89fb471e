//! The catalogue of demos: their stable URL ids, titles, navigation groups and explanations.
//!
//! The ids are a public API: documentation pages link to and embed `?demo=<id>` URLs, so an id
//! never changes once published.

/// One demo of the playground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Demo {
    /// Cache-aside (lazy loading) reads and writes.
    CacheAside,
    /// Read-through: the cache loads missed keys itself.
    ReadThrough,
    /// Write-through writes.
    WriteThrough,
    /// Write-behind (write-back) writes.
    WriteBehind,
    /// Write-around writes.
    WriteAround,
    /// The five write patterns side by side on one workload.
    Compare,
    /// Least-recently-used eviction.
    Lru,
    /// Least-frequently-used eviction.
    Lfu,
    /// Time-to-live expiry.
    Ttl,
    /// Hit ratio of many policies on a synthetic workload.
    HitRate,
    /// Cache stampede (thundering herd) at expiry.
    Stampede,
    /// One service, each kind of data cached its own way.
    ECommerce,
    /// Function memoization (`functools.lru_cache`).
    Memo,
}

/// The navigation groups, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DemoGroup {
    /// How reads and writes flow between app, cache and database.
    WritePatterns,
    /// What leaves the cache when it is full, or too old.
    Eviction,
    /// Whole-system behaviour: workloads, stampedes, memoization.
    Scenarios,
}

impl DemoGroup {
    /// Every group, in display order.
    pub const ALL: [DemoGroup; 3] = [
        DemoGroup::WritePatterns,
        DemoGroup::Eviction,
        DemoGroup::Scenarios,
    ];

    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            DemoGroup::WritePatterns => "Write patterns",
            DemoGroup::Eviction => "Eviction",
            DemoGroup::Scenarios => "Scenarios",
        }
    }

    /// The demos in this group, in display order.
    pub fn demos(self) -> impl Iterator<Item = Demo> {
        Demo::ALL
            .into_iter()
            .filter(move |demo| demo.group() == self)
    }
}

impl Demo {
    /// Every demo, in navigation order.
    pub const ALL: [Demo; 13] = [
        Demo::CacheAside,
        Demo::ReadThrough,
        Demo::WriteThrough,
        Demo::WriteBehind,
        Demo::WriteAround,
        Demo::Compare,
        Demo::Lru,
        Demo::Lfu,
        Demo::Ttl,
        Demo::HitRate,
        Demo::Stampede,
        Demo::ECommerce,
        Demo::Memo,
    ];

    /// The stable URL id (`?demo=<id>`).
    pub fn id(self) -> &'static str {
        match self {
            Demo::CacheAside => "cache-aside",
            Demo::ReadThrough => "read-through",
            Demo::WriteThrough => "write-through",
            Demo::WriteBehind => "write-behind",
            Demo::WriteAround => "write-around",
            Demo::Compare => "compare",
            Demo::Lru => "lru",
            Demo::Lfu => "lfu",
            Demo::Ttl => "ttl",
            Demo::HitRate => "hit-rate",
            Demo::Stampede => "stampede",
            Demo::ECommerce => "e-commerce",
            Demo::Memo => "memo",
        }
    }

    /// The demo whose id is `id`, if any. Exact match: ids are lower-case by contract.
    pub fn from_id(id: &str) -> Option<Demo> {
        Demo::ALL.into_iter().find(|demo| demo.id() == id)
    }

    /// Whether the demo offers a cache crash (it has a write-behind queue to lose).
    pub fn can_crash(self) -> bool {
        matches!(self, Demo::WriteBehind | Demo::ECommerce | Demo::Compare)
    }

    /// The write-pattern demos, in navigation order (what Compare runs side by side).
    pub const PATTERNS: [Demo; 5] = [
        Demo::CacheAside,
        Demo::ReadThrough,
        Demo::WriteThrough,
        Demo::WriteBehind,
        Demo::WriteAround,
    ];

    /// The label in the navigation.
    pub fn nav_label(self) -> &'static str {
        match self {
            Demo::CacheAside => "Cache-aside",
            Demo::ReadThrough => "Read-through",
            Demo::WriteThrough => "Write-through",
            Demo::WriteBehind => "Write-behind",
            Demo::WriteAround => "Write-around",
            Demo::Compare => "Compare patterns",
            Demo::Lru => "LRU",
            Demo::Lfu => "LFU",
            Demo::Ttl => "TTL",
            Demo::HitRate => "Hit-rate simulation",
            Demo::Stampede => "Stampede",
            Demo::ECommerce => "E-commerce",
            Demo::Memo => "Memoization",
        }
    }

    /// The page heading.
    pub fn title(self) -> &'static str {
        match self {
            Demo::CacheAside => "Cache-aside (lazy loading)",
            Demo::ReadThrough => "Read-through",
            Demo::WriteThrough => "Write-through",
            Demo::WriteBehind => "Write-behind (write-back)",
            Demo::WriteAround => "Write-around",
            Demo::Compare => "Compare the write patterns",
            Demo::Lru => "LRU: least recently used",
            Demo::Lfu => "LFU: least frequently used",
            Demo::Ttl => "TTL: time to live",
            Demo::HitRate => "Hit-rate simulation",
            Demo::Stampede => "Cache stampede",
            Demo::ECommerce => "An e-commerce service",
            Demo::Memo => "Memoization",
        }
    }

    /// Which navigation group the demo sits in.
    pub fn group(self) -> DemoGroup {
        match self {
            Demo::CacheAside
            | Demo::ReadThrough
            | Demo::WriteThrough
            | Demo::WriteBehind
            | Demo::WriteAround
            | Demo::Compare => DemoGroup::WritePatterns,
            Demo::Lru | Demo::Lfu | Demo::Ttl => DemoGroup::Eviction,
            Demo::HitRate | Demo::Stampede | Demo::ECommerce | Demo::Memo => DemoGroup::Scenarios,
        }
    }

    /// One sentence on what the demo shows.
    pub fn summary(self) -> &'static str {
        match self {
            Demo::CacheAside => {
                "The application reads the cache first; on a miss it reads the database and fills the cache. \
                 Writes go to the database and invalidate the cached copy."
            }
            Demo::ReadThrough => {
                "The application only ever asks the cache; on a miss the cache itself loads the row from the \
                 database, stores it and answers. Writes go to the database and invalidate the cached copy."
            }
            Demo::WriteThrough => {
                "Every write updates the cache and the database before it completes, so the cache never \
                 holds data the database does not."
            }
            Demo::WriteBehind => {
                "Writes land in the cache and a queue; the queue flushes to the database in batches, \
                 coalescing repeated writes to the same key."
            }
            Demo::WriteAround => {
                "Writes go straight to the database and only invalidate the cache; the cache is filled by reads."
            }
            Demo::Compare => {
                "The same seeded workload through all five write patterns at once, side by side, with a crash \
                 of the cache partway: which pattern suits your data?"
            }
            Demo::Lru => {
                "When the cache is full, the entry that was used longest ago leaves first."
            }
            Demo::Lfu => {
                "When the cache is full, the entry with the fewest hits leaves first; ties go to the least recent."
            }
            Demo::Ttl => {
                "Every entry carries an expiry time; after it, a read misses and goes back to the database."
            }
            Demo::HitRate => {
                "Replay a synthetic workload through several eviction policies at once and compare their hit ratios, \
                 with Belady's optimal policy as the floor."
            }
            Demo::Stampede => {
                "A hot key expires while many clients read it; without protection every one of them hits the database."
            }
            Demo::ECommerce => {
                "One shop, each kind of data cached its own way: catalogue cache-aside, sessions write-through, \
                 analytics write-behind, prices write-around; a profile update invalidates related keys."
            }
            Demo::Memo => {
                "Caching a function's results, as Python's functools.lru_cache does, and the classic mistake that \
                 makes every call miss."
            }
        }
    }

    /// When a team would choose this pattern or policy.
    pub fn when_to_use(self) -> &'static str {
        match self {
            Demo::CacheAside => {
                "Read-heavy data that tolerates a short window of staleness: catalogues, profiles, configuration. \
                 Only what is actually read gets cached."
            }
            Demo::ReadThrough => {
                "When the loading logic belongs in the cache layer (a cache library or service with a loader), \
                 so every application reads the same way and misses are loaded once, in one place."
            }
            Demo::WriteThrough => {
                "Data that is read soon after it is written and must not be stale in the cache, such as user sessions."
            }
            Demo::WriteBehind => {
                "Write-heavy data where losing the last few writes is acceptable, such as counters and analytics events."
            }
            Demo::WriteAround => {
                "Data written often but read rarely, such as logs or bulk imports, which would otherwise flood the cache."
            }
            Demo::Compare => {
                "Choosing a pattern: set the sliders to your read ratio, skew and database latency, and read \
                 the table."
            }
            Demo::Lru => {
                "General-purpose caches where recently used data is likely to be used again soon."
            }
            Demo::Lfu => {
                "Workloads with a stable set of popular keys that should survive bursts of one-off reads."
            }
            Demo::Ttl => {
                "Data that changes at the source without the cache being told, where bounded staleness is acceptable."
            }
            Demo::HitRate => {
                "Sizing a cache and choosing a policy before deploying it, from a workload that resembles yours."
            }
            Demo::Stampede => {
                "Any cache in front of an expensive query whose hot keys expire under load."
            }
            Demo::ECommerce => {
                "Most real services: pick the pattern per kind of data, by how it is read, written and how \
                 stale it may be."
            }
            Demo::Memo => "Pure functions that are called repeatedly with the same arguments.",
        }
    }

    /// What it costs.
    pub fn trade_off(self) -> &'static str {
        match self {
            Demo::CacheAside => {
                "The first read of every key misses, and a read racing a write can put a stale value back into the cache."
            }
            Demo::ReadThrough => {
                "The cache must know how to reach the database, and a load overtaken by a write must be thrown \
                 away, or it would put an old row back. It opens on hot keys that writes race loads for: \
                 compare its stale reads and hit ratio with cache-aside's on the same settings."
            }
            Demo::WriteThrough => {
                "Every write pays for two stores, and data that is never read still fills the cache."
            }
            Demo::WriteBehind => {
                "Fast writes, but a cache crash loses every write still in the queue."
            }
            Demo::WriteAround => {
                "The first read after every write misses. It opens on a write-heavy mix: compare its cache \
                 writes and never-read entries with write-through's on the same settings."
            }
            Demo::Compare => {
                "One workload is a model of yours: the ranking can change with the read ratio, the skew and \
                 how often the cache fails."
            }
            Demo::Lru => "A single scan over many keys can flush the whole working set.",
            Demo::Lfu => "Keys that were popular once can linger long after they stop being read.",
            Demo::Ttl => {
                "Too short and the database works harder; too long and readers see old data."
            }
            Demo::HitRate => {
                "A synthetic workload is a model: confirm with a trace of real traffic."
            }
            Demo::Stampede => {
                "Protection adds waiting (coalescing), retries (a lock in the cache) or extra early refreshes \
                 (probabilistic expiry)."
            }
            Demo::ECommerce => {
                "Each kind of data keeps its pattern's cost: compare the table by data type (lost analytics \
                 writes after a crash, misses on prices after each update, sessions never stale)."
            }
            Demo::Memo => {
                "Memory grows with distinct arguments unless bounded, and impure functions return stale results."
            }
        }
    }
}
