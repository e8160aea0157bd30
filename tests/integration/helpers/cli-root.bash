# A private corral root for CLI tests, and a teardown that leaves no engine,
# monitor, container or file of it behind, even when a test failed, and
# fails the test when anything was left.

source "${BASH_SOURCE[0]%/*}/leaks.bash"

cli_setup() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	ROOT=$(mktemp -d /tmp/corral-cli.XXXXXX)
	SOCK="$ROOT/run/corral/corral.sock"
	CORRAL=(env -u CORRAL_DEFAULT_URI -u CORRAL_ROOT "$BIN/corral" --root "$ROOT")
}

# Runs `corral --root $ROOT ARGS...`.
corral() {
	"${CORRAL[@]}" "$@"
}

# Waits up to 5 s (or $2 tenths of a second) for a command string to succeed.
wait_for() {
	local tries=${2:-50}
	while [ "$tries" -gt 0 ]; do
		if eval "$1"; then
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

engine_pid() {
	cat "$ROOT/run/corral/corrald.lock" 2>/dev/null || true
}

# Stops the engine of $ROOT: its pid is in the lock file, which is free once
# it has exited (it is not our child, so `wait` cannot tell).
stop_engine() {
	local pid
	pid=$(engine_pid)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		timeout 5 flock "$ROOT/run/corral/corrald.lock" true || kill -9 "$pid" 2>/dev/null || true
	fi
	pkill -9 -f "corrald --root $ROOT\$" 2>/dev/null || true
}

cli_teardown() {
	local name rc=0
	# Through the socket, so that teardown never starts an engine itself.
	if [ -S "$SOCK" ]; then
		for name in $("$BIN/corral" -c "unix:$SOCK" list --name 2>/dev/null); do
			"$BIN/corral" -c "unix:$SOCK" destroy "$name" >/dev/null 2>&1 || true
		done
	fi
	stop_engine
	# A monitor takes its container along (PDEATHSIG) and cleans up on exit.
	if ! wait_for '! pgrep -f "corral-monitor --root $ROOT " >/dev/null'; then
		echo "leaked: monitors" >&2
		rc=1
		pkill -9 -f "corral-monitor --root $ROOT " 2>/dev/null || true
		wait_for '! pgrep -f "corral-monitor --root $ROOT " >/dev/null' || true
	fi
	assert_no_leaks || rc=1
	rm -rf -- "$ROOT"
	return "$rc"
}

# An APP container: the host's root, init /bin/sh, or /bin/sh -c SCRIPT when
# a script is given; no interfaces.
app_xml() {
	local name=$1 script=${2-} uuid=${3-} memory=${4:-65536}
	{
		echo "<domain type='lxc'>"
		echo "  <name>$name</name>"
		[ -n "$uuid" ] && echo "  <uuid>$uuid</uuid>"
		echo "  <memory unit='KiB'>$memory</memory>"
		echo "  <os>"
		echo "    <type>exe</type>"
		echo "    <init>/bin/sh</init>"
		if [ -n "$script" ]; then
			echo "    <initarg>-c</initarg>"
			echo "    <initarg>$script</initarg>"
		fi
		echo "  </os>"
		echo "  <devices><console type='pty'/></devices>"
		echo "</domain>"
	} >"$ROOT/$name.xml"
	echo "$ROOT/$name.xml"
}

# The state word of a domain in `list --all`, or nothing when it is absent.
state_of() {
	corral list --all --json | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["name"] == sys.argv[1]:
        print(d["state"])' "$1"
}
