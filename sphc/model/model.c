// SPDX-License-Identifier: MIT
/*
 * YAML tree -> model. The schema has already checked shapes and types, so
 * this file only converts: it reports what the schema cannot see (64-bit
 * overflow, ranges that run backwards) and otherwise trusts the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "sph/color.h"
#include "front/number.h"
#include "lib/util.h"

/* --- values --------------------------------------------------------- */

struct conv {
	struct diag_list *dl;
	int errors;
	struct m_region *next_region; /* the system's pool, cell by cell */
};

static const char *str_of(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR ? n->str : NULL;
}

static bool bool_of(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && n->type == YS_BOOL &&
	       (n->str[0] == 't' || n->str[0] == 'T');
}

static void number_error(struct conv *c, const struct ynode *n,
			 enum num_err err, const char *what)
{
	diag_report(c->dl,
		    err == NUM_OVERFLOW ? RULE_NUMBER_OVERFLOW : RULE_BAD_VALUE,
		    ynode_loc(n), "%s '%s' %s", what, n->str,
		    num_strerror(err));
	c->errors++;
}

/* A size or address: an integer, or a decimal with a K/M/G suffix. */
static uint64_t size_of(struct conv *c, const struct ynode *n, const char *what)
{
	uint64_t v = 0;
	enum num_err err;

	if (!n || n->kind != YNODE_SCALAR)
		return 0;
	err = num_parse_size(n->str, n->len, &v);
	if (err)
		number_error(c, n, err, what);
	return v;
}

static uint32_t u32_of(struct conv *c, const struct ynode *n, const char *what)
{
	uint64_t v = 0;
	enum num_err err;

	if (!n || n->kind != YNODE_SCALAR)
		return 0;
	err = num_parse_u64(n->str, n->len, &v);
	if (!err && v > UINT32_MAX)
		err = NUM_OVERFLOW;
	if (err) {
		number_error(c, n, err, what);
		return 0;
	}
	return (uint32_t)v;
}

static void add_range(struct conv *c, struct m_idset *set,
		      const struct ynode *n, const char *what)
{
	uint64_t lo = 0, hi = 0;
	enum num_err err = num_parse_range(n->str, n->len, &lo, &hi);
	struct m_idrange *r;

	if (!err && hi > UINT32_MAX)
		err = NUM_OVERFLOW;
	if (err) {
		diag_report(c->dl,
			    err == NUM_RANGE_ORDER ? RULE_BAD_RANGE
			    : err == NUM_OVERFLOW  ? RULE_NUMBER_OVERFLOW
						   : RULE_BAD_VALUE,
			    ynode_loc(n), "%s '%s' %s", what, n->str,
			    num_strerror(err));
		c->errors++;
		return;
	}
	set->ranges = xrealloc(set->ranges,
			       (set->nranges + 1) * sizeof(*set->ranges));
	r = &set->ranges[set->nranges++];
	r->lo = (uint32_t)lo;
	r->hi = (uint32_t)hi;
	r->node = n;
}

/*
 * An id set: an integer count, a range string ("3-7"), or a list of ids and
 * ranges. @count_allowed: whether a bare integer means a count.
 */
static void idset_of(struct conv *c, const struct ynode *n, struct m_idset *set,
		     const char *what)
{
	const struct ynode *item;
	uint32_t i;

	memset(set, 0, sizeof(*set));
	set->node = n;
	if (!n)
		return;
	if (n->kind == YNODE_SCALAR && n->type == YS_INT) {
		set->by_count = true;
		set->count = u32_of(c, n, what);
		return;
	}
	if (n->kind == YNODE_SCALAR) {
		add_range(c, set, n, what);
		return;
	}
	yseq_for_each(n, i, item)
		add_range(c, set, item, what);
}

static void region_of(struct conv *c, const struct ynode *n, struct m_region *r)
{
	const struct ynode *v;

	memset(r, 0, sizeof(*r));
	r->node = n;
	r->size = size_of(c, ymap_get(n, "size"), "size");
	v = ymap_get(n, "base");
	if (v) {
		r->has_base = true;
		r->base = size_of(c, v, "base address");
	}
	v = ymap_get(n, "ipa");
	if (v) {
		r->has_ipa = true;
		r->ipa = size_of(c, v, "guest-physical address");
	}
}

