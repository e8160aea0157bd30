/* The one-engine-per-root lock: an flock on RUN/corrald.lock, which also
 * holds the pid of its owner so that a second engine can say who runs. */
#ifndef CORRAL_ENGINE_LOCK_H
#define CORRAL_ENGINE_LOCK_H

#include <sys/types.h>

struct error;

/* Takes the lock (creating the file). On success *fd holds it until closed,
 * across fork too. When another process holds it, returns -EBUSY with err
 * naming that process's pid. */
int lock_take(const char *path, int *fd, struct error *err);
/* Records pid as the holder (after a daemon's forks, its final pid). */
int lock_set_pid(int fd, pid_t pid, struct error *err);

#endif
