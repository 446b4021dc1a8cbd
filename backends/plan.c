// SPDX-License-Identifier: MIT
/*
 * The plan: a resolved model laid out as the blob's tables, plus the boot
 * layout every backend agrees on (see backend.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "check/check.h"
#include "front/number.h"
#include "lib/quote.h"
#include "lib/util.h"

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v / a * a;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

char *plan_ident(const char *name)
{
	return c_ident(name);
}

/* Intern @s in the string table; offset 0 is the empty string. */
static uint32_t intern(struct plan *p, const char *s)
{
	size_t off = 0, n = strlen(s) + 1;

	if (!*s)
		return 0;
	while (off < p->strings_len) {
		if (!strcmp(p->strings + off, s))
			return (uint32_t)off;
		off += strlen(p->strings + off) + 1;
	}
	while (p->strings_len + n > p->strings_cap) {
		p->strings_cap = p->strings_cap ? 2 * p->strings_cap : 256;
		p->strings = xrealloc(p->strings, p->strings_cap);
	}
	memcpy(p->strings + p->strings_len, s, n);
	p->strings_len += n;
	return (uint32_t)off;
}

static void colors_of(uint64_t *w, const colorset_t *set)
{
	unsigned int i;

	for (i = 0; i < SPH_COLOR_WORDS; i++)
		w[i] = set->w[i];
}

static struct loc loc_of(const struct ynode *n, const struct m_system *s)
{
	return ynode_loc(n ? n : s->root);
}

/* --- platform, hypervisor, CPUs ------------------------------------------ */

static void plan_platform(struct plan *p)
{
	const struct m_board *b = p->board;
	const struct b_device *con = p->sys->hyp.console_dev;
	struct sph_platform *pf = &p->platform;

	pf->gicd_base = b->gic.distributor.base;
	pf->gicd_size = b->gic.distributor.size;
	if (b->gic.version >= 3) {
		pf->gicr_base = b->gic.redistributor.base;
		pf->gicr_size = b->gic.redistributor.size;
		pf->gicr_stride = b->gic.redistributor_stride;
	} else {
		pf->gicc_base = b->gic.cpu_interface.base;
		pf->gicc_size = b->gic.cpu_interface.size;
		pf->gich_base = b->gic.virtual_control.base;
		pf->gicv_base = b->gic.virtual_cpu_interface.base;
		pf->gicv_size = b->gic.virtual_cpu_interface.size;
	}
	if (con && con->nregs) {
		pf->console_base = con->regs[0].base;
		pf->console_size = con->regs[0].size;
	}
	pf->console_irq = con && con->nirqs ? con->irqs[0].intid : 0;
	pf->console_type = runtime_console_type(con);
	pf->gic_version = b->gic.version;
	pf->spis = b->gic.spis;
	pf->maintenance_irq = b->gic.maintenance_irq;
	pf->timer_hyp = b->timer_hyp;
	pf->timer_virt = b->timer_virt;
	pf->timer_phys = b->timer_phys;
	pf->page_size = (uint32_t)b->page_size;
	pf->num_colors = board_colors(b);
	pf->board_name = intern(p, b->name);

	p->hyp.pa = p->sys->hyp.memory.place.pa;
	p->hyp.span = p->sys->hyp.memory.place.span;
	p->hyp.size = p->sys->hyp.memory.size;
	colors_of(p->hyp.colors, &p->sys->hyp.colorset);
	p->hyp.flags =
		p->sys->hyp.memory.place.colored ? SPH_REGION_COLORED : 0;
}

static void plan_cpus(struct plan *p)
{
	size_t i, c;

	p->ncpus = p->board->ncpus;
	p->cpus = xcalloc(p->ncpus, sizeof(*p->cpus));
	for (i = 0; i < p->ncpus; i++) {
		const struct b_cpu *bc = &p->board->cpus[i];

		p->cpus[i].mpidr = bc->mpidr;
		p->cpus[i].id = bc->id;
		p->cpus[i].cell = SPH_NO_INDEX;
		for (c = 0; c < p->sys->ncells; c++)
			if (bc->id < 64 &&
			    p->sys->cells[c].cpumask >> bc->id & 1)
				p->cpus[i].cell = (uint32_t)c;
	}
}

