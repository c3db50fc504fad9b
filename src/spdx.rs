//! SPDX licence identifiers: the SPDX License List (src/spdx-ids.txt) and the splitting of a
//! licence expression such as "Apache-2.0 OR MIT" into parts, each identifier with the address
//! of its licence text. Used by the `spdx` template filter.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// Every licence and exception identifier of the SPDX License List, one a line.
const IDS: &str = include_str!("spdx-ids.txt");

/// Where an identifier's licence text is published.
const BASE: &str = "https://spdx.org/licenses/";

/// One piece of a licence expression as written: an identifier (with `url`), an operator, a
/// parenthesis or the space between them (without).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub text: String,
    pub url: Option<String>,
}

/// The identifiers by their lowercase form (SPDX matches identifiers case-insensitively), each
/// mapped to its canonical spelling.
fn ids() -> &'static HashMap<String, &'static str> {
    static IDS_BY_LOWER: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    IDS_BY_LOWER.get_or_init(|| {
        IDS.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|id| (id.to_ascii_lowercase(), id))
            .collect()
    })
}

/// The canonical spelling of `word` if it is an SPDX identifier.
pub fn canonical(word: &str) -> Option<&'static str> {
    ids().get(&word.to_ascii_lowercase()).copied()
}

fn is_operator(word: &str) -> bool {
    ["AND", "OR", "WITH"]
        .iter()
        .any(|op| word.eq_ignore_ascii_case(op))
}

/// Splits `expression` into its parts. Identifiers link to their licence text only when the
/// whole value is an SPDX expression (identifiers, `AND` / `OR` / `WITH`, parentheses); any
/// other value ("Proprietary", "Apache 2.0") comes back as one plain part, unchanged.
pub fn parts(expression: &str) -> Vec<Part> {
    let mut tokens: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in expression.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if start < i {
                tokens.push(&expression[start..i]);
            }
            tokens.push(&expression[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < expression.len() {
        tokens.push(&expression[start..]);
    }
    let words = tokens
        .iter()
        .filter(|t| !t.trim().is_empty() && **t != "(" && **t != ")");
    let mut any_id = false;
    for word in words {
        if canonical(word).is_some() {
            any_id = true;
        } else if !is_operator(word) {
            return vec![Part {
                text: expression.to_string(),
                url: None,
            }];
        }
    }
    if !any_id {
        return vec![Part {
            text: expression.to_string(),
            url: None,
        }];
    }
    tokens
        .into_iter()
        .map(|t| Part {
            text: t.to_string(),
            url: canonical(t).map(|id| format!("{BASE}{id}.html")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(expression: &str) -> Vec<(String, Option<String>)> {
        parts(expression)
            .into_iter()
            .map(|p| (p.text, p.url))
            .collect()
    }

    #[test]
    fn a_single_identifier_links_its_text() {
        assert_eq!(
            links("Apache-2.0"),
            [(
                "Apache-2.0".to_string(),
                Some("https://spdx.org/licenses/Apache-2.0.html".to_string())
            )]
        );
    }

    #[test]
    fn each_identifier_of_an_expression_links_and_operators_stay_text() {
        let got = links("(Apache-2.0 OR MIT) AND BSD-3-Clause");
        let linked: Vec<&str> = got
            .iter()
            .filter(|(_, u)| u.is_some())
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(linked, ["Apache-2.0", "MIT", "BSD-3-Clause"]);
        let text: String = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "(Apache-2.0 OR MIT) AND BSD-3-Clause");
        let with = links("GPL-2.0-or-later WITH Classpath-exception-2.0");
        assert_eq!(
            with.last().and_then(|(_, u)| u.as_deref()),
            Some("https://spdx.org/licenses/Classpath-exception-2.0.html")
        );
    }

    #[test]
    fn identifiers_match_case_insensitively_and_link_the_canonical_spelling() {
        assert_eq!(
            links("apache-2.0")[0].1.as_deref(),
            Some("https://spdx.org/licenses/Apache-2.0.html")
        );
        assert_eq!(links("apache-2.0")[0].0, "apache-2.0");
    }

    #[test]
    fn values_that_are_not_spdx_expressions_stay_plain_text() {
        for value in [
            "Proprietary",
            "Apache 2.0",
            "MIT-style",
            "OR",
            "",
            "MIT or whatever",
        ] {
            assert_eq!(links(value), [(value.to_string(), None)], "{value}");
        }
    }
}
