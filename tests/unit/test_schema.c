// SPDX-License-Identifier: MIT
/* The schema validator: rules, locations and messages of its findings. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "validate/schema.h"
#include "suites.h"
#include "lib/util.h"

/* A system that passes the schema; tests append or change lines of it. */
#define SYSTEM_HEAD                                                            \
	"sphc: 1\n"                                                            \
	"name: drone\n"                                                        \
	"board: qemu-aarch64-virt\n"

/* Parse @text (which must be valid YAML) and validate it against @kind. */
static void validate(struct test_doc *t, enum schema_kind kind,
		     const char *text)
{
	struct schema *s = schema_load(kind);

	ck_assert_ptr_nonnull(s);
	test_doc_parse(t, "s.yaml", text);
	ck_assert_int_eq(t->errors, 0);
	t->errors = schema_validate(s, t->doc.root,
				    (struct loc){ t->src, 1, 1 }, &t->dl);
	ck_assert_int_eq(t->errors, (int)t->dl.n);
	diag_sort(&t->dl);
	schema_free(s);
}

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

/* Validate @text and expect exactly one finding, rendered as @expected. */
static void expect_one(enum schema_kind kind, const char *text,
		       const char *expected)
{
	struct test_doc t;

	validate(&t, kind, text);
	if (t.dl.n != 1)
		ck_abort_msg("expected one finding, got %zu, first: %s", t.dl.n,
			     t.dl.n ? t.dl.v[0].msg : "none");
	assert_diag(&t, 0, expected);
	test_doc_free(&t);
}

static void expect_none(enum schema_kind kind, const char *text)
{
	struct test_doc t;
	char *line;

	validate(&t, kind, text);
	if (t.dl.n) {
		line = test_diag_line(&t.dl, 0);
		ck_abort_msg("unexpected finding: %s", line);
		free(line);
	}
	test_doc_free(&t);
}

/* The same for a system made of SYSTEM_HEAD and @body. */
static void expect_sys(const char *body, const char *expected)
{
	char *text = xasprintf("%s%s", SYSTEM_HEAD, body);

	expect_one(SCHEMA_SYSTEM, text, expected);
	free(text);
}

static void expect_sys_none(const char *body)
{
	char *text = xasprintf("%s%s", SYSTEM_HEAD, body);

	expect_none(SCHEMA_SYSTEM, text);
	free(text);
}

START_TEST(valid_system)
{
	expect_sys_none("description: free text\n"
			"hypervisor:\n"
			"  memory: { size: 8M }\n"
			"  colors: [0]\n"
			"  console: uart0\n"
			"cells:\n"
			"  - name: linux\n"
			"    description: text\n"
			"    critical: false\n"
			"    cpus: 2\n"
			"    memory:\n"
			"      - size: 256M\n"
			"        base: 0x5000_0000\n"
			"        ipa: 0x4000_0000\n"
			"    colors: 3-7\n"
			"    devices:\n"
			"      - virtio0\n"
			"      - { name: virtio1 }\n"
			"    irqs:\n"
			"      - 72\n"
			"      - { irq: 73, priority: 0x20 }\n"
			"    image: images/linux.bin\n"
			"    entry: 0x4000_0000\n"
			"  - name: flight\n"
			"    critical: true\n"
			"    cpus: [0, 2-3]\n"
			"    memory: [ { size: 64M } ]\n"
			"    colors: [8-11, 15]\n"
			"shared:\n"
			"  - name: telemetry\n"
			"    size: 256K\n"
			"    base: 0x7800_0000\n"
			"    access: { flight: rw, linux: ro }\n"
			"    doorbell: true\n");
}
END_TEST

