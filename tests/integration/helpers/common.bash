# Shared set-up for tests that run containers: a private root per test, and
# a teardown that removes everything the test made and fails the test when
# something of it was left behind (a leak is a bug).

source "${BASH_SOURCE[0]%/*}/leaks.bash"

corral_setup() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	CORRAL="$BIN/corral"
	TMP=$(mktemp -d /tmp/corral-it.XXXXXX)
	ROOT="$TMP/root"
	export CORRAL_ROOT="$ROOT"
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
	local pid rc=0
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
		echo "leaked: monitors" >&2
		pkill -9 -f "corral-monitor --root $ROOT " || true
		rc=1
	fi
	assert_no_leaks || rc=1
	rm -rf -- "$TMP"
	return "$rc"
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

# From `corral list --all`'s table (Id, Name, State), read with awk: a
# python3 start per poll costs seconds under a version-manager shim.
state_of() {
	"$CORRAL" list --all | awk -v n="$1" 'NR > 2 && $2 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}

is_state() {
	[ "$(state_of "$1")" = "$2" ]
}

id_of() {
	"$CORRAL" list --all | awk -v n="$1" 'NR > 2 && $2 == n { print $1 }'
}

# "name=id" of every running container, sorted by name.
running_ids() {
	"$CORRAL" list | awk 'NR > 2 && $3 == "running" { print $2 "=" $1 }' | sort | tr '\n' ' ' | sed 's/ $//'
}
