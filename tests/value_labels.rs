//! Enum values as readers see them: a schema's `value_labels` names them in panels, lists,
//! facets, term pages and search; a value it does not name is shown as written; and a name
//! for a value the field does not have is a config error. Taxonomy terms likewise, by their
//! taxonomy's `labels`, with their URLs unchanged; a label for a term no entry writes is a
//! warning.

mod common;

use std::path::Path;

use common::{Page, fixture};
use serde_json::Value;

fn build(root: &Path) -> std::path::PathBuf {
    common::build_site(root, false, None)
}

#[test]
fn panels_and_lists_show_the_value_labels() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let panel = |rel: &str| {
        let page = Page::load(&out, rel);
        let dts = page.texts(".panel dt");
        let dds = page.texts(".panel dd");
        dts.into_iter().zip(dds).collect::<Vec<_>>()
    };
    let stacked = panel("architectures/stacked/index.html");
    assert!(
        stacked.contains(&("Control plane".into(), "Stacked etcd".into())),
        "{stacked:?}"
    );
    let status = Page::load(&out, "architectures/stacked/index.html");
    assert_eq!(status.texts(".panel .badge-production"), ["In production"]);
    // No label given: the value as written.
    let single = panel("architectures/single/index.html");
    assert!(
        single.contains(&("Control plane".into(), "single-node".into())),
        "{single:?}"
    );

    let list = Page::load(&out, "architectures/index.html");
    let planes = list.texts("td[data-label='Control plane']");
    assert_eq!(planes, ["single-node", "Stacked etcd"]);
    assert_eq!(list.texts("td .badge-production"), ["In production"]);

    let tool = Page::load(&out, "tools/snapper/index.html");
    assert!(tool.texts("main a.tag").contains(&"Day 2".to_string()));
    let catalog = Page::load(&out, "tools/index.html");
    assert!(
        catalog
            .texts("select[name='lifecycle'] option")
            .contains(&"Day 2 (1)".to_string()),
        "{:?}",
        catalog.texts("select[name='lifecycle'] option")
    );
}

#[test]
fn facets_and_term_pages_show_the_value_labels() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let terms = Page::load(&out, "architectures/control_plane/index.html");
    let mut names = terms.texts("ul.terms a");
    names.sort();
    assert_eq!(names, ["Stacked etcd", "single-node"]);
    // The URL keeps the value's slug.
    assert!(
        terms
            .attrs("ul.terms a", "href")
            .contains(&"/architectures/control_plane/stacked-etcd/".to_string())
    );
    let term = Page::load(&out, "architectures/control_plane/stacked-etcd/index.html");
    assert!(
        term.text("h1").ends_with(": Stacked etcd"),
        "{}",
        term.text("h1")
    );
    // A field without a label is named by its words; one with a label, by the label.
    assert_eq!(
        term.text("h1"),
        "Reference architectures, control plane: Stacked etcd"
    );
    let by_stage = Page::load(&out, "tools/lifecycle/index.html");
    assert_eq!(by_stage.text("h1"), "Tool catalog by Lifecycle stage");
    let stage = Page::load(&out, "tools/lifecycle/day-2/index.html");
    assert_eq!(stage.text("h1"), "Tool catalog, Lifecycle stage: Day 2");
    assert!(
        stage
            .texts("nav a")
            .contains(&"By Lifecycle stage".to_string()),
        "{:?}",
        stage.texts("nav a")
    );
}

#[test]
fn taxonomy_terms_show_their_labels_and_keep_their_urls() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let page = Page::load(&out, "architectures/stacked/index.html");
    let providers = page.all(".panel a.tag[href*='/providers/']");
    let shown: Vec<(String, String)> = providers
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [("Bare metal".into(), "/providers/bare-metal/".into())]
    );

    let list = Page::load(&out, "architectures/index.html");
    let mut cells = list.texts("td[data-label='Providers']");
    cells.sort();
    // No label given: the term as written.
    assert_eq!(cells, ["Bare metal", "edge"]);

    let terms = Page::load(&out, "providers/index.html");
    let mut names = terms.texts("ul.terms a");
    names.sort();
    assert_eq!(names, ["Bare metal", "edge"]);
    assert!(
        terms
            .attrs("ul.terms a", "href")
            .contains(&"/providers/bare-metal/".to_string())
    );
    let term = Page::load(&out, "providers/bare-metal/index.html");
    assert_eq!(term.text("h1"), "Providers: Bare metal");
    assert_eq!(
        term.text(".breadcrumbs [aria-current='page']"),
        "Providers: Bare metal"
    );
    assert!(term.text("title").starts_with("Providers: Bare metal"));

    let note = Page::load(&out, "notes/upgrade/index.html");
    assert_eq!(
        note.texts(".panel a.tag[href*='/providers/']"),
        ["Bare metal", "edge"]
    );
    let notes = Page::load(&out, "notes/index.html");
    let meta = notes.text(".card .meta");
    assert!(meta.ends_with("Bare metal, edge"), "{meta}");

    let mut strings = Vec::new();
    search_strings(&out.join("search"), &mut strings);
    assert!(
        strings.iter().any(|s| s.contains("Bare metal")),
        "no search text names the provider's label"
    );
}

