/* The engine's statistics: one timer samples every running container, the
 * stats op answers with the newest samples, and watch clients get a stream
 * of history, samples and domain list changes. */
#include "engine/ops-stats.h"
#include "engine/networks.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/paths.h"
#include "engine/cgroup.h"
#include "engine/loop.h"
#include "engine/proto.h"
#include "engine/registry.h"
#include "engine/sampler.h"
#include "engine/server.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* History goes out a container at a time while the client has less than
 * this unread, so that a full 10 minutes for 200 containers (tens of MiB of
 * JSON) never meets the server's output cap, and other clients are served
 * in between. */
#define HISTORY_HIGH_WATER (1u << 20)
#define HISTORY_KICK_MS 5

struct watcher {
	struct srv_conn *conn;
	json_t *names;  /* array of strings, or NULL for every container */
	size_t history; /* samples per container in the history events */
	char **todo;    /* containers whose history is still to send */
	size_t n_todo, next_todo;
	bool started; /* sent its first event */
	struct watcher *next;
};

struct ost {
	struct loop *loop;
	struct registry *reg;
	struct networks *nets; /* interface counters; may be NULL */
	struct cg_host host;
	bool have_host;
	struct sampler *sampler;
	struct loop_source *timer;
	struct loop_source *kick; /* while history is pending */
	struct watcher *watchers;
	json_t *last_domains; /* the list as watchers last got it */
};

static void on_tick(struct loop *l, uint64_t expirations, void *data);

int ost_new(struct loop *l, const struct paths *p, struct registry *reg, struct networks *nets,
	    unsigned interval_ms, struct ost **out, struct error *err)
{
	struct ost *st = xcalloc(1, sizeof(*st));

	st->loop = l;
	st->reg = reg;
	st->nets = nets;
	if (cg_detect("/sys/fs/cgroup", &st->host, err) < 0) {
		log_warn("no statistics: %s", err_msg(err));
		err_clear(err);
	} else {
		st->have_host = true;
	}
	st->sampler = sampler_new(&st->host, p->cgroup_name, STAT_HISTORY_DEFAULT);
	/* Limits and pressure averages about every 10 s, whatever the interval. */
	sampler_set_slow_every(st->sampler, interval_ms >= 10000 ? 1 : 10000 / interval_ms);
	if (loop_add_timer(l, interval_ms, on_tick, st, &st->timer, err) < 0) {
		ost_free(st);
		return err_prefix(err, "statistics timer");
	}
	log_debug("sampling every %u ms (%s cgroups)", interval_ms,
		  cg_layout_name(st->host.layout));
	*out = st;
	return 0;
}

static void watcher_free(struct watcher *w)
{
	srv_conn_unref(w->conn);
	json_decref(w->names);
	for (size_t i = 0; i < w->n_todo; i++)
		free(w->todo[i]);
	free(w->todo);
	free(w);
}

void ost_free(struct ost *st)
{
	if (st == NULL)
		return;
	while (st->watchers != NULL) {
		struct watcher *w = st->watchers;
		st->watchers = w->next;
		watcher_free(w);
	}
	if (st->timer != NULL)
		loop_remove(st->loop, st->timer);
	if (st->kick != NULL)
		loop_remove(st->loop, st->kick);
	json_decref(st->last_domains);
	sampler_free(st->sampler);
	if (st->have_host)
		cg_host_free(&st->host);
	free(st);
}

/* --- JSON --- */

static json_t *u64_json(uint64_t v)
{
	if (v == CG_UNKNOWN || v == CG_UNLIMITED || v > (uint64_t)INT64_MAX)
		return json_null();
	return json_integer((json_int_t)v);
}

static json_t *rate_json(double v)
{
	return v == STAT_RATE_UNKNOWN ? json_null() : json_real(v);
}

static void psi_line(json_t *o, const char *kind, const struct cg_psi_line *l, bool known)
{
	static const char *const keys[] = { "avg10", "avg60", "avg300", "total_us" };
	const double avg[] = { l->avg10, l->avg60, l->avg300 };
	char key[32];

	for (size_t i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s_%s", kind, keys[i]);
		if (!known)
			json_object_set_new(o, key, json_null());
		else if (i < 3)
			json_object_set_new(o, key, json_real(avg[i]));
		else
			json_object_set_new(o, key, u64_json(l->total_us));
	}
}

static json_t *psi_json(const struct cg_psi *p)
{
	json_t *o;

	if (!p->known)
		return json_null();
	o = json_object();
	psi_line(o, "some", &p->some, true);
	psi_line(o, "full", &p->full, p->has_full);
	return o;
}

