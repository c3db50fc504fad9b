//! Markdown rendering: pulldown-cmark with GFM extras, GitHub-compatible heading ids with
//! self-links, a table of contents, a summary, GFM alerts as callouts, build-time highlighting,
//! `.md` links rewritten to page URLs, and raw HTML sanitized unless the site opts out.
//! Links are recorded (with their positions) for the site stage to check; this stage reports
//! nothing itself.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::highlight::{self, Themes};

mod findings;
mod prose;
pub use findings::{CODES as FINDING_CODES, Finding};

/// Settings shared by every page of a build.
pub struct MarkdownOptions {
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    pub highlight: Option<Themes>,
    /// Ids the theme's templates already give elements of every page (sorted): headings
    /// get another.
    pub reserved_ids: Vec<String>,
}

/// What links may point at: content paths and their URLs.
pub struct LinkTargets<'a> {
    /// Content-relative `.md` path → page URL (with the base path).
    pub pages: &'a HashMap<String, String>,
    /// The base path ("" or "/docs").
    pub base_path: &'a str,
    /// The site's own address (`https://example.org/docs`, no trailing slash), or "": a link
    /// written as an address on it (copied from the browser) is checked like a site path.
    pub site_url: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Where a link in a body points, resolved against the source file's folder.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A content `.md` file (content-relative path) and an optional heading.
    Page { rel: String, anchor: Option<String> },
    /// `#anchor` on the same page.
    SamePage { anchor: String },
    /// A site path starting with `/` (base path removed).
    SitePath { path: String },
    /// Another file under content/ (content-relative path).
    File { rel: String },
    /// A relative path climbing above content/.
    Outside,
    /// Nowhere: an empty destination (`[text]()`), or a scheme the sanitizer removes
    /// (`javascript:`, or a misspelt one: `htps:`), published as `#`.
    Nowhere,
}

#[derive(Debug, Clone)]
pub struct LinkUse {
    pub target: LinkTarget,
    /// Byte span in the page's file text.
    pub span: Range<usize>,
    pub dest: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The body's HTML is not in `html`, which is empty: it was not made ([`Body::Deferred`])
    /// and is rendered again from the page's source when the page is written, or a build
    /// took it out to hold until then ([`crate::held`]).
    pub html_deferred: bool,
    pub summary: String,
    /// Every heading, in order (its id is unique in the page).
    pub toc: Vec<TocEntry>,
    pub links: Vec<LinkUse>,
    pub word_count: usize,
    /// The body's words as plain text (prose, inline code, code blocks, headings), for the
    /// search index, which indexes and excerpts everything pushed here. A stage that renders
    /// something readers can search for but that is not prose (a diagram's title and labels)
    /// pushes those words here, at the place they appear, so they fall under the right heading.
    pub text: String,
    /// Byte range in `text` of each `toc` entry's heading text (same order as `toc`).
    pub heading_spans: Vec<Range<usize>>,
    /// The ```` ```mermaid ```` diagrams, in order (their titles and labels are also in `text`).
    pub diagrams: Vec<crate::diagram::Placed>,
    /// What the body does that its writer most likely did not mean (a fence never closed, a
    /// table that is not one, …): warnings, in the order met.
    pub findings: Vec<Finding>,
    /// The first `#` heading's line, if any (a warning when it repeats the page's title).
    pub h1: Option<Range<usize>>,
    /// The `id`s set in the body's raw HTML (`<a id="appendix"></a>`), which links reach too.
    pub html_ids: Vec<String>,
}

impl Rendered {
    /// Whether a heading of the body, or an element of its raw HTML, has the id `id`.
    pub fn has_heading(&self, id: &str) -> bool {
        self.toc.iter().any(|t| t.id == id) || self.html_ids.iter().any(|h| h == id)
    }
}

fn parser_options(o: &MarkdownOptions) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if o.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

/// The box a Markdown table scrolls in: focusable, so a wide table scrolls by keyboard.
const TABLE_BOX: &str =
    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">";

/// Renders the body `text[body_start..]` of a page whose source sits in `source_dir`
/// (content-relative): its HTML and its analysis ([`Body::Html`]). Spans in the result refer
/// to `text`.
pub fn render(
    text: &str,
    body_start: usize,
    source_dir: &str,
    targets: &LinkTargets,
    options: &MarkdownOptions,
) -> Rendered {
    render_with(text, body_start, source_dir, targets, options, Body::Html)
}

/// What [`render_with`] makes of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The HTML and the analysis: plain text, summary, TOC, links, word count.
    Html,
    /// The analysis without the HTML (`html` stays empty and `html_deferred` is set): what
    /// the site graph, lists, feeds, the API and the search index need of a page, without
    /// highlighting its code blocks or holding its HTML. For a page whose HTML nobody writes
    /// (`check`, an unpublished draft), or, when a build cannot hold HTML, rendered again
    /// ([`Body::Only`]) as the page is written. The summary is the same as [`Body::Html`]'s
    /// (code blocks in it are highlighted).
    Deferred,
    /// The HTML alone (the rest of [`Rendered`] is not made): for a page whose analysis a
    /// [`Body::Deferred`] render already made, when the page is written.
    Only,
}

/// Words in `s` as `str::split_whitespace` counts them, scanning bytes: page text is mostly
/// ASCII, and only a char beyond it is decoded.
fn count_words(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (space, len) = if b.is_ascii() {
            (matches!(b, b' ' | b'\t'..=b'\r'), 1)
        } else {
            s.get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
        i += len;
    }
    words
}

/// Stands for the `n`th code block of a page rendered without its body, until the summary
/// (the only HTML made then) needs the block's HTML.
fn code_placeholder(n: usize) -> String {
    format!("\u{FDD0}opsbook-code-{n}\u{FDD0}")
}

/// The code block a [`code_placeholder`] stands for.
fn code_placeholder_index(html: &str) -> Option<usize> {
    html.strip_prefix("\u{FDD0}opsbook-code-")?
        .strip_suffix('\u{FDD0}')?
        .parse()
        .ok()
}

