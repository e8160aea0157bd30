/* The container's capability sets: the bounding set that the domain's
 * <features><capabilities> asks for, inheritable and ambient empty. */
#ifndef CORRAL_ENGINE_CAPS_H
#define CORRAL_ENGINE_CAPS_H

#include <stdint.h>

struct domain;
struct error;

/* Bit n set: capability n stays in the bounding set. Policy 'default'
 * drops sys_module, sys_time, mknod, audit_control, mac_admin,
 * mac_override, sys_rawio and dac_read_search, as libvirt LXC does (plus
 * the last three);
 * 'allow' keeps all; 'deny' drops all, capabilities the kernel has but
 * libvirt does not name included. A capability's state='on' keeps it,
 * 'off' drops it, under any policy. sys_boot stays unless turned off: the
 * container has its own pid namespace, where reboot(2) only ends the
 * container's init (libvirt's keepReboot), which is how reboot inside
 * restarts the container. */
uint64_t caps_bounding(const struct domain *dom);

/* In the container, before exec: drops every capability not in keep from
 * the bounding set, empties the inheritable and ambient sets. Permitted and
 * effective stay for the rest of the setup (setuid for init's user); exec
 * recomputes them from the bounding set. */
int caps_apply(uint64_t keep, struct error *err);

/* The linux number of a libvirt capability name, or -1. */
int caps_number(const char *name);

#endif
