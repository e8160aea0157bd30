#!/usr/bin/env bats
# Root inside a busybox OS container tries to reach the host and fails:
# kernel modules, the clock, device nodes, /proc and /sys knobs, cgroups,
# the host's filesystem, pids and sockets, inherited descriptors, the
# monitor's binary, the operator's terminal. reboot inside restarts only
# the container. A static probe (helpers/probe.c) makes the system calls
# busybox has no applet for.

load helpers/common

setup_file() {
	RFS=$(mktemp -d /tmp/corral-rootfs.XXXXXX)
	sh "$BATS_TEST_DIRNAME/../fixtures/mkrootfs-busybox.sh" "$RFS/rootfs" >/dev/null
	cc -static -O1 -o "$RFS/rootfs/bin/probe" "$BATS_TEST_DIRNAME/helpers/probe.c"
	export RFS
}

teardown_file() {
	rm -rf -- "$RFS"
}

setup() {
	corral_setup
	TMUX_SOCK=
}

teardown() {
	if [ -n "$TMUX_SOCK" ]; then
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	fi
	corral_teardown
}

# A busybox OS container with its own network namespace (privnet), so
# that not even the names of the host's sockets are in its /proc/net.
os_xml() {
	local name=$1 features=${2:-<privnet/>}
	cat >"$TMP/$name.xml" <<-XML
	<domain type='lxc'>
	  <name>$name</name>
	  <memory unit='MiB'>128</memory>
	  <os><type>exe</type><init>/sbin/init</init></os>
	  <features>$features</features>
	  <on_reboot>restart</on_reboot>
	  <devices>
	    <filesystem type='mount'><source dir='$RFS/rootfs'/><target dir='/'/></filesystem>
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
}

start_os() {
	os_xml "$@"
	"$CORRAL" define "$TMP/$1.xml" >/dev/null
	"$CORRAL" start "$1" >/dev/null
	wait_for 10 console_ready "$1"
}

console_run() {
	printf '%s\n' "$2" | timeout 30 "$CORRAL" console "$1" --idle 1
}

console_ready() {
	console_run "$1" 'echo ready-$((6*7))' | grep -q 'ready-42'
}

init_pid() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["init_pid"])' \
		"$ROOT/run/corral/$1/state.json" 2>/dev/null
}

monitor_pid() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["monitor_pid"])' \
		"$ROOT/run/corral/$1/state.json" 2>/dev/null
}

@test "capabilities: inheritable and ambient empty, the documented bounding set" {
	start_os ct
	run console_run ct 'grep -E "^Cap(Inh|Amb|Bnd)" /proc/self/status | sed "s/^/got-/"'
	host=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
	# sys_module 16, sys_rawio 17, sys_time 25, mknod 27, audit_control 30,
	# mac_override 32, mac_admin 33, dac_read_search 2.
	dropped=$(((1 << 16) | (1 << 17) | (1 << 25) | (1 << 27) | (1 << 30) | (1 << 32) | (1 << 33) | (1 << 2)))
	want=$(printf '%016x' $((0x$host & ~dropped)))
	[[ "$output" == *"got-CapInh:"$'\t'"0000000000000000"* ]]
	[[ "$output" == *"got-CapAmb:"$'\t'"0000000000000000"* ]]
	[[ "$output" == *"got-CapBnd:"$'\t'"$want"* ]]
}

@test "<features><capabilities policy='deny'> with one capability on" {
	start_os ct "<privnet/><capabilities policy='deny'><kill state='on'/><setuid state='on'/><setgid state='on'/></capabilities>"
	run console_run ct 'grep -E "^CapBnd" /proc/self/status | sed "s/^/got-/"'
	[[ "$output" == *"got-CapBnd:"$'\t'"00000000000000e0"* ]]
}

@test "no module, no clock change, no host block device, no open_by_handle_at" {
	start_os ct
	dev=$(($(stat -c '0x%D' /) >> 8)):$(($(stat -c '0x%D' /) & 0xff))
	run console_run ct "probe module; probe settime; probe mknod $dev; probe mknod 1:1; probe handle"
	echo "$output"
	[[ "$output" != *ESCAPED* ]]
	[ "$(grep -c '^denied: ' <<<"$output")" -eq 5 ]
}

