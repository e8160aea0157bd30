/* Container interfaces: planning, setup and teardown over netlink. */
#include "engine/netif.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/network.h"
#include "engine/ipam.h"
#include "engine/netlink.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* FNV-1a over the bytes, then a splitmix64 finalizer so that every output
 * bit depends on every input bit: names and MACs are cut from it. */
static uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_finish(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

#define HASH_SEED 0xcbf29ce484222325ULL

void netif_host_name(const char *root_tag, const char *domain, unsigned index,
		     char out[IF_NAMESIZE])
{
	uint8_t idx[4] = { (uint8_t)(index >> 24), (uint8_t)(index >> 16), (uint8_t)(index >> 8),
			   (uint8_t)index };
	uint64_t h = HASH_SEED;

	/* The NULs keep ("ab","c") and ("a","bc") apart. */
	h = hash_bytes(h, root_tag, strlen(root_tag) + 1);
	h = hash_bytes(h, domain, strlen(domain) + 1);
	h = hash_bytes(h, idx, sizeof(idx));
	snprintf(out, IF_NAMESIZE, "cr%012llx", (unsigned long long)(hash_finish(h) >> 16));
}

void netif_mac_generate(const uint8_t uuid[DOM_UUID_LEN], unsigned index, uint8_t mac[6])
{
	uint8_t idx[4] = { (uint8_t)(index >> 24), (uint8_t)(index >> 16), (uint8_t)(index >> 8),
			   (uint8_t)index };
	uint64_t h = hash_finish(hash_bytes(hash_bytes(HASH_SEED, uuid, DOM_UUID_LEN), idx, 4));

	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	/* Locally administered (bit 1 set), unicast (bit 0 clear). */
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}

/* ---- plan ---- */

static void free_one(struct netif *n)
{
	free(n->bridge);
	free(n->network);
	free(n->addrs);
	free(n->routes);
	free(n->host_addrs);
	free(n->host_routes);
}

void netif_plan_free(struct netif_plan *plan)
{
	if (plan == NULL)
		return;
	for (size_t i = 0; i < plan->n; i++)
		free_one(&plan->v[i]);
	free(plan->v);
	free(plan->domain);
	free(plan);
}

static int iface_fail(struct error *err, const char *domain, unsigned index)
{
	return err_prefix(err, "interface %u of '%s'", index, domain);
}

static int copy_addr(const struct dom_ip *ip, struct netif_addr *out, struct error *err)
{
	unsigned char bin[sizeof(struct in6_addr)];
	int family;

	if (ip->address == NULL)
		return err_set(err, EINVAL, "<ip> without an address");
	if (inet_pton(AF_INET, ip->address, bin) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, ip->address, bin) == 1)
		family = AF_INET6;
	else
		return err_set(err, EINVAL, "<ip address='%s'>: not an IP address", ip->address);
	out->prefix = ip->prefix >= 0 ? ip->prefix : family == AF_INET ? 24 : 64;
	if (out->prefix > (family == AF_INET ? 32 : 128))
		return err_set(err, EINVAL, "<ip address='%s' prefix='%d'>: prefix out of range",
			       ip->address, ip->prefix);
	snprintf(out->addr, sizeof(out->addr), "%s", ip->address);
	return 0;
}

static bool is_default_dst(const char *a, int prefix)
{
	return a == NULL || a[0] == '\0' ||
	       (prefix <= 0 && (strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0));
}

static int copy_route(const struct dom_route *r, struct netif_route *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (r->gateway != NULL) {
		if (strlen(r->gateway) >= sizeof(out->gateway))
			return err_set(err, EINVAL, "<route gateway='%s'>: not an address", r->gateway);
		snprintf(out->gateway, sizeof(out->gateway), "%s", r->gateway);
	}
	if (is_default_dst(r->address, r->prefix)) {
		if (out->gateway[0] == '\0')
			return err_set(err, EINVAL, "a default <route> needs gateway='…'");
		return 0;
	}
	if (strlen(r->address) >= sizeof(out->dst))
		return err_set(err, EINVAL, "<route address='%s'>: not an address", r->address);
	snprintf(out->dst, sizeof(out->dst), "%s", r->address);
	out->prefix = r->prefix >= 0 ? r->prefix : strchr(r->address, ':') ? 128 : 32;
	return 0;
}

