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
    let mut timer = Timer::new();
    let theme =
        theme::load(&options.root, config.build.theme.as_deref()).map_err(Failure::Setup)?;
    let content_dir = options.root.join(&config.build.content);
    let loaded = content::load::load(&options.root, &content_dir);
    let mut diags = loaded.diagnostics;
    timer.lap("load");

    let checked: Vec<(Page, Vec<Diagnostic>)> = loaded
        .sources
        .into_par_iter()
        .map(|s| content::schema::check(s, &config))
        .collect();
    let mut pages = Vec::with_capacity(checked.len());
    for (page, mut d) in checked {
        diags.append(&mut d);
        pages.push(page);
    }
    timer.lap("schema");

    let urls = Urls::new(&config);
    let page_urls: HashMap<String, String> = pages
        .iter()
        .filter(|p| !p.broken)
        .map(|p| (p.rel.clone(), urls.link(&p.url)))
        .collect();
    let targets = LinkTargets {
        pages: &page_urls,
        base_path: &urls.base_path,
    };
    let md_options = MarkdownOptions {
        unsafe_html: config.markdown.unsafe_html,
        smart_punctuation: config.markdown.smart_punctuation,
        highlight: config.markdown.highlight.then(|| Themes {
            light: config.markdown.highlight_theme_light.clone(),
            dark: config.markdown.highlight_theme_dark.clone(),
        }),
    };
    let rendered: Vec<markdown::Rendered> = pages
        .par_iter()
        .map(|p| {
            if p.broken {
                markdown::Rendered::default()
            } else {
                markdown::render(&p.text, p.body_start, p.source_dir(), &targets, &md_options)
            }
        })
        .collect();
    timer.lap("markdown");

    let assets: HashSet<String> = loaded.assets.iter().map(|(rel, _)| rel.clone()).collect();
    let mut static_paths: HashSet<String> = theme.statics.keys().cloned().collect();
    static_paths.insert("/highlight.css".into());
    let (mut site, mut site_diags) = site::build(
        &config,
        pages,
        rendered,
        &assets,
        &static_paths,
        config.build.drafts,
    );
    site.assets = loaded.assets;
    diags.append(&mut site_diags);
    diagnostics::sort(&mut diags);
    timer.lap("graph");
    Ok(Analyzed {
        config,
        theme,
        site,
        diagnostics: diags,
    })
}

/// `opsbook check`: the whole pipeline except writing; every diagnostic, errors and warnings.
pub fn check(options: &Options) -> Result<Vec<Diagnostic>, Failure> {
    let config = load_config(options)?;
    match produce(options, config, &|_| {}) {
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
    let produced = produce(options, config, &|f| {
        files.lock().unwrap_or_else(|p| p.into_inner()).push(f)
    })?;
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

/// Runs the whole pipeline, handing every generated file to `sink` as soon as it is ready.
fn produce(options: &Options, config: Config, sink: &render::Sink) -> Result<Produced, Failure> {
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
    let (mut paths, template_errors) = render::render_site(&site, &config, &theme, sink);
    timer.lap("templates");
    if !template_errors.is_empty() {
        let mut all = diags;
        all.extend(template_errors);
        diagnostics::sort(&mut all);
        return Err(Failure::Invalid(all));
    }
    let html_pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    let urls = Urls::new(&config);
    let mut extras = emit::feed::feeds(&site, &config.book.title, &urls);
    extras.extend(emit::sitemap::aliases(&site, &urls));
    paths.extend(extras.iter().map(|f| f.path.clone()));
    let html: Vec<&str> = paths.iter().map(String::as_str).collect();
    extras.push(emit::sitemap::sitemap(&html, &site, &urls));
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
    let mut copies: Vec<(String, StaticFile)> = theme.statics.into_iter().collect();
    copies.extend(
        site.assets
            .iter()
            .map(|(rel, path)| (format!("/{rel}"), StaticFile::Disk(path.clone()))),
    );
    // Generated files win over copied ones with the same path.
    copies.retain(|(p, _)| !written.contains(p.as_str()));
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
    let produced = produce(options, config, &|f| {
        staging.put(&f);
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })?;
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
