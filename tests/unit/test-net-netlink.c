/* engine/netlink, live: a bridge, a veth pair across two namespaces the
 * test makes, addresses, routes, a UDP datagram over it, counters that
 * grow, and a teardown that leaves nothing. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/netlink.h"
#include "lib/error.h"
#include "netns-helper.h"

static struct test_ns host = { -1, -1 }, cont = { -1, -1 };

static void fini(void)
{
	test_ns_kill(&cont);
	test_ns_kill(&host);
}

TestSuite(netlink, .fini = fini);

static bool has_str(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Sends datagrams from tx to to:port until rx has one (at most 3 s):
 * the first may wait on ARP. Returns the bytes received. */
static ssize_t udp_exchange(int tx, int rx, const char *to, int port, const char *payload)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	char buf[256];

	inet_pton(AF_INET, to, &sa.sin_addr);
	for (int i = 0; i < 15; i++) {
		struct pollfd pfd = { .fd = rx, .events = POLLIN };
		sendto(tx, payload, strlen(payload), 0, (struct sockaddr *)&sa, sizeof(sa));
		if (poll(&pfd, 1, 200) == 1)
			return recv(rx, buf, sizeof(buf), 0);
	}
	return -1;
}

Test(netlink, bridge_veth_namespaces_traffic_and_teardown)
{
	struct error err = ERROR_INIT;
	struct nl *h = NULL, *c = NULL;
	struct nl_link_info li;
	struct nl_link_stats s0, s1, c1;
	static const uint8_t brmac[6] = { 0x02, 0x00, 0x00, 0x00, 0xbb, 0x01 };
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct sockaddr_in bind_to = { .sin_family = AF_INET, .sin_port = htons(4242) };
	char **v;
	size_t n;
	struct nl_route *routes;
	bool found = false;
	int tx, rx;
	struct nl_veth veth;

	test_ns_spawn(&host);
	test_ns_spawn(&cont);
	cr_assert_eq(nl_open_netns_fd(host.fd, &h, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_open_netns_pid(cont.pid, &c, &err), 0, "%s", err_msg(&err));

	/* Bridge with an address, pinned MAC, STP off so ports forward at once. */
	cr_assert_eq(nl_bridge_add(h, "crtbr0", brmac, 0, 0, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_addr_add(h, "crtbr0", "10.99.0.1", 24, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_set_up(h, "crtbr0", true, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_info(h, "crtbr0", &li, &err), 0);
	cr_assert_str_eq(li.kind, "bridge");
	cr_assert_eq(memcmp(li.mac, brmac, 6), 0);
	cr_assert(li.up);

	/* A second bridge of the same name is refused with EEXIST. */
	cr_assert_lt(nl_bridge_add(h, "crtbr0", NULL, -1, -1, &err), 0);
	cr_assert_eq(err.errnum, EEXIST, "%s", err_msg(&err));
	cr_assert_str_eq(err_msg(&err), "create bridge 'crtbr0': File exists");

	/* The peer is made in the container's namespace, named, with its MAC:
	 * it never appears in the host's. */
	veth = (struct nl_veth){ .name = "crtest0", .master = "crtbr0", .up = true, .peer = "eth0",
				 .peer_mac = mac, .peer_netns_fd = cont.fd };
	cr_assert_eq(nl_veth_add(h, &veth, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_exists(h, "eth0", &err), 0, "peer is not in the host namespace");

	cr_assert_eq(nl_addr_add(c, "eth0", "10.99.0.2", 24, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_set_up(c, "lo", true, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_set_up(c, "eth0", true, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_route_add(c, "eth0", NULL, 0, "10.99.0.1", &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_route_add(c, "eth0", "10.98.0.0", 16, "10.99.0.1", &err), 0, "%s",
		     err_msg(&err));

	/* The kernel's own errno survives libnl: a gateway off every subnet. */
	cr_assert_lt(nl_route_add(c, "eth0", "10.97.0.0", 16, "172.31.0.1", &err), 0);
	cr_assert_eq(err.errnum, ENETUNREACH, "%s", err_msg(&err));

	cr_assert_eq(nl_link_info(c, "eth0", &li, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(memcmp(li.mac, mac, 6), 0);
	cr_assert_str_eq(li.kind, "veth");
	cr_assert_eq(nl_link_info(h, "crtest0", &li, &err), 0);
	cr_assert_gt(li.master, 0, "host end is a bridge port");
	cr_assert(li.up);
	cr_assert_eq(nl_addr_list(c, "eth0", &v, &n, &err), 0, "%s", err_msg(&err));
	cr_assert(has_str(v, n, "10.99.0.2/24"));
	nl_strv_free(v, n);
	cr_assert_eq(nl_route_list(c, AF_INET, &routes, &n, &err), 0, "%s", err_msg(&err));
	for (size_t i = 0; i < n; i++)
		if (strcmp(routes[i].dst, "default") == 0 &&
		    strcmp(routes[i].gateway, "10.99.0.1") == 0 && strcmp(routes[i].dev, "eth0") == 0)
			found = true;
	free(routes);
	cr_assert(found, "default route via 10.99.0.1 on eth0");

	cr_assert_eq(nl_link_stats(h, "crtest0", &s0, &err), 0, "%s", err_msg(&err));
	tx = test_ns_socket(host.fd, SOCK_DGRAM);
	rx = test_ns_socket(cont.fd, SOCK_DGRAM);
	inet_pton(AF_INET, "10.99.0.2", &bind_to.sin_addr);
	cr_assert_eq(bind(rx, (struct sockaddr *)&bind_to, sizeof(bind_to)), 0, "%s",
		     strerror(errno));
	cr_assert_eq(udp_exchange(tx, rx, "10.99.0.2", 4242, "hello over the veth"), 19);
	close(tx);
	close(rx);
	cr_assert_eq(nl_link_stats(h, "crtest0", &s1, &err), 0);
	cr_assert_eq(nl_link_stats(c, "eth0", &c1, &err), 0);
	cr_assert_gt(s1.tx_packets, s0.tx_packets);
	cr_assert_geq(s1.tx_bytes - s0.tx_bytes, 19 + 28, "UDP payload and headers");
	cr_assert_geq(c1.rx_bytes, s1.tx_bytes - s0.tx_bytes);

	/* Deleting the host end takes the container end with it. */
	cr_assert_eq(nl_link_delete(h, "crtest0", &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_exists(c, "eth0", &err), 0);
	cr_assert_eq(nl_link_delete(h, "crtbr0", &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_list(h, &v, &n, &err), 0);
	cr_assert_eq(n, 1, "only lo is left in the host namespace");
	cr_assert_str_eq(v[0], "lo");
	nl_strv_free(v, n);
	cr_assert_lt(nl_link_delete(h, "crtest0", &err), 0);
	cr_assert_eq(err.errnum, ENODEV, "%s", err_msg(&err));
	err_clear(&err);
	nl_free(h);
	nl_free(c);
}

Test(netlink, missing_bridge_is_named)
{
	struct error err = ERROR_INIT;
	struct nl *h = NULL;
	struct nl_veth veth = { .name = "crtest1", .master = "br0", .peer = "crtest1p",
				.peer_netns_fd = -1 };

	test_ns_spawn(&host);
	cr_assert_eq(nl_open_netns_fd(host.fd, &h, &err), 0, "%s", err_msg(&err));
	cr_assert_lt(nl_veth_add(h, &veth, &err), 0);
	cr_assert_eq(err.errnum, ENODEV);
	cr_assert_str_eq(err_msg(&err),
			 "attach 'crtest1' to bridge 'br0': bridge 'br0' does not exist: No such device");
	cr_assert_eq(nl_link_exists(h, "crtest1", &err), 0, "nothing made for a missing bridge");
	veth.master = NULL;
	veth.peer = "a-name-far-too-long";
	cr_assert_lt(nl_veth_add(h, &veth, &err), 0);
	cr_assert_eq(err.errnum, EINVAL);
	cr_assert_eq(nl_link_exists(h, "nonesuch", &err), 0);
	err_clear(&err);
	nl_free(h);
}

Test(netlink, socket_is_close_on_exec_and_stays_in_its_namespace)
{
	struct error err = ERROR_INIT;
	struct nl *h = NULL;
	struct stat before, after;
	char **v;
	size_t n;

	test_ns_spawn(&host);
	cr_assert_eq(stat("/proc/thread-self/ns/net", &before), 0);
	cr_assert_eq(nl_open_netns_fd(host.fd, &h, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(stat("/proc/thread-self/ns/net", &after), 0);
	cr_assert_eq(before.st_ino, after.st_ino, "the caller is back in its own namespace");
	/* The socket stays in the fresh namespace: lo alone. */
	cr_assert_eq(nl_link_list(h, &v, &n, &err), 0);
	cr_assert_eq(n, 1);
	nl_strv_free(v, n);
	for (int fd = 3; fd < 64; fd++) {
		int domain = 0;
		socklen_t len = sizeof(domain);
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_NETLINK)
			cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC, "netlink fd %d lacks FD_CLOEXEC", fd);
	}
	nl_free(h);
}

/* The bell hears the namespace of the socket it is opened beside, not the
 * caller's; a background delete ends the link there and nothing else. */
Test(netlink, bell_and_background_delete_act_in_the_sockets_namespace)
{
	struct error err = ERROR_INIT;
	struct nl *h = NULL;
	struct nl_delete *d = NULL;
	struct nl_veth veth = { .name = "crtest2", .peer = "crtest2p", .peer_netns_fd = -1 };
	struct pollfd pfd = { .events = POLLIN };
	int idx;

	test_ns_spawn(&host);
	cr_assert_eq(nl_open_netns_fd(host.fd, &h, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_bell_open(h, &pfd.fd, &err), 0, "%s", err_msg(&err));
	cr_assert(fcntl(pfd.fd, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(poll(&pfd, 1, 0), 0, "silent before any change");
	cr_assert_eq(nl_veth_add(h, &veth, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(poll(&pfd, 1, 2000), 1, "rings for a link made in its namespace");
	cr_assert_eq(nl_bell_silence(pfd.fd, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(poll(&pfd, 1, 0), 0, "silent once read");

	cr_assert_eq(nl_link_index(h, "crtest2", &idx, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_delete_start(h, idx, &d, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(poll(&pfd, 1, 2000), 1, "rings as the link goes");
	cr_assert_eq(nl_delete_join(d, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_link_index_exists(h, idx, &err), 0);
	cr_assert_eq(nl_link_exists(h, "crtest2p", &err), 0, "the peer went with it");
	cr_assert_eq(nl_link_delete_start(h, idx, &d, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nl_delete_join(d, &err), 0, "a missing link is not an error");
	close(pfd.fd);
	nl_free(h);
}
