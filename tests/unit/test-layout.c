/* console/layout: split, close, focus moves, border resizes, zoom and hit
 * tests on exact geometry, then random operations against invariants. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "console/layout.h"
#include "lib/error.h"

static struct layout_geom geom(const struct layout *l, int id)
{
	struct layout_geom g;

	cr_assert_eq(layout_geometry(l, id, &g), 0, "pane %d missing", id);
	return g;
}

#define assert_rect(r, X, Y, W, H)                                                         \
	cr_assert((r).x == (X) && (r).y == (Y) && (r).w == (W) && (r).h == (H),             \
		  #r " is %d,%d %dx%d, want %d,%d %dx%d", (r).x, (r).y, (r).w, (r).h, X, Y, W, \
		  H)

static void split(struct layout *l, int id, enum layout_split how, int new_id)
{
	struct error err = ERROR_INIT;

	cr_assert_eq(layout_split(l, id, how, new_id, &err), 0, "%s", err_msg(&err));
}

static void close_pane(struct layout *l, int id)
{
	struct error err = ERROR_INIT;

	cr_assert_eq(layout_close(l, id, &err), 0, "%s", err_msg(&err));
}

static int hit(const struct layout *l, int x, int y, enum layout_part want)
{
	enum layout_part part;
	int id = layout_hit(l, x, y, &part);

	cr_assert_eq(part, want, "part at %d,%d is %d, want %d", x, y, part, want);
	return id;
}

Test(layout, one_pane_fills_the_screen)
{
	struct layout *l = layout_new(1, 80, 24, false);
	struct layout *t = layout_new(1, 80, 24, true);
	struct layout_geom g = geom(l, 1);

	assert_rect(g.pane, 0, 0, 80, 24);
	cr_assert_eq(g.title.h, 0);
	cr_assert(g.visible);
	g = geom(t, 1);
	assert_rect(g.title, 0, 0, 80, 1);
	assert_rect(g.pane, 0, 1, 80, 23);
	cr_assert_eq(hit(t, 5, 0, LAYOUT_TITLE), 1);
	cr_assert_eq(hit(t, 5, 1, LAYOUT_PANE), 1);
	cr_assert_eq(hit(t, 80, 1, LAYOUT_NONE), -1);
	cr_assert_eq(layout_geometry(l, 2, &g), -1);
	layout_free(l);
	layout_free(t);
}

Test(layout, split_left_right_with_a_border_column)
{
	struct layout *l = layout_new(1, 81, 24, false);

	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	assert_rect(geom(l, 1).pane, 0, 0, 40, 24);
	assert_rect(geom(l, 2).pane, 41, 0, 40, 24);
	cr_assert_eq(hit(l, 39, 3, LAYOUT_PANE), 1);
	cr_assert_eq(hit(l, 40, 3, LAYOUT_BORDER), -1);
	cr_assert_eq(hit(l, 41, 3, LAYOUT_PANE), 2);
	layout_free(l);
}

Test(layout, split_top_bottom_with_and_without_titles)
{
	struct layout *l = layout_new(1, 80, 25, false);
	struct layout *t = layout_new(1, 80, 24, true);
	struct layout_geom g;

	split(l, 1, LAYOUT_TOPBOTTOM, 2);
	assert_rect(geom(l, 1).pane, 0, 0, 80, 12);
	assert_rect(geom(l, 2).pane, 0, 13, 80, 12);
	cr_assert_eq(hit(l, 0, 12, LAYOUT_BORDER), -1);

	/* The lower pane's title row is the border. */
	split(t, 1, LAYOUT_TOPBOTTOM, 2);
	g = geom(t, 1);
	assert_rect(g.title, 0, 0, 80, 1);
	assert_rect(g.pane, 0, 1, 80, 11);
	g = geom(t, 2);
	assert_rect(g.title, 0, 12, 80, 1);
	assert_rect(g.pane, 0, 13, 80, 11);
	cr_assert_eq(hit(t, 3, 12, LAYOUT_TITLE), 2);
	layout_free(l);
	layout_free(t);
}

/*
 *  1 | 2
 *    |---
 *    | 3
 *    |---
 *    | 4
 */
