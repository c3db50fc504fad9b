//! The site features of the `clusterops` theme, end to end on one fixture site
//! (tests/fixtures/site-features): survey charts, the conformance matrix, freshness warnings,
//! the static search index, "Last updated" from git, per-collection feeds and the home page.
//! Pages are parsed with scraper; the search bundle is read as JSON.

mod common;

use std::path::{Path, PathBuf};

use common::{Page, fixture, opsbook};
use scraper::{ElementRef, Selector};
use serde_json::Value;

/// (name, title, published entries) of every collection, in `book.toml` order. The draft note
/// is not counted.
const COLLECTIONS: &[(&str, &str, usize)] = &[
    ("architectures", "Reference architectures", 2),
    ("conformance", "Conformance results", 5),
    ("surveys", "Operator surveys", 1),
    ("notes", "Deployment notes", 3),
];

/// Plain pages (`content/about.md`).
const PLAIN_PAGES: usize = 1;

const SURVEY: &str = "content/surveys/2026.md";
const SURVEY_CSV: &str = "content/surveys/2026.csv";
const STALE_ENTRY: &str = "content/architectures/old-bare-metal.md";

/// Builds the site at `root` through the library into `root/public`.
fn build(root: &Path) -> PathBuf {
    common::build_site(root, false, None)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every page's passage blocks, page by page, read from the bundle's packs as the client reads
/// them: `d/<pack>-i.json` gives each block's byte length in `d/<pack>.json`, and the bytes at
/// those offsets must parse as the same block as the whole file's array holds.
fn passage_blocks(data: &Path, per_pack: usize) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    for pack in 0.. {
        let path = data.join(format!("d/{pack}.json"));
        if !path.is_file() {
            break;
        }
        let bytes = std::fs::read(&path).expect("pack");
        let whole = json(&path);
        let whole = whole.as_array().expect("a pack is an array");
        let lengths = json(&data.join(format!("d/{pack}-i.json")));
        let lengths = lengths.as_array().expect("lengths");
        assert!(
            lengths.len() <= per_pack,
            "{}: {} pages",
            path.display(),
            lengths.len()
        );
        let (mut start, mut at) = (1, 0);
        for page in lengths {
            let mut blocks = Vec::new();
            for len in page.as_array().expect("a page's block lengths") {
                let len = usize::try_from(len.as_u64().expect("length")).expect("len");
                let part: Value = serde_json::from_slice(&bytes[start..start + len])
                    .unwrap_or_else(|e| panic!("{} at {start}: {e}", path.display()));
                assert_eq!(part, whole[at], "{} block {at}", path.display());
                blocks.push(part);
                start += len + 1;
                at += 1;
            }
            pages.push(blocks);
        }
        assert_eq!(
            at,
            whole.len(),
            "{}: every block has a length",
            path.display()
        );
        assert_eq!(
            start,
            bytes.len() + usize::from(at == 0),
            "{}",
            path.display()
        );
    }
    pages
}

/// 1-based number of the first line of `text` starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> u64 {
    let n = text
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}"));
    u64::try_from(n + 1).expect("line number")
}

/// Elements matching `css` inside `el`.
fn inside<'a>(el: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    el.select(&sel).collect()
}

fn text_of(el: ElementRef<'_>) -> String {
    el.text().collect::<String>().trim().to_string()
}

/// The output file a root-relative page URL is written to.
fn page_file(out: &Path, url: &str) -> PathBuf {
    out.join(url.trim_start_matches('/')).join("index.html")
}

/// Diagnostics of `diags` (the JSON array) with `code`.
fn with_code<'a>(diags: &'a Value, code: &str) -> Vec<&'a Value> {
    diags
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// Today's date in UTC (what "Last updated" shows for a file modified now).
fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

