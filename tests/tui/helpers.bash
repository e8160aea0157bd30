# Shared by the TUI tests: a private root with its own engine, corral in a
# private tmux server, and bounded waits on what the screen shows.

tui_setup() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	CLIENT="$BATS_TEST_DIRNAME/../integration/helpers/jsonl-client.py"
	PY=$(python3 -c 'import sys; print(sys.executable)')
	TMP=$(mktemp -d /tmp/corral-tui.XXXXXX)
	ROOT="$TMP/root"
	SOCK="$ROOT/run/corral/corral.sock"
	TS="corral-tui-$$-${BATS_TEST_NUMBER:-0}"
}

tui_teardown() {
	local i
	tmux -L "$TS" kill-server 2>/dev/null || true
	if [ -S "$SOCK" ]; then
		"$PY" "$CLIENT" destroy-all "$SOCK" >/dev/null 2>&1 || true
	fi
	pkill -f "corrald --root $ROOT" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		pgrep -f "corral-monitor --root $ROOT " >/dev/null || break
		sleep 0.05
	done
	pkill -9 -f "corral-monitor --root $ROOT " 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		pgrep -f "corrald --root $ROOT" >/dev/null || break
		sleep 0.05
	done
	[ -n "${FAKE_PID:-}" ] && kill "$FAKE_PID" 2>/dev/null || true
	rm -rf -- "$TMP"
}

start_engine() {
	"$BIN/corrald" --root "$ROOT" 3>&- 2>"$TMP/corrald.log"
	"$PY" "$CLIENT" wait "$SOCK" 5
}

# An APP container (no root filesystem) whose init sleeps.
define() {
	cat >"$TMP/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='KiB'>65536</memory>
	  <os>
	    <type>exe</type>
	    <init>/bin/sh</init>
	    <initarg>-c</initarg>
	    <initarg>sleep 1000</initarg>
	  </os>
	  <devices>
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
	"$PY" "$CLIENT" define "$SOCK" "$TMP/$1.xml" | grep -q '"ok":true'
}

# An APP container whose init is an interactive shell on its console.
define_shell() {
	cat >"$TMP/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='KiB'>65536</memory>
	  <os>
	    <type>exe</type>
	    <init>/bin/sh</init>
	  </os>
	  <devices>
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
	"$PY" "$CLIENT" define "$SOCK" "$TMP/$1.xml" | grep -q '"ok":true'
}

request() {
	"$PY" "$CLIENT" send "$SOCK" "$@"
}

# corral in a fresh tmux server, WIDTHxHEIGHT (120x40 by default).
tui_start() {
	tmux -L "$TS" -f /dev/null new-session -d -x "${1:-120}" -y "${2:-40}" \
		"$BIN/corral --root $ROOT $TUI_ARGS"
}

screen() {
	tmux -L "$TS" capture-pane -p
}

keys() {
	tmux -L "$TS" send-keys "$@"
}

# Runs FN (screen, or a part of it) until its output matches the extended
# regex; shows the screen when it never does. Ten seconds: on a loaded CI
# machine a start or a stop that takes milliseconds alone has been seen to
# take more than five.
wait_for_output() { # FN REGEX
	local i
	for ((i = 0; i < 100; i++)); do
		"$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	echo "$1 never matched /$2/:" >&2
	screen >&2
	return 1
}

wait_for_screen() {
	wait_for_output screen "$1"
}

# The same, until the regex no longer matches.
wait_for_no_screen() {
	local i
	for ((i = 0; i < 100; i++)); do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
	done
	echo "screen still matches /$1/:" >&2
	screen >&2
	return 1
}
