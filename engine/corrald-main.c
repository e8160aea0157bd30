/* corrald: the engine — one per root, serving the control sockets. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config/paths.h"
#include "config/settings.h"
#include "engine/daemon.h"
#include "engine/lock.h"
#include "engine/loop.h"
#include "engine/netlink.h"
#include "engine/networks.h"
#include "engine/ops-stats.h"
#include "engine/ops.h"
#include "engine/registry.h"
#include "engine/server.h"
#include "engine/supervise.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

struct options {
	const char *root;
	bool foreground;
	bool debug;
	unsigned interval_ms; /* statistics sampling period; 0 until set */
};

struct engine {
	struct options opt;
	struct paths paths;
	struct settings settings; /* ROOT/etc/corral/corrald.conf */
	int lock_fd;
	int notify_fd; /* to the launcher until ready; -1 in the foreground */
	bool log_to_file;
	struct loop *loop;
	struct registry *reg;
	struct networks *nets;
	struct srv *srv;
	struct sup *sup;
	struct ost *stats;
	struct ops_ctx ops;
};

static void usage(FILE *f)
{
	fputs("usage: corrald [--root DIR] [--foreground] [--debug] [--interval S]\n"
	      "  --root DIR     prefix of every path (default: $CORRAL_ROOT or /)\n"
	      "  --foreground   stay attached and log to stderr\n"
	      "  --debug        log debug detail\n"
	      "  --interval S   statistics sampling period in seconds (default 1)\n",
	      f);
}

