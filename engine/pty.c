/* Console pty allocation. */
#include "engine/pty.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"

int pty_open(struct pty *p, struct error *err)
{
	_cleanup_close_ int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int slave;

	if (master < 0)
		return err_sys(err, "open console pty");
	if (unlockpt(master) < 0)
		return err_sys(err, "unlock console pty");
	/* TIOCGPTPEER opens the slave through the master, not by a name that
	 * another devpts could shadow. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return err_sys(err, "open console pty slave");
	if (ioctl(master, TIOCSWINSZ, &ws) < 0) {
		err_sys(err, "set console pty size");
		close(slave);
		return -1;
	}
	p->master = move_fd(&master);
	p->slave = slave;
	return 0;
}

void pty_close(struct pty *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = -1;
	p->slave = -1;
}