/// [`render`], making what `mode` asks for.
pub fn render_with(
    text: &str,
    body_start: usize,
    source_dir: &str,
    targets: &LinkTargets,
    options: &MarkdownOptions,
    mode: Body,
) -> Rendered {
    let body = text.get(body_start..).unwrap_or("");
    let mut out = Rendered::default();
    // Code blocks not highlighted yet (`Body::Deferred`): (code, language).
    let mut codes: Vec<(String, String)> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut ids = IdMaker::reserving(&options.reserved_ids);
    let mut footnotes = Footnotes::default();
    let mut raw_html = false;
    let mut html_block: Option<HtmlBlock> = None;
    let mut more_at: Option<usize> = None;

    let mut heading: Option<PendingHeading> = None;
    let mut code: Option<Fence> = None;
    let mut figures: Vec<String> = Vec::new();
    // The text, word count and summary are made unless only the HTML is asked for.
    let analysis = mode != Body::Only;

    let undefined = std::cell::RefCell::new(Vec::new());
    let parser = Parser::new_with_broken_link_callback(
        body,
        parser_options(options),
        Some(|link| undefined_reference(link, &undefined)),
    )
    .into_offset_iter();
    let mut references = References::of(&parser, body, body_start);
    let mut findings = findings::Findings::new(text, options.unsafe_html, analysis);
    let mut prose = prose::Prose::new(body);
    for (event, range) in parser {
        let event = prose.read(event, body, &range);
        let span = range.start + body_start..range.end + body_start;
        findings.see(&event, &span);
        if let Some(fence) = &mut code {
            let deferred = (mode == Body::Deferred).then_some(&mut codes);
            if let Some(html) = fence.take(event, options, &mut out, &mut figures, deferred) {
                events.push(Event::Html(html.into()));
                code = None;
                // Only the last block can run to the end of the page.
                findings.out.extend(unclosed_fence(text, span));
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(PendingHeading::new(
                    level,
                    id,
                    classes,
                    out.text.len(),
                    span,
                ));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    findings
                        .out
                        .extend(close_heading(h, &mut ids, &mut out, &mut events));
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code = Some(Fence::open(&kind, text, span.start));
                continue;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                Event::Html(format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n").into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => Event::Start(
                references.rewrite(tag, span.clone(), &mut out.links, |d, at, l| {
                    rewrite(d, at, source_dir, targets, l, options)
                }),
            ),
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some(HtmlBlock::default());
                Event::Start(Tag::HtmlBlock)
            }
            Event::Html(h) if html_block.is_some() => {
                if let Some(block) = &mut html_block {
                    block.push(text, span, &h);
                }
                continue;
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = html_block.take().unwrap_or_default();
                if block.html.trim() == "<!-- more -->" {
                    more_at = more_at.or(Some(events.len()));
                } else if !block.html.is_empty() {
                    raw_html = true;
                    // Raw `href`/`src` are checked and rewritten like Markdown links.
                    let h = block.rewrite(&mut |dest, tag| {
                        rewrite(dest, tag, source_dir, targets, &mut out.links, options)
                    });
                    events.push(Event::Html(h.into()));
                }
                Event::End(TagEnd::HtmlBlock)
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if h.trim() == "<!-- more -->" {
                    more_at = more_at.or(Some(events.len()));
                    continue;
                }
                raw_html = true;
                let h = raw_fragment(&h, text, &span, &mut |dest, tag| {
                    rewrite(dest, tag, source_dir, targets, &mut out.links, options)
                });
                Event::Html(h.into())
            }
            // Footnotes get ids of their own (`fn:…`, `fnref:…`; a heading's id never holds a `:`), not
            // the raw label, which may hold spaces or repeat a heading's id.
            e @ (Event::FootnoteReference(_)
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition)) => footnotes.html(e),
            e @ (Event::Start(Tag::Table(_)) | Event::End(TagEnd::Table)) => {
                read_text(&e, &mut out, analysis);
                table_box(e, &mut events)
            }
            e @ (Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::End(_)) => {
                read_text(&e, &mut out, analysis);
                if let Some(linked) = prose.linked(&e) {
                    heading
                        .as_mut()
                        .map_or(&mut events, |h| &mut h.inner)
                        .extend(linked);
                    continue;
                }
                e
            }
            other => other,
        };
        match &mut heading {
            Some(h) => h.inner.push(event),
            None => events.push(event),
        }
    }
    out.html_ids = raw_html_ids(raw_html, &events);
    finish_findings(findings, undefined.take(), body_start, analysis, &mut out);
    let ends = Ends {
        events: &events,
        more_at,
        codes: &codes,
        figures: &figures,
        sanitized: raw_html && !options.unsafe_html,
    };
    ends.write(&mut out, options, mode);
    out
}

/// The body's findings in file order, with its undefined reference links when the analysis
/// is asked for, and where its first `#` heading is.
fn finish_findings(
    findings: findings::Findings,
    undefined: Vec<(Range<usize>, String)>,
    body_start: usize,
    analysis: bool,
    out: &mut Rendered,
) {
    (out.findings, out.h1) = findings.finish();
    if analysis {
        out.findings
            .extend(undefined_findings(undefined, body_start));
        out.findings.sort_by_key(|f| f.span.start);
    }
}

/// Adds what `event` shows a reader to the page's plain text (and its words to the count): a
/// text or code span, a space for a line break, a line break for the end of a block
/// (paragraph, heading, list item). A table's rows are marked with tabs, so the search index
/// cuts passages where blocks and rows do ([`crate::emit::search::tokens::PassageRule`]): a tab
/// ends each cell, and a line break then a tab end each row, so that the whitespace before a
/// row's first word ends with a tab; the table starts with the same and ends with a line
/// break. A tab in the text itself is a space. Nothing unless the analysis is asked for.
fn read_text(event: &Event<'_>, out: &mut Rendered, analysis: bool) {
    if !analysis {
        return;
    }
    match event {
        Event::Text(t) => {
            out.word_count += count_words(t);
            push_untabbed(&mut out.text, t);
        }
        Event::Code(t) => push_untabbed(&mut out.text, t),
        Event::SoftBreak | Event::HardBreak => out.text.push(' '),
        Event::Start(Tag::Table(_)) => out.text.push_str("\n\t"),
        Event::End(TagEnd::Table) => out.text.push('\n'),
        Event::End(TagEnd::TableCell) => out.text.push('\t'),
        Event::End(TagEnd::TableRow | TagEnd::TableHead) => out.text.push_str("\n\t"),
        Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.text.push('\n'),
        _ => {}
    }
}

/// `t` with its tabs as spaces: in the page's text a tab starts a table cell.
fn push_untabbed(text: &mut String, t: &str) {
    if t.contains('\t') {
        text.push_str(&t.replace('\t', " "));
    } else {
        text.push_str(t);
    }
}