static struct layout *three_way(void)
{
	struct layout *l = layout_new(1, 81, 24, false);

	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	split(l, 2, LAYOUT_TOPBOTTOM, 3);
	split(l, 3, LAYOUT_TOPBOTTOM, 4);
	return l;
}

Test(layout, nested_splits_and_focus_moves)
{
	struct layout *l = three_way();
	int ids[8];

	cr_assert_eq(layout_ids(l, ids, 8), 4);
	cr_assert(ids[0] == 1 && ids[1] == 2 && ids[2] == 3 && ids[3] == 4);
	assert_rect(geom(l, 2).pane, 41, 0, 40, 12);
	assert_rect(geom(l, 3).pane, 41, 13, 40, 5);
	assert_rect(geom(l, 4).pane, 41, 19, 40, 5);

	cr_assert_eq(layout_neighbour(l, 1, LAYOUT_RIGHT), 2, "most shared edge");
	cr_assert_eq(layout_neighbour(l, 1, LAYOUT_LEFT), -1);
	cr_assert_eq(layout_neighbour(l, 1, LAYOUT_UP), -1);
	cr_assert_eq(layout_neighbour(l, 3, LAYOUT_LEFT), 1);
	cr_assert_eq(layout_neighbour(l, 4, LAYOUT_LEFT), 1);
	cr_assert_eq(layout_neighbour(l, 2, LAYOUT_DOWN), 3);
	cr_assert_eq(layout_neighbour(l, 3, LAYOUT_DOWN), 4);
	cr_assert_eq(layout_neighbour(l, 4, LAYOUT_UP), 3);
	cr_assert_eq(layout_neighbour(l, 4, LAYOUT_DOWN), -1);
	cr_assert_eq(layout_neighbour(l, 9, LAYOUT_DOWN), -1);
	layout_free(l);
}

Test(layout, focus_moves_across_a_title_border)
{
	struct layout *l = layout_new(1, 80, 24, true);

	split(l, 1, LAYOUT_TOPBOTTOM, 2);
	split(l, 2, LAYOUT_LEFTRIGHT, 3);
	cr_assert_eq(layout_neighbour(l, 1, LAYOUT_DOWN), 2);
	cr_assert_eq(layout_neighbour(l, 3, LAYOUT_UP), 1);
	cr_assert_eq(layout_neighbour(l, 3, LAYOUT_LEFT), 2);
	layout_free(l);
}

Test(layout, close_gives_the_space_to_the_neighbour)
{
	struct layout *l = three_way();
	struct error err = ERROR_INIT;

	close_pane(l, 2);
	assert_rect(geom(l, 3).pane, 41, 0, 40, 18);
	assert_rect(geom(l, 4).pane, 41, 19, 40, 5);
	close_pane(l, 4);
	assert_rect(geom(l, 3).pane, 41, 0, 40, 24);
	close_pane(l, 1);
	assert_rect(geom(l, 3).pane, 0, 0, 81, 24);
	cr_assert_eq(layout_count(l), 1);
	cr_assert_eq(layout_close(l, 1, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "no pane 1"));
	err_clear(&err);
	close_pane(l, 3);
	cr_assert_eq(layout_count(l), 0);
	enum layout_part part;
	cr_assert_eq(layout_hit(l, 1, 1, &part), -1);
	cr_assert_eq(part, LAYOUT_NONE);
	layout_free(l);
}

Test(layout, a_lone_child_merges_into_its_grandparent)
{
	struct layout *l = layout_new(1, 80, 24, false);
	int ids[8];

	/* 1 | (2 over 3), then 3 goes: 2 joins 1 in the left/right split,
	 * so that splitting 2 left/right gives three columns. */
	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	split(l, 2, LAYOUT_TOPBOTTOM, 3);
	split(l, 3, LAYOUT_LEFTRIGHT, 4);
	close_pane(l, 3);
	close_pane(l, 2);
	cr_assert_eq(layout_ids(l, ids, 8), 2);
	split(l, 4, LAYOUT_LEFTRIGHT, 5);
	cr_assert_eq(geom(l, 1).pane.h, 24);
	cr_assert_eq(geom(l, 4).pane.h, 24);
	cr_assert_eq(geom(l, 5).pane.h, 24);
	cr_assert_eq(layout_neighbour(l, 4, LAYOUT_LEFT), 1);
	cr_assert_eq(layout_neighbour(l, 4, LAYOUT_RIGHT), 5);
	layout_free(l);
}

