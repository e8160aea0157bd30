/* Console sessions: the console stream client behind a pane. */
#include "console/session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console/pane.h"
#include "engine/client.h"
#include "engine/confr.h"
#include "engine/usock.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* The console op is a quick local request; the loop must not hang on it. */
#define SESS_CALL_TIMEOUT_MS 2000
#define SESS_READ_CHUNK (64u << 10)
/* Keys the monitor has not taken yet; a paste beyond this is cut. */
#define SESS_OUT_MAX (1u << 20)

struct session {
	int refs;
	int id;
	char *name;
	const struct paths *paths;
	char *uri;
	struct pane *pane;
	int fd;
	struct confr_dec dec;
	uint8_t *out;
	size_t out_len, out_cap;
	enum session_state state;
	bool attached_before;
	bool hold;
	uint8_t held[SESS_HOLD];
	size_t held_len;
	uint64_t skipped;
	char why[160];
	unsigned changes;
};

static void set_state(struct session *s, enum session_state st, const char *why)
{
	s->state = st;
	snprintf(s->why, sizeof(s->why), "%s", why);
	s->changes |= SESS_CH_STATE;
	log_debug("session %d '%s': %s%s%s", s->id, s->name,
		  st == SESS_LIVE ? "live" : st == SESS_STOPPED ? "stopped" : "detached",
		  why[0] != '\0' ? ": " : "", why);
}

static void close_stream(struct session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->out_len = 0;
	confr_dec_free(&s->dec);
	confr_dec_init(&s->dec);
}

/* Writes what the socket takes now; the rest waits for POLLOUT. */
static void flush_out(struct session *s)
{
	size_t off = 0;

	while (s->fd >= 0 && off < s->out_len) {
		ssize_t w = send(s->fd, s->out + off, s->out_len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				log_warn("console of '%s': %s", s->name, strerror(errno));
				close_stream(s);
				set_state(s, SESS_STOPPED, "console closed");
				return;
			}
			break;
		}
		off += (size_t)w;
	}
	memmove(s->out, s->out + off, s->out_len - off);
	s->out_len -= off;
}

static void queue_frame(struct session *s, enum confr_type type, const void *payload,
			uint32_t len)
{
	if (s->fd < 0)
		return;
	if (s->out_len + CONFR_HDR + len > SESS_OUT_MAX) {
		log_warn("console of '%s': %u bytes of input dropped, the monitor is not taking it",
			 s->name, len);
		return;
	}
	if (s->out_len + CONFR_HDR + len > s->out_cap) {
		s->out_cap = (s->out_len + CONFR_HDR + len) * 2;
		s->out = xrealloc(s->out, s->out_cap);
	}
	confr_header(s->out + s->out_len, type, len);
	memcpy(s->out + s->out_len + CONFR_HDR, payload, len);
	s->out_len += CONFR_HDR + len;
}

/* The pane's output: keys and the emulator's answers. Sent at once, so
 * that a keystroke is not held until the next loop turn. */
static void pane_output(const char *bytes, size_t len, void *arg)
{
	struct session *s = arg;

	while (len > 0) {
		uint32_t n = len > CONFR_MAX_PAYLOAD ? CONFR_MAX_PAYLOAD : (uint32_t)len;
		queue_frame(s, CONFR_DATA, bytes, n);
		bytes += n;
		len -= n;
	}
	flush_out(s);
}

static void send_winsize(struct session *s)
{
	uint8_t p[4];
	int rows, cols;

	pane_size(s->pane, &rows, &cols);
	confr_put_u16(p, (uint16_t)rows);
	confr_put_u16(p + 2, (uint16_t)cols);
	queue_frame(s, CONFR_WINSZ, p, sizeof(p));
	flush_out(s);
}

struct session *session_new(const struct session_opts *o, struct error *err)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct pane_opts po = {
		.id = o->id,
		.rows = o->rows,
		.cols = o->cols,
		.sb_lines = o->sb_lines,
		.input_high = o->input_high,
		.output = pane_output,
		.output_arg = s,
	};

	s->pane = pane_new(&po, err);
	if (s->pane == NULL) {
		free(s);
		return NULL;
	}
	s->refs = 1;
	s->id = o->id;
	s->name = xstrdup(o->name);
	s->paths = o->paths;
	s->uri = o->uri != NULL ? xstrdup(o->uri) : NULL;
	s->fd = -1;
	confr_dec_init(&s->dec);
	log_debug("session %d '%s': new, ref by creator", s->id, s->name);
	return s;
}