/// One answer of the survey: (answer, count, percent).
type Answer = (&'static str, u64, f64);

/// Expected survey results: each question with its answers, in CSV order.
fn expected_survey() -> Vec<(&'static str, Vec<Answer>)> {
    vec![
        (
            "How do you provision clusters?",
            vec![("kubeadm", 30, 75.0), ("Managed, hosted", 10, 25.0)],
        ),
        (
            "How do you upgrade?",
            vec![
                ("In place", 12, 60.0),
                ("Blue/green", 6, 30.0),
                ("Not at all", 2, 10.0),
            ],
        ),
    ]
}

/// Rows of a chart's table: (answer, count, share) as displayed.
fn table_rows(figure: ElementRef<'_>) -> Vec<(String, String, String)> {
    inside(figure, "table tbody tr")
        .into_iter()
        .map(|tr| {
            let th = inside(tr, "th").first().map(|e| text_of(*e));
            let tds: Vec<String> = inside(tr, "td").into_iter().map(text_of).collect();
            assert_eq!(tds.len(), 2, "count and share cells: {tds:?}");
            (th.unwrap_or_default(), tds[0].clone(), tds[1].clone())
        })
        .collect()
}

// 1. Survey charts.
#[test]
fn survey_csv_is_drawn_as_one_chart_and_table_per_question() {
    let site = fixture("site-features");
    let out = build(site.path());
    let page = Page::load(&out, "surveys/2026/index.html");
    let figures = page.all("figure.survey-question");
    let expected = expected_survey();
    assert_eq!(figures.len(), expected.len(), "one figure per question");

    for (figure, (question, answers)) in figures.iter().zip(&expected) {
        assert_eq!(
            inside(*figure, "figcaption h3")
                .first()
                .map(|e| text_of(*e))
                .as_deref(),
            Some(*question)
        );
        let svgs = inside(*figure, "svg.chart");
        assert_eq!(svgs.len(), 1, "{question}: one inline chart");
        let bars = inside(svgs[0], "rect.chart-bar");
        assert_eq!(bars.len(), answers.len(), "{question}: one bar per answer");
        let widths: Vec<f64> = bars
            .iter()
            .map(|b| {
                b.value()
                    .attr("width")
                    .and_then(|w| w.parse().ok())
                    .unwrap_or_else(|| panic!("{question}: bar without a numeric width"))
            })
            .collect();
        let max_width = widths.iter().copied().fold(0.0, f64::max);
        let max_count = answers.iter().map(|a| a.1).max().unwrap_or(1);
        assert!(max_width > 0.0, "{question}: bars have a width");
        for ((answer, count, _), width) in answers.iter().zip(&widths) {
            let want = max_width * (*count as f64) / (max_count as f64);
            assert!(
                (width - want).abs() <= 1.0,
                "{question} / {answer}: width {width}, expected about {want} (proportional to {count})"
            );
            if *count == max_count {
                assert_eq!(*width, max_width, "{answer} has the widest bar");
            } else {
                assert!(*width < max_width, "{answer} is narrower than the largest");
            }
        }
        // The labels keep the answers whole, the comma inside quotes included.
        let labels: Vec<String> = inside(svgs[0], "text.chart-label")
            .into_iter()
            .map(text_of)
            .collect();
        let names: Vec<&str> = answers.iter().map(|a| a.0).collect();
        assert_eq!(labels, names, "{question}: chart labels");

        let rows = table_rows(*figure);
        assert_eq!(
            rows.len(),
            answers.len(),
            "{question}: one table row per answer"
        );
        for ((answer, count, percent), (a, c, p)) in answers.iter().zip(&rows) {
            assert_eq!(a, answer);
            assert_eq!(c, &count.to_string(), "{answer}: count");
            let shown: f64 = p
                .strip_suffix('%')
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{answer}: share {p:?} is not a percentage"));
            assert_eq!(shown, *percent, "{answer}: share");
        }
    }

    // The page links to the CSV, and the CSV is copied beside the page, unchanged.
    assert_eq!(
        page.attr(".panel a[download]", "href").as_deref(),
        Some("/surveys/2026.csv")
    );
    assert!(
        page.attrs("a", "href")
            .contains(&"/surveys/2026.csv".into())
    );
    assert_eq!(
        std::fs::read(out.join("surveys/2026.csv")).expect("CSV copied to the output"),
        std::fs::read(site.path().join(SURVEY_CSV)).expect("source CSV")
    );
}

// 1b. The share column reads like the chart, always with one decimal: "75.0%" beside "33.2%",
// never "75%".
#[test]
fn survey_table_shares_are_written_like_the_chart() {
    let site = fixture("site-features");
    let out = build(site.path());
    let page = Page::load(&out, "surveys/2026/index.html");
    let figures = page.all("figure.survey-question");
    let shares: Vec<Vec<String>> = figures
        .iter()
        .map(|f| table_rows(*f).into_iter().map(|r| r.2).collect())
        .collect();
    assert_eq!(
        shares,
        [vec!["75.0%", "25.0%"], vec!["60.0%", "30.0%", "10.0%"]]
    );
    let values: Vec<String> = page.texts("text.chart-value");
    assert_eq!(
        values,
        [
            "30 (75.0%)",
            "10 (25.0%)",
            "12 (60.0%)",
            "6 (30.0%)",
            "2 (10.0%)"
        ]
    );
}

// 2. Chart errors.
#[test]
fn a_missing_or_malformed_survey_csv_is_an_error_and_nothing_is_built() {
    // The entry names a file that does not exist.
    let site = fixture("site-features");
    let survey = site.path().join(SURVEY);
    let text = read(&survey).replace("data = \"2026.csv\"", "data = \"missing.csv\"");
    write(&survey, &text);
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1, "{diags:#}");
    let charts = with_code(&diags, "chart");
    assert_eq!(charts.len(), 1, "{diags:#}");
    assert_eq!(charts[0]["severity"], "error");
    assert_eq!(charts[0]["file"], SURVEY);
    assert_eq!(charts[0]["line"], line_of(&text, "data ="));
    assert!(
        charts[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("missing.csv"),
        "{}",
        charts[0]
    );
    opsbook(site.path()).arg("build").assert().code(1);
    assert!(!site.path().join("public").exists(), "nothing written");

    // The file exists, but line 3 has a count that is not a number.
    let site = fixture("site-features");
    let csv = site.path().join(SURVEY_CSV);
    let mut lines: Vec<String> = read(&csv).lines().map(str::to_string).collect();
    assert_eq!(
        lines[2],
        "How do you provision clusters?,\"Managed, hosted\",10"
    );
    lines[2] = "How do you provision clusters?,\"Managed, hosted\",ten".into();
    write(&csv, &(lines.join("\n") + "\n"));
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 1, "{diags:#}");
    // The error is at the row, in the CSV file.
    let charts = with_code(&diags, "chart");
    assert_eq!(charts.len(), 1, "{diags:#}");
    assert_eq!(charts[0]["file"], SURVEY_CSV);
    assert_eq!(charts[0]["line"], 3);
    let message = charts[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("ten"), "{message}");
    opsbook(site.path()).arg("build").assert().code(1);
    assert!(!site.path().join("public").exists(), "nothing written");
}

