//! UI components, one per file.

mod app;
mod controls;
mod demo_link;
mod demo_page;
mod eviction_demo;
mod header;
mod nav;
mod notice;
mod overview;
mod slots;

pub use app::App;
