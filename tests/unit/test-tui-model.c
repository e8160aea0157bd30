/* The TUI's model: domain lists, samples, history windows, alarms. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/model.h"

static json_t *load(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	cr_assert_not_null(j, "%s: %s", text, jerr.text);
	return j;
}

static void domains(struct model *m, const char *text, double now)
{
	json_t *j = load(text);

	model_apply_domains(m, j, now);
	json_decref(j);
}

static void sample(struct model *m, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_t *j = load(text);
	model_apply_sample(m, NULL, j);
	json_decref(j);
}

#define WEB_RUNNING                                                                            \
	"[{\"name\":\"web\",\"id\":3,\"state\":\"running\",\"reason\":\"booted\","             \
	"\"persistent\":true,\"autostart\":false,\"uuid\":\"u1\"}]"

/* A sample of web at time t with the counters that alarms watch. */
static void web_sample(struct model *m, double t, int oom, int throttled, int pids, int pmax)
{
	sample(m,
	       "{\"name\":\"web\",\"time\":%g,\"cpu\":{\"percent\":%g,\"throttled_periods\":%d},"
	       "\"memory\":{\"used\":1048576,\"limit\":4194304,\"oom_kills\":%d},"
	       "\"pids\":{\"current\":%d,\"max\":%d},\"blkio\":{\"read_bps\":10,\"write_bps\":null},"
	       "\"net\":null}",
	       t, t, throttled, oom, pids, pmax);
}

Test(tui_model, list_adds_updates_and_drops)
{
	struct model m;

	model_init(&m);
	domains(&m,
		"[{\"name\":\"a\",\"id\":null,\"state\":\"shut off\",\"reason\":\"unknown\","
		"\"persistent\":true,\"autostart\":true,\"uuid\":\"x\"},"
		"{\"name\":\"b\",\"id\":7,\"state\":\"running\",\"reason\":\"booted\","
		"\"persistent\":false,\"autostart\":false,\"uuid\":\"y\"}]",
		100);
	cr_assert_eq(m.n, 2);
	cr_expect_eq(model_find(&m, "a")->id, -1);
	cr_expect(model_find(&m, "a")->autostart);
	cr_expect_eq(model_find(&m, "b")->id, 7);
	cr_expect_eq(model_running(&m), 1);
	domains(&m, "[{\"name\":\"b\",\"id\":null,\"state\":\"shut off\",\"reason\":\"x\"}]", 101);
	cr_assert_eq(m.n, 1);
	cr_expect_null(model_find(&m, "a"));
	cr_expect_str_eq(model_find(&m, "b")->state, "shut off");
	model_free(&m);
}

Test(tui_model, samples_fill_figures_and_skip_replays)
{
	struct model m;

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	web_sample(&m, 10, 0, 0, 3, 100);
	web_sample(&m, 11, 0, 0, 4, 100);
	/* A history replayed after a reconnect: already seen, not appended. */
	web_sample(&m, 10, 0, 0, 3, 100);
	struct ct *c = model_find(&m, "web");
	cr_expect_eq(c->hist_n, 2);
	cr_expect_float_eq(c->cpu_pct, 11, 1e-9);
	cr_expect_float_eq(c->mem_used, 1048576, 1e-9);
	cr_expect_float_eq(c->pids, 4, 1e-9);
	cr_expect_float_eq(c->rd_bps, 10, 1e-9);
	cr_expect(isnan(c->wr_bps), "null is unknown");
	cr_expect(isnan(c->rx_bps), "no network is unknown");
	model_free(&m);
}

Test(tui_model, unlimited_memory_is_unknown)
{
	struct model m;

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	sample(&m, "{\"name\":\"web\",\"time\":1,\"memory\":{\"used\":5,"
		   "\"limit\":9223372036854771712}}");
	cr_expect(isnan(model_find(&m, "web")->mem_limit));
	model_free(&m);
}

