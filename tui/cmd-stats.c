/* corral stats, suspend and resume: cgroup statistics as a live table like
 * `docker stats` (or JSON lines), and freezing and thawing a container. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/paths.h"
#include "engine/client.h"
#include "engine/proto.h"
#include "lib/error.h"
#include "tui/cli.h"

/* Wide enough for "1023.9GiB / 1023.9GiB". */
#define CELL 32

struct stats_opts {
	bool json, once;
	int interval_ms; /* 0: every sample the engine sends */
	char **names;
	int n_names;
};

static int connect_engine(struct cli_ctx *ctx, struct client **out, struct error *err)
{
	struct paths p = { 0 };
	int rc;

	if (paths_init(&p, ctx->root, err) < 0)
		return -1;
	rc = client_connect(&p, ctx->uri, true, out, err);
	paths_free(&p);
	return rc < 0 ? err_prefix(err, "failed to connect to the engine") : 0;
}

/* -1 for null (the host cannot tell). */
static double num(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(json_object_get(o, a), b);

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* Memory in binary units, as docker prints it ("12.5MiB"). */
static void fmt_bin(char *buf, size_t len, double v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	if (v < 0) {
		snprintf(buf, len, "--");
		return;
	}
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.4g%s", v, units[u]);
}

/* Transfers in decimal units, as docker prints them ("1.05MB"). */
static void fmt_dec(char *buf, size_t len, double v)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	size_t u = 0;

	if (v < 0) {
		snprintf(buf, len, "--");
		return;
	}
	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g%s", v, units[u]);
}

static double host_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (double)pages * (double)size : -1;
}

static void print_table(FILE *out, const json_t *samples, bool clear)
{
	double host_mem = host_memory();
	int w = 4;
	size_t i;
	json_t *s;

	json_array_foreach (samples, i, s) {
		int n = (int)strlen(json_string_value(json_object_get(s, "name")));
		w = n > w ? n : w;
	}
	if (clear)
		fputs("\033[H\033[2J", out);
	fprintf(out, "%-*s  %7s  %-21s  %6s  %5s  %-17s  %s\n", w, "NAME", "CPU %",
		"MEM USAGE / LIMIT", "MEM %", "PIDS", "BLOCK I/O", "NET I/O");
	json_array_foreach (samples, i, s) {
		char cpu[CELL], used[CELL], limit[CELL], mem[2 * CELL + 4], pct[CELL], pids[CELL];
		char rd[CELL], wr[CELL], blk[2 * CELL + 4], net[2 * CELL + 4];
		double u = num(s, "memory", "used"), l = num(s, "memory", "limit");
		double c = num(s, "cpu", "percent"), p = num(s, "pids", "current");
		const json_t *n = json_object_get(s, "net");

		/* An unlimited container may use the host's memory, as docker shows. */
		if (l < 0)
			l = host_mem;
		snprintf(cpu, sizeof(cpu), c < 0 ? "--" : "%.2f%%", c);
		fmt_bin(used, sizeof(used), u);
		fmt_bin(limit, sizeof(limit), l);
		snprintf(mem, sizeof(mem), "%s / %s", used, limit);
		snprintf(pct, sizeof(pct), u < 0 || l <= 0 ? "--" : "%.2f%%", u * 100 / l);
		snprintf(pids, sizeof(pids), p < 0 ? "--" : "%.0f", p);
		fmt_dec(rd, sizeof(rd), num(s, "blkio", "read_bytes"));
		fmt_dec(wr, sizeof(wr), num(s, "blkio", "write_bytes"));
		snprintf(blk, sizeof(blk), "%s / %s", rd, wr);
		if (json_is_object(n)) {
			fmt_dec(rd, sizeof(rd), num(s, "net", "rx_bytes"));
			fmt_dec(wr, sizeof(wr), num(s, "net", "tx_bytes"));
			snprintf(net, sizeof(net), "%s / %s", rd, wr);
		} else {
			snprintf(net, sizeof(net), "--");
		}
		fprintf(out, "%-*s  %7s  %-21s  %6s  %5s  %-17s  %s\n", w,
			json_string_value(json_object_get(s, "name")), cpu, mem, pct, pids, blk, net);
	}
}

static void print_samples(struct cli_ctx *ctx, const struct stats_opts *o, const json_t *samples,
			  bool tty)
{
	size_t i;
	json_t *s;

	if (o->json) {
		/* 15 digits print what the engine measured without binary noise. */
		json_array_foreach (samples, i, s) {
			json_dumpf(s, ctx->out, JSON_COMPACT | JSON_PRESERVE_ORDER |
							JSON_REAL_PRECISION(15));
			fputc('\n', ctx->out);
		}
	} else {
		print_table(ctx->out, samples, tty);
		if (!tty && !o->once)
			fputc('\n', ctx->out);
	}
	fflush(ctx->out);
}

