/* Writing and strictly reading a struct through its field table. */
#include "config/json-codec.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/names.h"
#include "config/uuid.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "JC_U32 also serves unsigned fields");

#define AT(obj, off, type) ((type *)((char *)(obj) + (off)))
#define CAT(obj, off, type) ((const type *)((const char *)(obj) + (off)))

void jc_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) < 0) {
		fputs("corral: out of memory building JSON\n", stderr);
		abort();
	}
}

static json_t *jarray(void)
{
	json_t *a = json_array();

	if (a == NULL) {
		fputs("corral: out of memory building JSON\n", stderr);
		abort();
	}
	return a;
}

static void append(json_t *a, json_t *v)
{
	if (v == NULL || json_array_append_new(a, v) < 0) {
		fputs("corral: out of memory building JSON\n", stderr);
		abort();
	}
}

static json_t *put_u64(uint64_t v)
{
	char buf[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return json_string(buf);
}

static json_t *put_field(const struct jc_field *f, const void *obj)
{
	char buf[UUID_STR_LEN];

	switch (f->kind) {
	case JC_STR: {
		const char *s = *CAT(obj, f->off, char *);
		return s != NULL ? json_string(s) : NULL;
	}
	case JC_U64: {
		uint64_t v = *CAT(obj, f->off, uint64_t);
		return v != UINT64_MAX ? put_u64(v) : NULL;
	}
	case JC_U32:
		return json_integer(*CAT(obj, f->off, uint32_t));
	case JC_INT:
		return json_integer(*CAT(obj, f->off, int));
	case JC_I64:
		return json_integer(*CAT(obj, f->off, int64_t));
	case JC_BOOL:
		return json_boolean(*CAT(obj, f->off, bool));
	case JC_ENUM: {
		/* Out of range is a bug upstream; null makes the reader name it. */
		unsigned v = *CAT(obj, f->off, unsigned);
		return v < f->n_names ? json_string(f->names[v]) : json_null();
	}
	case JC_UUID:
		uuid_format(CAT(obj, f->off, uint8_t), buf);
		return json_string(buf);
	case JC_MAC: {
		const uint8_t *m = CAT(obj, f->off, uint8_t);
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
		return json_string(buf);
	}
	case JC_STRV: {
		char *const *v = *(char *const *const *)((const char *)obj + f->off);
		size_t n = *CAT(obj, f->count_off, size_t);
		json_t *a;
		if (n == 0)
			return NULL;
		a = jarray();
		for (size_t i = 0; i < n; i++)
			append(a, json_string(v[i]));
		return a;
	}
	case JC_ARRAY: {
		const char *v = *CAT(obj, f->off, char *);
		size_t n = *CAT(obj, f->count_off, size_t);
		json_t *a;
		if (n == 0)
			return NULL;
		a = jarray();
		for (size_t i = 0; i < n; i++)
			append(a, jc_put(f->sub, v + i * f->sub->size));
		return a;
	}
	case JC_OBJ:
		return jc_put(f->sub, CAT(obj, f->off, char));
	case JC_NAMED: {
		json_t *o = json_object();
		for (size_t i = 0; i < f->n_names && o != NULL; i++)
			jc_set(o, f->names[i], jc_put(f->sub, CAT(obj, f->off + i * f->sub->size, char)));
		return o;
	}
	case JC_CUSTOM:
		return f->put(f, obj);
	}
	return NULL;
}

json_t *jc_put(const struct jc_type *t, const void *obj)
{
	json_t *o = json_object();

	if (o == NULL) {
		fputs("corral: out of memory building JSON\n", stderr);
		abort();
	}
	for (size_t i = 0; i < t->n_fields; i++) {
		json_t *v = put_field(&t->fields[i], obj);
		if (v != NULL)
			jc_set(o, t->fields[i].key, v);
	}
	return o;
}

/* ---- reading ---- */

struct jc_reader {
	char path[256]; /* of the field being read, for messages only */
	size_t len;
	struct error *err;
};

/* Extends the path; returns the length to restore. A path too long for the
 * buffer is cut short, which only shortens a message. */
static size_t push(struct jc_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static size_t push(struct jc_reader *r, const char *fmt, ...)
{
	size_t saved = r->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->path + r->len, sizeof(r->path) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n < sizeof(r->path) - r->len ? (size_t)n : sizeof(r->path) - 1 - r->len;
	return saved;
}

static void pop(struct jc_reader *r, size_t saved)
{
	r->len = saved;
	r->path[saved] = '\0';
}

int jc_fail(struct jc_reader *r, const char *sub, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	return err_set(r->err, EINVAL, "%s%s: %s", r->len > 0 ? r->path : "(top level)",
		       sub != NULL ? sub : "", msg != NULL ? msg : "invalid");
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

static int want(struct jc_reader *r, const json_t *v, json_type type, const char *expected)
{
	if (json_typeof(v) == type || (type == JSON_TRUE && json_is_boolean(v)))
		return 0;
	return jc_fail(r, NULL, "expected %s, found %s", expected, type_name(v));
}

static int get_integer(struct jc_reader *r, const json_t *v, json_int_t min, json_int_t max,
		       json_int_t *out)
{
	if (want(r, v, JSON_INTEGER, "an integer") < 0)
		return -1;
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return jc_fail(r, NULL, "%lld is out of range (%lld to %lld)", (long long)*out,
			       (long long)min, (long long)max);
	return 0;
}

static int get_u64(struct jc_reader *r, const json_t *v, uint64_t *out)
{
	const char *s;
	char *end = NULL;
	json_int_t i;

	if (!json_is_string(v)) {
		if (get_integer(r, v, 0, INT64_MAX, &i) < 0)
			return -1;
		*out = (uint64_t)i;
		return 0;
	}
	s = json_string_value(v);
	if (s[0] < '0' || s[0] > '9')
		return jc_fail(r, NULL, "'%s' is not a number", s);
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out == UINT64_MAX)
		return jc_fail(r, NULL, "'%s' is not a number from 0 to %" PRIu64, s, UINT64_MAX - 1);
	return 0;
}

static int get_enum(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	_cleanup_free_ char *all = NULL;

	if (want(r, v, JSON_STRING, "a string") < 0)
		return -1;
	for (size_t i = 0; i < f->n_names; i++) {
		if (strcmp(json_string_value(v), f->names[i]) == 0) {
			*AT(obj, f->off, unsigned) = (unsigned)i;
			return 0;
		}
	}
	for (size_t i = 0; i < f->n_names; i++) {
		char *more = xasprintf("%s%s'%s'", all != NULL ? all : "", i > 0 ? ", " : "",
				       f->names[i]);
		free(all);
		all = more;
	}
	return jc_fail(r, NULL, "'%s' is not one of %s", json_string_value(v), all ? all : "");
}

static int get_mac(struct jc_reader *r, const json_t *v, uint8_t mac[6])
{
	const char *s;

	if (want(r, v, JSON_STRING, "a string") < 0)
		return -1;
	s = json_string_value(v);
	if (name_mac_parse(s, mac) < 0)
		return jc_fail(r, NULL, "'%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", s);
	return 0;
}

static int get_obj(struct jc_reader *r, const struct jc_type *t, const json_t *v, void *obj);

static int get_strv(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	size_t n;
	char **strv;

	if (want(r, v, JSON_ARRAY, "an array") < 0)
		return -1;
	n = json_array_size(v);
	if (n == 0)
		return 0;
	strv = xcalloc(n, sizeof(*strv));
	*AT(obj, f->off, char **) = strv;
	*AT(obj, f->count_off, size_t) = n;
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(v, i);
		if (!json_is_string(s))
			return jc_fail(r, NULL, "item %zu: expected a string, found %s", i, type_name(s));
		strv[i] = xstrdup(json_string_value(s));
	}
	return 0;
}

static int get_array(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	const struct jc_type *t = f->sub;
	size_t n;
	char *elems;

	if (want(r, v, JSON_ARRAY, "an array") < 0)
		return -1;
	n = json_array_size(v);
	if (n == 0)
		return 0;
	elems = xcalloc(n, t->size);
	for (size_t i = 0; t->init != NULL && i < n; i++)
		t->init(elems + i * t->size);
	*AT(obj, f->off, char *) = elems;
	*AT(obj, f->count_off, size_t) = n;
	for (size_t i = 0; i < n; i++) {
		size_t saved = push(r, "[%zu]", i);
		if (get_obj(r, t, json_array_get(v, i), elems + i * t->size) < 0)
			return -1;
		pop(r, saved);
	}
	return 0;
}

static int get_named(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	const char *key;
	const json_t *item;

	if (want(r, v, JSON_OBJECT, "an object") < 0)
		return -1;
	json_object_foreach ((json_t *)v, key, item) {
		size_t i = 0, saved;

		while (i < f->n_names && strcmp(f->names[i], key) != 0)
			i++;
		if (i == f->n_names)
			return jc_fail(r, NULL, "unknown entry '%s'", key);
		saved = push(r, ".%s", key);
		if (get_obj(r, f->sub, item, AT(obj, f->off + i * f->sub->size, char)) < 0)
			return -1;
		pop(r, saved);
	}
	return 0;
}

static int get_field(struct jc_reader *r, const struct jc_field *f, const json_t *v, void *obj)
{
	json_int_t i;

	switch (f->kind) {
	case JC_STR:
		if (want(r, v, JSON_STRING, "a string") < 0)
			return -1;
		free(*AT(obj, f->off, char *));
		*AT(obj, f->off, char *) = xstrdup(json_string_value(v));
		return 0;
	case JC_U64:
		return get_u64(r, v, AT(obj, f->off, uint64_t));
	case JC_U32:
		if (get_integer(r, v, 0, UINT32_MAX, &i) < 0)
			return -1;
		*AT(obj, f->off, uint32_t) = (uint32_t)i;
		return 0;
	case JC_INT:
		if (get_integer(r, v, INT_MIN, INT_MAX, &i) < 0)
			return -1;
		*AT(obj, f->off, int) = (int)i;
		return 0;
	case JC_I64:
		if (get_integer(r, v, INT64_MIN, INT64_MAX, &i) < 0)
			return -1;
		*AT(obj, f->off, int64_t) = i;
		return 0;
	case JC_BOOL:
		if (want(r, v, JSON_TRUE, "a boolean") < 0)
			return -1;
		*AT(obj, f->off, bool) = json_is_true(v);
		return 0;
	case JC_ENUM:
		return get_enum(r, f, v, obj);
	case JC_UUID:
		if (want(r, v, JSON_STRING, "a string") < 0)
			return -1;
		if (uuid_parse(json_string_value(v), AT(obj, f->off, uint8_t)) < 0)
			return jc_fail(r, NULL, "'%s' is not a UUID", json_string_value(v));
		return 0;
	case JC_MAC:
		return get_mac(r, v, AT(obj, f->off, uint8_t));
	case JC_STRV:
		return get_strv(r, f, v, obj);
	case JC_ARRAY:
		return get_array(r, f, v, obj);
	case JC_OBJ:
		return get_obj(r, f->sub, v, AT(obj, f->off, char));
	case JC_NAMED:
		return get_named(r, f, v, obj);
	case JC_CUSTOM:
		return f->get(r, f, v, obj);
	}
	return jc_fail(r, NULL, "unknown field kind");
}

static int get_obj(struct jc_reader *r, const struct jc_type *t, const json_t *v, void *obj)
{
	const char *key;
	const json_t *item;

	if (want(r, v, JSON_OBJECT, "an object") < 0)
		return -1;
	/* Table order, not the file's: a custom reader may rely on the fields
	 * before it (an address on its family). */
	for (size_t i = 0; i < t->n_fields; i++) {
		const struct jc_field *f = &t->fields[i];
		const json_t *fv = json_object_get(v, f->key);
		size_t saved;

		if (fv == NULL)
			continue;
		saved = push(r, "%s%s", r->len > 0 ? "." : "", f->key);
		if (get_field(r, f, fv, obj) < 0)
			return -1;
		pop(r, saved);
	}
	json_object_foreach ((json_t *)v, key, item) {
		size_t i = 0;

		while (i < t->n_fields && strcmp(t->fields[i].key, key) != 0)
			i++;
		if (i == t->n_fields) {
			push(r, "%s%s", r->len > 0 ? "." : "", key);
			return jc_fail(r, NULL, "unknown field");
		}
	}
	return 0;
}

int jc_get(const struct jc_type *t, const json_t *v, void *obj, struct error *err)
{
	struct jc_reader r = { .err = err };

	return get_obj(&r, t, v, obj);
}
