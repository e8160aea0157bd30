#!/bin/sh
# The TUI's CPU use and frame time with N running containers whose figures
# change every interval (a stand-in watch stream), in a 200x50 terminal.
#   bench/tui-cpu.sh [N] [SECONDS]     defaults: 200 containers, 60 s
set -eu
N=${1:-200}
SECS=${2:-60}
BUILD=${BUILD:-build}
BIN="$(pwd)/$BUILD"
PY=$(python3 -c 'import sys; print(sys.executable)')
TMP=$(mktemp -d /tmp/corral-bench-tui.XXXXXX)
TS="corral-bench-$$"
FAKE=
cleanup() {
	tmux -L "$TS" kill-server 2>/dev/null || true
	[ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null || true
	rm -rf -- "$TMP"
}
trap cleanup EXIT INT TERM

mkdir -p "$TMP/root/var/log/corral"
"$PY" tests/tui/helpers/fake-watch-engine.py "$TMP/engine.sock" "$N" 1 &
FAKE=$!
"$PY" tests/integration/helpers/jsonl-client.py wait "$TMP/engine.sock" 5
tmux -L "$TS" -f /dev/null new-session -d -x 200 -y 50 \
	"$BIN/corral --root $TMP/root --debug -c unix:$TMP/engine.sock"
sleep 3
# The pane's process is the TUI (corral execs corral-tui in place), or the
# shell that runs it.
PID=$(tmux -L "$TS" list-panes -F '#{pane_pid}')
[ "$(cat "/proc/$PID/comm")" = corral-tui ] || PID=$(pgrep -P "$PID" -x corral-tui)
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
t0=$(ticks)
sleep "$SECS"
t1=$(ticks)
LOG="$TMP/root/var/log/corral/tui.log"
awk -v hz="$HZ" -v secs="$SECS" -v n="$N" -v t0="$t0" -v t1="$t1" '
	/ frame / { f = $(NF - 1); sum += f; c++; if (f > max) max = f }
	END {
		printf "containers %d, %d s: CPU %.2f %% of one core (%.2f s per minute)\n",
		       n, secs, (t1 - t0) / hz / secs * 100, (t1 - t0) / hz / secs * 60
		printf "frames %d: mean %.2f ms, max %.2f ms\n", c, sum / c, max
	}' "$LOG"
