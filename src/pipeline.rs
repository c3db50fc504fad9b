//! The pipeline, end to end: config → load → front matter and schema → markdown → site graph →
//! plan → templates → output. `build`, `check` and `serve` ([`crate::session`]) are this one
//! function with different endings; every stage adds to one list of diagnostics.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, LoadError};
use crate::content::{self, Page, PageKind};
use crate::diagnostics::{self, Diagnostic};
use crate::emit::builtin::Builtins;
use crate::emit::{self, Output};
use crate::held;
use crate::highlight::Themes;
use crate::markdown::{self, LinkTargets, MarkdownOptions};
use crate::output::{OutputFile, Urls};
use crate::plan::{self, Plan, RouteKind};
use crate::render;
use crate::site::{self, PageId, Site};
use crate::theme::{self, StaticFile};
use crate::timings::Timer;

/// What a run of the pipeline is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Publish drafts.
    pub drafts: bool,
    /// Overrides `[book] base_url`.
    pub base_url: Option<String>,
    /// Bytes of Markdown up to which `build` holds entries' body HTML in memory until each
    /// page is written ([`Bodies::Held`]); a bigger site spills it to a temporary file
    /// ([`crate::held`]). `None`: [`HOLD_BODIES_UP_TO`].
    pub hold_bodies_up_to: Option<u64>,
}

/// How much Markdown a build holds as HTML in memory until each page is written (128 MiB,
/// about 16,000 pages of 8 KB). Holding cost about as many bytes as the Markdown on the bench
/// corpus (80 MB more at 10k pages; highlighted code makes HTML bigger than its Markdown, so a
/// code-heavy site holds more); at 100k pages it would cost most of the memory target, so a
/// site that big spills the HTML to a temporary file instead, which costs writing and reading
/// it back.
pub const HOLD_BODIES_UP_TO: u64 = 128 << 20;

/// What a run is for: `check` reports and writes nothing, so it skips the work whose only
/// product is HTML or files (highlighting code, the search bundle); `build` and `serve` publish.
/// Every diagnostic is the same either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Check,
    Publish,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Usage or setup (exit code 2): no book.toml, unreadable theme, unwritable output.
    #[error("{0}")]
    Setup(String),
    /// The site has errors (exit code 1); warnings may be mixed in.
    #[error("the site has errors")]
    Invalid(Vec<Diagnostic>),
}

