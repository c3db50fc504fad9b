//! Schema validation against the shipped site's collections: any file, in any collection folder,
//! gives a page and diagnostics, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use opsbook::config::Config;
use opsbook::content::Source;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(include_str!("../../book.toml"))
            .unwrap_or_else(|_| panic!("book.toml parses"))
    })
}

const FOLDERS: &[&str] = &[
    "architectures",
    "tools",
    "notes",
    "conformance",
    "surveys",
    "meetings",
    "",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let folder = FOLDERS[usize::from(pick) % FOLDERS.len()];
    let rel = if folder.is_empty() {
        "fuzz.md".to_string()
    } else {
        format!("{folder}/fuzz.md")
    };
    let source = Source {
        file: format!("content/{rel}"),
        rel,
        text: text.to_string(),
        modified: None,
    };
    let (page, diags) = opsbook::content::schema::check(source, config());
    assert!(page.body_start <= page.text.len());
    for d in diags {
        assert!(!d.message.is_empty());
    }
});
