// SPDX-License-Identifier: MIT
/*
 * The checker: runs the check function of every rule of the rule table
 * (diag/rules.def) that is on; the structural rules (names, CPU ids), board
 * sanity and the helpers the rule files share. The conflict and lint
 * catalogue lives in mem.c, irq.c, color.c and cell.c.
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/internal.h"
#include "lib/quote.h"
#include "lib/util.h"

struct named {
	const char *name;
	const char *kind; /* "cell", "shared region", "device" */
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
		diag_report(dl, RULE_DUPLICATE_NAME, ynode_loc(v[i].node),
			    "%s name '%s' is already used by a %s%s", v[i].kind,
			    v[i].name, v[first].kind, scope);
		diag_note(dl, ynode_loc(v[first].node),
			  "'%s' first declared here", v[first].name);
	}
}

static void duplicate_symbols(struct check_ctx *c)
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

static void duplicate_cell_devices(struct check_ctx *c)
{
	size_t i, j, k;

	for (i = 0; i < c->sys->ncells; i++) {
		const struct m_cell *cell = &c->sys->cells[i];

		for (j = 1; j < cell->ndevices; j++)
			for (k = 0; k < j; k++) {
				if (strcmp(cell->devices[j].name,
					   cell->devices[k].name))
					continue;
				diag_report(
					c->dl, RULE_DUPLICATE_NAME,
					ynode_loc(cell->devices[j].node),
					"device '%s' is listed twice in cell '%s'",
					cell->devices[j].name, cell->name);
				diag_note(c->dl,
					  ynode_loc(cell->devices[k].node),
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
			diag_report(
				c->dl, RULE_CPU_NOT_ON_BOARD,
				ynode_loc(r->node),
				"CPU %u of %s is not on board '%s', which has %zu CPU%s",
				id, owner, b->name, b->ncpus,
				b->ncpus == 1 ? "" : "s");
			diag_note(c->dl, ynode_loc(ymap_get(b->root, "cpus")),
				  "board '%s' declares its CPUs here", b->name);
			break; /* one report per written id or range */
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

/* Names become symbols in the outputs: each must be unique in its scope. */
static void check_duplicate_names(struct check_ctx *c)
{
	duplicate_symbols(c);
	duplicate_cell_devices(c);
}

/* --- names that make one C identifier ------------------------------------- */

struct ident {
	char *id; /* c_ident() of name */
	const char *name;
	const struct ynode *node;
};

static int ident_cmp(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->node->line != y->node->line)
		return x->node->line < y->node->line ? -1 : 1;
	return x->node->col < y->node->col ? -1 : x->node->col > y->node->col;
}

/*
 * Report each name whose identifier an earlier, different name already
 * makes; @what names the kind, @where what the generated files would
 * define twice ("%s": the identifier). Frees the identifiers.
 */
static void report_idents(struct ident *v, size_t n, const char *what,
			  const char *where, struct diag_list *dl)
{
	size_t i, first = 0;

	qsort(v, n, sizeof(*v), ident_cmp);
	for (i = 0; i < n; i++) {
		char *twice;

		if (strcmp(v[i].id, v[first].id))
			first = i;
		if (i == first || !strcmp(v[i].name, v[first].name))
			continue; /* duplicate-name's */
		twice = xasprintf(where, v[i].id);
		diag_report(
			dl, RULE_IDENT_COLLISION, ynode_loc(v[i].node),
			"%s '%s' makes the C identifier %s, as %s '%s' does: %s",
			what, v[i].name, v[i].id, what, v[first].name, twice);
		diag_note(dl, ynode_loc(v[first].node), "'%s' declared here",
			  v[first].name);
		free(twice);
	}
	for (i = 0; i < n; i++)
		free(v[i].id);
}

/*
 * Every macro of the cell headers (backends/ld/ld.c cell_h(): CELL_<CELL>_
 * then a fixed suffix, MEM<n>_*, <DEVICE>_* or SHM_<SHARED>_*), with what
 * makes it. Two different things making one macro is a clash the name
 * checks above cannot see: a device named 'dtb' or 'mem0' (the fixed
 * CELL_X_DTB_BASE, CELL_X_MEM0_BASE), a device 'shm-a' beside a shared
 * region 'a', or cell 'a' with device 'b-c' and cell 'a-b' with device
 * 'c' (the same CELL_A_B_C_BASE in two headers).
 */
struct macro {
	char *name;
	char *key;  /* what makes it; equal keys: reported above already */
	char *what; /* "device 'x' of cell 'y'", for the message */
	const struct ynode *node;
	size_t cell;
};

struct macros {
	struct macro *v;
	size_t n, cap;
};

static void macro_add(struct macros *m, size_t cell, const char *cid,
		      const char *suffix, const char *key, const char *what,
		      const struct ynode *node)
{
	VEC_RESERVE(m->v, m->n, m->cap);
	m->v[m->n++] =
		(struct macro){ xasprintf("CELL_%s_%s", cid, suffix),
				xstrdup(key), xstrdup(what), node, cell };
}

static int macro_cmp(const void *a, const void *b)
{
	const struct macro *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->node->line != y->node->line)
		return x->node->line < y->node->line ? -1 : 1;
	return x->node->col < y->node->col ? -1 : x->node->col > y->node->col;
}

/*
 * Whether a MEM<n>_* macro can clash: only with a macro made from a name
 * that contains MEM (the fixed suffixes have none followed by a digit),
 * so a million regions cost nothing when no name does.
 */
static bool any_mem_name(const struct m_system *s)
{
	size_t i, j;

	for (i = 0; i < s->ncells; i++) {
		if (strcasestr(s->cells[i].name, "mem"))
			return true;
		for (j = 0; j < s->cells[i].ndevices; j++)
			if (s->cells[i].devices[j].dev &&
			    strcasestr(s->cells[i].devices[j].dev->name, "mem"))
				return true;
	}
	for (i = 0; i < s->nshared; i++)
		if (strcasestr(s->shared[i].name, "mem"))
			return true;
	return false;
}

static void cell_macros(const struct check_ctx *c, size_t ci, bool mem,
			struct macros *m)
{
	static const char *const fixed[] = {
		"NAME",		  "ID",
		"NUM_CPUS",	  "ENTRY",
		"DTB_BASE",	  "DTB_SIZE",
		"STACK_SIZE",	  "NUM_MEM",
		"GICD_BASE",	  "TIMER_VIRT_IRQ",
		"TIMER_PHYS_IRQ", "NUM_IRQS",
		"IRQ_LIST",
	};
	static const char *const shm[] = { "BASE", "SIZE", "WRITABLE",
					   "DOORBELL" };
	const struct m_system *s = c->sys;
	const struct m_cell *cell = &s->cells[ci];
	char *cid = c_ident(cell->name), *key, *what, *id, *suffix;
	size_t i, j, k;

	key = xasprintf("cell %s", cid);
	what = xasprintf("cell '%s'", cell->name);
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		macro_add(m, ci, cid, fixed[i], key, what, cell->name_node);
	macro_add(m, ci, cid,
		  c->board->gic.version >= 3 ? "GICR_BASE" : "GICC_BASE", key,
		  what, cell->name_node);
	if (c->board->gic.version >= 3)
		macro_add(m, ci, cid, "GICR_STRIDE", key, what,
			  cell->name_node);
	free(what);
	for (i = 0; mem && i < cell->nregions; i++) {
		what = xasprintf("memory region #%zu of cell '%s'", i + 1,
				 cell->name);
		for (k = 0; k < 2; k++) {
			suffix = xasprintf("MEM%zu_%s", i, k ? "SIZE" : "BASE");
			macro_add(m, ci, cid, suffix, key, what,
				  cell->regions[i].node ? cell->regions[i].node
							: cell->name_node);
			free(suffix);
		}
		free(what);
	}
	free(key);
	for (i = 0; i < cell->ndevices; i++) {
		const struct b_device *d = cell->devices[i].dev;

		if (!d)
			continue;
		id = c_ident(d->name);
		key = xasprintf("device %s %s", cid, id);
		what = xasprintf("device '%s' of cell '%s'", d->name,
				 cell->name);
		for (j = 0; j < d->nregs; j++)
			for (k = 0; k < 2; k++) {
				suffix = j ? xasprintf("%s_REG%zu_%s", id, j,
						       k ? "SIZE" : "BASE")
					   : xasprintf("%s_%s", id,
						       k ? "SIZE" : "BASE");
				macro_add(m, ci, cid, suffix, key, what,
					  cell->devices[i].node);
				free(suffix);
			}
		for (j = 0; j < d->nirqs; j++) {
			suffix = j ? xasprintf("%s_IRQ%zu", id, j)
				   : xasprintf("%s_IRQ", id);
			macro_add(m, ci, cid, suffix, key, what,
				  cell->devices[i].node);
			free(suffix);
		}
		free(key);
		free(what);
		free(id);
	}
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];

		for (j = 0; j < sh->naccess; j++)
			if (sh->access[j].cell_index == (int)ci)
				break;
		if (j == sh->naccess)
			continue;
		id = c_ident(sh->name);
		key = xasprintf("shared %s %s", cid, id);
		what = xasprintf("shared region '%s'", sh->name);
		for (k = 0; k < ARRAY_SIZE(shm); k++) {
			if (k == 3 && !sh->doorbell)
				continue;
			suffix = xasprintf("SHM_%s_%s", id, shm[k]);
			macro_add(m, ci, cid, suffix, key, what,
				  sh->name_node ? sh->name_node : sh->node);
			free(suffix);
		}
		free(key);
		free(what);
		free(id);
	}
	free(cid);
}

