/* The TUI's data: containers, their sample history and alarms, host load. */
#include "tui/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config/paths.h"
#include "lib/cleanup.h"
#include "lib/xmalloc.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->host.cpu_pct = NAN;
	m->host.cgroup = "?";
}

static void ct_free(struct ct *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c);
}

void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++)
		ct_free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

struct ct *model_find(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i]->name, name) == 0)
			return m->v[i];
	return NULL;
}

bool model_is_running(const struct ct *c)
{
	return strcmp(c->state, "running") == 0 || strcmp(c->state, "paused") == 0;
}

size_t model_running(const struct model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += model_is_running(m->v[i]);
	return n;
}

void model_clear_stopped(struct ct *c)
{
	c->cpu_pct = c->mem_used = c->pids = NAN;
	c->rx_bps = c->tx_bps = c->rd_bps = c->wr_bps = NAN;
	c->started = 0;
	c->have_base = false;
	c->pids_at_max = false;
}

static struct ct *ct_new(const char *name)
{
	struct ct *c = xcalloc(1, sizeof(*c));

	c->name = xstrdup(name);
	c->id = -1;
	c->mem_limit = c->pids_max = NAN;
	model_clear_stopped(c);
	return c;
}

static void raise_alarm(struct ct *c, enum alarm_kind kind, double when, long long count)
{
	if (c->n_alarms == MODEL_ALARMS) {
		memmove(c->alarms, c->alarms + 1, sizeof(c->alarms[0]) * (MODEL_ALARMS - 1));
		c->n_alarms--;
	}
	c->alarms[c->n_alarms++] = (struct alarm){ kind, when, count };
}

static bool is_crashed(const char *state, const char *reason)
{
	return strcmp(state, "crashed") == 0 || strcmp(reason, "crashed") == 0;
}

/* Truncates: states and reasons are short words, host names are capped. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src != NULL ? strnlen(src, size - 1) : 0;

	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Fills c from one list entry; true when something shown changed. */
static bool apply_entry(struct ct *c, json_t *e, bool news, double now)
{
	const char *state = json_string_value(json_object_get(e, "state"));
	const char *reason = json_string_value(json_object_get(e, "reason"));
	json_t *id = json_object_get(e, "id");
	long long newid = json_is_integer(id) ? json_integer_value(id) : -1;
	bool was_crashed = is_crashed(c->state, c->reason);
	bool changed = false;

	state = state != NULL ? state : "unknown";
	reason = reason != NULL ? reason : "";
	if (strcmp(c->state, state) != 0 || strcmp(c->reason, reason) != 0 || c->id != newid)
		changed = true;
	copy_str(c->state, sizeof(c->state), state);
	copy_str(c->reason, sizeof(c->reason), reason);
	if (newid != c->id && newid >= 0)
		c->started = 0; /* a new run: the caller reloads the start time */
	c->id = newid;
	if (news && !was_crashed && is_crashed(state, reason))
		raise_alarm(c, ALARM_CRASH, now, 1);
	bool persistent = json_is_true(json_object_get(e, "persistent"));
	bool autostart = json_is_true(json_object_get(e, "autostart"));
	changed |= persistent != c->persistent || autostart != c->autostart;
	c->persistent = persistent;
	c->autostart = autostart;
	copy_str(c->uuid, sizeof(c->uuid), json_string_value(json_object_get(e, "uuid")));
	if (!model_is_running(c))
		model_clear_stopped(c);
	return changed;
}

bool model_apply_domains(struct model *m, json_t *domains, double now)
{
	size_t i, k;
	json_t *e;
	bool changed = false;

	if (!json_is_array(domains))
		return false;
	for (i = 0; i < m->n; i++)
		m->v[i]->seen = false;
	/* Plain loops: cppcheck cannot expand json_array_foreach. */
	for (i = 0; i < json_array_size(domains); i++) {
		e = json_array_get(domains, i);
		const char *name = json_string_value(json_object_get(e, "name"));
		if (name == NULL)
			continue;
		struct ct *c = model_find(m, name);
		bool news = m->loaded && c != NULL;
		if (c == NULL) {
			c = ct_new(name);
			m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
			m->v[m->n++] = c;
			changed = true;
		}
		changed |= apply_entry(c, e, news, now);
		c->seen = true;
	}
	for (i = k = 0; i < m->n; i++) {
		if (m->v[i]->seen) {
			m->v[k++] = m->v[i];
		} else {
			ct_free(m->v[i]);
			changed = true;
		}
	}
	m->n = k;
	m->loaded = true;
	return changed;
}

