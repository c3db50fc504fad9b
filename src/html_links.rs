//! Links and ids in the raw HTML of a Markdown body. Links: the `href` of `<a>` and the `src` of `<img>` and
//! `<source>` (and the first URL of each `srcset`) are found with lol_html, handed to the same
//! resolver as Markdown links (so they are checked and rewritten alike) and put back.

use std::cell::RefCell;
use std::ops::Range;

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// The attributes that hold a link, by element.
const LINK_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("img", "src"),
    ("source", "src"),
    ("img", "srcset"),
    ("source", "srcset"),
];

/// Rewrites every link in the HTML fragment `html`, which sits at byte `offset` of the file.
/// `resolve(dest, span)` records the link (with the span of its tag in the file) and returns the
/// URL to publish. A fragment lol_html cannot read comes back unchanged, its links unrecorded.
pub fn rewrite_links(
    html: &str,
    offset: usize,
    resolve: &mut dyn FnMut(&str, Range<usize>) -> String,
) -> String {
    rewrite_links_located(html, &|b| offset + b, resolve)
}

/// [`rewrite_links`] for HTML gathered from several places of the file (the lines of an HTML
/// block inside a list or quote): `locate` maps a byte of `html` to its byte in the file.
pub fn rewrite_links_located(
    html: &str,
    locate: &dyn Fn(usize) -> usize,
    resolve: &mut dyn FnMut(&str, Range<usize>) -> String,
) -> String {
    // Most raw HTML (a closing tag, a <br>, a comment) holds no link: skip the rewriter.
    if !html.contains('<') || !(html.contains("href") || html.contains("src")) {
        return html.to_string();
    }
    let resolve = RefCell::new(resolve);
    let handle = |el: &mut Element, attr: &str| {
        let Some(value) = el.get_attribute(attr) else {
            return;
        };
        let tag = el.source_location().bytes();
        let start = locate(tag.start);
        let span = start..start.max(locate(tag.end.saturating_sub(1)) + 1);
        let new = if attr == "srcset" {
            srcset(&value, |url| (resolve.borrow_mut())(url, span.clone()))
        } else {
            (resolve.borrow_mut())(value.trim(), span)
        };
        if new != value {
            let _ = el.set_attribute(attr, &new);
        }
    };
    let handlers = LINK_ATTRIBUTES
        .iter()
        .map(|&(tag, attr)| {
            let selector = format!("{tag}[{attr}]");
            let handle = &handle;
            element!(selector, move |el| {
                handle(el, attr);
                Ok(())
            })
        })
        .collect();
    let settings = RewriteStrSettings {
        element_content_handlers: handlers,
        ..RewriteStrSettings::new()
    };
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// The `id` of every element in the HTML fragment `html` (`<a id="appendix"></a>`): places a
/// `#appendix` link reaches as it reaches a heading. A fragment lol_html cannot read gives none.
pub fn element_ids(html: &str) -> Vec<String> {
    if !html.contains("id") {
        return Vec::new();
    }
    let ids = RefCell::new(Vec::new());
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                ids.borrow_mut().push(id);
            }
            Ok(())
        })],
        ..RewriteStrSettings::new()
    };
    let _ = rewrite_str(html, settings);
    ids.into_inner()
}

/// Resolves each URL of a `srcset` ("a.png 1x, b.png 2x").
fn srcset(value: &str, mut resolve: impl FnMut(&str) -> String) -> String {
    value
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            match candidate.split_once(char::is_whitespace) {
                Some((url, size)) => format!("{} {}", resolve(url), size.trim()),
                None => resolve(candidate),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rewrites_and_locates_links() {
        let mut seen = Vec::new();
        let html = "<p>x</p><img alt=\"a\" src=\"d.png\"><a href=\"../t.md\">t</a><source srcset=\"a.png 1x, b.png 2x\">";
        let out = rewrite_links(html, 100, &mut |dest, span| {
            seen.push((dest.to_string(), span.start));
            format!("/r/{dest}")
        });
        assert_eq!(
            seen,
            vec![
                ("d.png".to_string(), 108),
                ("../t.md".to_string(), 133),
                ("a.png".to_string(), 156),
                ("b.png".to_string(), 156),
            ]
        );
        assert!(out.contains("src=\"/r/d.png\""), "{out}");
        assert!(out.contains("href=\"/r/../t.md\""), "{out}");
        assert!(out.contains("srcset=\"/r/a.png 1x, /r/b.png 2x\""), "{out}");
    }

    #[test]
    fn a_tag_split_across_lines_is_found() {
        let mut seen = Vec::new();
        let html = "<img\n  alt=\"x\"\n  src=\"d.png\">\n";
        // Two pieces: the first line at byte 10 of the file, the rest at byte 40.
        let locate = |b: usize| if b < 5 { 10 + b } else { 40 + b - 5 };
        let out = rewrite_links_located(html, &locate, &mut |dest, span| {
            seen.push((dest.to_string(), span));
            "/d.png".to_string()
        });
        assert_eq!(seen, vec![("d.png".to_string(), 10..64)]);
        assert!(out.contains("src=\"/d.png\""), "{out}");
    }

    #[test]
    fn text_without_tags_is_untouched() {
        let out = rewrite_links("just text", 0, &mut |_, _| unreachable!("no links"));
        assert_eq!(out, "just text");
    }
}
