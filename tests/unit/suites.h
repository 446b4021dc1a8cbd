/* SPDX-License-Identifier: MIT */
#ifndef SPHC_TEST_SUITES_H
#define SPHC_TEST_SUITES_H

#include <check.h>

#include "diag/diag.h"
#include "front/ynode.h"

Suite *number_suite(void);
Suite *yaml_suite(void);
Suite *schema_suite(void);
Suite *diag_suite(void);
Suite *resolve_suite(void);
Suite *check_suite(void);
Suite *blob_suite(void);
Suite *rules_suite(void);
Suite *tgt_suite(void);

/*
 * Helpers shared by the suites: parse YAML text named @name; the caller
 * frees with test_doc_free().
 */
struct test_doc {
	struct source *src;
	struct ydoc doc;
	struct diag_list dl;
	int errors;
};

void test_doc_parse(struct test_doc *t, const char *name, const char *text);
void test_doc_free(struct test_doc *t);

/* The first line of diagnostic @i rendered as "L:C: severity: msg [rule]". */
char *test_diag_line(const struct diag_list *dl, size_t i);

#endif
