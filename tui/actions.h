/* The TUI's actions as one table: name, keys, help, flags. Dispatch, the
 * footer and the help overlay all read it, so they never drift. */
#ifndef CORRAL_TUI_ACTIONS_H
#define CORRAL_TUI_ACTIONS_H

#include <stdbool.h>

#include "tui/tui.h"

enum act_flags {
	ACT_ROW = 1 << 0,         /* works on the selected container */
	ACT_DESTRUCTIVE = 1 << 1, /* asks for confirmation first */
	ACT_TABLE = 1 << 2,       /* bound in the table */
	ACT_DETAIL = 1 << 3,      /* bound in the detail view */
	ACT_FOOTER_END = 1 << 4,  /* always in the footer, at its right end */
	ACT_PANE = 1 << 5,        /* a pane key: bound after the prefix key */
};

#define ACT_MAX_KEYS 4

struct tui_action {
	const char *name;
	int keys[ACT_MAX_KEYS]; /* curses key codes; 0 ends the list */
	const char *keynames;   /* as the help shows them, a pane key without the prefix */
	const char *help;
	const char *footer;     /* short label for the footer, NULL: help only */
	unsigned flags;
	int arg;                /* the column of a sort action */
	/* NULL: always. Otherwise whether the action makes sense for c now. */
	bool (*applies)(const struct ct *c);
	void (*run)(struct tui *t, struct ct *c, const struct tui_action *a);
};

extern const struct tui_action tui_actions[];

/* The action bound to key on the current screen, or NULL. */
const struct tui_action *act_for_key(const struct tui *t, int key);
/* The action bound to key after the prefix, or NULL. */
const struct tui_action *act_for_pane_key(const struct tui *t, int key);
/* The prefix key: corral.conf may bind another to "prefix". t NULL: the
 * default, for the man page. */
int act_prefix_key(const struct tui *t);
/* The keys of a as the help overlay (t) and the man page (t NULL) show
 * them: pane keys after the prefix key in force, with what corral.conf
 * adds. */
void act_keys_text(const struct tui *t, const struct tui_action *a, char *out, size_t size);
/* a's footer label, with the prefix key in force where it names it. */
void act_footer_text(const struct tui *t, const struct tui_action *a, char *out, size_t size);
/* Whether a is shown and allowed now, for the footer. */
bool act_available(const struct tui *t, const struct tui_action *a);
/* Runs a for the selected container: checks it applies, asks first when
 * destructive, reports on the status line why not. */
void act_dispatch(struct tui *t, const struct tui_action *a);
/* Runs the action being confirmed, after a yes. */
void act_confirmed(struct tui *t);

#endif
