//! Search bundle: a static, sharded index of every published entry and plain page, built from
//! the text the Markdown stage kept (no HTML is parsed again). `search.js` in the theme is the
//! client; a query loads only the shards of its words and the passages of the results it shows.
//!
//! What is indexed, per page, as separate weighted fields: the title, the fields its panel shows
//! (versions, providers, tools, status, …), headings, the summary, and the body. Words are
//! stemmed (Snowball English, [`tokens::Stem`]) so word forms meet; versions are also indexed by
//! every shorter level (`v1.34.1` → `1.34.1`, `1.34`). Each (stem, page) pair gets a BM25F score
//! (rarer words count more) and the passages where the word occurs, which the client uses for
//! the closeness bonus and to excerpt the passage that matched.
//!
//! Layout: `/search/data/meta.json` (fixed path: page count, stop list, shard splits, the runs
//! of pages that differ only by version, and the content hash `H`), and under `/search/data/H/` (so a redeploy never mixes old and new files):
//! - `w/<hex of key prefix>.json`: `{"s": {stem: [doc+, score, n, passage×n, …]}, "w": {word:
//!   stem | [stem, doc+, …]}, "n": {stem: pages}}`. Docs are delta-coded (`doc+`); a word maps
//!   to its stem, with the pages holding that exact form when the stem has several forms (exact
//!   forms rank first). `n`, only in a shard that needs it, counts the pages holding each stem
//!   whose postings were cut to [`MAX_POSTINGS`], so the client weighs its rarity truly.
//!   Keys are sharded by their first two characters, a shard over [`SHARD_BYTES`] by three, and
//!   so on (`meta.split` lists the split prefixes).
//! - `v/<n>.txt`: the words of `n` letters, most frequent first, for typo matching.
//! - Passage blocks: `{"u": url, "t": title, "s": section, "l": label, "h": [[heading id,
//!   heading], …], "p": [[text] | [text, heading n], …]}` (`l`, when the page has one, is the
//!   value of its `label` field of `[book]`, shown as a badge; `q`, in block 0 of an imported
//!   entry whose summary is the importer's text, is its `source`, so the client quotes the
//!   summary and says whose words they are), the passages some posting
//!   points at (no other can be shown), about [`BLOCK_BYTES`] of text a block, numbered `block * BLOCK + place` (see
//!   [`pack_passages`]). Passage 0 is the summary; the panel's fields and the body follow.
//!   The blocks of [`PACK`] pages share a file, `d/<pack>.json` (a JSON array of blocks, page
//!   by page), and `d/<pack>-i.json` gives each block's byte length there (`[[len, …], …]`, one
//!   list a page): the client fetches a block with an HTTP range request, or takes it from the
//!   whole file when the host ignores ranges. One file per block made a 10k-page build write
//!   14,631 files, a quarter of a second of its wall time.
//! - `filters.json` (`[{"name", "values": [[value, count], …]}]`) and `f/<n>.json` (the pages of
//!   each value of filter `n`), loaded only when a filter is chosen.

pub mod tokens;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::BuildHasher as _;
use std::ops::Range;

use arrayvec::ArrayVec;
use rayon::prelude::*;
use serde_json::json;

use crate::config::Config;
use crate::content::PageKind;
use crate::import::GENERATED_SUMMARY;
use crate::output::{OutputFile, Urls};
use crate::plan::{Plan, RouteKind};
use crate::site::{PageId, Site};
use tokens::{
    PassageRule, Scanned, Stem, Word, all_words, passages_and_words, spaced_words, version_forms,
};

/// Site path of the bundle's folder.
pub const DATA: &str = "/search/data/";
/// Filter holding a page's collection title.
pub const SECTION_FILTER: &str = "Section";
/// At most this many passages a block; passage `p` is in block `p / BLOCK` at place
/// `p % BLOCK`.
pub const BLOCK: usize = 32;
/// Pages whose blocks share one `d/<pack>.json` file: page `doc` is in pack `doc / PACK`.
pub const PACK: usize = 16;
/// The layout of the bundle's files, in `meta.json`: one more whenever a file the client reads
/// changes shape. `search.js` holds the number it reads, and fetches itself again when a
/// deploy changed it under a cached copy.
pub const FORMAT: u32 = 2;
/// A block is closed once its passages' text would pass this many bytes.
const BLOCK_BYTES: usize = 1200;
/// A shard bigger than this is split by one more character of its keys.
pub const SHARD_BYTES: usize = 8 * 1024;
/// Keys are never sharded by more than this many characters.
const MAX_SHARD_DEPTH: usize = 6;
/// At most this many pages are kept for one stem (the best-scoring ones), plus the best
/// [`SECTION_POSTINGS`] of each section.
const MAX_POSTINGS: usize = 1000;
/// When a stem's postings are cut, each section still keeps its best this many: else a
/// section of many short pages (a thousand imported conformance results, all saying "test")
/// takes every place, and the one tool page about running the tests no longer has the word.
const SECTION_POSTINGS: usize = 50;
/// Passages remembered per (stem, page): the first of the summary and body, the fields
/// passage only when there is room (it makes a poor excerpt).
const MAX_PASSAGES: usize = 4;
/// Words of a body passage: it ends at the first sentence end after 18 words, or at 40.
const PASSAGES: PassageRule = PassageRule { min: 18, max: 40 };
/// Characters of the summary passage.
const LEDE_CHARS: usize = 300;
/// Pages read in parallel before their words are numbered (see [`build`]).
const DOC_BATCH: usize = 256;
/// Words of this many letters (and no digits) go to the typo vocabulary.
const VOCAB_LEN: std::ops::RangeInclusive<usize> = 3..=24;

/// Fields of a page, in index order.
const TITLE: usize = 0;
const FIELDS: usize = 1;
const HEADINGS: usize = 2;
const LEDE: usize = 3;
const BODY: usize = 4;
const FIELD_COUNT: usize = 5;
/// BM25F: each field's weight and length normalization, and the saturation `k1`.
const WEIGHT: [f32; FIELD_COUNT] = [6.0, 3.0, 2.0, 2.0, 1.0];
const NORM: [f32; FIELD_COUNT] = [0.6, 0.3, 0.3, 0.3, 0.75];
const K1: f32 = 1.2;
/// Passage numbers of the summary and the fields.
const LEDE_PASSAGE: u16 = 0;
const FIELDS_PASSAGE: u16 = 1;

/// Fields never indexed: the summary and description are the lede, the rest are links or
/// bookkeeping a reader does not search for.
const SKIP_FIELDS: &[&str] = &[
    "summary",
    "description",
    "source",
    "homepage",
    "repository",
    "website",
    "documentation",
    "logs",
    "logo",
    GENERATED_SUMMARY,
];

type FastMap<K, V> = hashbrown::HashMap<K, V>;

/// One word's uses in one page (or, merged, one stem's). Held inline and small: a 10k-page
/// site has millions of (word, page) pairs.
#[derive(Default, Clone, Copy)]
struct Uses {
    tf: [u16; FIELD_COUNT],
    /// The first passages of the summary and body it is in, ascending; `held` of them.
    passages: [u16; MAX_PASSAGES],
    held: u8,
    /// Whether it is in the fields passage too.
    in_fields: bool,
}

impl Uses {
    /// One more use in `field`, in `passage`. A page's passages are read in order, so the
    /// first passages met are the earliest.
    fn count(&mut self, field: usize, passage: Option<u16>) {
        if let Some(slot) = self.tf.get_mut(field) {
            *slot = slot.saturating_add(1);
        }
        match passage {
            Some(FIELDS_PASSAGE) => self.in_fields = true,
            Some(p) => {
                let held = usize::from(self.held);
                let fresh = held == 0 || self.passages.get(held - 1) != Some(&p);
                if fresh && let Some(slot) = self.passages.get_mut(held) {
                    *slot = p;
                    self.held += 1;
                }
            }
            None => {}
        }
    }

    /// Adds another word's uses (a word of the same stem): counts summed, the earliest
    /// passages of both kept.
    fn merge(&mut self, other: &Uses) {
        for (a, b) in self.tf.iter_mut().zip(other.tf) {
            *a = a.saturating_add(b);
        }
        self.in_fields |= other.in_fields;
        let mut all: ArrayVec<u16, { 2 * MAX_PASSAGES }> = ArrayVec::new();
        all.extend(self.held().iter().chain(other.held()).copied());
        all.sort_unstable();
        let mut out = Uses {
            tf: self.tf,
            in_fields: self.in_fields,
            ..Uses::default()
        };
        for p in all {
            out.count(usize::MAX, Some(p));
        }
        *self = out;
    }

