//! The site graph: which pages are published, references resolved both ways
//! (backlinks grouped by collection and field), links and anchors checked, collections sorted,
//! field indexes and taxonomies. Everything here is linear in pages plus references.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use indexmap::IndexMap;

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::diagnostics::{Diagnostic, closest};
use crate::link_hints;
use crate::markdown::{LinkTarget, Rendered};
use crate::slug::slugify;

/// A page: its place in [`Site::pages`] and in the vectors parallel to it (`rendered`,
/// `published`, `backlinks`, `refs`, `stale`). Read them through [`Site::page`],
/// [`Site::rendered`] and friends, so that a page's id cannot index some other vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PageId(usize);

impl PageId {
    /// The id of the page at `index` in the loaded pages.
    pub fn new(index: usize) -> PageId {
        PageId(index)
    }

    /// Its place in [`Site::pages`] and the vectors parallel to it.
    pub fn index(self) -> usize {
        self.0
    }
}

/// The ids of `pages`, in order (before there is a [`Site`]).
fn ids_of<T>(pages: &[T]) -> impl Iterator<Item = PageId> + use<T> {
    (0..pages.len()).map(PageId)
}

/// Pages by content-relative path. Looked up for every link of every page on each build and
/// each `serve` update, so hashed with foldhash (hashbrown's default) rather than SipHash.
pub type PathIndex = HashMap<String, PageId, hashbrown::DefaultHashBuilder>;

/// Who points at a page: the `source` page and the field (`None` for a body link).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub source: PageId,
    pub field: Option<String>,
}

/// One value of an index (a field index or a taxonomy).
#[derive(Debug, Clone, Default)]
pub struct Term {
    /// The value as first written.
    pub name: String,
    pub slug: String,
    /// Published pages, in the order of [`Site::order`].
    pub pages: Vec<PageId>,
}

/// A collection's published entries and the indexes of its fields.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub name: String,
    pub title: String,
    pub description: String,
    /// Index of its `_index.md`, if any.
    pub intro: Option<PageId>,
    /// Published entries, sorted by the collection's `sort_by`.
    pub entries: Vec<PageId>,
    /// field → terms (sorted by slug).
    pub indexes: IndexMap<String, BTreeMap<String, Term>>,
    /// Sub-folder sections: folder path ("ops" or "ops/etcd") → entries directly inside.
    pub folders: BTreeMap<String, Vec<PageId>>,
}

/// The resolved site.
#[derive(Debug, Default)]
pub struct Site {
    pub pages: Vec<Page>,
    pub rendered: Vec<Rendered>,
    /// Which pages are written (not drafts unless asked, not broken).
    pub published: Vec<bool>,
    pub collections: IndexMap<String, Collection>,
    pub taxonomies: IndexMap<String, BTreeMap<String, Term>>,
    /// target page → who points at it (sorted, deduplicated, published sources only; a body
    /// link is left out when the same source names the target in a field).
    pub backlinks: Vec<Vec<Backlink>>,
    /// page → field → resolved targets, for refs.
    pub refs: Vec<IndexMap<String, Vec<PageId>>>,
    /// Entries whose tested versions are too old (`stale_after`).
    pub stale: Vec<bool>,
    pub home: Option<PageId>,
    /// Non-Markdown files under content/: (content-relative path, file), copied as they are.
    pub assets: Vec<(String, std::path::PathBuf)>,
    /// Page index by content-relative path.
    pub by_rel: PathIndex,
    /// page → the pages its body links to, in link order (what `neighbours` follows).
    pub links: Vec<Vec<PageId>>,
    /// Whether the build writes the search page and bundle (`[search] enabled`).
    pub search: bool,
    /// Survey charts drawn from each entry's CSV file (collections with `charts`): the CSV
    /// file's site path and its questions.
    pub charts: HashMap<PageId, (String, Vec<crate::chart::Question>)>,
    /// Kubernetes releases from `[kubernetes] versions`, newest first.
    pub versions: Option<crate::versions::Versions>,
}

impl Site {
    /// Every page's id, in load order.
    pub fn ids(&self) -> impl Iterator<Item = PageId> + use<> {
        ids_of(&self.pages)
    }

    pub fn page(&self, id: PageId) -> Option<&Page> {
        self.pages.get(id.0)
    }

    pub fn rendered(&self, id: PageId) -> Option<&Rendered> {
        self.rendered.get(id.0)
    }

    pub fn page_mut(&mut self, id: PageId) -> Option<&mut Page> {
        self.pages.get_mut(id.0)
    }

