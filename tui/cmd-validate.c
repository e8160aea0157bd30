/* corral validate: check definitions with no engine, as `virt-xml-validate`
 * would, printing each problem as FILE:LINE: message. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"
#include "lib/cleanup.h"
#include "tui/cli-tui.h"

int cmd_validate(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int dump = 0, bad = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dump = 1;
			break;
		case 'h':
			fprintf(ctx->out, "usage: corral validate [--dump] FILE...\n");
			return 0;
		default:
			return cli_error(ctx, "validate: unknown option (try 'corral validate --help')");
		}
	}
	if (optind >= argc)
		return cli_error(ctx, "validate: no FILE given");

	for (int i = optind; i < argc; i++) {
		struct diags d = { 0 };
		struct domain *dom = NULL;

		if (dom_parse_file(argv[i], &dom, &d) < 0)
			bad = 1;
		for (size_t k = 0; k < d.n; k++) {
			_cleanup_free_ char *line = diag_format(&d.v[k]);
			fprintf(ctx->err, "%s\n", line);
		}
		if (dom != NULL && dump) {
			_cleanup_free_ char *xml = dom_format(dom);
			fputs(xml, ctx->out);
		} else if (dom != NULL) {
			fprintf(ctx->out, "%s: valid (%s)\n", argv[i], dom->name);
		}
		dom_free(dom);
		diags_clear(&d);
	}
	return bad;
}
