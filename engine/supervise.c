/* Starting and following corral-monitor processes. A monitor reports the
 * start on a pipe, then the engine holds a watch connection on its
 * monitor.sock; requests (shutdown, reboot, destroy) travel on the same
 * connection. When the engine dies the monitors carry on; a new engine finds
 * them again by their sockets. */
#include "engine/supervise.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-json.h"
#include "config/domain.h"
#include "config/paths.h"
#include "config/settings.h"
#include "engine/cgroup.h"
#include "engine/jsonl.h"
#include "engine/loop.h"
#include "engine/proto.h"
#include "engine/registry.h"
#include "engine/usock.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* A status with a few interfaces fits many times over. */
#define PROBE_MAX (64u << 10)
#define MON_MAX_IN (1u << 20)
#define MON_MAX_OUT (1u << 20)
/* How long the engine waits for the group of a dead monitor to empty. */
#define DEAD_MONITOR_CG_MS 1000
/* A re-adopted monitor must answer its status within this time. */
#define ADOPT_TIMEOUT_MS 1000

struct sup {
	struct loop *loop;
	const struct paths *paths;
	struct registry *reg;
	bool debug;
	char *monitor_exe;
	/* corrald.conf's console log cap and SELinux choice, as each monitor
	 * is told them on its command line. */
	char log_size[24];
	const char *selinux;
	struct sup_hooks hooks;
	sup_change_fn on_change;
	void *change_data;
	/* The engine's end of a standby monitor's connection, -1 when there
	 * is none; see monitor-standby.c. */
	int standby_fd;
};

/* A request forwarded to the monitor, waiting for its reply. */
struct fwd {
	json_int_t id;
	sup_done_fn done;
	void *data;
	struct fwd *next;
};

/* What the engine keeps per domain that has a monitor (d->runtime). */
struct run {
	struct sup *sup;
	char *name; /* the domain can be replaced; look it up by name */
	sup_done_fn done; /* a start waiting for the monitor's first word */
	char *failed;     /* why the start failed, as the monitor said */
	void *done_data;

	struct jsonl *mon;
	struct loop_source *mon_src;
	json_int_t next_id;
	struct fwd *fwds;
	struct fwd *stop_waiters; /* told when the container stops (id unused) */
	json_t *final;            /* the monitor's last status, told at its exit */
	json_t *interfaces;       /* as the monitor last reported them */
};

static char *find_monitor(void)
{
	char *path = file_find_companion("corral-monitor");

	/* Else the search path's, as a last resort. */
	return path != NULL ? path : xstrdup("corral-monitor");
}

/* Monitors outlive the engine by design, but while it lives it is their
 * parent and must not leave them as zombies. Only monitors are the
 * engine's children once it runs. */
static void reap_monitors(struct loop *l, int signo, void *data)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int sup_new(struct loop *l, const struct paths *p, struct registry *reg, bool debug,
	    struct sup **out, struct error *err)
{
	struct sup *s = xcalloc(1, sizeof(*s));

