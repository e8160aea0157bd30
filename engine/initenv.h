/* The clean environment a container's init starts with. */
#ifndef CORRAL_ENGINE_INITENV_H
#define CORRAL_ENGINE_INITENV_H

struct domain;

/* container=corral, PATH, TERM, HOME (home, or "/" when NULL),
 * LIBVIRT_LXC_NAME and LIBVIRT_LXC_UUID for guests written for libvirt, then
 * the domain's <initenv>, which replaces a default of the same name. A
 * NULL-terminated vector of "NAME=value"; free with initenv_free. */
char **initenv_build(const struct domain *dom, const char *home);
void initenv_free(char **env);

#endif
