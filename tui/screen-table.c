/* The container table screen: column titles, rows, cursor, mouse. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/graph.h"
#include "tui/screen.h"
#include "tui/tui.h"

static void titles(struct tui *t, int y)
{
	int x0 = t->table_x;
	const struct tbl_layout *l = &t->layout;
	char text[64];

	attron(scr_pair(t, PAIR_TITLE, A_REVERSE));
	mvhline(y, x0, ' ', t->table_w);
	for (int c = 0; c < COL_N; c++) {
		if (l->w[c] == 0)
			continue;
		const char *mark = "";
		if ((enum col)c == t->view.sort)
			mark = t->view.desc ? (t->utf8 ? "▼" : "v") : (t->utf8 ? "▲" : "^");
		snprintf(text, sizeof(text), "%s%s", tbl_cols[c].title, mark);
		if ((enum col)c == t->view.sort)
			attron(A_BOLD);
		scr_put(y, x0 + l->x[c], l->w[c], text, tbl_cols[c].right);
		attroff(A_BOLD);
	}
	attroff(scr_pair(t, PAIR_TITLE, A_REVERSE));
}

static void row(struct tui *t, int y, const struct ct *c, bool cursor, double now)
{
	const struct tbl_layout *l = &t->layout;
	char text[256];

	if (cursor) {
		attron(A_REVERSE);
		mvhline(y, t->table_x, ' ', t->table_w);
	}
	for (int col = 0; col < COL_N; col++) {
		if (l->w[col] == 0)
			continue;
		attr_t a = A_NORMAL;
		if (col == COL_STATE)
			a = scr_state_attr(t, c->state);
		else if (col == COL_ALARM)
			a = scr_pair(t, PAIR_ALARM, A_NORMAL) | A_BOLD;
		else if (col == COL_SPARK)
			a = scr_pair(t, PAIR_GRAPH, A_NORMAL);
		tbl_cell(c, (enum col)col, l->w[col], now, t->utf8, text, sizeof(text));
		attron(a);
		scr_put(y, t->table_x + l->x[col], l->w[col], text, tbl_cols[col].right);
		attroff(a);
	}
	if (cursor)
		attroff(A_REVERSE);
}

void scr_table_draw(struct tui *t, int x, int y, int w, int height)
{
	struct tbl_view *v = &t->view;
	double now = tui_now();

	t->table_x = x;
	t->table_w = w;
	tbl_layout(&t->layout, w);
	titles(t, y);
	t->table_y = y + 1;
	height--;
	tbl_scroll(v, height);
	if (v->n == 0) {
		const char *msg = v->filter[0] != '\0'
					  ? "no container matches the filter (/ and Esc clears it)"
					  : "no containers defined: define one with "
					    "'corral define FILE.xml'";
		scr_put(y + 2, x + 2, w - 2, msg, false);
	}
	for (int i = 0; i < height && v->top + (size_t)i < v->n; i++) {
		size_t at = v->top + (size_t)i;
		row(t, y + 1 + i, v->rows[at], at == v->cursor, now);
	}
}

void scr_table_click(struct tui *t, int x, int y, bool header)
{
	x -= t->table_x;
	if (header) {
		int col = tbl_col_at(&t->layout, x);
		if (col >= 0 && (tbl_cols[col].key != '\0' || col == COL_SPARK))
			tbl_sort_by(&t->view, &t->model, (enum col)col);
		return;
	}
	if (y < t->table_y)
		return;
	size_t at = t->view.top + (size_t)(y - t->table_y);
	if (at < t->view.n)
		tbl_set_cursor(&t->view, at);
}
