#!/usr/bin/env bats
# corral console: scripted (no terminal) and interactive (a terminal through
# script(1) and tmux), and what a shell inside an APP container sees.

bats_require_minimum_version 1.5.0
load helpers/cli-root

setup() {
	cli_setup
	TMUX_SOCK=
}

teardown() {
	if [ -n "$TMUX_SOCK" ]; then
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	fi
	cli_teardown
}

@test "a scripted console: PID 1, the domain's hostname, private mounts and processes" {
	corral define "$(app_xml web)"
	corral start web
	run --separate-stderr corral console web --idle 1 <<-'IN'
	echo "pid=$$"
	echo "host=$(hostname)"
	mount -t tmpfs corral-cli-test /mnt && echo mounted
	echo "mounts=$(grep -c corral-cli-test /proc/self/mountinfo)"
	echo "procs=$(ls /proc | grep -c '^[0-9]')"
	IN
	[ "$status" -eq 0 ]
	[[ "$output" == *"pid=1"* ]]
	[[ "$output" == *host=web* ]]
	[[ "$output" == *mounted* ]]
	# The mount is there inside, not on the host.
	[[ "$output" == *mounts=1* ]]
	# sh, ls and grep: the host's processes are not in its /proc.
	[[ "${output//$'\r'/}" =~ procs=([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -le 4 ]
	run ! grep -q corral-cli-test /proc/self/mountinfo
	run ! grep -q corral-cli-test /proc/1/mountinfo
	[ "$(state_of web)" = running ]
}

@test "attach replays the history first" {
	corral create "$(app_xml hist 'echo booted-marker-$((40+2)); exec sh')"
	wait_for 'grep -q booted-marker-42 "$ROOT/var/log/corral/hist.log" 2>/dev/null'
	run --separate-stderr corral console hist --idle 0.5 </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *booted-marker-42* ]]
}

@test "a scripted console ends when the container stops, and says so" {
	corral create "$(app_xml ends)"
	run --separate-stderr corral console ends --idle 30 <<<'exit 0'
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"Domain 'ends' stopped"* ]]
	[ -z "$(state_of ends)" ]
}

@test "console of a domain that is not running is an error" {
	corral define "$(app_xml idle)"
	run corral console idle </dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*"not running"* ]]
	run corral console nosuch </dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "*nosuch* ]]
}

@test "create --console --wait shows the output and returns the exit status" {
	run --separate-stderr corral create --console --wait \
		"$(app_xml quick 'echo quick-$((1+1)); sleep 0.3; exit 5')" </dev/null
	[ "$status" -eq 5 ]
	[[ "$output" == *"Domain 'quick' created from"* ]]
	[[ "$output" == *quick-2* ]]
	[ -z "$(state_of quick)" ]
}

@test "on a terminal: raw mode, the banner, Ctrl-] detaches and restores the terminal" {
	corral define "$(app_xml web)"
	corral start web
	# Input arrives once the console is attached; script(1) gives a terminal.
	out=$( { sleep 1; printf 'echo raw-$((6*7))\n'; sleep 1; printf '\035'; sleep 0.5; } |
		script -qec "stty -g; ${CORRAL[*]} console web; echo rc=\$?; stty -g" /dev/null)
	out=${out//$'\r'/}
	[[ "$out" == *"Connected to domain 'web'"* ]]
	[[ "$out" == *"Escape character is ^]"* ]]
	[[ "$out" == *raw-42* ]]
	[[ "$out" == *rc=0* ]]
	# Raw: the only echo of the typed line is the container's own.
	[ "$(grep -c 'echo raw-' <<<"$out")" -eq 1 ]
	# The settings after are those from before.
	mapfile -t modes < <(grep -E '^[0-9a-f]+(:[0-9a-f]+){10,}$' <<<"$out")
	[ "${#modes[@]}" -eq 2 ]
	[ "${modes[0]}" = "${modes[1]}" ]
	[ "$(state_of web)" = running ]
}

@test "on a terminal: SIGTERM while attached restores the terminal" {
	corral define "$(app_xml web)"
	corral start web
	# Without job control a background job's stdin is /dev/null: give it the terminal.
	out=$(sleep 3 | script -qec "stty -g; sh -c '${CORRAL[*]} console web </dev/tty & p=\$!;
		sleep 1; kill \$p; wait \$p; echo rc=\$?'; stty -g" /dev/null)
	out=${out//$'\r'/}
	[[ "$out" == *"Connected to domain 'web'"* ]]
	[[ "$out" == *"error: console of 'web' interrupted by a signal"* ]]
	[[ "$out" == *rc=1* ]]
	mapfile -t modes < <(grep -E '^[0-9a-f]+(:[0-9a-f]+){10,}$' <<<"$out")
	[ "${#modes[@]}" -eq 2 ]
	[ "${modes[0]}" = "${modes[1]}" ]
}

@test "on a terminal: the container sees the window size, and its changes" {
	corral define "$(app_xml web)"
	corral start web
	TMUX_SOCK="corral-test$$"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 100 -y 30 sh
	tmux -L "$TMUX_SOCK" send-keys "${CORRAL[*]} console web" Enter
	wait_for 'tmux -L "$TMUX_SOCK" capture-pane -p | grep -q "Escape character"'
	tmux -L "$TMUX_SOCK" send-keys 'stty size' Enter
	wait_for 'tmux -L "$TMUX_SOCK" capture-pane -p | grep -qx "30 100"'
	tmux -L "$TMUX_SOCK" resize-window -x 120 -y 40
	tmux -L "$TMUX_SOCK" send-keys 'clear; stty size' Enter
	wait_for 'tmux -L "$TMUX_SOCK" capture-pane -p | grep -qx "40 120"'
	# Ctrl-] back to the host shell, which reads lines again.
	tmux -L "$TMUX_SOCK" send-keys C-]
	tmux -L "$TMUX_SOCK" send-keys 'echo host-$((2+3))' Enter
	wait_for 'tmux -L "$TMUX_SOCK" capture-pane -p | grep -qx "host-5"'
	[ "$(state_of web)" = running ]
}
