//! Templates: turns the site graph into HTML with Tera 2 (autoescape on). Owns the template
//! context (documented in docs/templates.md), the choice of template per page, the template
//! functions `get_page` / `get_url`, the `date`, `slugify` and `spdx` filters, and renders
//! every page in parallel.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use std::sync::{Arc, RwLock};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{Value as Json, json};
use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::content::{PageDate, PageKind};
use crate::diagnostics::Diagnostic;
use crate::output::file_of;
use crate::plan::{Paginator, Route, RouteKind, SEARCH_PATH};
use crate::site::{PageId, Site, Term};
use crate::theme::Theme;

pub use crate::output::{OutputFile, Urls};

/// Loads the theme's templates into Tera and registers our functions and filters. `pages` maps
/// content paths to page summaries for `get_page` / `get_url` (updated in place by `serve`).
fn templates(
    theme: &Theme,
    config: &Config,
    pages: Arc<RwLock<HashMap<String, tera::Value>>>,
    urls: Urls,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.register_filter("date", date_filter);
    register_value_label(&mut tera, config);
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(value)
    });
    // `{% for part in page.fields.license | spdx %}`: a licence expression in parts, each SPDX
    // identifier with the `url` of its licence text (src/spdx.rs).
    tera.register_filter("spdx", |value: &str, _: Kwargs, _: &State| {
        tera::Value::from_serializable(&crate::spdx::parts(value))
    });
    let lookup = pages.clone();
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
        let path: &str = kwargs.must_get("path")?;
        // `required=false`: a theme that serves sites with and without the page asks for null.
        let required: bool = kwargs.get("required")?.unwrap_or(true);
        let map = lookup.read().unwrap_or_else(|p| p.into_inner());
        match map.get(path.trim_start_matches('/')) {
            Some(page) => Ok(page.clone()),
            None if !required => Ok(tera::Value::none()),
            None => Err(tera::Error::message(format!("get_page: no page `{path}` (give a path relative to content/, e.g. tools/kubeadm.md, or pass required=false to get null)"))),
        }
    });
    let lookup = pages;
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            if path.ends_with(".md") {
                let map = lookup.read().unwrap_or_else(|p| p.into_inner());
                return map
                    .get(path.trim_start_matches('/'))
                    .and_then(|p| {
                        p.get_from_path("url")
                            .and_then(|u| u.as_str().map(str::to_string))
                    })
                    .ok_or_else(|| tera::Error::message(format!("get_url: no page `{path}`")));
            }
            Ok(urls.link(&format!("/{}", path.trim_start_matches('/'))))
        },
    );
    // All at once, so that inheritance between them resolves.
    let all = theme
        .templates
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()));
    if let Err(e) = tera.add_raw_templates(all) {
        return Err(vec![template_error(&e, "templates", |name| {
            theme
                .templates
                .get(name)
                .map(|(f, t)| (f.as_str(), t.as_str()))
        })]);
    }
    let mut diags = Vec::new();
    for required in ["page.html", "list.html"] {
        if !tera.contains_template(required) {
            diags.push(
                Diagnostic::file(
                    "templates",
                    "template",
                    format!("the theme has no `{required}` template"),
                )
                .help("add it to templates/ or pick a theme that has it"),
            );
        }
    }
    if diags.is_empty() {
        Ok(tera)
    } else {
        Err(diags)
    }
}

/// A Tera error as a diagnostic: at the file, line and column of the mistake when Tera gives
/// them (a syntax or rendering error: in the template that holds it, which for a block of
/// `base.html` is `base.html`, not the page's template that extends it), else at 1:1 of the
/// template it names, else of `fallback`. `source` gives a template's file (for messages) and
/// text by its name.
pub(crate) fn template_error<'a>(
    e: &tera::Error,
    fallback: &str,
    source: impl Fn(&str) -> Option<(&'a str, &'a str)>,
) -> Diagnostic {
    use tera::ErrorKind;
    let file_of = |name: &str| source(name).map_or_else(|| name.to_string(), |(f, _)| f.into());
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r,
        ErrorKind::MissingParent { current, parent } => {
            let message = format!(
                "`{current}` extends `{parent}`, which is not a template of the theme or the site"
            );
            // At the `{% extends %}` tag.
            let d = match source(current) {
                Some((f, t)) => {
                    let at = t.find("extends").map_or(0..0, |i| i..i + "extends".len());
                    Diagnostic::at(f, t, at, "template", message)
                }
                None => Diagnostic::file(file_of(current), "template", message),
            };
            return d.help(format!(
                "add templates/{parent}, or fix the name in `{{% extends \"{parent}\" %}}`"
            ));
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            return Diagnostic::file(file_of(tpl), "template", first_line(&e.to_string()))
                .help("a template may not extend or include itself, directly or through others");
        }
        ErrorKind::TemplateNotFound(name) => {
            return Diagnostic::file(
                fallback,
                "template",
                format!("there is no template `{name}`"),
            )
            .help("add it to templates/, or fix the name where it is included");
        }
        _ => {
            return Diagnostic::file(fallback, "template", first_line(&e.to_string()))
                .help(TEMPLATE_HELP);
        }
    };
    let span = report.span();
    let (file, text) = match source(report.filename()) {
        Some((f, t)) => (f.to_string(), Some(t)),
        None if report.filename().is_empty() => (fallback.to_string(), None),
        None => (report.filename().to_string(), None),
    };
    let mut d = Diagnostic::file(file, "template", first_line(report.message()));
    if let Some(text) = text {
        // Tera's lines are 1-based and its columns 0-based, both in characters.
        if span.start_line >= 1 && !text.is_empty() {
            d.line = span.start_line;
            d.column = span.start_col + 1;
            d.line_text = text
                .lines()
                .nth(span.start_line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
            d.width = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
        }
    }
    let syntax = matches!(e.kind(), ErrorKind::SyntaxError(_));
    if syntax && report.message().starts_with("Unexpected end of input") {
        d.message = "the template ends inside an unclosed tag or block".into();
        return d.help("every `{% block %}`, `{% if %}` and `{% for %}` needs its `{% end… %}`, and every `{{` and `{%` its closing `}}` or `%}`");
    }
    let help = if syntax {
        "check the tag's syntax: `{{ value }}` prints, `{% if %}`/`{% for %}`/`{% block %}` each need their `{% end… %}`; docs/templates.md has examples".to_string()
    } else if let Some(near) = undefined_field_hint(report.message()) {
        format!("did you mean `{near}`? docs/templates.md lists what every template gets")
    } else if report.message().contains("is not defined") || report.message().contains("not found")
    {
        "docs/templates.md lists what every template gets; test a value that may be missing with `{% if page.x %}` or give it a default with `| default(value=\"\")`".to_string()
    } else {
        TEMPLATE_HELP.to_string()
    };
    d.help(help)
}

/// In Tera's "Field `titel` is not defined. Available fields: a, title, …", the available field
/// closest to the one asked for.
fn undefined_field_hint(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Field `")?;
    let (field, rest) = rest.split_once('`')?;
    let (_, available) = rest.split_once("Available fields: ")?;
    crate::diagnostics::closest(
        field,
        available.split(',').map(|f| f.trim().trim_end_matches('.')),
    )
}

const TEMPLATE_HELP: &str =
    "docs/templates.md lists the variables, functions and filters templates get";

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("template error")
        .trim()
        .to_string()
}

/// `{{ page.date.date | date(format="%B %-d, %Y") }}`: formats a YYYY-MM-DD or RFC 3339 string.
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format: &str = kwargs.get("format")?.unwrap_or("%Y-%m-%d");
    let zoned = if let Ok(d) = value.parse::<jiff::civil::Date>() {
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_err(tera::Error::message)?
    } else {
        let ts: jiff::Timestamp = value
            .parse()
            .map_err(|e| tera::Error::message(format!("date: `{value}` is not a date: {e}")))?;
        ts.to_zoned_datetime(jiff::tz::TimeZone::UTC)
    };
    let mut out = String::new();
    jiff::fmt::strtime::format(format, &zoned)
        .map(|s| out.push_str(&s))
        .map_err(tera::Error::message)?;
    Ok(out)
}

/// The small description of a page used in lists, backlinks and `get_page`
/// (docs/templates.md, "Page summaries").
#[derive(Debug, Serialize)]
pub struct PageSummary<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    slug: &'a str,
    file: &'a str,
    collection: Option<&'a str>,
    kind: PageKind,
    date: Option<&'a PageDate>,
    updated: Option<&'a PageDate>,
    draft: bool,
    weight: Option<i64>,
    description: Option<&'a str>,
    summary: &'a str,
    fields: &'a IndexMap<String, Json>,
    stale: bool,
}

