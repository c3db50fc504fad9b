//! Diagrams: a ```` ```mermaid ```` fence drawn to inline SVG at build time. This module owns
//! the whole boundary between a contributor's diagram text and the page: the bounds the
//! renderer runs under (size limits before drawing, merman's resource policy and deadline, and
//! a watchdog thread so a hang or panic inside the renderer cannot stall or crash a build), the
//! SVG allowlist sanitizer (no script, no event handlers, no external references), the
//! re-theming of every colour onto the theme's CSS custom properties, the accessible wrapper
//! with the source as a collapsed text alternative, and the content-hash cache that keeps each
//! distinct diagram drawn once per process (so `serve` redraws only what an edit changed).
//!
//! The renderer is merman (pure Rust, Mermaid 12 parity): it draws flowcharts with subgraphs,
//! sequence, state and `architecture` diagrams and reports parse errors with byte spans.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

use serde::Serialize;

/// Largest diagram source drawn (bytes). Bigger blocks are an error before the renderer runs.
pub const MAX_SOURCE_BYTES: usize = 32 * 1024;
/// Largest number of lines (statements) drawn.
pub const MAX_SOURCE_LINES: usize = 600;
/// Deepest `subgraph`/`box`/`group` nesting drawn (deep nesting is what makes layout slow).
pub const MAX_NESTING: usize = 24;
/// Largest SVG kept (bytes); a bigger drawing is an error rather than a page of megabytes.
pub const MAX_SVG_BYTES: usize = 1024 * 1024;
/// Time the renderer may take cooperatively (merman checks this deadline as it works).
pub const DEADLINE: Duration = Duration::from_secs(4);
/// Time after which the build stops waiting for a renderer that missed its deadline.
pub const WATCHDOG: Duration = Duration::from_secs(8);
/// Fonts whose advance widths the layout assumed: Arial's metrics, which Liberation Sans and
/// Arimo (Debian's `fonts-liberation`, Chromium's dependency) reproduce exactly.
pub const FONT_STACK: &str = "Arial, \"Liberation Sans\", Arimo, Helvetica, sans-serif";

/// A diagram as the page knows it: for the search index, the JSON API and diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    /// The accessible name: the fence's `title="…"`, else the diagram's own title, else its kind.
    pub title: String,
    /// The Mermaid source as written.
    pub source: String,
    /// Words drawn in the diagram (node, edge and group labels), for search.
    #[serde(skip)]
    pub labels: Vec<String>,
    /// Why it could not be drawn (the page shows the source instead).
    #[serde(skip)]
    pub error: Option<DiagramError>,
}

/// A diagram that could not be drawn, located in the diagram's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramError {
    /// 1-based line within the diagram source.
    pub line: usize,
    /// 1-based column (characters) within that line.
    pub column: usize,
    pub message: String,
    pub help: &'static str,
}

/// What drawing one fence gives the page.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The `<figure>`: sanitized SVG and the collapsed source (or the source alone on error).
    pub html: String,
    pub diagram: Diagram,
}

/// A diagram on a page: what it is and where its source starts in the page's file.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub diagram: Diagram,
    /// Byte offset, in the page's file text, of the line holding the diagram's first line.
    pub source_start: usize,
}

impl Placed {
    /// The words search indexes for this diagram: its title and its labels.
    pub fn search_text(&self) -> String {
        let mut s = self.diagram.title.clone();
        for label in &self.diagram.labels {
            s.push(' ');
            s.push_str(label);
        }
        s
    }
}

/// Marks where a drawn diagram goes in a page's HTML until the HTML is final (sanitizing raw
/// HTML must not touch the SVG, which has its own allowlist). U+FDD0 is a noncharacter.
pub fn placeholder(n: usize) -> String {
    format!("\u{FDD0}opsbook-diagram-{n}\u{FDD0}")
}

/// Puts each drawn figure where its placeholder is.
pub fn fill_placeholders(html: &str, figures: &[String]) -> String {
    if figures.is_empty() || !html.contains('\u{FDD0}') {
        return html.to_string();
    }
    let mut out = html.to_string();
    for (n, figure) in figures.iter().enumerate() {
        out = out.replacen(&placeholder(n), figure, 1);
    }
    out
}

/// A `diagram` error for every diagram on a page that could not be drawn, at the line and
/// column of the problem in the page's file.
pub fn diagnostics(
    file: &str,
    text: &str,
    placed: &[Placed],
) -> Vec<crate::diagnostics::Diagnostic> {
    placed
        .iter()
        .filter_map(|p| {
            let error = p.diagram.error.as_ref()?;
            let span = file_span(text, p, error);
            Some(
                crate::diagnostics::Diagnostic::at(
                    file,
                    text,
                    span,
                    "diagram",
                    format!(
                        "diagram \"{}\" cannot be drawn: {}",
                        p.diagram.title, error.message
                    ),
                )
                .help(error.help),
            )
        })
        .collect()
}

