/* The TUI's table: layout by priority, sorting, filtering, the cursor
 * following its container, cell formatting. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tui/table.h"

/* Containers with a name, a state, CPU % and memory; NAN for unknown. */
static void add(struct model *m, const char *name, const char *state, double cpu, double mem)
{
	json_t *list = json_array();

	for (size_t i = 0; i < m->n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "name", m->v[i]->name, "state",
						       m->v[i]->state));
	json_array_append_new(list, json_pack("{s:s,s:s}", "name", name, "state", state));
	/* Keep the figures already set: the list only touches state fields. */
	model_apply_domains(m, list, 0);
	json_decref(list);
	struct ct *c = model_find(m, name);
	c->cpu_pct = cpu;
	c->mem_used = mem;
}

static struct model m;
static struct tbl_view v;

static void setup(void)
{
	model_init(&m);
	tbl_view_init(&v);
	add(&m, "web", "running", 50, 300);
	add(&m, "db", "running", 10, 900);
	add(&m, "cache", "paused", 0, 100);
	add(&m, "old", "shut off", NAN, NAN);
	add(&m, "batch", "crashed", NAN, NAN);
	/* Figures of stopped containers are cleared by the list; set again. */
	model_find(&m, "web")->cpu_pct = 50;
	model_find(&m, "web")->mem_used = 300;
	model_find(&m, "db")->cpu_pct = 10;
	model_find(&m, "db")->mem_used = 900;
	model_find(&m, "cache")->cpu_pct = 0;
	model_find(&m, "cache")->mem_used = 100;
	tbl_rebuild(&v, &m);
}

static void teardown(void)
{
	tbl_view_free(&v);
	model_free(&m);
}

static void expect_order(const char *want)
{
	char got[256] = "";

	for (size_t i = 0; i < v.n; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, v.rows[i]->name);
	}
	cr_expect_str_eq(got, want);
}

TestSuite(tui_table, .init = setup, .fini = teardown);

Test(tui_table, sorts_by_name_then_reverses)
{
	expect_order("batch cache db old web");
	tbl_sort_by(&v, &m, COL_NAME);
	expect_order("web old db cache batch");
}

Test(tui_table, numeric_columns_start_largest_first_unknown_last)
{
	tbl_sort_by(&v, &m, COL_CPU);
	expect_order("web db cache batch old");
	tbl_sort_by(&v, &m, COL_CPU);
	expect_order("cache db web batch old");
	tbl_sort_by(&v, &m, COL_MEM);
	expect_order("db web cache batch old");
}

Test(tui_table, state_sorts_running_first)
{
	tbl_sort_by(&v, &m, COL_STATE);
	expect_order("db web cache batch old");
}

Test(tui_table, cursor_follows_its_container)
{
	tbl_set_cursor(&v, 2);
	cr_assert_str_eq(tbl_selected(&v)->name, "db");
	tbl_sort_by(&v, &m, COL_MEM);
	cr_expect_str_eq(tbl_selected(&v)->name, "db");
	cr_expect_eq(v.cursor, 0);
	/* A refresh that changes the figures re-sorts; the cursor stays. */
	model_find(&m, "web")->mem_used = 5000;
	tbl_rebuild(&v, &m);
	cr_expect_str_eq(tbl_selected(&v)->name, "db");
	cr_expect_eq(v.cursor, 1);
}

Test(tui_table, cursor_stays_at_its_height_when_its_container_goes)
{
	tbl_set_cursor(&v, 4);
	cr_assert_str_eq(tbl_selected(&v)->name, "web");
	json_t *list = json_pack("[{s:s,s:s},{s:s,s:s}]", "name", "db", "state", "running",
				 "name", "old", "state", "shut off");
	model_apply_domains(&m, list, 0);
	json_decref(list);
	tbl_rebuild(&v, &m);
	cr_expect_eq(v.n, 2);
	cr_expect_str_eq(tbl_selected(&v)->name, "old");
	/* Now it follows "old". */
	tbl_move(&v, -5);
	cr_expect_str_eq(tbl_selected(&v)->name, "db");
}

Test(tui_table, filter_by_name_or_state_case_blind)
{
	strcpy(v.filter, "B");
	tbl_rebuild(&v, &m);
	expect_order("batch db web");
	strcpy(v.filter, "running");
	tbl_rebuild(&v, &m);
	expect_order("db web");
	strcpy(v.filter, "nothing");
	tbl_rebuild(&v, &m);
	cr_expect_eq(v.n, 0);
	cr_expect_null(tbl_selected(&v));
	v.filter[0] = '\0';
	tbl_rebuild(&v, &m);
	cr_expect_eq(v.n, 5);
}

