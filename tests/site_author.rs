//! `opsbook check` on the mistakes a site or theme author makes (a contributor review): a
//! template error is one record at the file, line and column of the mistake, not one per page
//! or per template extending it; a content or static file written where the generator or the
//! theme writes a file is a `duplicate-url` error; a theme name with a typo gets "did you
//! mean"; a value of the wrong type in book.toml gets a hint with the type it takes, and every
//! mistake in book.toml is reported in the same run.

mod common;

use std::path::Path;

use common::{check_json, copy_dir, fixture, opsbook};
use serde_json::Value;

/// (file, line, column, code, message, help) of every record of `check --format json`.
type Record = (String, u64, u64, String, String, String);

fn records(diags: &Value) -> Vec<Record> {
    diags
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// 1-based (line, column) of the first `needle` in `text`, in characters.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

/// The `template-errors` fixture with a copy of the clusterops theme whose base.html has had
/// `from` replaced by `to`; returns the site and base.html's new text.
fn theme_with_mistake(from: &str, to: &str) -> (tempfile::TempDir, String) {
    let site = fixture("template-errors");
    let theme = site.path().join("themes/clusterops");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/clusterops"),
        &theme,
    );
    let base = theme.join("templates/base.html");
    let text = std::fs::read_to_string(&base).expect("base.html");
    assert!(text.contains(from), "base.html has `{from}`");
    let text = text.replacen(from, to, 1);
    std::fs::write(&base, &text).expect("write base.html");
    (site, text)
}

const BASE: &str = "themes/clusterops/templates/base.html";

#[test]
fn the_template_fixture_is_clean_with_the_theme_as_shipped() {
    let (site, _) = theme_with_mistake("<!doctype html>", "<!doctype html>");
    let (code, diags) = check_json(site.path());
    assert_eq!((code, records(&diags)), (0, vec![]), "{diags}");
}

#[test]
fn a_rendering_error_in_base_html_is_one_record_at_its_line() {
    let mistake = "{{ site.titel.text }}";
    let (site, text) = theme_with_mistake(
        "<meta property=\"og:site_name\" content=\"{{ site.title }}\">",
        &format!("<meta property=\"og:site_name\" content=\"{mistake}\">"),
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let found = records(&diags);
    assert_eq!(
        found.len(),
        1,
        "one record, not one per page or template: {found:#?}"
    );
    let (file, line, column, code, message, help) = &found[0];
    assert_eq!(file, BASE);
    assert_eq!(code, "template");
    // At `site.titel`, inside the `{{ }}`.
    let (want_line, mistake_column) = position(&text, mistake);
    assert_eq!(*line, want_line, "{message}");
    assert!(
        *column > mistake_column && *column < mistake_column + mistake.len() as u64,
        "column {column} is inside {mistake} at {mistake_column}"
    );
    assert!(message.contains("titel"), "{message}");
    assert!(
        !message.contains('\n') && !message.contains("-->"),
        "{message}"
    );
    assert!(help.contains("docs/templates.md"), "{help}");
}

#[test]
fn a_syntax_error_in_base_html_is_one_record_at_its_line() {
    let (site, text) = theme_with_mistake(
        "{% block head %}{% endblock head %}",
        "{% block head %}{% endblock head %}\n  {{ site.title | }}",
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let found = records(&diags);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (file, line, column, code, message, help) = &found[0];
    assert_eq!(file, BASE);
    assert_eq!(code, "template");
    let (want_line, _) = position(&text, "{{ site.title | }}");
    assert_eq!(*line, want_line, "{message}");
    assert!(*column > 1, "a column from Tera, not 1:1: {column}");
    assert!(
        !message.contains('\n') && !message.contains("-->"),
        "{message}"
    );
    assert!(!help.is_empty());
    // `build` reports the same one problem and writes nothing.
    opsbook(site.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!("{BASE}:{line}:{column}")));
}

/// The `duplicate-url` records of `check --format json`: (file, message, help).
fn duplicates(diags: &Value) -> Vec<(String, String, String)> {
    records(diags)
        .into_iter()
        .filter(|r| r.3 == "duplicate-url")
        .map(|(file, _, _, _, message, help)| (file, message, help))
        .collect()
}

#[test]
fn a_file_written_where_the_site_or_theme_writes_one_is_a_duplicate_url() {
    let site = fixture("output-collisions");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let found = duplicates(&diags);
    let files: Vec<&str> = found.iter().map(|(f, _, _)| f.as_str()).collect();
    // One record per file of the site, each naming the other (the built-in theme's style.css
    // is no file of the site).
    assert_eq!(
        files,
        [
            "content/about.md",
            "content/about/index.html",
            "content/style.css",
            "static/search/index.html"
        ],
        "{found:#?}"
    );
    assert_eq!(records(&diags).len(), found.len(), "{diags}");
    let of = |file: &str| {
        found
            .iter()
            .find(|(f, _, _)| f == file)
            .cloned()
            .unwrap_or_default()
    };
    let (_, message, help) = of("content/style.css");
    assert!(
        message.contains("/style.css") && message.contains("theme"),
        "{message}"
    );
    assert!(
        help.contains("rename") && help.contains("static/style.css"),
        "{help}"
    );
    let (_, message, help) = of("static/search/index.html");
    assert!(message.contains("the search page"), "{message}");
    assert!(help.contains("rename or move"), "{help}");
    let (_, message, _) = of("content/about/index.html");
    assert!(message.contains("content/about.md"), "{message}");
    let (_, message, _) = of("content/about.md");
    assert!(message.contains("content/about/index.html"), "{message}");
    // `build` stops on them and writes nothing.
    opsbook(site.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("content/style.css"));
    assert!(!site.path().join("public").exists());

    // With the theme's files in the site, its style.css gets a record too, naming the other.
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/clusterops"),
        &site.path().join("themes/clusterops"),
    );
    let (_, diags) = check_json(site.path());
    let found = duplicates(&diags);
    let theme = found
        .iter()
        .find(|(f, _, _)| f == "themes/clusterops/static/style.css")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(theme.1.contains("content/style.css"), "{theme:?}");
    let (_, message, _) = found
        .iter()
        .find(|(f, _, _)| f == "content/style.css")
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("themes/clusterops/static/style.css"),
        "{message}"
    );
}

