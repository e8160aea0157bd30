/* The TUI's event loop: the terminal, the engine's watch stream and the
 * requests in flight, polled together, with a tick for what is polled. */
#include "tui/tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "console/layout.h"
#include "console/pane-draw.h"
#include "console/pane.h"
#include "console/scrollback.h"
#include "console/session.h"
#include "engine/client.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "tui/actions.h"
#include "tui/request.h"

/* Below this the screen says so instead of drawing a broken layout. */
#define MIN_COLS 60
#define MIN_ROWS 12
/* A quick request (dumpxml, define) may take this long. */
#define CALL_TIMEOUT_MS 5000

double tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tui_status(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	/* A multi-line engine message shows its first line. */
	char *nl = strchr(t->status, '\n');
	if (nl != NULL)
		*nl = '\0';
	t->status_error = error;
	t->dirty = true;
	if (error)
		log_info("%s", t->status);
}

/* The monitor writes its state file as the container starts, so a start
 * time may be missing at first: retried each tick until found. */
static void load_start_times(struct tui *t)
{
	if (!t->local)
		return;
	for (size_t i = 0; i < t->model.n; i++) {
		struct ct *c = t->model.v[i];
		if (model_is_running(c) && c->started == 0)
			model_load_started(c, &t->paths);
	}
}

void tui_model_changed(struct tui *t)
{
	load_start_times(t);
	tbl_rebuild(&t->view, &t->model);
	t->dirty = true;
}

static void add_pending(struct tui *t, struct req *r, const char *doing, const char *done,
			bool is_list)
{
	if (t->n_pending == TUI_MAX_PENDING) {
		req_free(r);
		tui_status(t, true, "%s: too many requests in flight", doing);
		return;
	}
	t->pending[t->n_pending++] = (struct tui_pending){
		.req = r,
		.doing = xstrdup(doing),
		.done = done != NULL ? xstrdup(done) : NULL,
		.is_list = is_list,
	};
}

void tui_request(struct tui *t, const char *op, const char *name, json_t *args,
		 const char *doing, const char *done)
{
	struct error err = ERROR_INIT;
	json_t *msg = json_pack("{s:s,s:s}", "op", op, "name", name);
	struct req *r;

	if (args != NULL)
		json_object_update_new(msg, args);
	int rc = req_start(t->sock_path, msg, &r, &err);
	json_decref(msg);
	if (rc < 0) {
		tui_status(t, true, "%s: %s", doing, err_msg(&err));
		err_clear(&err);
		return;
	}
	add_pending(t, r, doing, done, false);
	tui_status(t, false, "%s…", doing);
}

/* Asks for the list without waiting: after an action, since not every
 * change (autostart, a definition) is a state event. */
static void request_list(struct tui *t)
{
	struct error err = ERROR_INIT;
	json_t *msg = json_pack("{s:s,s:b}", "op", "list", "all", true);
	struct req *r;

	if (req_start(t->sock_path, msg, &r, &err) == 0)
		add_pending(t, r, "list", NULL, true);
	else
		err_clear(&err);
	json_decref(msg);
}

int tui_call(struct tui *t, json_t *msg, json_t **reply, struct error *err)
{
	struct req *r;

	if (req_start(t->sock_path, msg, &r, err) < 0)
		return -1;
	int rc = req_wait(r, CALL_TIMEOUT_MS, reply, err);
	req_free(r);
	return rc;
}

static void finish_pending(struct tui *t, size_t i, json_t *reply, const struct error *err)
{
	struct tui_pending *p = &t->pending[i];

	if (p->is_list) {
		if (reply != NULL && model_apply_domains(&t->model, json_object_get(reply, "domains"),
							 tui_now()))
			tui_model_changed(t);
	} else if (reply == NULL) {
		tui_status(t, true, "%s: %s", p->doing, err_msg(err));
	} else if (p->done != NULL) {
		tui_status(t, false, "%s", p->done);
	}
	if (!p->is_list)
		request_list(t);
	req_free(p->req);
	free(p->doing);
	free(p->done);
	t->pending[i] = t->pending[--t->n_pending];
}