/// A generated site, in memory.
#[derive(Debug)]
pub struct Generated {
    pub config: Config,
    pub site: Site,
    pub plan: Plan,
    pub output: Output,
    /// Warnings (errors make the run fail instead).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks `book.toml` under `root`.
pub fn load_config(options: &Options) -> Result<Config, Failure> {
    let mut config = match Config::load(&options.root) {
        Ok(c) => c,
        Err(LoadError::Io(path, e)) => {
            return Err(Failure::Setup(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
        Err(LoadError::Invalid(d)) => return Err(Failure::Invalid(d)),
    };
    if let Some(url) = &options.base_url {
        config.book.base_url = url.clone();
    }
    if options.drafts {
        config.build.drafts = true;
    }
    Ok(config)
}

/// Everything up to the plan.
pub struct Analyzed {
    pub config: Config,
    pub theme: theme::Theme,
    pub site: Site,
    pub plan: Plan,
    /// All diagnostics, errors included, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage up to and including the plan — what `check` reports. Entries' body HTML is
/// not made (see [`Bodies::Dropped`]).
pub fn analyze(options: &Options, config: Config) -> Result<Analyzed, Failure> {
    let (analyzed, _) = analyze_parts(options, config, Purpose::Publish, Bodies::Dropped)?;
    Ok(analyzed)
}

/// Whether the Markdown stage keeps every page's body HTML in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bodies {
    /// Kept: `serve` renders pages again after each edit and keeps the site in memory.
    Keep,
    /// Entries' bodies are rendered without HTML ([`markdown::Body::Deferred`]) and again,
    /// with it, when their page is written, from their file read again ([`Released`]): no
    /// entry's HTML or Markdown is held through the writing stage, at the cost of rendering
    /// twice. A build's fallback when it cannot make the spill file of [`Bodies::Held`].
    Deferred,
    /// Entries' bodies are rendered once, with their HTML, which is held until each page is
    /// written ([`crate::held`]: in memory, or spilled to a temporary file past
    /// [`Options::hold_bodies_up_to`]); their Markdown is let go of after the Markdown stage
    /// as with `Deferred`. What `build` asks for; a build that cannot make its spill file
    /// gets `Deferred` instead.
    Held,
    /// Entries' bodies are rendered without HTML and their pages' templates get an empty
    /// `content`: `check`, which writes nothing, still runs every template.
    Dropped,
}

/// What `serve` keeps besides the graph to update it after an edit.
pub(crate) struct Parts {
    pub(crate) load_diags: Vec<Diagnostic>,
    pub(crate) page_diags: Vec<Vec<Diagnostic>>,
    /// Content path → link of every page, for rewriting `.md` links in bodies.
    pub(crate) page_urls: HashMap<String, String>,
    /// What the graph and the plan reported.
    pub(crate) later: Vec<Diagnostic>,
    /// The sources a build let go of after the Markdown stage, when their bodies are
    /// rendered again as their pages are written.
    released: Option<std::sync::Arc<Released>>,
    /// How the Markdown stage made entries' bodies (`Held` may have become `Deferred`).
    bodies: Bodies,
    /// Entries' HTML spilled to a temporary file (`Held`, on a big site).
    spilled: Option<held::Held>,
}

impl Parts {
    /// Every diagnostic of the site: loading, each page, and the graph and plan's.
    pub(crate) fn all(&self) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self
            .load_diags
            .iter()
            .chain(self.page_diags.iter().flatten())
            .chain(&self.later)
            .cloned()
            .collect();
        diagnostics::sort(&mut diags);
        diags
    }
}

fn analyze_parts(
    options: &Options,
    config: Config,
    purpose: Purpose,
    bodies: Bodies,
) -> Result<(Analyzed, Parts), Failure> {
    let mut timer = Timer::new();
    let theme = theme::load(&options.root, config.build.theme.as_deref()).map_err(|e| {
        // A theme book.toml names but the site lacks is a mistake in book.toml, at its line.
        let book = std::fs::read_to_string(options.root.join(crate::config::CONFIG_FILE));
        match book.ok().and_then(|text| e.diagnostic(&text)) {
            Some(d) => Failure::Invalid(vec![d]),
            None => Failure::Setup(e.to_string()),
        }
    })?;
    let content_dir = options.root.join(&config.build.content);
    let mut loaded = content::load::load(&options.root, &content_dir);
    let markdown_bytes: u64 = loaded.sources.iter().map(|s| s.text.len() as u64).sum();
    let spill_past = options.hold_bodies_up_to.unwrap_or(HOLD_BODIES_UP_TO);
    let (bodies, spill) = match bodies {
        Bodies::Held if markdown_bytes > spill_past => match held::Spill::new(&options.root) {
            Ok(spill) => (Bodies::Held, Some(spill)),
            // No temporary file: bodies are rendered again when written, which holds as little.
            Err(_) => (Bodies::Deferred, None),
        },
        other => (other, None),
    };
    let folder_diags = content::load::check_folders(&loaded.sources, &config);
    loaded.diagnostics.extend(folder_diags);
    timer.lap("load");

    let skeletons = crate::scaffold::skeleton_bodies(&config, &theme);
    let checked: Vec<(Page, Vec<Diagnostic>)> = loaded
        .sources
        .into_par_iter()
        .map(|s| check_source(s, &config, &skeletons))
        .collect();
    let (pages, page_diags): (Vec<Page>, Vec<Vec<Diagnostic>>) = checked.into_iter().unzip();
    timer.lap("schema");

    let urls = Urls::new(&config);
    let page_urls: HashMap<String, String> = pages
        .iter()
        .filter(|p| !p.broken)
        .map(|p| (p.rel.clone(), urls.link(&p.url)))
        .collect();
    let md_options = markdown_options(&config, &theme, purpose);
    // A build lets go of each entry's Markdown as soon as it is rendered: nothing later reads
    // it but a diagnostic, and the page when it is written if its HTML was not held (see
    // [`Released`]).
    let content_dir_of_released =
        matches!(bodies, Bodies::Deferred | Bodies::Held).then_some(&content_dir);
    let mut pages = pages;
    let hasher = hashbrown::DefaultHashBuilder::default();
    let rendered: Vec<(markdown::Rendered, Option<std::io::Result<held::Span>>)> = pages
        .par_iter_mut()
        .map(|p| {
            let entry = p.kind == PageKind::Entry;
            // A draft a build does not publish has no page to write: its HTML is not made
            // (`serve` keeps every page's, for the edit that publishes it).
            let unwritten = bodies == Bodies::Held && p.draft && !config.build.drafts;
            let mode =
                if entry && (unwritten || matches!(bodies, Bodies::Deferred | Bodies::Dropped)) {
                    markdown::Body::Deferred
                } else {
                    markdown::Body::Html
                };
            let mut r = render_page(p, &page_urls, &urls, &md_options, mode);
            if let Some(dir) = content_dir_of_released.filter(|_| entry && !p.broken) {
                Released::let_go(dir, p, &hasher);
            }
            // A big site's HTML goes to the spill file at once (see [`held`]).
            let span = spill
                .as_ref()
                .filter(|_| !r.html_deferred && entry && !p.broken)
                .map(|spill| {
                    let span = spill.put(&r.html);
                    r.html = String::new();
                    r.html_deferred = true;
                    span
                });
            (r, span)
        })
        .collect();
    let (rendered, spans): (Vec<markdown::Rendered>, Vec<_>) = rendered.into_iter().unzip();
    let spilled = spill
        .map(|spill| spill.into_held(spans))
        .transpose()
        .map_err(|e| {
            Failure::Setup(format!(
                "could not write pages' HTML to a temporary file (in {} or the system's \
                 temporary folder): {e}",
                options.root.display()
            ))
        })?;
    let released = (bodies == Bodies::Deferred)
        .then(|| std::sync::Arc::new(Released::new(&options.root, hasher)));
    timer.lap("markdown");

    let (site, plan, site_diags) = graph(
        &options.root,
        &config,
        &theme,
        pages,
        rendered,
        loaded.assets,
    );
    timer.lap("graph+plan");
    let parts = Parts {
        load_diags: loaded.diagnostics,
        page_diags,
        page_urls,
        later: site_diags,
        released,
        bodies,
        spilled,
    };
    let diags = parts.all();
    Ok((
        Analyzed {
            config,
            theme,
            site,
            plan,
            diagnostics: diags,
        },
        parts,
    ))
}

/// The schema check of one file, plus the body check against its collection's `new` skeleton.
pub(crate) fn check_source(
    source: content::Source,
    config: &Config,
    skeletons: &HashMap<String, crate::scaffold::Skeleton>,
) -> (Page, Vec<Diagnostic>) {
    let (page, mut diags) = content::schema::check(source, config);
    if let Some(skeleton) = page.collection.as_deref().and_then(|c| skeletons.get(c)) {
        match content::schema::untouched_body(&page, &skeleton.words) {
            Some(d) => diags.push(d),
            None => diags.extend(content::schema::leftover_prompts(&page, &skeleton.prompts)),
        }
    }
    (page, diags)
}

/// The Markdown settings of the site; `check` renders code blocks plain (nothing it reports
/// depends on highlighting, which was half of its time on a docs-shaped site).
pub(crate) fn markdown_options(
    config: &Config,
    theme: &crate::theme::Theme,
    purpose: Purpose,
) -> MarkdownOptions {
    let highlight = config.markdown.highlight && purpose == Purpose::Publish;
    MarkdownOptions {
        reserved_ids: theme.element_ids(),
        unsafe_html: config.markdown.unsafe_html,
        smart_punctuation: config.markdown.smart_punctuation,
        highlight: highlight.then(|| Themes {
            light: config.markdown.highlight_theme_light.clone(),
            dark: config.markdown.highlight_theme_dark.clone(),
        }),
    }
}

pub(crate) fn render_markdown(
    page: &Page,
    page_urls: &HashMap<String, String>,
    urls: &Urls,
    options: &MarkdownOptions,
) -> markdown::Rendered {
    render_page(page, page_urls, urls, options, markdown::Body::Html)
}

/// Renders `page`'s Markdown, making what `mode` asks for, against the site's page URLs.
fn render_page(
    page: &Page,
    page_urls: &HashMap<String, String>,
    urls: &Urls,
    options: &MarkdownOptions,
    mode: markdown::Body,
) -> markdown::Rendered {
    render_text(page, &page.text, page_urls, urls, options, mode)
}

/// [`render_page`] with the page's text given apart (read again from disk, see [`Released`]).
fn render_text(
    page: &Page,
    text: &str,
    page_urls: &HashMap<String, String>,
    urls: &Urls,
    options: &MarkdownOptions,
    mode: markdown::Body,
) -> markdown::Rendered {
    // A page whose header could not be read is never published, but its body is checked when
    // its start is known (`body_start` is 0 only when there is no header to end).
    if page.broken && page.body_start == 0 {
        return markdown::Rendered::default();
    }
    crate::diagnostics::working_on(&page.file);
    let targets = LinkTargets {
        pages: page_urls,
        base_path: &urls.base_path,
        site_url: &urls.base_url,
    };
    markdown::render_with(
        text,
        page.body_start,
        page.source_dir(),
        &targets,
        options,
        mode,
    )
}

/// The Markdown sources a build lets go of after the Markdown stage ([`Bodies::Deferred`]): a
/// page whose body HTML is made when it is written reads its file again then, and the text
/// must hash as it did when the build read it. A later stage's diagnostic reads the file again
/// for its line ([`Page::source_text`]). At 10k pages this is about 65 MB less held through
/// the graph, the plan and the writing stage.
pub(crate) struct Released {
    root: PathBuf,
    /// Hashes the texts (64 bits, kept on each page, are plenty to tell an edit made while
    /// building; blake3 was 2 % of a 10k build's CPU).
    hasher: hashbrown::DefaultHashBuilder,
    /// Files that changed or vanished while the site was being written.
    changed: std::sync::Mutex<Vec<Diagnostic>>,
}

impl Released {
    /// Empties the text of a page whose body is rendered when written, pointing it at its file
    /// and keeping the text's hash.
    fn let_go(content_dir: &Path, page: &mut Page, hasher: &hashbrown::DefaultHashBuilder) {
        let text = std::mem::take(&mut page.text);
        page.released_from = Some(content::ReleasedFrom {
            path: content_dir.join(&page.rel),
            hash: hasher.hash_one(text.as_str()),
        });
    }

    fn new(root: &Path, hasher: hashbrown::DefaultHashBuilder) -> Released {
        Released {
            root: root.to_path_buf(),
            hasher,
            changed: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The page's text: held, or read again and checked. `None` (and a diagnostic kept for
    /// [`Released::take_changed`]) when the file changed since the build read it.
    fn text<'p>(&self, page: &'p Page) -> Option<Cow<'p, str>> {
        let Some(content::ReleasedFrom { path, hash }) = &page.released_from else {
            return Some(Cow::Borrowed(&page.text));
        };
        let read = content::load::read_source(&self.root, &page.rel, path);
        match read {
            Ok(source) if self.hasher.hash_one(source.text.as_str()) == *hash => {
                Some(Cow::Owned(source.text))
            }
            _ => {
                let d = Diagnostic::file(
                    &page.file,
                    "changed",
                    "this file changed while the site was being built",
                )
                .help("build again; the previous output was left as it was");
                if let Ok(mut changed) = self.changed.lock() {
                    changed.push(d);
                }
                None
            }
        }
    }

    /// What [`Released::text`] found changed so far.
    fn take_changed(&self) -> Vec<Diagnostic> {
        self.changed
            .lock()
            .map(|mut changed| std::mem::take(&mut *changed))
            .unwrap_or_default()
    }
}

/// Renders a page's body HTML again for its template when the Markdown stage did not keep it
/// ([`Bodies::Deferred`]), from its text read again from disk.
fn body_renderer(
    config: &Config,
    theme: &crate::theme::Theme,
    page_urls: HashMap<String, String>,
    released: std::sync::Arc<Released>,
) -> render::BodyHtml {
    let urls = Urls::new(config);
    let options = markdown_options(config, theme, Purpose::Publish);
    Box::new(move |_, page: &Page| {
        released.text(page).map_or_else(String::new, |text| {
            render_text(
                page,
                &text,
                &page_urls,
                &urls,
                &options,
                markdown::Body::Only,
            )
            .html
        })
    })
}

/// Hands each page its body HTML held since the Markdown stage ([`Bodies::Held`]); HTML held
/// in memory is freed as its page is written. A page whose HTML cannot be read back gets none,
/// and an error in `failed`, which fails the build.
fn held_bodies(
    held: held::Held,
    failed: std::sync::Arc<std::sync::Mutex<Vec<Diagnostic>>>,
) -> render::BodyHtml {
    Box::new(move |i, page| {
        held.take(i).unwrap_or_else(|e| {
            let d = Diagnostic::file(
                &page.file,
                "spill",
                format!(
                    "this page's HTML could not be read back from the build's temporary file: {e}"
                ),
            )
            .help("build again; the previous output was left as it was");
            if let Ok(mut failed) = failed.lock() {
                failed.push(d);
            }
            String::new()
        })
    })
}

/// The site graph, its charts, the Kubernetes versions and its plan, with their diagnostics.
pub(crate) fn graph(
    root: &Path,
    config: &Config,
    theme: &theme::Theme,
    pages: Vec<Page>,
    rendered: Vec<markdown::Rendered>,
    assets: Vec<(String, PathBuf)>,
) -> (Site, Plan, Vec<Diagnostic>) {
    let asset_set: HashSet<String> = assets.iter().map(|(rel, _)| rel.clone()).collect();
    let content_dir = root.join(&config.build.content);
    let (mut site, mut diags) = site::build(
        config,
        pages,
        rendered,
        (&asset_set, &content_dir),
        config.build.drafts,
    );
    site.assets = assets;
    diags.extend(draw_charts(config, &mut site));
    diags.extend(page_templates(theme, &site));
    for (page, r) in site.pages.iter().zip(&site.rendered) {
        if r.diagrams.iter().any(|d| d.diagram.error.is_some()) {
            diags.extend(crate::diagram::diagnostics(
                &page.file,
                &page.source_text(),
                &r.diagrams,
            ));
        }
        if !r.findings.is_empty() || r.h1.is_some() {
            diags.extend(crate::markdown::diagnostics(
                &page.file,
                &page.source_text(),
                &page.title,
                r,
            ));
        }
    }
    let (versions, version_diags) = crate::versions::load(root, config);
    diags.extend(version_diags);
    if let Some(v) = &versions {
        diags.extend(crate::versions::check_terms(config, &site, v));
        crate::versions::add_release_terms(config, &mut site, v);
    }
    site.versions = versions;
    diags.extend(unused_term_labels(root, config, &site));
    let (plan, plan_diags) = plan::plan(&site, config, &theme.statics, root);
    diags.extend(plan_diags);
    (site, plan, diags)
}

/// [`Config::unused_term_labels`] for the terms the site's entries write (drafts too: a draft's
/// term is labelled when drafts are built) and the versions taxonomy's releases, which have
/// pages of their own.
fn unused_term_labels(root: &Path, config: &Config, site: &Site) -> Vec<Diagnostic> {
    if config.taxonomies.values().all(|t| t.labels.is_none()) {
        return Vec::new();
    }
    let mut used: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        std::collections::BTreeMap::new();
    for (taxonomy, term) in site.pages.iter().flat_map(|p| &p.terms) {
        used.entry(taxonomy).or_default().insert(term);
    }
    for (taxonomy, terms) in &site.taxonomies {
        let names = terms.values().map(|t| t.name.as_str());
        used.entry(taxonomy).or_default().extend(names);
    }
    // book.toml was read moments ago; should it have gone, the warnings point at its start.
    let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    config.unused_term_labels(&text, &used)
}

/// A page's `template` that names no template of the theme would be passed over for the
/// default one without a word: an error at the field, with the name it most likely meant.
fn page_templates(theme: &theme::Theme, site: &Site) -> Vec<Diagnostic> {
    let usable = || {
        theme
            .templates
            .keys()
            .map(String::as_str)
            .filter(|n| !n.starts_with("partials/"))
    };
    site.pages
        .iter()
        .filter_map(|page| {
            let name = page.template.as_deref()?;
            if theme.templates.contains_key(name) {
                return None;
            }
            // Compared without `.html`, which every name shares (`wide.html` is not `index.html`).
            let stem = |n: &'_ str| n.trim_end_matches(".html").to_string();
            let stems: Vec<String> = usable().map(stem).collect();
            let near = crate::diagnostics::closest(&stem(name), stems.iter().map(String::as_str));
            let help = match near {
                Some(near) => format!("did you mean `{near}.html`?"),
                None => {
                    let pages: Vec<&str> = usable().filter(|n| n.ends_with("page.html")).collect();
                    format!(
                        "name one of the theme's templates (page templates: {}), or delete the line to use the default",
                        pages.join(", ")
                    )
                }
            };
            Some(
                Diagnostic::at(
                    &page.file,
                    &page.source_text(),
                    page.key_span("template"),
                    "template",
                    format!("`template = \"{name}\"` names no template of the theme"),
                )
                .help(help),
            )
        })
        .collect()
}

/// The text of the CSV file at `path`, or why not: the reading error, or, for bytes that are
/// not UTF-8 (a spreadsheet's export in Latin-1 or Windows-1252, or UTF-16), a message naming
/// the line and character of the first such byte with a hint to save the file as UTF-8.
fn csv_text(path: &Path) -> Result<String, (String, Option<String>)> {
    let bytes = std::fs::read(path).map_err(|e| (e.to_string(), None))?;
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let bytes = e.as_bytes();
    let help = "save the file as UTF-8 (a spreadsheet's \"CSV UTF-8\" export, or an editor's \"Save with encoding\")";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            "this file is UTF-16 text, not UTF-8".to_string(),
            Some(help.to_string()),
        ));
    }
    let (line, column) = crate::content::load::non_utf8_at(bytes, e.utf8_error().valid_up_to());
    let byte = bytes
        .get(e.utf8_error().valid_up_to())
        .copied()
        .unwrap_or(0);
    // Latin-1 gives every byte from 0xA0 a character; 0x80–0x9F are Windows-1252's own.
    let latin1 = match byte {
        0xA0..=0xFF => format!(", `{}` in Latin-1", char::from(byte)),
        _ => String::new(),
    };
    Err((
        format!(
            "this file is not valid UTF-8: line {line}, character {column} (byte 0x{byte:02X}{latin1}) is not a UTF-8 character"
        ),
        Some(format!(
            "it looks like Latin-1 or Windows-1252 text: {help}"
        )),
    ))
}

