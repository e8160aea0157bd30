/* corral: the virsh-like CLI. It runs the verbs that only talk to the
 * engine itself, with libc and jansson alone, and hands the TUI (no verb)
 * and the verbs flagged CLI_TUI over to corral-tui. */
#include "tui/cli.h"

int main(int argc, char **argv)
{
	struct cli_ctx ctx;

	if (cli_start(&ctx, &argc, &argv) < 0)
		return 1;
	if (argc == 0)
		return cli_exec_tui(&ctx);
	const struct cli_cmd *cmd = cli_find(argv[0]);
	if (cmd == NULL)
		return cli_error(&ctx, "unknown verb '%s' (try 'corral help')", argv[0]);
	if (cmd->flags & CLI_TUI)
		return cli_exec_tui(&ctx);
	return cmd->run(&ctx, argc, argv);
}
