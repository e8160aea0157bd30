/* LXC configuration → domain model, following libvirt's lxc_native.c key by
 * key so that a config converts as `virsh domxml-from-native` converts it. */
#include "config/lxcconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cpulist.h"
#include "config/domain-xml.h"
#include "config/names.h"
#include "config/units.h"
#include "config/uuid.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* libvirt's converter sets 64 MiB when the config names no memory limit. */
#define LXC_DEFAULT_MEMORY_KIB 65536
#define LXC_MAX_TTYS 64

struct entry {
	char *key;
	char *val;
	int line;
	bool used;
};

struct conf {
	struct entry *v;
	size_t n;
	const char *file;
	struct diags *d;
	bool failed;
};

/* One network device, gathered from its keys before it is converted. */
struct nic {
	unsigned long long index;
	int line;
	const char *type, *link, *mac, *flags, *mode, *vlan, *name, *gw4, *gw6;
	struct dom_ip *ips;
	size_t n_ips;
};

static void __attribute__((format(printf, 3, 4))) c_error(struct conf *c, int line,
							   const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	diag_add(c->d, DIAG_ERROR, c->file, line, "%s", msg != NULL ? msg : fmt);
	free(msg);
	c->failed = true;
}

static void __attribute__((format(printf, 3, 4))) c_warn(struct conf *c, int line,
							  const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	diag_add(c->d, DIAG_WARNING, c->file, line, "%s", msg != NULL ? msg : fmt);
	free(msg);
}

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static bool key_valid(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k != '\0'; k++)
		if (!isalnum((unsigned char)*k) && *k != '.' && *k != '_' && *k != '-')
			return false;
	return true;
}

/* LXC's format: "key = value" per line, '#' comments, the value raw to the
 * end of the line. */
static void read_lines(struct conf *c, const char *buf, size_t len)
{
	_cleanup_free_ char *copy = xstrndup(buf, len);
	char *p = copy, *nl;
	int line = 0;

	for (; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		char *end, *eq, *key, *val;

		line++;
		nl = strchr(p, '\n');
		end = nl != NULL ? nl : p + strlen(p);
		key = trim(p, end);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			c_error(c, line, "'%s' is not a setting; expected KEY = VALUE", key);
			continue;
		}
		val = trim(eq + 1, eq + 1 + strlen(eq + 1));
		key = trim(key, eq);
		if (!key_valid(key)) {
			c_error(c, line, "'%s' is not a configuration key; expected a key such as lxc.uts.name",
				key);
			continue;
		}
		c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
		c->v[c->n++] = (struct entry){ xstrdup(key), xstrdup(val), line, false };
	}
}

/* The last entry for the key or its legacy spelling (legacy may be NULL):
 * LXC itself lets a later line override an earlier one. All are marked
 * used, so that none of them is reported as ignored. */
static struct entry *get(struct conf *c, const char *key, const char *legacy)
{
	struct entry *found = NULL;

	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0 || (legacy != NULL && strcmp(c->v[i].key, legacy) == 0)) {
			c->v[i].used = true;
			found = &c->v[i];
		}
	return found;
}

static int parse_u64(struct conf *c, const struct entry *e, uint64_t *out)
{
	if (unit_parse_u64(e->val, out) != UNIT_OK) {
		c_error(c, e->line, "%s: '%s' is not a number; expected a whole number", e->key, e->val);
		return -1;
	}
	return 0;
}

/* A size as LXC writes it ("8m", "1073741824", "2G"), in bytes. */
static int parse_size(struct conf *c, int line, const char *key, const char *s, uint64_t *out)
{
	uint64_t n, scale = 1;
	const char *p = s;
	_cleanup_free_ char *num = NULL;

	while (isdigit((unsigned char)*p))
		p++;
	num = xstrndup(s, (size_t)(p - s));
	if (unit_parse_u64(num, &n) != UNIT_OK) {
		c_error(c, line, "%s: '%s' is not a size; expected a number of bytes with an optional unit (k, m, g)",
			key, s);
		return -1;
	}
	if (*p == '%') {
		c_error(c, line, "%s: '%s' is a relative size, which cannot be converted; give an absolute size such as 64m",
			key, s);
		return -1;
	}
	if (*p != '\0' && unit_scale(p, &scale) != UNIT_OK) {
		c_error(c, line, "%s: '%s' has an unknown unit; expected one of %s", key, s, UNIT_NAMES);
		return -1;
	}
	if (scale != 0 && n > UINT64_MAX / scale) {
		c_error(c, line, "%s: '%s' is too large", key, s);
		return -1;
	}
	*out = n * scale;
	return 0;
}

