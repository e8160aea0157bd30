/* Terminal panes: libvterm fed in bounded slices, row damage for the drawer,
 * replies silenced during history replay, keys turned into bytes. */
#include "console/pane.h"

#include <curses.h>
#include <errno.h>
#include <string.h>

#include "console/scrollback.h"
#include "engine/confr.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

#define TITLE_MAX 256
#define INPUT_HIGH (256u << 10)

/* A replay boundary at an absolute stream offset. */
struct pane_mark {
	uint64_t at;
	bool replay;
};

struct pane {
	int refs;
	int id;
	VTerm *vt;
	VTermScreen *screen;
	VTermState *state;
	int rows, cols;

	/* Fed but not yet parsed: in[in_off, in_len). */
	char *in;
	size_t in_off, in_len, in_cap, in_high;
	uint64_t fed;
	struct pane_mark *marks;
	size_t nmarks, marks_cap;
	bool replay;
	bool keying; /* output comes from a key press, never silenced */

	pane_output_fn *output;
	void *output_arg;

	uint8_t *dirty;
	int dirty_cap;
	unsigned changes;
	char *title;
	VTermPos cursor;
	bool cursor_visible;
	bool altscreen;
	struct sb *sb;
	struct pane_stats stats;
};

static void pane_mark_rows(struct pane *p, int start, int end)
{
	if (start < 0)
		start = 0;
	if (end > p->dirty_cap)
		end = p->dirty_cap;
	if (start >= end)
		return;
	memset(p->dirty + start, 1, (size_t)(end - start));
	p->changes |= PANE_CH_DAMAGE;
}

static int pane_cb_damage(VTermRect rect, void *user)
{
	struct pane *p = user;

	p->stats.damage_calls++;
	pane_mark_rows(p, rect.start_row, rect.end_row);
	return 1;
}

/* The screen buffer has already moved; redrawing the destination rows from
 * it is all the drawer needs (curses finds the scroll itself). */
static int pane_cb_moverect(VTermRect dest, VTermRect src, void *user)
{
	struct pane *p = user;

	p->stats.moverect_calls++;
	pane_mark_rows(p, dest.start_row, dest.end_row);
	return 1;
}

static int pane_cb_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct pane *p = user;

	p->cursor = pos;
	p->changes |= PANE_CH_CURSOR;
	return 1;
}

static void pane_set_title(struct pane *p, const char *s)
{
	size_t n = strnlen(s, TITLE_MAX);
	char *t = xstrndup(s, n);

	/* Do not end inside a UTF-8 sequence cut at TITLE_MAX. */
	if (n == TITLE_MAX)
		while (n > 0 && ((unsigned char)t[n - 1] & 0xc0) == 0x80)
			t[--n] = '\0';
	if (n > 0 && (unsigned char)t[n - 1] >= 0xc0)
		t[--n] = '\0';
	/* The title lands on a curses border: control bytes would move the
	 * outer terminal's cursor. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			t[i] = '?';
	free(p->title);
	p->title = t;
	p->changes |= PANE_CH_TITLE;
}

static int pane_cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct pane *p = user;

	switch (prop) {
	case VTERM_PROP_TITLE:
		pane_set_title(p, val->string);
		break;
	case VTERM_PROP_CURSORVISIBLE:
		p->cursor_visible = val->boolean;
		p->changes |= PANE_CH_CURSOR;
		break;
	case VTERM_PROP_ALTSCREEN:
		p->altscreen = val->boolean;
		p->changes |= PANE_CH_SCREEN;
		pane_mark_rows(p, 0, p->rows);
		break;
	default:
		break;
	}
	return 1;
}

static int pane_cb_bell(void *user)
{
	struct pane *p = user;

	/* A bell in old output is not news. */
	if (!p->replay)
		p->changes |= PANE_CH_BELL;
	return 1;
}

static int pane_cb_resize(int rows, int cols, void *user)
{
	struct pane *p = user;

	p->rows = rows;
	p->cols = cols;
	pane_mark_rows(p, 0, rows);
	return 1;
}