    pub fn rendered_mut(&mut self, id: PageId) -> Option<&mut Rendered> {
        self.rendered.get_mut(id.0)
    }

    /// Takes every entry's body HTML out of the site, in page order (an empty string for
    /// other pages), marking it deferred: a build hands it to the writing stage, which frees
    /// each page's as it writes it.
    pub fn take_entry_html(&mut self) -> Vec<String> {
        self.rendered
            .iter_mut()
            .zip(&self.pages)
            .map(|(r, p)| {
                if p.kind == crate::content::PageKind::Entry && !r.html_deferred {
                    r.html_deferred = true;
                    std::mem::take(&mut r.html)
                } else {
                    String::new()
                }
            })
            .collect()
    }

    /// Lets go of what only the graph and plan read (each body's links) and hands over every
    /// page's body text ([`Rendered::text`]), in page order, which only the search bundle reads
    /// once the graph is built. For a build, which writes the site once.
    pub fn release_for_writing(&mut self) -> Vec<String> {
        self.rendered
            .iter_mut()
            .map(|r| {
                r.links = Vec::new();
                std::mem::take(&mut r.text)
            })
            .collect()
    }

    pub fn is_published(&self, id: PageId) -> bool {
        self.published.get(id.0).copied().unwrap_or(false)
    }

    /// Who points at page `id` (see [`Site::backlinks`]).
    pub fn backlinks(&self, id: PageId) -> &[Backlink] {
        self.backlinks.get(id.0).map_or(&[], Vec::as_slice)
    }

    /// Page `id`'s resolved refs: field → targets.
    pub fn refs(&self, id: PageId) -> Option<&IndexMap<String, Vec<PageId>>> {
        self.refs.get(id.0)
    }

    /// Whether entry `id`'s tested versions are too old (`stale_after`).
    pub fn is_stale(&self, id: PageId) -> bool {
        self.stale.get(id.0).copied().unwrap_or(false)
    }

    /// Whether the collection has a feed (some entry is dated).
    pub fn has_feed(&self, c: &Collection) -> bool {
        c.entries
            .iter()
            .any(|&i| self.page(i).is_some_and(|p| p.date.is_some()))
    }

    /// The dated pages among `pages`, newest first (ties in page order): what feeds and
    /// "recently added" lists show.
    pub fn newest_first(&self, pages: impl IntoIterator<Item = PageId>) -> Vec<PageId> {
        let mut dated: Vec<PageId> = pages
            .into_iter()
            .filter(|&i| self.page(i).is_some_and(|p| p.date.is_some()))
            .collect();
        let date = |i: PageId| self.page(i).and_then(|p| p.date.as_ref());
        dated.sort_by(|&a, &b| date(b).cmp(&date(a)).then(a.cmp(&b)));
        dated
    }

    /// The page at content-relative path `rel`.
    pub fn index_of(&self, rel: &str) -> Option<PageId> {
        self.by_rel.get(rel).copied()
    }

    /// Page `i` and the pages whose output shows something of it: its ref targets, the pages
    /// its body links to, and its backlink sources.
    pub fn neighbours(&self, i: PageId) -> impl Iterator<Item = PageId> + '_ {
        let links = self.links.get(i.0).into_iter().flatten().copied();
        std::iter::once(i)
            .chain(
                self.refs(i)
                    .into_iter()
                    .flat_map(|m| m.values().flatten().copied()),
            )
            .chain(self.backlinks(i).iter().map(|b| b.source))
            .chain(links)
    }

    /// Every published entry, collection by collection.
    pub fn all_entries(&self) -> impl Iterator<Item = PageId> + '_ {
        self.collections
            .values()
            .flat_map(|c| c.entries.iter().copied())
    }
}

