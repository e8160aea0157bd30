/* The console inside corral-monitor: the pty master is drained as fast as
 * the container writes, into the log and the history ring; each client
 * reads from the ring at its own pace, so the container never waits for a
 * viewer, and a viewer that falls behind is told how much it missed. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "engine/confr.h"
#include "engine/loop.h"
#include "engine/monitor.h"
#include "engine/usock.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

#define CON_CHUNK (16u << 10)
/* Reads of the pty per loop turn, so that a flooding container still lets
 * the monitor answer its sockets. */
#define PTY_READS_PER_TURN 8

struct pending {
	uint64_t at; /* sent once the client has had the output up to here */
	uint8_t type;
	uint32_t len;
	struct pending *next;
	uint8_t payload[];
};

struct mon_con {
	struct monitor *m;
	int fd;
	struct loop_source *src;
	struct confr_dec dec;
	uint64_t pos; /* next ring offset this client gets */
	uint8_t out[CONFR_HDR + CON_CHUNK];
	size_t out_len, out_off;
	struct pending *pend, *pend_tail;
	struct mon_con *prev, *next;
};

static void con_queue(struct mon_con *c, uint64_t at, enum confr_type type, const void *payload,
		      uint32_t len)
{
	struct pending *p = xmalloc(sizeof(*p) + len);

	p->at = at;
	p->type = (uint8_t)type;
	p->len = len;
	p->next = NULL;
	if (len > 0)
		memcpy(p->payload, payload, len);
	if (c->pend_tail != NULL)
		c->pend_tail->next = p;
	else
		c->pend = p;
	c->pend_tail = p;
}

static void con_close(struct mon_con *c)
{
	struct monitor *m = c->m;

	loop_remove(m->loop, c->src);
	close(c->fd);
	confr_dec_free(&c->dec);
	while (c->pend != NULL) {
		struct pending *p = c->pend;
		c->pend = p->next;
		free(p);
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		m->cons = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c);
}

/* Puts the next frame for c into its out buffer; false when there is
 * nothing to send. */
static bool con_fill(struct mon_con *c)
{
	const struct ring *r = &c->m->ring;
	struct pending *p = c->pend;
	uint64_t limit, missed = 0;
	size_t n;

	if (p != NULL && p->at <= c->pos) {
		confr_header(c->out, p->type, p->len);
		/* Notices are short; the queue holds nothing larger than a chunk. */
		memcpy(c->out + CONFR_HDR, p->payload, p->len);
		c->out_len = CONFR_HDR + p->len;
		c->out_off = 0;
		c->pend = p->next;
		if (c->pend == NULL)
			c->pend_tail = NULL;
		free(p);
		return true;
	}
	if (c->pos < ring_start(r)) {
		missed = ring_start(r) - c->pos;
		c->pos = ring_start(r);
		confr_header(c->out, CONFR_MISSED, 8);
		confr_put_u64(c->out + CONFR_HDR, missed);
		c->out_len = CONFR_HDR + 8;
		c->out_off = 0;
		log_debug("console client fell %llu bytes behind", (unsigned long long)missed);
		return true;
	}
	limit = p != NULL ? p->at : ring_end(r);
	if (c->pos >= limit)
		return false;
	n = limit - c->pos < CON_CHUNK ? (size_t)(limit - c->pos) : CON_CHUNK;
	n = ring_read(r, &c->pos, c->out + CONFR_HDR, n, &missed);
	confr_header(c->out, CONFR_DATA, (uint32_t)n);
	c->out_len = CONFR_HDR + n;
	c->out_off = 0;
	return n > 0;
}

/* Writes what the client can take now; false when it is gone. */
static bool con_flush(struct mon_con *c)
{
	struct error err = ERROR_INIT;

	for (;;) {
		if (c->out_off < c->out_len) {
			ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN)
					return false;
				if (loop_set_events(c->m->loop, c->src, EPOLLIN | EPOLLOUT, &err) < 0) {
					err_clear(&err);
					return false;
				}
				return true;
			}
			c->out_off += (size_t)w;
			continue;
		}
		if (!con_fill(c))
			break;
	}
	if (loop_set_events(c->m->loop, c->src, EPOLLIN, &err) < 0) {
		err_clear(&err);
		return false;
	}
	return true;
}

static void pty_want_out(struct monitor *m, bool on)
{
	struct error err = ERROR_INIT;

	if (loop_set_events(m->loop, m->pty_src, on ? EPOLLIN | EPOLLOUT : EPOLLIN, &err) < 0) {
		log_warn("%s", err_msg(&err));
		err_clear(&err);
	}
}

static void pty_write_input(struct monitor *m)
{
	while (m->input_len > 0) {
		ssize_t w = write(m->pty.master, m->input, m->input_len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				pty_want_out(m, true);
				return;
			}
			log_warn("write to the console of '%s': %s", m->name, strerror(errno));
			m->input_len = 0;
			break;
		}
		memmove(m->input, m->input + w, m->input_len - (size_t)w);
		m->input_len -= (size_t)w;
	}
	pty_want_out(m, false);
}

static void con_input(struct mon_con *c, const struct confr_frame *f)
{
	struct monitor *m = c->m;

	if (f->type == CONFR_DATA) {
		size_t room = MON_INPUT_MAX - m->input_len;
		size_t n = f->len < room ? f->len : room;
		if (n < f->len)
			log_warn("console input of '%s' full: %zu bytes dropped", m->name, f->len - n);
		memcpy(m->input + m->input_len, f->payload, n);
		m->input_len += n;
		pty_write_input(m);
	} else if (f->type == CONFR_WINSZ && f->len >= 4) {
		struct winsize ws = {
			.ws_row = confr_get_u16(f->payload),
			.ws_col = confr_get_u16(f->payload + 2),
		};
		/* The container's foreground process group gets SIGWINCH. */
		if (ws.ws_row > 0 && ws.ws_col > 0 && ioctl(m->pty.master, TIOCSWINSZ, &ws) < 0)
			log_warn("resize the console of '%s': %s", m->name, strerror(errno));
	}
}

