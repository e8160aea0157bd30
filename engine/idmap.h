/* User-namespace id maps: what the monitor writes for a container's init. */
#ifndef CORRAL_ENGINE_IDMAP_H
#define CORRAL_ENGINE_IDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct dom_idmap;
struct domain;
struct error;

/* The text of a uid_map or gid_map file: "start target count" per line. */
char *idmap_format(const struct dom_idmap *map, size_t n);

/* Writes setgroups "deny", then uid_map and gid_map of process pid from the
 * domain's <idmap>. */
int idmap_write(pid_t pid, const struct domain *dom, struct error *err);

#endif
