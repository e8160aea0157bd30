/* The net-* verbs: corral-managed networks, worded as virsh words them. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config/paths.h"
#include "engine/client.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"
#include "tui/cli.h"

/* A definition file is read whole; the engine caps messages anyway. */
#define NET_FILE_MAX (1u << 20)

/* One request on a fresh connection: 0 with *reply set (the caller
 * releases it; reply may be NULL to drop it), or the exit status 1 after
 * printing the error. req is consumed. */
static int call(struct cli_ctx *ctx, json_t *req, json_t **reply)
{
	struct client *c = NULL;
	struct error err = ERROR_INIT;
	struct paths p = { 0 };
	json_t *r = NULL;
	int rc = paths_init(&p, ctx->root, &err);

	if (rc == 0)
		rc = client_connect(&p, ctx->uri, true, &c, &err);
	if (rc == 0)
		rc = client_call(c, req, &r, &err);
	json_decref(req);
	client_free(c);
	paths_free(&p);
	if (rc < 0) {
		cli_error(ctx, "%s", err_msg(&err));
		err_clear(&err);
		return 1;
	}
	if (reply != NULL)
		*reply = r;
	else
		json_decref(r);
	return 0;
}

static json_t *named(const char *op, const char *name)
{
	return json_pack("{s:s,s:s}", "op", op, "name", name);
}

/* Parses the verb's flags (each a letter in the table) and expects exactly
 * one operand, returned in *operand. -1 after printing an error, 1 after
 * --help, 0 to go on. */
static int parse(struct cli_ctx *ctx, int argc, char **argv, const struct option *opts,
		 unsigned *flags, const char **operand)
{
	const struct cli_cmd *cmd = cli_find(argv[0]);
	int c;

	*flags = 0;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			fprintf(ctx->out, "usage: corral %s %s\n%s\n", cmd->name, cmd->synopsis,
				cmd->help);
			return 1;
		}
		if (c == '?') {
			cli_error(ctx, "%s: unknown option '%s' (try 'corral %s --help')", cmd->name,
				  argv[optind - 1], cmd->name);
			return -1;
		}
		*flags |= 1u << c;
	}
	if (operand == NULL) {
		if (optind == argc)
			return 0;
		cli_error(ctx, "%s: unexpected argument '%s'", cmd->name, argv[optind]);
		return -1;
	}
	if (argc - optind != 1) {
		cli_error(ctx, "%s: %s (usage: corral %s %s)", cmd->name,
			  optind == argc ? "missing argument" : "too many arguments", cmd->name,
			  cmd->synopsis);
		return -1;
	}
	*operand = argv[optind];
	return 0;
}

enum { F_ALL, F_INACTIVE, F_NAME, F_FORCE, F_DISABLE, F_JSON };

#define OPT(name, flag) { name, no_argument, NULL, flag }
#define OPT_HELP { "help", no_argument, NULL, 'h' }
#define OPT_END { NULL, 0, NULL, 0 }
#define HAS(flags, f) (((flags) >> (f)) & 1u)

static const char *yes_no(json_t *v)
{
	return json_is_true(v) ? "yes" : "no";
}

struct row {
	const char *cell[4];
};

static void print_row(FILE *f, const size_t width[4], const struct row *row)
{
	for (size_t c = 0; c < 3; c++)
		fprintf(f, " %-*s  ", (int)width[c], row->cell[c]);
	fprintf(f, " %s\n", row->cell[3]);
}

/* virsh's table: a leading space, columns as wide as their widest cell
 * and three spaces apart, a rule under the header, a blank line after. */
static void print_table(FILE *f, const struct row *head, const struct row *rows, size_t n)
{
	size_t width[4] = { 0 }, total = 0;

	for (size_t c = 0; c < 4; c++) {
		width[c] = strlen(head->cell[c]);
		for (size_t r = 0; r < n; r++)
			if (strlen(rows[r].cell[c]) > width[c])
				width[c] = strlen(rows[r].cell[c]);
		total += width[c] + (c < 3 ? 3 : 0);
	}
	print_row(f, width, head);
	for (size_t i = 0; i < total + 2; i++)
		fputc('-', f);
	fputc('\n', f);
	for (size_t r = 0; r < n; r++)
		print_row(f, width, &rows[r]);
	fputc('\n', f);
}

