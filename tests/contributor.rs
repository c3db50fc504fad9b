//! The mistakes a first-time contributor makes (issue 14), one test each: `check --format json`
//! reports the problem with its code, line, column and hint; the five worst are also pinned as
//! insta snapshots of the human output. Plus `new` (slug, numbers, per-collection bodies) and
//! raw HTML links in a built site.

mod common;

use std::path::Path;

use common::{Page, build_site, check_json, fixture, opsbook, problems};
use serde_json::Value;

/// (code, line, column, help) only.
fn located(diags: &Value, file: &str) -> Vec<(String, u64, u64, String)> {
    problems(diags, file)
        .into_iter()
        .map(|(c, l, col, _, h)| (c, l, col, h))
        .collect()
}

fn want(items: &[(&str, u64, u64, &str)]) -> Vec<(String, u64, u64, String)> {
    items
        .iter()
        .map(|(c, l, col, h)| (c.to_string(), *l, *col, h.to_string()))
        .collect()
}

fn mistakes() -> (tempfile::TempDir, Value) {
    let site = fixture("contributor");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    (site, diags)
}

/// The human report for one file, as a contributor sees it in a terminal.
fn human(root: &Path, file: &str) -> String {
    let options = opsbook::pipeline::Options {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let diags: Vec<_> = opsbook::pipeline::check(&options)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|d| d.file == file)
        .collect();
    opsbook::diagnostics::render(&diags, opsbook::diagnostics::Format::Human, false)
}

#[test]
fn the_fixture_has_no_false_positives() {
    let (_site, diags) = mistakes();
    for clean in [
        "content/notes/good.md",
        "content/tools/kubeadm.md",
        "content/tools/etcd.md",
        "content/_index.md",
    ] {
        assert_eq!(problems(&diags, clean), vec![], "{clean}");
    }
}

#[test]
fn a_misspelled_collection_folder_is_an_error() {
    let (site, diags) = mistakes();
    let file = "content/note/misspelled.md";
    assert_eq!(
        located(&diags, file),
        want(&[(
            "unknown-collection",
            1,
            1,
            "did you mean `notes/`? move the file to content/notes/"
        )])
    );
    insta::assert_snapshot!("misspelled_folder", human(site.path(), file));
}

#[test]
fn strict_collections_makes_every_undeclared_folder_an_error() {
    let site = fixture("contributor");
    let other = site.path().join("content/runbooks");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(
        other.join("restart.md"),
        "+++\ntitle = \"Restart a node\"\n+++\nDrain it first.\n",
    )
    .expect("write");
    // Without the setting, a folder far from every collection name is schema-less and fine.
    let (_, diags) = check_json(site.path());
    assert_eq!(problems(&diags, "content/runbooks/restart.md"), vec![]);

    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("book.toml");
    std::fs::write(
        &book,
        text.replace(
            "[collections.tools]",
            "[build]\nstrict_collections = true\n\n[collections.tools]",
        ),
    )
    .expect("write");
    let (_, diags) = check_json(site.path());
    assert_eq!(
        located(&diags, "content/runbooks/restart.md"),
        want(&[(
            "unknown-collection",
            1,
            1,
            "this site only accepts the folders declared in book.toml (tools/, notes/); move the file into one of them or add `[collections.runbooks]`"
        )])
    );
}

#[test]
fn the_shipped_site_turns_strict_collections_on() {
    let book = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("book.toml"))
        .expect("book.toml");
    let config = opsbook::config::Config::parse(&book).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(config.build.strict_collections);
}

#[test]
fn empty_required_values_are_errors() {
    let (_site, diags) = mistakes();
    assert_eq!(
        located(&diags, "content/notes/empty-values.md"),
        want(&[
            (
                "missing-field",
                3,
                11,
                "`summary` is required: give it a string — one sentence: what was done and how it went"
            ),
            (
                "missing-field",
                4,
                11,
                "`authors` is required: give it a list, each a string"
            ),
        ])
    );
}

