use clap::Parser;

// mimalloc: parsing, highlighting and templating allocate many small strings from several
// threads at once; glibc's allocator is measurably slower at that (see BENCHMARKS.md).
// Without the default `mimalloc` feature the system allocator is used, for heap profilers.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    opsbook::diagnostics::install_panic_hook();
    opsbook::cli::run(opsbook::cli::Cli::parse())
}
