//! `opsbook build` end to end: fixture sites under tests/fixtures/, built through the library
//! or the binary, with the produced HTML parsed (scraper) rather than grepped.

mod common;

use std::path::Path;

use common::{Page, fixture, opsbook, snapshot};

fn build(root: &Path, drafts: bool, base_url: Option<&str>) -> std::path::PathBuf {
    common::build_site(root, drafts, base_url)
}

#[test]
fn toml_and_yaml_front_matter() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let toml = Page::load(&out, "tools/kubeadm/index.html");
    assert_eq!(toml.text("h1"), "kubeadm");
    let yaml = Page::load(&out, "tools/cilium/index.html");
    assert_eq!(yaml.text("h1"), "Cilium");
    // `kubernetes: 1.30` is a YAML float, but a string field keeps its source text.
    assert_eq!(yaml.text(".field-kubernetes dd"), "1.30");
    assert_eq!(yaml.text(".lede"), "eBPF networking.");
}

#[test]
fn bom_crlf_and_leading_blank_lines() {
    let site = fixture("basic");
    let raw = std::fs::read(site.path().join("content/notes/bom-crlf.md")).expect("read");
    assert!(
        raw.starts_with(b"\xef\xbb\xbf\r\n"),
        "fixture really has a BOM and CRLF"
    );
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "notes/bom-crlf/index.html");
    assert_eq!(page.text("h1"), "BOM and CRLF");
    assert_eq!(page.text(".content p").trim(), "Body line one.");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    assert!(!out.join("notes/draft/index.html").exists());
    let list = Page::load(&out, "notes/index.html");
    assert!(
        !list
            .texts(".card h2 a")
            .contains(&"Secret draft".to_string())
    );

    let out = build(site.path(), true, None);
    assert!(out.join("notes/draft/index.html").exists());
    let list = Page::load(&out, "notes/index.html");
    assert!(
        list.texts(".card h2 a")
            .contains(&"Secret draft".to_string())
    );

    // And through the command line.
    let site = fixture("basic");
    opsbook(site.path())
        .args(["build", "--drafts"])
        .assert()
        .success();
    assert!(site.path().join("public/notes/draft/index.html").exists());
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "tools/kubeadm/index.html");
    assert_eq!(
        page.attr("nav.breadcrumbs", "data-override").as_deref(),
        Some("site")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).expect("style"),
        "/* site style wins */\n"
    );
    assert!(out.join("extra.css").is_file());
    assert!(out.join("highlight.css").is_file());
}

#[test]
fn md_links_are_rewritten_with_the_base_path() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "notes/links/index.html");
    let hrefs = page.attrs(".content a", "href");
    assert_eq!(
        hrefs,
        ["/tools/kubeadm/#install--configure", "/surveys/data.csv"]
    );

    let out = build(site.path(), false, Some("https://x.org/docs/"));
    let page = Page::load(&out, "notes/links/index.html");
    let hrefs = page.attrs(".content a", "href");
    assert_eq!(
        hrefs,
        [
            "/docs/tools/kubeadm/#install--configure",
            "/docs/surveys/data.csv"
        ]
    );
    assert_eq!(
        page.attr("link[rel=canonical]", "href").as_deref(),
        Some("https://x.org/docs/notes/links/")
    );
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "notes/hostile/index.html");
    assert!(page.all(".content script").is_empty());
    assert!(page.all(".content iframe").is_empty());
    assert!(page.all(".content [onclick]").is_empty());
    for href in page.attrs(".content a", "href") {
        assert!(!href.to_lowercase().starts_with("javascript:"), "{href}");
    }
    assert!(
        page.text(".content").contains("world"),
        "the text around the script stays"
    );

    let site = fixture("unsafe-html");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "notes/raw/index.html");
    assert_eq!(page.attr(".content span.x", "data-k").as_deref(), Some("v"));
}

#[test]
fn front_matter_values_are_escaped() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "notes/escaped-title/index.html");
    assert_eq!(page.text("h1"), "<script>alert(1)</script>");
    assert!(page.all("script").is_empty(), "no script element anywhere");
    assert_eq!(
        page.text("title"),
        "<script>alert(1)</script> · Basic fixture"
    );
}

#[test]
fn a_path_escaping_slug_is_refused() {
    let site = fixture("escape-slug");
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(diags[0]["code"], "slug");
    assert_eq!(diags[0]["file"], "content/notes/climb.md");
    opsbook(site.path()).arg("build").assert().code(1);
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn a_failed_build_leaves_the_previous_output() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let before = snapshot(&out);
    std::fs::write(
        site.path().join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm\"\nsummary = [\n+++\n",
    )
    .expect("break");
    opsbook(site.path()).arg("build").assert().code(1);
    assert_eq!(snapshot(&out), before, "previous site untouched");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".opsbook-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary folders left: {leftovers:?}"
    );
}

