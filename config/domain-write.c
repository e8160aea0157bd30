/* Writing the domain model as libvirt writes a domain: its element order,
 * two-space indent, single-quoted attributes, defaults spelled out. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"
#include "config/uuid.h"
#include "lib/xmalloc.h"

struct wb {
	char *s;
	size_t len, cap;
};

static void put_n(struct wb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put(struct wb *b, const char *s)
{
	put_n(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3))) putf(struct wb *b, const char *fmt, ...)
{
	char small[256];
	char *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		put_n(b, small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&big, fmt, ap) >= 0)
		put(b, big);
	va_end(ap);
	free(big);
}

/* libvirt escapes the same five characters in text and attributes. */
static void put_esc(struct wb *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		case '&': put(b, "&amp;"); break;
		case '\'': put(b, "&apos;"); break;
		case '"': put(b, "&quot;"); break;
		default: put_n(b, s, 1); break;
		}
	}
}

static void indent(struct wb *b, int depth)
{
	for (int i = 0; i < depth; i++)
		put(b, "  ");
}

/* ` name='value'` when value is set. */
static void attr(struct wb *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	putf(b, " %s='", name);
	put_esc(b, value);
	put(b, "'");
}

static void text_el(struct wb *b, int depth, const char *name, const char *text)
{
	if (text == NULL)
		return;
	indent(b, depth);
	putf(b, "<%s>", name);
	put_esc(b, text);
	putf(b, "</%s>\n", name);
}

static void u64_el(struct wb *b, int depth, const char *name, uint64_t v)
{
	if (v == DOM_UNSET)
		return;
	indent(b, depth);
	putf(b, "<%s>%" PRIu64 "</%s>\n", name, v, name);
}

static void kib_el(struct wb *b, int depth, const char *name, uint64_t kib)
{
	if (kib == DOM_UNSET)
		return;
	indent(b, depth);
	putf(b, "<%s unit='KiB'>%" PRIu64 "</%s>\n", name, kib, name);
}

static void w_blkiotune(struct wb *b, const struct domain *dom)
{
	if (dom->blkio_weight == DOM_UNSET && dom->n_blkio_devices == 0)
		return;
	put(b, "  <blkiotune>\n");
	u64_el(b, 2, "weight", dom->blkio_weight);
	for (size_t i = 0; i < dom->n_blkio_devices; i++) {
		const struct dom_blkio_device *d = &dom->blkio_devices[i];
		put(b, "    <device>\n");
		text_el(b, 3, "path", d->path);
		u64_el(b, 3, "weight", d->weight);
		u64_el(b, 3, "read_iops_sec", d->read_iops);
		u64_el(b, 3, "write_iops_sec", d->write_iops);
		u64_el(b, 3, "read_bytes_sec", d->read_bytes);
		u64_el(b, 3, "write_bytes_sec", d->write_bytes);
		put(b, "    </device>\n");
	}
	put(b, "  </blkiotune>\n");
}

static void w_memtune(struct wb *b, const struct domain *dom)
{
	if (dom->hard_limit_kib == DOM_UNSET && dom->soft_limit_kib == DOM_UNSET &&
	    dom->swap_hard_limit_kib == DOM_UNSET)
		return;
	put(b, "  <memtune>\n");
	kib_el(b, 2, "hard_limit", dom->hard_limit_kib);
	kib_el(b, 2, "soft_limit", dom->soft_limit_kib);
	kib_el(b, 2, "swap_hard_limit", dom->swap_hard_limit_kib);
	put(b, "  </memtune>\n");
}

