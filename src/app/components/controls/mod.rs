//! Controls every demo shares: sliders, playback, manual operations, stats and the console.

mod console;
mod key_ops;
mod seed_field;
mod slider;
mod stats_panel;
mod transport;

pub use console::{Console, ConsoleSource, HasConsole};
pub use key_ops::{KeyRequest, key_ops};
pub use seed_field::seed_field;
pub use slider::{SliderInput, count, range_slider, slider_id};
pub use stats_panel::{percent, stats_panel};
pub use transport::{TransportInput, transport};
