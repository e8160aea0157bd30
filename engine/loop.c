/* epoll event loop with signalfd and timerfd sources. */
#include "engine/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

enum src_kind { SRC_FD, SRC_SIGNAL, SRC_TIMER };

struct loop_source {
	enum src_kind kind;
	int fd;
	uint32_t events;
	bool removed;
	void *data;
	union {
		loop_fd_fn fd_fn;
		loop_signal_fn signal_fn;
		loop_timer_fn timer_fn;
	} fn;
	struct loop_source *prev, *next;
};

struct loop {
	int epfd;
	bool quit;
	struct loop_source *live;
	/* Removed during a round of events: freed once the round is over, since
	 * a later event of the same round may still point at them. */
	struct loop_source *dead;
};

/* Events handled per epoll_wait; the rest wait for the next round. */
#define LOOP_BATCH 64

int loop_new(struct loop **out, struct error *err)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return err_sys(err, "epoll_create1");
	}
	*out = l;
	return 0;
}

static void free_list(struct loop_source *s)
{
	while (s != NULL) {
		struct loop_source *next = s->next;
		free(s);
		s = next;
	}
}

void loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	while (l->live != NULL)
		loop_remove(l, l->live);
	free_list(l->dead);
	close(l->epfd);
	free(l);
}

/* NULL on failure, with err set. */
static struct loop_source *add_source(struct loop *l, enum src_kind kind, int fd,
				      uint32_t events, void *data, struct loop_source **out,
				      struct error *err)
{
	struct loop_source *s = xcalloc(1, sizeof(*s));
	struct epoll_event ev = { .events = events, .data.ptr = s };

	s->kind = kind;
	s->fd = fd;
	s->events = events;
	s->data = data;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err_sys(err, "epoll_ctl add fd %d", fd);
		free(s);
		return NULL;
	}
	s->next = l->live;
	if (l->live != NULL)
		l->live->prev = s;
	l->live = s;
	if (out != NULL)
		*out = s;
	return s;
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *data,
		struct loop_source **out, struct error *err)
{
	struct loop_source *s = add_source(l, SRC_FD, fd, events, data, out, err);

	if (s == NULL)
		return -1;
	s->fn.fd_fn = fn;
	return 0;
}

int loop_set_events(struct loop *l, struct loop_source *src, uint32_t events, struct error *err)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	/* Callers restate what they want after every write; only a change
	 * costs a system call. */
	if (events == src->events)
		return 0;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, src->fd, &ev) < 0)
		return err_sys(err, "epoll_ctl mod fd %d", src->fd);
	src->events = events;
	return 0;
}

int loop_add_signals(struct loop *l, const int *signals, int n, loop_signal_fn fn, void *data,
		     struct loop_source **out, struct error *err)
{
	_cleanup_close_ int fd = -1;
	struct loop_source *s;
	sigset_t set;

	sigemptyset(&set);
	for (int i = 0; i < n; i++)
		sigaddset(&set, signals[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return err_sys(err, "sigprocmask");
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "signalfd");
	s = add_source(l, SRC_SIGNAL, fd, EPOLLIN, data, out, err);
	if (s == NULL)
		return -1;
	move_fd(&fd);
	s->fn.signal_fn = fn;
	return 0;
}

int loop_add_timer(struct loop *l, uint64_t interval_ms, loop_timer_fn fn, void *data,
		   struct loop_source **out, struct error *err)
{
	_cleanup_close_ int fd = -1;
	struct loop_source *s;
	struct itimerspec its = { 0 };

	if (interval_ms == 0)
		return err_set(err, EINVAL, "timer interval of 0 ms");
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "timerfd_create");
	its.it_interval.tv_sec = (time_t)(interval_ms / 1000);
	its.it_interval.tv_nsec = (long)(interval_ms % 1000) * 1000000L;
	its.it_value = its.it_interval;
	if (timerfd_settime(fd, 0, &its, NULL) < 0)
		return err_sys(err, "timerfd_settime");
	s = add_source(l, SRC_TIMER, fd, EPOLLIN, data, out, err);
	if (s == NULL)
		return -1;
	move_fd(&fd);
	s->fn.timer_fn = fn;
	return 0;
}

void loop_remove(struct loop *l, struct loop_source *src)
{
	if (src == NULL || src->removed)
		return;
	src->removed = true;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, src->fd, NULL);
	if (src->kind != SRC_FD)
		close(src->fd);
	if (src->prev != NULL)
		src->prev->next = src->next;
	else
		l->live = src->next;
	if (src->next != NULL)
		src->next->prev = src->prev;
	src->prev = NULL;
	src->next = l->dead;
	l->dead = src;
}

static void dispatch_signal(struct loop *l, struct loop_source *s)
{
	struct signalfd_siginfo si;

	/* Several signals may be pending; stop if a callback removed us. */
	while (!s->removed && read(s->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		s->fn.signal_fn(l, (int)si.ssi_signo, s->data);
}

static void dispatch_timer(struct loop *l, struct loop_source *s)
{
	uint64_t n;

	if (read(s->fd, &n, sizeof(n)) == (ssize_t)sizeof(n) && n > 0)
		s->fn.timer_fn(l, n, s->data);
}

static void dispatch(struct loop *l, struct loop_source *s, uint32_t events)
{
	if (s->removed)
		return;
	switch (s->kind) {
	case SRC_FD:
		s->fn.fd_fn(l, s, s->fd, events, s->data);
		break;
	case SRC_SIGNAL:
		dispatch_signal(l, s);
		break;
	case SRC_TIMER:
		dispatch_timer(l, s);
		break;
	}
}

int loop_run(struct loop *l, struct error *err)
{
	struct epoll_event evs[LOOP_BATCH];

	l->quit = false;
	while (!l->quit) {
		int n = epoll_wait(l->epfd, evs, LOOP_BATCH, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, "epoll_wait");
		}
		for (int i = 0; i < n; i++)
			dispatch(l, evs[i].data.ptr, evs[i].events);
		free_list(l->dead);
		l->dead = NULL;
	}
	return 0;
}

void loop_quit(struct loop *l)
{
	l->quit = true;
}
