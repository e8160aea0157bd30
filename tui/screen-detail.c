/* The detail view of one container: dominfo fields, limits, addresses,
 * alarms, and graphs of the last 10 minutes. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config/domain.h"
#include "tui/graph.h"
#include "tui/screen.h"
#include "tui/tui.h"

#define GRAPH_SPAN 600.0
#define MAX_GRAPH_W 200
#define MAX_GRAPH_H 16

/* Fields laid out in two columns when there is room. */
struct fields {
	int y, x0, colw, n, rows, height;
};

static void field(struct fields *f, const char *key, const char *value)
{
	int row = f->colw > 0 ? f->n / 2 : f->n;

	if (row >= f->height)
		return;
	int col = f->colw > 0 ? f->n % 2 : 0;
	int y = f->y + row;
	int x = f->x0 + col * f->colw;
	int w = f->colw > 0 ? f->colw - 1 : COLS - x;

	attron(A_BOLD);
	scr_put(y, x, w, key, false);
	attroff(A_BOLD);
	scr_put(y, x + 13, w - 13, value, false);
	f->n++;
	int used = f->colw > 0 ? (f->n + 1) / 2 : f->n;
	f->rows = used > f->rows ? used : f->rows;
}

static void kib(char *out, size_t size, uint64_t v)
{
	if (v == DOM_UNSET)
		snprintf(out, size, "-");
	else
		tbl_fmt_size((double)v * 1024, out, size);
}

static void limits(struct fields *f, const struct domain *d)
{
	char a[64], b[64], text[160];

	kib(a, sizeof(a), d->memory_kib);
	kib(b, sizeof(b), d->hard_limit_kib);
	snprintf(text, sizeof(text), "%s (hard %s)", a, b);
	field(f, "memory", text);
	if (d->cpuset != NULL)
		snprintf(text, sizeof(text), "%u vcpu, cpuset %s", d->vcpus, d->cpuset);
	else
		snprintf(text, sizeof(text), "%u vcpu", d->vcpus > 0 ? d->vcpus : 1);
	field(f, "cpus", text);
	if (d->has_cpu_quota && d->cpu_quota > 0)
		snprintf(a, sizeof(a), "%lld/%llu us", (long long)d->cpu_quota,
			 (unsigned long long)(d->cpu_period != DOM_UNSET ? d->cpu_period : 100000));
	else
		snprintf(a, sizeof(a), "none");
	if (d->cpu_shares != DOM_UNSET)
		snprintf(text, sizeof(text), "quota %s, shares %llu", a,
			 (unsigned long long)d->cpu_shares);
	else
		snprintf(text, sizeof(text), "quota %s", a);
	field(f, "cpu tune", text);
	if (d->corral.pids_max != DOM_UNSET)
		snprintf(text, sizeof(text), "%llu", (unsigned long long)d->corral.pids_max);
	else
		snprintf(text, sizeof(text), "-");
	field(f, "pids max", text);
	field(f, "init", d->init != NULL ? d->init : "-");
}

/* The addresses a running container has (its monitor's report, leases
 * included), else those its definition fixes. */
static void addresses(struct fields *f, const struct domain *d, json_t *info)
{
	json_t *live = json_object_get(info, "interfaces");
	char text[256];

	if (d->n_interfaces == 0) {
		field(f, "network", dom_wants_netns(d) ? "private, no interfaces" : "host's");
		return;
	}
	for (size_t i = 0; i < d->n_interfaces; i++) {
		const struct dom_interface *in = &d->interfaces[i];
		json_t *now = json_array_get(live, i);
		json_t *addrs = json_object_get(now, "addresses");
		int n = snprintf(text, sizeof(text), "%s %s:", dom_iface_type_names[in->type],
				 in->source != NULL ? in->source : "-");

		if (json_array_size(addrs) > 0) {
			for (size_t k = 0; k < json_array_size(addrs) && n > 0 && (size_t)n < sizeof(text);
			     k++)
				n += snprintf(text + n, sizeof(text) - (size_t)n, " %s",
					      json_string_value(json_array_get(addrs, k)));
		} else {
			for (size_t k = 0; k < in->guest.n_ips && n > 0 && (size_t)n < sizeof(text); k++)
				n += snprintf(text + n, sizeof(text) - (size_t)n, " %s/%d",
					      in->guest.ips[k].address, in->guest.ips[k].prefix);
			if (in->guest.n_ips == 0 && n > 0 && (size_t)n < sizeof(text))
				snprintf(text + n, sizeof(text) - (size_t)n, " (dynamic)");
		}
		field(f, i == 0 ? "addresses" : "", text);
	}
}