// 3. Conformance matrix.
#[test]
fn conformance_matrix_sorts_versions_and_links_every_cell() {
    let site = fixture("site-features");
    let out = build(site.path());
    let page = Page::load(&out, "conformance/index.html");
    assert_eq!(page.all("table.matrix").len(), 1);
    // Its caption sits outside the scrolling box (a phone scrolled it away with the table)
    // and still names the table and the box.
    assert!(page.all(".matrix-wrap #matrix-caption").is_empty());
    assert_eq!(
        page.text("#matrix-caption"),
        "Conformance results by product and Kubernetes version"
    );
    assert_eq!(
        page.attr("table.matrix", "aria-labelledby").as_deref(),
        Some("matrix-caption")
    );
    assert_eq!(
        page.attr(".matrix-wrap", "aria-labelledby").as_deref(),
        Some("matrix-caption")
    );
    assert_eq!(
        page.texts("table.matrix thead th"),
        ["Product", "1.31", "1.10", "1.9"],
        "versions sort numerically, newest first"
    );
    let rows = page.all("table.matrix tbody tr");
    let labels: Vec<String> = rows
        .iter()
        .map(|r| {
            inside(*r, "th")
                .first()
                .map(|e| text_of(*e))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(labels, ["Acme Kubernetes", "Zeta Engine"], "rows by name");
    let classes: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            inside(*r, "td")
                .into_iter()
                .map(|td| td.value().attr("class").unwrap_or("").to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        classes,
        [
            vec!["cell-pass", "cell-pass", "cell-pass"],
            vec!["cell-pass", "cell-fail", "cell-none"],
        ]
    );
    assert_eq!(
        page.attrs("table.matrix td.cell-fail a", "href"),
        ["/conformance/zeta-v1-10/"]
    );
    let none = page.all("table.matrix td.cell-none");
    assert_eq!(none.len(), 1);
    assert!(text_of(none[0]).contains('—'), "{}", text_of(none[0]));
    assert!(
        inside(none[0], "a").is_empty(),
        "an empty cell links nowhere"
    );

    // Every cell links to its entry: the page exists and is the entry the cell names.
    let mut hrefs = Vec::new();
    for a in page.all("table.matrix td a") {
        let href = a.value().attr("href").expect("href").to_string();
        let title = a.value().attr("title").expect("title").to_string();
        let file = page_file(&out, &href);
        assert!(file.is_file(), "{href}: no page at {}", file.display());
        let target = Page::load(&out, &format!("{}index.html", href.trim_start_matches('/')));
        assert_eq!(target.text("h1"), title, "{href}");
        hrefs.push(href);
    }
    hrefs.sort();
    assert_eq!(
        hrefs,
        [
            "/conformance/acme-v1-10/",
            "/conformance/acme-v1-31/",
            "/conformance/acme-v1-9/",
            "/conformance/zeta-v1-10/",
            "/conformance/zeta-v1-31/",
        ]
    );
}

// 4. Config validation.
#[test]
fn matrix_or_charts_naming_an_unknown_field_is_a_config_error() {
    for (key, from, to, header) in [
        (
            "matrix",
            "columns = \"kubernetes\"",
            "columns = \"k8s_version\"",
            "[collections.conformance]",
        ),
        (
            "charts",
            "charts = \"data\"",
            "charts = \"csv_file\"",
            "[collections.surveys]",
        ),
    ] {
        let site = fixture("site-features");
        let config = site.path().join("book.toml");
        let original = read(&config);
        assert!(original.contains(from), "fixture has {from}");
        let text = original.replace(from, to);
        write(&config, &text);
        let field = to.split('"').nth(1).expect("field");
        let (code, diags) = common::check_json(site.path());
        assert_eq!(code, 1, "{key}: {diags:#}");
        let found = with_code(&diags, "config");
        assert_eq!(found.len(), 1, "{key}: {diags:#}");
        let d = found[0];
        assert_eq!(d["severity"], "error");
        assert_eq!(d["file"], "book.toml");
        let message = d["message"].as_str().unwrap_or("");
        assert!(message.contains(field), "{key}: {message}");
        assert!(message.contains(key), "{key}: {message}");
        // It points into the collection's table: its header or the offending line.
        let line = d["line"].as_u64().unwrap_or(0);
        assert!(
            [line_of(&text, header), line_of(&text, &format!("{key} ="))].contains(&line),
            "{key}: line {line}"
        );
        opsbook(site.path()).arg("build").assert().code(1);
        assert!(
            !site.path().join("public").exists(),
            "{key}: nothing written"
        );
    }
}

// 5. Search index.
#[test]
fn search_index_has_every_page_its_filters_and_word_shards() {
    let site = fixture("site-features");
    let out = build(site.path());
    assert!(out.join("search/index.html").is_file());
    let data = out.join("search/data");

    // meta.json (fixed path) names the content-hashed folder holding everything else.
    let entries: usize = COLLECTIONS.iter().map(|c| c.2).sum();
    let meta = json(&data.join("meta.json"));
    assert_eq!(
        meta["pages"].as_u64(),
        Some(u64::try_from(entries + PLAIN_PAGES).expect("count"))
    );
    let folder = meta["index"].as_str().expect("index folder");
    let hash = folder.trim_end_matches('/');
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{folder}"
    );
    let data = data.join(hash);
    assert!(data.is_dir());

    // The client reads the layout the bundle writes (a cached older script reloads itself).
    assert_eq!(
        meta["format"].as_u64(),
        Some(u64::from(opsbook::emit::search::FORMAT))
    );
    let client = read(&out.join("search.js"));
    assert!(
        client.contains(&format!("var FORMAT = {};", opsbook::emit::search::FORMAT)),
        "search.js reads format {}",
        opsbook::emit::search::FORMAT
    );

    // Page rows: the first passage block of every page, in id order.
    let per_pack = usize::try_from(meta["pack"].as_u64().expect("pages per pack")).expect("pack");
    let blocks = passage_blocks(&data, per_pack);
    let rows: Vec<Value> = blocks
        .iter()
        .map(|b| b.first().cloned().expect("every page has block 0"))
        .collect();
    assert_eq!(rows.len(), entries + PLAIN_PAGES);
    let urls: Vec<&str> = rows.iter().filter_map(|r| r["u"].as_str()).collect();
    assert!(
        urls.contains(&"/about/"),
        "plain pages are indexed: {urls:?}"
    );
    assert!(
        !urls.contains(&"/notes/secret-plan/"),
        "drafts are not indexed: {urls:?}"
    );
    assert!(!urls.contains(&"/"), "the home page is not indexed");

    // Filters: the section (collection titles) and one per taxonomy, by title; the pages of
    // each value in f/<n>.json.
    let filters = json(&data.join("filters.json"));
    let names: Vec<&str> = filters
        .as_array()
        .expect("filters")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["Section", "Providers", "Kubernetes versions"]);
    let section = filters[0]["values"].as_array().expect("values");
    let pages = json(&data.join("f/0.json"));
    let mut values: Vec<&str> = section.iter().filter_map(|v| v[0].as_str()).collect();
    values.sort_unstable();
    let mut titles: Vec<&str> = COLLECTIONS.iter().map(|c| c.1).collect();
    titles.sort_unstable();
    assert_eq!(values, titles);
    for (n, v) in section.iter().enumerate() {
        let title = v[0].as_str().unwrap_or("");
        let count = COLLECTIONS
            .iter()
            .find(|c| c.1 == title)
            .map(|c| c.2)
            .unwrap_or(0);
        assert_eq!(v[1].as_u64(), Some(count as u64), "{title}");
        let ids = pages[n].as_array().expect("pages");
        assert_eq!(ids.len(), count, "{title}");
        for id in ids {
            let id = usize::try_from(id.as_u64().expect("id")).expect("id");
            assert_eq!(rows[id]["s"], title, "page {id} is in section {title}");
        }
    }

    // A word found only in one entry's body, through its shard to its page row and the
    // passage that holds it.
    let word = "zanzibarite";
    let shard = data.join("w/7a61.json");
    let shard = json(&shard);
    let stem = shard["w"][word].as_str().unwrap_or(word);
    let postings = shard["s"][stem]
        .as_array()
        .unwrap_or_else(|| panic!("{stem} not in {shard}"));
    let [id, score, n, passage] = postings.as_slice() else {
        panic!("one page, one passage: {postings:?}");
    };
    assert!(score.as_u64().unwrap_or(0) > 0);
    assert_eq!(n, 1);
    let id = id.as_u64().expect("page id");
    let row = &rows[usize::try_from(id).expect("id")];
    assert_eq!(row["u"], "/notes/etcd-restore/");
    assert_eq!(row["t"], "Restoring etcd after a bad upgrade");
    assert_eq!(row["s"], "Deployment notes");
    let passage = passage.as_u64().expect("passage");
    let per_block = meta["block"].as_u64().expect("passages per block");
    let block = &blocks[usize::try_from(id).expect("id")]
        [usize::try_from(passage / per_block).expect("block")];
    let text = block["p"][usize::try_from(passage % per_block).expect("p")][0]
        .as_str()
        .expect("passage text");
    assert!(text.contains("zanzibarite-coated disk"), "{text}");

    // Every passage under a heading names one of its block's headings; passages no posting
    // points at are left out as `0`, and the summary (passage 0) is always there.
    for (id, page) in blocks.iter().enumerate() {
        for (b, block) in page.iter().enumerate() {
            let headings = block["h"].as_array().expect("headings");
            for p in block["p"].as_array().expect("passages") {
                match p {
                    Value::Array(parts) => {
                        assert!(parts[0].is_string(), "page {id}, block {b}: {p}");
                        if let Some(n) = parts.get(1) {
                            let n = usize::try_from(n.as_u64().expect("heading n")).expect("n");
                            assert!(headings[n][0].is_string(), "page {id}, block {b}: {p}");
                        }
                    }
                    other => assert_eq!(other, &Value::from(0), "page {id}, block {b}"),
                }
            }
            if b == 0 {
                assert!(block["p"][0].is_array(), "page {id}: the summary");
            }
        }
    }

    // The draft's own word is nowhere.
    let draft_word = "quixotrel";
    for dir in ["w", "d", "v"] {
        for entry in std::fs::read_dir(data.join(dir)).expect("folder") {
            let path = entry.expect("entry").path();
            assert!(!read(&path).contains(draft_word), "{}", path.display());
        }
    }
}

