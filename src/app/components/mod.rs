//! UI components, one per file.

mod app;
mod bar_chart;
mod controls;
mod demo_link;
mod demo_page;
mod eviction_demo;
mod flow_demo;
pub mod flow_diagram;
mod flow_narration;
mod flow_sequence;
mod header;
mod hit_rate_demo;
mod line_chart;
mod memo_demo;
mod nav;
mod notice;
mod overview;
mod slots;

pub use app::App;
