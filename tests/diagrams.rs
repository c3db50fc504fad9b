//! Diagrams: ```mermaid fences become inline, sanitized, accessible SVG at build time; a broken
//! block is a located `check` error; hostile blocks give safe output or an error in bounded time.

mod common;

use std::time::{Duration, Instant};

use common::{Page, build_site, check_json, fixture};

#[test]
fn flowchart_sequence_and_architecture_are_inline_svg() {
    let site = fixture("diagrams");
    let out = build_site(site.path(), false, None);
    let page = Page::load(&out, "notes/topology/index.html");
    let figures = page.all("figure.diagram");
    assert_eq!(figures.len(), 3, "three drawn diagrams");
    let svgs = page.all("figure.diagram svg.diagram-svg");
    assert_eq!(svgs.len(), 3);
    let names: Vec<String> = svgs
        .iter()
        .map(|s| {
            assert_eq!(s.value().attr("role"), Some("img"));
            s.value().attr("aria-label").unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(names[0], "Cluster topology", "the fence title names it");
    assert_eq!(names[1], "Watch path", "the diagram's own title names it");
    assert!(!names[2].is_empty());
    // Labels are drawn as SVG text (no HTML in foreignObject, no script anywhere).
    let texts = page.texts("figure.diagram svg text");
    let all = texts.join(" ");
    for label in [
        "kube-apiserver",
        "Control plane",
        "watch pods",
        "API servers",
    ] {
        assert!(all.contains(label), "{label} drawn: {all}");
    }
    assert!(
        page.all("script")
            .iter()
            .all(|s| !s.inner_html().contains("mermaid"))
    );
    assert!(page.all("figure.diagram foreignObject").is_empty());
    assert!(page.all("figure.diagram script").is_empty());
    // The source is the collapsed text alternative.
    let summaries = page.texts("figure.diagram details.diagram-source summary");
    assert_eq!(summaries.len(), 3);
    assert!(summaries.iter().all(|s| s == "Diagram as text"));
    assert!(page.all("figure.diagram details[open]").is_empty());
    let source = page.text("figure.diagram details code");
    assert!(source.contains("flowchart LR"), "{source}");
    // Colours come from the theme, not the renderer.
    for svg in &svgs {
        let html = svg.html();
        assert!(
            !html.contains("#28253D") && !html.contains("#ECECFF"),
            "renderer colours left"
        );
        assert!(html.contains("var(--diagram-") || html.contains("currentColor"));
    }
}

/// A drawing too wide for a phone at legible size keeps its size and scrolls sideways, and a
/// line tells a phone reader so; a narrow drawing has neither.
#[test]
fn a_diagram_wider_than_a_phone_scrolls_and_says_so() {
    let mut wide =
        String::from("+++\ntitle = \"Wide\"\ndate = 2026-08-01\n+++\n```mermaid\nflowchart LR\n");
    for n in 0..8 {
        wide.push_str(&format!(
            "  n{n}[Edge site number {n}] --> n{}[Edge site number {}]\n",
            n + 1,
            n + 1
        ));
    }
    wide.push_str("```\n\n```mermaid\nflowchart TB\n  a[One] --> b[Two]\n```\n");
    let site = common::fixture_with("diagrams", &[("notes/wide.md", wide.as_bytes())]);
    let out = build_site(site.path(), false, None);
    let page = Page::load(&out, "notes/wide/index.html");
    let figures = page.all("figure.diagram");
    assert_eq!(figures.len(), 2);
    let classes: Vec<&str> = figures
        .iter()
        .map(|f| f.value().attr("class").unwrap_or(""))
        .collect();
    assert_eq!(classes, ["diagram diagram-wide", "diagram"]);
    assert_eq!(
        page.all("figure.diagram-wide p.diagram-scroll-hint").len(),
        1
    );
    assert!(
        page.all("figure.diagram:not(.diagram-wide) .diagram-scroll-hint")
            .is_empty()
    );
    // Its drawing is never shrunk below 12 px text: min-width is at least 0.85 of its viewBox.
    let svg = page.all("figure.diagram-wide svg.diagram-svg")[0];
    let view_width: f64 = svg
        .value()
        .attr("viewBox")
        .and_then(|v| v.split(' ').nth(2))
        .and_then(|w| w.parse().ok())
        .expect("viewBox");
    let style = svg.value().attr("style").unwrap_or("");
    let min_width: f64 = style
        .split(';')
        .find_map(|d| d.trim().strip_prefix("min-width:"))
        .and_then(|w| w.trim_end_matches("px").parse().ok())
        .unwrap_or_else(|| panic!("no min-width in {style}"));
    assert!(
        min_width >= view_width * 0.85,
        "{min_width} for {view_width}"
    );
}

#[test]
fn hostile_block_is_safe_even_beside_raw_html() {
    let site = fixture("diagrams");
    let out = build_site(site.path(), false, None);
    let page = Page::load(&out, "notes/hostile/index.html");
    let svgs = page.all("figure.diagram svg.diagram-svg");
    assert_eq!(svgs.len(), 1, "drawn despite the raw HTML on the page");
    assert!(page.texts("svg text").join(" ").contains("zzhostilelabel"));
    assert!(
        page.all("script")
            .iter()
            .all(|s| !s.inner_html().contains("alert"))
    );
    assert!(
        page.all("svg img, svg a, svg foreignObject, svg image")
            .is_empty()
    );
    for el in page.all("figure.diagram *") {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} kept");
            assert!(!value.contains("javascript:"), "{name}={value}");
            assert!(!value.contains("evil.example"), "{name}={value}");
        }
        if el.value().name() == "style" {
            let css = el.inner_html();
            assert!(
                !css.contains("evil.example") && !css.contains("@import"),
                "{css}"
            );
        }
    }
    let title = page
        .attr("figure.diagram svg.diagram-svg", "aria-label")
        .unwrap_or_default();
    assert_eq!(
        title, "<script>alert(1)</script>",
        "kept as text, escaped in the attribute"
    );
}

