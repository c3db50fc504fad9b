#!/usr/bin/env python3
"""Where a build's memory peaks: samples a command's resident set size from /proc every few
milliseconds and prints it beside the stage timings opsbook prints with OPSBOOK_TIMINGS.

    bench/rss_timeline.py [--every SECONDS] [--step SECONDS] -- COMMAND [ARGS...]
    bench/rss_timeline.py -- target/release/opsbook build --out /tmp/out

Prints each `[timing]` line at the moment it appeared, then the RSS at most every --step
seconds (default 0.25), then the peak. Sampling every --every seconds (default 0.02) costs
the build nothing measurable. Linux only (reads /proc/PID/status); GNU time's `%M` gives the
same peak, this adds when it happens.
"""
import argparse
import os
import subprocess
import sys
import threading
import time


def rss_mib(pid):
    """The process's VmRSS in MiB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.02, help="sampling interval, seconds")
    parser.add_argument("--step", type=float, default=0.25, help="printing interval, seconds")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")

    env = dict(os.environ, OPSBOOK_TIMINGS="1")
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
        )
    except OSError as e:
        sys.exit(f"rss_timeline.py: cannot run {command[0]}: {e}")
    lines = []

    def read_stderr():
        for line in proc.stderr:
            lines.append((time.monotonic() - start, line.rstrip()))

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    samples = []
    while proc.poll() is None:
        rss = rss_mib(proc.pid)
        if rss is not None:
            samples.append((time.monotonic() - start, rss))
        time.sleep(args.every)
    reader.join(timeout=1)

    for at, line in lines:
        print(f"{at:7.2f} s  {line}")
    last = None
    for at, rss in samples:
        if last is None or at - last >= args.step:
            print(f"{at:7.2f} s  RSS {rss} MiB")
            last = at
    if samples:
        at, peak = max(samples, key=lambda s: s[1])
        print(f"peak {peak} MiB at {at:.2f} s")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
