#!/bin/bash
# Console throughput and latency: `cat` of 200 MB of text inside a container
# whose console is open in a visible 200x50 pane of corral, against the same
# `cat` in a 200x50 tmux pane with a client attached, in one run; the time
# from the end of the cat until the terminal shows the file's last line; and
# keystroke-to-echo latency through each. Both clients run on a pty that
# bench.py drains at once. Not part of `make check`.
#
#   bench/console/run.sh [ROUNDS] [MB]     (as root, after `make`)
set -euo pipefail

ROUNDS=${1:-1}
MB=${2:-200}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BIN=${CORRAL_BIN:-$top/build}
CLIENT=$top/tests/integration/helpers/jsonl-client.py

work=$(mktemp -d /tmp/corral-bench-console.XXXXXX)
root=$work/root
sock=$root/run/corral/corral.sock
cleanup() {
	if [ -S "$sock" ]; then
		python3 "$CLIENT" destroy-all "$sock" >/dev/null 2>&1 || true
	fi
	pkill -f "corrald --root $root" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		pgrep -f "corral-monitor --root $root " >/dev/null || break
		sleep 0.05
	done
	pkill -9 -f "corral-monitor --root $root " 2>/dev/null || true
	rm -rf -- "$work"
}
trap cleanup EXIT

marker="END-OF-BENCH-$$-$RANDOM"
# Lines of varied text, as a log would be, then the marker.
python3 - "$work/text" "$MB" "$marker" <<'PY'
import sys
path, mb, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
words = b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()
block = b"".join(b"%08d %s\n" % (i, b" ".join(words[(i + k) % len(words)] for k in range(1 + i % 14)))
                 for i in range(20000))
left = mb << 20
with open(path, "wb") as f:
    while left > 0:
        f.write(block[:left])
        left -= len(block)
    f.write(marker.encode() + b"\n")
PY
cat >"$work/cat.sh" <<SH
date +%s.%N >"$work/t0"
cat "$work/text"
date +%s.%N >"$work/t1"
SH

"$BIN/corrald" --root "$root" 3>&- 2>"$work/corrald.log"
python3 "$CLIENT" wait "$sock" 5 >/dev/null
cat >"$work/bench.xml" <<XML
<domain type='lxc'>
  <name>bench</name>
  <os><type>exe</type><init>/bin/sh</init></os>
  <devices><console type='pty'/></devices>
</domain>
XML
python3 "$CLIENT" define "$sock" "$work/bench.xml" | grep -q '"ok":true'
python3 "$CLIENT" send "$sock" '{"id":1,"op":"start","name":"bench"}' | grep -q '"ok":true'

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; $MB MB; $(tmux -V)"
for ((r = 0; r < ROUNDS; r++)); do
	[ -n "${BENCH_ONLY_CORRAL:-}" ] || python3 "$here/bench.py" tmux --work "$work" --marker "$marker"
	python3 "$here/bench.py" corral --bin "$BIN" --root "$root" --work "$work" --marker "$marker"
done