static void reg_of(struct conv *c, const struct ynode *n, struct b_reg *r)
{
	memset(r, 0, sizeof(*r));
	if (!n)
		return;
	r->node = n;
	r->name = str_of(ymap_get(n, "name"));
	r->base = size_of(c, ymap_get(n, "base"), "base address");
	r->size = size_of(c, ymap_get(n, "size"), "size");
}

/* Allocate an array for the items of sequence @n (NULL or empty: none). */
static void *array_for(const struct ynode *n, size_t elem, size_t *count)
{
	*count = n && n->kind == YNODE_SEQ ? n->len : 0;
	return *count ? xcalloc(*count, elem) : NULL;
}

/* --- board ---------------------------------------------------------- */

static void board_device_of(struct conv *c, const struct ynode *n,
			    struct b_device *d)
{
	const struct ynode *v, *item;
	uint32_t i;

	d->node = n;
	d->name = str_of(ymap_get(n, "name"));
	d->shareable = bool_of(ymap_get(n, "shareable"));
	d->dt_path = str_of(ymap_get(n, "dt-path"));
	v = ymap_get(n, "compatible");
	if (v && v->kind == YNODE_SCALAR) {
		d->compatible = xcalloc(1, sizeof(*d->compatible));
		d->compatible[0] = v->str;
		d->ncompatible = 1;
	} else if (v) {
		d->compatible =
			array_for(v, sizeof(*d->compatible), &d->ncompatible);
		yseq_for_each(v, i, item)
			d->compatible[i] = item->str;
	}
	v = ymap_get(n, "reg");
	d->regs = array_for(v, sizeof(*d->regs), &d->nregs);
	for (i = 0; i < d->nregs; i++)
		reg_of(c, ynode_kid(v, i), &d->regs[i]);
	v = ymap_get(n, "irqs");
	d->irqs = array_for(v, sizeof(*d->irqs), &d->nirqs);
	for (i = 0; i < d->nirqs; i++) {
		const struct ynode *num = item = ynode_kid(v, i);
		const char *trig;

		if (item->kind == YNODE_MAP) {
			num = ymap_get(item, "irq");
			trig = str_of(ymap_get(item, "trigger"));
			if (trig && !strcmp(trig, "edge"))
				d->irqs[i].trigger = TRIGGER_EDGE;
		}
		d->irqs[i].intid = u32_of(c, num, "interrupt");
		d->irqs[i].node = item;
	}
	v = ymap_get(n, "stream-ids");
	d->stream_ids = array_for(v, sizeof(*d->stream_ids), &d->nstream_ids);
	for (i = 0; i < d->nstream_ids; i++)
		d->stream_ids[i] = u32_of(c, ynode_kid(v, i), "stream id");
}

static void board_gic_of(struct conv *c, const struct ynode *n, struct b_gic *g)
{
	const struct ynode *r;

	memset(g, 0, sizeof(*g));
	g->node = n;
	if (!n)
		return;
	g->version = u32_of(c, ymap_get(n, "version"), "GIC version");
	reg_of(c, ymap_get(n, "distributor"), &g->distributor);
	r = ymap_get(n, "redistributor");
	reg_of(c, r, &g->redistributor);
	if (r)
		g->redistributor_stride =
			size_of(c, ymap_get(r, "stride"), "stride");
	reg_of(c, ymap_get(n, "cpu-interface"), &g->cpu_interface);
	reg_of(c, ymap_get(n, "virtual-control"), &g->virtual_control);
	reg_of(c, ymap_get(n, "virtual-cpu-interface"),
	       &g->virtual_cpu_interface);
	g->maintenance_irq =
		u32_of(c, ymap_get(n, "maintenance-irq"), "interrupt");
	g->spis = u32_of(c, ymap_get(n, "spis"), "SPI count");
}

int model_board_from_yaml(const struct ynode *root, struct m_board *b,
			  struct diag_list *dl)
{
	struct conv c = { dl, 0 };
	const struct ynode *v, *t;
	uint32_t i;

