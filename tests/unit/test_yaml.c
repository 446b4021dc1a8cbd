// SPDX-License-Identifier: MIT
/* The YAML front end: locations, types, aliases and located errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "lib/util.h"

/* Assert diagnostic @i renders as @expected ("L:C: error: msg [rule]"). */
static void assert_diag(const struct test_doc *t, size_t i,
			const char *expected)
{
	char *line;

	ck_assert_uint_gt(t->dl.n, i);
	line = test_diag_line(&t->dl, i);
	ck_assert_str_eq(line, expected);
	free(line);
}

START_TEST(locations)
{
	struct test_doc t;
	const struct ynode *cells, *cell, *mem;

	test_doc_parse(&t, "s.yaml",
		       "name: drone\n"
		       "cells:\n"
		       "  - name: linux\n"
		       "    memory: [ { size: 256M } ]\n");
	ck_assert_int_eq(t.errors, 0);
	ck_assert_uint_eq(t.doc.root->line, 1);
	ck_assert_uint_eq(t.doc.root->col, 1);
	cells = ymap_get(t.doc.root, "cells");
	ck_assert_ptr_nonnull(cells);
	ck_assert_uint_eq(cells->line, 3);
	ck_assert_uint_eq(cells->col, 3);
	cell = ynode_kid(cells, 0);
	ck_assert_uint_eq(cell->line, 3);
	ck_assert_uint_eq(cell->col, 5);
	ck_assert_uint_eq(ymap_key_node(cell, "memory")->col, 5);
	mem = ymap_get(cell, "memory");
	ck_assert_uint_eq(mem->col, 13);
	ck_assert_uint_eq(ynode_kid(mem, 0)->col, 15);
	ck_assert_uint_eq(ymap_get(ynode_kid(mem, 0), "size")->col, 23);
	ck_assert_str_eq(ymap_get(ynode_kid(mem, 0), "size")->str, "256M");
	test_doc_free(&t);
}
END_TEST

START_TEST(scalar_types)
{
	struct test_doc t;
	const struct ynode *r;

	test_doc_parse(&t, "t.yaml",
		       "a: 0x4000_0000\nb: 256M\nc: true\nd: ~\ne: '12'\n"
		       "f: 1.5\ng: -3\nh: 3-7\ni: False\nj: !!str 12\n");
	ck_assert_int_eq(t.errors, 0);
	r = t.doc.root;
	ck_assert_int_eq(ymap_get(r, "a")->type, YS_INT);
	ck_assert_int_eq(ymap_get(r, "b")->type, YS_STRING);
	ck_assert_int_eq(ymap_get(r, "c")->type, YS_BOOL);
	ck_assert_int_eq(ymap_get(r, "d")->type, YS_NULL);
	ck_assert_int_eq(ymap_get(r, "e")->type, YS_STRING);
	ck_assert_int_eq(ymap_get(r, "f")->type, YS_FLOAT);
	ck_assert_int_eq(ymap_get(r, "g")->type, YS_INT);
	ck_assert_int_eq(ymap_get(r, "h")->type, YS_STRING);
	ck_assert_int_eq(ymap_get(r, "i")->type, YS_BOOL);
	ck_assert_int_eq(ymap_get(r, "j")->type, YS_STRING);
	test_doc_free(&t);
}
END_TEST

START_TEST(anchors_and_aliases)
{
	struct test_doc t;
	const struct ynode *a, *b;

	test_doc_parse(&t, "t.yaml",
		       "base: &mem { size: 64M }\n"
		       "copy: *mem\n"
		       "merged: { <<: *mem, base: 0x1000 }\n"
		       "over: { size: 1M, <<: *mem }\n");
	ck_assert_int_eq(t.errors, 0);
	a = ymap_get(t.doc.root, "base");
	b = ymap_get(t.doc.root, "copy");
	/* An alias is a copy of the anchored node: same children, in place. */
	ck_assert_int_eq(b->kind, YNODE_MAP);
	ck_assert_ptr_eq(a->kids, b->kids);
	ck_assert_uint_eq(a->len, b->len);
	/* The aliased node keeps the anchor's location. */
	ck_assert_uint_eq(b->line, 1);
	ck_assert_uint_eq(b->col, a->col);
	b = ymap_get(t.doc.root, "merged");
	ck_assert_uint_eq(b->len, 2);
	ck_assert_str_eq(ymap_get(b, "size")->str, "64M");
	ck_assert_str_eq(ymap_get(b, "base")->str, "0x1000");
	/* An explicit key wins over a merged one. */
	ck_assert_str_eq(ymap_get(ymap_get(t.doc.root, "over"), "size")->str,
			 "1M");
	test_doc_free(&t);
}
END_TEST

