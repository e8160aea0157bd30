/* engine/ipam: allocation order, exhaustion, release, persistence, fixed
 * addresses, and allocators racing on one lease file. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/network.h"
#include "engine/ipam.h"
#include "lib/error.h"

static char dir[] = "/tmp/corral-test-ipam.XXXXXX";
static char path[256];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/networks/lab.leases", dir);
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(ipam, .init = setup, .fini = teardown);

/* A container's runtime dir is RUN/NAME; a domain named "networks" must not
 * share its directory with the leases. */
Test(ipam, lease_files_live_where_no_container_can)
{
	char *p = ipam_path("/run/corral", "default");

	cr_assert_str_eq(p, "/run/corral/.networks/default.leases");
	free(p);
}

static struct network *net_of(const char *ipxml)
{
	char xml[1024];
	struct network *net = NULL;
	struct diags d = { 0 };

	snprintf(xml, sizeof(xml), "<network><name>lab</name><bridge name='crlab'/>%s</network>",
		 ipxml);
	cr_assert_eq(net_parse_buffer(xml, strlen(xml), "lab.xml", &net, &d), 0);
	diags_clear(&d);
	return net;
}

static const char *s4(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], INET_ADDRSTRLEN);
}

static struct ipam *open_lab(struct network *net)
{
	struct ipam *ipam = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(ipam_open(path, net, &ipam, &err), 0, "%s", err_msg(&err));
	return ipam;
}

static struct in_addr alloc_ok(struct ipam *ipam, const char *owner, unsigned idx)
{
	struct error err = ERROR_INIT;
	struct in_addr a;

	cr_assert_eq(ipam_allocate(ipam, owner, idx, &a, &err), 0, "%s", err_msg(&err));
	return a;
}

