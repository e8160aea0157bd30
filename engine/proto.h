/* The shapes of control-protocol messages: requests, replies, error replies
 * with stable codes, and events. Framing is jsonl's business. */
#ifndef CORRAL_ENGINE_PROTO_H
#define CORRAL_ENGINE_PROTO_H

#include <jansson.h>

/* Stable error codes; their names (proto_code_name) are the wire format. */
enum proto_code {
	PROTO_INTERNAL,   /* "internal": the engine failed */
	PROTO_NOT_FOUND,  /* "not-found": no such domain */
	PROTO_EXISTS,     /* "exists": the name or UUID is taken */
	PROTO_INVALID,    /* "invalid": bad arguments or definition */
	PROTO_BUSY,       /* "busy": not possible in the current state */
	PROTO_DENIED,     /* "denied": not allowed to this client */
	PROTO_TOO_LARGE,  /* "too-large": message over the size cap */
	PROTO_MALFORMED,  /* "malformed": not a JSON request */
	PROTO_UNKNOWN_OP, /* "unknown-op": no such operation */
	PROTO_CODE_N,
};

const char *proto_code_name(enum proto_code code);
/* An unknown name (a newer engine's code) maps to PROTO_INTERNAL. */
enum proto_code proto_code_parse(const char *name);
/* Kernel-style negative errno returns of engine functions to codes:
 * ENOENT not-found, EEXIST exists, EINVAL invalid, EBUSY busy,
 * EACCES denied, EMSGSIZE too-large, anything else internal. */
enum proto_code proto_code_from_errno(int errnum);

/* {"id":id,"op":op}; the caller adds the arguments. */
json_t *proto_request(json_int_t id, const char *op);

/* Checks that msg is a request: an object with an integer "id" and a
 * string "op". On success sets *id (borrowed) and *op and returns 0;
 * otherwise returns -1, sets *id to the id when one was usable (else NULL)
 * and *why to a static explanation. */
int proto_parse_request(json_t *msg, json_t **id, const char **op, const char **why);

/* {"id":id,"ok":true}; id may be NULL (JSON null). Add result fields to it. */
json_t *proto_reply_ok(json_t *id);
/* {"id":id,"error":{"code":…,"message":…}}. */
json_t *proto_reply_error(json_t *id, enum proto_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* {"event":name} plus the fields of body (stolen, may be NULL). */
json_t *proto_event(const char *name, json_t *body);

/* On a reply: 1 when it is an error reply, with *code and *message set
 * (borrowed); 0 when it is a success; -1 when it is neither. */
int proto_reply_error_of(const json_t *reply, const char **code, const char **message);

#endif
