/* Console stream framing between corral-monitor and console clients: a
 * 5-byte header (type, big-endian payload length) and the payload. Framing
 * lets data, window sizes, history replay and notices share one socket. */
#ifndef CORRAL_ENGINE_CONFR_H
#define CORRAL_ENGINE_CONFR_H

#include <stddef.h>
#include <stdint.h>

#define CONFR_HDR 5
#define CONFR_MAX_PAYLOAD (1u << 20)

enum confr_type {
	CONFR_DATA = 'D',    /* terminal bytes, either way */
	CONFR_WINSZ = 'W',   /* client to monitor: rows, cols (u16 each) */
	CONFR_HIST_END = 'H', /* monitor to client: history replay is over */
	CONFR_MISSED = 'M',  /* monitor to client: u64 bytes the client skipped */
	CONFR_EVENT = 'E',   /* monitor to client: text notice ("stopped shutdown") */
};

struct confr_frame {
	uint8_t type;
	uint32_t len;
	const uint8_t *payload; /* points into the decoder's buffer */
};

/* Incremental decoder over a byte stream. */
struct confr_dec {
	uint8_t *buf;
	size_t len, cap;
	size_t consumed; /* start of the next unread frame */
};

void confr_dec_init(struct confr_dec *d);
void confr_dec_free(struct confr_dec *d);
/* Appends bytes read from the stream. */
void confr_dec_feed(struct confr_dec *d, const void *data, size_t len);
/* 1 with *f set when a whole frame is there, 0 when more bytes are needed,
 * -1 when the stream is corrupt (a frame over CONFR_MAX_PAYLOAD or an unknown
 * type): the peer must be dropped. f->payload is valid until the next call. */
int confr_dec_next(struct confr_dec *d, struct confr_frame *f);

/* Writes the header for a payload of len bytes into hdr. */
void confr_header(uint8_t hdr[CONFR_HDR], enum confr_type type, uint32_t len);
void confr_put_u16(uint8_t *p, uint16_t v);
uint16_t confr_get_u16(const uint8_t *p);
void confr_put_u64(uint8_t *p, uint64_t v);
uint64_t confr_get_u64(const uint8_t *p);

#endif
