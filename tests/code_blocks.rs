//! Code blocks (issue 16): `console` transcripts are highlighted prompt-aware (the command after
//! `$ `/`# ` is bash, the prompt is marked and left out of a copy, output lines stay plain), and
//! `check`, which skips highlighting, reports exactly what a build of the same site reports.

mod common;

use common::{Page, fixture};
use opsbook::pipeline::{self, Failure, Options};
use scraper::{ElementRef, Node};

/// The text directly inside `el` (not inside any child element).
fn own_text(el: ElementRef) -> String {
    el.children()
        .filter_map(|n| match n.value() {
            Node::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn console_blocks_highlight_commands_and_leave_output_plain() {
    let site = fixture("code-blocks");
    common::assert_check_clean(site.path());
    let out = common::build_site(site.path(), false, None);
    let page = Page::load(&out, "docs/console/index.html");

    let console = page.all("code[data-lang=\"console\"]");
    assert_eq!(console.len(), 1);
    let block = console[0];
    let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
    let prompts: Vec<String> = block
        .select(&sel(".ts-prompt"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(prompts, ["$ ", "# ", "$ "]);
    // Each prompt is followed by its command, highlighted: the command name is a function.
    let commands: Vec<String> = block
        .select(&sel(".ts-function"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(commands, ["kubectl", "systemctl", "kubectl"]);
    // The continuation line after `\` is part of the command.
    let flags: Vec<String> = block
        .select(&sel("[class^=\"ts-\"]"))
        .map(|e| e.text().collect())
        .collect();
    assert!(
        flags.contains(&"--image=nginx:1.27".to_string()),
        "{flags:?}"
    );
    // Output lines are text directly in <code>, inside no highlight span.
    let plain = own_text(block);
    for output in [
        "NAME                       READY   STATUS    RESTARTS   AGE",
        "coredns-5d78c9869d-x7k2p   1/1     Running   0          5m",
        "deployment.apps/web created",
    ] {
        assert!(plain.contains(output), "{output:?} not plain in {plain:?}");
        assert!(
            block
                .select(&sel("span"))
                .all(|s| !s.text().collect::<String>().contains(output.trim())),
            "{output:?} inside a span"
        );
    }
    // The whole block still reads as written.
    let text: String = block.text().collect();
    assert!(
        text.starts_with("$ kubectl get pods -n kube-system\nNAME"),
        "{text}"
    );
    assert!(text.contains("$ kubectl create deployment web \\\n    --image=nginx:1.27\n"));

    // The prompt is not selected, so copying the block gives runnable commands.
    let css = std::fs::read_to_string(out.join("highlight.css")).expect("highlight.css");
    assert!(
        css.contains(".ts-prompt { color: #6A737D; user-select: none;"),
        "no prompt rule in highlight.css"
    );

    // The other blocks on the page keep their own highlighting.
    assert_eq!(page.all("code[data-lang=\"bash\"] .ts-function").len(), 1);
    assert!(!page.all("code[data-lang=\"yaml\"] .ts-property").is_empty());
    assert_eq!(
        page.texts("pre > code:not([data-lang])"),
        ["pod/web created"]
    );
}

#[test]
fn check_reports_what_a_build_reports() {
    let site = fixture("code-blocks");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(
        fixtures.join("code-blocks/broken.md"),
        site.path().join("content/docs/broken.md"),
    )
    .expect("copy broken.md");
    let options = Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let checked = pipeline::check(&options).expect("check runs");
    let built = match pipeline::generate(&options) {
        Err(Failure::Invalid(d)) => d,
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a site with errors was generated"),
    };
    assert_eq!(checked, built, "check and build disagree");
    let found: Vec<(String, usize, String)> = checked
        .iter()
        .map(|d| (d.file.clone(), d.line, d.code.to_string()))
        .collect();
    let broken = "content/docs/broken.md".to_string();
    assert_eq!(
        found,
        [
            (broken.clone(), 6, "broken-anchor".to_string()),
            (broken.clone(), 6, "broken-link".to_string()),
            (broken.clone(), 13, "broken-link".to_string()),
            (broken.clone(), 18, "diagram".to_string()),
        ],
        "{}",
        opsbook::diagnostics::render(&checked, opsbook::diagnostics::Format::Human, false)
    );
    // The command line says the same.
    let (code, json) = common::check_json(site.path());
    assert_eq!(code, 1);
    assert_eq!(json.as_array().map(Vec::len), Some(checked.len()));
}
