#!/usr/bin/env bats
# Networking end to end: an engine inside a network namespace the test
# makes (so the host's own links are never touched), containers on the
# default network and on a bridge, the net-* verbs, and cleanup after
# stops, failures and dead monitors.

source "$BATS_TEST_DIRNAME/helpers/leaks.bash"

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, veths)"
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	SEED="$BATS_TEST_DIRNAME/../../config/examples/app-container.xml"
	TMP=$(mktemp -d /tmp/corral-net.XXXXXX)
	ROOT="$TMP/root"
	SOCK="$ROOT/run/corral/corral.sock"
	NS="corral-t$$-$BATS_TEST_NUMBER"
	PID=
	ip netns add "$NS"
	start_engine
}

teardown() {
	local rc=0 n
	if [ -S "$SOCK" ] && [ -n "$PID" ]; then
		for n in $(corral list --name 2>/dev/null); do
			corral destroy "$n" >/dev/null 2>&1 || true
		done
		for n in $(corral net-list --name 2>/dev/null); do
			corral net-destroy --force "$n" >/dev/null 2>&1 || true
		done
	fi
	stop_engine
	if ! wait_until 5 no_monitors; then
		echo "leaked: monitors" >&2
		pkill -9 -f "corral-monitor --root $ROOT " || true
		rc=1
	fi
	assert_no_leaks || rc=1
	ip netns del "$NS" 2>/dev/null || true
	rm -rf -- "$TMP"
	# Nothing of ours may ever reach the host's own namespace.
	if ip -o link show | grep -Eq ': (cr[0-9a-f]{12}p?|corral0|crlab0)[@:]'; then
		echo "leaked: links on the host" >&2
		rc=1
	fi
	return "$rc"
}

# corrald in the test's namespace; nsenter keeps the host's mounts (the
# cgroup tree) where `ip netns exec` would remount /sys.
start_engine() {
	nsenter --net="/run/netns/$NS" "$BIN/corrald" --root "$ROOT" --foreground \
		2>>"$TMP/corrald.log" 3>&- &
	PID=$!
	wait_until 5 test -S "$SOCK"
	wait_until 5 corral list
}

stop_engine() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
		PID=
	fi
}

# Through the socket only, so that the CLI never starts an engine of its
# own (that one would sit in the host's namespace).
corral() {
	"$BIN/corral" --root "$ROOT" -c "unix:$SOCK" "$@"
}

wait_until() { # SECONDS COMMAND...
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

no_monitors() {
	! pgrep -f "corral-monitor --root $ROOT " >/dev/null
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# A field of the compact JSON a monitor writes to its state.json.
state_field() { # NAME FIELD
	sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$ROOT/run/corral/$1/state.json"
}

domain_xml() { # NAME [INTERFACE...]
	local name=$1
	shift
	{
		echo "<domain type='lxc'><name>$name</name><memory unit='KiB'>65536</memory>"
		echo "<os><type>exe</type><init>/bin/sh</init></os><devices>"
		printf '%s\n' "$@"
		echo "<console type='pty'/></devices></domain>"
	} >"$TMP/$name.xml"
}

on_default="<interface type='network'><source network='default'/></interface>"

# The Nth address domifaddr shows for interface IFACE of NAME.
address_of() { # NAME IFACE
	corral domifaddr "$1" | awk -v i="$2" '$1 == i { print $4 }'
}

leases() { # NETWORK
	corral net-info "${1:-default}" | grep -c '^Lease:' || true
}

# Host ends of container interfaces in the test's namespace.
veths() {
	ip -n "$NS" -o link show | grep -Eo ': cr[0-9a-f]{12}p?[@:]' || true
}

in_container() { # NAME COMMAND...
	local pid
	pid=$(state_field "$1" init_pid)
	shift
	nsenter -t "$pid" -n "$@"
}

@test "default is defined on the first start, active once a container needs it" {
	run corral net-list --all
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = " Name      State      Autostart   Persistent" ]
	[ "${lines[1]}" = "----------------------------------------------" ]
	[ "${lines[2]}" = " default   inactive   yes         yes" ]
	run ip -n "$NS" link show corral0
	[ "$status" -ne 0 ]

	domain_xml a "$on_default"
	corral create "$TMP/a.xml"
	run corral net-list
	[ "${lines[2]}" = " default   active   yes         yes" ]
	run ip -n "$NS" -o addr show dev corral0
	[[ "$output" == *"inet 192.168.125.1/24"* ]]
	run corral net-info default
	[ "$status" -eq 0 ]
	[[ "$output" == *"Bridge:         corral0"* ]]
	[[ "$output" == *"Addresses:      192.168.125.1/24"* ]]
}

@test "corrald.conf's default_network names the network the first start defines" {
	# A root that has never seen an engine, with the setting in place.
	stop_engine
	rm -rf -- "$ROOT"
	mkdir -p "$ROOT/etc/corral"
	echo 'default_network = lab' >"$ROOT/etc/corral/corrald.conf"
	start_engine
	run corral net-list --all
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = " lab    inactive   yes         yes" ]
	[ "${#lines[@]}" -eq 3 ]
	domain_xml a "<interface type='network'><source network='lab'/></interface>"
	corral create "$TMP/a.xml"
	run corral net-list
	[ "${lines[2]}" = " lab    active   yes         yes" ]
	ip -n "$NS" link show corral0 >/dev/null
}

