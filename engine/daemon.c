/* Detaching from the terminal with a readiness handshake. */
#include "engine/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"

static void launcher_wait(int fd, pid_t child)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	/* The middle process exits right away; reap it to leave no zombie. */
	waitpid(child, NULL, 0);
	_exit(n == 1 ? 0 : 1);
}

int daemon_detach(int *notify_fd, struct error *err)
{
	int pipefd[2], null;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_sys(err, "pipe");
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid > 0) {
		close(pipefd[1]);
		launcher_wait(pipefd[0], pid);
	}
	close(pipefd[0]);
	if (setsid() < 0)
		return err_sys(err, "setsid");
	/* Not a session leader, so it can never acquire a terminal. */
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return err_sys(err, "chdir '/'");
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return err_sys(err, "open '/dev/null'");
	if (dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
		return err_sys(err, "redirect stdio");
	close(null);
	*notify_fd = pipefd[1];
	return 0;
}

void daemon_ready(int notify_fd)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	while (write(notify_fd, "1", 1) < 0 && errno == EINTR)
		;
	close(notify_fd);
}
