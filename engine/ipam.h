/* Address leases of a network: the next free IPv4 address of its range for
 * each container interface, kept in a file so that no two containers (nor
 * two engines or monitors working at once) ever get the same address. */
#ifndef CORRAL_ENGINE_IPAM_H
#define CORRAL_ENGINE_IPAM_H

#include <netinet/in.h>
#include <stddef.h>

struct error;
struct network;

struct ipam;

struct ipam_lease {
	struct in_addr addr;
	unsigned index; /* interface index within the owner */
	char *owner;    /* domain name */
};

/* RUN_DIR/.networks/NAME.leases: where a network's leases live. The dot
 * keeps the directory apart from every container's RUN_DIR/NAME (a domain
 * name never starts with '.'). The caller frees. */
char *ipam_path(const char *run_dir, const char *network);

/* Leases from net's first IPv4 <ip>: its <dhcp> ranges, or the whole subnet
 * when it has none, never the network's own address. The file (and its
 * directory) is created on first use. Every call below locks the file,
 * reads it afresh and writes it back atomically, so several struct ipam on
 * one file, in one process or many, agree. */
int ipam_open(const char *path, const struct network *net, struct ipam **out, struct error *err);
void ipam_free(struct ipam *ipam);
#define _cleanup_ipam_ __attribute__((cleanup(ipam_freep)))
static inline void ipam_freep(struct ipam **ipam)
{
	ipam_free(*ipam);
}

/* The lowest free address for (owner, index); asking again for a key that
 * holds a lease returns that lease. ENOSPC when the range is used up. */
int ipam_allocate(struct ipam *ipam, const char *owner, unsigned index, struct in_addr *out,
		  struct error *err);
/* Records a fixed address (<ip> given in the domain) for (owner, index), so
 * that allocation skips it. EADDRINUSE when another key holds it or it is
 * the network's own address. */
int ipam_reserve(struct ipam *ipam, const char *owner, unsigned index, struct in_addr addr,
		 struct error *err);
/* Drops every lease of owner; none is not an error. */
int ipam_release(struct ipam *ipam, const char *owner, struct error *err);
/* All leases, in address order; free with ipam_leases_free. */
int ipam_list(struct ipam *ipam, struct ipam_lease **leases, size_t *n, struct error *err);
void ipam_leases_free(struct ipam_lease *leases, size_t n);

#endif
