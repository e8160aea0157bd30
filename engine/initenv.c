/* Construction of init's environment from the domain. */
#include "engine/initenv.h"

#include <stdlib.h>
#include <string.h>

#include "config/domain.h"
#include "lib/xmalloc.h"

#define INITENV_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* What libvirt gives its LXC guests: the console is a plain pty. */
#define INITENV_TERM "linux"

static void env_set(char ***env, size_t *n, const char *name, const char *value)
{
	size_t len = strlen(name);
	char *entry = xasprintf("%s=%s", name, value);

	for (size_t i = 0; i < *n; i++) {
		if (strncmp((*env)[i], name, len) == 0 && (*env)[i][len] == '=') {
			free((*env)[i]);
			(*env)[i] = entry;
			return;
		}
	}
	*env = xreallocarray(*env, *n + 2, sizeof(**env));
	(*env)[(*n)++] = entry;
	(*env)[*n] = NULL;
}

static void format_uuid(const uint8_t *u, char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < DOM_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 0xf];
	}
	out[o] = '\0';
}

char **initenv_build(const struct domain *dom, const char *home)
{
	char **env = xcalloc(1, sizeof(*env));
	size_t n = 0;
	char uuid[37];

	format_uuid(dom->uuid, uuid);
	env_set(&env, &n, "container", "corral");
	env_set(&env, &n, "PATH", INITENV_PATH);
	env_set(&env, &n, "TERM", INITENV_TERM);
	env_set(&env, &n, "HOME", home != NULL ? home : "/");
	env_set(&env, &n, "LIBVIRT_LXC_NAME", dom->name);
	env_set(&env, &n, "LIBVIRT_LXC_UUID", uuid);
	for (size_t i = 0; i < dom->n_initenv; i++)
		env_set(&env, &n, dom->initenv_names[i], dom->initenv_values[i]);
	return env;
}

void initenv_free(char **env)
{
	if (env == NULL)
		return;
	for (char **e = env; *e != NULL; e++)
		free(*e);
	free(env);
}