static json_t *net_json(const struct stat_sample *s)
{
	if (!s->has_net)
		return json_null();
	return json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "rx_bytes", (json_int_t)s->net.rx_bytes,
			 "tx_bytes", (json_int_t)s->net.tx_bytes, "rx_packets",
			 (json_int_t)s->net.rx_packets, "tx_packets", (json_int_t)s->net.tx_packets,
			 "rx_bps", rate_json(s->rx_bps), "tx_bps", rate_json(s->tx_bps));
}

json_t *ost_sample_json(const char *name, const struct stat_sample *s)
{
	const struct cg_stats *c = &s->st;

	return json_pack(
		"{s:s, s:f,"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o},"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o},"
		" s:{s:o, s:o},"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o},"
		" s:o, s:{s:o, s:o, s:o}}",
		"name", name, "time", s->time,
		"cpu", "percent", rate_json(s->cpu_pct), "percent_host", rate_json(s->cpu_pct_host),
		"usage_ns", u64_json(c->cpu_usage_ns), "user_ns", u64_json(c->cpu_user_ns),
		"system_ns", u64_json(c->cpu_system_ns), "throttled_ns", u64_json(c->cpu_throttled_ns),
		"throttled_periods", u64_json(c->cpu_nr_throttled),
		"memory", "used", u64_json(c->mem_used), "limit", u64_json(c->mem_limit), "cache",
		u64_json(c->mem_cache), "rss", u64_json(c->mem_rss), "swap", u64_json(c->mem_swap),
		"max_used", u64_json(c->mem_max_used), "oom_kills", u64_json(c->mem_oom_kills),
		"pids", "current", u64_json(c->pids_current), "max", u64_json(c->pids_max),
		"blkio", "read_bytes", u64_json(c->blk_read_bytes), "write_bytes",
		u64_json(c->blk_write_bytes), "read_ops", u64_json(c->blk_read_ops), "write_ops",
		u64_json(c->blk_write_ops), "read_bps", rate_json(s->read_bps), "write_bps",
		rate_json(s->write_bps),
		"net", net_json(s), "pressure", "cpu", psi_json(&c->psi_cpu), "memory", psi_json(&c->psi_memory),
		"io", psi_json(&c->psi_io));
}