START_TEST(undefined_alias)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "a: 1\nb: *nope\n");
	ck_assert_int_eq(t.errors, 1);
	ck_assert_ptr_null(t.doc.root);
	assert_diag(
		&t, 0,
		"2:4: error: alias '*nope' refers to an undefined anchor [yaml-syntax]");
	test_doc_free(&t);
}
END_TEST

START_TEST(duplicate_keys)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "a: 1\nb:\n  x: 1\n  x: 2\na: 3\n");
	ck_assert_int_eq(t.errors, 2);
	assert_diag(&t, 0, "4:3: error: duplicate key 'x' [duplicate-key]");
	ck_assert_uint_eq(t.dl.v[0].nnotes, 1);
	ck_assert_uint_eq(t.dl.v[0].notes[0].loc.line, 3);
	ck_assert_uint_eq(t.dl.v[0].notes[0].loc.col, 3);
	assert_diag(&t, 1, "5:1: error: duplicate key 'a' [duplicate-key]");
	test_doc_free(&t);
}
END_TEST

/* A mapping of @n keys "kNNNNNN: N", then the lines of @tail. */
static char *keys_text(unsigned int n, const char *indent, const char *tail)
{
	size_t cap = (size_t)n * (strlen(indent) + 13) + strlen(tail) + 1;
	char *text = xmalloc(cap), *p = text;
	unsigned int i;

	for (i = 0; i < n; i++)
		p += sprintf(p, "%sk%06u: %u\n", indent, i, i % 10);
	strcpy(p, tail);
	return text;
}

/* The bound duplicate detection must keep: n log2 n comparisons, twice. */
static uint64_t n_log_n(uint64_t n)
{
	uint64_t log = 0;

	while ((1ull << log) < n)
		log++;
	return 2 * n * log;
}

/*
 * Duplicate keys in a big mapping: found with O(n log n) comparisons (a
 * count, not a time), each reported against the first occurrence.
 */
START_TEST(many_keys)
{
	unsigned int n = 100000;
	char *text = keys_text(n, "", "");
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_eq(t.errors, 0);
	ck_assert_uint_eq(t.doc.root->len, n);
	ck_assert_uint_ge(t.doc.key_compares, n - 1);
	ck_assert_uint_le(t.doc.key_compares, n_log_n(n));
	test_doc_free(&t);
	free(text);

	text = keys_text(n, "", "k000007: again\nk099999: x\nk000007: 3rd\n");
	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_eq(t.errors, 3);
	ck_assert_uint_le(t.doc.key_compares, n_log_n(n + 3));
	assert_diag(&t, 0,
		    "100001:1: error: duplicate key 'k000007' [duplicate-key]");
	ck_assert_uint_eq(t.dl.v[0].notes[0].loc.line, 8);
	assert_diag(&t, 1,
		    "100002:1: error: duplicate key 'k099999' [duplicate-key]");
	ck_assert_uint_eq(t.dl.v[1].notes[0].loc.line, 100000);
	assert_diag(&t, 2,
		    "100003:1: error: duplicate key 'k000007' [duplicate-key]");
	ck_assert_uint_eq(t.dl.v[2].notes[0].loc.line, 8);
	test_doc_free(&t);
	free(text);
}
END_TEST

