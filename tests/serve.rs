//! `opsbook serve` end to end: starts the binary on an ephemeral port over a copy of a fixture
//! site, edits, creates and deletes entries, and checks the served HTML and the reload events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

mod common;

/// A minimal HTTP/1.1 GET: (status, headers, body).
fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

/// Subscribes to the reload events; each received `event: NAME` + data arrives on the channel.
fn events(addr: &str) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).expect("connect events");
    write!(
        s,
        "GET /__opsbook/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        let mut name = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((name.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    // Let the subscription register before the test edits anything.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn next_event(rx: &mpsc::Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(Duration::from_secs(15))
        .expect("an event within 15 s")
}

fn h1(body: &str) -> String {
    let doc = Html::parse_document(body);
    let sel = Selector::parse("h1").expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
}

fn list_titles(body: &str) -> Vec<String> {
    let doc = Html::parse_document(body);
    let sel = Selector::parse(".cards .card h2 a").expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn fixture() -> tempfile::TempDir {
    common::fixture("serve")
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

fn wait_until(mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn edits_creations_renames_and_deletions_are_served_and_signalled() {
    let site = fixture();
    let root = site.path();
    let server = common::Server::start(root);
    let addr = server.addr.clone();

    let (status, headers, body) = get(&addr, "/tools/kubeadm/");
    assert_eq!(status, 200);
    assert!(headers.contains("cache-control: no-store"), "{headers}");
    assert!(headers.contains("content-type: text/html"), "{headers}");
    assert_eq!(h1(&body), "kubeadm");
    assert!(
        body.contains("/__opsbook/events"),
        "serve injects the reload client"
    );

    let rx = events(&addr);

    // Edit.
    write(
        &root.join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm (edited)\"\n+++\nNew text.\n",
    );
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(h1(&get(&addr, "/tools/kubeadm/").2), "kubeadm (edited)");

    // Create.
    write(
        &root.join("content/tools/etcd.md"),
        "+++\ntitle = \"etcd\"\n+++\nKey-value store.\n",
    );
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(get(&addr, "/tools/etcd/").0, 200);
    assert!(list_titles(&get(&addr, "/tools/").2).contains(&"etcd".to_string()));

    // Rename.
    std::fs::rename(
        root.join("content/tools/etcd.md"),
        root.join("content/tools/etcd-v3.md"),
    )
    .expect("rename");
    assert!(
        wait_until(|| get(&addr, "/tools/etcd-v3/").0 == 200),
        "renamed page appears"
    );
    assert_eq!(get(&addr, "/tools/etcd/").0, 404, "the old URL is gone");

    // Delete: gone from its page and from the list.
    std::fs::remove_file(root.join("content/tools/etcd-v3.md")).expect("delete");
    assert!(
        wait_until(|| get(&addr, "/tools/etcd-v3/").0 == 404),
        "deleted page disappears"
    );
    let (status, _, body) = get(&addr, "/tools/etcd-v3/");
    assert_eq!(status, 404);
    assert_eq!(
        h1(&body),
        "Page not found",
        "unknown paths get the site's 404 page"
    );
    assert!(
        !list_titles(&get(&addr, "/tools/").2)
            .iter()
            .any(|t| t.starts_with("etcd"))
    );
}

#[test]
fn a_broken_edit_shows_the_overlay_and_keeps_the_last_good_site() {
    let site = fixture();
    let root = site.path();
    let server = common::Server::start(root);
    let addr = server.addr.clone();
    let rx = events(&addr);

    write(
        &root.join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm\"\nbroken = [\n+++\n",
    );
    let (name, data) = next_event(&rx);
    assert_eq!(name, "errors");
    let diags: serde_json::Value = serde_json::from_str(&data).expect("errors payload is JSON");
    let first = &diags[0];
    assert_eq!(first["file"], "content/tools/kubeadm.md");
    assert_eq!(first["code"], "syntax");
    assert!(first["line"].as_u64().unwrap_or(0) >= 3);

    // The last good page is still served, with the errors embedded for the overlay.
    let (status, _, body) = get(&addr, "/tools/kubeadm/");
    assert_eq!(status, 200);
    assert_eq!(h1(&body), "kubeadm");
    assert!(
        body.contains("content/tools/kubeadm.md"),
        "the page carries the diagnostics for the overlay"
    );

    // Fixing it clears the overlay: a reload event and no embedded errors.
    write(
        &root.join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm fixed\"\n+++\nOk.\n",
    );
    assert_eq!(next_event(&rx).0, "reload");
    let body = get(&addr, "/tools/kubeadm/").2;
    assert_eq!(h1(&body), "kubeadm fixed");
    assert!(body.contains("show([]);"), "no errors left for the overlay");
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = fixture();
    let server = common::Server::start(site.path());
    let addr = server.addr.clone();
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/tools/%2e%2e/%2e%2e/book.toml",
        "/..%2fbook.toml",
        "/..%5cbook.toml",
        "/%252e%252e/book.toml",
        "/tools/..\\..\\book.toml",
        "//etc/passwd",
    ] {
        let (status, _, body) = get(&addr, path);
        assert!(status == 400 || status == 404, "{path} → {status}");
        assert!(!body.contains("[book]"), "{path} leaked book.toml");
    }
    let (status, headers, _) = get(&addr, "/style.css");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/css"), "{headers}");
}

#[test]
fn a_port_in_use_is_a_clear_setup_error() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn a_css_change_swaps_stylesheets_without_a_reload() {
    let site = fixture();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).expect("mkdir");
    std::fs::write(root.join("static/site.css"), "body { color: black; }\n").expect("write");
    let server = common::Server::start(root);
    let rx = events(&server.addr);
    std::fs::write(root.join("static/site.css"), "body { color: navy; }\n").expect("write");
    assert_eq!(next_event(&rx).0, "css");
    let (status, headers, body) = get(&server.addr, "/site.css");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/css"), "{headers}");
    assert_eq!(body, "body { color: navy; }\n");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_served() {
    let site = fixture();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).expect("mkdir");
    let secret = tempfile::NamedTempFile::new().expect("tempfile");
    std::fs::write(secret.path(), "secret outside the site\n").expect("write");
    std::os::unix::fs::symlink(secret.path(), root.join("static/leak.txt")).expect("symlink");
    let server = common::Server::start(root);
    let (status, _, body) = get(&server.addr, "/leak.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("secret outside the site"));
}

/// `--root` given relative to the current folder: the watcher reports absolute paths, which
/// must still be recognised as the site's (they were not, and edits went unnoticed).
#[test]
fn a_relative_root_still_reloads_on_edits() {
    let site = fixture();
    let parent = site.path().parent().expect("parent");
    let name = site.path().file_name().expect("name");
    let server = common::Server::start_in(Some(parent), Path::new(name));
    let addr = server.addr.clone();
    let rx = events(&addr);
    write(
        &site.path().join("content/tools/kubeadm.md"),
        "+++\ntitle = \"kubeadm, relative\"\n+++\nx\n",
    );
    let event = rx.recv_timeout(Duration::from_secs(15));
    drop(server);
    assert_eq!(event.map(|e| e.0).ok().as_deref(), Some("reload"));
}
