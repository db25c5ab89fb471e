//! What the playground's demos run: thin, deterministic sessions over the engine that record the
//! reader's inputs in virtual time, so any earlier moment can be shown again, and that describe
//! their state (slots, diagram, console, stats) for the UI to draw. No cache logic lives in the UI.

pub mod console;
pub mod eviction;
pub mod flow;
pub mod key_names;

pub use console::{ConsoleLine, ConsoleLog, LineKind, format_time};
pub use eviction::{Departure, EvictionLab, EvictionSettings, GroupInfo, SlotInfo};
pub use flow::{FlowLab, FlowStats, InFlight, RowView};
pub use key_names::{KeyNames, validate_key_name};
