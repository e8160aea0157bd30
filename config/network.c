/* Network definitions as libvirt network XML: parsing with checks, writing,
 * and the store of definition files. The model itself is network-model.c. */
#include "config/network.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "config/names.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* ---- parsing ---- */

struct pctx {
	const char *file;
	struct diags *d;
};

static int line_of(xmlNode *n)
{
	long l = xmlGetLineNo(n);
	return l > 0 && l < INT_MAX ? (int)l : 0;
}

#define perr(pc, node, ...) diag_add((pc)->d, DIAG_ERROR, (pc)->file, line_of(node), __VA_ARGS__)
#define pwarn(pc, node, ...) diag_add((pc)->d, DIAG_WARNING, (pc)->file, line_of(node), __VA_ARGS__)

static bool is_el(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Attribute value, or NULL; the caller frees. */
static char *attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* Element text with surrounding white space removed; the caller frees. */
static char *text(xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *s = v != NULL ? (const char *)v : "";
	size_t len;
	char *out;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	out = xstrndup(s, len);
	xmlFree(v);
	return out;
}

/* 32 hex digits, dashes allowed between byte pairs as in the canonical
 * 8-4-4-4-12 form. */
static bool parse_uuid(const char *s, uint8_t out[NET_UUID_LEN])
{
	size_t n = 0;

	while (*s != '\0') {
		int hi, lo;
		if (*s == '-') {
			s++;
			continue;
		}
		if (n == NET_UUID_LEN || (hi = name_hex_digit(s[0])) < 0 || s[1] == '\0' ||
		    (lo = name_hex_digit(s[1])) < 0)
			return false;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n == NET_UUID_LEN;
}

static bool parse_uint(const char *s, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

static bool ifname_valid(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > NET_IFNAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) || !isprint((unsigned char)*s))
			return false;
	return true;
}

static uint32_t mask_of(int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/* A netmask is a prefix only when its ones are contiguous. */
static int netmask_prefix(struct in_addr m)
{
	uint32_t v = ntohl(m.s_addr);
	int p = 0;

	while (p < 32 && (v & (0x80000000u >> p)))
		p++;
	return mask_of(p) == v ? p : -1;
}

static void fmt4(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void parse_range(struct pctx *pc, xmlNode *rn, struct net_ip *ip)
{
	_cleanup_free_ char *start = attr(rn, "start");
	_cleanup_free_ char *end = attr(rn, "end");
	struct net_range r = { .line = line_of(rn) };

	if (start == NULL || end == NULL) {
		perr(pc, rn, "<range> needs both start='…' and end='…'");
		return;
	}
	if (inet_pton(AF_INET, start, &r.start) != 1) {
		perr(pc, rn, "<range start='%s'>: not an IPv4 address", start);
		return;
	}
	if (inet_pton(AF_INET, end, &r.end) != 1) {
		perr(pc, rn, "<range end='%s'>: not an IPv4 address", end);
		return;
	}
	ip->ranges = xreallocarray(ip->ranges, ip->n_ranges + 1, sizeof(*ip->ranges));
	ip->ranges[ip->n_ranges++] = r;
}

static void parse_ip(struct pctx *pc, xmlNode *n, struct network *net)
{
	_cleanup_free_ char *family = attr(n, "family");
	_cleanup_free_ char *address = attr(n, "address");
	_cleanup_free_ char *netmask = attr(n, "netmask");
	_cleanup_free_ char *prefix = attr(n, "prefix");
	struct net_ip ip = { .prefix = -1, .line = line_of(n) };
	long v;

	if (address == NULL) {
		perr(pc, n, "<ip> needs address='…'");
		return;
	}
	if (family != NULL && strcmp(family, "ipv4") != 0 && strcmp(family, "ipv6") != 0) {
		perr(pc, n, "<ip family='%s'>: expected 'ipv4' or 'ipv6'", family);
		return;
	}
	if (inet_pton(AF_INET, address, &ip.addr.v4) == 1)
		ip.family = AF_INET;
	else if (inet_pton(AF_INET6, address, &ip.addr.v6) == 1)
		ip.family = AF_INET6;
	else {
		perr(pc, n, "<ip address='%s'>: not an IP address", address);
		return;
	}
	if (family != NULL && (strcmp(family, "ipv6") == 0) != (ip.family == AF_INET6)) {
		perr(pc, n, "<ip address='%s'> does not match family='%s'", address, family);
		return;
	}
	if (netmask != NULL && prefix != NULL) {
		perr(pc, n, "<ip> takes netmask='…' or prefix='…', not both");
		return;
	}
	if (netmask != NULL) {
		struct in_addr m;
		if (ip.family != AF_INET) {
			perr(pc, n, "<ip netmask='%s'>: netmask is for IPv4; use prefix='…'", netmask);
			return;
		}
		if (inet_pton(AF_INET, netmask, &m) != 1 || (ip.prefix = netmask_prefix(m)) < 0) {
			perr(pc, n, "<ip netmask='%s'>: not a netmask (e.g. 255.255.255.0)", netmask);
			return;
		}
		ip.netmask_form = true;
	} else if (prefix != NULL) {
		int max = ip.family == AF_INET ? 32 : 128;
		if (!parse_uint(prefix, max, &v)) {
			perr(pc, n, "<ip prefix='%s'>: expected a number from 0 to %d", prefix, max);
			return;
		}
		ip.prefix = (int)v;
	} else {
		perr(pc, n, "<ip address='%s'> needs netmask='…' or prefix='…'", address);
		return;
	}

	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(c, "dhcp")) {
			pwarn(pc, c, "<ip>: <%s> is not supported and was ignored", c->name);
			continue;
		}
		if (ip.family != AF_INET) {
			perr(pc, c, "<dhcp> is supported for IPv4 only");
			continue;
		}
		for (xmlNode *r = c->children; r != NULL; r = r->next) {
			if (is_el(r, "range"))
				parse_range(pc, r, &ip);
			else if (r->type == XML_ELEMENT_NODE)
				pwarn(pc, r, "<dhcp>: <%s> is not supported and was ignored", r->name);
		}
	}
	net->ips = xreallocarray(net->ips, net->n_ips + 1, sizeof(*net->ips));
	net->ips[net->n_ips++] = ip;
}

static void parse_bridge(struct pctx *pc, xmlNode *n, struct network *net)
{
	_cleanup_free_ char *name = attr(n, "name");
	_cleanup_free_ char *stp = attr(n, "stp");
	_cleanup_free_ char *delay = attr(n, "delay");
	long v;

	if (name == NULL) {
		perr(pc, n, "<bridge> needs name='…'");
	} else if (!ifname_valid(name)) {
		perr(pc, n, "<bridge name='%s'>: not an interface name (1 to %d characters, no '/', ':' "
			    "or spaces)", name, NET_IFNAME_MAX);
	} else {
		free(net->bridge);
		net->bridge = move_ptr(name);
	}
	if (stp != NULL) {
		if (strcmp(stp, "on") == 0)
			net->stp = 1;
		else if (strcmp(stp, "off") == 0)
			net->stp = 0;
		else
			perr(pc, n, "<bridge stp='%s'>: expected 'on' or 'off'", stp);
	}
	if (delay != NULL) {
		if (parse_uint(delay, 30, &v))
			net->delay = (int)v;
		else
			perr(pc, n, "<bridge delay='%s'>: expected seconds from 0 to 30", delay);
	}
}

static void parse_forward(struct pctx *pc, xmlNode *n, struct network *net)
{
	_cleanup_free_ char *mode = attr(n, "mode");

	/* libvirt reads a bare <forward/> as NAT. */
	if (mode == NULL || strcmp(mode, "nat") == 0)
		net->forward = NET_FWD_NAT;
	else if (strcmp(mode, "route") == 0)
		net->forward = NET_FWD_ROUTE;
	else if (strcmp(mode, "open") == 0)
		net->forward = NET_FWD_OPEN;
	else
		perr(pc, n, "<forward mode='%s'>: expected 'nat', 'route' or 'open' (or no <forward> "
			    "for an isolated network)", mode);
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			pwarn(pc, c, "<forward>: <%s> is not supported and was ignored", c->name);
}

static bool in_subnet(struct in_addr a, const struct net_ip *ip)
{
	uint32_t m = mask_of(ip->prefix);
	return (ntohl(a.s_addr) & m) == (ntohl(ip->addr.v4.s_addr) & m);
}

/* Checks that need the whole <ip>: where the address sits in its subnet and
 * whether each range can be leased from. */
static void check_ip4(struct pctx *pc, xmlNode *node, const struct net_ip *ip)
{
	uint32_t a = ntohl(ip->addr.v4.s_addr), m = mask_of(ip->prefix);
	char buf[INET_ADDRSTRLEN], b2[INET_ADDRSTRLEN];

	fmt4(ip->addr.v4, buf);
	if (ip->prefix < 31 && ((a & ~m) == 0 || (a & ~m) == ~m))
		perr(pc, node, "<ip address='%s'>: the network or broadcast address of /%d cannot be "
			       "the bridge's address", buf, ip->prefix);
	for (size_t i = 0; i < ip->n_ranges; i++) {
		const struct net_range *r = &ip->ranges[i];
		uint32_t s = ntohl(r->start.s_addr), e = ntohl(r->end.s_addr);

		fmt4(r->start, buf);
		fmt4(r->end, b2);
		if (!in_subnet(r->start, ip) || !in_subnet(r->end, ip)) {
			diag_add(pc->d, DIAG_ERROR, pc->file, r->line,
				 "<range start='%s' end='%s'>: outside the network's /%d subnet", buf, b2,
				 ip->prefix);
			continue;
		}
		if (s > e) {
			diag_add(pc->d, DIAG_ERROR, pc->file, r->line,
				 "<range start='%s' end='%s'>: start is after end", buf, b2);
			continue;
		}
		if (ip->prefix < 31 && ((s & ~m) == 0 || (e & ~m) == ~m))
			diag_add(pc->d, DIAG_ERROR, pc->file, r->line,
				 "<range start='%s' end='%s'>: holds the network or broadcast address",
				 buf, b2);
		if (a >= s && a <= e) {
			fmt4(ip->addr.v4, buf);
			diag_add(pc->d, DIAG_ERROR, pc->file, r->line,
				 "<range>: holds the network's own address %s; start the range after it",
				 buf);
		}
		for (size_t j = 0; j < i; j++) {
			uint32_t s2 = ntohl(ip->ranges[j].start.s_addr);
			uint32_t e2 = ntohl(ip->ranges[j].end.s_addr);
			if (s <= e2 && s2 <= e)
				diag_add(pc->d, DIAG_ERROR, pc->file, r->line,
					 "<range>: overlaps the range on line %d", ip->ranges[j].line);
		}
	}
}

static void parse_network(struct pctx *pc, xmlNode *root, struct network *net)
{
	xmlNode *seen_name = NULL, *seen_uuid = NULL, *seen_bridge = NULL, *seen_fwd = NULL;
	xmlNode *seen_mac = NULL, *dhcp_ip = NULL;

	for (xmlNode *c = root->children; c != NULL; c = c->next) {
		xmlNode **once = NULL;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(c, "name"))
			once = &seen_name;
		else if (is_el(c, "uuid"))
			once = &seen_uuid;
		else if (is_el(c, "bridge"))
			once = &seen_bridge;
		else if (is_el(c, "forward"))
			once = &seen_fwd;
		else if (is_el(c, "mac"))
			once = &seen_mac;
		if (once != NULL) {
			if (*once != NULL) {
				perr(pc, c, "<%s> given twice (first on line %d)", c->name, line_of(*once));
				continue;
			}
			*once = c;
		}

		if (is_el(c, "name")) {
			char *s = text(c);
			if (!net_name_valid(s))
				perr(pc, c, "<name>'%s'</name>: a name must be 1 to %d bytes, without '/' or "
					    "newline, not starting with '.'", s, NET_NAME_MAX);
			net->name = s;
		} else if (is_el(c, "uuid")) {
			_cleanup_free_ char *s = text(c);
			if (!parse_uuid(s, net->uuid))
				perr(pc, c, "<uuid>%s</uuid>: expected 32 hex digits as "
					    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", s);
			else
				net->has_uuid = true;
		} else if (is_el(c, "bridge")) {
			parse_bridge(pc, c, net);
		} else if (is_el(c, "forward")) {
			parse_forward(pc, c, net);
		} else if (is_el(c, "mac")) {
			_cleanup_free_ char *s = attr(c, "address");
			if (s == NULL || name_mac_parse(s, net->mac) < 0)
				perr(pc, c, "<mac address='%s'>: expected six hex pairs as 52:54:00:12:34:56",
				     s ? s : "");
			else if (net->mac[0] & 1)
				perr(pc, c, "<mac address='%s'>: a multicast address cannot be a bridge's",
				     s);
			else
				net->has_mac = true;
		} else if (is_el(c, "ip")) {
			size_t before = net->n_ips;
			parse_ip(pc, c, net);
			if (net->n_ips > before && net->ips[before].family == AF_INET) {
				check_ip4(pc, c, &net->ips[before]);
				if (net->ips[before].n_ranges > 0) {
					if (dhcp_ip != NULL)
						perr(pc, c, "only one IPv4 <ip> may have a <dhcp> range "
							    "(the first is on line %d)", line_of(dhcp_ip));
					dhcp_ip = c;
				}
			}
		} else {
			pwarn(pc, c, "<%s> is not supported and was ignored", c->name);
		}
	}
	if (seen_name == NULL)
		perr(pc, root, "<network> needs a <name>");
	if (seen_bridge == NULL)
		perr(pc, root, "<network> needs <bridge name='…'/>: corral creates that bridge when "
			       "the network starts");
}

int net_parse_buffer(const char *buf, size_t len, const char *filename, struct network **out,
		     struct diags *d)
{
	struct pctx pc = { .file = filename != NULL ? filename : "<input>", .d = d };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlNode *root;
	struct network *net;
	size_t errors_before = diag_count(d, DIAG_ERROR);

	*out = NULL;
	if (len > NET_XML_MAX || len > INT_MAX) {
		diag_add(d, DIAG_ERROR, pc.file, 0, "definition is %zu bytes; at most %u are accepted",
			 len, NET_XML_MAX);
		return -1;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		diag_add(d, DIAG_ERROR, pc.file, 0, "out of memory creating the XML parser");
		return -1;
	}
	/* No network access and no entity expansion: definitions come from
	 * clients too. */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, pc.file, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		_cleanup_free_ char *msg = xstrdup(e && e->message ? e->message : "not well-formed XML");
		size_t l = strlen(msg);
		while (l > 0 && msg[l - 1] == '\n')
			msg[--l] = '\0';
		diag_add(d, DIAG_ERROR, pc.file, e ? e->line : 0, "XML: %s", msg);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	xmlFreeParserCtxt(ctxt);
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_el(root, "network")) {
		diag_add(d, DIAG_ERROR, pc.file, root ? line_of(root) : 0,
			 "expected a <network> definition, found <%s>",
			 root ? (const char *)root->name : "nothing");
		xmlFreeDoc(doc);
		return -1;
	}
	net = net_new();
	parse_network(&pc, root, net);
	xmlFreeDoc(doc);
	if (diag_count(d, DIAG_ERROR) > errors_before) {
		net_free(net);
		return -1;
	}
	*out = net;
	return 0;
}

