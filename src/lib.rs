//! opsbook: a static site generator for typed Markdown collections, and the engine of the
//! Cluster Ops clearing house. The pipeline runs one way:
//! [`config`] → [`content`] (load, front matter, schema) → [`markdown`] → [`site`] (graph) →
//! [`plan`] (every output route) → [`render`] (templates) → [`emit`] (atomic output);
//! [`pipeline`] drives it, [`session`] keeps it in memory for `serve`, and every stage reports
//! [`diagnostics`] instead of failing. [`output`] is the leaf they share (URLs, output files).

// Input never justifies a panic: fallible paths return diagnostics. Kept here rather than in
// Cargo.toml's [lints] so unit and integration tests may still unwrap. The other lints live in
// Cargo.toml's [lints] table.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod chart;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod emit;
pub mod held;
pub mod highlight;
pub mod html_links;
pub mod import;
pub mod link_hints;
pub mod markdown;
pub mod output;
pub mod personal_data;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod site;
pub mod slug;
pub mod spdx;
pub mod theme;
mod timings;
pub mod versions;

pub use pipeline::{Failure, Options, build, check, generate};