/// Two builds of the same site give the same search bundle, byte for byte (so the same content
/// hash and no needless cache misses after a redeploy). Each build runs in its own process, so
/// hash seeds differ; pages where a word is in more passages than the index keeps make the
/// choice of passages matter.
#[test]
fn the_search_bundle_is_the_same_on_every_build() {
    let site = fixture("site-features");
    let mut body = String::new();
    for n in 0..40 {
        body.push_str(&format!(
            "Sentence {n} says the etcd quorum holds while member {n} is replaced and restored. "
        ));
        if n % 7 == 0 {
            body.push_str(&format!(
                "\n\n## Step {n}\n\nThe etcd snapshot {n} is restored.\n\n"
            ));
        }
    }
    write(
        &site.path().join("content/about.md"),
        &format!("+++\ntitle = \"About this fixture\"\n+++\n{body}\n"),
    );
    let bundle = |name: &str| {
        let out = site.path().join(name);
        opsbook(site.path())
            .arg("build")
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        common::snapshot(&out.join("search/data"))
    };
    let (first, second) = (bundle("one"), bundle("two"));
    assert!(first.len() > 3, "the bundle has files: {}", first.len());
    let names = |b: &[(PathBuf, Vec<u8>)]| b.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), names(&second), "same files");
    for ((path, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{} differs between two builds", path.display());
    }
}

