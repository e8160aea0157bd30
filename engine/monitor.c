/* The container's life inside corral-monitor: spawn, watch init, tell
 * poweroff from reboot from crash, and apply on_poweroff/on_reboot/on_crash. */
#include "engine/monitor.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/uuid.h"
#include "engine/caps.h"
#include "engine/masks.h"
#include "engine/loop.h"
#include "engine/nsshare.h"
#include "engine/proto.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* A container that keeps dying right after each restart would otherwise
 * spin for ever: past this many restarts in RESTART_WINDOW seconds, the
 * monitor gives up and reports the crash. */
#define RESTART_BURST 5
#define RESTART_WINDOW 10

static const char *const state_names[] = {
	[MON_RUNNING] = "running",
	[MON_PAUSED] = "paused",
	[MON_SHUTOFF] = "shut off",
	[MON_CRASHED] = "crashed",
};

const char *mon_state_name(enum mon_state s)
{
	return state_names[s];
}

static void set_reason(struct monitor *m, const char *reason)
{
	free(m->reason);
	m->reason = xstrdup(reason);
}

/* The exit code a shell would report: the status, or 128 + the signal. */
static int exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

json_t *mon_status_json(const struct monitor *m)
{
	char uuid[37];
	json_t *o;

	uuid_format(m->dom->uuid, uuid);
	o = json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:I, s:i}", "name", m->name, "uuid", uuid,
		      "id", m->id, "monitor_pid", (int)getpid(), "state",
		      mon_state_name(m->state), "reason", m->reason ? m->reason : "",
		      "started", (json_int_t)m->started, "restarts", (int)m->restarts);
	json_object_set_new(o, "init_pid", m->init_alive ? json_integer(m->ct.pid) : json_null());
	json_object_set_new(o, "exit_code",
			    m->exit_status >= 0 ? json_integer(exit_code(m->exit_status)) : json_null());
	json_object_set_new(o, "init_kind", json_string(lc_init_kind_name(m->kind)));
	json_object_set_new(o, "interfaces", mon_net_status(m));
	json_object_set_new(o, "seclabel", seclabel_json(&m->sec));
	return o;
}

