/* Starting and following corral-monitor processes. A monitor reports the
 * start on a pipe, then the engine holds a watch connection on its
 * monitor.sock; requests (shutdown, reboot, destroy) travel on the same
 * connection. When the engine dies the monitors carry on; a new engine finds
 * them again by their sockets. */
#include "engine/supervise.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "config/paths.h"
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

#define SYNC_MAX 4096
#define MON_MAX_IN (1u << 20)
#define MON_MAX_OUT (1u << 20)
/* A re-adopted monitor must answer its status within this time. */
#define ADOPT_TIMEOUT_MS 1000

struct sup {
	struct loop *loop;
	const struct paths *paths;
	struct registry *reg;
	bool debug;
	char *monitor_exe;
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
	int sync_fd;
	struct loop_source *sync_src;
	char sync_buf[SYNC_MAX];
	size_t sync_len;
	sup_done_fn done;
	void *done_data;

	struct jsonl *mon;
	struct loop_source *mon_src;
	json_int_t next_id;
	struct fwd *fwds;
	struct fwd *stop_waiters; /* told when the container stops (id unused) */
};

static char *find_monitor(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir, *path;

	if (n <= 0)
		return xstrdup("corral-monitor");
	self[n] = '\0';
	dir = dirname(self);
	/* Beside corrald in the build tree, or in libexec once installed. */
	path = xasprintf("%s/corral-monitor", dir);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	path = xasprintf("%s/../libexec/corral/corral-monitor", dir);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return xstrdup("corral-monitor");
}

int sup_new(struct loop *l, const struct paths *p, struct registry *reg, bool debug,
	    struct sup **out, struct error *err)
{
	struct sup *s = xcalloc(1, sizeof(*s));

	s->loop = l;
	s->paths = p;
	s->reg = reg;
	s->debug = debug;
	s->monitor_exe = find_monitor();
	log_debug("monitor program '%s'", s->monitor_exe);
	*out = s;
	return 0;
}

static struct reg_domain *run_domain(const struct run *r)
{
	return reg_lookup(r->sup->reg, r->name);
}

static void run_free(struct run *r)
{
	struct sup *s = r->sup;

	if (r->sync_src != NULL)
		loop_remove(s->loop, r->sync_src);
	if (r->sync_fd >= 0)
		close(r->sync_fd);
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
	free(r->name);
	free(r);
}

/* The domain has no monitor any more: the registry learns how it ended. */
static void run_end(struct run *r, enum reg_state state, const char *reason)
{
	struct reg_domain *d = run_domain(r);
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
	run_free(r);
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
	if (reason == NULL)
		reason = "unknown";
	if (rs == REG_RUNNING || rs == REG_PAUSED) {
		reg_set_running(r->sup->reg, d, (int)id, (pid_t)mon_pid, (pid_t)init_pid, reason);
		if (rs == REG_PAUSED)
			reg_set_paused(d, true, reason);
	} else {
		/* Stopped; a preserved container's monitor stays until destroy.
		 * The registry shows how it ended meanwhile. */
		d->state = rs;
		free(d->reason);
		d->reason = xstrdup(reason);
		d->init_pid = 0;
		while (r->stop_waiters != NULL) {
			struct fwd *f = r->stop_waiters;
			r->stop_waiters = f->next;
			f->done(f->data, 0, st, NULL);
			free(f);
		}
	}
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
	apply_status(r, msg);
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
	if (d != NULL && reg_is_active(d)) {
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

/* Connects to the monitor's control socket and subscribes to its events. */
static int mon_watch(struct run *r, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s/monitor.sock", r->sup->paths->run_dir, r->name);
	int fd = usock_connect(path, err);
	json_t *req;
	int rc;

	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		close(fd);
		return err_sys(err, "monitor of '%s'", r->name);
	}
	r->mon = jsonl_new(fd, MON_MAX_IN, MON_MAX_OUT);
	if (loop_add_fd(r->sup->loop, fd, EPOLLIN, mon_event, r, &r->mon_src, err) < 0)
		return -1;
	req = proto_request(++r->next_id, "watch");
	rc = mon_send(r, req, err);
	json_decref(req);
	return rc;
}

static void sync_event(struct loop *l, struct loop_source *src, int fd, uint32_t events,
		       void *data)
{
	struct run *r = data;
	struct error err = ERROR_INIT;
	ssize_t n = read(fd, r->sync_buf + r->sync_len, sizeof(r->sync_buf) - 1 - r->sync_len);
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		r->sync_len += (size_t)n;
		r->sync_buf[r->sync_len] = '\0';
		nl = strchr(r->sync_buf, '\n');
		if (nl == NULL && r->sync_len < sizeof(r->sync_buf) - 1)
			return;
	}
	loop_remove(l, r->sync_src);
	r->sync_src = NULL;
	close(r->sync_fd);
	r->sync_fd = -1;

	json_error_t jerr;
	json_t *msg = r->sync_len > 0 ? json_loads(r->sync_buf, JSON_DISABLE_EOF_CHECK, &jerr) : NULL;
	if (msg == NULL || !json_is_true(json_object_get(msg, "ok"))) {
		const char *why = json_string_value(json_object_get(msg, "error"));
		_cleanup_free_ char *reason =
			xasprintf("failed: %s", why ? why : "the monitor exited without reporting");
		log_error("start '%s': %s", r->name, why ? why : "no report from the monitor");
		json_decref(msg);
		run_end(r, REG_SHUTOFF, reason);
		return;
	}
	json_decref(msg);
	if (mon_watch(r, &err) < 0) {
		_cleanup_free_ char *reason = xasprintf("failed: %s", err_msg(&err));
		log_error("start '%s': %s", r->name, err_msg(&err));
		err_clear(&err);
		run_end(r, REG_CRASHED, reason);
		return;
	}
	/* Answered once the watch reply brings the status (mon_reply). */
	struct fwd *f = xcalloc(1, sizeof(*f));
	f->id = r->next_id;
	f->done = r->done;
	f->data = r->done_data;
	f->next = r->fwds;
	r->fwds = f;
	r->done = NULL;
}

