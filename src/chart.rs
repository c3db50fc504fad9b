//! Survey charts: a CSV file of `question,answer,count` rows, drawn at build time as one
//! horizontal SVG bar chart per question (no JavaScript). The numbers stay beside each chart
//! for an accessible table. Colours come from the page's stylesheet (`.chart-bar`), so one
//! chart serves light and dark. It also says what is wrong with each bad row, at its line of
//! the CSV file ([`Survey::problems`], [`diagnostics`]).

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::output::escape_xml;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub answer: String,
    pub count: u64,
    /// Share of the question's answers, 0–100, one decimal.
    pub percent: f64,
    /// The share as the chart writes it, always with one decimal: `75.0`, `33.2`.
    pub share: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Question {
    pub question: String,
    /// An id for the chart's heading and `aria-labelledby`.
    pub id: String,
    pub total: u64,
    pub answers: Vec<Answer>,
    /// The chart, an inline `<svg>` element.
    pub svg: String,
}

/// A problem in the CSV, at a 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub line: u64,
    /// Byte offset, in the line, of the field the problem is in (0: the row as a whole).
    pub column: usize,
    pub message: String,
    pub help: String,
    /// A warning (the charts are still right), not an error.
    pub warning: bool,
}

impl CsvError {
    fn file(line: u64, message: String) -> CsvError {
        CsvError {
            line,
            column: 0,
            message,
            help: "the first row names the columns: question,answer,count".into(),
            warning: false,
        }
    }
}

/// The rows of a survey CSV: the answers of each question, in the order questions first
/// appear, and the rows that could not be read.
struct Rows {
    questions: Vec<(String, Vec<(String, u64)>)>,
    problems: Vec<CsvError>,
    counts: Vec<Count>,
}

/// Where a good row's count is: its line, the byte offset of the count in the line, and the
/// count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    pub line: u64,
    pub column: usize,
    pub count: u64,
}

/// A survey CSV read once: the charts drawn from its good rows, and every row left out.
#[derive(Debug)]
pub struct Survey {
    /// One chart per question, in the order questions first appear.
    pub charts: Vec<Question>,
    /// Every row the charts leave out, at its line: a row with more fields than the header (an
    /// unquoted comma), without a question or an answer, or whose count is not a whole number.
    pub problems: Vec<CsvError>,
    /// Every charted row's count, where it is.
    pub counts: Vec<Count>,
}

impl Survey {
    /// An error for each answer counted by more people than the `respondents` who answered
    /// the survey at all (`field` names where that number is written).
    pub fn over(&self, respondents: u64, field: &str) -> Vec<CsvError> {
        self.counts
            .iter()
            .filter(|c| c.count > respondents)
            .map(|c| CsvError {
                line: c.line,
                column: c.column,
                message: format!(
                    "this answer's count ({}) is more than the survey's {respondents} respondents: no answer can be given by more people than answered",
                    c.count
                ),
                help: format!(
                    "correct the count, or the entry's `{field}` if that is what is wrong"
                ),
                warning: false,
            })
            .collect()
    }
}

/// Parses the CSV (header `question,answer,count`, in any order; other columns ignored) and
/// draws each question. A bad header, or a file without rows, is the error; a bad row is left
/// out of the charts and listed in [`Survey::problems`] (the build reports every one, at its
/// line of the CSV file, and they keep the site from being published).
pub fn survey(csv_text: &str) -> Result<Survey, CsvError> {
    let rows = read(csv_text)?;
    if rows.questions.is_empty() && rows.problems.iter().all(|p| p.warning) {
        let mut e = CsvError::file(1, "the file has no answers".into());
        e.help = "add a row per answer under the header: question,answer,count".into();
        return Err(e);
    }
    Ok(Survey {
        charts: draw(rows.questions),
        problems: rows.problems,
        counts: rows.counts,
    })
}

