#!/usr/bin/env python3
"""Console throughput and latency through a terminal multiplexer: runs a
client (corral with a zoomed console pane, or tmux) on a pty this script
reads as fast as it can (a terminal that costs nothing), types into the
console, and times what comes back.

  bench.py corral|tmux ARGS... -- options as in run.sh
"""
import argparse
import os
import pty
import select
import statistics
import struct
import sys
import termios
import fcntl
import time


class Term:
    """A program on a pty of rows x cols whose output is drained and kept
    in a short tail for matching."""

    def __init__(self, argv, rows, cols, env):
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.pid, self.fd = pid, fd
        self.tail = b""
        self.total = 0

    def read(self, timeout):
        """One read, or None on timeout."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return None
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            raise EOFError("the client ended")
        self.total += len(data)
        self.tail = (self.tail + data)[-8192:]
        return data

    def drain(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            self.read(max(0.0, end - time.time()))

    def wait_for(self, needle, timeout):
        """Time at which needle was seen in the output, or None."""
        end = time.time() + timeout
        self.tail = b""
        while time.time() < end:
            if self.read(max(0.0, end - time.time())) is not None and needle in self.tail:
                return time.time()
        return None

    def send(self, data):
        os.write(self.fd, data)


def latency(term, n):
    """Keystroke to echo: '@' never appears elsewhere on these screens."""
    got = []
    for i in range(n):
        term.drain(0.03)
        t0 = time.time()
        term.send(b"@")
        while True:
            data = term.read(2.0)
            if data is None:
                break
            if b"@" in data:
                got.append(time.time() - t0)
                break
        if i % 40 == 39:
            term.send(b"\x15")  # ^U: the shell line stays short
    term.send(b"\x15")
    term.drain(0.3)
    return got


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["corral", "tmux"])
    ap.add_argument("--bin", default="build")
    ap.add_argument("--root")
    ap.add_argument("--name", default="bench")
    ap.add_argument("--work", required=True)
    ap.add_argument("--marker", required=True)
    ap.add_argument("--keys", type=int, default=200)
    args = ap.parse_args()

    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    if args.kind == "corral":
        # 55 rows: the zoomed pane is 200x50 under the header, its title
        # row and the footer.
        # BENCH_WRAP="perf record -o FILE --" profiles the TUI.
        wrap = os.environ.get("BENCH_WRAP", "").split()
        term = Term(wrap + [os.path.join(args.bin, "corral"), "--root", args.root], 55, 200,
                    env)
        if term.wait_for(b"running", 10) is None:
            sys.exit("corral: the table never showed")
        term.drain(1.0)
        term.send(b"c")
        term.drain(1.0)
        term.send(b"\x01z")
    else:
        conf = os.path.join(args.work, "tmux.conf")
        with open(conf, "w") as f:
            f.write("set -g status off\n")
        sock = "corral-bench-%d" % os.getpid()
        term = Term(["tmux", "-L", sock, "-f", conf, "new-session", "-x", "200", "-y", "50",
                     "sh"], 50, 200, env)
    term.drain(1.5)
    term.send(b"clear\r")
    term.drain(1.0)

    lat = latency(term, args.keys)

    r0, r1 = os.path.join(args.work, "t0"), os.path.join(args.work, "t1")
    for p in (r0, r1):
        if os.path.exists(p):
            os.unlink(p)
    term.send(b"sh %s/cat.sh\r" % args.work.encode())
    seen = term.wait_for(args.marker.encode(), 300)
    end = time.time() + 10
    while not os.path.exists(r1) and time.time() < end:
        term.drain(0.05)
    t0 = float(open(r0).read())
    t1 = float(open(r1).read())
    term.drain(1.0)
    if args.kind == "tmux":
        os.system("tmux -L %s kill-server" % sock)
    else:
        term.send(b"\x01x")
        term.drain(0.5)
        term.send(b"q")
    try:
        term.drain(1.0)
    except EOFError:
        pass
    _, _, ru = os.wait4(term.pid, 0)
    cpu = ru.ru_utime + ru.ru_stime

    cat_s = t1 - t0
    tail = (seen - t1) if seen is not None else float("nan")
    print("%-6s cat 200MB %6.2f s   tail visible %+6.3f s   echo median %5.1f ms  p99 %5.1f ms"
          "  (%d keys)   %d bytes to the terminal   client CPU %.2f s"
          % (args.kind, cat_s, tail, 1e3 * statistics.median(lat) if lat else float("nan"),
             1e3 * pct(lat, 99) if lat else float("nan"), len(lat), term.total, cpu))


if __name__ == "__main__":
    main()
