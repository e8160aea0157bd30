/* Size units and numbers, parsed the way libvirt's virScaleInteger does. */
#include "config/units.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

int unit_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = skip_blanks(s);

	if (!isdigit((unsigned char)*p))
		return UNIT_BAD_NUMBER;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return UNIT_RANGE;
		v = v * 10 + d;
	}
	if (*skip_blanks(p) != '\0')
		return UNIT_BAD_NUMBER;
	*out = v;
	return UNIT_OK;
}

int unit_parse_i64(const char *s, int64_t *out)
{
	const char *p = skip_blanks(s);
	bool neg = *p == '-';
	uint64_t v;
	int r = unit_parse_u64(neg ? p + 1 : p, &v);

	if (r < 0)
		return r;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return UNIT_RANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return UNIT_OK;
}

int unit_scale(const char *unit, uint64_t *bytes_per_unit)
{
	uint64_t base, scale = 1;
	int power;

	if (unit == NULL || *unit == '\0') {
		*bytes_per_unit = 1024;
		return UNIT_OK;
	}
	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0) {
		*bytes_per_unit = 1;
		return UNIT_OK;
	}
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
		base = 1000;
	else
		return UNIT_BAD_UNIT;
	switch (tolower((unsigned char)unit[0])) {
	case 'k': power = 1; break;
	case 'm': power = 2; break;
	case 'g': power = 3; break;
	case 't': power = 4; break;
	case 'p': power = 5; break;
	case 'e': power = 6; break;
	default: return UNIT_BAD_UNIT;
	}
	while (power-- > 0)
		scale *= base;
	*bytes_per_unit = scale;
	return UNIT_OK;
}

int unit_to_kib(const char *value, const char *unit, uint64_t max_kib, uint64_t *out_kib)
{
	uint64_t v, scale, kib;
	int r;

	r = unit_parse_u64(value, &v);
	if (r < 0)
		return r;
	r = unit_scale(unit, &scale);
	if (r < 0)
		return r;
	if (v != 0 && scale > UINT64_MAX / v)
		return UNIT_RANGE;
	kib = v * scale / 1024 + (v * scale % 1024 != 0);
	if (kib > max_kib)
		return UNIT_RANGE;
	*out_kib = kib;
	return UNIT_OK;
}