/// Reads the CSV file each entry of a collection with `charts` names and draws it; a missing
/// or malformed file is an error at the field.
fn draw_charts(config: &Config, site: &mut Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // CSV files whose rows were checked (one file may serve two entries).
    let mut checked: HashSet<String> = HashSet::new();
    for (i, page) in site.ids().zip(&site.pages) {
        let Some((coll, field)) = page
            .collection
            .as_deref()
            .and_then(|c| config.collection(c))
            .and_then(|c| Some((c, c.charts.as_deref()?)))
        else {
            continue;
        };
        let Some(name) = page.fields.get(field).and_then(|v| v.as_str()) else {
            continue;
        };
        // `./2026.csv` is the file beside the entry, as `2026.csv` is.
        let name = name.trim_start_matches("./");
        let span = page.key_span(field);
        let at = |message: String, help: &str| {
            Diagnostic::at(
                &page.file,
                &page.source_text(),
                span.clone(),
                "chart",
                message,
            )
            .help(help)
        };
        if name.contains(char::is_control) {
            // `"D:\new\backup.csv"`: in double quotes `\n` and `\b` were read as escapes.
            diags.push(at(
                format!(
                    "`{field}` holds a line break or control character: `{}`",
                    name.escape_debug()
                ),
                "a backslash in double quotes starts an escape (`\\n` is a line break): give just the file name beside this entry, or use single quotes or doubled backslashes",
            ));
            continue;
        }
        let dir = page.source_dir();
        let rel = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        let Some((_, path)) = site.assets.iter().find(|(r, _)| *r == rel) else {
            // `2026-Operator-Survey.csv` for `2026-operator-survey.csv`: the file of that name
            // whatever its case, else the nearest in spelling, beside the entry.
            let beside = site.assets.iter().map(|(r, _)| r.as_str()).filter(|r| {
                r.rsplit_once('/').map_or("", |(d, _)| d) == dir && r.ends_with(".csv")
            });
            let near = beside
                .map(|r| r.rsplit('/').next().unwrap_or(r))
                .map(|f| {
                    (
                        strsim::normalized_levenshtein(&f.to_lowercase(), &name.to_lowercase()),
                        f,
                    )
                })
                .filter(|(score, _)| *score >= 0.75)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let help = match near {
                Some((_, file)) if file.eq_ignore_ascii_case(name) => {
                    format!("did you mean `{file}`? File names are case-sensitive on the web server")
                }
                Some((_, file)) => format!("did you mean `{file}`?"),
                None => "put the CSV file (question,answer,count) in the same folder and give its file name".to_string(),
            };
            diags.push(at(
                format!("`{name}` is not a file beside this entry"),
                &help,
            ));
            continue;
        };
        let csv_file = page
            .file
            .strip_suffix(page.rel.as_str())
            .map(|content| format!("{content}{rel}"));
        let text = match csv_text(path) {
            Ok(t) => t,
            // Not UTF-8: said in the file itself (once), where the byte is.
            Err((message, Some(help))) => {
                match &csv_file {
                    Some(f) if checked.insert(rel.clone()) => {
                        diags.push(Diagnostic::file(f, "encoding", message).help(help));
                    }
                    Some(_) => {}
                    None => diags.push(at(format!("{name}: {message}"), &help)),
                }
                continue;
            }
            Err((e, None)) => {
                diags.push(at(
                    format!("cannot read `{name}`: {e}"),
                    "save it as UTF-8 text",
                ));
                continue;
            }
        };
        let read = match crate::chart::survey(&text) {
            Ok(read) => read,
            // A file that cannot be read at all is reported in the file, at its line, as its
            // rows' problems are.
            Err(e) => {
                match &csv_file {
                    Some(f) if checked.insert(rel.clone()) => {
                        diags.extend(crate::chart::diagnostics(f, &text, &[e]));
                    }
                    Some(_) => {}
                    None => diags.push(at(
                        format!("{name}, line {}: {}", e.line, e.message),
                        &e.help,
                    )),
                }
                continue;
            }
        };
        // Every bad row, at its line of the CSV file (the chart is drawn from the others; the
        // errors keep it from being published), once however many entries draw the file; and
        // every count above the entry's respondents.
        if checked.insert(rel.clone())
            && let Some(f) = &csv_file
        {
            diags.extend(crate::chart::diagnostics(f, &text, &read.problems));
            let respondents = coll
                .respondents
                .as_deref()
                .and_then(|r| Some((r, page.fields.get(r)?.as_u64()?)));
            if let Some((field, n)) = respondents {
                diags.extend(crate::chart::diagnostics(f, &text, &read.over(n, field)));
            }
        }
        site.charts.insert(i, (format!("/{rel}"), read.charts));
    }
    diags
}

