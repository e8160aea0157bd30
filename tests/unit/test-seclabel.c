/* engine/seclabel and engine/caps: <seclabel> decisions against a fake
 * SELinux backend and the "none" model, MCS pairs (unique under churn,
 * persistent, stale ones reclaimed), context strings, lxc_contexts files,
 * and the capability bounding set a domain asks for. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "engine/caps.h"
#include "engine/seclabel.h"
#include "lib/error.h"

static char dir[] = "/tmp/corral-test-seclabel.XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(seclabel, .init = setup, .fini = teardown);

static int fake_base(char **process, char **file, struct error *err)
{
	*process = strdup("system_u:system_r:svirt_lxc_net_t:s0");
	*file = strdup("system_u:object_r:svirt_sandbox_file_t:s0");
	return 0;
}

static int fake_check(const char *context, struct error *err)
{
	return strstr(context, "unknown_t") != NULL ? err_set(err, EINVAL, "unknown '%s'", context) : 0;
}

static int fake_set_exec(const char *context, struct error *err)
{
	return 0;
}

static int fake_relabel(const char *path, const char *context, struct error *err)
{
	return 0;
}

static const struct seclabel_backend fake_selinux = {
	.model = "selinux",
	.doi = "0",
	.base_contexts = fake_base,
	.check = fake_check,
	.set_exec = fake_set_exec,
	.relabel = fake_relabel,
};

static struct domain *parse(const char *seclabel)
{
	char xml[2048];
	struct domain *dom = NULL;
	struct diags d = { 0 };
	int rc;

	snprintf(xml, sizeof(xml),
		 "<domain type='lxc'><name>web</name><memory unit='MiB'>64</memory>"
		 "<os><type>exe</type><init>/bin/sh</init></os>%s"
		 "<devices><console type='pty'/></devices></domain>",
		 seclabel);
	rc = dom_parse_buffer(xml, strlen(xml), "test.xml", &dom, &d);
	cr_assert_eq(rc, 0, "parse: %s", seclabel);
	diags_clear(&d);
	return dom;
}

static int count_records(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "mcs-", 4) == 0;
	closedir(d);
	return n;
}

Test(seclabel, context_strings)
{
	struct error err = ERROR_INIT;
	char *s = NULL;

	cr_assert_eq(seclabel_context_mcs("system_u:system_r:svirt_lxc_net_t:s0", 3, 700, &s, &err), 0);
	cr_assert_str_eq(s, "system_u:system_r:svirt_lxc_net_t:s0:c3,c700");
	free(s);
	/* Any range is replaced; a context without one gains it. */
	cr_assert_eq(seclabel_context_mcs("u:r:t:s0-s0:c0.c1023", 0, 1, &s, &err), 0);
	cr_assert_str_eq(s, "u:r:t:s0:c0,c1");
	free(s);
	cr_assert_eq(seclabel_context_mcs("u:r:t", 5, 6, &s, &err), 0);
	cr_assert_str_eq(s, "u:r:t:s0:c5,c6");
	free(s);

	cr_assert_lt(seclabel_context_mcs("u:r", 1, 2, &s, &err), 0);
	cr_assert(strstr(err_msg(&err), "not an SELinux context") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	cr_assert_lt(seclabel_context_mcs("u:r:t\":s0", 1, 2, &s, &err), 0);
	err_clear(&err);
	cr_assert_lt(seclabel_context_mcs("u:r:t:s0", 2, 2, &s, &err), 0);
	err_clear(&err);
	cr_assert_lt(seclabel_context_mcs("u:r:t:s0", 1, SECLABEL_MCS_CATS, &s, &err), 0);
	err_clear(&err);
}

