/* The network model as JSON: the live definition of an active network
 * that monitors read, without libxml2. Line numbers are not kept. */
#ifndef CORRAL_CONFIG_NETWORK_JSON_H
#define CORRAL_CONFIG_NETWORK_JSON_H

#include <jansson.h>

struct error;
struct network;

/* Largest file net_json_load reads, so that a bad file cannot exhaust
 * memory. */
#define NET_JSON_MAX (2u << 20)

json_t *net_to_json(const struct network *net);
/* Strict as dom_from_json: errors name the field ("ips[0].address: …");
 * a definition without a valid name or a bridge is refused. */
int net_from_json(const json_t *v, struct network **out, struct error *err);

/* The file forms; errors name path. net_json_save replaces path without
 * fsync (file_write_replace), mode 0600: for runtime files only. */
int net_json_load(const char *path, struct network **out, struct error *err);
int net_json_save(const char *path, const struct network *net, struct error *err);

#endif
