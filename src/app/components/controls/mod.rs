//! Controls every demo shares: sliders, playback, manual operations, stats and the console.

mod console;
mod key_ops;
mod seed_field;
mod slider;
mod stats_panel;
mod transport;

pub use console::{Console, ConsoleSource, HasConsole};
pub use key_ops::KeyOps;
pub use seed_field::SeedField;
pub use slider::{Slider, count};
pub use stats_panel::{StatsPanel, percent};
pub use transport::Transport;
