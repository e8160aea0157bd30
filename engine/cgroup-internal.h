/* What the cgroup front end (cgroup.c) shares with its v1 and v2 backends:
 * the group object, the backend table, and file helpers. */
#ifndef CORRAL_ENGINE_CGROUP_INTERNAL_H
#define CORRAL_ENGINE_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/cgroup-limits.h"
#include "engine/cgroup-stats.h"
#include "engine/cgroup.h"

/* One distinct directory per hierarchy the group lives in. */
#define CG_DIRS_MAX (CG_N_CTRL + 2)

struct cg {
	const struct cg_host *host;
	const struct cg_ops *ops;
	char *name;             /* "corral/web" */
	char *dir[CG_N_CTRL];   /* v1: the group in each controller's hierarchy */
	char *v2;               /* the v2 group: the group itself on a v2 host, the
				 * companion in ROOT/unified on a hybrid one */
	char *named;            /* v1: the group in the name=systemd hierarchy */
	const char *dirs[CG_DIRS_MAX]; /* each distinct directory above, once */
	size_t n_dirs;
	unsigned v2_ctrls;      /* v2: controllers enabled for the group */
};

/* A stat file a backend offers: dir/file, parsed as kind. With fallback set
 * it is opened only when the entry before it could not be. */
struct cg_stat_src {
	const char *dir;
	const char *file;
	enum cg_stat_kind kind;
	bool fallback;
};
#define CG_STAT_SRC_MAX 32

struct cg_ops {
	const char *name;
	/* Fills cg->dir / cg->v2 for cg->name, then makes the directories
	 * (create) or checks that they exist (open). */
	int (*create)(struct cg *cg, struct error *err);
	int (*open)(struct cg *cg, struct error *err);
	int (*apply)(struct cg *cg, const struct cg_limits *lim, struct error *err);
	int (*freeze)(struct cg *cg, bool frozen, int timeout_ms, struct error *err);
	int (*is_frozen)(struct cg *cg, bool *frozen, struct error *err);
	size_t (*stat_files)(const struct cg *cg, struct cg_stat_src *src, size_t max);
};

extern const struct cg_ops cg_v1_ops;
extern const struct cg_ops cg_v2_ops;

/* Writes value to dir/file; the error reads "cgroup 'NAME': write FILE: …".
 * On a plain file (a fixture tree) the value replaces the contents. */
int cg_write_file(const struct cg *cg, const char *dir, const char *file, const char *value,
		  struct error *err);
/* Reads dir/file (small) into *out, trailing newline removed. */
int cg_read_file(const struct cg *cg, const char *dir, const char *file, char **out,
		 struct error *err);
bool cg_file_exists(const char *dir, const char *file);
/* mkdir, with EEXIST an error only when must_be_new. *made tells whether
 * this call made it. */
int cg_mkdir(const struct cg *cg, const char *path, bool must_be_new, bool *made,
	     struct error *err);
/* Registers dir in cg->dirs unless already there. */
void cg_add_dir(struct cg *cg, const char *dir);
/* Executes a plan's writes, the directory chosen by dir_of; a write whose
 * controller or file is missing is skipped when its class is optional. */
int cg_run_plan(struct cg *cg, const struct cg_plan *plan, unsigned optional,
		const char *(*dir_of)(const struct cg *cg, enum cg_ctrl c), struct error *err);
/* Sleeps step_ms unless the deadline (CLOCK_MONOTONIC ms) has passed; false then. */
bool cg_wait_step(long long deadline_ms, int step_ms);
long long cg_now_ms(void);

#endif
