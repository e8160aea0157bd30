/* Per-container statistics: open stat files, rates over each interval, and
 * the history ring. */
#include "engine/sampler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/cgroup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Two decimals are all a percentage or a byte rate needs, and they print
 * shorter in JSON. Rates are never negative; no libm for this. */
static double round2(double v)
{
	return (double)(uint64_t)(v * 100.0 + 0.5) / 100.0;
}

/* Per second over dt_ns, or unknown when either counter is unknown or the
 * counter went backwards (the group was made anew). */
static double per_second(uint64_t prev, uint64_t cur, uint64_t dt_ns, double scale)
{
	if (prev == CG_UNKNOWN || cur == CG_UNKNOWN || cur < prev || dt_ns == 0)
		return STAT_RATE_UNKNOWN;
	return round2((double)(cur - prev) * scale * 1e9 / (double)dt_ns);
}

void stat_rates(struct stat_sample *cur, const struct stat_sample *prev, unsigned ncpu)
{
	cur->cpu_pct = cur->cpu_pct_host = STAT_RATE_UNKNOWN;
	cur->read_bps = cur->write_bps = STAT_RATE_UNKNOWN;
	cur->rx_bps = cur->tx_bps = STAT_RATE_UNKNOWN;
	if (prev == NULL || cur->mono_ns <= prev->mono_ns)
		return;
	uint64_t dt = cur->mono_ns - prev->mono_ns;
	/* ns of CPU per ns of wall time, as a percentage of one CPU. */
	cur->cpu_pct = per_second(prev->st.cpu_usage_ns, cur->st.cpu_usage_ns, dt, 1e-7);
	if (cur->cpu_pct != STAT_RATE_UNKNOWN)
		cur->cpu_pct_host = round2(cur->cpu_pct / (ncpu > 0 ? ncpu : 1));
	cur->read_bps = per_second(prev->st.blk_read_bytes, cur->st.blk_read_bytes, dt, 1);
	cur->write_bps = per_second(prev->st.blk_write_bytes, cur->st.blk_write_bytes, dt, 1);
	if (cur->has_net && prev->has_net) {
		cur->rx_bps = per_second(prev->net.rx_bytes, cur->net.rx_bytes, dt, 1);
		cur->tx_bps = per_second(prev->net.tx_bytes, cur->net.tx_bytes, dt, 1);
	}
}

void stat_hist_init(struct stat_hist *h, size_t cap)
{
	memset(h, 0, sizeof(*h));
	h->cap = cap > 0 ? cap : 1;
}

void stat_hist_free(struct stat_hist *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

void stat_hist_push(struct stat_hist *h, const struct stat_sample *s)
{
	if (h->len < h->cap) {
		if (h->len == h->alloc) {
			size_t n = h->alloc < 16 ? 16 : h->alloc * 2;
			h->alloc = n < h->cap ? n : h->cap;
			h->v = xreallocarray(h->v, h->alloc, sizeof(*h->v));
		}
		h->v[h->len++] = *s;
		return;
	}
	h->v[h->head] = *s;
	h->head = (h->head + 1) % h->cap;
}

const struct stat_sample *stat_hist_at(const struct stat_hist *h, size_t i)
{
	if (i >= h->len)
		return NULL;
	return &h->v[(h->head + i) % h->cap];
}

const struct stat_sample *stat_hist_latest(const struct stat_hist *h)
{
	return h->len > 0 ? stat_hist_at(h, h->len - 1) : NULL;
}

/* --- the containers --- */

struct tracked {
	char *name;
	int id;
	bool seen; /* sampled in the current round */
	struct cg_stats_reader *rd;
	struct stat_hist hist;
};

struct sampler {
	const struct cg_host *host;
	char *parent;
	size_t hist_cap;
	unsigned ncpu;
	struct tracked **v; /* by name: a round looks up every container */
	size_t n, alloc;
	size_t bytes_read; /* this round so far */
	size_t last_bytes; /* the last round's */
	unsigned slow_every; /* see cg_stats_set_slow_every */
};

struct sampler *sampler_new(const struct cg_host *host, const char *parent, size_t hist_cap)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	s->host = host;
	s->parent = xstrdup(parent);
	s->hist_cap = hist_cap;
	s->ncpu = n > 0 ? (unsigned)n : 1;
	s->slow_every = 1;
	return s;
}

void sampler_set_slow_every(struct sampler *s, unsigned rounds)
{
	s->slow_every = rounds > 0 ? rounds : 1;
}

