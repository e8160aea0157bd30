/* config/store and config/paths: atomic saves, listing, autostart marks,
 * and names that try to leave the store's directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "config/paths.h"
#include "config/store.h"
#include "lib/error.h"
#include "lib/file.h"

static char root[] = "/tmp/corral-test-store.XXXXXX";
static struct paths P;

static void setup(void)
{
	struct error err = ERROR_INIT;

	cr_assert_not_null(mkdtemp(root));
	cr_assert_eq(paths_init(&P, root, &err), 0);
	cr_assert_eq(paths_make_dirs(&P, &err), 0, "%s", err_msg(&err));
}

static void teardown(void)
{
	char cmd[512];

	paths_free(&P);
	/* The root is a fresh mkdtemp directory holding plain files only. */
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(store, .init = setup, .fini = teardown);

static struct domain *make_dom(const char *name, const char *uuid)
{
	char xml[1024];
	struct domain *dom = NULL;
	struct diags d = { 0 };

	snprintf(xml, sizeof(xml),
		 "<domain type='lxc'><name>%s</name><uuid>%s</uuid>"
		 "<memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sh</init></os>"
		 "<devices><console type='pty'/></devices></domain>",
		 name, uuid);
	cr_assert_eq(dom_parse_buffer(xml, strlen(xml), "test.xml", &dom, &d), 0);
	diags_clear(&d);
	return dom;
}

Test(store, paths_follow_the_root)
{
	char expect[512];

	snprintf(expect, sizeof(expect), "%s/etc/corral/domains", root);
	cr_assert_str_eq(P.domains_dir, expect);
	snprintf(expect, sizeof(expect), "%s/run/corral/corral.sock", root);
	cr_assert_str_eq(P.engine_sock, expect);
	cr_assert_eq(strncmp(P.cgroup_name, "corral-", 7), 0);

	struct paths def;
	struct error err = ERROR_INIT;
	cr_assert_eq(paths_init(&def, NULL, &err), 0);
	cr_assert_str_eq(def.domains_dir, "/etc/corral/domains");
	cr_assert_str_eq(def.cgroup_name, "corral");
	paths_free(&def);
}

Test(store, save_load_list_delete)
{
	struct error err = ERROR_INIT;
	struct domain *a = make_dom("web", "c7a5fdbd-edaf-9455-926a-d65c16db1809");
	struct domain *b = make_dom("db", "c7a5fdbd-edaf-9455-926a-d65c16db1808");
	struct domain *back = NULL;
	struct diags d = { 0 };
	char **names;
	size_t n;

	cr_assert_eq(store_save(P.domains_dir, a, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(store_save(P.domains_dir, b, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(store_list(P.domains_dir, &names, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(names[0], "db");
	cr_assert_str_eq(names[1], "web");
	store_names_free(names, n);

	cr_assert_eq(store_load(P.domains_dir, "web", &back, &d, &err), 0, "%s", err_msg(&err));
	cr_assert_str_eq(back->name, "web");
	cr_assert_eq(memcmp(back->uuid, a->uuid, DOM_UUID_LEN), 0);
	cr_assert_eq(back->memory_kib, 65536);
	dom_free(back);

	cr_assert(store_exists(P.domains_dir, "db"));
	cr_assert_eq(store_delete(P.domains_dir, "db", &err), 0);
	cr_assert_not(store_exists(P.domains_dir, "db"));
	dom_free(a);
	dom_free(b);
}

Test(store, crash_mid_save_keeps_old_definition)
{
	struct error err = ERROR_INIT;
	struct domain *a = make_dom("web", "c7a5fdbd-edaf-9455-926a-d65c16db1809");
	struct domain *back = NULL;
	struct diags d = { 0 };
	char *path = paths_domain_xml(&P, "web"), *tmp = NULL;
	char **names;
	size_t n;

	cr_assert_eq(store_save(P.domains_dir, a, &err), 0);
	/* What store_save would write next, stopped before the rename, and cut
	 * short as a crash mid-write would leave it. */
	const char *half = "<domain type='lxc'><name>web</name><memory unit='GiB'>1";
	cr_assert_eq(file_write_temp(path, half, strlen(half), 0600, &tmp, &err), 0);

	cr_assert_eq(store_list(P.domains_dir, &names, &n, &err), 0);
	cr_assert_eq(n, 1, "the temp file is not a definition");
	store_names_free(names, n);
	cr_assert_eq(store_load(P.domains_dir, "web", &back, &d, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(back->memory_kib, 65536, "old definition whole");
	dom_free(back);
	unlink(tmp);
	free(tmp);
	free(path);
	dom_free(a);
}

Test(store, names_cannot_escape_the_directory)
{
	struct error err = ERROR_INIT;
	struct domain *back = NULL;
	struct diags d = { 0 };

	cr_assert_lt(store_load(P.domains_dir, "../../etc/passwd", &back, &d, &err), 0);
	cr_assert_not_null(strstr(err_msg(&err), "not a valid domain name"));
	err_clear(&err);
	cr_assert_lt(store_delete(P.domains_dir, ".hidden", &err), 0);
	err_clear(&err);
	cr_assert_lt(store_autostart_set(&P, "a/b", true, &err), 0);
	err_clear(&err);
}

Test(store, autostart_mark_is_a_relative_symlink)
{
	struct error err = ERROR_INIT;
	struct domain *a = make_dom("web", "c7a5fdbd-edaf-9455-926a-d65c16db1809");
	char *link = paths_autostart_link(&P, "web");
	char target[256];
	ssize_t len;

	cr_assert_eq(store_save(P.domains_dir, a, &err), 0);
	cr_assert_not(store_autostart_get(&P, "web"));
	cr_assert_eq(store_autostart_set(&P, "web", true, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(store_autostart_set(&P, "web", true, &err), 0, "idempotent");
	cr_assert(store_autostart_get(&P, "web"));
	len = readlink(link, target, sizeof(target) - 1);
	cr_assert_gt(len, 0);
	target[len] = '\0';
	cr_assert_str_eq(target, "../domains/web.xml");
	cr_assert_eq(access(link, R_OK), 0, "link resolves to the definition");
	cr_assert_eq(store_autostart_set(&P, "web", false, &err), 0);
	cr_assert_not(store_autostart_get(&P, "web"));
	free(link);
	dom_free(a);
}

Test(store, load_reports_file_and_line_of_a_broken_definition)
{
	struct error err = ERROR_INIT;
	struct domain *back = NULL;
	struct diags d = { 0 };
	char *path = paths_domain_xml(&P, "bad");
	const char *xml = "<domain type='lxc'>\n<name>bad</name>\n<memory unit='parsecs'>1</memory>\n"
			  "<os><type>exe</type><init>/bin/sh</init></os></domain>\n";

	cr_assert_eq(file_write_atomic(path, xml, strlen(xml), 0600, &err), 0);
	cr_assert_lt(store_load(P.domains_dir, "bad", &back, &d, &err), 0);
	cr_assert_null(back);
	char expect[512];
	snprintf(expect, sizeof(expect), "%s:3:", path);
	cr_assert_not_null(strstr(err_msg(&err), expect), "%s", err_msg(&err));
	cr_assert_not_null(strstr(err_msg(&err), "parsecs"), "%s", err_msg(&err));
	err_clear(&err);
	diags_clear(&d);
	free(path);
}
