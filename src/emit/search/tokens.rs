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

/// A word as [`words`] gives it: a slice of the text when the text already spells it in
/// lowercase (most words of a page, so indexing them copies nothing), or lowered into a buffer
/// that lives until the next word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word<'t, 'b> {
    Text(&'t str),
    Lowered(&'b str),
}

impl Word<'_, '_> {
    pub fn as_str(&self) -> &str {
        match self {
            Word::Text(w) | Word::Lowered(w) => w,
        }
    }
}

/// Splits `text` into lowercase words: runs of letters and digits, keeping a `.` between two
/// digits ("1.33"). Words shorter than two characters and stop words are dropped.
pub fn words<'t>(text: &'t str, mut each: impl for<'b> FnMut(Word<'t, 'b>)) {
    all_words(text, |w| {
        if !is_stop(w.as_str()) {
            each(w);
        }
    });
}

/// [`words`] with the stop words left in, for a caller that tells them apart once per
/// distinct word instead of once per word.
pub fn all_words<'t>(text: &'t str, mut each: impl for<'b> FnMut(Word<'t, 'b>)) {
    let bytes = text.as_bytes();
    let mut lowered = String::with_capacity(32);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphanumeric() {
            i = ascii_word(text, i, &mut lowered, &mut each);
        } else if b.is_ascii() {
            i += 1;
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) if c.is_alphanumeric() => {
                    lowered.clear();
                    i = other_word(text, i, &mut lowered, &mut each);
                }
                Some(c) => i += c.len_utf8(),
                None => break,
            }
        }
    }
}

/// What [`passages_and_words`] meets, in text order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned<'t, 'b> {
    /// A word of the passage being read (as [`all_words`] gives it).
    Word(Word<'t, 'b>),
    /// The passage being read ended: its span in the text, from its first whitespace-separated
    /// word to its last, and its length once its whitespace is squashed to single spaces.
    Passage {
        span: std::ops::Range<usize>,
        len: usize,
    },
}

/// Where a passage ends. The text marks its blocks with its whitespace (as the Markdown stage
/// writes it): a line break ends a block (a paragraph, heading, list item or table row); the
/// whitespace between two cells of a row holds a tab, and the whitespace before a row's first
/// word a line break then a tab. A passage ends at the first block end after `min` words;
/// outside a table row also at the first sentence end after `min` words, or at `max` words;
/// inside a row only between cells after `max` words (or, in one huge cell, at `2 × max`).
/// So a passage never starts in the middle of a row: an excerpt of a table starts at a row or
/// cell, and one of prose at a block or sentence.
#[derive(Debug, Clone, Copy)]
pub struct PassageRule {
    pub min: usize,
    pub max: usize,
}

/// The whitespace between two words, as far as passages care: whether it holds a line break
/// (a block ends), and a tab (a cell starts), and a tab after its last line break (the next
/// word is in a table row).
#[derive(Debug, Clone, Copy, Default)]
struct Gap {
    line: bool,
    tab: bool,
    tab_after_line: bool,
}

impl Gap {
    fn add(&mut self, c: u8) {
        match c {
            b'\n' => {
                self.line = true;
                self.tab_after_line = false;
            }
            b'\t' => {
                self.tab = true;
                self.tab_after_line = true;
            }
            _ => {}
        }
    }

    /// Whether the word after the gap is in a table row, given whether the word before was.
    fn in_row(self, before: bool) -> bool {
        if self.line {
            self.tab_after_line
        } else {
            before || self.tab
        }
    }

    /// Whether a passage of `count` words, its last ending a sentence or not, ends at this
    /// gap, the words before it being in a row or not.
    fn cuts(self, rule: PassageRule, count: usize, sentence_end: bool, in_row: bool) -> bool {
        if self.line {
            count >= rule.min
        } else if self.tab {
            count >= rule.max
        } else if in_row {
            count >= 2 * rule.max
        } else {
            count >= rule.max || (sentence_end && count >= rule.min)
        }
    }
}

