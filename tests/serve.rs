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

/// Every rebuild report serve printed until it has been quiet for a second.
fn rebuild_reports(log: &mpsc::Receiver<String>) -> Vec<String> {
    let mut reports = Vec::new();
    while let Ok(line) = log.recv_timeout(Duration::from_secs(1)) {
        if line.starts_with("Rebuilt in ") {
            reports.push(line);
        }
    }
    reports
}

#[test]
fn edits_creations_renames_and_deletions_are_served_and_signalled() {
    let site = fixture();
    let root = site.path();
    let server = common::Server::start_logged(root);
    let log = server.log.as_ref().expect("logged");
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

    // The watcher handed every change to the kept session: none took a full rebuild.
    let reports = rebuild_reports(log);
    assert!(reports.len() >= 4, "a report per change: {reports:?}");
    assert!(
        reports.iter().all(|r| r.contains(", incremental, ")),
        "creates, renames and deletes are applied incrementally: {reports:?}"
    );
}

#[test]
fn a_broken_new_file_shows_the_overlay_and_keeps_the_last_good_site() {
    let site = fixture();
    let root = site.path();
    let server = common::Server::start(root);
    let addr = server.addr.clone();
    let rx = events(&addr);

    let new = root.join("content/tools/etcd.md");
    write(&new, "+++\ntitle = \"etcd\"\nbroken = [\n+++\n");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "errors");
    let diags: serde_json::Value = serde_json::from_str(&data).expect("errors payload is JSON");
    assert_eq!(diags[0]["file"], "content/tools/etcd.md");
    assert_eq!(diags[0]["code"], "syntax");
    let (status, _, body) = get(&addr, "/tools/kubeadm/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        body.contains("content/tools/etcd.md"),
        "pages carry the diagnostics for the overlay"
    );
    assert_eq!(get(&addr, "/tools/etcd/").0, 404);

    // Deleting the broken file clears the overlay.
    std::fs::remove_file(&new).expect("delete");
    assert_eq!(next_event(&rx).0, "reload");
    assert!(get(&addr, "/tools/kubeadm/").2.contains("show([]);"));
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
fn the_serve_table_of_book_toml_sets_the_port_and_a_flag_wins() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("read book.toml");
    write(&book, &format!("{text}\n[serve]\nport = {port}\n"));
    // No --port: book.toml's port is the one tried (and found taken). Were it ignored, the
    // server would start on another port and run: stop it after a minute and fail.
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve ignored `[serve] port = {port}` and kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert!(stderr.contains(&format!("port {port} ")), "{stderr}");
    // --port overrides it: a free port serves.
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("Serving at http://127.0.0.1:"), "{line}");
    assert!(!line.contains(&format!(":{port}/")), "{line}");
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

