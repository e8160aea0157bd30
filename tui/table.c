/* The container table: columns, layout, sorted and filtered view, cells. */
#include "tui/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/graph.h"
#include "lib/xmalloc.h"

const struct col_info tbl_cols[COL_N] = {
	[COL_ALARM] = { "", 1, 1, 0, false, '\0' },
	[COL_NAME] = { "NAME", 10, 24, 0, false, '1' },
	[COL_STATE] = { "STATE", 8, 8, 1, false, '2' },
	[COL_ID] = { "ID", 5, 5, 5, true, '3' },
	[COL_CPU] = { "CPU%", 5, 5, 2, true, '4' },
	[COL_SPARK] = { "CPU 1m", 10, 30, 6, false, '\0' },
	[COL_MEM] = { "MEM used/limit", 16, 18, 3, false, '5' },
	[COL_PIDS] = { "PIDS", 5, 5, 7, true, '6' },
	[COL_NET] = { "NET rx/tx", 11, 11, 8, false, '7' },
	[COL_BLK] = { "BLK r/w", 11, 11, 9, false, '8' },
	[COL_UPTIME] = { "UPTIME", 7, 7, 4, true, '9' },
	[COL_AUTO] = { "A", 1, 1, 5, false, '0' },
};

void tbl_layout(struct tbl_layout *l, int width)
{
	bool shown[COL_N];
	int need = 0, n = 0;

	for (int c = 0; c < COL_N; c++) {
		shown[c] = true;
		need += tbl_cols[c].min;
		n++;
	}
	need += n - 1; /* one space between columns */
	while (need > width) {
		int drop = -1;
		for (int c = 0; c < COL_N; c++)
			if (shown[c] && tbl_cols[c].prio > 0 &&
			    (drop < 0 || tbl_cols[c].prio > tbl_cols[drop].prio))
				drop = c;
		if (drop < 0)
			break;
		shown[drop] = false;
		need -= tbl_cols[drop].min + 1;
	}
	/* Room to spare goes to the name, then the sparkline, then the rest. */
	static const enum col grow[] = { COL_NAME, COL_SPARK, COL_MEM };
	int spare = width - need;
	for (int c = 0; c < COL_N; c++)
		l->w[c] = shown[c] ? tbl_cols[c].min : 0;
	for (size_t g = 0; g < sizeof(grow) / sizeof(grow[0]) && spare > 0; g++) {
		enum col c = grow[g];
		if (!shown[c])
			continue;
		int add = tbl_cols[c].max - l->w[c];
		add = add < spare ? add : spare;
		l->w[c] += add;
		spare -= add;
	}
	int x = 0;
	for (int c = 0; c < COL_N; c++) {
		l->x[c] = x;
		if (l->w[c] > 0)
			x += l->w[c] + 1;
	}
	l->width = x > 0 ? x - 1 : 0;
}

int tbl_col_at(const struct tbl_layout *l, int x)
{
	for (int c = 0; c < COL_N; c++)
		if (l->w[c] > 0 && x >= l->x[c] && x <= l->x[c] + l->w[c])
			return c;
	return -1;
}

void tbl_view_init(struct tbl_view *v)
{
	memset(v, 0, sizeof(*v));
	v->sort = COL_NAME;
}

void tbl_view_free(struct tbl_view *v)
{
	free(v->rows);
	free(v->cursor_name);
	memset(v, 0, sizeof(*v));
}

static int state_rank(const char *state)
{
	static const char *const order[] = { "running", "paused", "crashed", "shut off" };

	for (int i = 0; i < 4; i++)
		if (strcmp(state, order[i]) == 0)
			return i;
	return 4;
}

static double add_known(double a, double b)
{
	if (isnan(a))
		return b;
	return isnan(b) ? a : a + b;
}

/* The figure a numeric column sorts by; NAN when unknown. */
static double sort_value(const struct ct *c, enum col col)
{
	switch (col) {
	case COL_ID:
		return c->id >= 0 ? (double)c->id : NAN;
	case COL_CPU:
	case COL_SPARK:
		return c->cpu_pct;
	case COL_MEM:
		return c->mem_used;
	case COL_PIDS:
		return c->pids;
	case COL_NET:
		return add_known(c->rx_bps, c->tx_bps);
	case COL_BLK:
		return add_known(c->rd_bps, c->wr_bps);
	case COL_UPTIME:
		/* The earliest start is the longest uptime. */
		return c->started > 0 ? -c->started : NAN;
	case COL_AUTO:
		return c->autostart;
	default:
		return NAN;
	}
}