/// The [`Survey::problems`] of the CSV file `file` (its path relative to the site root, `text` its
/// contents) as diagnostics at their lines, pointing at the field in question.
pub fn diagnostics(file: &str, text: &str, problems: &[CsvError]) -> Vec<Diagnostic> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    problems
        .iter()
        .map(|p| {
            let start = usize::try_from(p.line)
                .ok()
                .and_then(|l| line_starts.get(l.saturating_sub(1)))
                .map_or(0, |s| s + p.column);
            let end = text
                .get(start..)
                .and_then(|rest| rest.find(['\n', '\r']))
                .map_or(text.len(), |i| start + i);
            let d = Diagnostic::at(file, text, start..end, "chart", p.message.clone())
                .help(p.help.clone());
            if p.warning { d.warning() } else { d }
        })
        .collect()
}

fn read(csv_text: &str) -> Result<Rows, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CsvError::file(1, format!("cannot read the header row: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| missing_column(&headers, name))
    };
    let (q, a, c) = (column("question")?, column("answer")?, column("count")?);
    let mut rows = Rows {
        questions: Vec::new(),
        problems: extra_columns(&headers, [q, a, c]),
        counts: Vec::new(),
    };
    // (question, answer) → the line it was first given on.
    let mut seen: std::collections::HashMap<(String, String), u64> =
        std::collections::HashMap::new();
    let lines: Vec<&str> = csv_text.lines().collect();
    // Where each line starts: a row's line comes from its byte offset (the csv crate's own line
    // count is off by one after CRLF line ends or blank lines).
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            csv_text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let line_at = |p: Option<&csv::Position>| {
        p.map_or(0, |p| {
            // The row may be reported at the line end before it: skip line ends.
            let mut at = usize::try_from(p.byte()).unwrap_or(0);
            while matches!(csv_text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            starts.partition_point(|&s| s <= at) as u64
        })
    };
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.problems.push(CsvError {
                    line: line_at(e.position()),
                    column: 0,
                    message: format!("this row cannot be read: {e}"),
                    help: "each row is question,answer,count".into(),
                    warning: false,
                });
                continue;
            }
        };
        let line = line_at(record.position());
        let text = usize::try_from(line)
            .ok()
            .and_then(|l| lines.get(l.saturating_sub(1)))
            .copied()
            .unwrap_or("");
        match answer(&record, (q, a, c), headers.len(), text) {
            Ok(None) => {}
            Ok(Some((question, answer, count))) => {
                let key = (question.clone(), answer.clone());
                if let Some(first) = seen.get(&key) {
                    rows.problems.push(CsvError {
                        line,
                        column: field_starts(text).get(a).copied().unwrap_or(0),
                        message: format!(
                            "the answer `{answer}` is given twice for this question (first on line {first}): its bar would be drawn twice and every share would be too low"
                        ),
                        help: "keep one row per answer: delete this row, or add its count to the first".into(),
                        warning: false,
                    });
                    continue;
                }
                seen.insert(key, line);
                rows.counts.push(Count {
                    line,
                    column: field_starts(text).get(c).copied().unwrap_or(0),
                    count,
                });
                match rows.questions.iter_mut().find(|(t, _)| *t == question) {
                    Some((_, answers)) => answers.push((answer, count)),
                    None => rows.questions.push((question, vec![(answer, count)])),
                }
            }
            Err((column, message, help)) => rows.problems.push(CsvError {
                line,
                column,
                message,
                help,
                warning: false,
            }),
        }
    }
    Ok(rows)
}

/// The header lacks the column `name`: said plainly when the file is separated by `;` or tabs
/// (as spreadsheets in some languages save "CSV").
fn missing_column(headers: &csv::StringRecord, name: &str) -> CsvError {
    let first = headers.iter().next().unwrap_or("");
    if headers.len() == 1
        && let Some(sep) = [';', '\t'].into_iter().find(|c| first.contains(*c))
    {
        let shown = if sep == ';' { "`;`" } else { "tabs" };
        let mut e = CsvError::file(1, format!("this file is separated by {shown}: use commas"));
        e.help = "save it with commas between fields (a spreadsheet's \"CSV, comma-separated\"): question,answer,count".into();
        return e;
    }
    let mut e = CsvError::file(
        1,
        format!("the header row has no `{name}` column (expected question,answer,count)"),
    );
    // `Question,Answer,Responses`: the one column that is none of the three is this one.
    let others: Vec<&str> = headers
        .iter()
        .filter(|h| {
            !["question", "answer", "count"]
                .iter()
                .any(|k| h.eq_ignore_ascii_case(k))
        })
        .collect();
    if let [other] = others.as_slice() {
        e.help = format!(
            "rename the column `{other}` to `{name}`: the header row is question,answer,count"
        );
    }
    e
}