/// A table's start or end, inside a box that scrolls on narrow screens (the table keeps its
/// semantics): the box opens before the table and closes after it.
fn table_box<'a>(event: Event<'a>, events: &mut Vec<Event<'a>>) -> Event<'a> {
    if matches!(event, Event::End(_)) {
        events.push(event);
        Event::Html("</div>\n".into())
    } else {
        events.push(Event::Html(TABLE_BOX.into()));
        event
    }
}

/// What a body's HTML and summary are written from once every event is in.
struct Ends<'e, 'a> {
    events: &'e [Event<'a>],
    more_at: Option<usize>,
    /// Code blocks not highlighted yet (`Body::Deferred`): (code, language).
    codes: &'e [(String, String)],
    /// Drawn diagrams, by placeholder number.
    figures: &'e [String],
    /// Raw HTML was met and the site does not allow it unsanitized.
    sanitized: bool,
}

impl Ends<'_, '_> {
    /// Writes `out.html` (unless `mode` defers it) and `out.summary` (unless `mode` asks for
    /// the HTML only).
    fn write(&self, out: &mut Rendered, options: &MarkdownOptions, mode: Body) {
        let Ends {
            events,
            more_at,
            codes,
            figures,
            sanitized,
        } = *self;
        let html = mode != Body::Deferred;
        if html {
            pulldown_cmark::html::push_html(&mut out.html, events.iter().cloned());
        } else {
            out.html_deferred = true;
        }
        let summarized = mode != Body::Only;
        let summary = summarized
            .then(|| summary_events(events, more_at))
            .flatten();
        if let Some(summary) = summary {
            // A code block in the summary is highlighted now (its placeholder is one event).
            let filled = summary.iter().cloned().map(|e| match &e {
                Event::Html(h) => match code_placeholder_index(h).and_then(|n| codes.get(n)) {
                    Some((code, lang)) => Event::Html(code_block(code, lang, options).into()),
                    None => e,
                },
                _ => e,
            });
            pulldown_cmark::html::push_html(&mut out.summary, filled);
        }
        if sanitized {
            if html {
                out.html = sanitize(&out.html);
            }
            if summarized {
                out.summary = sanitize(&out.summary);
            }
        }
        if html {
            out.html = crate::diagram::fill_placeholders(&out.html, figures);
        }
        if summarized {
            out.summary = crate::diagram::fill_placeholders(&out.summary, figures);
        }
        out.text.shrink_to_fit();
        out.html.shrink_to_fit();
    }
}

/// A code block being collected: its language, info string, where its first content line
/// starts in the file (diagram errors point into it) and its text so far.
struct Fence {
    lang: String,
    info: String,
    start: usize,
    buf: String,
}

impl Fence {
    fn open(kind: &CodeBlockKind, text: &str, at: usize) -> Fence {
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let lang = fence_language(&info).to_string();
        let start = text
            .get(at..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| at + i + 1);
        Fence {
            lang,
            info,
            start,
            buf: String::new(),
        }
    }

    /// Takes the block's next event; at its end, the HTML to emit (a ```` ```mermaid ```` block
    /// becomes a placeholder for its drawn figure, see [`crate::diagram`]).
    fn take(
        &mut self,
        event: Event,
        options: &MarkdownOptions,
        out: &mut Rendered,
        figures: &mut Vec<String>,
        deferred: Option<&mut Vec<(String, String)>>,
    ) -> Option<String> {
        match event {
            Event::Text(t) => {
                self.buf.push_str(&t);
                None
            }
            Event::End(TagEnd::CodeBlock) if self.lang == "mermaid" => {
                let drawn = crate::diagram::draw(&self.buf, &self.info);
                let placed = crate::diagram::Placed {
                    diagram: drawn.diagram,
                    source_start: self.start,
                };
                push_untabbed(&mut out.text, &placed.search_text());
                out.text.push('\n');
                out.diagrams.push(placed);
                figures.push(drawn.html);
                Some(crate::diagram::placeholder(figures.len() - 1))
            }
            Event::End(TagEnd::CodeBlock) => {
                push_untabbed(&mut out.text, &self.buf);
                out.text.push('\n');
                match deferred {
                    Some(codes) => {
                        codes.push((
                            std::mem::take(&mut self.buf),
                            std::mem::take(&mut self.lang),
                        ));
                        Some(code_placeholder(codes.len() - 1))
                    }
                    None => Some(code_block(&self.buf, &self.lang, options)),
                }
            }
            _ => None,
        }
    }
}

/// A link or image tag with its destination rewritten by `rewrite`.
fn rewrite_dest<'a>(tag: Tag<'a>, rewrite: impl FnOnce(&str) -> String) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rewrite(&dest_url).into(),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rewrite(&dest_url).into(),
            title,
            id,
        },
        other => other,
    }
}

/// Writes a finished heading: its id (custom, or made from its text), its TOC entry and its
/// HTML with the anchor link. A custom `{#id}` an earlier heading already has is a finding:
/// the heading gets another id, and links to the written one go to the earlier heading.
fn close_heading<'a>(
    heading: PendingHeading<'a>,
    ids: &mut IdMaker<'_>,
    out: &mut Rendered,
    events: &mut Vec<Event<'a>>,
) -> Option<Finding> {
    let PendingHeading {
        level,
        text_at,
        id: custom,
        classes,
        inner,
        span,
    } = heading;
    let title = plain_text(&inner);
    out.heading_spans.push(text_at..out.text.len());
    out.text.push('\n');
    let mut taken = None;
    let id = match custom {
        Some(c) => {
            let reserved = ids.is_reserved(&c);
            let id = ids.claim(c.to_string());
            if id != c.as_ref() && reserved {
                taken = Some(Finding {
                    span,
                    code: "duplicate-id",
                    message: format!(
                        "the site's page layout already has an element with the id `{c}`: this heading gets `{id}`"
                    ),
                    help: format!("give the heading another id, e.g. `{{#{c}-section}}`"),
                    error: false,
                });
            } else if id != c.as_ref() {
                taken = Some(Finding {
                    span,
                    code: "duplicate-id",
                    message: format!(
                        "an earlier heading on this page already has the id `{c}`: this one gets `{id}`, and links to `#{c}` go to the earlier one"
                    ),
                    help: format!(
                        "give one of them another id, e.g. `{{#{c}-2}}`, or remove `{{#{c}}}` from one"
                    ),
                    error: false,
                });
            }
            id
        }
        None => ids.make(&title),
    };
    let n = heading_number(level);
    out.toc.push(TocEntry {
        level: n,
        id: id.clone(),
        title: title.clone(),
    });
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
    };
    events.push(Event::Html(
        format!("<h{n} id=\"{}\"{class}>", escape_attr(&id)).into(),
    ));
    events.extend(inner);
    events.push(Event::Html(
        format!(
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{n}>\n",
            escape_attr(&id)
        )
        .into(),
    ));
    taken
}

