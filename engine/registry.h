/* The engine's table of domains: the persistent ones from the store and the
 * transient ones, each with the running state the lifecycle code attaches.
 * Names and UUIDs are unique across the table. */
#ifndef CORRAL_ENGINE_REGISTRY_H
#define CORRAL_ENGINE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/domain.h"

struct error;
struct paths;
struct registry;

enum reg_state { REG_SHUTOFF, REG_RUNNING, REG_PAUSED, REG_CRASHED };

#define REG_UUID_STR 37

struct reg_domain {
	struct domain *def;     /* the definition in force (live while running) */
	struct domain *newdef;  /* a define made while running, applied at stop */
	char uuid[REG_UUID_STR]; /* def's UUID, formatted */
	bool persistent;        /* has ROOT/etc/corral/domains/NAME.xml */
	bool autostart;

	/* Running state: written by the lifecycle code through reg_set_*. */
	enum reg_state state;
	char *reason;      /* virsh's words: "booted", "shutdown", "destroyed", … */
	int id;            /* -1 when not running */
	pid_t monitor_pid; /* 0 when not running */
	pid_t init_pid;    /* host pid of the container's PID 1, 0 when unknown */
	/* The lifecycle code's own per-domain data (monitor connection, timers);
	 * the registry never looks inside it. */
	void *runtime;
};

/* virsh's state words: "running", "paused", "shut off", "crashed". */
const char *reg_state_name(enum reg_state state);
bool reg_is_active(const struct reg_domain *d);

/* p must outlive the registry. */
struct registry *reg_new(const struct paths *p);
void reg_free(struct registry *r);

/* Loads every definition in the store. A definition that does not parse,
 * whose file name and <name> differ, or whose UUID another has, is logged
 * and left out; only an unreadable store directory fails. */
int reg_load(struct registry *r, struct error *err);

/* By name, or by UUID in its usual text form. NULL when absent. */
struct reg_domain *reg_lookup(struct registry *r, const char *name_or_uuid);
/* In name order; valid until the next change to the table. */
size_t reg_count(const struct registry *r);
struct reg_domain *reg_at(const struct registry *r, size_t i);
/* The running and paused ones only, likewise. */
size_t reg_active_count(const struct registry *r);
struct reg_domain *reg_active_at(const struct registry *r, size_t i);

/* The functions below return 0, or a negative errno naming the kind of
 * failure (what the protocol turns into an error code) with err filled:
 * -ENOENT no such domain, -EEXIST name or UUID taken, -EINVAL not possible
 * for this domain, -EBUSY not in this state, -EIO the store failed. */

/* Makes def (taken in every case) persistent: saved to the store, then
 * added, or replacing the definition of the same name and UUID — as newdef
 * when that domain runs. A UUID of all zeroes takes the existing domain's,
 * or a random one. *created tells which happened. */
int reg_define(struct registry *r, struct domain *def, struct reg_domain **out, bool *created,
	       struct error *err);
/* Adds def (taken in every case) as a transient domain, for create. */
int reg_add_transient(struct registry *r, struct domain *def, struct reg_domain **out,
		      struct error *err);
/* Removes the definition from the store; a running domain stays, transient. */
int reg_undefine(struct registry *r, struct reg_domain *d, struct error *err);
int reg_set_autostart(struct registry *r, struct reg_domain *d, bool on, struct error *err);

/* Lifecycle hooks. reg_set_running keeps the id of an active domain; else it
 * takes id, or the next free one when id is -1 (a re-adopted container
 * passes the id it had, so ids survive an engine restart). reg_set_stopped clears the running state, applies a pending
 * newdef, and removes (frees) a transient domain: it returns true then. */
void reg_set_running(struct registry *r, struct reg_domain *d, int id, pid_t monitor_pid,
		     pid_t init_pid, const char *reason);
void reg_set_paused(struct reg_domain *d, bool paused, const char *reason);
/* The container ended while its monitor stays (it was preserved): the id
 * and monitor are kept until reg_set_stopped. */
void reg_set_ended(struct registry *r, struct reg_domain *d, enum reg_state state,
		   const char *reason);
bool reg_set_stopped(struct registry *r, struct reg_domain *d, enum reg_state state,
		     const char *reason);

#endif
