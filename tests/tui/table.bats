#!/usr/bin/env bats
# The full-screen TUI against a private engine with real containers,
# driven through tmux: keys in, screen out.

load helpers

setup() {
	tui_setup
	start_engine
}

teardown() {
	tui_teardown
}

@test "the table lists the defined containers with their states" {
	define web
	define db
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen ' web +running +[0-9]+ '
	wait_for_screen ' db +shut off +- '
	wait_for_screen '1/2 running'
	wait_for_screen 'engine (live|polled)'
}

@test "s starts the selected container" {
	define db
	tui_start
	wait_for_screen ' db +shut off'
	keys s
	wait_for_screen ' db +running +[0-9]+ '
	wait_for_screen "started 'db'"
}

@test "D asks first: n keeps the container, y destroys it" {
	define web
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen ' web +running'
	keys D
	wait_for_screen "destroy 'web'\? \(y/n\)"
	keys n
	wait_for_screen 'destroy cancelled'
	screen | grep -Eq ' web +running'
	keys D
	wait_for_screen "destroy 'web'\? \(y/n\)"
	keys y
	wait_for_screen ' web +shut off'
	wait_for_screen "destroyed 'web'"
}

@test "an action that does not apply says why on the status line" {
	define db
	tui_start
	wait_for_screen ' db +shut off'
	keys R
	wait_for_screen "reboot: not possible while 'db' is shut off"
}

@test "/ filters by a substring; Esc in the filter clears it" {
	define alpha
	define beta
	define gamma
	tui_start
	wait_for_screen ' gamma '
	keys / t a
	wait_for_screen 'filter: ta'
	wait_for_no_screen ' alpha '
	screen | grep -q ' beta '
	! screen | grep -q ' gamma '
	keys Enter
	wait_for_screen 'filter: ta \(1 of 3'
	keys / Escape
	wait_for_screen ' alpha '
	screen | grep -q ' gamma '
}

@test "sorting by a column, and again to reverse it" {
	define aa
	define bb
	define cc
	request '{"id":1,"op":"start","name":"bb"}'
	tui_start
	wait_for_screen ' bb +running'
	# By name first: aa above cc.
	[ "$(screen | grep -Eo ' (aa|bb|cc) ' | tr -d ' ' | tr '\n' ' ')" = "aa bb cc " ]
	keys 2
	wait_for_screen 'STATE▲|STATE\^'
	[ "$(screen | grep -Eo ' (aa|bb|cc) ' | tr -d ' ' | tr '\n' ' ')" = "bb aa cc " ]
	keys 1 1
	wait_for_screen 'NAME▼|NAMEv'
	[ "$(screen | grep -Eo ' (aa|bb|cc) ' | tr -d ' ' | tr '\n' ' ')" = "cc bb aa " ]
	# Memory (figures come from the watch stream: see stats.bats).
	keys 5
	wait_for_screen 'MEM used/limit▼|MEM used/limitv'
}

@test "the cursor stays on its container when the order changes" {
	define aa
	define bb
	tui_start
	wait_for_screen ' bb +shut off'
	keys j s
	wait_for_screen ' bb +running'
	keys 2
	wait_for_screen 'STATE▲|STATE\^'
	# bb moved to the top and is still the one selected: D asks about bb.
	keys D
	wait_for_screen "destroy 'bb'\? \(y/n\)"
	keys n
}

@test "the detail view shows the definition and graphs; q goes back" {
	define web
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen ' web +running'
	keys i
	wait_for_screen ' web  running  [0-9a-f-]{36}'
	wait_for_screen 'memory +64M'
	wait_for_screen 'init +/bin/sh'
	wait_for_screen 'alarms +none seen'
	wait_for_screen 'CPU %'
	wait_for_screen 'blk r\+w/s'
	keys q
	wait_for_screen 'NAME'
	wait_for_screen 'q quit'
}

@test "? shows every key of the actions table; any key closes it" {
	tui_start
	wait_for_screen 'no containers defined'
	keys '?'
	wait_for_screen 'corral keys'
	for word in start shutdown destroy reboot pause console edit autostart undefine filter \
		sort-memory faster slower quit; do
		screen | grep -q " $word " || { echo "help lacks $word" >&2; screen >&2; false; }
	done
	keys x
	wait_for_no_screen 'corral keys'
}

@test "a resize re-lays out: 120x40, 80x24, too small, and back" {
	define web
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen 'BLK r/w'
	tmux -L "$TS" resize-window -x 80 -y 24
	wait_for_no_screen 'BLK r/w'
	wait_for_screen ' web +running'
	# The footer and status line are at the bottom of the smaller screen.
	[ "$(screen | sed -n 23p | grep -c 'q quit')" -eq 1 ]
	screen | grep -q 'UPTIME'
	tmux -L "$TS" resize-window -x 50 -y 10
	wait_for_screen 'needs at least'
	tmux -L "$TS" resize-window -x 120 -y 40
	wait_for_screen 'BLK r/w'
	[ "$(screen | sed -n 39p | grep -c 'q quit')" -eq 1 ]
}

