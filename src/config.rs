//! `book.toml`: the site's settings and the schema of every collection. Owns finding the site
//! root, parsing the file strictly (an unknown key is an error with its line) and checking
//! that the schemas make sense, with every default in one place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, closest};

pub const CONFIG_FILE: &str = "book.toml";

/// The whole `book.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub book: BookConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub serve: ServeConfig,
    #[serde(default)]
    pub collections: IndexMap<String, CollectionConfig>,
    #[serde(default)]
    pub taxonomies: IndexMap<String, TaxonomyConfig>,
    #[serde(default)]
    pub kubernetes: KubernetesConfig,
    /// Free-form values handed to templates as `config.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BookConfig {
    pub title: String,
    pub description: String,
    /// Absolute URL of the published site; its path is the prefix of every link.
    pub base_url: String,
    pub language: String,
    /// Repository URL for "Edit this page" links (GitHub/GitLab style `/edit/main/…`).
    pub repository: Option<String>,
    /// Branch used in edit links.
    pub branch: String,
    /// The entry field that says what kind of page an entry is (`provenance`: example,
    /// community, …): shown beside each search result and in each feed entry, where the page's
    /// own badge is not seen, so an invented example never passes for a real report.
    pub label: Option<String>,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "Untitled site".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            repository: None,
            branch: "main".into(),
            label: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    /// Content folder, relative to the root.
    pub content: String,
    /// Output folder, relative to the root.
    pub output: String,
    /// Theme name: `themes/<theme>/`; "clusterops" falls back to the built-in copy.
    pub theme: Option<String>,
    /// Publish drafts (same as `--drafts`).
    pub drafts: bool,
    /// Every top-level content folder must be a declared collection: a folder without
    /// `[collections.X]` is an error instead of a schema-less collection.
    pub strict_collections: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content: "content".into(),
            output: "public".into(),
            theme: Some(crate::theme::DEFAULT_THEME.into()),
            drafts: false,
            strict_collections: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Let raw HTML in Markdown through unsanitized. Off: contributors are untrusted.
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// Highlight fenced code at build time (CSS classes, light and dark).
    pub highlight: bool,
    pub highlight_theme_light: String,
    pub highlight_theme_dark: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: false,
            smart_punctuation: true,
            highlight: true,
            highlight_theme_light: "github-light".into(),
            highlight_theme_dark: "github-dark".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServeConfig {
    pub bind: String,
    pub port: u16,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: "127.0.0.1".into(),
            port: 3000,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesConfig {
    /// The current Kubernetes minor version, e.g. "1.34".
    pub current: Option<String>,
    /// A TOML file (relative to the site root) with every minor release: release date, end of
    /// upstream support and a source for each (see `versions`).
    pub versions: Option<String>,
    /// The taxonomy whose terms are Kubernetes versions: its pages become the versions pages.
    /// Default "kubernetes".
    pub taxonomy: Option<String>,
}

impl KubernetesConfig {
    /// The versions taxonomy's name.
    pub fn taxonomy(&self) -> &str {
        self.taxonomy.as_deref().unwrap_or("kubernetes")
    }
}

/// `[collections.NAME]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    /// Folder under `content/`; defaults to the collection's name.
    pub dir: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// "title", "date" (newest first), "weight" or any field name.
    pub sort_by: Option<String>,
    pub paginate_by: Option<usize>,
    /// Template of the collection's index page.
    pub template: Option<String>,
    /// Template of each entry.
    pub page_template: Option<String>,
    pub stale_after: Option<StaleAfter>,
    /// A table on the collection's index page (`listing.matrix`): a row per value of one field,
    /// a column per value of another, each cell linking to the entry.
    pub matrix: Option<MatrixConfig>,
    /// Field naming a CSV file (`question,answer,count`) beside each entry, drawn as bar charts
    /// at build time (`page.charts`).
    pub charts: Option<String>,
    /// Integer field holding how many people answered (`respondents`): no answer of the
    /// `charts` file may count more, which `check` reports at the row.
    pub respondents: Option<String>,
    /// A run's result and its count of failed tests, which must agree (`result = "pass"` with
    /// `failed = 3` is an error at `result`).
    pub outcome: Option<OutcomeConfig>,
    /// Without `fields` the collection accepts any front matter.
    pub fields: Option<IndexMap<String, Spanned<FieldSpec>>>,
}

