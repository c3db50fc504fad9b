//! What a body's Markdown does that its writer most likely did not mean, noticed while the
//! Markdown stage reads the body's events: a fence, HTML comment or `<details>` never closed
//! (the rest of the page hidden or folded away), a table that is not one or drops cells, a
//! link or image with nothing a reader can see or hear, raw HTML the sanitizer removes, and a
//! `TODO:` left in. Each is a [`Finding`] at its place in the file; [`super::diagnostics`]
//! turns them into warnings, or errors where the page loses what was written (links that go
//! nowhere are the site stage's: they are links).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// Something in a body a reader would not see as its writer meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Byte span in the page's file text.
    pub span: Range<usize>,
    pub code: &'static str,
    pub message: String,
    pub help: String,
    /// An error, not a warning: the page loses what the writer wrote (an HTML comment never
    /// closed hides the rest of the page from readers and from search).
    pub error: bool,
}

/// Every code a [`Finding`] has, and the title warning's ([`super::diagnostics`]): what the
/// Markdown stage says of a page from the page alone (`serve` makes them again after an edit).
pub const CODES: &[&str] = &[
    "unclosed-fence",
    "unclosed-html",
    "table",
    "link-text",
    "alt-text",
    "removed-html",
    "placeholder",
    "title-heading",
    "reference",
    "callout",
    "duplicate-id",
    "link-syntax",
    "heading",
    "unsupported",
    "code-block",
    "personal-data",
];

/// Collects the findings of one body from its events, in order.
pub(super) struct Findings<'t> {
    /// Whether events are looked at (the analysis is asked for).
    active: bool,
    /// The whole file text (spans are offsets into it).
    text: &'t str,
    unsafe_html: bool,
    pub(super) out: Vec<Finding>,
    /// The links and images being read, outermost first: whether it is an image, where it
    /// is, and whether anything a reader sees is inside it yet.
    open: Vec<(bool, Range<usize>, bool)>,
    /// Columns of the table being read.
    columns: usize,
    /// `<details>` openings not closed yet.
    details: Vec<Range<usize>>,
    /// Raw HTML read so far ends inside a comment (an HTML block's lines come one by one).
    in_comment: bool,
    /// The tag the HTML block being read opens with (`details`), lowercased; "" for none.
    block_tag: String,
    /// The next text starts a paragraph or a list item.
    block_start: bool,
    /// Where the first `#` heading is (the title warning compares it with the page's title).
    h1: Option<Range<usize>>,
    /// The run of text being read (consecutive text events), in the file; code blocks aside.
    run: Option<Range<usize>>,
    in_code: bool,
    /// Footnote labels defined on the page, and `[^label]`s left as text (no definition).
    notes: HashSet<String>,
    unnoted: Vec<(Range<usize>, String)>,
    /// The next text is the first of a plain quote (where a callout's `[!NOTE]` would be).
    quote_start: bool,
    /// The fenced code block being read: its fence (character and length), language, where
    /// it starts, and its `$ ` prompt lines and other lines so far.
    fence: Option<OpenFence>,
}

/// A code fence as a line opens or closes a block: its character (`` ` `` or `~`) and how
/// many of them (three or more).
#[derive(Clone, Copy)]
pub(super) struct Fence {
    mark: char,
    width: usize,
}

impl Fence {
    /// The fence `line` starts with, after any indentation and quote markers.
    pub(super) fn of(line: &str) -> Option<Fence> {
        let bare = line.trim_start_matches([' ', '\t', '>']);
        let mark = bare.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let width = bare.chars().take_while(|&c| c == mark).count();
        (width >= 3).then_some(Fence { mark, width })
    }

    /// Whether `other`, found on a line inside this fence's block, is a fence that would
    /// close it (the same character, at least as long).
    fn closed_by(self, other: Fence) -> bool {
        other.mark == self.mark && other.width >= self.width
    }

    /// Whether `line` closes this fence's block: such a fence and nothing else.
    pub(super) fn is_closed_by_line(self, line: &str) -> bool {
        let bare = line.trim_start_matches([' ', '\t', '>']).trim_end();
        Fence::of(bare).is_some_and(|f| self.closed_by(f) && bare.len() == f.width)
    }
}

/// The fenced code block being read.
struct OpenFence {
    fence: Fence,
    /// Its language is a shell's (`sh`, `bash`, `shell`, `zsh`), not `console`.
    shell: bool,
    lang: String,
    at: Range<usize>,
    prompts: usize,
    others: usize,
}

