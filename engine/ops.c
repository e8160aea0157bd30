/* Handlers of the control protocol's operations on the registry. */
#include "engine/ops.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"
#include "config/domain-xml.h"
#include "config/paths.h"
#include "config/settings.h"
#include "engine/ops-life.h"
#include "engine/ops-net.h"
#include "engine/ops-stats.h"
#include "engine/proto.h"
#include "engine/registry.h"
#include "engine/sampler.h"
#include "engine/seclabel.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Bumped when a reply or request shape changes incompatibly. */
#define PROTO_VERSION 1

/* A handler adds its results to reply and returns 0, or returns a negative
 * errno (see proto_code_from_errno) with err filled. */
typedef int (*op_fn)(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);

/* An operation whose reply may come later: see ops-life.h. */
typedef int (*op_later_fn)(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
			   json_t **now, struct error *err);

struct op {
	const char *name;
	bool readonly; /* allowed on the read-only socket */
	op_fn fn;
	op_later_fn later;
};

static int arg_string(json_t *req, const char *key, const char **out, struct error *err)
{
	json_t *v = json_object_get(req, key);

	if (!json_is_string(v)) {
		err_set(err, 0, "\"%s\" must be given as a string", key);
		return -EINVAL;
	}
	*out = json_string_value(v);
	return 0;
}

int ops_arg_bool(json_t *req, const char *key, bool *out, struct error *err)
{
	json_t *v = json_object_get(req, key);

	if (v != NULL && !json_is_boolean(v)) {
		err_set(err, 0, "\"%s\" must be true or false", key);
		return -EINVAL;
	}
	*out = json_is_true(v);
	return 0;
}

int ops_arg_domain(struct ops_ctx *ctx, json_t *req, struct reg_domain **out,
		   struct error *err)
{
	const char *name;
	int rc = arg_string(req, "name", &name, err);

	if (rc < 0)
		return rc;
	*out = reg_lookup(ctx->reg, name);
	if (*out == NULL) {
		err_set(err, 0, "domain '%s' not found", name);
		return -ENOENT;
	}
	return 0;
}

static json_t *id_json(const struct reg_domain *d)
{
	return reg_is_active(d) ? json_integer(d->id) : json_null();
}

static const char *reason_of(const struct reg_domain *d)
{
	return d->reason != NULL ? d->reason : "unknown";
}

json_t *ops_list_entry(const struct reg_domain *d)
{
	return json_pack("{s:s,s:o,s:s,s:s,s:b,s:b,s:s}", "name", d->def->name, "id", id_json(d),
			 "state", reg_state_name(d->state), "reason", reason_of(d), "persistent",
			 d->persistent, "autostart", d->autostart, "uuid", d->uuid);
}

static int op_list(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	json_t *arr = json_array();
	bool all;
	int rc = ops_arg_bool(req, "all", &all, err);

	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	for (size_t i = 0; i < reg_count(ctx->reg); i++) {
		const struct reg_domain *d = reg_at(ctx->reg, i);
		if (all || reg_is_active(d))
			json_array_append_new(arr, ops_list_entry(d));
	}
	json_object_set_new(reply, "domains", arr);
	return 0;
}

static json_t *kib_json(uint64_t kib)
{
	return kib == DOM_UNSET ? json_null() : json_integer((json_int_t)kib);
}

/* The label a running container's monitor reports in its state file
 * (model, doi, label), else what this host would use: the model, no
 * label. The XML's model says what was asked, not what is in force. */
static json_t *running_seclabel(struct ops_ctx *ctx, const struct reg_domain *d)
{
	const struct seclabel_backend *be = seclabel_host_backend();
	json_t *sec = NULL;

	if (reg_is_active(d)) {
		_cleanup_free_ char *run = paths_container_run(ctx->paths, d->def->name);
		_cleanup_free_ char *path = xasprintf("%s/state.json", run);
		json_t *st = json_load_file(path, 0, NULL);

		sec = json_incref(json_object_get(st, "seclabel"));
		json_decref(st);
	}
	if (json_is_string(json_object_get(sec, "model")) && json_is_string(json_object_get(sec, "doi")))
		return sec;
	json_decref(sec);
	return json_pack("{s:s,s:s}", "model", be->model, "doi", be->doi);
}

/* virsh dominfo's fields in snake_case; CPU time (ns) and used memory come
 * from the newest statistics sample, null while there is none. */