/// The byte range in the file of the diagram error's position (one character wide).
fn file_span(text: &str, placed: &Placed, error: &DiagramError) -> std::ops::Range<usize> {
    let mut line_start = placed.source_start.min(text.len());
    for _ in 1..error.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    let file_line = text
        .get(line_start..)
        .and_then(|rest| rest.lines().next())
        .unwrap_or("");
    let source_line = placed
        .diagram
        .source
        .lines()
        .nth(error.line.saturating_sub(1))
        .unwrap_or("");
    // The file line may carry indentation (a fence in a list) that the source lost.
    let prefix = if file_line.ends_with(source_line) {
        file_line.len() - source_line.len()
    } else {
        0
    };
    let column_bytes: usize = source_line
        .chars()
        .take(error.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let start = (line_start + prefix + column_bytes).min(text.len());
    start..start
}

/// The fence's `title="…"` (or `title='…'`) attribute, if any.
pub fn fence_title(info: &str) -> Option<String> {
    let at = info.find("title=")?;
    let rest = info.get(at + "title=".len()..)?;
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = rest.get(1..)?;
    let end = inner.find(quote)?;
    let title = inner.get(..end)?.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// Draws one fence (`source` is its text, `info` its info string). Never panics, never blocks
/// longer than [`WATCHDOG`]; the same source and title are drawn once per process.
pub fn draw(source: &str, info: &str) -> Drawn {
    let fence = fence_title(info);
    let key = cache_key(source, fence.as_deref());
    if let Some(hit) = cache_get(&key) {
        return (*hit).clone();
    }
    let drawn = draw_uncached(source, fence);
    cache_put(key, drawn.clone());
    drawn
}

/// Draws one fence without the cache (for benchmarks: every call is a real draw).
pub fn draw_fresh(source: &str, info: &str) -> Drawn {
    draw_uncached(source, fence_title(info))
}

fn draw_uncached(source: &str, fence: Option<String>) -> Drawn {
    // Control characters (a NUL, say) are no part of a name and not allowed in an attribute.
    let title = fence
        .or_else(|| own_title(source))
        .unwrap_or_else(|| format!("{} diagram", kind_name(source)))
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut diagram = Diagram {
        title,
        source: source.to_string(),
        labels: Vec::new(),
        error: None,
    };
    let id = diagram_id(source);
    let drawn = check_size(source)
        .and_then(|()| render_bounded(source, &id))
        .and_then(|svg| sanitize_svg(&svg, &diagram.title, &id));
    match drawn {
        Ok(clean) => {
            diagram.labels = clean.labels;
            Drawn {
                html: figure(&clean.svg, &diagram, clean.min_width),
                diagram,
            }
        }
        Err(error) => {
            diagram.error = Some(error);
            Drawn {
                html: figure_without_drawing(&diagram),
                diagram,
            }
        }
    }
}

/// A stable, page-unique-enough id for the SVG's internal references (markers, styles).
fn diagram_id(source: &str) -> String {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(source, &mut h);
    format!(
        "mmd-{:012x}",
        std::hash::Hasher::finish(&h) & 0xffff_ffff_ffff
    )
}

// ---------------------------------------------------------------------------------------------
// Cache

type CacheKey = (String, Option<String>);

/// Distinct diagrams kept per process. A build draws each once; `serve` keeps them between
/// edits. Bounded: when full it starts over rather than growing without end.
const CACHE_ENTRIES: usize = 4096;

fn cache() -> &'static Mutex<HashMap<CacheKey, Arc<Drawn>>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<Drawn>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

static DRAWS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many diagrams this process has drawn (cache misses), for tests and benchmarks.
pub fn draws() -> usize {
    DRAWS.load(std::sync::atomic::Ordering::Relaxed)
}

fn cache_key(source: &str, fence: Option<&str>) -> CacheKey {
    (source.to_string(), fence.map(str::to_string))
}

fn cache_get(key: &CacheKey) -> Option<Arc<Drawn>> {
    let map = cache().lock().unwrap_or_else(|p| p.into_inner());
    map.get(key).cloned()
}

fn cache_put(key: CacheKey, drawn: Drawn) {
    DRAWS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut map = cache().lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= CACHE_ENTRIES {
        map.clear();
    }
    map.insert(key, Arc::new(drawn));
}

// ---------------------------------------------------------------------------------------------
// Bounds and the renderer

fn check_size(source: &str) -> Result<(), DiagramError> {
    let too_big = |line: usize, message: String| DiagramError {
        line,
        column: 1,
        message,
        help: "split it into smaller diagrams; a page-sized drawing stays readable",
    };
    if source.len() > MAX_SOURCE_BYTES {
        return Err(too_big(
            1,
            format!(
                "this diagram is {} KiB; diagrams are drawn up to {} KiB",
                source.len() / 1024,
                MAX_SOURCE_BYTES / 1024
            ),
        ));
    }
    let lines = source.lines().count();
    if lines > MAX_SOURCE_LINES {
        return Err(too_big(
            MAX_SOURCE_LINES + 1,
            format!("this diagram has {lines} lines; diagrams are drawn up to {MAX_SOURCE_LINES}"),
        ));
    }
    let mut depth = 0usize;
    for (n, line) in source.lines().enumerate() {
        let word = line.split_whitespace().next().unwrap_or("");
        match word {
            "state" if line.trim_end().ends_with('{') => depth += 1,
            "subgraph" | "box" | "group" | "alt" | "loop" | "opt" | "par" | "critical" | "rect" => {
                depth += 1
            }
            "end" | "}" => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(too_big(
                n + 1,
                format!("groups are nested more than {MAX_NESTING} deep"),
            ));
        }
    }
    Ok(())
}

/// Runs the renderer on its own thread with a deadline; gives up after [`WATCHDOG`] (the thread
/// is told to cancel and left to finish) and turns a panic inside the renderer into an error.
fn render_bounded(source: &str, id: &str) -> Result<String, DiagramError> {
    let (tx, rx) = mpsc::channel();
    let control = merman::OperationControl::new();
    let worker = control.clone();
    let (source_owned, id_owned) = (source.to_string(), id.to_string());
    let spawned = std::thread::Builder::new()
        .name(RENDER_THREAD.into())
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                render(&source_owned, &id_owned, worker.with_deadline(DEADLINE))
            }));
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        return Err(internal("could not start the diagram renderer"));
    }
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(internal("the diagram renderer failed on this diagram")),
        Err(_) => {
            control.cancel();
            Err(DiagramError {
                line: 1,
                column: 1,
                message: format!(
                    "drawing this diagram took longer than {} s",
                    WATCHDOG.as_secs()
                ),
                help: "make it smaller: fewer nodes and edges, less nesting",
            })
        }
    }
}

