//! The plan: every output route of the site, once — pages, lists and their pagination, field
//! indexes, taxonomies, feeds, the JSON API, search, aliases, sitemap and static copies — with
//! the pages each one shows (its inputs). It is the one answer to "which URLs exist": the
//! duplicate-URL check (two routes writing one file, or a file where another route needs a
//! folder), the check of site-absolute links, rendering, feeds, the sitemap and `serve`'s
//! invalidation all read it.

use std::collections::BTreeMap;

// Planning hashes every output path on each build and each `serve` update: foldhash, not SipHash.
use hashbrown::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::config::Config;
use crate::content::PageKind;
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkTarget;
use crate::output::file_of;
use crate::site::{PageId, Site};
use crate::theme::StaticFile;

/// Site path of the search page.
pub const SEARCH_PATH: &str = "/search/";
/// Folder of the search bundle (word shards, page chunks, filters).
pub const SEARCH_DATA: &str = "/search/data/";
/// Entries an Atom feed shows.
pub const FEED_ENTRIES: usize = 20;

/// Site path of a collection's JSON API file.
pub fn api_path(collection: &str) -> String {
    format!("/api/{collection}.json")
}

/// Splits a list into pages: `per_page` entries each (all on one page when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator {
    pub per_page: Option<usize>,
    pub items: usize,
}

impl Paginator {
    /// The paginator of a collection's list (`paginate_by`) or of a folder list (never paged).
    pub fn of_list(site: &Site, config: &Config, collection: &str, folder: Option<&str>) -> Self {
        let items = site
            .collections
            .get(collection)
            .map_or(0, |c| match folder {
                Some(f) => c.folders.get(f).map_or(0, Vec::len),
                None => c.entries.len(),
            });
        let per_page = config
            .collection(collection)
            .and_then(|c| c.paginate_by)
            .filter(|&n| n > 0 && folder.is_none());
        Paginator { per_page, items }
    }

    /// How many pages (at least one, even when empty).
    pub fn pages(&self) -> usize {
        self.per_page.map_or(1, |n| self.items.div_ceil(n).max(1))
    }

    /// The positions of the items on page `page` (1-based).
    pub fn range(&self, page: usize) -> Range<usize> {
        match self.per_page {
            Some(n) => {
                let start = page.saturating_sub(1).saturating_mul(n).min(self.items);
                start..start.saturating_add(n).min(self.items)
            }
            None => 0..self.items,
        }
    }

    /// Site path of page `page` of the list at `base` (`/notes/`, `/notes/page/2/`).
    pub fn path(base: &str, page: usize) -> String {
        if page <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{page}/")
        }
    }
}

/// Where a static copy comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StaticSource {
    /// A theme or site `static/` file (site path key of `Theme::statics`).
    Theme,
    /// A non-Markdown file under content/ (index into `Site::assets`).
    Asset(usize),
}

/// What a route writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// An entry or plain page.
    Page(PageId),
    Home,
    NotFound,
    /// The search page (when `[search] enabled`).
    Search,
    /// The search bundle: every file under [`SEARCH_DATA`].
    SearchIndex,
    /// A collection's list (page `page` of it) or a folder's list inside it.
    List {
        collection: String,
        folder: Option<String>,
        page: usize,
    },
    FieldTerms {
        collection: String,
        field: String,
    },
    FieldTerm {
        collection: String,
        field: String,
        slug: String,
    },
    Taxonomy {
        name: String,
    },
    TaxonomyTerm {
        name: String,
        slug: String,
    },
    /// The site's feed (`None`) or a collection's.
    Feed {
        collection: Option<String>,
    },
    Api {
        collection: String,
    },
    /// A redirect page to page `page`, or to the site path `to` when the alias is an old term
    /// page of one of its indexed fields (see [`alias_target`]).
    Alias {
        page: PageId,
        to: Option<String>,
    },
    Sitemap,
    Robots,
    /// `/highlight.css`.
    Stylesheet,
    Static(StaticSource),
}

impl RouteKind {
    /// Rendered with a Tera template into an HTML page.
    pub fn is_template(&self) -> bool {
        matches!(
            self,
            RouteKind::Page(_)
                | RouteKind::Home
                | RouteKind::NotFound
                | RouteKind::Search
                | RouteKind::List { .. }
                | RouteKind::FieldTerms { .. }
                | RouteKind::FieldTerm { .. }
                | RouteKind::Taxonomy { .. }
                | RouteKind::TaxonomyTerm { .. }
        )
    }

    /// Listed in the sitemap: the HTML pages a reader lands on (not 404, not redirects).
    pub fn in_sitemap(&self) -> bool {
        self.is_template() && *self != RouteKind::NotFound
    }

