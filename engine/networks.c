/* The engine's table of networks, kept in name order, backed by the store
 * of definitions and by the live definitions of active networks. */
#include "engine/networks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/diag.h"
#include "config/domain.h"
#include "config/network.h"
#include "config/paths.h"
#include "config/store.h"
#include "config/uuid.h"
#include "engine/ipam.h"
#include "engine/netif.h"
#include "engine/netlink.h"
#include "engine/registry.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Present once `default` was defined, so that an operator's net-undefine
 * of it holds across engine restarts. */
#define FIRST_START_MARK ".initialized"

struct networks {
	const struct paths *paths;
	struct nl *host;
	char *default_name; /* defined on the first start */
	struct net_entry **v; /* sorted by name */
	size_t n;
};

struct networks *nets_new(const struct paths *p, struct nl *host, const char *default_name)
{
	struct networks *n = xcalloc(1, sizeof(*n));

	n->paths = p;
	n->host = host;
	n->default_name = xstrdup(default_name);
	return n;
}

static void entry_free(struct net_entry *e)
{
	net_free(e->def);
	net_free(e->newdef);
	free(e);
}

void nets_free(struct networks *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++)
		entry_free(n->v[i]);
	free(n->v);
	nl_free(n->host);
	free(n->default_name);
	free(n);
}

struct net_entry *nets_lookup(struct networks *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->v[i]->def->name, name) == 0)
			return n->v[i];
	return NULL;
}

size_t nets_count(const struct networks *n)
{
	return n->n;
}

struct net_entry *nets_at(const struct networks *n, size_t i)
{
	return i < n->n ? n->v[i] : NULL;
}

static struct net_entry *insert(struct networks *n, struct network *def)
{
	struct net_entry *e = xcalloc(1, sizeof(*e));
	size_t at = 0;

	e->def = def;
	while (at < n->n && strcmp(n->v[at]->def->name, def->name) < 0)
		at++;
	n->v = xreallocarray(n->v, n->n + 1, sizeof(*n->v));
	memmove(&n->v[at + 1], &n->v[at], (n->n - at) * sizeof(*n->v));
	n->v[at] = e;
	n->n++;
	return e;
}

static void remove_entry(struct networks *n, struct net_entry *e)
{
	for (size_t i = 0; i < n->n; i++) {
		if (n->v[i] != e)
			continue;
		memmove(&n->v[i], &n->v[i + 1], (n->n - i - 1) * sizeof(*n->v));
		n->n--;
		entry_free(e);
		return;
	}
}

/* ---- the store ---- */

static char *autostart_link(const struct networks *n, const char *name)
{
	return xasprintf("%s/autostart/%s.xml", n->paths->networks_dir, name);
}

static bool autostart_get(const struct networks *n, const char *name)
{
	_cleanup_free_ char *link = autostart_link(n, name);
	struct stat st;

	return lstat(link, &st) == 0;
}

static int autostart_set(const struct networks *n, const char *name, bool on, struct error *err)
{
	_cleanup_free_ char *link = autostart_link(n, name);
	_cleanup_free_ char *dir = NULL;
	_cleanup_free_ char *target = NULL;

	if (!on) {
		if (unlink(link) < 0 && errno != ENOENT)
			return err_sys(err, "remove autostart mark '%s'", link);
		return 0;
	}
	dir = xasprintf("%s/autostart", n->paths->networks_dir);
	if (file_mkdir_p(dir, 0755, err) < 0)
		return -1;
	/* Relative, as the domains' marks, so a moved root keeps them right. */
	target = xasprintf("../%s.xml", name);
	if (symlink(target, link) < 0 && errno != EEXIST)
		return err_sys(err, "create autostart mark '%s'", link);
	return 0;
}