static json_t *names_json(const struct stats_opts *o)
{
	json_t *arr = json_array();

	for (int i = 0; i < o->n_names; i++)
		json_array_append_new(arr, json_string(o->names[i]));
	return arr;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Follows the engine's stream until the engine goes away (or a signal). */
static int stats_live(struct cli_ctx *ctx, const struct stats_opts *o, struct client *c,
		      struct error *err)
{
	bool tty = isatty(fileno(ctx->out));
	json_t *req = proto_request(0, "watch"), *reply = NULL, *latest = NULL;
	long long next = 0; /* with --interval: when to print next; the first at once */
	int rc;

	if (o->n_names > 0)
		json_object_set_new(req, "names", names_json(o));
	json_object_set_new(req, "history", json_integer(0));
	rc = client_call(c, req, &reply, err);
	json_decref(req);
	json_decref(reply);
	if (rc < 0)
		return -1;
	for (;;) {
		int wait = -1;
		json_t *ev = NULL;

		if (o->interval_ms > 0 && next > 0) {
			long long left = next - mono_ms();
			wait = left > 0 ? (int)left : 0;
		}
		rc = client_next_event(c, wait, &ev, err);
		if (rc < 0)
			break;
		if (rc == 1) {
			const char *name = json_string_value(json_object_get(ev, "event"));
			if (name != NULL && strcmp(name, "stats") == 0) {
				json_decref(latest);
				latest = json_incref(json_object_get(ev, "samples"));
			}
			json_decref(ev);
		}
		if (latest == NULL || (o->interval_ms > 0 && next > mono_ms()))
			continue;
		print_samples(ctx, o, latest, tty);
		if (o->interval_ms > 0) {
			next = next == 0 ? mono_ms() + o->interval_ms : next + o->interval_ms;
			/* Late (the terminal was slow): no burst to catch up. */
			if (next < mono_ms())
				next = mono_ms() + o->interval_ms;
		} else {
			json_decref(latest);
			latest = NULL;
		}
	}
	json_decref(latest);
	return -1;
}

int cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "once", no_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct stats_opts o = { 0 };
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "joi:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			o.json = true;
			break;
		case 'o':
			o.once = true;
			break;
		case 'i': {
			char *end;
			double s = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(s >= 0.05 && s <= 3600))
				return cli_error(ctx, "stats: --interval '%s': give seconds between "
						      "0.05 and 3600",
						 optarg);
			o.interval_ms = (int)(s * 1000 + 0.5);
			break;
		}
		case 'h':
			fprintf(ctx->out, "usage: corral stats [NAME...] [--json] [--once] "
					  "[--interval S]\n");
			return 0;
		default:
			return cli_error(ctx, "stats: unknown option (try 'corral stats --help')");
		}
	}
	o.names = argv + optind;
	o.n_names = argc - optind;
	if (connect_engine(ctx, &c, &err) < 0)
		goto fail;
	if (o.once) {
		json_t *req = proto_request(0, "stats"), *reply = NULL;
		if (o.n_names > 0)
			json_object_set_new(req, "names", names_json(&o));
		rc = client_call(c, req, &reply, &err);
		json_decref(req);
		if (rc < 0)
			goto fail;
		print_samples(ctx, &o, json_object_get(reply, "samples"), false);
		json_decref(reply);
		client_free(c);
		return 0;
	}
	stats_live(ctx, &o, c, &err);
fail:
	client_free(c);
	rc = cli_error(ctx, "%s", err_msg(&err));
	err_clear(&err);
	return rc;
}

static int freeze_op(struct cli_ctx *ctx, int argc, char **argv, const char *op,
		     const char *done)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	json_t *req, *reply = NULL;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_error(ctx, "%s: give one domain name (corral %s NAME)", op, op);
	if (connect_engine(ctx, &c, &err) < 0)
		goto fail;
	req = proto_request(0, op);
	json_object_set_new(req, "name", json_string(argv[1]));
	rc = client_call(c, req, &reply, &err);
	json_decref(req);
	json_decref(reply);
	if (rc < 0)
		goto fail;
	client_free(c);
	fprintf(ctx->out, "Domain '%s' %s\n", argv[1], done);
	return 0;
fail:
	client_free(c);
	rc = cli_error(ctx, "%s", err_msg(&err));
	err_clear(&err);
	return rc;
}

int cmd_suspend(struct cli_ctx *ctx, int argc, char **argv)
{
	return freeze_op(ctx, argc, argv, "suspend", "suspended");
}

int cmd_resume(struct cli_ctx *ctx, int argc, char **argv)
{
	return freeze_op(ctx, argc, argv, "resume", "resumed");
}
