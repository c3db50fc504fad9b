//! Importers on small slices of real-shaped data (tests/fixtures/import-*): counts, messy input,
//! idempotence, respect for hand edits, no e-mail addresses, and entries that pass `check`.

mod common;

use std::path::Path;

use common::{assert_check_clean, fixture, opsbook, snapshot};
use opsbook::import::{conformance, landscape};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn front(root: &Path, rel: &str) -> toml::Table {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let inner = text.split("+++").nth(1).unwrap_or("");
    inner.parse().unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn landscape_import_counts_messy_items_and_passes_check() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    let report = landscape::import(
        &fixtures().join("import-landscape/landscape.yml"),
        &tools,
        &["Provisioning".into(), "Runtime".into()],
        false,
    )
    .expect("import");
    assert_eq!(
        report.groups,
        [("Provisioning".to_string(), 6), ("Runtime".to_string(), 2)]
    );
    assert_eq!(report.created, 5, "{}", report.summary("landscape", false));
    assert_eq!(
        report.kept.len(),
        1,
        "the hand-written kubeadm entry is frozen"
    );
    let problems: Vec<&str> = report.problems.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        problems,
        [
            "Provisioning / Automation & Configuration / Kubeadm Helper",
            "Provisioning / Automation & Configuration / Homeless Tool"
        ]
    );
    assert!(report.problems[0].1.contains("duplicate"));
    assert!(
        !tools.join("not-imported.md").exists(),
        "other categories are left out"
    );

    let helper = front(root, "content/tools/kubeadm-helper.md");
    assert_eq!(
        helper["homepage"].as_str(),
        Some("https://helper.example.org/"),
        "the first of two duplicates wins"
    );
    assert_eq!(helper["cncf"].as_str(), Some("graduated"));
    assert_eq!(helper["source"].as_str(), Some("landscape"));
    assert_eq!(
        helper["landscape_category"].as_str(),
        Some("Provisioning / Automation & Configuration")
    );
    let nodesc = front(root, "content/tools/no-description-tool.md");
    assert_eq!(
        nodesc["summary"].as_str(),
        Some("No Description Tool, listed in the CNCF landscape under Automation & Configuration.")
    );
    assert!(
        tools.join("itemless-tool.md").exists(),
        "items without an `item:` key are imported"
    );
    assert_eq!(
        front(root, "content/tools/net-mesh.md")["category"].as_str(),
        Some("networking")
    );
    assert_eq!(
        front(root, "content/tools/registry-one.md")["category"].as_str(),
        Some("delivery")
    );
    let kubeadm = std::fs::read_to_string(tools.join("kubeadm.md")).expect("read");
    assert!(
        kubeadm.contains("Written by hand.") && !kubeadm.contains("source"),
        "frozen entry untouched"
    );
    for (_, bytes) in snapshot(&tools) {
        assert!(!String::from_utf8_lossy(&bytes).contains("ops@example.org"));
    }
    assert_check_clean(root);
}

#[test]
fn a_second_run_changes_nothing_and_hand_edits_survive() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("landscape.yml");
    std::fs::copy(fixtures().join("import-landscape/landscape.yml"), &file).expect("copy");

    landscape::import(&file, &tools, &[], false).expect("first");
    let before = snapshot(&tools);
    let again = landscape::import(&file, &tools, &[], false).expect("second");
    assert_eq!(again.changed(), 0);
    assert_eq!(snapshot(&tools), before, "byte-identical");

    // A person improves the body and adds a field; upstream changes the description.
    let path = tools.join("net-mesh.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replace(
        "source = \"landscape\"\n",
        "source = \"landscape\"\nlicense = \"Apache-2.0\"  # checked by hand\n",
    ) + "\n## Notes from operators\n\nWorks well at 500 nodes.\n";
    std::fs::write(&path, &edited).expect("write");
    let upstream = std::fs::read_to_string(&file)
        .expect("read")
        .replace("Connects pods.", "Connects pods, fast.");
    std::fs::write(&file, upstream).expect("write");

    let report = landscape::import(&file, &tools, &[], false).expect("third");
    assert_eq!((report.created, report.updated), (0, 1));
    let after = std::fs::read_to_string(&path).expect("read");
    assert!(
        after.contains("summary = \"Connects pods, fast.\""),
        "{after}"
    );
    assert!(
        after.contains("license = \"Apache-2.0\"  # checked by hand"),
        "a hand-added field and its comment stay: {after}"
    );
    assert!(
        after.ends_with("## Notes from operators\n\nWorks well at 500 nodes.\n"),
        "the body stays"
    );
    // Deleting `source` freezes the entry.
    std::fs::write(&path, after.replace("source = \"landscape\"\n", "")).expect("write");
    let frozen = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .expect("read")
            .replace("Connects pods, fast.", "Changed again."),
    )
    .expect("write");
    landscape::import(&file, &tools, &[], false).expect("fourth");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), frozen);
    assert_check_clean(root);
}

#[test]
fn conformance_import_handles_real_world_mess() {
    let site = fixture("import-site");
    let root = site.path();
    let out = root.join("content/conformance");
    let report =
        conformance::import(&fixtures().join("import-conformance"), &out, false).expect("import");
    assert_eq!(
        report.groups,
        [("v1.29".to_string(), 3), ("v1.30".to_string(), 4)]
    );
    assert_eq!(
        report.created,
        6,
        "{}",
        report.summary("conformance", false)
    );
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].0, "v1.30/broken/PRODUCT.yaml");
    assert!(report.problems[0].1.contains("invalid YAML"));

    let echo = front(root, "content/conformance/echo-1.30.md");
    assert_eq!(
        echo["product_version"].as_str(),
        Some("1.30"),
        "an unquoted 1.30 stays 1.30"
    );
    assert_eq!(echo["kubernetes"].as_str(), Some("1.30"), "from the folder");
    assert_eq!(echo["type"].as_str(), Some("hosted"));
    assert_eq!(
        front(root, "content/conformance/delta-1.30.md")["type"].as_str(),
        Some("distribution"),
        "product.yml spelling, `distro`"
    );
    assert_eq!(
        front(root, "content/conformance/foxtrot-1.30.md")["description"].as_str(),
        Some("Windows line endings."),
        "CRLF"
    );
    let charlie = front(root, "content/conformance/charlie-1.29.md");
    assert_eq!(charlie["type"].as_str(), Some("installer"));
    assert!(
        charlie.get("website").is_none(),
        "an invalid URL is left out"
    );
    assert_eq!(
        front(root, "content/conformance/bravo-1.29.md")["type"].as_str(),
        Some("hosted")
    );
    for (file, bytes) in snapshot(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains('@'),
            "{} carries an e-mail address",
            file.display()
        );
    }
    let again =
        conformance::import(&fixtures().join("import-conformance"), &out, false).expect("again");
    assert_eq!(again.changed(), 0);
    assert_check_clean(root);
}

#[test]
fn dry_run_writes_nothing() {
    let site = fixture("import-site");
    let before = snapshot(site.path());
    let assert = opsbook(site.path())
        .args(["import", "conformance", "--dry-run"])
        .arg(fixtures().join("import-conformance"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("6 would be created"), "{stderr}");
    assert!(stderr.contains("v1.30/broken/PRODUCT.yaml"), "{stderr}");
    assert_eq!(snapshot(site.path()), before);
    opsbook(site.path())
        .args(["import", "landscape", "/nonexistent/landscape.yml"])
        .assert()
        .code(1);
}
