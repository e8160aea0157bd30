# Shared set-up for tests that run containers: a private root per test, and
# a teardown that removes everything the test made and fails the test when
# something of it was left behind (a leak is a bug).

corral_setup() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	CORRAL="$BIN/corral"
	TMP=$(mktemp -d /tmp/corral-it.XXXXXX)
	ROOT="$TMP/root"
	export CORRAL_ROOT="$ROOT"
}

# The cgroup parent of the root: "corral-" and FNV-1a of the root path, as
# config/paths.c names it.
corral_cgroup_name() {
	local s=$ROOT h=2166136261 i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 16777619 & 0xffffffff))
	done
	printf 'corral-%08x' "$h"
}

# Polls "$@" every 50 ms until it succeeds or SECONDS pass.
wait_for() {
	local seconds=$1
	shift
	local deadline=$((SECONDS + seconds))
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

engine_pid() {
	cat "$ROOT/run/corral/corrald.lock" 2>/dev/null
}

no_monitors() {
	! pgrep -f "corral-monitor --root $ROOT " >/dev/null
}

corral_teardown() {
	local pid leaked=""
	if [ -S "$ROOT/run/corral/corral.sock" ]; then
		for n in $("$CORRAL" list --name 2>/dev/null); do
			"$CORRAL" destroy "$n" >/dev/null 2>&1 || true
		done
	fi
	pid=$(engine_pid)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		timeout 5 flock "$ROOT/run/corral/corrald.lock" true || kill -9 "$pid" 2>/dev/null || true
	fi
	if ! wait_for 5 no_monitors; then
		leaked="$leaked monitors"
		pkill -9 -f "corral-monitor --root $ROOT " || true
	fi
	if pgrep -f "$ROOT" >/dev/null; then
		leaked="$leaked processes($(pgrep -f "$ROOT" | tr '\n' ' '))"
		pkill -9 -f "$ROOT" || true
	fi
	local cg
	cg=$(corral_cgroup_name)
	if ls -d /sys/fs/cgroup/*/"$cg" /sys/fs/cgroup/unified/"$cg" >/dev/null 2>&1; then
		leaked="$leaked cgroups"
		find /sys/fs/cgroup/*/"$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
	fi
	if grep -q " $ROOT" /proc/self/mountinfo; then
		leaked="$leaked mounts"
		grep " $ROOT" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
	fi
	if [ -d "$ROOT/run/corral" ] && [ -n "$(find "$ROOT/run/corral" -mindepth 1 -type d)" ]; then
		leaked="$leaked runtime-dirs($(find "$ROOT/run/corral" -mindepth 1 -type d))"
	fi
	rm -rf -- "$TMP"
	if [ -n "$leaked" ]; then
		echo "leaked:$leaked" >&2
		return 1
	fi
}

# An APP container running CMD with /bin/sh, written to $TMP/NAME.xml.
app_xml() {
	local name=$1 cmd=${2:-}
	{
		echo "<domain type='lxc'>"
		echo "  <name>$name</name>"
		echo "  <memory unit='MiB'>128</memory>"
		echo "  <os><type>exe</type><init>/bin/sh</init>"
		if [ -n "$cmd" ]; then
			echo "    <initarg>-c</initarg><initarg>$cmd</initarg>"
		fi
		echo "  </os>"
		echo "  <devices><console type='pty'/></devices>"
		echo "</domain>"
	} >"$TMP/$name.xml"
}

state_of() {
	"$CORRAL" list --all --json | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["name"] == sys.argv[1]:
        print(d["state"])' "$1"
}

is_state() {
	[ "$(state_of "$1")" = "$2" ]
}

id_of() {
	"$CORRAL" list --all --json | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["name"] == sys.argv[1]:
        print(d["id"])' "$1"
}
