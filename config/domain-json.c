/* The domain model's field tables for the JSON codec, and the file forms. */
#include "config/domain-json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "config/json-codec.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* Each table below describes the struct named S; a key is its member's
 * name. */
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(m, k, ...) { .key = #m, .kind = k, .off = offsetof(S, m), __VA_ARGS__ }
#define ENUM(m, nm) FIELD(m, JC_ENUM, .names = nm, .n_names = N_OF(nm))
#define ARRAY(m, t) FIELD(m, JC_ARRAY, .count_off = offsetof(S, n_##m), .sub = &t)
#define TYPE(name, fields, init_fn)                                                      \
	static const struct jc_type name = { fields, N_OF(fields), sizeof(S), init_fn }

static const char *const ip_family_names[] = {
	[DOM_AF_UNSPEC] = "unspec", [DOM_AF_INET] = "ipv4", [DOM_AF_INET6] = "ipv6",
};
static const char *const cap_state_names[] = {
	[DOM_CAPST_UNSET] = "unset", [DOM_CAPST_ON] = "on", [DOM_CAPST_OFF] = "off",
};
/* All DOM_OPT_* bits. */
#define DOM_OPT_ALL 0xffu

#define S struct dom_ip
static void ip_init(void *p)
{
	((S *)p)->prefix = -1;
}
static const struct jc_field ip_fields[] = {
	ENUM(family, ip_family_names), FIELD(address, JC_STR), FIELD(prefix, JC_INT),
	FIELD(peer, JC_STR),
};
TYPE(ip_type, ip_fields, ip_init);
#undef S

#define S struct dom_route
static void route_init(void *p)
{
	((S *)p)->prefix = -1;
}
static const struct jc_field route_fields[] = {
	ENUM(family, ip_family_names), FIELD(address, JC_STR), FIELD(prefix, JC_INT),
	FIELD(gateway, JC_STR),
};
TYPE(route_type, route_fields, route_init);
#undef S

#define S struct dom_ipcfg
static const struct jc_field ipcfg_fields[] = { ARRAY(ips, ip_type), ARRAY(routes, route_type) };
TYPE(ipcfg_type, ipcfg_fields, NULL);
#undef S

#define S struct dom_filesystem
static const struct jc_field fs_fields[] = {
	ENUM(type, dom_fs_type_names),
	ENUM(accessmode, dom_fs_access_names),
	FIELD(driver_type, JC_STR),
	FIELD(driver_format, JC_STR),
	FIELD(source, JC_STR),
	FIELD(usage_kib, JC_U64),
	FIELD(target, JC_STR),
	FIELD(readonly, JC_BOOL),
};
TYPE(fs_type, fs_fields, NULL);
#undef S

#define S struct dom_interface
static const struct jc_field iface_fields[] = {
	ENUM(type, dom_iface_type_names),
	FIELD(has_mac, JC_BOOL),
	FIELD(mac, JC_MAC),
	FIELD(source, JC_STR),
	FIELD(source_mode, JC_STR),
	FIELD(host, JC_OBJ, .sub = &ipcfg_type),
	FIELD(guest, JC_OBJ, .sub = &ipcfg_type),
	FIELD(target_dev, JC_STR),
	FIELD(guest_dev, JC_STR),
	FIELD(link_state, JC_STR),
};
TYPE(iface_type, iface_fields, NULL);
#undef S

#define S struct dom_console
static void console_init(void *p)
{
	((S *)p)->port = -1;
}
static const struct jc_field console_fields[] = {
	FIELD(type, JC_STR), FIELD(target_type, JC_STR), FIELD(port, JC_INT),
};
TYPE(console_type, console_fields, console_init);
#undef S

#define S struct dom_hostdev
static const struct jc_field hostdev_fields[] = {
	ENUM(type, dom_hostdev_type_names), FIELD(source, JC_STR),
	FIELD(ipcfg, JC_OBJ, .sub = &ipcfg_type),
};
TYPE(hostdev_type, hostdev_fields, NULL);
#undef S

#define S struct dom_idmap
static const struct jc_field idmap_fields[] = {
	FIELD(start, JC_U32), FIELD(target, JC_U32), FIELD(count, JC_U32),
};
TYPE(idmap_type, idmap_fields, NULL);
#undef S

#define S struct dom_cap
static const struct jc_field cap_fields[] = { FIELD(name, JC_STR), ENUM(state, cap_state_names) };
TYPE(cap_type, cap_fields, NULL);
#undef S

#define S struct dom_blkio_device
static void blkio_init(void *p)
{
	S *d = p;

	d->weight = d->read_iops = d->write_iops = d->read_bytes = d->write_bytes = DOM_UNSET;
}
static const struct jc_field blkio_fields[] = {
	FIELD(path, JC_STR),	   FIELD(weight, JC_U64),     FIELD(read_iops, JC_U64),
	FIELD(write_iops, JC_U64), FIELD(read_bytes, JC_U64), FIELD(write_bytes, JC_U64),
};
TYPE(blkio_type, blkio_fields, blkio_init);
#undef S

#define S struct dom_ns_share
static const struct jc_field ns_share_fields[] = { FIELD(type, JC_STR), FIELD(value, JC_STR) };
TYPE(ns_share_type, ns_share_fields, NULL);
#undef S

#define S struct dom_seclabel
static const struct jc_field seclabel_fields[] = {
	FIELD(present, JC_BOOL),   ENUM(type, dom_seclabel_type_names),
	FIELD(model, JC_STR),      FIELD(relabel, JC_INT),
	FIELD(label, JC_STR),      FIELD(imagelabel, JC_STR),
	FIELD(baselabel, JC_STR),
};
TYPE(seclabel_type, seclabel_fields, NULL);
#undef S

#define S struct dom_corral
static const struct jc_field corral_fields[] = {
	FIELD(pids_max, JC_U64),
	FIELD(shutdown_signal, JC_INT),
	FIELD(reboot_signal, JC_INT),
	FIELD(optional, JC_U32),
};
TYPE(corral_type, corral_fields, NULL);
#undef S

/* <initenv> is two parallel arrays in the model, one list of pairs here. */
static json_t *put_initenv(const struct jc_field *f, const void *obj)
{
	const struct domain *dom = obj;
	json_t *a;

	if (dom->n_initenv == 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < dom->n_initenv; i++)
		if (a == NULL || json_array_append_new(a, json_pack("{s:s?, s:s?}", "name",
								    dom->initenv_names[i], "value",
								    dom->initenv_values[i])) < 0)
			abort();
	return a;
}

static int get_initenv(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	struct domain *dom = obj;
	size_t n;

	if (!json_is_array(v))
		return jc_fail(r, NULL, "expected an array of {\"name\", \"value\"}");
	n = json_array_size(v);
	if (n == 0)
		return 0;
	dom->initenv_names = xcalloc(n, sizeof(char *));
	dom->initenv_values = xcalloc(n, sizeof(char *));
	dom->n_initenv = n;
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(v, i);
		const char *name, *value;
		char sub[32];

		snprintf(sub, sizeof(sub), "[%zu]", i);
		if (json_unpack((json_t *)e, "{s:s, s:s !}", "name", &name, "value", &value) < 0)
			return jc_fail(r, sub, "expected {\"name\": string, \"value\": string}");
		dom->initenv_names[i] = xstrdup(name);
		dom->initenv_values[i] = xstrdup(value);
	}
	return 0;
}

