/* Statistics in the engine: the sampling timer over every running container,
 * the stats and watch operations, and the watch streams. */
#ifndef CORRAL_ENGINE_OPS_STATS_H
#define CORRAL_ENGINE_OPS_STATS_H

#include <jansson.h>

#include "engine/ops.h"

struct error;
struct loop;
struct ost;
struct paths;
struct networks;
struct registry;
struct srv_conn;
struct stat_sample;

/* Samples every running domain of reg each interval_ms, from the first
 * interval on. A host without cgroups samples nothing (logged). */
int ost_new(struct loop *l, const struct paths *p, struct registry *reg, struct networks *nets,
	    unsigned interval_ms,
	    struct ost **out, struct error *err);
/* Ends the watch streams (their connections stay to the server). */
void ost_free(struct ost *st);

/* A domain was started, stopped, paused, resumed, defined or undefined:
 * watch clients get the domain list when it differs from what they last
 * got. Cheap when nobody watches. */
void ost_domains_changed(struct ost *st);

/* The newest sample of a running container, NULL when it has none. */
const struct stat_sample *ost_latest(const struct ost *st, const char *name);

/* {"names"?: [..]} → {"samples": [the newest sample of each]}: every
 * running container, or the ones named (each must exist and run). */
int ost_stats(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
/* {"names"?: [..], "history"?: N} → ok, then the connection carries events:
 * "history" (the last N samples, all by default) per running container,
 * "stats" each interval, "domains" when the list changes. */
int ost_watch(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	      struct error *err);

/* One sample as the protocol shows it (name included). */
json_t *ost_sample_json(const char *name, const struct stat_sample *s);

#endif