struct session *session_ref(struct session *s, const char *who)
{
	s->refs++;
	log_debug("session %d '%s': ref by %s (%d refs)", s->id, s->name, who, s->refs);
	return s;
}

void session_unref(struct session *s, const char *who)
{
	if (s == NULL)
		return;
	log_debug("session %d '%s': unref by %s (%d refs)", s->id, s->name, who, s->refs - 1);
	if (--s->refs > 0)
		return;
	close_stream(s);
	confr_dec_free(&s->dec);
	pane_unref(s->pane, "its session");
	free(s->out);
	free(s->name);
	free(s->uri);
	free(s);
}

int session_attach_path(struct session *s, const char *sock_path, struct error *err)
{
	int fd = usock_connect(sock_path, err);

	if (fd < 0)
		return err_prefix(err, "console of '%s'", s->name);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		close(fd);
		return err_sys(err, "console of '%s'", s->name);
	}
	close_stream(s);
	s->fd = fd;
	/* A new monitor replays a new history: it goes onto a clean screen. */
	if (s->attached_before)
		pane_reset(s->pane);
	s->attached_before = true;
	pane_replay_begin(s->pane);
	send_winsize(s);
	set_state(s, SESS_LIVE, "");
	return 0;
}

int session_attach(struct session *s, struct error *err)
{
	struct client *c = NULL;
	json_t *req, *reply = NULL;
	int rc;

	if (client_connect(s->paths, s->uri, false, &c, err) < 0)
		goto fail;
	client_set_timeout(c, SESS_CALL_TIMEOUT_MS);
	req = json_pack("{s:s,s:s}", "op", "console", "name", s->name);
	rc = client_call(c, req, &reply, err);
	json_decref(req);
	client_free(c);
	if (rc < 0)
		goto fail;
	const char *path = json_string_value(json_object_get(reply, "console"));
	if (path == NULL) {
		json_decref(reply);
		err_set(err, EPROTO, "the engine gave no console socket for '%s'", s->name);
		goto fail;
	}
	rc = session_attach_path(s, path, err);
	json_decref(reply);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	/* A stopped container's pane keeps saying why it stopped. */
	if (s->state == SESS_STOPPED)
		log_debug("session %d '%s': not yet: %s", s->id, s->name, err_msg(err));
	else
		set_state(s, SESS_DETACHED, err_msg(err));
	return -1;
}

void session_detach(struct session *s)
{
	if (s->fd < 0)
		return;
	close_stream(s);
	set_state(s, SESS_DETACHED, "detached");
}

int session_fd(const struct session *s)
{
	return s->fd;
}

short session_events(const struct session *s)
{
	short ev = 0;

	if (s->fd < 0)
		return 0;
	if (s->hold ? s->held_len == 0 && s->skipped == 0 : pane_wants_input(s->pane))
		ev |= POLLIN;
	if (s->out_len > 0)
		ev |= POLLOUT;
	return ev;
}

static void hold_data(struct session *s, const uint8_t *data, size_t len)
{
	if (len >= SESS_HOLD) {
		s->skipped += s->held_len + (len - SESS_HOLD);
		memcpy(s->held, data + len - SESS_HOLD, SESS_HOLD);
		s->held_len = SESS_HOLD;
		return;
	}
	if (s->held_len + len > SESS_HOLD) {
		size_t drop = s->held_len + len - SESS_HOLD;
		memmove(s->held, s->held + drop, s->held_len - drop);
		s->held_len -= drop;
		s->skipped += drop;
	}
	memcpy(s->held + s->held_len, data, len);
	s->held_len += len;
}

/* Where the pane's last rows lines start in what was held: after a gap the
 * pane starts from a blank screen, and every line parsed beyond a
 * screenful would scroll it, which costs libvterm a move of the whole
 * screen buffer (on a 200x50 pane most of a flood's CPU) to show nothing
 * more. */
static size_t visible_start(const struct session *s)
{
	size_t at = s->held_len;
	int rows, cols;

	pane_size(s->pane, &rows, &cols);
	for (int n = 0; n < rows; n++) {
		const uint8_t *nl = memrchr(s->held, '\n', at);
		if (nl == NULL)
			return 0;
		at = (size_t)(nl - s->held);
	}
	return at + 1;
}