static void macro_collisions(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	struct macros m = { 0 };
	char **pairs = NULL;
	size_t i, j, first = 0, npairs = 0, cap = 0;

	bool mem = any_mem_name(s);

	for (i = 0; i < s->ncells; i++)
		cell_macros(c, i, mem, &m);
	if (m.n)
		qsort(m.v, m.n, sizeof(*m.v), macro_cmp);
	for (i = 0; i < m.n; i++) {
		const struct macro *x = &m.v[i], *f;

		if (strcmp(x->name, m.v[first].name))
			first = i;
		f = &m.v[first];
		if (i == first || !strcmp(x->key, f->key))
			continue;
		/* One report per pair of things (a device's BASE and SIZE). */
		VEC_RESERVE(pairs, npairs, cap);
		pairs[npairs] = xasprintf("%s\n%s", x->key, f->key);
		for (j = 0; j < npairs && strcmp(pairs[j], pairs[npairs]); j++)
			;
		if (j < npairs) {
			free(pairs[npairs]);
			continue;
		}
		npairs++;
		if (x->cell == f->cell)
			diag_report(
				c->dl, RULE_IDENT_COLLISION,
				node_loc(c, x->node),
				"%s makes the macro %s, as %s does: the header of cell '%s' would define it twice",
				x->what, x->name, f->what,
				s->cells[x->cell].name);
		else
			diag_report(
				c->dl, RULE_IDENT_COLLISION,
				node_loc(c, x->node),
				"%s makes the macro %s, as %s does: the headers of cells '%s' and '%s' would both define it, so no payload can include both",
				x->what, x->name, f->what,
				s->cells[f->cell].name, s->cells[x->cell].name);
		diag_note(c->dl, node_loc(c, f->node), "%s declared here",
			  f->what);
	}
	for (i = 0; i < m.n; i++) {
		free(m.v[i].name);
		free(m.v[i].key);
		free(m.v[i].what);
	}
	free(m.v);
	for (i = 0; i < npairs; i++)
		free(pairs[i]);
	free(pairs);
}

