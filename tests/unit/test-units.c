/* Size units and numbers: every unit libvirt knows, rounding, overflow. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "config/domain.h"
#include "config/units.h"

static uint64_t kib(const char *v, const char *unit)
{
	uint64_t out = 0;

	cr_assert_eq(unit_to_kib(v, unit, UINT64_MAX, &out), UNIT_OK, "%s %s", v,
		     unit ? unit : "(none)");
	return out;
}

Test(units, every_unit)
{
	cr_expect_eq(kib("2048", "b"), 2);
	cr_expect_eq(kib("2048", "bytes"), 2);
	cr_expect_eq(kib("2048", "byte"), 2);
	cr_expect_eq(kib("1024", "KB"), 1000);
	cr_expect_eq(kib("3", "k"), 3);
	cr_expect_eq(kib("3", "KiB"), 3);
	cr_expect_eq(kib("1", "MB"), 977); /* 1000000 / 1024 = 976.56, rounded up */
	cr_expect_eq(kib("1", "M"), 1024);
	cr_expect_eq(kib("1", "MiB"), 1024);
	cr_expect_eq(kib("1", "GB"), 976563);
	cr_expect_eq(kib("1", "G"), 1048576);
	cr_expect_eq(kib("1", "GiB"), 1048576);
	cr_expect_eq(kib("1", "TB"), 976562500);
	cr_expect_eq(kib("1", "T"), UINT64_C(1073741824));
	cr_expect_eq(kib("1", "TiB"), UINT64_C(1073741824));
	cr_expect_eq(kib("1", "PiB"), UINT64_C(1) << 40);
	cr_expect_eq(kib("1", "EiB"), UINT64_C(1) << 50);
}

Test(units, default_is_kib_and_case_is_ignored)
{
	cr_expect_eq(kib("524288", NULL), 524288);
	cr_expect_eq(kib("524288", ""), 524288);
	cr_expect_eq(kib("1", "kib"), 1);
	cr_expect_eq(kib("1", "mib"), 1024);
	cr_expect_eq(kib("1", "Bytes"), 1);
}

Test(units, rounds_up_to_whole_kib)
{
	cr_expect_eq(kib("1", "b"), 1);
	cr_expect_eq(kib("1023", "b"), 1);
	cr_expect_eq(kib("1024", "b"), 1);
	cr_expect_eq(kib("1025", "b"), 2);
	cr_expect_eq(kib("0", "b"), 0);
	cr_expect_eq(kib("1048576", "bytes"), 1024);
}

Test(units, bad_units)
{
	uint64_t out;
	const char *bad[] = { "kg", "KiBs", "Q", "iB", "KBB", "MiB ", "x" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(unit_to_kib("1", bad[i], UINT64_MAX, &out), UNIT_BAD_UNIT, "%s", bad[i]);
}

Test(units, bad_numbers)
{
	uint64_t out;
	const char *bad[] = { "", "-1", "+1", "1.5", "0x10", "12abc", "1 2", " " };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(unit_to_kib(bad[i], "KiB", UINT64_MAX, &out), UNIT_BAD_NUMBER, "'%s'",
			     bad[i]);
	cr_expect_eq(unit_parse_u64(" 42\n", &out), UNIT_OK);
	cr_expect_eq(out, 42);
}

Test(units, overflow)
{
	uint64_t out;

	cr_expect_eq(unit_parse_u64("18446744073709551615", &out), UNIT_OK);
	cr_expect_eq(out, UINT64_MAX);
	cr_expect_eq(unit_parse_u64("18446744073709551616", &out), UNIT_RANGE);
	cr_expect_eq(unit_parse_u64("99999999999999999999999", &out), UNIT_RANGE);
	/* Fits in 64 bits as a count, not once scaled to bytes. */
	cr_expect_eq(unit_to_kib("18014398509481984", "KiB", UINT64_MAX, &out), UNIT_RANGE);
	cr_expect_eq(unit_to_kib("17", "EiB", UINT64_MAX, &out), UNIT_RANGE);
	/* Beyond what the kernel takes as a memory limit. */
	cr_expect_eq(unit_to_kib("9007199254740991", "KiB", DOM_MEMORY_MAX_KIB, &out), UNIT_OK);
	cr_expect_eq(unit_to_kib("9007199254740992", "KiB", DOM_MEMORY_MAX_KIB, &out), UNIT_RANGE);
	cr_expect_eq(unit_to_kib("8", "EiB", DOM_MEMORY_MAX_KIB, &out), UNIT_RANGE);
}

Test(units, signed)
{
	int64_t v;

	cr_expect_eq(unit_parse_i64("-1", &v), UNIT_OK);
	cr_expect_eq(v, -1);
	cr_expect_eq(unit_parse_i64("-9223372036854775808", &v), UNIT_OK);
	cr_expect_eq(v, INT64_MIN);
	cr_expect_eq(unit_parse_i64("9223372036854775808", &v), UNIT_RANGE);
	cr_expect_eq(unit_parse_i64("--1", &v), UNIT_BAD_NUMBER);
}
