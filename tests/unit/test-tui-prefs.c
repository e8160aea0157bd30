/* corral.conf: key names, bindings, colours, line-numbered errors. */
#include <criterion/criterion.h>
#include <curses.h>
#include <string.h>

#include "lib/error.h"
#include "tui/actions.h"
#include "tui/prefs.h"

Test(tui_prefs, key_names_both_ways)
{
	char name[16];

	cr_expect_eq(prefs_key_parse("x"), 'x');
	cr_expect_eq(prefs_key_parse("#"), '#');
	cr_expect_eq(prefs_key_parse("C-a"), 1);
	cr_expect_eq(prefs_key_parse("^L"), 12);
	cr_expect_eq(prefs_key_parse("F5"), KEY_F(5));
	cr_expect_eq(prefs_key_parse("pgdn"), KEY_NPAGE);
	cr_expect_eq(prefs_key_parse("Enter"), '\n');
	cr_expect_eq(prefs_key_parse("F13"), -1);
	cr_expect_eq(prefs_key_parse("bogus"), -1);
	prefs_key_name(KEY_F(5), name, sizeof(name));
	cr_expect_str_eq(name, "F5");
	prefs_key_name(1, name, sizeof(name));
	cr_expect_str_eq(name, "^A");
	prefs_key_name('x', name, sizeof(name));
	cr_expect_str_eq(name, "x");
	prefs_key_name(KEY_UP, name, sizeof(name));
	cr_expect_str_eq(name, "Up");
}

Test(tui_prefs, binds_and_colours)
{
	struct error err = ERROR_INIT;
	struct prefs p;

	prefs_init(&p);
	cr_assert_eq(prefs_parse(&p,
				 "# my keys\n"
				 "bind x destroy\n"
				 "  bind F5 start\n"
				 "bind D none\n"
				 "bind x shutdown\n"
				 "\n"
				 "color running blue\n"
				 "colour title 15 236\n",
				 "t.conf", &err),
		     0, "%s", err_msg(&err));
	cr_expect_eq(p.n_binds, 3, "x rebound in place");
	cr_expect_str_eq(prefs_bound(&p, 'x')->action->name, "shutdown");
	cr_expect_str_eq(prefs_bound(&p, KEY_F(5))->action->name, "start");
	cr_expect_null(prefs_bound(&p, 'D')->action);
	cr_expect_null(prefs_bound(&p, 'q'));
	cr_expect_eq(p.fg[PAIR_RUNNING], COLOR_BLUE);
	cr_expect_eq(p.bg[PAIR_RUNNING], -1);
	cr_expect_eq(p.fg[PAIR_TITLE], 15);
	cr_expect_eq(p.bg[PAIR_TITLE], 236);
}

Test(tui_prefs, the_first_bad_line_is_reported_the_rest_applied)
{
	struct error err = ERROR_INIT;
	struct prefs p;

	prefs_init(&p);
	cr_expect_lt(prefs_parse(&p, "bind x destory\ncolor alarm purple\nbind y start\n", "t.conf",
				 &err),
		     0);
	cr_expect_str_eq(err_msg(&err),
			 "t.conf:1: unknown action 'destory' (see the help overlay, ?)");
	cr_expect_str_eq(prefs_bound(&p, 'y')->action->name, "start");
	err_clear(&err);
	cr_expect_lt(prefs_parse(&p, "\n\nfrobnicate\n", "t.conf", &err), 0);
	cr_expect_str_eq(err_msg(&err), "t.conf:3: unknown setting 'frobnicate' (bind or color)");
	err_clear(&err);
}

/* What the help, the man page and the pane keys make of a prefix and a
 * pane action bound in corral.conf. */
Test(tui_prefs, prefix_and_pane_binds)
{
	struct error err = ERROR_INIT;
	struct tui t = { 0 };
	const struct tui_action *split = act_for_pane_key(&t, '"'), *prefix = NULL;
	char text[64];

	for (const struct tui_action *a = tui_actions; a->name != NULL; a++)
		if (strcmp(a->name, "prefix") == 0)
			prefix = a;
	cr_assert_not_null(split);
	cr_assert_not_null(prefix);
	act_keys_text(NULL, split, text, sizeof(text));
	cr_expect_str_eq(text, "^A \"", "the man page shows the default prefix");

	prefs_init(&t.prefs);
	cr_assert_eq(prefs_parse(&t.prefs, "bind C-b prefix\nbind v close\nbind z none\n", "t.conf",
				 &err),
		     0, "%s", err_msg(&err));
	cr_expect_eq(act_prefix_key(&t), 2);
	act_keys_text(&t, split, text, sizeof(text));
	cr_expect_str_eq(text, "^B \"");
	act_keys_text(&t, prefix, text, sizeof(text));
	cr_expect_str_eq(text, "^B");
	act_footer_text(&t, prefix, text, sizeof(text));
	cr_expect_str_eq(text, "^B panes");
	cr_assert_not_null(act_for_pane_key(&t, 'v'));
	cr_expect_str_eq(act_for_pane_key(&t, 'v')->name, "close");
	act_keys_text(&t, act_for_pane_key(&t, 'v'), text, sizeof(text));
	cr_expect_str_eq(text, "^B x ^B v");
	cr_expect_null(act_for_pane_key(&t, 'z'), "none silences a pane key too");
	cr_expect_str_eq(act_for_pane_key(&t, 'x')->name, "close", "defaults stay");
}

static const struct tui_action *action(const char *name)
{
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	cr_assert_fail("no action '%s'", name);
	return NULL;
}

Test(tui_prefs, the_help_leaves_out_keys_taken_away)
{
	struct error err = ERROR_INIT;
	struct tui t = { 0 };
	char text[64];

	act_keys_text(NULL, action("page-up"), text, sizeof(text));
	cr_expect_str_eq(text, "PgUp ^B");
	prefs_init(&t.prefs);
	cr_assert_eq(prefs_parse(&t.prefs, "bind C-b prefix\nbind k none\nbind j quit\n", "t.conf",
				 &err),
		     0, "%s", err_msg(&err));
	act_keys_text(&t, action("page-up"), text, sizeof(text));
	cr_expect_str_eq(text, "PgUp", "^B is the prefix now");
	act_keys_text(&t, action("up"), text, sizeof(text));
	cr_expect_str_eq(text, "Up", "k does nothing now");
	act_keys_text(&t, action("down"), text, sizeof(text));
	cr_expect_str_eq(text, "Down", "j quits now");
	act_keys_text(&t, action("page-down"), text, sizeof(text));
	cr_expect_str_eq(text, "PgDn ^F", "untouched");
}