static int pane_cb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct pane *p = user;

	sb_push(p->sb, cells, cols);
	return 1;
}

static int pane_cb_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct pane *p = user;

	return sb_pop(p->sb, cells, cols) >= 0;
}

static const VTermScreenCallbacks pane_screen_cbs = {
	.damage = pane_cb_damage,
	.moverect = pane_cb_moverect,
	.movecursor = pane_cb_movecursor,
	.settermprop = pane_cb_settermprop,
	.bell = pane_cb_bell,
	.resize = pane_cb_resize,
	.sb_pushline = pane_cb_pushline,
	.sb_popline = pane_cb_popline,
};

static void pane_vt_output(const char *s, size_t len, void *user)
{
	struct pane *p = user;

	if (p->replay && !p->keying) {
		p->stats.discarded += len;
		log_debug("pane %d: %zu reply bytes to replayed history dropped", p->id, len);
		return;
	}
	if (p->output != NULL)
		p->output(s, len, p->output_arg);
}

static void pane_grow_dirty(struct pane *p, int rows)
{
	if (rows <= p->dirty_cap)
		return;
	p->dirty = xrealloc(p->dirty, (size_t)rows);
	memset(p->dirty + p->dirty_cap, 0, (size_t)(rows - p->dirty_cap));
	p->dirty_cap = rows;
}

struct pane *pane_new(const struct pane_opts *opts, struct error *err)
{
	struct pane *p;
	VTermColor fg, bg;
	int rows = opts->rows > 0 ? opts->rows : 1;
	int cols = opts->cols > 0 ? opts->cols : 1;

	p = xcalloc(1, sizeof(*p));
	p->vt = vterm_new(rows, cols);
	if (p->vt == NULL) {
		free(p);
		err_set(err, ENOMEM, "pane %d: cannot create a %dx%d terminal", opts->id, cols,
			rows);
		return NULL;
	}
	p->refs = 1;
	p->id = opts->id;
	p->rows = rows;
	p->cols = cols;
	p->output = opts->output;
	p->output_arg = opts->output_arg;
	p->in_high = opts->input_high ? opts->input_high : INPUT_HIGH;
	p->title = xstrdup("");
	p->cursor_visible = true;
	p->sb = sb_new(opts->sb_lines);
	pane_grow_dirty(p, rows);

	vterm_set_utf8(p->vt, 1);
	vterm_output_set_callback(p->vt, pane_vt_output, p);
	p->state = vterm_obtain_state(p->vt);
	p->screen = vterm_obtain_screen(p->vt);
	vterm_screen_set_callbacks(p->screen, &pane_screen_cbs, p);
	/* 0.1.4 defaults to a callback per cell, thousands per screenful. */
	vterm_screen_set_damage_merge(p->screen, VTERM_DAMAGE_SCROLL);
	vterm_screen_enable_altscreen(p->screen, 1);
	vterm_screen_reset(p->screen, 1);
	vterm_state_get_default_colors(p->state, &fg, &bg);
	sb_set_blank(p->sb, &fg, &bg);
	pane_mark_rows(p, 0, rows);
	log_debug("pane %d: new %dx%d, ref by creator", p->id, cols, rows);
	return p;
}

struct pane *pane_ref(struct pane *p, const char *who)
{
	p->refs++;
	log_debug("pane %d: ref by %s (%d refs)", p->id, who, p->refs);
	return p;
}

void pane_unref(struct pane *p, const char *who)
{
	if (p == NULL)
		return;
	log_debug("pane %d: unref by %s (%d refs)", p->id, who, p->refs - 1);
	if (--p->refs > 0)
		return;
	vterm_free(p->vt);
	sb_free(p->sb);
	free(p->in);
	free(p->marks);
	free(p->dirty);
	free(p->title);
	free(p);
}

int pane_id(const struct pane *p)
{
	return p->id;
}

