/* Lifecycle operations of the control protocol: start, create, shutdown,
 * reboot, destroy, console. Their answers come when the monitor has
 * answered, so they reply on the connection later. */
#include "engine/ops-life.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"
#include "config/domain-xml.h"
#include "config/settings.h"
#include "engine/proto.h"
#include "engine/registry.h"
#include "engine/server.h"
#include "engine/supervise.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* A client waiting for a lifecycle answer. */
struct waiter {
	struct ops_ctx *ctx;
	struct srv_conn *conn;
	json_t *id;
	char *name;
	const char *op;
	bool until_stop; /* answer when the container stops, not when it starts */
};

static struct waiter *waiter_new(struct ops_ctx *ctx, struct srv_conn *conn, json_t *id,
				 const char *name, const char *op)
{
	struct waiter *w = xcalloc(1, sizeof(*w));

	w->ctx = ctx;
	w->conn = srv_conn_ref(conn);
	w->id = json_incref(id);
	w->name = xstrdup(name);
	w->op = op;
	return w;
}

static void waiter_free(struct waiter *w)
{
	srv_conn_unref(w->conn);
	json_decref(w->id);
	free(w->name);
	free(w);
}

/* The end of a container as a reply: its final state and init's exit code. */
static json_t *stop_reply(json_t *id, const char *name, json_t *status)
{
	json_t *reply = proto_reply_ok(id);

	json_object_set_new(reply, "name", json_string(name));
	json_object_set(reply, "state", json_object_get(status, "state"));
	json_object_set(reply, "reason", json_object_get(status, "reason"));
	json_object_set(reply, "exit_code", json_object_get(status, "exit_code"));
	return reply;
}

static void waiter_done(void *data, int rc, json_t *result, const char *message);

static void waiter_stopped(void *data, int rc, json_t *result, const char *message)
{
	struct waiter *w = data;

	if (rc < 0)
		srv_reply(w->conn, proto_reply_error(w->id, PROTO_INTERNAL, "%s", message));
	else
		srv_reply(w->conn, stop_reply(w->id, w->name, result));
	waiter_free(w);
}

static void waiter_done(void *data, int rc, json_t *result, const char *message)
{
	struct waiter *w = data;
	json_t *reply;

	if (rc == 0 && w->until_stop) {
		struct error err = ERROR_INIT;
		struct reg_domain *d = reg_lookup(w->ctx->reg, w->name);
		/* Registered before this callback returns, so no stop event can
		 * slip between the start and the wait. */
		if (d != NULL && sup_wait(w->ctx->sup, d, waiter_stopped, w, &err) == 0)
			return;
		err_clear(&err);
		srv_reply(w->conn, stop_reply(w->id, w->name, result));
		waiter_free(w);
		return;
	}
	if (rc < 0) {
		const char *code = NULL, *ignored;
		if (result != NULL)
			proto_reply_error_of(result, &code, &ignored);
		reply = proto_reply_error(w->id, code ? proto_code_parse(code) : PROTO_INTERNAL,
					  "%s", message ? message : "failed");
	} else {
		/* A start's result is the monitor's "started" event; a request's
		 * the monitor's reply, which may carry a status. */
		json_t *st = json_object_get(result, "status");
		if (!json_is_object(st) && json_object_get(result, "event") != NULL)
			st = result;
		reply = proto_reply_ok(w->id);
		json_object_set_new(reply, "name", json_string(w->name));
		if (json_is_object(st)) {
			json_object_set(reply, "domain_id", json_object_get(st, "id"));
			json_object_set(reply, "init_pid", json_object_get(st, "init_pid"));
		}
	}
	srv_reply(w->conn, reply);
	waiter_free(w);
}

static int start_domain(struct ops_ctx *ctx, json_t *req, struct reg_domain *d, json_t *id,
			struct srv_conn *conn, struct error *err)
{
	struct waiter *w = waiter_new(ctx, conn, id, d->def->name, "start");
	int rc;

	w->until_stop = json_is_true(json_object_get(req, "wait"));
	rc = sup_start(ctx->sup, d, waiter_done, w, err);
	if (rc < 0)
		waiter_free(w);
	return rc;
}

int opl_start(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	      struct error *err)
{
	struct reg_domain *d;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	return start_domain(ctx, req, d, id, conn, err);
}

