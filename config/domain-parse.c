/* Reading libvirt LXC domain XML into the domain model: the document, the
 * top-level settings, and the checks that span several elements. Devices
 * are in domain-parse-devices.c. */
#include "config/domain-xml.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/names.h"
#include "config/parse-ctx.h"
#include "config/uuid.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

#define NONE ((const char *const[]){ NULL })
#define ATTRS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void set_str(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

static void p_name(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);
	const char *why = name_domain_problem(s);

	px_attrs(p, n, "name", "<name>", NONE);
	if (why != NULL && strstr(why, "control") != NULL)
		px_error(p, n, "<name>: the name is not valid: %s; expected 1 to 64 bytes without '/', control characters or a leading '.'",
			 why);
	else if (why != NULL)
		px_error(p, n, "<name>: '%s' is not a valid name: %s; expected 1 to 64 bytes without '/', control characters or a leading '.'",
			 s, why);
	set_str(&dom->name, s);
}

struct parse_state {
	struct domain *dom;
	bool has_uuid;
	xmlNode *os;
	xmlNode *memory;
	xmlNode *first_seclabel;
};

static void p_uuid(struct px *p, xmlNode *n, void *obj)
{
	struct parse_state *st = obj;
	_cleanup_free_ char *s = px_text(n);
	char fix[UUID_STR_LEN];

	px_attrs(p, n, "uuid", "<uuid>", NONE);
	if (uuid_parse(s, st->dom->uuid) == 0) {
		st->has_uuid = true;
		return;
	}
	if (uuid_suggest(s, fix))
		px_error(p, n, "<uuid>: uuid '%s' is not valid; did you mean '%s'?", s, fix);
	else
		px_error(p, n, "<uuid>: uuid '%s' is not valid; expected 32 hex digits as 8-4-4-4-12, for example 1fbbabc1-1775-3429-950f-70c4bee1aa7d",
			 s);
}

static void p_title(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);

	px_attrs(p, n, "title", "<title>", NONE);
	if (strchr(s, '\n') != NULL)
		px_error(p, n, "<title>: the title must be one line; put longer text in <description>");
	set_str(&dom->title, s);
}

static void p_description(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;

	px_attrs(p, n, "description", "<description>", NONE);
	set_str(&dom->description, px_text(n));
}

/* Kept as the serialized children, each on its own line at the depth the
 * writer puts them, so that a round trip reproduces them exactly. */
static void p_metadata(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	xmlBuffer *buf = xmlBufferCreate();
	char *out = NULL;

	px_attrs(p, n, "metadata", "<metadata>", NONE);
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (c->ns != NULL && c->ns->href != NULL &&
		    strcmp((const char *)c->ns->href, DOM_CORRAL_NS) == 0)
			dom_parse_corral_meta(p, c, dom);
		xmlBufferEmpty(buf);
		if (xmlNodeDump(buf, n->doc, c, 0, 0) < 0)
			continue;
		char *joined = xasprintf("%s    %s\n", out != NULL ? out : "",
					 (const char *)xmlBufferContent(buf));
		free(out);
		out = joined;
	}
	xmlBufferFree(buf);
	set_str(&dom->metadata_xml, out);
}

static void p_memory(struct px *p, xmlNode *n, void *obj)
{
	struct parse_state *st = obj;

	st->memory = n;
	dom_parse_mem_value(p, n, "<memory>", &st->dom->memory_kib);
}

static void p_current_memory(struct px *p, xmlNode *n, void *obj)
{
	struct parse_state *st = obj;

	dom_parse_mem_value(p, n, "<currentMemory>", &st->dom->current_memory_kib);
}

static void os_type(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);

	px_attrs(p, n, "os-type", "<os><type>", ATTRS("arch", "machine"));
	if (strcmp(s, "exe") != 0)
		px_error(p, n, "<os><type>: '%s' is not valid for a container; expected <type>exe</type>", s);
	set_str(&dom->os_type, s);
	set_str(&dom->os_arch, px_attr(p, n, "arch", "<os><type>"));
}

