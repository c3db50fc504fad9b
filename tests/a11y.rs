//! Accessibility of the shipped site in headless Chromium: axe-core (npm `axe-core`, installed
//! into tests/a11y/node_modules by `.ci/run`) is injected into every page type, in light and
//! dark, at desktop and 390-px phone widths, and any violation fails. Also: list tables become
//! stacked cards on a phone (an entry's title box at least 300 px wide), /tools/ keeps the
//! filter bar's space before catalog.js runs (no layout shift), overflowing code blocks are
//! focusable, and the site has a favicon.
//!
//! Without axe-core or Chromium the tests fail when `CI` is set and are skipped, loudly,
//! otherwise (`npm ci --prefix tests/a11y`).

#[path = "common/browser.rs"]
mod browser;

use std::path::PathBuf;

use fantoccini::Client;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One page of each type the site has.
const PAGES: &[&str] = &[
    "",
    "architectures/",
    "architectures/bare-metal-kubeadm-ha/",
    "tools/",
    "tools/kubeadm/",
    "tools/category/",
    "tools/category/networking/",
    "notes/",
    "notes/etcd-restore-after-disk-loss/",
    "conformance/",
    "surveys/",
    "surveys/2026-operator-survey/",
    "meetings/",
    "meetings/2026-11-11-working-meeting/",
    "kubernetes/",
    "kubernetes/1.33/",
    "providers/",
    "providers/bare-metal/",
    "about/",
    "search/?q=etcd",
    "404.html",
];

/// The shipped site built once into a temporary folder and served as static files, gzipped,
/// by tests/a11y/serve-static.mjs (Node, installed with axe-core): what a reader gets from a
/// static host, without `serve`'s live-reload stream.
struct StaticSite {
    url: String,
    _server: std::process::Child,
    _out: tempfile::TempDir,
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        let _ = self._server.kill();
        let _ = self._server.wait();
    }
}

async fn static_site() -> StaticSite {
    use std::io::BufRead;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let url = format!("http://127.0.0.1:{port}/");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    opsbook::pipeline::build(
        &opsbook::pipeline::Options {
            root: repo(),
            base_url: Some(url.clone()),
            ..Default::default()
        },
        Some(site.clone()),
    )
    .unwrap_or_else(|e| panic!("build the shipped site: {e}"));
    let mut server = std::process::Command::new("node")
        .arg(repo().join("tests/a11y/serve-static.mjs"))
        .arg(&site)
        .arg(port.to_string())
        .env("EXIT_ON_STDIN_END", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run node tests/a11y/serve-static.mjs");
    let stdout = server.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("server output");
    assert_eq!(line.trim(), "ready", "static server did not start");
    StaticSite {
        url,
        _server: server,
        _out: out,
    }
}

/// `A11Y_PAGES="a/ b/"` narrows the run while fixing one page.
fn pages() -> Vec<String> {
    match std::env::var("A11Y_PAGES") {
        Ok(list) => list.split_whitespace().map(str::to_string).collect(),
        Err(_) => PAGES.iter().map(|p| p.to_string()).collect(),
    }
}

fn axe_source() -> Option<String> {
    let path = repo().join("tests/a11y/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but {} is missing ({e}): .ci/run must run `npm ci --prefix tests/a11y`",
                path.display()
            );
            eprintln!(
                "SKIPPED: no {} (npm ci --prefix tests/a11y)",
                path.display()
            );
            None
        }
    }
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

