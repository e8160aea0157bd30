/* console/session: a session against a fake monitor on a unix socket in a
 * temporary directory: frames in, pane contents and frames out. */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console/pane.h"
#include "console/session.h"
#include "engine/confr.h"
#include "engine/usock.h"
#include "lib/error.h"

struct fake {
	char dir[64];
	char path[96];
	int lfd, fd;
	struct session *s;
};

static void fake_up(struct fake *f, int rows, int cols)
{
	struct error err = ERROR_INIT;
	struct session_opts o = { .name = "web", .id = 1, .rows = rows, .cols = cols,
				  .sb_lines = 100 };

	snprintf(f->dir, sizeof(f->dir), "/tmp/test-session.XXXXXX");
	cr_assert_not_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/console.sock", f->dir);
	f->lfd = usock_listen(f->path, 0600, &err);
	cr_assert_geq(f->lfd, 0, "%s", err_msg(&err));
	f->s = session_new(&o, &err);
	cr_assert_not_null(f->s, "%s", err_msg(&err));
	cr_assert_eq(session_attach_path(f->s, f->path, &err), 0, "%s", err_msg(&err));
	struct pollfd p = { .fd = f->lfd, .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 2000), 1);
	f->fd = accept(f->lfd, NULL, NULL);
	cr_assert_geq(f->fd, 0);
}

static void fake_down(struct fake *f)
{
	session_unref(f->s, "test");
	close(f->fd);
	close(f->lfd);
	unlink(f->path);
	rmdir(f->dir);
}

static void send_frame(struct fake *f, enum confr_type type, const void *payload, uint32_t len)
{
	uint8_t hdr[CONFR_HDR];

	confr_header(hdr, type, len);
	cr_assert_eq(write(f->fd, hdr, CONFR_HDR), CONFR_HDR);
	if (len > 0)
		cr_assert_eq(write(f->fd, payload, len), (ssize_t)len);
}

static void send_text(struct fake *f, const char *s)
{
	send_frame(f, CONFR_DATA, s, (uint32_t)strlen(s));
}

/* Lets the session take everything sent so far and parses it. */
static void pump(struct fake *f)
{
	struct pollfd p = { .fd = session_fd(f->s), .events = POLLIN };

	while (session_fd(f->s) >= 0 && poll(&p, 1, 50) > 0) {
		session_io(f->s, p.revents, 1 << 20);
		pane_process(session_pane(f->s), 1 << 20);
		p.fd = session_fd(f->s);
	}
	pane_process(session_pane(f->s), 1 << 20);
}

/* The next frame the session sent, or type 0 when none comes in 200 ms. */
static struct confr_frame next_sent(struct fake *f, struct confr_dec *d)
{
	struct confr_frame fr = { 0 };
	uint8_t buf[4096];

	while (confr_dec_next(d, &fr) != 1) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			return (struct confr_frame){ 0 };
		ssize_t n = read(f->fd, buf, sizeof(buf));
		cr_assert_gt(n, 0);
		confr_dec_feed(d, buf, (size_t)n);
	}
	return fr;
}

