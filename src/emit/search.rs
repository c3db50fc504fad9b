//! Search bundle: a static, sharded inverted index of every published entry and plain page,
//! built from the text the Markdown stage kept (no HTML is parsed again). The browser loads
//! `meta.json`, then only the word shards its query needs (one per two-letter prefix) and the
//! page chunks holding its results; `filters.json` lists, per filter (the page's collection and
//! each taxonomy), which pages carry each value. `search.js` in the theme is the client.
//!
//! Layout under [`DATA`]: `meta.json`, `filters.json`, `pages/<chunk>.json` (`[url, title,
//! section, snippet]` rows, [`CHUNK`] pages a file), `words/<hex of prefix>.json`
//! (`{word: [page, score, page, score, …]}`, best pages first).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::json;

use crate::config::Config;
use crate::content::PageKind;
use crate::output::{OutputFile, Urls};
use crate::site::Site;

/// Site path of the bundle's folder.
pub const DATA: &str = "/search/data/";
/// Pages per `pages/<n>.json` file.
pub const CHUNK: usize = 500;
/// Filter holding a page's collection title.
pub const SECTION_FILTER: &str = "Section";
/// At most this many pages are kept for one word (the best-scoring ones).
const MAX_POSTINGS: usize = 2000;
/// Characters of the result snippet.
const SNIPPET_CHARS: usize = 180;
/// Score of a title word: the base plus a bonus shared among the title's words.
const TITLE_WEIGHT: u32 = 10;
const TITLE_BONUS: u32 = 20;
/// Score of each use of a word in the summary (or description).
const LEDE_WEIGHT: u32 = 4;
/// Body uses of a word count once each, up to this many.
const BODY_CAP: u32 = 8;

const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of", "on",
    "or", "that", "the", "this", "to", "was", "we", "with",
];

/// Splits `text` into lowercase words: runs of letters and digits, keeping a `.` between two
/// digits ("1.33"). Words shorter than two characters and stop words are dropped. The client
/// splits queries the same way.
pub fn words(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(32);
    let mut prev_digit = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII fast path: most text is ASCII, and lowercasing it needs no tables.
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                word.push(char::from(b.to_ascii_lowercase()));
                prev_digit = b.is_ascii_digit();
            } else if b == b'.' && prev_digit && bytes.get(i).is_some_and(u8::is_ascii_digit) {
                word.push('.');
            } else {
                flush(&mut word, &mut each);
                prev_digit = false;
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        prev_digit = false;
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut each);
        }
    }
    flush(&mut word, &mut each);
}

fn flush(word: &mut String, each: &mut impl FnMut(&str)) {
    if word.chars().nth(1).is_some() && !STOP_WORDS.contains(&word.as_str()) {
        each(word);
    }
    word.clear();
}

/// The shard a word lives in: its first two characters.
fn prefix(word: &str) -> &str {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    word.get(..end).unwrap_or(word)
}

/// The file name of a shard: the UTF-8 bytes of the word's first two characters, in hex.
pub fn shard_of(word: &str) -> String {
    prefix(word).bytes().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// (page, score) pairs of one word.
type Postings = Vec<(u32, u32)>;
/// The words of one shard and their postings.
type Shard<'a> = FastMap<&'a str, Postings>;
type FastMap<K, V> = hashbrown::HashMap<K, V>;

/// One indexed page.
struct Doc {
    url: String,
    title: String,
    section: String,
    snippet: String,
    /// (filter, value) pairs.
    filters: Vec<(String, String)>,
    /// (word, score) pairs.
    scores: Vec<(Box<str>, u32)>,
}

fn snippet(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= SNIPPET_CHARS {
        return s;
    }
    let mut out: String = s.chars().take(SNIPPET_CHARS).collect();
    if let Some(cut) = out.rfind(' ') {
        out.truncate(cut);
    }
    out.push('…');
    out
}

fn docs(site: &Site, config: &Config, urls: &Urls) -> Vec<Doc> {
    let indexed: Vec<usize> = (0..site.pages.len())
        .filter(|&i| {
            site.is_published(i)
                && site
                    .pages
                    .get(i)
                    .is_some_and(|p| matches!(p.kind, PageKind::Entry | PageKind::Plain))
        })
        .collect();
    indexed
        .par_iter()
        .filter_map(|&i| {
            let page = site.pages.get(i)?;
            let body = site.rendered.get(i).map_or("", |r| r.text.as_str());
            let lede = page
                .fields
                .get("summary")
                .and_then(|v| v.as_str())
                .or(page.description.as_deref())
                .unwrap_or("");
            // Title words weigh most, more so in short titles (a tool's own page beats a note
            // that names the tool among other words); body words count up to a cap, so a long
            // page that repeats a word does not drown a short one about it.
            let mut title_words = 0u32;
            words(&page.title, |_| title_words += 1);
            let title_weight = TITLE_WEIGHT + TITLE_BONUS / title_words.max(1);
            let mut scores: FastMap<String, (u32, u32)> = FastMap::with_capacity(256);
            words(&page.title, |w| {
                scores.entry_ref(w).or_insert((0, 0)).0 += title_weight
            });
            words(lede, |w| {
                scores.entry_ref(w).or_insert((0, 0)).0 += LEDE_WEIGHT
            });
            words(body, |w| scores.entry_ref(w).or_insert((0, 0)).1 += 1);
            let scores: Vec<(Box<str>, u32)> = scores
                .into_iter()
                .map(|(w, (fixed, body))| (w.into_boxed_str(), fixed + body.min(BODY_CAP)))
                .collect();
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
            Some(Doc {
                url: urls.link(&page.url),
                title: page.title.clone(),
                section,
                snippet: snippet(if lede.is_empty() { body } else { lede }),
                filters,
                scores,
            })
        })
        .collect()
}

/// `{"word":[page,score,…],…}`, words sorted, each word's best pages first.
fn shard_json(words: Shard) -> String {
    let mut sorted: Vec<(&str, Postings)> = words.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let size = sorted.iter().map(|(w, p)| w.len() + 8 + p.len() * 10).sum();
    let mut out = String::with_capacity(size);
    out.push('{');
    for (n, (word, mut postings)) in sorted.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(word).to_string());
        out.push_str(":[");
        postings.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        postings.truncate(MAX_POSTINGS);
        for (k, (page, score)) in postings.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, "{page},{score}");
        }
        out.push(']');
    }
    out.push('}');
    out
}

