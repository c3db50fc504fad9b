//! The composite action's download-or-build step (`.github/scripts/install-opsbook.sh`),
//! run against a local file server on 127.0.0.1 standing in for the GitHub releases page:
//! download and checksum, the cache, a bad checksum, no release yet (build from source) and
//! a forced source build (src/ changed).
#![cfg(unix)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/.github/scripts/install-opsbook.sh"
);

/// A loopback HTTP server answering GET with fixed files (404 otherwise) and recording every
/// requested path.
struct FileServer {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FileServer {
    fn start(files: HashMap<String, Vec<u8>>) -> FileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                // Skip the headers.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .to_string();
                seen.lock().expect("lock").push(path.clone());
                let (status, body) = match files.get(&path) {
                    Some(b) => ("200 OK", b.clone()),
                    None => ("404 Not Found", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        FileServer { base, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("lock").clone()
    }
}

/// The release target name the script computes on this machine.
fn target() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        other => panic!("no release is built for {other}"),
    };
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-gnu",
        "macos" => "apple-darwin",
        other => panic!("no release is built for {other}"),
    };
    format!("{arch}-{os}")
}

fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A release archive holding a stand-in `opsbook` that prints `version`, and its checksum line.
fn release_archive(dir: &Path, version: &str) -> (Vec<u8>, String) {
    let stage = dir.join("stage");
    write_executable(
        &stage.join("opsbook"),
        &format!("#!/bin/sh\necho \"opsbook {version} (released)\"\n"),
    );
    std::fs::write(stage.join("README.md"), "readme").expect("write");
    let archive = dir.join("release.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(&stage)
        .args(["opsbook", "README.md"])
        .status()
        .expect("tar");
    assert!(status.success());
    let bytes = std::fs::read(&archive).expect("archive");
    let sum = Command::new("sh")
        .arg("-c")
        .arg("sha256sum \"$1\" 2>/dev/null || shasum -a 256 \"$1\"")
        .arg("sh")
        .arg(&archive)
        .output()
        .expect("sha256");
    let hash = String::from_utf8_lossy(&sum.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_string();
    (bytes, format!("{hash}  opsbook-{}.tar.gz\n", target()))
}

/// A source folder with a Cargo.toml and a stand-in `cargo` that "builds" by writing
/// target/release/opsbook and logs its arguments.
fn source_tree(dir: &Path) -> (PathBuf, PathBuf) {
    let source = dir.join("source");
    std::fs::create_dir_all(&source).expect("mkdir");
    std::fs::write(source.join("Cargo.toml"), "[package]\nname = \"opsbook\"\n").expect("write");
    let log = dir.join("cargo.log");
    let cargo = dir.join("fake-cargo");
    write_executable(
        &cargo,
        &format!(
            "#!/bin/sh\necho \"$@\" >> '{log}'\nmkdir -p '{src}/target/release'\nprintf '#!/bin/sh\\necho \"opsbook (built from source)\"\\n' > '{src}/target/release/opsbook'\nchmod 755 '{src}/target/release/opsbook'\n",
            log = log.display(),
            src = source.display()
        ),
    );
    (source, cargo)
}

struct Run {
    output: Output,
}

impl Run {
    fn ok(&self) -> bool {
        self.output.status.success()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// The installed binary's path (last line of stdout) and what it prints.
    fn installed(&self) -> (PathBuf, String) {
        assert!(self.ok(), "install failed: {}", self.stderr());
        let stdout = String::from_utf8_lossy(&self.output.stdout);
        let path = PathBuf::from(stdout.lines().last().expect("a path").trim());
        let out = Command::new(&path)
            .output()
            .expect("run the installed binary");
        (
            path,
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        )
    }
}

fn install(env: &[(&str, &Path)], build: &str, base: &str, version: &str) -> Run {
    let mut command = Command::new("bash");
    command
        .arg(SCRIPT)
        .env("OPSBOOK_VERSION", version)
        .env("OPSBOOK_DOWNLOAD_BASE", base)
        .env("OPSBOOK_BUILD", build)
        .env_remove("CARGO_TARGET_DIR");
    for (k, v) in env {
        command.env(k, v);
    }
    Run {
        output: command.output().expect("run install-opsbook.sh"),
    }
}

#[test]
fn downloads_the_release_then_uses_the_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, sum) = release_archive(dir.path(), "9.9.9");
    let name = format!("/v9.9.9/opsbook-{}.tar.gz", target());
    let server = FileServer::start(HashMap::from([
        (name.clone(), archive),
        (format!("{name}.sha256"), sum.into_bytes()),
    ]));
    let bin_dir = dir.path().join("bin");
    let env = [("OPSBOOK_BIN_DIR", bin_dir.as_path())];

    let first = install(&env, "auto", &server.base, "v9.9.9");
    let (path, says) = first.installed();
    assert_eq!(path, bin_dir.join("opsbook"));
    assert_eq!(says, "opsbook 9.9.9 (released)");
    assert_eq!(server.requests(), [name.clone(), format!("{name}.sha256")]);

    // A second run (the cache restored) asks the server nothing.
    let second = install(&env, "auto", &server.base, "v9.9.9");
    assert_eq!(second.installed().1, "opsbook 9.9.9 (released)");
    assert!(second.stderr().contains("using the cached opsbook v9.9.9"));
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());

    // Another pinned version is downloaded again (and here does not exist).
    let other = install(&env, "never", &server.base, "v9.9.10");
    assert!(!other.ok());
    assert!(
        other.stderr().contains("no release v9.9.10"),
        "{}",
        other.stderr()
    );
}

