/* The domain model's JSON form: every definition of libvirt's corpus and
 * the examples comes back unchanged through XML → JSON text → model → XML,
 * corral's settings and figures JSON cannot hold as integers survive, and
 * bad input fails naming the field. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/domain-json.h"
#include "config/domain-xml.h"
#include "lib/error.h"
#include "lib/xmalloc.h"
#include "tests/unit/xml-folder.h"

static const char *corpus_dir(void)
{
	const char *env = getenv("CORRAL_CONFORMANCE");

	return env != NULL && *env != '\0' ? env : "../shared/conformance/libvirt-lxc";
}

static struct domain *parse_xml_file(const char *path)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;

	if (dom_parse_file(path, &dom, &d) < 0) {
		char *all = diag_format_all(&d);
		cr_log_error("%s", all ? all : path);
		free(all);
	}
	diags_clear(&d);
	return dom;
}

/* The model after a trip through JSON text, as the monitor reads it. */
static struct domain *through_json(const struct domain *dom)
{
	struct error err = ERROR_INIT;
	json_t *v = dom_to_json(dom);
	char *text = json_dumps(v, JSON_COMPACT);
	json_t *back = json_loads(text, 0, NULL);
	struct domain *out = NULL;

	cr_assert_not_null(back, "%s", text);
	if (dom_from_json(back, &out, &err) < 0)
		cr_log_error("%s", err_msg(&err));
	err_clear(&err);
	json_decref(v);
	json_decref(back);
	free(text);
	return out;
}

/* dom_format writes every field it has XML for, corral's settings inside
 * the metadata string; dom_to_json of the copy must equal the original's
 * too, which covers the rest. */
static bool round_trips(const char *path)
{
	struct domain *dom = parse_xml_file(path), *copy;
	char *a, *b;
	json_t *ja, *jb;
	bool ok;

	if (dom == NULL)
		return false;
	copy = through_json(dom);
	if (copy == NULL) {
		dom_free(dom);
		return false;
	}
	a = dom_format(dom);
	b = dom_format(copy);
	ja = dom_to_json(dom);
	jb = dom_to_json(copy);
	ok = strcmp(a, b) == 0 && json_equal(ja, jb);
	if (!ok)
		cr_log_error("%s: JSON changed the definition:\n%s\n---\n%s", path, a, b);
	free(a);
	free(b);
	json_decref(ja);
	json_decref(jb);
	dom_free(dom);
	dom_free(copy);
	return ok;
}

static size_t round_trip_folder(const char *dir)
{
	char **files;
	size_t n = xml_folder_list(dir, &files);

	cr_expect_gt(n, 0, "no .xml in %s", dir);
	for (size_t i = 0; i < n; i++) {
		cr_expect(round_trips(files[i]), "%s", files[i]);
		free(files[i]);
	}
	free(files);
	return n;
}

Test(domain_json, corpus_round_trips)
{
	static const char *const folders[] = { "lxcxml2xmldata", "lxcxml2xmloutdata",
					       "lxcconf2xmldata", "domainschemadata" };
	size_t total = 0;

	for (size_t f = 0; f < sizeof(folders) / sizeof(folders[0]); f++) {
		char *dir = xasprintf("%s/%s", corpus_dir(), folders[f]);
		total += round_trip_folder(dir);
		free(dir);
	}
	cr_expect_eq(total, 28);
}

Test(domain_json, examples_round_trip)
{
	cr_expect_eq(round_trip_folder("config/examples"), 3);
}

static struct domain *parse_xml(const char *xml)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;

	cr_assert_eq(dom_parse_buffer(xml, strlen(xml), "t.xml", &dom, &d), 0);
	diags_clear(&d);
	return dom;
}

Test(domain_json, corral_settings_and_huge_figures_survive)
{
	struct domain *dom = parse_xml(
		"<domain type='lxc'><name>m</name><metadata>"
		"<corral:container xmlns:corral='" DOM_CORRAL_NS "'><corral:pids max='64'/>"
		"<corral:signals shutdown='SIGRTMIN+4' reboot='INT'/>"
		"<corral:optional limits='blkio net_cls'/></corral:container></metadata>"
		"<blkiotune><device><path>/dev/sda</path>"
		"<read_bytes_sec>18446744073709551614</read_bytes_sec></device></blkiotune>"
		"<os><type>exe</type><init>/bin/sh</init><initenv name='A'>1</initenv></os>"
		"</domain>");
	struct domain *copy = through_json(dom);

	cr_assert_not_null(copy);
	cr_expect_eq(copy->corral.pids_max, 64);
	cr_expect_eq(copy->corral.shutdown_signal, SIGRTMIN + 4);
	cr_expect_eq(copy->corral.reboot_signal, SIGINT);
	cr_expect_eq(copy->corral.optional, DOM_OPT_BLKIO | DOM_OPT_NET_CLS);
	cr_assert_eq(copy->n_blkio_devices, 1);
	cr_expect_eq(copy->blkio_devices[0].read_bytes, UINT64_MAX - 1);
	cr_expect_eq(copy->blkio_devices[0].write_bytes, DOM_UNSET);
	cr_assert_eq(copy->n_initenv, 1);
	cr_expect_str_eq(copy->initenv_values[0], "1");
	cr_expect_eq(memcmp(copy->uuid, dom->uuid, sizeof(dom->uuid)), 0);
	dom_free(dom);
	dom_free(copy);
}