static void step_pending(struct tui *t, size_t i)
{
	struct error err = ERROR_INIT;
	json_t *reply = NULL;
	int rc = req_step(t->pending[i].req, &reply, &err);

	if (rc != 0)
		finish_pending(t, i, reply, &err);
	json_decref(reply);
	err_clear(&err);
}

static void engine_down(struct tui *t, const struct error *err)
{
	if (t->engine != ENG_DOWN)
		log_warn("engine lost: %s", err_msg(err));
	snprintf(t->engine_error, sizeof(t->engine_error), "%s", err_msg(err));
	client_free(t->watch);
	t->watch = NULL;
	t->engine = ENG_DOWN;
	t->next_connect = tui_now() + 1;
	t->dirty = true;
}

static int apply_list(struct tui *t, struct error *err)
{
	json_t *req = json_pack("{s:s,s:b}", "op", "list", "all", true), *reply = NULL;
	int rc = client_call(t->watch, req, &reply, err);

	json_decref(req);
	if (rc < 0)
		return -1;
	if (model_apply_domains(&t->model, json_object_get(reply, "domains"), tui_now()))
		tui_model_changed(t);
	json_decref(reply);
	return 0;
}

/* Connects, loads the list and subscribes to the watch stream; an engine
 * without `watch` is polled each interval instead. */
static void engine_connect(struct tui *t, bool autostart)
{
	struct error err = ERROR_INIT;
	json_t *req, *reply = NULL;

	if (client_connect(&t->paths, t->ctx->uri, autostart, &t->watch, &err) < 0 ||
	    (client_set_timeout(t->watch, CALL_TIMEOUT_MS), apply_list(t, &err)) < 0) {
		engine_down(t, &err);
		err_clear(&err);
		return;
	}
	req = json_pack("{s:s}", "op", "watch");
	int rc = client_call(t->watch, req, &reply, &err);
	json_decref(req);
	json_decref(reply);
	if (rc == 0) {
		t->engine = ENG_WATCHING;
	} else if (client_error_code(t->watch) != NULL &&
		   strcmp(client_error_code(t->watch), "unknown-op") == 0) {
		t->engine = ENG_POLLING;
	} else {
		engine_down(t, &err);
	}
	err_clear(&err);
	t->dirty = true;
}

static void read_events(struct tui *t)
{
	struct error err = ERROR_INIT;
	json_t *ev;
	int rc;
	bool changed = false;

	while ((rc = client_next_event(t->watch, 0, &ev, &err)) == 1) {
		changed |= model_apply_event(&t->model, ev, tui_now());
		json_decref(ev);
	}
	if (rc < 0)
		engine_down(t, &err);
	err_clear(&err);
	if (changed)
		tui_model_changed(t);
}

static void tick(struct tui *t)
{
	struct error err = ERROR_INIT;
	double now = tui_now();

	model_host_update(&t->model.host, "/proc");
	load_start_times(t);
	if (t->engine == ENG_POLLING && apply_list(t, &err) < 0)
		engine_down(t, &err);
	if (t->engine == ENG_DOWN && now >= t->next_connect) {
		/* Not started by us: an engine stopped on purpose stays stopped. */
		engine_connect(t, false);
		if (t->engine != ENG_DOWN)
			tui_status(t, false, "reconnected to the engine");
		else
			t->next_connect = now + 1;
	}
	err_clear(&err);
	panes_tick(t);
	t->next_tick = now + t->interval_ms / 1000.0;
	t->dirty = true;
}

