/* Route netlink through libnl-route-3: links, bridges, veth pairs,
 * addresses, routes and link counters, in one network namespace per socket. */
#ifndef CORRAL_ENGINE_NETLINK_H
#define CORRAL_ENGINE_NETLINK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct error;

/* A route netlink socket. Every call acts in the network namespace the
 * socket was opened in, whatever namespace the calling thread is in, so one
 * process can drive the host and a container side by side. Not for use from
 * two threads at once. */
struct nl;

/* Opens a socket in the caller's network namespace. */
int nl_open(struct nl **out, struct error *err);
/* Opens a socket in the namespace of netns_fd (an open /proc/PID/ns/net or
 * bind mount of one). The calling thread enters that namespace to open it
 * and is back in its own on return. */
int nl_open_netns_fd(int netns_fd, struct nl **out, struct error *err);
/* The same for the network namespace of process pid. */
int nl_open_netns_pid(pid_t pid, struct nl **out, struct error *err);
void nl_free(struct nl *nl);
#define _cleanup_nl_ __attribute__((cleanup(nl_freep)))
static inline void nl_freep(struct nl **nl)
{
	if (*nl != NULL)
		nl_free(*nl);
}

/* A bell that rings (its fd turns readable) on every change to the links
 * of nl's namespace: a socket subscribed to them, in that namespace. Opened
 * before looking at links, a change between the look and a poll still
 * rings. Close the fd when done. */
int nl_bell_open(struct nl *nl, int *out, struct error *err);
/* Reads away what rang, so that the next poll waits for a new change. */
int nl_bell_silence(int bell, struct error *err);

/* Deletes link ifindex from a thread of its own, through a socket of its own
 * in nl's namespace. RTM_DELLINK takes the link out of the namespace at once
 * (its name is free, no listing shows it) but answers only after an RCU
 * barrier, 10 to 35 ms here: the caller need not wait that out with it. By
 * index, as a late thread must not delete a new link that took the name.
 * nl_delete_fd becomes readable when the thread has ended; nl_delete_join
 * waits for it, gives its verdict (a missing link is not an error) and
 * frees d. Join before the process forks or exits: the thread takes libc's
 * locks. */
struct nl_delete;
int nl_link_delete_start(struct nl *nl, int ifindex, struct nl_delete **out, struct error *err);
int nl_delete_fd(const struct nl_delete *d);
int nl_delete_join(struct nl_delete *d, struct error *err);

/* Links are named by interface name everywhere below. A missing link fails
 * with err->errnum ENODEV. */

/* A bridge. mac NULL leaves the kernel's choice; given, it pins the bridge's
 * address so it does not follow its ports as they come and go. stp -1 and
 * delay_s -1 leave the kernel defaults. Created down. */
int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, int stp, int delay_s,
		  struct error *err);
/* A veth pair made in one request: this end in the socket's namespace,
 * made a port of bridge master and brought up as asked; the peer made
 * directly in the namespace of peer_netns_fd with its final name and MAC,
 * down (the kernel refuses a peer up before the pair is joined). Moving a
 * link to another namespace afterwards waits for RCU, some 15 ms a start
 * here; creating it there does not. */
struct nl_veth {
	const char *name;
	const char *master; /* bridge of this end, or NULL */
	bool up;
	const char *peer;
	const uint8_t *peer_mac; /* NULL: the kernel's choice */
	int peer_netns_fd;       /* -1: this socket's namespace */
};

/* A missing master fails with ENODEV, naming the bridge. */
int nl_veth_add(struct nl *nl, const struct nl_veth *v, struct error *err);
/* Deletes a link (for a veth, both ends go). */
int nl_link_delete(struct nl *nl, const char *name, struct error *err);

int nl_link_set_up(struct nl *nl, const char *name, bool up, struct error *err);

/* Adds address/prefix (IPv4 or IPv6, by the address's form) to a link. */
int nl_addr_add(struct nl *nl, const char *name, const char *address, int prefix,
		struct error *err);
/* Adds a route in the main table through link name: to dst/prefix (dst NULL
 * for the default route) via gateway (NULL for a directly connected
 * destination). The family follows dst, else gateway. */
int nl_route_add(struct nl *nl, const char *name, const char *dst, int prefix,
		 const char *gateway, struct error *err);

struct nl_link_info {
	char name[IF_NAMESIZE];
	int ifindex;
	int master;      /* ifindex of the bridge, 0 when none */
	bool up;         /* administratively up */
	bool running;    /* up with carrier */
	uint8_t mac[6];
	unsigned mtu;
	char kind[16];   /* "veth", "bridge", … or "" */
};

struct nl_link_stats {
	uint64_t rx_bytes, rx_packets, rx_errors, rx_dropped;
	uint64_t tx_bytes, tx_packets, tx_errors, tx_dropped;
};

/* 1 when a link of that name exists, 0 when not, -1 on failure. */
int nl_link_exists(struct nl *nl, const char *name, struct error *err);
/* The same for the link of that index. */
int nl_link_index_exists(struct nl *nl, int ifindex, struct error *err);
/* The index of link name. */
int nl_link_index(struct nl *nl, const char *name, int *ifindex, struct error *err);
int nl_link_info(struct nl *nl, const char *name, struct nl_link_info *out, struct error *err);
int nl_link_stats(struct nl *nl, const char *name, struct nl_link_stats *out, struct error *err);
/* The names of all links, in ifindex order; free with nl_strv_free. */
int nl_link_list(struct nl *nl, char ***names, size_t *n, struct error *err);
/* The addresses of a link as "ADDRESS/PREFIX"; free with nl_strv_free. */
int nl_addr_list(struct nl *nl, const char *name, char ***addrs, size_t *n, struct error *err);

struct nl_route {
	int family;
	char dst[INET6_ADDRSTRLEN + 4]; /* "default" or "ADDRESS/PREFIX" */
	char gateway[INET6_ADDRSTRLEN]; /* "" when directly connected */
	char dev[IF_NAMESIZE];          /* "" when not a single link */
};

/* The unicast routes of the main table for family (AF_INET, AF_INET6 or
 * AF_UNSPEC for both); the caller frees *routes. */
int nl_route_list(struct nl *nl, int family, struct nl_route **routes, size_t *n,
		  struct error *err);

void nl_strv_free(char **v, size_t n);

#endif
