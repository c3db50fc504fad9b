//! Issue 17 ("a site operators can trust"), end to end on tests/fixtures/trust: the Kubernetes
//! versions pages (dates, sources, timeline, version order, per-version groups), the `check`
//! warning when `[kubernetes] current` disagrees with the versions file, provenance badges on
//! pages and lists, the survey's method/sample/period, and each lede printed once.

mod common;

use common::{Page, check_json, fixture};

const BOOK: &str = "book.toml";

fn build(root: &std::path::Path) -> std::path::PathBuf {
    common::build_site(root, false, None)
}

fn current_version_warnings(diags: &serde_json::Value) -> Vec<&serde_json::Value> {
    diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "current-version")
        .collect()
}

#[test]
fn check_warns_when_current_is_not_the_newest_release() {
    let site = fixture("trust");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "a warning alone passes: {diags}");
    let warnings = current_version_warnings(&diags);
    assert_eq!(warnings.len(), 1, "{diags}");
    let w = warnings[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["file"], BOOK);
    assert_eq!(w["line"], 10, "points at `current`: {w}");
    assert_eq!(w["column"], 11);
    assert!(
        w["message"].as_str().unwrap().contains("1.11"),
        "names the newest release: {w}"
    );

    // Up to date: no warning.
    let book = site.path().join(BOOK);
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace("current = \"1.10\"", "current = \"1.11\""),
    )
    .unwrap();
    let (_, diags) = check_json(site.path());
    assert!(current_version_warnings(&diags).is_empty(), "{diags}");

    // A version the file does not list: a warning too.
    std::fs::write(
        &book,
        text.replace("current = \"1.10\"", "current = \"1.12\""),
    )
    .unwrap();
    let (_, diags) = check_json(site.path());
    let warnings = current_version_warnings(&diags);
    assert_eq!(warnings.len(), 1, "{diags}");
    assert!(warnings[0]["message"].as_str().unwrap().contains("1.12"));
}

#[test]
fn a_broken_versions_file_is_reported_in_that_file() {
    let site = fixture("trust");
    let file = site.path().join("data/versions.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("end_of_life = 2019-02-13", "end_of_life = 2017-02-13"),
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let bad: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "data/versions.toml")
        .collect();
    assert_eq!(bad.len(), 1, "{diags}");
    assert_eq!(bad[0]["code"], "versions");
    assert_eq!(bad[0]["severity"], "error");
}

#[test]
fn versions_page_lists_dates_and_sources_newest_first() {
    let site = fixture("trust");
    let out = build(site.path());
    let page = Page::load(&out, "kubernetes/index.html");

    let rows = page.all("table.versions-table tbody tr");
    let versions: Vec<String> = rows
        .iter()
        .map(|r| {
            r.select(&scraper::Selector::parse("th").unwrap())
                .next()
                .unwrap()
                .text()
                .collect::<String>()
        })
        .collect();
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert!(versions[0].starts_with("Kubernetes 1.11"), "{versions:?}");
    assert!(versions[1].starts_with("Kubernetes 1.10"), "{versions:?}");
    assert!(versions[2].starts_with("Kubernetes 1.9"), "{versions:?}");
    assert!(versions[1].contains("current"), "current is marked");

    // Every row: release date, end of support, and a source link.
    let times = page.attrs("table.versions-table tbody tr time", "datetime");
    for date in [
        "2018-06-27",
        "2019-05-01",
        "2018-03-26",
        "2019-02-13",
        "2017-12-15",
    ] {
        assert!(times.iter().any(|t| t == date), "{date} in {times:?}");
    }
    let links = page.attrs("table.versions-table tbody tr td a", "href");
    for src in [
        "https://kubernetes.io/releases/1.11/",
        "https://kubernetes.io/releases/1.10/",
        "https://kubernetes.io/releases/1.9/",
    ] {
        assert!(links.iter().any(|l| l == src), "{src} in {links:?}");
    }
    // Versions that pages name link to their page; 1.11 is named by none.
    let version_links = page.attrs("table.versions-table tbody th a", "href");
    assert_eq!(version_links, ["/kubernetes/1.10/", "/kubernetes/1.9/"]);

    // The timeline: one bar per release, drawn at build time, labelled by its caption.
    let bars = page.all("figure.timeline-figure svg rect.timeline-bar");
    assert_eq!(bars.len(), 3);
    assert_eq!(page.all("svg rect.timeline-current").len(), 1);
    let labelled = page
        .attr("figure.timeline-figure svg", "aria-labelledby")
        .unwrap();
    assert_eq!(page.all(&format!("#{labelled}")).len(), 1);

    // 1.8 is named by a note but has no data: listed separately, not invented.
    let unlisted = page.texts("ul.terms li a");
    assert_eq!(unlisted, ["1.8"]);
}

