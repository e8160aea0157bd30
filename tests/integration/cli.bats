#!/usr/bin/env bats
# The virsh-like CLI against a private engine: wording, exit codes, JSON,
# lifecycle verbs, edit and autostart.

bats_require_minimum_version 1.5.0
load helpers/cli-root

setup() {
	cli_setup
}

teardown() {
	cli_teardown
}

@test "define, list, dominfo, dumpxml and undefine speak virsh" {
	xml=$(app_xml web '' 11111111-2222-3333-4444-555555555555 524288)
	run corral define "$xml"
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' defined from $xml" ]

	run corral list
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = " Id   Name   State" ]
	[[ "${lines[1]}" =~ ^-+$ ]]
	[ "${#lines[@]}" -eq 2 ]

	run corral list --all
	[[ "${lines[2]}" =~ ^\ -\ +web\ +shut\ off$ ]]

	run corral list --all --name
	[ "$output" = web ]

	run corral dominfo web
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Id:             -" ]
	[ "${lines[1]}" = "Name:           web" ]
	[ "${lines[2]}" = "UUID:           11111111-2222-3333-4444-555555555555" ]
	[ "${lines[3]}" = "OS Type:        exe" ]
	[ "${lines[4]}" = "State:          shut off" ]
	[ "${lines[7]}" = "Max memory:     524288 KiB" ]
	[ "${lines[9]}" = "Persistent:     yes" ]
	[ "${lines[10]}" = "Autostart:      disable" ]
	[[ "$output" == *"Security model: "* ]]

	run corral dominfo web --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["name"] == "web" and d["id"] is None and d["state"] == "shut off"
assert d["max_memory_kib"] == 524288 and d["persistent"] is True and d["autostart"] is False
assert "os_type" in d and "security_model" in d and "cpus" in d' "$output"

	run corral dumpxml web
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "<domain type='lxc'>" ]]
	[[ "$output" == *"<name>web</name>"* ]]
	[[ "$output" == *"<uuid>11111111-2222-3333-4444-555555555555</uuid>"* ]]

	run corral undefine web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' has been undefined" ]
	run corral list --all --name
	[ -z "$output" ]
}

@test "define of a taken name with another UUID is refused, naming the UUID" {
	corral define "$(app_xml web '' 11111111-2222-3333-4444-555555555555)"
	app_xml web '' 99999999-2222-3333-4444-555555555555 >/dev/null
	run corral define "$ROOT/web.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "* ]]
	[[ "$output" == *11111111-2222-3333-4444-555555555555* ]]
	# The same name and UUID is an update.
	app_xml web '' 11111111-2222-3333-4444-555555555555 131072 >/dev/null
	run corral define "$ROOT/web.xml"
	[ "$status" -eq 0 ]
	run corral dominfo web
	[[ "$output" == *"Max memory:     131072 KiB"* ]]
}

@test "errors go to stderr as 'error: ' with exit status 1" {
	run corral dominfo nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*nosuch* ]]
	run --separate-stderr corral start nosuch
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "error: "* ]]
	run corral frobnicate
	[ "$status" -eq 1 ]
	[[ "$output" == "error: unknown verb 'frobnicate'"* ]]
	run corral list --bogus
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*--bogus* ]]
	run corral define "$ROOT/missing.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*missing.xml* ]]
	run corral start
	[ "$status" -eq 1 ]
	[[ "$output" == "error: start: missing argument"* ]]
}

@test "help and --help read the command table" {
	run corral help start
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: corral start NAME [--console] [--wait]" ]]
	[[ "$output" == *"--wait"*"exit status"* ]]
	run corral shutdown --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--timeout S"* && "$output" == *"--no-force"* ]]
	run corral help
	for verb in define undefine start create shutdown reboot destroy autostart console edit \
		dominfo dumpxml list validate uri version; do
		[[ "$output" == *"  $verb "* ]]
	done
}

