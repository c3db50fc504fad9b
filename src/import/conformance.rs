//! `opsbook import conformance DIR`: a cncf/k8s-conformance checkout
//! (`v1.NN/<folder>/PRODUCT.yaml`, sometimes one folder deeper) → `conformance` entries, one per
//! submission. This module owns reading submissions (YAML first, a line-based `key: value`
//! reader when the YAML does not parse), the product key that folds one product's spellings
//! into one row, the vendor alias table, and the evidence link to the submission upstream.
//!
//! The Kubernetes version comes from the folder, never from the file; contact addresses are
//! never written. Owned fields: `title`, `product`, `vendor`, `vendor_as_submitted`,
//! `kubernetes`, `product_version`, `type`, `website`, `documentation`, `repository`,
//! `description`, `result`, `evidence`. `product_id`, set by hand, overrides the product key.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::{Record, Report, apply, one_line, text, without_emails};
use crate::content::schema::is_url;
use crate::slug::slugify;

pub const SOURCE: &str = "k8s-conformance";

/// Where each submission's folder (PRODUCT.yaml, e2e.log, junit_01.xml) lives upstream.
pub const UPSTREAM_TREE: &str = "https://github.com/cncf/k8s-conformance/tree/master";

/// Vendors that renamed themselves or were bought: the name a submission used → the name the
/// site shows. Compared case-insensitively.
pub const VENDOR_ALIASES: &[(&str, &str)] = &[
    ("VMware", "VMware by Broadcom"),
    ("VMware, Inc.", "VMware by Broadcom"),
    ("VMware Inc.", "VMware by Broadcom"),
    ("D2iQ", "Nutanix"),
    ("D2IQ, Inc.", "Nutanix"),
    ("Rancher", "SUSE"),
    ("Rancher Labs", "SUSE"),
    ("Rancher Inc.", "SUSE"),
    ("Rancher Labs, Inc.", "SUSE"),
    ("SUSE, LLC", "SUSE"),
    // The OpenStack Foundation became the Open Infrastructure Foundation in 2021.
    ("OpenStack Foundation", "Open Infrastructure Foundation"),
];

/// The vendor name the site shows for `raw`.
pub fn vendor_alias(raw: &str) -> String {
    let raw = raw.trim();
    VENDOR_ALIASES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(raw))
        .map_or_else(|| raw.to_string(), |(_, to)| to.to_string())
}

/// Our `type` for the many spellings submissions use; `None` for a value we cannot place.
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

/// A product name without a trailing release number (`"Acme Kubernetes v2.1"` → `"Acme
/// Kubernetes"`); a number without a dot is part of the name (`"HyperCloud 21"`).
pub fn without_version_suffix(name: &str) -> &str {
    let trimmed = name.trim();
    let Some((head, last)) = trimmed.rsplit_once(char::is_whitespace) else {
        return trimmed;
    };
    let digits = last.trim_start_matches(['v', 'V']);
    let is_release = digits.contains('.')
        && digits
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    if is_release && !head.trim().is_empty() {
        head.trim_end()
    } else {
        trimmed
    }
}

/// The stable key of a product: its name with case, whitespace, punctuation and a trailing
/// release number normalized. `"Managed Kubernetes on AWS"` and `"Managed Kubernetes on aws"`
/// share one key; the key is also the product page's slug.
pub fn product_key(name: &str) -> String {
    slugify(without_version_suffix(name))
}

/// One `PRODUCT.yaml` as read: flat `key → text` (numbers as written, never re-formatted).
#[derive(Debug, Default)]
struct Fields(HashMap<String, String>);

impl Fields {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && *s != "~" && *s != "null")
    }
}

/// The text after `key:` on its line, unquoted — YAML would turn `1.30` into 1.3.
fn raw_scalar(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let v = unquote(rest.split(" #").next().unwrap_or(""));
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner.trim();
        }
    }
    v.trim_matches(['"', '\'']).trim()
}

/// The fallback for files YAML rejects (unquoted colons in values, unclosed quotes, tabs):
/// PRODUCT.yaml is flat, so each `key: value` line is one field, and the indented lines after
/// a `|`/`>` (or after any value) continue it. The first occurrence of a key wins.
fn line_fields(source: &str) -> Fields {
    let mut out: HashMap<String, String> = HashMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_indented = line.starts_with([' ', '\t']);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        if starts_indented {
            if let Some(v) = current.as_ref().and_then(|k| out.get_mut(k)) {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(unquote(trimmed));
            }
            continue;
        }
        current = None;
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        if key.is_empty() || key.contains(char::is_whitespace) || out.contains_key(&key) {
            continue;
        }
        let value = value.split(" #").next().unwrap_or("");
        let value = match unquote(value) {
            "|" | ">" | "|-" | ">-" | "|+" | ">+" => "",
            v => v,
        };
        out.insert(key.clone(), value.to_string());
        current = Some(key);
    }
    Fields(out)
}

