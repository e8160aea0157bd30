/* Newline-delimited JSON over a nonblocking descriptor: incoming bytes are
 * cut into messages with a hard size cap, outgoing messages are buffered up
 * to a cap so that a peer that stops reading cannot make us hoard memory. */
#ifndef CORRAL_ENGINE_JSONL_H
#define CORRAL_ENGINE_JSONL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct error;
struct jsonl;

/* Largest request the engine reads, newline not counted. */
#define JSONL_MAX_MSG (1u << 20)
/* Most output the engine keeps for one client before dropping it; above
 * the largest reply (a dumpxml of a JSONL_MAX_MSG definition, escaped). */
#define JSONL_MAX_OUT (8u << 20)
#define JSONL_CHUNK (64u << 10)

enum jsonl_status {
	JSONL_NONE,      /* no complete message buffered */
	JSONL_MSG,       /* *msg holds a parsed message */
	JSONL_MALFORMED, /* a line that is not JSON; err says where */
	JSONL_TOO_LARGE, /* a line over the cap; its bytes up to the newline are dropped */
};

/* Takes over fd, which must be nonblocking; jsonl_free closes it. max_in
 * caps a message read, max_out the buffered output. */
struct jsonl *jsonl_new(int fd, size_t max_in, size_t max_out);
void jsonl_free(struct jsonl *j);
int jsonl_fd(const struct jsonl *j);

/* One read() of at most JSONL_CHUNK bytes, so that a busy peer cannot
 * starve the others. Returns 1 when bytes came, 0 when none were available
 * (EAGAIN), 2 at end of input, -1 on error. Drain with jsonl_next after
 * every call that returned 1: that keeps the buffer under max_in plus one
 * chunk. */
int jsonl_read(struct jsonl *j, struct error *err);
/* Appends bytes as if read from the descriptor (for tests and fuzzing). */
void jsonl_feed(struct jsonl *j, const void *buf, size_t len);
/* The next message, in order. JSONL_MALFORMED and JSONL_TOO_LARGE fill err
 * (one per offending line) and framing carries on after the line. Blank
 * lines are skipped. */
enum jsonl_status jsonl_next(struct jsonl *j, json_t **msg, struct error *err);
/* True when an oversize line is being skipped and its newline not yet seen. */
bool jsonl_discarding(const struct jsonl *j);

/* Queues msg as one compact line. Fails (ENOBUFS) when the output buffer
 * would pass max_out: the peer is not reading and should be dropped. */
int jsonl_send(struct jsonl *j, const json_t *msg, struct error *err);
/* Writes queued output. Returns 0 when all is written, 1 when some is left
 * (wait for EPOLLOUT), -1 on error (EPIPE and the like). */
int jsonl_flush(struct jsonl *j, struct error *err);
size_t jsonl_pending(const struct jsonl *j);

#endif