impl<'t> Findings<'t> {
    /// Findings of `text`; none at all unless `active` (only the HTML is asked for).
    pub(super) fn new(text: &'t str, unsafe_html: bool, active: bool) -> Findings<'t> {
        Findings {
            active,
            text,
            unsafe_html,
            out: Vec::new(),
            open: Vec::new(),
            columns: 0,
            details: Vec::new(),
            in_comment: false,
            block_tag: String::new(),
            block_start: false,
            h1: None,
            run: None,
            in_code: false,
            notes: HashSet::new(),
            unnoted: Vec::new(),
            quote_start: false,
            fence: None,
        }
    }

    fn push(&mut self, span: Range<usize>, code: &'static str, message: String, help: &str) {
        self.out.push(Finding {
            span,
            code,
            message,
            help: help.to_string(),
            error: false,
        });
    }

    /// Reads one event of the body at `span` (in the file).
    pub(super) fn see(&mut self, event: &Event<'_>, span: &Range<usize>) {
        if !self.active {
            return;
        }
        let inline = !matches!(event, Event::Start(_) | Event::End(_));
        self.text_run(event, span);
        self.code_block(event, span);
        match event {
            Event::Start(Tag::BlockQuote(None)) => self.quote_start = true,
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.notes.insert(label.to_lowercase());
            }
            Event::Text(_) if self.quote_start => {
                self.quote_start = false;
                self.callout(span);
            }
            _ if inline => self.quote_start = false,
            _ => {}
        }
        if inline && !matches!(event, Event::Text(t) if t.trim().is_empty()) {
            for (_, _, seen) in &mut self.open {
                *seen = true;
            }
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                self.block_start = true;
                self.table_lookalike(span);
            }
            Event::Start(Tag::Item) => self.block_start = true,
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) if self.block_start => {
                self.block_start = false;
                if matches!(event, Event::Start(Tag::HtmlBlock)) {
                    self.comment(span);
                }
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if self.h1.is_none() => self.h1 = Some(self.first_line(span)),
            Event::Start(Tag::HtmlBlock) => self.comment(span),
            Event::Html(h) => {
                self.markdown_in_html(h, span);
                self.html(h, span);
            }
            Event::InlineHtml(h) => self.html(h, span),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if dest_url.starts_with("mailto:") {
                    self.mailto(span, dest_url);
                }
                self.backslashes(dest_url, span);
                self.open.push((false, span.clone(), false));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.backslashes(dest_url, span);
                self.open.push((true, span.clone(), false));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => self.close_link(),
            Event::Start(Tag::Table(alignments)) => self.columns = alignments.len(),
            Event::Start(Tag::TableRow) => self.row(span),
            Event::Text(t) if self.block_start => {
                self.block_start = false;
                self.placeholder(t, span);
                self.not_a_heading(span);
            }
            _ if inline => self.block_start = false,
            _ => {}
        }
    }

    /// The findings, with every `<details>` still open and every footnote never defined.
    pub(super) fn finish(mut self) -> (Vec<Finding>, Option<Range<usize>>) {
        self.flush_run();
        for (at, label) in std::mem::take(&mut self.unnoted) {
            let mut defined: Vec<&String> = self.notes.iter().collect();
            defined.sort();
            let help = match defined.as_slice() {
                [] => format!(
                    "add a line `[^{label}]: …` at the end of the page, with the note's text"
                ),
                some => format!(
                    "this page defines {}: use one of those, or add a line `[^{label}]: …` at the end of the page",
                    some.iter()
                        .map(|l| format!("`[^{l}]`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.push(
                at,
                "reference",
                format!("no footnote `[^{label}]: …` on this page: the reference is shown as plain text with its brackets"),
                &help,
            );
        }
        for at in std::mem::take(&mut self.details) {
            self.push(
                at,
                "unclosed-html",
                "this `<details>` is never closed: everything after it is folded away".into(),
                "end it with `</details>`",
            );
        }
        (self.out, self.h1)
    }

    fn first_line(&self, span: &Range<usize>) -> Range<usize> {
        let line = self
            .text
            .get(span.clone())
            .and_then(|s| s.lines().next())
            .map_or(0, str::len);
        span.start..span.start + line
    }

    fn close_link(&mut self) {
        let Some((image, span, seen)) = self.open.pop() else {
            return;
        };
        // An image inside a link is described by the link's text when it has some
        // (`[![](badge.svg) etcd docs](…)`); the link is checked when it closes.
        if seen || (image && !self.open.is_empty()) {
            return;
        }
        let at = self.first_line(&span);
        if image {
            self.push(
                at,
                "alt-text",
                "this image has no description: a reader who cannot see it gets nothing".into(),
                "describe it between the brackets: `![The control plane behind a load balancer](lb.png)`",
            );
        } else {
            self.push(
                at,
                "link-text",
                "this link has no text: there is nothing to click, or for a screen reader to read"
                    .into(),
                "write what it links to between the brackets: `[kubeadm](../tools/kubeadm.md)`",
            );
        }
    }

    /// An HTML block that opens a comment and never closes it hides the rest of the page.
    /// Notes the tag the block opens with, too.
    fn comment(&mut self, span: &Range<usize>) {
        let Some(block) = self.text.get(span.clone()) else {
            return;
        };
        self.block_tag = tags(
            block
                .get(..block.find('\n').unwrap_or(block.len()))
                .unwrap_or(""),
        )
        .first()
        .filter(|(at, _)| block.get(..*at).is_some_and(|b| b.trim().is_empty()))
        .map(|(_, t)| t.name.to_ascii_lowercase())
        .unwrap_or_default();
        if block.trim_start().starts_with("<!--") && !block.contains("-->") {
            let at = self.first_line(span);
            self.push(
                at,
                "unclosed-html",
                "this HTML comment is never closed: everything after it is hidden, and is not published".into(),
                "end it with `-->`",
            );
            if let Some(f) = self.out.last_mut() {
                f.error = true;
            }
        }
    }

    /// A Markdown link written in an HTML block (`<details>` with the link on the next line,
    /// no blank line between): HTML blocks run to a blank line and are not read as Markdown,
    /// so the link is shown as written, brackets and all, and never checked.
    fn markdown_in_html(&mut self, html: &str, span: &Range<usize>) {
        if !html.contains("](")
            || matches!(
                self.block_tag.as_str(),
                "pre" | "code" | "script" | "style" | "textarea"
            )
        {
            return;
        }
        let base = self
            .text
            .get(span.clone())
            .and_then(|s| s.find(html))
            .map_or(span.start, |i| span.start + i);
        let Some((start, end)) = markdown_link(&outside_markup(html, self.in_comment)) else {
            return;
        };
        let help = match self.block_tag.as_str() {
            "" => "add a blank line between the HTML tag above and this line: Markdown after a blank line is read".to_string(),
            tag => format!(
                "add a blank line after `<{tag}>` (and one before its closing tag): Markdown after a blank line is read"
            ),
        };
        self.push(
            base + start..base + end,
            "link-syntax",
            "this link is inside an HTML block, where Markdown is not read: it is shown as written, brackets and all, and is never checked".into(),
            &help,
        );
    }

    /// A link or image written with backslashes (`..\tools\kured.md`): the site reads them as
    /// slashes, the code host does not.
    fn backslashes(&mut self, dest: &str, span: &Range<usize>) {
        if !dest.contains('\\') || dest.contains("://") {
            return;
        }
        let fixed = dest.replace('\\', "/");
        let at = self.first_line(span);
        self.push(
            at,
            "link-syntax",
            format!("this link's path `{dest}` is written with backslashes: the site follows it, but on the code host it is broken"),
            &format!("write it with forward slashes: `{fixed}`"),
        );
    }

    /// Raw HTML: `<details>` opened and closed, and tags or attributes the sanitizer removes.
    fn html(&mut self, html: &str, span: &Range<usize>) {
        // Where `html` starts in the file (an event's span may start before its text).
        let mut base = self
            .text
            .get(span.clone())
            .and_then(|s| s.find(html))
            .map_or(span.start, |i| span.start + i);
        // The end of a comment an earlier line opened.
        let mut html = html;
        if self.in_comment {
            let Some(end) = html.find("-->") else {
                return;
            };
            base += end + 3;
            html = html.get(end + 3..).unwrap_or("");
        }
        self.in_comment = html
            .rfind("<!--")
            .is_some_and(|open| !html.get(open + 4..).unwrap_or("").contains("-->"));
        let mut removed: Vec<String> = Vec::new();
        for (at, tag) in tags(html) {
            let name = tag.name.to_ascii_lowercase();
            if name == "details" {
                if tag.closing {
                    self.details.pop();
                } else {
                    self.details.push(base + at..base + at + tag.len);
                }
            }
            if name == "img"
                && !tag.closing
                && !attribute_names(tag.attributes)
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("alt"))
            {
                self.push(
                    base + at..base + at + tag.len,
                    "alt-text",
                    "this image has no description: a reader who cannot see it gets nothing".into(),
                    "add `alt=\"…\"` saying what it shows (or `alt=\"\"` if it is decoration only)",
                );
            }
            if self.unsafe_html || tag.closing {
                continue;
            }
            let (what, help) = if !allowed_tags().contains(name.as_str()) {
                (format!("`<{name}>`"), removed_tag_help(&name))
            } else if let Some(attr) = tag.removed_attribute(&name) {
                let help = if attr == "style" {
                    "remove it: the theme styles the page"
                } else {
                    "remove the handler: pages run no scripts of their own"
                };
                (format!("the `{attr}` attribute of `<{name}>`"), help)
            } else {
                continue;
            };
            if !removed.contains(&what) {
                self.push(
                    base + at..base + at + tag.len,
                    "removed-html",
                    format!("{what} is removed from the published page: the site's raw HTML is sanitized"),
                    help,
                );
                removed.push(what);
            }
        }
    }

    /// A paragraph that looks like a table whose `|---|` row does not match its header: it is
    /// shown as text, pipes and all.
    fn table_lookalike(&mut self, span: &Range<usize>) {
        let Some(block) = self.text.get(span.clone()) else {
            return;
        };
        let mut lines = block.lines().map(unquoted);
        let (Some(head), Some(rule)) = (lines.next(), lines.next()) else {
            return;
        };
        if !head.starts_with('|') || !is_rule(rule) {
            return;
        }
        let (columns, marks) = (cells(head), cells(rule));
        if columns != marks {
            let at = self.first_line(span);
            self.push(
                at,
                "table",
                format!(
                    "this table's header has {columns} column{} but the `|---|` row under it has {marks}: it is shown as plain text",
                    if columns == 1 { "" } else { "s" }
                ),
                &format!(
                    "give the row under the header one `---` per column: `{}`",
                    rule_for(columns)
                ),
            );
        }
    }

    /// A table row with more cells than the table has columns: the extra ones are dropped.
    fn row(&mut self, span: &Range<usize>) {
        let Some(line) = self.text.get(span.clone()).and_then(|s| s.lines().next()) else {
            return;
        };
        let n = cells(unquoted(line));
        if self.columns > 0 && n > self.columns {
            let at = self.first_line(span);
            self.push(
                at,
                "table",
                format!(
                    "this row has {n} cells but the table has {} columns: the last {} not shown",
                    self.columns,
                    if n - self.columns == 1 {
                        "is".to_string()
                    } else {
                        format!("{} are", n - self.columns)
                    }
                ),
                "add the column to the header and the `|---|` row, or write a `|` inside a cell as `\\|`",
            );
        }
    }

    /// Follows runs of text outside code blocks: a run ends at any other event, and is then
    /// looked through for footnote references that stayed text.
    fn text_run(&mut self, event: &Event<'_>, span: &Range<usize>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(_) if !self.in_code => {
                match &mut self.run {
                    Some(run) if span.start <= run.end => run.end = run.end.max(span.end),
                    _ => {
                        self.flush_run();
                        self.run = Some(span.clone());
                    }
                }
                return;
            }
            _ => {}
        }
        self.flush_run();
    }

    /// `[^label]` in a run of text: a footnote reference whose label no definition on the
    /// page has (a defined one is its own event), which readers see as brackets and text.
    fn flush_run(&mut self) {
        let Some(run) = self.run.take() else {
            return;
        };
        let Some(text) = self.text.get(run.clone()) else {
            return;
        };
        // Every look below starts at a `]`, `{` or `@`: most runs hold none (memchr).
        if text.as_bytes().contains(&b'{') {
            self.shortcode(run.start, text);
        }
        if text.as_bytes().contains(&b'@') {
            self.emails(run.start, text);
        }
        if !text.as_bytes().contains(&b']') {
            return;
        }
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find("[^")) {
            let at = from + i;
            from = at + 2;
            let rest = text.get(at + 2..).unwrap_or("");
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            let escaped = self
                .text
                .get(..run.start + at)
                .is_some_and(|b| b.ends_with('\\'));
            if len == 0 || escaped || !rest.get(len..).is_some_and(|r| r.starts_with(']')) {
                continue;
            }
            let label = rest.get(..len).unwrap_or("").to_string();
            let start = run.start + at;
            self.unnoted.push((start..start + len + 3, label));
        }
        self.link_lookalikes(run.start, text);
    }

    /// A Hugo shortcode (`{{< note >}}`) in text, shown as written.
    fn shortcode(&mut self, base: usize, text: &str) {
        if let Some(i) = text.find("{{<").or_else(|| text.find("{{%")) {
            let start = base + i;
            let end = text
                .get(i..)
                .and_then(|t| t.find("}}"))
                .map_or(start + 3, |e| start + e + 2);
            self.push(
                start..end,
                "unsupported",
                "Hugo shortcodes are not read here: this is shown as written".into(),
                "write it in Markdown: a callout is `> [!NOTE]`, a link `[text](../tools/x.md)`",
            );
        }
    }

    /// `[text] (dest)` and `[text](dest)` left as text: a link a reader sees as brackets.
    fn link_lookalikes(&mut self, base: usize, text: &str) {
        self.wiki_links(base, text);
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find(']')) {
            let close = from + i;
            from = close + 1;
            let Some(open) = text.get(..close).and_then(|t| t.rfind('[')) else {
                continue;
            };
            let after = text.get(close + 1..).unwrap_or("");
            let (spaced, inner) = match after.strip_prefix(" (").or_else(|| after.strip_prefix('('))
            {
                Some(rest) => (after.starts_with(' '), rest),
                None => continue,
            };
            let line = inner.lines().next().unwrap_or("");
            let Some(end) = line.find(')') else {
                continue;
            };
            let dest = line.get(..end).unwrap_or("").trim();
            let image = open > 0 && text.get(open - 1..open) == Some("!");
            let looks_like_address = image
                || dest.contains(".md")
                || dest.starts_with("http")
                || dest.starts_with('#')
                || dest.starts_with("../")
                || dest.starts_with('/');
            if !looks_like_address {
                continue;
            }
            // `![chart](chart.png =600x)`: a size some editors write, which Markdown has not.
            let sized = dest.rsplit_once(" =").filter(|(_, size)| {
                size.chars().all(|c| c.is_ascii_digit() || c == 'x') && !size.is_empty()
            });
            let (message, help) = if let (true, Some((file, size))) = (image, sized) {
                (
                    format!("`={size}` is not Markdown: the image is shown as text with brackets"),
                    format!("remove the size: `({file})`; images are scaled to the page's width"),
                )
            } else if spaced {
                (
                    "this looks like a link, but a space between `]` and `(` makes it text with brackets".to_string(),
                    "remove the space: `[text](address)`".to_string(),
                )
            } else if dest.matches('"').count() % 2 == 1 || dest.matches('\'').count() % 2 == 1 {
                (
                    "this link's title is never closed, so the link is shown as text".into(),
                    "close the quote after the title, or drop the title: `[text](address)`".into(),
                )
            } else if dest.contains(' ') {
                (
                    "a space in a link's address makes it text with brackets".into(),
                    "write the space as `%20`, or put the address in angle brackets: `[text](<a b.md>)`".into(),
                )
            } else {
                continue;
            };
            let start = base + open - usize::from(image);
            self.push(start..base + close + 1, "link-syntax", message, &help);
        }
    }

    /// `[[kured]]`, a wiki's link, which Markdown shows as written.
    fn wiki_links(&mut self, base: usize, text: &str) {
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find("[[")) {
            let open = from + i;
            from = open + 2;
            let Some(len) = text.get(open + 2..).and_then(|t| t.find("]]")) else {
                return;
            };
            let name = text.get(open + 2..open + 2 + len).unwrap_or("");
            if name.is_empty() || name.contains(['[', ']', '\n']) {
                continue;
            }
            // `[[target|text]]`: the page first, then the words shown for it.
            let (target, shown) = name.split_once('|').unwrap_or((name, name));
            let slug = crate::slug::slugify(target);
            let shown = if shown.trim().is_empty() {
                target
            } else {
                shown.trim()
            };
            self.push(
                base + open..base + open + len + 4,
                "link-syntax",
                format!("`[[{name}]]` is a wiki's link, which Markdown shows as written"),
                &format!(
                    "write a Markdown link to the page's file, e.g. `[{shown}](../tools/{slug}.md)`"
                ),
            );
            from = open + len + 4;
        }
    }

    /// E-mail addresses in prose (`text`, at `start` in the file), which the site would
    /// publish for anyone to harvest.
    fn emails(&mut self, start: usize, text: &str) {
        for r in crate::personal_data::email_addresses(text) {
            let address = text.get(r.clone()).unwrap_or("").to_string();
            self.push(
                start + r.start..start + r.end,
                "personal-data",
                format!("`{address}` is an e-mail address: the site would publish it for anyone to harvest"),
                "remove the address: a name or handle is enough (an example address belongs at example.com)",
            );
        }
    }

    /// A `mailto:` link's address (`[Dana](mailto:dana@…)`), where it is written in the link
    /// at `span`.
    fn mailto(&mut self, span: &Range<usize>, dest: &str) {
        let Some(at) = self.text.get(span.clone()).and_then(|t| t.find(dest)) else {
            return;
        };
        self.emails(span.start + at, dest);
    }

    /// A paragraph starting `##Lessons` or `:::warning`: markup from elsewhere shown as text.
    fn not_a_heading(&mut self, span: &Range<usize>) {
        let Some(line) = self.text.get(span.start..).and_then(|t| t.lines().next()) else {
            return;
        };
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes)
            && line
                .get(hashes..)
                .and_then(|r| r.chars().next())
                .is_some_and(|c| c.is_alphabetic())
        {
            let at = span.start..span.start + line.len();
            let fixed = format!(
                "{} {}",
                "#".repeat(hashes),
                line.get(hashes..).unwrap_or("")
            );
            self.push(
                at,
                "heading",
                format!("`{line}` is not a heading: a space must follow the `#`s, so it is shown as text"),
                &format!("write `{fixed}`"),
            );
        } else if line.starts_with(":::") {
            let at = span.start..span.start + line.len();
            self.push(
                at,
                "unsupported",
                "`:::` blocks (from Docusaurus or VitePress) are not read here: they are shown as written".into(),
                "for a note or warning write a callout: `> [!WARNING]` on its own line, then `> ` before each line",
            );
        }
    }

    /// Fenced code blocks: a line inside one that opens another block (the one above was most
    /// likely never closed, so the prose between is shown as code), and a shell block that
    /// mixes `$ ` prompts with output.
    fn code_block(&mut self, event: &Event<'_>, span: &Range<usize>) {
        match event {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented)) => {
                self.indented_prose(span);
            }
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
                let opening = self.text.get(span.clone()).and_then(|t| t.lines().next());
                let Some(fence) = opening.and_then(Fence::of) else {
                    return;
                };
                let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
                self.fence = Some(OpenFence {
                    fence,
                    shell: matches!(lang.as_str(), "sh" | "bash" | "shell" | "zsh"),
                    lang,
                    at: self.first_line(span),
                    prompts: 0,
                    others: 0,
                });
            }
            Event::Text(t) => {
                let Some(fence) = &mut self.fence else {
                    return;
                };
                // Code arrives a line at a time: most lines are neither a fence nor a shell
                // block's (memchr for the fence's character).
                let mark = u8::try_from(fence.fence.mark).unwrap_or(b'`');
                if !fence.shell && !t.as_bytes().contains(&mark) {
                    return;
                }
                let mut nested = None;
                for line in t.lines() {
                    let bare = line.trim_start_matches([' ', '\t', '>']);
                    // A fence that could close the block, followed by a language: it opens one.
                    if let Some(inner) = Fence::of(bare).filter(|&f| fence.fence.closed_by(f))
                        && bare
                            .get(inner.width..)
                            .and_then(|r| r.chars().next())
                            .is_some_and(char::is_alphabetic)
                    {
                        nested = Some(line.to_string());
                    }
                    if line.starts_with("$ ") {
                        fence.prompts += 1;
                    } else if !bare.is_empty() {
                        fence.others += 1;
                    }
                }
                if let Some(line) = nested {
                    let at = self
                        .text
                        .get(span.clone())
                        .and_then(|s| s.find(line.as_str()))
                        .map_or(span.clone(), |i| {
                            span.start + i..span.start + i + line.len()
                        });
                    self.push(
                        at,
                        "code-block",
                        format!("this line ({}) opens a code block inside a code block: the block above was most likely never closed, so the text between is shown as code", line.trim()),
                        "close the block above with a line holding only its fence (```)",
                    );
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some(fence) = self.fence.take() else {
                    return;
                };
                if fence.shell && fence.prompts > 0 && fence.others > 0 {
                    self.push(
                        fence.at,
                        "code-block",
                        format!("this `{}` block mixes `$ ` prompts with their output: all of it is shown as commands", fence.lang),
                        "mark it ```console: the commands after `$ ` are highlighted and the output is shown as output",
                    );
                }
            }
            _ => {}
        }
    }

    /// An indented code block whose line reads as a sentence holding a Markdown link: a
    /// paragraph indented four spaces by mistake, shown as code with the link as written (and
    /// never checked). Code that holds no link syntax is left alone.
    fn indented_prose(&mut self, span: &Range<usize>) {
        let Some(block) = self.text.get(span.clone()) else {
            return;
        };
        if !block.contains("](") {
            return;
        }
        let mut offset = 0;
        for line in block.split_inclusive('\n') {
            let start = span.start + offset;
            offset += line.len();
            let Some((from, to)) = markdown_link(line) else {
                continue;
            };
            let rest = format!(
                "{} {}",
                line.get(..from).unwrap_or(""),
                line.get(to..).unwrap_or("")
            );
            if !reads_as_prose(&rest) {
                continue;
            }
            let link = line.get(from..to).unwrap_or("");
            self.push(
                start + from..start + to,
                "code-block",
                format!("this text is indented four spaces or more, so it is shown as code: the link `{link}` is shown as written and is never checked"),
                "remove the indent at the start of its lines (text under a list item lines up with the item's first word)",
            );
            return;
        }
    }

    /// A plain quote starting with `[!…]`: a callout GitHub and the site would show as a box,
    /// but with a kind they do not know, or with text on the marker's line.
    fn callout(&mut self, span: &Range<usize>) {
        const KINDS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
        let Some(rest) = self
            .text
            .get(span.start..)
            .and_then(|t| t.strip_prefix("[!"))
        else {
            return;
        };
        let len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if len == 0 || !rest.get(len..).is_some_and(|r| r.starts_with(']')) {
            return;
        }
        let written = rest.get(..len).unwrap_or("");
        let marker = span.start..span.start + len + 3;
        let upper = written.to_ascii_uppercase();
        if KINDS.contains(&upper.as_str()) {
            // Known, so the text after it on its line kept it from being a callout.
            self.push(
                marker,
                "callout",
                format!("`[!{written}]` is not alone on its line, so this is shown as a plain quote that starts with `[!{written}]`"),
                &format!("put the callout's text on the next line: `> [!{upper}]`, then `> …`"),
            );
            return;
        }
        let meant = match upper.as_str() {
            "WARN" | "ATTENTION" => Some("WARNING"),
            "INFO" | "NOTICE" => Some("NOTE"),
            "HINT" => Some("TIP"),
            "DANGER" | "ERROR" => Some("CAUTION"),
            _ => KINDS
                .iter()
                .map(|k| (strsim::damerau_levenshtein(&upper, k), *k))
                .filter(|(d, _)| *d <= 2)
                .min()
                .map(|(_, k)| k),
        };
        let help = match meant {
            Some(k) => {
                format!("write `[!{k}]`; the kinds are NOTE, TIP, IMPORTANT, WARNING and CAUTION")
            }
            None => "the kinds are NOTE, TIP, IMPORTANT, WARNING and CAUTION".to_string(),
        };
        self.push(
            marker,
            "callout",
            format!("`[!{written}]` is not a callout kind, so this is shown as a plain quote that starts with `[!{written}]`"),
            &help,
        );
    }

    /// A paragraph or list item starting with TODO, FIXME, TBD or XXX and a colon.
    fn placeholder(&mut self, text: &str, span: &Range<usize>) {
        let word: String = text
            .trim_start()
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let rest = text.trim_start().get(word.len()..).unwrap_or("");
        if matches!(word.as_str(), "TODO" | "FIXME" | "TBD" | "XXX") && rest.starts_with(':') {
            let at = self.first_line(span);
            self.push(
                at,
                "placeholder",
                format!("`{word}:` is left in the text: readers would see it"),
                "write what is missing, or remove the line before publishing",
            );
        }
    }
}