static int op_dominfo(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct reg_domain *d;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	const struct domain *def = d->def;
	json_t *sec = running_seclabel(ctx, d);
	const struct stat_sample *s = reg_is_active(d) ? ost_latest(ctx->stats, def->name) : NULL;
	uint64_t cpu = s != NULL ? s->st.cpu_usage_ns : CG_UNKNOWN;
	uint64_t used = s != NULL ? s->st.mem_used : CG_UNKNOWN;
	json_t *info = ops_list_entry(d);
	json_object_update_new(
		info, json_pack("{s:s,s:i,s:o,s:o,s:o,s:O,s:O}", "os_type",
				def->os_type != NULL ? def->os_type : "exe", "cpus",
				def->vcpus > 0 ? (int)def->vcpus : 1, "cpu_time",
				cpu == CG_UNKNOWN ? json_null() : json_integer((json_int_t)cpu),
				"max_memory_kib", kib_json(def->memory_kib), "used_memory_kib",
				used == CG_UNKNOWN ? json_null() : json_integer((json_int_t)(used / 1024)),
				"security_model", json_object_get(sec, "model"), "security_doi",
				json_object_get(sec, "doi")));
	if (json_object_get(sec, "label") != NULL)
		json_object_set(info, "security_label", json_object_get(sec, "label"));
	json_decref(sec);
	opn_dominfo(ctx, d, info);
	json_object_set_new(reply, "domain", info);
	return 0;
}

static int op_dumpxml(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct reg_domain *d;
	bool inactive;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0 || (rc = ops_arg_bool(req, "inactive", &inactive, err)) < 0)
		return rc;
	const struct domain *def = inactive && d->newdef != NULL ? d->newdef : d->def;
	_cleanup_free_ char *xml = dom_format(def);
	json_object_set_new(reply, "xml", json_string(xml));
	return 0;
}

json_t *ops_warnings_json(const struct diags *diags)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < diags->n; i++) {
		if (diags->v[i].level != DIAG_WARNING)
			continue;
		char *s = diag_format(&diags->v[i]);
		json_array_append_new(arr, json_string(s));
		free(s);
	}
	return arr;
}

/* Parses the "xml" of req as define and check read it: 0 with *def and
 * the warnings in reply, or -EINVAL with the diagnostics in err. */
static int parse_definition(json_t *req, struct domain **def, json_t *reply, struct error *err)
{
	struct diags diags = { 0 };
	const char *xml, *file = "define";
	int rc = arg_string(req, "xml", &xml, err);

	if (rc < 0)
		return rc;
	/* The client's file name, so that diagnostics point into its file. */
	if (json_is_string(json_object_get(req, "file")))
		file = json_string_value(json_object_get(req, "file"));
	if (dom_parse_buffer(xml, json_string_length(json_object_get(req, "xml")), file, def,
			     &diags) < 0) {
		_cleanup_free_ char *text = diag_format_all(&diags);
		err_set(err, 0, "invalid definition:\n%s", text != NULL ? text : "(no details)");
		diags_clear(&diags);
		return -EINVAL;
	}
	json_object_set_new(reply, "warnings", ops_warnings_json(&diags));
	diags_clear(&diags);
	return 0;
}

static int op_define(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct domain *def = NULL;
	struct reg_domain *d;
	bool created;
	int rc = parse_definition(req, &def, reply, err);

	if (rc < 0)
		return rc;
	rc = reg_define(ctx->reg, def, &d, &created, err);
	if (rc < 0)
		return rc;
	log_info("%s '%s' (%s)", created ? "defined" : "updated", d->def->name, d->uuid);
	json_object_update_new(reply, json_pack("{s:s,s:s,s:b}", "name", d->def->name, "uuid",
						d->uuid, "created", created));
	return 0;
}

/* A definition's name and warnings, nothing kept: what a client that must
 * know the name before a long request (create --console --wait) asks. */
static int op_check(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct domain *def = NULL;
	int rc = parse_definition(req, &def, reply, err);

	if (rc < 0)
		return rc;
	json_object_set_new(reply, "name", json_string(def->name));
	dom_free(def);
	return 0;
}

static int op_undefine(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct reg_domain *d;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	_cleanup_free_ char *name = xstrdup(d->def->name);
	rc = reg_undefine(ctx->reg, d, err);
	if (rc < 0)
		return rc;
	log_info("undefined '%s'", name);
	return 0;
}

