//! Live reload in a real browser: Debian's headless Chromium (through chromedriver and
//! fantoccini) opens a page served by `opsbook serve`; an edit of the entry makes the open page
//! reload by itself and show the new text. Without Chromium the test fails when `CI` is set
//! and is skipped, loudly, otherwise.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_available() -> bool {
    let found = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {CHROMIUM} or {CHROMEDRIVER} is missing: .ci/run must install chromium and chromium-driver"
        );
        eprintln!(
            "SKIPPED: no {CHROMIUM} / {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_page_reloads_after_an_edit() {
    if !browser_available() {
        return;
    }
    let site = common::fixture("serve");
    let server = common::Server::start(site.path());
    let url = server.url();
    let port = free_port();
    let _driver = Killed(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );

    let profile = tempfile::tempdir().expect("profile dir");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let start = Instant::now();
    let client = loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if start.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot reach chromedriver: {e}"),
        }
    };

    client
        .goto(&format!("{url}tools/kubeadm/"))
        .await
        .expect("open page");
    let h1 = client
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert_eq!(h1, "kubeadm");
    // Mark this document: a real reload replaces it, so the mark disappears.
    client
        .execute("window.__opsbookMark = 1; return 1;", vec![])
        .await
        .expect("mark");
    tokio::time::sleep(Duration::from_millis(300)).await;

    std::fs::write(
        site.path().join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm, edited live\"\n+++\nNew text.\n",
    )
    .expect("edit");

    let start = Instant::now();
    let mut seen = String::new();
    while start.elapsed() < Duration::from_secs(15) {
        if let Ok(el) = client.find(Locator::Css("h1")).await
            && let Ok(t) = el.text().await
        {
            seen = t;
            if seen == "kubeadm, edited live" {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        seen, "kubeadm, edited live",
        "the open page reloaded by itself"
    );
    let mark = client
        .execute("return window.__opsbookMark === undefined;", vec![])
        .await
        .expect("check mark");
    assert_eq!(
        mark,
        serde_json::Value::Bool(true),
        "it was a full reload, not a cached view"
    );
    let _ = client.close().await;
}