/// The name of the renderer's threads; the panic hook stays quiet for them (a panic there is
/// reported as a diagram error instead).
pub const RENDER_THREAD: &str = crate::diagnostics::CAUGHT_PANIC_THREAD;

fn internal(message: &str) -> DiagramError {
    DiagramError {
        line: 1,
        column: 1,
        message: message.to_string(),
        help: "check the diagram's syntax; if it is valid Mermaid, please report it",
    }
}

/// Advance widths (1/1000 em) of ASCII 32..=126 in Arial, which Liberation Sans and Arimo share
/// glyph for glyph (measured from Liberation Sans in Chromium); the layout measures labels with
/// these so the drawn text fits the boxes in the fonts of [`FONT_STACK`].
const ARIAL: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const ARIAL_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// Width in CSS pixels of `text` set in Arial (or a metric twin) at `style`'s size and weight.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &ARIAL_BOLD } else { &ARIAL };
    let em: u32 = text
        .chars()
        .map(|c| {
            let code = u32::from(c);
            match code {
                32..=126 => table
                    .get((code - 32) as usize)
                    .copied()
                    .map_or(556, u32::from),
                0x00AD | 0x200B..=0x200F | 0xFE0F => 0,
                // CJK, Hangul, full-width forms: one em.
                0x1100..=0x115F
                | 0x2E80..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFF00..=0xFF60
                | 0x1F300..=0x1FAFF => 1000,
                _ => 600,
            }
        })
        .sum();
    f64::from(em) / 1000.0 * size
}

fn text_measurement() -> Option<merman::svg::TextMeasurementPolicy> {
    use merman::svg::{
        DeterministicTextMeasurer, MeasurementProfileId, TextMeasurementPolicy,
        TextMeasurementProfile, TextMeasurementProfileIdentity,
    };
    let measurer = DeterministicTextMeasurer::default().with_width_callback(|text, style| {
        let bold = style.font_weight.as_deref().is_some_and(|w| {
            w.eq_ignore_ascii_case("bold")
                || w.eq_ignore_ascii_case("bolder")
                || w.parse::<u32>().is_ok_and(|n| n >= 600)
        });
        let size = if style.font_size.is_finite() && style.font_size > 0.0 {
            style.font_size
        } else {
            16.0
        };
        text_width(text, size, bold)
    });
    let identity = TextMeasurementProfileIdentity::new(
        MeasurementProfileId::new("opsbook.arial-metrics").ok()?,
        "1",
    )
    .ok()?;
    Some(TextMeasurementPolicy::uniform(TextMeasurementProfile::new(
        identity, measurer,
    )))
}

fn render(
    source: &str,
    id: &str,
    control: merman::OperationControl,
) -> Result<String, DiagramError> {
    use merman::svg::{RenderResourcePolicy, SvgPipeline, SvgRenderOptions};
    use merman::{RenderError, RenderOutput, RenderRequest, Renderer, SvgEnvironment, SvgRequest};
    let mut environment =
        SvgEnvironment::deterministic().with_resource_policy(RenderResourcePolicy::interactive());
    if let Some(policy) = text_measurement() {
        environment = environment.with_text_measurement_policy(policy);
    }
    let request = SvgRequest {
        environment,
        pipeline: Some(SvgPipeline::resvg_safe()),
        options: SvgRenderOptions {
            diagram_id: Some(merman::svg::sanitize_svg_id(id)),
            ..Default::default()
        },
        ..SvgRequest::default()
    };
    match Renderer::new().render(RenderRequest::svg(source, control, request)) {
        Ok(RenderOutput::Svg(Some(svg))) => {
            let svg = svg.svg();
            if svg.len() > MAX_SVG_BYTES {
                return Err(DiagramError {
                    line: 1,
                    column: 1,
                    message: format!(
                        "the drawing would be {} KiB; diagrams are kept under {} KiB",
                        svg.len() / 1024,
                        MAX_SVG_BYTES / 1024
                    ),
                    help: "split it into smaller diagrams",
                });
            }
            Ok(svg.to_string())
        }
        Ok(_) | Err(RenderError::NoDiagram) => Err(DiagramError {
            line: 1,
            column: 1,
            message: "this is not a diagram type opsbook draws".into(),
            help: SUPPORTED,
        }),
        Err(RenderError::Parse(diag)) => {
            let details = diag.terminal_diagnostic_details();
            let (line, column) = details
                .span
                .map_or((1, 1), |span| line_column(source, span.start));
            let message = plain_message(&diag.terminal_safe_message());
            let kind = message
                .strip_prefix("Unsupported diagram type: ")
                .map(str::to_string);
            let unsupported = kind.is_some()
                || matches!(details.code.as_str(), "unsupported_diagram" | "detect_type")
                || message.contains("not available");
            Err(DiagramError {
                line,
                column,
                message: kind.map_or(message, |k| {
                    format!("`{k}` is not a diagram type opsbook draws")
                }),
                help: if unsupported {
                    SUPPORTED
                } else {
                    "see https://mermaid.js.org/intro/syntax-reference.html for the syntax"
                },
            })
        }
        Err(RenderError::ResourceLimitExceeded(_)) => Err(DiagramError {
            line: 1,
            column: 1,
            message: "this diagram is too big to draw".into(),
            help: "split it into smaller diagrams: fewer nodes, edges and groups each",
        }),
        Err(RenderError::Cancelled(_)) => Err(DiagramError {
            line: 1,
            column: 1,
            message: format!(
                "drawing this diagram took longer than {} s",
                DEADLINE.as_secs()
            ),
            help: "make it smaller: fewer nodes and edges, less nesting",
        }),
        Err(other) => Err(DiagramError {
            line: 1,
            column: 1,
            message: plain_message(&other.to_string()),
            help: SUPPORTED,
        }),
    }
}

