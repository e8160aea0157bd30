/* engine/cgroup* on this machine's real hierarchies (root only): groups
 * under corral-test-<pid>, forked children moved in, limits read back,
 * freeze, kill and remove; v2 (freeze, kill, device program) on the unified
 * mount of a hybrid host. Every test's fini kills and removes what it made. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/domain.h"
#include "engine/cgroup-limits.h"
#include "engine/cgroup-stats.h"
#include "engine/cgroup.h"
#include "lib/error.h"
#include "lib/file.h"

#define ROOT "/sys/fs/cgroup"
#define MAX_KIDS 8

static struct cg_host H;
static bool have_host;
static struct cg *CG;
static char parent[64];
static pid_t kids[MAX_KIDS];
static size_t n_kids;
static volatile unsigned long *counter; /* shared with a counting child */

static void remove_stale(void);

static void setup(void)
{
	struct error err = ERROR_INIT;

	snprintf(parent, sizeof(parent), "corral-test-%d", (int)getpid());
	counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(counter, MAP_FAILED);
	if (geteuid() != 0)
		return;
	if (cg_detect(ROOT, &H, &err) < 0)
		return;
	have_host = true;
	remove_stale();
}

static void cleanup_host(struct cg_host *h, struct cg **cg)
{
	struct error err = ERROR_INIT;

	if (*cg != NULL) {
		if (cg_kill(*cg, 5000, &err) < 0)
			fprintf(stderr, "fini: %s\n", err_msg(&err));
		err_clear(&err);
	}
	for (size_t i = 0; i < n_kids; i++) {
		if (getpgid(kids[i]) == kids[i])
			kill(-kids[i], SIGKILL);
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	n_kids = 0;
	if (*cg != NULL) {
		if (cg_remove(*cg, 5000, &err) < 0)
			fprintf(stderr, "fini: %s\n", err_msg(&err));
		err_clear(&err);
		cg_free(*cg);
		*cg = NULL;
	}
	if (h->layout != CG_LAYOUT_NONE && cg_remove_parent(h, parent, &err) < 0)
		fprintf(stderr, "fini: %s\n", err_msg(&err));
	err_clear(&err);
}

static void teardown(void)
{
	if (have_host) {
		cleanup_host(&H, &CG);
		cg_host_free(&H);
	}
	munmap((void *)counter, 4096);
}

TestSuite(cgroup_live, .init = setup, .fini = teardown, .timeout = 60);

static void need_host(void)
{
	if (!have_host || H.layout == CG_LAYOUT_NONE)
		cr_skip_test("needs root and cgroups at " ROOT);
	if (H.layout == CG_LAYOUT_V2)
		cr_skip_test("this suite drives the v1 backend; the host is v2");
}

/* Groups left by a test run that crashed before its fini: their pid is gone. */
static void remove_stale(void)
{
	glob_t g;

	if (glob(ROOT "/*/corral-test-*", GLOB_ONLYDIR, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		int pid = atoi(base + strlen("corral-test-"));
		struct dirent *de;
		DIR *d;

		if (pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		d = opendir(g.gl_pathv[i]);
		while (d != NULL && (de = readdir(d)) != NULL) {
			char p[4096];
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", g.gl_pathv[i], de->d_name);
			rmdir(p);
		}
		if (d != NULL)
			closedir(d);
		rmdir(g.gl_pathv[i]);
	}
	globfree(&g);
}

static pid_t track(pid_t pid)
{
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	cr_assert_lt(n_kids, MAX_KIDS);
	kids[n_kids++] = pid;
	return pid;
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return track(pid);
}

/* A child that enters the group itself (between fork and exec, as the
 * monitor's init does) and then counts as fast as it can. */
static pid_t spawn_counter_in(struct cg *cg)
{
	struct cg_procs procs;
	struct error err = ERROR_INIT;
	int ready[2];
	char c;
	pid_t pid;

	cr_assert_eq(cg_procs_open(cg, &procs, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(pipe2(ready, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		if (cg_procs_enter(&procs) < 0)
			_exit(3);
		if (write(ready[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			(*counter)++;
	}
	track(pid);
	cg_procs_close(&procs);
	close(ready[1]);
	cr_assert_eq(read(ready[0], &c, 1), 1, "child did not enter the group");
	close(ready[0]);
	return pid;
}

static char *slurp(const char *dir, const char *file)
{
	char p[4096], *buf = NULL;
	struct error err = ERROR_INIT;
	size_t len;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	cr_assert_eq(file_read_all(p, 1 << 20, &buf, &len, &err), 0, "%s", err_msg(&err));
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return buf;
}

static void expect_file(struct cg *cg, enum cg_ctrl c, const char *file, const char *want)
{
	char *got = slurp(cg_dir(cg, c), file);
	cr_expect_str_eq(got, want, "%s: got '%s', want '%s'", file, got, want);
	free(got);
}

static bool in_group(pid_t pid, const char *ctrl, const char *path)
{
	char p[64], line[512], want[256];
	FILE *f;
	bool found = false;

	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)pid);
	snprintf(want, sizeof(want), ":%s:/%s\n", ctrl, path);
	f = fopen(p, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Waits (bounded) until the counter moves past from; false if it never does. */
static bool counter_moves(unsigned long from, int within_ms)
{
	long long end = now_ms() + within_ms;

	while (now_ms() < end) {
		if (*counter != from)
			return true;
		nap_ms(2);
	}
	return *counter != from;
}

Test(cgroup_live, create_attach_apply_read_back)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	char path[128];
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "c1", &CG, &err), 0, "%s", err_msg(&err));
	snprintf(path, sizeof(path), "%s/c1", parent);
	cr_expect_str_eq(cg_name(CG), path);
	pid = spawn_sleeper();
	cr_assert_eq(cg_attach(CG, pid, &err), 0, "%s", err_msg(&err));
	cr_expect(in_group(pid, "memory", path), "memory");
	cr_expect(in_group(pid, "freezer", path), "freezer");
	cr_expect(in_group(pid, "cpuset", path), "cpuset");
	if (H.layout == CG_LAYOUT_HYBRID) {
		char want[256];
		snprintf(want, sizeof(want), "0::/%s", path);
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
		char *txt = NULL;
		cr_assert_eq(file_read_all(proc, 1 << 16, &txt, NULL, &err), 0);
		cr_expect(strstr(txt, want) != NULL, "unified companion: %s", txt);
		free(txt);
	}

	cg_limits_init(&lim);
	lim.memory_max = 64 << 20;
	lim.memory_soft = 32 << 20;
	lim.pids_max = 32;
	lim.vcpus = 1;
	lim.cpu_period = 100000;
	lim.cpu_quota = 50000;
	lim.cpu_shares = 512;
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);
	lim.devices_set = true;
	lim.dev_rules = calloc(n_def, sizeof(*def));
	memcpy(lim.dev_rules, def, n_def * sizeof(*def));
	lim.n_dev_rules = n_def;
	cr_assert_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));

	expect_file(CG, CG_MEMORY, "memory.limit_in_bytes", "67108864");
	expect_file(CG, CG_MEMORY, "memory.soft_limit_in_bytes", "33554432");
	expect_file(CG, CG_PIDS, "pids.max", "32");
	expect_file(CG, CG_CPU, "cpu.cfs_quota_us", "50000");
	expect_file(CG, CG_CPU, "cpu.shares", "512");
	char *cpus = slurp(cg_dir(CG, CG_CPUSET), "cpuset.cpus");
	cr_expect(strchr(cpus, ',') == NULL && strchr(cpus, '-') == NULL, "one CPU: '%s'", cpus);
	free(cpus);
	char *devs = slurp(cg_dir(CG, CG_DEVICES), "devices.list");
	cr_expect(strstr(devs, "c 1:3 rwm") != NULL, "devices.list: %s", devs);
	cr_expect(strstr(devs, "a *:* rwm") == NULL, "devices.list: %s", devs);
	free(devs);

	cr_assert_eq(cg_stats_open(CG, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_eq(st.mem_limit, 64 << 20);
	cr_expect_eq(st.pids_max, 32);
	cr_expect_eq(st.pids_current, 1);
	cr_expect_neq(st.mem_used, CG_UNKNOWN);
	cr_expect_neq(st.mem_oom_kills, CG_UNKNOWN);
	cr_expect_neq(st.blk_read_bytes, CG_UNKNOWN);
	if (H.layout == CG_LAYOUT_HYBRID)
		cr_expect(st.psi_cpu.known, "PSI from the unified companion");
	cg_stats_close(r);
	cg_limits_free(&lim);
}

Test(cgroup_live, stats_show_cpu_after_busy_loop)
{
	struct error err = ERROR_INIT;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	long long end;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "busy", &CG, &err), 0, "%s", err_msg(&err));
	spawn_counter_in(CG);
	cr_assert_eq(cg_stats_open(CG, &r, &err), 0, "%s", err_msg(&err));
	end = now_ms() + 5000;
	do {
		cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
		if (st.cpu_usage_ns >= 200000000ull)
			break;
		nap_ms(20);
	} while (now_ms() < end);
	cr_expect_geq(st.cpu_usage_ns, 200000000ull, "usage %llu ns",
		      (unsigned long long)st.cpu_usage_ns);
	cr_expect_neq(st.cpu_user_ns, CG_UNKNOWN);
	cr_expect_gt(st.cpu_user_ns, 0);
	cr_expect_eq(st.pids_current, 1);
	cg_stats_close(r);
}

/* <vcpu>1 with a half-CPU quota: a busy child gets 0.5 ± 0.1 CPU, and the
 * throttling shows in the statistics. */
Test(cgroup_live, cpu_quota_holds)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;
	struct cg_stats_reader *r = NULL;
	struct cg_stats a, b;
	long long t0, t1;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "quota", &CG, &err), 0, "%s", err_msg(&err));
	cg_limits_init(&lim);
	lim.vcpus = 1;
	lim.cpu_period = 100000;
	lim.cpu_quota = 50000;
	cr_assert_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));
	spawn_counter_in(CG);
	cr_assert_eq(cg_stats_open(CG, &r, &err), 0, "%s", err_msg(&err));
	nap_ms(200); /* past the first period's burst */
	cr_assert_eq(cg_stats_read(r, &a, &err), 0, "%s", err_msg(&err));
	t0 = now_ms();
	nap_ms(1500);
	cr_assert_eq(cg_stats_read(r, &b, &err), 0, "%s", err_msg(&err));
	t1 = now_ms();
	double cpus = (double)(b.cpu_usage_ns - a.cpu_usage_ns) / 1e6 / (double)(t1 - t0);
	cr_expect(cpus > 0.4 && cpus < 0.6, "used %.3f CPUs", cpus);
	cr_expect_gt(b.cpu_nr_throttled, a.cpu_nr_throttled);
	cr_expect_gt(b.cpu_throttled_ns, 0);
	cg_stats_close(r);
}