/// Everything before `<!-- more -->`, else the first paragraph alone (not the headings
/// before it, whose ids would repeat on list pages).
fn summary_events<'e, 'a>(
    events: &'e [Event<'a>],
    more_at: Option<usize>,
) -> Option<&'e [Event<'a>]> {
    match more_at {
        Some(end) => events.get(..end),
        None => events
            .iter()
            .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
            .and_then(|start| {
                let len = events
                    .get(start..)?
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
                events.get(start..=start + len)
            }),
    }
}

/// A heading whose inline content is being collected (its id needs its text).
struct PendingHeading<'a> {
    level: HeadingLevel,
    /// Where the heading's words start in `Rendered::text`.
    text_at: usize,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
    /// The heading in the file.
    span: Range<usize>,
}

impl<'a> PendingHeading<'a> {
    fn new(
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        text_at: usize,
        span: Range<usize>,
    ) -> Self {
        PendingHeading {
            level,
            text_at,
            id,
            classes,
            inner: Vec::new(),
            span,
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

fn code_block(code: &str, lang: &str, options: &MarkdownOptions) -> String {
    if !lang.is_empty()
        && let Some(themes) = &options.highlight
        && let Some(html) = highlight::highlight(code, lang, themes)
    {
        // Focusable, so a block that scrolls sideways can be scrolled by keyboard.
        return html.replacen("<pre", "<pre tabindex=\"0\"", 1);
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_attr(lang))
    };
    let mut escaped = String::with_capacity(code.len() + 16);
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, code);
    format!("<pre tabindex=\"0\"><code{class}>{escaped}</code></pre>\n")
}

/// The opening line of the fenced block at `span` of `text` when the block is not closed (it
/// ran to the end of the page, everything after it shown as code, its links unchecked); None
/// for a closed block or an indented one.
/// Records a reference link whose label has no definition (`[docs][kured-docs]`,
/// `[kured-docs][]`), which is published as its brackets and text. A bare `[label]` is left
/// alone: in prose it is usually just brackets.
fn undefined_reference<'t>(
    link: pulldown_cmark::BrokenLink<'t>,
    found: &std::cell::RefCell<Vec<(Range<usize>, String)>>,
) -> Option<(CowStr<'t>, CowStr<'t>)> {
    if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
        found
            .borrow_mut()
            .push((link.span.clone(), link.reference.to_string()));
    }
    None
}

/// The findings of [`undefined_reference`]'s links (spans relative to the body).
fn undefined_findings(
    found: Vec<(Range<usize>, String)>,
    body_start: usize,
) -> impl Iterator<Item = Finding> {
    found.into_iter().map(move |(span, label)| Finding {
        span: span.start + body_start..span.end + body_start,
        code: "reference",
        message: format!(
            "no link definition `[{label}]: …` on this page: the link is shown as plain text with its brackets"
        ),
        help: format!("add a line `[{label}]: https://…` below the paragraph, or write the link inline"),
        error: false,
    })
}

fn unclosed_fence(text: &str, span: Range<usize>) -> Option<Finding> {
    if span.end < text.len() {
        return None;
    }
    let block = text.get(span.clone())?;
    let first = block.lines().next()?;
    let fence = findings::Fence::of(first)?;
    let last = block
        .lines()
        .skip(1)
        .filter(|l| !l.trim_start_matches([' ', '\t', '>']).trim().is_empty())
        .last();
    let closed = last.is_some_and(|l| fence.is_closed_by_line(l));
    (!closed).then(|| Finding {
        span: span.start..span.start + first.len(),
        code: "unclosed-fence",
        message: "this code block is never closed: the rest of the page is shown as code".into(),
        help: "end the block with a line holding the same fence (``` or ~~~)".into(),
        error: false,
    })
}

/// The warnings (errors where the page loses content, [`Finding::error`]) for what a page's
/// body does that its writer most likely did not mean ([`Rendered::findings`]), and for a first `#` heading that repeats the page's `title`,
/// which the page already shows as its heading.
pub fn diagnostics(
    file: &str,
    text: &str,
    title: &str,
    r: &Rendered,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::Diagnostic;
    let mut out: Vec<Diagnostic> = r
        .findings
        .iter()
        .map(|f| {
            let d = Diagnostic::at(file, text, f.span.clone(), f.code, f.message.clone())
                .help(f.help.clone());
            if f.error { d } else { d.warning() }
        })
        .collect();
    let first = r.toc.iter().find(|t| t.level == 1);
    if let (Some(h), Some(span)) = (first, &r.h1)
        && !title.trim().is_empty()
        && h.title.trim().eq_ignore_ascii_case(title.trim())
    {
        out.push(
            Diagnostic::at(
                file,
                text,
                span.clone(),
                "title-heading",
                "this heading repeats the page's title, which the page already shows as its heading",
            )
            .help("remove it, and start the body's headings at `##`")
            .warning(),
        );
    }
    out
}

/// A fence's language: the info string's first word (```` ```yaml title="x" ````), or, in the
/// attribute form Pandoc and Hugo read (```` ```{.yaml title="x"} ````), its first class.
fn fence_language(info: &str) -> &str {
    let info = info.trim();
    if let Some(attrs) = info.strip_prefix('{') {
        return attrs
            .split([' ', '}'])
            .find_map(|a| a.strip_prefix('.'))
            .unwrap_or("");
    }
    info.split([' ', ',', '{']).next().unwrap_or("")
}

/// Reference definitions (`[r]: ../tools/kubeadm.md`): a link through one is checked, and
/// reported, once, at the definition, where its destination is written.
struct References {
    /// Lowercased label → the definition's destination and the rest of it, in the file.
    spans: HashMap<String, Range<usize>>,
    used: HashSet<String>,
}