void tui_open_detail(struct tui *t)
{
	struct error err = ERROR_INIT;
	struct ct *c = tbl_selected(&t->view);
	json_t *req, *reply = NULL;

	if (c == NULL)
		return;
	t->screen = SCR_DETAIL;
	free(t->detail_name);
	t->detail_name = xstrdup(c->name);
	dom_free(t->detail_def);
	t->detail_def = NULL;
	json_decref(t->detail_info);
	t->detail_info = NULL;
	req = json_pack("{s:s,s:s}", "op", "dominfo", "name", c->name);
	if (tui_call(t, req, &reply, &err) == 0)
		t->detail_info = json_incref(json_object_get(reply, "domain"));
	json_decref(req);
	json_decref(reply);
	err_clear(&err);
	req = json_pack("{s:s,s:s,s:b}", "op", "dumpxml", "name", c->name, "inactive", false);
	if (tui_call(t, req, &reply, &err) == 0) {
		const char *xml = json_string_value(json_object_get(reply, "xml"));
		struct diags d = { 0 };
		if (xml != NULL)
			dom_parse_buffer(xml, strlen(xml), c->name, &t->detail_def, &d);
		diags_clear(&d);
	} else {
		tui_status(t, true, "details of '%s': %s", c->name, err_msg(&err));
	}
	json_decref(req);
	json_decref(reply);
	err_clear(&err);
	t->dirty = true;
}

static void init_colors(struct tui *t)
{
	t->color = has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	for (short i = 1; i < PREFS_PAIRS; i++) {
		short fg = t->prefs.fg[i], bg = t->prefs.bg[i];
		/* A 256-colour choice on an 8-colour terminal: the default. */
		init_pair(i, fg < COLORS ? fg : -1, bg < COLORS ? bg : -1);
	}
}

static void start_curses(struct tui *t)
{
	initscr();
	/* Raw: Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-S are keys for the consoles,
	 * not signals for us or flow control. */
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* The loop reads keys before it draws; curses polling the terminal
	 * again at every update would only delay an echo. */
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	/* xterm's Ctrl-arrows, whatever terminfo calls them. */
	define_key("\033[1;5A", TUI_KEY_C_UP);
	define_key("\033[1;5B", TUI_KEY_C_DOWN);
	define_key("\033[1;5D", TUI_KEY_C_LEFT);
	define_key("\033[1;5C", TUI_KEY_C_RIGHT);
	init_colors(t);
	t->cursor_on = false;
}

void tui_leave_curses(struct tui *t)
{
	def_prog_mode();
	endwin();
}

void tui_enter_curses(struct tui *t)
{
	reset_prog_mode();
	clearok(curscr, TRUE);
	flushinp();
	t->dirty = true;
	/* Whatever the engine sent meanwhile is waiting: take it now. */
	if (t->watch != NULL && t->engine == ENG_WATCHING)
		read_events(t);
}

static void filter_key(struct tui *t, int ch)
{
	size_t len = strlen(t->view.filter);

	if (ch == 27) {
		t->view.filter[0] = '\0';
		t->mode = MODE_NORMAL;
	} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		t->mode = MODE_NORMAL;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len > 0)
			t->view.filter[len - 1] = '\0';
	} else if (ch >= 32 && ch < 127 && len + 1 < sizeof(t->view.filter)) {
		t->view.filter[len] = (char)ch;
		t->view.filter[len + 1] = '\0';
	}
	tbl_rebuild(&t->view, &t->model);
}

static void mouse_event(struct tui *t)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		tbl_move(&t->view, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		tbl_move(&t->view, 3);
	} else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
		if (t->screen != SCR_TABLE || t->mode != MODE_NORMAL)
			return;
		enum layout_part part;
		int id = layout_hit(t->lay, ev.x, ev.y - t->area_y, &part);
		if (id < 0)
			return;
		panes_focus(t, id);
		if (id == TUI_TABLE_PANE)
			scr_table_click(t, ev.x, ev.y, ev.y == t->table_y - 1);
	}
}