impl CollectionConfig {
    /// (setting, field) for each field a collection setting names (`sort_by`, `stale_after`,
    /// `matrix`, `charts`, `respondents`, `outcome`), which must be one of its fields.
    fn named_fields(&self) -> Vec<(&'static str, &str)> {
        let mut named: Vec<(&'static str, &str)> = Vec::new();
        if let Some(stale) = &self.stale_after {
            named.push(("stale_after", &stale.field));
        }
        if let Some(m) = &self.matrix {
            named.push(("matrix", &m.rows));
            named.push(("matrix", &m.columns));
            if let Some(v) = &m.value {
                named.push(("matrix", v));
            }
        }
        if let Some(c) = &self.charts {
            named.push(("charts", c));
        }
        if let Some(r) = &self.respondents {
            named.push(("respondents", r));
        }
        if let Some(o) = &self.outcome {
            named.push(("outcome", &o.field));
            named.push(("outcome", &o.failed));
        }
        if let Some(sort) = &self.sort_by {
            named.push(("sort_by", sort));
        }
        named
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaleAfter {
    pub field: String,
    pub minors: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// Field whose values label the rows (e.g. `product`).
    pub rows: String,
    /// Field whose values label the columns (e.g. `kubernetes`); versions sort numerically.
    pub columns: String,
    /// Field shown in each cell (e.g. `result`); without it a cell shows the entry's title.
    pub value: Option<String>,
}

/// `outcome = { field = "result", pass = "pass", failed = "failed" }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeConfig {
    /// Field holding the run's result (e.g. `result`).
    pub field: String,
    /// The result's value for a run that passed; default "pass".
    pub pass: Option<String>,
    /// Integer field counting the tests that failed (e.g. `failed`).
    pub failed: String,
}

impl OutcomeConfig {
    /// The result's value for a run that passed.
    pub fn pass(&self) -> &str {
        self.pass.as_deref().unwrap_or("pass")
    }
}

/// One field of a schema: `{ type = "enum", values = [...], required = true, ... }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    /// Required on every entry that does not set this other field (e.g. `provenance` is
    /// required unless the entry was imported and carries `source`).
    pub required_unless: Option<String>,
    #[serde(default)]
    pub values: Vec<String>,
    pub to: Option<String>,
    pub of: Option<FieldType>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(default)]
    pub index: bool,
    pub taxonomy: Option<String>,
    /// What to write; shown by `new` in placeholders and by `check` in hints.
    pub help: Option<String>,
    /// What readers see the field called ("CNCF maturity" for `cncf`): the theme's panels
    /// (`page.labels`) and search results both use it. Default: [`default_label`].
    pub label: Option<String>,
    /// What readers see each value of an enum field called (`stacked-etcd = "Stacked etcd"`):
    /// panels, cards, facets and search results all use it ([`Config::value_label`]). A value
    /// not named here is shown as written.
    pub value_labels: Option<IndexMap<String, String>>,
}

impl FieldSpec {
    /// Whether an entry must set this field, given a test of which fields it sets.
    pub fn required_in(&self, sets: impl Fn(&str) -> bool) -> bool {
        self.required
            || self
                .required_unless
                .as_deref()
                .is_some_and(|other| !sets(other))
    }

