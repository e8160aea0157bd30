/* Client side of the control protocol, with on-demand engine start. */
#include "engine/client.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/paths.h"
#include "engine/jsonl.h"
#include "engine/proto.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

struct client {
	struct jsonl *io;
	char *sock_path;
	json_int_t next_id;
	int timeout_ms;
	char *error_code; /* of the last error reply */
	json_t *events;   /* arrived while waiting for a reply */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline (-1: none), for poll. */
static int remaining(long long deadline)
{
	long long left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	return left > 0 ? (int)(left < INT_MAX ? left : INT_MAX) : 0;
}

int client_uri_socket(const struct paths *p, const char *uri, char **path, bool *is_default,
		      struct error *err)
{
	if (uri == NULL || uri[0] == '\0' || strcmp(uri, "lxc:///") == 0 ||
	    strcmp(uri, "lxc:///system") == 0) {
		*path = xstrdup(p->engine_sock);
		*is_default = true;
		return 0;
	}
	if (strncmp(uri, "unix:", 5) == 0 && uri[5] != '\0') {
		*path = xstrdup(uri + 5);
		*is_default = false;
		return 0;
	}
	return err_set(err, 0, "unsupported URI '%s': use lxc:/// or unix:PATH", uri);
}

/* A connected, nonblocking socket, or -1 with errno set. */
static int connect_unix(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A blocking connect waits while the engine's backlog is full, as long
	 * as the send timeout allows. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		return -1;
	return move_fd(&fd);
}

/* The corrald installed beside the running program (build tree or
 * PREFIX/bin), else NULL to search PATH. */
static char *sibling_corrald(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	char *path = xasprintf("%s/corrald", dirname(self));
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

/* Starts `corrald --root ROOT` with its stderr on a pipe we read, so that
 * a failure to start can be reported in corrald's own words. */
static int spawn_engine(const struct paths *p, pid_t *pid_out, int *errfd, struct error *err)
{
	_cleanup_free_ char *exe = sibling_corrald();
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_sys(err, "pipe");
	pid = fork();
	if (pid < 0) {
		err_sys(err, "fork");
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { "corrald", "--root", p->root, NULL };
		sigset_t none;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		/* The caller's blocked signals (an event loop's signalfd set) would
		 * otherwise stay blocked in the engine. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close_range(3, ~0U, 0);
		if (exe != NULL)
			execv(exe, argv);
		else
			execvp("corrald", argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", exe != NULL ? exe : "corrald",
			strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	*pid_out = pid;
	*errfd = pipefd[0];
	return 0;
}

/* Collects corrald's stderr until it closes: when the launcher has exited
 * and the daemon is ready (or dead). The text is kept for error messages. */
static void wait_launcher(int fd, pid_t pid, long long deadline, char *text, size_t size)
{
	size_t used = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	text[0] = '\0';
	for (;;) {
		int rc = poll(&pfd, 1, remaining(deadline));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		char buf[512];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t take = (size_t)n < size - 1 - used ? (size_t)n : size - 1 - used;
		memcpy(text + used, buf, take);
		used += take;
		text[used] = '\0';
	}
	while (used > 0 && text[used - 1] == '\n')
		text[--used] = '\0';
	/* The launcher exits as soon as the daemon is ready; if it is late,
	 * leave it as a zombie rather than hang. */
	waitpid(pid, NULL, remaining(deadline) > 0 ? 0 : WNOHANG);
}

/* Waits for the socket to accept. The engine renames the socket into place
 * once it listens, so each rename in the run directory is worth a retry. */
static int wait_socket(const struct paths *p, const char *path, long long deadline)
{
	_cleanup_close_ int ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int fd;

	if (ino >= 0)
		inotify_add_watch(ino, p->run_dir, IN_MOVED_TO | IN_CREATE);
	for (;;) {
		fd = connect_unix(path, remaining(deadline));
		if (fd >= 0 || (errno != ENOENT && errno != ECONNREFUSED))
			return fd;
		struct pollfd pfd = { .fd = ino, .events = POLLIN };
		/* Without inotify, fall back to a coarse recheck. */
		int wait = ino >= 0 ? remaining(deadline) : 50;
		if (remaining(deadline) == 0)
			return -1;
		if (poll(&pfd, ino >= 0 ? 1 : 0, wait) > 0) {
			char buf[4096];
			while (read(ino, buf, sizeof(buf)) > 0)
				;
		}
	}
}

static int start_and_connect(const struct paths *p, const char *path, int *fd,
			     struct error *err)
{
	long long deadline = now_ms() + CLIENT_START_TIMEOUT_MS;
	char said[1024];
	pid_t pid = 0;
	int errfd = -1;

	if (spawn_engine(p, &pid, &errfd, err) < 0)
		return err_prefix(err, "start corrald");
	wait_launcher(errfd, pid, deadline, said, sizeof(said));
	close(errfd);
	/* Even when our corrald failed, another one may be starting (two
	 * clients raced); its socket is as good. */
	*fd = wait_socket(p, path, deadline);
	if (*fd >= 0)
		return 0;
	if (said[0] != '\0')
		return err_set(err, 0, "corrald did not start on root '%s': %s", p->root, said);
	return err_set(err, 0, "no engine answered on '%s' within %d s of starting corrald",
		       path, CLIENT_START_TIMEOUT_MS / 1000);
}

int client_connect(const struct paths *p, const char *uri, bool autostart, struct client **out,
		   struct error *err)
{
	_cleanup_free_ char *path = NULL;
	bool is_default;
	int fd;

	if (client_uri_socket(p, uri, &path, &is_default, err) < 0)
		return -1;
	fd = connect_unix(path, CLIENT_START_TIMEOUT_MS);
	if (fd < 0) {
		bool absent = errno == ENOENT || errno == ECONNREFUSED;
		if (!(absent && autostart && is_default))
			return err_sys(err, "connect to the engine at '%s'", path);
		log_debug("no engine on '%s': starting one", path);
		if (start_and_connect(p, path, &fd, err) < 0)
			return -1;
	}
	struct client *c = xcalloc(1, sizeof(*c));
	/* Replies are not capped like requests; the engine's output cap is. */
	c->io = jsonl_new(fd, JSONL_MAX_OUT, JSONL_MAX_MSG);
	c->sock_path = move_ptr(path);
	c->timeout_ms = CLIENT_TIMEOUT_MS;
	c->events = json_array();
	*out = c;
	return 0;
}

void client_free(struct client *c)
{
	if (c == NULL)
		return;
	jsonl_free(c->io);
	free(c->sock_path);
	free(c->error_code);
	json_decref(c->events);
	free(c);
}

void client_set_timeout(struct client *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms;
}

const char *client_error_code(const struct client *c)
{
	return c->error_code;
}

int client_fd(const struct client *c)
{
	return jsonl_fd(c->io);
}

static int wait_fd(struct client *c, short events, long long deadline, struct error *err)
{
	struct pollfd pfd = { .fd = jsonl_fd(c->io), .events = events };

	for (;;) {
		int rc = poll(&pfd, 1, remaining(deadline));
		if (rc > 0)
			return 0;
		if (rc == 0)
			return err_set(err, ETIMEDOUT, "engine at '%s'", c->sock_path);
		if (errno != EINTR)
			return err_sys(err, "poll");
	}
}

static int send_all(struct client *c, json_t *msg, long long deadline, struct error *err)
{
	int rc;

	if (jsonl_send(c->io, msg, err) < 0)
		return -1;
	while ((rc = jsonl_flush(c->io, err)) == 1)
		if (wait_fd(c, POLLOUT, deadline, err) < 0)
			return -1;
	return rc < 0 ? err_prefix(err, "send to the engine at '%s'", c->sock_path) : 0;
}

/* The next message from the engine, waiting until deadline. */
static int recv_one(struct client *c, long long deadline, json_t **msg, struct error *err)
{
	for (;;) {
		switch (jsonl_next(c->io, msg, err)) {
		case JSONL_MSG:
			return 0;
		case JSONL_MALFORMED:
		case JSONL_TOO_LARGE:
			return err_prefix(err, "reply from the engine at '%s'", c->sock_path);
		case JSONL_NONE:
			break;
		}
		int rc = jsonl_read(c->io, err);
		if (rc < 0)
			return err_prefix(err, "engine at '%s'", c->sock_path);
		if (rc == 2)
			return err_set(err, ECONNRESET, "engine at '%s' closed the connection",
				       c->sock_path);
		if (rc == 0 && wait_fd(c, POLLIN, deadline, err) < 0)
			return -1;
	}
}

int client_call(struct client *c, json_t *req, json_t **reply, struct error *err)
{
	long long deadline = c->timeout_ms < 0 ? -1 : now_ms() + c->timeout_ms;
	json_int_t id = ++c->next_id;
	const char *op = json_string_value(json_object_get(req, "op"));
	const char *code, *message;
	json_t *msg;

	free(c->error_code);
	c->error_code = NULL;
	*reply = NULL;
	json_object_set_new(req, "id", json_integer(id));
	if (send_all(c, req, deadline, err) < 0)
		return -1;
	for (;;) {
		if (recv_one(c, deadline, &msg, err) < 0)
			return err_prefix(err, "%s", op != NULL ? op : "request");
		json_t *mid = json_object_get(msg, "id");
		if (json_is_integer(mid) && json_integer_value(mid) == id)
			break;
		if (json_object_get(msg, "event") != NULL)
			json_array_append(c->events, msg);
		else
			log_debug("ignoring a message for another request");
		json_decref(msg);
	}
	switch (proto_reply_error_of(msg, &code, &message)) {
	case 0:
		*reply = msg;
		return 0;
	case 1:
		c->error_code = xstrdup(code);
		err_set(err, 0, "%s", message);
		break;
	default:
		err_set(err, EPROTO, "%s: reply neither ok nor error", op != NULL ? op : "request");
		break;
	}
	json_decref(msg);
	return -1;
}

int client_next_event(struct client *c, int timeout_ms, json_t **event, struct error *err)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	json_t *msg;

	*event = NULL;
	for (;;) {
		if (json_array_size(c->events) > 0) {
			*event = json_incref(json_array_get(c->events, 0));
			json_array_remove(c->events, 0);
			return 1;
		}
		if (recv_one(c, deadline, &msg, err) < 0)
			return err->errnum == ETIMEDOUT ? (err_clear(err), 0) : -1;
		if (json_object_get(msg, "event") != NULL)
			*event = msg;
		else
			json_decref(msg);
		if (*event != NULL)
			return 1;
	}
}