static void handle_key(struct tui *t, int ch)
{
	t->dirty = true;
	if (ch == KEY_RESIZE)
		return;
	if (ch == KEY_MOUSE) {
		mouse_event(t);
		return;
	}
	switch (t->mode) {
	case MODE_FILTER:
		filter_key(t, ch);
		return;
	case MODE_CONFIRM:
		if (ch == 'y' || ch == 'Y') {
			act_confirmed(t);
		} else {
			t->mode = MODE_NORMAL;
			tui_status(t, false, "%s cancelled", t->confirm->name);
		}
		return;
	case MODE_HELP:
		if (ch == KEY_DOWN || ch == 'j' || ch == KEY_NPAGE)
			t->help_top += ch == KEY_NPAGE ? 10 : 1;
		else if (ch == KEY_UP || ch == 'k' || ch == KEY_PPAGE)
			t->help_top -= ch == KEY_PPAGE ? 10 : 1;
		else
			t->mode = MODE_NORMAL;
		t->help_top = t->help_top < 0 ? 0 : t->help_top;
		return;
	case MODE_NORMAL:
	case MODE_SCROLL:
	case MODE_SEARCH:
		break;
	}
	/* nonl() makes Enter arrive as '\r'. */
	const struct tui_action *a = act_for_key(t, ch == '\r' ? '\n' : ch);
	if (a != NULL)
		act_dispatch(t, a);
	else if (ch != ERR)
		t->status[0] = '\0';
}

/* Keys for a console: Ctrl-arrows come as our own codes. */
static void console_key(struct tui_pane *tp, bool keycode, wint_t key)
{
	static const int ctrl_arrows[][2] = {
		{ TUI_KEY_C_UP, KEY_UP },
		{ TUI_KEY_C_DOWN, KEY_DOWN },
		{ TUI_KEY_C_LEFT, KEY_LEFT },
		{ TUI_KEY_C_RIGHT, KEY_RIGHT },
	};
	unsigned mods = 0;

	for (size_t i = 0; keycode && i < 4; i++)
		if ((int)key == ctrl_arrows[i][0]) {
			key = (wint_t)ctrl_arrows[i][1];
			mods = PANE_MOD_CTRL;
		}
	pane_key(session_pane(tp->s), keycode, key, mods);
}

/* Older lines holding t->search, from the one above the top row back. */
static void search_back(struct tui *t, struct tui_pane *tp)
{
	const struct sb *sb = pane_scrollback(session_pane(tp->s));

	for (size_t i = t->scroll; t->search[0] != '\0' && i < sb_count(sb); i++) {
		size_t len;
		const char *text = sb_text(sb, i, &len);
		if (text != NULL && memmem(text, len, t->search, strlen(t->search)) != NULL) {
			t->scroll = i + 1;
			return;
		}
	}
	tui_status(t, true, "'%s' not found further back", t->search);
}

static void scroll_key(struct tui *t, struct tui_pane *tp, bool keycode, int key)
{
	size_t count = sb_count(pane_scrollback(session_pane(tp->s)));
	size_t len = strlen(t->search);
	int rows, cols;

	pane_size(session_pane(tp->s), &rows, &cols);
	size_t page = rows > 2 ? (size_t)rows - 1 : 1;
	if (t->mode == MODE_SEARCH) {
		if (!keycode && key == 27) {
			t->mode = MODE_SCROLL;
		} else if (!keycode && (key == '\r' || key == '\n')) {
			t->mode = MODE_SCROLL;
			search_back(t, tp);
		} else if ((keycode && key == KEY_BACKSPACE) || (!keycode && (key == 127 || key == 8))) {
			if (len > 0)
				t->search[len - 1] = '\0';
		} else if (!keycode && key >= 32 && key < 127 && len + 1 < sizeof(t->search)) {
			t->search[len] = (char)key;
			t->search[len + 1] = '\0';
		}
	} else if (keycode && key == KEY_PPAGE) {
		t->scroll += page;
	} else if (keycode && key == KEY_NPAGE) {
		t->scroll = t->scroll > page ? t->scroll - page : 0;
	} else if ((keycode && key == KEY_UP) || (!keycode && key == 'k')) {
		t->scroll++;
	} else if ((keycode && key == KEY_DOWN) || (!keycode && key == 'j')) {
		t->scroll = t->scroll > 0 ? t->scroll - 1 : 0;
	} else if (!keycode && key == '/') {
		t->mode = MODE_SEARCH;
		t->search[0] = '\0';
	} else if (!keycode && key == 'n') {
		search_back(t, tp);
	} else if (!keycode && (key == 'q' || key == 27)) {
		t->mode = MODE_NORMAL;
		t->scroll = 0;
	}
	t->scroll = t->scroll > count ? count : t->scroll;
	tp->full = true;
	t->dirty = true;
}