    /// The type of each value: the list's `of`, or the field's own type.
    pub fn item_type(&self) -> FieldType {
        match self.kind {
            FieldType::List => self.of.unwrap_or(FieldType::String),
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Url,
    Enum,
    Ref,
    List,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Url => "url",
            FieldType::Enum => "enum",
            FieldType::Ref => "ref",
            FieldType::List => "list",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    /// What readers see each term called (`bare-metal = "Bare metal"`), keyed by the term as
    /// entries write it: term pages and lists, panels, cards and search results all use it
    /// ([`Config::term_label`]). A term not named here is shown as written; its URL keeps the
    /// term's slug either way.
    pub labels: Option<IndexMap<String, String>>,
}

/// A field's name as a label when its schema gives none: underscores as spaces, the first
/// letter capitalized and the rest lowercase (`last_reviewed` → "Last reviewed").
pub fn default_label(field: &str) -> String {
    let spaced = field.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| {
            c.to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// Built-in front-matter keys every page accepts.
pub const BUILTIN_FIELDS: &[&str] = &[
    "title",
    "date",
    "draft",
    "slug",
    "aliases",
    "weight",
    "template",
    "description",
    "updated",
];

/// Built-ins a schema may not redeclare (the others — `description`, `updated`, `template` —
/// take the schema's definition when a collection declares them).
pub const RESERVED_FIELDS: &[&str] = &["title", "date", "draft", "slug", "aliases", "weight"];

/// A TOML syntax error in `book.toml` said in plain words, as in front matter (`a quoted string
/// is never closed`); `None` for errors of the values' types, or when there are no plainer words.
fn plain_syntax_error(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    raw: &str,
) -> Option<Diagnostic> {
    let data = [
        "invalid type",
        "invalid value",
        "missing field",
        "unknown variant",
    ];
    if data.iter().any(|p| raw.starts_with(p)) {
        return None;
    }
    let mut d = crate::content::front_matter::toml_error(CONFIG_FILE, text, span?, raw);
    if d.message.starts_with("the TOML front matter") {
        return None;
    }
    d.code = "config";
    Some(d)
}

/// The key of the value at byte `at` of `book.toml`: what stands before `=` on the value's
/// line (the last part of a dotted key); whether the value is an item of a list; and where
/// its line starts.
fn key_of_value(text: &str, at: usize) -> Option<(&str, bool, usize)> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    // In an inline table (`x = { type = "enum", values = ["a", 3] }`) the key is the last one
    // before the value; a value after `[` is an item of a list.
    let (key, between) = text.get(line_start..at)?.rsplit_once('=')?;
    let key = key.rsplit(['.', ',', '{']).next()?.trim().trim_matches('"');
    if key.is_empty() {
        return None;
    }
    Some((key, between.contains('['), line_start))
}

/// A whole number out of its type's range in `book.toml` (serde's "invalid value: integer
/// \`99999\`, expected u16" at byte `at`, the value) as the range in words, with an example
/// in range: the number without its sign if that fits, else the largest that does (for
/// `port`, the default 3000; `port` is from 1, as 0 would mean any free port).
fn value_range_error(text: &str, at: usize, raw: &str) -> Option<(String, String)> {
    let (found, expected) = raw
        .strip_prefix("invalid value: integer `")?
        .split_once("`, expected ")?;
    let number: i128 = found.parse().ok()?;
    let (key, _, _) = key_of_value(text, at)?;
    let (low, high): (i128, Option<i128>) = match expected.trim() {
        "u8" => (0, Some(u8::MAX.into())),
        "u16" => (0, Some(u16::MAX.into())),
        "u32" => (0, Some(u32::MAX.into())),
        // A TOML integer is at most i64::MAX, so only a number below 0 is out of range.
        "u64" | "usize" => (0, None),
        _ => return None,
    };
    let range = match high {
        Some(high) => format!("from {low} to {high}"),
        None => format!("of {low} or more"),
    };
    let wanted = if key == "port" {
        // `serve` binds port 0 as any free port, as `--port 0` does.
        format!("a port number {range} (0 picks any free port)")
    } else {
        format!("a whole number {range}")
    };
    let example = if key == "port" {
        3000
    } else {
        let size = number.abs();
        match high {
            Some(high) if size > high => high,
            _ => size.max(low),
        }
    };
    Some((
        format!("`{key}` must be {wanted}, found {number}"),
        format!("write {wanted}: `{key} = {example}`"),
    ))
}

/// A table header written with double brackets (`[[book]]`, a TOML array of tables) where
/// `book.toml` takes one table: serde says "invalid type: map, expected …" with `span` on the
/// header. The message names the header and the fix is the single-bracket one.
fn array_of_tables_error(
    text: &str,
    span: Option<&std::ops::Range<usize>>,
    raw: &str,
) -> Option<(String, String)> {
    if !raw.starts_with("invalid type: map") {
        return None;
    }
    let header = text.get(span?.clone())?.trim();
    let name = header.strip_prefix("[[")?.strip_suffix("]]")?.trim();
    let last = name.rsplit('.').next()?.trim().trim_matches('"');
    Some((
        format!(
            "`{header}` starts a list of `{last}` tables, but book.toml takes one `[{name}]` table"
        ),
        format!("write `[{name}]` once, with single brackets, and put all its keys under it"),
    ))
}

/// A value of the wrong type in `book.toml` (serde's "invalid type: string \"50\", expected
/// usize" at byte `at`, the value) in plain words, with a hint in book.toml's syntax, as front
/// matter's type errors have (`write digits, without quotes: \`paginate_by = 50\``).
fn value_type_error(text: &str, at: usize, raw: &str) -> Option<(String, String)> {
    let (found, expected) = raw
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?;
    let (key, in_list, line_start) = key_of_value(text, at)?;
    // The table the key is in: the last `[header]` above it.
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    // The value as serde quotes it: `string "50"`, `floating point \`2.5\``.
    let value = found
        .find(['"', '`'])
        .and_then(|i| {
            let rest = found.get(i + 1..)?;
            rest.rfind(['"', '`']).and_then(|j| rest.get(..j))
        })
        .unwrap_or("");
    let found_words = match found.split([' ', '`', '"']).next().unwrap_or("") {
        "string" => "text in quotes",
        "integer" => "a whole number",
        "floating" => "a decimal number",
        "boolean" => "true or false",
        "sequence" => "a list",
        "map" => "a table",
        _ => found,
    };
    let set = |v: &str| format!("`{key} = {v}`");
    let (wanted, help) = match expected.trim() {
        "usize" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            let example = value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map_or_else(|| "10".to_string(), |n| (n.round() as u64).to_string());
            (
                "a whole number",
                format!("write digits, without quotes: {}", set(&example)),
            )
        }
        "f32" | "f64" => (
            "a number",
            format!(
                "write digits, without quotes: {}",
                set(value.parse::<f64>().map_or("1.5", |_| value))
            ),
        ),
        "a boolean" => (
            "true or false",
            format!("write {} or {}, without quotes", set("true"), set("false")),
        ),
        "a string" if found_words == "a list" || found_words == "a table" => (
            "text in quotes",
            format!("write one value in quotes: {}", set("\"…\"")),
        ),
        "a string" => (
            "text in quotes",
            format!("quote it: {}", set(&format!("\"{value}\""))),
        ),
        "a sequence" => (
            "a list",
            format!(
                "write a list, even of one: {}",
                set(&if value.is_empty() {
                    "[\"…\"]".to_string()
                } else {
                    format!("[\"{value}\"]")
                })
            ),
        ),
        e if e.starts_with("struct ") || e == "a map" => {
            let name = table.map_or_else(|| key.to_string(), |t| format!("{t}.{key}"));
            (
                "a table",
                format!(
                    "`{key}` holds keys of its own: write them under a `[{name}]` line, or inline as {}",
                    set("{ … }")
                ),
            )
        }
        _ => return None,
    };
    if in_list {
        // The hint's example is the whole key; the item alone is what to change.
        let example = if wanted == "text in quotes" {
            format!(": `{key} = [\"a\", \"b\"]`")
        } else {
            String::new()
        };
        return Some((
            format!("each item of `{key}` must be {wanted}, found {found_words}"),
            format!("write every item of the list as {wanted}{example}"),
        ));
    }
    Some((
        format!("`{key}` must be {wanted}, found {found_words}"),
        help,
    ))
}

/// A TOML or serde error in `book.toml` (`message` at `span`) as a `config` record in plain
/// words, with a hint: the unclosed list, the nearest key for an unknown one, the type and an
/// example for a wrong type, or how book.toml is written.
fn toml_diagnostic(text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> Diagnostic {
    let message = message.trim();
    let start = span.as_ref().map_or(0, |s| s.start);
    let mut d = Diagnostic::at(
        CONFIG_FILE,
        text,
        span.clone().unwrap_or(0..0),
        "config",
        message,
    );
    if let Some(at) = crate::content::front_matter::unclosed_list(text)
        && at <= start
    {
        d = crate::content::front_matter::unclosed_list_error(CONFIG_FILE, text, at, "config");
    } else if let Some(rest) = message.strip_prefix("unknown field") {
        let fix = did_you_mean(rest).map_or_else(
            || "remove the key or fix its spelling".to_string(),
            |c| format!("did you mean `{c}`? remove the key or fix its spelling"),
        );
        d = d.help(format!(
            "{fix}; docs/config.md lists the keys each table accepts"
        ));
    } else if let Some(rest) = message.strip_prefix("unknown variant") {
        d = d.help(did_you_mean(rest).map_or_else(
            || "write one of the values the message lists, in quotes".to_string(),
            |c| format!("did you mean `{c}`?"),
        ));
    } else if let Some(rest) = message.strip_prefix("missing field") {
        let key = rest.split('`').nth(1).unwrap_or("…");
        d = d.help(format!(
            "add `{key} = …` to this table; docs/config.md lists the keys each table accepts"
        ));
    } else if let Some(plain) = plain_syntax_error(text, span.clone(), message) {
        d = plain;
    } else if let Some((plain, help)) = array_of_tables_error(text, span.as_ref(), message)
        .or_else(|| value_type_error(text, start, message))
        .or_else(|| value_range_error(text, start, message))
    {
        d.message = plain;
        d = d.help(help);
    }
    if d.help.is_none() {
        d = d.help("book.toml is TOML: each line is `key = value`, text in double quotes, tables as `[name]`; docs/config.md lists every key");
    }
    d
}

/// The nearest of the names serde lists after the one it refused (the rest of "unknown field
/// `titel`, expected one of `title`, `description`, …" after its first words).
fn did_you_mean(rest: &str) -> Option<&str> {
    let (refused, expected) = rest.split_once("expected")?;
    let refused = refused.split('`').nth(1)?;
    closest(refused, expected.split('`').skip(1).step_by(2))
}

/// The keys (table by table) of the parts of `book.toml` left out because they had errors, so
/// that [`Config::validate`] says nothing that only follows from leaving them out.
#[derive(Debug, Default)]
struct Skipped(Vec<Vec<String>>);

impl Skipped {
    /// Whether the entry at `path` (`["collections", "tools", "fields"]`) lost a key, or was
    /// left out itself or with a table holding it.
    fn touches(&self, path: &[&str]) -> bool {
        self.0
            .iter()
            .any(|lost| lost.iter().zip(path).all(|(a, b)| a == b))
    }

    /// Whether any collection's schema lost a field, or a collection was left out whole.
    fn any_schema(&self) -> bool {
        self.0.iter().any(|lost| {
            lost.first().is_some_and(|t| t == "collections")
                && lost.get(2).is_none_or(|k| k == "fields")
        })
    }
}

/// Deserializes `book.toml` collecting every error, not only the first: serde stops at the
/// first unknown key or wrong type, so each time it does, the entry it stopped at (found by
/// the error's span in the spanned document) is recorded and left out, and serde runs again
/// on the rest. The structs stay the one list of keys, types and defaults. An error that only
/// follows from an entry left out before (a table missing the key just removed) is not
/// reported twice. A syntax error stops at once: there is no document to go on with.
fn parse_collecting(text: &str) -> Result<(Config, Vec<Diagnostic>, Skipped), Vec<Diagnostic>> {
    use serde::Deserialize as _;
    let mut doc = toml::de::DeTable::parse(text)
        .map_err(|e| vec![toml_diagnostic(text, e.span(), e.message())])?;
    let mut diags = Vec::new();
    let mut skipped = Skipped::default();
    loop {
        let error = match Config::deserialize(toml::de::Deserializer::from(doc.clone())) {
            Ok(config) => return Ok((config, diags, skipped)),
            Err(e) => e,
        };
        let path = error
            .span()
            .and_then(|at| entry_at(doc.get_ref(), &at))
            .filter(|path| remove_entry(doc.get_mut(), path));
        let Some(path) = path else {
            // Nothing to leave out (no span, or the whole document): report it and stop.
            diags.push(toml_diagnostic(text, error.span(), error.message()));
            return Err(diags);
        };
        if !skipped.0.iter().any(|earlier| earlier.starts_with(&path)) {
            diags.push(toml_diagnostic(text, error.span(), error.message()));
        }
        skipped.0.push(path);
    }
}

/// The keys leading to the innermost entry of `table` whose key or value holds the byte
/// range `at`.
fn entry_at(table: &toml::de::DeTable<'_>, at: &std::ops::Range<usize>) -> Option<Vec<String>> {
    let within = |s: std::ops::Range<usize>| s.start <= at.start && at.end <= s.end;
    let inner = table.iter().find_map(|(key, value)| match value.get_ref() {
        toml::de::DeValue::Table(t) => entry_at(t, at).map(|mut path| {
            path.insert(0, key.get_ref().to_string());
            path
        }),
        _ => None,
    });
    inner.or_else(|| {
        table
            .iter()
            .find(|(k, v)| within(k.span()) || within(v.span()))
            .map(|(k, _)| vec![k.get_ref().to_string()])
    })
}

/// Removes the entry at `path` from `table`; whether there was one.
fn remove_entry(table: &mut toml::de::DeTable<'_>, path: &[String]) -> bool {
    match path {
        [] => false,
        [key] => table.remove(key.as_str()).is_some(),
        [key, rest @ ..] => table
            .iter_mut()
            .find(|(k, _)| k.get_ref() == key)
            .is_some_and(|(_, v)| match v.get_mut() {
                toml::de::DeValue::Table(t) => remove_entry(t, rest),
                _ => false,
            }),
    }
}

impl Config {
    /// Parses `book.toml` text. Returns the config, or the diagnostics that stop the build:
    /// every mistake in one run, each at its own line (see [`parse_collecting`]), then what
    /// [`Config::validate`] finds in the parts that did parse.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let (config, mut diags, broken) = parse_collecting(text)?;
        diags.extend(config.validate(text, &broken));
        if diags.is_empty() {
            Ok(config)
        } else {
            Err(diags)
        }
    }

    /// Loads `<root>/book.toml`.
    pub fn load(root: &Path) -> Result<Config, LoadError> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| LoadError::Io(path.clone(), e))?;
        Config::parse(&text).map_err(LoadError::Invalid)
    }

