//! What the playground's demos run: thin, deterministic sessions over the engine that record the
//! reader's inputs in virtual time, so any earlier moment can be shown again, and that describe
//! their state (slots, diagram, console, stats) for the UI to draw. No cache logic lives in the UI.

pub mod console;
pub mod eviction;
pub mod flow;
pub mod hit_rate;
pub mod key_names;
pub mod memo;
pub mod policy_words;
pub mod trace_lab;

pub use console::{ConsoleLine, ConsoleLog, LineKind, format_time};
pub use eviction::{Departure, EvictionLab, EvictionSettings, GroupInfo, SlotInfo};
pub use flow::{FlowLab, InFlight, Link, Meaning, Neighbour, Outcome, RequestStep};
pub use hit_rate::{Curve, HitRateLab, HitRateSettings, MissRatioCurve};
pub use key_names::{KeyNames, validate_key_name};
pub use memo::MemoLab;
pub use trace_lab::{SampleFound, TraceLab, TraceLabResult, TraceLabSettings};