const SUPPORTED: &str = "opsbook draws Mermaid flowcharts (`flowchart`/`graph`), `sequenceDiagram`, `stateDiagram-v2` and `architecture-beta`; draw any other kind elsewhere and add it beside the page as an SVG image";

/// One line, without the renderer's "Diagram parse error (flowchart-v2): " prefix, bounded.
fn plain_message(message: &str) -> String {
    let first = message
        .lines()
        .next()
        .unwrap_or("the diagram does not parse")
        .trim();
    let first = match first.strip_prefix("Diagram parse error") {
        Some(rest) => rest
            .split_once("): ")
            .map_or(rest, |(_, m)| m)
            .trim_start_matches(':')
            .trim(),
        None => first,
    };
    // "…; enable the diagram-gantt or all-diagrams Cargo feature": advice for whoever builds
    // the renderer, which a contributor cannot act on.
    let first = first
        .split_once("; enable the")
        .map_or(first, |(m, _)| m)
        .trim();
    let mut out: String = first.chars().take(300).collect();
    if out.is_empty() {
        out = "the diagram does not parse".into();
    }
    out
}

/// 1-based line and column (characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The diagram's own title: front matter `title:`, `accTitle:` or a `title` statement.
fn own_title(source: &str) -> Option<String> {
    for line in source.lines().take(40) {
        let t = line.trim();
        for prefix in ["title:", "accTitle:", "accTitle :", "title "] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let rest = rest.trim().trim_matches('"').trim();
                if !rest.is_empty() {
                    return Some(rest.chars().take(200).collect());
                }
            }
        }
    }
    None
}

fn kind_name(source: &str) -> &'static str {
    let first = source
        .lines()
        .map(str::trim)
        .find(|l| {
            !l.is_empty() && !l.starts_with("%%") && !l.starts_with("---") && !l.contains(':')
        })
        .unwrap_or("");
    let word = first.split_whitespace().next().unwrap_or("");
    match word {
        "flowchart" | "graph" => "Flowchart",
        "sequenceDiagram" => "Sequence",
        "stateDiagram" | "stateDiagram-v2" => "State",
        w if w.starts_with("architecture") => "Architecture",
        _ => "Mermaid",
    }
}

// ---------------------------------------------------------------------------------------------
// Page markup

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn source_details(diagram: &Diagram, open: bool) -> String {
    format!(
        "<details class=\"diagram-source\"{}><summary>Diagram as text</summary><pre tabindex=\"0\"><code class=\"language-mermaid\">{}</code></pre></details>",
        if open { " open" } else { "" },
        escape(&diagram.source)
    )
}

/// The width a phone leaves a drawing: a 390 px screen less the page's and the box's padding.
const PHONE_WIDTH: f64 = 330.0;

/// A drawn diagram. One that cannot shrink to a phone's width without its text going below
/// 12 px is marked `diagram-wide`: its box scrolls sideways, shaded at the edge that has more,
/// and on a narrow screen a line says so and points to the text version.
fn figure(svg: &str, diagram: &Diagram, min_width: Option<f64>) -> String {
    let wide = min_width.is_some_and(|w| w > PHONE_WIDTH);
    format!(
        "<figure class=\"diagram{}\">\n{}<div class=\"diagram-drawing\" tabindex=\"0\" role=\"group\" aria-label=\"Diagram\">{svg}</div>\n<figcaption>{}</figcaption>\n{}\n</figure>\n",
        if wide { " diagram-wide" } else { "" },
        if wide {
            "<p class=\"diagram-scroll-hint\">Wider than this screen: scroll the drawing sideways, or read it as text below it.</p>\n"
        } else {
            ""
        },
        escape(&diagram.title),
        source_details(diagram, false)
    )
}

fn figure_without_drawing(diagram: &Diagram) -> String {
    format!(
        "<figure class=\"diagram diagram-failed\">\n<figcaption>{} (not drawn: see <code>opsbook check</code>)</figcaption>\n{}\n</figure>\n",
        escape(&diagram.title),
        source_details(diagram, true)
    )
}

// ---------------------------------------------------------------------------------------------
// The SVG sanitizer

/// A sanitized drawing and the words it shows.
struct Clean {
    svg: String,
    labels: Vec<String>,
    /// The narrowest the drawing is shown (its `min-width`), when its `viewBox` says.
    min_width: Option<f64>,
}

/// Elements kept; anything else is dropped with everything inside it (`script`,
/// `foreignObject`, `image`, `a`, animation, …).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "marker",
    "symbol",
    "use",
    "title",
    "desc",
    "style",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
    "feColorMatrix",
];

/// Attributes kept (besides the colour ones, which are re-themed, and `href`, which must point
/// inside the drawing).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "d",
    "points",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "orient",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "font-size",
    "font-weight",
    "font-style",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "fill-opacity",
    "stroke-opacity",
    "fill-rule",
    "clip-rule",
    "opacity",
    "offset",
    "stdDeviation",
    "flood-opacity",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "values",
    "type",
    "gradientUnits",
    "patternUnits",
    "clipPathUnits",
    "filterUnits",
    "textLength",
    "lengthAdjust",
    "xml:space",
    "marker-start",
    "marker-mid",
    "marker-end",
    "clip-path",
    "mask",
    "filter",
    "visibility",
    "display",
];

