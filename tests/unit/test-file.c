/* lib/file: bounded reads, atomic replacement with and without fsync, and a
 * crash between the temp write and the rename. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/file.h"

static char dir[] = "/tmp/corral-test-file.XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0))
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
		rmdir(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

TestSuite(file, .init = setup, .fini = teardown);

Test(file, write_atomic_then_read_back)
{
	struct error err = ERROR_INIT;
	char path[4096], *buf = NULL;
	size_t len;
	struct stat st;

	snprintf(path, sizeof(path), "%s/a.xml", dir);
	cr_assert_eq(file_write_atomic(path, "first", 5, 0600, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(file_write_atomic(path, "second!", 7, 0600, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(file_read_all(path, 1024, &buf, &len, &err), 0);
	cr_assert_str_eq(buf, "second!");
	cr_assert_eq(len, 7);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(count_entries(), 1, "no temp file may be left behind");
	free(buf);
}

Test(file, write_replace_swaps_whole_content)
{
	struct error err = ERROR_INIT;
	char path[4096], *buf = NULL;
	size_t len;
	struct stat st;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	cr_assert_eq(file_write_replace(path, "{\"a\":1}", 7, 0644, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(file_write_replace(path, "{}", 2, 0644, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(file_read_all(path, 1024, &buf, &len, &err), 0);
	cr_assert_str_eq(buf, "{}");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	cr_assert_eq(count_entries(), 1, "no temp file may be left behind");
	free(buf);
}

Test(file, write_replace_into_missing_dir_names_it)
{
	struct error err = ERROR_INIT;
	char path[4096];

	snprintf(path, sizeof(path), "%s/gone/state.json", dir);
	cr_assert_lt(file_write_replace(path, "x", 1, 0644, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), "state.json"), "%s", err_msg(&err));
	cr_assert_eq(count_entries(), 0);
	err_clear(&err);
}

Test(file, crash_before_rename_leaves_old_file_whole)
{
	struct error err = ERROR_INIT;
	char path[4096], *buf = NULL, *tmp = NULL;

	snprintf(path, sizeof(path), "%s/web.xml", dir);
	cr_assert_eq(file_write_atomic(path, "old definition", 14, 0600, &err), 0);
	/* The process "dies" here: temp written and synced, never renamed. */
	cr_assert_eq(file_write_temp(path, "new defin", 9, 0600, &tmp, &err), 0);
	cr_assert_eq(file_read_all(path, 1024, &buf, NULL, &err), 0);
	cr_assert_str_eq(buf, "old definition");
	cr_assert_eq(strncmp(strrchr(tmp, '/') + 1, ".web.xml.", 9), 0, "temp is hidden: %s", tmp);
	free(buf);
	/* Recovery after the "restart": the commit completes the replacement. */
	cr_assert_eq(file_commit_temp(tmp, path, &err), 0);
	cr_assert_eq(file_read_all(path, 1024, &buf, NULL, &err), 0);
	cr_assert_str_eq(buf, "new defin");
	free(buf);
	free(tmp);
}

Test(file, read_cap_is_enforced)
{
	struct error err = ERROR_INIT;
	char path[4096], *buf = NULL;

	snprintf(path, sizeof(path), "%s/big", dir);
	cr_assert_eq(file_write_atomic(path, "0123456789", 10, 0600, &err), 0);
	cr_assert_eq(file_read_all(path, 10, &buf, NULL, &err), 0);
	free(buf);
	buf = NULL;
	cr_assert_lt(file_read_all(path, 9, &buf, NULL, &err), 0);
	cr_assert_null(buf);
	cr_assert_not_null(strstr(err_msg(&err), "larger than 9 bytes"), "%s", err_msg(&err));
	err_clear(&err);
}

Test(file, missing_file_error_names_path)
{
	struct error err = ERROR_INIT;
	char *buf = NULL;

	cr_assert_lt(file_read_all("/nonexistent/corral.xml", 10, &buf, NULL, &err), 0);
	cr_assert_str_eq(err_msg(&err), "open '/nonexistent/corral.xml': No such file or directory");
	err_clear(&err);
}

Test(file, mkdir_p_makes_every_level)
{
	struct error err = ERROR_INIT;
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/x/y", dir);
	cr_assert_eq(file_mkdir_p(path, 0755, &err), 0);
	cr_assert_eq(file_mkdir_p(path, 0755, &err), 0, "idempotent");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	rmdir(path);
	snprintf(path, sizeof(path), "%s/x", dir);
	rmdir(path);
}

Test(error, context_is_prepended)
{
	struct error err = ERROR_INIT;

	cr_assert_eq(err_set(&err, 2, "mount '%s'", "/srv/web"), -1);
	err_prefix(&err, "start '%s'", "web");
	cr_assert_str_eq(err_msg(&err), "start 'web': mount '/srv/web': No such file or directory");
	cr_assert_eq(err.errnum, 2);
	err_clear(&err);
	cr_assert_null(err.msg);
}
