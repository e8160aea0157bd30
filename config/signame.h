/* Signal names as operators write them: SIGTERM, TERM, SIGRTMIN+4, 15. */
#ifndef CORRAL_CONFIG_SIGNAME_H
#define CORRAL_CONFIG_SIGNAME_H

/* The signal number, or -1 when s names no signal. */
int signame_parse(const char *s);

#endif
