//! Words of the search index: how text is split into words, the stop list, the extra forms of a
//! version number, and the Snowball English stem that makes word forms meet. The client splits
//! queries with the same rule (its stop list comes from `meta.json`), so both sides agree.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};

/// Words dropped from pages and queries: they carry no meaning on their own, and a question
/// ("how do I replace an etcd member") is found by the words that are left.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "each", "few", "for", "from", "further", "get", "got", "had",
    "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
    "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now",
    "of", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your",
];

/// Whether `word` is on the stop list: a hash lookup, as it runs for every word of every page
/// (a binary search over the list was a tenth of a 10k build's CPU).
pub fn is_stop(word: &str) -> bool {
    static SET: std::sync::LazyLock<hashbrown::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    word.len() <= LONGEST_STOP_WORD && SET.contains(word)
}

/// Bytes of the longest stop word: longer words skip the lookup.
const LONGEST_STOP_WORD: usize = 7;

/// Splits `text` into lowercase words: runs of letters and digits, keeping a `.` between two
/// digits ("1.33"). Words shorter than two characters and stop words are dropped.
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
    if word.chars().nth(1).is_some() && !is_stop(word) {
        each(word);
    }
    word.clear();
}

/// The shorter forms under which a version is also found: `v1.34.1` → `1.34.1`, `1.34`
/// (never a bare major number). Empty for anything that is not a dotted version.
pub fn version_forms(word: &str) -> Vec<&str> {
    let bare = match word.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => word,
    };
    if !bare.contains('.') || !bare.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Vec::new();
    }
    let mut forms = Vec::new();
    if bare.len() < word.len() {
        forms.push(bare);
    }
    let mut dots = bare.match_indices('.').map(|(i, _)| i).skip(1);
    for end in dots.by_ref() {
        if let Some(prefix) = bare.get(..end) {
            forms.push(prefix);
        }
    }
    forms
}

/// The Snowball English stemmer; words holding a digit are their own stem.
pub struct Stem(Stemmer);

impl Default for Stem {
    fn default() -> Self {
        Self(Stemmer::create(Algorithm::English))
    }
}

impl Stem {
    pub fn of<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.bytes().any(|b| b.is_ascii_digit()) {
            Cow::Borrowed(word)
        } else {
            self.0.stem(word)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_word_is_found_and_no_other() {
        for w in STOP_WORDS {
            assert!(is_stop(w), "{w}");
            assert!(
                w.len() <= LONGEST_STOP_WORD,
                "{w} is longer than LONGEST_STOP_WORD"
            );
        }
        for w in ["etcd", "kubeadm", "abouts", "", "thes", "because1"] {
            assert!(!is_stop(w), "{w}");
        }
    }

    fn split(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(s, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn stop_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
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
        assert_eq!(
            split("How do I replace an etcd member?"),
            ["replace", "etcd", "member"]
        );
    }

    #[test]
    fn versions_are_found_by_every_level() {
        assert_eq!(version_forms("v1.34.1"), ["1.34.1", "1.34"]);
        assert_eq!(version_forms("1.33.4"), ["1.33"]);
        assert_eq!(version_forms("1.34"), Vec::<&str>::new());
        assert!(version_forms("v2").is_empty());
        assert!(version_forms("vsphere").is_empty());
        assert!(version_forms("1.2.3.4").contains(&"1.2.3"));
    }

    #[test]
    fn word_forms_share_a_stem() {
        let s = Stem::default();
        assert_eq!(s.of("restoring"), s.of("restore"));
        assert_eq!(s.of("restored"), s.of("restore"));
        assert_eq!(s.of("migration"), s.of("migrate"));
        assert_eq!(s.of("backups"), s.of("backup"));
        assert_eq!(s.of("1.34"), "1.34");
    }
}
