/* Reading and writing libvirt LXC domain XML. */
#ifndef CORRAL_CONFIG_DOMAIN_XML_H
#define CORRAL_CONFIG_DOMAIN_XML_H

#include <stddef.h>

#include "config/diag.h"
#include "config/domain.h"

/* Largest definition accepted, so that outside input cannot exhaust memory. */
#define DOM_XML_MAX (4u << 20)

/* Parses and validates. Every problem found is added to d (errors and
 * warnings, with file and line); returns 0 and sets *out when there were no
 * errors, -1 otherwise (with *out NULL). filename only labels diagnostics. */
int dom_parse_buffer(const char *buf, size_t len, const char *filename, struct domain **out,
		     struct diags *d);
int dom_parse_file(const char *path, struct domain **out, struct diags *d);

/* libvirt-style XML (two-space indent, single-quoted attributes), NUL
 * terminated; the caller frees. */
char *dom_format(const struct domain *dom);

#endif
