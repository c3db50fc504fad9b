#!/usr/bin/env python3
"""Deterministic synthetic corpus for the build benchmark.

Usage: bench/gen_corpus.py N OUTDIR [--shape paginated|unpaginated]

Writes two equivalent sites from one seeded random stream:
  OUTDIR/opsbook/  book.toml + content/   (the default theme, clusterops, is built into opsbook)
  OUTDIR/hugo/     hugo.toml + content/ + layouts/ (a small theme doing comparable work)

N pages spread over 5 collections; each page has TOML front matter (title, summary, 3 tags, an
indexed `kind`, a date in dated collections), ~700 words in 5 sections with `##` and `###`
headings, a fenced code block whose text is unique to the page (so highlighting is real work,
not a cache hit), a table, a list, emphasis, and 3 links to other pages, one with an anchor to
a heading that exists there. opsbook indexes `kind` per collection (`index = true`); Hugo gets
it as a site-wide `kinds` taxonomy.

The two shapes differ only in the lists and the tags; titles, bodies, links and dates are the
same page for page, because both draw the same stream:
  paginated (default)  collection lists paginated by 50 in both tools; 3 of 200 tags a page
                       (about 150 entries a tag at N = 10,000).
  unpaginated          every collection list shows all its entries on one page (N/5 each:
                       2,000 at N = 10,000) in both tools; 3 of 50 tags a page (the drawn tag
                       number modulo 50, so a page that draws two equal ones keeps 2): 541 to
                       625 entries a tag, 588 on average, at N = 10,000. Term pages are
                       unpaginated in both shapes and both tools.

Standard library only; no clock, no system randomness.
"""
import argparse
import os
import random
import shutil
import sys

COLLECTIONS = ["docs", "blog", "guides", "reference", "notes"]
DATED = {"blog", "notes"}
WORDS = (
    "cluster node pod deployment service ingress etcd upgrade rollout canary network policy "
    "storage volume snapshot backup restore operator controller scheduler kubelet runtime "
    "container image registry certificate secret config namespace quota limit request probe "
    "metric alert dashboard trace log latency throughput replica shard leader quorum failover "
    "drain cordon taint toleration affinity topology zone region gateway route mesh sidecar"
).split()
LANGS = ["rust", "yaml", "bash"]
SHAPES = ("paginated", "unpaginated")
# Tags a page draws from: 200 in the paginated shape, 50 in the unpaginated one.
TAG_SPACE = {"paginated": 200, "unpaginated": 50}
# Entries a collection list page shows (None: all of them on one page).
PAGINATE_BY = {"paginated": 50, "unpaginated": None}


def slug(i):
    return f"p{i:05d}"


def coll_of(i):
    return COLLECTIONS[i % len(COLLECTIONS)]


def headings(i):
    """The 5 section titles of page i (computable for link targets)."""
    r = random.Random(i * 7919)
    return [f"Section {k + 1} {r.choice(WORDS)} {r.choice(WORDS)}" for k in range(5)]


def github_id(title):
    out = []
    for c in title.strip().lower():
        if c == " ":
            out.append("-")
        elif c.isalnum() or c in "-_":
            out.append(c)
    return "".join(out)


def sentence(r, n):
    words = [r.choice(WORDS) for _ in range(n)]
    if r.random() < 0.3:
        k = r.randrange(n)
        words[k] = f"*{words[k]}*"
    if r.random() < 0.2:
        k = r.randrange(n)
        words[k] = f"`{words[k]}`"
    return " ".join(words).capitalize() + "."


def code_block(r, i):
    lang = LANGS[i % 3]
    name = f"{r.choice(WORDS)}_{i}"
    if lang == "rust":
        body = (
            f"fn {name}(nodes: &[Node]) -> usize {{\n"
            f"    let limit = {r.randrange(1, 500)};\n"
            f"    nodes.iter().filter(|n| n.ready && n.pods < limit).count()\n"
            "}\n"
        )
    elif lang == "yaml":
        body = (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: {name.replace('_', '-')}\nspec:\n  replicas: {r.randrange(1, 9)}\n"
            f"  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example/{name}:{r.randrange(1, 99)}\n"
        )
    else:
        body = (
            f"kubectl drain node-{i} --ignore-daemonsets --delete-emptydir-data\n"
            f"kubectl rollout status deployment/{name.replace('_', '-')} --timeout={r.randrange(30, 300)}s\n"
            f"kubectl uncordon node-{i}\n"
        )
    return f"```{lang}\n{body}```\n"