/// The files of the plan's routes that are not templates (feeds, aliases, JSON API, sitemap,
/// robots, the highlight stylesheet), of the `routes` given, into `sink`. `api_entry` gives an
/// entry's JSON for the API files (so `serve` can reuse unchanged ones). Returns the errors of
/// the feed, sitemap and robots templates.
pub(crate) struct Extras<'a> {
    pub(crate) config: &'a Config,
    pub(crate) site: &'a Site,
    pub(crate) plan: &'a Plan,
    pub(crate) builtins: &'a Builtins,
}

impl Extras<'_> {
    pub(crate) fn emit<'j>(
        &self,
        routes: &[&plan::Route],
        api_entry: &(dyn Fn(PageId) -> std::borrow::Cow<'j, [u8]> + Sync),
        sink: &render::Sink,
    ) -> Vec<Diagnostic> {
        let Extras {
            config,
            site,
            plan,
            builtins,
        } = *self;
        let urls = Urls::new(config);
        let errors: Vec<Diagnostic> = routes
            .par_iter()
            .filter(|r| !r.kind.is_template())
            .filter_map(|route| {
                let file = match &route.kind {
                    RouteKind::Feed { .. } => {
                        emit::feed::feed_file(site, &config.book, route, &urls, builtins)
                    }
                    RouteKind::Alias { .. } => emit::sitemap::alias(site, route, &urls).map(Ok),
                    RouteKind::Api { .. } => emit::api::file(site, route, api_entry).map(Ok),
                    RouteKind::Sitemap => Some(emit::sitemap::sitemap(plan, site, &urls, builtins)),
                    RouteKind::Robots => Some(emit::sitemap::robots(&urls, builtins)),
                    RouteKind::Stylesheet => {
                        let themes = Themes {
                            light: config.markdown.highlight_theme_light.clone(),
                            dark: config.markdown.highlight_theme_dark.clone(),
                        };
                        Some(Ok(OutputFile {
                            path: route.path.clone(),
                            bytes: crate::highlight::stylesheet(&themes).into_bytes(),
                        }))
                    }
                    _ => None,
                };
                match file? {
                    Ok(f) => {
                        sink(f);
                        None
                    }
                    Err(d) => Some(d),
                }
            })
            .collect();
        let mut unique: Vec<Diagnostic> = Vec::new();
        for d in errors {
            if !unique.contains(&d) {
                unique.push(d);
            }
        }
        unique
    }
}

