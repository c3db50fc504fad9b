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
    assert_eq!(w["line"], 11, "points at `current`: {w}");
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

/// The diagnostics of `check` on the trust fixture with its versions file changed by `edit`
/// and `current` set to `current`.
fn check_versions(edit: &dyn Fn(&str) -> String, current: &str) -> serde_json::Value {
    let site = fixture("trust");
    let file = site.path().join("data/versions.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(&text)).unwrap();
    let book = site.path().join(BOOK);
    let b = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        b.replace("current = \"1.10\"", &format!("current = \"{current}\"")),
    )
    .unwrap();
    check_json(site.path()).1
}

#[test]
fn a_mistake_in_the_current_release_is_reported_once_with_its_fix() {
    // 1.11's end of life before its release: that error, and no warning that book.toml's
    // `current` names a release the file does not list.
    let diags = check_versions(
        &|t| t.replace("end_of_life = 2019-05-01", "end_of_life = 2017-05-01"),
        "1.11",
    );
    assert!(current_version_warnings(&diags).is_empty(), "{diags}");
    let errors: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "versions")
        .collect();
    assert_eq!(errors.len(), 1, "{diags}");
    assert!(
        errors[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("release page")),
        "{diags}"
    );

    // An unquoted version and a quoted date: hints that name the fix.
    let hint = |edit: &dyn Fn(&str) -> String| {
        let diags = check_versions(edit, "1.11");
        let d = diags
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["file"] == "data/versions.toml")
            .cloned();
        d.and_then(|d| d["help"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let help = hint(&|t| t.replace("version = \"1.9\"", "version = 1.9"));
    assert!(help.contains("version = \"1.9\""), "{help}");
    let help = hint(&|t| t.replace("released = 2017-12-15", "released = \"15 December 2017\""));
    assert!(help.contains("without quotes"), "{help}");
    let help = hint(&|t| t.replace("end_of_life = 2018-09-29\n", ""));
    assert!(help.contains("add `end_of_life`"), "{help}");
}

#[test]
fn a_release_announced_ahead_is_not_asked_to_be_current() {
    // 1.12 is listed with a release date after today: `current` stays 1.11, no warning.
    let diags = check_versions(
        &|t| {
            format!(
                "{t}\n[[release]]\nversion = \"1.12\"\nreleased = 2999-01-01\nend_of_life = 3000-03-01\nsource = \"https://kubernetes.io/releases/\"\n"
            )
        },
        "1.11",
    );
    assert!(current_version_warnings(&diags).is_empty(), "{diags}");
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
    // Every release has its page, 1.11 too, which no page names yet: its dates are there.
    let version_links = page.attrs("table.versions-table tbody th a", "href");
    assert_eq!(
        version_links,
        ["/kubernetes/1.11/", "/kubernetes/1.10/", "/kubernetes/1.9/"]
    );
    let unnamed = Page::load(&out, "kubernetes/1.11/index.html");
    let facts = unnamed.texts("dl.version-facts dd time");
    assert_eq!(
        facts,
        ["2018-06-27", "2019-03-01", "2019-05-01"],
        "{facts:?}"
    );
    assert!(
        unnamed
            .text("main")
            .contains("No page is tagged with this version yet")
    );
    // A release's own page says whether it is the current one, as its table row does.
    let badges =
        |v: &str| Page::load(&out, &format!("kubernetes/{v}/index.html")).texts(".lede .badge");
    assert!(
        badges("1.10").iter().any(|b| b == "current"),
        "{:?}",
        badges("1.10")
    );
    assert!(
        !badges("1.11").iter().any(|b| b == "current"),
        "{:?}",
        badges("1.11")
    );

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

/// The rules of `selector` in the built site's style.css, each `{ … }` body.
fn css_rules(out: &std::path::Path, selector: &str) -> Vec<String> {
    let mut css = std::fs::read_to_string(out.join("style.css")).unwrap();
    while let Some(start) = css.find("/*") {
        let end = css[start..].find("*/").map_or(css.len(), |e| start + e + 2);
        css.replace_range(start..end, "");
    }
    css.split('}')
        .filter_map(|rule| rule.split_once('{'))
        .filter(|(sel, _)| sel.split(',').any(|s| s.trim() == selector))
        .map(|(_, body)| body.to_string())
        .collect()
}

#[test]
fn badges_are_in_sentence_case_and_dates_stay_on_one_line() {
    let site = fixture("trust");
    let out = build(site.path());
    // Words as written, only the first letter raised: "Past end of life", never
    // "Past End Of Life".
    let badge = css_rules(&out, ".badge").concat();
    assert!(!badge.contains("capitalize"), "{badge}");
    let first = css_rules(&out, ".badge::first-letter").concat();
    assert!(first.contains("text-transform: uppercase"), "{first}");
    // Dates in the versions table are <time> elements that never wrap inside ("2026-08-/26").
    let page = Page::load(&out, "kubernetes/index.html");
    assert!(page.all("table.versions-table td time").len() >= 6);
    let time = css_rules(&out, ".versions-table time").concat();
    assert!(time.contains("white-space: nowrap"), "{time}");
}

/// Badges that mean different things look different: a warning ("Needs review"), an invented
/// example, an early stage (proposed, CNCF sandbox), a partial outcome and a release in
/// maintenance mode each have their own colour, and the warning also a sign.
#[test]
fn distinct_meanings_have_distinct_badge_colours() {
    let site = fixture("trust");
    let out = build(site.path());
    let background = |selector: &str| {
        let rules = css_rules(&out, selector).concat();
        rules
            .split(';')
            .find_map(|d| d.trim().strip_prefix("background:"))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("{selector} has no background: {rules}"))
    };
    let meanings = [
        ".badge-stale",
        ".badge-example",
        ".badge-proposed",
        ".badge-partial",
        ".badge-maintenance",
    ];
    let colours: Vec<String> = meanings.iter().map(|m| background(m)).collect();
    for (i, a) in colours.iter().enumerate() {
        for (j, b) in colours.iter().enumerate().skip(i + 1) {
            assert_ne!(a, b, "{} and {} share a colour", meanings[i], meanings[j]);
        }
    }
    // Same stage, same colour: a proposed design and a CNCF sandbox project.
    assert_eq!(background(".badge-sandbox"), background(".badge-proposed"));
    assert_eq!(background(".notice-example"), background(".badge-example"));
    let sign = css_rules(&out, ".badge-stale::before").concat();
    assert!(sign.contains("content:"), "{sign}");
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

/// The `kubernetes` field lists the versions an architecture names; nothing records that they
/// were tested, so no page says "tested" of them, community entry or example (the panel shows
/// the field's `label`, as the shipped book.toml sets it).
#[test]
fn an_architecture_names_its_versions_and_never_calls_them_tested() {
    let site = fixture("trust");
    let out = build(site.path());
    let label = |rel: &str| {
        Page::load(&out, rel)
            .texts("main dt")
            .into_iter()
            .find(|t| t.starts_with("Kubernetes"))
            .unwrap_or_default()
    };
    assert_eq!(
        label("architectures/current-design/index.html"),
        "Kubernetes versions named"
    );
    // An example without the full panel (no status, no providers) lists its fields plainly,
    // under the same words.
    assert_eq!(
        label("architectures/old-design/index.html"),
        "Kubernetes versions named"
    );
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

#[test]
fn a_written_tool_page_says_it_is_a_reference_entry() {
    let site = fixture("trust");
    let out = build(site.path());
    let page = Page::load(&out, "tools/written-tool/index.html");
    assert_eq!(page.texts(".entry-header .badge-reference"), ["reference"]);
    let note = page.text(".entry-header .provenance-note");
    assert!(
        note.contains("own documentation and release notes")
            && note.contains("not a report of running it"),
        "{note}"
    );
    // A deployment note names the tool, so the explanation points at it.
    assert_eq!(
        page.attrs(".provenance-note a", "href"),
        ["#backlinks-title"]
    );
    assert_eq!(page.all("#backlinks-title").len(), 1);
    assert!(page.all(".notice-example").is_empty());

    // The imported listing keeps its own marking and gets no provenance badge.
    let listed = Page::load(&out, "tools/listed-tool/index.html");
    assert!(listed.all(".badge-reference").is_empty());
    assert!(
        listed
            .text("#imported-notice")
            .contains("Nobody has written about")
    );

    // In the catalog, the written card carries the badge, the imported one does not.
    let list = Page::load(&out, "tools/index.html");
    assert_eq!(
        list.texts(".tool-card.written .badge-reference"),
        ["reference"]
    );
    assert!(list.all(".tool-card.imported .badge-reference").is_empty());
}

#[test]
fn a_written_tool_entry_without_provenance_fails_check() {
    let site = fixture("trust");
    assert_eq!(check_json(site.path()).0, 0, "the fixture starts clean");
    let file = site.path().join("content/tools/written-tool.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("provenance = \"reference\"\n", "")).unwrap();
    // An imported listing is excused by its `source`; without it, it is written by hand.
    let listed = site.path().join("content/tools/listed-tool.md");
    let listed_text = std::fs::read_to_string(&listed).unwrap();
    std::fs::write(&listed, listed_text.replace("source = \"landscape\"\n", "")).unwrap();

    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let all: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(all.len(), 2, "{diags}");
    for (d, file) in all.iter().zip([
        "content/tools/listed-tool.md",
        "content/tools/written-tool.md",
    ]) {
        assert_eq!(d["file"], file, "{d}");
        assert_eq!(d["code"], "missing-field");
        assert_eq!(d["severity"], "error");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(1), Some(1))
        );
        let message = d["message"].as_str().unwrap();
        assert!(
            message.contains("`provenance`") && message.contains("`source`"),
            "{d}"
        );
        let help = d["help"].as_str().unwrap();
        assert!(
            help.contains("provenance = \"…\"") && help.contains("reference"),
            "{d}"
        );
    }

    // The human format carries the location and the hint too.
    let human = common::opsbook(site.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&human.stderr) + String::from_utf8_lossy(&human.stdout);
    assert!(
        stderr.contains("content/tools/written-tool.md:1:1"),
        "{stderr}"
    );
    assert!(stderr.contains("help: add `provenance"), "{stderr}");
}

