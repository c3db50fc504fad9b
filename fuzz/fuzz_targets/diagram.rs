//! Drawing a ```mermaid block: any text must give a sanitized figure or a located error, never
//! a panic, a hang past the watchdog, or markup that could run or load anything.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Elements that must never reach the page.
const FORBIDDEN: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "img",
    "image",
    "a",
    "object",
    "embed",
    "animate",
    "set",
];

/// The attributes of one tag (`<name a="v" b>`, lowercased); values are quoted by the
/// generator, which escapes `"` inside them.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag
        .trim_start_matches('<')
        .trim_end_matches('/')
        .split_once(char::is_whitespace)
        .map_or("", |(_, attrs)| attrs);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest == "/" {
            return out;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = &rest[name_end..];
        if let Some(after) = rest.strip_prefix("=\"") {
            let value_end = after.find('"').expect("an attribute value is closed");
            out.push((name, &after[..value_end]));
            rest = &after[value_end + 1..];
        } else {
            assert!(!rest.starts_with('='), "an unquoted attribute value: {tag}");
            out.push((name, ""));
        }
    }
}

/// True when every `url(` in `css` points inside the drawing (`url(#…)`).
fn only_local_urls(css: &str) -> bool {
    css.match_indices("url(").all(|(i, _)| {
        let mut inner = css[i + 4..].trim_start();
        // Quotes, raw or escaped as the generator writes them in attributes and style text.
        for quote in ["\"", "'", "&quot;", "&#39;"] {
            inner = inner.trim_start_matches(quote);
        }
        inner.starts_with('#')
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line plays the fence's info string, the rest the block.
    let (info, source) = text.split_once('\n').unwrap_or(("mermaid", text));
    let drawn = opsbook::diagram::draw(source, info);
    // Text is escaped (`<` never appears in it), so every `<` opens a tag. Labels, the title
    // and the source shown as text may say anything (`javascript:…`, `onerror=`); what matters
    // is which elements and attributes the markup has, and what its style sheets load.
    let lower = drawn.html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag_and_more = &rest[start..];
        let end = tag_and_more.find('>').unwrap_or(tag_and_more.len());
        let tag = &tag_and_more[..end];
        let name = tag
            .trim_start_matches(['<', '/'])
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        assert!(!FORBIDDEN.contains(&name), "<{name}> in the figure: {tag}");
        for (attr, value) in attributes(tag) {
            assert!(!attr.starts_with("on"), "an event handler: {tag}");
            assert!(!attr.ends_with("src"), "a source attribute: {tag}");
            if attr.ends_with("href") {
                assert!(value.starts_with('#'), "an external reference: {tag}");
            }
            // The accessible name is the contributor's words, whatever they say; every other
            // value could be read as a URL or as style.
            if attr != "aria-label" {
                assert!(only_local_urls(value), "an external url(): {tag}");
                assert!(!value.contains("javascript:"), "a javascript: URL: {tag}");
            }
        }
        if tag.starts_with("<style") {
            let css_end = tag_and_more.find("</style").unwrap_or(tag_and_more.len());
            let css = &tag_and_more[end..css_end];
            assert!(only_local_urls(css), "an external url() in CSS: {css}");
            assert!(!css.contains("@import"), "@import in CSS: {css}");
        }
        rest = &tag_and_more[end..];
    }
    if let Some(error) = &drawn.diagram.error {
        assert!(error.line >= 1 && error.line <= source.lines().count().max(1) + 1);
        assert!(!error.message.is_empty());
    }
});