    /// Shows of its inputs only what the graph and the plan decide — their URLs, whether
    /// they are published, their dates — and nothing of their summaries or bodies: the sitemap
    /// and redirects. While the graph and plan stay as they are, such a file stays the same.
    pub fn shows_only_places(&self) -> bool {
        matches!(self, RouteKind::Sitemap | RouteKind::Alias { .. })
    }
}

/// One output: its site path (`/tools/kubeadm/`, `/atom.xml`), what it is, and the pages
/// whose data it shows (`inputs`: their titles, fields, summaries; `body`: the one page whose
/// whole body it shows, if any). `shape` sums up what else it shows that the graph decides
/// (term counts, page totals): two routes with equal kind, inputs and shape, over unchanged
/// pages, render the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub path: String,
    pub kind: RouteKind,
    pub inputs: Vec<PageId>,
    pub body: Option<PageId>,
    pub shape: u64,
    /// The published pages whose bodies link to this route by its site path, when it is not
    /// a page's own (a product page, a release page): they have no backlinks to show it, so
    /// the route lists them itself. Also in `inputs`.
    pub linked_from: Vec<PageId>,
}

impl Route {
    fn new(path: String, kind: RouteKind, inputs: Vec<PageId>) -> Route {
        let body = match kind {
            RouteKind::Page(i) => Some(i),
            _ => None,
        };
        Route {
            path,
            kind,
            inputs,
            body,
            shape: 0,
            linked_from: Vec::new(),
        }
    }

    fn with_body(mut self, body: Option<PageId>) -> Route {
        self.body = body;
        self
    }

    fn shaped(mut self, shape: u64) -> Route {
        self.shape = shape;
        self
    }

    /// The file it writes (for the search bundle: its folder).
    pub fn file(&self) -> String {
        file_of(&self.path)
    }

    /// Whether this route, planned after pages were edited, added or removed, has the kind,
    /// inputs, body and shape `old` had in the previous plan. `id` maps the previous plan's page
    /// ids to this plan's (None: the page is gone), since ids shift when pages come and go. Pages
    /// whose own content changed are the caller's to know.
    pub fn same_as(&self, old: &Route, id: impl Fn(PageId) -> Option<PageId>) -> bool {
        let same_kind = match (&old.kind, &self.kind) {
            (RouteKind::Page(a), RouteKind::Page(b)) => id(*a) == Some(*b),
            (RouteKind::Alias { page: a, to: x }, RouteKind::Alias { page: b, to: y }) => {
                id(*a) == Some(*b) && x == y
            }
            // The same content file at the same path (its place in `Site::assets` may move).
            (
                RouteKind::Static(StaticSource::Asset(_)),
                RouteKind::Static(StaticSource::Asset(_)),
            ) => old.path == self.path,
            (a, b) => a == b,
        };
        same_kind
            && old.shape == self.shape
            && old.inputs.len() == self.inputs.len()
            && old
                .inputs
                .iter()
                .zip(&self.inputs)
                .all(|(&a, &b)| id(a) == Some(b))
            && old.body.map(&id) == self.body.map(Some)
    }
}

/// Every route of the site, in a stable order (pages first, then lists, then the rest).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub routes: Vec<Route>,
}

impl Plan {
    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter()
    }

    /// The routes rendered through templates.
    pub fn templated(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().filter(|r| r.kind.is_template())
    }

    /// The route at a site path, if any.
    pub fn find(&self, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.path == path)
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Plans the site: every route, then the duplicate-URL check and the check of site-absolute
/// links against it. `statics` are the theme's and site's static files (site path → source),
/// named in messages relative to the site's `root`.
pub fn plan(
    site: &Site,
    config: &Config,
    statics: &BTreeMap<String, StaticFile>,
    root: &std::path::Path,
) -> (Plan, Vec<Diagnostic>) {
    let mut routes = Vec::new();
    page_routes(site, &mut routes);
    list_routes(site, config, &mut routes);
    extra_routes(site, config, &mut routes);
    let mut diags = Vec::new();
    let statics = Statics {
        files: statics,
        root,
    };
    let mut routes = resolve_collisions(site, routes, &statics, &mut diags);
    // The sitemap shows every page's path: a route added or removed changes it.
    let listed = hash_of(
        routes
            .iter()
            .filter(|r| r.kind.in_sitemap())
            .map(|r| r.path.as_str())
            .collect::<Vec<_>>(),
    );
    if let Some(sitemap) = routes.iter_mut().find(|r| r.kind == RouteKind::Sitemap) {
        sitemap.shape = listed;
    }
    let mut plan = Plan { routes };
    let (link_diags, linked) = check_site_links(site, &plan);
    diags.extend(link_diags);
    for route in &mut plan.routes {
        if let Some(sources) = linked.get(route.path.as_str()) {
            route.linked_from.clone_from(sources);
            route.inputs.extend(sources);
        }
    }
    (plan, diags)
}