/// Reads one submission file: YAML when it parses, else the line reader with a warning that
/// names the line YAML stopped at.
fn read_fields(source: &str) -> (Fields, Option<String>) {
    let mut options = serde_saphyr::Options::default();
    // Real submissions repeat keys now and then; the first one wins, as a reader would expect.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::FirstWins;
    match serde_saphyr::from_str_with_options::<Json>(source, options) {
        Ok(Json::Object(map)) => {
            let mut out = HashMap::new();
            for (k, v) in map {
                let s = match v {
                    Json::String(s) => s,
                    Json::Number(n) => n.to_string(),
                    Json::Bool(b) => b.to_string(),
                    _ => continue,
                };
                out.insert(k, s);
            }
            // Numbers keep the text they were written with (`version: 1.30`).
            for key in ["version"] {
                if let Some(raw) = raw_scalar(source, key) {
                    out.insert(key.to_string(), raw);
                }
            }
            (Fields(out), None)
        }
        Ok(_) => (
            line_fields(source),
            Some("line 1: not a YAML mapping; read line by line".to_string()),
        ),
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line());
            let why = e.to_string();
            let why = why.lines().next().unwrap_or("").trim();
            (
                line_fields(source),
                Some(format!(
                    "line {line}: YAML does not parse ({why}); read line by line"
                )),
            )
        }
    }
}

/// One submission folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Minor version, e.g. `"1.30"`.
    pub version: String,
    /// The folder under `v1.NN/`, `/`-separated (`elastx/elastx` when nested).
    pub folder: String,
    pub file: PathBuf,
}

impl Found {
    /// The entry's slug: folder path and version (`elastx-elastx-1.24`).
    pub fn slug(&self) -> String {
        slugify(&format!("{}-{}", self.folder, self.version))
    }

    /// The upstream folder holding PRODUCT.yaml, e2e.log and junit_01.xml.
    pub fn evidence(&self) -> String {
        // Folder names may hold spaces (`v1.30/ZStack Edge/`): each segment is encoded.
        const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let folder: Vec<String> = self
            .folder
            .split('/')
            .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
            .collect();
        format!("{UPSTREAM_TREE}/v{}/{}/", self.version, folder.join("/"))
    }
}

/// The `v1.NN` folders of `dir` with their minor version, oldest first.
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

fn is_product_file(p: &Path) -> bool {
    let n = p
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    p.is_file() && (n == "product.yaml" || n == "product.yml")
}

/// Every submission under one version folder: each folder (at any depth) that holds a
/// PRODUCT.yaml. Top-level folders holding none are returned as problems.
fn submissions_in(version: &str, vdir: &Path) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut empty = Vec::new();
    let mut tops: Vec<PathBuf> = std::fs::read_dir(vdir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    tops.sort();
    for top in tops {
        let mut here = Vec::new();
        for e in walkdir::WalkDir::new(&top)
            .max_depth(4)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !e.file_type().is_dir() {
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(e.path())
                .into_iter()
                .flatten()
                .flatten()
                .map(|f| f.path())
                .filter(|f| is_product_file(f))
                .collect();
            files.sort();
            let Some(file) = files.into_iter().next() else {
                continue;
            };
            let folder = e
                .path()
                .strip_prefix(vdir)
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_default();
            here.push(Found {
                version: version.to_string(),
                folder,
                file,
            });
        }
        if here.is_empty() {
            let name = top
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            empty.push(format!("v{version}/{name}"));
        }
        found.extend(here);
    }
    (found, empty)
}

/// A submission as read, before products are grouped.
#[derive(Debug)]
struct Submission {
    found: Found,
    at: String,
    name: String,
    vendor: String,
    fields: Fields,
}

/// The `product_id` an existing entry carries (set by hand to override the key).
fn existing_product_id(out: &Path, slug: &str) -> Option<String> {
    let text = std::fs::read_to_string(out.join(format!("{slug}.md"))).ok()?;
    let split = crate::content::front_matter::split_header(&text)?;
    let header = text.get(split.inner)?;
    let doc: toml::Table = toml::from_str(header).ok()?;
    doc.get("product_id")
        .and_then(toml::Value::as_str)
        .map(slugify)
        .filter(|s| !s.is_empty())
}

