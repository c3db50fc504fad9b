//! Importers on small slices of real-shaped data (tests/fixtures/import-*): counts, messy input,
//! idempotence, respect for hand edits, no e-mail addresses, and entries that pass `check`.

mod common;

use std::path::Path;

use common::{Page, assert_check_clean, build_site, fixture, opsbook, snapshot};
use opsbook::import::{conformance, landscape};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn front(root: &Path, rel: &str) -> toml::Table {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let inner = text.split("+++").nth(1).unwrap_or("");
    inner.parse().unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn landscape_import_counts_messy_items_and_passes_check() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    let report = landscape::import(
        &fixtures().join("import-landscape/landscape.yml"),
        &tools,
        &["Provisioning".into(), "Runtime".into()],
        false,
    )
    .expect("import");
    assert_eq!(
        report.groups,
        [("Provisioning".to_string(), 7), ("Runtime".to_string(), 5)]
    );
    assert_eq!(report.created, 8, "{}", report.summary("landscape", false));
    assert_eq!(
        report.kept.len(),
        1,
        "the hand-written kubeadm entry is frozen"
    );
    let problems: Vec<&str> = report.problems.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        problems,
        [
            "Provisioning / Automation & Configuration / Kubeadm Helper",
            "Provisioning / Automation & Configuration / Homeless Tool",
            "Provisioning / Container Registry / Acme Corp (member)"
        ]
    );
    assert!(report.problems[0].1.contains("duplicate"));
    assert!(
        report.problems[2].1.contains("membership listing"),
        "{:?}",
        report.problems[2]
    );
    assert!(
        !tools.join("not-imported.md").exists(),
        "other categories are left out"
    );

    let helper = front(root, "content/tools/kubeadm-helper.md");
    assert_eq!(
        helper["homepage"].as_str(),
        Some("https://helper.example.org/"),
        "the first of two duplicates wins"
    );
    assert_eq!(helper["cncf"].as_str(), Some("graduated"));
    assert_eq!(helper["source"].as_str(), Some("landscape"));
    assert_eq!(
        helper["landscape_category"].as_str(),
        Some("Provisioning / Automation & Configuration")
    );
    assert_eq!(
        helper["landscape"].as_str(),
        Some(
            "https://landscape.cncf.io/?item=provisioning--automation-configuration--kubeadm-helper"
        ),
        "imported entries link to their landscape entry"
    );
    // Backup tools the landscape files under storage are filed under backup.
    for (slug, category) in [
        ("kasten", "backup"),
        ("snap-saver", "backup"),
        ("block-store", "storage"),
    ] {
        assert_eq!(
            front(root, &format!("content/tools/{slug}.md"))["category"].as_str(),
            Some(category),
            "{slug}"
        );
    }
    let nodesc = front(root, "content/tools/no-description-tool.md");
    assert_eq!(
        nodesc["summary"].as_str(),
        Some("No Description Tool, listed in the CNCF landscape under Automation & Configuration.")
    );
    // That summary is the importer's line, not the landscape's words, and says so; a
    // summary that is the landscape's description does not.
    assert_eq!(nodesc["summary_by"].as_str(), Some("importer"));
    assert!(
        front(root, "content/tools/snap-saver.md")
            .get("summary_by")
            .is_none()
    );
    assert!(
        tools.join("itemless-tool.md").exists(),
        "items without an `item:` key are imported"
    );
    assert_eq!(
        front(root, "content/tools/net-mesh.md")["category"].as_str(),
        Some("networking")
    );
    assert_eq!(
        front(root, "content/tools/registry-one.md")["category"].as_str(),
        Some("delivery")
    );
    let kubeadm = std::fs::read_to_string(tools.join("kubeadm.md")).expect("read");
    assert!(
        kubeadm.contains("Written by hand.") && !kubeadm.contains("source"),
        "frozen entry untouched"
    );
    for (_, bytes) in snapshot(&tools) {
        assert!(!String::from_utf8_lossy(&bytes).contains("ops@example.org"));
    }
    assert_check_clean(root);
}

