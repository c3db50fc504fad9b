//! Inputs the fuzzers (bench/fuzz.sh) flagged, kept so they stay handled. Each file in
//! tests/fixtures/fuzz/ is rendered, parsed and checked with the property its target asserts.

use std::collections::HashMap;
use std::path::PathBuf;

use opsbook::markdown::{LinkTargets, MarkdownOptions, render};
use scraper::{Html, Selector};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn render_body(text: &str) -> String {
    let pages = HashMap::new();
    let targets = LinkTargets {
        pages: &pages,
        base_path: "/docs",
    };
    let options = MarkdownOptions {
        unsafe_html: false,
        smart_punctuation: true,
        highlight: None,
    };
    render(text, 0, "notes", &targets, &options).html
}

/// Found by the markdown target: a code block whose text reads `href="javascript:…`. The text
/// is shown as text (the harness first mistook it for an attribute); no element gets a
/// `javascript:` URL and the code block keeps the words.
#[test]
fn quoted_javascript_in_a_code_block_stays_text() {
    let html = render_body(&fixture("markdown-quoted-javascript-in-code.md"));
    let doc = Html::parse_fragment(&html);
    let any = Selector::parse("[href], [src]").expect("selector");
    for el in doc.select(&any) {
        for attr in ["href", "src"] {
            if let Some(v) = el.value().attr(attr) {
                assert!(
                    !v.trim().to_ascii_lowercase().starts_with("javascript:"),
                    "{attr}={v:?}"
                );
            }
        }
    }
    let code = Selector::parse("pre code").expect("selector");
    let text: String = doc.select(&code).flat_map(|c| c.text()).collect();
    assert!(
        text.contains("href=\"javascript:"),
        "the code block shows the text as written"
    );
    assert_eq!(
        doc.select(&Selector::parse("script").expect("selector"))
            .count(),
        0
    );
}
