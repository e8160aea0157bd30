/* corral edit: the inactive definition in $EDITOR, checked here, then
 * defined; a definition that does not pass is never sent. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/domain-xml.h"
#include "engine/client.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"
#include "tui/cli-tui.h"

/* Words of $EDITOR (split on blanks, as "emacs -nw" needs; no shell). */
#define EDIT_MAX_WORDS 16

static const char *editor_of(void)
{
	const char *e = getenv("EDITOR");

	if (e == NULL || e[0] == '\0')
		e = getenv("VISUAL");
	return e != NULL && e[0] != '\0' ? e : "vi";
}

/* Runs the editor on path and waits for it, as system() would but without
 * a shell: the editor owns the terminal and Ctrl-C meanwhile. */
static int run_editor(const char *path, struct error *err)
{
	_cleanup_free_ char *words = xstrdup(editor_of());
	char *argv[EDIT_MAX_WORDS + 2];
	struct sigaction ign = { .sa_handler = SIG_IGN }, oldint, oldquit;
	int n = 0, status;
	char *save = NULL;
	pid_t pid;

	for (char *w = strtok_r(words, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (n == EDIT_MAX_WORDS)
			return err_set(err, 0, "editor '%s' has too many words", editor_of());
		argv[n++] = w;
	}
	if (n == 0)
		return err_set(err, 0, "no editor: set EDITOR");
	argv[n++] = (char *)path;
	argv[n] = NULL;

	sigaction(SIGINT, &ign, &oldint);
	sigaction(SIGQUIT, &ign, &oldquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGQUIT, &oldquit, NULL);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "error: cannot run editor '%s': %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		err_sys(err, "fork");
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGQUIT, &oldquit, NULL);
	if (pid < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, 0, "editor '%s' failed (%s %d); the definition is unchanged",
			       argv[0], WIFEXITED(status) ? "exit status" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* Asks on the terminal whether to edit again; never without one. */
static bool ask_again(struct cli_ctx *ctx)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		return false;
	for (;;) {
		fprintf(ctx->err, "Failed. Try again? [y,n]: ");
		fflush(ctx->err);
		if (fgets(line, sizeof(line), stdin) == NULL)
			return false;
		if (line[0] == 'y' || line[0] == 'Y')
			return true;
		if (line[0] == 'n' || line[0] == 'N')
			return false;
	}
}

/* Checks the edited text here, then defines it: 0, or -1 with the reason
 * in err (diagnostics name the temp file's lines). */
static int check_and_define(struct client *c, const char *path, const char *xml, size_t len,
			    json_t **reply, struct error *err)
{
	struct diags diags = { 0 };
	struct domain *dom = NULL;

	if (dom_parse_buffer(xml, len, path, &dom, &diags) < 0) {
		_cleanup_free_ char *text = diag_format_all(&diags);
		diags_clear(&diags);
		return err_set(err, 0, "invalid definition:\n%s", text != NULL ? text : "(no details)");
	}
	diags_clear(&diags);
	dom_free(dom);
	return cli_call_domain(c, "define", NULL, json_pack("{s:s,s:s}", "xml", xml, "file", path),
			       reply, err);
}

static int write_text(int fd, const char *text)
{
	size_t len = strlen(text);

	while (len > 0) {
		ssize_t w = write(fd, text, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

static int edit_loop(struct cli_ctx *ctx, struct client *c, const char *name, const char *path,
		     const char *orig)
{
	struct error err = ERROR_INIT;

	for (;;) {
		_cleanup_free_ char *xml = NULL;
		json_t *reply = NULL;
		size_t len;

		if (run_editor(path, &err) < 0 ||
		    file_read_all(path, DOM_XML_MAX, &xml, &len, &err) < 0)
			return cli_fail(ctx, &err);
		if (strcmp(xml, orig) == 0) {
			fprintf(ctx->out, "Domain '%s' XML configuration not changed.\n", name);
			return 0;
		}
		if (check_and_define(c, path, xml, len, &reply, &err) == 0) {
			const char *defined = json_string_value(json_object_get(reply, "name"));
			cli_print_warnings(ctx, reply);
			fprintf(ctx->out, "Domain '%s' XML configuration edited.\n",
				defined != NULL ? defined : name);
			json_decref(reply);
			return 0;
		}
		cli_error(ctx, "%s", err_msg(&err));
		err_clear(&err);
		if (!ask_again(ctx))
			return cli_error(ctx, "the definition of '%s' is unchanged", name);
	}
}

int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct client *c = NULL;
	json_t *reply = NULL;
	struct cli_args a;
	const char *xml, *tmpdir = getenv("TMPDIR");
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (cli_connect(ctx, &c, &err) < 0)
		return cli_fail(ctx, &err);
	if (cli_call_domain(c, "dumpxml", a.pos[0], json_pack("{s:b}", "inactive", true), &reply,
			    &err) < 0) {
		client_free(c);
		return cli_fail(ctx, &err);
	}
	xml = json_string_value(json_object_get(reply, "xml"));
	_cleanup_free_ char *path = xasprintf("%s/corral-%s-XXXXXX.xml",
					      tmpdir != NULL && tmpdir[0] != '\0' ? tmpdir : "/tmp",
					      a.pos[0]);
	_cleanup_close_ int fd = mkostemps(path, 4, O_CLOEXEC);
	if (fd < 0 || xml == NULL) {
		rc = fd < 0 ? cli_error(ctx, "create '%s': %s", path, strerror(errno))
			    : cli_error(ctx, "the engine sent no XML for '%s'", a.pos[0]);
	} else if (write_text(fd, xml) < 0) {
		rc = cli_error(ctx, "write '%s': %s", path, strerror(errno));
	} else {
		rc = edit_loop(ctx, c, a.pos[0], path, xml);
	}
	if (fd >= 0)
		unlink(path);
	json_decref(reply);
	client_free(c);
	return rc;
}
