#!/usr/bin/env python3
"""Talks to corrald's control socket for the bats tests (standard library only).

  jsonl-client.py wait SOCK SECONDS   until a ping is answered (exit 1 on timeout)
  jsonl-client.py send SOCK LINE...   sends each line, prints each reply line
  jsonl-client.py big SOCK BYTES      a BYTES-long line, then a ping; prints both replies
  jsonl-client.py flood SOCK N        N connections open at once, each pings; prints "N answered"
  jsonl-client.py noread SOCK         requests without reading replies until dropped
  jsonl-client.py define SOCK FILE    defines FILE's XML, prints the reply
  jsonl-client.py xml SOCK OP FILE    sends op with FILE's XML (create, net-define…), prints the reply
  jsonl-client.py destroy-all SOCK    destroys every running domain (test cleanup)
"""
import json
import socket
import sys
import time


def connect(path, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_line(s, buf=b""):
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError("engine closed the connection")
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return line.decode(), rest


def wait(path, seconds):
    deadline = time.monotonic() + float(seconds)
    while True:
        try:
            s = connect(path, 1)
            s.sendall(b'{"id":1,"op":"ping"}\n')
            line, _ = read_line(s)
            if json.loads(line).get("ok"):
                return 0
        except (OSError, EOFError, ValueError):
            pass
        if time.monotonic() > deadline:
            print(f"no engine answered on {path} within {seconds} s", file=sys.stderr)
            return 1
        time.sleep(0.02)


def send(path, lines):
    s = connect(path)
    rest = b""
    for text in lines:
        s.sendall(text.encode() + b"\n")
        line, rest = read_line(s, rest)
        print(line)
    return 0


def big(path, size):
    s = connect(path)
    size = int(size)
    payload = b'{"id":1,"op":"ping","pad":"' + b"x" * (size - 29) + b'"}'
    assert len(payload) == size
    s.sendall(payload + b"\n" + b'{"id":2,"op":"ping"}\n')
    rest = b""
    for _ in range(2):
        line, rest = read_line(s, rest)
        print(line)
    return 0


def flood(path, n):
    n = int(n)
    socks = [connect(path, 30) for _ in range(n)]
    for i, s in enumerate(socks):
        s.sendall(json.dumps({"id": i, "op": "ping"}).encode() + b"\n")
    answered = 0
    for i, s in enumerate(socks):
        line, _ = read_line(s)
        reply = json.loads(line)
        if reply.get("id") == i and reply.get("ok"):
            answered += 1
        s.close()
    print(f"{answered} answered")
    return 0 if answered == n else 1


def noread(path):
    s = connect(path, 30)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    req = b'{"id":1,"op":"list","all":true}\n' * 1000
    try:
        for _ in range(100000):
            s.sendall(req)
    except (BrokenPipeError, ConnectionResetError):
        print("dropped")
        return 0
    print("never dropped", file=sys.stderr)
    return 1


def define(path, file):
    with open(file) as f:
        xml = f.read()
    return send(path, [json.dumps({"id": 1, "op": "define", "xml": xml, "file": file})])


def xml_op(path, op, file):
    with open(file) as f:
        xml = f.read()
    return send(path, [json.dumps({"id": 1, "op": op, "xml": xml, "file": file})])


def destroy_all(path):
    s = connect(path, 10)
    s.sendall(b'{"id":1,"op":"list"}\n')
    line, rest = read_line(s)
    for i, d in enumerate(json.loads(line).get("domains", [])):
        req = {"id": i + 2, "op": "destroy", "name": d["name"]}
        s.sendall(json.dumps(req).encode() + b"\n")
        line, rest = read_line(s, rest)
        print(line)
    return 0


def main(argv):
    cmd, path, args = argv[1], argv[2], argv[3:]
    if cmd == "wait":
        return wait(path, args[0])
    if cmd == "send":
        return send(path, args)
    if cmd == "big":
        return big(path, args[0])
    if cmd == "flood":
        return flood(path, args[0])
    if cmd == "define":
        return define(path, args[0])
    if cmd == "xml":
        return xml_op(path, args[0], args[1])
    if cmd == "destroy-all":
        return destroy_all(path)
    if cmd == "noread":
        return noread(path)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