@test "corral loads libc and jansson only; the heavy libraries are corral-tui's" {
	needed=$(readelf -d "$BIN/corral" | grep NEEDED)
	[[ "$needed" == *libjansson* ]]
	for lib in libncurses libtinfo libvterm libxml2 libicu libstdc++ libcrypt; do
		[[ "$needed" != *"$lib"* ]] || { echo "corral needs $lib"; return 1; }
	done
	needed=$(readelf -d "$BIN/corral-tui" | grep NEEDED)
	[[ "$needed" == *libncursesw* && "$needed" == *libxml2* ]]
}

@test "corral hands the TUI verbs to corral-tui, and says so when it is missing" {
	run corral validate "$(app_xml web)"
	[ "$status" -eq 0 ]
	[[ "$output" == *": valid (web)" ]]
	run corral help --man verbs
	[[ "$output" == *".B corral validate"* ]]
	mkdir "$ROOT/alone"
	cp "$BIN/corral" "$ROOT/alone/"
	run "$ROOT/alone/corral" validate "$(app_xml web)"
	[ "$status" -eq 1 ]
	[[ "$output" == "error: corral-tui is not installed"* ]]
	run "$ROOT/alone/corral" list --help
	[ "$status" -eq 0 ]
}

@test "uri: lxc:/// by default, else -c or CORRAL_DEFAULT_URI" {
	run corral uri
	[ "$output" = "lxc:///" ]
	run corral -c "unix:$SOCK" uri
	[ "$output" = "unix:$SOCK" ]
	run env CORRAL_DEFAULT_URI="unix:/nowhere.sock" "$BIN/corral" --root "$ROOT" uri
	[ "$output" = "unix:/nowhere.sock" ]
	# A unix: URI is never started on demand.
	run env CORRAL_DEFAULT_URI="unix:/nowhere.sock" "$BIN/corral" --root "$ROOT" list
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*"/nowhere.sock"* ]]
	# lxc:/// is this root's engine, started on demand.
	run corral -c lxc:/// list --all
	[ "$status" -eq 0 ]
	[ -S "$SOCK" ]
}

@test "start shows the domain running with an Id; destroy stops it" {
	corral define "$(app_xml web)"
	run corral start web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' started" ]
	run corral list
	[[ "${lines[2]}" =~ ^\ ([0-9]+)\ +web\ +running$ ]]
	id=${BASH_REMATCH[1]}
	run corral dominfo web
	[ "${lines[0]}" = "Id:             $id" ]
	[ "${lines[4]}" = "State:          running" ]
	run corral list --json
	python3 -c '
import json, sys
[d] = json.loads(sys.argv[1])
assert d["name"] == "web" and d["id"] == int(sys.argv[2]) and d["state"] == "running"
assert set(d) >= {"name", "id", "state", "reason", "persistent", "autostart"}' "$output" "$id"

	run corral destroy web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' destroyed" ]
	[ "$(state_of web)" = "shut off" ]
	run corral list --json
	[ "$output" = "[]" ]
}

@test "start --wait returns the init's exit status" {
	corral define "$(app_xml three 'exit 3')"
	run corral start three --wait
	[ "$status" -eq 3 ]
	[ "$(state_of three)" = "shut off" ]
	corral define "$(app_xml zero 'true')"
	run corral start zero --wait
	[ "$status" -eq 0 ]
}

@test "create is transient: gone from list --all once it stops" {
	xml=$(app_xml once 'sleep 30')
	run corral create "$xml"
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'once' created from $xml" ]
	[ "$(state_of once)" = running ]
	run corral dominfo once
	[[ "$output" == *"Persistent:     no"* ]]
	corral destroy once
	[ -z "$(state_of once)" ]

	run corral create --wait "$(app_xml brief 'exit 7')"
	[ "$status" -eq 7 ]
	[ -z "$(state_of brief)" ]
}

@test "shutdown of a shell init says it has no signal" {
	corral define "$(app_xml web)"
	corral start web
	run corral shutdown web
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*shell*"no shutdown signal"* ]]
	[ "$(state_of web)" = running ]
	run corral reboot web
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*"no reboot signal"* ]]
}

