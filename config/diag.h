/* Diagnostics from reading a definition: each names the file and line, and
 * says what was wrong and what was expected. */
#ifndef CORRAL_CONFIG_DIAG_H
#define CORRAL_CONFIG_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	char *file;
	int line; /* 0 when no line applies */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n;
};

void diag_add(struct diags *d, enum diag_level level, const char *file, int line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
size_t diag_count(const struct diags *d, enum diag_level level);
bool diag_has_errors(const struct diags *d);
/* "FILE:LINE: error: message", one per line; the caller frees. */
char *diag_format(const struct diag *dg);
/* All diagnostics joined with newlines, or NULL when there are none. */
char *diag_format_all(const struct diags *d);
void diags_clear(struct diags *d);

#endif
