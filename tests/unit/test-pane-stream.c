/* console/pane as a stream consumer: replies silenced during history replay,
 * resync after missed bytes, bounded parse slices, merged damage, keys. */
#include <criterion/criterion.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console/pane.h"
#include "engine/confr.h"
#include "lib/error.h"

struct sink {
	char buf[4096];
	size_t len;
};

static void sink_out(const char *bytes, size_t len, void *arg)
{
	struct sink *s = arg;

	cr_assert_lt(s->len + len, sizeof(s->buf));
	memcpy(s->buf + s->len, bytes, len);
	s->len += len;
	s->buf[s->len] = '\0';
}

static struct pane *new_pane(struct sink *s, int rows, int cols)
{
	struct pane_opts o = { .id = 2, .rows = rows, .cols = cols, .sb_lines = 1000,
			       .output = sink_out, .output_arg = s };
	struct error err = ERROR_INIT;
	struct pane *p = pane_new(&o, &err);

	cr_assert_not_null(p, "%s", err_msg(&err));
	s->len = 0;
	s->buf[0] = '\0';
	return p;
}

static void feed(struct pane *p, const char *s)
{
	pane_feed(p, s, strlen(s));
}

static void row_is(struct pane *p, int row, const char *want)
{
	char got[512];

	pane_row_text(p, row, got, sizeof(got));
	cr_assert_str_eq(got, want, "row %d: \"%s\", want \"%s\"", row, got, want);
}

Test(pane_stream, replies_to_replayed_history_are_discarded)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	pane_replay_begin(p);
	cr_assert(pane_replaying(p));
	feed(p, "old\e[c\e[6n\a");
	pane_take_changes(p);
	pane_process(p, 1024);
	cr_assert_eq(s.len, 0, "replay produced \"%s\"", s.buf);
	cr_assert_gt(pane_stats(p)->discarded, 0);
	cr_assert_not(pane_take_changes(p) & PANE_CH_BELL, "old bell rang");
	row_is(p, 0, "old");

	pane_replay_end(p);
	cr_assert_not(pane_replaying(p));
	feed(p, "\e[c");
	pane_process(p, 1024);
	cr_assert_gt(s.len, 3);
	cr_assert_eq(memcmp(s.buf, "\e[?", 3), 0, "DA reply \"%s\"", s.buf + 1);
	cr_assert_eq(s.buf[s.len - 1], 'c');
	s.len = 0;
	feed(p, "\e[6n");
	pane_process(p, 1024);
	cr_assert_str_eq(s.buf, "\e[1;4R");
	pane_unref(p, "test");
}

/* HIST_END arrives before the history is parsed: the mark must wait for
 * the parser to reach it. */
Test(pane_stream, replay_end_takes_effect_in_stream_order)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	pane_replay_begin(p);
	feed(p, "\e[c");
	pane_replay_end(p);
	cr_assert(pane_replaying(p));
	feed(p, "\e[6n");
	pane_process(p, 1 << 20);
	cr_assert_not(pane_replaying(p));
	cr_assert_str_eq(s.buf, "\e[1;1R");

	/* Also when the boundary falls inside one slice budget. */
	s.len = 0;
	pane_replay_begin(p);
	feed(p, "\e[c");
	pane_replay_end(p);
	feed(p, "\e[c");
	cr_assert_eq(pane_process(p, 2), 2);
	cr_assert(pane_replaying(p));
	pane_process(p, 100);
	cr_assert_eq(memcmp(s.buf, "\e[?", 3), 0);
	cr_assert_eq(strchr(s.buf, 'c'), s.buf + s.len - 1, "one reply only: %s", s.buf + 1);
	pane_unref(p, "test");
}

Test(pane_stream, keys_are_sent_during_replay)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	pane_replay_begin(p);
	cr_assert_eq(pane_key(p, false, 'a', 0), 0);
	cr_assert_str_eq(s.buf, "a");
	pane_unref(p, "test");
}

static struct confr_frame frame(enum confr_type t, const void *payload, uint32_t len)
{
	return (struct confr_frame){ .type = t, .len = len, .payload = payload };
}