/* A CPU or node list as libvirt prints a bitmap: ascending ranges. */
static char *cpulist_canonical(struct conf *c, const struct entry *e)
{
	const char *why = cpulist_problem(e->val);
	_cleanup_free_ bool *set = NULL;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	const char *p = e->val;

	if (why != NULL) {
		c_error(c, e->line, "%s: '%s' is not a CPU list: %s", e->key, e->val, why);
		return NULL;
	}
	set = xcalloc(CPULIST_MAX + 1, sizeof(*set));
	while (*p != '\0') {
		bool neg = false;
		unsigned long a, b;
		char *end;

		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '^') {
			neg = true;
			p++;
		}
		a = b = strtoul(p, &end, 10);
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		for (unsigned long i = a; i <= b; i++)
			set[i] = !neg;
	}
	f = open_memstream(&out, &len);
	for (unsigned i = 0, first = 1; i <= CPULIST_MAX; i++) {
		unsigned j = i;

		if (!set[i])
			continue;
		while (j < CPULIST_MAX && set[j + 1])
			j++;
		fprintf(f, "%s%u", first ? "" : ",", i);
		if (j > i)
			fprintf(f, "-%u", j);
		first = 0;
		i = j;
	}
	fclose(f);
	return out;
}

static void conv_arch(struct conf *c, struct domain *dom)
{
	static const char *const known[] = { "i686", "x86_64", "aarch64", "armv7l", "armv6l",
					      "ppc64", "ppc64le", "s390x", "riscv64", "mips64el",
					      "loongarch64", NULL };
	struct entry *e = get(c, "lxc.arch", NULL);

	if (e == NULL)
		return;
	/* LXC also takes the Debian and personality names libvirt maps. */
	if (strcmp(e->val, "x86") == 0 || strcmp(e->val, "i386") == 0 || strcmp(e->val, "i486") == 0 ||
	    strcmp(e->val, "i586") == 0) {
		dom->os_arch = xstrdup("i686");
		return;
	}
	if (strcmp(e->val, "amd64") == 0) {
		dom->os_arch = xstrdup("x86_64");
		return;
	}
	for (int i = 0; known[i] != NULL; i++)
		if (strcmp(e->val, known[i]) == 0) {
			dom->os_arch = xstrdup(e->val);
			return;
		}
	c_warn(c, e->line, "lxc.arch: '%s' is not an architecture corral knows; left out", e->val);
}

static void conv_name(struct conf *c, struct domain *dom)
{
	struct entry *e = get(c, "lxc.uts.name", "lxc.utsname");
	const char *why;

	if (e == NULL) {
		c_error(c, 0, "no lxc.uts.name (or lxc.utsname): the domain needs a name; add lxc.uts.name = NAME");
		return;
	}
	why = name_domain_problem(e->val);
	if (why != NULL) {
		c_error(c, e->line, "%s: '%s' cannot name a domain: %s", e->key, e->val, why);
		return;
	}
	dom->name = xstrdup(e->val);
}

static struct dom_filesystem *add_fs(struct domain *dom, enum dom_fs_type type, const char *src,
				     const char *dst, bool ro, uint64_t usage_kib)
{
	struct dom_filesystem *fs;

	dom->filesystems = xreallocarray(dom->filesystems, dom->n_filesystems + 1,
					 sizeof(*dom->filesystems));
	fs = &dom->filesystems[dom->n_filesystems++];
	*fs = (struct dom_filesystem){ .type = type,
				       .accessmode = DOM_FS_PASSTHROUGH,
				       .source = src != NULL ? xstrdup(src) : NULL,
				       .usage_kib = usage_kib,
				       .target = xstrdup(dst),
				       .readonly = ro };
	return fs;
}

