/* The in-memory domain table, kept in name order, backed by the store. */
#include "engine/registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/diag.h"
#include "config/paths.h"
#include "config/store.h"
#include "config/uuid.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

struct registry {
	const struct paths *paths;
	struct reg_domain **v; /* sorted by name */
	size_t n;
	/* The running and paused ones, sorted by name: the sampler visits them
	 * every interval, and walking a thousand definitions to find twenty
	 * costs it more than reading some of their files. */
	struct reg_domain **active;
	size_t n_active;
	int next_id;
};

static const char *const state_names[] = {
	[REG_SHUTOFF] = "shut off",
	[REG_RUNNING] = "running",
	[REG_PAUSED] = "paused",
	[REG_CRASHED] = "crashed",
};

const char *reg_state_name(enum reg_state state)
{
	return state_names[state];
}

bool reg_is_active(const struct reg_domain *d)
{
	return d->state == REG_RUNNING || d->state == REG_PAUSED;
}

struct registry *reg_new(const struct paths *p)
{
	struct registry *r = xcalloc(1, sizeof(*r));

	r->paths = p;
	r->next_id = 1;
	return r;
}

static void domain_free(struct reg_domain *d)
{
	dom_free(d->def);
	dom_free(d->newdef);
	free(d->reason);
	free(d);
}

void reg_free(struct registry *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		domain_free(r->v[i]);
	free(r->v);
	free(r->active);
	free(r);
}

size_t reg_count(const struct registry *r)
{
	return r->n;
}

struct reg_domain *reg_at(const struct registry *r, size_t i)
{
	return i < r->n ? r->v[i] : NULL;
}

size_t reg_active_count(const struct registry *r)
{
	return r->n_active;
}

struct reg_domain *reg_active_at(const struct registry *r, size_t i)
{
	return i < r->n_active ? r->active[i] : NULL;
}

/* Index of name in v[0..n), or where it would go (with *found false). */
static size_t find_in(struct reg_domain *const *v, size_t n, const char *name, bool *found)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid]->def->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static size_t find_slot(const struct registry *r, const char *name, bool *found)
{
	return find_in(r->v, r->n, name, found);
}

/* Puts d in the active list or takes it out, as its state now says. */
static void sync_active(struct registry *r, struct reg_domain *d)
{
	bool found;
	size_t i = find_in(r->active, r->n_active, d->def->name, &found);

	if (reg_is_active(d) && !found) {
		r->active = xreallocarray(r->active, r->n_active + 1, sizeof(*r->active));
		memmove(r->active + i + 1, r->active + i, (r->n_active - i) * sizeof(*r->active));
		r->active[i] = d;
		r->n_active++;
	} else if (!reg_is_active(d) && found) {
		memmove(r->active + i, r->active + i + 1,
			(r->n_active - i - 1) * sizeof(*r->active));
		r->n_active--;
	}
}

static struct reg_domain *find_uuid(const struct registry *r, const char *uuid)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcasecmp(r->v[i]->uuid, uuid) == 0)
			return r->v[i];
	return NULL;
}

struct reg_domain *reg_lookup(struct registry *r, const char *name_or_uuid)
{
	bool found;
	size_t i = find_slot(r, name_or_uuid, &found);

	if (found)
		return r->v[i];
	return find_uuid(r, name_or_uuid);
}

static struct reg_domain *insert(struct registry *r, struct domain *def, bool persistent)
{
	struct reg_domain *d = xcalloc(1, sizeof(*d));
	bool found;
	size_t i = find_slot(r, def->name, &found);

	d->def = def;
	uuid_format(def->uuid, d->uuid);
	d->persistent = persistent;
	d->state = REG_SHUTOFF;
	d->id = -1;
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	memmove(r->v + i + 1, r->v + i, (r->n - i) * sizeof(*r->v));
	r->v[i] = d;
	r->n++;
	return d;
}

