//! Schema check: turns a [`Source`] into a [`Page`]: where it sits (kind, collection, URL),
//! its built-in fields, and its collection fields checked against `book.toml` — every problem
//! reported with the position of the offending key or value, none stopping the others.

use std::ops::Range;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::front_matter::{self, FrontMatter, Key, Node, Value};
use super::{Page, PageDate, PageKind, RefUse, Source};
use crate::config::{BUILTIN_FIELDS, CollectionConfig, Config, FieldSpec, FieldType};
use crate::diagnostics::{Diagnostic, closest};
use crate::slug::{is_safe, slugify};

/// A collection's declared fields.
type Fields = IndexMap<String, toml::Spanned<FieldSpec>>;

/// Placeholder prefix written by `opsbook new`; `check` refuses it until replaced.
pub const PLACEHOLDER: &str = "TODO:";

/// Words that mark a value as not written yet (any case, alone or followed by more text).
const PLACEHOLDER_WORDS: &[&str] = &["todo", "tbd", "fixme", "xxx"];

/// Days after the day of the build an entry's date may be without a warning (an agenda posted
/// ahead); a year typed wrong is far more.
const FUTURE_GRACE_DAYS: i64 = 31;

/// Whether `s` is only a placeholder: TODO, TBD, FIXME or XXX (any case) as its first word,
/// optionally followed by text ("TODO: the summary"), or an ellipsis (`...`, `…`).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if t.starts_with("...") || t.starts_with('…') {
        return true;
    }
    PLACEHOLDER_WORDS.iter().any(|w| {
        t.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
            && t.get(w.len()..)
                .and_then(|rest| rest.chars().next())
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whitespace-insensitive form of a body, to compare it with a `new` skeleton's body.
pub fn normalized_body(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `placeholder` error when `page`'s body is still the skeleton body `opsbook new` wrote
/// (`skeleton` already passed through [`normalized_body`]).
pub fn untouched_body(page: &Page, skeleton: &str) -> Option<Diagnostic> {
    if page.broken || page.kind != PageKind::Entry || skeleton.is_empty() {
        return None;
    }
    // Word by word against the skeleton's words, without building the normalized body: most
    // bodies differ in their first words.
    if !page.body().split_whitespace().eq(skeleton.split(' ')) {
        return None;
    }
    let start = page.text.len().min(page.body_start);
    // Point at the first non-blank line of the body.
    let offset = page
        .text
        .get(start..)
        .and_then(|b| b.find(|c: char| !c.is_whitespace()))
        .map_or(start, |i| start + i);
    Some(
        Diagnostic::at(
            &page.file,
            &page.text,
            offset..offset,
            "placeholder",
            "the body is still the template text `opsbook new` wrote",
        )
        .help("replace the prompts under each heading with what you have to say"),
    )
}

/// A `placeholder` error for each prompt paragraph of the `new` body (`prompts`: each one's
/// first line) that an entry's body still holds, written beside text of its own.
pub fn leftover_prompts(page: &Page, prompts: &[String]) -> Vec<Diagnostic> {
    if page.broken || page.kind != PageKind::Entry {
        return Vec::new();
    }
    let body = page.body();
    prompts
        .iter()
        .filter_map(|prompt| {
            let at = body
                .match_indices(prompt.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    // At the start of a line, as the template wrote it.
                    body.get(..i)
                        .is_some_and(|before| before.is_empty() || before.ends_with('\n'))
                })?;
            let start = page.body_start + at;
            Some(
                Diagnostic::at(
                    &page.file,
                    &page.text,
                    start..start + prompt.len(),
                    "placeholder",
                    "this paragraph is still the prompt `opsbook new` wrote",
                )
                .help("replace it with what you have to say, or delete it"),
            )
        })
        .collect()
}

/// Where a file sits, from its path alone.
struct Place {
    kind: PageKind,
    collection: Option<String>,
    folders: Vec<String>,
    stem: String,
}

fn place(rel: &str, config: &Config) -> Place {
    let parts: Vec<&str> = rel.split('/').collect();
    let file_name = parts.last().copied().unwrap_or("");
    let stem = file_name
        .strip_suffix(".md")
        .unwrap_or(file_name)
        .to_string();
    let is_index = file_name == "_index.md";
    if parts.len() == 1 {
        return Place {
            kind: if is_index {
                PageKind::Home
            } else {
                PageKind::Plain
            },
            collection: None,
            folders: Vec::new(),
            stem,
        };
    }
    let dir = parts.first().copied().unwrap_or("");
    let collection = config
        .collection_for_dir(dir)
        .map(str::to_string)
        .unwrap_or_else(|| slugify(dir));
    let folders = parts
        .get(1..parts.len() - 1)
        .unwrap_or(&[])
        .iter()
        .map(|f| slugify(f))
        .collect();
    Place {
        kind: if is_index {
            PageKind::Section
        } else {
            PageKind::Entry
        },
        collection: Some(collection),
        folders,
        stem,
    }
}

/// Checks one source file. Always returns a page (marked `broken` when its front matter
/// cannot be read) so that references to it still resolve.
pub fn check(source: Source, config: &Config) -> (Page, Vec<Diagnostic>) {
    crate::diagnostics::working_on(&source.file);
    let place = place(&source.rel, config);
    let mut diags = Vec::new();
    let file = source.file.clone();
    let mut page = Page {
        file: source.file,
        rel: source.rel,
        kind: place.kind,
        collection: place.collection,
        folders: place.folders,
        slug: slugify(&place.stem),
        url: String::new(),
        title: place.stem.clone(),
        description: None,
        date: None,
        updated: None,
        draft: false,
        weight: None,
        aliases: Vec::new(),
        template: None,
        fields: IndexMap::new(),
        refs: Vec::new(),
        terms: Vec::new(),
        index_values: Vec::new(),
        key_spans: Vec::new(),
        text: String::new(),
        released_from: None,
        body_start: 0,
        modified: source.modified,
        broken: false,
    };
    match front_matter::parse(&file, &source.text) {
        Ok(fm) => {
            let mut checker = Checker {
                file: &file,
                text: &source.text,
                format: fm.format,
                config,
                diags: &mut diags,
                in_list: false,
            };
            checker.page(&fm, &mut page);
            page.body_start = fm.body_start;
            if fm.format == front_matter::Format::Yaml {
                diags.extend(front_matter::yaml_comment_cuts(&file, &source.text));
            }
        }
        Err(mut d) => {
            diags.append(&mut d);
            page.broken = true;
            // The body is still checked (its links, its Markdown) when the header's end can
            // be found: one run reports every problem of the file, not the first.
            if let Some(split) = front_matter::split_header(&source.text) {
                page.body_start = split.body_start;
            }
        }
    }
    page.text = source.text;
    if !is_safe(&page.slug) {
        diags.push(
            Diagnostic::file(
                &file,
                "slug",
                format!(
                    "the slug `{}` would write this page outside its folder",
                    page.slug
                ),
            )
            .help("use letters, digits and dashes in the file name or `slug`"),
        );
        page.broken = true;
    }
    page.url = url_of(&page);
    (page, diags)
}

fn url_of(page: &Page) -> String {
    let mut url = String::from("/");
    if let Some(c) = &page.collection {
        url.push_str(c);
        url.push('/');
    }
    for f in &page.folders {
        url.push_str(f);
        url.push('/');
    }
    if matches!(page.kind, PageKind::Entry | PageKind::Plain) {
        url.push_str(&page.slug);
        url.push('/');
    }
    url
}

/// The table (`[cluster]` in TOML) that holds key `name`, and the key's span, when a page's
/// field was swallowed by a table header written above it.
fn in_a_table<'f>(fm: &'f FrontMatter, name: &str) -> Option<(&'f str, Range<usize>)> {
    fm.fields
        .iter()
        .find_map(|(table, node)| match &node.value {
            Value::Table(entries) => entries
                .iter()
                .find(|(k, _)| k.name == name)
                .map(|(k, _)| (table.name.as_str(), k.span.clone())),
            _ => None,
        })
}

/// Schemes that are not web pages, which a URL field must not be given (and which must not be
/// prefixed with `https://` in a hint).
const NOT_WEB_SCHEMES: &[&str] = &[
    "javascript",
    "vbscript",
    "data",
    "file",
    "blob",
    "about",
    "mailto",
    "tel",
    "ftp",
    "sftp",
    "ssh",
    "git",
];

/// The scheme of `s` when it is one of [`NOT_WEB_SCHEMES`] (`javascript:alert(1)` → `javascript`).
fn not_web_scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once(':')?;
    NOT_WEB_SCHEMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(scheme.trim()))
        .then_some(scheme.trim())
}

