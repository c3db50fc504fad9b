//! Splitting and parsing front matter (TOML between `+++`, YAML between `---`): any text must
//! give fields or diagnostics, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = opsbook::content::front_matter::split_header(text);
    if let Err(diags) = opsbook::content::front_matter::parse("content/fuzz.md", text) {
        for d in diags {
            // Every diagnostic must point inside the file.
            assert!(d.file == "content/fuzz.md");
        }
    }
});
