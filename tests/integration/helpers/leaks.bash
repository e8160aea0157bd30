# Leak checks for tests that run containers under a private root $ROOT.

# The cgroup parent of the root: "corral-" and FNV-1a of the root path, as
# config/paths.c names it.
corral_cgroup_name() {
	local s=$ROOT h=2166136261 i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 16777619 & 0xffffffff))
	done
	printf 'corral-%08x' "$h"
}

# Fails (naming what) when anything of $ROOT is left on the host: processes,
# cgroups, mounts, runtime directories. Removes what it finds, so that one
# leak does not spill into the next test.
assert_no_leaks() {
	local leaked="" cg
	if pgrep -f "$ROOT" >/dev/null; then
		leaked="$leaked processes($(pgrep -f "$ROOT" | tr '\n' ' '))"
		pkill -9 -f "$ROOT" || true
	fi
	cg=$(corral_cgroup_name)
	if ls -d /sys/fs/cgroup/*/"$cg" >/dev/null 2>&1; then
		leaked="$leaked cgroups"
		find /sys/fs/cgroup/*/"$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
	fi
	if grep -q " $ROOT" /proc/self/mountinfo; then
		leaked="$leaked mounts"
		grep " $ROOT" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
	fi
	if [ -d "$ROOT/run/corral" ] && [ -n "$(find "$ROOT/run/corral" -mindepth 1 -type d)" ]; then
		leaked="$leaked runtime-dirs($(find "$ROOT/run/corral" -mindepth 1 -type d | tr '\n' ' '))"
	fi
	if [ -n "$leaked" ]; then
		echo "leaked:$leaked" >&2
		return 1
	fi
}

