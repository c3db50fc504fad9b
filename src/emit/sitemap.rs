//! `sitemap.xml`, `robots.txt` and alias redirect pages, from the plan's routes.

use super::builtin::{Builtins, ROBOTS, SITEMAP, SitemapEntry};
use super::feed::escape_xml;
use crate::diagnostics::Diagnostic;
use crate::output::{OutputFile, Urls};
use crate::plan::{Plan, Route, RouteKind};
use crate::site::Site;

/// The sitemap lists every page of the plan a reader lands on (not the 404 page, not alias
/// redirects), with the page's `updated` or `date` as `lastmod`.
pub fn sitemap(
    plan: &Plan,
    site: &Site,
    urls: &Urls,
    builtins: &Builtins,
) -> Result<OutputFile, Diagnostic> {
    let lastmod: std::collections::HashMap<String, &str> = site
        .ids()
        .zip(&site.pages)
        .filter(|(i, _)| site.is_published(*i))
        .filter_map(|(_, p)| {
            p.updated
                .as_ref()
                .or(p.date.as_ref())
                .map(|d| (p.url.clone(), d.date.as_str()))
        })
        .collect();
    let mut paths: Vec<&str> = plan
        .iter()
        .filter(|r| r.kind.in_sitemap() && r.path.ends_with('/'))
        .map(|r| r.path.as_str())
        .collect();
    // In the order of the files written (`/a/index.html` before `/a/b/index.html`).
    paths.sort_by_cached_key(|p| crate::output::file_of(p));
    let entries: Vec<SitemapEntry> = paths
        .into_iter()
        .map(|p| SitemapEntry {
            loc: urls.absolute(p),
            lastmod: lastmod.get(p).copied(),
        })
        .collect();
    builtins
        .render(SITEMAP, "entries", &entries)
        .map(|bytes| OutputFile {
            path: "/sitemap.xml".into(),
            bytes,
        })
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(urls: &Urls, builtins: &Builtins) -> Result<OutputFile, Diagnostic> {
    builtins
        .render(ROBOTS, "sitemap_url", &urls.absolute("/sitemap.xml"))
        .map(|bytes| OutputFile {
            path: "/robots.txt".into(),
            bytes,
        })
}

/// The redirect page of an alias route (None for other routes).
pub fn alias(site: &Site, route: &Route, urls: &Urls) -> Option<OutputFile> {
    let RouteKind::Alias { page, ref to } = route.kind else {
        return None;
    };
    // An old term page leads to the term page the page is listed on now, else to the page.
    let p = site.page(page)?;
    let path = to.as_deref().unwrap_or(&p.url);
    let target = escape_xml(&urls.link(path));
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirecting…</title><link rel=\"canonical\" href=\"{abs}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"><meta name=\"robots\" content=\"noindex\"></head><body><p>This page moved to <a href=\"{target}\">{target}</a>.</p></body></html>\n",
        abs = escape_xml(&urls.absolute(path)),
    );
    Some(OutputFile {
        path: route.file(),
        bytes: html.into_bytes(),
    })
}
