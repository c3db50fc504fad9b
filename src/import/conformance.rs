//! `opsbook import conformance DIR`: a cncf/k8s-conformance checkout
//! (`v1.NN/<folder>/PRODUCT.yaml`, sometimes one folder deeper) → `conformance` entries, one per
//! submission. This module owns reading submissions (YAML first, a line-based `key: value`
//! reader when the YAML does not parse), the product id that makes one product one row, the
//! vendor alias table, the tool table, and the evidence link to the submission upstream.
//!
//! A product is its submission folder upstream, not its name: vendors rename products
//! (`konvoy/` holds "Konvoy", later "NKP") and two folders may share a name (`metakube-aws/` and
//! `metakube-openstack/` are both "MetaKube"). Results from one folder are one product, shown
//! under its newest name with the older ones in `formerly`; two folders whose names collide get
//! a qualifier from the folder ("MetaKube (AWS)") or, when their vendors differ, the vendor.
//!
//! The Kubernetes version comes from the folder, never from the file; contact addresses are
//! never written. Owned fields: `title`, `product`, `product_id`, `formerly`, `vendor`,
//! `vendor_as_submitted`, `kubernetes`, `product_version`, `type`, `website`, `documentation`,
//! `repository`, `description`, `result`, `evidence`, and `tool` for the folders of
//! [`TOOLS`]. `product_id` is the folder's unless the entry sets `product_override` by hand
//! (which the import keeps): that moves the result to the product of that id. An id the
//! import wrote itself is never taken for a hand edit, so a change of [`product_id`]'s rules
//! reaches every entry on the next import. When a re-import moves results off a product page that then disappears,
//! the newest of them gets the old page's path in `aliases`, so links to it still land.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::{Record, Report, apply, one_line, text};
use crate::content::schema::is_url;
use crate::personal_data::without_email_addresses;
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
/// A bare "platform" is either of the instructions' "hosted platform" and "distribution"
/// (Amazon EKS and StarlingX both write it): the submission's `description` decides, hosted
/// when it calls the product a managed or hosted service.
pub fn normalize_type(raw: &str, description: Option<&str>) -> Option<&'static str> {
    let t = raw.trim().trim_matches(['"', '\'']).trim().to_lowercase();
    if t.contains("hosted") {
        Some("hosted")
    } else if t.contains("installer") {
        Some("installer")
    } else if t.contains("platform") && description.is_some_and(says_managed) {
        Some("hosted")
    } else if t.contains("distribution") || t == "distro" || t.contains("platform") {
        Some("distribution")
    } else {
        None
    }
}

/// Whether a product's description calls it a service someone else runs ("a managed
/// service", "fully-managed", "hosted").
fn says_managed(description: &str) -> bool {
    let d = description.to_lowercase();
    [
        "managed service",
        "fully managed",
        "fully-managed",
        "hosted",
    ]
    .iter()
    .any(|w| d.contains(w))
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

/// A product name without the web addresses some submissions put in it
/// (`"Gardener (https://github.com/gardener/gardener) shoot cluster"` → `"Gardener shoot
/// cluster"`): the address is the submission's `repo_url` or `website`, and in a name it makes
/// titles and product page addresses unreadable.
pub fn without_addresses(name: &str) -> String {
    let is_address = |w: &str| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '<' | '>' | ','));
        w.starts_with("https://") || w.starts_with("http://") || w.starts_with("www.")
    };
    let words: Vec<&str> = name.split_whitespace().filter(|w| !is_address(w)).collect();
    let joined = words.join(" ").replace("()", "");
    one_line(&joined)
        .trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '-' | ' '))
        .to_string()
}

/// A product name's key: the name with case, whitespace, punctuation and a trailing release
/// number normalized. `"Managed Kubernetes on AWS"` and `"Managed Kubernetes on aws"` share one
/// key: the same name, hence the same product page (`/conformance/product/<key>/`). Names decide
/// only what a product is called (and which of its names are former ones), never which results
/// are one product: that is [`product_id`].
pub fn product_key(name: &str) -> String {
    slugify(without_version_suffix(name))
}