Test(cgroup_live, freeze_stops_thaw_resumes)
{
	struct error err = ERROR_INIT;
	bool frozen = false;
	unsigned long at;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "frz", &CG, &err), 0, "%s", err_msg(&err));
	spawn_counter_in(CG);
	cr_assert(counter_moves(*counter, 2000), "the child counts");

	cr_assert_eq(cg_freeze(CG, 2000, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_is_frozen(CG, &frozen, &err), 0, "%s", err_msg(&err));
	cr_expect(frozen);
	at = *counter;
	cr_expect(!counter_moves(at, 300), "frozen, yet counted from %lu to %lu", at, *counter);

	cr_assert_eq(cg_thaw(CG, 2000, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_is_frozen(CG, &frozen, &err), 0);
	cr_expect(!frozen);
	cr_expect(counter_moves(at, 2000), "thawed, counting again");
}

/* A child that forks grandchildren as fast as it can: the kill must win the
 * race anyway. It enters the group itself before its first fork, and leads
 * its own process group so that fini reaches stray grandchildren too. */
static pid_t spawn_forker_in(struct cg *cg)
{
	struct cg_procs procs;
	struct error err = ERROR_INIT;
	pid_t pid;

	cr_assert_eq(cg_procs_open(cg, &procs, &err), 0, "%s", err_msg(&err));
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		if (cg_procs_enter(&procs) < 0)
			_exit(3);
		for (int i = 0; i < 20; i++)
			if (fork() == 0)
				for (;;)
					pause();
		for (;;) {
			pid_t g = fork();
			if (g == 0)
				_exit(0);
			if (g > 0)
				waitpid(g, NULL, 0);
		}
	}
	setpgid(pid, pid);
	track(pid);
	cg_procs_close(&procs);
	return pid;
}

