//! Helpers shared by the test targets.
#![allow(dead_code)] // each test target uses only some of them

pub mod fixed_workloads;
pub mod model_digests;
