//! The site `serve` keeps in memory: one full build, then each edit re-checks and re-renders
//! the changed Markdown files, rebuilds the graph and the plan, and writes again only the routes
//! whose inputs changed, whose inputs or shape differ from the previous plan, and the routes
//! added; routes that are gone are reported as removed. Nothing here knows which fields a
//! template shows: the plan's inputs say which pages each output depends on.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::emit::{self, builtin::Builtins};
use crate::markdown::{self, LinkTarget};
use crate::output::Urls;
use crate::pipeline::{self, Analyzed, Failure, Options, Parts, Produced, Timer};
use crate::plan::{Plan, Route, RouteKind};
use crate::render::{self, Renderer};
use crate::site::{PageId, Site};
use crate::theme::{StaticFile, Theme};

/// A site kept in memory by `serve`.
pub struct Session {
    options: Options,
    config: Config,
    theme: Theme,
    site: Site,
    plan: Plan,
    renderer: Renderer,
    builtins: Builtins,
    parts: Parts,
    /// Each page's entry in the JSON API, kept between edits (None: not made yet or stale).
    api_json: Vec<Option<Vec<u8>>>,
    /// An edit changed pages since the search bundle was last built.
    search_stale: bool,
}

/// A started session, the files to copy beside the rendered ones, and the warnings.
pub type Started = (Session, Vec<(String, StaticFile)>, Vec<Diagnostic>);

/// What an update did.
#[derive(Debug)]
pub enum Update {
    /// Only these files changed (already handed to the sink); `removed` are the output files
    /// of routes the site no longer has.
    Partial {
        rendered: usize,
        removed: Vec<String>,
    },
    /// The change needs a full rebuild (templates, config, static files, a new, moved or
    /// deleted file…).
    NeedsFull,
}

/// One content file edited in place: its page index, new page, rendered body and diagnostics.
type Edit = (PageId, content::Page, markdown::Rendered, Vec<Diagnostic>);

impl Session {
    /// Builds everything into `sink`. Returns the session, the files to copy and the warnings.
    pub fn start(options: &Options, sink: &render::Sink) -> Result<Started, Failure> {
        let config = pipeline::load_config(options)?;
        let Produced {
            analyzed,
            parts,
            renderer,
            builtins,
            copies,
            ..
        } = pipeline::produce(options, config, sink, true)?;
        let (Some(renderer), Some(builtins)) = (renderer, builtins) else {
            return Err(Failure::Setup(
                "internal error: the templates did not load".into(),
            ));
        };
        let Analyzed {
            config,
            theme,
            site,
            plan,
            diagnostics,
        } = analyzed;
        Ok((
            Session {
                options: options.clone(),
                config,
                theme,
                site,
                plan,
                renderer,
                builtins,
                parts,
                api_json: Vec::new(),
                search_stale: false,
            },
            copies,
            diagnostics,
        ))
    }