static int copy_ipcfg(const struct dom_ipcfg *c, struct netif_addr **addrs, size_t *n_addrs,
		      struct netif_route **routes, size_t *n_routes, struct error *err)
{
	*addrs = c->n_ips ? xcalloc(c->n_ips, sizeof(**addrs)) : NULL;
	*routes = c->n_routes ? xcalloc(c->n_routes, sizeof(**routes)) : NULL;
	*n_addrs = c->n_ips;
	*n_routes = c->n_routes;
	for (size_t i = 0; i < c->n_ips; i++)
		if (copy_addr(&c->ips[i], &(*addrs)[i], err) < 0)
			return -1;
	for (size_t i = 0; i < c->n_routes; i++)
		if (copy_route(&c->routes[i], &(*routes)[i], err) < 0)
			return -1;
	return 0;
}

static const char *type_name(enum dom_iface_type t)
{
	switch (t) {
	case DOM_IF_NETWORK: return "network";
	case DOM_IF_BRIDGE: return "bridge";
	case DOM_IF_ETHERNET: return "ethernet";
	case DOM_IF_DIRECT: return "direct";
	}
	return "?";
}

static int plan_one(const struct domain *dom, const struct dom_interface *di, unsigned index,
		    const struct netif_env *env, struct netif *n, struct error *err)
{
	const struct network *net;

	n->index = index;
	n->type = di->type;
	n->guest_up = di->link_state == NULL || strcmp(di->link_state, "down") != 0;
	if (di->target_dev != NULL) {
		if (di->target_dev[0] == '\0' || strlen(di->target_dev) >= IF_NAMESIZE)
			return err_set(err, EINVAL, "<target dev='%s'>: an interface name has 1 to %d "
						    "characters", di->target_dev, IF_NAMESIZE - 1);
		snprintf(n->host, sizeof(n->host), "%s", di->target_dev);
	} else {
		netif_host_name(env->root_tag, dom->name, index, n->host);
	}
	if (di->guest_dev != NULL) {
		if (di->guest_dev[0] == '\0' || strlen(di->guest_dev) >= IF_NAMESIZE)
			return err_set(err, EINVAL, "<guest dev='%s'>: an interface name has 1 to %d "
						    "characters", di->guest_dev, IF_NAMESIZE - 1);
		snprintf(n->guest, sizeof(n->guest), "%s", di->guest_dev);
	}
	if (di->has_mac) {
		if (di->mac[0] & 1)
			return err_set(err, EINVAL, "<mac address='%02x:…'>: a multicast address cannot "
						    "be an interface's", di->mac[0]);
		memcpy(n->mac, di->mac, 6);
	} else {
		netif_mac_generate(dom->uuid, index, n->mac);
	}

	switch (di->type) {
	case DOM_IF_BRIDGE:
		if (di->source == NULL)
			return err_set(err, EINVAL, "type 'bridge' needs <source bridge='…'/>");
		n->bridge = xstrdup(di->source);
		break;
	case DOM_IF_NETWORK:
		if (di->source == NULL)
			return err_set(err, EINVAL, "type 'network' needs <source network='…'/>");
		net = env->network != NULL ? env->network(env->opaque, di->source) : NULL;
		if (net == NULL)
			return err_set(err, ENOENT, "network '%s' is not defined (see net-list --all)",
				       di->source);
		n->bridge = xstrdup(net->bridge);
		n->network = xstrdup(net->name);
		break;
	case DOM_IF_ETHERNET:
		if (copy_ipcfg(&di->host, &n->host_addrs, &n->n_host_addrs, &n->host_routes,
			       &n->n_host_routes, err) < 0)
			return err_prefix(err, "host side");
		break;
	case DOM_IF_DIRECT:
		return err_set(err, EOPNOTSUPP, "type '%s' is not supported; use 'bridge' or "
						"'network'", type_name(di->type));
	}
	return copy_ipcfg(&di->guest, &n->addrs, &n->n_addrs, &n->routes, &n->n_routes, err);
}

static bool guest_taken(const struct netif_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].guest, name) == 0)
			return true;
	return false;
}

int netif_plan_build(const struct domain *dom, const struct netif_env *env,
		     struct netif_plan **out, struct error *err)
{
	struct netif_plan *p = xcalloc(1, sizeof(*p));
	unsigned next_eth = 0;

