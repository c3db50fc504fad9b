//! A drawn diagram in headless Debian Chromium, light and dark: the SVG takes its colours from
//! the theme (labels in the page's text colour on the theme's surface), and no label spills out
//! of its node's shape or the drawing (the layout's Arial metrics hold for the font stack);
//! at phone width every shipped diagram stays readable (it scrolls in its box rather than
//! shrinking past three quarters of its size).
//!
//! With `OPSBOOK_SCREENSHOTS=DIR` set it saves `diagram-light.png` and `diagram-dark.png` into
//! DIR (the ones in docs/screenshots/ come from
//! `OPSBOOK_SCREENSHOTS=docs/screenshots cargo test --test diagrams_browser`).

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::path::PathBuf;

use fantoccini::Locator;
use serde_json::Value;

const PAGE: &str = "architectures/bare-metal-kubeadm-ha/";

/// Colours and geometry of the page's first diagram, measured in the browser.
const MEASURE: &str = r#"
const svg = document.querySelector('figure.diagram svg.diagram-svg');
if (!svg) return null;
const box = svg.getBoundingClientRect();
// Each label is drawn in a box as wide as the layout measured it; render the same text with
// the same style on its own and compare its real width with that box.
const scratch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
scratch.setAttribute('width', '4000');
scratch.setAttribute('height', '200');
document.body.appendChild(scratch);
const spill = [];
let labels = 0, label = null;
for (const viewport of svg.querySelectorAll('svg svg[width]')) {
  const room = parseFloat(viewport.getAttribute('width'));
  for (const t of viewport.querySelectorAll('text')) {
    const lines = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    for (const line of lines) {
      const words = line.textContent.trim();
      if (!words) continue;
      labels++;
      label = label || t;
      const probe = document.createElementNS('http://www.w3.org/2000/svg', 'text');
      probe.setAttribute('style', t.getAttribute('style') || '');
      probe.setAttribute('x', '0');
      probe.setAttribute('y', '100');
      probe.style.textAnchor = 'start';
      probe.textContent = words;
      scratch.appendChild(probe);
      const real = probe.getComputedTextLength();
      probe.remove();
      if (real > room + 1) spill.push(words + ': ' + real.toFixed(1) + ' px in ' + room.toFixed(1));
    }
  }
}
for (const u of svg.querySelectorAll('use')) {
  const r = u.getBoundingClientRect();
  if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1))
    spill.push('outside the drawing: ' + u.getAttribute('href'));
}
scratch.remove();
const shape = svg.querySelector('g.node path, g.node rect');
return {
  width: box.width,
  texts: labels,
  spill,
  labelFill: label && getComputedStyle(label).fill,
  shapeFill: shape && getComputedStyle(shape).fill,
  pageFg: getComputedStyle(document.body).color,
  font: label && getComputedStyle(label).fontFamily,
  role: svg.getAttribute('role'),
  name: svg.getAttribute('aria-label'),
};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagram_reads_in_light_and_dark() {
    let server = common::Server::start(&PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let shots = std::env::var_os("OPSBOOK_SCREENSHOTS").map(PathBuf::from);
    let mut fills = Vec::new();
    for dark in [false, true] {
        let Some(browser) = browser::open(1000, 2400, dark).await else {
            return;
        };
        let c = &browser.client;
        c.goto(&format!("{}{PAGE}", server.url()))
            .await
            .expect("open the architecture page");
        let m: Value = browser::wait_for(c, MEASURE, 15).await;
        assert!(m.is_object(), "no diagram on {PAGE}: {m}");
        assert_eq!(m["role"], "img");
        assert!(
            m["name"].as_str().unwrap_or("").contains("Bare-metal HA"),
            "{m}"
        );
        assert!(
            m["width"].as_f64().unwrap_or(0.0) > 300.0,
            "drawn at a readable size: {m}"
        );
        assert!(
            m["texts"].as_u64().unwrap_or(0) >= 8,
            "labels drawn as text: {m}"
        );
        assert_eq!(m["spill"], serde_json::json!([]), "labels fit: {m}");
        assert_eq!(
            m["labelFill"], m["pageFg"],
            "labels in the page's text colour: {m}"
        );
        assert_ne!(
            m["shapeFill"], m["labelFill"],
            "shapes are not text-coloured: {m}"
        );
        assert!(
            m["font"].as_str().unwrap_or("").contains("Liberation Sans"),
            "{m}"
        );
        fills.push((m["shapeFill"].clone(), m["labelFill"].clone()));
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).expect("screenshot dir");
            c.execute(
                "document.querySelector('figure.diagram').scrollIntoView();",
                vec![],
            )
            .await
            .expect("scroll to the figure");
            let figure = c
                .find(Locator::Css("figure.diagram"))
                .await
                .expect("the figure");
            let png = figure.screenshot().await.expect("screenshot");
            let scheme = if dark { "dark" } else { "light" };
            std::fs::write(dir.join(format!("diagram-{scheme}.png")), png).expect("save");
        }
        let _ = browser.client.clone().close().await;
    }
    assert_ne!(
        fills[0], fills[1],
        "the drawing follows the colour scheme: {fills:?}"
    );
}

