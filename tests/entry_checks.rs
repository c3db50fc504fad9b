//! `opsbook check` on the mistakes a tester planted in single entries of a copy of the site:
//! a survey row with an unquoted comma, a list written as one string, a malformed or local
//! URL, a value listed twice, an empty list item, a date after the day of the build, Markdown
//! in a plain-text summary and a hidden file. Each is reported with its code, severity,
//! position and a hint that mends it; plus `new`'s refusal of slugs that are no file name.

mod common;

use std::path::Path;

use common::{build_site, fixture, fixture_with, opsbook};
use serde_json::Value;

/// 2026-12-01T00:00:00Z: the day of the build of every check here (`SOURCE_DATE_EPOCH`), so
/// no test depends on the clock.
const DAY: &str = "1796083200";

/// One diagnostic of `check --format json`.
#[derive(Debug, Clone, PartialEq)]
struct Diag {
    file: String,
    line: u64,
    column: u64,
    severity: String,
    code: String,
    message: String,
    help: String,
}

/// Runs `check --format json` on the day [`DAY`]: the exit code and every diagnostic.
fn check(root: &Path) -> (i32, Vec<Diag>) {
    check_on(root, DAY)
}

fn check_on(root: &Path, epoch: &str) -> (i32, Vec<Diag>) {
    let out = opsbook(root)
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["check", "--format", "json"])
        .output()
        .expect("run opsbook check");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not only JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let text = |d: &Value, k: &str| d[k].as_str().unwrap_or("").to_string();
    let diags = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|d| Diag {
            file: text(d, "file"),
            line: d["line"].as_u64().unwrap_or(0),
            column: d["column"].as_u64().unwrap_or(0),
            severity: text(d, "severity"),
            code: text(d, "code"),
            message: text(d, "message"),
            help: text(d, "help"),
        })
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

/// The diagnostics of `file`, in the contract's order.
fn of(diags: &[Diag], file: &str) -> Vec<Diag> {
    diags.iter().filter(|d| d.file == file).cloned().collect()
}

/// Line and 1-based column (in characters) of the first `needle` in `text`.
fn at(text: &str, needle: &str) -> (u64, u64) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

/// The shipped note's front matter with `extra` lines in place of those it replaces: each
/// `(key, line)` replaces the line starting with `key =`, or is added before the closing
/// `+++` when there is none.
fn note(changes: &[(&str, &str)]) -> String {
    // Each note its own title: two with one title in a folder are a warning of their own.
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let base = format!(
        "+++\ntitle = \"A note, {n}\"\ndate = 2026-03-14\nsummary = \"We upgraded.\"\nauthors = [\"Sam (ops)\"]\ntools = [\"kubeadm\"]\nkubernetes = \"1.33\"\noutcome = \"success\"\n+++\nBody.\n"
    );
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for (key, line) in changes {
        let prefix = format!("{key} =");
        match lines.iter().position(|l| l.starts_with(&prefix)) {
            Some(i) => lines[i] = line.to_string(),
            None => {
                let close = lines.iter().rposition(|l| l == "+++").expect("closing +++");
                lines.insert(close, line.to_string());
            }
        }
    }
    lines.join("\n") + "\n"
}

/// The fixture with `files` (path under content/, text) added.
fn site_with(files: &[(String, String)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    fixture_with("entry-checks", &files)
}

#[test]
fn the_fixture_is_clean() {
    let site = fixture("entry-checks");
    let (code, diags) = check(site.path());
    assert_eq!((code, diags), (0, vec![]));
}

// 1. Survey CSV rows -------------------------------------------------------------------------

#[test]
fn every_bad_survey_row_is_an_error_at_its_line_of_the_csv_file() {
    let csv = "question,answer,count\n\
               How do you provision clusters?,kubeadm,71\n\
               How do you provision clusters?,K3s or RKE2,1,234\n\
               How do you provision clusters?,Managed, hosted,64\n\
               How do you provision clusters?,Cluster API,many\n\
               How do you provision clusters?,Other,\"2,500\"\n";
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", csv)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    // Nothing at the entry's `data` line: each problem is where it is, in the CSV file.
    assert_eq!(of(&diags, "content/surveys/2026.md"), vec![]);
    let found = of(&diags, "content/surveys/2026.csv");
    let got: Vec<(u64, u64, &str, &str)> = found
        .iter()
        .map(|d| (d.line, d.column, d.code.as_str(), d.severity.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, 44, "chart", "error"),
            (4, 1, "chart", "error"),
            (5, 44, "chart", "error"),
            (6, 38, "chart", "error"),
        ],
        "{found:#?}"
    );
    // The thousands separator: the count would have been 1.
    assert!(found[0].message.contains("4 fields"), "{:?}", found[0]);
    assert!(found[0].message.contains("the header has 3"));
    assert!(found[0].message.contains("`1`"));
    assert_eq!(
        found[0].help,
        "write the count without the thousands separator: `1234` (or quote the field that holds a comma)"
    );
    // A comma inside an answer: quote it.
    assert!(found[1].help.contains("double quotes"), "{:?}", found[1]);
    assert!(found[2].message.contains("`many` is not a whole number"));
    // A quoted count with a separator.
    assert_eq!(
        found[3].help,
        "write the count without the thousands separator: `2500`"
    );

    // Saved with CRLF line ends (as spreadsheets export) and a blank line after the first
    // row: the same rows, each at its own line.
    let crlf = csv
        .replacen("kubeadm,71\n", "kubeadm,71\n\n", 1)
        .replace('\n', "\r\n");
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", crlf.as_str())]);
    let (_, diags) = check(site.path());
    let lines: Vec<(u64, u64)> = of(&diags, "content/surveys/2026.csv")
        .iter()
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(lines, [(4, 44), (5, 1), (6, 44), (7, 38)], "{diags:#?}");
}

