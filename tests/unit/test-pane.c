/* console/pane: recorded escape sequences in tests/fixtures/vt/ fed to a
 * 20x10 pane, then the screen checked cell by cell. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console/pane.h"
#include "console/scrollback.h"
#include "lib/error.h"
#include "lib/file.h"

#define FIX "tests/fixtures/vt/"

static struct pane *new_pane(void)
{
	struct pane_opts o = { .id = 1, .rows = 10, .cols = 20, .sb_lines = 100 };
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
	cr_assert_eq(pane_process(p, len), len);
	free(buf);
}

static void assert_row(struct pane *p, int row, const char *want)
{
	char got[256];

	pane_row_text(p, row, got, sizeof(got));
	cr_assert_str_eq(got, want, "row %d: \"%s\", want \"%s\"", row, got, want);
}

static VTermScreenCell cell(struct pane *p, int row, int col)
{
	VTermScreenCell c;

	cr_assert_eq(pane_cell(p, row, col, &c), 0);
	return c;
}

Test(pane, text_placement_and_line_wrap)
{
	struct pane *p = new_pane();
	int row, col;
	bool vis;

	feed_file(p, FIX "wrap.vt");
	assert_row(p, 0, "abcdefghijklmnopqrst");
	assert_row(p, 1, "uvwxyz0123");
	assert_row(p, 2, "next");
	pane_cursor(p, &row, &col, &vis);
	cr_assert_eq(row, 2);
	cr_assert_eq(col, 4);
	cr_assert(vis);
	pane_unref(p, "test");
}

Test(pane, scroll_region_scrolls_only_its_lines)
{
	struct pane *p = new_pane();

	feed_file(p, FIX "scroll-region.vt");
	assert_row(p, 0, "1");
	assert_row(p, 1, "A");
	assert_row(p, 2, " B");
	assert_row(p, 3, "  C");
	assert_row(p, 4, "5");
	assert_row(p, 5, "6");
	/* Lines scrolled inside a region are not history. */
	cr_assert_eq(sb_count(pane_scrollback(p)), 0);
	pane_unref(p, "test");
}

Test(pane, alternate_screen_switches_and_restores)
{
	struct pane *p = new_pane();
	unsigned ch;

	feed_file(p, FIX "altscreen-enter.vt");
	ch = pane_take_changes(p);
	cr_assert(ch & PANE_CH_SCREEN);
	cr_assert(pane_altscreen(p));
	assert_row(p, 0, "alt screen");
	assert_row(p, 1, "");

	pane_damage_clear(p);
	feed_file(p, FIX "altscreen-leave.vt");
	cr_assert_not(pane_altscreen(p));
	assert_row(p, 0, "main screen");
	for (int r = 0; r < 10; r++)
		cr_assert(pane_row_dirty(p, r), "row %d redrawn after leaving", r);
	pane_unref(p, "test");
}

Test(pane, wide_and_combining_characters)
{
	struct pane *p = new_pane();
	VTermScreenCell c;

	feed_file(p, FIX "wide.vt");
	c = cell(p, 0, 0);
	cr_assert_eq(c.chars[0], 0x4e2d);
	cr_assert_eq(c.width, 2);
	c = cell(p, 0, 2);
	cr_assert_eq(c.chars[0], 0x6587);
	cr_assert_eq(cell(p, 0, 4).chars[0], 'x');

	c = cell(p, 1, 0);
	cr_assert_eq(c.chars[0], 'e');
	cr_assert_eq(c.chars[1], 0x301);
	cr_assert_eq(c.width, 1);
	cr_assert_eq(cell(p, 1, 1).chars[0], 't');
	cr_assert_eq(cell(p, 1, 2).chars[0], 0xe9);

	/* A wide character does not fit the last column: it wraps whole. */
	assert_row(p, 2, "0123456789012345678");
	c = cell(p, 3, 0);
	cr_assert_eq(c.chars[0], 0x4e2d);
	cr_assert_eq(c.width, 2);
	pane_unref(p, "test");
}