/// Every diagram on a page at phone width: drawn no smaller than three quarters of its size
/// (labels stay readable; a wider drawing scrolls inside its own box, which can take focus),
/// the page itself never scrolls sideways, every line is drawn (a sequence diagram's message
/// lines take their colour from the style sheet), and a sequence note's text fits its box.
const PHONE: &str = r#"
const figures = [...document.querySelectorAll('figure.diagram svg.diagram-svg')];
if (!figures.length) return null;
const out = { pageScrolls: document.documentElement.scrollWidth > window.innerWidth + 1, figures: [] };
for (const svg of figures) {
  const box = svg.parentElement;
  const drawn = svg.viewBox.baseVal.width;
  const lines = [...svg.querySelectorAll('line[class^=messageLine]')];
  // A sequence note's box is as wide as the participants it spans, not as its text: each line
  // of the note must fit inside it.
  const spill = [];
  for (const note of svg.querySelectorAll('rect.note')) {
    const r = note.getBoundingClientRect();
    for (const t of note.parentElement.querySelectorAll('text.noteText')) {
      const b = t.getBoundingClientRect();
      if (b.left < r.left - 1 || b.right > r.right + 1) spill.push(t.textContent);
    }
  }
  out.figures.push({
    noteSpill: spill,
    name: svg.getAttribute('aria-label'),
    scale: svg.getBoundingClientRect().width / drawn,
    boxFocusable: box.tabIndex === 0,
    hiddenLines: lines.filter(l => getComputedStyle(l).stroke === 'none').length,
    lines: lines.length,
  });
}
return out;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagrams_stay_readable_on_a_phone() {
    let server = common::Server::start(&PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let Some(browser) = browser::open(390, 844, false).await else {
        return;
    };
    let c = &browser.client;
    let mut sequence_lines = 0;
    for page in [
        "architectures/bare-metal-kubeadm-ha/",
        "notes/etcd-restore-after-disk-loss/",
        "notes/ingress-nginx-to-envoy-gateway/",
        "notes/gke-blue-green-node-pool-upgrade-rolled-back/",
    ] {
        c.goto(&format!("{}{page}", server.url()))
            .await
            .expect("open the page");
        let m: Value = browser::wait_for(c, PHONE, 15).await;
        assert!(m.is_object(), "no diagram on {page}: {m}");
        assert_eq!(m["pageScrolls"], false, "{page} scrolls sideways: {m}");
        for f in m["figures"].as_array().into_iter().flatten() {
            let scale = f["scale"].as_f64().unwrap_or(0.0);
            assert!(
                scale >= 0.74,
                "{page}: drawn at {scale:.2} of its size: {f}"
            );
            assert_eq!(f["boxFocusable"], true, "{page}: {f}");
            assert_eq!(f["hiddenLines"], 0, "{page}: message lines hidden: {f}");
            assert_eq!(f["noteSpill"], serde_json::json!([]), "{page}: {f}");
            sequence_lines += f["lines"].as_u64().unwrap_or(0);
        }
    }
    assert!(
        sequence_lines >= 10,
        "the sequence diagram's messages were measured"
    );
    let _ = browser.client.clone().close().await;
}
