//! Renders one Markdown file's body as the fuzz target does and prints the HTML
//! (cargo run --example render_file -- FILE): for reproducing fuzz findings.
use std::collections::HashMap;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render_file FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let pages = HashMap::new();
    let targets = opsbook::markdown::LinkTargets {
        pages: &pages,
        base_path: "/docs",
        site_url: "https://example.org/docs",
    };
    let options = opsbook::markdown::MarkdownOptions {
        unsafe_html: false,
        smart_punctuation: true,
        highlight: None,
        reserved_ids: vec!["main".into()],
    };
    print!(
        "{}",
        opsbook::markdown::render(&text, 0, "notes", &targets, &options).html
    );
}
