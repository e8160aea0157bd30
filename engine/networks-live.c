/* The live definitions of active networks, RUN/.networks/NAME.json, in
 * JSON: apart from networks.c so that a monitor, which only reads them,
 * links neither the definition store nor libxml2. */
#include "engine/networks.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "config/network-json.h"
#include "config/network.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

char *nets_live_dir(const char *run_dir)
{
	return xasprintf("%s/.networks", run_dir);
}

/* The name becomes a file name: no '/', no leading '.'. */
static int check_name(const char *name, struct error *err)
{
	if (!net_name_valid(name))
		return err_set(err, EINVAL, "'%s' is not a valid network name", name ? name : "");
	return 0;
}

char *nets_live_path(const char *run_dir, const char *name)
{
	return xasprintf("%s/.networks/%s.json", run_dir, name);
}

int nets_live_load(const char *run_dir, const char *name, struct network **out,
		   struct error *err)
{
	_cleanup_free_ char *path = NULL;

	*out = NULL;
	if (check_name(name, err) < 0)
		return -1;
	path = nets_live_path(run_dir, name);
	if (net_json_load(path, out, err) < 0) {
		if (err->errnum == ENOENT)
			return err_set(err, ENOENT, "network '%s' is not active (net-start %s)", name,
				       name);
		return -1;
	}
	if (strcmp((*out)->name, name) != 0) {
		err_set(err, EINVAL, "'%s': holds network '%s', expected '%s'", path, (*out)->name,
			name);
		net_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int nets_live_save(const char *run_dir, const struct network *net, struct error *err)
{
	_cleanup_free_ char *dir = nets_live_dir(run_dir);
	_cleanup_free_ char *path = NULL;

	if (check_name(net->name, err) < 0 || file_mkdir_p(dir, 0755, err) < 0)
		return -1;
	path = nets_live_path(run_dir, net->name);
	return net_json_save(path, net, err);
}

int nets_live_delete(const char *run_dir, const char *name, struct error *err)
{
	_cleanup_free_ char *path = NULL;

	if (check_name(name, err) < 0)
		return -1;
	path = nets_live_path(run_dir, name);
	if (unlink(path) < 0)
		return err_sys(err, "delete '%s'", path);
	return 0;
}
