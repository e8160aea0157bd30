#!/usr/bin/env bats
# Container consoles in split panes inside the TUI, driven through tmux:
# each test has its own root, engine and tmux server.

load helpers

setup() {
	tui_setup
	start_engine
}

teardown() {
	tui_teardown
}

# An APP container whose init is /bin/sh on its console; exiting the shell
# powers it off, and on_poweroff says what then.
define_sh() {
	cat >"$TMP/$1.xml" <<-XML
	<domain type='lxc'>
	  <name>$1</name>
	  <memory unit='KiB'>65536</memory>
	  <os>
	    <type>exe</type>
	    <init>/bin/sh</init>
	  </os>
	  <on_poweroff>${2:-destroy}</on_poweroff>
	  <devices>
	    <console type='pty'/>
	  </devices>
	</domain>
	XML
	"$PY" "$CLIENT" define "$SOCK" "$TMP/$1.xml" | grep -q '"ok":true'
	request "{\"id\":1,\"op\":\"start\",\"name\":\"$1\"}" | grep -q '"ok":true'
}

# The part of each screen line left (or right) of the first border column.
left() { screen | awk -F'│' 'NF > 1 { sub(/ +$/, "", $1); print $1 }'; }
right() { screen | awk -F'│' 'NF > 1 { print $2 }'; }

wait_for_left() {
	wait_for_output left "$1"
}

wait_for_right() {
	wait_for_output right "$1"
}

# Opens db's console below the table, then web's beside it: db | web.
open_two() {
	define_sh db
	define_sh web
	tui_start "$@"
	wait_for_screen ' web +running'
	keys Enter
	wait_for_screen '─ db running'
	keys C-a d
	keys j c
	wait_for_screen '─ web running'
	wait_for_left '^[#$] *$'
	wait_for_right '^[#$] *$'
}

@test "two consoles side by side: what is typed in each shows only there" {
	open_two
	keys "echo web-\$((40+2))" Enter
	wait_for_right '^web-42'
	! left | grep -q 'web-42'
	keys C-a Left
	keys "echo db-\$((50+5))" Enter
	wait_for_left '^db-55'
	! right | grep -q 'db-55'
	! left | grep -q 'web-42'
}

@test "zoom puts the focused console on the whole screen and back" {
	open_two
	keys C-a z
	wait_for_no_screen '─ containers '
	wait_for_no_screen '─ db '
	screen | grep -q '─ web running'
	keys "stty size" Enter
	wait_for_screen '^35 120$'
	keys C-a z
	wait_for_screen '─ containers '
	wait_for_screen '─ db running'
}

@test "x closes the pane and the container keeps running" {
	open_two
	keys C-a x
	wait_for_screen "closed the console of 'web' \(it keeps running\)"
	wait_for_no_screen '─ web '
	screen | grep -Eq ' web +running'
	request '{"id":1,"op":"dominfo","name":"web"}' | grep -q '"state":"running"'
	# The neighbour has the focus and the keyboard.
	keys "echo still-\$((6*7))" Enter
	wait_for_screen '^still-42'
}

@test "the prefix pressed twice goes to the console" {
	define_sh web
	tui_start
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ web running'
	wait_for_screen '^[#$] *$'
	keys "od -c | head -n 1" Enter
	keys C-a C-a C-d C-d
	wait_for_screen '0000000 +001'
}

@test "a console re-attaches when its container restarts or starts again" {
	define_sh web restart
	tui_start
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ web running'
	wait_for_screen '^[#$] *$'
	# Poweroff from inside: the monitor restarts init on the same console.
	keys "exit" Enter
	wait_for_screen 'web running +restarted'
	keys "echo again-\$((1+1))" Enter
	wait_for_screen '^again-2'
	# Stopped from outside: the pane says so; started again, it attaches.
	request '{"id":1,"op":"destroy","name":"web"}' | grep -q '"ok":true'
	wait_for_screen '─ web shut off +\[stopped destroyed; attaches again when it runs\]|─ web .*\[stopped'
	request '{"id":1,"op":"start","name":"web"}' | grep -q '"ok":true'
	wait_for_no_screen '\[stopped'
	wait_for_screen '─ web running'
	keys "echo back-\$((3*3))" Enter
	wait_for_screen '^back-9'
}

# The console's pty size as the container sees it against the size of its
# pane on the screen (columns from the border, rows from its title row to
# the footer).
check_sizes() {
	local cols=$1 rows=$2 bar top
	bar=$(screen | grep -m1 '│' | awk -F'│' '{ print length($1) }')
	top=$(screen | grep -n '─ db ' | head -n 1 | cut -d: -f1)
	keys C-a Left "stty size" Enter
	wait_for_left "^$((rows - 2 - top)) $bar\$"
	keys C-a Right "stty size" Enter
	wait_for_right "^$((rows - 2 - top)) $((cols - bar - 1))\$"
}

