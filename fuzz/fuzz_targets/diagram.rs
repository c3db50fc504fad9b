//! Drawing a ```mermaid block: any text must give a sanitized figure or a located error, never
//! a panic, a hang past the watchdog, or markup that could run or load anything.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line plays the fence's info string, the rest the block.
    let (info, source) = text.split_once('\n').unwrap_or(("mermaid", text));
    let drawn = opsbook::diagram::draw(source, info);
    let lower = drawn.html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script in the figure");
    assert!(!lower.contains("<foreignobject"), "foreignObject in the figure");
    assert!(!lower.contains("javascript:"), "javascript: URL in the figure");
    assert!(!lower.contains("url(http"), "external reference in the figure");
    if let Some(error) = &drawn.diagram.error {
        assert!(error.line >= 1 && error.line <= source.lines().count().max(1) + 1);
        assert!(!error.message.is_empty());
    }
});
