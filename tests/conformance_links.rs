//! Imported words and renamed products, end to end on tests/fixtures/conformance-links: the
//! search bundle says whose words an imported summary is, product and vendor pages link the
//! catalog entry their results name (and the tool's page links back to the product), and an
//! old product page redirects to the product's page under its current name.

mod common;

use std::path::{Path, PathBuf};

use common::{Page, fixture};
use serde_json::Value;

fn build(root: &Path) -> PathBuf {
    common::build_site(root, false, None)
}

/// Every passage block of the search bundle, by its page's URL.
fn blocks(out: &Path) -> Vec<Value> {
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("search/data/meta.json")).expect("meta.json"),
    )
    .expect("meta.json parses");
    let folder = meta["index"].as_str().expect("meta.index").to_string();
    let data = out.join("search/data").join(folder).join("d");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&data).expect("d/") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with("-i.json") || !name.ends_with(".json") {
            continue;
        }
        let pack: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("pack")).expect("pack");
        all.extend(pack.as_array().expect("a pack is an array").iter().cloned());
    }
    all
}

fn block_of<'a>(blocks: &'a [Value], url: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["u"] == url)
        .unwrap_or_else(|| panic!("no block of {url}"))
}

#[test]
fn search_blocks_say_whose_words_an_imported_summary_is() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    let blocks = blocks(&out);

    // The landscape's summary and a submission's description: quoted, by their source.
    let gizmo = block_of(&blocks, "/tools/gizmo-hypervisor/");
    assert_eq!(gizmo["q"], "landscape", "{gizmo}");
    assert!(
        gizmo["p"][0][0]
            .as_str()
            .is_some_and(|t| t.starts_with("Gizmo is the industry-leading")),
        "the quoted summary is the block's first passage: {gizmo}"
    );
    let result = block_of(&blocks, "/conformance/k3s-1.31/");
    assert_eq!(result["q"], "k8s-conformance", "{result}");
    assert!(
        result["p"][0][0]
            .as_str()
            .is_some_and(|t| t.starts_with("A featherweight certified")),
        "{result}"
    );

    // The site's own summary, an imported entry with no imported text, and a summary the
    // importer wrote itself (the landscape gave no description): nothing to quote.
    for url in [
        "/tools/k3s/",
        "/conformance/rke-1.31/",
        "/tools/plain-listing/",
    ] {
        let b = block_of(&blocks, url);
        assert!(b.get("q").is_none(), "{url}: {b}");
    }
}

/// The card of the page at `href` on a list page.
fn card<'a>(list: &'a Page, href: &str) -> scraper::ElementRef<'a> {
    list.all(".cards > li.card")
        .into_iter()
        .find(|c| {
            c.select(&scraper::Selector::parse("h2 a, h3 a").expect("selector"))
                .any(|a| a.value().attr("href") == Some(href))
        })
        .unwrap_or_else(|| panic!("no card of {href}"))
}

