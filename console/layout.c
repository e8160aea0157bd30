/* Layout tree: cells keep their rectangles; splits share their extent
 * among children proportionally, and a closed pane's space goes to its
 * neighbour. */
#include "console/layout.h"

#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

enum lcell_type { LC_LEAF, LC_LR, LC_TB };

struct lcell {
	enum lcell_type type;
	struct lcell *parent;
	struct lcell **kids;
	size_t nkids;
	int x, y, w, h;
	int id;
};

struct layout {
	struct lcell *root;
	int w, h;
	bool titles;
	int zoomed;
};

static struct lcell *lcell_new(enum lcell_type type, int id)
{
	struct lcell *c = xcalloc(1, sizeof(*c));

	c->type = type;
	c->id = id;
	return c;
}

static void lcell_free(struct lcell *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		lcell_free(c->kids[i]);
	free(c->kids);
	free(c);
}

struct layout *layout_new(int id, int w, int h, bool titles)
{
	struct layout *l = xcalloc(1, sizeof(*l));

	l->titles = titles;
	l->zoomed = -1;
	l->root = lcell_new(LC_LEAF, id);
	layout_set_size(l, w, h);
	return l;
}

void layout_free(struct layout *l)
{
	if (l == NULL)
		return;
	lcell_free(l->root);
	free(l);
}

static bool along_x(enum lcell_type t)
{
	return t == LC_LR;
}

/* The gap between children: a border column, or a border row unless the
 * lower pane's title row serves as one. */
static int sep(const struct layout *l, enum lcell_type t)
{
	return t == LC_LR ? 1 : l->titles ? 0 : 1;
}

static int *size_along(struct lcell *c, bool x)
{
	return x ? &c->w : &c->h;
}

static int min_size(const struct layout *l, const struct lcell *c, bool x)
{
	int n = 0;

	if (c->type == LC_LEAF)
		return x ? 1 : 1 + l->titles;
	for (size_t i = 0; i < c->nkids; i++) {
		int k = min_size(l, c->kids[i], x);

		if (along_x(c->type) == x)
			n += k + (i > 0 ? sep(l, c->type) : 0);
		else if (k > n)
			n = k;
	}
	return n;
}

static void lcell_fit(const struct layout *l, struct lcell *c, int w, int h);

/* Shares c's extent among its children in proportion to their present
 * sizes, honouring minimum sizes. On a screen too small for all of them,
 * the children that do not fit get no cells and no border. */
static void share(const struct layout *l, struct lcell *c)
{
	bool x = along_x(c->type);
	int extent = x ? c->w : c->h, gap = sep(l, c->type);
	int need = 0, old = 0, given = 0, total, shown = 0, last = -1;
	int *want = xcalloc(c->nkids, sizeof(*want));
	int *mins = xcalloc(c->nkids, sizeof(*mins));

	for (size_t i = 0; i < c->nkids; i++) {
		mins[i] = min_size(l, c->kids[i], x);
		want[i] = -1;
		if (need + mins[i] + (shown ? gap : 0) > extent)
			continue;
		need += mins[i] + (shown ? gap : 0);
		want[i] = 0;
		old += *size_along(c->kids[i], x);
		shown++;
		last = (int)i;
	}
	total = extent - gap * (shown > 0 ? shown - 1 : 0);
	for (size_t i = 0; i < c->nkids; i++) {
		if (want[i] < 0)
			continue;
		int s = *size_along(c->kids[i], x);

		want[i] = old > 0 ? (int)((long)s * total / old) : total / shown;
		given += want[i];
	}
	if (last >= 0)
		want[last] += total - given;
	/* Lift children under their minimum with cells from the others,
	 * largest surplus first; the shown ones' minimums fit by now. */
	for (size_t i = 0; i < c->nkids; i++) {
		while (want[i] >= 0 && want[i] < mins[i]) {
			size_t best = i;

			for (size_t j = 0; j < c->nkids; j++)
				if (want[j] - mins[j] > 0 &&
				    (best == i || want[j] - mins[j] > want[best] - mins[best]))
					best = j;
			if (best == i)
				break;
			want[best]--;
			want[i]++;
		}
	}
	for (size_t i = 0; i < c->nkids; i++) {
		int s = want[i] < 0 ? 0 : want[i];

		lcell_fit(l, c->kids[i], x ? s : c->w, x ? c->h : s);
	}
	free(want);
	free(mins);
}

