/* A console session: one container's console stream feeding one pane,
 * nonblocking, found through the engine's `console` op and attached again
 * when the container starts anew. Polled by the host's one event loop. */
#ifndef CORRAL_CONSOLE_SESSION_H
#define CORRAL_CONSOLE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct pane;
struct paths;

enum session_state {
	SESS_DETACHED, /* never attached, or the last attach failed */
	SESS_LIVE,     /* the stream is open */
	SESS_STOPPED,  /* the container stopped (or its monitor went away) */
};

/* What changed since session_take_changes last asked. */
enum session_change {
	SESS_CH_STATE = 1 << 0, /* attached, stopped, restarted */
};

struct session_opts {
	const char *name;          /* the container */
	const struct paths *paths; /* with uri: where the engine is */
	const char *uri;
	int id;                    /* names the session and its pane in logs */
	int rows, cols;
	size_t sb_lines;
	size_t input_high; /* the pane's backlog limit; 0: its default */
};

/* A session owning a new pane, not attached yet. The creator holds the
 * first reference. */
struct session *session_new(const struct session_opts *o, struct error *err);
struct session *session_ref(struct session *s, const char *who);
void session_unref(struct session *s, const char *who);

/* Asks the engine for the console socket and attaches to it. A session
 * that was attached before starts from a reset terminal: the monitor
 * replays its history again. */
int session_attach(struct session *s, struct error *err);
/* Attaches to a console socket directly (what session_attach does after
 * asking the engine). */
int session_attach_path(struct session *s, const char *sock_path, struct error *err);
/* Ends the stream; the container keeps running. */
void session_detach(struct session *s);

/* The socket to poll (-1 when not attached) and for what: POLLIN while the
 * pane wants input, POLLOUT while keys wait to be sent. */
int session_fd(const struct session *s);
short session_events(const struct session *s);
/* Does what revents allow: sends queued keys, reads at most budget bytes
 * of the stream into the pane (not parsed yet: pane_process does that). */
void session_io(struct session *s, short revents, size_t budget);

/* Flood mode, for a pane that cannot parse what keeps coming: output is
 * held back instead of fed to the pane, only its last SESS_HOLD bytes
 * kept, and the socket is not read again until session_release has
 * handed them over (the monitor skips what piles up meanwhile, and says
 * so). What the pane then shows is the latest output on a reset terminal,
 * as after the monitor's own resync; after such a gap only the held
 * output's last screenful of lines is parsed, so what a flood scrolls by
 * does not reach the scrollback. */
#define SESS_HOLD (16u << 10)
void session_set_hold(struct session *s, bool on);
/* Feeds the pane what was held (after a reset when some was skipped);
 * returns the bytes handed over plus those skipped: 0 when nothing came. */
size_t session_release(struct session *s);

/* Resizes the pane and tells the monitor (the container sees SIGWINCH). */
void session_resize(struct session *s, int rows, int cols);

struct pane *session_pane(const struct session *s);
const char *session_name(const struct session *s);
enum session_state session_state(const struct session *s);
/* Why it is not live ("stopped shutdown", an attach error), or the last
 * notice ("restarted"); "" when none. */
const char *session_why(const struct session *s);
unsigned session_take_changes(struct session *s);

#endif
