#!/usr/bin/env bats
# Figures, sparklines and alarms from the engine's watch stream, served by
# a stand-in engine so that the stream's shape is exercised on its own.

load helpers

setup() {
	tui_setup
	mkdir -p "$TMP/fake"
	FAKE_SOCK="$TMP/fake/engine.sock"
	"$PY" "$BATS_TEST_DIRNAME/helpers/fake-watch-engine.py" "$FAKE_SOCK" 3>&- &
	FAKE_PID=$!
	"$PY" "$CLIENT" wait "$FAKE_SOCK" 5 || true
	TUI_ARGS="-c unix:$FAKE_SOCK"
}

teardown() {
	tui_teardown
}

@test "figures and the engine's status come from the watch stream" {
	tui_start
	wait_for_screen 'engine live'
	wait_for_screen ' big +running +1 +80\.0 '
	wait_for_screen '500M/1\.0G'
	wait_for_screen ' small +running .* 10M/1\.0G .* 2 +1\.5K/512B +2\.0K/0B '
	wait_for_screen '2/3 running'
}

@test "an OOM kill marks the row and the detail view says what and when" {
	tui_start
	wait_for_screen '^! small '
	! screen | grep -q '^! big '
	keys j j
	wait_for_screen 'c console'
	keys i
	wait_for_screen 'alarms +[0-9]{2}:[0-9]{2}:[0-9]{2}  OOM kill'
	wait_for_screen 'memory  now 10M'
}

@test "sorting by memory puts the largest first, then reverses" {
	tui_start
	wait_for_screen ' small +running .*10M'
	keys 5
	wait_for_screen 'MEM used/limit▼|MEM used/limitv'
	order=$(screen | grep -Eo '^. (big|small|off) ' | cut -c2- | tr -d ' ' | tr '\n' ' ')
	[ "$order" = "big small off " ] || { screen >&2; false; }
	keys 5
	wait_for_screen 'MEM used/limit▲|MEM used/limit\^'
	[ "$(screen | grep -Eo '^. (big|small|off) ' | cut -c2- | tr -d ' ' | tr '\n' ' ')" = "small big off " ]
}

@test "the CPU sparkline shows the last minute, in ASCII without UTF-8" {
	tmux -L "$TS" -f /dev/null new-session -d -x 120 -y 40 \
		"env LANG=C LC_ALL=C $BIN/corral $TUI_ARGS"
	wait_for_screen 'engine live'
	# big runs at 80 %: the history fills the right part of its sparkline.
	wait_for_screen ' big +running +1 +80\.0 +[ *#+=]*\*\*\*'
}