static void check_ident_collisions(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	size_t n = s->ncells > s->nshared ? s->ncells : s->nshared, i, j;
	struct ident *v = xcalloc(n + 1, sizeof(*v));
	char *where, *id;

	for (i = 0; i < s->ncells; i++)
		v[i] = (struct ident){ c_ident(s->cells[i].name),
				       s->cells[i].name,
				       s->cells[i].name_node };
	report_idents(v, s->ncells, "cell",
		      "the headers of both would define SPHC_CELL_%s_H", c->dl);
	for (i = 0; i < s->nshared; i++)
		v[i] = (struct ident){ c_ident(s->shared[i].name),
				       s->shared[i].name,
				       s->shared[i].name_node };
	report_idents(
		v, s->nshared, "shared region",
		"the header of a cell mapping both would define SHM_%s_* twice",
		c->dl);
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *cell = &s->cells[i];

		v = xrealloc(v, (cell->ndevices + 1) * sizeof(*v));
		for (j = 0; j < cell->ndevices; j++)
			v[j] = (struct ident){ c_ident(cell->devices[j].name),
					       cell->devices[j].name,
					       cell->devices[j].node };
		id = c_ident(cell->name);
		where = xasprintf(
			"the header of cell '%s' would define CELL_%s_%%s_BASE twice",
			cell->name, id);
		report_idents(v, cell->ndevices, "device", where, c->dl);
		free(where);
		free(id);
	}
	free(v);
	macro_collisions(c);
}

