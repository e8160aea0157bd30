/* The frame around every screen: the header with host and engine, the
 * footer with the keys that apply, and the status line. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/graph.h"
#include "tui/screen.h"
#include "tui/tui.h"

int scr_text_width(const char *s)
{
	int n = 0;

	/* Every character corral draws is one cell wide: count code points. */
	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void scr_put(int y, int x, int width, const char *s, bool right)
{
	int w = scr_text_width(s);

	if (width <= 0)
		return;
	if (w > width) {
		/* Cut at a character boundary, keeping the left part. */
		const char *p = s;
		int n = 0;
		while (*p != '\0' && n < width) {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			n++;
		}
		mvaddnstr(y, x, s, (int)(p - s));
		return;
	}
	mvaddstr(y, right ? x + width - w : x, s);
}

attr_t scr_pair(const struct tui *t, enum tui_pair pair, attr_t fallback)
{
	return t->color ? COLOR_PAIR(pair) : fallback;
}

attr_t scr_state_attr(const struct tui *t, const char *state)
{
	if (strcmp(state, "running") == 0)
		return scr_pair(t, PAIR_RUNNING, A_BOLD);
	if (strcmp(state, "paused") == 0)
		return scr_pair(t, PAIR_PAUSED, A_UNDERLINE);
	if (strcmp(state, "crashed") == 0)
		return scr_pair(t, PAIR_CRASHED, A_BOLD) | A_BOLD;
	return scr_pair(t, PAIR_SHUTOFF, A_NORMAL);
}

static const char *engine_word(const struct tui *t)
{
	switch (t->engine) {
	case ENG_WATCHING:
		return "live";
	case ENG_POLLING:
		return "polled";
	default:
		return "DOWN";
	}
}

static void header(struct tui *t)
{
	const struct host *h = &t->model.host;
	char line[512], pct[16], used[16], total[16], bar[8 * GRAPH_CELL_BYTES + 1];

	snprintf(line, sizeof(line), " corral %s  %s  kernel %s  cgroup %s  engine ",
		 CORRAL_VERSION, h->hostname, h->kernel, h->cgroup);
	attron(A_BOLD);
	scr_put(0, 0, COLS, line, false);
	attroff(A_BOLD);
	int x = scr_text_width(line);
	attr_t ea = t->engine == ENG_DOWN ? scr_pair(t, PAIR_ERROR, A_BOLD) | A_BOLD
					  : scr_pair(t, PAIR_RUNNING, A_NORMAL);
	attron(ea);
	scr_put(0, x, COLS - x, engine_word(t), false);
	attroff(ea);

	tbl_fmt_pct(h->cpu_pct, pct, sizeof(pct));
	tbl_fmt_size((double)(h->mem_total - h->mem_avail), used, sizeof(used));
	tbl_fmt_size((double)h->mem_total, total, sizeof(total));
	graph_bar(isnan(h->cpu_pct) ? NAN : h->cpu_pct / 100, 8, t->utf8, bar);
	x = 1;
	snprintf(line, sizeof(line), "%zu/%zu running   CPU %5s%% ", model_running(&t->model),
		 t->model.n, pct);
	scr_put(1, x, COLS - x, line, false);
	x += scr_text_width(line);
	attron(scr_pair(t, PAIR_GRAPH, A_NORMAL));
	scr_put(1, x, COLS - x, bar, false);
	attroff(scr_pair(t, PAIR_GRAPH, A_NORMAL));
	x += 8;
	graph_bar(h->mem_total > 0 ? (double)(h->mem_total - h->mem_avail) / (double)h->mem_total
				   : NAN,
		  8, t->utf8, bar);
	snprintf(line, sizeof(line), "   MEM %s/%s ", used, total);
	scr_put(1, x, COLS - x, line, false);
	x += scr_text_width(line);
	attron(scr_pair(t, PAIR_GRAPH, A_NORMAL));
	scr_put(1, x, COLS - x, bar, false);
	attroff(scr_pair(t, PAIR_GRAPH, A_NORMAL));
	x += 8;
	snprintf(line, sizeof(line), "   every %.1fs", t->interval_ms / 1000.0);
	scr_put(1, x, COLS - x, line, false);
}

static void banner(struct tui *t, int y)
{
	char line[512];

	snprintf(line, sizeof(line), " engine not answering (%s): reconnecting; figures shown "
				     "are the last known",
		 t->engine_error);
	attron(scr_pair(t, PAIR_BANNER, A_REVERSE) | A_BOLD);
	mvhline(y, 0, ' ', COLS);
	scr_put(y, 0, COLS, line, false);
	attroff(scr_pair(t, PAIR_BANNER, A_REVERSE) | A_BOLD);
}

static int footer_item(int y, int x, const char *label)
{
	const char *sp = strchr(label, ' ');
	int klen = sp != NULL ? (int)(sp - label) : (int)strlen(label);

	attron(A_REVERSE);
	mvaddnstr(y, x, label, klen);
	attroff(A_REVERSE);
	addstr(label + klen);
	return (int)strlen(label) + 2;
}

/* help, quit and back always show, at the right; the others as many as
 * fit, in the table's order. */
static void footer(struct tui *t, int y)
{
	int right = COLS, x = 0;
	char label[64];

	for (const struct tui_action *a = tui_actions; a->name != NULL; a++)
		if (act_available(t, a) && (a->flags & ACT_FOOTER_END)) {
			act_footer_text(t, a, label, sizeof(label));
			right -= (int)strlen(label) + 2;
		}
	int rx = right;
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++) {
		if (!act_available(t, a))
			continue;
		act_footer_text(t, a, label, sizeof(label));
		if (a->flags & ACT_FOOTER_END) {
			rx += footer_item(y, rx, label);
			continue;
		}
		if (x + (int)strlen(label) > right)
			continue;
		x += footer_item(y, x, label);
	}
}

static void status_line(struct tui *t, int y)
{
	if (t->mode == MODE_FILTER) {
		attron(A_BOLD);
		mvprintw(y, 0, "filter: %s", t->view.filter);
		attroff(A_BOLD);
		return;
	}
	if (t->mode == MODE_CONFIRM) {
		/* The question stays even when another request ends meanwhile. */
		attron(A_BOLD | A_REVERSE);
		mvprintw(y, 0, "%s '%s'? (y/n)", t->confirm->name, t->confirm_name);
		attroff(A_BOLD | A_REVERSE);
		return;
	}
	if (t->status[0] == '\0' && t->view.filter[0] != '\0') {
		attron(A_BOLD);
		mvprintw(y, 0, "filter: %s (%zu of %zu; / changes it)", t->view.filter, t->view.n,
			 t->model.n);
		attroff(A_BOLD);
		return;
	}
	if (t->status[0] == '\0')
		return;
	attr_t a = t->status_error ? scr_pair(t, PAIR_ERROR, A_BOLD) | A_BOLD : A_NORMAL;
	attron(a);
	scr_put(y, 0, COLS, t->status, false);
	attroff(a);
}

void scr_frame_draw(struct tui *t)
{
	int top = 2;

	header(t);
	if (t->engine == ENG_DOWN)
		banner(t, top++);
	int height = LINES - top - 2;
	if (t->area_y != top || t->area_h != height) {
		t->area_y = top;
		t->area_h = height;
		panes_relayout(t);
	}
	if (t->screen == SCR_DETAIL && t->detail_name != NULL)
		scr_detail_draw(t, top, height);
	else
		scr_panes_draw(t);
	footer(t, LINES - 2);
	status_line(t, LINES - 1);
}