    fn held(&self) -> &[u16] {
        self.passages.get(..usize::from(self.held)).unwrap_or(&[])
    }

    /// The passages to excerpt, best first: the earliest, then the fields passage (a poor
    /// excerpt) when there is room.
    fn chosen(&self) -> ArrayVec<u16, MAX_PASSAGES> {
        let mut out: ArrayVec<u16, MAX_PASSAGES> = self.held().iter().copied().collect();
        if self.in_fields {
            let _ = out.try_push(FIELDS_PASSAGE);
        }
        out
    }
}

/// A few sentences of a page, and the heading they are under (empty: none). Borrowed from the
/// page's text: whitespace is squashed only when a passage is written.
struct Passage<'a> {
    text: PassageText<'a>,
    /// Bytes of the text once squashed (what a block's size counts).
    len: usize,
    heading_id: &'a str,
    heading: &'a str,
}

enum PassageText<'a> {
    /// Words of the body, with the text's own whitespace between them.
    Words(&'a str),
    /// Text made for the index (the clipped summary, the fields line), written as it is.
    Made(String),
}

impl<'a> Passage<'a> {
    fn made(text: String) -> Self {
        Passage {
            len: text.len(),
            text: PassageText::Made(text),
            heading_id: "",
            heading: "",
        }
    }

    /// The text as the page has it (whitespace not squashed).
    fn raw(&self) -> &str {
        match &self.text {
            PassageText::Words(words) => words,
            PassageText::Made(text) => text,
        }
    }
}

/// One indexed page, before scoring. It owns what it needs and no longer borrows its
/// [`Source`], so a batch of pages' text is let go of as soon as the batch is read (see
/// [`build`]): of all the passages, it keeps only those a word of the page points at.
struct Doc {
    /// The page's `[book] label` value.
    label: Option<String>,
    /// The importer (`source` field) whose words the summary is, when they are not the site's.
    quoted: Option<String>,
    url: String,
    title: String,
    section: String,
    /// How many passages the page was split into.
    passage_count: usize,
    /// The passages some word of the page points at (every one a posting can point at, and
    /// more when a stem's postings are cut to [`MAX_POSTINGS`]), by passage number, ascending.
    kept: Vec<(u16, Kept)>,
    /// The kept passages' text, one after the other as the page has it (one allocation).
    text: String,
    /// (id, squashed text) of the headings the kept passages are under.
    headings: Vec<(String, String)>,
    /// (filter, value) pairs.
    filters: Vec<(String, String)>,
    /// Words (ids in [`Vocabulary`]) and their uses.
    words: Vec<(u32, Uses)>,
    /// Words per field.
    lengths: [u32; FIELD_COUNT],
}

/// A passage kept for writing: where its text is in [`Doc::text`], whether its whitespace is
/// still to be squashed, its length once it is, and the heading it is under (in
/// [`Doc::headings`]).
struct Kept {
    span: Range<u32>,
    words: bool,
    len: u32,
    heading: Option<u16>,
}

impl Doc {
    fn kept(&self, passage: u16) -> Option<&Kept> {
        self.kept
            .binary_search_by_key(&passage, |(n, _)| *n)
            .ok()
            .and_then(|at| self.kept.get(at))
            .map(|(_, k)| k)
    }

    /// A kept passage's text as written.
    fn passage_text(&self, k: &Kept) -> Cow<'_, str> {
        let text = self
            .text
            .get(k.span.start as usize..k.span.end as usize)
            .unwrap_or("");
        if k.words {
            Cow::Owned(squash_blocks(text))
        } else {
            Cow::Borrowed(text)
        }
    }
}

/// A distinct word of a page being read, in the order first met: a slice of the page when the
/// page spells it in lowercase, its hash (computed once, reused by [`Vocabulary::intern`]), and
/// what is known of it once: whether it is a stop word, whether it has version forms.
struct PageWord<'a> {
    word: Cow<'a, str>,
    hash: u64,
    stop: bool,
    versioned: bool,
    uses: Uses,
}

/// A page being read: its distinct words, until [`Vocabulary::intern`] numbers them. Each
/// word of the text costs one hash and one probe of the page's own table; the stop list and
/// version forms are looked at once per distinct word.
struct DocBuilder<'a, 'h> {
    src: &'a Source<'a>,
    passages: Vec<Passage<'a>>,
    lengths: [u32; FIELD_COUNT],
    hasher: &'h hashbrown::DefaultHashBuilder,
    table: hashbrown::HashTable<u32>,
    words: Vec<PageWord<'a>>,
}

/// A page read: what it keeps, and its distinct words (borrowed from its text) until
/// [`Vocabulary::intern`] numbers them.
struct Read<'a> {
    doc: Doc,
    words: Vec<PageWord<'a>>,
}

impl<'a> DocBuilder<'a, '_> {
    /// The page's [`Doc`]: its passages that some word points at (the summary always) are
    /// squashed into owned text, the others dropped.
    fn finish(self) -> Read<'a> {
        let mut shown = vec![false; self.passages.len()];
        if let Some(f) = shown.get_mut(usize::from(LEDE_PASSAGE)) {
            *f = true;
        }
        for w in self.words.iter().filter(|w| !w.stop) {
            for &q in w.uses.chosen().iter() {
                if let Some(f) = shown.get_mut(usize::from(q)) {
                    *f = true;
                }
            }
        }
        let mut headings: Vec<(String, String)> = Vec::new();
        let mut kept = Vec::new();
        let mut text = String::with_capacity(
            self.passages
                .iter()
                .zip(&shown)
                .filter(|(_, f)| **f)
                .map(|(p, _)| p.raw().len())
                .sum(),
        );
        // Passages past u16::MAX cannot be numbered, so no posting points at them.
        for (n, (p, _)) in (0..=u16::MAX)
            .zip(self.passages.iter().zip(&shown))
            .filter(|(_, (_, f))| **f)
        {
            let heading = (!p.heading_id.is_empty()).then(|| {
                let at = headings
                    .iter()
                    .position(|(id, _)| id == p.heading_id)
                    .unwrap_or_else(|| {
                        headings.push((p.heading_id.to_string(), squash(p.heading)));
                        headings.len() - 1
                    });
                u16::try_from(at).unwrap_or(u16::MAX)
            });
            let start = u32::try_from(text.len()).unwrap_or(u32::MAX);
            text.push_str(p.raw());
            let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
            kept.push((
                n,
                Kept {
                    span: start..end,
                    words: matches!(p.text, PassageText::Words(_)),
                    len: u32::try_from(p.len).unwrap_or(u32::MAX),
                    heading,
                },
            ));
        }
        let src = self.src;
        Read {
            doc: Doc {
                url: src.url.clone(),
                title: src.title.to_string(),
                section: src.section.clone(),
                label: src.label.clone(),
                quoted: src.quoted.clone(),
                passage_count: self.passages.len(),
                kept,
                text,
                headings,
                filters: src.filters.clone(),
                words: Vec::new(),
                lengths: self.lengths,
            },
            words: self.words,
        }
    }

    /// Counts the words of `text` in `field`, in `passage`.
    fn add(&mut self, text: &'a str, field: usize, passage: Option<u16>) {
        let mut n = 0;
        all_words(text, |w| n += u32::from(self.add_word(w, field, passage)));
        if let Some(len) = self.lengths.get_mut(field) {
            *len += n;
        }
    }

    /// Counts one use of `w` in `field`, in `passage` (and of its version forms); false for a
    /// stop word, which is not counted, nor in the field's length.
    fn add_word(&mut self, w: Word<'a, '_>, field: usize, passage: Option<u16>) -> bool {
        let word = w.as_str();
        let at = self.find(word, || match w {
            Word::Text(t) => Cow::Borrowed(t),
            Word::Lowered(l) => Cow::Owned(l.to_string()),
        });
        let Some(entry) = self.words.get_mut(at) else {
            return false;
        };
        if entry.stop {
            return false;
        }
        entry.uses.count(field, passage);
        if entry.versioned {
            let forms: Vec<usize> = match w {
                Word::Text(t) => version_forms(t)
                    .into_iter()
                    .map(|form| self.find(form, || Cow::Borrowed(form)))
                    .collect(),
                Word::Lowered(l) => version_forms(l)
                    .into_iter()
                    .map(|form| self.find(form, || Cow::Owned(form.to_string())))
                    .collect(),
            };
            for at in forms {
                if let Some(entry) = self.words.get_mut(at) {
                    entry.uses.count(field, passage);
                }
            }
        }
        true
    }

    /// The place of `word` in the page's words, added (as `own()`) when first met.
    fn find(&mut self, word: &str, own: impl FnOnce() -> Cow<'a, str>) -> usize {
        let hash = self.hasher.hash_one(word);
        let words = &self.words;
        let entry = self.table.entry(
            hash,
            |&i| words.get(i as usize).is_some_and(|w| w.word == word),
            |&i| words.get(i as usize).map_or(0, |w| w.hash),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get() as usize,
            hashbrown::hash_table::Entry::Vacant(e) => {
                let at = self.words.len();
                e.insert(u32::try_from(at).unwrap_or(u32::MAX));
                self.words.push(PageWord {
                    word: own(),
                    hash,
                    stop: tokens::is_stop(word),
                    versioned: !version_forms(word).is_empty(),
                    uses: Uses::default(),
                });
                at
            }
        }
    }
}

