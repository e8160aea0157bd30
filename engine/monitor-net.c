/* The container's interfaces, as the monitor keeps them: planned, leased
 * and set up between clone and init, torn down and their leases given back
 * when init ends, so a restart or a stop leaves nothing of them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/network.h"
#include "engine/monitor.h"
#include "engine/netif.h"
#include "engine/netlink.h"
#include "engine/networks.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

struct mon_net {
	struct monitor *m;
	struct nl *host;
	struct netif_plan *plan;
	bool leased;
	/* Live definitions of the networks the plan names, read once per
	 * start so a network redefined meanwhile is seen at the next. */
	struct network **nets;
	size_t n_nets;
};

/* netif_env's lookup; a network that is not active is reported by the
 * plan as not defined, so the reason is logged here. */
static const struct network *find_network(void *opaque, const char *name)
{
	struct mon_net *mn = opaque;
	struct error err = ERROR_INIT;
	struct network *net;

	for (size_t i = 0; i < mn->n_nets; i++)
		if (strcmp(mn->nets[i]->name, name) == 0)
			return mn->nets[i];
	if (nets_live_load(mn->m->paths.run_dir, name, &net, &err) < 0) {
		log_warn("'%s': %s", mn->m->name, err_msg(&err));
		err_clear(&err);
		return NULL;
	}
	mn->nets = xreallocarray(mn->nets, mn->n_nets + 1, sizeof(*mn->nets));
	mn->nets[mn->n_nets++] = net;
	return net;
}

static struct netif_env env_of(struct mon_net *mn)
{
	return (struct netif_env){ .root_tag = mn->m->paths.cgroup_name,
				   .run_dir = mn->m->paths.run_dir,
				   .network = find_network,
				   .opaque = mn };
}

static void mon_net_free(struct mon_net *mn)
{
	netif_plan_free(mn->plan);
	for (size_t i = 0; i < mn->n_nets; i++)
		net_free(mn->nets[i]);
	free(mn->nets);
	nl_free(mn->host);
	free(mn);
}

int mon_net_setup(struct monitor *m, pid_t pid, struct error *err)
{
	struct mon_net *mn;
	struct netif_env env;

	if (m->dom->n_interfaces == 0)
		return 0;
	mn = xcalloc(1, sizeof(*mn));
	mn->m = m;
	env = env_of(mn);
	if (nl_open(&mn->host, err) < 0 || netif_plan_build(m->dom, &env, &mn->plan, err) < 0 ||
	    netif_plan_lease(mn->plan, &env, err) < 0) {
		mon_net_free(mn);
		return -1;
	}
	mn->leased = true;
	m->net = mn;
	if (netif_setup(mn->plan, mn->host, pid, err) < 0) {
		mon_net_teardown(m);
		return -1;
	}
	for (size_t i = 0; i < mn->plan->n; i++) {
		const struct netif *n = &mn->plan->v[i];
		log_info("'%s': %s (host end %s%s%s) up", m->name, n->guest, n->host,
			 n->bridge ? " on " : "", n->bridge ? n->bridge : "");
	}
	return 0;
}

void mon_net_teardown(struct monitor *m)
{
	struct mon_net *mn = m->net;
	struct error err = ERROR_INIT, e = ERROR_INIT;
	struct netif_env env;
	int rc;

	if (mn == NULL)
		return;
	env = env_of(mn);
	mon_net_settle(m);
	rc = netif_teardown_start(mn->plan, mn->host, &m->net_bg, &err);
	/* While the kernel takes the pairs out. */
	if (mn->leased && netif_plan_release(mn->plan, &env, &e) < 0) {
		log_warn("'%s': release leases: %s", m->name, err_msg(&e));
		err_clear(&e);
	}
	if (rc == 0)
		rc = netif_teardown_await(mn->host, m->net_bg, &err);
	if (rc < 0) {
		log_warn("'%s': %s", m->name, err_msg(&err));
		err_clear(&err);
		/* What the background left, the slow way. */
		if (netif_teardown(mn->plan, mn->host, &err) < 0) {
			log_warn("'%s': %s", m->name, err_msg(&err));
			err_clear(&err);
		}
	}
	mon_net_free(mn);
	m->net = NULL;
}

void mon_net_settle(struct monitor *m)
{
	struct error err = ERROR_INIT;

	if (netif_bg_finish(m->net_bg, &err) < 0) {
		log_warn("'%s': %s", m->name, err_msg(&err));
		err_clear(&err);
	}
	m->net_bg = NULL;
}

static char *mac_text(const uint8_t mac[6])
{
	return xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
			 mac[5]);
}

json_t *mon_net_status(const struct monitor *m)
{
	json_t *arr = json_array();

	if (m->net == NULL)
		return arr;
	for (size_t i = 0; i < m->net->plan->n; i++) {
		const struct netif *n = &m->net->plan->v[i];
		json_t *addrs = json_array();
		char *mac = mac_text(n->mac);

		for (size_t k = 0; k < n->n_addrs; k++) {
			char *a = xasprintf("%s/%d", n->addrs[k].addr, n->addrs[k].prefix);
			json_array_append_new(addrs, json_string(a));
			free(a);
		}
		json_array_append_new(
			arr, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "name", n->guest, "host_dev",
				       n->host, "mac", mac, "network",
				       n->network ? json_string(n->network) : json_null(), "bridge",
				       n->bridge ? json_string(n->bridge) : json_null(), "addresses",
				       addrs));
		free(mac);
	}
	return arr;
}
