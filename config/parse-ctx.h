/* The state and helpers the domain XML parser shares across its files:
 * diagnostics tied to an element's line, attribute and number readers that
 * say what was expected, and table-driven walking of child elements that
 * tells typos apart from settings corral ignores. Internal to config/. */
#ifndef CORRAL_CONFIG_PARSE_CTX_H
#define CORRAL_CONFIG_PARSE_CTX_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/diag.h"
#include "config/domain.h"

struct px {
	const char *file;
	struct diags *d;
	struct domain *dom;
};

typedef void (*px_handler)(struct px *p, xmlNode *n, void *obj);

struct px_child {
	const char *name;
	px_handler fn;
};

void px_error(struct px *p, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void px_warn(struct px *p, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int px_line(const xmlNode *n);

/* Calls the handler of each element child of parent found in tab (NULL
 * name ends it), passing obj. Any other child is a warning when libvirt
 * knows it under schema key (it is ignored) and an error otherwise, with
 * the closest known name. field names parent in messages, e.g. "<memtune>". */
void px_children(struct px *p, xmlNode *parent, const char *key, const char *field,
		 const struct px_child *tab, void *obj);

/* Checks n's attributes against handled (NULL-terminated) and schema key,
 * as px_children does for elements. */
void px_attrs(struct px *p, xmlNode *n, const char *key, const char *field,
	      const char *const *handled);

/* The attribute's value (caller frees) or NULL when absent. A value that
 * looks like a template placeholder is an error and gives NULL. */
char *px_attr(struct px *p, xmlNode *n, const char *name, const char *field);
/* Reports that attr of field holds a template placeholder such as
 * '<target_path>'. */
void px_placeholder(struct px *p, int line, const char *field, const char *attr,
		    const char *value);
/* The element's text (caller frees), never NULL. */
char *px_text(xmlNode *n);

/* s as a decimal in [min, max]; on failure reports what was expected for
 * field and returns -1. */
int px_u64(struct px *p, xmlNode *n, const char *field, const char *s, uint64_t min, uint64_t max,
	   uint64_t *out);
/* The element's text as a decimal in [min, max]. */
int px_u64_text(struct px *p, xmlNode *n, const char *field, uint64_t min, uint64_t max,
		uint64_t *out);
/* A size: value in unit (NULL means KiB), to KiB, at most max_kib. */
int px_size(struct px *p, xmlNode *n, const char *field, const char *value, const char *unit,
	    uint64_t max_kib, uint64_t *out_kib);
/* s as one of names[0..n), or an error listing them. */
int px_enum(struct px *p, xmlNode *n, const char *field, const char *s, const char *const *names,
	    size_t count, int *out);
/* Reports and returns false unless s is an absolute path. */
bool px_abs_path(struct px *p, xmlNode *n, const char *field, const char *s);

/* The parser's parts in other files; obj is the struct domain. */
void dom_parse_devices(struct px *p, xmlNode *n, void *obj);
/* corral's own settings: the <corral:container> element in <metadata>. */
void dom_parse_corral_meta(struct px *p, xmlNode *n, struct domain *dom);
void dom_parse_memtune(struct px *p, xmlNode *n, void *obj);
void dom_parse_blkiotune(struct px *p, xmlNode *n, void *obj);
void dom_parse_vcpu(struct px *p, xmlNode *n, void *obj);
void dom_parse_cputune(struct px *p, xmlNode *n, void *obj);
void dom_parse_numatune(struct px *p, xmlNode *n, void *obj);
void dom_parse_resource(struct px *p, xmlNode *n, void *obj);
/* A size element (<memory unit='…'>N</memory>) into *out as KiB. */
void dom_parse_mem_value(struct px *p, xmlNode *n, const char *field, uint64_t *out);

#endif
