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
            SplitError::Missing => Diagnostic::file(
                file,
                "missing-front-matter",
                "this file has no front matter",
            )
            .help(
                "start the file with a `+++` line, then `title = \"…\"`, then a closing `+++` line",
            ),
            SplitError::Unclosed(open, delim) => Diagnostic::at(
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

/// Lines of `text` with their byte ranges (without the line break).
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
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e
                    .span()
                    .map_or(base..base, |s| s.start + base..s.end + base);
                Diagnostic::at(
                    file,
                    text,
                    span,
                    "syntax",
                    format!("TOML: {}", e.message().trim()),
                )
                .help("check quoting and `key = value` syntax; strings need double quotes")
            })
            .collect());
    }
    let mut fields: Vec<(Key, Node)> = table
        .get_ref()
        .iter()
        .map(|(k, v)| (toml_key(k, base), toml_node(v, base)))
        .collect();
    fields.sort_by_key(|(k, _)| k.span.start);
    Ok(fields)
}

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
            }
            .to_string();
            return Err(vec![
                Diagnostic::at(
                    file,
                    text,
                    base + offset..base + offset,
                    "syntax",
                    format!("YAML: {first}"),
                )
                .help("check indentation and quoting; values with `: ` or `#` need quotes"),
            ]);
        }
    };
    let node = yaml_to_node(root, inner, base);
    match node.value {
        Value::Table(fields) => Ok(fields),
        Value::Null => Ok(Vec::new()),
        other => Err(vec![
            Diagnostic::at(
                file,
                text,
                node.span,
                "syntax",
                format!(
                    "the front matter must be a mapping of keys to values, found {}",
                    other.type_name()
                ),
            )
            .help("write `title: My page` style lines"),
        ]),
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
}