static void w_cpu(struct wb *b, const struct domain *dom)
{
	if (dom->vcpus > 0) {
		put(b, "  <vcpu");
		attr(b, "placement", dom->vcpu_placement != NULL ? dom->vcpu_placement : "static");
		attr(b, "cpuset", dom->cpuset);
		putf(b, ">%u</vcpu>\n", dom->vcpus);
	}
	if (dom->cpu_shares != DOM_UNSET || dom->cpu_period != DOM_UNSET || dom->has_cpu_quota) {
		put(b, "  <cputune>\n");
		u64_el(b, 2, "shares", dom->cpu_shares);
		u64_el(b, 2, "period", dom->cpu_period);
		if (dom->has_cpu_quota)
			putf(b, "    <quota>%" PRId64 "</quota>\n", dom->cpu_quota);
		put(b, "  </cputune>\n");
	}
	if (dom->numa_mode != NULL || dom->numa_nodeset != NULL) {
		put(b, "  <numatune>\n    <memory");
		attr(b, "mode", dom->numa_mode);
		attr(b, "nodeset", dom->numa_nodeset);
		put(b, "/>\n  </numatune>\n");
	}
	if (dom->resource_partition != NULL) {
		put(b, "  <resource>\n");
		text_el(b, 2, "partition", dom->resource_partition);
		put(b, "  </resource>\n");
	}
}

static void w_os(struct wb *b, const struct domain *dom)
{
	put(b, "  <os>\n");
	if (dom->os_type != NULL) {
		put(b, "    <type");
		attr(b, "arch", dom->os_arch);
		put(b, ">");
		put_esc(b, dom->os_type);
		put(b, "</type>\n");
	}
	text_el(b, 2, "init", dom->init);
	for (size_t i = 0; i < dom->n_initargs; i++)
		text_el(b, 2, "initarg", dom->initargs[i]);
	for (size_t i = 0; i < dom->n_initenv; i++) {
		put(b, "    <initenv");
		attr(b, "name", dom->initenv_names[i]);
		put(b, ">");
		put_esc(b, dom->initenv_values[i]);
		put(b, "</initenv>\n");
	}
	text_el(b, 2, "initdir", dom->initdir);
	text_el(b, 2, "inituser", dom->inituser);
	text_el(b, 2, "initgroup", dom->initgroup);
	put(b, "  </os>\n");
}

static void w_idmap(struct wb *b, const struct domain *dom)
{
	if (dom->n_uid_map == 0 && dom->n_gid_map == 0)
		return;
	put(b, "  <idmap>\n");
	for (size_t i = 0; i < dom->n_uid_map; i++)
		putf(b, "    <uid start='%u' target='%u' count='%u'/>\n", dom->uid_map[i].start,
		     dom->uid_map[i].target, dom->uid_map[i].count);
	for (size_t i = 0; i < dom->n_gid_map; i++)
		putf(b, "    <gid start='%u' target='%u' count='%u'/>\n", dom->gid_map[i].start,
		     dom->gid_map[i].target, dom->gid_map[i].count);
	put(b, "  </idmap>\n");
}

static void w_features(struct wb *b, const struct domain *dom)
{
	if (!dom->privnet && !dom->has_capabilities)
		return;
	put(b, "  <features>\n");
	if (dom->privnet)
		put(b, "    <privnet/>\n");
	if (dom->has_capabilities) {
		putf(b, "    <capabilities policy='%s'", dom_cap_policy_names[dom->cap_policy]);
		if (dom->n_caps == 0) {
			put(b, "/>\n");
		} else {
			put(b, ">\n");
			for (size_t i = 0; i < dom->n_caps; i++)
				putf(b, "      <%s state='%s'/>\n", dom->caps[i].name,
				     dom->caps[i].state == DOM_CAPST_ON ? "on" : "off");
			put(b, "    </capabilities>\n");
		}
	}
	put(b, "  </features>\n");
}

static void w_ipcfg(struct wb *b, int depth, const struct dom_ipcfg *c)
{
	for (size_t i = 0; i < c->n_ips; i++) {
		const struct dom_ip *ip = &c->ips[i];
		indent(b, depth);
		put(b, "<ip");
		attr(b, "address", ip->address);
		attr(b, "family", ip->family == DOM_AF_INET6 ? "ipv6" : "ipv4");
		if (ip->prefix > 0)
			putf(b, " prefix='%d'", ip->prefix);
		attr(b, "peer", ip->peer);
		put(b, "/>\n");
	}
	for (size_t i = 0; i < c->n_routes; i++) {
		const struct dom_route *r = &c->routes[i];
		indent(b, depth);
		put(b, "<route");
		attr(b, "family", r->family == DOM_AF_INET6 ? "ipv6" : "ipv4");
		attr(b, "address", r->address);
		if (r->prefix >= 0)
			putf(b, " prefix='%d'", r->prefix);
		attr(b, "gateway", r->gateway);
		put(b, "/>\n");
	}
}

