/* corral-monitor: the per-container process. corrald starts one for each
 * container start, detached in its own session; it builds the container,
 * stays its parent, holds its console and cleans up after it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/domain-json.h"
#include "config/domain.h"
#include "config/settings.h"
#include "engine/loop.h"
#include "engine/monitor.h"
#include "engine/monitor-standby.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* How long the last words (the "stopped" event, the final output) may
 * take to reach clients before the monitor exits anyway. */
#define FAREWELL_MS 500

struct options {
	const char *root;
	const char *name;
	int id;
	int engine_fd;
	bool debug;
	bool standby; /* started ahead of need: the engine names the container */
	/* From corrald.conf, passed on by the engine. */
	uint64_t log_size;
	enum settings_selinux selinux;
};

static void usage(FILE *f)
{
	fputs("usage: corral-monitor (--name NAME --id N | --standby) [--root DIR] [--engine-fd FD]\n"
	      "                      [--log-size BYTES] [--selinux auto|on|off] [--debug]\n"
	      "Started by corrald; not meant to be run by hand.\n",
	      f);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' }, { "name", required_argument, NULL, 'n' },
		{ "id", required_argument, NULL, 'i' },   { "engine-fd", required_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },      { "help", no_argument, NULL, 'h' },
		{ "log-size", required_argument, NULL, 'l' },
		{ "selinux", required_argument, NULL, 'S' },
		{ "standby", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int c, mode;

	o->root = getenv("CORRAL_ROOT");
	o->id = -1;
	o->engine_fd = -1;
	o->log_size = SETTINGS_LOG_SIZE_DEFAULT;
	o->selinux = SETTINGS_SELINUX_AUTO;
	while ((c = getopt_long(argc, argv, "r:n:i:s:dhl:S:w", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'i':
			o->id = atoi(optarg);
			break;
		case 's':
			o->engine_fd = atoi(optarg);
			break;
		case 'd':
			o->debug = true;
			break;
		case 'w':
			o->standby = true;
			break;
		case 'l':
			if (settings_size_parse(optarg, &o->log_size) < 0 ||
			    o->log_size < SETTINGS_LOG_SIZE_MIN) {
				fprintf(stderr, "corral-monitor: --log-size '%s': expected at least %u bytes\n",
					optarg, SETTINGS_LOG_SIZE_MIN);
				return -1;
			}
			break;
		case 'S':
			mode = settings_selinux_parse(optarg);
			if (mode < 0) {
				fprintf(stderr, "corral-monitor: --selinux '%s': expected auto, on or off\n",
					optarg);
				return -1;
			}
			o->selinux = (enum settings_selinux)mode;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->standby ? o->name != NULL || o->id >= 0 || o->engine_fd < 0
		       : o->name == NULL || o->id < 0 || optind < argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static void on_signal(struct loop *l, int signo, void *data)
{
	struct monitor *m = data;

	log_info("'%s': %s: destroying the container", m->name, strsignal(signo));
	mon_destroy(m);
}

/* The engine wrote it, checked, as JSON: reading XML here would cost
 * every monitor libxml2 and ICU, megabytes of mapped libraries. */
static int load_definition(struct monitor *m, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/domain.json", m->run_dir);

	return dom_json_load(path, &m->dom, err);
}

static int setup(struct monitor *m, struct options *o, struct error *err)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP };
	_cleanup_free_ char *log_path = NULL;
	int flags;

	if (load_definition(m, err) < 0)
		return -1;
	if (loop_new(&m->loop, err) < 0 ||
	    loop_add_signals(m->loop, signals, 3, on_signal, m, NULL, err) < 0)
		return -1;
	if (pty_open(&m->pty, err) < 0)
		return -1;
	flags = fcntl(m->pty.master, F_GETFL);
	if (flags < 0 || fcntl(m->pty.master, F_SETFL, flags | O_NONBLOCK) < 0)
		return err_sys(err, "console of '%s'", m->name);
	ring_init(&m->ring);
	log_path = paths_container_log(&m->paths, m->name);
	if (conlog_open(&m->log, log_path, o->log_size, err) < 0)
		return -1;
	if (mon_ctl_listen(m, err) < 0 || mon_con_listen(m, err) < 0 ||
	    mon_con_watch_pty(m, err) < 0)
		return -1;
	if (o->engine_fd >= 0) {
		int fd = o->engine_fd;
		o->engine_fd = -1;
		if (mon_ctl_adopt(m, fd, err) < 0)
			return -1;
	}
	return mon_start_container(m, err);
}

/* The engine learns of a failed start on its connection, before EOF:
 * through the loop once it holds the connection, else written directly. */
static void report_failure(struct monitor *m, int engine_fd, const char *msg)
{
	json_t *ev = json_pack("{s:s, s:s}", "event", "failed", "error", msg);
	char *text;

	if (engine_fd < 0) {
		mon_ctl_broadcast(m, ev);
		json_decref(ev);
		return;
	}
	text = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (text != NULL) {
		size_t len = strlen(text);
		text[len] = '\n';
		if (write(engine_fd, text, len + 1) < 0)
			log_warn("report to the engine: %s", strerror(errno));
	}
	free(text);
}

/* Gives clients a moment to take the last output and the final event. */
static void farewell(struct monitor *m)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!mon_con_flush_all(m)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= FAREWELL_MS)
			break;
		poll(NULL, 0, 10);
	}
}