/// The files the plan copies as they are (theme and site static files, content assets).
pub(crate) fn copies(theme: &theme::Theme, site: &Site, plan: &Plan) -> Vec<(String, StaticFile)> {
    plan.iter()
        .filter_map(|r| copy_of(theme, site, r))
        .collect()
}

/// The file a static route copies (None for any other route).
pub(crate) fn copy_of(
    theme: &theme::Theme,
    site: &Site,
    route: &plan::Route,
) -> Option<(String, StaticFile)> {
    match &route.kind {
        RouteKind::Static(plan::StaticSource::Theme) => {
            Some((route.path.clone(), theme.statics.get(&route.path)?.clone()))
        }
        RouteKind::Static(plan::StaticSource::Asset(i)) => {
            let (_, path) = site.assets.get(*i)?;
            Some((route.path.clone(), StaticFile::Disk(path.clone())))
        }
        _ => None,
    }
}

/// `opsbook check`: the whole pipeline except writing; every diagnostic, errors and warnings.
/// Every template runs, but entries' bodies are not rendered to HTML (their `content` is
/// empty).
pub fn check(options: &Options) -> Result<Vec<Diagnostic>, Failure> {
    let config = load_config(options)?;
    match produce(options, config, &|_| {}, Purpose::Check, Bodies::Dropped) {
        Ok(p) => Ok(p.analyzed.diagnostics),
        Err(Failure::Invalid(d)) => Ok(d),
        Err(e) => Err(e),
    }
}

