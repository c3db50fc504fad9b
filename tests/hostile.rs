//! Hostile content: every file is treated as written by a stranger. Each case gets a clear
//! diagnostic naming the file, or is rendered safely — never a panic, a hang, or a write
//! outside the output folder. Inputs are generated here rather than stored.

mod common;

use std::path::Path;

use common::{Page, opsbook};

/// A fresh site (the `serve` fixture) with `files` added under content/.
fn site_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    common::fixture_with("serve", files)
}

fn entry(title: &str, body: &str) -> Vec<u8> {
    format!("+++\ntitle = {title:?}\n+++\n{body}").into_bytes()
}

/// `check --format json` → (file, code) pairs.
fn problems(root: &Path) -> Vec<(String, String)> {
    let (_, diags) = common::check_json(root);
    diags
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn deep_nesting_renders() {
    let quotes = ">".repeat(10_000) + " deep\n";
    let lists: String = (0..3_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let html = "<div>".repeat(10_000) + "x" + &"</div>".repeat(10_000) + "\n";
    let site = site_with(&[
        ("tools/quotes.md", entry("Quotes", &quotes)),
        ("tools/lists.md", entry("Lists", &lists)),
        ("tools/html.md", entry("Html", &html)),
    ]);
    opsbook(site.path()).arg("build").assert().success();
    for name in ["quotes", "lists", "html"] {
        let page = Page::load(
            &site.path().join("public"),
            &format!("tools/{name}/index.html"),
        );
        assert!(!page.text("h1").is_empty());
    }
}

#[test]
fn broken_encodings_and_bombs_are_diagnosed() {
    let mut bomb = String::from(
        "---\ntitle: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    bomb.push_str("---\nbody\n");
    let big = format!("---\ntitle: Big\nx: \"{}\"\n---\n", "a".repeat(1_100_000));
    let deep_toml = format!(
        "+++\ntitle = \"T\"\nx = {}{}\n+++\n",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let site = site_with(&[
        ("tools/bomb.md", bomb.into_bytes()),
        ("tools/big.md", big.into_bytes()),
        ("tools/deep-toml.md", deep_toml.into_bytes()),
        (
            "tools/nul.md",
            b"+++\ntitle = \"N\"\n+++\nhello\x00world\n".to_vec(),
        ),
        (
            "tools/latin1.md",
            b"+++\ntitle = \"caf\xe9\"\n+++\n".to_vec(),
        ),
    ]);
    let got = problems(site.path());
    let want = [
        ("content/tools/big.md", "syntax"),
        ("content/tools/bomb.md", "syntax"),
        ("content/tools/deep-toml.md", "syntax"),
        ("content/tools/latin1.md", "encoding"),
        ("content/tools/nul.md", "encoding"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    // The bad byte is named as an editor shows it: `caf\xe9` is line 2, character 13.
    let (_, diags) = common::check_json(site.path());
    let latin1 = diags
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["file"] == "content/tools/latin1.md")
        .expect("the latin1 file's diagnostic");
    assert!(
        latin1["message"]
            .as_str()
            .unwrap_or("")
            .contains("line 2, character 13"),
        "{latin1}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_escapes_are_refused() {
    let site = site_with(&[]);
    let tools = site.path().join("content/tools");
    std::os::unix::fs::symlink("/etc/hostname", tools.join("outside.md")).expect("symlink");
    std::fs::create_dir_all(tools.join("loop")).expect("mkdir");
    std::os::unix::fs::symlink("..", tools.join("loop/up")).expect("symlink");
    let got = problems(site.path());
    assert!(
        got.contains(&("content/tools/outside.md".into(), "symlink".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("content/tools/loop/up".into(), "io".into())),
        "{got:?}"
    );
    // Two links that point at each other: named as a loop, not as a permissions problem.
    std::os::unix::fs::symlink("loop-b", tools.join("loop-a")).expect("symlink");
    std::os::unix::fs::symlink("loop-a", tools.join("loop-b")).expect("symlink");
    let (_, diags) = common::check_json(site.path());
    let pair = diags
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["file"] == "content/tools/loop-a")
        .expect("the loop's diagnostic");
    assert!(
        pair["message"]
            .as_str()
            .unwrap_or("")
            .contains("point at each other"),
        "{pair}"
    );
    assert!(
        !pair["help"].as_str().unwrap_or("").contains("permissions"),
        "{pair}"
    );
    opsbook(site.path()).arg("build").assert().code(1);
    assert!(!site.path().join("public").exists());
}

#[test]
fn escaping_names_and_aliases_are_refused() {
    let site = site_with(&[
        (
            "tools/dots.md",
            b"+++\ntitle = \"Dots\"\nslug = \"..\"\n+++\nx\n".to_vec(),
        ),
        (
            "tools/climb.md",
            b"+++\ntitle = \"Climb\"\nslug = \"../../etc\"\n+++\nx\n".to_vec(),
        ),
        (
            "tools/alias.md",
            b"+++\ntitle = \"A\"\naliases = [\"/../../etc/cron.d/x/\"]\n+++\nx\n".to_vec(),
        ),
    ]);
    let got = problems(site.path());
    assert!(
        got.contains(&("content/tools/dots.md".into(), "slug".into())),
        "{got:?}"
    );
    // `../../etc` is slugified to `..-..-etc`: a harmless name inside the collection, and the
    // author is warned with the URL it became (a warning: the site still builds).
    let (_, diags) = common::check_json(site.path());
    let climb: Vec<&serde_json::Value> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["file"] == "content/tools/climb.md")
        .collect();
    assert_eq!(climb.len(), 1, "{climb:?}");
    assert_eq!(climb[0]["code"], "slug");
    assert_eq!(climb[0]["severity"], "warning");
    assert_eq!(climb[0]["line"], 3);
    assert!(
        climb[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("/tools/..-..-etc/")),
        "{climb:?}"
    );
    assert!(
        got.contains(&("content/tools/alias.md".into(), "alias".into())),
        "{got:?}"
    );
}

#[test]
fn scripts_in_bodies_and_front_matter_are_inert() {
    let body = "<script>alert(1)</script>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<img src=\"https://example.org/x.png\" onerror=\"alert(2)\">\n\n[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](  javascript:alert(5))\n";
    let fm = "+++\ntitle = \"<iframe src=x></iframe>\"\ndescription = \"\\\" onmouseover=\\\"alert(6)\"\n+++\n".to_string() + body;
    let site = site_with(&[("tools/evil.md", fm.into_bytes())]);
    opsbook(site.path()).arg("build").assert().success();
    let page = Page::load(&site.path().join("public"), "tools/evil/index.html");
    assert!(page.all("script").is_empty());
    assert!(page.all("iframe").is_empty());
    assert!(page.all("[onerror], [onmouseover]").is_empty());
    assert_eq!(page.text("h1"), "<iframe src=x></iframe>");
    for href in page.attrs("a", "href") {
        assert!(
            !href.trim().to_lowercase().starts_with("javascript:"),
            "{href}"
        );
    }
    assert_eq!(
        page.attr("meta[name=description]", "content").as_deref(),
        Some("\" onmouseover=\"alert(6)")
    );
}

#[test]
fn a_template_that_includes_itself_is_an_error() {
    let site = site_with(&[]);
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::write(
        site.path().join("templates/page.html"),
        "{% include \"page.html\" %}\n",
    )
    .expect("write");
    let got = problems(site.path());
    assert_eq!(
        got,
        [("templates/page.html".to_string(), "template".to_string())]
    );
    opsbook(site.path()).arg("build").assert().code(1);
}

#[test]
fn a_50_mb_markdown_file_builds() {
    let mut body = String::with_capacity(52 << 20);
    let mut n = 0;
    while body.len() < 50 << 20 {
        if n % 100 == 0 {
            body.push_str(&format!("## Part {n}\n\n"));
        }
        body.push_str("Operators drain nodes before upgrades, then uncordon them once the kubelet reports ready.\n\n");
        n += 1;
    }
    let site = site_with(&[("tools/huge.md", entry("Huge", &body))]);
    opsbook(site.path()).arg("build").assert().success();
    let size = std::fs::metadata(site.path().join("public/tools/huge/index.html"))
        .expect("written")
        .len();
    assert!(
        size > 50 << 20,
        "the whole body was rendered ({size} bytes)"
    );
}