	s->loop = l;
	s->paths = p;
	s->reg = reg;
	s->debug = debug;
	s->standby_fd = -1;
	snprintf(s->log_size, sizeof(s->log_size), "%u", SETTINGS_LOG_SIZE_DEFAULT);
	s->selinux = settings_selinux_name(SETTINGS_SELINUX_AUTO);
	s->monitor_exe = find_monitor();
	log_debug("monitor program '%s'", s->monitor_exe);
	if (loop_add_signals(l, (const int[]){ SIGCHLD }, 1, reap_monitors, s, NULL, err) < 0) {
		sup_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void sup_set_on_change(struct sup *s, sup_change_fn fn, void *data)
{
	s->on_change = fn;
	s->change_data = data;
}

static void changed(struct sup *s)
{
	if (s->on_change != NULL)
		s->on_change(s->change_data);
}

static struct reg_domain *run_domain(const struct run *r)
{
	return reg_lookup(r->sup->reg, r->name);
}

static void run_free(struct run *r)
{
	struct sup *s = r->sup;

	if (r->mon_src != NULL)
		loop_remove(s->loop, r->mon_src);
	jsonl_free(r->mon);
	if (r->done != NULL)
		r->done(r->done_data, -1, NULL, "the engine is stopping");
	while (r->fwds != NULL) {
		struct fwd *f = r->fwds;
		r->fwds = f->next;
		f->done(f->data, -1, NULL, "the monitor went away");
		free(f);
	}
	while (r->stop_waiters != NULL) {
		struct fwd *f = r->stop_waiters;
		r->stop_waiters = f->next;
		f->done(f->data, -1, NULL, "the monitor went away");
		free(f);
	}
	json_decref(r->final);
	json_decref(r->interfaces);
	free(r->failed);
	free(r->name);
	free(r);
}

static void tell_stopped(struct run *r, json_t *st)
{
	while (r->stop_waiters != NULL) {
		struct fwd *f = r->stop_waiters;
		r->stop_waiters = f->next;
		f->done(f->data, 0, st, NULL);
		free(f);
	}
}

/* The domain has no monitor any more: the registry learns how it ended. */
static void run_end(struct run *r, enum reg_state state, const char *reason)
{
	struct reg_domain *d = run_domain(r);
	struct sup *s = r->sup;
	_cleanup_free_ char *name = xstrdup(r->name);

	if (r->done != NULL) {
		sup_done_fn done = r->done;
		r->done = NULL;
		done(r->done_data, -1, NULL, reason);
	}
	if (d != NULL && d->runtime == r) {
		d->runtime = NULL;
		if (reg_set_stopped(r->sup->reg, d, state, reason))
			log_info("transient '%s' is gone", name);
	}
	if (r->final != NULL)
		tell_stopped(r, r->final);
	run_free(r);
	changed(s);
}

static enum reg_state state_of(const char *s)
{
	if (s == NULL)
		return REG_SHUTOFF;
	if (strcmp(s, "running") == 0)
		return REG_RUNNING;
	if (strcmp(s, "paused") == 0)
		return REG_PAUSED;
	if (strcmp(s, "crashed") == 0)
		return REG_CRASHED;
	return REG_SHUTOFF;
}

/* A status object from the monitor (status reply or event body). */
static void apply_status(struct run *r, json_t *st)
{
	struct reg_domain *d = run_domain(r);
	const char *state = json_string_value(json_object_get(st, "state"));
	const char *reason = json_string_value(json_object_get(st, "reason"));
	json_int_t init_pid = json_integer_value(json_object_get(st, "init_pid"));
	json_int_t mon_pid = json_integer_value(json_object_get(st, "monitor_pid"));
	json_int_t id = json_integer_value(json_object_get(st, "id"));
	enum reg_state rs = state_of(state);

	if (d == NULL)
		return;
	if (json_is_array(json_object_get(st, "interfaces"))) {
		json_decref(r->interfaces);
		r->interfaces = json_incref(json_object_get(st, "interfaces"));
	}
	if (reason == NULL)
		reason = "unknown";
	if (rs == REG_RUNNING || rs == REG_PAUSED) {
		reg_set_running(r->sup->reg, d, (int)id, (pid_t)mon_pid, (pid_t)init_pid, reason);
		if (rs == REG_PAUSED)
			reg_set_paused(d, true, reason);
	} else {
		/* Stopped; a preserved container's monitor stays until destroy.
		 * The registry shows how it ended meanwhile. */
		reg_set_ended(r->sup->reg, d, rs, reason);
		if (json_is_true(json_object_get(st, "final"))) {
			json_decref(r->final);
			r->final = json_incref(st);
		} else {
			tell_stopped(r, st);
		}
	}
	changed(r->sup);
}

static void mon_reply(struct run *r, json_t *msg)
{
	json_t *idv = json_object_get(msg, "id");
	struct fwd **pp, *f;
	const char *code, *message;

	for (pp = &r->fwds; (f = *pp) != NULL; pp = &f->next) {
		if (json_is_integer(idv) && json_integer_value(idv) == f->id)
			break;
	}
	if (f == NULL)
		return;
	*pp = f->next;
	if (proto_reply_error_of(msg, &code, &message) == 1)
		f->done(f->data, -1, msg, message);
	else
		f->done(f->data, 0, msg, NULL);
	free(f);
}

static void mon_message(struct run *r, json_t *msg)
{
	const char *event = json_string_value(json_object_get(msg, "event"));

	if (event == NULL) {
		json_t *status = json_object_get(msg, "status");
		/* The reply to our watch carries the status at that moment. */
		if (json_is_object(status))
			apply_status(r, status);
		mon_reply(r, msg);
		return;
	}
	log_debug("'%s': monitor event %s", r->name, event);
	if (strcmp(event, "failed") == 0) {
		const char *why = json_string_value(json_object_get(msg, "error"));
		log_error("start '%s': %s", r->name, why ? why : "unknown error");
		r->failed = xstrdup(why ? why : "unknown error");
		return;
	}
	apply_status(r, msg);
	if (strcmp(event, "started") == 0 && r->done != NULL) {
		sup_done_fn done = r->done;
		r->done = NULL;
		done(r->done_data, 0, msg, NULL);
	}
}

/* What a dead monitor left: sockets, state, the transient definition. */
static void remove_leftovers(const char *dir)
{
	static const char *const files[] = { "monitor.sock", "console.sock", "state.json",
					     "domain.json" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, files[i]);
		unlink(p);
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		log_warn("remove '%s': %s", dir, strerror(errno));
}

/* A monitor that died could not remove its container's cgroup. Its init
 * died with it (parent-death signal), so whatever is left is killed and
 * the group removed here rather than at the next start of the domain, which
 * may never come. Rare, and bounded by the timeout: worth a short stall. */
static void remove_cgroup(struct sup *s, const char *name)
{
	struct error err = ERROR_INIT;
	struct cg_host host;
	struct cg *cg = NULL;

	if (cg_detect("/sys/fs/cgroup", &host, &err) < 0) {
		log_warn("'%s': cgroup left behind: %s", name, err_msg(&err));
		err_clear(&err);
		return;
	}
	if (cg_open_existing(&host, s->paths->cgroup_name, name, &cg, &err) < 0) {
		if (err.errnum != ENOENT)
			log_warn("'%s': cgroup left behind: %s", name, err_msg(&err));
	} else if (cg_kill(cg, DEAD_MONITOR_CG_MS, &err) < 0 ||
		   cg_remove(cg, DEAD_MONITOR_CG_MS, &err) < 0) {
		log_warn("'%s': cgroup left behind: %s", name, err_msg(&err));
	} else {
		log_info("'%s': removed the cgroup its dead monitor left", name);
	}
	err_clear(&err);
	cg_free(cg);
	/* Busy while other containers of this engine run: that is fine. */
	cg_remove_parent(&host, s->paths->cgroup_name, &err);
	err_clear(&err);
	cg_host_free(&host);
}

/* After a monitor is gone: what it may have left of its container's
 * network, found from the definition it ran (its run dir's, else d's) — all
 * of it when the monitor died, at most the lease file of a network
 * destroyed meanwhile when it ended well — and the run dir of one that
 * died. */
static void cleanup_after(struct sup *s, const struct reg_domain *d, const char *name,
			  bool died)
{
	_cleanup_free_ char *dir = paths_container_run(s->paths, name);
	_cleanup_free_ char *def = xasprintf("%s/domain.json", dir);
	struct domain *dom = NULL;
	struct error ignored = ERROR_INIT;

	if (s->hooks.cleanup != NULL) {
		if (dom_json_load(def, &dom, &ignored) == 0)
			s->hooks.cleanup(s->hooks.data, dom);
		else if (d != NULL)
			s->hooks.cleanup(s->hooks.data, d->def);
	}
	err_clear(&ignored);
	dom_free(dom);
	if (died) {
		remove_cgroup(s, name);
		remove_leftovers(dir);
	}
}

static void mon_event(struct loop *l, struct loop_source *src, int fd, uint32_t events, void *data)
{
	struct run *r = data;
	struct error err = ERROR_INIT;
	json_t *msg;
	int rc;

	if (events & EPOLLOUT) {
		rc = jsonl_flush(r->mon, &err);
		if (rc >= 0)
			loop_set_events(l, src, rc == 1 ? EPOLLIN | EPOLLOUT : EPOLLIN, &err);
		err_clear(&err);
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	rc = jsonl_read(r->mon, &err);
	if (rc == 1) {
		enum jsonl_status st;
		while ((st = jsonl_next(r->mon, &msg, &err)) != JSONL_NONE) {
			if (st == JSONL_MSG) {
				mon_message(r, msg);
				json_decref(msg);
			} else {
				log_warn("'%s': monitor sent %s", r->name, err_msg(&err));
				err_clear(&err);
			}
		}
		return;
	}
	if (rc == 0)
		return;
	err_clear(&err);
	/* The monitor is gone. Its last event said how the container ended;
	 * without one, the monitor itself died. */
	struct reg_domain *d = run_domain(r);
	/* One that reported its end or its failure did not die. */
	if (d != NULL)
		cleanup_after(r->sup, d, r->name, r->final == NULL && r->failed == NULL);
	if (r->done != NULL || r->failed != NULL) {
		const char *why = r->failed ? r->failed : "the monitor exited without reporting";
		if (r->done != NULL) {
			sup_done_fn done = r->done;
			r->done = NULL;
			done(r->done_data, -1, NULL, why);
		}
		run_end(r, REG_SHUTOFF, "failed");
	} else if (d != NULL && reg_is_active(d)) {
		log_warn("'%s': monitor ended without saying why", r->name);
		run_end(r, REG_CRASHED, "monitor died");
	} else if (d != NULL) {
		enum reg_state st = d->state;
		_cleanup_free_ char *reason = xstrdup(d->reason ? d->reason : "shutdown");
		run_end(r, st, reason);
	} else {
		run_free(r);
	}
}

static int mon_send(struct run *r, json_t *req, struct error *err)
{
	int rc = jsonl_send(r->mon, req, err);

	if (rc < 0)
		return rc;
	rc = jsonl_flush(r->mon, err);
	if (rc < 0)
		return rc;
	return loop_set_events(r->sup->loop, r->mon_src, rc == 1 ? EPOLLIN | EPOLLOUT : EPOLLIN,
			       err);
}

/* Follows the monitor on fd (taken over): its events, our requests. */
static int mon_attach(struct run *r, int fd, struct error *err)
{
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		close(fd);
		return err_sys(err, "monitor of '%s'", r->name);
	}
	r->mon = jsonl_new(fd, MON_MAX_IN, MON_MAX_OUT);
	return loop_add_fd(r->sup->loop, fd, EPOLLIN, mon_event, r, &r->mon_src, err);
}

/* Connects to a running monitor's control socket and subscribes to its
 * events (re-adoption after an engine restart). */
static int mon_watch(struct run *r, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s/monitor.sock", r->sup->paths->run_dir, r->name);
	int fd = usock_connect(path, err);
	json_t *req;
	int rc;

	if (fd < 0 || mon_attach(r, fd, err) < 0)
		return -1;
	req = proto_request(++r->next_id, "watch");
	rc = mon_send(r, req, err);
	json_decref(req);
	return rc;
}

/* posix_spawn (a vfork-like clone in glibc) costs the same whatever the
 * engine's size, where fork copied its page tables twice. The monitor gets
 * a session of its own, so an engine crash does not signal it; it is the
 * engine's child while both live, reaped by reap_monitors. engine_fd
 * becomes the monitor's fd 3: a control connection that watches from the
 * first event, so even a container that ends at once is reported. */
static int spawn_monitor(struct sup *s, const char *name, int id, int engine_fd, struct error *err)
{
	char idbuf[16];
	char *argv[16];
	int n = 0;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, ignored;
	pid_t pid;
	int rc;

	snprintf(idbuf, sizeof(idbuf), "%d", id);
	argv[n++] = "corral-monitor";
	argv[n++] = "--root";
	argv[n++] = s->paths->root;
	if (name != NULL) {
		argv[n++] = "--name";
		argv[n++] = (char *)name;
		argv[n++] = "--id";
		argv[n++] = idbuf;
	} else {
		argv[n++] = "--standby";
	}
	argv[n++] = "--engine-fd";
	argv[n++] = "3";
	argv[n++] = "--log-size";
	argv[n++] = s->log_size;
	argv[n++] = "--selinux";
	argv[n++] = (char *)s->selinux;
	if (s->debug)
		argv[n++] = "--debug";
	argv[n] = NULL;
	sigemptyset(&none);
	sigemptyset(&ignored);
	sigaddset(&ignored, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* The engine's ignored SIGPIPE and blocked signalfd set must not
	 * reach the monitor, which waits on its own children. An exec resets
	 * handled signals by itself; only an ignored one carries over. */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
						 POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &ignored);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_adddup2(&fa, engine_fd, 3);
	/* Everything is O_CLOEXEC already; this is the net under it. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	if (strchr(s->monitor_exe, '/') != NULL)
		rc = posix_spawn(&pid, s->monitor_exe, &fa, &attr, argv, environ);
	else
		rc = posix_spawnp(&pid, s->monitor_exe, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return err_sys(err, "run '%s'", s->monitor_exe);
	}
	return 0;
}

/* A monitor for the next start, already through its exec, waiting on its
 * connection (name NULL: --standby). Without one, starts spawn their own. */
static void refill_standby(struct sup *s)
{
	struct error err = ERROR_INIT;
	int sv[2];

	if (s->standby_fd >= 0)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_warn("standby monitor: socketpair: %s", strerror(errno));
		return;
	}
	if (spawn_monitor(s, NULL, -1, sv[1], &err) < 0) {
		log_warn("standby monitor: %s", err_msg(&err));
		err_clear(&err);
		close(sv[0]);
	} else {
		s->standby_fd = sv[0];
	}
	close(sv[1]);
}

/* Hands the standby monitor its container: its connection, or -1 when
 * there is none or it has died (the start then spawns a monitor). */
static int take_standby(struct sup *s, const char *name, int id)
{
	json_t *msg = json_pack("{s:s,s:i}", "name", name, "id", id);
	char *text = json_dumps(msg, JSON_COMPACT);
	int fd = s->standby_fd;
	bool ok = false;

	json_decref(msg);
	s->standby_fd = -1;
	if (fd >= 0 && text != NULL) {
		size_t len = strlen(text);
		text[len] = '\n';
		/* A fresh socket's buffer takes a short line whole, at once. */
		ok = write(fd, text, len + 1) == (ssize_t)(len + 1);
	}
	free(text);
	if (!ok && fd >= 0) {
		log_debug("standby monitor gone; spawning one for '%s'", name);
		close(fd);
		fd = -1;
	}
	return fd;
}

static int prepare_run_dir(struct sup *s, const struct reg_domain *d, struct error *err)
{
	_cleanup_free_ char *dir = paths_container_run(s->paths, d->def->name);
	_cleanup_free_ char *def = xasprintf("%s/domain.json", dir);

	if (file_mkdir_p(dir, 0700, err) < 0)
		return -1;
	return dom_json_save(def, d->def, 0600, err);
}

int sup_start(struct sup *s, struct reg_domain *d, sup_done_fn done, void *data,
	      struct error *err)
{
	int sv[2], fd;
	struct run *r;

	if (d->runtime != NULL || reg_is_active(d)) {
		err_set(err, 0, "'%s' is %s", d->def->name,
			reg_is_active(d) ? "already running"
			: d->state == REG_SHUTOFF ? "still stopping; try again in a moment"
						  : "held by its monitor; destroy it first");
		return -EBUSY;
	}
	int rc = s->hooks.prepare != NULL ? s->hooks.prepare(s->hooks.data, d->def, err) : 0;
	if (rc == 0 && prepare_run_dir(s, d, err) < 0)
		rc = -EIO;
	if (rc < 0) {
		err_prefix(err, "start '%s'", d->def->name);
		/* As after any failed start: a transient domain (create) is gone. */
		reg_set_stopped(s->reg, d, REG_SHUTOFF, "failed");
		changed(s);
		return rc;
	}
	r = xcalloc(1, sizeof(*r));
	r->sup = s;
	r->name = xstrdup(d->def->name);
	d->runtime = r;
	/* This gives the domain its id, which the monitor is told. */
	reg_set_running(s->reg, d, -1, 0, 0, "starting");
	changed(s);
	fd = take_standby(s, r->name, d->id);
	if (fd < 0) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			err_sys(err, "socketpair");
		} else {
			rc = spawn_monitor(s, r->name, d->id, sv[1], err);
			close(sv[1]);
			if (rc < 0)
				close(sv[0]);
			else
				fd = sv[0];
		}
	}
	if (fd < 0 || mon_attach(r, fd, err) < 0) {
		err_prefix(err, "start '%s'", r->name);
		run_end(r, REG_SHUTOFF, "failed");
		return -EIO;
	}
	r->done = done;
	r->done_data = data;
	log_info("starting '%s' as id %d", r->name, d->id);
	/* After this start, so its exec runs beside the container's. */
	refill_standby(s);
	return 0;
}