/// Every distinct word of the site, numbered in the order first met. Pages hold word ids,
/// not strings: a 10k-page site has millions of (word, page) pairs.
/// Words are owned: the pages they were first met in are let go of batch by batch.
#[derive(Default)]
struct Vocabulary {
    table: hashbrown::HashTable<u32>,
    /// Each word and its hash.
    words: Vec<(Box<str>, u64)>,
}

impl Vocabulary {
    /// The page with its words numbered (its stop words left out).
    fn intern(&mut self, read: Read<'_>) -> Doc {
        let mut doc = read.doc;
        doc.words = Vec::with_capacity(read.words.len());
        for w in read.words.into_iter().filter(|w| !w.stop) {
            let words = &self.words;
            let entry = self.table.entry(
                w.hash,
                |&i| words.get(i as usize).is_some_and(|(v, _)| **v == *w.word),
                |&i| words.get(i as usize).map_or(0, |(_, h)| *h),
            );
            let id = match entry {
                hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
                hashbrown::hash_table::Entry::Vacant(e) => {
                    let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
                    e.insert(id);
                    self.words
                        .push((w.word.into_owned().into_boxed_str(), w.hash));
                    id
                }
            };
            doc.words.push((id, w.uses));
        }
        doc
    }
}

/// Runs of consecutive pages of one section whose titles differ only by version ("KubeCube on
/// Kubernetes 1.26", "… 1.27"): `[first page, count]` for each run of two or more. The client
/// shows the best page of a run in its place and the others after every other result, so one
/// product's results for each version do not fill the first page of results. Pages are read
/// in the site's order, where a collection's files sort by name, so such pages are neighbours.
fn version_runs(docs: &[Doc]) -> Vec<[u32; 2]> {
    let key = |d: &Doc| (d.section.clone(), title_without_versions(&d.title));
    let mut runs = Vec::new();
    let mut start = 0u32;
    let mut current: Option<(String, String)> = None;
    for (i, d) in (0u32..).zip(docs) {
        let k = key(d);
        if current.as_ref() != Some(&k) {
            if i - start >= 2 && current.as_ref().is_some_and(|(_, t)| !t.is_empty()) {
                runs.push([start, i - start]);
            }
            start = i;
            current = Some(k);
        }
    }
    let end = u32::try_from(docs.len()).unwrap_or(u32::MAX);
    if end - start >= 2 && current.is_some_and(|(_, t)| !t.is_empty()) {
        runs.push([start, end - start]);
    }
    runs
}

/// A title, lowercased, without its version numbers ("KubeCube on Kubernetes 1.26" →
/// "kubecube on kubernetes"), or empty when it holds none (such titles group nothing).
fn title_without_versions(title: &str) -> String {
    let is_version = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w.strip_prefix(['v', 'V']).unwrap_or(w);
        w.starts_with(|c: char| c.is_ascii_digit())
            && w.contains('.')
            && w.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let words: Vec<&str> = title.split_whitespace().collect();
    if !words.iter().any(|w| is_version(w)) {
        return String::new();
    }
    words
        .into_iter()
        .filter(|w| !is_version(w))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A body passage as written: its whitespace squashed to one space, or to one line break
/// where a block (paragraph, list item, table row) ends, so the client starts an excerpt of a
/// long passage where a block does, never in the middle of a row.
fn squash_blocks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut end = None;
    for word in spaced_words(s) {
        let start = word.as_ptr() as usize - s.as_ptr() as usize;
        if let Some(end) = end {
            let gap = s.get(end..start).unwrap_or(" ");
            out.push(if gap.contains('\n') { '\n' } else { ' ' });
        }
        out.push_str(word);
        end = Some(start + word.len());
    }
    out
}

fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in spaced_words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn clip(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        return s.to_string();
    }
    let mut out: String = s.chars().take(chars).collect();
    if let Some(cut) = out.rfind(' ') {
        out.truncate(cut);
    }
    out.push('…');
    out
}

/// A field's value as words for the index and text for the fields passage.
fn field_text(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if !s.starts_with("http://") && !s.starts_with("https://") => {
            out.push(s.clone());
        }
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| field_text(v, out)),
        _ => {}
    }
}

/// What one page gives the index, borrowed from the site for a build, owned by `serve` to
/// index on another thread while the next edit changes the site.
struct Source<'a> {
    url: String,
    title: Cow<'a, str>,
    section: String,
    lede: Cow<'a, str>,
    /// (label, values) of each field the page's panel shows.
    fields: Vec<(String, Vec<String>)>,
    /// The body's text, and each heading's id and span in it.
    body: Cow<'a, str>,
    headings: Vec<(Cow<'a, str>, Range<usize>)>,
    /// (filter, value) pairs.
    filters: Vec<(String, String)>,
    /// The value of the `[book] label` field, shown beside the result ("example").
    label: Option<String>,
    /// The page's `source` (its importer) when the summary is the imported text, which the
    /// client quotes and attributes as the theme's cards do.
    quoted: Option<String>,
}

impl Source<'_> {
    fn into_owned(self) -> Source<'static> {
        Source {
            url: self.url,
            title: Cow::Owned(self.title.into_owned()),
            section: self.section,
            lede: Cow::Owned(self.lede.into_owned()),
            fields: self.fields,
            body: Cow::Owned(self.body.into_owned()),
            headings: self
                .headings
                .into_iter()
                .map(|(id, span)| (Cow::Owned(id.into_owned()), span))
                .collect(),
            filters: self.filters,
            label: self.label,
            quoted: self.quoted,
        }
    }
}

/// Everything the bundle is built from (see [`input`] and [`build`]).
pub struct Input<'a> {
    pages: Pages<'a>,
    /// Filter names in display order: Section, then taxonomies as declared.
    filter_order: Vec<String>,
}

/// The pages to index: read from the site a batch at a time as [`build`] gets to them (their
/// sources are made, read and dropped together), or made beforehand.
enum Pages<'a> {
    Site {
        site: &'a Site,
        config: &'a Config,
        urls: Urls,
        ids: Vec<PageId>,
        /// Each page's body text, taken out of the site ([`input_with_texts`]).
        texts: Option<Vec<String>>,
        /// How many of `ids` were handed out.
        next: usize,
        /// Pages no content file holds (the versions pages), handed out after the site's.
        made: std::vec::IntoIter<Source<'a>>,
    },
    Made(std::vec::IntoIter<Source<'a>>),
}

impl<'a> Pages<'a> {
    fn len(&self) -> usize {
        match self {
            Pages::Site { ids, made, .. } => ids.len() + made.len(),
            Pages::Made(sources) => sources.len(),
        }
    }

    /// The sources of the next `n` pages (none once every page was handed out).
    fn batch(&mut self, n: usize) -> Vec<Source<'a>> {
        match self {
            Pages::Site {
                site,
                config,
                urls,
                ids,
                texts,
                next,
                made,
            } => {
                let end = (*next + n).min(ids.len());
                let batch = ids.get(*next..end).unwrap_or(&[]);
                *next = end;
                let mut out: Vec<Source> = batch
                    .iter()
                    .filter_map(|&i| {
                        let text = texts
                            .as_mut()
                            .map(|t| t.get_mut(i.index()).map(std::mem::take).unwrap_or_default());
                        source(site, config, urls, i, text)
                    })
                    .collect();
                out.extend(made.by_ref().take(n.saturating_sub(batch.len())));
                out
            }
            Pages::Made(sources) => sources.by_ref().take(n).collect(),
        }
    }
}

impl Input<'_> {
    /// A copy that no longer borrows the site.
    pub fn into_owned(mut self) -> Input<'static> {
        let mut sources = Vec::with_capacity(self.pages.len());
        loop {
            let batch = self.pages.batch(DOC_BATCH);
            if batch.is_empty() {
                break;
            }
            sources.extend(batch.into_iter().map(Source::into_owned));
        }
        Input {
            pages: Pages::Made(sources.into_iter()),
            filter_order: self.filter_order,
        }
    }
}

