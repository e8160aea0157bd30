#!/usr/bin/python3
"""corral against its peers, side by side in one run (issue 9).

    make bench [QUICK=1]      ->  /usr/bin/python3 bench/bench.py [--quick]

Installs the peers that are missing (lxc, crun, systemd-container, tmux,
hyperfine, busybox-static), builds a busybox rootfs of its own, runs every
comparison with the peer and corral in turn (A B A B ...), and writes
bench/RESULTS.md. A benchmark, not a test: it exits 0 whatever the figures,
and a figure that cannot run is reported with the reason. Everything it
creates (roots, engines, containers, cgroups, the network namespace) is
removed at the end, on failure too. Standard library only.
"""
import argparse
import atexit
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import figures  # noqa: E402  (one function per figure)
from common import Bench, log  # noqa: E402

PEERS = ["lxc", "crun", "systemd-container", "tmux", "hyperfine", "busybox-static"]


def install_missing():
    missing = []
    for pkg in PEERS + ["conmon"]:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                           capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    if not missing:
        return []
    log(f"installing {' '.join(missing)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    notes = []
    for pkg in missing:
        r = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            notes.append(f"{pkg}: apt-get install failed: "
                         f"{(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return notes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a reduced set, under 2 minutes")
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--only", default="", help="comma-separated figure keys (development)")
    a = ap.parse_args()

    if os.geteuid() != 0:
        print("bench: containers need root; nothing measured", file=sys.stderr)
        return 0
    t_start = time.monotonic()
    load0 = open("/proc/loadavg").read().split()[:3]
    notes = install_missing()
    b = Bench(build=os.path.abspath(a.build), quick=a.quick)
    atexit.register(b.cleanup)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, lambda *_: sys.exit(1))
    b.notes.extend(notes)
    only = set(x for x in a.only.split(",") if x)
    for key, fn in figures.ALL:
        if only and key not in only:
            continue
        if a.quick and key not in figures.QUICK:
            b.not_run(figures.TITLES[key], "not in the QUICK set")
            continue
        log(f"== {key}")
        t = time.monotonic()
        try:
            fn(b)
        except Exception as e:  # a figure that breaks is reported, never fatal
            import traceback
            traceback.print_exc()
            b.not_run(figures.TITLES[key], f"the harness failed: {type(e).__name__}: {e}")
        log(f"   {key}: {time.monotonic() - t:.1f} s")
    load1 = open("/proc/loadavg").read().split()[:3]
    b.cleanup()
    md = b.render(load0, load1, time.monotonic() - t_start)
    with open(a.out, "w") as f:
        f.write(md)
    print(md)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException as e:  # exits 0 whatever happens: a benchmark, not a test
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(0)