    /// Collection by name.
    pub fn collection(&self, name: &str) -> Option<&CollectionConfig> {
        self.collections.get(name)
    }

    /// What readers see `field` of `collection` called: its schema's `label`, else
    /// [`default_label`]. The one name a page's panel and search results give it.
    pub fn field_label(&self, collection: Option<&str>, field: &str) -> String {
        self.field_spec(collection, field)
            .and_then(|spec| spec.label.clone())
            .unwrap_or_else(|| default_label(field))
    }

    /// The schema of `field` of `collection`, when it declares one.
    fn field_spec(&self, collection: Option<&str>, field: &str) -> Option<&FieldSpec> {
        collection
            .and_then(|c| self.collection(c))
            .and_then(|c| c.fields.as_ref())
            .and_then(|fields| fields.get(field))
            .map(Spanned::get_ref)
    }

    /// `field` of `collection` named inside a sentence or a title ("Tool catalog by CNCF
    /// maturity"): its schema's `label` as written, else the name with `_` as spaces, in
    /// lowercase ("control plane").
    pub fn field_words(&self, collection: Option<&str>, field: &str) -> String {
        self.field_spec(collection, field)
            .and_then(|spec| spec.label.clone())
            .unwrap_or_else(|| field.replace('_', " "))
    }

    /// What readers see `value` of `field` of `collection` called: its schema's
    /// `value_labels` entry, else (for a field of a taxonomy) the taxonomy's `labels` entry,
    /// else the value as written.
    pub fn value_label<'a>(
        &'a self,
        collection: Option<&str>,
        field: &str,
        value: &'a str,
    ) -> &'a str {
        let Some(spec) = self.field_spec(collection, field) else {
            return value;
        };
        match (&spec.value_labels, &spec.taxonomy) {
            (Some(labels), _) => labels.get(value).map_or(value, String::as_str),
            (None, Some(taxonomy)) => self.term_label(taxonomy, value),
            (None, None) => value,
        }
    }

    /// What readers see `term` of `taxonomy` called: the taxonomy's `labels` entry, else the
    /// term as written.
    pub fn term_label<'a>(&'a self, taxonomy: &str, term: &'a str) -> &'a str {
        self.taxonomies
            .get(taxonomy)
            .and_then(|t| t.labels.as_ref())
            .and_then(|labels| labels.get(term))
            .map_or(term, String::as_str)
    }

    /// The collection whose folder is `dir` (a top-level folder of `content/`).
    pub fn collection_for_dir(&self, dir: &str) -> Option<&str> {
        self.collections
            .iter()
            .find(|(name, c)| c.dir.as_deref().unwrap_or(name) == dir)
            .map(|(name, _)| name.as_str())
    }

    /// The path prefix of `base_url` ("/docs" for "https://x.org/docs/"), without a trailing slash.
    pub fn base_path(&self) -> String {
        let url = self.book.base_url.trim();
        let path = match url.find("://") {
            Some(i) => {
                let rest = &url[i + 3..];
                rest.find('/').map_or("", |j| &rest[j..])
            }
            None => url,
        };
        path.trim_end_matches('/').to_string()
    }

    /// `base_url` without a trailing slash, for absolute links in feeds and the sitemap.
    pub fn base_url_trimmed(&self) -> &str {
        self.book.base_url.trim().trim_end_matches('/')
    }

    /// `base_url` without a scheme (`clusterops.github.io/opsbook/`) would make every link a
    /// relative path that breaks one folder down: an error at its line.
    fn base_url_diagnostic(&self, text: &str) -> Option<Diagnostic> {
        let url = self.book.base_url.trim();
        let why = base_url_problem(url)?;
        let at = text
            .find("base_url")
            .map_or(0..0, |i| i..i + "base_url".len());
        Some(
            Diagnostic::at(
                CONFIG_FILE,
                text,
                at,
                "config",
                format!("`base_url = \"{url}\"` {why}"),
            )
            .help(format!(
                "write `base_url = \"https://{}\"`, or `/` for a site served at the root",
                url.trim_start_matches('/')
            )),
        )
    }

    /// `[book] label` naming no string or enum field of any collection: an error at its line.
    fn label_diagnostic(&self, text: &str) -> Option<Diagnostic> {
        let label = self.book.label.as_ref()?;
        let fields = || {
            self.collections
                .values()
                .filter_map(|c| c.fields.as_ref())
                .flat_map(|f| f.iter())
                .filter(|(_, spec)| {
                    matches!(spec.get_ref().kind, FieldType::String | FieldType::Enum)
                })
                .map(|(name, _)| name.as_str())
        };
        if fields().any(|f| f == label) {
            return None;
        }
        let at = key_span(text, "book", "label");
        let help = closest(label, fields()).map_or_else(
            || {
                "name a text field the collections declare (a string or enum), e.g. `provenance`"
                    .to_string()
            },
            |c| format!("did you mean `{c}`?"),
        );
        Some(
            Diagnostic::at(
                CONFIG_FILE,
                text,
                at,
                "config",
                format!(
                    "`label = \"{label}\"` names no text field (string or enum) of any collection"
                ),
            )
            .help(help),
        )
    }

    /// Checks what serde cannot: references between collections, enum values, taxonomies.
    fn validate(&self, text: &str, skipped: &Skipped) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let header = |name: &str| {
            let needle = format!("[collections.{name}]");
            text.find(&needle).map_or(0..0, |i| i..i + needle.len())
        };
        let names: Vec<&str> = self.collections.keys().map(String::as_str).collect();
        if !skipped.any_schema() {
            diags.extend(self.label_diagnostic(text));
        }
        diags.extend(self.base_url_diagnostic(text));
        let mut dirs: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, coll) in &self.collections {
            // What follows from a key left out for its error is not reported again.
            let lost = |key: &str| skipped.touches(&["collections", name, key]);
            let dir = coll.dir.as_deref().unwrap_or(name);
            if !lost("dir") {
                diags.extend(dir_diagnostics(text, name, dir, header(name), &mut dirs));
            }
            let Some(fields) = &coll.fields else { continue };
            // A field left out makes names of it look unknown; a field that lost a key
            // (`values` of the wrong type) looks incomplete.
            let fields_lost = lost("fields");
            for (field, spec) in fields {
                if skipped.touches(&["collections", name, "fields", field]) {
                    continue;
                }
                let span = spec.span();
                let spec = spec.get_ref();
                let mut bad = |msg: String, help: Option<String>| {
                    let mut d = Diagnostic::at(CONFIG_FILE, text, span.clone(), "config", msg);
                    if let Some(h) = help {
                        d = d.help(h);
                    }
                    diags.push(d);
                };
                if RESERVED_FIELDS.contains(&field.as_str()) {
                    bad(
                        format!("`{field}` is a built-in field and cannot be redeclared"),
                        Some(format!("built-in fields: {}", RESERVED_FIELDS.join(", "))),
                    );
                }
                let item = spec.item_type();
                if spec.kind == FieldType::List && spec.of.is_none() {
                    bad(
                        format!("list field `{field}` needs `of`"),
                        Some("e.g. of = \"string\"".into()),
                    );
                }
                if spec.of == Some(FieldType::List) {
                    bad(
                        format!("field `{field}`: lists of lists are not supported"),
                        None,
                    );
                }
                if item == FieldType::Enum && spec.values.is_empty() {
                    bad(
                        format!("enum field `{field}` needs `values`"),
                        Some("e.g. values = [\"a\", \"b\"]".into()),
                    );
                }
                if let Some(labels) = &spec.value_labels {
                    if item != FieldType::Enum {
                        bad(
                            format!("field `{field}` has `value_labels` but is not an enum"),
                            Some("`value_labels` names the values of an enum field".into()),
                        );
                    }
                    for value in labels.keys().filter(|v| !spec.values.contains(v)) {
                        bad(
                            format!(
                                "`value_labels` of field `{field}` names `{value}`, which is not one of its values"
                            ),
                            closest(value, spec.values.iter().map(String::as_str))
                                .map(|c| format!("did you mean `{c}`?")),
                        );
                    }
                }
                if item == FieldType::Ref {
                    match &spec.to {
                        None => bad(
                            format!("ref field `{field}` needs `to`"),
                            Some("to = the name of a collection".into()),
                        ),
                        Some(to)
                            if !self.collections.contains_key(to)
                                && !skipped.touches(&["collections", to]) =>
                        {
                            bad(
                                format!("field `{field}` refers to unknown collection `{to}`"),
                                closest(to, names.iter().copied())
                                    .map(|c| format!("did you mean `{c}`?")),
                            );
                        }
                        _ => {}
                    }
                }
                if let Some(other) = &spec.required_unless
                    && (other == field || !fields.contains_key(other) && !fields_lost)
                {
                    bad(
                        format!(
                            "field `{field}` is required unless `{other}`, which is not one of this collection's other fields"
                        ),
                        closest(
                            other,
                            fields.keys().map(String::as_str).filter(|f| f != field),
                        )
                        .map(|c| format!("did you mean `{c}`?")),
                    );
                }
                if let Some(tax) = &spec.taxonomy
                    && !self.taxonomies.contains_key(tax)
                    && !skipped.touches(&["taxonomies", tax])
                {
                    bad(
                        format!("field `{field}` feeds taxonomy `{tax}`, which is not declared"),
                        Some(format!("add a [taxonomies.{tax}] table")),
                    );
                }
            }
            for (key, field) in coll.named_fields() {
                // `sort_by` also takes the built-in `title`, `date` and `weight`.
                let builtin = key == "sort_by" && RESERVED_FIELDS.contains(&field);
                if !fields.contains_key(field) && !builtin && !fields_lost {
                    let mut d = Diagnostic::at(
                        CONFIG_FILE,
                        text,
                        header(name),
                        "config",
                        format!("{key} names unknown field `{field}`"),
                    );
                    let sorts = if key == "sort_by" {
                        &["title", "date", "weight"][..]
                    } else {
                        &[]
                    };
                    let known = fields
                        .keys()
                        .map(String::as_str)
                        .chain(sorts.iter().copied());
                    if let Some(c) = closest(field, known) {
                        d = d.help(format!("did you mean `{c}`?"));
                    }
                    diags.push(d);
                }
            }
        }
        diags
    }
}