/// Page `i`'s source; its body is `text` when given (taken out of the site), else borrowed.
fn source<'a>(
    site: &'a Site,
    config: &Config,
    urls: &Urls,
    i: PageId,
    text: Option<String>,
) -> Option<Source<'a>> {
    let page = site.page(i)?;
    let rendered = site.rendered(i);
    let summary = page.fields.get("summary").and_then(|v| v.as_str());
    let described = page.fields.get("description").and_then(|v| v.as_str());
    let lede = summary
        .or(page.description.as_deref())
        .or(described)
        .unwrap_or("");
    // An imported entry's summary or description field is its source's text, not the site's,
    // unless the importer marked the summary as its own (`summary_by`: the landscape gave no
    // description, so it wrote one from the name and subcategory).
    let generated = page.fields.contains_key(GENERATED_SUMMARY);
    let imported = !generated
        && summary
            .or(described)
            .is_some_and(|s| s == lede && !s.trim().is_empty());
    let quoted = page
        .fields
        .get("source")
        .and_then(|v| v.as_str())
        .filter(|s| imported && !s.is_empty())
        .map(str::to_string);
    let collection = page
        .collection
        .as_ref()
        .and_then(|c| site.collections.get(c));
    let section = collection.map_or_else(String::new, |c| c.title.clone());
    let mut filters = Vec::new();
    if collection.is_some() {
        filters.push((SECTION_FILTER.to_string(), section.clone()));
    }
    for (taxonomy, term) in &page.terms {
        let name = config
            .taxonomies
            .get(taxonomy)
            .and_then(|t| t.title.clone())
            .unwrap_or_else(|| taxonomy.clone());
        filters.push((name, term.clone()));
    }
    let fields = page
        .fields
        .iter()
        .filter(|(name, _)| !SKIP_FIELDS.contains(&name.as_str()))
        .filter_map(|(name, value)| {
            let mut values = Vec::new();
            field_text(value, &mut values);
            // Each enum value as readers see it ([`Config::value_label`]).
            for v in &mut values {
                let label = config.value_label(page.collection.as_deref(), name, v);
                if label != v.as_str() {
                    *v = label.to_string();
                }
            }
            // Named as the page's panel names it ([`Config::field_label`]).
            (!values.is_empty())
                .then(|| (config.field_label(page.collection.as_deref(), name), values))
        })
        .collect();
    let headings = rendered.map_or_else(Vec::new, |r| {
        r.toc
            .iter()
            .zip(&r.heading_spans)
            .map(|(entry, span)| (Cow::Borrowed(entry.id.as_str()), span.clone()))
            .collect()
    });
    Some(Source {
        url: urls.link(&page.url),
        title: Cow::Borrowed(&page.title),
        section,
        lede: Cow::Borrowed(lede),
        fields,
        body: text.map_or_else(
            || Cow::Borrowed(rendered.map_or("", |r| r.text.as_str())),
            Cow::Owned,
        ),
        headings,
        filters,
        label: config
            .book
            .label
            .as_deref()
            .and_then(|f| page.fields.get(f))
            .and_then(|v| v.as_str())
            .map(str::to_string),
        quoted,
    })
}

fn doc<'a>(src: &'a Source<'a>, hasher: &hashbrown::DefaultHashBuilder) -> Read<'a> {
    let mut d = DocBuilder {
        src,
        passages: Vec::new(),
        lengths: [0; FIELD_COUNT],
        hasher,
        table: hashbrown::HashTable::with_capacity(512),
        words: Vec::with_capacity(512),
    };

    d.add(&src.title, TITLE, None);
    d.add(&src.lede, LEDE, Some(LEDE_PASSAGE));
    d.passages
        .push(Passage::made(clip(&squash(&src.lede), LEDE_CHARS)));

    let mut shown = Vec::new();
    for (label, values) in &src.fields {
        for v in values {
            d.add(v, FIELDS, Some(FIELDS_PASSAGE));
        }
        shown.push(format!("{label}: {}", values.join(", ")));
    }
    d.passages.push(Passage::made(shown.join(" · ")));

    // The body, section by section: text before the first heading, then each heading's.
    let body = &*src.body;
    let mut start = 0;
    let mut heading: (&str, &str) = ("", "");
    let mut sections: Vec<((&str, &str), &str)> = Vec::new();
    for (id, span) in &src.headings {
        sections.push((heading, body.get(start..span.start).unwrap_or("")));
        heading = (id, body.get(span.clone()).unwrap_or(""));
        start = span.end;
    }
    sections.push((heading, body.get(start..).unwrap_or("")));
    let mut passages = std::mem::take(&mut d.passages);
    let at = |p: usize| u16::try_from(p).ok();
    for ((heading_id, heading), text) in sections {
        // The heading is counted in its section's first passage, when the section has one
        // (some text that is not whitespace, as passages are cut).
        let first = at(passages.len()).filter(|_| !text.trim_start().is_empty());
        d.add(heading, HEADINGS, first);
        // The section's passages and words in one scan: each word is counted in the passage
        // being read, which is pushed when it ends.
        let mut n = 0;
        passages_and_words(text, PASSAGES, |s| match s {
            Scanned::Word(w) => n += u32::from(d.add_word(w, BODY, at(passages.len()))),
            Scanned::Passage { span, len } => passages.push(Passage {
                text: PassageText::Words(text.get(span).unwrap_or("")),
                len,
                heading_id,
                heading,
            }),
        });
        if let Some(len) = d.lengths.get_mut(BODY) {
            *len += n;
        }
    }
    d.passages = passages;
    d.finish()
}

/// The index's input: every published entry and plain page, borrowed from the site, and the
/// versions pages of the plan ([`version_sources`]).
pub fn input<'a>(site: &'a Site, config: &'a Config, urls: &Urls, plan: &Plan) -> Input<'a> {
    input_of(site, config, urls, plan, None)
}

/// [`input`], owning each page's body text, taken out of the site beforehand
/// ([`Site::release_for_writing`], in page order): [`build`] lets go of it as soon as it has read the
/// page, instead of the site holding every page's text until the bundle is done.
pub fn input_with_texts<'a>(
    site: &'a Site,
    config: &'a Config,
    urls: &Urls,
    plan: &Plan,
    texts: Vec<String>,
) -> Input<'a> {
    input_of(site, config, urls, plan, Some(texts))
}

fn input_of<'a>(
    site: &'a Site,
    config: &'a Config,
    urls: &Urls,
    plan: &Plan,
    mut texts: Option<Vec<String>>,
) -> Input<'a> {
    let indexed = |i: PageId| {
        site.is_published(i)
            && site
                .page(i)
                .is_some_and(|p| matches!(p.kind, PageKind::Entry | PageKind::Plain))
    };
    let ids: Vec<PageId> = site.ids().filter(|&i| indexed(i)).collect();
    // The text of a page that is not indexed is let go of now.
    if let Some(texts) = &mut texts {
        for (i, text) in site.ids().zip(texts.iter_mut()) {
            if !indexed(i) {
                *text = String::new();
            }
        }
    }
    let mut filter_order: Vec<String> = vec![SECTION_FILTER.to_string()];
    filter_order.extend(
        config
            .taxonomies
            .iter()
            .map(|(name, t)| t.title.clone().unwrap_or_else(|| name.clone())),
    );
    Input {
        pages: Pages::Site {
            site,
            config,
            urls: urls.clone(),
            ids,
            texts,
            next: 0,
            made: version_sources(site, config, urls, plan).into_iter(),
        },
        filter_order,
    }
}