static void conv_rootfs(struct conf *c, struct domain *dom)
{
	struct entry *e = get(c, "lxc.rootfs.path", "lxc.rootfs");
	const char *path;

	if (e == NULL || e->val[0] == '\0') {
		c_error(c, e != NULL ? e->line : 0,
			"no lxc.rootfs.path (or lxc.rootfs): an OS container needs its root filesystem; add lxc.rootfs.path = DIR");
		return;
	}
	path = e->val;
	/* lxc-create writes "dir:PATH"; other storage backends need their own
	 * tools to mount, which corral does not drive. */
	if (strncmp(path, "dir:", 4) == 0)
		path += 4;
	else if (path[0] != '/') {
		c_error(c, e->line, "%s: '%s' is not a directory or a block device; corral converts a path, 'dir:PATH' or '/dev/…'",
			e->key, e->val);
		return;
	}
	add_fs(dom, strncmp(path, "/dev/", 5) == 0 ? DOM_FS_BLOCK : DOM_FS_MOUNT, path, "/", false, 0);
}

/* The mounts every container gets anyway (libvirt's lxcBasicMounts). */
static bool basic_mount(const char *dst)
{
	static const char *const basic[] = { "/proc", "/proc/sys", "/sys", "/sys/fs/selinux",
					      "/sys/kernel/security", NULL };

	for (int i = 0; basic[i] != NULL; i++)
		if (strcmp(dst, basic[i]) == 0)
			return true;
	return false;
}

static char **split_ws(const char *s, size_t *n)
{
	char **v = NULL;

	*n = 0;
	while (*s != '\0') {
		const char *start;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		start = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = xstrndup(start, (size_t)(s - start));
	}
	return v;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool has_option(const char *opts, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *p = opts;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0' || p[len] == '=')) {
			if (value != NULL)
				*value = p[len] == '=' ? p + len + 1 : NULL;
			return true;
		}
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

static void conv_mount_entry(struct conf *c, struct domain *dom, struct entry *e)
{
	size_t n;
	char **f = split_ws(e->val, &n);
	_cleanup_free_ char *dst = NULL, *size = NULL;
	const char *sz = NULL;
	enum dom_fs_type type = DOM_FS_MOUNT;
	uint64_t bytes = 0;

	e->used = true;
	if (n < 4) {
		c_error(c, e->line, "lxc.mount.entry: '%s' is not an fstab line; expected SOURCE TARGET TYPE OPTIONS",
			e->val);
		goto out;
	}
	dst = f[1][0] == '/' ? xstrdup(f[1]) : xasprintf("/%s", f[1]);
	if (basic_mount(dst))
		goto out;
	if (strcmp(f[2], "tmpfs") == 0) {
		type = DOM_FS_RAM;
		if (!has_option(f[3], "size", &sz) || sz == NULL) {
			c_error(c, e->line, "lxc.mount.entry: the tmpfs on '%s' has no size; add size=… to its options",
				dst);
			goto out;
		}
		size = xstrndup(sz, strcspn(sz, ","));
		if (parse_size(c, e->line, "lxc.mount.entry size", size, &bytes) < 0)
			goto out;
	}
	if (strncmp(f[0], "/dev/", 5) == 0)
		type = DOM_FS_BLOCK;
	add_fs(dom, type, type == DOM_FS_RAM ? NULL : f[0], dst, has_option(f[3], "ro", NULL),
	       bytes / 1024);
out:
	strv_free(f, n);
}

static void conv_mounts(struct conf *c, struct domain *dom)
{
	struct entry *e = get(c, "lxc.mount.fstab", "lxc.mount");

	if (e != NULL)
		c_error(c, e->line, "%s: an external fstab file cannot be converted; use lxc.mount.entry lines instead",
			e->key);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, "lxc.mount.entry") == 0)
			conv_mount_entry(c, dom, &c->v[i]);
}

static struct nic *nic_new(struct nic **v, size_t *n, unsigned long long index, int line)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n] = (struct nic){ .index = index, .line = line };
	return &(*v)[(*n)++];
}