int sup_request(struct sup *s, struct reg_domain *d, const char *op, json_t *args,
		sup_done_fn done, void *data, struct error *err)
{
	struct run *r = d->runtime;
	struct fwd *f;
	json_t *req;
	int rc;

	if (r == NULL || r->mon == NULL) {
		err_set(err, 0, "'%s' is not running", d->def->name);
		return -EBUSY;
	}
	req = proto_request(++r->next_id, op);
	if (args != NULL)
		json_object_update(req, args);
	rc = mon_send(r, req, err);
	json_decref(req);
	if (rc < 0) {
		err_prefix(err, "%s '%s'", op, d->def->name);
		return -EIO;
	}
	f = xcalloc(1, sizeof(*f));
	f->id = r->next_id;
	f->done = done;
	f->data = data;
	f->next = r->fwds;
	r->fwds = f;
	log_info("%s '%s' requested", op, d->def->name);
	return 0;
}

int sup_wait(struct sup *s, struct reg_domain *d, sup_done_fn done, void *data,
	     struct error *err)
{
	struct run *r = d->runtime;
	struct fwd *f;

	if (r == NULL) {
		err_set(err, 0, "'%s' is not running", d->def->name);
		return -EBUSY;
	}
	f = xcalloc(1, sizeof(*f));
	f->done = done;
	f->data = data;
	f->next = r->stop_waiters;
	r->stop_waiters = f;
	return 0;
}

