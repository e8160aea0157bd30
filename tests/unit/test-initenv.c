/* init's environment: the defaults, the uuid, and <initenv> overrides. */
#include <criterion/criterion.h>
#include <string.h>

#include "config/domain.h"
#include "engine/initenv.h"
#include "lib/xmalloc.h"

static const char *env_get(char **env, const char *name)
{
	size_t len = strlen(name);

	for (; *env != NULL; env++)
		if (strncmp(*env, name, len) == 0 && (*env)[len] == '=')
			return *env + len + 1;
	return NULL;
}

static size_t env_count(char **env)
{
	size_t n = 0;

	while (env[n] != NULL)
		n++;
	return n;
}

Test(initenv, defaults_and_overrides)
{
	_cleanup_domain_ struct domain *dom = dom_new();
	char **env;

	dom->name = xstrdup("web");
	for (int i = 0; i < DOM_UUID_LEN; i++)
		dom->uuid[i] = (uint8_t)(0xa0 + i);
	dom->n_initenv = 2;
	dom->initenv_names = xcalloc(2, sizeof(char *));
	dom->initenv_values = xcalloc(2, sizeof(char *));
	dom->initenv_names[0] = xstrdup("FOO");
	dom->initenv_values[0] = xstrdup("bar=baz");
	dom->initenv_names[1] = xstrdup("TERM");
	dom->initenv_values[1] = xstrdup("xterm");

	env = initenv_build(dom, "/root");
	cr_assert_str_eq(env_get(env, "container"), "corral");
	cr_assert_str_eq(env_get(env, "HOME"), "/root");
	cr_assert_str_eq(env_get(env, "LIBVIRT_LXC_NAME"), "web");
	cr_assert_str_eq(env_get(env, "LIBVIRT_LXC_UUID"), "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
	cr_assert_not_null(strstr(env_get(env, "PATH"), "/usr/bin"));
	cr_assert_str_eq(env_get(env, "FOO"), "bar=baz");
	cr_assert_str_eq(env_get(env, "TERM"), "xterm");
	cr_assert_eq(env_count(env), 7, "TERM replaced, not duplicated");
	initenv_free(env);
}

Test(initenv, nothing_from_the_host)
{
	_cleanup_domain_ struct domain *dom = dom_new();
	char **env;

	setenv("CORRAL_TEST_LEAK", "1", 1);
	dom->name = xstrdup("app");
	env = initenv_build(dom, NULL);
	cr_assert_null(env_get(env, "CORRAL_TEST_LEAK"));
	cr_assert_str_eq(env_get(env, "HOME"), "/");
	cr_assert_eq(env_count(env), 6);
	initenv_free(env);
}
