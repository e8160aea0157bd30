/* Reading corrald.conf: each key with its range, each error pointing at
 * its line and saying what was expected. */
#include "config/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/names.h"
#include "config/units.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

#define SETTINGS_MAX (64u << 10)
#define KEYS "interval, log_size, default_network, selinux, shutdown_timeout"

void settings_init(struct settings *s)
{
	*s = (struct settings){
		.interval_ms = 1000,
		.log_size = SETTINGS_LOG_SIZE_DEFAULT,
		.default_network = xstrdup("default"),
		.selinux = SETTINGS_SELINUX_AUTO,
		.shutdown_timeout_s = 60,
	};
}

void settings_free(struct settings *s)
{
	free(s->default_network);
	s->default_network = NULL;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Seconds with an optional fraction, within [min, max]. */
static int seconds(const char *v, double min, double max, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(d >= min && d <= max))
		return -1;
	*out = d;
	return 0;
}

static const char *const selinux_names[] = {
	[SETTINGS_SELINUX_AUTO] = "auto",
	[SETTINGS_SELINUX_ON] = "on",
	[SETTINGS_SELINUX_OFF] = "off",
};

const char *settings_selinux_name(enum settings_selinux v)
{
	return selinux_names[v];
}

int settings_selinux_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(selinux_names) / sizeof(selinux_names[0]); i++)
		if (strcmp(name, selinux_names[i]) == 0)
			return (int)i;
	return -1;
}

int settings_size_parse(const char *v, uint64_t *out)
{
	const char *p = v;
	_cleanup_free_ char *num = NULL;
	uint64_t n, scale = 1;

	while (isdigit((unsigned char)*p))
		p++;
	num = xstrndup(v, (size_t)(p - v));
	if (unit_parse_u64(num, &n) != UNIT_OK)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0' && unit_scale(p, &scale) != UNIT_OK)
		return -1;
	if (scale != 0 && n > UINT64_MAX / scale)
		return -1;
	*out = n * scale;
	return 0;
}

static int set_key(struct settings *s, const char *k, const char *v, const char *label, int line,
		   struct error *err)
{
	double d;

	if (strcmp(k, "interval") == 0) {
		if (seconds(v, 0.05, 3600, &d) < 0)
			return err_set(err, 0, "%s:%d: interval '%s': expected seconds from 0.05 to 3600",
				       label, line, v);
		s->interval_ms = (unsigned)(d * 1000 + 0.5);
	} else if (strcmp(k, "log_size") == 0) {
		uint64_t b;
		if (settings_size_parse(v, &b) < 0 || b < SETTINGS_LOG_SIZE_MIN)
			return err_set(err, 0, "%s:%d: log_size '%s': expected a size of at least 4 KiB, such as 1M or 512KiB",
				       label, line, v);
		s->log_size = b;
	} else if (strcmp(k, "default_network") == 0) {
		if (name_domain_problem(v) != NULL)
			return err_set(err, 0, "%s:%d: default_network '%s': %s", label, line, v,
				       name_domain_problem(v));
		free(s->default_network);
		s->default_network = xstrdup(v);
	} else if (strcmp(k, "selinux") == 0) {
		int mode = settings_selinux_parse(v);
		if (mode < 0)
			return err_set(err, 0, "%s:%d: selinux '%s': expected auto, on or off", label,
				       line, v);
		s->selinux = (enum settings_selinux)mode;
	} else if (strcmp(k, "shutdown_timeout") == 0) {
		if (seconds(v, 0, SETTINGS_SHUTDOWN_TIMEOUT_MAX, &d) < 0 || d != (unsigned)d)
			return err_set(err, 0, "%s:%d: shutdown_timeout '%s': expected whole seconds from 0 to %d",
				       label, line, v, SETTINGS_SHUTDOWN_TIMEOUT_MAX);
		s->shutdown_timeout_s = (unsigned)d;
	} else {
		return err_set(err, 0, "%s:%d: unknown key '%s'; expected one of " KEYS, label, line, k);
	}
	return 0;
}

int settings_parse(struct settings *s, const char *buf, size_t len, const char *label,
		   struct error *err)
{
	_cleanup_free_ char *copy = xstrndup(buf, len);
	int line = 0;

	if (strlen(copy) != len)
		return err_set(err, 0, "%s: holds a NUL byte; expected a text file", label);
	for (char *rest = copy, *ln; (ln = strsep(&rest, "\n")) != NULL;) {
		char *eq, *k, *v;

		line++;
		k = trim(ln);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL)
			return err_set(err, 0, "%s:%d: '%s' is not a setting; expected KEY = VALUE",
				       label, line, k);
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (set_key(s, k, v, label, line, err) < 0)
			return -1;
	}
	return 0;
}

int settings_load(struct settings *s, const char *path, struct error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;

	if (file_read_all(path, SETTINGS_MAX, &buf, &len, err) < 0) {
		if (err->errnum == ENOENT) {
			err_clear(err);
			return 0;
		}
		return -1;
	}
	return settings_parse(s, buf, len, path, err);
}
