/* Lifecycle operations (start, create, shutdown, reboot, destroy, console)
 * for the operations table in ops.c. */
#ifndef CORRAL_ENGINE_OPS_LIFE_H
#define CORRAL_ENGINE_OPS_LIFE_H

#include <jansson.h>

#include "engine/ops.h"

struct error;
struct srv_conn;

/* Deferred operations: 0 when the reply will come on conn, or a negative
 * errno with err filled when the request fails at once. */
int opl_start(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
	      struct error *err);
int opl_create(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
	       struct error *err);
int opl_shutdown(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		 struct error *err);
int opl_reboot(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
	       struct error *err);
int opl_destroy(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		struct error *err);

/* Immediate: the paths of a running domain's console and monitor sockets. */
int opl_console(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);

#endif