static bool wanted(const json_t *names, const char *name)
{
	size_t i;
	json_t *v;

	if (names == NULL)
		return true;
	for (i = 0; i < json_array_size(names) && (v = json_array_get(names, i)) != NULL; i++)
		if (strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

/* --- sampling --- */

const struct stat_sample *ost_latest(const struct ost *st, const char *name)
{
	const struct stat_hist *h = sampler_history(st->sampler, name);

	return h != NULL ? stat_hist_latest(h) : NULL;
}

/* The container's interface counters summed, false when it has none of
 * its own (or they cannot be read this round). */
static bool net_counters(struct ost *st, const struct reg_domain *d, struct stat_net *out)
{
	struct error err = ERROR_INIT;
	json_t *arr = NULL, *v;
	size_t i;

	if (st->nets == NULL || d->def->n_interfaces == 0)
		return false;
	if (nets_domain_stats(st->nets, d->def, &arr, &err) < 0) {
		log_debug("'%s': %s", d->def->name, err_msg(&err));
		err_clear(&err);
		return false;
	}
	memset(out, 0, sizeof(*out));
	json_array_foreach(arr, i, v) {
		out->rx_bytes += (uint64_t)json_integer_value(json_object_get(v, "rx_bytes"));
		out->tx_bytes += (uint64_t)json_integer_value(json_object_get(v, "tx_bytes"));
		out->rx_packets += (uint64_t)json_integer_value(json_object_get(v, "rx_packets"));
		out->tx_packets += (uint64_t)json_integer_value(json_object_get(v, "tx_packets"));
	}
	json_decref(arr);
	return true;
}

static void sample_one(struct ost *st, const struct reg_domain *d)
{
	struct error err = ERROR_INIT;
	struct stat_net net;
	bool has_net = net_counters(st, d, &net);
	int rc = sampler_sample(st->sampler, d->def->name, d->id, has_net ? &net : NULL, &err);

	/* Between a start and the monitor making the group, and between the
	 * group's removal and the monitor's last word, there is nothing to read. */
	if (rc == -ENOENT)
		log_debug("'%s': %s", d->def->name, err_msg(&err));
	else if (rc < 0)
		log_warn("statistics of '%s': %s", d->def->name, err_msg(&err));
	err_clear(&err);
}

static bool send_or_drop(struct ost *st, struct watcher *w, json_t *msg);

static double realtime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1e3;
}

static void on_tick(struct loop *l, uint64_t expirations, void *data)
{
	struct ost *st = data;
	double now = realtime_now();
	json_t *all;

	if (!st->have_host)
		return;
	for (size_t i = 0; i < reg_active_count(st->reg); i++)
		sample_one(st, reg_active_at(st->reg, i));
	sampler_end(st->sampler);
	if (st->watchers == NULL)
		return;
	all = json_array();
	for (size_t i = 0; i < reg_active_count(st->reg); i++) {
		const struct reg_domain *d = reg_active_at(st->reg, i);
		const struct stat_sample *s = ost_latest(st, d->def->name);
		if (s != NULL)
			json_array_append_new(all, ost_sample_json(d->def->name, s));
	}
	for (struct watcher *w = st->watchers, *next; w != NULL; w = next) {
		json_t *samples = all, *v;
		size_t i;

		next = w->next;
		/* Its first events are the history, which will hold this sample. */
		if (!w->started)
			continue;
		if (w->names != NULL) {
			samples = json_array();
			for (i = 0; i < json_array_size(all) &&
				    (v = json_array_get(all, i)) != NULL; i++)
				if (wanted(w->names, json_string_value(json_object_get(v, "name"))))
					json_array_append(samples, v);
		} else {
			json_incref(samples);
		}
		send_or_drop(st, w,
			     proto_event("stats", json_pack("{s:f, s:o}", "time", now, "samples",
							    samples)));
	}
	json_decref(all);
}

/* --- watch streams --- */

static void unlink_watcher(struct ost *st, struct watcher *w)
{
	for (struct watcher **pp = &st->watchers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	watcher_free(w);
}

/* False when the client was gone or dropped for not reading: w is freed. */
static bool send_or_drop(struct ost *st, struct watcher *w, json_t *msg)
{
	if (srv_send(w->conn, msg))
		return true;
	log_debug("watch client gone");
	unlink_watcher(st, w);
	return false;
}

static json_t *history_json(const struct ost *st, const char *name, size_t max)
{
	const struct stat_hist *h = sampler_history(st->sampler, name);
	json_t *arr = json_array();
	size_t len = h != NULL ? h->len : 0;

	for (size_t i = len > max ? len - max : 0; i < len; i++)
		json_array_append_new(arr, ost_sample_json(name, stat_hist_at(h, i)));
	return proto_event("history", json_pack("{s:s, s:o}", "name", name, "samples", arr));
}

/* Sends what history a client can take now; true when some is left. */
static bool watcher_history(struct ost *st, struct watcher *w)
{
	while (w->next_todo < w->n_todo) {
		if (w->started && srv_conn_pending(w->conn) >= HISTORY_HIGH_WATER)
			return true;
		const char *name = w->todo[w->next_todo++];
		struct reg_domain *d = reg_lookup(st->reg, name);
		/* Gone meanwhile: the domains event tells. */
		if (d == NULL || !reg_is_active(d))
			continue;
		w->started = true;
		if (!send_or_drop(st, w, history_json(st, name, w->history)))
			return false;
	}
	/* Nothing was running: stats events may start. */
	w->started = true;
	return false;
}

static void on_kick(struct loop *l, uint64_t expirations, void *data)
{
	struct ost *st = data;
	bool more = false;

	for (struct watcher *w = st->watchers, *next; w != NULL; w = next) {
		next = w->next;
		if (w->next_todo < w->n_todo || !w->started) {
			/* watcher_history may drop w. */
			bool left = watcher_history(st, w);
			more = more || left;
		}
	}
	if (!more) {
		loop_remove(st->loop, st->kick);
		st->kick = NULL;
	}
}

static json_t *domain_list(const struct ost *st)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < reg_count(st->reg); i++)
		json_array_append_new(arr, ops_list_entry(reg_at(st->reg, i)));
	return arr;
}

void ost_domains_changed(struct ost *st)
{
	json_t *now;

	if (st == NULL || st->watchers == NULL)
		return;
	now = domain_list(st);
	if (st->last_domains != NULL && json_equal(now, st->last_domains)) {
		json_decref(now);
		return;
	}
	json_decref(st->last_domains);
	st->last_domains = now;
	for (struct watcher *w = st->watchers, *next; w != NULL; w = next) {
		next = w->next;
		send_or_drop(st, w,
			     proto_event("domains", json_pack("{s:O}", "domains", now)));
	}
}

