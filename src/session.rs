//! The site `serve` keeps in memory: one full build, then each change under content/ — a
//! Markdown file edited, created, renamed or deleted, a data file beside an entry added, edited
//! or deleted — re-checks and re-renders only the changed Markdown files, rebuilds the graph and
//! the plan, and writes again only the routes whose inputs changed, whose inputs or shape differ
//! from the previous plan, and the routes added; routes that are gone are reported as removed.
//! The common edit while writing — a body or a field that only the page, summaries and the API
//! show — leaves the graph as it was ([`site::graph_sees_alike`]): the graph and the plan are
//! then kept, the edited pages put in place in them, and only their own diagnostics of the
//! graph stage made again.
//! Page ids shift when pages come and go, so the previous plan is compared through a map from
//! old ids to new ones (a page is matched by its content path; its content by whether this
//! change touched it). Nothing here knows which fields a template shows: the plan's inputs say
//! which pages each output depends on. Templates, config, theme and static files are a full
//! rebuild.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, load::walk_order};
use crate::diagnostics::Diagnostic;
use crate::emit::{self, builtin::Builtins};
use crate::markdown::{self, LinkTarget};
use crate::output::Urls;
use crate::pipeline::{self, Analyzed, Failure, Options, Parts, Produced};
use crate::plan::{Plan, Route, RouteKind};
use crate::render::{self, Renderer};
use crate::site::{self, PageId, Site};
use crate::theme::{StaticFile, Theme};
use crate::timings::Timer;

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
    /// of routes the site no longer has; `copied` the files to copy as they are at new or
    /// changed routes (a data file added beside an entry).
    Partial {
        rendered: usize,
        removed: Vec<String>,
        copied: Vec<(String, StaticFile)>,
        /// The edit left the site graph and the plan as they were, apart from the edited
        /// pages' own data, so they were kept and updated in place instead of built again.
        graph_kept: bool,
    },
    /// The change needs a full rebuild: templates, config, theme or static files, a file that
    /// cannot be read, a symbolic link, the content folder itself.
    NeedsFull,
}

/// A Markdown file read after a change: its new page, rendered body and diagnostics.
type Checked = (content::Page, markdown::Rendered, Vec<Diagnostic>);

/// What the changed paths did under content/.
#[derive(Default)]
struct Changes {
    /// Markdown files edited in place or created.
    pages: Vec<Checked>,
    /// Content paths of the Markdown files deleted (a rename is a delete and a create).
    deleted: HashSet<String>,
    /// Non-Markdown files created: content path → file.
    assets_added: BTreeMap<String, PathBuf>,
    /// Content paths of the non-Markdown files deleted.
    assets_deleted: HashSet<String>,
    /// A non-Markdown file the site has was changed in place (a chart's data).
    assets_edited: bool,
}

/// Where an update moved the pages: `old_id[n]` is the id now of the page that had id `n`
/// (None: deleted), and `changed` the pages (new ids) whose own content changed.
struct Moved {
    old_id: Vec<Option<PageId>>,
    changed: HashSet<PageId>,
}