/* Gives c the size w x h and shares it out below. */
static void lcell_fit(const struct layout *l, struct lcell *c, int w, int h)
{
	c->w = w;
	c->h = h;
	if (c->type != LC_LEAF)
		share(l, c);
}

/* Positions follow from sizes, top-down; a child squeezed to nothing
 * takes no border either. */
static void lcell_place(const struct layout *l, struct lcell *c, int x, int y)
{
	c->x = x;
	c->y = y;
	for (size_t i = 0; i < c->nkids; i++) {
		struct lcell *k = c->kids[i];

		lcell_place(l, k, x, y);
		if (along_x(c->type) && k->w > 0)
			x += k->w + sep(l, c->type);
		else if (!along_x(c->type) && k->h > 0)
			y += k->h + sep(l, c->type);
	}
}

static void layout_relayout(struct layout *l)
{
	if (l->root != NULL)
		lcell_place(l, l->root, 0, 0);
}

void layout_set_size(struct layout *l, int w, int h)
{
	l->w = w > 1 ? w : 1;
	l->h = h > 1 ? h : 1;
	if (l->root == NULL)
		return;
	lcell_fit(l, l->root, l->w, l->h);
	layout_relayout(l);
}

static struct lcell *lcell_find(struct lcell *c, int id)
{
	if (c == NULL)
		return NULL;
	if (c->type == LC_LEAF)
		return c->id == id ? c : NULL;
	for (size_t i = 0; i < c->nkids; i++) {
		struct lcell *f = lcell_find(c->kids[i], id);

		if (f != NULL)
			return f;
	}
	return NULL;
}

static size_t kid_index(const struct lcell *parent, const struct lcell *kid)
{
	size_t i = 0;

	while (parent->kids[i] != kid)
		i++;
	return i;
}

static void kid_insert(struct lcell *parent, size_t at, struct lcell *kid)
{
	parent->kids = xreallocarray(parent->kids, parent->nkids + 1, sizeof(*parent->kids));
	memmove(parent->kids + at + 1, parent->kids + at,
		(parent->nkids - at) * sizeof(*parent->kids));
	parent->kids[at] = kid;
	parent->nkids++;
	kid->parent = parent;
}

static void kid_remove(struct lcell *parent, size_t at)
{
	memmove(parent->kids + at, parent->kids + at + 1,
		(parent->nkids - at - 1) * sizeof(*parent->kids));
	parent->nkids--;
}

/* Puts repl where old is in the tree. */
static void lcell_replace(struct layout *l, struct lcell *old, struct lcell *repl)
{
	struct lcell *parent = old->parent;

	repl->parent = parent;
	if (parent == NULL)
		l->root = repl;
	else
		parent->kids[kid_index(parent, old)] = repl;
}

int layout_split(struct layout *l, int id, enum layout_split how, int new_id, struct error *err)
{
	enum lcell_type type = how == LAYOUT_LEFTRIGHT ? LC_LR : LC_TB;
	bool x = along_x(type);
	struct lcell *leaf = lcell_find(l->root, id), *fresh;
	int extent, gap = sep(l, type), min, first;

	if (leaf == NULL)
		return err_set(err, 0, "split: no pane %d in the layout", id);
	if (lcell_find(l->root, new_id) != NULL)
		return err_set(err, 0, "split: pane %d is already in the layout", new_id);
	extent = *size_along(leaf, x);
	min = min_size(l, leaf, x);
	if (extent < 2 * min + gap)
		return err_set(err, 0, "split: pane %d is too small (%d %s)", id, extent,
			       x ? "columns" : "rows");
	layout_unzoom(l);

	first = extent - gap - (extent - gap) / 2;
	fresh = lcell_new(LC_LEAF, new_id);
	if (leaf->parent == NULL || leaf->parent->type != type) {
		struct lcell *split = lcell_new(type, -1);

		split->w = leaf->w;
		split->h = leaf->h;
		lcell_replace(l, leaf, split);
		kid_insert(split, 0, leaf);
	}
	kid_insert(leaf->parent, kid_index(leaf->parent, leaf) + 1, fresh);
	lcell_fit(l, leaf, x ? first : leaf->w, x ? leaf->h : first);
	lcell_fit(l, fresh, x ? extent - gap - first : leaf->w, x ? leaf->h : extent - gap - first);
	layout_relayout(l);
	log_debug("layout: pane %d split %s, pane %d added", id, x ? "left/right" : "top/bottom",
		  new_id);
	return 0;
}