static void tracked_free(struct tracked *t)
{
	cg_stats_close(t->rd);
	stat_hist_free(&t->hist);
	free(t->name);
	free(t);
}

void sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		tracked_free(s->v[i]);
	free(s->v);
	free(s->parent);
	free(s);
}

/* Index of name, or where it would go (with *found false). */
static size_t find_slot(const struct sampler *s, const char *name, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid]->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* Index of name, or s->n. */
static size_t find(const struct sampler *s, const char *name)
{
	bool found;
	size_t i = find_slot(s, name, &found);

	return found ? i : s->n;
}

static void drop_at(struct sampler *s, size_t i)
{
	tracked_free(s->v[i]);
	memmove(s->v + i, s->v + i + 1, (--s->n - i) * sizeof(*s->v));
}

/* The group's files, opened anew (a first sample, or the group was made
 * again by a reboot in place). */
static int reopen(struct sampler *s, struct tracked *t, struct error *err)
{
	struct cg *cg = NULL;
	int rc;

	cg_stats_close(t->rd);
	t->rd = NULL;
	if (cg_open_existing(s->host, s->parent, t->name, &cg, err) < 0)
		return err->errnum == ENOENT ? -ENOENT : -EIO;
	rc = cg_stats_open(cg, &t->rd, err);
	cg_free(cg);
	if (rc < 0)
		return -EIO;
	cg_stats_set_slow_every(t->rd, s->slow_every);
	return 0;
}

static double realtime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* Milliseconds are all a graph needs. */
	return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1e3;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int sampler_sample(struct sampler *s, const char *name, int id, const struct stat_net *net,
		   struct error *err)
{
	bool found, fresh = false;
	size_t i = find_slot(s, name, &found);
	struct tracked *t;
	struct stat_sample cur;
	int rc;

	if (found && s->v[i]->id != id) {
		drop_at(s, i);
		found = false;
	}
	if (!found) {
		t = xcalloc(1, sizeof(*t));
		t->name = xstrdup(name);
		t->id = id;
		stat_hist_init(&t->hist, s->hist_cap);
		if (s->n == s->alloc) {
			s->alloc = s->alloc ? s->alloc * 2 : 16;
			s->v = xreallocarray(s->v, s->alloc, sizeof(*s->v));
		}
		memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
		s->v[i] = t;
		s->n++;
		fresh = true;
	}
	t = s->v[i];
	if (t->rd == NULL && (rc = reopen(s, t, err)) < 0)
		goto fail;
	memset(&cur, 0, sizeof(cur));
	if (cg_stats_read(t->rd, &cur.st, err) < 0) {
		/* A group removed under us reads ENODEV: it may be there again. */
		err_clear(err);
		if ((rc = reopen(s, t, err)) < 0)
			goto fail;
		fresh = true;
		if (cg_stats_read(t->rd, &cur.st, err) < 0) {
			rc = -EIO;
			goto fail;
		}
	}
	s->bytes_read += cg_stats_bytes_read(t->rd);
	cur.time = realtime_now();
	cur.mono_ns = mono_ns();
	if (net != NULL) {
		cur.has_net = true;
		cur.net = *net;
	}
	stat_rates(&cur, fresh ? NULL : stat_hist_latest(&t->hist), s->ncpu);
	stat_hist_push(&t->hist, &cur);
	t->seen = true;
	return 0;
fail:
	/* Keep what was gathered only while the container may come back. */
	if (t->hist.len == 0)
		drop_at(s, find(s, name));
	else
		t->seen = true;
	return rc;
}

void sampler_end(struct sampler *s)
{
	for (size_t i = 0; i < s->n;) {
		if (!s->v[i]->seen) {
			log_debug("stats of '%s' dropped", s->v[i]->name);
			drop_at(s, i);
			continue;
		}
		s->v[i]->seen = false;
		i++;
	}
	s->last_bytes = s->bytes_read;
	s->bytes_read = 0;
}

void sampler_forget(struct sampler *s, const char *name)
{
	size_t i = find(s, name);

	if (i < s->n)
		drop_at(s, i);
}

const struct stat_hist *sampler_history(const struct sampler *s, const char *name)
{
	size_t i = find(s, name);

	return i < s->n && s->v[i]->hist.len > 0 ? &s->v[i]->hist : NULL;
}

size_t sampler_count(const struct sampler *s)
{
	return s->n;
}

size_t sampler_bytes_read(const struct sampler *s)
{
	return s->last_bytes;
}
