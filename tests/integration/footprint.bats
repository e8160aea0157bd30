#!/usr/bin/env bats
# What corral-monitor, one per running container, carries: linked
# statically (unless built with the sanitizers), and with no XML parser and
# what that drags in (ICU's data, the C++ runtime), megabytes of mapped
# libraries per container. It reads the engine's JSON instead.

setup() {
	MONITOR="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}/corral-monitor"
}

needed() {
	readelf -d "$MONITOR" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

sanitized() {
	nm "$MONITOR" | grep -q ' __asan_init$'
}

@test "corral-monitor is linked statically, position independent" {
	sanitized && skip "a sanitizer build links the monitor dynamically"
	run needed
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# static-pie: still loaded at a random address.
	readelf -h "$MONITOR" | grep -q 'Type:.*DYN'
}

@test "corral-monitor needs no libxml2, ICU or libstdc++" {
	[ -x "$MONITOR" ]
	run needed
	[ "$status" -eq 0 ]
	! grep -E 'libxml2|libicu|libstdc\+\+' <<<"$output"
}

@test "corral-monitor holds no XML symbol" {
	run nm "$MONITOR"
	[ "$status" -eq 0 ]
	[[ "$output" == *json_loads* ]]
	! grep -E ' (xml|html)[A-Z]' <<<"$output"
}