/* Merge keys ('<<') over big mappings: explicit keys win, in O(n log n). */
START_TEST(many_keys_merged)
{
	unsigned int n = 50000;
	char *keys = keys_text(n, "  ", ""), *text;
	const struct ynode *m;
	struct test_doc t;

	text = xasprintf("base: &b\n%sm:\n  <<: *b\n%s  k000003: mine\n"
			 "  extra: 1\n",
			 keys, keys);
	/* k000003 is given twice in m: one duplicate. */
	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_eq(t.errors, 1);
	ck_assert_str_eq(t.dl.v[0].rule, "duplicate-key");
	test_doc_free(&t);
	free(text);

	text = xasprintf("base: &b\n%sm:\n  <<: *b\n  k000003: mine\n"
			 "  extra: 1\n",
			 keys);
	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_eq(t.errors, 0);
	m = ymap_get(t.doc.root, "m");
	ck_assert_uint_eq(m->len, n + 1);
	ck_assert_str_eq(ymap_get(m, "k000003")->str, "mine");
	ck_assert_str_eq(ymap_get(m, "k000004")->str, "4");
	ck_assert_uint_le(t.doc.key_compares, 2 * n_log_n(n + 2));
	test_doc_free(&t);
	free(text);
	free(keys);
}
END_TEST

START_TEST(multiple_documents)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "a: 1\n---\nb: 2\n");
	ck_assert_int_eq(t.errors, 1);
	assert_diag(
		&t, 0,
		"2:1: error: a second YAML document; sphc expects one document per file [multiple-documents]");
	test_doc_free(&t);
}
END_TEST

START_TEST(tab_indentation)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "cells:\n\t- name: a\n");
	ck_assert_int_eq(t.errors, 1);
	assert_diag(
		&t, 0,
		"2:1: error: tab character in indentation; YAML indents with spaces only [tab-indent]");
	test_doc_free(&t);
}
END_TEST

START_TEST(invalid_utf8)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml",
		       "name: ok\ndescription: caf\xc3\xa9 \xc3\x28\n");
	ck_assert_int_eq(t.errors, 1);
	assert_diag(
		&t, 0,
		"2:19: error: invalid UTF-8 byte 0xc3; sphc reads UTF-8 only [invalid-utf8]");
	test_doc_free(&t);
	/* An overlong encoding of '/' is rejected too. */
	test_doc_parse(&t, "t.yaml", "a: \xc0\xaf\n");
	ck_assert_int_eq(t.errors, 1);
	test_doc_free(&t);
}
END_TEST

START_TEST(syntax_error)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "a: [1, 2\nb: 3\n");
	ck_assert_int_eq(t.errors, 1);
	ck_assert_str_eq(t.dl.v[0].rule, "yaml-syntax");
	ck_assert_uint_eq(t.dl.v[0].loc.line, 2);
	ck_assert_uint_eq(t.dl.v[0].nnotes, 1);
	ck_assert_uint_eq(t.dl.v[0].notes[0].loc.line, 1);
	ck_assert_uint_eq(t.dl.v[0].notes[0].loc.col, 4);
	test_doc_free(&t);
}
END_TEST

START_TEST(empty_document)
{
	struct test_doc t;

	test_doc_parse(&t, "t.yaml", "# nothing here\n");
	ck_assert_int_eq(t.errors, 0);
	ck_assert_ptr_null(t.doc.root);
	test_doc_free(&t);
}
END_TEST

START_TEST(nesting_limit)
{
	struct test_doc t;
	char *text = xcalloc(1, 2000);

	memset(text, '[', 1000);
	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_ge(t.errors, 1);
	ck_assert_str_eq(t.dl.v[0].rule, "yaml-syntax");
	ck_assert_ptr_nonnull(strstr(t.dl.v[0].msg, "nesting deeper"));
	test_doc_free(&t);
	free(text);
}
END_TEST

