//! Atom feeds: one for the whole site and one per collection with dated entries; which feeds
//! exist and the entries each shows come from the plan's feed routes.

use crate::output::{OutputFile, Urls};
use crate::plan::{Route, RouteKind};
use crate::site::Site;

pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The feed a plan route names (None for other routes): its entries are the route's inputs,
/// newest first.
pub fn feed_file(site: &Site, title: &str, route: &Route, urls: &Urls) -> Option<OutputFile> {
    let RouteKind::Feed { collection } = &route.kind else {
        return None;
    };
    let (title, home) = match collection {
        None => (title.to_string(), "/".to_string()),
        Some(name) => {
            let c = site.collections.get(name.as_str())?;
            (format!("{title} — {}", c.title), format!("/{name}/"))
        }
    };
    Some(OutputFile {
        path: route.path.clone(),
        bytes: feed(site, &title, &home, &route.path, &route.inputs, urls).into_bytes(),
    })
}

fn feed(
    site: &Site,
    title: &str,
    home: &str,
    path: &str,
    entries: &[usize],
    urls: &Urls,
) -> String {
    let updated = entries
        .first()
        .and_then(|&i| site.pages.get(i)?.date.as_ref())
        .map_or("1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339.clone());
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    s.push_str(&format!("  <title>{}</title>\n", escape_xml(title)));
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&urls.absolute(path))
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(&urls.absolute(home))
    ));
    s.push_str(&format!(
        "  <id>{}</id>\n  <updated>{}</updated>\n  <generator>opsbook</generator>\n",
        escape_xml(&urls.absolute(path)),
        updated
    ));
    for &i in entries {
        let (Some(p), Some(r)) = (site.pages.get(i), site.rendered.get(i)) else {
            continue;
        };
        let Some(date) = &p.date else { continue };
        let link = urls.absolute(&p.url);
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", escape_xml(&p.title)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&link)
        ));
        s.push_str(&format!("    <id>{}</id>\n", escape_xml(&link)));
        s.push_str(&format!("    <published>{}</published>\n", date.rfc3339));
        s.push_str(&format!(
            "    <updated>{}</updated>\n",
            p.updated.as_ref().unwrap_or(date).rfc3339
        ));
        if let Some(authors) = p.fields.get("authors").and_then(|a| a.as_array()) {
            for a in authors.iter().filter_map(|a| a.as_str()) {
                s.push_str(&format!(
                    "    <author><name>{}</name></author>\n",
                    escape_xml(a)
                ));
            }
        }
        let summary = &r.summary;
        if !summary.is_empty() {
            s.push_str(&format!(
                "    <summary type=\"html\">{}</summary>\n",
                escape_xml(summary)
            ));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