START_TEST(valid_board)
{
	expect_none(SCHEMA_BOARD,
		    "sphc-board: 1\n"
		    "name: qemu-aarch64-virt\n"
		    "description: text\n"
		    "arch: aarch64\n"
		    "page-size: 4K\n"
		    "cpus:\n"
		    "  - { id: 0, mpidr: 0x0 }\n"
		    "  - { id: 1, mpidr: 0x1 }\n"
		    "memory:\n"
		    "  - { name: ram, base: 0x4000_0000, size: 1G }\n"
		    "cache:\n"
		    "  llc-size: 1M\n"
		    "  llc-ways: 16\n"
		    "  line-size: 64\n"
		    "gic:\n"
		    "  version: 3\n"
		    "  distributor: { base: 0x0800_0000, size: 64K }\n"
		    "  redistributor: { base: 0x080A_0000, size: 0xF6_0000, "
		    "stride: 128K }\n"
		    "  cpu-interface: { base: 0x0801_0000, size: 8K }\n"
		    "  maintenance-irq: 25\n"
		    "  spis: 256\n"
		    "timer:\n"
		    "  irqs: { hyp: 26, virt: 27, phys: 30, secure: 29 }\n"
		    "console: uart0\n"
		    "devices:\n"
		    "  - name: uart0\n"
		    "    compatible: arm,pl011\n"
		    "    reg: [ { base: 0x0900_0000, size: 4K } ]\n"
		    "    irqs: [ { irq: 33, trigger: level } ]\n"
		    "    shareable: false\n"
		    "  - name: virtio0\n"
		    "    compatible: [virtio,mmio, foo]\n"
		    "    irqs: [ 48 ]\n");
}
END_TEST

START_TEST(unknown_key_suggestion)
{
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    cpu: 2\n"
		   "    memory: [ { size: 1M } ]\n"
		   "    cpus: 1\n",
		   "6:5: error: unknown key 'cpu' in cell; did you mean "
		   "'cpus'? [unknown-key]");
	expect_sys(
		"hypervisor: { colours: [0] }\n"
		"cells: [ { name: a, memory: [ { size: 1M } ], cpus: 1 } ]\n",
		"4:15: error: unknown key 'colours' in hypervisor; did you "
		"mean 'colors'? [unknown-key]");
}
END_TEST

START_TEST(unknown_key_plain)
{
	expect_sys(
		"hypervisor:\n"
		"  foo: 1\n"
		"cells: [ { name: a, memory: [ { size: 1M } ], cpus: 1 } ]\n",
		"5:3: error: unknown key 'foo' in hypervisor [unknown-key]");
	/* A one-letter key is not "almost" any two-letter key. */
	expect_one(SCHEMA_BOARD,
		   "sphc-board: 1\nname: b\narch: aarch64\n"
		   "cpus: [ { id: 0, mpidr: 0, x: 1 } ]\n",
		   "4:28: error: unknown key 'x' in cpu [unknown-key]");
}
END_TEST

START_TEST(missing_key)
{
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    memory:\n"
		   "      - base: 0x5000_0000\n"
		   "    cpus: 1\n",
		   "7:9: error: missing required key 'size' in memory region "
		   "[missing-key]");
	expect_one(SCHEMA_SYSTEM, "sphc: 1\nname: x\n",
		   "1:1: error: missing required key 'cells' in system "
		   "[missing-key]");
}
END_TEST

START_TEST(empty_document)
{
	expect_one(SCHEMA_SYSTEM, "# nothing\n",
		   "1:1: error: empty document: a system needs the keys "
		   "'sphc', 'name' and 'cells' [missing-key]");
}
END_TEST

START_TEST(wrong_type)
{
	/* With x-expected... */
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    cpus: two\n"
		   "    memory: [ { size: 1M } ]\n",
		   "6:11: error: 'cpus' must be a CPU count or a list of CPU "
		   "ids, not a string [wrong-type]");
	/* ...and without. */
	expect_sys(
		"cells:\n"
		"  - { name: a, critical: 3, memory: [ { size: 1M } ], cpus: 1 }\n",
		"5:26: error: 'critical' must be true or false, not an "
		"integer [wrong-type]");
	expect_sys("cells: { name: a }\n",
		   "4:8: error: 'cells' must be a list, not a mapping "
		   "[wrong-type]");
	expect_sys("hypervisor:\ncells: [ { name: a, memory: "
		   "[ { size: 1M } ], cpus: 1 } ]\n",
		   "4:12: error: 'hypervisor' must be a mapping, not empty "
		   "[wrong-type]");
	expect_one(SCHEMA_SYSTEM, "- a\n",
		   "1:1: error: the document must be a mapping, not a list "
		   "[wrong-type]");
}
END_TEST

