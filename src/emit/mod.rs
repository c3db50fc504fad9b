//! Emit: assembles the last generated files (feeds, sitemap, robots, aliases, JSON API) from
//! the plan's routes and writes the
//! whole site atomically: into a temporary folder beside the output, then swapped in, so a
//! failed or killed build never leaves a half-written site.

pub mod api;
pub mod builtin;
pub mod feed;
pub mod search;
pub mod sitemap;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::output::OutputFile;
use crate::theme::StaticFile;

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// (site path, source) of files copied as they are.
    pub copies: Vec<(String, StaticFile)>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("cannot write the output folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("refusing to write to {0}: {1}")]
    Unsafe(PathBuf, String),
}

const TMP_MARK: &str = ".opsbook-tmp-";
const OLD_MARK: &str = ".opsbook-old-";

/// A site path as a relative filesystem path, or None if it would leave the output folder.
pub fn relative_path(site_path: &str) -> Option<PathBuf> {
    let rel = site_path.strip_prefix('/')?;
    let mut out = PathBuf::new();
    for seg in rel.split('/') {
        if seg.is_empty()
            || seg == "."
            || seg == ".."
            || seg.contains(['\\', '\0'])
            || seg.contains(':')
        {
            return None;
        }
        out.push(seg);
    }
    if out.as_os_str().is_empty() {
        None
    } else {
        Some(out)
    }
}

/// A site being written: files go into a temporary folder beside the output as they are
/// produced; [`Staging::commit`] swaps it in. Dropped without commit, it removes itself, so
/// the previous site stays as it was.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    parent: PathBuf,
    name: String,
    dirs: Mutex<HashSet<PathBuf>>,
    error: Mutex<Option<std::io::Error>>,
    committed: bool,
}

impl Staging {
    /// Checks `out_dir`, removes leftovers of killed builds and creates the temporary folder.
    pub fn begin(root: &Path, out_dir: &Path) -> Result<Staging, EmitError> {
        let io = |e| EmitError::Io(out_dir.to_path_buf(), e);
        guard(root, out_dir)?;
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                EmitError::Unsafe(
                    out_dir.to_path_buf(),
                    "the output path has no folder name".into(),
                )
            })?;
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io)?;
        clean_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}{TMP_MARK}{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io)?;
        }
        std::fs::create_dir(&tmp).map_err(io)?;
        let mut dirs = HashSet::new();
        dirs.insert(tmp.clone());
        Ok(Staging {
            out: out_dir.to_path_buf(),
            tmp,
            parent,
            name,
            dirs: Mutex::new(dirs),
            error: Mutex::new(None),
            committed: false,
        })
    }

    fn record(&self, e: std::io::Error) {
        let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    /// The file's place in the temporary folder, with its folder created.
    fn target(&self, site_path: &str) -> std::io::Result<PathBuf> {
        let rel = relative_path(site_path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the path {site_path} would leave the output folder"),
            )
        })?;
        let full = self.tmp.join(rel);
        if let Some(dir) = full.parent() {
            let known = self
                .dirs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(dir);
            if !known {
                std::fs::create_dir_all(dir)?;
                self.dirs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(dir.to_path_buf());
            }
        }
        Ok(full)
    }

    /// Writes one generated file (errors are kept for [`Staging::commit`]).
    pub fn put(&self, file: &OutputFile) {
        if let Err(e) = self
            .target(&file.path)
            .and_then(|t| std::fs::write(t, &file.bytes))
        {
            self.record(e);
        }
    }

    /// Copies static files and content assets.
    pub fn copy_all(&self, copies: &[(String, StaticFile)]) {
        copies.par_iter().for_each(|(path, src)| {
            let result = self.target(path).and_then(|t| match src {
                StaticFile::Disk(p) => std::fs::copy(p, t).map(|_| ()),
                StaticFile::Builtin(b) => std::fs::write(t, b),
            });
            if let Err(e) = result {
                self.record(e);
            }
        });
    }

    /// Swaps the finished site in, or reports the first write error (leaving the old site).
    pub fn commit(mut self) -> Result<(), EmitError> {
        if let Some(e) = self.error.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(EmitError::Io(self.out.clone(), e));
        }
        swap(&self.tmp, &self.out, &self.parent, &self.name)
            .map_err(|e| EmitError::Io(self.out.clone(), e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Refuses output folders whose replacement would destroy the site itself.
fn guard(root: &Path, out_dir: &Path) -> Result<(), EmitError> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out = absolute(out_dir);
    if root.starts_with(&out) {
        return Err(EmitError::Unsafe(
            out_dir.to_path_buf(),
            "it contains the site itself; pick an empty or generated folder".into(),
        ));
    }
    for keep in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(keep)) {
            return Err(EmitError::Unsafe(
                out_dir.to_path_buf(),
                format!("it is inside the site's {keep}/ folder"),
            ));
        }
    }
    if out.is_file() {
        return Err(EmitError::Unsafe(
            out_dir.to_path_buf(),
            "a file with that name exists".into(),
        ));
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let joined = base.join(p);
    // Canonicalize the nearest existing ancestor, keep the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return joined,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for r in rest.iter().rev() {
        out.push(r);
    }
    out
}

/// Removes temporary folders left by a killed build of the same output.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".{name}{TMP_MARK}");
    let old_prefix = format!(".{name}{OLD_MARK}");
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&tmp_prefix) || n.starts_with(&old_prefix) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Puts `tmp` in place of `out`: an atomic exchange where the OS offers one, else two renames.
fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(tmp, out);
    }
    if exchange(tmp, out)? {
        // `tmp` now holds the previous site; failing to delete it loses nothing (the next
        // build removes leftovers), so it is not an error.
        let _ = std::fs::remove_dir_all(tmp);
        return Ok(());
    }
    let old = parent.join(format!(".{name}{OLD_MARK}{}", std::process::id()));
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(tmp, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (ca, cb) = (to_c(a)?, to_c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::ENOTSUP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(
            relative_path("/tools/a/index.html"),
            Some(PathBuf::from("tools/a/index.html"))
        );
        assert_eq!(relative_path("/../x"), None);
        assert_eq!(relative_path("/a/../../x"), None);
        assert_eq!(relative_path("relative"), None);
        assert_eq!(relative_path("/a\\..\\x"), None);
    }
}