int layout_close(struct layout *l, int id, struct error *err)
{
	struct lcell *leaf = lcell_find(l->root, id), *parent, *heir;
	size_t i;
	bool x;

	if (leaf == NULL)
		return err_set(err, 0, "close: no pane %d in the layout", id);
	if (l->zoomed == id)
		l->zoomed = -1;
	parent = leaf->parent;
	if (parent == NULL) {
		l->root = NULL;
		lcell_free(leaf);
		return 0;
	}
	x = along_x(parent->type);
	i = kid_index(parent, leaf);
	kid_remove(parent, i);
	heir = parent->kids[i > 0 ? i - 1 : 0];
	if (*size_along(leaf, x) > 0)
		*size_along(heir, x) += *size_along(leaf, x) + sep(l, parent->type);
	lcell_free(leaf);
	/* Sharing the parent's extent again gives each child its size back,
	 * the heir its gain, and repairs sizes a squeezed screen left short. */
	lcell_fit(l, parent, parent->w, parent->h);

	/* A split left with one child is no split: the child takes its place,
	 * and merges into a grandparent split the same way. */
	if (parent->nkids == 1) {
		struct lcell *only = parent->kids[0], *grand = parent->parent;

		lcell_replace(l, parent, only);
		parent->nkids = 0;
		lcell_free(parent);
		if (grand != NULL && only->type == grand->type) {
			size_t at = kid_index(grand, only);

			kid_remove(grand, at);
			for (size_t k = 0; k < only->nkids; k++)
				kid_insert(grand, at + k, only->kids[k]);
			only->nkids = 0;
			lcell_free(only);
		}
	}
	layout_relayout(l);
	log_debug("layout: pane %d closed", id);
	return 0;
}

static enum lcell_type dir_type(enum layout_dir dir)
{
	return dir == LAYOUT_LEFT || dir == LAYOUT_RIGHT ? LC_LR : LC_TB;
}

int layout_resize_pane(struct layout *l, int id, enum layout_dir dir, int n)
{
	enum lcell_type type = dir_type(dir);
	bool x = along_x(type);
	struct lcell *c = lcell_find(l->root, id), *a, *b;
	int d = dir == LAYOUT_LEFT || dir == LAYOUT_UP ? -n : n;
	size_t i;

	while (c != NULL && c->parent != NULL && c->parent->type != type)
		c = c->parent;
	if (c == NULL || c->parent == NULL || n <= 0)
		return 0;
	i = kid_index(c->parent, c);
	a = i + 1 < c->parent->nkids ? c : c->parent->kids[i - 1];
	b = c->parent->kids[kid_index(c->parent, a) + 1];

	int *sa = size_along(a, x), *sb = size_along(b, x);
	int room = d > 0 ? *sb - min_size(l, b, x) : *sa - min_size(l, a, x);

	if (room < 0)
		room = 0;
	if (abs(d) > room)
		d = d > 0 ? room : -room;
	*sa += d;
	*sb -= d;
	lcell_fit(l, c->parent, c->parent->w, c->parent->h);
	layout_relayout(l);
	return abs(d);
}

static void leaf_outer(const struct lcell *c, struct layout_rect *r)
{
	*r = (struct layout_rect){ c->x, c->y, c->w, c->h };
}

static int overlap(int a0, int alen, int b0, int blen)
{
	int lo = a0 > b0 ? a0 : b0;
	int hi = a0 + alen < b0 + blen ? a0 + alen : b0 + blen;

	return hi - lo;
}

struct neighbour_search {
	const struct layout *l;
	struct layout_rect me;
	enum layout_dir dir;
	int best_id, best_overlap, best_pos;
};

