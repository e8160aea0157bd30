/* The definitions store: one NAME.xml per persistent domain in a directory,
 * every save atomic, so a crash mid-save leaves the old definition whole. */
#ifndef CORRAL_CONFIG_STORE_H
#define CORRAL_CONFIG_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/domain.h"

struct error;
struct paths;

/* Names of the definitions in dir (files NAME.xml; temp files and anything
 * else are ignored), sorted. Free with store_names_free. A missing dir is an
 * empty list. */
int store_list(const char *dir, char ***names, size_t *n, struct error *err);
/* The same for files NAME.EXT, ext with its dot (".json"). */
int store_list_ext(const char *dir, const char *ext, char ***names, size_t *n,
		   struct error *err);
void store_names_free(char **names, size_t n);

/* Loads dir/NAME.xml. Parse problems go to d (and make it fail). */
int store_load(const char *dir, const char *name, struct domain **out, struct diags *d,
	       struct error *err);
/* Writes dir/NAME.xml atomically (mode 0600, creating dir if needed). */
int store_save(const char *dir, const struct domain *dom, struct error *err);
int store_delete(const char *dir, const char *name, struct error *err);
bool store_exists(const char *dir, const char *name);

/* Autostart marks: a symlink autostart/NAME.xml -> ../domains/NAME.xml. */
int store_autostart_set(const struct paths *p, const char *name, bool on, struct error *err);
bool store_autostart_get(const struct paths *p, const char *name);

#endif