	memset(b, 0, sizeof(*b));
	b->root = root;
	b->name = str_of(ymap_get(root, "name"));
	b->description = str_of(ymap_get(root, "description"));
	b->arch_node = ymap_get(root, "arch");
	b->arm32 = b->arch_node && str_of(b->arch_node) &&
		   !strcmp(str_of(b->arch_node), "arm");
	v = ymap_get(root, "page-size");
	b->page_size = v ? size_of(&c, v, "page size") : 4096;
	v = ymap_get(root, "cpus");
	b->cpus = array_for(v, sizeof(*b->cpus), &b->ncpus);
	for (i = 0; i < b->ncpus; i++) {
		b->cpus[i].node = ynode_kid(v, i);
		b->cpus[i].id =
			u32_of(&c, ymap_get(ynode_kid(v, i), "id"), "CPU id");
		b->cpus[i].mpidr = size_of(
			&c, ymap_get(ynode_kid(v, i), "mpidr"), "MPIDR");
	}
	v = ymap_get(root, "memory");
	b->ram = array_for(v, sizeof(*b->ram), &b->nram);
	for (i = 0; i < b->nram; i++)
		reg_of(&c, ynode_kid(v, i), &b->ram[i]);
	v = ymap_get(root, "cache");
	if (v) {
		b->llc_size =
			size_of(&c, ymap_get(v, "llc-size"), "cache size");
		b->llc_ways = u32_of(&c, ymap_get(v, "llc-ways"), "cache ways");
		b->line_size =
			size_of(&c, ymap_get(v, "line-size"), "line size");
	}
	board_gic_of(&c, ymap_get(root, "gic"), &b->gic);
	t = ymap_get(ymap_get(root, "timer"), "irqs");
	b->timer_hyp = u32_of(&c, ymap_get(t, "hyp"), "interrupt");
	b->timer_virt = u32_of(&c, ymap_get(t, "virt"), "interrupt");
	b->timer_phys = u32_of(&c, ymap_get(t, "phys"), "interrupt");
	b->timer_secure = u32_of(&c, ymap_get(t, "secure"), "interrupt");
	b->console_node = ymap_get(root, "console");
	b->console = str_of(b->console_node);
	v = ymap_get(root, "devices");
	b->devices = array_for(v, sizeof(*b->devices), &b->ndevices);
	for (i = 0; i < b->ndevices; i++)
		board_device_of(&c, ynode_kid(v, i), &b->devices[i]);
	v = ymap_get(root, "iommus");
	b->iommus = array_for(v, sizeof(*b->iommus), &b->niommus);
	for (i = 0; i < b->niommus; i++)
		reg_of(&c, ynode_kid(v, i), &b->iommus[i]);
	return c.errors;
}

void model_board_free(struct m_board *b)
{
	size_t i;

	for (i = 0; i < b->ndevices; i++) {
		free(b->devices[i].compatible);
		free(b->devices[i].regs);
		free(b->devices[i].irqs);
		free(b->devices[i].stream_ids);
	}
	free(b->devices);
	free(b->iommus);
	free(b->cpus);
	free(b->ram);
	memset(b, 0, sizeof(*b));
}

uint32_t board_colors(const struct m_board *b)
{
	return sph_color_count(b->llc_size, b->llc_ways, b->page_size);
}

const struct b_device *board_device(const struct m_board *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->ndevices; i++)
		if (b->devices[i].name && !strcmp(b->devices[i].name, name))
			return &b->devices[i];
	return NULL;
}

/* --- system --------------------------------------------------------- */

static void cell_devices_of(const struct ynode *v, struct m_cell *cell)
{
	const struct ynode *item;
	uint32_t i;

	cell->devices = array_for(v, sizeof(*cell->devices), &cell->ndevices);
	for (i = 0; i < cell->ndevices; i++) {
		item = ynode_kid(v, i);
		cell->devices[i].node =
			item->kind == YNODE_MAP ? ymap_get(item, "name") : item;
		cell->devices[i].name = str_of(cell->devices[i].node);
	}
}

static void cell_irqs_of(struct conv *c, const struct ynode *v,
			 struct m_cell *cell)
{
	const struct ynode *item, *p;
	uint32_t i;

