/* Handlers of the network operations: the engine's networks table, and
 * the containers that use each network. */
#include "engine/ops-net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"
#include "config/network.h"
#include "config/uuid.h"
#include "engine/ipam.h"
#include "engine/networks.h"
#include "engine/registry.h"
#include "engine/supervise.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

static int net_arg(struct ops_ctx *ctx, json_t *req, struct net_entry **out, struct error *err)
{
	const char *name = json_string_value(json_object_get(req, "name"));

	if (name == NULL) {
		err_set(err, 0, "\"name\" must be given as a string");
		return -EINVAL;
	}
	*out = nets_lookup(ctx->nets, name);
	if (*out == NULL) {
		err_set(err, 0, "network '%s' not found", name);
		return -ENOENT;
	}
	return 0;
}

static json_t *uuid_json(const struct network *net)
{
	char s[UUID_STR_LEN];

	if (!net->has_uuid)
		return json_null();
	uuid_format(net->uuid, s);
	return json_string(s);
}

static json_t *entry_json(const struct net_entry *e)
{
	return json_pack("{s:s,s:o,s:b,s:b,s:b,s:s}", "name", e->def->name, "uuid",
			 uuid_json(e->def), "active", e->active, "autostart", e->autostart,
			 "persistent", e->persistent, "bridge", e->def->bridge);
}

int opn_list(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	json_t *arr;
	bool all;
	int rc = ops_arg_bool(req, "all", &all, err);

	if (rc < 0)
		return rc;
	arr = json_array();
	for (size_t i = 0; i < nets_count(ctx->nets); i++) {
		const struct net_entry *e = nets_at(ctx->nets, i);
		if (all || e->active)
			json_array_append_new(arr, entry_json(e));
	}
	json_object_set_new(reply, "networks", arr);
	return 0;
}

int opn_define(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	json_t *xmlv = json_object_get(req, "xml");
	const char *file = json_string_value(json_object_get(req, "file"));
	struct diags diags = { 0 };
	struct network *def = NULL;
	struct net_entry *e;
	bool created;
	int rc;

	if (!json_is_string(xmlv)) {
		err_set(err, 0, "\"xml\" must be given as a string");
		return -EINVAL;
	}
	/* The client's file name, so that diagnostics point into its file. */
	if (net_parse_buffer(json_string_value(xmlv), json_string_length(xmlv),
			     file ? file : "net-define", &def, &diags) < 0) {
		_cleanup_free_ char *text = diag_format_all(&diags);
		err_set(err, 0, "invalid network definition:\n%s", text ? text : "(no details)");
		diags_clear(&diags);
		return -EINVAL;
	}
	json_object_set_new(reply, "warnings", ops_warnings_json(&diags));
	diags_clear(&diags);
	rc = nets_define(ctx->nets, def, &e, &created, err);
	if (rc < 0)
		return rc;
	log_info("%s network '%s'", created ? "defined" : "updated", e->def->name);
	json_object_set_new(reply, "name", json_string(e->def->name));
	json_object_set_new(reply, "uuid", uuid_json(e->def));
	json_object_set_new(reply, "created", json_boolean(created));
	return 0;
}

int opn_undefine(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct net_entry *e;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0)
		return rc;
	_cleanup_free_ char *name = xstrdup(e->def->name);
	rc = nets_undefine(ctx->nets, e, err);
	if (rc < 0)
		return rc;
	log_info("undefined network '%s'", name);
	return 0;
}

int opn_start(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct net_entry *e;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0)
		return rc;
	return nets_start(ctx->nets, e, err);
}

static char *joined(const char **v, size_t n)
{
	size_t len = 1;
	char *out;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	out = xcalloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ", ");
		strcat(out, v[i]);
	}
	return out;
}