static void neighbour_visit(struct neighbour_search *s, const struct lcell *c)
{
	struct layout_rect r, m = s->me;
	int gap_tb = sep(s->l, LC_TB), ov, pos;
	bool adjacent;

	for (size_t i = 0; i < c->nkids; i++)
		neighbour_visit(s, c->kids[i]);
	if (c->type != LC_LEAF || c->w <= 0 || c->h <= 0)
		return;
	leaf_outer(c, &r);
	switch (s->dir) {
	case LAYOUT_UP:
		adjacent = r.y + r.h + gap_tb == m.y;
		break;
	case LAYOUT_DOWN:
		adjacent = m.y + m.h + gap_tb == r.y;
		break;
	case LAYOUT_LEFT:
		adjacent = r.x + r.w + 1 == m.x;
		break;
	default:
		adjacent = m.x + m.w + 1 == r.x;
		break;
	}
	if (!adjacent)
		return;
	if (s->dir == LAYOUT_UP || s->dir == LAYOUT_DOWN) {
		ov = overlap(r.x, r.w, m.x, m.w);
		pos = r.x;
	} else {
		ov = overlap(r.y, r.h, m.y, m.h);
		pos = r.y;
	}
	if (ov <= 0)
		return;
	if (ov > s->best_overlap || (ov == s->best_overlap && pos < s->best_pos)) {
		s->best_id = c->id;
		s->best_overlap = ov;
		s->best_pos = pos;
	}
}

int layout_neighbour(const struct layout *l, int id, enum layout_dir dir)
{
	struct lcell *c = lcell_find(l->root, id);
	struct neighbour_search s = { .l = l, .dir = dir, .best_id = -1 };

	if (c == NULL)
		return -1;
	leaf_outer(c, &s.me);
	neighbour_visit(&s, l->root);
	return s.best_id;
}

int layout_zoom(struct layout *l, int id, struct error *err)
{
	if (lcell_find(l->root, id) == NULL)
		return err_set(err, 0, "zoom: no pane %d in the layout", id);
	l->zoomed = id;
	return 0;
}

void layout_unzoom(struct layout *l)
{
	l->zoomed = -1;
}

int layout_zoomed(const struct layout *l)
{
	return l->zoomed;
}

int layout_geometry(const struct layout *l, int id, struct layout_geom *g)
{
	const struct lcell *c = lcell_find(l->root, id);
	int t = l->titles ? 1 : 0;

	if (c == NULL)
		return -1;
	if (l->zoomed == id)
		g->outer = (struct layout_rect){ 0, 0, l->w, l->h };
	else
		leaf_outer(c, &g->outer);
	g->title = (struct layout_rect){ g->outer.x, g->outer.y, g->outer.w, t };
	g->pane = (struct layout_rect){ g->outer.x, g->outer.y + t, g->outer.w, g->outer.h - t };
	g->visible = (l->zoomed == -1 || l->zoomed == id) && g->pane.w > 0 && g->pane.h > 0;
	return 0;
}

static size_t lcell_ids(const struct lcell *c, int *ids, size_t max, size_t n)
{
	if (c == NULL)
		return n;
	if (c->type == LC_LEAF) {
		if (n < max)
			ids[n] = c->id;
		return n + 1;
	}
	for (size_t i = 0; i < c->nkids; i++)
		n = lcell_ids(c->kids[i], ids, max, n);
	return n;
}

size_t layout_ids(const struct layout *l, int *ids, size_t max)
{
	return lcell_ids(l->root, ids, max, 0);
}

size_t layout_count(const struct layout *l)
{
	return layout_ids(l, NULL, 0);
}

static const struct lcell *lcell_at(const struct lcell *c, int x, int y)
{
	if (x < c->x || y < c->y || x >= c->x + c->w || y >= c->y + c->h)
		return NULL;
	if (c->type == LC_LEAF)
		return c;
	for (size_t i = 0; i < c->nkids; i++) {
		const struct lcell *f = lcell_at(c->kids[i], x, y);

		if (f != NULL)
			return f;
	}
	return NULL;
}

int layout_hit(const struct layout *l, int x, int y, enum layout_part *part)
{
	struct layout_geom g;
	const struct lcell *c;
	int id;

	*part = LAYOUT_NONE;
	if (l->root == NULL || x < 0 || y < 0 || x >= l->w || y >= l->h)
		return -1;
	if (l->zoomed != -1) {
		id = l->zoomed;
	} else {
		c = lcell_at(l->root, x, y);
		if (c == NULL) {
			*part = LAYOUT_BORDER;
			return -1;
		}
		id = c->id;
	}
	layout_geometry(l, id, &g);
	*part = y < g.pane.y ? LAYOUT_TITLE : LAYOUT_PANE;
	return id;
}