/* --- operations --- */

/* "names": absent, or an array of names of existing domains. */
static int names_arg(struct ops_ctx *ctx, json_t *req, json_t **out, struct error *err)
{
	json_t *names = json_object_get(req, "names"), *v;
	size_t i;

	*out = NULL;
	if (names == NULL || json_is_null(names))
		return 0;
	if (!json_is_array(names)) {
		err_set(err, 0, "\"names\" must be an array of domain names");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(names) && (v = json_array_get(names, i)) != NULL; i++) {
		if (!json_is_string(v)) {
			err_set(err, 0, "\"names\" must be an array of domain names");
			return -EINVAL;
		}
		if (reg_lookup(ctx->reg, json_string_value(v)) == NULL) {
			err_set(err, 0, "domain '%s' not found", json_string_value(v));
			return -ENOENT;
		}
	}
	*out = names;
	return 0;
}

/* The newest sample, taken now when the container has none yet (it has
 * just started). */
static const struct stat_sample *latest_or_now(struct ost *st, const struct reg_domain *d)
{
	const struct stat_sample *s = ost_latest(st, d->def->name);

	if (s == NULL && st->have_host) {
		sample_one(st, d);
		s = ost_latest(st, d->def->name);
	}
	return s;
}

int ost_stats(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct ost *st = ctx->stats;
	json_t *names, *samples, *v;
	size_t i;
	int rc = names_arg(ctx, req, &names, err);

	if (rc < 0)
		return rc;
	samples = json_array();
	if (names == NULL) {
		for (i = 0; i < reg_count(ctx->reg); i++) {
			const struct reg_domain *d = reg_at(ctx->reg, i);
			const struct stat_sample *s = reg_is_active(d) ? latest_or_now(st, d) : NULL;
			if (s != NULL)
				json_array_append_new(samples, ost_sample_json(d->def->name, s));
		}
	}
	for (i = 0; i < json_array_size(names) && (v = json_array_get(names, i)) != NULL; i++) {
		const struct reg_domain *d = reg_lookup(ctx->reg, json_string_value(v));
		const struct stat_sample *s;

		if (!reg_is_active(d)) {
			json_decref(samples);
			err_set(err, 0, "'%s' is not running", d->def->name);
			return -EBUSY;
		}
		s = latest_or_now(st, d);
		if (s == NULL) {
			json_decref(samples);
			err_set(err, 0, "'%s' has no statistics (no cgroup to read)", d->def->name);
			return -EBUSY;
		}
		json_array_append_new(samples, ost_sample_json(d->def->name, s));
	}
	json_object_set_new(reply, "samples", samples);
	return 0;
}

int ost_watch(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	      struct error *err)
{
	struct ost *st = ctx->stats;
	json_t *names, *hv = json_object_get(req, "history");
	struct watcher *w;
	int rc = names_arg(ctx, req, &names, err);

	if (rc < 0)
		return rc;
	if (hv != NULL && (!json_is_integer(hv) || json_integer_value(hv) < 0)) {
		err_set(err, 0, "\"history\" must be a number of samples (0 or more)");
		return -EINVAL;
	}
	w = xcalloc(1, sizeof(*w));
	w->conn = srv_conn_ref(conn);
	w->names = json_incref(names);
	w->history = hv != NULL ? (size_t)json_integer_value(hv) : STAT_HISTORY_DEFAULT;
	w->todo = xcalloc(reg_count(ctx->reg) + 1, sizeof(*w->todo));
	for (size_t i = 0; w->history > 0 && i < reg_count(ctx->reg); i++) {
		const struct reg_domain *d = reg_at(ctx->reg, i);
		if (reg_is_active(d) && wanted(names, d->def->name))
			w->todo[w->n_todo++] = xstrdup(d->def->name);
	}
	w->next = st->watchers;
	st->watchers = w;
	/* What the client is about to learn with list; changes are told from
	 * here on. */
	json_decref(st->last_domains);
	st->last_domains = domain_list(st);
	/* The reply goes out when we return; the history right after it. */
	if (st->kick == NULL &&
	    loop_add_timer(st->loop, HISTORY_KICK_MS, on_kick, st, &st->kick, err) < 0) {
		st->watchers = w->next;
		watcher_free(w);
		return -EIO;
	}
	*now = proto_reply_ok(id);
	return 0;
}
