// SPDX-License-Identifier: MIT
/*
 * The rule table (diag/rules.def): names and ids agree, docs/rules.md
 * documents exactly its rules, each in its group's section, and a rule
 * switched off is not checked at all.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "lib/util.h"
#include "suites.h"

START_TEST(names_are_ids)
{
	unsigned int i;

	for (i = 0; i < RULE_COUNT; i++) {
		char *id = xstrdup(rule_table[i].name);
		char *p;

		for (p = id; *p; p++)
			*p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
		ck_assert_msg(!strcmp(id, rule_table[i].id), "RULE_%s is '%s'",
			      rule_table[i].name, rule_table[i].id);
		ck_assert_ptr_eq(rule_find(rule_table[i].id), &rule_table[i]);
		free(id);
	}
	ck_assert_ptr_null(rule_find("no-such-rule"));
}
END_TEST

/*
 * docs/rules.md: "## Title" sections of "| `id` | severity | ... |" rows,
 * the table's rules in its order, each once, in its group's section.
 */
START_TEST(docs_list_exactly_the_table)
{
	FILE *f = fopen("docs/rules.md", "r");
	bool seen[RULE_COUNT] = { false };
	char line[4096], section[4096] = "";
	long last = -1;
	unsigned int i;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		const struct rule_info *r;
		char id[64], sev[16];

		if (!strncmp(line, "## ", 3)) {
			snprintf(section, sizeof(section), "%s", line + 3);
			section[strcspn(section, "\n")] = '\0';
			continue;
		}
		if (sscanf(line, "| `%63[^`]` | %15[a-z] |", id, sev) != 2)
			continue;
		r = rule_find(id);
		ck_assert_msg(r != NULL, "docs/rules.md: '%s' is not a rule",
			      id);
		ck_assert_msg(!seen[r - rule_table],
			      "docs/rules.md: '%s' twice", id);
		seen[r - rule_table] = true;
		ck_assert_msg(r - rule_table > last,
			      "docs/rules.md: '%s' out of the table's order",
			      id);
		last = r - rule_table;
		ck_assert_msg(!strcmp(section, rule_group_title(r->group)),
			      "docs/rules.md: '%s' under '%s', not '%s'", id,
			      section, rule_group_title(r->group));
		ck_assert_msg(!strcmp(sev, diag_severity_name(r->severity)),
			      "docs/rules.md: '%s' is %s, not %s", id, sev,
			      diag_severity_name(r->severity));
	}
	fclose(f);
	for (i = 0; i < RULE_COUNT; i++)
		ck_assert_msg(seen[i], "docs/rules.md does not document '%s'",
			      rule_table[i].id);
}
END_TEST

static unsigned int runs_a, runs_b;

static void count_a(struct check_ctx *c)
{
	(void)c;
	runs_a++;
}

static void count_b(struct check_ctx *c)
{
	(void)c;
	runs_b++;
}

/*
 * check_run(): a rule switched off (-W no-RULE) does not run; a function
 * that reports several rules runs once while any of them is on.
 */
START_TEST(disabled_rule_does_not_run)
{
	check_fn *checks[RULE_COUNT] = { NULL };
	struct diag_list dl;
	struct check_ctx c = { NULL, NULL, &dl };

	checks[RULE_CRITICAL_BOOT_ORDER] = count_a;
	checks[RULE_SUPERPAGE_ALIGNMENT] = count_b;
	checks[RULE_HYPERVISOR_UNCOLORED] = count_b;
	diag_init(&dl);
	runs_a = runs_b = 0;
	check_run(&c, checks);
	ck_assert_uint_eq(runs_a, 1);
	ck_assert_uint_eq(runs_b, 1);

	diag_disable(&dl, RULE_CRITICAL_BOOT_ORDER);
	diag_disable(&dl, RULE_SUPERPAGE_ALIGNMENT);
	runs_a = runs_b = 0;
	check_run(&c, checks);
	ck_assert_uint_eq(runs_a, 0);
	ck_assert_uint_eq(runs_b, 1); /* hypervisor-uncolored is still on */

	diag_disable(&dl, RULE_HYPERVISOR_UNCOLORED);
	runs_a = runs_b = 0;
	check_run(&c, checks);
	ck_assert_uint_eq(runs_a + runs_b, 0);
	diag_free(&dl);
}
END_TEST

Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, names_are_ids);
	tcase_add_test(tc, docs_list_exactly_the_table);
	tcase_add_test(tc, disabled_rule_does_not_run);
	suite_add_tcase(s, tc);
	return s;
}