/// Builds the graph. `assets` are the non-Markdown files under content/ (content-relative).
/// Which URLs the site writes, and whether they collide, is the plan's job ([`crate::plan`]).
pub fn build(
    config: &Config,
    pages: Vec<Page>,
    rendered: Vec<Rendered>,
    (assets, content_dir): (&HashSet<String>, &Path),
    drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let n = pages.len();
    let published: Vec<bool> = pages
        .iter()
        .map(|p| !p.broken && (drafts || !p.draft))
        .collect();
    let by_rel: PathIndex = ids_of(&pages)
        .zip(&pages)
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();

    // Entries by (collection, slug).
    let mut by_slug: HashMap<(&str, &str), PageId, hashbrown::DefaultHashBuilder> =
        HashMap::default();
    for (i, p) in ids_of(&pages).zip(&pages) {
        if p.kind == PageKind::Entry
            && let Some(c) = &p.collection
        {
            // Two entries with one slug: a ref names the one nearest the collection's top
            // (then the first loaded); the others are told so below.
            let depth = |q: &Page| q.rel.matches('/').count();
            let held = by_slug.entry((c.as_str(), p.slug.as_str())).or_insert(i);
            if pages
                .get(held.0)
                .is_some_and(|first| depth(p) < depth(first))
            {
                *held = i;
            }
        }
    }
    diags.extend(shared_titles(&pages));
    for (i, p) in ids_of(&pages).zip(&pages) {
        if p.kind == PageKind::Entry
            && let Some(c) = &p.collection
            && let Some(&named) = by_slug.get(&(c.as_str(), p.slug.as_str()))
            && named != i
            && let Some(d) = shared_slug(config, p, pages.get(named.0))
        {
            diags.push(d);
        }
    }

    let (mut refs, mut backlinks) = (vec![IndexMap::new(); n], vec![Vec::new(); n]);
    let mut links = vec![Vec::new(); n];
    resolve_refs(
        config,
        &pages,
        &published,
        &by_slug,
        &mut refs,
        &mut backlinks,
        &mut diags,
    );
    check_links(
        &pages,
        &rendered,
        &by_rel,
        &published,
        (assets, content_dir),
        (&mut backlinks, &mut links),
        &mut diags,
    );
    dedup_backlinks(&mut backlinks);
    let (collections, home, taxonomies) = collections_and_indexes(config, &pages, &published);

    // Freshness.
    let stale = stale_entries(config, &pages, &mut diags);

    let site = Site {
        pages,
        rendered,
        published,
        collections,
        taxonomies,
        backlinks,
        refs,
        stale,
        home,
        assets: Vec::new(),
        by_rel,
        links,
        search: config.search.enabled,
        charts: HashMap::new(),
        versions: None,
    };

    (site, diags)
}

/// A `duplicate-title` warning on each entry whose folder holds another entry of the same
/// title (letter case and spacing aside), naming that other entry: readers see two entries with
/// one name side by side, usually a copied file whose title was kept. Entries in different
/// folders may share a title (a docs tree's many "Overview" pages).
fn shared_titles(pages: &[Page]) -> Vec<Diagnostic> {
    let mut by_title: HashMap<(&str, String), Vec<&Page>> = HashMap::new();
    for p in pages {
        if p.kind == PageKind::Entry && !p.broken {
            let folder = p.rel.rsplit_once('/').map_or("", |(f, _)| f);
            let title = p.title.split_whitespace().collect::<Vec<_>>().join(" ");
            by_title
                .entry((folder, title.to_lowercase()))
                .or_default()
                .push(p);
        }
    }
    let mut diags = Vec::new();
    for same in by_title.values().filter(|s| s.len() > 1) {
        for (n, p) in same.iter().enumerate() {
            let other = same
                .get(if n == 0 { 1 } else { 0 })
                .map_or("", |o| o.file.as_str());
            let message = format!("`{}` is also the title of {other}", p.title.trim());
            let d = at_key(p, "title", "duplicate-title", message);
            diags.push(
                d.help("give each entry a title of its own: readers tell entries apart by it (a copied file keeps the title it was copied from)")
                    .warning(),
            );
        }
    }
    diags.sort_by(|a, b| a.file.cmp(&b.file));
    diags
}

/// A `duplicate-slug` warning on `page`, an entry of a collection that `ref` fields point
/// to, whose slug the entry `first` (in another folder of it) also has: a ref names entries by
/// slug, and every ref to it names `first`.
fn shared_slug(config: &Config, page: &Page, first: Option<&Page>) -> Option<Diagnostic> {
    let (collection, first) = (page.collection.as_deref()?, first?);
    let referred = config.collections.values().any(|c| {
        c.fields
            .iter()
            .flatten()
            .any(|(_, f)| f.get_ref().to.as_deref() == Some(collection))
    });
    if !referred {
        return None;
    }
    let message = format!(
        "`{}` is also the slug of {}: a `ref` to `{}` names that entry, never this one",
        page.slug, first.file, page.slug
    );
    Some(
        at_key(page, "slug", "duplicate-slug", message)
            .help("give this file another name, or set `slug`, so each entry can be named")
            .warning(),
    )
}

