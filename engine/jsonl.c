/* Message framing for the control protocol: one JSON value per line. */
#include "engine/jsonl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/xmalloc.h"

struct buf {
	char *data;
	size_t start, end, cap;
};

struct jsonl {
	int fd;
	bool is_socket; /* send() with MSG_NOSIGNAL; write() for pipes in tests */
	size_t max_in, max_out;
	struct buf in, out;
	size_t scan;     /* where the search for the next newline resumes */
	bool discarding; /* inside an oversize line, dropping up to its newline */
};

struct jsonl *jsonl_new(int fd, size_t max_in, size_t max_out)
{
	struct jsonl *j = xcalloc(1, sizeof(*j));
	int type;
	socklen_t len = sizeof(type);

	j->fd = fd;
	j->is_socket = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
	j->max_in = max_in;
	j->max_out = max_out;
	return j;
}

void jsonl_free(struct jsonl *j)
{
	if (j == NULL)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->in.data);
	free(j->out.data);
	free(j);
}

int jsonl_fd(const struct jsonl *j)
{
	return j->fd;
}

/* Makes room for len more bytes at the end, sliding consumed bytes out. */
static void buf_reserve(struct buf *b, size_t len)
{
	if (b->start == b->end)
		b->start = b->end = 0;
	if (b->end + len <= b->cap)
		return;
	if (b->start > 0) {
		memmove(b->data, b->data + b->start, b->end - b->start);
		b->end -= b->start;
		b->start = 0;
	}
	if (b->end + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->end + len)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
}

void jsonl_feed(struct jsonl *j, const void *buf, size_t len)
{
	const char *p = buf;

	if (j->discarding) {
		const char *nl = memchr(p, '\n', len);
		if (nl == NULL)
			return;
		j->discarding = false;
		len -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	if (len == 0)
		return;
	size_t old_start = j->in.start;
	buf_reserve(&j->in, len);
	/* buf_reserve may have slid the data to the front. */
	j->scan -= old_start - j->in.start;
	memcpy(j->in.data + j->in.end, p, len);
	j->in.end += len;
}

int jsonl_read(struct jsonl *j, struct error *err)
{
	char chunk[JSONL_CHUNK];

	for (;;) {
		ssize_t n = read(j->fd, chunk, sizeof(chunk));
		if (n > 0) {
			jsonl_feed(j, chunk, (size_t)n);
			return 1;
		}
		if (n == 0)
			return 2;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return err_sys(err, "read");
	}
}

bool jsonl_discarding(const struct jsonl *j)
{
	return j->discarding;
}

static enum jsonl_status parse_line(const char *line, size_t len, json_t **msg,
				    struct error *err)
{
	json_error_t jerr;

	*msg = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	if (*msg == NULL) {
		err_set(err, 0, "malformed JSON at column %d: %s", jerr.column, jerr.text);
		return JSONL_MALFORMED;
	}
	return JSONL_MSG;
}

enum jsonl_status jsonl_next(struct jsonl *j, json_t **msg, struct error *err)
{
	struct buf *b = &j->in;

	*msg = NULL;
	for (;;) {
		if (j->scan < b->start)
			j->scan = b->start;
		/* memchr must not see the NULL of a buffer never grown. */
		char *nl = j->scan < b->end ? memchr(b->data + j->scan, '\n', b->end - j->scan)
					    : NULL;
		if (nl == NULL) {
			j->scan = b->end;
			if (b->end - b->start <= j->max_in)
				return JSONL_NONE;
			err_set(err, 0, "message over the %zu-byte limit", j->max_in);
			b->start = b->end = j->scan = 0;
			j->discarding = true;
			return JSONL_TOO_LARGE;
		}
		char *line = b->data + b->start;
		size_t len = (size_t)(nl - line);
		b->start += len + 1;
		j->scan = b->start;
		if (len > j->max_in) {
			err_set(err, 0, "message of %zu bytes over the %zu-byte limit", len,
				j->max_in);
			return JSONL_TOO_LARGE;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 0)
			return parse_line(line, len, msg, err);
	}
}

int jsonl_send(struct jsonl *j, const json_t *msg, struct error *err)
{
	/* Compact output escapes every control character, so the only newline
	 * is the terminator we add. */
	char *s = json_dumps(msg, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len;

	if (s == NULL)
		return err_set(err, ENOMEM, "encode message");
	len = strlen(s);
	if (len + 1 > j->max_out) {
		free(s);
		return err_set(err, EMSGSIZE, "message of %zu bytes over the %zu-byte limit", len + 1,
			       j->max_out);
	}
	if (jsonl_pending(j) + len + 1 > j->max_out) {
		free(s);
		return err_set(err, ENOBUFS, "peer not reading: %zu bytes of output queued",
			       jsonl_pending(j));
	}
	buf_reserve(&j->out, len + 1);
	memcpy(j->out.data + j->out.end, s, len);
	j->out.data[j->out.end + len] = '\n';
	j->out.end += len + 1;
	free(s);
	return 0;
}

int jsonl_flush(struct jsonl *j, struct error *err)
{
	struct buf *b = &j->out;

	while (b->start < b->end) {
		size_t len = b->end - b->start;
		ssize_t n = j->is_socket ? send(j->fd, b->data + b->start, len, MSG_NOSIGNAL)
					 : write(j->fd, b->data + b->start, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return err_sys(err, "write");
		}
		b->start += (size_t)n;
	}
	b->start = b->end = 0;
	return 0;
}

size_t jsonl_pending(const struct jsonl *j)
{
	return j->out.end - j->out.start;
}
