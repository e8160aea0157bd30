/* The engine's side of container lifecycle: starting corral-monitor
 * processes, following them over their control sockets, re-adopting them
 * after an engine restart. The engine is never a container's parent. */
#ifndef CORRAL_ENGINE_SUPERVISE_H
#define CORRAL_ENGINE_SUPERVISE_H

#include <jansson.h>
#include <stdbool.h>

struct domain;
struct error;
struct loop;
struct paths;
struct reg_domain;
struct registry;
struct settings;
struct sup;

/* How a start or a request ends: rc 0 with the monitor's reply in result
 * (for a start, its "status"), or rc -1 with a message and, when the monitor
 * answered with an error, that error reply in result (its code is the one
 * to pass on). data is the caller's. Called exactly once per sup_start or
 * sup_request that returned 0. */
typedef void (*sup_done_fn)(void *data, int rc, json_t *result, const char *message);

int sup_new(struct loop *l, const struct paths *p, struct registry *reg, bool debug,
	    struct sup **out, struct error *err);
/* Hands corrald.conf's log_size and selinux to the monitors started from
 * now on. */
void sup_set_settings(struct sup *s, const struct settings *set);

/* Called after a domain's state or reason changed (starting, started,
 * paused, resumed, stopped), so that watchers can be told. */
typedef void (*sup_change_fn)(void *data);
void sup_set_on_change(struct sup *s, sup_change_fn fn, void *data);

/* Drops the connections to the monitors; the containers keep running. */
void sup_free(struct sup *s);

/* What the engine does around a container's interfaces: prepare (make
 * sure the networks it names are active) before its monitor starts, a
 * negative errno with err filled to refuse the start; cleanup (veths,
 * leases and what else the monitor could not remove) once its monitor is
 * gone, however it ended. */
struct sup_hooks {
	int (*prepare)(void *data, const struct domain *dom, struct error *err);
	void (*cleanup)(void *data, const struct domain *dom);
	void *data;
};
void sup_set_hooks(struct sup *s, const struct sup_hooks *hooks);

/* Finds every monitor still answering under the run dir and marks its
 * domain running with the id it had; removes what dead monitors left. */
void sup_adopt_all(struct sup *s);
/* Starts every autostart domain that is not running. */
void sup_autostart(struct sup *s);

/* Starts d's monitor. Returns 0 when the start is under way (done is
 * called when the monitor reports), or a negative errno with err filled
 * when it could not begin (-EBUSY: running). */
int sup_start(struct sup *s, struct reg_domain *d, sup_done_fn done, void *data,
	      struct error *err);

/* Forwards op (shutdown, reboot, destroy) with the members of args (may be
 * NULL) to d's monitor; done is called with the monitor's answer. Same
 * return convention as sup_start. */
int sup_request(struct sup *s, struct reg_domain *d, const char *op, json_t *args,
		sup_done_fn done, void *data, struct error *err);

/* True while d's monitor is being started and has not reported yet. */
bool sup_starting(const struct reg_domain *d);

/* Calls done (rc 0, result: the monitor's final status with state, reason
 * and exit_code) when d's container stops. -EBUSY when d has no monitor. */
int sup_wait(struct sup *s, struct reg_domain *d, sup_done_fn done, void *data,
	     struct error *err);

/* The interfaces d's monitor last reported (see mon_net_status), borrowed;
 * NULL when d has no monitor. */
json_t *sup_interfaces(const struct sup *s, const struct reg_domain *d);

/* Sockets of a running domain's monitor, for clients that talk to it
 * directly (console, waiting for the end); the caller frees. NULL when d
 * has no monitor. */
char *sup_console_path(const struct sup *s, const struct reg_domain *d);
char *sup_monitor_path(const struct sup *s, const struct reg_domain *d);

#endif