Test(layout, resize_moves_a_border)
{
	struct layout *l = layout_new(1, 81, 24, false);

	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	cr_assert_eq(layout_resize_pane(l, 1, LAYOUT_RIGHT, 5), 5);
	assert_rect(geom(l, 1).pane, 0, 0, 45, 24);
	assert_rect(geom(l, 2).pane, 46, 0, 35, 24);
	/* Pane 2 has no border on its right: its left one moves. */
	cr_assert_eq(layout_resize_pane(l, 2, LAYOUT_RIGHT, 3), 3);
	cr_assert_eq(geom(l, 1).pane.w, 48);
	cr_assert_eq(geom(l, 2).pane.w, 32);
	cr_assert_eq(layout_resize_pane(l, 2, LAYOUT_LEFT, 8), 8);
	cr_assert_eq(geom(l, 2).pane.w, 40);
	cr_assert_eq(layout_resize_pane(l, 1, LAYOUT_LEFT, 100), 39);
	cr_assert_eq(geom(l, 1).pane.w, 1);
	cr_assert_eq(layout_resize_pane(l, 1, LAYOUT_UP, 2), 0);
	cr_assert_eq(layout_resize_pane(l, 7, LAYOUT_UP, 2), 0);
	layout_free(l);
}

Test(layout, resize_reaches_the_nearest_split_of_its_axis)
{
	struct layout *l = three_way();

	/* Pane 3 sits in a top/bottom split inside a left/right one: a
	 * horizontal resize moves the column border for the whole stack. */
	cr_assert_eq(layout_resize_pane(l, 3, LAYOUT_LEFT, 10), 10);
	cr_assert_eq(geom(l, 1).pane.w, 30);
	cr_assert_eq(geom(l, 2).pane.w, 50);
	cr_assert_eq(geom(l, 4).pane.w, 50);
	cr_assert_eq(layout_resize_pane(l, 3, LAYOUT_DOWN, 2), 2);
	cr_assert_eq(geom(l, 3).pane.h, 7);
	cr_assert_eq(geom(l, 4).pane.h, 3);
	layout_free(l);
}

Test(layout, screen_resize_keeps_proportions)
{
	struct layout *l = layout_new(1, 81, 24, false);

	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	layout_resize_pane(l, 1, LAYOUT_RIGHT, 20);
	cr_assert_eq(geom(l, 1).pane.w, 60);
	cr_assert_eq(geom(l, 2).pane.w, 20);
	layout_set_size(l, 161, 50);
	assert_rect(geom(l, 1).pane, 0, 0, 120, 50);
	assert_rect(geom(l, 2).pane, 121, 0, 40, 50);
	layout_free(l);
}

Test(layout, zoom)
{
	struct layout *l = three_way();
	struct error err = ERROR_INIT;
	struct layout_geom g;

	cr_assert_eq(layout_zoom(l, 3, &err), 0);
	cr_assert_eq(layout_zoomed(l), 3);
	g = geom(l, 3);
	cr_assert(g.visible);
	assert_rect(g.pane, 0, 0, 81, 24);
	cr_assert_not(geom(l, 1).visible);
	cr_assert_eq(hit(l, 0, 0, LAYOUT_PANE), 3);
	cr_assert_eq(hit(l, 40, 12, LAYOUT_PANE), 3);

	layout_unzoom(l);
	assert_rect(geom(l, 3).pane, 41, 13, 40, 5);
	cr_assert(geom(l, 1).visible);

	layout_zoom(l, 3, &err);
	split(l, 1, LAYOUT_TOPBOTTOM, 5);
	cr_assert_eq(layout_zoomed(l), -1, "a split ends the zoom");
	layout_zoom(l, 5, &err);
	close_pane(l, 5);
	cr_assert_eq(layout_zoomed(l), -1);
	cr_assert_eq(layout_zoom(l, 5, &err), -1);
	err_clear(&err);
	layout_free(l);
}

