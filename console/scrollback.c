/* Compact scrollback: a ring of packed line records instead of libvterm's
 * 40-byte cells, so that a deep history costs about a byte per character. */
#include "console/scrollback.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/xmalloc.h"

/* A run of cells sharing attributes and colours. */
struct sb_span {
	uint16_t ncells;
	uint16_t attrs;
	uint32_t fg, bg;
};

/* One line in one allocation: the spans (none when every cell has the
 * default look), a shape byte per cell when some cell is not a single
 * one-column character, then the text. */
struct sb_rec {
	uint32_t nbytes;
	uint16_t ncells;
	uint16_t nspans;
	uint8_t complex;
	unsigned char data[];
};

/* Shape byte: characters in the cell << 2 | width; 0 marks the right half
 * of a wide character. */
#define SHAPE(n, w) ((uint8_t)((n) << 2 | (w)))
#define SHAPE_N(s) ((s) >> 2)
#define SHAPE_W(s) ((s)&3)

struct sb {
	struct sb_rec **ring;
	size_t cap, head, count, budget;
	VTermColor blank_fg, blank_bg;
	unsigned char *scratch;
	size_t scratch_cap;
};

struct sb *sb_new(size_t budget)
{
	struct sb *sb = xcalloc(1, sizeof(*sb));

	sb->budget = budget;
	sb->blank_fg.type = VTERM_COLOR_RGB | VTERM_COLOR_DEFAULT_FG;
	sb->blank_bg.type = VTERM_COLOR_RGB | VTERM_COLOR_DEFAULT_BG;
	return sb;
}

void sb_clear(struct sb *sb)
{
	for (size_t i = 0; i < sb->count; i++)
		free(sb->ring[(sb->head + i) % sb->cap]);
	sb->head = 0;
	sb->count = 0;
}

void sb_free(struct sb *sb)
{
	if (sb == NULL)
		return;
	sb_clear(sb);
	free(sb->ring);
	free(sb->scratch);
	free(sb);
}

/* Moves the lines, oldest first, into a ring of newcap slots. */
static void sb_reshape(struct sb *sb, size_t newcap)
{
	struct sb_rec **ring = newcap ? xcalloc(newcap, sizeof(*ring)) : NULL;

	for (size_t i = 0; i < sb->count; i++)
		ring[i] = sb->ring[(sb->head + i) % sb->cap];
	free(sb->ring);
	sb->ring = ring;
	sb->cap = newcap;
	sb->head = 0;
}

static void sb_drop_oldest(struct sb *sb)
{
	free(sb->ring[sb->head]);
	sb->ring[sb->head] = NULL;
	sb->head = (sb->head + 1) % sb->cap;
	sb->count--;
}

void sb_set_budget(struct sb *sb, size_t budget)
{
	sb->budget = budget;
	while (sb->count > budget)
		sb_drop_oldest(sb);
	if (sb->cap > budget)
		sb_reshape(sb, budget);
}

size_t sb_budget(const struct sb *sb)
{
	return sb->budget;
}

size_t sb_count(const struct sb *sb)
{
	return sb->count;
}

void sb_set_blank(struct sb *sb, const VTermColor *fg, const VTermColor *bg)
{
	sb->blank_fg = *fg;
	sb->blank_bg = *bg;
}

static uint16_t attrs_pack(const VTermScreenCellAttrs *a)
{
	return (uint16_t)(a->bold | a->underline << 1 | a->italic << 3 | a->blink << 4 |
			  a->reverse << 5 | a->strike << 6 | a->font << 7 | a->dwl << 11 |
			  a->dhl << 12);
}

static void attrs_unpack(uint16_t v, VTermScreenCellAttrs *a)
{
	a->bold = v & 1;
	a->underline = (v >> 1) & 3;
	a->italic = (v >> 3) & 1;
	a->blink = (v >> 4) & 1;
	a->reverse = (v >> 5) & 1;
	a->strike = (v >> 6) & 1;
	a->font = (v >> 7) & 15;
	a->dwl = (v >> 11) & 1;
	a->dhl = (v >> 12) & 3;
}

static uint32_t color_pack(const VTermColor *c)
{
	if (VTERM_COLOR_IS_INDEXED(c))
		return (uint32_t)c->type << 24 | c->indexed.idx;
	return (uint32_t)c->type << 24 | (uint32_t)c->rgb.red << 16 |
	       (uint32_t)c->rgb.green << 8 | c->rgb.blue;
}

