/* The event loop: fd callbacks, removal mid-round, signals and timers. */
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include "engine/loop.h"
#include "lib/error.h"

struct pair_ctx {
	struct loop_source *other;
	int calls;
};

/* Each callback removes the other source: whichever runs first, the
 * second must not be called in the same round (its memory must survive). */
static void remove_other(struct loop *l, struct loop_source *src, int fd, uint32_t events,
			 void *data)
{
	struct pair_ctx *ctx = data;
	char c;

	cr_assert_eq(read(fd, &c, 1), 1);
	ctx->calls++;
	loop_remove(l, ctx->other);
	loop_remove(l, src);
	loop_quit(l);
}

Test(loop, removing_a_source_mid_round_stops_its_events)
{
	struct error err = ERROR_INIT;
	struct loop *l;
	int a[2], b[2];
	struct pair_ctx ca = { 0 }, cb = { 0 };
	struct loop_source *sa, *sb;

	cr_assert_eq(loop_new(&l, &err), 0);
	cr_assert_eq(pipe(a), 0);
	cr_assert_eq(pipe(b), 0);
	cr_assert_eq(loop_add_fd(l, a[0], EPOLLIN, remove_other, &ca, &sa, &err), 0);
	cr_assert_eq(loop_add_fd(l, b[0], EPOLLIN, remove_other, &cb, &sb, &err), 0);
	ca.other = sb;
	cb.other = sa;
	cr_assert_eq(write(a[1], "x", 1), 1);
	cr_assert_eq(write(b[1], "x", 1), 1);
	cr_assert_eq(loop_run(l, &err), 0);
	cr_assert_eq(ca.calls + cb.calls, 1);
	loop_free(l);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

static void count_signal(struct loop *l, int signo, void *data)
{
	int *got = data;

	*got = signo;
	loop_quit(l);
}

Test(loop, signals_arrive_through_the_loop)
{
	static const int sigs[] = { SIGUSR1 };
	struct error err = ERROR_INIT;
	struct loop *l;
	int got = 0;

	cr_assert_eq(loop_new(&l, &err), 0);
	cr_assert_eq(loop_add_signals(l, sigs, 1, count_signal, &got, NULL, &err), 0);
	cr_assert_eq(kill(getpid(), SIGUSR1), 0);
	cr_assert_eq(loop_run(l, &err), 0);
	cr_assert_eq(got, SIGUSR1);
	loop_free(l);
}

static void tick(struct loop *l, uint64_t expirations, void *data)
{
	uint64_t *ticks = data;

	*ticks += expirations;
	if (*ticks >= 3)
		loop_quit(l);
}

Test(loop, timers_repeat)
{
	struct error err = ERROR_INIT;
	struct loop *l;
	uint64_t ticks = 0;

	cr_assert_eq(loop_new(&l, &err), 0);
	cr_assert_eq(loop_add_timer(l, 0, tick, &ticks, NULL, &err), -1);
	err_clear(&err);
	cr_assert_eq(loop_add_timer(l, 5, tick, &ticks, NULL, &err), 0);
	cr_assert_eq(loop_run(l, &err), 0);
	cr_assert_geq(ticks, 3);
	loop_free(l);
}
