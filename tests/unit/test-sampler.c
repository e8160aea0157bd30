/* Statistics sampler: rates over an interval, the history ring, and the
 * per-container state over a v2 tree made in a temp dir. */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/cgroup.h"
#include "engine/ops-stats.h"
#include "engine/sampler.h"
#include "lib/error.h"

static struct stat_sample sample(uint64_t mono_ns, uint64_t cpu_ns, uint64_t rd, uint64_t wr)
{
	struct stat_sample s;

	memset(&s, 0, sizeof(s));
	cg_stats_reset(&s.st);
	s.mono_ns = mono_ns;
	s.st.cpu_usage_ns = cpu_ns;
	s.st.blk_read_bytes = rd;
	s.st.blk_write_bytes = wr;
	return s;
}

Test(rates, first_sample_has_none)
{
	struct stat_sample s = sample(1000, 5, 6, 7);

	stat_rates(&s, NULL, 4);
	cr_expect_eq(s.cpu_pct, STAT_RATE_UNKNOWN);
	cr_expect_eq(s.cpu_pct_host, STAT_RATE_UNKNOWN);
	cr_expect_eq(s.read_bps, STAT_RATE_UNKNOWN);
	cr_expect_eq(s.write_bps, STAT_RATE_UNKNOWN);
}

Test(rates, half_a_cpu_over_two_seconds)
{
	struct stat_sample a = sample(10000000000ull, 3000000000ull, 0, 4096);
	struct stat_sample b = sample(12000000000ull, 4000000000ull, 1048576, 4096 + 2 * 65536);

	stat_rates(&b, &a, 4);
	cr_expect_float_eq(b.cpu_pct, 50.0, 1e-9);
	cr_expect_float_eq(b.cpu_pct_host, 12.5, 1e-9);
	cr_expect_float_eq(b.read_bps, 524288.0, 1e-9);
	cr_expect_float_eq(b.write_bps, 65536.0, 1e-9);
}

Test(rates, two_decimals)
{
	struct stat_sample a = sample(0, 0, 0, 0);
	struct stat_sample b = sample(3000000000ull, 1000000000ull, 0, 0);

	stat_rates(&b, &a, 3);
	cr_expect_float_eq(b.cpu_pct, 33.33, 1e-9);
	cr_expect_float_eq(b.cpu_pct_host, 11.11, 1e-9);
}

Test(rates, counter_reset_or_unknown_is_unknown)
{
	struct stat_sample a = sample(1000000000ull, 5000000000ull, CG_UNKNOWN, 100);
	struct stat_sample b = sample(2000000000ull, 1000000000ull, 10, 50);

	stat_rates(&b, &a, 2);
	cr_expect_eq(b.cpu_pct, STAT_RATE_UNKNOWN);
	cr_expect_eq(b.cpu_pct_host, STAT_RATE_UNKNOWN);
	cr_expect_eq(b.read_bps, STAT_RATE_UNKNOWN);
	cr_expect_eq(b.write_bps, STAT_RATE_UNKNOWN);
}

Test(rates, no_time_passed_is_unknown)
{
	struct stat_sample a = sample(5, 0, 0, 0);
	struct stat_sample b = sample(5, 100, 0, 0);

	stat_rates(&b, &a, 1);
	cr_expect_eq(b.cpu_pct, STAT_RATE_UNKNOWN);
}

Test(hist, fills_then_wraps_oldest_first)
{
	struct stat_hist h;

	stat_hist_init(&h, 5);
	cr_expect_null(stat_hist_latest(&h));
	cr_expect_null(stat_hist_at(&h, 0));
	for (uint64_t i = 1; i <= 3; i++) {
		struct stat_sample s = sample(i, i * 10, 0, 0);
		stat_hist_push(&h, &s);
	}
	cr_expect_eq(h.len, 3);
	cr_expect_eq(stat_hist_at(&h, 0)->mono_ns, 1);
	cr_expect_eq(stat_hist_latest(&h)->mono_ns, 3);
	for (uint64_t i = 4; i <= 12; i++) {
		struct stat_sample s = sample(i, i * 10, 0, 0);
		stat_hist_push(&h, &s);
	}
	cr_expect_eq(h.len, 5);
	for (size_t i = 0; i < 5; i++)
		cr_expect_eq(stat_hist_at(&h, i)->mono_ns, 8 + i, "slot %zu", i);
	cr_expect_eq(stat_hist_latest(&h)->st.cpu_usage_ns, 120);
	cr_expect_null(stat_hist_at(&h, 5));
	stat_hist_free(&h);
}

