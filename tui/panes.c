/* The console panes beside the table: opening, closing, focus, fitting
 * the layout to the screen, and re-attaching consoles of restarted
 * containers. */
#include <curses.h>
#include <string.h>

#include "console/layout.h"
#include "console/pane-draw.h"
#include "console/pane.h"
#include "console/session.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "tui/tui.h"

/* Per pane and loop turn: parsing a flood in slices keeps keys, other
 * panes and the table responsive (libvterm parses ~12 MB/s). No more than
 * the monitor's history ring: after a resync that is all that comes. */
#define PANE_BUDGET (64u << 10)
/* A pane that fills its slice is flooded: on a 200-column screen libvterm
 * moves the whole screen for every line, so parsing a flood would take
 * the CPU the container's writer needs. Its session holds the output back
 * then, and the pane parses the latest of it once per frame; the monitor
 * skips the rest. A frame with nothing new ends the flood. */
#define FLOOD_FRAME_S 0.02
/* What a flooded pane's socket may give per read turn; it is only copied. */
#define FLOOD_READ (1u << 20)
/* Lines of scrollback each console keeps. */
#define PANE_SB_LINES 5000
/* A stopped container's console asks again this often. */
#define ATTACH_RETRY_S 1.0

void panes_init(struct tui *t)
{
	t->lay = layout_new(TUI_TABLE_PANE, COLS, 1, true);
	t->pdraw = pdraw_new(&(struct pdraw_opts){ .first_pair = PREFS_PAIRS });
	t->focus = TUI_TABLE_PANE;
	t->last_console = -1;
	t->next_id = 1;
}

static void pane_drop(struct tui_pane *tp)
{
	if (tp->win != NULL)
		delwin(tp->win);
	session_detach(tp->s);
	session_unref(tp->s, "tui pane");
	free(tp);
}

void panes_free(struct tui *t)
{
	for (size_t i = 0; i < t->n_panes; i++)
		pane_drop(t->panes[i]);
	t->n_panes = 0;
	layout_free(t->lay);
	pdraw_free(t->pdraw);
}

struct tui_pane *panes_find(const struct tui *t, int id)
{
	for (size_t i = 0; i < t->n_panes; i++)
		if (t->panes[i]->id == id)
			return t->panes[i];
	return NULL;
}

struct tui_pane *panes_focused(const struct tui *t)
{
	return panes_find(t, t->focus);
}

void panes_focus(struct tui *t, int id)
{
	if (id != TUI_TABLE_PANE && panes_find(t, id) == NULL)
		return;
	if (t->focus != id)
		log_debug("focus pane %d", id);
	t->focus = id;
	if (id != TUI_TABLE_PANE)
		t->last_console = id;
	/* A zoomed pane gives way to the one focused. */
	if (layout_zoomed(t->lay) >= 0 && layout_zoomed(t->lay) != id)
		layout_unzoom(t->lay);
	if (t->mode == MODE_SCROLL || t->mode == MODE_SEARCH)
		t->mode = MODE_NORMAL;
	panes_relayout(t);
}

void panes_relayout(struct tui *t)
{
	layout_set_size(t->lay, COLS, t->area_h > 1 ? t->area_h : 1);
	for (size_t i = 0; i < t->n_panes; i++) {
		struct tui_pane *tp = t->panes[i];
		struct layout_geom g;

		if (layout_geometry(t->lay, tp->id, &g) < 0 || !g.visible) {
			if (tp->win != NULL)
				delwin(tp->win);
			tp->win = NULL;
			continue;
		}
		int y = t->area_y + g.pane.y, x = g.pane.x, h, w, wy, wx;
		if (tp->win != NULL) {
			getmaxyx(tp->win, h, w);
			getbegyx(tp->win, wy, wx);
			if (h != g.pane.h || w != g.pane.w || wy != y || wx != x) {
				delwin(tp->win);
				tp->win = NULL;
			}
		}
		if (tp->win == NULL) {
			tp->win = newwin(g.pane.h, g.pane.w, y, x);
			tp->full = true;
		}
		session_resize(tp->s, g.pane.h, g.pane.w);
	}
	t->dirty = true;
}

static void try_attach(struct tui *t, struct tui_pane *tp)
{
	struct error err = ERROR_INIT;

	tp->next_attach = tui_now() + ATTACH_RETRY_S;
	if (session_attach(tp->s, &err) < 0)
		log_debug("%s", err_msg(&err));
	else
		tp->full = true;
	err_clear(&err);
	t->dirty = true;
}

