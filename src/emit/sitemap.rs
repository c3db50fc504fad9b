//! `sitemap.xml`, `robots.txt` and alias redirect pages.

use super::feed::escape_xml;
use crate::render::{OutputFile, Urls};
use crate::site::Site;

/// The sitemap lists every HTML page written (paths ending in `index.html`).
pub fn sitemap(html_paths: &[&str], site: &Site, urls: &Urls) -> OutputFile {
    let lastmod: std::collections::HashMap<String, &str> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(i, _)| site.is_published(*i))
        .filter_map(|(_, p)| {
            p.updated
                .as_ref()
                .or(p.date.as_ref())
                .map(|d| (format!("{}index.html", p.url), d.date.as_str()))
        })
        .collect();
    let mut paths: Vec<&str> = html_paths
        .iter()
        .copied()
        .filter(|p| p.ends_with("/index.html"))
        .collect();
    paths.sort_unstable();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let url = p.strip_suffix("index.html").unwrap_or(p);
        s.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n",
            escape_xml(&urls.absolute(url))
        ));
        if let Some(d) = lastmod.get(p) {
            s.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    OutputFile {
        path: "/sitemap.xml".into(),
        bytes: s.into_bytes(),
    }
}

pub fn robots(urls: &Urls) -> OutputFile {
    OutputFile {
        path: "/robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            urls.absolute("/sitemap.xml")
        )
        .into_bytes(),
    }
}

/// A redirect page at each alias of each published page.
pub fn aliases(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        if !site.is_published(i) {
            continue;
        }
        for (alias, _) in &p.aliases {
            let target = escape_xml(&urls.link(&p.url));
            let html = format!(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirecting…</title><link rel=\"canonical\" href=\"{abs}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"><meta name=\"robots\" content=\"noindex\"></head><body><p>This page moved to <a href=\"{target}\">{target}</a>.</p></body></html>\n",
                abs = escape_xml(&urls.absolute(&p.url)),
            );
            let path = if alias.ends_with('/') {
                format!("{alias}index.html")
            } else if alias.rsplit('/').next().is_some_and(|l| l.contains('.')) {
                alias.clone()
            } else {
                format!("{alias}/index.html")
            };
            out.push(OutputFile {
                path,
                bytes: html.into_bytes(),
            });
        }
    }
    out
}
