//! Front matter: splits a file into its `+++` TOML or `---` YAML header and its Markdown body,
//! and parses the header into one format-independent tree where every key and value keeps its
//! byte span in the file, so later stages can point at the exact line and column.

use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A parsed value with its span (byte offsets into the whole file text).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
    /// For YAML plain scalars that did not parse as strings: their source text
    /// (`kubernetes: 1.30` keeps "1.30").
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    /// A TOML native date or date-time, in its TOML text form.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

impl Value {
    /// The word a type error uses for this value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

/// A file split and parsed.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub format: Format,
    /// Top-level keys in file order.
    pub fields: Vec<(Key, Node)>,
    /// Span of the opening delimiter (where "missing field" points).
    pub open: Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

impl FrontMatter {
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.fields
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }
}

/// Splits and parses the front matter of `text` (BOM already removed). `file` names the file in
/// diagnostics. Syntax errors come back as diagnostics; nothing here panics.
pub fn parse(file: &str, text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    let split = split(text).map_err(|e| vec![e.into_diagnostic(file, text)])?;
    let inner = text.get(split.inner.clone()).unwrap_or("");
    let fields = match split.format {
        Format::Toml => parse_toml(file, text, inner, split.inner.start)?,
        Format::Yaml => parse_yaml(file, text, inner, split.inner.start)?,
    };
    Ok(FrontMatter {
        format: split.format,
        fields,
        open: split.open,
        body_start: split.body_start,
    })
}

/// Where the parts of a file are: the opening delimiter, the header text, the body.
#[derive(Debug, Clone)]
pub struct Split {
    pub format: Format,
    pub open: Range<usize>,
    pub inner: Range<usize>,
    pub body_start: usize,
}

/// Splits `text` into header and body without parsing the header (for tools that rewrite it).
pub fn split_header(text: &str) -> Option<Split> {
    split(text).ok()
}

enum SplitError {
    Missing,
    Unclosed(Range<usize>, &'static str),
}

impl SplitError {
    fn into_diagnostic(self, file: &str, text: &str) -> Diagnostic {
        match self {
            // Old Mac line endings: the whole file is one line to everyone else.
            SplitError::Missing if text.contains('\r') && !text.contains('\n') => {
                Diagnostic::file(
                    file,
                    "missing-front-matter",
                    "this file's lines end in a carriage return alone (old Mac line endings), so it reads as one line",
                )
                .help("save it with Unix (LF) or Windows (CRLF) line endings")
            }
            // ` +++`: the delimiter is there, indented, so it does not count.
            SplitError::Missing
                if lines(text)
                    .find(|(_, l)| !l.trim().is_empty())
                    .is_some_and(|(_, l)| matches!(l.trim(), "+++" | "---") && l.starts_with([' ', '\t'])) =>
            {
                Diagnostic::file(
                    file,
                    "missing-front-matter",
                    "the front matter's opening line is indented, so it is not read as front matter",
                )
                .help("remove the spaces before the first `+++` (or `---`): it must start the line")
            }
            // Text above the front matter (`Draft notes` then `+++`): it is there, but late.
            SplitError::Missing if late_front_matter(text).is_some() => {
                let (line, first) = late_front_matter(text).unwrap_or_default();
                Diagnostic::file(
                    file,
                    "missing-front-matter",
                    format!(
                        "the front matter must start the file, but it starts on line {line}, after `{first}`"
                    ),
                )
                .help("delete the lines above the front matter's opening line, or move them into the body below its closing line")
            }
            SplitError::Missing => Diagnostic::file(
                file,
                "missing-front-matter",
                "this file has no front matter",
            )
            .help(
                "start the file with a `+++` line, then `title = \"…\"`, then a closing `+++` line",
            ),
            SplitError::Unclosed(open, delim) => {
                // Opened with `+++` and closed with `---` (or the other way round).
                let other = if delim == "+++" { "---" } else { "+++" };
                let closed_wrong = lines(text)
                    .skip_while(|(r, _)| r.start <= open.start)
                    .find(|(_, l)| l.trim_end() == other);
                match closed_wrong {
                    Some((at, _)) => Diagnostic::at(
                        file,
                        text,
                        at,
                        "syntax",
                        format!("the front matter opens with `{delim}` but this line closes it with `{other}`"),
                    )
                    .help(format!("close it with `{delim}`, the line it opens with")),
                    None => Diagnostic::at(
                        file,
                        text,
                        open,
                        "syntax",
                        "the front matter is never closed",
                    )
                    .help(format!(
                        "add a line with only `{delim}` after the last front-matter key"
                    )),
                }
            }
        }
    }
}

/// Lines of `text` with their byte ranges (without the line break).
/// Front matter that does not start the file: (its 1-based line, the first line of text above
/// it, cut to 40 characters). A `+++` or `---` line counts when the next line is a `key = ` or
/// `key:` line, so a Markdown rule (`---`) in a file without front matter does not.
fn late_front_matter(text: &str) -> Option<(usize, String)> {
    let all: Vec<&str> = lines(text).map(|(_, l)| l).collect();
    let first = all.iter().find(|l| !l.trim().is_empty())?;
    let key_line = |l: &str| {
        let key = l.split(['=', ':']).next().unwrap_or("").trim();
        l.contains(['=', ':'])
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    let at = all.iter().enumerate().skip(1).position(|(i, l)| {
        matches!(l.trim_end(), "+++" | "---") && all.get(i + 1).is_some_and(|next| key_line(next))
    })?;
    Some((at + 2, first.trim().chars().take(40).collect()))
}

fn lines(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = pos;
        pos += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        (start..start + line.len(), line)
    })
}

fn split(text: &str) -> Result<Split, SplitError> {
    let mut it = lines(text).peekable();
    // Blank lines before the opening delimiter are tolerated.
    let (open, delim) = loop {
        match it.next() {
            None => return Err(SplitError::Missing),
            Some((_, line)) if line.trim().is_empty() => continue,
            Some((range, line)) => match line.trim_end() {
                "+++" => break (range, "+++"),
                "---" => break (range, "---"),
                _ => return Err(SplitError::Missing),
            },
        }
    };
    let format = if delim == "+++" {
        Format::Toml
    } else {
        Format::Yaml
    };
    let inner_start = next_line_start(text, open.end);
    for (range, line) in it {
        if line.trim_end() == delim {
            return Ok(Split {
                format,
                open,
                inner: inner_start..range.start,
                body_start: next_line_start(text, range.end),
            });
        }
    }
    Err(SplitError::Unclosed(open, delim))
}

/// A whole number written with thousands separators (`1,000`, `12 500`, `1_000_000`, `1'000`)
/// as digits alone (`1000`); `None` for anything else (`1,5` is not grouped by thousands).
pub(crate) fn without_thousands(value: &str) -> Option<String> {
    let value = value.trim();
    let sep = value.chars().find(|c| [',', ' ', '_', '\''].contains(c))?;
    let mut groups = value.split(sep);
    let first = groups.next()?;
    let leading_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut digits = first.to_string();
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    leading_ok.then_some(digits)
}

/// A value with commas written without a list's brackets (`authors = Sam, Alex`, `tools =
/// "k3s", "helm"`) or a number with thousands separators (`nodes = 1,000`): TOML reads up to
/// the first comma and calls the rest "something after the value". What it was meant as, in
/// plain words, with the line written right, at the value (not at the comma TOML stopped at,
/// `at`).
fn comma_value(file: &str, text: &str, at: usize, key: &str, value: &str) -> Option<Diagnostic> {
    let (message, help) = comma_value_words(key, value)?;
    let line_start = text
        .get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let value_at = text
        .get(line_start..)
        .and_then(|line| line.find(value))
        .map_or(at, |i| line_start + i);
    Some(
        Diagnostic::at(
            file,
            text,
            value_at..value_at + value.len(),
            "syntax",
            message,
        )
        .help(help),
    )
}