@test "q quits and gives the terminal back" {
	tmux -L "$TS" -f /dev/null new-session -d -x 100 -y 30 sh
	keys "$BIN/corral --root $ROOT; echo EXIT=\$?" Enter
	wait_for_screen 'q quit'
	keys q
	wait_for_screen 'EXIT=0'
	! screen | grep -q 'q quit'
	# The shell reads lines again: the terminal is out of raw mode.
	keys "echo back-in-sh" Enter
	wait_for_screen '^back-in-sh'
}

@test "the engine going away shows a banner, and its return is picked up" {
	define web
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen ' web +running'
	pkill -f "corrald --root $ROOT"
	wait_for_screen 'engine not answering'
	wait_for_screen 'DOWN'
	# The last known rows stay.
	screen | grep -Eq ' web +running'
	start_engine
	wait_for_no_screen 'engine not answering'
	wait_for_screen ' web +running'
	keys D y
	wait_for_screen ' web +shut off'
}

@test "works on a vt100 without colours" {
	define web
	tmux -L "$TS" -f /dev/null new-session -d -x 80 -y 24 \
		"env TERM=vt100 LANG=C LC_ALL=C $BIN/corral --root $ROOT"
	wait_for_screen ' web +shut off'
	keys s
	wait_for_screen ' web +running'
	keys '?'
	wait_for_screen 'corral keys \(up/down scroll'
	keys x i
	wait_for_screen 'alarms +none seen'
	keys q q
	wait_for_no_screen 'q quit'
}

# An X10 mouse report (TERM=screen in tmux): button b at column x, row y (0-based).
mouse() {
	keys -H 1b 5b 4d "$(printf %x $((32 + $1)))" "$(printf %x $((33 + $2)))" \
		"$(printf %x $((33 + $3)))"
	keys -H 1b 5b 4d 23 "$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"
}

@test "mouse: a click on a title sorts, a click on a row selects" {
	define aa
	define bb
	request '{"id":1,"op":"start","name":"bb"}'
	tui_start
	wait_for_screen ' bb +running'
	# Titles are on row 2; STATE starts at column 27 at this width.
	mouse 0 28 2
	wait_for_screen 'STATE▲|STATE\^'
	[ "$(screen | grep -Eo '^. (aa|bb) ' | cut -c2- | tr -d ' ' | tr '\n' ' ')" = "bb aa " ]
	# Row 4 is aa now: select it and start it.
	mouse 0 5 4
	keys s
	wait_for_screen ' aa +running'
}

@test "c opens the console in a pane below the table; the prefix and d come back" {
	define_shell web
	request '{"id":1,"op":"start","name":"web"}'
	tui_start
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ web running'
	keys "echo marker-\$((40+2))" Enter
	wait_for_screen '^marker-42'
	keys C-a d
	wait_for_screen 'c console'
	wait_for_screen ' web +running'
}

@test "corral.conf binds keys and colours; a bad line is named on the status line" {
	define web
	mkdir -p "$TMP/home/.config/corral"
	printf '%s\n' '# test keys' 'bind x start' 'bind s none' 'color running blue' \
		>"$TMP/home/.config/corral/corral.conf"
	tmux -L "$TS" -f /dev/null new-session -d -x 120 -y 40 \
		"env HOME=$TMP/home XDG_CONFIG_HOME= $BIN/corral --root $ROOT"
	wait_for_screen ' web +shut off'
	keys s
	sleep 0.3
	screen | grep -Eq ' web +shut off'
	keys x
	wait_for_screen ' web +running'
	# running in blue (SGR 34), a colour no default element has.
	tmux -L "$TS" capture-pane -e -p | grep -q $'\e\\[[0-9;]*34m *running'
	keys '?'
	# The help shows the key that starts now, not the one taken away.
	wait_for_screen ' x +start +start the container'
	! screen | grep -Eq ' s( x)? +start +start the container'
	tmux -L "$TS" kill-server
	# The next server may take the socket only once this one is gone.
	for _ in $(seq 100); do tmux -L "$TS" has-session 2>/dev/null || break; sleep 0.05; done
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TS"
	printf 'bind x destory\n' >"$TMP/home/.config/corral/corral.conf"
	tmux -L "$TS" -f /dev/null new-session -d -x 120 -y 40 \
		"env HOME=$TMP/home XDG_CONFIG_HOME= $BIN/corral --root $ROOT"
	wait_for_screen "corral.conf:1: unknown action 'destory'"
}
