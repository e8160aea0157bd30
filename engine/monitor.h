/* corral-monitor's state: one container, its console, its clients. The
 * monitor is the parent of the container's init and outlives the engine. */
#ifndef CORRAL_ENGINE_MONITOR_H
#define CORRAL_ENGINE_MONITOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "config/domain.h"
#include "config/paths.h"
#include "engine/cgroup.h"
#include "engine/conlog.h"
#include "engine/container.h"
#include "engine/lifecycle.h"
#include "engine/pty.h"
#include "engine/ring.h"
#include "engine/seclabel.h"

struct error;
struct loop;
struct loop_source;
struct mon_ctl;
struct mon_con;
struct mon_net;
struct netif_bg;

/* Bytes of keyboard input held for the pty while the container is not
 * reading; more is refused rather than buffered without end. */
#define MON_INPUT_MAX (64u << 10)

enum mon_state { MON_RUNNING, MON_PAUSED, MON_SHUTOFF, MON_CRASHED };

struct monitor {
	struct paths paths;
	char *name;
	int id;
	char *run_dir;
	char *ctl_path; /* RUN/NAME/monitor.sock */
	char *con_path; /* RUN/NAME/console.sock */
	char *state_path;
	struct domain *dom;
	struct loop *loop;
	bool debug;

	struct pty pty;
	struct loop_source *pty_src;
	struct ring ring;
	struct conlog log;
	unsigned char *input; /* pending keyboard input for the pty */
	size_t input_len;

	struct cg_host cghost;
	bool cghost_ok;
	struct cg *cg;

	struct mon_net *net; /* the interfaces of the running init, NULL when none */
	struct netif_bg *net_bg; /* the ends of the last teardown's deletions */
	/* The security label, planned at the first start and kept across
	 * restarts (its MCS pair with it); released when the monitor ends. */
	enum settings_selinux selinux; /* corrald.conf's choice of backend */
	const struct seclabel_backend *sec_be;
	struct seclabel sec;
	char *mount_label;
	uint64_t caps_keep;

	struct container ct;
	bool init_alive;
	struct loop_source *pidfd_src;
	enum lc_init_kind kind;
	time_t started;
	unsigned restarts;
	time_t burst_start; /* restarts counted since, against a crash loop */
	unsigned burst;

	enum mon_state state;
	char *reason;          /* virsh's words: booted, shutdown, destroyed, crashed… */
	const char *stop_wish; /* reason of an operator's stop in progress, or NULL */
	struct loop_source *stop_deadline; /* destroys a shutdown that takes too long */
	int exit_status;       /* init's wait status once it ended, -1 before */
	bool finished;         /* nothing left to supervise: the loop ends */

	int ctl_fd, con_fd;
	struct loop_source *ctl_src, *con_src;
	struct mon_ctl *ctls; /* control clients */
	struct mon_con *cons; /* console clients */
};

/* monitor.c: the container's life. */
/* Gives back the MCS pair and the label (when the monitor ends). */
void mon_sec_release(struct monitor *m);
int mon_start_container(struct monitor *m, struct error *err);
/* Asks init to stop (shutdown, reboot) with its kind's signal; fails
 * (-EBUSY) with a message when the init has none (a shell). A shutdown
 * with timeout_ms > 0 is turned into a destroy if init still runs then:
 * the monitor keeps that deadline, so it holds without an engine. */
int mon_request(struct monitor *m, const char *what, int timeout_ms, struct error *err);
/* Freezes (pause) or thaws the container's cgroup; state paused. */
int mon_pause(struct monitor *m, bool pause, struct error *err);
/* Kills everything in the container at once; the monitor ends after. */
void mon_destroy(struct monitor *m);
const char *mon_state_name(enum mon_state s);
json_t *mon_status_json(const struct monitor *m);
int mon_write_state(const struct monitor *m, struct error *err);

/* monitor-cg.c: the container's cgroup. */
int mon_cg_setup(struct monitor *m, struct error *err);
int mon_cg_attach(struct monitor *m, pid_t pid, struct error *err);
void mon_cg_kill(struct monitor *m);
void mon_cg_teardown(struct monitor *m);

/* monitor-net.c: the container's interfaces. Setup runs in the parent
 * hook, once init's namespaces exist; teardown (veths and leases) is safe
 * to call at any time, more than once. It returns once the veths are out
 * of the host's namespace; the kernel's last wait for each goes on in a
 * thread, which settle waits for: call it before a fork and before exit. */
int mon_net_setup(struct monitor *m, pid_t pid, struct error *err);
void mon_net_teardown(struct monitor *m);
void mon_net_settle(struct monitor *m);
/* [{"name","host_dev","mac","network","bridge","addresses":["A/P",…]}] */
json_t *mon_net_status(const struct monitor *m);

/* monitor-ctl.c: the JSON control socket. */
int mon_ctl_listen(struct monitor *m, struct error *err);
/* The engine's connection, handed over at exec: a client that watches from
 * the first event on (fd taken over). */
int mon_ctl_adopt(struct monitor *m, int fd, struct error *err);
void mon_ctl_broadcast(struct monitor *m, json_t *event);
/* Stops taking connections and removes monitor.sock; clients stay. */
void mon_ctl_unlisten(struct monitor *m);
void mon_ctl_close_all(struct monitor *m);

/* monitor-con.c: the console socket and the pty. */
int mon_con_listen(struct monitor *m, struct error *err);
int mon_con_watch_pty(struct monitor *m, struct error *err);
/* Reads whatever the pty holds now (used when init ends, so its last words
 * reach the log and the clients). */
void mon_con_drain_pty(struct monitor *m);
/* A notice in the console stream of every client ("stopped shutdown"). */
void mon_con_notice(struct monitor *m, const char *text);
/* Pushes pending output to clients; true when all of it is written. */
bool mon_con_flush_all(struct monitor *m);
/* Stops taking connections and removes console.sock; clients stay. */
void mon_con_unlisten(struct monitor *m);
void mon_con_close_all(struct monitor *m);

#endif
