/* uid_map/gid_map text from <idmap>. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "config/domain.h"
#include "engine/idmap.h"

Test(idmap, formats_lines)
{
	struct dom_idmap map[2] = { { 0, 100000, 1000 }, { 1000, 1000, 1 } };
	char *text = idmap_format(map, 2);

	cr_assert_str_eq(text, "0 100000 1000\n1000 1000 1\n");
	free(text);
	text = idmap_format(NULL, 0);
	cr_assert_str_eq(text, "");
	free(text);
}
