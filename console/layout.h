/* The split-pane layout: a tree whose leaves are pane ids and whose inner
 * cells split their rectangle left/right or top/bottom, with one-cell
 * borders, zoom, and geometric focus moves (after tmux's layout.c). */
#ifndef CORRAL_CONSOLE_LAYOUT_H
#define CORRAL_CONSOLE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct error;

enum layout_split {
	LAYOUT_LEFTRIGHT, /* side by side, a border column between */
	LAYOUT_TOPBOTTOM, /* one above the other */
};

enum layout_dir { LAYOUT_UP, LAYOUT_DOWN, LAYOUT_LEFT, LAYOUT_RIGHT };

enum layout_part {
	LAYOUT_NONE,   /* off the screen, or the layout is empty */
	LAYOUT_PANE,   /* a pane's terminal cells */
	LAYOUT_TITLE,  /* a pane's title row */
	LAYOUT_BORDER, /* a border between panes */
};

struct layout_rect {
	int x, y, w, h;
};

struct layout_geom {
	bool visible;             /* false when hidden by a zoom or squeezed to nothing */
	struct layout_rect outer; /* title row and pane together */
	struct layout_rect title; /* h is 0 without titles */
	struct layout_rect pane;  /* the terminal: what its pty's size must be */
};

/* A layout of one pane filling w x h. With titles, every pane has a title
 * row on top, and that row is also the border between panes stacked top
 * and bottom. */
struct layout *layout_new(int id, int w, int h, bool titles);
void layout_free(struct layout *l);

/* Splits pane id in two halves, the new pane below or to the right. Fails
 * when id is unknown, new_id is taken, or the pane is too small. A zoom
 * ends first. */
int layout_split(struct layout *l, int id, enum layout_split how, int new_id, struct error *err);
/* Removes pane id; its neighbour takes the space. Closing the last pane
 * leaves an empty layout. */
int layout_close(struct layout *l, int id, struct error *err);

/* Lays the tree out again for a new screen size, keeping proportions. */
void layout_set_size(struct layout *l, int w, int h);
/* Moves a border of pane id by n cells in direction dir: the border after
 * the pane (right or bottom) when there is one, else the one before it, as
 * tmux's resize-pane. Returns the cells actually moved (limited by minimum
 * sizes); 0 when the pane has no border that way. */
int layout_resize_pane(struct layout *l, int id, enum layout_dir dir, int n);

/* The pane next to id in direction dir, the one sharing most of the edge;
 * -1 when there is none. Ignores a zoom. */
int layout_neighbour(const struct layout *l, int id, enum layout_dir dir);

int layout_zoom(struct layout *l, int id, struct error *err);
void layout_unzoom(struct layout *l);
/* The zoomed pane, or -1. */
int layout_zoomed(const struct layout *l);

/* -1 when id is not in the layout. */
int layout_geometry(const struct layout *l, int id, struct layout_geom *g);
size_t layout_count(const struct layout *l);
/* Pane ids in tree order (left to right, top to bottom); returns how many
 * there are, of which at most max are written. */
size_t layout_ids(const struct layout *l, int *ids, size_t max);

/* What is at screen cell (x, y): the pane id for PANE and TITLE, else -1. */
int layout_hit(const struct layout *l, int x, int y, enum layout_part *part);

#endif
