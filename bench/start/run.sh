#!/bin/bash
# Start-to-exit latency: a container running /bin/true, started and waited
# for, with corral, LXC and the floor (unshare of the same five namespaces),
# measured in one run with hyperfine; and corral with one veth on the
# default network. The engine runs in a network namespace of its own, so
# the default network's bridge never lands on the host. Not part of
# `make check`.
#
#   bench/start/run.sh [RUNS]        (as root, after `make`)
set -euo pipefail

RUNS=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BIN=${CORRAL_BIN:-$top/build}

for pkg in hyperfine lxc busybox-static; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
done

work=$(mktemp -d /tmp/corral-bench-start.XXXXXX)
root=$work/root
ns=corral-bench-$$
cleanup() {
	pkill -f "corrald --root $root" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf -- "$work"
}
trap cleanup EXIT

sh "$top/tests/fixtures/mkrootfs-busybox.sh" "$work/rootfs" >/dev/null

# The same five namespaces for everyone: mount, uts, ipc, pid and net.
cat >"$work/os.xml" <<XML
<domain type='lxc'>
  <name>bench-os</name>
  <os><type>exe</type><init>/bin/true</init></os>
  <features><privnet/></features>
  <devices>
    <filesystem type='mount'><source dir='$work/rootfs'/><target dir='/'/></filesystem>
  </devices>
</domain>
XML
cat >"$work/app.xml" <<XML
<domain type='lxc'>
  <name>bench-app</name>
  <os><type>exe</type><init>/bin/true</init></os>
  <features><privnet/></features>
</domain>
XML
cat >"$work/veth.xml" <<XML
<domain type='lxc'>
  <name>bench-veth</name>
  <os><type>exe</type><init>/bin/true</init></os>
  <devices><interface type='network'><source network='default'/></interface></devices>
</domain>
XML
cat >"$work/lxc.conf" <<CONF
lxc.uts.name = bench
lxc.net.0.type = empty
lxc.rootfs.path = dir:$work/rootfs
lxc.console.path = none
lxc.mount.auto = proc:mixed sys:ro
lxc.apparmor.profile = unconfined
CONF

# The engine runs already, as it would on a host: its start is not measured.
ip netns add "$ns"
nsenter --net="/run/netns/$ns" "$BIN/corrald" --root "$root"
"$BIN/corral" --root "$root" net-start default >/dev/null

hyperfine --runs "$RUNS" --warmup 10 -N --export-json "$work/result.json" \
	-n floor "unshare -m -u -i -n -p -f /bin/true" \
	-n corral-os "$BIN/corral --root $root create --wait $work/os.xml" \
	-n corral-app "$BIN/corral --root $root create --wait $work/app.xml" \
	-n corral-veth "$BIN/corral --root $root create --wait $work/veth.xml" \
	-n lxc-execute "lxc-execute -n bench -P $work -f $work/lxc.conf -- /bin/true"

python3 - "$work/result.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
floor = r["floor"]["mean"]
lxc = r["lxc-execute"]["mean"]
print()
print(f"{'command':<12} {'mean ms':>8} {'median ms':>10} {'x floor':>8} {'x lxc':>6}")
for name, x in r.items():
    print(f"{name:<12} {x['mean']*1000:8.1f} {x['median']*1000:10.1f} "
          f"{x['mean']/floor:8.2f} {x['mean']/lxc:6.2f}")
PY
