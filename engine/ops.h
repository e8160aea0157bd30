/* The operations of the control protocol, as one table: name, whether the
 * read-only socket may call it, and the handler. */
#ifndef CORRAL_ENGINE_OPS_H
#define CORRAL_ENGINE_OPS_H

#include <jansson.h>
#include <stdbool.h>

struct paths;
struct registry;

/* What the handlers work on; the lifecycle code will add its own here. */
struct ops_ctx {
	const struct paths *paths;
	struct registry *reg;
};

/* Answers one request (any JSON value a client sent): always a reply, an
 * error reply when the request is not well formed, unknown, or not allowed
 * on a read-only connection. */
json_t *ops_dispatch(struct ops_ctx *ctx, json_t *msg, bool readonly);

#endif