static void w_filesystem(struct wb *b, const struct dom_filesystem *fs)
{
	static const char *const source_attr[DOM_FS_TYPE_N] = {
		[DOM_FS_MOUNT] = "dir", [DOM_FS_BLOCK] = "dev", [DOM_FS_FILE] = "file",
		[DOM_FS_RAM] = NULL,    [DOM_FS_BIND] = "dir",
	};

	putf(b, "    <filesystem type='%s' accessmode='%s'>\n", dom_fs_type_names[fs->type],
	     dom_fs_access_names[fs->accessmode]);
	if (fs->driver_type != NULL || fs->driver_format != NULL) {
		put(b, "      <driver");
		attr(b, "type", fs->driver_type);
		attr(b, "format", fs->driver_format);
		put(b, "/>\n");
	}
	if (fs->type == DOM_FS_RAM) {
		putf(b, "      <source usage='%" PRIu64 "' units='KiB'/>\n", fs->usage_kib);
	} else if (fs->source != NULL) {
		put(b, "      <source");
		attr(b, source_attr[fs->type], fs->source);
		put(b, "/>\n");
	}
	if (fs->target != NULL) {
		put(b, "      <target");
		attr(b, "dir", fs->target);
		put(b, "/>\n");
	}
	if (fs->readonly)
		put(b, "      <readonly/>\n");
	put(b, "    </filesystem>\n");
}

static void w_interface(struct wb *b, const struct dom_interface *ifc)
{
	static const char *const source_attr[DOM_IF_TYPE_N] = {
		[DOM_IF_NETWORK] = "network", [DOM_IF_BRIDGE] = "bridge",
		[DOM_IF_ETHERNET] = NULL,     [DOM_IF_DIRECT] = "dev",
	};

	putf(b, "    <interface type='%s'>\n", dom_iface_type_names[ifc->type]);
	if (ifc->has_mac)
		putf(b, "      <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n", ifc->mac[0],
		     ifc->mac[1], ifc->mac[2], ifc->mac[3], ifc->mac[4], ifc->mac[5]);
	if (ifc->type == DOM_IF_ETHERNET) {
		if (ifc->host.n_ips > 0 || ifc->host.n_routes > 0) {
			put(b, "      <source>\n");
			w_ipcfg(b, 4, &ifc->host);
			put(b, "      </source>\n");
		}
	} else if (ifc->source != NULL) {
		put(b, "      <source");
		attr(b, source_attr[ifc->type], ifc->source);
		attr(b, "mode", ifc->source_mode);
		put(b, "/>\n");
	}
	w_ipcfg(b, 3, &ifc->guest);
	if (ifc->target_dev != NULL) {
		put(b, "      <target");
		attr(b, "dev", ifc->target_dev);
		put(b, "/>\n");
	}
	if (ifc->guest_dev != NULL) {
		put(b, "      <guest");
		attr(b, "dev", ifc->guest_dev);
		put(b, "/>\n");
	}
	if (ifc->link_state != NULL) {
		put(b, "      <link");
		attr(b, "state", ifc->link_state);
		put(b, "/>\n");
	}
	put(b, "    </interface>\n");
}

static void w_hostdev(struct wb *b, const struct dom_hostdev *hd)
{
	static const char *const item[DOM_HD_TYPE_N] = {
		[DOM_HD_STORAGE] = "block", [DOM_HD_MISC] = "char", [DOM_HD_NET] = "interface",
	};

	putf(b, "    <hostdev mode='capabilities' type='%s'>\n", dom_hostdev_type_names[hd->type]);
	put(b, "      <source>\n");
	text_el(b, 4, item[hd->type], hd->source);
	put(b, "      </source>\n");
	w_ipcfg(b, 3, &hd->ipcfg);
	put(b, "    </hostdev>\n");
}

