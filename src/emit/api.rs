//! JSON API: `/api/<collection>.json`, every published entry of a collection in its sort
//! order, with its URL, fields and summary, for scripts and other sites to consume.

use indexmap::IndexMap;
use serde::Serialize;

use crate::output::{OutputFile, Urls};
use crate::plan::{Route, RouteKind};
use crate::site::{PageId, Site};

/// Borrowed from the page, so writing it copies nothing but the URLs.
#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    description: Option<&'a str>,
    fields: &'a IndexMap<String, serde_json::Value>,
    /// HTML: the first paragraph, or everything before `<!-- more -->`.
    summary: &'a str,
    /// The page's diagrams: each one's title and Mermaid source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagrams: Vec<&'a crate::diagram::Diagram>,
}

/// The JSON of page `i` as an entry of its collection's file (empty if there is no page `i`).
pub fn entry(site: &Site, urls: &Urls, i: PageId) -> Vec<u8> {
    let (Some(p), Some(r)) = (site.page(i), site.rendered(i)) else {
        return Vec::new();
    };
    let e = Entry {
        title: &p.title,
        slug: &p.slug,
        url: urls.link(&p.url),
        permalink: urls.absolute(&p.url),
        date: p.date.as_ref().map(|d| d.date.as_str()),
        updated: p.updated.as_ref().map(|d| d.date.as_str()),
        description: p.description.as_deref(),
        fields: &p.fields,
        summary: &r.summary,
        diagrams: r.diagrams.iter().map(|d| &d.diagram).collect(),
    };
    serde_json::to_vec(&e).unwrap_or_default()
}

/// The API file of a plan route (None for other routes): its entries are the route's inputs,
/// each entry's JSON from `entry_json` (so `serve` can reuse the JSON of entries an edit did
/// not touch).
pub fn file<'a>(
    site: &Site,
    route: &Route,
    mut entry_json: impl FnMut(PageId) -> std::borrow::Cow<'a, [u8]>,
) -> Option<OutputFile> {
    let RouteKind::Api { collection: name } = &route.kind else {
        return None;
    };
    let c = site.collections.get(name.as_str())?;
    let parts: Vec<std::borrow::Cow<[u8]>> = route
        .inputs
        .iter()
        .map(|&i| entry_json(i))
        .filter(|j| !j.is_empty())
        .collect();
    let head =
        serde_json::json!({"collection": name, "title": c.title, "count": parts.len()}).to_string();
    // `{"collection":…,"count":N,"entries":[…]}`: the head object without its `}`.
    let mut bytes =
        Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + head.len() + 16);
    bytes.extend_from_slice(head.trim_end_matches('}').as_bytes());
    bytes.extend_from_slice(b",\"entries\":[");
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(part);
    }
    bytes.extend_from_slice(b"]}");
    Some(OutputFile {
        path: route.path.clone(),
        bytes,
    })
}
