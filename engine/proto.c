/* Building and checking control-protocol messages. */
#include "engine/proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

static const char *const code_names[PROTO_CODE_N] = {
	[PROTO_INTERNAL] = "internal",   [PROTO_NOT_FOUND] = "not-found",
	[PROTO_EXISTS] = "exists",       [PROTO_INVALID] = "invalid",
	[PROTO_BUSY] = "busy",           [PROTO_DENIED] = "denied",
	[PROTO_TOO_LARGE] = "too-large", [PROTO_MALFORMED] = "malformed",
	[PROTO_UNKNOWN_OP] = "unknown-op",
};

const char *proto_code_name(enum proto_code code)
{
	if ((unsigned)code >= PROTO_CODE_N)
		return code_names[PROTO_INTERNAL];
	return code_names[code];
}

enum proto_code proto_code_parse(const char *name)
{
	for (int i = 0; i < PROTO_CODE_N; i++)
		if (name != NULL && strcmp(code_names[i], name) == 0)
			return (enum proto_code)i;
	return PROTO_INTERNAL;
}

enum proto_code proto_code_from_errno(int errnum)
{
	switch (errnum < 0 ? -errnum : errnum) {
	case ENOENT:
		return PROTO_NOT_FOUND;
	case EEXIST:
		return PROTO_EXISTS;
	case EINVAL:
		return PROTO_INVALID;
	case EBUSY:
		return PROTO_BUSY;
	case EACCES:
		return PROTO_DENIED;
	case EMSGSIZE:
		return PROTO_TOO_LARGE;
	default:
		return PROTO_INTERNAL;
	}
}

json_t *proto_request(json_int_t id, const char *op)
{
	return json_pack("{s:I,s:s}", "id", id, "op", op);
}

int proto_parse_request(json_t *msg, json_t **id, const char **op, const char **why)
{
	json_t *jid, *jop;

	*id = NULL;
	*op = NULL;
	if (!json_is_object(msg)) {
		*why = "a request must be a JSON object";
		return -1;
	}
	jid = json_object_get(msg, "id");
	if (!json_is_integer(jid)) {
		*why = jid == NULL ? "request without \"id\"" : "\"id\" must be an integer";
		return -1;
	}
	*id = jid;
	jop = json_object_get(msg, "op");
	if (!json_is_string(jop)) {
		*why = jop == NULL ? "request without \"op\"" : "\"op\" must be a string";
		return -1;
	}
	*op = json_string_value(jop);
	return 0;
}

static json_t *reply_base(json_t *id)
{
	json_t *r = json_object();

	json_object_set_new(r, "id", id != NULL ? json_incref(id) : json_null());
	return r;
}

json_t *proto_reply_ok(json_t *id)
{
	json_t *r = reply_base(id);

	json_object_set_new(r, "ok", json_true());
	return r;
}

json_t *proto_reply_error(json_t *id, enum proto_code code, const char *fmt, ...)
{
	json_t *r = reply_base(id);
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	va_end(ap);
	/* Messages may quote client input; json_string would refuse bad UTF-8
	 * and leave the client without a reply. */
	json_t *jmsg = json_string(msg);
	if (jmsg == NULL)
		jmsg = json_string("(message not valid UTF-8)");
	free(msg);
	json_object_set_new(r, "error",
			    json_pack("{s:s,s:o}", "code", proto_code_name(code), "message", jmsg));
	return r;
}

json_t *proto_event(const char *name, json_t *body)
{
	json_t *e = json_object();

	json_object_set_new(e, "event", json_string(name));
	if (body != NULL) {
		json_object_update(e, body);
		json_decref(body);
	}
	return e;
}

int proto_reply_error_of(const json_t *reply, const char **code, const char **message)
{
	json_t *e;

	if (!json_is_object(reply))
		return -1;
	e = json_object_get(reply, "error");
	if (e != NULL) {
		const char *c = json_string_value(json_object_get(e, "code"));
		const char *m = json_string_value(json_object_get(e, "message"));
		*code = c != NULL ? c : "internal";
		*message = m != NULL ? m : "error without a message";
		return 1;
	}
	return json_is_true(json_object_get(reply, "ok")) ? 0 : -1;
}
