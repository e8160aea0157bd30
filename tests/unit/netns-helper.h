/* Network namespaces for live tests: each is held by a forked child that
 * dies with the test, so nothing a test makes outlives it and the host's
 * own links are never touched. */
#ifndef CORRAL_TESTS_NETNS_HELPER_H
#define CORRAL_TESTS_NETNS_HELPER_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct test_ns {
	pid_t pid;
	int fd; /* /proc/PID/ns/net */
};

/* A child in a fresh network namespace, sleeping until killed. Skips the
 * test where namespaces cannot be made (not root, no CLONE_NEWNET). */
static inline void test_ns_spawn(struct test_ns *ns)
{
	int p[2];
	char c = 0, path[64];
	struct pollfd pfd;

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	ns->pid = fork();
	cr_assert_geq(ns->pid, 0);
	if (ns->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 5000), 1, "namespace child did not answer within 5 s");
	cr_assert_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	if (c != 'y') {
		kill(ns->pid, SIGKILL);
		waitpid(ns->pid, NULL, 0);
		ns->pid = -1;
		cr_skip_test("cannot create a network namespace (need root)");
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->pid);
	ns->fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(ns->fd, 0);
}

static inline void test_ns_kill(struct test_ns *ns)
{
	if (ns->pid > 0) {
		kill(ns->pid, SIGKILL);
		waitpid(ns->pid, NULL, 0);
		ns->pid = -1;
	}
	if (ns->fd >= 0) {
		close(ns->fd);
		ns->fd = -1;
	}
}

struct test_sock_args {
	int nsfd, type, fd;
};

static inline void *test_sock_thread(void *arg)
{
	struct test_sock_args *a = arg;

	if (setns(a->nsfd, CLONE_NEWNET) == 0)
		a->fd = socket(AF_INET, a->type | SOCK_CLOEXEC, 0);
	return NULL;
}

/* An IPv4 socket that lives in the namespace nsfd, for traffic checks
 * from the test process itself. */
static inline int test_ns_socket(int nsfd, int type)
{
	struct test_sock_args a = { .nsfd = nsfd, .type = type, .fd = -1 };
	pthread_t t;

	cr_assert_eq(pthread_create(&t, NULL, test_sock_thread, &a), 0);
	pthread_join(t, NULL);
	cr_assert_geq(a.fd, 0, "socket in namespace");
	return a.fd;
}

#endif
