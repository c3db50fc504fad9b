//! Emit: assembles the last generated files (feeds, sitemap, robots, aliases) and writes the
//! whole site atomically: into a temporary folder beside the output, then swapped in, so a
//! failed or killed build never leaves a half-written site.

pub mod feed;
pub mod sitemap;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;
use crate::theme::StaticFile;

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// (site path, source) of files copied as they are.
    pub copies: Vec<(String, StaticFile)>,
}

impl Output {
    /// Number of HTML pages.
    pub fn html_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }
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

/// Writes `output` to `out_dir` atomically. `root` is the site root (never overwritten).
pub fn write(root: &Path, out_dir: &Path, output: &Output) -> Result<(), EmitError> {
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
    let parent = out_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    };
    std::fs::create_dir_all(&parent).map_err(io)?;
    clean_leftovers(&parent, &name);

    let tmp = parent.join(format!(".{name}{TMP_MARK}{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io)?;
    }
    std::fs::create_dir(&tmp).map_err(io)?;
    let result = fill(&tmp, output);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(EmitError::Io(out_dir.to_path_buf(), e));
    }
    swap(&tmp, out_dir, &parent, &name).map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        EmitError::Io(out_dir.to_path_buf(), e)
    })
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

fn fill(tmp: &Path, output: &Output) -> std::io::Result<()> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut targets: Vec<PathBuf> = Vec::with_capacity(output.files.len() + output.copies.len());
    for path in output
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(output.copies.iter().map(|(p, _)| p.as_str()))
    {
        let rel = relative_path(path).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the path {path} would leave the output folder"),
            )
        })?;
        let full = tmp.join(&rel);
        if let Some(d) = full.parent() {
            dirs.insert(d.to_path_buf());
        }
        targets.push(full);
    }
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    let (file_targets, copy_targets) = targets.split_at(output.files.len());
    output
        .files
        .par_iter()
        .zip(file_targets)
        .try_for_each(|(f, t)| std::fs::write(t, &f.bytes))?;
    output
        .copies
        .par_iter()
        .zip(copy_targets)
        .try_for_each(|((_, src), t)| match src {
            StaticFile::Disk(p) => std::fs::copy(p, t).map(|_| ()),
            StaticFile::Builtin(b) => std::fs::write(t, b),
        })?;
    Ok(())
}

/// Puts `tmp` in place of `out`: an atomic exchange where the OS offers one, else two renames.
fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(tmp, out);
    }
    if exchange(tmp, out)? {
        // `tmp` now holds the previous site.
        return std::fs::remove_dir_all(tmp);
    }
    let old = parent.join(format!(".{name}{OLD_MARK}{}", std::process::id()));
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(tmp, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::remove_dir_all(&old)
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
