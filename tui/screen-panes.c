/* The pane layout on screen: title rows with the container's name and
 * state, borders, the table pane, and the consoles' windows drawn from
 * their damage. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "console/layout.h"
#include "console/pane-draw.h"
#include "console/pane.h"
#include "console/scrollback.h"
#include "console/session.h"
#include "tui/screen.h"
#include "tui/tui.h"

static void title_text(const struct tui *t, int id, char *buf, size_t size)
{
	const struct tui_pane *tp = panes_find(t, id);

	if (tp == NULL) {
		snprintf(buf, size, " containers ");
		return;
	}
	const char *name = session_name(tp->s);
	const struct ct *c = model_find(&t->model, name);
	const char *why = session_why(tp->s);
	const struct pane *p = session_pane(tp->s);
	const char *state = c != NULL ? c->state : "undefined";
	int n = snprintf(buf, size, " %s ", name);
	if (n < 0 || (size_t)n >= size)
		return;
	switch (session_state(tp->s)) {
	case SESS_STOPPED:
		snprintf(buf + n, size - (size_t)n, "%s  [%s; attaches again when it runs] ",
			 state, why);
		return;
	case SESS_DETACHED:
		snprintf(buf + n, size - (size_t)n, "%s  [not attached: %s] ", state, why);
		return;
	case SESS_LIVE:
		break;
	}
	if (id == t->focus && t->mode == MODE_SCROLL)
		snprintf(buf + n, size - (size_t)n, "%s  [scrollback %zu/%zu; / search, q leaves] ",
			 state, t->scroll, sb_count(pane_scrollback(p)));
	else if (id == t->focus && t->mode == MODE_SEARCH)
		snprintf(buf + n, size - (size_t)n, "%s  [search: %s] ", state, t->search);
	else if (why[0] != '\0' || pane_title(p)[0] != '\0')
		snprintf(buf + n, size - (size_t)n, "%s  %s%s%s ", state, why,
			 why[0] != '\0' && pane_title(p)[0] != '\0' ? "  " : "", pane_title(p));
	else
		snprintf(buf + n, size - (size_t)n, "%s ", state);
}

static void title_row(struct tui *t, int id, const struct layout_rect *r)
{
	char text[300];
	bool focused = id == t->focus;
	int y = t->area_y + r->y;

	title_text(t, id, text, sizeof(text));
	attr_t line = focused ? scr_pair(t, PAIR_RUNNING, A_BOLD) | A_BOLD : A_NORMAL;
	attron(line);
	mvhline(y, r->x, ACS_HLINE, r->w);
	attroff(line);
	attr_t a = focused ? A_REVERSE | A_BOLD : A_BOLD;
	if (panes_find(t, id) != NULL && session_state(panes_find(t, id)->s) != SESS_LIVE)
		a = scr_pair(t, PAIR_ERROR, A_REVERSE) | A_BOLD;
	attron(a);
	scr_put(y, r->x + 1, r->w - 2, text, false);
	attroff(a);
}

void scr_panes_draw(struct tui *t)
{
	int ids[TUI_MAX_PANES + 1];
	size_t n = layout_ids(t->lay, ids, TUI_MAX_PANES + 1);
	struct layout_geom g;

	for (size_t i = 0; i < n; i++) {
		if (layout_geometry(t->lay, ids[i], &g) < 0 || !g.visible)
			continue;
		/* A border column on the left of every pane that has a neighbour
		 * there. */
		if (g.outer.x > 0 && g.outer.h > g.title.h) {
			mvvline(t->area_y + g.outer.y + g.title.h, g.outer.x - 1, ACS_VLINE,
				g.outer.h - g.title.h);
			if (g.title.h > 0)
				mvaddch(t->area_y + g.outer.y, g.outer.x - 1, ACS_TTEE);
		}
		if (ids[i] != TUI_TABLE_PANE) {
			title_row(t, ids[i], &g.title);
			continue;
		}
		/* Alone, the table has the whole area, as without consoles. */
		if (n == 1) {
			scr_table_draw(t, g.outer.x, t->area_y + g.outer.y, g.outer.w, g.outer.h);
			continue;
		}
		title_row(t, ids[i], &g.title);
		scr_table_draw(t, g.pane.x, t->area_y + g.pane.y, g.pane.w, g.pane.h);
	}
}

static bool flush_one(struct tui *t, struct tui_pane *tp, bool frame)
{
	struct pane *p = session_pane(tp->s);
	unsigned ch = pane_take_changes(p);

	if (ch & (PANE_CH_TITLE | PANE_CH_BELL))
		t->dirty = true;
	/* A container's bell rings in the outer terminal, as in tmux. */
	if (ch & PANE_CH_BELL)
		beep();
	if (tp->id == t->focus && (t->mode == MODE_SCROLL || t->mode == MODE_SEARCH)) {
		if (!frame && !ch && !tp->full)
			return false;
		pdraw_scrolled(t->pdraw, p, tp->win, t->scroll);
		tp->full = true;
		wnoutrefresh(tp->win);
		return true;
	}
	if (!frame && !tp->full && ch == 0)
		return false;
	if (frame)
		touchwin(tp->win);
	pdraw_pane(t->pdraw, p, tp->win, tp->full ? PDRAW_FULL : 0);
	tp->full = false;
	wnoutrefresh(tp->win);
	return true;
}

static void set_cursor(struct tui *t, bool on)
{
	if (on != t->cursor_on)
		curs_set(on ? 1 : 0);
	t->cursor_on = on;
}

bool scr_panes_flush(struct tui *t, bool frame)
{
	struct tui_pane *f = NULL;
	bool out = false;

	if (t->screen != SCR_TABLE || t->mode == MODE_HELP)
		return false;
	for (size_t i = 0; i < t->n_panes; i++) {
		struct tui_pane *tp = t->panes[i];
		if (tp->win == NULL)
			continue;
		if (tp->id == t->focus)
			f = tp;
		else
			out |= flush_one(t, tp, frame);
	}
	/* The focused pane last: the terminal's cursor is where its is. */
	if (f != NULL) {
		bool drawn = flush_one(t, f, frame);
		if (out && !drawn)
			wnoutrefresh(f->win);
		out |= drawn;
		int row, col;
		bool visible;
		pane_cursor(session_pane(f->s), &row, &col, &visible);
		set_cursor(t, visible && t->mode == MODE_NORMAL);
	} else {
		set_cursor(t, t->mode == MODE_FILTER);
	}
	if (pdraw_take_evicted(t->pdraw))
		for (size_t i = 0; i < t->n_panes; i++)
			t->panes[i]->full = true;
	return out;
}