/// The versions pages (`/kubernetes/`, `/kubernetes/1.29/`), which no content file holds: each
/// release's dates and notes as its page shows them, so "1.29 end of life" finds the page that
/// answers it. Only the versions the plan writes a page for.
fn version_sources(site: &Site, config: &Config, urls: &Urls, plan: &Plan) -> Vec<Source<'static>> {
    let Some(versions) = &site.versions else {
        return Vec::new();
    };
    let taxonomy = config.kubernetes.taxonomy();
    let section = config
        .taxonomies
        .get(taxonomy)
        .and_then(|t| t.title.clone())
        .unwrap_or_else(|| "Kubernetes versions".into());
    let made = |url: &str, title: String, lede: String, fields, body: String| Source {
        url: urls.link(url),
        title: Cow::Owned(title),
        section: section.clone(),
        lede: Cow::Owned(lede),
        fields,
        body: Cow::Owned(body),
        headings: Vec::new(),
        filters: vec![(SECTION_FILTER.to_string(), section.clone())],
        label: None,
        quoted: None,
    };
    let mut out = Vec::new();
    for route in plan.iter() {
        match &route.kind {
            RouteKind::Taxonomy { name } if name == taxonomy => out.push(made(
                &route.path,
                section.clone(),
                "Every Kubernetes minor release: when it was released, when upstream support ends, and the source that states it, with the support timeline.".into(),
                Vec::new(),
                // The table's rows, so a release no page names yet ("1.36 release date") is
                // found where its dates are shown. Written as the Markdown stage writes a
                // table (a line break then a tab before each row, a tab between its cells), so an
                // excerpt starts where a row does.
                versions
                    .releases
                    .iter()
                    .map(|r| {
                        format!(
                            "\tKubernetes {}:\treleased {},\tend of life {}.\n",
                            r.version, r.released, r.end_of_life
                        )
                    })
                    .collect::<String>(),
            )),
            RouteKind::TaxonomyTerm { name, slug } if name == taxonomy => {
                let Some(r) = versions.get(slug) else {
                    continue;
                };
                let ended = r.status == "ended";
                let mut lede = format!(
                    "Kubernetes {} {} on {}; its end of life, when upstream support {}, {} on {}.",
                    r.version,
                    if r.status == "upcoming" { "is to be released" } else { "was released" },
                    r.released,
                    if ended { "ended" } else { "ends" },
                    if ended { "was" } else { "is" },
                    r.end_of_life
                );
                if let Some(m) = &r.maintenance {
                    let starts = if matches!(r.status, "maintenance" | "ended") {
                        "started"
                    } else {
                        "starts"
                    };
                    lede.push_str(&format!(" Maintenance mode {starts} on {m}."));
                }
                // Named as the page's panel names them (kubernetes/term.html).
                let mut fields = vec![
                    ("Kubernetes".to_string(), vec![r.version.clone()]),
                    ("Released".to_string(), vec![r.released.clone()]),
                ];
                if let Some(m) = &r.maintenance {
                    fields.push(("Maintenance mode from".to_string(), vec![m.clone()]));
                }
                fields.push((
                    "End of upstream support".to_string(),
                    vec![r.end_of_life.clone()],
                ));
                out.push(made(
                    &route.path,
                    format!("Kubernetes {}", r.version),
                    lede,
                    fields,
                    r.notes.clone().unwrap_or_default(),
                ));
            }
            _ => {}
        }
    }
    out
}

/// One page's entry under a stem.
struct Posting {
    doc: u32,
    score: u32,
    passages: ArrayVec<u16, MAX_PASSAGES>,
}

/// The scored index: stems with their postings, and words with their stem.
struct Index<'v> {
    stems: FastMap<String, Vec<Posting>>,
    /// The stems whose postings are cut to [`MAX_POSTINGS`], and how many pages hold each.
    cut: FastMap<String, u32>,
    /// word → (stem, pages holding this exact form when the stem has several forms).
    words: FastMap<&'v str, (String, Option<Vec<u32>>)>,
    /// Every word, and the number of pages using it.
    df: Vec<(&'v str, u32)>,
}

fn index<'v>(docs: &mut [Doc], vocab: &'v Vocabulary) -> Index<'v> {
    // Every distinct word, stemmed once; stems numbered like words.
    let mut df = vec![0u32; vocab.words.len()];
    for d in docs.iter() {
        for (w, _) in &d.words {
            if let Some(n) = df.get_mut(*w as usize) {
                *n += 1;
            }
        }
    }
    let stemmed: Vec<String> = vocab
        .words
        .par_iter()
        .map_init(Stem::default, |stem, (w, _)| stem.of(w).into_owned())
        .collect();
    let mut stem_ids: FastMap<&str, u32> = FastMap::new();
    let mut stem_names: Vec<&str> = Vec::new();
    let stem_of: Vec<u32> = stemmed
        .iter()
        .map(|s| {
            let next = u32::try_from(stem_names.len()).unwrap_or(u32::MAX);
            *stem_ids.entry(s.as_str()).or_insert_with(|| {
                stem_names.push(s);
                next
            })
        })
        .collect();
    let mut forms = vec![0u32; stem_names.len()];
    for &s in &stem_of {
        if let Some(n) = forms.get_mut(s as usize) {
            *n += 1;
        }
    }
    let several = |w: u32| {
        stem_of
            .get(w as usize)
            .and_then(|&s| forms.get(s as usize))
            .is_some_and(|&n| n > 1)
    };

    // Words: their stem, and which pages hold the exact form when the stem has others (by
    // word id: a map was a tenth of this stage).
    let several: Vec<bool> = (0..vocab.words.len())
        .map(|w| u32::try_from(w).is_ok_and(several))
        .collect();
    let mut exact: Vec<Vec<u32>> = vec![Vec::new(); vocab.words.len()];
    for (id, d) in (0u32..).zip(docs.iter()) {
        for &(w, _) in &d.words {
            if several.get(w as usize).copied().unwrap_or(false)
                && let Some(pages) = exact.get_mut(w as usize)
            {
                pages.push(id);
            }
        }
    }

    // Per page: each stem's merged uses (the words' own are no longer needed); then stem
    // frequencies and average field lengths.
    let merged: Vec<Vec<(u32, Uses)>> = docs
        .par_iter_mut()
        .map(|d| {
            let words = std::mem::take(&mut d.words);
            let mut by_stem: Vec<(u32, &Uses)> = words
                .iter()
                .filter_map(|(w, uses)| Some((*stem_of.get(*w as usize)?, uses)))
                .collect();
            by_stem.sort_unstable_by_key(|(s, _)| *s);
            let mut out: Vec<(u32, Uses)> = Vec::with_capacity(by_stem.len());
            for (stem, uses) in by_stem {
                if out.last().is_none_or(|(s, _)| *s != stem) {
                    out.push((stem, Uses::default()));
                }
                if let Some((_, m)) = out.last_mut() {
                    m.merge(uses);
                }
            }
            out
        })
        .collect();
    let (postings, stem_df) = postings(docs, merged, stem_names.len());

    let mut words = FastMap::new();
    let mut word_df = Vec::with_capacity(vocab.words.len());
    for ((w, word), (&s, &count)) in (0u32..).zip(&vocab.words).zip(stem_of.iter().zip(&df)) {
        let word: &str = &word.0;
        let stem = stem_names.get(s as usize).copied().unwrap_or(word);
        let forms_here = exact
            .get_mut(w as usize)
            .map(std::mem::take)
            .filter(|pages| !pages.is_empty());
        if word != stem || forms_here.is_some() {
            words.insert(word, (stem.to_string(), forms_here));
        }
        word_df.push((word, count));
    }
    Index {
        cut: stem_names
            .iter()
            .zip(&stem_df)
            .filter(|(_, df)| **df as usize > MAX_POSTINGS)
            .map(|(s, df)| (s.to_string(), *df))
            .collect(),
        stems: stem_names
            .iter()
            .zip(postings)
            .filter(|(_, p)| !p.is_empty())
            .map(|(s, p)| (s.to_string(), p))
            .collect(),
        words,
        df: word_df,
    }
}

/// Each stem's postings: every page holding it, scored (BM25F), or, when it is on more than
/// [`MAX_POSTINGS`], its best-scoring pages (the first pages among equal scores) and each
/// section's best [`SECTION_POSTINGS`]; and each
/// stem's page count (the browser needs it for a cut stem: its postings undercount it).
fn postings(
    docs: &[Doc],
    merged: Vec<Vec<(u32, Uses)>>,
    stems: usize,
) -> (Vec<Vec<Posting>>, Vec<u32>) {
    let mut stem_df = vec![0u32; stems];
    for m in &merged {
        for (s, _) in m {
            if let Some(n) = stem_df.get_mut(*s as usize) {
                *n += 1;
            }
        }
    }
    let n = docs.len().max(1) as f32;
    let mut avg = [0f32; FIELD_COUNT];
    for d in docs.iter() {
        for (a, l) in avg.iter_mut().zip(d.lengths) {
            *a += l as f32;
        }
    }
    for a in &mut avg {
        *a = (*a / n).max(1.0);
    }

    let score_of = |d: &Doc, stem: u32, uses: &Uses| {
        let df = stem_df.get(stem as usize).copied().unwrap_or(1) as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let tf = bm25f_tf(&uses.tf, &d.lengths, &avg);
        let score = idf * tf * (K1 + 1.0) / (tf + K1);
        ((score * 100.0).round() as u32).max(1)
    };
    // A stem on more than MAX_POSTINGS pages keeps its best-scoring ones, and each section's
    // best SECTION_POSTINGS, the first pages among equal scores. Found before any posting is
    // made, so that no more are ever held for a stem: per cut stem (and per cut stem and
    // section), the lowest score kept and how many pages of exactly that score are.
    let mut cut: FastMap<u32, Vec<u32>> = FastMap::new();
    let mut cut_in: FastMap<(u32, &str), Vec<u32>> = FastMap::new();
    for (d, m) in docs.iter().zip(&merged) {
        for (stem, uses) in m {
            if stem_df
                .get(*stem as usize)
                .is_some_and(|&df| df as usize > MAX_POSTINGS)
            {
                let score = score_of(d, *stem, uses);
                cut.entry(*stem).or_default().push(score);
                cut_in
                    .entry((*stem, d.section.as_str()))
                    .or_default()
                    .push(score);
            }
        }
    }
    let mut bar = bars(cut, MAX_POSTINGS);
    let mut section_bar = bars(cut_in, SECTION_POSTINGS);
    let mut postings: Vec<Vec<Posting>> = (0..stems).map(|_| Vec::new()).collect();
    for (id, (d, m)) in (0u32..).zip(docs.iter().zip(merged)) {
        for (stem, uses) in m {
            let score = score_of(d, stem, &uses);
            // Both bars are asked (each counts its own ties), then either keeps the page. A
            // stem with no bar is not cut, a section with none holds at most its share.
            let overall = bar.get_mut(&stem).is_none_or(|b| b.admits(score));
            let in_section = section_bar
                .get_mut(&(stem, d.section.as_str()))
                .is_none_or(|b| b.admits(score));
            if !(overall || in_section) {
                continue;
            }
            if let Some(list) = postings.get_mut(stem as usize) {
                list.push(Posting {
                    doc: id,
                    score,
                    passages: uses.chosen(),
                });
            }
        }
    }

    (postings, stem_df)
}

