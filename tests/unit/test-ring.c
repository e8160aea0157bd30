/* Console history ring: offsets, wrap-around and what a slow reader missed. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/ring.h"

static void fill(unsigned char *buf, size_t len, uint64_t from)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)((from + i) % 251);
}

static void check_bytes(const unsigned char *buf, size_t len, uint64_t from)
{
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(buf[i], (unsigned char)((from + i) % 251), "byte at offset %zu", (size_t)(from + i));
}

static struct ring ring;

Test(ring, empty)
{
	unsigned char out[16];
	uint64_t pos = 0, missed = 7;

	ring_init(&ring);
	cr_assert_eq(ring_start(&ring), 0);
	cr_assert_eq(ring_end(&ring), 0);
	cr_assert_eq(ring_read(&ring, &pos, out, sizeof(out), &missed), 0);
	cr_assert_eq(missed, 0);
}

Test(ring, reads_back_in_pieces)
{
	unsigned char in[1000], out[300];
	uint64_t pos = 0;
	size_t n, total = 0;

	ring_init(&ring);
	fill(in, sizeof(in), 0);
	ring_write(&ring, in, sizeof(in));
	while ((n = ring_read(&ring, &pos, out, sizeof(out), NULL)) > 0) {
		check_bytes(out, n, total);
		total += n;
	}
	cr_assert_eq(total, 1000);
	cr_assert_eq(pos, 1000);
}

Test(ring, wraps_and_reports_missed)
{
	static unsigned char in[RING_SIZE], out[RING_SIZE];
	uint64_t pos = 10, missed = 0;
	uint64_t written = 0;

	ring_init(&ring);
	/* Odd-sized writes so the wrap point falls inside one. */
	for (int i = 0; i < 5; i++) {
		fill(in, 30001, written);
		ring_write(&ring, in, 30001);
		written += 30001;
	}
	cr_assert_eq(ring_end(&ring), written);
	cr_assert_eq(ring_start(&ring), written - RING_SIZE);
	cr_assert_eq(ring_read(&ring, &pos, out, sizeof(out), &missed), RING_SIZE);
	cr_assert_eq(missed, written - RING_SIZE - 10);
	cr_assert_eq(pos, written);
	check_bytes(out, RING_SIZE, written - RING_SIZE);
}

Test(ring, write_larger_than_ring_keeps_tail)
{
	static unsigned char in[RING_SIZE * 2 + 17], out[RING_SIZE];
	uint64_t pos = 0, missed = 0;

	ring_init(&ring);
	ring_write(&ring, "abc", 3);
	fill(in, sizeof(in), 3);
	ring_write(&ring, in, sizeof(in));
	cr_assert_eq(ring_end(&ring), 3 + sizeof(in));
	cr_assert_eq(ring_read(&ring, &pos, out, sizeof(out), &missed), RING_SIZE);
	cr_assert_eq(missed, 3 + sizeof(in) - RING_SIZE);
	check_bytes(out, RING_SIZE, 3 + sizeof(in) - RING_SIZE);
}

Test(ring, reader_ahead_reads_nothing)
{
	unsigned char out[8];
	uint64_t pos = 100, missed = 1;

	ring_init(&ring);
	ring_write(&ring, "hello", 5);
	cr_assert_eq(ring_read(&ring, &pos, out, sizeof(out), &missed), 0);
	cr_assert_eq(missed, 0);
	cr_assert_eq(pos, 100);
}