json_t *sup_interfaces(const struct sup *s, const struct reg_domain *d)
{
	const struct run *r = d->runtime;

	return r != NULL ? r->interfaces : NULL;
}

bool sup_starting(const struct reg_domain *d)
{
	const struct run *r = d->runtime;

	return r != NULL && r->done != NULL;
}

char *sup_console_path(const struct sup *s, const struct reg_domain *d)
{
	if (d->runtime == NULL)
		return NULL;
	return xasprintf("%s/%s/console.sock", s->paths->run_dir, d->def->name);
}

char *sup_monitor_path(const struct sup *s, const struct reg_domain *d)
{
	if (d->runtime == NULL)
		return NULL;
	return xasprintf("%s/%s/monitor.sock", s->paths->run_dir, d->def->name);
}

/* A blocking status call on a monitor found at adoption, with a timeout. */
static json_t *probe_monitor(const char *path, struct error *err)
{
	_cleanup_close_ int fd = usock_connect(path, err);
	static const char req[] = "{\"id\":1,\"op\":\"status\"}\n";
	char buf[PROBE_MAX];
	size_t len = 0;
	json_error_t jerr;

	if (fd < 0)
		return NULL;
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		err_sys(err, "write to '%s'", path);
		return NULL;
	}
	while (len < sizeof(buf) - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, ADOPT_TIMEOUT_MS) <= 0) {
			err_set(err, ETIMEDOUT, "'%s' did not answer", path);
			return NULL;
		}
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strchr(buf, '\n') != NULL)
			return json_loads(buf, JSON_DISABLE_EOF_CHECK, &jerr);
	}
	err_set(err, EPROTO, "'%s' closed without an answer", path);
	return NULL;
}

