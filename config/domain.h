/* The domain model: a container definition as libvirt's LXC domain XML
 * describes it. Parsing lives in domain-parse.c, writing in domain-write.c. */
#ifndef CORRAL_CONFIG_DOMAIN_H
#define CORRAL_CONFIG_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOM_NAME_MAX 64
#define DOM_UUID_LEN 16
/* The largest memory figure the kernel takes as a cgroup limit (a page
 * counter of LONG_MAX bytes), in KiB; libvirt caps at the same value. */
#define DOM_MEMORY_MAX_KIB ((UINT64_C(1) << 53) - 1)

/* The namespace of libvirt's LXC extension elements (<lxc:namespace>). */
#define DOM_LXC_NS "http://libvirt.org/schemas/domain/lxc/1.0"

/* "Not given" for the optional numbers below. */
#define DOM_UNSET UINT64_MAX

enum dom_lifecycle {
	DOM_LC_DESTROY,
	DOM_LC_RESTART,
	DOM_LC_PRESERVE,
	DOM_LC_RENAME_RESTART,
	DOM_LC_COREDUMP_DESTROY,
	DOM_LC_COREDUMP_RESTART,
};

enum dom_fs_type { DOM_FS_MOUNT, DOM_FS_BLOCK, DOM_FS_FILE, DOM_FS_RAM, DOM_FS_BIND };
enum dom_fs_access { DOM_FS_PASSTHROUGH, DOM_FS_MAPPED, DOM_FS_SQUASH };

struct dom_filesystem {
	enum dom_fs_type type;
	enum dom_fs_access accessmode;
	char *driver_type;   /* <driver type>: loop, nbd; NULL when absent */
	char *driver_format; /* <driver format>: raw, qcow2, … */
	char *source;        /* dir, file or dev, as the type says; NULL for ram */
	uint64_t usage_kib;  /* ram: size of the tmpfs */
	char *target;        /* absolute path inside the container */
	bool readonly;
	int line;
};

enum dom_ip_family { DOM_AF_UNSPEC, DOM_AF_INET, DOM_AF_INET6 };

struct dom_ip {
	enum dom_ip_family family;
	char *address;
	int prefix; /* -1 when not given */
	char *peer;
};

struct dom_route {
	enum dom_ip_family family;
	char *address;
	int prefix; /* -1 when not given */
	char *gateway;
};

/* Addresses and routes, as they appear under <interface>, <source> (the
 * host side of type='ethernet') and <hostdev>. */
struct dom_ipcfg {
	struct dom_ip *ips;
	size_t n_ips;
	struct dom_route *routes;
	size_t n_routes;
};

enum dom_iface_type { DOM_IF_NETWORK, DOM_IF_BRIDGE, DOM_IF_ETHERNET, DOM_IF_DIRECT };

struct dom_interface {
	enum dom_iface_type type;
	bool has_mac;
	uint8_t mac[6];
	char *source;      /* network name, bridge name or host device */
	char *source_mode; /* direct: vepa, bridge, private, passthrough */
	struct dom_ipcfg host; /* <source><ip/><route/></source>: host side */
	struct dom_ipcfg guest; /* <ip/>, <route/>: container side */
	char *target_dev;  /* host end name */
	char *guest_dev;   /* container end name */
	char *link_state;  /* "up", "down" or NULL */
	int line;
};

struct dom_console {
	char *type;        /* pty */
	char *target_type; /* lxc */
	int port;          /* -1 when not given */
};

enum dom_hostdev_type { DOM_HD_STORAGE, DOM_HD_MISC, DOM_HD_NET };

struct dom_hostdev {
	enum dom_hostdev_type type; /* mode is always 'capabilities' for LXC */
	char *source;               /* block, char or interface */
	struct dom_ipcfg ipcfg;     /* net only */
	int line;
};

struct dom_idmap {
	uint32_t start;
	uint32_t target;
	uint32_t count;
};

enum dom_cap_policy { DOM_CAP_DEFAULT, DOM_CAP_ALLOW, DOM_CAP_DENY };
enum dom_cap_state { DOM_CAPST_UNSET = 0, DOM_CAPST_ON, DOM_CAPST_OFF };

struct dom_cap {
	char *name; /* libvirt's name: sys_module, mknod, … */
	enum dom_cap_state state;
};

struct dom_blkio_device {
	char *path;
	uint64_t weight; /* DOM_UNSET or 0..1000 */
	uint64_t read_iops, write_iops, read_bytes, write_bytes; /* DOM_UNSET */
};

enum dom_ns_share_kind { DOM_NS_SHARE_NET, DOM_NS_SHARE_IPC, DOM_NS_SHARE_UTS, DOM_NS_SHARE_N };

/* libvirt's <lxc:namespace><lxc:sharenet type='netns|pid|name' value=…/> */
struct dom_ns_share {
	char *type;  /* NULL when not shared */
	char *value;
};

enum dom_seclabel_type { DOM_SEC_DEFAULT, DOM_SEC_NONE, DOM_SEC_DYNAMIC, DOM_SEC_STATIC };

struct dom_seclabel {
	bool present;
	enum dom_seclabel_type type;
	char *model;       /* "selinux", "none", or NULL */
	int relabel;       /* -1 not given, 0 no, 1 yes */
	char *label;
	char *imagelabel;
	char *baselabel;
};

/* libvirt keeps a tool's own settings in <metadata>, in the tool's XML
 * namespace; these are corral's. */
#define DOM_CORRAL_NS "http://corral.dev/xmlns/domain/1.0"

