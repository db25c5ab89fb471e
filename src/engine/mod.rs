//! The cache engine: pure Rust with no web dependencies, deterministic (virtual time, seeded
//! randomness), shared by the web app, the `cachesim` command line and library users.

pub mod dense_keys;
pub mod frequency_sketch;
pub mod hash;
pub mod key_queue;
pub mod linked_slab;
pub mod policy;
pub mod rng;
pub mod sim;
pub mod workload;

pub use policy::{
    Capacity, CapacityError, NeedsTrace, NextUse, Policy, PolicyKind, PolicyOptions, UnknownPolicy,
};
pub use rng::Rng;
pub use sim::{SimResult, replay};
pub use workload::{KeyStream, Workload, WorkloadError};