	*out = NULL;
	p->domain = xstrdup(dom->name);
	p->v = dom->n_interfaces ? xcalloc(dom->n_interfaces, sizeof(*p->v)) : NULL;
	for (size_t i = 0; i < dom->n_interfaces; i++) {
		p->n = i + 1;
		if (plan_one(dom, &dom->interfaces[i], (unsigned)i, env, &p->v[i], err) < 0) {
			iface_fail(err, dom->name, (unsigned)i);
			netif_plan_free(p);
			return -1;
		}
	}
	/* Unnamed guest ends take the first ethN that no <guest dev> claims. */
	for (size_t i = 0; i < p->n; i++) {
		char name[IF_NAMESIZE];

		if (p->v[i].guest[0] != '\0')
			continue;
		do
			snprintf(name, sizeof(name), "eth%u", next_eth++);
		while (guest_taken(p, name));
		memcpy(p->v[i].guest, name, sizeof(name));
	}
	for (size_t i = 0; i < p->n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(p->v[i].guest, p->v[j].guest) == 0) {
				err_set(err, EINVAL, "interface %zu of '%s': guest name '%s' is also "
						     "interface %zu's", i, dom->name, p->v[i].guest, j);
				netif_plan_free(p);
				return -1;
			}
			if (strcmp(p->v[i].host, p->v[j].host) == 0) {
				err_set(err, EINVAL, "interface %zu of '%s': host name '%s' is also "
						     "interface %zu's", i, dom->name, p->v[i].host, j);
				netif_plan_free(p);
				return -1;
			}
		}
	}
	*out = p;
	return 0;
}

/* ---- leases ---- */

static bool has_v4(const struct netif *n)
{
	for (size_t i = 0; i < n->n_addrs; i++)
		if (strchr(n->addrs[i].addr, ':') == NULL)
			return true;
	return false;
}

static bool plan_has_default_v4(const struct netif_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->v[i].n_routes; j++)
			if (p->v[i].routes[j].dst[0] == '\0' &&
			    strchr(p->v[i].routes[j].gateway, ':') == NULL)
				return true;
	return false;
}

static int open_ipam(const struct netif_env *env, const char *network, struct ipam **out,
		     const struct network **net_out, struct error *err)
{
	const struct network *net = env->network != NULL ? env->network(env->opaque, network) : NULL;
	_cleanup_free_ char *path = NULL;

	if (net == NULL)
		return err_set(err, ENOENT, "network '%s' is not defined", network);
	path = ipam_path(env->run_dir, net->name);
	if (net_out != NULL)
		*net_out = net;
	return ipam_open(path, net, out, err);
}

static int lease_one(struct netif_plan *p, struct netif *n, const struct netif_env *env,
		     struct error *err)
{
	_cleanup_ipam_ struct ipam *ipam = NULL;
	const struct network *net;
	const struct net_ip *ip;
	struct in_addr a;
	char gw[INET_ADDRSTRLEN];

	if (open_ipam(env, n->network, &ipam, &net, err) < 0)
		return -1;
	ip = net_ipv4(net);
	if (has_v4(n)) {
		/* A fixed address inside the network must not be leased to
		 * another container later. */
		for (size_t i = 0; i < n->n_addrs; i++) {
			if (inet_pton(AF_INET, n->addrs[i].addr, &a) != 1)
				continue;
			uint32_t m = ip->prefix ? 0xffffffffu << (32 - ip->prefix) : 0;
			if ((ntohl(a.s_addr) & m) != (ntohl(ip->addr.v4.s_addr) & m))
				continue;
			if (ipam_reserve(ipam, p->domain, n->index, a, err) < 0)
				return -1;
		}
		return 0;
	}
	if (ipam_allocate(ipam, p->domain, n->index, &a, err) < 0)
		return -1;
	n->addrs = xreallocarray(n->addrs, n->n_addrs + 1, sizeof(*n->addrs));
	inet_ntop(AF_INET, &a, n->addrs[n->n_addrs].addr, sizeof(n->addrs[0].addr));
	n->addrs[n->n_addrs++].prefix = ip->prefix;
	if (!plan_has_default_v4(p)) {
		inet_ntop(AF_INET, &ip->addr.v4, gw, sizeof(gw));
		n->routes = xreallocarray(n->routes, n->n_routes + 1, sizeof(*n->routes));
		n->routes[n->n_routes] = (struct netif_route){ .prefix = 0 };
		snprintf(n->routes[n->n_routes++].gateway, sizeof(gw), "%s", gw);
	}
	return 0;
}

