//! Writing new files for people: `opsbook init DIR` (a new site that builds and checks clean)
//! and `opsbook new COLLECTION SLUG` (an entry skeleton generated from the schema, with
//! `TODO:` placeholders that `check` reports until they are replaced, and a body taken from
//! `templates/new/<collection>.md` of the site or its theme).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::{Config, FieldSpec, FieldType};
use crate::content::schema::{PLACEHOLDER, normalized_body};
use crate::diagnostics::closest;
use crate::slug::slugify;
use crate::theme::Theme;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0}")]
    Refused(String),
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

const INIT_BOOK: &str = r#"[book]
title = "My operations handbook"
description = "Runbooks and notes from the people who run our clusters."
base_url = "https://example.org/"
language = "en"

[build]
theme = "clusterops"

[taxonomies.providers]
title = "Providers"

[collections.runbooks]
title = "Runbooks"
description = "Step-by-step procedures."

[collections.runbooks.fields]
summary = { type = "string", required = true, help = "one sentence: what this runbook is for" }
severity = { type = "enum", values = ["low", "medium", "high"], required = true, index = true }
providers = { type = "list", of = "string", taxonomy = "providers" }
"#;

const INIT_HOME: &str = r#"+++
title = "My operations handbook"
+++
Welcome. Every runbook lives in `content/runbooks/`; start with
[restarting a node](runbooks/restart-a-node.md).
"#;

const INIT_ENTRY: &str = r#"+++
title = "Restart a node"
summary = "Drain, reboot and uncordon one worker node without disturbing workloads."
severity = "low"
providers = ["bare-metal"]
date = 2026-01-15
+++
Drain the node first so its pods move elsewhere.

## Steps

```bash
kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data
sudo systemctl reboot
kubectl uncordon node-1
```

## Check

Confirm the node is `Ready` with `kubectl get nodes`.
"#;

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), ScaffoldError> {
    let io = |p: &Path, e| ScaffoldError::Io(p.to_path_buf(), e);
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .next()
            .is_none();
        if !empty {
            return Err(ScaffoldError::Refused(format!(
                "{} exists and is not empty; pick a new folder",
                dir.display()
            )));
        }
    }
    let write = |rel: &str, text: &str| -> Result<(), ScaffoldError> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(&path, e))
    };
    write("book.toml", INIT_BOOK)?;
    write("content/_index.md", INIT_HOME)?;
    write(
        "content/runbooks/_index.md",
        "+++\ntitle = \"Runbooks\"\n+++\nProcedures we trust, newest first.\n",
    )?;
    write("content/runbooks/restart-a-node.md", INIT_ENTRY)?;
    write(".gitignore", "public/\n")?;
    let theme_dir = dir.join("themes").join(crate::theme::DEFAULT_THEME);
    std::fs::create_dir_all(&theme_dir).map_err(|e| io(&theme_dir, e))?;
    crate::theme::write_builtin(&theme_dir).map_err(|e| io(&theme_dir, e))?;
    Ok(())
}

