/* What the TUI shows: every container with its latest figures, its history
 * and its alarms, and the host's own load, fed from the engine's messages. */
#ifndef CORRAL_TUI_MODEL_H
#define CORRAL_TUI_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct paths;

/* Samples kept per container: 10 minutes at the engine's 1 s interval. */
#define MODEL_HISTORY 600
/* Alarms remembered per container for the detail view. */
#define MODEL_ALARMS 8
/* An alarm marks its row for this many seconds. */
#define MODEL_ALARM_WINDOW 60.0

enum model_series { SER_CPU, SER_MEM, SER_NET_RX, SER_NET_TX, SER_BLK_R, SER_BLK_W, SER_N };

enum alarm_kind { ALARM_OOM, ALARM_PIDS, ALARM_THROTTLE, ALARM_CRASH, ALARM_N };

struct alarm {
	enum alarm_kind kind;
	double when;     /* wall clock seconds */
	long long count; /* how many new events (OOM kills, throttled periods) */
};

/* Figures are NAN where the engine does not know them (yet). */
struct ct {
	char *name;
	char uuid[40];
	long long id; /* -1 when not running */
	char state[16];
	char reason[24];
	bool persistent;
	bool autostart;
	double started; /* wall clock seconds of the last start, 0 when unknown */

	double cpu_pct;
	double mem_used, mem_limit;
	double pids, pids_max;
	double rx_bps, tx_bps, rd_bps, wr_bps;
	double last_time; /* of the latest sample, 0 before any */

	double hist_t[MODEL_HISTORY];
	float hist[SER_N][MODEL_HISTORY];
	size_t hist_head, hist_n; /* ring: the oldest is at hist_head */

	bool have_base; /* counters below hold a previous sample's values */
	double base_oom, base_throttled;
	bool pids_at_max;
	struct alarm alarms[MODEL_ALARMS]; /* oldest first */
	size_t n_alarms;

	bool seen; /* in the latest domain list */
};

struct host {
	char hostname[64];
	char kernel[64];
	const char *cgroup; /* "v1", "v2", "hybrid" */
	double cpu_pct;     /* NAN until two readings */
	unsigned long long mem_total, mem_avail; /* bytes */
	unsigned long long prev_busy, prev_total;
};

struct model {
	struct ct **v;
	size_t n;
	bool loaded; /* a domain list has been applied: later changes are news */
	struct host host;
};

void model_init(struct model *m);
void model_free(struct model *m);
struct ct *model_find(const struct model *m, const char *name);
size_t model_running(const struct model *m);

/* A "domains" list as `list` or the domains event give it. Containers not
 * in it are dropped. now labels the crash alarms it raises. Returns true
 * when anything shown changed. */
bool model_apply_domains(struct model *m, json_t *domains, double now);
/* One statistics sample (the container named by name, or by the sample's
 * own "name" when name is NULL). Older samples than the latest are skipped,
 * so a history replayed after a reconnect does not duplicate. */
void model_apply_sample(struct model *m, const char *name, json_t *sample);
/* An event of the watch stream: history, stats or domains. Returns true
 * when it changed something shown. */
bool model_apply_event(struct model *m, json_t *event, double now);
/* Forgets the figures of containers that are not running. */
void model_clear_stopped(struct ct *c);

/* The series averaged into n buckets over [now - span, now], oldest first;
 * NAN for buckets with no sample. */
void model_window(const struct ct *c, enum model_series s, double now, double span,
		  double *out, size_t n);
/* The largest value of the series over [now - span, now], 0 when none. */
double model_window_max(const struct ct *c, enum model_series s, double now, double span);

/* The kinds (1 << alarm_kind) raised within MODEL_ALARM_WINDOW of now. */
unsigned model_alarms_recent(const struct ct *c, double now);
const char *model_alarm_name(enum alarm_kind k);

bool model_is_running(const struct ct *c);
/* The start time from the monitor's state file under the run directory. */
void model_load_started(struct ct *c, const struct paths *p);

/* Host figures from proc_dir ("/proc" or a fixture): CPU use since the
 * previous call, memory. */
void model_host_update(struct host *h, const char *proc_dir);
/* Host name, kernel release and the cgroup layout under cgroup_dir. */
void model_host_identify(struct host *h, const char *cgroup_dir);

#endif
