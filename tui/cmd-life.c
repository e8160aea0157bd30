/* Lifecycle verbs: start, create, shutdown, reboot, destroy. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "engine/client.h"
#include "engine/proto.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"
#include "tui/cli.h"

/* How often start --console --wait looks for the container to be up. */
#define LAUNCH_POLL_MS 20
/* How long destroy waits for the stop that follows the kill. */
#define DESTROY_WAIT_MS 30000

/* A start or a create, as the options shape it. */
struct launch {
	const char *op;   /* "start" or "create" */
	const char *name; /* the domain; for create, NULL until the engine names it */
	const char *file; /* create's file */
	char *xml;        /* create's definition */
	bool console, wait;
};

static json_t *launch_args(const struct launch *l, bool wait)
{
	json_t *args = json_pack("{s:b}", "wait", wait);

	if (l->xml != NULL)
		json_object_update_new(args, json_pack("{s:s,s:s}", "xml", l->xml, "file", l->file));
	return args;
}

static int launch_call(struct client *c, const struct launch *l, bool wait, json_t **reply,
		       struct error *err)
{
	return cli_call_domain(c, l->op, l->xml != NULL ? NULL : l->name, launch_args(l, wait),
			       reply, err);
}

static void print_started(struct cli_ctx *ctx, const struct launch *l, const char *name)
{
	if (l->xml != NULL)
		fprintf(ctx->out, "Domain '%s' created from %s\n", name, l->file);
	else
		fprintf(ctx->out, "Domain '%s' started\n", name);
	fflush(ctx->out);
}

/* The init's exit status from a stop reply, as the shell would give it. */
static int exit_status_of(struct cli_ctx *ctx, const char *name, const json_t *reply)
{
	json_t *code = json_object_get(reply, "exit_code");
	const char *reason = json_string_value(json_object_get(reply, "reason"));

	if (!json_is_integer(code))
		return cli_error(ctx, "'%s' stopped (%s) with no exit status known", name,
				 reason != NULL ? reason : "unknown");
	return (int)(json_integer_value(code) & 0xff);
}

/* The child of launch_console_wait: the start with "wait", whose reply comes
 * at the stop; it hands the reply (or the error) over the pipe as JSON. */
static int waiting_child(struct cli_ctx *ctx, const struct launch *l, int fd)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	json_t *reply = NULL, *out;

	/* Nobody would read the answer once the parent is gone. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (cli_connect(ctx, &c, &err) < 0 ||
	    (client_set_timeout(c, -1), launch_call(c, l, true, &reply, &err)) < 0)
		out = json_pack("{s:s}", "error", err_msg(&err));
	else
		out = json_incref(reply);
	json_dumpfd(out, fd, JSON_COMPACT);
	return 0;
}

/* Until the container runs (1), or the child has answered first (0): a
 * container that ends at once may be gone before it could be seen. */
static int await_running(struct client *c, const struct launch *l, int childfd,
			 struct error *err)
{
	for (;;) {
		struct pollfd pfd = { .fd = childfd, .events = POLLIN };
		json_t *reply = NULL;
		int rc = poll(&pfd, 1, LAUNCH_POLL_MS);

		if (rc < 0 && errno != EINTR)
			return err_sys(err, "poll");
		if (rc > 0)
			return 0;
		if (cli_call_domain(c, "dominfo", l->name, NULL, &reply, err) < 0) {
			/* A created domain is not there until the engine has it. */
			if (client_error_code(c) == NULL || strcmp(client_error_code(c), "not-found") != 0)
				return -1;
			err_clear(err);
			continue;
		}
		json_t *d = json_object_get(reply, "domain");
		const char *state = json_string_value(json_object_get(d, "state"));
		const char *reason = json_string_value(json_object_get(d, "reason"));
		/* "running (starting)" comes before the monitor serves its console. */
		bool running = state != NULL && strcmp(state, "running") == 0 &&
			       (reason == NULL || strcmp(reason, "starting") != 0);
		json_decref(reply);
		if (running)
			return 1;
	}
}

static json_t *read_child(int fd, pid_t pid)
{
	json_error_t jerr;
	json_t *r = json_loadfd(fd, 0, &jerr);

	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r;
}

/* start --console --wait: the engine answers a start with "wait" only at
 * the stop, and keeps no exit status for a later "wait"; so a child holds
 * that request while the parent shows the console. */
