/* Crash safety of the definitions store: a writer SIGKILLed at 500 random
 * points while it saves new versions of one definition leaves, each time,
 * a file that is one whole version (the last one saved or the one before),
 * never a torn mix, and never a file that does not parse. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "config/store.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"

#define KILLS 500
#define MAX_FILE (1u << 20)

static char dir[] = "/tmp/corral-test-crash.XXXXXX";

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

TestSuite(crash, .init = setup, .fini = teardown);

/* Version k: its number first, then a body whose length varies with k
 * (up to ~60 KiB, several pages, so that a kill can land mid-write). */
static char *version_xml(unsigned k)
{
	size_t body = (size_t)(k * 7919u) % 60000u;
	char *desc = malloc(body + 1);
	char *xml;
	size_t cap;

	memset(desc, 'a' + (char)(k % 26), body);
	desc[body] = '\0';
	cap = body + 512;
	xml = malloc(cap);
	snprintf(xml, cap,
		 "<domain type='lxc'><name>crash</name><uuid>1fbbabc1-1775-3429-950f-70c4bee1aa7d</uuid>"
		 "<title>version %u</title><description>%s</description>"
		 "<memory unit='MiB'>64</memory><os><type>exe</type><init>/bin/sh</init></os>"
		 "<devices><console type='pty'/></devices></domain>",
		 k, desc);
	free(desc);
	return xml;
}

static struct domain *parse(const char *xml)
{
	struct domain *dom = NULL;
	struct diags d = { 0 };

	if (dom_parse_buffer(xml, strlen(xml), "crash.xml", &dom, &d) != 0)
		dom = NULL;
	diags_clear(&d);
	return dom;
}

/* The bytes store_save writes for version k. */
static char *version_bytes(unsigned k)
{
	char *xml = version_xml(k);
	struct domain *dom = parse(xml);
	char *out;

	cr_assert_not_null(dom);
	out = dom_format(dom);
	dom_free(dom);
	free(xml);
	return out;
}

static _Noreturn void writer(unsigned from)
{
	struct error err = ERROR_INIT;

	for (unsigned k = from;; k++) {
		char *xml = version_xml(k);
		struct domain *dom = parse(xml);

		if (dom == NULL || store_save(dir, dom, &err) < 0)
			_exit(1);
		dom_free(dom);
		free(xml);
	}
}

static unsigned version_of(const char *text)
{
	const char *t = strstr(text, "<title>version ");

	cr_assert_not_null(t, "no version title in the file");
	return (unsigned)strtoul(t + 15, NULL, 10);
}

Test(crash, sigkill_during_500_saves_leaves_whole_versions, .timeout = 600)
{
	struct error err = ERROR_INIT;
	_cleanup_free_ char *path = NULL;
	unsigned next = 0, torn_checks = 0, changed = 0, last = 0;
	bool have = false;

	if (asprintf(&path, "%s/crash.xml", dir) < 0)
		cr_assert_fail("asprintf");
	for (int i = 0; i < KILLS; i++) {
		unsigned r;
		pid_t pid;
		int st;
		char *text = NULL, *want;
		size_t len;
		unsigned v;

		cr_assert_eq(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0)
			writer(next);
		/* 0 to 60 ms (a save with its fsyncs takes some): before the
		 * first save, mid-write, mid-rename. */
		usleep(r % 60000);
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &st, 0), pid);
		cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the writer failed on its own");

		if (access(path, F_OK) != 0) {
			cr_assert_not(have, "kill %d: the definition vanished", i);
			continue;
		}
		cr_assert_eq(file_read_all(path, MAX_FILE, &text, &len, &err), 0, "%s", err_msg(&err));
		v = version_of(text);
		want = version_bytes(v);
		cr_assert_str_eq(text, want, "kill %d: crash.xml is not whole version %u", i, v);
		cr_assert(v >= next || (have && v == last), "kill %d: version %u older than saved %u", i,
			  v, last);
		torn_checks++;
		changed += !have || v != last;
		have = true;
		last = v;
		next = v + 1;
		free(want);
		free(text);
	}
	cr_assert_gt(torn_checks, KILLS / 2);
	cr_assert_gt(changed, KILLS / 10, "only %u kills came after a save", changed);
	cr_log_info("%u kills checked, %u saw a new version", torn_checks, changed);
}
