/* Drawing helpers the screens share. */
#ifndef CORRAL_TUI_SCREEN_H
#define CORRAL_TUI_SCREEN_H

#include <curses.h>
#include <stdbool.h>

#include "tui/tui.h"

/* Cells s takes (every character corral draws is one cell wide). */
int scr_text_width(const char *s);
/* Draws s within width cells at (y, x), cut or right-aligned. */
void scr_put(int y, int x, int width, const char *s, bool right);
/* The colour pair, or fallback on a terminal without colours. */
attr_t scr_pair(const struct tui *t, enum tui_pair pair, attr_t fallback);
attr_t scr_state_attr(const struct tui *t, const char *state);

#endif
