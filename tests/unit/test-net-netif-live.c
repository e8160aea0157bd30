/* engine/netif, live: a container's interfaces set up and torn down between
 * two namespaces the test makes (one standing in for the host, one for the
 * container), with a network bridge, an existing bridge, leases, traffic
 * and counters; a missing bridge, a half-done setup and a crashed monitor
 * leave nothing behind. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/network.h"
#include "engine/ipam.h"
#include "engine/netif.h"
#include "engine/netlink.h"
#include "lib/error.h"
#include "netif-helper.h"
#include "netns-helper.h"

static struct test_ns host = { -1, -1 }, cont = { -1, -1 };
static struct test_nets nets;
static struct netif_env env;
static char dir[] = "/tmp/corral-test-netif-live.XXXXXX";
static struct nl *h;

static void setup(void)
{
	struct error err = ERROR_INIT;

	cr_assert_not_null(mkdtemp(dir));
	nets.v[0] = net_default("default");
	nets.n = 1;
	env = (struct netif_env){ .root_tag = "corral-test", .run_dir = dir,
				  .network = test_nets_find, .opaque = &nets };
	test_ns_spawn(&host);
	test_ns_spawn(&cont);
	cr_assert_eq(nl_open_netns_fd(host.fd, &h, &err), 0, "%s", err_msg(&err));
}

static void teardown(void)
{
	char cmd[128];

	nl_free(h);
	h = NULL;
	test_ns_kill(&cont);
	test_ns_kill(&host);
	for (size_t i = 0; i < nets.n; i++)
		net_free(nets.v[i]);
	nets.n = 0;
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(netif_live, .init = setup, .fini = teardown);

static char *joined(struct nl *nl)
{
	struct error err = ERROR_INIT;
	char **v, *out = strdup("");
	size_t n;

	cr_assert_eq(nl_link_list(nl, &v, &n, &err), 0, "%s", err_msg(&err));
	for (size_t i = 0; i < n; i++) {
		char *next;
		cr_assert_gt(asprintf(&next, "%s%s%s", out, i ? " " : "", v[i]), 0);
		free(out);
		out = next;
	}
	nl_strv_free(v, n);
	return out;
}

static void expect_links(struct nl *nl, const char *want)
{
	char *got = joined(nl);
	cr_assert_str_eq(got, want);
	free(got);
}

static struct nl *inside(void)
{
	struct nl *c = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(nl_open_netns_pid(cont.pid, &c, &err), 0, "%s", err_msg(&err));
	return c;
}

static void make_br0(void)
{
	struct error err = ERROR_INIT;

	cr_assert_eq(nl_bridge_add(h, "br0", NULL, 0, 0, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_addr_add(h, "br0", "10.50.0.1", 24, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_set_up(h, "br0", true, &err), 0, "%s", err_msg(&err));
}

static size_t lease_count(void)
{
	struct error err = ERROR_INIT;
	struct ipam *ipam = NULL;
	struct ipam_lease *v;
	size_t n;
	char *path = ipam_path(dir, "default");

	cr_assert_eq(ipam_open(path, nets.v[0], &ipam, &err), 0);
	cr_assert_eq(ipam_list(ipam, &v, &n, &err), 0);
	ipam_leases_free(v, n);
	ipam_free(ipam);
	free(path);
	return n;
}

/* The seed's shape: one interface on the default network (leased), one on
 * an existing bridge with a fixed MAC, address and route. */
static struct domain *seed_dom(void)
{
	struct domain *dom = test_dom("web", 9);
	struct dom_interface *b;

