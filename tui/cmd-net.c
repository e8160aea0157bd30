/* The network verbs, worded as virsh words them: net-list, net-define,
 * net-undefine, net-start, net-destroy, net-autostart, net-dumpxml,
 * net-info, and domifaddr and domifstat for a container's interfaces. */
#include <string.h>

#include "config/network.h"
#include "lib/cleanup.h"
#include "lib/xmalloc.h"
#include "tui/cli.h"

static const char *yes_no(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key)) ? "yes" : "no";
}

#define COLS_MAX 4

struct table {
	size_t cols;
	const char *head[COLS_MAX];
	const char *(*rows)[COLS_MAX];
	size_t n;
};

/* virsh's table: a space, then each column padded to its widest cell and
 * followed by two spaces; the rule is as long as that padded row. */
static void print_table(struct cli_ctx *ctx, const struct table *t)
{
	size_t width[COLS_MAX], total = 1;

	for (size_t c = 0; c < t->cols; c++) {
		width[c] = strlen(t->head[c]);
		for (size_t r = 0; r < t->n; r++)
			if (strlen(t->rows[r][c]) > width[c])
				width[c] = strlen(t->rows[r][c]);
		total += width[c] + 3;
	}
	for (size_t c = 0; c + 1 < t->cols; c++)
		fprintf(ctx->out, " %-*s  ", (int)width[c], t->head[c]);
	fprintf(ctx->out, " %s\n", t->head[t->cols - 1]);
	for (size_t i = 0; i < total - 1; i++)
		fputc('-', ctx->out);
	fputc('\n', ctx->out);
	for (size_t r = 0; r < t->n; r++) {
		for (size_t c = 0; c + 1 < t->cols; c++)
			fprintf(ctx->out, " %-*s  ", (int)width[c], t->rows[r][c]);
		fprintf(ctx->out, " %s\n", t->rows[r][t->cols - 1]);
	}
	fputc('\n', ctx->out);
}

int cmd_net_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct table t = { .cols = 4, .head = { "Name", "State", "Autostart", "Persistent" } };
	json_t *reply = NULL, *nets, *v;
	bool inactive;
	struct cli_args a;
	size_t i;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	inactive = cli_flag(&a, "inactive");
	if (cli_domain_op(ctx, "net-list", NULL,
			  json_pack("{s:b}", "all", cli_flag(&a, "all") || inactive), &reply) != 0)
		return 1;
	nets = json_object_get(reply, "networks");
	if (inactive) {
		for (i = json_array_size(nets); i-- > 0;)
			if (json_is_true(json_object_get(json_array_get(nets, i), "active")))
				json_array_remove(nets, i);
	}
	if (cli_flag(&a, "json")) {
		cli_print_json(ctx, nets);
	} else if (cli_flag(&a, "name")) {
		for (i = 0; i < json_array_size(nets); i++) {
			v = json_array_get(nets, i);
			fprintf(ctx->out, "%s\n", cli_str(v, "name", "?"));
		}
	} else {
		t.rows = xcalloc(json_array_size(nets) + 1, sizeof(*t.rows));
		for (i = 0; i < json_array_size(nets); i++) {
			v = json_array_get(nets, i);
			t.rows[t.n][0] = cli_str(v, "name", "?");
			t.rows[t.n][1] = json_is_true(json_object_get(v, "active")) ? "active"
										 : "inactive";
			t.rows[t.n][2] = yes_no(v, "autostart");
			t.rows[t.n][3] = yes_no(v, "persistent");
			t.n++;
		}
		print_table(ctx, &t);
		free(t.rows);
	}
	json_decref(reply);
	return 0;
}

int cmd_net_define(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_define(ctx, "net-define", "Network", NET_XML_MAX, argc, argv);
}

/* A verb that names one network and answers with a sentence. */
static int simple(struct cli_ctx *ctx, int argc, char **argv, const char *op, const char *done)
{
	struct cli_args a;
	json_t *extra = NULL;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (strcmp(op, "net-destroy") == 0)
		extra = json_pack("{s:b}", "force", cli_flag(&a, "force"));
	if (cli_domain_op(ctx, op, a.pos[0], extra, NULL) != 0)
		return 1;
	fprintf(ctx->out, "Network '%s' %s\n", a.pos[0], done);
	return 0;
}

int cmd_net_undefine(struct cli_ctx *ctx, int argc, char **argv)
{
	return simple(ctx, argc, argv, "net-undefine", "has been undefined");
}

int cmd_net_start(struct cli_ctx *ctx, int argc, char **argv)
{
	return simple(ctx, argc, argv, "net-start", "started");
}

int cmd_net_destroy(struct cli_ctx *ctx, int argc, char **argv)
{
	return simple(ctx, argc, argv, "net-destroy", "destroyed");
}

int cmd_net_autostart(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_args a;
	bool enable;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	enable = !cli_flag(&a, "disable");
	if (cli_domain_op(ctx, "net-autostart", a.pos[0], json_pack("{s:b}", "enable", enable),
			  NULL) != 0)
		return 1;
	fprintf(ctx->out, "Network '%s' %s as autostarted\n", a.pos[0],
		enable ? "marked" : "unmarked");
	return 0;
}

int cmd_net_dumpxml(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dumpxml(ctx, "net-dumpxml", argc, argv);
}