Test(tui_model, history_is_a_ring_of_ten_minutes)
{
	struct model m;

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	for (int t = 1; t <= MODEL_HISTORY + 50; t++)
		web_sample(&m, t, 0, 0, 1, 10);
	struct ct *c = model_find(&m, "web");
	cr_expect_eq(c->hist_n, MODEL_HISTORY);
	cr_expect_float_eq(c->hist_t[c->hist_head], 51, 1e-9, "the oldest kept");
	model_free(&m);
}

Test(tui_model, window_averages_buckets)
{
	struct model m;
	double v[4];

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	/* cpu percent equals the time in these samples. */
	for (int t = 1; t <= 8; t++)
		web_sample(&m, 100 + t, 0, 0, 1, 10);
	model_window(model_find(&m, "web"), SER_CPU, 108, 8, v, 4);
	cr_expect_float_eq(v[0], 101.5, 1e-9);
	cr_expect_float_eq(v[3], 107.5, 1e-9);
	model_window(model_find(&m, "web"), SER_CPU, 120, 8, v, 4);
	cr_expect(isnan(v[0]) && isnan(v[3]), "no samples in that window");
	cr_expect_float_eq(model_window_max(model_find(&m, "web"), SER_CPU, 108, 60), 108, 1e-9);
	model_free(&m);
}

Test(tui_model, counters_that_grow_raise_alarms)
{
	struct model m;

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	/* The first sample is a baseline even with counters already up. */
	web_sample(&m, 1000, 4, 9, 1, 10);
	struct ct *c = model_find(&m, "web");
	cr_expect_eq(c->n_alarms, 0);
	web_sample(&m, 1001, 4, 9, 1, 10);
	cr_expect_eq(c->n_alarms, 0);
	web_sample(&m, 1002, 6, 9, 1, 10);
	cr_assert_eq(c->n_alarms, 1);
	cr_expect_eq(c->alarms[0].kind, ALARM_OOM);
	cr_expect_eq(c->alarms[0].count, 2);
	cr_expect_float_eq(c->alarms[0].when, 1002, 1e-9);
	web_sample(&m, 1003, 6, 12, 1, 10);
	cr_expect_eq(c->alarms[1].kind, ALARM_THROTTLE);
	cr_expect_eq(c->alarms[1].count, 3);
	/* The pids limit counts once per time it is reached. */
	web_sample(&m, 1004, 6, 12, 10, 10);
	web_sample(&m, 1005, 6, 12, 10, 10);
	web_sample(&m, 1006, 6, 12, 3, 10);
	web_sample(&m, 1007, 6, 12, 10, 10);
	cr_expect_eq(c->n_alarms, 4);
	cr_expect_eq(c->alarms[2].kind, ALARM_PIDS);
	cr_expect_eq(c->alarms[3].kind, ALARM_PIDS);
	cr_expect_eq(model_alarms_recent(c, 1010),
		     (1u << ALARM_OOM) | (1u << ALARM_THROTTLE) | (1u << ALARM_PIDS));
	cr_expect_eq(model_alarms_recent(c, 1002 + MODEL_ALARM_WINDOW + 1),
		     (1u << ALARM_THROTTLE) | (1u << ALARM_PIDS));
	cr_expect_eq(model_alarms_recent(c, 2000), 0);
	model_free(&m);
}

Test(tui_model, crash_is_news_only_after_the_first_list)
{
	struct model m;

	model_init(&m);
	/* Crashed before we looked: not an alarm of the last minute. */
	domains(&m, "[{\"name\":\"a\",\"id\":null,\"state\":\"shut off\",\"reason\":\"crashed\"}]",
		50);
	cr_expect_eq(model_find(&m, "a")->n_alarms, 0);
	domains(&m, WEB_RUNNING, 60);
	domains(&m, "[{\"name\":\"web\",\"id\":null,\"state\":\"crashed\",\"reason\":\"crashed\"}]",
		70);
	struct ct *c = model_find(&m, "web");
	cr_assert_eq(c->n_alarms, 1);
	cr_expect_eq(c->alarms[0].kind, ALARM_CRASH);
	cr_expect_eq(model_alarms_recent(c, 80), 1u << ALARM_CRASH);
	/* Still crashed on the next list: the same crash. */
	domains(&m, "[{\"name\":\"web\",\"id\":null,\"state\":\"crashed\",\"reason\":\"crashed\"}]",
		75);
	cr_expect_eq(c->n_alarms, 1);
	model_free(&m);
}

