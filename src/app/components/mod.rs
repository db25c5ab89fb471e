//! UI components, one per file.

mod app;
mod demo_link;
mod demo_page;
mod header;
mod nav;
mod notice;
mod overview;

pub use app::App;