@test "two containers on default get distinct addresses and ping each other and the bridge" {
	domain_xml a "$on_default"
	domain_xml b "$on_default"
	corral create "$TMP/a.xml"
	corral create "$TMP/b.xml"
	[ "$(address_of a eth0)" = "192.168.125.2/24" ]
	[ "$(address_of b eth0)" = "192.168.125.3/24" ]
	run corral dominfo a --json
	[[ "$output" == *'"addresses": ['* ]]
	[[ "$output" == *'"192.168.125.2/24"'* ]]
	run in_container a busybox ping -c 2 -W 2 192.168.125.3
	[ "$status" -eq 0 ]
	run in_container b busybox ping -c 2 -W 2 192.168.125.2
	[ "$status" -eq 0 ]
	run in_container a busybox ping -c 1 -W 2 192.168.125.1
	[ "$status" -eq 0 ]
	run in_container a ip route show default
	[[ "$output" == "default via 192.168.125.1 dev eth0"* ]]
	run corral net-info default
	[[ "$output" == *"Domains:        a b"* ]]
	[[ "$output" == *"Lease:          192.168.125.2 a (interface 0)"* ]]
	[[ "$output" == *"Lease:          192.168.125.3 b (interface 0)"* ]]
}

@test "the seed's APP container starts with both interfaces, MACs exactly as given" {
	ip -n "$NS" link add br0 type bridge
	ip -n "$NS" link set br0 up
	corral define "$SEED"
	run corral start app-container
	[ "$status" -eq 0 ]
	pid=$(state_field app-container init_pid)
	# Its own /sys, mounted inside its network namespace.
	[ "$(nsenter -t "$pid" -m cat /sys/class/net/eth0/address)" = "00:16:3e:bb:7f:b6" ]
	[ "$(nsenter -t "$pid" -m cat /sys/class/net/eth1/address)" = "00:17:3e:bb:7f:b6" ]
	[ "$(nsenter -t "$pid" -m cat /sys/class/net/eth0/operstate)" = up ]
	[ "$(nsenter -t "$pid" -m cat /sys/class/net/eth1/operstate)" = up ]
	run corral domifaddr app-container
	[[ "${lines[2]}" =~ ^\ eth0\ +00:16:3e:bb:7f:b6\ +ipv4\ +192\.168\.125\.2/24$ ]]
	[[ "${lines[3]}" =~ ^\ eth1\ +00:17:3e:bb:7f:b6\ +-\ +$ ]]
	host1=$(corral domifaddr app-container --json | grep -o '"host_dev": "[^"]*"' | sed -n '2s/.*: "\(.*\)"/\1/p')
	run ip -n "$NS" -o link show master br0
	[[ "$output" == *": $host1@"* ]]
	run ip -n "$NS" -o link show master corral0
	[ "${#lines[@]}" -eq 1 ]
	run in_container app-container busybox ping -c 1 -W 2 192.168.125.1
	[ "$status" -eq 0 ]
}