#[test]
fn the_catalog_marks_written_entries_first_and_links_imported_ones_to_the_landscape() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    landscape::import(
        &fixtures().join("import-landscape/landscape.yml"),
        &tools,
        &["Provisioning".into(), "Runtime".into()],
        false,
    )
    .expect("import");
    let public = build_site(root, false, None);
    let index = Page::load(&public, "tools/index.html");
    assert_eq!(
        index.attrs("#written-up a", "href"),
        ["/tools/kubeadm/"],
        "the written entry is listed on its own, one click away"
    );
    // In every category, written entries come before imported listings, and say which is which.
    for section in index.all("#catalog section.category") {
        let kinds: Vec<String> = section
            .select(&scraper::Selector::parse(".tool-card").expect("selector"))
            .map(|c| c.value().attr("data-written").unwrap_or("").to_string())
            .collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| k != "yes");
        assert_eq!(kinds, sorted, "written first");
    }
    assert_eq!(
        index.texts(".tool-card.written .badge-written").len(),
        1,
        "one written card"
    );
    assert!(index.texts(".tool-card.imported .entry-kind").len() >= 8);
    // Without JavaScript there are no filters, so nothing says what they leave out.
    assert!(
        index.attr("#catalog-filter-note", "hidden").is_some(),
        "the filters' note waits for catalog.js"
    );
    // An imported page says nobody has written about it, and links to its landscape entry.
    let kasten = Page::load(&public, "tools/kasten/index.html");
    assert!(
        kasten
            .text("#imported-notice")
            .contains("Nobody has written about Kasten"),
        "{}",
        kasten.text("#imported-notice")
    );
    assert_eq!(
        kasten.attr("a.landscape-link", "href").as_deref(),
        Some("https://landscape.cncf.io/?item=runtime--cloud-native-storage--kasten")
    );
    let kubeadm = Page::load(&public, "tools/kubeadm/index.html");
    assert!(kubeadm.all("#imported-notice").is_empty());
    // The landscape's description is quoted as its words, not shown as the site's own.
    let snap = Page::load(&public, "tools/snap-saver/index.html");
    let quoted = snap.text(".lede.landscape-description q");
    assert_eq!(quoted, "Backup and restore for persistent volumes.");
    assert!(
        snap.text(".lede.landscape-description")
            .starts_with("The CNCF landscape describes it as"),
        "{}",
        snap.text(".lede")
    );
    let description = snap.attr("meta[name=description]", "content");
    assert!(
        description
            .as_deref()
            .is_some_and(|d| d
                .starts_with("Snap Saver, listed in the CNCF landscape, which describes it as")),
        "{description:?}"
    );
    assert!(
        kubeadm.all(".landscape-description").is_empty(),
        "a written entry's summary is its own"
    );
    // A summary the importer wrote (the landscape had no description: Kasten's, or this
    // one's) is not quoted as the landscape's words, on its page or its card; the landscape's
    // own description is.
    assert!(kasten.all(".landscape-description").is_empty());
    let nodesc = Page::load(&public, "tools/no-description-tool/index.html");
    assert!(nodesc.all(".landscape-description").is_empty());
    assert!(
        nodesc
            .text(".lede")
            .starts_with("No Description Tool, listed in the CNCF landscape under"),
        "{}",
        nodesc.text(".lede")
    );
    let description = nodesc.attr("meta[name=description]", "content");
    assert!(
        description
            .as_deref()
            .is_some_and(|d| !d.contains("describes it as")),
        "{description:?}"
    );
    let card = |slug: &str| {
        index
            .all(".tool-card")
            .into_iter()
            .find(|c| {
                c.select(&scraper::Selector::parse("h3 a").expect("selector"))
                    .any(|a| a.value().attr("href") == Some(&format!("/tools/{slug}/")))
            })
            .unwrap_or_else(|| panic!("no card of {slug}"))
    };
    let quotes = |slug: &str| {
        card(slug)
            .select(&scraper::Selector::parse("q, .attribution").expect("selector"))
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert!(quotes("no-description-tool").is_empty());
    assert!(quotes("kasten").is_empty());
    assert_eq!(
        quotes("snap-saver"),
        [
            "Backup and restore for persistent volumes.",
            "(the landscape’s words)"
        ]
    );
}

/// A body an earlier importer wrote (nobody has edited it) is brought up to date; a body
/// someone wrote in is not.
#[test]
fn an_earlier_importers_stub_body_is_replaced_and_a_written_one_kept() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    let file = fixtures().join("import-landscape/landscape.yml");
    landscape::import(&file, &tools, &[], false).expect("first");
    let path = tools.join("kasten.md");
    let current = std::fs::read_to_string(&path).expect("read");
    let header_end = current.rfind("+++\n").expect("fence") + 4;
    let (header, body) = current.split_at(header_end);
    assert_eq!(
        body, "",
        "a new listing's body is left for whoever writes it"
    );
    let old_stub = "Kasten is listed in the CNCF landscape under Runtime / Cloud Native Storage. This entry was imported; add what you learned running it below.\n";
    std::fs::write(&path, format!("{header}{old_stub}")).expect("write");
    let report = landscape::import(&file, &tools, &[], false).expect("second");
    assert_eq!(report.updated, 1);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), current);

    let written = format!("{header}{old_stub}\nWe run it on 40 clusters.\n");
    std::fs::write(&path, &written).expect("write");
    landscape::import(&file, &tools, &[], false).expect("third");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), written);
}

