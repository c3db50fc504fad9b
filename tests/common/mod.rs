//! Helpers shared by the integration tests: copy a fixture site, build it, parse its pages.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

/// Builds the site at `root` through the library into `root/public`; panics with the
/// diagnostics, rendered, if it fails.
pub fn build_site(root: &Path, drafts: bool, base_url: Option<&str>) -> PathBuf {
    use opsbook::pipeline::{self, Failure, Options};
    let out = root.join("public");
    let options = Options {
        root: root.to_path_buf(),
        drafts,
        base_url: base_url.map(str::to_string),
        ..Options::default()
    };
    pipeline::build(&options, Some(out.clone())).unwrap_or_else(|e| match e {
        Failure::Invalid(d) => panic!(
            "{}",
            opsbook::diagnostics::render(&d, opsbook::diagnostics::Format::Human, false)
        ),
        other => panic!("{other}"),
    });
    out
}

/// Copies `tests/fixtures/<name>` into a fresh temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

/// [`fixture`] with `files` (path under content/, contents) added.
pub fn fixture_with<B: AsRef<[u8]>>(name: &str, files: &[(&str, B)]) -> tempfile::TempDir {
    let site = fixture(name);
    for (rel, bytes) in files {
        let path = site.path().join("content").join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write");
    }
    site
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A parsed output page.
pub struct Page(pub Html);

impl Page {
    pub fn load(out: &Path, rel: &str) -> Page {
        let path = out.join(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Page(Html::parse_document(&text))
    }
    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
        self.0.select(&sel).collect()
    }
    pub fn text(&self, css: &str) -> String {
        self.all(css)
            .first()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    }
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }
    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        self.all(css)
            .first()
            .and_then(|e| e.value().attr(attr))
            .map(str::to_string)
    }
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|e| e.value().attr(attr))
            .map(str::to_string)
            .collect()
    }
}

/// `opsbook` binary command with `--root` set.
pub fn opsbook(root: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("opsbook").expect("binary");
    cmd.arg("--root").arg(root);
    cmd
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// Asserts `opsbook check` finds nothing in the site at `root` (prints what it found).
pub fn assert_check_clean(root: &Path) {
    let options = opsbook::pipeline::Options {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let diags = opsbook::pipeline::check(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        diags.is_empty(),
        "{}",
        opsbook::diagnostics::render(&diags, opsbook::diagnostics::Format::Human, false)
    );
}

/// A running `opsbook serve --port 0`, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The server's stderr, a line at a time (only from [`Server::start_logged`]).
    pub log: Option<std::sync::mpsc::Receiver<String>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_in(None, root)
    }

    /// Serves `root` as given on the command line, run from `cwd` when set (for relative roots).
    pub fn start_in(cwd: Option<&Path>, root: &Path) -> Server {
        Server::spawn(cwd, root, false)
    }

    /// Serves `root` and hands its stderr (the rebuild reports) over [`Server::log`].
    pub fn start_logged(root: &Path) -> Server {
        Server::spawn(None, root, true)
    }

    fn spawn(cwd: Option<&Path>, root: &Path, logged: bool) -> Server {
        use std::io::BufRead;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
        if let Some(dir) = cwd {
            command.current_dir(dir);
        }
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(std::process::Stdio::piped())
            .stderr(if logged {
                std::process::Stdio::piped()
            } else {
                std::process::Stdio::null()
            })
            .spawn()
            .expect("start opsbook serve");
        let log = child.stderr.take().map(|stderr| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        });
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the Serving line");
        let addr = line
            .trim()
            .strip_prefix("Serving at http://")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, addr, log }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `opsbook check --format json` on `root`: the exit code and the parsed array (stdout
/// must hold only the JSON).
pub fn check_json(root: &Path) -> (i32, serde_json::Value) {
    let out = opsbook(root)
        .args(["check", "--format", "json"])
        .output()
        .expect("run opsbook check");
    let diags = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not only JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), diags)
}

/// (code, line, column, message, help) of one diagnostic of `check --format json`.
pub type Problem = (String, u64, u64, String, String);

/// Every diagnostic for `file` of `check --format json` output, in order.
pub fn problems(diags: &serde_json::Value, file: &str) -> Vec<Problem> {
    diags
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}
