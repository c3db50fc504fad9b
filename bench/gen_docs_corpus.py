#!/usr/bin/env python3
"""Deterministic docs-shaped corpus: the shape of the kubernetes/website English docs.

Usage: bench/gen_docs_corpus.py [N_FILES [OUTDIR]]     (defaults: 1436 /tmp/c/docs)

Writes OUTDIR/opsbook/ (book.toml + content/) for `opsbook check` and `opsbook build`. With the
defaults it matches what issue 16 measured on kubernetes/website's content/en/docs: 1,436
Markdown files, ~16 MB, ~9,500 fenced code blocks. Other N scale every total with it.

The shape, from one seeded random stream (standard library only; no clock, no system
randomness, so every run writes the same bytes):

- One `docs` collection in the site's folder tree: concepts/, tasks/, tutorials/, reference/,
  setup/, contribute/, each with subfolders; every folder has an `_index.md`. YAML front matter
  as the upstream docs write it: title, content_type (concept/task/tutorial/reference), weight,
  sometimes description and reviewers; a minimal schema checks them.
- Page sizes are log-normal (median ~7 KB, a few pages over 100 KB, like the generated kubectl
  and API references; many short pages), scaled so the total is 16 MB per 1,436 files.
- Fenced blocks in proportion to a page's size (~6.6 a page on average), by language (share of
  blocks): shell 38 %, yaml 22 %, console 15 % (`$ kubectl ...` prompt lines, each followed by
  output lines; some `# ` root prompts and `\\` continuations), untagged 8 %, json 5 %, bash 4 %,
  go 3 %, none 2 %, text 1 %, powershell 1 %, ini 1 %. Short shell commands repeat across pages
  as they do upstream (`kubectl get pods`); manifests and output vary.
- About a third of the blocks sit inside numbered steps, indented under the list item.
- `##`/`###` headings (some repeated on a page, as "Before you begin" / "What's next" are), prose
  with inline code, emphasis and external links, bullet lists, tables, GFM alerts, and 3-12
  relative links per page to other pages (`../workloads/pods.md`), a third of them with a
  `#anchor` to a heading that exists there. `opsbook check` on the result reports nothing.

Prints the totals (files, MB, blocks by language, distinct blocks) when done.
"""
import collections
import math
import os
import random
import shutil
import sys

DEFAULT_FILES = 1436
TOTAL_BYTES = 16_000_000  # for DEFAULT_FILES files
BLOCKS = 9_500  # for DEFAULT_FILES files
SEED = 20261130

LANGS = [
    ("shell", 0.38),
    ("yaml", 0.22),
    ("console", 0.15),
    ("", 0.08),
    ("json", 0.05),
    ("bash", 0.04),
    ("go", 0.03),
    ("none", 0.02),
    ("text", 0.01),
    ("powershell", 0.01),
    ("ini", 0.01),
]

TREE = {
    "concepts": ["overview", "architecture", "containers", "workloads", "services-networking",
                 "storage", "configuration", "security", "policy", "scheduling-eviction",
                 "cluster-administration", "extend-kubernetes"],
    "tasks": ["administer-cluster", "configure-pod-container", "manage-kubernetes-objects",
              "access-application-cluster", "debug", "run-application", "network", "tls",
              "job", "manage-daemon", "inject-data-application", "extend-kubernetes"],
    "tutorials": ["hello-minikube", "stateful-application", "stateless-application",
                  "services", "security", "configuration"],
    "reference": ["kubectl", "command-line-tools-reference", "access-authn-authz",
                  "config-api", "kubernetes-api", "networking", "setup-tools", "glossary"],
    "setup": ["production-environment", "learning-environment", "best-practices"],
    "contribute": ["style", "new-content", "review", "generate-ref-docs"],
}
CONTENT_TYPE = {"concepts": "concept", "tasks": "task", "tutorials": "tutorial",
                "reference": "reference", "setup": "concept", "contribute": "concept"}

NOUNS = ("pod node deployment service ingress volume namespace secret configmap daemonset "
         "statefulset job cronjob controller scheduler kubelet proxy endpoint gateway policy "
         "quota limit label selector annotation taint toleration affinity probe container "
         "image registry certificate token role binding account webhook admission etcd "
         "cluster replica rollout autoscaler metric event lease finalizer").split()