Test(tui_table, moves_are_clamped_and_scroll_follows)
{
	tbl_move(&v, 100);
	cr_expect_eq(v.cursor, 4);
	tbl_scroll(&v, 2);
	cr_expect_eq(v.top, 3);
	tbl_move(&v, -100);
	tbl_scroll(&v, 2);
	cr_expect_eq(v.cursor, 0);
	cr_expect_eq(v.top, 0);
	tbl_scroll(&v, 40);
	cr_expect_eq(v.top, 0);
}

Test(tui_table, sort_keys)
{
	cr_expect_eq(tbl_col_for_key('5'), COL_MEM);
	cr_expect_eq(tbl_col_for_key('1'), COL_NAME);
	cr_expect_eq(tbl_col_for_key('x'), -1);
}

Test(tui_layout, wide_shows_every_column)
{
	struct tbl_layout l;

	tbl_layout(&l, 160);
	for (int c = 0; c < COL_N; c++)
		cr_expect_gt(l.w[c], 0, "column %d", c);
	cr_expect_leq(l.width, 160);
}

Test(tui_layout, narrow_drops_by_priority)
{
	struct tbl_layout l;

	tbl_layout(&l, 80);
	cr_expect_leq(l.width, 80);
	cr_expect_gt(l.w[COL_NAME], 0);
	cr_expect_gt(l.w[COL_STATE], 0);
	cr_expect_gt(l.w[COL_CPU], 0);
	cr_expect_gt(l.w[COL_MEM], 0);
	cr_expect_gt(l.w[COL_UPTIME], 0);
	cr_expect_eq(l.w[COL_BLK], 0, "block IO goes first");
	cr_expect_eq(l.w[COL_NET], 0);
	tbl_layout(&l, 40);
	cr_expect_leq(l.width, 40);
	cr_expect_gt(l.w[COL_NAME], 0);
	/* Column hit test. */
	tbl_layout(&l, 120);
	cr_expect_eq(tbl_col_at(&l, l.x[COL_MEM] + 1), COL_MEM);
	cr_expect_eq(tbl_col_at(&l, 0), COL_ALARM);
	cr_expect_eq(tbl_col_at(&l, 500), -1);
}

Test(tui_format, sizes)
{
	char s[16];

	tbl_fmt_size(NAN, s, sizeof(s));
	cr_expect_str_eq(s, "-");
	tbl_fmt_size(0, s, sizeof(s));
	cr_expect_str_eq(s, "0B");
	tbl_fmt_size(999, s, sizeof(s));
	cr_expect_str_eq(s, "999B");
	tbl_fmt_size(1536, s, sizeof(s));
	cr_expect_str_eq(s, "1.5K");
	tbl_fmt_size(64 << 20, s, sizeof(s));
	cr_expect_str_eq(s, "64M");
	tbl_fmt_size(999 * 1024, s, sizeof(s));
	cr_expect_str_eq(s, "999K");
	tbl_fmt_size(1000 * 1024, s, sizeof(s));
	cr_expect_str_eq(s, "1.0M", "never more than three digits");
	tbl_fmt_size(1001 * 1024, s, sizeof(s));
	cr_expect_str_eq(s, "1.0M");
	tbl_fmt_size(3.0 * (1ull << 40), s, sizeof(s));
	cr_expect_str_eq(s, "3.0T");
}

Test(tui_format, uptime_and_percent)
{
	char s[16];

	tbl_fmt_uptime(NAN, s, sizeof(s));
	cr_expect_str_eq(s, "-");
	tbl_fmt_uptime(42, s, sizeof(s));
	cr_expect_str_eq(s, "42s");
	tbl_fmt_uptime(725, s, sizeof(s));
	cr_expect_str_eq(s, "12m05s");
	tbl_fmt_uptime(3 * 3600 + 7 * 60 + 5, s, sizeof(s));
	cr_expect_str_eq(s, "3h07m");
	tbl_fmt_uptime(5 * 86400 + 3 * 3600, s, sizeof(s));
	cr_expect_str_eq(s, "5d03h");
	tbl_fmt_pct(NAN, s, sizeof(s));
	cr_expect_str_eq(s, "-");
	tbl_fmt_pct(12.34, s, sizeof(s));
	cr_expect_str_eq(s, "12.3");
	tbl_fmt_pct(150.2, s, sizeof(s));
	cr_expect_str_eq(s, "150");
}

Test(tui_table, cells)
{
	char s[256];
	struct ct *c = model_find(&m, "db");

	c->mem_limit = 1800;
	c->autostart = true;
	tbl_cell(c, COL_MEM, 16, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, "900B/1.8K   ##..");
	tbl_cell(c, COL_AUTO, 1, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, "A");
	tbl_cell(model_find(&m, "old"), COL_MEM, 16, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, "-          ");
	tbl_cell(model_find(&m, "old"), COL_ID, 5, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, "-");
	tbl_cell(model_find(&m, "batch"), COL_ALARM, 1, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, "!", "crashed is an alarm");
	tbl_cell(model_find(&m, "web"), COL_ALARM, 1, 0, false, s, sizeof(s));
	cr_expect_str_eq(s, " ");
}