#[test]
fn a_bad_checksum_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, _) = release_archive(dir.path(), "9.9.9");
    let name = format!("/v9.9.9/opsbook-{}.tar.gz", target());
    let server = FileServer::start(HashMap::from([
        (name.clone(), archive),
        (
            format!("{name}.sha256"),
            format!("{}  x\n", "0".repeat(64)).into_bytes(),
        ),
    ]));
    let bin_dir = dir.path().join("bin");
    let (source, cargo) = source_tree(dir.path());
    let run = install(
        &[
            ("OPSBOOK_BIN_DIR", bin_dir.as_path()),
            ("OPSBOOK_SOURCE", source.as_path()),
            ("CARGO", cargo.as_path()),
        ],
        "auto",
        &server.base,
        "v9.9.9",
    );
    assert!(!run.ok(), "a tampered download must not be installed");
    assert!(
        run.stderr().contains("checksum mismatch"),
        "{}",
        run.stderr()
    );
    assert!(!bin_dir.join("opsbook").exists());
    assert!(!dir.path().join("cargo.log").exists(), "no fallback build");
}

#[test]
fn without_a_release_it_builds_from_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = FileServer::start(HashMap::new());
    let bin_dir = dir.path().join("bin");
    let (source, cargo) = source_tree(dir.path());
    let env = [
        ("OPSBOOK_BIN_DIR", bin_dir.as_path()),
        ("OPSBOOK_SOURCE", source.as_path()),
        ("CARGO", cargo.as_path()),
    ];
    let run = install(&env, "auto", &server.base, "v0.1.0");
    assert_eq!(run.installed().1, "opsbook (built from source)");
    assert_eq!(
        server.requests(),
        [format!("/v0.1.0/opsbook-{}.tar.gz", target())]
    );
    let log = std::fs::read_to_string(dir.path().join("cargo.log")).expect("cargo ran");
    assert_eq!(
        log.trim(),
        format!(
            "build --release --locked --manifest-path {}/Cargo.toml",
            source.display()
        )
    );
    // A source build is not mistaken for the release by the next run: it looks again.
    let again = install(&env, "auto", &server.base, "v0.1.0");
    assert!(again.ok());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_changed_src_builds_from_source_without_downloading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, sum) = release_archive(dir.path(), "9.9.9");
    let name = format!("/v9.9.9/opsbook-{}.tar.gz", target());
    let server = FileServer::start(HashMap::from([
        (name.clone(), archive),
        (format!("{name}.sha256"), sum.into_bytes()),
    ]));
    let bin_dir = dir.path().join("bin");
    let (source, cargo) = source_tree(dir.path());
    let run = install(
        &[
            ("OPSBOOK_BIN_DIR", bin_dir.as_path()),
            ("OPSBOOK_SOURCE", source.as_path()),
            ("CARGO", cargo.as_path()),
        ],
        "always",
        &server.base,
        "v9.9.9",
    );
    assert_eq!(run.installed().1, "opsbook (built from source)");
    assert_eq!(server.requests(), Vec::<String>::new());
}