/// How to mend a value that is not a URL.
fn url_help(s: &str) -> String {
    let t = s.trim();
    if let Some(fixed) = crate::link_hints::mistyped_scheme(t) {
        return format!("write `{fixed}`");
    }
    if let Some(scheme) = not_web_scheme(t) {
        return format!(
            "a web address starts with https://: give the address of the page (a `{scheme}:` address is not one)"
        );
    }
    if t.contains("://") {
        if t.contains(char::is_whitespace) {
            return "an address has no spaces: remove them, or write each as %20".into();
        }
        return "write a full address such as https://example.org/docs/".into();
    }
    // `kured.dev/docs` or `www.x.org`: a host without its scheme. `results/e2e.log` or
    // `./logs.txt` is a file on someone's disk, which no scheme makes an address.
    let host = t.split('/').next().unwrap_or("");
    if !t.contains(char::is_whitespace) && looks_like_host(host) {
        return format!("write it with its scheme: `https://{t}`");
    }
    if t.contains('/') || t.rsplit_once('.').is_some_and(|(_, ext)| ext.len() <= 4) {
        return "this looks like a file path: the field needs a public web address \
                anyone can open (publish the file and give its https:// address)"
            .into();
    }
    "write a full address starting with https://".into()
}

/// Whether `host` reads as a web host (`kured.dev`, `www.example.org`), not a file name
/// (`e2e.log`, `results.tar.gz`) or a path step (`.`, `..`).
fn looks_like_host(host: &str) -> bool {
    const FILE_ENDINGS: &[&str] = &[
        "log", "txt", "md", "yaml", "yml", "json", "toml", "csv", "gz", "tgz", "tar", "zip", "png",
        "jpg", "jpeg", "svg", "pdf", "html", "htm", "xml", "sh", "out",
    ];
    let Some((name, ending)) = host.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with('.')
        && (2..=6).contains(&ending.len())
        && ending.chars().all(|c| c.is_ascii_alphabetic())
        && (name.starts_with("www.")
            || !FILE_ENDINGS.contains(&ending.to_ascii_lowercase().as_str()))
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    /// The front matter's syntax, for hints written in it.
    format: front_matter::Format,
    config: &'a Config,
    diags: &'a mut Vec<Diagnostic>,
    /// Whether the value being checked is an item of a list field (messages say so).
    in_list: bool,
}

