/* One request to the engine on its own connection, answered while the
 * event loop carries on: a start or a shutdown may take seconds, and the
 * screen must not freeze meanwhile. */
#ifndef CORRAL_TUI_REQUEST_H
#define CORRAL_TUI_REQUEST_H

#include <jansson.h>

struct error;
struct req;

/* Connects to the socket and queues msg (borrowed; its id is set here). */
int req_start(const char *sock_path, json_t *msg, struct req **out, struct error *err);
void req_free(struct req *r);
int req_fd(const struct req *r);
/* POLLIN, plus POLLOUT while the request is not all written. */
short req_events(const struct req *r);
/* Does what the descriptor allows. Returns 1 when the reply came (*reply
 * set on success; an error reply fails with its message in err and returns
 * -1), 0 while waiting, -1 when the connection failed. */
int req_step(struct req *r, json_t **reply, struct error *err);
/* Waits up to timeout_ms for the reply, for quick requests (dumpxml). */
int req_wait(struct req *r, int timeout_ms, json_t **reply, struct error *err);

#endif
