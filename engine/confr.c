/* Console stream frame codec. */
#include "engine/confr.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

void confr_dec_init(struct confr_dec *d)
{
	memset(d, 0, sizeof(*d));
}

void confr_dec_free(struct confr_dec *d)
{
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

void confr_dec_feed(struct confr_dec *d, const void *data, size_t len)
{
	/* Drop what was consumed before growing, so a long stream of small
	 * frames keeps a small buffer. */
	if (d->consumed > 0) {
		memmove(d->buf, d->buf + d->consumed, d->len - d->consumed);
		d->len -= d->consumed;
		d->consumed = 0;
	}
	if (d->len + len > d->cap) {
		size_t cap = d->cap ? d->cap : 4096;
		while (cap < d->len + len)
			cap *= 2;
		d->buf = xrealloc(d->buf, cap);
		d->cap = cap;
	}
	memcpy(d->buf + d->len, data, len);
	d->len += len;
}

static int known_type(uint8_t t)
{
	return t == CONFR_DATA || t == CONFR_WINSZ || t == CONFR_HIST_END || t == CONFR_MISSED ||
	       t == CONFR_EVENT;
}

int confr_dec_next(struct confr_dec *d, struct confr_frame *f)
{
	size_t avail = d->len - d->consumed;
	const uint8_t *p = d->buf + d->consumed;
	uint32_t len;

	if (avail < CONFR_HDR)
		return 0;
	len = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	if (!known_type(p[0]) || len > CONFR_MAX_PAYLOAD)
		return -1;
	if (avail < CONFR_HDR + (size_t)len)
		return 0;
	f->type = p[0];
	f->len = len;
	f->payload = p + CONFR_HDR;
	d->consumed += CONFR_HDR + len;
	return 1;
}

void confr_header(uint8_t hdr[CONFR_HDR], enum confr_type type, uint32_t len)
{
	hdr[0] = (uint8_t)type;
	hdr[1] = (uint8_t)(len >> 24);
	hdr[2] = (uint8_t)(len >> 16);
	hdr[3] = (uint8_t)(len >> 8);
	hdr[4] = (uint8_t)len;
}

void confr_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t confr_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void confr_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t confr_get_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}
