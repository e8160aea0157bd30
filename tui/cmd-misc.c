/* corral uri and corral version: what the CLI talks to. */
#include "config/paths.h"
#include "engine/client.h"
#include "engine/proto.h"
#include "lib/error.h"
#include "tui/cli.h"

/* virsh prints the URI it would connect to; the default engine is the local
 * one, which virsh habits call lxc:///. */
int cmd_uri(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	fprintf(ctx->out, "%s\n", ctx->uri != NULL && ctx->uri[0] != '\0' ? ctx->uri : "lxc:///");
	return 0;
}

/* The engine's version is shown when one answers; version alone never
 * starts an engine, so that it works where none may run. */
int cmd_version(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct paths p = { 0 };
	struct client *c = NULL;
	json_t *req, *reply = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	fprintf(ctx->out, "corral %s\n", CORRAL_VERSION);
	if (paths_init(&p, ctx->root, &err) < 0)
		return cli_fail(ctx, &err);
	rc = client_connect(&p, ctx->uri, false, &c, &err);
	paths_free(&p);
	if (rc < 0) {
		fprintf(ctx->out, "corrald: not running\n");
		err_clear(&err);
		return 0;
	}
	req = proto_request(0, "version");
	rc = client_call(c, req, &reply, &err);
	json_decref(req);
	client_free(c);
	if (rc < 0)
		return cli_fail(ctx, &err);
	const char *v = json_string_value(json_object_get(reply, "version"));
	fprintf(ctx->out, "corrald %s (protocol %lld)\n", v != NULL ? v : "(unknown)",
		(long long)json_integer_value(json_object_get(reply, "protocol")));
	json_decref(reply);
	return 0;
}