int cmd_net_list(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT("all", F_ALL), OPT("inactive", F_INACTIVE),
					      OPT("name", F_NAME), OPT("json", F_JSON), OPT_HELP,
					      OPT_END };
	static const struct row head = { { "Name", "State", "Autostart", "Persistent" } };
	_cleanup_free_ struct row *rows = NULL;
	json_t *reply, *nets, *v;
	size_t i, n = 0;
	unsigned fl;
	int rc = parse(ctx, argc, argv, opts, &fl, NULL);

	if (rc != 0)
		return rc < 0;
	if (call(ctx,
		 json_pack("{s:s,s:b}", "op", "net-list", "all",
			   HAS(fl, F_ALL) || HAS(fl, F_INACTIVE)),
		 &reply))
		return 1;
	nets = json_object_get(reply, "networks");
	if (HAS(fl, F_JSON)) {
		_cleanup_free_ char *text = json_dumps(nets, JSON_INDENT(2));
		fprintf(ctx->out, "%s\n", text);
		json_decref(reply);
		return 0;
	}
	rows = xcalloc(json_array_size(nets) + 1, sizeof(*rows));
	json_array_foreach(nets, i, v) {
		bool active = json_is_true(json_object_get(v, "active"));
		if (HAS(fl, F_INACTIVE) && active)
			continue;
		rows[n++] = (struct row){ { json_string_value(json_object_get(v, "name")),
					    active ? "active" : "inactive",
					    yes_no(json_object_get(v, "autostart")),
					    yes_no(json_object_get(v, "persistent")) } };
	}
	if (HAS(fl, F_NAME)) {
		for (i = 0; i < n; i++)
			fprintf(ctx->out, "%s\n", rows[i].cell[0]);
	} else {
		print_table(ctx->out, &head, rows, n);
	}
	json_decref(reply);
	return 0;
}

int cmd_net_define(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };
	_cleanup_free_ char *xml = NULL;
	struct error err = ERROR_INIT;
	const char *file;
	json_t *reply, *w;
	size_t len, i;
	unsigned fl;
	int rc = parse(ctx, argc, argv, opts, &fl, &file);

	if (rc != 0)
		return rc < 0;
	if (file_read_all(file, NET_FILE_MAX, &xml, &len, &err) < 0) {
		cli_error(ctx, "net-define: %s", err_msg(&err));
		err_clear(&err);
		return 1;
	}
	if (call(ctx,
		 json_pack("{s:s,s:s%,s:s}", "op", "net-define", "xml", xml, len, "file", file),
		 &reply))
		return 1;
	json_array_foreach(json_object_get(reply, "warnings"), i, w)
		fprintf(ctx->err, "warning: %s\n", json_string_value(w));
	fprintf(ctx->out, "Network %s defined from %s\n",
		json_string_value(json_object_get(reply, "name")), file);
	json_decref(reply);
	return 0;
}

/* A verb that names one network and answers with a sentence. */
static int simple(struct cli_ctx *ctx, int argc, char **argv, const struct option *opts,
		  const char *op, const char *done, const char *flag_key, int flag)
{
	const char *name;
	json_t *req;
	unsigned fl;
	int rc = parse(ctx, argc, argv, opts, &fl, &name);

	if (rc != 0)
		return rc < 0;
	req = named(op, name);
	if (flag_key != NULL)
		json_object_set_new(req, flag_key, json_boolean(HAS(fl, flag)));
	if (call(ctx, req, NULL))
		return 1;
	fprintf(ctx->out, "Network %s %s\n", name, done);
	return 0;
}

int cmd_net_undefine(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };

	return simple(ctx, argc, argv, opts, "net-undefine", "has been undefined", NULL, 0);
}

