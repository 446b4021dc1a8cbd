// SPDX-License-Identifier: MIT
#include <string.h>

#include "rules.h"
#include "util.h"

#define ERR(id, text) { id, DIAG_ERROR, text }
#define WARN(id, text) { id, DIAG_WARNING, text }

/* Sorted by stage, then by name; docs/rules.md describes each one. */
const struct rule_info rule_table[] = {
	/* The YAML front end. */
	ERR("yaml-syntax", "the file is not well-formed YAML"),
	ERR("invalid-utf8", "the file is not valid UTF-8"),
	ERR("tab-indent", "a tab character used for indentation"),
	ERR("duplicate-key", "a key given twice in one mapping"),
	ERR("multiple-documents", "more than one YAML document in a file"),
	ERR("io-error", "a file that cannot be read"),
	/* The schema. */
	ERR("unknown-key", "a key the format does not define"),
	ERR("missing-key", "a required key is absent"),
	ERR("wrong-type", "a value of the wrong type"),
	ERR("out-of-range", "a number or list length outside its bounds"),
	ERR("bad-value", "a value that is not one of the accepted ones"),
	ERR("number-overflow", "a number that does not fit in 64 bits"),
	/* Structure. */
	ERR("duplicate-name", "two cells, shared regions or devices with one name"),
	ERR("unknown-board", "a board that is neither built in nor a file"),
	ERR("unknown-device", "a device the board does not have"),
	ERR("unknown-cell", "a reference to a cell that is not declared"),
	ERR("cpu-not-on-board", "a CPU id the board lacks"),
	ERR("bad-range", "a range whose end is below its start"),
	/* Allocation. */
	ERR("cpu-alloc", "more CPUs asked for than the board has free"),
	ERR("color-alloc", "more colors asked for than the board has free"),
	ERR("memory-alloc", "memory that cannot be placed in free RAM"),
	ERR("color-memory", "colored memory larger than the free RAM with those colors"),
	ERR("doorbell-alloc", "no free SPI left for a doorbell"),
};

const unsigned int rule_count = ARRAY_SIZE(rule_table);

const struct rule_info *rule_find(const char *id)
{
	unsigned int i;

	for (i = 0; i < rule_count; i++)
		if (!strcmp(rule_table[i].id, id))
			return &rule_table[i];
	return NULL;
}