static int first_start(struct networks *n, struct error *err)
{
	static const char note[] = "corral defined the default network on its first start here;\n"
				   "remove this file to have it defined again.\n";
	_cleanup_free_ char *mark = xasprintf("%s/%s", n->paths->networks_dir, FIRST_START_MARK);
	_cleanup_network_ struct network *def = NULL;

	if (access(mark, F_OK) == 0)
		return 0;
	if (!store_exists(n->paths->networks_dir, n->default_name)) {
		def = net_default(n->default_name);
		if (net_save(n->paths->networks_dir, def, err) < 0 ||
		    autostart_set(n, def->name, true, err) < 0)
			return err_prefix(err, "define the default network '%s'", def->name);
		log_info("defined network '%s' (bridge '%s') on the first start", def->name,
			 def->bridge);
	}
	return file_write_atomic(mark, note, sizeof(note) - 1, 0644, err);
}

static const struct net_entry *find_uuid(const struct networks *n, const struct network *net)
{
	if (!net->has_uuid)
		return NULL;
	for (size_t i = 0; i < n->n; i++)
		if (n->v[i]->def->has_uuid && memcmp(n->v[i]->def->uuid, net->uuid, NET_UUID_LEN) == 0)
			return n->v[i];
	return NULL;
}

static void load_persistent(struct networks *n, const char *name)
{
	struct diags d = { 0 };
	struct error err = ERROR_INIT;
	struct network *def = NULL;

	if (net_load(n->paths->networks_dir, name, &def, &d, &err) < 0) {
		log_warn("network '%s' left out: %s", name, err_msg(&err));
	} else if (find_uuid(n, def) != NULL) {
		log_warn("network '%s' left out: network '%s' has its UUID", name,
			 find_uuid(n, def)->def->name);
		net_free(def);
	} else {
		struct net_entry *e = insert(n, def);
		e->persistent = true;
		e->autostart = autostart_get(n, name);
	}
	diags_clear(&d);
	err_clear(&err);
}

static bool same_def(const struct network *a, const struct network *b)
{
	_cleanup_free_ char *x = net_format(a);
	_cleanup_free_ char *y = net_format(b);

	return strcmp(x, y) == 0;
}

/* An active network's live definition is what its bridge was made from;
 * the stored one, when it differs, waits for the next start. */
static void load_live(struct networks *n, const char *name)
{
	_cleanup_free_ char *path = nets_live_path(n->paths->run_dir, name);
	struct error err = ERROR_INIT;
	struct network *live = NULL;
	struct net_entry *e;
	int rc;

	rc = nets_live_load(n->paths->run_dir, name, &live, &err);
	if (rc == 0)
		rc = netif_network_active(n->host, live, &err);
	if (rc <= 0) {
		if (rc < 0)
			log_warn("network '%s': %s", name, err_msg(&err));
		else
			log_info("network '%s': its bridge '%s' is gone; it is inactive", name,
				 live->bridge);
		err_clear(&err);
		net_free(live);
		unlink(path);
		return;
	}
	e = nets_lookup(n, name);
	if (e == NULL) {
		e = insert(n, live);
	} else if (same_def(e->def, live)) {
		net_free(live);
	} else {
		e->newdef = e->def;
		e->def = live;
	}
	e->active = true;
}

int nets_load(struct networks *n, struct error *err)
{
	_cleanup_free_ char *ldir = nets_live_dir(n->paths->run_dir);
	char **names;
	size_t count;

	if (first_start(n, err) < 0)
		return -1;
	if (store_list(n->paths->networks_dir, &names, &count, err) < 0)
		return err_prefix(err, "networks");
	for (size_t i = 0; i < count; i++)
		load_persistent(n, names[i]);
	store_names_free(names, count);
	if (store_list_ext(ldir, ".json", &names, &count, err) < 0)
		return err_prefix(err, "active networks");
	for (size_t i = 0; i < count; i++)
		load_live(n, names[i]);
	store_names_free(names, count);
	return 0;
}

/* ---- changes ---- */