/// What the previous graph said of each page (by old id), to find what the new one changed.
struct Before {
    plan: Plan,
    published: Vec<bool>,
    stale: Vec<bool>,
    charts: HashMap<PageId, (String, Vec<crate::chart::Question>)>,
}

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
        } = pipeline::produce(
            options,
            config,
            sink,
            pipeline::Purpose::Publish,
            pipeline::Bodies::Keep,
        )?;
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

    /// Applies changes to `paths`: Markdown files edited, created, renamed or deleted, data
    /// files beside entries (survey CSVs) added, edited or deleted, folders of them moved in or
    /// out. Anything else — templates, config, theme and static files, a file that cannot be
    /// read — answers [`Update::NeedsFull`]. When Markdown files were only edited and the graph
    /// sees each of them as before ([`site::graph_sees_alike`]), the graph and the plan are
    /// kept and the edited pages replaced in them; otherwise both are built again.
    pub fn update(&mut self, paths: &[PathBuf], sink: &render::Sink) -> Result<Update, Failure> {
        let mut timer = Timer::new();
        let Some(changes) = self.read_changes(paths) else {
            return Ok(Update::NeedsFull);
        };
        timer.lap("read");
        let (Moved { old_id, changed }, before) = match self.graph_in_place(&changes) {
            Some(later) => (self.apply_in_place(changes, later), None),
            None => {
                let (moved, before) = self.regraph(changes);
                (moved, Some(before))
            }
        };
        let graph_kept = before.is_none();
        timer.lap(if graph_kept {
            "graph kept"
        } else {
            "graph+plan"
        });
        let diags = self.parts.all();
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failure::Invalid(diags));
        }
        let mut ids: Vec<PageId> = changed.iter().copied().collect();
        ids.sort_unstable();
        for &i in &ids {
            if let Some(slot) = self.api_json.get_mut(i.index()) {
                *slot = None;
            }
        }
        let (everything, shown) = self
            .renderer
            .refresh(&self.site, &self.config, &ids, graph_kept);
        let shown: HashSet<PageId> = shown.into_iter().collect();
        timer.lap("refresh");

        let again = routes_again(
            (&self.plan, self.site.pages.len()),
            before.as_ref(),
            &old_id,
            (&changed, &shown),
            everything,
        );
        let removed: Vec<String> = match &before {
            Some(before) => {
                let new_paths: hashbrown::HashSet<&str> =
                    self.plan.iter().map(|r| r.path.as_str()).collect();
                before
                    .iter()
                    .filter(|r| {
                        r.kind != RouteKind::SearchIndex && !new_paths.contains(r.path.as_str())
                    })
                    .map(Route::file)
                    .collect()
            }
            None => Vec::new(),
        };
        let copied: Vec<(String, StaticFile)> = again
            .iter()
            .filter_map(|r| pipeline::copy_of(&self.theme, &self.site, r))
            .collect();
        fill_api_cache(&mut self.api_json, &self.site, &self.config, &again);
        let rendered = self.write_again(&again, everything, sink, &mut timer)?;
        self.search_stale = true;
        Ok(Update::Partial {
            rendered,
            removed,
            copied,
            graph_kept,
        })
    }

    /// The graph and plan's diagnostics after `changes`, when the graph and plan can be kept:
    /// the changes only edit Markdown files in place, the graph sees each edited page as before
    /// ([`site::graph_sees_alike`]), and what the graph said of those pages is only what is made
    /// again here from the page alone (it is stale; a diagram cannot be drawn). None when the
    /// graph and plan must be built again.
    fn graph_in_place(&self, changes: &Changes) -> Option<Vec<Diagnostic>> {
        if !changes.deleted.is_empty()
            || !changes.assets_added.is_empty()
            || !changes.assets_deleted.is_empty()
            || changes.assets_edited
        {
            return None;
        }
        let mut files: HashSet<&str> = HashSet::new();
        let mut remade = Vec::new();
        for (page, rendered, _) in &changes.pages {
            let i = self.site.index_of(&page.rel)?;
            let old = (self.site.page(i)?, self.site.rendered(i)?);
            if !site::graph_sees_alike(&self.config, old, (page, rendered)) {
                return None;
            }
            files.insert(page.file.as_str());
            remade.extend(site::stale_warning(&self.config, page));
            remade.extend(
                self.parts
                    .later
                    .iter()
                    .filter(|d| d.file == page.file)
                    .filter_map(|d| site::remade_on(page, d)),
            );
            remade.extend(crate::diagram::diagnostics(
                &page.file,
                &page.text,
                &rendered.diagrams,
            ));
            remade.extend(crate::markdown::diagnostics(
                &page.file,
                &page.text,
                &page.title,
                rendered,
            ));
        }
        let on_edited = |d: &Diagnostic| files.contains(d.file.as_str());
        if self.parts.later.iter().any(|d| {
            on_edited(d)
                && !matches!(
                    d.code,
                    "stale" | "diagram" | "duplicate-title" | "duplicate-slug"
                )
                && !crate::markdown::FINDING_CODES.contains(&d.code)
        }) {
            return None;
        }
        let mut later: Vec<Diagnostic> = self
            .parts
            .later
            .iter()
            .filter(|d| !on_edited(d))
            .cloned()
            .collect();
        later.extend(remade);
        Some(later)
    }

    /// Puts edited pages in place in the graph kept as it is, with the graph's diagnostics
    /// `later` ([`Session::graph_in_place`]); whether an entry is stale is its own to say.
    fn apply_in_place(&mut self, changes: Changes, later: Vec<Diagnostic>) -> Moved {
        self.parts.later = later;
        let moved = self.apply(changes);
        for &i in &moved.changed {
            let stale = self
                .site
                .page(i)
                .is_some_and(|p| site::stale_warning(&self.config, p).is_some());
            if let Some(slot) = self.site.stale.get_mut(i.index()) {
                *slot = stale;
            }
        }
        moved
    }

    /// Puts the changes in place and builds the graph and the plan again; returns where the
    /// pages moved, with the pages whose own data the new graph changed (published, stale,
    /// their chart) among the changed ones, and the previous plan.
    fn regraph(&mut self, changes: Changes) -> (Moved, Plan) {
        let before = Before {
            plan: std::mem::take(&mut self.plan),
            published: std::mem::take(&mut self.site.published),
            stale: std::mem::take(&mut self.site.stale),
            charts: std::mem::take(&mut self.site.charts),
        };
        let Moved {
            old_id,
            mut changed,
        } = self.apply(changes);
        let (site, plan, later) = pipeline::graph(
            &self.options.root,
            &self.config,
            &self.theme,
            std::mem::take(&mut self.site.pages),
            std::mem::take(&mut self.site.rendered),
            std::mem::take(&mut self.site.assets),
        );
        self.site = site;
        self.plan = plan;
        self.parts.later = later;
        for (n, now) in old_id.iter().enumerate() {
            let (was, Some(i)) = (PageId::new(n), *now) else {
                continue;
            };
            if before.published.get(n).copied().unwrap_or(false) != self.site.is_published(i)
                || before.stale.get(n).copied().unwrap_or(false) != self.site.is_stale(i)
                || before.charts.get(&was) != self.site.charts.get(&i)
            {
                changed.insert(i);
            }
        }
        (Moved { old_id, changed }, before.plan)
    }

    /// Renders the templated routes of `again` and writes its other generated files; returns
    /// how many files were rendered.
    fn write_again(
        &self,
        again: &[&Route],
        everything: bool,
        sink: &render::Sink,
        timer: &mut Timer,
    ) -> Result<usize, Failure> {
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
        let errors = self.emit_extras(again, sink);
        if !errors.is_empty() {
            return Err(Failure::Invalid(errors));
        }
        timer.lap("extras");
        Ok(paths.len())
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
        Some(emit::search::input(&self.site, &self.config, &urls, &self.plan).into_owned())
    }

    /// Reads what the changed paths did under content/; None when one of them needs a full
    /// rebuild.
    fn read_changes(&self, paths: &[PathBuf]) -> Option<Changes> {
        let content_dir = self.options.root.join(&self.config.build.content);
        let mut changes = Changes::default();
        let mut markdown: BTreeMap<String, PathBuf> = BTreeMap::new();
        for path in paths {
            let rel = content::load::slash_path(path.strip_prefix(&content_dir).ok()?);
            if rel.is_empty() {
                return None;
            }
            // The loader skips hidden files and folders (editors' swap files among them).
            if rel.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.is_dir() => {
                    if self.knows(&rel) {
                        return None;
                    }
                    self.found_folder(path, &content_dir, &mut changes, &mut markdown)?;
                }
                Ok(meta) if meta.is_file() => {
                    self.found_file(rel, path, &mut changes, &mut markdown)?;
                }
                // A link is followed when it names a page already loaded; where a new one
                // points is the loader's to check.
                Ok(meta) if meta.is_symlink() && self.knows(&rel) && path.is_file() => {
                    self.found_file(rel, path, &mut changes, &mut markdown)?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.gone(&rel, &mut changes),
                Ok(_) | Err(_) => return None,
            }
        }
        changes.pages = self.check_markdown(markdown, &changes.deleted)?;
        Some(changes)
    }

    /// Whether `rel` is a page or a data file of the current site.
    fn knows(&self, rel: &str) -> bool {
        self.site.index_of(rel).is_some() || self.site.assets.iter().any(|(r, _)| r == rel)
    }

    /// A file that exists after the change: a Markdown file to read, a new data file to copy,
    /// or a data file changed in place (the graph reads charts again); an editor's leftover is
    /// ignored, as the loader ignores it. None for Markdown not named `.md`: the full load
    /// reports it.
    fn found_file(
        &self,
        rel: String,
        path: &Path,
        changes: &mut Changes,
        markdown: &mut BTreeMap<String, PathBuf>,
    ) -> Option<()> {
        match content::load::ContentFile::of(&rel) {
            content::load::ContentFile::Markdown => {
                markdown.insert(rel, path.to_path_buf());
            }
            content::load::ContentFile::Misnamed(_) => return None,
            content::load::ContentFile::Leftover => {}
            content::load::ContentFile::Asset => {
                if self.site.assets.iter().any(|(r, _)| *r == rel) {
                    changes.assets_edited = true;
                } else {
                    changes.assets_added.insert(rel, path.to_path_buf());
                }
            }
        }
        Some(())
    }

    /// A folder created or moved in: every file in it the site does not have yet. None when it
    /// holds a symbolic link or cannot be read (the full load checks those).
    fn found_folder(
        &self,
        dir: &Path,
        content_dir: &Path,
        changes: &mut Changes,
        markdown: &mut BTreeMap<String, PathBuf>,
    ) -> Option<()> {
        let walker = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.ok()?;
            if entry.path_is_symlink() {
                return None;
            }
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = content::load::slash_path(entry.path().strip_prefix(content_dir).ok()?);
            if !self.knows(&rel) {
                self.found_file(rel, entry.path(), changes, markdown)?;
            }
        }
        Some(())
    }

    /// A path that no longer exists: a page, a data file, or a folder of them.
    fn gone(&self, rel: &str, changes: &mut Changes) {
        if self.site.index_of(rel).is_some() {
            changes.deleted.insert(rel.to_string());
        } else if self.site.assets.iter().any(|(r, _)| r == rel) {
            changes.assets_deleted.insert(rel.to_string());
        } else {
            let folder = format!("{rel}/");
            for p in self
                .site
                .pages
                .iter()
                .filter(|p| p.rel.starts_with(&folder))
            {
                changes.deleted.insert(p.rel.clone());
            }
            for (r, _) in self
                .site
                .assets
                .iter()
                .filter(|(r, _)| r.starts_with(&folder))
            {
                changes.assets_deleted.insert(r.clone());
            }
        }
    }

    /// Reads, checks and renders the Markdown files edited or created; None when one cannot be
    /// read (the full rebuild reports it). Bodies are rendered with every changed page's new URL
    /// known and the `deleted` pages gone.
    fn check_markdown(
        &self,
        files: BTreeMap<String, PathBuf>,
        deleted: &HashSet<String>,
    ) -> Option<Vec<Checked>> {
        let urls = Urls::new(&self.config);
        let md_options =
            pipeline::markdown_options(&self.config, &self.theme, pipeline::Purpose::Publish);
        let skeletons = crate::scaffold::skeleton_bodies(&self.config, &self.theme);
        let mut pages = Vec::with_capacity(files.len());
        for (rel, path) in files {
            let source = content::load::read_source(&self.options.root, &rel, &path).ok()?;
            // What the loader says of a file by its place alone (a misspelled collection
            // folder) is said of a new file here.
            let placed = if self.site.index_of(&rel).is_none() {
                content::load::check_folders(std::slice::from_ref(&source), &self.config)
            } else {
                Vec::new()
            };
            let (page, mut diags) = pipeline::check_source(source, &self.config, &skeletons);
            diags.extend(placed);
            pages.push((page, diags));
        }
        if pages.is_empty() {
            return Some(Vec::new());
        }
        // The site's page URLs as they are after the change; copied only when it changes them
        // (it seldom does while writing, and the copy costs a millisecond at 10k pages).
        let link = |page: &content::Page| (!page.broken).then(|| urls.link(&page.url));
        let unchanged = deleted.is_empty()
            && pages
                .iter()
                .all(|(page, _)| self.parts.page_urls.get(&page.rel) == link(page).as_ref());
        let mut page_urls = std::borrow::Cow::Borrowed(&self.parts.page_urls);
        if !unchanged {
            let owned = page_urls.to_mut();
            for rel in deleted {
                owned.remove(rel);
            }
            for (page, _) in &pages {
                match link(page) {
                    Some(l) => owned.insert(page.rel.clone(), l),
                    None => owned.remove(&page.rel),
                };
            }
        }
        Some(
            pages
                .into_iter()
                .map(|(page, diags)| {
                    let r = pipeline::render_markdown(&page, &page_urls, &urls, &md_options);
                    (page, r, diags)
                })
                .collect(),
        )
    }

    /// Puts the changes in place before the graph is rebuilt: edited pages where they were,
    /// created ones where a fresh load would put them, deleted ones out, data files added and
    /// removed. When a page's URL changed (or it came or went), the bodies linking to it are
    /// rendered again.
    fn apply(&mut self, changes: Changes) -> Moved {
        let Changes {
            pages,
            deleted,
            assets_added,
            assets_deleted,
            ..
        } = changes;
        let urls = Urls::new(&self.config);
        let mut moved: HashSet<String> = HashSet::new();
        for (page, ..) in &pages {
            let link = (!page.broken).then(|| urls.link(&page.url));
            if self.parts.page_urls.get(&page.rel) != link.as_ref() {
                moved.insert(page.rel.clone());
                match link {
                    Some(l) => self.parts.page_urls.insert(page.rel.clone(), l),
                    None => self.parts.page_urls.remove(&page.rel),
                };
            }
        }
        for rel in &deleted {
            if self.parts.page_urls.remove(rel).is_some() {
                moved.insert(rel.clone());
            }
        }
        let mut edited = Vec::new();
        let mut created = Vec::new();
        for (page, r, diags) in pages {
            let Some(i) = self.site.index_of(&page.rel) else {
                created.push((page, r, diags));
                continue;
            };
            if let Some(slot) = self.site.page_mut(i) {
                *slot = page;
            }
            if let Some(slot) = self.site.rendered_mut(i) {
                *slot = r;
            }
            if let Some(slot) = self.parts.page_diags.get_mut(i.index()) {
                *slot = diags;
            }
            edited.push(i);
        }
        let (old_id, added) = if created.is_empty() && deleted.is_empty() {
            (self.site.ids().map(Some).collect(), Vec::new())
        } else {
            self.restructure(created, &deleted)
        };
        self.site
            .assets
            .retain(|(rel, _)| !assets_deleted.contains(rel));
        for (rel, path) in assets_added {
            let at = self
                .site
                .assets
                .partition_point(|(r, _)| walk_order(r, &rel).is_lt());
            self.site.assets.insert(at, (rel, path));
        }
        let mut changed: HashSet<PageId> = edited
            .iter()
            .filter_map(|i| old_id.get(i.index()).copied().flatten())
            .chain(added)
            .collect();
        changed.extend(self.render_linking(&moved));
        Moved { old_id, changed }
    }

    /// Takes the `deleted` pages out and puts the `created` ones in, in load order, with
    /// everything kept per page (rendered body, diagnostics, API entry, summary). Returns where
    /// each old id went and the ids of the created pages.
    fn restructure(
        &mut self,
        created: Vec<Checked>,
        deleted: &HashSet<String>,
    ) -> (Vec<Option<PageId>>, Vec<PageId>) {
        struct Slot {
            page: content::Page,
            rendered: markdown::Rendered,
            diags: Vec<Diagnostic>,
            api: Option<Vec<u8>>,
            old: Option<usize>,
        }
        let pages = std::mem::take(&mut self.site.pages);
        let n = pages.len();
        let mut rendered = std::mem::take(&mut self.site.rendered);
        rendered.resize_with(n, markdown::Rendered::default);
        let mut diags = std::mem::take(&mut self.parts.page_diags);
        diags.resize_with(n, Vec::new);
        let mut api = std::mem::take(&mut self.api_json);
        api.resize(n, None);
        let mut gone_files = HashSet::new();
        let mut slots: Vec<Slot> = Vec::with_capacity(n + created.len());
        let kept = pages.into_iter().zip(rendered).zip(diags).zip(api);
        for (old, (((page, rendered), diags), api)) in kept.enumerate() {
            if deleted.contains(&page.rel) {
                gone_files.insert(page.file);
                continue;
            }
            let old = Some(old);
            slots.push(Slot {
                page,
                rendered,
                diags,
                api,
                old,
            });
        }
        for (page, rendered, diags) in created {
            let at = slots.partition_point(|s| walk_order(&s.page.rel, &page.rel).is_lt());
            let slot = Slot {
                page,
                rendered,
                diags,
                api: None,
                old: None,
            };
            slots.insert(at, slot);
        }
        let mut old_id = vec![None; n];
        let mut added = Vec::new();
        for (k, slot) in slots.into_iter().enumerate() {
            let id = PageId::new(k);
            match slot.old.and_then(|o| old_id.get_mut(o)) {
                Some(place) => *place = Some(id),
                None => added.push(id),
            }
            self.site.pages.push(slot.page);
            self.site.rendered.push(slot.rendered);
            self.parts.page_diags.push(slot.diags);
            self.api_json.push(slot.api);
        }
        self.parts
            .load_diags
            .retain(|d| !gone_files.contains(&d.file));
        let removed: Vec<String> = deleted.iter().cloned().collect();
        self.renderer
            .remap(&old_id, self.site.pages.len(), &removed);
        (old_id, added)
    }

    /// Renders again the bodies that link to a page in `moved` (content paths whose URL
    /// changed, or that came or went); returns those pages.
    fn render_linking(&mut self, moved: &HashSet<String>) -> Vec<PageId> {
        if moved.is_empty() {
            return Vec::new();
        }
        let urls = Urls::new(&self.config);
        let md_options =
            pipeline::markdown_options(&self.config, &self.theme, pipeline::Purpose::Publish);
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

    /// Feeds, aliases, API files and the sitemap among `routes`; API entries come from
    /// the cache ([`fill_api_cache`]).
    fn emit_extras(&self, routes: &[&Route], sink: &render::Sink) -> Vec<Diagnostic> {
        let cache = &self.api_json;
        let extras = pipeline::Extras {
            config: &self.config,
            site: &self.site,
            plan: &self.plan,
            builtins: &self.builtins,
        };
        extras.emit(
            routes,
            &|i| match cache.get(i.index()).and_then(Option::as_deref) {
                Some(json) => std::borrow::Cow::Borrowed(json),
                None => std::borrow::Cow::Owned(Vec::new()),
            },
            sink,
        )
    }
}

