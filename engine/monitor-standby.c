/* A monitor started ahead of need. On this kind of machine an exec costs
 * milliseconds, a large share of a short container's whole life; the engine
 * keeps one monitor already running, blocked on its connection, and names
 * the container when a start comes. */
#include "engine/monitor-standby.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

#include "config/names.h"
#include "lib/error.h"
#include "lib/xmalloc.h"

/* {"name":…,"id":…} and a newline fit many times over. */
#define ASSIGN_MAX 512

int standby_await(int fd, char **name, int *id, struct error *err)
{
	char buf[ASSIGN_MAX];
	size_t len = 0;
	json_error_t jerr;
	json_t *msg;
	const char *n, *problem;
	json_int_t i;

	/* Byte by byte: nothing after the newline may be taken from the
	 * connection, it is the engine's to read through the monitor's loop. */
	while (len == 0 || buf[len - 1] != '\n') {
		ssize_t r;
		if (len == sizeof(buf))
			return err_set(err, 0, "assignment longer than %d bytes", ASSIGN_MAX);
		r = read(fd, buf + len, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_sys(err, "read the assignment");
		if (r == 0)
			return 0;
		len++;
	}
	msg = json_loadb(buf, len, 0, &jerr);
	if (msg == NULL)
		return err_set(err, 0, "assignment: %s", jerr.text);
	n = json_string_value(json_object_get(msg, "name"));
	i = json_integer_value(json_object_get(msg, "id"));
	problem = n != NULL ? name_domain_problem(n) : "missing";
	if (problem != NULL || !json_is_integer(json_object_get(msg, "id")) || i < 0 ||
	    i > 1000000000) {
		json_decref(msg);
		return err_set(err, 0, "assignment: bad name or id");
	}
	*name = xstrdup(n);
	*id = (int)i;
	json_decref(msg);
	return 1;
}

void standby_retitle(int argc, char **argv, const char *name, int id)
{
	char *start = argv[0], *end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	char idbuf[16];
	size_t n = 0, len = 0, room;
	char *title, **env;

	/* The environment follows the arguments on the stack: copied to the
	 * heap, its room holds the title too (setproctitle's way; rewriting
	 * the kernel's pointers would need CAP_SYS_RESOURCE). */
	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		if (environ[i] == end)
			end = environ[i] + strlen(environ[i]) + 1;
		env[i] = xstrdup(environ[i]);
	}
	environ = env;

	snprintf(idbuf, sizeof(idbuf), "%d", id);
	title = xcalloc(1, (size_t)(end - start) + 128 + strlen(name));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--standby") == 0)
			len += (size_t)sprintf(title + len, "%s--name %s --id %s", i ? " " : "", name,
					       idbuf);
		else
			len += (size_t)sprintf(title + len, "%s%s", i ? " " : "", argv[i]);
	}
	room = (size_t)(end - start);
	if (len >= room)
		len = room - 1;
	memcpy(start, title, len);
	memset(start + len, 0, room - len);
	free(title);
}
