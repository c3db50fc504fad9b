use clap::Parser;

// mimalloc: parsing, highlighting and templating allocate many small strings from several
// threads at once; glibc's allocator is measurably slower at that (see BENCHMARKS.md).
// Without the default `mimalloc` feature the system allocator is used, for heap profilers.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Peak memory: a build allocates a lot for a short while, and transparent huge pages round
/// each region the allocator touches up to 2 MiB, which only raises the peak (10k pages:
/// 453 → 405 MB peak RSS, user CPU unchanged; see BENCHMARKS.md).
fn tune_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> std::process::ExitCode {
    tune_memory();
    opsbook::diagnostics::install_panic_hook();
    opsbook::cli::run(opsbook::cli::Cli::parse())
}
