/* Helpers of the domain XML parser: diagnostics, attributes, numbers,
 * child walking against libvirt's schema. */
#include "config/parse-ctx.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/names.h"
#include "config/schema.h"
#include "config/units.h"
#include "lib/cleanup.h"
#include "lib/xmalloc.h"

int px_line(const xmlNode *n)
{
	long l = n != NULL ? xmlGetLineNo(n) : 0;

	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

static void vreport(struct px *p, enum diag_level lvl, const xmlNode *n, const char *fmt,
		    va_list ap)
{
	_cleanup_free_ char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	diag_add(p->d, lvl, p->file, px_line(n), "%s", msg != NULL ? msg : fmt);
}

void px_error(struct px *p, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(p, DIAG_ERROR, n, fmt, ap);
	va_end(ap);
}

void px_warn(struct px *p, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(p, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

static const char *const *handled_names(const struct px_child *tab, size_t *n)
{
	const char **names;
	size_t count = 0;

	while (tab[count].name != NULL)
		count++;
	names = xcalloc(count + 1, sizeof(*names));
	for (size_t i = 0; i < count; i++)
		names[i] = tab[i].name;
	*n = count;
	return names;
}

static void unknown(struct px *p, xmlNode *n, const char *what, const char *name,
		    const char *field, const char *const *handled, const char *const *ignored)
{
	const char *near;

	if (schema_in(ignored, name)) {
		px_warn(p, n, "%s: %s '%s' is not supported by corral and is ignored", field, what,
			name);
		return;
	}
	near = schema_closest(name, handled, ignored);
	if (near != NULL)
		px_error(p, n, "%s: unknown %s '%s'; did you mean '%s'?", field, what, name, near);
	else
		px_error(p, n, "%s: unknown %s '%s' (libvirt's domain schema has no such %s here)",
			 field, what, name, what);
}

void px_children(struct px *p, xmlNode *parent, const char *key, const char *field,
		 const struct px_child *tab, void *obj)
{
	size_t n_handled;
	const char *const *handled = handled_names(tab, &n_handled);
	const char *const *ignored = schema_ignored_elements(key);

	for (xmlNode *c = parent->children; c != NULL; c = c->next) {
		char qname[128];
		const char *name = (const char *)c->name;
		size_t i;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (c->ns != NULL) {
			if (c->ns->href == NULL || strcmp((const char *)c->ns->href, DOM_LXC_NS) != 0) {
				px_warn(p, c, "%s: element '%s' in namespace '%s' is not supported by corral and is ignored",
					field, name, c->ns->href ? (const char *)c->ns->href : "");
				continue;
			}
			snprintf(qname, sizeof(qname), "lxc:%s", name);
			name = qname;
		}
		for (i = 0; i < n_handled; i++)
			if (strcmp(tab[i].name, name) == 0)
				break;
		if (i < n_handled)
			tab[i].fn(p, c, obj);
		else
			unknown(p, c, "element", name, field, handled, ignored);
	}
	free((void *)handled);
}

void px_attrs(struct px *p, xmlNode *n, const char *key, const char *field,
	      const char *const *handled)
{
	const char *const *ignored = schema_ignored_attributes(key);

	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		if (a->ns != NULL)
			continue;
		if (!schema_in(handled, (const char *)a->name))
			unknown(p, n, "attribute", (const char *)a->name, field, handled, ignored);
	}
}

void px_placeholder(struct px *p, int line, const char *field, const char *attr,
		    const char *value)
{
	size_t flen = strlen(field);

	if (strcmp(attr, "dir") == 0 && flen >= 8 && strcmp(field + flen - 8, "<source>") == 0)
		diag_add(p->d, DIAG_ERROR, p->file, line,
			 "%s: %s='%s' looks like a placeholder; replace it with the rootfs path, the host directory that holds the container's files (for example /var/lib/corral/rootfs/NAME)",
			 field, attr, value);
	else
		diag_add(p->d, DIAG_ERROR, p->file, line,
			 "%s: %s='%s' looks like a placeholder; replace it with a real value", field,
			 attr, value);
}

char *px_attr(struct px *p, xmlNode *n, const char *name, const char *field)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	if (name_is_placeholder(s)) {
		px_placeholder(p, px_line(n), field, name, s);
		free(s);
		return NULL;
	}
	return s;
}

char *px_text(xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = xstrdup(v != NULL ? (const char *)v : "");

	xmlFree(v);
	return s;
}

int px_u64(struct px *p, xmlNode *n, const char *field, const char *s, uint64_t min, uint64_t max,
	   uint64_t *out)
{
	uint64_t v;
	int r = unit_parse_u64(s, &v);

	if (r == UNIT_BAD_NUMBER) {
		px_error(p, n, "%s: '%s' is not a number; expected a whole number from %" PRIu64
			 " to %" PRIu64, field, s, min, max);
		return -1;
	}
	if (r == UNIT_RANGE || v < min || v > max) {
		px_error(p, n, "%s: %s is out of range; expected a whole number from %" PRIu64
			 " to %" PRIu64, field, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int px_u64_text(struct px *p, xmlNode *n, const char *field, uint64_t min, uint64_t max,
		uint64_t *out)
{
	_cleanup_free_ char *s = px_text(n);

	return px_u64(p, n, field, s, min, max, out);
}

int px_size(struct px *p, xmlNode *n, const char *field, const char *value, const char *unit,
	    uint64_t max_kib, uint64_t *out_kib)
{
	int r;

	if (value == NULL) {
		px_error(p, n, "%s: missing size; expected a whole number with a unit such as KiB",
			 field);
		return -1;
	}
	r = unit_to_kib(value, unit, max_kib, out_kib);
	switch (r) {
	case UNIT_OK:
		return 0;
	case UNIT_BAD_NUMBER:
		px_error(p, n, "%s: '%s' is not a number; expected a whole number", field, value);
		break;
	case UNIT_BAD_UNIT:
		px_error(p, n, "%s: unknown unit '%s'; expected one of %s", field, unit, UNIT_NAMES);
		break;
	default:
		px_error(p, n, "%s: %s %s is too large; expected at most %" PRIu64 " KiB", field,
			 value, unit != NULL ? unit : "KiB", max_kib);
		break;
	}
	return -1;
}

int px_enum(struct px *p, xmlNode *n, const char *field, const char *s, const char *const *names,
	    size_t count, int *out)
{
	char list[256] = "";
	size_t used = 0;

	for (size_t i = 0; i < count; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	for (size_t i = 0; i < count && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s'%s'", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	px_error(p, n, "%s: '%s' is not valid; expected one of %s", field, s, list);
	return -1;
}

bool px_abs_path(struct px *p, xmlNode *n, const char *field, const char *s)
{
	if (s[0] == '/')
		return true;
	px_error(p, n, "%s: '%s' is a relative path; expected an absolute path (starting with '/')",
		 field, s);
	return false;
}
