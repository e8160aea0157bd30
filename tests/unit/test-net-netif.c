/* engine/netif without the kernel: generated MACs and host-end names, the
 * interface plan, and the leases a plan takes and gives back. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "config/network.h"
#include "engine/ipam.h"
#include "engine/netif.h"
#include "lib/error.h"
#include "netif-helper.h"

Test(netif, mac_is_stable_local_unicast_and_distinct)
{
	uint8_t uuid[DOM_UUID_LEN] = { 1, 2, 3 }, a[6], b[6];
	enum { N = 4096 };
	static uint8_t seen[N][6];

	netif_mac_generate(uuid, 0, a);
	netif_mac_generate(uuid, 0, b);
	cr_assert_eq(memcmp(a, b, 6), 0, "same uuid and index, same MAC");
	netif_mac_generate(uuid, 1, b);
	cr_assert_neq(memcmp(a, b, 6), 0, "another index, another MAC");
	for (unsigned i = 0; i < N; i++) {
		uuid[0] = (uint8_t)i;
		uuid[1] = (uint8_t)(i >> 8);
		netif_mac_generate(uuid, i % 3, seen[i]);
		cr_assert_eq(seen[i][0] & 0x02, 0x02, "locally administered");
		cr_assert_eq(seen[i][0] & 0x01, 0, "unicast");
		for (unsigned j = 0; j < i; j++)
			cr_assert_neq(memcmp(seen[i], seen[j], 6), 0, "MAC %u equals MAC %u", i, j);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

Test(netif, host_names_fit_ifnamsiz_and_never_collide)
{
	const char *roots[] = { "corral", "corral-1a2b3c4d", "corral-ffffffff" };
	enum { DOMS = 800, IDX = 4, N = 3 * DOMS * IDX };
	static char names[N][IF_NAMESIZE];
	char dom[32], again[IF_NAMESIZE], one[IF_NAMESIZE];
	size_t k = 0;

	for (int r = 0; r < 3; r++)
		for (int d = 0; d < DOMS; d++)
			for (unsigned i = 0; i < IDX; i++) {
				snprintf(dom, sizeof(dom), "web%d", d);
				netif_host_name(roots[r], dom, i, names[k]);
				cr_assert_eq(strlen(names[k]), 14);
				cr_assert_eq(strncmp(names[k], "cr", 2), 0);
				k++;
			}
	qsort(names, N, IF_NAMESIZE, cmp_name);
	for (size_t i = 1; i < N; i++)
		cr_assert_str_neq(names[i], names[i - 1], "collision: %s", names[i]);
	netif_host_name(roots[1], "web7", 2, again);
	netif_host_name(roots[1], "web7", 2, one);
	cr_assert_str_eq(again, one, "stable");
	netif_host_name("ab", "c", 0, again);
	netif_host_name("a", "bc", 0, one);
	cr_assert_str_neq(again, one, "root and domain do not run together");
}

static struct test_nets nets;
static const struct netif_env *env_of(const char *run_dir)
{
	static struct netif_env env;

	env = (struct netif_env){ .root_tag = "corral-test", .run_dir = run_dir,
				  .network = test_nets_find, .opaque = &nets };
	return &env;
}

static void nets_setup(void)
{
	nets.v[0] = net_default("default");
	nets.n = 1;
}

static void nets_teardown(void)
{
	for (size_t i = 0; i < nets.n; i++)
		net_free(nets.v[i]);
	nets.n = 0;
}

TestSuite(netif_plan, .init = nets_setup, .fini = nets_teardown);

Test(netif_plan, names_macs_bridges)
{
	struct domain *dom = test_dom("web", 7);
	struct dom_interface *i0, *i1, *i2;
	struct netif_plan *p = NULL;
	struct error err = ERROR_INIT;
	uint8_t mac[6];
	char host0[IF_NAMESIZE];

	i0 = test_iface(dom, DOM_IF_NETWORK, "default");
	i1 = test_iface(dom, DOM_IF_BRIDGE, "br0");
	i1->has_mac = true;
	memcpy(i1->mac, (uint8_t[]){ 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc }, 6);
	i1->target_dev = strdup("vethweb1");
	i1->guest_dev = strdup("eth0");
	i2 = test_iface(dom, DOM_IF_ETHERNET, NULL);
	test_ip(&i2->host, "10.9.0.1", 30);
	(void)i0;

	cr_assert_eq(netif_plan_build(dom, env_of("/nonexistent"), &p, &err), 0, "%s",
		     err_msg(&err));
	cr_assert_eq(p->n, 3);
	netif_host_name("corral-test", "web", 0, host0);
	cr_assert_str_eq(p->v[0].host, host0);
	cr_assert_str_eq(p->v[0].guest, "eth1", "eth0 is claimed by interface 1");
	cr_assert_str_eq(p->v[0].bridge, "corral0", "the network's bridge");
	cr_assert_str_eq(p->v[0].network, "default");
	netif_mac_generate(dom->uuid, 0, mac);
	cr_assert_eq(memcmp(p->v[0].mac, mac, 6), 0);
	cr_assert_str_eq(p->v[1].host, "vethweb1", "<target dev> honoured");
	cr_assert_str_eq(p->v[1].guest, "eth0");
	cr_assert_eq(p->v[1].mac[3], 0xaa, "MAC as given");
	cr_assert_str_eq(p->v[1].bridge, "br0");
	cr_assert_null(p->v[2].bridge, "ethernet stays unbridged");
	cr_assert_str_eq(p->v[2].guest, "eth2");
	cr_assert_eq(p->v[2].n_host_addrs, 1);
	netif_plan_free(p);
	dom_free(dom);
}

static void expect_plan_error(struct domain *dom, const char *needle)
{
	struct netif_plan *p = NULL;
	struct error err = ERROR_INIT;

	cr_assert_lt(netif_plan_build(dom, env_of("/nonexistent"), &p, &err), 0);
	cr_assert_null(p);
	cr_assert(strstr(err_msg(&err), needle) != NULL, "expected '%s' in '%s'", needle,
		  err_msg(&err));
	err_clear(&err);
	dom_free(dom);
}

Test(netif_plan, errors_name_the_interface)
{
	struct domain *dom;
	struct dom_interface *ifc;

	dom = test_dom("web", 1);
	test_iface(dom, DOM_IF_BRIDGE, "br0");
	test_iface(dom, DOM_IF_NETWORK, "nope");
	expect_plan_error(dom, "interface 1 of 'web': network 'nope' is not defined");

	dom = test_dom("web", 1);
	test_iface(dom, DOM_IF_DIRECT, "eth9");
	expect_plan_error(dom, "interface 0 of 'web': type 'direct' is not supported");

	dom = test_dom("web", 1);
	ifc = test_iface(dom, DOM_IF_BRIDGE, "br0");
	ifc->target_dev = strdup("a-very-long-name");
	expect_plan_error(dom, "interface 0 of 'web': <target dev='a-very-long-name'>");

	dom = test_dom("web", 1);
	test_iface(dom, DOM_IF_BRIDGE, "br0")->guest_dev = strdup("eth0");
	test_iface(dom, DOM_IF_BRIDGE, "br0")->guest_dev = strdup("eth0");
	expect_plan_error(dom, "interface 1 of 'web': guest name 'eth0' is also interface 0's");

	dom = test_dom("web", 1);
	ifc = test_iface(dom, DOM_IF_BRIDGE, "br0");
	test_ip(&ifc->guest, "10.0.0.300", 24);
	expect_plan_error(dom, "interface 0 of 'web': <ip address='10.0.0.300'>: not an IP address");
}

Test(netif_plan, leases_addresses_default_route_and_releases)
{
	char dir[] = "/tmp/corral-test-netif.XXXXXX", cmd[128];
	struct domain *dom = test_dom("web", 3), *db = test_dom("db", 4);
	struct netif_plan *p = NULL, *q = NULL;
	struct error err = ERROR_INIT;
	struct dom_interface *fixed;
	struct ipam *ipam = NULL;
	struct ipam_lease *v;
	size_t n;
	char *path;

	cr_assert_not_null(mkdtemp(dir));
	test_iface(dom, DOM_IF_NETWORK, "default");
	test_iface(dom, DOM_IF_NETWORK, "default");
	fixed = test_iface(db, DOM_IF_NETWORK, "default");
	test_ip(&fixed->guest, "192.168.125.3", 24);

	cr_assert_eq(netif_plan_build(db, env_of(dir), &q, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_lease(q, env_of(dir), &err), 0, "%s", err_msg(&err));
	cr_assert_eq(q->v[0].n_routes, 0, "a fixed address gets no automatic route");

	cr_assert_eq(netif_plan_build(dom, env_of(dir), &p, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_lease(p, env_of(dir), &err), 0, "%s", err_msg(&err));
	cr_assert_eq(p->v[0].n_addrs, 1);
	cr_assert_str_eq(p->v[0].addrs[0].addr, "192.168.125.2");
	cr_assert_eq(p->v[0].addrs[0].prefix, 24);
	cr_assert_str_eq(p->v[1].addrs[0].addr, "192.168.125.4", ".3 is db's fixed address");
	cr_assert_eq(p->v[0].n_routes, 1);
	cr_assert_str_eq(p->v[0].routes[0].dst, "");
	cr_assert_str_eq(p->v[0].routes[0].gateway, "192.168.125.1");
	cr_assert_eq(p->v[1].n_routes, 0, "one default route only");

	cr_assert_eq(netif_plan_release(p, env_of(dir), &err), 0, "%s", err_msg(&err));
	path = ipam_path(dir, "default");
	cr_assert_eq(ipam_open(path, nets.v[0], &ipam, &err), 0);
	cr_assert_eq(ipam_list(ipam, &v, &n, &err), 0);
	cr_assert_eq(n, 1, "only db's lease is left");
	cr_assert_str_eq(v[0].owner, "db");
	ipam_leases_free(v, n);
	ipam_free(ipam);
	free(path);

	netif_plan_free(p);
	netif_plan_free(q);
	dom_free(dom);
	dom_free(db);
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}
