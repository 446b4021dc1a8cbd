/* SPDX-License-Identifier: MIT */
/*
 * JSON Schema validation of a located YAML tree.
 *
 * The schemas in schema/ are embedded into the binary at build time
 * (sphc/embed.S) and parsed with Jansson. The validator implements the subset
 * of JSON Schema 2020-12 the schemas use and reports each violation at the
 * offending node:
 *   unknown-key      a key the schema does not allow (with "did you mean")
 *   missing-key      a required key is absent
 *   wrong-type       a value of the wrong type
 *   out-of-range     a number outside minimum/maximum, a list too short/long
 *   bad-value        not one of an enum/const, or not matching a pattern
 *   number-overflow  an integer that does not fit in 64 bits
 */
#ifndef SPHC_SCHEMA_H
#define SPHC_SCHEMA_H

#include "diag/diag.h"
#include "front/ynode.h"

enum schema_kind { SCHEMA_SYSTEM, SCHEMA_BOARD };

/* schema_text - the embedded JSON text of a schema (NUL-terminated). */
const char *schema_text(enum schema_kind kind);

struct schema;

/* schema_load - parse an embedded schema; NULL only on an internal error. */
struct schema *schema_load(enum schema_kind kind);
void schema_free(struct schema *s);

/*
 * schema_validate - validate the document rooted at @root.
 * Reports every violation to @dl; returns the number of errors reported.
 * @doc_loc is used for problems with the document as a whole (empty file).
 */
int schema_validate(const struct schema *s, const struct ynode *root,
		    struct loc doc_loc, struct diag_list *dl);

#endif
