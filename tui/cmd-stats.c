/* corral stats, suspend and resume: cgroup statistics as a live table like
 * `docker stats` (or JSON lines), and freezing and thawing a container. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

	for (i = 0; i < json_array_size(samples) && (s = json_array_get(samples, i)) != NULL; i++) {
		int n = (int)strlen(json_string_value(json_object_get(s, "name")));
		w = n > w ? n : w;
	}
	if (clear)
		fputs("\033[H\033[2J", out);
	fprintf(out, "%-*s  %7s  %-21s  %6s  %5s  %-17s  %s\n", w, "NAME", "CPU %",
		"MEM USAGE / LIMIT", "MEM %", "PIDS", "BLOCK I/O", "NET I/O");
	for (i = 0; i < json_array_size(samples) && (s = json_array_get(samples, i)) != NULL; i++) {
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
		for (i = 0; i < json_array_size(samples) &&
			    (s = json_array_get(samples, i)) != NULL; i++) {
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
	struct stats_opts o = { 0 };
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	o.json = cli_flag(&a, "json");
	o.once = cli_flag(&a, "once");
	o.names = a.pos;
	o.n_names = a.npos;
	if (cli_duration_ms(&a, "interval", 0, &o.interval_ms, &err) < 0)
		return cli_fail(ctx, &err);
	if (cli_value(&a, "interval") != NULL && o.interval_ms < 50)
		return cli_error(ctx, "--interval: give at least 0.05 seconds");
	if (cli_connect(ctx, &c, &err) < 0)
		return cli_fail(ctx, &err);
	if (o.once) {
		json_t *req = proto_request(0, "stats"), *reply = NULL;
		if (o.n_names > 0)
			json_object_set_new(req, "names", names_json(&o));
		rc = client_call(c, req, &reply, &err);
		json_decref(req);
		if (rc == 0) {
			print_samples(ctx, &o, json_object_get(reply, "samples"), false);
			json_decref(reply);
		}
	} else {
		rc = stats_live(ctx, &o, c, &err);
	}
	client_free(c);
	return rc < 0 ? cli_fail(ctx, &err) : 0;
}

static int freeze_op(struct cli_ctx *ctx, int argc, char **argv, const char *op,
		     const char *done)
{
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_domain_op(ctx, op, a.pos[0], NULL, NULL) != 0)
		return 1;
	fprintf(ctx->out, "Domain '%s' %s\n", a.pos[0], done);
	return 0;
}

int cmd_suspend(struct cli_ctx *ctx, int argc, char **argv)
{
	return freeze_op(ctx, argc, argv, "suspend", "suspended");
}

int cmd_resume(struct cli_ctx *ctx, int argc, char **argv)
{
	return freeze_op(ctx, argc, argv, "resume", "resumed");
}
