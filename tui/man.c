/* The generated sections of the man pages (`corral help --man SECTION`):
 * the verbs from the command table, the XML corral ignores from the
 * parser's own table, so that the pages cannot drift from the program. */
#include <stdio.h>
#include <string.h>

#include "config/schema.h"
#include "tui/actions.h"
#include "tui/cli-tui.h"

/* roff text: a backslash or a leading dot or quote would be read as markup,
 * and '-' must be \- to stay a minus sign that can be searched for. */
static void roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

static void man_verbs(FILE *f)
{
	for (const struct cli_cmd *c = cli_commands; c->name != NULL; c++) {
		fputs(".TP\n.B corral ", f);
		roff(f, c->name);
		if (c->synopsis[0] != '\0') {
			fputs(" \\fR", f);
			roff(f, c->synopsis);
		}
		fputs("\n", f);
		roff(f, c->help);
		fputs(".\n", f);
		if (c->opts == NULL)
			continue;
		for (const struct cli_opt *o = c->opts; o->name != NULL; o++) {
			fputs(".RS\n.TP\n.B \\-\\-", f);
			roff(f, o->name);
			if (o->arg != NULL) {
				fputs(" \\fI", f);
				roff(f, o->arg);
				fputs("\\fR", f);
			}
			fputs("\n", f);
			roff(f, o->help);
			fputs(".\n.RE\n", f);
		}
	}
}

/* The keys of the full-screen program, from the table its dispatcher and
 * help overlay read. */
static void man_keys(FILE *f)
{
	fputs("With no verb,\n.B corral\nis a full\\-screen program. Its keys, which\n"
	      ".I ~/.config/corral/corral.conf\ncan rebind by action name:\n",
	      f);
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++) {
		char keys[64];

		act_keys_text(NULL, a, keys, sizeof(keys));
		fputs(".TP\n.B ", f);
		roff(f, keys);
		fputs("\n", f);
		roff(f, a->help);
		fputs(" (\\fI", f);
		roff(f, a->name);
		fputs("\\fR)", f);
		fputs(".\n", f);
	}
}

static void man_ignored(FILE *f)
{
	static const char *const parents[] = { "domain",    "memtune",  "cputune",   "numatune",
					       "resource",  "os",       "features",  "clock",
					       "devices",   "filesystem", "interface", "console",
					       "hostdev",   NULL };

	for (int i = 0; parents[i] != NULL; i++) {
		const char *const *names = schema_ignored_elements(parents[i]);
		const char *const *attrs = schema_ignored_attributes(parents[i]);

		if (names[0] == NULL && attrs[0] == NULL)
			continue;
		fprintf(f, ".TP\n.B <%s>\n", parents[i]);
		for (int k = 0; names[k] != NULL; k++) {
			fputs(k == 0 ? "elements: " : ", ", f);
			roff(f, names[k]);
		}
		if (names[0] != NULL)
			fputs("\n", f);
		if (names[0] != NULL && attrs[0] != NULL)
			fputs(".br\n", f);
		for (int k = 0; attrs[k] != NULL; k++) {
			fputs(k == 0 ? "attributes: " : ", ", f);
			roff(f, attrs[k]);
		}
		if (attrs[0] != NULL)
			fputs("\n", f);
	}
}

int cmd_help_man(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--man") != 0)
		return cmd_help(ctx, argc, argv);
	if (strcmp(argv[2], "verbs") == 0)
		man_verbs(ctx->out);
	else if (strcmp(argv[2], "keys") == 0)
		man_keys(ctx->out);
	else if (strcmp(argv[2], "ignored") == 0)
		man_ignored(ctx->out);
	else
		return cli_error(ctx, "help --man: unknown section '%s'; expected verbs, keys or ignored",
				 argv[2]);
	return 0;
}
