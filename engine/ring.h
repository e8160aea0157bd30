/* The console history: the last 64 KiB of output, addressed by a byte offset
 * that only grows, so a reader can tell how much it missed. */
#ifndef CORRAL_ENGINE_RING_H
#define CORRAL_ENGINE_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_SIZE 65536

struct ring {
	uint64_t end; /* bytes ever written; the newest byte has offset end-1 */
	unsigned char buf[RING_SIZE];
};

void ring_init(struct ring *r);
void ring_write(struct ring *r, const void *data, size_t len);

/* The oldest offset still held, and one past the newest. */
uint64_t ring_start(const struct ring *r);
uint64_t ring_end(const struct ring *r);

/* Copies up to cap bytes from offset *pos on into out and advances *pos.
 * A *pos older than ring_start() skips to it; *missed (may be NULL) gets the
 * number of bytes skipped. A *pos past the end reads nothing. Returns the
 * number of bytes copied. */
size_t ring_read(const struct ring *r, uint64_t *pos, void *out, size_t cap, uint64_t *missed);

#endif
