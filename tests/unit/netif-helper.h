/* Domains with interfaces built in code (no XML parser needed) and a
 * netif_env over a fixed set of networks, for the netif tests. */
#ifndef CORRAL_TESTS_NETIF_HELPER_H
#define CORRAL_TESTS_NETIF_HELPER_H

#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "config/network.h"
#include "engine/netif.h"

struct test_nets {
	struct network *v[4];
	size_t n;
};

static inline const struct network *test_nets_find(void *opaque, const char *name)
{
	struct test_nets *t = opaque;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i]->name, name) == 0)
			return t->v[i];
	return NULL;
}

static inline struct domain *test_dom(const char *name, uint8_t uuid_seed)
{
	struct domain *dom = dom_new();

	dom->name = strdup(name);
	for (int i = 0; i < DOM_UUID_LEN; i++)
		dom->uuid[i] = (uint8_t)(uuid_seed + i);
	return dom;
}

static inline struct dom_interface *test_iface(struct domain *dom, enum dom_iface_type type,
					       const char *source)
{
	struct dom_interface *ifc;

	dom->interfaces = realloc(dom->interfaces, (dom->n_interfaces + 1) * sizeof(*ifc));
	ifc = &dom->interfaces[dom->n_interfaces++];
	memset(ifc, 0, sizeof(*ifc));
	ifc->type = type;
	ifc->source = source ? strdup(source) : NULL;
	return ifc;
}

static inline void test_ip(struct dom_ipcfg *c, const char *addr, int prefix)
{
	c->ips = realloc(c->ips, (c->n_ips + 1) * sizeof(*c->ips));
	c->ips[c->n_ips++] = (struct dom_ip){ .family = strchr(addr, ':') ? DOM_AF_INET6 : DOM_AF_INET,
					      .address = strdup(addr), .prefix = prefix };
}

static inline void test_route(struct dom_ipcfg *c, const char *addr, int prefix, const char *gw)
{
	c->routes = realloc(c->routes, (c->n_routes + 1) * sizeof(*c->routes));
	c->routes[c->n_routes++] = (struct dom_route){ .family = DOM_AF_INET,
						       .address = addr ? strdup(addr) : NULL,
						       .prefix = prefix,
						       .gateway = gw ? strdup(gw) : NULL };
}

#endif