impl Checker<'_> {
    fn err(
        &mut self,
        span: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::at(self.file, self.text, span, code, message));
        match self.diags.last_mut() {
            Some(d) => d,
            None => unreachable!("a diagnostic was just pushed"),
        }
    }

    /// A record that does not fail the check (`--strict` makes it): [`Checker::err`] with a
    /// warning's severity.
    fn warn(
        &mut self,
        span: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = self.err(span, code, message);
        d.severity = crate::diagnostics::Severity::Warning;
        d
    }

    /// A `slug` written as a path (`../../x`) stays inside its folder as one name
    /// (`..-..-x`); the author is told the URL it became.
    fn slug_confined(&mut self, span: Range<usize>, given: &str, page: &Page) {
        let url = url_of(page);
        let d = self.warn(
            span,
            "slug",
            format!(
                "the slug `{given}` would leave this page's folder; it became `{}`, so the page is written to {url}",
                page.slug
            ),
        );
        d.help = Some("write the slug as one name, without slashes".into());
    }

    /// A file in the wrong place, said once instead of as a field error per key: an entry of
    /// another collection (most of its fields unknown here, all known there), or an `index.md`
    /// (Hugo's name) for `_index.md`. A page bundle `foo/index.md` is a warning. Returns whether
    /// the fields should go unchecked (the error covers them).
    fn misplaced(&mut self, fm: &FrontMatter, page: &Page, schema: Option<&Fields>) -> bool {
        let (Some(own), Some(fields)) = (page.collection.as_deref(), schema) else {
            return false;
        };
        if page.kind != PageKind::Entry {
            return false;
        }
        let dir = self
            .config
            .collection(own)
            .and_then(|c| c.dir.as_deref())
            .unwrap_or(own);
        if page.rel.rsplit('/').next() == Some("index.md") {
            // A `slug` gives the page another address: nothing to say.
            if fm.get("slug").is_some() {
                return false;
            }
            let Some(folder) = page.folders.last() else {
                self.err(
                    fm.open.clone(),
                    "file-name",
                    format!("`index.md` is read as an entry of `{own}` named `index`, so it needs every field of one"),
                )
                .help = Some("did you mean `_index.md` (the collection's intro page)? It needs only a `title`".into());
                return true;
            };
            let d = self.warn(
                fm.open.clone(),
                "file-name",
                format!(
                    "this page is published at {}, with `index` in its address",
                    url_of(page)
                ),
            );
            d.help = Some(format!(
                "name it `{folder}.md` (files beside it stay where they are), or `_index.md` for the folder's intro"
            ));
            return false;
        }
        let keys: Vec<&str> = fm
            .fields
            .iter()
            .map(|(k, _)| k.name.as_str())
            .filter(|k| !BUILTIN_FIELDS.contains(k))
            .collect();
        let unknown = keys.iter().filter(|k| !fields.contains_key(**k)).count();
        if unknown < 2 {
            return false;
        }
        let (other, other_dir, reason) = if unknown * 2 > keys.len() {
            let known_in = |f: &Fields| keys.iter().filter(|k| f.contains_key(**k)).count();
            let best = self
                .config
                .collections
                .iter()
                .filter(|(name, _)| name.as_str() != own)
                .filter_map(|(name, c)| Some((name, c, known_in(c.fields.as_ref()?))))
                .max_by_key(|(_, _, n)| *n);
            let Some((other, c, n)) = best else {
                return false;
            };
            // All of its fields there, or all but one when most are unknown here.
            if n + 1 < keys.len() || n <= keys.len() - unknown {
                return false;
            }
            (other, c.dir.as_deref().unwrap_or(other), String::new())
        } else {
            // Most fields shared (`summary`, `kubernetes`, `providers`…): only an entry that
            // another schema takes whole, while its own misses required fields too.
            let Some((other, c)) = self.fits_whole(fm, own, fields, &keys) else {
                return false;
            };
            let reason = format!(", and it has every field `{other}` requires");
            (other, c.dir.as_deref().unwrap_or(other), reason)
        };
        let article = if other.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        self.err(
            fm.open.clone(),
            "wrong-collection",
            format!(
                "this looks like {article} `{other}` entry: {unknown} of its {} fields are not fields of `{own}`{reason}",
                keys.len()
            ),
        )
        .help = Some(format!("move it to content/{other_dir}/ (it is in content/{dir}/)"));
        true
    }

    /// The one other collection whose schema knows every one of `keys` and finds each of its
    /// required fields set, when `own`'s schema (`fields`) misses at least one of its required
    /// fields as well as not knowing two or more keys: an entry saved in the wrong folder
    /// rather than one with a typo or a field left out. None when two collections fit alike.
    fn fits_whole<'c>(
        &'c self,
        fm: &FrontMatter,
        own: &str,
        fields: &Fields,
        keys: &[&str],
    ) -> Option<(&'c String, &'c CollectionConfig)> {
        let sets = |field: &str| fm.get(field).is_some_and(|n| n.value != Value::Null);
        let misses = |f: &Fields| {
            f.iter()
                .filter(|(name, spec)| spec.get_ref().required_in(sets) && !sets(name))
                .count()
        };
        if misses(fields) == 0 {
            return None;
        }
        // A schema that requires one field or none takes almost anything whole.
        let fits = |f: &Fields| {
            f.values().filter(|s| s.get_ref().required).count() >= 2
                && keys.iter().all(|k| f.contains_key(*k))
                && misses(f) == 0
        };
        let mut whole = self
            .config
            .collections
            .iter()
            .filter(|(name, _)| name.as_str() != own)
            .filter(|(_, c)| c.fields.as_ref().is_some_and(fits));
        match (whole.next(), whole.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    fn page(&mut self, fm: &FrontMatter, page: &mut Page) {
        let collection: Option<&CollectionConfig> = match page.kind {
            PageKind::Entry => page
                .collection
                .as_deref()
                .and_then(|c| self.config.collection(c)),
            _ => None,
        };
        let schema = collection.and_then(|c| c.fields.as_ref());

        // Built-in fields.
        match fm.get("title") {
            Some(node) => {
                if let Some(t) = self.string(node, "title") {
                    if t.trim().is_empty() {
                        self.err(
                            node.span.clone(),
                            "missing-field",
                            "required field `title` is an empty string",
                        )
                        .help = Some("give the page a short, specific title".into());
                    } else {
                        page.title = t;
                    }
                }
            }
            None => {
                self.err(
                    fm.open.clone(),
                    "missing-field",
                    "missing required field `title`",
                )
                .help = Some(format!(
                    "add `{}` to the front matter",
                    self.assignment("title", "\"…\"")
                ));
            }
        }
        if self.misplaced(fm, page, schema) {
            page.broken = true;
            return;
        }
        for (key, node) in &fm.fields {
            page.key_spans.push((key.name.clone(), key.span.clone()));
            let declared = schema.is_some_and(|f| f.contains_key(&key.name));
            match key.name.as_str() {
                "title" => {}
                "description" | "updated" | "template" if declared => {
                    if let Some(spec) = schema.and_then(|f| f.get(&key.name))
                        && let Some(v) = self.field(&key.name, spec.get_ref(), node, page)
                    {
                        if key.name == "description" {
                            page.description = v.as_str().map(str::to_string);
                        }
                        page.fields.insert(key.name.clone(), v);
                    }
                }
                "description" => page.description = self.string(node, "description"),
                "date" => page.date = self.date(node, "date"),
                "updated" => page.updated = self.date(node, "updated"),
                "draft" => page.draft = self.boolean(node, "draft").unwrap_or(false),
                "weight" => page.weight = self.integer(node, "weight", None),
                "template" => page.template = self.string(node, "template"),
                "slug" => {
                    if let Some(s) = self.string(node, "slug") {
                        let slug = slugify(&s);
                        if s.trim().is_empty() {
                            self.err(node.span.clone(), "slug", "the slug is empty")
                                .help = Some("remove the `slug` line to use the file name".into());
                        } else if !is_safe(&slug) {
                            self.err(
                                node.span.clone(),
                                "slug",
                                format!("the slug `{s}` would write this page outside its folder"),
                            )
                            .help = Some("use letters, digits and dashes".into());
                        } else {
                            page.slug = slug;
                            if s.contains(['/', '\\']) {
                                self.slug_confined(node.span.clone(), &s, page);
                            }
                        }
                    }
                }
                "aliases" => page.aliases = self.aliases(node),
                name => match schema {
                    Some(fields) => match fields.get(name) {
                        Some(spec) => {
                            if let Some(v) = self.field(name, spec.get_ref(), node, page) {
                                page.fields.insert(name.to_string(), v);
                            }
                        }
                        None => self.unknown(key, fields),
                    },
                    None => {
                        page.fields.insert(name.to_string(), free_value(node));
                    }
                },
            }
        }
        self.dates_in_order(fm, page);
        for name in ["title", "summary", "description"] {
            if let Some(node) = fm.get(name) {
                self.plain_text(name, node);
            }
        }
        if let Some(fields) = schema {
            self.required_fields(fm, fields);
            self.reviewed_ahead(fm, page, fields);
            self.periods_backwards(fm, page, fields);
        }
        if let Some(outcome) = collection.and_then(|c| c.outcome.as_ref()) {
            self.outcome(fm, page, outcome);
        }
        if let Some((c, fields)) = collection.zip(schema) {
            self.title_version(fm, page, c, fields);
        }
    }

    /// Warns about a review date (a schema `date` field named for one, see [`is_review_date`])
    /// after the day of the build: the entry claims a review no one has done yet (often a year
    /// typed wrong). A day of slack for time zones ahead of UTC.
    fn reviewed_ahead(&mut self, fm: &FrontMatter, page: &Page, fields: &Fields) {
        let today = crate::versions::today();
        for (name, spec) in fields {
            if spec.get_ref().kind != FieldType::Date || !is_review_date(name) {
                continue;
            }
            let (Some(date), Some(node)) =
                (page.fields.get(name).and_then(Json::as_str), fm.get(name))
            else {
                continue;
            };
            let Some(days) = days_between(&today, date).filter(|d| *d > 1) else {
                continue;
            };
            let d = self.warn(
                node.span.clone(),
                "date",
                format!(
                    "`{name}` is dated in the future: {date} is {days} days after today ({today})"
                ),
            );
            d.help = Some(format!(
                "write the day of the last review, on or before {today} (check the year)"
            ));
        }
    }

    /// Warns about a string field written as a period backwards (`2026-03-30 to 2026-03-02`,
    /// a survey's `period`): it ends before it starts.
    fn periods_backwards(&mut self, fm: &FrontMatter, page: &Page, fields: &Fields) {
        for (name, spec) in fields {
            if spec.get_ref().kind != FieldType::String {
                continue;
            }
            let (Some(value), Some(node)) =
                (page.fields.get(name).and_then(Json::as_str), fm.get(name))
            else {
                continue;
            };
            let Some((start, sep, end)) = period(value).filter(|(start, _, end)| start > end)
            else {
                continue;
            };
            let fixed = self.assignment(name, &format!("\"{end}{sep}{start}\""));
            let d = self.warn(
                node.span.clone(),
                "date",
                format!("this period ends ({end}) before it starts ({start})"),
            );
            d.help = Some(format!("write the earlier day first: `{fixed}`"));
        }
    }

    /// Warns when the title of an entry in a collection whose `matrix` has Kubernetes versions
    /// for columns names versions, none of them the entry's own (`Acme on Kubernetes 1.31` with
    /// `kubernetes = "1.30"`): the matrix files the result under the field, readers trust the
    /// title.
    fn title_version(
        &mut self,
        fm: &FrontMatter,
        page: &Page,
        collection: &CollectionConfig,
        fields: &Fields,
    ) {
        let Some(field) = collection.matrix.as_ref().map(|m| m.columns.as_str()) else {
            return;
        };
        let kubernetes = fields.get(field).is_some_and(|spec| {
            spec.get_ref().kind == FieldType::String
                && (field == "kubernetes"
                    || spec.get_ref().taxonomy.as_deref() == Some("kubernetes"))
        });
        let value = page.fields.get(field).and_then(Json::as_str);
        let (true, Some(value), Some(node)) = (kubernetes, value, fm.get(field)) else {
            return;
        };
        let Some(own) = crate::site::minor_version(value) else {
            return;
        };
        let named = versions_named(&page.title);
        if named.is_empty() || named.contains(&own) {
            return;
        }
        let names: Vec<String> = named.iter().map(|(a, b)| format!("{a}.{b}")).collect();
        let d = self.warn(
            node.span.clone(),
            "title-version",
            format!(
                "the title names Kubernetes {}, but `{field}` is \"{value}\"",
                names.join(" and ")
            ),
        );
        d.help = Some(format!(
            "correct the one that is wrong: the matrix files this entry under `{field}`, readers go by the title"
        ));
    }

    /// A run whose result says it passed while it counts failed tests (`outcome`): one of the
    /// two is wrong, and the matrix shows the pass. An error at the result.
    fn outcome(&mut self, fm: &FrontMatter, page: &Page, outcome: &crate::config::OutcomeConfig) {
        let result = page.fields.get(&outcome.field).and_then(Json::as_str);
        let failed = page.fields.get(&outcome.failed).and_then(Json::as_i64);
        let (Some(result), Some(failed), Some(node)) = (result, failed, fm.get(&outcome.field))
        else {
            return;
        };
        if result != outcome.pass() || failed <= 0 {
            return;
        }
        let (field, count) = (&outcome.field, &outcome.failed);
        let line = fm.get(count).map_or(0, |n| {
            crate::diagnostics::Location::of(self.text, n.span.start).line
        });
        let fail = self.assignment(field, "\"fail\"");
        let zero = self.assignment(count, "0");
        let d = self.err(
            node.span.clone(),
            "outcome",
            format!(
                "`{field}` says `{result}` but `{count}` is {failed}: a run with failed tests did not pass"
            ),
        );
        d.help = Some(format!(
            "if the run failed, write `{fail}`; if it passed, correct `{count}` on line {line} to `{zero}`"
        ));
    }

    /// The schema's required fields `page` leaves out, and a field set together with the one
    /// that excuses it (`required_unless`).
    fn required_fields(
        &mut self,
        fm: &FrontMatter,
        fields: &IndexMap<String, toml::Spanned<crate::config::FieldSpec>>,
    ) {
        for (name, spec) in fields {
            let spec = spec.get_ref();
            let sets = |field: &str| fm.get(field).is_some_and(|n| n.value != Value::Null);
            // Both the field and the one that excuses it: an imported entry written up
            // without letting go of its import mark, which an importer would overwrite.
            if let Some(other) = spec.required_unless.as_deref()
                && !spec.required
                && sets(name)
                && let Some(mark) = fm.get(other).filter(|_| sets(other))
            {
                let d = self.warn(
                    mark.span.clone(),
                    "conflicting-fields",
                    format!(
                        "this entry sets `{name}`, as a written entry does, and still `{other}`, the mark of an imported one"
                    ),
                );
                d.help = Some(format!(
                    "delete the `{other}` line: while it is there, the page is shown as imported and `opsbook import` rewrites it"
                ));
            }
            if !sets(name) && spec.required_in(sets) {
                let mut help = match spec.item_type() {
                    FieldType::Enum => format!(
                        "add `{}`; expected one of: {}",
                        self.assignment(name, "\"…\""),
                        spec.values.join(", ")
                    ),
                    _ => format!("add `{}` ({})", self.assignment(name, "…"), describe(spec)),
                };
                if let Some(h) = &spec.help {
                    help.push_str(&format!(" — {h}"));
                }
                let message = match spec.required_unless.as_deref().filter(|_| !spec.required) {
                    Some(other) => format!(
                        "missing field `{name}` (required on every entry without `{other}`)"
                    ),
                    None => format!("missing required field `{name}`"),
                };
                // `[cluster]` written above it: the key is there, inside that table.
                if let Some((table, key)) = in_a_table(fm, name) {
                    self.err(
                        key,
                        "missing-field",
                        format!(
                            "`{name}` is inside the `[{table}]` table, not a field of the page"
                        ),
                    )
                    .help = Some(format!(
                        "every key after a `[{table}]` line belongs to that table: move `[{table}]` and its keys to the end of the front matter, or remove that line"
                    ));
                    continue;
                }
                let span = fm.get(name).map_or(fm.open.clone(), |n| n.span.clone());
                self.err(span, "missing-field", message).help = Some(help);
            }
        }
    }

    /// Warns about a `date` or `updated` more than [`FUTURE_GRACE_DAYS`] after the day of the
    /// build (an entry dated next year by mistake sorts first in every list and feed until then;
    /// a meeting's agenda posted a week ahead is fine) and an `updated` before `date`.
    fn dates_in_order(&mut self, fm: &FrontMatter, page: &Page) {
        self.date_in_file_name(fm, page);
        let today = crate::versions::today();
        for (field, date) in [("date", &page.date), ("updated", &page.updated)] {
            let (Some(date), Some(node)) = (date, fm.get(field)) else {
                continue;
            };
            let Some(days) = days_between(&today, &date.date).filter(|d| *d > FUTURE_GRACE_DAYS)
            else {
                continue;
            };
            let what = if field == "date" {
                ": the entry will sort first in lists and feeds"
            } else {
                ""
            };
            let d = self.warn(
                node.span.clone(),
                "date",
                format!(
                    "this date is {days} day{} after today ({today}){what}",
                    if days == 1 { "" } else { "s" }
                ),
            );
            d.help = Some("check the year".into());
        }
        if let (Some(date), Some(updated), Some(node)) =
            (&page.date, &page.updated, fm.get("updated"))
            && updated.timestamp < date.timestamp
        {
            let d = self.warn(
                node.span.clone(),
                "date",
                format!(
                    "`updated` ({}) is earlier than `date` ({})",
                    updated.date, date.date
                ),
            );
            d.help = Some(
                "`updated` is when the entry last changed, on or after `date`: correct one of them"
                    .into(),
            );
        }
    }

    /// Warns when a file named for its day (`2026-11-11-working-meeting.md`) has a `date` of
    /// another day: one of the two is a typo, and lists sort by `date`.
    fn date_in_file_name(&mut self, fm: &FrontMatter, page: &Page) {
        let stem = page.rel.rsplit('/').next().unwrap_or(&page.rel);
        let (Some(named), Some(date), Some(node)) = (
            stem.get(..10)
                .filter(|d| d.parse::<jiff::civil::Date>().is_ok()),
            &page.date,
            fm.get("date"),
        ) else {
            return;
        };
        if named != date.date {
            let d = self.warn(
                node.span.clone(),
                "date",
                format!(
                    "the file is named for {named} but its `date` is {}",
                    date.date
                ),
            );
            d.help = Some(
                "correct whichever is wrong: lists sort by `date`, and the name is its address"
                    .into(),
            );
        }
    }

    /// Warns when `field` (a title, summary or description, shown as plain text in headings,
    /// cards, feeds and meta tags) is written in Markdown, which would show as written.
    fn plain_text(&mut self, field: &str, node: &Node) {
        let Value::String(s) = &node.value else {
            return;
        };
        if is_placeholder(s) {
            return;
        }
        let Some((marker, at)) = markdown_in(s) else {
            return;
        };
        let found = s.get(at).unwrap_or("");
        // Point at the Markdown itself when the source holds it as written (no escapes).
        let span = self
            .text
            .get(node.span.clone())
            .and_then(|src| src.find(found))
            .map_or(node.span.clone(), |i| {
                node.span.start + i..node.span.start + i + found.len()
            });
        let name = match field {
            "title" => "the title",
            "summary" => "the summary",
            _ => "the description",
        };
        let d = self.warn(
            span,
            "markdown-in-text",
            match marker {
                "`" => format!("{name} is shown as plain text, so the backticks appear as written"),
                _ => format!("{name} is shown as plain text, so `{marker}` appears as written"),
            },
        );
        d.help = Some("write it without Markdown".into());
    }

    fn unknown(&mut self, key: &Key, fields: &IndexMap<String, toml::Spanned<FieldSpec>>) {
        let candidates = fields
            .keys()
            .map(String::as_str)
            .chain(BUILTIN_FIELDS.iter().copied());
        let help = match closest(&key.name, candidates) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "this collection accepts: {}",
                fields
                    .keys()
                    .map(String::as_str)
                    .chain(BUILTIN_FIELDS.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.err(
            key.span.clone(),
            "unknown-field",
            format!("unknown field `{}`", key.name),
        )
        .help = Some(help);
    }

    fn type_error(&mut self, node: &Node, field: &str, expected: &str) {
        let found = match (self.format, &node.value) {
            (front_matter::Format::Yaml, Value::Table(_)) => "a mapping",
            (_, v) => v.type_name(),
        };
        // An item of a list: the hint is for the item, not for the field as a whole.
        let (message, help) = if self.in_list {
            let example = if self.format == front_matter::Format::Yaml {
                format!("`{field}:` then `  - \"…\"` lines")
            } else {
                format!("`{field} = [\"…\", \"…\"]`")
            };
            (
                format!("an item of `{field}` must be {expected}, found {found}"),
                Some(format!("write each item as one plain value: {example}")),
            )
        } else if matches!(node.value, Value::Null) {
            // `title:` with nothing after it: "null" is YAML's word, not the contributor's.
            (
                format!("`{field}` has no value: it must be {expected}"),
                self.type_help(node, field, expected),
            )
        } else {
            (
                format!("`{field}` must be {expected}, found {found}"),
                self.type_help(node, field, expected),
            )
        };
        self.err(node.span.clone(), "type", message).help = help;
    }

    /// `field = value` in TOML front matter, `field: value` in YAML: a hint in the syntax of
    /// the file it is about.
    fn assignment(&self, field: &str, value: &str) -> String {
        if self.format == front_matter::Format::Yaml {
            format!("{field}: {value}")
        } else {
            format!("{field} = {value}")
        }
    }

    /// How to write `field` as `expected` wants, in the file's own syntax.
    fn type_help(&self, node: &Node, field: &str, expected: &str) -> Option<String> {
        let yaml = self.format == front_matter::Format::Yaml;
        let set = |value: &str| format!("`{}`", self.assignment(field, value));
        let text = self.text.get(node.span.clone()).unwrap_or("").trim();
        let bare = text.trim_matches(|c| c == '"' || c == '\'');
        let scalar = !matches!(node.value, Value::Array(_) | Value::Table(_));
        if matches!(node.value, Value::Null) {
            return Some(format!("give it a value: {}", set("\"…\"")));
        }
        if expected == "a string" {
            return Some(if scalar {
                format!("quote it: {}", set(&format!("\"{bare}\"")))
            } else {
                format!("write one value in quotes: {}", set("\"…\""))
            });
        }
        if expected.starts_with("a list") {
            // A string holding commas is the list written as one value: split it.
            let items = match &node.value {
                Value::String(s) if s.contains(',') || s.trim().starts_with('[') => quoted_parts(s),
                Value::String(_) if !bare.is_empty() => vec![format!("\"{bare}\"")],
                _ => Vec::new(),
            };
            let list = if items.is_empty() {
                "[\"…\"]".to_string()
            } else {
                format!("[{}]", items.join(", "))
            };
            return Some(if !scalar {
                format!("write a list of plain values: {}", set(&list))
            } else if items.len() > 1 {
                format!("write each value as its own item: {}", set(&list))
            } else {
                format!("write a list, even of one: {}", set(&list))
            });
        }
        match expected {
            "true or false" => Some(format!(
                "write {} or {}, without quotes",
                set("true"),
                set("false")
            )),
            "an integer" | "a number" => {
                let fits = if expected == "an integer" {
                    bare.parse::<i64>().is_ok()
                } else {
                    bare.parse::<f64>().is_ok_and(f64::is_finite)
                };
                // `"1,000"`: the number it means, without its thousands separators.
                let grouped = front_matter::without_thousands(bare);
                let (example, how) = match grouped {
                    _ if fits => (bare.to_string(), "without quotes"),
                    Some(n) => (n, "without quotes or separators"),
                    None => ("3".to_string(), "without quotes"),
                };
                Some(format!("write digits, {how}: {}", set(&example)))
            }
            e if e.starts_with("a date") => Some(format!(
                "write the date as YYYY-MM-DD{}: {}",
                if yaml { "" } else { ", without quotes" },
                set("2026-03-14")
            )),
            e if e.starts_with("a single value") => {
                Some(format!("write one value: {}", set("\"…\"")))
            }
            _ => None,
        }
    }

    fn string(&mut self, node: &Node, field: &str) -> Option<String> {
        let s = match (&node.value, &node.raw) {
            (Value::String(s), _) => s.clone(),
            // A YAML plain scalar given to a string field is its source text.
            (Value::Integer(_) | Value::Float(_) | Value::Bool(_), Some(raw)) => raw.clone(),
            _ => {
                self.type_error(node, field, "a string");
                return None;
            }
        };
        if self.placeholder(node, field, field == "title") {
            return None;
        }
        self.no_email(node, &s);
        Some(s)
    }

    /// Warns about an e-mail address in a front-matter value (`attendees = ["Dana
    /// <dana@…>"]`): the site publishes every value, and a name or handle is enough.
    fn no_email(&mut self, node: &Node, value: &str) {
        if !value.contains('@') {
            return;
        }
        let Some(found) = crate::personal_data::email_addresses(value)
            .into_iter()
            .next()
        else {
            return;
        };
        let address = value.get(found).unwrap_or("");
        let d = self.warn(
            node.span.clone(),
            "personal-data",
            format!(
                "`{address}` is an e-mail address: the site would publish it for anyone to harvest"
            ),
        );
        d.help = Some("remove the address: a name or handle is enough".into());
    }

    /// Reports a placeholder value (`TODO: …` left by `opsbook new`, TBD, FIXME, XXX, `...`);
    /// true if there was one.
    fn placeholder(&mut self, node: &Node, field: &str, required: bool) -> bool {
        let Value::String(s) = &node.value else {
            return false;
        };
        if !is_placeholder(s) {
            return false;
        }
        let shown: String = s.trim().chars().take(60).collect();
        self.err(
            node.span.clone(),
            "placeholder",
            format!("`{field}` still holds the placeholder `{shown}`"),
        )
        .help = Some(if required {
            "replace it with the real value (the field is required)".into()
        } else {
            "replace it with the real value, or remove the line (the field is optional)".into()
        });
        true
    }

    /// Reports a required field given an empty string or an empty list; true if it was empty.
    fn empty_required(&mut self, name: &str, spec: &FieldSpec, node: &Node) -> bool {
        let empty = match &node.value {
            Value::String(s) => s.trim().is_empty(),
            Value::Array(items) => items.is_empty(),
            _ => false,
        };
        if !spec.required || !empty {
            return false;
        }
        let what = if matches!(node.value, Value::Array(_)) {
            "an empty list"
        } else {
            "an empty string"
        };
        let mut help = format!("`{name}` is required: give it {}", describe(spec));
        if let Some(h) = &spec.help {
            help.push_str(&format!(" — {h}"));
        }
        self.err(
            node.span.clone(),
            "missing-field",
            format!("required field `{name}` is {what}"),
        )
        .help = Some(help);
        true
    }

    fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.type_error(node, field, "true or false");
                None
            }
        }
    }

    fn integer(&mut self, node: &Node, field: &str, spec: Option<&FieldSpec>) -> Option<i64> {
        let n = match node.value {
            Value::Integer(n) => n,
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => f as i64,
            // Digits that do not fit a 64-bit integer were read as a float.
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => {
                self.err(
                    node.span.clone(),
                    "range",
                    format!("`{field}` is too large a number"),
                )
                .help = Some(
                    "write a whole number below 9,000,000,000,000,000 (check for extra digits)"
                        .into(),
                );
                return None;
            }
            _ => {
                self.type_error(node, field, "an integer");
                return None;
            }
        };
        if let Some(spec) = spec {
            self.range(node, field, n as f64, spec);
        }
        Some(n)
    }

    fn number(&mut self, node: &Node, field: &str, spec: &FieldSpec) -> Option<f64> {
        let n = match node.value {
            Value::Integer(n) => n as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                self.type_error(node, field, "a number");
                return None;
            }
        };
        self.range(node, field, n, spec);
        Some(n)
    }

    fn range(&mut self, node: &Node, field: &str, n: f64, spec: &FieldSpec) {
        if let Some(min) = spec.min
            && n < min
        {
            self.err(
                node.span.clone(),
                "range",
                format!("`{field}` is {n}, below the minimum {min}"),
            )
            .help = Some(format!("use a value of at least {min}"));
        }
        if let Some(max) = spec.max
            && n > max
        {
            self.err(
                node.span.clone(),
                "range",
                format!("`{field}` is {n}, above the maximum {max}"),
            )
            .help = Some(format!("use a value of at most {max}"));
        }
    }

    fn date(&mut self, node: &Node, field: &str) -> Option<PageDate> {
        let text = match &node.value {
            Value::Datetime(s) | Value::String(s) => s.clone(),
            _ => {
                self.type_error(node, field, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        match parse_date(&text) {
            Some(d) => Some(d),
            None => {
                let (message, help) = match front_matter::impossible_date(text.trim()) {
                    Some(why) => (
                        format!("`{field}` is not a real date: `{text}`: {why}"),
                        "correct the date; the format itself is right",
                    ),
                    None => (
                        format!("`{field}` is not a valid date: `{text}`"),
                        "write YYYY-MM-DD (e.g. 2026-03-14) or an RFC 3339 date-time",
                    ),
                };
                self.err(node.span.clone(), "date", message).help = Some(help.into());
                None
            }
        }
    }

    fn aliases(&mut self, node: &Node) -> Vec<(String, Range<usize>)> {
        let Value::Array(items) = &node.value else {
            self.type_error(node, "aliases", "a list of paths");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(s) = self.string(item, "aliases") else {
                continue;
            };
            if !alias_is_safe(&s) {
                self.err(
                    item.span.clone(),
                    "alias",
                    format!("the alias `{s}` is not a path inside the site"),
                )
                .help = Some("write a site path such as \"/old/url/\"".into());
                continue;
            }
            out.push((s, item.span.clone()));
        }
        out
    }

    /// Checks one schema field; returns its typed value.
    fn field(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        node: &Node,
        page: &mut Page,
    ) -> Option<Json> {
        if node.value == Value::Null || self.empty_required(name, spec, node) {
            return None;
        }
        if spec.kind == FieldType::List {
            let Value::Array(items) = &node.value else {
                self.type_error(node, name, &format!("a list, each {}", describe_item(spec)));
                return None;
            };
            self.in_list = true;
            let values: Vec<Json> = self
                .distinct_items(name, spec, items)
                .into_iter()
                .filter_map(|item| self.scalar(name, spec, item, page))
                .collect();
            self.in_list = false;
            return Some(Json::Array(values));
        }
        self.scalar(name, spec, node, page)
    }

    /// The items of list field `name` worth checking: an empty string is an error and a value
    /// listed again (the same slug for refs, else the same text whatever its case) a warning,
    /// and both are left out, so a page never shows `Sam, ` or one tool twice.
    fn distinct_items<'n>(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        items: &'n [Node],
    ) -> Vec<&'n Node> {
        // A ref names an entry by its slug ("Kubeadm" is kubeadm); other values are the same
        // when they differ only in case, spaces around them, or a space, `-` or `_` between
        // words ("Bare metal" and "bare-metal"), never in other punctuation ("C" and "C++").
        let by_slug = spec.item_type() == FieldType::Ref;
        let mut seen: Vec<(String, &str)> = Vec::new();
        let mut kept = Vec::new();
        for item in items {
            let Value::String(s) = &item.value else {
                kept.push(item);
                continue;
            };
            if s.trim().is_empty() {
                self.err(
                    item.span.clone(),
                    "empty-item",
                    format!("`{name}` has an empty item"),
                )
                .help = Some("remove it, with its comma".into());
                continue;
            }
            let key = if by_slug {
                slugify(s)
            } else {
                s.trim().to_lowercase().replace([' ', '_'], "-")
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                let again = if first.trim() == s.trim() {
                    String::new()
                } else {
                    format!(" (first as `{}`)", first.trim())
                };
                let d = self.warn(
                    item.span.clone(),
                    "duplicate-item",
                    format!("`{}` is listed twice in `{name}`{again}", s.trim()),
                );
                d.help = Some("remove the second".into());
                continue;
            }
            seen.push((key, s));
            kept.push(item);
        }
        kept
    }

    fn scalar(
        &mut self,
        name: &str,
        spec: &FieldSpec,
        node: &Node,
        page: &mut Page,
    ) -> Option<Json> {
        if self.placeholder(node, name, spec.required) {
            return None;
        }
        let kind = spec.item_type();
        let value = match kind {
            FieldType::String => Json::String(self.string(node, name)?),
            FieldType::Integer => Json::from(self.integer(node, name, Some(spec))?),
            FieldType::Number => Json::from(self.number(node, name, spec)?),
            FieldType::Boolean => Json::Bool(self.boolean(node, name)?),
            FieldType::Date => Json::String(self.date(node, name)?.date),
            FieldType::Url => {
                let s = self.string(node, name)?;
                if !is_url(&s) {
                    self.err(
                        node.span.clone(),
                        "url",
                        format!("`{name}` is not a valid URL: `{s}`"),
                    )
                    .help = Some(url_help(&s));
                    return None;
                }
                if let Some(host) = local_host(&s) {
                    let d = self.warn(
                        node.span.clone(),
                        "url",
                        format!(
                            "`{name}` points at `{host}`: readers cannot reach a local address"
                        ),
                    );
                    d.help = Some(
                        "give the address readers can open, such as the project's public site"
                            .into(),
                    );
                } else if let Some(host) = example_host(&s) {
                    let d = self.warn(
                        node.span.clone(),
                        "placeholder",
                        format!(
                            "`{name}` points at `{host}`, an address reserved for examples: a placeholder left in"
                        ),
                    );
                    d.help = Some(if spec.required {
                        "give the real address readers should open".into()
                    } else {
                        "give the real address readers should open, or remove the line".into()
                    });
                }
                Json::String(s)
            }
            FieldType::Enum => {
                let s = self.string(node, name)?;
                if !spec.values.contains(&s) {
                    let mut help = format!("expected one of: {}", spec.values.join(", "));
                    if let Some(c) = closest(&s, spec.values.iter().map(String::as_str)) {
                        help = format!("did you mean `{c}`? {help}");
                    }
                    self.err(
                        node.span.clone(),
                        "enum",
                        format!("`{s}` is not an allowed value of `{name}`"),
                    )
                    .help = Some(help);
                    return None;
                }
                Json::String(s)
            }
            FieldType::Ref => {
                let s = self.string(node, name)?;
                let to = spec.to.clone().unwrap_or_default();
                page.refs.push(RefUse {
                    field: name.to_string(),
                    collection: to,
                    slug: slugify(&s),
                    span: node.span.clone(),
                });
                Json::String(slugify(&s))
            }
            FieldType::List => {
                self.type_error(
                    node,
                    name,
                    "a single value (lists of lists are not supported)",
                );
                return None;
            }
        };
        if let Json::String(s) = &value {
            if let Some(tax) = &spec.taxonomy {
                page.terms.push((tax.clone(), s.clone()));
            }
            if spec.index {
                page.index_values.push((name.to_string(), s.clone()));
            }
        } else if spec.index || spec.taxonomy.is_some() {
            let s = value.to_string();
            if spec.index {
                page.index_values.push((name.to_string(), s.clone()));
            }
            if let Some(tax) = &spec.taxonomy {
                page.terms.push((tax.clone(), s));
            }
        }
        Some(value)
    }
}