/// The summary of page `i`, or `None` when there is no such page.
pub fn summary<'a>(site: &'a Site, i: PageId, urls: &Urls) -> Option<PageSummary<'a>> {
    let (p, r) = (site.page(i)?, site.rendered(i)?);
    Some(PageSummary {
        title: &p.title,
        url: urls.link(&p.url),
        permalink: urls.absolute(&p.url),
        path: &p.url,
        slug: &p.slug,
        file: &p.file,
        collection: p.collection.as_deref(),
        kind: p.kind,
        date: p.date.as_ref(),
        updated: p.updated.as_ref(),
        draft: p.draft,
        weight: p.weight,
        description: p.description.as_deref(),
        summary: &r.summary,
        fields: &p.fields,
        stale: site.is_stale(i),
    })
}

/// The template value of page `i`'s summary (`none` when there is no such page).
fn summary_value(site: &Site, i: PageId, urls: &Urls) -> tera::Value {
    summary(site, i, urls).map_or(tera::Value::none(), |s| tera::Value::from_serializable(&s))
}

fn to_value(j: &Json) -> tera::Value {
    tera::Value::from_serializable(j)
}

/// `{{ v | value_label(collection=page.collection, field="control_plane") }}`: what readers
/// see the value called ([`Config::value_label`]: an enum's `value_labels`, a taxonomy
/// field's term `labels`); `{{ t | value_label(taxonomy="providers") }}` names a term of a
/// taxonomy ([`Config::term_label`]). Any other value comes back as it is.
fn register_value_label(tera: &mut Tera, config: &Config) {
    let terms: HashMap<String, IndexMap<String, String>> = config
        .taxonomies
        .iter()
        .filter_map(|(name, t)| Some((name.clone(), t.labels.clone()?)))
        .collect();
    let labels: HashMap<(String, String), IndexMap<String, String>> = config
        .collections
        .iter()
        .filter_map(|(name, c)| Some((name, c.fields.as_ref()?)))
        .flat_map(|(name, fields)| {
            let terms = &terms;
            fields.iter().filter_map(move |(field, spec)| {
                let spec = spec.get_ref();
                let labels = spec
                    .value_labels
                    .clone()
                    .or_else(|| spec.taxonomy.as_ref().and_then(|t| terms.get(t).cloned()))?;
                Some(((name.clone(), field.clone()), labels))
            })
        })
        .collect();
    tera.register_filter(
        "value_label",
        move |value: &tera::Value, kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let taxonomy: Option<&str> = kwargs.get("taxonomy").ok().flatten();
            let names = match taxonomy {
                Some(t) => terms.get(t),
                None => {
                    let field: &str = kwargs.must_get("field")?;
                    // A page outside every collection passes `collection=none`.
                    let collection: Option<&str> = kwargs.get("collection").ok().flatten();
                    collection.and_then(|c| labels.get(&(c.to_string(), field.to_string())))
                }
            };
            let label = value.as_str().zip(names).and_then(|(v, l)| l.get(v));
            Ok(label.map_or_else(|| value.clone(), |l| tera::Value::from(l.as_str())))
        },
    );
}

/// Receives each rendered file as soon as it is ready: `build` writes it to disk, `serve`
/// keeps it in memory, `check` drops it.
pub type Sink<'a> = dyn Fn(OutputFile) + Sync + 'a;

/// The body HTML of a page whose HTML is not in the site
/// ([`crate::markdown::Rendered::html_deferred`]): held for it, or rendered again.
pub type BodyHtml = Box<dyn Fn(PageId, &crate::content::Page) -> String + Send + Sync>;

/// Compiled templates plus the per-page values every render needs. `serve` keeps one alive
/// between edits and refreshes only what an edit changed.
pub struct Renderer {
    tera: Tera,
    urls: Urls,
    summaries: Vec<tera::Value>,
    by_rel: Arc<RwLock<HashMap<String, tera::Value>>>,
    site_ctx: Json,
    /// The pages whose summaries `site_ctx` shows (the recent entries).
    site_shows: Vec<PageId>,
    /// Template name → (file for messages, text).
    template_files: HashMap<String, (String, String)>,
    bodies: Option<BodyHtml>,
}

impl Renderer {
    pub fn new(site: &Site, config: &Config, theme: &Theme) -> Result<Renderer, Vec<Diagnostic>> {
        let urls = Urls::new(config);
        let ids: Vec<PageId> = site.ids().collect();
        let summaries: Vec<tera::Value> = ids
            .into_par_iter()
            .map(|i| {
                if site.is_published(i) {
                    summary_value(site, i, &urls)
                } else {
                    tera::Value::none()
                }
            })
            .collect();
        let by_rel: HashMap<String, tera::Value> = site
            .ids()
            .zip(&site.pages)
            .filter(|(i, _)| site.is_published(*i))
            .filter_map(|(i, p)| Some((p.rel.clone(), summaries.get(i.index())?.clone())))
            .collect();
        let by_rel = Arc::new(RwLock::new(by_rel));
        let mut tera = templates(theme, config, by_rel.clone(), urls.clone())?;
        let (site_ctx, site_shows) = site_context(site, config, &urls);
        tera.global_context()
            .insert_value("site", to_value(&site_ctx));
        tera.global_context().insert("config", &ConfigView(config));
        let template_files = theme
            .templates
            .iter()
            .map(|(n, (f, t))| (n.clone(), (f.clone(), t.clone())))
            .collect();
        Ok(Renderer {
            tera,
            urls,
            summaries,
            by_rel,
            site_ctx,
            site_shows,
            template_files,
            bodies: None,
        })
    }

    /// How to render the bodies the Markdown stage did not keep; without it such a page's
    /// `content` is empty.
    pub fn set_bodies(&mut self, bodies: BodyHtml) {
        self.bodies = Some(bodies);
    }

    /// Refreshes the summaries of `changed` pages after the graph was rebuilt or, when
    /// `graph_kept`, updated in place (when pages were added or removed, [`Renderer::remap`]
    /// has moved the others into place). Returns whether the site-wide context changed (so that
    /// every page must be rendered again) and the pages whose summary — what other pages,
    /// lists, feeds and the API show of them — changed. With the graph kept, the site-wide
    /// context can only change through the summary of a page it shows, so it is made again only
    /// then.
    pub fn refresh(
        &mut self,
        site: &Site,
        config: &Config,
        changed: &[PageId],
        graph_kept: bool,
    ) -> (bool, Vec<PageId>) {
        let mut shown = Vec::new();
        let mut map = self.by_rel.write().unwrap_or_else(|p| p.into_inner());
        for &i in changed {
            let value = if site.is_published(i) {
                summary_value(site, i, &self.urls)
            } else {
                tera::Value::none()
            };
            if let Some(slot) = self.summaries.get_mut(i.index())
                && *slot != value
            {
                *slot = value.clone();
                shown.push(i);
            }
            if let Some(p) = site.page(i) {
                if site.is_published(i) {
                    map.insert(p.rel.clone(), value);
                } else {
                    map.remove(&p.rel);
                }
            }
        }
        drop(map);
        if graph_kept && !shown.iter().any(|i| self.site_shows.contains(i)) {
            return (false, shown);
        }
        let (ctx, site_shows) = site_context(site, config, &self.urls);
        self.site_shows = site_shows;
        if ctx != self.site_ctx {
            self.tera
                .global_context()
                .insert_value("site", to_value(&ctx));
            self.site_ctx = ctx;
            return (true, shown);
        }
        (false, shown)
    }

    /// Moves the page summaries to the ids of a site whose pages were added or removed:
    /// `old_id[n]` is where the page that had id `n` is now (None: removed; `removed` names
    /// the content paths of those). Added pages have no summary until [`Renderer::refresh`].
    pub fn remap(&mut self, old_id: &[Option<PageId>], pages: usize, removed: &[String]) {
        let mut summaries = vec![tera::Value::none(); pages];
        for (old, value) in old_id.iter().zip(std::mem::take(&mut self.summaries)) {
            if let Some(slot) = old.and_then(|n| summaries.get_mut(n.index())) {
                *slot = value;
            }
        }
        self.summaries = summaries;
        let mut map = self.by_rel.write().unwrap_or_else(|p| p.into_inner());
        for rel in removed {
            map.remove(rel);
        }
    }