/// What to write instead of a tag the sanitizer removes.
fn removed_tag_help(name: &str) -> &'static str {
    match name {
        "iframe" | "embed" | "object" | "video" | "audio" | "script" | "form" | "canvas" => {
            "link to what you meant to embed (`[the dashboard](https://…)`), or write it in Markdown"
        }
        "style" | "link" | "meta" | "font" => "remove it: the theme styles the page",
        // `<cluster-name>` in prose: a placeholder, not a tag.
        _ => "to show it as written, put it in backticks (`` `<cluster-name>` ``) or write `\\<`",
    }
}

/// The tags the sanitizer keeps.
fn allowed_tags() -> &'static HashSet<&'static str> {
    static TAGS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    TAGS.get_or_init(|| super::sanitizer().clone_tags())
}

/// One tag written in raw HTML.
struct RawTag<'h> {
    name: &'h str,
    closing: bool,
    /// Bytes from `<` to `>` (or to the end of the text).
    len: usize,
    /// What is between the name and `>`.
    attributes: &'h str,
}

impl RawTag<'_> {
    /// An attribute the sanitizer removes: `on…` handlers, and `style` but for alignment in
    /// table cells.
    fn removed_attribute(&self, name: &str) -> Option<&'static str> {
        for attr in attribute_names(self.attributes) {
            let attr = attr.to_ascii_lowercase();
            if attr.len() > 2 && attr.starts_with("on") {
                return Some("on…");
            }
            if attr == "style" && !matches!(name, "td" | "th") {
                return Some("style");
            }
        }
        None
    }
}

