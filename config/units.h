/* libvirt's size units (b, KB, KiB, M, GiB, …) and strict decimal numbers. */
#ifndef CORRAL_CONFIG_UNITS_H
#define CORRAL_CONFIG_UNITS_H

#include <stdint.h>

enum unit_status {
	UNIT_OK = 0,
	UNIT_BAD_NUMBER = -1, /* not a plain decimal number */
	UNIT_BAD_UNIT = -2,   /* a unit libvirt does not know */
	UNIT_RANGE = -3,      /* beyond 64 bits or beyond the caller's maximum */
};

/* The units accepted, for messages. */
#define UNIT_NAMES "b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E, EiB"

/* Parses a decimal number with optional surrounding blanks; no sign, no
 * base prefix, nothing after the digits. */
int unit_parse_u64(const char *s, uint64_t *out);
/* Like unit_parse_u64 but allows a leading '-'. */
int unit_parse_i64(const char *s, int64_t *out);

/* Bytes per unit as libvirt reads it: KB is 1000, k and KiB are 1024, the
 * letters are case-insensitive. unit NULL or "" means KiB. */
int unit_scale(const char *unit, uint64_t *bytes_per_unit);

/* value × unit, rounded up to whole KiB as libvirt stores sizes; fails
 * with UNIT_RANGE when the byte count overflows 64 bits or the result is
 * above max_kib. */
int unit_to_kib(const char *value, const char *unit, uint64_t max_kib, uint64_t *out_kib);

#endif
