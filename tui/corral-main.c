/* corral: the full-screen TUI with no verb, the virsh-like CLI with one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "tui/cli.h"
#include "tui/tui.h"

static int parse_globals(struct cli_ctx *ctx, int *argc, char ***argv)
{
	int i = 1;

	while (i < *argc && (*argv)[i][0] == '-') {
		const char *a = (*argv)[i];
		if (strcmp(a, "--root") == 0 || strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "error: %s needs a value\n", a);
				return -1;
			}
			if (strcmp(a, "--root") == 0)
				ctx->root = (*argv)[i + 1];
			else
				ctx->uri = (*argv)[i + 1];
			i += 2;
		} else if (strncmp(a, "--root=", 7) == 0) {
			ctx->root = a + 7;
			i++;
		} else if (strncmp(a, "--connect=", 10) == 0) {
			ctx->uri = a + 10;
			i++;
		} else if (strcmp(a, "--debug") == 0) {
			ctx->debug = 1;
			i++;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("corral %s\n", CORRAL_VERSION);
			exit(0);
		} else {
			fprintf(stderr, "error: unknown option '%s' (try 'corral --help')\n", a);
			return -1;
		}
	}
	*argc -= i;
	*argv += i;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = {
		.root = getenv("CORRAL_ROOT"),
		.uri = getenv("CORRAL_DEFAULT_URI"),
		.out = stdout,
		.err = stderr,
	};

	if (parse_globals(&ctx, &argc, &argv) < 0)
		return 1;
	if (ctx.root == NULL || ctx.root[0] == '\0')
		ctx.root = "/";
	/* Library chatter stays out of a script's output unless asked for. */
	log_set_level(ctx.debug ? LOG_LVL_DEBUG : LOG_LVL_WARN);
	if (argc == 0)
		return tui_run(&ctx);
	const struct cli_cmd *cmd = cli_find(argv[0]);
	if (cmd == NULL)
		return cli_error(&ctx, "unknown verb '%s' (try 'corral help')", argv[0]);
	return cmd->run(&ctx, argc, argv);
}