	test_iface(dom, DOM_IF_NETWORK, "default");
	b = test_iface(dom, DOM_IF_BRIDGE, "br0");
	b->has_mac = true;
	memcpy(b->mac, (uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 6);
	test_ip(&b->guest, "10.50.0.5", 24);
	test_route(&b->guest, "10.60.0.0", 16, "10.50.0.1");
	return dom;
}

static bool has_route(struct nl *nl, const char *dst, const char *gw, const char *dev)
{
	struct error err = ERROR_INIT;
	struct nl_route *r;
	size_t n;
	bool found = false;

	cr_assert_eq(nl_route_list(nl, AF_INET, &r, &n, &err), 0, "%s", err_msg(&err));
	for (size_t i = 0; i < n; i++)
		found |= strcmp(r[i].dst, dst) == 0 && strcmp(r[i].gateway, gw) == 0 &&
			 strcmp(r[i].dev, dev) == 0;
	free(r);
	return found;
}

Test(netif_live, seed_shape_setup_traffic_counters_teardown)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();
	struct netif_plan *p = NULL;
	struct nl *c;
	struct nl_link_info li;
	struct nl_link_stats s0, s1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(5353) };
	char **addrs, payload[1000], buf[1500];
	size_t n;
	int tx, rx, got = 0;

	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_network_active(h, nets.v[0], &err), 1);
	make_br0();
	cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_lease(p, &env, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_setup(p, h, cont.pid, &err), 0, "%s", err_msg(&err));

	c = inside();
	expect_links(c, "lo eth0 eth1");
	cr_assert_eq(nl_link_info(c, "lo", &li, &err), 0);
	cr_assert(li.up, "lo is up");
	cr_assert_eq(nl_link_info(c, "eth0", &li, &err), 0);
	cr_assert(li.up);
	cr_assert_eq(memcmp(li.mac, p->v[0].mac, 6), 0, "generated MAC");
	cr_assert_eq(nl_link_info(c, "eth1", &li, &err), 0);
	cr_assert_eq(memcmp(li.mac, ((uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }), 6), 0,
		     "MAC exactly as given");
	cr_assert_eq(nl_addr_list(c, "eth0", &addrs, &n, &err), 0);
	/* The other one is the IPv6 link-local address the kernel adds. */
	cr_assert(n >= 1 && strcmp(addrs[0], "192.168.125.2/24") == 0, "%s", n ? addrs[0] : "none");
	nl_strv_free(addrs, n);
	cr_assert(has_route(c, "default", "192.168.125.1", "eth0"));
	cr_assert(has_route(c, "10.60.0.0/16", "10.50.0.1", "eth1"));
	cr_assert_eq(nl_link_info(h, p->v[0].host, &li, &err), 0, "%s", err_msg(&err));
	cr_assert(li.up);
	cr_assert_gt(li.master, 0, "on corral0");
	cr_assert_eq(lease_count(), 1);

	/* 20 datagrams of 1000 bytes from the host side to the container. */
	cr_assert_eq(netif_stats(h, &p->v[0], &s0, &err), 0, "%s", err_msg(&err));
	tx = test_ns_socket(host.fd, SOCK_DGRAM);
	rx = test_ns_socket(cont.fd, SOCK_DGRAM);
	inet_pton(AF_INET, "192.168.125.2", &sa.sin_addr);
	cr_assert_eq(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	memset(payload, 'x', sizeof(payload));
	for (int i = 0; i < 100 && got < 20; i++) {
		struct pollfd pfd = { .fd = rx, .events = POLLIN };
		sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&sa, sizeof(sa));
		if (poll(&pfd, 1, 100) == 1 && recv(rx, buf, sizeof(buf), 0) == sizeof(payload))
			got++;
	}
	close(tx);
	close(rx);
	cr_assert_eq(got, 20);
	cr_assert_eq(netif_stats(h, &p->v[0], &s1, &err), 0);
	cr_assert_geq(s1.rx_bytes - s0.rx_bytes, 20 * 1000, "container rx counts what it got");
	cr_assert_geq(s1.rx_packets - s0.rx_packets, 20);
	cr_assert_gt(s1.tx_packets, s0.tx_packets, "ARP replies went out");

	cr_assert_eq(netif_teardown(p, h, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_release(p, &env, &err), 0, "%s", err_msg(&err));
	expect_links(c, "lo");
	expect_links(h, "lo corral0 br0");
	cr_assert_eq(lease_count(), 0);
	cr_assert_eq(netif_network_stop(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_network_stop(h, nets.v[0], &err), 0, "stopping twice is fine");
	expect_links(h, "lo br0");
	nl_free(c);
	netif_plan_free(p);
	dom_free(dom);
}

Test(netif_live, missing_bridge_is_clear_and_leaves_nothing)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();
	struct netif_plan *p = NULL;
	struct nl *c;
	char want[160];

	/* Interface 0 (network) succeeds, interface 1 finds no br0. */
	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_lease(p, &env, &err), 0, "%s", err_msg(&err));
	cr_assert_lt(netif_setup(p, h, cont.pid, &err), 0);
	snprintf(want, sizeof(want),
		 "interface 1 of 'web': attach '%s' to bridge 'br0': bridge 'br0' does not exist: "
		 "No such device", p->v[1].host);
	cr_assert_str_eq(err_msg(&err), want);
	err_clear(&err);
	cr_assert_eq(netif_plan_release(p, &env, &err), 0);
	c = inside();
	expect_links(c, "lo");
	expect_links(h, "lo corral0");
	cr_assert_eq(lease_count(), 0);
	nl_free(c);
	netif_plan_free(p);
	dom_free(dom);
}