static void alarms(struct tui *t, const struct ct *c, int y, int height)
{
	char text[160], when[16];
	int row = 0;

	attron(A_BOLD);
	mvaddstr(y, 1, "alarms");
	attroff(A_BOLD);
	if (c->n_alarms == 0) {
		mvaddstr(y, 14, "none seen");
		return;
	}
	/* Newest first, as many as fit. */
	for (size_t i = c->n_alarms; i-- > 0 && row < height;) {
		const struct alarm *a = &c->alarms[i];
		time_t w = (time_t)a->when;
		struct tm tm;
		localtime_r(&w, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		if (a->count > 1)
			snprintf(text, sizeof(text), "%s  %s (%lld)", when, model_alarm_name(a->kind),
				 a->count);
		else
			snprintf(text, sizeof(text), "%s  %s", when, model_alarm_name(a->kind));
		attr_t attr = tui_now() - a->when <= MODEL_ALARM_WINDOW
				      ? scr_pair(t, PAIR_ALARM, A_BOLD) | A_BOLD
				      : A_NORMAL;
		attron(attr);
		scr_put(y + row, 14, COLS - 15, text, false);
		attroff(attr);
		row++;
	}
}

/* One graph: a title with the latest figure, then the area. */
static void graph(struct tui *t, const struct ct *c, int y, int x, int w, int h,
		  const char *title, enum model_series s1, int s2, bool pct)
{
	double v[MAX_GRAPH_W], v2[MAX_GRAPH_W], now = tui_now();
	char rows_buf[MAX_GRAPH_H][MAX_GRAPH_W * GRAPH_CELL_BYTES + 1];
	char *rows[MAX_GRAPH_H];
	char text[160], cur[16], top[16];

	w = w > MAX_GRAPH_W ? MAX_GRAPH_W : w;
	h = h > MAX_GRAPH_H ? MAX_GRAPH_H : h;
	if (w < 8 || h < 2)
		return;
	model_window(c, s1, now, GRAPH_SPAN, v, (size_t)w);
	double max = model_window_max(c, s1, now, GRAPH_SPAN);
	if (s2 >= 0) {
		/* Both directions of a link in one graph: their sum. */
		model_window(c, (enum model_series)s2, now, GRAPH_SPAN, v2, (size_t)w);
		max = 0;
		for (int i = 0; i < w; i++) {
			if (isnan(v[i]))
				v[i] = v2[i];
			else if (!isnan(v2[i]))
				v[i] += v2[i];
			max = !isnan(v[i]) && v[i] > max ? v[i] : max;
		}
	}
	max = pct ? graph_nice_max(max < 100 ? 100 : max) : graph_nice_bytes(max);
	double last = NAN;
	for (int i = w - 1; i >= 0 && isnan(last); i--)
		last = v[i];
	if (pct) {
		tbl_fmt_pct(last, cur, sizeof(cur));
		snprintf(top, sizeof(top), "%g%%", max);
	} else {
		tbl_fmt_size(last, cur, sizeof(cur));
		tbl_fmt_size(max, top, sizeof(top));
	}
	if (isnan(last))
		snprintf(text, sizeof(text), "%s  (no samples)", title);
	else
		snprintf(text, sizeof(text), "%s  now %s%s  (scale %s, 10 min)", title, cur,
			 pct ? "%" : "", top);
	attron(A_BOLD);
	scr_put(y, x, w, text, false);
	attroff(A_BOLD);
	for (int r = 0; r < h - 1; r++)
		rows[r] = rows_buf[r];
	graph_area(v, (size_t)w, max, h - 1, t->utf8, rows);
	attron(scr_pair(t, PAIR_GRAPH, A_NORMAL));
	for (int r = 0; r < h - 1; r++)
		scr_put(y + 1 + r, x, w, rows[r], false);
	attroff(scr_pair(t, PAIR_GRAPH, A_NORMAL));
}

void scr_detail_draw(struct tui *t, int y, int height)
{
	const struct ct *c = model_find(&t->model, t->detail_name);
	char text[256], a[32], b[32];

	if (c == NULL) {
		snprintf(text, sizeof(text), "'%s' is no longer defined (q goes back)",
			 t->detail_name);
		scr_put(y + 1, 1, COLS - 2, text, false);
		return;
	}
	attron(scr_pair(t, PAIR_TITLE, A_REVERSE));
	mvhline(y, 0, ' ', COLS);
	snprintf(text, sizeof(text), " %s ", c->name);
	scr_put(y, 0, COLS, text, false);
	attroff(scr_pair(t, PAIR_TITLE, A_REVERSE));
	int x = scr_text_width(text) + 1;
	attron(scr_state_attr(t, c->state) | A_REVERSE);
	scr_put(y, x, COLS - x, c->state, false);
	attroff(scr_state_attr(t, c->state) | A_REVERSE);
	x += scr_text_width(c->state) + 2;
	attron(scr_pair(t, PAIR_TITLE, A_REVERSE));
	scr_put(y, x, COLS - x, c->uuid, false);
	attroff(scr_pair(t, PAIR_TITLE, A_REVERSE));

	/* The upper half for fields, the lower for alarms and graphs. */
	struct fields f = { .y = y + 1, .x0 = 1, .colw = COLS >= 80 ? COLS / 2 : 0,
			    .height = height / 2 - 2 };
	snprintf(text, sizeof(text), "%s (%s)", c->state, c->reason);
	field(&f, "state", text);
	if (c->id >= 0)
		snprintf(text, sizeof(text), "%lld", c->id);
	else
		snprintf(text, sizeof(text), "-");
	field(&f, "id", text);
	tbl_fmt_uptime(model_is_running(c) && c->started > 0 ? tui_now() - c->started : NAN, a,
		       sizeof(a));
	field(&f, "uptime", a);
	snprintf(text, sizeof(text), "%s, autostart %s", c->persistent ? "persistent" : "transient",
		 c->autostart ? "on" : "off");
	field(&f, "kind", text);
	tbl_fmt_size(c->mem_used, a, sizeof(a));
	tbl_fmt_size(c->mem_limit, b, sizeof(b));
	snprintf(text, sizeof(text), "%s of %s, ", a, b);
	tbl_cell(c, COL_PIDS, 8, 0, false, a, sizeof(a));
	snprintf(text + strlen(text), sizeof(text) - strlen(text), "pids %s", a);
	field(&f, "in use", text);
	if (t->detail_info != NULL) {
		const char *sec = json_string_value(json_object_get(t->detail_info, "security_model"));
		field(&f, "security", sec != NULL ? sec : "-");
	}
	if (t->detail_def != NULL) {
		limits(&f, t->detail_def);
		addresses(&f, t->detail_def, t->detail_info);
	}
	int gy = f.y + f.rows + 1;
	int alarm_rows = c->n_alarms > 0 ? (c->n_alarms < 3 ? (int)c->n_alarms : 3) : 1;
	alarms(t, c, gy, alarm_rows);
	gy += alarm_rows + 1;

	int left = y + height - gy;
	int gw = (COLS - 3) / 2, gh = left / 2;
	if (gh < 3) {
		/* Too short for four: the CPU alone, full width. */
		graph(t, c, gy, 1, COLS - 2, left, "CPU %", SER_CPU, -1, true);
		return;
	}
	graph(t, c, gy, 1, gw, gh, "CPU %", SER_CPU, -1, true);
	graph(t, c, gy, gw + 2, gw, gh, "memory", SER_MEM, -1, false);
	graph(t, c, gy + gh, 1, gw, gh, "net rx+tx/s", SER_NET_RX, SER_NET_TX, false);
	graph(t, c, gy + gh, gw + 2, gw, gh, "blk r+w/s", SER_BLK_R, SER_BLK_W, false);
}
