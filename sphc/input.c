// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boardpath.h"
#include "check.h"
#include "input.h"
#include "resolve.h"
#include "schema.h"
#include "util.h"

static const struct loc no_loc;

/* Read, parse and schema-validate one file; true when all went well. */
static enum sphc_status load_doc(struct sphc_input *in, const char *path,
				 enum schema_kind kind, struct ydoc *doc,
				 struct diag_list *dl)
{
	struct source *src = source_load(path);
	struct schema *schema;
	int errors;

	if (!src) {
		diag_error(dl, "io-error", no_loc, "cannot read '%s': %s", path,
			   strerror(errno));
		return SPHC_FAILED;
	}
	src->next = in->sources;
	in->sources = src;
	if (ydoc_parse(src, doc, dl))
		return SPHC_FINDINGS;
	schema = schema_load(kind);
	if (!schema) {
		diag_error(dl, "io-error", no_loc,
			   "internal error: the embedded schema does not load");
		return SPHC_FAILED;
	}
	errors = schema_validate(schema, doc->root,
				 (struct loc){ src, 1, 1 }, dl);
	schema_free(schema);
	return errors ? SPHC_FINDINGS : SPHC_OK;
}

static void unknown_board(const char *spec, const struct ynode *where,
			  struct diag_list *dl)
{
	struct loc l = where ? ynode_loc(where) : no_loc;
	char **names = boardpath_list(), *list = xstrdup("");
	size_t i;

	for (i = 0; names[i]; i++) {
		char *next = xasprintf("%s%s%s", list, i ? ", " : "", names[i]);

		free(list);
		list = next;
	}
	if (boardpath_is_path(spec))
		diag_error(dl, "unknown-board", l, "board file '%s' not found",
			   spec);
	else
		diag_error(dl, "unknown-board", l,
			   "unknown board '%s' (built-in boards: %s)", spec,
			   names[0] ? list : "none found");
	free(list);
	boardpath_list_free(names);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, slash - path) : NULL;
}

static enum sphc_status load_board(struct sphc_input *in, const char *spec,
				   const char *base_dir, const struct ynode *where,
				   struct diag_list *dl)
{
	enum sphc_status st;

	in->board_path = boardpath_find(spec, base_dir);
	if (!in->board_path) {
		unknown_board(spec, where, dl);
		return SPHC_FINDINGS;
	}
	st = load_doc(in, in->board_path, SCHEMA_BOARD, &in->board_doc, dl);
	if (st != SPHC_OK)
		return st;
	if (model_board_from_yaml(in->board_doc.root, &in->board, dl))
		return SPHC_FINDINGS;
	check_board(&in->board, dl);
	return SPHC_OK;
}

enum sphc_status input_load(struct sphc_input *in, const char *system_path,
			    const char *board_override, struct diag_list *dl)
{
	enum sphc_status st;
	char *dir;

	memset(in, 0, sizeof(*in));
	st = load_doc(in, system_path, SCHEMA_SYSTEM, &in->sys_doc, dl);
	if (st != SPHC_OK)
		return st;
	if (model_system_from_yaml(in->sys_doc.root, &in->sys, dl))
		return SPHC_FINDINGS;
	if (board_override) {
		st = load_board(in, board_override, NULL, NULL, dl);
	} else if (in->sys.board) {
		dir = dir_of(system_path);
		st = load_board(in, in->sys.board, dir, in->sys.board_node, dl);
		free(dir);
	} else {
		diag_error(dl, "unknown-board", ynode_loc(in->sys.root),
			   "no board given: add 'board: NAME' to the system or pass --board");
		return SPHC_FINDINGS;
	}
	if (st != SPHC_OK)
		return st;
	model_resolve(&in->sys, &in->board, dl);
	resolve_system(&in->sys, &in->board, dl);
	check_system(&in->sys, &in->board, dl);
	return dl->nerrors ? SPHC_FINDINGS : SPHC_OK;
}

void input_free(struct sphc_input *in)
{
	model_system_free(&in->sys);
	model_board_free(&in->board);
	ydoc_free(&in->sys_doc);
	ydoc_free(&in->board_doc);
	source_free_all(in->sources);
	free(in->board_path);
	memset(in, 0, sizeof(*in));
}
