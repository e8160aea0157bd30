/* Raw attach for `corral console`: one terminal (or a script's stdin and
 * stdout) joined to a container's console stream at its monitor. */
#ifndef CORRAL_CONSOLE_ATTACH_H
#define CORRAL_CONSOLE_ATTACH_H

struct error;

/* The byte that detaches in terminal mode, as in virsh: Ctrl-]. */
#define ATTACH_ESCAPE 0x1d

struct attach_opts {
	const char *name;      /* the domain, for the banner and notices */
	const char *sock_path; /* its console.sock */
	int in_fd, out_fd;     /* terminal mode when in_fd is a terminal */
	int notice_fd;         /* where notices go without a terminal */
	int idle_ms;           /* without a terminal: quiet time after input ends */
};

enum attach_end {
	ATTACH_DETACHED, /* the escape byte, or the terminal went away */
	ATTACH_STOPPED,  /* the container stopped */
	ATTACH_IDLE,     /* input ended and the console stayed quiet */
	ATTACH_CLOSED,   /* the monitor closed the stream without a notice */
	ATTACH_SIGNAL,   /* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
};

/* Copies input to the console and the console (its replayed history first)
 * to out_fd until one of the ends above, which *end tells. A terminal is
 * put in raw mode, told of its size at the start and on every SIGWINCH,
 * and restored on every way out. */
int attach_run(const struct attach_opts *o, enum attach_end *end, struct error *err);

#endif