#[test]
fn broken_block_is_a_located_check_error() {
    let site = fixture("diagrams");
    let path = site.path().join("content/notes/broken.md");
    std::fs::write(
        &path,
        "+++\ntitle = \"Broken\"\ndate = 2026-09-01\n+++\nIntro.\n\n```mermaid\nflowchart LR\n  a --> b\n  b --> c[unclosed\n  c --> d\n```\n",
    )
    .expect("write");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let diags = diags.as_array().expect("array");
    let d = diags
        .iter()
        .find(|d| d["code"] == "diagram")
        .unwrap_or_else(|| panic!("a diagram error: {diags:?}"));
    assert_eq!(d["file"], "content/notes/broken.md");
    assert!(
        d["line"] == 10 && d["column"] == 10,
        "at the broken line in the file, not the fence (line 7): {d}"
    );
    let message = d["message"].as_str().unwrap_or("");
    assert!(
        !message.is_empty() && !message.contains("Error {"),
        "{message}"
    );
}

#[test]
fn thousands_of_nodes_error_within_the_bound() {
    let site = fixture("diagrams");
    let mut body =
        String::from("+++\ntitle = \"Huge\"\ndate = 2026-08-01\n+++\n```mermaid\nflowchart LR\n");
    for i in 0..3000 {
        body.push_str(&format!("  n{i}[node {i}] --> n{}\n", i + 1));
    }
    body.push_str("```\n\n```mermaid\nflowchart TB\n");
    for i in 0..400 {
        body.push_str(&format!(
            "  m{i} --> m{} & m{} & m{}\n",
            i + 1,
            (i * 7) % 400,
            (i * 13) % 400
        ));
    }
    body.push_str("```\n");
    std::fs::write(site.path().join("content/notes/huge.md"), body).expect("write");
    let started = Instant::now();
    let (code, diags) = check_json(site.path());
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "bounded: {:?}",
        started.elapsed()
    );
    let diags = diags.as_array().expect("array");
    let huge: Vec<_> = diags
        .iter()
        .filter(|d| d["file"] == "content/notes/huge.md" && d["code"] == "diagram")
        .collect();
    assert!(
        !huge.is_empty(),
        "the 3000-node block is refused: {diags:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn feeds_search_and_api_carry_the_diagram() {
    let site = fixture("diagrams");
    let out = build_site(site.path(), false, None);
    // The flowchart sits before `<!-- more -->`, so it is part of the summary the feed carries:
    // the SVG, and the text alternative for readers that strip SVG.
    let feed = std::fs::read_to_string(out.join("notes/atom.xml")).expect("feed");
    assert!(feed.contains("&lt;svg"), "SVG in the feed");
    assert!(
        feed.contains("Diagram as text"),
        "text alternative in the feed"
    );
    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("api/notes.json")).expect("api"))
            .expect("json");
    let entry = api["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["slug"] == "topology")
        .expect("topology entry")
        .clone();
    let diagrams = entry["diagrams"].as_array().expect("diagrams in the API");
    assert_eq!(diagrams.len(), 3);
    assert_eq!(diagrams[0]["title"], "Cluster topology");
    assert!(
        diagrams[0]["source"]
            .as_str()
            .unwrap_or("")
            .starts_with("flowchart LR")
    );
    // Search: the body text the index reads holds the diagram's title and labels.
    let search_files: Vec<String> = walk(&out)
        .into_iter()
        .filter(|p| p.contains("search"))
        .collect();
    let blob: String = search_files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(
        blob.contains("zzhostilelabel"),
        "labels are indexed: {search_files:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            out.push(entry.path().display().to_string());
        }
    }
    out
}