static void nic_add_ip(struct conf *c, struct nic *nic, const struct entry *e, bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET;
	unsigned char bin[sizeof(struct in6_addr)];
	_cleanup_free_ char *addr = NULL;
	const char *slash = strchr(e->val, '/');
	unsigned long prefix = 0;
	char *end = NULL;

	/* LXC allows a broadcast address after the CIDR; it has no place in
	 * the domain model. */
	if (slash != NULL) {
		addr = xstrndup(e->val, (size_t)(slash - e->val));
		errno = 0;
		prefix = strtoul(slash + 1, &end, 10);
	}
	if (slash == NULL || inet_pton(family, addr, bin) != 1 || end == slash + 1 || errno != 0 ||
	    (*end != '\0' && !isspace((unsigned char)*end)) || prefix > (v6 ? 128u : 32u)) {
		c_error(c, e->line, "%s: '%s' is not an %s address with a prefix; expected ADDRESS/PREFIX",
			e->key, e->val, v6 ? "IPv6" : "IPv4");
		return;
	}
	nic->ips = xreallocarray(nic->ips, nic->n_ips + 1, sizeof(*nic->ips));
	nic->ips[nic->n_ips++] = (struct dom_ip){ v6 ? DOM_AF_INET6 : DOM_AF_INET,
						  move_ptr(addr), (int)prefix, NULL };
}

/* One "lxc.net.N.SUFFIX" or "lxc.network.SUFFIX" key into its device. */
static void nic_set(struct conf *c, struct nic *nic, const char *suffix, struct entry *e)
{
	static const struct {
		const char *suffix;
		size_t off;
	} fields[] = {
		{ "type", offsetof(struct nic, type) },
		{ "link", offsetof(struct nic, link) },
		{ "hwaddr", offsetof(struct nic, mac) },
		{ "flags", offsetof(struct nic, flags) },
		{ "macvlan.mode", offsetof(struct nic, mode) },
		{ "vlan.id", offsetof(struct nic, vlan) },
		{ "name", offsetof(struct nic, name) },
		{ "ipv4.gateway", offsetof(struct nic, gw4) },
		{ "ipv6.gateway", offsetof(struct nic, gw6) },
	};

	e->used = true;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(suffix, fields[i].suffix) == 0) {
			*(const char **)((char *)nic + fields[i].off) = e->val;
			return;
		}
	if (strcmp(suffix, "ipv4") == 0 || strcmp(suffix, "ipv4.address") == 0)
		nic_add_ip(c, nic, e, false);
	else if (strcmp(suffix, "ipv6") == 0 || strcmp(suffix, "ipv6.address") == 0)
		nic_add_ip(c, nic, e, true);
	else
		c_warn(c, e->line, "%s: not converted (corral names the host end and runs no scripts)",
		       e->key);
}

static void route_add(struct dom_ipcfg *cfg, bool v6, const char *gw)
{
	cfg->routes = xreallocarray(cfg->routes, cfg->n_routes + 1, sizeof(*cfg->routes));
	cfg->routes[cfg->n_routes++] = (struct dom_route){ v6 ? DOM_AF_INET6 : DOM_AF_INET,
							   xstrdup(v6 ? "::" : "0.0.0.0"), -1,
							   xstrdup(gw) };
}

static void nic_ipcfg(struct nic *nic, struct dom_ipcfg *cfg)
{
	cfg->ips = move_ptr(nic->ips);
	cfg->n_ips = nic->n_ips;
	nic->n_ips = 0;
	if (nic->gw4 != NULL)
		route_add(cfg, false, nic->gw4);
	if (nic->gw6 != NULL)
		route_add(cfg, true, nic->gw6);
}

/* phys and vlan devices move a host interface into the container, which the
 * domain model calls a network hostdev; veth and macvlan are interfaces. */