/// What [`comma_value`] says: (message, hint).
fn comma_value_words(key: &str, value: &str) -> Option<(String, String)> {
    let value = value.split(" #").next().unwrap_or(value).trim();
    if !value.contains(',') || value.starts_with(['[', '{']) || key.is_empty() {
        return None;
    }
    if let Some(digits) = without_thousands(value) {
        return Some((
            format!("`{value}` is not a number TOML reads: it has thousands separators"),
            format!("write the digits alone: `{key} = {digits}`"),
        ));
    }
    // Each part a plain word or one quoted string; anything else is some other mistake.
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    let quoted = |p: &str| {
        p.len() >= 2
            && ((p.starts_with('"') && p.ends_with('"'))
                || (p.starts_with('\'') && p.ends_with('\'')))
            && !p[1..p.len() - 1].contains(['"', '\''])
    };
    let bare = |p: &str| !p.is_empty() && !p.contains(['"', '\'', '=', '[', ']', '{', '}']);
    if parts.iter().any(|p| !quoted(p) && !bare(p)) {
        return None;
    }
    let items: Vec<String> = parts
        .iter()
        .map(|p| format!("\"{}\"", p.trim_matches(['"', '\''])))
        .collect();
    let list = format!("`{key} = [{}]`", items.join(", "));
    if parts.iter().all(|p| quoted(p)) {
        return Some((
            format!("`{value}` is several values without a list's brackets"),
            format!("write {list}"),
        ));
    }
    Some((
        format!(
            "`{value}` is not a value TOML reads: text needs double quotes, and a list needs brackets"
        ),
        format!(
            "write {list} for a list, or `{key} = \"{}\"` for one text",
            value.replace('"', "\\\"")
        ),
    ))
}

/// A word YAML or a form means true or false by (`yes`, `Off`, `TRUE`), which TOML reads as
/// neither (`raw` says a value must be quoted, or is no boolean): said so, with `true` or
/// `false` as the fix.
fn yes_or_no(key: &str, value: &str, raw: &str) -> Option<(String, String)> {
    if !raw.contains("must be quoted") && !raw.contains("boolean") {
        return None;
    }
    let truth = match value.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" | "true" => true,
        "no" | "n" | "off" | "false" => false,
        _ => return None,
    };
    Some((
        format!(
            "TOML does not read `{value}`: yes and no are written `true` and `false`, in lowercase"
        ),
        format!("write `{key} = {truth}`; for the text, quote it: `{key} = \"{value}\"`"),
    ))
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    text.get(line_end..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| line_end + i + 1)
}

// ---------------------------------------------------------------------------------------------
// TOML

fn parse_toml(
    file: &str,
    text: &str,
    inner: &str,
    base: usize,
) -> Result<Vec<(Key, Node)>, Vec<Diagnostic>> {
    use toml::de::DeTable;
    let (table, errors) = DeTable::parse_recoverable(inner);
    if !errors.is_empty() && looks_like_yaml(inner) {
        // One mistake, one report: not one per `key: value` line.
        let first = inner
            .lines()
            .scan(0, |at, line| {
                let start = *at;
                *at += line.len() + 1;
                Some((start, line))
            })
            .find(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .map_or(base, |(start, _)| base + start);
        return Err(vec![
            Diagnostic::at(file, text, first..first, "syntax", YAML_IN_PLUSES.0)
                .help(YAML_IN_PLUSES.1),
        ]);
    }
    if !errors.is_empty() {
        let mut diags: Vec<Diagnostic> = Vec::new();
        // A list never closed: one report at its `[`, not one per line after it.
        let unclosed = unclosed_list(inner);
        for e in &errors {
            let span = e
                .span()
                .map_or(base..base, |s| s.start + base..s.end + base);
            if let Some(at) = unclosed
                && span.start >= at + base
            {
                continue;
            }
            let d = toml_error(file, text, span, e.message());
            // One problem per line: the parser often reports a second, derived one.
            if !diags.iter().any(|o| o.line == d.line) {
                diags.push(d);
            }
        }
        // The parser reports a string never closed after the lines that follow it.
        diags.sort_by_key(|d| (d.line, d.column));
        let mut diags = diags.into_iter().fold(Vec::new(), |mut kept, d| {
            if !continues_a_string(text, &kept, &d) {
                kept.push(d);
            }
            kept
        });
        if let Some(at) = unclosed {
            diags.push(unclosed_list_error(file, text, at + base, "syntax"));
        }
        return Err(diags);
    }
    let mut fields: Vec<(Key, Node)> = table
        .get_ref()
        .iter()
        .map(|(k, v)| (toml_key(k, base), toml_node(v, base)))
        .collect();
    fields.sort_by_key(|(k, _)| k.span.start);
    Ok(fields)
}

/// Whether `d` is on a line that only continues a quoted string left open on an earlier line
/// (`summary = "We upgraded` then `and it went fine."`): the text of one value written over
/// several lines, which TOML reads as keys with spaces. The string never closed is the one
/// mistake; every line from it to `d` without a `=` is its text.
fn continues_a_string(text: &str, diags: &[Diagnostic], d: &Diagnostic) -> bool {
    let Some(open) = diags
        .iter()
        .rev()
        .find(|o| o.message == UNCLOSED_STRING && o.line < d.line)
    else {
        return false;
    };
    text.lines()
        .skip(open.line)
        .take(d.line - open.line)
        .all(|line| !line.contains('='))
}

/// What a quoted string never closed on its line is called.
const UNCLOSED_STRING: &str = "a quoted string is never closed";

fn toml_key(k: &toml::Spanned<std::borrow::Cow<'_, str>>, base: usize) -> Key {
    let s = k.span();
    Key {
        name: k.get_ref().to_string(),
        span: s.start + base..s.end + base,
    }
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>, base: usize) -> Node {
    use toml::de::DeValue;
    let s = v.span();
    let value = match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(digits.trim_start_matches('+'), i.radix()) {
                Ok(n) => Value::Integer(n),
                Err(_) => Value::Float(digits.parse().unwrap_or(f64::NAN)),
            }
        }
        DeValue::Float(f) => {
            let t = f.as_str().replace('_', "");
            Value::Float(match t.trim_start_matches('+') {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                other => other.parse().unwrap_or(f64::NAN),
            })
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|n| toml_node(n, base)).collect()),
        DeValue::Table(t) => {
            let mut entries: Vec<(Key, Node)> = t
                .iter()
                .map(|(k, v)| (toml_key(k, base), toml_node(v, base)))
                .collect();
            entries.sort_by_key(|(k, _)| k.span.start);
            Value::Table(entries)
        }
    };
    Node {
        value,
        span: s.start + base..s.end + base,
        raw: None,
    }
}

/// The parser's own words, kept only when they name no type or option of a library (a
/// contributor cannot act on `u64` or `SomePolicy`).
fn plain_words(message: &str) -> Option<&str> {
    let message = message.trim();
    let technical = message.split(|c: char| !c.is_alphanumeric()).any(|w| {
        let inner_capital =
            w.chars().skip(1).any(char::is_uppercase) && w.chars().any(char::is_lowercase);
        let rust_type = matches!(
            w,
            "u8" | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "i8"
                | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "f32"
                | "f64"
                | "usize"
                | "isize"
                | "str"
                | "serde"
                | "Options"
                | "Option"
                | "Vec"
                | "deserialize"
        );
        inner_capital || rust_type
    }) || message.contains(['<', '>']);
    (!technical && !message.is_empty()).then_some(message)
}

