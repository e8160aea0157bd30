/* libFuzzer target: cgroup stat file contents (a container can shape some of
 * them, e.g. memory.stat through its own usage) through every parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cgroup-stats.h"
#include "lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err = ERROR_INIT;
	struct cg_stats st;
	char *buf;

	if (size < 1)
		return 0;
	buf = malloc(size);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	cg_stats_reset(&st);
	cg_stats_parse((enum cg_stat_kind)(data[0] % (CG_SK_PSI_IO + 1)), buf, &st, &err);
	err_clear(&err);
	free(buf);
	return 0;
}