/// Splits `text` into passages and their words in one scan: the passages are runs of
/// whitespace-separated words (as [`spaced_words`] splits), cut by `rule`; the words are
/// [`all_words`]'. Every word comes before the end of the passage it is in. A word never spans
/// whitespace, so it is always in one passage.
pub fn passages_and_words<'t>(
    text: &'t str,
    rule: PassageRule,
    mut each: impl for<'b> FnMut(Scanned<'t, 'b>),
) {
    let bytes = text.as_bytes();
    let mut lowered = String::with_capacity(32);
    // The whitespace-separated word being read (its start), and the passage: its span so far,
    // words and squashed length. Whether a passage ends after a word is known once the
    // whitespace after it is read (`ended`: the word ended a sentence).
    let mut spaced: Option<usize> = None;
    let mut passage: Option<(usize, usize)> = None;
    let (mut count, mut len) = (0usize, 0usize);
    let mut ended: Option<bool> = None;
    let mut gap = Gap::default();
    let mut in_row = false;
    let flush = |passage: &mut Option<(usize, usize)>,
                 count: &mut usize,
                 len: &mut usize,
                 each: &mut dyn for<'b> FnMut(Scanned<'t, 'b>)| {
        if let Some((from, to)) = passage.take() {
            each(Scanned::Passage {
                span: from..to,
                len: *len,
            });
        }
        *count = 0;
        *len = 0;
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (width, space, alnum) = if b.is_ascii() {
            (
                1,
                matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'),
                b.is_ascii_alphanumeric(),
            )
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.len_utf8(), c.is_whitespace(), c.is_alphanumeric()),
                None => break,
            }
        };
        if space {
            if let Some(start) = spaced.take() {
                let span = passage.get_or_insert((start, start));
                span.1 = i;
                len += i - start + usize::from(count > 0);
                count += 1;
                ended = Some(
                    i.checked_sub(1)
                        .and_then(|last| bytes.get(last))
                        .is_some_and(|b| matches!(b, b'.' | b'!' | b'?' | b':')),
                );
                gap = Gap::default();
            }
            gap.add(b);
            i += width;
            continue;
        }
        if spaced.is_none() {
            // A word starts: the gap before it is read whole.
            if let Some(sentence_end) = ended.take()
                && gap.cuts(rule, count, sentence_end, in_row)
            {
                flush(&mut passage, &mut count, &mut len, &mut each);
            }
            in_row = gap.in_row(in_row);
            gap = Gap::default();
            spaced = Some(i);
        }
        if !alnum {
            i += width;
        } else if b.is_ascii() {
            i = ascii_word(text, i, &mut lowered, &mut |w| each(Scanned::Word(w)));
        } else {
            lowered.clear();
            i = other_word(text, i, &mut lowered, &mut |w| each(Scanned::Word(w)));
        }
    }
    if let Some(start) = spaced {
        passage.get_or_insert((start, start)).1 = bytes.len();
        len += bytes.len() - start + usize::from(count > 0);
    }
    flush(&mut passage, &mut count, &mut len, &mut each);
}

/// The word starting at ASCII letter or digit `start`: scanned in place, and given as a slice
/// of `text` unless it needs lowering. Returns where scanning goes on.
fn ascii_word<'t>(
    text: &'t str,
    start: usize,
    lowered: &mut String,
    each: &mut impl for<'b> FnMut(Word<'t, 'b>),
) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut upper = false;
    while let Some(&c) = bytes.get(end) {
        if c.is_ascii_alphanumeric() {
            upper |= c.is_ascii_uppercase();
            end += 1;
        } else if c == b'.' && digit_at(bytes, end.wrapping_sub(1)) && digit_at(bytes, end + 1) {
            end += 1;
        } else if !c.is_ascii()
            && text
                .get(end..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_alphanumeric)
        {
            // A letter beyond ASCII goes on with the word: lowered as a whole.
            lowered.clear();
            lowered.push_str(text.get(start..end).unwrap_or(""));
            lowered.make_ascii_lowercase();
            return other_word(text, end, lowered, each);
        } else {
            break;
        }
    }
    // ASCII: two bytes are two characters.
    if end - start < 2 {
        return end;
    }
    let word = text.get(start..end).unwrap_or("");
    if upper {
        lowered.clear();
        lowered.push_str(word);
        lowered.make_ascii_lowercase();
        each(Word::Lowered(lowered));
    } else {
        each(Word::Text(word));
    }
    end
}

/// The rest of a word holding letters beyond ASCII, from `at`, lowered char by char onto
/// `lowered`. Returns where scanning goes on.
fn other_word<'t>(
    text: &'t str,
    mut at: usize,
    lowered: &mut String,
    each: &mut impl for<'b> FnMut(Word<'t, 'b>),
) -> usize {
    let bytes = text.as_bytes();
    let mut prev_digit = false;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                lowered.push(char::from(b.to_ascii_lowercase()));
                prev_digit = b.is_ascii_digit();
            } else if b == b'.' && prev_digit && digit_at(bytes, at + 1) {
                lowered.push('.');
            } else {
                break;
            }
            at += 1;
            continue;
        }
        match text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) if c.is_alphanumeric() => {
                lowered.extend(c.to_lowercase());
                prev_digit = false;
                at += c.len_utf8();
            }
            _ => break,
        }
    }
    if keep(lowered) {
        each(Word::Lowered(lowered));
    }
    at
}