static const struct net_entry *bridge_owner(const struct networks *n, const char *bridge,
					    const char *except)
{
	for (size_t i = 0; i < n->n; i++) {
		const struct net_entry *e = n->v[i];
		if (strcmp(e->def->name, except) == 0)
			continue;
		if (strcmp(e->def->bridge, bridge) == 0 ||
		    (e->newdef != NULL && strcmp(e->newdef->bridge, bridge) == 0))
			return e;
	}
	return NULL;
}

int nets_define(struct networks *n, struct network *def_in, struct net_entry **out, bool *created,
		struct error *err)
{
	_cleanup_network_ struct network *def = def_in;
	struct net_entry *e = nets_lookup(n, def->name);
	const struct net_entry *other;
	char uuid[UUID_STR_LEN];

	if (e != NULL && def->has_uuid && e->def->has_uuid &&
	    memcmp(e->def->uuid, def->uuid, NET_UUID_LEN) != 0) {
		uuid_format(e->def->uuid, uuid);
		err_set(err, 0, "network '%s' already exists with UUID %s", def->name, uuid);
		return -EEXIST;
	}
	other = find_uuid(n, def);
	if (other != NULL && other != e) {
		uuid_format(def->uuid, uuid);
		err_set(err, 0, "UUID %s is network '%s''s", uuid, other->def->name);
		return -EEXIST;
	}
	other = bridge_owner(n, def->bridge, def->name);
	if (other != NULL) {
		err_set(err, 0, "bridge '%s' is network '%s''s; give this network another",
			def->bridge, other->def->name);
		return -EEXIST;
	}
	if (!def->has_uuid) {
		if (e != NULL && e->def->has_uuid)
			memcpy(def->uuid, e->def->uuid, NET_UUID_LEN);
		else if (uuid_generate(def->uuid, err) < 0)
			return -EIO;
		def->has_uuid = true;
	}
	if (net_save(n->paths->networks_dir, def, err) < 0)
		return -EIO;
	*created = e == NULL;
	if (e == NULL) {
		e = insert(n, move_ptr(def));
	} else if (e->active) {
		net_free(e->newdef);
		e->newdef = move_ptr(def);
	} else {
		net_free(e->def);
		e->def = move_ptr(def);
	}
	e->persistent = true;
	if (out != NULL)
		*out = e;
	return 0;
}

int nets_undefine(struct networks *n, struct net_entry *e, struct error *err)
{
	const char *name = e->def->name;

	if (!e->persistent) {
		err_set(err, 0, "network '%s' is transient: there is no definition to remove", name);
		return -EINVAL;
	}
	if (autostart_set(n, name, false, err) < 0 ||
	    net_delete(n->paths->networks_dir, name, err) < 0) {
		err_prefix(err, "undefine network '%s'", name);
		return -EIO;
	}
	e->autostart = false;
	e->persistent = false;
	net_free(e->newdef);
	e->newdef = NULL;
	if (!e->active)
		remove_entry(n, e);
	return 0;
}

int nets_start(struct networks *n, struct net_entry *e, struct error *err)
{
	const struct network *def = e->def;
	struct error ignored = ERROR_INIT;

	if (e->active) {
		err_set(err, 0, "network '%s' is already active", def->name);
		return -EBUSY;
	}
	if (netif_network_start(n->host, def, err) < 0) {
		if (err->errnum == EEXIST)
			err_set(err, 0, "start network '%s': an interface named '%s' already exists "
					"on the host; give the network another <bridge name>",
				def->name, def->bridge);
		return -EIO;
	}
	if (nets_live_save(n->paths->run_dir, def, err) < 0) {
		netif_network_stop(n->host, def, &ignored);
		err_clear(&ignored);
		err_prefix(err, "start network '%s'", def->name);
		return -EIO;
	}
	e->active = true;
	log_info("network '%s' started: bridge '%s'", def->name, def->bridge);
	return 0;
}

/* A network without leases leaves no file behind; one destroyed under
 * running containers keeps theirs until they stop. */