static void nic_convert(struct conf *c, struct domain *dom, struct nic *nic)
{
	const char *t = nic->type;

	if (t == NULL || t[0] == '\0' || strcmp(t, "empty") == 0 || strcmp(t, "none") == 0)
		return;
	if (strcmp(t, "phys") == 0 || strcmp(t, "vlan") == 0) {
		struct dom_hostdev *hd;

		if (nic->link == NULL) {
			c_error(c, nic->line, "network device %llu (%s): no link; name the host interface with its link key",
				nic->index, t);
			return;
		}
		dom->hostdevs = xreallocarray(dom->hostdevs, dom->n_hostdevs + 1, sizeof(*dom->hostdevs));
		hd = &dom->hostdevs[dom->n_hostdevs++];
		*hd = (struct dom_hostdev){ .type = DOM_HD_NET, .line = nic->line };
		/* The host must have made the vlan interface; libvirt names it so. */
		hd->source = strcmp(t, "vlan") == 0 && nic->vlan != NULL
				     ? xasprintf("%s.%s", nic->link, nic->vlan)
				     : xstrdup(nic->link);
		nic_ipcfg(nic, &hd->ipcfg);
		return;
	}
	if (strcmp(t, "veth") != 0 && strcmp(t, "macvlan") != 0) {
		c_error(c, nic->line, "network device %llu: type '%s' cannot be converted; corral converts veth, macvlan, vlan, phys, empty and none",
			nic->index, t);
		return;
	}
	if (strcmp(t, "macvlan") == 0 && nic->link == NULL) {
		c_error(c, nic->line, "network device %llu (macvlan): no link; name the host interface with its link key",
			nic->index);
		return;
	}
	dom->interfaces = xreallocarray(dom->interfaces, dom->n_interfaces + 1,
					sizeof(*dom->interfaces));
	struct dom_interface *ifc = &dom->interfaces[dom->n_interfaces++];
	*ifc = (struct dom_interface){ .line = nic->line };
	ifc->link_state = xstrdup(nic->flags != NULL && strcmp(nic->flags, "up") == 0 ? "up" : "down");
	if (nic->name != NULL)
		ifc->guest_dev = xstrdup(nic->name);
	if (nic->mac != NULL) {
		if (name_mac_parse(nic->mac, ifc->mac) == 0)
			ifc->has_mac = true;
		else
			c_warn(c, nic->line, "network device %llu: hwaddr '%s' is not a MAC address; a random one will be used",
			       nic->index, nic->mac);
	}
	if (strcmp(t, "veth") == 0) {
		ifc->type = nic->link != NULL ? DOM_IF_BRIDGE : DOM_IF_ETHERNET;
		if (nic->link != NULL)
			ifc->source = xstrdup(nic->link);
	} else {
		const char *mode = nic->mode != NULL ? nic->mode : "private";

		ifc->type = DOM_IF_DIRECT;
		ifc->source = xstrdup(nic->link);
		if (strcmp(mode, "private") != 0 && strcmp(mode, "vepa") != 0 &&
		    strcmp(mode, "bridge") != 0) {
			c_warn(c, nic->line, "network device %llu: macvlan mode '%s' is unknown; vepa used",
			       nic->index, mode);
			mode = "vepa";
		}
		ifc->source_mode = xstrdup(mode);
	}
	nic_ipcfg(nic, &ifc->guest);
}

static void conv_network(struct conf *c, struct domain *dom)
{
	struct nic *nics = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];
		struct nic *nic = NULL;
		const char *suffix;

		if (strncmp(e->key, "lxc.network.", 12) == 0) {
			/* Legacy keys have no index: a type line begins a device. */
			suffix = e->key + 12;
			if (strcmp(suffix, "type") == 0)
				nic = nic_new(&nics, &n, n, e->line);
			else if (n > 0)
				nic = &nics[n - 1];
			else {
				e->used = true;
				c_error(c, e->line, "%s before any lxc.network.type; a device begins with its type",
					e->key);
				continue;
			}
		} else if (strncmp(e->key, "lxc.net.", 8) == 0) {
			unsigned long long idx;
			char *end;

			errno = 0;
			idx = strtoull(e->key + 8, &end, 10);
			if (!isdigit((unsigned char)e->key[8]) || errno != 0 || *end != '.') {
				e->used = true;
				c_error(c, e->line, "%s: expected lxc.net.INDEX.KEY", e->key);
				continue;
			}
			suffix = end + 1;
			/* Indices may be sparse and need not start at 0. */
			for (size_t j = 0; j < n && nic == NULL; j++)
				if (nics[j].index == idx)
					nic = &nics[j];
			if (nic == NULL)
				nic = nic_new(&nics, &n, idx, e->line);
		} else {
			continue;
		}
		nic_set(c, nic, suffix, e);
	}
	for (size_t i = 0; i < n; i++) {
		nic_convert(c, dom, &nics[i]);
		for (size_t j = 0; j < nics[i].n_ips; j++)
			free(nics[i].ips[j].address);
		free(nics[i].ips);
	}
	/* With no network keys at all LXC gives the container a loopback only. */
	dom->privnet = n == 0;
	free(nics);
}