static void input(struct tui *t, bool keycode, wint_t wch)
{
	int key = (int)wch;
	struct tui_pane *tp = t->screen == SCR_TABLE ? panes_focused(t) : NULL;
	bool is_prefix = !keycode && key == act_prefix_key(t);

	if (keycode && key == KEY_RESIZE) {
		panes_relayout(t);
		clearok(curscr, TRUE);
		return;
	}
	if (t->prefix) {
		t->prefix = false;
		t->dirty = true;
		if (is_prefix) {
			if (tp != NULL)
				console_key(tp, false, wch);
			return;
		}
		const struct tui_action *a = act_for_pane_key(t, key == '\r' ? '\n' : key);
		if (a != NULL)
			act_dispatch(t, a);
		else
			tui_status(t, true, "no pane key there (? lists them)");
		return;
	}
	if (is_prefix && (t->mode == MODE_NORMAL || t->mode == MODE_SCROLL)) {
		t->prefix = true;
		return;
	}
	if (tp != NULL && !(keycode && key == KEY_MOUSE)) {
		if (t->mode == MODE_SCROLL || t->mode == MODE_SEARCH)
			scroll_key(t, tp, keycode, key);
		else if (t->mode == MODE_NORMAL)
			console_key(tp, keycode, wch);
		else
			handle_key(t, key);
		return;
	}
	/* The table's keys are all ASCII. */
	if (!keycode && wch > 255)
		return;
	handle_key(t, key);
}

/* stdscr (the frame and the table) when something there changed, the
 * consoles from their damage, and one doupdate for both. */
static void draw(struct tui *t)
{
	struct timespec a, b;
	bool frame = t->dirty, small = COLS < MIN_COLS || LINES < MIN_ROWS;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (frame) {
		erase();
		if (small) {
			mvprintw(0, 0, "corral needs at least %dx%d (this is %dx%d)", MIN_COLS,
				 MIN_ROWS, COLS, LINES);
		} else {
			scr_frame_draw(t);
			if (t->mode == MODE_HELP)
				scr_help_draw(t);
		}
		wnoutrefresh(stdscr);
		t->dirty = false;
	}
	bool out = !small && scr_panes_flush(t, frame);
	if (!frame && !out)
		return;
	doupdate();
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* For bench/: what one frame costs, drawing and output together. */
	log_debug("frame %.3f ms", (double)(b.tv_sec - a.tv_sec) * 1e3 +
					    (double)(b.tv_nsec - a.tv_nsec) / 1e6);
}

static void open_log(struct tui *t)
{
	if (t->ctx->debug) {
		_cleanup_free_ char *path = xasprintf("%s/tui.log", t->paths.log_dir);
		if (log_open(path, LOG_LVL_DEBUG) == 0)
			return;
	}
	/* Nowhere: curses owns the terminal, and stderr is the terminal. */
	log_open("/dev/null", LOG_LVL_ERROR);
}

