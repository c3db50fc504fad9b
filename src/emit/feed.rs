//! Atom feeds: one for the whole site and one per collection with dated entries; which feeds
//! exist and the entries each shows come from the plan's feed routes.

use crate::output::{OutputFile, Urls};
use crate::plan::{Route, RouteKind};
use crate::site::{PageId, Site};

pub use super::builtin::escape_xml;
use super::builtin::{Builtins, FEED, FeedEntry, FeedView};
use crate::diagnostics::Diagnostic;

/// The feed a plan route names (None for other routes): its entries are the route's inputs,
/// newest first.
pub fn feed_file(
    site: &Site,
    book: &crate::config::BookConfig,
    route: &Route,
    urls: &Urls,
    builtins: &Builtins,
) -> Option<Result<OutputFile, Diagnostic>> {
    let RouteKind::Feed { collection } = &route.kind else {
        return None;
    };
    let title = &book.title;
    let (title, home) = match collection {
        None => (title.to_string(), "/".to_string()),
        Some(name) => {
            let c = site.collections.get(name.as_str())?;
            (format!("{title} — {}", c.title), format!("/{name}/"))
        }
    };
    let view = feed(
        site,
        (title, book.label.as_deref()),
        &home,
        &route.path,
        &route.inputs,
        urls,
    );
    Some(
        builtins
            .render(FEED, "feed", &view)
            .map(|bytes| OutputFile {
                path: route.path.clone(),
                bytes,
            }),
    )
}

/// The feed of `entries`, titled `title`; each entry carries its `label` field's value.
fn feed<'a>(
    site: &'a Site,
    (title, label): (String, Option<&str>),
    home: &str,
    path: &str,
    entries: &[PageId],
    urls: &Urls,
) -> FeedView<'a> {
    // The feed changed when any entry in it last did: the latest `updated` (or, without one,
    // `date`) of its entries, not the newest entry's date, so readers see a revised older entry.
    let updated = entries
        .iter()
        .filter_map(|&i| {
            let p = site.page(i)?;
            let date = p.date.as_ref()?;
            Some(p.updated.as_ref().unwrap_or(date))
        })
        .max_by_key(|d| d.timestamp)
        .map_or("1970-01-01T00:00:00Z", |d| d.rfc3339.as_str());
    let entries = entries
        .iter()
        .filter_map(|&i| {
            let (p, r) = (site.page(i)?, site.rendered(i)?);
            let date = p.date.as_ref()?;
            Some(FeedEntry {
                title: &p.title,
                link: urls.absolute(&p.url),
                published: &date.rfc3339,
                updated: &p.updated.as_ref().unwrap_or(date).rfc3339,
                authors: p
                    .fields
                    .get("authors")
                    .and_then(|a| a.as_array())
                    .map(|a| a.iter().filter_map(|a| a.as_str()).collect())
                    .unwrap_or_default(),
                summary: &r.summary,
                label: label.and_then(|f| p.fields.get(f)).and_then(|v| v.as_str()),
            })
        })
        .collect();
    FeedView {
        title,
        self_url: urls.absolute(path),
        home_url: urls.absolute(home),
        updated,
        entries,
    }
}
