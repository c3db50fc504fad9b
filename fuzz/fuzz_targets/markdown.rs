//! Markdown rendering with link rewriting and sanitizing: any body renders; without
//! `unsafe_html` no script survives.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use opsbook::markdown::{LinkTargets, MarkdownOptions, render};

fn pages() -> &'static HashMap<String, String> {
    static PAGES: OnceLock<HashMap<String, String>> = OnceLock::new();
    PAGES.get_or_init(|| {
        HashMap::from([
            ("tools/etcd.md".to_string(), "/docs/tools/etcd/".to_string()),
            ("notes/a.md".to_string(), "/docs/notes/a/".to_string()),
        ])
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = MarkdownOptions {
        unsafe_html: false,
        smart_punctuation: true,
        highlight: None,
        reserved_ids: vec!["main".into()],
    };
    let targets = LinkTargets {
        pages: pages(),
        base_path: "/docs",
        site_url: "https://example.org/docs",
    };
    let out = render(text, 0, "notes", &targets, &options);
    // Text is escaped (`<` never appears in it), so every `<` opens a tag: look inside tags
    // only (a code block may well show `href="javascript:…"` as text).
    let lower = out.html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag_and_more = &rest[start..];
        let end = tag_and_more.find('>').unwrap_or(tag_and_more.len());
        let tag = &tag_and_more[..end];
        assert!(
            !tag.starts_with("<script"),
            "a script survived sanitizing: {tag}"
        );
        for attr in ["href=\"javascript:", "src=\"javascript:"] {
            assert!(!tag.contains(attr), "a javascript: URL survived: {tag}");
        }
        rest = &tag_and_more[end..];
    }
    for link in &out.links {
        assert!(link.span.end <= text.len());
    }
});
