#!/usr/bin/env bats
# Hostile and malformed input through every door — XML files, CLI
# arguments, control-protocol messages: each is refused with an exit status
# or error reply that names what is wrong, the engine keeps serving, and
# the definitions directory is byte-for-byte what it was.

load helpers/cli-root

setup() {
	cli_setup
	CLIENT="$BATS_TEST_DIRNAME/helpers/jsonl-client.py"
	XML="$ROOT/bad"
	mkdir -p "$XML"
	# One good definition, so that "unchanged" covers an existing file too.
	corral define "$(app_xml keep)" >/dev/null
	echo "a host file" >"$ROOT/victim"
	snapshot=$(defs_state)
}

teardown() {
	cli_teardown
}

# Every file under etc/corral (definitions, autostart marks, networks) with
# its mode, size and hash, and the victim outside.
defs_state() {
	(cd "$ROOT/etc/corral" && find . -printf '%p %y %m %s %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort)
	sha256sum "$ROOT/victim"
}

unchanged() {
	[ "$(defs_state)" = "$snapshot" ]
}

engine_alive() {
	run python3 "$CLIENT" send "$SOCK" '{"id":99,"op":"ping"}'
	[ "$output" = '{"id":99,"ok":true}' ]
}

domain() {
	local name=$1 body=$2
	echo "<domain type='lxc'><name>$name</name><memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sh</init></os>$body<devices><console type='pty'/></devices></domain>"
}

# `corral define FILE` must fail (status 1) with a message matching $2.
define_refused() {
	run corral define "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *error:* ]]
	[[ "$output" =~ $2 ]]
	unchanged
}

@test "entity expansion (billion laughs) is refused" {
	cat >"$XML/laughs.xml" <<-'EOF2'
	<?xml version="1.0"?>
	<!DOCTYPE domain [
	 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
	 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
	 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
	 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
	 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
	 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
	]>
	<domain type='lxc'><name>laughs</name><description>&f;</description><memory>1</memory>
	<os><type>exe</type><init>/bin/sh</init></os></domain>
	EOF2
	start=$SECONDS
	define_refused "$XML/laughs.xml" 'entit|DOCTYPE|DTD'
	[ $((SECONDS - start)) -le 5 ]
	engine_alive
}

@test "external entities are never read" {
	for uri in "file://$ROOT/victim" "http://127.0.0.1:9/x"; do
		cat >"$XML/xxe.xml" <<-EOF2
		<?xml version="1.0"?>
		<!DOCTYPE domain [ <!ENTITY x SYSTEM "$uri"> ]>
		<domain type='lxc'><name>xxe</name><description>&x;</description>
		<memory>1024</memory><os><type>exe</type><init>/bin/sh</init></os></domain>
		EOF2
		define_refused "$XML/xxe.xml" 'DOCTYPE|DTD|entit'
		[[ "$output" != *"a host file"* ]]
	done
	# Through the protocol too: the engine parses what it is sent.
	xml=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$XML/xxe.xml")
	run python3 "$CLIENT" send "$SOCK" "{\"id\":1,\"op\":\"define\",\"xml\":$xml}"
	[[ "$output" == *'"error"'* ]]
	[[ "$output" != *"a host file"* ]]
	unchanged
}

@test "a huge attribute value and a huge file are refused, naming the size" {
	python3 -c "import sys; sys.stdout.write(\"<domain type='lxc'><name>\" + 'n'*200 + \"</name></domain>\")" >"$XML/longname.xml"
	define_refused "$XML/longname.xml" 'name'
	python3 -c "import sys; sys.stdout.write(\"<domain type='lxc'><name>big</name><memory unit='\" + 'K'*(2<<20) + \"'>1</memory></domain>\")" >"$XML/attr.xml"
	define_refused "$XML/attr.xml" 'limit|too large|large'
	python3 -c "import sys; sys.stdout.write(\"<domain type='lxc'><name>big</name><description>\" + 'x'*(5<<20) + \"</description></domain>\")" >"$XML/file.xml"
	define_refused "$XML/file.xml" 'larger than'
	define_refused /dev/zero 'larger than'
	engine_alive
}

@test "path traversal in names is refused everywhere" {
	for name in '../../victim' '..' '.hidden' 'a/b' "$(printf 'a\tb')"; do
		domain "$name" '' >"$XML/t.xml"
		define_refused "$XML/t.xml" 'not (a )?valid'
	done
	for verb in start undefine dominfo dumpxml destroy autostart; do
		run corral "$verb" '../../victim'
		[ "$status" -eq 1 ]
		[[ "$output" == *"'../../victim'"* ]]
	done
	run python3 "$CLIENT" send "$SOCK" \
		'{"id":1,"op":"undefine","name":"../../victim"}' \
		'{"id":2,"op":"start","name":"../../../etc/passwd"}' \
		'{"id":3,"op":"define","xml":"<domain type=\"lxc\"><name>../x</name></domain>"}'
	echo "$output"
	[ "$(grep -c '"error"' <<<"$output")" -eq 3 ]
	unchanged
}

@test "filesystem sources and targets that climb out are refused" {
	domain src "" | sed "s|<devices>|<devices><filesystem type='mount'><source dir='../../../etc'/><target dir='/'/></filesystem>|" >"$XML/src.xml"
	define_refused "$XML/src.xml" 'relative path'
	domain tgt "" | sed "s|<devices>|<devices><filesystem type='mount'><source dir='/srv'/><target dir='../../etc'/></filesystem>|" >"$XML/tgt.xml"
	define_refused "$XML/tgt.xml" "target|relative|absolute"
}

@test "malformed XML, unknown elements and bad numbers name the line and field" {
	printf '<domain type="lxc"><name>x</name>' >"$XML/trunc.xml"
	define_refused "$XML/trunc.xml" 'trunc.xml:[0-9]+'
	domain num '<vcpu>-1</vcpu>' >"$XML/num.xml"
	define_refused "$XML/num.xml" 'vcpu'
	domain mem '' | sed "s|<memory unit='MiB'>64</memory>|<memory unit='MiB'>99999999999999999999999</memory>|" >"$XML/mem.xml"
	define_refused "$XML/mem.xml" 'memory'
	printf '\xff\xfe<\x00d\x00' >"$XML/binary.xml"
	define_refused "$XML/binary.xml" 'binary.xml'
	: >"$XML/empty.xml"
	define_refused "$XML/empty.xml" 'empty.xml'
}

@test "bad CLI arguments: status 1 and a message naming the argument" {
	run corral define
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing argument"* ]]
	run corral start a b c
	[ "$status" -eq 1 ]
	[[ "$output" == *"too many arguments"* ]]
	run corral frobnicate
	[ "$status" -eq 1 ]
	[[ "$output" == *"'frobnicate'"* ]]
	run corral list --bogus
	[ "$status" -eq 1 ]
	[[ "$output" == *"'--bogus'"* ]]
	run corral shutdown keep --timeout 99999999999999999999
	[ "$status" -eq 1 ]
	[[ "$output" == *"--timeout"* ]]
	run corral define "$ROOT"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Is a directory"* ]]
	run corral define /nonexistent/x.xml
	[ "$status" -eq 1 ]
	[[ "$output" == *"'/nonexistent/x.xml'"* ]]
	run corral "$(head -c 5000 /dev/zero | tr '\0' a)"
	[ "$status" -eq 1 ]
	unchanged
}

@test "hostile protocol messages get error replies; the engine keeps serving" {
	deep=$(python3 -c 'print("[" * 40000 + "]" * 40000)')
	run python3 "$CLIENT" send "$SOCK" \
		'{"id":1,"op":"define","xml":42}' \
		'{"id":2,"op":"define","xml":"<domain"}' \
		'{"id":3,"op":"start","name":{"a":1}}' \
		'{"id":4,"op":"define","xml":"<domain type=\"lxc\"><name>nul\u0000x</name></domain>"}' \
		'{"id":5,"op":"undefine","name":""}' \
		'{"id":18446744073709551616,"op":"ping"}' \
		'{"id":7,"op":"list","all":"yes"}' \
		"$deep" \
		'{"id":9,"op":"ping"}'
	echo "$output"
	[ "$(grep -c '"error"' <<<"$output")" -ge 7 ]
	[[ "$output" == *'{"id":9,"ok":true}'* ]]
	[[ "$output" == *'"id":1,"error"'*xml* ]]
	[[ "$output" == *'"id":3,"error"'*name* ]]
	# Bytes that are not UTF-8, and a NUL inside the line.
	run python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
s.sendall(b"{\"id\":1,\"op\":\"\xff\xfe\"}\n{\"id\":2,\"op\"\x00:\"ping\"}\n{\"id\":3,\"op\":\"ping\"}\n")
buf = b""
while buf.count(b"\n") < 3:
    c = s.recv(65536)
    if not c: break
    buf += c
print(buf.decode(errors="replace"))' "$SOCK"
	echo "$output"
	[[ "$output" == *'{"id":3,"ok":true}'* ]]
	[ "$(grep -c '"error"' <<<"$output")" -eq 2 ]
	engine_alive
	unchanged
}

@test "the read-only socket changes nothing, whatever it is asked" {
	ro="$ROOT/run/corral/corral-ro.sock"
	xml=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$(app_xml other)")
	rm -f "$ROOT/other.xml"
	snapshot=$(defs_state)
	run python3 "$CLIENT" send "$ro" \
		"{\"id\":1,\"op\":\"define\",\"xml\":$xml}" \
		'{"id":2,"op":"undefine","name":"keep"}' \
		'{"id":3,"op":"autostart","name":"keep","enable":true}' \
		'{"id":4,"op":"start","name":"keep"}'
	echo "$output"
	[ "$(grep -c '"error"' <<<"$output")" -eq 4 ]
	unchanged
	[ "$(state_of keep)" = "shut off" ]
}