/// The names of the attributes written in `attributes` (`a="x y" b=z c`), their values
/// skipped, quoted or not.
fn attribute_names(attributes: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        names.push(rest.get(..end).unwrap_or(""));
        rest = rest.get(end..).unwrap_or("").trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        rest = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value
                .get(1..)
                .and_then(|v| v.find(q).and_then(|i| v.get(i + 1..)))
                .unwrap_or(""),
            _ => value
                .find(char::is_whitespace)
                .and_then(|i| value.get(i..))
                .unwrap_or(""),
        };
    }
    names
}

/// The tags of `html`, with where each starts (nothing inside a comment).
fn tags(html: &str) -> Vec<(usize, RawTag<'_>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html.get(from..).and_then(|s| s.find('<')).map(|i| from + i) {
        from = i + 1;
        let rest = html.get(i + 1..).unwrap_or("");
        if let Some(comment) = rest.strip_prefix("!--") {
            // Past its end, or to the end of the text when it has none.
            from = comment.find("-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let after = if closing {
            rest.get(1..).unwrap_or("")
        } else {
            rest
        };
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        let name = after.get(..len).unwrap_or("");
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').map_or(html.len() - i, |e| e + 2);
        let attributes = after
            .get(len..)
            .and_then(|a| a.get(..a.find('>').unwrap_or(a.len())))
            .unwrap_or("");
        out.push((
            i,
            RawTag {
                name,
                closing,
                len: end,
                attributes,
            },
        ));
    }
    out
}

