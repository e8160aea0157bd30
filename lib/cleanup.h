/* Scope-bound release of memory and descriptors, and explicit ownership moves. */
#ifndef CORRAL_LIB_CLEANUP_H
#define CORRAL_LIB_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

#define _cleanup_free_ __attribute__((cleanup(cleanup_freep)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))

/* Hands the pointer to the caller and leaves NULL behind for the cleanup. */
#define move_ptr(p)                                                            \
	({                                                                     \
		__typeof__(p) move_ptr_tmp_ = (p);                             \
		(p) = NULL;                                                    \
		move_ptr_tmp_;                                                 \
	})

static inline int move_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

#endif