/* The check function of each rule (the CHECK column of diag/rules.def). */
#define NONE NULL
static check_fn *const rule_checks[RULE_COUNT] = {
#define RULE(name, id, sev, group, check, summary) [RULE_##name] = check,
#include "diag/rules.def"
#undef RULE
};
#undef NONE

void check_run(struct check_ctx *c, check_fn *const checks[RULE_COUNT])
{
	unsigned int i, j;

	for (i = 0; i < RULE_COUNT; i++) {
		if (!checks[i] || !diag_enabled(c->dl, i))
			continue;
		/* A function of several rules runs once, at its first rule on.
		 */
		for (j = 0; j < i; j++)
			if (checks[j] == checks[i] && diag_enabled(c->dl, j))
				break;
		if (j == i)
			checks[i](c);
	}
}

void check_system(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl)
{
	struct check_ctx c = { s, b, dl };

	check_run(&c, rule_checks);
}

/* --- board sanity ----------------------------------------------------- */

struct mmio {
	uint64_t start, end;
	const char *name;
	const struct ynode *node;
	uint32_t order; /* position on the board, for a stable sort */
};

static int mmio_cmp(const void *a, const void *b)
{
	const struct mmio *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void add_mmio(struct mmio *v, size_t *n, const struct b_reg *r,
		     const char *name, const struct ynode *fallback)
{
	if (!r->size)
		return;
	v[*n] = (struct mmio){ r->base, end_of(r->base, r->size), name,
			       r->node ? r->node : fallback, (uint32_t)*n };
	(*n)++;
}

/*
 * Device (and GIC) register ranges that overlap each other: sort by
 * address, then one sweep keeping the range that reaches furthest.
 */
static void check_board_mmio(const struct m_board *b, struct diag_list *dl)
{
	const struct b_gic *g = &b->gic;
	size_t i, j, n = 0, total = GIC_N;
	struct mmio *v;
	const struct mmio *reach = NULL;

	for (i = 0; i < b->ndevices; i++)
		total += b->devices[i].nregs;
	v = xcalloc(total, sizeof(*v));
	for (i = 0; i < GIC_N; i++)
		add_mmio(v, &n, gic_reg(b, (uint32_t)i), gic_names[i], g->node);
	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nregs; j++)
			add_mmio(v, &n, &b->devices[i].regs[j],
				 b->devices[i].name, b->devices[i].node);
	qsort(v, n, sizeof(*v), mmio_cmp);
	for (i = 0; i < n; i++) {
		if (reach && reach->end > v[i].start) {
			bool dev = strncmp(v[i].name, "the ", 4);
			bool other_dev = strncmp(reach->name, "the ", 4);

			diag_report(
				dl, RULE_BOARD_MMIO_OVERLAP,
				ynode_loc(v[i].node),
				"%s%s%s [0x%llx, 0x%llx) overlaps %s%s%s [0x%llx, 0x%llx)",
				dev ? "device '" : "", v[i].name,
				dev ? "'" : "", (unsigned long long)v[i].start,
				(unsigned long long)v[i].end,
				other_dev ? "device '" : "", reach->name,
				other_dev ? "'" : "",
				(unsigned long long)reach->start,
				(unsigned long long)reach->end);
			diag_note(dl, ynode_loc(reach->node),
				  "%s%s%s declared here",
				  other_dev ? "device '" : "", reach->name,
				  other_dev ? "'" : "");
		}
		if (!reach || v[i].end > reach->end)
			reach = &v[i];
	}
	free(v);
}

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
		diag_report(dl, RULE_UNKNOWN_DEVICE, ynode_loc(b->console_node),
			    "console '%s' is not a device of board '%s'",
			    b->console, b->name);
	check_board_mmio(b, dl);
	check_board_address_space(b, dl);
}

