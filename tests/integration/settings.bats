#!/usr/bin/env bats
# corrald.conf end to end: each key changes what the engine and its
# monitors do, and a bad line stops the engine naming the file and line.
# (default_network is in net.bats: it needs a network namespace.)

load helpers/common

setup() {
	corral_setup
	mkdir -p "$ROOT/etc/corral"
}

teardown() {
	corral_teardown
}

conf() {
	printf '%s\n' "$@" >"$ROOT/etc/corral/corrald.conf"
}

selinux_enabled() {
	[ -e /sys/fs/selinux/enforce ]
}

# An APP container whose init ignores the signal a shutdown sends it.
deaf_xml() {
	cat >"$TMP/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='MiB'>64</memory>
	  <metadata>
	    <corral:container xmlns:corral='http://corral.dev/xmlns/domain/1.0'>
	      <corral:signals shutdown='TERM'/>
	    </corral:container>
	  </metadata>
	  <os><type>exe</type><init>/bin/sh</init>
	    <initarg>-c</initarg><initarg>trap '' TERM; while :; do sleep 1; done</initarg>
	  </os>
	  <devices><console type='pty'/></devices>
	</domain>
	XML
}

@test "interval sets the statistics period that live stats follow" {
	conf 'interval = 0.2'
	app_xml calm 'sleep 1000'
	"$CORRAL" create "$TMP/calm.xml"
	# One block per sample: at the default 1 s there would be two at most.
	run timeout 1.5 "$CORRAL" stats calm
	[ "$(grep -c '^NAME ' <<<"$output")" -ge 4 ]
}

@test "log_size caps each console log file; the overflow rotates to NAME.log.1" {
	conf 'log_size = 4096'
	# About 24 KB of output: the default cap (1 MiB) would keep it all.
	app_xml chatty 'i=0; while [ $i -lt 400 ]; do echo "line-$i-................................................"; i=$((i+1)); done'
	run "$CORRAL" create "$TMP/chatty.xml" --wait
	[ "$status" -eq 0 ]
	log="$ROOT/var/log/corral/chatty.log"
	[ -s "$log" ] && [ -s "$log.1" ]
	[ "$(stat -c %s "$log")" -le 4096 ]
	[ "$(stat -c %s "$log.1")" -le 4096 ]
	grep -q 'line-399-' "$log"
}

@test "selinux = off: containers run without a label" {
	conf 'selinux = off'
	app_xml calm 'sleep 1000'
	"$CORRAL" define "$TMP/calm.xml"
	run "$CORRAL" start calm
	[ "$status" -eq 0 ]
	run "$CORRAL" dominfo calm
	[[ "$output" == *"Security model: none"* ]]
	# Where the host has SELinux, only the monitor's setting keeps it off.
	pgrep -af "corral-monitor --root $ROOT " | grep -q -- '--selinux off'
}

@test "selinux = on: a start fails closed where SELinux is not enabled" {
	selinux_enabled && skip "SELinux is enabled here: on labels as auto does"
	conf 'selinux = on'
	app_xml calm 'sleep 1000'
	"$CORRAL" define "$TMP/calm.xml"
	run "$CORRAL" start calm
	[ "$status" -eq 1 ]
	[[ "$output" == *"selinux = on"*"SELinux is not enabled on this host"* ]]
	[ "$(state_of calm)" = "shut off" ]
}

@test "shutdown_timeout: a shutdown the init ignores turns to destroy after it" {
	conf 'shutdown_timeout = 1'
	deaf_xml deaf
	"$CORRAL" define "$TMP/deaf.xml"
	"$CORRAL" start deaf
	start=$SECONDS
	run "$CORRAL" shutdown deaf
	[ "$status" -eq 0 ]
	[[ "$output" == *"did not shut down within 1.0 s: destroyed"* ]]
	[ $((SECONDS - start)) -le 6 ]
	[ "$(state_of deaf)" = "shut off" ]
	# --timeout still wins over the file.
	"$CORRAL" start deaf
	run "$CORRAL" shutdown deaf --timeout 0.2 --no-force
	[ "$status" -eq 1 ]
	[[ "$output" == *"within 0.2 s"* ]]
}

shut_off() { # NAME
	[ "$(state_of "$1")" = "shut off" ]
}

@test "shutdown_timeout holds for a shutdown nobody waits on, as the TUI asks it" {
	conf 'shutdown_timeout = 1'
	deaf_xml deaf
	"$CORRAL" define "$TMP/deaf.xml"
	"$CORRAL" start deaf
	run /usr/bin/python3 "$BATS_TEST_DIRNAME/helpers/jsonl-client.py" send \
		"$ROOT/run/corral/corral.sock" '{"id":1,"op":"shutdown","name":"deaf"}'
	[[ "$output" == *'"ok": true'* || "$output" == *'"ok":true'* ]]
	[ "$(state_of deaf)" = "running" ]
	wait_for 6 shut_off deaf
	"$CORRAL" dominfo deaf --json | grep -q '"reason": *"destroyed"'
	# No deadline without force: the container is left running.
	"$CORRAL" start deaf
	/usr/bin/python3 "$BATS_TEST_DIRNAME/helpers/jsonl-client.py" send "$ROOT/run/corral/corral.sock" \
		'{"id":1,"op":"shutdown","name":"deaf","timeout":0.2,"force":false}' >/dev/null
	# What must not happen has no event to wait for: give it the time.
	sleep 1.5
	[ "$(state_of deaf)" = "running" ]
}

@test "a bad line in corrald.conf stops the engine, naming the file and the line" {
	conf 'interval = 1' '' 'log_size = lots'
	run "$CORRAL" list
	[ "$status" -eq 1 ]
	[[ "$output" == *"$ROOT/etc/corral/corrald.conf:3: log_size 'lots'"* ]]
	conf '# fine' 'shutdown_timout = 5'
	run "$CORRAL" list
	[ "$status" -eq 1 ]
	[[ "$output" == *"corrald.conf:2: unknown key 'shutdown_timout'"* ]]
	[ -z "$(engine_pid)" ] || ! kill -0 "$(engine_pid)" 2>/dev/null
}