#[test]
fn output_structure() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    for rel in [
        "index.html",
        "404.html",
        "about/index.html",
        "tools/kubeadm/index.html",
        "tools/index.html",
        "tools/category/index.html",
        "tools/category/networking/index.html",
        "providers/index.html",
        "providers/aws/index.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "notes/atom.xml",
        "surveys/data.csv",
    ] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
    assert!(
        !out.join("tools/atom.xml").exists(),
        "no feed for an undated collection"
    );
    let list = Page::load(&out, "tools/index.html");
    assert_eq!(list.texts(".tool-card h3 a"), ["Cilium", "kubeadm"]);
    assert_eq!(
        list.attrs(".tool-card h3 a", "href"),
        ["/tools/cilium/", "/tools/kubeadm/"]
    );
    let home = Page::load(&out, "index.html");
    assert_eq!(home.text("h1"), "Basic home");

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>"))
        .collect();
    assert!(
        locs.contains(&"https://basic.example.org/tools/kubeadm/"),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://basic.example.org/"), "{locs:?}");
    assert!(!locs.iter().any(|l| l.contains("draft")));

    let feed = std::fs::read_to_string(out.join("notes/atom.xml")).expect("feed");
    assert!(feed.contains("<title>Links</title>") && !feed.contains("Secret draft"));

    let alias = Page::load(&out, "old/about/index.html");
    let refresh = alias
        .attr("meta[http-equiv=refresh]", "content")
        .unwrap_or_default();
    assert_eq!(refresh, "0; url=/about/");
    let robots = std::fs::read_to_string(out.join("robots.txt")).expect("robots");
    assert!(robots.contains("Sitemap: https://basic.example.org/sitemap.xml"));
}

#[test]
fn headings_toc_highlighting_and_gfm() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "tools/kubeadm/index.html");
    let ids = page.attrs(".content h2", "id");
    assert_eq!(ids, ["install--configure", "steps", "steps-1"]);
    for id in &ids {
        assert_eq!(
            page.attrs(&format!("#{id} a.anchor"), "href"),
            [format!("#{id}")]
        );
    }
    assert_eq!(
        page.attrs("nav.toc a", "href"),
        ["#install--configure", "#steps", "#steps-1"]
    );
    assert!(
        !page.all(".content pre.giallo span[class]").is_empty(),
        "highlighted with classes"
    );
    assert_eq!(page.all(".content table").len(), 1);
    assert!(
        !page
            .all(".content .footnote-definition, .content sup.footnote-reference")
            .is_empty()
    );
    assert_eq!(page.text(".content del"), "strike");
    assert_eq!(page.all(".content input[type=checkbox]").len(), 2);
    assert_eq!(page.text(".callout.callout-note .callout-title"), "Note");
    assert!(
        page.text(".callout.callout-note")
            .contains("Remember this.")
    );
}

#[test]
fn backlinks_and_indexes() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let tool = Page::load(&out, "tools/kubeadm/index.html");
    let sources = tool.texts(".backlinks li a");
    assert!(sources.contains(&"Links".to_string()), "{sources:?}");
    let term = Page::load(&out, "tools/category/networking/index.html");
    // A tool category's cards sit under "Written up here" / "Landscape listings" headings.
    assert_eq!(term.texts(".card h3 a"), ["Cilium"]);
    assert_eq!(
        term.text("h1"),
        "Tools, category: networking",
        "said as a reader would"
    );
    let provider = Page::load(&out, "providers/aws/index.html");
    assert_eq!(provider.texts(".card h2 a"), ["Links"]);
}

#[test]
fn backlinks_list_dated_sources_newest_first() {
    // File names in another order than the dates, so a list sorted by path would show it.
    let note = |title: &str, date: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = {date}\ntools = [\"kubeadm\"]\n+++\nBody.\n")
    };
    let site = common::fixture_with(
        "basic",
        &[
            ("notes/a-march.md", note("March", "2026-03-14")),
            ("notes/b-january.md", note("January", "2026-01-27")),
            ("notes/c-april.md", note("April", "2026-04-22")),
        ],
    );
    let out = build(site.path(), false, None);
    let tool = Page::load(&out, "tools/kubeadm/index.html");
    assert_eq!(
        tool.texts(".backlink-group:first-of-type li a"),
        ["April", "March", "January", "Links"],
        "newest first, as /notes/ lists them"
    );
}

#[test]
fn connections_show_uses_first_and_one_also_linked_from_block() {
    let site = common::fixture_with(
        "basic",
        &[
            (
                "tools/helm.md",
                "+++\ntitle = \"Helm\"\nsummary = \"Charts.\"\ncategory = \"provisioning\"\n+++\nInstall [kubeadm](kubeadm.md) first.\n",
            ),
            (
                "notes/mention.md",
                "+++\ntitle = \"Mention\"\ndate = 2026-02-01\n+++\nSee [kubeadm](../tools/kubeadm.md).\n",
            ),
        ],
    );
    let out = build(site.path(), false, None);
    let tool = Page::load(&out, "tools/kubeadm/index.html");
    // The note that names it in `tools`, then every body link (a tool, a note and the home
    // page) in one block.
    assert_eq!(
        tool.texts(".backlink-group h3"),
        ["Notes that use it (1)", "Also linked from (3)"]
    );
    assert_eq!(
        tool.texts(".backlink-mentions li a"),
        ["Helm", "Mention", "Basic home"]
    );
}

