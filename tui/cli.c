/* The table of CLI verbs and the helpers every verb shares: option parsing
 * from the table, the engine connection, error printing. */
#include "tui/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/paths.h"
#include "engine/client.h"
#include "engine/proto.h"
#include "lib/error.h"
#include "lib/file.h"

static const struct cli_opt validate_opts[] = {
	{ "dump", NULL, "print each definition as corral would write it" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt start_opts[] = {
	{ "console", NULL, "attach to the console once started" },
	{ "wait", NULL, "return when the container stops, with its init's exit status" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt shutdown_opts[] = {
	{ "timeout", "S", "seconds to wait for the stop before destroying (0: no limit; default: corrald.conf's shutdown_timeout, 60)" },
	{ "no-force", NULL, "fail instead of destroying when the timeout passes" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt autostart_opts[] = {
	{ "disable", NULL, "do not start the domain when the engine starts" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt dumpxml_opts[] = {
	{ "inactive", NULL, "the definition the next start will use" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt dominfo_opts[] = {
	{ "json", NULL, "print a JSON object with snake_case keys" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt list_opts[] = {
	{ "all", NULL, "list inactive domains too" },
	{ "name", NULL, "print only the names" },
	{ "json", NULL, "print a JSON array of objects" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt net_list_opts[] = {
	{ "all", NULL, "list inactive networks too" },
	{ "inactive", NULL, "list only inactive networks" },
	{ "name", NULL, "print only the names" },
	{ "json", NULL, "print a JSON array of objects" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt net_destroy_opts[] = {
	{ "force", NULL, "even while running containers use it" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt net_autostart_opts[] = {
	{ "disable", NULL, "leave the network down until net-start" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt net_dumpxml_opts[] = {
	{ "inactive", NULL, "the definition the next start will use" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt json_opts[] = {
	{ "json", NULL, "print a JSON object" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt stats_opts[] = {
	{ "json", NULL, "one JSON object per container per sample, one a line" },
	{ "once", NULL, "print one sample and exit" },
	{ "interval", "S", "seconds between refreshes (default: each engine sample)" },
	{ NULL, NULL, NULL },
};
static const struct cli_opt console_opts[] = {
	{ "idle", "S", "without a terminal: leave when output has been quiet S seconds after "
		       "stdin ends (default 1)" },
	{ NULL, NULL, NULL },
};

static const struct cli_opt rootfs_opts[] = {
	{ "template", "T", "busybox (the host's busybox-static, seconds) or debian (debootstrap)" },
	{ "release", "R", "debian: the suite or codename (default bookworm)" },
	{ "packages", "A,B", "debian: more packages to install, separated by commas" },
	{ "root-password", "P", "root's password, or - to read it from stdin (default: locked)" },
	{ "force", NULL, "build into a directory that is not empty" },
	{ "define", "NAME", "also define a domain NAME that boots the new tree (init mode)" },
	{ NULL, NULL, NULL },
};

const struct cli_cmd cli_commands[] = {
	{ "define", "FILE", "define (or update) a persistent domain from an XML file", CLI_ENGINE,
	  1, 1, NULL, cmd_define },
	{ "undefine", "NAME", "remove a persistent definition (a running domain stays, transient)",
	  CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, NULL, cmd_undefine },
	{ "start", "NAME [--console] [--wait]", "start a defined domain", CLI_ENGINE, 1, 1,
	  start_opts, cmd_start },
	{ "create", "FILE [--console] [--wait]", "start a transient domain from an XML file",
	  CLI_ENGINE, 1, 1, start_opts, cmd_create },
	{ "shutdown", "NAME [--timeout S] [--no-force]", "ask a domain to power off",
	  CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, shutdown_opts, cmd_shutdown },
	{ "reboot", "NAME", "ask a domain to reboot", CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, NULL,
	  cmd_reboot },
	{ "destroy", "NAME", "kill every process of a domain at once",
	  CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, NULL, cmd_destroy },
	{ "autostart", "NAME [--disable]", "start a domain whenever the engine starts", CLI_ENGINE,
	  1, 1, autostart_opts, cmd_autostart },
	{ "console", "NAME [--idle S]", "attach to a domain's console (Ctrl-] detaches)",
	  CLI_ENGINE, 1, 1, console_opts, cmd_console },
	{ "edit", "NAME", "edit a domain's XML in $EDITOR, then define it", CLI_ENGINE | CLI_TUI, 1,
	  1, NULL, NULL },
	{ "dominfo", "NAME [--json]", "show a domain's state and resources",
	  CLI_ENGINE | CLI_READONLY, 1, 1, dominfo_opts, cmd_dominfo },
	{ "dumpxml", "NAME [--inactive]", "print a domain's XML", CLI_ENGINE | CLI_READONLY, 1, 1,
	  dumpxml_opts, cmd_dumpxml },
	{ "list", "[--all] [--name] [--json]", "list running (or all) domains",
	  CLI_ENGINE | CLI_READONLY, 0, 0, list_opts, cmd_list },
	{ "domifaddr", "NAME [--json]", "show a running domain's interfaces and addresses",
	  CLI_ENGINE | CLI_READONLY, 1, 1, json_opts, cmd_domifaddr },
	{ "domifstat", "NAME [--json]", "show a running domain's interface counters",
	  CLI_ENGINE | CLI_READONLY, 1, 1, json_opts, cmd_domifstat },
	{ "net-list", "[--all] [--inactive] [--name] [--json]", "list active (or all) networks",
	  CLI_ENGINE | CLI_READONLY, 0, 0, net_list_opts, cmd_net_list },
	{ "net-define", "FILE", "define (or update) a network from an XML file", CLI_ENGINE, 1, 1,
	  NULL, cmd_net_define },
	{ "net-undefine", "NAME", "remove a network's definition (an active one stays, transient)",
	  CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, NULL, cmd_net_undefine },
	{ "net-start", "NAME", "create a network's bridge and addresses", CLI_ENGINE, 1, 1, NULL,
	  cmd_net_start },
	{ "net-destroy", "NAME [--force]", "remove a network's bridge and addresses",
	  CLI_ENGINE | CLI_DESTRUCTIVE, 1, 1, net_destroy_opts, cmd_net_destroy },
	{ "net-autostart", "NAME [--disable]",
	  "start a network by itself when a container needs it", CLI_ENGINE, 1, 1,
	  net_autostart_opts, cmd_net_autostart },
	{ "net-dumpxml", "NAME [--inactive]", "print a network's XML", CLI_ENGINE | CLI_READONLY,
	  1, 1, net_dumpxml_opts, cmd_net_dumpxml },
	{ "net-info", "NAME [--json]", "show a network, the containers on it and their leases",
	  CLI_ENGINE | CLI_READONLY, 1, 1, json_opts, cmd_net_info },
	{ "validate", "[--dump] FILE...", "check domain XML files without an engine",
	  CLI_READONLY | CLI_TUI, 1, INT_MAX, validate_opts, NULL },
	{ "stats", "[NAME...] [--json] [--once] [--interval S]",
	  "live CPU, memory, pids and block I/O of running containers", CLI_ENGINE | CLI_READONLY,
	  0, INT_MAX, stats_opts, cmd_stats },
	{ "suspend", "NAME", "freeze every process of a container", CLI_ENGINE, 1, 1, NULL,
	  cmd_suspend },
	{ "resume", "NAME", "thaw a suspended container", CLI_ENGINE, 1, 1, NULL, cmd_resume },
	{ "uri", "", "print the engine URI in use", CLI_READONLY, 0, 0, NULL, cmd_uri },
	{ "version", "", "print the versions of corral and of the engine", CLI_READONLY, 0, 0,
	  NULL, cmd_version },
	{ "rootfs", "create DIR --template busybox|debian [--release R] [--packages A,B] "
		    "[--root-password P] [--force] [--define NAME]",
	  "make an OS container's root filesystem from a template", CLI_TUI, 2, 2, rootfs_opts,
	  NULL },
	{ "domxml-from-native", "lxc-tools FILE",
	  "convert an LXC container config (legacy or 3.0 keys) to domain XML",
	  CLI_READONLY | CLI_TUI, 2, 2, NULL, NULL },
	{ "help", "[VERB]", "list the verbs, or describe one", CLI_READONLY, 0, 1, NULL,
	  cmd_help },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
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
	for (const struct cli_cmd *c = cli_commands; c->name != NULL; c++) {
		/* A long verb or synopsis takes a line of its own, so that the
		 * help column stays aligned. */
		if (strlen(c->name) > 10 || strlen(c->synopsis) > 34)
			fprintf(f, "  %s %s\n  %-10s %-34s %s\n", c->name, c->synopsis, "", "", c->help);
		else
			fprintf(f, "  %-10s %-34s %s\n", c->name, c->synopsis, c->help);
	}
	fprintf(f, "\n'corral help VERB' or 'corral VERB --help' describes a verb.\n");
}

void cli_verb_help(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "usage: corral %s %s\n\n%s\n", c->name, c->synopsis, c->help);
	if (c->opts == NULL || c->opts[0].name == NULL)
		return;
	fprintf(f, "\noptions:\n");
	for (const struct cli_opt *o = c->opts; o->name != NULL; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		fprintf(f, "  %-16s %s\n", left, o->help);
	}
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

int cli_fail(struct cli_ctx *ctx, struct error *err)
{
	cli_error(ctx, "%s", err_msg(err));
	err_clear(err);
	return 1;
}

int cli_parse(struct cli_ctx *ctx, int argc, char **argv, struct cli_args *a)
{
	const struct cli_cmd *cmd = cli_find(argv[0]);
	struct option lopts[CLI_MAX_OPTS + 2];
	int n = 0, c;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	for (; cmd->opts != NULL && cmd->opts[n].name != NULL && n < CLI_MAX_OPTS; n++)
		lopts[n] = (struct option){ cmd->opts[n].name,
					    cmd->opts[n].arg ? required_argument : no_argument,
					    NULL, n };
	lopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lopts[n + 1] = (struct option){ NULL, 0, NULL, 0 };

	/* "+" would stop at the first operand; virsh takes options anywhere. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", lopts, NULL)) != -1) {
		if (c == 'h') {
			cli_verb_help(ctx->out, cmd);
			return 1;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			cli_error(ctx, "%s: %s '%s' (try 'corral %s --help')", cmd->name,
				  c == ':' ? "missing value for option" : "unknown option", bad,
				  cmd->name);
			return -1;
		}
		a->val[c] = optarg != NULL ? optarg : "";
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	if (a->npos < cmd->min_args || a->npos > cmd->max_args) {
		cli_error(ctx, "%s: %s (usage: corral %s %s)", cmd->name,
			  a->npos < cmd->min_args ? "missing argument" : "too many arguments",
			  cmd->name, cmd->synopsis);
		return -1;
	}
	return 0;
}

static int opt_index(const struct cli_args *a, const char *name)
{
	for (int i = 0; a->cmd->opts != NULL && a->cmd->opts[i].name != NULL; i++)
		if (strcmp(a->cmd->opts[i].name, name) == 0)
			return i;
	/* A verb asking for an option its record lacks is a bug in the table. */
	abort();
}

bool cli_flag(const struct cli_args *a, const char *name)
{
	return a->val[opt_index(a, name)] != NULL;
}

const char *cli_value(const struct cli_args *a, const char *name)
{
	return a->val[opt_index(a, name)];
}

int cli_duration_ms(const struct cli_args *a, const char *name, int def_ms, int *out,
		    struct error *err)
{
	const char *v = cli_value(a, name);
	char *end;
	double s;

	if (v == NULL) {
		*out = def_ms;
		return 0;
	}
	errno = 0;
	s = strtod(v, &end);
	/* A day at most, so that the milliseconds fit an int; !(s >= 0) catches NaN. */
	if (errno != 0 || end == v || *end != '\0' || !(s >= 0) || s > 86400)
		return err_set(err, 0, "--%s: '%s' is not a number of seconds (0 to 86400)", name,
			       v);
	*out = (int)(s * 1000 + 0.5);
	return 0;
}

int cli_connect(struct cli_ctx *ctx, struct client **out, struct error *err)
{
	struct paths p = { 0 };
	int rc;

	if (paths_init(&p, ctx->root, err) < 0)
		return -1;
	rc = client_connect(&p, ctx->uri, true, out, err);
	paths_free(&p);
	if (rc < 0)
		return err_prefix(err, "failed to connect to the engine");
	return 0;
}

int cli_call_domain(struct client *c, const char *op, const char *name, json_t *extra,
		    json_t **reply, struct error *err)
{
	json_t *req = proto_request(0, op);
	int rc;

	if (name != NULL)
		json_object_set_new(req, "name", json_string(name));
	if (extra != NULL)
		json_object_update_new(req, extra);
	rc = client_call(c, req, reply, err);
	json_decref(req);
	return rc;
}

int cli_domain_op(struct cli_ctx *ctx, const char *op, const char *name, json_t *extra,
		  json_t **reply)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	json_t *r = NULL;
	int rc;

	if (cli_connect(ctx, &c, &err) < 0) {
		json_decref(extra);
		return cli_fail(ctx, &err);
	}
	rc = cli_call_domain(c, op, name, extra, &r, &err);
	client_free(c);
	if (rc < 0)
		return cli_fail(ctx, &err);
	if (reply != NULL)
		*reply = r;
	else
		json_decref(r);
	return 0;
}

void cli_print_warnings(struct cli_ctx *ctx, const json_t *reply)
{
	json_t *w = json_object_get(reply, "warnings");

	for (size_t i = 0; i < json_array_size(w); i++)
		if (json_is_string(json_array_get(w, i)))
			fprintf(ctx->err, "%s\n", json_string_value(json_array_get(w, i)));
}

void cli_print_json(struct cli_ctx *ctx, const json_t *json)
{
	json_dumpf(json, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', ctx->out);
}

int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc;

	/* Hidden, for the build's man pages: their sections come from tables
	 * only corral-tui links (the TUI's keys, the parser's schema). */
	if (argc == 3 && strcmp(argv[1], "--man") == 0)
		return cli_exec_tui(ctx);
	rc = cli_parse(ctx, argc, argv, &a);
	if (rc != 0)
		return rc < 0;
	if (a.npos == 0) {
		cli_usage(ctx->out);
		return 0;
	}
	const struct cli_cmd *c = cli_find(a.pos[0]);
	if (c == NULL)
		return cli_error(ctx, "unknown verb '%s' (try 'corral help')", a.pos[0]);
	cli_verb_help(ctx->out, c);
	return 0;
}

const char *cli_str(const json_t *o, const char *key, const char *def)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : def;
}

void cli_info_line(struct cli_ctx *ctx, const char *label, const char *value)
{
	char key[32];

	/* virsh aligns values at column 16. */
	snprintf(key, sizeof(key), "%s:", label);
	fprintf(ctx->out, "%-16s%s\n", key, value);
}

int cli_read_xml(struct cli_ctx *ctx, const char *path, size_t max, char **xml)
{
	struct error err = ERROR_INIT;
	size_t len;

	*xml = NULL;
	if (file_read_all(path, max, xml, &len, &err) < 0)
		return cli_fail(ctx, &err);
	if (strlen(*xml) != len) {
		free(*xml);
		*xml = NULL;
		return cli_error(ctx, "'%s' holds a NUL byte: not an XML file", path);
	}
	return 0;
}

int cli_define(struct cli_ctx *ctx, const char *op, const char *noun, size_t max, int argc,
	       char **argv)
{
	char *xml = NULL;
	json_t *reply = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_read_xml(ctx, a.pos[0], max, &xml) != 0)
		return 1;
	rc = cli_domain_op(ctx, op, NULL, json_pack("{s:s,s:s}", "xml", xml, "file", a.pos[0]),
			   &reply);
	free(xml);
	if (rc != 0)
		return 1;
	cli_print_warnings(ctx, reply);
	fprintf(ctx->out, "%s '%s' defined from %s\n", noun, cli_str(reply, "name", "?"), a.pos[0]);
	json_decref(reply);
	return 0;
}

int cli_dumpxml(struct cli_ctx *ctx, const char *op, int argc, char **argv)
{
	json_t *reply = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, op, a.pos[0],
			  json_pack("{s:b}", "inactive", cli_flag(&a, "inactive")), &reply) != 0)
		return 1;
	fputs(cli_str(reply, "xml", ""), ctx->out);
	json_decref(reply);
	return 0;
}
