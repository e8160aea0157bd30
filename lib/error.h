/* The error object every fallible function fills: an errno and a message
 * that callers extend with context on the way up. */
#ifndef CORRAL_LIB_ERROR_H
#define CORRAL_LIB_ERROR_H

struct error {
	int errnum;  /* errno value, 0 when the failure is not a system error */
	char *msg;   /* NULL when no error is set */
};

#define ERROR_INIT { 0, NULL }

/* Sets the error (replacing any earlier one) and returns -1, so that
 * `return err_set(err, ...)` reads naturally. errnum is appended as
 * ": strerror" when non-zero. */
int err_set(struct error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like err_set with errno as errnum. */
int err_sys(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prepends "context: " to the message already set; returns -1. */
int err_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_clear(struct error *err);
const char *err_msg(const struct error *err);

#endif
