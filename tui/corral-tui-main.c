/* corral-tui: what corral hands over to, with the same command line: the
 * full-screen TUI with no verb, else the verbs that need its libraries. */
#include <string.h>

#include "tui/cli-tui.h"
#include "tui/tui.h"

/* The runs of the CLI_TUI records of cli.c's table, and help for --man. */
static const struct {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
} tui_verbs[] = {
	{ "validate", cmd_validate },
	{ "edit", cmd_edit },
	{ "domxml-from-native", cmd_domxml_from_native },
	{ "rootfs", cmd_rootfs },
	{ "help", cmd_help_man },
};

int main(int argc, char **argv)
{
	struct cli_ctx ctx;

	if (cli_start(&ctx, &argc, &argv) < 0)
		return 1;
	if (argc == 0)
		return tui_run(&ctx);
	for (size_t i = 0; i < sizeof(tui_verbs) / sizeof(tui_verbs[0]); i++)
		if (strcmp(tui_verbs[i].name, argv[0]) == 0)
			return tui_verbs[i].run(&ctx, argc, argv);
	/* The lean verbs too, so that corral-tui alone is the whole program. */
	const struct cli_cmd *cmd = cli_find(argv[0]);
	if (cmd == NULL || cmd->run == NULL)
		return cli_error(&ctx, "unknown verb '%s' (try 'corral help')", argv[0]);
	return cmd->run(&ctx, argc, argv);
}
