/* Drawing panes into ncurses windows: cells to cchar_t, libvterm colours to
 * what the outer terminal has, through a bounded cache of colour pairs. */
#ifndef CORRAL_CONSOLE_PANE_DRAW_H
#define CORRAL_CONSOLE_PANE_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <vterm.h>

struct pane;

struct pdraw_opts {
	int first_pair; /* pairs below this one belong to the host */
	int max_pairs;  /* cache size; 0 picks min(4096, what the terminal has) */
};

struct pdraw_stats {
	int pairs;              /* pairs in use */
	int max_pairs;
	unsigned long evictions; /* pairs redefined to make room */
};

/* The drawing context the TUI owns, one per curses SCREEN. Create it after
 * start_color(); it asks for the terminal's default colours
 * (use_default_colors) so that default cells keep the outer terminal's. */
struct pdraw *pdraw_new(const struct pdraw_opts *opts);
void pdraw_free(struct pdraw *d);

enum pdraw_flags {
	PDRAW_FULL = 1 << 0, /* every row, and clear what lies outside the pane */
};

/* Draws the pane's damaged rows into w from its top-left corner and clears
 * the pane's damage; the window's cursor is left on the pane's cursor.
 * Returns the number of rows drawn. */
int pdraw_pane(struct pdraw *d, struct pane *p, WINDOW *w, unsigned flags);

/* Draws the pane as seen offset lines back into its scrollback (for the
 * scrollback mode); offset 0 is the live screen. Draws every row. */
void pdraw_scrolled(struct pdraw *d, const struct pane *p, WINDOW *w, size_t offset);

/* True (once) when a full cache redefined a pair that cells drawn earlier
 * may still use: the host should redraw every pane with PDRAW_FULL. */
bool pdraw_take_evicted(struct pdraw *d);
void pdraw_stats(const struct pdraw *d, struct pdraw_stats *st);

/* The colour pair for a foreground and background, from the cache. */
int pdraw_pair(struct pdraw *d, const VTermColor *fg, const VTermColor *bg);

/* A libvterm colour as a colour number for a terminal with ncolors colours
 * (8, 16, 256, or 1 << 24 for direct colour): nearest match when the
 * terminal has fewer. Default colours are the caller's business. */
int pdraw_map_color(int ncolors, const VTermColor *c);

#endif
