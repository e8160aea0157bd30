/* libFuzzer target: network XML through the parser, and what it accepts
 * through the writer and back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/network.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct network *net = NULL, *again = NULL;
	struct diags d = { 0 };

	if (net_parse_buffer((const char *)data, size, "fuzz.xml", &net, &d) == 0) {
		char *xml = net_format(net);
		struct diags d2 = { 0 };
		if (net_parse_buffer(xml, strlen(xml), "fuzz-out.xml", &again, &d2) != 0)
			abort();
		net_free(again);
		diags_clear(&d2);
		free(xml);
	}
	net_free(net);
	diags_clear(&d);
	return 0;
}
