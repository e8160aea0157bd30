/* libFuzzer target: arbitrary bytes from a control-socket peer through the
 * JSON-lines framing and the request checks. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/jsonl.h"
#include "engine/proto.h"
#include "lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A small cap so that the oversize path is reached too. */
	struct jsonl *j = jsonl_new(dup(STDIN_FILENO), 4096, 1 << 16);
	struct error err = ERROR_INIT;
	json_t *msg, *id;
	const char *op, *why;
	enum jsonl_status st;

	jsonl_feed(j, data, size);
	while ((st = jsonl_next(j, &msg, &err)) != JSONL_NONE) {
		if (st == JSONL_MSG) {
			proto_parse_request(msg, &id, &op, &why);
			json_decref(msg);
		}
		err_clear(&err);
	}
	jsonl_free(j);
	return 0;
}
