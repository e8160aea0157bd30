/* The engine's settings file, /etc/corral/corrald.conf: "key = value"
 * lines, '#' comments, every error with file and line. */
#ifndef CORRAL_CONFIG_SETTINGS_H
#define CORRAL_CONFIG_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

struct error;

enum settings_selinux { SETTINGS_SELINUX_AUTO, SETTINGS_SELINUX_ON, SETTINGS_SELINUX_OFF };

struct settings {
	unsigned interval_ms;       /* interval: statistics sampling period */
	uint64_t log_size;          /* log_size: console log cap per container, bytes */
	char *default_network;      /* default_network: what `rootfs --define` and new
				       definitions attach to */
	enum settings_selinux selinux; /* selinux: auto (when the host enforces), on, off */
	unsigned shutdown_timeout_s; /* shutdown_timeout: before a shutdown turns to destroy */
};

/* The defaults, as if the file were empty. */
void settings_init(struct settings *s);
void settings_free(struct settings *s);
/* Reads path over the values in s; a missing file leaves them as they are. */
int settings_load(struct settings *s, const char *path, struct error *err);
/* label names the file in messages. */
int settings_parse(struct settings *s, const char *buf, size_t len, const char *label,
		   struct error *err);

#endif
