/* The engine's client library, for the CLI and the TUI: connect to corrald
 * (starting one when none answers, as tmux does), send requests, wait for
 * replies. Blocking with timeouts; one request at a time. */
#ifndef CORRAL_ENGINE_CLIENT_H
#define CORRAL_ENGINE_CLIENT_H

#include <jansson.h>
#include <stdbool.h>

struct client;
struct error;
struct paths;

/* How long client_call waits for a reply unless client_set_timeout says. */
#define CLIENT_TIMEOUT_MS 30000
/* How long an auto-started engine may take to answer. */
#define CLIENT_START_TIMEOUT_MS 5000

/* The socket a URI names: NULL, "" or "lxc:///" the engine of p's root,
 * "unix:PATH" that path. *is_default tells the first case (only the engine
 * of our own root can be started on demand). The caller frees *path. */
int client_uri_socket(const struct paths *p, const char *uri, char **path, bool *is_default,
		      struct error *err);

/* Connects to the engine the URI names. With autostart, when the default
 * socket has no engine behind it, runs `corrald --root ROOT` (the corrald
 * beside the running program, else the one in PATH) and waits for it. */
int client_connect(const struct paths *p, const char *uri, bool autostart, struct client **out,
		   struct error *err);
void client_free(struct client *c);
void client_set_timeout(struct client *c, int timeout_ms);

/* Sends req (borrowed; its "id" is set here) and waits for the reply with
 * that id. An error reply fails with its message in err and its code in
 * client_error_code; a success sets *reply (the caller releases it). Events
 * arriving meanwhile are kept for client_next_event. */
int client_call(struct client *c, json_t *req, json_t **reply, struct error *err);
/* The code of the error reply that made the last client_call fail ("not-found",
 * "exists", …), or NULL when it failed for another reason (timeout, I/O). */
const char *client_error_code(const struct client *c);

/* The next event, waiting up to timeout_ms (-1 forever). Returns 1 with
 * *event set, 0 on timeout, -1 on error (the engine went away). */
int client_next_event(struct client *c, int timeout_ms, json_t **event, struct error *err);
/* For callers that poll the connection alongside other descriptors. */
int client_fd(const struct client *c);

#endif