#[test]
fn required_unless_must_name_another_field() {
    let site = fixture("trust");
    let book = site.path().join(BOOK);
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace(
            "required_unless = \"source\"",
            "required_unless = \"sorce\"",
        ),
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let bad: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == BOOK && d["code"] == "config")
        .collect();
    assert_eq!(bad.len(), 1, "{diags}");
    assert!(bad[0]["message"].as_str().unwrap().contains("`sorce`"));
    assert_eq!(bad[0]["help"], "did you mean `source`?");
}

#[test]
fn new_tool_entry_asks_for_its_provenance() {
    let site = fixture("trust");
    common::opsbook(site.path())
        .args(["new", "tools", "fresh", "--title", "Fresh"])
        .assert()
        .success();
    let file = site.path().join("content/tools/fresh.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("# one of: reference") && text.contains("provenance = \"TODO: provenance\""),
        "{text}"
    );
    assert!(
        !text.contains("# provenance ="),
        "not left optional: {text}"
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let fresh: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "content/tools/fresh.md" && d["code"] == "placeholder")
        .filter_map(|d| d["line"].as_u64())
        .collect();
    let line = text
        .lines()
        .position(|l| l.starts_with("provenance = "))
        .unwrap() as u64
        + 1;
    assert!(
        fresh.contains(&line),
        "provenance placeholder reported: {diags}"
    );
}

