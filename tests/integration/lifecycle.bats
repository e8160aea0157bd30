#!/usr/bin/env bats
# Container lifecycle end to end: APP and busybox OS containers, what their
# inits do (shutdown, reboot and poweroff inside, a kill from the host), and
# an engine crash that every container and console survives.

load helpers/common

setup_file() {
	RFS=$(mktemp -d /tmp/corral-rootfs.XXXXXX)
	sh "$BATS_TEST_DIRNAME/../fixtures/mkrootfs-busybox.sh" "$RFS/rootfs" >/dev/null
	export RFS
}

teardown_file() {
	rm -rf -- "$RFS"
}

setup() {
	corral_setup
}

teardown() {
	corral_teardown
}

os_xml() {
	local name=$1 on_crash=${2:-restart}
	cat >"$TMP/$name.xml" <<-XML
	<domain type='lxc'>
	  <name>$name</name>
	  <memory unit='MiB'>128</memory>
	  <os><type>exe</type><init>/sbin/init</init></os>
	  <on_poweroff>destroy</on_poweroff>
	  <on_reboot>restart</on_reboot>
	  <on_crash>$on_crash</on_crash>
	  <devices>
	    <filesystem type='mount'><source dir='$RFS/rootfs'/><target dir='/'/></filesystem>
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
}

init_pid() {
	grep -o '"init_pid":[0-9]*' "$ROOT/run/corral/$1/state.json" 2>/dev/null | cut -d: -f2
}

# Types the lines of $2 into the console of $1 and prints what came back.
console_run() {
	printf '%s\n' "$2" | timeout 20 "$CORRAL" console "$1" --idle 1
}

init_changed() {
	local now
	now=$(init_pid "$1")
	[ -n "$now" ] && [ "$now" != "$2" ] && is_state "$1" running
}

console_ready() {
	console_run "$1" 'echo ready-$((6*7))' | grep -q 'ready-42'
}

@test "the seed's APP container: pid 1, its own hostname, processes and mounts" {
	sed '/<interface/,/<\/interface>/d' "$BATS_TEST_DIRNAME/../../config/examples/app-container.xml" >"$TMP/app.xml"
	run "$CORRAL" define "$TMP/app.xml"
	[ "$status" -eq 0 ]
	run "$CORRAL" start app-container
	[ "$status" -eq 0 ]
	is_state app-container running

	run console_run app-container 'echo pid=$$
echo host=$(hostname)
echo procs=$(ls /proc | grep -c "^[0-9]")
mount -t tmpfs corral-probe-$$ /mnt && echo inside=$(grep -c corral-probe /proc/mounts)'
	[[ "$output" == *"pid=1"* ]]
	[[ "$output" == *"host=app-container"* ]]
	procs=$(grep -o 'procs=[0-9]*' <<<"$output" | tail -n 1 | cut -d= -f2)
	[ "$procs" -le 5 ]
	[[ "$output" == *"inside=1"* ]]
	! grep -q corral-probe /proc/self/mountinfo
}

@test "a busybox OS container shuts down gracefully within 5 s" {
	os_xml bb
	"$CORRAL" define "$TMP/bb.xml"
	"$CORRAL" start bb
	wait_for 10 console_ready bb
	start=$SECONDS
	run "$CORRAL" shutdown bb --timeout 5 --no-force
	[ "$status" -eq 0 ]
	[ $((SECONDS - start)) -le 5 ]
	is_state bb "shut off"
	run "$CORRAL" list --all --json
	[[ "$output" == *'"reason": "shutdown"'* || "$output" == *'"reason":"shutdown"'* ]]
}

@test "reboot inside restarts in place; poweroff inside shuts off" {
	os_xml bb
	"$CORRAL" define "$TMP/bb.xml"
	"$CORRAL" start bb
	wait_for 10 console_ready bb
	first=$(init_pid bb)
	id=$(id_of bb)
	console_run bb 'reboot' >/dev/null || true
	wait_for 10 init_changed bb "$first"
	[ "$(id_of bb)" = "$id" ]
	wait_for 10 console_ready bb

	console_run bb 'poweroff' >/dev/null || true
	wait_for 10 is_state bb "shut off"
}

