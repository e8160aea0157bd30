/* The help overlay: every key of the actions table, in a box over the
 * screen, so that the help can never disagree with what the keys do. */
#include <curses.h>
#include <stdio.h>

#include "tui/actions.h"
#include "tui/screen.h"
#include "tui/tui.h"

static const char *const extra[] = {
	"",
	"In the filter: type to narrow, Enter keeps it, Esc clears it.",
	"Asked to confirm: y does it, any other key cancels.",
	"Mouse: click selects, click a column title sorts, wheel scrolls.",
	"Alarms (!): OOM kill, pids limit, CPU throttling or crash in the last minute.",
};

void scr_help_draw(struct tui *t)
{
	int n = 0, nextra = (int)(sizeof(extra) / sizeof(extra[0]));

	for (const struct tui_action *a = tui_actions; a->name != NULL; a++)
		n++;
	int w = COLS - 4 < 84 ? COLS - 4 : 84;
	int h = LINES - 2;
	int x = (COLS - w) / 2, y = 1;
	int inner = h - 3;
	int total = n + nextra;
	if (t->help_top > total - inner)
		t->help_top = total - inner > 0 ? total - inner : 0;

	for (int r = 0; r < h; r++)
		mvhline(y + r, x, ' ', w);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attron(A_BOLD);
	scr_put(y, x + 2, w - 4,
		t->utf8 ? " corral keys (↑↓ scroll, any other key closes) "
			: " corral keys (up/down scroll, any other key closes) ",
		false);
	attroff(A_BOLD);

	int row = 0, i = 0;
	char text[256];
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++, i++) {
		if (i < t->help_top || row >= inner)
			continue;
		char keys[64];
		act_keys_text(t, a, keys, sizeof(keys));
		attron(A_BOLD);
		scr_put(y + 2 + row, x + 2, 12, keys, false);
		attroff(A_BOLD);
		snprintf(text, sizeof(text), "%-14s %s%s", a->name, a->help,
			 a->flags & ACT_DETAIL && !(a->flags & ACT_TABLE) ? " (detail view)" : "");
		scr_put(y + 2 + row, x + 15, w - 17, text, false);
		row++;
	}
	for (int e = 0; e < nextra; e++, i++) {
		if (i < t->help_top || row >= inner)
			continue;
		scr_put(y + 2 + row, x + 2, w - 4, extra[e], false);
		row++;
	}
}