    /// Renders the templated `routes` into `sink` (others are skipped); returns the site paths
    /// written and the template errors (one per distinct error, naming how many pages hit it).
    pub fn render(
        &self,
        site: &Site,
        config: &Config,
        routes: &[&Route],
        sink: &Sink,
    ) -> (Vec<String>, Vec<Diagnostic>) {
        let results: Vec<Result<String, Diagnostic>> = routes
            .par_iter()
            .filter(|r| r.kind.is_template())
            .map(|route| {
                let scope = Scope {
                    site,
                    config,
                    urls: &self.urls,
                    summaries: &self.summaries,
                    bodies: self.bodies.as_ref(),
                };
                render_route(&self.tera, &scope, route, &self.template_files).map(|f| {
                    let path = f.path.clone();
                    sink(f);
                    path
                })
            })
            .collect();
        let mut paths = Vec::with_capacity(results.len());
        // One record per mistake: an error in a block of base.html fails every page whose
        // template extends it, at the same file, line and column.
        let mut errors: Vec<(Diagnostic, usize)> = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(d) => match errors.iter_mut().find(|(e, _)| {
                    (&e.file, e.line, e.column, &e.message)
                        == (&d.file, d.line, d.column, &d.message)
                }) {
                    Some(e) => e.1 += 1,
                    None => errors.push((d, 1)),
                },
            }
        }
        let diags = errors
            .into_iter()
            .map(|(mut d, count)| {
                d.message = format!(
                    "{} ({} page{})",
                    d.message,
                    count,
                    if count == 1 { "" } else { "s" }
                );
                d
            })
            .collect();
        (paths, diags)
    }
}

/// Serializes the config for templates without the schema internals.
struct ConfigView<'a>(&'a Config);

impl serde::Serialize for ConfigView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        json!({
            "book": c.book,
            "markdown": c.markdown,
            "search": c.search,
            "kubernetes": {
                "current": c.kubernetes.current,
                "versions": c.kubernetes.versions,
                "taxonomy": c.kubernetes.taxonomy(),
            },
            "extra": c.extra,
        })
        .serialize(s)
    }
}

/// The `site` of every template, and the pages whose summaries it shows.
fn site_context(site: &Site, config: &Config, urls: &Urls) -> (Json, Vec<PageId>) {
    let mut shows = Vec::new();
    let collections: Vec<Json> = site
        .collections
        .values()
        .map(|c| {
            let mut recent = site.newest_first(c.entries.iter().copied());
            recent.truncate(RECENT_PER_COLLECTION);
            shows.extend(&recent);
            json!({
                "name": c.name,
                "title": c.title,
                "description": c.description,
                "url": urls.link(&format!("/{}/", c.name)),
                "count": c.entries.len(),
                "rows": config.collection(&c.name).and_then(|cc| cc.matrix.as_ref()).map(|m| json!({"field": m.rows, "count": matrix_row_count(site, m, &c.entries)})),
                "recent": recent.iter().filter_map(|&i| summary(site, i, urls)).collect::<Vec<_>>(),
                "indexes": c.indexes.keys().map(|f| json!({"field": f, "url": urls.link(&format!("/{}/{f}/", c.name))})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let taxonomies: Vec<Json> = site
        .taxonomies
        .iter()
        .map(|(name, terms)| {
            let title = config.taxonomies.get(name).and_then(|t| t.title.clone()).unwrap_or_else(|| name.clone());
            json!({"name": name, "title": title, "url": urls.link(&format!("/{name}/")), "count": terms.len()})
        })
        .collect();
    let mut recent = site.newest_first(site.all_entries());
    recent.truncate(10);
    shows.extend(&recent);
    let ctx = json!({
        "title": config.book.title,
        "description": config.book.description,
        "base_url": urls.base_url,
        "base_path": urls.base_path,
        "language": config.book.language,
        "repository": config.book.repository,
        "collections": collections,
        "taxonomies": taxonomies,
        "recent": recent.iter().filter_map(|&i| summary(site, i, urls)).collect::<Vec<_>>(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    (ctx, shows)
}

/// Newest entries listed per collection in `site.collections[].recent`.
const RECENT_PER_COLLECTION: usize = 5;

/// A value of an index as lists show it.
#[derive(Debug, Serialize)]
struct TermLink<'a> {
    name: &'a str,
    /// What readers see the value called: the field's `value_labels` entry, else `name`.
    label: &'a str,
    slug: &'a str,
    url: String,
    /// How many pages have this value.
    count: usize,
    /// In a facet of a collection with a `matrix`: how many rows (products) its pages make,
    /// as the matrix counts them; else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<usize>,
}

/// The values of an index, most used first (ties by name).
fn term_links<'a>(
    terms: &'a BTreeMap<String, Term>,
    base: &str,
    urls: &Urls,
    label: impl Fn(&'a str) -> &'a str,
) -> Vec<TermLink<'a>> {
    let mut list: Vec<TermLink> = terms
        .values()
        .map(|t| TermLink {
            name: &t.name,
            label: label(&t.name),
            slug: &t.slug,
            url: urls.link(&format!("{base}{}/", t.slug)),
            count: t.pages.len(),
            rows: None,
        })
        .collect();
    // Versions sort as versions, newest first; other terms by how many pages name them.
    let versions = terms
        .values()
        .all(|t| crate::versions::parse_minor(&t.name).is_some());
    list.sort_by(|a, b| {
        if versions {
            crate::versions::compare(b.name, a.name)
        } else {
            b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name))
        }
    });
    list
}

/// `listing.paginator`.
#[derive(Debug, Serialize)]
struct PaginatorView {
    current: usize,
    total_pages: usize,
    per_page: usize,
    total_items: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// `listing.facets[]`: one per `index = true` field of a collection.
#[derive(Debug, Serialize)]
struct Facet<'a> {
    field: &'a str,
    /// What readers see the field called ([`Config::field_label`]).
    label: String,
    /// The field named inside a sentence, "By control plane" ([`Config::field_words`]).
    words: String,
    url: String,
    terms: Vec<TermLink<'a>>,
}

/// Everything a list template gets as `listing` (documented in docs/templates.md), except
/// `pages`, which are the page summaries already made and are added as they are.
#[derive(Debug, Serialize)]
struct Listing<'a> {
    kind: &'static str,
    title: String,
    description: &'a str,
    url: String,
    path: &'a str,
    permalink: String,
    intro: &'a str,
    terms: Vec<TermLink<'a>>,
    collection: Option<&'a str>,
    field: Option<&'a str>,
    paginator: Option<PaginatorView>,
    feed: Option<String>,
    facets: Vec<Facet<'a>>,
    matrix: Option<Json>,
    /// The intro's own front matter (e.g. an importer's `data_as_of` stamp), on collection
    /// pages.
    intro_fields: Option<&'a indexmap::IndexMap<String, Json>>,
    /// Keys only some lists have (the versions taxonomy's `versions`, `timeline`, …), merged
    /// in as they are.
    #[serde(skip)]
    extra: Json,
    /// `groups` on taxonomy term pages: made of the page summaries as they are, not copied
    /// through JSON (two deep copies of every summary on a term page).
    #[serde(skip)]
    groups: Option<Vec<tera::Value>>,
    /// From Home to the parent of this list.
    breadcrumbs: Vec<Crumb<'a>>,
    /// On a field term page of a collection with a `matrix` (other than its rows field's own
    /// terms): the rows (e.g. products) the term's pages belong to; else empty.
    rows: Vec<Json>,
    /// On a field term page: `page.term_urls` of its last page (the newest of a list sorted
    /// oldest first); else empty.
    term_urls: BTreeMap<&'a str, BTreeMap<String, String>>,
    /// On a field term page: for each `ref` field, the published pages its pages name (newest
    /// page first, each target once), as `page.refs`; else empty.
    refs: IndexMap<&'a str, Vec<RefTarget<'a>>>,
    /// The pages whose bodies link to this list by its site path (an architecture linking its
    /// provider's product page), newest first: a list has no backlinks of its own.
    linked_from: Vec<BacklinkSource<'a>>,
}

impl<'a> Listing<'a> {
    fn new(kind: &'static str, title: String, path: &'a str, urls: &Urls) -> Listing<'a> {
        Listing {
            kind,
            title,
            description: "",
            url: urls.link(path),
            path,
            permalink: urls.absolute(path),
            intro: "",
            terms: Vec::new(),
            collection: None,
            field: None,
            paginator: None,
            feed: None,
            facets: Vec::new(),
            matrix: None,
            intro_fields: None,
            extra: Json::Null,
            groups: None,
            breadcrumbs: vec![Crumb::new("Home", "/", urls)],
            rows: Vec::new(),
            term_urls: BTreeMap::new(),
            refs: IndexMap::new(),
            linked_from: Vec::new(),
        }
    }

    /// The template value, with `pages` (summaries) added.
    fn value(&self, pages: Vec<tera::Value>) -> tera::Value {
        let mut map = tera::Value::from_serializable(self)
            .as_map()
            .cloned()
            .unwrap_or_default();
        if let Json::Object(extra) = &self.extra {
            for (k, v) in extra {
                map.insert(k.clone().into(), tera::Value::from_serializable(v));
            }
        }
        if let Some(groups) = &self.groups {
            map.insert("groups".into(), tera::Value::from(groups.clone()));
        }
        map.insert("pages".into(), tera::Value::from(pages));
        tera::Value::from(map)
    }
}

/// What one route renders: the templates to try, in order, and its `page` and `listing`.
struct View {
    templates: Vec<String>,
    page: tera::Value,
    listing: tera::Value,
}

impl View {
    fn page(templates: &[&str], page: tera::Value) -> View {
        View {
            templates: templates.iter().map(|t| t.to_string()).collect(),
            page,
            listing: tera::Value::none(),
        }
    }
    fn listing(templates: Vec<String>, listing: tera::Value) -> View {
        View {
            templates,
            page: tera::Value::none(),
            listing,
        }
    }
}

/// A page with no content file behind it (404, search, a home page without `_index.md`): every
/// key a page has (docs/templates.md), empty.
#[derive(Debug, Serialize)]
struct BarePage<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    slug: &'a str,
    file: &'a str,
    collection: Option<&'a str>,
    kind: &'a str,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    draft: bool,
    weight: Option<i64>,
    description: Option<&'a str>,
    summary: &'a str,
    fields: BTreeMap<(), ()>,
    stale: bool,
    content: &'a str,
    word_count: usize,
    reading_time: usize,
    toc: Vec<()>,
    refs: BTreeMap<(), ()>,
    backlinks: Vec<()>,
    breadcrumbs: Vec<()>,
    term_urls: BTreeMap<(), ()>,
    labels: BTreeMap<(), ()>,
    version_status: BTreeMap<(), ()>,
    edit_url: Option<&'a str>,
    upstream: Option<()>,
    last_modified: Option<&'a str>,
    collection_fields: Option<&'a str>,
    charts: Vec<()>,
    charts_source: Option<&'a str>,
}

impl<'a> BarePage<'a> {
    fn value(title: &'a str, path: &'a str, urls: &Urls) -> tera::Value {
        tera::Value::from_serializable(&BarePage {
            title,
            url: urls.link(path),
            permalink: urls.absolute(path),
            path,
            slug: "",
            file: "",
            collection: None,
            kind: "plain",
            date: None,
            updated: None,
            draft: false,
            weight: None,
            description: None,
            summary: "",
            fields: BTreeMap::new(),
            stale: false,
            content: "",
            word_count: 0,
            reading_time: 0,
            toc: Vec::new(),
            refs: BTreeMap::new(),
            backlinks: Vec::new(),
            breadcrumbs: Vec::new(),
            term_urls: BTreeMap::new(),
            labels: BTreeMap::new(),
            version_status: BTreeMap::new(),
            edit_url: None,
            upstream: None,
            last_modified: None,
            collection_fields: None,
            charts: Vec::new(),
            charts_source: None,
        })
    }
}

/// The inputs every route's view is made from.
struct Scope<'a> {
    site: &'a Site,
    config: &'a Config,
    urls: &'a Urls,
    summaries: &'a [tera::Value],
    bodies: Option<&'a BodyHtml>,
}