Test(cgroup_live, kill_empties_the_group)
{
	struct error err = ERROR_INIT;
	size_t n = 0;
	long long end;
	int status;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "kill", &CG, &err), 0, "%s", err_msg(&err));
	pid = spawn_forker_in(CG);
	end = now_ms() + 3000;
	while (now_ms() < end) {
		cr_assert_eq(cg_count_procs(CG, &n, &err), 0, "%s", err_msg(&err));
		if (n >= 10)
			break;
		nap_ms(5);
	}
	cr_assert_geq(n, 10, "grandchildren in the group: %zu", n);
	cr_assert_eq(cg_kill(CG, 5000, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_count_procs(CG, &n, &err), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	n_kids = 0;
}

/* A pure v1 host has no cgroup.kill: the freeze, signal, thaw loop. The
 * hybrid host is seen without its unified mount to get one. */
Test(cgroup_live, kill_without_cgroup_kill)
{
	struct error err = ERROR_INIT;
	size_t n = 0;
	long long end;
	pid_t pid;

	need_host();
	free(H.v2_dir);
	H.v2_dir = NULL;
	H.layout = CG_LAYOUT_V1;
	cr_assert_eq(cg_create(&H, parent, "kill1", &CG, &err), 0, "%s", err_msg(&err));
	pid = spawn_forker_in(CG);
	end = now_ms() + 3000;
	while (now_ms() < end) {
		cr_assert_eq(cg_count_procs(CG, &n, &err), 0, "%s", err_msg(&err));
		if (n >= 10)
			break;
		nap_ms(5);
	}
	cr_assert_geq(n, 10, "grandchildren in the group: %zu", n);
	cr_assert_eq(cg_kill(CG, 5000, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_count_procs(CG, &n, &err), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	n_kids = 0;
}

/* Destroying a suspended container: the kill must not hang on frozen tasks. */
Test(cgroup_live, kill_while_frozen)
{
	struct error err = ERROR_INIT;
	size_t n = 1;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "kfrz", &CG, &err), 0, "%s", err_msg(&err));
	pid = spawn_counter_in(CG);
	cr_assert_eq(cg_freeze(CG, 2000, &err), 0, "%s", err_msg(&err));
	long long t0 = now_ms();
	cr_assert_eq(cg_kill(CG, 5000, &err), 0, "%s", err_msg(&err));
	cr_expect_lt(now_ms() - t0, 1500, "kill took %lld ms", now_ms() - t0);
	cr_assert_eq(cg_count_procs(CG, &n, &err), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	n_kids = 0;
}

/* A child over its memory limit is OOM-killed inside the group, and the
 * statistics count it. */
Test(cgroup_live, oom_kill_counted)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	struct cg_procs procs;
	int status;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "oom", &CG, &err), 0, "%s", err_msg(&err));
	cg_limits_init(&lim);
	lim.memory_max = 32 << 20;
	lim.memory_swap = 32 << 20; /* no swapping out of it either */
	lim.optional = CG_LIM_SWAP;
	cr_assert_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_procs_open(CG, &procs, &err), 0, "%s", err_msg(&err));
	pid = fork();
	if (pid == 0) {
		if (cg_procs_enter(&procs) < 0)
			_exit(3);
		size_t len = 128 << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		for (size_t i = 0; i < len; i += 4096)
			p[i] = 1;
		_exit(0);
	}
	track(pid);
	cg_procs_close(&procs);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	n_kids = 0;
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
	cr_assert_eq(cg_stats_open(CG, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_geq(st.mem_oom_kills, 1);
	cr_expect_neq(st.mem_oom_kills, CG_UNKNOWN);
	cr_expect_leq(st.mem_max_used, 32 << 20);
	cr_expect_geq(st.mem_max_used, 16 << 20);
	cg_stats_close(r);
}

/* pids.max stops a fork loop at the limit. */
Test(cgroup_live, pids_max_stops_forks)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;
	struct cg_procs procs;
	int status;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "pids", &CG, &err), 0, "%s", err_msg(&err));
	cg_limits_init(&lim);
	lim.pids_max = 8;
	cr_assert_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_procs_open(CG, &procs, &err), 0, "%s", err_msg(&err));
	pid = fork();
	if (pid == 0) {
		int made = 0;
		setpgid(0, 0);
		if (cg_procs_enter(&procs) < 0)
			_exit(100);
		for (int i = 0; i < 32; i++) {
			pid_t g = fork();
			if (g == 0)
				for (;;)
					pause();
			if (g < 0) {
				if (errno != EAGAIN)
					_exit(101);
				break;
			}
			made++;
		}
		_exit(made);
	}
	setpgid(pid, pid);
	track(pid);
	cg_procs_close(&procs);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_expect_eq(WEXITSTATUS(status), 7, "forks before EAGAIN: %d", WEXITSTATUS(status));
}

