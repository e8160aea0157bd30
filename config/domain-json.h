/* The domain model as JSON: the runtime copy of a definition that the
 * engine hands to corral-monitor. Every field of struct domain but the line
 * numbers, read strictly, without libxml2 (metadata stays an XML string). */
#ifndef CORRAL_CONFIG_DOMAIN_JSON_H
#define CORRAL_CONFIG_DOMAIN_JSON_H

#include <jansson.h>
#include <sys/types.h>

struct domain;
struct error;

/* Largest file dom_json_load reads, so that a bad file cannot exhaust
 * memory: twice DOM_XML_MAX, JSON spelling out every field. */
#define DOM_JSON_MAX (8u << 20)

json_t *dom_to_json(const struct domain *dom);
/* A wrong type, an unknown field or enum name, a number out of range or a
 * missing name fails with err naming the field ("interfaces[1].type: …"),
 * *out NULL. */
int dom_from_json(const json_t *v, struct domain **out, struct error *err);

/* The file forms of the two above; errors name path. dom_json_save replaces
 * path without fsync (file_write_replace): for runtime files only. */
int dom_json_load(const char *path, struct domain **out, struct error *err);
int dom_json_save(const char *path, const struct domain *dom, mode_t mode, struct error *err);

#endif