/// A diagnostic at `page`'s `key` line, or at the file when the page does not set it.
fn at_key(page: &Page, key: &str, code: &'static str, message: String) -> Diagnostic {
    let span = page.key_span(key);
    if span.is_empty() {
        Diagnostic::file(&page.file, code, message)
    } else {
        Diagnostic::at(&page.file, &page.source_text(), span, code, message)
    }
}

/// The graph's diagnostic `d` on a page, made again for `page`, its edited version, when the
/// edit cannot change it (the graph sees both alike: same title, same slug, so the same
/// entries share them) and only its place may move: a shared title or slug.
pub(crate) fn remade_on(page: &Page, d: &Diagnostic) -> Option<Diagnostic> {
    let key = match d.code {
        "duplicate-title" => "title",
        "duplicate-slug" => "slug",
        _ => return None,
    };
    let mut again = at_key(page, key, d.code, d.message.clone());
    again.help.clone_from(&d.help);
    again.severity = d.severity;
    Some(again)
}

/// Resolves every `ref` field both ways: `refs[page][field]` and the targets' backlinks
/// (published sources only); an unknown slug is a `broken-ref` with a "did you mean".
fn resolve_refs(
    config: &Config,
    pages: &[Page],
    published: &[bool],
    by_slug: &HashMap<(&str, &str), PageId, hashbrown::DefaultHashBuilder>,
    refs: &mut [IndexMap<String, Vec<PageId>>],
    backlinks: &mut [Vec<Backlink>],
    diags: &mut Vec<Diagnostic>,
) {
    for (i, p) in ids_of(pages).zip(pages) {
        for r in &p.refs {
            match by_slug.get(&(r.collection.as_str(), r.slug.as_str())) {
                Some(&t) => {
                    if let Some(m) = refs.get_mut(i.0) {
                        m.entry(r.field.clone()).or_default().push(t);
                    }
                    if published.get(i.0) == Some(&true)
                        && let Some(b) = backlinks.get_mut(t.0)
                    {
                        b.push(Backlink {
                            source: i,
                            field: Some(r.field.clone()),
                        });
                    }
                }
                None => {
                    let slugs = pages
                        .iter()
                        .filter(|q| {
                            q.kind == PageKind::Entry
                                && q.collection.as_deref() == Some(r.collection.as_str())
                        })
                        .map(|q| q.slug.as_str());
                    // A path written for a slug (`../tools/kubeadm.md`): its file's stem.
                    let text = p.source_text();
                    let written = text
                        .get(r.span.clone())
                        .unwrap_or("")
                        .trim_matches(['"', '\'']);
                    // A web address written for a slug (`https://kured.dev/`): its host's
                    // first name.
                    let address = written.split_once("://").map(|(_, rest)| {
                        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
                        let host = host.strip_prefix("www.").unwrap_or(host);
                        crate::slug::slugify(host.split('.').next().unwrap_or(host))
                    });
                    let from_path = (written.contains('/') || written.ends_with(".md"))
                        .then(|| {
                            let trimmed = written.trim_end_matches('/');
                            let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
                            crate::slug::slugify(name.strip_suffix(".md").unwrap_or(name))
                        })
                        .filter(|s| slugs.clone().any(|q| q == s))
                        .or_else(|| address.filter(|s| slugs.clone().any(|q| q == s)));
                    let help = match from_path.as_deref().or_else(|| closest(&r.slug, slugs)) {
                        Some(c) if from_path.is_some() && written.contains("://") => {
                            format!("write the entry's slug, not its web address: `{c}`")
                        }
                        Some(c) if from_path.is_some() => {
                            format!("write the entry's slug, not a path to its file: `{c}`")
                        }
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!(
                            "the value names the file stem (or `slug`) of an entry in content/{}/",
                            dir_of(config, &r.collection)
                        ),
                    };
                    diags.push(
                        Diagnostic::at(
                            &p.file,
                            &p.source_text(),
                            r.span.clone(),
                            "broken-ref",
                            format!(
                                "`{}` refers to `{}`, which is not an entry of `{}`",
                                r.field,
                                if written.is_empty() { &r.slug } else { written },
                                r.collection
                            ),
                        )
                        .help(help),
                    );
                }
            }
        }
    }
}