START_TEST(out_of_range)
{
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    memory: [ { size: 1M } ]\n"
		   "    irqs: [ { irq: 73, priority: 300 } ]\n"
		   "    cpus: 1\n",
		   "7:34: error: 'priority' is 300, above the maximum 255 "
		   "[out-of-range]");
	expect_sys(
		"cells: []\n",
		"4:8: error: 'cells' must have at least 1 item [out-of-range]");
	expect_sys(
		"cells: [ { name: a, memory: [ { size: 1M, base: -5 } ], cpus: 1 } ]\n",
		"4:49: error: 'base' is -5, below the minimum 0 "
		"[out-of-range]");
	expect_sys("cells: [ { name: a, memory: [ { size: 1M } ], "
		   "irqs: [ 1020 ], cpus: 1 } ]\n",
		   "4:55: error: item 1 of 'irqs' is 1020, above the maximum "
		   "1019 [out-of-range]");
	expect_sys("cells: [ { name: a, memory: [ { size: 1M } ], cpus: 1 } ]\n"
		   "shared: [ { name: s, size: 4K, access: {} } ]\n",
		   "5:40: error: 'access' must have at least 1 entry "
		   "[out-of-range]");
	expect_one(SCHEMA_BOARD,
		   "sphc-board: 1\nname: b\narch: aarch64\n"
		   "cpus: [ { id: 0, mpidr: 0 } ]\n"
		   "cache: { llc-size: 1M, llc-ways: 65 }\n",
		   "5:34: error: 'llc-ways' is 65, above the maximum 64 "
		   "[out-of-range]");
}
END_TEST

START_TEST(enum_value)
{
	expect_sys(
		"cells: [ { name: linux, memory: [ { size: 1M } ], cpus: 1 } ]\n"
		"shared:\n"
		"  - name: telemetry\n"
		"    size: 4K\n"
		"    access: { linux: rx }\n",
		"8:22: error: 'access' of 'linux' must be one of 'rw', "
		"'ro', not 'rx' [bad-value]");
	expect_one(
		SCHEMA_BOARD,
		"sphc-board: 1\nname: b\narch: x86\n"
		"cpus: [ { id: 0, mpidr: 0 } ]\n",
		"3:7: error: 'arch' must be one of 'aarch64', 'arm', not 'x86' [bad-value]");
	expect_one(SCHEMA_BOARD,
		   "sphc-board: 1\nname: b\narch: aarch64\n"
		   "cpus: [ { id: 0, mpidr: 0 } ]\n"
		   "gic: { version: 4, distributor: { base: 0, size: 4K } }\n",
		   "5:17: error: 'version' must be one of 2, 3, not 4 "
		   "[bad-value]");
}
END_TEST

START_TEST(pattern)
{
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    memory:\n"
		   "      - size: 12Q\n"
		   "    cpus: 1\n",
		   "7:15: error: 'size' value '12Q' is not a size such as 64M, "
		   "4K or 0x4000_0000 [bad-value]");
	expect_sys(
		"cells: [ { name: 1st, memory: [ { size: 1M } ], cpus: 1 } ]\n",
		"4:18: error: 'name' value '1st' is not a name (letters, "
		"digits, '_', '-' or '.', starting with a letter or '_') "
		"[bad-value]");
	/* A quoted number is a string, and strings carry no hex. */
	expect_sys(
		"cells: [ { name: a, memory: [ { size: '0x1000' } ], cpus: 1 } ]\n",
		"4:39: error: 'size' value '0x1000' is not a size such as "
		"64M, 4K or 0x4000_0000 [bad-value]");
}
END_TEST

START_TEST(const_value)
{
	expect_one(
		SCHEMA_SYSTEM,
		"sphc: 2\nname: x\n"
		"cells: [ { name: a, memory: [ { size: 1M } ], cpus: 1 } ]\n",
		"1:7: error: 'sphc' must be 1, not 2 [bad-value]");
	expect_one(
		SCHEMA_SYSTEM,
		"sphc: '1'\nname: x\n"
		"cells: [ { name: a, memory: [ { size: 1M } ], cpus: 1 } ]\n",
		"1:7: error: 'sphc' must be 1, not '1' [bad-value]");
}
END_TEST