#[test]
fn a_version_not_in_the_versions_file_is_a_warning_at_the_value() {
    let site = fixture("trust");
    let note = site.path().join("content/notes/upgrade.md");
    let text = std::fs::read_to_string(&note).expect("read the note");
    std::fs::write(
        &note,
        text.replace("kubernetes = \"1.10\"", "kubernetes = \"1.1\""),
    )
    .expect("write the note");
    let design = site.path().join("content/architectures/current-design.md");
    let text = std::fs::read_to_string(&design).expect("read the design");
    let changed = text.replacen("\"1.10\"]", "\"v1.10\"]", 1);
    assert_ne!(changed, text, "the fixture lists 1.10");
    std::fs::write(&design, changed).expect("write the design");

    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "a warning alone passes: {diags}");
    let versions: Vec<&serde_json::Value> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "version")
        .collect();
    // The fixture's legacy note names 1.8, which the versions file does not hold either.
    assert_eq!(versions.len(), 3, "{diags}");
    let legacy = versions
        .iter()
        .find(|d| d["file"] == "content/notes/legacy.md")
        .expect("the legacy note's warning");
    assert!(
        legacy["help"]
            .as_str()
            .unwrap_or("")
            .contains("add the release"),
        "{legacy}"
    );
    let note = versions
        .iter()
        .find(|d| d["file"] == "content/notes/upgrade.md")
        .expect("the note's warning");
    assert_eq!(
        (note["line"].as_u64(), note["column"].as_u64()),
        (Some(5), Some(14))
    );
    assert_eq!(note["severity"], "warning");
    assert!(
        note["help"].as_str().unwrap_or("").contains("\"1.10\""),
        "{note}"
    );
    let design = versions
        .iter()
        .find(|d| d["file"] == "content/architectures/current-design.md")
        .expect("the design's warning");
    assert!(
        design["help"].as_str().unwrap_or("").contains("\"1.10\""),
        "{design}"
    );
}