#[test]
fn a_second_run_changes_nothing_and_hand_edits_survive() {
    let site = fixture("import-site");
    let root = site.path();
    let tools = root.join("content/tools");
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("landscape.yml");
    std::fs::copy(fixtures().join("import-landscape/landscape.yml"), &file).expect("copy");

    landscape::import(&file, &tools, &[], false).expect("first");
    let before = snapshot(&tools);
    let again = landscape::import(&file, &tools, &[], false).expect("second");
    assert_eq!(again.changed(), 0);
    assert_eq!(snapshot(&tools), before, "byte-identical");

    // A person improves the body and adds a field; upstream changes the description.
    let path = tools.join("net-mesh.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replace(
        "source = \"landscape\"\n",
        "source = \"landscape\"\nlicense = \"Apache-2.0\"  # checked by hand\n",
    ) + "\n## Notes from operators\n\nWorks well at 500 nodes.\n";
    std::fs::write(&path, &edited).expect("write");
    let upstream = std::fs::read_to_string(&file)
        .expect("read")
        .replace("Connects pods.", "Connects pods, fast.");
    std::fs::write(&file, upstream).expect("write");

    let report = landscape::import(&file, &tools, &[], false).expect("third");
    assert_eq!((report.created, report.updated), (0, 1));
    let after = std::fs::read_to_string(&path).expect("read");
    assert!(
        after.contains("summary = \"Connects pods, fast.\""),
        "{after}"
    );
    assert!(
        after.contains("license = \"Apache-2.0\"  # checked by hand"),
        "a hand-added field and its comment stay: {after}"
    );
    assert!(
        after.ends_with("## Notes from operators\n\nWorks well at 500 nodes.\n"),
        "the body stays"
    );
    // Deleting `source` freezes the entry.
    std::fs::write(&path, after.replace("source = \"landscape\"\n", "")).expect("write");
    let frozen = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .expect("read")
            .replace("Connects pods, fast.", "Changed again."),
    )
    .expect("write");
    landscape::import(&file, &tools, &[], false).expect("fourth");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), frozen);
    assert_check_clean(root);
}

/// A result's body written when product names still held web addresses ("Gardener
/// (https://github.com/gardener/gardener) shoot cluster …") is the importer's own stub: a
/// re-import writes it with the name as now cleaned.
#[test]
fn a_result_body_with_the_old_name_is_rewritten_with_the_clean_one() {
    let site = fixture("import-site");
    let out = site.path().join("content/conformance");
    let checkout = fixtures().join("import-conformance");
    conformance::import(&checkout, &out, false).expect("first");
    let path = out.join("gardener-aws-1.30.md");
    let current = std::fs::read_to_string(&path).expect("read");
    assert!(
        !current.contains("https://github.com/gardener/gardener"),
        "{current}"
    );
    let old = current.replace(
        "+++\nGardener shoot cluster deployed on AWS by",
        "+++\nGardener (https://github.com/gardener/gardener) shoot cluster deployed on AWS by",
    );
    assert_ne!(old, current, "the body starts with the product's name");
    std::fs::write(&path, &old).expect("write");
    let report = conformance::import(&checkout, &out, false).expect("second");
    assert_eq!(report.updated, 1);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), current);
}

