/* Collected diagnostics of a parse. */
#include "config/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

void diag_add(struct diags *d, enum diag_level level, const char *file, int line,
	      const char *fmt, ...)
{
	struct diag *dg;
	va_list ap;

	d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
	dg = &d->v[d->n++];
	dg->level = level;
	dg->file = xstrdup(file != NULL ? file : "<input>");
	dg->line = line;
	va_start(ap, fmt);
	if (vasprintf(&dg->msg, fmt, ap) < 0)
		dg->msg = xstrdup(fmt);
	va_end(ap);
}

size_t diag_count(const struct diags *d, enum diag_level level)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == level)
			n++;
	return n;
}

bool diag_has_errors(const struct diags *d)
{
	return diag_count(d, DIAG_ERROR) > 0;
}

char *diag_format(const struct diag *dg)
{
	const char *lvl = dg->level == DIAG_ERROR ? "error" : "warning";

	if (dg->line > 0)
		return xasprintf("%s:%d: %s: %s", dg->file, dg->line, lvl, dg->msg);
	return xasprintf("%s: %s: %s", dg->file, lvl, dg->msg);
}

char *diag_format_all(const struct diags *d)
{
	char *out = NULL;

	for (size_t i = 0; i < d->n; i++) {
		char *one = diag_format(&d->v[i]);
		char *joined = out ? xasprintf("%s\n%s", out, one) : xstrdup(one);
		free(one);
		free(out);
		out = joined;
	}
	return out;
}

void diags_clear(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}