/* --- helpers shared by the rule files --------------------------------- */

const struct b_reg *gic_reg(const struct m_board *b, uint32_t which)
{
	switch (which) {
	case GIC_DIST:
		return &b->gic.distributor;
	case GIC_REDIST:
		return &b->gic.redistributor;
	case GIC_CPUIF:
		return &b->gic.cpu_interface;
	case GIC_VCTRL:
		return &b->gic.virtual_control;
	default:
		return &b->gic.virtual_cpu_interface;
	}
}

const char *const gic_names[GIC_N] = { "the GIC distributor",
				       "the GIC redistributors",
				       "the GIC CPU interface",
				       "the GIC virtual interface control",
				       "the GIC virtual CPU interface" };

bool region_where(const struct m_region *r, struct where *w)
{
	uint64_t pa, span, ipa;

	if (r->place.placed) {
		pa = r->place.pa;
		span = r->place.span;
		ipa = r->place.ipa;
		w->colored = r->place.colored;
	} else if (r->has_base) {
		/* Not resolved (unit tests): as written. */
		pa = r->base;
		span = r->size;
		ipa = r->has_ipa ? r->ipa : r->base;
		w->colored = false;
	} else {
		return false;
	}
	w->pa = pa;
	w->end = end_of(pa, span);
	w->ipa = ipa;
	w->ipa_end = end_of(ipa, r->size);
	return true;
}

bool shared_where(const struct m_shared *sh, struct where *w)
{
	uint64_t pa, span;

	if (sh->place.placed) {
		pa = sh->place.pa;
		span = sh->place.span;
	} else if (sh->has_base) {
		pa = sh->base;
		span = sh->size;
	} else {
		return false;
	}
	/* Shared regions are never colored: every peer sees the same bytes. */
	w->colored = false;
	w->pa = pa;
	w->end = end_of(pa, span);
	w->ipa = sh->place.placed ? sh->place.ipa : pa;
	w->ipa_end = end_of(w->ipa, sh->size);
	return true;
}

static uint64_t key_at(const unsigned char *e, size_t off, unsigned int bytes)
{
	uint64_t k = 0;
	uint32_t k32;

	if (bytes == 4) {
		memcpy(&k32, e + off, 4);
		return k32;
	}
	memcpy(&k, e + off, 8);
	return k;
}

#define SMALL_TAIL 32

/*
 * How many elements from the start of @order are sorted already: regions
 * are mostly listed by address, and one sequential pass costs less than a
 * sort.
 */
static size_t sorted_prefix(const unsigned char *b, size_t n, size_t size,
			    size_t off, unsigned int key_bytes,
			    const uint32_t *order)
{
	uint64_t prev = key_at(b + (size_t)order[0] * size, off, key_bytes), k;
	size_t i;

	for (i = 1; i < n; i++) {
		k = key_at(b + (size_t)order[i] * size, off, key_bytes);
		if (k < prev)
			return i;
		prev = k;
	}
	return n;
}

/*
 * A sorted prefix and a few elements after it (a cell's regions, then its
 * devices and the GIC): sort the tail by insertion, then merge, both
 * stably (on equal keys the prefix, which came first, stays first).
 */
