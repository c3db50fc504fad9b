//! Search on the shipped Cluster Ops site, in headless Chromium through `opsbook serve`: typos
//! are corrected and say so, a multi-word intent finds the note that answers it, versions match
//! at every level, and every excerpt shown marks a query word and links to its section.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::path::PathBuf;

use fantoccini::Client;
use serde::Deserialize;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One result as shown.
#[derive(Debug, Deserialize)]
struct Shown {
    href: String,
    /// The excerpt's text, when the result has one.
    excerpt: Option<String>,
    /// The words in `<mark>` inside the excerpt.
    marks: Vec<String>,
    /// The excerpt's section link, if any.
    section: Option<String>,
    /// The badge beside the result (its `[book] label` value), if any.
    badge: Option<String>,
    /// The text shown under the result (excerpt or summary), whole.
    text: Option<String>,
    /// The text in `<q>` there: an imported entry's own words.
    quote: Option<String>,
    /// The words in `<mark>` inside that `<q>`.
    quote_marks: Vec<String>,
    /// Whose words the quote is, as said beside it.
    attribution: Option<String>,
}

const RESULTS: &str = r#"const s = document.getElementById('search-status').textContent;
if (!s) return null;
const li = [...document.querySelectorAll('#search-results > li')];
if (!li.length && !s.startsWith('No results')) return null;
return li.map(l => {
  const e = l.querySelector('p.excerpt');
  const sec = e && e.querySelector('a.excerpt-section');
  const badge = l.querySelector('.badge');
  const t = l.querySelector('p');
  const q = t && t.querySelector('q');
  const who = t && t.querySelector('.attribution');
  return { href: l.querySelector('a').getAttribute('href'),
           excerpt: e ? e.textContent : null,
           marks: e ? [...e.querySelectorAll('mark')].map(m => m.textContent) : [],
           section: sec ? sec.getAttribute('href') : null,
           badge: badge ? badge.textContent : null,
           text: t ? t.textContent : null,
           quote: q ? q.textContent : null,
           quote_marks: q ? [...q.querySelectorAll('mark')].map(m => m.textContent) : [],
           attribution: who ? who.textContent : null };
});"#;

async fn search(c: &Client, server: &common::Server, q: &str) -> Vec<Shown> {
    let url = format!("{}search/?q={}", server.url(), q.replace(' ', "+"));
    c.goto(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    // A slow first load (a debug build, a busy CI machine) is waited for, not failed.
    let v = browser::wait_for(c, RESULTS, 45).await;
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("results of {q:?}: {e}: {v}"))
}