/// Runs axe on the loaded page; returns one line per violation and node.
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    if js(client, "return typeof window.axe === 'object';").await != Value::Bool(true) {
        client
            .execute(&format!("{axe}\n;window.axe = axe; return true;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("inject axe-core: {e}"));
    }
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>
                 v.id + ' (' + v.impact + '): ' + n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("axe.run: {e}"));
    result
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_light_dark_desktop_phone() {
    let Some(axe) = axe_source() else {
        return;
    };
    let server = static_site().await;
    // The check can fail: a planted image without a text alternative is reported.
    {
        let Some(browser) = browser::open(1280, 900, false).await else {
            return;
        };
        let c = &browser.client;
        goto(c, &format!("{}about/", server.url)).await;
        js(
            c,
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"planted.png\">'); return true;",
        )
        .await;
        let planted = violations(c, &axe).await;
        assert!(
            planted.iter().any(|v| v.starts_with("image-alt")),
            "axe must report the planted image: {planted:?}"
        );
        let _ = browser.client.clone().close().await;
    }
    let mut found = Vec::new();
    let mut runs = 0;
    for (width, height) in [(1280, 900), (390, 844)] {
        for dark in [false, true] {
            let Some(browser) = browser::open(width, height, dark).await else {
                return;
            };
            let c = &browser.client;
            for path in pages() {
                let loading = std::time::Instant::now();
                goto(c, &format!("{}{path}", server.url)).await;
                let loaded = loading.elapsed().as_secs_f64();
                if path.starts_with("search/") {
                    browser::wait_for(
                        c,
                        "return document.querySelectorAll('#search-results li').length > 0;",
                        10,
                    )
                    .await;
                }
                let scheme = js(
                    c,
                    "return matchMedia('(prefers-color-scheme: dark)').matches;",
                )
                .await;
                assert_eq!(scheme, Value::Bool(dark), "colour scheme of /{path}");
                runs += 1;
                let started = std::time::Instant::now();
                let page_violations = violations(c, &axe).await;
                eprintln!(
                    "{width}px dark={dark} /{path}: load {loaded:.1}s, axe {:.1}s",
                    started.elapsed().as_secs_f64()
                );
                for v in page_violations {
                    found.push(format!(
                        "{width}px {}: /{path}: {v}",
                        if dark { "dark" } else { "light" }
                    ));
                }
            }
            let _ = browser.client.clone().close().await;
        }
    }
    assert_eq!(runs, pages().len() * 4);
    assert!(
        found.is_empty(),
        "{} axe violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Below ~640 px the list tables become stacked cards: the entry's title cell spans the width.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_tables_become_cards_on_a_phone() {
    let Some(browser) = browser::open(390, 844, false).await else {
        return;
    };
    let c = &browser.client;
    let server = static_site().await;
    for path in ["architectures/", "kubernetes/"] {
        goto(c, &format!("{}{path}", server.url)).await;
        let widths = js(
            c,
            "return [...document.querySelectorAll('table.data-table tbody th')].map(e => e.getBoundingClientRect().width);",
        )
        .await;
        let widths: Vec<f64> = widths
            .as_array()
            .expect("array")
            .iter()
            .map(|w| w.as_f64().expect("number"))
            .collect();
        assert!(widths.len() >= 5, "/{path}: {widths:?}");
        assert!(
            widths.iter().all(|&w| w >= 300.0),
            "/{path}: every entry's title box is at least 300 px wide at 390 px: {widths:?}"
        );
    }
    // The desktop layout stays a table.
    let _ = browser.client.clone().close().await;
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    goto(c, &format!("{}architectures/", server.url)).await;
    let display = js(
        c,
        "return getComputedStyle(document.querySelector('table.data-table tbody tr')).display;",
    )
    .await;
    assert_eq!(display, "table-row");
    let _ = browser.client.clone().close().await;
}

/// catalog.js un-hides the filters; the space they take is reserved before it runs, so the
/// cards below do not move (no layout shift). Without the reservation (`#catalog-filters[hidden]`
/// in style.css) the shift is about 0.03 at 1280 px, over the 0.01 allowed here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_filter_bar_does_not_shift_the_layout() {
    let (mut shifts, mut moves) = (Vec::new(), Vec::new());
    for (width, height) in [(1280, 900), (390, 844)] {
        let Some(browser) = browser::open(width, height, false).await else {
            return;
        };
        let c = &browser.client;
        let server = static_site().await;
        goto(c, &format!("{}tools/", server.url)).await;
        // The bar must really be shown: a catalog.js that never runs would shift nothing.
        let shown = browser::wait_for(
            c,
            "const f = document.getElementById('catalog-filters'); return !!f && !f.hidden && f.getBoundingClientRect().height > 0;",
            10,
        )
        .await;
        assert_eq!(
            shown,
            Value::Bool(true),
            "{width}px: catalog.js did not show the filter bar"
        );
        let shift = browser::wait_for(
            c,
            "return new Promise(done => { let total = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) total += e.value; }).observe({ type: 'layout-shift', buffered: true }); setTimeout(() => done({ total }), 500); });",
            10,
        )
        .await;
        shifts.push((width, shift["total"].as_f64().unwrap_or(f64::NAN)));
        // Deterministic at every width: hiding the bar again (the state before catalog.js
        // runs) must leave the catalog where it is.
        let moved = c
            .execute(
                "const f = document.getElementById('catalog-filters'); const top = () => document.getElementById('catalog').getBoundingClientRect().top + window.scrollY; const shown = top(); f.hidden = true; const before = top(); f.hidden = false; return shown - before;",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_f64());
        moves.push((width, moved));
        let _ = browser.client.clone().close().await;
    }
    assert!(
        moves.iter().all(|(_, m)| m.is_some_and(|m| m.abs() < 0.5)),
        "the catalog moves by (width px, CSS px) when the filter bar is shown: {moves:?}; CLS: {shifts:?}"
    );
    assert!(
        shifts.iter().all(|(_, total)| *total < 0.01),
        "cumulative layout shift on /tools/ (width px, CLS): {shifts:?}"
    );
}

/// Code blocks that scroll sideways can be reached and scrolled by keyboard; the heading
/// anchors are not told apart by colour alone; the favicon loads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_blocks_anchors_and_favicon() {
    let Some(browser) = browser::open(390, 844, false).await else {
        return;
    };
    let c = &browser.client;
    let server = static_site().await;
    goto(
        c,
        &format!("{}architectures/bare-metal-kubeadm-ha/", server.url),
    )
    .await;
    // Once (in CI, under load) this found no code block at all: wait for the page and its
    // styles, and say which page was measured if it still fails.
    browser::wait_for(
        c,
        "return document.readyState === 'complete' && document.querySelectorAll('.content pre').length > 0;",
        30,
    )
    .await;
    let page = js(c, "return location.href + ' ' + document.title;").await;
    let pres = js(
        c,
        "return [...document.querySelectorAll('.content pre')].map(p => ({ overflow: p.scrollWidth > p.clientWidth, tabindex: p.getAttribute('tabindex') }));",
    )
    .await;
    let pres = pres.as_array().expect("array");
    assert!(
        pres.iter().any(|p| p["overflow"] == Value::Bool(true)),
        "some code block overflows at 390 px on {page}: {pres:?}"
    );
    assert!(
        pres.iter().all(|p| p["tabindex"] == "0"),
        "every code block is focusable: {pres:?}"
    );
    let anchor = js(
        c,
        "const a = document.querySelector('.content h2 a[href^=\"#\"]'); const s = getComputedStyle(a); return { line: s.textDecorationLine };",
    )
    .await;
    assert_eq!(
        anchor["line"], "underline",
        "heading anchors are underlined, not only coloured"
    );
    let favicon = js(
        c,
        "const l = document.querySelector('link[rel=icon]'); return l ? fetch(l.href).then(r => r.status + ' ' + r.headers.get('content-type')) : null;",
    )
    .await;
    let favicon = browser::wait_for(
        c,
        "const l = document.querySelector('link[rel=icon]'); if (!l) return 'none'; return fetch(l.href).then(r => r.status + ' ' + r.headers.get('content-type'));",
        5,
    )
    .await
    .as_str()
    .map(str::to_string)
    .unwrap_or_else(|| favicon.to_string());
    assert!(
        favicon.starts_with("200 image/svg+xml"),
        "favicon: {favicon}"
    );
    let _ = browser.client.clone().close().await;
}