static void cleanup(struct monitor *m)
{
	_cleanup_free_ char *def = xasprintf("%s/domain.json", m->run_dir);

	/* All of it before any connection closes: the engine takes its EOF as
	 * "nothing of the container is left" and may start the domain again
	 * at once, in a run dir of the same name. */
	mon_cg_teardown(m);
	mon_net_teardown(m);
	mon_sec_release(m);
	mon_ctl_unlisten(m);
	mon_con_unlisten(m);
	unlink(m->state_path);
	unlink(def);
	if (rmdir(m->run_dir) < 0 && errno != ENOENT)
		log_warn("remove '%s': %s", m->run_dir, strerror(errno));
	mon_ctl_close_all(m);
	mon_con_close_all(m);
	conlog_close(&m->log);
	pty_close(&m->pty);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct monitor m = { .ctl_fd = -1, .con_fd = -1, .exit_status = -1, .sec = SECLABEL_INIT };
	struct error err = ERROR_INIT;
	_cleanup_free_ char *log_path = NULL;
	_cleanup_free_ char *assigned = NULL;
	int rc = 1;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (paths_init(&m.paths, o.root, &err) < 0) {
		fprintf(stderr, "corral-monitor: %s\n", err_msg(&err));
		return 1;
	}
	/* One log for the engine and its monitors: lines carry the pid. */
	log_path = xasprintf("%s/corrald.log", m.paths.log_dir);
	if (log_open(log_path, o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO) < 0)
		log_open(NULL, o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (o.standby) {
		int got = standby_await(o.engine_fd, &assigned, &o.id, &err);
		if (got <= 0) {
			if (got < 0)
				log_error("standby monitor: %s", err_msg(&err));
			err_clear(&err);
			paths_free(&m.paths);
			log_close();
			return got < 0;
		}
		o.name = assigned;
		/* Last use of argv's strings: o.root is in paths already. */
		o.root = NULL;
		standby_retitle(argc, argv, o.name, o.id);
	}
	m.name = xstrdup(o.name);
	m.id = o.id;
	m.debug = o.debug;
	m.selinux = o.selinux;
	m.run_dir = paths_container_run(&m.paths, o.name);
	m.ctl_path = xasprintf("%s/monitor.sock", m.run_dir);
	m.con_path = xasprintf("%s/console.sock", m.run_dir);
	m.state_path = xasprintf("%s/state.json", m.run_dir);

	if (setup(&m, &o, &err) < 0) {
		log_error("start '%s': %s", m.name, err_msg(&err));
		report_failure(&m, o.engine_fd, err_msg(&err));
		if (o.engine_fd >= 0)
			close(o.engine_fd);
		goto out;
	}
	if (loop_run(m.loop, &err) < 0) {
		log_error("'%s': %s", m.name, err_msg(&err));
		goto out;
	}
	farewell(&m);
	rc = 0;
out:
	if (m.init_alive) {
		struct error ignored = ERROR_INIT;
		int status;
		container_kill(&m.ct, SIGKILL, &ignored);
		container_wait(&m.ct, 5000, &status, &ignored);
		container_release(&m.ct);
		err_clear(&ignored);
	}
	cleanup(&m);
	/* After the connections closed: the engine has its answer already. */
	mon_net_settle(&m);
	err_clear(&err);
	loop_free(m.loop);
	if (m.cghost_ok)
		cg_host_free(&m.cghost);
	dom_free(m.dom);
	free(m.input);
	free(m.reason);
	free(m.name);
	free(m.run_dir);
	free(m.ctl_path);
	free(m.con_path);
	free(m.state_path);
	paths_free(&m.paths);
	log_close();
	return rc;
}
