/* Accepting clients, reading their requests and writing replies without
 * ever blocking: a client that sends garbage gets an error reply, one that
 * stops reading is dropped once its output passes the cap. */
#include "engine/server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/paths.h"
#include "engine/jsonl.h"
#include "engine/loop.h"
#include "engine/proto.h"
#include "engine/usock.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Reads per wakeup of one client, and accepts per wakeup of a listener, so
 * that one busy peer cannot starve the rest. */
#define SRV_READS_PER_WAKE 16
#define SRV_ACCEPTS_PER_WAKE 64

struct listener {
	struct srv *srv;
	int fd;
	bool readonly;
	char *path;
	struct loop_source *src;
};

struct conn {
	struct srv *srv;
	struct jsonl *io;
	struct loop_source *src;
	bool readonly;
	bool eof; /* the client shut its side; finish the replies, then close */
	bool closed;
	unsigned refs;  /* holders of a struct srv_conn * */
	unsigned owed;  /* deferred replies not yet sent */
	struct ucred cred;
	struct conn *prev, *next;
};

/* The public name of a connection. */
struct srv_conn {
	struct conn c;
};

struct srv {
	struct loop *loop;
	srv_handler_fn fn;
	void *data;
	struct listener rw, ro;
	struct conn *conns;
	size_t n_conns;
	/* Kept open so that at the descriptor limit a pending connection can
	 * still be accepted and closed, instead of waking us forever. */
	int spare_fd;
};

static void conn_close(struct conn *c, const char *why)
{
	struct srv *s = c->srv;

	log_debug("client pid %d: %s", (int)c->cred.pid, why);
	loop_remove(s->loop, c->src);
	jsonl_free(c->io);
	c->io = NULL;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->n_conns--;
	c->closed = true;
	if (c->refs == 0)
		free(c);
}

/* Queues a reply (released here); false when the client had to be dropped. */
static bool conn_send(struct conn *c, json_t *reply)
{
	struct error err = ERROR_INIT;
	int rc = jsonl_send(c->io, reply, &err);

	json_decref(reply);
	if (rc < 0) {
		log_warn("dropping client pid %d uid %d: %s", (int)c->cred.pid, (int)c->cred.uid,
			 err_msg(&err));
		err_clear(&err);
		conn_close(c, "dropped");
		return false;
	}
	return true;
}

/* Answers every complete message buffered; false when c is gone. */
static bool conn_drain(struct conn *c)
{
	struct error err = ERROR_INIT;
	json_t *msg, *reply;

	for (;;) {
		switch (jsonl_next(c->io, &msg, &err)) {
		case JSONL_NONE:
			return true;
		case JSONL_MSG:
			c->refs++;
			reply = c->srv->fn(c->srv->data, msg, c->readonly, (struct srv_conn *)c);
			json_decref(msg);
			if (--c->refs == 0 && c->closed) {
				free(c);
				return false;
			}
			if (reply == NULL) {
				c->owed++;
				continue;
			}
			break;
		case JSONL_MALFORMED:
			reply = proto_reply_error(NULL, PROTO_MALFORMED, "%s", err_msg(&err));
			break;
		case JSONL_TOO_LARGE:
		default:
			log_warn("client pid %d: %s", (int)c->cred.pid, err_msg(&err));
			reply = proto_reply_error(NULL, PROTO_TOO_LARGE, "%s", err_msg(&err));
			break;
		}
		err_clear(&err);
		if (!conn_send(c, reply))
			return false;
	}
}

/* Writes what it can and picks the events to wait for next; false when c
 * is gone. */
static bool conn_flush(struct conn *c)
{
	struct error err = ERROR_INIT;
	int rc = jsonl_flush(c->io, &err);
	uint32_t events;

	if (rc < 0) {
		log_debug("client pid %d: %s", (int)c->cred.pid, err_msg(&err));
		err_clear(&err);
		conn_close(c, "write failed");
		return false;
	}
	if (rc == 0 && c->eof && c->owed == 0) {
		conn_close(c, "closed");
		return false;
	}
	events = (c->eof ? 0 : EPOLLIN) | (rc == 1 ? EPOLLOUT : 0);
	if (loop_set_events(c->srv->loop, c->src, events, &err) < 0) {
		log_error("client pid %d: %s", (int)c->cred.pid, err_msg(&err));
		err_clear(&err);
		conn_close(c, "epoll failed");
		return false;
	}
	return true;
}

static void conn_event(struct loop *l, struct loop_source *src, int fd, uint32_t events,
		       void *data)
{
	struct conn *c = data;
	struct error err = ERROR_INIT;

	if (events & EPOLLERR) {
		conn_close(c, "socket error");
		return;
	}
	/* epoll reports a hang-up whatever the mask: once the end of input was
	 * read, nothing can be written either, and a reply still owed has
	 * nobody to go to. */
	if ((events & EPOLLHUP) && c->eof) {
		conn_close(c, "hung up");
		return;
	}
	for (int i = 0; !c->eof && (events & (EPOLLIN | EPOLLHUP)) && i < SRV_READS_PER_WAKE;
	     i++) {
		int rc = jsonl_read(c->io, &err);
		if (rc < 0) {
			log_debug("client pid %d: %s", (int)c->cred.pid, err_msg(&err));
			err_clear(&err);
			conn_close(c, "read failed");
			return;
		}
		if (rc == 0)
			break;
		if (rc == 2)
			c->eof = true;
		else if (!conn_drain(c))
			return;
	}
	conn_flush(c);
}

