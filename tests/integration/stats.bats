#!/usr/bin/env bats
# corral stats, suspend and resume, and the engine's watch stream, on live
# containers of a private engine.

load helpers/cgstats

setup() {
	setup_engine
}

teardown() {
	teardown_engine
}

has_rate() {
	sample "$1" | jq -e '.cpu.percent != null'
}

size_of() {
	stat -c %s "$1"
}

grew_past() {
	[ "$(size_of "$1")" -gt "$2" ]
}

@test "100 MiB written to a ram filesystem shows as used memory in stats --once --json" {
	write_domain fill 512 "head -c 100M /dev/zero >/mnt/ram/x && touch $ROOT/filled; exec sleep 1000" '' \
		"<filesystem type='ram' accessmode='passthrough'><source usage='200' units='MiB'/><target dir='/mnt/ram'/></filesystem>"
	create fill
	wait_for 20 test -e "$ROOT/filled"
	# Charged when written: a sample taken from now on holds it.
	wait_for 3 sh -c "'$BIN/corral' --root '$ROOT' stats --once --json fill | jq -e '.memory.used >= 104857600'"
	run corral stats --once --json fill
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	echo "# memory: $(jq -c .memory <<<"$output")" >&3
	[ "$(jq .memory.used <<<"$output")" -ge $((100 << 20)) ]
	[ "$(jq .memory.limit <<<"$output")" -eq $((512 << 20)) ]
	[ "$(jq -r .name <<<"$output")" = fill ]
	[ "$(jq '.net' <<<"$output")" = null ]
	# dominfo takes used memory and CPU time from the same samples.
	run req dominfo name=fill
	[ "$(jq .domain.used_memory_kib <<<"$output")" -ge $((100 << 10)) ]
	[ "$(jq .domain.cpu_time <<<"$output")" -gt 0 ]
}

@test "suspend stops a counting loop and resume continues it" {
	write_domain count 64 "while :; do echo x >>$ROOT/count; sleep 0.05; done"
	create count
	wait_for 5 grew_past "$ROOT/count" 0
	run corral suspend count
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'count' suspended" ]
	[ "$(req list | jq -r '.domains[0].state')" = paused ]
	[ "$(req dominfo name=count | jq -r .domain.state)" = paused ]
	local before after
	before=$(size_of "$ROOT/count")
	sleep 2
	after=$(size_of "$ROOT/count")
	[ "$before" -eq "$after" ]
	# Frozen tasks use no CPU: the samples taken meanwhile say 0 %.
	[ "$(sample count | jq '.cpu.percent == 0')" = true ]
	run corral resume count
	[ "$status" -eq 0 ]
	[ "$output" = "Domain 'count' resumed" ]
	[ "$(req list | jq -r '.domains[0].state')" = running ]
	wait_for 5 grew_past "$ROOT/count" "$after"
	run corral suspend nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"domain 'nosuch' not found"* ]]
}

@test "watch: history first, then stats each interval, and domain list changes" {
	write_domain one 64 'exec sleep 1000'
	write_domain two 64 'exec sleep 1000'
	create one
	# A rate needs two samples: from then on there is history to send.
	wait_for 5 has_rate one
	"$PY" "$REQ" watch "$SOCK" 4 >"$ROOT/watch.out" &
	local watcher=$!
	wait_for 3 grep -q '"event":"stats"' "$ROOT/watch.out"
	create two
	req suspend name=one
	wait_for 5 grep -q '"state":"paused"' "$ROOT/watch.out"
	wait "$watcher"
	run cat "$ROOT/watch.out"
	[ "$(jq -r '.ok' <<<"${lines[0]}")" = true ]
	[ "$(jq -r '.event + " " + .name' <<<"${lines[1]}")" = "history one" ]
	[ "$(jq '.samples | length' <<<"${lines[1]}")" -ge 2 ]
	[ "$(jq -r '.samples[-1].memory | has("rss")' <<<"${lines[1]}")" = true ]
	# A domains event for the start of two and for the pause of one.
	grep '"event":"domains"' "$ROOT/watch.out" |
		jq -e 'select(.domains | map(.name) == ["one", "two"])' >/dev/null
	grep '"event":"domains"' "$ROOT/watch.out" |
		jq -e 'select(.domains[0].state == "paused")' >/dev/null
	# two joined the stats events once it ran.
	grep '"event":"stats"' "$ROOT/watch.out" | tail -n 1 |
		jq -e '.samples | map(.name) == ["one", "two"]' >/dev/null
}

@test "stats --once prints a table of every running container; unknown names fail" {
	write_domain web 64 'exec sleep 1000'
	create web
	wait_for 3 sh -c "'$BIN/corral' --root '$ROOT' stats --once | grep -q '^web '"
	run corral stats --once
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "NAME "*"CPU %"*"MEM USAGE / LIMIT"*"MEM %"*"PIDS"*"BLOCK I/O"*"NET I/O" ]]
	[[ "${lines[1]}" == "web "*" / 64MiB "* ]]
	run corral stats --once nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"domain 'nosuch' not found"* ]]
	# Live: one block per interval when stdout is not a terminal.
	run timeout 2.5 "$BIN/corral" --root "$ROOT" stats web
	[ "$(grep -c '^NAME ' <<<"$output")" -ge 2 ]
}
