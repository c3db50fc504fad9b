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

fn start(name: &str) -> (tempfile::TempDir, Options, Option<Session>, Files) {
    let dir = common::fixture(name);
    let options = Options {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let mut session = None;
    let mut files = Files::new();
    apply(&mut session, &mut files, &options, &[]);
    (dir, options, session, files)
}

/// The chart of a survey page: its question headings, parsed from the HTML.
fn chart_questions(files: &Files, path: &str) -> Vec<String> {
    let html = String::from_utf8_lossy(files.get(path).map_or(&[][..], |v| v)).into_owned();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("figure.survey-question figcaption h3").expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn a_survey_pointed_at_another_csv_redraws_its_chart() {
    let (dir, options, mut session, mut files) = start("incremental");
    let survey = "/surveys/2026/index.html";
    let before = chart_questions(&files, survey);
    assert!(
        before.iter().any(|q| q.contains("upgrade")),
        "the 2026 chart is drawn: {before:?}"
    );
    let md = dir.path().join("content/surveys/2026.md");
    std::fs::write(
        &md,
        "+++\ntitle = \"2026 survey\"\nsummary = \"How operators upgrade.\"\ndata = \"2025.csv\"\n+++\nThe numbers are in the CSV file.\n",
    )
    .expect("write");
    let partial = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&md),
    );
    assert!(partial.is_some(), "a field edit is incremental");
    let after = chart_questions(&files, survey);
    assert!(
        after.iter().any(|q| q.contains("CNI")) && !after.iter().any(|q| q.contains("upgrade")),
        "the chart now shows 2025.csv: {after:?}"
    );
    assert_same(&files, &fresh(&options));

    // The CSV itself edited in place.
    let csv = dir.path().join("content/surveys/2025.csv");
    std::fs::write(
        &csv,
        "question,answer,count\nWhich ingress do you run?,NGINX,4\n",
    )
    .expect("write");
    let partial = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&csv),
    );
    assert!(partial.is_some(), "a CSV edit is incremental");
    assert!(
        chart_questions(&files, survey)
            .iter()
            .any(|q| q.contains("ingress"))
    );
    assert_same(&files, &fresh(&options));
}

/// A small deterministic generator (xorshift64*), so a failing sequence can be replayed from
/// its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const STABLE_TOOLS: [&str; 3] = ["cilium", "rook", "velero"];

fn note_text(rng: &mut Rng, n: usize) -> String {
    let tools: Vec<String> = STABLE_TOOLS
        .iter()
        .filter(|_| rng.chance(40))
        .map(|t| format!("\"{t}\""))
        .collect();
    let providers: Vec<String> = ["aws", "gcp", "azure"]
        .iter()
        .filter(|_| rng.chance(40))
        .map(|t| format!("\"{t}\""))
        .collect();
    let body = rng
        .pick(&[
            "Plain text.",
            "Uses [Cilium](../tools/cilium.md#install).",
            "First paragraph.\n\nSecond paragraph, changed later.",
            "## Steps\n\nDid the thing.",
        ])
        .to_string();
    format!(
        "+++\ntitle = \"{}\"\nsummary = \"{}\"\ndate = 2026-0{}-{:02}\ntools = [{}]\nproviders = [{}]\ndraft = {}\n+++\n{body} {n}\n",
        rng.pick(&[
            "Upgrade night",
            "Etcd restore",
            "A quiet week",
            "CNI swap again"
        ]),
        rng.pick(&["It went fine.", "It went badly.", "Lessons learned."]),
        1 + rng.below(9),
        1 + rng.below(28),
        tools.join(", "),
        providers.join(", "),
        rng.chance(10),
    )
}

fn tool_text(rng: &mut Rng, name: &str) -> String {
    format!(
        "+++\ntitle = \"{}\"\nsummary = \"{}\"\ncategory = \"{}\"\n+++\n{}\n",
        rng.pick(&[name, "Zeta", "Alpha"]),
        rng.pick(&["Does one thing.", "Does two things."]),
        rng.pick(&["networking", "storage", "backup"]),
        rng.pick(&["Body.", "## Install\n\nHelm.", "See [Rook](rook.md)."]),
    )
}

