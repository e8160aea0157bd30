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
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	init_colors(t);
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
		if (t->screen == SCR_TABLE && t->mode == MODE_NORMAL)
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
		break;
	}
	/* nonl() makes Enter arrive as '\r'. */
	const struct tui_action *a = act_for_key(t, ch == '\r' ? '\n' : ch);
	if (a != NULL)
		act_dispatch(t, a);
	else if (ch != ERR)
		t->status[0] = '\0';
}

static void draw(struct tui *t)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	erase();
	if (COLS < MIN_COLS || LINES < MIN_ROWS) {
		mvprintw(0, 0, "corral needs at least %dx%d (this is %dx%d)", MIN_COLS, MIN_ROWS,
			 COLS, LINES);
	} else {
		scr_frame_draw(t);
		if (t->mode == MODE_HELP)
			scr_help_draw(t);
	}
	refresh();
	t->dirty = false;
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
	struct pollfd pfd[2 + TUI_MAX_PENDING];

	while (!t->quit) {
		if (t->dirty)
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
		double wait = (t->next_tick - tui_now()) * 1000;
		int rc = poll(pfd, n, wait < 0 ? 0 : (int)wait + 1);
		if (rc < 0 && errno != EINTR)
			break;
		/* The terminal is gone (its window closed): nobody to draw for. */
		if (rc > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		/* EINTR is usually SIGWINCH: curses has a KEY_RESIZE for us. */
		int ch;
		while ((ch = getch()) != ERR && !t->quit)
			handle_key(t, ch);
		if (rc > 0 && watch_at >= 0 && pfd[watch_at].revents != 0)
			read_events(t);
		/* Backwards: finishing one moves the last into its slot. */
		for (size_t i = n; rc > 0 && i-- > first_req;)
			if (pfd[i].revents != 0 && i - first_req < t->n_pending)
				step_pending(t, i - first_req);
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
	t.next_tick = tui_now() + t.interval_ms / 1000.0;
	t.dirty = true;
	loop(&t);
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