static int launch_console_wait(struct cli_ctx *ctx, struct client *c, const struct launch *l)
{
	struct error err = ERROR_INIT;
	enum attach_end end = ATTACH_CLOSED;
	int pfd[2], rc;
	json_t *result;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return cli_error(ctx, "pipe: %s", strerror(errno));
	fflush(ctx->out);
	fflush(ctx->err);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return cli_error(ctx, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(pfd[0]);
		_exit(waiting_child(ctx, l, pfd[1]));
	}
	close(pfd[1]);
	rc = await_running(c, l, pfd[0], &err);
	if (rc < 0) {
		kill(pid, SIGKILL);
		json_decref(read_child(pfd[0], pid));
		close(pfd[0]);
		return cli_fail(ctx, &err);
	}
	if (rc > 0) {
		print_started(ctx, l, l->name);
		cli_attach(ctx, c, l->name, 1000, &end);
	}
	if (end == ATTACH_DETACHED || end == ATTACH_SIGNAL) {
		/* Leaving the console leaves the wait too; the container runs on. */
		kill(pid, SIGKILL);
		json_decref(read_child(pfd[0], pid));
		close(pfd[0]);
		return end == ATTACH_SIGNAL;
	}
	result = read_child(pfd[0], pid);
	close(pfd[0]);
	if (!json_is_object(result))
		return cli_error(ctx, "%s of '%s': lost the engine's answer", l->op, l->name);
	if (json_is_string(json_object_get(result, "error"))) {
		cli_error(ctx, "%s", json_string_value(json_object_get(result, "error")));
		json_decref(result);
		return 1;
	}
	rc = exit_status_of(ctx, l->name, result);
	json_decref(result);
	return rc;
}

static int launch(struct cli_ctx *ctx, const struct launch *l)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	json_t *reply = NULL;
	int rc;

	if (cli_connect(ctx, &c, &err) < 0)
		return cli_fail(ctx, &err);
	if (l->console && l->wait) {
		rc = launch_console_wait(ctx, c, l);
		client_free(c);
		return rc;
	}
	if (l->wait)
		client_set_timeout(c, -1);
	if (launch_call(c, l, l->wait, &reply, &err) < 0) {
		client_free(c);
		return cli_fail(ctx, &err);
	}
	const char *name = l->name != NULL ? l->name : cli_str(reply, "name", "?");
	if (l->wait) {
		rc = exit_status_of(ctx, name, reply);
	} else {
		print_started(ctx, l, name);
		rc = l->console ? cli_attach(ctx, c, name, 1000, NULL) : 0;
	}
	json_decref(reply);
	client_free(c);
	return rc;
}

int cmd_start(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	struct launch l = {
		.op = "start",
		.name = a.pos[0],
		.console = cli_flag(&a, "console"),
		.wait = cli_flag(&a, "wait"),
	};
	return launch(ctx, &l);
}

int cmd_create(struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_free_ char *xml = NULL, *name = NULL;
	json_t *reply = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_read_xml(ctx, a.pos[0], DOM_XML_MAX, &xml) != 0)
		return 1;
	struct launch l = {
		.op = "create",
		.file = a.pos[0],
		.xml = xml,
		.console = cli_flag(&a, "console"),
		.wait = cli_flag(&a, "wait"),
	};
	/* With --console --wait the console is found by name while the create
	 * is still unanswered; the engine reads the name (the parser stays
	 * out of this program). */
	if (l.console && l.wait) {
		if (cli_domain_op(ctx, "check", NULL,
				  json_pack("{s:s,s:s}", "xml", xml, "file", a.pos[0]), &reply) != 0)
			return 1;
		name = xstrdup(cli_str(reply, "name", "?"));
		json_decref(reply);
		l.name = name;
	}
	return launch(ctx, &l);
}

/* Waits up to timeout_ms (-1: forever) for the domain to stop: 1 when it
 * did (*reason, when wanted, is why: "shutdown", "destroyed"…, or NULL
 * when a transient domain was already gone), 0 when the time ran out, -1
 * on error. */
static int wait_stop(struct cli_ctx *ctx, const char *name, int timeout_ms, char **reason,
		     struct error *err)
{
	struct client *c = NULL;
	json_t *reply = NULL;
	int rc;