/* --- cells: regions and interrupts ---------------------------------------- */

static struct sph_region *new_region(struct plan *p)
{
	struct sph_region *r;

	VEC_RESERVE(p->regions, p->nregions, p->regions_cap);
	r = &p->regions[p->nregions++];
	memset(r, 0, sizeof(*r));
	r->shared = SPH_NO_INDEX;
	return r;
}

static void add_irq(struct plan *p, uint32_t first, uint32_t intid,
		    uint32_t priority, bool has_priority, bool edge)
{
	struct sph_irq *q;
	size_t i;

	for (i = first; i < p->nirqs; i++) {
		if (p->irqs[i].intid != intid)
			continue;
		if (has_priority)
			p->irqs[i].priority = (uint8_t)priority;
		return;
	}
	VEC_RESERVE(p->irqs, p->nirqs, p->irqs_cap);
	q = &p->irqs[p->nirqs++];
	memset(q, 0, sizeof(*q));
	q->intid = intid;
	q->priority = (uint8_t)(has_priority ? priority : SPHC_IRQ_PRIORITY);
	q->flags = edge ? SPH_IRQ_EDGE : 0;
}

/*
 * The board device a cell's reference maps, or NULL. The hypervisor's
 * console, listed by a cell that shares it, is the cell's console page
 * (hypervisor/core/vuart.c), never the UART itself: a cell that could
 * program the UART could silence every other cell's output.
 */
const struct b_device *plan_mapped_device(const struct plan *p,
					  const struct m_devref *ref)
{
	if (ref->dev && ref->dev == p->sys->hyp.console_dev)
		return NULL;
	return ref->dev;
}

/* Device registers [@base, @base + @size) as an IO region of whole pages. */
static void plan_io(struct plan *p, uint64_t base, uint64_t size,
		    const char *name)
{
	uint64_t page = p->board->page_size;
	uint64_t lo = align_down(base, page), hi = align_up(base + size, page);
	struct sph_region *r = new_region(p);

	r->pa = r->ipa = lo;
	r->span = r->size = hi - lo;
	r->flags = SPH_REGION_READ | SPH_REGION_WRITE | SPH_REGION_IO;
	r->device = intern(p, name);
}

