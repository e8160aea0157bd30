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
struct req;
struct tui_action;

enum tui_screen { SCR_TABLE, SCR_DETAIL };
enum tui_mode { MODE_NORMAL, MODE_FILTER, MODE_CONFIRM, MODE_HELP };
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
void scr_table_draw(struct tui *t, int y, int height);
void scr_table_click(struct tui *t, int x, int y, bool header);
void scr_detail_draw(struct tui *t, int y, int height);
void scr_help_draw(struct tui *t);

#endif