/// Whether a date field is named for a review or an update (`last_reviewed`, `verified`,
/// `docs_updated`): a claim about the past, never rightly after the day of the build.
fn is_review_date(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "reviewed", "review", "updated", "verified", "checked", "tested", "audited",
    ]
    .iter()
    .any(|word| name.ends_with(word))
}

/// A period written as two days (`2026-03-02 to 2026-03-30`, also with `–`, `—`, ` - `, `/`
/// or `..` between): its start, the separator as written and its end. None for anything else.
fn period(s: &str) -> Option<(jiff::civil::Date, &str, jiff::civil::Date)> {
    let s = s.trim();
    [" to ", "–", "—", " - ", "/", ".."].iter().find_map(|sep| {
        let (start, end) = s.split_once(sep)?;
        let (start_text, end_text) = (start.trim(), end.trim());
        if start_text.len() != 10 || end_text.len() != 10 {
            return None;
        }
        // The separator with the spaces around it, as written (`s` is trimmed).
        let sep = s.get(start_text.len()..s.len() - end_text.len())?;
        Some((start_text.parse().ok()?, sep, end_text.parse().ok()?))
    })
}

/// The Kubernetes minor versions `title` names, in order, each once: words like `1.31`,
/// `v1.31` or `v1.31.2` (major version 1).
fn versions_named(title: &str) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    for word in title.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
        let word = word.trim_end_matches('.');
        let word = word.strip_prefix(['v', 'V']).unwrap_or(word);
        let parts: Vec<&str> = word.split('.').collect();
        let numeric = parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !numeric || !(2..=3).contains(&parts.len()) || parts.first() != Some(&"1") {
            continue;
        }
        if let Some(v) = crate::site::minor_version(word)
            && !found.contains(&v)
        {
            found.push(v);
        }
    }
    found
}

