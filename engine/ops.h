/* The operations of the control protocol, as one table: name, whether the
 * read-only socket may call it, and the handler. */
#ifndef CORRAL_ENGINE_OPS_H
#define CORRAL_ENGINE_OPS_H

#include <jansson.h>
#include <stdbool.h>

struct networks;
struct ost;
struct error;
struct paths;
struct diags;
struct reg_domain;
struct registry;
struct settings;
struct srv_conn;
struct sup;

/* What the handlers work on. */
struct ops_ctx {
	const struct paths *paths;
	struct registry *reg;
	struct sup *sup;
	struct networks *nets;
	struct ost *stats;
	const struct settings *settings; /* corrald.conf, for the settings op */
};

/* Answers one request (any JSON value a client sent): a reply, an error
 * reply when the request is not well formed, unknown, or not allowed on a
 * read-only connection — or NULL when the answer comes later on conn (a
 * start waits for its monitor's report). */
/* A domain as the list op shows it (also the watch stream's "domains"). */
json_t *ops_list_entry(const struct reg_domain *d);

/* A request's boolean field (an absent one is false); -EINVAL with err
 * filled when it is there but not true or false. */
int ops_arg_bool(json_t *req, const char *key, bool *out, struct error *err);
/* The warnings among diags, formatted, as the define verbs reply them. */
json_t *ops_warnings_json(const struct diags *diags);
/* The domain a request's "name" names: -EINVAL when it is not a string,
 * -ENOENT (err says which) when no such domain is known. */
int ops_arg_domain(struct ops_ctx *ctx, json_t *req, struct reg_domain **out,
		   struct error *err);

json_t *ops_dispatch(struct ops_ctx *ctx, json_t *msg, bool readonly, struct srv_conn *conn);

#endif
