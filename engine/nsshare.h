/* libvirt's <lxc:namespace> sharing: the namespace of another running
 * container, of a process, or a named netns, opened for the spawner. */
#ifndef CORRAL_ENGINE_NSSHARE_H
#define CORRAL_ENGINE_NSSHARE_H

#include "config/domain.h"

struct error;
struct paths;

/* Opens, per kind the domain shares, the namespace to join into fds[kind]
 * (-1 for kinds not shared). type 'name': another corral container of the
 * same root, which must be running; 'pid': a host pid; 'netns': a name
 * under /run/netns (net only). On failure every fd opened is closed. */
int nsshare_open(const struct paths *p, const struct domain *dom, int fds[DOM_NS_SHARE_N],
		 struct error *err);
void nsshare_close(int fds[DOM_NS_SHARE_N]);

#endif