static int compare(const void *a, const void *b, void *data)
{
	const struct tbl_view *v = data;
	const struct ct *x = *(struct ct *const *)a, *y = *(struct ct *const *)b;
	int r = 0;

	if (v->sort == COL_STATE) {
		r = state_rank(x->state) - state_rank(y->state);
	} else if (v->sort != COL_NAME) {
		double p = sort_value(x, v->sort), q = sort_value(y, v->sort);
		/* Unknown figures go last in either direction. */
		if (isnan(p) || isnan(q))
			return isnan(p) - isnan(q) != 0 ? isnan(p) - isnan(q)
							: strcmp(x->name, y->name);
		r = p < q ? -1 : p > q;
	}
	if (r == 0)
		r = strcmp(x->name, y->name);
	return v->desc ? -r : r;
}

static bool matches(const struct ct *c, const char *filter)
{
	return filter[0] == '\0' || strcasestr(c->name, filter) != NULL ||
	       strcasestr(c->state, filter) != NULL;
}

static void follow(struct tbl_view *v)
{
	free(v->cursor_name);
	v->cursor_name = v->n > 0 ? xstrdup(v->rows[v->cursor]->name) : NULL;
}

void tbl_rebuild(struct tbl_view *v, const struct model *m)
{
	size_t at = v->cursor;

	if (v->cap < m->n) {
		v->cap = m->n;
		v->rows = xreallocarray(v->rows, v->cap, sizeof(*v->rows));
	}
	v->n = 0;
	for (size_t i = 0; i < m->n; i++)
		if (matches(m->v[i], v->filter))
			v->rows[v->n++] = m->v[i];
	qsort_r(v->rows, v->n, sizeof(*v->rows), compare, v);
	if (v->cursor_name != NULL)
		for (size_t i = 0; i < v->n; i++)
			if (strcmp(v->rows[i]->name, v->cursor_name) == 0) {
				v->cursor = i;
				return;
			}
	/* The followed container is gone or filtered out: stay at the same
	 * height and follow whichever container is there now. */
	v->cursor = v->n == 0 ? 0 : at < v->n ? at : v->n - 1;
	follow(v);
}

void tbl_set_cursor(struct tbl_view *v, size_t row)
{
	if (v->n == 0)
		return;
	v->cursor = row < v->n ? row : v->n - 1;
	follow(v);
}

void tbl_move(struct tbl_view *v, long delta)
{
	long row = (long)v->cursor + delta;

	tbl_set_cursor(v, row < 0 ? 0 : (size_t)row);
}

struct ct *tbl_selected(const struct tbl_view *v)
{
	return v->n > 0 ? v->rows[v->cursor] : NULL;
}

void tbl_sort_by(struct tbl_view *v, const struct model *m, enum col col)
{
	if (col == COL_SPARK)
		col = COL_CPU;
	if (v->sort == col)
		v->desc = !v->desc;
	else
		v->desc = col != COL_NAME && col != COL_STATE;
	v->sort = col;
	tbl_rebuild(v, m);
}

int tbl_col_for_key(int key)
{
	for (int c = 0; c < COL_N; c++)
		if (tbl_cols[c].key != '\0' && tbl_cols[c].key == key)
			return c;
	return -1;
}

void tbl_scroll(struct tbl_view *v, int visible)
{
	if (visible < 1)
		visible = 1;
	if (v->cursor < v->top)
		v->top = v->cursor;
	else if (v->cursor >= v->top + (size_t)visible)
		v->top = v->cursor - (size_t)visible + 1;
	/* No blank rows at the bottom while there are rows above. */
	if (v->n >= (size_t)visible && v->top > v->n - (size_t)visible)
		v->top = v->n - (size_t)visible;
	if (v->n < (size_t)visible)
		v->top = 0;
}