Test(hist, grows_on_demand_up_to_the_cap)
{
	struct stat_hist h;

	stat_hist_init(&h, STAT_HISTORY_DEFAULT);
	struct stat_sample s = sample(1, 0, 0, 0);
	stat_hist_push(&h, &s);
	cr_expect_leq(h.alloc, 16);
	for (uint64_t i = 2; i <= 2000; i++) {
		s = sample(i, 0, 0, 0);
		stat_hist_push(&h, &s);
	}
	cr_expect_eq(h.alloc, STAT_HISTORY_DEFAULT);
	cr_expect_eq(h.len, STAT_HISTORY_DEFAULT);
	cr_expect_eq(stat_hist_at(&h, 0)->mono_ns, 2000 - STAT_HISTORY_DEFAULT + 1);
	cr_expect_eq(stat_hist_latest(&h)->mono_ns, 2000);
	stat_hist_free(&h);
}

/* --- the sampler over a fake v2 tree --- */

static char tmp[] = "/tmp/corral-test-sampler.XXXXXX";

static void put(const char *rel, const char *text)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	f = fopen(p, "w");
	cr_assert_not_null(f, "%s", p);
	fputs(text, f);
	fclose(f);
}

static void make_group(const char *name, const char *cpu_stat)
{
	char p[4096], rel[256];

	snprintf(p, sizeof(p), "%s/corral/%s", tmp, name);
	cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
	snprintf(rel, sizeof(rel), "corral/%s/cgroup.controllers", name);
	put(rel, "cpu io memory pids\n");
	snprintf(rel, sizeof(rel), "corral/%s/cgroup.procs", name);
	put(rel, "");
	snprintf(rel, sizeof(rel), "corral/%s/cpu.stat", name);
	put(rel, cpu_stat);
	snprintf(rel, sizeof(rel), "corral/%s/memory.current", name);
	put(rel, "1048576\n");
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void setup(void)
{
	char p[4096];

	cr_assert_not_null(mkdtemp(tmp));
	put("cgroup.controllers", "cpu io memory pids\n");
	put("cgroup.procs", "");
	snprintf(p, sizeof(p), "%s/corral", tmp);
	cr_assert_eq(mkdir(p, 0755), 0);
	put("corral/cgroup.controllers", "cpu io memory pids\n");
	put("corral/cgroup.subtree_control", "cpu io memory pids\n");
}

static void teardown(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(sampler, .init = setup, .fini = teardown);

Test(sampler, samples_keep_history_and_drop_the_unseen)
{
	struct cg_host h;
	struct error err = ERROR_INIT;
	struct sampler *s;
	const struct stat_hist *hist;

	cr_assert_eq(cg_detect(tmp, &h, &err), 0, "%s", err_msg(&err));
	make_group("web", "usage_usec 1000\n");
	make_group("db", "usage_usec 5\n");
	s = sampler_new(&h, "corral", 3);

	cr_assert_eq(sampler_sample(s, "web", 1, NULL, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(sampler_sample(s, "db", 2, NULL, &err), 0, "%s", err_msg(&err));
	sampler_end(s);
	cr_expect_eq(sampler_count(s), 2);
	cr_expect_gt(sampler_bytes_read(s), 0);
	hist = sampler_history(s, "web");
	cr_assert_not_null(hist);
	cr_expect_eq(stat_hist_latest(hist)->st.cpu_usage_ns, 1000000);
	cr_expect_eq(stat_hist_latest(hist)->st.mem_used, 1048576);
	cr_expect_eq(stat_hist_latest(hist)->cpu_pct, STAT_RATE_UNKNOWN);
	cr_expect_gt(stat_hist_latest(hist)->time, 1e9);

	/* Re-read through the same descriptors: the rate appears. */
	put("corral/web/cpu.stat", "usage_usec 2000\n");
	usleep(10000);
	cr_assert_eq(sampler_sample(s, "web", 1, NULL, &err), 0, "%s", err_msg(&err));
	sampler_end(s);
	hist = sampler_history(s, "web");
	cr_expect_eq(hist->len, 2);
	cr_expect_eq(stat_hist_latest(hist)->st.cpu_usage_ns, 2000000);
	cr_expect_gt(stat_hist_latest(hist)->cpu_pct, 0);
	/* db was not sampled in that round: it stopped. */
	cr_expect_null(sampler_history(s, "db"));
	cr_expect_eq(sampler_count(s), 1);

	/* A new run of web (another id) starts afresh. */
	cr_assert_eq(sampler_sample(s, "web", 7, NULL, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(sampler_history(s, "web")->len, 1);
	cr_expect_eq(stat_hist_latest(sampler_history(s, "web"))->cpu_pct, STAT_RATE_UNKNOWN);

	sampler_forget(s, "web");
	cr_expect_null(sampler_history(s, "web"));
	sampler_free(s);
	cg_host_free(&h);
}

Test(sampler, a_missing_group_is_enoent_and_not_kept)
{
	struct cg_host h;
	struct error err = ERROR_INIT;
	struct sampler *s;

	cr_assert_eq(cg_detect(tmp, &h, &err), 0, "%s", err_msg(&err));
	s = sampler_new(&h, "corral", 10);
	cr_expect_eq(sampler_sample(s, "nope", 1, NULL, &err), -ENOENT);
	err_clear(&err);
	cr_expect_eq(sampler_count(s), 0);
	cr_expect_null(sampler_history(s, "nope"));
	sampler_free(s);
	cg_host_free(&h);
}

/* --- the protocol's shape --- */

Test(json, unknown_and_unlimited_are_null)
{
	struct stat_sample a = sample(0, 0, 0, 0);
	struct stat_sample b = sample(1000000000ull, 250000000ull, 0, 512);
	json_t *j, *cpu, *mem;

	b.time = 1700000000.5;
	b.st.mem_used = 104857600;
	b.st.mem_limit = CG_UNLIMITED;
	b.st.pids_current = 3;
	stat_rates(&b, &a, 2);
	j = ost_sample_json("web", &b);
	cr_assert_not_null(j);
	cr_expect_str_eq(json_string_value(json_object_get(j, "name")), "web");
	cr_expect_float_eq(json_real_value(json_object_get(j, "time")), 1700000000.5, 1e-6);
	cpu = json_object_get(j, "cpu");
	cr_expect_float_eq(json_real_value(json_object_get(cpu, "percent")), 25.0, 1e-9);
	cr_expect_float_eq(json_real_value(json_object_get(cpu, "percent_host")), 12.5, 1e-9);
	cr_expect_eq(json_integer_value(json_object_get(cpu, "usage_ns")), 250000000);
	cr_expect(json_is_null(json_object_get(cpu, "user_ns")));
	cr_expect(json_is_null(json_object_get(cpu, "throttled_periods")));
	mem = json_object_get(j, "memory");
	cr_expect_eq(json_integer_value(json_object_get(mem, "used")), 104857600);
	cr_expect(json_is_null(json_object_get(mem, "limit")));
	cr_expect(json_is_null(json_object_get(mem, "oom_kills")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "pids"), "current")), 3);
	cr_expect(json_is_null(json_object_get(json_object_get(j, "pids"), "max")));
	cr_expect_float_eq(json_real_value(json_object_get(json_object_get(j, "blkio"), "write_bps")),
			   512.0, 1e-9);
	cr_expect(json_is_null(json_object_get(j, "net")));
	cr_expect(json_is_null(json_object_get(json_object_get(j, "pressure"), "cpu")));
	json_decref(j);
}

Test(json, pressure_without_full_line)
{
	struct stat_sample s = sample(0, 0, 0, 0);
	json_t *j, *cpu;

	s.st.psi_cpu.known = true;
	s.st.psi_cpu.some.avg10 = 1.5;
	s.st.psi_cpu.some.total_us = 42;
	j = ost_sample_json("web", &s);
	cpu = json_object_get(json_object_get(j, "pressure"), "cpu");
	cr_expect_float_eq(json_real_value(json_object_get(cpu, "some_avg10")), 1.5, 1e-9);
	cr_expect_eq(json_integer_value(json_object_get(cpu, "some_total_us")), 42);
	cr_expect(json_is_null(json_object_get(cpu, "full_avg10")));
	cr_expect(json_is_null(json_object_get(cpu, "full_total_us")));
	json_decref(j);
}
