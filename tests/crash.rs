//! Crash-safe output: a build killed with SIGKILL at several points while it writes leaves the
//! previous site exactly as it was; the next build succeeds, produces the new site and removes
//! the temporary folders the killed builds left beside the output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `dir` (relative path → contents).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::snapshot(dir)
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().into_owned(), b))
        .collect()
}

fn write_site(root: &Path, pages: usize, version: &str) {
    std::fs::create_dir_all(root.join("content/notes")).expect("mkdir");
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Crash\"\nbase_url = \"https://crash.example.org/\"\n\n[search]\nenabled = true\n",
    )
    .expect("book.toml");
    for i in 0..pages {
        let mut body = format!("Note {i}, {version}.\n\n");
        for p in 0..6 {
            body.push_str(&format!(
                "Paragraph {p} of note {i} explains how the control plane was drained, upgraded and uncordoned again without losing quorum.\n\n"
            ));
        }
        body.push_str(&format!(
            "```yaml\nkind: Node\nmetadata:\n  name: node-{i}\n```\n"
        ));
        std::fs::write(
            root.join(format!("content/notes/note-{i}.md")),
            format!("+++\ntitle = \"Note {i} ({version})\"\ndate = 2026-01-01\n+++\n{body}"),
        )
        .expect("write note");
    }
}

fn build(root: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["build", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start build")
}

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .expect("read root")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect()
}

#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write_site(root, 1500, "old");
    assert!(build(root).wait().expect("wait").success(), "first build");
    let old = tree(&root.join("public"));
    assert!(
        old.len() > 1500,
        "the old site is complete: {} files",
        old.len()
    );
    // Time a second, warm build of the same site: the first one pays for a cold page cache and
    // is far slower on some machines, so kills timed from it land after the build has finished.
    let start = Instant::now();
    assert!(build(root).wait().expect("wait").success(), "warm build");
    let mut full = start.elapsed();
    assert_eq!(
        tree(&root.join("public")),
        old,
        "a rebuild writes the same site"
    );

    // Change every page, so any file of a half-written new site would differ from the old one.
    write_site(root, 1500, "new");
    // A kill lands before the swap (the old site must be untouched) or after it (the new site
    // is complete): never in between. What each kill left is compared once the new site is known.
    // A build that finishes before its kill tells us builds are faster than timed: the old site
    // is put back and the delays shortened, so the test does not hang on one machine's speed.
    let mut after_kills = Vec::new();
    let mut tenths = vec![1u32, 3, 5, 7, 9];
    let mut attempts = 0;
    while let Some(&tenth) = tenths.first() {
        attempts += 1;
        assert!(
            attempts <= 20,
            "the kills must land while the build runs (warm build took {full:?})"
        );
        let mut child = build(root);
        std::thread::sleep(full * tenth / 10);
        let finished = child.try_wait().expect("try_wait").is_some();
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("wait");
        if finished || status.success() {
            full /= 2;
            write_site(root, 1500, "old");
            assert!(build(root).wait().expect("wait").success(), "rebuild old");
            write_site(root, 1500, "new");
            continue;
        }
        tenths.remove(0);
        after_kills.push((tenth, tree(&root.join("public"))));
    }

    // The next build succeeds, cleans up what the killed ones left, and writes the new site.
    assert!(
        build(root).wait().expect("wait").success(),
        "build after the kills"
    );
    assert_eq!(
        leftovers(root),
        Vec::<String>::new(),
        "no temporary folders remain"
    );
    let new = tree(&root.join("public"));
    assert_eq!(new.len(), old.len());
    let page = String::from_utf8_lossy(&new["notes/note-7/index.html"]).into_owned();
    assert!(page.contains("Note 7 (new)"), "the new site is in place");
    let mut untouched = 0;
    for (tenth, seen) in &after_kills {
        assert!(
            *seen == old || *seen == new,
            "killed at {tenth}/10 of a build: the output is neither the previous site nor the new one"
        );
        untouched += usize::from(*seen == old);
    }
    assert!(
        untouched >= 1,
        "at least one kill hit the build before its swap"
    );
    // Give the kernel a moment to release the killed processes' files before the tempdir drops.
    std::thread::sleep(Duration::from_millis(50));
}
