/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: collected as data, rendered at the end.
 *
 * Every stage reports through diag_report() and never prints or exits
 * itself. A diagnostic has a rule (diag/rules.def: its id is the same token
 * as in `-W no-RULE`, the `[rule]` tag of text output and the rule field of
 * JSON/SARIF; its severity comes from the table, never from the caller), a
 * primary location and any number of notes at related locations.
 */
#ifndef SPHC_DIAG_H
#define SPHC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "diag/rules.h"
#include "lib/source.h"

struct diag_note {
	struct loc loc;
	char *msg;
};

struct diag {
	enum diag_severity severity;
	const char *rule; /* rule_table[].id */
	struct loc loc;
	char *msg;
	struct diag_note *notes;
	unsigned int nnotes;
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	unsigned int nerrors, nwarnings;
	bool werror; /* warnings count as findings */
	/* Rules switched off with -W no-RULE, a bit per enum rule_id. */
	unsigned long long disabled[(RULE_COUNT + 63) / 64];
	bool last_dropped; /* the last report was silenced: drop its notes */
};

void diag_init(struct diag_list *dl);
void diag_free(struct diag_list *dl);

/*
 * diag_disable - switch @rule off: its check does not run (check_system())
 * and its reports are dropped. Errors cannot be switched off: the call is
 * ignored for them.
 */
void diag_disable(struct diag_list *dl, enum rule_id rule);

/* diag_enable - switch @rule back on (-W RULE after -W no-RULE or -q). */
void diag_enable(struct diag_list *dl, enum rule_id rule);

/* diag_enabled - whether @rule is on for @dl. */
bool diag_enabled(const struct diag_list *dl, enum rule_id rule);

/*
 * diag_report - a finding of @rule at @loc, with the rule's severity from
 * the table: an error, a warning (a failure under --werror), or a note
 * (shown like a warning, never a failure). Dropped when @rule is off.
 */
__attribute__((format(printf, 4, 5))) void diag_report(struct diag_list *dl,
						       enum rule_id rule,
						       struct loc loc,
						       const char *fmt, ...);

/* diag_note - attach a related location to the last diagnostic. */
__attribute__((format(printf, 3, 4))) void
diag_note(struct diag_list *dl, struct loc loc, const char *fmt, ...);

/* diag_severity_name - "error", "warning" or "note". */
const char *diag_severity_name(enum diag_severity sev);

/* Findings that make `sphc check` fail: errors, or warnings under --werror. */
bool diag_failed(const struct diag_list *dl);

/*
 * diag_sort - order diagnostics by file (load order), line and column (stable),
 * so output does not depend on the order in which checks ran.
 */
void diag_sort(struct diag_list *dl);

/*
 * diag_merge_unique - move the diagnostics of @from into @into, dropping
 * any that @into already holds (same file, position, rule and message):
 * a finding that does not depend on the board is reported once, however
 * many boards a system is checked for. @from is left empty.
 */
void diag_merge_unique(struct diag_list *into, struct diag_list *from);

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF };

struct diag_render_opts {
	enum diag_format format;
	bool color;	  /* ANSI colour, text only */
	bool show_source; /* quote the line with a caret, text only */
	const char *tool_version;
};

/*
 * diag_render - write all diagnostics to @out.
 * Returns 0, or -1 if the output could not be produced.
 */
int diag_render(const struct diag_list *dl, const struct diag_render_opts *o,
		FILE *out);

#endif