/// Upstream folders that were renamed, not replaced: `(old, new)` folder ids, checked against
/// the data (same name and vendor, versions that follow on without overlap). Results in either
/// are one product, under the new id.
pub const FOLDER_RENAMES: &[(&str, &str)] = &[
    // VMware Tanzu Kubernetes Grid Integrated Edition: v1.24 in `pks/`, from v1.25 in `tkgi/`.
    ("pks", "tkgi"),
    // HPE Ezmeral Runtime Enterprise: v1.24–v1.26 in `hpe/`, from v1.28 in `hpe-ere/`.
    ("hpe", "hpe-ere"),
];

/// The product id of a submission folder (`metakube-aws`, `v1.24/elastx/elastx` → `elastx`):
/// upstream keeps each product's submissions in one folder per version, so the folder, not the
/// name, says which results are one product. Case is ignored (`OVH/` and `ovh/` are one folder
/// upstream over the years), a nested folder repeating its parent's name is its parent, and
/// [`FOLDER_RENAMES`] joins a folder to the one it was renamed to.
pub fn product_id(folder: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in folder.split('/').map(slugify).filter(|p| !p.is_empty()) {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    let id = parts.join("-");
    FOLDER_RENAMES
        .iter()
        .find(|(old, _)| *old == id)
        .map_or(id, |(_, new)| (*new).to_string())
}

/// Products that are tools of the catalog: product id → the tool's slug. Exact, checked by
/// hand (the submission's repository is the tool's); a name that merely matches is not enough
/// (`harmonycloud/` is a container platform, the `harmonycloud` tool an eBPF monitor).
pub const TOOLS: &[(&str, &str)] = &[
    ("k0s", "k0s"),
    ("k3s", "k3s"),
    ("kind", "kind"),
    ("kops", "kops"),
    ("kubespray", "kubespray"),
    ("minikube", "minikube"),
    // RKE Government is RKE2 (github.com/rancher/rke2), as its tool entry says.
    ("rke-government", "rke2"),
    ("talos", "talos"),
];

/// How a word of a folder id reads in a product's qualifier ("MetaKube (AWS)").
const QUALIFIER_WORDS: &[(&str, &str)] = &[
    ("aws", "AWS"),
    ("gcp", "GCP"),
    ("azure", "Azure"),
    ("openstack", "OpenStack"),
    ("vsphere", "vSphere"),
    ("alicloud", "Alibaba Cloud"),
];

/// Where a product's page is: the `product` field index of the conformance collection.
pub const PRODUCT_PAGES: &str = "/conformance/product/";

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

/// Newest Kubernetes version first, then by folder.
fn newest_first(a: &Submission, b: &Submission) -> std::cmp::Ordering {
    crate::site::minor_version(&b.found.version)
        .cmp(&crate::site::minor_version(&a.found.version))
        .then_with(|| a.found.folder.cmp(&b.found.folder))
}

/// What an entry already in the collection says, as far as a re-import reads it back.
#[derive(Debug, Default)]
struct Existing {
    /// TOML front matter with `source = "k8s-conformance"`: the import rewrites its fields.
    imported: bool,
    product: Option<String>,
    /// `product_override`, set by hand, slugified; `None` when unset or empty.
    product_override: Option<String>,
    aliases: Vec<String>,
}

impl Existing {
    /// `None` when there is no such file or its front matter does not parse.
    fn read(path: &Path) -> Option<Existing> {
        use crate::content::front_matter::{self, Format, Value};
        let text = std::fs::read_to_string(path).ok()?;
        let fm = front_matter::parse(&path.display().to_string(), &text).ok()?;
        let string = |key: &str| match fm.get(key).map(|n| &n.value) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let aliases = match fm.get("aliases").map(|n| &n.value) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|n| match &n.value {
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(Existing {
            imported: fm.format == Format::Toml && string("source").as_deref() == Some(SOURCE),
            product: string("product"),
            product_override: string("product_override")
                .map(|s| slugify(&s))
                .filter(|s| !s.is_empty()),
            aliases,
        })
    }
}

/// One product as the site shows it.
#[derive(Debug)]
struct Product {
    /// The newest submission's name, without a release number.
    base: String,
    /// `base`, qualified when another product has the same name: the `product` field.
    name: String,
    qualifier: Option<String>,
    /// The newest submission's vendor, under its current name.
    vendor: String,
    /// The product's earlier names, newest first (spellings of `base` are not names).
    formerly: Vec<String>,
}

/// Names each product (product id → [`Product`]) from its submissions.
fn name_products(subs: &[Submission], ids: &[String]) -> BTreeMap<String, Product> {
    let mut groups: BTreeMap<&str, Vec<&Submission>> = BTreeMap::new();
    for (s, id) in subs.iter().zip(ids) {
        groups.entry(id.as_str()).or_default().push(s);
    }
    let mut products = BTreeMap::new();
    for (id, mut members) in groups {
        members.sort_by(|a, b| newest_first(a, b));
        let Some(newest) = members.first() else {
            continue;
        };
        let base = without_version_suffix(&newest.name).to_string();
        let mut seen = HashSet::from([product_key(&base)]);
        let formerly = members
            .iter()
            .map(|s| without_version_suffix(&s.name))
            .filter(|n| seen.insert(product_key(n)))
            .map(str::to_string)
            .collect();
        products.insert(
            id.to_string(),
            Product {
                name: base.clone(),
                base,
                qualifier: None,
                vendor: vendor_alias(&newest.vendor),
                formerly,
            },
        );
    }
    qualify(&mut products);
    products
}

/// Products of one name get a qualifier each: their vendor when the vendors differ, else the
/// words of their ids the others lack (`metakube-aws` → "AWS"; `harmonycloud` beside
/// `harmonycloud-installer` keeps the plain name), else the id. Then every name is made unique
/// (two names are one when their slugs are, as the product pages' are).
fn qualify(products: &mut BTreeMap<String, Product>) {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, p) in products.iter() {
        by_name
            .entry(product_key(&p.base))
            .or_default()
            .push(id.clone());
    }
    for ids in by_name.values().filter(|ids| ids.len() > 1) {
        let vendors: Vec<String> = ids
            .iter()
            .filter_map(|id| products.get(id))
            .map(|p| p.vendor.clone())
            .collect();
        let distinct_vendors: HashSet<String> = vendors.iter().map(|v| slugify(v)).collect();
        let mut qualifiers: Vec<Option<String>> = if distinct_vendors.len() == ids.len() {
            vendors.into_iter().map(Some).collect()
        } else {
            id_qualifiers(ids)
        };
        if qualifiers.iter().collect::<HashSet<_>>().len() < ids.len() {
            qualifiers = ids.iter().cloned().map(Some).collect();
        }
        for (id, q) in ids.iter().zip(qualifiers) {
            if let Some(p) = products.get_mut(id) {
                if let Some(q) = &q {
                    p.name = format!("{} ({q})", p.base);
                }
                p.qualifier = q;
            }
        }
    }
    let mut taken: HashSet<String> = HashSet::new();
    for (id, p) in products.iter_mut() {
        if !taken.insert(slugify(&p.name)) {
            p.name = format!("{} [{id}]", p.name);
            taken.insert(slugify(&p.name));
        }
    }
}

/// For ids of products that share a name: the words of each id after the words all share,
/// as a reader would write them (`metakube-aws`, `metakube-openstack` → "AWS", "OpenStack").
fn id_qualifiers(ids: &[String]) -> Vec<Option<String>> {
    let words: Vec<Vec<&str>> = ids.iter().map(|id| id.split('-').collect()).collect();
    let first = words.first().cloned().unwrap_or_default();
    let shared = first
        .iter()
        .enumerate()
        .take_while(|(i, w)| words.iter().all(|ws| ws.get(*i) == Some(w)))
        .count();
    words
        .iter()
        .map(|ws| {
            let rest: Vec<&str> = ws
                .iter()
                .skip(shared)
                .map(|w| {
                    QUALIFIER_WORDS
                        .iter()
                        .find(|(from, _)| from == w)
                        .map_or(*w, |(_, to)| *to)
                })
                .collect();
            (!rest.is_empty()).then(|| rest.join(" "))
        })
        .collect()
}

/// Each result's title: the name it was submitted under, with its product's qualifier when that
/// name is the one the products share, and its folder when two results would still share one.
fn titles(
    subs: &[Submission],
    ids: &[String],
    products: &BTreeMap<String, Product>,
) -> Vec<String> {
    let name_of = |s: &Submission, id: &String| match products.get(id) {
        Some(Product {
            qualifier: Some(q),
            base,
            ..
        }) if product_key(&s.name) == product_key(base) => format!("{} ({q})", s.name),
        _ => s.name.clone(),
    };
    let titles: Vec<String> = subs
        .iter()
        .zip(ids)
        .map(|(s, id)| format!("{} on Kubernetes {}", name_of(s, id), s.found.version))
        .collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for t in &titles {
        *count.entry(slugify(t)).or_default() += 1;
    }
    titles
        .into_iter()
        .zip(subs.iter().zip(ids))
        .map(|(t, (s, id))| {
            if count.get(&slugify(&t)).copied().unwrap_or(0) > 1 {
                format!(
                    "{} ({}) on Kubernetes {}",
                    name_of(s, id),
                    s.found.folder,
                    s.found.version
                )
            } else {
                t
            }
        })
        .collect()
}

/// `aliases` to write, per submission (`None`: leave the entry's as they are). A product page
/// this import removes (its results now belong to a product of another name) becomes an alias
/// of the newest result that was listed on it; an alias of that kind whose page exists again is
/// dropped. `live` holds the slugs of the product pages after the import.
fn product_aliases(
    subs: &[Submission],
    existing: &[Option<Existing>],
    live: &HashSet<String>,
) -> Vec<Option<Vec<String>>> {
    // Old product page → the newest submission that was on it.
    let mut moved: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in existing.iter().enumerate() {
        let Some(old) = e
            .as_ref()
            .filter(|e| e.imported)
            .and_then(|e| e.product.as_deref())
            .map(slugify)
        else {
            continue;
        };
        if old.is_empty() || live.contains(&old) {
            continue;
        }
        let newer = |j: &usize| match (subs.get(i), subs.get(*j)) {
            (Some(a), Some(b)) => newest_first(a, b).is_lt(),
            _ => false,
        };
        let slot = moved.entry(old).or_insert(i);
        if newer(slot) {
            *slot = i;
        }
    }
    // An old page another result already stands for (an earlier import moved it) stays there.
    let held: HashSet<&String> = existing.iter().flatten().flat_map(|e| &e.aliases).collect();
    let mut add: HashMap<usize, Vec<String>> = HashMap::new();
    for (old, i) in moved {
        let alias = format!("{PRODUCT_PAGES}{old}/");
        if !held.contains(&alias) {
            add.entry(i).or_default().push(alias);
        }
    }
    existing
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let e = e.as_ref().filter(|e| e.imported)?;
            let revived = |a: &String| {
                a.strip_prefix(PRODUCT_PAGES)
                    .map(|rest| rest.trim_end_matches('/'))
                    .is_some_and(|slug| live.contains(slug))
            };
            let mut aliases: Vec<String> =
                e.aliases.iter().filter(|a| !revived(a)).cloned().collect();
            for a in add.remove(&i).unwrap_or_default() {
                if !aliases.contains(&a) {
                    aliases.push(a);
                }
            }
            (aliases != e.aliases).then_some(aliases)
        })
        .collect()
}

