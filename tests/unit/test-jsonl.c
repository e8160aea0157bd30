/* Framing of newline-delimited JSON: partial reads, batches, the size cap. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/jsonl.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

static struct jsonl *fresh(void)
{
	return jsonl_new(-1, JSONL_MAX_MSG, JSONL_MAX_OUT);
}

static void feed_str(struct jsonl *j, const char *s)
{
	jsonl_feed(j, s, strlen(s));
}

/* A line of exactly len bytes: a JSON string of x's. */
static char *line_of(size_t len)
{
	char *s = xmalloc(len + 2);
	s[0] = '"';
	memset(s + 1, 'x', len - 2);
	s[len - 1] = '"';
	s[len] = '\n';
	s[len + 1] = '\0';
	return s;
}

static void expect_int(struct jsonl *j, json_int_t want)
{
	struct error err = ERROR_INIT;
	json_t *m;

	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MSG, "%s", err_msg(&err));
	cr_assert(json_is_integer(m));
	cr_assert_eq(json_integer_value(m), want);
	json_decref(m);
}

static void expect_none(struct jsonl *j)
{
	struct error err = ERROR_INIT;
	json_t *m;

	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_NONE);
	cr_assert_null(m);
}

Test(jsonl, partial_message_waits_for_newline)
{
	struct jsonl *j = fresh();

	feed_str(j, "{\"id\":");
	expect_none(j);
	feed_str(j, "1,\"op\":\"pi");
	expect_none(j);
	feed_str(j, "ng\"}\n");
	struct error err = ERROR_INIT;
	json_t *m;
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MSG);
	cr_assert_str_eq(json_string_value(json_object_get(m, "op")), "ping");
	json_decref(m);
	expect_none(j);
	jsonl_free(j);
}

Test(jsonl, several_messages_in_one_read)
{
	struct jsonl *j = fresh();

	feed_str(j, "1\n2\n\n3\r\n4");
	expect_int(j, 1);
	expect_int(j, 2);
	expect_int(j, 3);
	expect_none(j);
	feed_str(j, "\n");
	expect_int(j, 4);
	jsonl_free(j);
}

Test(jsonl, byte_by_byte)
{
	struct jsonl *j = fresh();
	const char *s = "[1,2,3]\n{\"a\":\"b\\nc\"}\n";

	for (size_t i = 0; s[i] != '\0'; i++)
		jsonl_feed(j, s + i, 1);
	json_t *m;
	struct error err = ERROR_INIT;
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MSG);
	cr_assert(json_is_array(m));
	json_decref(m);
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MSG);
	cr_assert_str_eq(json_string_value(json_object_get(m, "a")), "b\nc");
	json_decref(m);
	expect_none(j);
	jsonl_free(j);
}

Test(jsonl, exactly_the_cap_is_accepted)
{
	struct jsonl *j = fresh();
	char *s = line_of(JSONL_MAX_MSG);
	struct error err = ERROR_INIT;
	json_t *m;

	/* In chunks, as reads would deliver it, so the cap is checked while the
	 * line is still incomplete too. */
	for (size_t off = 0; off < JSONL_MAX_MSG + 1; off += JSONL_CHUNK) {
		size_t n = JSONL_MAX_MSG + 1 - off < JSONL_CHUNK ? JSONL_MAX_MSG + 1 - off
								  : JSONL_CHUNK;
		jsonl_feed(j, s + off, n);
		if (off + n < JSONL_MAX_MSG + 1)
			expect_none(j);
	}
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MSG, "%s", err_msg(&err));
	cr_assert_eq(json_string_length(m), JSONL_MAX_MSG - 2);
	json_decref(m);
	free(s);
	jsonl_free(j);
}

Test(jsonl, one_over_the_cap_in_one_piece)
{
	struct jsonl *j = fresh();
	char *s = line_of(JSONL_MAX_MSG + 1);
	struct error err = ERROR_INIT;
	json_t *m;

	feed_str(j, s);
	feed_str(j, "7\n");
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_TOO_LARGE);
	cr_assert_not_null(strstr(err_msg(&err), "limit"));
	expect_int(j, 7);
	free(s);
	err_clear(&err);
	jsonl_free(j);
}

