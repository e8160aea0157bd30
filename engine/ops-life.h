/* Lifecycle operations (start, create, shutdown, reboot, destroy, console)
 * for the operations table in ops.c. */
#ifndef CORRAL_ENGINE_OPS_LIFE_H
#define CORRAL_ENGINE_OPS_LIFE_H

#include <jansson.h>

#include "engine/ops.h"

struct error;
struct srv_conn;

/* Operations answered later: 0 with *now NULL when the reply will come on
 * conn, 0 with *now set to a reply to send at once, or a negative errno
 * with err filled. start and create take "wait": true to be answered when
 * the container stops (with its init's exit_code), as `docker run` does. */
int opl_start(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	      struct error *err);
int opl_create(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err);
int opl_shutdown(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		 json_t **now, struct error *err);
int opl_reboot(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err);
int opl_destroy(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		json_t **now, struct error *err);
/* Freeze and thaw the container (state paused / running). */
int opl_suspend(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn,
		json_t **now, struct error *err);
int opl_resume(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	       struct error *err);
/* Answered when the container stops: state, reason, exit_code. A domain
 * that is not running is answered at once with its state. */
int opl_wait(struct ops_ctx *ctx, json_t *req, json_t *id, struct srv_conn *conn, json_t **now,
	     struct error *err);

/* Immediate: the paths of a running domain's console and monitor sockets. */
int opl_console(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);

#endif
