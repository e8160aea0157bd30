/* Life of a domain model: allocation, release, and questions about it. */
#include "config/domain.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

static const char *const lifecycle_names[] = {
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
		if (strcmp(dom->filesystems[i].target, "/") == 0)
			return &dom->filesystems[i];
	return NULL;
}

bool dom_wants_netns(const struct domain *dom)
{
	return dom->privnet || dom->n_interfaces > 0 || dom->ns_share[DOM_NS_SHARE_NET].type != NULL;
}

const char *dom_lifecycle_name(enum dom_lifecycle a)
{
	return lifecycle_names[a];
}

int dom_lifecycle_parse(const char *s, enum dom_lifecycle *out)
{
	for (size_t i = 0; i < sizeof(lifecycle_names) / sizeof(lifecycle_names[0]); i++) {
		if (strcmp(s, lifecycle_names[i]) == 0) {
			*out = (enum dom_lifecycle)i;
			return 0;
		}
	}
	return -1;
}
