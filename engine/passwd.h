/* Users and groups as a container's own /etc/passwd and /etc/group name them,
 * parsed from the files rather than asked of NSS, which would answer with
 * the host's. */
#ifndef CORRAL_ENGINE_PASSWD_H
#define CORRAL_ENGINE_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct error;

struct passwd_ident {
	uid_t uid;
	gid_t gid;
	char *home;     /* "/" when the user has no entry */
	gid_t *groups;  /* supplementary groups, the primary one first */
	size_t n_groups;
};

/* Looks name up in the text of a passwd file; true when found. */
bool passwd_find_user(const char *text, const char *name, uid_t *uid, gid_t *gid, char **home);
/* Looks name up in the text of a group file; true when found. */
bool passwd_find_group(const char *text, const char *name, gid_t *gid);
/* The groups of a group file that list user as a member, appended to
 * *gids (grown with xrealloc). */
void passwd_member_groups(const char *text, const char *user, gid_t **gids, size_t *n);

/* Resolves <inituser>/<initgroup> (names or numbers; NULL for root's and
 * the user's own group) against the files at passwd_path and group_path. */
int passwd_resolve(const char *passwd_path, const char *group_path, const char *user,
		   const char *group, struct passwd_ident *id, struct error *err);
void passwd_ident_free(struct passwd_ident *id);

#endif