/// What `str::split_whitespace` gives, scanning bytes: an ASCII byte is told apart without
/// decoding a char, and page text is mostly ASCII (std's decodes every char).
pub fn spaced_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Bytes of the whitespace char at `i`, or 0 when there is none.
    let space_at = move |i: usize| match bytes.get(i) {
        Some(b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') => 1,
        Some(b) if !b.is_ascii() => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    };
    std::iter::from_fn(move || {
        loop {
            match space_at(i) {
                0 => break,
                n => i += n,
            }
        }
        let start = i;
        loop {
            // Printable ASCII, the bulk of any page, needs no other test.
            while bytes.get(i).is_some_and(|b| (0x21..0x7f).contains(b)) {
                i += 1;
            }
            if i >= bytes.len() || space_at(i) != 0 {
                break;
            }
            // A control byte, or a char beyond ASCII that is not whitespace.
            i += 1;
            while bytes.get(i).is_some_and(|b| (b & 0xC0) == 0x80) {
                i += 1;
            }
        }
        (i > start).then(|| text.get(start..i)).flatten()
    })
}

fn digit_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i).is_some_and(u8::is_ascii_digit)
}

/// Words of two characters or more.
fn keep(word: &str) -> bool {
    word.chars().nth(1).is_some()
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
        words(s, |w| out.push(w.as_str().to_string()));
        out
    }

    /// The splitting rule as it was written first, char by char: the fast scanner must give
    /// the same words for any text.
    fn split_reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut prev_digit = false;
        let chars: Vec<char> = text.chars().collect();
        let mut flush = |word: &mut String| {
            if keep(word) && !is_stop(word) {
                out.push(word.clone());
            }
            word.clear();
        };
        for (k, &c) in chars.iter().enumerate() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    word.push(c.to_ascii_lowercase());
                    prev_digit = c.is_ascii_digit();
                } else if c == '.'
                    && prev_digit
                    && chars.get(k + 1).is_some_and(char::is_ascii_digit)
                {
                    word.push('.');
                } else {
                    flush(&mut word);
                    prev_digit = false;
                }
            } else if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
                prev_digit = false;
            } else {
                flush(&mut word);
                prev_digit = false;
            }
        }
        flush(&mut word);
        out
    }

    /// 5,000 texts of up to `max_len` pieces of `alphabet`, from a fixed seed.
    fn random_texts(alphabet: &[&str], max_len: u64, mut seed: u64) -> Vec<String> {
        (0..5000)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..(seed % max_len) {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    text.push_str(alphabet[(seed >> 33) as usize % alphabet.len()]);
                }
                seed = seed.wrapping_add(0x9e37_79b9);
                text
            })
            .collect()
    }

    #[test]
    fn spaced_words_split_as_std() {
        let alphabet = [
            "a", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{1c}", "\u{85}", "\u{a0}", "é",
            "\u{2003}", "\u{3000}", "日", "·",
        ];
        for text in random_texts(&alphabet, 20, 0x2545_f491_4f6c_dd1d) {
            let ours: Vec<&str> = spaced_words(&text).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn the_scanner_splits_as_the_reference_rule() {
        let cases = [
            "Upgrading to Kubernetes 1.33, the kube-proxy way. v1.2.",
            "Ünïcode ÉTCD a b straße İstanbul ΣΊΣΥΦΟΣ",
            "v1.34.1 1..2 .5 5. x.1 1.x 10.0.0.1/24 ab1.2cd",
            "caféS naïve-Wort Ab\u{300}c 日本語テキスト mixÉd123.4",
            "",
            "é",
            "a1 b2 1a ÀB 12 1.2 —— … · kubectl’s",
            "endsWithAccentÉ",
            "9.é 9é.9 é9.9",
        ];
        for text in cases {
            assert_eq!(split(text), split_reference(text), "{text:?}");
        }
        // Random texts over an alphabet of every case the scanner tells apart.
        let alphabet = [
            "a", "Z", "1", "9", ".", " ", "-", "é", "É", "ß", "İ", "·", "\n", "日", "٣",
        ];
        for text in random_texts(&alphabet, 24, 0x9e37_79b9_7f4a_7c15) {
            assert_eq!(split(&text), split_reference(&text), "{text:?}");
        }
        // Lowercase ASCII words come as slices of the text, the rest lowered.
        let mut kinds = Vec::new();
        words("etcd Backup ÉTCD", |w| {
            kinds.push(matches!(w, Word::Text(_)));
        });
        assert_eq!(kinds, [true, false, false]);
    }

    /// Passages and words as two scans make them: passages cut from [`spaced_words`] by the
    /// whitespace after each (line breaks end blocks, tabs start cells), then each passage's
    /// words by [`all_words`].
    fn two_scans(text: &str, rule: PassageRule) -> Vec<String> {
        let mut out = Vec::new();
        let base = text.as_ptr() as usize;
        let mut passage: Vec<&str> = Vec::new();
        let flush = |passage: &mut Vec<&str>, out: &mut Vec<String>| {
            if let (Some(first), Some(last)) = (passage.first(), passage.last()) {
                let start = first.as_ptr() as usize - base;
                let end = last.as_ptr() as usize - base + last.len();
                let span = &text[start..end];
                all_words(span, |w| out.push(format!("w {}", w.as_str())));
                out.push(format!("p {start}..{end} {}", passage.join(" ").len()));
            }
            passage.clear();
        };
        let words: Vec<&str> = spaced_words(text).collect();
        let start_of = |w: &str| w.as_ptr() as usize - base;
        // Whether the text before the first word leaves it in a table row.
        let lead = &text[..words.first().map_or(text.len(), |w| start_of(w))];
        let mut in_row = lead
            .rfind('\n')
            .map_or(lead.contains('\t'), |at| lead[at..].contains('\t'));
        for (n, word) in words.iter().enumerate() {
            passage.push(word);
            let end = start_of(word) + word.len();
            let next = words.get(n + 1).map_or(text.len(), |w| start_of(w));
            let gap = &text[end..next];
            let sentence_end = word.ends_with(['.', '!', '?', ':']);
            let count = passage.len();
            let cut = if gap.contains('\n') {
                count >= rule.min
            } else if gap.contains('\t') {
                count >= rule.max
            } else if in_row {
                count >= 2 * rule.max
            } else {
                count >= rule.max || (sentence_end && count >= rule.min)
            };
            in_row = match gap.rfind('\n') {
                Some(at) => gap[at..].contains('\t'),
                None => in_row || gap.contains('\t'),
            };
            if cut && n + 1 < words.len() {
                flush(&mut passage, &mut out);
            }
        }
        flush(&mut passage, &mut out);
        out
    }

    #[test]
    fn passages_start_at_a_row_or_block_never_mid_row() {
        let rule = PassageRule { min: 3, max: 5 };
        let passages = |text: &str| -> Vec<String> {
            let mut out = Vec::new();
            passages_and_words(text, rule, |s| {
                if let Scanned::Passage { span, .. } = s {
                    out.push(squash_ws(&text[span]));
                }
            });
            out
        };
        // Rows (each after a line break, its cells after tabs) whose first cell ends like a
        // sentence ("1.37:"): a passage ends only where a row does.
        let rows = "\tKubernetes 1.37:\treleased 2026-08-26,\tend of life 2027-10-28.\n\tKubernetes 1.36:\treleased 2026-04-22,\tend of life 2027-06-28.\n";
        assert_eq!(
            passages(rows),
            [
                "Kubernetes 1.37: released 2026-08-26, end of life 2027-10-28.",
                "Kubernetes 1.36: released 2026-04-22, end of life 2027-06-28."
            ]
        );
        // Prose is still cut at a sentence end; a paragraph end is a cut too.
        assert_eq!(
            passages("One two three. Four five six\nSeven eight nine ten"),
            ["One two three.", "Four five six", "Seven eight nine ten"]
        );
    }

    fn squash_ws(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn one_scan(text: &str, rule: PassageRule) -> Vec<String> {
        let mut out = Vec::new();
        passages_and_words(text, rule, |s| match s {
            Scanned::Word(w) => out.push(format!("w {}", w.as_str())),
            Scanned::Passage { span, len } => {
                out.push(format!("p {}..{} {len}", span.start, span.end));
            }
        });
        out
    }

    #[test]
    fn one_scan_cuts_passages_and_words_as_two_scans() {
        let rule = PassageRule { min: 2, max: 4 };
        for text in [
            "",
            "  ",
            "one. two three: four! five six seven eight nine",
            "v1.34.1 upgraded.  Then\u{a0}kubeadm\u{3000}ÉTCD restored? yes",
        ] {
            assert_eq!(one_scan(text, rule), two_scans(text, rule), "{text:?}");
        }
        let alphabet = [
            "a", "Z", "1", ".", " ", "  ", "!", ":", "?", "-", "é", "É", "\n", "\t", "\u{a0}",
            "\u{85}", "\u{2003}", "日", "·", "\u{1c}",
        ];
        for text in random_texts(&alphabet, 40, 0x51_7cc1_b727_220a) {
            assert_eq!(one_scan(&text, rule), two_scans(&text, rule), "{text:?}");
        }
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
