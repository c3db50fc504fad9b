//! The relevance benchmark (`bench/search/queries.json`) through the real search page of the
//! shipped site, built and served as static files, in headless Chromium.
//!
//! `relevance_and_bytes_stay_above_the_floor` runs in CI and fails when quality drops below the
//! floor or a query costs more bytes than the budget. `bench/search/run.sh` runs
//! `side_by_side_with_pagefind` (ignored otherwise: it needs the npm `pagefind` binary), which
//! also indexes the same built site with Pagefind, queries it through its own browser API and
//! prints success@3 and MRR per kind for both.

#[path = "common/browser.rs"]
mod browser;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fantoccini::Client;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Query {
    query: String,
    kind: String,
    expect: Vec<String>,
    held_out: bool,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The benchmark's queries, or those of the file `OPSBOOK_SEARCH_QUERIES` names (a reviewer's
/// fresh set, run through the same page and the same scoring).
fn queries() -> Vec<Query> {
    match std::env::var_os("OPSBOOK_SEARCH_QUERIES") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).expect("OPSBOOK_SEARCH_QUERIES reads");
            serde_json::from_str(&text).expect("OPSBOOK_SEARCH_QUERIES parses as queries.json")
        }
        None => queries_in("queries.json"),
    }
}

fn queries_in(name: &str) -> Vec<Query> {
    let path = repo().join("bench/search").join(name);
    let text = std::fs::read_to_string(&path).expect("bench/search/queries.json");
    serde_json::from_str(&text).expect("queries.json parses")
}

/// Builds the shipped site into a temporary folder.
fn build_shipped() -> tempfile::TempDir {
    build_site(repo())
}

fn build_site(root: PathBuf) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    // Served at the root of a local address, whatever path the site's base_url has.
    let options = opsbook::pipeline::Options {
        root,
        drafts: false,
        base_url: Some("http://127.0.0.1/".into()),
        ..Default::default()
    };
    opsbook::pipeline::build(&options, Some(out.path().to_path_buf()))
        .unwrap_or_else(|e| panic!("building the site failed: {e}"));
    out
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "css" => "text/css",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// How the test host answers a `Range` request.
#[derive(Clone, Copy, PartialEq)]
enum Ranges {
    /// With the part asked for, as GitHub Pages, Netlify, S3 and nginx do.
    Met,
    /// With the whole file, as `python3 -m http.server` does.
    Ignored,
    /// With 416, as GitHub Pages answers some of Firefox's.
    Refused,
    /// With a part the browser cannot decode, as a CDN that applies the range to the compressed
    /// file does.
    Garbled,
}

/// Serves `dir` as a static host would (a folder answers with its index.html); returns the
/// base URL.
async fn serve_static(dir: PathBuf, ranges: Ranges) -> String {
    serve_static_failing(dir, ranges, None).await
}

