//! Importers: turn public data (the CNCF landscape, k8s-conformance submissions) into entries,
//! and keep them up to date without touching what people wrote. An imported entry carries
//! `source = "<importer>"`; a re-import rewrites only the fields the importer owns, only in
//! entries that still carry that `source`, and never a body someone wrote: only a body that is
//! exactly a stub an earlier version of the importer wrote is brought up to date. Files are
//! written whole (temp file + rename) or not at all.

pub mod conformance;
pub mod landscape;

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use crate::content::front_matter::{self, Format};

/// Field an importer sets on an entry whose summary it wrote itself because its source gave
/// none: such a summary is the site's words, and the theme and search do not quote it as the
/// source's.
pub const GENERATED_SUMMARY: &str = "summary_by";

/// Where an imported entry's data comes from, for a reader who wants to correct it: a
/// re-import rewrites the fields, so corrections belong upstream, not in the entry's file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Upstream {
    /// The field that links the entry's own upstream record (a submission's folder, a
    /// landscape item), if the importer writes one.
    pub field: &'static str,
    /// What that record is, as a link text ("its submission to cncf/k8s-conformance").
    pub record: &'static str,
    /// Where corrections go when the entry has no such link: the upstream repository.
    pub repository: &'static str,
    /// The repository's name as a reader knows it ("cncf/k8s-conformance").
    pub name: &'static str,
}

/// The upstream of the importer whose tag is `source` (an entry's `source` field), or `None`
/// for a tag no importer here writes.
pub fn upstream(source: &str) -> Option<Upstream> {
    match source {
        conformance::SOURCE => Some(Upstream {
            field: "evidence",
            record: "its submission to cncf/k8s-conformance",
            repository: "https://github.com/cncf/k8s-conformance",
            name: "cncf/k8s-conformance",
        }),
        landscape::SOURCE => Some(Upstream {
            field: "landscape",
            record: "its entry on the CNCF landscape",
            repository: "https://github.com/cncf/landscape",
            name: "cncf/landscape",
        }),
        _ => None,
    }
}

/// One entry an importer wants to exist.
#[derive(Debug, Clone)]
pub struct Record {
    pub slug: String,
    /// Fields the importer owns, in schema order (`title` first). `None` removes the field.
    pub fields: Vec<(String, Option<Value>)>,
    /// Body of a newly created entry.
    pub body: String,
    /// Bodies earlier versions of the importer wrote for this entry: an entry whose body is
    /// still exactly one of them (nobody wrote in it) gets `body` instead.
    pub stale_bodies: Vec<String>,
}

/// What happened to one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Left alone, with the reason (edited by hand: no `source`, or YAML front matter).
    Kept(String),
}

/// The summary of an import run.
#[derive(Debug, Default)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// (file, reason) of entries left alone.
    pub kept: Vec<(String, String)>,
    /// (where, reason) of input that could not be imported.
    pub problems: Vec<(String, String)>,
    /// (where, what) of input imported with a fallback (a field left unset, a file read line
    /// by line).
    pub warnings: Vec<(String, String)>,
    /// Imported entries whose input has disappeared upstream: reported, never deleted.
    pub gone: Vec<String>,
    /// Items per group (category or Kubernetes version), as read.
    pub groups: Vec<(String, usize)>,
}

impl Report {
    pub fn count(&mut self, outcome: Outcome, file: &str) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Kept(why) => self.kept.push((file.to_string(), why)),
        }
    }

    pub fn changed(&self) -> usize {
        self.created + self.updated
    }

    /// The one-paragraph summary printed after a run.
    pub fn summary(&self, name: &str, dry_run: bool) -> String {
        let verb = if dry_run { "would be " } else { "" };
        let mut s = format!(
            "{name}: {} items → {} {verb}created, {} {verb}updated, {} unchanged, {} kept (edited by hand), {} problems, {} warnings, {} gone upstream\n",
            self.groups.iter().map(|(_, n)| n).sum::<usize>(),
            self.created,
            self.updated,
            self.unchanged,
            self.kept.len(),
            self.problems.len(),
            self.warnings.len(),
            self.gone.len()
        );
        for (group, n) in &self.groups {
            s.push_str(&format!("  {group}: {n}\n"));
        }
        if !self.kept.is_empty() {
            s.push_str("kept:\n");
            for (file, why) in &self.kept {
                s.push_str(&format!("  {file}: {why}\n"));
            }
        }
        if !self.problems.is_empty() {
            s.push_str("problems:\n");
            for (at, why) in &self.problems {
                s.push_str(&format!("  {at}: {why}\n"));
            }
        }
        if !self.warnings.is_empty() {
            s.push_str("warnings:\n");
            for (at, why) in &self.warnings {
                s.push_str(&format!("  {at}: {why}\n"));
            }
        }
        if !self.gone.is_empty() {
            s.push_str(
                "gone upstream (left in place; delete them or remove `source` to keep them):\n",
            );
            for file in &self.gone {
                s.push_str(&format!("  {file}\n"));
            }
        }
        s
    }
}