async fn text_of(c: &Client, id: &str) -> String {
    let v: Value = c
        .execute(
            &format!("const e = document.getElementById('{id}'); return e && !e.hidden ? e.textContent : null;"),
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    v.as_str().unwrap_or("").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_corrects_typos_finds_intents_versions_and_marks_excerpts() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());

    // A typo in the word's middle, and one in its first letters: both corrected, and said so.
    let found = search(c, &server, "kubadm").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/tools/kubeadm/"),
        "{found:#?}"
    );
    assert_eq!(
        text_of(c, "search-correction").await,
        "Showing results for kubeadm"
    );
    let found = search(c, &server, "cillium").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/tools/cilium/")
    );
    let found = search(c, &server, "ubeadm").await;
    assert!(
        found.iter().take(3).any(|r| r.href == "/tools/kubeadm/"),
        "a typo in the first letter: {found:#?}"
    );
    // A word spelled right says nothing about corrections.
    search(c, &server, "kubeadm").await;
    assert_eq!(text_of(c, "search-correction").await, "");

    // The note that answers a multi-word intent beats the tool pages naming its words.
    let found = search(c, &server, "migrate flannel to cilium").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/notes/cni-migration-flannel-to-cilium/"),
        "{found:#?}"
    );
    let found = search(c, &server, "replace a failed etcd member").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/notes/etcd-restore-after-disk-loss/"),
        "{found:#?}"
    );
    // …and a tool's own page still wins for its bare name.
    let found = search(c, &server, "etcd").await;
    assert_eq!(found.first().map(|r| r.href.as_str()), Some("/tools/etcd/"));

    // `1.34` in the panel and the body is found by `1.34`.
    let found = search(c, &server, "upgrade kubeadm 1.34").await;
    assert!(
        found
            .iter()
            .take(3)
            .any(|r| r.href == "/architectures/bare-metal-kubeadm-ha/"),
        "{found:#?}"
    );

    // A question is answered by the words that matter; no page needs all of them.
    let found = search(c, &server, "how do I replace an etcd member").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/notes/etcd-restore-after-disk-loss/")
    );
    let found = search(c, &server, "kubeadm zanzibarite").await;
    assert!(
        found.iter().any(|r| r.href == "/tools/kubeadm/"),
        "a word no page has does not empty the results: {found:#?}"
    );

    // Word forms meet both ways: the query "restore" finds "restoring" and "restored".
    let found = search(c, &server, "restore etcd snapshot").await;
    assert!(
        found
            .iter()
            .take(5)
            .any(|r| r.href == "/notes/etcd-restore-after-disk-loss/"),
        "{found:#?}"
    );

    // Every excerpt shown marks a query word (in some form), and one under a heading links
    // to that heading.
    let mut section_links = Vec::new();
    for q in [
        "upgrade kubeadm 1.34",
        "restoring snapshots",
        "migrate flannel to cilium",
        "PodEvictionFailure",
        "quota-backend-bytes",
        "Octavia load balancer",
        "how do I move persistent volumes to ceph",
        "promethues",
        "regional-pd storageclass",
    ] {
        let found = search(c, &server, q).await;
        let excerpts: Vec<&Shown> = found.iter().filter(|r| r.excerpt.is_some()).collect();
        assert!(!excerpts.is_empty(), "{q}: some result has an excerpt");
        let stems: Vec<String> = q
            .split(|ch: char| !ch.is_alphanumeric() && ch != '.')
            .map(|w| w.trim_matches('.'))
            .filter(|w| w.len() >= 2)
            .map(|w| w.to_lowercase().chars().take(5).collect())
            .chain(["promet".to_string()])
            .collect();
        for r in excerpts {
            assert!(!r.marks.is_empty(), "{q}: {r:#?}");
            for m in &r.marks {
                let m = m.to_lowercase();
                let m = match m.strip_prefix('v') {
                    Some(rest) if rest.starts_with(|ch: char| ch.is_ascii_digit()) => {
                        rest.to_string()
                    }
                    _ => m,
                };
                assert!(
                    stems
                        .iter()
                        .any(|s| m.starts_with(s.as_str()) || s.starts_with(m.as_str())),
                    "{q}: marked {m:?} is no query word: {r:#?}"
                );
            }
            section_links.extend(r.section.clone());
        }
    }
    let link = section_links
        .iter()
        .find(|l| l.starts_with("/notes/"))
        .unwrap_or_else(|| panic!("some excerpt links to a note's section: {section_links:?}"));
    let (page, id) = link.split_once('#').expect("a #heading link");
    c.goto(&format!("{}{}", server.url(), page.trim_start_matches('/')))
        .await
        .expect("open the page");
    let heading = c
        .execute(
            &format!("const h = document.getElementById({id:?}); return h ? h.tagName : null;"),
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    assert!(
        heading.as_str().is_some_and(|t| t.starts_with('H')),
        "{link}: the heading exists ({heading})"
    );
    let _ = browser.client.clone().close().await;
}

