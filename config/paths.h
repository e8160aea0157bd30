/* Where corral keeps things: every path hangs off one root (--root DIR or
 * CORRAL_ROOT), so that tests and several engines can run side by side. */
#ifndef CORRAL_CONFIG_PATHS_H
#define CORRAL_CONFIG_PATHS_H

struct error;

struct paths {
	char *root;          /* "/" or an absolute directory, no trailing '/' */
	char *domains_dir;   /* ROOT/etc/corral/domains */
	char *autostart_dir; /* ROOT/etc/corral/autostart */
	char *networks_dir;  /* ROOT/etc/corral/networks */
	char *run_dir;       /* ROOT/run/corral */
	char *log_dir;       /* ROOT/var/log/corral */
	char *cgroup_name;   /* "corral" for "/", "corral-<hash of root>" otherwise */
	char *engine_sock;   /* RUN/corral.sock */
	char *engine_ro_sock; /* RUN/corral-ro.sock */
};

/* root NULL or "" means "/". A relative root is made absolute. */
int paths_init(struct paths *p, const char *root, struct error *err);
void paths_free(struct paths *p);

/* Directory creation for the engine: etc, run and log dirs. */
int paths_make_dirs(const struct paths *p, struct error *err);

/* Per-container paths; the caller frees. name must be a valid domain name. */
char *paths_domain_xml(const struct paths *p, const char *name);    /* persistent def */
char *paths_autostart_link(const struct paths *p, const char *name);
char *paths_container_run(const struct paths *p, const char *name); /* RUN/NAME */
char *paths_container_log(const struct paths *p, const char *name); /* LOG/NAME.log */

#endif
