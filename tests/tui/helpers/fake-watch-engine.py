#!/usr/bin/env python3
"""A stand-in engine that speaks the `watch` stream, for the TUI's figures
and alarms before (and besides) the real engine's statistics.

  fake-watch-engine.py SOCK             serves until killed
  fake-watch-engine.py SOCK N INTERVAL  N running containers instead, a sample
                                        of each every INTERVAL s (for bench/)

Containers: big (running, 500 MiB of 1 GiB), small (running, 10 MiB, an
OOM kill at its fourth sample), off (shut off). A sample every 0.3 s."""
import json
import socketserver
import sys
import threading
import time

MIB = 1 << 20
DOMAINS = [
    {"name": "big", "id": 1, "state": "running", "reason": "booted",
     "persistent": True, "autostart": True, "uuid": "00000000-0000-4000-8000-000000000001"},
    {"name": "small", "id": 2, "state": "running", "reason": "booted",
     "persistent": True, "autostart": False, "uuid": "00000000-0000-4000-8000-000000000002"},
    {"name": "off", "id": None, "state": "shut off", "reason": "shutdown",
     "persistent": True, "autostart": False, "uuid": "00000000-0000-4000-8000-000000000003"},
]
XML = ("<domain type='lxc'><name>%s</name><memory unit='KiB'>1048576</memory>"
       "<os><type>exe</type><init>/bin/sh</init></os></domain>")


def sample(name, t, n):
    big = name == "big"
    return {
        "name": name, "time": t,
        "cpu": {"percent": 80.0 if big else 5.0 + n % 3, "throttled_periods": 0},
        "memory": {"used": (500 if big else 10) * MIB, "limit": 1024 * MIB,
                   "oom_kills": 1 if (not big and n >= 3) else 0},
        "pids": {"current": 12 if big else 2, "max": 100},
        "blkio": {"read_bps": 2048.0, "write_bps": 0.0},
        "net": None if big else {"rx_bytes": 0, "tx_bytes": 0, "rx_bps": 1536.0, "tx_bps": 512.0},
    }


def many(n):
    return [{"name": "ct%03d" % i, "id": i + 1, "state": "running", "reason": "booted",
             "persistent": True, "autostart": False,
             "uuid": "00000000-0000-4000-8000-%012d" % i} for i in range(n)]


def varied(name, t, n):
    i = int(name[2:])
    s = sample("small", t, 0)
    s["name"] = name
    s["cpu"]["percent"] = (i * 7 + n * 3) % 100 + 0.5
    s["memory"]["used"] = (i % 50 + 1) * MIB
    return s


class Handler(socketserver.StreamRequestHandler):
    def send(self, msg):
        self.wfile.write(json.dumps(msg).encode() + b"\n")
        self.wfile.flush()

    def handle(self):
        for line in self.rfile:
            req = json.loads(line)
            op, rid = req.get("op"), req.get("id")
            if op == "ping":
                self.send({"id": rid, "ok": True})
            elif op == "list":
                self.send({"id": rid, "ok": True, "domains": DOMAINS})
            elif op == "dominfo":
                d = next(d for d in DOMAINS if d["name"] == req["name"])
                self.send({"id": rid, "ok": True, "domain": dict(d, security_model="none")})
            elif op == "dumpxml":
                self.send({"id": rid, "ok": True, "xml": XML % req["name"]})
            elif op == "watch":
                self.send({"id": rid, "ok": True})
                try:
                    self.stream()
                except OSError:
                    pass  # the TUI went away
                return
            else:
                self.send({"id": rid, "error": {"code": "invalid",
                                                "message": "the fake engine does not %s" % op}})

    def stream(self):
        if INTERVAL is not None:
            self.stream_many()
            return
        now = time.time()
        for name in ("big", "small"):
            hist = [sample(name, now - 30 + i, 0) for i in range(30)]
            self.send({"event": "history", "name": name, "samples": hist})
        n = 0
        while True:
            time.sleep(0.3)
            n += 1
            t = time.time()
            self.send({"event": "stats", "time": t,
                       "samples": [sample("big", t, n), sample("small", t, n)]})


    def stream_many(self):
        n = 0
        while True:
            n += 1
            t = time.time()
            self.send({"event": "stats", "time": t,
                       "samples": [varied(d["name"], t, n) for d in DOMAINS]})
            time.sleep(INTERVAL)


INTERVAL = None


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    if len(sys.argv) > 3:
        DOMAINS = many(int(sys.argv[2]))
        INTERVAL = float(sys.argv[3])
    Server(sys.argv[1], Handler).serve_forever()