static void color_unpack(uint32_t v, VTermColor *c)
{
	memset(c, 0, sizeof(*c));
	c->type = (uint8_t)(v >> 24);
	if (VTERM_COLOR_IS_INDEXED(c)) {
		c->indexed.idx = (uint8_t)v;
	} else {
		c->rgb.red = (uint8_t)(v >> 16);
		c->rgb.green = (uint8_t)(v >> 8);
		c->rgb.blue = (uint8_t)v;
	}
}

static size_t utf8_put(uint32_t c, unsigned char *out)
{
	if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		c = 0xfffd;
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xc0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xe0 | c >> 12);
		out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | c >> 18);
	out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* Decodes what utf8_put wrote; the input is our own, hence trusted. */
static size_t utf8_get(const unsigned char *in, uint32_t *c)
{
	if (in[0] < 0x80) {
		*c = in[0];
		return 1;
	}
	if (in[0] < 0xe0) {
		*c = (uint32_t)(in[0] & 0x1f) << 6 | (in[1] & 0x3f);
		return 2;
	}
	if (in[0] < 0xf0) {
		*c = (uint32_t)(in[0] & 0x0f) << 12 | (uint32_t)(in[1] & 0x3f) << 6 |
		     (in[2] & 0x3f);
		return 3;
	}
	*c = (uint32_t)(in[0] & 0x07) << 18 | (uint32_t)(in[1] & 0x3f) << 12 |
	     (uint32_t)(in[2] & 0x3f) << 6 | (in[3] & 0x3f);
	return 4;
}

static bool cell_continues(const VTermScreenCell *c)
{
	return c->chars[0] == (uint32_t)-1;
}

/* A blank that looks like the background: safe to drop at the line end. */
static bool cell_blank(const VTermScreenCell *c)
{
	bool space = c->chars[0] == 0 || (c->chars[0] == ' ' && c->chars[1] == 0);

	return space && !c->attrs.underline && !c->attrs.reverse && !c->attrs.strike &&
	       VTERM_COLOR_IS_DEFAULT_BG(&c->bg);
}

static unsigned char *sb_scratch(struct sb *sb, size_t need)
{
	if (sb->scratch_cap < need) {
		free(sb->scratch);
		sb->scratch = xmalloc(need);
		sb->scratch_cap = need;
	}
	return sb->scratch;
}

static struct sb_rec *rec_encode(struct sb *sb, const VTermScreenCell *cells, int ncells)
{
	size_t span_max = (size_t)ncells * sizeof(struct sb_span);
	size_t text_max = (size_t)ncells * VTERM_MAX_CHARS_PER_CELL * 4;
	unsigned char *spans = sb_scratch(sb, span_max + (size_t)ncells + text_max);
	unsigned char *shape = spans + span_max;
	unsigned char *text = shape + ncells;
	struct sb_span run = { 0 };
	size_t nspans = 0, nbytes = 0;
	bool complex = false, plain = true;
	struct sb_rec *rec;

	while (ncells > 0 && cell_blank(&cells[ncells - 1]))
		ncells--;
	for (int i = 0; i < ncells; i++) {
		const VTermScreenCell *c = &cells[i];
		struct sb_span cur = { 1, attrs_pack(&c->attrs), color_pack(&c->fg),
				       color_pack(&c->bg) };
		int n = 0;

		if (cell_continues(c)) {
			shape[i] = 0;
			complex = true;
		} else {
			while (n < VTERM_MAX_CHARS_PER_CELL && c->chars[n] != 0)
				nbytes += utf8_put(c->chars[n++], text + nbytes);
			if (n == 0)
				text[nbytes++] = ' ';
			shape[i] = SHAPE(n ? n : 1, c->width == 2 ? 2 : 1);
			complex |= n > 1 || c->width == 2;
		}
		if (cur.attrs != 0 || !VTERM_COLOR_IS_DEFAULT_FG(&c->fg) ||
		    !VTERM_COLOR_IS_DEFAULT_BG(&c->bg))
			plain = false;
		if (i > 0 && cur.attrs == run.attrs && cur.fg == run.fg && cur.bg == run.bg) {
			run.ncells++;
			continue;
		}
		if (i > 0)
			memcpy(spans + nspans++ * sizeof(run), &run, sizeof(run));
		run = cur;
	}
	if (ncells > 0)
		memcpy(spans + nspans++ * sizeof(run), &run, sizeof(run));
	if (plain)
		nspans = 0;

	size_t span_bytes = nspans * sizeof(struct sb_span);
	size_t shape_bytes = complex ? (size_t)ncells : 0;

