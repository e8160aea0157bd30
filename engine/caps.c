/* Capability bounding, inheritable and ambient sets of a container's init,
 * through prctl(2) and capset(2) (no libcap: four system calls). */
#include "engine/caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config/domain.h"
#include "lib/error.h"

/* Capabilities this build knows by number; the kernel may know fewer. */
#define CAPS_MAX 64

static const struct {
	const char *name;
	int cap;
} cap_numbers[] = {
	{ "audit_control", CAP_AUDIT_CONTROL }, { "audit_write", CAP_AUDIT_WRITE },
	{ "block_suspend", CAP_BLOCK_SUSPEND }, { "chown", CAP_CHOWN },
	{ "dac_override", CAP_DAC_OVERRIDE },   { "dac_read_search", CAP_DAC_READ_SEARCH },
	{ "fowner", CAP_FOWNER },               { "fsetid", CAP_FSETID },
	{ "ipc_lock", CAP_IPC_LOCK },           { "ipc_owner", CAP_IPC_OWNER },
	{ "kill", CAP_KILL },                   { "lease", CAP_LEASE },
	{ "linux_immutable", CAP_LINUX_IMMUTABLE }, { "mac_admin", CAP_MAC_ADMIN },
	{ "mac_override", CAP_MAC_OVERRIDE },   { "mknod", CAP_MKNOD },
	{ "net_admin", CAP_NET_ADMIN },         { "net_bind_service", CAP_NET_BIND_SERVICE },
	{ "net_broadcast", CAP_NET_BROADCAST }, { "net_raw", CAP_NET_RAW },
	{ "setgid", CAP_SETGID },               { "setfcap", CAP_SETFCAP },
	{ "setpcap", CAP_SETPCAP },             { "setuid", CAP_SETUID },
	{ "sys_admin", CAP_SYS_ADMIN },         { "sys_boot", CAP_SYS_BOOT },
	{ "sys_chroot", CAP_SYS_CHROOT },       { "sys_module", CAP_SYS_MODULE },
	{ "sys_nice", CAP_SYS_NICE },           { "sys_pacct", CAP_SYS_PACCT },
	{ "sys_ptrace", CAP_SYS_PTRACE },       { "sys_rawio", CAP_SYS_RAWIO },
	{ "sys_resource", CAP_SYS_RESOURCE },   { "sys_time", CAP_SYS_TIME },
	{ "sys_tty_config", CAP_SYS_TTY_CONFIG }, { "syslog", CAP_SYSLOG },
	{ "wake_alarm", CAP_WAKE_ALARM },
};

/* What policy 'default' takes away: each lets root inside reach the host
 * (its kernel, clock, devices, audit and LSM state). dac_read_search too:
 * open_by_handle_at(2) with it opens any inode of a filesystem the rootfs
 * shares with the host, the host's root included ("shocker"). */
static const int default_drops[] = {
	CAP_SYS_MODULE, CAP_SYS_TIME,     CAP_MKNOD,     CAP_AUDIT_CONTROL,
	CAP_MAC_ADMIN,  CAP_MAC_OVERRIDE, CAP_SYS_RAWIO, CAP_DAC_READ_SEARCH,
};

#define BIT(c) (UINT64_C(1) << (c))

int caps_number(const char *name)
{
	for (size_t i = 0; i < sizeof(cap_numbers) / sizeof(cap_numbers[0]); i++)
		if (strcmp(cap_numbers[i].name, name) == 0)
			return cap_numbers[i].cap;
	return -1;
}

uint64_t caps_bounding(const struct domain *dom)
{
	uint64_t keep = ~UINT64_C(0);

	switch (dom->has_capabilities ? dom->cap_policy : DOM_CAP_DEFAULT) {
	case DOM_CAP_DEFAULT:
		for (size_t i = 0; i < sizeof(default_drops) / sizeof(default_drops[0]); i++)
			keep &= ~BIT(default_drops[i]);
		break;
	case DOM_CAP_ALLOW:
		break;
	case DOM_CAP_DENY:
		keep = 0;
		break;
	}
	for (size_t i = 0; i < dom->n_caps; i++) {
		int cap = caps_number(dom->caps[i].name);

		if (cap < 0)
			continue;
		if (dom->caps[i].state == DOM_CAPST_ON)
			keep |= BIT(cap);
		else if (dom->caps[i].state == DOM_CAPST_OFF)
			keep &= ~BIT(cap);
	}
	return keep;
}

int caps_apply(uint64_t keep, struct error *err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	/* PR_CAPBSET_READ fails (EINVAL) past the kernel's last capability. */
	for (int cap = 0; cap < CAPS_MAX && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (!(keep & BIT(cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return err_sys(err, "drop capability %d from the bounding set", cap);
	if (syscall(SYS_capget, &hdr, data) < 0)
		return err_sys(err, "read capabilities");
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		data[i].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return err_sys(err, "clear the inheritable capabilities");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return err_sys(err, "clear the ambient capabilities");
	return 0;
}
