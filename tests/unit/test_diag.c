// SPDX-License-Identifier: MIT
/* The diagnostics engine and its text, JSON and SARIF renderers. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "suites.h"
#include "lib/util.h"

static const char sample[] = "cells:\n  - name: a\n    cpus: [9]\n";

/* Render @dl in @fmt into a malloc'ed string. */
static char *render(const struct diag_list *dl, enum diag_format fmt,
		    bool color)
{
	struct diag_render_opts o = { fmt, color, true, "1.2.3" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(diag_render(dl, &o, f), 0);
	fclose(f);
	return buf;
}

static void two_findings(struct diag_list *dl, struct source *src)
{
	diag_init(dl);
	diag_report(dl, RULE_CPU_NOT_ON_BOARD, (struct loc){ src, 3, 12 },
		    "CPU %d is not on board", 9);
	diag_note(dl, (struct loc){ src, 2, 11 }, "cell '%s' here", "a");
	diag_report(dl, RULE_SUPERPAGE_ALIGNMENT, (struct loc){ src, 1, 1 },
		    "early");
}

START_TEST(text_with_caret_and_note)
{
	struct source *src =
		source_from_memory("s.yaml", sample, strlen(sample));
	struct diag_list dl;
	char *out;

	two_findings(&dl, src);
	diag_sort(&dl);
	out = render(&dl, DIAG_FORMAT_TEXT, false);
	ck_assert_str_eq(
		out,
		"s.yaml:1:1: warning: early [superpage-alignment]\n"
		"     1 | cells:\n"
		"       | ^\n"
		"s.yaml:3:12: error: CPU 9 is not on board [cpu-not-on-board]\n"
		"     3 |     cpus: [9]\n"
		"       |            ^\n"
		"s.yaml:2:11: note: cell 'a' here\n"
		"     2 |   - name: a\n"
		"       |           ^\n");
	free(out);
	ck_assert_uint_eq(dl.nerrors, 1);
	ck_assert_uint_eq(dl.nwarnings, 1);
	ck_assert(diag_failed(&dl));
	diag_free(&dl);
	source_free_all(src);
}
END_TEST

START_TEST(color_only_when_asked)
{
	struct source *src =
		source_from_memory("s.yaml", sample, strlen(sample));
	struct diag_list dl;
	char *out;

	two_findings(&dl, src);
	out = render(&dl, DIAG_FORMAT_TEXT, true);
	ck_assert_ptr_nonnull(strstr(out, "\033[1;31merror:"));
	free(out);
	out = render(&dl, DIAG_FORMAT_TEXT, false);
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
	diag_free(&dl);
	source_free_all(src);
}
END_TEST

START_TEST(json_carries_everything)
{
	struct source *src =
		source_from_memory("s.yaml", sample, strlen(sample));
	struct diag_list dl;
	json_t *root, *d, *rel;
	json_error_t err;
	char *out;

	two_findings(&dl, src);
	out = render(&dl, DIAG_FORMAT_JSON, false);
	root = json_loads(out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "errors")),
			 1);
	d = json_array_get(json_object_get(root, "diagnostics"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "file")),
			 "s.yaml");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "column")), 12);
	ck_assert_str_eq(json_string_value(json_object_get(d, "severity")),
			 "error");
	ck_assert_str_eq(json_string_value(json_object_get(d, "rule")),
			 "cpu-not-on-board");
	rel = json_array_get(json_object_get(d, "related"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(rel, "line")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(rel, "column")),
			 11);
	ck_assert_str_eq(json_string_value(json_object_get(rel, "message")),
			 "cell 'a' here");
	json_decref(root);
	free(out);
	diag_free(&dl);
	source_free_all(src);
}
END_TEST

START_TEST(sarif_shape)
{
	struct source *src =
		source_from_memory("dir/a b.yaml", sample, strlen(sample));
	struct diag_list dl;
	json_t *root, *run, *res, *loc;
	json_error_t err;
	char *out;

	two_findings(&dl, src);
	out = render(&dl, DIAG_FORMAT_SARIF, false);
	root = json_loads(out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "version")),
			 "2.1.0");
	run = json_array_get(json_object_get(root, "runs"), 0);
	res = json_array_get(json_object_get(run, "results"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(res, "level")),
			 "error");
	loc = json_object_get(
		json_array_get(json_object_get(res, "locations"), 0),
		"physicalLocation");
	ck_assert_str_eq(
		json_string_value(json_object_get(
			json_object_get(loc, "artifactLocation"), "uri")),
		"dir/a%20b.yaml");
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(loc, "region"), "startLine")),
			 3);
	ck_assert_int_eq(
		json_array_size(json_object_get(res, "relatedLocations")), 1);
	json_decref(root);
	free(out);
	diag_free(&dl);
	source_free_all(src);
}
END_TEST