/// Checks links written in bodies (files, headings; site paths are the plan's to check) and
/// records body links between pages: as backlinks of the target, and as the source's `links`.
fn check_links(
    pages: &[Page],
    rendered: &[Rendered],
    by_rel: &PathIndex,
    published: &[bool],
    (assets, content_dir): (&HashSet<String>, &Path),
    (backlinks, links): (&mut [Vec<Backlink>], &mut [Vec<PageId>]),
    diags: &mut Vec<Diagnostic>,
) {
    for (i, (p, r)) in ids_of(pages).zip(pages.iter().zip(rendered)) {
        for link in &r.links {
            let err = |code: &'static str, msg: String, help: Option<String>| {
                let d = Diagnostic::at(&p.file, &p.source_text(), link.span.clone(), code, msg);
                match help {
                    Some(h) => d.help(h),
                    None => d,
                }
            };
            // A link to a file that does not exist, with the closest path from this folder. A
            // file that is there but could not be read has its own error: none here.
            let missing_file = |rel: &str| {
                if let Some(name) = on_disk(content_dir, rel) {
                    if name == rel {
                        return None;
                    }
                    let file = name.rsplit('/').next().unwrap_or(&name);
                    // `x.MD` is not read as a page at all: the file is the one to rename.
                    if file.to_ascii_lowercase().ends_with(".md") && !file.ends_with(".md") {
                        let wanted = rel.rsplit('/').next().unwrap_or(rel);
                        return Some(err(
                            "broken-link",
                            format!("link to `{}`: the file is named `{file}`", link.dest),
                            Some(format!("rename it to `{wanted}`")),
                        ));
                    }
                    // Otherwise the link is the one to change: the file may have other links.
                    let written = link.dest.split(['#', '?']).next().unwrap_or(&link.dest);
                    let suffix = link.dest.get(written.len()..).unwrap_or("");
                    let fixed = match written.rsplit_once('/') {
                        Some((dir, _)) => format!("{dir}/{file}{suffix}"),
                        None => format!("{file}{suffix}"),
                    };
                    return Some(err(
                        "broken-link",
                        format!(
                            "link to `{}`: the file is named `{file}` (names are case-sensitive once published)",
                            link.dest
                        ),
                        Some(format!("write the link as `{fixed}`")),
                    ));
                }
                let help = link_hints::missing_file(
                    p.source_dir(),
                    &link.dest,
                    |r| by_rel.contains_key(r) || assets.contains(r),
                    by_rel.keys().chain(assets).map(String::as_str),
                )
                .unwrap_or_else(|| format!("add the file as content/{rel}, or correct the path"));
                Some(err(
                    "broken-link",
                    format!("link to `{}`: no such file content/{rel}", link.dest),
                    Some(help),
                ))
            };
            match &link.target {
                LinkTarget::Page { rel, anchor } => match by_rel.get(rel.as_str()) {
                    Some(&t) => {
                        if let Some(l) = links.get_mut(i.0) {
                            l.push(t);
                        }
                        if published.get(i.0) == Some(&true)
                            && t != i
                            && let Some(b) = backlinks.get_mut(t.0)
                        {
                            b.push(Backlink {
                                source: i,
                                field: None,
                            });
                        }
                        // A published page linking to a draft would publish a dead link.
                        if published.get(i.0) == Some(&true)
                            && published.get(t.0) == Some(&false)
                            && pages.get(t.0).is_some_and(|tp| tp.draft && !tp.broken)
                        {
                            diags.push(err(
                                "broken-link",
                                format!(
                                    "link to `{}`: content/{rel} is a draft, which this build does not publish",
                                    link.dest
                                ),
                                Some(
                                    "publish it (remove its `draft` setting) or remove the link until it is; `--drafts` builds drafts too"
                                        .into(),
                                ),
                            ));
                        }
                        if let Some(a) = anchor
                            && let (Some(tp), Some(tr)) = (pages.get(t.0), rendered.get(t.0))
                            && !tp.broken
                            && !tr.has_heading(a)
                        {
                            diags.push(err(
                                "broken-anchor",
                                format!("`{rel}` has no heading with the id `#{a}`"),
                                anchor_help(a, tr),
                            ));
                        }
                    }
                    None => diags.extend(missing_file(rel)),
                },
                LinkTarget::SamePage { anchor } => {
                    if !r.has_heading(anchor) {
                        diags.push(err(
                            "broken-anchor",
                            format!("this page has no heading with the id `#{anchor}`"),
                            anchor_help(anchor, r),
                        ));
                    }
                }
                LinkTarget::File { rel } => {
                    if !assets.contains(rel) && !by_rel.contains_key(rel.as_str()) {
                        diags.extend(missing_file(rel));
                    }
                }
                LinkTarget::Outside => diags.push(err(
                    "broken-link",
                    format!("link to `{}` leaves the content folder", link.dest),
                    Some("link to pages with relative paths that stay inside content/".into()),
                )),
                LinkTarget::Nowhere => {
                    let (message, help, mistake) = crate::markdown::nowhere_help(&link.dest);
                    let d = err("broken-link", message, Some(help));
                    diags.push(if mistake { d } else { d.warning() });
                }
                LinkTarget::SitePath { .. } => {} // checked by the plan, which knows every URL
            }
        }
    }
}