static void con_event(struct loop *l, struct loop_source *src, int fd, uint32_t events, void *data)
{
	struct mon_con *c = data;
	struct confr_frame f;
	uint8_t buf[CON_CHUNK];
	int rc;

	if ((events & EPOLLOUT) && !con_flush(c)) {
		con_close(c);
		return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		con_close(c);
		return;
	}
	confr_dec_feed(&c->dec, buf, (size_t)n);
	while ((rc = confr_dec_next(&c->dec, &f)) == 1)
		con_input(c, &f);
	if (rc < 0) {
		log_warn("console client of '%s' sent a corrupt frame; dropped", c->m->name);
		con_close(c);
	}
}

static void con_accept(struct loop *l, struct loop_source *src, int lfd, uint32_t events,
		       void *data)
{
	struct monitor *m = data;
	struct error err = ERROR_INIT;

	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("accept on '%s': %s", m->con_path, strerror(errno));
			return;
		}
		struct mon_con *c = xcalloc(1, sizeof(*c));
		c->m = m;
		c->fd = fd;
		confr_dec_init(&c->dec);
		/* History first, then a marker, then live output. */
		c->pos = ring_start(&m->ring);
		con_queue(c, ring_end(&m->ring), CONFR_HIST_END, NULL, 0);
		if (loop_add_fd(l, fd, EPOLLIN, con_event, c, &c->src, &err) < 0) {
			log_warn("%s", err_msg(&err));
			err_clear(&err);
			close(fd);
			free(c);
			continue;
		}
		c->next = m->cons;
		if (m->cons != NULL)
			m->cons->prev = c;
		m->cons = c;
		if (!con_flush(c))
			con_close(c);
	}
}

int mon_con_listen(struct monitor *m, struct error *err)
{
	m->con_fd = usock_listen(m->con_path, 0600, err);
	if (m->con_fd < 0)
		return -1;
	return loop_add_fd(m->loop, m->con_fd, EPOLLIN, con_accept, m, &m->con_src, err);
}

bool mon_con_flush_all(struct monitor *m)
{
	bool all = true;
	struct mon_con *c, *next;

	for (c = m->cons; c != NULL; c = next) {
		next = c->next;
		if (!con_flush(c)) {
			con_close(c);
			continue;
		}
		if (c->out_off < c->out_len || c->pos < ring_end(&m->ring) || c->pend != NULL)
			all = false;
	}
	return all;
}

/* Reads what the pty has, at most reads times, and keeps it with one ring
 * and one log write: the pty gives at most 4 KiB a read, and a flood
 * should not cost a log write for each. The clients get it before the
 * log does: the ext4 write took 16 us of a traced echo. Returns false when
 * the pty had nothing more. */
static bool pty_read(struct monitor *m, int reads)
{
	uint8_t buf[CON_CHUNK * 4];
	struct error err = ERROR_INIT;
	size_t len = 0;
	bool more = true;

	for (int i = 0; i < reads && len < sizeof(buf); i++) {
		ssize_t n = read(m->pty.master, buf + len, sizeof(buf) - len);
		if (n <= 0) {
			more = false;
			break;
		}
		len += (size_t)n;
	}
	if (len == 0)
		return false;
	ring_write(&m->ring, buf, len);
	mon_con_flush_all(m);
	if (conlog_write(&m->log, buf, len, &err) < 0) {
		log_warn("%s", err_msg(&err));
		err_clear(&err);
	}
	return more;
}

static void pty_event(struct loop *l, struct loop_source *src, int fd, uint32_t events, void *data)
{
	struct monitor *m = data;

	if (events & EPOLLOUT)
		pty_write_input(m);
	if (events & EPOLLIN)
		pty_read(m, PTY_READS_PER_TURN);
}

int mon_con_watch_pty(struct monitor *m, struct error *err)
{
	m->input = xmalloc(MON_INPUT_MAX);
	return loop_add_fd(m->loop, m->pty.master, EPOLLIN, pty_event, m, &m->pty_src, err);
}

void mon_con_drain_pty(struct monitor *m)
{
	/* Bounded: a surviving process still writing must not hold us here. */
	for (int i = 0; i < 8 && pty_read(m, PTY_READS_PER_TURN); i++)
		;
	mon_con_flush_all(m);
}

void mon_con_notice(struct monitor *m, const char *text)
{
	for (struct mon_con *c = m->cons; c != NULL; c = c->next)
		con_queue(c, ring_end(&m->ring), CONFR_EVENT, text, (uint32_t)strlen(text));
	mon_con_flush_all(m);
}

void mon_con_unlisten(struct monitor *m)
{
	if (m->con_fd >= 0) {
		loop_remove(m->loop, m->con_src);
		close(m->con_fd);
		unlink(m->con_path);
		m->con_fd = -1;
	}
}

void mon_con_close_all(struct monitor *m)
{
	while (m->cons != NULL)
		con_close(m->cons);
	mon_con_unlisten(m);
	if (m->pty_src != NULL) {
		loop_remove(m->loop, m->pty_src);
		m->pty_src = NULL;
	}
}
