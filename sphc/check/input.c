// SPDX-License-Identifier: MIT
/*
 * The front of the pipeline for one (system, board) pair:
 *   read + parse the system -> find and load the board -> apply the system's
 *   per-board overrides -> schema -> model -> resolve names -> allocate ->
 *   check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "front/boardpath.h"
#include "check/check.h"
#include "check/input.h"
#include "model/resolve.h"
#include "validate/schema.h"
#include "lib/util.h"

static const struct loc no_loc;

/* An editor's buffer read in place of its file (input_override()). */
static struct {
	const char *path, *text;
	size_t len;
} buffer;

void input_override(const char *path, const char *text, size_t len)
{
	buffer.path = path;
	buffer.text = text;
	buffer.len = len;
}

static struct source *load(const char *path)
{
	if (buffer.path && !strcmp(path, buffer.path))
		return source_from_memory(path, buffer.text, buffer.len);
	return source_load(path);
}

static enum sphc_status read_and_parse(struct source **sources,
				       const char *path, struct ydoc *doc,
				       struct diag_list *dl)
{
	struct source *src = load(path);

	if (!src) {
		diag_report(dl, RULE_IO_ERROR, no_loc, "cannot read '%s': %s",
			    path, read_error(errno));
		return SPHC_FAILED;
	}
	src->next = *sources;
	*sources = src;
	return ydoc_parse(src, doc, dl) ? SPHC_FINDINGS : SPHC_OK;
}

struct input_system *input_system_read(const char *path, struct diag_list *dl)
{
	struct input_system *s = xcalloc(1, sizeof(*s));

	s->refs = 1;
	s->status = read_and_parse(&s->src, path, &s->doc, dl);
	return s;
}

void input_system_put(struct input_system *s)
{
	if (!s || --s->refs)
		return;
	ydoc_free(&s->doc);
	source_free_all(s->src);
	free(s);
}

unsigned int input_system_boards(const struct input_system *s)
{
	const struct ynode *root = s->doc.root, *list;

	if (s->status != SPHC_OK || !root || ymap_get(root, "board"))
		return 1;
	list = ymap_get(root, "boards");
	return list && list->kind == YNODE_SEQ && list->len ? list->len : 1;
}

static enum sphc_status validate(const struct ynode *root,
				 enum schema_kind kind, const struct ydoc *doc,
				 struct diag_list *dl)
{
	struct schema *schema = schema_load(kind);
	int errors;

	if (!schema) {
		diag_report(
			dl, RULE_IO_ERROR, no_loc,
			"internal error: the embedded schema does not load");
		return SPHC_FAILED;
	}
	errors = schema_validate(schema, root, (struct loc){ doc->src, 1, 1 },
				 dl);
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
		diag_report(dl, RULE_UNKNOWN_BOARD, l,
			    "board file '%s' not found", spec);
	else
		diag_report(dl, RULE_UNKNOWN_BOARD, l,
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
				   const char *base_dir,
				   const struct ynode *where,
				   struct diag_list *dl)
{
	enum sphc_status st;