/// An imported entry's summary (the landscape's) or description (the vendor's) is quoted and
/// attributed in the results as the cards do, with the query's words still marked; the site's
/// own summaries are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_quotes_imported_summaries_and_says_whose_words() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());

    let found = search(c, &server, "vsphere").await;
    let r = found
        .iter()
        .find(|r| r.href == "/tools/vmware-vsphere/")
        .unwrap_or_else(|| panic!("vsphere finds its listing: {found:#?}"));
    assert!(
        r.quote
            .as_deref()
            .is_some_and(|q| q.contains("industry-leading server virtualization")),
        "the landscape's description is quoted: {r:#?}"
    );
    assert!(
        r.quote_marks
            .iter()
            .any(|m| m.eq_ignore_ascii_case("vsphere")),
        "the query word is marked inside the quote: {r:#?}"
    );
    assert_eq!(r.attribution.as_deref(), Some(" (the landscape’s words)"));

    // A conformance result's description is the vendor's.
    let found = search(c, &server, "distro creator airgapped").await;
    let r = found
        .iter()
        .find(|r| r.href.starts_with("/conformance/replicated-"))
        .unwrap_or_else(|| panic!("the description's words find the result: {found:#?}"));
    assert!(
        r.quote
            .as_deref()
            .is_some_and(|q| q.contains("distro creator")),
        "{r:#?}"
    );
    assert!(!r.quote_marks.is_empty(), "{r:#?}");
    assert_eq!(r.attribution.as_deref(), Some(" (the vendor’s words)"));

    // Matched by its title alone, an imported entry's summary is still quoted…
    let found = search(c, &server, "VMware vSphere").await;
    let r = found
        .iter()
        .find(|r| r.href == "/tools/vmware-vsphere/")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(r.quote.is_some() && r.attribution.is_some(), "{r:#?}");

    // …and a hand-written entry's summary is the site's own: no quote, no attribution.
    let found = search(c, &server, "cert-manager").await;
    let r = found
        .iter()
        .find(|r| r.href == "/tools/cert-manager/")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(r.text.is_some(), "{r:#?}");
    assert!(r.quote.is_none() && r.attribution.is_none(), "{r:#?}");
    let _ = browser.client.clone().close().await;
}

/// `text` with its whitespace squashed, without the "… " that says an excerpt starts past
/// its passage's start.
fn squashed(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let words = words.strip_prefix(&["…"]).unwrap_or(&words);
    words.join(" ")
}

