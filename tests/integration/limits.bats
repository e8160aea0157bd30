#!/usr/bin/env bats
# Limits of issue 4 on this host's cgroups, seen through corral's statistics:
# memory (OOM inside), CPU quota and cpuset, pids, the devices allow-list.

load helpers/cgstats

setup() {
	setup_engine
}

has_rate() {
	sample "$1" | jq -e '.cpu.percent != null'
}

oom_seen() {
	sample "$1" | jq -e '.memory.oom_kills >= 1'
}

teardown() {
	teardown_engine
}

@test "an allocation over <memory> is OOM-killed inside; the engine and other containers carry on" {
	# The pipeline's tail holds 256 MiB in one line; the init survives it.
	write_domain hog 64 'head -c 256M /dev/zero | tail; echo "tail ended $?" >'"$ROOT"'/hog.out; exec sleep 1000'
	write_domain calm 64 'exec sleep 1000'
	create calm
	create hog
	wait_for 20 test -e "$ROOT/hog.out"
	grep -q 'tail ended 137' "$ROOT/hog.out"
	# The next round of samples reads the kill.
	wait_for 5 oom_seen hog
	run sample hog
	[ "$status" -eq 0 ]
	[ "$(jq .memory.oom_kills <<<"$output")" -ge 1 ]
	[ "$(jq .memory.limit <<<"$output")" -eq $((64 << 20)) ]
	[ "$(jq .memory.max_used <<<"$output")" -le $((64 << 20)) ]
	run sample calm
	[ "$(jq .memory.oom_kills <<<"$output")" -eq 0 ]
	run req list
	[ "$(jq -r '[.domains[] | select(.state == "running")] | length' <<<"$output")" -eq 2 ]

	# When the init itself is what the kernel kills, on_crash (destroy by
	# default) applies: the container ends as crashed.
	write_domain oomer 64 'x=$(head -c 256M /dev/zero | tr "\0" a); exec sleep 1000'
	req define "xml=@$ROOT/oomer.xml"
	req start name=oomer
	run timeout 30 "$PY" "$REQ" "$SOCK" wait name=oomer
	[ "$status" -eq 0 ]
	[ "$(jq -r .state <<<"$output")" = "shut off" ]
	[ "$(jq -r .reason <<<"$output")" = "crashed" ]
	run req list all=true
	[ "$(jq -r '.domains[] | select(.name == "oomer") | .state' <<<"$output")" = "shut off" ]
	[ "$(jq -r '.domains[] | select(.name == "calm") | .state' <<<"$output")" = "running" ]
	req ping
}

@test "<vcpu>1 with a 0.5-CPU quota: a busy loop uses 0.5 CPU, pinned to the cpuset" {
	local cpu=$(($(nproc) - 1))
	write_domain spin 64 'while :; do :; done' \
		"<vcpu placement='static' cpuset='$cpu'>1</vcpu>
		 <cputune><period>100000</period><quota>50000</quota></cputune>"
	create spin
	[ "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$PID/status")" = "$cpu" ]
	# Past the first interval, so that the loop runs at its steady rate.
	wait_for 5 has_rate spin
	run sample spin
	local u0 t0 u1 t1
	u0=$(jq .cpu.usage_ns <<<"$output")
	t0=$(jq .time <<<"$output")
	sleep 3
	run sample spin
	u1=$(jq .cpu.usage_ns <<<"$output")
	t1=$(jq .time <<<"$output")
	run "$PY" -c "print(($u1 - $u0) / 1e9 / ($t1 - $t0))"
	echo "# CPU used: $output over $("$PY" -c "print($t1 - $t0)") s" >&3
	"$PY" -c "import sys; sys.exit(not 0.4 <= $output <= 0.6)"
	run sample spin
	[ "$(jq '.cpu.throttled_periods > 0' <<<"$output")" = true ]
}

@test "pids max 64: a fork bomb inside is stopped at 64 and the host is fine" {
	write_domain bomb 64 'b() { b | b & }; b; exec sleep 1000' \
		"<metadata><corral:container xmlns:corral='http://corral.dev/xmlns/domain/1.0'><corral:pids max='64'/></corral:container></metadata>"
	create bomb
	# 3 s of samples from the engine's stream, pids.current in each.
	run "$PY" "$REQ" watch "$SOCK" 3 'names=["bomb"]' history=0
	[ "$status" -eq 0 ]
	local counts
	counts=$(grep '"event":"stats"' <<<"$output" | jq '.samples[0].pids.current')
	echo "# pids.current per sample: $(echo $counts)" >&3
	[ -n "$counts" ]
	for n in $counts; do
		[ "$n" -le 64 ]
	done
	[ "$(sort -n <<<"$counts" | tail -n 1)" -ge 60 ]
	[ "$(sample bomb | jq .pids.max)" -eq 64 ]
	# The kernel refused forks, and the host still forks.
	[ "$(sed -n 's/^max //p' "$(cgdir pids bomb)/pids.events")" -gt 0 ]
	[ "$(sh -c 'echo ok')" = ok ]
	req ping
}

@test "a block device outside the allow-list cannot be opened inside (EPERM)" {
	# Made inside on a filesystem without nodev, with mknod given back (the
	# default bounding set drops it), so that only the devices cgroup stands
	# between the container and the disk.
	write_domain dev 64 "exec >$ROOT/dev.out 2>&1
		mknod $ROOT/loop0 b 7 0; echo mknod=\$?
		head -c1 $ROOT/loop0; echo open=\$?
		head -c1 /dev/null; echo null=\$?
		exec sleep 1000" "<features><capabilities policy='default'><mknod state='on'/></capabilities></features>"
	create dev
	wait_for 10 grep -q '^null=' "$ROOT/dev.out"
	cat "$ROOT/dev.out"
	grep -q '^mknod=0' "$ROOT/dev.out"
	grep -q "cannot open '$ROOT/loop0' for reading: Operation not permitted" "$ROOT/dev.out"
	grep -q '^open=1' "$ROOT/dev.out"
	grep -q '^null=0' "$ROOT/dev.out"
	# The same node opens on the host: the refusal is the container's.
	head -c1 "$ROOT/loop0" >/dev/null
}