@test "on_crash follows a SIGKILL of init from the host" {
	os_xml bb restart
	"$CORRAL" define "$TMP/bb.xml"
	"$CORRAL" start bb
	first=$(init_pid bb)
	kill -9 "$first"
	wait_for 10 init_changed bb "$first"

	os_xml bd destroy
	"$CORRAL" define "$TMP/bd.xml"
	"$CORRAL" start bd
	kill -9 "$(init_pid bd)"
	wait_for 10 is_state bd "shut off"
	run "$CORRAL" dominfo bd --json
	[[ "$output" == *crashed* ]]
}

@test "create is transient: gone from list --all once it stops" {
	app_xml tr 'sleep 1000'
	run "$CORRAL" create "$TMP/tr.xml"
	[ "$status" -eq 0 ]
	is_state tr running
	"$CORRAL" destroy tr
	run "$CORRAL" list --all --name
	[ "$status" -eq 0 ]
	[[ "$output" != *tr* ]]

	app_xml ex 'exit 3'
	run "$CORRAL" create "$TMP/ex.xml" --wait
	[ "$status" -eq 3 ]
	run "$CORRAL" list --all --name
	[[ "$output" != *ex* ]]
}

@test "create --wait back to back: each run starts in a run dir the last one has left" {
	app_xml again 'exit 0'
	for i in $(seq 40); do
		"$CORRAL" create "$TMP/again.xml" --wait >/dev/null || {
			echo "run $i failed" >&2
			return 1
		}
	done
	! grep -q "Directory not empty" "$ROOT/var/log/corral/corrald.log"
}

@test "autostart containers start when corrald starts" {
	app_xml auto 'sleep 1000'
	"$CORRAL" define "$TMP/auto.xml"
	"$CORRAL" autostart auto
	pid=$(engine_pid)
	kill "$pid"
	timeout 5 flock "$ROOT/run/corral/corrald.lock" true
	# Any verb starts an engine, which starts the autostart domains.
	"$CORRAL" list >/dev/null
	wait_for 5 is_state auto running
}

all_running_with_ids() {
	[ "$(running_ids)" = "$1" ]
}

@test "kill -9 of corrald: 5 containers and an open console carry on" {
	for i in 1 2 3 4 5; do
		app_xml "c$i" 'sleep 1000'
		"$CORRAL" create "$TMP/c$i.xml" >/dev/null
	done
	app_xml chat
	"$CORRAL" create "$TMP/chat.xml" >/dev/null
	before=$(running_ids)

	mkfifo "$TMP/in"
	"$CORRAL" console chat --idle 30 <"$TMP/in" >"$TMP/out" 2>&1 &
	exec 7>"$TMP/in"
	echo 'echo before-$((1+1))' >&7
	wait_for 5 grep -q 'before-2' "$TMP/out"

	kill -9 "$(engine_pid)"
	echo 'echo after-$((2+2))' >&7
	wait_for 5 grep -q 'after-4' "$TMP/out"

	start=${EPOCHREALTIME/./}
	"$CORRAL" list >/dev/null
	wait_for 3 all_running_with_ids "$before"
	took_ms=$(((${EPOCHREALTIME/./} - start) / 1000))
	echo "re-adopted in $took_ms ms"
	[ "$took_ms" -le 2000 ]
	echo 'exit' >&7
	exec 7>&-
	wait
}

standby_pid() {
	pgrep -f "corral-monitor --root $ROOT --standby"
}

monitor_of() { # NAME
	sed -n 's/.*"monitor_pid":\([0-9]*\).*/\1/p' "$ROOT/run/corral/$1/state.json"
}

@test "a start takes the monitor the engine keeps ready, which ps then names as any other" {
	app_xml one 'sleep 1000'
	app_xml two 'sleep 1000'
	app_xml three 'sleep 1000'
	"$CORRAL" create "$TMP/one.xml"
	wait_for 5 standby_pid
	ready=$(standby_pid)
	"$CORRAL" create "$TMP/two.xml"
	[ "$(monitor_of two)" = "$ready" ]
	[ "$(pgrep -f "corral-monitor --root $ROOT --name two --id [0-9]+ ")" = "$ready" ]

	# One that died waiting is not needed: the start spawns its own.
	wait_for 5 standby_pid
	kill -9 "$(standby_pid)"
	"$CORRAL" create "$TMP/three.xml"
	is_state three running
	# No standby outlives its engine: the teardown's monitor check holds.
}
