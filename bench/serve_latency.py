#!/usr/bin/env python3
"""Edit-to-reload latency of `opsbook serve`.

Usage: bench/serve_latency.py SITE_ROOT [EDITS] [body|meta]

Starts `target/release/opsbook serve --port 0` on SITE_ROOT, subscribes to the reload events,
then edits one entry EDITS times (default 20; the body changes, URL and title stay) and
measures the time from the file write to the `reload` event, debounce included. `body`
(default) appends a paragraph; `meta` changes the entry's summary field, which lists and
backlinks show, so the graph and those pages are rebuilt too. Prints the
median and worst latency and the server's peak memory (VmHWM). Restores the file afterwards.
"""
import os, re, socket, statistics, subprocess, sys, threading, time

root = sys.argv[1]
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
mode = sys.argv[3] if len(sys.argv) > 3 else "body"
binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "opsbook")
if not os.path.exists(binary):
    sys.exit("build it first: cargo build --release")

proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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
latencies = []
try:
    for i in range(edits):
        with cond:
            seen = len(events)
        start = time.time()
        with open(target, "w", encoding="utf-8") as fh:
            if mode == "meta":
                fh.write(re.sub(r'^summary = ".*"$', f'summary = "Edited summary {i}."', original, count=1, flags=re.M))
            else:
                fh.write(original + f"\n\nEdit number {i}.\n")
        with cond:
            ok = cond.wait_for(lambda: len(events) > seen, timeout=30)
            if not ok:
                sys.exit("no reload event within 30 s")
            at, name = events[seen]
        latencies.append((at - start) * 1000)
        time.sleep(0.3)
finally:
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(original)

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
print(f"| {pages} | {mode} | {startup*1000:.0f} ms | {statistics.median(latencies):.0f} ms | {sorted(latencies)[int(len(latencies)*0.9)-1]:.0f} ms | {max(latencies):.0f} ms | {hwm} |")
print("latencies (ms, in order):", " ".join(f"{l:.0f}" for l in latencies), file=sys.stderr)