/// Where the first Markdown link or image (`[text](../x.md)`, `![alt](x.png)`) in `s` starts
/// and ends: text with a letter, and an address without spaces that reads as one (a `.md`
/// file, a web address, a heading, a path).
fn markdown_link(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|t| t.find("](")) {
        let close = from + i;
        from = close + 2;
        let Some(open) = s.get(..close).and_then(|t| t.rfind('[')) else {
            continue;
        };
        let text = s.get(open + 1..close).unwrap_or("");
        let after = s.get(close + 2..).unwrap_or("");
        let Some(end) = after.find(')') else {
            continue;
        };
        let dest = after.get(..end).unwrap_or("");
        let address = dest.contains(".md")
            || dest.starts_with("http")
            || dest.starts_with('#')
            || dest.starts_with("../")
            || dest.starts_with("./")
            || dest.starts_with('/')
            || dest.rsplit_once('.').is_some_and(|(_, ext)| {
                matches!(ext, "png" | "svg" | "jpg" | "jpeg" | "gif" | "webp" | "csv")
            });
        if !text.chars().any(char::is_alphabetic)
            || text.contains(['[', ']', '\n'])
            || dest.is_empty()
            || dest.contains(char::is_whitespace)
            || !address
        {
            continue;
        }
        let image = open > 0 && s.get(open - 1..open) == Some("!");
        return Some((open - usize::from(image), close + 2 + end + 1));
    }
    None
}

