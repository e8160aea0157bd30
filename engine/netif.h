/* A container's network interfaces: the plan (names, MACs, addresses,
 * routes, bridges) made from its <interface> elements, and carrying it out
 * through netlink — setup, teardown, counters — plus the bridge of a
 * corral-managed network. */
#ifndef CORRAL_ENGINE_NETIF_H
#define CORRAL_ENGINE_NETIF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/domain.h"

struct error;
struct network;
struct nl;
struct nl_link_stats;

struct netif_addr {
	char addr[INET6_ADDRSTRLEN];
	int prefix;
};

struct netif_route {
	char dst[INET6_ADDRSTRLEN]; /* "" for the default route */
	int prefix;
	char gateway[INET6_ADDRSTRLEN]; /* "" for a directly connected route */
};

struct netif {
	unsigned index;  /* position among the domain's <interface> elements */
	enum dom_iface_type type;
	char host[IF_NAMESIZE];  /* host end: <target dev> or netif_host_name */
	char guest[IF_NAMESIZE]; /* container end inside: <guest dev> or ethN */
	uint8_t mac[6];          /* container end: <mac> or netif_mac_generate */
	bool guest_up;           /* false for <link state='down'/> */
	char *bridge;            /* NULL: left unbridged (type='ethernet') */
	char *network;           /* type='network': the network's name */
	struct netif_addr *addrs; /* container side */
	size_t n_addrs;
	struct netif_route *routes;
	size_t n_routes;
	struct netif_addr *host_addrs; /* type='ethernet' <source><ip/>: host side */
	size_t n_host_addrs;
	struct netif_route *host_routes;
	size_t n_host_routes;
	bool created; /* this plan made the veth pair; set by netif_setup */
};

struct netif_plan {
	char *domain;
	struct netif *v;
	size_t n;
};

/* What a plan needs from around it. */
struct netif_env {
	const char *root_tag; /* differs between roots: paths->cgroup_name */
	const char *run_dir;  /* leases live under it (ipam_path) */
	/* The definition of network name, or NULL when there is none. */
	const struct network *(*network)(void *opaque, const char *name);
	void *opaque;
};

/* "cr" and 12 hex digits of a hash of (root tag, domain, index): 14
 * characters, so it fits IFNAMSIZ, differs between containers and roots,
 * and is found again after a crash. */
void netif_host_name(const char *root_tag, const char *domain, unsigned index,
		     char out[IF_NAMESIZE]);
/* A MAC stable for (domain uuid, interface index): locally administered,
 * unicast. */
void netif_mac_generate(const uint8_t uuid[DOM_UUID_LEN], unsigned index, uint8_t mac[6]);

/* Works out every interface without touching the system: names, MACs,
 * fixed addresses and routes, bridges (a type='network' interface uses its
 * network's bridge). Errors name the interface: "interface 1 of 'web': …". */
int netif_plan_build(const struct domain *dom, const struct netif_env *env,
		     struct netif_plan **out, struct error *err);
/* For each type='network' interface without an IPv4 address: the next free
 * address of the network's range and, unless the domain routes otherwise,
 * a default route via the network's address (the first such interface
 * only). Fixed addresses inside a network are recorded so that they are
 * never leased. On failure nothing stays leased. */
int netif_plan_lease(struct netif_plan *plan, const struct netif_env *env, struct error *err);
/* Gives back every lease of the plan's domain on the networks it uses. */
int netif_plan_release(const struct netif_plan *plan, const struct netif_env *env,
		       struct error *err);
void netif_plan_free(struct netif_plan *plan);
#define _cleanup_netif_plan_ __attribute__((cleanup(netif_plan_freep)))
static inline void netif_plan_freep(struct netif_plan **p)
{
	netif_plan_free(*p);
}

/* Carries the plan out: through host (a socket in the host's namespace)
 * creates each veth pair, the host end up on its bridge, the container end
 * made in the namespace of pid with its name, MAC and state; then, through
 * a socket opened inside that namespace, brings lo up and adds addresses
 * and routes. On failure what was made is removed again. */
int netif_setup(struct netif_plan *plan, struct nl *host, pid_t pid, struct error *err);
/* Deletes the host ends (the container ends go with them). Also for a plan
 * rebuilt after a crash: then only links that exist and are veths are
 * deleted. Missing links are not an error. */
int netif_teardown(struct netif_plan *plan, struct nl *host, struct error *err);
/* netif_teardown for the pairs this plan made, in two steps: start begins
 * their deletion (*bg, set even on failure); await returns as soon as the
 * kernel has taken them out of the host's namespace, their names free and
 * no listing showing them, while the plan is still there. The deletions
 * end in the background: finish them with netif_bg_finish before the
 * process forks or exits. */
struct netif_bg;
int netif_teardown_start(struct netif_plan *plan, struct nl *host, struct netif_bg **bg,
			 struct error *err);
int netif_teardown_await(struct nl *host, struct netif_bg *bg, struct error *err);
/* Waits for the deletions of bg and frees it; NULL is nothing to wait for. */
int netif_bg_finish(struct netif_bg *bg, struct error *err);
/* Counters of an interface as the container sees them (the host end's,
 * with rx and tx swapped). */
int netif_stats(struct nl *host, const struct netif *nif, struct nl_link_stats *out,
		struct error *err);

/* The bridge of a network: created with the network's MAC (or one stable
 * for its uuid), STP and delay, its addresses, and brought up. EEXIST when
 * the bridge is already there. */
int netif_network_start(struct nl *host, const struct network *net, struct error *err);
/* Deletes the network's bridge; a missing bridge is not an error. */
int netif_network_stop(struct nl *host, const struct network *net, struct error *err);
/* 1 when the network's bridge exists, 0 when not, -1 on failure. */
int netif_network_active(struct nl *host, const struct network *net, struct error *err);

#endif
