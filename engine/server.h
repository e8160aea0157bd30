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

struct srv_conn;

/* Answers one message a client sent (any JSON value) with a reply, which
 * the server sends and releases. readonly is true on the read-only socket
 * and for a peer on the read-write socket that is neither root nor us.
 * A handler that cannot answer at once (a container start waits for its
 * monitor) takes a reference on conn with srv_conn_ref, returns NULL, and
 * answers later with srv_reply. */
typedef json_t *(*srv_handler_fn)(void *data, json_t *msg, bool readonly, struct srv_conn *conn);

/* Binds both sockets of p, replacing stale ones (the caller holds the
 * engine lock, so nobody else serves them). A socket file appears only
 * once it accepts connections: it is bound under a temporary name and
 * renamed into place, so a client may wait for the name to appear. */
int srv_new(struct loop *l, const struct paths *p, srv_handler_fn fn, void *data,
	    struct srv **out, struct error *err);
/* Closes every connection and removes the socket files. */
void srv_free(struct srv *s);
size_t srv_client_count(const struct srv *s);

/* A reference keeps the connection's memory (not the connection) alive:
 * once the client is gone, srv_reply and srv_send drop what they are given.
 * srv_conn_ref also marks one reply as owed, so that a client that half-
 * closes after its request still gets it. */
struct srv_conn *srv_conn_ref(struct srv_conn *conn);
void srv_conn_unref(struct srv_conn *conn);
bool srv_conn_alive(const struct srv_conn *conn);
/* Sends the reply owed for a deferred request (released here). */
void srv_reply(struct srv_conn *conn, json_t *reply);
/* Sends an unsolicited message (an event of a watch stream; released here).
 * Returns false when the client is gone or was dropped for not reading. */
bool srv_send(struct srv_conn *conn, json_t *msg);
/* Output queued for the client and not yet written (0 once it is gone), so
 * that a long stream can go at the pace the client reads. */
size_t srv_conn_pending(const struct srv_conn *conn);

#endif