#[test]
fn placeholder_words_are_errors() {
    let (_site, diags) = mistakes();
    let got = problems(&diags, "content/notes/placeholder-values.md");
    // A required field must be filled in; an optional one may go.
    let required = "replace it with the real value (the field is required)";
    let optional = "replace it with the real value, or remove the line (the field is optional)";
    let expected: Vec<(String, u64, u64, String, String)> = [
        (
            3,
            11,
            "`summary` still holds the placeholder `TBD`",
            required,
        ),
        (
            4,
            12,
            "`authors` still holds the placeholder `...`",
            required,
        ),
        (
            5,
            16,
            "`organization` still holds the placeholder `todo - ask the platform team`",
            optional,
        ),
        (
            6,
            14,
            "`kubernetes` still holds the placeholder `FIXME`",
            required,
        ),
    ]
    .iter()
    .map(|(l, c, m, help)| {
        (
            "placeholder".to_string(),
            *l,
            *c,
            m.to_string(),
            help.to_string(),
        )
    })
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn placeholder_words_match_whole_words_only() {
    use opsbook::content::schema::is_placeholder;
    for yes in [
        "TODO",
        "todo: later",
        "TBD",
        "tbd.",
        "FixMe!",
        "XXX",
        "...",
        "… soon",
    ] {
        assert!(is_placeholder(yes), "{yes}");
    }
    for no in ["Todoist", "tbdx", "Fixmes are fine", "xxxl", "done", ""] {
        assert!(!is_placeholder(no), "{no}");
    }
}

#[test]
fn new_drops_md_and_check_catches_the_untouched_skeleton() {
    let site = fixture("contributor");
    let out = opsbook(site.path())
        .args(["new", "notes", "first-note.md", "--title", "My first note"])
        .output()
        .expect("run new");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = site.path().join("content/notes/first-note.md");
    assert!(path.is_file(), "the .md suffix is dropped from the slug");
    assert!(!site.path().join("content/notes/first-note.md.md").exists());
    let text = std::fs::read_to_string(&path).expect("read");

    // Optional numbers are commented-out numbers, ready to uncomment.
    assert!(text.contains("\n# nodes = 1"), "{text}");
    // The body comes from the theme's templates/new/notes.md, with a note's headings.
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Context",
            "## What we did",
            "## What happened",
            "## What we would do differently"
        ]
    );

    let (_, diags) = check_json(site.path());
    let got = problems(&diags, "content/notes/first-note.md");
    let body_line = text
        .lines()
        .position(|l| l == "## Context")
        .expect("heading") as u64
        + 1;
    let codes: Vec<(&str, u64)> = got.iter().map(|p| (p.0.as_str(), p.1)).collect();
    // summary, authors, kubernetes, outcome hold TODO placeholders; the body is the template.
    assert_eq!(
        codes.iter().filter(|(c, _)| *c == "placeholder").count(),
        5,
        "{got:?}"
    );
    let body = got
        .iter()
        .find(|p| p.1 == body_line)
        .unwrap_or_else(|| panic!("no diagnostic on the body's first line: {got:?}"));
    assert_eq!(
        (body.0.as_str(), body.2, body.4.as_str()),
        (
            "placeholder",
            1,
            "replace the prompts under each heading with what you have to say"
        )
    );

    // Uncommenting the optional number gives a valid integer, not a string.
    let filled = text
        .replace("\n# nodes = 1", "\nnodes = 1")
        .replace("\"TODO: summary\"", "\"Done.\"")
        .replace("[\"TODO: authors\"]", "[\"Dana\"]")
        .replace("\"TODO: kubernetes\"", "\"1.33\"")
        .replace("\"TODO: outcome\"", "\"success\"")
        .replace("Replace this paragraph.", "A three-node lab cluster.");
    std::fs::write(&path, &filled).expect("write");
    // The first prompt is written; the other three are still the template's, each an error at
    // its own line.
    let (_, diags) = check_json(site.path());
    let left: Vec<(String, u64)> = problems(&diags, "content/notes/first-note.md")
        .into_iter()
        .map(|p| (p.0, p.1))
        .collect();
    let line_of = |needle: &str| {
        filled
            .lines()
            .position(|l| l.starts_with(needle))
            .map_or(0, |i| i as u64 + 1)
    };
    assert_eq!(
        left,
        [
            ("placeholder".to_string(), line_of("The steps in order")),
            ("placeholder".to_string(), line_of("What went as planned")),
            (
                "placeholder".to_string(),
                line_of("The advice you would give")
            ),
        ],
        "{filled}"
    );

    let written = filled
        .replace(
            "The steps in order, with the commands",
            "We drained each node, with the commands",
        )
        .replace("What went as planned, what did not,", "It went to plan:")
        .replace(
            "The advice you would give the next operator",
            "Start with the smallest pool",
        );
    std::fs::write(&path, &written).expect("write");
    let (_, diags) = check_json(site.path());
    assert_eq!(
        problems(&diags, "content/notes/first-note.md"),
        vec![],
        "{written}"
    );
}