fn json_file(path: String, value: &serde_json::Value) -> OutputFile {
    OutputFile {
        path,
        bytes: value.to_string().into_bytes(),
    }
}

/// Builds the whole bundle: meta, filters, page chunks and word shards.
pub fn bundle(site: &Site, config: &Config, urls: &Urls) -> Vec<OutputFile> {
    let docs = docs(site, config, urls);

    // shard → word → postings (page, score).
    let mut shards: FastMap<&str, Shard> = FastMap::new();
    for (id, doc) in (0u32..).zip(&docs) {
        for (word, score) in &doc.scores {
            shards
                .entry(prefix(word))
                .or_default()
                .entry(&**word)
                .or_default()
                .push((id, *score));
        }
    }
    let shards: Vec<(&str, Shard)> = shards.into_iter().collect();
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(prefix, words)| OutputFile {
            path: format!("{DATA}words/{}.json", shard_of(prefix)),
            bytes: shard_json(words).into_bytes(),
        })
        .collect();

    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|d| json!([d.url, d.title, d.section, d.snippet]))
            .collect();
        files.push(json_file(format!("{DATA}pages/{n}.json"), &json!(rows)));
    }

    // filter → value → pages, filters in a fixed order: Section, then taxonomies as declared.
    let mut order: Vec<String> = vec![SECTION_FILTER.to_string()];
    order.extend(
        config
            .taxonomies
            .iter()
            .map(|(name, t)| t.title.clone().unwrap_or_else(|| name.clone())),
    );
    let mut filters: HashMap<&str, BTreeMap<&str, Vec<u32>>> = HashMap::new();
    for (id, doc) in (0u32..).zip(&docs) {
        for (name, value) in &doc.filters {
            filters
                .entry(name.as_str())
                .or_default()
                .entry(value.as_str())
                .or_default()
                .push(id);
        }
    }
    let filters_json: Vec<_> = order
        .iter()
        .filter_map(|name| {
            let values = filters.get(name.as_str())?;
            let values: Vec<_> = values
                .iter()
                .map(|(value, ids)| json!({"value": value, "pages": ids}))
                .collect();
            Some(json!({"name": name, "values": values}))
        })
        .collect();
    files.push(json_file(
        format!("{DATA}filters.json"),
        &json!(filters_json),
    ));
    files.push(json_file(
        format!("{DATA}meta.json"),
        &json!({"pages": docs.len(), "chunk": CHUNK, "version": env!("CARGO_PKG_VERSION")}),
    ));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(s, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_keep_versions_and_drop_noise() {
        assert_eq!(
            split("Upgrading to Kubernetes 1.33, the kube-proxy way. v1.2."),
            [
                "upgrading",
                "kubernetes",
                "1.33",
                "kube",
                "proxy",
                "way",
                "v1.2"
            ]
        );
        assert_eq!(split("Ünïcode ÉTCD a b"), ["ünïcode", "étcd"]);
    }

    #[test]
    fn shards_are_safe_file_names() {
        assert_eq!(shard_of("etcd"), "6574");
        assert_eq!(shard_of("ét"), "c3a974");
    }
}
