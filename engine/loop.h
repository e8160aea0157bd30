/* The one event loop of a process: epoll over descriptors, signals (through
 * a signalfd) and timers (through timerfds), each with a callback. */
#ifndef CORRAL_ENGINE_LOOP_H
#define CORRAL_ENGINE_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

struct error;
struct loop;
struct loop_source;

/* events is the epoll mask that fired (EPOLLIN, EPOLLOUT, EPOLLHUP, …). */
typedef void (*loop_fd_fn)(struct loop *l, struct loop_source *src, int fd, uint32_t events,
			   void *data);
typedef void (*loop_signal_fn)(struct loop *l, int signo, void *data);
/* expirations counts the intervals that passed since the last call (>1 when
 * the loop was late). */
typedef void (*loop_timer_fn)(struct loop *l, uint64_t expirations, void *data);

int loop_new(struct loop **out, struct error *err);
/* Removes every source still registered; descriptors given to loop_add_fd
 * stay open (their owner closes them). */
void loop_free(struct loop *l);

/* Watches fd (not taken over) for events. *out, when not NULL, receives the
 * handle for loop_set_events and loop_remove. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *data,
		struct loop_source **out, struct error *err);
int loop_set_events(struct loop *l, struct loop_source *src, uint32_t events, struct error *err);

/* Blocks the signals (n of them, in signals) for the process and delivers
 * them through a signalfd. Call before any fork whose child must see them
 * unblocked: the child inherits the mask. */
int loop_add_signals(struct loop *l, const int *signals, int n, loop_signal_fn fn, void *data,
		     struct loop_source **out, struct error *err);

/* A periodic timer on CLOCK_MONOTONIC, first firing after interval_ms. */
int loop_add_timer(struct loop *l, uint64_t interval_ms, loop_timer_fn fn, void *data,
		   struct loop_source **out, struct error *err);

/* Safe from inside any callback, including the source's own: a removed
 * source is never called again, and its memory outlives the current round
 * of events. Closes the signalfd or timerfd that the loop made itself. */
void loop_remove(struct loop *l, struct loop_source *src);

/* Dispatches until loop_quit. Returns -1 only when epoll itself fails. */
int loop_run(struct loop *l, struct error *err);
void loop_quit(struct loop *l);

#endif