Test(pane_stream, frames)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);
	struct error err = ERROR_INIT;
	struct confr_frame f;
	uint8_t n[8];

	pane_replay_begin(p);
	f = frame(CONFR_DATA, "hist\e[c", 7);
	cr_assert_eq(pane_frame(p, &f, &err), 1);
	f = frame(CONFR_HIST_END, NULL, 0);
	cr_assert_eq(pane_frame(p, &f, &err), 1);
	f = frame(CONFR_EVENT, "stopped shutdown", 16);
	cr_assert_eq(pane_frame(p, &f, &err), 0);
	pane_process(p, 100);
	cr_assert_not(pane_replaying(p));
	cr_assert_eq(s.len, 0);
	row_is(p, 0, "hist");

	confr_put_u64(n, 12345);
	f = frame(CONFR_MISSED, n, 8);
	cr_assert_eq(pane_frame(p, &f, &err), 1);
	cr_assert_eq(pane_stats(p)->missed, 12345);
	row_is(p, 0, "");
	f = frame(CONFR_MISSED, n, 4);
	cr_assert_eq(pane_frame(p, &f, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "MISSED"));
	err_clear(&err);
	pane_unref(p, "test");
}

Test(pane_stream, missed_bytes_reset_the_terminal)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	feed(p, "before\e[?1049h\e[31malt\e[3");
	pane_process(p, 1024);
	cr_assert(pane_altscreen(p));
	feed(p, "junk");
	pane_missed(p, 5000);
	cr_assert_eq(pane_pending(p), 0);
	cr_assert_eq(pane_stats(p)->dropped, 4);
	cr_assert_not(pane_altscreen(p));
	row_is(p, 0, "");

	/* The cut "\e[3" must not swallow the tail that follows. */
	feed(p, "1mtail");
	pane_process(p, 1024);
	row_is(p, 0, "1mtail");
	VTermScreenCell c;
	pane_cell(p, 0, 0, &c);
	cr_assert(VTERM_COLOR_IS_DEFAULT_FG(&c.fg), "pen not reset");
	pane_unref(p, "test");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* cat of a text file: 79 printable columns and CR LF per line. */
static char *plain_text(size_t size)
{
	char *buf = malloc(size);

	for (size_t i = 0; i < size; i++) {
		size_t col = i % 81;

		buf[i] = col == 79 ? '\r' : col == 80 ? '\n' : (char)(' ' + (i / 81 + col) % 95);
	}
	return buf;
}

Test(pane_stream, parse_slices_are_bounded)
{
	enum { SIZE = 10 << 20, SLICE = 64 << 10 };
	struct sink s;
	struct pane *p = new_pane(&s, 50, 200);
	char *buf = plain_text(SIZE);
	size_t calls = 0, left = SIZE;
	double t0;

	cr_assert(pane_wants_input(p));
	pane_feed(p, buf, SIZE);
	free(buf);
	cr_assert_not(pane_wants_input(p), "10 MB unparsed is over the high mark");
	t0 = now();
	while (pane_pending(p) > 0) {
		size_t n = pane_process(p, SLICE);

		cr_assert_leq(n, SLICE);
		cr_assert_eq(n, left < SLICE ? left : SLICE);
		left -= n;
		cr_assert_eq(pane_pending(p), left);
		calls++;
	}
	double secs = now() - t0;

	cr_assert_eq(calls, SIZE / SLICE);
	cr_assert(pane_wants_input(p));
	cr_assert_eq(pane_stats(p)->parsed, SIZE);
	cr_log_info("pane_stream: 10 MB of plain text parsed in %zu slices, %.1f MB/s; "
		    "%llu damage + %llu moverect callbacks",
		    calls, SIZE / secs / 1e6, (unsigned long long)pane_stats(p)->damage_calls,
		    (unsigned long long)pane_stats(p)->moverect_calls);
	pane_unref(p, "test");
}

static int count_cb(VTermRect r, void *user)
{
	(*(unsigned long *)user)++;
	return 1;
}