#[test]
fn search_can_be_turned_off() {
    let site = fixture("site-features");
    let config = site.path().join("book.toml");
    let mut text = read(&config);
    assert!(!text.contains("[search]"));
    text.push_str("\n[search]\nenabled = false\n");
    write(&config, &text);
    let out = build(site.path());
    assert!(out.join("index.html").is_file(), "the site is built");
    assert!(!out.join("search").exists(), "no /search/ folder");
}

// 6. Freshness.
#[test]
fn stale_entries_are_warned_about_and_marked() {
    let site = fixture("site-features");
    let (code, diags) = common::check_json(site.path());
    assert_eq!(code, 0, "a warning does not fail check: {diags:#}");
    let all = diags.as_array().expect("array");
    assert_eq!(all.len(), 1, "{diags:#}");
    let d = &all[0];
    assert_eq!(d["code"], "stale");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], STALE_ENTRY);
    assert_eq!(
        d["line"],
        line_of(&read(&site.path().join(STALE_ENTRY)), "kubernetes =")
    );
    // The versions are the ones an entry names; the site does not claim it tested them.
    assert_eq!(
        d["message"],
        "newest Kubernetes version named is 1.31, more than 2 minor versions behind 1.34"
    );
    let help = d["help"].as_str().unwrap_or("");
    assert!(
        help.contains("name that version") && !help.contains("test"),
        "{d}"
    );

    let out = build(site.path());
    let stale = Page::load(&out, "architectures/old-bare-metal/index.html");
    assert_eq!(
        stale.texts(".badge-stale").first().map(String::as_str),
        Some("Needs review")
    );
    let fresh = Page::load(&out, "architectures/fresh-edge/index.html");
    assert!(fresh.all(".badge-stale").is_empty(), "1.33 is fresh");

    let list = Page::load(&out, "architectures/index.html");
    let cards = list.all(".card");
    let badge_of = |title: &str| -> Vec<String> {
        let card = cards
            .iter()
            .find(|c| inside(**c, "h2 a").first().map(|a| text_of(*a)).as_deref() == Some(title))
            .unwrap_or_else(|| panic!("no card for {title}"));
        inside(*card, ".badge-stale")
            .into_iter()
            .map(text_of)
            .collect()
    };
    assert_eq!(badge_of("Old bare metal"), ["Needs review"]);
    assert!(badge_of("Fresh edge").is_empty());
}