size_t pane_pending(const struct pane *p)
{
	return p->in_len - p->in_off;
}

bool pane_wants_input(const struct pane *p)
{
	return pane_pending(p) < p->in_high;
}

void pane_feed(struct pane *p, const void *bytes, size_t len)
{
	if (len == 0)
		return;
	if (p->in_off > 0 && p->in_len + len > p->in_cap) {
		memmove(p->in, p->in + p->in_off, p->in_len - p->in_off);
		p->in_len -= p->in_off;
		p->in_off = 0;
	}
	if (p->in_len + len > p->in_cap) {
		size_t cap = p->in_cap ? p->in_cap : 4096;

		while (cap < p->in_len + len)
			cap *= 2;
		p->in = xrealloc(p->in, cap);
		p->in_cap = cap;
	}
	memcpy(p->in + p->in_len, bytes, len);
	p->in_len += len;
	p->fed += len;
}

static uint64_t pane_parsed_at(const struct pane *p)
{
	return p->fed - pane_pending(p);
}

static void pane_set_replay(struct pane *p, bool on)
{
	if (p->replay != on)
		log_debug("pane %d: history replay %s at byte %llu", p->id, on ? "starts" : "ends",
			  (unsigned long long)pane_parsed_at(p));
	p->replay = on;
}

static void pane_apply_marks(struct pane *p)
{
	uint64_t at = pane_parsed_at(p);
	size_t i = 0;

	while (i < p->nmarks && p->marks[i].at <= at)
		pane_set_replay(p, p->marks[i++].replay);
	if (i == 0)
		return;
	memmove(p->marks, p->marks + i, (p->nmarks - i) * sizeof(*p->marks));
	p->nmarks -= i;
}

static void pane_add_mark(struct pane *p, bool replay)
{
	if (p->nmarks == 0 && pane_pending(p) == 0) {
		pane_set_replay(p, replay);
		return;
	}
	if (p->nmarks == p->marks_cap) {
		p->marks_cap = p->marks_cap ? p->marks_cap * 2 : 4;
		p->marks = xreallocarray(p->marks, p->marks_cap, sizeof(*p->marks));
	}
	p->marks[p->nmarks++] = (struct pane_mark){ p->fed, replay };
}

void pane_replay_begin(struct pane *p)
{
	pane_add_mark(p, true);
}

void pane_replay_end(struct pane *p)
{
	pane_add_mark(p, false);
}

bool pane_replaying(const struct pane *p)
{
	return p->replay;
}

size_t pane_process(struct pane *p, size_t budget)
{
	size_t done = 0;

	pane_apply_marks(p);
	while (done < budget && pane_pending(p) > 0) {
		size_t n = budget - done;

		if (n > pane_pending(p))
			n = pane_pending(p);
		if (p->nmarks > 0 && p->marks[0].at - pane_parsed_at(p) < n)
			n = (size_t)(p->marks[0].at - pane_parsed_at(p));
		vterm_input_write(p->vt, p->in + p->in_off, n);
		p->in_off += n;
		done += n;
		pane_apply_marks(p);
	}
	if (p->in_off == p->in_len)
		p->in_off = p->in_len = 0;
	p->stats.parsed += done;
	vterm_screen_flush_damage(p->screen);
	return done;
}

void pane_reset(struct pane *p)
{
	/* CAN ends an escape sequence cut off by the gap, which would
	 * otherwise swallow the start of what follows. */
	vterm_input_write(p->vt, "\x18", 1);
	if (p->altscreen) {
		VTermValue off = { .boolean = 0 };

		vterm_state_set_termprop(p->state, VTERM_PROP_ALTSCREEN, &off);
	}
	vterm_screen_reset(p->screen, 1);
	vterm_screen_flush_damage(p->screen);
	p->changes |= PANE_CH_SCREEN;
	pane_mark_rows(p, 0, p->rows);
}