/// The content-relative name of the file at `rel` under `content_dir` that is not a page: as
/// written, or differing only in case (`x.MD` for `x.md`). `None` when there is none.
fn on_disk(content_dir: &Path, rel: &str) -> Option<String> {
    // Hidden files are neither read nor published: a link to one is broken.
    if rel.split('/').any(|part| part.starts_with('.')) {
        return None;
    }
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let names: Vec<String> = std::fs::read_dir(content_dir.join(dir))
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    let found = names
        .iter()
        .find(|n| *n == name)
        .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(name)))?;
    Some(if dir.is_empty() {
        found.clone()
    } else {
        format!("{dir}/{found}")
    })
}

/// Sorts each page's backlinks and keeps one per source.
fn dedup_backlinks(backlinks: &mut [Vec<Backlink>]) {
    for b in backlinks.iter_mut() {
        b.sort();
        b.dedup();
        // A page that names this one in a field and also links to it in its body is listed
        // once, under the field. Sorted by source, so the named sources come out sorted.
        let named: Vec<PageId> = b
            .iter()
            .filter(|x| x.field.is_some())
            .map(|x| x.source)
            .collect();
        b.retain(|x| x.field.is_some() || named.binary_search(&x.source).is_err());
    }
}

/// Collections (configured ones first, in declared order, then schema-less folders) with
/// their sorted entries and folders, the home page, and the field indexes and taxonomies.
#[allow(clippy::type_complexity)]
fn collections_and_indexes(
    config: &Config,
    pages: &[Page],
    published: &[bool],
) -> (
    IndexMap<String, Collection>,
    Option<PageId>,
    IndexMap<String, BTreeMap<String, Term>>,
) {
    let mut collections: IndexMap<String, Collection> = IndexMap::new();
    for (name, c) in &config.collections {
        collections.insert(
            name.clone(),
            Collection {
                name: name.clone(),
                title: c.title.clone().unwrap_or_else(|| title_case(name)),
                description: c.description.clone().unwrap_or_default(),
                ..Default::default()
            },
        );
    }
    let mut home = None;
    for (i, p) in ids_of(pages).zip(pages) {
        if p.kind == PageKind::Home {
            home = Some(i);
        }
        let Some(c) = &p.collection else { continue };
        let coll = collections.entry(c.clone()).or_insert_with(|| Collection {
            name: c.clone(),
            title: title_case(c),
            ..Default::default()
        });
        if published.get(i.0) != Some(&true) {
            continue;
        }
        match p.kind {
            PageKind::Section if p.folders.is_empty() => {
                coll.intro = Some(i);
                if coll.description.is_empty() {
                    coll.description = p.description.clone().unwrap_or_default();
                }
                coll.title = p.title.clone();
            }
            PageKind::Entry => {
                coll.entries.push(i);
                if !p.folders.is_empty() {
                    coll.folders.entry(p.folders.join("/")).or_default().push(i);
                }
            }
            _ => {}
        }
    }
    // Titles compared without case, lowered once rather than in every comparison.
    let lower: Vec<String> = pages.iter().map(|p| p.title.to_lowercase()).collect();
    for (name, coll) in &mut collections {
        let sort_by = config.collection(name).and_then(|c| c.sort_by.clone());
        sort_entries(&mut coll.entries, pages, &lower, sort_by.as_deref());
        for entries in coll.folders.values_mut() {
            sort_entries(entries, pages, &lower, sort_by.as_deref());
        }
    }

    // Field indexes and taxonomies, in collection order so each term lists pages sorted.
    let mut taxonomies: IndexMap<String, BTreeMap<String, Term>> = config
        .taxonomies
        .keys()
        .map(|k| (k.clone(), BTreeMap::new()))
        .collect();
    let order: Vec<PageId> = collections
        .values()
        .flat_map(|c| c.entries.iter().copied())
        .collect();
    for &i in &order {
        let Some(p) = pages.get(i.0) else { continue };
        let Some(c) = p.collection.as_ref().and_then(|c| collections.get_mut(c)) else {
            continue;
        };
        for (field, value) in &p.index_values {
            add_term(c.indexes.entry(field.clone()).or_default(), value, i);
        }
        for (tax, value) in &p.terms {
            add_term(taxonomies.entry(tax.clone()).or_default(), value, i);
        }
    }
    // Fields with index = true get their index page even with no values yet.
    for (name, c) in &config.collections {
        if let (Some(fields), Some(coll)) = (&c.fields, collections.get_mut(name)) {
            for (field, spec) in fields {
                if spec.get_ref().index {
                    coll.indexes.entry(field.clone()).or_default();
                }
            }
        }
    }

    (collections, home, taxonomies)
}

