// SPDX-License-Identifier: MIT
/* sphc rules: every rule of the table (diag/rules.def), with its severity. */
#include <stdio.h>

#include "cli/cli.h"
#include "diag/rules.h"

int cmd_rules(int argc, char **argv)
{
	struct options o;
	struct diag_list dl;
	unsigned int i;
	int rc;

	diag_init(&dl);
	rc = options_parse(argc, argv, &o, &dl);
	diag_free(&dl);
	if (rc)
		return options_exit(rc);
	if (o.first < argc)
		return usage_error("%s", "rules takes no arguments");
	for (i = 0; i < RULE_COUNT; i++)
		printf("%-22s %-8s %s\n", rule_table[i].id,
		       diag_severity_name(rule_table[i].severity),
		       rule_table[i].summary);
	return fflush(stdout) ? SPHC_FAILED : SPHC_OK;
}
