//! Themes: the templates and static files a site is rendered with. A theme lives in
//! `themes/<name>/{templates,static}`; the site's own `templates/` and `static/` override it
//! file by file. The default theme is also compiled into the binary, so `init` can write it
//! and a site without a `themes/clusterops/` folder still builds. `templates/new/<collection>.md`
//! are not Tera templates but the bodies `opsbook new` starts an entry with (like Hugo's
//! archetypes); they are kept apart from the templates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

pub const DEFAULT_THEME: &str = "clusterops";

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/clusterops");

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Disk(PathBuf),
    Builtin(&'static [u8]),
}

impl StaticFile {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticFile::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
            StaticFile::Builtin(b) => Ok(std::borrow::Cow::Borrowed(b)),
        }
    }
}

/// Templates (name → (file for messages, text)) and static files (site path → source).
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, (String, String)>,
    pub statics: BTreeMap<String, StaticFile>,
    /// Entry bodies for `opsbook new`: collection name → Markdown (`templates/new/<name>.md`).
    pub new_bodies: BTreeMap<String, String>,
}

/// The folder under `templates/` that holds `new` bodies.
const NEW_BODIES: &str = "new/";

impl Theme {
    /// Every fixed `id="…"` the templates write (`main`, `toc-title`, …), sorted: a heading in
    /// a page's body must not take one, or the page would hold two elements with that id and
    /// a link to it (the skip link's `#main`) would reach only the first.
    pub fn element_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .templates
            .values()
            .flat_map(|(_, text)| text.split("id=\"").skip(1))
            .filter_map(|rest| {
                let id = rest.split('"').next()?;
                let fixed = id.starts_with(|c: char| c.is_ascii_alphabetic())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                fixed.then(|| id.to_string())
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Files a template: a `new/<collection>.md` body or a Tera template.
    fn add_template(&mut self, name: &str, label: String, text: String) {
        match name
            .strip_prefix(NEW_BODIES)
            .and_then(|n| n.strip_suffix(".md"))
        {
            Some(collection) => {
                self.new_bodies.insert(collection.to_string(), text);
            }
            None => {
                self.templates.insert(name.to_string(), (label, text));
            }
        }
    }
}

/// Why a theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `[build] theme` names no folder under `themes/` (and not the built-in theme).
    #[error("theme `{name}` not found: no folder {}{}", dir.display(), near.as_ref().map_or_else(String::new, |n| format!(" (did you mean `{n}`?)")))]
    Missing {
        name: String,
        dir: PathBuf,
        /// The closest theme there is (a folder under `themes/`, or the built-in one).
        near: Option<String>,
    },
    /// A bad name, or a file that cannot be read.
    #[error("{0}")]
    Unreadable(String),
}

impl LoadError {
    /// The problem as a `config` error at the `theme` key of book.toml's text `book`, for a
    /// missing theme (`None` for the others, which are setup errors).
    pub fn diagnostic(&self, book: &str) -> Option<crate::diagnostics::Diagnostic> {
        let LoadError::Missing { name, near, .. } = self else {
            return None;
        };
        let at = crate::config::key_span(book, "build", "theme");
        let help = near.as_ref().map_or_else(
            || {
                format!(
                    "add the folder themes/{name}/ (with templates/ and static/), or remove the line to use the built-in `{DEFAULT_THEME}` theme"
                )
            },
            |n| format!("did you mean `{n}`? write `theme = \"{n}\"`"),
        );
        Some(
            crate::diagnostics::Diagnostic::at(
                crate::config::CONFIG_FILE,
                book,
                at,
                "config",
                format!("theme `{name}` not found: there is no folder themes/{name}/"),
            )
            .help(help),
        )
    }
}

/// The theme names a site can use: the folders under `root/themes/` and the built-in theme.
fn theme_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.push(DEFAULT_THEME.to_string());
    names
}

/// Loads theme `name` (or none) and the site's overrides under `root`.
pub fn load(root: &Path, name: Option<&str>) -> Result<Theme, LoadError> {
    let mut theme = Theme::default();
    if let Some(name) = name {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(LoadError::Unreadable(format!(
                "invalid theme name `{name}` in book.toml"
            )));
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            read_dir_into(
                &dir.join("templates"),
                &format!("themes/{name}/templates"),
                &mut theme,
                true,
            )
            .map_err(LoadError::Unreadable)?;
            read_dir_into(
                &dir.join("static"),
                &format!("themes/{name}/static"),
                &mut theme,
                false,
            )
            .map_err(LoadError::Unreadable)?;
        } else if name == DEFAULT_THEME {
            builtin_into(&mut theme);
        } else {
            let names = theme_names(root);
            let near = crate::diagnostics::closest(name, names.iter().map(String::as_str))
                .map(str::to_string);
            return Err(LoadError::Missing {
                name: name.to_string(),
                dir,
                near,
            });
        }
    }
    read_dir_into(&root.join("templates"), "templates", &mut theme, true)
        .map_err(LoadError::Unreadable)?;
    read_dir_into(&root.join("static"), "static", &mut theme, false)
        .map_err(LoadError::Unreadable)?;
    Ok(theme)
}

fn builtin_into(theme: &mut Theme) {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
        out.extend(dir.files());
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut files = Vec::new();
    walk(&BUILTIN, &mut files);
    for f in files {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(f.contents()).into_owned();
            theme.add_template(name, format!("(built-in clusterops theme)/{path}"), text);
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme
                .statics
                .insert(format!("/{rel}"), StaticFile::Builtin(f.contents()));
        }
    }
}

fn read_dir_into(
    dir: &Path,
    label: &str,
    theme: &mut Theme,
    templates: bool,
) -> Result<(), String> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if templates {
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| format!("cannot read template {}: {e}", entry.path().display()))?;
            theme.add_template(&rel, format!("{label}/{rel}"), text);
        } else {
            theme.statics.insert(
                format!("/{rel}"),
                StaticFile::Disk(entry.path().to_path_buf()),
            );
        }
    }
    Ok(())
}

/// Writes the built-in theme into `dir` (for `init`).
pub fn write_builtin(dir: &Path) -> std::io::Result<()> {
    BUILTIN.extract(dir)
}