impl Scope<'_> {
    fn summaries_of(&self, pages: &[PageId]) -> Vec<tera::Value> {
        pages
            .iter()
            .filter_map(|&i| self.summaries.get(i.index()).cloned())
            .collect()
    }

    fn collection(&self, name: &str) -> Result<&crate::site::Collection, String> {
        self.site
            .collections
            .get(name)
            .ok_or_else(|| format!("internal error: the collection `{name}` of a route is gone"))
    }

    fn taxonomy_title(&self, name: &str) -> String {
        self.config
            .taxonomies
            .get(name)
            .and_then(|t| t.title.clone())
            .unwrap_or_else(|| name.to_string())
    }

    fn view(&self, route: &Route) -> Result<View, String> {
        let (site, config, urls) = (self.site, self.config, self.urls);
        Ok(match &route.kind {
            RouteKind::Page(i) => self.page_view(*i)?,
            RouteKind::Home => View::page(
                &["index.html", "page.html"],
                match site.home {
                    Some(h) => page_value(site, config, urls, self.bodies, h),
                    None => BarePage::value(&config.book.title, "/", urls),
                },
            ),
            RouteKind::NotFound => View::page(
                &["404.html", "page.html"],
                BarePage::value("Page not found", "/404.html", urls),
            ),
            RouteKind::Search => View::page(
                &["search.html", "page.html"],
                BarePage::value("Search", SEARCH_PATH, urls),
            ),
            RouteKind::List {
                collection,
                folder,
                page,
            } => self.list_view(route, collection, folder.as_deref(), *page)?,
            RouteKind::FieldTerms { collection, field } => {
                let c = self.collection(collection)?;
                let title = format!(
                    "{} by {}",
                    c.title,
                    config.field_words(Some(collection), field)
                );
                let mut l = Listing::new("field", title, &route.path, urls);
                l.linked_from = linked_from(site, urls, &route.linked_from);
                l.terms = c
                    .indexes
                    .get(field)
                    .map(|t| {
                        term_links(t, &route.path, urls, |v| {
                            config.value_label(Some(collection), field, v)
                        })
                    })
                    .unwrap_or_default();
                (l.collection, l.field) = (Some(collection.as_str()), Some(field.as_str()));
                l.breadcrumbs = collection_crumbs(site, urls, collection, &[]);
                View::listing(
                    vec!["terms.html".into(), "list.html".into()],
                    l.value(Vec::new()),
                )
            }
            RouteKind::FieldTerm {
                collection,
                field,
                slug,
            } => {
                let c = self.collection(collection)?;
                let term = c.indexes.get(field).and_then(|t| t.get(slug));
                let name = term.map_or(slug.as_str(), |t| t.name.as_str());
                let name = config.value_label(Some(collection), field, name);
                // "Conformance results, vendor: SAP", as a reader would say it.
                let words = config.field_words(Some(collection), field);
                let title = format!("{}, {words}: {name}", c.title);
                let mut l = Listing::new("term", title, &route.path, urls);
                l.linked_from = linked_from(site, urls, &route.linked_from);
                (l.collection, l.field) = (Some(collection.as_str()), Some(field.as_str()));
                l.breadcrumbs = collection_crumbs(site, urls, collection, &[]);
                l.breadcrumbs.push(Crumb::new(
                    format!("By {words}"),
                    &format!("/{collection}/{field}/"),
                    urls,
                ));
                l.rows = term
                    .map(|t| matrix_rows(site, config, c, field, &t.pages, urls))
                    .unwrap_or_default();
                l.term_urls = term
                    .and_then(|t| t.pages.last())
                    .and_then(|&i| site.page(i))
                    .map(|p| term_urls(site, config, urls, p))
                    .unwrap_or_default();
                l.refs = term
                    .map(|t| refs_of_pages(site, urls, &t.pages))
                    .unwrap_or_default();
                let pages = term
                    .map(|t| self.summaries_of(&t.pages))
                    .unwrap_or_default();
                let names = vec![
                    format!("{collection}/term.html"),
                    "term.html".into(),
                    "list.html".into(),
                ];
                View::listing(names, l.value(pages))
            }
            RouteKind::Taxonomy { name } => {
                let mut l = Listing::new("taxonomy", self.taxonomy_title(name), &route.path, urls);
                l.linked_from = linked_from(site, urls, &route.linked_from);
                l.description = config
                    .taxonomies
                    .get(name)
                    .and_then(|t| t.description.as_deref())
                    .unwrap_or_default();
                l.terms = site
                    .taxonomies
                    .get(name)
                    .map(|t| term_links(t, &route.path, urls, |v| config.term_label(name, v)))
                    .unwrap_or_default();
                l.field = Some(name.as_str());
                let terms = serde_json::to_value(&l.terms)
                    .ok()
                    .and_then(|t| t.as_array().cloned())
                    .unwrap_or_default();
                l.extra = versions_listing(site, config, name, &terms);
                let names = vec![
                    format!("{name}/terms.html"),
                    "terms.html".into(),
                    "list.html".into(),
                ];
                View::listing(names, l.value(Vec::new()))
            }
            RouteKind::TaxonomyTerm { name, slug } => {
                let term = site.taxonomies.get(name).and_then(|t| t.get(slug));
                let term_name = term.map_or(slug.as_str(), |t| t.name.as_str());
                let title = format!(
                    "{}: {}",
                    self.taxonomy_title(name),
                    config.term_label(name, term_name)
                );
                let mut l = Listing::new("term", title, &route.path, urls);
                l.linked_from = linked_from(site, urls, &route.linked_from);
                l.field = Some(name.as_str());
                l.breadcrumbs.push(Crumb::new(
                    self.taxonomy_title(name),
                    &format!("/{name}/"),
                    urls,
                ));
                l.extra = version_of_term(site, config, name, term.map(|t| t.name.as_str()));
                l.groups = Some(
                    term.map(|t| groups_by_collection(site, &t.pages, self.summaries))
                        .unwrap_or_default(),
                );
                let pages = term
                    .map(|t| self.summaries_of(&t.pages))
                    .unwrap_or_default();
                let names = vec![
                    format!("{name}/term.html"),
                    "term.html".into(),
                    "list.html".into(),
                ];
                View::listing(names, l.value(pages))
            }
            _ => return Err("internal error: this route is not rendered with a template".into()),
        })
    }

    fn page_view(&self, i: PageId) -> Result<View, String> {
        let p = self
            .site
            .page(i)
            .ok_or_else(|| "internal error: the page of a route is gone".to_string())?;
        crate::diagnostics::working_on(&p.file);
        let mut names = Vec::new();
        names.extend(p.template.clone());
        if let Some(c) = &p.collection {
            names.extend(
                self.config
                    .collection(c)
                    .and_then(|c| c.page_template.clone()),
            );
            names.push(format!("{c}/page.html"));
        }
        names.push("page.html".into());
        Ok(View {
            templates: names,
            page: page_value(self.site, self.config, self.urls, self.bodies, i),
            listing: tera::Value::none(),
        })
    }

    /// A collection's list (one page of it) or a folder's list.
    fn list_view(
        &self,
        route: &Route,
        collection: &str,
        folder: Option<&str>,
        page_no: usize,
    ) -> Result<View, String> {
        let (site, config, urls) = (self.site, self.config, self.urls);
        let c = self.collection(collection)?;
        let (entries, base) = match folder {
            Some(f) => (
                c.folders.get(f).map(Vec::as_slice).unwrap_or(&[]),
                format!("/{collection}/{f}/"),
            ),
            None => (c.entries.as_slice(), format!("/{collection}/")),
        };
        let pager = Paginator::of_list(site, config, collection, folder);
        let slice = entries.get(pager.range(page_no)).unwrap_or(&[]);
        let intro_idx = match folder {
            None => c.intro,
            Some(f) => crate::plan::folder_intro(site, collection, f),
        };
        let title = match (folder, intro_idx) {
            (Some(f), Some(i)) => site
                .page(i)
                .map_or_else(|| f.to_string(), |p| p.title.clone()),
            (Some(f), None) => f.rsplit('/').next().unwrap_or(f).to_string(),
            (None, _) => c.title.clone(),
        };
        let kind = if folder.is_some() {
            "folder"
        } else {
            "collection"
        };
        let mut l = Listing::new(kind, title, &route.path, urls);
        l.linked_from = linked_from(site, urls, &route.linked_from);
        match folder {
            // A folder's parents: the collection and the folders above it.
            Some(f) => {
                let mut parents: Vec<&str> = f.split('/').collect();
                parents.pop();
                l.breadcrumbs = collection_crumbs(site, urls, collection, &parents);
            }
            // Page 2 and on of a paginated collection sit under its first page.
            None if page_no > 1 => l.breadcrumbs = collection_crumbs(site, urls, collection, &[]),
            None => {}
        }
        l.description = &c.description;
        l.collection = Some(collection);
        l.intro = intro_idx
            .filter(|&i| site.is_published(i))
            .and_then(|i| site.rendered(i))
            .map_or("", |r| r.html.as_str());
        l.paginator = pager.per_page.map(|n| {
            let total = pager.pages();
            let link = |k: usize| urls.link(&Paginator::path(&base, k));
            PaginatorView {
                current: page_no,
                total_pages: total,
                per_page: n,
                total_items: pager.items,
                previous: (page_no > 1).then(|| link(page_no - 1)),
                next: (page_no < total).then(|| link(page_no + 1)),
            }
        });
        if folder.is_none() {
            let matrix_config = config
                .collection(collection)
                .and_then(|cc| cc.matrix.as_ref());
            l.facets = c
                .indexes
                .iter()
                .map(|(field, terms)| {
                    let base = format!("/{collection}/{field}/");
                    let mut links = term_links(terms, &base, urls, |v| {
                        config.value_label(Some(collection), field, v)
                    });
                    if let Some(m) = matrix_config {
                        for t in &mut links {
                            t.rows = terms
                                .get(t.slug)
                                .map(|term| matrix_row_count(site, m, &term.pages));
                        }
                    }
                    Facet {
                        field,
                        label: config.field_label(Some(collection), field),
                        words: config.field_words(Some(collection), field),
                        url: urls.link(&base),
                        terms: links,
                    }
                })
                .collect();
            l.matrix = matrix_config.map(|m| matrix(site, c, m, urls));
            l.feed = site
                .has_feed(c)
                .then(|| urls.link(&format!("/{collection}/atom.xml")));
            l.intro_fields = intro_idx.and_then(|i| site.page(i)).map(|p| &p.fields);
        }
        let mut names: Vec<String> = config
            .collection(collection)
            .and_then(|c| c.template.clone())
            .into_iter()
            .collect();
        names.push(format!("{collection}/list.html"));
        names.push("list.html".into());
        Ok(View::listing(names, l.value(self.summaries_of(slice))))
    }
}

