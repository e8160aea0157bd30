/* The engine's settings file, /etc/corral/corrald.conf: "key = value"
 * lines, '#' comments, every error with file and line. */
#ifndef CORRAL_CONFIG_SETTINGS_H
#define CORRAL_CONFIG_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct error;

enum settings_selinux { SETTINGS_SELINUX_AUTO, SETTINGS_SELINUX_ON, SETTINGS_SELINUX_OFF };

/* The console log cap when nothing says otherwise (corral-monitor run by
 * hand, a file without log_size). */
#define SETTINGS_LOG_SIZE_DEFAULT (1u << 20)
/* The smallest log_size accepted: a console line or two must fit. */
#define SETTINGS_LOG_SIZE_MIN 4096u
/* A day: the longest a shutdown may wait before it turns to destroy. */
#define SETTINGS_SHUTDOWN_TIMEOUT_MAX 86400

struct settings {
	unsigned interval_ms;       /* interval: statistics sampling period */
	uint64_t log_size;          /* log_size: console log cap per container, bytes */
	char *default_network;      /* default_network: what `rootfs --define` and new
				       definitions attach to */
	enum settings_selinux selinux; /* selinux: auto (when the host enforces), on, off */
	unsigned shutdown_timeout_s; /* shutdown_timeout: before a shutdown turns to destroy */
};

/* "auto", "on", "off" and back; -1 for any other word. The engine passes
 * the setting to each monitor by name. */
const char *settings_selinux_name(enum settings_selinux v);
int settings_selinux_parse(const char *name);
/* A size such as 4096, 512KiB or 1M in bytes; -1 when it is none. */
int settings_size_parse(const char *text, uint64_t *out);

/* The defaults, as if the file were empty. */
void settings_init(struct settings *s);
void settings_free(struct settings *s);
/* Reads path over the values in s; a missing file leaves them as they are. */
int settings_load(struct settings *s, const char *path, struct error *err);
/* label names the file in messages. */
int settings_parse(struct settings *s, const char *buf, size_t len, const char *label,
		   struct error *err);

#endif