Test(tui_model, alarms_keep_the_newest)
{
	struct model m;

	model_init(&m);
	domains(&m, WEB_RUNNING, 0);
	web_sample(&m, 1, 0, 0, 1, 10);
	for (int i = 1; i <= MODEL_ALARMS + 3; i++)
		web_sample(&m, 1 + i, i, 0, 1, 10);
	struct ct *c = model_find(&m, "web");
	cr_expect_eq(c->n_alarms, MODEL_ALARMS);
	cr_expect_float_eq(c->alarms[MODEL_ALARMS - 1].when, MODEL_ALARMS + 4, 1e-9);
	model_free(&m);
}

Test(tui_model, events_dispatch)
{
	struct model m;

	model_init(&m);
	json_t *ev = load("{\"event\":\"domains\",\"domains\":" WEB_RUNNING "}");
	cr_expect(model_apply_event(&m, ev, 1));
	json_decref(ev);
	ev = load("{\"event\":\"history\",\"name\":\"web\",\"samples\":[{\"time\":1,"
		  "\"cpu\":{\"percent\":5}},{\"time\":2,\"cpu\":{\"percent\":6}}]}");
	model_apply_event(&m, ev, 2);
	json_decref(ev);
	ev = load("{\"event\":\"stats\",\"time\":3,\"samples\":[{\"name\":\"web\",\"time\":3,"
		  "\"cpu\":{\"percent\":7}},{\"name\":\"ghost\",\"time\":3}]}");
	model_apply_event(&m, ev, 3);
	json_decref(ev);
	struct ct *c = model_find(&m, "web");
	cr_expect_eq(c->hist_n, 3);
	cr_expect_float_eq(c->cpu_pct, 7, 1e-9);
	model_free(&m);
}

Test(tui_model, host_figures_from_proc)
{
	char dir[] = "/tmp/corral-tui-proc-XXXXXX";
	char path[256];
	struct host h = { .cpu_pct = NAN };
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/meminfo", dir);
	f = fopen(path, "w");
	fputs("MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    6000000 kB\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/stat", dir);
	f = fopen(path, "w");
	fputs("cpu  100 0 100 800 0 0 0 0 0 0\n", f);
	fclose(f);
	model_host_update(&h, dir);
	cr_expect(isnan(h.cpu_pct), "one reading is not a rate");
	f = fopen(path, "w");
	/* 300 more busy, 100 more idle: 75 %. */
	fputs("cpu  250 0 250 900 0 0 0 0 0 0\n", f);
	fclose(f);
	model_host_update(&h, dir);
	cr_expect_float_eq(h.cpu_pct, 75, 1e-9);
	cr_expect_eq(h.mem_total, 8000000ULL * 1024);
	cr_expect_eq(h.mem_avail, 6000000ULL * 1024);

	snprintf(path, sizeof(path), "%s/unified", dir);
	model_host_identify(&h, dir);
	cr_expect_str_eq(h.cgroup, "v1");
	mkdir(path, 0755);
	model_host_identify(&h, dir);
	cr_expect_str_eq(h.cgroup, "hybrid");
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	fclose(fopen(path, "w"));
	model_host_identify(&h, dir);
	cr_expect_str_eq(h.cgroup, "v2");
	cr_expect_neq(h.kernel[0], '\0');

	static const char *const files[] = { "meminfo", "stat", "cgroup.controllers" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		cr_expect_eq(unlink(path), 0);
	}
	snprintf(path, sizeof(path), "%s/unified", dir);
	cr_expect_eq(rmdir(path), 0);
	cr_expect_eq(rmdir(dir), 0);
}