/// A collection's `dir` that is not one folder under content/, or that another collection
/// already uses (`dirs`: folder → collection, filled as collections are checked).
fn dir_diagnostics<'a>(
    text: &str,
    name: &'a str,
    dir: &'a str,
    header: std::ops::Range<usize>,
    dirs: &mut BTreeMap<&'a str, &'a str>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if dir.is_empty() || dir.contains(['/', '\\']) || dir == "." || dir == ".." {
        diags.push(
            Diagnostic::at(
                CONFIG_FILE,
                text,
                header.clone(),
                "config",
                format!("collection `{name}` has an invalid dir `{dir}`"),
            )
            .help("`dir` names one folder directly under content/"),
        );
    }
    if let Some(other) = dirs.insert(dir, name) {
        diags.push(Diagnostic::at(
            CONFIG_FILE,
            text,
            header,
            "config",
            format!("collections `{other}` and `{name}` both use the folder `{dir}`"),
        ));
    }
    diags
}

impl Config {
    /// A warning for each `[taxonomies.X] labels` key no entry writes as a term of X (`used`
    /// gives the terms as written, by taxonomy): the label is shown nowhere, and the term it was
    /// meant for, when the key is a typo, goes unlabelled. At the key in book.toml's `text`,
    /// with the used term it most likely meant.
    pub fn unused_term_labels(
        &self,
        text: &str,
        used: &BTreeMap<&str, BTreeSet<&str>>,
    ) -> Vec<Diagnostic> {
        let doc = toml_edit::Document::parse(text).ok();
        let mut diags = Vec::new();
        for (taxonomy, tax) in &self.taxonomies {
            let Some(labels) = &tax.labels else { continue };
            let terms = used.get(taxonomy.as_str());
            for term in labels.keys() {
                if terms.is_some_and(|t| t.contains(term.as_str())) {
                    continue;
                }
                let span = doc
                    .as_ref()
                    .and_then(|d| d.as_table().get("taxonomies")?.get(taxonomy)?.get("labels"))
                    .and_then(|l| l.as_table_like()?.key(term)?.span())
                    .unwrap_or(0..0);
                let near = terms.and_then(|t| closest(term, t.iter().copied()));
                let help = match near {
                    Some(near) => format!(
                        "did you mean `{near}`? Write the term as entries write it, or remove the label"
                    ),
                    None => "write the term as entries write it, or remove the label".to_string(),
                };
                diags.push(
                    Diagnostic::at(
                        CONFIG_FILE,
                        text,
                        span,
                        "unused-label",
                        format!(
                            "`labels` of taxonomy `{taxonomy}` names `{term}`, which no entry uses"
                        ),
                    )
                    .help(help)
                    .warning(),
                );
            }
        }
        diags
    }
}