	cell->irqs = array_for(v, sizeof(*cell->irqs), &cell->nirqs);
	for (i = 0; i < cell->nirqs; i++) {
		struct m_irq *irq = &cell->irqs[i];

		item = ynode_kid(v, i);
		irq->node = item;
		if (item->kind != YNODE_MAP) {
			irq->intid = u32_of(c, item, "interrupt");
			continue;
		}
		irq->intid = u32_of(c, ymap_get(item, "irq"), "interrupt");
		p = ymap_get(item, "priority");
		if (p) {
			irq->has_priority = true;
			irq->priority = u32_of(c, p, "priority");
		}
	}
}

static void cell_of(struct conv *c, const struct ynode *n, struct m_cell *cell)
{
	const struct ynode *v;
	uint32_t i;

	cell->node = n;
	cell->name_node = ymap_get(n, "name");
	cell->name = str_of(cell->name_node);
	cell->description = str_of(ymap_get(n, "description"));
	cell->critical = bool_of(ymap_get(n, "critical"));
	idset_of(c, ymap_get(n, "cpus"), &cell->cpus, "CPU");
	idset_of(c, ymap_get(n, "colors"), &cell->colors, "color");
	v = ymap_get(n, "memory");
	cell->nregions = v && v->kind == YNODE_SEQ ? v->len : 0;
	if (cell->nregions) {
		cell->regions = c->next_region;
		c->next_region += cell->nregions;
	}
	for (i = 0; i < cell->nregions; i++)
		region_of(c, ynode_kid(v, i), &cell->regions[i]);
	cell_devices_of(ymap_get(n, "devices"), cell);
	v = ymap_get(n, "mmio");
	cell->mmio = array_for(v, sizeof(*cell->mmio), &cell->nmmio);
	for (i = 0; i < cell->nmmio; i++) {
		const struct ynode *item = ynode_kid(v, i);

		cell->mmio[i].node = item;
		cell->mmio[i].base =
			size_of(c, ymap_get(item, "base"), "base address");
		cell->mmio[i].size = size_of(c, ymap_get(item, "size"), "size");
		cell->mmio[i].name = str_of(ymap_get(item, "name"));
	}
	cell_irqs_of(c, ymap_get(n, "irqs"), cell);
	cell->image_node = ymap_get(n, "image");
	cell->image = str_of(cell->image_node);
	cell->initrd_node = ymap_get(n, "initrd");
	cell->initrd = str_of(cell->initrd_node);
	cell->bootargs_node = ymap_get(n, "bootargs");
	cell->bootargs = str_of(cell->bootargs_node);
	cell->entry_node = ymap_get(n, "entry");
	if (cell->entry_node)
		cell->entry = size_of(c, cell->entry_node, "entry point");
}

static void shared_of(struct conv *c, const struct ynode *n,
		      struct m_shared *sh)
{
	const struct ynode *access = ymap_get(n, "access"), *k, *v;
	uint32_t i;

	sh->node = n;
	sh->name_node = ymap_get(n, "name");
	sh->name = str_of(sh->name_node);
	sh->size_node = ymap_get(n, "size");
	sh->size = size_of(c, sh->size_node, "size");
	v = ymap_get(n, "base");
	if (v) {
		sh->has_base = true;
		sh->base = size_of(c, v, "base address");
	}
	sh->doorbell_node = ymap_get(n, "doorbell");
	if (sh->doorbell_node && sh->doorbell_node->type == YS_INT) {
		sh->doorbell = true;
		sh->doorbell_irq = u32_of(c, sh->doorbell_node, "interrupt");
	} else {
		sh->doorbell = bool_of(sh->doorbell_node);
	}
	sh->bulk = bool_of(ymap_get(n, "bulk"));
	sh->naccess = access && access->kind == YNODE_MAP ? access->len : 0;
	sh->access =
		sh->naccess ? xcalloc(sh->naccess, sizeof(*sh->access)) : NULL;
	if (!sh->naccess)
		return;
	ymap_for_each(access, i, k, v) {
		sh->access[i].cell = k->str;
		sh->access[i].node = k;
		sh->access[i].writable = !strcmp(v->str, "rw");
		sh->access[i].cell_index = -1;
	}
}