static void os_init(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);

	px_attrs(p, n, "init", "<os><init>", NONE);
	px_abs_path(p, n, "<os><init>", s);
	set_str(&dom->init, s);
}

static void os_initarg(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;

	px_attrs(p, n, "initarg", "<os><initarg>", NONE);
	dom->initargs = xreallocarray(dom->initargs, dom->n_initargs + 1, sizeof(char *));
	dom->initargs[dom->n_initargs++] = px_text(n);
}

static void os_initenv(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *name = px_attr(p, n, "name", "<os><initenv>");

	px_attrs(p, n, "initenv", "<os><initenv>", ATTRS("name"));
	if (name == NULL) {
		px_error(p, n, "<os><initenv>: missing name; expected <initenv name='VAR'>value</initenv>");
		return;
	}
	if (!name_env_valid(name))
		px_error(p, n, "<os><initenv name>: '%s' is not a valid variable name; expected letters, digits and '_', not starting with a digit",
			 name);
	dom->initenv_names = xreallocarray(dom->initenv_names, dom->n_initenv + 1, sizeof(char *));
	dom->initenv_values = xreallocarray(dom->initenv_values, dom->n_initenv + 1, sizeof(char *));
	dom->initenv_names[dom->n_initenv] = name;
	dom->initenv_values[dom->n_initenv++] = px_text(n);
}

static void os_initdir(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;
	char *s = px_text(n);

	px_attrs(p, n, "initdir", "<os><initdir>", NONE);
	px_abs_path(p, n, "<os><initdir>", s);
	set_str(&dom->initdir, s);
}

static void os_inituser(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "inituser", "<os><inituser>", NONE);
	set_str(&((struct domain *)obj)->inituser, px_text(n));
}

static void os_initgroup(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "initgroup", "<os><initgroup>", NONE);
	set_str(&((struct domain *)obj)->initgroup, px_text(n));
}

static void p_os(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "type", os_type },	      { "init", os_init },	     { "initarg", os_initarg },
		{ "initenv", os_initenv },     { "initdir", os_initdir },     { "inituser", os_inituser },
		{ "initgroup", os_initgroup }, { NULL, NULL },
	};
	struct parse_state *st = obj;

	st->os = n;
	px_attrs(p, n, "os", "<os>", NONE);
	px_children(p, n, "os", "<os>", tab, st->dom);
}

static void idmap_entry(struct px *p, xmlNode *n, struct dom_idmap **v, size_t *count,
			const char *field)
{
	static const char *const names[] = { "start", "target", "count" };
	uint64_t vals[3];
	bool ok = true;

	px_attrs(p, n, "idmap-entry", field, ATTRS("start", "target", "count"));
	for (int i = 0; i < 3; i++) {
		_cleanup_free_ char *s = px_attr(p, n, names[i], field);
		char f[64];

		snprintf(f, sizeof(f), "%s %s", field, names[i]);
		if (s == NULL) {
			px_error(p, n, "%s: missing %s; expected <%s start='0' target='100000' count='65536'/>",
				 field, names[i], (const char *)n->name);
			ok = false;
		} else if (px_u64(p, n, f, s, i == 2 ? 1 : 0, UINT32_MAX, &vals[i]) < 0) {
			ok = false;
		}
	}
	if (!ok)
		return;
	*v = xreallocarray(*v, *count + 1, sizeof(**v));
	(*v)[*count] = (struct dom_idmap){ (uint32_t)vals[0], (uint32_t)vals[1], (uint32_t)vals[2] };
	(*count)++;
}

static void idmap_uid(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;

	idmap_entry(p, n, &dom->uid_map, &dom->n_uid_map, "<idmap><uid>");
}

static void idmap_gid(struct px *p, xmlNode *n, void *obj)
{
	struct domain *dom = obj;

	idmap_entry(p, n, &dom->gid_map, &dom->n_gid_map, "<idmap><gid>");
}