/// A warning for each header column besides question, answer and count: the charts leave it
/// out (`percent`: the shares are computed from the counts).
fn extra_columns(headers: &csv::StringRecord, used: [usize; 3]) -> Vec<CsvError> {
    let names: Vec<&str> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| h)
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![CsvError {
        line: 1,
        column: 0,
        message: format!(
            "the column{} {list} {} not shown: the charts draw only question, answer and count",
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" }
        ),
        help: "remove the column (shares are computed from the counts), or put what it says in the entry's text".into(),
        warning: true,
    }]
}

/// A bad row: the byte offset of the field in its line, the message and the hint.
type RowProblem = (usize, String, String);

/// A row's (question, answer, count); `None` for a blank row; the problem of a bad one.
/// `line` is the row's text when it is on one line (to point at a field), `width` the
/// header's number of fields.
fn answer(
    record: &csv::StringRecord,
    (q, a, c): (usize, usize, usize),
    width: usize,
    line: &str,
) -> Result<Option<(String, String, u64)>, RowProblem> {
    let field = |i: usize| record.get(i).unwrap_or("").to_string();
    let (question, answer, count) = (field(q), field(a), field(c));
    if question.is_empty() && answer.is_empty() && count.is_empty() {
        return Ok(None);
    }
    let starts = field_starts(line);
    let at = |i: usize| starts.get(i).copied().unwrap_or(0);
    if record.len() > width {
        let extra = record.len() - width;
        // `…,1,234`: a count written with a thousands separator.
        let tail: Vec<&str> = record.iter().skip(c).collect();
        let thousands = c + 1 == width && digit_groups(&tail);
        let help = if thousands {
            format!(
                "write the count without the thousands separator: `{}` (or quote the field that holds a comma)",
                tail.concat()
            )
        } else {
            "put the field that holds a comma in double quotes, e.g. `\"Managed, hosted\"`"
                .to_string()
        };
        return Err((
            if thousands { at(c) } else { 0 },
            format!(
                "this row has {} fields but the header has {width}: {extra} comma{} too many, so `count` would be read as `{count}`",
                record.len(),
                if extra == 1 { "" } else { "s" }
            ),
            help,
        ));
    }
    if record.len() < width {
        let names = ["question", "answer", "count"];
        let missing: Vec<&str> = [q, a, c]
            .iter()
            .zip(names)
            .filter(|(i, _)| **i >= record.len())
            .map(|(_, n)| n)
            .collect();
        if !missing.is_empty() {
            return Err((
                0,
                format!(
                    "this row has {} field{} but the header has {width}: no {}",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    missing
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                "each row is question,answer,count: add the missing field after a comma".into(),
            ));
        }
    }
    if question.is_empty() || answer.is_empty() {
        return Err((
            0,
            "a row needs a question and an answer".into(),
            "each row is question,answer,count".into(),
        ));
    }
    match count.parse::<u64>() {
        Ok(n) => Ok(Some((question, answer, n))),
        Err(_) => {
            let groups: Vec<&str> = count.split([',', '_', '\'', ' ', '.']).collect();
            let help = if count.is_empty() {
                "give the number of answers, e.g. `12`".to_string()
            } else if groups.len() > 1 && digit_groups(&groups) {
                format!(
                    "write the count without the thousands separator: `{}`",
                    groups.concat()
                )
            } else {
                "the count is how many gave this answer: a whole number, e.g. `12`".to_string()
            };
            Err((
                at(c),
                format!("count `{count}` is not a whole number"),
                help,
            ))
        }
    }
}

/// Whether `groups` are a number split at its thousands (`1`, `234`): digits only, one to
/// three in the first group and three in each other.
fn digit_groups(groups: &[&str]) -> bool {
    let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    groups.iter().all(digits)
        && groups.first().is_some_and(|g| g.len() <= 3)
        && groups.iter().skip(1).all(|g| g.len() == 3)
}

/// The byte offset where each field of a one-line CSV row starts (commas inside double quotes
/// do not split).
fn field_starts(line: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => starts.push(i + 1),
            _ => {}
        }
    }
    // Point past the spaces the reader trims.
    starts
        .into_iter()
        .map(|s| s + line.get(s..).map_or(0, |f| f.len() - f.trim_start().len()))
        .collect()
}

