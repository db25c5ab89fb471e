//! Cache Playground: a deterministic cache engine, the Yew web app built on it, and the shared
//! pieces of the `cachesim` command line.

pub mod config;
pub mod engine;

#[cfg(not(target_arch = "wasm32"))]
pub mod cachesim;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(target_arch = "wasm32")]
pub mod trace_worker;
