//! Milliseconds to build the search bundle of a site, alone: loads and analyzes the site once
//! (every stage up to the plan, as `build` does), then builds the bundle RUNS times and prints
//! each run, the median, the bundle's size, and the median against the whole build's wall time
//! when BUILD_MS is given (issue 11: the index under 5 % of the 10k build). The figures in
//! BENCHMARKS.md come from
//!
//!     cargo run --release --example search_cost -- SITE_ROOT [RUNS]
//!
//! (RUNS defaults to 5). `perf record` on it profiles the index build with nothing else in the
//! way.

use std::time::Instant;

use opsbook::emit::search;
use opsbook::output::Urls;

// The allocator `opsbook build` uses (src/main.rs), so the figures match a real build.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| ".".into());
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let options = opsbook::Options {
        root: root.into(),
        ..Default::default()
    };
    let analyzed = opsbook::pipeline::load_config(&options)
        .and_then(|config| opsbook::pipeline::analyze(&options, config));
    let analyzed = match analyzed {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cannot analyze the site: {e}");
            std::process::exit(2);
        }
    };
    let urls = Urls::new(&analyzed.config);
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for run in 1..=runs {
        let start = Instant::now();
        let cpu_start = cpu_ms();
        let bundle = search::bundle(&analyzed.site, &analyzed.config, &urls);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let cpu_used = cpu_ms() - cpu_start;
        files = bundle.len();
        bytes = bundle.iter().map(|f| f.bytes.len()).sum::<usize>();
        drop(bundle);
        println!("run {run}: {ms:.1} ms wall, {cpu_used:.1} ms CPU");
        times.push(ms);
        cpu.push(cpu_used);
    }
    cpu.sort_by(f64::total_cmp);
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    println!(
        "search bundle: median {median:.1} ms wall, {:.1} ms CPU over {runs} runs, {files} files, {:.1} MB",
        cpu.get(cpu.len() / 2).copied().unwrap_or(0.0),
        bytes as f64 / 1e6
    );
    if let Some(build) = std::env::var("BUILD_MS")
        .ok()
        .and_then(|b| b.parse::<f64>().ok())
    {
        println!("{:.1} % of a {build:.0} ms build", 100.0 * median / build);
    }
}

/// CPU time (user + system) of the whole process so far, every thread, in milliseconds.
fn cpu_ms() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage struct, RUSAGE_SELF is a valid target.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}