/// Which of a cut stem's pages keep their posting: the best `keep` scores, in page order
/// among equal scores.
struct Bar {
    /// The lowest score kept.
    lowest: u32,
    /// How many more pages scoring exactly `lowest` are kept.
    ties: usize,
}

impl Bar {
    /// Whether the next page, scoring `score`, is kept (counting it when it is a tie).
    fn admits(&mut self, score: u32) -> bool {
        if score < self.lowest || (score == self.lowest && self.ties == 0) {
            return false;
        }
        if score == self.lowest {
            self.ties -= 1;
        }
        true
    }
}

/// The [`Bar`] of each group of scores holding more than `keep` (a smaller group keeps all).
fn bars<K: std::hash::Hash + Eq>(groups: FastMap<K, Vec<u32>>, keep: usize) -> FastMap<K, Bar> {
    groups
        .into_iter()
        .filter_map(|(key, mut scores)| {
            scores.sort_unstable_by(|a, b| b.cmp(a));
            let lowest = *scores.get(keep.checked_sub(1)?)?;
            let above = scores.iter().take_while(|&&s| s > lowest).count();
            Some((
                key,
                Bar {
                    lowest,
                    ties: keep - above,
                },
            ))
        })
        .collect()
}

/// BM25F's term frequency of one word in one page (before saturation): each field's count,
/// weighted and normalized by the field's length against its average.
fn bm25f_tf(
    tf: &[u16; FIELD_COUNT],
    lengths: &[u32; FIELD_COUNT],
    avg: &[f32; FIELD_COUNT],
) -> f32 {
    let mut sum = 0.0;
    for f in 0..FIELD_COUNT {
        let (Some(&t), Some(&w), Some(&b), Some(&l), Some(&a)) = (
            tf.get(f),
            WEIGHT.get(f),
            NORM.get(f),
            lengths.get(f),
            avg.get(f),
        ) else {
            continue;
        };
        if t > 0 {
            sum += w * f32::from(t) / (1.0 - b + b * l as f32 / a);
        }
    }
    sum
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or(s)
}

/// The shard holding `key`: its first two characters, or more while that prefix is split.
/// `search.js` computes the same.
pub fn shard_key<'a>(key: &'a str, split: &std::collections::HashSet<String>) -> &'a str {
    let len = key.chars().count();
    let mut d = 2;
    loop {
        let p = prefix(key, d);
        if d >= len || !split.contains(p) {
            return p;
        }
        d += 1;
    }
}

/// One shard file: the JSON texts of `keys` (prefix `p`), and the page counts of its cut stems.
fn shard(
    p: &str,
    keys: &[String],
    texts: &FastMap<&str, (Option<String>, Option<String>)>,
    cut: &FastMap<String, u32>,
) -> OutputFile {
    let mut keys: Vec<&String> = keys.iter().collect();
    keys.sort_unstable();
    let mut s = String::new();
    let mut w = String::new();
    let mut n = String::new();
    for k in keys {
        let Some((st, wt)) = texts.get(k.as_str()) else {
            continue;
        };
        if let Some(df) = cut.get(k.as_str()) {
            let comma = if n.is_empty() { "" } else { "," };
            let _ = write!(n, "{comma}{}:{df}", json_str(k));
        }
        for (buf, t) in [(&mut s, st), (&mut w, wt)] {
            if let Some(t) = t {
                if !buf.is_empty() {
                    buf.push(',');
                }
                buf.push_str(&json_str(k));
                buf.push(':');
                buf.push_str(t);
            }
        }
    }
    let n = if n.is_empty() {
        String::new()
    } else {
        format!(",\"n\":{{{n}}}")
    };
    OutputFile {
        path: format!("w/{}.json", shard_file(p)),
        bytes: format!("{{\"s\":{{{s}}},\"w\":{{{w}}}{n}}}").into_bytes(),
    }
}

/// The file name of a shard: the UTF-8 bytes of its key prefix, in hex.
pub fn shard_file(prefix: &str) -> String {
    prefix.bytes().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn stem_json(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 10 + 2);
    out.push('[');
    let mut last = 0;
    for (k, p) in postings.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "{},{},{}", p.doc - last, p.score, p.passages.len());
        for q in &p.passages {
            let _ = write!(out, ",{q}");
        }
        last = p.doc;
    }
    out.push(']');
    out
}

fn word_json(stem: &str, exact: Option<&Vec<u32>>) -> String {
    let Some(docs) = exact else {
        return json_str(stem);
    };
    let mut out = format!("[{}", json_str(stem));
    let mut last = 0;
    for &d in docs {
        let _ = write!(out, ",{}", d - last);
        last = d;
    }
    out.push(']');
    out
}

/// Groups keys into shards no bigger than [`SHARD_BYTES`] (one key may be bigger alone).
/// Returns the split prefixes and, per shard prefix, its keys.
fn shards(
    sizes: &FastMap<&str, usize>,
) -> (
    std::collections::HashSet<String>,
    BTreeMap<String, Vec<String>>,
) {
    let mut split = std::collections::HashSet::new();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for k in sizes.keys() {
        groups.entry(prefix(k, 2).to_string()).or_default().push(k);
    }
    let mut work: Vec<(String, usize, Vec<&str>)> =
        groups.into_iter().map(|(p, ks)| (p, 2, ks)).collect();
    while let Some((p, depth, keys)) = work.pop() {
        let total: usize = keys.iter().filter_map(|k| sizes.get(k)).sum();
        let deeper = keys.iter().any(|k| k.chars().count() > depth);
        if total <= SHARD_BYTES || depth >= MAX_SHARD_DEPTH || !deeper {
            out.insert(p, keys.iter().map(|k| k.to_string()).collect());
            continue;
        }
        split.insert(p.clone());
        let mut sub: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for k in keys {
            let key = if k.chars().count() <= depth {
                p.clone()
            } else {
                prefix(k, depth + 1).to_string()
            };
            sub.entry(key).or_default().push(k);
        }
        for (q, ks) in sub {
            if q == p {
                out.insert(q, ks.iter().map(|k| k.to_string()).collect());
            } else {
                work.push((q, depth + 1, ks));
            }
        }
    }
    (split, out)
}