int net_parse_file(const char *path, struct network **out, struct diags *d)
{
	struct error err = ERROR_INIT;
	_cleanup_free_ char *buf = NULL;
	size_t len;

	*out = NULL;
	if (file_read_all(path, NET_XML_MAX, &buf, &len, &err) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "%s", err_msg(&err));
		err_clear(&err);
		return -1;
	}
	return net_parse_buffer(buf, len, path, out, d);
}

/* ---- writing ---- */

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void put_ip(FILE *f, const struct net_ip *ip)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ip->family, &ip->addr, a, sizeof(a));
	fprintf(f, "  <ip");
	if (ip->family == AF_INET6)
		fprintf(f, " family='ipv6'");
	fprintf(f, " address='%s'", a);
	if (ip->netmask_form) {
		struct in_addr m = { htonl(mask_of(ip->prefix)) };
		char mb[INET_ADDRSTRLEN];
		fmt4(m, mb);
		fprintf(f, " netmask='%s'", mb);
	} else {
		fprintf(f, " prefix='%d'", ip->prefix);
	}
	if (ip->n_ranges == 0) {
		fprintf(f, "/>\n");
		return;
	}
	fprintf(f, ">\n    <dhcp>\n");
	for (size_t i = 0; i < ip->n_ranges; i++) {
		char s[INET_ADDRSTRLEN], e[INET_ADDRSTRLEN];
		fmt4(ip->ranges[i].start, s);
		fmt4(ip->ranges[i].end, e);
		fprintf(f, "      <range start='%s' end='%s'/>\n", s, e);
	}
	fprintf(f, "    </dhcp>\n  </ip>\n");
}

