//! The built-in Tera templates of the generated files that are not pages — `atom.xml` (every
//! feed), `sitemap.xml` and `robots.txt` — and their typed contexts. A site or theme replaces
//! one by putting a template of the same name in its `templates/` (as Zola does). `.xml`
//! templates escape values for XML.

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

pub const FEED: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

const BUILTIN: [(&str, &str); 3] = [
    (FEED, include_str!("builtin/atom.xml")),
    (SITEMAP, include_str!("builtin/sitemap.xml")),
    (ROBOTS, include_str!("builtin/robots.txt")),
];

pub use crate::output::escape_xml;
use crate::output::write_escaped_xml;

/// The feed, sitemap and robots templates, compiled once per build (and kept by `serve`).
pub struct Builtins {
    tera: Tera,
    /// Template name → (file for messages, text).
    files: Vec<(String, (String, String))>,
}

impl Builtins {
    /// The built-in templates, each replaced by the theme's or site's template of that name.
    pub fn new(theme: &Theme) -> Result<Builtins, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on([".xml"]);
        tera.set_escape_fn(write_escaped_xml);
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for (name, builtin) in BUILTIN {
            let (file, text) = theme
                .templates
                .get(name)
                .map_or(("(built-in)", builtin), |(f, t)| (f.as_str(), t.as_str()));
            files.push((name.to_string(), (file.to_string(), text.to_string())));
            if let Err(e) = tera.add_raw_template(name, text) {
                diags.push(crate::render::template_error(&e, file, |n| {
                    (n == name).then_some((file, text))
                }));
            }
        }
        if diags.is_empty() {
            Ok(Builtins { tera, files })
        } else {
            Err(diags)
        }
    }

    /// Renders template `name` with `value` as the variable `key`; an error names the file.
    pub fn render(
        &self,
        name: &str,
        key: &'static str,
        value: &impl Serialize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert(key, value);
        self.tera
            .render(name, &ctx)
            .map(String::into_bytes)
            .map_err(|e| {
                let source = |n: &str| {
                    self.files
                        .iter()
                        .find(|(f, _)| f == n)
                        .map(|(_, (f, t))| (f.as_str(), t.as_str()))
                };
                let fallback = source(name).map_or(name, |(f, _)| f);
                crate::render::template_error(&e, fallback, source)
            })
    }
}

/// `feed` in `atom.xml`.
#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    pub title: String,
    pub self_url: String,
    pub home_url: String,
    /// RFC 3339 date of the newest entry.
    pub updated: &'a str,
    pub entries: Vec<FeedEntry<'a>>,
}

/// `feed.entries[]`.
#[derive(Debug, Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub link: String,
    pub published: &'a str,
    pub updated: &'a str,
    pub authors: Vec<&'a str>,
    /// HTML, escaped by the template (`type="html"`).
    pub summary: &'a str,
    /// The entry's `[book] label` field value ("example"), if any.
    pub label: Option<&'a str>,
}

/// `entries[]` in `sitemap.xml`.
#[derive(Debug, Serialize)]
pub struct SitemapEntry<'a> {
    pub loc: String,
    pub lastmod: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape_xml("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