/// The texts of `css` inside `el`.
fn inside(el: scraper::ElementRef<'_>, css: &str) -> Vec<String> {
    el.select(&scraper::Selector::parse(css).expect("selector"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn cards_and_result_pages_quote_imported_text_and_say_whose_words() {
    let site = fixture("conformance-links");
    let out = build(site.path());

    // A list of results (a field value's page) quotes a submission's description as the
    // vendor's words, as search does; a result without one shows no quote.
    let list = Page::load(&out, "conformance/result/pass/index.html");
    let k3s = card(&list, "/conformance/k3s-1.31/");
    assert_eq!(
        inside(k3s, "p q"),
        ["A featherweight certified distribution built for unattended remote sites."]
    );
    assert_eq!(inside(k3s, ".attribution"), ["(the vendor’s words)"]);
    let rke = card(&list, "/conformance/rke-1.31/");
    assert!(inside(rke, "q").is_empty() && inside(rke, ".attribution").is_empty());

    // The result's own page says whose words it is, as the product page does, and no longer
    // lists it as a field of its own.
    let result = Page::load(&out, "conformance/k3s-1.31/index.html");
    assert_eq!(
        result.texts(".product-description q"),
        ["A featherweight certified distribution built for unattended remote sites."]
    );
    assert!(
        result
            .text(".product-description")
            .starts_with("SUSE describes it in its submission as"),
        "{}",
        result.text(".product-description")
    );
    assert!(
        result.all(".field-description").is_empty(),
        "the description is not shown unquoted as a field"
    );

    // The tool list quotes the landscape's description, not the importer's own summary.
    let tools = Page::load(&out, "tools/index.html");
    let gizmo = card(&tools, "/tools/gizmo-hypervisor/");
    assert_eq!(inside(gizmo, ".attribution"), ["(the landscape’s words)"]);
    assert_eq!(inside(gizmo, "q").len(), 1);
    let plain = card(&tools, "/tools/plain-listing/");
    assert!(
        inside(plain, "q").is_empty(),
        "the importer's line is not quoted"
    );
    assert!(inside(plain, ".attribution").is_empty());
    assert_eq!(
        inside(plain, "p"),
        ["Plain Listing, listed in the CNCF landscape under Automation & Configuration."]
    );
    // Nor on its own page, nor in its description for search engines and link previews.
    let page = Page::load(&out, "tools/plain-listing/index.html");
    assert!(page.all(".landscape-description").is_empty());
    let description = page
        .attr("meta[name=description]", "content")
        .unwrap_or_default();
    assert!(!description.contains("describes it as"), "{description}");
    let gizmo = Page::load(&out, "tools/gizmo-hypervisor/index.html");
    assert!(!gizmo.all(".lede.landscape-description q").is_empty());
}

/// Every card that quotes an imported text, and search (the form's `data-quoted`, which
/// search.js puts after a quoted result), say whose words it is in the same words.
#[test]
fn whose_words_reads_the_same_on_every_card_and_in_search() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    // A tool field value's page (tools/term.html) words its cards as the catalog does.
    let category = Page::load(&out, "tools/kind/automation/index.html");
    let gizmo = card(&category, "/tools/gizmo-hypervisor/");
    assert_eq!(inside(gizmo, ".attribution"), ["(the landscape’s words)"]);
    // The importer's own line is not quoted there either.
    let plain = card(&category, "/tools/plain-listing/");
    assert!(inside(plain, "q").is_empty() && inside(plain, ".attribution").is_empty());

    let search = Page::load(&out, "search/index.html");
    let quoted = search
        .attr("#search-form", "data-quoted")
        .unwrap_or_default();
    let quoted: serde_json::Value =
        serde_json::from_str(&quoted).unwrap_or_else(|e| panic!("{quoted}: {e}"));
    assert_eq!(
        quoted,
        serde_json::json!({
            "landscape": "the landscape’s words",
            "k8s-conformance": "the vendor’s words",
        })
    );
}

#[test]
fn a_field_is_called_by_its_label_on_its_page_and_in_search() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    // `vendor` has `label = "Maker"` in the schema: the panel says so…
    let result = Page::load(&out, "conformance/rke-1.31/index.html");
    let labels = result.texts(".fields dt");
    assert!(labels.contains(&"Maker".to_string()), "{labels:?}");
    assert!(!labels.contains(&"Vendor".to_string()), "{labels:?}");
    // …and so does the fields passage search shows as the excerpt of a match there.
    let blocks = blocks(&out);
    let block = block_of(&blocks, "/conformance/rke-1.31/");
    let passages: Vec<&str> = block["p"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p[0].as_str())
        .collect();
    assert!(
        passages.iter().any(|p| p.contains("Maker: SUSE")),
        "{passages:?}"
    );
    assert!(
        !passages.iter().any(|p| p.contains("Vendor: SUSE")),
        "{passages:?}"
    );
}

#[test]
fn product_and_vendor_pages_link_the_catalog_entry_and_the_tool_links_the_product() {
    let site = fixture("conformance-links");
    let out = build(site.path());

    // The product whose results name a tool links its catalog entry; one naming none does not.
    let product = Page::load(&out, "conformance/product/k3s/index.html");
    assert_eq!(product.text("#catalog-entry"), "Catalog entry: K3s");
    assert_eq!(product.attrs("#catalog-entry a", "href"), ["/tools/k3s/"]);
    let other = Page::load(&out, "conformance/product/rke/index.html");
    assert!(other.all("#catalog-entry").is_empty());
    // The submission's description is quoted as the vendor's words, not the site's.
    assert_eq!(
        product.texts(".product-description q"),
        ["A featherweight certified distribution built for unattended remote sites."]
    );
    assert!(
        product
            .text(".product-description")
            .starts_with("SUSE describes it in its submission as"),
        "{}",
        product.text(".product-description")
    );

    // The vendor's row of that product says so too, and only that row.
    let vendor = Page::load(&out, "conformance/vendor/suse/index.html");
    let rows = vendor.texts("#vendor-products tbody th");
    assert_eq!(rows, ["K3s · Catalog entry: K3s", "RKE"], "{rows:?}");
    assert_eq!(
        vendor.attrs("#vendor-products .catalog-entry a", "href"),
        ["/tools/k3s/"]
    );

    // The tool's page links the product's page, besides its single results.
    let tool = Page::load(&out, "tools/k3s/index.html");
    assert_eq!(
        tool.texts(".backlinks .product-link a"),
        ["All results of this product →"]
    );
    assert_eq!(
        tool.attrs(".backlinks .product-link a", "href"),
        ["/conformance/product/k3s/"]
    );
    let mut results = tool.attrs(".backlinks .link-list a", "href");
    results.sort();
    assert_eq!(
        results,
        ["/conformance/k3s-1.30/", "/conformance/k3s-1.31/"]
    );
}

/// The redirect target of the alias page at `rel`.
fn redirect(out: &Path, rel: &str) -> String {
    let page = Page::load(out, rel);
    let refresh = page
        .attr("meta[http-equiv=refresh]", "content")
        .unwrap_or_else(|| panic!("{rel}: not a redirect"));
    let to = refresh
        .split_once("url=")
        .map(|(_, to)| to.to_string())
        .unwrap_or_default();
    assert_eq!(
        page.attr("body a", "href").as_deref(),
        Some(to.as_str()),
        "{rel}: the link says the same"
    );
    to
}

#[test]
fn an_old_product_page_redirects_to_the_product_under_its_current_name() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    assert!(out.join("conformance/product/nkp/index.html").is_file());
    assert_eq!(
        redirect(&out, "conformance/product/konvoy/index.html"),
        "/conformance/product/nkp/"
    );
    let page = Page::load(&out, "conformance/product/konvoy/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href").as_deref(),
        Some("https://links.example.org/conformance/product/nkp/")
    );
    // Any other alias still leads to its own page.
    assert_eq!(
        redirect(&out, "results/nkp-131/index.html"),
        "/conformance/nkp-1.31/"
    );
}