static void info_strings(struct cli_ctx *ctx, const char *label, const json_t *arr)
{
	size_t len = 1, i;
	json_t *v;

	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		len += strlen(json_string_value(v) ? json_string_value(v) : "") + 1;
	}
	_cleanup_free_ char *text = xcalloc(1, len);
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		if (i > 0)
			strcat(text, " ");
		strcat(text, json_string_value(v) ? json_string_value(v) : "");
	}
	cli_info_line(ctx, label, text);
}

int cmd_net_info(struct cli_ctx *ctx, int argc, char **argv)
{
	json_t *reply = NULL, *n, *v, *leases;
	struct cli_args a;
	size_t i;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "net-info", a.pos[0], NULL, &reply) != 0)
		return 1;
	n = json_object_get(reply, "network");
	if (cli_flag(&a, "json")) {
		cli_print_json(ctx, n);
		json_decref(reply);
		return 0;
	}
	cli_info_line(ctx, "Name", cli_str(n, "name", "?"));
	cli_info_line(ctx, "UUID", cli_str(n, "uuid", "-"));
	cli_info_line(ctx, "Active", yes_no(n, "active"));
	cli_info_line(ctx, "Persistent", yes_no(n, "persistent"));
	cli_info_line(ctx, "Autostart", yes_no(n, "autostart"));
	cli_info_line(ctx, "Bridge", cli_str(n, "bridge", "-"));
	cli_info_line(ctx, "Forward", cli_str(n, "forward", "none"));
	info_strings(ctx, "Addresses", json_object_get(n, "addresses"));
	info_strings(ctx, "Domains", json_object_get(n, "domains"));
	leases = json_object_get(n, "leases");
	for (i = 0; i < json_array_size(leases); i++) {
		char text[128];
		v = json_array_get(leases, i);
		snprintf(text, sizeof(text), "%s %s (interface %lld)", cli_str(v, "address", "?"),
			 cli_str(v, "domain", "?"),
			 (long long)json_integer_value(json_object_get(v, "interface")));
		cli_info_line(ctx, "Lease", text);
	}
	json_decref(reply);
	return 0;
}

int cmd_domifaddr(struct cli_ctx *ctx, int argc, char **argv)
{
	struct table t = { .cols = 4, .head = { "Name", "MAC address", "Protocol", "Address" } };
	json_t *reply = NULL, *ifaces, *v, *addr;
	struct cli_args a;
	size_t i, k, rows = 0;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "dominfo", a.pos[0], NULL, &reply) != 0)
		return 1;
	ifaces = json_object_get(json_object_get(reply, "domain"), "interfaces");
	if (cli_flag(&a, "json")) {
		json_t *none = json_array();
		cli_print_json(ctx, ifaces != NULL ? ifaces : none);
		json_decref(none);
		json_decref(reply);
		return 0;
	}
	for (i = 0; i < json_array_size(ifaces); i++) {
		v = json_array_get(ifaces, i);
		rows += json_array_size(json_object_get(v, "addresses")) + 1;
	}
	t.rows = xcalloc(rows + 1, sizeof(*t.rows));
	/* As virsh: one row per address, the name and MAC on the first only;
	 * an interface without addresses still gets its row. */
	for (i = 0; i < json_array_size(ifaces); i++) {
		json_t *addrs;
		v = json_array_get(ifaces, i);
		addrs = json_object_get(v, "addresses");
		t.rows[t.n][0] = cli_str(v, "name", "?");
		t.rows[t.n][1] = cli_str(v, "mac", "-");
		t.rows[t.n][2] = "-";
		t.rows[t.n][3] = "";
		for (k = 0; k < json_array_size(addrs); k++) {
			const char *s;
			addr = json_array_get(addrs, k);
			s = json_string_value(addr) ? json_string_value(addr) : "";
			if (k > 0) {
				t.n++;
				t.rows[t.n][0] = "-";
				t.rows[t.n][1] = "-";
			}
			t.rows[t.n][2] = strchr(s, ':') != NULL ? "ipv6" : "ipv4";
			t.rows[t.n][3] = s;
		}
		t.n++;
	}
	print_table(ctx, &t);
	free(t.rows);
	json_decref(reply);
	return 0;
}

int cmd_domifstat(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const keys[] = { "rx_bytes", "rx_packets", "rx_errs", "rx_drop",
					    "tx_bytes", "tx_packets", "tx_errs", "tx_drop" };
	static const char *const fields[] = { "rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
					      "tx_bytes", "tx_packets", "tx_errors", "tx_dropped" };
	json_t *reply = NULL, *ifaces, *v;
	struct cli_args a;
	size_t i;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, "domifstat", a.pos[0], NULL, &reply) != 0)
		return 1;
	ifaces = json_object_get(reply, "interfaces");
	if (cli_flag(&a, "json")) {
		cli_print_json(ctx, ifaces);
		json_decref(reply);
		return 0;
	}
	/* virsh's lines: "eth0 rx_bytes 1234", its names for the counters. */
	for (i = 0; i < json_array_size(ifaces); i++) {
		v = json_array_get(ifaces, i);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			fprintf(ctx->out, "%s %s %lld\n", cli_str(v, "name", "?"), keys[k],
				(long long)json_integer_value(json_object_get(v, fields[k])));
	}
	json_decref(reply);
	return 0;
}
