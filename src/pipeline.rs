//! The pipeline, end to end: config → load → front matter and schema → markdown → site graph →
//! templates → output. `build`, `check` (and later `serve`) are this one function with
//! different endings; every stage adds to one list of diagnostics.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{Config, LoadError};
use crate::content::{self, Page};
use crate::diagnostics::{self, Diagnostic};
use crate::emit::{self, Output};
use crate::highlight::Themes;
use crate::markdown::{self, LinkTargets, MarkdownOptions};
use crate::render::{self, OutputFile, Urls};
use crate::site::{self, Site};
use crate::theme::{self, StaticFile};

/// What a run of the pipeline is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Publish drafts.
    pub drafts: bool,
    /// Overrides `[book] base_url`.
    pub base_url: Option<String>,
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
    pub output: Output,
    /// Warnings (errors make the run fail instead).
    pub diagnostics: Vec<Diagnostic>,
}

/// Prints how long each stage took when `OPSBOOK_TIMINGS` is set (for `bench/`).
struct Timer {
    enabled: bool,
    last: std::time::Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("OPSBOOK_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }
    fn lap(&mut self, stage: &str) {
        if self.enabled {
            eprintln!(
                "[timing] {stage:<10} {:>7.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = std::time::Instant::now();
    }
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

/// Everything up to the site graph.
pub struct Analyzed {
    pub config: Config,
    pub theme: theme::Theme,
    pub site: Site,
    /// All diagnostics, errors included, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage up to and including the site graph — what `check` reports.
pub fn analyze(options: &Options, config: Config) -> Result<Analyzed, Failure> {
    let (analyzed, _) = analyze_parts(options, config)?;
    Ok(analyzed)
}

/// What `serve` keeps besides the graph to update it after an edit.
struct Parts {
    load_diags: Vec<Diagnostic>,
    page_diags: Vec<Vec<Diagnostic>>,
    page_urls: HashMap<String, String>,
}

fn analyze_parts(options: &Options, config: Config) -> Result<(Analyzed, Parts), Failure> {
    let mut timer = Timer::new();
    let theme =
        theme::load(&options.root, config.build.theme.as_deref()).map_err(Failure::Setup)?;
    let content_dir = options.root.join(&config.build.content);
    let loaded = content::load::load(&options.root, &content_dir);
    timer.lap("load");

    let checked: Vec<(Page, Vec<Diagnostic>)> = loaded
        .sources
        .into_par_iter()
        .map(|s| content::schema::check(s, &config))
        .collect();
    let (pages, page_diags): (Vec<Page>, Vec<Vec<Diagnostic>>) = checked.into_iter().unzip();
    timer.lap("schema");

    let urls = Urls::new(&config);
    let page_urls: HashMap<String, String> = pages
        .iter()
        .filter(|p| !p.broken)
        .map(|p| (p.rel.clone(), urls.link(&p.url)))
        .collect();
    let md_options = markdown_options(&config);
    let rendered: Vec<markdown::Rendered> = pages
        .par_iter()
        .map(|p| render_markdown(p, &page_urls, &urls, &md_options))
        .collect();
    timer.lap("markdown");

    let (site, site_diags) = graph(&config, &theme, pages, rendered, loaded.assets);
    let mut diags: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .chain(page_diags.iter().flatten())
        .chain(&site_diags)
        .cloned()
        .collect();
    diagnostics::sort(&mut diags);
    timer.lap("graph");
    let parts = Parts {
        load_diags: loaded.diagnostics,
        page_diags,
        page_urls,
    };
    Ok((
        Analyzed {
            config,
            theme,
            site,
            diagnostics: diags,
        },
        parts,
    ))
}

fn markdown_options(config: &Config) -> MarkdownOptions {
    MarkdownOptions {
        unsafe_html: config.markdown.unsafe_html,
        smart_punctuation: config.markdown.smart_punctuation,
        highlight: config.markdown.highlight.then(|| Themes {
            light: config.markdown.highlight_theme_light.clone(),
            dark: config.markdown.highlight_theme_dark.clone(),
        }),
    }
}

fn render_markdown(
    page: &Page,
    page_urls: &HashMap<String, String>,
    urls: &Urls,
    options: &MarkdownOptions,
) -> markdown::Rendered {
    if page.broken {
        return markdown::Rendered::default();
    }
    crate::diagnostics::working_on(&page.file);
    let targets = LinkTargets {
        pages: page_urls,
        base_path: &urls.base_path,
    };
    markdown::render(
        &page.text,
        page.body_start,
        page.source_dir(),
        &targets,
        options,
    )
}

fn graph(
    config: &Config,
    theme: &theme::Theme,
    pages: Vec<Page>,
    rendered: Vec<markdown::Rendered>,
    assets: Vec<(String, PathBuf)>,
) -> (Site, Vec<Diagnostic>) {
    let asset_set: HashSet<String> = assets.iter().map(|(rel, _)| rel.clone()).collect();
    let mut static_paths: HashSet<String> = theme.statics.keys().cloned().collect();
    static_paths.insert("/highlight.css".into());
    let (mut site, diags) = site::build(
        config,
        pages,
        rendered,
        &asset_set,
        &static_paths,
        config.build.drafts,
    );
    site.assets = assets;
    let mut diags = diags;
    diags.extend(draw_charts(config, &mut site));
    (site, diags)
}

/// Reads the CSV file each entry of a collection with `charts` names and draws it; a missing
/// or malformed file is an error at the field.
fn draw_charts(config: &Config, site: &mut Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let Some(field) = page
            .collection
            .as_deref()
            .and_then(|c| config.collection(c))
            .and_then(|c| c.charts.as_deref())
        else {
            continue;
        };
        let Some(name) = page.fields.get(field).and_then(|v| v.as_str()) else {
            continue;
        };
        let span = page
            .key_spans
            .iter()
            .find(|(k, _)| k == field)
            .map_or(0..0, |(_, s)| s.clone());
        let at = |message: String, help: &str| {
            Diagnostic::at(&page.file, &page.text, span.clone(), "chart", message).help(help)
        };
        let dir = page.source_dir();
        let rel = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        let Some((_, path)) = site.assets.iter().find(|(r, _)| *r == rel) else {
            diags.push(at(
                format!("`{name}` is not a file beside this entry"),
                "put the CSV file (question,answer,count) in the same folder and give its file name",
            ));
            continue;
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(at(
                    format!("cannot read `{name}`: {e}"),
                    "save it as UTF-8 text",
                ));
                continue;
            }
        };
        match crate::chart::charts(&text) {
            Ok(q) => {
                site.charts.insert(i, (format!("/{rel}"), q));
            }
            Err(e) => diags.push(at(
                format!("{name}, line {}: {}", e.line, e.message),
                "each row is question,answer,count with a whole-number count",
            )),
        }
    }
    diags
}

/// A site kept in memory by `serve`: a full build once, then edits of existing entries are
/// applied incrementally (re-read, re-check and re-render that file, rebuild the graph, and
/// re-render only the pages whose output can change).
pub struct Session {
    options: Options,
    config: Config,
    theme: theme::Theme,
    site: Site,
    renderer: render::Renderer,
    parts: Parts,
    /// Site paths of every list, index and feed page, to notice when an edit adds or removes one.
    generated: Vec<String>,
    /// Every rendered page path (for the sitemap after a partial update).
    rendered_paths: Vec<String>,
    /// Each page's entry in the JSON API, kept between edits (None: not made yet or stale).
    api_json: Vec<Option<Vec<u8>>>,
}

/// A started session, the files to copy beside the rendered ones, and the warnings.
pub type Started = (Session, Vec<(String, StaticFile)>, Vec<Diagnostic>);

/// What an update did.
#[derive(Debug)]
pub enum Update {
    /// Only these files changed (already handed to the sink).
    Partial { rendered: usize },
    /// The change needs a full rebuild (templates, config, a new, moved or deleted file…).
    NeedsFull,
}

impl Session {
    /// Builds everything into `sink`. Returns the session, the files to copy and the warnings.
    pub fn start(options: &Options, sink: &render::Sink) -> Result<Started, Failure> {
        let config = load_config(options)?;
        let (analyzed, parts) = analyze_parts(options, config)?;
        let Analyzed {
            config,
            theme,
            site,
            diagnostics: diags,
        } = analyzed;
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::Invalid(diags));
        }
        let renderer = render::Renderer::new(&site, &config, &theme).map_err(Failure::Invalid)?;
        // The search bundle is built once here; edits keep it (rebuilding it per keystroke
        // would cost more than the edit itself).
        let (paths, template_errors) = render_all(&renderer, &site, &config, sink, true);
        if !template_errors.is_empty() {
            return Err(Failure::Invalid(template_errors));
        }
        let copies = finish(&config, &theme, &site, paths.clone(), sink);
        let generated = site::generated_urls(&site);
        Ok((
            Session {
                options: options.clone(),
                config,
                theme,
                site,
                renderer,
                parts,
                generated,
                rendered_paths: paths,
                api_json: Vec::new(),
            },
            copies,
            diags,
        ))
    }

    /// Applies changes to `paths`. Handles edits of existing Markdown entries whose URL, aliases
    /// and draft state stay the same; anything else answers [`Update::NeedsFull`].
    pub fn update(&mut self, paths: &[PathBuf], sink: &render::Sink) -> Result<Update, Failure> {
        let content_dir = self.options.root.join(&self.config.build.content);
        let mut timer = Timer::new();
        let urls = Urls::new(&self.config);
        let md_options = markdown_options(&self.config);
        let mut updates = Vec::new();
        for path in paths {
            let Ok(rel) = path.strip_prefix(&content_dir) else {
                return Ok(Update::NeedsFull);
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let Some(i) = self
                .site
                .index_of(&rel)
                .filter(|_| rel.ends_with(".md") && path.is_file())
            else {
                return Ok(Update::NeedsFull);
            };
            // A file that can no longer be read is reported by the full rebuild.
            let Ok(source) = content::load::read_source(&self.options.root, &rel, path) else {
                return Ok(Update::NeedsFull);
            };
            let (page, diags) = content::schema::check(source, &self.config);
            let Some(old) = self.site.pages.get(i) else {
                return Ok(Update::NeedsFull);
            };
            let same_aliases = page
                .aliases
                .iter()
                .map(|a| &a.0)
                .eq(old.aliases.iter().map(|a| &a.0));
            if page.url != old.url
                || !same_aliases
                || page.draft != old.draft
                || page.broken != old.broken
            {
                return Ok(Update::NeedsFull);
            }
            let rendered = render_markdown(&page, &self.parts.page_urls, &urls, &md_options);
            updates.push((i, page, rendered, diags));
        }
        let ids: Vec<usize> = updates.iter().map(|(i, ..)| *i).collect();
        let mut pages: HashSet<usize> = HashSet::new();
        let mut lists: HashSet<render::Job> = HashSet::new();

        // The common case while writing: nothing another page or list shows changed. The graph
        // stays as it is and only the page itself is rendered again.
        if updates
            .iter()
            .all(|(i, page, r, diags)| self.only_body_changed(*i, page, r, diags))
        {
            self.install(updates);
            pages.extend(&ids);
            timer.lap("body-only");
            return self.render_partial(&pages, &lists, Extras::None, sink);
        }
        // Fields that other pages and lists show changed, but nothing the graph is built from:
        // keep the graph; render the page, its neighbours and the list pages holding it.
        if updates
            .iter()
            .all(|(i, page, r, diags)| self.same_structure(*i, page, r, diags))
        {
            self.install(updates);
            for &i in &ids {
                pages.extend(self.site.neighbours(i));
                lists_of(&self.site, &self.config, i, false, &mut lists);
            }
            timer.lap("fields-only");
            return self.render_partial(&pages, &lists, Extras::Feeds, sink);
        }
        // Anything else: rebuild the graph, then render what showed the pages before the edit
        // and what shows them after it.
        for &i in &ids {
            pages.extend(self.site.neighbours(i));
            lists_of(&self.site, &self.config, i, true, &mut lists);
        }
        self.install(updates);
        let site_pages = std::mem::take(&mut self.site.pages);
        let rendered = std::mem::take(&mut self.site.rendered);
        let assets = std::mem::take(&mut self.site.assets);
        let (site, site_diags) = graph(&self.config, &self.theme, site_pages, rendered, assets);
        self.site = site;
        timer.lap("graph");
        let mut diags: Vec<Diagnostic> = self
            .parts
            .load_diags
            .iter()
            .chain(self.parts.page_diags.iter().flatten())
            .chain(&site_diags)
            .cloned()
            .collect();
        diagnostics::sort(&mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::Invalid(diags));
        }
        if site::generated_urls(&self.site) != self.generated {
            return Ok(Update::NeedsFull);
        }
        for &i in &ids {
            pages.extend(self.site.neighbours(i));
            lists_of(&self.site, &self.config, i, true, &mut lists);
        }
        self.render_partial(&pages, &lists, Extras::All, sink)
    }

    /// Puts new versions of pages in place (the graph is left as it is).
    fn install(&mut self, updates: Vec<(usize, Page, markdown::Rendered, Vec<Diagnostic>)>) {
        for (i, page, r, diags) in updates {
            if let Some(slot) = self.api_json.get_mut(i) {
                *slot = None;
            }
            if let Some(slot) = self.site.pages.get_mut(i) {
                *slot = page;
            }
            if let Some(slot) = self.site.rendered.get_mut(i) {
                *slot = r;
            }
            if let Some(slot) = self.parts.page_diags.get_mut(i) {
                *slot = diags;
            }
        }
    }

    /// Renders `pages` and `lists` (every file when the site-wide context changed) and the
    /// `extras` they affect.
    fn render_partial(
        &mut self,
        pages: &HashSet<usize>,
        lists: &HashSet<render::Job>,
        extras: Extras,
        sink: &render::Sink,
    ) -> Result<Update, Failure> {
        let mut timer = Timer::new();
        let mut ids: Vec<usize> = pages.iter().copied().collect();
        ids.sort_unstable();
        let everything = self.renderer.refresh(&self.site, &self.config, &ids);
        timer.lap("refresh");
        let jobs: Vec<render::Job> = render::jobs(&self.site, &self.config)
            .into_iter()
            .filter(|j| {
                everything
                    || match j {
                        render::Job::Page(p) => pages.contains(p),
                        other => lists.contains(other),
                    }
            })
            .collect();
        let (paths, template_errors) = self.renderer.render(&self.site, &self.config, &jobs, sink);
        timer.lap(if everything {
            "render all"
        } else {
            "render some"
        });
        if !template_errors.is_empty() {
            return Err(Failure::Invalid(template_errors));
        }
        match if everything { Extras::All } else { extras } {
            Extras::None => {}
            // Paths and dates are unchanged, so the sitemap is too; feeds and the JSON API show
            // titles, fields and summaries.
            Extras::Feeds => {
                let urls = Urls::new(&self.config);
                let edited: HashSet<&str> = pages
                    .iter()
                    .filter_map(|&i| self.site.pages.get(i)?.collection.as_deref())
                    .collect();
                let feeds = emit::feed::feeds(&self.site, &self.config.book.title, &urls);
                // The API files of the edited collections: only the edited entries' JSON is
                // made again, the rest comes from the cache.
                self.api_json.resize(self.site.pages.len(), None);
                for (name, c) in &self.site.collections {
                    if !edited.contains(name.as_str()) {
                        continue;
                    }
                    for &i in &c.entries {
                        if let Some(slot) = self.api_json.get_mut(i)
                            && slot.is_none()
                        {
                            *slot = Some(emit::api::entry(&self.site, &urls, i));
                        }
                    }
                }
                let cache = &self.api_json;
                let api = emit::api::files_of(
                    &self.site,
                    |c| edited.contains(c),
                    |i| match cache.get(i).and_then(Option::as_deref) {
                        Some(json) => std::borrow::Cow::Borrowed(json),
                        None => std::borrow::Cow::Owned(Vec::new()),
                    },
                );
                for f in feeds.into_iter().chain(api) {
                    sink(f);
                }
            }
            Extras::All => {
                self.api_json.clear();
                let _ = finish(
                    &self.config,
                    &self.theme,
                    &self.site,
                    self.rendered_paths.clone(),
                    sink,
                );
            }
        }
        timer.lap("extras");
        Ok(Update::Partial {
            rendered: paths.len(),
        })
    }
}

/// Which generated files besides pages a partial update must write again.
#[derive(Debug, Clone, Copy)]
enum Extras {
    None,
    Feeds,
    All,
}

impl Session {
    /// True when page `i`'s new version keeps everything the site graph is built from: its
    /// refs, links, heading ids, index values, terms, and what its lists sort and flag by
    /// (title, date, weight, the `sort_by` and `stale_after` fields); no diagnostics before or
    /// after; an entry or plain page. Other fields and the body may differ.
    fn same_structure(
        &self,
        i: usize,
        page: &Page,
        r: &markdown::Rendered,
        diags: &[Diagnostic],
    ) -> bool {
        let (Some(old), Some(old_r)) = (self.site.pages.get(i), self.site.rendered.get(i)) else {
            return false;
        };
        let refs = |p: &Page| {
            p.refs
                .iter()
                .map(|r| (r.field.clone(), r.collection.clone(), r.slug.clone()))
                .collect::<Vec<_>>()
        };
        let links =
            |r: &markdown::Rendered| r.links.iter().map(|l| l.target.clone()).collect::<Vec<_>>();
        let coll = page
            .collection
            .as_deref()
            .and_then(|c| self.config.collection(c));
        let keyed = [
            coll.and_then(|c| c.sort_by.clone()),
            coll.and_then(|c| c.stale_after.as_ref().map(|s| s.field.clone())),
        ];
        let same_keys = keyed
            .iter()
            .flatten()
            .all(|f| page.fields.get(f) == old.fields.get(f));
        diags.is_empty()
            && self.parts.page_diags.get(i).is_some_and(Vec::is_empty)
            && !self.site.stale.get(i).copied().unwrap_or(false)
            && matches!(
                page.kind,
                content::PageKind::Entry | content::PageKind::Plain
            )
            && page.title == old.title
            && page.date == old.date
            && page.weight == old.weight
            && same_keys
            && page.terms == old.terms
            && page.index_values == old.index_values
            && refs(page) == refs(old)
            && links(r) == links(old_r)
            && r.heading_ids == old_r.heading_ids
    }