/// On the versions taxonomy's index: `listing.versions` (every release of the versions file,
/// newest first, with `url` and `count` when pages name it) and `listing.timeline` (the
/// support timeline as inline SVG). Null elsewhere.
fn versions_listing(site: &Site, config: &Config, taxonomy: &str, terms: &[Json]) -> Json {
    let Some(versions) = site
        .versions
        .as_ref()
        .filter(|_| taxonomy == config.kubernetes.taxonomy())
    else {
        return Json::Null;
    };
    let list: Vec<Json> = versions
        .releases
        .iter()
        .map(|r| {
            let term = terms.iter().find(|t| {
                t["name"]
                    .as_str()
                    .is_some_and(|n| crate::versions::compare(n, &r.version).is_eq())
            });
            let mut v = json!(r);
            if let Json::Object(m) = &mut v {
                m.insert("url".into(), term.map_or(Json::Null, |t| t["url"].clone()));
                m.insert(
                    "count".into(),
                    term.map_or(json!(0), |t| t["count"].clone()),
                );
            }
            v
        })
        .collect();
    let unlisted: Vec<&Json> = terms
        .iter()
        .filter(|t| versions.get(t["name"].as_str().unwrap_or("")).is_none())
        .collect();
    json!({
        "versions": list,
        "unlisted": unlisted,
        "versions_file": versions.file,
        "as_of": versions.as_of,
        "timeline": crate::versions::timeline_svg(versions, "timeline-title"),
    })
}

/// On a versions taxonomy term page: `listing.version`, the release's dates and source (null
/// when the versions file does not list it).
fn version_of_term(site: &Site, config: &Config, taxonomy: &str, name: Option<&str>) -> Json {
    let release = site
        .versions
        .as_ref()
        .filter(|_| taxonomy == config.kubernetes.taxonomy())
        .and_then(|v| name.and_then(|n| v.get(n)));
    json!({ "version": release })
}

/// `listing.groups` of a taxonomy term page: `[{collection, title, pages, data_as_of,
/// data_source}]` for the given pages, one group per collection that has any, in the site's
/// collection order. `data_as_of` and `data_source` are the collection intro's own (an
/// importer's stamp, e.g. "August 2025"), so a group of imported results can say it is a
/// snapshot; empty when the intro has none.
fn groups_by_collection(
    site: &Site,
    pages: &[PageId],
    summaries: &[tera::Value],
) -> Vec<tera::Value> {
    site.collections
        .iter()
        .filter_map(|(name, c)| {
            let items: Vec<tera::Value> = pages
                .iter()
                .filter(|&&i| {
                    site.page(i).and_then(|p| p.collection.as_deref()) == Some(name.as_str())
                })
                .filter_map(|&i| summaries.get(i.index()).cloned())
                .collect();
            (!items.is_empty()).then(|| {
                let mut m = tera::Map::new();
                m.insert("collection".into(), tera::Value::from(name.as_str()));
                m.insert("title".into(), tera::Value::from(c.title.as_str()));
                m.insert("pages".into(), tera::Value::from(items));
                let intro = c.intro.and_then(|i| site.page(i));
                for key in ["data_as_of", "data_source"] {
                    let text = intro
                        .and_then(|p| p.fields.get(key))
                        .and_then(Json::as_str)
                        .unwrap_or_default();
                    m.insert(key.into(), tera::Value::from(text));
                }
                tera::Value::from(m)
            })
        })
        .collect()
}

