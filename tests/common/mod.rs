//! Helpers shared by the test targets.
pub mod fixed_workloads;