static void remove_domain(struct registry *r, struct reg_domain *d)
{
	bool found;
	size_t i = find_slot(r, d->def->name, &found);

	if (!found || r->v[i] != d)
		return;
	d->state = REG_SHUTOFF;
	sync_active(r, d);
	memmove(r->v + i, r->v + i + 1, (r->n - i - 1) * sizeof(*r->v));
	r->n--;
	domain_free(d);
}

static void load_one(struct registry *r, const char *name)
{
	struct error err = ERROR_INIT;
	struct diags diags = { 0 };
	struct domain *def = NULL;
	char uuid[REG_UUID_STR];

	if (store_load(r->paths->domains_dir, name, &def, &diags, &err) < 0) {
		_cleanup_free_ char *text = diag_format_all(&diags);
		log_warn("skipping definition '%s': %s%s%s", name, err_msg(&err),
			 text != NULL ? "\n" : "", text != NULL ? text : "");
		goto out;
	}
	if (strcmp(def->name, name) != 0) {
		log_warn("skipping '%s.xml': it defines '%s'; rename the file or the domain",
			 name, def->name);
		goto out;
	}
	uuid_format(def->uuid, uuid);
	struct reg_domain *other = find_uuid(r, uuid);
	if (other != NULL) {
		log_warn("skipping '%s': UUID %s is already used by '%s'", name, uuid,
			 other->def->name);
		goto out;
	}
	struct reg_domain *d = insert(r, move_ptr(def), true);
	d->autostart = store_autostart_get(r->paths, name);
	log_debug("loaded '%s' (%s)%s", name, d->uuid, d->autostart ? ", autostart" : "");
out:
	dom_free(def);
	diags_clear(&diags);
	err_clear(&err);
}

int reg_load(struct registry *r, struct error *err)
{
	char **names = NULL;
	size_t n = 0;

	if (store_list(r->paths->domains_dir, &names, &n, err) < 0)
		return err_prefix(err, "load definitions");
	for (size_t i = 0; i < n; i++)
		if (reg_lookup(r, names[i]) == NULL)
			load_one(r, names[i]);
	store_names_free(names, n);
	log_info("%zu definition(s) loaded from '%s'", r->n, r->paths->domains_dir);
	return 0;
}

/* Name and UUID rules shared by define and create: the name may only come
 * back with its own UUID, and a UUID belongs to one name. */
static int check_identity(struct registry *r, struct domain *def, struct reg_domain **existing,
			  struct error *err)
{
	char uuid[REG_UUID_STR];
	struct reg_domain *same_name = reg_lookup(r, def->name);

	/* A UUID-shaped name would make lookups ambiguous. */
	if (same_name != NULL && strcmp(same_name->def->name, def->name) != 0)
		same_name = NULL;
	if (uuid_is_null(def->uuid)) {
		if (same_name != NULL)
			memcpy(def->uuid, same_name->def->uuid, DOM_UUID_LEN);
		else if (uuid_generate(def->uuid, err) < 0)
			return -EIO;
	}
	uuid_format(def->uuid, uuid);
	if (same_name != NULL && strcmp(same_name->uuid, uuid) != 0) {
		err_set(err, 0, "domain '%s' already exists with UUID %s", def->name,
			same_name->uuid);
		return -EEXIST;
	}
	struct reg_domain *same_uuid = find_uuid(r, uuid);
	if (same_uuid != NULL && same_uuid != same_name) {
		err_set(err, 0, "UUID %s is already used by domain '%s'", uuid,
			same_uuid->def->name);
		return -EEXIST;
	}
	*existing = same_name;
	return 0;
}

int reg_define(struct registry *r, struct domain *def_in, struct reg_domain **out, bool *created,
	       struct error *err)
{
	_cleanup_domain_ struct domain *def = def_in;
	struct reg_domain *d;
	int rc;

