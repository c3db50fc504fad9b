//! Loading: walks `content/`, reads every Markdown file in parallel and lists the other files
//! (images, CSV) that are copied beside their pages. Owns what counts as content: hidden files
//! are skipped (a hidden `.md` file with a warning), symlinks may not leave `content/`, files must be UTF-8, and a top-level folder
//! that is not a declared collection is either a schema-less collection or, when it is a
//! likely misspelling (or `[build] strict_collections` is on), an error.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// One Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, `/` separators (what diagnostics name).
    pub file: String,
    /// Path relative to the content folder, `/` separators.
    pub rel: String,
    /// The text, byte-order mark removed.
    pub text: String,
    /// When the file last changed (seconds since the epoch), for "Last updated": its newest
    /// commit in a git checkout, else its modification time.
    pub modified: Option<i64>,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    /// Non-Markdown files: (path relative to the content folder, absolute path).
    pub assets: Vec<(String, PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Largest Markdown file read; anything bigger is refused with a diagnostic.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads the content folder `dir`; `root` is the site root (for the names in diagnostics).
/// The one `git log` pass for "Last updated" runs beside the walk.
pub fn load(root: &Path, dir: &Path) -> Loaded {
    if !dir.is_dir() {
        return Loaded::default();
    }
    let (mut loaded, commits) = rayon::join(
        || read_tree(root, dir),
        || super::history::commit_times(dir),
    );
    for s in &mut loaded.sources {
        if let Some(t) = commits.get(&s.rel) {
            s.modified = Some(*t);
        }
    }
    loaded
}

fn read_tree(root: &Path, dir: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let canonical_dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut markdown = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Hidden folders (`.git`, an editor's settings) are never walked; hidden files are
        // looked at below, to name a page hidden by mistake.
        .filter_entry(|e| e.depth() == 0 || !(is_hidden(e.file_name()) && e.file_type().is_dir()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let file = e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| display(root, p));
                let io = e.io_error();
                // ELOOP: links that point at each other (`a → b → a`), which the walk cannot
                // tell from a loop back to a folder above.
                let link_loop = io.is_some_and(is_link_loop);
                let denied = io.is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied);
                let (message, help) = if e.loop_ancestor().is_some() {
                    (
                        "a symbolic link loops back to one of its own folders".to_string(),
                        "remove the link",
                    )
                } else if link_loop {
                    (
                        "symbolic links here point at each other in a loop, so no file is reached"
                            .to_string(),
                        "remove the links, or point them at a real file or folder",
                    )
                } else {
                    (
                        format!(
                            "cannot read: {}",
                            io.map_or_else(|| e.to_string(), |io| io.to_string())
                        ),
                        if denied {
                            "let the user running opsbook read it (check its permissions)"
                        } else {
                            "remove the link or fix the file's permissions"
                        },
                    )
                };
                loaded
                    .diagnostics
                    .push(Diagnostic::file(file, "io", message).help(help));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if is_hidden(entry.file_name()) {
            if let Some(visible) = hidden_page(&entry.file_name().to_string_lossy()) {
                loaded
                    .diagnostics
                    .push(hidden_page_warning(root, path, &visible));
            }
            continue;
        }
        if entry.path_is_symlink() {
            let inside = path
                .canonicalize()
                .map(|t| t.starts_with(&canonical_dir))
                .unwrap_or(false);
            if !inside {
                loaded.diagnostics.push(
                    Diagnostic::file(
                        display(root, path),
                        "symlink",
                        "this symbolic link points outside the content folder",
                    )
                    .help("copy the file into content/ instead of linking to it"),
                );
                continue;
            }
        }
        let Ok(rel_path) = path.strip_prefix(dir) else {
            continue;
        };
        let rel = slash_path(rel_path);
        match ContentFile::of(&rel) {
            ContentFile::Markdown => markdown.push((rel, path.to_path_buf())),
            // Copied as it is, it would publish its front matter as a file of the site.
            ContentFile::Misnamed(renamed) => loaded.diagnostics.push(
                Diagnostic::file(
                    display(root, path),
                    "file-name",
                    "this Markdown file is not read as a page: only files ending in `.md` are",
                )
                .help(format!("rename it to content/{renamed}")),
            ),
            ContentFile::Leftover => {}
            ContentFile::Asset => loaded.assets.push((rel, path.to_path_buf())),
        }
    }
    let results: Vec<Result<Source, Diagnostic>> = markdown
        .par_iter()
        .map(|(rel, path)| read_source(root, rel, path))
        .collect();
    for r in results {
        match r {
            Ok(s) => loaded.sources.push(s),
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// The name a hidden Markdown file (`.kubelet-certs.md`) would be a page under
/// (`kubelet-certs.md`); `None` for the hidden files that are no page by mistake: editors'
/// swap and lock files (`.x.md.swp`, `.#x.md`, `.~lock.x.md#`), macOS's `._x.md` and
/// `.DS_Store`.
fn hidden_page(name: &str) -> Option<String> {
    let visible = name.strip_prefix('.')?;
    if visible.starts_with(['.', '#', '_', '~']) {
        return None;
    }
    let stem = visible.strip_suffix(".md")?;
    (!stem.is_empty()).then(|| visible.to_string())
}

/// The warning for a hidden Markdown file, which the walk skips.
fn hidden_page_warning(root: &Path, path: &Path, visible: &str) -> Diagnostic {
    let help = if path.with_file_name(visible).exists() {
        format!("{visible} already exists beside it: delete this copy, or rename it to a new name")
    } else {
        format!("rename it to {visible}, or delete it")
    };
    Diagnostic::file(
        display(root, path),
        "hidden-file",
        "this file is hidden (its name starts with a dot), so it is neither checked nor published",
    )
    .help(help)
    .warning()
}

/// What a file under content/ is to the site (hidden files are skipped before this).
#[derive(Debug, PartialEq, Eq)]
pub enum ContentFile {
    /// A page (`.md`).
    Markdown,
    /// Markdown not named `.md` (`x.MD`, `x.markdown`): an error, with the name it should have.
    Misnamed(String),
    /// An editor's backup or a merge leftover: never published.
    Leftover,
    /// A file published as it is (an image, a data file).
    Asset,
}

impl ContentFile {
    pub fn of(rel: &str) -> ContentFile {
        if rel.ends_with(".md") {
            ContentFile::Markdown
        } else if let Some(renamed) = misnamed_markdown(rel) {
            ContentFile::Misnamed(renamed)
        } else if editor_leftover(rel) {
            ContentFile::Leftover
        } else {
            ContentFile::Asset
        }
    }
}

/// The name a Markdown file not ending in `.md` should have (`notes/Upper.MD`,
/// `notes/long.markdown` → `notes/Upper.md`, `notes/long.md`); `None` for any other file.
fn misnamed_markdown(rel: &str) -> Option<String> {
    let (stem, ext) = rel.rsplit_once('.')?;
    // `notes/x.md.txt`: an editor that hid the extension added its own.
    if ext.eq_ignore_ascii_case("txt") {
        if stem.ends_with(".md") && !stem.ends_with("/.md") {
            return Some(stem.to_string());
        }
        return misnamed_markdown(stem);
    }
    let markdown = ["md", "markdown", "mdown", "mkd", "mkdn"]
        .iter()
        .any(|m| ext.eq_ignore_ascii_case(m));
    (markdown && !stem.is_empty() && !stem.ends_with('/')).then(|| format!("{stem}.md"))
}

/// An editor's backup, autosave or merge leftover (`x.md~`, `#x.md#`, `x.md.orig`, `x.md.rej`),
/// never meant to be published. Hidden files (`.x.swp`) are skipped before this.
fn editor_leftover(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".orig")
        || name.ends_with(".rej")
}

/// Most edits between an undeclared folder and a collection's folder that still count as a
/// misspelling of it (`note/` for `notes/`).
pub const FOLDER_TYPO_EDITS: usize = 2;

/// Checks the top-level folders holding Markdown files against the declared collections: one
/// error per file in a folder that is within [`FOLDER_TYPO_EDITS`] edits of a collection's
/// folder, or in any undeclared folder when `[build] strict_collections` is on.
pub fn check_folders(sources: &[Source], config: &Config) -> Vec<Diagnostic> {
    let dirs: Vec<(&str, &str)> = config
        .collections
        .iter()
        .map(|(name, c)| (name.as_str(), c.dir.as_deref().unwrap_or(name.as_str())))
        .collect();
    let mut diags = Vec::new();
    for s in sources {
        let Some((folder, _)) = s.rel.split_once('/') else {
            continue;
        };
        if config.collection_for_dir(folder).is_some() {
            continue;
        }
        let nearest = dirs
            .iter()
            .map(|(_, d)| (strsim::levenshtein(folder, d), *d))
            .filter(|(edits, _)| *edits <= FOLDER_TYPO_EDITS)
            .min();
        let message = format!(
            "`{folder}/` is not a collection folder, so this file would be published without a schema check"
        );
        let diag = match nearest {
            Some((_, dir)) => {
                Diagnostic::file(&s.file, "unknown-collection", message).help(format!(
                    "did you mean `{dir}/`? move the file to {}/{dir}/",
                    config.build.content
                ))
            }
            None if config.build.strict_collections => {
                let known: Vec<String> = dirs.iter().map(|(_, d)| format!("{d}/")).collect();
                Diagnostic::file(&s.file, "unknown-collection", message).help(format!(
                    "this site only accepts the folders declared in book.toml ({}); move the file into one of them or add `[collections.{folder}]`",
                    known.join(", ")
                ))
            }
            None => continue,
        };
        diags.push(diag);
    }
    diags
}

/// Where the byte at `at`, the first that is not UTF-8 (`Utf8Error::valid_up_to`), sits in
/// `bytes` as an editor shows it: its line, and the character on that line (both 1-based).
/// Everything before it is UTF-8, so it is located as any text is.
pub fn non_utf8_at(bytes: &[u8], at: usize) -> (usize, usize) {
    let good = std::str::from_utf8(bytes.get(..at).unwrap_or(&[])).unwrap_or("");
    let crate::diagnostics::Location { line, column, .. } =
        crate::diagnostics::Location::of(good, good.len());
    (line, column)
}

/// Reads one Markdown file: size limit, UTF-8, no NUL bytes, BOM removed, modification time.
pub fn read_source(root: &Path, rel: &str, path: &Path) -> Result<Source, Diagnostic> {
    let file = display(root, path);
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file(&file, "io", format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            &file,
            "too-large",
            format!(
                "this file is {} MiB; the limit is {} MiB",
                meta.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        )
        .help("split it into several pages"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(&file, "io", format!("cannot read: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = non_utf8_at(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic::file(
            &file,
            "encoding",
            format!(
                "this file is not valid UTF-8: line {line}, character {column} is not a UTF-8 character"
            ),
        )
        .help("save the file as UTF-8 (an editor's \"Save with encoding\"), or retype that character")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\0') {
        return Err(
            Diagnostic::file(&file, "encoding", "this file contains NUL bytes")
                .help("save the file as plain UTF-8 text"),
        );
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    Ok(Source {
        file,
        rel: rel.to_string(),
        text,
        modified,
    })
}

/// `path` relative to `root` with `/` separators, for messages.
pub fn display(root: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(root).unwrap_or(path))
}

/// The order [`load`] returns files in (and so the order of page ids): the walk's, file names
/// sorted folder by folder, so `a/x.md` comes before `a.md` and `a-b.md`.
pub fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// `p` with `/` separators.
pub(crate) fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a walk error is links pointing at each other (ELOOP).
#[cfg(unix)]
fn is_link_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_link_loop(_: &std::io::Error) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_not_named_md_is_named_and_leftovers_are_skipped() {
        assert_eq!(
            misnamed_markdown("notes/Upper.MD").as_deref(),
            Some("notes/Upper.md")
        );
        assert_eq!(
            misnamed_markdown("notes/long.markdown").as_deref(),
            Some("notes/long.md")
        );
        assert_eq!(
            misnamed_markdown("notes/x.md.txt").as_deref(),
            Some("notes/x.md")
        );
        assert_eq!(
            misnamed_markdown("notes/x.Markdown.TXT").as_deref(),
            Some("notes/x.md")
        );
        assert_eq!(misnamed_markdown("notes/answers.txt"), None);
        assert_eq!(misnamed_markdown("notes/.md.txt"), None);
        assert_eq!(misnamed_markdown("notes/diagram.png"), None);
        assert_eq!(misnamed_markdown("notes/.md"), None);
        assert_eq!(misnamed_markdown("notes/x.md~"), None);
        for leftover in ["notes/x.md~", "notes/#x.md#", "notes/x.md.orig", "x.md.rej"] {
            assert!(editor_leftover(leftover), "{leftover}");
        }
        for kept in ["notes/x.png", "notes/a#b.png", "notes/orig.svg"] {
            assert!(!editor_leftover(kept), "{kept}");
        }
    }

    /// Pages added while serving are put where a fresh load would put them.
    #[test]
    fn walk_order_is_the_order_files_are_loaded_in() {
        let dir = tempfile::tempdir().expect("temp dir");
        for rel in [
            "a.md",
            "a/x.md",
            "a/b/y.md",
            "a-b.md",
            "a.b/z.md",
            "_index.md",
            "Z.md",
            "notes/page/2.md",
            "notes.md",
        ] {
            let path = dir.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("folder");
            }
            std::fs::write(&path, "+++\ntitle = \"t\"\n+++\n").expect("write");
        }
        let loaded = load(dir.path(), dir.path());
        let rels: Vec<&str> = loaded.sources.iter().map(|s| s.rel.as_str()).collect();
        let mut sorted = rels.clone();
        sorted.sort_by(|a, b| walk_order(a, b));
        assert_eq!(rels.len(), 9);
        assert_eq!(rels, sorted);
    }
}
