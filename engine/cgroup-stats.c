/* Parsing of cgroup v1 and v2 stat files, and the sampler's open-file reader. */
#include "engine/cgroup-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cgroup-internal.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* v1 reports "no limit" as the page counter maximum (LONG_MAX rounded down
 * to a page, which depends on the page size); nothing real is that large. */
#define V1_UNLIMITED_FLOOR (UINT64_C(1) << 62)

void cg_stats_reset(struct cg_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->cpu_usage_ns = st->cpu_user_ns = st->cpu_system_ns = CG_UNKNOWN;
	st->cpu_nr_periods = st->cpu_nr_throttled = st->cpu_throttled_ns = CG_UNKNOWN;
	st->mem_used = st->mem_limit = st->mem_cache = st->mem_rss = CG_UNKNOWN;
	st->mem_swap = st->mem_max_used = st->mem_oom_kills = CG_UNKNOWN;
	st->pids_current = st->pids_max = CG_UNKNOWN;
	st->blk_read_bytes = st->blk_write_bytes = CG_UNKNOWN;
	st->blk_read_ops = st->blk_write_ops = CG_UNKNOWN;
}

/* A decimal u64 spanning [s, end) exactly. */
static bool parse_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static const char *word_end(const char *s)
{
	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	return s;
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int bad(struct error *err, const char *what, const char *line)
{
	const char *nl = strchr(line, '\n');
	int len = nl != NULL ? (int)(nl - line) : (int)strlen(line);

	return err_set(err, EINVAL, "%s: malformed line '%.*s'", what, len > 80 ? 80 : len, line);
}

/* A file holding one number, or "max". */
static int parse_single(const char *buf, const char *what, bool max_ok, uint64_t *out,
			struct error *err)
{
	const char *s = skip_blank(buf);
	const char *e = word_end(s);

	if (max_ok && e - s == 3 && strncmp(s, "max", 3) == 0) {
		*out = CG_UNLIMITED;
		return 0;
	}
	if (!parse_u64(s, e, out))
		return bad(err, what, buf);
	return 0;
}

/* A flat keyed file ("key value" per line): the listed keys are stored,
 * scaled by mul; others are ignored. */
struct kv_key {
	const char *key;
	uint64_t *dst;
	uint64_t mul;
};

static int parse_flat_keyed(const char *buf, const char *what, const struct kv_key *keys,
			    size_t n_keys, struct error *err)
{
	for (const char *line = buf; *line != '\0';) {
		const char *nl = strchr(line, '\n');
		const char *end = nl != NULL ? nl : line + strlen(line);
		const char *k = skip_blank(line);
		const char *ke = word_end(k);

		if (ke > k) {
			for (size_t i = 0; i < n_keys; i++) {
				/* No strlen: memory.stat has some 40 lines to match. */
				if (strncmp(k, keys[i].key, (size_t)(ke - k)) != 0 ||
				    keys[i].key[ke - k] != '\0')
					continue;
				const char *v = skip_blank(ke);
				const char *ve = word_end(v);
				uint64_t x;

				if (!parse_u64(v, ve, &x) || skip_blank(ve) != end)
					return bad(err, what, line);
				if (keys[i].mul > 1)
					x = x > (CG_UNLIMITED - 1) / keys[i].mul ? CG_UNLIMITED - 1
										 : x * keys[i].mul;
				*keys[i].dst = x;
			}
		}
		line = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

/* "N.NN" without strtod, so that the engine's locale does not matter. */
static bool parse_pct(const char *s, const char *end, double *out)
{
	const char *dot = memchr(s, '.', (size_t)(end - s));
	uint64_t ip, fp = 0;
	double scale = 1;

	if (!parse_u64(s, dot != NULL ? dot : end, &ip))
		return false;
	if (dot != NULL) {
		if (!parse_u64(dot + 1, end, &fp))
			return false;
		for (const char *p = dot + 1; p < end; p++)
			scale *= 10;
	}
	*out = (double)ip + (double)fp / scale;
	return true;
}

static int parse_psi(const char *buf, const char *what, struct cg_psi *psi, struct error *err)
{
	memset(psi, 0, sizeof(*psi));
	for (const char *line = buf; *line != '\0';) {
		const char *nl = strchr(line, '\n');
		const char *end = nl != NULL ? nl : line + strlen(line);
		struct cg_psi_line *pl = NULL;
		int seen = 0;

		if (strncmp(line, "some ", 5) == 0) {
			pl = &psi->some;
		} else if (strncmp(line, "full ", 5) == 0) {
			pl = &psi->full;
			psi->has_full = true;
		} else if (line != end) {
			return bad(err, what, line);
		}
		for (const char *f = line + 5; pl != NULL && f < end;) {
			const char *fe = word_end(f);
			const char *eq = memchr(f, '=', (size_t)(fe - f));

			if (eq == NULL)
				return bad(err, what, line);
			size_t kl = (size_t)(eq - f);
			bool ok = true;
			if (kl == 5 && strncmp(f, "avg10", 5) == 0)
				ok = parse_pct(eq + 1, fe, &pl->avg10), seen |= 1;
			else if (kl == 5 && strncmp(f, "avg60", 5) == 0)
				ok = parse_pct(eq + 1, fe, &pl->avg60), seen |= 2;
			else if (kl == 6 && strncmp(f, "avg300", 6) == 0)
				ok = parse_pct(eq + 1, fe, &pl->avg300), seen |= 4;
			else if (kl == 5 && strncmp(f, "total", 5) == 0)
				ok = parse_u64(eq + 1, fe, &pl->total_us), seen |= 8;
			if (!ok)
				return bad(err, what, line);
			f = skip_blank(fe);
		}
		if (pl != NULL && seen != 15)
			return bad(err, what, line);
		line = nl != NULL ? nl + 1 : end;
	}
	psi->known = true;
	return 0;
}

static void add_sat(uint64_t *dst, uint64_t v)
{
	if (*dst == CG_UNKNOWN)
		*dst = 0;
	*dst = v > CG_UNLIMITED - 1 - *dst ? CG_UNLIMITED - 1 : *dst + v;
}

/* v1 blkio.throttle.io_service_bytes / io_serviced: "MAJ:MIN Read N" lines
 * per device and a "Total N" line. */
static int parse_v1_blkio(const char *buf, const char *what, uint64_t *rd, uint64_t *wr,
			  struct error *err)
{
	*rd = 0;
	*wr = 0;
	for (const char *line = buf; *line != '\0';) {
		const char *nl = strchr(line, '\n');
		const char *end = nl != NULL ? nl : line + strlen(line);
		const char *dev = skip_blank(line);
		const char *de = word_end(dev);

		if (de - dev == 5 && strncmp(dev, "Total", 5) == 0) {
			line = nl != NULL ? nl + 1 : end;
			continue;
		}
		if (de > dev) {
			const char *op = skip_blank(de);
			const char *oe = word_end(op);
			const char *v = skip_blank(oe);
			const char *ve = word_end(v);
			uint64_t x;

			if (memchr(dev, ':', (size_t)(de - dev)) == NULL || !parse_u64(v, ve, &x))
				return bad(err, what, line);
			if (oe - op == 4 && strncmp(op, "Read", 4) == 0)
				add_sat(rd, x);
			else if (oe - op == 5 && strncmp(op, "Write", 5) == 0)
				add_sat(wr, x);
		}
		line = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

/* v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N". */
static int parse_v2_io(const char *buf, struct cg_stats *st, struct error *err)
{
	st->blk_read_bytes = st->blk_write_bytes = st->blk_read_ops = st->blk_write_ops = 0;
	for (const char *line = buf; *line != '\0';) {
		const char *nl = strchr(line, '\n');
		const char *end = nl != NULL ? nl : line + strlen(line);
		const char *f = word_end(skip_blank(line));

		for (f = skip_blank(f); f < end; f = skip_blank(f)) {
			const char *fe = word_end(f);
			const char *eq = memchr(f, '=', (size_t)(fe - f));
			uint64_t x, *dst = NULL;

			if (eq == NULL || !parse_u64(eq + 1, fe, &x))
				return bad(err, "io.stat", line);
			size_t kl = (size_t)(eq - f);
			if (kl == 6 && strncmp(f, "rbytes", 6) == 0)
				dst = &st->blk_read_bytes;
			else if (kl == 6 && strncmp(f, "wbytes", 6) == 0)
				dst = &st->blk_write_bytes;
			else if (kl == 4 && strncmp(f, "rios", 4) == 0)
				dst = &st->blk_read_ops;
			else if (kl == 4 && strncmp(f, "wios", 4) == 0)
				dst = &st->blk_write_ops;
			if (dst != NULL)
				add_sat(dst, x);
			f = fe;
		}
		line = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

static uint64_t v1_limit(uint64_t v)
{
	return v >= V1_UNLIMITED_FLOOR ? CG_UNLIMITED : v;
}

/* v1 memory.stat: the total_ figures include the groups below (a container
 * running systemd makes its own); plain ones are the fallback for kernels
 * with use_hierarchy off. */
static int parse_v1_mem_stat(const char *buf, struct cg_stats *st, struct error *err)
{
	uint64_t cache = CG_UNKNOWN, rss = CG_UNKNOWN, swap = CG_UNKNOWN;
	uint64_t tcache = CG_UNKNOWN, trss = CG_UNKNOWN, tswap = CG_UNKNOWN;
	const struct kv_key keys[] = {
		{ "cache", &cache, 1 },         { "rss", &rss, 1 },
		{ "swap", &swap, 1 },           { "total_cache", &tcache, 1 },
		{ "total_rss", &trss, 1 },      { "total_swap", &tswap, 1 },
	};

	if (parse_flat_keyed(buf, "memory.stat", keys, sizeof(keys) / sizeof(keys[0]), err) < 0)
		return -1;
	st->mem_cache = tcache != CG_UNKNOWN ? tcache : cache;
	st->mem_rss = trss != CG_UNKNOWN ? trss : rss;
	st->mem_swap = tswap != CG_UNKNOWN ? tswap : swap;
	return 0;
}

int cg_stats_parse(enum cg_stat_kind kind, const char *buf, struct cg_stats *st,
		   struct error *err)
{
	uint64_t v;

	switch (kind) {
	case CG_SK_V1_CPUACCT_USAGE:
		return parse_single(buf, "cpuacct.usage", false, &st->cpu_usage_ns, err);
	case CG_SK_V1_CPUACCT_USAGE_USER:
		return parse_single(buf, "cpuacct.usage_user", false, &st->cpu_user_ns, err);
	case CG_SK_V1_CPUACCT_USAGE_SYS:
		return parse_single(buf, "cpuacct.usage_sys", false, &st->cpu_system_ns, err);
	case CG_SK_V1_CPUACCT_STAT: {
		/* USER_HZ, in which cpuacct.stat counts. */
		long hz = sysconf(_SC_CLK_TCK);
		uint64_t tick_ns = hz > 0 ? UINT64_C(1000000000) / (uint64_t)hz : 10000000;
		const struct kv_key keys[] = {
			{ "user", &st->cpu_user_ns, tick_ns },
			{ "system", &st->cpu_system_ns, tick_ns },
		};
		return parse_flat_keyed(buf, "cpuacct.stat", keys, 2, err);
	}
	case CG_SK_V1_CPU_STAT: {
		const struct kv_key keys[] = {
			{ "nr_periods", &st->cpu_nr_periods, 1 },
			{ "nr_throttled", &st->cpu_nr_throttled, 1 },
			{ "throttled_time", &st->cpu_throttled_ns, 1 },
		};
		return parse_flat_keyed(buf, "cpu.stat", keys, 3, err);
	}
	case CG_SK_V1_MEM_USAGE:
		return parse_single(buf, "memory.usage_in_bytes", false, &st->mem_used, err);
	case CG_SK_V1_MEM_LIMIT:
		if (parse_single(buf, "memory.limit_in_bytes", false, &v, err) < 0)
			return -1;
		st->mem_limit = v1_limit(v);
		return 0;
	case CG_SK_V1_MEM_MAX_USAGE:
		return parse_single(buf, "memory.max_usage_in_bytes", false, &st->mem_max_used, err);
	case CG_SK_V1_MEM_STAT:
		return parse_v1_mem_stat(buf, st, err);
	case CG_SK_V1_MEM_OOM_CONTROL: {
		const struct kv_key keys[] = { { "oom_kill", &st->mem_oom_kills, 1 } };
		return parse_flat_keyed(buf, "memory.oom_control", keys, 1, err);
	}
	case CG_SK_V1_BLKIO_BYTES:
		return parse_v1_blkio(buf, "blkio.throttle.io_service_bytes", &st->blk_read_bytes,
				      &st->blk_write_bytes, err);
	case CG_SK_V1_BLKIO_OPS:
		return parse_v1_blkio(buf, "blkio.throttle.io_serviced", &st->blk_read_ops,
				      &st->blk_write_ops, err);
	case CG_SK_V2_CPU_STAT: {
		const struct kv_key keys[] = {
			{ "usage_usec", &st->cpu_usage_ns, 1000 },
			{ "user_usec", &st->cpu_user_ns, 1000 },
			{ "system_usec", &st->cpu_system_ns, 1000 },
			{ "nr_periods", &st->cpu_nr_periods, 1 },
			{ "nr_throttled", &st->cpu_nr_throttled, 1 },
			{ "throttled_usec", &st->cpu_throttled_ns, 1000 },
		};
		return parse_flat_keyed(buf, "cpu.stat", keys, 6, err);
	}
	case CG_SK_V2_MEM_CURRENT:
		return parse_single(buf, "memory.current", false, &st->mem_used, err);
	case CG_SK_V2_MEM_MAX:
		return parse_single(buf, "memory.max", true, &st->mem_limit, err);
	case CG_SK_V2_MEM_PEAK:
		return parse_single(buf, "memory.peak", false, &st->mem_max_used, err);
	case CG_SK_V2_MEM_SWAP_CURRENT:
		return parse_single(buf, "memory.swap.current", false, &st->mem_swap, err);
	case CG_SK_V2_MEM_STAT: {
		const struct kv_key keys[] = {
			{ "file", &st->mem_cache, 1 },
			{ "anon", &st->mem_rss, 1 },
		};
		return parse_flat_keyed(buf, "memory.stat", keys, 2, err);
	}
	case CG_SK_V2_MEM_EVENTS: {
		const struct kv_key keys[] = { { "oom_kill", &st->mem_oom_kills, 1 } };
		return parse_flat_keyed(buf, "memory.events", keys, 1, err);
	}
	case CG_SK_V2_IO_STAT:
		return parse_v2_io(buf, st, err);
	case CG_SK_PIDS_CURRENT:
		return parse_single(buf, "pids.current", false, &st->pids_current, err);
	case CG_SK_PIDS_MAX:
		return parse_single(buf, "pids.max", true, &st->pids_max, err);
	case CG_SK_PSI_CPU:
		return parse_psi(buf, "cpu.pressure", &st->psi_cpu, err);
	case CG_SK_PSI_MEMORY:
		return parse_psi(buf, "memory.pressure", &st->psi_memory, err);
	case CG_SK_PSI_IO:
		return parse_psi(buf, "io.pressure", &st->psi_io, err);
	}
	return err_set(err, EINVAL, "unknown cgroup stat kind %d", (int)kind);
}

/* --- the reader --- */

struct stat_fd {
	int fd;
	enum cg_stat_kind kind;
	char *file;
};

struct cg_stats_reader {
	char *name;
	struct stat_fd f[CG_STAT_SRC_MAX];
	size_t n;
	char *buf;
	size_t cap;
	size_t last_bytes;
	unsigned slow_every; /* slow files are read one round in this many */
	unsigned round;
	struct cg_stats slow; /* their figures, as last read */
	bool no_quota; /* v1 cpu.stat counted no CFS period when last read */
};

/* Files whose figures change seldom or matter little between two samples:
 * limits, peaks, the user/system split and pressure averages (themselves
 * averaged over 10 s and more). Each read costs the sampler a system call
 * per container per round, the bulk of its CPU time. OOM kills stay in the
 * fast set: they raise an alarm. */
static bool slow_kind(enum cg_stat_kind k)
{
	switch (k) {
	case CG_SK_V1_CPUACCT_USAGE_USER:
	case CG_SK_V1_CPUACCT_USAGE_SYS:
	case CG_SK_V1_CPUACCT_STAT:
	case CG_SK_V1_MEM_LIMIT:
	case CG_SK_V1_MEM_MAX_USAGE:
	case CG_SK_V2_MEM_MAX:
	case CG_SK_V2_MEM_PEAK:
	case CG_SK_PIDS_MAX:
	case CG_SK_PSI_CPU:
	case CG_SK_PSI_MEMORY:
	case CG_SK_PSI_IO:
		return true;
	default:
		return false;
	}
}

/* v1's cpu.stat holds only the CFS bandwidth counters, which stand still
 * while the group has no CPU quota: no period is counted then. Such a group
 * reads it with the slow files, so that a quota set while it runs shows in
 * its throttling figures at the next slow round. v2's cpu.stat also has the
 * usage and stays fast. */
static bool slow_now(const struct cg_stats_reader *r, enum cg_stat_kind k)
{
	return slow_kind(k) || (k == CG_SK_V1_CPU_STAT && r->no_quota);
}

/* Where a file's figures go: those of files that are slow at times are
 * always kept with the slow ones, which stay valid when reads skip them. */
static struct cg_stats *dest(struct cg_stats_reader *r, enum cg_stat_kind k, struct cg_stats *st)
{
	return slow_kind(k) || k == CG_SK_V1_CPU_STAT ? &r->slow : st;
}

/* The figures slow files give, carried over between their reads, where a
 * fast file did not give them this round (v2's cpu.stat has user/system). */
static void merge_one(uint64_t *dst, uint64_t slow)
{
	if (*dst == CG_UNKNOWN)
		*dst = slow;
}

static void merge_slow(const struct cg_stats *slow, struct cg_stats *st)
{
	merge_one(&st->cpu_user_ns, slow->cpu_user_ns);
	merge_one(&st->cpu_system_ns, slow->cpu_system_ns);
	merge_one(&st->mem_limit, slow->mem_limit);
	merge_one(&st->mem_max_used, slow->mem_max_used);
	merge_one(&st->pids_max, slow->pids_max);
	merge_one(&st->cpu_nr_periods, slow->cpu_nr_periods);
	merge_one(&st->cpu_nr_throttled, slow->cpu_nr_throttled);
	merge_one(&st->cpu_throttled_ns, slow->cpu_throttled_ns);
	if (!st->psi_cpu.known)
		st->psi_cpu = slow->psi_cpu;
	if (!st->psi_memory.known)
		st->psi_memory = slow->psi_memory;
	if (!st->psi_io.known)
		st->psi_io = slow->psi_io;
}

void cg_stats_set_slow_every(struct cg_stats_reader *r, unsigned rounds)
{
	r->slow_every = rounds > 0 ? rounds : 1;
	r->round = 0;
}

int cg_stats_open(struct cg *cg, struct cg_stats_reader **out, struct error *err)
{
	struct cg_stat_src src[CG_STAT_SRC_MAX];
	size_t n = cg->ops->stat_files(cg, src, CG_STAT_SRC_MAX);
	struct cg_stats_reader *r = xcalloc(1, sizeof(*r));
	bool prev_open = false;

	r->name = xstrdup(cg->name);
	r->slow_every = 1;
	r->cap = 8192;
	r->buf = xmalloc(r->cap);
	for (size_t i = 0; i < n; i++) {
		if (src[i].fallback && prev_open)
			continue;
		_cleanup_free_ char *p = xasprintf("%s/%s", src[i].dir, src[i].file);
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		prev_open = fd >= 0;
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			err_sys(err, "cgroup '%s': open %s", cg->name, src[i].file);
			cg_stats_close(r);
			return -1;
		}
		r->f[r->n].fd = fd;
		r->f[r->n].kind = src[i].kind;
		r->f[r->n].file = xstrdup(src[i].file);
		r->n++;
	}
	*out = r;
	return 0;
}

/* The whole file from offset 0; grows the buffer until the read is short.
 * A seq_file is produced at once on the first read, so a short read is the
 * end: no second read to see 0, which would double the sampler's system
 * calls (it reads some 3000 files a second for 200 containers). */
static int read_whole(struct cg_stats_reader *r, struct stat_fd *f, size_t *len, struct error *err)
{
	for (;;) {
		size_t used = 0;
		ssize_t n;

		do
			n = pread(f->fd, r->buf, r->cap - 1, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return err_sys(err, "cgroup '%s': read %s", r->name, f->file);
		used = (size_t)n;
		if (used < r->cap - 1) {
			r->buf[used] = '\0';
			*len = used;
			return 0;
		}
		if (r->cap >= (16u << 20))
			return err_set(err, EFBIG, "cgroup '%s': %s is over 16 MiB", r->name, f->file);
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
}

int cg_stats_read(struct cg_stats_reader *r, struct cg_stats *st, struct error *err)
{
	bool slow_round = r->round++ % r->slow_every == 0;

	cg_stats_reset(st);
	if (slow_round)
		cg_stats_reset(&r->slow);
	r->last_bytes = 0;
	for (size_t i = 0; i < r->n; i++) {
		enum cg_stat_kind k = r->f[i].kind;
		size_t len = 0;

		if (!slow_round && slow_now(r, k))
			continue;
		if (read_whole(r, &r->f[i], &len, err) < 0)
			return -1;
		r->last_bytes += len;
		if (cg_stats_parse(k, r->buf, dest(r, k, st), err) < 0)
			return err_prefix(err, "cgroup '%s'", r->name);
		if (k == CG_SK_V1_CPU_STAT)
			r->no_quota = r->slow.cpu_nr_periods == 0;
	}
	merge_slow(&r->slow, st);
	return 0;
}

size_t cg_stats_bytes_read(const struct cg_stats_reader *r)
{
	return r->last_bytes;
}

void cg_stats_close(struct cg_stats_reader *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		close(r->f[i].fd);
		free(r->f[i].file);
	}
	free(r->buf);
	free(r->name);
	free(r);
}
