/* What the root filesystem templates share: files, links and directories
 * inside the new tree, running a helper program, root's password. */
#include "tui/rootfs.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

extern char **environ;

int rfs_mkdir(const char *dir, const char *rel, mode_t mode, struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, rel);

	if (file_mkdir_p(p, 0755, err) < 0)
		return -1;
	/* mkdir obeys the umask; the modes here (1777 for tmp) must not. */
	if (chmod(p, mode) < 0)
		return err_sys(err, "chmod '%s'", p);
	return 0;
}

int rfs_write(const char *dir, const char *rel, const char *text, mode_t mode, struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, rel);
	_cleanup_close_ int fd = -1;
	size_t len = strlen(text), off = 0;

	/* A file the base system shipped may be a link; the new one replaces
	 * the link rather than writing through it. */
	if (unlink(p) < 0 && errno != ENOENT)
		return err_sys(err, "remove '%s'", p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode != 0 ? mode : 0644);
	if (fd < 0)
		return err_sys(err, "create '%s'", p);
	if (fchmod(fd, mode != 0 ? mode : 0644) < 0)
		return err_sys(err, "chmod '%s'", p);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, "write '%s'", p);
		off += (size_t)n;
	}
	if (close(move_fd(&fd)) < 0)
		return err_sys(err, "write '%s'", p);
	return 0;
}

int rfs_symlink(const char *dir, const char *rel, const char *target, struct error *err)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", dir, rel);

	if (unlink(p) < 0 && errno != ENOENT)
		return err_sys(err, "remove '%s'", p);
	if (symlink(target, p) < 0)
		return err_sys(err, "link '%s' to '%s'", p, target);
	return 0;
}

static int wait_child(pid_t pid, const char *prog, struct error *err)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(err, "wait for %s", prog);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return err_set(err, 0, "%s failed (exit status %d)", prog, WEXITSTATUS(status));
	return err_set(err, 0, "%s was killed by signal %d", prog, WTERMSIG(status));
}

int rfs_run(char *const argv[], FILE *progress, char **capture, struct error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, deflt;
	int fds[2];
	pid_t pid;
	int rc;
	FILE *in;
	char *line = NULL, *buf = NULL;
	size_t cap = 0, blen = 0;
	FILE *mem = NULL;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_sys(err, "pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	if (capture == NULL)
		posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	else
		posix_spawn_file_actions_adddup2(&fa, fileno(progress), 2);
	/* The caller holds off SIGINT and SIGTERM so that it can clean up;
	 * the helper must still die of them. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGHUP);
	sigaddset(&deflt, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	fflush(progress);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return err_set(err, rc, "run %s", argv[0]);
	}
	in = fdopen(fds[0], "r");
	if (in == NULL)
		abort();
	if (capture != NULL)
		mem = open_memstream(&buf, &blen);
	while (getline(&line, &cap, in) >= 0) {
		if (mem != NULL) {
			fputs(line, mem);
		} else {
			fprintf(progress, "  %s", line);
			fflush(progress);
		}
	}
	free(line);
	fclose(in);
	if (mem != NULL)
		fclose(mem);
	if (wait_child(pid, argv[0], err) < 0) {
		free(buf);
		return -1;
	}
	if (capture != NULL)
		*capture = buf;
	return 0;
}

/* A crypt(3) hash with a fresh salt of the library's preferred method. */
static char *hash_password(const char *password, struct error *err)
{
	_cleanup_free_ char *salt = crypt_gensalt_ra(NULL, 0, NULL, 0);
	void *data = NULL;
	int size = 0;
	char *h, *out;

	if (salt == NULL)
		return err_sys(err, "make a password salt"), NULL;
	h = crypt_ra(password, salt, &data, &size);
	if (h == NULL || h[0] == '*') {
		free(data);
		return err_sys(err, "hash the root password"), NULL;
	}
	out = xstrdup(h);
	free(data);
	return out;
}

int rfs_root_password(const char *dir, const char *password, struct error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/etc/shadow", dir);
	_cleanup_free_ char *old = NULL, *hash = NULL, *out = NULL;
	struct stat st = { .st_mode = 0640, .st_uid = 0, .st_gid = 0 };
	size_t len = 0, olen = 0;
	bool found = false;
	FILE *f;

	if (password != NULL && (hash = hash_password(password, err)) == NULL)
		return -1;
	if (file_read_all(path, 1u << 20, &old, &len, err) < 0) {
		if (err->errnum != ENOENT)
			return -1;
		err_clear(err);
		old = xstrdup("");
		st.st_mode = 0600;
	} else if (stat(path, &st) < 0) {
		return err_sys(err, "stat '%s'", path);
	}
	f = open_memstream(&out, &olen);
	for (char *rest = old, *ln; (ln = strsep(&rest, "\n")) != NULL;) {
		if (*ln == '\0' && rest == NULL)
			break;
		if (strncmp(ln, "root:", 5) == 0) {
			const char *tail = strchr(ln + 5, ':');
			/* "!" is what passwd -l leaves: no password opens it. */
			fprintf(f, "root:%s%s\n", hash != NULL ? hash : "!",
				tail != NULL ? tail : ":1:0:99999:7:::");
			found = true;
		} else {
			fprintf(f, "%s\n", ln);
		}
	}
	if (!found)
		fprintf(f, "root:%s:1:0:99999:7:::\n", hash != NULL ? hash : "!");
	fclose(f);
	if (file_write_atomic(path, out, olen, st.st_mode & 07777, err) < 0)
		return -1;
	if (chown(path, st.st_uid, st.st_gid) < 0)
		return err_sys(err, "chown '%s'", path);
	return 0;
}