@test "a missing bridge is a clear error and leaves nothing behind" {
	corral define "$SEED"
	run corral start app-container
	[ "$status" -eq 1 ]
	[[ "$output" == "error: start 'app-container': interface 1 of 'app-container': attach"*": bridge 'br0' does not exist"* ]]
	[ -z "$(veths)" ]
	[ "$(leases)" = 0 ]
	run corral list --all
	[[ "$output" == *"app-container   shut off"* ]]
	run ls -d /sys/fs/cgroup/*/"$(corral_cgroup_name)"/app-container
	[ "$status" -ne 0 ]
	wait_until 2 test ! -e "$ROOT/run/corral/app-container"
}

@test "20 start and destroy cycles leave no veth, lease or address behind" {
	domain_xml cyc "$on_default"
	corral define "$TMP/cyc.xml"
	for i in $(seq 20); do
		corral start cyc >/dev/null
		[ -n "$(veths)" ]
		[ "$(leases)" = 1 ]
		corral destroy cyc >/dev/null
	done
	[ -z "$(veths)" ]
	[ "$(leases)" = 0 ]
	run ip -n "$NS" -o addr show
	[ "$(grep -c 'inet ' <<<"$output")" -eq 1 ]
	[[ "$output" =~ corral0\ +inet\ 192\.168\.125\.1/24 ]]
}

@test "a crashed init restarted by on_crash gets its interfaces again, same address" {
	domain_xml rs "$on_default"
	sed -i 's|<devices>|<on_crash>restart</on_crash><devices>|' "$TMP/rs.xml"
	corral create "$TMP/rs.xml"
	first=$(state_field rs init_pid)
	kill -9 "$first"
	wait_until 10 restarted rs "$first"
	[ "$(address_of rs eth0)" = "192.168.125.2/24" ]
	[ "$(veths | wc -l)" -eq 1 ]
	[ "$(leases)" = 1 ]
	run in_container rs busybox ping -c 1 -W 2 192.168.125.1
	[ "$status" -eq 0 ]
}

restarted() { # NAME OLD_PID
	local now
	now=$(state_field "$1" init_pid)
	[ -n "$now" ] && [ "$now" != "$2" ]
}

@test "net-destroy refuses a network in use unless forced" {
	domain_xml a "$on_default"
	corral create "$TMP/a.xml"
	run corral net-destroy default
	[ "$status" -eq 1 ]
	[ "$output" = "error: network 'default' is in use by a; stop it first, or use --force" ]
	ip -n "$NS" link show corral0 >/dev/null
	run corral net-destroy --force default
	[ "$status" -eq 0 ]
	[ "$output" = "Network 'default' destroyed" ]
	run ip -n "$NS" link show corral0
	[ "$status" -ne 0 ]
	run corral net-list --all
	[ "${lines[2]}" = " default   inactive   yes         yes" ]
}

@test "net-define, net-start, net-autostart, net-dumpxml, net-undefine" {
	cat >"$TMP/lab.xml" <<-XML
	<network>
	  <name>lab</name>
	  <bridge name='crlab0'/>
	  <ip address='10.77.0.1' prefix='24'>
	    <dhcp><range start='10.77.0.100' end='10.77.0.110'/></dhcp>
	  </ip>
	</network>
	XML
	run corral net-define "$TMP/lab.xml"
	[ "$output" = "Network 'lab' defined from $TMP/lab.xml" ]
	run corral net-list --all --name
	[ "$output" = "$(printf 'default\nlab')" ]
	run corral net-start lab
	[ "$output" = "Network 'lab' started" ]
	run corral net-start lab
	[ "$status" -eq 1 ]
	[ "$output" = "error: network 'lab' is already active" ]
	run corral net-autostart lab
	[ "$output" = "Network 'lab' marked as autostarted" ]
	[ -L "$ROOT/etc/corral/networks/autostart/lab.xml" ]
	run corral net-dumpxml lab
	[[ "$output" == *"<bridge name='crlab0'/>"* ]]
	[[ "$output" == *"<range start='10.77.0.100' end='10.77.0.110'/>"* ]]

	domain_xml onlab "<interface type='network'><source network='lab'/></interface>"
	corral create "$TMP/onlab.xml"
	[ "$(address_of onlab eth0)" = "10.77.0.100/24" ]
	run in_container onlab busybox ping -c 1 -W 2 10.77.0.1
	[ "$status" -eq 0 ]
	corral destroy onlab

	run corral net-undefine lab
	[ "$output" = "Network 'lab' has been undefined" ]
	run corral net-list --all
	[ "${lines[3]}" = " lab       active     no          no" ]
	corral net-destroy lab
	run corral net-list --all --name
	[ "$output" = default ]
	run ip -n "$NS" link show crlab0
	[ "$status" -ne 0 ]
}

@test "a container on an inactive network is refused, naming net-start" {
	corral net-autostart --disable default
	domain_xml a "$on_default"
	run corral create "$TMP/a.xml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"network 'default' is not active; start it with net-start default" ]]
	run corral list --all --name
	[ -z "$output" ]
	[ ! -e "$ROOT/run/corral/a" ]
}

@test "the engine cleans up after a monitor killed with SIGKILL, also across its own restart" {
	domain_xml a "$on_default"
	domain_xml b "$on_default"
	corral create "$TMP/a.xml"
	corral create "$TMP/b.xml"
	[ "$(leases)" = 2 ]
	mon_a=$(state_field a monitor_pid)
	kill -9 "$mon_a"
	wait_until 5 gone "$mon_a"
	wait_until 2 test "$(leases)" = 1
	[ "$(leases)" = 1 ]
	[ "$(veths | wc -l)" -eq 1 ]
	[ ! -e "$ROOT/run/corral/a" ]
	wait_until 5 no_cgroup a

	# b's monitor dies while no engine watches; the next engine finds out.
	mon_b=$(state_field b monitor_pid)
	stop_engine
	kill -9 "$mon_b"
	wait_until 5 gone "$mon_b"
	start_engine
	[ "$(leases)" = 0 ]
	[ -z "$(veths)" ]
	[ ! -e "$ROOT/run/corral/b" ]
	# The SIGKILLed monitors could not remove their cgroups: the engine did.
	no_cgroup b
}

# True when no hierarchy holds a group of NAME under this root's parent.
no_cgroup() { # NAME
	local cg
	for cg in /sys/fs/cgroup/*/"$(corral_cgroup_name)/$1"; do
		[ -d "$cg" ] && return 1
	done
	return 0
}

