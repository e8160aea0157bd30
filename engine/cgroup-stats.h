/* Cgroup statistics: one sample of a container's CPU, memory, pids, block IO
 * and pressure, parsed from v1 or v2 stat files kept open for re-reading. */
#ifndef CORRAL_ENGINE_CGROUP_STATS_H
#define CORRAL_ENGINE_CGROUP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cg;
struct error;

/* A figure the host cannot tell (no such controller or file): JSON null. */
#define CG_UNKNOWN UINT64_MAX
/* A limit that is not set ("max", or v1's page-counter maximum). */
#define CG_UNLIMITED (UINT64_MAX - 1)

struct cg_psi_line {
	double avg10, avg60, avg300; /* percent */
	uint64_t total_us;
};

struct cg_psi {
	bool known;    /* false when the group has no such pressure file */
	bool has_full; /* cpu.pressure has no "full" line before 5.13 */
	struct cg_psi_line some, full;
};

/* Every uint64_t is CG_UNKNOWN when the host cannot tell. Bytes and
 * nanoseconds throughout. */
struct cg_stats {
	uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns;
	uint64_t cpu_nr_periods, cpu_nr_throttled, cpu_throttled_ns;

	/* used is the kernel's usage figure (memory.current or
	 * memory.usage_in_bytes, page cache included), as libvirt's dominfo
	 * shows it; cache is there to subtract for a docker-like figure. */
	uint64_t mem_used, mem_limit, mem_cache, mem_rss, mem_swap, mem_max_used;
	uint64_t mem_oom_kills;

	uint64_t pids_current, pids_max;

	uint64_t blk_read_bytes, blk_write_bytes, blk_read_ops, blk_write_ops;

	struct cg_psi psi_cpu, psi_memory, psi_io;
};

/* Sets every figure to unknown. */
void cg_stats_reset(struct cg_stats *st);

/* What a stat file holds, so that one reader serves both backends. */
enum cg_stat_kind {
	CG_SK_V1_CPUACCT_USAGE,      /* cpuacct.usage: ns */
	CG_SK_V1_CPUACCT_USAGE_USER, /* cpuacct.usage_user: ns */
	CG_SK_V1_CPUACCT_USAGE_SYS,  /* cpuacct.usage_sys: ns */
	CG_SK_V1_CPUACCT_STAT,       /* cpuacct.stat: user/system in USER_HZ */
	CG_SK_V1_CPU_STAT,           /* cpu.stat: nr_periods, throttled_time ns */
	CG_SK_V1_MEM_USAGE,          /* memory.usage_in_bytes */
	CG_SK_V1_MEM_LIMIT,          /* memory.limit_in_bytes */
	CG_SK_V1_MEM_MAX_USAGE,      /* memory.max_usage_in_bytes */
	CG_SK_V1_MEM_STAT,           /* memory.stat: total_cache, total_rss, … */
	CG_SK_V1_MEM_OOM_CONTROL,    /* memory.oom_control: oom_kill N */
	CG_SK_V1_BLKIO_BYTES,        /* blkio.throttle.io_service_bytes* */
	CG_SK_V1_BLKIO_OPS,          /* blkio.throttle.io_serviced* */
	CG_SK_V2_CPU_STAT,           /* cpu.stat: usage_usec, user_usec, … */
	CG_SK_V2_MEM_CURRENT,        /* memory.current */
	CG_SK_V2_MEM_MAX,            /* memory.max */
	CG_SK_V2_MEM_PEAK,           /* memory.peak */
	CG_SK_V2_MEM_SWAP_CURRENT,   /* memory.swap.current */
	CG_SK_V2_MEM_STAT,           /* memory.stat: file, anon */
	CG_SK_V2_MEM_EVENTS,         /* memory.events: oom_kill */
	CG_SK_V2_IO_STAT,            /* io.stat: rbytes= wbytes= rios= wios= */
	CG_SK_PIDS_CURRENT,          /* pids.current (both) */
	CG_SK_PIDS_MAX,              /* pids.max (both) */
	CG_SK_PSI_CPU,               /* cpu.pressure */
	CG_SK_PSI_MEMORY,            /* memory.pressure */
	CG_SK_PSI_IO,                /* io.pressure */
};

/* Parses the contents of one stat file into the figures it holds, leaving
 * the others alone. Malformed input is an error (EINVAL) naming the line. */
int cg_stats_parse(enum cg_stat_kind kind, const char *buf, struct cg_stats *st,
		   struct error *err);

/* A sampler's handle: the group's stat files, open, re-read with pread. */
struct cg_stats_reader;

/* Opens the files the host has for this group; missing ones stay unknown. */
int cg_stats_open(struct cg *cg, struct cg_stats_reader **out, struct error *err);
/* Reads the slow-changing files (limits, peaks, the user/system split,
 * pressure) only one round in rounds, carrying their figures over in
 * between; 1 (the default) reads everything every time. */
void cg_stats_set_slow_every(struct cg_stats_reader *r, unsigned rounds);
/* One sample. A file that vanished (the group was removed) is an error. */
int cg_stats_read(struct cg_stats_reader *r, struct cg_stats *st, struct error *err);
/* Bytes read by the last cg_stats_read, for the sampler's benchmark. */
size_t cg_stats_bytes_read(const struct cg_stats_reader *r);
void cg_stats_close(struct cg_stats_reader *r);

#endif
