/* The "none" security model: a host without SELinux labels nothing. */
#include <errno.h>

#include "engine/seclabel.h"
#include "lib/error.h"

static int none_base_contexts(char **process, char **file, struct error *err)
{
	return err_set(err, ENOTSUP, "security model 'none' has no contexts");
}

static int none_check(const char *context, struct error *err)
{
	return err_set(err, ENOTSUP, "security model 'none' cannot label '%s'", context);
}

static int none_set_exec(const char *context, struct error *err)
{
	return none_check(context, err);
}

static int none_relabel(const char *path, const char *context, struct error *err)
{
	return none_check(context, err);
}

const struct seclabel_backend seclabel_backend_none = {
	.model = "none",
	.doi = "0",
	.base_contexts = none_base_contexts,
	.check = none_check,
	.set_exec = none_set_exec,
	.relabel = none_relabel,
};