Test(cgroup_live, remove_leaves_nothing)
{
	struct error err = ERROR_INIT;
	char pattern[256];
	glob_t g;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "rm", &CG, &err), 0, "%s", err_msg(&err));
	pid = spawn_sleeper();
	cr_assert_eq(cg_attach(CG, pid, &err), 0, "%s", err_msg(&err));
	/* A group the container made below its own. */
	char sub[4096];
	snprintf(sub, sizeof(sub), "%s/inner", cg_dir(CG, CG_MEMORY));
	cr_assert_eq(mkdir(sub, 0755), 0);

	cr_assert_eq(cg_kill(CG, 5000, &err), 0, "%s", err_msg(&err));
	/* The test is the parent: while the zombie is unreaped the kernel may
	 * still call the group busy, which remove must ride out. */
	cr_assert_eq(cg_remove(CG, 5000, &err), 0, "%s", err_msg(&err));
	waitpid(pid, NULL, 0);
	n_kids = 0;
	cg_free(CG);
	CG = NULL;
	cr_assert_eq(cg_remove_parent(&H, parent, &err), 0, "%s", err_msg(&err));

	snprintf(pattern, sizeof(pattern), ROOT "/*/%s", parent);
	cr_expect_eq(glob(pattern, 0, NULL, &g), GLOB_NOMATCH, "left: %s",
		     g.gl_pathc > 0 ? g.gl_pathv[0] : "");
	if (g.gl_pathc > 0)
		globfree(&g);
}