int netif_plan_lease(struct netif_plan *plan, const struct netif_env *env, struct error *err)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct netif *n = &plan->v[i];
		if (n->type != DOM_IF_NETWORK)
			continue;
		if (lease_one(plan, n, env, err) < 0) {
			iface_fail(err, plan->domain, n->index);
			netif_plan_release(plan, env, NULL);
			return -1;
		}
	}
	return 0;
}

int netif_plan_release(const struct netif_plan *plan, const struct netif_env *env,
		       struct error *err)
{
	int rc = 0;

	for (size_t i = 0; i < plan->n; i++) {
		_cleanup_ipam_ struct ipam *ipam = NULL;
		bool seen = false;

		if (plan->v[i].network == NULL)
			continue;
		for (size_t j = 0; j < i; j++)
			if (plan->v[j].network && strcmp(plan->v[j].network, plan->v[i].network) == 0)
				seen = true;
		if (seen)
			continue;
		/* Keep going: one network's failure must not strand the others'
		 * leases. */
		if (open_ipam(env, plan->v[i].network, &ipam, NULL, err) < 0 ||
		    ipam_release(ipam, plan->domain, err) < 0)
			rc = -1;
	}
	return rc;
}

/* ---- setup and teardown ---- */

static int add_addrs_routes(struct nl *nl, const char *dev, const struct netif_addr *a, size_t na,
			    const struct netif_route *r, size_t nr, struct error *err)
{
	for (size_t i = 0; i < na; i++)
		if (nl_addr_add(nl, dev, a[i].addr, a[i].prefix, err) < 0)
			return -1;
	for (size_t i = 0; i < nr; i++)
		if (nl_route_add(nl, dev, r[i].dst[0] ? r[i].dst : NULL, r[i].prefix,
				 r[i].gateway[0] ? r[i].gateway : NULL, err) < 0)
			return -1;
	return 0;
}

/* The pair in one request, the container end straight into the
 * container's namespace with its name and MAC. */
static int setup_pair(struct netif *n, struct nl *host, int netns_fd, struct error *err)
{
	struct nl_veth v = { .name = n->host, .master = n->bridge, .up = true, .peer = n->guest,
			     .peer_mac = n->mac, .peer_netns_fd = netns_fd };

	if (nl_veth_add(host, &v, err) < 0) {
		if (n->type == DOM_IF_NETWORK && err != NULL && err->errnum == ENODEV)
			err_prefix(err, "network '%s' is not started", n->network);
		return -1;
	}
	n->created = true;
	if (n->type == DOM_IF_ETHERNET)
		return add_addrs_routes(host, n->host, n->host_addrs, n->n_host_addrs,
					n->host_routes, n->n_host_routes, err);
	return 0;
}

/* Routes last: a gateway must be on a subnet of a link that is up. A link
 * left down takes its addresses but no routes. */
static int setup_guest_side(const struct netif *n, struct nl *inside, struct error *err)
{
	if (add_addrs_routes(inside, n->guest, n->addrs, n->n_addrs, NULL, 0, err) < 0)
		return -1;
	if (!n->guest_up)
		return 0;
	if (nl_link_set_up(inside, n->guest, true, err) < 0)
		return -1;
	return add_addrs_routes(inside, n->guest, NULL, 0, n->routes, n->n_routes, err);
}

int netif_setup(struct netif_plan *plan, struct nl *host, pid_t pid, struct error *err)
{
	_cleanup_nl_ struct nl *inside = NULL;
	_cleanup_close_ int netns = -1;
	char path[64];
	size_t i;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		return err_sys(err, "network of '%s': open '%s'", plan->domain, path);
	for (i = 0; i < plan->n; i++)
		if (setup_pair(&plan->v[i], host, netns, err) < 0)
			goto fail;
	if (nl_open_netns_fd(netns, &inside, err) < 0 ||
	    nl_link_set_up(inside, "lo", true, err) < 0) {
		err_prefix(err, "network of '%s'", plan->domain);
		goto undo;
	}
	for (i = 0; i < plan->n; i++)
		if (setup_guest_side(&plan->v[i], inside, err) < 0)
			goto fail;
	log_debug("'%s': %zu interface(s) set up in the namespace of pid %d", plan->domain,
		 plan->n, (int)pid);
	return 0;

fail:
	iface_fail(err, plan->domain, plan->v[i].index);
undo:
	netif_teardown(plan, host, NULL);
	return -1;
}

