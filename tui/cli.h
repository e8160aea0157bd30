/* The command table: every CLI verb as a record that the dispatcher, --help
 * and (later) the TUI's help overlay read, so they never drift. */
#ifndef CORRAL_TUI_CLI_H
#define CORRAL_TUI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "console/attach.h"

struct client;
struct error;

enum cli_flags {
	CLI_ENGINE = 1 << 0,      /* talks to corrald */
	CLI_READONLY = 1 << 1,    /* allowed on the read-only socket */
	CLI_DESTRUCTIVE = 1 << 2, /* asks for confirmation in the TUI */
	/* Runs in corral-tui (see cli-tui.h): it needs a library that the lean
	 * corral, which scripts call in loops, does not load. */
	CLI_TUI = 1 << 3,
};

struct cli_ctx {
	const char *root; /* --root or CORRAL_ROOT; "/" by default */
	const char *uri;  /* -c or CORRAL_DEFAULT_URI; NULL for the default */
	int debug;
	char **argv; /* the whole command line, handed unchanged to corral-tui */
	FILE *out;
	FILE *err;
};

/* An option of a verb: "--name" alone, or "--name VALUE" when arg is set. */
struct cli_opt {
	const char *name;
	const char *arg; /* the value's placeholder in help ("S"), NULL for a flag */
	const char *help;
};

#define CLI_MAX_OPTS 8

struct cli_cmd {
	const char *name;
	const char *synopsis;
	const char *help;
	unsigned flags;
	int min_args, max_args; /* positional arguments after the options */
	const struct cli_opt *opts; /* ends with a NULL name; NULL for none */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv); /* NULL with CLI_TUI */
};

/* A verb's command line, parsed against its record. */
struct cli_args {
	const struct cli_cmd *cmd;
	char **pos;
	int npos;
	const char *val[CLI_MAX_OPTS]; /* per option: its value, "" for a flag; NULL if absent */
};

extern const struct cli_cmd cli_commands[];

/* Fills ctx from the environment and the global options before the verb,
 * and moves *argc and *argv past them: 0, or -1 after printing an error.
 * --help and --version print and exit. */
int cli_start(struct cli_ctx *ctx, int *argc, char ***argv);
/* Replaces this process with corral-tui, with ctx->argv and the same
 * environment; returns only on failure, with the exit status 1 after
 * printing why. */
int cli_exec_tui(struct cli_ctx *ctx);

const struct cli_cmd *cli_find(const char *name);
void cli_usage(FILE *f);
/* The help of one verb, options included, from its record. */
void cli_verb_help(FILE *f, const struct cli_cmd *c);
/* Prints "error: …" to ctx->err and returns the exit status 1. */
int cli_error(struct cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints err as "error: …", clears it and returns the exit status 1. */
int cli_fail(struct cli_ctx *ctx, struct error *err);

/* Parses argv (argv[0] is the verb) against the verb's record: 0 when the
 * verb should run, 1 when --help was shown (exit 0), -1 after printing an
 * error (exit 1). */
int cli_parse(struct cli_ctx *ctx, int argc, char **argv, struct cli_args *a);
bool cli_flag(const struct cli_args *a, const char *name);
const char *cli_value(const struct cli_args *a, const char *name);
/* Option name as seconds (fractions allowed) in milliseconds, or def_ms
 * when it is absent. */
int cli_duration_ms(const struct cli_args *a, const char *name, int def_ms, int *out,
		    struct error *err);

/* Connects to the engine ctx names, starting corrald on ctx's root when no
 * engine answers there. */
int cli_connect(struct cli_ctx *ctx, struct client **out, struct error *err);
/* Calls op on a domain: {"op":op,"name":name} (no name when NULL) plus the fields of extra
 * (stolen, may be NULL); *reply is released by the caller. */
int cli_call_domain(struct client *c, const char *op, const char *name, json_t *extra,
		    json_t **reply, struct error *err);
/* One request on a fresh connection, for verbs that need no more: 0 with
 * *reply set (reply may be NULL to drop it), or 1 after printing the error. */
int cli_domain_op(struct cli_ctx *ctx, const char *op, const char *name, json_t *extra,
		  json_t **reply);
/* Prints the "warnings" of a define reply to ctx->err. */
void cli_print_warnings(struct cli_ctx *ctx, const json_t *reply);
/* Prints json to ctx->out, indented, with a final newline. */
void cli_print_json(struct cli_ctx *ctx, const json_t *json);
/* The string at key of o, or def when there is none. */
const char *cli_str(const json_t *o, const char *key, const char *def);
/* "Label:" and its value, aligned at column 16 as virsh does. */
void cli_info_line(struct cli_ctx *ctx, const char *label, const char *value);
/* Reads the XML file path, at most max bytes, into *xml (to free): 0, or 1
 * after printing why not (unreadable, too large, a NUL byte in it). */
int cli_read_xml(struct cli_ctx *ctx, const char *path, size_t max, char **xml);
/* The define verbs (domain and network): FILE's XML sent with op, the
 * warnings shown, "<noun> 'NAME' defined from FILE" printed. */
int cli_define(struct cli_ctx *ctx, const char *op, const char *noun, size_t max, int argc,
	       char **argv);
/* The dumpxml verbs (domain and network): op with --inactive, the XML out. */
int cli_dumpxml(struct cli_ctx *ctx, const char *op, int argc, char **argv);

int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);
int cmd_suspend(struct cli_ctx *ctx, int argc, char **argv);
int cmd_resume(struct cli_ctx *ctx, int argc, char **argv);
int cmd_help(struct cli_ctx *ctx, int argc, char **argv);
int cmd_version(struct cli_ctx *ctx, int argc, char **argv);
int cmd_uri(struct cli_ctx *ctx, int argc, char **argv);
int cmd_define(struct cli_ctx *ctx, int argc, char **argv);
int cmd_undefine(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dumpxml(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dominfo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_autostart(struct cli_ctx *ctx, int argc, char **argv);
int cmd_start(struct cli_ctx *ctx, int argc, char **argv);
int cmd_create(struct cli_ctx *ctx, int argc, char **argv);
int cmd_shutdown(struct cli_ctx *ctx, int argc, char **argv);
int cmd_reboot(struct cli_ctx *ctx, int argc, char **argv);
int cmd_destroy(struct cli_ctx *ctx, int argc, char **argv);
int cmd_console(struct cli_ctx *ctx, int argc, char **argv);
int cmd_domifaddr(struct cli_ctx *ctx, int argc, char **argv);
int cmd_domifstat(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_define(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_undefine(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_start(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_destroy(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_autostart(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_dumpxml(struct cli_ctx *ctx, int argc, char **argv);
int cmd_net_info(struct cli_ctx *ctx, int argc, char **argv);

/* Attaches the terminal (or stdin/stdout) to a running domain's console;
 * returns the exit status and, when end is not NULL, how the session ended
 * (ATTACH_CLOSED when it never began). Shared by console, start --console
 * and create --console. */
int cli_attach(struct cli_ctx *ctx, struct client *c, const char *name, int idle_ms,
	       enum attach_end *end);

#endif
