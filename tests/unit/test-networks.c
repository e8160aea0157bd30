/* engine/networks: the default network on a root's first start only, the
 * store and autostart marks, identity checks on define, start and destroy
 * of bridges (in a namespace the test makes), live definitions across a
 * reload, transient networks, and which running containers use a network. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/diag.h"
#include "config/network.h"
#include "config/paths.h"
#include "engine/netlink.h"
#include "engine/networks.h"
#include "engine/registry.h"
#include "lib/error.h"
#include "netif-helper.h"
#include "netns-helper.h"

static struct test_ns ns = { -1, -1 };
static char dir[] = "/tmp/corral-test-networks.XXXXXX";
static struct paths paths;
static struct networks *nets;

static struct nl *ns_socket(void)
{
	struct error err = ERROR_INIT;
	struct nl *nl = NULL;

	cr_assert_eq(nl_open_netns_fd(ns.fd, &nl, &err), 0, "%s", err_msg(&err));
	return nl;
}

/* A fresh table over the same root, as a restarted engine has, with
 * corrald.conf's default_network. */
static struct networks *reload_named(const char *default_name)
{
	struct error err = ERROR_INIT;
	struct networks *n = nets_new(&paths, ns_socket(), default_name);

	cr_assert_eq(nets_load(n, &err), 0, "%s", err_msg(&err));
	return n;
}

static struct networks *reload(void)
{
	return reload_named("default");
}

static void setup(void)
{
	struct error err = ERROR_INIT;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(paths_init(&paths, dir, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(paths_make_dirs(&paths, &err), 0, "%s", err_msg(&err));
	test_ns_spawn(&ns);
	nets = reload();
}

static void teardown(void)
{
	char cmd[128];

	nets_free(nets);
	nets = NULL;
	test_ns_kill(&ns);
	paths_free(&paths);
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(networks, .init = setup, .fini = teardown);

static struct network *parse(const char *xml)
{
	struct network *net = NULL;
	struct diags d = { 0 };

	cr_assert_eq(net_parse_buffer(xml, strlen(xml), "test", &net, &d), 0);
	diags_clear(&d);
	return net;
}

static struct network *lab(const char *uuid, const char *bridge)
{
	char xml[512];

	snprintf(xml, sizeof(xml),
		 "<network><name>lab</name>%s%s%s<bridge name='%s'/>"
		 "<ip address='10.77.0.1' prefix='24'/></network>",
		 uuid ? "<uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>" : "", bridge);
	return parse(xml);
}

static bool link_exists(const char *name)
{
	struct error err = ERROR_INIT;
	struct nl *nl = ns_socket();
	int rc = nl_link_exists(nl, name, &err);

	nl_free(nl);
	cr_assert_geq(rc, 0, "%s", err_msg(&err));
	return rc == 1;
}

/* ROOT/WHERE/NAME.xml, or NAME.json for the live definitions */
static bool file_exists(const char *where, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/%s.%s", dir, where, name,
		 strstr(where, ".networks") != NULL ? "json" : "xml");
	return access(path, F_OK) == 0;
}

static bool dir_exists(const char *where)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, where);
	return access(path, F_OK) == 0;
}