/* Deletes the host end; the container end goes with it. */
static int remove_pair(const struct netif *n, struct nl *host, struct error *err)
{
	struct nl_link_info li;

	/* A rebuilt plan only guesses: never delete a link of that name that
	 * is not a veth. */
	if (!n->created) {
		if (nl_link_info(host, n->host, &li, err) < 0)
			return err->errnum == ENODEV ? 0 : -1;
		if (strcmp(li.kind, "veth") != 0)
			return 0;
	}
	if (nl_link_delete(host, n->host, err) < 0 && err->errnum != ENODEV)
		return -1;
	return 0;
}

int netif_teardown(struct netif_plan *plan, struct nl *host, struct error *err)
{
	int rc = 0;

	for (size_t i = 0; i < plan->n; i++) {
		struct netif *n = &plan->v[i];
		struct error e = ERROR_INIT;

		if (remove_pair(n, host, &e) < 0) {
			log_warn("interface %u of '%s': %s", n->index, plan->domain, err_msg(&e));
			rc = -1;
		}
		err_clear(&e);
		n->created = false;
	}
	if (rc < 0)
		err_set(err, EIO, "remove the interfaces of '%s': some links remain (see the log)",
			plan->domain);
	return rc;
}

/* A pair being deleted: the plan's entry and its host end's index. */
struct going {
	struct netif *n;
	int ifindex;
};

struct netif_bg {
	struct nl_delete **v;
	struct going *g; /* until the await: it points into the plan */
	size_t n;
	int bell;
};

/* Marks the pairs that are gone as no longer made; *left counts the rest. */
static int forget_gone(const struct netif_bg *bg, struct nl *host, size_t *left,
		       struct error *err)
{
	*left = 0;
	for (size_t i = 0; i < bg->n; i++) {
		struct going *g = &bg->g[i];
		int rc;

		if (!g->n->created)
			continue;
		rc = nl_link_index_exists(host, g->ifindex, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			g->n->created = false;
		else
			(*left)++;
	}
	return 0;
}

/* Until the pairs are out of the namespace, or every thread has ended and
 * some are not (those failed to go). */
static int await_gone(const struct netif_bg *bg, struct nl *host, struct error *err)
{
	struct pollfd *p = xcalloc(bg->n + 1, sizeof(*p));
	size_t left, running;
	int rc;

	p[0] = (struct pollfd){ .fd = bg->bell, .events = POLLIN };
	for (size_t i = 0; i < bg->n; i++)
		p[i + 1] = (struct pollfd){ .fd = nl_delete_fd(bg->v[i]), .events = POLLIN };
	for (;;) {
		if ((rc = forget_gone(bg, host, &left, err)) < 0 || left == 0)
			break;
		running = 0;
		for (size_t i = 1; i <= bg->n; i++) {
			/* An ended thread: poll skips a negative fd. */
			if (p[i].revents & POLLIN)
				p[i].fd = -1;
			running += p[i].fd >= 0;
		}
		if (running == 0) {
			rc = err_set(err, EIO, "%zu link(s) did not go", left);
			break;
		}
		if (poll(p, bg->n + 1, -1) < 0 && errno != EINTR) {
			rc = err_sys(err, "wait for links to go");
			break;
		}
		if ((p[0].revents & POLLIN) && (rc = nl_bell_silence(bg->bell, err)) < 0)
			break;
	}
	free(p);
	return rc;
}

int netif_teardown_start(struct netif_plan *plan, struct nl *host, struct netif_bg **out,
			 struct error *err)
{
	struct netif_bg *bg = xcalloc(1, sizeof(*bg));