// 7. Last updated from git, or from the file.
fn last_updated(out: &Path, rel: &str) -> (String, String) {
    let page = Page::load(out, rel);
    let footer = page.all("footer.entry-footer p");
    let p = footer
        .iter()
        .find(|p| text_of(**p).starts_with("Last updated"))
        .unwrap_or_else(|| panic!("{rel}: no Last updated line"));
    let time = inside(*p, "time");
    assert_eq!(time.len(), 1, "{rel}");
    (
        time[0].value().attr("datetime").unwrap_or("").to_string(),
        text_of(time[0]),
    )
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Fixture",
            "-c",
            "user.email=fixture@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2024-02-03T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-02-03T10:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn last_updated_is_the_newest_commit_date() {
    let site = fixture("site-features");
    git(site.path(), &["init", "-q"]);
    git(site.path(), &["add", "-A"]);
    git(site.path(), &["commit", "-q", "-m", "fixture"]);
    let out = build(site.path());
    for rel in [
        "notes/etcd-restore/index.html",
        "architectures/fresh-edge/index.html",
    ] {
        assert_eq!(
            last_updated(&out, rel),
            ("2024-02-03".to_string(), "February 3, 2024".to_string()),
            "{rel}"
        );
    }
}

#[test]
fn last_updated_outside_git_is_the_file_date() {
    let before = today();
    let site = fixture("site-features");
    let inside_repo = std::process::Command::new("git")
        .arg("-C")
        .arg(site.path())
        .args(["rev-parse", "--is-inside-work-tree"])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(!inside_repo, "the fixture copy is outside any git checkout");
    let out = build(site.path());
    let after = today();
    let (date, _) = last_updated(&out, "notes/etcd-restore/index.html");
    assert!(
        date == before || date == after,
        "{date}: expected today ({before})"
    );
    assert_ne!(date, "2024-02-03");
}

