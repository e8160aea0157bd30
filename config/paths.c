/* Paths under the corral root. */
#include "config/paths.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* FNV-1a: a stable, dependency-free tag for a root, so that engines on
 * different roots never share a cgroup or a host interface name. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

int paths_init(struct paths *p, const char *root, struct error *err)
{
	char *r;
	const char *pre;

	memset(p, 0, sizeof(*p));
	if (root == NULL || root[0] == '\0')
		root = "/";
	if (root[0] != '/') {
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return err_sys(err, "root '%s': cannot resolve the current directory", root);
		r = xasprintf("%s/%s", cwd, root);
	} else {
		r = xstrdup(root);
	}
	/* Trailing slashes would double up in every path below. */
	for (size_t n = strlen(r); n > 1 && r[n - 1] == '/'; n--)
		r[n - 1] = '\0';
	p->root = r;
	pre = strcmp(r, "/") == 0 ? "" : r;
	p->domains_dir = xasprintf("%s/etc/corral/domains", pre);
	p->autostart_dir = xasprintf("%s/etc/corral/autostart", pre);
	p->networks_dir = xasprintf("%s/etc/corral/networks", pre);
	p->run_dir = xasprintf("%s/run/corral", pre);
	p->log_dir = xasprintf("%s/var/log/corral", pre);
	if (strcmp(r, "/") == 0)
		p->cgroup_name = xstrdup("corral");
	else
		p->cgroup_name = xasprintf("corral-%08x", fnv1a(r));
	p->engine_sock = xasprintf("%s/corral.sock", p->run_dir);
	p->engine_ro_sock = xasprintf("%s/corral-ro.sock", p->run_dir);
	return 0;
}

void paths_free(struct paths *p)
{
	free(p->root);
	free(p->domains_dir);
	free(p->autostart_dir);
	free(p->networks_dir);
	free(p->run_dir);
	free(p->log_dir);
	free(p->cgroup_name);
	free(p->engine_sock);
	free(p->engine_ro_sock);
	memset(p, 0, sizeof(*p));
}

int paths_make_dirs(const struct paths *p, struct error *err)
{
	const char *const dirs[] = { p->domains_dir, p->autostart_dir, p->networks_dir,
				     p->run_dir, p->log_dir };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (file_mkdir_p(dirs[i], 0755, err) < 0)
			return -1;
	return 0;
}

char *paths_domain_xml(const struct paths *p, const char *name)
{
	return xasprintf("%s/%s.xml", p->domains_dir, name);
}

char *paths_autostart_link(const struct paths *p, const char *name)
{
	return xasprintf("%s/%s.xml", p->autostart_dir, name);
}

char *paths_container_run(const struct paths *p, const char *name)
{
	return xasprintf("%s/%s", p->run_dir, name);
}

char *paths_container_log(const struct paths *p, const char *name)
{
	return xasprintf("%s/%s.log", p->log_dir, name);
}