#[test]
fn command_line_basics() {
    let bin = || assert_cmd::Command::cargo_bin("opsbook").expect("binary");
    bin()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
    for sub in ["build", "check", "serve", "new", "init"] {
        bin().args([sub, "--help"]).assert().success();
    }
    let empty = tempfile::tempdir().expect("tempdir");
    let assert = bin()
        .current_dir(empty.path())
        .arg("build")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "one-line error: {stderr}");
    assert!(stderr.contains("book.toml"));

    // --root before or after the subcommand.
    // (The fixture's hostile note has warnings: the raw HTML its build removes.)
    let site = fixture("basic");
    let before = bin()
        .arg("--root")
        .arg(site.path())
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let after = bin()
        .args(["check", "--format", "json", "--root"])
        .arg(site.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(before, after);
    let diags: serde_json::Value = serde_json::from_slice(&after).expect("JSON");
    assert!(
        diags
            .as_array()
            .expect("array")
            .iter()
            .all(|d| d["severity"] == "warning" && d["file"] == "content/notes/hostile.md"),
        "{diags}"
    );

    // An unwritable output folder is a setup error.
    let file = site.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    bin()
        .arg("--root")
        .arg(site.path())
        .args(["build", "--out"])
        .arg(file.join("public"))
        .assert()
        .code(2);
}

#[test]
fn init_creates_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("new-site");
    assert_cmd::Command::cargo_bin("opsbook")
        .expect("binary")
        .arg("init")
        .arg(&root)
        .assert()
        .success();
    opsbook(&root)
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .stdout("[]\n");
    opsbook(&root).arg("build").assert().success();
    let page = Page::load(&root.join("public"), "runbooks/restart-a-node/index.html");
    assert_eq!(page.text("h1"), "Restart a node");
    // A second init into the same (now non-empty) folder is refused.
    assert_cmd::Command::cargo_bin("opsbook")
        .expect("binary")
        .arg("init")
        .arg(&root)
        .assert()
        .code(2);
}

#[test]
fn unknown_config_key_names_file_and_line() {
    let site = fixture("basic");
    let path = site.path().join("book.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replacen("[book]\n", "[book]\ntitel = \"typo\"\n", 1),
    )
    .expect("write");
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(diags[0]["file"], "book.toml");
    assert_eq!(diags[0]["line"], 2);
    assert!(diags[0]["message"].as_str().unwrap_or("").contains("titel"));
}

#[test]
fn json_api_lists_every_entry_of_each_collection() {
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let text = std::fs::read_to_string(out.join("api/tools.json")).expect("api/tools.json");
    let api: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(api["collection"], "tools");
    let titles: Vec<&str> = api["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles,
        ["Cilium", "kubeadm"],
        "published entries in sort order"
    );
    assert_eq!(api["count"], 2);
    let cilium = &api["entries"][0];
    assert_eq!(cilium["url"], "/tools/cilium/");
    assert_eq!(
        cilium["fields"]["kubernetes"], "1.30",
        "fields keep their typed values"
    );
    assert!(
        cilium["summary"]
            .as_str()
            .is_some_and(|s| s.contains("YAML front matter"))
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(
        !sitemap.contains("/api/"),
        "the API is not a page of the sitemap"
    );
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under the output");
            let bytes = std::fs::read(e.path()).expect("read an output file");
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// A build renders each entry's body once and holds its HTML until the page is written: in
/// memory, or past `hold_bodies_up_to` bytes of Markdown in a temporary file. Both must write
/// the same site, byte for byte, and leave no temporary file behind.
#[test]
fn bodies_held_in_memory_or_spilled_write_the_same_site() {
    use opsbook::pipeline::{self, Options};
    for name in ["basic", "site-features"] {
        let site = fixture(name);
        let build_with = |limit: Option<u64>, out: &str| {
            let options = Options {
                root: site.path().to_path_buf(),
                hold_bodies_up_to: limit,
                ..Options::default()
            };
            let out = site.path().join(out);
            pipeline::build(&options, Some(out.clone())).unwrap_or_else(|e| panic!("{name}: {e}"));
            out
        };
        let before: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let held = build_with(None, "held");
        let again = build_with(Some(0), "again");
        let mut after: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "held" && n != "again")
            .collect();
        after.sort();
        let mut before = before;
        before.sort();
        assert_eq!(before, after, "{name}: nothing left in the site's folder");
        let (held, again) = (tree(&held), tree(&again));
        assert!(held.len() > 10, "{name}: {} files", held.len());
        assert_eq!(
            held.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>(),
            "{name}: the same files"
        );
        for (path, bytes) in &held {
            assert!(again.get(path) == Some(bytes), "{name}: {path} differs");
        }
    }
    // The comparison covers highlighted code and entry bodies.
    let site = fixture("basic");
    let out = build(site.path(), false, None);
    let page = Page::load(&out, "tools/kubeadm/index.html");
    assert!(!page.all(".content pre.giallo span[class]").is_empty());
}
