/* Pane drawing: a pane's damaged rows become cchar_t rows in a curses
 * window; colours are mapped down to the terminal's and given pairs from a
 * bounded cache with clock eviction. */
#include "console/pane-draw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "console/pane.h"
#include "console/scrollback.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

#define DEFAULT_PAIRS 4096
#define DIRECT_COLORS (1 << 24)

/* A cached pair: key packs the two colour numbers; ref is the clock
 * algorithm's second chance. */
struct pdraw_slot {
	int64_t key;
	bool ref;
};

struct pdraw {
	int ncolors; /* 0 without colour */
	bool term_defaults; /* -1 means the terminal's default colour */
	int first_pair;
	int cap, nused;
	struct pdraw_slot *slots;
	int *hash; /* slot index + 1, 0 when empty; open addressing */
	size_t hmask;
	int hand; /* next eviction candidate */
	unsigned long evictions;
	bool evicted;
	cchar_t *line;
	VTermScreenCell *cells;
	int line_cap;
};

/* xterm's palette, for nearest-colour matching. */
static void palette_rgb(int idx, int rgb[3])
{
	static const uint8_t ansi[16][3] = {
		{ 0x00, 0x00, 0x00 }, { 0xcd, 0x00, 0x00 }, { 0x00, 0xcd, 0x00 },
		{ 0xcd, 0xcd, 0x00 }, { 0x00, 0x00, 0xee }, { 0xcd, 0x00, 0xcd },
		{ 0x00, 0xcd, 0xcd }, { 0xe5, 0xe5, 0xe5 }, { 0x7f, 0x7f, 0x7f },
		{ 0xff, 0x00, 0x00 }, { 0x00, 0xff, 0x00 }, { 0xff, 0xff, 0x00 },
		{ 0x5c, 0x5c, 0xff }, { 0xff, 0x00, 0xff }, { 0x00, 0xff, 0xff },
		{ 0xff, 0xff, 0xff },
	};
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

	if (idx < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = ansi[idx][i];
	} else if (idx < 232) {
		idx -= 16;
		rgb[0] = level[idx / 36];
		rgb[1] = level[idx / 6 % 6];
		rgb[2] = level[idx % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (idx - 232);
	}
}

static int dist2(const int a[3], const int b[3])
{
	int d = 0;

	for (int i = 0; i < 3; i++)
		d += (a[i] - b[i]) * (a[i] - b[i]);
	return d;
}

static int nearest_of(int n, const int rgb[3])
{
	int best = 0, best_d = -1;

	for (int i = 0; i < n; i++) {
		int p[3], d;

		palette_rgb(i, p);
		d = dist2(p, rgb);
		if (best_d < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

static int cube_step(int v)
{
	if (v < 48)
		return 0;
	if (v < 115)
		return 1;
	return (v - 35) / 40;
}

/* The 6x6x6 cube or the grey ramp, whichever is closer; a search over 256
 * entries per cell would be too slow for a flood of true colour. */
static int nearest_256(const int rgb[3])
{
	int q[3], cube[3], grey[3], gi, avg;

	for (int i = 0; i < 3; i++) {
		q[i] = cube_step(rgb[i]);
		cube[i] = q[i] ? 55 + 40 * q[i] : 0;
	}
	avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
	gi = avg > 238 ? 23 : avg < 8 ? 0 : (avg - 3) / 10;
	grey[0] = grey[1] = grey[2] = 8 + 10 * gi;
	if (dist2(grey, rgb) < dist2(cube, rgb))
		return 232 + gi;
	return 16 + 36 * q[0] + 6 * q[1] + q[2];
}

int pdraw_map_color(int ncolors, const VTermColor *c)
{
	int rgb[3];

	if (VTERM_COLOR_IS_INDEXED(c)) {
		int idx = c->indexed.idx;

		if (idx < ncolors && (ncolors <= 256 || idx < 8))
			return idx;
		if (ncolors == 8 && idx < 16)
			return idx - 8;
		palette_rgb(idx, rgb);
	} else {
		rgb[0] = c->rgb.red;
		rgb[1] = c->rgb.green;
		rgb[2] = c->rgb.blue;
	}
	if (ncolors >= DIRECT_COLORS)
		return rgb[0] << 16 | rgb[1] << 8 | rgb[2];
	if (ncolors >= 256)
		return nearest_256(rgb);
	return nearest_of(ncolors >= 16 ? 16 : 8, rgb);
}

struct pdraw *pdraw_new(const struct pdraw_opts *opts)
{
	struct pdraw *d = xcalloc(1, sizeof(*d));
	size_t hsize = 1;

	d->first_pair = opts->first_pair > 0 ? opts->first_pair : 1;
	if (has_colors()) {
		d->ncolors = COLORS >= DIRECT_COLORS ? DIRECT_COLORS
			     : COLORS >= 256	  ? 256
			     : COLORS >= 16	  ? 16
						  : 8;
		d->term_defaults = use_default_colors() == OK;
		d->cap = COLOR_PAIRS - d->first_pair;
		if (opts->max_pairs > 0 && opts->max_pairs < d->cap)
			d->cap = opts->max_pairs;
		else if (opts->max_pairs <= 0 && d->cap > DEFAULT_PAIRS)
			d->cap = DEFAULT_PAIRS;
		if (d->cap < 0)
			d->cap = 0;
	}
	while (hsize < 2 * (size_t)d->cap)
		hsize <<= 1;
	d->slots = xcalloc((size_t)d->cap + 1, sizeof(*d->slots));
	d->hash = xcalloc(hsize, sizeof(*d->hash));
	d->hmask = hsize - 1;
	log_debug("pdraw: %d colours, %s default colours, pairs %d..%d", d->ncolors,
		  d->term_defaults ? "terminal" : "fixed", d->first_pair,
		  d->first_pair + d->cap - 1);
	return d;
}

void pdraw_free(struct pdraw *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d->hash);
	free(d->line);
	free(d->cells);
	free(d);
}

static size_t key_home(const struct pdraw *d, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 32) & d->hmask;
}

static size_t hash_find(const struct pdraw *d, int64_t key)
{
	size_t i = key_home(d, key);

	while (d->hash[i] != 0 && d->slots[d->hash[i] - 1].key != key)
		i = (i + 1) & d->hmask;
	return i;
}

/* Backward-shift deletion keeps probe chains whole without tombstones. */
static void hash_remove(struct pdraw *d, int64_t key)
{
	size_t i = hash_find(d, key), j = i;

	if (d->hash[i] == 0)
		return;
	d->hash[i] = 0;
	for (;;) {
		j = (j + 1) & d->hmask;
		if (d->hash[j] == 0)
			return;
		size_t k = key_home(d, d->slots[d->hash[j] - 1].key);
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);

		if (!stays) {
			d->hash[i] = d->hash[j];
			d->hash[j] = 0;
			i = j;
		}
	}
}

static int pair_for(struct pdraw *d, int fg, int bg)
{
	int64_t key = (int64_t)(fg + 1) << 32 | (uint32_t)(bg + 1);
	size_t h;
	int slot;

	if (d->cap == 0)
		return 0;
	h = hash_find(d, key);
	if (d->hash[h] != 0) {
		slot = d->hash[h] - 1;
		d->slots[slot].ref = true;
		return d->first_pair + slot;
	}
	if (d->nused < d->cap) {
		slot = d->nused++;
	} else {
		/* Clock: evict the first pair not used since the hand last
		 * passed, in constant time on average. */
		while (d->slots[d->hand].ref) {
			d->slots[d->hand].ref = false;
			d->hand = (d->hand + 1) % d->cap;
		}
		slot = d->hand;
		d->hand = (d->hand + 1) % d->cap;
		hash_remove(d, d->slots[slot].key);
		d->evictions++;
		d->evicted = true;
		h = hash_find(d, key);
	}
	d->slots[slot] = (struct pdraw_slot){ key, true };
	d->hash[h] = slot + 1;
	init_extended_pair(d->first_pair + slot, fg, bg);
	return d->first_pair + slot;
}

static int color_number(const struct pdraw *d, const VTermColor *c, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c)) {
		if (d->term_defaults)
			return -1;
		return fg ? COLOR_WHITE : COLOR_BLACK;
	}
	return pdraw_map_color(d->ncolors, c);
}