static void drop_lease_file(struct networks *n, const struct network *net)
{
	_cleanup_free_ char *path = ipam_path(n->paths->run_dir, net->name);
	_cleanup_free_ char *lock = xasprintf("%s.lock", path);
	_cleanup_free_ char *dir = nets_live_dir(n->paths->run_dir);
	_cleanup_ipam_ struct ipam *ipam = NULL;
	struct error err = ERROR_INIT;
	struct ipam_lease *leases = NULL;
	size_t count = 0;

	if (access(path, F_OK) == 0) {
		if (net_ipv4(net) != NULL &&
		    (ipam_open(path, net, &ipam, &err) < 0 ||
		     ipam_list(ipam, &leases, &count, &err) < 0)) {
			log_warn("network '%s': %s", net->name, err_msg(&err));
			err_clear(&err);
			return;
		}
		ipam_leases_free(leases, count);
		if (count > 0)
			return;
		unlink(path);
		unlink(lock);
	}
	/* The last network gone: nothing of networks under the run dir. */
	rmdir(dir);
}

int nets_destroy(struct networks *n, struct net_entry *e, struct error *err)
{
	const char *name = e->def->name;
	struct error ignored = ERROR_INIT;

	if (!e->active) {
		err_set(err, 0, "network '%s' is not active", name);
		return -EBUSY;
	}
	if (netif_network_stop(n->host, e->def, err) < 0)
		return -EIO;
	if (nets_live_delete(n->paths->run_dir, name, &ignored) < 0 && ignored.errnum != ENOENT)
		log_warn("%s", err_msg(&ignored));
	err_clear(&ignored);
	drop_lease_file(n, e->def);
	e->active = false;
	log_info("network '%s' destroyed", name);
	if (!e->persistent) {
		remove_entry(n, e);
		return 0;
	}
	if (e->newdef != NULL) {
		net_free(e->def);
		e->def = e->newdef;
		e->newdef = NULL;
	}
	return 0;
}

int nets_set_autostart(struct networks *n, struct net_entry *e, bool on, struct error *err)
{
	if (!e->persistent) {
		err_set(err, 0, "network '%s' is transient: define it to mark it autostart",
			e->def->name);
		return -EINVAL;
	}
	if (autostart_set(n, e->def->name, on, err) < 0) {
		err_prefix(err, "network '%s'", e->def->name);
		return -EIO;
	}
	e->autostart = on;
	return 0;
}

/* ---- containers on networks ---- */

static bool domain_uses(const struct domain *dom, const struct network *net)
{
	for (size_t i = 0; i < dom->n_interfaces; i++) {
		const struct dom_interface *di = &dom->interfaces[i];
		if (di->source == NULL)
			continue;
		if (di->type == DOM_IF_NETWORK && strcmp(di->source, net->name) == 0)
			return true;
		if (di->type == DOM_IF_BRIDGE && strcmp(di->source, net->bridge) == 0)
			return true;
	}
	return false;
}

size_t nets_users(const struct net_entry *e, struct registry *reg, const char ***names)
{
	size_t count = 0;

	*names = NULL;
	for (size_t i = 0; i < reg_count(reg); i++) {
		const struct reg_domain *d = reg_at(reg, i);
		/* A start under way counts: its monitor is about to attach. */
		if (!reg_is_active(d) && d->runtime == NULL)
			continue;
		if (!domain_uses(d->def, e->def))
			continue;
		*names = xreallocarray(*names, count + 1, sizeof(**names));
		(*names)[count++] = d->def->name;
	}
	return count;
}

int nets_leases(struct networks *n, const struct net_entry *e, struct ipam_lease **leases,
		size_t *count, struct error *err)
{
	_cleanup_free_ char *path = ipam_path(n->paths->run_dir, e->def->name);
	_cleanup_ipam_ struct ipam *ipam = NULL;

	*leases = NULL;
	*count = 0;
	if (net_ipv4(e->def) == NULL)
		return 0;
	if (ipam_open(path, e->def, &ipam, err) < 0 || ipam_list(ipam, leases, count, err) < 0) {
		err_prefix(err, "leases of network '%s'", e->def->name);
		return -EIO;
	}
	return 0;
}

