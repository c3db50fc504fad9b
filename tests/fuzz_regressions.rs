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
        site_url: "https://example.org/docs",
    };
    let options = MarkdownOptions {
        unsafe_html: false,
        smart_punctuation: true,
        highlight: None,
        reserved_ids: vec!["main".into()],
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

/// Draws a `diagram` fuzz input (first line: the fence's info string; the rest: the block) and
/// parses the figure.
fn draw_fixture(name: &str) -> (opsbook::diagram::Drawn, Html) {
    let text = fixture(name);
    let (info, source) = text.split_once('\n').unwrap_or(("mermaid", &text));
    let drawn = opsbook::diagram::draw(source, info);
    let doc = Html::parse_fragment(&drawn.html);
    (drawn, doc)
}

/// What the `diagram` target asserts of every figure: no element that runs or loads anything,
/// no event handler, references only inside the drawing.
fn assert_inert(doc: &Html) {
    let forbidden = Selector::parse("script, foreignObject, img, image, iframe, a, object, embed")
        .expect("selector");
    assert_eq!(doc.select(&forbidden).count(), 0);
    let every = Selector::parse("*").expect("selector");
    for el in doc.select(&every) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "{name}={value:?}");
            if name.ends_with("href") {
                assert!(value.starts_with('#'), "{name}={value:?}");
            }
            if name != "aria-label" {
                assert!(!value.contains("javascript:"), "{name}={value:?}");
            }
        }
    }
}

/// Found by the diagram target: a hostile block (script and `onerror` in labels, a
/// `javascript:` click, `url(http…)` styles). The drawing is inert; the source, shown as text
/// under "Diagram as text", keeps the words (the harness first mistook that text for markup).
#[test]
fn a_hostile_diagram_is_inert_and_its_source_stays_text() {
    let (drawn, doc) = draw_fixture("diagram-hostile-source-shown-as-text.txt");
    assert!(drawn.diagram.error.is_none(), "{:?}", drawn.diagram.error);
    assert_inert(&doc);
    let svg = Selector::parse("svg[role=img]").expect("selector");
    assert_eq!(doc.select(&svg).count(), 1, "drawn");
    let code = Selector::parse("details pre code").expect("selector");
    let text: String = doc.select(&code).flat_map(|c| c.text()).collect();
    assert!(text.contains("click a \"javascript:alert(3)\""), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
}

/// Found by the diagram target: a fence title that says `javascript:` (and holds NULs). It is
/// only the drawing's accessible name (`aria-label`, `<title>`, caption), never a link, and
/// its control characters are dropped.
#[test]
fn a_title_saying_javascript_is_only_a_name() {
    let (drawn, doc) = draw_fixture("diagram-javascript-in-the-title.txt");
    assert_inert(&doc);
    assert!(drawn.diagram.title.contains("javascript:"));
    assert!(
        !drawn.diagram.title.contains('\0'),
        "{:?}",
        drawn.diagram.title
    );
    let svg = Selector::parse("svg[role=img]").expect("selector");
    let names: Vec<&str> = doc
        .select(&svg)
        .filter_map(|s| s.value().attr("aria-label"))
        .collect();
    assert_eq!(names, [drawn.diagram.title.as_str()]);
}