static void loop(struct tui *t)
{
	struct pollfd pfd[2 + TUI_MAX_PENDING + TUI_MAX_PANES];
	struct tui_pane *polled[TUI_MAX_PANES];
	int parse_ms = -1;

	while (!t->quit) {
		draw(t);
		size_t n = 0;
		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		int watch_at = -1;
		if (t->watch != NULL && t->engine == ENG_WATCHING) {
			watch_at = (int)n;
			pfd[n++] = (struct pollfd){ .fd = client_fd(t->watch), .events = POLLIN };
		}
		size_t first_req = n;
		for (size_t i = 0; i < t->n_pending; i++)
			pfd[n++] = (struct pollfd){ .fd = req_fd(t->pending[i].req),
						    .events = req_events(t->pending[i].req) };
		size_t first_pane = n, n_polled = 0;
		for (size_t i = 0; i < t->n_panes; i++) {
			struct tui_pane *tp = t->panes[i];
			short ev = session_events(tp->s);
			if (session_fd(tp->s) < 0 || ev == 0)
				continue;
			polled[n_polled++] = tp;
			pfd[n++] = (struct pollfd){ .fd = session_fd(tp->s), .events = ev };
		}
		double wait = (t->next_tick - tui_now()) * 1000;
		int timeout = wait < 0 ? 0 : (int)wait + 1;
		/* Output still to parse: back when its next slice is due. */
		if (parse_ms >= 0 && parse_ms < timeout)
			timeout = parse_ms;
		int rc = poll(pfd, n, timeout);
		if (rc < 0 && errno != EINTR)
			break;
		/* The terminal is gone (its window closed): nobody to draw for. */
		if (rc > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		/* EINTR is usually SIGWINCH: curses has a KEY_RESIZE for us. */
		/* Before anything may close a pane: polled[] must stay valid. */
		for (size_t i = 0; rc > 0 && i < n_polled; i++)
			if (pfd[first_pane + i].revents != 0)
				panes_io(t, polled[i], pfd[first_pane + i].revents);
		wint_t wch;
		int got;
		while (!t->quit && (got = get_wch(&wch)) != ERR)
			input(t, got == KEY_CODE_YES, wch);
		if (rc > 0 && watch_at >= 0 && pfd[watch_at].revents != 0)
			read_events(t);
		/* Backwards: finishing one moves the last into its slot. */
		for (size_t i = first_pane; rc > 0 && i-- > first_req;)
			if (pfd[i].revents != 0 && i - first_req < t->n_pending)
				step_pending(t, i - first_req);
		parse_ms = panes_process(t);
		if (tui_now() >= t->next_tick)
			tick(t);
	}
}

int tui_run(struct cli_ctx *ctx)
{
	struct error err = ERROR_INIT;
	struct tui t = { .ctx = ctx, .interval_ms = 1000 };
	bool is_default = false;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_error(ctx, "the full-screen TUI needs a terminal; use a verb for "
				      "scripts (corral help)");
	if (paths_init(&t.paths, ctx->root, &err) < 0 ||
	    client_uri_socket(&t.paths, ctx->uri, &t.sock_path, &is_default, &err) < 0) {
		cli_error(ctx, "%s", err_msg(&err));
		err_clear(&err);
		paths_free(&t.paths);
		return 1;
	}
	t.local = is_default;
	open_log(&t);
	setlocale(LC_ALL, "");
	t.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	model_init(&t.model);
	tbl_view_init(&t.view);
	prefs_init(&t.prefs);
	if (prefs_load(&t.prefs, &err) < 0) {
		tui_status(&t, true, "%s", err_msg(&err));
		err_clear(&err);
	}
	model_host_identify(&t.model.host, "/sys/fs/cgroup");
	model_host_update(&t.model.host, "/proc");
	/* Before curses: starting an engine may take a moment, and says why
	 * it failed on stderr. */
	engine_connect(&t, true);
	start_curses(&t);
	panes_init(&t);
	t.next_tick = tui_now() + t.interval_ms / 1000.0;
	t.dirty = true;
	loop(&t);
	panes_free(&t);
	endwin();

	for (size_t i = 0; i < t.n_pending; i++) {
		req_free(t.pending[i].req);
		free(t.pending[i].doing);
		free(t.pending[i].done);
	}
	client_free(t.watch);
	dom_free(t.detail_def);
	json_decref(t.detail_info);
	free(t.detail_name);
	free(t.confirm_name);
	tbl_view_free(&t.view);
	model_free(&t.model);
	free(t.sock_path);
	paths_free(&t.paths);
	return 0;
}
