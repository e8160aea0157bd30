#!/usr/bin/env bats
# e: the definition in $EDITOR, validated before it is defined.

load helpers

setup() {
	tui_setup
	start_engine
	define web
}

teardown() {
	tui_teardown
}

# corral with EDITOR set; the editors here are sed, run without a shell.
tui_with_editor() {
	tmux -L "$TS" -f /dev/null new-session -d -x 120 -y 40 \
		"env EDITOR='$1' VISUAL= $BIN/corral --root $ROOT"
}

@test "e edits the definition, validates it and defines it" {
	tui_with_editor "sed -i s/65536/131072/"
	wait_for_screen ' web +shut off'
	keys e
	wait_for_screen "defined 'web'"
	run request '{"id":1,"op":"dumpxml","name":"web","inactive":true}'
	[[ "$output" == *131072* ]]
}

@test "an invalid edit is shown and can be discarded; the definition stays" {
	tui_with_editor "sed -i s/<memory/<memry/"
	wait_for_screen ' web +shut off'
	keys e
	wait_for_screen 'The definition is not valid'
	wait_for_screen 'Edit again\? \[Y/n\]'
	keys n Enter
	wait_for_screen "edit of 'web' discarded"
	wait_for_screen ' web +shut off'
	run request '{"id":1,"op":"dumpxml","name":"web","inactive":true}'
	[[ "$output" == *65536* ]]
}

@test "an unchanged edit says so" {
	tui_with_editor "true"
	wait_for_screen ' web +shut off'
	keys e
	wait_for_screen "'web' unchanged"
}