/// blake3 over every file's path, length and bytes, its first 8 bytes in hex: names the
/// bundle's folder. (FNV-1a a byte at a time was 40 ms of a 10k-page bundle's 15 MB.)
fn content_hash(files: &[OutputFile]) -> String {
    let mut h = blake3::Hasher::new();
    for f in files {
        h.update(f.path.as_bytes());
        h.update(&[0]);
        h.update(&(f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    h.finalize()
        .as_bytes()
        .iter()
        .take(8)
        .fold(String::with_capacity(16), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Chooses each page's passages worth writing and packs them into blocks, renumbering the
/// postings' passages to `block * BLOCK + place`. A passage no posting points at can never be
/// shown and is left out; the summary (passage 0) is always first in block 0, shown when a
/// page matched by its title alone. Returns, per page, each block's passages (old numbers).
fn pack_passages(docs: &[Doc], stems: &mut FastMap<String, Vec<Posting>>) -> Vec<Vec<Vec<u16>>> {
    let mut shown: Vec<Vec<bool>> = docs
        .iter()
        .map(|d| {
            let mut flags = vec![false; d.passage_count];
            if let Some(f) = flags.get_mut(usize::from(LEDE_PASSAGE)) {
                *f = true;
            }
            flags
        })
        .collect();
    for p in stems.values().flatten() {
        if let Some(flags) = shown.get_mut(p.doc as usize) {
            for &q in &p.passages {
                if let Some(f) = flags.get_mut(usize::from(q)) {
                    *f = true;
                }
            }
        }
    }
    let mut renumber: Vec<Vec<u16>> = Vec::with_capacity(docs.len());
    let mut packed = Vec::with_capacity(docs.len());
    for (d, flags) in docs.iter().zip(&shown) {
        let mut new = vec![0u16; d.passage_count];
        let mut blocks: Vec<Vec<u16>> = vec![Vec::new()];
        let mut bytes = 0;
        // Every passage a posting points at was kept (see [`DocBuilder::finish`]).
        for (old, p) in d
            .kept
            .iter()
            .filter(|(n, _)| flags.get(usize::from(*n)).copied().unwrap_or(false))
            .map(|(n, k)| (*n, k))
        {
            let len = p.len as usize;
            let full = blocks
                .last()
                .is_some_and(|b| !b.is_empty() && (b.len() >= BLOCK || bytes + len > BLOCK_BYTES));
            if full {
                blocks.push(Vec::new());
                bytes = 0;
            }
            bytes += len;
            let b = blocks.len().saturating_sub(1);
            let Some(last) = blocks.last_mut() else {
                continue;
            };
            let place = b * BLOCK + last.len();
            if let (Some(slot), Ok(n)) = (new.get_mut(usize::from(old)), u16::try_from(place)) {
                *slot = n;
                last.push(old);
            }
        }
        renumber.push(new);
        packed.push(blocks);
    }
    for p in stems.values_mut().flatten() {
        if let Some(map) = renumber.get(p.doc as usize) {
            for q in &mut p.passages {
                *q = map.get(usize::from(*q)).copied().unwrap_or(0);
            }
        }
    }
    packed
}

/// The passage blocks of every page, as [`pack_passages`] chose them, [`PACK`] pages to a
/// file: `d/<pack>.json` is a JSON array of the pack's blocks, page by page, and
/// `d/<pack>-i.json` holds, per page, the byte length of each of its blocks there, so a reader
/// fetches one block with an HTTP range. Each page lets go of its kept text once its blocks
/// are made.
fn pack_files(docs: &mut [Doc], packed: &[Vec<Vec<u16>>]) -> Vec<OutputFile> {
    docs.par_chunks_mut(PACK)
        .zip(packed.par_chunks(PACK))
        .enumerate()
        .flat_map_iter(|(n, (docs, blocks))| {
            let mut pack = String::from("[");
            let mut lengths = String::from("[");
            for (k, (d, blocks)) in docs.iter_mut().zip(blocks).enumerate() {
                lengths.push_str(if k > 0 { ",[" } else { "[" });
                for (b, chosen) in blocks.iter().enumerate() {
                    let block = block_json(d, chosen);
                    if pack.len() > 1 {
                        pack.push(',');
                    }
                    pack.push_str(&block);
                    if b > 0 {
                        lengths.push(',');
                    }
                    let _ = write!(lengths, "{}", block.len());
                }
                lengths.push(']');
                d.text = String::new();
                d.kept = Vec::new();
            }
            pack.push(']');
            lengths.push(']');
            [
                OutputFile {
                    path: format!("d/{n}.json"),
                    bytes: pack.into_bytes(),
                },
                OutputFile {
                    path: format!("d/{n}-i.json"),
                    bytes: lengths.into_bytes(),
                },
            ]
        })
        .collect()
}

/// One passage block: `{"u", "t", "s", "l"?, "q"?, "h": [[heading id, heading], …], "p": [passage,
/// …]}`, a passage being `[text]`, or `[text, n]` under heading `h[n]`; `q`, in the block whose
/// first passage is the summary, names the importer whose words the summary is.
fn block_json(d: &Doc, chosen: &[u16]) -> String {
    let mut headings: Vec<&(String, String)> = Vec::new();
    let mut items = String::with_capacity(BLOCK_BYTES + 64);
    for p in chosen.iter().filter_map(|&q| d.kept(q)) {
        if !items.is_empty() {
            items.push(',');
        }
        items.push('[');
        push_json_str(&mut items, &d.passage_text(p));
        if let Some(heading) = p.heading.and_then(|h| d.headings.get(usize::from(h))) {
            let at = headings
                .iter()
                .position(|(id, _)| *id == heading.0)
                .unwrap_or_else(|| {
                    headings.push(heading);
                    headings.len() - 1
                });
            let _ = write!(items, ",{at}");
        }
        items.push(']');
    }
    let mut out = String::with_capacity(items.len() + 256);
    for (key, value) in [
        ("{\"u\":", &d.url),
        (",\"t\":", &d.title),
        (",\"s\":", &d.section),
    ] {
        out.push_str(key);
        push_json_str(&mut out, value);
    }
    if let Some(label) = &d.label {
        out.push_str(",\"l\":");
        push_json_str(&mut out, label);
    }
    // Only the block holding the summary (always its first passage) says whose words it is.
    if let Some(source) = &d.quoted
        && chosen.first() == Some(&LEDE_PASSAGE)
    {
        out.push_str(",\"q\":");
        push_json_str(&mut out, source);
    }
    out.push_str(",\"h\":[");
    for (k, (id, heading)) in headings.iter().enumerate() {
        out.push_str(if k > 0 { ",[" } else { "[" });
        push_json_str(&mut out, id);
        out.push(',');
        push_json_str(&mut out, heading);
        out.push(']');
    }
    out.push_str("],\"p\":[");
    out.push_str(&items);
    out.push_str("]}");
    out
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn push_json_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&json_str(s));
    }
}

/// Builds the whole bundle of a site.
pub fn bundle(site: &Site, config: &Config, urls: &Urls, plan: &Plan) -> Vec<OutputFile> {
    build(input(site, config, urls, plan))
}

/// Builds the whole bundle: meta, shards, vocabulary, passages and filters.
pub fn build(input: Input) -> Vec<OutputFile> {
    // Pages are read in parallel a few hundred at a time, and their words numbered as each
    // batch lands, so no more than a batch of word maps is alive at once. A batch's sources,
    // and with them the text of pages whose text the input owns, are dropped once read.
    let Input {
        mut pages,
        filter_order,
    } = input;
    let mut timer = crate::timings::Timer::new();
    let mut vocab = Vocabulary::default();
    let hasher = hashbrown::DefaultHashBuilder::default();
    let mut docs: Vec<Doc> = Vec::with_capacity(pages.len());
    loop {
        let batch: Vec<Source> = pages.batch(DOC_BATCH);
        if batch.is_empty() {
            break;
        }
        let read: Vec<Read> = batch.par_iter().map(|s| doc(s, &hasher)).collect();
        docs.extend(read.into_iter().map(|r| vocab.intern(r)));
    }
    timer.lap("search/read");
    let mut index = index(&mut docs, &vocab);
    timer.lap("search/index");
    // Passages packed into blocks of about [`BLOCK_BYTES`], before the postings that number
    // them are written.
    let packed = pack_passages(&docs, &mut index.stems);
    timer.lap("search/pack");

    // Every key's JSON text, then the shards.
    let mut texts: FastMap<&str, (Option<String>, Option<String>)> = FastMap::new();
    let stem_texts: Vec<(&str, String)> = index
        .stems
        .iter()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(s, p)| (s.as_str(), stem_json(p)))
        .collect();
    for (s, t) in stem_texts {
        texts.entry(s).or_default().0 = Some(t);
    }
    for (w, (stem, exact)) in &index.words {
        texts.entry(w).or_default().1 = Some(word_json(stem, exact.as_ref()));
    }
    let sizes: FastMap<&str, usize> = texts
        .iter()
        .map(|(k, (s, w))| {
            let len = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() + k.len() + 4);
            (*k, len(s) + len(w))
        })
        .collect();
    let (split, groups) = shards(&sizes);
    let mut files: Vec<OutputFile> = groups
        .par_iter()
        .map(|(p, keys)| shard(p, keys, &texts, &index.cut))
        .collect();

    timer.lap("search/shards");
    // Typo vocabulary: letters-only words by length, most used first.
    let mut vocab: BTreeMap<usize, Vec<(&str, u32)>> = BTreeMap::new();
    for &(w, n) in &index.df {
        let len = w.chars().count();
        if VOCAB_LEN.contains(&len) && w.chars().all(char::is_alphabetic) {
            vocab.entry(len).or_default().push((w, n));
        }
    }
    let lengths: Vec<usize> = vocab.keys().copied().collect();
    for (len, mut list) in vocab {
        list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let text: Vec<&str> = list.iter().map(|(w, _)| *w).collect();
        files.push(OutputFile {
            path: format!("v/{len}.txt"),
            bytes: text.join("\n").into_bytes(),
        });
    }

    timer.lap("search/vocab");
    files.extend(pack_files(&mut docs, &packed));
    timer.lap("search/blocks");

    // filter → value → pages, filters in a fixed order: Section, then taxonomies as declared.
    let mut filters: HashMap<&str, BTreeMap<&str, Vec<u32>>> = HashMap::new();
    for (id, d) in (0u32..).zip(&docs) {
        for (name, value) in &d.filters {
            filters
                .entry(name.as_str())
                .or_default()
                .entry(value.as_str())
                .or_default()
                .push(id);
        }
    }
    let mut listed = Vec::new();
    for name in &filter_order {
        let Some(values) = filters.get(name.as_str()) else {
            continue;
        };
        let n = listed.len();
        listed.push(json!({
            "name": name,
            "values": values.iter().map(|(v, ids)| json!([v, ids.len()])).collect::<Vec<_>>(),
        }));
        files.push(OutputFile {
            path: format!("f/{n}.json"),
            bytes: json!(values.values().collect::<Vec<_>>())
                .to_string()
                .into_bytes(),
        });
    }
    files.push(OutputFile {
        path: "filters.json".into(),
        bytes: json!(listed).to_string().into_bytes(),
    });

    timer.lap("search/filters");
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let hash = content_hash(&files);
    for f in &mut files {
        f.path = format!("{DATA}{hash}/{}", f.path);
    }
    let mut split: Vec<String> = split.into_iter().collect();
    split.sort_unstable();
    files.push(OutputFile {
        path: format!("{DATA}meta.json"),
        bytes: json!({
            "index": format!("{hash}/"),
            "pages": docs.len(),
            "block": BLOCK,
            "pack": PACK,
            "format": FORMAT,
            "stop": tokens::STOP_WORDS,
            "split": split,
            "vocab": lengths,
            "groups": version_runs(&docs),
            "version": env!("CARGO_PKG_VERSION"),
        })
        .to_string()
        .into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_differing_only_by_version_are_grouped_when_neighbours() {
        let doc = |title: &str, section: &str| {
            let mut d = read("body", 0..0);
            d.title = title.to_string();
            d.section = section.to_string();
            d
        };
        let docs = vec![
            doc("Kamaji on Kubernetes 1.26", "Conformance"),
            doc("Kamaji on Kubernetes 1.27", "Conformance"),
            doc("Kamaji on Kubernetes v1.28.1", "Conformance"),
            doc("KubeCube on Kubernetes 1.26", "Conformance"),
            doc("Etcd", "Tools"),
            doc("Etcd", "Tools"),
            doc("Upgrading to 1.30", "Notes"),
            doc("Upgrading to 1.31", "Notes"),
        ];
        // Titles without a version group nothing, even when equal.
        assert_eq!(version_runs(&docs), vec![[0, 3], [6, 2]]);
        assert_eq!(title_without_versions("Etcd"), "");
        assert_eq!(
            title_without_versions("KubeCube on Kubernetes 1.26"),
            "kubecube on kubernetes"
        );
    }

    /// A stem on more pages than [`MAX_POSTINGS`] keeps its best-scoring pages, and still the
    /// best of a section whose pages all score lower (one long tool page against a thousand
    /// short results that all say "test").
    #[test]
    fn a_cut_stem_keeps_the_best_pages_of_every_section() {
        let page = |section: &str, body_words: u32| {
            let mut d = read("body", 0..0);
            d.section = section.to_string();
            d.lengths[BODY] = body_words;
            d
        };
        let short = MAX_POSTINGS + 200;
        let mut docs: Vec<Doc> = (0..short).map(|_| page("Conformance", 10)).collect();
        docs.extend((0..3).map(|i| page("Tools", 2000 + i)));
        let once = {
            let mut u = Uses::default();
            u.count(BODY, Some(2));
            u
        };
        let merged: Vec<Vec<(u32, Uses)>> = docs.iter().map(|_| vec![(0, once)]).collect();
        let (postings, df) = postings(&docs, merged, 1);
        assert_eq!(df, vec![u32::try_from(short + 3).unwrap_or(u32::MAX)]);
        let kept = &postings[0];
        let tools: Vec<u32> = kept
            .iter()
            .filter(|p| docs[p.doc as usize].section == "Tools")
            .map(|p| p.doc)
            .collect();
        // The tool pages score lowest (long bodies), yet all three keep the stem.
        let tool_ids: Vec<u32> = (0..3)
            .map(|i| u32::try_from(short).unwrap_or(0) + i)
            .collect();
        assert_eq!(tools, tool_ids);
        assert!(
            kept.iter()
                .filter(|p| docs[p.doc as usize].section == "Tools")
                .all(|t| kept.iter().all(|p| p.score >= t.score)),
            "the tool pages are the lowest scores kept"
        );
        assert_eq!(kept.len(), MAX_POSTINGS + 3, "no other page is kept");
    }

    #[test]
    fn shards_are_safe_file_names() {
        assert_eq!(shard_file("et"), "6574");
        assert_eq!(shard_file("ét"), "c3a974");
    }

    #[test]
    fn big_shards_split_by_one_more_character() {
        let big = SHARD_BYTES / 2 + 1;
        let sizes: FastMap<&str, usize> = [
            ("kubeadm", big),
            ("kubelet", big),
            ("kured", 10),
            ("ku", 10),
            ("etcd", 10),
        ]
        .into_iter()
        .collect();
        let (split, groups) = shards(&sizes);
        assert!(split.contains("ku"), "{split:?}");
        for key in sizes.keys() {
            let shard = shard_key(key, &split);
            assert!(
                groups
                    .get(shard)
                    .is_some_and(|ks| ks.iter().any(|k| k == key)),
                "{key} is in shard {shard}: {groups:?}"
            );
        }
        assert_eq!(shard_key("etcd", &split), "et");
        assert_eq!(shard_key("ku", &split), "ku");
    }

    /// A page of `body` under one heading `h` (spanning `heading`), read as a build reads it.
    fn read(body: &str, heading: std::ops::Range<usize>) -> Doc {
        let src = Source {
            url: "/p/".into(),
            title: Cow::Borrowed("Page"),
            section: String::new(),
            lede: Cow::Borrowed(""),
            fields: Vec::new(),
            body: Cow::Borrowed(body),
            headings: vec![(Cow::Borrowed("h"), heading)],
            filters: Vec::new(),
            label: None,
            quoted: None,
        };
        doc(&src, &hashbrown::DefaultHashBuilder::default()).doc
    }

    /// The kept body passages of a page (past the summary and fields), squashed, with the id
    /// of their heading.
    fn body_passages(d: &Doc) -> Vec<(String, String)> {
        d.kept
            .iter()
            .filter(|(n, _)| *n > FIELDS_PASSAGE)
            .map(|(_, k)| {
                let heading = k
                    .heading
                    .and_then(|h| d.headings.get(usize::from(h)))
                    .map_or(String::new(), |(id, _)| id.clone());
                (d.passage_text(k).into_owned(), heading)
            })
            .collect()
    }

    #[test]
    fn passages_end_at_sentences() {
        let text = "Heading one two three four five six seven eight nine ten eleven twelve \
                    thirteen fourteen fifteen sixteen seventeen eighteen. nineteen twenty";
        let d = read(text, 0..7);
        let passages = body_passages(&d);
        assert_eq!(passages.len(), 2, "{passages:?}");
        assert_eq!(
            passages[1],
            ("nineteen twenty".to_string(), "h".to_string())
        );
        assert_eq!(d.headings, [("h".to_string(), "Heading".to_string())]);
        // A passage is a slice of the text, squashed when written (a block's end to one line
        // break, a cell's to a space), and its length counted as written.
        let d = read("H  alpha \n\n  beta\tgamma  ", 0..1);
        let (_, k) = d.kept.last().expect("a body passage");
        assert!(k.words);
        assert_eq!(d.passage_text(k), "alpha\nbeta gamma");
        assert_eq!(k.len as usize, "alpha\nbeta gamma".len());
        assert_eq!(d.lengths[BODY], 3);
        assert_eq!(d.lengths[HEADINGS], 0, "a one-letter heading has no word");
    }
}