#[test]
fn a_theme_name_with_a_typo_gets_did_you_mean_at_its_line() {
    let site = fixture("theme-typo");
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("book.toml");
    let (line, column) = position(&text, "theme = ");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    assert_eq!(
        records(&diags),
        [(
            "book.toml".to_string(),
            line,
            column,
            "config".to_string(),
            "theme `midnite` not found: there is no folder themes/midnite/".to_string(),
            "did you mean `midnight`? write `theme = \"midnight\"`".to_string(),
        )]
    );
    // The built-in theme is a name a site can use too.
    std::fs::write(&book, text.replace("midnite", "clusterop")).expect("write");
    let (_, diags) = check_json(site.path());
    let found = records(&diags);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].5,
        "did you mean `clusterops`? write `theme = \"clusterops\"`"
    );
    // Nothing close: how to fix it, no guess.
    std::fs::write(&book, text.replace("midnite", "zzz")).expect("write");
    let (_, diags) = check_json(site.path());
    let found = records(&diags);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].5.contains("themes/zzz/"), "{:?}", found[0]);
    // The theme spelt right builds.
    std::fs::write(&book, text.replace("midnite", "midnight")).expect("write");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "{diags}");
}

/// `check` on the `config-types` fixture with `from` in its book.toml replaced by `to`: its one
/// record, and where `to` starts.
fn config_mistake(from: &str, to: &str) -> (Record, (u64, u64)) {
    let site = fixture("config-types");
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("book.toml");
    assert!(text.contains(from), "book.toml has `{from}`");
    let text = text.replacen(from, to, 1);
    std::fs::write(&book, &text).expect("write");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let found = records(&diags);
    assert_eq!(found.len(), 1, "{found:#?}");
    (found[0].clone(), position(&text, to))
}

