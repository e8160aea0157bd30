/* engine/confr: console frames split across reads, joined in one read, and
 * corrupt streams. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/confr.h"

static size_t frame(uint8_t *out, enum confr_type t, const char *payload)
{
	size_t n = strlen(payload);

	confr_header(out, t, (uint32_t)n);
	memcpy(out + CONFR_HDR, payload, n);
	return CONFR_HDR + n;
}

Test(confr, byte_by_byte_then_two_at_once)
{
	uint8_t wire[64];
	size_t n = frame(wire, CONFR_DATA, "hello");
	struct confr_dec d;
	struct confr_frame f;

	confr_dec_init(&d);
	for (size_t i = 0; i < n - 1; i++) {
		confr_dec_feed(&d, wire + i, 1);
		cr_assert_eq(confr_dec_next(&d, &f), 0, "incomplete at %zu", i);
	}
	confr_dec_feed(&d, wire + n - 1, 1);
	cr_assert_eq(confr_dec_next(&d, &f), 1);
	cr_assert_eq(f.type, CONFR_DATA);
	cr_assert_eq(f.len, 5);
	cr_assert_eq(memcmp(f.payload, "hello", 5), 0);

	n = frame(wire, CONFR_EVENT, "stopped shutdown");
	n += frame(wire + n, CONFR_HIST_END, "");
	confr_dec_feed(&d, wire, n);
	cr_assert_eq(confr_dec_next(&d, &f), 1);
	cr_assert_eq(f.type, CONFR_EVENT);
	cr_assert_eq(memcmp(f.payload, "stopped shutdown", 16), 0);
	cr_assert_eq(confr_dec_next(&d, &f), 1);
	cr_assert_eq(f.type, CONFR_HIST_END);
	cr_assert_eq(f.len, 0);
	cr_assert_eq(confr_dec_next(&d, &f), 0);
	confr_dec_free(&d);
}

Test(confr, oversize_and_unknown_types_are_corrupt)
{
	uint8_t hdr[CONFR_HDR];
	struct confr_dec d;
	struct confr_frame f;

	confr_dec_init(&d);
	confr_header(hdr, CONFR_DATA, CONFR_MAX_PAYLOAD + 1);
	confr_dec_feed(&d, hdr, sizeof(hdr));
	cr_assert_eq(confr_dec_next(&d, &f), -1);
	confr_dec_free(&d);

	confr_dec_init(&d);
	confr_dec_feed(&d, "X\0\0\0\0", 5);
	cr_assert_eq(confr_dec_next(&d, &f), -1);
	confr_dec_free(&d);
}

Test(confr, integers_round_trip)
{
	uint8_t b[8];

	confr_put_u16(b, 0xbeef);
	cr_assert_eq(confr_get_u16(b), 0xbeef);
	confr_put_u64(b, 0x0123456789abcdefULL);
	cr_assert_eq(confr_get_u64(b), 0x0123456789abcdefULL);
}
