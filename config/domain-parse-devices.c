/* Reading <devices>: emulator, filesystems, interfaces, consoles, hostdevs,
 * and the addresses and routes they carry. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "config/names.h"
#include "config/parse-ctx.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

#define NONE ((const char *const[]){ NULL })
#define ATTRS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct px_child no_children[] = { { NULL, NULL } };

static void set_str(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

static void p_emulator(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;

	px_attrs(p, n, "emulator", "<devices><emulator>", NONE);
	set_str(&dom->emulator, px_text(n));
}

/* ---- addresses and routes ---- */

static int family_of(const char *addr)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, addr, buf) == 1)
		return DOM_AF_INET;
	if (inet_pton(AF_INET6, addr, buf) == 1)
		return DOM_AF_INET6;
	return -1;
}

/* The address in attribute name checked against the family attribute
 * (filled in when absent); NULL after reporting when it does not fit. */
static char *ip_attr(struct px *p, xmlNode *n, const char *name, const char *field,
		     enum dom_ip_family *family, bool required)
{
	char *a = px_attr(p, n, name, field);
	int f;

	if (a == NULL) {
		if (required)
			px_error(p, n, "%s: missing %s; expected an IPv4 or IPv6 address", field, name);
		return NULL;
	}
	f = family_of(a);
	if (f < 0) {
		px_error(p, n, "%s: %s '%s' is not an IP address; expected for example 192.168.122.2 or 2001:db8::2",
			 field, name, a);
		free(a);
		return NULL;
	}
	if (*family == DOM_AF_UNSPEC)
		*family = (enum dom_ip_family)f;
	else if (*family != (enum dom_ip_family)f)
		px_error(p, n, "%s: %s '%s' is not an %s address as family says", field, name, a,
			 *family == DOM_AF_INET ? "ipv4" : "ipv6");
	return a;
}

static enum dom_ip_family family_attr(struct px *p, xmlNode *n, const char *field)
{
	static const char *const names[] = { "ipv4", "ipv6" };
	_cleanup_free_ char *s = px_attr(p, n, "family", field);
	int idx;

	if (s == NULL || px_enum(p, n, field, s, names, 2, &idx) < 0)
		return DOM_AF_UNSPEC;
	return idx == 0 ? DOM_AF_INET : DOM_AF_INET6;
}

static int prefix_attr(struct px *p, xmlNode *n, const char *field, enum dom_ip_family family)
{
	_cleanup_free_ char *s = px_attr(p, n, "prefix", field);
	char f[64];
	uint64_t v;

	if (s == NULL)
		return -1;
	snprintf(f, sizeof(f), "%s prefix", field);
	if (px_u64(p, n, f, s, 0, family == DOM_AF_INET ? 32 : 128, &v) < 0)
		return -1;
	return (int)v;
}

static void ip_entry(struct px *p, xmlNode *n, struct dom_ipcfg *cfg, const char *field)
{
	struct dom_ip ip = { .family = family_attr(p, n, field), .prefix = -1 };

	px_attrs(p, n, "ip", field, ATTRS("address", "family", "prefix", "peer"));
	ip.address = ip_attr(p, n, "address", field, &ip.family, true);
	if (ip.address == NULL)
		return;
	ip.peer = ip_attr(p, n, "peer", field, &ip.family, false);
	ip.prefix = prefix_attr(p, n, field, ip.family);
	/* libvirt writes no prefix for 0: the same as none. */
	if (ip.prefix == 0)
		ip.prefix = -1;
	cfg->ips = xreallocarray(cfg->ips, cfg->n_ips + 1, sizeof(*cfg->ips));
	cfg->ips[cfg->n_ips++] = ip;
}

static void route_entry(struct px *p, xmlNode *n, struct dom_ipcfg *cfg, const char *field)
{
	struct dom_route r = { .family = family_attr(p, n, field), .prefix = -1 };

	px_attrs(p, n, "route", field, ATTRS("address", "family", "prefix", "gateway"));
	r.address = ip_attr(p, n, "address", field, &r.family, true);
	r.gateway = ip_attr(p, n, "gateway", field, &r.family, true);
	if (r.address == NULL || r.gateway == NULL) {
		free(r.address);
		free(r.gateway);
		return;
	}
	r.prefix = prefix_attr(p, n, field, r.family);
	cfg->routes = xreallocarray(cfg->routes, cfg->n_routes + 1, sizeof(*cfg->routes));
	cfg->routes[cfg->n_routes++] = r;
}

/* ---- filesystem ---- */

