//! A tool's licence links to its text: on tests/fixtures/licences, each SPDX identifier of a
//! tool's `license` links to spdx.org/licenses on the tool's page and on its catalog card
//! ("Apache-2.0 OR MIT" links both), and a value that is not SPDX stays plain text.

mod common;

use common::{Page, fixture};

/// The licence links in `scope` of `page`: (text, href).
fn licence_links(page: &Page, scope: &str) -> Vec<(String, String)> {
    page.all(&format!("{scope} a.licence-id"))
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn link(id: &str) -> (String, String) {
    (
        id.to_string(),
        format!("https://spdx.org/licenses/{id}.html"),
    )
}

#[test]
fn spdx_identifiers_link_to_their_licence_text() {
    let site = fixture("licences");
    let out = common::build_site(site.path(), false, None);

    let single = Page::load(&out, "tools/single/index.html");
    assert_eq!(licence_links(&single, ".facts"), [link("Apache-2.0")]);
    // The catalog's page for the licence is still one click away.
    assert!(
        single
            .attrs(".facts a", "href")
            .iter()
            .any(|h| h.ends_with("/tools/license/apache-2.0/")),
        "{:?}",
        single.attrs(".facts a", "href")
    );

    let dual = Page::load(&out, "tools/dual/index.html");
    assert_eq!(
        licence_links(&dual, ".facts"),
        [link("Apache-2.0"), link("MIT")]
    );
    assert!(dual.text(".facts").contains("Apache-2.0 OR MIT"));

    let closed = Page::load(&out, "tools/closed/index.html");
    assert!(licence_links(&closed, ".facts").is_empty());
    assert!(closed.text(".facts").contains("Proprietary"));

    let catalog = Page::load(&out, "tools/index.html");
    assert_eq!(
        licence_links(&catalog, ".tool-card .tag.licence"),
        [link("Apache-2.0"), link("Apache-2.0"), link("MIT")],
        "cards sort by title: A licence SPDX does not list, One licence, Two licences"
    );
    assert!(
        catalog
            .texts(".tool-card .tag.licence")
            .contains(&"Proprietary".to_string())
    );
}
