/* The network model without its XML: allocation, the default network and
 * questions about a definition, apart so that a program that only reads
 * JSON (corral-monitor) does not link libxml2. */
#include "config/network.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lib/xmalloc.h"

const char *const net_forward_names[NET_FWD_N] = {
	[NET_FWD_NONE] = "none",
	[NET_FWD_NAT] = "nat",
	[NET_FWD_ROUTE] = "route",
	[NET_FWD_OPEN] = "open",
};

struct network *net_new(void)
{
	struct network *net = xcalloc(1, sizeof(*net));

	net->stp = -1;
	net->delay = -1;
	return net;
}

void net_free(struct network *net)
{
	if (net == NULL)
		return;
	free(net->name);
	free(net->bridge);
	for (size_t i = 0; i < net->n_ips; i++)
		free(net->ips[i].ranges);
	free(net->ips);
	free(net);
}

const char *net_forward_name(enum net_forward f)
{
	return f <= NET_FWD_OPEN ? net_forward_names[f] : "?";
}

bool net_name_valid(const char *name)
{
	return name != NULL && name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL &&
	       strchr(name, '\n') == NULL && strlen(name) <= NET_NAME_MAX;
}

const struct net_ip *net_ipv4(const struct network *net)
{
	const struct net_ip *first = NULL;

	for (size_t i = 0; i < net->n_ips; i++) {
		if (net->ips[i].family != AF_INET)
			continue;
		if (net->ips[i].n_ranges > 0)
			return &net->ips[i];
		if (first == NULL)
			first = &net->ips[i];
	}
	return first;
}

struct network *net_default(const char *name)
{
	struct network *net = net_new();
	struct net_ip ip = { .family = AF_INET, .prefix = 24, .netmask_form = true };
	struct net_range r = { 0 };

	net->name = xstrdup(name);
	net->bridge = xstrdup("corral0");
	/* Only veths of local containers join it: STP would hold each new
	 * port back from forwarding for seconds and guards against nothing. */
	net->stp = 0;
	net->delay = 0;
	if (getrandom(net->uuid, sizeof(net->uuid), 0) == (ssize_t)sizeof(net->uuid)) {
		/* RFC 4122 version 4, variant 1: a random uuid. */
		net->uuid[6] = (uint8_t)((net->uuid[6] & 0x0f) | 0x40);
		net->uuid[8] = (uint8_t)((net->uuid[8] & 0x3f) | 0x80);
		net->has_uuid = true;
	}
	inet_pton(AF_INET, "192.168.125.1", &ip.addr.v4);
	inet_pton(AF_INET, "192.168.125.2", &r.start);
	inet_pton(AF_INET, "192.168.125.254", &r.end);
	ip.ranges = xmalloc(sizeof(r));
	ip.ranges[0] = r;
	ip.n_ranges = 1;
	net->ips = xmalloc(sizeof(ip));
	net->ips[0] = ip;
	net->n_ips = 1;
	return net;
}
