/* console/scrollback: the line budget, round trips of text and attributes
 * taken from a real libvterm screen, and the memory a line costs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "console/scrollback.h"

#define COLS 80

/* Cells of the top row after libvterm has drawn s: realistic input for the
 * scrollback, wide and combining characters included. */
static void row_of(const char *s, int cols, VTermScreenCell *cells, VTermColor *dfg,
		   VTermColor *dbg)
{
	VTerm *vt = vterm_new(4, cols);
	VTermScreen *scr = vterm_obtain_screen(vt);

	vterm_set_utf8(vt, 1);
	vterm_screen_reset(scr, 1);
	vterm_input_write(vt, s, strlen(s));
	for (int c = 0; c < cols; c++)
		vterm_screen_get_cell(scr, (VTermPos){ 0, c }, &cells[c]);
	if (dfg != NULL)
		vterm_state_get_default_colors(vterm_obtain_state(vt), dfg, dbg);
	vterm_free(vt);
}

static void assert_cell_eq(const VTermScreenCell *a, const VTermScreenCell *b, int col)
{
	for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL; k++) {
		cr_assert_eq(a->chars[k], b->chars[k], "col %d char %d: %x != %x", col, k,
			     a->chars[k], b->chars[k]);
		if (a->chars[k] == 0)
			break;
	}
	cr_assert_eq(a->width, b->width, "col %d width", col);
	cr_assert_eq(a->attrs.bold, b->attrs.bold, "col %d bold", col);
	cr_assert_eq(a->attrs.underline, b->attrs.underline, "col %d underline", col);
	cr_assert_eq(a->attrs.italic, b->attrs.italic, "col %d italic", col);
	cr_assert_eq(a->attrs.blink, b->attrs.blink, "col %d blink", col);
	cr_assert_eq(a->attrs.reverse, b->attrs.reverse, "col %d reverse", col);
	cr_assert_eq(a->attrs.strike, b->attrs.strike, "col %d strike", col);
	cr_assert(vterm_color_is_equal(&a->fg, &b->fg), "col %d fg", col);
	cr_assert(vterm_color_is_equal(&a->bg, &b->bg), "col %d bg", col);
	cr_assert_eq(a->fg.type, b->fg.type, "col %d fg type", col);
	cr_assert_eq(a->bg.type, b->bg.type, "col %d bg type", col);
}

Test(scrollback, budget_keeps_the_newest_lines)
{
	struct sb *sb = sb_new(100);
	VTermScreenCell cells[COLS];
	char line[32];
	const char *t;
	size_t len;

	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		row_of(line, COLS, cells, NULL, NULL);
		sb_push(sb, cells, COLS);
	}
	cr_assert_eq(sb_count(sb), 100);
	t = sb_text(sb, 0, &len);
	cr_assert_eq(len, 8);
	cr_assert_eq(memcmp(t, "line 999", len), 0);
	t = sb_text(sb, 99, &len);
	cr_assert_eq(memcmp(t, "line 900", len), 0);
	cr_assert_null(sb_text(sb, 100, &len));
	cr_assert_eq(sb_line(sb, 100, cells, COLS), -1);

	sb_set_budget(sb, 10);
	cr_assert_eq(sb_count(sb), 10);
	t = sb_text(sb, 9, &len);
	cr_assert_eq(memcmp(t, "line 990", len), 0);
	sb_push(sb, cells, COLS);
	cr_assert_eq(sb_count(sb), 10);

	sb_set_budget(sb, 0);
	sb_push(sb, cells, COLS);
	cr_assert_eq(sb_count(sb), 0);
	sb_free(sb);
}