/// `listing.matrix` (columns newest first): `{rows_field, columns_field, columns: [..], newest: [..], newest_rows, community, rows: [{label,
/// slug, url, fields, newest_certified, cells: [null | {value, title, url, certified,
/// others}]}]}`. Rows group entries by the slug of their row value, so spellings that differ
/// only in case or punctuation share a row; a row links to its field index page when the row
/// field is indexed, and carries the fields of its newest entry (vendor, type, …). A cell is
/// `certified` when its entry was imported (`source` set). `newest` is the newest three
/// released Kubernetes versions of the versions file on the day of the build (the newest three
/// columns when the columns are not versions or there is no file); `newest_certified` says a
/// row has a certified entry for one of them. Columns that
/// look like versions sort numerically, others by name; rows sort by label, case-insensitively.
fn matrix(
    site: &Site,
    c: &crate::site::Collection,
    m: &crate::config::MatrixConfig,
    urls: &Urls,
) -> Json {
    let text = |i: PageId, field: &str| field_text(site, i, field);
    let mut columns: Vec<String> = Vec::new();
    // row slug → (label, (column value, entry) pairs).
    let mut rows: indexmap::IndexMap<String, (String, Vec<(String, PageId)>)> =
        indexmap::IndexMap::new();
    for &i in &c.entries {
        let (Some(row), Some(col)) = (text(i, &m.rows), text(i, &m.columns)) else {
            continue;
        };
        if !columns.contains(&col) {
            columns.push(col.clone());
        }
        rows.entry(crate::slug::slugify(&row))
            .or_insert_with(|| (row, Vec::new()))
            .1
            .push((col, i));
    }
    sort_columns(&mut columns);
    // The newest three minor versions: released ones of the versions file (on the day of the
    // build) when the columns are Kubernetes versions, else the newest three columns.
    let released: Option<Vec<String>> = site
        .versions
        .as_ref()
        .filter(|_| {
            columns
                .iter()
                .any(|c| crate::site::minor_version(c).is_some())
        })
        .map(|v| {
            let mut r: Vec<String> = v
                .releases
                .iter()
                .filter(|r| r.status != "upcoming")
                .take(3)
                .map(|r| r.version.clone())
                .collect();
            r.reverse();
            r
        })
        .filter(|r| !r.is_empty());
    let newest: Vec<String> =
        released.unwrap_or_else(|| columns.iter().rev().take(3).rev().cloned().collect());
    // Shown newest first: the column a reader comes for is beside the row labels, not at the
    // far end of a table wider than the screen.
    columns.reverse();
    let is_newest = |col: &str| {
        newest
            .iter()
            .any(|n| crate::versions::compare(n, col).is_eq())
    };
    let indexed = c.indexes.contains_key(&m.rows);
    rows.sort_by(|_, a, _, b| a.0.to_lowercase().cmp(&b.0.to_lowercase()));
    let certified = |i: PageId| {
        site.page(i)
            .is_some_and(|p| p.fields.get("source").is_some_and(|v| !v.is_null()))
    };
    let rows: Vec<Json> = rows
        .iter()
        .map(|(slug, (label, entries))| {
            let cells: Vec<Json> = columns
                .iter()
                .map(|col| {
                    // Usually one entry per cell; two submissions of one product for one
                    // version both stay reachable (`others`).
                    let mut here = entries.iter().filter(|(c, _)| c == col).filter_map(
                        |&(_, i)| {
                            let p = site.page(i)?;
                            let value = m.value.as_deref().and_then(|v| text(i, v));
                            Some(json!({"value": value, "title": p.title, "url": urls.link(&p.url), "certified": certified(i)}))
                        },
                    );
                    match here.next() {
                        Some(mut first) => {
                            let others: Vec<Json> = here.collect();
                            let mut all = vec![first.clone()];
                            all.extend(others.iter().cloned());
                            if let Some(map) = first.as_object_mut() {
                                map.insert("others".into(), Json::Array(others));
                                map.insert("all".into(), Json::Array(all));
                            }
                            first
                        }
                        None => Json::Null,
                    }
                })
                .collect();
            let latest = entries
                .iter()
                .min_by_key(|(col, _)| columns.iter().position(|c| c == col))
                .and_then(|&(_, i)| site.page(i))
                .map_or(Json::Null, |p| Json::Object(p.fields.clone().into_iter().collect()));
            let newest_certified = entries
                .iter()
                .any(|(col, i)| is_newest(col) && certified(*i));
            let url = indexed.then(|| urls.link(&format!("/{}/{}/{slug}/", c.name, m.rows)));
            json!({"label": label, "slug": slug, "url": url, "fields": latest, "newest_certified": newest_certified, "cells": cells})
        })
        .collect();
    let newest_rows = rows
        .iter()
        .filter(|r| r["newest_certified"] == true)
        .count();
    // Whether any cell holds a community run (the legend explains the mark only then).
    let community = rows.iter().any(|r| {
        r["cells"]
            .as_array()
            .is_some_and(|cells| cells.iter().any(|c| c["certified"] == false))
    });
    json!({"rows_field": m.rows, "columns_field": m.columns, "columns": columns, "newest": newest, "newest_rows": newest_rows, "community": community, "rows": rows})
}

