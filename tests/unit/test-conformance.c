/* libvirt's own LXC corpus: every file parses, the lxcxml2xml inputs come
 * back byte for byte (or as lxcxml2xmloutdata says), parse → write → parse
 * keeps the model, and writing is idempotent. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/domain-xml.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"
#include "tests/unit/xml-folder.h"

static const char *corpus_dir(void)
{
	const char *env = getenv("CORRAL_CONFORMANCE");

	return env != NULL && *env != '\0' ? env : "../shared/conformance/libvirt-lxc";
}

static char *slurp(const char *path)
{
	struct error err = ERROR_INIT;
	char *buf = NULL;
	size_t len;

	if (file_read_all(path, DOM_XML_MAX, &buf, &len, &err) < 0) {
		cr_log_error("%s", err_msg(&err));
		err_clear(&err);
		return NULL;
	}
	return buf;
}

/* Formats the definition in path, or NULL with the diagnostics logged. */
static char *format_file(const char *path)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;
	char *out = NULL;

	if (dom_parse_file(path, &dom, &d) == 0)
		out = dom_format(dom);
	for (size_t i = 0; i < d.n; i++) {
		char *line = diag_format(&d.v[i]);
		cr_log_warn("%s", line);
		free(line);
	}
	dom_free(dom);
	diags_clear(&d);
	return out;
}

static char *format_buffer(const char *xml, const char *label)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;
	char *out = NULL;

	if (dom_parse_buffer(xml, strlen(xml), label, &dom, &d) == 0)
		out = dom_format(dom);
	dom_free(dom);
	diags_clear(&d);
	return out;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Model equality through the writer: it writes every field of the model,
 * so equal output means equal models. Also checks idempotence. */
static bool round_trips(const char *path)
{
	char *once = format_file(path), *twice, *thrice;
	bool ok;

	if (once == NULL)
		return false;
	twice = format_buffer(once, path);
	thrice = twice != NULL ? format_buffer(twice, path) : NULL;
	ok = twice != NULL && thrice != NULL && strcmp(once, twice) == 0 && strcmp(twice, thrice) == 0;
	if (!ok)
		cr_log_error("%s: parse -> write -> parse changed the definition:\n%s\n---\n%s", path,
			     once, twice ? twice : "(did not parse)");
	free(once);
	free(twice);
	free(thrice);
	return ok;
}

Test(conformance, corpus_is_present)
{
	struct stat st;
	char *p = xasprintf("%s/lxcxml2xmldata", corpus_dir());

	cr_assert_eq(stat(p, &st), 0, "libvirt corpus not found at '%s' (set CORRAL_CONFORMANCE)",
		     corpus_dir());
	free(p);
}

Test(conformance, every_file_parses_and_round_trips)
{
	static const char *const folders[] = { "lxcxml2xmldata", "lxcxml2xmloutdata",
					       "lxcconf2xmldata", "domainschemadata" };
	size_t total = 0, passed = 0;

	for (size_t f = 0; f < sizeof(folders) / sizeof(folders[0]); f++) {
		char *dir = xasprintf("%s/%s", corpus_dir(), folders[f]);
		char **files;
		size_t n = xml_folder_list(dir, &files);

		cr_expect_gt(n, 0, "no .xml in %s", dir);
		for (size_t i = 0; i < n; i++) {
			bool ok = round_trips(files[i]);
			cr_expect(ok, "%s", files[i]);
			total++;
			passed += ok;
		}
		free_list(files, n);
		free(dir);
	}
	fprintf(stderr, "conformance: %zu of %zu corpus files parse and round-trip\n", passed, total);
	cr_expect_eq(total, 28);
}

Test(conformance, lxcxml2xml_byte_exact)
{
	char *dir = xasprintf("%s/lxcxml2xmldata", corpus_dir());
	char **files;
	size_t n = xml_folder_list(dir, &files), passed = 0;

	cr_expect_eq(n, 13);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(files[i], '/') + 1;
		char *alt = xasprintf("%s/lxcxml2xmloutdata/%s", corpus_dir(), base);
		struct stat st;
		char *expected = slurp(stat(alt, &st) == 0 ? alt : files[i]);
		char *actual = format_file(files[i]);

		cr_expect(expected != NULL && actual != NULL && strcmp(expected, actual) == 0,
			  "%s differs from libvirt's output:\n--- expected\n%s\n--- corral\n%s", base,
			  expected ? expected : "", actual ? actual : "(did not parse)");
		passed += expected != NULL && actual != NULL && strcmp(expected, actual) == 0;
		free(expected);
		free(actual);
		free(alt);
	}
	fprintf(stderr, "conformance: %zu of %zu lxcxml2xml cases byte-exact\n", passed, n);
	free_list(files, n);
	free(dir);
}

Test(conformance, examples_round_trip)
{
	char **files;
	size_t n = xml_folder_list("config/examples", &files);

	cr_expect_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		cr_expect(round_trips(files[i]), "%s", files[i]);
	free_list(files, n);
}
