// SPDX-License-Identifier: MIT
/* The unit test runner: every suite, one summary line from Check. */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "lib/util.h"

void test_doc_parse(struct test_doc *t, const char *name, const char *text)
{
	memset(t, 0, sizeof(*t));
	diag_init(&t->dl);
	t->src = source_from_memory(name, text, strlen(text));
	t->errors = ydoc_parse(t->src, &t->doc, &t->dl);
}

void test_doc_free(struct test_doc *t)
{
	ydoc_free(&t->doc);
	diag_free(&t->dl);
	source_free_all(t->src);
}

char *test_diag_line(const struct diag_list *dl, size_t i)
{
	const struct diag *d = &dl->v[i];

	return xasprintf("%u:%u: %s: %s [%s]", d->loc.line, d->loc.col,
			 d->severity == DIAG_ERROR ? "error" : "warning",
			 d->msg, d->rule);
}

int main(void)
{
	SRunner *sr = srunner_create(number_suite());
	int failed;

	srunner_add_suite(sr, yaml_suite());
	srunner_add_suite(sr, schema_suite());
	srunner_add_suite(sr, diag_suite());
	srunner_add_suite(sr, rules_suite());
	srunner_add_suite(sr, resolve_suite());
	srunner_add_suite(sr, check_suite());
	srunner_add_suite(sr, blob_suite());
	srunner_add_suite(sr, tgt_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
