//! Every template variable docs/templates.md documents exists on every page that gets it: a
//! probe theme reads each one (Tera 2 is strict, so a missing key fails the build) on every
//! kind of page a site has.

mod common;

use std::path::Path;

/// The backticked names in the first column of the table after `heading` (`a`, `b.c`).
fn table_keys(doc: &str, heading: &str) -> Vec<String> {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/templates.md has no `{heading}`"));
    let mut keys = Vec::new();
    let mut in_table = false;
    for line in doc[start..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        if !line.starts_with('|') {
            if in_table {
                break;
            }
            continue;
        }
        in_table = true;
        let first = line.split('|').nth(1).unwrap_or("");
        for part in first.split('`').skip(1).step_by(2) {
            if part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                keys.push(part.to_string());
            }
        }
    }
    keys.retain(|k| k != "variable" && k != "key");
    keys
}

/// The keys of a page summary, from the paragraph that lists them (parenthesized remarks,
/// which name values rather than keys, left out).
fn summary_keys(doc: &str) -> Vec<String> {
    let start = doc
        .find("A **page summary**")
        .expect("the page summary paragraph");
    let start = doc[start..].find("has:").expect("its list of keys") + start;
    let end = doc[start..].find("The full `page` adds").expect("its end") + start;
    let mut text = String::new();
    let mut depth = 0;
    for c in doc[start..end].chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// `MISSING <name>` in the output when `name` is not defined.
fn check(name: &str) -> String {
    format!("{{% if {name} is undefined %}}MISSING {name}\n{{% endif %}}")
}

/// A template that checks every key: `scope.key` for each, guarded by `guard`.
fn probe(keys: &[String], scope: &str, guard: &str) -> String {
    let reads: String = keys.iter().map(|k| check(&format!("{scope}{k}"))).collect();
    format!("{{% if {guard} %}}{reads}{{% endif %}}\n")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn every_documented_variable_exists() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .expect("docs/templates.md");
    let globals = table_keys(&doc, "## Variables every template receives");
    let summary = summary_keys(&doc);
    let full = table_keys(&doc, "## `page` (");
    let listing = table_keys(&doc, "## `listing` (");
    for (what, keys, at_least) in [
        ("globals", &globals, 10),
        ("summary", &summary, 15),
        ("page", &full, 10),
        ("listing", &listing, 12),
    ] {
        assert!(keys.len() >= at_least, "{what}: {keys:?}");
    }
    assert!(summary.contains(&"stale".to_string()) && !summary.contains(&"entry".to_string()));

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "book.toml",
        "[book]\ntitle = \"Probe\"\nbase_url = \"https://probe.example.org/docs/\"\nrepository = \"https://example.org/repo\"\n\n[build]\ntheme = \"probe\"\n\n[taxonomies.labels]\ntitle = \"Labels\"\n\n[collections.things]\npaginate_by = 1\n[collections.things.fields]\nsize = { type = \"enum\", values = [\"big\", \"small\"], index = true }\nlabels = { type = \"list\", of = \"string\", taxonomy = \"labels\" }\nother = { type = \"ref\", to = \"things\" }\n",
    );
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHello.\n",
    );
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Who\n\nUs.\n",
    );
    write(
        root,
        "content/things/_index.md",
        "+++\ntitle = \"Things\"\n+++\nAll things.\n",
    );
    write(
        root,
        "content/things/a.md",
        "+++\ntitle = \"A\"\ndate = 2026-01-01\nsize = \"big\"\nlabels = [\"x\"]\nother = \"b\"\n+++\nSee [B](box/b.md).\n",
    );
    write(
        root,
        "content/things/box/b.md",
        "+++\ntitle = \"B\"\nsize = \"small\"\n+++\nB.\n",
    );
    let globals_probe = globals
        .iter()
        .filter(|k| k.contains('.') || !["page", "listing"].contains(&k.as_str()))
        .map(|k| check(k))
        .collect::<String>();
    let page_probe = probe(&summary, "page.", "page")
        + &probe(&full, "page.", "page")
        + "{% if page %}{% for b in page.backlinks %}{% for p in b.pages %}{% if p.title is undefined %}MISSING backlink title{% endif %}{% endfor %}{% endfor %}{% endif %}";
    let listing_probe = probe(&listing, "listing.", "listing")
        + "{% if listing %}{% for p in listing.pages %}"
        + &summary
            .iter()
            .map(|k| check(&format!("p.{k}")))
            .collect::<String>()
        + "{% endfor %}{% endif %}";
    let template = format!("{globals_probe}{page_probe}{listing_probe}ok\n");
    for name in [
        "page.html",
        "list.html",
        "index.html",
        "404.html",
        "terms.html",
        "term.html",
        "search.html",
    ] {
        write(root, &format!("themes/probe/templates/{name}"), &template);
    }
    let out = common::build_site(root, false, None);
    // Every kind of page was rendered through a probe.
    for file in [
        "index.html",
        "404.html",
        "about/index.html",
        "things/index.html",
        "things/page/2/index.html",
        "things/box/index.html",
        "things/a/index.html",
        "things/size/index.html",
        "things/size/big/index.html",
        "labels/index.html",
        "labels/x/index.html",
        "search/index.html",
    ] {
        let text =
            std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(text.trim(), "ok", "{file}");
    }
}