/* A number at a path of object keys, NAN when absent or null. */
static double num_at(json_t *o, const char *k1, const char *k2)
{
	json_t *v = json_object_get(o, k1);

	if (k2 != NULL)
		v = json_object_get(v, k2);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void hist_push(struct ct *c, double t, const double *vals)
{
	size_t at;

	if (c->hist_n < MODEL_HISTORY) {
		at = (c->hist_head + c->hist_n) % MODEL_HISTORY;
		c->hist_n++;
	} else {
		at = c->hist_head;
		c->hist_head = (c->hist_head + 1) % MODEL_HISTORY;
	}
	c->hist_t[at] = t;
	for (int s = 0; s < SER_N; s++)
		c->hist[s][at] = (float)vals[s];
}

/* Counters that grew since the previous sample become alarms; the first
 * sample only sets the baseline, since what happened before is not news. */
static void detect_alarms(struct ct *c, json_t *sample, double t)
{
	double oom = num_at(sample, "memory", "oom_kills");
	double thr = num_at(sample, "cpu", "throttled_periods");
	bool at_max = !isnan(c->pids) && !isnan(c->pids_max) && c->pids_max > 0 &&
		      c->pids >= c->pids_max;

	if (c->have_base) {
		if (!isnan(oom) && !isnan(c->base_oom) && oom > c->base_oom)
			raise_alarm(c, ALARM_OOM, t, (long long)(oom - c->base_oom));
		if (!isnan(thr) && !isnan(c->base_throttled) && thr > c->base_throttled)
			raise_alarm(c, ALARM_THROTTLE, t, (long long)(thr - c->base_throttled));
	}
	if (at_max && !c->pids_at_max)
		raise_alarm(c, ALARM_PIDS, t, 1);
	c->pids_at_max = at_max;
	c->base_oom = oom;
	c->base_throttled = thr;
	c->have_base = true;
}

void model_apply_sample(struct model *m, const char *name, json_t *sample)
{
	double t = num_at(sample, "time", NULL);

	if (name == NULL)
		name = json_string_value(json_object_get(sample, "name"));
	struct ct *c = name != NULL ? model_find(m, name) : NULL;
	if (c == NULL || isnan(t) || t <= c->last_time)
		return;
	c->last_time = t;
	c->cpu_pct = num_at(sample, "cpu", "percent");
	c->mem_used = num_at(sample, "memory", "used");
	c->mem_limit = num_at(sample, "memory", "limit");
	/* cgroups report "no limit" as a number near 2^63. */
	if (!isnan(c->mem_limit) && c->mem_limit >= 0x1p60)
		c->mem_limit = NAN;
	c->pids = num_at(sample, "pids", "current");
	c->pids_max = num_at(sample, "pids", "max");
	c->rx_bps = num_at(sample, "net", "rx_bps");
	c->tx_bps = num_at(sample, "net", "tx_bps");
	c->rd_bps = num_at(sample, "blkio", "read_bps");
	c->wr_bps = num_at(sample, "blkio", "write_bps");
	double vals[SER_N] = { [SER_CPU] = c->cpu_pct,  [SER_MEM] = c->mem_used,
			       [SER_NET_RX] = c->rx_bps, [SER_NET_TX] = c->tx_bps,
			       [SER_BLK_R] = c->rd_bps,  [SER_BLK_W] = c->wr_bps };
	hist_push(c, t, vals);
	detect_alarms(c, sample, t);
}

bool model_apply_event(struct model *m, json_t *ev, double now)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	json_t *samples = json_object_get(ev, "samples");
	size_t i;

	if (kind == NULL)
		return false;
	if (strcmp(kind, "domains") == 0)
		return model_apply_domains(m, json_object_get(ev, "domains"), now);
	if (strcmp(kind, "history") == 0) {
		const char *name = json_string_value(json_object_get(ev, "name"));
		for (i = 0; i < json_array_size(samples); i++)
			model_apply_sample(m, name, json_array_get(samples, i));
		return true;
	}
	if (strcmp(kind, "stats") == 0) {
		for (i = 0; i < json_array_size(samples); i++)
			model_apply_sample(m, NULL, json_array_get(samples, i));
		return true;
	}
	return false;
}