/// [`serve_static`], answering 503 to the first request for each path ending in `fail_once`.
async fn serve_static_failing(
    dir: PathBuf,
    ranges: Ranges,
    fail_once: Option<&'static str>,
) -> String {
    use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let failed = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let dir = dir.clone();
        let failed = failed.clone();
        async move {
            if fail_once.is_some_and(|end| uri.path().ends_with(end))
                && failed
                    .lock()
                    .expect("failed paths")
                    .insert(uri.path().to_string())
            {
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            let rel = uri.path().trim_start_matches('/');
            let decoded = percent_decode(rel);
            if decoded.split('/').any(|s| s == "..") {
                return StatusCode::BAD_REQUEST.into_response();
            }
            let mut path = dir.join(&decoded);
            if path.is_dir() {
                path = path.join("index.html");
            }
            let Ok(bytes) = std::fs::read(&path) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let ctype = [(header::CONTENT_TYPE, content_type(&path))];
            let range = headers
                .get(header::RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| opsbook::serve::byte_range(v, bytes.len()))
                .filter(|_| ranges != Ranges::Ignored);
            let Some(r) = range else {
                return (ctype, bytes).into_response();
            };
            let span = format!("bytes {}-{}/{}", r.start, r.end - 1, bytes.len());
            let span = HeaderValue::from_str(&span).expect("a header value");
            let part = bytes.get(r).unwrap_or_default().to_vec();
            match ranges {
                Ranges::Refused => StatusCode::RANGE_NOT_SATISFIABLE.into_response(),
                Ranges::Garbled => {
                    let headers = [
                        (header::CONTENT_RANGE, span),
                        (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                    ];
                    (StatusCode::PARTIAL_CONTENT, ctype, headers, part).into_response()
                }
                Ranges::Met | Ranges::Ignored => {
                    let headers = [(header::CONTENT_RANGE, span)];
                    (StatusCode::PARTIAL_CONTENT, ctype, headers, part).into_response()
                }
            }
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Bytes the search code fetched so far in this page (scripts and index data, uncompressed),
/// and how many resource entries that took.
const BYTES: &str = r#"const e = performance.getEntriesByType('resource').filter(r => /\/search\/data\/|\/(search|stem)\.js(\?|$)|\/pagefind\//.test(r.name));
return [e.reduce((n, r) => n + (r.decodedBodySize || 0), 0), e.length];"#;

struct Run {
    /// Result URLs, best first.
    urls: Vec<String>,
    /// Bytes of a cold load of the search page with this query.
    cold: u64,
    /// Bytes of this query typed into a page that already ran another.
    warm: Option<u64>,
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

async fn ours(c: &Client, base: &str, q: &Query, previous: Option<&str>) -> Run {
    // Cold: a fresh load of the search page with the query in its URL.
    c.goto(&format!("{base}/search/?q={}", encode(&q.query)))
        .await
        .expect("open search page");
    let wait = "const s = document.getElementById('search-status').textContent; if (!s) return null;
        const a = [...document.querySelectorAll('#search-results li > a')].map(a => a.getAttribute('href'));
        return (a.length || s.startsWith('No results')) ? a : null;";
    let urls = browser::wait_for(c, wait, 20).await;
    let urls: Vec<String> = serde_json::from_value(urls.clone())
        .unwrap_or_else(|_| panic!("the search page answered nothing for {:?}: {urls}", q.query));
    let cold = js(c, BYTES).await;
    let cold = cold[0].as_u64().unwrap_or(0);
    // Warm: the previous query first, then this one typed into the same page.
    let warm = match previous {
        Some(p) => {
            c.goto(&format!("{base}/search/?q={}", encode(p)))
                .await
                .expect("open search page");
            browser::wait_for(c, wait, 20).await;
            let before = js(c, BYTES).await;
            let script = format!(
                "const i = document.getElementById('search-q'); i.value = {}; document.getElementById('search-form').requestSubmit(); return true;",
                serde_json::to_string(&q.query).unwrap_or_default()
            );
            js(c, &script).await;
            let done = format!(
                "const s = document.getElementById('search-status').textContent; return s.includes({}) ? true : null;",
                serde_json::to_string(&format!("“{}”", q.query)).unwrap_or_default()
            );
            browser::wait_for(c, &done, 20).await;
            browser::wait_for(c, wait, 20).await;
            let after = js(c, BYTES).await;
            Some(
                after[0]
                    .as_u64()
                    .unwrap_or(0)
                    .saturating_sub(before[0].as_u64().unwrap_or(0)),
            )
        }
        None => None,
    };
    Run { urls, cold, warm }
}

async fn pagefind(c: &Client, base: &str, q: &Query) -> Run {
    c.goto(&format!("{base}/about/"))
        .await
        .expect("open a page");
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        (async () => {{
            const pf = await import('/pagefind/pagefind.js');
            await pf.init();
            const r = await pf.search({});
            const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
            return top.map(d => d.url);
        }})().then(done, e => done('error: ' + e));"#,
        serde_json::to_string(&q.query).unwrap_or_default()
    );
    let urls = c
        .execute_async(&script, vec![])
        .await
        .unwrap_or_else(|e| panic!("pagefind query failed: {e}"));
    let urls: Vec<String> =
        serde_json::from_value(urls.clone()).unwrap_or_else(|_| panic!("pagefind answered {urls}"));
    let bytes = js(c, BYTES).await;
    Run {
        urls,
        cold: bytes[0].as_u64().unwrap_or(0),
        warm: None,
    }
}

fn matches(url: &str, expect: &str) -> bool {
    let url = url.split('#').next().unwrap_or(url);
    let url = url.strip_suffix("index.html").unwrap_or(url);
    match expect.strip_suffix('*') {
        Some(prefix) => url.starts_with(prefix),
        None => url == expect,
    }
}

/// 1-based rank of the first expected page among the first ten, if any.
fn rank(urls: &[String], q: &Query) -> Option<usize> {
    urls.iter()
        .take(10)
        .position(|u| q.expect.iter().any(|e| matches(u, e)))
        .map(|p| p + 1)
}

#[derive(Default, Clone, Copy)]
struct Score {
    n: usize,
    top3: usize,
    rr: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if rank.is_some_and(|r| r <= 3) {
            self.top3 += 1;
        }
        self.rr += rank.map_or(0.0, |r| 1.0 / r as f64);
    }
    fn success(&self) -> f64 {
        self.top3 as f64 / self.n.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.rr / self.n.max(1) as f64
    }
}

/// Scores per kind, plus "all", "held-out" and "tuning".
fn score(qs: &[Query], ranks: &[Option<usize>]) -> BTreeMap<String, Score> {
    let mut by: BTreeMap<String, Score> = BTreeMap::new();
    for (q, r) in qs.iter().zip(ranks) {
        by.entry(q.kind.clone()).or_default().add(*r);
        by.entry("all".into()).or_default().add(*r);
        let set = if q.held_out { "held-out" } else { "tuning" };
        by.entry(set.into()).or_default().add(*r);
    }
    by
}

fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

struct Report {
    scores: BTreeMap<String, Score>,
    cold_median: u64,
    cold_worst: u64,
    warm_median: u64,
    misses: Vec<String>,
}

async fn run_ours(c: &Client, base: &str, qs: &[Query]) -> Report {
    let mut ranks = Vec::new();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut misses = Vec::new();
    for (k, q) in qs.iter().enumerate() {
        let previous = k
            .checked_sub(1)
            .and_then(|p| qs.get(p))
            .map(|p| p.query.as_str());
        let run = ours(c, base, q, previous).await;
        let r = rank(&run.urls, q);
        if r.is_none_or(|r| r > 3) {
            misses.push(format!(
                "{} [{}{}] → {:?}",
                q.query,
                q.kind,
                if q.held_out { ", held out" } else { "" },
                run.urls.iter().take(3).collect::<Vec<_>>()
            ));
        }
        ranks.push(r);
        cold.push(run.cold);
        warm.extend(run.warm);
    }
    Report {
        scores: score(qs, &ranks),
        cold_worst: cold.iter().copied().max().unwrap_or(0),
        cold_median: median(&mut cold),
        warm_median: median(&mut warm),
        misses,
    }
}

fn print_table(ours: &Report, theirs: Option<&Report>) {
    println!("| kind | queries | ours success@3 | ours MRR | Pagefind success@3 | Pagefind MRR |");
    println!("|---|---|---|---|---|---|");
    for (kind, s) in &ours.scores {
        let t = theirs.and_then(|t| t.scores.get(kind));
        let cell = |v: Option<f64>, pct: bool| match v {
            Some(v) if pct => format!("{:.0} %", v * 100.0),
            Some(v) => format!("{v:.2}"),
            None => "–".into(),
        };
        println!(
            "| {kind} | {} | {} | {:.2} | {} | {} |",
            s.n,
            cell(Some(s.success()), true),
            s.mrr(),
            cell(t.map(Score::success), true),
            cell(t.map(Score::mrr), false)
        );
    }
    println!(
        "\nbytes per query, ours: cold median {:.1} KB, worst {:.1} KB; later query in the same page median {:.1} KB",
        ours.cold_median as f64 / 1024.0,
        ours.cold_worst as f64 / 1024.0,
        ours.warm_median as f64 / 1024.0
    );
    if let Some(t) = theirs {
        println!(
            "bytes per query, Pagefind: cold median {:.1} KB, worst {:.1} KB",
            t.cold_median as f64 / 1024.0,
            t.cold_worst as f64 / 1024.0
        );
    }
    println!("\nours outside the top 3:");
    for m in &ours.misses {
        println!("  {m}");
    }
}

/// The floor CI holds the search to (the issue's targets sit above it).
const FLOOR_ALL: f64 = 0.93;
const FLOOR_HELD_OUT: f64 = 0.88;
const FLOOR_MRR: f64 = 0.85;
const FLOOR_TYPO: f64 = 0.8;
const FLOOR_QUESTION: f64 = 0.8;
const BUDGET_MEDIAN: u64 = 60 * 1024;
const BUDGET_WORST: u64 = 150 * 1024;
const BUDGET_WARM: u64 = 20 * 1024;

/// `qs` through our search page on the shipped site, the table printed; None when there is
/// no browser (outside CI).
async fn ours_on_the_shipped_site(qs: &[Query]) -> Option<Report> {
    let browser = browser::open(1280, 900, false).await?;
    let site = build_shipped();
    let base = serve_static(site.path().to_path_buf(), Ranges::Met).await;
    let report = run_ours(&browser.client, &base, qs).await;
    let _ = browser.client.clone().close().await;
    print_table(&report, None);
    Some(report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relevance_and_bytes_stay_above_the_floor() {
    let qs = queries();
    assert!(qs.len() >= 60, "the benchmark has at least 60 queries");
    let Some(report) = ours_on_the_shipped_site(&qs).await else {
        return;
    };
    let s = |k: &str| report.scores.get(k).copied().unwrap_or_default();
    let problems: Vec<String> = [
        (
            s("all").success() >= FLOOR_ALL,
            format!("success@3 {:.2} < {FLOOR_ALL}", s("all").success()),
        ),
        (
            s("held-out").success() >= FLOOR_HELD_OUT,
            format!(
                "held-out success@3 {:.2} < {FLOOR_HELD_OUT}",
                s("held-out").success()
            ),
        ),
        (
            s("all").mrr() >= FLOOR_MRR,
            format!("MRR {:.2} < {FLOOR_MRR}", s("all").mrr()),
        ),
        (
            s("typo").success() >= FLOOR_TYPO,
            format!("typos {:.2} < {FLOOR_TYPO}", s("typo").success()),
        ),
        (
            s("question").success() >= FLOOR_QUESTION,
            format!(
                "questions {:.2} < {FLOOR_QUESTION}",
                s("question").success()
            ),
        ),
        (
            report.cold_median <= BUDGET_MEDIAN,
            format!("median bytes {} > {BUDGET_MEDIAN}", report.cold_median),
        ),
        (
            report.cold_worst <= BUDGET_WORST,
            format!("worst bytes {} > {BUDGET_WORST}", report.cold_worst),
        ),
        (
            report.warm_median <= BUDGET_WARM,
            format!(
                "later-query median bytes {} > {BUDGET_WARM}",
                report.warm_median
            ),
        ),
    ]
    .into_iter()
    .filter(|(ok, _)| !ok)
    .map(|(_, why)| why)
    .collect();
    assert!(
        problems.is_empty(),
        "search fell below its floor: {problems:#?}"
    );
}

/// `bench/search/fresh-queries.json`: 48 queries a reviewer wrote on 2026-11-30 against the
/// search as tuned on queries.json, to see whether it generalizes (45 of 48 in the top 3 then).
/// Its three misses led to general changes (stemming unheld words in the browser, rarity-weighted
/// coverage, joined words split), so it is no longer held out; it guards them here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewers_fresh_queries_stay_above_the_floor() {
    // The seven reviewers' sets, each written without reading the tuned ones.
    let qs: Vec<Query> = [
        "fresh-queries.json",
        "fresh-queries-2.json",
        "fresh-queries-3.json",
        "fresh-queries-4.json",
        "fresh-queries-5.json",
        "fresh-queries-6.json",
        "fresh-queries-7.json",
    ]
    .into_iter()
    .flat_map(queries_in)
    .collect();
    assert!(qs.len() >= 273, "the fresh sets have their 273 queries");
    let Some(report) = ours_on_the_shipped_site(&qs).await else {
        return;
    };
    let all = report.scores.get("all").copied().unwrap_or_default();
    assert!(
        all.success() >= FLOOR_ALL && all.mrr() >= FLOOR_MRR,
        "the fresh set fell below the floor: success@3 {:.2} (floor {FLOOR_ALL}), MRR {:.2} (floor {FLOOR_MRR}); misses: {:#?}",
        all.success(),
        all.mrr(),
        report.misses
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the npm pagefind binary: run bench/search/run.sh"]
async fn side_by_side_with_pagefind() {
    let qs = queries();
    let bin = std::env::var("PAGEFIND_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("bench/search/node_modules/.bin/pagefind"));
    assert!(
        bin.exists(),
        "no {}: cd bench/search && npm ci",
        bin.display()
    );
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let site = build_shipped();
    let indexed = std::process::Command::new(&bin)
        .arg("--site")
        .arg(site.path())
        .output()
        .expect("run pagefind");
    assert!(
        indexed.status.success(),
        "pagefind failed: {}",
        String::from_utf8_lossy(&indexed.stderr)
    );
    let base = serve_static(site.path().to_path_buf(), Ranges::Met).await;
    let c = &browser.client;
    let ours = run_ours(c, &base, &qs).await;
    let mut ranks = Vec::new();
    let mut cold = Vec::new();
    let mut misses = Vec::new();
    for q in &qs {
        let run = pagefind(c, &base, q).await;
        let r = rank(&run.urls, q);
        if r.is_none_or(|r| r > 3) {
            misses.push(format!(
                "{} → {:?}",
                q.query,
                run.urls.iter().take(3).collect::<Vec<_>>()
            ));
        }
        ranks.push(r);
        cold.push(run.cold);
    }
    let theirs = Report {
        scores: score(&qs, &ranks),
        cold_worst: cold.iter().copied().max().unwrap_or(0),
        cold_median: median(&mut cold),
        warm_median: 0,
        misses,
    };
    let _ = browser.client.clone().close().await;
    print_table(&ours, Some(&theirs));
    println!("\nPagefind outside the top 3:");
    for m in &theirs.misses {
        println!("  {m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the 10k bench corpus: run bench/search/run.sh"]
async fn bytes_on_the_bench_corpus() {
    let root = std::env::var("OPSBOOK_SEARCH_ROOT")
        .map(PathBuf::from)
        .expect(
            "OPSBOOK_SEARCH_ROOT names a site (python3 bench/gen_corpus.py 10000 DIR; DIR/opsbook)",
        );
    let qs = queries_in("corpus-queries.json");
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let site = build_site(root);
    let base = serve_static(site.path().to_path_buf(), Ranges::Met).await;
    let report = run_ours(&browser.client, &base, &qs).await;
    let _ = browser.client.clone().close().await;
    println!(
        "bench corpus, {} queries: cold median {:.1} KB, worst {:.1} KB; later query median {:.1} KB",
        qs.len(),
        report.cold_median as f64 / 1024.0,
        report.cold_worst as f64 / 1024.0,
        report.warm_median as f64 / 1024.0
    );
}

/// What the results list shows for `query` on a fresh search page: each result's link and
/// text (title, section, excerpt), and the HTTP status of every pack of passage blocks fetched.
async fn shown_with_statuses(c: &Client, base: &str, query: &str) -> (Vec<String>, Vec<u64>) {
    c.goto(&format!("{base}/search/?q={}", encode(query)))
        .await
        .expect("open search page");
    let wait = "const s = document.getElementById('search-status').textContent; if (!s) return null;
        const li = [...document.querySelectorAll('#search-results li')];
        return (li.length || s.startsWith('No results'))
            ? li.map(l => l.querySelector('a').getAttribute('href') + ' | ' + l.textContent) : null;";
    let shown = browser::wait_for(c, wait, 20).await;
    let shown: Vec<String> = serde_json::from_value(shown.clone())
        .unwrap_or_else(|_| panic!("the search page answered nothing for {query:?}: {shown}"));
    let statuses = js(
        c,
        r"return performance.getEntriesByType('resource')
            .filter(r => /\/search\/data\/[^/]+\/d\/[0-9]+\.json$/.test(r.name))
            .map(r => r.responseStatus);",
    )
    .await;
    let statuses: Vec<u64> = serde_json::from_value(statuses).unwrap_or_default();
    (shown, statuses)
}

/// Passage blocks are fetched out of their pack with a range request. A host that ignores
/// ranges sends the whole pack; one that fails them (416, or a part the browser cannot decode)
/// gets no more ranges and sends whole packs: the page shows exactly the same results and
/// excerpts either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosts_that_ignore_or_fail_ranges_show_the_same_excerpts() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let site = build_shipped();
    let dir = site.path().to_path_buf();
    let met = serve_static(dir.clone(), Ranges::Met).await;
    let c = &browser.client;
    let qs = queries();
    let mut expected = Vec::new();
    for q in qs.iter().step_by(5) {
        let (shown, statuses) = shown_with_statuses(c, &met, &q.query).await;
        assert!(
            statuses.iter().all(|s| *s == 206),
            "{:?}: blocks are fetched as ranges: {statuses:?}",
            q.query
        );
        expected.push((q, shown, statuses.len()));
    }
    let with_blocks = expected.iter().filter(|(_, _, n)| *n > 0).count();
    assert!(
        with_blocks >= 10,
        "most queries show results from passage blocks: {with_blocks}"
    );
    for mode in [Ranges::Ignored, Ranges::Refused, Ranges::Garbled] {
        let host = serve_static(dir.clone(), mode).await;
        for (q, want, ranged) in &expected {
            let (shown, statuses) = shown_with_statuses(c, &host, &q.query).await;
            assert_eq!(
                &shown,
                want,
                "{:?}: the results differ when the host answers ranges {}",
                q.query,
                mode.name()
            );
            let whole = statuses.iter().filter(|s| **s == 200).count();
            assert!(
                whole <= *ranged && (*ranged == 0 || whole > 0),
                "{:?}, ranges {}: whole packs, each fetched once: {statuses:?}",
                q.query,
                mode.name()
            );
        }
    }
    let _ = browser.client.clone().close().await;
}

impl Ranges {
    fn name(self) -> &'static str {
        match self {
            Ranges::Met => "met",
            Ranges::Ignored => "ignored",
            Ranges::Refused => "refused",
            Ranges::Garbled => "garbled",
        }
    }
}

/// A fetch that failed (a host's passing 503) is forgotten: the same query asked again in the
/// same page fetches it again and shows its results, instead of failing for the page's life.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fetch_is_tried_again_by_the_next_query() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let site = build_shipped();
    let host = serve_static_failing(site.path().to_path_buf(), Ranges::Met, Some("-i.json")).await;
    let c = &browser.client;
    c.goto(&format!("{host}/search/?q=kubeadm"))
        .await
        .expect("open search page");
    let status = "const s = document.getElementById('search-status').textContent;
        return s && (s.startsWith('Search is unavailable') || document.querySelector('#search-results li')) ? s : null;";
    let first = browser::wait_for(c, status, 20).await;
    assert!(
        first.as_str().is_some_and(|s| s.contains("HTTP 503")),
        "the first query meets the failing host: {first}"
    );
    js(
        c,
        "document.getElementById('search-form').requestSubmit(); return true;",
    )
    .await;
    let results = "const li = document.querySelectorAll('#search-results li');
        return li.length ? [...li].map(l => l.querySelector('a').getAttribute('href')) : null;";
    let shown = browser::wait_for(c, results, 20).await;
    let shown: Vec<String> = serde_json::from_value(shown).unwrap_or_default();
    assert!(
        shown.iter().any(|u| u.starts_with("/tools/kubeadm/")),
        "the second try shows the results: {shown:?}"
    );
    let _ = browser.client.clone().close().await;
}

/// After a deploy that changed the index's layout, a cached older script sees a `format` it
/// does not read: it fetches itself afresh and reloads the page once, then says search is
/// unavailable instead of reloading forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_older_than_the_index_reloads_once() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let site = build_shipped();
    let meta_path = site.path().join("search/data/meta.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta.json"))
            .expect("meta.json parses");
    meta["format"] = Value::from(opsbook::emit::search::FORMAT + 1);
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
    let host = serve_static(site.path().to_path_buf(), Ranges::Met).await;
    let c = &browser.client;
    c.goto(&format!("{host}/search/?q=kubeadm"))
        .await
        .expect("open search page");
    let status = "const s = document.getElementById('search-status').textContent;
        return s.startsWith('Search is unavailable') ? [s, performance.getEntriesByType('navigation')[0].type,
            Object.keys(sessionStorage)] : null;";
    // The reload happens once the script is fetched again; wait for the page after it.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let seen = browser::wait_for(c, status, 20).await;
    assert!(
        seen[0].as_str().is_some_and(|s| s.contains("format")),
        "the page says why: {seen}"
    );
    assert_eq!(seen[1], "reload", "the page reloaded itself: {seen}");
    assert!(
        seen[2].as_array().is_some_and(|keys| keys.iter().any(|k| k
            .as_str()
            .is_some_and(|k| k.starts_with("opsbook-search-format-")))),
        "it remembers it tried: {seen}"
    );
    let _ = browser.client.clone().close().await;
}
