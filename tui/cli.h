/* The command table: every CLI verb as a record that the dispatcher, --help
 * and (later) the TUI's help overlay read, so they never drift. */
#ifndef CORRAL_TUI_CLI_H
#define CORRAL_TUI_CLI_H

#include <stdio.h>

enum cli_flags {
	CLI_ENGINE = 1 << 0,      /* talks to corrald */
	CLI_READONLY = 1 << 1,    /* allowed on the read-only socket */
	CLI_DESTRUCTIVE = 1 << 2, /* asks for confirmation in the TUI */
};

struct cli_ctx {
	const char *root; /* --root or CORRAL_ROOT; "/" by default */
	const char *uri;  /* -c or CORRAL_DEFAULT_URI; NULL for the default */
	int debug;
	FILE *out;
	FILE *err;
};

struct cli_cmd {
	const char *name;
	const char *synopsis;
	const char *help;
	unsigned flags;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
};

extern const struct cli_cmd cli_commands[];

const struct cli_cmd *cli_find(const char *name);
void cli_usage(FILE *f);
/* Prints "error: …" to ctx->err and returns the exit status 1. */
int cli_error(struct cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_validate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_help(struct cli_ctx *ctx, int argc, char **argv);
int cmd_version(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_define(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_undefine(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_start(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_destroy(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_autostart(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_dumpxml(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_info(struct cli_ctx *ctx, int argc, char **argv);

#endif