# An init the engine takes for sysvinit (shutdown signal SIGPWR); $2 is its
# script body.
sysv_init_xml() {
	mkdir -p "$ROOT/$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$ROOT/$1/init"
	chmod +x "$ROOT/$1/init"
	cat >"$ROOT/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='KiB'>65536</memory>
	  <os><type>exe</type><init>$ROOT/$1/init</init></os>
	  <devices><console type='pty'/></devices>
	</domain>
	XML
	echo "$ROOT/$1.xml"
}

@test "shutdown waits for a graceful stop" {
	corral create "$(sysv_init_xml gentle 'trap "exit 0" PWR; while :; do sleep 0.1; done')"
	run corral shutdown gentle
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'gentle' is being shutdown" ]
	[ -z "$(state_of gentle)" ]
}

@test "shutdown --timeout destroys an init that ignores the signal, unless --no-force" {
	xml=$(sysv_init_xml stubborn 'exec sleep 3600')
	corral create "$xml"
	run corral shutdown stubborn --timeout 0.5 --no-force
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "Domain 'stubborn' is being shutdown" ]
	[[ "${lines[1]}" == "error: "*"did not shut down"* ]]
	[ "$(state_of stubborn)" = running ]

	run corral shutdown stubborn --timeout 1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Domain 'stubborn' is being shutdown" ]
	[[ "${lines[1]}" == *"did not shut down within 1.0 s: destroyed" ]]
	[ -z "$(state_of stubborn)" ]
}

@test "edit changes the definition through \$EDITOR" {
	corral define "$(app_xml web '' '' 524288)"
	printf '#!/bin/sh\nsed -i "s/524288/262144/g" "$1"\n' >"$ROOT/ed-mem"
	chmod +x "$ROOT/ed-mem"
	run env EDITOR="$ROOT/ed-mem" "${CORRAL[@]}" edit web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' XML configuration edited." ]
	run corral dominfo web
	[[ "$output" == *"Max memory:     262144 KiB"* ]]

	# No change, and $VISUAL when $EDITOR is unset.
	run env -u EDITOR VISUAL=true "${CORRAL[@]}" edit web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' XML configuration not changed." ]
	[ -z "$(ls /tmp/corral-web-* 2>/dev/null)" ]
}

@test "edit that breaks the XML shows the error and leaves the definition" {
	corral define "$(app_xml web '' '' 524288)"
	before=$(corral dumpxml web --inactive)
	printf '#!/bin/sh\nsed -i "s/unit=.KiB.>524288/unit=\\"parsecs\\">1/" "$1"\n' >"$ROOT/ed-bad"
	chmod +x "$ROOT/ed-bad"
	run env EDITOR="$ROOT/ed-bad" "${CORRAL[@]}" edit web </dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"error: invalid definition"* ]]
	[[ "$output" == *parsecs* ]]
	[[ "$output" == *"unchanged"* ]]
	[ "$(corral dumpxml web --inactive)" = "$before" ]

	run env EDITOR=false "${CORRAL[@]}" edit web
	[ "$status" -eq 1 ]
	[[ "$output" == "error: editor 'false' failed"* ]]
}

@test "autostart marks a domain, and a fresh engine starts it" {
	corral define "$(app_xml web)"
	run corral autostart web
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'web' marked as autostarted" ]
	[ -L "$ROOT/etc/corral/autostart/web.xml" ]
	run corral dominfo web
	[[ "$output" == *"Autostart:      enable"* ]]
	[ "$(state_of web)" = "shut off" ]

	stop_engine
	# Any verb starts an engine, which starts the autostart domains.
	wait_for '[ "$(state_of web)" = running ]'
	[ -n "$(engine_pid)" ]

	run corral autostart web --disable
	[ "$output" = "Domain 'web' unmarked as autostarted" ]
	[ ! -e "$ROOT/etc/corral/autostart/web.xml" ]
}

@test "version names both corral and the engine" {
	run corral version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "corral "* ]]
	[ "${lines[1]}" = "corrald: not running" ]
	corral list >/dev/null
	run corral version
	[[ "${lines[1]}" == "corrald "*"(protocol "* ]]
}