/// Days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier.
fn days_between(from: &str, to: &str) -> Option<i64> {
    let from: jiff::civil::Date = from.parse().ok()?;
    let to: jiff::civil::Date = to.parse().ok()?;
    Some(i64::from(to.since(from).ok()?.get_days()))
}

/// The first Markdown in `s` that a plain-text field would show as written: `**strong**`,
/// `__strong__`, `` `code` ``, `[text](url)`, `*em*` or `_em_`. Returns the marker to name and
/// where in `s` it is. A lone `*`, `2 * 3`, `snake_case` and `file_name_here` are not Markdown.
pub fn markdown_in(s: &str) -> Option<(&'static str, Range<usize>)> {
    if let Some(found) = code_span(s) {
        return Some(("`", found));
    }
    if let Some(found) = inline_link(s) {
        return Some(("[…](…)", found));
    }
    // Not `_`/`__`: names like `__init__` or `node_pool` are written as they are meant.
    for delim in ["**", "*"] {
        if let Some(found) = delimited(s, delim) {
            return Some((delim, found));
        }
    }
    None
}

/// `s` with the Markdown [`markdown_in`] finds taken out and its text kept (`the `item:` key`
/// → `the item: key`, `[docs](https://x.org/)` → `docs`): for importers, whose summaries are
/// shown as plain text.
pub fn without_markdown(s: &str) -> String {
    let mut out = s.to_string();
    while let Some((marker, at)) = markdown_in(&out) {
        let found = out.get(at.clone()).unwrap_or("");
        let inner = match marker {
            "[…](…)" => found.get(1..found.find("](").unwrap_or(1)),
            "`" => found.get(1..found.len().saturating_sub(1)),
            delim => found.get(delim.len()..found.len().saturating_sub(delim.len())),
        }
        .unwrap_or("")
        .to_string();
        out.replace_range(at, &inner);
    }
    out
}

