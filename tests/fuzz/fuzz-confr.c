/* libFuzzer target: arbitrary bytes from a console client through the
 * console frame decoder, fed in two pieces to split frames anywhere. */
#include <stdint.h>

#include "engine/confr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct confr_dec d;
	struct confr_frame f;
	size_t half = size > 0 ? data[0] % (size + 1) : 0;

	confr_dec_init(&d);
	confr_dec_feed(&d, data, half);
	while (confr_dec_next(&d, &f) == 1)
		;
	confr_dec_feed(&d, data + half, size - half);
	while (confr_dec_next(&d, &f) == 1)
		;
	confr_dec_free(&d);
	return 0;
}
