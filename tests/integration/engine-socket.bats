#!/usr/bin/env bats
# corrald's control sockets: the protocol, its limits, and one engine per root.

setup_file() {
	# The interpreter itself, not a version-manager shim that costs a fork
	# chain per call.
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY
}

setup() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	CLIENT="$BATS_TEST_DIRNAME/helpers/jsonl-client.py"
	TMP=$(mktemp -d /tmp/corral-engine.XXXXXX)
	ROOT="$TMP/root"
	SOCK="$ROOT/run/corral/corral.sock"
	ROSOCK="$ROOT/run/corral/corral-ro.sock"
	PID=
}

no_monitors() {
	! pgrep -f "corral-monitor --root $ROOT " >/dev/null
}

teardown() {
	local rc=0 i
	# Containers outlive the engine by design: stop any an autostart began.
	if [ -S "$SOCK" ]; then
		"$PY" "$CLIENT" destroy-all "$SOCK" >/dev/null || true
	fi
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null || true
		# A clean exit on SIGTERM (and, in a sanitizer build, no leak).
		wait "$PID" || rc=$?
	fi
	local daemon
	daemon=$(cat "$ROOT/run/corral/corrald.lock" 2>/dev/null || true)
	if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
		kill "$daemon"
		wait_unlocked || kill -9 "$daemon"
	fi
	[ "$rc" -eq 0 ] || cat "$TMP/corrald.log" >&2
	for ((i = 0; i < 100; i++)); do
		no_monitors && break
		sleep 0.05
	done
	if ! no_monitors; then
		echo "leaked: $(pgrep -af "corral-monitor --root $ROOT ")" >&2
		pkill -9 -f "corral-monitor --root $ROOT " || true
		rc=1
	fi
	rm -rf -- "$TMP"
	return "$rc"
}

# Waits up to 5 s for the engine lock to be free: the daemon is not our
# child and may linger as a zombie, but its lock goes when it exits.
wait_unlocked() {
	timeout 5 flock "$ROOT/run/corral/corrald.lock" true
}

# Starts corrald in the foreground (bats must not wait on its fd 3).
start_engine() {
	"$BIN/corrald" --root "$ROOT" --foreground "$@" 2>"$TMP/corrald.log" 3>&- &
	PID=$!
	"$PY" "$CLIENT" wait "$SOCK" 5
}

request() {
	"$PY" "$CLIENT" send "$SOCK" "$@"
}

domain_xml() {
	cat >"$TMP/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <uuid>$2</uuid>
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
}

@test "ping and version are answered with the request's id" {
	start_engine
	run request '{"id":41,"op":"ping"}' '{"id":42,"op":"version"}'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":41,"ok":true}' ]
	[[ "${lines[1]}" == *'"id":42,"ok":true,"version":"'* ]]
}

@test "a garbage line gets a malformed error and the engine still answers" {
	start_engine
	run request 'this is not json' '{"id":2,"op":"ping"}'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"code":"malformed"'* ]]
	[ "${lines[1]}" = '{"id":2,"ok":true}' ]
}

