#!/usr/bin/env python3
"""Edit-to-reload latency of `opsbook serve`.

Usage: bench/serve_latency.py SITE_ROOT [EDITS] [body|meta|files] [BINARY]

Starts `opsbook serve --port 0` (target/release/opsbook unless BINARY is given) on SITE_ROOT,
subscribes to the reload events, then edits one entry EDITS times (default 20; the body
changes, URL and title stay) and measures the time from the file write to the `reload` event,
debounce included. `body` (default) appends a paragraph; `meta` changes the entry's summary
field, which lists and backlinks show, so those pages are rendered again too; `files`
creates EDITS new entries beside it (a copy under a new name and title), then deletes them one
by one, and reports both. Prints a table row per kind (median, p90, worst latency, how many
rebuilds were incremental by serve's own report) and the server's peak memory (VmHWM).
Restores the tree afterwards. With OPSBOOK_TIMINGS=1 set, the server's per-stage laps of each
update are passed through to stderr.
"""
import os, re, socket, statistics, subprocess, sys, threading, time

root = sys.argv[1]
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
mode = sys.argv[3] if len(sys.argv) > 3 else "body"
binary = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "opsbook")
if not os.path.exists(binary):
    sys.exit("build it first: cargo build --release")

proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
reports = []

def read_reports():
    for l in proc.stderr:
        if l.startswith("Rebuilt in "):
            reports.append(l.strip())
        elif l.startswith("[timing]"):
            # OPSBOOK_TIMINGS=1: the server's per-stage laps, passed through.
            sys.stderr.write(l)

threading.Thread(target=read_reports, daemon=True).start()
t0 = time.time()
line = proc.stdout.readline()
startup = time.time() - t0
m = re.match(r"Serving at http://([\d.]+):(\d+)/", line)
if not m:
    proc.kill()
    sys.exit(f"unexpected: {line!r}")
host, port = m.group(1), int(m.group(2))

events = []
cond = threading.Condition()

def listen():
    s = socket.create_connection((host, port))
    s.sendall(b"GET /__opsbook/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            if raw.startswith(b"event: "):
                with cond:
                    events.append((time.time(), raw[7:].decode().strip()))
                    cond.notify_all()

threading.Thread(target=listen, daemon=True).start()
time.sleep(0.5)

# Pick the first entry in the first collection folder.
content = os.path.join(root, "content")
target = None
for dirpath, _, files in sorted(os.walk(content)):
    for f in sorted(files):
        if f.endswith(".md") and f != "_index.md" and dirpath != content:
            target = os.path.join(dirpath, f)
            break
    if target:
        break
original = open(target, encoding="utf-8").read()
rows = []

def measure(change):
    """Runs `change()` and returns the milliseconds until the next reload event."""
    with cond:
        seen = len(events)
    start = time.time()
    change()
    with cond:
        if not cond.wait_for(lambda: len(events) > seen, timeout=30):
            sys.exit("no reload event within 30 s")
        at, _ = events[seen]
    # Let the report line arrive and the server settle before the next change.
    time.sleep(0.3)
    return (at - start) * 1000

def run(kind, changes):
    before = len(reports)
    latencies = [measure(c) for c in changes]
    done = reports[before:]
    incremental = sum(1 for r in done if ", incremental," in r)
    rows.append((kind, latencies, f"{incremental}/{len(done)}"))

def write(path, text):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)

created = []
try:
    if mode == "files":
        folder = os.path.dirname(target)
        def create(i):
            path = os.path.join(folder, f"zz-serve-bench-{i}.md")
            created.append(path)
            text = re.sub(r'^title = ".*"$', f'title = "Serve bench page {i}"', original, count=1, flags=re.M)
            return lambda: write(path, text)
        run("create", [create(i) for i in range(edits)])
        run("delete", [(lambda p: lambda: os.remove(p))(p) for p in list(created)])
        created.clear()
    elif mode == "meta":
        run("meta", [(lambda i: lambda: write(target, re.sub(r'^summary = ".*"$', f'summary = "Edited summary {i}."', original, count=1, flags=re.M)))(i) for i in range(edits)])
    else:
        run("body", [(lambda i: lambda: write(target, original + f"\n\nEdit number {i}.\n"))(i) for i in range(edits)])
finally:
    write(target, original)
    for path in created:
        if os.path.exists(path):
            os.remove(path)

hwm = "?"
try:
    for l in open(f"/proc/{proc.pid}/status"):
        if l.startswith("VmHWM"):
            hwm = l.split(":")[1].strip()
except OSError:
    pass
proc.terminate()
proc.wait()
pages = sum(len([f for f in fs if f.endswith(".md")]) for _, _, fs in os.walk(content))
print("| pages | change | startup (first build) | median | p90 | worst | incremental | peak memory (VmHWM) |")
for kind, latencies, incremental in rows:
    p90 = sorted(latencies)[max(0, int(len(latencies) * 0.9) - 1)]
    print(f"| {pages} | {kind} | {startup*1000:.0f} ms | {statistics.median(latencies):.0f} ms | {p90:.0f} ms | {max(latencies):.0f} ms | {incremental} | {hwm} |")
    print(f"{kind} latencies (ms, in order):", " ".join(f"{l:.0f}" for l in latencies), file=sys.stderr)
