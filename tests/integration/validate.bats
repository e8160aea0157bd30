#!/usr/bin/env bats
# corral validate: checks definitions with no engine running.

setup() {
	CORRAL="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}/corral"
	TMP=$(mktemp -d /tmp/corral-validate.XXXXXX)
	# No engine may be needed: point at a root where none could answer.
	export CORRAL_ROOT="$TMP/root"
}

teardown() {
	rm -rf -- "$TMP"
}

@test "the shipped examples are valid" {
	run "$CORRAL" validate "$BATS_TEST_DIRNAME"/../../config/examples/*.xml
	[ "$status" -eq 0 ]
	[ "$(grep -c ': valid' <<<"$output")" -eq 3 ]
	[ ! -e "$TMP/root" ]
}

@test "an error names the file, the line and the field" {
	cat >"$TMP/bad.xml" <<-'XML'
	<domain type='lxc'>
	  <name>web</name>
	  <memory unit='parsecs'>1024</memory>
	  <os><type>exe</type><init>/bin/sh</init></os>
	</domain>
	XML
	run "$CORRAL" validate "$TMP/bad.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TMP/bad.xml:3:"* ]]
	[[ "$output" == *"parsecs"* ]]
	[[ "$output" == *memory* ]]
}

@test "a misspelt element is an error that suggests the right name" {
	cat >"$TMP/typo.xml" <<-'XML'
	<domain type='lxc'>
	  <name>web</name>
	  <memory unit='MiB'>64</memory>
	  <memtune>
	    <swap_hardlimit unit='MiB'>128</swap_hardlimit>
	  </memtune>
	  <os><type>exe</type><init>/bin/sh</init></os>
	</domain>
	XML
	run "$CORRAL" validate "$TMP/typo.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"typo.xml:5:"*swap_hardlimit*swap_hard_limit* ]]
}

@test "the seed's OS uuid gets a corrected suggestion, never applied" {
	sed -e 's/be8f8cc0-1897-5ff9-445b-016323ee81d7/1fbbabc1-1775-3429-950f-70c4beelaa7d/' \
		"$BATS_TEST_DIRNAME/../../config/examples/app-container.xml" >"$TMP/seed.xml"
	run "$CORRAL" validate "$TMP/seed.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"1fbbabc1-1775-3429-950f-70c4bee1aa7d"* ]]
}

@test "a placeholder in a path says what to put there" {
	cat >"$TMP/ph.xml" <<-'XML'
	<domain type='lxc'>
	  <name>os</name>
	  <memory unit='MiB'>64</memory>
	  <os><type>exe</type><init>/sbin/init</init></os>
	  <devices>
	    <filesystem type='mount'><source dir='<target_path>'/><target dir='/'/></filesystem>
	  </devices>
	</domain>
	XML
	run "$CORRAL" validate "$TMP/ph.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ph.xml:6:"*placeholder* ]]
}

@test "not well-formed XML reports libxml2's message with the line" {
	printf "<domain type='lxc'>\n<name>x</name>\n<os>\n</domain>\n" >"$TMP/broken.xml"
	run "$CORRAL" validate "$TMP/broken.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"broken.xml:4:"* ]]
}

@test "--dump prints XML that validates again to the same XML" {
	run "$CORRAL" validate --dump "$BATS_TEST_DIRNAME/../../config/examples/os-container-init.xml"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/dump.xml"
	run "$CORRAL" validate --dump "$TMP/dump.xml"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$TMP/dump.xml")" ]
	[[ "$output" == *"<uuid>"* ]]
}

@test "one bad file among good ones fails the run and still checks all" {
	printf "<domain type='lxc'><name>.hidden</name><os><type>exe</type><init>/bin/sh</init></os></domain>\n" >"$TMP/dot.xml"
	run "$CORRAL" validate "$BATS_TEST_DIRNAME/../../config/examples/app-container.xml" "$TMP/dot.xml" \
		"$BATS_TEST_DIRNAME/../../config/examples/os-container-sh.xml"
	[ "$status" -eq 1 ]
	[ "$(grep -c ': valid' <<<"$output")" -eq 2 ]
	[[ "$output" == *"dot.xml:1:"* ]]
}

@test "a missing file is an error, not a crash" {
	run "$CORRAL" validate "$TMP/nope.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"nope.xml"* ]]
}