/// Inert attributes the renderer's own style sheet selects on (group colours, node looks).
const STYLE_HOOKS: &[&str] = &["data-look", "data-color-id"];

/// Attributes and CSS properties holding a colour: re-themed onto the theme's palette.
const COLOUR_PROPERTIES: &[&str] = &[
    "fill",
    "stroke",
    "color",
    "stop-color",
    "flood-color",
    "lighting-color",
    "background",
    "background-color",
    "border-color",
    "outline-color",
];

const MAX_DEPTH: usize = 128;

fn sanitize_svg(svg: &str, title: &str, id: &str) -> Result<Clean, DiagramError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 400_000,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, options)
        .map_err(|_| internal("the diagram renderer produced a drawing that is not valid SVG"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(internal("the diagram renderer produced no SVG"));
    }
    let mut out = String::with_capacity(svg.len());
    let mut labels = Vec::new();
    write_element(root, &mut out, &mut labels, 0, Some((title, id)), id);
    let min_width = root
        .attribute("viewBox")
        .and_then(view_box_width)
        .map(|w| w * MIN_SCALE);
    Ok(Clean {
        svg: out,
        labels,
        min_width,
    })
}

fn write_element(
    node: roxmltree::Node,
    out: &mut String,
    labels: &mut Vec<String>,
    depth: usize,
    root: Option<(&str, &str)>,
    root_id: &str,
) {
    let name = node.tag_name().name();
    let in_svg_namespace = matches!(
        node.tag_name().namespace(),
        None | Some("http://www.w3.org/2000/svg")
    );
    if depth > MAX_DEPTH || !in_svg_namespace || !ELEMENTS.contains(&name) {
        return;
    }
    if name == "style" {
        let css: String = node
            .children()
            .filter_map(|c| c.text())
            .collect::<Vec<_>>()
            .concat();
        let css = sanitize_css(&css, root_id);
        if !css.is_empty() {
            out.push_str("<style>");
            out.push_str(&escape(&css));
            out.push_str("</style>");
        }
        return;
    }
    out.push('<');
    out.push_str(name);
    let mut style = String::new();
    for attr in node.attributes() {
        let (an, value) = (attr_name(&attr), attr.value());
        if root.is_some() && matches!(an.as_str(), "width" | "height" | "role" | "class") {
            continue; // the root scales to its container; its role and class are set below
        }
        if an.starts_with("on") {
            continue;
        }
        if an == "style" {
            let css = sanitize_declarations(value);
            if !css.is_empty() {
                style.push_str(&css);
                style.push(';');
            }
            continue;
        }
        if an == "href" || an == "xlink:href" {
            if value.starts_with('#') && !value.contains(['(', '"', '\'']) {
                let _ = write!(out, " href=\"{}\"", escape(value));
            }
            continue;
        }
        if an == "font-family" {
            let _ = write!(out, " font-family=\"{}\"", escape(FONT_STACK));
            continue;
        }
        if COLOUR_PROPERTIES.contains(&an.as_str()) {
            // Re-themed, but kept a presentation attribute: the drawing's style sheet must
            // still win over it (a sequence message line says `stroke="none"` and its class
            // sets the colour; moved into `style`, `none` would hide the line).
            if let Some(v) = declaration_value(&an, value) {
                let _ = write!(out, " {an}=\"{}\"", escape(&v));
            }
            continue;
        }
        if !ATTRIBUTES.contains(&an.as_str()) && !STYLE_HOOKS.contains(&an.as_str()) {
            continue;
        }
        if value.to_ascii_lowercase().contains("url(") && !only_local_urls(value) {
            continue;
        }
        let _ = write!(out, " {an}=\"{}\"", escape(value));
    }
    if let Some((title, _)) = root {
        let _ = write!(
            out,
            " xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" class=\"diagram-svg\"",
            escape(title)
        );
        style.push_str("font-family:");
        style.push_str(FONT_STACK);
        style.push(';');
        if let Some(width) = node.attribute("viewBox").and_then(view_box_width) {
            let _ = write!(style, "min-width:{:.0}px;", width * MIN_SCALE);
        }
    }
    if !style.is_empty() {
        let _ = write!(out, " style=\"{}\"", escape(style.trim_end_matches(';')));
    }
    out.push('>');
    if let Some((title, _)) = root {
        let _ = write!(out, "<title>{}</title>", escape(title));
    }
    for child in node.children() {
        if child.is_element() {
            if name == "svg" && root.is_some() && child.tag_name().name() == "title" {
                continue; // ours replaces the renderer's
            }
            write_element(child, out, labels, depth + 1, None, root_id);
        } else if let Some(text) = child.text()
            && child.is_text()
            && matches!(name, "text" | "tspan" | "title" | "desc")
        {
            if matches!(name, "text" | "tspan") {
                let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !words.is_empty() {
                    labels.push(words);
                }
            }
            out.push_str(&escape(text));
        }
    }
    let _ = write!(out, "</{name}>");
}

/// The smallest share of its drawn size a diagram is shrunk to in a narrow column; below it the
/// drawing keeps this size and its box scrolls sideways, so labels stay readable on a phone
/// (14 px text never drops below 12 px).
const MIN_SCALE: f64 = 0.86;