	/* Its own connection: a wait that times out leaves its request pending. */
	if (cli_connect(ctx, &c, err) < 0)
		return -1;
	client_set_timeout(c, timeout_ms);
	rc = cli_call_domain(c, "wait", name, NULL, &reply, err);
	bool timed_out = rc < 0 && client_error_code(c) == NULL && err->errnum == ETIMEDOUT;
	/* A transient domain is gone from the engine once it has stopped,
	 * which can be before the wait is asked. */
	bool gone = rc < 0 && client_error_code(c) != NULL &&
		    strcmp(client_error_code(c), "not-found") == 0;
	client_free(c);
	if (reason != NULL) {
		const char *why = json_string_value(json_object_get(reply, "reason"));
		*reason = rc == 0 && why != NULL ? xstrdup(why) : NULL;
	}
	json_decref(reply);
	if (timed_out) {
		err_clear(err);
		return 0;
	}
	if (gone) {
		err_clear(err);
		return 1;
	}
	return rc < 0 ? -1 : 1;
}

static int destroy(struct cli_ctx *ctx, const char *name, struct error *err)
{
	struct client *c = NULL;
	json_t *reply = NULL;
	int rc;

	if (cli_connect(ctx, &c, err) < 0)
		return -1;
	rc = cli_call_domain(c, "destroy", name, NULL, &reply, err);
	client_free(c);
	json_decref(reply);
	if (rc < 0)
		return -1;
	rc = wait_stop(ctx, name, DESTROY_WAIT_MS, NULL, err);
	if (rc == 0)
		return err_set(err, 0, "'%s' was killed but has not stopped after %d s", name,
			       DESTROY_WAIT_MS / 1000);
	return rc < 0 ? -1 : 0;
}

/* corrald.conf's shutdown_timeout, as the engine answering here has it. */
static int engine_shutdown_timeout(struct cli_ctx *ctx, int *ms)
{
	json_t *reply = NULL;
	json_t *t;

	if (cli_domain_op(ctx, "settings", NULL, NULL, &reply) != 0)
		return 1;
	t = json_object_get(reply, "shutdown_timeout");
	*ms = json_is_integer(t) ? (int)json_integer_value(t) * 1000 : 60000;
	json_decref(reply);
	return 0;
}

/* The monitor keeps the deadline and destroys at its end (so does a
 * shutdown from the TUI); the CLI waits to tell what happened. */
int cmd_shutdown(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct cli_args a;
	int timeout_ms = 60000, wait_ms, rc = cli_parse(ctx, argc, argv, &a);
	_cleanup_free_ char *reason = NULL;
	const char *name;
	bool force;

	if (rc != 0)
		return rc < 0;
	name = a.pos[0];
	force = !cli_flag(&a, "no-force");
	if (cli_value(&a, "timeout") == NULL && engine_shutdown_timeout(ctx, &timeout_ms) != 0)
		return 1;
	if (cli_duration_ms(&a, "timeout", timeout_ms, &timeout_ms, &err) < 0)
		return cli_fail(ctx, &err);
	if (cli_domain_op(ctx, "shutdown", name,
			  json_pack("{s:f,s:b}", "timeout", timeout_ms / 1000.0, "force", force),
			  NULL) != 0)
		return 1;
	fprintf(ctx->out, "Domain '%s' is being shutdown\n", name);
	fflush(ctx->out);
	wait_ms = timeout_ms == 0 ? -1 : force ? timeout_ms + DESTROY_WAIT_MS : timeout_ms;
	rc = wait_stop(ctx, name, wait_ms, &reason, &err);
	if (rc < 0)
		return cli_fail(ctx, &err);
	if (rc == 0 && !force)
		return cli_error(ctx, "'%s' did not shut down within %.1f s (--no-force: left running)",
				 name, timeout_ms / 1000.0);
	if (rc == 0)
		return cli_error(ctx, "'%s' was destroyed after %.1f s but has not stopped", name,
				 timeout_ms / 1000.0);
	if (reason != NULL && strcmp(reason, "destroyed") == 0)
		fprintf(ctx->out, "Domain '%s' did not shut down within %.1f s: destroyed\n", name,
			timeout_ms / 1000.0);
	return 0;
}

int cmd_reboot(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "reboot", a.pos[0], NULL, NULL) != 0)
		return 1;
	fprintf(ctx->out, "Domain '%s' is being rebooted\n", a.pos[0]);
	return 0;
}

int cmd_destroy(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (destroy(ctx, a.pos[0], &err) < 0)
		return cli_fail(ctx, &err);
	fprintf(ctx->out, "Domain '%s' destroyed\n", a.pos[0]);
	return 0;
}