/// One random step on the tree at `root`: returns the changed paths and what it did.
fn random_step(
    rng: &mut Rng,
    root: &std::path::Path,
    made: &mut Vec<PathBuf>,
    n: usize,
) -> (Vec<PathBuf>, String) {
    let content = root.join("content");
    let write = |rel: &str, text: &str| {
        let path = content.join(rel);
        std::fs::write(&path, text).expect("write");
        path
    };
    match rng.below(9) {
        0 => {
            let rel = format!("notes/gen-{n}.md");
            let text = note_text(rng, n);
            let path = write(&rel, &text);
            made.push(path.clone());
            (vec![path], format!("create {rel}"))
        }
        1 => {
            let rel = format!("tools/gen-{n}.md");
            let text = tool_text(rng, &format!("Gen {n}"));
            let path = write(&rel, &text);
            made.push(path.clone());
            (vec![path], format!("create {rel}"))
        }
        2 if !made.is_empty() => {
            let path = made.swap_remove(rng.below(made.len()));
            std::fs::remove_file(&path).expect("delete");
            (vec![path.clone()], format!("delete {}", path.display()))
        }
        3 if !made.is_empty() => {
            let k = rng.below(made.len());
            let from = made[k].clone();
            let to = from.with_file_name(format!("renamed-{n}.md"));
            std::fs::rename(&from, &to).expect("rename");
            made[k] = to.clone();
            (vec![from.clone(), to], format!("rename {}", from.display()))
        }
        4 => {
            let rel = rng
                .pick(&["notes/cni-swap.md", "notes/dr-drill.md"])
                .to_string();
            let mut text = note_text(rng, n);
            if rel.ends_with("dr-drill.md") {
                // Velero's body links here; the link stays valid.
                text = text.replace("draft = true", "draft = false");
            }
            (vec![write(&rel, &text)], format!("edit {rel}"))
        }
        5 => {
            let name = *rng.pick(&STABLE_TOOLS);
            let mut text = tool_text(rng, name);
            if name == "cilium" && !text.contains("## Install") {
                text.push_str("\n## Install\n\nStill here.\n");
            }
            let rel = format!("tools/{name}.md");
            (vec![write(&rel, &text)], format!("edit {rel}"))
        }
        6 => {
            let data = rng.pick(&["2025.csv", "2026.csv"]);
            let text = format!(
                "+++\ntitle = \"2026 survey\"\nsummary = \"{}\"\ndata = \"{data}\"\n+++\nNumbers {n}.\n",
                rng.pick(&["How operators upgrade.", "What operators run."])
            );
            (
                vec![write("surveys/2026.md", &text)],
                format!("survey data = {data}"),
            )
        }
        7 => {
            let rel = rng
                .pick(&["surveys/2025.csv", "surveys/2026.csv"])
                .to_string();
            let text = format!(
                "question,answer,count\nHow many clusters?,One,{}\nHow many clusters?,Many,{}\n",
                rng.below(50),
                rng.below(50)
            );
            (vec![write(&rel, &text)], format!("csv {rel}"))
        }
        _ if !made.is_empty() => {
            let path = rng.pick(made).clone();
            let text = if path.to_string_lossy().contains("/notes/") {
                note_text(rng, n)
            } else {
                tool_text(rng, &format!("Gen {n}"))
            };
            std::fs::write(&path, text).expect("write");
            (vec![path.clone()], format!("edit {}", path.display()))
        }
        _ => {
            let text = "+++\ntitle = \"Home\"\n+++\nStart with [Cilium](tools/cilium.md).\n";
            (vec![write("_index.md", text)], "edit home".into())
        }
    }
}

/// Seeded random sequences of creates, renames, deletes, field and body edits and survey CSV
/// changes: after every step, every output file of the incremental session equals a fresh build.
#[test]
fn random_edit_sequences_match_a_fresh_build() {
    let steps = 30;
    let mut incremental = 0;
    for seed in [0x5EED_0001_u64, 0xC0FF_EE00_1234, 0x0BAD_5EED_7777] {
        let (dir, options, mut session, mut files) = start("incremental");
        let mut rng = Rng(seed);
        let mut made = Vec::new();
        for n in 0..steps {
            let (changed, what) = random_step(&mut rng, dir.path(), &mut made, n);
            if apply(&mut session, &mut files, &options, &changed).is_some() {
                incremental += 1;
            }
            let fresh = fresh(&options);
            let a: Vec<&String> = files.keys().filter(|p| searchable(p)).collect();
            let b: Vec<&String> = fresh.keys().filter(|p| searchable(p)).collect();
            assert_eq!(
                a, b,
                "seed {seed:#x}, step {n} ({what}): the same set of files"
            );
            for (path, bytes) in fresh.iter().filter(|(p, _)| searchable(p)) {
                assert!(
                    files.get(path) == Some(bytes),
                    "seed {seed:#x}, step {n} ({what}): {path} differs from a fresh build"
                );
            }
        }
    }
    assert!(
        incremental >= 30,
        "most steps are applied incrementally ({incremental} of {})",
        3 * steps
    );
}