/// The header line (1-based, in the whole file) where `key` was first set before `before`
/// (a byte offset), for duplicate-key messages. `yaml` keys end with `:`, TOML keys with `=`.
fn first_key_line(text: &str, key: &str, before: usize, yaml: bool) -> Option<usize> {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if offset >= before {
            break;
        }
        let t = line.trim_start();
        let t = t.trim_start_matches('[').trim_start();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| t.strip_prefix(&format!("'{key}'")));
        let same_key = rest.is_some_and(|r| {
            let r = r.trim_start();
            if yaml {
                r.starts_with(':')
            } else {
                r.starts_with('=') || r.starts_with(']')
            }
        });
        let top_level = !line.starts_with([' ', '\t']);
        if same_key && (top_level || !yaml) {
            return Some(n + 1);
        }
        offset += line.len();
    }
    None
}

/// The key a line sets (`key = …` or `key: …`), if it looks like one.
fn key_of_line(line: &str) -> &str {
    line.trim()
        .split(['=', ':'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\'', '[', ']'])
}

/// What is wrong with a date written in the right form (`2026-02-30`, `2026-13-01`,
/// `2026-03-14T25:00:00Z`); `None` when it is not in that form, or is a real date.
pub(crate) fn impossible_date(value: &str) -> Option<String> {
    let digits = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = (
        digits(value.get(0..4)?)?,
        digits(value.get(5..7)?)?,
        digits(value.get(8..10)?)?,
    );
    if value.get(4..5) != Some("-") || value.get(7..8) != Some("-") {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    let year16 = i16::try_from(year).ok()?;
    let month8 = i8::try_from(month).ok()?;
    let last = jiff::civil::Date::new(year16, month8, 1)
        .ok()?
        .days_in_month();
    if day < 1 {
        return Some(format!("days start at 01, not {day:02}"));
    }
    if day > i64::from(last) {
        return Some(format!("{year:04}-{month:02} has {last} days"));
    }
    let time = value.get(11..)?;
    let (hour, minute) = (digits(time.get(0..2)?)?, digits(time.get(3..5)?)?);
    if hour > 23 {
        return Some(format!("hours run from 00 to 23, not {hour:02}"));
    }
    if minute > 59 {
        return Some(format!("minutes run from 00 to 59, not {minute:02}"));
    }
    None
}

/// A quote inside a quoted value that ends it early (`'We didn't restore etcd'`,
/// `"We ran "etcdctl" and"`): the quote that closed the string just before `at`, with the
/// real closing quote later on the line: (message, help, the span of that quote).
fn quote_inside_string(
    text: &str,
    at: usize,
    key: &str,
    value: &str,
) -> Option<(String, String, Range<usize>)> {
    let q = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    if value.starts_with("'''") || value.starts_with("\"\"\"") {
        return None;
    }
    let before = text.get(..at)?;
    let rest = text.get(at..)?.lines().next().unwrap_or("");
    if !before.ends_with(q) || !rest.contains(q) {
        return None;
    }
    let quote = at - q.len_utf8()..at;
    // The text runs from the first quote to the last one on the line (a comment may follow).
    let inner = value.get(1..value.rfind(q)?)?;
    let escaped = format!("`{key} = \"{}\"`", inner.replace('"', "\\\""));
    if q == '\'' {
        let head = before.get(..quote.start).unwrap_or("");
        let start = head
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + 1);
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = format!(
            "{}'{}",
            head.get(start..).unwrap_or(""),
            rest.get(..end).unwrap_or("")
        );
        return Some((
            format!("the `'` in `{word}` ends the string"),
            format!("use double quotes around it: {escaped}"),
            quote,
        ));
    }
    let help = if inner.contains('\'') {
        format!("write `\\\"` for each quote inside the text: {escaped}")
    } else {
        format!(
            "write `\\\"` for each quote inside the text, or use single quotes around it: `{key} = '{inner}'`"
        )
    };
    Some(("a `\"` inside a string ends it".to_string(), help, quote))
}

/// A TOML error caused by one character a contributor cannot see or did not mean: a character
/// a bare key cannot hold (`organisation/team`, a non-breaking space before `=`), typographic
/// quotes around a value, an invisible control character: (message, help).
fn odd_character(
    text: &str,
    at: usize,
    raw: &str,
    key: &str,
    value: &str,
) -> Option<(String, String)> {
    let line = crate::diagnostics::Location::of(text, at).line_text;
    if raw.contains("unquoted key")
        && let Some(c) = text.get(at..).and_then(|r| r.chars().next())
        && !(c.is_ascii_alphanumeric() || "-_=:.\"' \t".contains(c))
    {
        let (what, help) = if c.is_whitespace() {
            (
                format!("a special space (U+{:04X})", u32::from(c)),
                "replace it with an ordinary space".to_string(),
            )
        } else {
            let bare: String = key
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() || ch == '-' {
                        ch
                    } else {
                        '_'
                    }
                })
                .collect();
            (
                format!("`{c}`"),
                format!("write `{bare}`, or put the key in double quotes: `\"{key}\" = …`"),
            )
        };
        return Some((
            format!("the key `{key}` holds {what}: a key is letters, digits, `-` and `_`"),
            help,
        ));
    }
    let curly = ['“', '”', '‘', '’', '„', '«', '»'];
    if value.starts_with(curly) {
        let inner = value.trim_matches(curly);
        return Some((
            format!("`{value}` is in typographic quotes; TOML reads only straight ones"),
            format!("write `{key} = \"{}\"`", inner.replace('"', "\\\"")),
        ));
    }
    let c = line.chars().find(|c| c.is_control() && *c != '\t')?;
    Some((
        format!(
            "the line holds an invisible control character (U+{:04X}), which TOML does not allow",
            u32::from(c)
        ),
        "delete it: it sits at the column shown, and most editors do not display it".into(),
    ))
}

/// The offset of a list's `[` that is never closed: its line ends with the list open and the
/// next line sets a key or opens a table (or the text ends), or a `}` closes the inline table
/// around it. The parser reports that as a missing comma on every line that follows.
pub(crate) fn unclosed_list(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum In {
        Code,
        Comment,
        Basic,
        Literal,
        MultiBasic,
        MultiLiteral,
    }
    let mut state = In::Code;
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let list_open = |open: &[(char, usize)]| open.last().filter(|(c, _)| *c == '[').map(|o| o.1);
    while let Some((i, c)) = chars.next() {
        let rest = text.get(i..).unwrap_or("");
        match state {
            In::Code => match c {
                '#' => state = In::Comment,
                '"' if rest.starts_with("\"\"\"") => {
                    state = In::MultiBasic;
                    chars.nth(1);
                }
                '\'' if rest.starts_with("'''") => {
                    state = In::MultiLiteral;
                    chars.nth(1);
                }
                '"' => state = In::Basic,
                '\'' => state = In::Literal,
                '[' | '{' => open.push((c, i)),
                ']' | '}' => {
                    if c == '}'
                        && let Some(at) = list_open(&open)
                    {
                        return Some(at);
                    }
                    open.pop();
                }
                '\n' => {
                    if let Some(at) = list_open(&open)
                        && next_line_ends_a_list(text.get(i + 1..).unwrap_or(""))
                    {
                        return Some(at);
                    }
                }
                _ => {}
            },
            In::Comment => {
                if c == '\n' {
                    state = In::Code;
                    if let Some(at) = list_open(&open)
                        && next_line_ends_a_list(text.get(i + 1..).unwrap_or(""))
                    {
                        return Some(at);
                    }
                }
            }
            In::Basic => match c {
                '\\' => {
                    chars.next();
                }
                '"' | '\n' => state = In::Code,
                _ => {}
            },
            In::Literal => {
                if c == '\'' || c == '\n' {
                    state = In::Code;
                }
            }
            In::MultiBasic => {
                if c == '\\' {
                    chars.next();
                } else if rest.starts_with("\"\"\"") {
                    state = In::Code;
                    chars.nth(1);
                }
            }
            In::MultiLiteral => {
                if rest.starts_with("'''") {
                    state = In::Code;
                    chars.nth(1);
                }
            }
        }
    }
    list_open(&open)
}

