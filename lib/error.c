/* Error objects carrying an errno and a message with context. */
#include "lib/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

static int err_vset(struct error *err, int errnum, const char *fmt, va_list ap)
{
	char *base;

	if (err == NULL)
		return -1;
	if (vasprintf(&base, fmt, ap) < 0)
		base = xstrdup(fmt);
	free(err->msg);
	if (errnum != 0) {
		err->msg = xasprintf("%s: %s", base, strerror(errnum));
		free(base);
	} else {
		err->msg = base;
	}
	err->errnum = errnum;
	return -1;
}

int err_set(struct error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct error *err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, saved, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int err_prefix(struct error *err, const char *fmt, ...)
{
	va_list ap;
	char *ctx;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = xstrdup(fmt);
	va_end(ap);
	if (err->msg == NULL) {
		err->msg = ctx;
	} else {
		char *joined = xasprintf("%s: %s", ctx, err->msg);
		free(ctx);
		free(err->msg);
		err->msg = joined;
	}
	return -1;
}

void err_clear(struct error *err)
{
	free(err->msg);
	err->msg = NULL;
	err->errnum = 0;
}

const char *err_msg(const struct error *err)
{
	return err->msg != NULL ? err->msg : "unknown error";
}