	*out = bg;
	bg->bell = -1;
	bg->v = xcalloc(plan->n, sizeof(*bg->v));
	bg->g = xcalloc(plan->n, sizeof(*bg->g));
	/* Before the first delete, so that no removal goes unheard. */
	if (nl_bell_open(host, &bg->bell, err) < 0)
		return err_prefix(err, "remove the interfaces of '%s'", plan->domain);
	for (size_t i = 0; i < plan->n; i++) {
		struct netif *n = &plan->v[i];
		struct going *e = &bg->g[bg->n];

		if (!n->created)
			continue;
		if (nl_link_index(host, n->host, &e->ifindex, err) < 0) {
			if (err == NULL || err->errnum != ENODEV)
				return iface_fail(err, plan->domain, n->index);
			err_clear(err);
			n->created = false;
			continue;
		}
		if (nl_link_delete_start(host, e->ifindex, &bg->v[bg->n], err) < 0)
			return iface_fail(err, plan->domain, n->index);
		e->n = n;
		bg->n++;
	}
	return 0;
}

int netif_teardown_await(struct nl *host, struct netif_bg *bg, struct error *err)
{
	int rc = await_gone(bg, host, err);

	free(bg->g);
	bg->g = NULL;
	if (rc < 0)
		return err_prefix(err, "remove interfaces");
	return 0;
}

int netif_bg_finish(struct netif_bg *bg, struct error *err)
{
	int rc = 0;

	if (bg == NULL)
		return 0;
	for (size_t i = 0; i < bg->n; i++) {
		struct error e = ERROR_INIT;
		if (nl_delete_join(bg->v[i], &e) < 0) {
			log_warn("%s", err_msg(&e));
			rc = -1;
		}
		err_clear(&e);
	}
	if (bg->bell >= 0)
		close(bg->bell);
	free(bg->g);
	free(bg->v);
	free(bg);
	if (rc < 0)
		err_set(err, EIO, "some links could not be deleted (see the log)");
	return rc;
}

int netif_stats(struct nl *host, const struct netif *nif, struct nl_link_stats *out,
		struct error *err)
{
	struct nl_link_stats h;

	if (nl_link_stats(host, nif->host, &h, err) < 0)
		return err_prefix(err, "interface %u", nif->index);
	*out = (struct nl_link_stats){
		.rx_bytes = h.tx_bytes, .rx_packets = h.tx_packets,
		.rx_errors = h.tx_errors, .rx_dropped = h.tx_dropped,
		.tx_bytes = h.rx_bytes, .tx_packets = h.rx_packets,
		.tx_errors = h.rx_errors, .tx_dropped = h.rx_dropped,
	};
	return 0;
}

/* ---- network bridges ---- */

int netif_network_start(struct nl *host, const struct network *net, struct error *err)
{
	uint8_t mac[6];

	if (net->has_mac) {
		memcpy(mac, net->mac, 6);
	} else {
		uint8_t key[DOM_UUID_LEN] = { 0 };
		if (net->has_uuid)
			memcpy(key, net->uuid, sizeof(key));
		else
			memcpy(key, net->name, strnlen(net->name, sizeof(key)));
		netif_mac_generate(key, UINT32_MAX, mac);
	}
	if (nl_bridge_add(host, net->bridge, mac, net->stp, net->delay, err) < 0)
		return err_prefix(err, "start network '%s'", net->name);
	for (size_t i = 0; i < net->n_ips; i++) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(net->ips[i].family, &net->ips[i].addr, a, sizeof(a));
		if (nl_addr_add(host, net->bridge, a, net->ips[i].prefix, err) < 0)
			goto undo;
	}
	if (nl_link_set_up(host, net->bridge, true, err) < 0)
		goto undo;
	return 0;
undo:
	err_prefix(err, "start network '%s'", net->name);
	nl_link_delete(host, net->bridge, NULL);
	return -1;
}

int netif_network_stop(struct nl *host, const struct network *net, struct error *err)
{
	struct error e = ERROR_INIT;

	if (nl_link_delete(host, net->bridge, &e) == 0 || e.errnum == ENODEV) {
		err_clear(&e);
		return 0;
	}
	if (err != NULL) {
		err_clear(err);
		*err = e;
	} else {
		err_clear(&e);
	}
	return err_prefix(err, "stop network '%s'", net->name);
}

int netif_network_active(struct nl *host, const struct network *net, struct error *err)
{
	return nl_link_exists(host, net->bridge, err);
}
