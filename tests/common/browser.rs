//! A headless Chromium-family browser driven through chromedriver (fantoccini), for the browser
//! tests. The browser and driver come from `OPSBOOK_BROWSER` / `OPSBOOK_WEBDRIVER` (a path or a
//! command name) or the usual places: Debian's `chromium` and `chromedriver`, Google Chrome
//! (preinstalled on GitHub's Ubuntu runners, whose driver `CHROMEWEBDRIVER` names).
//! Without one a test fails when `CI` is set and is skipped, loudly, otherwise.
#![allow(dead_code)] // each browser test file uses a different part

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// Where a browser is looked for when `OPSBOOK_BROWSER` is not set, in order.
const BROWSERS: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/// Where chromedriver is looked for when `OPSBOOK_WEBDRIVER` is not set (after
/// `$CHROMEWEBDRIVER/chromedriver`), in order.
const DRIVERS: &[&str] = &[
    "/usr/bin/chromedriver",
    "/usr/local/bin/chromedriver",
    "/opt/homebrew/bin/chromedriver",
];

/// `name` as a path if it is one, else looked up on `PATH`.
fn resolve(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The browser binary: `OPSBOOK_BROWSER`, else the first of [`BROWSERS`] that exists.
pub fn browser_path() -> Option<PathBuf> {
    match std::env::var("OPSBOOK_BROWSER") {
        Ok(name) => resolve(&name),
        Err(_) => BROWSERS.iter().map(PathBuf::from).find(|p| p.is_file()),
    }
}

/// The chromedriver binary: `OPSBOOK_WEBDRIVER`, else `$CHROMEWEBDRIVER/chromedriver`, else
/// the first of [`DRIVERS`] that exists.
pub fn driver_path() -> Option<PathBuf> {
    if let Ok(name) = std::env::var("OPSBOOK_WEBDRIVER") {
        return resolve(&name);
    }
    std::env::var_os("CHROMEWEBDRIVER")
        .map(|dir| PathBuf::from(dir).join("chromedriver"))
        .into_iter()
        .chain(DRIVERS.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

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

/// The browser and its driver, if both are found.
pub fn find() -> Option<(PathBuf, PathBuf)> {
    let found = browser_path().zip(driver_path());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no Chromium-family browser and chromedriver were found (browser: {:?}, driver: {:?}): .ci/run must install chromium and chromium-driver, or set OPSBOOK_BROWSER and OPSBOOK_WEBDRIVER",
            browser_path(),
            driver_path()
        );
        eprintln!(
            "SKIPPED: no Chromium-family browser and chromedriver (apt-get install chromium chromium-driver, or set OPSBOOK_BROWSER and OPSBOOK_WEBDRIVER)"
        );
    }
    found
}

pub fn available() -> bool {
    find().is_some()
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
    let (browser, driver) = find()?;
    let port = free_port();
    let driver = Killed(
        Command::new(driver)
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
    let mut options = serde_json::json!({ "binary": browser, "args": args });
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
    // Generous limits for a script (axe-core on a long page) and a page load: a busy machine
    // slows them several times, and WebDriver's 30 s script default then fails the test.
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(180)),
            Some(Duration::from_secs(180)),
            None,
        ))
        .await
        .expect("set the WebDriver timeouts");
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
