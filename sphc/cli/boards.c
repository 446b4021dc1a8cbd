// SPDX-License-Identifier: MIT
/* sphc boards: the built-in boards and where each was found. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "front/boardpath.h"

int cmd_boards(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	char **names;
	size_t i;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (o.first < argc)
		return usage_error("%s", "boards takes no arguments");
	names = boardpath_list();
	for (i = 0; names[i]; i++) {
		char *path = boardpath_find(names[i], NULL);

		printf("%-24s %s\n", names[i], path ? path : "");
		free(path);
	}
	boardpath_list_free(names);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}
