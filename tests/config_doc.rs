//! docs/config.md documents every key book.toml accepts, and no key it does not: for each
//! table, the keys serde names when it refuses an unknown one are exactly the keys in the first
//! column of that table's section. A key added to a config struct fails this test until it is
//! documented; a key removed fails it until its line goes.

use opsbook::config::Config;

const DOC: &str = include_str!("../docs/config.md");

/// The keys a table accepts, from the error an unknown key `zzz_unknown` in it gets.
fn accepted(book: &str) -> Vec<String> {
    let Err(diags) = Config::parse(book) else {
        panic!("an unknown key was accepted:\n{book}");
    };
    let message = &diags
        .first()
        .unwrap_or_else(|| panic!("no diagnostic for\n{book}"))
        .message;
    let (_, expected) = message
        .split_once("expected")
        .unwrap_or_else(|| panic!("no list of keys in `{message}`"));
    let mut keys: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    keys.sort();
    keys
}

/// The backticked keys in the first column of the table under `heading` (up to the next
/// heading of any level).
fn documented(heading: &str) -> Vec<String> {
    let start = DOC
        .lines()
        .position(|l| l == heading)
        .unwrap_or_else(|| panic!("docs/config.md has no heading `{heading}`"));
    let mut keys: Vec<String> = DOC
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .map(String::from)
        .collect();
    keys.sort();
    keys
}

#[test]
fn every_table_of_book_toml_is_documented_key_for_key() {
    let cases = [
        ("## Top level", "zzz_unknown = 1\n"),
        ("## `[book]`", "[book]\nzzz_unknown = 1\n"),
        ("## `[build]`", "[build]\nzzz_unknown = 1\n"),
        ("## `[markdown]`", "[markdown]\nzzz_unknown = 1\n"),
        ("## `[search]`", "[search]\nzzz_unknown = 1\n"),
        ("## `[serve]`", "[serve]\nzzz_unknown = 1\n"),
        ("## `[kubernetes]`", "[kubernetes]\nzzz_unknown = 1\n"),
        (
            "## `[collections.NAME]`",
            "[collections.x]\nzzz_unknown = 1\n",
        ),
        (
            "### `stale_after`",
            "[collections.x]\nstale_after = { field = \"k\", minors = 1, zzz_unknown = 1 }\n",
        ),
        (
            "### `matrix`",
            "[collections.x]\nmatrix = { rows = \"a\", columns = \"b\", zzz_unknown = 1 }\n",
        ),
        (
            "### `outcome`",
            "[collections.x]\noutcome = { field = \"a\", failed = \"b\", zzz_unknown = 1 }\n",
        ),
        (
            "## `[collections.NAME.fields]`",
            "[collections.x.fields]\na = { type = \"string\", zzz_unknown = 1 }\n",
        ),
        (
            "## `[taxonomies.NAME]`",
            "[taxonomies.t]\nzzz_unknown = 1\n",
        ),
    ];
    for (heading, book) in cases {
        assert_eq!(
            documented(heading),
            accepted(book),
            "docs/config.md, {heading}: documented keys (left) against the keys book.toml accepts (right)"
        );
    }
}

#[test]
fn book_toml_hints_name_the_reference() {
    let Err(diags) = Config::parse("[book]\ntitel = \"x\"\n") else {
        panic!("a misspelt key was accepted");
    };
    let help = diags
        .first()
        .and_then(|d| d.help.clone())
        .unwrap_or_default();
    assert!(help.contains("docs/config.md"), "{help}");
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/config.md")
            .is_file()
    );
}