static void w_devices(struct wb *b, const struct domain *dom)
{
	put(b, "  <devices>\n");
	text_el(b, 2, "emulator", dom->emulator);
	for (size_t i = 0; i < dom->n_filesystems; i++)
		w_filesystem(b, &dom->filesystems[i]);
	for (size_t i = 0; i < dom->n_interfaces; i++)
		w_interface(b, &dom->interfaces[i]);
	for (size_t i = 0; i < dom->n_consoles; i++) {
		const struct dom_console *c = &dom->consoles[i];
		put(b, "    <console");
		attr(b, "type", c->type);
		put(b, ">\n      <target");
		attr(b, "type", c->target_type);
		if (c->port >= 0)
			putf(b, " port='%d'", c->port);
		put(b, "/>\n    </console>\n");
	}
	for (size_t i = 0; i < dom->n_hostdevs; i++)
		w_hostdev(b, &dom->hostdevs[i]);
	put(b, "  </devices>\n");
}

static void w_seclabel(struct wb *b, const struct dom_seclabel *sl)
{
	bool children = sl->label || sl->imagelabel || sl->baselabel;

	if (!sl->present)
		return;
	put(b, "  <seclabel");
	if (sl->type != DOM_SEC_DEFAULT)
		attr(b, "type", dom_seclabel_type_names[sl->type]);
	attr(b, "model", sl->model);
	if (sl->relabel >= 0)
		attr(b, "relabel", sl->relabel ? "yes" : "no");
	if (!children) {
		put(b, "/>\n");
		return;
	}
	put(b, ">\n");
	text_el(b, 2, "label", sl->label);
	text_el(b, 2, "imagelabel", sl->imagelabel);
	text_el(b, 2, "baselabel", sl->baselabel);
	put(b, "  </seclabel>\n");
}

static bool has_ns_share(const struct domain *dom)
{
	for (int i = 0; i < DOM_NS_SHARE_N; i++)
		if (dom->ns_share[i].type != NULL)
			return true;
	return false;
}

static void w_namespace(struct wb *b, const struct domain *dom)
{
	if (!has_ns_share(dom))
		return;
	put(b, "  <lxc:namespace>\n");
	for (int i = 0; i < DOM_NS_SHARE_N; i++) {
		if (dom->ns_share[i].type == NULL)
			continue;
		putf(b, "    <lxc:%s", dom_ns_share_names[i]);
		attr(b, "type", dom->ns_share[i].type);
		attr(b, "value", dom->ns_share[i].value);
		put(b, "/>\n");
	}
	put(b, "  </lxc:namespace>\n");
}

char *dom_format(const struct domain *dom)
{
	struct wb b = { 0 };
	char uuid[UUID_STR_LEN];

	put(&b, "<domain type='lxc'");
	if (has_ns_share(dom))
		attr(&b, "xmlns:lxc", DOM_LXC_NS);
	put(&b, ">\n");
	text_el(&b, 1, "name", dom->name);
	uuid_format(dom->uuid, uuid);
	text_el(&b, 1, "uuid", uuid);
	text_el(&b, 1, "title", dom->title);
	text_el(&b, 1, "description", dom->description);
	if (dom->metadata_xml != NULL) {
		put(&b, "  <metadata>\n");
		put(&b, dom->metadata_xml);
		put(&b, "  </metadata>\n");
	}
	kib_el(&b, 1, "memory", dom->memory_kib);
	kib_el(&b, 1, "currentMemory", dom->current_memory_kib);
	w_blkiotune(&b, dom);
	w_memtune(&b, dom);
	w_cpu(&b, dom);
	w_os(&b, dom);
	w_idmap(&b, dom);
	w_features(&b, dom);
	if (dom->clock_offset != NULL) {
		put(&b, "  <clock");
		attr(&b, "offset", dom->clock_offset);
		put(&b, "/>\n");
	}
	text_el(&b, 1, "on_poweroff", dom_lifecycle_name(dom->on_poweroff));
	text_el(&b, 1, "on_reboot", dom_lifecycle_name(dom->on_reboot));
	text_el(&b, 1, "on_crash", dom_lifecycle_name(dom->on_crash));
	w_devices(&b, dom);
	w_seclabel(&b, &dom->seclabel);
	w_namespace(&b, dom);
	put(&b, "</domain>\n");
	return b.s;
}
