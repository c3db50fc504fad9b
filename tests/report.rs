//! `build --report` and `diff`: the manifest lists every output file with its hash and source;
//! comparing the builds of two fixture trees (report-old → report-new: kubeadm edited, beta
//! removed, gamma added) lists exactly the pages added, changed and removed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixture, opsbook};
use serde_json::Value;

fn build_with_report(root: &Path, out: &Path, report: &Path) {
    opsbook(root)
        .arg("build")
        .arg("--out")
        .arg(out)
        .arg("--report")
        .arg(report)
        .assert()
        .success();
}

/// Every file under `dir`: "/path" → blake3 hex.
fn hashes_on_disk(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            let path = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
            let bytes = std::fs::read(e.path()).expect("read");
            (path, blake3::hash(&bytes).to_hex().to_string())
        })
        .collect()
}

#[test]
fn the_manifest_lists_every_output_file_with_its_hash_and_source() {
    let site = fixture("report-new");
    let out = site.path().join("public");
    let report = site.path().join("report.json");
    build_with_report(site.path(), &out, &report);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("JSON");
    assert_eq!(manifest["format"], 1);
    let files = manifest["files"].as_array().expect("files");
    let listed: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["hash"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        hashes_on_disk(&out),
        "every file, with the hash of its bytes"
    );
    let source = |path: &str| {
        files
            .iter()
            .find(|f| f["path"] == path)
            .map(|f| f["source"].clone())
            .unwrap_or_else(|| panic!("{path} not in the manifest"))
    };
    assert_eq!(
        source("/tools/kubeadm/index.html"),
        "content/tools/kubeadm.md"
    );
    assert_eq!(source("/index.html"), "content/_index.md");
    assert_eq!(
        source("/notes/index.html"),
        Value::Null,
        "a list without an intro"
    );
    assert_eq!(
        source("/style.css"),
        "(built-in clusterops theme)/static/style.css"
    );
}

#[test]
fn diff_lists_exactly_the_added_changed_and_removed_pages() {
    let old = fixture("report-old");
    let new = fixture("report-new");
    let reports = tempfile::tempdir().expect("tempdir");
    let (old_report, new_report) = (
        reports.path().join("old.json"),
        reports.path().join("new.json"),
    );
    build_with_report(old.path(), &old.path().join("public"), &old_report);
    build_with_report(new.path(), &new.path().join("public"), &new_report);

    let diff = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("opsbook")
            .expect("binary")
            .arg("diff")
            .arg(&old_report)
            .arg(&new_report)
            .args(["--format", format])
            .output()
            .expect("run diff");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let json: Value = serde_json::from_str(&diff("json")).expect("JSON");
    let pages = |key: &str| -> Vec<(String, Option<String>)> {
        json[key]
            .as_array()
            .expect("list")
            .iter()
            .map(|p| {
                (
                    p["url"].as_str().unwrap_or("").to_string(),
                    p["source"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let s = |u: &str, src: Option<&str>| (u.to_string(), src.map(str::to_string));
    assert_eq!(
        pages("added"),
        [s("/notes/gamma/", Some("content/notes/gamma.md"))]
    );
    // The edited tool, and the two lists whose entries changed (the notes list swaps beta for
    // gamma; the tools list shows kubeadm's new summary). Nothing else: the home page, etcd,
    // alpha and the 404 page are byte for byte the same.
    assert_eq!(
        pages("changed"),
        [
            s("/notes/", None),
            s("/tools/", None),
            s("/tools/kubeadm/", Some("content/tools/kubeadm.md")),
        ]
    );
    assert_eq!(
        pages("removed"),
        [s("/notes/beta/", Some("content/notes/beta.md"))]
    );
    // The two JSON API files and the sitemap.
    assert_eq!(json["other_files"], 3);

    let markdown = diff("markdown");
    assert!(markdown.contains("#### Added (1)"), "{markdown}");
    assert!(
        markdown.contains("| `/notes/gamma/` | `content/notes/gamma.md` |"),
        "{markdown}"
    );
    let human = diff("human");
    assert!(
        human.starts_with("1 page added, 3 changed, 1 removed; 3 other files differ\n"),
        "{human}"
    );

    // The same build twice: nothing differs.
    let same: Value = serde_json::from_str(&{
        let out = assert_cmd::Command::cargo_bin("opsbook")
            .expect("binary")
            .arg("diff")
            .arg(&new_report)
            .arg(&new_report)
            .args(["--format", "json"])
            .output()
            .expect("run diff");
        String::from_utf8(out.stdout).expect("UTF-8")
    })
    .expect("JSON");
    assert_eq!(
        same,
        serde_json::json!({"added": [], "changed": [], "removed": [], "other_files": 0})
    );
}

#[test]
fn diff_refuses_what_is_not_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bogus = dir.path().join("x.json");
    std::fs::write(&bogus, "[]").expect("write");
    let out = assert_cmd::Command::cargo_bin("opsbook")
        .expect("binary")
        .arg("diff")
        .arg(&bogus)
        .arg(&bogus)
        .output()
        .expect("run diff");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a build report"));
}