struct srv_conn *srv_conn_ref(struct srv_conn *conn)
{
	conn->c.refs++;
	return conn;
}

void srv_conn_unref(struct srv_conn *conn)
{
	struct conn *c = &conn->c;

	if (--c->refs == 0 && c->closed)
		free(c);
}

bool srv_conn_alive(const struct srv_conn *conn)
{
	return !conn->c.closed;
}

void srv_reply(struct srv_conn *conn, json_t *reply)
{
	struct conn *c = &conn->c;

	if (c->owed > 0)
		c->owed--;
	if (c->closed) {
		json_decref(reply);
		return;
	}
	if (conn_send(c, reply))
		conn_flush(c);
}

bool srv_send(struct srv_conn *conn, json_t *msg)
{
	struct conn *c = &conn->c;

	if (c->closed) {
		json_decref(msg);
		return false;
	}
	return conn_send(c, msg) && conn_flush(c);
}

size_t srv_conn_pending(const struct srv_conn *conn)
{
	return conn->c.closed ? 0 : jsonl_pending(conn->c.io);
}

static void conn_new(struct listener *li, int fd)
{
	struct srv *s = li->srv;
	struct conn *c = xcalloc(1, sizeof(*c));
	struct error err = ERROR_INIT;
	socklen_t len = sizeof(c->cred);

	c->srv = s;
	c->io = jsonl_new(fd, JSONL_MAX_MSG, JSONL_MAX_OUT);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c->cred, &len) < 0) {
		c->cred.pid = 0;
		c->cred.uid = (uid_t)-1;
		c->cred.gid = (gid_t)-1;
	}
	/* The file mode guards the read-write socket; this is the second lock,
	 * in case someone loosens the mode. */
	c->readonly = li->readonly || (c->cred.uid != 0 && c->cred.uid != geteuid());
	if (loop_add_fd(s->loop, fd, EPOLLIN, conn_event, c, &c->src, &err) < 0) {
		log_error("client pid %d: %s", (int)c->cred.pid, err_msg(&err));
		err_clear(&err);
		jsonl_free(c->io);
		free(c);
		return;
	}
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->n_conns++;
	log_info("client pid %d uid %d gid %d on %s%s (%zu connected)", (int)c->cred.pid,
		 (int)c->cred.uid, (int)c->cred.gid, li->readonly ? "corral-ro.sock" : "corral.sock",
		 c->readonly && !li->readonly ? ", read-only" : "", s->n_conns);
}

/* At the descriptor limit: take the pending connection with the spare
 * descriptor and close it, so that the client sees a refusal, not a hang. */
static void shed_connection(struct listener *li)
{
	struct srv *s = li->srv;

	log_warn("out of file descriptors with %zu clients: refusing one", s->n_conns);
	close(s->spare_fd);
	int fd = accept4(li->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void listener_event(struct loop *l, struct loop_source *src, int lfd, uint32_t events,
			   void *data)
{
	struct listener *li = data;

	for (int i = 0; i < SRV_ACCEPTS_PER_WAKE; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			conn_new(li, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if ((errno == EMFILE || errno == ENFILE) && li->srv->spare_fd >= 0) {
			shed_connection(li);
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			log_error("accept on '%s': %s", li->path, strerror(errno));
		return;
	}
}

static int listen_on(struct srv *s, struct listener *li, const char *path, bool readonly,
		     mode_t mode, struct error *err)
{
	int fd = usock_listen(path, mode, err);

	if (fd < 0)
		return -1;
	li->srv = s;
	li->readonly = readonly;
	li->path = xstrdup(path);
	li->fd = fd;
	if (loop_add_fd(s->loop, fd, EPOLLIN, listener_event, li, &li->src, err) < 0) {
		unlink(path);
		close(fd);
		li->fd = -1;
		return -1;
	}
	log_info("listening on '%s'%s", path, readonly ? " (read-only)" : "");
	return 0;
}

static void listener_close(struct srv *s, struct listener *li)
{
	if (li->fd < 0)
		return;
	loop_remove(s->loop, li->src);
	close(li->fd);
	unlink(li->path);
	li->fd = -1;
}

int srv_new(struct loop *l, const struct paths *p, srv_handler_fn fn, void *data,
	    struct srv **out, struct error *err)
{
	struct srv *s = xcalloc(1, sizeof(*s));

	s->loop = l;
	s->fn = fn;
	s->data = data;
	s->rw.fd = s->ro.fd = -1;
	s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (listen_on(s, &s->rw, p->engine_sock, false, 0600, err) < 0 ||
	    listen_on(s, &s->ro, p->engine_ro_sock, true, 0666, err) < 0) {
		srv_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void srv_free(struct srv *s)
{
	if (s == NULL)
		return;
	while (s->conns != NULL)
		conn_close(s->conns, "engine stopping");
	listener_close(s, &s->rw);
	listener_close(s, &s->ro);
	free(s->rw.path);
	free(s->ro.path);
	if (s->spare_fd >= 0)
		close(s->spare_fd);
	free(s);
}

size_t srv_client_count(const struct srv *s)
{
	return s->n_conns;
}
