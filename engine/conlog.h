/* The console log file: appended to, capped in size, rotated to NAME.log.1. */
#ifndef CORRAL_ENGINE_CONLOG_H
#define CORRAL_ENGINE_CONLOG_H

#include <stddef.h>
#include <stdint.h>

struct error;

struct conlog {
	char *path;
	int fd;
	uint64_t size; /* bytes in the current file */
	uint64_t cap;  /* the current file never grows past this */
};

/* Opens (creating, mode 0640) path for appending; an existing log is
 * continued. cap must be > 0. */
int conlog_open(struct conlog *l, const char *path, uint64_t cap, struct error *err);

/* Appends data, rotating path to path.1 (replacing an older one) whenever the
 * current file would pass the cap, so the disk holds at most twice cap. */
int conlog_write(struct conlog *l, const void *data, size_t len, struct error *err);

void conlog_close(struct conlog *l);

#endif