impl References {
    fn of<'t>(
        parser: &pulldown_cmark::OffsetIter<'t, impl pulldown_cmark::BrokenLinkCallback<'t>>,
        body: &str,
        body_start: usize,
    ) -> References {
        let spans = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| {
                // The destination, after the label's `]:` (the label may spell it too).
                let dest_at = body
                    .get(def.span.clone())
                    .and_then(|d| {
                        let after = d.find("]:").map_or(0, |i| i + 2);
                        d.get(after..)?.find(def.dest.as_ref()).map(|i| after + i)
                    })
                    .map_or(def.span.start, |i| def.span.start + i);
                (
                    label.to_lowercase(),
                    dest_at + body_start..def.span.end + body_start,
                )
            })
            .collect();
        References {
            spans,
            used: HashSet::new(),
        }
    }

    /// `tag` with its destination rewritten by `rewrite`, which records the link in `links`
    /// (at the definition, and once per definition, for a reference link).
    fn rewrite<'t>(
        &mut self,
        tag: Tag<'t>,
        usage: Range<usize>,
        links: &mut Vec<LinkUse>,
        rewrite: impl FnOnce(&str, Range<usize>, &mut Vec<LinkUse>) -> String,
    ) -> Tag<'t> {
        // `<team@example.org>`: an e-mail address, written out with `mailto:`, not a file.
        if matches!(
            tag,
            Tag::Link {
                link_type: LinkType::Email,
                ..
            }
        ) {
            return tag;
        }
        let (at, again) = self.place(&tag, usage);
        let before = links.len();
        let tag = rewrite_dest(tag, |d| rewrite(d, at, links));
        if again {
            links.truncate(before);
        }
        tag
    }

    /// Where a link or image `tag` written at `usage` is checked, and whether an earlier link
    /// through the same definition was checked already.
    fn place(&mut self, tag: &Tag<'_>, usage: Range<usize>) -> (Range<usize>, bool) {
        let label = match tag {
            Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. }
                if matches!(
                    link_type,
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
                ) =>
            {
                id.to_lowercase()
            }
            _ => return (usage, false),
        };
        match self.spans.get(&label) {
            Some(at) => (at.clone(), !self.used.insert(label)),
            None => (usage, false),
        }
    }
}

/// Footnotes numbered in the order first met (a reference or a definition), as
/// pulldown-cmark's own HTML writer numbers them, each with an id made from its label.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, (usize, String)>,
    /// Footnote ids (`fn:…`) never meet the theme's: none is reserved.
    ids: IdMaker<'static>,
    /// References met so far, per label: the second reference's id is `fnref:…:2`.
    references: HashMap<String, usize>,
}

impl Footnotes {
    /// The HTML of a footnote reference, or of a definition's start or end.
    fn html<'e>(&mut self, event: Event<'e>) -> Event<'e> {
        match event {
            Event::FootnoteReference(label) => {
                let (n, id) = self.number(&label);
                let ref_id = match self.referenced(&label) {
                    1 => format!("fnref:{id}"),
                    k => format!("fnref:{id}:{k}"),
                };
                Event::InlineHtml(
                    format!("<sup class=\"footnote-reference\" id=\"{ref_id}\"><a href=\"#fn:{id}\">{n}</a></sup>")
                        .into(),
                )
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, id) = self.number(&label);
                Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"fn:{id}\"><sup class=\"footnote-definition-label\">{n}</sup>")
                        .into(),
                )
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
            other => other,
        }
    }

    fn referenced(&mut self, label: &str) -> usize {
        let n = self.references.entry(label.to_lowercase()).or_insert(0);
        *n += 1;
        *n
    }

    fn number(&mut self, label: &str) -> (usize, String) {
        let next = self.numbers.len() + 1;
        let ids = &mut self.ids;
        // Labels match whatever their case, as pulldown-cmark matches them.
        self.numbers
            .entry(label.to_lowercase())
            .or_insert_with(|| (next, escape_attr(&ids.make(label))))
            .clone()
    }
}

/// GitHub's heading-id rule: lowercase, drop punctuation except `-` and `_`, spaces to `-`,
/// repeats get `-1`, `-2`, …. A title with nothing left (`## 🚀`) gets `heading:`.
#[derive(Default)]
struct IdMaker<'r> {
    seen: HashMap<String, usize>,
    /// Ids taken before the first heading (the theme's, sorted).
    reserved: &'r [String],
}

