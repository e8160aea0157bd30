/* Definition verbs, worded as virsh words them: define, undefine, dumpxml,
 * dominfo, list, autostart. */
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"
#include "tui/cli.h"

/* The engine refuses larger definitions; reading more would be wasted. */
#define DEFINE_MAX DOM_XML_MAX

int cmd_define(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_define(ctx, "define", "Domain", DEFINE_MAX, argc, argv);
}

int cmd_undefine(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "undefine", a.pos[0], NULL, NULL) != 0)
		return 1;
	fprintf(ctx->out, "Domain '%s' has been undefined\n", a.pos[0]);
	return 0;
}

int cmd_dumpxml(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dumpxml(ctx, "dumpxml", argc, argv);
}

static void info_kib(struct cli_ctx *ctx, const char *label, const json_t *v)
{
	char buf[64];

	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%lld KiB", (long long)json_integer_value(v));
	else
		snprintf(buf, sizeof(buf), "-");
	cli_info_line(ctx, label, buf);
}

int cmd_dominfo(struct cli_ctx *ctx, int argc, char **argv)
{
	json_t *reply = NULL, *d, *v;
	struct cli_args a;
	char buf[64];
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "dominfo", a.pos[0], NULL, &reply) != 0)
		return 1;
	d = json_object_get(reply, "domain");
	if (cli_flag(&a, "json")) {
		cli_print_json(ctx, d);
		json_decref(reply);
		return 0;
	}
	v = json_object_get(d, "id");
	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, sizeof(buf), "-");
	cli_info_line(ctx, "Id", buf);
	cli_info_line(ctx, "Name", cli_str(d, "name", "?"));
	cli_info_line(ctx, "UUID", cli_str(d, "uuid", "-"));
	cli_info_line(ctx, "OS Type", cli_str(d, "os_type", "exe"));
	cli_info_line(ctx, "State", cli_str(d, "state", "?"));
	snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(json_object_get(d, "cpus")));
	cli_info_line(ctx, "CPU(s)", buf);
	v = json_object_get(d, "cpu_time");
	if (json_is_number(v))
		snprintf(buf, sizeof(buf), "%.1fs", json_number_value(v));
	else
		snprintf(buf, sizeof(buf), "-");
	cli_info_line(ctx, "CPU time", buf);
	info_kib(ctx, "Max memory", json_object_get(d, "max_memory_kib"));
	info_kib(ctx, "Used memory", json_object_get(d, "used_memory_kib"));
	cli_info_line(ctx, "Persistent", json_is_true(json_object_get(d, "persistent")) ? "yes" : "no");
	cli_info_line(ctx, "Autostart",
		  json_is_true(json_object_get(d, "autostart")) ? "enable" : "disable");
	cli_info_line(ctx, "Security model", cli_str(d, "security_model", "none"));
	cli_info_line(ctx, "Security DOI", cli_str(d, "security_doi", "0"));
	/* virsh prints the label only when there is one in force. */
	if (json_is_string(json_object_get(d, "security_label")))
		cli_info_line(ctx, "Security label", cli_str(d, "security_label", ""));
	json_decref(reply);
	return 0;
}

/* The fields list --json promises; the engine may send more. */
static json_t *list_json(const json_t *domains)
{
	static const char *const keys[] = { "name", "id", "state", "reason", "persistent",
					    "autostart", "uuid" };
	json_t *arr = json_array(), *d;
	size_t i;

	for (i = 0; i < json_array_size(domains); i++) {
		d = json_array_get(domains, i);
		json_t *o = json_object();
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			json_t *v = json_object_get(d, keys[k]);
			json_object_set(o, keys[k], v != NULL ? v : json_null());
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static int width_of(const json_t *domains, const char *key, int least)
{
	int w = least;
	size_t i;
	json_t *d;

	for (i = 0; i < json_array_size(domains); i++) {
		d = json_array_get(domains, i);
		const char *s = json_string_value(json_object_get(d, key));
		if (s != NULL && (int)strlen(s) > w)
			w = (int)strlen(s);
	}
	return w;
}

/* virsh's table: a space, then each column padded to its widest cell and
 * followed by two spaces; the rule is as long as that padded row. */
static void list_table(struct cli_ctx *ctx, const json_t *domains)
{
	char ids[32];
	size_t i;
	json_t *d;
	int idw = 2, namew = width_of(domains, "name", 4), statew = width_of(domains, "state", 5);

	for (i = 0; i < json_array_size(domains); i++) {
		d = json_array_get(domains, i);
		int n = snprintf(ids, sizeof(ids), "%lld",
				 (long long)json_integer_value(json_object_get(d, "id")));
		if (n > idw)
			idw = n;
	}
	fprintf(ctx->out, " %-*s   %-*s   %s\n", idw, "Id", namew, "Name", "State");
	for (int k = 0; k < idw + namew + statew + 9; k++)
		fputc('-', ctx->out);
	fputc('\n', ctx->out);
	for (i = 0; i < json_array_size(domains); i++) {
		d = json_array_get(domains, i);
		json_t *id = json_object_get(d, "id");
		if (json_is_integer(id))
			snprintf(ids, sizeof(ids), "%lld", (long long)json_integer_value(id));
		else
			snprintf(ids, sizeof(ids), "-");
		fprintf(ctx->out, " %-*s   %-*s   %s\n", idw, ids, namew, cli_str(d, "name", "?"),
			cli_str(d, "state", "?"));
	}
	fputc('\n', ctx->out);
}

int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	json_t *reply = NULL, *domains;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "list", NULL, json_pack("{s:b}", "all", cli_flag(&a, "all")),
			  &reply) != 0)
		return 1;
	domains = json_object_get(reply, "domains");
	if (cli_flag(&a, "json")) {
		json_t *arr = list_json(domains);
		cli_print_json(ctx, arr);
		json_decref(arr);
	} else if (cli_flag(&a, "name")) {
		for (size_t i = 0; i < json_array_size(domains); i++)
			fprintf(ctx->out, "%s\n", cli_str(json_array_get(domains, i), "name", "?"));
	} else {
		list_table(ctx, domains);
	}
	json_decref(reply);
	return 0;
}

int cmd_autostart(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);
	bool enable;

	if (rc != 0)
		return rc < 0;
	enable = !cli_flag(&a, "disable");
	if (cli_domain_op(ctx, "autostart", a.pos[0], json_pack("{s:b}", "enable", enable),
			  NULL) != 0)
		return 1;
	fprintf(ctx->out, "Domain '%s' %s as autostarted\n", a.pos[0],
		enable ? "marked" : "unmarked");
	return 0;
}