/// Whether the first line of `rest` that holds anything sets a key (`tools = …`) or opens a
/// table (`[extra]`): what no item of an open list can be. True when nothing follows.
fn next_line_ends_a_list(rest: &str) -> bool {
    let Some(line) = rest
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return true;
    };
    let header = line.strip_prefix('[').is_some_and(|h| {
        h.trim_start_matches('[')
            .starts_with(|c: char| c.is_ascii_alphabetic())
            && line.ends_with(']')
    });
    let sets_key = line.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && line.find('=').is_some_and(|eq| {
            line.get(..eq)
                .is_some_and(|k| !k.contains(['"', '\'', ',', '[', '{']))
        });
    header || sets_key
}

/// The one report for a list never closed, at its `[`.
pub(crate) fn unclosed_list_error(
    file: &str,
    text: &str,
    at: usize,
    code: &'static str,
) -> Diagnostic {
    let key = key_of_line(crate::diagnostics::Location::of(text, at).line_text);
    let key = if key.is_empty() { "tools" } else { key };
    Diagnostic::at(
        file,
        text,
        at..at + 1,
        code,
        "this list is never closed: add `]`",
    )
    .help(format!(
        "end the list with `]` after its last item, e.g. `{key} = [\"a\", \"b\"]`"
    ))
}

/// A backslash inside double quotes that starts no escape TOML knows (`C:\Users`, `\d`):
/// reported at the backslash, with the two ways to write it.
fn bad_escape(
    file: &str,
    text: &str,
    span: &Range<usize>,
    raw: &str,
    key: &str,
    value: &str,
) -> Option<Diagnostic> {
    let escape_words = ["escape", "unicode", "hexadecimal"];
    if !escape_words.iter().any(|w| raw.contains(w)) || !value.starts_with('"') {
        return None;
    }
    let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let upto = text.get(..=span.start).or_else(|| text.get(..span.start))?;
    let slash = upto.rfind('\\').filter(|i| *i >= line_start)?;
    let shown: String = text.get(slash..)?.chars().take(2).collect();
    let end = slash + shown.len();
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.rfind('"').and_then(|i| v.get(..i)))
        .unwrap_or("");
    let single = if inner.contains('\'') {
        String::new()
    } else {
        format!("single quotes (`{key} = '{inner}'`) or ")
    };
    let help = format!(
        "to keep the backslashes as written, use {single}double each backslash (`{}`)",
        inner.replace('\\', "\\\\")
    );
    Some(
        Diagnostic::at(
            file,
            text,
            slash..end,
            "syntax",
            format!(
                "`{shown}` is not an escape TOML knows: inside double quotes a backslash starts an escape such as `\\n`"
            ),
        )
        .help(help),
    )
}

/// A key with a space in it (`last reviewed = 2026-11-20`): the parser stops at the space,
/// before the value, so the key is the one to blame: (message, help).
fn spaced_key(text: &str, at: usize, line: &str, key: &str) -> Option<(String, String)> {
    let line_start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let in_key = line
        .find('=')
        .is_some_and(|eq| at.saturating_sub(line_start) < eq);
    (in_key && key.contains(char::is_whitespace)).then(|| {
        (
            format!("the key `{key}` contains a space"),
            format!("write `{}` instead", key.replace(char::is_whitespace, "_")),
        )
    })
}

/// A TOML syntax error in our words. `span` is in the whole file; `raw` is the parser's message.
pub(crate) fn toml_error(file: &str, text: &str, span: Range<usize>, raw: &str) -> Diagnostic {
    let loc = crate::diagnostics::Location::of(text, span.start);
    let line = loc.line_text;
    let key = key_of_line(line);
    let value = line.split_once('=').map_or("", |(_, v)| v.trim());
    let at = |message: String, help: String| {
        Diagnostic::at(file, text, span.clone(), "syntax", message).help(help)
    };
    let looks_like_date = !value.is_empty()
        && value.chars().next().is_some_and(|c| c.is_ascii_digit())
        && value.contains(['-', '/'])
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/:.+ ".contains(c));
    let date_help = format!(
        "write the date as YYYY-MM-DD without quotes, e.g. `{} = 2026-03-14` (or a full date-time such as 2026-03-14T09:30:00Z)",
        if key.is_empty() { "date" } else { key }
    );
    if raw.starts_with("duplicate key") {
        let name = text.get(span.clone()).unwrap_or(key).trim();
        let name = name.trim_matches(['"', '\'', '[', ']']);
        let name = if name.is_empty() { key } else { name };
        let first = first_key_line(text, name, span.start, false);
        let message = match first {
            Some(n) => format!(
                "`{name}` is set twice: on line {n} and again on line {}",
                loc.line
            ),
            None => format!("`{name}` is set twice"),
        };
        return at(message, "keep one of the two and delete the other".into());
    }
    if let Some((message, help)) = odd_character(text, span.start, raw, key, value) {
        return at(message, help);
    }
    if let Some((message, help)) = spaced_key(text, span.start, line, key) {
        return at(message, help);
    }
    if raw.contains("date") || raw.contains("time") || looks_like_date {
        if let Some(why) = impossible_date(value) {
            // The same record a YAML block's impossible date gets from the schema stage.
            let field = if key.is_empty() { "date" } else { key };
            return Diagnostic::at(
                file,
                text,
                span.clone(),
                "date",
                format!("`{field}` is not a real date: `{value}`: {why}"),
            )
            .help("correct the date; the format itself is right");
        }
        return at(
            format!("`{value}` is not a date in a form TOML reads"),
            date_help,
        );
    }
    if let Some((message, help)) = yes_or_no(key, value, raw) {
        return at(message, help);
    }
    if raw.contains("must be quoted") {
        if value.is_empty() {
            return at(
                format!("`{key}` has no value"),
                format!("write a value after `=`, e.g. `{key} = \"…\"`, or delete the line"),
            );
        }
        let shown: String = value.chars().take(40).collect();
        return at(
            format!("the text `{shown}` needs double quotes"),
            format!("write `{key} = \"{}\"`", value.replace('"', "\\\"")),
        );
    }
    if let Some(d) = bad_escape(file, text, &span, raw, key, value) {
        return d;
    }
    if raw.contains("basic string")
        || raw.contains("literal string")
        || raw.contains("unclosed string")
    {
        return at(
            UNCLOSED_STRING.into(),
            "end the text with a `\"` on the same line (for several lines, use `\"\"\"` before and after)".into(),
        );
    }
    if raw.contains("unclosed array") {
        return at(
            "a list is never closed".into(),
            "end the list with `]`, e.g. `tools = [\"etcd\", \"kubeadm\"]`".into(),
        );
    }
    if raw.contains("missing comma") {
        return at(
            "list items need a comma between them".into(),
            "write `[\"a\", \"b\"]`".into(),
        );
    }
    if raw.contains("escape") {
        return at(
            "inside double quotes a backslash must start a known escape such as `\\n`".into(),
            "write `\\\\` for a backslash, or use single quotes ('C:\\path') for text taken literally".into(),
        );
    }
    if raw.contains("digit") || raw.contains("leading zero") || raw.contains("`_`") {
        return at(
            format!("`{value}` is not a number TOML reads"),
            "write whole numbers without leading zeros or stray `_` (e.g. `nodes = 12`), or quote the value if it is text".into(),
        );
    }
    if raw.contains("expected `=`") || raw.contains("unquoted key") {
        if line.contains(':') && !line.contains('=') {
            return at(
                "this line is written the YAML way (`key: value`), but the front matter is TOML"
                    .into(),
                format!(
                    "write `{key} = \"…\"`, or open and close the front matter with `---` to use YAML"
                ),
            );
        }
        if key.contains(char::is_whitespace) {
            return at(
                format!("the key `{key}` contains a space"),
                format!("write `{}` instead", key.replace(char::is_whitespace, "_")),
            );
        }
        return at(
            format!("`{key}` has no `=` and value"),
            "each line is `key = value`; text values go in double quotes".into(),
        );
    }
    if raw.contains("expected newline") {
        if let Some(d) = comma_value(file, text, span.start, key, value) {
            return d;
        }
        if let Some((message, help, quote)) = quote_inside_string(text, span.start, key, value) {
            return Diagnostic::at(file, text, quote, "syntax", message).help(help);
        }
        return at(
            "something follows the value on the same line".into(),
            "put each `key = value` on its own line; comments start with `#`".into(),
        );
    }
    let message = match plain_words(raw) {
        Some(words) => format!("the TOML front matter cannot be read here: {words}"),
        None => "the TOML front matter cannot be read here".into(),
    };
    at(
        message,
        "each line is `key = value`; text in double quotes, lists in `[ ]`, dates as YYYY-MM-DD"
            .into(),
    )
}

