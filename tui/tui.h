/* The full-screen TUI, `corral` with no verb: the live container table, the
 * detail view and the help overlay, in one event loop. The state below is
 * shared by the screens and the actions of tui/. */
#ifndef CORRAL_TUI_TUI_H
#define CORRAL_TUI_TUI_H

#include <jansson.h>
#include <stdbool.h>

#include "config/paths.h"
#include "tui/cli.h"
#include "tui/model.h"
#include "tui/prefs.h"
#include "tui/table.h"

struct client;
struct domain;
struct layout;
struct pdraw;
struct req;
struct session;
struct tui_action;
typedef struct _win_st WINDOW;

enum tui_screen { SCR_TABLE, SCR_DETAIL };
/* MODE_SCROLL and MODE_SEARCH look back in the focused console pane. */
enum tui_mode { MODE_NORMAL, MODE_FILTER, MODE_CONFIRM, MODE_HELP, MODE_SCROLL, MODE_SEARCH };
/* How the TUI hears from the engine: its watch stream, or by asking for
 * the list each interval (an engine without `watch`), or not at all. */
enum tui_engine { ENG_WATCHING, ENG_POLLING, ENG_DOWN };

enum tui_pair {
	PAIR_RUNNING = 1,
	PAIR_PAUSED,
	PAIR_SHUTOFF,
	PAIR_CRASHED,
	PAIR_ALARM,
	PAIR_TITLE,
	PAIR_GRAPH,
	PAIR_ERROR,
	PAIR_BANNER,
};

/* A request in flight and what to say when it ends. */
struct tui_pending {
	struct req *req;
	char *doing; /* "start 'web'" */
	char *done;  /* "started 'web'", NULL for quiet requests */
	bool is_list;
};

#define TUI_MAX_PENDING 16
#define TUI_MAX_PANES 16
/* The container table's id in the pane layout. */
#define TUI_TABLE_PANE 0
/* Ctrl-arrows, defined at start: terminfo names them differently or not
 * at all. */
#define TUI_KEY_C_UP (KEY_MAX + 1)
#define TUI_KEY_C_DOWN (KEY_MAX + 2)
#define TUI_KEY_C_LEFT (KEY_MAX + 3)
#define TUI_KEY_C_RIGHT (KEY_MAX + 4)

/* A console pane: the session feeding it and the window it is drawn in. */
struct tui_pane {
	int id;
	struct session *s;
	WINDOW *win; /* NULL while hidden by a zoom */
	bool full;   /* every row at the next draw */
	double next_attach; /* a stopped console tries again from then */
	bool flooded;       /* more output than it parses per turn keeps coming */
	double next_parse;  /* a flooded console parses again from then */
};

struct tui {
	struct cli_ctx *ctx;
	struct paths paths;
	char *sock_path;
	bool local; /* the engine of our own root: its run dir is readable */
	struct client *watch;
	enum tui_engine engine;
	char engine_error[160];
	double next_connect;

	struct prefs prefs;
	struct model model;
	struct tbl_view view;
	struct tbl_layout layout;
	struct tui_pending pending[TUI_MAX_PENDING];
	size_t n_pending;

	enum tui_screen screen;
	enum tui_mode mode;
	const struct tui_action *confirm; /* asked about in MODE_CONFIRM */
	char *confirm_name;
	int help_top;

	char status[256];
	bool status_error;

	int interval_ms;
	double next_tick;
	bool utf8, color, quit, dirty;
	int table_y; /* screen row of the first table row, for the mouse */

	struct layout *lay; /* the table (TUI_TABLE_PANE) and the consoles */
	struct pdraw *pdraw;
	struct tui_pane *panes[TUI_MAX_PANES];
	size_t n_panes;
	int focus;        /* pane id */
	int last_console; /* where the next console splits off; -1: none */
	int next_id;
	bool prefix;      /* the prefix key came: a pane key follows */
	int area_y, area_h; /* the screen rows the layout has */
	int table_x, table_w;
	bool cursor_on;
	size_t scroll;    /* lines back in MODE_SCROLL */
	char search[64];

	char *detail_name; /* what the detail view shows */
	struct domain *detail_def;
	json_t *detail_info;
};

int tui_run(struct cli_ctx *ctx);

/* Wall-clock seconds, as sample times are. */
double tui_now(void);
/* The status line; errors stand out. */
void tui_status(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends {op, name, args…} without waiting; the status line says doing now
 * and done (or the engine's error) when the reply comes. args may be NULL
 * (stolen otherwise). */
void tui_request(struct tui *t, const char *op, const char *name, json_t *args,
		 const char *doing, const char *done);
/* A quick request answered before returning (dumpxml, dominfo, define). */
int tui_call(struct tui *t, json_t *req, json_t **reply, struct error *err);
/* Rebuilds the view after the model changed and marks the screen dirty. */
void tui_model_changed(struct tui *t);
/* Gives the terminal to a child (editor, console) and takes it back. */
void tui_leave_curses(struct tui *t);
void tui_enter_curses(struct tui *t);
/* Loads the detail view's data for the selected container. */
void tui_open_detail(struct tui *t);

/* Screens (screen-*.c). */
void scr_frame_draw(struct tui *t);
void scr_table_draw(struct tui *t, int x, int y, int w, int height);
void scr_table_click(struct tui *t, int x, int y, bool header);
void scr_detail_draw(struct tui *t, int y, int height);
void scr_help_draw(struct tui *t);
/* The pane layout: borders, titles and the table pane on stdscr. */
void scr_panes_draw(struct tui *t);
/* The console panes' windows, after stdscr; frame: stdscr was drawn anew
 * over them. Returns whether anything was put out for doupdate. */
bool scr_panes_flush(struct tui *t, bool frame);

/* Console panes (panes.c). */
void panes_init(struct tui *t);
void panes_free(struct tui *t);
/* Opens c's console in a new pane split off as how says (-1: below the
 * table, or beside the last console), or focuses the pane it has. */
void panes_open(struct tui *t, const char *name, int how);
void panes_close(struct tui *t, int id);
struct tui_pane *panes_find(const struct tui *t, int id);
struct tui_pane *panes_focused(const struct tui *t);
/* Fits the layout to the screen and every console to its pane. */
void panes_relayout(struct tui *t);
void panes_focus(struct tui *t, int id);
/* Attaches again the consoles of containers that run again. */
void panes_tick(struct tui *t);
/* Reads a console's stream after poll said so. */
void panes_io(struct tui *t, struct tui_pane *tp, short revents);
/* Parses what came in, a bounded slice per pane; returns how long the loop
 * may sleep before the next slice is due, in ms (-1: no slice waits). */
int panes_process(struct tui *t);

#endif