/* Limit classes a domain may mark optional: skipped, not an error, on a
 * host without the controller. */
enum dom_optional {
	DOM_OPT_MEMORY = 1u << 0,
	DOM_OPT_SWAP = 1u << 1,
	DOM_OPT_CPU = 1u << 2,
	DOM_OPT_CPUSET = 1u << 3,
	DOM_OPT_BLKIO = 1u << 4,
	DOM_OPT_PIDS = 1u << 5,
	DOM_OPT_DEVICES = 1u << 6,
	DOM_OPT_NET_CLS = 1u << 7,
};

struct dom_corral {
	uint64_t pids_max;   /* <corral:pids max=…/>, DOM_UNSET when not given */
	int shutdown_signal; /* <corral:signals shutdown=… reboot=…/>, 0 when not given */
	int reboot_signal;
	unsigned optional;   /* <corral:optional limits='blkio net_cls'/>, DOM_OPT_* */
};

struct domain {
	char *name;
	uint8_t uuid[DOM_UUID_LEN];
	char *title;
	char *description;

	uint64_t memory_kib;         /* DOM_UNSET when not given */
	uint64_t current_memory_kib; /* DOM_UNSET when not given */
	uint64_t hard_limit_kib;     /* <memtune>, DOM_UNSET when not given */
	uint64_t soft_limit_kib;
	uint64_t swap_hard_limit_kib;

	unsigned vcpus;      /* 0 when <vcpu> is absent */
	char *vcpu_placement; /* static, auto */
	char *cpuset;        /* validated cpu list, e.g. "1-2,5-7" */

	uint64_t cpu_shares; /* <cputune>, DOM_UNSET when not given */
	uint64_t cpu_period; /* microseconds */
	int64_t cpu_quota;   /* microseconds, -1 = unlimited */
	bool has_cpu_quota;

	uint64_t blkio_weight; /* DOM_UNSET when not given */
	struct dom_blkio_device *blkio_devices;
	size_t n_blkio_devices;

	char *numa_mode;    /* <numatune><memory mode nodeset> */
	char *numa_nodeset;

	char *resource_partition;

	char *os_type;      /* exe */
	char *os_arch;      /* NULL when not given */
	char *init;
	char **initargs;
	size_t n_initargs;
	char **initenv_names;
	char **initenv_values;
	size_t n_initenv;
	char *initdir;
	char *inituser;
	char *initgroup;

	struct dom_idmap *uid_map;
	size_t n_uid_map;
	struct dom_idmap *gid_map;
	size_t n_gid_map;

	bool privnet;
	bool has_capabilities;
	enum dom_cap_policy cap_policy;
	struct dom_cap *caps;
	size_t n_caps;

	char *clock_offset; /* utc, localtime; NULL when absent */

	enum dom_lifecycle on_poweroff;
	enum dom_lifecycle on_reboot;
	enum dom_lifecycle on_crash;

	char *emulator;
	struct dom_filesystem *filesystems;
	size_t n_filesystems;
	struct dom_interface *interfaces;
	size_t n_interfaces;
	struct dom_console *consoles;
	size_t n_consoles;
	struct dom_hostdev *hostdevs;
	size_t n_hostdevs;

	struct dom_seclabel seclabel;
	struct dom_ns_share ns_share[DOM_NS_SHARE_N];

	struct dom_corral corral;

	/* <metadata> children, kept verbatim (serialized XML) so that what other
	 * tools store there survives a round trip. */
	char *metadata_xml;
};

struct domain *dom_new(void);
void dom_free(struct domain *dom);
#define _cleanup_domain_ __attribute__((cleanup(dom_freep)))
static inline void dom_freep(struct domain **dom)
{
	dom_free(*dom);
}

/* The root filesystem entry (target '/'), or NULL for an APP container. */
const struct dom_filesystem *dom_root_fs(const struct domain *dom);

/* True when the domain needs its own network namespace. */
bool dom_wants_netns(const struct domain *dom);

/* Names of enumerated values as the XML spells them, indexed by the enum;
 * the _N constants count them. */
#define DOM_FS_TYPE_N 5
#define DOM_FS_ACCESS_N 3
#define DOM_IF_TYPE_N 4
#define DOM_HD_TYPE_N 3
#define DOM_CAP_POLICY_N 3
#define DOM_SEC_TYPE_N 4
#define DOM_LC_N 6
#define DOM_CAP_N 37
extern const char *const dom_fs_type_names[DOM_FS_TYPE_N];
extern const char *const dom_fs_access_names[DOM_FS_ACCESS_N];
extern const char *const dom_iface_type_names[DOM_IF_TYPE_N];
extern const char *const dom_hostdev_type_names[DOM_HD_TYPE_N];
extern const char *const dom_cap_policy_names[DOM_CAP_POLICY_N];
extern const char *const dom_seclabel_type_names[DOM_SEC_TYPE_N];
extern const char *const dom_lifecycle_names[DOM_LC_N];
extern const char *const dom_ns_share_names[DOM_NS_SHARE_N]; /* sharenet, … */
/* The process capabilities libvirt names under <features><capabilities>,
 * in libvirt's order (the order they are written in). */
extern const char *const dom_cap_names[DOM_CAP_N];
/* Index in dom_cap_names, or -1. */
int dom_cap_index(const char *name);

const char *dom_lifecycle_name(enum dom_lifecycle a);
int dom_lifecycle_parse(const char *s, enum dom_lifecycle *out);

#endif