@test "non-objects, a missing id or op, and unknown ops are error replies" {
	start_engine
	run request '[1,2]' '{"op":"ping"}' '{"id":3}' '{"id":4,"op":"frobnicate"}' '{"id":5,"op":"ping"}'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"id":null,"error":{"code":"malformed"'* ]]
	[[ "${lines[1]}" == *'"code":"malformed"'*'without \"id\"'* ]]
	[[ "${lines[2]}" == '{"id":3,"error":{"code":"malformed"'*'without \"op\"'* ]]
	[[ "${lines[3]}" == '{"id":4,"error":{"code":"unknown-op"'*frobnicate* ]]
	[ "${lines[4]}" = '{"id":5,"ok":true}' ]
}

@test "a 2 MiB line gets a too-large error and the engine keeps serving" {
	start_engine
	run "$PY" "$CLIENT" big "$SOCK" $((2 * 1024 * 1024))
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"code":"too-large"'* ]]
	[ "${lines[1]}" = '{"id":2,"ok":true}' ]
	run request '{"id":3,"op":"ping"}'
	[ "$output" = '{"id":3,"ok":true}' ]
}

@test "a request of exactly 1 MiB is accepted" {
	start_engine
	run "$PY" "$CLIENT" big "$SOCK" $((1024 * 1024))
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":1,"ok":true}' ]
	[ "${lines[1]}" = '{"id":2,"ok":true}' ]
}

@test "500 concurrent connections are all answered and the engine keeps serving" {
	start_engine
	run "$PY" "$CLIENT" flood "$SOCK" 500
	[ "$status" -eq 0 ]
	[ "$output" = "500 answered" ]
	run request '{"id":1,"op":"ping"}'
	[ "$output" = '{"id":1,"ok":true}' ]
}

@test "a client that stops reading is dropped, the others are served" {
	start_engine
	run "$PY" "$CLIENT" noread "$SOCK"
	[ "$status" -eq 0 ]
	[ "$output" = "dropped" ]
	grep -q "not reading" "$TMP/corrald.log"
	run request '{"id":1,"op":"ping"}'
	[ "$output" = '{"id":1,"ok":true}' ]
}

@test "a second corrald on the same root is refused, naming the pid" {
	start_engine
	run "$BIN/corrald" --root "$ROOT" --foreground
	[ "$status" -eq 1 ]
	[[ "$output" == *"pid $PID"* ]]
	run request '{"id":1,"op":"ping"}'
	[ "$output" = '{"id":1,"ok":true}' ]
}

@test "the read-only socket refuses define and serves list" {
	start_engine
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000001
	run "$PY" "$CLIENT" send "$ROSOCK" \
		"{\"id\":1,\"op\":\"define\",\"xml\":\"<domain/>\"}" \
		'{"id":2,"op":"undefine","name":"web"}' '{"id":3,"op":"list","all":true}'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"id":1,"error":{"code":"denied"'* ]]
	[[ "${lines[1]}" == '{"id":2,"error":{"code":"denied"'* ]]
	[ "${lines[2]}" = '{"id":3,"ok":true,"domains":[]}' ]
}

@test "socket modes are 0600 and 0666; SIGTERM removes them" {
	start_engine
	[ "$(stat -c %a "$SOCK")" = 600 ]
	[ "$(stat -c %a "$ROSOCK")" = 666 ]
	kill -TERM "$PID"
	wait "$PID"
	PID=
	[ ! -e "$SOCK" ]
	[ ! -e "$ROSOCK" ]
}

@test "define, list, dominfo, dumpxml, autostart and undefine" {
	start_engine
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000001
	run "$PY" "$CLIENT" define "$SOCK" "$TMP/web.xml"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"ok":true'*'"created":true'* ]]
	[ -f "$ROOT/etc/corral/domains/web.xml" ]
	run request '{"id":2,"op":"list","all":true}' '{"id":3,"op":"list"}' \
		'{"id":4,"op":"autostart","name":"web","enable":true}' \
		'{"id":5,"op":"dominfo","name":"web"}' '{"id":6,"op":"dumpxml","name":"web"}'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"id":2,"ok":true,"domains":[{"name":"web","id":null,"state":"shut off","reason":"unknown","persistent":true,"autostart":false,"uuid":"6f1c2a3e-0000-4000-8000-000000000001"}]}' ]
	[ "${lines[1]}" = '{"id":3,"ok":true,"domains":[]}' ]
	[ "${lines[2]}" = '{"id":4,"ok":true}' ]
	[ -L "$ROOT/etc/corral/autostart/web.xml" ]
	[[ "${lines[3]}" == *'"autostart":true'*'"os_type":"exe"'* ]]
	[[ "${lines[4]}" == *'<name>web</name>'*'6f1c2a3e-0000-4000-8000-000000000001'* ]]
	run request '{"id":7,"op":"undefine","name":"web"}' '{"id":8,"op":"dominfo","name":"web"}'
	[ "${lines[0]}" = '{"id":7,"ok":true}' ]
	[[ "${lines[1]}" == '{"id":8,"error":{"code":"not-found"'*web* ]]
	[ ! -e "$ROOT/etc/corral/domains/web.xml" ]
	[ ! -L "$ROOT/etc/corral/autostart/web.xml" ]
}

@test "define of a taken name with another UUID is refused, naming the UUID" {
	start_engine
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000001
	"$PY" "$CLIENT" define "$SOCK" "$TMP/web.xml"
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000002
	run "$PY" "$CLIENT" define "$SOCK" "$TMP/web.xml"
	[[ "$output" == *'"code":"exists"'*'6f1c2a3e-0000-4000-8000-000000000001'* ]]
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000001
	run "$PY" "$CLIENT" define "$SOCK" "$TMP/web.xml"
	[[ "$output" == *'"ok":true'*'"created":false'* ]]
}

@test "an invalid definition is refused with its diagnostics" {
	start_engine
	printf '<domain type="lxc"></domain>\n' >"$TMP/bad.xml"
	run "$PY" "$CLIENT" define "$SOCK" "$TMP/bad.xml"
	[[ "$output" == *'"code":"invalid"'*"$TMP/bad.xml"* ]]
	[ -z "$(ls "$ROOT/etc/corral/domains")" ]
}

@test "check names a definition and keeps nothing" {
	start_engine
	run request '{"id":1,"op":"check","xml":"<domain type=\"lxc\"><name>peek</name><os><type>exe</type><init>/bin/sh</init></os></domain>"}' \
		'{"id":2,"op":"check","xml":"<domain type=\"lxc\"></domain>","file":"bad.xml"}' \
		'{"id":3,"op":"list","all":true}'
	[[ "${lines[0]}" == '{"id":1,"ok":true,'*'"name":"peek"'* ]]
	[[ "${lines[1]}" == '{"id":2,"error":{"code":"invalid"'*bad.xml* ]]
	[ "${lines[2]}" = '{"id":3,"ok":true,"domains":[]}' ]
}

@test "definitions and autostart marks survive an engine restart" {
	start_engine
	domain_xml web 6f1c2a3e-0000-4000-8000-000000000001
	"$PY" "$CLIENT" define "$SOCK" "$TMP/web.xml"
	request '{"id":2,"op":"autostart","name":"web","enable":true}'
	kill -TERM "$PID"
	wait "$PID"
	start_engine
	run request '{"id":3,"op":"list","all":true}'
	[[ "$output" == *'"name":"web"'*'"autostart":true'* ]]
}

@test "without --foreground corrald returns once it serves, and logs to its file" {
	run "$BIN/corrald" --root "$ROOT"
	[ "$status" -eq 0 ]
	# No wait: the launcher returned only after the sockets were up.
	run request '{"id":1,"op":"ping"}'
	[ "$output" = '{"id":1,"ok":true}' ]
	daemon=$(cat "$ROOT/run/corral/corrald.lock")
	kill -0 "$daemon"
	grep -q "serving root" "$ROOT/var/log/corral/corrald.log"
	run "$BIN/corrald" --root "$ROOT"
	[ "$status" -eq 1 ]
	[[ "$output" == *"pid $daemon"* ]]
	kill -TERM "$daemon"
	wait_unlocked
	[ ! -e "$SOCK" ]
}