START_TEST(one_of_branch)
{
	/* An irq mapping explains its own error (not a type mismatch). */
	expect_sys("cells:\n"
		   "  - name: linux\n"
		   "    memory: [ { size: 1M } ]\n"
		   "    irqs: [ { irq: 73, priorty: 1 } ]\n"
		   "    cpus: 1\n",
		   "7:24: error: unknown key 'priorty' in interrupt; did you "
		   "mean 'priority'? [unknown-key]");
	/* No branch takes an integer device. */
	expect_sys("cells: [ { name: a, memory: [ { size: 1M } ], "
		   "devices: [ virtio0, 42 ], cpus: 1 } ]\n",
		   "4:67: error: item 2 of 'devices' must be a device name or "
		   "a mapping with 'name', not an integer [wrong-type]");
	/* A list item of a list branch. */
	expect_sys("cells: [ { name: a, memory: [ { size: 1M } ], "
		   "colors: [ 0, 3-x ], cpus: 1 } ]\n",
		   "4:60: error: item 2 of 'colors' value '3-x' is not a "
		   "number or a range such as 3-7 [bad-value]");
	/* Within the integer branch, the range check speaks. */
	expect_sys(
		"cells: [ { name: a, memory: [ { size: 1M } ], cpus: 0 } ]\n",
		"4:53: error: 'cpus' is 0, below the minimum 1 [out-of-range]");
	expect_one(SCHEMA_BOARD,
		   "sphc-board: 1\nname: b\narch: aarch64\n"
		   "cpus: [ { id: 0, mpidr: 0 } ]\n"
		   "devices: [ { name: d, irqs: [ { irq: 40, trigger: high } ] "
		   "} ]\n",
		   "5:51: error: 'trigger' must be one of 'level', 'edge', not "
		   "'high' [bad-value]");
}
END_TEST

START_TEST(overflow)
{
	expect_sys("cells: [ { name: a, memory: [ { size: 99999999999999999999 "
		   "} ], cpus: 1 } ]\n",
		   "4:39: error: integer 99999999999999999999 does not fit in "
		   "64 bits [number-overflow]");
	expect_sys("cells: [ { name: a, memory: [ { size: 1M, "
		   "base: 0x1_0000_0000_0000_0000 } ], cpus: 1 } ]\n",
		   "4:49: error: integer 0x1_0000_0000_0000_0000 does not fit "
		   "in 64 bits [number-overflow]");
	/* Beyond a bound on its side, it is out of range rather. */
	expect_sys(
		"cells: [ { name: a, memory: [ { size: -99999999999999999999 "
		"} ], cpus: 1 } ]\n",
		"4:39: error: 'size' is -99999999999999999999, below the "
		"minimum 0 [out-of-range]");
	/* The largest 64-bit value is fine. */
	expect_sys_none("cells: [ { name: a, memory: [ { size: 1M, "
			"base: 0xffff_ffff_ffff_ffff } ], cpus: 1 } ]\n");
}
END_TEST

START_TEST(many_errors)
{
	struct test_doc t;

	validate(&t, SCHEMA_SYSTEM,
		 "sphc: 1\n"
		 "cells:\n"
		 "  - name: linux\n"
		 "    cpu: 2\n"
		 "    memory: [ { size: 12Q }, { base: 0 } ]\n"
		 "  - name: b\n"
		 "    critical: yes\n"
		 "    memory: []\n"
		 "    irqs: [ { irq: 2000 } ]\n");
	ck_assert_uint_eq(t.dl.n, 9);
	assert_diag(&t, 0,
		    "1:1: error: missing required key 'name' in system "
		    "[missing-key]");
	assert_diag(&t, 1,
		    "3:5: error: missing required key 'cpus' in cell "
		    "[missing-key]");
	assert_diag(&t, 2,
		    "4:5: error: unknown key 'cpu' in cell; did you mean "
		    "'cpus'? [unknown-key]");
	assert_diag(&t, 3,
		    "5:23: error: 'size' value '12Q' is not a size such as "
		    "64M, 4K or 0x4000_0000 [bad-value]");
	assert_diag(&t, 4,
		    "5:30: error: missing required key 'size' in memory region "
		    "[missing-key]");
	assert_diag(&t, 5,
		    "6:5: error: missing required key 'cpus' in cell "
		    "[missing-key]");
	assert_diag(&t, 6,
		    "7:15: error: 'critical' must be true or false, not a "
		    "string [wrong-type]");
	assert_diag(&t, 7,
		    "8:13: error: 'memory' must have at least 1 item "
		    "[out-of-range]");
	assert_diag(&t, 8,
		    "9:20: error: 'irq' is 2000, above the maximum 1019 "
		    "[out-of-range]");
	test_doc_free(&t);
}
END_TEST