#[test]
fn every_shipped_collection_has_a_new_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = std::fs::read_to_string(root.join("book.toml")).expect("book.toml");
    let config = opsbook::config::Config::parse(&book).unwrap_or_else(|e| panic!("{e:?}"));
    let theme = opsbook::theme::load(root, config.build.theme.as_deref()).expect("theme");
    for name in config.collections.keys() {
        let body = theme
            .new_bodies
            .get(name)
            .unwrap_or_else(|| panic!("no themes/clusterops/templates/new/{name}.md"));
        assert!(
            body.contains("\n## ") || body.starts_with("## "),
            "{name}: no headings"
        );
    }
    let tools: Vec<&str> = theme.new_bodies["tools"]
        .lines()
        .filter(|l| l.starts_with("## "))
        .collect();
    assert_eq!(tools, ["## What it is", "## When to use it", "## Gotchas"]);
    // The bodies are not Tera templates.
    assert!(!theme.templates.keys().any(|k| k.starts_with("new/")));
}

#[test]
fn a_toml_duplicate_key_names_both_lines() {
    let (site, diags) = mistakes();
    let file = "content/tools/duplicate-toml.md";
    let got = problems(&diags, file);
    assert_eq!(got.len(), 1, "{got:?}");
    let (code, line, column, message, help) = &got[0];
    assert_eq!((code.as_str(), *line, *column), ("syntax", 5, 1));
    assert_eq!(
        message,
        "`summary` is set twice: on line 3 and again on line 5"
    );
    assert_eq!(help, "keep one of the two and delete the other");
    insta::assert_snapshot!("duplicate_toml_key", human(site.path(), file));
}

#[test]
fn a_yaml_duplicate_key_names_both_lines() {
    let (site, diags) = mistakes();
    let file = "content/tools/duplicate-yaml.md";
    let got = problems(&diags, file);
    assert_eq!(
        got,
        vec![(
            "syntax".to_string(),
            5,
            1,
            "`summary` is set twice: on line 3 and again on line 5".to_string(),
            "keep one of the two and delete the other".to_string()
        )]
    );
    insta::assert_snapshot!("duplicate_yaml_key", human(site.path(), file));
}

#[test]
fn a_bad_date_shows_the_expected_format() {
    let (site, diags) = mistakes();
    let file = "content/notes/bad-date.md";
    let got = located(&diags, file);
    assert_eq!(
        got,
        want(&[(
            "syntax",
            3,
            8,
            "write the date as YYYY-MM-DD without quotes, e.g. `date = 2026-03-14` (or a full date-time such as 2026-03-14T09:30:00Z)"
        )])
    );
    insta::assert_snapshot!("bad_date", human(site.path(), file));
}

#[test]
fn broken_links_get_hints_from_the_tree() {
    let (site, diags) = mistakes();
    let file = "content/notes/links.md";
    assert_eq!(
        located(&diags, file),
        want(&[
            ("broken-link", 8, 9, "did you mean `../tools/kubeadm.md`?"),
            (
                "broken-link",
                10,
                1,
                "a `/…` path to a file is served from the site's `static/` folder: add it as static/img/topology.png, or put it beside the page under content/ and link it relatively (e.g. `topology.png`)"
            ),
            (
                "broken-link",
                12,
                1,
                "add the file as content/notes/missing.png, or correct the path"
            ),
            ("broken-link", 14, 8, "did you mean `../tools/etcd.md`?"),
        ])
    );
    insta::assert_snapshot!("broken_links", human(site.path(), file));
}

