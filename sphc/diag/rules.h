/* SPDX-License-Identifier: MIT */
/*
 * The registry of rule ids.
 *
 * Every diagnostic names one of these. The id is the `[id]` tag in text
 * output, the "rule" field in JSON, SARIF's ruleId and the RULE in
 * `-W no-RULE`. Errors cannot be silenced; warnings can.
 */
#ifndef SPHC_RULES_H
#define SPHC_RULES_H

#include "diag/diag.h"

struct rule_info {
	const char *id;
	enum diag_severity severity;
	const char *summary;
};

extern const struct rule_info rule_table[];
extern const unsigned int rule_count;

/* rule_find - the registry entry for @id, or NULL. */
const struct rule_info *rule_find(const char *id);

#endif