fn record(s: &Submission, product: &str, vendor: &str) -> Record {
    let f = &s.fields;
    let version = &s.found.version;
    let url = |key: &str| f.get(key).filter(|u| is_url(u)).and_then(text);
    let kind = f.get("type").and_then(normalize_type).unwrap_or("unknown");
    let description = f
        .get("description")
        .map(|d| without_emails(&one_line(d)))
        .filter(|d| !d.is_empty());
    let vendor_as_submitted = (s.vendor != vendor).then(|| s.vendor.clone());
    let name = &s.name;
    Record {
        slug: s.found.slug(),
        fields: vec![
            (
                "title".into(),
                text(&format!("{name} on Kubernetes {version}")),
            ),
            ("product".into(), text(product)),
            ("vendor".into(), text(vendor)),
            (
                "vendor_as_submitted".into(),
                vendor_as_submitted.as_deref().and_then(text),
            ),
            ("kubernetes".into(), text(version)),
            ("product_version".into(), f.get("version").and_then(text)),
            ("type".into(), text(kind)),
            ("website".into(), url("website_url")),
            ("documentation".into(), url("documentation_url")),
            ("repository".into(), url("repo_url")),
            ("description".into(), description.as_deref().and_then(text)),
            ("result".into(), text("pass")),
            ("evidence".into(), text(&s.found.evidence())),
        ],
        body: format!(
            "{name} by {} passed the Kubernetes {version} conformance tests: a certified submission, imported from the cncf/k8s-conformance repository. The submission's folder holds its test log (`e2e.log`) and JUnit results.\n",
            s.vendor
        ),
    }
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
    let mut found = Vec::new();
    for (version, vdir) in &versions {
        let (subs, empty) = submissions_in(version, vdir);
        report.groups.push((format!("v{version}"), subs.len()));
        for at in empty {
            report
                .problems
                .push((at, "no PRODUCT.yaml: skipped".into()));
        }
        found.extend(subs);
    }

    // Read every submission; only one with no readable name and vendor is skipped.
    let mut subs: Vec<Submission> = Vec::new();
    for f in found {
        let at = f
            .file
            .strip_prefix(dir)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| f.file.display().to_string());
        let raw = match std::fs::read(&f.file) {
            Ok(r) => r,
            Err(e) => {
                report.problems.push((at, format!("cannot read: {e}")));
                continue;
            }
        };
        let source = String::from_utf8_lossy(&raw).replace("\r\n", "\n");
        let (fields, warning) = read_fields(&source);
        if let Some(w) = warning {
            report.warnings.push((at.clone(), w));
        }
        let name = fields.get("name").map(one_line);
        let vendor = fields.get("vendor").map(one_line);
        let (Some(name), Some(vendor)) = (name, vendor) else {
            report.problems.push((
                at,
                "no readable `name` and `vendor`: skipped (fix the file upstream or enter the result by hand)".into(),
            ));
            continue;
        };
        if fields.get("type").and_then(normalize_type).is_none() {
            report.warnings.push((
                at.clone(),
                match fields.get("type") {
                    Some(t) => format!("unknown type `{t}`: written as `unknown`"),
                    None => "no `type` (older submissions lack it): written as `unknown`".into(),
                },
            ));
        }
        subs.push(Submission {
            found: f,
            at,
            name,
            vendor,
            fields,
        });
    }

    // One product, one key: `product_id` set by hand wins, else the normalized name.
    let keys: Vec<String> = subs
        .iter()
        .map(|s| existing_product_id(out, &s.found.slug()).unwrap_or_else(|| product_key(&s.name)))
        .collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        groups.entry(k.as_str()).or_default().push(i);
    }
    // The newest submission names the product and its vendor; names stay unique per product.
    let mut display: HashMap<&str, (String, String)> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (key, members) in &groups {
        let newest = members.iter().filter_map(|&i| subs.get(i)).max_by(|a, b| {
            crate::site::minor_version(&a.found.version)
                .cmp(&crate::site::minor_version(&b.found.version))
                .then_with(|| b.found.folder.cmp(&a.found.folder))
        });
        let Some(newest) = newest else { continue };
        let vendor = vendor_alias(&newest.vendor);
        let mut name = without_version_suffix(&newest.name).to_string();
        if !taken.insert(slugify(&name)) {
            name = format!("{name} ({vendor})");
            if !taken.insert(slugify(&name)) {
                name = format!("{name} [{key}]");
                taken.insert(slugify(&name));
            }
        }
        display.insert(key, (name, vendor));
    }

    let bar = super::progress(subs.len(), "conformance");
    let mut written: HashSet<String> = HashSet::new();
    for (s, key) in subs.iter().zip(&keys) {
        bar.inc(1);
        let Some((product, vendor)) = display.get(key.as_str()) else {
            continue;
        };
        let rec = record(s, product, vendor);
        written.insert(format!("{}.md", rec.slug));
        match apply(out, &rec, SOURCE, dry_run) {
            Ok(outcome) => report.count(outcome, &format!("{}.md", rec.slug)),
            Err(e) => report
                .problems
                .push((s.at.clone(), format!("cannot write: {e}"))),
        }
    }
    bar.finish_and_clear();
    report.gone = gone(out, &versions, &written);
    // How current the data is: the checkout's newest commit. Without git history the stamp
    // already in `_index.md` (set by hand) stays.
    match super::git_month(dir) {
        Some(month) => {
            if let Err(e) = super::stamp_index(out, "Conformance results", &month, dry_run) {
                report.problems.push((
                    "_index.md".into(),
                    format!("cannot write `data_as_of`: {e}"),
                ));
            }
        }
        None => report.warnings.push((
            dir.display().to_string(),
            "not a git checkout: `data_as_of` in _index.md is left as it is (set it by hand)"
                .into(),
        )),
    }
    Ok(report)
}

