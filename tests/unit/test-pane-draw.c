/* console/pane-draw: panes drawn into a curses screen made by newterm() on
 * /dev/null with a fixed TERM, read back cell by cell. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console/pane-draw.h"
#include "console/pane.h"
#include "lib/error.h"
#include "lib/file.h"

#define FIX "tests/fixtures/vt/"

static SCREEN *screen;
static FILE *out, *in;

/* Each Criterion test runs in its own process, so one curses screen per
 * test, independent of the terminal running the tests. */
static void term_up(const char *term)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	setenv("TERM", term, 1);
	setenv("LINES", "30", 1);
	setenv("COLUMNS", "100", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	screen = newterm(term, out, in);
	cr_assert_not_null(screen);
	start_color();
}

static void term_down(void)
{
	endwin();
	delscreen(screen);
	fclose(out);
	fclose(in);
}

static struct pane *new_pane(int rows, int cols)
{
	struct pane_opts o = { .id = 3, .rows = rows, .cols = cols, .sb_lines = 100 };
	struct error err = ERROR_INIT;
	struct pane *p = pane_new(&o, &err);

	cr_assert_not_null(p, "%s", err_msg(&err));
	return p;
}

static void feed_file(struct pane *p, const char *name)
{
	struct error err = ERROR_INIT;
	char *buf;
	size_t len;

	cr_assert_eq(file_read_all(name, 1 << 20, &buf, &len, &err), 0, "%s", err_msg(&err));
	pane_feed(p, buf, len);
	pane_process(p, len);
	free(buf);
}

static void feed(struct pane *p, const char *s)
{
	pane_feed(p, s, strlen(s));
	pane_process(p, strlen(s));
}

struct got {
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attrs;
	int pair, fg, bg;
};

static struct got cell_at(WINDOW *w, int y, int x)
{
	struct got g = { 0 };
	cchar_t cc;
	short spair;

	cr_assert_eq(mvwin_wch(w, y, x, &cc), OK);
	cr_assert_eq(getcchar(&cc, g.wch, &g.attrs, &spair, &g.pair), OK);
	cr_assert_eq(extended_pair_content(g.pair, &g.fg, &g.bg), OK);
	return g;
}

static void row_is(WINDOW *w, int y, const char *want)
{
	char buf[256];
	int n = mvwinnstr(w, y, 0, buf, getmaxx(w));

	cr_assert_geq(n, 0);
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	cr_assert_str_eq(buf, want, "window row %d: \"%s\", want \"%s\"", y, buf, want);
}