START_TEST(disabled_warnings_and_werror)
{
	struct diag_list dl;

	diag_init(&dl);
	diag_disable(&dl, RULE_SUPERPAGE_ALIGNMENT);
	diag_report(&dl, RULE_SUPERPAGE_ALIGNMENT, (struct loc){ 0 }, "gone");
	diag_note(&dl, (struct loc){ 0 }, "its note is gone too");
	ck_assert_uint_eq(dl.n, 0);
	ck_assert(!diag_failed(&dl));
	ck_assert(!diag_enabled(&dl, RULE_SUPERPAGE_ALIGNMENT));
	/* Errors cannot be switched off. */
	diag_disable(&dl, RULE_UNKNOWN_KEY);
	ck_assert(diag_enabled(&dl, RULE_UNKNOWN_KEY));
	diag_report(&dl, RULE_CRITICAL_BOOT_ORDER, (struct loc){ 0 }, "kept");
	ck_assert(!diag_failed(&dl));
	dl.werror = true;
	ck_assert(diag_failed(&dl));
	diag_free(&dl);
}
END_TEST

/* The distinct findings merge_unique_and_sort() reports, besides m0 at a. */
static unsigned int count_distinct(void)
{
	static const int file[4] = { 0, 0, 1, 2 }; /* a, a2, b, none */
	static bool seen[2][3][5][25];
	unsigned int i, n = 0;

	memset(seen, 0, sizeof(seen));
	seen[1][0][0][0] = true; /* memory-overlap at a:1:1 "m0", first */
	for (i = 0; i < 4000; i++) {
		bool *s = &seen[i % 2][file[i / 2 % 4]][i % 5][i % 1000 / 40];

		n += !*s;
		*s = true;
	}
	return n;
}

/*
 * diag_merge_unique(): one of each (file path, position, rule, message),
 * kept in first-seen order, whichever list and source object it came from;
 * and sorting keeps equal positions in report order.
 */
START_TEST(merge_unique_and_sort)
{
	struct source *a = source_from_memory("s.yaml", sample, strlen(sample));
	struct source *a2 =
		source_from_memory("s.yaml", sample, strlen(sample));
	struct source *b = source_from_memory("t.yaml", sample, strlen(sample));
	struct source *srcs[] = { a, a2, b, NULL };
	struct diag_list into, from;
	unsigned int i, round;
	char *line;

	diag_init(&into);
	diag_report(&into, RULE_MEMORY_OVERLAP, (struct loc){ a, 1, 1 }, "m%d",
		    0);
	for (round = 0; round < 2; round++) {
		diag_init(&from);
		/* 4000 reports of 1000 distinct findings (a and a2 are one
		 * file). */
		for (i = 0; i < 4000; i++)
			diag_report(
				&from,
				i % 2 ? RULE_MEMORY_OVERLAP : RULE_IPA_OVERLAP,
				(struct loc){ srcs[i / 2 % 4], 1 + i % 5, 1 },
				"m%u", i % 1000 / 40);
		diag_merge_unique(&into, &from);
		ck_assert_uint_eq(from.n, 0);
		diag_free(&from);
	}
	/*
	 * Distinct: 2 rules x 5 lines x 25 messages, with i / 2 % 4 picking
	 * the file: s.yaml (twice), t.yaml or none. The rule and the line
	 * follow from i, so count by brute force.
	 */
	ck_assert_uint_eq(into.n, 1 + count_distinct());
	ck_assert_uint_eq(into.nerrors, into.n);
	for (i = 0; i < into.n; i++) {
		unsigned int j;

		for (j = 0; j < i; j++)
			ck_assert(into.v[i].loc.line != into.v[j].loc.line ||
				  strcmp(into.v[i].rule, into.v[j].rule) ||
				  strcmp(into.v[i].msg, into.v[j].msg) ||
				  (into.v[i].loc.src == NULL) !=
					  (into.v[j].loc.src == NULL) ||
				  (into.v[i].loc.src &&
				   strcmp(into.v[i].loc.src->path,
					  into.v[j].loc.src->path)));
	}
	diag_sort(&into);
	for (i = 1; i < into.n; i++) {
		const struct loc *p = &into.v[i - 1].loc, *q = &into.v[i].loc;
		unsigned int ip = p->src ? p->src->id + 1 : 0;
		unsigned int iq = q->src ? q->src->id + 1 : 0;

		ck_assert(ip < iq || (ip == iq && p->line <= q->line));
	}
	line = test_diag_line(&into, 0);
	/* No file sorts first; of the ties at 1:1, report i = 15 before 30. */
	ck_assert_str_eq(line, "1:1: error: m0 [memory-overlap]");
	free(line);
	line = test_diag_line(&into, 1);
	ck_assert_str_eq(line, "1:1: error: m0 [ipa-overlap]");
	free(line);
	diag_free(&into);
	source_free_all(a);
	source_free_all(a2);
	source_free_all(b);
}
END_TEST

Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, text_with_caret_and_note);
	tcase_add_test(tc, color_only_when_asked);
	tcase_add_test(tc, json_carries_everything);
	tcase_add_test(tc, sarif_shape);
	tcase_add_test(tc, disabled_warnings_and_werror);
	tcase_add_test(tc, merge_unique_and_sort);
	suite_add_tcase(s, tc);
	return s;
}