# The rx or tx bytes of NAME's eth0, as its container counts them.
counter() { # NAME FIELD
	corral domifstat "$1" | awk -v f="$2" '$1 == "eth0" && $2 == f { print $3 }'
}

@test "domifstat counts what a ping of a known size sent and received" {
	domain_xml a "$on_default"
	corral create "$TMP/a.xml"
	tx0=$(counter a tx_bytes)
	rx0=$(counter a rx_bytes)
	# 50 echo requests of 1000 bytes of data: 1042 bytes each on the wire
	# (ICMP 8, IPv4 20, Ethernet 14), and as many replies.
	run in_container a busybox ping -q -c 50 -i 0.02 -s 1000 192.168.125.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"50 packets received"* ]]
	tx1=$(counter a tx_bytes)
	rx1=$(counter a rx_bytes)
	[ $((tx1 - tx0)) -ge 52100 ]
	[ $((rx1 - rx0)) -ge 52100 ]
	run corral domifstat a
	[ "${#lines[@]}" -eq 8 ]
	[[ "${lines[1]}" =~ ^eth0\ rx_packets\ [0-9]+$ ]]
}

# A figure of the container's "net" object from `stats --once --json`.
net_stat() {
	corral stats "$1" --once --json | sed -n "s/.*\"net\": *{[^}]*\"$2\": *\([0-9]*\).*/\1/p"
}

# Polls "$@" every 100 ms until it succeeds or SECONDS pass.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

net_stat_at_least() {
	local v
	v=$(net_stat "$1" "$2")
	[ -n "$v" ] && [ "$v" -ge "$3" ]
}

@test "stats --json: rx/tx bytes grow by at least what a ping of a known size moved" {
	domain_xml a "$on_default"
	corral create "$TMP/a.xml"
	wait_for 5 net_stat_at_least a tx_bytes 0
	tx0=$(net_stat a tx_bytes)
	rx0=$(net_stat a rx_bytes)
	run in_container a busybox ping -q -c 50 -i 0.02 -s 1000 192.168.125.1
	[ "$status" -eq 0 ]
	# The sampler reads the counters once per interval (1 s).
	wait_for 5 net_stat_at_least a tx_bytes $((tx0 + 52100))
	wait_for 5 net_stat_at_least a rx_bytes $((rx0 + 52100))
}