static void plan_cell_tables(struct plan *p, size_t ci)
{
	const struct m_cell *c = &p->sys->cells[ci];
	struct sph_cell *sc = &p->cells[ci];
	struct sph_region *r;
	size_t i, j;

	sc->name = intern(p, c->name);
	sc->id = (uint32_t)ci;
	sc->flags = c->critical ? SPH_CELL_CRITICAL : 0;
	sc->boot_order = c->boot_order;
	sc->cpu_mask = c->cpumask;
	colors_of(sc->colors, &c->colorset);

	sc->first_region = (uint32_t)p->nregions;
	for (i = 0; i < c->nregions; i++) {
		const struct m_region *m = &c->regions[i];

		r = new_region(p);
		r->pa = m->place.pa;
		r->span = m->place.span;
		r->ipa = m->place.ipa;
		r->size = m->size;
		r->flags = SPH_REGION_READ | SPH_REGION_WRITE | SPH_REGION_EXEC;
		if (m->place.colored)
			r->flags |= SPH_REGION_COLORED;
	}
	for (i = 0; i < p->sys->nshared; i++) {
		const struct m_shared *sh = &p->sys->shared[i];

		for (j = 0; j < sh->naccess; j++) {
			if (sh->access[j].cell_index != (int)ci)
				continue;
			r = new_region(p);
			r->pa = sh->place.pa;
			r->span = sh->place.span;
			r->ipa = sh->place.ipa;
			r->size = sh->size;
			r->flags = SPH_REGION_READ | SPH_REGION_SHARED;
			if (sh->access[j].writable)
				r->flags |= SPH_REGION_WRITE;
			if (sh->place.colored)
				r->flags |= SPH_REGION_COLORED;
			r->shared = (uint32_t)i;
		}
	}
	for (i = 0; i < c->ndevices; i++) {
		const struct b_device *d =
			plan_mapped_device(p, &c->devices[i]);

		for (j = 0; d && j < d->nregs; j++)
			plan_io(p, d->regs[j].base, d->regs[j].size, d->name);
	}
	/* Raw MMIO by whole pages: check_runtime() keeps a page to one owner.
	 */
	for (i = 0; i < c->nmmio; i++)
		plan_io(p, c->mmio[i].base, c->mmio[i].size,
			c->mmio[i].name ? c->mmio[i].name : "mmio");
	sc->num_regions = (uint32_t)(p->nregions - sc->first_region);

	sc->first_irq = (uint32_t)p->nirqs;
	for (i = 0; i < c->ndevices; i++) {
		const struct b_device *d =
			plan_mapped_device(p, &c->devices[i]);

		/* A device in shared use brings no interrupt: the cells poll.
		 */
		if (c->devices[i].shared_use)
			continue;
		for (j = 0; d && j < d->nirqs; j++)
			add_irq(p, sc->first_irq, d->irqs[j].intid, 0, false,
				d->irqs[j].trigger == TRIGGER_EDGE);
	}
	for (i = 0; i < c->nirqs; i++)
		add_irq(p, sc->first_irq, c->irqs[i].intid, c->irqs[i].priority,
			c->irqs[i].has_priority, false);
	sc->num_irqs = (uint32_t)(p->nirqs - sc->first_irq);
}

static void plan_shared(struct plan *p)
{
	size_t i, j, n = 0;

	p->nshared = p->sys->nshared;
	p->shared = xcalloc(p->nshared, sizeof(*p->shared));
	for (i = 0; i < p->nshared; i++)
		n += p->sys->shared[i].naccess;
	p->access = xcalloc(n, sizeof(*p->access));
	for (i = 0; i < p->nshared; i++) {
		const struct m_shared *sh = &p->sys->shared[i];
		struct sph_shared *s = &p->shared[i];

		s->name = intern(p, sh->name);
		s->flags = sh->doorbell_intid ? SPH_SHARED_DOORBELL : 0;
		s->pa = sh->place.pa;
		s->size = sh->size;
		s->doorbell_irq = sh->doorbell_intid;
		s->first_access = (uint32_t)p->naccess;
		for (j = 0; j < sh->naccess; j++) {
			if (sh->access[j].cell_index < 0)
				continue;
			p->access[p->naccess].cell =
				(uint32_t)sh->access[j].cell_index;
			p->access[p->naccess].flags =
				sh->access[j].writable ? SPH_ACCESS_WRITE : 0;
			p->naccess++;
		}
		s->num_access = (uint32_t)(p->naccess - s->first_access);
	}
}

/* --- images and the boot layout ------------------------------------------ */

/* The image path relative to the file that names it (as the checks do). */
static char *image_path(const struct m_cell *c, const char *system_dir)
{
	const char *from = ynode_source(c->image_node)
				   ? ynode_source(c->image_node)->path
				   : NULL;
	const char *slash = from ? strrchr(from, '/') : NULL;

	if (c->image[0] == '/')
		return xstrdup(c->image);
	if (slash)
		return xasprintf("%.*s/%s", (int)(slash - from), from,
				 c->image);
	if (!from && system_dir)
		return xasprintf("%s/%s", system_dir, c->image);
	return xstrdup(c->image);
}

/* Read cell @ci's initrd; it goes where the layout put it. */
static int plan_cell_initrd(struct plan *p, size_t ci, const char *system_dir,
			    struct diag_list *dl)
{
	const struct m_cell *c = &p->sys->cells[ci];
	const struct layout_cell *lc = &p->layout.cells[ci];
	struct plan_cell *pc = &p->pc[ci];
	struct sph_cell *sc = &p->cells[ci];
	char *path;

