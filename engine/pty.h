/* The console pty: the monitor keeps the master, the container's init gets
 * the slave. */
#ifndef CORRAL_ENGINE_PTY_H
#define CORRAL_ENGINE_PTY_H

struct error;

struct pty {
	int master; /* O_CLOEXEC | O_NOCTTY */
	int slave;  /* O_CLOEXEC | O_NOCTTY */
};

/* Opens a pty pair from the host's devpts, 80x24 until a client says
 * otherwise. */
int pty_open(struct pty *p, struct error *err);
void pty_close(struct pty *p);

#endif
