/* The network model's field tables for the JSON codec, and the file forms. */
#include "config/network-json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "config/json-codec.h"
#include "config/network.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(m, k, ...) { .key = #m, .kind = k, .off = offsetof(S, m), __VA_ARGS__ }
#define ARRAY(m, t) FIELD(m, JC_ARRAY, .count_off = offsetof(S, n_##m), .sub = &t)
#define CUSTOM(m, p, g) FIELD(m, JC_CUSTOM, .put = p, .get = g)
#define TYPE(name, fields) static const struct jc_type name = { fields, N_OF(fields), sizeof(S), NULL }

/* A JSON string read as text; fails naming the field otherwise. */
static const char *string_of(struct jc_reader *r, const json_t *v)
{
	if (!json_is_string(v)) {
		jc_fail(r, NULL, "expected a string");
		return NULL;
	}
	return json_string_value(v);
}

/* A struct in_addr at the field's offset. */
static json_t *put_ipv4(const struct jc_field *f, const void *obj)
{
	char buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, (const char *)obj + f->off, buf, sizeof(buf));
	return json_string(buf);
}

static int get_ipv4(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	const char *s = string_of(r, v);

	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, (char *)obj + f->off) != 1)
		return jc_fail(r, NULL, "'%s' is not an IPv4 address", s);
	return 0;
}

#define S struct net_range
static const struct jc_field range_fields[] = {
	CUSTOM(start, put_ipv4, get_ipv4),
	CUSTOM(end, put_ipv4, get_ipv4),
};
TYPE(range_type, range_fields);
#undef S

#define S struct net_ip
static json_t *put_family(const struct jc_field *f, const void *obj)
{
	return json_string(((const S *)obj)->family == AF_INET6 ? "ipv6" : "ipv4");
}

static int get_family(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	const char *s = string_of(r, v);

	if (s == NULL)
		return -1;
	if (strcmp(s, "ipv4") == 0)
		((S *)obj)->family = AF_INET;
	else if (strcmp(s, "ipv6") == 0)
		((S *)obj)->family = AF_INET6;
	else
		return jc_fail(r, NULL, "'%s' is not one of 'ipv4', 'ipv6'", s);
	return 0;
}

static json_t *put_address(const struct jc_field *f, const void *obj)
{
	const S *ip = obj;
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(ip->family, &ip->addr, buf, sizeof(buf));
	return json_string(buf);
}

/* After family, which the table order guarantees. */
static int get_address(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	S *ip = obj;
	const char *s = string_of(r, v);

	if (s == NULL)
		return -1;
	if (ip->family != AF_INET && ip->family != AF_INET6)
		return jc_fail(r, NULL, "needs a family");
	if (inet_pton(ip->family, s, &ip->addr) != 1)
		return jc_fail(r, NULL, "'%s' is not an %s address", s,
			       ip->family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

static const struct jc_field ip_fields[] = {
	CUSTOM(family, put_family, get_family),
	CUSTOM(addr, put_address, get_address),
	FIELD(prefix, JC_INT),
	FIELD(netmask_form, JC_BOOL),
	ARRAY(ranges, range_type),
};
TYPE(ip_type, ip_fields);
#undef S

#define S struct network
static const struct jc_field network_fields[] = {
	FIELD(name, JC_STR),
	FIELD(has_uuid, JC_BOOL),
	FIELD(uuid, JC_UUID),
	FIELD(bridge, JC_STR),
	FIELD(stp, JC_INT),
	FIELD(delay, JC_INT),
	FIELD(forward, JC_ENUM, .names = net_forward_names, .n_names = NET_FWD_N),
	FIELD(has_mac, JC_BOOL),
	FIELD(mac, JC_MAC),
	ARRAY(ips, ip_type),
};
TYPE(network_type, network_fields);
#undef S

json_t *net_to_json(const struct network *net)
{
	return jc_put(&network_type, net);
}

/* What the bridge and the leases are made from must be whole. */
static int check(const struct network *net, struct error *err)
{
	if (!net_name_valid(net->name))
		return err_set(err, EINVAL, "name: missing or not a network name");
	if (net->bridge == NULL)
		return err_set(err, EINVAL, "bridge: missing");
	for (size_t i = 0; i < net->n_ips; i++) {
		const struct net_ip *ip = &net->ips[i];
		int max = ip->family == AF_INET6 ? 128 : 32;
		if (ip->family != AF_INET && ip->family != AF_INET6)
			return err_set(err, EINVAL, "ips[%zu]: missing family and addr", i);
		if (ip->prefix < 0 || ip->prefix > max)
			return err_set(err, EINVAL, "ips[%zu].prefix: %d is out of range (0 to %d)", i,
				       ip->prefix, max);
	}
	return 0;
}

int net_from_json(const json_t *v, struct network **out, struct error *err)
{
	_cleanup_network_ struct network *net = net_new();

	*out = NULL;
	if (jc_get(&network_type, v, net, err) < 0 || check(net, err) < 0)
		return -1;
	*out = move_ptr(net);
	return 0;
}

int net_json_load(const char *path, struct network **out, struct error *err)
{
	_cleanup_free_ char *buf = NULL;
	json_error_t jerr;
	json_t *v;
	size_t len;
	int rc;

	*out = NULL;
	if (file_read_all(path, NET_JSON_MAX, &buf, &len, err) < 0)
		return -1;
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL)
		return err_set(err, EINVAL, "'%s' line %d: %s", path, jerr.line, jerr.text);
	rc = net_from_json(v, out, err);
	json_decref(v);
	if (rc < 0)
		return err_prefix(err, "'%s'", path);
	return 0;
}

int net_json_save(const char *path, const struct network *net, struct error *err)
{
	json_t *v = net_to_json(net);
	_cleanup_free_ char *text = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (text == NULL)
		return err_set(err, ENOMEM, "'%s': out of memory writing JSON", path);
	return file_write_replace(path, text, strlen(text), 0600, err);
}
