/* The network model: a corral-managed network as the subset of libvirt's
 * network XML that corral understands (network-model.c), with its parser,
 * checks, writer and store (network.c). */
#ifndef CORRAL_CONFIG_NETWORK_H
#define CORRAL_CONFIG_NETWORK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/diag.h"

#define NET_NAME_MAX 64
#define NET_UUID_LEN 16
/* Largest definition accepted, so that outside input cannot exhaust memory. */
#define NET_XML_MAX (1u << 20)
/* A bridge name is an interface name: IFNAMSIZ less the terminating NUL. */
#define NET_IFNAME_MAX 15

/* <forward mode>; NET_FWD_NONE is an isolated network (no <forward>). */
enum net_forward { NET_FWD_NONE, NET_FWD_NAT, NET_FWD_ROUTE, NET_FWD_OPEN };
#define NET_FWD_N 4
/* Indexed by enum net_forward: none, nat, route, open. */
extern const char *const net_forward_names[NET_FWD_N];

struct net_range {
	struct in_addr start; /* network byte order, as inet_pton gives */
	struct in_addr end;
	int line;
};

/* One <ip>. Only IPv4 carries a <dhcp> range; IPv6 addresses are kept and
 * given to the bridge but never leased. */
struct net_ip {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	int prefix;
	bool netmask_form; /* written back as netmask= rather than prefix= */
	struct net_range *ranges;
	size_t n_ranges;
	int line;
};

struct network {
	char *name;
	bool has_uuid;
	uint8_t uuid[NET_UUID_LEN];
	char *bridge;    /* <bridge name>; required */
	int stp;         /* -1 not given, 0 off, 1 on */
	int delay;       /* forward delay in seconds, -1 when not given */
	enum net_forward forward;
	bool has_mac;
	uint8_t mac[6];  /* the bridge's own address */
	struct net_ip *ips;
	size_t n_ips;
};

struct network *net_new(void);
void net_free(struct network *net);
#define _cleanup_network_ __attribute__((cleanup(net_freep)))
static inline void net_freep(struct network **net)
{
	net_free(*net);
}

/* Parses and validates, like dom_parse_buffer: every problem goes to d with
 * file and line; returns 0 with *out set when there were no errors, -1
 * otherwise (*out NULL). filename only labels diagnostics. */
int net_parse_buffer(const char *buf, size_t len, const char *filename, struct network **out,
		     struct diags *d);
int net_parse_file(const char *path, struct network **out, struct diags *d);

/* libvirt-style XML (two-space indent, single-quoted attributes), NUL
 * terminated; the caller frees. */
char *net_format(const struct network *net);

/* The network defined on an engine's first start: name (corrald.conf's
 * default_network), bridge "corral0" with STP off, isolated,
 * 192.168.125.1/24 leasing .2 to .254, and a random uuid. */
struct network *net_default(const char *name);

/* The first IPv4 <ip>, the one addresses are leased from; NULL when none. */
const struct net_ip *net_ipv4(const struct network *net);

const char *net_forward_name(enum net_forward f);
/* A name that may become a file name in the store: not empty, no '/', no
 * leading '.', no newline, at most NET_NAME_MAX bytes. */
bool net_name_valid(const char *name);

/* The store of network definitions, dir/NAME.xml, every save atomic
 * (mode 0600, dir created when missing). List with store_list. */
struct error;
int net_load(const char *dir, const char *name, struct network **out, struct diags *d,
	     struct error *err);
int net_save(const char *dir, const struct network *net, struct error *err);
int net_delete(const char *dir, const char *name, struct error *err);

#endif
