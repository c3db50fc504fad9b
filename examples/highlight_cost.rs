//! Cost of highlighting one small code block with giallo (cargo run --release --example highlight_cost).
fn main() {
    let themes = opsbook::highlight::Themes {
        light: "github-light".into(),
        dark: "github-dark".into(),
    };
    let t = std::time::Instant::now();
    let _ = opsbook::highlight::highlight("x", "rust", &themes);
    eprintln!("first: {:?}", t.elapsed());
    for lang in ["rust", "yaml", "bash"] {
        let code = match lang {
            "rust" => "fn main() {\n    let x = vec![1, 2, 3];\n    println!(\"{:?}\", x);\n}\n",
            "yaml" => "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n",
            _ => "kubectl drain node-1 --ignore-daemonsets\nsudo systemctl reboot\n",
        };
        let t = std::time::Instant::now();
        for i in 0..2000 {
            let c = format!("{code}// {i}\n");
            let _ = opsbook::highlight::highlight(&c, lang, &themes);
        }
        eprintln!("{lang}: {:?} per block", t.elapsed() / 2000);
        let big = code.repeat(10);
        let t = std::time::Instant::now();
        for i in 0..500 {
            let c = format!("{big}// {i}\n");
            let _ = opsbook::highlight::highlight(&c, lang, &themes);
        }
        eprintln!("{lang} x10 lines: {:?} per block", t.elapsed() / 500);
    }
}