int opn_destroy(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	_cleanup_free_ const char **users = NULL;
	struct net_entry *e;
	bool force;
	size_t n;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0 || (rc = ops_arg_bool(req, "force", &force, err)) < 0)
		return rc;
	n = e->active ? nets_users(e, ctx->reg, &users) : 0;
	if (n > 0 && !force) {
		_cleanup_free_ char *names = joined(users, n);
		err_set(err, 0, "network '%s' is in use by %s; stop %s first, or use --force",
			e->def->name, names, n == 1 ? "it" : "them");
		return -EBUSY;
	}
	if (n > 0)
		log_warn("destroying network '%s' under %zu running container(s)", e->def->name, n);
	return nets_destroy(ctx->nets, e, err);
}

int opn_autostart(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	json_t *enable = json_object_get(req, "enable");
	struct net_entry *e;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0)
		return rc;
	if (!json_is_boolean(enable)) {
		err_set(err, 0, "\"enable\" must be given as true or false");
		return -EINVAL;
	}
	rc = nets_set_autostart(ctx->nets, e, json_is_true(enable), err);
	if (rc < 0)
		return rc;
	log_info("autostart of network '%s' %s", e->def->name, e->autostart ? "on" : "off");
	return 0;
}

int opn_dumpxml(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct net_entry *e;
	bool inactive;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0 || (rc = ops_arg_bool(req, "inactive", &inactive, err)) < 0)
		return rc;
	_cleanup_free_ char *xml = net_format(inactive && e->newdef ? e->newdef : e->def);
	json_object_set_new(reply, "xml", json_string(xml));
	return 0;
}

static json_t *addresses_json(const struct network *net)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < net->n_ips; i++) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(net->ips[i].family, &net->ips[i].addr, a, sizeof(a));
		_cleanup_free_ char *s = xasprintf("%s/%d", a, net->ips[i].prefix);
		json_array_append_new(arr, json_string(s));
	}
	return arr;
}

int opn_info(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	_cleanup_free_ const char **users = NULL;
	struct ipam_lease *leases;
	struct net_entry *e;
	size_t n_users, n_leases;
	json_t *info, *arr;
	int rc = net_arg(ctx, req, &e, err);

	if (rc < 0)
		return rc;
	rc = nets_leases(ctx->nets, e, &leases, &n_leases, err);
	if (rc < 0)
		return rc;
	info = entry_json(e);
	json_object_set_new(info, "forward", json_string(net_forward_name(e->def->forward)));
	json_object_set_new(info, "addresses", addresses_json(e->def));
	arr = json_array();
	n_users = nets_users(e, ctx->reg, &users);
	for (size_t i = 0; i < n_users; i++)
		json_array_append_new(arr, json_string(users[i]));
	json_object_set_new(info, "domains", arr);
	arr = json_array();
	for (size_t i = 0; i < n_leases; i++) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &leases[i].addr, a, sizeof(a));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:i}", "address", a, "domain",
						     leases[i].owner, "interface",
						     (int)leases[i].index));
	}
	ipam_leases_free(leases, n_leases);
	json_object_set_new(info, "leases", arr);
	json_object_set_new(reply, "network", info);
	return 0;
}

int opn_domifstat(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	const char *name = json_string_value(json_object_get(req, "name"));
	struct reg_domain *d;
	json_t *stats;
	int rc;

	if (name == NULL) {
		err_set(err, 0, "\"name\" must be given as a string");
		return -EINVAL;
	}
	d = reg_lookup(ctx->reg, name);
	if (d == NULL) {
		err_set(err, 0, "domain '%s' not found", name);
		return -ENOENT;
	}
	if (!reg_is_active(d)) {
		err_set(err, 0, "'%s' is not running", d->def->name);
		return -EBUSY;
	}
	rc = nets_domain_stats(ctx->nets, d->def, &stats, err);
	if (rc < 0)
		return rc;
	json_object_set_new(reply, "interfaces", stats);
	return 0;
}

void opn_dominfo(struct ops_ctx *ctx, const struct reg_domain *d, json_t *info)
{
	json_t *ifaces = sup_interfaces(ctx->sup, d);

	json_object_set_new(info, "interfaces",
			    json_is_array(ifaces) ? json_deep_copy(ifaces) : json_array());
}
