/* engine/cgroup*: layout detection, stat parsing and limit mappings on
 * fixture trees of both layouts (copied to a temp dir), and the v2 device
 * program run through a small eBPF interpreter. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/domain.h"
#include "engine/cgroup-limits.h"
#include "engine/cgroup-stats.h"
#include "engine/cgroup.h"
#include "lib/error.h"
#include "lib/file.h"

static char tmp[] = "/tmp/corral-test-cgroup.XXXXXX";
static const char *copy_to;
static size_t copy_from_len;

static const char *fixture(const char *name)
{
	static char p[4096];
	const char *src = getenv("CORRAL_SRCDIR");

	snprintf(p, sizeof(p), "%s/tests/fixtures/cgroup/%s", src != NULL ? src : ".", name);
	return p;
}

static int copy_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char dst[4096];

	snprintf(dst, sizeof(dst), "%s%s", copy_to, path + copy_from_len);
	if (flag == FTW_D)
		return mkdir(dst, 0755) < 0 && errno != EEXIST;
	if (flag == FTW_SL) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return 1;
		target[n] = '\0';
		return symlink(target, dst) < 0;
	}
	if (flag == FTW_F) {
		char *buf = NULL;
		size_t len = 0;
		struct error err = ERROR_INIT;
		if (file_read_all(path, 1 << 20, &buf, &len, &err) < 0)
			return 1;
		FILE *f = fopen(dst, "w");
		if (f == NULL)
			return 1;
		fwrite(buf, 1, len, f);
		fclose(f);
		free(buf);
		return 0;
	}
	return 1;
}

/* A private copy of fixture name; returns its path. */
static const char *copy_fixture(const char *name)
{
	static char dst[4096];
	const char *src = fixture(name);

	snprintf(dst, sizeof(dst), "%s/%s", tmp, name);
	copy_to = dst;
	copy_from_len = strlen(src);
	cr_assert_eq(nftw(src, copy_one, 16, FTW_PHYS), 0, "copy fixture %s", src);
	return dst;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void setup(void)
{
	cr_assert_not_null(mkdtemp(tmp));
}

static void teardown(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(cgroup, .init = setup, .fini = teardown);

static char *slurp(const char *dir, const char *file)
{
	char p[4096], *buf = NULL;
	struct error err = ERROR_INIT;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	cr_assert_eq(file_read_all(p, 1 << 20, &buf, NULL, &err), 0, "%s", err_msg(&err));
	return buf;
}

static void expect_file(const struct cg *cg, enum cg_ctrl c, const char *file, const char *want)
{
	const char *dir = cg_dir(cg, c);
	cr_assert_not_null(dir, "no dir for %s", file);
	char *got = slurp(dir, file);
	cr_expect_str_eq(got, want, "%s: got '%s', want '%s'", file, got, want);
	free(got);
}

/* --- detection --- */

Test(cgroup, detect_hybrid)
{
	struct cg_host h;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("hybrid");

	cr_assert_eq(cg_detect(root, &h, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(h.layout, CG_LAYOUT_HYBRID);
	cr_expect_str_eq(cg_layout_name(h.layout), "hybrid");
	cr_assert_not_null(h.v1_dir[CG_CPU]);
	cr_expect_str_eq(h.v1_dir[CG_CPU], h.v1_dir[CG_CPUACCT], "co-mounted cpu,cpuacct");
	cr_expect(strstr(h.v1_dir[CG_CPU], "cpu,cpuacct") != NULL);
	for (int c = 0; c < CG_N_CTRL; c++)
		cr_expect(cg_host_has(&h, c), "controller %s", cg_ctrl_name(c, false));
	cr_assert_not_null(h.v2_dir);
	cr_expect(strstr(h.v2_dir, "/unified") != NULL);
	cg_host_free(&h);
}

Test(cgroup, detect_v2)
{
	struct cg_host h;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_detect(copy_fixture("v2"), &h, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(h.layout, CG_LAYOUT_V2);
	cr_expect(cg_host_has(&h, CG_MEMORY));
	cr_expect(cg_host_has(&h, CG_BLKIO));
	cr_expect(cg_host_has(&h, CG_FREEZER), "freezer is core on v2");
	cr_expect(!cg_host_has(&h, CG_NET_CLS));
	cr_expect_str_eq(cg_ctrl_name(CG_BLKIO, true), "io");
	cg_host_free(&h);
}

Test(cgroup, detect_v1_separate_mounts)
{
	struct cg_host h;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_detect(copy_fixture("v1"), &h, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(h.layout, CG_LAYOUT_V1);
	cr_expect_null(h.v2_dir);
	cr_expect(cg_host_has(&h, CG_CPU) && cg_host_has(&h, CG_CPUACCT));
	cr_expect_str_neq(h.v1_dir[CG_CPU], h.v1_dir[CG_CPUACCT]);
	cr_expect(!cg_host_has(&h, CG_BLKIO));
	cr_expect(!cg_host_has(&h, CG_DEVICES));
	cg_host_free(&h);
}

Test(cgroup, detect_none_and_create_fails)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_detect(tmp, &h, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(h.layout, CG_LAYOUT_NONE);
	cr_expect_lt(cg_create(&h, "corral", "web", &cg, &err), 0);
	cr_expect(strstr(err_msg(&err), "no cgroup hierarchy") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	cg_host_free(&h);
}

Test(cgroup, names_must_be_plain)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_detect(copy_fixture("v2"), &h, &err), 0);
	cr_expect_lt(cg_open_existing(&h, "corral", "../etc", &cg, &err), 0);
	err_clear(&err);
	cr_expect_lt(cg_open_existing(&h, "..", "web", &cg, &err), 0);
	err_clear(&err);
	cr_expect_lt(cg_open_existing(&h, "corral", "gone", &cg, &err), 0);
	cr_expect_eq(err.errnum, ENOENT);
	err_clear(&err);
	cg_host_free(&h);
}

/* --- statistics --- */

Test(cgroup, stats_hybrid_fixture)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_detect(copy_fixture("hybrid"), &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_open(cg, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));

	cr_expect_eq(st.cpu_usage_ns, 5123456789ull);
	cr_expect_eq(st.cpu_user_ns, 4000000000ull, "usage_user wins over cpuacct.stat");
	cr_expect_eq(st.cpu_system_ns, 1123456789ull);
	cr_expect_eq(st.cpu_nr_periods, 120);
	cr_expect_eq(st.cpu_nr_throttled, 30);
	cr_expect_eq(st.cpu_throttled_ns, 1500000000ull);
	cr_expect_eq(st.mem_used, 110231552ull);
	cr_expect_eq(st.mem_limit, CG_UNLIMITED);
	cr_expect_eq(st.mem_cache, 8388608ull, "total_cache");
	cr_expect_eq(st.mem_rss, 100663296ull, "total_rss");
	cr_expect_eq(st.mem_swap, 4096);
	cr_expect_eq(st.mem_max_used, 134217728ull);
	cr_expect_eq(st.mem_oom_kills, 2);
	cr_expect_eq(st.pids_current, 7);
	cr_expect_eq(st.pids_max, CG_UNLIMITED);
	cr_expect_eq(st.blk_read_bytes, 1048576 + 2048);
	cr_expect_eq(st.blk_write_bytes, 4096 + 8192);
	cr_expect_eq(st.blk_read_ops, 258);
	cr_expect_eq(st.blk_write_ops, 4);
	cr_expect(st.psi_cpu.known && st.psi_cpu.has_full);
	cr_expect_float_eq(st.psi_cpu.some.avg10, 1.22, 1e-9);
	cr_expect_float_eq(st.psi_cpu.some.avg300, 2.15, 1e-9);
	cr_expect_eq(st.psi_cpu.some.total_us, 12079302);
	cr_expect_float_eq(st.psi_io.full.avg10, 10.0, 1e-9);
	cr_expect_eq(st.psi_memory.full.total_us, 2121);
	cr_expect_gt(cg_stats_bytes_read(r), 500);

	cg_stats_close(r);
	cg_free(cg);
	cg_host_free(&h);
}

static void put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* The sampler reads limits and other slow figures one round in N and
 * carries them over; fast figures are fresh every round. */
Test(cgroup, stats_slow_files_one_round_in_n)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("hybrid");
	size_t full_bytes;

	cr_assert_eq(cg_detect(root, &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_open(cg, &r, &err), 0, "%s", err_msg(&err));
	cg_stats_set_slow_every(r, 3);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	full_bytes = cg_stats_bytes_read(r);
	cr_expect_eq(st.pids_max, CG_UNLIMITED);
	cr_expect_eq(st.pids_current, 7);

	put(root, "pids/corral/web/pids.max", "64\n");
	put(root, "pids/corral/web/pids.current", "9\n");
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.pids_current, 9, "fast figures are fresh");
	cr_expect_eq(st.pids_max, CG_UNLIMITED, "slow figures carried over");
	cr_expect_eq(st.mem_max_used, 134217728ull, "carried over, not unknown");
	cr_expect(st.psi_cpu.known);
	cr_expect_lt(cg_stats_bytes_read(r), full_bytes, "fewer files read");
	cr_assert_eq(cg_stats_read(r, &st, &err), 0);
	cr_expect_eq(st.pids_max, CG_UNLIMITED);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0);
	cr_expect_eq(st.pids_max, 64, "read again on the third round after");

	cg_stats_close(r);
	cg_free(cg);
	cg_host_free(&h);
}

/* v1's cpu.stat moves only under a CPU quota: without one it is read with
 * the slow files, and once periods are counted, every round. */
Test(cgroup, stats_v1_cpu_stat_slow_without_quota)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("hybrid");
	const char *file = "cpu,cpuacct/corral/web/cpu.stat";

	put(root, file, "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
	cr_assert_eq(cg_detect(root, &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_open(cg, &r, &err), 0, "%s", err_msg(&err));
	cg_stats_set_slow_every(r, 3);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.cpu_nr_throttled, 0);

	put(root, file, "nr_periods 5\nnr_throttled 1\nthrottled_time 700\n");
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.cpu_nr_throttled, 0, "no quota: carried over");
	cr_expect_eq(st.cpu_throttled_ns, 0);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0);
	cr_expect_eq(st.cpu_nr_throttled, 1, "the quota shows at the next slow round");
	cr_expect_eq(st.cpu_throttled_ns, 700);

	put(root, file, "nr_periods 9\nnr_throttled 2\nthrottled_time 900\n");
	cr_assert_eq(cg_stats_read(r, &st, &err), 0);
	cr_expect_eq(st.cpu_nr_throttled, 2, "under a quota: every round");
	cr_expect_eq(st.cpu_nr_periods, 9);
	cr_expect_eq(st.cpu_throttled_ns, 900);

	cg_stats_close(r);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, stats_v2_fixture)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("v2");
	char p[4096];

	cr_assert_eq(cg_detect(root, &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_open(cg, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));

	cr_expect_eq(st.cpu_usage_ns, 2500000000ull);
	cr_expect_eq(st.cpu_user_ns, 2000000000ull);
	cr_expect_eq(st.cpu_system_ns, 500000000ull);
	cr_expect_eq(st.cpu_nr_periods, 40);
	cr_expect_eq(st.cpu_nr_throttled, 10);
	cr_expect_eq(st.cpu_throttled_ns, 250000000ull);
	cr_expect_eq(st.mem_used, 209715200ull);
	cr_expect_eq(st.mem_limit, CG_UNLIMITED);
	cr_expect_eq(st.mem_cache, 52428800ull);
	cr_expect_eq(st.mem_rss, 150994944ull);
	cr_expect_eq(st.mem_swap, 1048576ull);
	cr_expect_eq(st.mem_max_used, 268435456ull);
	cr_expect_eq(st.mem_oom_kills, 3);
	cr_expect_eq(st.pids_current, 12);
	cr_expect_eq(st.pids_max, 1024);
	cr_expect_eq(st.blk_read_bytes, 1048576 + 2048);
	cr_expect_eq(st.blk_write_bytes, 4096 + 8192);
	cr_expect_eq(st.blk_read_ops, 258);
	cr_expect_eq(st.blk_write_ops, 4);
	cr_expect(st.psi_io.known);
	cr_expect_float_eq(st.psi_io.full.avg300, 2.5, 1e-9);

	/* pread re-reads the same descriptors: a changed file shows at once. */
	snprintf(p, sizeof(p), "%s/corral/web/pids.current", root);
	FILE *f = fopen(p, "w");
	fputs("13\n", f);
	fclose(f);
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.pids_current, 13);

	cg_stats_close(r);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, stats_missing_files_are_unknown)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("v2");
	char p[4096];

	snprintf(p, sizeof(p), "%s/corral/web/memory.peak", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/corral/web/io.pressure", root);
	unlink(p);
	cr_assert_eq(cg_detect(root, &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0);
	cr_assert_eq(cg_stats_open(cg, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.mem_max_used, CG_UNKNOWN);
	cr_expect(!st.psi_io.known);
	cr_expect(st.psi_cpu.known);
	cg_stats_close(r);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, parse_cpuacct_stat_ticks)
{
	struct cg_stats st;
	struct error err = ERROR_INIT;
	uint64_t tick = 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);

	cg_stats_reset(&st);
	cr_assert_eq(cg_stats_parse(CG_SK_V1_CPUACCT_STAT, "user 400\nsystem 112\n", &st, &err), 0);
	cr_expect_eq(st.cpu_user_ns, 400 * tick);
	cr_expect_eq(st.cpu_system_ns, 112 * tick);
	cr_expect_eq(st.cpu_usage_ns, CG_UNKNOWN);
}

Test(cgroup, parse_rejects_garbage)
{
	struct cg_stats st;
	struct error err = ERROR_INIT;

	cg_stats_reset(&st);
	cr_expect_lt(cg_stats_parse(CG_SK_V2_MEM_CURRENT, "12x\n", &st, &err), 0);
	cr_expect(strstr(err_msg(&err), "memory.current") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	cr_expect_lt(cg_stats_parse(CG_SK_V2_CPU_STAT, "usage_usec -1\n", &st, &err), 0);
	err_clear(&err);
	cr_expect_lt(cg_stats_parse(CG_SK_PSI_CPU, "some avg10=x avg60=0 avg300=0 total=0\n", &st,
				    &err),
		     0);
	err_clear(&err);
	cr_expect_lt(cg_stats_parse(CG_SK_V2_IO_STAT, "8:0 rbytes\n", &st, &err), 0);
	err_clear(&err);
	cr_expect_lt(cg_stats_parse(CG_SK_V2_MEM_CURRENT, "99999999999999999999999\n", &st, &err),
		     0, "overflow");
	err_clear(&err);
	/* Unknown keys are fine: kernels add them. */
	cr_expect_eq(cg_stats_parse(CG_SK_V2_CPU_STAT, "new_key 5\nusage_usec 1\n", &st, &err), 0);
	cr_expect_eq(st.cpu_usage_ns, 1000);
	/* An empty io.stat (no IO yet) is zero, not unknown. */
	cr_expect_eq(cg_stats_parse(CG_SK_V2_IO_STAT, "", &st, &err), 0);
	cr_expect_eq(st.blk_read_bytes, 0);
}

/* --- limit mappings --- */

static struct domain *sample_domain(void)
{
	struct domain *dom = dom_new();

	dom->name = strdup("web");
	dom->memory_kib = 262144;    /* <memory> 256 MiB */
	dom->hard_limit_kib = 65536; /* <memtune><hard_limit> 64 MiB wins */
	dom->soft_limit_kib = 32768;
	dom->swap_hard_limit_kib = 131072;
	dom->vcpus = 2;
	dom->cpu_shares = 2048;
	dom->blkio_weight = 300;
	return dom;
}

Test(cgroup, limits_from_domain_vcpu_quota)
{
	struct domain *dom = sample_domain();
	struct cg_limits lim;
	struct cg_limits_extra ex = CG_LIMITS_EXTRA_INIT;
	struct error err = ERROR_INIT;

	ex.pids_max = 64;
	cr_assert_eq(cg_limits_from_domain(dom, &ex, &lim, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(lim.memory_max, 64ull << 20);
	cr_expect_eq(lim.memory_soft, 32ull << 20);
	cr_expect_eq(lim.memory_swap, 128ull << 20);
	cr_expect_eq(lim.vcpus, 2);
	cr_expect_null(lim.cpuset_cpus);
	cr_expect_eq(lim.cpu_period, 100000);
	cr_expect_eq(lim.cpu_quota, 200000, "<vcpu>2 without cputune quota: 2 periods");
	cr_expect_eq(lim.pids_max, 64);
	cr_expect(lim.devices_set);
	cr_expect(lim.optional & CG_LIM_NET_CLS);
	cg_limits_free(&lim);

	/* <cputune> quota wins over the vcpu-derived one; -1 is unlimited. */
	dom->has_cpu_quota = true;
	dom->cpu_quota = -1;
	cr_assert_eq(cg_limits_from_domain(dom, NULL, &lim, &err), 0);
	cr_expect_eq(lim.cpu_quota, CG_MAX);
	cr_expect_eq(lim.cpu_period, CG_UNSET);
	cg_limits_free(&lim);
	dom_free(dom);
}

Test(cgroup, limits_hostdev_and_blkio_devices)
{
	struct domain *dom = dom_new();
	struct cg_limits lim;
	struct error err = ERROR_INIT;
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);
	struct dom_hostdev hd = { .type = DOM_HD_MISC, .source = (char *)"/dev/null", .line = 7 };

	dom->hostdevs = &hd;
	dom->n_hostdevs = 1;
	cr_assert_eq(cg_limits_from_domain(dom, NULL, &lim, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(lim.n_dev_rules, n_def + 1);
	cr_expect_eq(lim.dev_rules[n_def].type, 'c');
	cr_expect_eq(lim.dev_rules[n_def].major, 1);
	cr_expect_eq(lim.dev_rules[n_def].minor, 3);
	cg_limits_free(&lim);

	hd.source = (char *)"/nonexistent/dev";
	cr_expect_lt(cg_limits_from_domain(dom, NULL, &lim, &err), 0);
	cr_expect(strstr(err_msg(&err), "line 7") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	dom->hostdevs = NULL;
	dom->n_hostdevs = 0;

	struct dom_blkio_device bd = { .path = (char *)"/dev/null", .weight = 500,
				       .read_iops = DOM_UNSET, .write_iops = DOM_UNSET,
				       .read_bytes = DOM_UNSET, .write_bytes = DOM_UNSET };
	dom->blkio_devices = &bd;
	dom->n_blkio_devices = 1;
	cr_expect_lt(cg_limits_from_domain(dom, NULL, &lim, &err), 0, "char device in blkiotune");
	cr_expect(strstr(err_msg(&err), "not a block device") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	dom->blkio_devices = NULL;
	dom->n_blkio_devices = 0;
	dom_free(dom);
}

Test(cgroup, shares_weight_conversion)
{
	cr_expect_eq(cg_shares_to_weight(1024), 39);
	cr_expect_eq(cg_shares_to_weight(2), 1);
	cr_expect_eq(cg_shares_to_weight(262144), 10000);
	cr_expect_eq(cg_shares_to_weight(1), 1, "clamped");
	cr_expect_eq(cg_weight_to_shares(1), 2);
	cr_expect_eq(cg_weight_to_shares(10000), 262144);
}

Test(cgroup, cpus_first_n)
{
	char *out = NULL;
	struct error err = ERROR_INIT;

	cr_assert_eq(cg_cpus_first_n("0-7\n", 2, &out, &err), 0);
	cr_expect_str_eq(out, "0-1");
	free(out);
	cr_assert_eq(cg_cpus_first_n("0,2-3,8-11", 4, &out, &err), 0);
	cr_expect_str_eq(out, "0,2-3,8");
	free(out);
	cr_assert_eq(cg_cpus_first_n("5", 1, &out, &err), 0);
	cr_expect_str_eq(out, "5");
	free(out);
	cr_expect_lt(cg_cpus_first_n("0-1", 3, &out, &err), 0);
	cr_expect_eq(err.errnum, ERANGE);
	err_clear(&err);
	cr_expect_lt(cg_cpus_first_n("0-x", 1, &out, &err), 0);
	err_clear(&err);
}

static const struct cg_write *find_write(const struct cg_plan *p, const char *file, size_t nth)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->w[i].file, file) == 0 && nth-- == 0)
			return &p->w[i];
	return NULL;
}

Test(cgroup, plan_v1_devices_order)
{
	struct cg_limits lim;
	struct cg_plan plan;
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);

	cg_limits_init(&lim);
	lim.devices_set = true;
	lim.dev_rules = calloc(n_def, sizeof(*def));
	memcpy(lim.dev_rules, def, n_def * sizeof(*def));
	lim.n_dev_rules = n_def;
	cg_plan_v1(&lim, NULL, &plan);
	cr_assert_eq(plan.n, 1 + n_def);
	cr_expect_str_eq(plan.w[0].file, "devices.deny");
	cr_expect_str_eq(plan.w[0].value, "a", "deny all before allowing");
	cr_expect_str_eq(find_write(&plan, "devices.allow", 0)->value, "c *:* m");
	cr_expect_str_eq(find_write(&plan, "devices.allow", 1)->value, "b *:* m");
	cr_expect_str_eq(find_write(&plan, "devices.allow", 2)->value, "c 1:3 rwm");
	cr_expect_str_eq(find_write(&plan, "devices.allow", n_def - 1)->value, "c 136:* rwm");
	cg_plan_free(&plan);
	cg_limits_free(&lim);
}

Test(cgroup, plan_v2_swap_and_io)
{
	struct cg_limits lim;
	struct cg_plan plan;
	struct cg_blkio_dev bd = { 8, 16, CG_UNSET, 1048576, CG_UNSET, CG_UNSET, 100 };

	cg_limits_init(&lim);
	lim.memory_max = 64 << 20;
	lim.memory_swap = 128 << 20;
	lim.blkio_devs = &bd;
	lim.n_blkio_devs = 1;
	cg_plan_v2(&lim, NULL, &plan);
	cr_expect_str_eq(find_write(&plan, "memory.max", 0)->value, "67108864");
	cr_expect_str_eq(find_write(&plan, "memory.swap.max", 0)->value, "67108864",
			 "swap alone = memsw - memory");
	cr_expect_str_eq(find_write(&plan, "io.max", 0)->value, "8:16 rbps=1048576 wiops=100");
	cg_plan_free(&plan);
}

/* Applies through the v1 backend into a copied hybrid tree and reads the
 * files back. */
Test(cgroup, apply_v1_fixture)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct domain *dom = sample_domain();
	struct cg_limits lim;
	struct cg_limits_extra ex = CG_LIMITS_EXTRA_INIT;
	struct error err = ERROR_INIT;

	ex.pids_max = 64;
	ex.net_cls_classid = 0x100001;
	cr_assert_eq(cg_detect(copy_fixture("hybrid"), &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_limits_from_domain(dom, &ex, &lim, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_apply(cg, &lim, &err), 0, "%s", err_msg(&err));

	expect_file(cg, CG_MEMORY, "memory.limit_in_bytes", "67108864");
	expect_file(cg, CG_MEMORY, "memory.soft_limit_in_bytes", "33554432");
	expect_file(cg, CG_MEMORY, "memory.memsw.limit_in_bytes", "134217728");
	/* The parent's effective CPUs are 0-3,6-7: <vcpu>2 takes the first two. */
	expect_file(cg, CG_CPUSET, "cpuset.cpus", "0-1");
	expect_file(cg, CG_CPU, "cpu.shares", "2048");
	expect_file(cg, CG_CPU, "cpu.cfs_period_us", "100000");
	expect_file(cg, CG_CPU, "cpu.cfs_quota_us", "200000");
	expect_file(cg, CG_BLKIO, "blkio.weight", "300"); /* no blkio.bfq.weight here */
	expect_file(cg, CG_PIDS, "pids.max", "64");
	expect_file(cg, CG_DEVICES, "devices.deny", "a");
	expect_file(cg, CG_DEVICES, "devices.allow", "c 136:* rwm"); /* the last of the list */
	expect_file(cg, CG_NET_CLS, "net_cls.classid", "1048577");

	cg_limits_free(&lim);
	dom_free(dom);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, apply_v2_fixture)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct domain *dom = sample_domain();
	struct cg_limits lim;
	struct cg_limits_extra ex = CG_LIMITS_EXTRA_INIT;
	struct error err = ERROR_INIT;

	ex.pids_max = CG_MAX;
	ex.no_devices = true; /* a fixture is no cgroup2 fs to attach eBPF to */
	ex.net_cls_classid = 0x100001;
	dom->cpu_period = 50000;
	cr_assert_eq(cg_detect(copy_fixture("v2"), &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_limits_from_domain(dom, &ex, &lim, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_apply(cg, &lim, &err), 0, "net_cls is optional: %s", err_msg(&err));

	expect_file(cg, CG_MEMORY, "memory.max", "67108864");
	expect_file(cg, CG_MEMORY, "memory.high", "33554432");
	expect_file(cg, CG_MEMORY, "memory.swap.max", "67108864");
	expect_file(cg, CG_CPUSET, "cpuset.cpus", "2-3"); /* parent has 2-5 */
	expect_file(cg, CG_CPU, "cpu.weight", "79");      /* shares 2048 */
	expect_file(cg, CG_CPU, "cpu.max", "100000 50000");
	expect_file(cg, CG_BLKIO, "io.weight", "default 300");
	expect_file(cg, CG_PIDS, "pids.max", "max");

	cg_limits_free(&lim);
	dom_free(dom);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, apply_missing_controller_names_it)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct cg_limits lim;
	struct error err = ERROR_INIT;
	const char *root = copy_fixture("v2");
	char p[4096];

	/* The group has no pids controller enabled. */
	snprintf(p, sizeof(p), "%s/corral/web/cgroup.controllers", root);
	FILE *f = fopen(p, "w");
	fputs("cpuset cpu io memory\n", f);
	fclose(f);
	cr_assert_eq(cg_detect(root, &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0);
	cg_limits_init(&lim);
	lim.pids_max = 10;
	cr_expect_lt(cg_apply(cg, &lim, &err), 0);
	cr_expect(strstr(err_msg(&err), "no pids controller") != NULL, "%s", err_msg(&err));
	cr_expect(strstr(err_msg(&err), "corral/web") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	lim.optional = CG_LIM_PIDS;
	cr_expect_eq(cg_apply(cg, &lim, &err), 0, "%s", err_msg(&err));

	/* A missing file (no swap accounting) is named too. */
	snprintf(p, sizeof(p), "%s/corral/web/memory.swap.max", root);
	unlink(p);
	cg_limits_init(&lim);
	lim.memory_swap = 1 << 20;
	cr_expect_lt(cg_apply(cg, &lim, &err), 0);
	cr_expect(strstr(err_msg(&err), "memory.swap.max") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	cg_free(cg);
	cg_host_free(&h);
}

Test(cgroup, freeze_v1_fixture)
{
	struct cg_host h;
	struct cg *cg = NULL;
	struct error err = ERROR_INIT;
	bool frozen = true;

	cr_assert_eq(cg_detect(copy_fixture("hybrid"), &h, &err), 0);
	cr_assert_eq(cg_open_existing(&h, "corral", "web", &cg, &err), 0);
	cr_assert_eq(cg_is_frozen(cg, &frozen, &err), 0);
	cr_expect(!frozen);
	cr_assert_eq(cg_freeze(cg, 100, &err), 0, "%s", err_msg(&err));
	expect_file(cg, CG_FREEZER, "freezer.state", "FROZEN");
	cr_assert_eq(cg_thaw(cg, 100, &err), 0, "%s", err_msg(&err));
	expect_file(cg, CG_FREEZER, "freezer.state", "THAWED");
	cg_free(cg);
	cg_host_free(&h);
}

/* --- the device program, run by a tiny interpreter of what it uses --- */

static uint64_t run_prog(const struct bpf_insn *p, size_t n, int type, int access, int maj,
			 int min)
{
	struct bpf_cgroup_dev_ctx ctx = { (uint32_t)(access << 16 | type), (uint32_t)maj,
					  (uint32_t)min };
	uint64_t r[11] = { 0 };
	size_t pc = 0;

	for (size_t steps = 0; steps < 10000; steps++) {
		cr_assert_lt(pc, n, "pc %zu ran off the program", pc);
		const struct bpf_insn *i = &p[pc++];
		uint64_t src = BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;

		switch (BPF_CLASS(i->code)) {
		case BPF_LDX:
			cr_assert_eq(i->code, BPF_LDX | BPF_W | BPF_MEM);
			cr_assert_eq(i->src_reg, BPF_REG_1);
			uint32_t v;
			memcpy(&v, (char *)&ctx + i->off, 4);
			r[i->dst_reg] = v;
			break;
		case BPF_ALU:
		case BPF_ALU64: {
			uint64_t d = r[i->dst_reg];
			switch (BPF_OP(i->code)) {
			case BPF_AND: d &= src; break;
			case BPF_RSH: d >>= src; break;
			case BPF_MOV: d = src; break;
			default: cr_assert_fail("alu op %x", i->code);
			}
			if (BPF_CLASS(i->code) == BPF_ALU)
				d = (uint32_t)d;
			r[i->dst_reg] = d;
			break;
		}
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_EXIT)
				return r[0];
			cr_assert_eq(BPF_OP(i->code), BPF_JNE);
			if (r[i->dst_reg] != src)
				pc += (size_t)i->off;
			break;
		default:
			cr_assert_fail("insn class %x", i->code);
		}
	}
	cr_assert_fail("program did not end");
	return 0;
}

Test(cgroup, device_program)
{
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);
	struct cg_dev_rule rules[32];
	void *insns = NULL;
	size_t n = 0;
	struct error err = ERROR_INIT;
	const int R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;
	const int C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK;

	memcpy(rules, def, n_def * sizeof(*def));
	rules[n_def] = (struct cg_dev_rule){ 'b', 8, 16, CG_DEV_READ }; /* a hostdev, read only */
	cr_assert_eq(cg_dev_bpf_build(rules, n_def + 1, &insns, &n, &err), 0, "%s", err_msg(&err));
	const struct bpf_insn *p = insns;

	cr_expect_eq(run_prog(p, n, C, R | W, 1, 3), 1, "/dev/null rw");
	cr_expect_eq(run_prog(p, n, C, R, 1, 9), 1, "/dev/urandom");
	cr_expect_eq(run_prog(p, n, C, R | W, 136, 42), 1, "a pts");
	cr_expect_eq(run_prog(p, n, C, R | W, 5, 2), 1, "ptmx");
	cr_expect_eq(run_prog(p, n, C, R, 1, 1), 0, "/dev/mem");
	cr_expect_eq(run_prog(p, n, C, R | W, 10, 200), 0, "/dev/net/tun");
	cr_expect_eq(run_prog(p, n, B, R, 7, 0), 0, "a loop device");
	cr_expect_eq(run_prog(p, n, B, M, 7, 0), 1, "mknod of any block node");
	cr_expect_eq(run_prog(p, n, B, R, 8, 16), 1, "the hostdev, read");
	cr_expect_eq(run_prog(p, n, B, R | W, 8, 16), 0, "the hostdev, write");
	cr_expect_eq(run_prog(p, n, B, R, 8, 17), 0, "its neighbour");
	free(insns);

	/* No rule: deny everything. */
	cr_assert_eq(cg_dev_bpf_build(NULL, 0, &insns, &n, &err), 0);
	cr_expect_eq(run_prog(insns, n, C, R, 1, 3), 0);
	free(insns);

	rules[0].type = 'x';
	cr_expect_lt(cg_dev_bpf_build(rules, 1, &insns, &n, &err), 0);
	err_clear(&err);
}
