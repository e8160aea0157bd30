/* Life of a domain model: allocation, release, and questions about it. */
#include "config/domain.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

const char *const dom_fs_type_names[DOM_FS_TYPE_N] = {
	[DOM_FS_MOUNT] = "mount", [DOM_FS_BLOCK] = "block", [DOM_FS_FILE] = "file",
	[DOM_FS_RAM] = "ram",     [DOM_FS_BIND] = "bind",
};
const char *const dom_fs_access_names[DOM_FS_ACCESS_N] = {
	[DOM_FS_PASSTHROUGH] = "passthrough", [DOM_FS_MAPPED] = "mapped", [DOM_FS_SQUASH] = "squash",
};
const char *const dom_iface_type_names[DOM_IF_TYPE_N] = {
	[DOM_IF_NETWORK] = "network", [DOM_IF_BRIDGE] = "bridge",
	[DOM_IF_ETHERNET] = "ethernet", [DOM_IF_DIRECT] = "direct",
};
const char *const dom_hostdev_type_names[DOM_HD_TYPE_N] = {
	[DOM_HD_STORAGE] = "storage", [DOM_HD_MISC] = "misc", [DOM_HD_NET] = "net",
};
const char *const dom_cap_policy_names[DOM_CAP_POLICY_N] = {
	[DOM_CAP_DEFAULT] = "default", [DOM_CAP_ALLOW] = "allow", [DOM_CAP_DENY] = "deny",
};
const char *const dom_seclabel_type_names[DOM_SEC_TYPE_N] = {
	[DOM_SEC_DEFAULT] = "default", [DOM_SEC_NONE] = "none",
	[DOM_SEC_DYNAMIC] = "dynamic", [DOM_SEC_STATIC] = "static",
};
const char *const dom_ns_share_names[DOM_NS_SHARE_N] = {
	[DOM_NS_SHARE_NET] = "sharenet", [DOM_NS_SHARE_IPC] = "shareipc",
	[DOM_NS_SHARE_UTS] = "shareuts",
};
const char *const dom_cap_names[DOM_CAP_N] = {
	"audit_control", "audit_write", "block_suspend", "chown", "dac_override",
	"dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner", "kill", "lease",
	"linux_immutable", "mac_admin", "mac_override", "mknod", "net_admin", "net_bind_service",
	"net_broadcast", "net_raw", "setgid", "setfcap", "setpcap", "setuid", "sys_admin",
	"sys_boot", "sys_chroot", "sys_module", "sys_nice", "sys_pacct", "sys_ptrace",
	"sys_rawio", "sys_resource", "sys_time", "sys_tty_config", "syslog", "wake_alarm",
};

int dom_cap_index(const char *name)
{
	for (int i = 0; i < DOM_CAP_N; i++)
		if (strcmp(dom_cap_names[i], name) == 0)
			return i;
	return -1;
}

const char *const dom_lifecycle_names[DOM_LC_N] = {
	[DOM_LC_DESTROY] = "destroy",
	[DOM_LC_RESTART] = "restart",
	[DOM_LC_PRESERVE] = "preserve",
	[DOM_LC_RENAME_RESTART] = "rename-restart",
	[DOM_LC_COREDUMP_DESTROY] = "coredump-destroy",
	[DOM_LC_COREDUMP_RESTART] = "coredump-restart",
};

struct domain *dom_new(void)
{
	struct domain *dom = xcalloc(1, sizeof(*dom));

	dom->memory_kib = DOM_UNSET;
	dom->current_memory_kib = DOM_UNSET;
	dom->hard_limit_kib = DOM_UNSET;
	dom->soft_limit_kib = DOM_UNSET;
	dom->swap_hard_limit_kib = DOM_UNSET;
	dom->cpu_shares = DOM_UNSET;
	dom->cpu_period = DOM_UNSET;
	dom->blkio_weight = DOM_UNSET;
	dom->on_poweroff = DOM_LC_DESTROY;
	dom->on_reboot = DOM_LC_RESTART;
	dom->on_crash = DOM_LC_DESTROY;
	dom->seclabel.relabel = -1;
	dom->corral.pids_max = DOM_UNSET;
	return dom;
}

