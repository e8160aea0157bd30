/* Parsing signal names for corral's metadata (shutdown and reboot signals). */
#include "config/signame.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int sig;
} names[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },     { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },   { "TERM", SIGTERM }, { "PWR", SIGPWR },
	{ "CONT", SIGCONT }, { "WINCH", SIGWINCH }, { "ALRM", SIGALRM },
};

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v > 64)
		return -1;
	*out = (int)v;
	return 0;
}

int signame_parse(const char *s)
{
	int n;

	if (parse_int(s, &n) == 0)
		return n >= 1 && n < NSIG ? n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].sig;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		if (s[5] == '\0')
			return SIGRTMIN;
		if (s[5] == '+' && parse_int(s + 6, &n) == 0 && SIGRTMIN + n <= SIGRTMAX)
			return SIGRTMIN + n;
	}
	if (strncasecmp(s, "RTMAX", 5) == 0) {
		if (s[5] == '\0')
			return SIGRTMAX;
		if (s[5] == '-' && parse_int(s + 6, &n) == 0 && SIGRTMAX - n >= SIGRTMIN)
			return SIGRTMAX - n;
	}
	return -1;
}