def page(i, n, r, shape):
    """Returns (front matter dict, body with opsbook links, body with Hugo links)."""
    coll = coll_of(i)
    # Every shape draws from 200 so the stream, and so every page's text, stays the same.
    tags = sorted({f"tag{r.randrange(200) % TAG_SPACE[shape]:03d}" for _ in range(3)})
    fm = {
        "title": f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} {i}",
        "summary": sentence(r, 12),
        "tags": tags,
        "kind": r.choice("abc"),
    }
    if coll in DATED:
        fm["date"] = f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    targets = [r.randrange(n) for _ in range(3)]
    parts_ops, parts_hugo = [], []
    for k, title in enumerate(headings(i)):
        block = [f"## {title}\n"]
        for _ in range(2):
            block.append(" ".join(sentence(r, r.randrange(8, 18)) for _ in range(4)) + "\n")
        block.append(f"### Details {k + 1}\n")
        block.append(" ".join(sentence(r, r.randrange(8, 18)) for _ in range(3)) + "\n")
        if k == 1:
            block.append(code_block(r, i))
        if k == 2:
            block.append("| setting | value | note |\n|---|---|---|\n" + "".join(f"| {r.choice(WORDS)} | {r.randrange(1000)} | {r.choice(WORDS)} |\n" for _ in range(4)))
        if k == 3:
            block.append("".join(f"- {sentence(r, 6)}\n" for _ in range(4)))
        text = "\n".join(block)
        if k < 3:
            t = targets[k]
            anchor = github_id(headings(t)[1]) if k == 0 else None
            ops = f"../{coll_of(t)}/{slug(t)}.md" + (f"#{anchor}" if anchor else "")
            hug = f"/{coll_of(t)}/{slug(t)}/" + (f"#{anchor}" if anchor else "")
            word = r.choice(WORDS)
            parts_ops.append(text + f"\nSee [{word}]({ops}) for more.\n")
            parts_hugo.append(text + f"\nSee [{word}]({hug}) for more.\n")
        else:
            parts_ops.append(text)
            parts_hugo.append(text)
    return fm, "\n".join(parts_ops), "\n".join(parts_hugo)


def toml_front(fm):
    lines = []
    for k, v in fm.items():
        if k == "date":
            lines.append(f"date = {v}")
        elif isinstance(v, list):
            lines.append(f"{k} = [" + ", ".join(f'"{x}"' for x in v) + "]")
        else:
            lines.append(f'{k} = "{v}"')
    return "+++\n" + "\n".join(lines) + "\n+++\n"


BOOK = """[book]
title = "Bench"
base_url = "https://bench.example.org/"

[build]
theme = "clusterops"

[taxonomies.tags]
title = "Tags"
"""