#define S struct domain
static const struct jc_field domain_fields[] = {
	FIELD(name, JC_STR),
	FIELD(uuid, JC_UUID),
	FIELD(title, JC_STR),
	FIELD(description, JC_STR),
	FIELD(memory_kib, JC_U64),
	FIELD(current_memory_kib, JC_U64),
	FIELD(hard_limit_kib, JC_U64),
	FIELD(soft_limit_kib, JC_U64),
	FIELD(swap_hard_limit_kib, JC_U64),
	FIELD(vcpus, JC_U32),
	FIELD(vcpu_placement, JC_STR),
	FIELD(cpuset, JC_STR),
	FIELD(cpu_shares, JC_U64),
	FIELD(cpu_period, JC_U64),
	FIELD(cpu_quota, JC_I64),
	FIELD(has_cpu_quota, JC_BOOL),
	FIELD(blkio_weight, JC_U64),
	ARRAY(blkio_devices, blkio_type),
	FIELD(numa_mode, JC_STR),
	FIELD(numa_nodeset, JC_STR),
	FIELD(resource_partition, JC_STR),
	FIELD(os_type, JC_STR),
	FIELD(os_arch, JC_STR),
	FIELD(init, JC_STR),
	FIELD(initargs, JC_STRV, .count_off = offsetof(S, n_initargs)),
	{ .key = "initenv", .kind = JC_CUSTOM, .put = put_initenv, .get = get_initenv },
	FIELD(initdir, JC_STR),
	FIELD(inituser, JC_STR),
	FIELD(initgroup, JC_STR),
	ARRAY(uid_map, idmap_type),
	ARRAY(gid_map, idmap_type),
	FIELD(privnet, JC_BOOL),
	FIELD(has_capabilities, JC_BOOL),
	ENUM(cap_policy, dom_cap_policy_names),
	ARRAY(caps, cap_type),
	FIELD(clock_offset, JC_STR),
	ENUM(on_poweroff, dom_lifecycle_names),
	ENUM(on_reboot, dom_lifecycle_names),
	ENUM(on_crash, dom_lifecycle_names),
	FIELD(emulator, JC_STR),
	ARRAY(filesystems, fs_type),
	ARRAY(interfaces, iface_type),
	ARRAY(consoles, console_type),
	ARRAY(hostdevs, hostdev_type),
	FIELD(seclabel, JC_OBJ, .sub = &seclabel_type),
	FIELD(ns_share, JC_NAMED, .names = dom_ns_share_names, .n_names = DOM_NS_SHARE_N,
	      .sub = &ns_share_type),
	FIELD(corral, JC_OBJ, .sub = &corral_type),
	FIELD(metadata_xml, JC_STR),
};
TYPE(domain_type, domain_fields, NULL);
#undef S

