/* The control sockets: corral.sock (0600, every operation) and corral-ro.sock
 * (0666, read-only operations), many clients at once on one event loop. */
#ifndef CORRAL_ENGINE_SERVER_H
#define CORRAL_ENGINE_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct error;
struct loop;
struct paths;
struct srv;

/* Answers one message a client sent (any JSON value) with a reply, which
 * the server sends and releases. readonly is true on the read-only socket
 * and for a peer on the read-write socket that is neither root nor us. */
typedef json_t *(*srv_handler_fn)(void *data, json_t *msg, bool readonly);

/* Binds both sockets of p, replacing stale ones (the caller holds the
 * engine lock, so nobody else serves them). A socket file appears only
 * once it accepts connections: it is bound under a temporary name and
 * renamed into place, so a client may wait for the name to appear. */
int srv_new(struct loop *l, const struct paths *p, srv_handler_fn fn, void *data,
	    struct srv **out, struct error *err);
/* Closes every connection and removes the socket files. */
void srv_free(struct srv *s);
size_t srv_client_count(const struct srv *s);

#endif
