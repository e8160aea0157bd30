/* The TUI's actions: the table every key, the footer and the help read, and
 * what each action does. */
#include "tui/actions.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "console/layout.h"
#include "console/pane.h"
#include "console/session.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

#define CTRL(c) ((c) & 0x1f)

static bool is_running(const struct ct *c)
{
	return strcmp(c->state, "running") == 0;
}

static bool is_active(const struct ct *c)
{
	return model_is_running(c);
}

static bool is_inactive(const struct ct *c)
{
	return !model_is_running(c);
}

static bool is_persistent(const struct ct *c)
{
	return c->persistent;
}

static void lifecycle(struct tui *t, struct ct *c, const char *op, const char *doing,
		      const char *done)
{
	_cleanup_free_ char *d1 = xasprintf("%s '%s'", doing, c->name);
	_cleanup_free_ char *d2 = xasprintf("%s '%s'", done, c->name);

	tui_request(t, op, c->name, NULL, d1, d2);
}

static void run_start(struct tui *t, struct ct *c, const struct tui_action *a)
{
	lifecycle(t, c, "start", "starting", "started");
}

static void run_shutdown(struct tui *t, struct ct *c, const struct tui_action *a)
{
	lifecycle(t, c, "shutdown", "shutting down", "shut down");
}

static void run_destroy(struct tui *t, struct ct *c, const struct tui_action *a)
{
	lifecycle(t, c, "destroy", "destroying", "destroyed");
}

static void run_reboot(struct tui *t, struct ct *c, const struct tui_action *a)
{
	lifecycle(t, c, "reboot", "rebooting", "rebooted");
}

static void run_pause(struct tui *t, struct ct *c, const struct tui_action *a)
{
	if (strcmp(c->state, "paused") == 0)
		lifecycle(t, c, "resume", "resuming", "resumed");
	else
		lifecycle(t, c, "suspend", "suspending", "suspended");
}

static void run_autostart(struct tui *t, struct ct *c, const struct tui_action *a)
{
	bool on = !c->autostart;
	_cleanup_free_ char *doing = xasprintf("autostart of '%s' %s", c->name, on ? "on" : "off");

	tui_request(t, "autostart", c->name, json_pack("{s:b}", "enable", on), doing, doing);
}

static void run_undefine(struct tui *t, struct ct *c, const struct tui_action *a)
{
	lifecycle(t, c, "undefine", "undefining", "undefined");
}

/* Runs argv in the foreground with the terminal; the TUI ignores the
 * keyboard's signals meanwhile, as system() does. Returns the wait status
 * or -1. */
static int run_child(char *const argv[], bool search_path, struct error *err)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status = -1;
	pid_t pid;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (search_path)
			execvp(argv[0], argv);
		else
			execv(argv[0], argv);
		fprintf(stderr, "corral: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		err_sys(err, "fork");
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return pid < 0 ? -1 : status;
}

/* Asks on the plain terminal (curses is away); true for yes, or for
 * nothing typed when yes is the default. */
static bool ask(const char *question, bool dflt)
{
	char line[32];

	printf("%s [%s] ", question, dflt ? "Y/n" : "y/N");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	if (line[0] == '\n')
		return dflt;
	return line[0] == 'y' || line[0] == 'Y';
}

