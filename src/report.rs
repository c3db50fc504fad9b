//! The build report and its comparison. `build --report FILE` writes a [`Manifest`]: every
//! output file with a blake3 hash of its bytes and the source file it came from (read off the
//! plan's routes). `diff OLD NEW` compares two manifests and lists the pages added, changed and
//! removed — what a pull request's job summary shows.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::output::{OutputFile, file_of};
use crate::plan::{Plan, RouteKind, SEARCH_DATA, folder_intro};
use crate::site::{PageId, Site};
use crate::theme::StaticFile;

/// Version of the manifest format; `diff` refuses others.
pub const FORMAT: u32 = 1;

/// Every file a build wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub base_url: String,
    /// Sorted by path.
    pub files: Vec<FileRecord>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path in the output folder, `/` first: `/tools/kubeadm/index.html`.
    pub path: String,
    /// blake3 of the bytes written, hex.
    pub hash: String,
    /// The file it was made from, relative to the site root (`content/tools/kubeadm.md`,
    /// `themes/clusterops/static/style.css`); none for generated lists, feeds and indexes
    /// without an intro page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Collects the hash of every generated file as the build hands it to the output (from any
/// thread).
#[derive(Debug, Default)]
pub struct Hashes(Mutex<Vec<(String, String)>>);

impl Hashes {
    pub fn record(&self, file: &OutputFile) {
        let hash = blake3::hash(&file.bytes).to_hex().to_string();
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((file_of(&file.path), hash));
    }

    fn into_inner(self) -> Vec<(String, String)> {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

/// The manifest of a build: the generated files' hashes, the copied files (hashed here), and
/// each file's source from the plan. `root` makes disk paths relative.
pub fn manifest(
    hashes: Hashes,
    copies: &[(String, StaticFile)],
    plan: &Plan,
    site: &Site,
    base_url: &str,
    root: &Path,
) -> std::io::Result<Manifest> {
    let page_file = |i: PageId| site.page(i).map(|p| p.file.clone());
    let sources: HashMap<String, Option<String>> = plan
        .iter()
        .map(|r| {
            let source = match &r.kind {
                RouteKind::Page(i) | RouteKind::Alias { page: i, .. } => page_file(*i),
                RouteKind::Home => site.home.and_then(page_file),
                RouteKind::List {
                    collection, folder, ..
                } => match folder {
                    None => site
                        .collections
                        .get(collection)
                        .and_then(|c| c.intro)
                        .and_then(page_file),
                    Some(f) => folder_intro(site, collection, f).and_then(page_file),
                },
                _ => None,
            };
            (r.file(), source)
        })
        .collect();
    let mut files: BTreeMap<String, FileRecord> = BTreeMap::new();
    for (path, hash) in hashes.into_inner() {
        let source = if path.starts_with(SEARCH_DATA) {
            None
        } else {
            sources.get(&path).cloned().flatten()
        };
        files.insert(path.clone(), FileRecord { path, hash, source });
    }
    for (path, src) in copies {
        let bytes = src.read()?;
        let source = match src {
            StaticFile::Disk(p) => Some(crate::content::load::display(root, p)),
            StaticFile::Builtin(_) => Some(format!(
                "(built-in {} theme)/static{path}",
                crate::theme::DEFAULT_THEME
            )),
        };
        let path = file_of(path);
        files.insert(
            path.clone(),
            FileRecord {
                path,
                hash: blake3::hash(&bytes).to_hex().to_string(),
                source,
            },
        );
    }
    Ok(Manifest {
        format: FORMAT,
        base_url: base_url.to_string(),
        files: files.into_values().collect(),
    })
}

/// Reads a manifest written by `build --report`.
pub fn read(path: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a build report (write one with `opsbook build --report FILE`): {e}",
            path.display()
        )
    })?;
    if manifest.format != FORMAT {
        return Err(format!(
            "{} is a build report of format {}; this opsbook reads format {FORMAT}",
            path.display(),
            manifest.format
        ));
    }
    Ok(manifest)
}

/// A page in a comparison: its URL and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageChange {
    /// Site path of the page (`/tools/kubeadm/`; `/404.html` for non-index pages).
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What changed between two builds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<PageChange>,
    pub changed: Vec<PageChange>,
    pub removed: Vec<PageChange>,
    /// Files that are not pages (feeds, the search index, images…) added, changed or removed.
    pub other_files: usize,
}

