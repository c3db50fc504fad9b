//! The shipped Cluster Ops site in headless Chromium, served by `opsbook serve`: search finds a
//! known tool, a catalog filter narrows the grid and its count, a 375-px phone viewport has no
//! horizontal scroll, dark mode applies, and every conformance matrix link resolves.
//!
//! With `OPSBOOK_SCREENSHOTS=DIR` set, the dark-mode test also saves screenshots of the home,
//! catalog, an architecture page and the matrix, light and dark, into DIR (the README's come
//! from `OPSBOOK_SCREENSHOTS=docs/screenshots cargo test --test site_browser`).

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

async fn goto(client: &Client, url: &str) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
}

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_known_tool() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    // From the header's search box on any page.
    goto(c, &format!("{}tools/", server.url())).await;
    let input = c
        .find(Locator::Css("#site-search-q"))
        .await
        .expect("header search box");
    input.send_keys("velero").await.expect("type");
    c.find(Locator::Css(".site-search button"))
        .await
        .expect("search button")
        .click()
        .await
        .expect("submit");
    let hrefs = browser::wait_for(
        c,
        "const a = [...document.querySelectorAll('#search-results li > a')].map(a => a.getAttribute('href')); return a.length ? a : null;",
        15,
    )
    .await;
    let hrefs: Vec<String> = serde_json::from_value(hrefs).expect("result links");
    assert_eq!(
        hrefs.first().map(String::as_str),
        Some("/tools/velero/"),
        "the Velero page is the best result: {hrefs:?}"
    );
    let status = js(
        c,
        "return document.getElementById('search-status').textContent;",
    )
    .await;
    assert!(status.as_str().unwrap_or("").contains("velero"), "{status}");

    // A filter narrows the results to one section.
    let narrowed = js(
        c,
        r#"const s = [...document.querySelectorAll('#search-filters select')].find(s => s.name === 'section');
           const o = [...s.options].find(o => o.textContent.startsWith('Deployment notes'));
           s.value = o.value; s.dispatchEvent(new Event('change')); return true;"#,
    )
    .await;
    assert_eq!(narrowed, json!(true));
    let sections = browser::wait_for(
        c,
        "const m = [...document.querySelectorAll('#search-results li .meta')].map(e => e.textContent); return location.search.includes('section=') && m.length ? m : null;",
        10,
    )
    .await;
    let sections: Vec<String> = serde_json::from_value(sections).expect("sections");
    assert!(
        sections.iter().all(|s| s.contains("Deployment notes")),
        "{sections:?}"
    );

    // Word forms find each other: "upgrades" finds pages that say "upgrading" or "upgrade".
    goto(c, &format!("{}search/?q=upgrading", server.url())).await;
    let upgrading = browser::wait_for(
        c,
        "const n = document.querySelectorAll('#search-results li').length; return n ? n : null;",
        15,
    )
    .await;
    goto(c, &format!("{}search/?q=upgrades", server.url())).await;
    let upgrades = browser::wait_for(c, "const t = [...document.querySelectorAll('#search-results li > a')].map(a => a.textContent); return t.length ? t : null;", 15).await;
    let titles: Vec<String> = serde_json::from_value(upgrades).expect("titles");
    assert!(upgrading.as_u64().unwrap_or(0) >= 3, "{upgrading}");
    assert!(
        titles.iter().any(|t| t.contains("Upgrading")),
        "a search for 'upgrades' finds a page titled 'Upgrading …': {titles:?}"
    );

    // Following the result opens the page.
    goto(c, &format!("{}search/?q=velero", server.url())).await;
    browser::wait_for(
        c,
        "return document.querySelector('#search-results li > a') !== null;",
        15,
    )
    .await;
    c.find(Locator::Css("#search-results li > a"))
        .await
        .expect("first result")
        .click()
        .await
        .expect("click");
    let h1 = browser::wait_for(
        c,
        "return location.pathname === '/tools/velero/' ? document.querySelector('h1').textContent : null;",
        10,
    )
    .await;
    assert_eq!(h1, json!("Velero"));
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_filter_narrows_the_grid_and_the_count() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    goto(c, &format!("{}tools/", server.url())).await;
    let state = r#"const visible = [...document.querySelectorAll('#catalog .tool-card')].filter(e => !e.hidden && e.offsetParent !== null);
        return { shown: Number(document.querySelector('#catalog-count [data-count]').textContent),
                 total: document.querySelectorAll('#catalog .tool-card').length,
                 visible: visible.length,
                 categories: [...new Set(visible.map(e => e.dataset.category))],
                 formShown: !document.getElementById('catalog-filters').hidden,
                 noteShown: !document.getElementById('catalog-filter-note').hidden };"#;
    let before = js(c, state).await;
    assert_eq!(
        (&before["formShown"], &before["noteShown"]),
        (&json!(true), &json!(true)),
        "JavaScript reveals the filters and what they leave out: {before}"
    );
    let total = before["total"].as_u64().expect("total");
    assert!(total >= 40, "the catalog lists every tool: {before}");
    assert_eq!(before["shown"].as_u64(), Some(total));
    assert_eq!(before["visible"].as_u64(), Some(total));

    c.find(Locator::Css("select[data-facet='category']"))
        .await
        .expect("category filter")
        .select_by_value("backup")
        .await
        .expect("choose backup");
    let after = browser::wait_for(
        c,
        &format!("const s = (() => {{ {state} }})(); return s.shown < {total} ? s : null;"),
        5,
    )
    .await;
    let shown = after["shown"].as_u64().expect("narrowed count");
    assert!(shown > 0 && shown < total, "{after}");
    assert_eq!(
        after["visible"].as_u64(),
        Some(shown),
        "the count matches the grid"
    );
    assert_eq!(after["categories"], json!(["backup"]));
    assert!(
        js(c, "return location.search;")
            .await
            .as_str()
            .unwrap_or("")
            .contains("category=backup"),
        "the filter is in the address, so it can be shared"
    );

    // Two facets combine.
    c.find(Locator::Css("select[data-facet='lifecycle']"))
        .await
        .expect("lifecycle filter")
        .select_by_value("day-2")
        .await
        .expect("choose day-2");
    let both = js(c, state).await;
    assert!(both["shown"].as_u64().expect("count") <= shown);
    assert_eq!(both["visible"], both["shown"]);

    // Without JavaScript the same facets are plain links to index pages.
    let links = js(
        c,
        "return [...document.querySelectorAll('.facet-links a')].map(a => a.getAttribute('href'));",
    )
    .await;
    let links: Vec<String> = serde_json::from_value(links).expect("links");
    assert!(
        links.contains(&"/tools/category/backup/".to_string()),
        "{links:?}"
    );
    goto(c, &format!("{}tools/category/backup/", server.url())).await;
    let listed = js(c, "return document.querySelectorAll('main .card').length;").await;
    assert_eq!(
        listed.as_u64(),
        Some(shown),
        "the index page lists the same tools"
    );
    // …and the filter bars a script would show take no room: the catalog and the matrix in a
    // frame that runs no scripts.
    for page in ["tools/", "conformance/"] {
        let height = format!(
            "const f = document.createElement('iframe');
             f.setAttribute('sandbox', 'allow-same-origin');
             f.style.width = '1000px'; f.style.height = '600px';
             f.src = '{}{page}';
             document.body.appendChild(f);
             return await new Promise(done => f.onload = () => {{
               const bar = f.contentDocument.querySelector('#catalog-filters, #matrix-filters');
               done({{ height: bar ? bar.getBoundingClientRect().height : -1 }});
             }});",
            server.url()
        );
        let bar = js(c, &height).await;
        assert_eq!(bar, json!({"height": 0}), "{page}");
    }
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_viewport_never_scrolls_sideways() {
    let Some(browser) = browser::open(375, 812, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    for path in [
        "",
        "tools/",
        "architectures/bare-metal-kubeadm-ha/",
        "conformance/",
        "notes/etcd-restore-after-disk-loss/",
        "surveys/2026-operator-survey/",
        "search/?q=etcd",
    ] {
        goto(c, &format!("{}{path}", server.url())).await;
        // Under CI load the conformance matrix was once measured before its page had settled
        // (the page as wide as the table); give the layout time to settle, then measure: a page
        // that really is too wide stays too wide and fails below.
        browser::wait_for(
            c,
            "return document.readyState === 'complete' && document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth <= 400;",
            15,
        )
        .await;
        let m = js(
            c,
            "return { inner: window.innerWidth, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth };",
        )
        .await;
        let inner = m["inner"].as_u64().expect("innerWidth");
        let wide = js(
            c,
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
        )
        .await;
        assert!(
            inner <= 400,
            "/{path}: the page is wider than the phone: {m}; widest: {wide}"
        );
        assert!(
            m["scroll"].as_u64().expect("scrollWidth") <= inner
                && m["body"].as_u64().expect("body") <= inner,
            "/{path} scrolls sideways at {inner}px: {m}"
        );
    }
    // The conformance matrix scrolls inside its box; its product column stays in view.
    goto(c, &format!("{}conformance/", server.url())).await;
    let kept = js(
        c,
        "const w = document.querySelector('.matrix-wrap');
         w.scrollLeft = 600; w.scrollTop = 200;
         const box = w.getBoundingClientRect();
         const th = document.querySelector('#conformance-matrix tbody tr th[scope=row]');
         return { scrolled: w.scrollLeft, offset: Math.round(th.getBoundingClientRect().left - box.left) };",
    )
    .await;
    assert!(kept["scrolled"].as_f64().unwrap_or(0.0) > 100.0, "{kept}");
    assert!(
        kept["offset"].as_f64().is_some_and(|o| o.abs() <= 2.0),
        "the product column stays at the box's left (its border aside): {kept}"
    );
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformance_matrix_links_resolve() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    goto(c, &format!("{}conformance/", server.url())).await;
    let shape = js(
        c,
        "const heads = [...document.querySelectorAll('#conformance-matrix thead th')].slice(1).map(th => th.textContent.trim()); const labels = [...document.querySelectorAll('#conformance-matrix tbody th a.product')].map(a => a.textContent.trim().toLowerCase()); return { cols: heads.length, first: heads[0], last: heads[heads.length - 1], rows: document.querySelectorAll('#conformance-matrix tbody tr').length, distinct: new Set(labels).size, vendors: document.querySelectorAll('#conformance-matrix tbody th .vendor').length, links: document.querySelectorAll('#conformance-matrix td a').length, certified: document.querySelectorAll('#conformance-matrix td[data-kind=certified]').length, cells: document.querySelectorAll('#conformance-matrix td[data-kind]').length };",
    )
    .await;
    // Newest first: the column a reader comes for is in view without scrolling.
    assert_eq!(shape["first"], "1.33", "{shape}");
    assert_eq!(shape["last"], "1.24", "{shape}");
    assert_eq!(shape["cols"], 10, "{shape}");
    assert_eq!(
        shape["distinct"], shape["rows"],
        "no duplicate product rows: {shape}"
    );
    assert_eq!(
        shape["vendors"], shape["rows"],
        "every row names its vendor: {shape}"
    );
    assert_eq!(
        shape["certified"], shape["cells"],
        "every shipped result is a certified submission: {shape}"
    );
    assert!(shape["rows"].as_u64().expect("rows") >= 100, "{shape}");
    let entries = browser::wait_for(
        c,
        "if (!window.__api) { window.__api = 'loading'; fetch('/api/conformance.json').then(r => r.json()).then(j => { window.__api = j.count; }); } return window.__api === 'loading' ? null : window.__api;",
        10,
    )
    .await;
    assert!(entries.as_u64().expect("count") >= 300, "{entries}");
    assert_eq!(
        shape["links"], entries,
        "every result is linked from the matrix: {shape}"
    );
    assert!(
        entries.as_u64().expect("count") >= 1123,
        "every shared submission is shipped: {entries}"
    );
    let broken = browser::wait_for(
        c,
        r#"if (!window.__checked) {
             window.__checked = 'running';
             const links = [...document.querySelectorAll('#conformance-matrix td a')].map(a => a.href);
             Promise.all(links.map(u => fetch(u).then(r => r.ok ? null : u + ' ' + r.status)))
               .then(r => { window.__checked = r.filter(x => x); });
           }
           return window.__checked === 'running' ? null : window.__checked;"#,
        60,
    )
    .await;
    assert_eq!(broken, json!([]), "every cell's link opens a page");
    // The type filter narrows the rows to that type, and the count follows.
    let filtered = js(
        c,
        "const s = document.querySelector('#matrix-filters select[name=type]'); s.value = 'hosted'; s.dispatchEvent(new Event('change')); const shown = [...document.querySelectorAll('#conformance-matrix tbody tr')].filter(r => !r.hidden); return { shown: shown.length, hosted: shown.filter(r => r.dataset.type === 'hosted').length, count: Number(document.querySelector('#matrix-count [data-count]').textContent) };",
    )
    .await;
    let shown = filtered["shown"].as_u64().expect("shown");
    assert!(
        shown > 0 && shown < shape["rows"].as_u64().expect("rows"),
        "{filtered}"
    );
    assert_eq!(filtered["hosted"], filtered["shown"], "{filtered}");
    assert_eq!(filtered["count"], filtered["shown"], "{filtered}");
    js(c, "const s = document.querySelector('#matrix-filters select[name=type]'); s.value = ''; s.dispatchEvent(new Event('change')); return null;").await;
    // A filter given in the URL applies on load (matrix.js skips the pass over the rows only
    // when the URL names no filter).
    goto(c, &format!("{}conformance/?type=hosted", server.url())).await;
    // Read once the page has loaded and matrix.js has run (a busy machine can hand the page
    // back while the table is still being parsed).
    let from_url = browser::wait_for(
        c,
        "if (document.readyState !== 'complete' || document.getElementById('matrix-filters').hidden) return null; const shown = [...document.querySelectorAll('#conformance-matrix tbody tr')].filter(r => !r.hidden); return { shown: shown.length, hosted: shown.filter(r => r.dataset.type === 'hosted').length, count: Number(document.querySelector('#matrix-count [data-count]').textContent), select: document.querySelector('#matrix-filters select[name=type]').value };",
        30,
    )
    .await;
    assert_eq!(from_url["shown"], filtered["shown"], "{from_url}");
    assert_eq!(from_url["hosted"], from_url["shown"], "{from_url}");
    assert_eq!(from_url["count"], from_url["shown"], "{from_url}");
    assert_eq!(from_url["select"], "hosted", "{from_url}");
    goto(c, &format!("{}conformance/", server.url())).await;
    // A cell opens the result it names.
    let title = js(c, "const a = document.querySelector('#conformance-matrix td a'); const t = a.title; a.click(); return t;").await;
    let h1 = browser::wait_for(c, "return location.pathname !== '/conformance/' ? document.querySelector('h1').textContent : null;", 10).await;
    assert_eq!(h1, title);
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_system_setting() {
    let server = common::Server::start(&repo());
    let shots = std::env::var_os("OPSBOOK_SCREENSHOTS").map(PathBuf::from);
    let mut backgrounds = Vec::new();
    for dark in [false, true] {
        let Some(browser) = browser::open(1280, 1000, dark).await else {
            return;
        };
        let c = &browser.client;
        goto(c, &server.url()).await;
        let v = js(
            c,
            "return { dark: matchMedia('(prefers-color-scheme: dark)').matches, bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color };",
        )
        .await;
        assert_eq!(
            v["dark"],
            json!(dark),
            "the browser reports the scheme: {v}"
        );
        backgrounds.push(v["bg"].as_str().unwrap_or("").to_string());
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).expect("screenshot dir");
            let scheme = if dark { "dark" } else { "light" };
            for (name, path) in [
                ("home", ""),
                ("catalog", "tools/"),
                ("architecture", "architectures/bare-metal-kubeadm-ha/"),
                ("matrix", "conformance/"),
            ] {
                goto(c, &format!("{}{path}", server.url())).await;
                let png = c.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("{name}-{scheme}.png")), png).expect("save");
            }
        }
        let _ = browser.client.clone().close().await;
    }
    assert_eq!(backgrounds[0], "rgb(255, 255, 255)", "light background");
    assert_eq!(backgrounds[1], "rgb(13, 17, 23)", "dark background");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn written_catalog_entries_are_one_click_from_tools() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    goto(c, &format!("{}tools/", server.url())).await;
    // The written entries, as the JSON API knows them: no `source`.
    let written = browser::wait_for(
        c,
        "if (!window.__tools) { window.__tools = 'loading'; fetch('/api/tools.json').then(r => r.json()).then(j => { window.__tools = j.entries.filter(e => !e.fields.source).map(e => new URL(e.url, location.href).pathname).sort(); }); } return window.__tools === 'loading' ? null : window.__tools;",
        10,
    )
    .await;
    let written: Vec<String> = serde_json::from_value(written).expect("written list");
    assert!(written.len() >= 47, "{written:?}");
    for slug in [
        "helm",
        "kind",
        "minikube",
        "talos",
        "kops",
        "cluster-autoscaler",
        "rke2",
    ] {
        assert!(
            written.contains(&format!("/tools/{slug}/")),
            "{slug} is written up"
        );
    }
    // Every one is a visible link in the catalog's "Written up" list.
    let linked = js(
        c,
        "return [...document.querySelectorAll('#written-up a')].filter(a => a.offsetParent !== null).map(a => new URL(a.href).pathname).sort();",
    )
    .await;
    let linked: Vec<String> = serde_json::from_value(linked).expect("linked");
    assert_eq!(linked, written);
    // One click opens the entry, a written page with no "nobody has written" notice.
    let title = js(
        c,
        "const a = [...document.querySelectorAll('#written-up a')].find(a => a.pathname.endsWith('/helm/')); a.click(); return a.textContent;",
    )
    .await;
    let h1 = browser::wait_for(
        c,
        "return location.pathname.endsWith('/tools/helm/') ? document.querySelector('h1').textContent : null;",
        10,
    )
    .await;
    assert_eq!(h1, title);
    assert_eq!(
        js(
            c,
            "return document.querySelectorAll('#imported-notice').length;"
        )
        .await,
        json!(0)
    );
    // The "Written up" filter shows exactly the written cards.
    goto(c, &format!("{}tools/?written=yes", server.url())).await;
    // catalog.js has applied the filter when it shows its form (on a busy machine the page can
    // report loaded before the deferred script ran).
    browser::wait_for(
        c,
        "const f = document.getElementById('catalog-filters'); return f && !f.hidden ? true : null;",
        30,
    )
    .await;
    let shown = js(
        c,
        "return [...document.querySelectorAll('#catalog .tool-card')].filter(e => !e.hidden && e.offsetParent !== null).map(e => e.dataset.written);",
    )
    .await;
    let shown: Vec<String> = serde_json::from_value(shown).expect("shown");
    assert_eq!(shown.len(), written.len());
    assert!(shown.iter().all(|w| w == "yes"), "{shown:?}");
    let _ = browser.client.clone().close().await;
}