VERBS = ("configure create inspect debug upgrade drain scale expose restrict rotate "
         "monitor schedule migrate restore back up secure manage assign define").split()
ADJ = ("dynamic persistent default custom external internal stateful ephemeral horizontal "
       "vertical privileged restricted managed static").split()
PROSE = ("the a an this that each every your its when if because so and or but then after "
         "before while with without from into onto across between within under over "
         "runs uses needs keeps sends reads writes starts stops checks matches selects "
         "allows denies creates deletes updates reports waits retries").split()
COMMON_HEADINGS = ["Before you begin", "What's next", "Cleaning up", "Objectives",
                   "Overview", "Examples", "Limitations", "Troubleshooting"]
NAMES = ["nginx", "frontend", "backend", "redis", "mysql", "busybox", "web", "api",
         "my-app", "hello", "cache", "worker"]
NAMESPACES = ["default", "kube-system", "dev", "staging", "prod", "monitoring"]


def github_id(title):
    """The id opsbook (and GitHub) gives a heading with this text."""
    out = []
    for c in title.strip().lower():
        if c == " ":
            out.append("-")
        elif c.isalnum() or c in "-_":
            out.append(c)
    return "".join(out)


def pick_lang(r):
    x = r.random()
    for lang, share in LANGS:
        x -= share
        if x < 0:
            return lang
    return LANGS[0][0]


def title_words(r, n):
    words = [r.choice(VERBS).capitalize()]
    for _ in range(n - 1):
        words.append(r.choice(ADJ + NOUNS))
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Code blocks


def res(r):
    return r.choice(NAMES) + ("" if r.random() < 0.6 else f"-{r.randrange(1, 9)}")


def kubectl(r):
    n = res(r)
    ns = r.choice(NAMESPACES)
    forms = [
        lambda: "kubectl get pods",
        lambda: "kubectl get nodes",
        lambda: f"kubectl get pods -n {ns}",
        lambda: f"kubectl get {r.choice(NOUNS)}s -o wide",
        lambda: f"kubectl describe pod {n}",
        lambda: f"kubectl apply -f https://k8s.io/examples/{r.choice(NOUNS)}s/{n}.yaml",
        lambda: f"kubectl delete {r.choice(['pod', 'deployment', 'service'])} {n}",
        lambda: f"kubectl logs {n} -c {r.choice(NAMES)}",
        lambda: f"kubectl exec -it {n} -- /bin/sh",
        lambda: f"kubectl create namespace {ns}",
        lambda: f"kubectl scale deployment/{n} --replicas={r.randrange(1, 10)}",
        lambda: f"kubectl rollout status deployment/{n}",
        lambda: f"kubectl expose deployment {n} --type=NodePort --port={r.choice([80, 443, 8080])}",
        lambda: f"kubectl label nodes node-{r.randrange(1, 6)} disktype=ssd",
        lambda: f"kubectl get {r.choice(NOUNS)} {n} -o jsonpath='{{.status.phase}}'",
        lambda: f"kubectl port-forward svc/{n} {r.randrange(7000, 9000)}:80",
        lambda: f"kubectl drain node-{r.randrange(1, 6)} --ignore-daemonsets",
    ]
    return r.choice(forms)()


def shell_block(r):
    lines = []
    for _ in range(r.choice([1, 1, 1, 2, 2, 3, 4])):
        x = r.random()
        if x < 0.7:
            lines.append(kubectl(r))
        elif x < 0.8:
            lines.append(f"# {r.choice(VERBS)} the {r.choice(NOUNS)} first")
            lines.append(kubectl(r))
        elif x < 0.9:
            n = res(r)
            lines.append("cat <<EOF | kubectl apply -f -")
            lines.append(yaml_manifest(r, n, short=True).rstrip("\n"))
            lines.append("EOF")
        else:
            lines.append(f"kubectl get pods -o json | jq '.items[] | select(.metadata.name == \"{res(r)}\")'")
    return "\n".join(lines) + "\n"