Test(layout, split_errors)
{
	struct layout *l = layout_new(1, 3, 24, false);
	struct error err = ERROR_INIT;

	split(l, 1, LAYOUT_LEFTRIGHT, 2);
	cr_assert_eq(geom(l, 1).pane.w, 1);
	cr_assert_eq(geom(l, 2).pane.w, 1);
	cr_assert_eq(layout_split(l, 1, LAYOUT_LEFTRIGHT, 3, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "too small"), "%s", err_msg(&err));
	cr_assert_eq(layout_split(l, 1, LAYOUT_TOPBOTTOM, 2, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "already"), "%s", err_msg(&err));
	cr_assert_eq(layout_split(l, 9, LAYOUT_TOPBOTTOM, 3, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "no pane 9"), "%s", err_msg(&err));
	err_clear(&err);
	layout_free(l);
}

/* Leaves inside the screen, never overlapping, and the hit test agreeing
 * with the geometry, whatever the sequence of operations. */
static void check_invariants(const struct layout *l, int w, int h, bool titles)
{
	int ids[64];
	size_t n = layout_ids(l, ids, 64);
	unsigned char *owner = calloc((size_t)(w * h), 1);

	for (size_t i = 0; i < n; i++) {
		struct layout_geom g = geom(l, ids[i]);
		struct layout_rect r = g.outer;

		cr_assert_geq(r.w, 0);
		cr_assert_geq(r.h, 0);
		if (!g.visible)
			continue;
		cr_assert(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h,
			  "pane %d at %d,%d %dx%d outside %dx%d", ids[i], r.x, r.y, r.w, r.h, w, h);
		for (int y = r.y; y < r.y + r.h; y++) {
			for (int x = r.x; x < r.x + r.w; x++) {
				enum layout_part part;

				cr_assert_eq(owner[y * w + x], 0, "overlap at %d,%d", x, y);
				owner[y * w + x] = 1;
				cr_assert_eq(layout_hit(l, x, y, &part), ids[i], "hit at %d,%d", x, y);
				cr_assert_eq(part, titles && y == r.y ? LAYOUT_TITLE : LAYOUT_PANE);
			}
		}
	}
	free(owner);
}

Test(layout, random_operations_keep_invariants)
{
	unsigned seed = 42;
	int next = 2;

	for (int round = 0; round < 20; round++) {
		bool titles = round % 2;
		int w = 60 + round, h = 30;
		struct layout *l = layout_new(1, w, h, titles);

		for (int op = 0; op < 200; op++) {
			int ids[64];
			size_t n = layout_ids(l, ids, 64);
			struct error err = ERROR_INIT;
			int id = n ? ids[rand_r(&seed) % n] : -1;

			switch (rand_r(&seed) % 6) {
			case 0:
			case 1:
				if (n < 60 && layout_split(l, id, rand_r(&seed) % 2, next, &err) == 0)
					next++;
				break;
			case 2:
				if (n > 1)
					layout_close(l, id, &err);
				break;
			case 3:
				layout_resize_pane(l, id, rand_r(&seed) % 4, rand_r(&seed) % 10 + 1);
				break;
			case 4:
				w = 20 + rand_r(&seed) % 100;
				h = 5 + rand_r(&seed) % 50;
				layout_set_size(l, w, h);
				break;
			default:
				if (rand_r(&seed) % 2)
					layout_zoom(l, id, &err);
				else
					layout_unzoom(l);
				break;
			}
			err_clear(&err);
			check_invariants(l, w, h, titles);
		}
		/* Room again: panes squeezed out come back. */
		int ids[64];
		size_t n = layout_ids(l, ids, 64);

		layout_unzoom(l);
		layout_set_size(l, 400, 200);
		check_invariants(l, 400, 200, titles);
		for (size_t i = 0; i < n; i++)
			cr_assert(geom(l, ids[i]).visible, "pane %d still hidden", ids[i]);
		layout_free(l);
	}
}