Test(seclabel, lxc_contexts_file)
{
	struct error err = ERROR_INIT;
	char *p = NULL, *f = NULL;

	cr_assert_eq(seclabel_parse_lxc_contexts(
			     "# comment\nprocess = \"system_u:system_r:svirt_lxc_net_t:s0\"\n"
			     "content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
			     "file = \"system_u:object_r:svirt_sandbox_file_t:s0\"\n"
			     "sandbox_kvm_process = \"system_u:system_r:svirt_qemu_net_t:s0\"\n",
			     &p, &f, &err),
		     0, "%s", err_msg(&err));
	cr_assert_str_eq(p, "system_u:system_r:svirt_lxc_net_t:s0");
	cr_assert_str_eq(f, "system_u:object_r:svirt_sandbox_file_t:s0");
	free(p);
	free(f);
	p = f = NULL;

	cr_assert_lt(seclabel_parse_lxc_contexts("process = \"a:b:c:s0\"\n", &p, &f, &err), 0);
	cr_assert(strstr(err_msg(&err), "'file'") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	cr_assert_lt(seclabel_parse_lxc_contexts("process = \"a:b:c\nfile = \"x:y:z\"\n", &p, &f, &err),
		     0);
	err_clear(&err);
	cr_assert_lt(seclabel_parse_lxc_contexts("process = nonsense\nfile = x:y:z\n", &p, &f, &err), 0);
	err_clear(&err);
	cr_assert_lt(seclabel_parse_lxc_contexts("", &p, &f, &err), 0);
	err_clear(&err);
}

Test(seclabel, mcs_unique_under_churn)
{
	struct error err = ERROR_INIT;
	int held[200][2];
	unsigned char (*seen)[SECLABEL_MCS_CATS] = calloc(SECLABEL_MCS_CATS, SECLABEL_MCS_CATS);

	for (int i = 0; i < 200; i++) {
		cr_assert_eq(seclabel_mcs_alloc(dir, getpid(), SECLABEL_MCS_CATS, held[i], &err), 0, "%s", err_msg(&err));
		cr_assert_lt(held[i][0], held[i][1]);
		cr_assert_lt(held[i][1], SECLABEL_MCS_CATS);
		cr_assert_eq(seen[held[i][0]][held[i][1]], 0, "pair c%d,c%d given twice", held[i][0],
			     held[i][1]);
		seen[held[i][0]][held[i][1]] = 1;
	}
	/* Churn: free every other one, take as many again; no pair held twice. */
	for (int round = 0; round < 20; round++) {
		for (int i = round % 2; i < 200; i += 2) {
			seclabel_mcs_free(dir, held[i]);
			seen[held[i][0]][held[i][1]] = 0;
		}
		for (int i = round % 2; i < 200; i += 2) {
			cr_assert_eq(seclabel_mcs_alloc(dir, getpid(), SECLABEL_MCS_CATS, held[i], &err), 0);
			cr_assert_eq(seen[held[i][0]][held[i][1]], 0, "pair c%d,c%d shared", held[i][0],
				     held[i][1]);
			seen[held[i][0]][held[i][1]] = 1;
		}
		cr_assert_eq(count_records(), 200);
	}
	for (int i = 0; i < 200; i++)
		seclabel_mcs_free(dir, held[i]);
	cr_assert_eq(count_records(), 0);
	free(seen);
}

Test(seclabel, mcs_unique_between_processes)
{
	int pipes[2];
	pid_t kids[8];
	unsigned char (*seen)[SECLABEL_MCS_CATS] = calloc(SECLABEL_MCS_CATS, SECLABEL_MCS_CATS);

	cr_assert_eq(pipe(pipes), 0);
	/* Eight allocators at once, 50 pairs each, all kept: 400 distinct. */
	for (int k = 0; k < 8; k++) {
		kids[k] = fork();
		cr_assert_geq(kids[k], 0);
		if (kids[k] == 0) {
			struct error err = ERROR_INIT;
			int pair[2];

			for (int i = 0; i < 50; i++) {
				if (seclabel_mcs_alloc(dir, getppid(), SECLABEL_MCS_CATS, pair, &err) < 0)
					_exit(1);
				if (write(pipes[1], pair, sizeof(pair)) != sizeof(pair))
					_exit(1);
			}
			_exit(0);
		}
	}
	close(pipes[1]);
	for (int k = 0; k < 8; k++) {
		int st;
		cr_assert_eq(waitpid(kids[k], &st, 0), kids[k]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	for (int i = 0; i < 400; i++) {
		int pair[2];
		cr_assert_eq(read(pipes[0], pair, sizeof(pair)), (ssize_t)sizeof(pair));
		cr_assert_eq(seen[pair[0]][pair[1]], 0, "pair c%d,c%d given twice", pair[0], pair[1]);
		seen[pair[0]][pair[1]] = 1;
	}
	close(pipes[0]);
	cr_assert_eq(count_records(), 400);
	free(seen);
}

/* An allocation survives its allocator's process (an engine restart: the
 * monitors and the run dir stay) and is never handed out again while its
 * owner lives; once the owner is gone, it is taken over. */
Test(seclabel, mcs_persistence_and_stale_records)
{
	struct error err = ERROR_INIT;
	char path[512];
	int pair[2];
	pid_t dead;
	FILE *f;

	/* Of the 15 pairs of c0..c5, all but c2,c4 held by a live owner (this
	 * process), as records left by an earlier engine would be. */
	for (int c1 = 0; c1 < 6; c1++)
		for (int c2 = c1 + 1; c2 < 6; c2++) {
			if (c1 == 2 && c2 == 4)
				continue;
			snprintf(path, sizeof(path), "%s/mcs-c%d,c%d", dir, c1, c2);
			f = fopen(path, "w");
			cr_assert_not_null(f);
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	cr_assert_eq(seclabel_mcs_alloc(dir, getpid(), 6, pair, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(pair[0], 2);
	cr_assert_eq(pair[1], 4);
	cr_assert_lt(seclabel_mcs_alloc(dir, getpid(), 6, pair, &err), 0);
	cr_assert(strstr(err_msg(&err), "no free MCS") != NULL, "%s", err_msg(&err));
	err_clear(&err);

	/* c3,c4 now belongs to a process that has ended. */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(path, sizeof(path), "%s/mcs-c3,c4", dir);
	f = fopen(path, "w");
	fprintf(f, "%d\n", (int)dead);
	fclose(f);
	cr_assert_eq(seclabel_mcs_alloc(dir, getpid(), 6, pair, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(pair[0], 3);
	cr_assert_eq(pair[1], 4);
}

Test(seclabel, dynamic_label_with_a_pair)
{
	struct domain *dom = parse("<seclabel type='dynamic' model='selinux'/>");
	struct seclabel a = SECLABEL_INIT, b = SECLABEL_INIT;
	struct error err = ERROR_INIT;
	char want[256];
	char *opts;

	cr_assert_eq(seclabel_plan(dom, &fake_selinux, dir, getpid(), &a, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(seclabel_plan(dom, &fake_selinux, dir, getpid(), &b, &err), 0, "%s", err_msg(&err));
	snprintf(want, sizeof(want), "system_u:system_r:svirt_lxc_net_t:s0:c%d,c%d", a.mcs[0], a.mcs[1]);
	cr_assert_str_eq(a.label, want);
	snprintf(want, sizeof(want), "system_u:object_r:svirt_sandbox_file_t:s0:c%d,c%d", a.mcs[0],
		 a.mcs[1]);
	cr_assert_str_eq(a.imagelabel, want);
	cr_assert(a.relabel);
	cr_assert(a.mcs[0] != b.mcs[0] || a.mcs[1] != b.mcs[1]);
	opts = seclabel_mount_options(&a);
	snprintf(want, sizeof(want), "context=\"%s\"", a.imagelabel);
	cr_assert_str_eq(opts, want);
	free(opts);
	cr_assert_eq(count_records(), 2);
	seclabel_release(&a, dir);
	seclabel_release(&b, dir);
	cr_assert_eq(count_records(), 0);
	cr_assert_null(a.label);
	dom_free(dom);
}

Test(seclabel, baselabel_static_and_none)
{
	struct seclabel sl = SECLABEL_INIT;
	struct error err = ERROR_INIT;
	struct domain *dom;
	json_t *j;

	dom = parse("<seclabel type='dynamic' model='selinux' relabel='no'>"
		    "<baselabel>system_u:system_r:container_t:s0</baselabel></seclabel>");
	cr_assert_eq(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0, "%s", err_msg(&err));
	cr_assert(strncmp(sl.label, "system_u:system_r:container_t:s0:c", 34) == 0, "%s", sl.label);
	cr_assert_not(sl.relabel);
	seclabel_release(&sl, dir);
	dom_free(dom);

	dom = parse("<seclabel type='static' model='selinux' relabel='yes'>"
		    "<label>system_u:system_r:svirt_lxc_net_t:s0:c1,c2</label>"
		    "<imagelabel>system_u:object_r:svirt_sandbox_file_t:s0:c1,c2</imagelabel></seclabel>");
	cr_assert_eq(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0, "%s", err_msg(&err));
	cr_assert_str_eq(sl.label, "system_u:system_r:svirt_lxc_net_t:s0:c1,c2");
	cr_assert_str_eq(sl.imagelabel, "system_u:object_r:svirt_sandbox_file_t:s0:c1,c2");
	cr_assert(sl.relabel);
	cr_assert_eq(sl.mcs[0], -1, "a static label takes no pair");
	cr_assert_eq(count_records(), 0);
	j = seclabel_json(&sl);
	cr_assert_str_eq(json_string_value(json_object_get(j, "model")), "selinux");
	cr_assert_str_eq(json_string_value(json_object_get(j, "label")), sl.label);
	json_decref(j);
	seclabel_release(&sl, dir);
	dom_free(dom);

	dom = parse("<seclabel type='none'/>");
	cr_assert_eq(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0);
	cr_assert_null(sl.label);
	cr_assert_str_eq(sl.model, "selinux");
	dom_free(dom);

	/* A policy that does not know the label: refused before anything runs. */
	dom = parse("<seclabel type='static' model='selinux'>"
		    "<label>system_u:system_r:unknown_t:s0</label></seclabel>");
	cr_assert_lt(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0);
	cr_assert(strstr(err_msg(&err), "unknown_t") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	dom_free(dom);

	/* A dynamic label whose check fails gives its pair back. */
	dom = parse("<seclabel type='dynamic' model='selinux'>"
		    "<baselabel>system_u:system_r:unknown_t:s0</baselabel></seclabel>");
	cr_assert_lt(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0);
	err_clear(&err);
	cr_assert_eq(count_records(), 0);
	dom_free(dom);
}

Test(seclabel, selinux_off_fails_closed_only_when_asked)
{
	static const char *const asks[] = {
		"<seclabel type='dynamic' model='selinux'/>",
		"<seclabel type='static' model='selinux'><label>u:r:t:s0</label></seclabel>",
		"<seclabel type='static'><label>system_u:system_r:svirt_lxc_net_t:s0:c1,c2</label></seclabel>",
		"<seclabel type='dynamic'><baselabel>u:r:t:s0</baselabel></seclabel>",
	};
	static const char *const runs[] = {
		"", "<seclabel type='none'/>", "<seclabel type='dynamic'/>",
		"<seclabel type='none' model='selinux'/>", "<seclabel model='none'/>",
	};
	struct error err = ERROR_INIT;

	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		struct domain *dom = parse(asks[i]);
		struct seclabel sl = SECLABEL_INIT;

		cr_assert_lt(seclabel_plan(dom, &seclabel_backend_none, dir, getpid(), &sl, &err), 0,
			     "%s started unconfined", asks[i]);
		cr_assert(strstr(err_msg(&err), "selinux") != NULL, "%s", err_msg(&err));
		err_clear(&err);
		dom_free(dom);
	}
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct domain *dom = parse(runs[i]);
		struct seclabel sl = SECLABEL_INIT;
		json_t *j;

		cr_assert_eq(seclabel_plan(dom, &seclabel_backend_none, dir, getpid(), &sl, &err), 0,
			     "%s: %s", runs[i], err_msg(&err));
		cr_assert_str_eq(sl.model, "none");
		cr_assert_null(sl.label);
		j = seclabel_json(&sl);
		cr_assert_str_eq(json_string_value(json_object_get(j, "model")), "none");
		cr_assert_str_eq(json_string_value(json_object_get(j, "doi")), "0");
		json_decref(j);
		dom_free(dom);
	}
	cr_assert_eq(count_records(), 0);
}

Test(seclabel, unknown_model_refused)
{
	struct domain *dom = parse("<seclabel type='dynamic' model='apparmor'/>");
	struct seclabel sl = SECLABEL_INIT;
	struct error err = ERROR_INIT;

	cr_assert_lt(seclabel_plan(dom, &fake_selinux, dir, getpid(), &sl, &err), 0);
	cr_assert(strstr(err_msg(&err), "apparmor") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	dom_free(dom);
}

#define BIT(c) (UINT64_C(1) << (c))

Test(caps, bounding_sets)
{
	const uint64_t dflt = BIT(CAP_SYS_MODULE) | BIT(CAP_SYS_TIME) | BIT(CAP_MKNOD) |
			      BIT(CAP_AUDIT_CONTROL) | BIT(CAP_MAC_ADMIN) | BIT(CAP_MAC_OVERRIDE) |
			      BIT(CAP_SYS_RAWIO) | BIT(CAP_DAC_READ_SEARCH);
	struct domain *dom;
	uint64_t keep;

	dom = parse("");
	cr_assert_eq(caps_bounding(dom), ~dflt);
	cr_assert(caps_bounding(dom) & BIT(CAP_SYS_BOOT), "reboot restarts the container");
	dom_free(dom);

	dom = parse("<features><capabilities policy='default'><mknod state='on'/>"
		    "<sys_boot state='off'/><net_raw state='off'/></capabilities></features>");
	keep = caps_bounding(dom);
	cr_assert(keep & BIT(CAP_MKNOD));
	cr_assert_not(keep & BIT(CAP_SYS_BOOT));
	cr_assert_not(keep & BIT(CAP_NET_RAW));
	cr_assert_not(keep & BIT(CAP_SYS_MODULE));
	dom_free(dom);

	dom = parse("<features><capabilities policy='allow'><sys_module state='off'/>"
		    "</capabilities></features>");
	cr_assert_eq(caps_bounding(dom), ~BIT(CAP_SYS_MODULE));
	dom_free(dom);

	dom = parse("<features><capabilities policy='deny'><chown state='on'/><kill state='on'/>"
		    "</capabilities></features>");
	cr_assert_eq(caps_bounding(dom), BIT(CAP_CHOWN) | BIT(CAP_KILL));
	dom_free(dom);

	cr_assert_eq(caps_number("sys_admin"), CAP_SYS_ADMIN);
	cr_assert_eq(caps_number("wake_alarm"), CAP_WAKE_ALARM);
	cr_assert_eq(caps_number("nonsense"), -1);
	for (int i = 0; i < DOM_CAP_N; i++)
		cr_assert_geq(caps_number(dom_cap_names[i]), 0, "no number for %s", dom_cap_names[i]);
}

/* corrald.conf's selinux setting against a host with and without SELinux. */
Test(seclabel, backend_for_the_setting)
{
	const struct seclabel_backend *be = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(seclabel_backend_for(SETTINGS_SELINUX_OFF, &fake_selinux, &be, &err), 0);
	cr_expect_eq(be, &seclabel_backend_none, "off never labels, even where SELinux is on");
	cr_assert_eq(seclabel_backend_for(SETTINGS_SELINUX_AUTO, &fake_selinux, &be, &err), 0);
	cr_expect_eq(be, &fake_selinux);
	cr_assert_eq(seclabel_backend_for(SETTINGS_SELINUX_AUTO, &seclabel_backend_none, &be, &err),
		     0);
	cr_expect_eq(be, &seclabel_backend_none);
	cr_assert_eq(seclabel_backend_for(SETTINGS_SELINUX_ON, &fake_selinux, &be, &err), 0);
	cr_expect_eq(be, &fake_selinux);

	be = NULL;
	cr_assert_lt(seclabel_backend_for(SETTINGS_SELINUX_ON, &seclabel_backend_none, &be, &err),
		     0, "on fails closed without SELinux");
	cr_expect_null(be);
	cr_expect(strstr(err_msg(&err), "selinux = on") != NULL, "%s", err_msg(&err));
	cr_expect(strstr(err_msg(&err), "not enabled on this host") != NULL, "%s", err_msg(&err));
	err_clear(&err);
}