static struct reg_domain *adopt_domain(struct sup *s, const char *name, const char *dir)
{
	struct reg_domain *d = reg_lookup(s->reg, name);
	_cleanup_free_ char *def = NULL;
	struct domain *dom = NULL;
	struct error err = ERROR_INIT;

	if (d != NULL)
		return d;
	/* Not in the store: a transient container (create), whose definition
	 * lives only in its run dir. */
	def = xasprintf("%s/domain.json", dir);
	if (dom_json_load(def, &dom, &err) < 0) {
		log_warn("adopt '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return NULL;
	}
	if (reg_add_transient(s->reg, dom, &d, &err) < 0) {
		log_warn("adopt '%s': %s", name, err_msg(&err));
		err_clear(&err);
		return NULL;
	}
	return d;
}

void sup_adopt_all(struct sup *s)
{
	DIR *dir = opendir(s->paths->run_dir);
	struct dirent *de;

	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		_cleanup_free_ char *rdir = xasprintf("%s/%s", s->paths->run_dir, de->d_name);
		_cleanup_free_ char *sock = xasprintf("%s/monitor.sock", rdir);
		struct error err = ERROR_INIT;
		json_t *st = probe_monitor(sock, &err);
		struct reg_domain *d;

		if (st == NULL) {
			log_info("'%s': no monitor answers (%s); cleaning up", de->d_name,
				 err_msg(&err));
			err_clear(&err);
			cleanup_after(s, reg_lookup(s->reg, de->d_name), de->d_name, true);
			continue;
		}
		d = adopt_domain(s, de->d_name, rdir);
		if (d == NULL || d->runtime != NULL) {
			json_decref(st);
			continue;
		}
		struct run *r = xcalloc(1, sizeof(*r));
		r->sup = s;
		r->name = xstrdup(de->d_name);
		d->runtime = r;
		apply_status(r, st);
		json_decref(st);
		if (mon_watch(r, &err) < 0) {
			log_warn("adopt '%s': %s", r->name, err_msg(&err));
			err_clear(&err);
			run_end(r, REG_CRASHED, "monitor lost");
			continue;
		}
		log_info("adopted '%s' (id %d, init pid %d)", r->name, d->id, (int)d->init_pid);
	}
	closedir(dir);
}

