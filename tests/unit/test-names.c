/* Names, MAC addresses, CPU lists and schema suggestions. */
#include <criterion/criterion.h>
#include <string.h>

#include "config/cpulist.h"
#include "config/names.h"
#include "config/schema.h"
#include "lib/error.h"

Test(names, domain_names)
{
	char long_name[66];

	cr_expect_null(name_domain_problem("web-1"));
	cr_expect_null(name_domain_problem("8675309"));
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	cr_expect_null(name_domain_problem(long_name));
	long_name[64] = 'a';
	long_name[65] = '\0';
	cr_expect_not_null(name_domain_problem(long_name));
	cr_expect_not_null(name_domain_problem(""));
	cr_expect_not_null(name_domain_problem("a/b"));
	cr_expect_not_null(name_domain_problem(".hidden"));
	cr_expect_not_null(name_domain_problem("tab\there"));
	cr_expect_not_null(name_domain_problem("del\x7f"));
}

Test(names, mac)
{
	uint8_t m[6];

	cr_assert_eq(name_mac_parse("00:16:3E:bb:7f:b6", m), 0);
	cr_expect_eq(m[2], 0x3e);
	cr_expect_not(name_mac_is_multicast(m));
	cr_expect_eq(name_mac_parse("00-16-3e-bb-7f-b6", m), 0);
	cr_expect_eq(name_mac_parse("00:16:3e:bb:7f", m), -1);
	cr_expect_eq(name_mac_parse("00:16:3e:bb:7f:bg", m), -1);
	cr_expect_eq(name_mac_parse("0:16:3e:bb:7f:b6:", m), -1);
	cr_expect_eq(name_mac_parse("00163ebb7fb6", m), -1);
	cr_assert_eq(name_mac_parse("01:00:5e:00:00:01", m), 0);
	cr_expect(name_mac_is_multicast(m));
}

Test(names, env_and_placeholder)
{
	cr_expect(name_env_valid("FOO"));
	cr_expect(name_env_valid("_x1"));
	cr_expect_not(name_env_valid("1X"));
	cr_expect_not(name_env_valid("A-B"));
	cr_expect_not(name_env_valid(""));
	cr_expect(name_is_placeholder("<target_path>"));
	cr_expect_not(name_is_placeholder("/var/lib/x"));
	cr_expect_not(name_is_placeholder("<>"));
}

Test(cpulist, syntax)
{
	cr_expect_null(cpulist_problem("0"));
	cr_expect_null(cpulist_problem("1-2,5-7"));
	cr_expect_null(cpulist_problem("0-7,^3"));
	cr_expect_null(cpulist_problem(" 0 , 2 "));
	cr_expect_not_null(cpulist_problem(""));
	cr_expect_not_null(cpulist_problem("1-"));
	cr_expect_not_null(cpulist_problem("3-1"));
	cr_expect_not_null(cpulist_problem("a"));
	cr_expect_not_null(cpulist_problem("1,,2"));
	cr_expect_not_null(cpulist_problem("^1"));
	cr_expect_not_null(cpulist_problem("99999"));
	cr_expect_not_null(cpulist_problem("1;2"));
}

Test(schema, closest_names)
{
	static const char *const handled[] = { "hard_limit", "soft_limit", "swap_hard_limit", NULL };

	cr_expect_eq(schema_distance("kitten", "sitting"), 3);
	cr_expect_str_eq(schema_closest("swap_hardlimit", handled,
					schema_ignored_elements("memtune")),
			 "swap_hard_limit");
	cr_expect_str_eq(schema_closest("min_guarante", handled, schema_ignored_elements("memtune")),
			 "min_guarantee");
	cr_expect_null(schema_closest("completely_else", handled, NULL));
	cr_expect(schema_in(schema_ignored_elements("devices"), "graphics"));
	cr_expect_not(schema_in(schema_ignored_elements("devices"), "filesystem"));
}
