//! `opsbook import landscape FILE`: CNCF `landscape.yml` items → `tools` entries.
//!
//! Default categories (those that matter to cluster operators): "Provisioning", "Runtime",
//! "Orchestration & Management" and "Observability and Analysis". Owned fields: `title`,
//! `summary`, `summary_by` (`"importer"` when the item has no description and the summary is
//! ours, built from its name and subcategory), `category`, `homepage`, `repository`, `cncf`,
//! `landscape_category`, `landscape` (the item's page on landscape.cncf.io). Backup tools, which the landscape files under Cloud
//! Native Storage, are filed under `backup`.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value as Json;

use super::{Record, Report, apply, one_line, text};
use crate::content::schema::is_url;
use crate::personal_data::without_email_addresses;
use crate::slug::slugify;

pub const SOURCE: &str = "landscape";

/// `summary_by` of an entry whose summary the importer wrote (the item had no description).
pub const SUMMARY_BY: &str = "importer";

pub const DEFAULT_CATEGORIES: &[&str] = &[
    "Provisioning",
    "Runtime",
    "Orchestration & Management",
    "Observability and Analysis",
];

/// Tools the landscape files under Cloud Native Storage whose job is backup and restore.
pub const BACKUP_TOOLS: &[&str] = &[
    "Afi.ai",
    "CloudCasa by Catalogic Software",
    "Commvault",
    "K8up",
    "Kanister",
    "Kasten",
    "Stash by AppsCode",
    "Trilio",
    "Velero",
];

/// True for a backup tool: named in [`BACKUP_TOOLS`] or described as backup.
pub fn is_backup(name: &str, description: Option<&str>) -> bool {
    BACKUP_TOOLS
        .iter()
        .any(|b| b.eq_ignore_ascii_case(name.trim()))
        || description.is_some_and(|d| {
            let d = d.to_lowercase();
            d.contains("backup") || d.contains("back up")
        })
}

/// The item's page on the CNCF landscape: `?item=<category>--<subcategory>--<name>`, each
/// lowercased with runs of anything but letters and digits as one `-`.
pub fn landscape_url(category: &str, subcategory: &str, name: &str) -> String {
    let part = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    format!(
        "https://landscape.cncf.io/?item={}--{}--{}",
        part(category),
        part(subcategory),
        part(name)
    )
}

/// Our `category` for a landscape subcategory (and category, for the fallback).
pub fn category_for(category: &str, subcategory: &str) -> &'static str {
    match subcategory {
        "Container Runtime" => "runtime",
        "Cloud Native Network"
        | "Service Proxy"
        | "API Gateway"
        | "Service Mesh"
        | "Remote Procedure Call" => "networking",
        "Cloud Native Storage" => "storage",
        "Security & Compliance" | "Key Management" => "security",
        "Container Registry"
        | "Application Definition & Image Build"
        | "Continuous Integration & Delivery" => "delivery",
        "Automation & Configuration" => "provisioning",
        "Scheduling & Orchestration" | "Coordination & Service Discovery" => "orchestration",
        "Observability" | "Monitoring" | "Logging" | "Tracing" | "Chaos Engineering" => {
            "observability"
        }
        // Node autoscalers, rightsizing and cost tools (Karpenter, Kubecost): what they do is
        // change a cluster's capacity, not watch it.
        "Continuous Optimization" => "optimization",
        // Releasing features to users is part of delivering software.
        "Feature Flagging" => "delivery",
        _ => match category {
            "Provisioning" => "provisioning",
            "Runtime" => "runtime",
            "Orchestration & Management" => "orchestration",
            "Observability and Analysis" => "observability",
            _ => "delivery",
        },
    }
}