	rc = check_identity(r, def, &d, err);
	if (rc < 0)
		return rc;
	if (store_save(r->paths->domains_dir, def, err) < 0) {
		err_prefix(err, "save '%s'", def->name);
		return -EIO;
	}
	*created = d == NULL;
	if (d == NULL) {
		d = insert(r, move_ptr(def), true);
	} else if (reg_is_active(d)) {
		dom_free(d->newdef);
		d->newdef = move_ptr(def);
	} else {
		dom_free(d->def);
		d->def = move_ptr(def);
	}
	d->persistent = true;
	if (out != NULL)
		*out = d;
	return 0;
}

int reg_add_transient(struct registry *r, struct domain *def_in, struct reg_domain **out,
		      struct error *err)
{
	_cleanup_domain_ struct domain *def = def_in;
	struct reg_domain *d;
	int rc;

	rc = check_identity(r, def, &d, err);
	if (rc < 0)
		return rc;
	if (d != NULL) {
		err_set(err, 0, "domain '%s' is already defined; start it instead", def->name);
		return -EEXIST;
	}
	d = insert(r, move_ptr(def), false);
	if (out != NULL)
		*out = d;
	return 0;
}

int reg_undefine(struct registry *r, struct reg_domain *d, struct error *err)
{
	const char *name = d->def->name;

	if (!d->persistent) {
		err_set(err, 0, "domain '%s' is transient: there is no definition to remove", name);
		return -EINVAL;
	}
	if (d->autostart && store_autostart_set(r->paths, name, false, err) < 0) {
		err_prefix(err, "undefine '%s'", name);
		return -EIO;
	}
	d->autostart = false;
	if (store_delete(r->paths->domains_dir, name, err) < 0) {
		err_prefix(err, "undefine '%s'", name);
		return -EIO;
	}
	if (reg_is_active(d)) {
		d->persistent = false;
		dom_free(d->newdef);
		d->newdef = NULL;
	} else {
		remove_domain(r, d);
	}
	return 0;
}

int reg_set_autostart(struct registry *r, struct reg_domain *d, bool on, struct error *err)
{
	if (!d->persistent) {
		err_set(err, 0, "cannot set autostart for transient domain '%s'", d->def->name);
		return -EINVAL;
	}
	if (store_autostart_set(r->paths, d->def->name, on, err) < 0) {
		err_prefix(err, "autostart '%s'", d->def->name);
		return -EIO;
	}
	d->autostart = on;
	return 0;
}

static void set_reason(struct reg_domain *d, const char *reason)
{
	free(d->reason);
	d->reason = reason != NULL ? xstrdup(reason) : NULL;
}

void reg_set_running(struct registry *r, struct reg_domain *d, int id, pid_t monitor_pid,
		     pid_t init_pid, const char *reason)
{
	if (!reg_is_active(d)) {
		d->id = id >= 0 ? id : r->next_id;
		if (d->id >= r->next_id)
			r->next_id = d->id + 1;
	}
	d->state = REG_RUNNING;
	d->monitor_pid = monitor_pid;
	d->init_pid = init_pid;
	set_reason(d, reason);
	sync_active(r, d);
}

void reg_set_paused(struct reg_domain *d, bool paused, const char *reason)
{
	if (!reg_is_active(d))
		return;
	d->state = paused ? REG_PAUSED : REG_RUNNING;
	set_reason(d, reason);
}

void reg_set_ended(struct registry *r, struct reg_domain *d, enum reg_state state,
		   const char *reason)
{
	d->state = state == REG_CRASHED ? REG_CRASHED : REG_SHUTOFF;
	d->init_pid = 0;
	set_reason(d, reason);
	sync_active(r, d);
}

bool reg_set_stopped(struct registry *r, struct reg_domain *d, enum reg_state state,
		     const char *reason)
{
	if (!d->persistent) {
		remove_domain(r, d);
		return true;
	}
	d->state = state == REG_CRASHED ? REG_CRASHED : REG_SHUTOFF;
	sync_active(r, d);
	d->id = -1;
	d->monitor_pid = 0;
	d->init_pid = 0;
	set_reason(d, reason);
	if (d->newdef != NULL) {
		dom_free(d->def);
		d->def = move_ptr(d->newdef);
	}
	return false;
}