Test(pane, sgr_attributes_and_colours)
{
	struct pane *p = new_pane();
	VTermScreenCell c;

	feed_file(p, FIX "sgr.vt");
	cr_assert(cell(p, 0, 0).attrs.bold);
	cr_assert_not(cell(p, 0, 1).attrs.bold);
	cr_assert_eq(cell(p, 0, 1).attrs.underline, VTERM_UNDERLINE_SINGLE);
	cr_assert(cell(p, 0, 2).attrs.reverse);
	cr_assert(cell(p, 0, 3).attrs.italic);
	cr_assert(cell(p, 0, 4).attrs.blink);

	c = cell(p, 0, 5);
	cr_assert(VTERM_COLOR_IS_INDEXED(&c.fg));
	cr_assert_eq(c.fg.indexed.idx, 1);
	cr_assert(VTERM_COLOR_IS_DEFAULT_BG(&c.bg));
	c = cell(p, 0, 6);
	cr_assert_eq(c.fg.indexed.idx, 12);
	c = cell(p, 0, 7);
	cr_assert(VTERM_COLOR_IS_INDEXED(&c.fg));
	cr_assert_eq(c.fg.indexed.idx, 202);
	c = cell(p, 0, 8);
	cr_assert(VTERM_COLOR_IS_INDEXED(&c.bg));
	cr_assert_eq(c.bg.indexed.idx, 17);
	cr_assert(VTERM_COLOR_IS_DEFAULT_FG(&c.fg));
	c = cell(p, 0, 9);
	cr_assert(VTERM_COLOR_IS_RGB(&c.fg));
	cr_assert_eq(c.fg.rgb.red, 10);
	cr_assert_eq(c.fg.rgb.green, 20);
	cr_assert_eq(c.fg.rgb.blue, 30);
	c = cell(p, 0, 10);
	cr_assert(VTERM_COLOR_IS_DEFAULT_FG(&c.fg));
	pane_unref(p, "test");
}

Test(pane, cursor_position_and_visibility)
{
	struct pane *p = new_pane();
	int row, col;
	bool vis;

	pane_take_changes(p);
	feed_file(p, FIX "cursor.vt");
	cr_assert(pane_take_changes(p) & PANE_CH_CURSOR);
	pane_cursor(p, &row, &col, &vis);
	cr_assert_eq(row, 4);
	cr_assert_eq(col, 10);
	cr_assert_not(vis);
	cr_assert_eq(cell(p, 4, 9).chars[0], 'x');
	pane_unref(p, "test");
}

Test(pane, title_and_bell)
{
	struct pane *p = new_pane();
	unsigned ch;

	cr_assert_str_eq(pane_title(p), "");
	pane_take_changes(p);
	feed_file(p, FIX "title-bell.vt");
	ch = pane_take_changes(p);
	cr_assert(ch & PANE_CH_TITLE);
	cr_assert(ch & PANE_CH_BELL);
	cr_assert_str_eq(pane_title(p), "second title");
	cr_assert_eq(pane_take_changes(p), 0);
	pane_unref(p, "test");
}

Test(pane, lines_scrolled_off_the_top_go_to_scrollback)
{
	struct pane *p = new_pane();
	char line[16];
	const char *t;
	size_t len;

	for (int i = 0; i < 30; i++) {
		int n = snprintf(line, sizeof(line), "l%d\r\n", i);
		pane_feed(p, line, (size_t)n);
	}
	pane_process(p, 1 << 20);
	/* 30 lines and an empty one at the bottom: 21 went up. */
	cr_assert_eq(sb_count(pane_scrollback(p)), 21);
	t = sb_text(pane_scrollback(p), 0, &len);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(t, "l20", 3), 0);
	assert_row(p, 0, "l21");

	/* Growing the pane pulls history back onto the screen. */
	pane_resize(p, 15, 20);
	assert_row(p, 0, "l16");
	cr_assert_eq(sb_count(pane_scrollback(p)), 16);
	pane_unref(p, "test");
}

Test(pane, refs)
{
	struct pane *p = new_pane();

	cr_assert_eq(pane_ref(p, "layout"), p);
	pane_unref(p, "test");
	cr_assert_eq(pane_id(p), 1);
	pane_unref(p, "layout");
}
