/* LXC container configurations (legacy lxc.* keys and LXC 3.0 keys) read
 * into the domain model, as `virsh domxml-from-native lxc-tools` reads them. */
#ifndef CORRAL_CONFIG_LXCCONF_H
#define CORRAL_CONFIG_LXCCONF_H

#include <stddef.h>

#include "config/diag.h"
#include "config/domain.h"

/* Largest configuration accepted, so that outside input cannot exhaust memory. */
#define LXCCONF_MAX (1u << 20)

/* Converts one configuration. Every key that is not converted is a warning,
 * every key that cannot be converted (lxc.mount.fstab, a malformed value) an
 * error, each with file and line in d. Returns 0 and sets *out to a validated
 * model with a fresh UUID when there were no errors, -1 otherwise (*out NULL).
 * filename only labels diagnostics. */
int lxcconf_parse_buffer(const char *buf, size_t len, const char *filename, struct domain **out,
			 struct diags *d);
int lxcconf_parse_file(const char *path, struct domain **out, struct diags *d);

#endif