json_t *dom_to_json(const struct domain *dom)
{
	return jc_put(&domain_type, dom);
}

int dom_from_json(const json_t *v, struct domain **out, struct error *err)
{
	_cleanup_domain_ struct domain *dom = dom_new();

	*out = NULL;
	if (jc_get(&domain_type, v, dom, err) < 0)
		return -1;
	if (dom->name == NULL)
		return err_set(err, EINVAL, "name: missing");
	if (dom->corral.optional & ~DOM_OPT_ALL)
		return err_set(err, EINVAL, "corral.optional: unknown bits 0x%x",
			       dom->corral.optional & ~DOM_OPT_ALL);
	*out = move_ptr(dom);
	return 0;
}

int dom_json_load(const char *path, struct domain **out, struct error *err)
{
	_cleanup_free_ char *buf = NULL;
	json_error_t jerr;
	json_t *v;
	size_t len;
	int rc;

	*out = NULL;
	if (file_read_all(path, DOM_JSON_MAX, &buf, &len, err) < 0)
		return -1;
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL)
		return err_set(err, EINVAL, "'%s' line %d: %s", path, jerr.line, jerr.text);
	rc = dom_from_json(v, out, err);
	json_decref(v);
	if (rc < 0)
		return err_prefix(err, "'%s'", path);
	return 0;
}

int dom_json_save(const char *path, const struct domain *dom, mode_t mode, struct error *err)
{
	json_t *v = dom_to_json(dom);
	_cleanup_free_ char *text = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (text == NULL)
		return err_set(err, ENOMEM, "'%s': out of memory writing JSON", path);
	return file_write_replace(path, text, strlen(text), mode, err);
}
