/* The verbs that run in corral-tui, not in the lean corral: each needs a
 * library (libxml2, libcrypt, ncurses) that scripts calling corral in a loop
 * should not pay to load. Their records stay in cli.c's table, flagged
 * CLI_TUI, so that help, completion and the man pages still see them. */
#ifndef CORRAL_TUI_CLI_TUI_H
#define CORRAL_TUI_CLI_TUI_H

#include "tui/cli.h"

int cmd_validate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_edit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_domxml_from_native(struct cli_ctx *ctx, int argc, char **argv);
int cmd_rootfs(struct cli_ctx *ctx, int argc, char **argv);
/* help, plus the hidden `help --man SECTION` ("verbs", "keys" or
 * "ignored") that the build makes the man pages with. */
int cmd_help_man(struct cli_ctx *ctx, int argc, char **argv);

#endif