#[test]
fn conformance_import_handles_real_world_mess() {
    let site = fixture("import-site");
    let root = site.path();
    let out = root.join("content/conformance");
    let report =
        conformance::import(&fixtures().join("import-conformance"), &out, false).expect("import");
    let summary = report.summary("conformance", false);
    assert_eq!(
        report.groups,
        [("v1.29".to_string(), 7), ("v1.30".to_string(), 11)],
        "{summary}"
    );
    // Every submission is imported or named: 18 files, one without name and vendor skipped,
    // and one folder with no PRODUCT.yaml at all.
    assert_eq!(report.created, 17, "{summary}");
    let problems: Vec<&str> = report.problems.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        problems,
        ["v1.30/no-product", "v1.30/unreadable/PRODUCT.yaml"],
        "{summary}"
    );

    // YAML that does not parse is read line by line, with a warning naming file and line.
    let warned = |file: &str| {
        report
            .warnings
            .iter()
            .find(|(at, _)| at == file)
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| panic!("no warning for {file}: {summary}"))
    };
    assert!(warned("v1.30/colons/PRODUCT.yaml").starts_with("line 5:"));
    assert!(warned("v1.30/unclosed/PRODUCT.yaml").starts_with("line 2:"));
    assert!(warned("v1.30/tabs/PRODUCT.yaml").starts_with("line "));
    assert!(warned("v1.29/old-style/PRODUCT.yaml").contains("no `type`"));
    let colons = front(root, "content/conformance/colons-1.30.md");
    assert_eq!(
        colons["description"].as_str(),
        Some("Fast: really fast, and simple.")
    );
    assert_eq!(colons["product_version"].as_str(), Some("1.30"));
    let unclosed = front(root, "content/conformance/unclosed-1.30.md");
    assert_eq!(unclosed["product"].as_str(), Some("Unclosed Kubernetes"));
    assert_eq!(
        front(root, "content/conformance/tabs-1.30.md")["description"].as_str(),
        Some("Indented with a tab.")
    );

    // A submission older than the mandatory fields: imported, the missing ones unset.
    let old = front(root, "content/conformance/old-style-1.29.md");
    assert_eq!(old["type"].as_str(), Some("unknown"));
    for missing in ["description", "website", "documentation", "repository"] {
        assert!(old.get(missing).is_none(), "{missing}");
    }

    // Nested folders are found, and the evidence names the folder upstream.
    let nested = front(root, "content/conformance/nested-nested-1.29.md");
    assert_eq!(
        nested["evidence"].as_str(),
        Some("https://github.com/cncf/k8s-conformance/tree/master/v1.29/nested/nested/")
    );

    // Two spellings of one product: one product name, hence one row and one product page.
    let swarm29 = front(root, "content/conformance/swarm-aws-1.29.md");
    let swarm30 = front(root, "content/conformance/swarm-aws-1.30.md");
    assert_eq!(swarm29["product"], swarm30["product"]);
    assert_eq!(
        swarm29["title"].as_str(),
        Some("Managed Kubernetes on AWS on Kubernetes 1.29"),
        "the title keeps the name as submitted"
    );
    // A renamed vendor and a release number in the name.
    let tanzu29 = front(root, "content/conformance/tanzu-1.29.md");
    let tanzu30 = front(root, "content/conformance/tanzu-1.30.md");
    assert_eq!(tanzu29["product"].as_str(), Some("Tanzu Grid"));
    assert_eq!(tanzu30["product"].as_str(), Some("Tanzu Grid"));
    assert_eq!(tanzu29["vendor"].as_str(), Some("VMware by Broadcom"));
    assert_eq!(tanzu29["vendor_as_submitted"].as_str(), Some("VMware"));
    assert!(tanzu30.get("vendor_as_submitted").is_none());
    // Gardener's hosted and installer submissions stay two products.
    assert_ne!(
        front(root, "content/conformance/sap-cp-aws-1.30.md")["product"],
        front(root, "content/conformance/gardener-aws-1.30.md")["product"]
    );

    let echo = front(root, "content/conformance/echo-1.30.md");
    assert_eq!(
        echo["product_version"].as_str(),
        Some("1.30"),
        "an unquoted 1.30 stays 1.30"
    );
    assert_eq!(echo["kubernetes"].as_str(), Some("1.30"), "from the folder");
    assert_eq!(echo["type"].as_str(), Some("hosted"));
    assert_eq!(
        front(root, "content/conformance/delta-1.30.md")["type"].as_str(),
        Some("distribution"),
        "product.yml spelling, `distro`"
    );
    assert_eq!(
        front(root, "content/conformance/foxtrot-1.30.md")["description"].as_str(),
        Some("Windows line endings."),
        "CRLF"
    );
    let charlie = front(root, "content/conformance/charlie-1.29.md");
    assert_eq!(charlie["type"].as_str(), Some("installer"));
    assert!(
        charlie.get("website").is_none(),
        "an invalid URL is left out"
    );
    assert_eq!(
        front(root, "content/conformance/bravo-1.29.md")["type"].as_str(),
        Some("hosted")
    );
    // Every entry records its evidence upstream.
    for (file, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains('@'),
            "{} carries an e-mail address",
            file.display()
        );
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(name) = name.filter(|n| n != "_index.md") else {
            continue;
        };
        let entry = front(&out, &name);
        let evidence = entry["evidence"].as_str().unwrap_or("");
        assert!(
            evidence.starts_with("https://github.com/cncf/k8s-conformance/tree/master/v1.")
                && evidence.ends_with('/'),
            "{name}: {evidence}"
        );
    }
    let again =
        conformance::import(&fixtures().join("import-conformance"), &out, false).expect("again");
    assert_eq!(again.changed(), 0, "idempotent");
    assert!(again.gone.is_empty());
    assert_check_clean(root);
}