Test(networks, default_is_defined_on_the_first_start_only)
{
	struct error err = ERROR_INIT;
	struct net_entry *e = nets_lookup(nets, "default");

	cr_assert_not_null(e);
	cr_assert(e->persistent && e->autostart && !e->active);
	cr_assert_str_eq(e->def->bridge, "corral0");
	cr_assert(file_exists("etc/corral/networks", "default"));
	cr_assert_eq(nets_undefine(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_null(nets_lookup(nets, "default"));
	cr_assert_not(file_exists("etc/corral/networks/autostart", "default"));

	nets_free(nets);
	nets = reload();
	cr_assert_null(nets_lookup(nets, "default"), "an undefined default stays undefined");
	cr_assert_eq(nets_count(nets), 0);
}

Test(networks, the_first_start_defines_the_configured_default)
{
	struct error err = ERROR_INIT;
	char mark[512];

	/* As if this root had never seen an engine. */
	cr_assert_eq(nets_undefine(nets, nets_lookup(nets, "default"), &err), 0, "%s",
		     err_msg(&err));
	snprintf(mark, sizeof(mark), "%s/etc/corral/networks/.initialized", dir);
	cr_assert_eq(unlink(mark), 0);
	nets_free(nets);
	nets = reload_named("lan");
	struct net_entry *e = nets_lookup(nets, "lan");
	cr_assert_not_null(e);
	cr_assert(e->persistent && e->autostart);
	cr_assert_str_eq(e->def->bridge, "corral0");
	cr_assert_null(nets_lookup(nets, "default"));
}

Test(networks, define_checks_name_uuid_and_bridge)
{
	struct error err = ERROR_INIT;
	struct net_entry *e;
	bool created;
	uint8_t uuid[NET_UUID_LEN];

	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab"), &e, &created, &err), 0, "%s",
		     err_msg(&err));
	cr_assert(created && e->persistent && !e->autostart);
	cr_assert(e->def->has_uuid, "a UUID is made up when none is given");
	memcpy(uuid, e->def->uuid, sizeof(uuid));

	/* Redefined without a UUID: keeps its own. */
	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab2"), &e, &created, &err), 0, "%s",
		     err_msg(&err));
	cr_assert_not(created);
	cr_assert_eq(memcmp(e->def->uuid, uuid, sizeof(uuid)), 0);
	cr_assert_str_eq(e->def->bridge, "br-lab2");

	cr_assert_eq(nets_define(nets, lab("0b2c4a16-1d5e-4d3b-9a55-0d1b2c3d4e5f", "br-lab"), &e,
				 &created, &err),
		     -EEXIST);
	cr_assert(strstr(err_msg(&err), "already exists with UUID") != NULL, "%s", err_msg(&err));
	err_clear(&err);

	cr_assert_eq(nets_define(nets, lab(NULL, "corral0"), &e, &created, &err), -EEXIST);
	cr_assert_str_eq(err_msg(&err),
			 "bridge 'corral0' is network 'default''s; give this network another");
	err_clear(&err);

	nets_free(nets);
	nets = reload();
	e = nets_lookup(nets, "lab");
	cr_assert_not_null(e);
	cr_assert_eq(memcmp(e->def->uuid, uuid, sizeof(uuid)), 0, "the UUID was stored");
}