/// A search result names a page's fields as the page's own panel does, and an excerpt of a
/// table starts where one of its rows does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_excerpts_use_the_panels_labels_and_start_at_rows() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());

    // The fields passage says "CNCF maturity", as the tool page's panel does, not "Cncf".
    let found = search(c, &server, "graduated").await;
    let r = found
        .iter()
        .find(|r| {
            r.excerpt
                .as_deref()
                .is_some_and(|e| e.contains("graduated"))
        })
        .unwrap_or_else(|| panic!("a tool's fields passage: {found:#?}"));
    let excerpt = r.excerpt.clone().unwrap_or_default();
    assert!(excerpt.contains("CNCF maturity: graduated"), "{r:#?}");
    assert!(!excerpt.contains("Cncf"), "{r:#?}");
    c.goto(&format!(
        "{}{}",
        server.url(),
        r.href.trim_start_matches('/')
    ))
    .await
    .unwrap_or_else(|e| panic!("open {}: {e}", r.href));
    let labels: Value = c
        .execute(
            "return [...document.querySelectorAll('dt')].map(d => d.textContent.trim());",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    assert!(
        labels
            .as_array()
            .is_some_and(|l| l.iter().any(|d| d == "CNCF maturity")),
        "the panel of {}: {labels}",
        r.href
    );

    // The releases table of /kubernetes/: an excerpt holds whole rows, never the end of one.
    let found = search(c, &server, "1.30 released").await;
    let r = found
        .iter()
        .find(|r| r.href == "/kubernetes/")
        .unwrap_or_else(|| panic!("the releases page: {found:#?}"));
    let excerpt = squashed(r.excerpt.as_deref().unwrap_or(""));
    let rows = excerpt.strip_suffix(" …").unwrap_or(&excerpt);
    assert!(rows.ends_with('.'), "ends where a row does: {excerpt:?}");
    for row in rows.trim_end_matches('.').split(". ") {
        let whole = row.starts_with("Kubernetes ")
            && row.contains(": released ")
            && row.contains(", end of life ");
        assert!(whole, "{row:?} is not a whole row of {excerpt:?}");
    }

    // A Markdown table in an entry's body: the excerpt starts at one of its rows.
    let found = search(c, &server, "kubeadmcontrolplane").await;
    let r = found
        .iter()
        .find(|r| r.href.starts_with("/architectures/") && r.section.is_some())
        .unwrap_or_else(|| panic!("an architecture's topology table: {found:#?}"));
    let text = r.excerpt.as_deref().unwrap_or("");
    let body = squashed(text.split_once(": ").map_or(text, |(_, b)| b));
    c.goto(&format!(
        "{}{}",
        server.url(),
        r.href.trim_start_matches('/')
    ))
    .await
    .unwrap_or_else(|e| panic!("open {}: {e}", r.href));
    let rows: Value = c
        .execute(
            "return [...document.querySelectorAll('main tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join(' ').split(/\\s+/).join(' '));",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    let start: Vec<&str> = body.split(' ').take(3).collect();
    let start = start.join(" ");
    assert!(
        rows.as_array().is_some_and(|rows| rows
            .iter()
            .any(|row| row.as_str().is_some_and(|t| t.starts_with(&start)))),
        "{:?} starts no row of {}: {rows}",
        start,
        r.href
    );
    let _ = browser.client.clone().close().await;
}

/// What a reader types that the index does not hold as such: an inflection only the browser
/// can stem, words written together, a page made from data rather than a file, and a product
/// whose one result per version would fill the results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_stems_splits_and_finds_generated_pages() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    // A word the index does not hold as typed is stemmed in the browser by stem.js
    // ("electing" is found under "elect", which "election" is indexed by)…
    let found = search(c, &server, "why does my etcd keep electing a new leader").await;
    assert!(
        found.iter().take(3).any(|r| r.href == "/tools/etcd/"),
        "{found:#?}"
    );
    assert_eq!(
        text_of(c, "search-correction").await,
        "",
        "no typo to correct"
    );
    // …two words written together are split ("argocd" → "argo cd")…
    let found = search(c, &server, "argocd").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/tools/argo-cd/"),
        "{found:#?}"
    );
    // …a versions page, which no content file holds, is found by what it states…
    let found = search(c, &server, "kubernetes 1.29 release").await;
    assert!(
        found.iter().take(3).any(|r| r.href == "/kubernetes/1.29/"),
        "{found:#?}"
    );
    // …a version the query names picks the page of its run that stands for it…
    let found = search(c, &server, "1.32 end of life").await;
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/kubernetes/1.32/"),
        "{found:#?}"
    );
    // …an invented example says so beside its result, as on its page…
    let found = search(c, &server, "k3s edge fleet upgrade").await;
    let note = found
        .iter()
        .find(|r| r.href == "/notes/k3s-edge-fleet-upgrade/")
        .unwrap_or_else(|| panic!("the note is found: {found:#?}"));
    assert_eq!(note.badge.as_deref(), Some("example"), "{note:#?}");
    // …and one product's conformance result per version does not fill the first results.
    let found = search(c, &server, "kubernetes on edge sites").await;
    let conformance = found
        .iter()
        .take(5)
        .filter(|r| r.href.starts_with("/conformance/"))
        .count();
    assert!(conformance <= 1, "{found:#?}");
    // A product's newest result stands for its run, though an older one names the product
    // once more (Rancher's 1.24 result also names "Rancher Inc.", its vendor then).
    let found = search(c, &server, "rancher").await;
    let rancher: Vec<&str> = found
        .iter()
        .map(|r| r.href.as_str())
        .filter(|h| h.starts_with("/conformance/rancher-1."))
        .collect();
    assert_eq!(
        rancher.first(),
        Some(&"/conformance/rancher-1.32/"),
        "{found:#?}"
    );
    let _ = search(c, &server, "kubernetes on edge sites").await;
    // The result standing for its run says how many versions come last.
    let others: Value = c
        .execute(
            "const o = document.querySelector('#search-results li .others'); return o ? o.textContent : null;",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    assert!(
        others
            .as_str()
            .is_some_and(|t| t.contains("other version") && t.contains("listed last")),
        "{others}"
    );

    let _ = browser.client.clone().close().await;
}

/// The options of the first filter (Section) once the results are shown (or, without words,
/// once the filters are drawn).
async fn section_options(c: &Client) -> Vec<String> {
    let v = browser::wait_for(
        c,
        "const l = document.getElementById('search-results');
         const s = document.querySelector('#search-filters select');
         if (!s || l.hasAttribute('aria-busy') || !document.getElementById('search-status').textContent && location.search.includes('q=')) return null;
         return [...s.options].filter(o => o.value).map(o => o.textContent);",
        45,
    )
    .await;
    v.as_array()
        .unwrap_or_else(|| panic!("filter options: {v}"))
        .iter()
        .map(|o| o.as_str().unwrap_or_default().to_string())
        .collect()
}

