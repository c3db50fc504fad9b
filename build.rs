//! Tells cargo that the built-in theme is part of the crate.
//!
//! `src/theme.rs` embeds `themes/clusterops` with `include_dir!`, which stable cargo cannot
//! track: without this, an edit to a template alone left the old theme in the binary until some
//! `.rs` file changed. A directory given to `rerun-if-changed` is scanned as a whole, and a
//! rerun of this script recompiles the crate.

fn main() {
    println!("cargo:rerun-if-changed=themes/clusterops");
}