/// Generates the whole site in memory (for tests). Fails with every diagnostic if there is any
/// error.
pub fn generate(options: &Options) -> Result<Generated, Failure> {
    let config = load_config(options)?;
    let files = std::sync::Mutex::new(Vec::new());
    let produced = produce(
        options,
        config,
        &|f| files.lock().unwrap_or_else(|p| p.into_inner()).push(f),
        Purpose::Publish,
        Bodies::Held,
    )?;
    let files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(Generated {
        config: produced.analyzed.config,
        site: produced.analyzed.site,
        plan: produced.analyzed.plan,
        output: Output {
            files,
            copies: produced.copies,
        },
        diagnostics: produced.analyzed.diagnostics,
    })
}

/// A site rendered into a sink: the analysis, the renderer (kept by `serve`), what remains to
/// copy, and how many HTML pages were written. `analyzed.diagnostics` holds only warnings.
pub(crate) struct Produced {
    pub(crate) analyzed: Analyzed,
    pub(crate) parts: Parts,
    pub(crate) renderer: Option<render::Renderer>,
    pub(crate) builtins: Option<Builtins>,
    pub(crate) copies: Vec<(String, StaticFile)>,
    pub(crate) html_pages: usize,
}

/// Renders every templated route of the plan into `sink` and, beside it, the search bundle
/// of `search` when given. Returns the rendered paths and the template errors.
pub(crate) fn render_all(
    renderer: &render::Renderer,
    site: &Site,
    plan: &Plan,
    config: &Config,
    sink: &render::Sink,
    search: Option<emit::search::Input>,
) -> (Vec<String>, Vec<Diagnostic>) {
    let routes: Vec<&plan::Route> = plan.templated().collect();
    // The bundle's files are written as soon as it is made, in parallel (a serial loop here
    // wrote them one at a time after the templates had finished).
    let (rendered, ()) = rayon::join(
        || renderer.render(site, config, &routes, sink),
        || {
            search
                .map(emit::search::build)
                .unwrap_or_default()
                .into_par_iter()
                .for_each(sink);
        },
    );
    rendered
}