/// `` `code` ``: a backtick, text without backticks, and a closing backtick.
fn code_span(s: &str) -> Option<Range<usize>> {
    let open = s.find('`')?;
    let close = s.get(open + 1..)?.find('`')? + open + 1;
    (close > open + 1).then_some(open..close + 1)
}

/// `[text](target)`: non-empty text and a target without spaces.
fn inline_link(s: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find("](")) {
        let mid = from + i;
        let open = s.get(..mid).and_then(|b| b.rfind('['));
        let close = s
            .get(mid + 2..)
            .and_then(|r| r.find(')'))
            .map(|j| mid + 2 + j);
        if let (Some(open), Some(close)) = (open, close) {
            let text = s.get(open + 1..mid).unwrap_or("");
            let target = s.get(mid + 2..close).unwrap_or("");
            if !text.trim().is_empty()
                && !text.contains(']')
                && !target.is_empty()
                && !target.contains(char::is_whitespace)
            {
                return Some(open..close + 1);
            }
        }
        from = mid + 2;
    }
    None
}

/// Emphasis with `delim` (`*`, `**`) as a writer means it: an opening delimiter not after a
/// letter, digit or `/` and before a letter or digit, and a closing one after a letter or
/// digit and not before one or a `/` (`/etc/*/conf` and `s3://b/*_daily_*` are paths, not
/// emphasis). One pass: the first opening with a closing after it.
fn delimited(s: &str, delim: &str) -> Option<Range<usize>> {
    let marker = delim.chars().next()?;
    let starts: Vec<usize> = s.match_indices(delim).map(|(i, _)| i).collect();
    let before = |i: usize| s.get(..i).and_then(|b| b.chars().next_back());
    let after = |i: usize| s.get(i + delim.len()..).and_then(|a| a.chars().next());
    // The delimiter run must be exactly `delim` long (`***` is neither `*` nor `**` alone).
    let alone = |i: usize| before(i) != Some(marker) && after(i) != Some(marker);
    let path = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '/');
    let opens =
        |i: usize| alone(i) && !path(before(i)) && after(i).is_some_and(char::is_alphanumeric);
    let closes =
        |i: usize| alone(i) && before(i).is_some_and(char::is_alphanumeric) && !path(after(i));
    // Closings are closings wherever the openings are: the first opening decides.
    let open = starts.iter().copied().find(|&i| opens(i))?;
    let close = starts
        .iter()
        .copied()
        .find(|&c| c > open + delim.len() && closes(c))?;
    Some(open..close + delim.len())
}