@test "/proc: sysctls and sysrq read-only, kcore and keys masked" {
	start_os ct
	before=$(cat /proc/sys/kernel/core_pattern)
	run console_run ct 'echo "|/bin/evil" > /proc/sys/kernel/core_pattern
echo evil > /proc/sys/kernel/hostname
echo h > /proc/sysrq-trigger && echo sysrq-WRITTEN-$((40+2))
echo kcore-bytes=$(cat /proc/kcore 2>/dev/null | wc -c)
echo keys-bytes=$(cat /proc/keys 2>/dev/null | wc -c)
echo timer-bytes=$(cat /proc/timer_list 2>/dev/null | wc -c)
echo acpi-entries=$(ls /proc/acpi 2>/dev/null | wc -l)
echo firmware-entries=$(ls /sys/firmware 2>/dev/null | wc -l)'
	echo "$output"
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$before" ]
	[ "$(grep -c 'Read-only file system' <<<"$output")" -ge 2 ]
	[[ "$output" != *sysrq-WRITTEN-42* ]]
	[[ "$output" == *kcore-bytes=0* ]]
	[[ "$output" == *keys-bytes=0* ]]
	[[ "$output" == *timer-bytes=0* ]]
	[[ "$output" == *acpi-entries=0* ]]
	[[ "$output" == *firmware-entries=0* ]]
}

@test "cgroups: nothing under /sys/fs/cgroup, no release_agent even in a cgroup mount of its own" {
	start_os ct
	agent=$(ls /sys/fs/cgroup/*/release_agent 2>/dev/null | head -n 1)
	before=$(cat "$agent" 2>/dev/null || true)
	run console_run ct 'echo cg-entries=$(ls /sys/fs/cgroup | wc -l)
mkdir /sys/fs/cgroup/x && echo cg-MKDIR-$((40+2))
echo /evil > /sys/fs/cgroup/release_agent && echo cg-WRITTEN-$((40+2))
mkdir -p /tmp/cg && mount -t cgroup -o memory cgroup /tmp/cg && echo mounted-$((1+1))
echo agent=$(ls /tmp/cg/release_agent 2>/dev/null | wc -l)
echo /evil > /tmp/cg/release_agent && echo agent-WRITTEN-$((40+2))
umount /tmp/cg 2>/dev/null; true'
	echo "$output"
	[[ "$output" == *cg-entries=0* ]]
	[[ "$output" != *cg-MKDIR-42* ]]
	[[ "$output" != *cg-WRITTEN-42* ]]
	[[ "$output" == *agent=0* ]]
	[[ "$output" != *agent-WRITTEN-42* ]]
	if [ -n "$agent" ]; then
		[ "$(cat "$agent")" = "$before" ]
	fi
}

@test "the host's filesystem, pids and engine sockets are out of sight" {
	# corra[l]: the pipeline's own grep may be running when cat reads /proc,
	# and must not count itself.
	start_os ct
	run console_run ct "mount /dev/vda /mnt && echo host-MOUNTED-\$((40+2))
echo blockdevs=\$(find /dev -type b | wc -l)
echo engine=\$(ls '$ROOT/run/corral' 2>/dev/null | wc -l)
echo socks=\$(find / -xdev -name 'corral*.sock' | wc -l)
echo unix=\$(grep -c corral /proc/net/unix)
echo pids=\$(ls /proc | grep -c '^[0-9]')
echo corral-procs=\$(cat /proc/[0-9]*/cmdline | tr '\\\\0' ' ' | grep -c 'corra[l]')"
	echo "$output"
	[[ "$output" != *host-MOUNTED-42* ]]
	[[ "$output" == *blockdevs=0* ]]
	[[ "$output" == *engine=0* ]]
	[[ "$output" == *socks=0* ]]
	[[ "$output" == *unix=0* ]]
	[[ "$output" == *corral-procs=0* ]]
	pids=$(grep -o 'pids=[0-9]*' <<<"$output" | tail -n 1 | cut -d= -f2)
	[ "$pids" -le 8 ]
}

