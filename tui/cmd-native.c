/* corral domxml-from-native: another tool's container configuration as
 * domain XML, as `virsh domxml-from-native lxc-tools` prints it. */
#include <string.h>

#include "config/domain-xml.h"
#include "config/lxcconf.h"
#include "lib/cleanup.h"
#include "tui/cli-tui.h"

int cmd_domxml_from_native(struct cli_ctx *ctx, int argc, char **argv)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;
	struct cli_args a;
	int rc = cli_parse(ctx, argc, argv, &a);

	if (rc != 0)
		return rc < 0;
	if (strcmp(a.pos[0], "lxc-tools") != 0)
		return cli_error(ctx, "domxml-from-native: format '%s' is not supported; corral reads 'lxc-tools'",
				 a.pos[0]);
	rc = lxcconf_parse_file(a.pos[1], &dom, &d);
	for (size_t i = 0; i < d.n; i++) {
		_cleanup_free_ char *line = diag_format(&d.v[i]);
		fprintf(ctx->err, "%s\n", line);
	}
	diags_clear(&d);
	if (rc < 0)
		return cli_error(ctx, "domxml-from-native: '%s' was not converted", a.pos[1]);
	_cleanup_free_ char *xml = dom_format(dom);
	fputs(xml, ctx->out);
	dom_free(dom);
	return 0;
}