static int op_autostart(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct reg_domain *d;
	json_t *enable = json_object_get(req, "enable");
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	if (!json_is_boolean(enable)) {
		err_set(err, 0, "\"enable\" must be given as true or false");
		return -EINVAL;
	}
	rc = reg_set_autostart(ctx->reg, d, json_is_true(enable), err);
	if (rc < 0)
		return rc;
	log_info("autostart of '%s' %s", d->def->name, d->autostart ? "on" : "off");
	return 0;
}

static int op_version(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	json_object_set_new(reply, "version", json_string(CORRAL_VERSION));
	json_object_set_new(reply, "protocol", json_integer(PROTO_VERSION));
	return 0;
}

/* What clients take as their defaults: the shutdown verb's timeout, the
 * network definitions made for the operator attach to. */
static int op_settings(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	const struct settings *s = ctx->settings;

	json_object_set_new(reply, "interval", json_real(s->interval_ms / 1000.0));
	json_object_set_new(reply, "log_size", json_integer((json_int_t)s->log_size));
	json_object_set_new(reply, "default_network", json_string(s->default_network));
	json_object_set_new(reply, "selinux", json_string(settings_selinux_name(s->selinux)));
	json_object_set_new(reply, "shutdown_timeout", json_integer(s->shutdown_timeout_s));
	return 0;
}

static int op_ping(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	return 0;
}

static const struct op ops[] = {
	{ "autostart", false, op_autostart, NULL },
	{ "check", false, op_check, NULL },
	{ "console", false, opl_console, NULL },
	{ "create", false, NULL, opl_create },
	{ "define", false, op_define, NULL },
	{ "destroy", false, NULL, opl_destroy },
	{ "domifstat", true, opn_domifstat, NULL },
	{ "dominfo", true, op_dominfo, NULL },
	{ "dumpxml", true, op_dumpxml, NULL },
	{ "list", true, op_list, NULL },
	{ "net-autostart", false, opn_autostart, NULL },
	{ "net-define", false, opn_define, NULL },
	{ "net-destroy", false, opn_destroy, NULL },
	{ "net-dumpxml", true, opn_dumpxml, NULL },
	{ "net-info", true, opn_info, NULL },
	{ "net-list", true, opn_list, NULL },
	{ "net-start", false, opn_start, NULL },
	{ "net-undefine", false, opn_undefine, NULL },
	{ "ping", true, op_ping, NULL },
	{ "reboot", false, NULL, opl_reboot },
	{ "resume", false, NULL, opl_resume },
	{ "settings", true, op_settings, NULL },
	{ "shutdown", false, NULL, opl_shutdown },
	{ "start", false, NULL, opl_start },
	{ "stats", true, ost_stats, NULL },
	{ "suspend", false, NULL, opl_suspend },
	{ "undefine", false, op_undefine, NULL },
	{ "version", true, op_version, NULL },
	{ "wait", true, NULL, opl_wait },
	{ "watch", true, NULL, ost_watch },
};

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

json_t *ops_dispatch(struct ops_ctx *ctx, json_t *msg, bool readonly, struct srv_conn *conn)
{
	struct error err = ERROR_INIT;
	const char *opname, *why;
	const struct op *op;
	json_t *id, *reply;
	int rc;

	if (proto_parse_request(msg, &id, &opname, &why) < 0)
		return proto_reply_error(id, PROTO_MALFORMED, "%s", why);
	op = find_op(opname);
	if (op == NULL)
		return proto_reply_error(id, PROTO_UNKNOWN_OP, "unknown operation '%s'", opname);
	if (readonly && !op->readonly)
		return proto_reply_error(id, PROTO_DENIED,
					 "'%s' is not allowed on the read-only socket", opname);
	if (op->later != NULL) {
		reply = NULL;
		rc = op->later(ctx, msg, id, conn, &reply, &err);
	} else {
		reply = proto_reply_ok(id);
		rc = op->fn(ctx, msg, reply, &err);
	}
	if (rc < 0) {
		enum proto_code code = proto_code_from_errno(rc);
		json_decref(reply);
		reply = proto_reply_error(id, code, "%s", err_msg(&err));
		if (code == PROTO_INTERNAL)
			log_error("%s: %s", opname, err_msg(&err));
	} else if (!op->readonly) {
		/* define, undefine, autostart change the list at once. */
		ost_domains_changed(ctx->stats);
	}
	err_clear(&err);
	return reply;
}