Test(jsonl, one_over_the_cap_in_chunks_is_discarded_to_newline)
{
	struct jsonl *j = fresh();
	size_t len = JSONL_MAX_MSG + 1;
	char *s = line_of(len);
	struct error err = ERROR_INIT;
	json_t *m;
	int too_large = 0;

	for (size_t off = 0; off < len + 1; off += JSONL_CHUNK) {
		size_t n = len + 1 - off < JSONL_CHUNK ? len + 1 - off : JSONL_CHUNK;
		jsonl_feed(j, s + off, n);
		enum jsonl_status st;
		while ((st = jsonl_next(j, &m, &err)) != JSONL_NONE) {
			cr_assert_eq(st, JSONL_TOO_LARGE);
			too_large++;
		}
	}
	cr_assert_eq(too_large, 1);
	cr_assert(!jsonl_discarding(j));
	feed_str(j, "8\n");
	expect_int(j, 8);
	free(s);
	err_clear(&err);
	jsonl_free(j);
}

Test(jsonl, garbage_is_reported_and_framing_goes_on)
{
	struct jsonl *j = fresh();
	struct error err = ERROR_INIT;
	json_t *m;

	feed_str(j, "this is not json\n{\"unterminated\n\x01\xff\xfe\n5\n");
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MALFORMED);
	cr_assert_not_null(strstr(err_msg(&err), "malformed JSON"));
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MALFORMED);
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MALFORMED);
	expect_int(j, 5);
	err_clear(&err);
	jsonl_free(j);
}

Test(jsonl, embedded_nul_is_malformed)
{
	struct jsonl *j = fresh();
	struct error err = ERROR_INIT;
	json_t *m;

	jsonl_feed(j, "\"a\0b\"\n", 6);
	cr_assert_eq(jsonl_next(j, &m, &err), JSONL_MALFORMED);
	err_clear(&err);
	jsonl_free(j);
}

Test(jsonl, reads_from_a_socket_and_writes_back)
{
	int sv[2];
	struct error err = ERROR_INIT;
	json_t *m;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	struct jsonl *a = jsonl_new(sv[0], JSONL_MAX_MSG, JSONL_MAX_OUT);
	struct jsonl *b = jsonl_new(sv[1], JSONL_MAX_MSG, JSONL_MAX_OUT);

	cr_assert_eq(jsonl_read(b, &err), 0);
	json_t *msg = json_pack("{s:i,s:s}", "id", 3, "op", "line\nbreak");
	cr_assert_eq(jsonl_send(a, msg, &err), 0);
	cr_assert_eq(jsonl_send(a, msg, &err), 0);
	json_decref(msg);
	cr_assert_eq(jsonl_flush(a, &err), 0);
	cr_assert_eq(jsonl_pending(a), 0);
	cr_assert_eq(jsonl_read(b, &err), 1);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(jsonl_next(b, &m, &err), JSONL_MSG);
		cr_assert_str_eq(json_string_value(json_object_get(m, "op")), "line\nbreak");
		json_decref(m);
	}
	expect_none(b);
	jsonl_free(a);
	cr_assert_eq(jsonl_read(b, &err), 2);
	jsonl_free(b);
}

Test(jsonl, output_cap_drops_a_peer_that_does_not_read)
{
	int sv[2];
	struct error err = ERROR_INIT;
	int rc = 0, i;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	struct jsonl *a = jsonl_new(sv[0], JSONL_MAX_MSG, 64 << 10);
	json_t *msg = json_pack("{s:s}", "pad", "0123456789012345678901234567890123456789");

	for (i = 0; i < 100000 && rc == 0; i++) {
		rc = jsonl_send(a, msg, &err);
		if (rc == 0)
			cr_assert_geq(jsonl_flush(a, &err), 0);
	}
	cr_assert_eq(rc, -1);
	cr_assert_eq(err.errnum, ENOBUFS);
	cr_assert_leq(jsonl_pending(a), 64 << 10);
	json_decref(msg);
	err_clear(&err);
	jsonl_free(a);
	close(sv[1]);
}

Test(jsonl, write_to_a_closed_peer_fails_without_sigpipe)
{
	int sv[2];
	struct error err = ERROR_INIT;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[1]);
	struct jsonl *a = jsonl_new(sv[0], JSONL_MAX_MSG, JSONL_MAX_OUT);
	json_t *msg = json_integer(1);
	cr_assert_eq(jsonl_send(a, msg, &err), 0);
	cr_assert_eq(jsonl_flush(a, &err), -1);
	cr_assert_eq(err.errnum, EPIPE);
	json_decref(msg);
	err_clear(&err);
	jsonl_free(a);
}
