/* What both corral programs do before the verb: the global options, and the
 * hand-over from the lean corral to corral-tui, which links the heavy
 * libraries (ncurses, libvterm, libxml2, libcrypt). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "tui/cli.h"

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

int cli_start(struct cli_ctx *ctx, int *argc, char ***argv)
{
	*ctx = (struct cli_ctx){
		.root = getenv("CORRAL_ROOT"),
		.uri = getenv("CORRAL_DEFAULT_URI"),
		.argv = *argv,
		.out = stdout,
		.err = stderr,
	};
	if (parse_globals(ctx, argc, argv) < 0)
		return -1;
	if (ctx->root == NULL || ctx->root[0] == '\0')
		ctx->root = "/";
	/* Library chatter stays out of a script's output unless asked for. */
	log_set_level(ctx->debug ? LOG_LVL_DEBUG : LOG_LVL_WARN);
	return 0;
}

int cli_exec_tui(struct cli_ctx *ctx)
{
	_cleanup_free_ char *tui = file_find_companion("corral-tui");

	if (tui == NULL)
		return cli_error(ctx, "corral-tui is not installed beside corral nor in "
				      "../libexec/corral: the TUI and this verb need it");
	/* What is still in stdio's buffers would be lost at the exec. */
	fflush(ctx->out);
	fflush(ctx->err);
	execv(tui, ctx->argv);
	return cli_error(ctx, "cannot run '%s': %s", tui, strerror(errno));
}