int pdraw_pair(struct pdraw *d, const VTermColor *fg, const VTermColor *bg)
{
	int f, b;

	if (d->ncolors == 0)
		return 0;
	f = color_number(d, fg, true);
	b = color_number(d, bg, false);
	/* Pair 0 is the terminal's default look; no need to spend a pair. */
	if (d->term_defaults ? (f == -1 && b == -1) : (f == COLOR_WHITE && b == COLOR_BLACK))
		return 0;
	return pair_for(d, f, b);
}

bool pdraw_take_evicted(struct pdraw *d)
{
	bool e = d->evicted;

	d->evicted = false;
	return e;
}

void pdraw_stats(const struct pdraw *d, struct pdraw_stats *st)
{
	st->pairs = d->nused;
	st->max_pairs = d->cap;
	st->evictions = d->evictions;
}

static void pdraw_reserve(struct pdraw *d, int n)
{
	if (n <= d->line_cap)
		return;
	free(d->line);
	free(d->cells);
	d->line = xcalloc((size_t)n, sizeof(*d->line));
	d->cells = xcalloc((size_t)n, sizeof(*d->cells));
	d->line_cap = n;
}

static attr_t cell_attrs(const VTermScreenCell *c)
{
	attr_t a = A_NORMAL;

	if (c->attrs.bold)
		a |= A_BOLD;
	if (c->attrs.underline)
		a |= A_UNDERLINE;
	if (c->attrs.italic)
		a |= A_ITALIC;
	if (c->attrs.blink)
		a |= A_BLINK;
	if (c->attrs.reverse)
		a |= A_REVERSE;
	return a;
}