struct fs_state {
	struct dom_filesystem *fs;
	bool has_source;
};

static void fs_driver(struct px *p, xmlNode *n, void *obj)
{
	struct fs_state *st = obj;
	const char *field = "<filesystem><driver>";

	px_attrs(p, n, "filesystem-driver", field, ATTRS("type", "format"));
	px_children(p, n, "filesystem-driver", field, no_children, NULL);
	set_str(&st->fs->driver_type, px_attr(p, n, "type", field));
	set_str(&st->fs->driver_format, px_attr(p, n, "format", field));
}

static void fs_source(struct px *p, xmlNode *n, void *obj)
{
	static const char *const attr_of[DOM_FS_TYPE_N] = {
		[DOM_FS_MOUNT] = "dir", [DOM_FS_BLOCK] = "dev", [DOM_FS_FILE] = "file",
		[DOM_FS_RAM] = "usage", [DOM_FS_BIND] = "dir",
	};
	struct fs_state *st = obj;
	struct dom_filesystem *fs = st->fs;
	const char *field = "<filesystem><source>";
	const char *name = attr_of[fs->type];

	st->has_source = true;
	px_children(p, n, "filesystem-source", field, no_children, NULL);
	if (fs->type == DOM_FS_RAM) {
		_cleanup_free_ char *usage = px_attr(p, n, "usage", field);
		_cleanup_free_ char *units = px_attr(p, n, "units", field);

		px_attrs(p, n, "filesystem-source", field, ATTRS("usage", "units"));
		if (usage == NULL)
			px_error(p, n, "%s: missing usage for type='ram'; expected for example <source usage='65536' units='KiB'/>",
				 field);
		else
			px_size(p, n, "<filesystem><source usage>", usage, units, DOM_MEMORY_MAX_KIB,
				&fs->usage_kib);
		return;
	}
	px_attrs(p, n, "filesystem-source", field, ((const char *const[]){ name, NULL }));
	set_str(&fs->source, px_attr(p, n, name, field));
	if (fs->source == NULL) {
		if (xmlHasProp(n, (const xmlChar *)name) == NULL)
			px_error(p, n, "%s: missing %s for type='%s'; expected <source %s='/absolute/path'/>",
				 field, name, dom_fs_type_names[fs->type], name);
		return;
	}
	px_abs_path(p, n, "<filesystem><source>", fs->source);
}

static void fs_target(struct px *p, xmlNode *n, void *obj)
{
	struct fs_state *st = obj;
	const char *field = "<filesystem><target>";

	px_attrs(p, n, "filesystem-target", field, ATTRS("dir"));
	px_children(p, n, "filesystem-target", field, no_children, NULL);
	set_str(&st->fs->target, px_attr(p, n, "dir", field));
	if (st->fs->target != NULL)
		px_abs_path(p, n, field, st->fs->target);
}

static void fs_readonly(struct px *p, xmlNode *n, void *obj)
{
	struct fs_state *st = obj;

	px_attrs(p, n, "readonly", "<filesystem><readonly>", NONE);
	st->fs->readonly = true;
}

static void p_filesystem(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "driver", fs_driver }, { "source", fs_source },	{ "target", fs_target },
		{ "readonly", fs_readonly }, { NULL, NULL },
	};
	struct domain *dom = obj;
	_cleanup_free_ char *type = px_attr(p, n, "type", "<filesystem>");
	_cleanup_free_ char *access = px_attr(p, n, "accessmode", "<filesystem>");
	struct dom_filesystem fs = { .type = DOM_FS_MOUNT, .accessmode = DOM_FS_PASSTHROUGH };
	struct fs_state st = { .fs = &fs };
	int idx;

	fs.line = px_line(n);
	px_attrs(p, n, "filesystem", "<filesystem>", ATTRS("type", "accessmode"));
	if (type != NULL) {
		if (px_enum(p, n, "<filesystem type>", type, dom_fs_type_names, DOM_FS_TYPE_N, &idx) < 0)
			return;
		fs.type = (enum dom_fs_type)idx;
	}
	if (access != NULL &&
	    px_enum(p, n, "<filesystem accessmode>", access, dom_fs_access_names, DOM_FS_ACCESS_N,
		    &idx) == 0)
		fs.accessmode = (enum dom_fs_access)idx;
	px_children(p, n, "filesystem", "<filesystem>", tab, &st);
	if (!st.has_source)
		px_error(p, n, "<filesystem>: missing <source>; expected for example <source dir='/var/lib/corral/rootfs/NAME'/>");
	if (fs.target == NULL)
		px_error(p, n, "<filesystem>: missing <target dir='…'/>; expected the absolute path inside the container, '/' for the root filesystem");
	dom->filesystems = xreallocarray(dom->filesystems, dom->n_filesystems + 1, sizeof(fs));
	dom->filesystems[dom->n_filesystems++] = fs;
}

