#!/bin/sh
# Runs each libFuzzer target named by a NAME:SEED:SEED… argument for
# $FUZZ_SECONDS, nice'd, from tests/fuzz/corpus-NAME and the seeds, and
# prints one TAP line per target with its runs and exec/s; exits 1 when any
# target crashed (its input is left in build-fuzz/crash-NAME-*).
set -u
seconds=${FUZZ_SECONDS:-60}
n=0
failed=0
for spec in "$@"; do
	n=$((n + 1))
	name=${spec%%:*}
	seeds=$(echo "${spec#"$name"}" | tr ':' ' ')
	bin=build-fuzz/fuzz-$name
	work=build-fuzz/work-$name
	log=build-fuzz/fuzz-$name.log
	corpus=tests/fuzz/corpus-$name
	mkdir -p "$work"
	# A target whose corpus is not in the tree yet starts from its seeds.
	[ -d "$corpus" ] || corpus=
	# shellcheck disable=SC2086
	nice -n 10 "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="build-fuzz/crash-$name-" \
		"$work" $corpus $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n fuzz-$name: ${seconds} s, ${runs:-0} runs, ${rate:-0} exec/s"
	else
		echo "not ok $n fuzz-$name: exit $rc after ${runs:-?} runs; see $log"
		grep -m 5 -E 'ERROR|SUMMARY|artifact' "$log" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