def pod_table(r, rows):
    out = [f"{'NAME':<32} READY   STATUS    RESTARTS   AGE"]
    for _ in range(rows):
        name = f"{res(r)}-{r.randrange(16**9):09x}-{r.randrange(16**5):05x}"
        status = r.choice(["Running", "Running", "Running", "Pending", "Completed"])
        out.append(f"{name:<32} 1/1     {status:<9} {r.randrange(4):<10} {r.randrange(1, 59)}{r.choice('smhd')}")
    return out


def console_block(r):
    lines = []
    for _ in range(r.choice([1, 1, 2, 2, 3])):
        x = r.random()
        if x < 0.12:
            lines.append(f"# systemctl {r.choice(['restart', 'status', 'enable'])} kubelet")
            lines.append(f"  Active: active (running) since Mon 2026-11-{r.randrange(1, 29):02d}")
            continue
        if x < 0.22:
            lines.append(f"$ kubectl create deployment {res(r)} \\")
            lines.append(f"    --image=registry.k8s.io/{res(r)}:1.{r.randrange(10, 30)}")
            lines.append(f"deployment.apps/{res(r)} created")
            continue
        lines.append("$ " + kubectl(r))
        lines.extend(pod_table(r, r.randrange(1, 7)))
    return "\n".join(lines) + "\n"


def yaml_manifest(r, name=None, short=False):
    name = name or res(r)
    kind = r.choice(["Pod", "Deployment", "Service", "ConfigMap", "Role"])
    out = [f"apiVersion: {'v1' if kind in ('Pod', 'Service', 'ConfigMap') else 'apps/v1' if kind == 'Deployment' else 'rbac.authorization.k8s.io/v1'}",
           f"kind: {kind}", "metadata:", f"  name: {name}",
           f"  namespace: {r.choice(NAMESPACES)}", "  labels:", f"    app: {name}"]
    if kind == "ConfigMap":
        out.append("data:")
        for _ in range(r.randrange(2, 8 if not short else 3)):
            out.append(f"  {r.choice(NOUNS)}.{r.choice(ADJ)}: \"{r.randrange(1000)}\"")
    elif kind == "Service":
        out += ["spec:", "  selector:", f"    app: {name}", "  ports:",
                "    - protocol: TCP", f"      port: {r.choice([80, 443])}",
                f"      targetPort: {r.randrange(8000, 9000)}"]
    elif kind == "Role":
        out += ["rules:", "- apiGroups: [\"\"]", f"  resources: [\"{r.choice(NOUNS)}s\"]",
                "  verbs: [\"get\", \"watch\", \"list\"]"]
    else:
        pod = ["containers:", f"- name: {name}", f"  image: registry.k8s.io/{name}:1.{r.randrange(10, 30)}.{r.randrange(9)}",
               "  ports:", f"  - containerPort: {r.choice([80, 8080, 6379])}"]
        if not short:
            pod += ["  resources:", "    requests:", f"      cpu: \"{r.randrange(1, 9) * 100}m\"",
                    f"      memory: \"{r.randrange(1, 9) * 64}Mi\"", "    limits:",
                    f"      memory: \"{r.randrange(5, 16) * 64}Mi\""]
            if r.random() < 0.5:
                pod += ["  livenessProbe:", "    httpGet:", "      path: /healthz",
                        f"      port: {r.randrange(8000, 9000)}", f"    initialDelaySeconds: {r.randrange(3, 30)}",
                        f"    periodSeconds: {r.randrange(3, 20)}  # probe interval"]
        if kind == "Pod":
            out += ["spec:"] + ["  " + line for line in pod]
        else:
            out += ["spec:", f"  replicas: {r.randrange(1, 6)}", "  selector:", "    matchLabels:",
                    f"      app: {name}", "  template:", "    metadata:", "      labels:",
                    f"        app: {name}", "    spec:"] + ["      " + line for line in pod]
    return "\n".join(out) + "\n"