#[test]
fn version_page_groups_architectures_notes_and_results() {
    let site = fixture("trust");
    let out = build(site.path());
    let page = Page::load(&out, "kubernetes/1.10/index.html");
    let facts = page.texts("dl.version-facts dd");
    assert!(facts.iter().any(|f| f == "2018-03-26"), "{facts:?}");
    assert!(facts.iter().any(|f| f == "2019-02-13"), "{facts:?}");
    assert!(facts.iter().any(|f| f == "A note about 1.10."), "{facts:?}");
    assert_eq!(
        page.attrs("dl.version-facts a", "href"),
        ["https://kubernetes.io/releases/1.10/"]
    );
    let headings = page.texts("main section h2");
    assert_eq!(
        headings,
        [
            "Architectures that name it (1)",
            "Deployment notes (1)",
            "Conformance results (1)"
        ]
    );
    assert_eq!(
        page.attrs("#group-architectures ~ ul a", "href"),
        ["/architectures/current-design/"]
    );

    // A version without data says so instead of showing dates.
    let legacy = Page::load(&out, "kubernetes/1.8/index.html");
    assert!(legacy.all("dl.version-facts").is_empty());
    assert!(legacy.text("main p.notice").contains("no release dates"));
}

#[test]
fn provenance_is_a_badge_on_pages_and_in_lists() {
    let site = fixture("trust");
    let out = build(site.path());
    let example = Page::load(&out, "architectures/old-design/index.html");
    assert_eq!(example.texts(".entry-header .badge-example"), ["example"]);
    assert!(
        example
            .text(".entry-header .notice-example")
            .contains("invented example")
    );
    let community = Page::load(&out, "architectures/current-design/index.html");
    assert!(community.all(".badge-example").is_empty());
    assert_eq!(
        community.texts(".entry-header .badge-community"),
        ["community"]
    );

    let list = Page::load(&out, "architectures/index.html");
    assert_eq!(list.all(".badge-example").len(), 1);
    assert_eq!(list.all(".badge-community").len(), 1);
    let notes = Page::load(&out, "notes/index.html");
    assert_eq!(notes.all(".badge-example").len(), 1);
    assert_eq!(notes.all(".badge-community").len(), 1);
}

#[test]
fn survey_states_method_sample_period_and_question_wording() {
    let site = fixture("trust");
    let out = build(site.path());
    let page = Page::load(&out, "surveys/example/index.html");
    let facts = page.texts(".panel dd");
    for want in [
        "An online form.",
        "Readers of the mailing list, self-selected.",
        "2018-01-01 to 2018-01-31",
    ] {
        assert!(facts.iter().any(|f| f == want), "{want} in {facts:?}");
    }
    assert!(
        page.text("figure.survey-question figcaption")
            .contains("Question as asked: “Which runtime do you use?”")
    );

    // A survey without them does not pass check.
    let file = site.path().join("content/surveys/example.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("method = \"An online form.\"\n", "")).unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "missing-field"
                && d["message"].as_str().unwrap().contains("method")),
        "{diags}"
    );
}

#[test]
fn list_pages_print_their_lede_once() {
    let site = fixture("trust");
    let out = build(site.path());
    let page = Page::load(&out, "architectures/index.html");
    let header = page.text(".list-header");
    assert_eq!(
        header
            .matches("The intro of the architectures folder")
            .count(),
        1
    );
    assert!(!header.contains("must not be printed"), "{header}");
    // Without an intro, the description is the lede.
    let notes = Page::load(&out, "notes/index.html");
    assert_eq!(
        notes.texts(".list-header .lede"),
        ["Notes without an intro: this description is the lede."]
    );
}
