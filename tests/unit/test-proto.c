/* Shapes of protocol messages and the stable error codes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "engine/proto.h"

Test(proto, code_names_round_trip)
{
	for (int c = 0; c < PROTO_CODE_N; c++)
		cr_assert_eq(proto_code_parse(proto_code_name((enum proto_code)c)), c);
	cr_assert_str_eq(proto_code_name(PROTO_NOT_FOUND), "not-found");
	cr_assert_str_eq(proto_code_name(PROTO_TOO_LARGE), "too-large");
	cr_assert_eq(proto_code_parse("from-the-future"), PROTO_INTERNAL);
	cr_assert_eq(proto_code_parse(NULL), PROTO_INTERNAL);
}

Test(proto, errno_mapping)
{
	cr_assert_eq(proto_code_from_errno(-ENOENT), PROTO_NOT_FOUND);
	cr_assert_eq(proto_code_from_errno(EEXIST), PROTO_EXISTS);
	cr_assert_eq(proto_code_from_errno(-EINVAL), PROTO_INVALID);
	cr_assert_eq(proto_code_from_errno(-EBUSY), PROTO_BUSY);
	cr_assert_eq(proto_code_from_errno(-EACCES), PROTO_DENIED);
	cr_assert_eq(proto_code_from_errno(-EIO), PROTO_INTERNAL);
	/* A stray -1 from a handler must not read as "denied". */
	cr_assert_eq(proto_code_from_errno(-1), PROTO_INTERNAL);
}

Test(proto, valid_request)
{
	json_t *req = proto_request(7, "list"), *id;
	const char *op, *why = NULL;

	cr_assert_eq(proto_parse_request(req, &id, &op, &why), 0);
	cr_assert_eq(json_integer_value(id), 7);
	cr_assert_str_eq(op, "list");
	json_decref(req);
}

static void bad(const char *text, bool has_id, const char *why_part)
{
	json_t *msg = json_loads(text, JSON_DECODE_ANY, NULL), *id;
	const char *op, *why = NULL;

	cr_assert_not_null(msg, "%s", text);
	cr_assert_eq(proto_parse_request(msg, &id, &op, &why), -1, "%s", text);
	cr_assert_eq(id != NULL, has_id, "%s", text);
	cr_assert_not_null(strstr(why, why_part), "%s: %s", text, why);
	json_decref(msg);
}

Test(proto, invalid_requests)
{
	bad("[1,2]", false, "object");
	bad("42", false, "object");
	bad("{\"op\":\"list\"}", false, "without \"id\"");
	bad("{\"id\":\"7\",\"op\":\"list\"}", false, "integer");
	bad("{\"id\":7}", true, "without \"op\"");
	bad("{\"id\":7,\"op\":3}", true, "string");
}

Test(proto, replies)
{
	json_t *id = json_integer(9);
	json_t *ok = proto_reply_ok(id);
	json_t *er = proto_reply_error(id, PROTO_NOT_FOUND, "domain '%s' not found", "web");
	json_t *anon = proto_reply_error(NULL, PROTO_MALFORMED, "bad");
	const char *code, *msg;

	cr_assert_eq(proto_reply_error_of(ok, &code, &msg), 0);
	cr_assert_eq(json_integer_value(json_object_get(ok, "id")), 9);
	cr_assert_eq(proto_reply_error_of(er, &code, &msg), 1);
	cr_assert_str_eq(code, "not-found");
	cr_assert_str_eq(msg, "domain 'web' not found");
	cr_assert_null(json_object_get(er, "ok"));
	cr_assert(json_is_null(json_object_get(anon, "id")));
	json_t *neither = json_object();
	cr_assert_eq(proto_reply_error_of(neither, &code, &msg), -1);
	json_decref(neither);
	json_decref(ok);
	json_decref(er);
	json_decref(anon);
	json_decref(id);
}

Test(proto, error_message_with_bad_utf8_still_replies)
{
	json_t *er = proto_reply_error(NULL, PROTO_NOT_FOUND, "domain '%s'", "\xff\xfe");
	const char *code, *msg;

	cr_assert_eq(proto_reply_error_of(er, &code, &msg), 1);
	cr_assert_str_eq(code, "not-found");
	json_decref(er);
}

Test(proto, events)
{
	json_t *e = proto_event("state", json_pack("{s:s}", "name", "web"));

	cr_assert_str_eq(json_string_value(json_object_get(e, "event")), "state");
	cr_assert_str_eq(json_string_value(json_object_get(e, "name")), "web");
	json_decref(e);
}
