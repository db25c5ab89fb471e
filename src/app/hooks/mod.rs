//! Custom hooks.

mod use_animation_frame;
mod use_demo_state;
mod use_report_height;
mod use_window_event;

pub use use_animation_frame::use_animation_frame;
pub use use_demo_state::{DemoState, Held, use_demo_state};
pub use use_report_height::use_report_height;
pub use use_window_event::use_window_event;