char *net_format(const struct network *net)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	fprintf(f, "<network>\n  <name>");
	put_escaped(f, net->name != NULL ? net->name : "");
	fprintf(f, "</name>\n");
	if (net->has_uuid) {
		const uint8_t *u = net->uuid;
		fprintf(f,
			"  <uuid>%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			"%02x%02x%02x%02x%02x%02x</uuid>\n",
			u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
			u[13], u[14], u[15]);
	}
	if (net->forward != NET_FWD_NONE)
		fprintf(f, "  <forward mode='%s'/>\n", net_forward_name(net->forward));
	if (net->bridge != NULL) {
		fprintf(f, "  <bridge name='");
		put_escaped(f, net->bridge);
		fprintf(f, "'");
		if (net->stp >= 0)
			fprintf(f, " stp='%s'", net->stp ? "on" : "off");
		if (net->delay >= 0)
			fprintf(f, " delay='%d'", net->delay);
		fprintf(f, "/>\n");
	}
	if (net->has_mac)
		fprintf(f, "  <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n", net->mac[0],
			net->mac[1], net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
	for (size_t i = 0; i < net->n_ips; i++)
		put_ip(f, &net->ips[i]);
	fprintf(f, "</network>\n");
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* ---- store ---- */

static int check_store_name(const char *name, struct error *err)
{
	if (!net_name_valid(name))
		return err_set(err, EINVAL, "'%s' is not a valid network name", name ? name : "");
	return 0;
}

int net_load(const char *dir, const char *name, struct network **out, struct diags *d,
	     struct error *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *msg = NULL;

	*out = NULL;
	if (check_store_name(name, err) < 0)
		return -1;
	path = xasprintf("%s/%s.xml", dir, name);
	if (access(path, F_OK) < 0)
		return err_sys(err, "network definition '%s'", path);
	if (net_parse_file(path, out, d) < 0) {
		msg = diag_format_all(d);
		return err_set(err, EINVAL, "%s", msg ? msg : "invalid network definition");
	}
	if (strcmp((*out)->name, name) != 0) {
		err_set(err, EINVAL, "%s: holds network '%s', expected '%s'", path, (*out)->name, name);
		net_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int net_save(const char *dir, const struct network *net, struct error *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *xml = NULL;

	if (check_store_name(net->name, err) < 0)
		return -1;
	if (file_mkdir_p(dir, 0755, err) < 0)
		return -1;
	path = xasprintf("%s/%s.xml", dir, net->name);
	xml = net_format(net);
	if (file_write_atomic(path, xml, strlen(xml), 0600, err) < 0)
		return err_prefix(err, "save network '%s'", net->name);
	return 0;
}

int net_delete(const char *dir, const char *name, struct error *err)
{
	_cleanup_free_ char *path = NULL;

	if (check_store_name(name, err) < 0)
		return -1;
	path = xasprintf("%s/%s.xml", dir, name);
	if (unlink(path) < 0)
		return err_sys(err, "delete network '%s'", name);
	return 0;
}