// 8. Feeds.
#[test]
fn only_collections_with_dated_entries_have_feeds() {
    let site = fixture("site-features");
    let out = build(site.path());
    for name in ["architectures", "conformance", "surveys"] {
        let feed = format!("/{name}/atom.xml");
        assert!(!out.join(&feed[1..]).exists(), "{feed} written");
        let list = Page::load(&out, &format!("{name}/index.html"));
        let hrefs = list.attrs("[href]", "href");
        assert!(!hrefs.contains(&feed), "{name}: links to {feed}");
        assert_eq!(
            list.attrs("link[rel=alternate]", "href"),
            ["/atom.xml"],
            "{name}: only the site feed"
        );
    }

    let feed = read(&out.join("notes/atom.xml"));
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(feed.contains("<title>Restoring etcd after a bad upgrade</title>"));
    assert!(!feed.contains("Unpublished migration plan"), "no drafts");
    let list = Page::load(&out, "notes/index.html");
    assert!(
        list.attrs("link[rel=alternate][type=\"application/atom+xml\"]", "href")
            .contains(&"/notes/atom.xml".into())
    );
    assert!(
        list.attrs("main a", "href")
            .contains(&"/notes/atom.xml".into())
    );
}

/// The `<updated>` directly under `<feed>` (the feed's own, not an entry's).
fn feed_updated(feed: &str) -> String {
    let head = feed.split("<entry>").next().unwrap_or_default();
    let start = head.find("<updated>").expect("feed <updated>") + "<updated>".len();
    let end = head[start..].find("</updated>").expect("</updated>");
    head[start..start + end].to_string()
}