static void conv_consoles(struct conf *c, struct domain *dom)
{
	struct entry *e = get(c, "lxc.tty.max", "lxc.tty");
	uint64_t n;

	if (e == NULL || parse_u64(c, e, &n) < 0)
		return;
	if (n > LXC_MAX_TTYS) {
		c_error(c, e->line, "%s: %llu consoles is too many; at most %d", e->key,
			(unsigned long long)n, LXC_MAX_TTYS);
		return;
	}
	dom->consoles = xcalloc(n > 0 ? n : 1, sizeof(*dom->consoles));
	for (uint64_t i = 0; i < n; i++)
		dom->consoles[i] = (struct dom_console){ xstrdup("pty"), xstrdup("lxc"), (int)i };
	dom->n_consoles = n;
}

static void conv_idmap(struct conf *c, struct domain *dom)
{
	bool warned = false;

	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];
		unsigned long start, target, count;
		char type, extra;

		if (strcmp(e->key, "lxc.idmap") != 0 && strcmp(e->key, "lxc.id_map") != 0)
			continue;
		e->used = true;
		if (sscanf(e->val, "%c %lu %lu %lu %c", &type, &target, &start, &count, &extra) != 4 ||
		    (type != 'u' && type != 'g') || start > UINT32_MAX || target > UINT32_MAX ||
		    count > UINT32_MAX) {
			c_error(c, e->line, "%s: '%s' is not an id map; expected u|g ID ID COUNT", e->key,
				e->val);
			continue;
		}
		/* libvirt reads the host id first, LXC's manual puts the
		 * container id first; corral converts as virsh does, so that a
		 * config gives the same domain on both, and says so. */
		if (!warned)
			c_warn(c, e->line, "%s: read as libvirt reads it (host id, then container id); check <idmap> in the result",
			       e->key);
		warned = true;
		struct dom_idmap m = { (uint32_t)start, (uint32_t)target, (uint32_t)count };
		if (type == 'u') {
			dom->uid_map = xreallocarray(dom->uid_map, dom->n_uid_map + 1, sizeof(m));
			dom->uid_map[dom->n_uid_map++] = m;
		} else {
			dom->gid_map = xreallocarray(dom->gid_map, dom->n_gid_map + 1, sizeof(m));
			dom->gid_map[dom->n_gid_map++] = m;
		}
	}
}

/* A memory figure in KiB, or DOM_UNSET for "-1" (no limit). */
static int mem_kib(struct conf *c, const char *key, uint64_t *out)
{
	struct entry *e = get(c, key, NULL);
	uint64_t bytes;

	*out = DOM_UNSET;
	if (e == NULL || strcmp(e->val, "-1") == 0)
		return 0;
	if (parse_size(c, e->line, key, e->val, &bytes) < 0)
		return -1;
	*out = bytes / 1024;
	return 0;
}

static void conv_memtune(struct conf *c, struct domain *dom)
{
	uint64_t v;

	if (mem_kib(c, "lxc.cgroup.memory.limit_in_bytes", &v) == 0 && v != DOM_UNSET) {
		dom->memory_kib = v;
		dom->current_memory_kib = v;
		dom->hard_limit_kib = v;
	}
	if (mem_kib(c, "lxc.cgroup.memory.soft_limit_in_bytes", &v) == 0)
		dom->soft_limit_kib = v;
	if (mem_kib(c, "lxc.cgroup.memory.memsw.limit_in_bytes", &v) == 0)
		dom->swap_hard_limit_kib = v;
}