static void ipcfg_free(struct dom_ipcfg *c)
{
	for (size_t i = 0; i < c->n_ips; i++) {
		free(c->ips[i].address);
		free(c->ips[i].peer);
	}
	free(c->ips);
	for (size_t i = 0; i < c->n_routes; i++) {
		free(c->routes[i].address);
		free(c->routes[i].gateway);
	}
	free(c->routes);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dom_free(struct domain *dom)
{
	if (dom == NULL)
		return;
	free(dom->name);
	free(dom->title);
	free(dom->description);
	free(dom->vcpu_placement);
	free(dom->cpuset);
	for (size_t i = 0; i < dom->n_blkio_devices; i++)
		free(dom->blkio_devices[i].path);
	free(dom->blkio_devices);
	free(dom->numa_mode);
	free(dom->numa_nodeset);
	free(dom->resource_partition);
	free(dom->os_type);
	free(dom->os_arch);
	free(dom->init);
	strv_free(dom->initargs, dom->n_initargs);
	strv_free(dom->initenv_names, dom->n_initenv);
	strv_free(dom->initenv_values, dom->n_initenv);
	free(dom->initdir);
	free(dom->inituser);
	free(dom->initgroup);
	free(dom->uid_map);
	free(dom->gid_map);
	for (size_t i = 0; i < dom->n_caps; i++)
		free(dom->caps[i].name);
	free(dom->caps);
	free(dom->clock_offset);
	free(dom->emulator);
	for (size_t i = 0; i < dom->n_filesystems; i++) {
		struct dom_filesystem *fs = &dom->filesystems[i];
		free(fs->driver_type);
		free(fs->driver_format);
		free(fs->source);
		free(fs->target);
	}
	free(dom->filesystems);
	for (size_t i = 0; i < dom->n_interfaces; i++) {
		struct dom_interface *ifc = &dom->interfaces[i];
		free(ifc->source);
		free(ifc->source_mode);
		ipcfg_free(&ifc->host);
		ipcfg_free(&ifc->guest);
		free(ifc->target_dev);
		free(ifc->guest_dev);
		free(ifc->link_state);
	}
	free(dom->interfaces);
	for (size_t i = 0; i < dom->n_consoles; i++) {
		free(dom->consoles[i].type);
		free(dom->consoles[i].target_type);
	}
	free(dom->consoles);
	for (size_t i = 0; i < dom->n_hostdevs; i++) {
		free(dom->hostdevs[i].source);
		ipcfg_free(&dom->hostdevs[i].ipcfg);
	}
	free(dom->hostdevs);
	free(dom->seclabel.model);
	free(dom->seclabel.label);
	free(dom->seclabel.imagelabel);
	free(dom->seclabel.baselabel);
	for (int i = 0; i < DOM_NS_SHARE_N; i++) {
		free(dom->ns_share[i].type);
		free(dom->ns_share[i].value);
	}
	free(dom->metadata_xml);
	free(dom);
}

const struct dom_filesystem *dom_root_fs(const struct domain *dom)
{
	for (size_t i = 0; i < dom->n_filesystems; i++)
		if (dom->filesystems[i].target != NULL && strcmp(dom->filesystems[i].target, "/") == 0)
			return &dom->filesystems[i];
	return NULL;
}

bool dom_wants_netns(const struct domain *dom)
{
	return dom->privnet || dom->n_interfaces > 0 || dom->ns_share[DOM_NS_SHARE_NET].type != NULL;
}

const char *dom_lifecycle_name(enum dom_lifecycle a)
{
	return dom_lifecycle_names[a];
}

int dom_lifecycle_parse(const char *s, enum dom_lifecycle *out)
{
	for (size_t i = 0; i < DOM_LC_N; i++) {
		if (strcmp(s, dom_lifecycle_names[i]) == 0) {
			*out = (enum dom_lifecycle)i;
			return 0;
		}
	}
	return -1;
}