void model_window(const struct ct *c, enum model_series s, double now, double span,
		  double *out, size_t n)
{
	_cleanup_free_ double *sum = xcalloc(n, sizeof(*sum));
	_cleanup_free_ size_t *cnt = xcalloc(n, sizeof(*cnt));
	double from = now - span;

	for (size_t i = 0; i < c->hist_n; i++) {
		size_t at = (c->hist_head + i) % MODEL_HISTORY;
		double t = c->hist_t[at];
		float v = c->hist[s][at];
		if (t <= from || t > now || isnan(v))
			continue;
		/* Buckets are open on the left, closed on the right, like the
		 * window: a sample at now falls in the last one. */
		double pos = (t - from) / span * (double)n;
		size_t b = (size_t)pos;
		if ((double)b == pos && b > 0)
			b--;
		if (b >= n)
			b = n - 1;
		sum[b] += v;
		cnt[b]++;
	}
	for (size_t b = 0; b < n; b++)
		out[b] = cnt[b] > 0 ? sum[b] / (double)cnt[b] : NAN;
}

double model_window_max(const struct ct *c, enum model_series s, double now, double span)
{
	double max = 0;

	for (size_t i = 0; i < c->hist_n; i++) {
		size_t at = (c->hist_head + i) % MODEL_HISTORY;
		float v = c->hist[s][at];
		if (c->hist_t[at] > now - span && !isnan(v) && v > max)
			max = v;
	}
	return max;
}

unsigned model_alarms_recent(const struct ct *c, double now)
{
	unsigned mask = 0;

	for (size_t i = 0; i < c->n_alarms; i++)
		if (now - c->alarms[i].when <= MODEL_ALARM_WINDOW)
			mask |= 1u << c->alarms[i].kind;
	return mask;
}

const char *model_alarm_name(enum alarm_kind k)
{
	static const char *const names[ALARM_N] = {
		[ALARM_OOM] = "OOM kill",
		[ALARM_PIDS] = "pids limit reached",
		[ALARM_THROTTLE] = "CPU throttled",
		[ALARM_CRASH] = "crashed",
	};
	return k < ALARM_N ? names[k] : "?";
}

void model_load_started(struct ct *c, const struct paths *p)
{
	_cleanup_free_ char *run = paths_container_run(p, c->name);
	_cleanup_free_ char *path = xasprintf("%s/state.json", run);
	json_t *st = json_load_file(path, 0, NULL);
	json_t *v = json_object_get(st, "started");

	if (json_is_integer(v) && json_integer_value(v) > 0)
		c->started = (double)json_integer_value(v);
	json_decref(st);
}

static FILE *open_in(const char *dir, const char *name)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	return fopen(path, "re");
}

void model_host_update(struct host *h, const char *proc_dir)
{
	_cleanup_fclose_ FILE *stat = open_in(proc_dir, "stat");
	_cleanup_fclose_ FILE *mem = open_in(proc_dir, "meminfo");
	unsigned long long v[8] = { 0 };
	char line[256];

	if (stat != NULL && fgets(line, sizeof(line), stat) != NULL &&
	    sscanf(line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]) >= 4) {
		unsigned long long total = 0, idle = v[3] + v[4];
		for (int i = 0; i < 8; i++)
			total += v[i];
		unsigned long long busy = total - idle;
		if (h->prev_total > 0 && total > h->prev_total)
			h->cpu_pct = 100.0 * (double)(busy - h->prev_busy) /
				     (double)(total - h->prev_total);
		h->prev_busy = busy;
		h->prev_total = total;
	}
	while (mem != NULL && fgets(line, sizeof(line), mem) != NULL) {
		unsigned long long kib;
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			h->mem_total = kib * 1024;
		else if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			h->mem_avail = kib * 1024;
	}
}

void model_host_identify(struct host *h, const char *cgroup_dir)
{
	struct utsname u;
	_cleanup_free_ char *controllers = xasprintf("%s/cgroup.controllers", cgroup_dir);
	_cleanup_free_ char *unified = xasprintf("%s/unified", cgroup_dir);
	struct stat st;

	if (uname(&u) == 0) {
		copy_str(h->hostname, sizeof(h->hostname), u.nodename);
		copy_str(h->kernel, sizeof(h->kernel), u.release);
	}
	if (access(controllers, F_OK) == 0)
		h->cgroup = "v2";
	else if (stat(unified, &st) == 0 && S_ISDIR(st.st_mode))
		h->cgroup = "hybrid";
	else
		h->cgroup = "v1";
}