#[test]
fn raw_html_links_are_checked_and_rewritten() {
    let site = fixture("raw-html-links");
    let out = build_site(site.path(), false, None);
    let page = Page::load(&out, "notes/with-html/index.html");
    // The second image's tag spans three lines of a block quote.
    assert_eq!(
        page.attrs("main img", "src"),
        vec![
            "/docs/notes/diagram.png".to_string(),
            "/docs/notes/diagram.png".to_string()
        ]
    );
    assert!(
        page.attrs("main a", "href")
            .contains(&"/docs/tools/kubeadm/#install".to_string()),
        "{:?}",
        page.attrs("main a", "href")
    );
    // A wrong anchor in raw HTML is caught like one in Markdown.
    let note = site.path().join("content/notes/with-html.md");
    let text = std::fs::read_to_string(&note).expect("read");
    let broken = text
        .replace("#install", "#instal")
        .replace(">   src=\"diagram.png\">", ">   src=\"diagramm.png\">");
    std::fs::write(&note, broken).expect("write");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(
        located(&diags, "content/notes/with-html.md"),
        want(&[
            ("broken-anchor", 8, 6, "did you mean `#install`?"),
            ("broken-link", 10, 3, "did you mean `diagram.png`?"),
        ])
    );
}

/// Words of a library's API a contributor cannot act on.
fn technical_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let camel =
                w.chars().skip(1).any(char::is_uppercase) && w.chars().any(char::is_lowercase);
            let rust = matches!(
                *w,
                "u8" | "u16" | "u32" | "u64" | "i32" | "i64" | "f64" | "usize" | "serde" | "saphyr"
            );
            camel || rust || *w == "DuplicateKeyPolicy" || *w == "Options"
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn no_parser_error_leaks_a_library_name() {
    let site = fixture("contributor");
    let broken: &[(&str, &str)] = &[
        ("t-dup", "+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n"),
        ("t-date", "+++\ntitle = \"a\"\ndate = 2026-3-14\n+++\n"),
        (
            "t-datetime",
            "+++\ntitle = \"a\"\ndate = 2026-03-14x\n+++\n",
        ),
        (
            "t-slash-date",
            "+++\ntitle = \"a\"\ndate = 14/03/2026\n+++\n",
        ),
        (
            "t-unquoted",
            "+++\ntitle = \"a\"\nsummary = hello world\n+++\n",
        ),
        ("t-novalue", "+++\ntitle = \"a\"\nsummary =\n+++\n"),
        ("t-unclosed", "+++\ntitle = \"a\nsummary = \"x\"\n+++\n"),
        (
            "t-array",
            "+++\ntitle = \"a\"\ntools = [\"a\", \"b\"\n+++\n",
        ),
        ("t-comma", "+++\ntitle = \"a\"\ntools = ['a' 'b']\n+++\n"),
        ("t-yamlish", "+++\ntitle: \"a\"\n+++\n"),
        ("t-trailing", "+++\ntitle = \"a\" x\n+++\n"),
        (
            "t-table",
            "+++\ntitle = \"a\"\n[x]\na = 1\n[x]\nb = 2\n+++\n",
        ),
        ("t-escape", "+++\ntitle = \"C:\\q\"\n+++\n"),
        ("t-number", "+++\ntitle = \"a\"\nnodes = 1_\n+++\n"),
        ("t-zero", "+++\ntitle = \"a\"\nnodes = 01\n+++\n"),
        ("t-space", "+++\ntitle = \"a\"\nbad key = 1\n+++\n"),
        ("y-dup", "---\ntitle: a\ntitle: b\n---\n"),
        ("y-indent", "---\ntitle: a\n  bad: : x\n---\n"),
        ("y-quote", "---\ntitle: \"a\n---\n"),
        ("y-tab", "---\ntitle: a\n\tsummary: b\n---\n"),
        ("y-bracket", "---\ntitle: a\ntools: [a, b\n---\n"),
        ("y-colon", "---\ntitle: a: b\n---\n"),
        ("y-list", "---\n- a\n- b\n---\n"),
        ("y-alias", "---\ntitle: *x\n---\n"),
        ("y-tag", "---\ntitle: !!int a\n---\n"),
        ("y-complex", "---\n? [a]\n: b\n---\n"),
        ("y-nested", "---\ntitle: a\nsummary: b\n summary2: c\n---\n"),
    ];
    let dir = site.path().join("content/tools");
    for (name, text) in broken {
        std::fs::write(dir.join(format!("{name}.md")), text).expect("write");
    }
    let (_, diags) = check_json(site.path());
    for (name, _) in broken {
        let file = format!("content/tools/{name}.md");
        let got = problems(&diags, &file);
        assert!(!got.is_empty(), "{file}: no diagnostic");
        for (code, _, _, message, help) in got {
            assert_eq!(code, "syntax", "{file}");
            for text in [&message, &help] {
                assert_eq!(
                    technical_words(text),
                    Vec::<String>::new(),
                    "{file}: {text}"
                );
                assert!(
                    !text.contains("TOML:") && !text.contains("YAML:"),
                    "{file}: {text}"
                );
            }
        }
    }
}