/* fork, setsid, fork again, exec: the monitor belongs to no session of the
 * engine's, and the engine never has to reap it. */
static int spawn_monitor(struct sup *s, const char *name, int id, int sync_w, struct error *err)
{
	char idbuf[16];
	pid_t pid;
	int status;

	snprintf(idbuf, sizeof(idbuf), "%d", id);
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid == 0) {
		sigset_t none;
		int null;

		setsid();
		if (fork() != 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
		    dup2(sync_w, 3) < 0)
			_exit(127);
		close_range(4, ~0U, 0);
		char *argv[] = { "corral-monitor", "--root", s->paths->root, "--name", (char *)name,
				 "--id", idbuf, "--sync-fd", "3", s->debug ? "--debug" : NULL, NULL };
		execv(s->monitor_exe, argv);
		execvp("corral-monitor", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return err_sys(err, "wait for the monitor's launcher");
	return 0;
}

static int prepare_run_dir(struct sup *s, const struct reg_domain *d, struct error *err)
{
	_cleanup_free_ char *dir = paths_container_run(s->paths, d->def->name);
	_cleanup_free_ char *def = xasprintf("%s/domain.xml", dir);
	_cleanup_free_ char *xml = dom_format(d->def);

	if (file_mkdir_p(dir, 0700, err) < 0)
		return -1;
	return file_write_atomic(def, xml, strlen(xml), 0600, err);
}

int sup_start(struct sup *s, struct reg_domain *d, sup_done_fn done, void *data,
	      struct error *err)
{
	int pipefd[2];
	struct run *r;

	if (d->runtime != NULL || reg_is_active(d)) {
		err_set(err, 0, "'%s' is already %s", d->def->name,
			reg_is_active(d) ? "running" : "held by its monitor; destroy it first");
		return -EBUSY;
	}
	if (prepare_run_dir(s, d, err) < 0) {
		err_prefix(err, "start '%s'", d->def->name);
		return -EIO;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err_sys(err, "start '%s': pipe", d->def->name);
		return -EIO;
	}
	r = xcalloc(1, sizeof(*r));
	r->sup = s;
	r->name = xstrdup(d->def->name);
	r->sync_fd = pipefd[0];
	r->done = done;
	r->done_data = data;
	d->runtime = r;
	reg_set_running(s->reg, d, -1, 0, 0, "starting");
	if (spawn_monitor(s, r->name, d->id, pipefd[1], err) < 0 ||
	    loop_add_fd(s->loop, r->sync_fd, EPOLLIN, sync_event, r, &r->sync_src, err) < 0) {
		close(pipefd[1]);
		r->done = NULL;
		err_prefix(err, "start '%s'", r->name);
		run_end(r, REG_SHUTOFF, "failed");
		return -EIO;
	}
	close(pipefd[1]);
	log_info("starting '%s' as id %d", r->name, d->id);
	return 0;
}

int sup_request(struct sup *s, struct reg_domain *d, const char *op, sup_done_fn done,
		void *data, struct error *err)
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
	char buf[SYNC_MAX];
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

/* What a dead monitor left: sockets, state, the transient definition. */
static void remove_leftovers(const char *dir)
{
	static const char *const files[] = { "monitor.sock", "console.sock", "state.json",
					     "domain.xml" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, files[i]);
		unlink(p);
	}
	if (rmdir(dir) < 0 && errno != ENOENT)
		log_warn("remove '%s': %s", dir, strerror(errno));
}

static struct reg_domain *adopt_domain(struct sup *s, const char *name, const char *dir)
{
	struct reg_domain *d = reg_lookup(s->reg, name);
	_cleanup_free_ char *def = NULL;
	struct domain *dom = NULL;
	struct diags diags = { 0 };
	struct error err = ERROR_INIT;

	if (d != NULL)
		return d;
	/* Not in the store: a transient container (create), whose definition
	 * lives only in its run dir. */
	def = xasprintf("%s/domain.xml", dir);
	if (dom_parse_file(def, &dom, &diags) < 0) {
		diags_clear(&diags);
		return NULL;
	}
	diags_clear(&diags);
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
			remove_leftovers(rdir);
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
		r->sync_fd = -1;
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
	free(s->monitor_exe);
	free(s);
}
