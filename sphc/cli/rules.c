// SPDX-License-Identifier: MIT
/* sphc rules: every rule of the table (diag/rules.def), with its severity. */
#include <stdio.h>

#include "cli/cli.h"
#include "diag/rules.h"

int cmd_rules(int argc, char **argv)
{
	unsigned int i;

	(void)argv;
	if (argc > 1)
		return usage_error("%s", "rules takes no arguments");
	for (i = 0; i < RULE_COUNT; i++)
		printf("%-22s %-8s %s\n", rule_table[i].id,
		       diag_severity_name(rule_table[i].severity),
		       rule_table[i].summary);
	return SPHC_OK;
}
