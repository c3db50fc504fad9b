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

/// What an incremental update did.
#[derive(Debug, Clone, Copy)]
struct Applied {
    /// Files rendered again.
    rendered: usize,
    /// The site graph and plan were kept and updated in place, not built again.
    graph_kept: bool,
}

/// Applies one change the way `serve` does; returns what an incremental update did, or None
/// when it took a full rebuild.
fn apply(
    session: &mut Option<Session>,
    files: &mut Files,
    options: &Options,
    changed: &[PathBuf],
) -> Option<Applied> {
    if let Some(s) = session.as_mut() {
        let mut result = None;
        let out = collect(|sink| result = Some(s.update(changed, sink)));
        match result {
            Some(Ok(Update::Partial {
                rendered,
                removed,
                graph_kept,
                ..
            })) => {
                for path in &removed {
                    files.remove(path);
                }
                files.extend(out);
                return Some(Applied {
                    rendered,
                    graph_kept,
                });
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
    let applied = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&path),
    );
    assert_eq!(
        applied.map(|a| (a.rendered, a.graph_kept)),
        Some((1, true)),
        "a body-only edit keeps the graph and renders just its page"
    );
    assert_same(&files, &fresh(&options));

    // A field that lists and backlinks show changes, nothing the graph is built from: the
    // graph is kept, and of the paginated tools list only the page holding the entry is
    // rendered again — still identical to a fresh build.
    let path = edit(
        "tools/velero.md",
        "+++\ntitle = \"Velero\"\nsummary = \"Backups and restores.\"\ncategory = \"backup\"\n+++\nSee [the drill](../notes/dr-drill.md).\n",
    );
    let applied = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&path),
    );
    assert!(
        applied.is_some_and(|a| a.graph_kept),
        "a summary edit keeps the graph"
    );
    let rendered = applied.map_or(0, |a| a.rendered);
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

    // A new file and a deletion are applied incrementally too, and still match.
    let path = edit(
        "tools/etcd.md",
        "+++\ntitle = \"etcd\"\nsummary = \"Key-value store.\"\ncategory = \"storage\"\n+++\nConsensus.\n",
    );
    assert!(
        apply(
            &mut session,
            &mut files,
            &options,
            std::slice::from_ref(&path),
        )
        .is_some(),
        "a new file is applied incrementally"
    );
    assert!(files.contains_key("/tools/etcd/index.html"));
    assert_same(&files, &fresh(&options));
    std::fs::remove_file(&path).expect("delete");
    assert!(
        apply(&mut session, &mut files, &options, &[path]).is_some(),
        "a deletion is applied incrementally"
    );
    assert!(!files.contains_key("/tools/etcd/index.html"));
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

