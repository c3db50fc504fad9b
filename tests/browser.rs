//! Live reload in a real browser: Debian's headless Chromium (through chromedriver and
//! fantoccini) opens a page served by `opsbook serve`; an edit of the entry makes the open page
//! reload by itself and show the new text. Without Chromium the test fails when `CI` is set
//! and is skipped, loudly, otherwise.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::time::{Duration, Instant};

use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_page_reloads_after_an_edit() {
    let Some(browser) = browser::open(1024, 768, false).await else {
        return;
    };
    let client = &browser.client;
    let site = common::fixture("serve");
    let server = common::Server::start(site.path());
    let url = server.url();

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
    let _ = browser.client.clone().close().await;
}