/// Imported entries (still carrying `source`) for a version this checkout has, whose
/// submission is no longer there: reported, never deleted.
fn gone(out: &Path, versions: &[(String, PathBuf)], written: &HashSet<String>) -> Vec<String> {
    let have: HashSet<&str> = versions.iter().map(|(v, _)| v.as_str()).collect();
    let mut out_files: Vec<PathBuf> = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    out_files.sort();
    let mut gone = Vec::new();
    for p in out_files {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if written.contains(&name) || name == "_index.md" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Some(split) = crate::content::front_matter::split_header(&text) else {
            continue;
        };
        let Some(doc) = text
            .get(split.inner)
            .and_then(|h| toml::from_str::<toml::Table>(h).ok())
        else {
            continue;
        };
        let imported = doc.get("source").and_then(toml::Value::as_str) == Some(SOURCE);
        let version = doc.get("kubernetes").and_then(toml::Value::as_str);
        if imported && version.is_some_and(|v| have.contains(v)) {
            gone.push(name);
        }
    }
    gone
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

    #[test]
    fn product_keys_fold_spellings_and_release_numbers() {
        assert_eq!(
            product_key("Managed Kubernetes on AWS"),
            product_key("Managed Kubernetes on aws")
        );
        assert_eq!(product_key("vCluster"), product_key("vcluster"));
        assert_eq!(product_key("Acme  Kubernetes v2.1"), "acme-kubernetes");
        assert_eq!(product_key("Acme Kubernetes 2.1.0"), "acme-kubernetes");
        assert_eq!(product_key("HyperCloud 21"), "hypercloud-21");
        assert_eq!(product_key("GKSv3"), "gksv3");
        assert_ne!(
            product_key(
                "Cloud Platform - Gardener (https://github.com/gardener/gardener) shoot cluster deployed on AWS"
            ),
            product_key(
                "Gardener (https://github.com/gardener/gardener) shoot cluster deployed on AWS"
            )
        );
        assert_eq!(vendor_alias("vmware"), "VMware by Broadcom");
        assert_eq!(vendor_alias("D2iQ"), "Nutanix");
        assert_eq!(vendor_alias("Rancher Inc."), "SUSE");
        assert_eq!(vendor_alias("Giant Swarm"), "Giant Swarm");
    }

    #[test]
    fn the_line_reader_takes_what_yaml_rejects() {
        let source = "vendor: Acme: the company\nname: \"Acme K8s\nversion: 1.30\ndescription: |\n  two\n  lines\ntype:\tinstaller\n";
        let (fields, warning) = read_fields(source);
        let warning = warning.expect("a warning");
        assert!(warning.starts_with("line "), "{warning}");
        assert_eq!(fields.get("vendor"), Some("Acme: the company"));
        assert_eq!(fields.get("name"), Some("Acme K8s"));
        assert_eq!(fields.get("version"), Some("1.30"));
        assert_eq!(fields.get("description"), Some("two lines"));
        assert_eq!(fields.get("type"), Some("installer"));
    }
}