/// Draws each question's answers.
fn draw(questions: Vec<(String, Vec<(String, u64)>)>) -> Vec<Question> {
    questions
        .into_iter()
        .enumerate()
        .map(|(n, (question, answers))| {
            let total: u64 = answers.iter().map(|(_, c)| c).sum();
            let answers: Vec<Answer> = answers
                .into_iter()
                .map(|(answer, count)| {
                    let percent = if total == 0 {
                        0.0
                    } else {
                        (count as f64 * 1000.0 / total as f64).round() / 10.0
                    };
                    Answer {
                        percent,
                        // Always one decimal, so "36.0" stands next to "33.2" in a table.
                        share: format!("{percent:.1}"),
                        answer,
                        count,
                    }
                })
                .collect();
            let id = format!("chart-{}", n + 1);
            let svg = svg(&id, &question, &answers);
            Question {
                question,
                id,
                total,
                answers,
                svg,
            }
        })
        .collect()
}

/// The drawing's width. Each label sits on its own line above its bar, so the chart stays
/// narrow: on a 390 px phone (about 358 px for the drawing) 14-unit text is drawn at 12.5 px,
/// and the stylesheet caps the width on a desktop so it is not drawn larger than body text.
const WIDTH: u32 = 400;
/// Room after the longest bar for its value, "1234 (100.0%)".
const BAR_AREA: u32 = WIDTH - 100;
/// Text size and line height, in drawing units.
const FONT: u32 = 14;
const LINE: u32 = 18;
const BAR: u32 = 14;
/// Space between one answer's bar and the next answer's label.
const GAP: u32 = 12;
/// Characters of a label line: at 14 units, about 7.5 units a character, 48 fill the width.
const LINE_CHARS: usize = 48;

