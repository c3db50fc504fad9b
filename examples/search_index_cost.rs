//! Times the search bundle alone on a site (cargo run --release --example search_index_cost --
//! ROOT [RUNS]): the wall time and process CPU time of `emit::search::bundle` per run, and the
//! bundle's size, then the medians. For BENCHMARKS.md; the whole build is timed by
//! bench/compare.sh. `perf record` on it profiles the index build with nothing else in the way.
use std::time::Instant;

// The allocator `opsbook build` uses (src/main.rs), so the figures are a build's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: search_index_cost ROOT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let options = opsbook::pipeline::Options {
        root: root.into(),
        drafts: false,
        base_url: None,
        ..Default::default()
    };
    let analyzed = opsbook::pipeline::load_config(&options)
        .and_then(|config| opsbook::pipeline::analyze(&options, config))
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1);
        });
    let urls = opsbook::output::Urls::new(&analyzed.config);
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let files =
            opsbook::emit::search::bundle(&analyzed.site, &analyzed.config, &urls, &analyzed.plan);
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        println!(
            "run {run}: {:.0} ms wall, {:.0} ms CPU, {} files, {:.1} MB",
            wall * 1e3,
            cpu * 1e3,
            files.len(),
            bytes as f64 / 1e6
        );
        walls.push(wall * 1e3);
        cpus.push(cpu * 1e3);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    println!(
        "median of {runs}: {:.0} ms wall, {:.0} ms CPU",
        median(walls),
        median(cpus)
    );
}
