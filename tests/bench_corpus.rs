//! The benchmark corpus generator (`bench/gen_corpus.py`): both of its shapes write sites that
//! opsbook builds, with the lists and term pages each shape promises, and the two shapes differ
//! only in their tags. The generator is the repository's own script, run with `python3`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Page;

const COLLECTIONS: [&str; 5] = ["docs", "blog", "guides", "reference", "notes"];
/// Enough pages for 52 entries a collection: more than the paginated shape's 50 a page.
const PAGES: usize = 260;

/// Runs the generator into a fresh temporary folder and returns it.
fn generate(shape: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(PAGES.to_string())
        .arg(dir.path())
        .args(["--shape", shape])
        .status()
        .expect("python3 runs (the generator needs it)");
    assert!(status.success(), "gen_corpus.py --shape {shape}: {status}");
    dir
}

/// The entry files of a collection in the generated opsbook site.
fn entries(site: &Path, collection: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content").join(collection))
        .expect("collection folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .collect();
    files.sort();
    files
}

/// How many pages name each tag, read from the generated front matter.
fn tag_counts(site: &Path) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for collection in COLLECTIONS {
        for file in entries(site, collection) {
            let text = std::fs::read_to_string(&file).expect("read entry");
            let line = text
                .lines()
                .find(|l| l.starts_with("tags = ["))
                .unwrap_or_else(|| panic!("{}: no tags line", file.display()));
            for tag in line.split('"').skip(1).step_by(2) {
                *counts.entry(tag.to_string()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// Every term page of the `tags` taxonomy shows exactly the pages that name the term, all on
/// one page; returns the generated counts for shape-specific checks.
fn assert_term_pages(site: &Path, out: &Path) -> BTreeMap<String, usize> {
    let counts = tag_counts(site);
    let mut built: Vec<String> = std::fs::read_dir(out.join("tags"))
        .expect("tags folder")
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    built.sort();
    assert_eq!(
        built,
        counts.keys().cloned().collect::<Vec<_>>(),
        "one term page per tag"
    );
    for (tag, &count) in &counts {
        let page = Page::load(out, &format!("tags/{tag}/index.html"));
        assert_eq!(page.all(".card").len(), count, "entries on /tags/{tag}/");
        assert!(page.all("nav.pagination").is_empty(), "/tags/{tag}/ paged");
    }
    counts
}

#[test]
fn unpaginated_shape_lists_every_entry_on_one_page_and_50_big_tags() {
    let dir = generate("unpaginated");
    let site = dir.path().join("opsbook");
    let out = common::build_site(&site, false, None);
    for collection in COLLECTIONS {
        let expected = entries(&site, collection).len();
        assert_eq!(expected, PAGES / COLLECTIONS.len());
        let list = Page::load(&out, &format!("{collection}/index.html"));
        assert_eq!(
            list.all(".card").len(),
            expected,
            "/{collection}/ shows all"
        );
        assert!(
            list.all("nav.pagination").is_empty(),
            "/{collection}/ paged"
        );
        assert!(!out.join(collection).join("page").exists());
    }
    let counts = assert_term_pages(&site, &out);
    assert_eq!(counts.len(), 50, "the unpaginated shape draws from 50 tags");
    assert!(counts.keys().all(|t| t.as_str() < "tag050"), "{counts:?}");
    // 3 tags a page (fewer when two draws meet): ~3 × PAGES / 50 each.
    let total: usize = counts.values().sum();
    assert!(total > PAGES * 3 * 9 / 10 && total <= PAGES * 3, "{total}");
}

#[test]
fn paginated_shape_pages_lists_by_50_and_spreads_200_tags() {
    let dir = generate("paginated");
    let site = dir.path().join("opsbook");
    let out = common::build_site(&site, false, None);
    for collection in COLLECTIONS {
        let list = Page::load(&out, &format!("{collection}/index.html"));
        assert_eq!(list.all(".card").len(), 50, "/{collection}/ page 1");
        assert_eq!(list.all("nav.pagination").len(), 1);
        let second = Page::load(&out, &format!("{collection}/page/2/index.html"));
        assert_eq!(
            second.all(".card").len(),
            PAGES / COLLECTIONS.len() - 50,
            "/{collection}/page/2/"
        );
        assert!(!out.join(collection).join("page/3").exists());
    }
    let counts = assert_term_pages(&site, &out);
    assert!(counts.len() > 50, "200 tags to draw from: {}", counts.len());
}

#[test]
fn both_shapes_write_the_same_pages_but_for_their_tags() {
    let (paginated, unpaginated) = (generate("paginated"), generate("unpaginated"));
    for collection in COLLECTIONS {
        let a = entries(&paginated.path().join("opsbook"), collection);
        let b = entries(&unpaginated.path().join("opsbook"), collection);
        assert_eq!(
            a.iter().map(|p| p.file_name()).collect::<Vec<_>>(),
            b.iter().map(|p| p.file_name()).collect::<Vec<_>>()
        );
        for (a, b) in a.iter().zip(&b) {
            let (a, b) = (
                std::fs::read_to_string(a).expect("read"),
                std::fs::read_to_string(b).expect("read"),
            );
            let differing: Vec<(&str, &str)> =
                a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
            assert_eq!(a.lines().count(), b.lines().count());
            assert!(
                differing.iter().all(|(x, _)| x.starts_with("tags = [")),
                "{differing:?}"
            );
        }
    }
}