@test "no inherited descriptor or working directory outside; the monitor's binary stays out of reach" {
	start_os ct
	sum=$(sha256sum "$BIN/corral-monitor")
	run console_run ct 'echo cwd=$(readlink /proc/1/cwd)
echo root=$(readlink /proc/1/root)
for f in /proc/1/fd/*; do echo "fd $f -> $(readlink $f)"; done
for e in /proc/[0-9]*/exe; do readlink $e; done | grep -c corral-monitor | sed "s/^/monitor-exe=/"
for e in /proc/[0-9]*/exe; do echo corrupt >> $e 2>/dev/null && echo "EXE-WRITTEN-$((40+2)) $e"; done; true'
	echo "$output"
	[[ "$output" == *"cwd=/"$'\r'* || "$output" == *"cwd=/"$'\n'* ]]
	[[ "$output" == *monitor-exe=0* ]]
	[[ "$output" != *EXE-WRITTEN-42* ]]
	# Init holds its console and nothing else.
	! grep -E '^fd /proc/1/fd/[0-9]+ -> ' <<<"$output" | grep -v -E -- '-> /dev/(pts/[0-9]+|console)'
	[ "$(sha256sum "$BIN/corral-monitor")" = "$sum" ]
}

@test "TIOCSTI reaches the container's own terminal, never the operator's" {
	start_os ct
	marker="$TMP/tiocsti-marker"
	TMUX_SOCK="corral-iso$$"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 100 -y 30 sh
	tmux -L "$TMUX_SOCK" send-keys "$CORRAL console ct" Enter
	wait_for 10 sh -c "tmux -L '$TMUX_SOCK' capture-pane -p | grep -q 'Escape character'"
	# Pushed bytes go to the container's pty input: its shell runs the line
	# (where $TMP does not exist); the host shell must never see it.
	tmux -L "$TMUX_SOCK" send-keys "probe tiocsti 'touch $marker; echo pushed-\$((3*3))
'" Enter
	wait_for 10 sh -c "tmux -L '$TMUX_SOCK' capture-pane -p | grep -q 'pushed-9'"
	tmux -L "$TMUX_SOCK" send-keys C-]
	tmux -L "$TMUX_SOCK" send-keys 'echo host-$((2+3))' Enter
	wait_for 10 sh -c "tmux -L '$TMUX_SOCK' capture-pane -p | grep -qx 'host-5'"
	sleep 0.5
	[ ! -e "$marker" ]
	! tmux -L "$TMUX_SOCK" capture-pane -p | grep -q "^\$ touch $marker"
}

@test "reboot(2) inside restarts only the container" {
	start_os ct
	start_os other
	first=$(init_pid ct)
	mon=$(monitor_pid ct)
	other=$(init_pid other)
	console_run ct 'probe reboot' >/dev/null || true
	wait_for 10 sh -c "[ \"\$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"init_pid\"])' '$ROOT/run/corral/ct/state.json')\" != '$first' ]"
	wait_for 10 is_state ct running
	[ "$(monitor_pid ct)" = "$mon" ]
	[ "$(init_pid other)" = "$other" ]
	is_state other running
	wait_for 10 console_ready ct
}

@test "without SELinux: dominfo says model none; a domain that asks for a label fails closed" {
	if [ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" != "" ]; then
		skip "SELinux is enabled on this host"
	fi
	app_xml plain
	"$CORRAL" define "$TMP/plain.xml" >/dev/null
	"$CORRAL" start plain >/dev/null
	run "$CORRAL" dominfo plain
	[[ "$output" == *"Security model: none"* ]]
	[[ "$output" == *"Security DOI:   0"* ]]
	run "$CORRAL" dominfo plain --json
	[[ "$output" != *security_label* ]]

	sed "s|</os>|</os><seclabel type='static' model='selinux'><label>system_u:system_r:svirt_lxc_net_t:s0:c1,c2</label></seclabel>|" \
		"$TMP/plain.xml" | sed 's|<name>plain</name>|<name>labelled</name>|' >"$TMP/labelled.xml"
	"$CORRAL" define "$TMP/labelled.xml" >/dev/null
	run "$CORRAL" start labelled
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"start 'labelled'"*selinux*"not enabled"* ]]
	is_state labelled "shut off"
}
