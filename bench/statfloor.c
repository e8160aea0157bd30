/* The raw floor of one statistics round: open the given cgroup files once,
 * then for ROUNDS rounds pread each one and parse its numbers, the least
 * any sampler has to do. Prints the CPU time per round in nanoseconds.
 * With INTERVAL_MS, one round per interval, as a sampler runs: the caches
 * are then as cold as the engine finds them, and waking up is counted.
 *
 *   statfloor ROUNDS [INTERVAL_MS] < list-of-files
 *
 * Built and run by bench/bench.py; not part of the product. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	int interval_ms = argc > 2 ? atoi(argv[2]) : 0;
	int *fds = NULL, n = 0, cap = 0;
	char line[4096], buf[16384];
	unsigned long long sink = 0;
	long long bytes = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		int fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			fds = realloc(fds, cap * sizeof(*fds));
			if (fds == NULL)
				return 1;
		}
		fds[n++] = fd;
	}
	long long t0 = cpu_ns();
	for (int r = 0; r < rounds; r++) {
		if (interval_ms > 0 && r > 0) {
			struct timespec ts = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		for (int i = 0; i < n; i++) {
			ssize_t len = pread(fds[i], buf, sizeof(buf) - 1, 0);
			if (len <= 0)
				continue;
			bytes += len;
			buf[len] = '\0';
			/* Every number in the file, as a sampler would parse them. */
			for (char *p = buf; *p;) {
				if (*p >= '0' && *p <= '9')
					sink += strtoull(p, &p, 10);
				else
					p++;
			}
		}
	}
	long long t1 = cpu_ns();
	printf("files %d rounds %d cpu_ns_per_round %lld bytes_per_round %lld sink %llu\n", n,
	       rounds, (t1 - t0) / (rounds ? rounds : 1), bytes / (rounds ? rounds : 1), sink & 1);
	return 0;
}