/// Why `slug` cannot name a new entry of `collection`, with the slug to use instead; `None`
/// when it can. A slug must be non-empty, one name (not a path), not start with a dot (the
/// file would be hidden: neither checked nor published) and be its own slugified form.
fn slug_refusal(collection: &str, written: &str, title: Option<&str>) -> Option<String> {
    let slug = without_md(written);
    // What to suggest when nothing usable is left: the title's slug, or an example.
    let fallback = || {
        let example = title
            .map(slugify)
            .filter(|s| crate::slug::is_safe(s) && !s.starts_with('.'))
            .unwrap_or_else(|| "my-entry".to_string());
        format!("give the entry a name, e.g. `opsbook new {collection} {example}`")
    };
    // The name to suggest for what was written: its slug, without leading dots or dashes.
    let usable = |s: &str| {
        let s = slugify(s);
        let s = s.trim_start_matches(['.', '-']).to_string();
        crate::slug::is_safe(&s).then_some(s)
    };
    if slug.trim().is_empty() {
        return Some(fallback());
    }
    if slug.contains(['/', '\\']) {
        let last = slug.rsplit(['/', '\\']).next().unwrap_or("");
        let last = without_md(last);
        return Some(match usable(last) {
            Some(s) => format!("`{written}` is a path; write a slug, not a path: `{s}`"),
            None => format!("`{written}` is a path, not a slug: {}", fallback()),
        });
    }
    if slug.starts_with('.') {
        let why = format!(
            "`{written}` starts with a dot, so its file would be hidden: neither checked nor published"
        );
        return Some(match usable(slug) {
            Some(s) => format!("{why}; try `{s}`"),
            None => format!("{why}; {}", fallback()),
        });
    }
    // Most file systems take names of at most 255 bytes; a URL that long helps no reader.
    if slug.len() > MAX_SLUG_BYTES {
        let cut: String = slugify(slug).chars().take(60).collect();
        return Some(format!(
            "`{}…` is {} characters long; give a slug of a few words, e.g. `{}`",
            slug.chars().take(40).collect::<String>(),
            slug.chars().count(),
            cut.trim_end_matches('-')
        ));
    }
    if slugify(slug) != slug || !crate::slug::is_safe(slug) {
        return Some(match usable(slug) {
            Some(s) => format!("`{written}` is not a valid slug; try `{s}`"),
            None => format!("`{written}` is not a valid slug: {}", fallback()),
        });
    }
    // `con.md` cannot be checked out on Windows (CON, PRN, AUX, NUL, COM1–9, LPT1–9).
    let reserved = matches!(slug, "con" | "prn" | "aux" | "nul")
        || ((slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.len() == 4
            && slug.ends_with(|c: char| c.is_ascii_digit() && c != '0'));
    if reserved {
        return Some(format!(
            "`{written}` is a reserved file name on Windows, where the repository could not be checked out; try `{collection}-{written}`"
        ));
    }
    None
}

/// `name` without a `.md` ending in any case (`my-note.MD` is `my-note`).
fn without_md(name: &str) -> &str {
    let cut = name.len().saturating_sub(3);
    match (name.get(..cut), name.get(cut..)) {
        (Some(stem), Some(end)) if end.eq_ignore_ascii_case(".md") => stem,
        _ => name,
    }
}

/// The longest slug `new` writes, in bytes (the file name adds `.md`).
const MAX_SLUG_BYTES: usize = 120;

/// Writes `content/<dir>/<slug>.md` for `collection`; returns its path.
pub fn new_entry(
    root: &Path,
    config: &Config,
    collection: &str,
    slug: &str,
    title: Option<&str>,
    today: &str,
) -> Result<PathBuf, ScaffoldError> {
    let Some(coll) = config.collection(collection) else {
        let names: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        let hint = closest(collection, names.iter().copied()).map_or_else(
            || format!("collections: {}", names.join(", ")),
            |c| format!("did you mean `{c}`?"),
        );
        return Err(ScaffoldError::Refused(format!(
            "no collection `{collection}` in book.toml ({hint})"
        )));
    };
    if let Some(why) = slug_refusal(collection, slug, title) {
        return Err(ScaffoldError::Refused(why));
    }
    // An empty title would be written as `title = ""`, which `check` refuses.
    if title.is_some_and(|t| t.trim().is_empty()) {
        return Err(ScaffoldError::Refused(
            "the title is empty: give one, e.g. `--title \"Defragmenting etcd\"`, or leave out `--title` and replace the placeholder later".into(),
        ));
    }
    // `new notes foo.md` (or `foo.MD`) means the slug `foo`, not a file `foo.md.md`.
    let slug = without_md(slug);
    let dir = root
        .join(&config.build.content)
        .join(coll.dir.as_deref().unwrap_or(collection));
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(ScaffoldError::Refused(format!(
            "{} already exists; pick another slug or edit that file",
            path.display()
        )));
    }
    let theme = crate::theme::load(root, config.build.theme.as_deref())
        .map_err(|e| ScaffoldError::Refused(e.to_string()))?;
    let text = skeleton(
        config,
        collection,
        title,
        today,
        body_template(&theme, collection),
    );
    std::fs::create_dir_all(&dir).map_err(|e| ScaffoldError::Io(dir.clone(), e))?;
    std::fs::write(&path, text).map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    Ok(path)
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The body `new` writes when neither the site nor its theme has `templates/new/<name>.md`.
pub const DEFAULT_BODY: &str =
    "Write the entry here: what you did, what happened, what you would do differently.\n";

/// The body `new` starts an entry of `collection` with.
pub fn body_template<'a>(theme: &'a Theme, collection: &str) -> &'a str {
    theme
        .new_bodies
        .get(collection)
        .map_or(DEFAULT_BODY, String::as_str)
}

/// What `check` knows of a collection's `new` body, to recognize an entry whose body, or one
/// of whose prompts, was never written.
#[derive(Debug, Clone, Default)]
pub struct Skeleton {
    /// The whole body, whitespace-normalized.
    pub words: String,
    /// The first line of each prompt paragraph (not a heading, list or code), as written.
    pub prompts: Vec<String>,
}

/// Every declared collection's `new` body as a [`Skeleton`].
pub fn skeleton_bodies(config: &Config, theme: &Theme) -> HashMap<String, Skeleton> {
    config
        .collections
        .keys()
        .map(|name| {
            let body = body_template(theme, name);
            let prompts = body
                .split("\n\n")
                .filter_map(|para| para.lines().next())
                .map(str::trim)
                // A line a contributor could keep on purpose is no prompt to find.
                .filter(|line| line.len() >= 24)
                .filter(|line| !line.starts_with(['#', '-', '*', '`', '|', '<', '>', '!', '[']))
                .map(str::to_string)
                .collect();
            let skeleton = Skeleton {
                words: normalized_body(body),
                prompts,
            };
            (name.clone(), skeleton)
        })
        .collect()
}