static void merge_small_tail(const unsigned char *b, size_t n, size_t size,
			     size_t off, unsigned int key_bytes,
			     uint32_t *order, size_t p)
{
	uint32_t *out = xmalloc(n * sizeof(*out)), x;
	size_t i, j, k;
	uint64_t kx;

	for (i = p + 1; i < n; i++) {
		x = order[i];
		kx = key_at(b + (size_t)x * size, off, key_bytes);
		for (j = i; j > p && key_at(b + (size_t)order[j - 1] * size,
					    off, key_bytes) > kx;
		     j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
	for (i = 0, j = p, k = 0; i < p || j < n;) {
		if (j == n ||
		    (i < p &&
		     key_at(b + (size_t)order[i] * size, off, key_bytes) <=
			     key_at(b + (size_t)order[j] * size, off,
				    key_bytes)))
			out[k++] = order[i++];
		else
			out[k++] = order[j++];
	}
	memcpy(order, out, n * sizeof(*out));
	free(out);
}

uint32_t *radix_order(const void *base, size_t n, size_t size, size_t off,
		      unsigned int key_bytes, uint32_t *order)
{
	/* Wide digits for many elements, narrow ones for a small table. */
	unsigned int bits = n >= 1u << 16 ? 16 : 8, buckets = 1u << bits;
	unsigned int digits = 8 * key_bytes / bits, mask = buckets - 1, d, dig;
	const unsigned char *b = base;
	uint32_t *count, *c, *tmp, *t, *both = NULL, sum, k;
	uint64_t key;
	size_t i, prefix;

	if (n > UINT32_MAX) {
		fputs("sphc: internal error: too many items to sort\n", stderr);
		exit(2);
	}
	if (!order) {
		/* With its scratch copy: one block big enough for huge pages.
		 */
		both = xmalloc((n ? 2 * n : 1) * sizeof(*order));
		order = both;
		for (i = 0; i < n; i++)
			order[i] = (uint32_t)i;
	}
	if (n < 2)
		return order;
	prefix = sorted_prefix(b, n, size, off, key_bytes, order);
	if (n - prefix <= SMALL_TAIL) {
		if (prefix < n)
			merge_small_tail(b, n, size, off, key_bytes, order,
					 prefix);
		return order;
	}
	/* Every digit's histogram in one pass: they do not depend on order. */
	count = xcalloc((size_t)digits * buckets, sizeof(*count));
	for (i = 0; i < n; i++) {
		key = key_at(b + i * size, off, key_bytes);
		for (d = 0; d < digits; d++)
			count[d * buckets + ((key >> (d * bits)) & mask)]++;
	}
	tmp = both ? both + n : xmalloc(n * sizeof(*tmp));
	for (d = 0; d < digits; d++) {
		c = count + d * buckets;
		/* All in one bucket: this digit orders nothing. */
		key = key_at(b, off, key_bytes);
		if (c[(key >> (d * bits)) & mask] == n)
			continue;
		for (dig = 0, sum = 0; dig < buckets; dig++) {
			k = c[dig];
			c[dig] = sum;
			sum += k;
		}
		for (i = 0; i < n; i++) {
			const unsigned char *e = b + (size_t)order[i] * size;

			if (i + PREFETCH < n)
				__builtin_prefetch(
					b + (size_t)order[i + PREFETCH] * size);
			key = key_at(e, off, key_bytes);
			tmp[c[(key >> (d * bits)) & mask]++] = order[i];
		}
		t = order;
		order = tmp;
		tmp = t;
	}
	free(count);
	if (!both) {
		free(tmp);
		return order;
	}
	/* The caller frees the block: the order goes to its start. */
	if (order != both)
		memcpy(both, order, n * sizeof(*order));
	return both;
}

struct loc node_loc(const struct check_ctx *c, const struct ynode *n)
{
	return ynode_loc(n ? n : c->sys->root);
}

void idset_bits(const struct m_idset *set, uint32_t limit, colorset_t *out)
{
	size_t i;
	uint32_t id;

	if (limit > SPHC_MAX_COLORS)
		limit = SPHC_MAX_COLORS;
	for (i = 0; i < set->nranges; i++)
		for (id = set->ranges[i].lo;
		     id <= set->ranges[i].hi && id < limit; id++)
			colorset_add(out, id);
}

const char *fmt_ids(const colorset_t *set, uint32_t limit, char *buf,
		    size_t len)
{
	size_t used = 0;
	int c, last;

	buf[0] = '\0';
	for_each_color(set, limit, c) {
		/* Find the end of the run starting at c. */
		last = c;
		while ((uint32_t)last + 1 < limit &&
		       colorset_has(set, (uint32_t)last + 1))
			last++;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
						 last > c ? "%s%d-%d" : "%s%d",
						 used ? ", " : "", c, last);
		c = last;
	}
	return buf;
}

bool cell_colored(const struct check_ctx *c, const struct m_cell *cell)
{
	return board_colors(c->board) > 0 &&
	       (!colorset_empty(&cell->colorset) ||
		(cell->colors.node && cell->colors.nranges));
}

static void add_owner(struct dev_owners *d, int owner, const struct ynode *ref)
{
	if (d->owner[0] == OWNER_NONE) {
		d->owner[0] = owner;
		d->ref[0] = ref;
	} else if (d->owner[0] != owner && d->owner[1] == OWNER_NONE) {
		d->owner[1] = owner;
		d->ref[1] = ref;
	}
}

struct dev_owners *device_owners(const struct check_ctx *c)
{
	const struct m_board *b = c->board;
	const struct m_system *s = c->sys;
	struct dev_owners *v = xcalloc(b->ndevices + 1, sizeof(*v));
	const struct m_cell *cell;
	size_t i, j;

	for (i = 0; i < b->ndevices; i++)
		v[i].owner[0] = v[i].owner[1] = OWNER_NONE;
	if (s->hyp.console_dev)
		add_owner(&v[s->hyp.console_dev - b->devices], OWNER_HYP,
			  s->hyp.console_node ? s->hyp.console_node
					      : b->console_node);
	for_each_cell(s, i, cell)
		for (j = 0; j < cell->ndevices; j++)
			if (cell->devices[j].dev)
				add_owner(&v[cell->devices[j].dev - b->devices],
					  (int)i, cell->devices[j].node);
	return v;
}

const char *owner_name(const struct check_ctx *c, int owner, char *buf,
		       size_t len)
{
	if (owner == OWNER_HYP)
		snprintf(buf, len, "the hypervisor");
	else
		snprintf(buf, len, "cell '%s'", c->sys->cells[owner].name);
	return buf;
}

void report_id_conflicts(struct check_ctx *c, enum rule_id rule,
			 const char *noun, const char *verb,
			 const struct idpiece *v, size_t n,
			 const char *const *owner_names, uint32_t limit)
{
	int first[SPHC_MAX_COLORS], partners[SPHC_MAX_COLORS];
	const struct ynode *first_node[SPHC_MAX_COLORS];
	char ids[6 * SPHC_MAX_COLORS];
	size_t i = 0, end, k, np, q;
	int id, id2, p, o;

	for (k = 0; k < SPHC_MAX_COLORS; k++)
		first[k] = -1;
	while (i < n) {
		o = v[i].owner;
		for (end = i; end < n && v[end].owner == o; end++)
			;
		for (k = i; k < end; k++) {
			np = 0;
			for_each_color(&v[k].ids, limit, id) {
				colorset_t both = { { 0 } };

				p = first[id];
				if (p < 0 || p == o)
					continue;
				for (q = 0; q < np && partners[q] != p; q++)
					;
				if (q < np)
					continue;
				partners[np++] = p;
				/* The ids of this piece that @p had first. */
				for_each_color(&v[k].ids, limit, id2)
					if (first[id2] == p)
						colorset_add(&both,
							     (uint32_t)id2);
				fmt_ids(&both, limit, ids, sizeof(ids));
				diag_report(c->dl, rule, node_loc(c, v[k].node),
					    "%s%s %s of %s %s also %s %s", noun,
					    colorset_count(&both) > 1 ? "s"
								      : "",
					    ids, owner_names[o],
					    colorset_count(&both) > 1 ? "are"
								      : "is",
					    verb, owner_names[p]);
				diag_note(c->dl, node_loc(c, first_node[id]),
					  "%s gets %s %d here", owner_names[p],
					  noun, id);
			}
		}
		for (k = i; k < end; k++)
			for_each_color(&v[k].ids, limit, id)
				if (first[id] < 0) {
					first[id] = o;
					first_node[id] = v[k].node;
				}
		i = end;
	}
}