static int idmap_cmp(const void *a, const void *b)
{
	const struct dom_idmap *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void p_idmap(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = { { "uid", idmap_uid }, { "gid", idmap_gid }, { NULL, NULL } };
	struct domain *dom = obj;

	px_attrs(p, n, "idmap", "<idmap>", NONE);
	px_children(p, n, "idmap", "<idmap>", tab, dom);
	/* libvirt keeps maps sorted by start and needs root mapped. */
	if (dom->n_uid_map > 0)
		qsort(dom->uid_map, dom->n_uid_map, sizeof(*dom->uid_map), idmap_cmp);
	if (dom->n_gid_map > 0)
		qsort(dom->gid_map, dom->n_gid_map, sizeof(*dom->gid_map), idmap_cmp);
	if (dom->n_uid_map == 0 || dom->uid_map[0].start != 0 || dom->n_gid_map == 0 ||
	    dom->gid_map[0].start != 0)
		px_error(p, n, "<idmap>: the container's root is not mapped; expected a <uid start='0' …/> and a <gid start='0' …/>");
}

static void feat_privnet(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "privnet", "<features><privnet>", NONE);
	((struct domain *)obj)->privnet = true;
}

static void cap_entry(struct px *p, xmlNode *n, void *obj)
{
	static const char *const states[] = { "on", "off" };
	struct domain *dom = obj;
	const char *name = (const char *)n->name;
	_cleanup_free_ char *state = px_attr(p, n, "state", "<features><capabilities>");
	int idx = dom_cap_index(name), st;
	size_t i;

	px_attrs(p, n, "capability", "<features><capabilities>", ATTRS("state"));
	if (state == NULL) {
		px_error(p, n, "<features><capabilities><%s>: missing state; expected state='on' or state='off'",
			 name);
		return;
	}
	if (px_enum(p, n, "<features><capabilities> state", state, states, 2, &st) < 0)
		return;
	/* Kept in libvirt's order, a later entry for the same capability wins. */
	for (i = 0; i < dom->n_caps && dom_cap_index(dom->caps[i].name) < idx; i++)
		;
	if (i < dom->n_caps && strcmp(dom->caps[i].name, name) == 0) {
		dom->caps[i].state = st == 0 ? DOM_CAPST_ON : DOM_CAPST_OFF;
		return;
	}
	dom->caps = xreallocarray(dom->caps, dom->n_caps + 1, sizeof(*dom->caps));
	memmove(&dom->caps[i + 1], &dom->caps[i], (dom->n_caps - i) * sizeof(*dom->caps));
	dom->caps[i] = (struct dom_cap){ xstrdup(name), st == 0 ? DOM_CAPST_ON : DOM_CAPST_OFF };
	dom->n_caps++;
}

static void feat_capabilities(struct px *p, xmlNode *n, void *obj)
{
	struct px_child tab[DOM_CAP_N + 1];
	struct domain *dom = obj;
	_cleanup_free_ char *policy = px_attr(p, n, "policy", "<features><capabilities>");
	int idx = DOM_CAP_DEFAULT;

	for (int i = 0; i < DOM_CAP_N; i++)
		tab[i] = (struct px_child){ dom_cap_names[i], cap_entry };
	tab[DOM_CAP_N] = (struct px_child){ NULL, NULL };
	px_attrs(p, n, "capabilities", "<features><capabilities>", ATTRS("policy"));
	if (policy != NULL &&
	    px_enum(p, n, "<features><capabilities policy>", policy, dom_cap_policy_names,
		    DOM_CAP_POLICY_N, &idx) < 0)
		idx = DOM_CAP_DEFAULT;
	dom->has_capabilities = true;
	dom->cap_policy = (enum dom_cap_policy)idx;
	px_children(p, n, "capabilities", "<features><capabilities>", tab, dom);
}

static void p_features(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "privnet", feat_privnet },
		{ "capabilities", feat_capabilities },
		{ NULL, NULL },
	};

	px_attrs(p, n, "features", "<features>", NONE);
	px_children(p, n, "features", "<features>", tab, obj);
}