	in->board_path = boardpath_find(spec, base_dir);
	if (!in->board_path) {
		unknown_board(spec, where, dl);
		return SPHC_FINDINGS;
	}
	st = read_and_parse(&in->sources, in->board_path, &in->board_doc, dl);
	/*
	 * A file that is no board (not YAML, or without sphc-board) may be
	 * anything, /proc/self/environ or a key file: name its lines in
	 * diagnostics, never print them.
	 */
	if (st != SPHC_FAILED &&
	    (st != SPHC_OK || !ymap_get(in->board_doc.root, "sphc-board")))
		in->sources->no_quote = true;
	if (st == SPHC_OK)
		st = validate(in->board_doc.root, SCHEMA_BOARD, &in->board_doc,
			      dl);
	if (st != SPHC_OK)
		return st;
	if (model_board_from_yaml(in->board_doc.root, &in->board, dl))
		return SPHC_FINDINGS;
	check_board(&in->board, dl);
	return SPHC_OK;
}

static const struct ynode *string_at(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && n->type == YS_STRING ? n : NULL;
}

/*
 * The board to use and where it was named: @override from the command line,
 * else the system's `board:`, else entry @index of its `boards:`.
 */
static const char *pick_board(const struct ynode *root, const char *override,
			      unsigned int index, const struct ynode **where)
{
	const struct ynode *n, *list = ymap_get(root, "boards");

	*where = NULL;
	if (override)
		return override;
	n = string_at(ymap_get(root, "board"));
	if (!n && list && list->kind == YNODE_SEQ && index < list->len)
		n = string_at(ynode_kid(list, index));
	*where = n;
	return n ? n->str : NULL;
}

/* Whether boards: entry @entry (a name or a path) is the board named @name. */
static bool names_board(const char *entry, const char *name)
{
	const char *base = strrchr(entry, '/');
	size_t n;

	if (!strcmp(entry, name))
		return true;
	base = base ? base + 1 : entry;
	n = strlen(name);
	return !strncmp(base, name, n) &&
	       (!strcmp(base + n, ".yaml") || !strcmp(base + n, ".yml"));
}

/* Check `board`/`boards`/`per-board` agree with each other. */
static void check_board_keys(const struct ynode *root, struct diag_list *dl)
{
	const struct ynode *list = ymap_get(root, "boards"), *per, *k, *v, *b;
	uint32_t i, j;
	bool found;

	if (ymap_get(root, "board") && list)
		diag_report(dl, RULE_CONFLICTING_KEYS,
			    ynode_loc(ymap_key_node(root, "boards")),
			    "give either 'board' or 'boards', not both");
	per = ymap_get(root, "per-board");
	if (!per || per->kind != YNODE_MAP || !list || list->kind != YNODE_SEQ)
		return;
	ymap_for_each(per, i, k, v) {
		(void)v;
		found = false;
		yseq_for_each(list, j, b)
			found |= b->kind == YNODE_SCALAR &&
				 names_board(b->str, k->str);
		if (!found)
			diag_report(
				dl, RULE_UNKNOWN_BOARD, ynode_loc(k),
				"per-board entry '%s' is not one of this system's boards",
				k->str);
	}
}

/* The system tree as seen on the loaded board: base + its overrides. */
static const struct ynode *system_for_board(struct sphc_input *in,
					    const char *spec)
{
	const struct ynode *root = in->system->doc.root;
	const struct ynode *per = ymap_get(root, "per-board"), *over = NULL;

	if (per && per->kind == YNODE_MAP) {
		over = ymap_get(per, spec);
		if (!over && in->board.name)
			over = ymap_get(per, in->board.name);
	}
	if (!over || over->kind != YNODE_MAP)
		return root;
	return ynode_merge(&in->system->doc, root, over);
}

enum sphc_status input_load_system(struct sphc_input *in,
				   struct input_system *s,
				   const char *board_override,
				   unsigned int board_index,
				   struct diag_list *dl)
{
	const struct ynode *where, *root;
	enum sphc_status st;
	const char *spec;
	char *dir;

	memset(in, 0, sizeof(*in));
	in->system = s;
	s->refs++;
	if (s->status != SPHC_OK)
		return s->status;
	root = s->doc.root;
	spec = pick_board(root, board_override, board_index, &where);
	if (!spec) {
		st = validate(root, SCHEMA_SYSTEM, &s->doc, dl);
		if (st != SPHC_OK)
			return st;
		diag_report(
			dl, RULE_UNKNOWN_BOARD, ynode_loc(root),
			"no board given: add 'board: NAME' to the system or pass --board");
		return SPHC_FINDINGS;
	}
	dir = board_override ? NULL : dir_of(s->src->path);
	st = load_board(in, spec, dir, where, dl);
	free(dir);
	if (st == SPHC_FAILED)
		return st;
	if (st == SPHC_OK)
		root = system_for_board(in, spec);
	check_board_keys(root, dl);
	if (validate(root, SCHEMA_SYSTEM, &s->doc, dl) != SPHC_OK ||
	    st != SPHC_OK)
		return st == SPHC_OK ? SPHC_FINDINGS : st;
	if (model_system_from_yaml(root, &in->sys, dl))
		return SPHC_FINDINGS;
	model_resolve(&in->sys, &in->board, dl);
	resolve_system(&in->sys, &in->board, dl);
	check_system(&in->sys, &in->board, dl);
	in->checked = true;
	return dl->nerrors ? SPHC_FINDINGS : SPHC_OK;
}

enum sphc_status input_load(struct sphc_input *in, const char *system_path,
			    const char *board_override,
			    unsigned int board_index, struct diag_list *dl)
{
	struct input_system *s = input_system_read(system_path, dl);
	enum sphc_status st =
		input_load_system(in, s, board_override, board_index, dl);

	input_system_put(s);
	return st;
}

void input_free(struct sphc_input *in)
{
	model_system_free(&in->sys);
	model_board_free(&in->board);
	ydoc_free(&in->board_doc);
	source_free_all(in->sources);
	input_system_put(in->system);
	free(in->board_path);
	memset(in, 0, sizeof(*in));
}
