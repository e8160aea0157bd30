/* Requests to the engine that do not block the event loop. */
#include "tui/request.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "engine/jsonl.h"
#include "engine/proto.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

struct req {
	struct jsonl *io;
	char *op;
};

int req_start(const char *sock_path, json_t *msg, struct req **out, struct error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;
	const char *op = json_string_value(json_object_get(msg, "op"));

	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return err_set(err, ENAMETOOLONG, "engine socket '%s'", sock_path);
	strcpy(sa.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err_sys(err, "socket");
	/* A unix connect completes at once or fails (EAGAIN: backlog full). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return err_sys(err, "connect to the engine at '%s'", sock_path);
	struct req *r = xcalloc(1, sizeof(*r));
	r->io = jsonl_new(move_fd(&fd), JSONL_MAX_OUT, JSONL_MAX_MSG);
	r->op = xstrdup(op != NULL ? op : "request");
	json_object_set_new(msg, "id", json_integer(1));
	if (jsonl_send(r->io, msg, err) < 0 || jsonl_flush(r->io, err) < 0) {
		req_free(r);
		return err_prefix(err, "send to the engine");
	}
	*out = r;
	return 0;
}

void req_free(struct req *r)
{
	if (r == NULL)
		return;
	jsonl_free(r->io);
	free(r->op);
	free(r);
}

int req_fd(const struct req *r)
{
	return jsonl_fd(r->io);
}

short req_events(const struct req *r)
{
	return POLLIN | (jsonl_pending(r->io) > 0 ? POLLOUT : 0);
}

static int take_reply(struct req *r, json_t *msg, json_t **reply, struct error *err)
{
	const char *code, *message;

	switch (proto_reply_error_of(msg, &code, &message)) {
	case 0:
		*reply = msg;
		return 1;
	case 1:
		err_set(err, 0, "%s", message);
		break;
	default:
		err_set(err, EPROTO, "%s: the engine's reply is neither ok nor error", r->op);
		break;
	}
	json_decref(msg);
	return -1;
}

int req_step(struct req *r, json_t **reply, struct error *err)
{
	json_t *msg;
	int rc;

	*reply = NULL;
	if (jsonl_pending(r->io) > 0 && jsonl_flush(r->io, err) < 0)
		return err_prefix(err, "%s", r->op);
	for (;;) {
		switch (jsonl_next(r->io, &msg, err)) {
		case JSONL_MSG:
			/* Only the reply matters; events are not asked for here. */
			if (json_object_get(msg, "id") == NULL) {
				json_decref(msg);
				continue;
			}
			return take_reply(r, msg, reply, err);
		case JSONL_MALFORMED:
		case JSONL_TOO_LARGE:
			return err_prefix(err, "%s: reply from the engine", r->op);
		case JSONL_NONE:
			break;
		}
		rc = jsonl_read(r->io, err);
		if (rc < 0)
			return err_prefix(err, "%s", r->op);
		if (rc == 2)
			return err_set(err, ECONNRESET, "%s: the engine closed the connection",
				       r->op);
		if (rc == 0)
			return 0;
	}
}

int req_wait(struct req *r, int timeout_ms, json_t **reply, struct error *err)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int rc = req_step(r, reply, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= timeout_ms)
			return err_set(err, ETIMEDOUT, "%s: no reply from the engine", r->op);
		struct pollfd pfd = { .fd = req_fd(r), .events = req_events(r) };
		if (poll(&pfd, 1, (int)(timeout_ms - spent)) < 0 && errno != EINTR)
			return err_sys(err, "poll");
	}
}
