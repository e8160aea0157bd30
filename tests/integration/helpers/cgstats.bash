# Shared by stats.bats and limits.bats: a private engine under a temporary
# root, APP containers whose init runs a script from that root, and a
# teardown that leaves no process, cgroup or file behind.

# The interpreter itself, not a version-manager shim that costs a fork
# chain per call.
PY=${PY:-$(python3 -c 'import sys; print(sys.executable)')}

setup_engine() {
	BIN="${CORRAL_BIN:-$BATS_TEST_DIRNAME/../../build}"
	REQ="$BATS_TEST_DIRNAME/helpers/engine-req.py"
	ROOT=$(mktemp -d /tmp/corral-st.XXXXXX)
	SOCK="$ROOT/run/corral/corral.sock"
	"$BIN/corrald" --root "$ROOT" --foreground 2>"$ROOT/corrald.log" 3>&- &
	wait_for 5 test -S "$SOCK"
	wait_for 5 req ping
}

teardown_engine() {
	local name cg left
	for name in $(req list all=true 2>/dev/null | jq -r '.domains[].name' 2>/dev/null); do
		req destroy "name=$name" >/dev/null 2>&1 || true
		req undefine "name=$name" >/dev/null 2>&1 || true
	done
	pkill -f "corrald --root $ROOT" 2>/dev/null || true
	# Monitors end with their containers; each removes its cgroup, the
	# last one the engine's parent group.
	wait_for 10 no_monitors || echo "# monitors of $ROOT still running" >&3
	cg=$(cat "$ROOT/cgname" 2>/dev/null || true)
	if [ -n "$cg" ]; then
		wait_for 5 no_cgroups "$cg" || true
		left=$(ls -d /sys/fs/cgroup/*/"$cg" /sys/fs/cgroup/unified/"$cg" 2>/dev/null || true)
	fi
	rm -rf -- "$ROOT"
	if [ -n "${left:-}" ]; then
		echo "# cgroups left behind: $left" >&3
		return 1
	fi
}

no_monitors() {
	! pgrep -f "corral-monitor --root $ROOT" >/dev/null
}

no_cgroups() {
	! ls -d /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/unified/"$1" >/dev/null 2>&1
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

req() {
	"$PY" "$REQ" "$SOCK" "$@"
}

corral() {
	"$BIN/corral" --root "$ROOT" "$@"
}

# write_domain NAME MEMORY_MIB SCRIPT [XML inside <domain>] [XML inside <devices>]:
# an APP container whose init is /bin/sh ROOT/NAME.sh.
write_domain() {
	printf '%s\n' "$3" >"$ROOT/$1.sh"
	cat >"$ROOT/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='MiB'>$2</memory>
	  <os>
	    <type>exe</type>
	    <init>/bin/sh</init>
	    <initarg>$ROOT/$1.sh</initarg>
	  </os>
	  ${4:-}
	  <devices>
	    <console type='pty'/>
	    ${5:-}
	  </devices>
	</domain>
	XML
}

# create NAME: starts ROOT/NAME.xml as a transient container; sets PID to
# its init's host pid and remembers the engine's cgroup parent.
create() {
	local reply
	reply=$(req create "xml=@$ROOT/$1.xml")
	PID=$(jq -r .init_pid <<<"$reply")
	[ "$PID" -gt 0 ]
	if [ ! -e "$ROOT/cgname" ]; then
		sed -n 's|^[0-9]*:pids:/\([^/]*\)/.*|\1|p' "/proc/$PID/cgroup" >"$ROOT/cgname"
	fi
}

# The container's group in a v1 controller's hierarchy.
cgdir() {
	echo "/sys/fs/cgroup/$1/$(cat "$ROOT/cgname")/$2"
}

# sample NAME: the newest sample, as `corral stats --once --json` prints it.
sample() {
	corral stats --once --json "$1"
}