#[test]
fn conformance_matrix_has_one_row_per_product_linked_to_its_history() {
    let site = fixture("import-site");
    let root = site.path();
    let out = root.join("content/conformance");
    conformance::import(&fixtures().join("import-conformance"), &out, false).expect("import");
    let public = build_site(root, false, None);
    let page = Page::load(&public, "conformance/index.html");
    let rows = page.texts("table.matrix tbody th a.product");
    let swarm: Vec<&String> = rows
        .iter()
        .filter(|r| r.to_lowercase().starts_with("managed kubernetes on aws"))
        .collect();
    assert_eq!(swarm.len(), 1, "one row for two spellings: {rows:?}");
    assert_eq!(
        rows.iter().filter(|r| r.contains("Gardener")).count(),
        2,
        "{rows:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        assert!(seen.insert(r.to_lowercase()), "duplicate row {r}");
    }
    // Rows show the vendor and link to the product page, which lists the whole history.
    let vendors = page.texts("table.matrix tbody th .vendor");
    assert_eq!(vendors.len(), rows.len());
    assert!(
        vendors.contains(&"VMware by Broadcom".to_string()),
        "{vendors:?}"
    );
    let tanzu = page
        .all("table.matrix tbody th a.product")
        .into_iter()
        .find(|a| a.text().collect::<String>() == "Tanzu Grid")
        .and_then(|a| a.value().attr("href"))
        .expect("a Tanzu Grid row")
        .to_string();
    assert_eq!(tanzu, "/conformance/product/tanzu-grid/");
    let product = Page::load(&public, "conformance/product/tanzu-grid/index.html");
    assert_eq!(product.text("h1"), "Tanzu Grid");
    assert_eq!(
        product.texts("#product-history tbody th"),
        ["1.30", "1.29"],
        "newest first"
    );
    assert_eq!(
        product.attrs("#product-history a.evidence", "href"),
        [
            "https://github.com/cncf/k8s-conformance/tree/master/v1.30/tanzu/",
            "https://github.com/cncf/k8s-conformance/tree/master/v1.29/tanzu/"
        ]
    );
    // Every cell is a certified mark linking to its result, whose page links its evidence.
    let cells = page.all("table.matrix td[data-kind]");
    assert_eq!(cells.len(), 17);
    assert!(
        cells
            .iter()
            .all(|c| c.value().attr("data-kind") == Some("certified"))
    );
    // A legend, without the community mark no cell uses here.
    assert_eq!(page.all("#matrix-legend dt").len(), 3, "a legend");
    assert!(page.all("#matrix-legend .mark-community").is_empty());
    for href in page.attrs("table.matrix td a", "href") {
        let result = Page::load(
            &public,
            &format!("{}index.html", href.trim_start_matches('/')),
        );
        let evidence = result.attr("a.evidence", "href").unwrap_or_default();
        assert!(
            evidence.starts_with("https://github.com/cncf/k8s-conformance/tree/master/"),
            "{href}: {evidence}"
        );
    }
    // Plain links filter by type and vendor without JavaScript.
    let links = page.attrs(".matrix-filter-links a", "href");
    assert!(
        links.contains(&"/conformance/type/unknown/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/conformance/vendor/".to_string()),
        "{links:?}"
    );
    assert!(
        public
            .join("conformance/vendor/vmware-by-broadcom/index.html")
            .is_file()
    );
}

#[test]
fn community_runs_are_marked_apart_and_the_data_date_comes_from_the_checkout() {
    let site = fixture("import-site");
    let root = site.path();
    let out = root.join("content/conformance");
    // The checkout as a git repository whose newest commit is from August 2025.
    let input = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&fixtures().join("import-conformance"), input.path());
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(input.path())
            .args(args)
            .env("GIT_AUTHOR_DATE", "2025-08-14T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-08-14T12:00:00Z")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@t")
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "snapshot"]);
    conformance::import(input.path(), &out, false).expect("import");
    let index = std::fs::read_to_string(out.join("_index.md")).expect("_index.md written");
    assert!(index.contains("data_as_of = \"August 2025\""), "{index}");
    // A hand-entered run with its logs as evidence, for a product the import also has.
    std::fs::write(
        out.join("echo-community-1.29.md"),
        "+++\ntitle = \"Echo Platform, community run on 1.29\"\nproduct = \"Echo Platform\"\nvendor = \"Echo\"\nkubernetes = \"1.29\"\ntype = \"hosted\"\nresult = \"pass\"\nevidence = \"https://logs.example.org/echo-1.29/\"\n+++\nRun by hand.\n",
    )
    .expect("write");
    assert_check_clean(root);
    let public = build_site(root, false, None);
    let page = Page::load(&public, "conformance/index.html");
    assert!(page.text("#data-date").contains("August 2025"));
    assert_eq!(
        page.all("#matrix-legend .mark-community").len(),
        1,
        "the legend explains the community mark once a cell uses it"
    );
    let echo_row = page
        .all("table.matrix tbody tr")
        .into_iter()
        .find(|r| r.text().collect::<String>().contains("Echo Platform"))
        .expect("an Echo row");
    let kinds: Vec<&str> = echo_row
        .select(&scraper::Selector::parse("td[data-kind]").expect("selector"))
        .filter_map(|td| td.value().attr("data-kind"))
        .collect();
    assert_eq!(
        kinds,
        ["certified", "community"],
        "1.30 imported, 1.29 by hand (newest first)"
    );
    let result = Page::load(&public, "conformance/echo-community-1.29/index.html");
    assert!(result.text("#result-kind").contains("Community run"));
    assert_eq!(
        result.attr("a.evidence", "href").as_deref(),
        Some("https://logs.example.org/echo-1.29/")
    );
    // Without evidence a hand-entered run does not pass `check`.
    std::fs::write(
        out.join("no-evidence-1.29.md"),
        "+++\ntitle = \"A run\"\nproduct = \"Echo Platform\"\nvendor = \"Echo\"\nkubernetes = \"1.29\"\ntype = \"hosted\"\n+++\n",
    )
    .expect("write");
    let (code, diags) = common::check_json(root);
    assert_eq!(code, 1);
    assert!(
        diags
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x["code"] == "missing-field"
                && x["message"].as_str().unwrap_or("").contains("evidence"))),
        "{diags}"
    );
}