/// The URL of an HTML output file, or None for other files.
fn page_url(path: &str) -> Option<String> {
    if let Some(dir) = path.strip_suffix("index.html") {
        return Some(dir.to_string());
    }
    path.ends_with(".html").then(|| path.to_string())
}

/// Compares two manifests.
pub fn diff(old: &Manifest, new: &Manifest) -> Diff {
    let old_files: HashMap<&str, &FileRecord> =
        old.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let new_files: HashMap<&str, &FileRecord> =
        new.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut out = Diff::default();
    let change = |url: String, f: &FileRecord| PageChange {
        url,
        source: f.source.clone(),
    };
    for f in &new.files {
        let before = old_files.get(f.path.as_str());
        if before.is_some_and(|b| b.hash == f.hash) {
            continue;
        }
        match (page_url(&f.path), before) {
            (Some(url), None) => out.added.push(change(url, f)),
            (Some(url), Some(_)) => out.changed.push(change(url, f)),
            (None, _) => out.other_files += 1,
        }
    }
    for f in &old.files {
        if new_files.contains_key(f.path.as_str()) {
            continue;
        }
        match page_url(&f.path) {
            Some(url) => out.removed.push(change(url, f)),
            None => out.other_files += 1,
        }
    }
    for list in [&mut out.added, &mut out.changed, &mut out.removed] {
        list.sort_by(|a, b| a.url.cmp(&b.url));
    }
    out
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    #[default]
    Human,
    Markdown,
    Json,
}

fn counts(d: &Diff) -> String {
    format!(
        "{} page{} added, {} changed, {} removed; {} other file{} differ",
        d.added.len(),
        if d.added.len() == 1 { "" } else { "s" },
        d.changed.len(),
        d.removed.len(),
        d.other_files,
        if d.other_files == 1 { "" } else { "s" }
    )
}

/// Renders a comparison.
pub fn render(d: &Diff, format: DiffFormat) -> String {
    let mut out = String::new();
    let sections = [
        ("Added", &d.added),
        ("Changed", &d.changed),
        ("Removed", &d.removed),
    ];
    match format {
        DiffFormat::Json => {
            out = serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".into());
            out.push('\n');
        }
        DiffFormat::Human => {
            let _ = writeln!(out, "{}", counts(d));
            for (title, pages) in sections {
                if pages.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n{title}:");
                for p in pages {
                    match &p.source {
                        Some(s) => {
                            let _ = writeln!(out, "  {}  ({s})", p.url);
                        }
                        None => {
                            let _ = writeln!(out, "  {}", p.url);
                        }
                    }
                }
            }
        }
        DiffFormat::Markdown => {
            let _ = writeln!(out, "### Pages this change adds, changes and removes\n");
            let _ = writeln!(out, "{}.", counts(d));
            for (title, pages) in sections {
                if pages.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n#### {title} ({})\n", pages.len());
                let _ = writeln!(out, "| Page | Source |\n|---|---|");
                for p in pages {
                    let source = p
                        .source
                        .as_deref()
                        .map_or_else(|| "(generated)".to_string(), |s| format!("`{s}`"));
                    let _ = writeln!(out, "| `{}` | {source} |", p.url.replace('|', "\\|"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            format: FORMAT,
            base_url: "https://example.org/".into(),
            files: files
                .iter()
                .map(|(p, h)| FileRecord {
                    path: p.to_string(),
                    hash: h.to_string(),
                    source: None,
                })
                .collect(),
        }
    }

    #[test]
    fn pages_and_other_files() {
        let old = manifest(&[
            ("/index.html", "a"),
            ("/tools/x/index.html", "b"),
            ("/404.html", "c"),
            ("/atom.xml", "d"),
        ]);
        let new = manifest(&[
            ("/index.html", "a"),
            ("/tools/y/index.html", "e"),
            ("/404.html", "z"),
            ("/atom.xml", "f"),
        ]);
        let d = diff(&old, &new);
        let urls = |v: &[PageChange]| v.iter().map(|p| p.url.clone()).collect::<Vec<_>>();
        assert_eq!(urls(&d.added), ["/tools/y/"]);
        assert_eq!(urls(&d.changed), ["/404.html"]);
        assert_eq!(urls(&d.removed), ["/tools/x/"]);
        assert_eq!(d.other_files, 1);
        assert_eq!(diff(&new, &new), Diff::default());
    }
}