Test(networks, autostart_marks_survive_a_reload)
{
	struct error err = ERROR_INIT;
	struct net_entry *e;
	bool created;

	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab"), &e, &created, &err), 0);
	cr_assert_eq(nets_set_autostart(nets, e, true, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nets_set_autostart(nets, nets_lookup(nets, "default"), false, &err), 0);
	nets_free(nets);
	nets = reload();
	cr_assert(nets_lookup(nets, "lab")->autostart);
	cr_assert_not(nets_lookup(nets, "default")->autostart);
}

Test(networks, start_and_destroy_make_and_remove_the_bridge)
{
	struct error err = ERROR_INIT;
	struct net_entry *e = nets_lookup(nets, "default");

	cr_assert_eq(nets_start(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert(e->active);
	cr_assert(link_exists("corral0"));
	cr_assert(file_exists("run/corral/.networks", "default"));
	cr_assert_eq(nets_start(nets, e, &err), -EBUSY);
	cr_assert_str_eq(err_msg(&err), "network 'default' is already active");
	err_clear(&err);

	/* A restarted engine finds it active. */
	nets_free(nets);
	nets = reload();
	e = nets_lookup(nets, "default");
	cr_assert(e->active);

	cr_assert_eq(nets_destroy(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_not(e->active);
	cr_assert_not(link_exists("corral0"));
	cr_assert_not(file_exists("run/corral/.networks", "default"));
	cr_assert_not(dir_exists("run/corral/.networks"),
		      "no lease left: nothing of networks under the run dir");
	cr_assert_eq(nets_destroy(nets, e, &err), -EBUSY);
	err_clear(&err);
}

Test(networks, a_bridge_gone_behind_our_back_is_inactive_after_a_reload)
{
	struct error err = ERROR_INIT;
	struct nl *nl;

	cr_assert_eq(nets_start(nets, nets_lookup(nets, "default"), &err), 0, "%s", err_msg(&err));
	nl = ns_socket();
	cr_assert_eq(nl_link_delete(nl, "corral0", &err), 0, "%s", err_msg(&err));
	nl_free(nl);
	nets_free(nets);
	nets = reload();
	cr_assert_not(nets_lookup(nets, "default")->active);
	cr_assert_not(file_exists("run/corral/.networks", "default"));
	cr_assert_eq(nets_start(nets, nets_lookup(nets, "default"), &err), 0, "%s", err_msg(&err));
}

Test(networks, a_foreign_interface_of_the_bridge_name_is_named)
{
	struct error err = ERROR_INIT;
	struct nl *nl = ns_socket();

	cr_assert_eq(nl_bridge_add(nl, "corral0", NULL, -1, -1, &err), 0, "%s", err_msg(&err));
	nl_free(nl);
	cr_assert_eq(nets_start(nets, nets_lookup(nets, "default"), &err), -EIO);
	cr_assert(strstr(err_msg(&err), "an interface named 'corral0' already exists") != NULL,
		  "%s", err_msg(&err));
	err_clear(&err);
	cr_assert_not(nets_lookup(nets, "default")->active);
}

Test(networks, redefined_while_active_applies_at_destroy_and_undefined_is_transient)
{
	struct error err = ERROR_INIT;
	struct net_entry *e;
	bool created;

	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab"), &e, &created, &err), 0);
	cr_assert_eq(nets_start(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab9"), &e, &created, &err), 0, "%s",
		     err_msg(&err));
	cr_assert_str_eq(e->def->bridge, "br-lab", "the live definition stays");
	cr_assert_str_eq(e->newdef->bridge, "br-lab9");

	/* Both survive a reload: live from the run dir, next from the store. */
	nets_free(nets);
	nets = reload();
	e = nets_lookup(nets, "lab");
	cr_assert(e->active);
	cr_assert_str_eq(e->def->bridge, "br-lab");
	cr_assert_not_null(e->newdef);
	cr_assert_str_eq(e->newdef->bridge, "br-lab9");

	cr_assert_eq(nets_destroy(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_str_eq(e->def->bridge, "br-lab9");
	cr_assert_null(e->newdef);

	cr_assert_eq(nets_start(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert(link_exists("br-lab9"));
	cr_assert_eq(nets_undefine(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert(e->active && !e->persistent, "undefined while active: transient");
	cr_assert_eq(nets_set_autostart(nets, e, true, &err), -EINVAL);
	err_clear(&err);
	nets_free(nets);
	nets = reload();
	e = nets_lookup(nets, "lab");
	cr_assert_not_null(e, "a transient active network survives an engine restart");
	cr_assert(e->active && !e->persistent);
	cr_assert_eq(nets_destroy(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_null(nets_lookup(nets, "lab"), "a destroyed transient network is gone");
	cr_assert_not(link_exists("br-lab9"));
}

static struct reg_domain *add_domain(struct registry *reg, const char *name, uint8_t seed,
				     enum dom_iface_type type, const char *source, bool running)
{
	struct error err = ERROR_INIT;
	struct domain *dom = test_dom(name, seed);
	struct reg_domain *d;

	dom->init = strdup("/bin/sh");
	if (source != NULL)
		test_iface(dom, type, source);
	cr_assert_eq(reg_add_transient(reg, dom, &d, &err), 0, "%s", err_msg(&err));
	if (running)
		reg_set_running(reg, d, -1, 100, 101, "booted");
	return d;
}

Test(networks, users_are_the_running_domains_on_the_network_or_its_bridge)
{
	struct registry *reg = reg_new(&paths);
	struct net_entry *e = nets_lookup(nets, "default");
	const char **names;
	size_t n;

	add_domain(reg, "web", 1, DOM_IF_NETWORK, "default", true);
	add_domain(reg, "db", 2, DOM_IF_BRIDGE, "corral0", true);
	add_domain(reg, "idle", 3, DOM_IF_NETWORK, "default", false);
	add_domain(reg, "other", 4, DOM_IF_BRIDGE, "br0", true);
	add_domain(reg, "plain", 5, DOM_IF_NETWORK, NULL, true);

	n = nets_users(e, reg, &names);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(names[0], "db");
	cr_assert_str_eq(names[1], "web");
	free(names);
	reg_set_stopped(reg, reg_lookup(reg, "db"), REG_SHUTOFF, "shutdown");
	n = nets_users(e, reg, &names);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(names[0], "web");
	free(names);
	reg_free(reg);
}

Test(networks, prepare_starts_autostart_networks_and_names_the_others)
{
	struct error err = ERROR_INIT;
	struct domain *dom = test_dom("web", 1);
	struct net_entry *e;
	bool created;

	test_iface(dom, DOM_IF_BRIDGE, "br0");
	test_iface(dom, DOM_IF_NETWORK, "default");
	cr_assert_eq(nets_prepare(nets, dom, &err), 0, "%s", err_msg(&err));
	cr_assert(nets_lookup(nets, "default")->active, "default is autostart");
	cr_assert(link_exists("corral0"));

	cr_assert_eq(nets_define(nets, lab(NULL, "br-lab"), &e, &created, &err), 0);
	test_iface(dom, DOM_IF_NETWORK, "lab");
	cr_assert_eq(nets_prepare(nets, dom, &err), -EBUSY);
	cr_assert_str_eq(err_msg(&err), "interface 2 of 'web': network 'lab' is not active; start "
					"it with net-start lab");
	err_clear(&err);

	test_iface(dom, DOM_IF_NETWORK, "nowhere");
	cr_assert_eq(nets_start(nets, e, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(nets_prepare(nets, dom, &err), -EINVAL);
	cr_assert_str_eq(err_msg(&err), "interface 3 of 'web': network 'nowhere' is not defined "
					"(see net-list --all)");
	err_clear(&err);
	dom_free(dom);
}
