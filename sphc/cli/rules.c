// SPDX-License-Identifier: MIT
/* sphc rules: every rule of the table, with its severity and summary. */
#include <stdio.h>

#include "cli/cli.h"
#include "diag/rules.h"

int cmd_rules(int argc, char **argv)
{
	unsigned int i;

	(void)argv;
	if (argc > 1)
		return usage_error("%s", "rules takes no arguments");
	for (i = 0; i < rule_count; i++)
		printf("%-22s %-8s %s\n", rule_table[i].id,
		       rule_table[i].severity == DIAG_ERROR ? "error" :
		       rule_table[i].severity == DIAG_WARNING ? "warning" : "note",
		       rule_table[i].summary);
	return SPHC_OK;
}
