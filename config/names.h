/* Checks of the names and identifiers a definition holds: domain names,
 * MAC addresses, environment variable names, paths, template placeholders. */
#ifndef CORRAL_CONFIG_NAMES_H
#define CORRAL_CONFIG_NAMES_H

#include <stdbool.h>
#include <stdint.h>

struct error;

/* NULL when name is a valid domain name (1..64 bytes, no '/', no leading
 * '.', no control characters), else what is wrong with it. */
const char *name_domain_problem(const char *name);

/* The value of one hexadecimal digit (either case), or -1. */
int name_hex_digit(char c);

/* "00:16:3e:bb:7f:b6" (either case, ':' or '-' between pairs). -1 when
 * malformed. */
int name_mac_parse(const char *s, uint8_t mac[6]);
bool name_mac_is_multicast(const uint8_t mac[6]);
/* A locally chosen MAC with libvirt's 52:54:00 prefix, random below it. */

/* [A-Za-z_][A-Za-z0-9_]*, as libvirt requires of <initenv name>. */
bool name_env_valid(const char *name);

/* A value such as "<target_path>" that a template left to be replaced. */
bool name_is_placeholder(const char *s);

#endif