int mon_write_state(const struct monitor *m, struct error *err)
{
	json_t *st = mon_status_json(m);
	char *text = json_dumps(st, JSON_COMPACT);
	int rc;

	json_decref(st);
	rc = file_write_replace(m->state_path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

static void announce(struct monitor *m, const char *event)
{
	struct error err = ERROR_INIT;
	json_t *ev = proto_event(event, mon_status_json(m));

	/* The monitor exits after a final event; the engine reports the end
	 * once the monitor is gone, so that nothing of it is left by then. */
	json_object_set_new(ev, "final", json_boolean(m->finished));
	mon_ctl_broadcast(m, ev);
	json_decref(ev);
	if (mon_write_state(m, &err) < 0) {
		log_warn("%s", err_msg(&err));
		err_clear(&err);
	}
}

/* Nothing left to supervise: tell everyone and let the loop end. */
static void finish(struct monitor *m, enum mon_state st, const char *reason)
{
	_cleanup_free_ char *notice = xasprintf("stopped %s", reason);

	m->state = st;
	set_reason(m, reason);
	m->finished = true;
	log_info("'%s' %s (%s)", m->name, mon_state_name(st), reason);
	mon_con_notice(m, notice);
	announce(m, "stopped");
	loop_quit(m->loop);
}

static void on_init_end(struct loop *l, struct loop_source *src, int fd, uint32_t events,
			void *data);

static const char *rootfs_of(const struct domain *dom)
{
	const struct dom_filesystem *fs = dom_root_fs(dom);

	return fs != NULL && fs->source != NULL ? fs->source : "/";
}

/* In the container before exec: the container lives and dies with its
 * monitor, never orphaned on the host (the engine may die; not this);
 * /proc and /sys masked, capabilities bounded, init's label set last, as
 * it only takes effect at exec. */
static int child_setup(void *data, struct error *err)
{
	struct monitor *m = data;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return err_sys(err, "set the parent-death signal");
	/* Now that init is in its cgroup: that cgroup becomes the root of
	 * every cgroup view inside, so a cgroup filesystem mounted there shows
	 * neither the host's hierarchy nor its release_agent (CVE-2022-0492). */
	if (unshare(CLONE_NEWCGROUP) < 0)
		return err_sys(err, "new cgroup namespace");
	if (masks_apply(err) < 0 || caps_apply(m->caps_keep, err) < 0)
		return -1;
	if (m->sec.label != NULL && m->sec_be->set_exec(m->sec.label, err) < 0)
		return -1;
	return 0;
}

/* The label and the capability bounding set, decided once for the
 * monitor's life: a restart keeps its MCS pair. */
static int plan_security(struct monitor *m, struct error *err)
{
	const struct dom_filesystem *root = dom_root_fs(m->dom);

	if (m->sec_be != NULL)
		return 0;
	if (seclabel_backend_for(m->selinux, seclabel_host_backend(), &m->sec_be, err) < 0)
		return -1;
	if (seclabel_plan(m->dom, m->sec_be, m->paths.run_dir, (int)getpid(), &m->sec, err) < 0) {
		m->sec_be = NULL;
		return -1;
	}
	m->mount_label = seclabel_mount_options(&m->sec);
	m->caps_keep = caps_bounding(m->dom);
	/* Only an OS container's own tree; an APP container is the host's. */
	if (m->sec.relabel && m->sec.imagelabel != NULL && root != NULL &&
	    m->sec_be->relabel(root->source, m->sec.imagelabel, err) < 0)
		return -1;
	log_info("'%s': security model %s%s%s", m->name, m->sec.model,
		 m->sec.label != NULL ? ", label " : "", m->sec.label != NULL ? m->sec.label : "");
	return 0;
}

void mon_sec_release(struct monitor *m)
{
	seclabel_release(&m->sec, m->paths.run_dir);
	free(m->mount_label);
	m->mount_label = NULL;
}

/* In the monitor once the container's first process exists, before it
 * sets anything up: limits apply from its first instruction. */
static int parent_setup(pid_t pid, void *data, struct error *err)
{
	return mon_cg_attach(data, pid, err);
}

/* While the container mounts its filesystems, on the other CPU if there
 * is one: its interfaces are there when init runs. */
static int parent_setup_late(pid_t pid, void *data, struct error *err)
{
	return mon_net_setup(data, pid, err);
}

int mon_start_container(struct monitor *m, struct error *err)
{
	struct container_opts o;
	int shared[DOM_NS_SHARE_N];
	int rc;

	if (plan_security(m, err) < 0 || mon_cg_setup(m, err) < 0)
		return err_prefix(err, "start '%s'", m->name);
	/* The monitor's memory and /proc/PID files stay out of reach of
	 * what runs in the container: no ptrace, no /proc/PID/exe or mem of
	 * it (CVE-2019-5736), and the clone starts the same way. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return err_sys(err, "start '%s': make the monitor not dumpable", m->name);
	container_opts_init(&o);
	o.mount_label = m->mount_label;
	o.console_fd = m->pty.slave;
	o.child_hook = child_setup;
	o.parent_hook = parent_setup;
	if (m->dom->n_interfaces > 0)
		o.parent_hook_late = parent_setup_late;
	o.hook_data = m;
	if (nsshare_open(&m->paths, m->dom, shared, err) < 0)
		return err_prefix(err, "start '%s'", m->name);
	mon_net_settle(m);
	memcpy(o.ns_join, shared, sizeof(shared));
	rc = container_spawn(m->dom, &o, &m->ct, err);
	nsshare_close(shared);
	if (rc < 0)
		return -1;
	if (loop_add_fd(m->loop, m->ct.pidfd, EPOLLIN, on_init_end, m, &m->pidfd_src, err) < 0) {
		struct error ignored = ERROR_INIT;
		container_kill(&m->ct, SIGKILL, &ignored);
		container_wait(&m->ct, -1, &rc, &ignored);
		container_release(&m->ct);
		err_clear(&ignored);
		return -1;
	}
	m->init_alive = true;
	m->exit_status = -1;
	m->kind = lc_init_kind(rootfs_of(m->dom), m->dom->init);
	m->started = time(NULL);
	m->state = MON_RUNNING;
	set_reason(m, "booted");
	log_info("'%s' started: init '%s' (%s) is pid %d", m->name, m->dom->init,
		 lc_init_kind_name(m->kind), (int)m->ct.pid);
	announce(m, "started");
	return 0;
}

static void cancel_deadline(struct monitor *m)
{
	if (m->stop_deadline != NULL) {
		loop_remove(m->loop, m->stop_deadline);
		m->stop_deadline = NULL;
	}
}

/* on_reboot='restart' and its kin: a new init in fresh namespaces, the
 * same console, the same monitor, so attached clients stay attached. */
static void restart(struct monitor *m, const char *why)
{
	struct error err = ERROR_INIT;
	time_t now = time(NULL);

	if (now - m->burst_start > RESTART_WINDOW) {
		m->burst_start = now;
		m->burst = 0;
	}
	if (++m->burst > RESTART_BURST) {
		finish(m, MON_CRASHED, "crashed");
		return;
	}
	m->restarts++;
	log_info("'%s' restarting after %s", m->name, why);
	if (mon_start_container(m, &err) < 0) {
		_cleanup_free_ char *reason = xasprintf("failed: %s", err_msg(&err));
		log_error("%s", err_msg(&err));
		err_clear(&err);
		finish(m, MON_CRASHED, reason);
		return;
	}
	mon_con_notice(m, "restarted");
}

static void on_init_end(struct loop *l, struct loop_source *src, int fd, uint32_t events,
			void *data)
{
	struct monitor *m = data;
	struct error err = ERROR_INIT;
	enum dom_lifecycle action;
	enum mon_state st;
	const char *reason;
	int status;

	if (container_wait(&m->ct, 0, &status, &err) <= 0) {
		if (err.msg != NULL) {
			log_error("%s", err_msg(&err));
			err_clear(&err);
		}
		return;
	}
	loop_remove(l, m->pidfd_src);
	m->pidfd_src = NULL;
	cancel_deadline(m);
	container_release(&m->ct);
	m->init_alive = false;
	m->exit_status = status;
	/* A process that left the pid namespace's reach (none should) must not
	 * outlive its container, nor hold the cgroup for a restart. */
	mon_cg_kill(m);
	/* The host ends would outlive the namespace for a while; a restart
	 * needs their names now, and a stop must leave none. */
	mon_net_teardown(m);
	mon_con_drain_pty(m);

	enum lc_end end = lc_classify(status);
	log_info("'%s' init ended: %s (exit code %d)", m->name, lc_end_name(end), exit_code(status));
	if (m->stop_wish != NULL) {
		finish(m, MON_SHUTOFF, m->stop_wish);
		return;
	}
	switch (end) {
	case LC_POWEROFF:
		action = m->dom->on_poweroff;
		st = MON_SHUTOFF;
		reason = "shutdown";
		break;
	case LC_REBOOT:
		action = m->dom->on_reboot;
		st = MON_SHUTOFF;
		reason = "shutdown";
		break;
	default:
		/* virsh's words: destroyed after a crash is "shut off (crashed)",
		 * kept for inspection (preserve) is "crashed". */
		action = m->dom->on_crash;
		st = action == DOM_LC_PRESERVE ? MON_CRASHED : MON_SHUTOFF;
		reason = "crashed";
		break;
	}
	switch (action) {
	case DOM_LC_RESTART:
	case DOM_LC_RENAME_RESTART:
	case DOM_LC_COREDUMP_RESTART:
		restart(m, lc_end_name(end));
		break;
	case DOM_LC_PRESERVE:
		/* Kept for the operator to look at; destroy ends it. */
		m->state = st;
		set_reason(m, reason);
		mon_con_notice(m, "stopped preserved");
		announce(m, "stopped");
		break;
	default:
		finish(m, st, reason);
		break;
	}
}

static void on_deadline(struct loop *l, uint64_t expirations, void *data)
{
	struct monitor *m = data;

	cancel_deadline(m);
	if (!m->init_alive)
		return;
	log_info("'%s' did not shut down in time: destroying it", m->name);
	mon_destroy(m);
}

int mon_request(struct monitor *m, const char *what, int timeout_ms, struct error *err)
{
	bool reboot = strcmp(what, "reboot") == 0;
	int sig;

	if (!m->init_alive) {
		err_set(err, 0, "'%s' is not running", m->name);
		return -EBUSY;
	}
	sig = reboot ? m->dom->corral.reboot_signal : m->dom->corral.shutdown_signal;
	if (sig == 0)
		sig = reboot ? lc_reboot_signal(m->kind) : lc_shutdown_signal(m->kind);
	if (sig == 0) {
		err_set(err, 0,
			"init '%s' of '%s' is a %s: it has no %s signal; use destroy, or name "
			"one in <corral:signals>",
			m->dom->init, m->name, lc_init_kind_name(m->kind), what);
		return -EBUSY;
	}
	if (container_kill(&m->ct, sig, err) < 0)
		return -EIO;
	if (!reboot)
		m->stop_wish = "shutdown";
	/* A later request's deadline replaces an earlier one. */
	cancel_deadline(m);
	if (!reboot && timeout_ms > 0 &&
	    loop_add_timer(m->loop, (uint64_t)timeout_ms, on_deadline, m, &m->stop_deadline, err) < 0)
		return -EIO;
	log_info("'%s': %s requested (signal %d)", m->name, what, sig);
	return 0;
}

int mon_pause(struct monitor *m, bool pause, struct error *err)
{
	int rc;

	if (!m->init_alive || m->cg == NULL) {
		err_set(err, 0, "'%s' is not running", m->name);
		return -EBUSY;
	}
	if (pause == (m->state == MON_PAUSED))
		return 0;
	rc = pause ? cg_freeze(m->cg, 5000, err) : cg_thaw(m->cg, 5000, err);
	if (rc < 0) {
		err_prefix(err, "%s '%s'", pause ? "suspend" : "resume", m->name);
		return -EIO;
	}
	m->state = pause ? MON_PAUSED : MON_RUNNING;
	set_reason(m, pause ? "user" : "unpaused");
	log_info("'%s' %s", m->name, pause ? "suspended" : "resumed");
	announce(m, pause ? "suspended" : "resumed");
	return 0;
}

void mon_destroy(struct monitor *m)
{
	struct error err = ERROR_INIT;

	m->stop_wish = "destroyed";
	/* A frozen init cannot die; thaw after the kill is queued. */
	if (m->state == MON_PAUSED && m->cg != NULL) {
		if (m->init_alive)
			container_kill(&m->ct, SIGKILL, &err);
		cg_thaw(m->cg, 5000, &err);
		err_clear(&err);
	}
	if (!m->init_alive) {
		finish(m, MON_SHUTOFF, "destroyed");
		return;
	}
	/* SIGKILL to a pid namespace's init takes every process in it along. */
	if (container_kill(&m->ct, SIGKILL, &err) < 0) {
		log_error("%s", err_msg(&err));
		err_clear(&err);
	}
}