#[test]
fn a_hand_override_moves_a_result_and_vanished_submissions_are_reported() {
    let site = fixture("import-site");
    let root = site.path();
    let out = root.join("content/conformance");
    let input = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&fixtures().join("import-conformance"), input.path());
    conformance::import(input.path(), &out, false).expect("import");
    // Declare bravo and delta one product by hand: the next import follows the override.
    for (file, id) in [("bravo-1.29.md", "bravo"), ("delta-1.30.md", "delta")] {
        let path = out.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let written = format!("product_id = \"{id}\"\n");
        assert!(
            text.contains(&written),
            "the import writes the folder's id: {text}"
        );
        let text = text.replacen(
            &written,
            &format!("{written}product_override = \"bravo-delta\"\n"),
            1,
        );
        std::fs::write(&path, text).expect("write");
    }
    // An id an older import wrote under other rules is the import's own, not a hand edit: it is
    // rewritten from the folder, without a warning.
    let charlie = out.join("charlie-1.29.md");
    let text = std::fs::read_to_string(&charlie).expect("read charlie");
    assert!(text.contains("product_id = \"charlie\"\n"), "{text}");
    std::fs::write(
        &charlie,
        text.replacen(
            "product_id = \"charlie\"\n",
            "product_id = \"charlie-old\"\n",
            1,
        ),
    )
    .expect("write charlie");
    std::fs::remove_dir_all(input.path().join("v1.29/alpha")).expect("remove alpha");
    let report = conformance::import(input.path(), &out, false).expect("again");
    assert_eq!(
        front(&out, "charlie-1.29.md")["product_id"].as_str(),
        Some("charlie")
    );
    assert!(
        !report
            .warnings
            .iter()
            .any(|(_, w)| w.contains("charlie-old")),
        "{:?}",
        report.warnings
    );
    let summary = report.summary("conformance", false);
    assert_eq!(
        front(&out, "bravo-1.29.md")["product"],
        front(&out, "delta-1.30.md")["product"],
        "{summary}"
    );
    assert_eq!(
        front(&out, "bravo-1.29.md")["product_id"].as_str(),
        Some("bravo-delta")
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|(at, w)| at == "v1.29/bravo/PRODUCT.yaml" && w.contains("bravo-delta")),
        "{summary}"
    );
    assert_eq!(
        front(&out, "bravo-1.29.md")["product_override"].as_str(),
        Some("bravo-delta"),
        "the hand-set field is kept"
    );
    assert_eq!(report.gone, ["alpha-1.29.md"], "{summary}");
    assert!(out.join("alpha-1.29.md").is_file(), "reported, not deleted");
    assert!(summary.contains("alpha-1.29.md"), "{summary}");
}

/// Imports `tests/fixtures/import-conformance-identity` into a copy of the import site: first
/// without v1.29 (before upstream renamed Konvoy), then whole, as two imports months apart would.
fn import_identity_fixture() -> (tempfile::TempDir, opsbook::import::Report) {
    let site = fixture("import-site");
    let out = site.path().join("content/conformance");
    let input = tempfile::tempdir().expect("tempdir");
    common::copy_dir(
        &fixtures().join("import-conformance-identity"),
        input.path(),
    );
    let later = tempfile::tempdir().expect("tempdir");
    std::fs::rename(input.path().join("v1.29"), later.path().join("v1.29")).expect("hold v1.29");
    conformance::import(input.path(), &out, false).expect("before");
    std::fs::rename(later.path().join("v1.29"), input.path().join("v1.29")).expect("add v1.29");
    let report = conformance::import(input.path(), &out, false).expect("after");
    (site, report)
}