    /// True when, beyond [`Session::same_structure`], nothing another page or list shows
    /// changed either: description, dates, template, fields and summary are the same.
    fn only_body_changed(
        &self,
        i: usize,
        page: &Page,
        r: &markdown::Rendered,
        diags: &[Diagnostic],
    ) -> bool {
        let (Some(old), Some(old_r)) = (self.site.pages.get(i), self.site.rendered.get(i)) else {
            return false;
        };
        self.same_structure(i, page, r, diags)
            && page.description == old.description
            && page.updated == old.updated
            && page.template == old.template
            && page.fields == old.fields
            && r.summary == old_r.summary
    }
}

/// The list pages that show page `i`: its collection (every page of it when its position may
/// have `moved`, else the one holding it), its folder, the values of its indexed fields and taxonomy terms (with their roots,
/// whose counts may change), and the home page if it is the home page.
fn lists_of(site: &Site, config: &Config, i: usize, moved: bool, into: &mut HashSet<render::Job>) {
    use render::Job;
    let Some(page) = site.pages.get(i) else {
        return;
    };
    if site.home == Some(i) {
        into.insert(Job::Home);
    }
    let Some(c) = page.collection.clone() else {
        return;
    };
    let per = config
        .collection(&c)
        .and_then(|c| c.paginate_by)
        .filter(|&n| n > 0);
    let entries = site
        .collections
        .get(c.as_str())
        .map_or(0, |coll| coll.entries.len());
    let pages = per.map_or(1, |n| entries.div_ceil(n).max(1));
    let holding = match (per, site.collections.get(c.as_str())) {
        (Some(n), Some(coll)) => coll
            .entries
            .iter()
            .position(|&e| e == i)
            .map(|pos| pos / n + 1),
        _ => Some(1),
    };
    for page_no in 1..=pages {
        if moved || Some(page_no) == holding {
            into.insert(Job::List {
                collection: c.clone(),
                folder: None,
                page_no,
            });
        }
    }
    if !page.folders.is_empty() {
        into.insert(Job::List {
            collection: c.clone(),
            folder: Some(page.folders.join("/")),
            page_no: 1,
        });
    }
    // The roots list values with counts: they change only when the entry's values do.
    for (field, value) in &page.index_values {
        if moved {
            into.insert(Job::FieldTerms {
                collection: c.clone(),
                field: field.clone(),
            });
        }
        into.insert(Job::FieldTerm {
            collection: c.clone(),
            field: field.clone(),
            slug: crate::slug::slugify(value),
        });
    }
    for (tax, value) in &page.terms {
        if moved {
            into.insert(Job::Taxonomy { name: tax.clone() });
        }
        into.insert(Job::TaxonomyTerm {
            name: tax.clone(),
            slug: crate::slug::slugify(value),
        });
    }
}

/// Feeds, aliases, sitemap, robots and the highlight stylesheet into `sink`; returns the files
/// to copy (theme and site static files, content assets) that no generated file replaces.
fn finish(
    config: &Config,
    theme: &theme::Theme,
    site: &Site,
    mut paths: Vec<String>,
    sink: &render::Sink,
) -> Vec<(String, StaticFile)> {
    let urls = Urls::new(config);
    let mut extras = emit::feed::feeds(site, &config.book.title, &urls);
    extras.extend(emit::sitemap::aliases(site, &urls));
    paths.extend(extras.iter().map(|f| f.path.clone()));
    // Not pages: kept out of the sitemap.
    extras.extend(emit::api::files(site, &urls));
    let html: Vec<&str> = paths.iter().map(String::as_str).collect();
    extras.push(emit::sitemap::sitemap(&html, site, &urls));
    extras.push(emit::sitemap::robots(&urls));
    if config.markdown.highlight {
        let themes = Themes {
            light: config.markdown.highlight_theme_light.clone(),
            dark: config.markdown.highlight_theme_dark.clone(),
        };
        extras.push(OutputFile {
            path: "/highlight.css".into(),
            bytes: crate::highlight::stylesheet(&themes).into_bytes(),
        });
    }
    let written: HashSet<String> = paths
        .into_iter()
        .chain(extras.iter().map(|f| f.path.clone()))
        .collect();
    for f in extras {
        sink(f);
    }
    let mut copies: Vec<(String, StaticFile)> = theme
        .statics
        .iter()
        .map(|(p, f)| (p.clone(), f.clone()))
        .collect();
    copies.extend(
        site.assets
            .iter()
            .map(|(rel, path)| (format!("/{rel}"), StaticFile::Disk(path.clone()))),
    );
    copies.retain(|(p, _)| !written.contains(p.as_str()));
    copies
}

/// `opsbook check`: the whole pipeline except writing; every diagnostic, errors and warnings.
pub fn check(options: &Options) -> Result<Vec<Diagnostic>, Failure> {
    let config = load_config(options)?;
    match produce(options, config, &|_| {}, false) {
        Ok(p) => Ok(p.diagnostics),
        Err(Failure::Invalid(d)) => Ok(d),
        Err(e) => Err(e),
    }
}

/// Generates the whole site in memory (for `serve` and tests). Fails with every diagnostic if
/// there is any error.
pub fn generate(options: &Options) -> Result<Generated, Failure> {
    let config = load_config(options)?;
    let files = std::sync::Mutex::new(Vec::new());
    let produced = produce(
        options,
        config,
        &|f| files.lock().unwrap_or_else(|p| p.into_inner()).push(f),
        true,
    )?;
    let files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(Generated {
        config: produced.config,
        site: produced.site,
        output: Output {
            files,
            copies: produced.copies,
        },
        diagnostics: produced.diagnostics,
    })
}

/// A site rendered into a sink: what remains to copy, and the warnings.
struct Produced {
    config: Config,
    site: Site,
    copies: Vec<(String, StaticFile)>,
    html_pages: usize,
    diagnostics: Vec<Diagnostic>,
}

/// Renders every page into `sink` and, beside it, the search bundle when the site has search
/// and `index` asks for it. Returns the rendered paths and the template errors.
fn render_all(
    renderer: &render::Renderer,
    site: &Site,
    config: &Config,
    sink: &render::Sink,
    index: bool,
) -> (Vec<String>, Vec<Diagnostic>) {
    let (rendered, search) = rayon::join(
        || renderer.render(site, config, &render::jobs(site, config), sink),
        || {
            if index && site.search {
                emit::search::bundle(site, config, &Urls::new(config))
            } else {
                Vec::new()
            }
        },
    );
    for f in search {
        sink(f);
    }
    rendered
}

/// Runs the whole pipeline, handing every generated file to `sink` as soon as it is ready;
/// `index` builds the search bundle too (`check` skips it).
fn produce(
    options: &Options,
    config: Config,
    sink: &render::Sink,
    index: bool,
) -> Result<Produced, Failure> {
    let Analyzed {
        config,
        theme,
        site,
        diagnostics: diags,
    } = analyze(options, config)?;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Invalid(diags));
    }
    let mut timer = Timer::new();
    let (paths, template_errors) = match render::Renderer::new(&site, &config, &theme) {
        Ok(renderer) => render_all(&renderer, &site, &config, sink, index),
        Err(d) => (Vec::new(), d),
    };
    timer.lap("templates+search");
    if !template_errors.is_empty() {
        let mut all = diags;
        all.extend(template_errors);
        diagnostics::sort(&mut all);
        return Err(Failure::Invalid(all));
    }
    let html_pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    let copies = finish(&config, &theme, &site, paths, sink);
    timer.lap("extras");
    Ok(Produced {
        config,
        site,
        copies,
        html_pages,
        diagnostics: diags,
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
    let config = load_config(options)?;
    let out_dir = out.unwrap_or_else(|| options.root.join(&config.build.output));
    let staging =
        emit::Staging::begin(&options.root, &out_dir).map_err(|e| Failure::Setup(e.to_string()))?;
    let files = std::sync::atomic::AtomicUsize::new(0);
    let produced = produce(
        options,
        config,
        &|f| {
            staging.put(&f);
            files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
        true,
    )?;
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
        warnings: produced.diagnostics,
    })
}