static void p_clock(struct px *p, xmlNode *n, void *obj)
{
	static const char *const offsets[] = { "utc", "localtime", "timezone", "variable", "absolute" };
	static const struct px_child none[] = { { NULL, NULL } };
	struct domain *dom = obj;
	char *offset = px_attr(p, n, "offset", "<clock>");
	int idx;

	px_attrs(p, n, "clock", "<clock>", ATTRS("offset", "timezone", "adjustment", "basis", "start"));
	px_children(p, n, "clock", "<clock>", none, dom);
	if (offset == NULL)
		offset = xstrdup("utc");
	if (px_enum(p, n, "<clock offset>", offset, offsets, 5, &idx) == 0 && idx > 1) {
		px_warn(p, n, "<clock offset>: '%s' is not supported by corral (a container shares the host's clock) and is ignored",
			offset);
		free(offset);
		offset = xstrdup("utc");
	}
	set_str(&dom->clock_offset, offset);
}

static void lifecycle(struct px *p, xmlNode *n, enum dom_lifecycle *out)
{
	_cleanup_free_ char *s = px_text(n);
	char field[32];
	int idx;

	snprintf(field, sizeof(field), "<%s>", (const char *)n->name);
	px_attrs(p, n, "lifecycle", field, NONE);
	if (px_enum(p, n, field, s, dom_lifecycle_names, DOM_LC_N, &idx) == 0)
		*out = (enum dom_lifecycle)idx;
}

static void p_on_poweroff(struct px *p, xmlNode *n, void *obj)
{
	lifecycle(p, n, &((struct domain *)obj)->on_poweroff);
}

static void p_on_reboot(struct px *p, xmlNode *n, void *obj)
{
	lifecycle(p, n, &((struct domain *)obj)->on_reboot);
}

static void p_on_crash(struct px *p, xmlNode *n, void *obj)
{
	lifecycle(p, n, &((struct domain *)obj)->on_crash);
}

static void sec_label(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "seclabel-label", "<seclabel><label>", NONE);
	set_str(&((struct dom_seclabel *)obj)->label, px_text(n));
}

static void sec_imagelabel(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "seclabel-label", "<seclabel><imagelabel>", NONE);
	set_str(&((struct dom_seclabel *)obj)->imagelabel, px_text(n));
}

static void sec_baselabel(struct px *p, xmlNode *n, void *obj)
{
	px_attrs(p, n, "seclabel-label", "<seclabel><baselabel>", NONE);
	set_str(&((struct dom_seclabel *)obj)->baselabel, px_text(n));
}

static void p_seclabel(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "label", sec_label },
		{ "imagelabel", sec_imagelabel },
		{ "baselabel", sec_baselabel },
		{ NULL, NULL },
	};
	static const char *const yesno[] = { "no", "yes" };
	struct parse_state *st = obj;
	struct dom_seclabel *sl = &st->dom->seclabel;
	_cleanup_free_ char *type = NULL, *relabel = NULL;
	int idx;

	if (st->first_seclabel != NULL) {
		px_warn(p, n, "<seclabel>: only the first <seclabel> (line %d) is used; this one is ignored",
			px_line(st->first_seclabel));
		return;
	}
	st->first_seclabel = n;
	type = px_attr(p, n, "type", "<seclabel>");
	relabel = px_attr(p, n, "relabel", "<seclabel>");
	px_attrs(p, n, "seclabel", "<seclabel>", ATTRS("type", "model", "relabel"));
	sl->present = true;
	sl->type = DOM_SEC_DYNAMIC;
	if (type != NULL && px_enum(p, n, "<seclabel type>", type, dom_seclabel_type_names + 1,
				    DOM_SEC_TYPE_N - 1, &idx) == 0)
		sl->type = (enum dom_seclabel_type)(idx + 1);
	set_str(&sl->model, px_attr(p, n, "model", "<seclabel>"));
	if (relabel != NULL && px_enum(p, n, "<seclabel relabel>", relabel, yesno, 2, &idx) == 0)
		sl->relabel = idx;
	px_children(p, n, "seclabel", "<seclabel>", tab, sl);
	if (sl->type == DOM_SEC_STATIC && sl->label == NULL)
		px_error(p, n, "<seclabel>: type='static' needs a <label>; expected for example <label>system_u:system_r:svirt_lxc_net_t:s0:c1,c2</label>");
}