/// (byte offset, line without its end) of each line of a file's YAML front matter, between
/// its opening `---` and its closing `---` or `...`.
fn yaml_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(move |line| {
            let start = at;
            at += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .skip(1)
        .take_while(|(_, line)| *line != "---" && *line != "...")
}

/// Unquoted YAML values cut short by a comment (`summary: We moved #ingress to Gateway API`
/// publishes "We moved"): a warning at each ` #` followed by more text, outside quotes. The
/// usual comment form, two spaces then `# ` (`outcome: success  # see below`), is left alone.
pub fn yaml_comment_cuts(file: &str, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (start, line) in yaml_lines(text) {
        let t = line.trim_start();
        let value = match t.strip_prefix("- ") {
            Some(item) => item,
            None => match t.split_once(": ") {
                Some((key, v)) if !key.starts_with('#') && !key.contains(" #") => v,
                _ => continue,
            },
        };
        let value = value.trim_start();
        if value.is_empty()
            || value.starts_with(['"', '\'', '|', '>', '[', '{', '#', '&', '*', '!'])
        {
            continue;
        }
        let Some(hash) = value.find(" #") else {
            continue;
        };
        let kept = value.get(..hash).unwrap_or("").trim_end();
        let dropped = value.get(hash + 2..).unwrap_or("");
        let comment_style =
            value.get(..hash).is_some_and(|v| v.ends_with(' ')) && dropped.starts_with(' ');
        if kept.is_empty() || dropped.trim().is_empty() || comment_style {
            continue;
        }
        let at = start + (line.len() - value.len()) + hash + 1;
        let quoted = value.trim_end().replace('"', "\\\"");
        found.push(
            Diagnostic::at(
                file,
                text,
                at..at + 1,
                "syntax",
                format!("in YAML ` #` starts a comment: only `{kept}` is kept, the rest of the line is dropped"),
            )
            .help(format!("put the value in double quotes: \"{quoted}\""))
            .warning(),
        );
    }
    found
}

/// A key written plainly: letters, digits, `_` and `-`.
fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Whether a YAML line starts a new key or list item (`key: …`, `- …`) rather than going on
/// with the value above.
fn starts_a_key(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ")
        || t.split_once(':')
            .is_some_and(|(k, rest)| (rest.is_empty() || rest.starts_with(' ')) && plain_key(k))
}

/// The message and hint for TOML written between YAML's `---` delimiters.
const TOML_IN_DASHES: (&str, &str) = (
    "this front matter is written in TOML, but opened with `---`, which means YAML",
    "open and close it with `+++` lines instead of `---`",
);

/// The message and hint for YAML written between TOML's `+++` delimiters.
const YAML_IN_PLUSES: (&str, &str) = (
    "this front matter is written in YAML (`key: value`), but opened with `+++`, which means TOML",
    "open and close it with `---` lines instead of `+++`",
);

/// Lines `key: value` or `- item` and none `key = value`: YAML written between TOML's `+++`
/// delimiters (`header` is the text between them).
fn looks_like_yaml(header: &str) -> bool {
    let mut yaml = false;
    for line in header.lines() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.split_once('=').is_some_and(|(k, _)| {
            let k = k.trim();
            plain_key(k) || k.starts_with(['"', '\''])
        }) || t.starts_with('[')
        {
            return false;
        }
        yaml |= starts_a_key(line);
    }
    yaml
}

/// Lines `key = value` and none `key: value`: TOML written between YAML's `---` delimiters.
fn looks_like_toml(text: &str) -> bool {
    let mut toml = false;
    for (_, line) in yaml_lines(text) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if starts_a_key(line) {
            return false;
        }
        toml |= t.split_once(" = ").is_some_and(|(k, _)| plain_key(k));
    }
    toml
}

/// Where a value's quote opens and is not closed on its line (`title: "unclosed`), if so.
fn unclosed_quote(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let value_at = if trimmed.starts_with("- ") {
        line.len() - trimmed.len() + 2
    } else {
        line.find(": ").map(|i| i + 2)?
    };
    let value = line.get(value_at..)?;
    let lead = value.len() - value.trim_start().len();
    let quote = value
        .trim_start()
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))?;
    let rest = value.get(lead + 1..)?;
    let closed = if quote == '"' {
        let mut escaped = false;
        rest.chars().any(|c| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        })
    } else {
        // Inside '…', '' is an apostrophe: a lone ' closes.
        rest.replace("''", "").contains('\'')
    };
    (!closed).then_some(value_at + lead)
}