Test(pane_draw, attributes_and_colours_256)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ .first_pair = 16 });
	struct pane *p = new_pane(10, 20);
	WINDOW *w = newwin(10, 20, 0, 0);
	struct got g;

	cr_assert_eq(COLORS, 256);
	feed_file(p, FIX "sgr.vt");
	cr_assert_eq(pdraw_pane(d, p, w, PDRAW_FULL), 10);
	row_is(w, 0, "BURIKrbont");

	g = cell_at(w, 0, 0);
	cr_assert_eq(g.wch[0], L'B');
	cr_assert(g.attrs & A_BOLD);
	cr_assert_eq(g.pair, 0, "default colours use pair 0");
	cr_assert(cell_at(w, 0, 1).attrs & A_UNDERLINE);
	cr_assert_not(cell_at(w, 0, 1).attrs & A_BOLD);
	cr_assert(cell_at(w, 0, 2).attrs & A_REVERSE);
	cr_assert(cell_at(w, 0, 3).attrs & A_ITALIC);
	cr_assert(cell_at(w, 0, 4).attrs & A_BLINK);

	g = cell_at(w, 0, 5);
	cr_assert_geq(g.pair, 16, "host pairs left alone");
	cr_assert_eq(g.fg, 1);
	cr_assert_eq(g.bg, -1);
	cr_assert_eq(cell_at(w, 0, 6).fg, 12);
	cr_assert_eq(cell_at(w, 0, 7).fg, 202);
	g = cell_at(w, 0, 8);
	cr_assert_eq(g.fg, -1);
	cr_assert_eq(g.bg, 17);
	/* rgb(10,20,30): the grey ramp's 233 (18,18,18) beats the cube's black. */
	cr_assert_eq(cell_at(w, 0, 9).fg, 233);
	cr_assert_eq(cell_at(w, 0, 10).pair, 0);

	struct pdraw_stats st;
	pdraw_stats(d, &st);
	cr_assert_eq(st.pairs, 5);
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, wide_and_combining_characters)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ 0 });
	struct pane *p = new_pane(10, 20);
	WINDOW *w = newwin(10, 20, 0, 0);
	struct got g;

	feed_file(p, FIX "wide.vt");
	pdraw_pane(d, p, w, PDRAW_FULL);
	cr_assert_eq(cell_at(w, 0, 0).wch[0], 0x4e2d);
	cr_assert_eq(cell_at(w, 0, 2).wch[0], 0x6587);
	cr_assert_eq(cell_at(w, 0, 4).wch[0], L'x');
	g = cell_at(w, 1, 0);
	cr_assert_eq(g.wch[0], L'e');
	cr_assert_eq(g.wch[1], 0x301);
	cr_assert_eq(cell_at(w, 1, 1).wch[0], L't');
	cr_assert_eq(cell_at(w, 1, 2).wch[0], 0xe9);
	row_is(w, 2, "0123456789012345678");
	cr_assert_eq(cell_at(w, 3, 0).wch[0], 0x4e2d);
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, only_damaged_rows_are_redrawn)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ 0 });
	struct pane *p = new_pane(10, 20);
	WINDOW *w = newwin(10, 20, 0, 0);

	feed(p, "top\r\n\r\n\r\n\r\n\r\nfive");
	pdraw_pane(d, p, w, PDRAW_FULL);
	row_is(w, 5, "five");
	cr_assert_eq(pdraw_pane(d, p, w, 0), 0, "nothing new, nothing drawn");

	/* Scribble on row 5 behind the pane's back: only a redraw of that
	 * row would repair it. */
	mvwaddstr(w, 5, 0, "ZZZZ");
	feed(p, "\e[1;1Hnew");
	cr_assert_eq(pdraw_pane(d, p, w, 0), 1);
	cr_assert_eq(getcury(w), 0, "cursor left on the pane's");
	cr_assert_eq(getcurx(w), 3);
	row_is(w, 0, "new");
	row_is(w, 5, "ZZZZ");

	pane_damage_all(p);
	pdraw_pane(d, p, w, 0);
	row_is(w, 5, "five");
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, pane_smaller_and_larger_than_window)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ 0 });
	struct pane *p = new_pane(3, 10);
	WINDOW *w = newwin(5, 8, 0, 0);

	mvwaddstr(w, 4, 0, "stale");
	feed(p, "0123456789\xe4\xb8\xad\r\n");
	feed(p, "abcdefg\xe4\xb8\xad");
	pdraw_pane(d, p, w, PDRAW_FULL);
	row_is(w, 0, "01234567");
	row_is(w, 1, "\xe4\xb8\xad");
	/* The wide character cut by the window edge shows as a blank. */
	row_is(w, 2, "abcdefg");
	row_is(w, 4, "");
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, eight_colour_terminal)
{
	term_up("xterm");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ 0 });
	struct pane *p = new_pane(4, 20);
	WINDOW *w = newwin(4, 20, 0, 0);

	cr_assert_eq(COLORS, 8);
	feed(p, "\e[91ma\e[38;5;196mb\e[38;2;0;0;200mc\e[48;5;34md");
	pdraw_pane(d, p, w, PDRAW_FULL);
	cr_assert_eq(cell_at(w, 0, 0).fg, COLOR_RED);
	cr_assert_eq(cell_at(w, 0, 1).fg, COLOR_RED);
	cr_assert_eq(cell_at(w, 0, 2).fg, COLOR_BLUE);
	cr_assert_eq(cell_at(w, 0, 3).bg, COLOR_GREEN);
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, pair_cache_is_bounded)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ .first_pair = 1, .max_pairs = 4 });
	struct pane *p = new_pane(4, 20);
	WINDOW *w = newwin(4, 20, 0, 0);
	struct pdraw_stats st;
	char seq[32];

	for (int i = 0; i < 10; i++) {
		snprintf(seq, sizeof(seq), "\e[38;5;%dm%d", 100 + i, i);
		feed(p, seq);
	}
	cr_assert_not(pdraw_take_evicted(d));
	pdraw_pane(d, p, w, PDRAW_FULL);
	pdraw_stats(d, &st);
	cr_assert_eq(st.pairs, 4);
	cr_assert_eq(st.evictions, 6, "%lu evictions", st.evictions);
	cr_assert(pdraw_take_evicted(d));
	cr_assert_not(pdraw_take_evicted(d));
	/* The last four colours own the pairs now. */
	for (int i = 6; i < 10; i++)
		cr_assert_eq(cell_at(w, 0, i).fg, 100 + i);

	/* A colour in use is found again, not reallocated. */
	pdraw_pane(d, p, w, 0);
	feed(p, "\e[3;1H\e[38;5;109mX");
	pdraw_pane(d, p, w, 0);
	pdraw_stats(d, &st);
	cr_assert_eq(st.evictions, 6);
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

