/* CPU list syntax: comma-separated items, each N, N-M or ^N (exclusion). */
#include "config/cpulist.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>

static bool read_num(const char **p, unsigned *out)
{
	unsigned v = 0;

	if (!isdigit((unsigned char)**p))
		return false;
	while (isdigit((unsigned char)**p)) {
		v = v * 10 + (unsigned)(**p - '0');
		if (v > CPULIST_MAX)
			return false;
		(*p)++;
	}
	*out = v;
	return true;
}

const char *cpulist_problem(const char *s)
{
	const char *p = s;
	bool any = false;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return "it is empty";
	for (;;) {
		unsigned a, b;

		if (*p == '^') {
			p++;
			if (!read_num(&p, &a))
				return "'^' must be followed by a CPU number up to 8191";
		} else {
			if (!read_num(&p, &a))
				return "expected a CPU number up to 8191";
			b = a;
			if (*p == '-') {
				p++;
				if (!read_num(&p, &b))
					return "expected a CPU number up to 8191 after '-'";
				if (b < a)
					return "a range must go from low to high";
			}
			any = true;
		}
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p != ',')
			return "expected ',' between items";
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	return any ? NULL : "it selects no CPU";
}