	if (!c->initrd || !lc->initrd_size)
		return 0;
	path = layout_file_path(c->initrd, c->initrd_node);
	if (system_dir && c->initrd[0] != '/' &&
	    !ynode_source(c->initrd_node)) {
		free(path);
		path = xasprintf("%s/%s", system_dir, c->initrd);
	}
	pc->initrd = read_file(path, &pc->initrd_size);
	if (!pc->initrd || pc->initrd_size != lc->initrd_size) {
		diag_report(
			dl, RULE_BUILD_IMAGE, loc_of(c->initrd_node, p->sys),
			pc->initrd
				? "the initrd of cell '%s' ('%s') changed while sphc ran"
				: "cannot read the initrd of cell '%s' ('%s')",
			c->name, path);
		free(path);
		free(pc->initrd);
		pc->initrd = NULL;
		return 1;
	}
	free(path);
	sc->initrd_ipa = lc->initrd_ipa;
	sc->initrd_size = pc->initrd_size;
	if (!pc->image_staged)
		sc->initrd_pa = c->regions[0].place.pa +
				(lc->initrd_ipa - c->regions[0].place.ipa);
	return 0;
}

/*
 * Read cell @ci's image and take its place from the layout check/layout.c
 * computed (and `check` reported on): only a file changed since the check
 * can fail here.
 */
static int plan_cell_layout(struct plan *p, size_t ci, const char *system_dir,
			    struct diag_list *dl)
{
	const struct m_cell *c = &p->sys->cells[ci];
	const struct layout_cell *lc = &p->layout.cells[ci];
	struct plan_cell *pc = &p->pc[ci];
	struct sph_cell *sc = &p->cells[ci];
	char *path;

	pc->m = c;
	pc->ident = plan_ident(c->name);
	pc->nvcpus = (uint32_t)__builtin_popcountll(c->cpumask);
	pc->mem_ipa = c->regions[0].place.ipa;
	pc->mem_size = c->regions[0].size;
	pc->laid_out = lc->fits;
	pc->dtb_area = lc->dtb_area;
	sc->entry = c->entry_node ? c->entry : pc->mem_ipa;
	sc->dtb_ipa = lc->dtb_ipa;
	/* The runtime emulates the cell's console page where the board's
	 * console is: the hypervisor's device, which no cell maps. */
	sc->vuart_ipa =
		align_down(p->platform.console_base, p->board->page_size);
	pc->payload_size = lc->payload_size;

	if (!c->image)
		return 0;
	path = image_path(c, system_dir);
	pc->image = read_file(path, &pc->image_size);
	if (!pc->image) {
		diag_report(dl, RULE_BUILD_IMAGE, loc_of(c->image_node, p->sys),
			    "cannot read the image of cell '%s' ('%s'): %s",
			    c->name, path, strerror(errno));
		free(path);
		return 1;
	}
	free(path);
	/* Only a laid out cell's image was measured. */
	if (lc->fits && pc->image_size != lc->image_size) {
		diag_report(
			dl, RULE_BUILD_IMAGE, loc_of(c->image_node, p->sys),
			"the image of cell '%s' changed while sphc ran (%zu bytes, %llu when checked)",
			c->name, pc->image_size,
			(unsigned long long)lc->image_size);
		free(pc->image);
		pc->image = NULL;
		return 1;
	}
	sc->image_ipa = pc->mem_ipa;
	sc->image_size = pc->image_size;
	/* Only sph's runtime stages an image (in its boot area). */
	pc->image_staged = lc->staged && p->runtime;
	if (!pc->image_staged)
		sc->image_pa = c->regions[0].place.pa;
	return plan_cell_initrd(p, ci, system_dir, dl);
}

/*
 * Place the blob at the start of the boot area and the staged images after
 * it; the layout sized the area from upper bounds of both.
 */