void pane_missed(struct pane *p, uint64_t n)
{
	size_t drop = pane_pending(p);

	/* What is still unparsed comes before the gap and would be wiped by
	 * the reset anyway; only the replay state it carries matters. */
	for (size_t i = 0; i < p->nmarks; i++)
		pane_set_replay(p, p->marks[i].replay);
	p->nmarks = 0;
	p->in_off = p->in_len = 0;
	p->stats.missed += n;
	p->stats.dropped += drop;
	log_info("pane %d: %llu bytes missed, %zu unparsed dropped; resynchronising", p->id,
		 (unsigned long long)n, drop);
	pane_reset(p);
}

int pane_frame(struct pane *p, const struct confr_frame *f, struct error *err)
{
	switch (f->type) {
	case CONFR_DATA:
		pane_feed(p, f->payload, f->len);
		return 1;
	case CONFR_HIST_END:
		pane_replay_end(p);
		return 1;
	case CONFR_MISSED:
		if (f->len != 8)
			return err_set(err, 0, "pane %d: MISSED frame of %u bytes, want 8", p->id,
				       f->len);
		pane_missed(p, confr_get_u64(f->payload));
		return 1;
	default:
		return 0;
	}
}

/* ncurses key codes that are not function keys, as libvterm keys. */
static const struct pane_keymap {
	int code;
	VTermKey key;
	unsigned mods;
} pane_keymap[] = {
	{ KEY_ENTER, VTERM_KEY_ENTER, 0 },
	{ KEY_BACKSPACE, VTERM_KEY_BACKSPACE, 0 },
	{ KEY_BTAB, VTERM_KEY_TAB, PANE_MOD_SHIFT },
	{ KEY_UP, VTERM_KEY_UP, 0 },
	{ KEY_DOWN, VTERM_KEY_DOWN, 0 },
	{ KEY_LEFT, VTERM_KEY_LEFT, 0 },
	{ KEY_RIGHT, VTERM_KEY_RIGHT, 0 },
	{ KEY_SR, VTERM_KEY_UP, PANE_MOD_SHIFT },
	{ KEY_SF, VTERM_KEY_DOWN, PANE_MOD_SHIFT },
	{ KEY_SLEFT, VTERM_KEY_LEFT, PANE_MOD_SHIFT },
	{ KEY_SRIGHT, VTERM_KEY_RIGHT, PANE_MOD_SHIFT },
	{ KEY_HOME, VTERM_KEY_HOME, 0 },
	{ KEY_END, VTERM_KEY_END, 0 },
	{ KEY_SHOME, VTERM_KEY_HOME, PANE_MOD_SHIFT },
	{ KEY_SEND, VTERM_KEY_END, PANE_MOD_SHIFT },
	{ KEY_IC, VTERM_KEY_INS, 0 },
	{ KEY_DC, VTERM_KEY_DEL, 0 },
	{ KEY_SIC, VTERM_KEY_INS, PANE_MOD_SHIFT },
	{ KEY_SDC, VTERM_KEY_DEL, PANE_MOD_SHIFT },
	{ KEY_PPAGE, VTERM_KEY_PAGEUP, 0 },
	{ KEY_NPAGE, VTERM_KEY_PAGEDOWN, 0 },
	{ KEY_SPREVIOUS, VTERM_KEY_PAGEUP, PANE_MOD_SHIFT },
	{ KEY_SNEXT, VTERM_KEY_PAGEDOWN, PANE_MOD_SHIFT },
};

/* xterm numbers modified function keys on from F12: F13 is Shift-F1, F25
 * Ctrl-F1, F37 Ctrl-Shift-F1, F49 Alt-F1. */
static bool pane_fkey(int code, VTermKey *key, unsigned *mods)
{
	static const unsigned fmods[] = { 0, PANE_MOD_SHIFT, PANE_MOD_CTRL,
					  PANE_MOD_CTRL | PANE_MOD_SHIFT, PANE_MOD_ALT };
	int n = code - KEY_F0;

	if (n < 1 || n > 60)
		return false;
	*key = VTERM_KEY_FUNCTION((n - 1) % 12 + 1);
	*mods |= fmods[(n - 1) / 12];
	return true;
}