/// Runs the whole pipeline, handing every generated file to `sink` as soon as it is ready;
/// to publish, it builds the search bundle too (`check` skips it).
pub(crate) fn produce(
    options: &Options,
    config: Config,
    sink: &render::Sink,
    purpose: Purpose,
    bodies: Bodies,
) -> Result<Produced, Failure> {
    let (mut analyzed, mut parts) = analyze_parts(options, config, purpose, bodies)?;
    let index = purpose == Purpose::Publish;
    if analyzed.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure::Invalid(analyzed.diagnostics));
    }
    let released = parts.released.clone();
    // A build hands the pages' body text to the search bundle, which lets go of it page by
    // page; `serve` keeps it in the site for the next edit's bundle.
    let bodies = parts.bodies;
    let texts = matches!(bodies, Bodies::Deferred | Bodies::Held)
        .then(|| analyzed.site.release_for_writing());
    let held = (bodies == Bodies::Held).then(|| match parts.spilled.take() {
        Some(spilled) => spilled,
        None => held::Held::memory(analyzed.site.take_entry_html()),
    });
    let unread = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut timer = Timer::new();
    let Analyzed {
        config, site, plan, ..
    } = &analyzed;
    let search = (index && plan.iter().any(|r| r.kind == RouteKind::SearchIndex)).then(|| {
        let urls = Urls::new(config);
        match texts {
            Some(texts) => emit::search::input_with_texts(site, config, &urls, plan, texts),
            None => emit::search::input(site, config, &urls, plan),
        }
    });
    let (renderer, (paths, mut template_errors)) =
        match render::Renderer::new(site, config, &analyzed.theme) {
            Ok(mut renderer) => {
                if let Some(held) = held {
                    renderer.set_bodies(held_bodies(held, unread.clone()));
                } else if let Some(released) = &released {
                    renderer.set_bodies(body_renderer(
                        config,
                        &analyzed.theme,
                        parts.page_urls.clone(),
                        released.clone(),
                    ));
                }
                let out = render_all(&renderer, site, plan, config, sink, search);
                (Some(renderer), out)
            }
            Err(d) => (None, (Vec::new(), d)),
        };
    timer.lap("templates+search");
    if let Some(released) = &released {
        template_errors.extend(released.take_changed());
    }
    if let Ok(mut unread) = unread.lock() {
        template_errors.append(&mut unread);
    }
    let builtins = Builtins::new(&analyzed.theme);
    if let Ok(builtins) = &builtins {
        let urls = Urls::new(config);
        let extras = Extras {
            config,
            site,
            plan,
            builtins,
        };
        // The highlight stylesheet comes from no template and `check` would throw it away;
        // making it loads giallo's whole grammar registry.
        let routes: Vec<&plan::Route> = plan
            .iter()
            .filter(|route| index || route.kind != RouteKind::Stylesheet)
            .collect();
        template_errors.extend(extras.emit(
            &routes,
            &|i| emit::api::entry(site, &urls, i).into(),
            sink,
        ));
    }
    let builtins = builtins.map_err(|d| template_errors.extend(d)).ok();
    timer.lap("extras");
    if !template_errors.is_empty() {
        let mut all = analyzed.diagnostics;
        all.extend(template_errors);
        diagnostics::sort(&mut all);
        return Err(Failure::Invalid(all));
    }
    let html_pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    let copies = copies(&analyzed.theme, site, plan);
    Ok(Produced {
        analyzed,
        parts,
        renderer,
        builtins,
        copies,
        html_pages,
    })
}

/// What a build wrote.
#[derive(Debug)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

/// `opsbook build`: renders straight into a temporary folder beside the output (default
/// `[build] output`, or `out`) and swaps it in once everything is written.
pub fn build(options: &Options, out: Option<PathBuf>) -> Result<BuildReport, Failure> {
    build_with_report(options, out, None)
}