Test(cgroup_live, open_existing_and_exists)
{
	struct error err = ERROR_INIT;
	struct cg *again = NULL;
	pid_t pid;

	need_host();
	cr_assert_eq(cg_create(&H, parent, "adopt", &CG, &err), 0, "%s", err_msg(&err));
	cr_expect_lt(cg_create(&H, parent, "adopt", &again, &err), 0);
	cr_expect_eq(err.errnum, EEXIST, "%s", err_msg(&err));
	err_clear(&err);

	/* An engine restart: the object is gone, the group is not. */
	cg_free(CG);
	CG = NULL;
	cr_assert_eq(cg_open_existing(&H, parent, "adopt", &CG, &err), 0, "%s", err_msg(&err));
	pid = spawn_sleeper();
	cr_assert_eq(cg_attach(CG, pid, &err), 0, "%s", err_msg(&err));
	size_t n = 0;
	cr_assert_eq(cg_count_procs(CG, &n, &err), 0);
	cr_expect_eq(n, 1);
}

/* <blkiotune> per-device throttles, with the /dev path resolved to
 * major:minor; a weight this host's schedulers do not offer is named. */
Test(cgroup_live, blkio_device_throttle)
{
	struct error err = ERROR_INIT;
	struct domain *dom = dom_new();
	struct dom_blkio_device bd = { .path = (char *)"/dev/loop0", .weight = DOM_UNSET,
				       .read_iops = DOM_UNSET, .write_iops = 200,
				       .read_bytes = 1048576, .write_bytes = DOM_UNSET };
	struct cg_limits_extra ex = CG_LIMITS_EXTRA_INIT;
	struct cg_limits lim;
	struct stat st;

	need_host();
	if (stat("/dev/loop0", &st) < 0 || !S_ISBLK(st.st_mode))
		cr_skip_test("no /dev/loop0");
	cr_assert_eq(cg_create(&H, parent, "blk", &CG, &err), 0, "%s", err_msg(&err));
	dom->blkio_devices = &bd;
	dom->n_blkio_devices = 1;
	ex.no_devices = true;
	cr_assert_eq(cg_limits_from_domain(dom, &ex, &lim, &err), 0, "%s", err_msg(&err));
	dom->blkio_devices = NULL;
	dom->n_blkio_devices = 0;
	dom_free(dom);
	cr_assert_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));
	char want[64];
	snprintf(want, sizeof(want), "%u:%u 1048576", major(st.st_rdev), minor(st.st_rdev));
	expect_file(CG, CG_BLKIO, "blkio.throttle.read_bps_device", want);
	snprintf(want, sizeof(want), "%u:%u 200", major(st.st_rdev), minor(st.st_rdev));
	expect_file(CG, CG_BLKIO, "blkio.throttle.write_iops_device", want);

	lim.blkio_weight = 500;
	char w1[4096], w2[4096];
	snprintf(w1, sizeof(w1), "%s/blkio.weight", cg_dir(CG, CG_BLKIO));
	snprintf(w2, sizeof(w2), "%s/blkio.bfq.weight", cg_dir(CG, CG_BLKIO));
	if (access(w1, F_OK) < 0 && access(w2, F_OK) < 0) {
		cr_expect_lt(cg_apply(CG, &lim, &err), 0);
		cr_expect(strstr(err_msg(&err), "blkio.weight") != NULL, "%s", err_msg(&err));
		err_clear(&err);
	}
	cg_limits_free(&lim);
}

