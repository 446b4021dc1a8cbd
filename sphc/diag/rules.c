// SPDX-License-Identifier: MIT
/* The registry: the rule table (rules.def) as data for the diagnostics. */
#include <string.h>

#include "diag/rules.h"

#define ERROR DIAG_ERROR
#define WARNING DIAG_WARNING
#define NOTE DIAG_NOTE

const struct rule_info rule_table[RULE_COUNT] = {
#define RULE(name, id, sev, group, check, summary)                             \
	[RULE_##name] = { id, #name, sev, GROUP_##group, summary },
#include "diag/rules.def"
#undef RULE
};

const struct rule_info *rule_find(const char *id)
{
	unsigned int i;

	for (i = 0; i < RULE_COUNT; i++)
		if (!strcmp(rule_table[i].id, id))
			return &rule_table[i];
	return NULL;
}

const char *rule_group_title(enum rule_group group)
{
	static const char *const titles[] = {
		[GROUP_INPUT] = "Reading the input",
		[GROUP_SCHEMA] = "The schema",
		[GROUP_STRUCTURE] = "Structure",
		[GROUP_ALLOC] = "Allocation",
		[GROUP_CPU] = "CPUs and devices",
		[GROUP_MEMORY] = "Memory",
		[GROUP_IRQ] = "Interrupts",
		[GROUP_COLOR] = "Cache colors",
		[GROUP_IMAGE] = "Images",
		[GROUP_BUILD] = "Build layout",
		[GROUP_TARGET] = "Targets",
		[GROUP_LINT] = "Lints",
	};

	return titles[group];
}