Test(scrollback, text_and_attributes_round_trip)
{
	const char *s = "\e[1;31mred\e[0m plain \e[4munder\e[7mrev\e[0m \xe4\xb8\xad\xe6\x96\x87"
			" e\xcc\x81 \e[3;5mital\e[9mstrike\e[0m \e[38;5;123m256"
			"\e[38;2;1;2;3mrgb\e[48;5;200mbg\e[0m\e[44m  \e[0m";
	VTermScreenCell in[COLS], out[COLS];
	VTermColor dfg, dbg;
	struct sb *sb = sb_new(10);

	row_of(s, COLS, in, &dfg, &dbg);
	sb_set_blank(sb, &dfg, &dbg);
	sb_push(sb, in, COLS);
	cr_assert_gt(sb_line(sb, 0, out, COLS), 40);
	for (int c = 0; c < COLS; c++)
		assert_cell_eq(&in[c], &out[c], c);

	/* Wider than stored: blank default cells follow. */
	VTermScreenCell wide[COLS + 20];
	sb_line(sb, 0, wide, COLS + 20);
	for (int c = COLS; c < COLS + 20; c++) {
		cr_assert_eq(wide[c].chars[0], 0);
		cr_assert(VTERM_COLOR_IS_DEFAULT_BG(&wide[c].bg));
	}

	size_t len;
	const char *t = sb_text(sb, 0, &len);
	cr_assert_not_null(memmem(t, len, "red plain underrev \xe4\xb8\xad\xe6\x96\x87 e\xcc\x81", 27));
	sb_free(sb);
}

Test(scrollback, wide_character_cut_by_a_narrow_read)
{
	VTermScreenCell in[COLS], out[4];
	struct sb *sb = sb_new(10);

	row_of("abc\xe4\xb8\xad", COLS, in, NULL, NULL);
	sb_push(sb, in, COLS);
	cr_assert_eq(sb_line(sb, 0, out, 4), 5);
	cr_assert_eq(out[2].chars[0], 'c');
	cr_assert_eq(out[3].width, 1);
	cr_assert_eq(out[3].chars[0], ' ');
	sb_free(sb);
}

Test(scrollback, pop_returns_the_newest)
{
	VTermScreenCell cells[COLS];
	struct sb *sb = sb_new(10);

	row_of("first", COLS, cells, NULL, NULL);
	sb_push(sb, cells, COLS);
	row_of("second", COLS, cells, NULL, NULL);
	sb_push(sb, cells, COLS);
	memset(cells, 0, sizeof(cells));
	cr_assert_eq(sb_pop(sb, cells, COLS), 6);
	cr_assert_eq(cells[0].chars[0], 's');
	cr_assert_eq(sb_count(sb), 1);
	cr_assert_eq(sb_pop(sb, cells, COLS), 5);
	cr_assert_eq(sb_pop(sb, cells, COLS), -1);
	sb_free(sb);
}

/* libvterm keeps 40 bytes per cell; plain text must cost about a byte per
 * character here. */
Test(scrollback, memory_per_line)
{
	enum { WIDE = 200, LINES = 2000 };
	VTermScreenCell cells[WIDE];
	char text[WIDE + 1];
	struct sb *sb = sb_new(LINES);
	size_t full, shortl;

	for (int i = 0; i < WIDE; i++)
		text[i] = (char)('a' + i % 26);
	text[WIDE] = '\0';
	row_of(text, WIDE, cells, NULL, NULL);
	for (int i = 0; i < LINES; i++)
		sb_push(sb, cells, WIDE);
	full = sb_bytes(sb) / LINES;

	sb_clear(sb);
	row_of("$ ls -l /etc", WIDE, cells, NULL, NULL);
	for (int i = 0; i < LINES; i++)
		sb_push(sb, cells, WIDE);
	shortl = sb_bytes(sb) / LINES;
	cr_log_info("scrollback: %zu bytes per full %d-column line, %zu per short line "
		    "(libvterm cells: %zu)",
		    full, WIDE, shortl, sizeof(VTermScreenCell) * WIDE);
	cr_assert_lt(full, WIDE + 48, "full line costs %zu bytes", full);
	cr_assert_lt(shortl, 48, "short line costs %zu bytes", shortl);
	cr_assert_lt(full * 20, sizeof(VTermScreenCell) * WIDE);
	sb_free(sb);
}