/// The byte range of `key` in the `[table]` of book.toml's `text` (`0..0` when it is not there).
pub(crate) fn key_span(text: &str, table: &str, key: &str) -> std::ops::Range<usize> {
    let header = format!("[{table}]");
    let mut offset = 0;
    let mut in_table = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_table = t.starts_with(&header);
        } else if in_table
            && t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        {
            let start = offset + (line.len() - t.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    0..0
}

/// What is wrong with a base URL that is neither a path from the root (`/`, `/docs/`) nor an
/// address with a scheme (`https://x.org/docs/`); `None` when it is one of those.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('/') {
        return None;
    }
    match url.split_once("://") {
        Some((scheme, host)) if !scheme.is_empty() && !host.is_empty() => None,
        _ => Some("has no scheme: every link would be relative and break"),
    }
}

/// Why `book.toml` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("book.toml has errors")]
    Invalid(Vec<Diagnostic>),
}

/// The nearest folder from `start` upward that holds `book.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_span_finds_the_key_in_its_table_only() {
        let text = "[book]\ntheme = \"no\"\n[build]\n  theme= \"x\"\n";
        let at = key_span(text, "build", "theme");
        assert_eq!(&text[at.clone()], "theme");
        assert_eq!(at.start, text.rfind("theme").unwrap_or(0));
        assert_eq!(key_span(text, "serve", "theme"), 0..0);
    }

    #[test]
    fn unknown_key_names_the_line() {
        let text = "[book]\ntitle = \"x\"\ntitel = \"y\"\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message.contains("titel"), "{}", diags[0].message);
    }

    #[test]
    fn schema_problems_are_reported() {
        let text =
            "[collections.a.fields]\nx = { type = \"ref\", to = \"toolz\" }\n[collections.tools]\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 2);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `tools`?"));
    }

    #[test]
    fn outcome_and_respondents_must_name_fields() {
        let text = "[collections.runs]\noutcome = { field = \"result\", failed = \"fialed\" }\nrespondents = \"people\"\n[collections.runs.fields]\nresult = { type = \"enum\", values = [\"pass\"] }\nfailed = { type = \"integer\" }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "respondents names unknown field `people`",
                "outcome names unknown field `fialed`"
            ]
        );
        assert_eq!(diags[1].help.as_deref(), Some("did you mean `failed`?"));
    }

    #[test]
    fn a_list_never_closed_is_named_at_its_bracket() {
        let text = "[collections.notes.fields]\noutcome = { type = \"enum\", values = [\"a\", \"b\", required = true }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].column), (2, 37), "{diags:?}");
        assert_eq!(diags[0].message, "this list is never closed: add `]`");
        assert_eq!(diags[0].code, "config");
    }

    #[test]
    fn a_base_url_without_a_scheme_is_an_error_at_its_line() {
        let text = "[book]\ntitle = \"x\"\nbase_url = \"clusterops.github.io/opsbook/\"\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message.contains("no scheme"), "{diags:?}");
        assert!(
            diags[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("https://clusterops.github.io/opsbook/")
        );
        for ok in [
            "/",
            "/docs/",
            "https://x.org/docs/",
            "http://127.0.0.1:8000/",
        ] {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn a_misspelt_sort_by_is_an_error_with_the_name_it_meant() {
        let text = "[collections.notes]\nsort_by = \"titel\"\n[collections.notes.fields]\nx = { type = \"string\" }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]
                .message
                .contains("sort_by names unknown field `titel`"),
            "{diags:?}"
        );
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
        let text = "[collections.notes]\nsort_by = \"weight\"\n[collections.notes.fields]\nx = { type = \"string\" }\n";
        assert!(Config::parse(text).is_ok());
    }

    #[test]
    fn every_mistake_is_reported_in_one_parse_without_echoes() {
        let text = "[book]\ntitel = \"x\"\n[collections.tools]\nsort_by = \"kind\"\n[collections.tools.fields]\nkind = { type = \"strng\" }\ntags = { type = \"enum\", values = [\"a\", 3] }\n[collections.notes.fields]\ntool = { type = \"ref\", to = \"toolz\" }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        let found: Vec<(usize, &str, Option<&str>)> = diags
            .iter()
            .map(|d| (d.line, d.message.as_str(), d.help.as_deref()))
            .collect();
        // `kind` left out for its type does not make `sort_by = "kind"` unknown, nor `tags`
        // without its `values` an enum with none; the other collection is still checked.
        assert_eq!(
            found,
            [
                (
                    2,
                    "unknown field `titel`, expected one of `title`, `description`, `base_url`, `language`, `repository`, `branch`, `label`",
                    Some(
                        "did you mean `title`? remove the key or fix its spelling; docs/config.md lists the keys each table accepts"
                    )
                ),
                (
                    6,
                    "unknown variant `strng`, expected one of `string`, `integer`, `number`, `boolean`, `date`, `url`, `enum`, `ref`, `list`",
                    Some("did you mean `string`?")
                ),
                (
                    7,
                    "each item of `values` must be text in quotes, found a whole number",
                    Some(
                        "write every item of the list as text in quotes: `values = [\"a\", \"b\"]`"
                    )
                ),
                (
                    9,
                    "field `tool` refers to unknown collection `toolz`",
                    Some("did you mean `tools`?")
                ),
            ]
        );
    }

    #[test]
    fn a_table_missing_a_key_names_the_key_to_add() {
        let text = "[collections.tools]\nstale_after = { minors = 2 }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].column), (2, 15));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("add `field = …` to this table; docs/config.md lists the keys each table accepts")
        );
    }

    #[test]
    fn a_number_out_of_range_says_the_range_in_words() {
        let text = "[serve]\nport = 99999\n[collections.tools]\npaginate_by = -3\nstale_after = { field = \"v\", minors = -1 }\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        let found: Vec<(usize, usize, &str, Option<&str>)> = diags
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    2,
                    8,
                    "`port` must be a port number from 0 to 65535 (0 picks any free port), found 99999",
                    Some(
                        "write a port number from 0 to 65535 (0 picks any free port): `port = 3000`"
                    )
                ),
                (
                    4,
                    15,
                    "`paginate_by` must be a whole number of 0 or more, found -3",
                    Some("write a whole number of 0 or more: `paginate_by = 3`")
                ),
                (
                    5,
                    39,
                    "`minors` must be a whole number from 0 to 4294967295, found -1",
                    Some("write a whole number from 0 to 4294967295: `minors = 1`")
                ),
            ]
        );
    }

    #[test]
    fn a_table_written_as_a_list_of_tables_is_named_at_its_header() {
        let text = "# site\n[[book]]\ntitle = \"y\"\n[[collections.tools]]\ndir = \"x\"\n";
        let diags = Config::parse(text).err().unwrap_or_default();
        let found: Vec<(usize, usize, &str, Option<&str>)> = diags
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    2,
                    1,
                    "`[[book]]` starts a list of `book` tables, but book.toml takes one `[book]` table",
                    Some(
                        "write `[book]` once, with single brackets, and put all its keys under it"
                    )
                ),
                (
                    4,
                    1,
                    "`[[collections.tools]]` starts a list of `tools` tables, but book.toml takes one `[collections.tools]` table",
                    Some(
                        "write `[collections.tools]` once, with single brackets, and put all its keys under it"
                    )
                ),
            ]
        );
    }

    #[test]
    fn base_path_is_the_url_path() {
        let mut c = Config::default();
        c.book.base_url = "https://x.org/docs/".into();
        assert_eq!(c.base_path(), "/docs");
        c.book.base_url = "https://x.org".into();
        assert_eq!(c.base_path(), "");
    }
}
