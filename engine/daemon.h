/* Turning a process into a daemon whose launcher returns only once the
 * daemon serves (or has failed), so that `corrald && corral list` works. */
#ifndef CORRAL_ENGINE_DAEMON_H
#define CORRAL_ENGINE_DAEMON_H

struct error;

/* Double fork and setsid; cwd "/", stdin and stdout on /dev/null. Returns
 * in the daemon only: the launcher waits and exits 0 after daemon_ready, 1
 * when the daemon dies first. stderr stays the launcher's until then, so
 * startup errors reach the person or program that ran us. */
int daemon_detach(int *notify_fd, struct error *err);
/* Releases the launcher and points stderr at /dev/null. */
void daemon_ready(int notify_fd);

#endif
