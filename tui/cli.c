/* The table of CLI verbs and the helpers every verb shares. */
#include "tui/cli.h"

#include <stdarg.h>
#include <string.h>

const struct cli_cmd cli_commands[] = {
	{ "validate", "[--dump] FILE...", "check domain XML files without an engine", CLI_READONLY,
	  cmd_validate },
	{ "version", "", "print the version of corral", CLI_READONLY, cmd_version },
	{ "net-list", "[--all] [--inactive] [--name] [--json]", "list active (or all) networks",
	  CLI_ENGINE | CLI_READONLY, cmd_net_list },
	{ "net-define", "FILE", "define (or update) a network from an XML file", CLI_ENGINE,
	  cmd_net_define },
	{ "net-undefine", "NAME", "remove a network's definition (an active one stays, transient)",
	  CLI_ENGINE | CLI_DESTRUCTIVE, cmd_net_undefine },
	{ "net-start", "NAME", "create a network's bridge and addresses", CLI_ENGINE,
	  cmd_net_start },
	{ "net-destroy", "NAME [--force]",
	  "remove a network's bridge (--force: even under running containers)",
	  CLI_ENGINE | CLI_DESTRUCTIVE, cmd_net_destroy },
	{ "net-autostart", "NAME [--disable]", "start a network whenever the engine starts",
	  CLI_ENGINE, cmd_net_autostart },
	{ "net-dumpxml", "NAME [--inactive]", "print a network's XML", CLI_ENGINE | CLI_READONLY,
	  cmd_net_dumpxml },
	{ "net-info", "NAME [--json]", "show a network, the containers on it and their leases",
	  CLI_ENGINE | CLI_READONLY, cmd_net_info },
	{ "help", "[VERB]", "list the verbs, or describe one", CLI_READONLY, cmd_help },
	{ NULL, NULL, NULL, 0, NULL },
};

const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_usage(FILE *f)
{
	fprintf(f, "usage: corral [--root DIR] [-c URI] [--debug] VERB [ARGS...]\n"
		   "       corral            (no verb: the full-screen TUI)\n\nverbs:\n");
	for (const struct cli_cmd *c = cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-10s %-28s %s\n", c->name, c->synopsis, c->help);
}

int cli_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", ctx->err);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	return 1;
}

int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(ctx->out);
		return 0;
	}
	const struct cli_cmd *c = cli_find(argv[1]);
	if (c == NULL)
		return cli_error(ctx, "unknown verb '%s' (try 'corral help')", argv[1]);
	fprintf(ctx->out, "usage: corral %s %s\n%s\n", c->name, c->synopsis, c->help);
	return 0;
}

int cmd_version(struct cli_ctx *ctx, int argc, char **argv)
{
	fprintf(ctx->out, "corral %s\n", CORRAL_VERSION);
	return 0;
}
