/* The .xml files of a folder (the conformance corpus, the examples), in a
 * stable order, for tests that walk them. */
#ifndef CORRAL_TESTS_XML_FOLDER_H
#define CORRAL_TESTS_XML_FOLDER_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

static int xml_folder_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Full paths into *out (each and the array to free); their number. */
static size_t xml_folder_list(const char *dir, char ***out)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;

	cr_assert_not_null(dp, "folder '%s' is missing (set CORRAL_CONFORMANCE)", dir);
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(dp);
	qsort(v, n, sizeof(*v), xml_folder_cmp);
	*out = v;
	return n;
}

#endif