/* ---- interface ---- */

static void if_mac(struct px *p, xmlNode *n, void *obj)
{
	struct dom_interface *ifc = obj;
	const char *field = "<interface><mac>";
	_cleanup_free_ char *a = px_attr(p, n, "address", field);

	px_attrs(p, n, "mac", field, ATTRS("address"));
	if (a == NULL) {
		px_error(p, n, "%s: missing address; expected for example <mac address='52:54:00:12:34:56'/>",
			 field);
		return;
	}
	if (name_mac_parse(a, ifc->mac) < 0) {
		px_error(p, n, "%s: '%s' is not a MAC address; expected six hex pairs separated by ':', for example 52:54:00:12:34:56",
			 field, a);
		return;
	}
	if (name_mac_is_multicast(ifc->mac)) {
		px_error(p, n, "%s: '%s' is a multicast address (lowest bit of the first byte set); expected a unicast MAC such as 52:54:00:12:34:56",
			 field, a);
		return;
	}
	ifc->has_mac = true;
}

static void src_ip(struct px *p, xmlNode *n, void *obj)
{
	ip_entry(p, n, &((struct dom_interface *)obj)->host, "<interface><source><ip>");
}

static void src_route(struct px *p, xmlNode *n, void *obj)
{
	route_entry(p, n, &((struct dom_interface *)obj)->host, "<interface><source><route>");
}

static void if_source(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child host_side[] = {
		{ "ip", src_ip }, { "route", src_route }, { NULL, NULL },
	};
	static const char *const modes[] = { "vepa", "bridge", "private", "passthrough" };
	struct dom_interface *ifc = obj;
	const char *field = "<interface><source>";
	int idx;

	switch (ifc->type) {
	case DOM_IF_NETWORK:
		px_attrs(p, n, "interface-source", field, ATTRS("network"));
		set_str(&ifc->source, px_attr(p, n, "network", field));
		break;
	case DOM_IF_BRIDGE:
		px_attrs(p, n, "interface-source", field, ATTRS("bridge"));
		set_str(&ifc->source, px_attr(p, n, "bridge", field));
		break;
	case DOM_IF_DIRECT:
		px_attrs(p, n, "interface-source", field, ATTRS("dev", "mode"));
		set_str(&ifc->source, px_attr(p, n, "dev", field));
		set_str(&ifc->source_mode, px_attr(p, n, "mode", field));
		if (ifc->source_mode != NULL &&
		    px_enum(p, n, "<interface><source mode>", ifc->source_mode, modes, 4, &idx) < 0)
			set_str(&ifc->source_mode, NULL);
		break;
	case DOM_IF_ETHERNET:
		px_attrs(p, n, "interface-source", field, NONE);
		px_children(p, n, "interface-source", field, host_side, ifc);
		return;
	}
	px_children(p, n, "interface-source", field, no_children, NULL);
}

static void if_ip(struct px *p, xmlNode *n, void *obj)
{
	ip_entry(p, n, &((struct dom_interface *)obj)->guest, "<interface><ip>");
}

static void if_route(struct px *p, xmlNode *n, void *obj)
{
	route_entry(p, n, &((struct dom_interface *)obj)->guest, "<interface><route>");
}

static void if_target(struct px *p, xmlNode *n, void *obj)
{
	struct dom_interface *ifc = obj;

	px_attrs(p, n, "interface-target", "<interface><target>", ATTRS("dev", "managed"));
	set_str(&ifc->target_dev, px_attr(p, n, "dev", "<interface><target>"));
}

static void if_guest(struct px *p, xmlNode *n, void *obj)
{
	struct dom_interface *ifc = obj;

	px_attrs(p, n, "interface-guest", "<interface><guest>", ATTRS("dev", "actual"));
	set_str(&ifc->guest_dev, px_attr(p, n, "dev", "<interface><guest>"));
}

static void if_link(struct px *p, xmlNode *n, void *obj)
{
	static const char *const states[] = { "up", "down" };
	struct dom_interface *ifc = obj;
	char *s = px_attr(p, n, "state", "<interface><link>");
	int idx;

	px_attrs(p, n, "interface-link", "<interface><link>", ATTRS("state"));
	if (s != NULL && px_enum(p, n, "<interface><link state>", s, states, 2, &idx) < 0) {
		free(s);
		s = NULL;
	}
	set_str(&ifc->link_state, s);
}

