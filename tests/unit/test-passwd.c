/* passwd and group parsing for <inituser> and <initgroup>. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/passwd.h"
#include "lib/error.h"

static const char passwd_text[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"# a comment:x:1:1::/:\n"
	"broken line\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
	"nohome:x:1001:1001:::/bin/sh";

static const char group_text[] =
	"root:x:0:\n"
	"tty:x:5:\n"
	"wheel:x:10:root,alice\n"
	"alice:x:1000:\n"
	"audio:x:29:bob,alice,carol\n"
	"alicex:x:30:alicex\n"
	"video:x:44:bob";

Test(passwd, finds_users)
{
	uid_t uid;
	gid_t gid;
	char *home;

	cr_assert(passwd_find_user(passwd_text, "alice", &uid, &gid, &home));
	cr_assert_eq(uid, 1000);
	cr_assert_eq(gid, 1000);
	cr_assert_str_eq(home, "/home/alice");
	free(home);
	cr_assert(passwd_find_user(passwd_text, "nohome", &uid, &gid, &home));
	cr_assert_str_eq(home, "/");
	free(home);
	cr_assert_not(passwd_find_user(passwd_text, "bob", &uid, &gid, &home));
	cr_assert_not(passwd_find_user(passwd_text, "broken line", &uid, &gid, &home));
	cr_assert_not(passwd_find_user(passwd_text, "# a comment", &uid, &gid, &home));
}

Test(passwd, finds_groups_and_members)
{
	gid_t gid, *gids = NULL;
	size_t n = 0;

	cr_assert(passwd_find_group(group_text, "tty", &gid));
	cr_assert_eq(gid, 5);
	cr_assert_not(passwd_find_group(group_text, "nogroup", &gid));
	passwd_member_groups(group_text, "alice", &gids, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(gids[0], 10);
	cr_assert_eq(gids[1], 29);
	free(gids);
}

static char dir[] = "/tmp/corral-passwd-XXXXXX";
static char pw_path[256], gr_path[256];

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(pw_path, sizeof(pw_path), "%s/passwd", dir);
	snprintf(gr_path, sizeof(gr_path), "%s/group", dir);
	write_file(pw_path, passwd_text);
	write_file(gr_path, group_text);
}

static void teardown(void)
{
	unlink(pw_path);
	unlink(gr_path);
	rmdir(dir);
}

Test(passwd, resolves_user_and_group, .init = setup, .fini = teardown)
{
	struct error err = ERROR_INIT;
	struct passwd_ident id;

	cr_assert_eq(passwd_resolve(pw_path, gr_path, "alice", "tty", &id, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(id.uid, 1000);
	cr_assert_eq(id.gid, 5);
	cr_assert_str_eq(id.home, "/home/alice");
	cr_assert_eq(id.n_groups, 3);
	cr_assert_eq(id.groups[0], 5);
	cr_assert_eq(id.groups[1], 10);
	cr_assert_eq(id.groups[2], 29);
	passwd_ident_free(&id);

	cr_assert_eq(passwd_resolve(pw_path, gr_path, NULL, NULL, &id, &err), 0);
	cr_assert_eq(id.uid, 0);
	cr_assert_str_eq(id.home, "/root");
	cr_assert_eq(id.n_groups, 1);
	passwd_ident_free(&id);

	cr_assert_eq(passwd_resolve(pw_path, gr_path, "4242", "77", &id, &err), 0);
	cr_assert_eq(id.uid, 4242);
	cr_assert_eq(id.gid, 77);
	cr_assert_str_eq(id.home, "/");
	passwd_ident_free(&id);
}

Test(passwd, unknown_names_are_errors, .init = setup, .fini = teardown)
{
	struct error err = ERROR_INIT;
	struct passwd_ident id;

	cr_assert_lt(passwd_resolve(pw_path, gr_path, "bob", NULL, &id, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), "user 'bob' not found"), "%s", err_msg(&err));
	cr_assert_lt(passwd_resolve(pw_path, gr_path, "alice", "staff", &id, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), "group 'staff' not found"), "%s", err_msg(&err));
	err_clear(&err);
}

Test(passwd, missing_files_still_allow_numbers)
{
	struct error err = ERROR_INIT;
	struct passwd_ident id;

	cr_assert_eq(passwd_resolve("/nonexistent/passwd", "/nonexistent/group", "12", NULL, &id, &err), 0,
		     "%s", err_msg(&err));
	cr_assert_eq(id.uid, 12);
	passwd_ident_free(&id);
	cr_assert_lt(passwd_resolve("/nonexistent/passwd", "/nonexistent/group", "alice", NULL, &id, &err), 0);
	err_clear(&err);
}