/// The words drawn in a page's diagrams (their SVG `<text>`, a wrapped label's lines joined),
/// or empty.
fn diagram_labels(body: &str) -> String {
    let doc = Html::parse_document(body);
    let sel = Selector::parse("figure.diagram svg.diagram-svg text").expect("selector");
    doc.select(&sel)
        .flat_map(|e| e.text())
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The diagnostics a served page hands to its error overlay (the `show([...])` call in the
/// reload client's script).
fn overlay_errors(body: &str) -> serde_json::Value {
    let doc = Html::parse_document(body);
    let sel = Selector::parse("script").expect("selector");
    for script in doc.select(&sel) {
        let text = script.text().collect::<String>();
        for (at, _) in text.match_indices("\nshow(") {
            let rest = text.get(at + "\nshow(".len()..).unwrap_or("");
            let mut values =
                serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
            if let Some(Ok(list)) = values.next() {
                return list;
            }
        }
    }
    serde_json::Value::Null
}

/// After an edit: how many diagrams serve's rebuild reports drew ("Rebuilt in N ms (1 changed,
/// D diagrams drawn)"), summed over every rebuild the edit caused.
fn diagrams_drawn(log: &mpsc::Receiver<String>) -> usize {
    let parse = |line: &str| -> Option<usize> {
        let rest = line.strip_prefix("Rebuilt in ")?;
        let inside = rest.split_once('(')?.1;
        let words = inside.split_once(", ")?.1;
        words.split_whitespace().next()?.parse().ok()
    };
    let mut total = None;
    let mut wait = Duration::from_secs(15);
    while let Ok(line) = log.recv_timeout(wait) {
        if let Some(n) = parse(&line) {
            *total.get_or_insert(0) += n;
            // A save can fire a second rebuild; give it a moment to report.
            wait = Duration::from_millis(600);
        }
    }
    total.expect("a \"Rebuilt in\" report within 15 s")
}

/// Serve keeps drawn diagrams between edits: another page's prose edit draws nothing, a diagram
/// edit draws that one diagram and serves it, a broken diagram is a located error in the page's
/// overlay while the last good drawing stays served, and the full rebuild that follows an error
/// takes every diagram from the cache. The counts come from serve's rebuild report.
#[test]
fn diagrams_are_drawn_again_only_when_their_source_changes() {
    let site = common::fixture("serve-diagrams");
    let root = site.path();
    let server = common::Server::start_logged(root);
    let addr = server.addr.clone();
    let log = server.log.as_ref().expect("the server's log");
    let rx = events(&addr);
    assert!(
        diagram_labels(&get(&addr, "/notes/upgrade/").2).contains("Workers in batches"),
        "the first build draws the diagram"
    );

    // Another page's prose: its diagram comes from the cache.
    let failover = root.join("content/notes/failover.md");
    let text = std::fs::read_to_string(&failover).expect("read");
    write(
        &failover,
        &text.replace(
            "What happens when a zone goes away.",
            "Traffic moves to zone B.",
        ),
    );
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(
        diagrams_drawn(log),
        0,
        "an unchanged diagram is not drawn again"
    );
    let body = get(&addr, "/notes/failover/").2;
    let doc = Html::parse_document(&body);
    let paragraphs = Selector::parse("p").expect("selector");
    assert!(
        doc.select(&paragraphs)
            .any(|p| p.text().collect::<String>() == "Traffic moves to zone B."),
        "the edited prose is served"
    );
    assert!(
        diagram_labels(&body).contains("Regional load balancer"),
        "{body}"
    );

    // One page's diagram: that diagram alone is drawn, and the page serves the new drawing.
    let upgrade = root.join("content/notes/upgrade.md");
    let good = std::fs::read_to_string(&upgrade)
        .expect("read")
        .replace("Workers in batches", "Workers five at a time");
    write(&upgrade, &good);
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(diagrams_drawn(log), 1, "only the edited diagram is drawn");
    let labels = diagram_labels(&get(&addr, "/notes/upgrade/").2);
    assert!(labels.contains("Workers five at a time"), "{labels}");
    assert!(!labels.contains("Workers in batches"), "{labels}");

    // A broken diagram: an error at its line in the file, shown over the last good page.
    let broken = good.replace("[Workers five at a time]", "[Workers five at a time");
    let broken_line = broken
        .lines()
        .position(|l| l.contains("[Workers five at a time"))
        .expect("the edited line")
        + 1;
    write(&upgrade, &broken);
    let (name, data) = next_event(&rx);
    assert_eq!(name, "errors");
    let diags: serde_json::Value = serde_json::from_str(&data).expect("errors payload is JSON");
    let error = diags
        .as_array()
        .and_then(|list| list.iter().find(|d| d["code"] == "diagram"))
        .unwrap_or_else(|| panic!("a diagram error: {diags}"));
    assert_eq!(error["file"], "content/notes/upgrade.md");
    assert_eq!(error["line"], broken_line, "{error}");
    let body = get(&addr, "/notes/upgrade/").2;
    assert!(
        diagram_labels(&body).contains("Workers five at a time"),
        "the last good drawing is still served"
    );
    let shown = overlay_errors(&body);
    assert!(
        shown.as_array().is_some_and(|list| list
            .iter()
            .any(|d| d["code"] == "diagram" && d["line"] == broken_line)),
        "the page's overlay shows the diagram error: {shown}"
    );

    // Fixed: a full rebuild (the session restarts after an error), every diagram from the cache.
    write(&upgrade, &good);
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(diagrams_drawn(log), 0, "the cache outlives a full rebuild");
    let body = get(&addr, "/notes/upgrade/").2;
    assert!(diagram_labels(&body).contains("Workers five at a time"));
    assert_eq!(overlay_errors(&body), serde_json::json!([]));
}