int cmd_net_start(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT_HELP, OPT_END };

	return simple(ctx, argc, argv, opts, "net-start", "started", NULL, 0);
}

int cmd_net_destroy(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT("force", F_FORCE), OPT_HELP, OPT_END };

	return simple(ctx, argc, argv, opts, "net-destroy", "destroyed", "force", F_FORCE);
}

int cmd_net_autostart(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT("disable", F_DISABLE), OPT_HELP, OPT_END };
	const char *name;
	unsigned fl;
	int rc = parse(ctx, argc, argv, opts, &fl, &name);
	bool on = !HAS(fl, F_DISABLE);

	if (rc != 0)
		return rc < 0;
	if (call(ctx, json_pack("{s:s,s:s,s:b}", "op", "net-autostart", "name", name, "enable", on),
		 NULL))
		return 1;
	fprintf(ctx->out, "Network %s %s as autostarted\n", name, on ? "marked" : "unmarked");
	return 0;
}

int cmd_net_dumpxml(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT("inactive", F_INACTIVE), OPT_HELP, OPT_END };
	const char *name;
	json_t *req, *reply;
	unsigned fl;
	int rc = parse(ctx, argc, argv, opts, &fl, &name);

	if (rc != 0)
		return rc < 0;
	req = named("net-dumpxml", name);
	json_object_set_new(req, "inactive", json_boolean(HAS(fl, F_INACTIVE)));
	if (call(ctx, req, &reply))
		return 1;
	fputs(json_string_value(json_object_get(reply, "xml")), ctx->out);
	json_decref(reply);
	return 0;
}

static void print_list(FILE *f, const char *label, json_t *arr)
{
	json_t *v;
	size_t i;

	fprintf(f, "%-16s", label);
	json_array_foreach(arr, i, v)
		fprintf(f, "%s%s", i ? " " : "", json_string_value(v));
	fputc('\n', f);
}

int cmd_net_info(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { OPT("json", F_JSON), OPT_HELP, OPT_END };
	const char *name;
	json_t *reply, *info, *v;
	unsigned fl;
	size_t i;
	int rc = parse(ctx, argc, argv, opts, &fl, &name);

	if (rc != 0)
		return rc < 0;
	if (call(ctx, named("net-info", name), &reply))
		return 1;
	info = json_object_get(reply, "network");
	if (HAS(fl, F_JSON)) {
		_cleanup_free_ char *text = json_dumps(info, JSON_INDENT(2));
		fprintf(ctx->out, "%s\n", text);
		json_decref(reply);
		return 0;
	}
	fprintf(ctx->out, "%-16s%s\n", "Name:", json_string_value(json_object_get(info, "name")));
	fprintf(ctx->out, "%-16s%s\n", "UUID:",
		json_is_string(json_object_get(info, "uuid"))
			? json_string_value(json_object_get(info, "uuid"))
			: "");
	fprintf(ctx->out, "%-16s%s\n", "Active:", yes_no(json_object_get(info, "active")));
	fprintf(ctx->out, "%-16s%s\n", "Persistent:", yes_no(json_object_get(info, "persistent")));
	fprintf(ctx->out, "%-16s%s\n", "Autostart:", yes_no(json_object_get(info, "autostart")));
	fprintf(ctx->out, "%-16s%s\n", "Bridge:", json_string_value(json_object_get(info, "bridge")));
	fprintf(ctx->out, "%-16s%s\n", "Forward:",
		json_string_value(json_object_get(info, "forward")));
	print_list(ctx->out, "Addresses:", json_object_get(info, "addresses"));
	print_list(ctx->out, "Domains:", json_object_get(info, "domains"));
	json_array_foreach(json_object_get(info, "leases"), i, v)
		fprintf(ctx->out, "%-16s%s %s (interface %lld)\n", "Lease:",
			json_string_value(json_object_get(v, "address")),
			json_string_value(json_object_get(v, "domain")),
			(long long)json_integer_value(json_object_get(v, "interface")));
	json_decref(reply);
	return 0;
}
