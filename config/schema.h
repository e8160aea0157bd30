/* What libvirt's domain schema knows beyond what corral honours: element
 * and attribute names per parent, so that a typo is told apart from a
 * setting corral ignores, and the closest known name can be suggested. */
#ifndef CORRAL_CONFIG_SCHEMA_H
#define CORRAL_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

/* NULL-terminated list of the element names libvirt accepts under parent
 * (a key such as "domain", "devices", "memtune", "interface") that corral
 * does not act on; an empty list for unknown keys. */
const char *const *schema_ignored_elements(const char *parent);
/* Likewise for the attributes of an element. */
const char *const *schema_ignored_attributes(const char *element);

bool schema_in(const char *const *list, const char *name);

/* Levenshtein distance, for suggestions. */
size_t schema_distance(const char *a, const char *b);
/* The name in the NULL-terminated lists a and b closest to name, or NULL
 * when none is near enough to be a plausible typo. */
const char *schema_closest(const char *name, const char *const *a, const char *const *b);

#endif