static void row_is(struct fake *f, int row, const char *want)
{
	char buf[256];

	pane_row_text(session_pane(f->s), row, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

Test(session, sends_its_size_on_attach_and_on_resize)
{
	struct fake f;
	struct confr_dec d;

	fake_up(&f, 24, 80);
	confr_dec_init(&d);
	struct confr_frame fr = next_sent(&f, &d);
	cr_assert_eq(fr.type, CONFR_WINSZ);
	cr_assert_eq(confr_get_u16(fr.payload), 24);
	cr_assert_eq(confr_get_u16(fr.payload + 2), 80);
	session_resize(f.s, 10, 33);
	fr = next_sent(&f, &d);
	cr_assert_eq(fr.type, CONFR_WINSZ);
	cr_assert_eq(confr_get_u16(fr.payload), 10);
	cr_assert_eq(confr_get_u16(fr.payload + 2), 33);
	int rows, cols;
	pane_size(session_pane(f.s), &rows, &cols);
	cr_assert_eq(rows, 10);
	cr_assert_eq(cols, 33);
	confr_dec_free(&d);
	fake_down(&f);
}

Test(session, output_reaches_the_pane_and_keys_the_monitor)
{
	struct fake f;
	struct confr_dec d;

	fake_up(&f, 5, 20);
	confr_dec_init(&d);
	send_text(&f, "old line\r\n");
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	send_text(&f, "$ ");
	pump(&f);
	row_is(&f, 0, "old line");
	row_is(&f, 1, "$");
	cr_assert_eq(session_state(f.s), SESS_LIVE);
	cr_assert_eq(next_sent(&f, &d).type, CONFR_WINSZ);
	pane_key(session_pane(f.s), false, L'é', 0);
	struct confr_frame fr = next_sent(&f, &d);
	cr_assert_eq(fr.type, CONFR_DATA);
	cr_assert_eq(fr.len, 2);
	cr_assert_eq(memcmp(fr.payload, "é", 2), 0);
	confr_dec_free(&d);
	fake_down(&f);
}

Test(session, history_is_drawn_but_never_answered)
{
	struct fake f;
	struct confr_dec d;

	fake_up(&f, 5, 20);
	confr_dec_init(&d);
	cr_assert_eq(next_sent(&f, &d).type, CONFR_WINSZ);
	/* Device attributes asked in old output: no answer may reach the
	 * container. */
	send_text(&f, "hist\x1b[c");
	pump(&f);
	cr_assert_eq(next_sent(&f, &d).type, 0);
	row_is(&f, 0, "hist");
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	send_text(&f, "\x1b[c");
	pump(&f);
	struct confr_frame fr = next_sent(&f, &d);
	cr_assert_eq(fr.type, CONFR_DATA);
	cr_assert(fr.len > 2 && memcmp(fr.payload, "\x1b[", 2) == 0);
	confr_dec_free(&d);
	fake_down(&f);
}

Test(session, a_stop_notice_ends_the_stream_and_says_why)
{
	struct fake f;

	fake_up(&f, 5, 20);
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	send_frame(&f, CONFR_EVENT, "restarted", 9);
	pump(&f);
	cr_assert_eq(session_state(f.s), SESS_LIVE);
	cr_assert_str_eq(session_why(f.s), "restarted");
	cr_assert(session_take_changes(f.s) & SESS_CH_STATE);
	send_frame(&f, CONFR_EVENT, "stopped shutdown", 16);
	pump(&f);
	cr_assert_eq(session_state(f.s), SESS_STOPPED);
	cr_assert_str_eq(session_why(f.s), "stopped shutdown");
	cr_assert_eq(session_fd(f.s), -1);
	fake_down(&f);
}

Test(session, a_closed_stream_is_a_stop_and_a_new_attach_resets_the_screen)
{
	struct fake f;
	struct error err = ERROR_INIT;

	fake_up(&f, 5, 20);
	send_text(&f, "before");
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	pump(&f);
	row_is(&f, 0, "before");
	close(f.fd);
	pump(&f);
	cr_assert_eq(session_state(f.s), SESS_STOPPED);
	cr_assert_eq(session_attach_path(f.s, f.path, &err), 0, "%s", err_msg(&err));
	f.fd = accept(f.lfd, NULL, NULL);
	cr_assert_geq(f.fd, 0);
	cr_assert_eq(session_state(f.s), SESS_LIVE);
	send_text(&f, "after");
	pump(&f);
	row_is(&f, 0, "after");
	fake_down(&f);
}

Test(session, a_full_pane_stops_reading_until_it_has_parsed)
{
	struct fake f;
	struct error err = ERROR_INIT;
	struct session_opts o = { .name = "web", .id = 2, .rows = 5, .cols = 20,
				  .input_high = 4096 };
	static char big[8192];

	fake_up(&f, 5, 20);
	session_unref(f.s, "test");
	f.s = session_new(&o, &err);
	cr_assert_eq(session_attach_path(f.s, f.path, &err), 0, "%s", err_msg(&err));
	close(f.fd);
	f.fd = accept(f.lfd, NULL, NULL);
	memset(big, 'x', sizeof(big));
	send_frame(&f, CONFR_DATA, big, sizeof(big));
	struct pollfd p = { .fd = session_fd(f.s), .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 1000), 1);
	session_io(f.s, p.revents, 1 << 20);
	cr_assert_geq(pane_pending(session_pane(f.s)), 4096);
	cr_assert_eq(session_events(f.s) & POLLIN, 0);
	pane_process(session_pane(f.s), 1 << 20);
	cr_assert_neq(session_events(f.s) & POLLIN, 0);
	fake_down(&f);
}

Test(session, flood_mode_keeps_only_the_latest_output_until_released)
{
	struct fake f;
	static char big[3 * SESS_HOLD];

	fake_up(&f, 5, 20);
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	pump(&f);
	session_set_hold(f.s, true);
	memset(big, 'x', sizeof(big));
	memcpy(big + sizeof(big) - 6, "\r\nlast", 6);
	send_frame(&f, CONFR_DATA, big, sizeof(big));
	struct pollfd p = { .fd = session_fd(f.s), .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 1000), 1);
	session_io(f.s, p.revents, 1 << 20);
	/* Held, not fed; and the socket waits until the release. */
	cr_assert_eq(pane_pending(session_pane(f.s)), 0);
	cr_assert_eq(session_events(f.s) & POLLIN, 0);
	cr_assert_eq(session_release(f.s), sizeof(big));
	cr_assert_eq(pane_pending(session_pane(f.s)), SESS_HOLD);
	cr_assert_neq(session_events(f.s) & POLLIN, 0);
	pane_process(session_pane(f.s), 1 << 20);
	cr_assert_eq(pane_stats(session_pane(f.s))->missed, sizeof(big) - SESS_HOLD);
	row_is(&f, 4, "last");
	cr_assert_eq(session_release(f.s), 0);
	session_set_hold(f.s, false);
	send_text(&f, "\r\nlive");
	pump(&f);
	row_is(&f, 4, "live");
	fake_down(&f);
}

Test(session, after_a_flood_gap_only_the_last_screenful_is_parsed)
{
	struct fake f;
	static char big[3 * SESS_HOLD];
	size_t len = 0;

	fake_up(&f, 5, 20);
	send_frame(&f, CONFR_HIST_END, NULL, 0);
	pump(&f);
	session_set_hold(f.s, true);
	for (int i = 0; len + 16 < sizeof(big); i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "line %06d\r\n", i);
	len += (size_t)snprintf(big + len, sizeof(big) - len, "tail");
	send_frame(&f, CONFR_DATA, big, (uint32_t)len);
	struct pollfd p = { .fd = session_fd(f.s), .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 1000), 1);
	session_io(f.s, p.revents, 1 << 20);
	cr_assert_eq(session_release(f.s), len);
	/* Four whole lines and the partial one: nothing scrolls. */
	cr_assert_eq(pane_pending(session_pane(f.s)), 4 * 13 + 4);
	pane_process(session_pane(f.s), 1 << 20);
	cr_assert_eq(pane_stats(session_pane(f.s))->missed, len - (4 * 13 + 4));
	cr_assert_eq(pane_stats(session_pane(f.s))->moverect_calls, 0);
	char want[32];
	snprintf(want, sizeof(want), "line %06d", (int)((len - 4) / 13 - 1));
	row_is(&f, 3, want);
	row_is(&f, 4, "tail");
	fake_down(&f);
}