/* $VISUAL or $EDITOR split on blanks (never through a shell), then path. */
static int run_editor(const char *path, struct error *err)
{
	const char *env = getenv("VISUAL");
	_cleanup_free_ char *copy = NULL;
	char *argv[16], *save = NULL;
	int n = 0;

	if (env == NULL || env[0] == '\0')
		env = getenv("EDITOR");
	copy = xstrdup(env != NULL && env[0] != '\0' ? env : "vi");
	for (char *w = strtok_r(copy, " \t", &save); w != NULL && n < 14;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n++] = (char *)path;
	argv[n] = NULL;
	int status = run_child(argv, true, err);
	if (status < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, 0, "the editor '%s' failed (status %d)", argv[0],
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

static char *read_all(const char *path, size_t *len, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 8192, used = 0;
	_cleanup_free_ char *buf = NULL;
	ssize_t n;

	if (fd < 0) {
		err_sys(err, "open '%s'", path);
		return NULL;
	}
	buf = xmalloc(cap + 1);
	while ((n = read(fd, buf + used, cap - used)) > 0) {
		used += (size_t)n;
		if (used > DOM_XML_MAX) {
			err_set(err, EFBIG, "'%s' is larger than %u bytes", path, DOM_XML_MAX);
			return NULL;
		}
		if (used == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	if (n < 0) {
		err_sys(err, "read '%s'", path);
		return NULL;
	}
	buf[used] = '\0';
	*len = used;
	return move_ptr(buf);
}

/* One round of the edit: editor, validation, define. Returns 1 when done
 * (the status line says how), 0 to offer another edit, with the problem
 * printed. */
static int edit_round(struct tui *t, const char *name, const char *path, const char *orig)
{
	struct error err = ERROR_INIT;
	struct diags d = { 0 };
	struct domain *dom = NULL;
	json_t *reply = NULL;
	size_t len;

	if (run_editor(path, &err) < 0) {
		tui_status(t, true, "edit '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return 1;
	}
	_cleanup_free_ char *xml = read_all(path, &len, &err);
	if (xml == NULL) {
		tui_status(t, true, "edit '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return 1;
	}
	if (strcmp(xml, orig) == 0) {
		tui_status(t, false, "'%s' unchanged", name);
		return 1;
	}
	int rc = dom_parse_buffer(xml, len, path, &dom, &d);
	if (rc < 0) {
		_cleanup_free_ char *text = diag_format_all(&d);
		printf("\nThe definition is not valid:\n%s\n", text != NULL ? text : "");
		diags_clear(&d);
		return 0;
	}
	diags_clear(&d);
	dom_free(dom);
	json_t *req = json_pack("{s:s,s:s,s:s}", "op", "define", "xml", xml, "file", path);
	rc = tui_call(t, req, &reply, &err);
	json_decref(req);
	if (rc < 0) {
		printf("\nThe engine refused the definition:\n%s\n", err_msg(&err));
		err_clear(&err);
		return 0;
	}
	const char *defined = json_string_value(json_object_get(reply, "name"));
	const struct ct *c = model_find(&t->model, name);
	tui_status(t, false, "defined '%s'%s", defined != NULL ? defined : name,
		   c != NULL && is_active(c) ? " (takes effect at the next start)" : "");
	json_decref(reply);
	return 1;
}

static void run_edit(struct tui *t, struct ct *c, const struct tui_action *a)
{
	struct error err = ERROR_INIT;
	json_t *reply = NULL;
	_cleanup_free_ char *name = xstrdup(c->name);
	char path[] = "/tmp/corral-edit-XXXXXX.xml";
	json_t *req = json_pack("{s:s,s:s,s:b}", "op", "dumpxml", "name", name, "inactive", true);
	int rc = tui_call(t, req, &reply, &err);

	json_decref(req);
	if (rc < 0) {
		tui_status(t, true, "edit '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return;
	}
	const char *xml = json_string_value(json_object_get(reply, "xml"));
	int fd = mkstemps(path, 4);
	if (fd < 0 || xml == NULL || write(fd, xml, strlen(xml)) != (ssize_t)strlen(xml)) {
		tui_status(t, true, "edit '%s': cannot write '%s': %s", name, path,
			   strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		json_decref(reply);
		return;
	}
	close(fd);
	tui_leave_curses(t);
	while (edit_round(t, name, path, xml) == 0) {
		if (!ask("Edit again?", true)) {
			tui_status(t, false, "edit of '%s' discarded", name);
			break;
		}
	}
	unlink(path);
	json_decref(reply);
	tui_enter_curses(t);
}

/* The console opens in a pane beside the table (or focuses the pane it
 * has); the container keeps running when the pane closes. */
static void run_console(struct tui *t, struct ct *c, const struct tui_action *a)
{
	t->screen = SCR_TABLE;
	panes_open(t, c->name, -1);
}

static void run_split(struct tui *t, struct ct *c, const struct tui_action *a)
{
	panes_open(t, c->name, a->arg);
}

static void run_prefix(struct tui *t, struct ct *c, const struct tui_action *a)
{
	struct tui_pane *tp = panes_focused(t);

	if (tp != NULL)
		pane_key(session_pane(tp->s), false, (wint_t)act_prefix_key(t), 0);
}

static void run_focus(struct tui *t, struct ct *c, const struct tui_action *a)
{
	int id = layout_neighbour(t->lay, t->focus, (enum layout_dir)a->arg);

	if (id >= 0)
		panes_focus(t, id);
}

static void run_resize(struct tui *t, struct ct *c, const struct tui_action *a)
{
	if (layout_resize_pane(t->lay, t->focus, (enum layout_dir)a->arg, 2) != 0)
		panes_relayout(t);
}

static void run_zoom(struct tui *t, struct ct *c, const struct tui_action *a)
{
	struct error err = ERROR_INIT;

	if (layout_zoomed(t->lay) >= 0)
		layout_unzoom(t->lay);
	else if (layout_count(t->lay) > 1 && layout_zoom(t->lay, t->focus, &err) < 0)
		tui_status(t, true, "zoom: %s", err_msg(&err));
	err_clear(&err);
	panes_relayout(t);
}

static void run_close(struct tui *t, struct ct *c, const struct tui_action *a)
{
	if (t->focus == TUI_TABLE_PANE)
		tui_status(t, true, "the table stays; x closes a console pane");
	else
		panes_close(t, t->focus);
}

static void run_scrollback(struct tui *t, struct ct *c, const struct tui_action *a)
{
	if (panes_focused(t) == NULL)
		return;
	t->mode = MODE_SCROLL;
	t->scroll = 0;
}

static void run_table(struct tui *t, struct ct *c, const struct tui_action *a)
{
	panes_focus(t, TUI_TABLE_PANE);
}

static void run_details(struct tui *t, struct ct *c, const struct tui_action *a)
{
	tui_open_detail(t);
}

static void run_back(struct tui *t, struct ct *c, const struct tui_action *a)
{
	t->screen = SCR_TABLE;
}

static void run_move(struct tui *t, struct ct *c, const struct tui_action *a)
{
	int page = LINES - t->table_y - 2;

	page = page > 1 ? page : 1;
	switch (a->arg) {
	case 0:
		tbl_move(&t->view, -1);
		break;
	case 1:
		tbl_move(&t->view, 1);
		break;
	case 2:
		tbl_move(&t->view, -page);
		break;
	case 3:
		tbl_move(&t->view, page);
		break;
	case 4:
		tbl_set_cursor(&t->view, 0);
		break;
	default:
		tbl_set_cursor(&t->view, t->view.n > 0 ? t->view.n - 1 : 0);
		break;
	}
	/* The detail view follows the cursor. */
	if (t->screen == SCR_DETAIL)
		tui_open_detail(t);
}

static void run_sort(struct tui *t, struct ct *c, const struct tui_action *a)
{
	tbl_sort_by(&t->view, &t->model, (enum col)a->arg);
}

static void run_sort_step(struct tui *t, struct ct *c, const struct tui_action *a)
{
	int col = (int)t->view.sort;

	/* The next sortable column on screen; at most one round. */
	for (int i = 0; i < COL_N; i++) {
		col = (col + a->arg + COL_N) % COL_N;
		if (tbl_cols[col].key != '\0' && t->layout.w[col] > 0)
			break;
	}
	if (tbl_cols[col].key == '\0')
		return;
	/* COL_ALARM never sorts: sort_by starts the new column afresh. */
	t->view.sort = COL_ALARM;
	tbl_sort_by(&t->view, &t->model, (enum col)col);
}

static void run_filter(struct tui *t, struct ct *c, const struct tui_action *a)
{
	t->mode = MODE_FILTER;
}

static void run_interval(struct tui *t, struct ct *c, const struct tui_action *a)
{
	static const int steps[] = { 500, 1000, 2000, 5000, 10000 };
	int n = (int)(sizeof(steps) / sizeof(steps[0])), i = 0;

	while (i < n - 1 && steps[i] < t->interval_ms)
		i++;
	i += a->arg;
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	t->interval_ms = steps[i];
	t->next_tick = tui_now();
	tui_status(t, false, "refresh every %.1f s", t->interval_ms / 1000.0);
}

static void run_help(struct tui *t, struct ct *c, const struct tui_action *a)
{
	t->mode = MODE_HELP;
	t->help_top = 0;
}

static void run_redraw(struct tui *t, struct ct *c, const struct tui_action *a)
{
	clearok(curscr, TRUE);
}

static void run_quit(struct tui *t, struct ct *c, const struct tui_action *a)
{
	t->quit = true;
}

#define BOTH (ACT_TABLE | ACT_DETAIL)
#define SORT(k, col, what)                                                                     \
	{ "sort-" what, { k }, (const char[]){ k, '\0' }, "sort by " what "; again to reverse",  \
	  NULL, ACT_TABLE, col, NULL, run_sort }

const struct tui_action tui_actions[] = {
	{ "up", { KEY_UP, 'k' }, "Up k", "move up", NULL, BOTH, 0, NULL, run_move },
	{ "down", { KEY_DOWN, 'j' }, "Down j", "move down", NULL, BOTH, 1, NULL, run_move },
	{ "page-up", { KEY_PPAGE, CTRL('b') }, "PgUp ^B", "a page up", NULL, ACT_TABLE, 2, NULL,
	  run_move },
	{ "page-down", { KEY_NPAGE, CTRL('f') }, "PgDn ^F", "a page down", NULL, ACT_TABLE, 3,
	  NULL, run_move },
	{ "first", { KEY_HOME, 'g' }, "Home g", "first container", NULL, ACT_TABLE, 4, NULL,
	  run_move },
	{ "last", { KEY_END, 'G' }, "End G", "last container", NULL, ACT_TABLE, 5, NULL,
	  run_move },
	{ "details", { 'i' }, "i", "details and graphs of the container",
	  "i info", ACT_TABLE | ACT_ROW, 0, NULL, run_details },
	{ "back", { 27, 'q', KEY_LEFT, KEY_BACKSPACE }, "Esc q Left", "back to the table",
	  "q back", ACT_DETAIL | ACT_FOOTER_END, 0, NULL, run_back },
	{ "start", { 's' }, "s", "start the container", "s start", BOTH | ACT_ROW, 0,
	  is_inactive, run_start },
	{ "shutdown", { 'S' }, "S", "shut the container down (asks first)", "S shutdown",
	  BOTH | ACT_ROW | ACT_DESTRUCTIVE, 0, is_active, run_shutdown },
	{ "destroy", { 'D' }, "D", "stop the container at once (asks first)", "D destroy",
	  BOTH | ACT_ROW | ACT_DESTRUCTIVE, 0, is_active, run_destroy },
	{ "reboot", { 'R' }, "R", "reboot the container", "R reboot", BOTH | ACT_ROW, 0,
	  is_running, run_reboot },
	{ "pause", { 'p' }, "p", "suspend the container, or resume it", "p pause",
	  BOTH | ACT_ROW, 0, is_active, run_pause },
	{ "console", { 'c', '\n', KEY_ENTER }, "c Enter",
	  "the console in a new pane (or the pane it has)", "c console", BOTH | ACT_ROW, 0,
	  is_running, run_console },
	{ "edit", { 'e' }, "e", "edit the definition in $EDITOR", "e edit", BOTH | ACT_ROW, 0,
	  NULL, run_edit },
	{ "autostart", { 'a' }, "a", "autostart on or off", "a autostart", BOTH | ACT_ROW, 0,
	  is_persistent, run_autostart },
	{ "undefine", { 'u' }, "u", "remove the definition (asks first)", "u undefine",
	  BOTH | ACT_ROW | ACT_DESTRUCTIVE, 0, is_persistent, run_undefine },
	{ "filter", { '/' }, "/", "filter by name or state (Enter keeps, Esc clears)",
	  "/ filter", ACT_TABLE, 0, NULL, run_filter },
	SORT('1', COL_NAME, "name"),
	SORT('2', COL_STATE, "state"),
	SORT('3', COL_ID, "id"),
	SORT('4', COL_CPU, "cpu"),
	SORT('5', COL_MEM, "memory"),
	SORT('6', COL_PIDS, "pids"),
	SORT('7', COL_NET, "network"),
	SORT('8', COL_BLK, "block-io"),
	SORT('9', COL_UPTIME, "uptime"),
	SORT('0', COL_AUTO, "autostart"),
	{ "sort-next", { '>' }, ">", "sort by the next column", "1-0 <> sort", ACT_TABLE, 1, NULL,
	  run_sort_step },
	{ "sort-prev", { '<' }, "<", "sort by the previous column", NULL, ACT_TABLE, -1, NULL,
	  run_sort_step },
	{ "faster", { '+', '=' }, "+", "refresh more often", NULL, BOTH, -1, NULL,
	  run_interval },
	{ "slower", { '-' }, "-", "refresh less often", NULL, BOTH, 1, NULL, run_interval },
	{ "help", { '?', KEY_F(1), 'h' }, "? F1 h", "this help", "? help", BOTH | ACT_FOOTER_END, 0, NULL,
	  run_help },
	{ "redraw", { CTRL('l') }, "^L", "redraw the screen", NULL, BOTH, 0, NULL, run_redraw },
	{ "quit", { 'q', KEY_F(10) }, "q F10", "quit (containers keep running)", "q quit",
	  ACT_TABLE | ACT_FOOTER_END, 0, NULL, run_quit },
	{ "prefix", { CTRL('a') }, "", "the prefix of the pane keys below; twice sends it",
	  "panes", BOTH | ACT_PANE, 0, NULL, run_prefix },
	{ "split-below", { '"' }, "\"",
	  "split the pane: the selected container's console below", "\" split",
	  ACT_PANE | ACT_ROW, LAYOUT_TOPBOTTOM, is_running, run_split },
	{ "split-beside", { '%' }, "%",
	  "split the pane: the selected container's console beside", "% split",
	  ACT_PANE | ACT_ROW, LAYOUT_LEFTRIGHT, is_running, run_split },
	{ "focus-up", { KEY_UP }, "Up", "focus the pane above", "arrows focus", ACT_PANE,
	  LAYOUT_UP, NULL, run_focus },
	{ "focus-down", { KEY_DOWN }, "Down", "focus the pane below", NULL, ACT_PANE,
	  LAYOUT_DOWN, NULL, run_focus },
	{ "focus-left", { KEY_LEFT }, "Left", "focus the pane on the left", NULL, ACT_PANE,
	  LAYOUT_LEFT, NULL, run_focus },
	{ "focus-right", { KEY_RIGHT }, "Right", "focus the pane on the right", NULL,
	  ACT_PANE, LAYOUT_RIGHT, NULL, run_focus },
	{ "resize-up", { TUI_KEY_C_UP }, "C-Up", "move the pane's border up",
	  "C-arrows resize", ACT_PANE, LAYOUT_UP, NULL, run_resize },
	{ "resize-down", { TUI_KEY_C_DOWN }, "C-Down", "move the pane's border down", NULL,
	  ACT_PANE, LAYOUT_DOWN, NULL, run_resize },
	{ "resize-left", { TUI_KEY_C_LEFT }, "C-Left", "move the pane's border left", NULL,
	  ACT_PANE, LAYOUT_LEFT, NULL, run_resize },
	{ "resize-right", { TUI_KEY_C_RIGHT }, "C-Right", "move the pane's border right",
	  NULL, ACT_PANE, LAYOUT_RIGHT, NULL, run_resize },
	{ "zoom", { 'z' }, "z", "the pane on the whole screen, and back", "z zoom", ACT_PANE,
	  0, NULL, run_zoom },
	{ "close", { 'x' }, "x", "close the console pane (the container keeps running)",
	  "x close", ACT_PANE, 0, NULL, run_close },
	{ "scrollback", { '[' }, "[", "look back: PgUp PgDn, / searches, q leaves",
	  "[ scroll", ACT_PANE, 0, NULL, run_scrollback },
	{ "table", { 'd' }, "d", "back to the table", "d table", ACT_PANE, 0, NULL,
	  run_table },
	{ NULL, { 0 }, NULL, NULL, NULL, 0, 0, NULL, NULL },
};

static bool console_focused(const struct tui *t)
{
	return t->screen == SCR_TABLE && t->focus != TUI_TABLE_PANE;
}

int act_prefix_key(const struct tui *t)
{
	for (size_t i = 0; t != NULL && i < t->prefs.n_binds; i++)
		if (t->prefs.binds[i].action != NULL &&
		    strcmp(t->prefs.binds[i].action->name, "prefix") == 0)
			return t->prefs.binds[i].key;
	return CTRL('a');
}

static bool is_prefix_action(const struct tui_action *a)
{
	return a->run == run_prefix;
}

/* A pane key is shown after the prefix; the prefix action is the prefix. */
static int keys_prefixed(const struct tui *t, const struct tui_action *a, const char *keys,
			 char *out, size_t size)
{
	char prefix[16];

	prefs_key_name(act_prefix_key(t), prefix, sizeof(prefix));
	if (is_prefix_action(a))
		return snprintf(out, size, "%s", prefix);
	if (a->flags & ACT_PANE)
		return snprintf(out, size, "%s %s", prefix, keys);
	return snprintf(out, size, "%s", keys);
}

/* A built-in key that corral.conf took away from a: bound to another
 * action (or none), or made the prefix, which wins in the table. */
static bool shadowed(const struct tui *t, const struct tui_action *a, int key)
{
	const struct prefs_bind *b = prefs_bound(&t->prefs, key);

	if (b != NULL && b->action != a)
		return true;
	return !(a->flags & ACT_PANE) && key == act_prefix_key(t);
}

/* a->keynames without the names of shadowed keys. The names are one word
 * per key, in the order of a->keys; a label that does not pair up that way
 * is kept whole. */
static void live_keynames(const struct tui *t, const struct tui_action *a, char *out,
			  size_t size)
{
	char copy[64], *save = NULL, *word;
	size_t n = 0, len = 0;

	snprintf(out, size, "%s", a->keynames);
	while (n < ACT_MAX_KEYS && a->keys[n] != 0)
		n++;
	snprintf(copy, sizeof(copy), "%s", a->keynames);
	word = strtok_r(copy, " ", &save);
	for (size_t i = 0; i < n; i++, word = strtok_r(NULL, " ", &save))
		if (word == NULL)
			return;
	if (word != NULL || t == NULL)
		return;
	snprintf(copy, sizeof(copy), "%s", a->keynames);
	save = NULL;
	out[0] = '\0';
	word = strtok_r(copy, " ", &save);
	for (size_t i = 0; i < n && len < size; i++, word = strtok_r(NULL, " ", &save))
		if (!shadowed(t, a, a->keys[i]))
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", word);
}

void act_keys_text(const struct tui *t, const struct tui_action *a, char *out, size_t size)
{
	char names[64];
	int k;

	live_keynames(t, a, names, sizeof(names));
	k = keys_prefixed(t, a, names, out, size);

	if (t == NULL || is_prefix_action(a))
		return;
	/* Keys corral.conf adds. */
	for (size_t b = 0; b < t->prefs.n_binds && k >= 0 && (size_t)k < size; b++)
		if (t->prefs.binds[b].action == a) {
			char name[16], with[32];
			prefs_key_name(t->prefs.binds[b].key, name, sizeof(name));
			keys_prefixed(t, a, name, with, sizeof(with));
			k += snprintf(out + k, size - (size_t)k, "%s%s", k > 0 ? " " : "", with);
		}
}

void act_footer_text(const struct tui *t, const struct tui_action *a, char *out, size_t size)
{
	char prefix[16];

	if (!is_prefix_action(a)) {
		snprintf(out, size, "%s", a->footer);
		return;
	}
	prefs_key_name(act_prefix_key(t), prefix, sizeof(prefix));
	snprintf(out, size, "%s %s", prefix, a->footer);
}

const struct tui_action *act_for_pane_key(const struct tui *t, int key)
{
	const struct prefs_bind *b = prefs_bound(&t->prefs, key);

	/* corral.conf binds pane actions after the prefix too; none silences
	 * the key there as well. */
	if (b != NULL && (b->action == NULL || (b->action->flags & ACT_PANE)))
		return b->action;
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++) {
		if (!(a->flags & ACT_PANE))
			continue;
		for (int k = 0; k < ACT_MAX_KEYS && a->keys[k] != 0; k++)
			if (a->keys[k] == key)
				return a;
	}
	return NULL;
}

static unsigned screen_flag(const struct tui *t)
{
	return t->screen == SCR_DETAIL ? ACT_DETAIL : ACT_TABLE;
}

const struct tui_action *act_for_key(const struct tui *t, int key)
{
	const struct prefs_bind *b = prefs_bound(&t->prefs, key);

	/* corral.conf first; where its action has no meaning on this screen,
	 * the key keeps its default there. */
	if (b != NULL && (b->action == NULL || (b->action->flags & screen_flag(t))))
		return b->action;
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++) {
		if (!(a->flags & screen_flag(t)))
			continue;
		for (int k = 0; k < ACT_MAX_KEYS && a->keys[k] != 0; k++)
			if (a->keys[k] == key)
				return a;
	}
	return NULL;
}

/* The container actions apply to: the one the detail view shows, even if
 * the table's cursor moved meanwhile (the container was undefined). */
static struct ct *target(const struct tui *t)
{
	if (t->screen == SCR_DETAIL && t->detail_name != NULL)
		return model_find(&t->model, t->detail_name);
	return tbl_selected(&t->view);
}

bool act_available(const struct tui *t, const struct tui_action *a)
{
	const struct ct *c = target(t);

	if (a->footer == NULL)
		return false;
	/* A console has the keyboard: the footer shows the pane keys. */
	if (console_focused(t))
		return (a->flags & ACT_PANE) != 0;
	if (!(a->flags & screen_flag(t)))
		return false;
	if (a->flags & ACT_ROW)
		return c != NULL && (a->applies == NULL || a->applies(c));
	return true;
}

void act_dispatch(struct tui *t, const struct tui_action *a)
{
	struct ct *c = target(t);

	if ((a->flags & ACT_ROW) && c == NULL) {
		tui_status(t, true, "%s: no container selected", a->name);
		return;
	}
	if ((a->flags & ACT_ROW) && a->applies != NULL && !a->applies(c)) {
		tui_status(t, true, "%s: not possible while '%s' is %s%s", a->name, c->name,
			   c->state, c->persistent ? "" : " and transient");
		return;
	}
	if (a->flags & ACT_DESTRUCTIVE) {
		free(t->confirm_name);
		t->confirm_name = xstrdup(c->name);
		t->confirm = a;
		t->mode = MODE_CONFIRM;
		tui_status(t, false, "%s '%s'? (y/n)", a->name, c->name);
		return;
	}
	a->run(t, c, a);
}

void act_confirmed(struct tui *t)
{
	struct ct *c = model_find(&t->model, t->confirm_name);

	t->mode = MODE_NORMAL;
	if (c == NULL)
		tui_status(t, true, "'%s' is gone", t->confirm_name);
	else
		t->confirm->run(t, c, t->confirm);
}
