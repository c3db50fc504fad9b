//! Finding one's way on the built site (tests/fixtures/trust, with conformance results of two
//! products of one vendor): a vendor page leads with its products, breadcrumbs name every level
//! above a page, a result's facts link their vendor and version pages, and the 404 page offers a
//! search.

mod common;

use common::{Page, fixture_with};

/// The trust fixture with `vendor` indexed, the conformance matrix on (its rows are products),
/// and five results of Acme Corp: Acme on 1.9, 1.10 and 1.11, Acme Edge on 1.10 and 1.11.
fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let result = |title: &str, product: &str, v: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nproduct = \"{product}\"\nvendor = \"Acme Corp\"\nkubernetes = \"{v}\"\nsource = \"k8s-conformance\"\n+++\n"
        )
    };
    let site = fixture_with(
        "trust",
        &[
            ("conformance/acme-1.9.md", result("Acme 1.9", "Acme", "1.9")),
            (
                "conformance/acme-1.11.md",
                result("Acme 1.11", "Acme", "1.11"),
            ),
            (
                "conformance/edge-1.10.md",
                result("Acme Edge 1.10", "Acme Edge", "1.10"),
            ),
            (
                "conformance/edge-1.11.md",
                result("Acme Edge 1.11", "Acme Edge", "1.11"),
            ),
        ],
    );
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("book.toml");
    let text = text
        .replace(
            "vendor = { type = \"string\", required = true }",
            "vendor = { type = \"string\", required = true, index = true }",
        )
        .replace(
            "[collections.conformance]\ntitle = \"Conformance results\"\nsort_by = \"title\"",
            "[collections.conformance]\ntitle = \"Conformance results\"\nsort_by = \"kubernetes\"\nmatrix = { rows = \"product\", columns = \"kubernetes\" }",
        );
    assert!(text.contains("index = true }\nkubernetes") && text.contains("matrix ="));
    std::fs::write(&book, text).expect("write book.toml");
    let out = common::build_site(site.path(), false, None);
    (site, out)
}

/// The breadcrumb trail: (text, href) of each link, then the current page's text.
fn crumbs(page: &Page) -> (Vec<(String, String)>, String) {
    let links = page
        .all("nav.breadcrumbs li a")
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    (links, page.text("nav.breadcrumbs li[aria-current=page]"))
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_vendor_page_leads_with_its_products_then_results_newest_first() {
    let (_site, out) = site();
    let page = Page::load(&out, "conformance/vendor/acme-corp/index.html");
    assert_eq!(page.text("h1"), "Acme Corp");

    // One row per product, linking the product's page, with its versions and count.
    assert_eq!(
        page.attrs("#vendor-products tbody th a", "href"),
        [
            "/conformance/product/acme/",
            "/conformance/product/acme-edge/"
        ]
    );
    assert_eq!(
        page.texts("#vendor-products tbody th"),
        ["Acme", "Acme Edge"]
    );
    assert_eq!(
        page.texts("#vendor-products td.versions"),
        ["1.9 to 1.11 (3 versions)", "1.10, 1.11"]
    );
    assert_eq!(
        page.texts("#vendor-products td[data-label=Results]"),
        ["3", "2"]
    );

    // Then every result, newest Kubernetes version first (versions compare as versions).
    let versions: Vec<String> = page
        .texts("#vendor-results tbody th a")
        .iter()
        .map(|t| t.split(':').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(versions, ["1.11", "1.11", "1.10", "1.10", "1.9"]);
}

#[test]
fn breadcrumbs_name_every_level_above_a_page() {
    let (_site, out) = site();
    let home = ("Home", "/");
    let results = ("Conformance results", "/conformance/");

    // A result: its vendor and its product come between the collection and the page.
    let result = Page::load(&out, "conformance/edge-1.10/index.html");
    assert_eq!(
        crumbs(&result),
        (
            pairs(&[
                home,
                results,
                ("Acme Corp", "/conformance/vendor/acme-corp/"),
                ("Acme Edge", "/conformance/product/acme-edge/"),
            ]),
            "Acme Edge 1.10".to_string()
        )
    );
    // A product: under its vendor.
    let product = Page::load(&out, "conformance/product/acme-edge/index.html");
    assert_eq!(
        crumbs(&product),
        (
            pairs(&[
                home,
                results,
                ("Acme Corp", "/conformance/vendor/acme-corp/")
            ]),
            "Acme Edge".to_string()
        )
    );
    // A vendor: under the list of vendors.
    let vendor = Page::load(&out, "conformance/vendor/acme-corp/index.html");
    assert_eq!(
        crumbs(&vendor).0,
        pairs(&[home, results, ("By vendor", "/conformance/vendor/")])
    );
    // A field value of another collection, and a taxonomy term: from Home.
    let category = Page::load(&out, "tools/category/backup/index.html");
    assert_eq!(
        crumbs(&category).0,
        pairs(&[
            home,
            ("Tool catalog", "/tools/"),
            ("By category", "/tools/category/")
        ])
    );
    let version = Page::load(&out, "kubernetes/1.10/index.html");
    assert_eq!(
        crumbs(&version).0,
        pairs(&[home, ("Kubernetes versions", "/kubernetes/")])
    );
}

#[test]
fn a_results_facts_link_its_vendor_and_version_pages() {
    let (_site, out) = site();
    let page = Page::load(&out, "conformance/acme-1.9/index.html");
    assert_eq!(
        page.attrs(".field-vendor dd a", "href"),
        ["/conformance/vendor/acme-corp/"]
    );
    assert_eq!(
        page.attrs(".field-kubernetes dd a", "href"),
        ["/kubernetes/1.9/"]
    );
    assert_eq!(
        page.attrs(".field-product dd a", "href"),
        ["/conformance/product/acme/"]
    );
    // A value with no page of its own stays text: `source` is not indexed.
    assert!(page.all(".field-source dd a").is_empty());
    assert_eq!(page.text(".field-source dd"), "k8s-conformance");
}

#[test]
fn the_not_found_page_has_a_search_form() {
    let (_site, out) = site();
    let page = Page::load(&out, "404.html");
    let form = "main form[role=search]";
    assert_eq!(page.attr(form, "action").as_deref(), Some("/search/"));
    assert_eq!(page.attr(form, "method").as_deref(), Some("get"));
    // The search page reads `q`; a script fills it from the missing address.
    assert_eq!(
        page.attr(&format!("{form} input[type=search]"), "name")
            .as_deref(),
        Some("q")
    );
    let script = page
        .attr("script[src*=notfound]", "src")
        .expect("its script");
    let js =
        std::fs::read_to_string(out.join(script.trim_start_matches('/'))).expect("notfound.js");
    assert!(js.contains("notfound-q") && js.contains("location.pathname"));
}