/// A YAML syntax error in our words. `offset` is in the whole file; `raw` is the parser's
/// message without its position prefix.
fn yaml_error(file: &str, text: &str, offset: usize, raw: &str) -> Diagnostic {
    let loc = crate::diagnostics::Location::of(text, offset);
    let line = loc.line_text;
    let at = |message: String, help: &str| {
        Diagnostic::at(file, text, offset..offset, "syntax", message).help(help)
    };
    if let Some(rest) = raw.strip_prefix("duplicate mapping key") {
        let name = rest
            .trim_start_matches(':')
            .split(',')
            .next()
            .unwrap_or("")
            .trim();
        let name = if name.is_empty() {
            key_of_line(line)
        } else {
            name
        };
        let first = first_key_line(text, name, offset, true).filter(|&n| n != loc.line);
        let message = match first {
            Some(n) => format!(
                "`{name}` is set twice: on line {n} and again on line {}",
                loc.line
            ),
            None => format!("`{name}` is set twice"),
        };
        return at(message, "keep one of the two and delete the other");
    }
    // The parser reports a tab or an unclosed quote where it gave up, often a line later;
    // the mistake itself is found in the front matter's lines.
    let at_found = |found: Option<usize>, message: &str, help: &str| {
        let at = found.unwrap_or(offset);
        Diagnostic::at(file, text, at..at, "syntax", message).help(help)
    };
    if looks_like_toml(text) {
        return at(TOML_IN_DASHES.0.into(), TOML_IN_DASHES.1);
    }
    if raw.contains("tab") {
        let tab = yaml_lines(text).find_map(|(start, line)| {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            line.get(..indent)?.find('\t').map(|i| start + i)
        });
        return at_found(
            tab,
            "a tab is used where YAML needs spaces",
            "indent with spaces only (two per level)",
        );
    }
    if raw.contains("unclosed quote") || raw.contains("quoted scalar") {
        // A quote may close on a later line of the same value (YAML allows that): the culprit
        // is a quote not closed before the next key.
        let lines: Vec<(usize, &str)> = yaml_lines(text).collect();
        let open = lines.iter().enumerate().find_map(|(n, &(start, line))| {
            let at = unclosed_quote(line)?;
            let quote = line.get(at..)?.chars().next()?;
            let closed_later = lines
                .iter()
                .skip(n + 1)
                .take_while(|(_, l)| !starts_a_key(l))
                .any(|(_, l)| l.contains(quote));
            (!closed_later).then_some(start + at)
        });
        return at_found(
            open,
            "a quoted value is never closed",
            "end it with the same quote on the same line; inside '…' write '' for an apostrophe",
        );
    }
    if raw.contains("unclosed bracket") || raw.contains("flow sequence") {
        return at(
            "a list in `[ ]` is never closed".into(),
            "end it with `]`, or write one `- item` per line instead",
        );
    }
    if raw.contains("mapping values are not allowed") {
        let indented = line.starts_with([' ', '\t']);
        if indented && !line.trim_start().starts_with('-') {
            return at(
                "this line is indented, but the line above does not open a nested list or table"
                    .into(),
                "start top-level keys at the beginning of the line",
            );
        }
        return at(
            "a value contains `: `, which YAML reads as another key".into(),
            "put the value in quotes, e.g. title: \"Upgrades: what broke\"",
        );
    }
    if raw.contains("anchor") || raw.contains("alias") {
        return at(
            "a value starting with `*` or `&` is read as a YAML reference".into(),
            "put the value in quotes",
        );
    }
    if raw.contains("invalid") && line.contains("!!") {
        return at(
            "the `!!` type tag does not fit its value".into(),
            "remove the tag; the schema in book.toml decides the type",
        );
    }
    if raw.contains("expected string") {
        return at(
            "keys must be plain words".into(),
            "write `key: value`, one per line",
        );
    }
    let message = match plain_words(raw) {
        Some(words) => format!("the YAML front matter cannot be read here: {words}"),
        None => "the YAML front matter cannot be read here".into(),
    };
    at(
        message,
        "check indentation (spaces only) and quoting; values containing `: ` or starting with `#`, `*`, `&` or `!` need quotes",
    )
}

// ---------------------------------------------------------------------------------------------
// YAML

/// Largest YAML header accepted; more is almost certainly a mistake (or an attack).
const MAX_YAML_BYTES: usize = 1 << 20;

fn parse_yaml(
    file: &str,
    text: &str,
    inner: &str,
    base: usize,
) -> Result<Vec<(Key, Node)>, Vec<Diagnostic>> {
    if inner.len() > MAX_YAML_BYTES {
        return Err(vec![
            Diagnostic::at(
                file,
                text,
                base..base,
                "syntax",
                "the YAML front matter is larger than 1 MiB",
            )
            .help("move long content into the body"),
        ]);
    }
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parsed: Result<serde_saphyr::Spanned<YamlNode>, _> = serde_saphyr::from_str(inner);
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            let offset = e.location().map_or(0, |l| {
                offset_of_line_col(inner, l.line() as usize, l.column() as usize)
            });
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid YAML").trim();
            // saphyr prefixes "error: line N column M: " with positions inside the header;
            // the diagnostic carries the position in the file instead.
            let first = first.strip_prefix("error:").unwrap_or(first).trim();
            let first = match first.split_once(": ") {
                Some((pos, rest)) if pos.starts_with("line ") => rest,
                _ => first,
            };
            return Err(vec![yaml_error(file, text, base + offset, first)]);
        }
    };
    let node = yaml_to_node(root, inner, base);
    match node.value {
        Value::Table(fields) => Ok(fields),
        Value::Null => Ok(Vec::new()),
        other => {
            let (message, help) = if looks_like_toml(text) {
                (TOML_IN_DASHES.0.to_string(), TOML_IN_DASHES.1)
            } else {
                (
                    format!(
                        "the front matter must be a mapping of keys to values, found {}",
                        other.type_name()
                    ),
                    "write `title: My page` style lines",
                )
            };
            Err(vec![
                Diagnostic::at(file, text, node.span, "syntax", message).help(help),
            ])
        }
    }
}

/// Byte offset of a 1-based line and character column in `s`.
fn offset_of_line_col(s: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match s[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return s.len(),
        }
    }
    s[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(s.len(), |(i, _)| start + i)
}

fn yaml_span(loc: &serde_saphyr::Location, inner: &str, base: usize) -> Range<usize> {
    let span = loc.span();
    let start = span
        .byte_offset()
        .map(|b| b as usize)
        .unwrap_or_else(|| offset_of_line_col(inner, loc.line() as usize, loc.column() as usize));
    let len = span.byte_len().map_or(0, |l| l as usize);
    let start = start.min(inner.len());
    let end = (start + len).min(inner.len());
    base + start..base + end
}

fn yaml_to_node(n: serde_saphyr::Spanned<YamlNode>, inner: &str, base: usize) -> Node {
    let span = yaml_span(&n.referenced, inner, base);
    let raw = inner
        .get(span.start - base..span.end - base)
        .map(|s| s.trim().to_string());
    let raw_text = || raw.clone();
    match n.value {
        YamlNode::Null => Node {
            value: Value::Null,
            span,
            raw: raw_text(),
        },
        YamlNode::Bool(b) => Node {
            value: Value::Bool(b),
            span: span.clone(),
            raw: raw_text(),
        },
        YamlNode::Int(i) => Node {
            value: Value::Integer(i),
            span: span.clone(),
            raw: raw_text(),
        },
        YamlNode::Float(f) => Node {
            value: Value::Float(f),
            span: span.clone(),
            raw: raw_text(),
        },
        YamlNode::Str(s) => Node {
            value: Value::String(s),
            span,
            raw: None,
        },
        YamlNode::Seq(items) => Node {
            value: Value::Array(
                items
                    .into_iter()
                    .map(|i| yaml_to_node(i, inner, base))
                    .collect(),
            ),
            span,
            raw: None,
        },
        YamlNode::Map(entries) => Node {
            value: Value::Table(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let kspan = yaml_span(&k.referenced, inner, base);
                        (
                            Key {
                                name: k.value,
                                span: kspan,
                            },
                            yaml_to_node(v, inner, base),
                        )
                    })
                    .collect(),
            ),
            span,
            raw: None,
        },
    }
}