Test(cgroup_live, missing_controller_is_an_error)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;

	need_host();
	if (cg_host_has(&H, CG_NET_CLS))
		cr_skip_test("the host has net_cls");
	cr_assert_eq(cg_create(&H, parent, "nc", &CG, &err), 0, "%s", err_msg(&err));
	cg_limits_init(&lim);
	lim.net_cls_classid = 0x10001;
	cr_expect_lt(cg_apply(CG, &lim, &err), 0);
	cr_expect(strstr(err_msg(&err), "no net_cls controller") != NULL, "%s", err_msg(&err));
	err_clear(&err);
	lim.optional = CG_LIM_NET_CLS;
	cr_expect_eq(cg_apply(CG, &lim, &err), 0, "%s", err_msg(&err));
}

/* --- the v2 backend on the unified mount of a hybrid host --- */

static struct cg_host H2;
static bool have_v2;
static struct cg *CG2;

static void setup_v2(void)
{
	struct error err = ERROR_INIT;

	setup();
	if (have_host && H.layout == CG_LAYOUT_HYBRID && cg_detect(H.v2_dir, &H2, &err) == 0)
		have_v2 = true;
	err_clear(&err);
}

static void teardown_v2(void)
{
	if (have_v2) {
		cleanup_host(&H2, &CG2);
		cg_host_free(&H2);
	}
	teardown();
}

TestSuite(cgroup_live_v2, .init = setup_v2, .fini = teardown_v2, .timeout = 60);

static void need_v2(void)
{
	if (!have_v2)
		cr_skip_test("needs root and a hybrid host's unified mount");
}

/* The child enters the group, waits for the program, then reports what
 * opening devices did: exit 0 when /dev/null opened and the block nodes
 * (the host's and one it made itself) failed with EPERM. */