static void ns_share(struct px *p, xmlNode *n, void *obj)
{
	static const char *const types[] = { "netns", "name", "pid" };
	struct domain *dom = obj;
	const char *name = (const char *)n->name;
	char field[48];
	char *type, *value;
	int kind, idx;

	snprintf(field, sizeof(field), "<lxc:namespace><lxc:%s>", name);
	for (kind = 0; kind < DOM_NS_SHARE_N; kind++)
		if (strcmp(dom_ns_share_names[kind], name) == 0)
			break;
	px_attrs(p, n, "lxc-share", field, ATTRS("type", "value"));
	type = px_attr(p, n, "type", field);
	value = px_attr(p, n, "value", field);
	if (type == NULL || value == NULL) {
		px_error(p, n, "%s: missing type or value; expected for example <lxc:%s type='name' value='other-container'/>",
			 field, name);
	} else if (px_enum(p, n, field, type, types, 3, &idx) == 0) {
		if (idx == 0 && kind != DOM_NS_SHARE_NET)
			px_error(p, n, "%s: type='netns' is only valid for sharenet; expected 'name' or 'pid'", field);
		if (idx == 2 && strspn(value, "0123456789") != strlen(value))
			px_error(p, n, "%s: value '%s' is not a process id; expected a number with type='pid'",
				 field, value);
	}
	set_str(&dom->ns_share[kind].type, type);
	set_str(&dom->ns_share[kind].value, value);
}

static void p_lxc_namespace(struct px *p, xmlNode *n, void *obj)
{
	static const struct px_child tab[] = {
		{ "lxc:sharenet", ns_share },
		{ "lxc:shareipc", ns_share },
		{ "lxc:shareuts", ns_share },
		{ NULL, NULL },
	};

	px_attrs(p, n, "lxc-namespace", "<lxc:namespace>", NONE);
	px_children(p, n, "lxc-namespace", "<lxc:namespace>", tab, obj);
}

/* Handlers taking the domain itself rather than the parse state. */
#define D(fn) fn##_d
#define ON_DOMAIN(fn)                                                         \
	static void D(fn)(struct px *p, xmlNode *n, void *obj)                \
	{                                                                     \
		fn(p, n, ((struct parse_state *)obj)->dom);                   \
	}
ON_DOMAIN(p_name)
ON_DOMAIN(p_title)
ON_DOMAIN(p_description)
ON_DOMAIN(p_metadata)
ON_DOMAIN(dom_parse_memtune)
ON_DOMAIN(dom_parse_blkiotune)
ON_DOMAIN(dom_parse_vcpu)
ON_DOMAIN(dom_parse_cputune)
ON_DOMAIN(dom_parse_numatune)
ON_DOMAIN(dom_parse_resource)
ON_DOMAIN(p_idmap)
ON_DOMAIN(p_features)
ON_DOMAIN(p_clock)
ON_DOMAIN(p_on_poweroff)
ON_DOMAIN(p_on_reboot)
ON_DOMAIN(p_on_crash)
ON_DOMAIN(dom_parse_devices)
ON_DOMAIN(p_lxc_namespace)