#[test]
fn a_path_written_for_a_ref_gets_the_slug_to_write() {
    let site = fixture("trust");
    let note = site.path().join("content/notes/upgrade.md");
    let text = std::fs::read_to_string(&note).expect("read the note");
    let changed = text.replace(
        "tools = [\"written-tool\"]",
        "tools = [\"../tools/listed-tool.md\"]",
    );
    assert_ne!(changed, text, "the fixture's note names a tool");
    std::fs::write(&note, changed).expect("write the note");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let refs: Vec<&serde_json::Value> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "broken-ref")
        .collect();
    assert_eq!(refs.len(), 1, "{diags}");
    assert_eq!(
        refs[0]["help"],
        "write the entry's slug, not a path to its file: `listed-tool`"
    );
    assert!(
        refs[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("refers to `../tools/listed-tool.md`"),
        "the value as written, not as slugified: {}",
        refs[0]["message"]
    );

    // A tool's web address written for its slug.
    std::fs::write(
        &note,
        text.replace(
            "tools = [\"written-tool\"]",
            "tools = [\"https://www.listed-tool.example.org/\"]",
        ),
    )
    .expect("write the note");
    let (_, diags) = check_json(site.path());
    let help = diags
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "broken-ref")
        .map(|d| d["help"].clone())
        .unwrap_or_default();
    assert_eq!(
        help,
        "write the entry's slug, not its web address: `listed-tool`"
    );
}

#[test]
fn a_version_warning_points_into_the_front_matter_never_the_body() {
    let site = fixture("trust");
    std::fs::write(
        site.path().join("content/notes/yaml-note.md"),
        "---\ntitle: A YAML note\ndate: 2018-05-02\nsummary: Quotes its own version.\nkubernetes: v1.10\noutcome: success\nprovenance: example\n---\n```yaml\nkubernetes: \"v1.10\"\n```\n",
    )
    .expect("write the note");
    let (_, diags) = check_json(site.path());
    let warning = diags
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "version" && d["file"] == "content/notes/yaml-note.md")
        .unwrap_or_else(|| panic!("no version warning: {diags}"));
    assert_eq!(warning["line"], 5, "{warning}");
}

/// Builds the trust fixture with the binary as on `day` (`SOURCE_DATE_EPOCH`, seconds).
fn build_on(root: &std::path::Path, epoch: &str) -> std::path::PathBuf {
    let out = root.join(format!("public-{epoch}"));
    common::opsbook(root)
        .arg("build")
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", epoch)
        .assert()
        .success();
    out
}

