/* Unix stream sockets: listening ones that appear only once they accept, and
 * client connections with a bounded wait. */
#ifndef CORRAL_ENGINE_USOCK_H
#define CORRAL_ENGINE_USOCK_H

#include <sys/types.h>

struct error;

/* A nonblocking, close-on-exec listening socket at path with the given mode.
 * It is bound under a temporary name and renamed into place, so that a
 * client may wait for the name to appear; a stale file is replaced. */
int usock_listen(const char *path, mode_t mode, struct error *err);

/* A blocking, close-on-exec connection to path, or -1 with err set. */
int usock_connect(const char *path, struct error *err);

#endif