#[test]
fn a_product_is_its_upstream_folder_not_its_name() {
    let (site, report) = import_identity_fixture();
    let root = site.path();
    let out = root.join("content/conformance");
    let summary = report.summary("conformance", false);
    assert!(report.problems.is_empty(), "{summary}");

    // One folder, renamed product: one product under the newest name, the old one noted.
    for file in ["konvoy-1.28.md", "konvoy-1.29.md"] {
        let entry = front(&out, file);
        assert_eq!(entry["product"].as_str(), Some("NKP"), "{file}");
        assert_eq!(entry["product_id"].as_str(), Some("konvoy"), "{file}");
        assert_eq!(
            entry["formerly"].as_array().map(|a| a.len()),
            Some(1),
            "{file}"
        );
        assert_eq!(entry["formerly"][0].as_str(), Some("Konvoy"), "{file}");
    }
    assert_eq!(
        front(&out, "konvoy-1.28.md")["title"].as_str(),
        Some("Konvoy on Kubernetes 1.28"),
        "a result keeps the name it was submitted under"
    );
    // Folders renamed upstream (by case, by FOLDER_RENAMES, by nesting) stay one product.
    assert_eq!(
        front(&out, "ovh-1.25.md")["product_id"],
        front(&out, "ovh-1.28.md")["product_id"]
    );
    assert_eq!(
        front(&out, "pks-1.24.md")["product_id"].as_str(),
        Some("tkgi")
    );
    assert_eq!(
        front(&out, "pks-1.24.md")["product"],
        front(&out, "tkgi-1.25.md")["product"]
    );

    // Two folders, one name: two products, each name and title unique.
    let aws = front(&out, "metakube-aws-1.24.md");
    let openstack = front(&out, "metakube-openstack-1.24.md");
    assert_eq!(aws["product"].as_str(), Some("MetaKube (AWS)"));
    assert_eq!(openstack["product"].as_str(), Some("MetaKube (OpenStack)"));
    assert_eq!(
        aws["title"].as_str(),
        Some("MetaKube (AWS) on Kubernetes 1.24")
    );
    assert_eq!(
        openstack["title"].as_str(),
        Some("MetaKube (OpenStack) on Kubernetes 1.24")
    );
    // The distribution keeps its name; the installer, which took that name in v1.29, is told
    // apart by what its folder adds, and keeps its own earlier name.
    let installer = front(&out, "harmonycloud-installer-1.29.md");
    assert_eq!(
        front(&out, "harmonycloud-1.29.md")["product"].as_str(),
        Some("Harmonycloud Container Platform")
    );
    assert_eq!(
        installer["product"].as_str(),
        Some("Harmonycloud Container Platform (installer)")
    );
    assert_eq!(installer["type"].as_str(), Some("installer"));
    assert_eq!(
        front(&out, "harmonycloud-installer-1.26.md")["product"],
        installer["product"]
    );
    assert!(
        front(&out, "k3s-1.24.md").get("tool").is_none(),
        "no tool catalog given, no tool link"
    );

    // The product page the rename removed is an alias of the newest result that was on it.
    assert_eq!(
        front(&out, "konvoy-1.28.md")["aliases"][0].as_str(),
        Some("/conformance/product/konvoy/")
    );
    assert_check_clean(root);

    let again = conformance::import(&fixtures().join("import-conformance-identity"), &out, false)
        .expect("again");
    assert_eq!(
        again.changed(),
        0,
        "idempotent: {}",
        again.summary("c", false)
    );
}