static void p_interface(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "mac", if_mac },     { "source", if_source }, { "ip", if_ip },
		{ "route", if_route }, { "target", if_target }, { "guest", if_guest },
		{ "link", if_link },   { NULL, NULL },
	};
	static const char *const source_attr[DOM_IF_TYPE_N] = {
		[DOM_IF_NETWORK] = "network", [DOM_IF_BRIDGE] = "bridge",
		[DOM_IF_ETHERNET] = NULL, [DOM_IF_DIRECT] = "dev",
	};
	struct domain *dom = obj;
	_cleanup_free_ char *type = px_attr(p, n, "type", "<interface>");
	struct dom_interface ifc = { .line = px_line(n) };
	int idx;

	px_attrs(p, n, "interface", "<interface>", ATTRS("type"));
	if (type == NULL) {
		px_error(p, n, "<interface>: missing type; expected type='network', 'bridge', 'ethernet' or 'direct'");
		return;
	}
	if (px_enum(p, n, "<interface type>", type, dom_iface_type_names, DOM_IF_TYPE_N, &idx) < 0)
		return;
	ifc.type = (enum dom_iface_type)idx;
	px_children(p, n, "interface", "<interface>", tab, &ifc);
	if (source_attr[ifc.type] != NULL && ifc.source == NULL)
		px_error(p, n, "<interface>: type='%s' needs <source %s='…'/>; expected for example <source %s='%s'/>",
			 type, source_attr[ifc.type], source_attr[ifc.type],
			 ifc.type == DOM_IF_NETWORK ? "default" : ifc.type == DOM_IF_BRIDGE ? "br0" : "eth0");
	if (ifc.type == DOM_IF_DIRECT && ifc.source_mode == NULL)
		ifc.source_mode = xstrdup("vepa");
	/* An interface without <mac> keeps none here: netif derives one from
	 * the domain's uuid and the interface index when the container starts,
	 * stable across restarts without writing anything back. */
	dom->interfaces = xreallocarray(dom->interfaces, dom->n_interfaces + 1, sizeof(ifc));
	dom->interfaces[dom->n_interfaces++] = ifc;
}

/* ---- console ---- */

static void con_target(struct px *p, xmlNode *n, void *obj)
{
	struct dom_console *con = obj;
	const char *field = "<console><target>";
	_cleanup_free_ char *port = px_attr(p, n, "port", field);
	char *type = px_attr(p, n, "type", field);
	uint64_t v;

	px_attrs(p, n, "console-target", field, ATTRS("type", "port"));
	if (type != NULL && strcmp(type, "lxc") != 0)
		px_error(p, n, "%s: type='%s' is not a container console; expected type='lxc'", field, type);
	set_str(&con->target_type, type);
	if (port != NULL && px_u64(p, n, "<console><target port>", port, 0, 4095, &v) == 0)
		con->port = (int)v;
}

static void p_console(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = { { "target", con_target }, { NULL, NULL } };
	struct domain *dom = obj;
	struct dom_console con = { .port = -1 };

	px_attrs(p, n, "console", "<console>", ATTRS("type"));
	con.type = px_attr(p, n, "type", "<console>");
	if (con.type == NULL)
		con.type = xstrdup("pty");
	else if (strcmp(con.type, "pty") != 0)
		px_error(p, n, "<console>: type='%s' is not supported; a container console is type='pty'",
			 con.type);
	px_children(p, n, "console", "<console>", tab, &con);
	/* libvirt's defaults: an lxc console, numbered in order. */
	if (con.target_type == NULL)
		con.target_type = xstrdup("lxc");
	if (con.port < 0)
		con.port = (int)dom->n_consoles;
	dom->consoles = xreallocarray(dom->consoles, dom->n_consoles + 1, sizeof(con));
	dom->consoles[dom->n_consoles++] = con;
}

/* ---- hostdev ---- */