/* One row of cells into w at row y, cut at the window's width. libvterm and
 * the C library may disagree on a character's width; the cell grid wins, so
 * that later columns stay in place. */
static void pdraw_row(struct pdraw *d, WINDOW *w, int y, const VTermScreenCell *cells, int n)
{
	int wcols = getmaxx(w), col = 0, k = 0;

	for (int x = 0; x < n && col < wcols; x++) {
		const VTermScreenCell *c = &cells[x];
		wchar_t wc[CCHARW_MAX + 1] = { 0 };
		int cw = c->width == 2 ? 2 : 1;
		int pair, i;
		attr_t a;

		if (c->chars[0] == (uint32_t)-1)
			continue;
		pair = pdraw_pair(d, &c->fg, &c->bg);
		a = cell_attrs(c);
		for (i = 0; i < CCHARW_MAX && i < VTERM_MAX_CHARS_PER_CELL && c->chars[i]; i++)
			wc[i] = (wchar_t)c->chars[i];
		if (i == 0)
			wc[0] = L' ';
		int tw = wcwidth(wc[0]);

		if (col + cw > wcols || tw < 1 || tw > cw) {
			wc[0] = col + cw > wcols ? L' ' : L'?';
			wc[1] = 0;
			tw = 1;
			cw = col + cw > wcols ? 1 : cw;
		}
		setcchar(&d->line[k++], wc, a, 0, &pair);
		col += tw;
		if (tw < cw) {
			wchar_t blank[2] = { L' ', 0 };

			setcchar(&d->line[k++], blank, a, 0, &pair);
			col++;
		}
	}
	mvwadd_wchnstr(w, y, 0, d->line, k);
	if (col < wcols) {
		wmove(w, y, col);
		wclrtoeol(w);
	}
}

static void pdraw_screen_row(struct pdraw *d, const struct pane *p, WINDOW *w, int y, int row,
			     int cols)
{
	for (int x = 0; x < cols; x++)
		pane_cell(p, row, x, &d->cells[x]);
	pdraw_row(d, w, y, d->cells, cols);
}

int pdraw_pane(struct pdraw *d, struct pane *p, WINDOW *w, unsigned flags)
{
	int rows, cols, wrows = getmaxy(w), drawn = 0, crow, ccol;
	bool visible;

	pane_size(p, &rows, &cols);
	pdraw_reserve(d, 2 * cols + 1);
	for (int y = 0; y < rows && y < wrows; y++) {
		if (!(flags & PDRAW_FULL) && !pane_row_dirty(p, y))
			continue;
		pdraw_screen_row(d, p, w, y, y, cols);
		drawn++;
	}
	if ((flags & PDRAW_FULL) && rows < wrows) {
		wmove(w, rows, 0);
		wclrtobot(w);
	}
	pane_damage_clear(p);
	pane_cursor(p, &crow, &ccol, &visible);
	if (crow < wrows && ccol < getmaxx(w))
		wmove(w, crow, ccol);
	return drawn;
}

void pdraw_scrolled(struct pdraw *d, const struct pane *p, WINDOW *w, size_t offset)
{
	const struct sb *sb = pane_scrollback(p);
	int rows, cols, wrows = getmaxy(w);

	pane_size(p, &rows, &cols);
	pdraw_reserve(d, 2 * cols + 1);
	if (offset > sb_count(sb))
		offset = sb_count(sb);
	for (int y = 0; y < wrows; y++) {
		/* Window row y shows history line offset-1-y while that is
		 * history, then the screen from its top. */
		if ((size_t)y < offset) {
			sb_line(sb, offset - 1 - (size_t)y, d->cells, cols);
			pdraw_row(d, w, y, d->cells, cols);
		} else if (y - (int)offset < rows) {
			pdraw_screen_row(d, p, w, y, y - (int)offset, cols);
		} else {
			wmove(w, y, 0);
			wclrtoeol(w);
		}
	}
}