#[test]
fn support_status_and_certifiable_now_follow_the_day_of_the_build() {
    let site = fixture("trust");
    let root = site.path();
    // The conformance results as a matrix, and two more releases after 1.11.
    let book = root.join(BOOK);
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace(
            "[collections.conformance]\ntitle = \"Conformance results\"",
            "[collections.conformance]\ntitle = \"Conformance results\"\nmatrix = { rows = \"product\", columns = \"kubernetes\" }",
        ),
    )
    .unwrap();
    let versions = root.join("data/versions.toml");
    let text = std::fs::read_to_string(&versions).unwrap();
    std::fs::write(
        &versions,
        format!(
            "{text}\n[[release]]\nversion = \"1.12\"\nreleased = 2018-09-27\nend_of_life = 2019-07-08\nsource = \"https://kubernetes.io/releases/1.12/\"\n\n[[release]]\nversion = \"1.13\"\nreleased = 2018-12-03\nend_of_life = 2019-10-15\nsource = \"https://kubernetes.io/releases/1.13/\"\n"
        ),
    )
    .unwrap();
    let row_badges = |out: &std::path::Path| {
        Page::load(out, "conformance/index.html").texts("table.matrix tbody th .badge-current")
    };
    let status = |out: &std::path::Path, v: &str| {
        let page = Page::load(out, &format!("kubernetes/{v}/index.html"));
        (page.text("p.lede"), page.texts("p.lede .badge"))
    };

    // 2018-07-01: 1.9, 1.10 and 1.11 are out and supported; Acme, certified on 1.10, is
    // certified on one of the three newest releases.
    let july = build_on(root, "1530403200");
    assert_eq!(row_badges(&july), ["certifiable now"]);
    let (lede, badges) = status(&july, "1.10");
    assert!(lede.contains("upstream support ends"), "{lede}");
    // 1.10 is the site's current release: said so, and nothing about its support.
    assert_eq!(badges, ["current"]);
    // The versions page says which day its statuses are for.
    let versions = Page::load(&july, "kubernetes/index.html");
    assert_eq!(
        versions.attr("#versions-as-of", "datetime").as_deref(),
        Some("2018-07-01")
    );
    assert_eq!(versions.text("#versions-as-of"), "July 1, 2018");
    let table = Page::load(&july, "kubernetes/index.html").texts("table.versions-table tbody th");
    assert!(
        table
            .iter()
            .any(|t| t.starts_with("Kubernetes 1.13") && t.contains("upcoming")),
        "{table:?}"
    );

    // 2019-03-15: 1.10 is past end of life, 1.11 in maintenance mode, and the three newest
    // releases are 1.11 to 1.13: no product here is certifiable now, and the legend says so.
    let march = build_on(root, "1552608000");
    assert!(row_badges(&march).is_empty());
    let (lede, badges) = status(&march, "1.10");
    assert!(lede.contains("upstream support ended"), "{lede}");
    // Still the release book.toml calls current (check warns about that), and ended.
    assert_eq!(badges, ["current", "past end of life"]);
    let page = Page::load(&march, "conformance/index.html");
    let legend = page.text("#matrix-legend");
    assert!(legend.contains("1.11, 1.12, 1.13"), "{legend}");
    assert!(legend.contains("No product here is"), "{legend}");
    // The data's newest column is the one it ends at, now that columns run newest first.
    assert!(legend.contains("this data ends at 1.10"), "{legend}");
    assert!(
        page.all("input[data-filter=current]").is_empty(),
        "no filter that empties the table"
    );
    assert_eq!(
        Page::load(&march, "kubernetes/index.html")
            .attr("#versions-as-of", "datetime")
            .as_deref(),
        Some("2019-03-15")
    );
    let table = Page::load(&march, "kubernetes/index.html").texts("table.versions-table tbody th");
    assert!(
        table
            .iter()
            .any(|t| t.starts_with("Kubernetes 1.11") && t.contains("maintenance mode")),
        "{table:?}"
    );
}

#[test]
fn feeds_and_search_results_say_what_kind_of_page_an_entry_is() {
    let site = fixture("trust");
    let out = build(site.path());
    // `[book] label = "provenance"`: each feed entry's title and category carry it.
    let feed = std::fs::read_to_string(out.join("notes/atom.xml")).unwrap();
    let doc = feed_entries(&feed);
    assert!(
        doc.iter()
            .any(|(title, category)| title.starts_with("[example] ") && category == "example"),
        "{doc:?}"
    );
    assert!(
        doc.iter()
            .any(|(title, category)| title.starts_with("[community] ") && category == "community"),
        "{doc:?}"
    );
    // Each search passage block of a labelled page carries it (`l`), for the result's badge.
    let mut labels = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(out.join("search/data")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().parent().is_some_and(|p| p.ends_with("d")) && !name.ends_with("-i.json") {
            let blocks: serde_json::Value =
                serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
            for b in blocks.as_array().unwrap() {
                if let Some(l) = b["l"].as_str() {
                    labels.insert(format!("{} {l}", b["u"].as_str().unwrap()));
                }
            }
        }
    }
    assert!(labels.contains("/notes/upgrade/ example"), "{labels:?}");
    assert!(labels.contains("/notes/legacy/ community"), "{labels:?}");

    // A label naming no field is a config error with the closest field.
    let book = site.path().join(BOOK);
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace("label = \"provenance\"", "label = \"provenence\""),
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let d = &diags[0];
    assert_eq!(d["code"], "config", "{diags}");
    assert_eq!(d["line"], 8, "at the `label` line: {d}");
    assert!(d["help"].as_str().unwrap().contains("`provenance`"), "{d}");
    // Indented, it is still found; a list field is no label (it would show nothing).
    std::fs::write(
        &book,
        text.replace("label = \"provenance\"", "  label = \"tools\""),
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    assert_eq!(
        (diags[0]["line"].as_u64(), diags[0]["column"].as_u64()),
        (Some(8), Some(3)),
        "{diags}"
    );
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("no text field"),
        "{diags}"
    );
}

