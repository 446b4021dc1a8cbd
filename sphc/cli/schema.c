// SPDX-License-Identifier: MIT
/* sphc schema [system|board]: print the embedded JSON Schema. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "validate/schema.h"

int cmd_schema(int argc, char **argv)
{
	enum schema_kind kind = SCHEMA_SYSTEM;
	struct options o;
	struct diag_list dl;
	const char *arg;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (argc - o.first > 1)
		return usage_error("%s", "schema takes at most one argument");
	arg = o.first < argc ? argv[o.first] : "system";
	if (!strcmp(arg, "board"))
		kind = SCHEMA_BOARD;
	else if (strcmp(arg, "system"))
		return usage_error("unknown schema '%s' (system or board)",
				   arg);
	fputs(schema_text(kind), stdout);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}