START_TEST(aliased_subtree)
{
	struct test_doc t;

	/* The shared cell is checked twice but its finding is reported once. */
	validate(
		&t, SCHEMA_SYSTEM,
		"sphc: 1\n"
		"name: drone\n"
		"board: qemu-aarch64-virt\n"
		"cells:\n"
		"  - &c { name: a, memory: [ { size: 1M, sise: 2 } ], cpus: 1 }\n"
		"  - *c\n"
		"shared: [ { name: s, size: 4K, access: *c } ]\n");
	ck_assert_uint_eq(t.dl.n, 4);
	assert_diag(&t, 0,
		    "5:16: error: 'access' of 'name' must be one of 'rw', "
		    "'ro', not 'a' [bad-value]");
	assert_diag(&t, 1,
		    "5:27: error: 'access' of 'memory' must be one of 'rw', "
		    "'ro', not a list [bad-value]");
	assert_diag(&t, 2,
		    "5:41: error: unknown key 'sise' in memory region; did you "
		    "mean 'size'? [unknown-key]");
	assert_diag(&t, 3,
		    "5:60: error: 'access' of 'cpus' must be one of 'rw', "
		    "'ro', not 1 [bad-value]");
	test_doc_free(&t);
}
END_TEST

/* Each "pattern" must compile as a POSIX ERE; "x-expected" is text. */
static void check_patterns(const json_t *j, unsigned int *npatterns)
{
	const json_t *p = json_object_get(j, "pattern");
	const json_t *x = json_object_get(j, "x-expected");
	const char *key;
	json_t *v;
	size_t i;
	regex_t re;

	if (json_is_string(p)) {
		ck_assert_int_eq(regcomp(&re, json_string_value(p),
					 REG_EXTENDED | REG_NOSUB),
				 0);
		regfree(&re);
		(*npatterns)++;
	}
	if (x)
		ck_assert(json_is_string(x) && json_string_length(x) > 0);
	if (json_is_object(j))
		json_object_foreach((json_t *)j, key, v)
			check_patterns(v, npatterns);
	if (json_is_array(j))
		json_array_foreach(j, i, v)
			check_patterns(v, npatterns);
}

START_TEST(schemas_compile)
{
	enum schema_kind kinds[] = { SCHEMA_SYSTEM, SCHEMA_BOARD };
	unsigned int npatterns = 0;
	struct schema *s;
	json_t *j;
	size_t i;

	for (i = 0; i < 2; i++) {
		j = json_loads(schema_text(kinds[i]), 0, NULL);
		ck_assert_ptr_nonnull(j);
		check_patterns(j, &npatterns);
		json_decref(j);
		s = schema_load(kinds[i]);
		ck_assert_ptr_nonnull(s);
		schema_free(s);
	}
	ck_assert_uint_ge(npatterns, 8);
}
END_TEST

Suite *schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("validate");

	tcase_add_test(tc, valid_system);
	tcase_add_test(tc, valid_board);
	tcase_add_test(tc, unknown_key_suggestion);
	tcase_add_test(tc, unknown_key_plain);
	tcase_add_test(tc, missing_key);
	tcase_add_test(tc, empty_document);
	tcase_add_test(tc, wrong_type);
	tcase_add_test(tc, out_of_range);
	tcase_add_test(tc, enum_value);
	tcase_add_test(tc, pattern);
	tcase_add_test(tc, const_value);
	tcase_add_test(tc, one_of_branch);
	tcase_add_test(tc, overflow);
	tcase_add_test(tc, many_errors);
	tcase_add_test(tc, aliased_subtree);
	tcase_add_test(tc, schemas_compile);
	suite_add_tcase(s, tc);
	return s;
}
