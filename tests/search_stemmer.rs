//! The browser's stemmer (`themes/clusterops/static/stem.js`, which search.js loads when a query
//! word is not in the index as typed) must stem as the index's builder does, or a query's
//! "electing" would look for a stem no page is indexed under. Every word of the shipped site,
//! each with two dozen endings added, and the Snowball algorithm's hard cases, are stemmed by
//! both and compared.
//!
//! Needs `node` (.ci/run installs it for the a11y tests): without it this fails when `CI` is
//! set and is skipped, loudly, otherwise.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use opsbook::emit::search::tokens::{Stem, all_words};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Words whose stems exercise each step and exception of the algorithm.
const HARD_CASES: &[&str] = &[
    "consign",
    "consigned",
    "consigning",
    "consignment",
    "generous",
    "generously",
    "generate",
    "communism",
    "communication",
    "arsenal",
    "arsenic",
    "skis",
    "skies",
    "sky",
    "dying",
    "lying",
    "tying",
    "news",
    "howe",
    "atlas",
    "cosmos",
    "bias",
    "andes",
    "idly",
    "gently",
    "ugly",
    "early",
    "only",
    "singly",
    "inning",
    "innings",
    "outing",
    "outings",
    "canning",
    "herring",
    "earring",
    "proceed",
    "proceeding",
    "exceed",
    "exceeded",
    "succeed",
    "caresses",
    "ponies",
    "ties",
    "cries",
    "tied",
    "gas",
    "gaps",
    "kiwis",
    "this",
    "us",
    "bus",
    "press",
    "agreed",
    "feed",
    "bleed",
    "luxuriated",
    "hopping",
    "hoped",
    "hoping",
    "filing",
    "falling",
    "fizzed",
    "failing",
    "tanned",
    "hopped",
    "controlling",
    "rolling",
    "troubled",
    "sized",
    "happy",
    "cry",
    "by",
    "say",
    "boy",
    "yesterday",
    "yield",
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "analogi",
    "biologi",
    "fulli",
    "lessli",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologous",
    "activate",
    "angulariti",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "election",
    "electing",
    "snapshotting",
    "identities",
    "defragmenting",
    "migration",
    "migrate",
    "restoring",
    "backups",
    "ay",
    "aye",
    "eyed",
    "bey",
    "obeying",
    "sayings",
    "played",
    "kubernetes",
    "kubeadm",
    "etcd",
    "naïve",
    "café",
    "résumé",
    "überwachung",
    "zürich",
];

#[test]
fn the_browser_stems_every_word_as_the_index_does() {
    let mut words: BTreeSet<String> = HARD_CASES.iter().map(|w| w.to_string()).collect();
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let entry = entry.expect("walk content/");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("read a content file");
            all_words(&text, |w| {
                words.insert(w.as_str().to_string());
            });
        }
    }
    assert!(words.len() > 5_000, "only {} words read", words.len());
    // The browser stems what readers type, which the index does not hold as typed: every
    // word of the site with the endings the algorithm strips.
    let endings = [
        "s", "es", "ed", "ing", "ings", "er", "ers", "ly", "ness", "ation", "ations", "ment",
        "ments", "ity", "ies", "ied", "ful", "less", "ize", "ized", "izing", "able", "ism", "ive",
    ];
    let inflected: Vec<String> = words
        .iter()
        .filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .flat_map(|w| endings.iter().map(move |e| format!("{w}{e}")))
        .collect();
    words.extend(inflected);
    let words: Vec<String> = words.into_iter().collect();

    let script = "const stem = require(process.argv[1]);\
        const words = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean);\
        process.stdout.write(words.map(stem).join('\\n'));";
    let child = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo().join("themes/clusterops/static/stem.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but node cannot run ({e}): .ci/run must install nodejs"
            );
            eprintln!("SKIPPED: node cannot run ({e})");
            return;
        }
    };
    let mut stdin = child.stdin.take().expect("node's stdin");
    let input = words.join("\n");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("node runs");
    writer
        .join()
        .expect("writer thread")
        .expect("write words to node");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = String::from_utf8(out.stdout).expect("node writes UTF-8");
    let theirs: Vec<&str> = theirs.split('\n').collect();
    assert_eq!(
        theirs.len(),
        words.len(),
        "node stemmed a different number of words"
    );

    let stem = Stem::default();
    let differ: Vec<String> = words
        .iter()
        .zip(&theirs)
        .filter(|(w, js)| stem.of(w) != **js)
        .map(|(w, js)| format!("{w}: index {:?}, browser {js:?}", stem.of(w)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} words stem differently:\n{}",
        differ.len(),
        words.len(),
        differ
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Not vacuous: the hard cases change under stemming.
    assert_ne!(stem.of("electing"), "electing");
    assert_eq!(stem.of("electing"), stem.of("election"));
}
