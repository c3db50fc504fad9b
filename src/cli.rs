//! The command line: parses arguments (clap), finds the site root, runs the pipeline and maps
//! outcomes to exit codes (0 ok, 1 the site has errors, 2 usage or setup).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::config::{CONFIG_FILE, find_root};
use crate::diagnostics::{self, Diagnostic, Format};
use crate::pipeline::{self, Failure, Options};

#[derive(Debug, Parser)]
#[command(
    name = "opsbook",
    version,
    about = "Build, check and preview a Cluster Ops style site of typed Markdown collections."
)]
pub struct Cli {
    /// Site root (the folder holding book.toml); default: nearest such folder upward.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --out).
    Build {
        /// Output folder, relative to the current folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Publish draft pages too.
        #[arg(long)]
        drafts: bool,
        /// Override [book] base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Also write a JSON manifest of every output file (path, blake3 hash, source file),
        /// for `opsbook diff`.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// List the pages added, changed and removed between two `build --report` manifests.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = crate::report::DiffFormat::Human)]
        format: crate::report::DiffFormat,
    },
    /// Check every file and report every problem; writes nothing.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Warnings fail the check too.
        #[arg(long)]
        strict: bool,
        /// Check as if drafts were published.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site: build into memory, serve it, rebuild and reload on every change.
    Serve {
        /// Address to listen on; default `[serve] bind` in book.toml, else 127.0.0.1 (anything
        /// but loopback exposes drafts to the network).
        #[arg(long)]
        bind: Option<String>,
        /// Port; 0 picks a free one. Default `[serve] port` in book.toml, else 3000.
        #[arg(long)]
        port: Option<u16>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Show draft pages too.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new entry skeleton from the collection's schema.
    New {
        collection: String,
        slug: String,
        #[arg(long)]
        title: Option<String>,
    },
    /// Create a new site in DIR.
    Init { dir: PathBuf },
    /// Import public data as entries (re-runs update only imported fields).
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// CNCF landscape.yml items → tools entries.
    Landscape {
        file: PathBuf,
        /// Landscape category to import (repeatable); default: Provisioning, Runtime,
        /// Orchestration & Management, Observability and Analysis.
        #[arg(long = "category", value_name = "NAME")]
        categories: Vec<String>,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A cncf/k8s-conformance checkout (v1.NN/<product>/PRODUCT.yaml) → conformance entries.
    Conformance {
        dir: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Init { dir } => match crate::scaffold::init(&dir) {
            Ok(()) => {
                eprintln!(
                    "Created a new site in {}. Next: cd {} && opsbook build",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => setup_error(&e.to_string()),
        },
        Command::Diff { old, new, format } => diff(&old, &new, format),
        command => {
            let root = match resolve_root(cli.root.as_deref()) {
                Ok(r) => r,
                Err(msg) => return setup_error(&msg),
            };
            match command {
                Command::Serve {
                    bind,
                    port,
                    open,
                    drafts,
                } => {
                    // A flag wins over book.toml; a book.toml that does not load yet is reported
                    // by the first build, and the defaults serve until then.
                    let settings = crate::config::Config::load(&root)
                        .map(|c| c.serve)
                        .unwrap_or_default();
                    serve(crate::serve::ServeOptions {
                        site: Options {
                            root,
                            drafts,
                            base_url: None,
                            ..Options::default()
                        },
                        bind: bind.unwrap_or(settings.bind),
                        port: port.unwrap_or(settings.port),
                        open,
                    })
                }
                Command::Build {
                    out,
                    drafts,
                    base_url,
                    report,
                } => {
                    // `127.0.0.1:8000/` would make every link relative and broken.
                    if let Some(url) = &base_url
                        && let Some(why) = crate::config::base_url_problem(url)
                    {
                        return setup_error(&format!(
                            "--base-url `{url}` {why}; write `http://{}`",
                            url.trim_start_matches('/')
                        ));
                    }
                    build(
                        Options {
                            root,
                            drafts,
                            base_url,
                            ..Options::default()
                        },
                        out,
                        report.as_deref(),
                    )
                }
                Command::Check {
                    format,
                    strict,
                    drafts,
                } => check(
                    Options {
                        root,
                        drafts,
                        base_url: None,
                        ..Options::default()
                    },
                    format,
                    strict,
                ),
                Command::New {
                    collection,
                    slug,
                    title,
                } => new(&root, &collection, &slug, title.as_deref()),
                Command::Import(import) => run_import(&root, import),
                Command::Init { .. } | Command::Diff { .. } => ExitCode::from(2),
            }
        }
    }
}

fn setup_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

fn resolve_root(root: Option<&Path>) -> Result<PathBuf, String> {
    match root {
        Some(r) => {
            if r.join(CONFIG_FILE).is_file() {
                Ok(r.to_path_buf())
            } else {
                Err(format!(
                    "no {CONFIG_FILE} in {} (--root must name the site folder)",
                    r.display()
                ))
            }
        }
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("cannot read the current folder: {e}"))?;
            find_root(&cwd).ok_or_else(|| format!("no {CONFIG_FILE} in {} or any folder above it; run `opsbook init DIR` to start a site, or pass --root", cwd.display()))
        }
    }
}

fn color(stream_is_tty: bool) -> bool {
    stream_is_tty && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diags: &[Diagnostic]) {
    if !diags.is_empty() {
        eprint!(
            "{}",
            diagnostics::render(diags, Format::Human, color(std::io::stderr().is_terminal()))
        );
    }
}

fn diff(old: &Path, new: &Path, format: crate::report::DiffFormat) -> ExitCode {
    let (old, new) = match (crate::report::read(old), crate::report::read(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return setup_error(&e),
    };
    print!(
        "{}",
        crate::report::render(&crate::report::diff(&old, &new), format)
    );
    ExitCode::SUCCESS
}

fn build(options: Options, out: Option<PathBuf>, report: Option<&Path>) -> ExitCode {
    let start = Instant::now();
    match pipeline::build_with_report(&options, out, report) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            eprintln!(
                "Built {} pages ({} files) into {} in {} ms",
                report.pages,
                report.files,
                report.out_dir.display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Setup(msg)) => setup_error(&msg),
        Err(Failure::Invalid(diags)) => {
            print_diagnostics(&diags);
            eprintln!("error: the site was not built; the previous output is untouched");
            ExitCode::from(1)
        }
    }
}

fn check(options: Options, format: Format, strict: bool) -> ExitCode {
    let diags = match pipeline::check(&options) {
        Ok(d) => d,
        Err(Failure::Setup(msg)) => return setup_error(&msg),
        Err(Failure::Invalid(d)) => d,
    };
    let out = diagnostics::render(&diags, format, color(std::io::stdout().is_terminal()));
    print!("{out}");
    if diags.is_empty() && format == Format::Human {
        eprintln!("No problems found.");
    }
    let failed = diags.iter().any(|d| d.is_error() || strict);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `book.toml` of the site at `root`, or the exit code after reporting why it cannot be used.
fn site_config(root: &Path) -> Result<crate::config::Config, ExitCode> {
    pipeline::load_config(&Options {
        root: root.to_path_buf(),
        ..Default::default()
    })
    .map_err(|e| match e {
        Failure::Setup(msg) => setup_error(&msg),
        Failure::Invalid(diags) => {
            print_diagnostics(&diags);
            ExitCode::from(1)
        }
    })
}

fn run_import(root: &Path, command: ImportCommand) -> ExitCode {
    let config = match site_config(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let dir_of = |collection: &str| {
        config
            .collection(collection)
            .map(|c| {
                root.join(&config.build.content)
                    .join(c.dir.as_deref().unwrap_or(collection))
            })
            .ok_or_else(|| format!("book.toml has no [collections.{collection}] to import into"))
    };
    let (name, dry_run, result) = match command {
        ImportCommand::Landscape {
            file,
            categories,
            dry_run,
        } => match dir_of("tools") {
            Ok(dir) => (
                "landscape",
                dry_run,
                crate::import::landscape::import(&file, &dir, &categories, dry_run),
            ),
            Err(msg) => return setup_error(&msg),
        },
        ImportCommand::Conformance { dir, dry_run } => match dir_of("conformance") {
            Ok(out) => (
                "conformance",
                dry_run,
                // Results link to the catalog's tools when the site has one.
                crate::import::conformance::import_with_tools(
                    &dir,
                    &out,
                    dir_of("tools").ok().as_deref(),
                    dry_run,
                ),
            ),
            Err(msg) => return setup_error(&msg),
        },
    };
    match result {
        Ok(report) => {
            eprint!("{}", report.summary(name, dry_run));
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn serve(options: crate::serve::ServeOptions) -> ExitCode {
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Setup(msg)) => setup_error(&msg),
        Err(Failure::Invalid(diags)) => {
            print_diagnostics(&diags);
            ExitCode::from(1)
        }
    }
}

fn new(root: &Path, collection: &str, slug: &str, title: Option<&str>) -> ExitCode {
    let config = match site_config(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let today = jiff::ZonedDateTime::now().date().to_string();
    match crate::scaffold::new_entry(root, &config, collection, slug, title, &today) {
        Ok(path) => {
            println!("{}", path.display());
            eprintln!(
                "Created {}. Fill in every TODO, then run `opsbook check`.",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => setup_error(&e.to_string()),
    }
}