fn string(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One tool to write, or why an item cannot be imported.
fn record(item: &Json, category: &str, subcategory: &str) -> Result<Record, String> {
    let name = string(item, "name").ok_or("no `name`")?;
    // The landscape also files some CNCF members' membership records under a product
    // category ("Upbound (member)": a `joined` date, no repository). They are not tools.
    if item.get("joined").is_some() && string(item, "repo_url").is_none() {
        return Err("a CNCF membership listing (it has `joined`), not a tool; left out".into());
    }
    let homepage =
        string(item, "homepage_url").ok_or("no `homepage_url` (our schema requires a homepage)")?;
    if !is_url(&homepage) {
        return Err(format!("homepage_url `{homepage}` is not a valid URL"));
    }
    let description = string(item, "description");
    // Without a description the summary is ours, not the landscape's: `summary_by` says so,
    // and the theme and search then do not quote it as the landscape's words.
    let (summary, summary_by) = match description.clone() {
        // Shown as plain text: Markdown in it (`item:`) would show as written.
        Some(d) => (
            crate::content::schema::without_markdown(&without_email_addresses(&one_line(&d))),
            None,
        ),
        None => (
            format!("{name}, listed in the CNCF landscape under {subcategory}."),
            Some(SUMMARY_BY),
        ),
    };
    let repository = string(item, "repo_url").filter(|u| is_url(u));
    let cncf = string(item, "project")
        .filter(|p| ["graduated", "incubating", "sandbox", "archived"].contains(&p.as_str()));
    let slug = slugify(&name);
    if !crate::slug::is_safe(&slug) {
        return Err(format!("name `{name}` gives no usable slug"));
    }
    Ok(Record {
        slug,
        fields: vec![
            ("title".into(), text(&name)),
            ("summary".into(), text(&summary)),
            (super::GENERATED_SUMMARY.into(), summary_by.and_then(text)),
            (
                "category".into(),
                text(if is_backup(&name, description.as_deref()) {
                    "backup"
                } else {
                    category_for(category, subcategory)
                }),
            ),
            ("homepage".into(), text(&homepage)),
            ("repository".into(), repository.as_deref().and_then(text)),
            ("cncf".into(), cncf.as_deref().and_then(text)),
            (
                "landscape_category".into(),
                text(&format!("{category} / {subcategory}")),
            ),
            (
                "landscape".into(),
                text(&landscape_url(category, subcategory, &name)),
            ),
        ],
        // The page says that nobody has written about it yet (the theme's notice for an
        // imported entry): the body is left for whoever does.
        body: String::new(),
        stale_bodies: vec![
            format!(
                "{name} is listed in the CNCF landscape under {category} / {subcategory}. This entry was imported; add what you learned running it below."
            ),
            format!(
                "Nobody has written about {name} here yet: this entry was imported from the CNCF landscape, where it is listed under {category} / {subcategory}. If you run it, add what you learned."
            ),
        ],
    })
}

/// Imports `file` into `dir` (the tools collection's folder).
pub fn import(
    file: &Path,
    dir: &Path,
    categories: &[String],
    dry_run: bool,
) -> Result<Report, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let doc: Json = serde_saphyr::from_str(&text).map_err(|e| {
        format!(
            "{} is not valid YAML: {}",
            file.display(),
            e.to_string().lines().next().unwrap_or("")
        )
    })?;
    let wanted: Vec<String> = if categories.is_empty() {
        DEFAULT_CATEGORIES.iter().map(|s| s.to_string()).collect()
    } else {
        categories.to_vec()
    };
    let mut report = Report::default();
    let all = doc
        .get("landscape")
        .and_then(Json::as_array)
        .ok_or_else(|| format!("{}: no top-level `landscape` list", file.display()))?;
    let mut work: Vec<(Json, String, String)> = Vec::new();
    let mut found: HashSet<String> = HashSet::new();
    for cat in all {
        let Some(cname) = string(cat, "name") else {
            continue;
        };
        if !wanted.iter().any(|w| w.eq_ignore_ascii_case(&cname)) {
            continue;
        }
        found.insert(cname.to_lowercase());
        let mut count = 0;
        for sub in cat
            .get("subcategories")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let sname = string(sub, "name").unwrap_or_else(|| "Other".into());
            for item in sub
                .get("items")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                count += 1;
                work.push((item.clone(), cname.clone(), sname.clone()));
            }
        }
        report.groups.push((cname, count));
    }
    for w in &wanted {
        if !found.contains(&w.to_lowercase()) {
            report
                .problems
                .push((format!("category `{w}`"), "not found in the file".into()));
        }
    }
    let bar = super::progress(work.len(), "landscape");
    let mut seen: HashSet<String> = HashSet::new();
    for (item, cname, sname) in work {
        bar.inc(1);
        let at = format!(
            "{cname} / {sname} / {}",
            string(&item, "name").unwrap_or_else(|| "(no name)".into())
        );
        match record(&item, &cname, &sname) {
            Ok(rec) => {
                if !seen.insert(rec.slug.clone()) {
                    report.problems.push((
                        at,
                        format!(
                            "duplicate of an earlier item with slug `{}`; kept the first",
                            rec.slug
                        ),
                    ));
                    continue;
                }
                match apply(dir, &rec, SOURCE, dry_run) {
                    Ok(outcome) => report.count(outcome, &format!("{}.md", rec.slug)),
                    Err(e) => report.problems.push((at, format!("cannot write: {e}"))),
                }
            }
            Err(why) => report.problems.push((at, why)),
        }
    }
    bar.finish_and_clear();
    // How current the data is: the newest commit of the landscape checkout, when it is one.
    let checkout = file.parent().unwrap_or(Path::new("."));
    if let Some(month) = super::git_month(checkout)
        && let Err(e) = super::stamp_index(dir, "Tool catalog", &month, dry_run)
    {
        report.problems.push((
            "_index.md".into(),
            format!("cannot write `data_as_of`: {e}"),
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::category_for;

    #[test]
    fn autoscalers_and_feature_flags_are_not_observability() {
        let at = |sub: &str| category_for("Observability and Analysis", sub);
        assert_eq!(at("Continuous Optimization"), "optimization");
        assert_eq!(at("Feature Flagging"), "delivery");
        assert_eq!(at("Monitoring"), "observability");
        assert_eq!(at("Something New"), "observability");
    }
}