impl<'r> IdMaker<'r> {
    fn reserving(reserved: &'r [String]) -> IdMaker<'r> {
        IdMaker {
            seen: HashMap::new(),
            reserved,
        }
    }

    fn is_reserved(&self, id: &str) -> bool {
        self.reserved
            .binary_search_by(|r| r.as_str().cmp(id))
            .is_ok()
    }

    fn make(&mut self, title: &str) -> String {
        let id = github_id(title);
        // A title with nothing GitHub keeps (`## 🚀`) gets an id GitHub never makes (it holds
        // a `:`), so every other heading keeps GitHub's id.
        self.claim(if id.is_empty() { "heading:".into() } else { id })
    }

    fn claim(&mut self, base: String) -> String {
        let seen = self
            .seen
            .get(&base)
            .copied()
            .or_else(|| self.is_reserved(&base).then_some(0));
        match seen {
            None => {
                self.seen.insert(base.clone(), 0);
                base
            }
            Some(n) => {
                let mut k = n;
                let id = loop {
                    k += 1;
                    let candidate = format!("{base}-{k}");
                    if !self.seen.contains_key(&candidate) && !self.is_reserved(&candidate) {
                        break candidate;
                    }
                };
                self.seen.insert(base, k);
                self.seen.insert(id.clone(), 0);
                id
            }
        }
    }
}

/// The id GitHub gives a heading with this text.
pub fn github_id(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c == ' ' {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Why a link written `dest` goes nowhere ([`LinkTarget::Nowhere`]), what to write instead,
/// and whether it is surely a mistake (an empty or misspelt destination: an error) rather than
/// a scheme the site removes on purpose (`javascript:`: a warning): (message, help, mistake).
pub fn nowhere_help(dest: &str) -> (String, String, bool) {
    if dest.trim().is_empty() {
        return (
            "this link has no destination: it goes nowhere".into(),
            "write the page's file or the address between the parentheses: `[kubeadm](../tools/kubeadm.md)`".into(),
            true,
        );
    }
    let scheme = dest
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // A misspelt web scheme (`htps`, `hhtp`, `htttps`); `tcp` or `otlp` are schemes of their
    // own, which the site removes.
    match crate::link_hints::mistyped_scheme(dest) {
        Some(fixed) => (
            format!("`{scheme}:` is not a scheme a browser follows: the link is published as `#`"),
            format!("did you mean `{fixed}`?"),
            true,
        ),
        None => (
            format!(
                "links with the `{scheme}:` scheme are removed from published pages: the link goes nowhere"
            ),
            "link to an `https://` address or a page of the site".into(),
            false,
        ),
    }
}

/// Schemes a link may use without `unsafe_html`.
fn scheme_allowed(dest: &str) -> bool {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match cleaned.find(':') {
        None => true,
        Some(i) => {
            let before = &cleaned[..i];
            if before.contains(['/', '?', '#']) {
                return true;
            }
            matches!(
                before.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto" | "tel" | "ftp"
            )
        }
    }
}

/// A raw HTML fragment outside an HTML block (at `span` of the file's `text`), its `href` and
/// `src` checked and rewritten like Markdown links.
fn raw_fragment(
    h: &str,
    text: &str,
    span: &Range<usize>,
    rewrite: &mut dyn FnMut(&str, Range<usize>) -> String,
) -> String {
    let at = text
        .get(span.clone())
        .and_then(|s| s.find(h))
        .map_or(span.start, |i| span.start + i);
    crate::html_links::rewrite_links(h, at, rewrite)
}

/// The `id`s the raw HTML among `events` sets (a heading's own id is in the toc too). Only
/// asked of a body that holds raw HTML: lol_html on every heading of every page would cost a
/// build more than it finds.
fn raw_html_ids(raw_html: bool, events: &[Event]) -> Vec<String> {
    if !raw_html {
        return Vec::new();
    }
    events
        .iter()
        .filter_map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(crate::html_links::element_ids(h)),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The lines of an HTML block, joined so that a tag split across lines is seen whole, with
/// where each line starts in the file.
#[derive(Default)]
struct HtmlBlock {
    html: String,
    /// (byte in `html`, byte in the file) where each line starts.
    starts: Vec<(usize, usize)>,
}

impl HtmlBlock {
    /// Adds the line `h` of event `span` in the file `text`.
    fn push(&mut self, text: &str, span: Range<usize>, h: &str) {
        let at = text
            .get(span.clone())
            .and_then(|s| s.find(h))
            .map_or(span.start, |i| span.start + i);
        self.starts.push((self.html.len(), at));
        self.html.push_str(h);
    }

    /// The block with its links resolved by `resolve` (given the span of each tag in the file).
    fn rewrite(&self, resolve: &mut dyn FnMut(&str, Range<usize>) -> String) -> String {
        let locate = |b: usize| {
            let piece = self.starts.partition_point(|&(start, _)| start <= b);
            self.starts
                .get(piece.saturating_sub(1))
                .map_or(b, |&(start, at)| at + (b - start))
        };
        crate::html_links::rewrite_links_located(&self.html, &locate, resolve)
    }
}

/// Resolves `dest` (written in a body) and returns the URL to publish; records the link.
fn rewrite(
    dest: &str,
    span: Range<usize>,
    source_dir: &str,
    targets: &LinkTargets,
    links: &mut Vec<LinkUse>,
    options: &MarkdownOptions,
) -> String {
    let record = |target: LinkTarget, links: &mut Vec<LinkUse>| {
        links.push(LinkUse {
            target,
            span: span.clone(),
            dest: dest.to_string(),
        });
    };
    if dest.trim().is_empty() || (!options.unsafe_html && !scheme_allowed(dest)) {
        record(LinkTarget::Nowhere, links);
        return if dest.trim().is_empty() { dest } else { "#" }.to_string();
    }
    if let Some(path) = own_address(dest, targets.site_url) {
        record(LinkTarget::SitePath { path }, links);
        return dest.to_string();
    }
    if dest.contains("://")
        || dest.starts_with("//")
        || dest.contains(':') && !dest.starts_with(['/', '.', '#'])
    {
        return dest.to_string();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let path = percent_decode(path);
    if path.is_empty() {
        // `#` and `#top` are the top of the page (HTML), not a heading to look for.
        if let Some(anchor) = fragment.filter(|a| !a.is_empty() && !a.eq_ignore_ascii_case("top")) {
            record(
                LinkTarget::SamePage {
                    anchor: anchor.to_string(),
                },
                links,
            );
        }
        return dest.to_string();
    }
    if let Some(site_path) = path.strip_prefix('/') {
        let site_path = format!("/{site_path}");
        record(
            LinkTarget::SitePath {
                path: site_path.clone(),
            },
            links,
        );
        let prefixed = format!("{}{}", targets.base_path, site_path);
        return with_suffix(prefixed, query, fragment);
    }
    let Some(rel) = join(source_dir, &path) else {
        record(LinkTarget::Outside, links);
        return dest.to_string();
    };
    if rel.ends_with(".md") {
        let url = targets.pages.get(&rel).cloned();
        record(
            LinkTarget::Page {
                rel,
                anchor: fragment.map(str::to_string),
            },
            links,
        );
        return match url {
            Some(u) => with_suffix(u, query, fragment),
            None => dest.to_string(),
        };
    }
    record(LinkTarget::File { rel: rel.clone() }, links);
    with_suffix(format!("{}/{}", targets.base_path, rel), query, fragment)
}

/// The site path (`/tools/kubeadm/`) of `dest` when it is an address on the site itself
/// (`site_url`, such as `https://example.org/docs`), with either web scheme and the host in any
/// case; None for any other address.
fn own_address(dest: &str, site_url: &str) -> Option<String> {
    let (_, site) = site_url.split_once("://")?;
    let (scheme, rest) = dest.split_once("://")?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    let (host, path) = site.split_once('/').unwrap_or((site, ""));
    let written_host = rest.get(..host.len())?;
    let after_host = rest.get(host.len()..)?;
    if host.is_empty() || !written_host.eq_ignore_ascii_case(host) {
        return None;
    }
    // The base path, then the end of the address or the start of a path, query or fragment.
    let base = if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    };
    let tail = after_host.strip_prefix(base.as_str())?;
    let site_path = tail.split(['?', '#']).next().unwrap_or("");
    if !(tail.is_empty() || tail.starts_with(['/', '?', '#'])) {
        return None;
    }
    let decoded = percent_decode(site_path);
    Some(if decoded.is_empty() {
        "/".to_string()
    } else {
        decoded
    })
}

fn with_suffix(mut url: String, query: Option<&str>, fragment: Option<&str>) -> String {
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Joins a relative path onto a content-relative folder; None if it climbs above content/.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Sanitizes rendered HTML: keeps what our Markdown renderer produces, drops scripts, event
/// handlers, `javascript:` URLs, iframes and styles.
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// The sanitizer of raw HTML, built once.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "div",
            "span",
            "section",
            "input",
            "details",
            "summary",
            "figure",
            "figcaption",
            "kbd",
            "mark",
            "sup",
            "sub",
            "abbr",
        ])
        .add_generic_attributes(["id", "class", "title", "role", "aria-label", "aria-hidden"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["loading", "width", "height"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("code", ["data-lang"])
        .add_tag_attributes("pre", ["data-lang"])
        .attribute_filter(|_, attr, value| {
            if attr == "style" {
                let v = value.replace(' ', "");
                if matches!(
                    v.as_str(),
                    "text-align:left" | "text-align:center" | "text-align:right"
                ) {
                    return Some(value.into());
                }
                return None;
            }
            Some(value.into())
        })
        .link_rel(None)
        .strip_comments(true);
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Rendered {
        md_with(body, None, Body::Html)
    }

    /// `body` of a page in `notes/` rendered by `render`, on a site holding one other page
    /// (`tools/kubeadm.md`), highlighted with `highlight`.
    fn md_with(body: &str, highlight: Option<Themes>, mode: Body) -> Rendered {
        let pages: HashMap<String, String> = [(
            "tools/kubeadm.md".to_string(),
            "/tools/kubeadm/".to_string(),
        )]
        .into();
        let targets = LinkTargets {
            pages: &pages,
            base_path: "",
            site_url: "https://example.org",
        };
        let options = MarkdownOptions {
            unsafe_html: false,
            smart_punctuation: true,
            highlight,
            reserved_ids: vec!["main".into(), "toc-title".into()],
        };
        render_with(body, 0, "notes", &targets, &options, mode)
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        // Every kind of char the counter tells apart: ASCII spaces and controls, words,
        // Unicode spaces of two and three bytes, and chars beyond ASCII that are not spaces.
        let alphabet = [
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "a", "Z9", "é", "\u{85}", "\u{a0}",
            "\u{1680}", "\u{2003}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{200b}",
            "\u{feff}", "語", "🙂",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..seed % 24 {
                let pick = (seed >> (k % 40)) as usize ^ (k as usize * 7);
                text.push_str(alphabet[pick % alphabet.len()]);
            }
            assert_eq!(
                count_words(&text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  kubeadm\u{a0}init --\u{3000}x "), 4);
    }

    /// What a page's lists, feeds, links and search index see must not depend on whether
    /// its body HTML was kept: everything but `html` is the same, the summary's code block
    /// highlighted and its raw HTML sanitized alike.
    #[test]
    fn a_body_rendered_without_html_gives_the_same_summary_text_and_links() {
        let themes = || {
            Some(Themes {
                light: "github-light".into(),
                dark: "github-dark".into(),
            })
        };
        let body = "Intro with [kubeadm](../tools/kubeadm.md#install) <b onclick=\"x()\">bold</b>.\n\n\
            ```bash\nkubectl get nodes\n```\n\n<!-- more -->\n\n## Later\n\n\
            ```yaml\nkind: Pod\n```\n\nSee [missing](missing.md).\n";
        let full = md_with(body, themes(), Body::Html);
        let light = md_with(body, themes(), Body::Deferred);
        let only = md_with(body, themes(), Body::Only);
        assert!(light.html.is_empty() && light.html_deferred);
        // What a page is written with when its analysis was made without HTML.
        assert_eq!(only.html, full.html);
        assert!(only.summary.is_empty() && only.word_count == 0);
        assert!(!full.html_deferred && full.html.contains("Later"));
        assert!(
            full.summary.contains("kubectl") && full.summary.contains("<span"),
            "the summary holds the highlighted code block: {}",
            full.summary
        );
        assert!(!full.summary.contains('\u{FDD0}'), "{}", full.summary);
        assert!(!full.summary.contains("onclick"), "{}", full.summary);
        assert_eq!(light.summary, full.summary);
        assert_eq!(light.text, full.text);
        assert_eq!(light.toc, full.toc);
        assert_eq!(light.heading_spans, full.heading_spans);
        assert_eq!(light.word_count, full.word_count);
        let targets_of = |r: &Rendered| -> Vec<(LinkTarget, Range<usize>)> {
            r.links
                .iter()
                .map(|l| (l.target.clone(), l.span.clone()))
                .collect()
        };
        assert_eq!(targets_of(&light), targets_of(&full));
        assert_eq!(light.links.len(), 2);
    }

    #[test]
    fn ids_set_in_raw_html_are_anchors_too() {
        let r = md(
            "<a id=\"appendix\"></a>\n\nSee [appendix](#appendix) and <span id='note-1'>this</span>.\n\n## Heading\n",
        );
        assert!(r.has_heading("appendix"), "{:?}", r.html_ids);
        assert!(r.has_heading("note-1"), "{:?}", r.html_ids);
        assert!(r.has_heading("heading"));
        assert!(!r.has_heading("appendix-2"));
    }

    #[test]
    fn github_heading_ids() {
        assert_eq!(github_id("Install & Configure"), "install--configure");
        assert_eq!(github_id("What's new in 1.30?"), "whats-new-in-130");
        let r = md("# A\n\n## A\n\n## A-1\n\n### Ünïcode _x_\n");
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-1-1", "ünïcode-x"]);
    }

    #[test]
    fn an_address_on_the_site_itself_is_a_site_path() {
        let site = "https://Example.org/docs";
        let own = |d: &str| own_address(d, site);
        assert_eq!(
            own("https://example.org/docs/tools/kubeadm/").as_deref(),
            Some("/tools/kubeadm/")
        );
        assert_eq!(
            own("http://EXAMPLE.org/docs/tools/x/#setup").as_deref(),
            Some("/tools/x/")
        );
        assert_eq!(own("https://example.org/docs").as_deref(), Some("/"));
        assert_eq!(own("https://example.org/docs?q=1").as_deref(), Some("/"));
        assert_eq!(
            own("https://example.org/docs/a%20b/").as_deref(),
            Some("/a b/")
        );
        // Another path on the same host, another host, another scheme: not the site.
        assert_eq!(own("https://example.org/docsy/x/"), None);
        assert_eq!(own("https://example.org/other/"), None);
        assert_eq!(own("https://example.org.evil/docs/x/"), None);
        assert_eq!(own("ftp://example.org/docs/x/"), None);
        assert_eq!(own_address("https://example.org/x/", ""), None);
        assert_eq!(
            own_address("https://example.org/x/", "https://example.org").as_deref(),
            Some("/x/")
        );

        let r =
            md("See [the tool](https://example.org/tools/nope/#a) and [x](https://example.com/).");
        let paths: Vec<&LinkTarget> = r.links.iter().map(|l| &l.target).collect();
        assert_eq!(
            paths,
            [&LinkTarget::SitePath {
                path: "/tools/nope/".into()
            }],
            "the site's own address is checked, another site's is not"
        );
        assert!(
            r.html
                .contains(r#"href="https://example.org/tools/nope/#a""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn an_unclosed_fence_is_found_and_a_closed_one_is_not() {
        let r = md("Intro.\n\n```yaml\na: 1\n\nSee [x](missing.md).\n");
        let text = "Intro.\n\n```yaml\na: 1\n\nSee [x](missing.md).\n";
        let fence = |r: &Rendered| {
            r.findings
                .iter()
                .find(|f| f.code == "unclosed-fence")
                .map(|f| f.span.clone())
        };
        let span = fence(&r).expect("found");
        assert_eq!(text.get(span), Some("```yaml"));
        for closed in [
            "```yaml\na: 1\n```\n",
            "```yaml\na: 1\n```",
            "~~~~\nx\n~~~~~\n",
            "> ```\n> x\n> ```\n",
            "    indented code\n",
            "```\nx\n```\n\nText after.\n",
        ] {
            assert_eq!(fence(&md(closed)), None, "{closed:?}");
        }
        assert!(
            fence(&md("````\nx\n```\n")).is_some(),
            "a shorter fence closes nothing"
        );
    }

    #[test]
    fn a_fence_names_its_language_either_way() {
        assert_eq!(fence_language("yaml"), "yaml");
        assert_eq!(fence_language("yaml title=\"x\""), "yaml");
        assert_eq!(fence_language("yaml{hl_lines=[1]}"), "yaml");
        assert_eq!(fence_language("{.yaml title=\"x\"}"), "yaml");
        assert_eq!(fence_language("{ .bash }"), "bash");
        assert_eq!(fence_language("{title=\"x\"}"), "");
        assert_eq!(fence_language(""), "");
    }

    #[test]
    fn footnotes_and_headings_never_share_or_lack_an_id() {
        let r = md(
            "A note[^note], a spaced one[^my label], the note again[^Note], [^x-2].\n\n## Note\n\n## 🚀\n\n## Fn note\n\n## Heading\n\n[^note]: The note.\n[^my label]: Spaced.\n[^x-2]: x.\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["note", "heading:", "fn-note", "heading"]);
        let doc = scraper::Html::parse_fragment(&r.html);
        let all = scraper::Selector::parse("[id]").expect("selector");
        let mut seen: Vec<&str> = doc
            .select(&all)
            .filter_map(|e| e.value().attr("id"))
            .collect();
        assert!(
            seen.iter().all(|id| !id.is_empty() && !id.contains(' ')),
            "{seen:?}"
        );
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n, "an id repeats: {}", r.html);
        // Every footnote reference leads to its definition.
        let refs = scraper::Selector::parse("sup.footnote-reference a").expect("selector");
        let targets: Vec<&str> = doc
            .select(&refs)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(targets, ["#fn:note", "#fn:my-label", "#fn:note", "#fn:x-2"]);
        for t in targets {
            assert!(seen.contains(&t.trim_start_matches('#')), "{t}");
        }
    }

    #[test]
    fn md_links_are_rewritten_and_recorded() {
        let r = md("See [kubeadm](../tools/kubeadm.md#install) and [x](missing.md).\n");
        assert!(
            r.html.contains("href=\"/tools/kubeadm/#install\""),
            "{}",
            r.html
        );
        assert_eq!(
            r.links[0].target,
            LinkTarget::Page {
                rel: "tools/kubeadm.md".into(),
                anchor: Some("install".into())
            }
        );
        assert_eq!(
            r.links[1].target,
            LinkTarget::Page {
                rel: "notes/missing.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn raw_html_is_sanitized() {
        let r = md(
            "Hi <script>alert(1)</script> <a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>\n\n[y](javascript:alert(2))\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn highlighting_changes_only_the_html() {
        // `check` renders without highlighting: everything the later stages check must be the
        // same as in a build.
        let body = "# Run\n\n```console\n$ kubectl get pods\nNAME\n```\n\n```yaml\nkind: Pod\n```\n\n\
            See [kubeadm](../tools/kubeadm.md#install), [x](missing.md#y) and <a href=\"/z/\">z</a>.\n\n\
            ```mermaid\nflowchart LR\n  a --> b -->\n```\n";
        let plain = md(body);
        let pages: HashMap<String, String> = HashMap::new();
        let targets = LinkTargets {
            pages: &pages,
            base_path: "",
            site_url: "https://example.org",
        };
        let options = MarkdownOptions {
            unsafe_html: false,
            smart_punctuation: true,
            highlight: Some(Themes {
                light: "github-light".into(),
                dark: "github-dark".into(),
            }),
            reserved_ids: Vec::new(),
        };
        let lit = render(body, 0, "notes", &targets, &options);
        assert_ne!(plain.html, lit.html, "highlighting did nothing");
        let dests = |r: &Rendered| -> Vec<(LinkTarget, Range<usize>)> {
            r.links
                .iter()
                .map(|l| (l.target.clone(), l.span.clone()))
                .collect()
        };
        assert_eq!(dests(&plain).len(), 3);
        assert_eq!(dests(&plain), dests(&lit));
        assert_eq!(plain.toc, lit.toc);
        assert_eq!(plain.text, lit.text);
        assert_eq!(plain.word_count, lit.word_count);
        assert_eq!(plain.diagrams.len(), 1);
        assert_eq!(plain.diagrams, lit.diagrams);
    }

    #[test]
    fn summary_and_alerts() {
        let r = md("First para.\n\nSecond.\n");
        assert_eq!(r.summary.trim(), "<p>First para.</p>");
        let r = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert!(r.summary.contains("Two.") && !r.summary.contains("Three"));
        let r = md("> [!WARNING]\n> Careful.\n");
        assert!(
            r.html.contains("callout-warning") && r.html.contains("Careful."),
            "{}",
            r.html
        );
    }
}