/// The front matter and body `new` writes.
pub fn skeleton(
    config: &Config,
    collection: &str,
    title: Option<&str>,
    today: &str,
    body: &str,
) -> String {
    let coll = config.collection(collection);
    let mut s = String::from("+++\n");
    let _ = writeln!(
        s,
        "title = {}",
        toml_str(title.unwrap_or(&format!("{PLACEHOLDER} a short, specific title")))
    );
    let dated = coll.is_some_and(|c| matches!(c.sort_by.as_deref(), None | Some("date")));
    if dated {
        let _ = writeln!(s, "date = {today}");
    }
    let fields = coll.and_then(|c| c.fields.as_ref());
    for (name, spec) in fields.into_iter().flatten() {
        let spec = spec.get_ref();
        // A new entry is written by hand, so it sets none of the fields that excuse one.
        if spec.required_in(|_| false) {
            let value = placeholder(name, spec, today);
            if let Some(c) = comment(spec) {
                let _ = writeln!(s, "# {c}");
            }
            let _ = writeln!(s, "{name} = {value}");
        }
    }
    let optional: Vec<_> = fields
        .into_iter()
        .flatten()
        .filter(|(_, f)| !f.get_ref().required_in(|_| false))
        .collect();
    if !optional.is_empty() {
        s.push_str("# Optional fields (uncomment to use):\n");
        for (name, spec) in optional {
            let spec = spec.get_ref();
            let value = example(name, spec, today);
            let note = comment(spec)
                .map(|c| format!("   # {c}"))
                .unwrap_or_default();
            let _ = writeln!(s, "# {name} = {value}{note}");
        }
    }
    s.push_str("+++\n\n");
    s.push_str(body);
    if !body.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// The value an optional field is shown with, commented out: numbers and booleans as what
/// they are (so uncommenting gives a value of the right type), everything else as a placeholder.
fn example(name: &str, spec: &FieldSpec, today: &str) -> String {
    let number = |spec: &FieldSpec| -> Option<String> {
        // The smallest allowed value, or 0 when that is allowed.
        let low = spec
            .min
            .unwrap_or_else(|| spec.max.map_or(0.0, |max| max.min(0.0)));
        match spec.item_type() {
            FieldType::Integer => Some(format!("{}", low.ceil() as i64)),
            FieldType::Number => Some(format!("{low:?}")),
            _ => None,
        }
    };
    match (spec.kind, number(spec)) {
        (FieldType::List, Some(n)) => format!("[{n}]"),
        (_, Some(n)) => n,
        _ => placeholder(name, spec, today),
    }
}

/// The comment beside a field's line: its allowed values and its help. It stays when the
/// placeholder is replaced, so the placeholder itself only names the field.
fn comment(spec: &FieldSpec) -> Option<String> {
    let mut parts = Vec::new();
    if spec.item_type() == FieldType::Enum {
        parts.push(format!("one of: {}", spec.values.join(", ")));
    }
    if let Some(h) = &spec.help {
        parts.push(h.clone());
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("; "))
    }
}

/// A field's placeholder value: what it is (the field's name, a slug, an address); its help and
/// allowed values are in the comment beside it ([`comment`]).
fn placeholder(name: &str, spec: &FieldSpec, today: &str) -> String {
    let hint = name.replace('_', " ");
    let one = |kind: FieldType| -> String {
        match kind {
            FieldType::Date => today.to_string(),
            FieldType::Boolean => "false".into(),
            FieldType::Ref => toml_str(&format!(
                "{PLACEHOLDER} slug of an entry in {}",
                spec.to.as_deref().unwrap_or("?")
            )),
            FieldType::Url => toml_str(&format!("{PLACEHOLDER} https://…")),
            _ => toml_str(&format!("{PLACEHOLDER} {hint}")),
        }
    };
    match spec.kind {
        FieldType::List => format!("[{}]", one(spec.item_type())),
        kind => one(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each field's help and allowed values are said once, in a comment that stays when the
    /// placeholder is replaced.
    #[test]
    fn a_skeleton_says_each_help_once() {
        let config = Config::parse(
            r#"
[collections.results.fields]
product = { type = "string", required = true, help = "the product's name" }
kind = { type = "enum", values = ["a", "b"], required = true, help = "b: only when unsure" }
passed = { type = "integer", min = 0, help = "tests passed" }
origin = { type = "string", help = "written by the importer" }
"#,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let s = skeleton(&config, "results", None, "2026-12-01", "Body.\n");
        for help in [
            "the product's name",
            "b: only when unsure",
            "tests passed",
            "written by the importer",
        ] {
            assert_eq!(s.matches(help).count(), 1, "{help}:\n{s}");
        }
        assert!(
            s.contains("# one of: a, b; b: only when unsure\nkind = \"TODO: kind\""),
            "{s}"
        );
        assert!(
            s.contains("# the product's name\nproduct = \"TODO: product\""),
            "{s}"
        );
        assert!(s.contains("# passed = 0   # tests passed"), "{s}");
        assert!(
            s.contains("# origin = \"TODO: origin\"   # written by the importer"),
            "{s}"
        );
        assert_eq!(
            s.matches("a, b").count() + s.matches("a | b").count(),
            1,
            "{s}"
        );
    }
}