/// The width of a `viewBox="x y width height"`, if it is a sane positive number.
fn view_box_width(view_box: &str) -> Option<f64> {
    let width: f64 = view_box
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .nth(2)?
        .parse()
        .ok()?;
    (width.is_finite() && width > 0.0 && width < 100_000.0).then_some(width)
}

fn attr_name(attr: &roxmltree::Attribute) -> String {
    match attr.namespace() {
        Some("http://www.w3.org/1999/xlink") => format!("xlink:{}", attr.name()),
        Some("http://www.w3.org/XML/1998/namespace") => format!("xml:{}", attr.name()),
        Some(_) => format!("x-foreign:{}", attr.name()),
        None => attr.name().to_string(),
    }
}

/// True when every `url(` in `value` points inside the drawing (`url(#id)`).
fn only_local_urls(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.match_indices("url(").all(|(i, _)| {
        lower
            .get(i + 4..)
            .map(|rest| rest.trim_start().trim_start_matches(['"', '\'']))
            .is_some_and(|rest| rest.starts_with('#'))
    })
}

/// A CSS value is dangerous if it could load something or run something.
fn dangerous_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.contains("url(") && !only_local_urls(value))
        || lower.contains("expression")
        || lower.contains("javascript:")
        || lower.contains("image(")
        || lower.contains("image-set(")
        || lower.contains('\\')
        || lower.contains('<')
        || lower.contains('@')
}

/// The value to keep for property `property`, re-themed; None to drop the declaration.
fn declaration_value(property: &str, value: &str) -> Option<String> {
    let property = property.trim().to_ascii_lowercase();
    if dangerous_value(value)
        || matches!(property.as_str(), "behavior" | "-moz-binding" | "content")
        || property.starts_with("--")
    {
        return None;
    }
    if property == "font-family" || property == "font" && value.contains(',') {
        return Some(FONT_STACK.to_string());
    }
    if COLOUR_PROPERTIES.contains(&property.as_str())
        || property.starts_with("border")
        || property.ends_with("color")
    {
        return Some(retheme(value));
    }
    Some(value.trim().to_string())
}

/// Sanitizes a `style` attribute: `prop: value; …`.
fn sanitize_declarations(css: &str) -> String {
    let mut out = String::new();
    for decl in css.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        if let Some(v) = declaration_value(prop, value) {
            if !out.is_empty() {
                out.push(';');
            }
            let _ = write!(out, "{}:{}", prop.trim(), v);
        }
    }
    out
}

/// Sanitizes a style sheet. An inline SVG's `<style>` applies to the whole page, so only rules
/// whose every selector starts with the drawing's own `#id` are kept (plus `@media` around
/// them and `@keyframes`); statements (`@import`, `@charset`), `@font-face` and every other
/// block are dropped, and each kept declaration is sanitized and re-themed.
fn sanitize_css(css: &str, id: &str) -> String {
    let scope = format!("#{id}");
    let scoped = |prelude: &str| {
        prelude.split(',').all(|sel| {
            let sel = sel.trim();
            sel.strip_prefix(scope.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.', ':', '[', '>']))
        })
    };
    let mut keyframes_depth: Option<usize> = None;
    let mut out = String::with_capacity(css.len());
    let mut depth = 0usize;
    let mut skip_depth: Option<usize> = None;
    let mut chunk = String::new();
    for c in css.chars() {
        match c {
            '{' => {
                let prelude = chunk.trim();
                let lower = prelude.to_ascii_lowercase();
                let in_keyframes = keyframes_depth.is_some_and(|k| depth > k);
                let allowed =
                    !(lower.contains('\\') || lower.contains('<') || lower.contains("url("))
                        && (in_keyframes
                            || lower.starts_with("@media")
                            || lower.starts_with("@keyframes")
                            || (!lower.starts_with('@') && scoped(prelude)));
                if skip_depth.is_none() && !allowed {
                    skip_depth = Some(depth);
                }
                if skip_depth.is_none() && lower.starts_with("@keyframes") {
                    keyframes_depth = Some(depth);
                }
                if skip_depth.is_none() {
                    out.push_str(prelude);
                    out.push('{');
                }
                depth += 1;
                chunk.clear();
            }
            '}' | ';' => {
                if skip_depth.is_none()
                    && depth > 0
                    && let Some((prop, value)) = chunk.split_once(':')
                    && let Some(v) = declaration_value(prop, value)
                {
                    let _ = write!(out, "{}:{};", prop.trim(), v);
                }
                chunk.clear();
                if c == '}' {
                    depth = depth.saturating_sub(1);
                    if keyframes_depth == Some(depth) {
                        keyframes_depth = None;
                    }
                    if skip_depth == Some(depth) {
                        skip_depth = None;
                    } else if skip_depth.is_none() {
                        out.push('}');
                    }
                }
            }
            c => chunk.push(c),
        }
    }
    out
}

/// Replaces every colour in a CSS value by the theme's palette: light colours become the
/// diagram surface, dark ones the text colour (`currentColor`), the rest the accent, so the
/// drawing follows the page in light and dark mode alike.
fn retheme(value: &str) -> String {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "none" | "transparent" | "currentcolor" | "inherit" | "initial" | "unset" | ""
    ) || lower.starts_with("url(")
    {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len() + 16);
    let chars: Vec<char> = v.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        // `#rgb`, `#rrggbb`, `#rrggbbaa`
        if c == '#' {
            let hex: String = chars
                .iter()
                .skip(i + 1)
                .take_while(|c| c.is_ascii_hexdigit())
                .collect();
            if matches!(hex.len(), 3 | 4 | 6 | 8) {
                out.push_str(palette(hex_rgb(&hex)));
                i += 1 + hex.len();
                continue;
            }
        }
        if c.is_ascii_alphabetic() {
            let word: String = chars
                .iter()
                .skip(i)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
                .collect();
            let lower = word.to_ascii_lowercase();
            let after = i + word.chars().count();
            if matches!(lower.as_str(), "rgb" | "rgba" | "hsl" | "hsla")
                && chars.get(after) == Some(&'(')
            {
                let inner: String = chars
                    .iter()
                    .skip(after + 1)
                    .take_while(|c| **c != ')')
                    .collect();
                let rgb = if lower.starts_with("rgb") {
                    rgb_function(&inner)
                } else {
                    hsl_function(&inner)
                };
                out.push_str(palette(rgb));
                i = after + 1 + inner.chars().count() + 1;
                continue;
            }
            if let Some(rgb) = named_colour(&lower) {
                out.push_str(palette(Some(rgb)));
                i = after;
                continue;
            }
            out.push_str(&word);
            i = after;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The theme variable for a colour of this lightness.
fn palette(rgb: Option<(f64, f64, f64)>) -> &'static str {
    let Some((r, g, b)) = rgb else {
        return "var(--diagram-accent)";
    };
    let lightness = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    if lightness >= 0.72 {
        "var(--diagram-surface)"
    } else if lightness <= 0.4 {
        "currentColor"
    } else {
        "var(--diagram-accent)"
    }
}

fn hex_rgb(hex: &str) -> Option<(f64, f64, f64)> {
    let digit = |i: usize, len: usize| -> Option<f64> {
        let s = hex.get(i * len..i * len + len)?;
        let v = u8::from_str_radix(s, 16).ok()?;
        Some(if len == 1 {
            f64::from(v * 17) / 255.0
        } else {
            f64::from(v) / 255.0
        })
    };
    let len = if hex.len() <= 4 { 1 } else { 2 };
    Some((digit(0, len)?, digit(1, len)?, digit(2, len)?))
}

fn numbers(inner: &str) -> Vec<(f64, bool)> {
    inner
        .split([',', ' ', '/'])
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let pct = s.ends_with('%');
            let n = s.trim_end_matches(['%']).trim_end_matches("deg");
            n.parse::<f64>().ok().map(|v| (v, pct))
        })
        .collect()
}

