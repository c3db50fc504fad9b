//! `opsbook check` on a fixture with one planted problem of every kind: each is reported once,
//! at its exact line and column, with no false positives, in all three formats.

mod common;

use common::{fixture, opsbook};

/// (file, line, column, code) of every planted problem, in the contract's order.
const EXPECTED: &[(&str, u64, u64, &str)] = &[
    ("content/notes/dup-a.md", 3, 1, "duplicate-url"),
    ("content/notes/dup-b.md", 3, 1, "duplicate-url"),
    (
        "content/notes/no-front-matter.md",
        1,
        1,
        "missing-front-matter",
    ),
    ("content/notes/one.md", 4, 10, "broken-ref"),
    ("content/notes/one.md", 6, 5, "broken-link"),
    ("content/notes/one.md", 6, 25, "broken-anchor"),
    ("content/tools/bare.md", 2, 1, "missing-field"),
    ("content/tools/bare.md", 2, 1, "missing-field"),
    ("content/tools/broken-toml.md", 3, 24, "syntax"),
    ("content/tools/broken-yaml.md", 3, 10, "syntax"),
    ("content/tools/rook.md", 4, 12, "enum"),
    ("content/tools/rook.md", 5, 12, "url"),
    ("content/tools/rook.md", 6, 12, "date"),
    ("content/tools/rook.md", 7, 9, "range"),
    ("content/tools/rook.md", 8, 10, "type"),
    ("content/tools/rook.md", 9, 1, "unknown-field"),
];

#[test]
fn json_reports_every_planted_problem_exactly() {
    let site = fixture("planted");
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1);
    let got: Vec<(String, u64, u64, String)> = diags
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, String)> = EXPECTED
        .iter()
        .map(|(f, l, c, k)| (f.to_string(), *l, *c, k.to_string()))
        .collect();
    assert_eq!(got, want);
    for d in diags.as_array().expect("array") {
        assert_eq!(d["severity"], "error");
        assert!(!d["message"].as_str().unwrap_or("").is_empty());
    }
    // Hints that make the fix obvious.
    let help = |code: &str| {
        diags
            .as_array()
            .and_then(|a| a.iter().find(|d| d["code"] == code))
            .and_then(|d| d["help"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        help("enum"),
        "did you mean `storage`? expected one of: networking, storage"
    );
    assert_eq!(help("broken-ref"), "did you mean `cilium`?");
    assert_eq!(help("broken-anchor"), "did you mean `#install`?");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("dup-b.md"),
        "each duplicate names the other"
    );
    assert!(
        diags[1]["message"]
            .as_str()
            .unwrap_or("")
            .contains("dup-a.md")
    );
}

#[test]
fn github_format_has_one_annotation_per_problem() {
    let site = fixture("planted");
    let assert = opsbook(site.path())
        .args(["check", "--format", "github"])
        .assert()
        .code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len());
    for (line, (file, l, c, code)) in lines.iter().zip(EXPECTED) {
        let prefix = format!("::error file={file},line={l},col={c},title={code}::");
        assert!(
            line.starts_with(&prefix),
            "{line} should start with {prefix}"
        );
    }
}

#[test]
fn human_format_shows_source_and_caret() {
    let site = fixture("planted");
    let assert = opsbook(site.path()).arg("check").assert().code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        out.contains("error[enum]: `storge` is not an allowed value of `category`"),
        "{out}"
    );
    assert!(out.contains("--> content/tools/rook.md:4:12"), "{out}");
    assert!(
        out.contains("category = \"storge\""),
        "the source line is shown"
    );
    assert!(out.contains("^^^^^^^^"), "with a caret under the value");
    assert!(
        out.contains(&format!("{} errors, 0 warnings", EXPECTED.len())),
        "{out}"
    );
}

#[test]
fn new_writes_a_skeleton_that_passes_once_filled() {
    let site = fixture("incremental");
    opsbook(site.path())
        .args(["new", "tools", "flux", "--title", "Flux"])
        .assert()
        .success();
    let path = site.path().join("content/tools/flux.md");
    let text = std::fs::read_to_string(&path).expect("written");
    // Placeholders are reported until replaced.
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1);
    let codes: Vec<&str> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    // Two TODO fields and the untouched body from the theme's templates/new/tools.md.
    assert_eq!(
        codes,
        ["placeholder", "placeholder", "placeholder"],
        "{diags}"
    );
    assert!(
        text.contains("# one of: networking, storage, backup"),
        "enum values in a comment:\n{text}"
    );
    // Refuses to overwrite.
    opsbook(site.path())
        .args(["new", "tools", "flux"])
        .assert()
        .code(2);
    // Filled in, it passes.
    let front_matter_end = text.rfind("+++").expect("front matter") + 3;
    let filled = text[..front_matter_end]
        .replace("\"TODO: summary\"", "\"GitOps delivery.\"")
        .replace("\"TODO: category\"", "\"storage\"")
        + "\nFlux keeps clusters in step with a Git repository.\n";
    std::fs::write(&path, filled).expect("write");
    opsbook(site.path())
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .stdout("[]\n");
    // An unknown collection is a usage error with a hint.
    let assert = opsbook(site.path())
        .args(["new", "tool", "x"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("did you mean `tools`?"));
}

#[test]
fn build_refuses_a_base_url_without_a_scheme() {
    let site = fixture("incremental");
    let out = opsbook(site.path())
        .args(["build", "--base-url", "127.0.0.1:8000/"])
        .output()
        .expect("run opsbook build");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no scheme"), "{err}");
    assert!(err.contains("http://127.0.0.1:8000/"), "{err}");
    assert!(!site.path().join("public").exists());
}
