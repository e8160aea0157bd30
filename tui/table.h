/* The container table: its columns, how they fit a width, the sorted and
 * filtered view with a cursor that follows its container, and the text of
 * each cell. */
#ifndef CORRAL_TUI_TABLE_H
#define CORRAL_TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/model.h"

enum col {
	COL_ALARM, /* the alarm sign, one cell, always shown */
	COL_NAME,
	COL_STATE,
	COL_ID,
	COL_CPU,
	COL_SPARK,
	COL_MEM,
	COL_PIDS,
	COL_NET,
	COL_BLK,
	COL_UPTIME,
	COL_AUTO,
	COL_N,
};

struct col_info {
	const char *title;
	int min, max; /* widths; a column grows up to max with room to spare */
	int prio;     /* columns with the largest prio go first when narrow */
	bool right;   /* right-aligned */
	char key;     /* sort key, '\0' when the column does not sort */
};

extern const struct col_info tbl_cols[COL_N];

struct tbl_layout {
	int x[COL_N], w[COL_N]; /* w 0: not shown */
	int width;
};

struct tbl_view {
	struct ct **rows; /* borrowed from the model; valid until it changes */
	size_t n, cap;
	size_t cursor, top;
	char *cursor_name; /* the container the cursor follows */
	enum col sort;
	bool desc;
	char filter[64];
};

/* Fits the columns into width, dropping the least important first. */
void tbl_layout(struct tbl_layout *l, int width);
/* The column at screen column x, or -1. */
int tbl_col_at(const struct tbl_layout *l, int x);

void tbl_view_init(struct tbl_view *v);
void tbl_view_free(struct tbl_view *v);
/* Filters and sorts the model's containers into the view; the cursor stays
 * on its container when that is still shown. Call after every model change. */
void tbl_rebuild(struct tbl_view *v, const struct model *m);
/* Moves the cursor by delta rows (clamped) and follows the new container. */
void tbl_move(struct tbl_view *v, long delta);
void tbl_set_cursor(struct tbl_view *v, size_t row);
struct ct *tbl_selected(const struct tbl_view *v);
/* Sorts by col; the same column again reverses the order. Numeric columns
 * start with the largest first. */
void tbl_sort_by(struct tbl_view *v, const struct model *m, enum col col);
/* The column whose sort key is key, or -1. */
int tbl_col_for_key(int key);
/* Keeps the cursor within the rows shown from top. */
void tbl_scroll(struct tbl_view *v, int visible);

/* The text of a cell, at most the column's width in cells. */
void tbl_cell(const struct ct *c, enum col col, int width, double now, bool utf8, char *out,
	      size_t size);

/* Figures in at most 5 cells: "-" unknown, "512B", "1.5K", "23M", "1.2G". */
void tbl_fmt_size(double bytes, char *out, size_t size);
/* "-", "42s", "12m05s", "3h07m", "5d03h". */
void tbl_fmt_uptime(double secs, char *out, size_t size);
/* "-", "0.5", "12.3", "150". */
void tbl_fmt_pct(double pct, char *out, size_t size);

#endif