fn rgb_function(inner: &str) -> Option<(f64, f64, f64)> {
    let n = numbers(inner);
    let channel = |i: usize| {
        n.get(i).map(|&(v, pct)| {
            if pct {
                (v / 100.0).clamp(0.0, 1.0)
            } else {
                (v / 255.0).clamp(0.0, 1.0)
            }
        })
    };
    Some((channel(0)?, channel(1)?, channel(2)?))
}

fn hsl_function(inner: &str) -> Option<(f64, f64, f64)> {
    let n = numbers(inner);
    let h = n.first()?.0.rem_euclid(360.0) / 360.0;
    let s = (n.get(1)?.0 / 100.0).clamp(0.0, 1.0);
    let l = (n.get(2)?.0 / 100.0).clamp(0.0, 1.0);
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let hue = |mut t: f64| {
        t = t.rem_euclid(1.0);
        if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        }
    };
    Some((hue(h + 1.0 / 3.0), hue(h), hue(h - 1.0 / 3.0)))
}

fn named_colour(name: &str) -> Option<(f64, f64, f64)> {
    let (r, g, b) = match name {
        "black" => (0, 0, 0),
        "white" => (255, 255, 255),
        "gray" | "grey" => (128, 128, 128),
        "lightgray" | "lightgrey" => (211, 211, 211),
        "darkgray" | "darkgrey" => (169, 169, 169),
        "silver" => (192, 192, 192),
        "red" => (255, 0, 0),
        "green" => (0, 128, 0),
        "blue" => (0, 0, 255),
        "yellow" => (255, 255, 0),
        "orange" => (255, 165, 0),
        "purple" => (128, 0, 128),
        "pink" => (255, 192, 203),
        "navy" => (0, 0, 128),
        "teal" => (0, 128, 128),
        "lightblue" => (173, 216, 230),
        "lightgreen" => (144, 238, 144),
        "lightyellow" => (255, 255, 224),
        "whitesmoke" => (245, 245, 245),
        "gainsboro" => (220, 220, 220),
        _ => return None,
    };
    Some((
        f64::from(r) / 255.0,
        f64::from(g) / 255.0,
        f64::from(b) / 255.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = "flowchart LR\n  subgraph cp[Control plane]\n    api[kube-apiserver]\n  end\n  lb[Load balancer] --> api\n";

    #[test]
    fn fence_titles() {
        assert_eq!(
            fence_title("mermaid title=\"Edge topology\""),
            Some("Edge topology".into())
        );
        assert_eq!(fence_title("mermaid title='x y'"), Some("x y".into()));
        assert_eq!(fence_title("mermaid"), None);
        assert_eq!(fence_title("mermaid title=\"unclosed"), None);
    }

    #[test]
    fn a_kind_it_does_not_draw_is_named_without_build_advice() {
        for source in [
            "gantt\n  title Upgrade\n  section Nodes\n  drain :a1, 2026-01-01, 1d\n",
            "pie title Runtimes\n  \"containerd\" : 80\n  \"CRI-O\" : 20\n",
        ] {
            let d = draw(source, "mermaid title=\"x\"");
            let error = d.diagram.error.expect("not drawn");
            assert!(!error.message.contains("Cargo"), "{}", error.message);
            assert!(!error.message.is_empty());
            assert!(
                error.help.contains("SVG"),
                "{} / {}",
                error.message,
                error.help
            );
        }
    }

    #[test]
    fn flowchart_is_drawn_sanitized_and_named() {
        let d = draw(FLOW, "mermaid title=\"Topology\"");
        assert!(d.diagram.error.is_none(), "{:?}", d.diagram.error);
        assert!(d.html.contains("role=\"img\""));
        assert!(d.html.contains("aria-label=\"Topology\""));
        assert!(d.html.contains("Diagram as text"));
        assert!(!d.html.contains("foreignObject"));
        assert!(
            d.diagram
                .labels
                .iter()
                .any(|l| l.contains("kube-apiserver"))
        );
        assert!(d.diagram.labels.iter().any(|l| l.contains("Control plane")));
    }

    #[test]
    fn colours_follow_the_theme() {
        assert_eq!(retheme("#ffffff"), "var(--diagram-surface)");
        assert_eq!(retheme("#000"), "currentColor");
        assert_eq!(retheme("rgb(45, 212, 191)"), "var(--diagram-accent)");
        assert_eq!(retheme("hsl(0, 0%, 95%)"), "var(--diagram-surface)");
        assert_eq!(retheme("none"), "none");
        assert_eq!(retheme("1px solid black"), "1px solid currentColor");
        let d = draw(FLOW, "mermaid");
        let style = d.html.split("<style>").nth(1).unwrap_or("");
        assert!(!style.contains("#28253D"), "{style}");
    }

    #[test]
    fn presentation_colours_stay_below_the_style_sheet() {
        // merman draws a sequence message as `<line stroke="none" class="messageLine0">` and
        // colours it from the style sheet; an inline `stroke:none` would hide every message.
        let d = draw("sequenceDiagram\n  a->>b: hello\n", "mermaid");
        assert!(d.diagram.error.is_none(), "{:?}", d.diagram.error);
        let line = d
            .html
            .split('<')
            .find(|tag| tag.starts_with("line ") && tag.contains("messageLine0"))
            .expect("a message line");
        let inline = line
            .split(" style=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("");
        assert!(!inline.contains("stroke:"), "{line}");
        let sheet = d.html.split("<style>").nth(1).unwrap_or("");
        assert!(
            sheet.contains(".messageLine0,") && sheet.contains("stroke:currentColor"),
            "{sheet}"
        );
    }

    #[test]
    fn css_sanitizer_drops_what_could_load_or_run() {
        let css = "@import url(http://x/y.css);#a .b{fill:#fff;background:url(http://evil/x.png);stroke:black}@font-face{src:url(http://f)}#a{filter:url(#shadow)}body{display:none}#a .x,main{color:red}@keyframes k{from{opacity:0}to{opacity:1}}";
        let clean = sanitize_css(css, "a");
        assert!(
            !clean.contains("body") && !clean.contains("main"),
            "{clean}"
        );
        assert!(clean.contains("@keyframes k{from{opacity:0;}"), "{clean}");
        assert!(!clean.contains("http"), "{clean}");
        assert!(
            !clean.contains("@import") && !clean.contains("font-face"),
            "{clean}"
        );
        assert!(clean.contains("fill:var(--diagram-surface)"), "{clean}");
        assert!(clean.contains("stroke:currentColor"), "{clean}");
        assert!(clean.contains("url(#shadow)"), "{clean}");
    }

    #[test]
    fn hostile_labels_stay_text() {
        let src = "flowchart LR\n  a[\"<script>alert(1)</script>\"] --> b[\"<img src=x onerror=alert(2)>\"]\n  click a \"javascript:alert(3)\"\n  style a fill:url(http://evil/x)\n";
        let d = draw(src, "mermaid");
        assert!(d.diagram.error.is_none(), "{:?}", d.diagram.error);
        // The drawing, without the escaped source shown as text beneath it.
        let html = d
            .html
            .split("<details")
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        assert!(html.contains("<svg"), "{}", d.html);
        assert!(!html.contains("<script"), "{}", d.html);
        assert!(!html.contains("<img"), "{}", d.html);
        assert!(!html.contains("http://evil"), "{}", d.html);
        assert!(!html.contains("javascript:"), "{}", d.html);
        assert!(!html.contains(" onerror="), "{}", d.html);
    }

    #[test]
    fn parse_errors_are_located_in_the_block() {
        let d = draw(
            "flowchart LR\n  a --> b\n  b --> c[unclosed\n  c --> d\n",
            "mermaid",
        );
        let e = d.diagram.error.expect("a parse error");
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.starts_with("Unterminated node label"), "{e:?}");
        assert!(d.html.contains("diagram-failed"));
    }

    #[test]
    fn oversized_sources_are_refused_before_drawing() {
        let mut src = String::from("flowchart LR\n");
        for i in 0..5000 {
            src.push_str(&format!("  n{i} --> n{}\n", i + 1));
        }
        let d = draw(&src, "mermaid");
        assert!(d.diagram.error.is_some());
        let mut nested = String::from("flowchart LR\n");
        for i in 0..40 {
            nested.push_str(&format!("subgraph s{i}\n"));
        }
        let e = check_size(&nested).expect_err("too deep");
        assert_eq!(e.line, MAX_NESTING + 2);
    }

    #[test]
    fn the_cache_draws_each_diagram_once() {
        let src = "flowchart TB\n  cache_probe_a --> cache_probe_b\n";
        let first = draw(src, "mermaid");
        let cached = cache_get(&cache_key(src, None)).expect("kept in the cache");
        assert_eq!(first.html, cached.html);
        let second = draw(src, "mermaid");
        assert_eq!(first.html, second.html);
    }
}
