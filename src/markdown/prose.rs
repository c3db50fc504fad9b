//! A body's prose as the Markdown stage reads it: a command-line flag keeps its two hyphens
//! under smart punctuation (`--control-plane`, not an en dash a reader would copy into a
//! shell), and a bare web address in text becomes a link, as GitHub and Hugo make it
//! (`https://…`, `www.…`), never inside a link, an image or code. It works inside the Markdown
//! stage's own loop over the events, not as an iterator in front of it (that cost about 10 % of
//! `check` on a docs corpus), and text events are not merged first (7 % more): pulldown-cmark
//! splits text only where markup might start (`[`, quotes, entities), which web addresses
//! rarely hold.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// What the Markdown stage keeps of a body's prose while reading its events: whether the body
/// could hold a flag or an address at all (one search each over the body spares a look at
/// every event), and how many links and images are open around the next event.
pub(super) struct Prose {
    dashes: bool,
    addresses: bool,
    depth: usize,
}

impl Prose {
    pub(super) fn new(body: &str) -> Prose {
        Prose {
            dashes: body.contains("--"),
            addresses: body.contains("://") || body.contains("www."),
            depth: 0,
        }
    }

    /// `event` with a flag's `--` kept as written (`span` in `body`), links counted.
    pub(super) fn read<'a>(
        &mut self,
        event: Event<'a>,
        body: &str,
        span: &Range<usize>,
    ) -> Event<'a> {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => self.depth = self.depth.saturating_sub(1),
            // A raw `<a href>…</a>` is a link already.
            Event::InlineHtml(h) if h.starts_with("<a ") || h.as_ref() == "<a>" => {
                self.depth += 1;
            }
            Event::InlineHtml(h) if h.trim().eq_ignore_ascii_case("</a>") => {
                self.depth = self.depth.saturating_sub(1);
            }
            Event::Text(_) if self.dashes => return flag_as_written(event, body, span),
            _ => {}
        }
        event
    }

    /// A text event outside links with bare addresses in it, as text and links; None when
    /// it has none.
    pub(super) fn linked<'a>(&self, event: &Event<'a>) -> Option<Vec<Event<'a>>> {
        let Event::Text(text) = event else {
            return None;
        };
        if !self.addresses || self.depth > 0 || !might_hold_address(text) {
            return None;
        }
        let found = addresses(text);
        if found.is_empty() {
            return None;
        }
        let piece = |r: Range<usize>| CowStr::from(text.get(r).unwrap_or("").to_string());
        let mut out = Vec::new();
        let mut from = 0;
        for r in found {
            if r.start > from {
                out.push(Event::Text(piece(from..r.start)));
            }
            let shown = text.get(r.clone()).unwrap_or("");
            let dest = if shown.starts_with("www.") {
                format!("https://{shown}")
            } else {
                shown.to_string()
            };
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: dest.into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            out.push(Event::Text(piece(r.clone())));
            out.push(Event::End(TagEnd::Link));
            from = r.end;
        }
        if from < text.len() {
            out.push(Event::Text(piece(from..text.len())));
        }
        Some(out)
    }
}

/// Smart punctuation makes `--` an en dash; before a letter, after a space or the start of a
/// line, it is a flag (`--control-plane`), shown as written.
fn flag_as_written<'a>(event: Event<'a>, body: &str, span: &Range<usize>) -> Event<'a> {
    let Event::Text(t) = &event else {
        return event;
    };
    if !matches!(t.as_ref(), "–" | "—") || body.get(span.clone()) != Some("--") {
        return event;
    }
    let before = body.get(..span.start).and_then(|b| b.chars().next_back());
    let after = body.get(span.end..).and_then(|a| a.chars().next());
    let flag = before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\''))
        && after.is_some_and(|c| c.is_ascii_alphabetic());
    if flag {
        Event::Text(CowStr::Borrowed("--"))
    } else {
        event
    }
}

fn might_hold_address(text: &str) -> bool {
    // memchr for the bytes an address needs before any substring search.
    let bytes = text.as_bytes();
    bytes.contains(&b'.')
        && ((bytes.contains(&b':') && text.contains("://"))
            || (bytes.contains(&b'w') && text.contains("www.")))
}

/// The bare web addresses in `text`, as GFM's autolink extension finds them: starting with
/// `http://`, `https://` or `www.` at a word's start, up to whitespace or `<`, without
/// trailing punctuation or an unbalanced closing parenthesis.
pub(super) fn addresses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = text.get(i..).unwrap_or("");
        let prefix = ["https://", "http://", "www."]
            .into_iter()
            .find(|p| rest.starts_with(p));
        let at_word_start = text
            .get(..i)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '*' | '_' | '~' | '"' | '\''));
        let Some(prefix) = prefix.filter(|_| at_word_start) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
        let mut end = trimmed(rest.get(..len).unwrap_or(""));
        // Nothing after the scheme, or a domain without a dot: not an address.
        let host = rest.get(prefix.len()..end).unwrap_or("");
        let host = host.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || !host.contains('.') || host.starts_with('.') {
            end = 0;
        }
        if end > 0 {
            out.push(i..i + end);
        }
        i += len.max(1);
    }
    out
}

/// The length of `candidate` without trailing punctuation and unbalanced closing parentheses.
fn trimmed(candidate: &str) -> usize {
    let mut end = candidate.len();
    loop {
        let Some(last) = candidate.get(..end).and_then(|c| c.chars().next_back()) else {
            return end;
        };
        let open = candidate.get(..end).map_or(0, |c| c.matches('(').count());
        let close = candidate.get(..end).map_or(0, |c| c.matches(')').count());
        if matches!(
            last,
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"' | ';'
        ) || (last == ')' && close > open)
        {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        addresses(text)
            .into_iter()
            .map(|r| text.get(r).unwrap_or(""))
            .collect()
    }

    #[test]
    fn addresses_end_where_gfm_ends_them() {
        assert_eq!(
            found("See https://etcd.io/docs/v3.5/op-guide/recovery/ today."),
            ["https://etcd.io/docs/v3.5/op-guide/recovery/"]
        );
        assert_eq!(
            found("(at https://example.com/a_(b)) and www.example.org, then"),
            ["https://example.com/a_(b)", "www.example.org"]
        );
        assert_eq!(
            found("https:// alone, http://localhost, xhttps://a.b"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("url: https://a.example/x?y=1#z."),
            ["https://a.example/x?y=1#z"]
        );
    }
}