/// (title, category term) of each `<entry>` of an Atom feed.
fn feed_entries(feed: &str) -> Vec<(String, String)> {
    let html = scraper::Html::parse_fragment(feed);
    let entry = scraper::Selector::parse("entry").unwrap();
    let title = scraper::Selector::parse("title").unwrap();
    let category = scraper::Selector::parse("category").unwrap();
    html.select(&entry)
        .map(|e| {
            (
                e.select(&title)
                    .next()
                    .map(|t| t.text().collect())
                    .unwrap_or_default(),
                e.select(&category)
                    .next()
                    .and_then(|c| c.value().attr("term"))
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// An imported page dates its data (the collection's `data_as_of`), not the commit that wrote
/// it; a version without conformance results says where the data stops; and every page
/// describes itself in its meta description instead of repeating the site's.
#[test]
fn imported_pages_date_their_data_and_pages_describe_themselves() {
    let site = common::fixture_with(
        "trust",
        &[(
            "conformance/_index.md",
            "+++\ntitle = \"Conformance results\"\ndata_as_of = \"March 2019\"\ndata_source = \"cncf/k8s-conformance, 1.10 only\"\n+++\nImported results.\n",
        )],
    );
    let out = build(site.path());
    let acme = Page::load(&out, "conformance/acme-1.10/index.html");
    let imported = acme.text("footer.entry-footer p.imported-note");
    assert!(imported.contains("as of March 2019"), "{imported}");
    assert!(imported.contains("1.10 only"), "{imported}");
    assert!(
        !acme.text("footer.entry-footer").contains("Last updated"),
        "the import's commit is not the data's date"
    );
    let note = Page::load(&out, "notes/upgrade/index.html");
    assert!(note.all("footer.entry-footer p.imported-note").is_empty());
    assert!(note.text("footer.entry-footer").contains("Last updated"));

    // 1.9 has no results: the page says how far the data goes. 1.10 has one: no notice.
    let v9 = Page::load(&out, "kubernetes/1.9/index.html");
    let why = v9.text("#no-conformance");
    assert!(
        why.contains("Kubernetes 1.9 ") && why.contains("as of March 2019"),
        "{why}"
    );
    assert_eq!(
        v9.attrs("#no-conformance a", "href")[0],
        "/conformance/",
        "links the results"
    );
    let v10 = Page::load(&out, "kubernetes/1.10/index.html");
    assert!(v10.all("#no-conformance").is_empty());
    // …but its list of results says it is a snapshot, as of when, right under its heading.
    let as_of = v10.text("#group-conformance + p.data-date");
    assert!(
        as_of.contains("as of March 2019") && as_of.contains("1.10 only"),
        "{as_of}"
    );
    // Hand-written groups (no `data_as_of` on their intro) carry no such notice.
    assert_eq!(v10.all("p.data-date").len(), 1);
    // A product's page says how far its certified results go, and its history stacks on a
    // phone (each cell labelled).
    let product = Page::load(&out, "conformance/product/acme/index.html");
    assert!(product.text("#data-date").contains("as of March 2019"));
    assert_eq!(
        product.attrs("table.product-history.stack-on-phone td", "data-label")[0],
        "Result"
    );

    let description = |p: &Page| {
        p.attr("meta[name=description]", "content")
            .unwrap_or_default()
    };
    let site_description = "Versions, provenance and surveys in one small site.";
    assert_eq!(
        description(&acme),
        "Acme by Acme Corp on Kubernetes 1.10: a certified conformance submission."
    );
    assert!(
        description(&v9).starts_with("Kubernetes 1.9: released December 15, 2017"),
        "{}",
        description(&v9)
    );
    // Only the home page and the redirect stubs say what the site is.
    let mut generic = Vec::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk");
        if entry.file_name() != "index.html" {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&out)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let page = Page::load(&out, &rel);
        if description(&page) == site_description {
            generic.push(rel);
        }
    }
    assert_eq!(generic, ["index.html"], "pages with the site's description");
}

/// An imported listing written up with `provenance` but still carrying `source`: shown as
/// imported and rewritten by the next import, so `check` says to delete `source`.
#[test]
fn a_written_up_listing_that_keeps_its_import_mark_is_named() {
    let site = fixture("trust");
    let listed = site.path().join("content/tools/listed-tool.md");
    let text = std::fs::read_to_string(&listed).unwrap();
    std::fs::write(
        &listed,
        text.replace(
            "source = \"landscape\"\n",
            "source = \"landscape\"\nprovenance = \"reference\"\n",
        ),
    )
    .unwrap();
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "a warning: {diags}");
    let found: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "conflicting-fields")
        .collect();
    assert_eq!(found.len(), 1, "{diags}");
    let line = text
        .lines()
        .position(|l| l.starts_with("source = "))
        .map(|i| i as u64 + 1);
    assert_eq!(
        found[0]["line"].as_u64(),
        line,
        "at the source line: {diags}"
    );
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap_or("")
            .starts_with("delete the `source` line"),
        "{diags}"
    );
}

