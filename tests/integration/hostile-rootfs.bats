#!/usr/bin/env bats
# A rootfs that tries to redirect corral's own mounts and writes out of it:
# /proc, /sys, /dev, /dev/null, /dev/console and a <filesystem> target as
# symlinks to the host (CVE-2019-19921, CVE-2021-30465, CVE-2025-31133
# shapes). Each start is refused or contained, and a marker outside the
# rootfs stays as it was, with nothing mounted over it.

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
	cp -a "$RFS/rootfs" "$TMP/rootfs"
	OUT="$TMP/outside"
	mkdir -p "$OUT/sub"
	echo untouched >"$OUT/marker"
	chmod 0600 "$OUT/marker"
	snapshot=$(outside_state)
}

teardown() {
	corral_teardown
}

# What the host has at $OUT: every file with its content and mode, and any
# mount on or under it.
outside_state() {
	(cd "$OUT" && find . -printf '%p %m %s\n' | sort && cat marker)
	grep -F " $OUT" /proc/self/mountinfo || true
}

os_xml() {
	local extra=${1:-}
	cat >"$TMP/evil.xml" <<-XML
	<domain type='lxc'>
	  <name>evil</name>
	  <memory unit='MiB'>128</memory>
	  <os><type>exe</type><init>/sbin/init</init></os>
	  <devices>
	    <filesystem type='mount'><source dir='$TMP/rootfs'/><target dir='/'/></filesystem>
	    $extra
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
	"$CORRAL" define "$TMP/evil.xml" >/dev/null
}

console_run() {
	printf '%s\n' "$2" | timeout 30 "$CORRAL" console "$1" --idle 1
}

console_ready() {
	console_run "$1" 'echo ready-$((6*7))' | grep -q 'ready-42'
}

outside_untouched() {
	[ "$(outside_state)" = "$snapshot" ]
}

# A start that must be refused, with a message that names the path.
refused() {
	local path=$1
	run "$CORRAL" start evil
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"'$path'"*symlink* ]]
	is_state evil "shut off"
	outside_untouched
}

@test "/proc as a symlink out of the rootfs is refused" {
	rmdir "$TMP/rootfs/proc"
	ln -s "$OUT" "$TMP/rootfs/proc"
	os_xml
	refused /proc
}

@test "/proc as a relative symlink climbing out is refused" {
	rmdir "$TMP/rootfs/proc"
	ln -s ../../../../../../../../"$OUT" "$TMP/rootfs/proc"
	os_xml
	refused /proc
}

@test "/sys and /dev as symlinks out of the rootfs are refused" {
	rmdir "$TMP/rootfs/sys"
	ln -s "$OUT" "$TMP/rootfs/sys"
	os_xml
	refused /sys
	rm "$TMP/rootfs/sys"
	mkdir "$TMP/rootfs/sys"
	rm -rf "$TMP/rootfs/dev"
	ln -s "$OUT/sub" "$TMP/rootfs/dev"
	refused /dev
}

@test "/dev/null and /dev/console as symlinks to a host file are contained" {
	ln -sf "$OUT/marker" "$TMP/rootfs/dev/null"
	ln -sf "$OUT/marker" "$TMP/rootfs/dev/console"
	os_xml
	run "$CORRAL" start evil
	echo "$output"
	[ "$status" -eq 0 ]
	wait_for 10 console_ready evil
	run console_run evil 'echo overwritten > /dev/null; echo overwritten > /dev/console
echo null=$(stat -c %F:%t:%T /dev/null)
echo console=$(stat -c %F /dev/console)'
	echo "$output"
	[[ "$output" == *"null=character special file:1:3"* ]]
	[[ "$output" == *"console=character special file"* ]]
	"$CORRAL" destroy evil >/dev/null
	outside_untouched
}

@test "a <filesystem> target that is a symlink out of the rootfs: refused when dangling inside, else mounted inside" {
	mkdir -p "$TMP/src"
	echo from-source >"$TMP/src/payload"
	ln -s "$OUT" "$TMP/rootfs/data"
	ln -s ../../../../../../../.."$TMP/outside2" "$TMP/rootfs/data2"
	os_xml "<filesystem type='mount'><source dir='$TMP/src'/><target dir='/data'/></filesystem>
	    <filesystem type='mount'><source dir='$TMP/src'/><target dir='/data2'/></filesystem>"
	# Resolved in the rootfs, the links point at nothing: refused.
	run "$CORRAL" start evil
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"'/data'"*"dangling symlink"* ]]
	outside_untouched

	# With the same path inside the rootfs, that is where the mounts land.
	mkdir -p "$TMP/rootfs$OUT" "$TMP/rootfs$TMP/outside2"
	run "$CORRAL" start evil
	echo "$output"
	[ "$status" -eq 0 ]
	wait_for 10 console_ready evil
	run console_run evil 'cat /data/payload /data2/payload; echo written > /data/new-$((1+1))'
	echo "$output"
	[ "$(grep -c '^from-source' <<<"$output")" -eq 2 ]
	[ -e "$TMP/src/new-2" ]
	outside_untouched
	"$CORRAL" destroy evil >/dev/null
	outside_untouched
}

@test "a <filesystem type='bind'> source that is a symlink out of the rootfs binds from inside it" {
	ln -s "$OUT" "$TMP/rootfs/evil-src"
	os_xml "<filesystem type='bind'><source dir='/evil-src'/><target dir='/mnt'/></filesystem>"
	run "$CORRAL" start evil
	echo "$output"
	if [ "$status" -eq 0 ]; then
		wait_for 10 console_ready evil
		run console_run evil 'echo marker-files=$(ls /mnt/marker 2>/dev/null | wc -l)'
		[[ "$output" == *marker-files=0* ]]
		"$CORRAL" destroy evil >/dev/null
	fi
	outside_untouched
}
