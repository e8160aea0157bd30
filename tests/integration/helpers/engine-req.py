#!/usr/bin/env python3
"""One request to corrald for the statistics tests (standard library only).

  engine-req.py SOCK OP [KEY=VALUE...]   prints the reply; exit 1 on an error reply
      VALUE is JSON when it parses as JSON, else a string; KEY=@FILE reads FILE.
  engine-req.py watch SOCK SECONDS [KEY=VALUE...]
      sends a watch and prints every line (reply, then events) for SECONDS
"""
import json
import socket
import sys
import time


def connect(path, timeout=30):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def request(op, args):
    req = {"id": 1, "op": op}
    for a in args:
        key, _, val = a.partition("=")
        if val.startswith("@"):
            with open(val[1:]) as f:
                req[key] = f.read()
            continue
        try:
            req[key] = json.loads(val)
        except ValueError:
            req[key] = val
    return (json.dumps(req) + "\n").encode()


def call(path, op, args):
    s = connect(path)
    s.sendall(request(op, args))
    buf = b""
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            print("engine closed the connection", file=sys.stderr)
            return 2
        buf += chunk
    line = buf.partition(b"\n")[0].decode()
    print(line)
    return 1 if "error" in json.loads(line) else 0


def watch(path, seconds, args):
    s = connect(path)
    s.sendall(request("watch", args))
    deadline = time.monotonic() + float(seconds)
    buf = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        s.settimeout(left)
        try:
            chunk = s.recv(1 << 20)
        except socket.timeout:
            return 0
        if not chunk:
            return 0
        buf += chunk
        while b"\n" in buf:
            line, _, buf = buf.partition(b"\n")
            print(line.decode(), flush=True)


def main(argv):
    if len(argv) >= 4 and argv[1] == "watch":
        return watch(argv[2], argv[3], argv[4:])
    if len(argv) >= 3:
        return call(argv[1], argv[2], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