fn page_routes(site: &Site, routes: &mut Vec<Route>) {
    for (i, p) in site.ids().zip(&site.pages) {
        if site.is_published(i) && matches!(p.kind, PageKind::Entry | PageKind::Plain) {
            let mut inputs: Vec<PageId> = site.neighbours(i).collect();
            inputs.sort_unstable();
            inputs.dedup();
            routes.push(Route::new(p.url.clone(), RouteKind::Page(i), inputs));
        }
    }
    let home_inputs = site
        .home
        .filter(|&h| site.is_published(h))
        .map(|h| {
            let mut v: Vec<PageId> = site.neighbours(h).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .unwrap_or_default();
    routes.push(Route::new("/".into(), RouteKind::Home, home_inputs).with_body(site.home));
    routes.push(Route::new(
        "/404.html".into(),
        RouteKind::NotFound,
        Vec::new(),
    ));
    if site.search {
        routes.push(Route::new(
            SEARCH_PATH.into(),
            RouteKind::Search,
            Vec::new(),
        ));
    }
}

/// Counts of every term of every index of a collection, and whether it has a feed: what the
/// facets and feed link of its list pages show.
fn facets_shape(site: &Site, collection: &crate::site::Collection) -> u64 {
    hash_of((
        collection
            .indexes
            .iter()
            .map(|(f, terms)| {
                (
                    f,
                    terms
                        .values()
                        .map(|t| (&t.slug, &t.name, t.pages.len()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>(),
        site.has_feed(collection),
        &collection.title,
        &collection.description,
    ))
}

fn terms_shape(terms: &BTreeMap<String, crate::site::Term>) -> u64 {
    hash_of(
        terms
            .values()
            .map(|t| (&t.slug, &t.name, t.pages.len()))
            .collect::<Vec<_>>(),
    )
}

fn list_routes(site: &Site, config: &Config, routes: &mut Vec<Route>) {
    for (name, c) in &site.collections {
        let pager = Paginator::of_list(site, config, name, None);
        let facets = facets_shape(site, c);
        let matrix = config.collection(name).and_then(|cc| cc.matrix.as_ref());
        let base = format!("/{name}/");
        for page in 1..=pager.pages() {
            let mut inputs: Vec<PageId> = c.entries.get(pager.range(page)).unwrap_or(&[]).to_vec();
            if matrix.is_some() {
                inputs.extend(&c.entries);
            }
            inputs.extend(c.intro);
            routes.push(
                Route::new(
                    Paginator::path(&base, page),
                    RouteKind::List {
                        collection: name.clone(),
                        folder: None,
                        page,
                    },
                    inputs,
                )
                .with_body(c.intro)
                .shaped(hash_of((facets, pager.pages(), pager.items))),
            );
        }
        for (folder, entries) in &c.folders {
            let intro = folder_intro(site, name, folder);
            let mut inputs = entries.clone();
            inputs.extend(intro);
            routes.push(
                Route::new(
                    format!("/{name}/{folder}/"),
                    RouteKind::List {
                        collection: name.clone(),
                        folder: Some(folder.clone()),
                        page: 1,
                    },
                    inputs,
                )
                .with_body(intro),
            );
        }
        for (field, terms) in &c.indexes {
            routes.push(
                Route::new(
                    format!("/{name}/{field}/"),
                    RouteKind::FieldTerms {
                        collection: name.clone(),
                        field: field.clone(),
                    },
                    Vec::new(),
                )
                .shaped(hash_of((terms_shape(terms), &c.title))),
            );
            for (slug, term) in terms {
                routes.push(
                    Route::new(
                        format!("/{name}/{field}/{slug}/"),
                        RouteKind::FieldTerm {
                            collection: name.clone(),
                            field: field.clone(),
                            slug: slug.clone(),
                        },
                        with_ref_targets(site, &term.pages),
                    )
                    .shaped(hash_of((&term.name, &c.title))),
                );
            }
        }
    }
    for (name, terms) in &site.taxonomies {
        routes.push(
            Route::new(
                format!("/{name}/"),
                RouteKind::Taxonomy { name: name.clone() },
                Vec::new(),
            )
            .shaped(terms_shape(terms)),
        );
        for (slug, term) in terms {
            routes.push(
                Route::new(
                    format!("/{name}/{slug}/"),
                    RouteKind::TaxonomyTerm {
                        name: name.clone(),
                        slug: slug.clone(),
                    },
                    term.pages.clone(),
                )
                .shaped(hash_of(&term.name)),
            );
        }
    }
}

/// `pages` and the pages their `ref` fields name: a field's term page shows those targets'
/// titles beside its entries (a product page's "Catalog entry: K3s"), so renaming the tool
/// changes the product page.
fn with_ref_targets(site: &Site, pages: &[PageId]) -> Vec<PageId> {
    let mut inputs = pages.to_vec();
    inputs.extend(
        pages
            .iter()
            .filter_map(|&i| site.refs(i))
            .flat_map(|m| m.values().flatten().copied()),
    );
    inputs.sort_unstable();
    inputs.dedup();
    inputs
}

/// The `_index.md` of a folder inside a collection, if any.
pub fn folder_intro(site: &Site, collection: &str, folder: &str) -> Option<PageId> {
    site.ids().zip(&site.pages).find_map(|(i, p)| {
        (p.kind == PageKind::Section
            && p.collection.as_deref() == Some(collection)
            && p.folders.join("/") == folder)
            .then_some(i)
    })
}

fn extra_routes(site: &Site, config: &Config, routes: &mut Vec<Route>) {
    let newest = |pages: Vec<PageId>| -> Vec<PageId> {
        site.newest_first(pages)
            .into_iter()
            .take(FEED_ENTRIES)
            .collect()
    };
    routes.push(Route::new(
        "/atom.xml".into(),
        RouteKind::Feed { collection: None },
        newest(site.all_entries().collect()),
    ));
    for (name, c) in &site.collections {
        if site.has_feed(c) {
            routes.push(
                Route::new(
                    format!("/{name}/atom.xml"),
                    RouteKind::Feed {
                        collection: Some(name.clone()),
                    },
                    newest(c.entries.clone()),
                )
                .shaped(hash_of(&c.title)),
            );
        }
    }
    for (name, c) in &site.collections {
        routes.push(
            Route::new(
                api_path(name),
                RouteKind::Api {
                    collection: name.clone(),
                },
                c.entries.clone(),
            )
            .shaped(hash_of(&c.title)),
        );
    }
    if site.search {
        routes.push(Route::new(
            SEARCH_DATA.into(),
            RouteKind::SearchIndex,
            Vec::new(),
        ));
    }
    for (i, p) in site.ids().zip(&site.pages) {
        if !site.is_published(i) {
            continue;
        }
        for (alias, _) in &p.aliases {
            let path = alias_path(alias);
            let to = alias_target(site, i, &path);
            routes.push(Route::new(path, RouteKind::Alias { page: i, to }, vec![i]));
        }
    }
    let mut dated: Vec<PageId> = Vec::new();
    for (i, p) in site.ids().zip(&site.pages) {
        if site.is_published(i) && (p.date.is_some() || p.updated.is_some()) {
            dated.push(i);
        }
    }
    routes.push(Route::new("/sitemap.xml".into(), RouteKind::Sitemap, dated));
    routes.push(Route::new(
        "/robots.txt".into(),
        RouteKind::Robots,
        Vec::new(),
    ));
    if config.markdown.highlight {
        routes.push(Route::new(
            "/highlight.css".into(),
            RouteKind::Stylesheet,
            Vec::new(),
        ));
    }
    for (i, (rel, _)) in site.assets.iter().enumerate() {
        routes.push(Route::new(
            format!("/{rel}"),
            RouteKind::Static(StaticSource::Asset(i)),
            Vec::new(),
        ));
    }
}

/// An alias as a route path: `/old/` and `/old` are folders (`/old/index.html`), a last
/// segment with a dot is a file (`/old.html`).
fn alias_path(alias: &str) -> String {
    if alias.ends_with('/') || alias.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        alias.to_string()
    } else {
        format!("{alias}/")
    }
}

/// Where an alias of page `i` at `path` redirects, when not to the page itself: an alias shaped
/// as a term page of an indexed field of the page's collection (`/conformance/product/konvoy/`,
/// a product since renamed) stands for that field's term page, so it leads to the page's term
/// page of that field now (`/conformance/product/nkp/`), not to one of its entries.
fn alias_target(site: &Site, i: PageId, path: &str) -> Option<String> {
    let name = site.page(i)?.collection.as_deref()?;
    let rest = path
        .strip_prefix('/')?
        .strip_prefix(name)?
        .strip_prefix('/')?;
    let (field, slug) = rest.strip_suffix('/')?.split_once('/')?;
    if slug.is_empty() || slug.contains('/') {
        return None;
    }
    let terms = site.collections.get(name)?.indexes.get(field)?;
    let (now, _) = terms.iter().find(|(_, t)| t.pages.contains(&i))?;
    Some(format!("/{name}/{field}/{now}/"))
}

/// Who wrote a route, for messages: the content file behind it, if any.
fn owner(kind: &RouteKind) -> Option<PageId> {
    match kind {
        RouteKind::Page(i) | RouteKind::Alias { page: i, .. } => Some(*i),
        _ => None,
    }
}

/// What a route is, in a message.
fn describe(site: &Site, route: &Route) -> String {
    match &route.kind {
        RouteKind::Page(i) => site
            .page(*i)
            .map_or_else(|| "a page".into(), |p| p.file.clone()),
        RouteKind::Alias { page, .. } => site
            .page(*page)
            .map_or_else(|| "an alias".into(), |p| format!("an alias of {}", p.file)),
        RouteKind::Home => "the home page".into(),
        RouteKind::NotFound => "the not-found page".into(),
        RouteKind::Search => "the search page".into(),
        RouteKind::SearchIndex => "the search index".into(),
        RouteKind::List {
            collection,
            folder: None,
            page,
        } if *page > 1 => format!("page {page} of the {collection} list"),
        RouteKind::List {
            collection,
            folder: None,
            ..
        } => format!("the {collection} list"),
        RouteKind::List {
            collection,
            folder: Some(f),
            ..
        } => format!("the list of {collection}/{f}"),
        RouteKind::FieldTerms { collection, field } => {
            format!("the index of `{field}` in {collection}")
        }
        RouteKind::FieldTerm {
            collection, field, ..
        } => format!("a value page of `{field}` in {collection}"),
        RouteKind::Taxonomy { name } => format!("the {name} taxonomy"),
        RouteKind::TaxonomyTerm { name, .. } => format!("a term page of the {name} taxonomy"),
        RouteKind::Feed { collection: None } => "the site's feed".into(),
        RouteKind::Feed {
            collection: Some(c),
        } => format!("the {c} feed"),
        RouteKind::Api { collection } => format!("the {collection} JSON API"),
        RouteKind::Sitemap => "the sitemap".into(),
        RouteKind::Robots => "robots.txt".into(),
        RouteKind::Stylesheet => "the highlight stylesheet".into(),
        RouteKind::Static(StaticSource::Asset(i)) => site.assets.get(*i).map_or_else(
            || "a content file".into(),
            |(rel, _)| format!("content/{rel}"),
        ),
        RouteKind::Static(StaticSource::Theme) => format!("the static file {}", route.path),
    }
}

/// The theme's and site's static files, and the site's root to name them from.
struct Statics<'a> {
    files: &'a BTreeMap<String, StaticFile>,
    root: &'a std::path::Path,
}

impl Statics<'_> {
    /// The file a static route's diagnostics point at: `content/…`, `static/…` or
    /// `themes/<theme>/static/…`.
    fn file(&self, site: &Site, route: &Route) -> String {
        match &route.kind {
            RouteKind::Static(StaticSource::Asset(i)) => site
                .assets
                .get(*i)
                .map_or_else(|| route.path.clone(), |(rel, _)| format!("content/{rel}")),
            _ => match self.files.get(&route.path) {
                Some(StaticFile::Disk(p)) => crate::content::load::display(self.root, p),
                _ => format!("static{}", route.path),
            },
        }
    }

    /// A static file of the built-in theme: no file of the site to point at.
    fn is_builtin(&self, route: &Route) -> bool {
        route.kind == RouteKind::Static(StaticSource::Theme)
            && matches!(self.files.get(&route.path), Some(StaticFile::Builtin(_)))
    }

    /// What a route is, in a message: [`describe`], with a static file's own path.
    fn describe(&self, site: &Site, route: &Route) -> String {
        match &route.kind {
            RouteKind::Static(StaticSource::Theme) if self.is_builtin(route) => {
                format!("the built-in theme's static file {}", route.path)
            }
            RouteKind::Static(StaticSource::Theme) => {
                format!("the static file {}", self.file(site, route))
            }
            _ => describe(site, route),
        }
    }
}

/// Every folder above a file: `/a/b/c.html` → `/a`, `/a/b`.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/')
        .map(|(n, _)| n)
        .filter(|&n| n > 0)
        .filter_map(|n| file.get(..n))
}

/// Finds routes that cannot both be written: the same file twice, or a file where another
/// route needs a folder. Each file involved — a page, an alias's page, a content file copied
/// as is, a theme or site static file — gets a `duplicate-url` error naming the other (the
/// built-in theme's static files have no file to point at); two generated routes are a
/// configuration problem reported on book.toml. (A site replaces a theme's static file with
/// its own `static/` file of the same name, which the theme merges before planning.) Returns
/// the routes to write (statics added, dropped ones removed).
fn resolve_collisions(
    site: &Site,
    mut routes: Vec<Route>,
    statics: &Statics,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Route> {
    let mut by_file: HashMap<String, usize> = HashMap::with_capacity(routes.len());
    let mut reported: HashSet<(usize, usize)> = HashSet::new();
    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    let mut drop: HashSet<usize> = HashSet::new();
    for (n, r) in routes.iter().enumerate() {
        if r.kind == RouteKind::SearchIndex {
            continue;
        }
        // A content file where a generated file goes is an error too: it would be lost (or
        // replace a generated file) without a word.
        match by_file.get(&r.file()) {
            Some(&first) => pairs.push((first, n, false)),
            None => {
                by_file.insert(r.file(), n);
            }
        }
    }
    // Theme and site statics last: one where a generated route or a content file is written
    // is an error on whichever of them has a file (the built-in theme's have none).
    for path in statics.files.keys() {
        let n = routes.len();
        routes.push(Route::new(
            path.clone(),
            RouteKind::Static(StaticSource::Theme),
            Vec::new(),
        ));
        match by_file.get(path) {
            Some(&first) => {
                pairs.push((first, n, false));
                drop.insert(n);
            }
            None => {
                by_file.insert(path.clone(), n);
            }
        }
    }
    // A file where another route needs a folder.
    let mut claimed: Vec<(usize, &str)> = by_file.iter().map(|(f, &n)| (n, f.as_str())).collect();
    claimed.sort_unstable();
    let mut folder_owner: HashMap<&str, usize> = HashMap::new();
    for &(n, file) in &claimed {
        for folder in folders_of(file) {
            folder_owner.entry(folder).or_insert(n);
        }
    }
    let mut file_vs_folder: Vec<(usize, usize)> = Vec::new();
    for &(n, file) in &claimed {
        if let Some(&other) = folder_owner.get(file) {
            file_vs_folder.push((n, other));
        }
    }
    for (file_route, folder_route) in file_vs_folder {
        pairs.push((file_route, folder_route, true));
    }
    for (a, b, folder) in pairs {
        let key = (a.min(b), a.max(b));
        if !reported.insert(key) {
            continue;
        }
        let (Some(ra), Some(rb)) = (routes.get(a), routes.get(b)) else {
            continue;
        };
        report(site, statics, ra, rb, folder, diags);
        // The build stops on these errors; what is dropped here only keeps `check` honest.
        for (n, r) in [(a, ra), (b, rb)] {
            if matches!(r.kind, RouteKind::Static(_)) {
                drop.insert(n);
            }
        }
    }
    let mut n = 0;
    routes.retain(|_| {
        let keep = !drop.contains(&n);
        n += 1;
        keep
    });
    routes
}

/// One collision as diagnostics: `a` writes a file; `b` writes the same file, or (`folder`)
/// a file inside the folder `a`'s file would be.
fn report(
    site: &Site,
    statics: &Statics,
    a: &Route,
    b: &Route,
    folder: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let from_a = on_page(site, statics, (a, b), folder, a);
    let from_b = on_page(site, statics, (b, a), folder, a);
    let from_a_static = on_static(site, statics, (a, b), folder, a);
    let from_b_static = on_static(site, statics, (b, a), folder, a);
    let before = diags.len();
    diags.extend(
        [from_a, from_b, from_a_static, from_b_static]
            .into_iter()
            .flatten(),
    );
    if diags.len() > before {
        return;
    }
    diags.push(
        Diagnostic::file(
            "book.toml",
            "duplicate-url",
            format!(
                "{} and {} are both written to {}",
                describe(site, a),
                describe(site, b),
                if folder { a.path.clone() } else { b.file() }
            ),
        )
        .help("give the collection, field or taxonomy a different name"),
    );
}

/// The clash of `this` with `other` in words; `first` is the route whose file is where the
/// other needs a folder (when `folder`).
fn clash(
    site: &Site,
    statics: &Statics,
    (this, other): (&Route, &Route),
    folder: bool,
    first: &Route,
) -> String {
    let what = if matches!(this.kind, RouteKind::Static(_)) {
        "this file"
    } else {
        "this page"
    };
    let other_name = statics.describe(site, other);
    if !folder {
        format!("{what} and {other_name} are both written to {}", this.path)
    } else if std::ptr::eq(this, first) {
        format!(
            "{} is written as a file, but {other_name} needs a folder of that name (it is written to {})",
            this.path, other.path
        )
    } else {
        format!(
            "{what} would be written to {}, a folder where {other_name} is already written as the file {}",
            this.path,
            other.file()
        )
    }
}

/// The record of a collision on the page (or alias's page) that writes `this`, if any.
fn on_page(
    site: &Site,
    statics: &Statics,
    (this, other): (&Route, &Route),
    folder: bool,
    first: &Route,
) -> Option<Diagnostic> {
    let i = owner(&this.kind)?;
    let alias = |r: &Route| matches!(r.kind, RouteKind::Alias { .. });
    let p = site.page(i)?;
    let clash = || clash(site, statics, (this, other), folder, first);
    let (message, help) = match (&this.kind, owner(&other.kind)) {
        (RouteKind::Alias { .. }, _) => (
            format!(
                "the alias {} would be written where {} is ({})",
                this.path,
                statics.describe(site, other),
                if folder {
                    "a file against a folder"
                } else {
                    "the same file"
                }
            ),
            "change or remove the alias",
        ),
        (_, None) if matches!(other.kind, RouteKind::Static(_)) => {
            (clash(), "rename one of the files or set a different `slug`")
        }
        (_, None) if !folder => (
            format!(
                "this page would be written to {}, which the site already generates ({})",
                this.path,
                describe(site, other)
            ),
            "rename the file or set `slug`",
        ),
        (_, None) => (clash(), "rename the file or set `slug`"),
        // The alias is the one to change: this page may be a file the change never touched.
        (_, Some(_)) if alias(other) => (
            clash(),
            "the other page's alias takes this page's address: change or remove that alias",
        ),
        _ => (clash(), "rename one of the files or set a different `slug`"),
    };
    // At the `aliases` or `slug` line when the page sets it, else the file.
    let span = p.key_span(if alias(this) { "aliases" } else { "slug" });
    let d = if span.is_empty() {
        Diagnostic::file(&p.file, "duplicate-url", message)
    } else {
        Diagnostic::at(&p.file, &p.source_text(), span, "duplicate-url", message)
    };
    Some(d.help(help))
}

/// The record of a collision on the static file (a content file copied as is, or a theme or
/// site `static/` file) that writes `this`, if it is one the site has.
fn on_static(
    site: &Site,
    statics: &Statics,
    (this, other): (&Route, &Route),
    folder: bool,
    first: &Route,
) -> Option<Diagnostic> {
    if !matches!(this.kind, RouteKind::Static(_)) {
        return None;
    }
    let other_has_file = matches!(other.kind, RouteKind::Static(_)) || owner(&other.kind).is_some();
    // The built-in theme's file: the other file gets the record (unless there is none).
    if statics.is_builtin(this) && other_has_file && !statics.is_builtin(other) {
        return None;
    }
    let message = clash(site, statics, (this, other), folder, first);
    let asset = matches!(this.kind, RouteKind::Static(StaticSource::Asset(_)));
    let help = match &other.kind {
        // A content file over a theme's: the site's `static/` is the place for a replacement.
        RouteKind::Static(StaticSource::Theme) if asset && !folder => format!(
            "rename the file or move it to another folder; to replace the theme's {0}, put yours at static{0} instead",
            other.path
        ),
        _ if asset => "rename the file or move it to another folder".to_string(),
        RouteKind::Static(_) | RouteKind::Page(_) | RouteKind::Alias { .. } => format!(
            "rename or move {} (or this file)",
            statics.describe(site, other)
        ),
        RouteKind::Sitemap | RouteKind::Robots | RouteKind::Feed { .. } => format!(
            "rename or move this file; to change the generated {}, put a template of that name in templates/ (docs/templates.md)",
            other
                .file()
                .trim_start_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
        ),
        _ => "rename or move this file: the site generates this address itself".to_string(),
    };
    Some(Diagnostic::file(statics.file(site, this), "duplicate-url", message).help(help))
}

/// Links in bodies that start with `/` must name a route of the plan, and their `#anchor` a
/// heading of the page there. Also gives, for each route that is not a page's own, the
/// published pages linking to it (each once, in page order).
fn check_site_links(site: &Site, plan: &Plan) -> (Vec<Diagnostic>, HashMap<String, Vec<PageId>>) {
    let known: HashSet<&str> = plan.iter().map(|r| r.path.as_str()).collect();
    let pages: HashMap<&str, PageId> = plan
        .iter()
        .filter_map(|r| match r.kind {
            RouteKind::Page(i) => Some((r.path.as_str(), i)),
            _ => None,
        })
        .collect();
    let mut diags = Vec::new();
    let mut linked: HashMap<String, Vec<PageId>> = HashMap::new();
    for ((i, p), r) in site.ids().zip(&site.pages).zip(&site.rendered) {
        for link in &r.links {
            let LinkTarget::SitePath { path } = &link.target else {
                continue;
            };
            let path = path.split(['?', '#']).next().unwrap_or("");
            let trimmed = path.strip_suffix("index.html").unwrap_or(path);
            let found = known
                .get(trimmed)
                .or_else(|| known.get(format!("{trimmed}/").as_str()))
                .copied()
                .or((trimmed == "/").then_some("/"));
            if let Some(route) = found
                && site.is_published(i)
                && !pages.contains_key(route)
            {
                let sources = linked.entry(route.to_string()).or_default();
                if sources.last() != Some(&i) {
                    sources.push(i);
                }
            }
            if found.is_none() {
                let help = crate::link_hints::missing_site_path(path, known.iter().copied());
                diags.push(
                    Diagnostic::at(
                        &p.file,
                        &p.source_text(),
                        link.span.clone(),
                        "broken-link",
                        format!(
                            "link to `{}`: the site has no page or file at {path}",
                            link.dest
                        ),
                    )
                    .help(help),
                );
                continue;
            }
            // The anchor, when the path is a page whose headings are known.
            let anchor = link.dest.split_once('#').map(|(_, a)| a);
            let page = pages
                .get(trimmed)
                .or_else(|| pages.get(format!("{trimmed}/").as_str()));
            if let (Some(anchor), Some(&t)) = (anchor.filter(|a| !a.is_empty()), page)
                && let Some(tr) = site.rendered(t)
                && site.page(t).is_some_and(|tp| !tp.broken)
                && !tr.has_heading(anchor)
            {
                diags.push(
                    Diagnostic::at(
                        &p.file,
                        &p.source_text(),
                        link.span.clone(),
                        "broken-anchor",
                        format!("{path} has no heading with the id `#{anchor}`"),
                    )
                    .help(crate::site::anchor_help(anchor, tr).unwrap_or_else(
                        || "link to one of the page's headings, or drop the `#…`".into(),
                    )),
                );
            }
        }
    }
    (diags, linked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginator_splits_and_names_pages() {
        let p = Paginator {
            per_page: Some(2),
            items: 5,
        };
        assert_eq!(p.pages(), 3);
        assert_eq!(p.range(1), 0..2);
        assert_eq!(p.range(3), 4..5);
        assert_eq!(p.range(9), 5..5);
        let empty = Paginator {
            per_page: Some(2),
            items: 0,
        };
        assert_eq!(empty.pages(), 1);
        let all = Paginator {
            per_page: None,
            items: 7,
        };
        assert_eq!((all.pages(), all.range(1)), (1, 0..7));
        assert_eq!(Paginator::path("/notes/", 1), "/notes/");
        assert_eq!(Paginator::path("/notes/", 2), "/notes/page/2/");
    }

    /// Page ids shift when pages come and go: routes compare through the map of old ids.
    #[test]
    fn a_route_is_the_same_when_its_pages_only_moved() {
        let p = PageId::new;
        // Page 1 was deleted; a page was added before page 0, so the others moved up by one.
        let id = |i: PageId| match i.index() {
            1 => None,
            n => Some(p(n + 1)),
        };
        let old = Route::new("/a/".into(), RouteKind::Page(p(0)), vec![p(0), p(2)]);
        let moved = Route::new("/a/".into(), RouteKind::Page(p(1)), vec![p(1), p(3)]);
        assert!(moved.same_as(&old, id));
        assert!(!old.same_as(&old, id), "equal raw ids name other pages now");
        assert!(!moved.clone().shaped(7).same_as(&old, id));
        let listed_gone = Route::new("/l/".into(), RouteKind::Home, vec![p(1)]);
        let listed_none = Route::new("/l/".into(), RouteKind::Home, Vec::new());
        assert!(!listed_none.same_as(&listed_gone, id), "a deleted input");
        let alias = |i| {
            Route::new(
                "/old/".into(),
                RouteKind::Alias { page: i, to: None },
                vec![i],
            )
        };
        assert!(alias(p(3)).same_as(&alias(p(2)), id));
        assert!(!alias(p(2)).same_as(&alias(p(2)), id));
        let asset = |n| {
            Route::new(
                "/s/x.csv".into(),
                RouteKind::Static(StaticSource::Asset(n)),
                Vec::new(),
            )
        };
        assert!(
            asset(4).same_as(&asset(3), id),
            "the same file at the same path"
        );
    }

    #[test]
    fn folders_above_a_file() {
        let f: Vec<&str> = folders_of("/a/b/c.html").collect();
        assert_eq!(f, ["/a", "/a/b"]);
        assert_eq!(alias_path("/old"), "/old/");
        assert_eq!(alias_path("/old.html"), "/old.html");
        assert_eq!(alias_path("/old/"), "/old/");
    }
}