int pane_key(struct pane *p, bool keycode, wint_t key, unsigned mods)
{
	VTermKey vkey = VTERM_KEY_NONE;

	if (keycode) {
		for (size_t i = 0; i < sizeof(pane_keymap) / sizeof(pane_keymap[0]); i++) {
			if (pane_keymap[i].code == (int)key) {
				vkey = pane_keymap[i].key;
				mods |= pane_keymap[i].mods;
				break;
			}
		}
		if (vkey == VTERM_KEY_NONE && !pane_fkey((int)key, &vkey, &mods)) {
			log_debug("pane %d: no terminal sequence for key code %#o", p->id,
				  (unsigned)key);
			return -1;
		}
	}
	p->keying = true;
	if (keycode)
		vterm_keyboard_key(p->vt, vkey, (VTermModifier)mods);
	else
		vterm_keyboard_unichar(p->vt, (uint32_t)key, (VTermModifier)mods);
	p->keying = false;
	return 0;
}

void pane_paste(struct pane *p, const char *text, size_t len)
{
	size_t start = 0;

	p->keying = true;
	vterm_keyboard_start_paste(p->vt);
	/* An ESC inside the paste could end the bracket early and have the
	 * rest taken as typed commands. */
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\x1b')
			continue;
		if (i > start && p->output != NULL)
			p->output(text + start, i - start, p->output_arg);
		start = i + 1;
	}
	vterm_keyboard_end_paste(p->vt);
	p->keying = false;
}

void pane_resize(struct pane *p, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows == p->rows && cols == p->cols)
		return;
	log_debug("pane %d: resize %dx%d -> %dx%d", p->id, p->cols, p->rows, cols, rows);
	pane_grow_dirty(p, rows);
	vterm_set_size(p->vt, rows, cols);
	vterm_screen_flush_damage(p->screen);
	p->rows = rows;
	p->cols = cols;
	pane_mark_rows(p, 0, rows);
}

void pane_size(const struct pane *p, int *rows, int *cols)
{
	*rows = p->rows;
	*cols = p->cols;
}

unsigned pane_take_changes(struct pane *p)
{
	unsigned c = p->changes;

	p->changes = 0;
	return c;
}

const char *pane_title(const struct pane *p)
{
	return p->title;
}

void pane_cursor(const struct pane *p, int *row, int *col, bool *visible)
{
	*row = p->cursor.row;
	*col = p->cursor.col;
	*visible = p->cursor_visible;
}

bool pane_altscreen(const struct pane *p)
{
	return p->altscreen;
}

const struct pane_stats *pane_stats(const struct pane *p)
{
	return &p->stats;
}

bool pane_row_dirty(const struct pane *p, int row)
{
	return row >= 0 && row < p->rows && p->dirty[row];
}

void pane_damage_all(struct pane *p)
{
	pane_mark_rows(p, 0, p->rows);
}

void pane_damage_clear(struct pane *p)
{
	memset(p->dirty, 0, (size_t)p->dirty_cap);
}

int pane_cell(const struct pane *p, int row, int col, VTermScreenCell *cell)
{
	if (row < 0 || row >= p->rows || col < 0 || col >= p->cols)
		return -1;
	return vterm_screen_get_cell(p->screen, (VTermPos){ row, col }, cell) ? 0 : -1;
}

size_t pane_row_text(const struct pane *p, int row, char *buf, size_t size)
{
	VTermRect r = { row, row + 1, 0, p->cols };
	size_t n;

	if (size == 0)
		return 0;
	if (row < 0 || row >= p->rows) {
		buf[0] = '\0';
		return 0;
	}
	n = vterm_screen_get_text(p->screen, buf, size - 1, r);
	if (n > size - 1)
		n = size - 1;
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return n;
}

const struct sb *pane_scrollback(const struct pane *p)
{
	return p->sb;
}
