//! The plan is the one list of output routes: what a build writes is exactly what it plans,
//! two routes that would write one file (or a file where another needs a folder) are a
//! `duplicate-url` error with exit code 1, and site-absolute links are checked against it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Page, check_json, fixture, opsbook};
use opsbook::pipeline::{self, Options};
use opsbook::plan::RouteKind;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join("content").join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// The human `check` output for one file (what a contributor reads).
fn human(root: &Path, file: &str) -> String {
    let options = Options {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let diags: Vec<_> = pipeline::check(&options)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|d| d.file == file)
        .collect();
    opsbook::diagnostics::render(&diags, opsbook::diagnostics::Format::Human, false)
}

/// The `duplicate-url` records of `check --format json`: (file, message).
fn duplicates(root: &Path) -> (i32, Vec<(String, String)>) {
    let (code, diags) = check_json(root);
    let found = diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "duplicate-url")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (code, found)
}

#[test]
fn a_build_writes_exactly_the_planned_routes() {
    let site = fixture("plan");
    let options = Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let generated = pipeline::generate(&options).unwrap_or_else(|e| panic!("{e:?}"));
    let written: BTreeSet<String> = generated
        .output
        .files
        .iter()
        .map(|f| f.path.clone())
        .chain(generated.output.copies.iter().map(|(p, _)| p.clone()))
        .filter(|p| !p.starts_with(opsbook::plan::SEARCH_DATA))
        .collect();
    let planned: BTreeSet<String> = generated
        .plan
        .iter()
        .filter(|r| r.kind != RouteKind::SearchIndex)
        .map(|r| r.file())
        .collect();
    assert_eq!(written, planned);
    // Four notes, two a page: two list pages, each listing its own two notes.
    // (Its inputs also hold the pages linking to it by its path, which it lists as such.)
    let lists: Vec<(&str, Vec<opsbook::site::PageId>)> = generated
        .plan
        .iter()
        .filter(|r| {
            matches!(&r.kind, RouteKind::List { collection, folder: None, .. } if collection == "notes")
        })
        .map(|r| {
            let shown = r.inputs.len() - r.linked_from.len();
            (r.path.as_str(), r.inputs[..shown].to_vec())
        })
        .collect();
    assert_eq!(
        lists.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        ["/notes/", "/notes/page/2/"]
    );
    for (_, inputs) in &lists {
        assert_eq!(inputs.len(), 2, "each list page shows two notes");
    }

    let out = common::build_site(site.path(), false, None);
    let second = Page::load(&out, "notes/page/2/index.html");
    let titles = second.texts("main a[href^='/notes/note-']");
    assert!(
        titles.iter().any(|t| t.contains("Note 2")) && titles.iter().any(|t| t.contains("Note 1")),
        "page 2 lists the two oldest notes: {titles:?}"
    );
    // The sitemap lists the planned pages (not the alias redirect, not the 404 page).
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    let doc = scraper::Html::parse_document(&sitemap);
    let locs: BTreeSet<String> = doc
        .select(&scraper::Selector::parse("loc").expect("selector"))
        .map(|e| e.text().collect())
        .collect();
    assert!(locs.contains("https://plan.example.org/notes/page/2/"));
    assert!(locs.contains("https://plan.example.org/tools/category/storage/"));
    assert!(!locs.iter().any(|l| l.contains("old-cilium")));
    assert!(!locs.iter().any(|l| l.contains("404")));
    assert!(out.join("tools/old-cilium/index.html").is_file());
    // Key generated files, whole: the sitemap, a collection feed and robots.txt.
    for file in ["sitemap.xml", "notes/atom.xml", "robots.txt"] {
        let text = std::fs::read_to_string(out.join(file)).expect("generated file");
        insta::assert_snapshot!(file.replace(['/', '.'], "_"), text);
    }
    // The second list page: what it links to, in order.
    let links: Vec<String> = second
        .all("main a[href]")
        .iter()
        .map(|a| {
            format!(
                "{} -> {}",
                a.text().collect::<String>().trim(),
                a.value().attr("href").unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("notes_page_2_links", links.join("\n"));
}

#[test]
fn an_entry_where_a_list_page_goes_is_a_duplicate_url() {
    let site = fixture("plan");
    write(
        site.path(),
        "notes/page/2.md",
        "+++\ntitle = \"Second page\"\ndate = 2026-02-01\n+++\nAn entry that a list page would overwrite.\n",
    );
    let (code, found) = duplicates(site.path());
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, message) = &found[0];
    assert_eq!(file, "content/notes/page/2.md");
    assert!(
        message.contains("/notes/page/2/") && message.contains("page 2 of the notes list"),
        "{message}"
    );
    insta::assert_snapshot!(
        "entry_at_list_page",
        human(site.path(), "content/notes/page/2.md")
    );
    let out = site.path().join("public");
    opsbook(site.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("content/notes/page/2.md"));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn an_entry_named_like_a_feed_is_a_duplicate_url_not_a_setup_error() {
    let site = fixture("plan");
    write(
        site.path(),
        "notes/atom.xml.md",
        "+++\ntitle = \"Atom\"\ndate = 2026-02-01\n+++\nIts folder would be where the feed file is.\n",
    );
    let (code, found) = duplicates(site.path());
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, message) = &found[0];
    assert_eq!(file, "content/notes/atom.xml.md");
    assert!(
        message.contains("/notes/atom.xml") && message.contains("the notes feed"),
        "{message}"
    );
    insta::assert_snapshot!(
        "entry_named_like_a_feed",
        human(site.path(), "content/notes/atom.xml.md")
    );
    opsbook(site.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("content/notes/atom.xml.md"))
        .stderr(predicates::str::contains("Is a directory").not());
}

#[test]
fn an_alias_onto_another_page_is_a_duplicate_url() {
    let site = fixture("plan");
    write(
        site.path(),
        "tools/calico.md",
        "+++\ntitle = \"Calico\"\ncategory = \"networking\"\naliases = [\"/tools/rook/\"]\n+++\nx\n",
    );
    let (code, found) = duplicates(site.path());
    assert_eq!(code, 1);
    // One record per file (the contract), the alias's at its line; both say the alias is
    // the one to change (rook.md is untouched by the change).
    let files: BTreeSet<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        BTreeSet::from(["content/tools/calico.md", "content/tools/rook.md"]),
        "{found:?}"
    );
    let (_, diags) = check_json(site.path());
    let of = |file: &str| {
        diags
            .as_array()
            .expect("array")
            .iter()
            .find(|d| d["code"] == "duplicate-url" && d["file"] == file)
            .cloned()
            .unwrap_or_default()
    };
    let d = of("content/tools/calico.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(1)),
        "{d}"
    );
    assert_eq!(d["help"], "change or remove the alias");
    let d = of("content/tools/rook.md");
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("change or remove that alias"),
        "{d}"
    );
}