/// Architecture and note pages mark the Kubernetes versions they name that are past end of
/// life on the day of the build, in words, not colour alone.
#[test]
fn pages_mark_the_versions_they_name_that_are_past_end_of_life() {
    let site = fixture("trust");
    // 2018-12-01: 1.9 ended on 2018-09-29, 1.10 is supported until 2019-02-13.
    let december = build_on(site.path(), "1543622400");
    let design = Page::load(&december, "architectures/current-design/index.html");
    assert_eq!(
        design.texts("dd a.tag"),
        ["1.9 (end of life)", "1.10"],
        "only the ended release is marked"
    );
    assert_eq!(design.texts("a.tag-ended .tag-eol"), ["(end of life)"]);
    let note = Page::load(&december, "notes/upgrade/index.html");
    assert!(note.all(".tag-eol").is_empty(), "1.10 is still supported");
    // A version the versions file does not list is not marked either way.
    let legacy = Page::load(&december, "notes/legacy/index.html");
    assert!(legacy.all(".tag-eol").is_empty());

    // 2019-03-15: 1.10 has ended too.
    let march = build_on(site.path(), "1552608000");
    let note = Page::load(&march, "notes/upgrade/index.html");
    assert_eq!(note.texts(".tag-eol"), ["(end of life)"]);
    let design = Page::load(&march, "architectures/current-design/index.html");
    assert_eq!(
        design.texts("dd a.tag"),
        ["1.9 (end of life)", "1.10 (end of life)"]
    );
}

/// A category's page of the tool catalog lists the entries written up here first, as the
/// catalog's overview does in each category, then the landscape listings, each in title order.
#[test]
fn a_tool_category_page_lists_written_up_entries_first() {
    let site = common::fixture_with(
        "trust",
        &[
            (
                "tools/alpha-listing.md",
                "+++\ntitle = \"Alpha listing\"\nsummary = \"Imported.\"\ncategory = \"backup\"\nsource = \"landscape\"\n+++\n",
            ),
            (
                "tools/zed-written.md",
                "+++\ntitle = \"Zed written\"\nsummary = \"Written here.\"\ncategory = \"backup\"\nprovenance = \"reference\"\n+++\nOur words.\n",
            ),
        ],
    );
    let out = build(site.path());
    let page = Page::load(&out, "tools/category/backup/index.html");
    assert_eq!(
        page.texts(".cards .card h3 a"),
        ["Zed written", "Alpha listing", "Listed tool"],
        "written up first, then listings, each by title"
    );
    assert_eq!(page.texts("#written-up .card h3 a"), ["Zed written"]);
    assert_eq!(
        page.texts("#listed .card h3 a"),
        ["Alpha listing", "Listed tool"]
    );
    let lede = page.text("p.lede");
    assert!(lede.contains("1 written up here"), "{lede}");
    // A category with no written-up entry has no such section.
    let provisioning = Page::load(&out, "tools/category/provisioning/index.html");
    assert!(provisioning.all("#listed").is_empty());
    assert_eq!(
        provisioning.texts("#written-up .card h3 a"),
        ["Written tool"]
    );
}