static void hd_source_item(struct px *p, xmlNode *n, void *obj)
{
	static const char *const want[DOM_HD_TYPE_N] = {
		[DOM_HD_STORAGE] = "block", [DOM_HD_MISC] = "char", [DOM_HD_NET] = "interface",
	};
	struct dom_hostdev *hd = obj;
	const char *name = (const char *)n->name;
	char field[48];

	snprintf(field, sizeof(field), "<hostdev><source><%s>", name);
	px_attrs(p, n, "hostdev-source-item", field, NONE);
	if (strcmp(name, want[hd->type]) != 0) {
		px_error(p, n, "%s: not valid for type='%s'; expected <%s>", field,
			 dom_hostdev_type_names[hd->type], want[hd->type]);
		return;
	}
	set_str(&hd->source, px_text(n));
	if (hd->type != DOM_HD_NET)
		px_abs_path(p, n, field, hd->source);
}

static void hd_source(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "block", hd_source_item },
		{ "char", hd_source_item },
		{ "interface", hd_source_item },
		{ NULL, NULL },
	};

	px_attrs(p, n, "hostdev-source", "<hostdev><source>", NONE);
	px_children(p, n, "hostdev-source", "<hostdev><source>", tab, obj);
}

static void hd_ip(struct px *p, xmlNode *n, void *obj)
{
	ip_entry(p, n, &((struct dom_hostdev *)obj)->ipcfg, "<hostdev><ip>");
}

static void hd_route(struct px *p, xmlNode *n, void *obj)
{
	route_entry(p, n, &((struct dom_hostdev *)obj)->ipcfg, "<hostdev><route>");
}

static void p_hostdev(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "source", hd_source }, { "ip", hd_ip }, { "route", hd_route }, { NULL, NULL },
	};
	struct domain *dom = obj;
	_cleanup_free_ char *mode = px_attr(p, n, "mode", "<hostdev>");
	_cleanup_free_ char *type = px_attr(p, n, "type", "<hostdev>");
	struct dom_hostdev hd = { .line = px_line(n) };
	int idx;

	px_attrs(p, n, "hostdev", "<hostdev>", ATTRS("mode", "type"));
	if (mode == NULL || strcmp(mode, "capabilities") != 0) {
		px_error(p, n, "<hostdev>: mode='%s' is not supported for containers; expected mode='capabilities'",
			 mode != NULL ? mode : "");
		return;
	}
	if (type == NULL) {
		px_error(p, n, "<hostdev>: missing type; expected type='storage', 'misc' or 'net'");
		return;
	}
	if (px_enum(p, n, "<hostdev type>", type, dom_hostdev_type_names, DOM_HD_TYPE_N, &idx) < 0)
		return;
	hd.type = (enum dom_hostdev_type)idx;
	px_children(p, n, "hostdev", "<hostdev>", tab, &hd);
	if (hd.type != DOM_HD_NET && (hd.ipcfg.n_ips > 0 || hd.ipcfg.n_routes > 0))
		px_error(p, n, "<hostdev>: <ip> and <route> only apply to type='net'");
	if (hd.source == NULL)
		px_error(p, n, "<hostdev>: missing <source>; expected for example <source><%s>%s</%s></source>",
			 hd.type == DOM_HD_STORAGE ? "block" : hd.type == DOM_HD_MISC ? "char" : "interface",
			 hd.type == DOM_HD_STORAGE ? "/dev/sdb1" : hd.type == DOM_HD_MISC ? "/dev/tty0" : "eth1",
			 hd.type == DOM_HD_STORAGE ? "block" : hd.type == DOM_HD_MISC ? "char" : "interface");
	dom->hostdevs = xreallocarray(dom->hostdevs, dom->n_hostdevs + 1, sizeof(hd));
	dom->hostdevs[dom->n_hostdevs++] = hd;
}

/* ---- devices ---- */

static void check_targets(struct px *p, struct domain *dom)
{
	for (size_t i = 0; i < dom->n_filesystems; i++) {
		const struct dom_filesystem *a = &dom->filesystems[i];
		for (size_t j = 0; j < i && a->target != NULL; j++) {
			const struct dom_filesystem *b = &dom->filesystems[j];
			if (b->target == NULL || strcmp(a->target, b->target) != 0)
				continue;
			diag_add(p->d, DIAG_ERROR, p->file, a->line,
				 "<filesystem><target>: dir '%s' is already the target of the filesystem on line %d; expected each target once",
				 a->target, b->line);
			break;
		}
	}
}

void dom_parse_devices(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "emulator", p_emulator },   { "filesystem", p_filesystem }, { "interface", p_interface },
		{ "console", p_console },     { "hostdev", p_hostdev },	      { NULL, NULL },
	};
	struct domain *dom = obj;

	px_attrs(p, n, "devices", "<devices>", NONE);
	px_children(p, n, "devices", "<devices>", tab, dom);
	check_targets(p, dom);
}
