//! The clusterops theme builds a site whose schema leaves optional the fields its templates
//! print (a tool's `category`, an architecture's `providers`, a note's `outcome`, a result's
//! `vendor` and `type`) when entries leave them out, and still lists those entries.

mod common;

use common::{Page, fixture};

#[test]
fn a_site_whose_entries_leave_optional_fields_out_builds() {
    let site = fixture("optional-fields");
    common::assert_check_clean(site.path());
    let out = common::build_site(site.path(), false, None);

    let catalog = Page::load(&out, "tools/index.html");
    // The tool without a category is listed, in a group of its own, after the categories.
    assert_eq!(
        catalog.texts("#catalog .category h2 a"),
        ["Backup"],
        "{:?}",
        catalog.texts("#catalog .category h2")
    );
    assert_eq!(catalog.text("#cat-none"), "Not in a category 1");
    assert_eq!(
        catalog.texts("#catalog .tool-card h3 a"),
        ["Snapper", "Loose end"]
    );
    // The written-up list names a category only where there is one.
    assert_eq!(catalog.texts(".written-list .meta"), ["Backup"]);
    assert_eq!(catalog.texts(".written-list a").len(), 2);

    for rel in [
        "tools/loose/index.html",
        "architectures/index.html",
        "architectures/bare/index.html",
        "notes/index.html",
        "notes/quiet/index.html",
        "conformance/index.html",
        "conformance/product/anon/index.html",
        "kubernetes/1.33/index.html",
    ] {
        let page = Page::load(&out, rel);
        assert!(!page.text("h1").is_empty(), "{rel} has no heading");
    }
}