/// [`build`], also writing the JSON manifest of every output file to `report`
/// (`build --report FILE`).
pub fn build_with_report(
    options: &Options,
    out: Option<PathBuf>,
    report: Option<&std::path::Path>,
) -> Result<BuildReport, Failure> {
    let config = load_config(options)?;
    let out_dir = out.unwrap_or_else(|| options.root.join(&config.build.output));
    let staging =
        emit::Staging::begin(&options.root, &out_dir).map_err(|e| Failure::Setup(e.to_string()))?;
    let files = std::sync::atomic::AtomicUsize::new(0);
    let hashes = crate::report::Hashes::default();
    let produced = produce(
        options,
        config,
        &|f| {
            if report.is_some() {
                hashes.record(&f);
            }
            staging.put(&f);
            files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
        Purpose::Publish,
        Bodies::Held,
    )?;
    if let Some(path) = report {
        let Analyzed {
            config, site, plan, ..
        } = &produced.analyzed;
        let manifest = crate::report::manifest(
            hashes,
            &produced.copies,
            plan,
            site,
            &config.book.base_url,
            &options.root,
        )
        .map_err(|e| Failure::Setup(format!("cannot read a file to hash it: {e}")))?;
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Failure::Setup(format!("cannot write the build report: {e}")))?;
        std::fs::write(path, json).map_err(|e| {
            Failure::Setup(format!(
                "cannot write the build report {}: {e}",
                path.display()
            ))
        })?;
    }
    let mut timer = Timer::new();
    staging.copy_all(&produced.copies);
    staging
        .commit()
        .map_err(|e| Failure::Setup(e.to_string()))?;
    timer.lap("copy+swap");
    Ok(BuildReport {
        out_dir,
        pages: produced.html_pages,
        files: files.into_inner() + produced.copies.len(),
        warnings: produced.analyzed.diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }

    /// A copy of the `basic` fixture (the tests edit its files), with its options and config.
    fn basic_fixture() -> (tempfile::TempDir, Options, Config) {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
            dir.path(),
        );
        let options = Options {
            root: dir.path().to_path_buf(),
            ..Options::default()
        };
        let config = load_config(&options).unwrap();
        (dir, options, config)
    }

    #[test]
    fn a_build_holds_bodies_in_memory_up_to_its_limit_and_spills_them_past_it() {
        let (_dir, options, config) = basic_fixture();
        // Published entries, then unpublished drafts: (Markdown let go of, HTML not in the
        // site, HTML marked as not in the site) for each.
        type Bodies3 = Vec<(bool, bool, bool)>;
        let entries = |analyzed: &Analyzed| -> (Bodies3, Bodies3) {
            let site = &analyzed.site;
            site.ids()
                .zip(&site.pages)
                .filter(|(_, p)| p.kind == PageKind::Entry && !p.broken)
                .filter_map(|(i, p)| {
                    let r = site.rendered(i)?;
                    let e = (p.text.is_empty(), r.html.is_empty(), r.html_deferred);
                    Some((site.is_published(i), e))
                })
                .fold(
                    (Vec::new(), Vec::new()),
                    |(mut shown, mut drafts), (published, e)| {
                        if published { &mut shown } else { &mut drafts }.push(e);
                        (shown, drafts)
                    },
                )
        };
        assert!(!config.build.drafts);

        let (analyzed, parts) =
            analyze_parts(&options, config.clone(), Purpose::Publish, Bodies::Held).unwrap();
        assert_eq!(parts.bodies, Bodies::Held);
        assert!(parts.released.is_none(), "nothing is read again");
        assert!(parts.spilled.is_none());
        let (held, drafts) = entries(&analyzed);
        assert!(held.len() >= 2, "the fixture has entries");
        assert!(!drafts.is_empty(), "the fixture has a draft");
        // Markdown let go of, HTML made and held in the site; none made for a draft.
        assert!(held.iter().all(|&e| e == (true, false, false)), "{held:?}");
        assert!(
            drafts.iter().all(|&e| e == (true, true, true)),
            "{drafts:?}"
        );

        let options = Options {
            hold_bodies_up_to: Some(0),
            ..options
        };
        let (analyzed, parts) =
            analyze_parts(&options, config, Purpose::Publish, Bodies::Held).unwrap();
        assert_eq!(parts.bodies, Bodies::Held);
        assert!(parts.released.is_none(), "nothing is read again");
        let (spilled, _) = entries(&analyzed);
        // Markdown let go of, HTML in the spill file.
        assert!(
            spilled.iter().all(|&e| e == (true, true, true)),
            "{spilled:?}"
        );
        let Some(spill) = &parts.spilled else {
            panic!("past the limit the HTML is spilled");
        };
        let (i, _) = analyzed
            .site
            .ids()
            .zip(&analyzed.site.pages)
            .find(|&(i, p)| p.kind == PageKind::Entry && analyzed.site.is_published(i))
            .unwrap();
        assert!(spill.take(i).unwrap().contains("<p>"));
    }

    /// Every file a build of the fixture makes with `bodies`.
    fn produced(options: &Options, config: &Config, bodies: Bodies) -> Vec<(String, Vec<u8>)> {
        let files = std::sync::Mutex::new(Vec::new());
        produce(
            options,
            config.clone(),
            &|f| files.lock().unwrap().push((f.path, f.bytes)),
            Purpose::Publish,
            bodies,
        )
        .unwrap();
        let mut files = files.into_inner().unwrap();
        files.sort();
        files
    }

    #[test]
    fn bodies_held_spilled_or_rendered_again_make_the_same_site() {
        let (_dir, options, config) = basic_fixture();
        let held = produced(&options, &config, Bodies::Held);
        assert!(held.len() > 10);
        let spilling = Options {
            hold_bodies_up_to: Some(0),
            ..options.clone()
        };
        assert!(produced(&spilling, &config, Bodies::Held) == held);
        assert!(produced(&options, &config, Bodies::Deferred) == held);
    }

    #[test]
    fn released_sources_read_back_as_they_were_and_a_changed_one_is_refused() {
        let (dir, options, config) = basic_fixture();
        let (analyzed, parts) =
            analyze_parts(&options, config, Purpose::Publish, Bodies::Deferred).unwrap();
        let released = parts.released.unwrap();
        let let_go: Vec<&Page> = analyzed
            .site
            .pages
            .iter()
            .filter(|p| p.released_from.is_some())
            .collect();
        assert!(let_go.len() >= 2, "the fixture has entries");
        assert!(let_go.iter().all(|p| p.text.is_empty()));
        // Plain pages keep their text.
        assert!(
            analyzed
                .site
                .pages
                .iter()
                .any(|p| p.kind == PageKind::Plain && !p.text.is_empty())
        );

        // A later stage's diagnostic reads a let-go page's file again for its line.
        assert!(let_go.iter().all(|p| {
            p.released_from.as_ref().map(|r| r.path.as_path())
                == Some(dir.path().join(&p.file).as_path())
                && !p.source_text().is_empty()
        }));

        let (changed, kept) = (let_go[0], let_go[1]);
        let on_disk = |p: &Page| std::fs::read_to_string(dir.path().join(&p.file)).unwrap();
        assert_eq!(released.text(kept).as_deref(), Some(on_disk(kept).as_str()));

        let mut text = on_disk(changed);
        text.push_str("\nA line added while the site was being written.\n");
        std::fs::write(dir.path().join(&changed.file), text).unwrap();
        assert_eq!(released.text(changed), None);
        let errors = released.take_changed();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "changed");
        assert_eq!(errors[0].file, changed.file);
        assert!(errors[0].is_error());
    }

    #[test]
    fn a_body_error_found_after_the_markdown_is_let_go_of_points_at_its_line() {
        let (dir, options, config) = basic_fixture();
        let (analyzed, parts) =
            analyze_parts(&options, config.clone(), Purpose::Publish, Bodies::Deferred).unwrap();
        let entry = analyzed
            .site
            .pages
            .iter()
            .find(|p| p.released_from.is_some())
            .expect("the fixture has entries");
        let path = dir.path().join(&entry.file);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\nSee [the missing page](no-such-page.md) too.\n");
        std::fs::write(&path, &text).unwrap();
        let line = text.lines().count();
        drop(parts);

        let failure = produce(
            &options,
            config,
            &|_| {},
            Purpose::Publish,
            Bodies::Deferred,
        );
        let Err(Failure::Invalid(diags)) = failure else {
            panic!("a broken link fails the build");
        };
        let d = diags
            .iter()
            .find(|d| d.file == entry.file && d.code == "broken-link")
            .unwrap_or_else(|| panic!("{diags:?}"));
        assert_eq!((d.line, d.column), (line, 5), "{d:?}");
        assert_eq!(
            d.line_text.as_deref(),
            Some("See [the missing page](no-such-page.md) too.")
        );
    }
}