static void hypervisor_of(struct conv *c, const struct ynode *n,
			  struct m_hypervisor *h)
{
	const struct ynode *mem = ymap_get(n, "memory");

	memset(h, 0, sizeof(*h));
	h->node = n;
	if (mem) {
		h->has_memory = true;
		region_of(c, mem, &h->memory);
	} else {
		h->memory.size = SPHC_DEFAULT_HYP_SIZE;
		h->memory.node = n;
	}
	idset_of(c, ymap_get(n, "colors"), &h->colors, "color");
	h->console_node = ymap_get(n, "console");
	h->console = str_of(h->console_node);
}

int model_system_from_yaml(const struct ynode *root, struct m_system *s,
			   struct diag_list *dl)
{
	struct conv c = { dl, 0, NULL };
	const struct ynode *v, *mem;
	size_t i, nregions = 0;

	memset(s, 0, sizeof(*s));
	s->root = root;
	s->name = str_of(ymap_get(root, "name"));
	s->description = str_of(ymap_get(root, "description"));
	s->board_node = ymap_get(root, "board");
	s->board = str_of(s->board_node);
	v = ymap_get(root, "targets");
	s->targets = array_for(v, sizeof(*s->targets), &s->ntargets);
	for (i = 0; i < s->ntargets; i++)
		s->targets[i] = str_of(ynode_kid(v, i));
	hypervisor_of(&c, ymap_get(root, "hypervisor"), &s->hyp);
	v = ymap_get(root, "cells");
	s->cells = array_for(v, sizeof(*s->cells), &s->ncells);
	/*
	 * Every cell's regions in one array: a big system's regions then cost
	 * a few huge pages, not a page fault per 4K of many mid-sized arrays.
	 */
	for (i = 0; i < s->ncells; i++) {
		mem = ymap_get(ynode_kid(v, i), "memory");
		nregions += mem && mem->kind == YNODE_SEQ ? mem->len : 0;
	}
	if (nregions)
		s->regions = xcalloc(nregions, sizeof(*s->regions));
	c.next_region = s->regions;
	for (i = 0; i < s->ncells; i++)
		cell_of(&c, ynode_kid(v, i), &s->cells[i]);
	v = ymap_get(root, "shared");
	s->shared = array_for(v, sizeof(*s->shared), &s->nshared);
	for (i = 0; i < s->nshared; i++)
		shared_of(&c, ynode_kid(v, i), &s->shared[i]);
	return c.errors;
}

void model_system_free(struct m_system *s)
{
	size_t i;

	for (i = 0; i < s->ncells; i++) {
		struct m_cell *cell = &s->cells[i];

		free(cell->cpus.ranges);
		free(cell->colors.ranges);
		free(cell->devices);
		free(cell->mmio);
		free(cell->irqs);
	}
	for (i = 0; i < s->nshared; i++)
		free(s->shared[i].access);
	free(s->hyp.colors.ranges);
	free(s->targets);
	free(s->cells);
	free(s->regions);
	free(s->shared);
	memset(s, 0, sizeof(*s));
}

/* --- name resolution -------------------------------------------------- */

int model_cell_index(const struct m_system *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncells; i++)
		if (s->cells[i].name && !strcmp(s->cells[i].name, name))
			return (int)i;
	return -1;
}

/* The closest name in a list, for "did you mean" (NULL if none is close). */
static const char *closest(const char *name, const char *const *names, size_t n)
{
	unsigned int best = ~0u, d, limit = strlen(name) / 3 + 1;
	const char *pick = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		d = edit_distance(name, names[i]);
		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return best <= (limit > 2 ? limit : 2) ? pick : NULL;
}

/* Report unknown @name at @where, suggesting the closest of @names. */
static void unknown_name(struct diag_list *dl, enum rule_id rule,
			 const struct ynode *where, const char *name,
			 const char **names, size_t n, char *what)
{
	const char *hint = closest(name, names, n);

	if (hint)
		diag_report(dl, rule, ynode_loc(where),
			    "%s; did you mean '%s'?", what, hint);
	else
		diag_report(dl, rule, ynode_loc(where), "%s", what);
	free(what);
	free(names);
}

