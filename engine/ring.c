/* Console history ring with monotonically increasing offsets. */
#include "engine/ring.h"

#include <string.h>

void ring_init(struct ring *r)
{
	r->end = 0;
}

void ring_write(struct ring *r, const void *data, size_t len)
{
	const unsigned char *p = data;

	/* Only the tail can survive, so older bytes need not be copied. */
	if (len > RING_SIZE) {
		r->end += len - RING_SIZE;
		p += len - RING_SIZE;
		len = RING_SIZE;
	}
	while (len > 0) {
		size_t at = r->end % RING_SIZE;
		size_t n = RING_SIZE - at < len ? RING_SIZE - at : len;

		memcpy(r->buf + at, p, n);
		r->end += n;
		p += n;
		len -= n;
	}
}

uint64_t ring_start(const struct ring *r)
{
	return r->end > RING_SIZE ? r->end - RING_SIZE : 0;
}

uint64_t ring_end(const struct ring *r)
{
	return r->end;
}

size_t ring_read(const struct ring *r, uint64_t *pos, void *out, size_t cap, uint64_t *missed)
{
	uint64_t start = ring_start(r);
	unsigned char *o = out;
	size_t done = 0;

	if (missed != NULL)
		*missed = *pos < start ? start - *pos : 0;
	if (*pos < start)
		*pos = start;
	while (done < cap && *pos < r->end) {
		size_t at = *pos % RING_SIZE;
		uint64_t avail = r->end - *pos;
		size_t n = RING_SIZE - at;

		if (n > avail)
			n = avail;
		if (n > cap - done)
			n = cap - done;
		memcpy(o + done, r->buf + at, n);
		done += n;
		*pos += n;
	}
	return done;
}