void panes_open(struct tui *t, const char *name, int how)
{
	struct error err = ERROR_INIT;

	for (size_t i = 0; i < t->n_panes; i++) {
		if (strcmp(session_name(t->panes[i]->s), name) == 0) {
			panes_focus(t, t->panes[i]->id);
			return;
		}
	}
	if (t->n_panes == TUI_MAX_PANES) {
		tui_status(t, true, "console '%s': %d panes are the most", name, TUI_MAX_PANES);
		return;
	}
	int from = t->focus;
	if (how < 0) {
		bool beside = panes_find(t, t->last_console) != NULL;
		from = beside ? t->last_console : TUI_TABLE_PANE;
		how = beside ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM;
	}
	int id = t->next_id++;
	if (layout_split(t->lay, from, (enum layout_split)how, id, &err) < 0) {
		tui_status(t, true, "console '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return;
	}
	struct layout_geom g;
	layout_geometry(t->lay, id, &g);
	struct session_opts o = {
		.name = name,
		.paths = &t->paths,
		.uri = t->ctx->uri,
		.id = id,
		.rows = g.pane.h > 0 ? g.pane.h : 1,
		.cols = g.pane.w > 0 ? g.pane.w : 1,
		.sb_lines = PANE_SB_LINES,
		.input_high = PANE_BUDGET,
	};
	struct session *s = session_new(&o, &err);
	if (s == NULL) {
		layout_close(t->lay, id, &err);
		tui_status(t, true, "console '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return;
	}
	struct tui_pane *tp = xcalloc(1, sizeof(*tp));
	tp->id = id;
	tp->s = s;
	t->panes[t->n_panes++] = tp;
	log_debug("pane %d: console of '%s'", id, name);
	try_attach(t, tp);
	if (session_state(s) != SESS_LIVE)
		tui_status(t, true, "console '%s': %s", name, session_why(s));
	panes_focus(t, id);
}

void panes_close(struct tui *t, int id)
{
	struct error err = ERROR_INIT;
	struct tui_pane *tp = panes_find(t, id);

	if (tp == NULL)
		return;
	/* Focus goes to a console beside it (the keyboard stays with the
	 * consoles), else to the table. */
	static const enum layout_dir order[] = { LAYOUT_LEFT, LAYOUT_RIGHT, LAYOUT_DOWN,
						 LAYOUT_UP };
	int next = TUI_TABLE_PANE;
	for (size_t i = 0; i < 4 && next == TUI_TABLE_PANE; i++) {
		int n = layout_neighbour(t->lay, id, order[i]);
		if (n >= 0)
			next = n;
	}
	layout_close(t->lay, id, &err);
	err_clear(&err);
	for (size_t i = 0; i < t->n_panes; i++) {
		if (t->panes[i] == tp) {
			t->panes[i] = t->panes[--t->n_panes];
			break;
		}
	}
	tui_status(t, false, "closed the console of '%s' (it keeps running)", session_name(tp->s));
	pane_drop(tp);
	if (t->last_console == id)
		t->last_console = -1;
	if (t->mode == MODE_SCROLL || t->mode == MODE_SEARCH)
		t->mode = MODE_NORMAL;
	clearok(curscr, TRUE);
	t->focus = -1;
	panes_focus(t, next);
}

void panes_tick(struct tui *t)
{
	double now = tui_now();

	for (size_t i = 0; i < t->n_panes; i++) {
		struct tui_pane *tp = t->panes[i];
		const struct ct *c = model_find(&t->model, session_name(tp->s));

		if (session_state(tp->s) == SESS_LIVE || now < tp->next_attach || c == NULL ||
		    strcmp(c->state, "running") != 0)
			continue;
		try_attach(t, tp);
	}
}

int panes_process(struct tui *t)
{
	double now = tui_now(), wake = -1;

	for (size_t i = 0; i < t->n_panes; i++) {
		struct tui_pane *tp = t->panes[i];
		struct pane *p = session_pane(tp->s);

		if (tp->flooded && now >= tp->next_parse) {
			tp->next_parse = now + FLOOD_FRAME_S;
			if (session_release(tp->s) == 0) {
				tp->flooded = false;
				session_set_hold(tp->s, false);
			}
			pane_process(p, PANE_BUDGET);
		} else if (!tp->flooded && pane_pending(p) > 0) {
			if (pane_process(p, PANE_BUDGET) >= PANE_BUDGET) {
				tp->flooded = true;
				tp->next_parse = now + FLOOD_FRAME_S;
				session_set_hold(tp->s, true);
			}
		}
		if (tp->flooded || pane_pending(p) > 0) {
			double at = tp->next_parse > now ? tp->next_parse : now;
			wake = wake < 0 || at < wake ? at : wake;
		}
		if (session_take_changes(tp->s) != 0)
			t->dirty = true;
	}
	return wake < 0 ? -1 : (int)((wake - now) * 1000);
}

void panes_io(struct tui *t, struct tui_pane *tp, short revents)
{
	session_io(tp->s, revents, tp->flooded ? FLOOD_READ : PANE_BUDGET);
	if (session_take_changes(tp->s) != 0)
		t->dirty = true;
}
