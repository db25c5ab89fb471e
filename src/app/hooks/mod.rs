//! Custom hooks.

mod use_window_event;

pub use use_window_event::use_window_event;
