//! The in-memory session `serve` uses: after a sequence of edits applied incrementally, every
//! output file must be byte-identical to a fresh full build of the same tree.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use opsbook::output::OutputFile;
use opsbook::pipeline::{self, Options};
use opsbook::session::{Session, Update};

type Files = BTreeMap<String, Vec<u8>>;

fn collect(run: impl FnOnce(&(dyn Fn(OutputFile) + Sync))) -> Files {
    let files = Mutex::new(Vec::new());
    run(&|f: OutputFile| files.lock().expect("lock").push(f));
    files
        .into_inner()
        .expect("lock")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn fresh(options: &Options) -> Files {
    let generated =
        pipeline::generate(options).unwrap_or_else(|e| panic!("fresh build failed: {e:?}"));
    generated
        .output
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

/// Applies one change the way `serve` does; returns how many files an incremental update
/// rendered, or None when it took a full rebuild.
fn apply(
    session: &mut Option<Session>,
    files: &mut Files,
    options: &Options,
    changed: &[PathBuf],
) -> Option<usize> {
    if let Some(s) = session.as_mut() {
        let mut result = None;
        let out = collect(|sink| result = Some(s.update(changed, sink)));
        match result {
            Some(Ok(Update::Partial { rendered, removed })) => {
                for path in &removed {
                    files.remove(path);
                }
                files.extend(out);
                return Some(rendered);
            }
            Some(Ok(Update::NeedsFull)) => {}
            other => panic!("update failed: {other:?}"),
        }
    }
    let mut started = None;
    *files = collect(|sink| started = Some(Session::start(options, sink)));
    let (s, _, _) = started
        .expect("ran")
        .unwrap_or_else(|e| panic!("full build failed: {e:?}"));
    *session = Some(s);
    None
}

/// The search index is built once when serving starts and kept through edits (by design: it
/// is rebuilt by `build`), so its files are left out of the comparison.
fn searchable(path: &str) -> bool {
    !path.starts_with("/search/data/")
}

fn assert_same(incremental: &Files, fresh: &Files) {
    let a: Vec<&String> = incremental.keys().filter(|p| searchable(p)).collect();
    let b: Vec<&String> = fresh.keys().filter(|p| searchable(p)).collect();
    assert_eq!(a, b, "the same set of files");
    for (path, bytes) in fresh.iter().filter(|(p, _)| searchable(p)) {
        assert!(
            incremental.get(path) == Some(bytes),
            "{path} differs from a fresh build:\n--- incremental\n{}\n--- fresh\n{}",
            String::from_utf8_lossy(incremental.get(path).map_or(&[][..], |v| v)),
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn incremental_edits_match_a_fresh_build() {
    let dir = common::fixture("incremental");
    let root = dir.path().to_path_buf();
    let options = Options {
        root: root.clone(),
        ..Default::default()
    };
    let mut session = None;
    let mut files = Files::new();
    apply(&mut session, &mut files, &options, &[]);
    assert_same(&files, &fresh(&options));

    let edit = |rel: &str, text: &str| {
        let path = root.join("content").join(rel);
        std::fs::write(&path, text).expect("write");
        path
    };
    let steps: Vec<(&str, &str, bool)> = vec![
        // Title change: shows on backlinks of the tools it refers to, on lists and in feeds.
        (
            "notes/dr-drill.md",
            "+++\ntitle = \"DR drill, second run\"\nsummary = \"Restored two namespaces.\"\ndate = 2026-02-01\ntools = [\"velero\"]\nproviders = [\"aws\"]\n+++\nUsed [Velero](../tools/velero.md) and [Cilium](../tools/cilium.md#install).\n",
            true,
        ),
        // A ref moves from one tool to another: both tools' backlinks change.
        (
            "notes/dr-drill.md",
            "+++\ntitle = \"DR drill, second run\"\nsummary = \"Restored two namespaces.\"\ndate = 2026-02-01\ntools = [\"rook\"]\nproviders = [\"aws\"]\n+++\nUsed [Velero](../tools/velero.md).\n",
            true,
        ),
        // An index value changes on a tool (both value pages exist before and after).
        (
            "tools/rook.md",
            "+++\ntitle = \"Rook\"\nsummary = \"Ceph on Kubernetes.\"\ncategory = \"backup\"\n+++\nStorage.\n",
            true,
        ),
        // A body-only edit of a heavily linked page.
        (
            "tools/cilium.md",
            "+++\ntitle = \"Cilium\"\nsummary = \"eBPF networking and policy.\"\ncategory = \"networking\"\n+++\n## Install\n\nHelm chart, then `cilium status`.\n",
            true,
        ),
    ];
    for (rel, text, incremental) in &steps {
        let path = edit(rel, text);
        let partial = apply(&mut session, &mut files, &options, &[path]);
        assert_eq!(
            partial.is_some(),
            *incremental,
            "{rel}: incremental as expected"
        );
        assert_same(&files, &fresh(&options));
    }
    // An edit below the first paragraph changes nothing any other page shows: only this page
    // is rendered again, and the result still matches a fresh build.
    let path = edit(
        "notes/cni-swap.md",
        "+++\ntitle = \"CNI swap\"\nsummary = \"Moved to Cilium.\"\ndate = 2026-03-01\ntools = [\"cilium\"]\nproviders = [\"gcp\"]\n+++\nIt went fine.\n\nA second paragraph with **details** added later.\n",
    );
    let rendered = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&path),
    )
    .unwrap_or(0);
    assert_eq!(rendered, 1, "a body-only edit renders just its page");
    assert_same(&files, &fresh(&options));

    // A field that lists and backlinks show changes, nothing the graph is built from: the
    // graph is kept, and of the paginated tools list only the page holding the entry is
    // rendered again — still identical to a fresh build.
    let path = edit(
        "tools/velero.md",
        "+++\ntitle = \"Velero\"\nsummary = \"Backups and restores.\"\ncategory = \"backup\"\n+++\nSee [the drill](../notes/dr-drill.md).\n",
    );
    let rendered = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&path),
    )
    .unwrap_or(0);
    let lists = files
        .keys()
        .filter(|p| p.starts_with("/tools/page/") || p.as_str() == "/tools/index.html")
        .count();
    assert!(lists >= 3, "the tools list is paginated ({lists} pages)");
    assert!(
        rendered > 0 && rendered < files.len() / 2,
        "a partial update ({rendered} of {} files)",
        files.len()
    );
    assert_same(&files, &fresh(&options));

    // The body-only edit must have been incremental (the common case while writing).
    let path = edit(
        "tools/cilium.md",
        "+++\ntitle = \"Cilium\"\nsummary = \"eBPF networking and policy.\"\ncategory = \"networking\"\n+++\n## Install\n\nHelm chart, then `cilium status --wait`.\n",
    );
    assert!(
        apply(&mut session, &mut files, &options, &[path]).is_some(),
        "a body edit is applied incrementally"
    );
    assert_same(&files, &fresh(&options));

    // A new file and a deletion go through a full rebuild and still match.
    let path = edit(
        "tools/etcd.md",
        "+++\ntitle = \"etcd\"\nsummary = \"Key-value store.\"\ncategory = \"storage\"\n+++\nConsensus.\n",
    );
    apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&path),
    );
    assert_same(&files, &fresh(&options));
    std::fs::remove_file(&path).expect("delete");
    apply(&mut session, &mut files, &options, &[path]);
    assert_same(&files, &fresh(&options));
}
