//! JSON API: `/api/<collection>.json`, every published entry of a collection in its sort
//! order, with its URL, fields and summary, for scripts and other sites to consume.

use serde_json::{Value as Json, json};

use crate::render::{OutputFile, Urls};
use crate::site::Site;

/// Site path of a collection's API file.
pub fn path(collection: &str) -> String {
    format!("/api/{collection}.json")
}

/// One file per collection.
pub fn files(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    site.collections
        .iter()
        .map(|(name, c)| {
            let entries: Vec<Json> = c
                .entries
                .iter()
                .filter_map(|&i| {
                    let (p, r) = (site.pages.get(i)?, site.rendered.get(i)?);
                    Some(json!({
                        "title": p.title,
                        "slug": p.slug,
                        "url": urls.link(&p.url),
                        "permalink": urls.absolute(&p.url),
                        "date": p.date.as_ref().map(|d| &d.date),
                        "updated": p.updated.as_ref().map(|d| &d.date),
                        "description": p.description,
                        "fields": p.fields,
                        "summary": r.summary,
                    }))
                })
                .collect();
            OutputFile {
                path: path(name),
                bytes: json!({"collection": name, "title": c.title, "count": entries.len(), "entries": entries})
                    .to_string()
                    .into_bytes(),
            }
        })
        .collect()
}