def json_block(r):
    name = res(r)
    out = ["{", '  "apiVersion": "v1",', f'  "kind": "{r.choice(["Pod", "Status", "List"])}",',
           '  "metadata": {', f'    "name": "{name}",', f'    "resourceVersion": "{r.randrange(10**6)}"', "  },",
           '  "items": [']
    items = r.randrange(1, 6)
    for k in range(items):
        out.append(f'    {{"name": "{res(r)}", "ready": {r.choice(["true", "false"])}, "restarts": {r.randrange(5)}}}'
                   + ("," if k < items - 1 else ""))
    out += ["  ]", "}"]
    return "\n".join(out) + "\n"


def go_block(r):
    name = r.choice(NOUNS).capitalize()
    return (
        "package main\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n"
        "\tmetav1 \"k8s.io/apimachinery/pkg/apis/meta/v1\"\n\t\"k8s.io/client-go/kubernetes\"\n)\n\n"
        f"// list{name}s prints the {name.lower()}s of a namespace.\n"
        f"func list{name}s(ctx context.Context, c kubernetes.Interface, ns string) error {{\n"
        f"\tpods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{{Limit: {r.randrange(10, 500)}}})\n"
        "\tif err != nil {\n\t\treturn fmt.Errorf(\"listing: %w\", err)\n\t}\n"
        "\tfor _, p := range pods.Items {\n\t\tfmt.Println(p.Name, p.Status.Phase)\n\t}\n\treturn nil\n}\n"
    )


def bash_block(r):
    return (
        "#!/usr/bin/env bash\nset -euo pipefail\n"
        f"for node in $(kubectl get nodes -o name); do\n"
        f"  echo \"draining ${{node}}\"\n  kubectl drain \"${{node}}\" --timeout={r.randrange(30, 300)}s\n"
        f"  sleep {r.randrange(1, 30)}\ndone\n"
    )


def output_block(r):
    return "\n".join(pod_table(r, r.randrange(2, 9))) + "\n"


def misc_block(r, lang):
    if lang == "powershell":
        return f"$env:KUBECONFIG = \"C:\\Users\\admin\\.kube\\{res(r)}\"\nkubectl.exe get nodes\n"
    if lang == "ini":
        return f"[Service]\nEnvironment=\"KUBELET_EXTRA_ARGS=--node-ip={r.randrange(10, 250)}.0.0.{r.randrange(1, 250)}\"\nRestart=always\n"
    return f"--{r.choice(NOUNS)}-{r.choice(ADJ)}={r.randrange(100)}\n    Sets the {r.choice(NOUNS)} {r.choice(PROSE)} {r.choice(NOUNS)}.\n"


def block_text(r, lang):
    if lang == "shell":
        return shell_block(r)
    if lang == "console":
        return console_block(r)
    if lang == "yaml":
        return yaml_manifest(r)
    if lang == "json":
        return json_block(r)
    if lang == "go":
        return go_block(r)
    if lang == "bash":
        return bash_block(r)
    if lang in ("", "text"):
        return output_block(r)
    return misc_block(r, lang)


def fence(lang, text, indent=""):
    body = "".join(indent + line + "\n" if line else "\n" for line in text.split("\n")[:-1])
    return f"{indent}```{lang}\n{body}{indent}```\n"


# ---------------------------------------------------------------------------------------------
# Pages


class Page:
    def __init__(self, rel, title, weight, size, blocks, headings):
        self.rel = rel  # content-relative path
        self.title = title
        self.weight = weight
        self.size = size
        self.blocks = blocks
        self.headings = headings  # section titles, in order

    def anchors(self):
        """Headings whose id is the plain github id (their first occurrence)."""
        seen, out = set(), []
        for h in self.headings:
            i = github_id(h)
            if i not in seen:
                seen.add(i)
                out.append(i)
        return out


def relpath(target, source_dir):
    return os.path.relpath(target, source_dir or ".").replace(os.sep, "/")


