/* libFuzzer target: any bytes through the domain XML parser, and anything it
 * accepts through the writer and back, which must accept it again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain *dom = NULL, *again = NULL;
	struct diags d = { 0 };

	if (dom_parse_buffer((const char *)data, size, "fuzz.xml", &dom, &d) == 0) {
		char *xml = dom_format(dom);
		struct diags d2 = { 0 };
		if (dom_parse_buffer(xml, strlen(xml), "fuzz-out.xml", &again, &d2) != 0)
			abort();
		dom_free(again);
		diags_clear(&d2);
		free(xml);
	}
	dom_free(dom);
	diags_clear(&d);
	return 0;
}