/// An imported entry offers no "Edit this page" (the next import rewrites its file): it links
/// its upstream record when it has one, else says which repository corrections go to.
#[test]
fn imported_entries_send_corrections_upstream_not_to_an_edit() {
    let site = common::fixture_with(
        "trust",
        &[(
            "conformance/acme-1.10.md",
            "+++\ntitle = \"Acme 1.10\"\nproduct = \"Acme\"\nvendor = \"Acme Corp\"\nkubernetes = \"1.10\"\nevidence = \"https://github.com/cncf/k8s-conformance/tree/master/v1.10/acme/\"\nsource = \"k8s-conformance\"\n+++\n",
        )],
    );
    let book = site.path().join(BOOK);
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(
        &book,
        text.replace(
            "label = \"provenance\"\n",
            "label = \"provenance\"\nrepository = \"https://github.com/example/trust\"\n",
        )
        .replace(
            "source = { type = \"enum\", values = [\"k8s-conformance\"] }",
            "evidence = { type = \"url\" }\nsource = { type = \"enum\", values = [\"k8s-conformance\"] }",
        ),
    )
    .unwrap();
    let out = build(site.path());
    let edit_links = |p: &Page| -> Vec<String> {
        p.texts("footer.entry-footer a")
            .into_iter()
            .filter(|t| t == "Edit this page")
            .collect()
    };
    // A page written here keeps its edit link.
    let note = Page::load(&out, "notes/upgrade/index.html");
    assert_eq!(edit_links(&note), ["Edit this page"]);

    // A certified result links its submission.
    let acme = Page::load(&out, "conformance/acme-1.10/index.html");
    assert!(edit_links(&acme).is_empty());
    assert_eq!(
        acme.attrs("#corrections a", "href"),
        ["https://github.com/cncf/k8s-conformance/tree/master/v1.10/acme/"]
    );
    assert!(
        acme.text("#corrections")
            .contains("corrections go upstream"),
        "{}",
        acme.text("#corrections")
    );
    // A landscape listing without its item's link names the landscape's repository.
    let listed = Page::load(&out, "tools/listed-tool/index.html");
    assert!(edit_links(&listed).is_empty());
    assert_eq!(
        listed.attrs("#corrections a", "href"),
        ["https://github.com/cncf/landscape"]
    );
}

/// An architecture's status, its freshness (when it was last reviewed, whether it needs
/// review) and its provenance are three facts, each under its own name in the panel and in
/// its own column of the list, in words that need no colour.
#[test]
fn status_freshness_and_provenance_are_labelled_apart() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let page = Page::load(&out, "architectures/stacked/index.html");
    let rows: Vec<(String, String)> = page
        .texts(".panel dt")
        .into_iter()
        .zip(page.texts(".panel dd"))
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|(dt, _)| dt == name)
            .map(|(_, dd)| dd.clone())
            .unwrap_or_else(|| panic!("no {name} row: {rows:?}"))
    };
    assert_eq!(row("Status"), "In production");
    assert_eq!(row("Freshness"), "Last reviewed October 1, 2026");
    let provenance = row("Provenance");
    assert!(provenance.starts_with("example "), "{provenance}");

    let list = Page::load(&out, "architectures/index.html");
    assert_eq!(
        list.texts("thead th"),
        [
            "Architecture",
            "Status",
            "Freshness",
            "Provenance",
            "Providers",
            "Kubernetes",
            "Control plane"
        ]
    );
    let stacked = list
        .all("tbody tr")
        .into_iter()
        .find(|tr| tr.text().any(|t| t.contains("Stacked design")))
        .unwrap_or_else(|| panic!("no row of the stacked design"));
    let cell = |label: &str| {
        let sel = scraper::Selector::parse(&format!("td[data-label='{label}']"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        stacked
            .select(&sel)
            .map(|td| td.text().collect::<String>().trim().to_string())
            .next()
            .unwrap_or_default()
    };
    assert_eq!(cell("Status"), "In production");
    assert_eq!(cell("Freshness"), "Reviewed Oct 1, 2026");
    assert_eq!(cell("Provenance"), "example");
}

/// On an architecture page with its facts panel, "needs review" and "example" are each said
/// once: in the panel's Freshness and Provenance rows, next to Status at its top, each with
/// what it means or what to check, and not again in a notice above the panel.
#[test]
fn architecture_freshness_and_provenance_are_said_once() {
    let site = fixture("value-labels");
    let out = build(site.path());
    let single = Page::load(&out, "architectures/single/index.html");
    assert_eq!(single.texts(".badge-stale"), ["Needs review"]);
    assert!(single.all(".entry-header .notice").is_empty());
    assert_eq!(single.texts(".panel dt")[..2], ["Status", "Freshness"]);
    let freshness = single.text(".panel .facts-review dd");
    assert!(
        freshness.contains("Check it against Kubernetes 1.37 before you follow it"),
        "{freshness}"
    );

    let stacked = Page::load(&out, "architectures/stacked/index.html");
    assert_eq!(stacked.texts(".badge-example"), ["example"]);
    assert!(stacked.all(".entry-header .notice").is_empty());
    assert!(
        stacked.all(".badge-stale").is_empty(),
        "1.36 is recent enough"
    );
    assert_eq!(
        stacked.texts(".panel dt")[..3],
        ["Status", "Freshness", "Provenance"]
    );
    let provenance = stacked.text(".panel .facts-provenance dd");
    assert!(provenance.contains("nobody ran it"), "{provenance}");
}