/// A filter's counts are the site's totals: shown while nothing is searched, dropped once
/// words narrow the results, where they would read as counts of the matches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_counts_never_pass_for_counts_of_the_matches() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let server = common::Server::start(&repo());
    c.goto(&format!("{}search/", server.url()))
        .await
        .expect("open search");
    let all = section_options(c).await;
    assert!(
        all.iter()
            .any(|o| o.starts_with("Conformance results (") && o.ends_with(')')),
        "{all:?}"
    );
    let found = search(c, &server, "upgrade").await;
    assert!(!found.is_empty());
    let now = section_options(c).await;
    assert!(now.iter().any(|o| o == "Conformance results"), "{now:?}");
    assert!(now.iter().all(|o| !o.contains('(')), "{now:?}");

    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_finds_an_edited_page_by_its_new_words() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let site = common::fixture("site-features");
    let server = common::Server::start(site.path());
    assert!(
        search(c, &server, "blorptastic").await.is_empty(),
        "the word is nowhere yet"
    );

    let note = site.path().join("content/notes/etcd-restore.md");
    let mut text = std::fs::read_to_string(&note).expect("read the note");
    text.push_str(
        "\nWe later moved the snapshots to a blorptastic vault.\n\n```bash\netcdctl-upgrade v1.41.7\n```\n",
    );
    std::fs::write(&note, text).expect("edit the note");

    // The page reloads first; the index follows in the background, within seconds.
    let start = std::time::Instant::now();
    let found = loop {
        let found = search(c, &server, "blorptastic").await;
        if !found.is_empty() || start.elapsed() > std::time::Duration::from_secs(20) {
            break found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    assert_eq!(
        found.first().map(|r| r.href.as_str()),
        Some("/notes/etcd-restore/"),
        "{found:#?}"
    );
    assert_eq!(
        found.first().map(|r| r.marks.clone()),
        Some(vec!["blorptastic".to_string()])
    );
    // A version in a code block is found by every level: `v1.41.7` by `1.41.7` and `1.41`.
    for q in ["1.41.7", "1.41", "v1.41.7"] {
        let found = search(c, &server, q).await;
        assert_eq!(
            found.first().map(|r| r.href.as_str()),
            Some("/notes/etcd-restore/"),
            "{q}: {found:#?}"
        );
        assert!(
            found
                .first()
                .is_some_and(|r| r.marks.iter().any(|m| m == "v1.41.7")),
            "{q}: {found:#?}"
        );
    }
    let _ = browser.client.clone().close().await;
}

/// An excerpt cut from inside its passage starts at a word: "… CNCF landscape", never
/// "… · CNCF landscape" or "… — the", where the ten words before the match begin at a
/// separator or a dash set apart by spaces.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_excerpt_starts_at_a_word() {
    let Some(browser) = browser::open(1280, 900, false).await else {
        return;
    };
    let c = &browser.client;
    let site = common::fixture_with(
        "basic",
        &[(
            "notes/dashes.md",
            "+++\ntitle = \"Dashes\"\n+++\napple brook cedar dune ember fjord grove heath inlet jetty knoll ledge marsh north oasis prairie quarry ridge shoal tundra upland valley wharf yard zenith — alpha beta gamma delta epsilon zeta eta theta iota zanzibarite and more words after it.\n\napple brook cedar dune ember fjord grove heath inlet jetty knoll ledge marsh north oasis prairie quarry ridge shoal tundra upland valley wharf yard zenith · red orange yellow green blue indigo violet black white quixotical and the rest.\n",
        )],
    );
    let server = common::Server::start(site.path());
    for (q, start) in [("zanzibarite", "alpha"), ("quixotical", "red")] {
        let found = search(c, &server, q).await;
        let excerpt = found
            .iter()
            .find_map(|r| r.excerpt.clone())
            .unwrap_or_else(|| panic!("{q}: no excerpt: {found:#?}"));
        assert!(
            excerpt.starts_with(&format!("… {start} ")),
            "{q}: {excerpt:?}"
        );
    }
    let _ = browser.client.clone().close().await;
}