int nets_prepare(struct networks *n, const struct domain *dom, struct error *err)
{
	for (size_t i = 0; i < dom->n_interfaces; i++) {
		const struct dom_interface *di = &dom->interfaces[i];
		struct net_entry *e;
		int rc;

		if (di->type != DOM_IF_NETWORK || di->source == NULL)
			continue;
		e = nets_lookup(n, di->source);
		if (e == NULL) {
			err_set(err, 0, "interface %zu of '%s': network '%s' is not defined "
					"(see net-list --all)", i, dom->name, di->source);
			return -EINVAL;
		}
		if (e->active)
			continue;
		if (!e->autostart) {
			err_set(err, 0, "interface %zu of '%s': network '%s' is not active; start "
					"it with net-start %s", i, dom->name, di->source, di->source);
			return -EBUSY;
		}
		rc = nets_start(n, e, err);
		if (rc < 0) {
			err_prefix(err, "interface %zu of '%s'", i, dom->name);
			return rc;
		}
	}
	return 0;
}

static const struct network *find_def(void *opaque, const char *name)
{
	struct net_entry *e = nets_lookup(opaque, name);

	return e != NULL ? e->def : NULL;
}

static struct netif_env env_of(struct networks *n)
{
	return (struct netif_env){ .root_tag = n->paths->cgroup_name,
				   .run_dir = n->paths->run_dir,
				   .network = find_def,
				   .opaque = n };
}

void nets_cleanup_domain(struct networks *n, const struct domain *dom)
{
	struct netif_env env = env_of(n);
	_cleanup_netif_plan_ struct netif_plan *plan = NULL;
	struct error err = ERROR_INIT;

	if (dom->n_interfaces == 0)
		return;
	if (netif_plan_build(dom, &env, &plan, &err) < 0) {
		log_warn("clean up the network of '%s': %s", dom->name, err_msg(&err));
		err_clear(&err);
		return;
	}
	if (netif_teardown(plan, n->host, &err) < 0) {
		log_warn("%s", err_msg(&err));
		err_clear(&err);
	}
	if (netif_plan_release(plan, &env, &err) < 0) {
		log_warn("release the leases of '%s': %s", dom->name, err_msg(&err));
		err_clear(&err);
	}
	/* The last user of a network destroyed under it leaves no file. */
	for (size_t i = 0; i < plan->n; i++) {
		const struct net_entry *e =
			plan->v[i].network ? nets_lookup(n, plan->v[i].network) : NULL;
		if (e != NULL && !e->active)
			drop_lease_file(n, e->def);
	}
}

int nets_domain_stats(struct networks *n, const struct domain *dom, json_t **out,
		      struct error *err)
{
	struct netif_env env = env_of(n);
	_cleanup_netif_plan_ struct netif_plan *plan = NULL;
	json_t *arr;

	*out = NULL;
	if (netif_plan_build(dom, &env, &plan, err) < 0)
		return -EINVAL;
	arr = json_array();
	for (size_t i = 0; i < plan->n; i++) {
		struct nl_link_stats st;
		if (netif_stats(n->host, &plan->v[i], &st, err) < 0) {
			json_decref(arr);
			err_prefix(err, "counters of '%s'", dom->name);
			return -EIO;
		}
		json_array_append_new(
			arr, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "name",
				       plan->v[i].guest, "host_dev", plan->v[i].host, "rx_bytes",
				       (json_int_t)st.rx_bytes, "rx_packets", (json_int_t)st.rx_packets,
				       "rx_errors", (json_int_t)st.rx_errors, "rx_dropped",
				       (json_int_t)st.rx_dropped, "tx_bytes", (json_int_t)st.tx_bytes,
				       "tx_packets", (json_int_t)st.tx_packets, "tx_errors",
				       (json_int_t)st.tx_errors, "tx_dropped",
				       (json_int_t)st.tx_dropped));
	}
	*out = arr;
	return 0;
}
