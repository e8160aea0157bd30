/* Key bindings and colours from the operator's corral.conf. */
#include "tui/prefs.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/xmalloc.h"
#include "tui/actions.h"

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", '\n' }, { "Esc", 27 },	     { "Tab", '\t' },	       { "Space", ' ' },
	{ "Up", KEY_UP },  { "Down", KEY_DOWN },   { "Left", KEY_LEFT },   { "Right", KEY_RIGHT },
	{ "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC },
};

static const char *const elements[PREFS_PAIRS] = {
	[PAIR_RUNNING] = "running", [PAIR_PAUSED] = "paused", [PAIR_SHUTOFF] = "shutoff",
	[PAIR_CRASHED] = "crashed", [PAIR_ALARM] = "alarm",   [PAIR_TITLE] = "title",
	[PAIR_GRAPH] = "graph",	    [PAIR_ERROR] = "error",   [PAIR_BANNER] = "banner",
};

static const char *const colour_names[] = { "black", "red",     "green", "yellow",
					    "blue",  "magenta", "cyan",  "white" };

void prefs_init(struct prefs *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < PREFS_PAIRS; i++)
		p->fg[i] = p->bg[i] = -1;
	p->fg[PAIR_RUNNING] = COLOR_GREEN;
	p->fg[PAIR_PAUSED] = COLOR_YELLOW;
	p->fg[PAIR_CRASHED] = COLOR_RED;
	p->fg[PAIR_ALARM] = COLOR_RED;
	p->fg[PAIR_TITLE] = COLOR_BLACK;
	p->bg[PAIR_TITLE] = COLOR_CYAN;
	p->fg[PAIR_GRAPH] = COLOR_CYAN;
	p->fg[PAIR_ERROR] = COLOR_RED;
	p->fg[PAIR_BANNER] = COLOR_WHITE;
	p->bg[PAIR_BANNER] = COLOR_RED;
}

int prefs_key_parse(const char *name)
{
	size_t len = strlen(name);

	if (len == 1)
		return (unsigned char)name[0];
	if (len == 3 && (strncmp(name, "C-", 2) == 0 || strncmp(name, "^", 1) == 0))
		return name[2] & 0x1f;
	if (len == 2 && name[0] == '^')
		return name[1] & 0x1f;
	if ((name[0] == 'F' || name[0] == 'f') && len <= 3) {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 12)
			return KEY_F(n);
	}
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strcasecmp(name, key_names[i].name) == 0)
			return key_names[i].key;
	return -1;
}

void prefs_key_name(int key, char *out, size_t size)
{
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key) {
			snprintf(out, size, "%s", key_names[i].name);
			return;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(out, size, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(out, size, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(out, size, "%c", key);
	else
		snprintf(out, size, "#%d", key);
}

const struct prefs_bind *prefs_bound(const struct prefs *p, int key)
{
	for (size_t i = 0; i < p->n_binds; i++)
		if (p->binds[i].key == key)
			return &p->binds[i];
	return NULL;
}

static int colour(const char *s, short *out)
{
	char *end;

	if (strcmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	for (short i = 0; i < 8; i++)
		if (strcasecmp(s, colour_names[i]) == 0) {
			*out = i;
			return 0;
		}
	long n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 0 || n > 255)
		return -1;
	*out = (short)n;
	return 0;
}

static const struct tui_action *action_named(const char *name)
{
	for (const struct tui_action *a = tui_actions; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* One line split in words; returns what is wrong with it, or NULL. */
static const char *line_apply(struct prefs *p, char **w, int n, char *why, size_t size)
{
	if (n == 0)
		return NULL;
	if (strcmp(w[0], "bind") == 0) {
		if (n != 3)
			return "bind takes a KEY and an ACTION";
		int key = prefs_key_parse(w[1]);
		if (key < 0) {
			snprintf(why, size, "unknown key '%s'", w[1]);
			return why;
		}
		const struct tui_action *a = NULL;
		if (strcmp(w[2], "none") != 0 && (a = action_named(w[2])) == NULL) {
			snprintf(why, size, "unknown action '%s' (see the help overlay, ?)", w[2]);
			return why;
		}
		struct prefs_bind *b = (struct prefs_bind *)prefs_bound(p, key);
		if (b == NULL) {
			if (p->n_binds == PREFS_MAX_BINDS)
				return "too many bindings";
			b = &p->binds[p->n_binds++];
		}
		*b = (struct prefs_bind){ key, a };
		return NULL;
	}
	if (strcmp(w[0], "color") == 0 || strcmp(w[0], "colour") == 0) {
		int e = -1;
		if (n != 3 && n != 4)
			return "color takes an ELEMENT, a foreground and maybe a background";
		for (int i = 1; i < PREFS_PAIRS; i++)
			if (elements[i] != NULL && strcmp(elements[i], w[1]) == 0)
				e = i;
		if (e < 0) {
			snprintf(why, size, "unknown element '%s'", w[1]);
			return why;
		}
		short fg, bg = p->bg[e];
		if (colour(w[2], &fg) < 0 || (n == 4 && colour(w[3], &bg) < 0))
			return "colours are black red green yellow blue magenta cyan white, "
			       "default or 0-255";
		p->fg[e] = fg;
		p->bg[e] = bg;
		return NULL;
	}
	snprintf(why, size, "unknown setting '%s' (bind or color)", w[0]);
	return why;
}

int prefs_parse(struct prefs *p, const char *text, const char *file, struct error *err)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *save = NULL, *line = copy, why[160];
	int lineno = 0, bad = 0;

	while (line != NULL) {
		char *next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		/* Comments are whole lines, so that '#' can still be bound. */
		line += strspn(line, " \t");
		if (line[0] == '#')
			line[0] = '\0';
		char *w[5];
		int n = 0;
		for (char *tok = strtok_r(line, " \t\r", &save); tok != NULL && n < 5;
		     tok = strtok_r(NULL, " \t\r", &save))
			w[n++] = tok;
		const char *problem = n == 5 ? "too many words" : line_apply(p, w, n, why, sizeof(why));
		if (problem != NULL && !bad) {
			err_set(err, 0, "%s:%d: %s", file, lineno, problem);
			bad = 1;
		}
		line = next;
	}
	return bad ? -1 : 0;
}

int prefs_load(struct prefs *p, struct error *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	_cleanup_free_ char *path = NULL;
	FILE *f;
	char buf[16384];

	if (xdg != NULL && xdg[0] == '/')
		path = xasprintf("%s/corral/corral.conf", xdg);
	else if (home != NULL && home[0] != '\0')
		path = xasprintf("%s/.config/corral/corral.conf", home);
	else
		return 0;
	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? 0 : err_sys(err, "open '%s'", path);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return prefs_parse(p, buf, path, err);
}
