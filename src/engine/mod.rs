//! The cache engine: pure Rust with no web dependencies, deterministic (virtual time, seeded
//! randomness), shared by the web app, the `cachesim` command line and library users.

pub mod cache;
pub mod decimal;
pub mod dense_keys;
pub mod events;
pub mod frequency_sketch;
pub mod hash;
pub mod key_numbers;
pub mod key_queue;
pub mod lab;
pub mod linked_slab;
pub mod memo;
pub mod model;
pub mod mrc;
pub mod policy;
pub mod rng;
pub mod sim;
pub mod stats;
pub mod text;
pub mod token_index;
pub mod trace;
pub mod workload;

pub use cache::{ActiveExpiry, Cache, CacheConfig, PutOutcome, Ttl};
pub use events::{CacheEvent, EventKind, EventSink, EvictionReason, Millis, NoEvents};
pub use hash::{IdMap, IdSet};
pub use policy::{
    ByteCapacity, ByteCapacityError, BytePolicy, Capacity, CapacityError, Inspect,
    InspectablePolicy, NeedsTrace, NextUse, Policy, PolicyKind, PolicyOptions, UnknownPolicy,
};
pub use rng::Rng;
pub use sim::{ByteTotals, SimResult, replay, replay_in_bytes};
pub use stats::{CacheInfo, MissKind, Stats};
pub use trace::{
    Fields, KeyColumn, NotATrace, Position, RequestSink, Requests, Trace, TraceError, TraceFormat,
    TraceProblem, TraceSummary, ZstdProblem, read_trace, read_trace_with, stream_trace,
};
pub use workload::{KeyStream, Workload, WorkloadError};
