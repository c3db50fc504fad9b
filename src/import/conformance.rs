//! `opsbook import conformance DIR`: a cncf/k8s-conformance checkout
//! (`v1.NN/<product>/PRODUCT.yaml`) → `conformance` entries, one per submission. The
//! Kubernetes version comes from the folder, never from the file; contact addresses are never
//! written. Owned fields: `title`, `product`, `vendor`, `kubernetes`, `product_version`, `type`,
//! `website`, `documentation`, `description`, `result`.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::{Record, Report, apply, one_line, text, without_emails};
use crate::content::schema::is_url;
use crate::slug::slugify;

pub const SOURCE: &str = "k8s-conformance";

/// Our `type` for the many spellings submissions use.
pub fn normalize_type(raw: &str) -> Option<&'static str> {
    let t = raw.trim().trim_matches(['"', '\'']).trim().to_lowercase();
    if t.contains("hosted") {
        Some("hosted")
    } else if t.contains("installer") {
        Some("installer")
    } else if t.contains("distribution") || t == "distro" || t.contains("platform") {
        Some("distribution")
    } else {
        None
    }
}

/// The text after `key:` on its line, unquoted — YAML would turn `1.30` into 1.3.
fn raw_scalar(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let v = rest
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\''])
            .trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn string(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `v1.NN` folders of `dir` with their minor version.
fn version_dirs(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(v) = name.strip_prefix('v') else {
            continue;
        };
        if crate::site::minor_version(v).is_some() && e.path().is_dir() {
            out.push((v.to_string(), e.path()));
        }
    }
    out.sort_by_key(|(v, _)| crate::site::minor_version(v));
    Ok(out)
}

fn product_file(dir: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.into_iter().find(|p| {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        n == "product.yaml" || n == "product.yml"
    })
}

fn record(file: &Path, folder: &str, version: &str) -> Result<Record, String> {
    let raw = std::fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    let source = String::from_utf8_lossy(&raw).replace("\r\n", "\n");
    // Real submissions repeat keys now and then; the first one wins, as a reader would expect.
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::FirstWins;
    let doc: Json = serde_saphyr::from_str_with_options(&source, options).map_err(|e| {
        format!(
            "invalid YAML: {}",
            e.to_string().lines().next().unwrap_or("")
        )
    })?;
    if !doc.is_object() {
        return Err("not a YAML mapping".into());
    }
    let product = string(&doc, "name").ok_or("no `name`")?;
    let vendor = string(&doc, "vendor").ok_or("no `vendor`")?;
    let kind_raw = string(&doc, "type").unwrap_or_default();
    let kind = normalize_type(&kind_raw).ok_or_else(|| format!("unknown type `{kind_raw}`"))?;
    let product_version = raw_scalar(&source, "version").or_else(|| string(&doc, "version"));
    let url = |key: &str| string(&doc, key).filter(|u| is_url(u));
    let description = string(&doc, "description").map(|d| without_emails(&one_line(&d)));
    Ok(Record {
        slug: slugify(&format!("{folder}-{version}")),
        fields: vec![
            (
                "title".into(),
                text(&format!("{product} on Kubernetes {version}")),
            ),
            ("product".into(), text(&product)),
            ("vendor".into(), text(&vendor)),
            ("kubernetes".into(), text(version)),
            (
                "product_version".into(),
                product_version.as_deref().and_then(text),
            ),
            ("type".into(), text(kind)),
            (
                "website".into(),
                url("website_url").as_deref().and_then(text),
            ),
            (
                "documentation".into(),
                url("documentation_url").as_deref().and_then(text),
            ),
            ("description".into(), description.as_deref().and_then(text)),
            ("result".into(), text("pass")),
        ],
        body: format!(
            "{product} by {vendor} passed the Kubernetes {version} conformance tests (certified submission, imported from the k8s-conformance repository).\n"
        ),
    })
}

/// Imports the checkout at `dir` into `out` (the conformance collection's folder).
pub fn import(dir: &Path, out: &Path, dry_run: bool) -> Result<Report, String> {
    let versions = version_dirs(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if versions.is_empty() {
        return Err(format!(
            "{} has no v1.NN folders; point it at a k8s-conformance checkout",
            dir.display()
        ));
    }
    let mut report = Report::default();
    let mut work = Vec::new();
    for (version, vdir) in &versions {
        let mut products: Vec<PathBuf> = std::fs::read_dir(vdir)
            .map_err(|e| format!("cannot read {}: {e}", vdir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        products.sort();
        report.groups.push((format!("v{version}"), products.len()));
        for p in products {
            work.push((version.clone(), p));
        }
    }
    let bar = super::progress(work.len(), "conformance");
    for (version, pdir) in work {
        bar.inc(1);
        let folder = pdir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let at = format!("v{version}/{folder}");
        let Some(file) = product_file(&pdir) else {
            report.problems.push((at, "no PRODUCT.yaml".into()));
            continue;
        };
        let at = file
            .strip_prefix(dir)
            .map(|p| p.display().to_string())
            .unwrap_or(at);
        match record(&file, &folder, &version) {
            Ok(rec) => match apply(out, &rec, SOURCE, dry_run) {
                Ok(outcome) => report.count(outcome, &format!("{}.md", rec.slug)),
                Err(e) => report.problems.push((at, format!("cannot write: {e}"))),
            },
            Err(why) => report.problems.push((at, why)),
        }
    }
    bar.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messy_types_and_versions() {
        assert_eq!(
            normalize_type("Certified Kubernetes - Installer"),
            Some("installer")
        );
        assert_eq!(normalize_type(" \"hosted platform\" "), Some("hosted"));
        assert_eq!(normalize_type("distro"), Some("distribution"));
        assert_eq!(normalize_type("container platform"), Some("distribution"));
        assert_eq!(normalize_type("banana"), None);
        assert_eq!(
            raw_scalar("name: x\nversion: 1.30\n", "version").as_deref(),
            Some("1.30")
        );
        assert_eq!(
            raw_scalar("version: \"v1.2\" # note\n", "version").as_deref(),
            Some("v1.2")
        );
    }
}
