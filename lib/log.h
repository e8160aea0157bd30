/* Logging to a file or stderr, never to a terminal that curses owns. Each
 * line carries a timestamp, the level and the calling function. */
#ifndef CORRAL_LIB_LOG_H
#define CORRAL_LIB_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* path NULL logs to stderr. Returns -1 (errno set) if the file cannot be
 * opened; logging then stays where it was. */
int log_open(const char *path, enum log_level level);
void log_set_level(enum log_level level);
void log_close(void);
void log_write(enum log_level level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...) log_write(LOG_LVL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_info(...) log_write(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_debug(...) log_write(LOG_LVL_DEBUG, __func__, __VA_ARGS__)

#endif