/// The routes to write again after an update (never the search bundle): with the plan built
/// again (`before` is the previous one), a route new or with other inputs or another shape
/// than before (pages compared through `old_id`); in any plan, a route whose whole body is of a
/// `changed` page, or that shows a page whose summary — what others see of it — changed
/// (`shown`); every route when the site-wide context changed. The site has `pages` pages.
fn routes_again<'p>(
    (plan, pages): (&'p Plan, usize),
    before: Option<&Plan>,
    old_id: &[Option<PageId>],
    (changed, shown): (&HashSet<PageId>, &HashSet<PageId>),
    everything: bool,
) -> Vec<&'p Route> {
    let id = |i: PageId| old_id.get(i.index()).copied().flatten();
    let old: Option<hashbrown::HashMap<&str, &Route>> =
        before.map(|b| b.iter().map(|r| (r.path.as_str(), r)).collect());
    let moved = |r: &Route| match &old {
        None => false,
        Some(old) => old.get(r.path.as_str()).is_none_or(|o| !r.same_as(o, id)),
    };
    // With the plan kept, a file that shows only what the plan decides is the same.
    let places_kept = |r: &Route| before.is_none() && r.kind.shows_only_places();
    // Every input of every route is looked up (about 10 per page): by index, not by hash.
    let mark = |ids: &HashSet<PageId>| {
        let mut marked = vec![false; pages];
        for i in ids {
            if let Some(m) = marked.get_mut(i.index()) {
                *m = true;
            }
        }
        marked
    };
    let (changed, shown) = (mark(changed), mark(shown));
    let any_shown = shown.contains(&true);
    let is = |marked: &[bool], i: PageId| marked.get(i.index()).copied().unwrap_or(false);
    let stale = |r: &Route| {
        moved(r)
            || (!places_kept(r)
                && (r.body.is_some_and(|b| is(&changed, b))
                    || (any_shown && r.inputs.iter().any(|&i| is(&shown, i)))))
    };
    plan.iter()
        .filter(|r| r.kind != RouteKind::SearchIndex && (everything || stale(r)))
        .collect()
}

/// Makes the JSON API entries of the pages the API files among `routes` list that the cache
/// lacks (new pages, changed ones).
fn fill_api_cache(
    cache: &mut Vec<Option<Vec<u8>>>,
    site: &Site,
    config: &Config,
    routes: &[&Route],
) {
    let urls = Urls::new(config);
    cache.resize(site.pages.len(), None);
    for r in routes {
        if matches!(r.kind, RouteKind::Api { .. }) {
            for &i in &r.inputs {
                if let Some(slot) = cache.get_mut(i.index())
                    && slot.is_none()
                {
                    *slot = Some(emit::api::entry(site, &urls, i));
                }
            }
        }
    }
}