#[test]
fn a_value_of_the_wrong_type_in_book_toml_gets_the_type_and_an_example() {
    let site = fixture("config-types");
    assert_eq!(check_json(site.path()).0, 0);
    let value_at = |(line, column): (u64, u64), key: &str| (line, column + key.len() as u64 + 3);
    let cases = [
        (
            "paginate_by = 50",
            "paginate_by = \"50\"",
            "`paginate_by` must be a whole number, found text in quotes",
            "write digits, without quotes: `paginate_by = 50`",
        ),
        (
            "enabled = true",
            "enabled = \"yes\"",
            "`enabled` must be true or false, found text in quotes",
            "write `enabled = true` or `enabled = false`, without quotes",
        ),
        (
            "title = \"Config types\"",
            "title = 3",
            "`title` must be text in quotes, found a whole number",
            "quote it: `title = \"3\"`",
        ),
        (
            "[collections.tools.fields]\nsummary = { type = \"string\", required = true }",
            "fields = \"summary\"",
            "`fields` must be a table, found text in quotes",
            "`fields` holds keys of its own: write them under a `[collections.tools.fields]` line, or inline as `fields = { … }`",
        ),
    ];
    for (from, to, message, help) in cases {
        let (record, at) = config_mistake(from, to);
        let key = to.split(' ').next().unwrap_or("");
        let (line, column) = value_at(at, key);
        assert_eq!(
            record,
            (
                "book.toml".to_string(),
                line,
                column,
                "config".to_string(),
                message.to_string(),
                help.to_string()
            ),
            "{to}"
        );
    }
}

#[test]
fn a_number_out_of_range_or_a_double_bracket_table_in_book_toml_is_said_in_words() {
    let cases = [
        (
            "enabled = true",
            "enabled = true\n\n[serve]\nport = 99999",
            "99999",
            "`port` must be a port number from 0 to 65535 (0 picks any free port), found 99999",
            "write a port number from 0 to 65535 (0 picks any free port): `port = 3000`",
        ),
        (
            "paginate_by = 50",
            "paginate_by = -50",
            "-50",
            "`paginate_by` must be a whole number of 0 or more, found -50",
            "write a whole number of 0 or more: `paginate_by = 50`",
        ),
        (
            "[book]",
            "[[book]]",
            "[[book]]",
            "`[[book]]` starts a list of `book` tables, but book.toml takes one `[book]` table",
            "write `[book]` once, with single brackets, and put all its keys under it",
        ),
    ];
    for (from, to, at, message, help) in cases {
        let (record, _) = config_mistake(from, to);
        let site = fixture("config-types");
        let text = std::fs::read_to_string(site.path().join("book.toml"))
            .expect("book.toml")
            .replacen(from, to, 1);
        let (line, column) = position(&text, at);
        assert_eq!(
            record,
            (
                "book.toml".to_string(),
                line,
                column,
                "config".to_string(),
                message.to_string(),
                help.to_string()
            ),
            "{to}"
        );
    }
}

#[test]
fn every_mistake_in_book_toml_is_reported_in_one_run_at_its_line() {
    let site = fixture("config-many-mistakes");
    let text = std::fs::read_to_string(site.path().join("book.toml")).expect("book.toml");
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1, "{diags}");
    let found: Vec<(u64, u64, String)> = records(&diags)
        .into_iter()
        .map(|(file, line, column, code, message, _)| {
            assert_eq!((file.as_str(), code.as_str()), ("book.toml", "config"));
            (line, column, message)
        })
        .collect();
    let at = |needle: &str, message: &str| {
        let (line, column) = position(&text, needle);
        (line, column, message.to_string())
    };
    assert_eq!(
        found,
        [
            at(
                "descripton",
                "unknown field `descripton`, expected one of `title`, `description`, `base_url`, `language`, `repository`, `branch`, `label`"
            ),
            at("enabeld", "unknown field `enabeld`, expected `enabled`"),
            at(
                "\"3000\"",
                "`port` must be a whole number, found text in quotes"
            ),
            at(
                "\"50\"",
                "`paginate_by` must be a whole number, found text in quotes"
            ),
            at(
                "\"yes\"",
                "`required` must be true or false, found text in quotes"
            ),
        ],
        "{diags}"
    );
    let helps: Vec<String> = records(&diags).into_iter().map(|r| r.5).collect();
    assert_eq!(
        helps,
        [
            "did you mean `description`? remove the key or fix its spelling; docs/config.md lists the keys each table accepts",
            "did you mean `enabled`? remove the key or fix its spelling; docs/config.md lists the keys each table accepts",
            "write digits, without quotes: `port = 3000`",
            "write digits, without quotes: `paginate_by = 50`",
            "write `required = true` or `required = false`, without quotes",
        ]
    );
}
