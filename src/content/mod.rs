//! Content: from files on disk to typed pages. `load` reads the tree, `front_matter` parses
//! headers with spans, `schema` checks them against the collection's fields and produces
//! [`Page`]s with their URL, typed fields and the references still to resolve.

pub mod front_matter;
pub mod history;
pub mod load;
pub mod schema;

use std::ops::Range;

use indexmap::IndexMap;
use serde::Serialize;

pub use load::{Loaded, Source};

/// What a content file is, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// `content/_index.md`.
    Home,
    /// `_index.md` of a collection or of a folder inside one.
    Section,
    /// Any other file inside a collection.
    Entry,
    /// A top-level file such as `content/about.md`.
    Plain,
}

/// A date from front matter, normalized.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PageDate {
    /// Seconds since the epoch (UTC), for sorting.
    #[serde(skip)]
    pub timestamp: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// RFC 3339, for feeds and `<time datetime>`.
    pub rfc3339: String,
}

/// A `ref` value still to resolve: `field` of this page names `slug` in `collection`.
#[derive(Debug, Clone)]
pub struct RefUse {
    pub field: String,
    pub collection: String,
    pub slug: String,
    pub span: Range<usize>,
}

/// The file a page's let-go text is read again from, and the text's hash as the build first
/// read it (to tell an edit made while the site is being written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasedFrom {
    pub path: std::path::PathBuf,
    pub hash: u64,
}

/// One content file, checked and typed; the Markdown body is still unrendered.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: String,
    /// Path relative to the content folder.
    pub rel: String,
    pub kind: PageKind,
    pub collection: Option<String>,
    /// Slugified folders between the collection folder and the file.
    pub folders: Vec<String>,
    pub slug: String,
    /// Site path, without the base path: `/tools/kubeadm/`.
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<PageDate>,
    pub updated: Option<PageDate>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub aliases: Vec<(String, Range<usize>)>,
    pub template: Option<String>,
    /// Schema fields (and free fields of schema-less pages), typed, in declaration order.
    pub fields: IndexMap<String, serde_json::Value>,
    pub refs: Vec<RefUse>,
    /// (taxonomy, term as written) pairs.
    pub terms: Vec<(String, String)>,
    /// (field, value as written) pairs of `index = true` fields.
    pub index_values: Vec<(String, String)>,
    /// Span of every front-matter key, for diagnostics of later stages.
    pub key_spans: Vec<(String, Range<usize>)>,
    /// The whole file text (positions of later diagnostics refer to it). Empty once a build
    /// has let go of it (`released_from`).
    pub text: String,
    /// Where `text` came from, when a build let go of it after the Markdown stage (it reads the
    /// file again to write the page): [`Page::source_text`] reads it again for a later stage's
    /// diagnostic.
    pub released_from: Option<ReleasedFrom>,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    pub modified: Option<i64>,
    /// The front matter could not be parsed: the page exists (so references to it resolve)
    /// but is never rendered.
    pub broken: bool,
}

impl Page {
    /// Where front-matter key `name` is written, for a later stage's diagnostic on it; `0..0`
    /// when the page does not set it.
    pub fn key_span(&self, name: &str) -> Range<usize> {
        self.key_spans
            .iter()
            .find(|(k, _)| k == name)
            .map_or(0..0, |(_, s)| s.clone())
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// The file text for a diagnostic's position and line: held, or read again when the build
    /// let go of it (empty if the file can no longer be read; writing the page then fails with
    /// a `changed` error).
    pub fn source_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.released_from {
            Some(ReleasedFrom { path, .. }) if self.text.is_empty() => std::borrow::Cow::Owned(
                load::read_source(path, &self.rel, path)
                    .map(|source| source.text)
                    .unwrap_or_default(),
            ),
            _ => std::borrow::Cow::Borrowed(&self.text),
        }
    }

    /// The folder of the source file, relative to the content folder ("" at the top).
    pub fn source_dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..i])
    }
}