#[test]
fn browse_by_links_name_each_field_as_a_reader_would() {
    let site = fixture("value-labels");
    let out = build(site.path());
    // No label: the field's name in words; a label: the label as written.
    let architectures = Page::load(&out, "architectures/index.html");
    assert_eq!(
        architectures.texts(".facets a"),
        ["status", "control plane"]
    );
    let notes = Page::load(&out, "notes/index.html");
    assert_eq!(notes.texts(".facets a"), ["How it went"]);
}

#[test]
fn outcome_badges_show_the_value_labels() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let notes = Page::load(&out, "notes/index.html");
    assert_eq!(notes.texts(".card .badge-rolled-back"), ["Rolled back"]);
    let note = Page::load(&out, "notes/upgrade/index.html");
    assert_eq!(note.texts(".panel .badge-rolled-back"), ["Rolled back"]);
    let version = Page::load(&out, "kubernetes/1.33/index.html");
    assert_eq!(version.texts(".badge-rolled-back"), ["Rolled back"]);
}

#[test]
fn a_label_for_a_term_no_entry_uses_is_a_warning_at_its_key() {
    let site = fixture("value-labels");
    // The labels as they are: every key is a term entries write.
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 0);
    assert_eq!(common::problems(&diags, "book.toml"), []);

    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).unwrap_or_else(|e| panic!("{e}"));
    let typo = "labels = { bare-metel = \"Bare metal\", openstack = \"OpenStack\" }";
    let text = text.replace("labels = { bare-metal = \"Bare metal\" }", typo);
    std::fs::write(&book, &text).unwrap_or_else(|e| panic!("{e}"));
    let line = text
        .lines()
        .position(|l| l == typo)
        .unwrap_or_else(|| panic!("no labels line in\n{text}")) as u64
        + 1;

    let (code, diags) = common::check_json(site.path());
    // A warning: the site builds, its term shown as written.
    assert_eq!(code, 0);
    let warnings: Vec<&str> = diags
        .as_array()
        .unwrap_or_else(|| panic!("{diags}"))
        .iter()
        .filter(|d| d["file"] == "book.toml")
        .filter_map(|d| d["severity"].as_str())
        .collect();
    assert_eq!(warnings, ["warning", "warning"]);
    assert_eq!(
        common::problems(&diags, "book.toml"),
        [
            (
                "unused-label".to_string(),
                line,
                12,
                "`labels` of taxonomy `providers` names `bare-metel`, which no entry uses".into(),
                "did you mean `bare-metal`? Write the term as entries write it, or remove the label"
                    .into(),
            ),
            (
                "unused-label".to_string(),
                line,
                39,
                "`labels` of taxonomy `providers` names `openstack`, which no entry uses".into(),
                "write the term as entries write it, or remove the label".into(),
            ),
        ]
    );
}

/// Every string of every JSON file of the search bundle.
fn search_strings(dir: &Path, out: &mut Vec<String>) {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        if entry.path().extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(entry.path())
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            let v: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            walk(&v, out);
        }
    }
}

#[test]
fn search_shows_the_value_labels() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let mut strings = Vec::new();
    search_strings(&out.join("search"), &mut strings);
    assert!(
        strings.iter().any(|s| s.contains("Stacked etcd")),
        "no search text names the label"
    );
    assert!(
        !strings
            .iter()
            .any(|s| s.contains("stacked-etcd") && !s.contains('/'))
    );
}

#[test]
fn a_label_for_a_value_the_field_lacks_is_a_config_error() {
    let site = fixture("value-labels");
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &book,
        text.replace(
            "stacked-etcd = \"Stacked etcd\"",
            "stacked-etc = \"Stacked etcd\"",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = common::opsbook(site.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("names `stacked-etc`, which is not one of its values")
            && stdout.contains("did you mean `stacked-etcd`?"),
        "{stdout}"
    );
}