fn add_term(terms: &mut BTreeMap<String, Term>, value: &str, page: PageId) {
    let slug = slugify(value);
    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
        name: value.to_string(),
        slug,
        pages: Vec::new(),
    });
    if term.pages.last() != Some(&page) {
        term.pages.push(page);
    }
}

fn dir_of<'a>(config: &'a Config, collection: &'a str) -> &'a str {
    config
        .collection(collection)
        .and_then(|c| c.dir.as_deref())
        .unwrap_or(collection)
}

pub(crate) fn anchor_help(anchor: &str, target: &Rendered) -> Option<String> {
    match closest(anchor, target.toc.iter().map(|t| t.id.as_str())) {
        Some(c) => Some(format!("did you mean `#{c}`?")),
        None if target.toc.is_empty() => Some("that page has no headings".into()),
        None => Some(format!(
            "headings there: {}",
            target
                .toc
                .iter()
                .take(8)
                .map(|t| format!("#{}", t.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn title_case(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c)
            .collect::<String>()
            .replace(['-', '_'], " "),
        None => String::new(),
    }
}

/// Sorts entries: `weight` ascending, `date` newest first, `title`, or a field; ties by title,
/// then path (`lower`: every page's title in lower case). Default: date when any entry has one,
/// else title.
fn sort_entries(entries: &mut [PageId], pages: &[Page], lower: &[String], sort_by: Option<&str>) {
    let by = sort_by.unwrap_or_else(|| {
        if entries
            .iter()
            .any(|&i| pages.get(i.0).is_some_and(|p| p.date.is_some()))
        {
            "date"
        } else {
            "title"
        }
    });
    let tie = |a: PageId, b: PageId, pa: &Page, pb: &Page| {
        lower
            .get(a.0)
            .cmp(&lower.get(b.0))
            .then_with(|| pa.rel.cmp(&pb.rel))
    };
    entries.sort_by(|&a, &b| {
        let (Some(pa), Some(pb)) = (pages.get(a.0), pages.get(b.0)) else {
            return a.cmp(&b);
        };
        let primary = match by {
            "title" => std::cmp::Ordering::Equal,
            "date" => pb.date.cmp(&pa.date),
            "weight" => match (pa.weight, pb.weight) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            field => compare_json(pa.fields.get(field), pb.fields.get(field)),
        };
        primary.then_with(|| tie(a, b, pa, pb))
    });
}

fn compare_json(
    a: Option<&serde_json::Value>,
    b: Option<&serde_json::Value>,
) -> std::cmp::Ordering {
    use serde_json::Value as J;
    use std::cmp::Ordering::*;
    match (a, b) {
        (None, None) => Equal,
        (None, Some(_)) => Greater,
        (Some(_), None) => Less,
        (Some(J::Number(x)), Some(J::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&y.as_f64().unwrap_or(0.0)),
        // Versions sort as versions: 1.9 before 1.10.
        (Some(J::String(x)), Some(J::String(y)))
            if minor_version(x).is_some() && minor_version(y).is_some() =>
        {
            minor_version(x)
                .cmp(&minor_version(y))
                .then_with(|| x.to_lowercase().cmp(&y.to_lowercase()))
        }
        (Some(x), Some(y)) => x
            .to_string()
            .to_lowercase()
            .cmp(&y.to_string().to_lowercase()),
    }
}

/// Parses "1.33" (or "v1.33.2") into (major, minor).
pub fn minor_version(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('v');
    let mut it = s.split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

fn stale_entries(config: &Config, pages: &[Page], diags: &mut Vec<Diagnostic>) -> Vec<bool> {
    pages
        .iter()
        .map(|p| match stale_warning(config, p) {
            Some(d) => {
                diags.push(d);
                true
            }
            None => false,
        })
        .collect()
}

/// The `stale` warning of entry `p` when the newest Kubernetes version it names is more than its
/// collection's `stale_after` allows behind `[kubernetes] current` (None: not stale).
pub(crate) fn stale_warning(config: &Config, p: &Page) -> Option<Diagnostic> {
    let current = config
        .kubernetes
        .current
        .as_deref()
        .and_then(minor_version)?;
    if p.kind != PageKind::Entry {
        return None;
    }
    let rule = p
        .collection
        .as_deref()
        .and_then(|c| config.collection(c))
        .and_then(|c| c.stale_after.as_ref())?;
    let versions: Vec<&str> = match p.fields.get(&rule.field)? {
        serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
        serde_json::Value::String(s) => vec![s.as_str()],
        _ => return None,
    };
    let newest = versions.iter().filter_map(|v| minor_version(v)).max()?;
    let behind = if newest.0 == current.0 {
        current.1.saturating_sub(newest.1)
    } else if newest.0 < current.0 {
        u32::MAX
    } else {
        0
    };
    if behind <= rule.minors {
        return None;
    }
    let span = p.key_span(&rule.field);
    Some(
        Diagnostic::at(&p.file, &p.source_text(), span, "stale", format!("newest Kubernetes version named is {}.{}, more than {} minor versions behind {}.{}", newest.0, newest.1, rule.minors, current.0, current.1))
            .help("review the entry against a current version, name that version in the list and update `last_reviewed`")
            .warning(),
    )
}

/// Whether the graph and the plan see page `old` (rendered `old_r`) and its edited version
/// `new` (`new_r`) alike: everything [`build`] and [`crate::plan::plan`] read of a page that
/// can change what other pages show, or which routes exist and what they list — its place and
/// URL, publication, title, dates and weight (list order, feeds, the sitemap), the sort field,
/// refs, taxonomy terms and indexed values, aliases, the chart's data file, the targets of its
/// body links and its heading ids (backlinks, links and their checks). When it holds, the
/// edit changed only the page's own data (its body, or fields only its own page, summaries
/// and the API show) and the graph is updated in place instead of rebuilt. What can differ:
/// spans (so diagnostics of the graph stage on this page must be made again), the body, the
/// summary and other fields.
pub(crate) fn graph_sees_alike(
    config: &Config,
    (old, old_r): (&Page, &Rendered),
    (new, new_r): (&Page, &Rendered),
) -> bool {
    let schema = new.collection.as_deref().and_then(|c| config.collection(c));
    let field = |name: Option<&str>| {
        name.map(|f| (old.fields.get(f), new.fields.get(f)))
            .is_none_or(|(a, b)| a == b)
    };
    let same_refs = old
        .refs
        .iter()
        .map(|r| (&r.field, &r.collection, &r.slug))
        .eq(new.refs.iter().map(|r| (&r.field, &r.collection, &r.slug)));
    let same_aliases = old
        .aliases
        .iter()
        .map(|(a, _)| a)
        .eq(new.aliases.iter().map(|(a, _)| a));
    let same_links = old_r
        .links
        .iter()
        .map(|l| &l.target)
        .eq(new_r.links.iter().map(|l| &l.target));
    let same_toc = old_r
        .toc
        .iter()
        .map(|t| &t.id)
        .eq(new_r.toc.iter().map(|t| &t.id));
    old.rel == new.rel
        && old.file == new.file
        && old.kind == new.kind
        && old.broken == new.broken
        && old.draft == new.draft
        && old.collection == new.collection
        && old.folders == new.folders
        && old.slug == new.slug
        && old.url == new.url
        && old.title == new.title
        && old.description == new.description
        && old.date == new.date
        && old.updated == new.updated
        && old.weight == new.weight
        && old.terms == new.terms
        && old.index_values == new.index_values
        && same_refs
        && same_aliases
        && field(schema.and_then(|c| c.sort_by.as_deref()))
        && field(schema.and_then(|c| c.charts.as_deref()))
        && same_links
        && same_toc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_sorting_compares_versions_as_versions() {
        let v = |s: &str| serde_json::Value::String(s.to_string());
        assert_eq!(
            compare_json(Some(&v("1.9")), Some(&v("1.10"))),
            std::cmp::Ordering::Less
        );
        assert_eq!(
            compare_json(Some(&v("1.33")), Some(&v("1.24"))),
            std::cmp::Ordering::Greater
        );
        assert_eq!(
            compare_json(Some(&v("beta")), Some(&v("Alpha"))),
            std::cmp::Ordering::Greater
        );
    }

    #[test]
    fn versions() {
        assert_eq!(minor_version("1.30"), Some((1, 30)));
        assert_eq!(minor_version("v1.29.3"), Some((1, 29)));
        assert_eq!(minor_version("latest"), None);
    }
}