/// Whether `line` (a link taken out) reads as a sentence rather than code: it starts with a
/// letter, has three words or more, and none of the marks code is made of.
fn reads_as_prose(line: &str) -> bool {
    let line = line.trim();
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    line.starts_with(|c: char| c.is_alphabetic())
        && words >= 3
        && !line.contains(['=', ';', '{', '}', '$', '<', '>', '|', '`'])
        && !line.contains("//")
}

/// `html` with its tags and comments blanked out (so places in it stay where they are): the
/// text a reader would see. `in_comment`: it starts inside a comment an earlier line opened.
fn outside_markup(html: &str, in_comment: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut comment = in_comment;
    let mut tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        if comment {
            if rest.starts_with("-->") {
                comment = false;
                out.push_str("   ");
                rest = rest.get(3..).unwrap_or("");
                continue;
            }
        } else if rest.starts_with("<!--") {
            comment = true;
            out.push_str("    ");
            rest = rest.get(4..).unwrap_or("");
            continue;
        } else if c == '<'
            && rest
                .get(1..)
                .is_some_and(|r| r.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/'))
        {
            tag = true;
        } else if c == '>' && tag {
            tag = false;
            out.push(' ');
            rest = rest.get(len..).unwrap_or("");
            continue;
        }
        if comment || tag {
            out.push_str(&" ".repeat(len));
        } else {
            out.push(c);
        }
        rest = rest.get(len..).unwrap_or("");
    }
    out
}