static void autostart_done(void *data, int rc, json_t *result, const char *message)
{
	char *name = data;

	if (rc < 0)
		log_error("autostart '%s': %s", name, message);
	else
		log_info("autostarted '%s'", name);
	free(name);
}

void sup_autostart(struct sup *s)
{
	for (size_t i = 0; i < reg_count(s->reg); i++) {
		struct reg_domain *d = reg_at(s->reg, i);
		struct error err = ERROR_INIT;

		if (!d->autostart || reg_is_active(d) || d->runtime != NULL)
			continue;
		char *name = xstrdup(d->def->name);
		if (sup_start(s, d, autostart_done, name, &err) < 0) {
			log_error("autostart '%s': %s", name, err_msg(&err));
			err_clear(&err);
			free(name);
		}
	}
}

void sup_set_settings(struct sup *s, const struct settings *set)
{
	snprintf(s->log_size, sizeof(s->log_size), "%" PRIu64, set->log_size);
	s->selinux = settings_selinux_name(set->selinux);
}

void sup_set_hooks(struct sup *s, const struct sup_hooks *hooks)
{
	s->hooks = *hooks;
}

void sup_free(struct sup *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < reg_count(s->reg); i++) {
		struct reg_domain *d = reg_at(s->reg, i);
		if (d->runtime != NULL) {
			struct run *r = d->runtime;
			d->runtime = NULL;
			run_free(r);
		}
	}
	/* Its standby monitor leaves on the EOF. */
	if (s->standby_fd >= 0)
		close(s->standby_fd);
	free(s->monitor_exe);
	free(s);
}