Test(pane_draw, scrolled_back_view)
{
	term_up("xterm-256color");
	struct pdraw *d = pdraw_new(&(struct pdraw_opts){ 0 });
	struct pane *p = new_pane(10, 20);
	WINDOW *w = newwin(10, 20, 0, 0);
	char line[16];

	for (int i = 0; i < 30; i++) {
		snprintf(line, sizeof(line), "\e[32ml%d\r\n", i);
		feed(p, line);
	}
	pdraw_scrolled(d, p, w, 5);
	row_is(w, 0, "l16");
	row_is(w, 4, "l20");
	row_is(w, 5, "l21");
	row_is(w, 9, "l25");
	cr_assert_eq(cell_at(w, 0, 0).fg, 2, "history keeps its colour");
	pdraw_scrolled(d, p, w, 1000);
	row_is(w, 0, "l0");
	pdraw_scrolled(d, p, w, 0);
	row_is(w, 0, "l21");
	pdraw_free(d);
	pane_unref(p, "test");
	delwin(w);
	term_down();
}

static VTermColor idx(int i)
{
	VTermColor c;

	vterm_color_indexed(&c, (uint8_t)i);
	return c;
}

static VTermColor rgb(int r, int g, int b)
{
	VTermColor c;

	vterm_color_rgb(&c, (uint8_t)r, (uint8_t)g, (uint8_t)b);
	return c;
}

Test(pane_draw, colour_mapping)
{
	VTermColor c;

	c = idx(196);
	cr_assert_eq(pdraw_map_color(256, &c), 196);
	c = rgb(255, 0, 0);
	cr_assert_eq(pdraw_map_color(256, &c), 196);
	c = rgb(128, 128, 128);
	cr_assert_eq(pdraw_map_color(256, &c), 244);
	c = rgb(95, 135, 175);
	cr_assert_eq(pdraw_map_color(256, &c), 16 + 36 * 1 + 6 * 2 + 3);
	c = rgb(255, 255, 255);
	cr_assert_eq(pdraw_map_color(256, &c), 231);

	c = rgb(250, 10, 10);
	cr_assert_eq(pdraw_map_color(16, &c), 9);
	c = idx(13);
	cr_assert_eq(pdraw_map_color(16, &c), 13);
	c = idx(9);
	cr_assert_eq(pdraw_map_color(8, &c), 1);
	c = idx(231);
	cr_assert_eq(pdraw_map_color(16, &c), 15);

	c = idx(3);
	cr_assert_eq(pdraw_map_color(1 << 24, &c), 3);
	c = idx(196);
	cr_assert_eq(pdraw_map_color(1 << 24, &c), 0xff0000);
	c = rgb(1, 2, 3);
	cr_assert_eq(pdraw_map_color(1 << 24, &c), 0x010203);
}