#[test]
fn a_survey_file_not_in_utf8_names_the_line_and_character_of_the_first_bad_byte() {
    // Exported from a spreadsheet in Latin-1: `é` is the one byte 0xE9.
    let latin1: &[u8] = b"question,answer,count\n\
        How do you provision clusters?,kubeadm,71\n\
        Where do your clusters run?,Montr\xe9al data centre,12\n\
        Where do your clusters run?,Z\xfcrich,3\n";
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", latin1)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    // Said once, in the CSV file (a file-level problem: at 1:1, the place in the message).
    assert_eq!(of(&diags, "content/surveys/2026.md"), vec![]);
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{diags:#?}");
    let d = &found[0];
    assert_eq!(
        (d.line, d.column, d.severity.as_str(), d.code.as_str()),
        (1, 1, "error", "encoding")
    );
    assert_eq!(
        d.message,
        "this file is not valid UTF-8: line 3, character 34 (byte 0xE9, `\u{e9}` in Latin-1) is not a UTF-8 character"
    );
    assert_eq!(
        d.help,
        "it looks like Latin-1 or Windows-1252 text: save the file as UTF-8 (a spreadsheet's \"CSV UTF-8\" export, or an editor's \"Save with encoding\")"
    );

    // Saved as UTF-16 (with its byte order mark): said as such.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "question,answer,count\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", utf16)]);
    let (_, diags) = check(site.path());
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(found[0].message, "this file is UTF-16 text, not UTF-8");
}

#[test]
fn a_survey_file_that_is_not_a_survey_is_an_error_at_its_header_row() {
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", "q,a,n\nx,y,1\n")]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    assert_eq!(of(&diags, "content/surveys/2026.md").len(), 0, "{diags:#?}");
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!((found[0].code.as_str(), found[0].line), ("chart", 1));
    assert!(found[0].message.contains("no `question` column"));
}

#[test]
fn a_survey_file_named_in_another_case_gets_the_file_that_is_there() {
    let site = fixture("entry-checks");
    let md = site.path().join("content/surveys/2026.md");
    let text = std::fs::read_to_string(&md).expect("read");
    std::fs::write(
        &md,
        text.replace("data = \"2026.csv\"", "data = \"2026.CSV\""),
    )
    .expect("write");
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    let found = of(&diags, "content/surveys/2026.md");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(
        found[0].help,
        "did you mean `2026.csv`? File names are case-sensitive on the web server"
    );
}

#[test]
fn a_windows_path_read_as_escapes_is_named_without_a_line_break() {
    let site = fixture("entry-checks");
    let md = site.path().join("content/surveys/2026.md");
    let text = std::fs::read_to_string(&md).expect("read");
    std::fs::write(
        &md,
        text.replace("data = \"2026.csv\"", "data = \"D:\\new\\backup.csv\""),
    )
    .expect("write");
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    let found = of(&diags, "content/surveys/2026.md");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert!(!found[0].message.contains('\n'), "{:?}", found[0].message);
    assert!(found[0].message.contains("D:\\n"), "{:?}", found[0].message);
    assert!(found[0].help.contains("backslash"), "{:?}", found[0].help);
}

// 2. A list written as one string --------------------------------------------------------

#[test]
fn a_list_written_in_quotes_loses_its_brackets_and_quotes_in_the_hint() {
    let yaml = "---\ntitle: Y\nsummary: We upgraded.\nauthors: \"[Lee, Ana]\"\ntools: [kubeadm]\nkubernetes: \"1.33\"\noutcome: success\n---\nBody.\n";
    let site = fixture_with(
        "entry-checks",
        &[
            (
                "notes/toml.md",
                note(&[("authors", "authors = \"['Lee', 'Ana']\"")]),
            ),
            ("notes/yaml.md", yaml.to_string()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    for (file, help) in [
        (
            "content/notes/toml.md",
            "write each value as its own item: `authors = [\"Lee\", \"Ana\"]`",
        ),
        (
            "content/notes/yaml.md",
            "write each value as its own item: `authors: [\"Lee\", \"Ana\"]`",
        ),
    ] {
        let found = of(&diags, file);
        assert_eq!(found.len(), 1, "{file}: {found:#?}");
        assert_eq!(found[0].help, help, "{file}");
    }
}

#[test]
fn a_list_written_as_one_string_gets_a_hint_that_splits_it() {
    let yaml = "---\ntitle: Y\nsummary: We upgraded.\nauthors: [Sam]\ntools: kubeadm, etcd\nkubernetes: \"1.33\"\noutcome: success\n---\nBody.\n";
    let site = fixture_with(
        "entry-checks",
        &[
            (
                "notes/toml.md",
                note(&[("tools", "tools = \"kubeadm, etcd\"")]),
            ),
            ("notes/yaml.md", yaml.to_string()),
            ("notes/one.md", note(&[("tools", "tools = \"kubeadm\"")])),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    for (file, line, column, help) in [
        (
            "content/notes/toml.md",
            6,
            9,
            "write each value as its own item: `tools = [\"kubeadm\", \"etcd\"]`",
        ),
        (
            "content/notes/yaml.md",
            5,
            8,
            "write each value as its own item: `tools: [\"kubeadm\", \"etcd\"]`",
        ),
        (
            "content/notes/one.md",
            6,
            9,
            "write a list, even of one: `tools = [\"kubeadm\"]`",
        ),
    ] {
        let found = of(&diags, file);
        assert_eq!(found.len(), 1, "{file}: {found:#?}");
        let d = &found[0];
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("type", "error", line, column),
            "{file}"
        );
        assert_eq!(d.help, help, "{file}");
    }
    // Following the hint mends it.
    std::fs::write(
        site.path().join("content/notes/toml.md"),
        note(&[("tools", "tools = [\"kubeadm\", \"etcd\"]")]),
    )
    .expect("write");
    let (_, diags) = check(site.path());
    assert_eq!(of(&diags, "content/notes/toml.md"), vec![]);
}

// 3. URLs --------------------------------------------------------------------------------

fn tool(lines: &str) -> String {
    // Each tool its own title: two with one title in a folder are a warning of their own.
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("+++\ntitle = \"A tool, {n}\"\nsummary = \"Does things.\"\n{lines}\n+++\nBody.\n")
}

/// A site with one tool `tools/t<i>.md` per front matter line, in order.
fn tools_site<'l>(lines: impl Iterator<Item = &'l str>) -> tempfile::TempDir {
    let files: Vec<(String, String)> = lines
        .enumerate()
        .map(|(i, line)| (format!("tools/t{i}.md"), tool(line)))
        .collect();
    site_with(&files)
}

#[test]
fn a_url_with_a_broken_scheme_gets_the_address_it_meant() {
    let cases = [
        (
            "repository = \"https//github.com/kubernetes/kubeadm\"",
            "write `https://github.com/kubernetes/kubeadm`",
        ),
        (
            "repository = \"http:/example.org/docs/\"",
            "write `http://example.org/docs/`",
        ),
        (
            "repository = \"https:github.com/kubernetes\"",
            "write `https://github.com/kubernetes`",
        ),
        (
            "homepage = \"javascript:alert(1)\"",
            "a web address starts with https://: give the address of the page (a `javascript:` address is not one)",
        ),
        (
            "homepage = \"data:text/html,hi\"",
            "a web address starts with https://: give the address of the page (a `data:` address is not one)",
        ),
        (
            "homepage = \"file:///home/me/index.html\"",
            "a web address starts with https://: give the address of the page (a `file:` address is not one)",
        ),
        // Still as before: a host without its scheme.
        (
            "homepage = \"kubernetes.io/docs/\"",
            "write it with its scheme: `https://kubernetes.io/docs/`",
        ),
    ];
    let site = tools_site(cases.iter().map(|(line, _)| *line));
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    for (i, (line, help)) in cases.iter().enumerate() {
        let file = format!("content/tools/t{i}.md");
        let found = of(&diags, &file);
        assert_eq!(found.len(), 1, "{line}: {found:#?}");
        let d = &found[0];
        let (_, column) = at(line, "\"");
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("url", "error", 4, column),
            "{line}"
        );
        assert_eq!(d.help, *help, "{line}");
        assert!(!d.help.contains("https://https"), "{line}: {}", d.help);
    }
}

#[test]
fn a_local_address_in_a_url_field_is_a_warning() {
    let cases = [
        (
            "homepage = \"http://localhost:3000/docs/\"",
            "localhost:3000",
        ),
        ("homepage = \"http://127.0.0.1:8080/\"", "127.0.0.1:8080"),
        ("homepage = \"https://192.168.1.10/wiki/\"", "192.168.1.10"),
        (
            "homepage = \"https://gitlab.corp.internal/x\"",
            "gitlab.corp.internal",
        ),
    ];
    let site = tools_site(cases.iter().map(|(line, _)| *line));
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "warnings alone exit 0: {diags:#?}");
    for (i, (_, host)) in cases.iter().enumerate() {
        let found = of(&diags, &format!("content/tools/t{i}.md"));
        assert_eq!(found.len(), 1, "{host}: {found:#?}");
        let d = &found[0];
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("url", "warning", 4, 12)
        );
        assert_eq!(
            d.message,
            format!("`homepage` points at `{host}`: readers cannot reach a local address")
        );
        assert!(d.help.contains("readers can open"), "{}", d.help);
    }
}

#[test]
fn a_body_link_with_a_broken_scheme_or_written_as_a_url_gets_the_right_hint() {
    let body = "+++\ntitle = \"Links\"\ndate = 2026-03-14\nsummary = \"We upgraded.\"\nauthors = [\"Sam\"]\nkubernetes = \"1.33\"\noutcome = \"success\"\n+++\nSee [repo](https//github.com/x) and [etcd](../etcd-restore-after-disk-loss/) and [kubeadm](../kubeadm/).\n";
    let site = fixture_with("entry-checks", &[("notes/links.md", body)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    let found = of(&diags, "content/notes/links.md");
    let got: Vec<(u64, u64, &str, &str)> = found
        .iter()
        .map(|d| (d.line, d.column, d.code.as_str(), d.help.as_str()))
        .collect();
    let (line, repo) = at(body, "[repo]");
    let (_, etcd) = at(body, "[etcd]");
    let (_, kubeadm) = at(body, "[kubeadm]");
    assert_eq!(
        got,
        vec![
            (line, repo, "broken-link", "write `https://github.com/x`"),
            (
                line,
                etcd,
                "broken-link",
                "did you mean `etcd-restore-after-disk-loss.md`?"
            ),
            (
                line,
                kubeadm,
                "broken-link",
                "did you mean `../tools/kubeadm.md`?"
            ),
        ]
    );
}

// 4. and 5. Lists: a value twice, an empty item ------------------------------------------------

#[test]
fn a_value_listed_twice_is_a_warning_at_the_second() {
    let text = note(&[
        ("tools", "tools = [\"kubeadm\", \"etcd\", \"kubeadm\"]"),
        (
            "authors",
            "authors = [\"Sam (ops)\", \"Kim\", \"Sam (ops)\"]",
        ),
        ("providers", "providers = [\"bare-metal\", \"Bare metal\"]"),
        ("topics", "topics = [\"etcd\", \"upgrades\", \"etcd\"]"),
    ]);
    let site = fixture_with("entry-checks", &[("notes/twice.md", text.as_str())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "warnings alone exit 0: {diags:#?}");
    let found = of(&diags, "content/notes/twice.md");
    let second = |line: &str, value: &str| {
        let (l, _) = at(&text, line);
        let row = text.lines().nth(l as usize - 1).expect("line");
        let column = row.rfind(value).expect("value") + 1;
        (l, column as u64)
    };
    let want = vec![
        (
            second("authors =", "\"Sam (ops)\""),
            "`Sam (ops)` is listed twice in `authors`",
        ),
        (
            second("tools =", "\"kubeadm\""),
            "`kubeadm` is listed twice in `tools`",
        ),
        (
            second("providers =", "\"Bare metal\""),
            "`Bare metal` is listed twice in `providers` (first as `bare-metal`)",
        ),
        (
            second("topics =", "\"etcd\""),
            "`etcd` is listed twice in `topics`",
        ),
    ];
    assert_eq!(found.len(), want.len(), "{found:#?}");
    for (d, ((line, column), message)) in found.iter().zip(want) {
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("duplicate-item", "warning", line, column),
            "{d:?}"
        );
        assert_eq!(d.message, message);
        assert_eq!(d.help, "remove the second");
    }
    // The page names each once.
    let out = build_site(site.path(), false, None);
    let api: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("api/notes.json")).expect("api/notes.json"),
    )
    .expect("JSON");
    let entry = api
        .as_array()
        .or_else(|| api["entries"].as_array())
        .and_then(|a| {
            a.iter()
                .find(|e| e["url"].as_str().unwrap_or("").contains("/twice/"))
        })
        .unwrap_or_else(|| panic!("no twice entry in {api}"));
    let fields = if entry["fields"].is_object() {
        &entry["fields"]
    } else {
        entry
    };
    assert_eq!(fields["tools"], serde_json::json!(["kubeadm", "etcd"]));
    assert_eq!(fields["authors"], serde_json::json!(["Sam (ops)", "Kim"]));
}

#[test]
fn an_empty_item_in_a_list_is_an_error_at_the_item() {
    let text = note(&[
        ("authors", "authors = [\"Sam (ops)\", \"\"]"),
        ("tools", "tools = [\"kubeadm\", \" \"]"),
    ]);
    let site = fixture_with("entry-checks", &[("notes/empty.md", text.as_str())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    let found = of(&diags, "content/notes/empty.md");
    let (authors, _) = at(&text, "authors =");
    let (tools, _) = at(&text, "tools =");
    let got: Vec<(u64, u64, &str, &str, &str, &str)> = found
        .iter()
        .map(|d| {
            (
                d.line,
                d.column,
                d.code.as_str(),
                d.severity.as_str(),
                d.message.as_str(),
                d.help.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                authors,
                25,
                "empty-item",
                "error",
                "`authors` has an empty item",
                "remove it, with its comma"
            ),
            (
                tools,
                21,
                "empty-item",
                "error",
                "`tools` has an empty item",
                "remove it, with its comma"
            ),
        ]
    );
}

// 6. Dates -----------------------------------------------------------------------------------

#[test]
fn a_date_after_the_day_of_the_build_is_a_warning() {
    let text = note(&[("date", "date = 2027-11-30")]);
    let today = note(&[("date", "date = 2026-12-01")]);
    let agenda = note(&[("date", "date = 2026-12-21")]);
    let site = fixture_with(
        "entry-checks",
        &[
            ("notes/future.md", text.as_str()),
            ("notes/today.md", today.as_str()),
            ("notes/agenda.md", agenda.as_str()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "a warning: {diags:#?}");
    assert_eq!(of(&diags, "content/notes/today.md"), vec![]);
    assert_eq!(
        of(&diags, "content/notes/agenda.md"),
        vec![],
        "a date weeks ahead (an agenda) is fine"
    );
    let found = of(&diags, "content/notes/future.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.code.as_str(), d.severity.as_str(), d.line, d.column),
        ("date", "warning", 3, 8)
    );
    assert_eq!(
        d.message,
        "this date is 364 days after today (2026-12-01): the entry will sort first in lists and feeds"
    );
    assert_eq!(d.help, "check the year");
    // On the day itself, and after it, the date is fine: the day of the build is pinned.
    let (_, diags) = check_on(site.path(), "1827619200"); // 2027-12-01
    assert_eq!(of(&diags, "content/notes/future.md"), vec![]);
}

#[test]
fn updated_before_date_is_a_warning_at_updated() {
    let text = note(&[("updated", "updated = 2026-01-02")]);
    let site = fixture_with("entry-checks", &[("notes/updated.md", text.as_str())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 0);
    let found = of(&diags, "content/notes/updated.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    let (line, _) = at(&text, "updated =");
    assert_eq!(
        (d.code.as_str(), d.severity.as_str(), d.line, d.column),
        ("date", "warning", line, 11)
    );
    assert_eq!(
        d.message,
        "`updated` (2026-01-02) is earlier than `date` (2026-03-14)"
    );
    assert!(d.help.contains("on or after `date`"), "{}", d.help);
}

// 7. Markdown in plain-text fields -------------------------------------------------------------

#[test]
fn markdown_in_a_summary_is_a_warning_and_plain_symbols_are_not() {
    let flagged = [
        (
            "We upgraded **three** clusters.",
            "**three**",
            "`**` appears",
        ),
        (
            "See [the guide](https://example.org/) first.",
            "[the guide](https://example.org/)",
            "`[…](…)` appears",
        ),
        (
            "We ran `kubeadm upgrade` twice.",
            "`kubeadm upgrade`",
            "the backticks appear",
        ),
        ("It was *mostly* fine.", "*mostly*", "`*` appears"),
    ];
    let clean = [
        "Costs went down * mostly.",
        "We set max_pods and kube_reserved per node_pool.",
        "Throughput rose 2 * 3 * 4 times.",
        "Footnote marker [1] and C# tooling.",
        "A * lone star, an _ underscore and a ` backtick.",
        "It was _mostly_ fine, as __init__ is.",
        "Backups go to s3://bucket/*_daily_* and /etc/*/conf.",
    ];
    let mut files: Vec<(String, String)> = Vec::new();
    for (i, (summary, _, _)) in flagged.iter().enumerate() {
        let line = format!("summary = \"{summary}\"");
        files.push((format!("notes/md{i}.md"), note(&[("summary", &line)])));
    }
    for (i, summary) in clean.iter().enumerate() {
        let line = format!("summary = \"{summary}\"");
        files.push((format!("notes/plain{i}.md"), note(&[("summary", &line)])));
    }
    files.push((
        "about.md".into(),
        "+++\ntitle = \"About\"\ndescription = \"What **this** site is.\"\n+++\nBody.\n".into(),
    ));
    let site = site_with(&files);
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    for (i, (summary, markdown, marker)) in flagged.iter().enumerate() {
        let found = of(&diags, &format!("content/notes/md{i}.md"));
        assert_eq!(found.len(), 1, "{summary}: {found:#?}");
        let d = &found[0];
        let line = format!("summary = \"{summary}\"");
        let (_, column) = at(&line, markdown);
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("markdown-in-text", "warning", 4, column),
            "{summary}"
        );
        assert_eq!(
            d.message,
            format!("the summary is shown as plain text, so {marker} as written")
        );
        assert_eq!(d.help, "write it without Markdown");
    }
    for (i, summary) in clean.iter().enumerate() {
        let file = format!("content/notes/plain{i}.md");
        assert_eq!(of(&diags, &file), vec![], "{summary}");
    }
    let about = of(&diags, "content/about.md");
    assert_eq!(about.len(), 1, "{about:#?}");
    assert_eq!(
        (about[0].line, about[0].column, about[0].message.as_str()),
        (
            3,
            21,
            "the description is shown as plain text, so `**` appears as written"
        )
    );
}

// 8. Hidden files and `new` -------------------------------------------------------------------

#[test]
fn a_hidden_markdown_file_is_a_warning_and_editor_files_are_not() {
    let entry = note(&[]);
    let site = fixture_with(
        "entry-checks",
        &[
            ("notes/.kubelet-certs.md", entry.as_str()),
            // A copy beside the file it hides.
            ("notes/.etcd-restore-after-disk-loss.md", entry.as_str()),
            // Editors' and systems' hidden files, and hidden folders: never pages, said nothing of.
            ("notes/.#draft.md", entry.as_str()),
            ("notes/._mac.md", entry.as_str()),
            ("notes/.mac.md.swp", entry.as_str()),
            ("notes/.DS_Store", entry.as_str()),
            (".obsidian/workspace.md", entry.as_str()),
            ("notes/.git/notes.md", entry.as_str()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "a warning: {diags:#?}");
    let got: Vec<(&str, u64, u64, &str, &str, &str)> = diags
        .iter()
        .map(|d| {
            (
                d.file.as_str(),
                d.line,
                d.column,
                d.code.as_str(),
                d.severity.as_str(),
                d.help.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "content/notes/.etcd-restore-after-disk-loss.md",
                1,
                1,
                "hidden-file",
                "warning",
                "etcd-restore-after-disk-loss.md already exists beside it: delete this copy, or rename it to a new name"
            ),
            (
                "content/notes/.kubelet-certs.md",
                1,
                1,
                "hidden-file",
                "warning",
                "rename it to kubelet-certs.md, or delete it"
            ),
        ]
    );
    assert_eq!(
        diags[1].message,
        "this file is hidden (its name starts with a dot), so it is neither checked nor published"
    );
}

/// `new notes SLUG`: (exit code, stderr), and whether it wrote a file.
fn new_note(root: &Path, slug: &str) -> (i32, String) {
    let out = opsbook(root)
        .args(["new", "notes", slug])
        .output()
        .expect("run new");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn new_refuses_a_slug_that_would_be_a_hidden_file_a_path_or_nothing() {
    let site = fixture("entry-checks");
    let before = common::snapshot(site.path());
    for (slug, says) in [
        (
            ".hidden",
            "`.hidden` starts with a dot, so its file would be hidden: neither checked nor published; try `hidden`",
        ),
        (
            ".hidden.md",
            "`.hidden.md` starts with a dot, so its file would be hidden: neither checked nor published; try `hidden`",
        ),
        (
            "",
            "give the entry a name, e.g. `opsbook new notes my-entry`",
        ),
        (
            "   ",
            "give the entry a name, e.g. `opsbook new notes my-entry`",
        ),
        ("../x", "`../x` is a path; write a slug, not a path: `x`"),
        (
            "notes/etcd-defrag.md",
            "`notes/etcd-defrag.md` is a path; write a slug, not a path: `etcd-defrag`",
        ),
        ("..", "`..` starts with a dot"),
        (
            "Etcd Defrag",
            "`Etcd Defrag` is not a valid slug; try `etcd-defrag`",
        ),
        (
            "con",
            "`con` is a reserved file name on Windows, where the repository could not be checked out; try `notes-con`",
        ),
        ("com1", "reserved file name on Windows"),
        (
            &"etcd-".repeat(60),
            "is 300 characters long; give a slug of a few words, e.g. `etcd-etcd-",
        ),
    ] {
        let (code, stderr) = new_note(site.path(), slug);
        assert_eq!(code, 2, "{slug:?}: {stderr}");
        assert!(stderr.contains(says), "{slug:?}: {stderr}");
        assert!(!stderr.contains("Created"), "{slug:?}: {stderr}");
        assert!(!stderr.contains("try ``"), "{slug:?}: {stderr}");
    }
    assert!(
        common::snapshot(site.path()) == before,
        "a refused slug wrote a file"
    );
    // With a title, the title's slug is the suggestion.
    let out = opsbook(site.path())
        .args(["new", "notes", "", "--title", "Defragmenting etcd"])
        .output()
        .expect("run new");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("e.g. `opsbook new notes defragmenting-etcd`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A good slug still works.
    let (code, stderr) = new_note(site.path(), "etcd-defrag");
    assert_eq!(code, 0, "{stderr}");
    assert!(site.path().join("content/notes/etcd-defrag.md").is_file());
}

// 9. A quote inside a TOML string ---------------------------------------------------------------

#[test]
fn a_quote_inside_a_toml_string_is_named_with_the_way_to_write_it() {
    let single = note(&[("title", "title = 'We didn't restore etcd'")]);
    let double = note(&[(
        "summary",
        r#"summary = "We ran "etcdctl member remove" and it worked.""#,
    )]);
    let site = site_with(&[
        ("notes/single.md".into(), single.clone()),
        ("notes/double.md".into(), double.clone()),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/notes/single.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), at(&single, "'t restore"));
    assert_eq!(found[0].code, "syntax");
    assert_eq!(found[0].message, "the `'` in `didn't` ends the string");
    assert_eq!(
        found[0].help,
        r#"use double quotes around it: `title = "We didn't restore etcd"`"#
    );
    let found = of(&diags, "content/notes/double.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), at(&double, "\"etcdctl"));
    assert_eq!(found[0].message, "a `\"` inside a string ends it");
    assert_eq!(
        found[0].help,
        r#"write `\"` for each quote inside the text, or use single quotes around it: `summary = 'We ran "etcdctl member remove" and it worked.'`"#
    );
}

// 10. A file in the wrong place: another collection's folder, `index.md` ---------------------------

#[test]
fn a_note_in_the_tools_folder_is_one_error_that_says_where_it_belongs() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/entry-checks/content/notes/etcd-restore-after-disk-loss.md"),
    )
    .expect("read the fixture's note");
    let site = site_with(&[("tools/etcd-restore.md".into(), text)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/tools/etcd-restore.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.line, d.column, d.code.as_str()),
        (1, 1, "wrong-collection")
    );
    assert_eq!(
        d.message,
        "this looks like a `notes` entry: 6 of its 7 fields are not fields of `tools`"
    );
    assert_eq!(
        d.help,
        "move it to content/notes/ (it is in content/tools/)"
    );
}

/// The `wrong-folder` fixture's architecture, retitled so it is no duplicate of itself.
fn architecture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/wrong-folder/content/architectures/edge-k3s.md"),
    )
    .expect("read the fixture's architecture")
    .replace("Single-node edge with K3s", "Edge sites on K3s")
}

#[test]
fn the_wrong_folder_fixture_is_clean() {
    let site = fixture("wrong-folder");
    let (code, diags) = check(site.path());
    assert_eq!((code, diags.len()), (0, 0), "{diags:#?}");
}

#[test]
fn an_architecture_in_the_notes_folder_is_one_error_though_half_its_fields_are_shared() {
    // summary, providers, kubernetes and provenance are fields of both: 4 of 8 unknown.
    let site = fixture_with("wrong-folder", &[("notes/edge-sites.md", architecture())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/notes/edge-sites.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.line, d.column, d.severity.as_str(), d.code.as_str()),
        (1, 1, "error", "wrong-collection")
    );
    assert_eq!(
        d.message,
        "this looks like an `architectures` entry: 4 of its 8 fields are not fields of `notes`, and it has every field `architectures` requires"
    );
    assert_eq!(
        d.help,
        "move it to content/architectures/ (it is in content/notes/)"
    );
}

#[test]
fn a_note_that_only_lacks_fields_keeps_its_field_errors() {
    let note = |title: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/wrong-folder/content/notes/edge-rollout.md"),
        )
        .expect("read the fixture's note")
        .replace("Rolling K3s out to forty sites", title)
    };
    // One field left out; two left out with two unknown fields that fit no other schema
    // whole; an architecture that misses a field of its own (not taken whole either).
    let lacking = note("Lacking").replace("outcome = \"success\"\n", "");
    let mixed = note("Mixed")
        .replace("outcome = \"success\"\n", "status = \"proposed\"\n")
        .replace(
            "authors = [\"Nadia (edge-wg)\"]\n",
            "maintainers = [\"edge-wg\"]\n",
        );
    let partial = architecture().replace("last_reviewed = 2026-10-01\n", "");
    let site = fixture_with(
        "wrong-folder",
        &[
            ("notes/lacking.md", lacking.as_str()),
            ("notes/mixed.md", mixed.as_str()),
            ("notes/partial.md", partial.as_str()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let codes = |file: &str| -> Vec<(String, String)> {
        of(&diags, file)
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    };
    assert_eq!(
        codes("content/notes/lacking.md"),
        [(
            "missing-field".to_string(),
            "missing required field `outcome`".to_string()
        )]
    );
    let mixed = codes("content/notes/mixed.md");
    assert!(
        mixed.iter().all(|(code, _)| code != "wrong-collection") && mixed.len() == 4,
        "{mixed:#?}"
    );
    let partial = codes("content/notes/partial.md");
    assert!(
        partial.iter().all(|(code, _)| code != "wrong-collection") && partial.len() > 1,
        "{partial:#?}"
    );
}

#[test]
fn index_md_is_pointed_to_index_md_with_an_underscore() {
    let intro = "+++\ntitle = \"Tools\"\n+++\nThe tools we use.\n";
    let bundle = note(&[]);
    let site = site_with(&[
        ("tools/index.md".into(), intro.into()),
        ("notes/etcd-defrag/index.md".into(), bundle),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/tools/index.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].line, found[0].column, found[0].code.as_str()),
        (1, 1, "file-name")
    );
    assert_eq!(
        found[0].message,
        "`index.md` is read as an entry of `tools` named `index`, so it needs every field of one"
    );
    assert_eq!(
        found[0].help,
        "did you mean `_index.md` (the collection's intro page)? It needs only a `title`"
    );
    let found = of(&diags, "content/notes/etcd-defrag/index.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].line, found[0].column, found[0].severity.as_str()),
        (1, 1, "warning")
    );
    assert_eq!(
        found[0].message,
        "this page is published at /notes/etcd-defrag/index/, with `index` in its address"
    );
    assert_eq!(
        found[0].help,
        "name it `etcd-defrag.md` (files beside it stay where they are), or `_index.md` for the folder's intro"
    );
}

// 11. Links to files that are there but are not pages ---------------------------------------------

#[test]
fn a_link_to_a_file_that_could_not_be_read_gets_no_second_error() {
    let linking = note(&[]).replace("Body.", "See [bad](bad.md) and [upper](upper.md).");
    // `café` saved as Latin-1: the é is one byte that is not UTF-8.
    let latin1: Vec<u8> = note(&[("title", "title = \"caf#\"")])
        .bytes()
        .map(|b| if b == b'#' { 0xe9 } else { b })
        .collect();
    let site = fixture_with(
        "entry-checks",
        &[
            ("notes/linking.md", linking.clone().into_bytes()),
            ("notes/bad.md", latin1),
            ("notes/upper.MD", note(&[]).into_bytes()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    // The unreadable file has its own error, and the link to it none.
    assert_eq!(of(&diags, "content/notes/bad.md").len(), 1, "{diags:#?}");
    assert_eq!(of(&diags, "content/notes/bad.md")[0].code, "encoding");
    let found = of(&diags, "content/notes/linking.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.line, d.column), at(&linking, "[upper]"));
    assert_eq!(d.code, "broken-link");
    assert_eq!(
        d.message,
        "link to `upper.md`: the file is named `upper.MD`"
    );
    assert_eq!(d.help, "rename it to `upper.md`");
}

#[test]
fn a_link_whose_case_differs_from_its_page_file_is_the_one_to_change() {
    // Renaming the page would break every other link to it: the hint changes the link.
    let linking = note(&[]).replace("Body.", "See [the other note](Linked-Note.md#steps).");
    let site = fixture_with(
        "entry-checks",
        &[
            ("notes/linking.md", linking.clone().into_bytes()),
            ("notes/linked-note.md", note(&[]).into_bytes()),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/notes/linking.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), at(&linking, "[the other"));
    assert!(
        found[0]
            .message
            .contains("the file is named `linked-note.md`"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].help, "write the link as `linked-note.md#steps`");
}

// 12. Markdown in a title -----------------------------------------------------------------------

#[test]
fn markdown_in_a_title_is_a_warning_at_the_markdown() {
    let text = note(&[("title", "title = \"Replacing a **failed** `etcd` member\"")]);
    let site = site_with(&[("notes/md-title.md".into(), text.clone())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    let found = of(&diags, "content/notes/md-title.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.line, d.column), at(&text, "`etcd`"));
    assert_eq!(
        (d.severity.as_str(), d.code.as_str()),
        ("warning", "markdown-in-text")
    );
    assert_eq!(
        d.message,
        "the title is shown as plain text, so the backticks appear as written"
    );
    assert_eq!(d.help, "write it without Markdown");
}

// 13. A date-time with an offset is shown on the day written --------------------------------------

#[test]
fn a_date_time_with_an_offset_is_shown_on_the_day_it_names() {
    // 00:30 on April 2 at UTC+2 is still April 1 in UTC.
    let text = note(&[("date", "date = 2026-04-02T00:30:00+02:00")]);
    let site = site_with(&[("notes/late.md".into(), text)]);
    let out = build_site(site.path(), false, None);
    let page = common::Page::load(&out, "notes/index.html");
    let times = page.texts("time");
    assert!(times.iter().any(|t| t == "April 2, 2026"), "{times:?}");
    assert!(!times.iter().any(|t| t.contains("April 1")), "{times:?}");
}

// 14. Survey CSV: a repeated answer, an extra column, semicolons, `./` ---------------------------

#[test]
fn a_repeated_survey_answer_is_an_error_and_an_extra_column_a_warning() {
    let csv = "question,answer,count,percent\n\
               How do you provision clusters?,kubeadm,71,41\n\
               How do you provision clusters?,Managed service,64,37\n\
               How do you provision clusters?,kubeadm,71,41\n";
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", csv)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(of(&diags, "content/surveys/2026.md"), vec![]);
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 2, "{found:#?}");
    let (extra, twice) = (&found[0], &found[1]);
    assert_eq!(
        (extra.line, extra.column, extra.severity.as_str()),
        (1, 1, "warning")
    );
    assert_eq!(
        extra.message,
        "the column `percent` is not shown: the charts draw only question, answer and count"
    );
    assert!(extra.help.starts_with("remove the column"), "{extra:?}");
    assert_eq!(
        (twice.line, twice.column, twice.severity.as_str()),
        (4, 32, "error")
    );
    assert!(
        twice
            .message
            .starts_with("the answer `kubeadm` is given twice for this question (first on line 2)"),
        "{twice:?}"
    );
    assert_eq!(
        twice.help,
        "keep one row per answer: delete this row, or add its count to the first"
    );
}

#[test]
fn a_semicolon_survey_file_is_named_and_a_dot_slash_data_path_is_the_same_file() {
    let csv = "question;answer;count\nHow?;kubeadm;71\n";
    let site = fixture_with("entry-checks", &[("surveys/2026.csv", csv)]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    // Reported in the CSV file, at its header row, as a bad row is.
    assert_eq!(of(&diags, "content/surveys/2026.md").len(), 0, "{diags:#?}");
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(
        (found[0].code.as_str(), found[0].line, found[0].column),
        ("chart", 1, 1)
    );
    assert_eq!(
        found[0].message,
        "this file is separated by `;`: use commas"
    );
    assert!(
        found[0].help.contains("commas between fields"),
        "{:?}",
        found[0]
    );

    // A header naming the count column otherwise: which column to rename.
    let site = fixture_with(
        "entry-checks",
        &[(
            "surveys/2026.csv",
            "Question,Answer,Responses\nHow?,kubeadm,71\n",
        )],
    );
    let (_, diags) = check(site.path());
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(
        found[0].help,
        "rename the column `Responses` to `count`: the header row is question,answer,count"
    );

    let site = fixture("entry-checks");
    let md = site.path().join("content/surveys/2026.md");
    let text = std::fs::read_to_string(&md).expect("read");
    std::fs::write(
        &md,
        text.replace("data = \"2026.csv\"", "data = \"./2026.csv\""),
    )
    .expect("write");
    let (code, diags) = check(site.path());
    assert_eq!((code, diags), (0, vec![]));
}

// 15. A number too large, an empty slug -------------------------------------------------------

#[test]
fn a_number_too_large_and_an_empty_slug_say_what_they_are() {
    let text = note(&[("slug", "slug = \"\"")]);
    let tool = "+++\ntitle = \"Big\"\nsummary = \"x\"\nweight = 99999999999999999999\n+++\nBody.\n";
    let site = site_with(&[
        ("notes/empty-slug.md".into(), text.clone()),
        ("tools/big.md".into(), tool.into()),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/notes/empty-slug.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), at(&text, "\"\""));
    assert_eq!(found[0].code, "slug");
    assert_eq!(found[0].message, "the slug is empty");
    assert_eq!(found[0].help, "remove the `slug` line to use the file name");
    let found = of(&diags, "content/tools/big.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), at(tool, "9999"));
    assert_eq!(found[0].code, "range");
    assert_eq!(found[0].message, "`weight` is too large a number");
    assert!(
        found[0].help.contains("check for extra digits"),
        "{:?}",
        found[0]
    );
}

// 16. `new` with `.MD` or an empty title ----------------------------------------------------

#[test]
fn new_drops_md_in_any_case_and_refuses_an_empty_title() {
    let site = fixture("entry-checks");
    let (code, stderr) = new_note(site.path(), "my-note.MD");
    assert_eq!(code, 0, "{stderr}");
    assert!(site.path().join("content/notes/my-note.md").is_file());
    let before = common::snapshot(site.path());
    let out = opsbook(site.path())
        .args(["new", "notes", "other-note", "--title", ""])
        .output()
        .expect("run new");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the title is empty"), "{stderr}");
    assert!(
        common::snapshot(site.path()) == before,
        "an empty title wrote a file"
    );
}

// 17. A syntax error in book.toml --------------------------------------------------------------

#[test]
fn a_syntax_error_in_book_toml_is_said_plainly_with_a_hint() {
    let site = fixture("entry-checks");
    let book = site.path().join("book.toml");
    let text = std::fs::read_to_string(&book).expect("read");
    let broken = text.replace("title = \"Entry checks\"", "title = \"Entry checks");
    std::fs::write(&book, &broken).expect("write");
    // DESIGN: 1 when the site's files have errors (printed as diagnostics); 2 is for usage and
    // setup errors such as no book.toml at all.
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.file.as_str(), d.code.as_str()), ("book.toml", "config"));
    assert_eq!(d.line, at(&broken, "title = \"Entry").0);
    assert_eq!(d.message, "a quoted string is never closed");
    assert!(d.help.starts_with("end the text with a `\"`"), "{d:?}");

    // A value of the wrong type still gets a hint.
    let wrong = text.replace(
        "sort_by = \"title\"",
        "sort_by = \"title\"\npaginate_by = \"ten\"",
    );
    std::fs::write(&book, &wrong).expect("write");
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(!diags[0].help.is_empty(), "{diags:#?}");
}

/// A file named for its day whose `date` is another day: a warning at `date`; the same day,
/// or a file not named for a day, is fine.
#[test]
fn a_date_that_disagrees_with_the_file_name_is_a_warning() {
    let site = site_with(&[
        ("notes/2026-03-15-upgrade.md".into(), note(&[])),
        ("notes/2026-03-14-upgrade.md".into(), note(&[])),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    let found = of(&diags, "content/notes/2026-03-15-upgrade.md");
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(
        (
            found[0].code.as_str(),
            found[0].line,
            found[0].severity.as_str()
        ),
        ("date", 3, "warning")
    );
    assert_eq!(
        found[0].message,
        "the file is named for 2026-03-15 but its `date` is 2026-03-14"
    );
    assert!(of(&diags, "content/notes/2026-03-14-upgrade.md").is_empty());
}

/// Two entries of a collection that refs point to, in two folders, with one slug: a ref names
/// only the first, so the second is named as the one no ref can reach (at its `slug` line when
/// it sets one); a collection nothing refers to may repeat slugs across folders.
#[test]
fn a_slug_two_entries_share_is_named_where_refs_cannot_reach() {
    let site = fixture_with(
        "incremental",
        &[
            (
                "tools/legacy/velero.md",
                "+++\ntitle = \"Velero 1.x\"\nsummary = \"The old backup set-up.\"\ncategory = \"backup\"\n+++\nKept for history.\n",
            ),
            (
                "tools/old/backup.md",
                "+++\ntitle = \"Velero, older\"\nsummary = \"Older still.\"\ncategory = \"backup\"\nslug = \"velero\"\n+++\nKept too.\n",
            ),
        ],
    );
    let (_, diags) = check(site.path());
    let shared: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.code == "duplicate-slug")
        .collect();
    assert_eq!(shared.len(), 2, "{diags:#?}");
    let legacy = shared
        .iter()
        .find(|d| d.file == "content/tools/legacy/velero.md")
        .unwrap_or_else(|| panic!("{shared:#?}"));
    assert_eq!(legacy.severity, "warning");
    assert_eq!(
        legacy.message,
        "`velero` is also the slug of content/tools/velero.md: a `ref` to `velero` names that entry, never this one"
    );
    assert_eq!(
        legacy.help,
        "give this file another name, or set `slug`, so each entry can be named"
    );
    let old = shared
        .iter()
        .find(|d| d.file == "content/tools/old/backup.md")
        .unwrap_or_else(|| panic!("{shared:#?}"));
    assert_eq!((old.line, old.column), (5, 1), "at the slug line: {old:#?}");
    assert!(
        old.message
            .contains("also the slug of content/tools/velero.md"),
        "the entry a ref names, the one at the collection's top: {old:#?}"
    );
}

/// An entry copied and saved under a new name with its title kept: both entries are named,
/// each at its `title` line and naming the other; another collection may reuse the title.
#[test]
fn two_entries_with_one_title_name_each_other() {
    let site = fixture_with(
        "incremental",
        &[
            (
                "tools/velero-copy.md",
                "+++\ntitle = \"velero\"\nsummary = \"Backups.\"\ncategory = \"backup\"\n+++\nCopied.\n",
            ),
            (
                "notes/velero.md",
                "+++\ntitle = \"Velero\"\nsummary = \"A note titled as the tool.\"\ndate = 2026-02-01\ntools = [\"velero\"]\nproviders = [\"aws\"]\n+++\nFine in another collection.\n",
            ),
        ],
    );
    let (_, diags) = check(site.path());
    let same: Vec<(&str, u64, &str, &str)> = diags
        .iter()
        .filter(|d| d.code == "duplicate-title")
        .map(|d| {
            (
                d.file.as_str(),
                d.line,
                d.severity.as_str(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        same,
        [
            (
                "content/tools/velero-copy.md",
                2,
                "warning",
                "`velero` is also the title of content/tools/velero.md"
            ),
            (
                "content/tools/velero.md",
                2,
                "warning",
                "`Velero` is also the title of content/tools/velero-copy.md"
            ),
        ],
        "{diags:#?}"
    );
}

// Results, surveys and example addresses ------------------------------------------------------

/// A conformance run with `result = "pass"` that counts failed tests: an error at `result`,
/// with both ways to mend it, in the front matter's own syntax.
#[test]
fn a_pass_with_failed_tests_is_an_error_at_the_result() {
    let toml = "+++\ntitle = \"Run\"\nproduct = \"Probe\"\nkubernetes = \"1.33\"\nresult = \"pass\"\npassed = 402\nfailed = 3\n+++\nRun by hand.\n";
    let yaml = "---\ntitle: Run in YAML\nproduct: Probe\nkubernetes: 1.33\nresult: pass\npassed: 402\nfailed: 3\n---\nRun by hand.\n";
    let fine = "+++\ntitle = \"Fine\"\nproduct = \"Probe\"\nkubernetes = \"1.32\"\nresult = \"pass\"\npassed = 405\nfailed = 0\n+++\n";
    let failed = "+++\ntitle = \"Failed\"\nproduct = \"Probe\"\nkubernetes = \"1.31\"\nresult = \"fail\"\nfailed = 3\n+++\n";
    let site = fixture_with(
        "entry-checks",
        &[
            ("conformance/run.md", toml),
            ("conformance/run-yaml.md", yaml),
            ("conformance/fine.md", fine),
            ("conformance/failed.md", failed),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    for (file, column, fix) in [
        (
            "run.md",
            10,
            "if the run failed, write `result = \"fail\"`; if it passed, correct `failed` on line 7 to `failed = 0`",
        ),
        (
            "run-yaml.md",
            9,
            "if the run failed, write `result: \"fail\"`; if it passed, correct `failed` on line 7 to `failed: 0`",
        ),
    ] {
        let found = of(&diags, &format!("content/conformance/{file}"));
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("outcome", "error", 5, column),
            "{d:#?}"
        );
        assert!(d.message.contains("`failed` is 3"), "{}", d.message);
        assert_eq!(d.help, fix);
    }
    assert_eq!(of(&diags, "content/conformance/fine.md"), vec![]);
    assert_eq!(of(&diags, "content/conformance/failed.md"), vec![]);
}

/// A survey answer counted by more people than the survey's `respondents`: an error at its
/// row of the CSV file.
#[test]
fn an_answer_counted_by_more_than_the_respondents_is_an_error_at_its_row() {
    let entry = "+++\ntitle = \"Operator survey 2026\"\ndate = 2026-09-30\nsummary = \"How operators provision clusters.\"\ndata = \"2026.csv\"\nrespondents = 120\n+++\nBody.\n";
    let csv = "question,answer,count\nHow do you provision clusters?,kubeadm,71\nHow do you provision clusters?,Managed service,164\nHow do you provision clusters?,Other,120\n";
    let site = fixture_with(
        "entry-checks",
        &[("surveys/2026.md", entry), ("surveys/2026.csv", csv)],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = of(&diags, "content/surveys/2026.csv");
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.code.as_str(), d.severity.as_str(), d.line, d.column),
        ("chart", "error", 3, 48)
    );
    assert!(
        d.message.contains("(164)") && d.message.contains("120 respondents"),
        "{}",
        d.message
    );
    assert!(d.help.contains("`respondents`"), "{}", d.help);
}

/// A URL field left at an address reserved for examples (example.com, example.org,
/// example.net, bare or with `www.`): a warning that it is a placeholder.
#[test]
fn an_example_address_in_a_url_field_is_a_warning() {
    let cases = [
        ("homepage = \"https://example.com/\"", "example.com"),
        (
            "homepage = \"https://www.example.org/docs/\"",
            "www.example.org",
        ),
        ("repository = \"https://example.net/x\"", "example.net"),
    ];
    let site = tools_site(cases.iter().map(|(line, _)| *line));
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "warnings alone exit 0: {diags:#?}");
    for (i, (line, host)) in cases.iter().enumerate() {
        let found = of(&diags, &format!("content/tools/t{i}.md"));
        assert_eq!(found.len(), 1, "{host}: {found:#?}");
        let d = &found[0];
        let (_, column) = at(line, "\"");
        assert_eq!(
            (d.code.as_str(), d.severity.as_str(), d.line, d.column),
            ("placeholder", "warning", 4, column)
        );
        assert!(d.message.contains(&format!("`{host}`")), "{}", d.message);
        assert!(d.help.contains("real address"), "{}", d.help);
    }
    // Domains that merely contain the word are real; invented subdomains are left alone.
    let site = tools_site(
        [
            "homepage = \"https://myexample.com/\"",
            "homepage = \"https://example.io/\"",
            "homepage = \"https://helper.example.org/\"",
        ]
        .into_iter(),
    );
    let (code, diags) = check(site.path());
    assert_eq!((code, diags), (0, vec![]));
}

#[test]
fn a_template_field_that_names_no_template_is_an_error_at_its_line() {
    let site = fixture_with(
        "entry-checks",
        &[
            (
                "notes/wide.md",
                note(&[("template", "template = \"wide.html\"")]),
            ),
            (
                "notes/bare.md",
                note(&[("template", "template = \"page\"")]),
            ),
        ],
    );
    let (code, diags) = check(site.path());
    assert_eq!(code, 1);
    let text = note(&[("template", "template = \"page\"")]);
    for (file, help) in [
        ("content/notes/wide.md", None),
        ("content/notes/bare.md", Some("did you mean `page.html`?")),
    ] {
        let found = of(&diags, file);
        assert_eq!(found.len(), 1, "{file}: {found:#?}");
        let d = &found[0];
        assert_eq!(d.code, "template", "{d:#?}");
        assert_eq!((d.line, d.column), at(&text, "template ="), "{d:#?}");
        assert!(d.message.contains("names no template"), "{d:#?}");
        if let Some(help) = help {
            assert_eq!(d.help, help);
        } else {
            assert!(!d.help.contains("index.html"), "{d:#?}");
        }
    }
}

// Claims an entry does not back: a review in the future, a title's Kubernetes version, a period
// backwards ----------------------------------------------------------------------------------

/// The `claims` fixture with the first `from` in `rel` (under content/) replaced by `to`: the
/// site, and the file's new text.
fn claims_with(rel: &str, from: &str, to: &str) -> (tempfile::TempDir, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/claims/content")
        .join(rel);
    let text = std::fs::read_to_string(&path).expect("read the fixture's entry");
    assert!(text.contains(from), "{from:?} not in {rel}");
    let text = text.replacen(from, to, 1);
    (fixture_with("claims", &[(rel, text.as_str())]), text)
}

#[test]
fn the_claims_fixture_is_clean() {
    let site = fixture("claims");
    let (code, diags) = check(site.path());
    assert_eq!((code, diags.len()), (0, 0), "{diags:#?}");
}

#[test]
fn a_review_dated_after_the_day_of_the_build_is_a_warning() {
    let rel = "architectures/edge-k3s.md";
    let (site, text) = claims_with(rel, "2026-11-20", "2027-11-20");
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    let found = of(&diags, &format!("content/{rel}"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.line, d.column), at(&text, "2027-11-20"));
    assert_eq!((d.severity.as_str(), d.code.as_str()), ("warning", "date"));
    assert_eq!(
        d.message,
        "`last_reviewed` is dated in the future: 2027-11-20 is 354 days after today (2026-12-01)"
    );
    assert_eq!(
        d.help,
        "write the day of the last review, on or before 2026-12-01 (check the year)"
    );
    // The day after the build's, in UTC, is today somewhere east of it.
    let (site, _) = claims_with(rel, "2026-11-20", "2026-12-02");
    let (code, diags) = check(site.path());
    assert_eq!((code, diags.len()), (0, 0), "{diags:#?}");
}

#[test]
fn a_conformance_title_naming_another_kubernetes_version_is_a_warning_at_the_field() {
    let rel = "conformance/acme-1.31.md";
    let (site, text) = claims_with(rel, "kubernetes = \"1.31\"", "kubernetes = \"1.30\"");
    let (code, diags) = check(site.path());
    assert_eq!(code, 0, "{diags:#?}");
    let found = of(&diags, &format!("content/{rel}"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.line, d.column), at(&text, "\"1.30\""));
    assert_eq!(
        (d.severity.as_str(), d.code.as_str()),
        ("warning", "title-version")
    );
    assert_eq!(
        d.message,
        "the title names Kubernetes 1.31, but `kubernetes` is \"1.30\""
    );
    assert_eq!(
        d.help,
        "correct the one that is wrong: the matrix files this entry under `kubernetes`, readers go by the title"
    );
    // Written `v1.31.2`, still a mismatch; the product's own version (`v2.4`) is no
    // Kubernetes version, and a title that names none claims nothing.
    let titles = [
        ("Acme Kubernetes v2.4 on Kubernetes v1.31.2", 1),
        ("Acme Kubernetes v2.4 on Kubernetes 1.30", 0),
        ("Acme Kubernetes v2.4", 0),
    ];
    for (title, warnings) in titles {
        let site = fixture_with(
            "claims",
            &[(
                rel,
                text.replace("Acme Kubernetes v2.4 on Kubernetes 1.31", title),
            )],
        );
        let (_, diags) = check(site.path());
        assert_eq!(diags.len(), warnings, "{title}: {diags:#?}");
    }
}

#[test]
fn a_survey_period_written_backwards_is_a_warning_with_the_days_swapped() {
    let rel = "surveys/2026.md";
    for (written, fixed) in [
        ("2026-03-30 to 2026-03-02", "2026-03-02 to 2026-03-30"),
        ("2026-03-30 – 2026-03-02", "2026-03-02 – 2026-03-30"),
    ] {
        let (site, text) = claims_with(rel, "2026-03-02 to 2026-03-30", written);
        let (code, diags) = check(site.path());
        assert_eq!(code, 0, "{diags:#?}");
        let found = of(&diags, &format!("content/{rel}"));
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!((d.line, d.column), at(&text, &format!("\"{written}")));
        assert_eq!((d.severity.as_str(), d.code.as_str()), ("warning", "date"));
        assert_eq!(
            d.message,
            "this period ends (2026-03-02) before it starts (2026-03-30)"
        );
        assert_eq!(
            d.help,
            format!("write the earlier day first: `period = \"{fixed}\"`")
        );
    }
    // Words, or one day, are no period to check.
    for period in [
        "March 2026",
        "2026-03-30",
        "Not applicable (no collection took place).",
    ] {
        let (site, _) = claims_with(rel, "2026-03-02 to 2026-03-30", period);
        let (_, diags) = check(site.path());
        assert_eq!(diags.len(), 0, "{period}: {diags:#?}");
    }
}

/// `nodes = "1,000"`: the hint's example is the number meant, without its separators, in
/// TOML and YAML alike; a value with no number in it keeps the generic example.
#[test]
fn a_number_with_thousands_separators_gets_the_number_it_means() {
    let yaml = "---\ntitle: A YAML note\ndate: 2026-03-14\nsummary: We upgraded.\nauthors: [Sam]\nkubernetes: \"1.33\"\noutcome: success\nnodes: 12,500\n---\nBody.\n";
    let site = site_with(&[
        (
            "notes/toml.md".into(),
            note(&[("nodes", "nodes = \"1,000\"")]),
        ),
        ("notes/yaml.md".into(), yaml.into()),
        (
            "notes/words.md".into(),
            note(&[("nodes", "nodes = \"many\"")]),
        ),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let helps =
        |file: &str| -> Vec<String> { of(&diags, file).into_iter().map(|d| d.help).collect() };
    assert_eq!(
        helps("content/notes/toml.md"),
        ["write digits, without quotes or separators: `nodes = 1000`"]
    );
    assert_eq!(
        helps("content/notes/yaml.md"),
        ["write digits, without quotes or separators: `nodes: 12500`"]
    );
    assert_eq!(
        helps("content/notes/words.md"),
        ["write digits, without quotes: `nodes = 3`"]
    );
}

/// Commas in a TOML value without a list's brackets (`authors = Sam, Alex`) or in a number
/// (`nodes = 1,000`): said as what they were meant as, at the value, with the line written
/// right; TOML's own words ("something follows the value", at the comma) help nobody.
#[test]
fn commas_without_brackets_are_named_as_the_list_or_number_they_meant() {
    let text = note(&[
        ("authors", "authors = Sam, Alex"),
        ("tools", "tools = \"kubeadm\", \"etcd\""),
        ("nodes", "nodes = 1,000"),
    ]);
    let site = site_with(&[("notes/commas.md".into(), text.clone())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found: Vec<((u64, u64), String, String)> = of(&diags, "content/notes/commas.md")
        .into_iter()
        .map(|d| ((d.line, d.column), d.message, d.help))
        .collect();
    assert_eq!(
        found,
        [
            (
                at(&text, "Sam, Alex"),
                "`Sam, Alex` is not a value TOML reads: text needs double quotes, and a list needs brackets".to_string(),
                "write `authors = [\"Sam\", \"Alex\"]` for a list, or `authors = \"Sam, Alex\"` for one text".to_string(),
            ),
            (
                at(&text, "\"kubeadm\", "),
                "`\"kubeadm\", \"etcd\"` is several values without a list's brackets".to_string(),
                "write `tools = [\"kubeadm\", \"etcd\"]`".to_string(),
            ),
            (
                at(&text, "1,000"),
                "`1,000` is not a number TOML reads: it has thousands separators".to_string(),
                "write the digits alone: `nodes = 1000`".to_string(),
            ),
        ]
    );
}

/// A quoted text written over several lines without `"""`: one error at the string never
/// closed, not one more for each following line of its text read as a key with spaces.
#[test]
fn a_string_continued_on_the_next_lines_is_one_error() {
    let text = note(&[(
        "summary",
        "summary = \"We upgraded the control plane\nand then the workers,\nand it went fine.\"",
    )]);
    let site = site_with(&[("notes/lines.md".into(), text.clone())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found: Vec<((u64, u64), String)> = of(&diags, "content/notes/lines.md")
        .into_iter()
        .map(|d| ((d.line, d.column), d.message))
        .collect();
    assert_eq!(
        found,
        // At the end of the line where the string should have been closed.
        [(
            at(&text, "\nand then"),
            "a quoted string is never closed".to_string()
        )]
    );
}

/// A file saved with Windows line ends (CRLF): a string never closed is reported at the end of
/// its line as in the same file saved with LF, not one column past it.
#[test]
fn a_crlf_file_gets_the_same_columns_as_an_lf_file() {
    let lf = note(&[("summary", "summary = \"We upgraded")]);
    let crlf = lf.replace('\n', "\r\n");
    let site = site_with(&[
        ("notes/lf.md".into(), lf.clone()),
        ("notes/crlf.md".into(), crlf),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let place = |file: &str| -> Vec<(u64, u64, String)> {
        of(&diags, file)
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    };
    let (line, _) = at(&lf, "summary = ");
    let end = "summary = \"We upgraded".chars().count() as u64 + 1;
    let want = vec![(line, end, "a quoted string is never closed".to_string())];
    assert_eq!(place("content/notes/lf.md"), want);
    assert_eq!(place("content/notes/crlf.md"), want);
}

/// `draft = yes` (YAML's word, or `True` from another language) is no TOML value: the hint is
/// `true` or `false`, not the quotes that would make it text and a type error next run.
#[test]
fn yes_and_no_in_toml_get_true_and_false() {
    let site = site_with(&[
        ("notes/yes.md".into(), note(&[("draft", "draft = yes")])),
        ("notes/true.md".into(), note(&[("draft", "draft = True")])),
        ("notes/off.md".into(), note(&[("draft", "draft = off")])),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    for (file, word, truth) in [
        ("yes", "yes", true),
        ("true", "True", true),
        ("off", "off", false),
    ] {
        let found: Vec<(String, String)> = of(&diags, &format!("content/notes/{file}.md"))
            .into_iter()
            .map(|d| (d.message, d.help))
            .collect();
        assert_eq!(
            found,
            [(
                format!(
                    "TOML does not read `{word}`: yes and no are written `true` and `false`, in lowercase"
                ),
                format!("write `draft = {truth}`; for the text, quote it: `draft = \"{word}\"`"),
            )]
        );
    }
}

/// A line of text above the front matter (`Draft notes`, left from an editor): the file has
/// front matter, so it is not called missing; the message names where it starts and what is
/// above it. A Markdown rule in a file without front matter is still "no front matter".
#[test]
fn text_above_the_front_matter_is_named_not_called_missing_front_matter() {
    let site = site_with(&[
        (
            "notes/late.md".into(),
            format!("Draft notes\n\n{}", note(&[])),
        ),
        (
            "notes/rule.md".into(),
            "# A page\n\nText.\n\n---\n\nMore text.\n".into(),
        ),
    ]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found = |file: &str| -> Vec<(u64, u64, String, String)> {
        of(&diags, file)
            .into_iter()
            .map(|d| (d.line, d.column, d.code, d.message))
            .collect()
    };
    assert_eq!(
        found("content/notes/late.md"),
        [(
            1,
            1,
            "missing-front-matter".to_string(),
            "the front matter must start the file, but it starts on line 3, after `Draft notes`"
                .to_string()
        )]
    );
    assert_eq!(
        found("content/notes/rule.md"),
        [(
            1,
            1,
            "missing-front-matter".to_string(),
            "this file has no front matter".to_string()
        )]
    );
}

/// `title:` with nothing after it in YAML: the value is missing, said so, not
/// "found null" (YAML's word for it, which a contributor never wrote).
#[test]
fn a_yaml_key_with_nothing_after_it_has_no_value() {
    let yaml = "---\ntitle:\ndate: 2026-03-14\nsummary: We upgraded.\ntopics:\nauthors: [Sam]\nkubernetes: \"1.33\"\noutcome: success\n---\nBody.\n";
    let site = site_with(&[("notes/empty.md".into(), yaml.into())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found: Vec<((u64, u64), String, String)> = of(&diags, "content/notes/empty.md")
        .into_iter()
        .map(|d| ((d.line, d.column), d.message, d.help))
        .collect();
    let after = |key: &str| {
        let (line, column) = at(yaml, key);
        (line, column + key.len() as u64)
    };
    assert_eq!(
        found,
        // At the colon; an optional field left empty (`topics:`) is as if left out.
        [(
            after("title"),
            "`title` has no value: it must be a string".to_string(),
            "give it a value: `title: \"…\"`".to_string()
        )]
    );
}

/// A link written as the page's URL in another case (`../tools/Etcd`, the tool's name as its
/// page shows it): the hint names the page's file, as it does for `../tools/etcd`, not "add
/// the file as content/tools/Etcd".
#[test]
fn a_page_url_in_another_case_gets_the_pages_file() {
    let text = note(&[]).replace(
        "Body.",
        "We restored [etcd](../tools/Etcd) and [kubeadm](../tools/KubeAdm/#install).",
    );
    let site = site_with(&[("notes/cased.md".into(), text.clone())]);
    let (code, diags) = check(site.path());
    assert_eq!(code, 1, "{diags:#?}");
    let found: Vec<((u64, u64), String)> = of(&diags, "content/notes/cased.md")
        .into_iter()
        .map(|d| ((d.line, d.column), d.help))
        .collect();
    assert_eq!(
        found,
        [
            (
                at(&text, "[etcd]"),
                "did you mean `../tools/etcd.md`?".to_string()
            ),
            (
                at(&text, "[kubeadm]"),
                "did you mean `../tools/kubeadm.md#install`?".to_string()
            ),
        ]
    );
}