static void unknown_device(struct diag_list *dl, const struct m_board *b,
			   const struct ynode *where, const char *what)
{
	const char **names = xcalloc(b->ndevices + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < b->ndevices; i++)
		names[i] = b->devices[i].name;
	unknown_name(dl, RULE_UNKNOWN_DEVICE, where, where->str, names,
		     b->ndevices,
		     xasprintf("%s '%s' is not a device of board '%s'", what,
			       where->str, b->name));
}

static void unknown_cell(struct diag_list *dl, const struct m_system *s,
			 const struct m_shared *sh, const struct m_access *a)
{
	const char **names = xcalloc(s->ncells + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < s->ncells; i++)
		names[i] = s->cells[i].name;
	unknown_name(
		dl, RULE_UNKNOWN_CELL, a->node, a->cell, names, s->ncells,
		xasprintf(
			"shared region '%s' gives access to unknown cell '%s'",
			sh->name, a->cell));
}

/* Which cells' references are to a shareable device in shared use. */
static void mark_shared_use(struct m_system *s, const struct m_board *b)
{
	/* Per board device: the first cell listing it + 1, or SIZE_MAX. */
	size_t *first = xcalloc(b->ndevices + 1, sizeof(*first));
	size_t i, j, d;

	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].ndevices; j++) {
			const struct b_device *dev = s->cells[i].devices[j].dev;

			if (!dev || !dev->shareable)
				continue;
			d = (size_t)(dev - b->devices);
			if (!first[d])
				first[d] = i + 1;
			else if (first[d] != i + 1)
				first[d] = SIZE_MAX;
		}
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].ndevices; j++) {
			struct m_devref *ref = &s->cells[i].devices[j];

			if (!ref->dev || !ref->dev->shareable)
				continue;
			d = (size_t)(ref->dev - b->devices);
			ref->shared_use = first[d] == SIZE_MAX ||
					  ref->dev == s->hyp.console_dev;
		}
	free(first);
}

int model_resolve(struct m_system *s, const struct m_board *b,
		  struct diag_list *dl)
{
	unsigned int before = dl->nerrors;
	size_t i, j;

	for (i = 0; i < s->ncells; i++) {
		struct m_cell *cell = &s->cells[i];

		for (j = 0; j < cell->ndevices; j++) {
			struct m_devref *d = &cell->devices[j];

			d->dev = board_device(b, d->name);
			if (!d->dev)
				unknown_device(dl, b, d->node, "device");
		}
	}
	for (i = 0; i < s->nshared; i++) {
		struct m_shared *sh = &s->shared[i];

		for (j = 0; j < sh->naccess; j++) {
			struct m_access *a = &sh->access[j];

			a->cell_index = model_cell_index(s, a->cell);
			if (a->cell_index < 0)
				unknown_cell(dl, s, sh, a);
		}
	}
	if (s->hyp.console && !strcmp(s->hyp.console, "none")) {
		s->hyp.no_console = true;
	} else if (s->hyp.console) {
		s->hyp.console_dev = board_device(b, s->hyp.console);
		if (!s->hyp.console_dev)
			unknown_device(dl, b, s->hyp.console_node, "console");
	} else if (b->console) {
		s->hyp.console = b->console;
		s->hyp.console_dev = board_device(b, b->console);
	} else {
		s->hyp.no_console = true; /* a board without one */
	}
	mark_shared_use(s, b);
	return (int)(dl->nerrors - before);
}

void colorset_format(const colorset_t *set, char *buf, size_t len)
{
	uint32_t c, start;
	size_t used = 0;

	buf[0] = '\0';
	for (c = 0; c < SPHC_MAX_COLORS && used + 1 < len; c++) {
		if (!colorset_has(set, c))
			continue;
		start = c;
		while (c + 1 < SPHC_MAX_COLORS && colorset_has(set, c + 1))
			c++;
		used += (size_t)snprintf(buf + used, len - used, "%s%u",
					 used ? "," : "", start);
		if (c > start && used + 1 < len)
			used += (size_t)snprintf(buf + used, len - used, "-%u",
						 c);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}