/// How many rows of the matrix `m` (e.g. products) `pages` make: as `matrix` groups them, by
/// the slug of their row value, counting only pages that have both a row and a column value.
fn matrix_row_count(site: &Site, m: &crate::config::MatrixConfig, pages: &[PageId]) -> usize {
    pages
        .iter()
        .filter(|&&i| field_text(site, i, &m.columns).is_some())
        .filter_map(|&i| field_text(site, i, &m.rows))
        .map(|row| crate::slug::slugify(&row))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// A field of page `i` as text (a string as it is, other values as JSON), or `None`.
fn field_text(site: &Site, i: PageId, field: &str) -> Option<String> {
    site.page(i)?.fields.get(field).and_then(|v| match v {
        Json::String(s) => Some(s.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
    })
}

/// Matrix columns in order: values that look like versions numerically, others by name.
fn sort_columns(columns: &mut [String]) {
    columns.sort_by(
        |a, b| match (crate::site::minor_version(a), crate::site::minor_version(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a.cmp(b),
        },
    );
}

/// `listing.rows` of a field term page (a vendor's page): the matrix rows (products) that
/// `pages` belong to, each `{name, slug, url, count, columns}`, by name. A row is the `rows`
/// field's index term, as the row's own page (`/conformance/product/<slug>/`) lists it; `count`
/// and `columns` (its column values, e.g. Kubernetes versions, oldest first) are of `pages`
/// only. Empty when the collection has no matrix, on the rows field's own terms, and when the
/// rows field is not indexed (its rows would have no page to link).
fn matrix_rows(
    site: &Site,
    config: &Config,
    c: &crate::site::Collection,
    field: &str,
    pages: &[PageId],
    urls: &Urls,
) -> Vec<Json> {
    let Some(m) = config
        .collection(&c.name)
        .and_then(|cc| cc.matrix.as_ref())
        .filter(|m| m.rows != field)
    else {
        return Vec::new();
    };
    let Some(terms) = c.indexes.get(&m.rows) else {
        return Vec::new();
    };
    // term slug → (count, column values, the row's pages)
    type Row<'t> = (&'t Term, usize, Vec<String>, Vec<PageId>);
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for &i in pages {
        let Some(term) =
            field_text(site, i, &m.rows).and_then(|row| terms.get(&crate::slug::slugify(&row)))
        else {
            continue;
        };
        let row = rows
            .entry(term.slug.as_str())
            .or_insert_with(|| (term, 0, Vec::new(), Vec::new()));
        row.1 += 1;
        row.3.push(i);
        if let Some(col) = field_text(site, i, &m.columns)
            && !row.2.contains(&col)
        {
            row.2.push(col);
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_by_cached_key(|(t, ..)| t.name.to_lowercase());
    rows.into_iter()
        .map(|(t, count, mut columns, pages)| {
            sort_columns(&mut columns);
            json!({
                "name": t.name,
                "slug": t.slug,
                "url": urls.link(&format!("/{}/{}/{}/", c.name, m.rows, t.slug)),
                "count": count,
                "columns": columns,
                "refs": refs_of_pages(site, urls, &pages),
            })
        })
        .collect()
}

/// Pages that link to one page or list, in the order connections show them: dated ones
/// newest first, as the collection lists show them; undated ones after, by title, then path.
fn connection_order(site: &Site, sources: &mut [PageId]) {
    sources.sort_by(|&a, &b| match (site.page(a), site.page(b)) {
        (Some(pa), Some(pb)) => pb
            .date
            .cmp(&pa.date)
            .then_with(|| pa.title.to_lowercase().cmp(&pb.title.to_lowercase()))
            .then_with(|| pa.rel.cmp(&pb.rel)),
        _ => a.cmp(&b),
    });
}

/// `listing.linked_from`: the published pages linking to a list by its site path, in
/// [`connection_order`].
fn linked_from<'a>(site: &'a Site, urls: &Urls, sources: &[PageId]) -> Vec<BacklinkSource<'a>> {
    let mut sources = sources.to_vec();
    connection_order(site, &mut sources);
    sources
        .into_iter()
        .filter_map(|s| BacklinkSource::of(site, urls, s))
        .collect()
}

/// For each `ref` field of `pages` (in list order, oldest first), the published pages they
/// name: newest page's first, each target once. A product's results naming its catalog entry
/// (`tool = "k3s"`) give the product's page and its row on a vendor's page that link.
fn refs_of_pages<'a>(
    site: &'a Site,
    urls: &Urls,
    pages: &[PageId],
) -> IndexMap<&'a str, Vec<RefTarget<'a>>> {
    let mut out: IndexMap<&str, Vec<RefTarget>> = IndexMap::new();
    let mut seen: IndexMap<&str, Vec<PageId>> = IndexMap::new();
    for &i in pages.iter().rev() {
        for (field, targets) in site.refs(i).into_iter().flatten() {
            for &t in targets {
                let held = seen.entry(field.as_str()).or_default();
                if held.contains(&t) || !site.is_published(t) {
                    continue;
                }
                let Some(p) = site.page(t) else {
                    continue;
                };
                held.push(t);
                out.entry(field.as_str()).or_default().push(RefTarget {
                    title: &p.title,
                    url: urls.link(&p.url),
                    slug: &p.slug,
                    fields: &p.fields,
                });
            }
        }
    }
    out
}

/// Renders one route; an error is a diagnostic at the template line that caused it
/// (`templates` gives each template's file and text by name).
fn render_route(
    tera: &Tera,
    scope: &Scope,
    route: &Route,
    templates: &HashMap<String, (String, String)>,
) -> Result<OutputFile, Diagnostic> {
    let urls = scope.urls;
    let view = scope
        .view(route)
        .map_err(|e| Diagnostic::file("templates", "template", e))?;
    let template = view
        .templates
        .iter()
        .find(|n| tera.contains_template(n))
        .or(view.templates.last())
        .cloned()
        .unwrap_or_default();
    let path = &route.path;
    let mut ctx = Context::new();
    ctx.insert_value("page", view.page);
    ctx.insert_value("listing", view.listing);
    ctx.insert("current_path", path);
    ctx.insert("current_url", &urls.link(path));
    ctx.insert("permalink", &urls.absolute(path));
    match tera.render(&template, &ctx) {
        Ok(html) => Ok(OutputFile {
            path: file_of(path),
            bytes: html.into_bytes(),
        }),
        Err(e) => {
            let fallback = templates
                .get(&template)
                .map_or(template.as_str(), |(f, _)| f);
            Err(template_error(&e, fallback, |name| {
                templates.get(name).map(|(f, t)| (f.as_str(), t.as_str()))
            }))
        }
    }
}

/// `page.backlinks[]`: the published pages whose `field` (or body links) point at this page,
/// grouped by their collection and that field.
#[derive(Debug, Serialize)]
struct BacklinkGroup<'a> {
    collection: Option<&'a str>,
    collection_title: &'a str,
    field: &'a str,
    count: usize,
    pages: Vec<BacklinkSource<'a>>,
    /// When the group's collection has a `matrix`: the rows (its `rows` field's term pages,
    /// e.g. products) the group's pages belong to, as a vendor page's `listing.rows`, so a
    /// tool's page links the product's page and not only its single results.
    rows: Vec<Json>,
}

/// `page.backlinks[].pages[]`.
#[derive(Debug, Serialize)]
struct BacklinkSource<'a> {
    title: &'a str,
    url: String,
    date: Option<&'a PageDate>,
    summary: &'a str,
    fields: &'a IndexMap<String, Json>,
}

impl<'a> BacklinkSource<'a> {
    fn of(site: &'a Site, urls: &Urls, i: PageId) -> Option<BacklinkSource<'a>> {
        let (p, r) = (site.page(i)?, site.rendered(i)?);
        Some(BacklinkSource {
            title: &p.title,
            url: urls.link(&p.url),
            date: p.date.as_ref(),
            summary: &r.summary,
            fields: &p.fields,
        })
    }
}

/// `page.refs.<field>[]`: a published page a `ref` field of this page names.
#[derive(Debug, Serialize)]
struct RefTarget<'a> {
    title: &'a str,
    url: String,
    slug: &'a str,
    fields: &'a IndexMap<String, Json>,
}

/// `page.breadcrumbs[]` and `listing.breadcrumbs[]`.
#[derive(Debug, Serialize)]
struct Crumb<'a> {
    title: std::borrow::Cow<'a, str>,
    url: String,
}

impl<'a> Crumb<'a> {
    fn new(title: impl Into<std::borrow::Cow<'a, str>>, path: &str, urls: &Urls) -> Crumb<'a> {
        Crumb {
            title: title.into(),
            url: urls.link(path),
        }
    }
}

/// Everything a page template gets as `page` for a content page: its summary (the keys lists
/// show) and what only the page itself shows. [`BarePage`] has the same keys, empty.
#[derive(Debug, Serialize)]
struct PageView<'a> {
    #[serde(flatten)]
    summary: PageSummary<'a>,
    content: std::borrow::Cow<'a, str>,
    word_count: usize,
    reading_time: usize,
    toc: &'a [crate::markdown::TocEntry],
    backlinks: Vec<BacklinkGroup<'a>>,
    refs: IndexMap<&'a str, Vec<RefTarget<'a>>>,
    breadcrumbs: Vec<Crumb<'a>>,
    /// field → value → URL of the value's term page (field index or taxonomy).
    term_urls: BTreeMap<&'a str, BTreeMap<String, String>>,
    /// field → what readers see it called ([`Config::field_label`]), for each field of the
    /// page's schema and each field the page sets: the panel's words, which search shows too.
    labels: BTreeMap<&'a str, String>,
    /// Kubernetes version the page names (in a field of the versions taxonomy) → its support
    /// status on the day of the build ("upcoming", "supported", "maintenance", "ended"), for
    /// the versions the versions file lists.
    version_status: BTreeMap<String, &'static str>,
    edit_url: Option<String>,
    /// On an imported entry (`source` set): where corrections go instead of an edit of its
    /// file, which the next import overwrites: `{url, text, repository, name}`, `url` the
    /// entry's own upstream record when it links one (`text` says what it is), else null.
    upstream: Option<Json>,
    last_modified: Option<String>,
    /// The front matter fields of the page's collection's `_index.md` (an importer's
    /// `data_as_of`, …), or `None`.
    collection_fields: Option<&'a indexmap::IndexMap<String, Json>>,
    charts: &'a [crate::chart::Question],
    charts_source: Option<String>,
}

/// `page.backlinks`: the published sources of page `i`'s backlinks, grouped by collection (in
/// the config's order) and field.
fn backlink_groups<'a>(
    site: &'a Site,
    config: &Config,
    urls: &Urls,
    i: PageId,
) -> Vec<BacklinkGroup<'a>> {
    let page = |j: PageId| site.page(j);
    let mut groups: Vec<((usize, &str), Vec<PageId>)> = Vec::new();
    let coll_pos = |name: Option<&String>| {
        name.and_then(|n| site.collections.get_index_of(n.as_str()))
            .unwrap_or(usize::MAX)
    };
    for b in site.backlinks(i) {
        if !site.is_published(b.source) {
            continue;
        }
        let key = (
            coll_pos(page(b.source).and_then(|p| p.collection.as_ref())),
            b.field.as_deref().unwrap_or("links"),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                if !v.contains(&b.source) {
                    v.push(b.source)
                }
            }
            None => groups.push((key, vec![b.source])),
        }
    }
    // Groups that name this page in a field ("uses") come before body links ("mentions"),
    // so a theme can show the links together, after the rest.
    groups.sort_by_key(|&((coll, field), _)| (field == "links", coll, field));
    for (_, sources) in &mut groups {
        connection_order(site, sources);
    }
    groups
        .into_iter()
        .map(|((_, field), sources)| {
            let collection = sources
                .first()
                .and_then(|&s| page(s))
                .and_then(|p| p.collection.as_deref());
            let collection_title = collection
                .and_then(|c| site.collections.get(c))
                .map_or("Pages", |c| c.title.as_str());
            let pages: Vec<BacklinkSource> = sources
                .iter()
                .filter_map(|&s| BacklinkSource::of(site, urls, s))
                .collect();
            // Only a field's pages (a body link says nothing of which product is meant).
            let rows = collection
                .filter(|_| field != "links")
                .and_then(|c| site.collections.get(c))
                .map(|c| matrix_rows(site, config, c, field, &sources, urls))
                .unwrap_or_default();
            BacklinkGroup {
                collection,
                collection_title,
                field,
                count: sources.len(),
                pages,
                rows,
            }
        })
        .collect()
}