HUGO_CONFIG = """baseURL = "https://bench.example.org/"
title = "Bench"
disableKinds = []
[taxonomies]
  tag = "tags"
  kind = "kinds"
[outputs]
  taxonomy = ["HTML"]
  term = ["HTML"]
[markup.highlight]
  noClasses = false
[markup.goldmark.parser]
  autoHeadingIDType = "github"
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title><link rel="canonical" href="{{ .Permalink }}">
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a><nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<nav class="breadcrumbs"><a href="/">Home</a> › <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></nav>
<article><h1>{{ .Title }}</h1><p class="lede">{{ .Params.summary }}</p>{{ with .Date }}<time>{{ .Format "January 2, 2006" }}</time>{{ end }}
<dl>{{ with .Params.kind }}<dt>Kind</dt><dd>{{ . }}</dd>{{ end }}<dt>Tags</dt><dd>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</dd></dl>
<nav class="toc">{{ .TableOfContents }}</nav><div class="content">{{ .Content }}</div>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul class="cards">{{ range .Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ len .Pages }}</li>{{ end }}</ul>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}

# The collection list, by shape: page 1 of 50 with prev/next, or every entry on one page.
LIST_LAYOUT = {
    "paginated": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ $p := .Paginate .Pages 50 }}<ul class="cards">{{ range $p.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ with .Date }}<time>{{ .Format "January 2, 2006" }}</time>{{ end }}<p>{{ .Params.summary }}</p></li>{{ end }}</ul>
<nav>{{ with $p.Prev }}<a href="{{ .URL }}">Previous</a>{{ end }} Page {{ $p.PageNumber }} of {{ $p.TotalPages }} {{ with $p.Next }}<a href="{{ .URL }}">Next</a>{{ end }}</nav>{{ end }}
""",
    "unpaginated": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul class="cards">{{ range .Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ with .Date }}<time>{{ .Format "January 2, 2006" }}</time>{{ end }}<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
""",
}


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, metavar="N", help="pages to write")
    parser.add_argument("out", metavar="OUTDIR", help="folder to (re)create")
    parser.add_argument("--shape", choices=SHAPES, default="paginated")
    args = parser.parse_args()
    if args.n < 0:
        parser.error("N must be 0 or more")
    return args


def main():
    args = arguments()
    n, out, shape = args.n, args.out, args.shape
    shutil.rmtree(out, ignore_errors=True)
    ops, hugo = os.path.join(out, "opsbook"), os.path.join(out, "hugo")
    schema = "".join(
        f'[collections.{c}]\ntitle = "{c.capitalize()}"\n'
        + (f"paginate_by = {PAGINATE_BY[shape]}\n" if PAGINATE_BY[shape] else "")
        + ('sort_by = "title"\n' if c not in DATED else "")
        + f"[collections.{c}.fields]\n"
        'summary = { type = "string", required = true }\n'
        'tags = { type = "list", of = "string", taxonomy = "tags" }\n'
        'kind = { type = "enum", values = ["a", "b", "c"], index = true }\n\n'
        for c in COLLECTIONS
    )
    os.makedirs(os.path.join(ops, "content"))
    with open(os.path.join(ops, "book.toml"), "w") as f:
        f.write(BOOK + "\n" + schema)
    os.makedirs(os.path.join(hugo, "content"))
    with open(os.path.join(hugo, "hugo.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for rel, text in {**LAYOUTS, "_default/list.html": LIST_LAYOUT[shape]}.items():
        path = os.path.join(hugo, "layouts", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    os.makedirs(os.path.join(hugo, "static"))
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "themes", "clusterops", "static", "style.css"), os.path.join(hugo, "static", "style.css"))
    with open(os.path.join(ops, "content", "_index.md"), "w") as f:
        f.write('+++\ntitle = "Bench"\n+++\nA synthetic site.\n')
    with open(os.path.join(hugo, "content", "_index.md"), "w") as f:
        f.write('+++\ntitle = "Bench"\n+++\nA synthetic site.\n')
    for c in COLLECTIONS:
        for root in (ops, hugo):
            os.makedirs(os.path.join(root, "content", c), exist_ok=True)
            with open(os.path.join(root, "content", c, "_index.md"), "w") as f:
                f.write(f'+++\ntitle = "{c.capitalize()}"\n+++\nAll {c}.\n')
    r = random.Random(20261124)
    for i in range(n):
        fm, body_ops, body_hugo = page(i, n, r, shape)
        name = f"{slug(i)}.md"
        with open(os.path.join(ops, "content", coll_of(i), name), "w") as f:
            f.write(toml_front(fm) + "\n" + body_ops)
        hfm = dict(fm)
        hfm["kinds"] = [hfm.pop("kind")]
        with open(os.path.join(hugo, "content", coll_of(i), name), "w") as f:
            f.write(toml_front(hfm) + "\n" + body_hugo)


if __name__ == "__main__":
    main()
