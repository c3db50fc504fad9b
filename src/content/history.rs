//! History: when each content file last changed, from one `git log` pass over the content
//! folder. Outside a git checkout (or without git) the map is empty and pages fall back to
//! their files' modification times.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// Content-relative path (`/` separators) → time of the newest commit touching it (seconds
/// since the epoch).
pub type CommitTimes = HashMap<String, i64>;

/// Runs `git log --name-only` once in `content_dir`. Files never committed are absent.
pub fn commit_times(content_dir: &Path) -> CommitTimes {
    let output = Command::new("git")
        .arg("-C")
        .arg(content_dir)
        .args([
            "log",
            "--no-renames",
            "--relative",
            "--name-only",
            "-z",
            "--format=%x01%ct",
            "--",
            ".",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(o) if o.status.success() => parse(&String::from_utf8_lossy(&o.stdout)),
        _ => CommitTimes::new(),
    }
}

/// Parses `git log -z --name-only --format=%x01%ct`: each commit is `\x01<time>\0`, then
/// NUL-separated names (the first after a newline). The newest commit comes first, so the
/// first time seen for a path is its last change.
fn parse(log: &str) -> CommitTimes {
    let mut times = CommitTimes::new();
    for commit in log.split('\x01').skip(1) {
        let mut parts = commit.split('\0');
        let Some(Ok(time)) = parts.next().map(|t| t.trim().parse::<i64>()) else {
            continue;
        };
        for name in parts {
            let name = name.trim_matches('\n');
            if !name.is_empty() {
                times.entry(name.to_string()).or_insert(time);
            }
        }
    }
    times
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins() {
        let log = "\x01200\0\ntools/a.md\0notes/b.md\0\x01100\0\ntools/a.md\0c.md\0";
        let t = parse(log);
        assert_eq!(t.get("tools/a.md"), Some(&200));
        assert_eq!(t.get("notes/b.md"), Some(&200));
        assert_eq!(t.get("c.md"), Some(&100));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn not_a_repository_is_empty() {
        let dir = std::env::temp_dir().join(format!("opsbook-history-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        // The temp folder is normally outside any checkout; if it is not, skip the assertion
        // on emptiness but still require that the call does not fail.
        let inside = Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["rev-parse", "--is-inside-work-tree"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        let t = commit_times(&dir);
        if !inside {
            assert!(t.is_empty());
        }
        let _ = std::fs::remove_dir(&dir);
    }
}
