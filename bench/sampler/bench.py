#!/usr/bin/env python3
"""Engine cost of statistics: CPU time and bytes read per sampling round for
10, 100 and 200 running containers (busybox sleep in APP containers), with no
client and with one watch client reading the stream. Run through run.sh."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1]
COUNTS = [int(n) for n in sys.argv[2].split(",")]
WINDOW = float(sys.argv[3])
INTERVAL = 1.0

XML = """<domain type='lxc'>
  <name>{name}</name>
  <memory unit='MiB'>16</memory>
  <os><type>exe</type><init>/bin/busybox</init><initarg>sleep</initarg><initarg>100000</initarg></os>
  <devices><console type='pty'/></devices>
</domain>"""


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(60)
        self.s.connect(path)
        self.buf = b""
        self.id = 0

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("engine closed the connection")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def call(self, op, **args):
        self.id += 1
        self.s.sendall((json.dumps(dict(id=self.id, op=op, **args)) + "\n").encode())
        while True:
            msg = self.line()
            if msg.get("id") == self.id:
                if "error" in msg:
                    raise RuntimeError(f"{op}: {msg['error']['message']}")
                return msg


def cpu_ns(pid):
    """Time on CPU, from schedstat (ns) or, lacking it, stat (ticks)."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except OSError:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 10**9 // os.sysconf("SC_CLK_TCK")


def io(pid):
    with open(f"/proc/{pid}/io") as f:
        d = dict(line.split(": ") for line in f.read().splitlines())
    return int(d["rchar"]), int(d["syscr"])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(pid, window):
    c0, (r0, s0) = cpu_ns(pid), io(pid)
    time.sleep(window)
    c1, (r1, s1) = cpu_ns(pid), io(pid)
    rounds = window / INTERVAL
    return (c1 - c0) / rounds, (r1 - r0) / rounds, (s1 - s0) / rounds


def watcher(path, stop, counts):
    c = Conn(path)
    c.call("watch", history=0)
    c.s.settimeout(1)
    while not stop.is_set():
        try:
            msg = c.line()
        except socket.timeout:
            continue
        if msg.get("event") == "stats":
            counts.append(len(msg["samples"]))
    c.s.close()


def main():
    root = tempfile.mkdtemp(prefix="corral-bench.")
    sock = f"{root}/run/corral/corral.sock"
    engine = subprocess.Popen([f"{BIN}/corrald", "--root", root, "--foreground"],
                              stderr=open(f"{root}/corrald.log", "w"), stdin=subprocess.DEVNULL)
    rows = []
    made = 0
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        c = Conn(sock)
        for n in COUNTS:
            t = time.monotonic()
            while made < n:
                c.call("create", xml=XML.format(name=f"b{made:03d}"))
                made += 1
            running = sum(d["state"] == "running" for d in c.call("list")["domains"])
            print(f"# {running} running ({time.monotonic() - t:.1f} s to start)", file=sys.stderr)
            time.sleep(2 * INTERVAL)  # every container sampled, history started
            idle = measure(engine.pid, WINDOW)
            stop, counts = threading.Event(), []
            th = threading.Thread(target=watcher, args=(sock, stop, counts))
            th.start()
            time.sleep(INTERVAL)
            watched = measure(engine.pid, WINDOW)
            stop.set()
            th.join()
            seen = max(counts) if counts else 0
            rows.append((n, idle, watched, seen, rss_kib(engine.pid)))
    finally:
        try:
            c = Conn(sock)
            for i in range(made):
                try:
                    c.call("destroy", name=f"b{i:03d}")
                except (RuntimeError, OSError, EOFError):
                    pass
        except OSError:
            pass
        engine.terminate()
        engine.wait(10)
        subprocess.run(["rm", "-rf", root])

    print(f"interval {INTERVAL:g} s, window {WINDOW:g} s per figure; "
          f"CPU % is of one core at a 1 s interval")
    print(f"{'containers':>10}  {'CPU/round':>10}  {'CPU %':>6}  {'read/round':>11}  "
          f"{'syscalls':>8}  {'+watch CPU':>10}  {'+watch %':>8}  {'engine RSS':>10}")
    for n, idle, watched, seen, rss in rows:
        print(f"{n:>10}  {idle[0] / 1e6:>8.2f}ms  {idle[0] / 1e7:>5.2f}%  "
              f"{idle[1] / 1024:>8.1f}KiB  {idle[2]:>8.0f}  {watched[0] / 1e6:>8.2f}ms  "
              f"{watched[0] / 1e7:>7.2f}%  {rss / 1024:>7.1f}MiB"
              + ("" if seen == n else f"  (watch saw {seen})"))


if __name__ == "__main__":
    main()
