#!/bin/sh
# Engine CPU time and bytes read per statistics round for 10, 100 and 200
# running containers. Needs root and a built tree (make all). Not part of
# `make check`. Usage: bench/sampler/run.sh [COUNTS] [WINDOW_SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${CORRAL_BIN:-$top/build}
[ -x "$bin/corrald" ] || { echo "run.sh: no $bin/corrald; run make first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "run.sh: containers need root" >&2; exit 1; }
exec python3 "$here/bench.py" "$bin" "${1:-10,100,200}" "${2:-10}"