/// The comma-separated parts of `s`, each quoted as a TOML (and YAML) string, for a hint that
/// turns `"kubeadm, etcd"` into `["kubeadm", "etcd"]`.
fn quoted_parts(s: &str) -> Vec<String> {
    // `"[Lee, Ana]"` and `"['Lee', 'Ana']"`: the list's brackets and quotes written inside.
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(s);
    s.split(',')
        .map(str::trim)
        .map(|part| {
            ['\'', '"']
                .iter()
                .find_map(|q| part.strip_prefix(*q).and_then(|p| p.strip_suffix(*q)))
                .unwrap_or(part)
                .trim()
        })
        .filter(|part| !part.is_empty())
        .map(|part| format!("\"{}\"", part.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect()
}

fn describe(spec: &FieldSpec) -> String {
    match spec.kind {
        FieldType::List => format!("a list, each {}", describe_item(spec)),
        _ => describe_item(spec),
    }
}

fn describe_item(spec: &FieldSpec) -> String {
    match spec.item_type() {
        FieldType::Enum => format!("one of {}", spec.values.join(", ")),
        FieldType::Ref => format!(
            "the slug of a {} entry",
            spec.to.as_deref().unwrap_or("other")
        ),
        FieldType::Integer => "an integer".into(),
        FieldType::Url => "a URL".into(),
        other => format!("a {}", other.name()),
    }
}

/// A front-matter value of a schema-less page, as JSON for templates.
fn free_value(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) | Value::Datetime(s) => Json::String(s.clone()),
        Value::Array(items) => Json::Array(items.iter().map(free_value).collect()),
        Value::Table(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), free_value(v)))
                .collect(),
        ),
    }
}

/// Parses `YYYY-MM-DD`, an RFC 3339 date-time or a TOML local date-time.
pub fn parse_date(text: &str) -> Option<PageDate> {
    let text = text.trim();
    let date_only = text.len() == 10;
    let ts = if date_only {
        let d = text.parse::<jiff::civil::Date>().ok()?;
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
    } else if let Ok(t) = text.parse::<jiff::Timestamp>() {
        t
    } else {
        let dt = text.parse::<jiff::civil::DateTime>().ok()?;
        dt.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
    };
    // The day as written: `2026-03-14T00:30:00+02:00` is March 14 where it was written,
    // although it is still March 13 in UTC.
    let date = text
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map_or_else(
            || {
                ts.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date()
                    .to_string()
            },
            |d| d.to_string(),
        );
    Some(PageDate {
        timestamp: ts.as_second(),
        date,
        rfc3339: ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    })
}

/// An absolute http(s) URL with a host and no spaces (parsed by the `url` crate), written with
/// its `://` (a browser reads `https:example.org` on an https page as a path of that site).
pub fn is_url(s: &str) -> bool {
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
    {
        return false;
    }
    if !s
        .split_once(':')
        .is_some_and(|(_, rest)| rest.starts_with("//"))
    {
        return false;
    }
    url::Url::parse(s).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// The host of URL `s` when readers cannot reach it: `localhost`, a loopback, private,
/// link-local or unspecified address, or a `.local`/`.internal` name.
pub fn local_host(s: &str) -> Option<String> {
    let url = url::Url::parse(s).ok()?;
    let local = match url.host()? {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost"
                || [".localhost", ".local", ".internal", ".lan", ".home.arpa"]
                    .iter()
                    .any(|end| d.ends_with(end))
        }
        url::Host::Ipv4(ip) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        url::Host::Ipv6(ip) => {
            ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_unique_local()
                || ip.is_unicast_link_local()
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_loopback() || v4.is_private())
        }
    };
    local.then(|| match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    })
}

/// The host of URL `s` when it is a domain reserved for examples (RFC 2606): `example.com`,
/// `example.org` or `example.net`, bare or with `www.`: a placeholder nobody replaced. Other
/// subdomains (`helper.example.org`) are left alone: invented data in tests and imports uses
/// them on purpose.
pub fn example_host(s: &str) -> Option<String> {
    let url = url::Url::parse(s).ok()?;
    let url::Host::Domain(d) = url.host()? else {
        return None;
    };
    let d = d.trim_end_matches('.').to_ascii_lowercase();
    let bare = d.strip_prefix("www.").unwrap_or(&d);
    matches!(bare, "example.com" | "example.org" | "example.net").then_some(d)
}

