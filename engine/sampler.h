/* The statistics sampler: for each running container its cgroup's stat files
 * kept open, one sample per round with the rates over the interval, and a
 * ring of the last samples for graphs. */
#ifndef CORRAL_ENGINE_SAMPLER_H
#define CORRAL_ENGINE_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/cgroup-stats.h"

struct cg_host;
struct error;

/* A rate the sampler cannot tell yet (one sample only, a counter that went
 * backwards, a figure the host lacks): JSON null. */
#define STAT_RATE_UNKNOWN (-1.0)

/* 10 minutes at the default 1 s interval. */
#define STAT_HISTORY_DEFAULT 600

/* A container's interface counters, summed, as the container sees them. */
struct stat_net {
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};

struct stat_sample {
	double time;      /* CLOCK_REALTIME, seconds since the epoch */
	uint64_t mono_ns; /* CLOCK_MONOTONIC: the interval for the rates */
	struct cg_stats st;
	double cpu_pct;      /* percent of one CPU over the interval */
	double cpu_pct_host; /* percent of all the host's CPUs */
	double read_bps, write_bps;
	bool has_net; /* the container has interfaces of its own */
	struct stat_net net;
	double rx_bps, tx_bps;
};

/* Fills cur's rates from the counters of prev (NULL: none yet) and cur,
 * ncpu being the host's CPU count. */
void stat_rates(struct stat_sample *cur, const struct stat_sample *prev, unsigned ncpu);

/* The last cap samples, oldest first. The array grows as samples come, so a
 * container that lives a minute costs a minute's worth. */
struct stat_hist {
	struct stat_sample *v;
	size_t cap, alloc;
	size_t head; /* index of the oldest once full */
	size_t len;
};

void stat_hist_init(struct stat_hist *h, size_t cap);
void stat_hist_free(struct stat_hist *h);
void stat_hist_push(struct stat_hist *h, const struct stat_sample *s);
/* i from 0 (oldest) to len-1 (newest). */
const struct stat_sample *stat_hist_at(const struct stat_hist *h, size_t i);
/* NULL when empty. */
const struct stat_sample *stat_hist_latest(const struct stat_hist *h);

struct sampler;

/* host must outlive the sampler; parent is struct paths' cgroup_name. */
struct sampler *sampler_new(const struct cg_host *host, const char *parent, size_t hist_cap);
void sampler_free(struct sampler *s);

/* A round: sampler_sample for each running container, then sampler_end,
 * which forgets the containers not sampled since the previous sampler_end.
 * id tells one run of a container from the next: a new id starts afresh.
 * A container whose group is not there (yet, or any more) is -ENOENT. */
/* Slow-changing figures (limits, peaks, user/system, pressure) are read one
 * round in rounds; see cg_stats_set_slow_every. */
void sampler_set_slow_every(struct sampler *s, unsigned rounds);
/* net: the container's interface counters, NULL when it has none. */
int sampler_sample(struct sampler *s, const char *name, int id, const struct stat_net *net,
		   struct error *err);
void sampler_end(struct sampler *s);
/* Forgets one container at once (it stopped). */
void sampler_forget(struct sampler *s, const char *name);

/* NULL when the container has no sample. */
const struct stat_hist *sampler_history(const struct sampler *s, const char *name);
/* Containers followed, and the bytes of stat files read in the last
 * complete round (for the benchmark). */
size_t sampler_count(const struct sampler *s);
size_t sampler_bytes_read(const struct sampler *s);

#endif
