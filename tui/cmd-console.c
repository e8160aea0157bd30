/* corral console: attach the terminal, or a script's stdin and stdout, to a
 * running domain's console. */
#include <unistd.h>

#include "engine/client.h"
#include "lib/error.h"
#include "tui/cli.h"

int cli_attach(struct cli_ctx *ctx, struct client *c, const char *name, int idle_ms,
	       enum attach_end *endp)
{
	struct error err = ERROR_INIT;
	enum attach_end end = ATTACH_CLOSED;
	json_t *reply = NULL;
	const char *sock;
	int rc;

	if (endp != NULL)
		*endp = ATTACH_CLOSED;
	if (cli_call_domain(c, "console", name, NULL, &reply, &err) < 0)
		return cli_fail(ctx, &err);
	sock = json_string_value(json_object_get(reply, "console"));
	if (sock == NULL) {
		json_decref(reply);
		return cli_error(ctx, "the engine gave no console socket for '%s'", name);
	}
	struct attach_opts o = {
		.name = name,
		.sock_path = sock,
		.in_fd = STDIN_FILENO,
		.out_fd = STDOUT_FILENO,
		.notice_fd = STDERR_FILENO,
		.idle_ms = idle_ms,
	};
	/* Our buffered output must come before the raw stream's. */
	fflush(ctx->out);
	rc = attach_run(&o, &end, &err);
	json_decref(reply);
	if (endp != NULL && rc == 0)
		*endp = end;
	if (rc < 0)
		return cli_fail(ctx, &err);
	if (end == ATTACH_SIGNAL)
		return cli_error(ctx, "console of '%s' interrupted by a signal", name);
	return 0;
}

int cmd_console(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	struct cli_args a;
	int idle, rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_duration_ms(&a, "idle", 1000, &idle, &err) < 0)
		return cli_fail(ctx, &err);
	if (cli_connect(ctx, &c, &err) < 0)
		return cli_fail(ctx, &err);
	rc = cli_attach(ctx, c, a.pos[0], idle, NULL);
	client_free(c);
	return rc;
}
