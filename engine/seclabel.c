/* Label decisions (<seclabel> against the host's model), MCS category pairs
 * kept unique across monitors and engine restarts, context strings. */
#include "engine/seclabel.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "config/domain.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* Random picks before a full scan: with few containers the first wins. */
#define MCS_RANDOM_TRIES 64

static char *mcs_path(const char *dir, int c1, int c2)
{
	return xasprintf("%s/mcs-c%d,c%d", dir, c1, c2);
}

/* True when the record's owner is a live process. A reused pid only keeps
 * a pair taken longer, never shares it. */
static bool record_alive(const char *path)
{
	char buf[32] = { 0 };
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	long pid;

	if (fd < 0)
		return errno != ENOENT;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		return true; /* being written by its owner right now */
	pid = strtol(buf, NULL, 10);
	if (pid <= 0)
		return true;
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* 1 when the pair is now ours, 0 when a live owner holds it. */
static int try_pair(const char *dir, int owner_pid, int c1, int c2, struct error *err)
{
	_cleanup_free_ char *path = mcs_path(dir, c1, c2);
	char text[32];
	int len = snprintf(text, sizeof(text), "%d\n", owner_pid);

	for (int attempt = 0; attempt < 2; attempt++) {
		_cleanup_close_ int fd =
			open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

		if (fd >= 0) {
			if (write(fd, text, (size_t)len) != len) {
				int saved = errno;
				unlink(path);
				errno = saved;
				return err_sys(err, "record MCS pair in '%s'", path);
			}
			return 1;
		}
		if (errno != EEXIST)
			return err_sys(err, "record MCS pair in '%s'", path);
		if (record_alive(path))
			return 0;
		/* A dead owner's pair: remove the record, then race for it
		 * like everyone else with O_EXCL. */
		if (unlink(path) < 0 && errno != ENOENT)
			return err_sys(err, "remove stale MCS record '%s'", path);
	}
	return 0;
}

int seclabel_mcs_alloc(const char *dir, int owner_pid, int ncats, int pair[2], struct error *err)
{
	for (int i = 0; i < MCS_RANDOM_TRIES; i++) {
		unsigned r[2];
		int c1, c2, rc;

		if (getrandom(r, sizeof(r), 0) != sizeof(r))
			return err_sys(err, "MCS pair: random");
		c1 = (int)(r[0] % (unsigned)ncats);
		c2 = (int)(r[1] % (unsigned)ncats);
		if (c1 == c2)
			continue;
		if (c1 > c2) {
			int t = c1;
			c1 = c2;
			c2 = t;
		}
		rc = try_pair(dir, owner_pid, c1, c2, err);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			pair[0] = c1;
			pair[1] = c2;
			return 0;
		}
	}
	for (int c1 = 0; c1 < ncats; c1++)
		for (int c2 = c1 + 1; c2 < ncats; c2++) {
			int rc = try_pair(dir, owner_pid, c1, c2, err);

			if (rc < 0)
				return -1;
			if (rc == 1) {
				pair[0] = c1;
				pair[1] = c2;
				return 0;
			}
		}
	return err_set(err, ENOSPC, "no free MCS category pair in '%s'", dir);
}

void seclabel_mcs_free(const char *dir, const int pair[2])
{
	_cleanup_free_ char *path = NULL;

	if (pair[0] < 0)
		return;
	path = mcs_path(dir, pair[0], pair[1]);
	unlink(path);
}

/* A context is user:role:type[:level[:categories]], printable, no quotes
 * (it goes into a mount option between them). */
static int check_context_text(const char *ctx, const char *what, struct error *err)
{
	int colons = 0;

	for (const char *p = ctx; *p != '\0'; p++) {
		if (!isgraph((unsigned char)*p) || *p == '"' || *p == '\\')
			return err_set(err, EINVAL, "%s '%s' is not an SELinux context", what, ctx);
		colons += *p == ':';
	}
	if (colons < 2 || ctx[0] == ':' || strstr(ctx, "::") != NULL)
		return err_set(err, EINVAL,
			       "%s '%s' is not an SELinux context; expected user:role:type:level, for example system_u:system_r:svirt_lxc_net_t:s0",
			       what, ctx);
	return 0;
}

int seclabel_context_mcs(const char *base, int c1, int c2, char **out, struct error *err)
{
	const char *p = base;

	if (check_context_text(base, "base context", err) < 0)
		return -1;
	if (c1 < 0 || c2 <= c1 || c2 >= SECLABEL_MCS_CATS)
		return err_set(err, EINVAL, "MCS pair c%d,c%d is not valid", c1, c2);
	/* Past user, role and type; what follows (the range) is replaced. */
	for (int i = 0; i < 3; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			break;
		p++;
	}
	*out = xasprintf("%.*s:s0:c%d,c%d",
			 (int)(p != NULL ? (size_t)(p - base - 1) : strlen(base)), base, c1, c2);
	return 0;
}

/* The value of `key = "value"` (quotes optional) in an lxc_contexts file. */
static int contexts_value(const char *line, const char *key, char **out)
{
	size_t klen = strlen(key);
	const char *v, *end;

	line += strspn(line, " \t");
	if (strncmp(line, key, klen) != 0)
		return 0;
	v = line + klen + strspn(line + klen, " \t");
	if (*v != '=')
		return 0;
	v++;
	v += strspn(v, " \t");
	if (*v == '"') {
		v++;
		end = strchr(v, '"');
		if (end == NULL)
			return -1;
	} else {
		end = v + strcspn(v, " \t\r\n#");
	}
	free(*out);
	*out = xstrndup(v, (size_t)(end - v));
	return 1;
}

