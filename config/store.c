/* The definitions store on disk. */
#include "config/store.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "config/paths.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* Names come from clients too; a name that could step out of the store's
 * directory must never reach a path. */
static int check_name(const char *name, struct error *err)
{
	if (name == NULL || name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    strlen(name) > DOM_NAME_MAX)
		return err_set(err, EINVAL, "'%s' is not a valid domain name", name ? name : "");
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_list(const char *dir, char ***names, size_t *n, struct error *err)
{
	return store_list_ext(dir, ".xml", names, n, err);
}

int store_list_ext(const char *dir, const char *ext, char ***names, size_t *n,
		   struct error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0, elen = strlen(ext);

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "list definitions in '%s'", dir);
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		/* Temp files of an interrupted save start with '.'. */
		if (de->d_name[0] == '.' || len <= elen || strcmp(de->d_name + len - elen, ext) != 0)
			continue;
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = xstrndup(de->d_name, len - elen);
	}
	closedir(d);
	if (cnt > 0)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return 0;
}

void store_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *def_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s.xml", dir, name);
}

int store_load(const char *dir, const char *name, struct domain **out, struct diags *d,
	       struct error *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *msg = NULL;

	if (check_name(name, err) < 0)
		return -1;
	path = def_path(dir, name);
	if (access(path, F_OK) < 0)
		return err_sys(err, "definition '%s'", path);
	if (dom_parse_file(path, out, d) < 0) {
		msg = diag_format_all(d);
		return err_set(err, EINVAL, "%s", msg ? msg : "invalid definition");
	}
	if (strcmp((*out)->name, name) != 0) {
		err_set(err, EINVAL, "%s: holds domain '%s', expected '%s'", path, (*out)->name, name);
		dom_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int store_save(const char *dir, const struct domain *dom, struct error *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *xml = NULL;

	if (check_name(dom->name, err) < 0)
		return -1;
	if (file_mkdir_p(dir, 0755, err) < 0)
		return -1;
	path = def_path(dir, dom->name);
	xml = dom_format(dom);
	if (file_write_atomic(path, xml, strlen(xml), 0600, err) < 0)
		return err_prefix(err, "save '%s'", dom->name);
	return 0;
}

int store_delete(const char *dir, const char *name, struct error *err)
{
	_cleanup_free_ char *path = NULL;

	if (check_name(name, err) < 0)
		return -1;
	path = def_path(dir, name);
	if (unlink(path) < 0)
		return err_sys(err, "remove definition '%s'", path);
	return 0;
}

bool store_exists(const char *dir, const char *name)
{
	_cleanup_free_ char *path = NULL;

	if (check_name(name, NULL) < 0)
		return false;
	path = def_path(dir, name);
	return access(path, F_OK) == 0;
}

int store_autostart_set(const struct paths *p, const char *name, bool on, struct error *err)
{
	_cleanup_free_ char *link = NULL;
	_cleanup_free_ char *target = NULL;

	if (check_name(name, err) < 0)
		return -1;
	link = paths_autostart_link(p, name);
	if (!on) {
		if (unlink(link) < 0 && errno != ENOENT)
			return err_sys(err, "remove autostart mark '%s'", link);
		return 0;
	}
	if (file_mkdir_p(p->autostart_dir, 0755, err) < 0)
		return -1;
	/* Relative, so the mark stays right when the root is moved or bound
	 * elsewhere. */
	target = xasprintf("../domains/%s.xml", name);
	if (symlink(target, link) < 0 && errno != EEXIST)
		return err_sys(err, "create autostart mark '%s'", link);
	return 0;
}

bool store_autostart_get(const struct paths *p, const char *name)
{
	_cleanup_free_ char *link = NULL;
	struct stat st;

	if (check_name(name, NULL) < 0)
		return false;
	link = paths_autostart_link(p, name);
	return lstat(link, &st) == 0;
}