#[test]
fn the_matrix_shows_each_upstream_folder_once_and_old_product_pages_redirect() {
    let (site, _) = import_identity_fixture();
    let root = site.path();
    let out = root.join("content/conformance");
    let public = build_site(root, false, None);
    let page = Page::load(&public, "conformance/index.html");
    let rows = page.texts("table.matrix tbody th a.product");
    let mut expected = vec![
        "Harmonycloud Container Platform",
        "Harmonycloud Container Platform (installer)",
        "k3s",
        "MetaKube (AWS)",
        "MetaKube (OpenStack)",
        "NKP",
        "OVHcloud Managed Kubernetes Service",
        "VMware Tanzu Kubernetes Grid Integrated Edition",
    ];
    expected.sort_by_key(|r| r.to_lowercase());
    assert_eq!(rows, expected);
    let nkp = page
        .all("table.matrix tbody tr")
        .into_iter()
        .find(|r| r.text().collect::<String>().contains("NKP"))
        .expect("an NKP row");
    assert!(
        nkp.text().collect::<String>().contains("formerly Konvoy"),
        "{}",
        nkp.html()
    );
    // One result per cell: MetaKube's two v1.24 submissions are on two rows.
    for cell in page.all("table.matrix td[data-kind]") {
        let links = cell
            .select(&scraper::Selector::parse("a").expect("selector"))
            .count();
        assert_eq!(links, 1, "{}", cell.html());
    }
    let nkp_page = Page::load(&public, "conformance/product/nkp/index.html");
    assert_eq!(nkp_page.text("h1"), "NKP");
    assert!(nkp_page.text("#product-formerly").contains("Konvoy"));
    assert_eq!(
        nkp_page.texts("#product-history tbody th"),
        ["1.29", "1.28"]
    );
    for (slug, title) in [
        ("metakube-aws", "MetaKube (AWS)"),
        ("metakube-openstack", "MetaKube (OpenStack)"),
    ] {
        let product = Page::load(&public, &format!("conformance/product/{slug}/index.html"));
        assert_eq!(product.text("h1"), title);
        let evidence = product.attrs("#product-history a.evidence", "href");
        assert!(
            !evidence.is_empty() && evidence.iter().all(|e| e.contains(&format!("/{slug}/"))),
            "{slug}: {evidence:?}"
        );
    }
    assert!(
        !public
            .join("conformance/product/metakube/index.html")
            .exists()
    );
    // The product's old page goes to the product's page under its current name.
    let redirect = std::fs::read_to_string(public.join("conformance/product/konvoy/index.html"))
        .expect("the old product page redirects");
    assert!(
        redirect.contains("url=/conformance/product/nkp/"),
        "{redirect}"
    );
    // Every result page has a title of its own.
    let mut titles = std::collections::HashSet::new();
    for file in std::fs::read_dir(&out).expect("read").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name == "_index.md" {
            continue;
        }
        let slug = name.trim_end_matches(".md");
        let result = Page::load(&public, &format!("conformance/{slug}/index.html"));
        assert!(
            titles.insert(result.text("title")),
            "{slug}: {}",
            result.text("title")
        );
    }
}

#[test]
fn results_link_to_the_tools_they_are_and_only_those() {
    let site = fixture("import-site");
    let root = site.path();
    for (slug, title) in [("k3s", "K3s"), ("harmonycloud", "harmonycloud")] {
        std::fs::write(
            root.join(format!("content/tools/{slug}.md")),
            format!("+++\ntitle = \"{title}\"\nsummary = \"A tool.\"\ncategory = \"provisioning\"\nhomepage = \"https://{slug}.example.org/\"\n+++\n"),
        )
        .expect("write tool");
    }
    let out = root.join("content/conformance");
    conformance::import_with_tools(
        &fixtures().join("import-conformance-identity"),
        &out,
        Some(&root.join("content/tools")),
        false,
    )
    .expect("import");
    assert_eq!(front(&out, "k3s-1.24.md")["tool"].as_str(), Some("k3s"));
    // A tool whose slug merely matches a folder is another thing: no link.
    for file in [
        "harmonycloud-1.29.md",
        "metakube-aws-1.24.md",
        "konvoy-1.29.md",
    ] {
        assert!(front(&out, file).get("tool").is_none(), "{file}");
    }
    assert_check_clean(root);
    let public = build_site(root, false, None);
    let tool = Page::load(&public, "tools/k3s/index.html");
    assert!(
        tool.attrs(".backlinks a", "href")
            .contains(&"/conformance/k3s-1.24/".to_string()),
        "{:?}",
        tool.attrs(".backlinks a", "href")
    );
    assert!(
        tool.texts(".backlink-group h3")
            .iter()
            .any(|h| h.starts_with("Its conformance results")),
        "{:?}",
        tool.texts(".backlink-group h3")
    );
    let result = Page::load(&public, "conformance/k3s-1.24/index.html");
    assert_eq!(
        result.attr(".field-tool a", "href").as_deref(),
        Some("/tools/k3s/")
    );
}

#[test]
fn dry_run_writes_nothing() {
    let site = fixture("import-site");
    let before = snapshot(site.path());
    let assert = opsbook(site.path())
        .args(["import", "conformance", "--dry-run"])
        .arg(fixtures().join("import-conformance"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("17 would be created"), "{stderr}");
    assert!(stderr.contains("v1.30/unreadable/PRODUCT.yaml"), "{stderr}");
    assert_eq!(snapshot(site.path()), before);
    opsbook(site.path())
        .args(["import", "landscape", "/nonexistent/landscape.yml"])
        .assert()
        .code(1);
}
