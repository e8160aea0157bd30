/* The network model's JSON form: the fixtures and the default network come
 * back unchanged through JSON text, and bad input fails naming the field. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/network-json.h"
#include "config/network.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

static struct network *through_json(const struct network *net)
{
	struct error err = ERROR_INIT;
	json_t *v = net_to_json(net);
	char *text = json_dumps(v, JSON_COMPACT);
	json_t *back = json_loads(text, 0, NULL);
	struct network *out = NULL;

	cr_assert_not_null(back, "%s", text);
	if (net_from_json(back, &out, &err) < 0)
		cr_log_error("%s: %s", err_msg(&err), text);
	err_clear(&err);
	json_decref(v);
	json_decref(back);
	free(text);
	return out;
}

/* net_format writes every field but line numbers. */
static void expect_round_trip(const struct network *net)
{
	struct network *copy = through_json(net);
	char *a, *b;

	cr_assert_not_null(copy);
	a = net_format(net);
	b = net_format(copy);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	net_free(copy);
}

Test(network_json, fixtures_round_trip)
{
	static const char *const files[] = { "tests/fixtures/net/default.xml",
					     "tests/fixtures/net/routed.xml" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct network *net = NULL;
		struct diags d = { 0 };

		cr_assert_eq(net_parse_file(files[i], &net, &d), 0, "%s", files[i]);
		diags_clear(&d);
		expect_round_trip(net);
		net_free(net);
	}
}

Test(network_json, default_and_bridge_mac_round_trip)
{
	struct network *net = net_default("default");

	expect_round_trip(net);
	net->has_mac = true;
	memcpy(net->mac, "\x52\x54\x00\x12\x34\x56", 6);
	net->forward = NET_FWD_OPEN;
	net->stp = 1;
	net->delay = 7;
	expect_round_trip(net);
	net_free(net);
}

static void rejects(const char *text, const char *want)
{
	struct error err = ERROR_INIT;
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	struct network *net = (struct network *)1;

	cr_assert_not_null(v, "test input is not JSON: %s", text);
	cr_expect_lt(net_from_json(v, &net, &err), 0, "accepted %s", text);
	cr_expect_null(net);
	cr_expect_not_null(strstr(err_msg(&err), want), "%s: message '%s' lacks '%s'", text,
			   err_msg(&err), want);
	err_clear(&err);
	json_decref(v);
}

#define OK_HEAD "{\"name\": \"lab\", \"bridge\": \"br0\""

Test(network_json, bad_input_names_the_field)
{
	rejects("7", "expected an object");
	rejects("{\"bridge\": \"br0\"}", "name: missing");
	rejects("{\"name\": \"a/b\", \"bridge\": \"br0\"}", "name: missing or not a network name");
	rejects("{\"name\": \"lab\"}", "bridge: missing");
	rejects(OK_HEAD ", \"stp\": true}", "stp: expected an integer, found a boolean");
	rejects(OK_HEAD ", \"forward\": \"bridge\"}", "forward: 'bridge' is not one of 'none'");
	rejects(OK_HEAD ", \"mac\": \"52:54:00:12:34:zz\"}", "mac: '52:54:00:12:34:zz' is not a MAC");
	rejects(OK_HEAD ", \"ips\": {}}", "ips: expected an array, found an object");
	rejects(OK_HEAD ", \"ips\": [{\"family\": \"ipv5\"}]}", "ips[0].family: 'ipv5' is not one of");
	rejects(OK_HEAD ", \"ips\": [{\"addr\": \"10.0.0.1\"}]}", "ips[0].addr: needs a family");
	rejects(OK_HEAD ", \"ips\": [{\"family\": \"ipv4\", \"addr\": \"fd00::1\"}]}",
		"ips[0].addr: 'fd00::1' is not an IPv4 address");
	rejects(OK_HEAD ", \"ips\": [{\"family\": \"ipv4\", \"addr\": \"10.0.0.1\", \"prefix\": 33}]}",
		"ips[0].prefix: 33 is out of range");
	rejects(OK_HEAD ", \"ips\": [{\"family\": \"ipv4\", \"addr\": \"10.0.0.1\", \"prefix\": 24,"
			" \"ranges\": [{\"start\": \"10.0.0.2\", \"end\": 5}]}]}",
		"ips[0].ranges[0].end: expected a string");
	rejects(OK_HEAD ", \"leases\": []}", "leases: unknown field");
}

Test(network_json, file_save_and_load)
{
	char dir[] = "/tmp/corral-test-netjson.XXXXXX";
	struct error err = ERROR_INIT;
	struct network *net = net_default("default"), *back = NULL;
	char *path;

	cr_assert_not_null(mkdtemp(dir));
	path = xasprintf("%s/default.json", dir);
	cr_assert_eq(net_json_save(path, net, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(net_json_load(path, &back, &err), 0, "%s", err_msg(&err));
	cr_expect_str_eq(back->name, "default");
	cr_expect_eq(back->ips[0].ranges[0].end.s_addr, net->ips[0].ranges[0].end.s_addr);
	net_free(back);
	unlink(path);
	cr_expect_lt(net_json_load(path, &back, &err), 0);
	cr_expect_eq(err.errnum, ENOENT);
	err_clear(&err);
	rmdir(dir);
	free(path);
	net_free(net);
}
