//! `check` on what a body's Markdown does that its writer most likely did not mean: each
//! mistake a contributor made by hand in a copy of the site, planted in a small site, must be
//! reported at its line with a hint, and the built page must show what the warning says.

mod common;

use common::{Problem, check_json, problems};

/// A tool page titled "Probe" with `body`, checked: (exit code, its problems).
fn check_body(body: &str) -> (i32, Vec<Problem>) {
    let site = common::fixture_with(
        "serve",
        &[(
            "tools/probe.md",
            format!("+++\ntitle = \"Probe\"\n+++\n{body}"),
        )],
    );
    let (code, diags) = check_json(site.path());
    (code, problems(&diags, "content/tools/probe.md"))
}

/// The single problem `body` has: (code, line, column), message and help.
fn one(body: &str) -> ((String, u64, u64), String, String) {
    let (code, found) = check_body(body);
    assert_eq!(found.len(), 1, "{body:?}: {found:#?}");
    let (c, line, col, message, help) = found.into_iter().next().expect("one");
    let warning = c != "broken-link" || message.contains("are removed");
    assert_eq!(code, i32::from(!warning), "{body:?}: exit code");
    ((c, line, col), message, help)
}

#[test]
fn an_unclosed_comment_or_details_hides_the_rest_of_the_page() {
    // A comment never closed takes the rest of the page off it: an error.
    let (code, found) = check_body(
        "Intro.\n\n<!-- reviewer: check the numbers\n## Results\n\nWe rotated 300 nodes.\n",
    );
    assert_eq!(code, 1, "{found:#?}");
    let [(c, line, col, message, help)] = found.as_slice() else {
        panic!("one problem: {found:#?}");
    };
    assert_eq!((c.as_str(), *line, *col), ("unclosed-html", 6, 1));
    assert!(message.contains("hidden"), "{message}");
    assert_eq!(help, "end it with `-->`");

    // A `<details>` never closed folds the rest away, one click from the reader: a warning.

    let (at, message, help) =
        one("Intro.\n\n<details>\n<summary>Logs</summary>\n\n## Lessons\n\nMore text.\n");
    assert_eq!(at, ("unclosed-html".into(), 6, 1));
    assert!(message.contains("folded away"), "{message}");
    assert_eq!(help, "end it with `</details>`");

    // Closed ones are fine, on one line or several.
    let (_, found) = check_body(
        "<!-- a note -->\n\n<!--\nlonger\n-->\n\n<details><summary>x</summary>\n\nText.\n\n</details>\n",
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_table_that_is_not_one_or_drops_cells_is_a_warning_at_its_row() {
    let (at, message, help) = one("| Step | Time | Result |\n|---|---|\n| drain | 5m | ok |\n");
    assert_eq!(at, ("table".into(), 4, 1));
    assert!(
        message.contains("3 columns") && message.contains("has 2"),
        "{message}"
    );
    assert!(help.contains("`|---|---|---|`"), "{help}");

    let (at, message, _) =
        one("| Step | Time |\n|---|---|\n| drain | 5m | failed twice, see logs |\n");
    assert_eq!(at, ("table".into(), 6, 1));
    assert!(
        message.contains("3 cells") && message.contains("2 columns"),
        "{message}"
    );

    // Fewer cells, escaped pipes, and pipes in prose are fine.
    let (_, found) =
        check_body("| a | b |\n|---|---|\n| 1 |\n| x \\| y | z |\n\nUse `a | b` in a shell.\n");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn links_and_images_a_reader_cannot_use_are_reported() {
    // Going nowhere by mistake is an error: the link is broken…
    let (at, message, help) = one("See [the runbook]() first.\n");
    assert_eq!(at, ("broken-link".into(), 4, 5));
    assert!(message.contains("no destination"), "{message}");
    assert!(help.contains("between the parentheses"), "{help}");
    let (at, message, help) = one("Read [the docs](htps://kubernetes.io/docs/).\n");
    assert_eq!(at.0, "broken-link");
    assert!(message.contains("`htps:`"), "{message}");
    assert_eq!(help, "did you mean `https://kubernetes.io/docs/`?");
    // A scheme of its own is no misspelling of http.
    let (at, message, _) = one("The [peer](tcp://10.0.0.1:2380) port.\n");
    assert_eq!(at.0, "broken-link");
    assert!(message.contains("`tcp:` scheme are removed"), "{message}");
    // …and a scheme the site removes on purpose a warning that says so.
    let (at, message, _) = one("Click [here](javascript:alert(1)).\n");
    assert_eq!(at.0, "broken-link");
    assert!(message.contains("`javascript:`"), "{message}");

    // Nothing to click or read: warnings.
    let (at, _, help) = one("[](../tools/kubeadm.md) is the installer.\n");
    assert_eq!(at, ("link-text".into(), 4, 1));
    assert!(help.contains("between the brackets"), "{help}");
    let (at, _, _) = one("![](https://example.org/diagram.png)\n");
    assert_eq!(at, ("alt-text".into(), 4, 1));
    // An image inside a link with text is described by the link; a link holding only an
    // image without a description has nothing to read.
    let (_, found) = check_body("[![](https://example.org/b.svg) etcd docs](https://etcd.io/)\n");
    assert!(found.is_empty(), "{found:#?}");
    let (at, _, _) = one("[![](https://example.org/b.svg)](https://etcd.io/)\n");
    assert_eq!(at, ("link-text".into(), 4, 1));
}

#[test]
fn raw_html_the_sanitizer_removes_is_named() {
    let (at, message, help) =
        one("Intro.\n\n<iframe src=\"https://grafana.example.org/d/x\"></iframe>\n");
    assert_eq!(at, ("removed-html".into(), 6, 1));
    assert!(message.contains("`<iframe>`"), "{message}");
    assert!(help.contains("link to what you meant to embed"), "{help}");
    let (at, message, _) = one("<p style=\"color:red\">Careful.</p>\n");
    assert_eq!(at, ("removed-html".into(), 4, 1));
    assert!(message.contains("`style`"), "{message}");
    let (found_code, found) = check_body("Text <script>alert(1)</script> here.\n");
    assert_eq!(found_code, 0);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].3.contains("`<script>`"), "{found:#?}");

    // A placeholder in prose is named with a hint to show it as written; a comment's
    // content and attribute values are not read as tags or attributes.
    let (at, message, help) = one("Run `kubectl` with <cluster-name> set.\n");
    assert_eq!(at.0, "removed-html");
    assert!(message.contains("`<cluster-name>`"), "{message}");
    assert!(help.contains("backticks"), "{help}");
    let (_, found) = check_body(
        "<!-- <details> draft\n<iframe src=x></iframe> -->\n\nText <abbr title=\"Only one=two\">x</abbr>.\n",
    );
    assert!(found.is_empty(), "{found:#?}");
    // What the sanitizer keeps is not reported.
    let (_, found) = check_body(
        "<div class=\"note\"><kbd>Ctrl</kbd> and <abbr title=\"x\">y</abbr></div>\n\n| a |\n|:-:|\n| b |\n",
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_placeholder_or_a_repeated_title_is_a_warning() {
    let (at, message, _) = one("Intro.\n\nTODO: add the numbers from the dashboard.\n");
    assert_eq!(at, ("placeholder".into(), 6, 1));
    assert!(message.contains("`TODO:`"), "{message}");
    let (at, _, _) = one("- FIXME: the second step\n- the third\n");
    assert_eq!(at, ("placeholder".into(), 4, 3));
    // A word in prose, or in code (also a code block opening a list item), is not a
    // placeholder.
    let (_, found) = check_body("1. ```\n   XXX: shown as code\n   ```\n");
    assert!(found.is_empty(), "{found:#?}");
    let (_, found) =
        check_body("Todo lists help.\n\n```\nTODO: in code\n```\n\nSee `TODO:` markers.\n");
    assert!(found.is_empty(), "{found:#?}");

    let (at, message, help) = one("# Probe\n\nIntro.\n");
    assert_eq!(at, ("title-heading".into(), 4, 1));
    assert!(message.contains("repeats the page's title"), "{message}");
    assert!(help.contains("`##`"), "{help}");
    let (_, found) = check_body("# Another heading\n\nIntro.\n");
    assert!(found.is_empty(), "{found:#?}");
}

/// `<team@example.org>` is an e-mail link (CommonMark's autolink), published with `mailto:`;
/// an address written as a link destination without it gets the `mailto:` to write.
#[test]
fn an_email_autolink_is_a_link_and_a_bare_address_gets_its_mailto() {
    let (code, found) = check_body("Questions to <platform-team@example.org>.\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
    let site = common::fixture_with(
        "serve",
        &[(
            "tools/probe.md",
            "+++\ntitle = \"Probe\"\n+++\nQuestions to <platform-team@example.org>.\n",
        )],
    );
    let out = common::build_site(site.path(), false, None);
    let page = common::Page::load(&out, "tools/probe/index.html");
    assert_eq!(
        page.attrs("main a[href^='mailto:']", "href"),
        ["mailto:platform-team@example.org"]
    );

    let (at, message, help) = one("Ask [Dana](dana@example.com).\n");
    assert_eq!(at, ("broken-link".into(), 4, 5));
    assert!(message.contains("dana@example.com"), "{message}");
    assert_eq!(
        help,
        "an e-mail address needs `mailto:`: write `mailto:dana@example.com`"
    );
}

/// A header that cannot be read does not hide the body's problems: one run of `check` reports
/// the duplicate key and the broken link, each at its line; the page is not published.
#[test]
fn a_broken_header_does_not_hide_the_bodys_problems() {
    let site = common::fixture_with(
        "serve",
        &[(
            "tools/probe.md",
            "+++\ntitle = \"Probe\"\ntitle = \"Again\"\n+++\nSee [kubeadm](kubeadn.md).\n",
        )],
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 1);
    let found = problems(&diags, "content/tools/probe.md");
    let at: Vec<(&str, u64)> = found
        .iter()
        .map(|(code, line, _, _, _)| (code.as_str(), *line))
        .collect();
    assert_eq!(at, [("syntax", 3), ("broken-link", 5)], "{found:#?}");
}

/// `[text][label]` with no `[label]: …` line is published as brackets and text: a warning at
/// the link. A bare `[label]` in prose is just brackets, and a defined label is a link.
#[test]
fn a_reference_link_without_its_definition_is_named() {
    let (at, message, help) = one("Read the [kured docs][kured-docs] first.\n");
    assert_eq!(at, ("reference".into(), 4, 10));
    assert!(message.contains("`[kured-docs]: …`"), "{message}");
    assert!(help.contains("[kured-docs]: https://"), "{help}");
    let (code, found) =
        check_body("Status [WIP], see [the docs][d] and [d][].\n\n[d]: https://kured.dev/docs/\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// `[back to top](#)` and `(#top)` go to the top of the page, as browsers do: no heading is
/// looked for. `(#nowhere)` still is.
#[test]
fn a_link_to_the_top_of_the_page_is_not_a_missing_heading() {
    let (code, found) = check_body("Intro.\n\n[Back to top](#) or [top](#top).\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
    let (code, found) = check_body("Intro.\n\n[See below](#nowhere).\n");
    assert_eq!(code, 1);
    assert_eq!(
        found
            .iter()
            .map(|p| (p.0.as_str(), p.1))
            .collect::<Vec<_>>(),
        [("broken-anchor", 6)]
    );
}

/// `[^src]` with no `[^src]: …` definition is published as brackets and text: a warning at the
/// reference, naming the footnotes the page does define. Code, an escaped `\[^x]` and a
/// defined footnote are not warned about.
#[test]
fn a_footnote_without_its_definition_is_named() {
    let (at, message, help) =
        one("Measured twice[^1] and once more[^src].\n\n[^1]: On three clusters.\n");
    assert_eq!(at, ("reference".into(), 4, 33));
    assert!(message.contains("`[^src]: …`"), "{message}");
    assert!(
        help.contains("`[^1]`") && help.contains("[^src]: …"),
        "{help}"
    );
    let (code, found) = check_body(
        "Noted[^n], regex `[^a-z]`, escaped \\[^x].\n\n```\ngrep '[^ab]' f\n```\n\n[^n]: Yes.\n",
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// A quote starting `[!WARN]` (not a kind) or `[!NOTE] text` (text on the marker's line) is
/// shown as a plain quote with the marker in it: a warning at the marker with the kind meant.
#[test]
fn a_callout_that_is_not_one_is_named_with_the_kind_meant() {
    let (at, message, help) = one("Intro.\n\n> [!WARN]\n> Drain first.\n");
    assert_eq!(at, ("callout".into(), 6, 3));
    assert!(message.contains("not a callout kind"), "{message}");
    assert!(help.starts_with("write `[!WARNING]`"), "{help}");

    let (at, message, help) = one("Intro.\n\n> [!NOTE] Drain first.\n");
    assert_eq!(at, ("callout".into(), 6, 3));
    assert!(message.contains("not alone on its line"), "{message}");
    assert!(help.contains("next line"), "{help}");

    // Real callouts, in any case, and quotes that only contain brackets, are fine.
    let (code, found) =
        check_body("> [!note]\n> Fine.\n\n> [!CAUTION]\n> Fine.\n\n> [see below] quoted.\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// A custom `{#id}` an earlier heading has already taken is renamed on the page, so links to
/// it go to the earlier heading: a warning at the second heading.
#[test]
fn a_custom_heading_id_used_twice_is_named() {
    let (at, message, help) =
        one("## Install {#setup}\n\nText.\n\n## Configure {#setup}\n\nMore.\n");
    assert_eq!(at, ("duplicate-id".into(), 8, 1));
    assert!(
        message.contains("`setup`") && message.contains("`setup-1`"),
        "{message}"
    );
    assert!(help.contains("{#setup}"), "{help}");
    // Headings with the same text get `-1`, as GitHub gives them: no warning.
    let (code, found) = check_body("## Steps\n\nA.\n\n## Steps\n\nB.\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// A bare web address in prose is a link, as on GitHub and in Hugo (not in code, not inside a
/// link), and a command-line flag keeps its two hyphens under smart punctuation, where `--`
/// between words is still a dash.
#[test]
fn bare_addresses_are_links_and_flags_keep_their_hyphens() {
    let site = common::fixture_with(
        "serve",
        &[(
            "tools/probe.md",
            "+++\ntitle = \"Probe\"\n+++\nJoin with --control-plane, pages 10--20, wait -- then go.\n\nSee https://etcd.io/docs/v3.5/op-guide/recovery/. Or www.example.org, or [the docs](https://kured.dev/docs/).\n\n`https://code.example/x` and:\n\n```\ncurl https://example.com/x\n```\n",
        )],
    );
    let (code, diags) = check_json(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    let out = common::build_site(site.path(), false, None);
    let page = common::Page::load(&out, "tools/probe/index.html");
    let first = page.text("main p:first-of-type");
    assert!(first.contains("--control-plane"), "{first}");
    assert!(
        first.contains("10–20") && first.contains("wait – then"),
        "{first}"
    );
    assert_eq!(
        page.attrs("main a[href^='https://']", "href"),
        [
            "https://etcd.io/docs/v3.5/op-guide/recovery/",
            "https://www.example.org",
            "https://kured.dev/docs/"
        ]
    );
    assert!(page.all("main code a, main pre a").is_empty());
}

/// Links and headings that are not: `[etcd] (…)`, a space in an address, an unclosed title,
/// `##Lessons`. Each is published as text; each is a warning at its place with the fix.
#[test]
fn links_and_headings_that_are_text_are_named() {
    let (at, message, help) = one("See [etcd] (../tools/kubeadm.md) first.\n");
    assert_eq!(at, ("link-syntax".into(), 4, 5));
    assert!(message.contains("space between `]` and `(`"), "{message}");
    assert!(help.starts_with("remove the space"), "{help}");
    let (at, _, help) = one("See [cm](../tools/cert manager.md).\n");
    assert_eq!(at, ("link-syntax".into(), 4, 5));
    assert!(help.contains("%20"), "{help}");
    let (at, message, _) = one("See [v](../tools/kubeadm.md \"Kubeadm).\n");
    assert_eq!(at, ("link-syntax".into(), 4, 5));
    assert!(message.contains("title is never closed"), "{message}");
    let (at, _, help) = one("Intro.\n\n##Lessons learned\n");
    assert_eq!(at, ("heading".into(), 6, 1));
    assert_eq!(help, "write `## Lessons learned`");
    // Brackets in prose, `#1`, and a real link are fine.
    let (code, found) =
        check_body("Status [sic] (sic), #1 priority, [kubeadm](../tools/kubeadm.md).\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// Markup from other generators (`:::warning`, Hugo shortcodes) and a raw `<img>` without
/// `alt` are warnings.
#[test]
fn other_generators_markup_and_a_raw_image_without_alt_are_named() {
    let (at, _, help) = one(":::warning\nCareful.\n:::\n");
    assert_eq!(at, ("unsupported".into(), 4, 1));
    assert!(help.contains("[!WARNING]"), "{help}");
    let (at, message, _) = one("Intro {{< note >}}hi{{< /note >}}.\n");
    assert_eq!(at, ("unsupported".into(), 4, 7));
    assert!(message.contains("Hugo shortcodes"), "{message}");
    let (code, found) = check_body("<img src=\"https://example.org/a.png\">\n");
    assert_eq!(code, 0);
    assert_eq!(
        found
            .iter()
            .map(|p| (p.0.as_str(), p.1))
            .collect::<Vec<_>>(),
        [("alt-text", 4)],
        "{found:#?}"
    );
}

/// A code block that swallows the next one's opening line, and a shell block mixing prompts
/// with output, are warnings; a `console` block and a four-backtick block showing a fence
/// are fine.
#[test]
fn code_blocks_that_swallow_prose_or_mix_prompts_are_named() {
    let (at, message, _) = one("```bash\nls\n\nProse.\n\n```yaml\na: b\n```\n");
    assert_eq!(at, ("code-block".into(), 9, 1));
    assert!(message.contains("never closed"), "{message}");
    let (at, _, help) = one("```sh\n$ kubectl get nodes\nNAME STATUS\n```\n");
    assert_eq!(at, ("code-block".into(), 4, 1));
    assert!(help.contains("console"), "{help}");
    let (code, found) = check_body(
        "```console\n$ kubectl get nodes\nNAME STATUS\n```\n\n````markdown\n```yaml\na: b\n```\n````\n\n```sh\n$ ls\n$ pwd\n```\n",
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// An e-mail address in prose, in a `mailto:` link or in a front-matter value is a warning
/// where it is written; an example address (example.com) and code are not.
#[test]
fn an_e_mail_address_is_named_where_it_is_written() {
    let (at, message, help) = one("Ask dana.k@gmail.com for access.\n");
    assert_eq!(at, ("personal-data".into(), 4, 5));
    assert!(message.contains("`dana.k@gmail.com`"), "{message}");
    assert!(help.contains("name or handle"), "{help}");

    let (at, _, _) = one("Ask [Dana](mailto:dana.k@gmail.com).\n");
    assert_eq!(at, ("personal-data".into(), 4, 19));

    let (code, found) = check_body(
        "Write to ops@example.com.\n\n```sh\ngit clone git@github.com:org/repo.git\n```\n",
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");

    let site = common::fixture_with(
        "serve",
        &[(
            "tools/probe.md",
            "+++\ntitle = \"Probe, by ravi@corp.io\"\n+++\nBody.\n".to_string(),
        )],
    );
    let (_, diags) = check_json(site.path());
    let found = problems(&diags, "content/tools/probe.md");
    let codes: Vec<(&str, u64)> = found.iter().map(|p| (p.0.as_str(), p.1)).collect();
    assert_eq!(codes, [("personal-data", 2)], "{found:#?}");
}

/// An image written with a space in its file name or an editor's size, and a wiki link: each
/// shown as text with brackets, each named where it is.
#[test]
fn image_lookalikes_and_wiki_links_are_named() {
    let (at, message, help) = one("Before.\n\n![Reboots](kured reboots.png)\n");
    assert_eq!(at, ("link-syntax".into(), 6, 1));
    assert!(message.contains("space"), "{message}");
    assert!(help.contains("%20"), "{help}");

    let (at, message, help) = one("![Reboots per hour](kured-reboots.png =600x)\n");
    assert_eq!(at, ("link-syntax".into(), 4, 1));
    assert!(message.starts_with("`=600x` is not Markdown"), "{message}");
    assert_eq!(
        help,
        "remove the size: `(kured-reboots.png)`; images are scaled to the page's width"
    );

    let (at, message, help) = one("We used [[Kured]] for reboots.\n");
    assert_eq!(at, ("link-syntax".into(), 4, 9));
    assert!(message.contains("`[[Kured]]`"), "{message}");
    assert!(help.contains("[Kured](../tools/kured.md)"), "{help}");

    // `[[page|words]]`: the page is the link's address, the words its text.
    let (_, message, help) = one("We used [[Kured|the reboot daemon]] for reboots.\n");
    assert!(
        message.contains("`[[Kured|the reboot daemon]]`"),
        "{message}"
    );
    assert!(
        help.ends_with("`[the reboot daemon](../tools/kured.md)`"),
        "{help}"
    );

    // TOML's array tables in code are code, not links.
    let (code, found) = check_body("Add a `[[release]]` table.\n\n```toml\n[[release]]\n```\n");
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// A paragraph indented four spaces is a code block: a link in it is shown as written and
/// never checked. Named at the link when the block reads as prose; indented code, even code
/// holding brackets and parentheses, is not.
#[test]
fn an_indented_paragraph_with_a_link_is_named_as_code() {
    let (at, message, help) =
        one("Intro.\n\n    We upgraded with [kubeadm](../tools/kubeadm.md) and it went fine.\n");
    assert_eq!(at, ("code-block".into(), 6, 22));
    assert!(
        message.contains("shown as code") && message.contains("[kubeadm](../tools/kubeadm.md)"),
        "{message}"
    );
    assert!(help.starts_with("remove the indent"), "{help}");

    let (code, found) = check_body(
        "Intro.\n\n    kubectl get nodes -o wide\n    kubectl drain node-1\n\nMore.\n\n    echo \"[docs](https://kubernetes.io/docs/)\" > README.md\n    items[0](../x.md)\n",
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// Markdown right under an HTML tag, with no blank line between, is part of the HTML block:
/// its link is shown as written. Named at the link, with the tag to put a blank line after.
#[test]
fn a_link_inside_an_html_block_is_named_at_its_line() {
    let (at, message, help) = one(
        "Intro.\n\n<details>\n<summary>Logs</summary>\nSee [the runbook](../tools/kubeadm.md).\n\n</details>\n",
    );
    assert_eq!(at, ("link-syntax".into(), 8, 5));
    assert!(message.contains("Markdown is not read"), "{message}");
    assert!(help.contains("blank line after `<details>`"), "{help}");

    // A blank line after the tag, a link inside a comment or a `<pre>`, or a raw `<a>`: fine.
    let (code, found) = check_body(
        "<details>\n<summary>Logs</summary>\n\nSee [the runbook](../tools/kubeadm.md).\n\n</details>\n\n<!--\n[old](../tools/kubeadm.md)\n-->\n\n<pre>\n[a](../tools/kubeadm.md)\n</pre>\n\n<div>\n<a href=\"../tools/kubeadm.md\">kubeadm</a>\n</div>\n",
    );
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");
}

/// `..\tools\kubeadm.md` works on the site, which reads backslashes as slashes, but not on
/// the code host: a warning with the link written with forward slashes.
#[test]
fn a_link_written_with_backslashes_gets_its_forward_slashes() {
    let (at, message, help) = one("See [kubeadm](..\\tools\\kubeadm.md) first.\n");
    assert_eq!(at, ("link-syntax".into(), 4, 5));
    assert!(message.contains("backslashes"), "{message}");
    assert_eq!(help, "write it with forward slashes: `../tools/kubeadm.md`");
    // An image too (this one is missing as well: a broken link besides).
    let (_, found) = check_body("![Diagram](.\\kubeadm.png)\n");
    let slashes = found.iter().find(|p| p.0 == "link-syntax");
    assert!(
        slashes.is_some_and(|p| p.4.contains("`./kubeadm.png`")),
        "{found:#?}"
    );
}
