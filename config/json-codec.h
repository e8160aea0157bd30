/* A table-driven JSON codec for the config models. Each struct is described
 * once, as a table of its fields, and the one table drives both writing and
 * strict reading, so that the two cannot drift apart. */
#ifndef CORRAL_CONFIG_JSON_CODEC_H
#define CORRAL_CONFIG_JSON_CODEC_H

#include <jansson.h>
#include <stddef.h>

struct error;
struct jc_reader;

enum jc_kind {
	JC_STR,    /* char *; left out when NULL */
	JC_U64,    /* uint64_t; left out when UINT64_MAX ("not given"); above
		    * INT64_MAX, which JSON integers cannot hold, a decimal string */
	JC_U32,    /* uint32_t or unsigned */
	JC_INT,    /* int */
	JC_I64,    /* int64_t */
	JC_BOOL,   /* bool */
	JC_ENUM,   /* an int-sized enum, written as its name in names[] */
	JC_UUID,   /* uint8_t[16], as 8-4-4-4-12 */
	JC_MAC,    /* uint8_t[6], as aa:bb:cc:dd:ee:ff */
	JC_STRV,   /* char **, its size_t count at count_off; left out when empty */
	JC_ARRAY,  /* a pointer to structs of type sub, count at count_off;
		    * left out when empty */
	JC_OBJ,    /* an embedded struct of type sub */
	JC_NAMED,  /* an embedded array of n_names structs of type sub, written as
		    * an object keyed by names[] */
	JC_CUSTOM, /* put and get below */
};

struct jc_field {
	const char *key;
	enum jc_kind kind;
	size_t off;
	size_t count_off;
	const char *const *names;
	size_t n_names;
	const struct jc_type *sub;
	/* JC_CUSTOM: the value of field f of the struct at obj, NULL to leave
	 * the key out; and the reader of a present value, failing through
	 * jc_fail. */
	json_t *(*put)(const struct jc_field *f, const void *obj);
	int (*get)(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj);
};

struct jc_type {
	const struct jc_field *fields;
	size_t n_fields;
	size_t size;
	/* The defaults of a new array element before it is read; NULL for all
	 * zero. */
	void (*init)(void *elem);
};

json_t *jc_put(const struct jc_type *t, const void *obj);

/* Reads the object v into obj, which holds its defaults: a key that is
 * absent leaves its field alone. A value of the wrong type, an unknown key
 * or enum name, or a number out of range fails with err naming the field
 * ("interfaces[1].type: …"). On failure obj is partly filled but
 * consistent (every count matches its allocation), for its free function. */
int jc_get(const struct jc_type *t, const json_t *v, void *obj, struct error *err);

/* For JC_CUSTOM readers: fails naming the field, with sub (NULL or e.g.
 * "[2].name") appended to its path. Returns -1. */
int jc_fail(struct jc_reader *r, const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets o[key] to v (taken); out of memory aborts, as xmalloc does. */
void jc_set(json_t *o, const char *key, json_t *v);

#endif