#[test]
fn a_slug_onto_another_page_is_reported_at_the_slug() {
    let site = fixture("plan");
    write(
        site.path(),
        "tools/calico.md",
        "+++\ntitle = \"Calico\"\ncategory = \"networking\"\nslug = \"rook\"\n+++\nx\n",
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let d = diags
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "duplicate-url" && d["file"] == "content/tools/calico.md")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(1)),
        "{diags}"
    );
}

#[test]
fn site_paths_are_checked_against_the_plan() {
    let site = fixture("plan");
    common::assert_check_clean(site.path());
    write(
        site.path(),
        "tools/rook.md",
        "+++\ntitle = \"Rook\"\ncategory = \"storage\"\n+++\nSee [page 3](/notes/page/3/) and [the API](/api/tools.json).\n",
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let broken: Vec<&str> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "broken-link")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("/notes/page/3/"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn feeds_sitemap_and_robots_come_from_templates_a_site_can_replace() {
    let site = fixture("plan");
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(
        templates.join("robots.txt"),
        "User-agent: *\nDisallow: /notes/\nSitemap: {{ sitemap_url }}\n",
    )
    .expect("write");
    std::fs::write(
        templates.join("atom.xml"),
        "<feed><title>{{ feed.title }} (custom)</title>{% for e in feed.entries %}<entry><title>{{ e.title }}</title></entry>{% endfor %}</feed>\n",
    )
    .expect("write");
    let out = common::build_site(site.path(), false, None);
    let robots = std::fs::read_to_string(out.join("robots.txt")).expect("robots");
    assert_eq!(
        robots,
        "User-agent: *\nDisallow: /notes/\nSitemap: https://plan.example.org/sitemap.xml\n"
    );
    let feed = std::fs::read_to_string(out.join("notes/atom.xml")).expect("feed");
    let doc = scraper::Html::parse_document(&feed);
    let titles: Vec<String> = doc
        .select(&scraper::Selector::parse("entry title").expect("selector"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(titles, ["Note 4", "Note 3", "Note 2", "Note 1"]);
    let head: String = doc
        .select(&scraper::Selector::parse("feed > title").expect("selector"))
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(head, "Plan fixture — Notes (custom)");
    // The sitemap keeps the built-in template.
    assert!(
        std::fs::read_to_string(out.join("sitemap.xml"))
            .expect("sitemap")
            .contains("<loc>https://plan.example.org/notes/page/2/</loc>")
    );

    // A template that does not compile is an error naming the file, not a panic.
    std::fs::write(templates.join("sitemap.xml"), "{% for u in entries %}").expect("write");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    assert!(
        diags
            .as_array()
            .expect("array")
            .iter()
            .any(|d| d["code"] == "template" && d["file"] == "templates/sitemap.xml"),
        "{diags}"
    );
}
