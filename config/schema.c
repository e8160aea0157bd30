/* Element and attribute names that libvirt's domain schema (domaincommon.rng)
 * accepts but corral does not act on. */
#include "config/schema.h"

#include <stdlib.h>
#include <string.h>

struct schema_entry {
	const char *key;
	const char *const *names;
};

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct schema_entry ignored_elements[] = {
	{ "domain", LIST("genid", "maxMemory", "memoryBacking", "vcpus", "iothreads", "iothreadids",
			 "defaultiothread", "sysinfo", "bootloader", "bootloader_args", "cpu", "on_lockfailure",
			 "pm", "perf", "keywrap", "launchSecurity", "throttlegroups") },
	{ "memtune", LIST("min_guarantee") },
	{ "cputune", LIST("global_period", "global_quota", "emulator_period", "emulator_quota",
			  "iothread_period", "iothread_quota", "vcpupin", "emulatorpin", "iothreadpin",
			  "vcpusched", "iothreadsched", "emulatorsched", "cachetune", "memorytune") },
	{ "numatune", LIST("memnode") },
	{ "resource", LIST("fibrechannel") },
	{ "os", LIST("loader", "nvram", "kernel", "initrd", "cmdline", "dtb", "root", "boot", "bootmenu",
		     "smbios", "bios", "acpi", "shim", "firmware") },
	{ "features", LIST("acpi", "apic", "pae", "hap", "viridian", "hyperv", "kvm", "xen",
			   "pvspinlock", "gic", "ioapic", "hpt", "vmcoreinfo", "smm", "htm", "vmport",
			   "nested-hv", "msrs", "ccf-assist", "cfpc", "sbbc", "ibs", "tcg",
			   "async-teardown", "ras", "ps2", "pmu") },
	{ "clock", LIST("timer") },
	{ "devices", LIST("disk", "controller", "lease", "input", "sound", "graphics", "video",
			  "serial", "parallel", "channel", "smartcard", "redirdev", "redirfilter", "hub",
			  "watchdog", "memballoon", "rng", "tpm", "shmem", "memory", "iommu", "vsock",
			  "nvram", "panic", "audio", "crypto", "pstore") },
	{ "filesystem", LIST("binary", "space_hard_limit", "space_soft_limit", "alias", "address", "boot",
			     "idmap") },
	{ "interface", LIST("model", "driver", "filterref", "bandwidth", "virtualport", "vlan", "mtu",
			    "coalesce", "alias", "address", "boot", "rom", "script", "downscript",
			    "backenddomain", "tune", "teaming", "port", "portForward", "backend", "acpi") },
	{ "console", LIST("source", "alias", "address", "log", "protocol") },
	{ "hostdev", LIST("alias", "address", "boot", "rom", "readonly", "shareable", "driver") },
	{ "hostdev-source", LIST("address", "adapter", "vendor", "product") },
};

static const struct schema_entry ignored_attributes[] = {
	{ "domain", LIST("id") },
	{ "vcpu", LIST("current") },
	{ "numatune-memory", LIST("placement") },
	{ "filesystem", LIST("model", "multidevs", "fmode", "dmode") },
	{ "filesystem-driver", LIST("wrpolicy", "name", "queue") },
	{ "interface", LIST("trustGuestRxFilters") },
	{ "interface-source", LIST("portgroup", "portid") },
	{ "ip", LIST("netmask") },
	{ "route", LIST("netmask", "metric") },
	{ "console", LIST("tty") },
	{ "hostdev", LIST("managed") },
	{ "memory", LIST("dumpCore") },
};

static const char *const empty[] = { NULL };

static const char *const *lookup(const struct schema_entry *t, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].names;
	return empty;
}

const char *const *schema_ignored_elements(const char *parent)
{
	return lookup(ignored_elements, sizeof(ignored_elements) / sizeof(ignored_elements[0]), parent);
}

const char *const *schema_ignored_attributes(const char *element)
{
	return lookup(ignored_attributes, sizeof(ignored_attributes) / sizeof(ignored_attributes[0]),
		      element);
}

bool schema_in(const char *const *list, const char *name)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

size_t schema_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = calloc(lb + 1, sizeof(*row));
	size_t result;

	if (row == NULL)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	result = row[lb];
	free(row);
	return result;
}

static void consider(const char *name, const char *const *list, const char **best, size_t *best_d)
{
	for (; list != NULL && *list != NULL; list++) {
		size_t d = schema_distance(name, *list);
		if (d < *best_d) {
			*best_d = d;
			*best = *list;
		}
	}
}

const char *schema_closest(const char *name, const char *const *a, const char *const *b)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t len = strlen(name);

	consider(name, a, &best, &best_d);
	consider(name, b, &best, &best_d);
	/* Beyond about a third of the name the "suggestion" is noise. */
	if (best == NULL || best_d > (len < 6 ? 2 : len / 3 + 1))
		return NULL;
	return best;
}