@test "stty size in each console matches its pane, before and after a resize" {
	open_two
	check_sizes 120 40
	keys C-a C-Left C-a C-Left C-a C-Left
	keys clear Enter C-a Left clear Enter
	check_sizes 120 40
	tmux -L "$TS" resize-window -x 100 -y 30
	keys clear Enter C-a Right clear Enter
	wait_for_screen '─ db running'
	check_sizes 100 30
}

@test "a zoomed pane shows what tmux shows for the same output" {
	local fid="$BATS_TEST_DIRNAME/../fixtures/vt/fidelity.sh"
	define_sh web
	tui_start 100 30
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ web running'
	wait_for_screen '^[#$] *$'
	keys C-a z
	wait_for_no_screen '─ containers '
	keys "sh $fid; sleep 1000" Enter
	wait_for_screen '^end of fidelity'
	# The zoomed pane is 100x25, under the header and its title row; the
	# same script in a tmux session of that size, beside corral's.
	tmux -L "$TS" new-session -d -s direct -x 100 -y 25 "sh -c 'sh $fid; sleep 1000'"
	local i
	for ((i = 0; i < 50; i++)); do
		tmux -L "$TS" capture-pane -p -t direct | grep -q '^end of fidelity' && break
		sleep 0.1
	done
	tmux -L "$TS" capture-pane -p -t 0:0 | sed -n '4,28p' >"$TMP/corral.txt"
	tmux -L "$TS" capture-pane -p -t direct >"$TMP/tmux.txt"
	diff -u "$TMP/tmux.txt" "$TMP/corral.txt" || {
		tmux -L "$TS" capture-pane -p -t 0:0 >&2
		false
	}
}

# An X10 mouse report (TERM=screen in tmux): a press and a release of the
# first button at column x, row y (0-based).
click() {
	keys -H 1b 5b 4d 20 "$(printf %x $((33 + $1)))" "$(printf %x $((33 + $2)))"
	keys -H 1b 5b 4d 23 "$(printf %x $((33 + $1)))" "$(printf %x $((33 + $2)))"
}

@test "a click focuses the pane under it" {
	open_two
	# Row 30 is inside both consoles; column 10 is db's.
	click 10 30
	keys "echo clicked-\$((2*21))" Enter
	wait_for_left '^clicked-42'
	! right | grep -q 'clicked-42'
	# A click on the table focuses it: its footer comes back.
	click 10 4
	wait_for_screen 'c console'
}

@test "scrollback: [ looks back, / finds a line, q returns to the live screen" {
	define_sh web
	tui_start
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ web running'
	wait_for_screen '^[#$] *$'
	keys "i=0; while [ \$i -lt 200 ]; do echo line-\$i; i=\$((i+1)); done" Enter
	wait_for_screen '^line-199'
	keys C-a '['
	wait_for_screen 'scrollback 0/[0-9]+'
	keys / line-42 Enter
	wait_for_screen '^line-42$'
	wait_for_no_screen '^line-199'
	keys PPage
	wait_for_screen 'scrollback [0-9]+/'
	keys q
	wait_for_no_screen 'scrollback'
	wait_for_screen '^line-199'
}

@test "corral.conf can make another key the prefix: footer, help and pane keys follow it" {
	mkdir -p "$TMP/home/.config/corral"
	printf '%s\n' 'bind C-b prefix' 'bind v close' >"$TMP/home/.config/corral/corral.conf"
	define_sh db
	define_sh web
	tmux -L "$TS" -f /dev/null new-session -d -x 120 -y 40 \
		"env HOME=$TMP/home XDG_CONFIG_HOME= $BIN/corral --root $ROOT"
	wait_for_screen ' web +running'
	keys c
	wait_for_screen '─ db running'
	# A console has the keyboard: the footer lists the pane keys.
	wait_for_screen '\^B panes'
	! screen | grep -q '\^A'
	keys C-b d
	wait_for_screen 'c console'
	keys j C-b '"'
	wait_for_screen '─ web running'
	wait_for_screen '─ db running'
	# A pane action bound in corral.conf works after the prefix too.
	keys C-b v
	wait_for_no_screen '─ web running'
	keys C-b d
	wait_for_screen 'c console'
	keys '?'
	wait_for_screen 'corral keys'
	# The pane keys close the list.
	keys -N 60 Down
	wait_for_screen '\^B " +split-below '
	wait_for_screen '\^B x \^B v +close '
}

@test "a flooding console leaves the other console and the keys responsive" {
	open_two
	# web (right, focused) floods; db (left) must still echo at once.
	keys "yes flood-flood-flood" Enter
	wait_for_right '^flood-flood-flood'
	keys C-a Left
	keys "echo calm-\$((5*5))" Enter
	wait_for_left '^calm-25'
	keys C-a Right C-c
	keys "echo stopped-\$((2+2))" Enter
	wait_for_right '^stopped-4'
}