/* Expects text to be refused with a message holding want. */
static void rejects(const char *text, const char *want)
{
	struct error err = ERROR_INIT;
	json_t *v = json_loads(text, 0, NULL);
	struct domain *dom = (struct domain *)1;

	cr_assert_not_null(v, "test input is not JSON: %s", text);
	cr_expect_lt(dom_from_json(v, &dom, &err), 0, "accepted %s", text);
	cr_expect_null(dom);
	cr_expect_not_null(strstr(err_msg(&err), want), "%s: message '%s' lacks '%s'", text,
			   err_msg(&err), want);
	err_clear(&err);
	json_decref(v);
}

Test(domain_json, bad_input_names_the_field)
{
	rejects("[]", "expected an object");
	rejects("{}", "name: missing");
	rejects("{\"name\": 7}", "name: expected a string, found an integer");
	rejects("{\"name\": \"a\", \"colour\": 1}", "colour: unknown field");
	rejects("{\"name\": \"a\", \"memory_kib\": -1}", "memory_kib: -1 is out of range");
	rejects("{\"name\": \"a\", \"memory_kib\": \"12x\"}", "memory_kib: '12x' is not a number");
	rejects("{\"name\": \"a\", \"memory_kib\": 1.5}", "memory_kib: expected an integer");
	rejects("{\"name\": \"a\", \"vcpus\": 4294967296}", "vcpus: 4294967296 is out of range");
	rejects("{\"name\": \"a\", \"privnet\": \"yes\"}", "privnet: expected a boolean");
	rejects("{\"name\": \"a\", \"uuid\": \"nope\"}", "uuid: 'nope' is not a UUID");
	rejects("{\"name\": \"a\", \"on_crash\": \"explode\"}",
		"on_crash: 'explode' is not one of 'destroy', 'restart'");
	rejects("{\"name\": \"a\", \"initargs\": [\"-c\", 2]}", "initargs: item 1: expected a string");
	rejects("{\"name\": \"a\", \"initenv\": [{\"name\": \"A\"}]}", "initenv[0]: expected");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"type\": \"bridge\"}, {\"type\": \"wifi\"}]}",
		"interfaces[1].type: 'wifi' is not one of");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"mac\": \"00:11:22:33:44\"}]}",
		"interfaces[0].mac: '00:11:22:33:44' is not a MAC address");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"guest\": {\"ips\": [{\"prefix\": \"24\"}]}}]}",
		"interfaces[0].guest.ips[0].prefix: expected an integer, found a string");
	rejects("{\"name\": \"a\", \"ns_share\": {\"sharepid\": {}}}",
		"ns_share: unknown entry 'sharepid'");
	rejects("{\"name\": \"a\", \"ns_share\": {\"sharenet\": {\"type\": null}}}",
		"ns_share.sharenet.type: expected a string, found null");
	rejects("{\"name\": \"a\", \"seclabel\": []}", "seclabel: expected an object, found an array");
	rejects("{\"name\": \"a\", \"corral\": {\"optional\": 256}}", "corral.optional: unknown bits");
}

Test(domain_json, file_save_and_load)
{
	char dir[] = "/tmp/corral-test-domjson.XXXXXX";
	struct error err = ERROR_INIT;
	struct domain *dom, *back = NULL;
	char *path, *a, *b;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	path = xasprintf("%s/domain.json", dir);
	dom = parse_xml("<domain type='lxc'><name>web</name><os><type>exe</type>"
			"<init>/bin/sh</init></os></domain>");
	cr_assert_eq(dom_json_save(path, dom, 0600, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(dom_json_load(path, &back, &err), 0, "%s", err_msg(&err));
	a = dom_format(dom);
	b = dom_format(back);
	cr_expect_str_eq(a, b);
	f = fopen(path, "w");
	fputs("{\"name\": \"web\",", f);
	fclose(f);
	dom_free(back);
	cr_expect_lt(dom_json_load(path, &back, &err), 0);
	cr_expect_not_null(strstr(err_msg(&err), path), "%s", err_msg(&err));
	err_clear(&err);
	unlink(path);
	rmdir(dir);
	free(path);
	free(a);
	free(b);
	dom_free(dom);
}

Test(domain_json, mac_is_read_strictly)
{
	rejects("{\"name\": \"a\", \"interfaces\": [{\"mac\": \" a:bb:cc:dd:ee:ff\"}]}", "not a MAC");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"mac\": \"+a:bb:cc:dd:ee:ff\"}]}", "not a MAC");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"mac\": \"0a:bb:cc:dd:ee\"}]}", "not a MAC");
	rejects("{\"name\": \"a\", \"interfaces\": [{\"mac\": \"0a:bb:cc:dd:ee:fg\"}]}", "not a MAC");
}
