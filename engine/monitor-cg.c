/* The container's cgroup, as the monitor keeps it: made and limited before
 * init runs, init put in before it execs, emptied and removed at the end. */
#include <errno.h>
#include <string.h>

#include "engine/cgroup-limits.h"
#include "engine/cgroup.h"
#include "engine/monitor.h"
#include "lib/error.h"
#include "lib/log.h"

#define CG_TIMEOUT_MS 5000

static unsigned optional_classes(const struct domain *dom)
{
	static const struct {
		unsigned dom, cg;
	} map[] = {
		{ DOM_OPT_MEMORY, CG_LIM_MEMORY }, { DOM_OPT_SWAP, CG_LIM_SWAP },
		{ DOM_OPT_CPU, CG_LIM_CPU },	   { DOM_OPT_CPUSET, CG_LIM_CPUSET },
		{ DOM_OPT_BLKIO, CG_LIM_BLKIO },   { DOM_OPT_PIDS, CG_LIM_PIDS },
		{ DOM_OPT_DEVICES, CG_LIM_DEVICES }, { DOM_OPT_NET_CLS, CG_LIM_NET_CLS },
	};
	unsigned out = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (dom->corral.optional & map[i].dom)
			out |= map[i].cg;
	return out;
}

/* A group of our name left by a monitor that died: nothing of it may
 * survive into the new container. */
static int clear_stale(struct monitor *m, struct error *err)
{
	struct cg *old = NULL;

	if (cg_open_existing(&m->cghost, m->paths.cgroup_name, m->name, &old, err) < 0)
		return -1;
	log_warn("'%s': removing a stale cgroup left by an earlier monitor", m->name);
	if (cg_kill(old, CG_TIMEOUT_MS, err) < 0 || cg_remove(old, CG_TIMEOUT_MS, err) < 0) {
		cg_free(old);
		return -1;
	}
	cg_free(old);
	return 0;
}

int mon_cg_setup(struct monitor *m, struct error *err)
{
	struct cg_limits_extra extra = CG_LIMITS_EXTRA_INIT;
	struct cg_limits lim;
	int rc;

	if (m->cg != NULL)
		return 0;
	if (!m->cghost_ok) {
		if (cg_detect("/sys/fs/cgroup", &m->cghost, err) < 0)
			return err_prefix(err, "cgroups");
		m->cghost_ok = true;
	}
	rc = cg_create(&m->cghost, m->paths.cgroup_name, m->name, &m->cg, err);
	if (rc < 0 && err->errnum == EEXIST) {
		err_clear(err);
		if (clear_stale(m, err) < 0)
			return -1;
		rc = cg_create(&m->cghost, m->paths.cgroup_name, m->name, &m->cg, err);
	}
	if (rc < 0)
		return -1;
	extra.pids_max = m->dom->corral.pids_max == DOM_UNSET ? CG_UNSET : m->dom->corral.pids_max;
	extra.optional = optional_classes(m->dom);
	cg_limits_init(&lim);
	rc = cg_limits_from_domain(m->dom, &extra, &lim, err);
	if (rc == 0)
		rc = cg_apply(m->cg, &lim, err);
	cg_limits_free(&lim);
	if (rc < 0) {
		mon_cg_teardown(m);
		return -1;
	}
	log_debug("'%s': cgroup '%s' ready", m->name, cg_name(m->cg));
	return 0;
}

int mon_cg_attach(struct monitor *m, pid_t pid, struct error *err)
{
	return m->cg != NULL ? cg_attach(m->cg, pid, err) : 0;
}

void mon_cg_kill(struct monitor *m)
{
	struct error err = ERROR_INIT;

	if (m->cg != NULL && cg_kill(m->cg, CG_TIMEOUT_MS, &err) < 0) {
		log_warn("'%s': %s", m->name, err_msg(&err));
		err_clear(&err);
	}
}

void mon_cg_teardown(struct monitor *m)
{
	struct error err = ERROR_INIT;

	if (m->cg != NULL) {
		if (cg_kill(m->cg, CG_TIMEOUT_MS, &err) < 0 ||
		    cg_remove(m->cg, CG_TIMEOUT_MS, &err) < 0) {
			log_warn("'%s': %s", m->name, err_msg(&err));
			err_clear(&err);
		}
		cg_free(m->cg);
		m->cg = NULL;
	}
	/* The engine's parent group goes with its last container, so that a
	 * test root leaves nothing behind; others still inside keep it busy. */
	if (m->cghost_ok && cg_remove_parent(&m->cghost, m->paths.cgroup_name, &err) < 0)
		err_clear(&err);
}
