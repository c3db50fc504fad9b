//! The shipped Cluster Ops site: `check` finds nothing, and after a build every page's internal
//! links, stylesheets and images resolve to a file of the output.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use opsbook::pipeline::{self, Options};
use scraper::{Html, Selector};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped site built once for every test of this file (a build takes seconds, and no
/// test writes to the output), into cargo's scratch folder for integration tests, so nothing is
/// left in /tmp when the process exits.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shipped_site");
        if out.exists() {
            std::fs::remove_dir_all(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        }
        pipeline::build(
            &Options {
                root: repo(),
                ..Default::default()
            },
            Some(out.clone()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        out
    })
}

/// With `[kubernetes] current` at the newest release, the architectures not tested on a recent
/// version are reported `stale` ("Needs review"): that warning and nothing else.
#[test]
fn check_reports_only_stale_architectures() {
    let options = Options {
        root: repo(),
        ..Default::default()
    };
    let diags = pipeline::check(&options).unwrap_or_else(|e| panic!("{e}"));
    let other: Vec<_> = diags
        .iter()
        .filter(|d| {
            d.code != "stale"
                || d.severity != opsbook::diagnostics::Severity::Warning
                || !d.file.starts_with("content/architectures/")
        })
        .cloned()
        .collect();
    assert!(
        other.is_empty(),
        "{}",
        opsbook::diagnostics::render(&other, opsbook::diagnostics::Format::Human, false)
    );
}

/// Does site path `href` (no base path) name a file of `out`?
fn resolves(out: &Path, href: &str) -> bool {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let rel = path.trim_start_matches('/');
    let target = out.join(rel);
    if path.ends_with('/') || path.is_empty() {
        target.join("index.html").is_file()
    } else {
        target.is_file()
    }
}

#[test]
fn every_internal_link_resolves() {
    let out = built();
    let pages = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count();
    assert!(pages > 40, "a real site, got {pages} pages");
    // Links carry base_url's path prefix (the GitHub Pages project path).
    let config = opsbook::config::Config::load(&repo()).unwrap_or_else(|_| panic!("book.toml"));
    let base_path = opsbook::render::Urls::new(&config).base_path;

    let links = Selector::parse("a[href], link[href], img[src], script[src]").expect("selector");
    let ids = Selector::parse("[id]").expect("selector");
    let mut checked = 0;
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read");
        let doc = Html::parse_document(&html);
        let page_ids: Vec<&str> = doc
            .select(&ids)
            .filter_map(|e| e.value().attr("id"))
            .collect();
        for el in doc.select(&links) {
            let Some(url) = el.value().attr("href").or_else(|| el.value().attr("src")) else {
                continue;
            };
            if let Some(anchor) = url.strip_prefix('#') {
                checked += 1;
                if !anchor.is_empty() && !page_ids.contains(&anchor) {
                    broken.push(format!("{}: #{anchor}", entry.path().display()));
                }
                continue;
            }
            if !url.starts_with('/') || url.starts_with("//") {
                continue;
            }
            checked += 1;
            let Some(site_path) = url.strip_prefix(base_path.as_str()) else {
                broken.push(format!(
                    "{}: {url} (outside {base_path}/)",
                    entry.path().display()
                ));
                continue;
            };
            if !resolves(out, site_path) {
                broken.push(format!("{}: {url}", entry.path().display()));
            }
        }
    }
    assert!(checked > 500, "checked only {checked} links");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The About page says who runs the site, how to correct an entry and which licence covers
/// what, and every page's footer links it.
#[test]
fn the_about_page_names_the_maintainers_route_and_the_licences() {
    let out = built();
    let about = common::Page::load(out, "about/index.html");
    let headings = about.texts("main h2");
    for wanted in ["Who runs it", "Correcting or adding an entry", "Licences"] {
        assert!(
            headings.iter().any(|h| h.starts_with(wanted)),
            "no `{wanted}` in {headings:?}"
        );
    }
    let body = about.text("main");
    for fact in [
        "opsbook new",
        "opsbook check",
        "pull request",
        "Apache-2.0",
        "no licence",
    ] {
        assert!(body.contains(fact), "the About page does not say `{fact}`");
    }
    let home = common::Page::load(out, "index.html");
    assert!(
        home.attrs("footer a", "href")
            .iter()
            .any(|h| h.ends_with("/about/")),
        "the footer does not link the About page"
    );
}

/// A provider page lists the architectures and notes that name the provider; conformance
/// results have no provider field. /providers/aws/ says so and links the vendor page where
/// Amazon Web Services' results are filed, and that page lists Amazon EKS, so a reader looking
/// for EKS is not left believing it has none. A provider that is no company's cloud gets the
/// note with the vendor index only.
#[test]
fn provider_pages_point_to_where_conformance_results_are_filed() {
    let out = built();

    let aws = common::Page::load(out, "providers/aws/index.html");
    let note = aws.text(".provider-conformance");
    assert!(
        note.contains("Conformance results are not listed here") && note.contains("Amazon EKS"),
        "{note}"
    );
    let links = aws.attrs(".provider-conformance a", "href");
    assert!(
        links
            .iter()
            .any(|h| h.ends_with("/conformance/vendor/amazon-web-services/")),
        "no link to the AWS vendor page in {links:?}"
    );

    let vendor = common::Page::load(out, "conformance/vendor/amazon-web-services/index.html");
    let products = vendor.attrs("main a", "href");
    assert!(
        products
            .iter()
            .any(|h| h
                .ends_with("/conformance/product/amazon-elastic-kubernetes-service-amazon-eks/")),
        "the AWS vendor page does not list Amazon EKS: {products:?}"
    );

    let edge = common::Page::load(out, "providers/edge/index.html");
    let edge_links = edge.attrs(".provider-conformance a", "href");
    assert!(
        edge_links.iter().any(|h| h.ends_with("/conformance/vendor/"))
            && !edge_links
                .iter()
                .any(|h| h.contains("/conformance/vendor/") && !h.ends_with("/conformance/vendor/")),
        "{edge_links:?}"
    );
}

/// A release date must be the one its linked sources give: where a release links its
/// announcement on kubernetes.io/blog, whose address carries the day it was published, the
/// `released` date is that day (upstream's release data agrees for every release listed).
#[test]
fn release_dates_match_the_announcements_they_link() {
    let config =
        opsbook::config::Config::load(&repo()).unwrap_or_else(|e| panic!("book.toml: {e}"));
    let (versions, diags) = opsbook::versions::load(&repo(), &config);
    assert!(diags.is_empty(), "{diags:?}");
    let versions = versions.unwrap_or_else(|| panic!("no versions file"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for r in &versions.releases {
        let Some(url) = &r.announcement else { continue };
        let Some(path) = url.strip_prefix("https://kubernetes.io/blog/") else {
            continue;
        };
        let day: Vec<&str> = path.split('/').take(3).collect();
        let day = day.join("-");
        checked += 1;
        if day != r.released {
            wrong.push(format!(
                "{}: released {}, announced {day}",
                r.version, r.released
            ));
        }
    }
    assert!(checked >= 10, "checked only {checked} announcements");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
