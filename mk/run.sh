#!/bin/sh
# make run: the TUI, with the engine started on demand on the default root.
# On a host with no definitions yet, a small busybox OS container `demo` is
# defined first, so that there is something to start and look at.
set -eu
BUILD=$1
corral="$BUILD/corral"
rootfs=/var/lib/corral/rootfs/demo

if [ -z "$("$corral" list --all --name)" ]; then
	if [ ! -x "$rootfs/sbin/init" ]; then
		echo "run: building a busybox root filesystem in $rootfs"
		sh tests/fixtures/mkrootfs-busybox.sh "$rootfs" >/dev/null
	fi
	def=$(mktemp /tmp/corral-demo.XXXXXX.xml)
	trap 'rm -f "$def"' EXIT
	cat >"$def" <<XML
<domain type='lxc'>
  <name>demo</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type>exe</type><init>/sbin/init</init></os>
  <devices>
    <filesystem type='mount'><source dir='$rootfs'/><target dir='/'/></filesystem>
    <console type='pty'/>
  </devices>
</domain>
XML
	"$corral" define "$def"
	rm -f "$def"
	trap - EXIT
fi
exec "$corral"