Test(netif_live, network_not_started_is_named)
{
	struct error err = ERROR_INIT;
	struct domain *dom = test_dom("web", 2);
	struct netif_plan *p = NULL;

	test_iface(dom, DOM_IF_NETWORK, "default");
	cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
	cr_assert_lt(netif_setup(p, h, cont.pid, &err), 0);
	cr_assert(strstr(err_msg(&err), "interface 0 of 'web': network 'default' is not started: "
					"attach") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	expect_links(h, "lo");
	netif_plan_free(p);
	dom_free(dom);
}

Test(netif_live, crashed_monitor_is_cleaned_from_a_rebuilt_plan)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();
	struct netif_plan *p = NULL, *again = NULL;

	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	make_br0();
	cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_lease(p, &env, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_setup(p, h, cont.pid, &err), 0, "%s", err_msg(&err));
	/* The monitor dies here: its plan is lost. The engine rebuilds one
	 * from the definition alone. */
	netif_plan_free(p);
	cr_assert_eq(netif_plan_build(dom, &env, &again, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_teardown(again, h, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_plan_release(again, &env, &err), 0, "%s", err_msg(&err));
	expect_links(h, "lo corral0 br0");
	cr_assert_eq(lease_count(), 0);
	netif_plan_free(again);
	dom_free(dom);
}

Test(netif_live, twenty_cycles_leave_nothing)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();

	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	make_br0();
	for (int i = 0; i < 20; i++) {
		struct netif_plan *p = NULL;
		cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
		cr_assert_eq(netif_plan_lease(p, &env, &err), 0, "%s", err_msg(&err));
		cr_assert_eq(netif_setup(p, h, cont.pid, &err), 0, "cycle %d: %s", i, err_msg(&err));
		cr_assert_eq(netif_teardown(p, h, &err), 0, "%s", err_msg(&err));
		cr_assert_eq(netif_plan_release(p, &env, &err), 0, "%s", err_msg(&err));
		netif_plan_free(p);
	}
	expect_links(h, "lo corral0 br0");
	cr_assert_eq(lease_count(), 0);
	dom_free(dom);
}

/* The monitor's way: the names are free on return, while the kernel's last
 * wait goes on in the background; the deletions, by index, never take a
 * new pair that took the names meanwhile. */
Test(netif_live, background_teardown_frees_the_names_at_once)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();
	struct netif_plan *p = NULL, *again = NULL;
	struct netif_bg *bg = NULL;
	char want[96];

	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	make_br0();
	cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_setup(p, h, cont.pid, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_teardown_start(p, h, &bg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_teardown_await(h, bg, &err), 0, "%s", err_msg(&err));
	expect_links(h, "lo corral0 br0");
	cr_assert_eq(netif_plan_build(dom, &env, &again, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_setup(again, h, cont.pid, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(netif_bg_finish(bg, &err), 0, "%s", err_msg(&err));
	snprintf(want, sizeof(want), "lo corral0 br0 %s %s", again->v[0].host, again->v[1].host);
	expect_links(h, want);
	cr_assert_eq(netif_teardown(again, h, &err), 0, "%s", err_msg(&err));
	expect_links(h, "lo corral0 br0");
	netif_plan_free(again);
	netif_plan_free(p);
	dom_free(dom);
}

/* The kernel removes the pairs too as the container's namespace dies: the
 * race between it and the deletions is no error. */
Test(netif_live, background_teardown_as_the_namespace_dies)
{
	struct error err = ERROR_INIT;
	struct domain *dom = seed_dom();
	struct netif_plan *p = NULL;
	struct netif_bg *bg = NULL;

	cr_assert_eq(netif_network_start(h, nets.v[0], &err), 0, "%s", err_msg(&err));
	make_br0();
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(netif_plan_build(dom, &env, &p, &err), 0, "%s", err_msg(&err));
		cr_assert_eq(netif_setup(p, h, cont.pid, &err), 0, "%s", err_msg(&err));
		test_ns_kill(&cont);
		cr_assert_eq(netif_teardown_start(p, h, &bg, &err), 0, "cycle %d: %s", i, err_msg(&err));
		cr_assert_eq(netif_teardown_await(h, bg, &err), 0, "cycle %d: %s", i, err_msg(&err));
		expect_links(h, "lo corral0 br0");
		cr_assert_eq(netif_bg_finish(bg, &err), 0, "%s", err_msg(&err));
		netif_plan_free(p);
		test_ns_spawn(&cont);
	}
	dom_free(dom);
}
