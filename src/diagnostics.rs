//! Diagnostics: every problem any pipeline stage finds, with the file, line and column it
//! points at, a stable code, a one-line message and an optional hint. Stages collect them and
//! never panic; this module also owns the three output formats (human, JSON, GitHub).

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// How bad a problem is. Errors fail `check` and stop `build`; warnings fail only `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Stable kebab-case identifier (`unknown-field`, `broken-link`, …).
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The source line, for the human renderer (not part of the JSON contract).
    #[serde(skip)]
    pub line_text: Option<String>,
    /// Width of the highlighted span in characters (at least 1).
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A problem with a whole file (no front matter, not UTF-8, unreadable): points at 1:1.
    pub fn file(file: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 1,
            column: 1,
            code,
            message: message.into(),
            help: None,
            line_text: None,
            width: 1,
        }
    }

    /// A problem at byte range `span` of `text` (the file's whole text).
    pub fn at(
        file: impl Into<String>,
        text: &str,
        span: Range<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let loc = Location::of(text, span.start);
        let end = span.end.clamp(span.start, text.len());
        let width = text
            .get(span.start..end)
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .max(1);
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: loc.line,
            column: loc.column,
            code,
            message: message.into(),
            help: None,
            line_text: Some(loc.line_text.to_string()),
            width,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Line, column and line text of a byte offset.
pub struct Location<'a> {
    pub line: usize,
    pub column: usize,
    pub line_text: &'a str,
}

impl<'a> Location<'a> {
    /// Locates byte `offset` in `text`; offsets past the end or inside a character are clamped.
    pub fn of(text: &'a str, offset: usize) -> Location<'a> {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        // At the end of a line of a CRLF file (offset at `\n`), the `\r` is part of the line
        // break, not a column of the line: the same column as in the LF file.
        let column = text[line_start..offset]
            .trim_end_matches('\r')
            .chars()
            .count()
            + 1;
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        Location {
            line,
            column,
            line_text,
        }
    }
}

/// Output format of `check` (and of `build`'s error report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Sorts diagnostics by file, line, column (the JSON contract) and drops exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    diags.dedup();
}

/// Renders diagnostics in `format`. JSON is the array alone; the others end with a summary
/// line only in human format.
pub fn render(diags: &[Diagnostic], format: Format, color: bool) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into()) + "\n",
        Format::Github => diags.iter().map(github_line).collect(),
        Format::Human => human(diags, color),
    }
}

fn github_line(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={},col={},title={}::{}\n",
        escape_github_property(&d.file),
        d.line,
        d.column,
        escape_github_property(d.code),
        escape_github_data(&message)
    )
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

fn human(diags: &[Diagnostic], color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let mut group = match &d.line_text {
            Some(line_text) => {
                let start = line_text
                    .char_indices()
                    .nth(d.column.saturating_sub(1))
                    .map_or(line_text.len(), |(i, _)| i);
                let end = line_text[start..]
                    .char_indices()
                    .nth(d.width)
                    .map_or(line_text.len(), |(i, _)| start + i);
                title.element(
                    Snippet::source(line_text.as_str())
                        .line_start(d.line)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end.max(start))),
                )
            }
            None => title.element(annotate_snippets::Origin::path(d.file.as_str())),
        };
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group; 1] = [group];
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(
            out,
            "{} error{}, {} warning{}",
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        );
    }
    out
}

thread_local! {
    /// The file this thread is working on, for the crash report (see [`working_on`]).
    static CURRENT_FILE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Records that this thread is now processing `file`; the panic hook names it.
pub fn working_on(file: &str) {
    CURRENT_FILE.with(|f| {
        let mut f = f.borrow_mut();
        f.clear();
        f.push_str(file);
    });
}

/// The name of the threads whose panics are caught and reported as diagnostics (the diagram
/// renderer's): the panic hook stays quiet for them. Defined here so the hook needs no stage.
pub const CAUGHT_PANIC_THREAD: &str = "opsbook-diagram";

/// Installs a last-resort panic hook: instead of a bare backtrace, say which file was being
/// processed and ask for a bug report. A panic is always a bug in opsbook, never the user's.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // A panic inside the diagram renderer is caught and reported as a diagram error.
        if std::thread::current().name() == Some(CAUGHT_PANIC_THREAD) {
            return;
        }
        let file = CURRENT_FILE.with(|f| f.borrow().clone());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "opsbook crashed{}: {message}{location}",
            if file.is_empty() {
                String::new()
            } else {
                format!(" while processing {file}")
            }
        );
        eprintln!(
            "This is a bug in opsbook, not in your content. Please report it with the file above (or a copy that still crashes) at https://github.com/clusterops/opsbook/issues"
        );
    }));
}

/// "Did you mean" helper: the closest candidate by Jaro-Winkler similarity, if close enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_crlf_line_is_the_column_of_the_lf_line() {
        let lf = "title = \"x\nnext\n";
        let crlf = lf.replace('\n', "\r\n");
        let at = |t: &str| {
            let l = Location::of(t, t.find('\n').unwrap_or(0));
            (l.line, l.column)
        };
        assert_eq!(at(lf), (1, 11));
        assert_eq!(at(&crlf), (1, 11));
    }

    #[test]
    fn locates_characters_not_bytes() {
        let text = "+++\ntitle = \"é\" x\n";
        let off = text.find('x').unwrap_or(0);
        let loc = Location::of(text, off);
        assert_eq!((loc.line, loc.column), (2, 13));
        assert_eq!(loc.line_text, "title = \"é\" x");
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::file("content/a,b.md", "syntax", "bad\nthing").help("fix: it");
        let s = render(&[d], Format::Github, false);
        assert_eq!(
            s,
            "::error file=content/a%2Cb.md,line=1,col=1,title=syntax::bad%0Athing%0Ahelp: fix: it\n"
        );
    }

    #[test]
    fn closest_finds_typos() {
        assert_eq!(
            closest("categroy", ["category", "license"]),
            Some("category")
        );
        assert_eq!(closest("zzz", ["category"]), None);
    }
}