int seclabel_parse_lxc_contexts(const char *text, char **process, char **file, struct error *err)
{
	_cleanup_free_ char *p = NULL, *f = NULL;
	int lineno = 0;

	for (const char *line = text; line != NULL && *line != '\0';) {
		const char *nl = strchr(line, '\n');
		_cleanup_free_ char *l = nl != NULL ? xstrndup(line, (size_t)(nl - line)) : xstrdup(line);

		lineno++;
		line = nl != NULL ? nl + 1 : NULL;
		if (contexts_value(l, "process", &p) < 0 || contexts_value(l, "file", &f) < 0)
			return err_set(err, EINVAL, "lxc_contexts line %d: unterminated quote", lineno);
	}
	if (p == NULL || f == NULL)
		return err_set(err, EINVAL, "lxc_contexts: no %s entry",
			       p == NULL ? "'process'" : "'file'");
	if (check_context_text(p, "lxc_contexts process", err) < 0 ||
	    check_context_text(f, "lxc_contexts file", err) < 0)
		return -1;
	*process = move_ptr(p);
	*file = move_ptr(f);
	return 0;
}

int seclabel_backend_for(enum settings_selinux mode, const struct seclabel_backend *host,
			 const struct seclabel_backend **out, struct error *err)
{
	if (mode == SETTINGS_SELINUX_OFF) {
		*out = &seclabel_backend_none;
		return 0;
	}
	if (mode == SETTINGS_SELINUX_ON && strcmp(host->model, "selinux") != 0)
		return err_set(err, ENOTSUP,
			       "corrald.conf says selinux = on, but SELinux is not enabled on this host; refusing to run the container unlabelled (enable SELinux, or set selinux = auto or off)");
	*out = host;
	return 0;
}

static bool wants_selinux(const struct dom_seclabel *s)
{
	return (s->model != NULL && strcmp(s->model, "selinux") == 0) || s->label != NULL ||
	       s->imagelabel != NULL || s->baselabel != NULL || s->type == DOM_SEC_STATIC;
}

static int plan_dynamic(const struct dom_seclabel *s, const struct seclabel_backend *be,
			const char *mcs_dir, int owner_pid, struct seclabel *out, struct error *err)
{
	_cleanup_free_ char *process = NULL, *file = NULL;

	if (be->base_contexts(&process, &file, err) < 0)
		return -1;
	if (seclabel_mcs_alloc(mcs_dir, owner_pid, SECLABEL_MCS_CATS, out->mcs, err) < 0)
		return -1;
	if (seclabel_context_mcs(s->baselabel != NULL ? s->baselabel : process, out->mcs[0],
				 out->mcs[1], &out->label, err) < 0)
		return -1;
	if (s->imagelabel != NULL)
		out->imagelabel = xstrdup(s->imagelabel);
	else if (seclabel_context_mcs(file, out->mcs[0], out->mcs[1], &out->imagelabel, err) < 0)
		return -1;
	out->relabel = s->relabel != 0;
	return 0;
}

int seclabel_plan(const struct domain *dom, const struct seclabel_backend *be, const char *mcs_dir,
		  int owner_pid, struct seclabel *out, struct error *err)
{
	const struct dom_seclabel *s = &dom->seclabel;
	struct seclabel sl = SECLABEL_INIT;

	sl.model = be->model;
	sl.doi = be->doi;
	*out = sl;
	if (s->model != NULL && strcmp(s->model, "selinux") != 0 && strcmp(s->model, "none") != 0)
		return err_set(err, ENOTSUP,
			       "<seclabel model='%s'> is not supported: corral labels with 'selinux' or 'none'",
			       s->model);
	if (s->type == DOM_SEC_NONE || (s->model != NULL && strcmp(s->model, "none") == 0))
		return 0;
	if (strcmp(be->model, "selinux") != 0) {
		if (wants_selinux(s))
			return err_set(err, ENOTSUP,
				       "<seclabel> asks for an SELinux label, but selinux is not enabled on this host; refusing to run it unconfined (use <seclabel type='none'/> to run without a label)");
		return 0;
	}
	if (s->type == DOM_SEC_STATIC) {
		out->label = xstrdup(s->label);
		out->imagelabel = s->imagelabel != NULL ? xstrdup(s->imagelabel) : NULL;
		out->relabel = s->relabel == 1;
	} else if (plan_dynamic(s, be, mcs_dir, owner_pid, out, err) < 0) {
		goto fail;
	}
	if (check_context_text(out->label, "<seclabel> label", err) < 0 ||
	    be->check(out->label, err) < 0)
		goto fail;
	if (out->imagelabel != NULL &&
	    (check_context_text(out->imagelabel, "<seclabel> imagelabel", err) < 0 ||
	     be->check(out->imagelabel, err) < 0))
		goto fail;
	return 0;
fail:
	seclabel_release(out, mcs_dir);
	return -1;
}

void seclabel_release(struct seclabel *sl, const char *mcs_dir)
{
	seclabel_mcs_free(mcs_dir, sl->mcs);
	free(sl->label);
	free(sl->imagelabel);
	sl->label = sl->imagelabel = NULL;
	sl->mcs[0] = sl->mcs[1] = -1;
}

char *seclabel_mount_options(const struct seclabel *sl)
{
	return sl->imagelabel != NULL ? xasprintf("context=\"%s\"", sl->imagelabel) : NULL;
}

json_t *seclabel_json(const struct seclabel *sl)
{
	json_t *o = json_pack("{s:s, s:s}", "model", sl->model != NULL ? sl->model : "none", "doi",
			      sl->doi != NULL ? sl->doi : "0");

	if (sl->label != NULL)
		json_object_set_new(o, "label", json_string(sl->label));
	if (sl->imagelabel != NULL)
		json_object_set_new(o, "imagelabel", json_string(sl->imagelabel));
	return o;
}