static const struct px_child domain_children[] = {
	{ "name", D(p_name) },
	{ "uuid", p_uuid },
	{ "title", D(p_title) },
	{ "description", D(p_description) },
	{ "metadata", D(p_metadata) },
	{ "memory", p_memory },
	{ "currentMemory", p_current_memory },
	{ "blkiotune", D(dom_parse_blkiotune) },
	{ "memtune", D(dom_parse_memtune) },
	{ "vcpu", D(dom_parse_vcpu) },
	{ "cputune", D(dom_parse_cputune) },
	{ "numatune", D(dom_parse_numatune) },
	{ "resource", D(dom_parse_resource) },
	{ "os", p_os },
	{ "idmap", D(p_idmap) },
	{ "features", D(p_features) },
	{ "clock", D(p_clock) },
	{ "on_poweroff", D(p_on_poweroff) },
	{ "on_reboot", D(p_on_reboot) },
	{ "on_crash", D(p_on_crash) },
	{ "devices", D(dom_parse_devices) },
	{ "seclabel", p_seclabel },
	{ "lxc:namespace", D(p_lxc_namespace) },
	{ NULL, NULL },
};

/* Defaults libvirt fills in and checks that need the whole definition. */
static void finish(struct px *p, xmlNode *root, struct parse_state *st)
{
	struct domain *dom = st->dom;
	struct error err = ERROR_INIT;

	if (dom->name == NULL)
		px_error(p, root, "<domain>: missing <name>; expected for example <name>web</name>");
	if (!st->has_uuid && uuid_generate(dom->uuid, &err) < 0) {
		px_error(p, root, "<domain>: %s", err_msg(&err));
		err_clear(&err);
	}
	if (dom->current_memory_kib == DOM_UNSET || dom->current_memory_kib > dom->memory_kib)
		dom->current_memory_kib = dom->memory_kib;
	if (dom->os_type == NULL)
		px_error(p, st->os != NULL ? st->os : root,
			 "<os>: missing <type>; expected <os><type>exe</type><init>/sbin/init</init></os>");
	if (dom->init == NULL) {
		/* libvirt boots an OS container with /sbin/init when none is named;
		 * an APP container has no root filesystem to guess from. */
		if (dom_root_fs(dom) != NULL)
			dom->init = xstrdup("/sbin/init");
		else
			px_error(p, st->os != NULL ? st->os : root,
				 "<os>: missing <init>; expected the program to run as PID 1, for example <init>/bin/sh</init>");
	}
	if (dom->has_capabilities && dom->cap_policy == DOM_CAP_DEFAULT && dom->n_caps == 0)
		dom->has_capabilities = false;
}

static void parse_root(struct px *p, xmlNode *root)
{
	struct parse_state st = { .dom = p->dom };
	_cleanup_free_ char *type = NULL;

	if (root == NULL || strcmp((const char *)root->name, "domain") != 0 || root->ns != NULL) {
		px_error(p, root, "the root element is <%s>; expected <domain type='lxc'>",
			 root != NULL ? (const char *)root->name : "");
		return;
	}
	type = px_attr(p, root, "type", "<domain>");
	px_attrs(p, root, "domain", "<domain>", ATTRS("type"));
	if (type == NULL)
		px_error(p, root, "<domain>: missing type; expected <domain type='lxc'>");
	else if (strcmp(type, "lxc") != 0)
		px_error(p, root, "<domain>: type='%s' is not a container; expected <domain type='lxc'>", type);
	px_children(p, root, "domain", "<domain>", domain_children, &st);
	finish(p, root, &st);
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == ':' || c == '.';
}

/* A template placeholder pasted as is (dir='<target_path>') is not even
 * well-formed, and libxml2 only says "Unescaped '<'". Finds it on the line
 * libxml2 names so the message can say what it is. */