/// Product pages of entries this import does not write (hand-entered runs, frozen entries).
fn products_elsewhere(out: &Path, imported: &HashSet<String>) -> HashSet<String> {
    std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !imported.contains(&n.to_string_lossy().into_owned()))
        })
        .filter_map(|p| Existing::read(&p))
        .filter(|e| !e.imported)
        .filter_map(|e| e.product.map(|p| slugify(&p)))
        .collect()
}

/// What the import writes for one submission, beyond what the file says.
struct Placed<'a> {
    id: &'a str,
    product: &'a Product,
    title: &'a str,
    /// `Some(None)`: a tool of [`TOOLS`] the catalog lacks (the field is removed).
    tool: Option<Option<&'a str>>,
    aliases: Option<&'a [String]>,
}

fn record(s: &Submission, at: &Placed) -> Record {
    let f = &s.fields;
    let version = &s.found.version;
    let vendor = &at.product.vendor;
    let url = |key: &str| f.get(key).filter(|u| is_url(u)).and_then(text);
    let kind = f
        .get("type")
        .and_then(|t| normalize_type(t, f.get("description")))
        .unwrap_or("unknown");
    let description = f
        .get("description")
        .map(|d| crate::content::schema::without_markdown(&without_email_addresses(&one_line(d))))
        .filter(|d| !d.is_empty());
    let vendor_as_submitted = (!s.vendor.eq_ignore_ascii_case(vendor)).then(|| s.vendor.clone());
    let formerly = (!at.product.formerly.is_empty())
        .then(|| toml_edit::Value::Array(at.product.formerly.iter().collect()));
    let mut fields = vec![
        ("title".into(), text(at.title)),
        ("product".into(), text(&at.product.name)),
        ("product_id".into(), text(at.id)),
        ("formerly".into(), formerly),
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
    ];
    if let Some(tool) = at.tool {
        fields.push(("tool".into(), tool.and_then(text)));
    }
    if let Some(aliases) = at.aliases {
        let list = (!aliases.is_empty()).then(|| toml_edit::Value::Array(aliases.iter().collect()));
        fields.push(("aliases".into(), list));
    }
    let body = |name: &str| {
        format!(
            "{name} by {} passed the Kubernetes {version} conformance tests: a certified submission, imported from the cncf/k8s-conformance repository. The submission's folder holds its test log (`e2e.log`) and JUnit results.\n",
            s.vendor
        )
    };
    // Written before names lost their web addresses: the same stub with the name as submitted.
    let stale_bodies = s
        .fields
        .get("name")
        .map(one_line)
        .filter(|raw| *raw != s.name)
        .map(|raw| vec![body(&raw)])
        .unwrap_or_default();
    Record {
        slug: s.found.slug(),
        fields,
        body: body(&s.name),
        stale_bodies,
    }
}