/// A new file with an error fails the update with its diagnostic (serve shows it in the overlay
/// and keeps the last good site); so does deleting a page another page links to.
#[test]
fn a_broken_create_or_delete_fails_with_its_diagnostics() {
    let (dir, _options, mut session, _files) = start("incremental");
    let session = session.as_mut().expect("started");
    let broken = dir.path().join("content/tools/etcd.md");
    std::fs::write(&broken, "+++\ntitle = \"etcd\"\ncategory = [\n+++\n").expect("write");
    let mut result = None;
    collect(|sink| result = Some(session.update(std::slice::from_ref(&broken), sink)));
    match result {
        Some(Err(pipeline::Failure::Invalid(diags))) => assert!(
            diags
                .iter()
                .any(|d| d.file == "content/tools/etcd.md" && d.code == "syntax"),
            "{diags:?}"
        ),
        other => panic!("expected the syntax error, got {other:?}"),
    }

    let (dir, _options, mut session, _files) = start("incremental");
    let session = session.as_mut().expect("started");
    // tools/velero.md links to this note.
    let linked = dir.path().join("content/notes/dr-drill.md");
    std::fs::remove_file(&linked).expect("delete");
    let mut result = None;
    collect(|sink| result = Some(session.update(std::slice::from_ref(&linked), sink)));
    match result {
        Some(Err(pipeline::Failure::Invalid(diags))) => assert!(
            diags
                .iter()
                .any(|d| d.file == "content/tools/velero.md" && d.code == "broken-link"),
            "{diags:?}"
        ),
        other => panic!("expected the broken link, got {other:?}"),
    }
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

/// The titles the architectures list marks as needing review (stale).
fn marked_stale(files: &Files) -> Vec<String> {
    let html = String::from_utf8_lossy(files.get("/architectures/index.html").expect("list"));
    let doc = scraper::Html::parse_document(&html);
    let card = scraper::Selector::parse("li.card").expect("selector");
    let badge = scraper::Selector::parse(".badge-stale").expect("selector");
    let link = scraper::Selector::parse("h2 a").expect("selector");
    doc.select(&card)
        .filter(|c| c.select(&badge).next().is_some())
        .filter_map(|c| c.select(&link).next())
        .map(|a| a.text().collect::<String>())
        .collect()
}

/// An entry with a `stale` warning keeps the graph through body edits and through edits of
/// the field its freshness is read from: its warning is made again from the page alone, and
/// lists mark it as needing review exactly when a fresh build does.
#[test]
fn a_stale_entry_keeps_the_graph_and_its_freshness_follows_its_field() {
    let (dir, options, mut session, mut files) = start("incremental-stale");
    assert_eq!(marked_stale(&files), ["Old HA"]);
    let path = dir.path().join("content/architectures/old-ha.md");
    let page = |versions: &str, body: &str| {
        format!(
            "+++\ntitle = \"Old HA\"\nsummary = \"Three control-plane nodes, last tested long ago.\"\nkubernetes = [{versions}]\n+++\n{body}\n"
        )
    };
    let steps = [
        ("\"1.28\"", "Tested on 1.28 only.\n\nA new paragraph.", true),
        (
            "\"1.28\", \"1.33\"",
            "Now tested on the current release too.",
            false,
        ),
        ("\"1.20\"", "Rolled back.", true),
    ];
    for (versions, body, stale) in steps {
        std::fs::write(&path, page(versions, body)).expect("write");
        let applied = apply(
            &mut session,
            &mut files,
            &options,
            std::slice::from_ref(&path),
        );
        assert!(
            applied.is_some_and(|a| a.graph_kept),
            "kubernetes = [{versions}]: the graph is kept"
        );
        assert_same(&files, &fresh(&options));
        assert_eq!(
            marked_stale(&files).contains(&"Old HA".to_string()),
            stale,
            "kubernetes = [{versions}]"
        );
    }
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
    // Each step's number is new, so an alias never collides with another page's.
    let aliases = if rng.chance(25) {
        format!("aliases = [\"/old/{n}/\"]\n")
    } else {
        String::new()
    };
    format!(
        "+++\ntitle = \"{}\"\nsummary = \"{}\"\ndate = 2026-0{}-{:02}\ntools = [{}]\nproviders = [{}]\ndraft = {}\n{aliases}+++\n{body} {n}\n",
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

/// What the random steps made, so later steps can rename, edit or delete it.
#[derive(Default)]
struct Made {
    /// Markdown files created (renamed ones under their new name).
    files: Vec<PathBuf>,
    /// Folders of notes moved in whole.
    folders: Vec<PathBuf>,
    /// Data files added beside the survey.
    csvs: Vec<String>,
    /// The data file the survey shows.
    survey_data: String,
}

/// One random step on the tree at `root`: returns the changed paths (as the watcher reports
/// them) and what it did.
fn random_step(
    rng: &mut Rng,
    root: &std::path::Path,
    made: &mut Made,
    n: usize,
) -> (Vec<PathBuf>, String) {
    let content = root.join("content");
    let write = |rel: &str, text: &str| {
        let path = content.join(rel);
        std::fs::write(&path, text).expect("write");
        path
    };
    match rng.below(13) {
        0 => {
            let rel = format!("notes/gen-{n}.md");
            let text = note_text(rng, n);
            let path = write(&rel, &text);
            made.files.push(path.clone());
            (vec![path], format!("create {rel}"))
        }
        1 => {
            let rel = format!("tools/gen-{n}.md");
            let text = tool_text(rng, &format!("Gen {n}"));
            let path = write(&rel, &text);
            made.files.push(path.clone());
            (vec![path], format!("create {rel}"))
        }
        2 if !made.files.is_empty() => {
            let path = made.files.swap_remove(rng.below(made.files.len()));
            std::fs::remove_file(&path).expect("delete");
            (vec![path.clone()], format!("delete {}", path.display()))
        }
        3 if !made.files.is_empty() => {
            let k = rng.below(made.files.len());
            let from = made.files[k].clone();
            // Into another place in load order: a name that sorts first, or one that sorts last.
            let name = if rng.chance(50) {
                "a-renamed"
            } else {
                "zz-renamed"
            };
            let to = from.with_file_name(format!("{name}-{n}.md"));
            std::fs::rename(&from, &to).expect("rename");
            made.files[k] = to.clone();
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
            let mut choices = vec!["2025.csv".to_string(), "2026.csv".to_string()];
            choices.extend(made.csvs.iter().cloned());
            let data = rng.pick(&choices).clone();
            let text = format!(
                "+++\ntitle = \"2026 survey\"\nsummary = \"{}\"\ndata = \"{data}\"\n+++\nNumbers {n}.\n",
                rng.pick(&["How operators upgrade.", "What operators run."])
            );
            made.survey_data = data.clone();
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
        8 => {
            // A folder of notes moved in whole: the watcher names only the folder.
            let rel = format!("notes/batch-{n}");
            let dir = content.join(&rel);
            std::fs::create_dir_all(&dir).expect("folder");
            for k in 0..2 {
                let text = note_text(rng, n * 10 + k).replace("](../", "](../../");
                std::fs::write(dir.join(format!("part-{k}.md")), text).expect("write");
            }
            made.folders.push(dir.clone());
            (vec![dir], format!("folder {rel}"))
        }
        9 if !made.folders.is_empty() => {
            let dir = made.folders.swap_remove(rng.below(made.folders.len()));
            std::fs::remove_dir_all(&dir).expect("delete folder");
            made.files.retain(|f| !f.starts_with(&dir));
            (vec![dir.clone()], format!("drop-folder {}", dir.display()))
        }
        10 => {
            let name = format!("gen-{n}.csv");
            let text = format!(
                "question,answer,count\nWhich CNI?,Cilium,{}\n",
                1 + rng.below(9)
            );
            let path = write(&format!("surveys/{name}"), &text);
            made.csvs.push(name.clone());
            (vec![path], format!("add surveys/{name}"))
        }
        11 if made.csvs.iter().any(|c| *c != made.survey_data) => {
            let unused: Vec<String> = made
                .csvs
                .iter()
                .filter(|c| **c != made.survey_data)
                .cloned()
                .collect();
            let name = rng.pick(&unused).clone();
            made.csvs.retain(|c| *c != name);
            let path = content.join("surveys").join(&name);
            std::fs::remove_file(&path).expect("delete");
            (vec![path], format!("remove-csv surveys/{name}"))
        }
        _ if !made.files.is_empty() => {
            let path = rng.pick(&made.files).clone();
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

/// Sets front-matter key `key` of a `+++` page to `value` (a TOML value), or removes it
/// (`None`); a key not there yet is added at the end of the front matter.
fn set_field(text: &str, key: &str, value: Option<&str>) -> String {
    let prefix = format!("{key} = ");
    let mut out = Vec::new();
    let mut fences = 0;
    let mut done = false;
    for line in text.lines() {
        if line == "+++" {
            fences += 1;
            if fences == 2 && !done {
                out.extend(value.map(|v| format!("{prefix}{v}")));
                done = true;
            }
            out.push(line.to_string());
        } else if fences == 1 && line.starts_with(&prefix) {
            out.extend(value.map(|v| format!("{prefix}{v}")));
            done = true;
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

/// The strings of a front-matter list line such as `tools = ["a", "b"]`.
fn list_field(text: &str, key: &str) -> Vec<String> {
    let prefix = format!("{key} = [");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|rest| {
            rest.trim_end_matches(']')
                .split(',')
                .map(|v| v.trim().trim_matches('"').to_string())
                .filter(|v| !v.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `items` with `item` added, or taken out when it is there, as a TOML list.
fn toggled(mut items: Vec<String>, item: &str) -> String {
    match items.iter().position(|i| i == item) {
        Some(k) => {
            items.remove(k);
        }
        None => items.push(item.to_string()),
    }
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// One small edit of an existing note or tool, of one kind: a change of the body or of the
/// summary, which leaves the site graph as it was (the update must keep it: `true`), or a
/// change of one thing the graph is built from — title, date, refs, taxonomy terms, an indexed
/// field, draft, aliases, body links, headings — after which it must be built again (`false`).
/// Returns the changed path, what it did, and whether the graph must be kept.
fn tweak(rng: &mut Rng, root: &std::path::Path, made: &Made, n: usize) -> (PathBuf, String, bool) {
    let content = root.join("content");
    let mut pages: Vec<PathBuf> = ["notes/cni-swap.md", "notes/dr-drill.md"]
        .iter()
        .map(|r| content.join(r))
        .chain(
            STABLE_TOOLS
                .iter()
                .map(|t| content.join(format!("tools/{t}.md"))),
        )
        .collect();
    pages.extend(made.files.iter().cloned());
    let path = rng.pick(&pages).clone();
    let text = std::fs::read_to_string(&path).expect("read");
    let note = path.parent().is_some_and(|d| d.ends_with("notes"));
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title = "))
        .unwrap_or("\"Untitled\"")
        .trim_matches('"')
        .to_string();
    let mut kinds = vec![
        "body", "summary", "body", "summary", "title", "alias", "link", "heading",
    ];
    if note {
        kinds.extend(["date", "tools", "providers"]);
        // Velero's body links to the drill, and a link to a draft is an error.
        if !path.ends_with("dr-drill.md") {
            kinds.push("draft");
        }
    } else {
        kinds.push("category");
    }
    let kind = *rng.pick(&kinds);
    let (text, kept) = match kind {
        "body" => (format!("{text}\nAnother paragraph, edit {n}.\n"), true),
        "summary" => (
            set_field(&text, "summary", Some(&format!("\"Tweak {n}.\""))),
            true,
        ),
        "title" => (
            set_field(&text, "title", Some(&format!("\"{title} {n}\""))),
            false,
        ),
        "alias" => (
            set_field(&text, "aliases", Some(&format!("[\"/tweak/{n}/\"]"))),
            false,
        ),
        "link" => {
            let to = if note { "../tools/rook.md" } else { "rook.md" };
            (format!("{text}\nSee [Rook]({to}).\n"), false)
        }
        "heading" => (format!("{text}\n## Tweak {n}\n\nMore.\n"), false),
        // Later than any date before it, so the note moves to the top of its list and feeds
        // (unless it was there already).
        "date" => (
            set_field(
                &text,
                "date",
                Some(&format!("2027-{:02}-{:02}", 1 + n / 28, 1 + n % 28)),
            ),
            false,
        ),
        "tools" => {
            let tool = *rng.pick(&STABLE_TOOLS);
            let tools = toggled(list_field(&text, "tools"), tool);
            (set_field(&text, "tools", Some(&tools)), false)
        }
        "providers" => {
            let providers = toggled(list_field(&text, "providers"), "azure");
            (set_field(&text, "providers", Some(&providers)), false)
        }
        "draft" => {
            let draft = text.lines().any(|l| l == "draft = true");
            (
                set_field(&text, "draft", Some(&(!draft).to_string())),
                false,
            )
        }
        _ => {
            let now = ["networking", "storage", "backup"]
                .into_iter()
                .find(|c| !text.contains(&format!("category = \"{c}\"")))
                .unwrap_or("storage");
            (
                set_field(&text, "category", Some(&format!("\"{now}\""))),
                false,
            )
        }
    };
    std::fs::write(&path, text).expect("write");
    let rel = path
        .strip_prefix(&content)
        .unwrap_or(&path)
        .display()
        .to_string();
    (path, format!("tweak-{kind} {rel}"), kept)
}

/// Seeded random sequences of creates, renames, deletes (of files and of whole folders), field
/// and body edits, survey CSV changes and data files added and removed: after every step, every
/// output file of the incremental session equals a fresh build, and every step was applied
/// incrementally (none fell back to a full rebuild).
#[test]
fn random_edit_sequences_match_a_fresh_build() {
    let steps = 60;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for seed in [0x5EED_0001_u64, 0xC0FF_EE00_1234, 0x0BAD_5EED_7777] {
        let (dir, options, mut session, mut files) = start("incremental");
        let mut rng = Rng(seed);
        let mut made = Made {
            survey_data: "2026.csv".into(),
            ..Made::default()
        };
        for n in 0..steps {
            // Small edits of one kind each, between the other changes, for the path that keeps
            // the graph: it must be taken exactly when the graph would come out the same.
            let (changed, what, keeps) = if rng.chance(40) {
                let (path, what, keeps) = tweak(&mut rng, dir.path(), &made, n);
                (vec![path], what, Some(keeps))
            } else {
                let (changed, what) = random_step(&mut rng, dir.path(), &mut made, n);
                (changed, what, None)
            };
            let partial = apply(&mut session, &mut files, &options, &changed);
            assert!(
                partial.is_some(),
                "seed {seed:#x}, step {n} ({what}): applied incrementally, not by a full rebuild"
            );
            let kind = what.split_whitespace().next().unwrap_or("").to_string();
            *kinds.entry(kind).or_default() += 1;
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
            // Checked after the output, so that a graph kept wrongly shows as the files it got
            // wrong.
            if let (Some(keeps), Some(applied)) = (keeps, partial) {
                assert_eq!(
                    applied.graph_kept, keeps,
                    "seed {seed:#x}, step {n} ({what}): the graph kept only when it cannot change"
                );
            }
        }
    }
    // The sequences cover every kind of change.
    for kind in [
        "create",
        "rename",
        "delete",
        "edit",
        "survey",
        "csv",
        "folder",
        "drop-folder",
        "add",
        "remove-csv",
        "tweak-body",
        "tweak-summary",
        "tweak-title",
        "tweak-alias",
        "tweak-link",
        "tweak-heading",
        "tweak-date",
        "tweak-tools",
        "tweak-providers",
        "tweak-draft",
        "tweak-category",
    ] {
        assert!(kinds.contains_key(kind), "no {kind} step in {kinds:?}");
    }
}

/// While serving, an editor's leftover is ignored as a build ignores it, and Markdown not named
/// `.md` asks for the full load, which reports it, instead of being published as a file.
#[test]
fn serve_ignores_leftovers_and_reports_misnamed_markdown() {
    let (dir, _options, mut session, _files) = start("incremental");
    let session = session.as_mut().expect("started");
    let leftover = dir.path().join("content/tools/#etcd.md#");
    std::fs::write(&leftover, "+++\ntitle = \"etcd\"\n+++\n").expect("write");
    let mut result = None;
    let out = collect(|sink| result = Some(session.update(std::slice::from_ref(&leftover), sink)));
    assert!(
        matches!(result, Some(Ok(Update::Partial { .. }))),
        "{result:?}"
    );
    assert!(
        out.keys().all(|p| !p.contains('#')),
        "a leftover was published: {:?}",
        out.keys().collect::<Vec<_>>()
    );

    let misnamed = dir.path().join("content/tools/Etcd.MD");
    std::fs::write(&misnamed, "+++\ntitle = \"etcd\"\n+++\n").expect("write");
    let mut result = None;
    collect(|sink| result = Some(session.update(std::slice::from_ref(&misnamed), sink)));
    assert!(matches!(result, Some(Ok(Update::NeedsFull))), "{result:?}");
    let mut started = None;
    collect(|sink| {
        started = Some(Session::start(
            &Options {
                root: dir.path().to_path_buf(),
                ..Default::default()
            },
            sink,
        ))
    });
    match started {
        Some(Err(pipeline::Failure::Invalid(diags))) => assert!(
            diags
                .iter()
                .any(|d| d.file == "content/tools/Etcd.MD" && d.code == "file-name"),
            "{diags:?}"
        ),
        other => panic!(
            "expected the file-name error, got {:?}",
            other.map(|r| r.is_ok())
        ),
    }
}

/// The "Catalog entry" line and links of a product's and a vendor's page (a field term page
/// that shows the tool its results name).
fn catalog_entries(files: &Files, path: &str) -> Vec<String> {
    let html = String::from_utf8_lossy(files.get(path).expect("term page"));
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".catalog-entry a").expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// A term page shows the titles of the pages its entries name (a product page's "Catalog
/// entry: K3s"): renaming the tool renames it there too, as in a fresh build.
#[test]
fn a_renamed_tool_is_renamed_on_the_term_pages_that_name_it() {
    let (dir, options, mut session, mut files) = start("conformance-links");
    let product = "/conformance/product/k3s/index.html";
    let vendor = "/conformance/vendor/suse/index.html";
    assert!(catalog_entries(&files, product).contains(&"K3s".to_string()));
    assert!(catalog_entries(&files, vendor).contains(&"K3s".to_string()));
    let tool = dir.path().join("content/tools/k3s.md");
    std::fs::write(
        &tool,
        "+++\ntitle = \"K3s, the edge distribution\"\nsummary = \"A small Kubernetes distribution we run on edge nodes.\"\n+++\nK3s packs the control plane into one binary.\n",
    )
    .expect("write");
    let partial = apply(
        &mut session,
        &mut files,
        &options,
        std::slice::from_ref(&tool),
    );
    assert!(partial.is_some(), "a title edit is incremental");
    for page in [product, vendor] {
        assert!(
            catalog_entries(&files, page).contains(&"K3s, the edge distribution".to_string()),
            "{page} shows the new title: {:?}",
            catalog_entries(&files, page)
        );
    }
    assert_same(&files, &fresh(&options));
}