/// `text` in lines of at most `width` characters, broken between words (a longer word is
/// broken inside). Every line but the last keeps its trailing space, so the lines joined are
/// the text.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_inclusive(' ') {
        if !line.is_empty()
            && line.trim_end().chars().count() + word.trim_end().chars().count() > width
        {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(word);
        while line.trim_end().chars().count() > width {
            let rest: String = line.chars().skip(width).collect();
            line = line.chars().take(width).collect();
            lines.push(std::mem::replace(&mut line, rest));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A horizontal bar chart: each answer's label, whole and wrapped, on its own line(s), its
/// bar below scaled to the largest count, the count and share after the bar.
fn svg(id: &str, question: &str, answers: &[Answer]) -> String {
    let max = answers.iter().map(|a| a.count).max().unwrap_or(0).max(1);
    let mut body = String::new();
    let mut y = 4;
    for a in answers {
        let w = (a.count as f64 / max as f64 * f64::from(BAR_AREA)).round();
        let lines = wrap(&a.answer, LINE_CHARS);
        body.push_str(&format!(
            "<text class=\"chart-label\" x=\"0\" y=\"{}\">",
            y + FONT
        ));
        for (n, line) in lines.iter().enumerate() {
            let dy = if n == 0 { 0 } else { LINE };
            body.push_str(&format!(
                "<tspan x=\"0\" dy=\"{dy}\">{}</tspan>",
                escape_xml(line)
            ));
        }
        body.push_str("</text>");
        y += LINE * u32::try_from(lines.len()).unwrap_or(1) + 2;
        body.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"0\" y=\"{y}\" width=\"{w}\" height=\"{BAR}\" rx=\"3\"/><text class=\"chart-value\" x=\"{}\" y=\"{}\">{} ({}%)</text>",
            w + 6.0,
            y + BAR - 2,
            a.count,
            a.share
        ));
        y += BAR + GAP;
    }
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {y}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>{body}</svg>",
        escape_xml(question)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rows_by_question_and_scales_bars() {
        let q = survey(
            "question,answer,count\nHow?,kubeadm,30\nHow?,\"Managed, hosted\",10\nWhy?,Because,5\n",
        )
        .unwrap()
        .charts;
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].total, 40);
        assert_eq!(q[0].answers[1].answer, "Managed, hosted");
        assert_eq!(q[0].answers[0].percent, 75.0);
        assert_eq!(q[0].answers[0].share, "75.0");
        assert!(q[0].svg.contains("30 (75.0%)"));
        assert!(q[0].svg.contains(&format!("width=\"{BAR_AREA}\"")));
        assert!(q[0].svg.contains("Managed, hosted"));
        assert_eq!(q[1].id, "chart-2");
    }

    #[test]
    fn errors_name_the_line() {
        let text = "question,answer,count\nHow?,kubeadm,30\nHow?,other,many\n";
        let read = survey(text).unwrap();
        let e = &read.problems[0];
        assert_eq!(e.line, 3);
        assert!(e.message.contains("many"));
        // The chart is drawn from the good rows; the build fails on the bad one.
        assert_eq!(read.charts[0].total, 30);
        let e = survey("q,a,n\n").unwrap_err();
        assert!(e.message.contains("question"));
        let e = survey("question,answer,count\n").unwrap_err();
        assert!(e.message.contains("no answers"));
    }

    #[test]
    fn a_short_row_says_which_field_it_lacks() {
        let read =
            survey("question,answer,count\nHow?,kubeadm,3\nHow do you provision?,K3s\n").unwrap();
        let e = &read.problems[0];
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "this row has 2 fields but the header has 3: no `count`"
        );
    }

    #[test]
    fn long_labels_wrap_whole_above_their_bars() {
        let long = "Cluster API with a provider we maintain ourselves, on bare metal in two sites";
        let q = survey(&format!(
            "question,answer,count\nHow?,\"{long}\",3\nHow?,K3s,1\n"
        ))
        .unwrap()
        .charts;
        let svg = &q[0].svg;
        // No ellipsis: every word is drawn, over two lines.
        assert!(!svg.contains('…'), "{svg}");
        let lines = wrap(long, LINE_CHARS);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.concat(), long);
        assert!(
            lines
                .iter()
                .all(|l| l.trim_end().chars().count() <= LINE_CHARS)
        );
        assert_eq!(svg.matches("<tspan").count(), 3, "two lines, then one");
        // A word longer than a line is broken inside it, not lost.
        let word = "x".repeat(LINE_CHARS + 5);
        assert_eq!(wrap(&word, LINE_CHARS).concat(), word);
        assert_eq!(wrap("", LINE_CHARS), [""]);
    }

    #[test]
    fn labels_are_legible_on_a_phone() {
        // A 390 px phone leaves about 358 px for the drawing: text must come out at 12 px or
        // more, and a full label line must fit the width.
        let scale = 358.0 / f64::from(WIDTH);
        assert!(
            f64::from(FONT) * scale >= 12.0,
            "text at {} px",
            f64::from(FONT) * scale
        );
        assert!(LINE_CHARS as f64 * 7.5 <= f64::from(WIDTH));
    }

    #[test]
    fn text_is_escaped() {
        let q = survey("question,answer,count\n<script>,<b>x</b>,1\n")
            .unwrap()
            .charts;
        assert!(!q[0].svg.contains("<script>"));
        assert!(!q[0].svg.contains("<b>"));
    }
}