static void conv_cputune(struct conf *c, struct domain *dom)
{
	struct entry *e;
	uint64_t v;
	int64_t q;

	if ((e = get(c, "lxc.cgroup.cpu.shares", NULL)) != NULL && parse_u64(c, e, &v) == 0)
		dom->cpu_shares = v;
	if ((e = get(c, "lxc.cgroup.cpu.cfs_quota_us", NULL)) != NULL) {
		if (unit_parse_i64(e->val, &q) == UNIT_OK) {
			dom->cpu_quota = q;
			dom->has_cpu_quota = true;
		} else {
			c_error(c, e->line, "%s: '%s' is not a number; expected microseconds or -1",
				e->key, e->val);
		}
	}
	if ((e = get(c, "lxc.cgroup.cpu.cfs_period_us", NULL)) != NULL && parse_u64(c, e, &v) == 0)
		dom->cpu_period = v;
}

static void conv_cpuset(struct conf *c, struct domain *dom)
{
	struct entry *e;

	if ((e = get(c, "lxc.cgroup.cpuset.cpus", NULL)) != NULL &&
	    (dom->cpuset = cpulist_canonical(c, e)) != NULL) {
		free(dom->vcpu_placement);
		dom->vcpu_placement = xstrdup("static");
	}
	if ((e = get(c, "lxc.cgroup.cpuset.mems", NULL)) != NULL &&
	    (dom->numa_nodeset = cpulist_canonical(c, e)) != NULL)
		dom->numa_mode = xstrdup("strict");
}

static struct dom_blkio_device *blkio_device(struct domain *dom, const char *path)
{
	for (size_t i = 0; i < dom->n_blkio_devices; i++)
		if (strcmp(dom->blkio_devices[i].path, path) == 0)
			return &dom->blkio_devices[i];
	dom->blkio_devices = xreallocarray(dom->blkio_devices, dom->n_blkio_devices + 1,
					   sizeof(*dom->blkio_devices));
	struct dom_blkio_device *d = &dom->blkio_devices[dom->n_blkio_devices++];
	*d = (struct dom_blkio_device){ xstrdup(path), DOM_UNSET, DOM_UNSET, DOM_UNSET, DOM_UNSET,
					DOM_UNSET };
	return d;
}

static void conv_blkio(struct conf *c, struct domain *dom)
{
	static const struct {
		const char *key;
		size_t off;
	} per_dev[] = {
		{ "lxc.cgroup.blkio.device_weight", offsetof(struct dom_blkio_device, weight) },
		{ "lxc.cgroup.blkio.throttle.read_bps_device",
		  offsetof(struct dom_blkio_device, read_bytes) },
		{ "lxc.cgroup.blkio.throttle.write_bps_device",
		  offsetof(struct dom_blkio_device, write_bytes) },
		{ "lxc.cgroup.blkio.throttle.read_iops_device",
		  offsetof(struct dom_blkio_device, read_iops) },
		{ "lxc.cgroup.blkio.throttle.write_iops_device",
		  offsetof(struct dom_blkio_device, write_iops) },
	};
	struct entry *e = get(c, "lxc.cgroup.blkio.weight", NULL);
	uint64_t v;

	if (e != NULL && parse_u64(c, e, &v) == 0)
		dom->blkio_weight = v;
	for (size_t i = 0; i < c->n; i++) {
		e = &c->v[i];
		for (size_t k = 0; k < sizeof(per_dev) / sizeof(per_dev[0]); k++) {
			size_t n;
			char **f;

			if (strcmp(e->key, per_dev[k].key) != 0)
				continue;
			e->used = true;
			f = split_ws(e->val, &n);
			if (n != 2 || unit_parse_u64(f[1], &v) != UNIT_OK) {
				c_error(c, e->line, "%s: '%s' is not valid; expected MAJOR:MINOR VALUE",
					e->key, e->val);
			} else {
				_cleanup_free_ char *path = xasprintf("/dev/block/%s", f[0]);
				struct dom_blkio_device *d = blkio_device(dom, path);
				*(uint64_t *)((char *)d + per_dev[k].off) = v;
			}
			strv_free(f, n);
		}
	}
}

