//! Survey charts: a CSV file of `question,answer,count` rows, drawn at build time as one
//! horizontal SVG bar chart per question (no JavaScript). The numbers stay beside each chart
//! for an accessible table. Colours come from the page's stylesheet (`.chart-bar`), so one
//! chart serves light and dark.

use serde::Serialize;

use crate::output::escape_xml;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub answer: String,
    pub count: u64,
    /// Share of the question's answers, 0–100, one decimal.
    pub percent: f64,
    /// The share as the chart writes it: `75`, `33.2`.
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
    pub message: String,
}

/// Parses the CSV (header `question,answer,count`, in any order; other columns ignored) and
/// draws each question, in the order questions first appear.
pub fn charts(csv_text: &str) -> Result<Vec<Question>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CsvError {
            line: 1,
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| CsvError {
                line: 1,
                message: format!(
                    "the header row has no `{name}` column (expected question,answer,count)"
                ),
            })
    };
    let (q, a, c) = (column("question")?, column("answer")?, column("count")?);
    let mut questions: Vec<(String, Vec<(String, u64)>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CsvError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").to_string();
        let (question, answer, count) = (field(q), field(a), field(c));
        if question.is_empty() && answer.is_empty() && count.is_empty() {
            continue;
        }
        if question.is_empty() || answer.is_empty() {
            return Err(CsvError {
                line,
                message: "a row needs a question and an answer".into(),
            });
        }
        let count: u64 = count.parse().map_err(|_| CsvError {
            line,
            message: format!("count `{count}` is not a whole number"),
        })?;
        match questions.iter_mut().find(|(text, _)| *text == question) {
            Some((_, answers)) => answers.push((answer, count)),
            None => questions.push((question, vec![(answer, count)])),
        }
    }
    if questions.is_empty() {
        return Err(CsvError {
            line: 1,
            message: "the file has no answers".into(),
        });
    }
    Ok(questions
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
                        share: percent.to_string(),
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
        .collect())
}

const WIDTH: u32 = 640;
const LABEL: u32 = 220;
const BAR_AREA: u32 = WIDTH - LABEL - 110;
const ROW: u32 = 30;

/// A horizontal bar chart: answer labels on the left, bars scaled to the largest count, the
/// count and share after each bar.
fn svg(id: &str, question: &str, answers: &[Answer]) -> String {
    let max = answers.iter().map(|a| a.count).max().unwrap_or(0).max(1);
    let height = ROW * u32::try_from(answers.len()).unwrap_or(u32::MAX / ROW - 1) + 8;
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>",
        escape_xml(question)
    );
    for (row, a) in (0u32..).zip(answers) {
        let y = row * ROW + 4;
        let w = (a.count as f64 / max as f64 * f64::from(BAR_AREA)).round();
        let label: String = if a.answer.chars().count() > 30 {
            a.answer.chars().take(29).chain(['…']).collect()
        } else {
            a.answer.clone()
        };
        out.push_str(&format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar\" x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"3\"/><text class=\"chart-value\" x=\"{}\" y=\"{}\">{} ({}%)</text>",
            LABEL - 8,
            y + 17,
            escape_xml(&label),
            ROW - 8,
            f64::from(LABEL) + w + 6.0,
            y + 17,
            a.count,
            a.share
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rows_by_question_and_scales_bars() {
        let q = charts(
            "question,answer,count\nHow?,kubeadm,30\nHow?,\"Managed, hosted\",10\nWhy?,Because,5\n",
        )
        .unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].total, 40);
        assert_eq!(q[0].answers[1].answer, "Managed, hosted");
        assert_eq!(q[0].answers[0].percent, 75.0);
        assert_eq!(q[0].answers[0].share, "75");
        assert!(q[0].svg.contains("30 (75%)"));
        assert!(q[0].svg.contains(&format!("width=\"{BAR_AREA}\"")));
        assert!(q[0].svg.contains("Managed, hosted"));
        assert_eq!(q[1].id, "chart-2");
    }

    #[test]
    fn errors_name_the_line() {
        let e = charts("question,answer,count\nHow?,kubeadm,30\nHow?,other,many\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("many"));
        let e = charts("q,a,n\n").unwrap_err();
        assert!(e.message.contains("question"));
        let e = charts("question,answer,count\n").unwrap_err();
        assert!(e.message.contains("no answers"));
    }

    #[test]
    fn text_is_escaped() {
        let q = charts("question,answer,count\n<script>,<b>x</b>,1\n").unwrap();
        assert!(!q[0].svg.contains("<script>"));
        assert!(!q[0].svg.contains("<b>"));
    }
}
