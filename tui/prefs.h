/* The operator's preferences from ~/.config/corral/corral.conf: key
 * bindings on top of the actions table, and colours.
 *
 *   bind KEY ACTION     KEY: a character, C-x, F1..F12, Enter, Esc, Tab,
 *                       Space, Up, Down, Left, Right, PgUp, PgDn, Home, End;
 *                       ACTION: a name from the help overlay, or none
 *   color ELEMENT FG [BG]   ELEMENT: running paused shutoff crashed alarm
 *                       title graph error banner; colours by name or 0-255
 *   # a comment, on a line of its own
 */
#ifndef CORRAL_TUI_PREFS_H
#define CORRAL_TUI_PREFS_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct tui_action;

#define PREFS_MAX_BINDS 64
/* Indexed by enum tui_pair; 0 unused. */
#define PREFS_PAIRS 10

struct prefs_bind {
	int key;
	const struct tui_action *action; /* NULL: the key does nothing */
};

struct prefs {
	struct prefs_bind binds[PREFS_MAX_BINDS];
	size_t n_binds;
	short fg[PREFS_PAIRS], bg[PREFS_PAIRS]; /* -1: the terminal's default */
};

/* The default colours, no extra bindings. */
void prefs_init(struct prefs *p);
/* Reads text (the file's contents). On a bad line, fails with
 * "FILE:LINE: what" in err after reading the rest. */
int prefs_parse(struct prefs *p, const char *text, const char *file, struct error *err);
/* $XDG_CONFIG_HOME/corral/corral.conf or ~/.config/corral/corral.conf; a
 * missing file is no error. */
int prefs_load(struct prefs *p, struct error *err);

/* A key's code from its name, -1 when unknown; and back. */
int prefs_key_parse(const char *name);
void prefs_key_name(int key, char *out, size_t size);
/* The binding of key, or NULL when the file does not bind it. */
const struct prefs_bind *prefs_bound(const struct prefs *p, int key);

#endif