#[test]
fn a_feed_is_updated_when_its_latest_entry_update_is() {
    let site = fixture("site-features");
    // The oldest note, revised after the newest note's date (2026-05-01).
    let path = site.path().join("content/notes/node-scaling.md");
    let text = read(&path).replacen(
        "date = 2025-11-20\n",
        "date = 2025-11-20\nupdated = 2026-08-15\n",
        1,
    );
    assert!(text.contains("updated = 2026-08-15"), "{text}");
    write(&path, &text);
    let out = build(site.path());
    for feed in ["atom.xml", "notes/atom.xml"] {
        let text = read(&out.join(feed));
        assert!(
            text.contains("<updated>2026-08-15T00:00:00Z</updated>"),
            "{feed}: the entry's update"
        );
        assert_eq!(feed_updated(&text), "2026-08-15T00:00:00Z", "{feed}");
    }

    // Without updates the feed's is its newest entry's date.
    let plain = fixture("site-features");
    let out = build(plain.path());
    let text = read(&out.join("notes/atom.xml"));
    assert_eq!(feed_updated(&text), "2026-05-01T00:00:00Z");
}

// 9. Home page.
#[test]
fn home_page_counts_collections_and_lists_the_newest_notes() {
    let site = fixture("site-features");
    let out = build(site.path());
    let home = Page::load(&out, "index.html");
    let cards = home.all(".stats .stat");
    let got: Vec<(String, String, String)> = cards
        .iter()
        .map(|c| {
            let first = |css: &str| {
                inside(*c, css)
                    .first()
                    .map(|e| text_of(*e))
                    .unwrap_or_default()
            };
            let href = inside(*c, "a")
                .first()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or("")
                .to_string();
            (href, first(".stat-label"), first(".stat-count"))
        })
        .collect();
    let want: Vec<(String, String, String)> = COLLECTIONS
        .iter()
        .map(|(name, title, count)| (format!("/{name}/"), title.to_string(), count.to_string()))
        .collect();
    assert_eq!(got, want);

    let newest = home.all("section[aria-labelledby=newest-notes]");
    assert_eq!(newest.len(), 1);
    let links: Vec<String> = inside(newest[0], ".link-list li > a")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        links,
        [
            "Upgrading Cilium in place",
            "Restoring etcd after a bad upgrade",
            "Scaling to two hundred nodes",
        ],
        "newest first, drafts left out"
    );
    let dates: Vec<String> = inside(newest[0], ".link-list time")
        .into_iter()
        .filter_map(|t| t.value().attr("datetime").map(|d| d[..10].to_string()))
        .collect();
    assert_eq!(dates, ["2026-05-01", "2026-03-10", "2025-11-20"]);
}

/// A heading whose id the theme's page layout already uses (`main`, the skip link's target)
/// gets another: a page never holds two elements with one id, and `#main` still skips to the
/// content.
#[test]
fn a_heading_never_takes_an_id_of_the_page_layout() {
    let site = fixture("site-features");
    let note = site.path().join("content/notes/cilium-upgrade.md");
    let text = read(&note);
    write(
        &note,
        &format!("{text}\n## Main\n\nText.\n\n## Other {{#toc-title}}\n\nMore.\n"),
    );
    let out = build(site.path());
    let page = Page::load(&out, "notes/cilium-upgrade/index.html");
    let ids = page.attrs("[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "repeated ids in {ids:?}");
    assert_eq!(page.attrs("main", "id"), ["main"]);
    let headings = page.attrs("h2[id]", "id");
    assert!(headings.iter().any(|h| h == "main-1"), "{headings:?}");
    assert!(headings.iter().any(|h| h == "toc-title-1"), "{headings:?}");
}
