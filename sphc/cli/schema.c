// SPDX-License-Identifier: MIT
/* sphc schema [system|board]: print the embedded JSON Schema. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "validate/schema.h"

int cmd_schema(int argc, char **argv)
{
	enum schema_kind kind = SCHEMA_SYSTEM;

	if (argc > 2)
		return usage_error("%s", "schema takes at most one argument");
	if (argc == 2 && !strcmp(argv[1], "board"))
		kind = SCHEMA_BOARD;
	else if (argc == 2 && strcmp(argv[1], "system"))
		return usage_error("unknown schema '%s' (system or board)",
				   argv[1]);
	fputs(schema_text(kind), stdout);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}