int opl_create(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err)
{
	json_t *xmlv = json_object_get(req, "xml");
	const char *file = json_string_value(json_object_get(req, "file"));
	struct diags diags = { 0 };
	struct domain *def = NULL;
	struct reg_domain *d;
	int rc;

	if (!json_is_string(xmlv)) {
		err_set(err, 0, "\"xml\" must be given as a string");
		return -EINVAL;
	}
	if (dom_parse_buffer(json_string_value(xmlv), json_string_length(xmlv),
			     file ? file : "create", &def, &diags) < 0) {
		_cleanup_free_ char *text = diag_format_all(&diags);
		err_set(err, 0, "invalid definition:\n%s", text ? text : "(no details)");
		diags_clear(&diags);
		return -EINVAL;
	}
	diags_clear(&diags);
	d = reg_lookup(ctx->reg, def->name);
	if (d != NULL && (reg_is_active(d) || d->runtime != NULL)) {
		err_set(err, 0, "'%s' is %s", def->name,
			reg_is_active(d) ? "already running" : "still stopping; try again in a moment");
		dom_free(def);
		return -EBUSY;
	}
	if (d != NULL) {
		/* virsh create of a defined name runs the given definition once. */
		err_set(err, 0, "'%s' is defined; use start, or undefine it first", def->name);
		dom_free(def);
		return -EEXIST;
	}
	rc = reg_add_transient(ctx->reg, def, &d, err);
	if (rc < 0)
		return rc;
	return start_domain(ctx, req, d, id, conn, err);
}

static int request(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		   const char *op, json_t *args, struct error *err)
{
	struct reg_domain *d;
	struct waiter *w;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	w = waiter_new(ctx, conn, id, d->def->name, op);
	rc = sup_request(ctx->sup, d, op, args, waiter_done, w, err);
	if (rc < 0)
		waiter_free(w);
	return rc;
}

/* "timeout" (seconds; corrald.conf's shutdown_timeout when absent; 0: no
 * limit) and "force" (default true): the monitor destroys a container still
 * running when the time is up, so a shutdown from the TUI ends as one from
 * the CLI does. */
int opl_shutdown(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
		 struct error *err)
{
	json_t *t = json_object_get(req, "timeout");
	json_t *f = json_object_get(req, "force");
	double seconds = ctx->settings != NULL ? ctx->settings->shutdown_timeout_s : 60;
	json_t *args;
	int rc;

	if (t != NULL && (!json_is_number(t) || !(json_number_value(t) >= 0) ||
			  json_number_value(t) > SETTINGS_SHUTDOWN_TIMEOUT_MAX)) {
		err_set(err, 0, "\"timeout\" must be a number of seconds from 0 to %d",
			SETTINGS_SHUTDOWN_TIMEOUT_MAX);
		return -EINVAL;
	}
	if (f != NULL && !json_is_boolean(f)) {
		err_set(err, 0, "\"force\" must be true or false");
		return -EINVAL;
	}
	if (t != NULL)
		seconds = json_number_value(t);
	args = json_pack("{s:I}", "timeout_ms",
			 f == NULL || json_is_true(f) ? (json_int_t)(seconds * 1000) : (json_int_t)0);
	rc = request(ctx, req, id, conn, "shutdown", args, err);
	json_decref(args);
	return rc;
}

int opl_reboot(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err)
{
	return request(ctx, req, id, conn, "reboot", NULL, err);
}

int opl_destroy(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
		struct error *err)
{
	return request(ctx, req, id, conn, "destroy", NULL, err);
}

int opl_suspend(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		json_t **now, struct error *err)
{
	return request(ctx, req, id, conn, "suspend", NULL, err);
}

int opl_resume(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err)
{
	return request(ctx, req, id, conn, "resume", NULL, err);
}

int opl_wait(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	     struct error *err)
{
	struct reg_domain *d;
	struct waiter *w;
	int rc = ops_arg_domain(ctx, req, &d, err);

	if (rc < 0)
		return rc;
	if (d->runtime == NULL) {
		json_t *st = json_pack("{s:s, s:s, s:n}", "state", reg_state_name(d->state), "reason",
				       d->reason ? d->reason : "unknown", "exit_code");
		*now = stop_reply(id, d->def->name, st);
		json_decref(st);
		return 0;
	}
	w = waiter_new(ctx, conn, id, d->def->name, "wait");
	rc = sup_wait(ctx->sup, d, waiter_stopped, w, err);
	if (rc < 0)
		waiter_free(w);
	return rc;
}

int opl_console(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err)
{
	struct reg_domain *d;
	int rc = ops_arg_domain(ctx, req, &d, err);
	char *con, *mon;

	if (rc < 0)
		return rc;
	if (sup_starting(d)) {
		err_set(err, 0, "'%s' is starting; its console is not there yet", d->def->name);
		return -EBUSY;
	}
	con = sup_console_path(ctx->sup, d);
	mon = sup_monitor_path(ctx->sup, d);
	if (con == NULL || mon == NULL) {
		free(con);
		free(mon);
		err_set(err, 0, "'%s' is not running", d->def->name);
		return -EBUSY;
	}
	json_object_set_new(reply, "console", json_string(con));
	json_object_set_new(reply, "monitor", json_string(mon));
	free(con);
	free(mon);
	return 0;
}