static int plan_boot(struct plan *p, struct diag_list *dl)
{
	uint64_t hyp_end = p->hyp.pa + p->hyp.size, at;
	size_t i;

	p->boot_end = hyp_end;
	p->boot_area = p->layout.boot_area;
	p->blob_addr = hyp_end - p->boot_area;
	at = p->blob_addr + p->blob_size;
	for (i = 0; i < p->ncells; i++) {
		if (!p->pc[i].image_staged)
			continue;
		at = align_up(at, p->board->page_size);
		p->cells[i].image_pa = at;
		at += p->pc[i].image_size;
		if (p->pc[i].initrd) {
			at = align_up(at, p->board->page_size);
			p->cells[i].initrd_pa = at;
			at += p->pc[i].initrd_size;
		}
	}
	p->staged_end = at;
	if (p->blob_size > p->layout.blob_bound || at > hyp_end) {
		diag_report(
			dl, RULE_BUILD_BOOT_AREA,
			loc_of(p->sys->hyp.node, p->sys),
			"internal error: the system blob (%llu bytes) exceeds its bound (%llu) or the boot area",
			(unsigned long long)p->blob_size,
			(unsigned long long)p->layout.blob_bound);
		return 1;
	}
	return 0;
}

int plan_build(struct plan *p, const struct m_system *s,
	       const struct m_board *b, const char *system_dir, bool runtime,
	       struct diag_list *dl)
{
	size_t i, data = 0;
	int errors = 0;
	uint8_t *blob;

	memset(p, 0, sizeof(*p));
	p->sys = s;
	p->board = b;
	p->strings_cap = 256;
	p->strings = xmalloc(p->strings_cap);
	p->strings[0] = '\0';
	p->strings_len = 1;
	p->runtime = runtime;
	/*
	 * The runtime needs the whole layout, which check reported on. Other
	 * hypervisors do not: a cell that does not fit sph's layout just gets
	 * no payload files of it, and there is no blob or boot area.
	 */
	layout_compute(&p->layout, s, b, runtime ? dl : NULL);
	if (runtime && !p->layout.ok)
		return 1;
	plan_platform(p);
	plan_cpus(p);
	p->ncells = s->ncells;
	p->cells = xcalloc(p->ncells, sizeof(*p->cells));
	p->pc = xcalloc(p->ncells, sizeof(*p->pc));
	for (i = 0; i < p->ncells; i++)
		plan_cell_tables(p, i);
	plan_shared(p);
	for (i = 0; i < p->ncells; i++)
		errors += plan_cell_layout(p, i, system_dir, dl);
	if (errors)
		return errors;
	for (i = 0; i < p->ncells; i++) {
		if (!p->pc[i].laid_out)
			continue;
		p->pc[i].dtb = dt_cell_make(p, i, &p->pc[i].dtb_size);
		if (!p->pc[i].dtb ||
		    p->pc[i].dtb_size > p->layout.cells[i].dtb_bound) {
			diag_report(
				dl, RULE_BUILD_LAYOUT,
				loc_of(s->cells[i].node, s),
				"internal error: the device tree of cell '%s' is larger than its bound (%llu bytes)",
				s->cells[i].name,
				(unsigned long long)p->layout.cells[i]
					.dtb_bound);
			errors++;
			continue;
		}
		p->cells[i].dtb_offset = (uint32_t)data;
		p->cells[i].dtb_size = (uint32_t)p->pc[i].dtb_size;
		data += (p->pc[i].dtb_size + 7) & ~(size_t)7;
	}
	if (errors || !runtime)
		return errors;
	/* The blob's size does not depend on the addresses filled in below. */
	blob = sph_blob_make(p, -1, &i);
	p->blob_size = i;
	free(blob);
	return plan_boot(p, dl);
}

void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; p->pc && i < p->ncells; i++) {
		free(p->pc[i].ident);
		free(p->pc[i].dtb);
		free(p->pc[i].image);
		free(p->pc[i].initrd);
	}
	free(p->pc);
	free(p->cpus);
	free(p->cells);
	free(p->regions);
	free(p->irqs);
	free(p->shared);
	free(p->access);
	free(p->strings);
	layout_free(&p->layout);
	memset(p, 0, sizeof(*p));
}
