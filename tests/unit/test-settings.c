/* corrald.conf: defaults, every key, and errors that name file and line. */
#include <criterion/criterion.h>
#include <string.h>

#include "config/settings.h"
#include "lib/error.h"

static int parse(struct settings *s, const char *text, struct error *err)
{
	settings_init(s);
	return settings_parse(s, text, strlen(text), "corrald.conf", err);
}

Test(settings, defaults_and_every_key)
{
	struct settings s;
	struct error err = ERROR_INIT;

	cr_assert_eq(parse(&s, "", &err), 0);
	cr_expect_eq(s.interval_ms, 1000);
	cr_expect_str_eq(s.default_network, "default");
	settings_free(&s);
	cr_assert_eq(parse(&s, "# comment\n\ninterval = 0.5\nlog_size = 2M\n"
			       "default_network = lan\n  selinux=off  \nshutdown_timeout = 30\n",
			   &err),
		     0, "%s", err_msg(&err));
	cr_expect_eq(s.interval_ms, 500);
	cr_expect_eq(s.log_size, 2u << 20);
	cr_expect_str_eq(s.default_network, "lan");
	cr_expect_eq(s.selinux, SETTINGS_SELINUX_OFF);
	cr_expect_eq(s.shutdown_timeout_s, 30);
	settings_free(&s);
}

Test(settings, errors_name_file_and_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "interval = 1\nintervall = 2\n", "corrald.conf:2: unknown key 'intervall'; expected one of" },
		{ "\ninterval = 0\n", "corrald.conf:2: interval '0': expected seconds from 0.05 to 3600" },
		{ "log_size = 1X\n", "corrald.conf:1: log_size '1X'" },
		{ "selinux = maybe\n", "corrald.conf:1: selinux 'maybe': expected auto, on or off" },
		{ "shutdown_timeout = 1.5\n", "corrald.conf:1: shutdown_timeout '1.5'" },
		{ "just words\n", "corrald.conf:1: 'just words' is not a setting" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct settings s;
		struct error err = ERROR_INIT;

		cr_expect_lt(parse(&s, cases[i].text, &err), 0, "case %zu", i);
		cr_expect(err_msg(&err) != NULL && strstr(err_msg(&err), cases[i].want) != NULL,
			  "case %zu: '%s' lacks '%s'", i, err_msg(&err), cases[i].want);
		err_clear(&err);
		settings_free(&s);
	}
}

Test(settings, a_missing_file_keeps_the_defaults)
{
	struct settings s;
	struct error err = ERROR_INIT;

	settings_init(&s);
	cr_expect_eq(settings_load(&s, "/nonexistent/corrald.conf", &err), 0);
	cr_expect_eq(s.shutdown_timeout_s, 60);
	settings_free(&s);
}

/* The engine hands these to each monitor by name and in bytes. */
Test(settings, selinux_names_and_sizes)
{
	uint64_t n;

	for (int v = SETTINGS_SELINUX_AUTO; v <= SETTINGS_SELINUX_OFF; v++)
		cr_expect_eq(settings_selinux_parse(settings_selinux_name((enum settings_selinux)v)), v);
	cr_expect_eq(settings_selinux_parse("enforcing"), -1);
	cr_assert_eq(settings_size_parse("8192", &n), 0);
	cr_expect_eq(n, 8192);
	cr_assert_eq(settings_size_parse("512KiB", &n), 0);
	cr_expect_eq(n, 512u << 10);
	cr_expect_eq(settings_size_parse("12 parsecs", &n), -1);
	cr_expect_eq(settings_size_parse("", &n), -1);
}