size_t session_release(struct session *s)
{
	size_t n = s->held_len + (size_t)s->skipped;

	if (s->skipped > 0) {
		size_t cut = visible_start(s);
		memmove(s->held, s->held + cut, s->held_len - cut);
		s->held_len -= cut;
		s->skipped += cut;
		pane_missed(s->pane, s->skipped);
	}
	if (s->held_len > 0)
		pane_feed(s->pane, s->held, s->held_len);
	s->skipped = 0;
	s->held_len = 0;
	return n;
}

void session_set_hold(struct session *s, bool on)
{
	if (on == s->hold)
		return;
	if (!on)
		session_release(s);
	s->hold = on;
	log_debug("session %d '%s': flood mode %s", s->id, s->name, on ? "on" : "off");
}

static void on_event(struct session *s, const uint8_t *text, uint32_t len)
{
	char why[sizeof(s->why)];

	snprintf(why, sizeof(why), "%.*s", (int)(len < 150 ? len : 150), (const char *)text);
	if (strncmp(why, "stopped", 7) == 0) {
		/* The monitor closes the stream next; nothing more will come. */
		close_stream(s);
		set_state(s, SESS_STOPPED, why);
	} else {
		/* "restarted": a new init on the same console, the same stream. */
		snprintf(s->why, sizeof(s->why), "%s", why);
		s->changes |= SESS_CH_STATE;
		log_debug("session %d '%s': %s", s->id, s->name, why);
		if (strcmp(why, "restarted") == 0)
			send_winsize(s);
	}
}

static void decode(struct session *s)
{
	struct error err = ERROR_INIT;
	struct confr_frame f;
	int rc;

	while (s->fd >= 0 && (rc = confr_dec_next(&s->dec, &f)) == 1) {
		if (s->hold && f.type == CONFR_DATA) {
			hold_data(s, f.payload, f.len);
			continue;
		}
		if (s->hold && f.type == CONFR_MISSED && f.len == 8) {
			s->skipped += s->held_len + confr_get_u64(f.payload);
			s->held_len = 0;
			continue;
		}
		/* Anything else comes after what was held, in stream order. */
		session_release(s);
		if (f.type == CONFR_EVENT) {
			on_event(s, f.payload, f.len);
			continue;
		}
		if (pane_frame(s->pane, &f, &err) < 0) {
			log_warn("console of '%s': %s", s->name, err_msg(&err));
			err_clear(&err);
		}
	}
	if (s->fd >= 0 && rc < 0) {
		log_warn("console of '%s': corrupt stream; closed", s->name);
		close_stream(s);
		set_state(s, SESS_STOPPED, "corrupt console stream");
	}
}

void session_io(struct session *s, short revents, size_t budget)
{
	uint8_t buf[SESS_READ_CHUNK];
	size_t got = 0;

	if (s->fd >= 0 && (revents & POLLOUT))
		flush_out(s);
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	while (s->fd >= 0 && got < budget && (s->hold || pane_wants_input(s->pane))) {
		ssize_t n = read(s->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* Without a notice: the monitor was killed, or the engine
			 * destroyed the container. */
			close_stream(s);
			set_state(s, SESS_STOPPED, n == 0 ? "console closed" : strerror(errno));
			break;
		}
		got += (size_t)n;
		confr_dec_feed(&s->dec, buf, (size_t)n);
		decode(s);
		/* A short read emptied the socket: another would only say
		 * EAGAIN, a system call on every echo. */
		if ((size_t)n < sizeof(buf))
			break;
	}
}

void session_resize(struct session *s, int rows, int cols)
{
	int r, c;

	pane_size(s->pane, &r, &c);
	if (r == rows && c == cols)
		return;
	pane_resize(s->pane, rows, cols);
	send_winsize(s);
}

struct pane *session_pane(const struct session *s)
{
	return s->pane;
}

const char *session_name(const struct session *s)
{
	return s->name;
}

enum session_state session_state(const struct session *s)
{
	return s->state;
}

const char *session_why(const struct session *s)
{
	return s->why;
}

unsigned session_take_changes(struct session *s)
{
	unsigned c = s->changes;

	s->changes = 0;
	return c;
}