def plan(n, n_files):
    """The n pages' paths, titles, sizes, block counts and headings (a first pass, so links can
    point at headings that exist); sizes are scaled for a site of n_files files."""
    r = random.Random(SEED)
    folders = [f"{top}/{sub}" for top, subs in TREE.items() for sub in subs]
    sigma = 1.0
    raw = [min(math.exp(r.gauss(0, sigma)), 25.0) for _ in range(n)]
    scale = TOTAL_BYTES / DEFAULT_FILES * n_files / max(sum(raw), 1.0)
    pages, used = [], set()
    for i in range(n):
        folder = r.choice(folders)
        while True:
            stem = f"{r.choice(VERBS)}-{r.choice(ADJ)}-{r.choice(NOUNS)}".replace(" ", "-")
            rel = f"docs/{folder}/{stem}.md"
            if rel not in used:
                used.add(rel)
                break
            if r.random() < 0.5:
                rel = f"docs/{folder}/{stem}-{i}.md"
                used.add(rel)
                break
        size = max(500, int(raw[i] * scale))
        blocks = max(0, round(size / (TOTAL_BYTES / BLOCKS) * r.uniform(0.7, 1.3)))
        sections = max(1, min(60, size // 1800))
        heads = []
        for k in range(sections):
            if k == 0 and r.random() < 0.6:
                heads.append("Before you begin")
            elif k == sections - 1 and r.random() < 0.7:
                heads.append("What's next")
            elif r.random() < 0.1:
                heads.append(r.choice(COMMON_HEADINGS))
            else:
                heads.append(f"{title_words(r, r.randrange(2, 5))} {k + 1}")
        title = title_words(r, r.randrange(2, 6))
        pages.append(Page(rel, title, r.randrange(10, 400, 10), size, blocks, heads))
    return pages


def sentence(r, pages, links, me):
    words = [r.choice(PROSE + NOUNS) for _ in range(r.randrange(8, 22))]
    k = r.randrange(len(words))
    x = r.random()
    if x < 0.25:
        words[k] = f"`{r.choice(NOUNS)}`"
    elif x < 0.35:
        words[k] = f"*{words[k]}*"
    elif x < 0.40:
        words[k] = f"[{words[k]}](https://kubernetes.io/docs/{r.choice(NOUNS)}/)"
    if links and r.random() < 0.15:
        target, anchor = links.pop()
        href = relpath(target.rel, os.path.dirname(me.rel)) + (f"#{anchor}" if anchor else "")
        words.insert(r.randrange(len(words)), f"[{target.title.lower()}]({href})")
    return " ".join(words).capitalize() + "."


def paragraph(r, pages, links, me):
    return " ".join(sentence(r, pages, links, me) for _ in range(r.randrange(2, 6))) + "\n"


def body(r, me, pages):
    n_links = r.randrange(3, 13)
    links = []
    for _ in range(n_links):
        t = r.choice(pages)
        anchors = t.anchors()
        anchor = r.choice(anchors) if r.random() < 0.33 and anchors else None
        links.append((t, anchor))
    langs = [pick_lang(r) for _ in range(me.blocks)]
    per_section = [[] for _ in me.headings]
    for k, lang in enumerate(langs):
        per_section[k % len(per_section)].append(lang)
    # Every section gets an even share of the page's bytes, less the intro, the "See also"
    # lines and the piece a section overshoots by; its blocks are written whatever the share.
    out = [paragraph(r, pages, links, me)]
    rest = me.size - len(out[0]) - 110 * len(links) - 260 * len(me.headings)
    per_section_bytes = max(0, rest // len(me.headings))
    for heading, section_langs in zip(me.headings, per_section):
        out.append(f"## {heading}\n")
        written = 0
        while written < per_section_bytes or section_langs:
            x = r.random()
            if section_langs and (x < 0.35 or written >= per_section_bytes):
                lang = section_langs.pop()
                piece = f"{sentence(r, pages, links, me)[:-1]}:\n\n" + fence(lang, block_text(r, lang))
            elif section_langs and x < 0.5:
                steps = []
                for s in range(r.randrange(1, 4)):
                    step = f"{s + 1}. {sentence(r, pages, links, me)}\n"
                    if section_langs:
                        lang = section_langs.pop()
                        step += "\n" + fence(lang, block_text(r, lang), "   ")
                    steps.append(step)
                piece = "\n".join(steps)
            elif x < 0.6:
                piece = "".join(f"- {sentence(r, pages, links, me)}\n" for _ in range(r.randrange(2, 6)))
            elif x < 0.66:
                rows = "".join(
                    f"| `{r.choice(NOUNS)}` | {r.choice(ADJ)} | {r.randrange(1, 100)} | {sentence(r, pages, links, me)} |\n"
                    for _ in range(r.randrange(2, 8)))
                piece = "| Field | Kind | Default | Description |\n|---|---|---|---|\n" + rows
            elif x < 0.69:
                piece = f"> [!{r.choice(['NOTE', 'WARNING', 'CAUTION'])}]\n> {sentence(r, pages, links, me)}\n"
            elif x < 0.75:
                piece = f"### {title_words(r, r.randrange(2, 4))}\n"
            else:
                piece = paragraph(r, pages, links, me)
            out.append(piece)
            written += len(piece) + 1
    for target, anchor in links:
        href = relpath(target.rel, os.path.dirname(me.rel)) + (f"#{anchor}" if anchor else "")
        out.append(f"See also [{target.title}]({href}).\n")
    return "\n".join(out)


def front_matter(me, r):
    top = me.rel.split("/")[1]
    lines = ["---", f"title: {me.title}", f"content_type: {CONTENT_TYPE[top]}", f"weight: {me.weight}"]
    if r.random() < 0.4:
        lines.append(f"description: {title_words(r, 8)}.")
    if r.random() < 0.3:
        lines.append("reviewers:")
        lines += [f"- {r.choice(NAMES)}{r.randrange(100)}" for _ in range(r.randrange(1, 4))]
    return "\n".join(lines) + "\n---\n"


BOOK = """[book]
title = "Docs"
base_url = "https://docs.example.org/"

[build]
theme = "clusterops"

[collections.docs]
title = "Documentation"
paginate_by = 50
[collections.docs.fields]
content_type = { type = "enum", values = ["concept", "task", "tutorial", "reference"] }
description = { type = "string" }
reviewers = { type = "list", of = "string" }
"""


def main():
    args = sys.argv[1:]
    if len(args) > 2 or any(a in ("-h", "--help") for a in args):
        sys.exit(__doc__)
    n = int(args[0]) if args else DEFAULT_FILES
    out = args[1] if len(args) > 1 else "/tmp/c/docs"
    folders = [f"{top}/{sub}" for top, subs in TREE.items() for sub in subs]
    root = os.path.join(out, "opsbook")
    shutil.rmtree(out, ignore_errors=True)
    content = os.path.join(root, "content")
    os.makedirs(content)
    with open(os.path.join(root, "book.toml"), "w") as f:
        f.write(BOOK)
    indexes = {"_index.md": "Docs", "docs/_index.md": "Documentation"}
    for top in TREE:
        indexes[f"docs/{top}/_index.md"] = top.capitalize()
    for folder in folders:
        indexes[f"docs/{folder}/_index.md"] = folder.split("/")[1].replace("-", " ").capitalize()
    pages = plan(max(0, n - len(indexes)), n)
    total, by_lang, distinct = 0, collections.Counter(), set()
    for rel, title in indexes.items():
        path = os.path.join(content, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = f"---\ntitle: {title}\n---\n{title} pages.\n"
        with open(path, "w") as f:
            f.write(text)
        total += len(text.encode())
    r = random.Random(SEED + 1)
    for me in pages:
        text = front_matter(me, r) + "\n" + body(r, me, pages)
        with open(os.path.join(content, me.rel), "w") as f:
            f.write(text)
        total += len(text.encode())
        lang, buf = None, []
        for line in text.split("\n"):
            s = line.strip()
            if s.startswith("```"):
                if lang is None:
                    lang, buf = s[3:], []
                else:
                    by_lang[lang or "(untagged)"] += 1
                    distinct.add((lang, "\n".join(buf)))
                    lang = None
            elif lang is not None:
                buf.append(s)
    files = len(indexes) + len(pages)
    blocks = sum(by_lang.values())
    print(f"{files} files, {total / 1e6:.1f} MB of Markdown, {blocks} fenced blocks "
          f"({len(distinct)} distinct) in {root}")
    print("blocks by language: " + ", ".join(f"{k} {v}" for k, v in by_lang.most_common()))


if __name__ == "__main__":
    main()