static pid_t spawn_device_prober(struct cg *cg, int *go_fd)
{
	struct cg_procs procs;
	struct error err = ERROR_INIT;
	int go[2], ready[2];
	char c;
	pid_t pid;

	cr_assert_eq(cg_procs_open(cg, &procs, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(pipe2(go, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(ready, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		char node[64];
		int fd;

		if (cg_procs_enter(&procs) < 0 || write(ready[1], "r", 1) != 1)
			_exit(10);
		if (read(go[0], &c, 1) != 1)
			_exit(11);
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(12);
		close(fd);
		snprintf(node, sizeof(node), "/tmp/corral-test-blk-%d", (int)getpid());
		if (mknod(node, S_IFBLK | 0600, makedev(7, 0)) < 0)
			_exit(13);
		fd = open(node, O_RDONLY | O_CLOEXEC);
		int e = errno;
		unlink(node);
		if (fd >= 0 || e != EPERM)
			_exit(14);
		fd = open("/dev/loop0", O_RDONLY | O_CLOEXEC);
		if (fd >= 0 || (errno != EPERM && errno != ENOENT))
			_exit(15);
		_exit(0);
	}
	track(pid);
	cg_procs_close(&procs);
	close(go[0]);
	close(ready[1]);
	cr_assert_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*go_fd = go[1];
	return pid;
}

Test(cgroup_live_v2, device_program_denies_outside_the_list)
{
	struct error err = ERROR_INIT;
	struct cg_limits lim;
	const struct cg_dev_rule *def;
	size_t n_def = cg_dev_default_rules(&def);
	int go, status;
	pid_t pid;

	need_v2();
	cr_assert_eq(H2.layout, CG_LAYOUT_V2);
	cr_assert_eq(cg_create(&H2, parent, "dev", &CG2, &err), 0, "%s", err_msg(&err));
	pid = spawn_device_prober(CG2, &go);

	cg_limits_init(&lim);
	lim.devices_set = true;
	lim.dev_rules = calloc(n_def, sizeof(*def));
	memcpy(lim.dev_rules, def, n_def * sizeof(*def));
	lim.n_dev_rules = n_def;
	cr_assert_eq(cg_apply(CG2, &lim, &err), 0, "%s", err_msg(&err));
	/* Applying again replaces the program rather than stacking one more. */
	cr_assert_eq(cg_apply(CG2, &lim, &err), 0, "%s", err_msg(&err));
	cg_limits_free(&lim);

	cr_assert_eq(write(go, "g", 1), 1);
	close(go);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	n_kids = 0;
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "prober status %d",
		  WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

Test(cgroup_live_v2, freeze_kill_stats)
{
	struct error err = ERROR_INIT;
	struct cg_stats_reader *r = NULL;
	struct cg_stats st;
	unsigned long at;
	size_t n = 1;

	need_v2();
	cr_assert_eq(cg_create(&H2, parent, "fk", &CG2, &err), 0, "%s", err_msg(&err));
	spawn_counter_in(CG2);
	cr_assert(counter_moves(*counter, 2000));

	cr_assert_eq(cg_freeze(CG2, 2000, &err), 0, "%s", err_msg(&err));
	at = *counter;
	cr_expect(!counter_moves(at, 300), "frozen by cgroup.freeze");
	cr_assert_eq(cg_thaw(CG2, 2000, &err), 0, "%s", err_msg(&err));
	cr_expect(counter_moves(at, 2000));

	cr_assert_eq(cg_stats_open(CG2, &r, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_stats_read(r, &st, &err), 0, "%s", err_msg(&err));
	cr_expect_neq(st.cpu_usage_ns, CG_UNKNOWN);
	cr_expect_gt(st.cpu_usage_ns, 0);
	cr_expect(st.psi_cpu.known);
	cr_expect_eq(st.mem_used, CG_UNKNOWN, "no memory controller in this unified mount");
	cg_stats_close(r);

	cr_assert_eq(cg_kill(CG2, 5000, &err), 0, "%s", err_msg(&err));
	cr_assert_eq(cg_count_procs(CG2, &n, &err), 0);
	cr_expect_eq(n, 0);
}