static int parse_interval(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.05 && v <= 3600))
		return -1;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->root = getenv("CORRAL_ROOT");
	while ((c = getopt_long(argc, argv, "r:fdi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'd':
			o->debug = true;
			break;
		case 'i':
			if (parse_interval(optarg, &o->interval_ms) < 0) {
				fprintf(stderr, "corrald: --interval '%s': give seconds between "
						"0.05 and 3600\n",
					optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("corrald %s\n", CORRAL_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "corrald: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Many clients at once each take a descriptor; the soft limit is often
 * 1024 while the hard one allows far more. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_warn("raise RLIMIT_NOFILE: %s", strerror(errno));
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		log_debug("descriptor limit %llu", (unsigned long long)rl.rlim_cur);
}

static void on_signal(struct loop *l, int signo, void *data)
{
	log_info("%s: stopping", strsignal(signo));
	loop_quit(l);
}

static void on_domains_changed(void *data)
{
	struct engine *e = data;

	ost_domains_changed(e->stats);
}

static json_t *on_request(void *data, json_t *msg, bool readonly, struct srv_conn *conn)
{
	struct engine *e = data;

	return ops_dispatch(&e->ops, msg, readonly, conn);
}

static int net_prepare(void *data, const struct domain *dom, struct error *err)
{
	return nets_prepare(data, dom, err);
}

static void net_cleanup(void *data, const struct domain *dom)
{
	nets_cleanup_domain(data, dom);
}

static int load_networks(struct engine *e, struct error *err)
{
	struct nl *host;

	if (nl_open(&host, err) < 0)
		return err_prefix(err, "networks");
	e->nets = nets_new(&e->paths, host, e->settings.default_network);
	return nets_load(e->nets, err);
}

/* Everything up to a serving engine, then the loop until a signal. */
static int run(struct engine *e, struct error *err)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP };
	_cleanup_free_ char *lock_path = NULL;
	_cleanup_free_ char *log_path = NULL;
	_cleanup_free_ char *conf_path = NULL;

	if (paths_init(&e->paths, e->opt.root, err) < 0)
		return err_prefix(err, "root '%s'", e->opt.root);
	if (paths_make_dirs(&e->paths, err) < 0)
		return -1;
	settings_init(&e->settings);
	conf_path = xasprintf("%s/etc/corral/corrald.conf",
			      strcmp(e->paths.root, "/") == 0 ? "" : e->paths.root);
	if (settings_load(&e->settings, conf_path, err) < 0)
		return -1;
	/* The command line overrides the file; the settings op shows what is
	 * in force. */
	if (e->opt.interval_ms != 0)
		e->settings.interval_ms = e->opt.interval_ms;
	lock_path = xasprintf("%s/corrald.lock", e->paths.run_dir);
	if (lock_take(lock_path, &e->lock_fd, err) < 0)
		return -1;
	if (!e->opt.foreground) {
		if (daemon_detach(&e->notify_fd, err) < 0)
			return -1;
		log_path = xasprintf("%s/corrald.log", e->paths.log_dir);
		if (log_open(log_path, e->opt.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO) < 0)
			return err_sys(err, "open log '%s'", log_path);
		e->log_to_file = true;
	}
	if (lock_set_pid(e->lock_fd, getpid(), err) < 0)
		return err_prefix(err, "'%s'", lock_path);
	raise_fd_limit();
	if (loop_new(&e->loop, err) < 0 ||
	    loop_add_signals(e->loop, signals, (int)(sizeof(signals) / sizeof(signals[0])),
			     on_signal, e, NULL, err) < 0)
		return -1;
	e->reg = reg_new(&e->paths);
	if (reg_load(e->reg, err) < 0 || load_networks(e, err) < 0)
		return -1;
	if (sup_new(e->loop, &e->paths, e->reg, e->opt.debug, &e->sup, err) < 0)
		return -1;
	sup_set_settings(e->sup, &e->settings);
	sup_set_hooks(e->sup, &(struct sup_hooks){ net_prepare, net_cleanup, e->nets });
	if (ost_new(e->loop, &e->paths, e->reg, e->nets, e->settings.interval_ms, &e->stats, err) < 0)
		return -1;
	sup_set_on_change(e->sup, on_domains_changed, e);
	/* Containers that outlived the previous engine are known before the
	 * first client asks. */
	sup_adopt_all(e->sup);
	e->ops.paths = &e->paths;
	e->ops.reg = e->reg;
	e->ops.sup = e->sup;
	e->ops.nets = e->nets;
	e->ops.stats = e->stats;
	e->ops.settings = &e->settings;
	if (srv_new(e->loop, &e->paths, on_request, e, &e->srv, err) < 0)
		return -1;
	sup_autostart(e->sup);
	log_info("corrald %s serving root '%s' as pid %d", CORRAL_VERSION, e->paths.root,
		 (int)getpid());
	if (e->notify_fd >= 0) {
		daemon_ready(e->notify_fd);
		e->notify_fd = -1;
	}
	if (loop_run(e->loop, err) < 0)
		return -1;
	log_info("stopped with %zu client(s) connected", srv_client_count(e->srv));
	return 0;
}

static void teardown(struct engine *e)
{
	/* Waiting clients get their answer before their connections close. */
	sup_free(e->sup);
	ost_free(e->stats);
	srv_free(e->srv);
	nets_free(e->nets);
	reg_free(e->reg);
	loop_free(e->loop);
	if (e->lock_fd >= 0)
		close(e->lock_fd);
	settings_free(&e->settings);
	paths_free(&e->paths);
}

int main(int argc, char **argv)
{
	struct engine e = { .lock_fd = -1, .notify_fd = -1 };
	struct error err = ERROR_INIT;
	int status = 0;

	/* Whatever started us (a client, a test runner) may have leaked
	 * descriptors; a daemon holding them would keep its pipes open. */
	close_range(3, ~0U, 0);
	if (parse_args(argc, argv, &e.opt) < 0)
		return 1;
	log_open(NULL, e.opt.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	/* jsonl sends with MSG_NOSIGNAL; this covers every other write. */
	signal(SIGPIPE, SIG_IGN);
	if (run(&e, &err) < 0) {
		/* stderr reaches whoever started us until the daemon is ready. */
		fprintf(stderr, "corrald: %s\n", err_msg(&err));
		if (e.log_to_file)
			log_error("%s", err_msg(&err));
		status = 1;
	}
	err_clear(&err);
	teardown(&e);
	log_close();
	return status;
}
