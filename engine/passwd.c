/* Parsing of passwd and group files for a container's init identity. */
#include "engine/passwd.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* Large enough for any real passwd or group file. */
#define PASSWD_FILE_MAX (16u << 20)

#define PASSWD_FIELDS 7

/* Splits the line [p, end) into at most max ':'-separated fields of a
 * scratch copy; returns the number of fields. */
static size_t split_line(const char *p, const char *end, char **copy, char **fields, size_t max)
{
	size_t n = 0;
	char *s;

	*copy = xstrndup(p, (size_t)(end - p));
	s = *copy;
	while (n < max) {
		char *colon = strchr(s, ':');

		fields[n++] = s;
		if (colon == NULL)
			break;
		*colon = '\0';
		s = colon + 1;
	}
	return n;
}

static bool parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *out < UINT_MAX;
}

/* Calls fn on each line's fields until it returns true. */
static bool each_line(const char *text, size_t want,
		      bool (*fn)(char **fields, size_t n, void *data), void *data)
{
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		const char *end = nl != NULL ? nl : p + strlen(p);
		_cleanup_free_ char *copy = NULL;
		char *fields[PASSWD_FIELDS];
		size_t n = split_line(p, end, &copy, fields, want);

		if (n == want && fields[0][0] != '#' && fn(fields, n, data))
			return true;
		p = nl != NULL ? nl + 1 : NULL;
	}
	return false;
}

struct user_query {
	const char *name;
	uid_t uid;
	gid_t gid;
	char *home;
};

static bool match_user(char **f, size_t n, void *data)
{
	struct user_query *q = data;
	unsigned long uid, gid;

	if (strcmp(f[0], q->name) != 0 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
		return false;
	q->uid = (uid_t)uid;
	q->gid = (gid_t)gid;
	q->home = xstrdup(f[5][0] != '\0' ? f[5] : "/");
	return true;
}

bool passwd_find_user(const char *text, const char *name, uid_t *uid, gid_t *gid, char **home)
{
	struct user_query q = { .name = name };

	if (!each_line(text, PASSWD_FIELDS, match_user, &q))
		return false;
	*uid = q.uid;
	*gid = q.gid;
	*home = q.home;
	return true;
}

struct group_query {
	const char *name;
	gid_t gid;
};

static bool match_group(char **f, size_t n, void *data)
{
	struct group_query *q = data;
	unsigned long gid;

	if (strcmp(f[0], q->name) != 0 || !parse_id(f[2], &gid))
		return false;
	q->gid = (gid_t)gid;
	return true;
}

bool passwd_find_group(const char *text, const char *name, gid_t *gid)
{
	struct group_query q = { .name = name };

	if (!each_line(text, 4, match_group, &q))
		return false;
	*gid = q.gid;
	return true;
}

struct member_query {
	const char *user;
	gid_t **gids;
	size_t *n;
};

static bool collect_member(char **f, size_t n, void *data)
{
	struct member_query *q = data;
	size_t len = strlen(q->user);
	unsigned long gid;

	if (!parse_id(f[2], &gid))
		return false;
	for (const char *m = f[3]; *m != '\0';) {
		const char *comma = strchr(m, ',');
		size_t mlen = comma != NULL ? (size_t)(comma - m) : strlen(m);

		if (mlen == len && strncmp(m, q->user, len) == 0) {
			*q->gids = xreallocarray(*q->gids, *q->n + 1, sizeof(**q->gids));
			(*q->gids)[(*q->n)++] = (gid_t)gid;
			break;
		}
		if (comma == NULL)
			break;
		m = comma + 1;
	}
	return false;
}

void passwd_member_groups(const char *text, const char *user, gid_t **gids, size_t *n)
{
	struct member_query q = { .user = user, .gids = gids, .n = n };

	each_line(text, 4, collect_member, &q);
}

/* A missing file is empty: numeric ids and root still resolve without one. */
static int read_db(const char *path, char **text, struct error *err)
{
	struct error e = ERROR_INIT;

	if (file_read_all(path, PASSWD_FILE_MAX, text, NULL, &e) == 0)
		return 0;
	if (e.errnum == ENOENT) {
		err_clear(&e);
		*text = xstrdup("");
		return 0;
	}
	if (err != NULL) {
		err_clear(err);
		*err = e;
	} else {
		err_clear(&e);
	}
	return -1;
}

int passwd_resolve(const char *passwd_path, const char *group_path, const char *user,
		   const char *group, struct passwd_ident *id, struct error *err)
{
	_cleanup_free_ char *pw = NULL;
	_cleanup_free_ char *gr = NULL;
	const char *who = user != NULL ? user : "root";
	unsigned long num;

	*id = (struct passwd_ident){ 0 };
	if (read_db(passwd_path, &pw, err) < 0 || read_db(group_path, &gr, err) < 0)
		return -1;
	if (!passwd_find_user(pw, who, &id->uid, &id->gid, &id->home)) {
		if (user == NULL) {
			id->home = xstrdup("/");
		} else if (parse_id(user, &num)) {
			id->uid = (uid_t)num;
			id->home = xstrdup("/");
		} else {
			return err_set(err, 0, "user '%s' not found in '%s'", user, passwd_path);
		}
	}
	if (group != NULL && !passwd_find_group(gr, group, &id->gid)) {
		if (!parse_id(group, &num)) {
			passwd_ident_free(id);
			return err_set(err, 0, "group '%s' not found in '%s'", group, group_path);
		}
		id->gid = (gid_t)num;
	}
	id->groups = xmalloc(sizeof(*id->groups));
	id->groups[0] = id->gid;
	id->n_groups = 1;
	if (user != NULL)
		passwd_member_groups(gr, user, &id->groups, &id->n_groups);
	return 0;
}

void passwd_ident_free(struct passwd_ident *id)
{
	free(id->home);
	free(id->groups);
	*id = (struct passwd_ident){ 0 };
}
