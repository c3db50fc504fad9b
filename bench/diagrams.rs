//! Milliseconds per diagram: draws every ```mermaid block of the shipped content (bypassing the
//! cache, so each run is a real draw: bounds check, merman, sanitizer) and prints each one's
//! median and the median over all of them. The figure in BENCHMARKS.md comes from
//!
//!     cargo run --release --example diagram_cost [RUNS]
//!
//! run from the repository root (RUNS defaults to 15).

use std::time::Instant;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15);
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new("content").sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let mut inside: Option<(String, String)> = None;
        for line in text.lines() {
            match &mut inside {
                None => {
                    if let Some(info) = line.strip_prefix("```mermaid") {
                        inside = Some((format!("mermaid{info}"), String::new()));
                    }
                }
                Some((info, src)) => {
                    if line.starts_with("```") {
                        blocks.push((
                            entry.path().display().to_string(),
                            info.clone(),
                            src.clone(),
                        ));
                        inside = None;
                    } else {
                        src.push_str(line);
                        src.push('\n');
                    }
                }
            }
        }
    }
    assert!(
        !blocks.is_empty(),
        "no ```mermaid blocks under content/ (run from the repo root)"
    );
    let mut medians = Vec::new();
    println!("| diagram | nodes+edges lines | median ms | max ms |");
    println!("|---|---|---|---|");
    for (file, info, src) in &blocks {
        let drawn = opsbook::diagram::draw_fresh(src, info);
        assert!(
            drawn.diagram.error.is_none(),
            "{file}: {:?}",
            drawn.diagram.error
        );
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let _ = opsbook::diagram::draw_fresh(src, info);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        let max = times.last().copied().unwrap_or(0.0);
        println!(
            "| {file} | {} | {median:.1} | {max:.1} |",
            src.lines().count().saturating_sub(1)
        );
        medians.push(median);
    }
    medians.sort_by(f64::total_cmp);
    let overall = medians.get(medians.len() / 2).copied().unwrap_or(0.0);
    println!(
        "\n{} diagrams, {runs} draws each: median {overall:.1} ms per diagram",
        medians.len()
    );
}