    /// Applies changes to `paths`: Markdown files edited in place and content files (survey
    /// CSVs) changed in place. Anything else — templates, config, static files, a file created,
    /// moved or deleted — answers [`Update::NeedsFull`].
    pub fn update(&mut self, paths: &[PathBuf], sink: &render::Sink) -> Result<Update, Failure> {
        let mut timer = Timer::new();
        let Some(edits) = self.read_edits(paths) else {
            return Ok(Update::NeedsFull);
        };
        timer.lap("read");
        let mut changed: HashSet<PageId> = edits.iter().map(|(i, ..)| *i).collect();
        changed.extend(self.install(edits));

        let old_plan = std::mem::take(&mut self.plan);
        let old_published = self.site.published.clone();
        let old_stale = self.site.stale.clone();
        let old_charts = std::mem::take(&mut self.site.charts);
        let pages = std::mem::take(&mut self.site.pages);
        let rendered = std::mem::take(&mut self.site.rendered);
        let assets = std::mem::take(&mut self.site.assets);
        let (site, plan, later) = pipeline::graph(
            &self.options.root,
            &self.config,
            &self.theme,
            pages,
            rendered,
            assets,
        );
        self.site = site;
        self.plan = plan;
        timer.lap("graph+plan");
        let diags = self.parts.all(&later);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::Invalid(diags));
        }
        let statics = |p: &Plan| {
            p.iter()
                .filter(|r| matches!(r.kind, RouteKind::Static(_)))
                .map(|r| r.path.clone())
                .collect::<Vec<_>>()
        };
        if statics(&old_plan) != statics(&self.plan) {
            return Ok(Update::NeedsFull);
        }
        // Pages whose own data the graph changed: published, stale, their chart.
        for i in self.site.ids() {
            let n = i.index();
            if old_published.get(n) != self.site.published.get(n)
                || old_stale.get(n) != self.site.stale.get(n)
                || old_charts.get(&i) != self.site.charts.get(&i)
            {
                changed.insert(i);
            }
        }
        let mut ids: Vec<PageId> = changed.iter().copied().collect();
        ids.sort_unstable();
        for &i in &ids {
            if let Some(slot) = self.api_json.get_mut(i.index()) {
                *slot = None;
            }
        }
        let (everything, shown) = self.renderer.refresh(&self.site, &self.config, &ids);
        let shown: HashSet<PageId> = shown.into_iter().collect();
        timer.lap("refresh");

        // A route is written again when it is new, when the plan gives it other inputs or
        // another shape, when a page it shows changed what others see of it (its summary), or
        // when the page whose whole body it shows changed at all.
        let old: HashMap<&str, &Route> = old_plan.iter().map(|r| (r.path.as_str(), r)).collect();
        let stale = |r: &Route| match old.get(r.path.as_str()) {
            None => true,
            Some(o) => {
                o.kind != r.kind
                    || o.shape != r.shape
                    || o.inputs != r.inputs
                    || o.body != r.body
                    || r.body.is_some_and(|b| changed.contains(&b))
                    || r.inputs.iter().any(|i| shown.contains(i))
            }
        };
        let again: Vec<&Route> = self
            .plan
            .iter()
            .filter(|r| r.kind != RouteKind::SearchIndex && (everything || stale(r)))
            .collect();
        let new_paths: HashSet<&str> = self.plan.iter().map(|r| r.path.as_str()).collect();
        let removed: Vec<String> = old_plan
            .iter()
            .filter(|r| r.kind != RouteKind::SearchIndex && !new_paths.contains(r.path.as_str()))
            .map(Route::file)
            .collect();

        let templated: Vec<&Route> = again
            .iter()
            .copied()
            .filter(|r| r.kind.is_template())
            .collect();
        let (paths, template_errors) =
            self.renderer
                .render(&self.site, &self.config, &templated, sink);
        timer.lap(if everything {
            "render all"
        } else {
            "render some"
        });
        if !template_errors.is_empty() {
            return Err(Failure::Invalid(template_errors));
        }
        let wanted: HashSet<String> = again.iter().map(|r| r.path.clone()).collect();
        let errors = self.emit_extras(&wanted, sink);
        if !errors.is_empty() {
            return Err(Failure::Invalid(errors));
        }
        timer.lap("extras");
        self.search_stale = true;
        Ok(Update::Partial {
            rendered: paths.len(),
            removed,
        })
    }

    /// After an edit, what the search bundle is built from, owned so that `serve` can index on
    /// another thread without holding up the reload (None: nothing changed since the last
    /// bundle, or the site has no search).
    pub fn take_search_input(&mut self) -> Option<emit::search::Input<'static>> {
        if !std::mem::take(&mut self.search_stale)
            || !self.plan.iter().any(|r| r.kind == RouteKind::SearchIndex)
        {
            return None;
        }
        let urls = Urls::new(&self.config);
        Some(emit::search::input(&self.site, &self.config, &urls).into_owned())
    }

    /// Reads the changed files; None when one of them needs a full rebuild.
    fn read_edits(&self, paths: &[PathBuf]) -> Option<Vec<Edit>> {
        let content_dir = self.options.root.join(&self.config.build.content);
        let urls = Urls::new(&self.config);
        let md_options = pipeline::markdown_options(&self.config);
        let mut pages = Vec::new();
        let skeletons = crate::scaffold::skeleton_bodies(&self.config, &self.theme);
        for path in paths {
            let rel = path
                .strip_prefix(&content_dir)
                .ok()?
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if !path.is_file() {
                return None;
            }
            if !rel.ends_with(".md") {
                // A data file beside an entry (a survey's CSV), changed in place: the graph
                // draws the charts again.
                if self.site.assets.iter().any(|(r, _)| *r == rel) {
                    continue;
                }
                return None;
            }
            let i = self.site.index_of(&rel)?;
            // A file that can no longer be read is reported by the full rebuild.
            let source = content::load::read_source(&self.options.root, &rel, path).ok()?;
            let (page, diags) = pipeline::check_source(source, &self.config, &skeletons);
            pages.push((i, page, diags));
        }
        // Bodies are rendered with every edited page's new URL known.
        let mut page_urls = self.parts.page_urls.clone();
        for (_, page, _) in &pages {
            if page.broken {
                page_urls.remove(&page.rel);
            } else {
                page_urls.insert(page.rel.clone(), urls.link(&page.url));
            }
        }
        Some(
            pages
                .into_iter()
                .map(|(i, page, diags)| {
                    let r = pipeline::render_markdown(&page, &page_urls, &urls, &md_options);
                    (i, page, r, diags)
                })
                .collect(),
        )
    }

    /// Puts new versions of pages in place (the graph is rebuilt after). When a page's URL
    /// changed, the bodies linking to it are rendered again; returns those pages.
    fn install(&mut self, edits: Vec<Edit>) -> Vec<PageId> {
        let urls = Urls::new(&self.config);
        let mut moved: HashSet<String> = HashSet::new();
        for (i, page, r, diags) in edits {
            let link = (!page.broken).then(|| urls.link(&page.url));
            if self.parts.page_urls.get(&page.rel) != link.as_ref() {
                moved.insert(page.rel.clone());
                match link {
                    Some(l) => self.parts.page_urls.insert(page.rel.clone(), l),
                    None => self.parts.page_urls.remove(&page.rel),
                };
            }
            if let Some(slot) = self.site.page_mut(i) {
                *slot = page;
            }
            if let Some(slot) = self.site.rendered_mut(i) {
                *slot = r;
            }
            if let Some(slot) = self.parts.page_diags.get_mut(i.index()) {
                *slot = diags;
            }
        }
        if moved.is_empty() {
            return Vec::new();
        }
        let md_options = pipeline::markdown_options(&self.config);
        let linking: Vec<PageId> = self
            .site
            .ids()
            .zip(&self.site.rendered)
            .filter(|(_, r)| {
                r.links.iter().any(
                    |l| matches!(&l.target, LinkTarget::Page { rel, .. } if moved.contains(rel)),
                )
            })
            .map(|(i, _)| i)
            .collect();
        for &i in &linking {
            if let (Some(page), Some(slot)) = (
                self.site.pages.get(i.index()),
                self.site.rendered.get_mut(i.index()),
            ) {
                *slot = pipeline::render_markdown(page, &self.parts.page_urls, &urls, &md_options);
            }
        }
        linking
    }

    /// Feeds, aliases, API files and the sitemap at the `wanted` paths; API entries of unchanged pages
    /// come from the cache.
    fn emit_extras(&mut self, wanted: &HashSet<String>, sink: &render::Sink) -> Vec<Diagnostic> {
        let urls = Urls::new(&self.config);
        self.api_json.resize(self.site.pages.len(), None);
        for r in &self.plan.routes {
            if matches!(r.kind, RouteKind::Api { .. }) && wanted.contains(&r.path) {
                for &i in &r.inputs {
                    if let Some(slot) = self.api_json.get_mut(i.index())
                        && slot.is_none()
                    {
                        *slot = Some(emit::api::entry(&self.site, &urls, i));
                    }
                }
            }
        }
        let cache = &self.api_json;
        let extras = pipeline::Extras {
            config: &self.config,
            site: &self.site,
            plan: &self.plan,
            builtins: &self.builtins,
        };
        extras.emit(
            |r| wanted.contains(&r.path),
            &|i| match cache.get(i.index()).and_then(Option::as_deref) {
                Some(json) => std::borrow::Cow::Borrowed(json),
                None => std::borrow::Cow::Owned(Vec::new()),
            },
            sink,
        )
    }
}
