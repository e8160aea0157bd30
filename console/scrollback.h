/* Compact scrollback of a pane: lines that left the top of the screen, kept
 * as UTF-8 text plus run-length attribute spans under a line budget. */
#ifndef CORRAL_CONSOLE_SCROLLBACK_H
#define CORRAL_CONSOLE_SCROLLBACK_H

#include <stddef.h>
#include <vterm.h>

struct sb;

/* budget: the most lines kept; 0 keeps none. */
struct sb *sb_new(size_t budget);
void sb_free(struct sb *sb);

/* Lowering the budget drops the oldest lines at once. */
void sb_set_budget(struct sb *sb, size_t budget);
size_t sb_budget(const struct sb *sb);
size_t sb_count(const struct sb *sb);
void sb_clear(struct sb *sb);

/* Colours given to the blank cells that pad a line read back wider than it
 * was stored (trailing blanks are not stored). */
void sb_set_blank(struct sb *sb, const VTermColor *fg, const VTermColor *bg);

/* Appends a line as libvterm hands it over (sb_pushline); when the budget is
 * full the oldest line goes. */
void sb_push(struct sb *sb, const VTermScreenCell *cells, int ncells);

/* Decodes line i (0 is the newest, just above the screen) into ncells cells,
 * padded with blanks or cut. Returns the number of stored cells, or -1 when i
 * is out of range. */
int sb_line(const struct sb *sb, size_t i, VTermScreenCell *cells, int ncells);

/* Like sb_line(sb, 0, ...) and removes that line: for sb_popline when the
 * screen grows taller. */
int sb_pop(struct sb *sb, VTermScreenCell *cells, int ncells);

/* The UTF-8 text of line i without trailing blanks (for search); NULL when i
 * is out of range. Valid until the next change to sb. */
const char *sb_text(const struct sb *sb, size_t i, size_t *len);

/* Heap bytes held for the lines, allocator overhead included. */
size_t sb_bytes(const struct sb *sb);

#endif