/// Every submission folder of the checkout, by version; folders without a PRODUCT.yaml are
/// reported.
fn find_all(versions: &[(String, PathBuf)], report: &mut Report) -> Vec<Found> {
    let mut found = Vec::new();
    for (version, vdir) in versions {
        let (subs, empty) = submissions_in(version, vdir);
        report.groups.push((format!("v{version}"), subs.len()));
        for at in empty {
            report
                .problems
                .push((at, "no PRODUCT.yaml: skipped".into()));
        }
        found.extend(subs);
    }
    found
}

/// Reads every submission; only one with no readable name and vendor is skipped.
fn read_all(dir: &Path, found: Vec<Found>, report: &mut Report) -> Vec<Submission> {
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
        let name = fields
            .get("name")
            .map(|n| without_addresses(&one_line(n)))
            .filter(|n| !n.is_empty());
        let vendor = fields.get("vendor").map(one_line);
        let (Some(name), Some(vendor)) = (name, vendor) else {
            report.problems.push((
                at,
                "no readable `name` and `vendor`: skipped (fix the file upstream or enter the result by hand)".into(),
            ));
            continue;
        };
        if fields
            .get("type")
            .and_then(|t| normalize_type(t, None))
            .is_none()
        {
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
    subs
}

/// Imports the checkout at `dir` into `out` (the conformance collection's folder), without
/// linking results to tools.
pub fn import(dir: &Path, out: &Path, dry_run: bool) -> Result<Report, String> {
    import_with_tools(dir, out, None, dry_run)
}

/// Imports the checkout at `dir` into `out` (the conformance collection's folder); `tools` is
/// the tool catalog's folder, whose entries named in [`TOOLS`] the results link to.
pub fn import_with_tools(
    dir: &Path,
    out: &Path,
    tools: Option<&Path>,
    dry_run: bool,
) -> Result<Report, String> {
    let versions = version_dirs(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if versions.is_empty() {
        return Err(format!(
            "{} has no v1.NN folders; point it at a k8s-conformance checkout",
            dir.display()
        ));
    }
    let mut report = Report::default();
    let found = find_all(&versions, &mut report);
    let subs = read_all(dir, found, &mut report);
    let existing: Vec<Option<Existing>> = subs
        .iter()
        .map(|s| Existing::read(&out.join(format!("{}.md", s.found.slug()))))
        .collect();

    // One product, one id: the submission folder's, unless the entry moves it by hand.
    let ids: Vec<String> = subs
        .iter()
        .zip(&existing)
        .map(|(s, e)| {
            let folder = product_id(&s.found.folder);
            match e.as_ref().and_then(|e| e.product_override.clone()) {
                Some(set) if set != folder => {
                    report.warnings.push((
                        s.at.clone(),
                        format!("`product_override = \"{set}\"` in {}.md puts it in that product, not in its folder's `{folder}`", s.found.slug()),
                    ));
                    set
                }
                _ => folder,
            }
        })
        .collect();
    let products = name_products(&subs, &ids);
    let titles = titles(&subs, &ids, &products);
    let slugs: HashSet<String> = subs
        .iter()
        .map(|s| format!("{}.md", s.found.slug()))
        .collect();
    let mut live = products_elsewhere(out, &slugs);
    live.extend(products.values().map(|p| slugify(&p.name)));
    live.extend(
        existing
            .iter()
            .flatten()
            .filter(|e| !e.imported)
            .filter_map(|e| e.product.as_deref().map(slugify)),
    );
    let aliases = product_aliases(&subs, &existing, &live);

    let bar = super::progress(subs.len(), "conformance");
    let mut written: HashSet<String> = HashSet::new();
    for (i, (s, id)) in subs.iter().zip(&ids).enumerate() {
        bar.inc(1);
        let (Some(product), Some(title)) = (products.get(id), titles.get(i)) else {
            continue;
        };
        let tool = tools.and_then(|dir| {
            let (_, slug) = TOOLS.iter().find(|(from, _)| from == id)?;
            Some(dir.join(format!("{slug}.md")).is_file().then_some(*slug))
        });
        let placed = Placed {
            id,
            product,
            title,
            tool,
            aliases: aliases.get(i).and_then(Option::as_deref),
        };
        let rec = record(s, &placed);
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
            normalize_type("Certified Kubernetes - Installer", None),
            Some("installer")
        );
        assert_eq!(
            normalize_type(" \"hosted platform\" ", None),
            Some("hosted")
        );
        assert_eq!(normalize_type("distro", None), Some("distribution"));
        assert_eq!(
            normalize_type("container platform", None),
            Some("distribution")
        );
        assert_eq!(normalize_type("banana", None), None);
        // A bare "platform": the description says which (Amazon EKS, StarlingX).
        let eks = "Amazon EKS is a managed service that makes it easy to run Kubernetes on AWS";
        let starlingx = "StarlingX is a fully integrated open source edge platform";
        assert_eq!(normalize_type("platform", Some(eks)), Some("hosted"));
        assert_eq!(
            normalize_type("platform", Some(starlingx)),
            Some("distribution")
        );
        assert_eq!(
            normalize_type("distribution", Some(eks)),
            Some("distribution")
        );
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
    fn addresses_are_taken_out_of_names() {
        assert_eq!(
            without_addresses(
                "Gardener (https://github.com/gardener/gardener) shoot cluster deployed on AWS"
            ),
            "Gardener shoot cluster deployed on AWS"
        );
        assert_eq!(
            without_addresses("Acme Kubernetes, https://acme.example/k8s"),
            "Acme Kubernetes"
        );
        assert_eq!(without_addresses("Acme (AWS)"), "Acme (AWS)");
        assert_eq!(without_addresses("https://only.example"), "");
    }

    #[test]
    fn product_ids_follow_the_folder() {
        assert_eq!(product_id("konvoy"), "konvoy");
        assert_eq!(product_id("OVH"), product_id("ovh"));
        assert_eq!(product_id("elastx/elastx"), "elastx");
        assert_eq!(product_id("vendor/edge"), "vendor-edge");
        assert_eq!(product_id("ZStack Edge"), "zstack-edge");
        assert_eq!(product_id("pks"), "tkgi");
        assert_eq!(
            id_qualifiers(&["metakube-aws".into(), "metakube-openstack".into()]),
            [Some("AWS".to_string()), Some("OpenStack".to_string())]
        );
        assert_eq!(
            id_qualifiers(&["harmonycloud".into(), "harmonycloud-installer".into()]),
            [None, Some("installer".to_string())]
        );
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