/// A YAML value whose children keep their locations.
enum YamlNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<serde_saphyr::Spanned<YamlNode>>),
    Map(
        Vec<(
            serde_saphyr::Spanned<String>,
            serde_saphyr::Spanned<YamlNode>,
        )>,
    ),
}

impl<'de> Deserialize<'de> for YamlNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = YamlNode;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<YamlNode, E> {
        Ok(YamlNode::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<YamlNode, E> {
        Ok(YamlNode::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlNode, E> {
        Ok(i64::try_from(v).map_or(YamlNode::Float(v as f64), YamlNode::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<YamlNode, E> {
        Ok(i64::try_from(v).map_or(YamlNode::Float(v as f64), YamlNode::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<YamlNode, E> {
        Ok(i64::try_from(v).map_or(YamlNode::Float(v as f64), YamlNode::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<YamlNode, E> {
        Ok(YamlNode::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlNode, E> {
        Ok(YamlNode::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<YamlNode, E> {
        Ok(YamlNode::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<YamlNode, E> {
        Ok(YamlNode::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<YamlNode, E> {
        Ok(YamlNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlNode, D::Error> {
        YamlNode::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<serde_saphyr::Spanned<YamlNode>>()? {
            items.push(item);
        }
        Ok(YamlNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
            let value = map.next_value::<serde_saphyr::Spanned<YamlNode>>()?;
            entries.push((key, value));
        }
        Ok(YamlNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    #[test]
    fn only_numbers_grouped_by_thousands_lose_their_separators() {
        assert_eq!(without_thousands("1,000").as_deref(), Some("1000"));
        assert_eq!(without_thousands("12 500").as_deref(), Some("12500"));
        assert_eq!(without_thousands("1_000_000").as_deref(), Some("1000000"));
        for no in [
            "1000", "1,5", "1,0000", "1234,567", "a,bcd", ",000", "1,000,",
        ] {
            assert_eq!(without_thousands(no), None, "{no}");
        }
    }

    fn pos(text: &str, span: &Range<usize>) -> (usize, usize) {
        let l = Location::of(text, span.start);
        (l.line, l.column)
    }

    #[test]
    fn toml_keys_and_values_keep_positions() {
        let text = "\n+++\ntitle = \"A\"\nnodes = 3\ndate = 2024-05-01\n+++\nbody\n";
        let fm = parse("f.md", text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fm.format, Format::Toml);
        assert_eq!(pos(text, &fm.fields[1].0.span), (4, 1));
        assert_eq!(fm.fields[1].1.value, Value::Integer(3));
        assert_eq!(pos(text, &fm.fields[1].1.span), (4, 9));
        assert_eq!(fm.fields[2].1.value, Value::Datetime("2024-05-01".into()));
        assert_eq!(&text[fm.body_start..], "body\n");
    }

    #[test]
    fn a_windows_path_in_double_quotes_is_a_bad_escape_at_the_backslash() {
        for (line, shown) in [
            ("summary = \"logs in C:\\Users\\ops.\"", "\\U"),
            ("summary = \"logs in C:\\users\\ops.\"", "\\u"),
            ("summary = \"matches ^\\d+$\"", "\\d"),
        ] {
            let text = format!("+++\ntitle = \"A\"\n{line}\n+++\n");
            let errs = parse("f.md", &text).err().unwrap_or_default();
            assert_eq!(errs.len(), 1, "{errs:?}");
            let e = &errs[0];
            assert_eq!(
                (e.line, e.column),
                (3, line.find('\\').unwrap_or(0) + 1),
                "{e:?}"
            );
            assert!(
                e.message.contains(&format!("`{shown}` is not an escape")),
                "{e:?}"
            );
            let help = e.help.as_deref().unwrap_or("");
            assert!(
                help.contains("single quotes") && help.contains("\\\\"),
                "{help}"
            );
            assert!(!e.message.contains("number"), "{e:?}");
        }
    }

    #[test]
    fn a_list_never_closed_is_one_error_at_its_bracket() {
        let text = "+++\ntitle = \"A\"\ntools = [\"cilium\", \"cert-manager\"\nkubernetes = \"1.36\"\noutcome = \"success\"\n[extra]\nx = 1\n+++\n";
        let errs = parse("f.md", text).err().unwrap_or_default();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].line, errs[0].column), (3, 9), "{errs:?}");
        assert_eq!(errs[0].message, "this list is never closed: add `]`");
        // A list open across lines, and one closed on the last line, are not this mistake.
        let fine = "[a]\nx = [\n  \"a = b\",\n  [1, 2], # note\n]\ny = { v = [\"p\"] }\n";
        assert_eq!(unclosed_list(fine), None);
        assert_eq!(unclosed_list("y = { v = [\"p\", q = 1 }\n"), Some(10));
        assert_eq!(unclosed_list("y = [\"p\""), Some(4));
    }

    #[test]
    fn a_key_with_a_space_before_a_date_is_the_key_s_fault() {
        let text = "+++\ntitle = \"A\"\nlast reviewed = 2026-11-20\n+++\n";
        let errs = parse("f.md", text).err().unwrap_or_default();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].message, "the key `last reviewed` contains a space");
        assert_eq!(
            errs[0].help.as_deref(),
            Some("write `last_reviewed` instead")
        );
    }

    #[test]
    fn a_yaml_comment_inside_an_unquoted_value_is_a_warning() {
        let text = "---\ntitle: Upgrading etcd #2\nsummary: We moved #ingress to Gateway API\noutcome: success  # a comment\nnote: \"a #b\"\ntools:\n  - cilium #1\n---\nBody\n";
        let found = yaml_comment_cuts("f.md", text);
        let at: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, vec![(2, 23), (3, 19), (7, 12)], "{found:?}");
        assert!(
            found
                .iter()
                .all(|d| d.severity == crate::diagnostics::Severity::Warning)
        );
        assert_eq!(
            found[1].message,
            "in YAML ` #` starts a comment: only `We moved` is kept, the rest of the line is dropped"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("put the value in double quotes: \"We moved #ingress to Gateway API\"")
        );
    }

    #[test]
    fn yaml_with_crlf_and_plain_versions() {
        let text = "---\r\ntitle: A\r\nkubernetes: 1.30\r\ntools:\r\n  - kubeadm\r\n---\r\nbody";
        let fm = parse("f.md", text).unwrap_or_else(|e| panic!("{e:?}"));
        let k = fm
            .get("kubernetes")
            .map(|n| (n.value.clone(), n.raw.clone()));
        assert_eq!(k, Some((Value::Float(1.3), Some("1.30".into()))));
        let kspan = &fm.fields[1].0.span;
        assert_eq!(pos(text, kspan), (3, 1));
        let tools = fm.get("tools").map(|n| n.value.clone());
        let Some(Value::Array(items)) = tools else {
            panic!("tools: {tools:?}")
        };
        assert_eq!(pos(text, &items[0].span), (5, 5));
        assert_eq!(&text[fm.body_start..], "body");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let text = "+++\ntitle = \"A\"\nbroken = [1,\n+++\n";
        let e = parse("f.md", text).err().unwrap_or_default();
        assert_eq!(e[0].code, "syntax");
        assert!(e[0].line >= 3, "{e:?}");

        let text = "---\ntitle: A\n  bad: : x\n---\n";
        let e = parse("f.md", text).err().unwrap_or_default();
        assert_eq!(e[0].code, "syntax");
        assert!(e[0].line >= 2, "{e:?}");

        let e = parse("f.md", "# no front matter\n")
            .err()
            .unwrap_or_default();
        assert_eq!(
            (e[0].code, e[0].line, e[0].column),
            ("missing-front-matter", 1, 1)
        );

        let e = parse("f.md", "+++\ntitle = \"x\"\n")
            .err()
            .unwrap_or_default();
        assert_eq!((e[0].code, e[0].line), ("syntax", 1));
    }

    #[test]
    fn a_bad_key_character_curly_quotes_and_control_characters_are_named() {
        let first = |text: &str| {
            let e = parse("f.md", text).err().unwrap_or_default();
            e.into_iter()
                .next()
                .map(|d| (d.message, d.help.unwrap_or_default()))
                .unwrap_or_default()
        };
        let (message, help) = first("+++\ntitle = \"A\"\norganisation/team = \"Platform\"\n+++\n");
        assert_eq!(
            message,
            "the key `organisation/team` holds `/`: a key is letters, digits, `-` and `_`"
        );
        assert_eq!(
            help,
            "write `organisation_team`, or put the key in double quotes: `\"organisation/team\" = …`"
        );
        let (message, help) = first("+++\ntitle = \"A\"\nnodes\u{a0}= 60\n+++\n");
        assert!(message.contains("special space (U+00A0)"), "{message}");
        assert_eq!(help, "replace it with an ordinary space");
        let (message, help) = first("+++\ntitle = \"A\"\noutcome = “success”\n+++\n");
        assert!(message.contains("typographic quotes"), "{message}");
        assert_eq!(help, "write `outcome = \"success\"`");
        let (message, _) = first("+++\ntitle = \"Pro\u{1}be\"\n+++\n");
        assert!(message.contains("control character (U+0001)"), "{message}");
        // A parser's words for a programmer are not shown to a contributor.
        assert_eq!(
            plain_words("cannot deserialize null into string; use Option<String>"),
            None
        );
        assert_eq!(plain_words("found a tab"), Some("found a tab"));
    }

    #[test]
    fn yaml_between_pluses_is_one_problem() {
        let text = "+++\ntitle: Probe\nnodes: 60\nauthors:\n  - Ana\n+++\nbody\n";
        let e = parse("f.md", text).err().unwrap_or_default();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (2, 1));
        assert!(e[0].message.contains("written in YAML"), "{}", e[0].message);
        // A TOML header with one YAML-style line is a TOML mistake, named as before.
        let e = parse("f.md", "+++\ntitle = \"A\"\nnodes: 60\n+++\n")
            .err()
            .unwrap_or_default();
        assert!(e[0].message.contains("YAML way"), "{}", e[0].message);
    }

    #[test]
    fn toml_between_dashes_and_old_mac_line_endings_are_named() {
        let e = parse("f.md", "---\ntitle = \"A\"\ndate = 2026-03-01\n---\nx\n")
            .err()
            .unwrap_or_default();
        assert!(e[0].message.contains("written in TOML"), "{e:?}");
        assert!(
            e[0].help.as_deref().unwrap_or("").contains("`+++`"),
            "{e:?}"
        );
        // Also when a value holds `: `, which YAML stumbles on first.
        let e = parse(
            "f.md",
            "---\ntitle = \"Upgrade: part 1\"\ndate = 2026-03-01\n---\nx\n",
        )
        .err()
        .unwrap_or_default();
        assert!(e[0].message.contains("written in TOML"), "{e:?}");
        let e = parse("f.md", "+++\rtitle = \"A\"\r+++\rx\r")
            .err()
            .unwrap_or_default();
        assert_eq!(e[0].code, "missing-front-matter");
        assert!(e[0].message.contains("carriage return"), "{e:?}");
    }

    #[test]
    fn an_impossible_date_says_what_is_wrong_with_it() {
        assert_eq!(
            impossible_date("2026-02-30").as_deref(),
            Some("2026-02 has 28 days")
        );
        assert_eq!(
            impossible_date("2028-02-30").as_deref(),
            Some("2028-02 has 29 days")
        );
        assert_eq!(
            impossible_date("2026-13-01").as_deref(),
            Some("there is no month 13")
        );
        assert_eq!(
            impossible_date("2026-03-14T25:00:00Z").as_deref(),
            Some("hours run from 00 to 23, not 25")
        );
        assert_eq!(impossible_date("2026-03-14"), None);
        assert_eq!(impossible_date("14/03/2026"), None);
        let e = parse("f.md", "+++\ntitle = \"A\"\ndate = 2026-02-30\n+++\n")
            .err()
            .unwrap_or_default();
        assert!(e[0].message.contains("28 days"), "{e:?}");
        // Coded as YAML's impossible dates are (the schema stage's `date`), not as a slip
        // of TOML syntax.
        assert_eq!(e[0].code, "date", "{e:?}");
        assert!(
            e[0].message
                .starts_with("`date` is not a real date: `2026-02-30`"),
            "{e:?}"
        );
    }

    /// Delimiters a contributor almost wrote: closed with the other one, or indented.
    #[test]
    fn a_mixed_or_indented_delimiter_is_named() {
        let e = parse("f.md", "+++\ntitle = \"A\"\n---\nBody.\n")
            .err()
            .unwrap_or_default();
        let d = e.first().unwrap_or_else(|| panic!("no error"));
        assert_eq!((d.line, d.column), (3, 1), "{d:?}");
        assert!(d.message.contains("opens with `+++`"), "{d:?}");
        assert_eq!(
            d.help.as_deref(),
            Some("close it with `+++`, the line it opens with")
        );

        let e = parse("f.md", " +++\ntitle = \"A\"\n+++\n")
            .err()
            .unwrap_or_default();
        let d = e.first().unwrap_or_else(|| panic!("no error"));
        assert_eq!(d.code, "missing-front-matter");
        assert!(d.message.contains("indented"), "{d:?}");

        // Still unclosed, with no other delimiter: the opening line.
        let e = parse("f.md", "+++\ntitle = \"A\"\n")
            .err()
            .unwrap_or_default();
        let d = e.first().unwrap_or_else(|| panic!("no error"));
        assert_eq!(
            (d.line, d.message.as_str()),
            (1, "the front matter is never closed")
        );
    }

    /// The parser gives up a line or more after a tab or an unclosed quote; the diagnostic
    /// points at the mistake itself.
    #[test]
    fn a_yaml_tab_or_unclosed_quote_is_reported_where_it_is() {
        for (text, line, column, message) in [
            ("---\nauthors:\n  - Dana\n\t- Bob\n---\n", 4, 1, "tab"),
            ("---\ntitle: Tabs\n\tsummary: x\n---\n", 3, 1, "tab"),
            (
                "---\ntitle: \"unclosed\nsummary: x\nkubernetes: \"1.33\"\n---\n",
                2,
                8,
                "never closed",
            ),
            (
                "---\ntitle: 'it''s fine'\nsummary: 'not closed\nx: \"y\"\n---\n",
                3,
                10,
                "never closed",
            ),
            // A quote closed on a later line of its value is not the culprit.
            (
                "---\nsummary: \"multi\n  line ok\"\ntitle: A\nfoo: \"bad\nbar: 1\n---\n",
                5,
                6,
                "never closed",
            ),
        ] {
            let e = parse("f.md", text).err().unwrap_or_default();
            let d = e.first().unwrap_or_else(|| panic!("no error for {text:?}"));
            assert_eq!((d.line, d.column), (line, column), "{text:?}: {d:?}");
            assert!(d.message.contains(message), "{text:?}: {d:?}");
        }
    }
}