/// A line without the `>` marks of the block quotes it is in, trimmed.
fn unquoted(line: &str) -> &str {
    line.trim_start_matches(|c: char| c == '>' || c.is_whitespace())
        .trim_end()
}

/// Whether `line` is a table's delimiter row (`|---|:--:|`).
fn is_rule(line: &str) -> bool {
    line.contains('-')
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The cells of a table row as GFM splits it: on every `|` not escaped, the outer ones
/// optional.
fn cells(line: &str) -> usize {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = match inner.strip_suffix('|') {
        Some(s) if !s.ends_with('\\') => s,
        _ => inner,
    };
    let mut n = 1;
    let mut escaped = false;
    for c in inner.chars() {
        if c == '|' && !escaped {
            n += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    n
}

fn rule_for(columns: usize) -> String {
    format!("|{}", "---|".repeat(columns.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_split_as_gfm_splits_them() {
        assert_eq!(cells("| a | b | c |"), 3);
        assert_eq!(cells("a | b"), 2);
        assert_eq!(cells("| a \\| b | c |"), 2);
        assert_eq!(cells("|---|---|"), 2);
        assert!(is_rule("|:--|--:|"));
        assert!(!is_rule("| a | b |"));
    }

    #[test]
    fn tags_are_found_with_their_names_and_attributes() {
        let t = tags("<p style=\"color:red\">x</p><iframe src=x></iframe><br/>");
        let names: Vec<(&str, bool)> = t.iter().map(|(_, t)| (t.name, t.closing)).collect();
        assert_eq!(
            names,
            [
                ("p", false),
                ("p", true),
                ("iframe", false),
                ("iframe", true),
                ("br", false)
            ]
        );
        assert_eq!(t[0].1.removed_attribute("p"), Some("style"));
        assert_eq!(t[2].1.removed_attribute("iframe"), None);
        assert_eq!(tags("a < b and 3<4").len(), 0);
        // Nothing inside a comment; values are not names.
        let t = tags("<!-- <details> <iframe> --><b title=\"online=yes\" x=1 style='a b'>");
        assert_eq!(t.len(), 1);
        assert_eq!(attribute_names(t[0].1.attributes), ["title", "x", "style"]);
        assert_eq!(t[0].1.removed_attribute("b"), Some("style"));
        let t = tags("<abbr title=\"Only one=two\">");
        assert_eq!(t[0].1.removed_attribute("abbr"), None);
        assert!(tags("<!-- never closed <iframe>").is_empty());
    }
}
