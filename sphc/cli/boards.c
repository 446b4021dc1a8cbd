// SPDX-License-Identifier: MIT
/* sphc boards: the built-in boards and where each was found. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "front/boardpath.h"

int cmd_boards(int argc, char **argv)
{
	char **names;
	size_t i;

	(void)argv;
	if (argc > 1)
		return usage_error("%s", "boards takes no arguments");
	names = boardpath_list();
	for (i = 0; names[i]; i++) {
		char *path = boardpath_find(names[i], NULL);

		printf("%-24s %s\n", names[i], path ? path : "");
		free(path);
	}
	boardpath_list_free(names);
	return SPHC_OK;
}
