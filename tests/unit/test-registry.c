/* engine/registry: the list of active domains the sampler walks follows
 * every way a domain starts, pauses, ends and goes away. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "config/paths.h"
#include "engine/registry.h"
#include "lib/error.h"

static struct paths paths;

static struct reg_domain *add(struct registry *reg, const char *name, uint8_t seed)
{
	struct error err = ERROR_INIT;
	struct domain *dom = dom_new();
	struct reg_domain *d;

	dom->name = strdup(name);
	for (int i = 0; i < DOM_UUID_LEN; i++)
		dom->uuid[i] = (uint8_t)(seed + i);
	cr_assert_eq(reg_add_transient(reg, dom, &d, &err), 0, "%s", err_msg(&err));
	return d;
}

static void expect_active(const struct registry *reg, const char *want)
{
	char got[256] = "";

	for (size_t i = 0; i < reg_active_count(reg); i++) {
		strcat(got, i > 0 ? " " : "");
		strcat(got, reg_active_at(reg, i)->def->name);
	}
	cr_expect_str_eq(got, want);
}

Test(registry, active_list_in_name_order_follows_the_state)
{
	struct registry *reg = reg_new(&paths);
	struct reg_domain *web = add(reg, "web", 1), *db = add(reg, "db", 2);
	struct reg_domain *cache = add(reg, "cache", 3);

	add(reg, "idle", 4);
	expect_active(reg, "");
	reg_set_running(reg, web, -1, 10, 11, "booted");
	reg_set_running(reg, cache, -1, 20, 21, "booted");
	reg_set_running(reg, db, -1, 30, 31, "booted");
	reg_set_running(reg, db, -1, 30, 31, "booted");
	expect_active(reg, "cache db web");
	reg_set_paused(db, true, "user");
	expect_active(reg, "cache db web");
	reg_set_ended(reg, web, REG_CRASHED, "crashed");
	expect_active(reg, "cache db");
	cr_expect_eq(web->monitor_pid, 10, "a preserved container keeps its monitor");
	/* A transient domain is freed when it stops. */
	cr_expect(reg_set_stopped(reg, cache, REG_SHUTOFF, "shutdown"));
	expect_active(reg, "db");
	cr_expect_eq(reg_count(reg), 3);
	reg_free(reg);
}