/// Creates or updates `dir/<slug>.md` for `record`; `source` is the importer's tag.
pub fn apply(dir: &Path, record: &Record, source: &str, dry_run: bool) -> std::io::Result<Outcome> {
    let path = dir.join(format!("{}.md", record.slug));
    let existing = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let Some(text) = existing else {
        let mut doc = DocumentMut::new();
        for (key, value) in &record.fields {
            if let Some(v) = value {
                doc.insert(key, Item::Value(v.clone()));
            }
        }
        doc.insert("source", Item::Value(source.into()));
        let text = format!("+++\n{}+++\n{}", doc, record.body);
        if !dry_run {
            write_whole(&path, &text)?;
        }
        return Ok(Outcome::Created);
    };
    let Some(split) = front_matter::split_header(&text) else {
        return Ok(Outcome::Kept("no readable front matter".into()));
    };
    if split.format == Format::Yaml {
        return Ok(Outcome::Kept(
            "YAML front matter: convert it to TOML to let the importer update it".into(),
        ));
    }
    let header = text.get(split.inner.clone()).unwrap_or("");
    let Ok(mut doc) = header.parse::<DocumentMut>() else {
        return Ok(Outcome::Kept("front matter is not valid TOML".into()));
    };
    if doc.get("source").and_then(Item::as_str) != Some(source) {
        return Ok(Outcome::Kept(format!(
            "no `source = \"{source}\"`: frozen by hand"
        )));
    }
    for (key, value) in &record.fields {
        match value {
            Some(v) => {
                let same = doc
                    .get(key)
                    .and_then(Item::as_value)
                    .is_some_and(|old| same_value(old, v));
                if !same {
                    match doc.get_mut(key).and_then(Item::as_value_mut) {
                        // Keep the key's comments and spacing.
                        Some(old) => {
                            let decor = old.decor().clone();
                            *old = v.clone();
                            *old.decor_mut() = decor;
                        }
                        None => {
                            doc.insert(key, Item::Value(v.clone()));
                        }
                    }
                }
            }
            None => {
                doc.remove(key);
            }
        }
    }
    let mut new_header = doc.to_string();
    if !header.is_empty() && !new_header.ends_with('\n') {
        new_header.push('\n');
    }
    let (before, after) = (
        text.get(..split.inner.start).unwrap_or(""),
        text.get(split.inner.end..).unwrap_or(""),
    );
    let body = text.get(split.body_start..).unwrap_or("");
    let after = if record.stale_bodies.iter().any(|b| b.trim() == body.trim()) {
        // The closing fence as written, then the current stub.
        let fence = after.len().saturating_sub(body.len());
        format!("{}{}", after.get(..fence).unwrap_or(""), record.body)
    } else {
        after.to_string()
    };
    let updated = format!("{before}{new_header}{after}");
    if updated == text {
        return Ok(Outcome::Unchanged);
    }
    if !dry_run {
        write_whole(&path, &updated)?;
    }
    Ok(Outcome::Updated)
}

/// Sets `data_as_of` (how current the imported data is, e.g. "August 2025") in the collection's
/// `_index.md`, creating a minimal one when there is none. Only that key is touched.
pub fn stamp_index(dir: &Path, title: &str, as_of: &str, dry_run: bool) -> std::io::Result<bool> {
    let path = dir.join("_index.md");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("+++\ntitle = {}\n+++\n", Value::from(title))
        }
        Err(e) => return Err(e),
    };
    let Some(split) = front_matter::split_header(&text) else {
        return Ok(false);
    };
    if split.format == Format::Yaml {
        return Ok(false);
    }
    let header = text.get(split.inner.clone()).unwrap_or("");
    let Ok(mut doc) = header.parse::<DocumentMut>() else {
        return Ok(false);
    };
    if doc.get("data_as_of").and_then(Item::as_str) == Some(as_of) {
        return Ok(false);
    }
    doc.insert("data_as_of", Item::Value(as_of.into()));
    let mut new_header = doc.to_string();
    if !new_header.ends_with('\n') {
        new_header.push('\n');
    }
    let (Some(before), Some(after)) = (text.get(..split.inner.start), text.get(split.inner.end..))
    else {
        return Ok(false);
    };
    if !dry_run {
        write_whole(&path, &format!("{before}{new_header}{after}"))?;
    }
    Ok(true)
}

/// "August 2025" for the date of the newest commit of the git checkout at `dir`, if it is one.
pub fn git_month(dir: &Path) -> Option<String> {
    // Only the top of a checkout: a folder inside some other repository is not its data.
    let top = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let top = std::path::PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["log", "-1", "--format=%cs"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let date: jiff::civil::Date = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    jiff::fmt::strtime::format("%B %Y", date).ok()
}

fn same_value(a: &Value, b: &Value) -> bool {
    a.clone().decorated("", "").to_string() == b.clone().decorated("", "").to_string()
}

/// Writes through a temporary file and a rename, so a file is never half written.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp: PathBuf = path.with_extension("md.opsbook-import");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// A string value for a record.
pub fn text(s: &str) -> Option<Value> {
    Some(Value::from(s))
}

/// One line of text: whitespace collapsed.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A progress bar on an interactive terminal, hidden otherwise.
pub fn progress(len: usize, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}
