/* The monitor's control socket (monitor.sock): JSON lines, as the engine's,
 * for status, shutdown, reboot, destroy and a watch stream of events. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/settings.h"
#include "engine/jsonl.h"
#include "engine/loop.h"
#include "engine/monitor.h"
#include "engine/proto.h"
#include "engine/usock.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Control messages are small; a client sending more is not the engine. */
#define CTL_MAX_IN (64u << 10)
#define CTL_MAX_OUT (1u << 20)

struct mon_ctl {
	struct monitor *m;
	struct jsonl *j;
	struct loop_source *src;
	bool watch;
	struct mon_ctl *prev, *next;
};

static void ctl_close(struct mon_ctl *c)
{
	struct monitor *m = c->m;

	loop_remove(m->loop, c->src);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		m->ctls = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	jsonl_free(c->j);
	free(c);
}

static bool ctl_flush(struct mon_ctl *c)
{
	struct error err = ERROR_INIT;
	int rc = jsonl_flush(c->j, &err);

	if (rc < 0) {
		log_debug("control client: %s", err_msg(&err));
		err_clear(&err);
		return false;
	}
	if (loop_set_events(c->m->loop, c->src, rc == 1 ? EPOLLIN | EPOLLOUT : EPOLLIN, &err) < 0) {
		err_clear(&err);
		return false;
	}
	return true;
}

static bool ctl_send(struct mon_ctl *c, json_t *msg)
{
	struct error err = ERROR_INIT;

	if (jsonl_send(c->j, msg, &err) < 0) {
		log_warn("control client dropped: %s", err_msg(&err));
		err_clear(&err);
		return false;
	}
	return ctl_flush(c);
}

/* A shutdown's "timeout_ms": 0 (no deadline) unless a positive number
 * within corrald.conf's bound is given. */
static int timeout_ms(const json_t *msg)
{
	json_int_t ms = json_integer_value(json_object_get(msg, "timeout_ms"));

	return ms > 0 && ms <= SETTINGS_SHUTDOWN_TIMEOUT_MAX * 1000LL ? (int)ms : 0;
}

static json_t *ctl_handle(struct mon_ctl *c, json_t *msg)
{
	struct monitor *m = c->m;
	struct error err = ERROR_INIT;
	const char *op, *why;
	json_t *id, *reply;

	if (proto_parse_request(msg, &id, &op, &why) < 0)
		return proto_reply_error(id, PROTO_MALFORMED, "%s", why);
	if (strcmp(op, "status") == 0) {
		json_t *st = mon_status_json(m);
		reply = proto_reply_ok(id);
		json_object_update(reply, st);
		json_decref(st);
		return reply;
	}
	if (strcmp(op, "watch") == 0) {
		c->watch = true;
		reply = proto_reply_ok(id);
		json_object_set_new(reply, "status", mon_status_json(m));
		return reply;
	}
	if (strcmp(op, "destroy") == 0) {
		mon_destroy(m);
		return proto_reply_ok(id);
	}
	if (strcmp(op, "shutdown") == 0 || strcmp(op, "reboot") == 0 ||
	    strcmp(op, "suspend") == 0 || strcmp(op, "resume") == 0) {
		int rc;
		if (strcmp(op, "suspend") == 0)
			rc = mon_pause(m, true, &err);
		else if (strcmp(op, "resume") == 0)
			rc = mon_pause(m, false, &err);
		else
			rc = mon_request(m, op, timeout_ms(msg), &err);
		if (rc < 0) {
			reply = proto_reply_error(id, proto_code_from_errno(rc), "%s", err_msg(&err));
			err_clear(&err);
			return reply;
		}
		return proto_reply_ok(id);
	}
	return proto_reply_error(id, PROTO_UNKNOWN_OP, "unknown operation '%s'", op);
}

static void ctl_event(struct loop *l, struct loop_source *src, int fd, uint32_t events, void *data)
{
	struct mon_ctl *c = data;
	struct error err = ERROR_INIT;
	json_t *msg;
	int rc;

	if (events & EPOLLOUT) {
		if (!ctl_flush(c)) {
			ctl_close(c);
			return;
		}
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	rc = jsonl_read(c->j, &err);
	if (rc < 0 || rc == 2) {
		err_clear(&err);
		ctl_close(c);
		return;
	}
	for (;;) {
		enum jsonl_status st = jsonl_next(c->j, &msg, &err);
		json_t *reply;
		if (st == JSONL_NONE)
			break;
		if (st == JSONL_MSG) {
			reply = ctl_handle(c, msg);
			json_decref(msg);
		} else {
			reply = proto_reply_error(NULL,
						  st == JSONL_TOO_LARGE ? PROTO_TOO_LARGE : PROTO_MALFORMED,
						  "%s", err_msg(&err));
			err_clear(&err);
		}
		bool ok = ctl_send(c, reply);
		json_decref(reply);
		if (!ok) {
			ctl_close(c);
			return;
		}
	}
}

static struct mon_ctl *ctl_new(struct monitor *m, int fd, struct error *err)
{
	struct mon_ctl *c = xcalloc(1, sizeof(*c));

	c->m = m;
	c->j = jsonl_new(fd, CTL_MAX_IN, CTL_MAX_OUT);
	if (loop_add_fd(m->loop, fd, EPOLLIN, ctl_event, c, &c->src, err) < 0) {
		jsonl_free(c->j);
		free(c);
		return NULL;
	}
	c->next = m->ctls;
	if (m->ctls != NULL)
		m->ctls->prev = c;
	m->ctls = c;
	return c;
}

int mon_ctl_adopt(struct monitor *m, int fd, struct error *err)
{
	int flags = fcntl(fd, F_GETFL);
	struct mon_ctl *c;

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		err_sys(err, "engine connection (fd %d)", fd);
		close(fd);
		return -1;
	}
	c = ctl_new(m, fd, err);
	if (c == NULL)
		return -1;
	c->watch = true;
	return 0;
}

static void ctl_accept(struct loop *l, struct loop_source *src, int lfd, uint32_t events,
		       void *data)
{
	struct monitor *m = data;
	struct error err = ERROR_INIT;

	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("accept on '%s': %s", m->ctl_path, strerror(errno));
			return;
		}
		if (ctl_new(m, fd, &err) == NULL) {
			log_warn("%s", err_msg(&err));
			err_clear(&err);
		}
	}
}

int mon_ctl_listen(struct monitor *m, struct error *err)
{
	m->ctl_fd = usock_listen(m->ctl_path, 0600, err);
	if (m->ctl_fd < 0)
		return -1;
	return loop_add_fd(m->loop, m->ctl_fd, EPOLLIN, ctl_accept, m, &m->ctl_src, err);
}

void mon_ctl_broadcast(struct monitor *m, json_t *event)
{
	struct mon_ctl *c = m->ctls, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		if (c->watch && !ctl_send(c, event))
			ctl_close(c);
	}
}

void mon_ctl_unlisten(struct monitor *m)
{
	if (m->ctl_fd >= 0) {
		loop_remove(m->loop, m->ctl_src);
		close(m->ctl_fd);
		unlink(m->ctl_path);
		m->ctl_fd = -1;
	}
}

void mon_ctl_close_all(struct monitor *m)
{
	while (m->ctls != NULL) {
		struct error err = ERROR_INIT;
		/* Last words (the "stopped" event) go out if the peer reads. */
		jsonl_flush(m->ctls->j, &err);
		err_clear(&err);
		ctl_close(m->ctls);
	}
	mon_ctl_unlisten(m);
}
