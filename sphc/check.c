// SPDX-License-Identifier: MIT
/*
 * Structural rules: names, references and CPU ids.
 * Each rule is one function, listed in a table by its rule id.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

struct named {
	const char *name;
	const char *kind;	/* "cell", "shared region", "device" */
	const struct ynode *node;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->node->line != y->node->line)
		return x->node->line < y->node->line ? -1 : 1;
	return x->node->col < y->node->col ? -1 : x->node->col > y->node->col;
}

/* Report every name given twice; sorting keeps this O(n log n). */
static void report_duplicates(struct named *v, size_t n, const char *scope,
			      struct diag_list *dl)
{
	size_t i, first = 0;

	qsort(v, n, sizeof(*v), named_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].name, v[first].name)) {
			first = i;
			continue;
		}
		diag_error(dl, "duplicate-name", ynode_loc(v[i].node),
			   "%s name '%s' is already used by a %s%s", v[i].kind,
			   v[i].name, v[first].kind, scope);
		diag_note(dl, ynode_loc(v[first].node), "'%s' first declared here",
			  v[first].name);
	}
}

static void check_duplicate_names(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	struct named *v = xcalloc(s->ncells + s->nshared + 1, sizeof(*v));
	size_t i, n = 0;

	/* Cells and shared regions share one namespace: both become symbols. */
	for (i = 0; i < s->ncells; i++)
		v[n++] = (struct named){ s->cells[i].name, "cell",
					 s->cells[i].name_node };
	for (i = 0; i < s->nshared; i++)
		v[n++] = (struct named){ s->shared[i].name, "shared region",
					 s->shared[i].name_node };
	report_duplicates(v, n, "", c->dl);
	free(v);
}

static void check_cell_duplicate_devices(struct check_ctx *c)
{
	size_t i, j, k;

	for (i = 0; i < c->sys->ncells; i++) {
		const struct m_cell *cell = &c->sys->cells[i];

		for (j = 1; j < cell->ndevices; j++)
			for (k = 0; k < j; k++) {
				if (strcmp(cell->devices[j].name,
					   cell->devices[k].name))
					continue;
				diag_error(c->dl, "duplicate-name",
					   ynode_loc(cell->devices[j].node),
					   "device '%s' is listed twice in cell '%s'",
					   cell->devices[j].name, cell->name);
				diag_note(c->dl, ynode_loc(cell->devices[k].node),
					  "first listed here");
				break;
			}
	}
}

static bool board_has_cpu(const struct m_board *b, uint32_t id)
{
	size_t i;

	for (i = 0; i < b->ncpus; i++)
		if (b->cpus[i].id == id)
			return true;
	return false;
}

static void check_idset_cpus(struct check_ctx *c, const struct m_idset *set,
			     const char *owner)
{
	const struct m_board *b = c->board;
	size_t i;
	uint32_t id;

	for (i = 0; i < set->nranges; i++) {
		const struct m_idrange *r = &set->ranges[i];

		for (id = r->lo; id <= r->hi; id++) {
			if (board_has_cpu(b, id))
				continue;
			diag_error(c->dl, "cpu-not-on-board", ynode_loc(r->node),
				   "CPU %u of %s is not on board '%s', which has %zu CPU%s",
				   id, owner, b->name, b->ncpus,
				   b->ncpus == 1 ? "" : "s");
			diag_note(c->dl, ynode_loc(ymap_get(b->root, "cpus")),
				  "board '%s' declares its CPUs here", b->name);
			break;	/* one report per written id or range */
		}
	}
}

static void check_cpus_on_board(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->sys->ncells; i++) {
		char *owner = xasprintf("cell '%s'", c->sys->cells[i].name);

		check_idset_cpus(c, &c->sys->cells[i].cpus, owner);
		free(owner);
	}
}

static const struct {
	const char *rule;
	void (*fn)(struct check_ctx *c);
} system_checks[] = {
	{ "duplicate-name", check_duplicate_names },
	{ "duplicate-name", check_cell_duplicate_devices },
	{ "cpu-not-on-board", check_cpus_on_board },
};

void check_system(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl)
{
	struct check_ctx c = { s, b, dl };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(system_checks); i++)
		system_checks[i].fn(&c);
}

/* --- board sanity ----------------------------------------------------- */

void check_board(const struct m_board *b, struct diag_list *dl)
{
	struct named *v = xcalloc(b->ndevices + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < b->ndevices; i++)
		v[i] = (struct named){ b->devices[i].name, "device",
				       ymap_get(b->devices[i].node, "name") };
	report_duplicates(v, b->ndevices, " on this board", dl);
	free(v);
	if (b->console && !board_device(b, b->console))
		diag_error(dl, "unknown-device", ynode_loc(b->console_node),
			   "console '%s' is not a device of board '%s'",
			   b->console, b->name);
}