/// An alias must be a site path that stays inside the output folder.
pub fn alias_is_safe(s: &str) -> bool {
    s.starts_with('/')
        && !s.contains('\\')
        && !s.contains('\0')
        && s.split('/').all(|seg| seg != ".." && seg != ".")
        && !s.contains("://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = r#"
[collections.tools.fields]
category = { type = "enum", values = ["networking", "storage"], required = true, index = true }
homepage = { type = "url" }
nodes = { type = "integer", min = 1 }
kubernetes = { type = "string" }
uses = { type = "list", of = "ref", to = "tools" }
"#;
        Config::parse(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn run(rel: &str, text: &str) -> (Page, Vec<Diagnostic>) {
        let source = Source {
            file: format!("content/{rel}"),
            rel: rel.into(),
            text: text.into(),
            modified: None,
        };
        check(source, &config())
    }

    /// A missing field's hint is written in the front matter's own syntax.
    #[test]
    fn a_missing_field_is_hinted_in_the_files_syntax() {
        let help = |text: &str| -> Vec<String> {
            run("tools/x.md", text)
                .1
                .into_iter()
                .filter(|d| d.code == "missing-field")
                .filter_map(|d| d.help)
                .collect()
        };
        let yaml = help("---\nnodes: 3\n---\nBody.\n");
        assert!(
            yaml.iter().any(|h| h.starts_with("add `title: \"…\"`"))
                && yaml.iter().any(|h| h.starts_with("add `category: \"…\"`")),
            "{yaml:?}"
        );
        let toml = help("+++\nnodes = 3\n+++\nBody.\n");
        assert!(
            toml.iter().any(|h| h.starts_with("add `title = \"…\"`"))
                && toml.iter().any(|h| h.starts_with("add `category = \"…\"`")),
            "{toml:?}"
        );
    }

    #[test]
    fn a_bad_item_is_named_as_an_item() {
        let (_, diags) = run(
            "tools/x.md",
            "+++\ntitle = \"x\"\ncategory = \"storage\"\nuses = [[\"kured\"], 3]\n+++\n",
        );
        let types: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "type").collect();
        assert_eq!(types.len(), 2, "{diags:?}");
        assert_eq!(
            types[0].message,
            "an item of `uses` must be a string, found a list"
        );
        assert_eq!(
            types[0].help.as_deref(),
            Some("write each item as one plain value: `uses = [\"…\", \"…\"]`")
        );
    }

    #[test]
    fn urls_follow_the_contract() {
        let (p, _) = run(
            "tools/net/Cilium CNI.md",
            "+++\ntitle = \"x\"\ncategory = \"networking\"\n+++\n",
        );
        assert_eq!(p.url, "/tools/net/cilium-cni/");
        let (p, _) = run("about.md", "+++\ntitle = \"About\"\n+++\n");
        assert_eq!(p.url, "/about/");
        let (p, _) = run("_index.md", "+++\ntitle = \"Home\"\n+++\n");
        assert_eq!((p.url.as_str(), p.kind), ("/", PageKind::Home));
        let (p, _) = run("docs/ops/_index.md", "+++\ntitle = \"Ops\"\n+++\n");
        assert_eq!((p.url.as_str(), p.kind), ("/docs/ops/", PageKind::Section));
    }

    #[test]
    fn every_problem_is_reported() {
        let text = "+++\ntitle = \"x\"\ncategory = \"netwroking\"\nhomepage = \"not a url\"\nnodes = 0\ncolour = 1\nkubernetes = 1.30\n+++\n";
        let (_, diags) = run("tools/a.md", text);
        let got: Vec<(&str, usize)> = diags.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            got,
            vec![
                ("enum", 3),
                ("url", 4),
                ("range", 5),
                ("unknown-field", 6),
                ("type", 7)
            ]
        );
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `networking`? expected one of: networking, storage")
        );
        assert_eq!(
            diags[4].help.as_deref(),
            Some("quote it: `kubernetes = \"1.30\"`")
        );
    }

    #[test]
    fn yaml_plain_versions_are_strings() {
        let (p, diags) = run(
            "tools/a.md",
            "---\ntitle: x\ncategory: storage\nkubernetes: 1.30\n---\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            p.fields.get("kubernetes"),
            Some(&Json::String("1.30".into()))
        );
    }

    #[test]
    fn a_field_under_a_table_header_is_found_there() {
        let (_, diags) = run(
            "tools/a.md",
            "+++\ntitle = \"x\"\n[cluster]\nname = \"a\"\ncategory = \"storage\"\n+++\n",
        );
        let missing: Vec<&Diagnostic> =
            diags.iter().filter(|d| d.code == "missing-field").collect();
        assert_eq!(missing.len(), 1, "{diags:?}");
        assert_eq!(
            (missing[0].line, missing[0].column),
            (5, 1),
            "points at the swallowed key"
        );
        assert_eq!(
            missing[0].message,
            "`category` is inside the `[cluster]` table, not a field of the page"
        );
    }

    #[test]
    fn missing_required_points_at_the_delimiter() {
        let (_, diags) = run("tools/a.md", "\n+++\ntitle = \"x\"\n+++\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].column),
            ("missing-field", 2, 1)
        );
    }

    #[test]
    fn dates_and_urls() {
        assert_eq!(
            parse_date("2026-03-14").map(|d| d.date),
            Some("2026-03-14".into())
        );
        assert_eq!(
            parse_date("2026-03-14T10:00:00+02:00").map(|d| d.rfc3339),
            Some("2026-03-14T08:00:00Z".into())
        );
        // The day is the one written, not the UTC day (which is March 13 here).
        assert_eq!(
            parse_date("2026-03-14T00:30:00+02:00").map(|d| (d.date, d.rfc3339)),
            Some(("2026-03-14".into(), "2026-03-13T22:30:00Z".into()))
        );
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("yesterday").is_none());
        assert!(is_url("https://cilium.io/"));
        assert!(!is_url("javascript:alert(1)"));
        assert!(!is_url("https:// x"));
        assert!(alias_is_safe("/old/url/"));
        assert!(!alias_is_safe("/../../etc/"));
    }

    #[test]
    fn markdown_in_plain_text_is_found_and_plain_symbols_are_not() {
        let found = |s: &str| markdown_in(s).map(|(m, at)| (m, s[at].to_string()));
        assert_eq!(found("a **b** c"), Some(("**", "**b**".into())));
        assert_eq!(
            found("see [docs](https://x.org/)"),
            Some(("[…](…)", "[docs](https://x.org/)".into()))
        );
        assert_eq!(found("run `kubectl`"), Some(("`", "`kubectl`".into())));
        assert_eq!(found("*quite* so"), Some(("*", "*quite*".into())));
        for plain in [
            "snake_case and node_pool",
            "_quite_ so, and __init__ or __address__",
            "s3://bucket/*_daily_*",
            "/etc/*/conf and /var/*",
            "2 * 3 * 4",
            "a * b",
            "[1] (note)",
            "C# and *nix",
            "a ` b",
        ] {
            assert_eq!(found(plain), None, "{plain}");
        }
        assert_eq!(
            without_markdown("The `item:` key, **bold** and [docs](https://x.org/)."),
            "The item: key, bold and docs."
        );
        assert_eq!(without_markdown("max_pods * 2"), "max_pods * 2");
    }

    #[test]
    fn urls_need_their_slashes_and_local_hosts_are_named() {
        assert!(!is_url("https:example.org"));
        assert!(!is_url("http:/example.org/"));
        assert!(is_url("https://example.org/"));
        assert_eq!(
            local_host("http://localhost:3000/x").as_deref(),
            Some("localhost:3000")
        );
        assert_eq!(local_host("https://10.0.0.8/").as_deref(), Some("10.0.0.8"));
        assert_eq!(
            local_host("http://[::1]:8080/").as_deref(),
            Some("[::1]:8080")
        );
        assert_eq!(local_host("https://kubernetes.io/"), None);
        assert_eq!(local_host("https://8.8.8.8/"), None);
        assert_eq!(
            url_help("https//github.com/kubernetes/kubeadm"),
            "write `https://github.com/kubernetes/kubeadm`"
        );
        assert_eq!(
            url_help("htps://etcd.io/docs/"),
            "write `https://etcd.io/docs/`"
        );
        assert!(url_help("vbscript:msgbox").starts_with("a web address starts with https://"));
        assert!(url_help("ftp://example.org/x").starts_with("a web address starts with https://"));
        // A host without its scheme gets one; a file path is not an address with one added.
        assert_eq!(
            url_help("kured.dev/docs/"),
            "write it with its scheme: `https://kured.dev/docs/`"
        );
        assert_eq!(
            url_help("www.example.org"),
            "write it with its scheme: `https://www.example.org`"
        );
        for path in [
            "results/e2e.log",
            "./logs.txt",
            "e2e.log",
            "/var/log/sonobuoy.tar.gz",
        ] {
            assert!(
                url_help(path).starts_with("this looks like a file path"),
                "{path}: {}",
                url_help(path)
            );
        }
    }

    #[test]
    fn broken_front_matter_keeps_the_page() {
        let (p, diags) = run("tools/broken.md", "+++\ntitle = \n+++\n");
        assert!(p.broken);
        assert_eq!(p.slug, "broken");
        assert_eq!(diags[0].code, "syntax");
    }
}