Test(pane_stream, damage_is_merged)
{
	struct sink s;
	struct pane *p = new_pane(&s, 24, 80);
	char line[32];
	const struct pane_stats *st = pane_stats(p);
	unsigned long per_cell = 0;
	VTerm *raw = vterm_new(24, 80);
	VTermScreenCallbacks cbs = { .damage = count_cb };

	vterm_screen_set_callbacks(vterm_obtain_screen(raw), &cbs, &per_cell);
	vterm_screen_reset(vterm_obtain_screen(raw), 1);
	per_cell = 0;
	for (int i = 0; i < 1000; i++) {
		int n = snprintf(line, sizeof(line), "line %d\r\n", i);

		pane_feed(p, line, (size_t)n);
		vterm_input_write(raw, line, (size_t)n);
	}
	vterm_free(raw);
	pane_process(p, 1 << 20);
	row_is(p, 22, "line 999");
	for (int r = 0; r < 24; r++)
		cr_assert(pane_row_dirty(p, r));
	cr_log_info("pane_stream: 1000 lines: %llu damage + %llu moverect callbacks "
		    "(libvterm default merge: %lu)",
		    (unsigned long long)st->damage_calls, (unsigned long long)st->moverect_calls,
		    per_cell);
	cr_assert_leq(st->damage_calls + st->moverect_calls, 4);
	cr_assert_gt(per_cell, 1000);

	pane_damage_clear(p);
	pane_take_changes(p);
	feed(p, "\e[5;3Hx");
	pane_process(p, 100);
	cr_assert(pane_take_changes(p) & PANE_CH_DAMAGE);
	for (int r = 0; r < 24; r++)
		cr_assert_eq(pane_row_dirty(p, r), r == 4, "row %d", r);
	pane_unref(p, "test");
}

static const char *key(struct pane *p, struct sink *s, bool code, wint_t k, unsigned mods)
{
	s->len = 0;
	s->buf[0] = '\0';
	cr_assert_eq(pane_key(p, code, k, mods), 0, "key %#o", (unsigned)k);
	return s->buf;
}

Test(pane_stream, keys)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	cr_assert_str_eq(key(p, &s, false, L'\xe9', 0), "\xc3\xa9");
	cr_assert_str_eq(key(p, &s, false, 3, 0), "\x03");
	cr_assert_str_eq(key(p, &s, false, 'c', PANE_MOD_CTRL), "\x03");
	cr_assert_str_eq(key(p, &s, false, 'x', PANE_MOD_ALT), "\ex");
	cr_assert_str_eq(key(p, &s, false, '\r', 0), "\r");
	cr_assert_str_eq(key(p, &s, true, KEY_UP, 0), "\e[A");
	cr_assert_str_eq(key(p, &s, true, KEY_LEFT, PANE_MOD_CTRL), "\e[1;5D");
	cr_assert_str_eq(key(p, &s, true, KEY_SRIGHT, 0), "\e[1;2C");
	cr_assert_str_eq(key(p, &s, true, KEY_PPAGE, 0), "\e[5~");
	cr_assert_str_eq(key(p, &s, true, KEY_DC, 0), "\e[3~");
	cr_assert_str_eq(key(p, &s, true, KEY_BACKSPACE, 0), "\x7f");
	cr_assert_str_eq(key(p, &s, true, KEY_BTAB, 0), "\e[Z");
	cr_assert_str_eq(key(p, &s, true, KEY_F(1), 0), "\eOP");
	cr_assert_str_eq(key(p, &s, true, KEY_F(5), 0), "\e[15~");
	cr_assert_str_eq(key(p, &s, true, KEY_F(13), 0), "\e[1;2P");
	s.len = 0;
	cr_assert_eq(pane_key(p, true, KEY_MOUSE, 0), -1);
	cr_assert_eq(s.len, 0);

	/* Application cursor keys, as set by vi or less. */
	feed(p, "\e[?1h");
	pane_process(p, 100);
	cr_assert_str_eq(key(p, &s, true, KEY_UP, 0), "\eOA");
	pane_unref(p, "test");
}

Test(pane_stream, paste)
{
	struct sink s;
	struct pane *p = new_pane(&s, 10, 20);

	pane_paste(p, "ab\ecd", 5);
	cr_assert_str_eq(s.buf, "abcd");
	s.len = 0;
	feed(p, "\e[?2004h");
	pane_process(p, 100);
	pane_paste(p, "ab\e[201~rm", 10);
	cr_assert_str_eq(s.buf, "\e[200~ab[201~rm\e[201~");
	pane_unref(p, "test");
}
