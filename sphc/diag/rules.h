/* SPDX-License-Identifier: MIT */
/*
 * The registry of rules, expanded from the rule table (diag/rules.def).
 *
 * Every diagnostic names one rule, by its enum rule_id, so a misspelt rule
 * does not compile. The id string is the `[id]` tag in text output, the
 * "rule" field in JSON, SARIF's ruleId and the RULE in `-W no-RULE`.
 */
#ifndef SPHC_RULES_H
#define SPHC_RULES_H

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* The sections of docs/rules.md; titles in rule_group_title(). */
enum rule_group {
	GROUP_INPUT,
	GROUP_SCHEMA,
	GROUP_STRUCTURE,
	GROUP_ALLOC,
	GROUP_CPU,
	GROUP_MEMORY,
	GROUP_IRQ,
	GROUP_COLOR,
	GROUP_IMAGE,
	GROUP_BUILD,
	GROUP_TARGET,
	GROUP_LINT,
};

enum rule_id {
#define RULE(name, id, sev, group, check, summary) RULE_##name,
#include "diag/rules.def"
#undef RULE
	RULE_COUNT
};

struct rule_info {
	const char *id;	  /* "memory-overlap" */
	const char *name; /* "MEMORY_OVERLAP", as in RULE_MEMORY_OVERLAP */
	enum diag_severity severity;
	enum rule_group group;
	const char *summary;
};

/* rule_table - indexed by enum rule_id, in the table's order. */
extern const struct rule_info rule_table[RULE_COUNT];

/* rule_find - the registry entry for @id, or NULL. */
const struct rule_info *rule_find(const char *id);

/* rule_group_title - the docs/rules.md section title of @group. */
const char *rule_group_title(enum rule_group group);

#endif