Test(ipam, allocates_in_order_and_is_idempotent)
{
	struct network *net = net_of("<ip address='10.5.0.1' prefix='24'><dhcp>"
				     "<range start='10.5.0.10' end='10.5.0.11'/>"
				     "<range start='10.5.0.20' end='10.5.0.20'/></dhcp></ip>");
	struct ipam *ipam = open_lab(net);
	struct error err = ERROR_INIT;
	struct in_addr a;

	cr_assert_str_eq(s4(alloc_ok(ipam, "web", 0)), "10.5.0.10");
	cr_assert_str_eq(s4(alloc_ok(ipam, "web", 1)), "10.5.0.11");
	cr_assert_str_eq(s4(alloc_ok(ipam, "web", 0)), "10.5.0.10", "same key, same lease");
	cr_assert_str_eq(s4(alloc_ok(ipam, "db", 0)), "10.5.0.20", "second range");
	cr_assert_lt(ipam_allocate(ipam, "cache", 0, &a, &err), 0);
	cr_assert_eq(err.errnum, ENOSPC);
	cr_assert(strstr(err_msg(&err), "network 'lab': all 3 addresses of 10.5.0.10 to 10.5.0.20 "
					"are taken") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	ipam_free(ipam);
	net_free(net);
}

Test(ipam, whole_subnet_without_range_skips_own_network_and_broadcast)
{
	struct network *net = net_of("<ip address='10.6.0.2' prefix='30'/>");
	struct ipam *ipam = open_lab(net);
	struct error err = ERROR_INIT;
	struct in_addr a;

	/* /30: .0 network, .3 broadcast, .2 the bridge: only .1 is free. */
	cr_assert_str_eq(s4(alloc_ok(ipam, "a", 0)), "10.6.0.1");
	cr_assert_lt(ipam_allocate(ipam, "b", 0, &a, &err), 0);
	cr_assert_eq(err.errnum, ENOSPC);
	err_clear(&err);
	ipam_free(ipam);
	net_free(net);
}

Test(ipam, release_frees_and_persists_across_reopen)
{
	struct network *net = net_of("<ip address='10.5.0.1' prefix='24'><dhcp>"
				     "<range start='10.5.0.2' end='10.5.0.9'/></dhcp></ip>");
	struct ipam *ipam = open_lab(net);
	struct error err = ERROR_INIT;
	struct ipam_lease *v;
	size_t n;

	cr_assert_str_eq(s4(alloc_ok(ipam, "web server", 0)), "10.5.0.2");
	cr_assert_str_eq(s4(alloc_ok(ipam, "db", 0)), "10.5.0.3");
	cr_assert_str_eq(s4(alloc_ok(ipam, "db", 1)), "10.5.0.4");
	ipam_free(ipam);

	ipam = open_lab(net);
	cr_assert_eq(ipam_list(ipam, &v, &n, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0].owner, "web server", "owners with spaces survive");
	cr_assert_eq(v[2].index, 1);
	ipam_leases_free(v, n);
	cr_assert_str_eq(s4(alloc_ok(ipam, "web server", 0)), "10.5.0.2", "lease kept on disk");

	cr_assert_eq(ipam_release(ipam, "db", &err), 0, "%s", err_msg(&err));
	cr_assert_eq(ipam_release(ipam, "never-there", &err), 0);
	cr_assert_str_eq(s4(alloc_ok(ipam, "cache", 0)), "10.5.0.3", "released address reused");
	cr_assert_eq(ipam_list(ipam, &v, &n, &err), 0);
	cr_assert_eq(n, 2);
	ipam_leases_free(v, n);
	ipam_free(ipam);
	net_free(net);
}

Test(ipam, fixed_addresses_are_skipped_and_guarded)
{
	struct network *net = net_of("<ip address='10.5.0.1' prefix='24'><dhcp>"
				     "<range start='10.5.0.2' end='10.5.0.9'/></dhcp></ip>");
	struct ipam *ipam = open_lab(net);
	struct error err = ERROR_INIT;
	struct in_addr a;

	inet_pton(AF_INET, "10.5.0.2", &a);
	cr_assert_eq(ipam_reserve(ipam, "static", 0, a, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(ipam_reserve(ipam, "static", 0, a, &err), 0, "reserving again is fine");
	cr_assert_str_eq(s4(alloc_ok(ipam, "dyn", 0)), "10.5.0.3");
	inet_pton(AF_INET, "10.5.0.3", &a);
	cr_assert_lt(ipam_reserve(ipam, "other", 0, a, &err), 0);
	cr_assert_eq(err.errnum, EADDRINUSE);
	cr_assert(strstr(err_msg(&err), "interface 0 of 'dyn' holds it") != NULL, "%s",
		  err_msg(&err));
	inet_pton(AF_INET, "10.5.0.1", &a);
	cr_assert_lt(ipam_reserve(ipam, "other", 0, a, &err), 0);
	cr_assert(strstr(err_msg(&err), "network's own address") != NULL);
	err_clear(&err);
	ipam_free(ipam);
	net_free(net);
}

Test(ipam, own_address_never_leased_and_no_ipv4_is_an_error)
{
	struct network *net, *v6;
	struct ipam *ipam = NULL;
	struct error err = ERROR_INIT;
	struct in_addr a;

	/* The parser refuses a range over the bridge's address; a model built
	 * by hand still never hands it out. */
	net = net_of("<ip address='10.5.0.1' prefix='24'/>");
	net->ips[0].ranges = calloc(1, sizeof(*net->ips[0].ranges));
	inet_pton(AF_INET, "10.5.0.1", &net->ips[0].ranges[0].start);
	inet_pton(AF_INET, "10.5.0.1", &net->ips[0].ranges[0].end);
	net->ips[0].n_ranges = 1;
	ipam = open_lab(net);
	cr_assert_lt(ipam_allocate(ipam, "x", 0, &a, &err), 0);
	cr_assert_eq(err.errnum, ENOSPC);
	ipam_free(ipam);
	net_free(net);

	v6 = net_of("<ip family='ipv6' address='fd00::1' prefix='64'/>");
	cr_assert_lt(ipam_open(path, v6, &ipam, &err), 0);
	cr_assert(strstr(err_msg(&err), "no IPv4") != NULL);
	err_clear(&err);
	net_free(v6);
}

Test(ipam, corrupt_file_is_an_error_with_its_line)
{
	struct network *net = net_of("<ip address='10.5.0.1' prefix='24'/>");
	struct ipam *ipam = open_lab(net);
	struct error err = ERROR_INIT;
	struct in_addr a;
	FILE *f = fopen(path, "we");

	cr_assert_not_null(f);
	fprintf(f, "# leases\n10.5.0.2 0 web\ngarbage\n");
	fclose(f);
	cr_assert_lt(ipam_allocate(ipam, "x", 0, &a, &err), 0);
	cr_assert(strstr(err_msg(&err), "lab.leases:3: not a lease line") != NULL, "%s",
		  err_msg(&err));
	err_clear(&err);
	ipam_free(ipam);
	net_free(net);
}

/* Two processes, each with its own allocator on one file, allocate at
 * once; every address must come out once. */
Test(ipam, concurrent_allocators_never_collide)
{
	enum { PER_CHILD = 40, CHILDREN = 4 };
	struct network *net = net_of("<ip address='10.5.0.1' prefix='24'><dhcp>"
				     "<range start='10.5.0.2' end='10.5.0.250'/></dhcp></ip>");
	struct ipam *ipam;
	struct error err = ERROR_INIT;
	struct ipam_lease *v;
	size_t n;
	pid_t kids[CHILDREN];

	for (int c = 0; c < CHILDREN; c++) {
		kids[c] = fork();
		cr_assert_geq(kids[c], 0);
		if (kids[c] == 0) {
			struct ipam *mine = NULL;
			struct in_addr a;
			char owner[32];
			if (ipam_open(path, net, &mine, NULL) < 0)
				_exit(2);
			for (unsigned i = 0; i < PER_CHILD; i++) {
				snprintf(owner, sizeof(owner), "c%d", c);
				if (ipam_allocate(mine, owner, i, &a, NULL) < 0)
					_exit(3);
			}
			_exit(0);
		}
	}
	for (int c = 0; c < CHILDREN; c++) {
		int st;
		cr_assert_eq(waitpid(kids[c], &st, 0), kids[c]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: status %d", c, st);
	}
	ipam = open_lab(net);
	cr_assert_eq(ipam_list(ipam, &v, &n, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(n, PER_CHILD * CHILDREN, "every allocation recorded");
	for (size_t i = 1; i < n; i++)
		cr_assert_neq(v[i].addr.s_addr, v[i - 1].addr.s_addr, "address %s given twice",
			      s4(v[i].addr));
	ipam_leases_free(v, n);
	ipam_free(ipam);
	net_free(net);
}