START_TEST(alias_expansion_bomb)
{
	struct test_doc t;
	char *text = xstrdup("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	char prev = 'a';
	int i;

	/* Each level lists the previous one ten times: 10^20 nodes expanded. */
	for (i = 0; i < 20; i++) {
		char name = (char)('b' + i);
		char *next = xasprintf(
			"%s%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			text, name, name, prev, prev, prev, prev, prev, prev,
			prev, prev, prev, prev);

		free(text);
		text = next;
		prev = name;
	}
	test_doc_parse(&t, "t.yaml", text);
	ck_assert_int_eq(t.errors, 1);
	ck_assert_ptr_nonnull(strstr(t.dl.v[0].msg, "aliases are expanded"));
	test_doc_free(&t);
	free(text);
}
END_TEST

/* A temporary YAML list of @lines "- kN_N" lines (12 bytes each). */
static char *write_big_yaml(unsigned int lines, unsigned int salt)
{
	char *path = xstrdup("/tmp/sphc-unit-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	unsigned int i;

	ck_assert_ptr_nonnull(f);
	for (i = 1; i <= lines; i++)
		fprintf(f, "- k%06u_%u\n", i, (i + salt) % 10);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/*
 * A big file's text is dropped once parsed and read again to quote a line;
 * if the file changed meanwhile, nothing is quoted. Small files keep it.
 */
START_TEST(big_text_dropped_and_reread)
{
	unsigned int lines = SOURCE_DROP_MIN / 12 + 1000;
	char *path = write_big_yaml(lines, 0), *small;
	struct diag_list dl;
	struct source *src;
	struct ydoc doc;
	const char *line;
	size_t len;
	FILE *f;

	diag_init(&dl);
	src = source_load(path);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	ck_assert_ptr_null(src->text);
	ck_assert_uint_eq(doc.root->len, lines);
	line = source_line(src, 77, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq((int)len, 11);
	ck_assert(!strncmp(line, "- k000077_7", len));
	/* Only as much is read again as the quote needs. */
	ck_assert_uint_lt(src->loaded, src->len / 4);
	line = source_line(src, lines, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq((int)len, 11);
	ck_assert(!strncmp(line, "- k", 3));
	ck_assert_uint_eq(strtoul(line + 3, NULL, 10), lines);
	ck_assert_ptr_null(source_line(src, lines + 2, &len));
	ck_assert_uint_eq(src->loaded, src->len);
	line = source_line(src, 2, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert(!strncmp(line, "- k000002_2", len));
	/* Parsed again after a quote: the whole file, the same tree. */
	ydoc_free(&doc);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	ck_assert_uint_eq(doc.root->len, lines);
	ydoc_free(&doc);
	source_free_all(src);

	/* Changed after the parse: no quote rather than a wrong one. */
	src = source_load(path);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("- k999999_1\n", f);
	fclose(f);
	ck_assert_ptr_null(source_line(src, 77, &len));
	ck_assert_ptr_null(source_line(src, 78, &len));
	ydoc_free(&doc);
	source_free_all(src);
	unlink(path);
	free(path);

	/* A small file keeps its text. */
	small = write_big_yaml(3, 0);
	src = source_load(small);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	ck_assert_ptr_nonnull(src->text);
	ydoc_free(&doc);
	source_free_all(src);
	unlink(small);
	free(small);
	diag_free(&dl);
}
END_TEST

/*
 * Parse @text from memory and from a file of at least SOURCE_DROP_MIN
 * bytes, which is streamed, not loaded: the same findings either way.
 * Returns the number of errors; the rule of the first must be @rule.
 */
static int parse_both_ways(const char *text, const char *rule)
{
	char *path = xstrdup("/tmp/sphc-unit-XXXXXX");
	struct test_doc mem;
	struct diag_list dl;
	struct source *src;
	struct ydoc doc;
	int fd = mkstemp(path), errors;
	size_t len = strlen(text), i;
	char *a, *b;

	ck_assert_uint_ge(len, SOURCE_DROP_MIN);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	diag_init(&dl);
	src = source_load(path);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(src->text); /* streamed */
	errors = ydoc_parse(src, &doc, &dl);
	test_doc_parse(&mem, path, text);
	ck_assert_int_eq(errors, mem.errors);
	ck_assert_uint_eq(dl.n, mem.dl.n);
	for (i = 0; i < dl.n; i++) {
		a = test_diag_line(&dl, i);
		b = test_diag_line(&mem.dl, i);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
	if (!errors)
		ck_assert_uint_eq(doc.root->len, mem.doc.root->len);
	else
		ck_assert_str_eq(dl.v[0].rule, rule);
	test_doc_free(&mem);
	ydoc_free(&doc);
	source_free_all(src);
	diag_free(&dl);
	unlink(path);
	free(path);
	return errors;
}

/* A streamed source parsed a second time reads its file again. */
static void reparse_streamed(const char *text)
{
	char *path = xstrdup("/tmp/sphc-unit-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(text);
	struct diag_list dl;
	struct source *src;
	struct ydoc doc;
	uint32_t n;

	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	diag_init(&dl);
	src = source_load(path);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	n = doc.root->len;
	ydoc_free(&doc);
	ck_assert_int_eq(ydoc_parse(src, &doc, &dl), 0);
	ck_assert_uint_eq(doc.root->len, n);
	ydoc_free(&doc);
	source_free_all(src);
	diag_free(&dl);
	unlink(path);
	free(path);
}

/* @lines list items "- éé_N" (two-byte characters), then @tail. */
static char *utf8_list(unsigned int lines, const char *tail)
{
	char *text = xmalloc((size_t)lines * 24 + strlen(tail) + 1), *p = text;
	unsigned int i;

	for (i = 0; i < lines; i++)
		p += sprintf(p, "- \xc3\xa9\xc3\xa9_%u\n", i);
	strcpy(p, tail);
	return text;
}

/*
 * A big file is streamed into the parser in pieces, its UTF-8 checked
 * piece by piece (two-byte characters straddle every boundary): the same
 * tree and the same located findings as parsing it whole.
 */
START_TEST(big_file_streamed)
{
	unsigned int lines = SOURCE_DROP_MIN / 10;
	char *text;

	text = utf8_list(lines, "");
	ck_assert_int_eq(parse_both_ways(text, NULL), 0);
	reparse_streamed(text);
	free(text);
	text = utf8_list(lines, "- bad \xc3\x28 byte\n");
	ck_assert_int_eq(parse_both_ways(text, "invalid-utf8"), 1);
	free(text);
	text = utf8_list(lines, "- cut at the end \xe2\x82");
	ck_assert_int_eq(parse_both_ways(text, "invalid-utf8"), 1);
	free(text);
	text = utf8_list(lines, "- overlong \xc0\xaf\n");
	ck_assert_int_eq(parse_both_ways(text, "invalid-utf8"), 1);
	free(text);
	text = utf8_list(lines, "- [unclosed\n");
	ck_assert_int_eq(parse_both_ways(text, "yaml-syntax"), 1);
	free(text);
	text = keys_text(lines, "",
			 "cells:\n  - name: a\n\tcpus: 1\n    memory: 1\n");
	ck_assert_int_eq(parse_both_ways(text, "tab-indent"), 1);
	free(text);
}
END_TEST

/* Nodes name their file by registry slot; slots are reused once freed. */
START_TEST(source_slots_reused)
{
	struct test_doc a, b;
	const struct source *first;
	uint16_t slot;

	test_doc_parse(&a, "a.yaml", "x: 1\n");
	first = ynode_source(a.doc.root);
	ck_assert_ptr_eq(first, a.src);
	ck_assert_str_eq(ynode_loc(ynode_kid(a.doc.root, 1)).src->path,
			 "a.yaml");
	slot = a.doc.root->src_slot;
	test_doc_free(&a);
	test_doc_parse(&b, "b.yaml", "y: 2\n");
	ck_assert_uint_eq(b.doc.root->src_slot, slot);
	ck_assert_str_eq(ynode_source(b.doc.root)->path, "b.yaml");
	ck_assert_ptr_null(ynode_source(NULL));
	test_doc_free(&b);
}
END_TEST

Suite *yaml_suite(void)
{
	Suite *s = suite_create("yaml");
	TCase *tc = tcase_create("front-end");

	tcase_add_test(tc, locations);
	tcase_add_test(tc, scalar_types);
	tcase_add_test(tc, anchors_and_aliases);
	tcase_add_test(tc, undefined_alias);
	tcase_add_test(tc, duplicate_keys);
	tcase_add_test(tc, many_keys);
	tcase_add_test(tc, many_keys_merged);
	tcase_add_test(tc, multiple_documents);
	tcase_add_test(tc, tab_indentation);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, syntax_error);
	tcase_add_test(tc, empty_document);
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, alias_expansion_bomb);
	tcase_add_test(tc, big_text_dropped_and_reread);
	tcase_add_test(tc, source_slots_reused);
	tcase_add_test(tc, big_file_streamed);
	suite_add_tcase(s, tc);
	return s;
}