void tbl_fmt_size(double bytes, char *out, size_t size)
{
	static const char units[] = "KMGTP";
	int u = -1;

	if (isnan(bytes) || bytes < 0) {
		snprintf(out, size, "-");
		return;
	}
	if (bytes < 1000) {
		snprintf(out, size, "%dB", (int)bytes);
		return;
	}
	while (bytes >= 1000 && u < 4) {
		bytes /= 1024;
		u++;
	}
	if (bytes < 9.95)
		snprintf(out, size, "%.1f%c", bytes, units[u]);
	else
		snprintf(out, size, "%d%c", (int)(bytes + 0.5), units[u]);
}

void tbl_fmt_uptime(double secs, char *out, size_t size)
{
	long s = (long)secs;

	if (isnan(secs) || secs < 0)
		snprintf(out, size, "-");
	else if (s < 60)
		snprintf(out, size, "%lds", s);
	else if (s < 3600)
		snprintf(out, size, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, size, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
}

void tbl_fmt_pct(double pct, char *out, size_t size)
{
	if (isnan(pct) || pct < 0)
		snprintf(out, size, "-");
	else if (pct < 99.95)
		snprintf(out, size, "%.1f", pct);
	else
		snprintf(out, size, "%d", (int)(pct + 0.5));
}

static void pair_of(double a, double b, char *out, size_t size)
{
	char x[16], y[16];

	tbl_fmt_size(a, x, sizeof(x));
	tbl_fmt_size(b, y, sizeof(y));
	snprintf(out, size, "%s/%s", x, y);
}

void tbl_cell(const struct ct *c, enum col col, int width, double now, bool utf8, char *out,
	      size_t size)
{
	char a[32];

	out[0] = '\0';
	switch (col) {
	case COL_ALARM:
		snprintf(out, size, "%s",
			 model_alarms_recent(c, now) != 0 || strcmp(c->state, "crashed") == 0
				 ? "!"
				 : " ");
		break;
	case COL_NAME:
		snprintf(out, size, "%.*s", width, c->name);
		break;
	case COL_STATE:
		snprintf(out, size, "%.*s", width, c->state);
		break;
	case COL_ID:
		if (c->id >= 0)
			snprintf(out, size, "%lld", c->id);
		else
			snprintf(out, size, "-");
		break;
	case COL_CPU:
		tbl_fmt_pct(c->cpu_pct, out, size);
		break;
	case COL_SPARK:
		if (model_is_running(c) && width <= 64 &&
		    (size_t)width * GRAPH_CELL_BYTES < size) {
			double v[64];
			model_window(c, SER_CPU, now, 60, v, (size_t)width);
			/* Scaled to 100 % until a container uses more than a core. */
			double max = model_window_max(c, SER_CPU, now, 60);
			graph_spark(v, (size_t)width, max > 100 ? max : 100, utf8, out);
		}
		break;
	case COL_MEM: {
		int text = width > 12 ? 11 : width;
		pair_of(c->mem_used, c->mem_limit, a, sizeof(a));
		if (!model_is_running(c))
			snprintf(a, sizeof(a), "-");
		int n = snprintf(out, size, "%-*.*s", text, text, a);
		int bar = width - text - 1;
		if (bar > 0 && model_is_running(c) && n >= 0 && (size_t)n + 1 + (size_t)bar * GRAPH_CELL_BYTES < size) {
			out[n] = ' ';
			graph_bar(c->mem_used / c->mem_limit, bar, utf8, out + n + 1);
		}
		break;
	}
	case COL_PIDS:
		if (isnan(c->pids))
			snprintf(out, size, "-");
		else
			snprintf(out, size, "%d", (int)c->pids);
		break;
	case COL_NET:
		pair_of(c->rx_bps, c->tx_bps, out, size);
		break;
	case COL_BLK:
		pair_of(c->rd_bps, c->wr_bps, out, size);
		break;
	case COL_UPTIME:
		tbl_fmt_uptime(model_is_running(c) && c->started > 0 ? now - c->started : NAN, out,
			       size);
		break;
	case COL_AUTO:
		snprintf(out, size, "%s", c->autostart ? "A" : " ");
		break;
	case COL_N:
		break;
	}
}
