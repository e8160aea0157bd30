/* What root in a container must not reach through /proc and /sys: masked
 * paths (kernel memory, keys, timers, firmware) and read-only ones (sysctl,
 * sysrq, irq affinity). */
#ifndef CORRAL_ENGINE_MASKS_H
#define CORRAL_ENGINE_MASKS_H

struct error;

/* In the container, its root entered, before anything of it runs: checks
 * that /proc is procfs and /sys sysfs (so that nothing is written through
 * a stand-in), binds /dev/null over each masked file and an empty
 * read-only tmpfs over each masked directory, and remounts the read-only
 * paths read-only. Paths the kernel does not have are skipped. */
int masks_apply(struct error *err);

#endif