/* LXC adds up every lxc.cap.drop line; each capability libvirt names is
 * turned off, in libvirt's order. */
static void conv_caps(struct conf *c, struct domain *dom)
{
	bool off[DOM_CAP_N] = { false };

	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];
		size_t n;
		char **f;

		if (strcmp(e->key, "lxc.cap.drop") != 0)
			continue;
		e->used = true;
		f = split_ws(e->val, &n);
		for (size_t k = 0; k < n; k++) {
			int idx = dom_cap_index(f[k]);
			if (idx >= 0)
				off[idx] = true;
			else
				c_warn(c, e->line, "lxc.cap.drop: '%s' is not a capability libvirt names; not converted",
				       f[k]);
		}
		strv_free(f, n);
	}
	dom->has_capabilities = true;
	dom->cap_policy = DOM_CAP_ALLOW;
	for (int i = 0; i < DOM_CAP_N; i++) {
		if (!off[i])
			continue;
		dom->caps = xreallocarray(dom->caps, dom->n_caps + 1, sizeof(*dom->caps));
		dom->caps[dom->n_caps++] = (struct dom_cap){ xstrdup(dom_cap_names[i]), DOM_CAPST_OFF };
	}
}

static void warn_unused(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		bool seen = false;

		if (c->v[i].used)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !c->v[j].used && strcmp(c->v[j].key, c->v[i].key) == 0;
		if (!seen)
			c_warn(c, c->v[i].line, "%s: not converted", c->v[i].key);
	}
}

static struct domain *convert(struct conf *c)
{
	struct domain *dom = dom_new();
	struct error err = ERROR_INIT;

	dom->memory_kib = LXC_DEFAULT_MEMORY_KIB;
	dom->current_memory_kib = LXC_DEFAULT_MEMORY_KIB;
	dom->vcpus = 1;
	dom->vcpu_placement = xstrdup("static");
	dom->os_type = xstrdup("exe");
	dom->init = xstrdup("/sbin/init");
	dom->clock_offset = xstrdup("utc");
	if (uuid_generate(dom->uuid, &err) < 0) {
		c_error(c, 0, "%s", err_msg(&err));
		err_clear(&err);
	}
	conv_arch(c, dom);
	conv_name(c, dom);
	conv_rootfs(c, dom);
	conv_mounts(c, dom);
	conv_network(c, dom);
	conv_consoles(c, dom);
	conv_idmap(c, dom);
	conv_memtune(c, dom);
	conv_cputune(c, dom);
	conv_cpuset(c, dom);
	conv_blkio(c, dom);
	conv_caps(c, dom);
	warn_unused(c);
	return dom;
}

int lxcconf_parse_buffer(const char *buf, size_t len, const char *filename, struct domain **out,
			 struct diags *d)
{
	struct conf c = { .file = filename, .d = d };
	_cleanup_domain_ struct domain *dom = NULL;
	_cleanup_free_ char *xml = NULL, *label = NULL;
	int rc = -1;

	*out = NULL;
	if (len > LXCCONF_MAX) {
		diag_add(d, DIAG_ERROR, filename, 0, "the configuration is larger than %u bytes",
			 LXCCONF_MAX);
		return -1;
	}
	read_lines(&c, buf, len);
	dom = convert(&c);
	if (!c.failed) {
		/* The result goes through the XML parser, so that what is
		 * returned is exactly what `define` would accept and keep. */
		xml = dom_format(dom);
		label = xasprintf("%s (converted)", filename);
		rc = dom_parse_buffer(xml, strlen(xml), label, out, d);
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].key);
		free(c.v[i].val);
	}
	free(c.v);
	return rc;
}

int lxcconf_parse_file(const char *path, struct domain **out, struct diags *d)
{
	struct error err = ERROR_INIT;
	_cleanup_free_ char *buf = NULL;
	size_t len;

	*out = NULL;
	if (file_read_all(path, LXCCONF_MAX, &buf, &len, &err) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "%s", err_msg(&err));
		err_clear(&err);
		return -1;
	}
	return lxcconf_parse_buffer(buf, len, path, out, d);
}