/// `page.refs`: for each `ref` field of page `i`, the published pages it names.
fn ref_targets<'a>(
    site: &'a Site,
    urls: &Urls,
    i: PageId,
) -> IndexMap<&'a str, Vec<RefTarget<'a>>> {
    site.refs(i)
        .into_iter()
        .flatten()
        .map(|(field, targets)| {
            let list = targets
                .iter()
                .filter(|&&t| site.is_published(t))
                .filter_map(|&t| site.page(t))
                .map(|t| RefTarget {
                    title: &t.title,
                    url: urls.link(&t.url),
                    slug: &t.slug,
                    fields: &t.fields,
                })
                .collect();
            (field.as_str(), list)
        })
        .collect()
}

/// `page.breadcrumbs`: Home, then the page's collection and its folders.
fn breadcrumbs<'a>(site: &'a Site, urls: &Urls, p: &'a crate::content::Page) -> Vec<Crumb<'a>> {
    match &p.collection {
        Some(c) => {
            let folders: Vec<&str> = p.folders.iter().map(String::as_str).collect();
            collection_crumbs(site, urls, c, &folders)
        }
        None => vec![Crumb::new("Home", "/", urls)],
    }
}

/// Home, the collection and the given folders of it (each a crumb of its own).
fn collection_crumbs<'a>(
    site: &'a Site,
    urls: &Urls,
    collection: &'a str,
    folders: &[&str],
) -> Vec<Crumb<'a>> {
    let title = site
        .collections
        .get(collection)
        .map_or(collection, |c| c.title.as_str());
    let mut path = format!("/{collection}/");
    let mut crumbs = vec![
        Crumb::new("Home", "/", urls),
        Crumb::new(title, &path, urls),
    ];
    for f in folders {
        path.push_str(f);
        path.push('/');
        crumbs.push(Crumb::new(f.to_string(), &path, urls));
    }
    crumbs
}

/// `page.term_urls`: for each field of `p` with `index = true` or a `taxonomy`, the URL of
/// each of its values' term page (the field index's page when both), for the values that have
/// one. Values are written as the field holds them (numbers as JSON).
fn term_urls<'a>(
    site: &Site,
    config: &'a Config,
    urls: &Urls,
    p: &crate::content::Page,
) -> BTreeMap<&'a str, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(c) = p.collection.as_deref() else {
        return out;
    };
    let Some(fields) = config.collection(c).and_then(|cc| cc.fields.as_ref()) else {
        return out;
    };
    let text = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Null | Json::Array(_) | Json::Object(_) => None,
        other => Some(other.to_string()),
    };
    for (name, spec) in fields {
        let spec = spec.get_ref();
        if !spec.index && spec.taxonomy.is_none() {
            continue;
        }
        let values: Vec<String> = match p.fields.get(name) {
            Some(Json::Array(items)) => items.iter().filter_map(text).collect(),
            Some(v) => text(v).into_iter().collect(),
            None => Vec::new(),
        };
        let index = site
            .collections
            .get(c)
            .and_then(|coll| coll.indexes.get(name))
            .filter(|_| spec.index);
        let taxonomy = spec
            .taxonomy
            .as_deref()
            .and_then(|t| Some((t, site.taxonomies.get(t)?)));
        let mut links = BTreeMap::new();
        for v in values {
            let slug = crate::slug::slugify(&v);
            let path = match (index, taxonomy) {
                (Some(terms), _) if terms.contains_key(&slug) => format!("/{c}/{name}/{slug}/"),
                (_, Some((t, terms))) if terms.contains_key(&slug) => format!("/{t}/{slug}/"),
                _ => continue,
            };
            links.insert(v, urls.link(&path));
        }
        if !links.is_empty() {
            out.insert(name.as_str(), links);
        }
    }
    out
}

/// `page.labels`: what readers see each field of `p`'s schema, and each field `p` sets,
/// called.
fn field_labels<'a>(config: &'a Config, p: &'a crate::content::Page) -> BTreeMap<&'a str, String> {
    let collection = p.collection.as_deref();
    let schema = collection
        .and_then(|c| config.collection(c))
        .and_then(|c| c.fields.as_ref())
        .into_iter()
        .flat_map(|fields| fields.keys());
    schema
        .chain(p.fields.keys())
        .map(|name| (name.as_str(), config.field_label(collection, name)))
        .collect()
}

/// `page.version_status`: each Kubernetes version a page names in a field of the versions
/// taxonomy, as the field writes it, with the release's status on the day of the build, so a
/// page can mark the versions past end of life. Empty without a versions file.
fn version_status(
    site: &Site,
    config: &Config,
    p: &crate::content::Page,
) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let (Some(versions), Some(c)) = (site.versions.as_ref(), p.collection.as_deref()) else {
        return out;
    };
    let Some(fields) = config.collection(c).and_then(|cc| cc.fields.as_ref()) else {
        return out;
    };
    let taxonomy = config.kubernetes.taxonomy();
    for (name, spec) in fields {
        if spec.get_ref().taxonomy.as_deref() != Some(taxonomy) {
            continue;
        }
        let values: Vec<&str> = match p.fields.get(name) {
            Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
            Some(v) => v.as_str().into_iter().collect(),
            None => Vec::new(),
        };
        for v in values {
            if let Some(release) = versions.get(v) {
                out.insert(v.to_string(), release.status);
            }
        }
    }
    out
}

/// `page.upstream`: for an entry an importer wrote (`source` set), where a correction goes.
/// A `source` no importer here writes still gets a value (no link, no repository), so the
/// page never offers an edit the next import would undo.
fn upstream_of(p: &crate::content::Page) -> Option<Json> {
    let source = p.fields.get("source").and_then(Json::as_str)?;
    let Some(up) = crate::import::upstream(source) else {
        return Some(json!({"url": null, "text": null, "repository": null, "name": source}));
    };
    let url = p
        .fields
        .get(up.field)
        .and_then(Json::as_str)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    Some(json!({
        "url": url,
        "text": up.record,
        "repository": up.repository,
        "name": up.name,
    }))
}

/// Everything a page template gets as `page`.
fn page_value(
    site: &Site,
    config: &Config,
    urls: &Urls,
    bodies: Option<&BodyHtml>,
    i: PageId,
) -> tera::Value {
    let (Some(p), Some(r), Some(summary)) =
        (site.page(i), site.rendered(i), summary(site, i, urls))
    else {
        return tera::Value::none();
    };
    let edit_url = config.book.repository.as_ref().map(|repo| {
        format!(
            "{}/edit/{}/{}",
            repo.trim_end_matches('/'),
            config.book.branch,
            p.file
        )
    });
    let last_modified = p.updated.as_ref().map(|d| d.date.clone()).or_else(|| {
        p.modified
            .and_then(|t| jiff::Timestamp::from_second(t).ok())
            .map(|t| {
                t.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date()
                    .to_string()
            })
    });
    let collection_fields = p
        .collection
        .as_deref()
        .and_then(|c| site.collections.get(c))
        .and_then(|c| c.intro)
        .and_then(|intro| site.page(intro))
        .map(|intro| &intro.fields);
    let (charts_source, charts) = match site.charts.get(&i) {
        Some((path, questions)) => (Some(urls.link(path)), questions.as_slice()),
        None => (None, &[][..]),
    };
    tera::Value::from_serializable(&PageView {
        summary,
        content: match bodies {
            Some(body) if r.html_deferred => std::borrow::Cow::Owned(body(i, p)),
            _ => std::borrow::Cow::Borrowed(&r.html),
        },
        word_count: r.word_count,
        reading_time: r.word_count.div_ceil(200).max(1),
        toc: &r.toc,
        backlinks: backlink_groups(site, config, urls, i),
        refs: ref_targets(site, urls, i),
        breadcrumbs: breadcrumbs(site, urls, p),
        term_urls: term_urls(site, config, urls, p),
        labels: field_labels(config, p),
        version_status: version_status(site, config, p),
        edit_url,
        upstream: upstream_of(p),
        last_modified,
        collection_fields,
        charts,
        charts_source,
    })
}
