//! Headless Debian Chromium driven through chromedriver (fantoccini), for the browser tests.
//! Without Chromium a test fails when `CI` is set and is skipped, loudly, otherwise.
#![allow(dead_code)] // each browser test file uses a different part

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running browser; dropping it stops chromedriver (call `close` first to end the session).
pub struct Browser {
    pub client: Client,
    _driver: Killed,
    _profile: tempfile::TempDir,
}

pub fn available() -> bool {
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

/// Starts Chromium with a `width`×`height` window; `dark` makes the page see
/// `prefers-color-scheme: dark`. `None` when Chromium is not installed (outside CI).
pub async fn open(width: u32, height: u32, dark: bool) -> Option<Browser> {
    if !available() {
        return None;
    }
    let port = free_port();
    let driver = Killed(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let profile = tempfile::tempdir().expect("profile dir");
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--hide-scrollbars".into(),
        format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    if dark {
        args.push("--blink-settings=preferredColorScheme=0".into());
        args.push("--force-dark-mode".into());
    }
    let mut caps = serde_json::Map::new();
    let mut options = serde_json::json!({ "binary": CHROMIUM, "args": args });
    if width < 500 {
        // Headless Chromium will not make a window narrower than 500 px: emulate the phone's
        // viewport instead (what the page sees as `innerWidth`).
        options["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true }
        });
    }
    caps.insert("goog:chromeOptions".into(), options);
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
    Some(Browser {
        client,
        _driver: driver,
        _profile: profile,
    })
}

/// Runs `script` (a function body returning a value) until it returns something other than
/// `null`/`false`, for up to `secs` seconds; returns the last value.
pub async fn wait_for(client: &Client, script: &str, secs: u64) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let v = client
            .execute(script, vec![])
            .await
            .unwrap_or(serde_json::Value::Null);
        let done = !matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false));
        if done || start.elapsed() > Duration::from_secs(secs) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
