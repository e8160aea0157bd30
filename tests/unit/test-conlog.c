/* Console log: appending, the size cap and rotation to NAME.log.1. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/conlog.h"
#include "lib/error.h"
#include "lib/file.h"

static char dir[] = "/tmp/corral-conlog-XXXXXX";
static char path[256];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/web.log", dir);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void teardown(void)
{
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static char *slurp(const char *p)
{
	struct error err = ERROR_INIT;
	char *text = NULL;

	cr_assert_eq(file_read_all(p, 1 << 20, &text, NULL, &err), 0, "%s", err_msg(&err));
	return text;
}

TestSuite(conlog, .init = setup, .fini = teardown);

Test(conlog, appends_and_continues)
{
	struct error err = ERROR_INIT;
	struct conlog l;
	char *text;

	cr_assert_eq(conlog_open(&l, path, 100, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(conlog_write(&l, "hello ", 6, &err), 0);
	conlog_close(&l);
	cr_assert_eq(conlog_open(&l, path, 100, &err), 0);
	cr_assert_eq(l.size, 6);
	cr_assert_eq(conlog_write(&l, "world", 5, &err), 0);
	conlog_close(&l);
	text = slurp(path);
	cr_assert_str_eq(text, "hello world");
	free(text);
}

Test(conlog, rotates_at_cap)
{
	struct error err = ERROR_INIT;
	char old[300];
	struct conlog l;
	char *a, *b;

	snprintf(old, sizeof(old), "%s.1", path);
	cr_assert_eq(conlog_open(&l, path, 10, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(conlog_write(&l, "0123456", 7, &err), 0);
	cr_assert_eq(access(old, F_OK), -1, "no rotation below the cap");
	cr_assert_eq(conlog_write(&l, "789abcdef", 9, &err), 0, "%s", err_msg(&err));
	a = slurp(old);
	b = slurp(path);
	cr_assert_str_eq(a, "0123456789");
	cr_assert_str_eq(b, "abcdef");
	free(a);
	free(b);
	/* A write spanning several caps keeps only the last two files' worth. */
	cr_assert_eq(conlog_write(&l, "ghijklmnopqrstuvwxyz!", 21, &err), 0);
	a = slurp(old);
	b = slurp(path);
	cr_assert_str_eq(a, "klmnopqrst");
	cr_assert_str_eq(b, "uvwxyz!");
	free(a);
	free(b);
	conlog_close(&l);
}

Test(conlog, open_failure_names_path)
{
	struct error err = ERROR_INIT;
	struct conlog l;
	char bad[300];

	snprintf(bad, sizeof(bad), "%s/missing/web.log", dir);
	cr_assert_lt(conlog_open(&l, bad, 10, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), bad));
	err_clear(&err);
}
