#!/usr/bin/env bats
# What corral-monitor, one per running container, loads: no XML parser and
# what it drags in (ICU's data, the C++ runtime), megabytes of mapped
# libraries per container. It reads the engine's JSON instead.

setup() {
	MONITOR="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}/corral-monitor"
}

needed() {
	readelf -d "$MONITOR" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

@test "corral-monitor needs no libxml2, ICU or libstdc++" {
	[ -x "$MONITOR" ]
	run needed
	[ "$status" -eq 0 ]
	[[ "$output" == *libjansson* ]]
	! grep -E 'libxml2|libicu|libstdc\+\+' <<<"$output"
	# Nor through another library.
	run ldd "$MONITOR"
	[ "$status" -eq 0 ]
	! grep -E 'libxml2|libicu|libstdc\+\+' <<<"$output"
}

@test "corral-monitor holds no XML symbol of its own" {
	run nm -D --undefined-only "$MONITOR"
	[ "$status" -eq 0 ]
	! grep -E ' (xml|html)[A-Z]' <<<"$output"
}