static bool placeholder_on_line(struct px *p, const char *buf, size_t len, int line)
{
	const char *s = buf, *end = buf + len, *eol;

	for (int l = 1; l < line; l++) {
		s = memchr(s, '\n', (size_t)(end - s));
		if (s == NULL)
			return false;
		s++;
	}
	eol = memchr(s, '\n', (size_t)(end - s));
	if (eol == NULL)
		eol = end;
	for (const char *q = s + 1; q + 1 < eol; q++) {
		const char *close, *an, *el;
		char field[80], attr[64], value[128];

		if ((q[0] != '\'' && q[0] != '"') || q[-1] != '=' || q[1] != '<')
			continue;
		close = memchr(q + 1, q[0], (size_t)(eol - q - 1));
		if (close == NULL || close[-1] != '>' || close - q - 1 >= (long)sizeof(value))
			continue;
		for (an = q - 1; an > s && is_name_char(an[-1]); an--)
			;
		for (el = an; el > s && *el != '<'; el--)
			;
		if (*el == '<') {
			size_t n = 0;
			while (el + 1 + n < an && is_name_char(el[1 + n]))
				n++;
			snprintf(field, sizeof(field), "<%.*s>", (int)n, el + 1);
		} else {
			snprintf(field, sizeof(field), "<?>");
		}
		snprintf(attr, sizeof(attr), "%.*s", (int)(q - 1 - an), an);
		snprintf(value, sizeof(value), "%.*s", (int)(close - q - 1), q + 1);
		px_placeholder(p, line, field, attr, value);
		return true;
	}
	return false;
}

/* Keeps only the first error: it is the one that names the real problem,
 * what follows is libxml2 recovering. */
static void first_error(void *ctx, xmlError *e)
{
	xmlParserCtxt *ctxt = ctx;
	xmlError *keep = ctxt->_private;

	if (keep->code == 0 && e->level >= XML_ERR_ERROR)
		xmlCopyError(e, keep);
}

int dom_parse_buffer(const char *buf, size_t len, const char *filename, struct domain **out,
		     struct diags *d)
{
	struct px p = { .file = filename, .d = d };
	size_t errors_before = diag_count(d, DIAG_ERROR);
	xmlParserCtxt *ctxt;
	xmlError err = { 0 };
	xmlDoc *doc;

	*out = NULL;
	if (len > DOM_XML_MAX || len > INT32_MAX) {
		diag_add(d, DIAG_ERROR, filename, 0, "the definition is %zu bytes; expected at most %u",
			 len, DOM_XML_MAX);
		return -1;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		diag_add(d, DIAG_ERROR, filename, 0, "cannot create an XML parser: out of memory");
		return -1;
	}
	ctxt->_private = &err;
	ctxt->sax->serror = first_error;
	/* No network, no entity substitution, no DTD loading: a definition is
	 * outside input and must not reach beyond its own bytes. */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, filename, NULL,
				XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	if (doc == NULL || !ctxt->wellFormed || !ctxt->nsWellFormed) {
		const char *msg = err.message != NULL ? err.message : "not well-formed XML\n";
		int mlen = (int)strlen(msg);

		while (mlen > 0 && msg[mlen - 1] == '\n')
			mlen--;
		if (err.code != XML_ERR_LT_IN_ATTRIBUTE || !placeholder_on_line(&p, buf, len, err.line))
			diag_add(d, DIAG_ERROR, filename, err.line, "malformed XML: %.*s", mlen, msg);
	} else if (doc->intSubset != NULL || doc->extSubset != NULL) {
		diag_add(d, DIAG_ERROR, filename, px_line(xmlDocGetRootElement(doc)),
			 "the definition has a <!DOCTYPE>; corral does not read DTDs or entities, remove it");
	} else {
		p.dom = dom_new();
		parse_root(&p, xmlDocGetRootElement(doc));
	}
	xmlResetError(&err);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (p.dom == NULL || diag_count(d, DIAG_ERROR) > errors_before) {
		dom_free(p.dom);
		return -1;
	}
	*out = p.dom;
	return 0;
}

int dom_parse_file(const char *path, struct domain **out, struct diags *d)
{
	struct error err = ERROR_INIT;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	*out = NULL;
	if (file_read_all(path, DOM_XML_MAX, &buf, &len, &err) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "%s", err_msg(&err));
		err_clear(&err);
		return -1;
	}
	r = dom_parse_buffer(buf, len, path, out, d);
	return r;
}
