//! Cost of highlighting small code blocks with giallo, on one thread and on two at once
//! (cargo run --release --example highlight_cost).

use std::time::Instant;

fn run(thread: usize, n: usize) {
    let themes = opsbook::highlight::Themes {
        light: "github-light".into(),
        dark: "github-dark".into(),
    };
    for i in 0..n {
        let code = format!(
            "fn main_{thread}_{i}() {{\n    let x = vec![1, 2, {i}];\n    println!(\"{{:?}}\", x);\n}}\n"
        );
        let _ = opsbook::highlight::highlight(&code, "rust", &themes);
    }
}

fn main() {
    run(0, 10); // load the registry
    let n = 2000;
    let t = Instant::now();
    run(0, n);
    eprintln!("1 thread : {:?} per block", t.elapsed() / n as u32);
    let t = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| run(1, n));
        s.spawn(|| run(2, n));
    });
    eprintln!(
        "2 threads: {:?} per block (wall, {} blocks)",
        t.elapsed() / (2 * n) as u32,
        2 * n
    );
}
