/* UUIDs: parsing, formatting, generation, and the transcription-slip
 * suggestion. */
#include <criterion/criterion.h>
#include <string.h>

#include "config/uuid.h"
#include "lib/error.h"

Test(uuid, parse_and_format)
{
	uint8_t u[UUID_LEN];
	char s[UUID_STR_LEN];

	cr_assert_eq(uuid_parse("1FBBABC1-1775-3429-950f-70c4bee1aa7d", u), 0);
	uuid_format(u, s);
	cr_expect_str_eq(s, "1fbbabc1-1775-3429-950f-70c4bee1aa7d");
	cr_assert_eq(uuid_parse(" 1fbbabc11775342995 0f70c4bee1aa7d", u), -1);
	cr_assert_eq(uuid_parse("1fbbabc117753429950f70c4bee1aa7d", u), 0);
	uuid_format(u, s);
	cr_expect_str_eq(s, "1fbbabc1-1775-3429-950f-70c4bee1aa7d");
}

Test(uuid, rejects_malformed)
{
	uint8_t u[UUID_LEN];
	const char *bad[] = {
		"",
		"1fbbabc1-1775-3429-950f-70c4beelaa7d",
		"1fbbabc1-1775-3429-950f-70c4bee1aa7",
		"1fbbabc1-1775-3429-950f-70c4bee1aa7dd",
		"1fbbabc1177534-29-950f-70c4bee1aa7dd",
		"1fbbabc1-1775-3429-950f70c4bee1-aa7d",
		"zfbbabc1-1775-3429-950f-70c4bee1aa7d",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(uuid_parse(bad[i], u), -1, "%s", bad[i]);
}

Test(uuid, suggests_digit_for_letter)
{
	char s[UUID_STR_LEN];

	cr_assert(uuid_suggest("1fbbabc1-1775-3429-950f-70c4beelaa7d", s));
	cr_expect_str_eq(s, "1fbbabc1-1775-3429-950f-70c4bee1aa7d");
	cr_assert(uuid_suggest("O21987a5-e98e-9c99-Oe35-8O3e4d9ad1fe", s));
	cr_expect_str_eq(s, "021987a5-e98e-9c99-0e35-803e4d9ad1fe");
	cr_assert(uuid_suggest("I21987a5-e98e-9c99-oe35-803e4d9ad1fe", s));
	cr_expect_str_eq(s, "121987a5-e98e-9c99-0e35-803e4d9ad1fe");
	/* No slip to fix, or still wrong after fixing: no suggestion. */
	cr_expect_not(uuid_suggest("1fbbabc1-1775-3429-950f-70c4bee1aa7d", s));
	cr_expect_not(uuid_suggest("1fbbabc1-1775-3429-950f-70c4beexaa7l", s));
	cr_expect_not(uuid_suggest("hello", s));
}

Test(uuid, generate_v4)
{
	struct error err = ERROR_INIT;
	uint8_t a[UUID_LEN], b[UUID_LEN];

	cr_assert_eq(uuid_generate(a, &err), 0);
	cr_assert_eq(uuid_generate(b, &err), 0);
	cr_expect_neq(memcmp(a, b, UUID_LEN), 0);
	cr_expect_eq(a[6] >> 4, 4);
	cr_expect_eq(a[8] & 0xc0, 0x80);
	cr_expect_not(uuid_is_null(a));
}
