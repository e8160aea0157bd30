/* The client library against a real server loop in a child process. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/paths.h"
#include "engine/client.h"
#include "engine/loop.h"
#include "engine/proto.h"
#include "engine/server.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

static char root[] = "/tmp/corral-client-XXXXXX";
static struct paths paths;
static pid_t server = -1;

static json_t *fake_ops(void *data, json_t *msg, bool readonly, struct srv_conn *conn)
{
	json_t *id = json_object_get(msg, "id");
	const char *op = json_string_value(json_object_get(msg, "op"));

	if (op != NULL && strcmp(op, "ping") == 0)
		return proto_reply_ok(id);
	return proto_reply_error(id, PROTO_NOT_FOUND, "domain '%s' not found", "ghost");
}

static void on_term(struct loop *l, int signo, void *data)
{
	loop_quit(l);
}

/* Runs a server loop in a child; returns once its sockets are up. */
static void start_server(void)
{
	static const int sigs[] = { SIGTERM };
	struct error err = ERROR_INIT;
	int ready[2];
	char c;

	cr_assert_eq(pipe(ready), 0);
	server = fork();
	cr_assert_geq(server, 0);
	if (server == 0) {
		struct loop *l;
		struct srv *s;
		close(ready[0]);
		if (loop_new(&l, &err) < 0 || loop_add_signals(l, sigs, 1, on_term, NULL, NULL, &err) < 0 ||
		    srv_new(l, &paths, fake_ops, NULL, &s, &err) < 0)
			_exit(1);
		cr_assert_eq(write(ready[1], "1", 1), 1);
		loop_run(l, &err);
		srv_free(s);
		loop_free(l);
		_exit(0);
	}
	close(ready[1]);
	cr_assert_eq(read(ready[0], &c, 1), 1, "server did not start");
	close(ready[0]);
}

static void setup(void)
{
	struct error err = ERROR_INIT;

	log_set_level(LOG_LVL_WARN);
	cr_assert_not_null(mkdtemp(root));
	cr_assert_eq(paths_init(&paths, root, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(paths_make_dirs(&paths, &err), 0, "%s", err_msg(&err));
}

static void stop_engine_of_root(void)
{
	_cleanup_free_ char *lock = xasprintf("%s/corrald.lock", paths.run_dir);
	int fd = open(lock, O_RDONLY | O_CLOEXEC);
	char buf[32] = "";

	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 && read(fd, buf, sizeof(buf) - 1) > 0) {
		kill((pid_t)atoi(buf), SIGTERM);
		/* The daemon is not our child: its lock going tells it has exited. */
		flock(fd, LOCK_EX);
	}
	close(fd);
}

static void teardown(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
	stop_engine_of_root();
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
	paths_free(&paths);
}

TestSuite(client, .init = setup, .fini = teardown);

Test(client, call_gets_the_reply)
{
	struct error err = ERROR_INIT;
	struct client *c;
	json_t *reply;

	start_server();
	cr_assert_eq(client_connect(&paths, "lxc:///", false, &c, &err), 0, "%s", err_msg(&err));
	for (int i = 0; i < 3; i++) {
		json_t *req = proto_request(0, "ping");
		cr_assert_eq(client_call(c, req, &reply, &err), 0, "%s", err_msg(&err));
		cr_assert_eq(json_integer_value(json_object_get(reply, "id")),
			     json_integer_value(json_object_get(req, "id")));
		cr_assert_null(client_error_code(c));
		json_decref(reply);
		json_decref(req);
	}
	client_free(c);
}

Test(client, error_reply_becomes_an_error_with_its_code)
{
	struct error err = ERROR_INIT;
	struct client *c;
	json_t *reply, *req = proto_request(0, "dominfo");
	_cleanup_free_ char *uri = xasprintf("unix:%s", paths.engine_sock);

	start_server();
	cr_assert_eq(client_connect(&paths, uri, false, &c, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(client_call(c, req, &reply, &err), -1);
	cr_assert_null(reply);
	cr_assert_str_eq(err_msg(&err), "domain 'ghost' not found");
	cr_assert_str_eq(client_error_code(c), "not-found");
	json_decref(req);
	err_clear(&err);
	client_free(c);
}

Test(client, uris)
{
	struct error err = ERROR_INIT;
	char *path;
	bool def;

	cr_assert_eq(client_uri_socket(&paths, NULL, &path, &def, &err), 0);
	cr_assert(def);
	cr_assert_str_eq(path, paths.engine_sock);
	free(path);
	cr_assert_eq(client_uri_socket(&paths, "unix:/x/y.sock", &path, &def, &err), 0);
	cr_assert(!def);
	cr_assert_str_eq(path, "/x/y.sock");
	free(path);
	cr_assert_eq(client_uri_socket(&paths, "qemu:///system", &path, &def, &err), -1);
	cr_assert_not_null(strstr(err_msg(&err), "qemu:///system"));
	err_clear(&err);
}

Test(client, no_engine_without_autostart_names_the_socket)
{
	struct error err = ERROR_INIT;
	struct client *c;

	cr_assert_eq(client_connect(&paths, NULL, false, &c, &err), -1);
	cr_assert_eq(err.errnum, ENOENT);
	cr_assert_not_null(strstr(err_msg(&err), paths.engine_sock));
	err_clear(&err);
}

Test(client, a_silent_engine_times_out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct error err = ERROR_INIT;
	struct client *c;
	json_t *reply, *req = proto_request(0, "ping");
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* Listens but never accepts: the connection sits in the backlog. */
	strcpy(sa.sun_path, paths.engine_sock);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	cr_assert_eq(client_connect(&paths, NULL, false, &c, &err), 0, "%s", err_msg(&err));
	client_set_timeout(c, 100);
	cr_assert_eq(client_call(c, req, &reply, &err), -1);
	cr_assert_eq(err.errnum, ETIMEDOUT);
	cr_assert_null(client_error_code(c));
	json_decref(req);
	err_clear(&err);
	client_free(c);
	close(fd);
}

/* The corrald built beside this test (CORRAL_BIN, else two levels up). */
static void put_corrald_in_path(void)
{
	char self[PATH_MAX];
	const char *bin = getenv("CORRAL_BIN");
	ssize_t n;

	if (bin == NULL) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		cr_assert_gt(n, 0);
		self[n] = '\0';
		bin = dirname(dirname(dirname(self)));
	}
	_cleanup_free_ char *exe = xasprintf("%s/corrald", bin);
	if (access(exe, X_OK) != 0)
		cr_skip_test("no corrald at '%s'", exe);
	_cleanup_free_ char *path = xasprintf("%s:%s", bin, getenv("PATH"));
	setenv("PATH", path, 1);
}

Test(client, autostart_runs_an_engine_on_the_root)
{
	struct error err = ERROR_INIT;
	struct client *c;
	json_t *reply, *req = proto_request(0, "ping");

	put_corrald_in_path();
	cr_assert_eq(client_connect(&paths, NULL, true, &c, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(client_call(c, req, &reply, &err), 0, "%s", err_msg(&err));
	json_decref(reply);
	json_decref(req);
	client_free(c);
}