	rec = xmalloc(sizeof(*rec) + span_bytes + shape_bytes + nbytes);
	rec->nbytes = (uint32_t)nbytes;
	rec->ncells = (uint16_t)ncells;
	rec->nspans = (uint16_t)nspans;
	rec->complex = complex;
	memcpy(rec->data, spans, span_bytes);
	memcpy(rec->data + span_bytes, shape, shape_bytes);
	memcpy(rec->data + span_bytes + shape_bytes, text, nbytes);
	return rec;
}

void sb_push(struct sb *sb, const VTermScreenCell *cells, int ncells)
{
	if (sb->budget == 0)
		return;
	if (ncells > UINT16_MAX)
		ncells = UINT16_MAX;
	if (sb->count == sb->budget)
		sb_drop_oldest(sb);
	if (sb->count == sb->cap) {
		size_t grow = sb->cap < 16 ? 16 : sb->cap * 2;

		sb_reshape(sb, grow < sb->budget ? grow : sb->budget);
	}
	sb->ring[(sb->head + sb->count) % sb->cap] = rec_encode(sb, cells, ncells);
	sb->count++;
}

static struct sb_rec *sb_rec_at(const struct sb *sb, size_t i)
{
	if (i >= sb->count)
		return NULL;
	return sb->ring[(sb->head + sb->count - 1 - i) % sb->cap];
}

static void blank_cell(const struct sb *sb, VTermScreenCell *c)
{
	memset(c, 0, sizeof(*c));
	c->width = 1;
	c->fg = sb->blank_fg;
	c->bg = sb->blank_bg;
}

static void rec_decode(const struct sb *sb, const struct sb_rec *rec, VTermScreenCell *cells,
		       int ncells)
{
	const unsigned char *spans = rec->data;
	const unsigned char *shape = spans + rec->nspans * sizeof(struct sb_span);
	const unsigned char *text = shape + (rec->complex ? rec->ncells : 0);
	struct sb_span run = { 0 };
	size_t span_i = 0;
	VTermScreenCellAttrs attrs = { 0 };
	VTermColor fg = sb->blank_fg, bg = sb->blank_bg;

	for (int i = 0; i < ncells; i++) {
		VTermScreenCell *c = &cells[i];

		if (i >= rec->ncells) {
			blank_cell(sb, c);
			continue;
		}
		if (run.ncells == 0 && span_i < rec->nspans) {
			memcpy(&run, spans + span_i++ * sizeof(run), sizeof(run));
			attrs_unpack(run.attrs, &attrs);
			color_unpack(run.fg, &fg);
			color_unpack(run.bg, &bg);
		}
		if (run.ncells > 0)
			run.ncells--;
		memset(c, 0, sizeof(*c));
		c->attrs = attrs;
		c->fg = fg;
		c->bg = bg;
		uint8_t s = rec->complex ? shape[i] : SHAPE(1, 1);

		if (s == 0) {
			c->chars[0] = (uint32_t)-1;
			c->width = 1;
			continue;
		}
		for (int k = 0; k < SHAPE_N(s); k++)
			text += utf8_get(text, &c->chars[k]);
		c->width = (char)SHAPE_W(s);
	}
	/* A wide character cut in half by a narrower read would leave a cell
	 * claiming two columns with one left. */
	if (ncells > 0 && cells[ncells - 1].width == 2) {
		blank_cell(sb, &cells[ncells - 1]);
		cells[ncells - 1].chars[0] = ' ';
	}
}

int sb_line(const struct sb *sb, size_t i, VTermScreenCell *cells, int ncells)
{
	const struct sb_rec *rec = sb_rec_at(sb, i);

	if (rec == NULL)
		return -1;
	rec_decode(sb, rec, cells, ncells);
	return rec->ncells;
}

int sb_pop(struct sb *sb, VTermScreenCell *cells, int ncells)
{
	struct sb_rec *rec = sb_rec_at(sb, 0);
	int n;

	if (rec == NULL)
		return -1;
	rec_decode(sb, rec, cells, ncells);
	n = rec->ncells;
	free(rec);
	sb->ring[(sb->head + sb->count - 1) % sb->cap] = NULL;
	sb->count--;
	return n;
}

const char *sb_text(const struct sb *sb, size_t i, size_t *len)
{
	const struct sb_rec *rec = sb_rec_at(sb, i);

	if (rec == NULL)
		return NULL;
	*len = rec->nbytes;
	return (const char *)rec->data + rec->nspans * sizeof(struct sb_span) +
	       (rec->complex ? rec->ncells : 0);
}

size_t sb_bytes(const struct sb *sb)
{
	size_t n = sb->cap * sizeof(*sb->ring);

	for (size_t i = 0; i < sb->count; i++)
		n += malloc_usable_size(sb->ring[(sb->head + i) % sb->cap]) + sizeof(size_t);
	return n;
}