#[test]
fn contributing_uses_a_slug_that_does_not_exist_and_targets_that_do() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("CONTRIBUTING.md")).expect("CONTRIBUTING.md");
    let slug = guide
        .split("opsbook new notes ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an `opsbook new notes SLUG` example");
    assert!(
        !root.join(format!("content/notes/{slug}.md")).exists(),
        "the example slug `{slug}` must not exist yet, or `new` refuses it"
    );
    // What the example front matter and links name does exist.
    for file in [
        "content/architectures/bare-metal-kubeadm-ha.md",
        "content/tools/kured.md",
        "content/tools/kubeadm.md",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let arch = std::fs::read_to_string(root.join("content/architectures/bare-metal-kubeadm-ha.md"))
        .expect("architecture");
    assert!(arch.contains("\n## Upgrades\n"), "the #upgrades anchor");
}

/// The `serve` fixture with `files` (path under content/, text) added.
fn serve_site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    common::fixture_with("serve", files)
}

#[test]
fn a_published_page_linking_to_a_draft_is_a_broken_link() {
    let site = serve_site_with(&[
        (
            "tools/drafty.md",
            "+++\ntitle = \"Drafty\"\ndraft = true\n+++\n## Setup\n",
        ),
        (
            "tools/linker.md",
            "+++\ntitle = \"Linker\"\n+++\nSee [the draft](drafty.md#setup).\n",
        ),
        (
            "tools/draft-linker.md",
            "+++\ntitle = \"Also a draft\"\ndraft = true\n+++\nSee [the draft](drafty.md).\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let found = problems(&diags, "content/tools/linker.md");
    assert_eq!(found.len(), 1, "{found:?}");
    let (c, line, col, message, help) = &found[0];
    assert_eq!((c.as_str(), *line, *col), ("broken-link", 4, 5));
    assert!(message.contains("is a draft"), "{message}");
    assert!(help.contains("`draft` setting"), "{help}");
    // A draft may link to a draft; with --drafts both are published and the link is fine.
    assert!(problems(&diags, "content/tools/draft-linker.md").is_empty());
    opsbook(site.path())
        .args(["check", "--drafts"])
        .assert()
        .success();
}

#[test]
fn markdown_not_named_md_is_reported_and_editor_leftovers_are_not_published() {
    let entry = "+++\ntitle = \"Upper\"\n+++\nBody.\n";
    let site = serve_site_with(&[
        ("tools/Upper.MD", entry),
        ("tools/long.markdown", entry),
        ("tools/kubeadm.md~", entry),
        ("tools/#kubeadm.md#", entry),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    for (file, renamed) in [
        ("content/tools/Upper.MD", "content/tools/Upper.md"),
        ("content/tools/long.markdown", "content/tools/long.md"),
    ] {
        let found = problems(&diags, file);
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        assert_eq!(found[0].0, "file-name");
        assert!(found[0].4.contains(renamed), "{:?}", found[0]);
    }
    // Once renamed, the build publishes the pages and none of the leftovers.
    for (from, to) in [("Upper.MD", "upper.md"), ("long.markdown", "long.md")] {
        let dir = site.path().join("content/tools");
        std::fs::rename(dir.join(from), dir.join(to)).expect("rename");
    }
    let out = build_site(site.path(), false, None);
    assert!(out.join("tools/upper/index.html").is_file());
    assert!(out.join("tools/long/index.html").is_file());
    let published: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with('~') || n.starts_with('#'))
        .collect();
    assert!(published.is_empty(), "{published:?}");
}

#[test]
fn every_type_mistake_gets_a_hint_in_the_files_own_syntax() {
    let site = serve_site_with(&[]);
    let book = site.path().join("book.toml");
    let mut config = std::fs::read_to_string(&book).expect("read book.toml");
    config.push_str(
        "\n[collections.notes]\ntitle = \"Notes\"\n\n[collections.notes.fields]\nproviders = { type = \"list\", of = \"string\" }\nnodes = { type = \"integer\" }\nsummary = { type = \"string\" }\n",
    );
    std::fs::write(&book, config).expect("write book.toml");
    let cases: &[(&str, &str, &str)] = &[
        (
            "toml-list.md",
            "+++\ntitle = \"A\"\nproviders = \"aws\"\n+++\n",
            "`providers = [\"aws\"]`",
        ),
        (
            "yaml-list.md",
            "---\ntitle: A\nproviders: aws\n---\n",
            "`providers: [\"aws\"]`",
        ),
        (
            "toml-int.md",
            "+++\ntitle = \"A\"\nnodes = \"three\"\n+++\n",
            "`nodes = 3`",
        ),
        (
            "toml-int-quoted.md",
            "+++\ntitle = \"A\"\nnodes = \"12\"\n+++\n",
            "`nodes = 12`",
        ),
        (
            "toml-bool.md",
            "+++\ntitle = \"A\"\ndraft = \"yes\"\n+++\n",
            "`draft = true`",
        ),
        (
            "toml-date.md",
            "+++\ntitle = \"A\"\ndate = 20260314\n+++\n",
            "`date = 2026-03-14`",
        ),
        ("yaml-null.md", "---\ntitle:\n---\n", "give it a value"),
        (
            "toml-aliases.md",
            "+++\ntitle = \"A\"\naliases = \"/old/\"\n+++\n",
            "`aliases = [\"/old/\"]`",
        ),
        (
            "yaml-map.md",
            "---\ntitle: A\nsummary: {text: x}\n---\n",
            "write one value in quotes",
        ),
    ];
    for (name, text, _) in cases {
        let path = site.path().join("content/notes").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    for (name, _, hint) in cases {
        let file = format!("content/notes/{name}");
        // (The cases share the title "A", which is its own warning.)
        let found: Vec<_> = problems(&diags, &file)
            .into_iter()
            .filter(|p| p.0 != "duplicate-title")
            .collect();
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        let (c, _, _, message, help) = &found[0];
        assert_eq!(c, "type", "{file}: {found:?}");
        assert!(help.contains(hint), "{file}: {help:?} lacks {hint:?}");
        if name.starts_with("yaml") {
            assert!(!message.contains("table"), "YAML has mappings: {message}");
        }
    }
}

#[test]
fn a_broken_reference_link_is_reported_once_at_its_definition() {
    let site = serve_site_with(&[(
        "tools/refs.md",
        "+++\ntitle = \"Refs\"\n+++\nFirst [a][r] and [b][R] and [r].\n\n[r]: ../tools/kubeadmm.md\n",
    )]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(
        located(&diags, "content/tools/refs.md"),
        want(&[("broken-link", 6, 6, "did you mean `kubeadm.md`?")])
    );
    // Fixed at the definition, every use links to the page.
    let file = site.path().join("content/tools/refs.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("kubeadmm.md", "kubeadm.md")).expect("write");
    let out = build_site(site.path(), false, None);
    let page = Page::load(&out, "tools/refs/index.html");
    let hrefs: Vec<String> = page
        .attrs("main p a", "href")
        .into_iter()
        .filter(|h| h.contains("kubeadm"))
        .collect();
    assert_eq!(hrefs.len(), 3, "{hrefs:?}");
}

#[test]
fn a_site_path_links_anchor_must_be_a_heading_there() {
    let site = serve_site_with(&[
        (
            "tools/target.md",
            "+++\ntitle = \"Target\"\n+++\n## Install steps\n",
        ),
        (
            "tools/linker.md",
            "+++\ntitle = \"Linker\"\n+++\n[ok](/tools/target/#install-steps) and [bad](/tools/target/#install).\n",
        ),
    ]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(
        located(&diags, "content/tools/linker.md"),
        want(&[("broken-anchor", 4, 40, "did you mean `#install-steps`?")])
    );
}

#[test]
fn an_unclosed_code_block_is_a_warning_at_its_fence() {
    let site = serve_site_with(&[(
        "tools/fence.md",
        "+++\ntitle = \"Fence\"\n+++\nIntro.\n\n```yaml\na: 1\n\nSee [x](missing.md).\n",
    )]);
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "a warning alone passes: {diags}");
    let found = problems(&diags, "content/tools/fence.md");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("unclosed-fence", 6, 1)
    );
}
