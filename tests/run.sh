#!/bin/sh
# Runs every suite (Criterion unit binaries, bats files, then each fuzz
# target for $FUZZ_SECONDS when $FUZZ_SPECS names them) and ends with one
# line "N passed, N failed" counted over all of them.
set -u
BUILD=${BUILD:-build}
export BUILD
export CORRAL_BIN="$(pwd)/$BUILD"
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$BUILD"/tests/unit/test-*; do
	[ -x "$t" ] || continue
	"$t" --jobs=1 >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep 'Synthesis:' "$log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	if [ -z "$p" ]; then
		echo "run: $t gave no synthesis (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + p))
	failed=$((failed + ${f:-0} + ${c:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${c:-0}" -eq 0 ]; then
		failed=$((failed + 1))
	fi
done

for dir in tests/integration tests/tui; do
	set -- "$dir"/*.bats
	[ -e "$1" ] || continue
	bats --tap "$@" >"$log" 2>&1
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	s=$(grep -c '^ok .* # skip' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if ! grep -q '^1\.\.' "$log"; then
		echo "run: bats in $dir did not run"
		failed=$((failed + 1))
	fi
done

if [ -n "${FUZZ_SPECS:-}" ]; then
	# shellcheck disable=SC2086
	sh tests/fuzz/run.sh $FUZZ_SPECS >"$log" 2>&1
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $((p + f)) -eq 0 ]; then
		echo "run: no fuzz target ran"
		failed=$((failed + 1))
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
