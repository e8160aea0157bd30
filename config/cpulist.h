/* libvirt's CPU and NUMA node lists ("0-3,^2,8"), as in <vcpu cpuset> and
 * <numatune><memory nodeset>. */
#ifndef CORRAL_CONFIG_CPULIST_H
#define CORRAL_CONFIG_CPULIST_H

/* Largest CPU number accepted: libvirt's VIR_DOMAIN_CPUMASK_LEN. */
#define CPULIST_MAX 8191

/* NULL when s is a valid list that selects at least one CPU, else what is
 * wrong with it. */
const char *cpulist_problem(const char *s);

#endif