/// A generated page (a product's, a vendor's, the collection's list) has no backlinks, so it
/// lists the pages whose bodies link to it by its site path: the catalog entry that links its
/// product's page is listed there, once, and a page linking nothing generated adds nothing.
#[test]
fn a_product_page_lists_the_pages_that_link_to_it() {
    let site = common::fixture_with(
        "conformance-links",
        &[(
            "tools/k3s.md",
            "+++\ntitle = \"K3s\"\nsummary = \"A small Kubernetes distribution we run on edge nodes.\"\n+++\nK3s packs the control plane into one binary. See [its results](/conformance/product/k3s/), [again](/conformance/product/k3s/#catalog-entry) and [every result](/conformance/).\n",
        )],
    );
    let out = build(site.path());
    let product = Page::load(&out, "conformance/product/k3s/index.html");
    assert_eq!(product.text("#linked-from-title"), "Linked from (1)");
    assert_eq!(
        product.attrs("[aria-labelledby=linked-from-title] a", "href"),
        ["/tools/k3s/"]
    );
    let list = Page::load(&out, "conformance/index.html");
    assert_eq!(
        list.attrs("[aria-labelledby=linked-from-title] a", "href"),
        ["/tools/k3s/"]
    );
    let untouched = Page::load(&out, "conformance/product/rke/index.html");
    assert!(untouched.all("#linked-from-title").is_empty());
}

/// A number beside the matrix's product filters counts products, as the filters do ("1 of 3
/// products"), and says so; the home page says how many products the results come from.
#[test]
fn counts_beside_the_product_filters_count_products_and_say_so() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    let list = Page::load(&out, "conformance/index.html");
    // SUSE: three results of two products (K3s, RKE); Nutanix: two results of one (NKP).
    let vendors: Vec<String> = list
        .texts(".matrix-filter-links p")
        .into_iter()
        .filter(|p| p.starts_with("By Maker"))
        .collect();
    assert_eq!(
        vendors,
        ["By Maker: SUSE 2 products · Nutanix 1 product"],
        "{vendors:?}"
    );
    assert!(
        list.text("#matrix-count").contains("of 3 products"),
        "{}",
        list.text("#matrix-count")
    );

    let home = Page::load(&out, "index.html");
    let card = home
        .all(".stats .stat")
        .into_iter()
        .find(|c| {
            c.select(&scraper::Selector::parse(".stat-label").unwrap())
                .any(|l| l.text().collect::<String>() == "Conformance results")
        })
        .map(|c| c.text().collect::<String>())
        .expect("a card for the results");
    assert!(card.contains("5 Conformance results"), "{card}");
    assert!(card.contains("from 3 products"), "{card}");
}

/// The matrix's "By …" links name each field by its label, not its key; product and vendor
/// pages show a result as the field's `value_labels` name it.
#[test]
fn by_links_and_result_tables_use_the_schema_words() {
    let site = fixture("conformance-links");
    let out = build(site.path());
    let list = Page::load(&out, "conformance/index.html");
    let by = list.texts(".matrix-filter-links p > a:first-child");
    assert!(by.contains(&"By Maker".to_string()), "{by:?}");
    assert!(!by.iter().any(|b| b == "By vendor"), "{by:?}");

    let product = Page::load(&out, "conformance/product/k3s/index.html");
    let results = product.texts("#product-history td[data-label='Result']");
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r == "Passed"), "{results:?}");
    let vendor = Page::load(&out, "conformance/vendor/suse/index.html");
    let results = vendor.texts("#vendor-results td[data-label='Result']");
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r == "Passed"), "{results:?}");
}
