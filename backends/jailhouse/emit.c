// SPDX-License-Identifier: MIT
/*
 * The Jailhouse backend (see jailhouse.h for the mapping). The files are
 * built byte by byte, little-endian, from the layout of Jailhouse's packed
 * structures; nothing here depends on the host's struct layout.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/backend.h"
#include "backends/jailhouse/jailhouse.h"
#include "model/resolve.h"
#include "backends/jailhouse/ranges.h"
#include "lib/util.h"

#define JH_PAGE 0x1000ULL /* Jailhouse's arm64 page size */
#define JH_MAX_INTID 1020 /* INTIDs 1020..1023 are special */

static uint64_t page_up(uint64_t v)
{
	return (v + JH_PAGE - 1) & ~(JH_PAGE - 1);
}

static struct loc loc_of(const struct m_system *s, const struct ynode *n)
{
	return ynode_loc(n ? n : s->root);
}

/* --- little-endian byte buffer -------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static uint8_t *buf_grow(struct buf *b, size_t n)
{
	uint8_t *at;

	while (b->n + n > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->p = xrealloc(b->p, b->cap);
	}
	at = b->p + b->n;
	memset(at, 0, n);
	b->n += n;
	return at;
}

static void put_u64(struct buf *b, uint64_t v)
{
	jh_put_le(buf_grow(b, 8), v, 8);
}

/* --- the configuration of one cell, before packing ------------------------ */

struct jh_mem {
	uint64_t phys, virt, size, flags;
};

struct jh_console {
	uint64_t address;
	uint32_t size;
	uint16_t type, flags;
};

struct jh_cell {
	const char *name;
	uint32_t flags;
	uint64_t cpus; /* bit n: board CPU id n */
	struct jh_mem *mem;
	size_t nmem, cap;
	uint32_t intids[(JH_MAX_INTID + 31) / 32]; /* bit i: INTID i */
	uint64_t reset;
	struct jh_console console;
};

static void add_mem(struct jh_cell *c, uint64_t phys, uint64_t virt,
		    uint64_t size, uint64_t flags)
{
	VEC_RESERVE(c->mem, c->nmem, c->cap);
	c->mem[c->nmem++] = (struct jh_mem){ phys, virt, size, flags };
}

static void add_intid(struct jh_cell *c, uint32_t intid)
{
	if (intid >= 32 && intid < JH_MAX_INTID)
		c->intids[intid / 32] |= 1U << (intid % 32);
}

static int mem_cmp(const void *a, const void *b)
{
	const struct jh_mem *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/* Sort the regions of @c from index @first on by address. */
static void sort_from(struct jh_cell *c, size_t first)
{
	if (c->nmem > first + 1)
		qsort(c->mem + first, c->nmem - first, sizeof(*c->mem),
		      mem_cmp);
}

/* --- packing -------------------------------------------------------------- */

/*
 * set_console - @con as the struct jailhouse_console at @at (zeroed):
 * divider 0 keeps the firmware's baud rate; no clock gate.
 */
static void set_console(uint8_t *at, const struct jh_console *con)
{
	JH_SET(at, struct jailhouse_console, address, con->address);
	JH_SET(at, struct jailhouse_console, size, con->size);
	JH_SET(at, struct jailhouse_console, type, con->type);
	JH_SET(at, struct jailhouse_console, flags, con->flags);
}

struct jh_platform {
	unsigned int arch; /* JH_ARCH_ARM or _ARM64 (revision 14's header) */
	uint64_t hyp_pa, hyp_size;
	struct jh_console debug;
	uint8_t maintenance_irq, gic_version;
	uint64_t gicd, gicc, gich, gicv, gicr;
};

/* set_header - signature, architecture and revision at @at (zeroed). */
static void set_header(uint8_t *at, const char *sig, const char *sig13,
		       int revision, unsigned int arch)
{
	if (revision >= 14) {
		memcpy(at, sig, 5);
		JH_SET(at, struct jailhouse_header, architecture, arch);
	} else {
		memcpy(at, sig13, 6);
	}
	JH_SET(at, struct jailhouse_header, revision, (uint64_t)revision);
}

/*
 * The irqchip entries for @c: one per block of 128 INTIDs that holds any
 * of its SPIs, at pin_base 32 + 128k. pin_base + 128 may not pass 1024,
 * so the last block starts at 896 and only takes INTIDs from 928 on.
 */
static size_t irqchip_blocks(const struct jh_cell *c, uint32_t base[8],
			     uint32_t bits[8][4])
{
	size_t n = 0;
	uint32_t k, w, first, pin;

	for (k = 0; k < 8; k++) {
		uint32_t blk_base = k < 7 ? 32 + 128 * k : 896;
		bool any = false;

		first = k < 7 ? blk_base : 928;
		memset(bits[n], 0, sizeof(bits[n]));
		for (pin = first; pin < blk_base + 128 && pin < JH_MAX_INTID;
		     pin++) {
			if (!(c->intids[pin / 32] >> (pin % 32) & 1))
				continue;
			w = (pin - blk_base) / 32;
			bits[n][w] |= 1U << ((pin - blk_base) % 32);
			any = true;
		}
		if (any)
			base[n++] = blk_base;
	}
	return n;
}

/*
 * put_cell - the cell descriptor and its arrays. @embedded: the root
 * cell inside a system config, whose signature and revision stay zero as
 * in Jailhouse's own configs (the loaders do not look at them).
 */
static void put_cell(struct buf *b, const struct jh_cell *c, int revision,
		     bool embedded, const struct jh_platform *pf)
{
	uint32_t base[8], bits[8][4];
	size_t nchips = irqchip_blocks(c, base, bits), i, k;
	uint8_t *d = buf_grow(b, sizeof(struct jailhouse_cell_desc)), *e;

	if (!embedded)
		set_header(d, JH_SIG_CELL, JH_SIG_CELL_REV13, revision,
			   pf->arch);
	memcpy(d + offsetof(struct jailhouse_cell_desc, name), c->name,
	       strnlen(c->name, JH_CELL_NAME_LEN - 1));
	JH_SET(d, struct jailhouse_cell_desc, flags, c->flags);
	JH_SET(d, struct jailhouse_cell_desc, cpu_set_size, 8); /* a u64 */
	JH_SET(d, struct jailhouse_cell_desc, num_memory_regions, c->nmem);
	JH_SET(d, struct jailhouse_cell_desc, num_irqchips, nchips);
	JH_SET(d, struct jailhouse_cell_desc, cpu_reset_address, c->reset);
	set_console(d + offsetof(struct jailhouse_cell_desc, console),
		    &c->console);

	put_u64(b, c->cpus);
	for (i = 0; i < c->nmem; i++) {
		e = buf_grow(b, sizeof(struct jailhouse_memory));
		JH_SET(e, struct jailhouse_memory, phys_start, c->mem[i].phys);
		JH_SET(e, struct jailhouse_memory, virt_start, c->mem[i].virt);
		JH_SET(e, struct jailhouse_memory, size, c->mem[i].size);
		JH_SET(e, struct jailhouse_memory, flags, c->mem[i].flags);
	}
	for (i = 0; i < nchips; i++) {
		e = buf_grow(b, sizeof(struct jailhouse_irqchip));
		JH_SET(e, struct jailhouse_irqchip, address, pf->gicd);
		JH_SET(e, struct jailhouse_irqchip, pin_base, base[i]);
		for (k = 0; k < 4; k++)
			JH_SET(e + 4 * k, struct jailhouse_irqchip,
			       pin_bitmap[0], bits[i][k]);
	}
}

/* The GIC fields: in platform_info.arm, whose place revision 12 shifts. */
#define SET_ARM(d, rev12, field, v)                                            \
	do {                                                                   \
		if (rev12)                                                     \
			JH_SET(d, struct jailhouse_system_rev12,               \
			       platform_info.arm.field, v);                    \
		else                                                           \
			JH_SET(d, struct jailhouse_system,                     \
			       platform_info.arm.field, v);                    \
	} while (0)

/* put_system - a system config: no PCI, no IOMMU units, then the root. */
static void put_system(struct buf *b, const struct jh_platform *pf,
		       const struct jh_cell *root, int revision)
{
	bool r12 = revision == 12;
	uint8_t *d = buf_grow(
		b, r12 ? offsetof(struct jailhouse_system_rev12, root_cell)
		       : offsetof(struct jailhouse_system, root_cell));

	set_header(d, JH_SIG_SYSTEM, JH_SIG_SYSTEM_REV13, revision, pf->arch);
	JH_SET(d, struct jailhouse_system, flags, JH_SYS_VIRTUAL_DEBUG_CONSOLE);
	JH_SET(d, struct jailhouse_system, hypervisor_memory.phys_start,
	       pf->hyp_pa);
	JH_SET(d, struct jailhouse_system, hypervisor_memory.size,
	       pf->hyp_size);
	set_console(d + offsetof(struct jailhouse_system, debug_console),
		    &pf->debug);
	SET_ARM(d, r12, maintenance_irq, pf->maintenance_irq);
	SET_ARM(d, r12, gic_version, pf->gic_version);
	SET_ARM(d, r12, gicd_base, pf->gicd);
	SET_ARM(d, r12, gicc_base, pf->gicc);
	SET_ARM(d, r12, gich_base, pf->gich);
	SET_ARM(d, r12, gicv_base, pf->gicv);
	SET_ARM(d, r12, gicr_base, pf->gicr);
	put_cell(b, root, revision, true, pf);
}

/* --- the system as Jailhouse sees it -------------------------------------- */

size_t jailhouse_root_cell(const struct m_system *s)
{
	size_t i;

	for (i = 0; i < s->ncells; i++)
		if (!s->cells[i].critical)
			return i;
	return 0;
}

static bool compatible_is(const struct b_device *d, const char *prefix,
			  const char *needle)
{
	size_t i;

	for (i = 0; i < d->ncompatible; i++) {
		const char *c = d->compatible[i];

		if (strncmp(c, prefix, strlen(prefix)))
			continue;
		if (!needle || strstr(c + strlen(prefix), needle))
			return true;
	}
	return false;
}

uint16_t jailhouse_console_type(const struct b_device *d)
{
	if (!d)
		return JH_CON_TYPE_NONE;
	if (compatible_is(d, "arm,pl011", NULL))
		return JH_CON_TYPE_PL011;
	if (compatible_is(d, "cdns,uart", NULL) ||
	    compatible_is(d, "xlnx,xuartps", NULL))
		return JH_CON_TYPE_XUARTPS;
	if (compatible_is(d, "fsl,", "lpuart"))
		return JH_CON_TYPE_IMX_LPUART;
	if (compatible_is(d, "fsl,imx", "-uart"))
		return JH_CON_TYPE_IMX;
	if (compatible_is(d, "brcm,bcm2835-aux-uart", NULL) ||
	    compatible_is(d, "nvidia,tegra20-uart", NULL) ||
	    compatible_is(d, "ns16550", NULL) ||
	    compatible_is(d, "ns8250", NULL) ||
	    compatible_is(d, "snps,dw-apb-uart", NULL))
		return JH_CON_TYPE_8250;
	if (compatible_is(d, "marvell,armada-3700-uart", NULL))
		return JH_CON_TYPE_MVEBU;
	if (compatible_is(d, "renesas,hscif", NULL))
		return JH_CON_TYPE_HSCIF;
	if (compatible_is(d, "renesas,scifa", NULL))
		return JH_CON_TYPE_SCIFA;
	if (compatible_is(d, "renesas,scif", NULL))
		return JH_CON_TYPE_SCIF;
	return JH_CON_TYPE_NONE;
}

static struct jh_console console_of(const struct b_device *d)
{
	struct jh_console con = { 0 };

	con.type = jailhouse_console_type(d);
	if (con.type == JH_CON_TYPE_NONE || !d->nregs)
		return (struct jh_console){ 0 };
	con.address = d->regs[0].base;
	con.size = (uint32_t)d->regs[0].size;
	con.flags = JH_CON_ACCESS_MMIO | JH_CON_REGDIST_4;
	return con;
}

/* Who owns each board device: a cell index, or one of these. */
enum { OWNER_NONE = -1, OWNER_MANY = -2 };

struct emit {
	const struct m_system *s;
	const struct m_board *b;
	struct diag_list *dl;
	size_t root;
	int *owner; /* per board device */
	int errors;
};

static size_t device_index(const struct m_board *b, const struct b_device *d)
{
	return (size_t)(d - b->devices);
}

static bool pages_meet(const struct b_reg *a, const struct b_reg *b)
{
	uint64_t a0 = a->base & ~(JH_PAGE - 1), a1 = page_up(a->base + a->size);
	uint64_t b0 = b->base & ~(JH_PAGE - 1), b1 = page_up(b->base + b->size);

	return a0 < b1 && b0 < a1;
}

/* Whether unowned device @d shares a page with a device someone owns. */
static bool shares_page(const struct emit *e, size_t d)
{
	const struct b_device *dev = &e->b->devices[d];
	size_t o, i, k;

	for (o = 0; o < e->b->ndevices; o++) {
		const struct b_device *other = &e->b->devices[o];

		if (o == d || (e->owner[o] == OWNER_NONE &&
			       other != e->s->hyp.console_dev))
			continue;
		if (e->owner[o] == (int)e->root)
			continue;
		for (i = 0; i < dev->nregs; i++)
			for (k = 0; k < other->nregs; k++)
				if (pages_meet(&dev->regs[i], &other->regs[k]))
					return true;
	}
	return false;
}

static void find_owners(struct emit *e)
{
	const struct m_system *s = e->s;
	size_t i, j, d;

	e->owner = xcalloc(e->b->ndevices + 1, sizeof(*e->owner));
	for (d = 0; d < e->b->ndevices; d++)
		e->owner[d] = OWNER_NONE;
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].ndevices; j++) {
			const struct b_device *dev = s->cells[i].devices[j].dev;

			if (!dev)
				continue;
			d = device_index(e->b, dev);
			if (e->owner[d] == OWNER_NONE || e->owner[d] == (int)i)
				e->owner[d] = (int)i;
			else
				e->owner[d] = OWNER_MANY;
		}
	/*
	 * Unowned devices are the root cell's, except the hypervisor console
	 * and devices sharing a page with another owner's: stage 2 could
	 * not keep the root away from that owner's registers.
	 */
	for (d = 0; d < e->b->ndevices; d++)
		if (e->owner[d] == OWNER_NONE &&
		    &e->b->devices[d] != s->hyp.console_dev &&
		    !shares_page(e, d))
			e->owner[d] = (int)e->root;
}

static bool cell_has_device(const struct m_cell *c, size_t d,
			    const struct m_board *b)
{
	size_t j;

	for (j = 0; j < c->ndevices; j++)
		if (c->devices[j].dev &&
		    device_index(b, c->devices[j].dev) == d)
			return true;
	return false;
}

static uint64_t mmio_flags(uint64_t start, uint64_t end)
{
	uint64_t f = JH_MEM_READ | JH_MEM_WRITE | JH_MEM_IO;

	/*
	 * Sub-page ranges are trapped and emulated, and an access passes only
	 * with a width flag for its size. Board files do not give register
	 * widths, so every width is allowed.
	 */
	if (start % JH_PAGE || end % JH_PAGE)
		f |= JH_MEM_IO_8 | JH_MEM_IO_16 | JH_MEM_IO_32 | JH_MEM_IO_64;
	return f;
}

/*
 * The MMIO regions of the devices owned by cell @group alone, merged where
 * they touch. The root lists each other cell's group exactly as that cell
 * does, so creating the cell unmaps precisely those regions from it.
 */
static void add_device_group(struct emit *e, struct jh_cell *jc, int group)
{
	struct ranges r = { 0 };
	size_t d, k;

	for (d = 0; d < e->b->ndevices; d++) {
		const struct b_device *dev = &e->b->devices[d];

		if (e->owner[d] != group)
			continue;
		for (k = 0; k < dev->nregs; k++)
			ranges_add(&r, dev->regs[k].base,
				   dev->regs[k].base + dev->regs[k].size);
	}
	ranges_merge(&r);
	for (k = 0; k < r.n; k++)
		add_mem(jc, r.v[k].start, r.v[k].start,
			r.v[k].end - r.v[k].start,
			mmio_flags(r.v[k].start, r.v[k].end));
	free(r.v);
}

/*
 * Devices given to several cells: one region per reg, never merged. The
 * root lists each once (@cell < 0); another cell marks it ROOTSHARED when
 * the root cell uses it too, so creating that cell leaves it to the root.
 */
static void add_shared_devices(struct emit *e, struct jh_cell *jc, int cell)
{
	const struct m_cell *root = &e->s->cells[e->root];
	size_t d, k;

	for (d = 0; d < e->b->ndevices; d++) {
		const struct b_device *dev = &e->b->devices[d];
		uint64_t extra = 0;

		if (e->owner[d] != OWNER_MANY)
			continue;
		if (cell >= 0 && !cell_has_device(&e->s->cells[cell], d, e->b))
			continue;
		if (cell >= 0 && cell_has_device(root, d, e->b))
			extra = JH_MEM_ROOTSHARED;
		for (k = 0; k < dev->nregs; k++)
			add_mem(jc, dev->regs[k].base, dev->regs[k].base,
				dev->regs[k].size,
				mmio_flags(dev->regs[k].base,
					   dev->regs[k].base +
						   dev->regs[k].size) |
					extra);
	}
}

/*
 * Raw MMIO of cell @cell, as declared (the checker keeps it off RAM, the
 * GIC, devices and other cells' MMIO). The root lists every other cell's
 * too, as it does their devices, so creating a cell takes its MMIO from
 * the root.
 */
static void add_raw_mmio(struct emit *e, struct jh_cell *jc, size_t cell)
{
	const struct m_cell *c = &e->s->cells[cell];
	size_t j;

	for (j = 0; j < c->nmmio; j++) {
		uint64_t base = c->mmio[j].base, end = base + c->mmio[j].size;

		add_mem(jc, base, base, c->mmio[j].size, mmio_flags(base, end));
	}
}

static const struct m_access *access_of(const struct m_shared *sh, size_t cell)
{
	size_t k;

	for (k = 0; k < sh->naccess; k++)
		if (sh->access[k].cell_index == (int)cell)
			return &sh->access[k];
	return NULL;
}

/* Shared regions cell @cell maps, by address. */
static void add_shared(struct emit *e, struct jh_cell *jc, size_t cell)
{
	const struct m_system *s = e->s;
	size_t i, first = jc->nmem;

	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];
		const struct m_access *a = access_of(sh, cell);
		uint64_t f = JH_MEM_READ;

		if (!a || !sh->place.placed)
			continue;
		if (a->writable)
			f |= JH_MEM_WRITE;
		if (cell != e->root && access_of(sh, e->root))
			f |= JH_MEM_ROOTSHARED;
		add_mem(jc, sh->place.pa, sh->place.pa, page_up(sh->size), f);
	}
	sort_from(jc, first);
}

static void build_root(struct emit *e, struct jh_cell *jc)
{
	const struct m_system *s = e->s;
	const struct m_board *b = e->b;
	struct ranges holes = { 0 };
	size_t i, first;
	uint32_t id;

	jc->name = s->cells[e->root].name;
	for (i = 0; i < b->ncpus; i++)
		if (b->cpus[i].id < 64)
			jc->cpus |= 1ULL << b->cpus[i].id;

	/* RAM: every bank minus the hypervisor and the shared regions. */
	ranges_add(&holes, s->hyp.memory.place.pa,
		   s->hyp.memory.place.pa + page_up(s->hyp.memory.size));
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].place.placed)
			ranges_add(&holes, s->shared[i].place.pa,
				   s->shared[i].place.pa +
					   page_up(s->shared[i].size));
	ranges_merge(&holes);
	for (i = 0; i < b->nram; i++) {
		uint64_t at = b->ram[i].base, end = at + b->ram[i].size;
		size_t h;

		for (h = 0; h < holes.n && at < end; h++) {
			if (holes.v[h].end <= at || holes.v[h].start >= end)
				continue;
			if (holes.v[h].start > at)
				add_mem(jc, at, at, holes.v[h].start - at,
					JH_MEM_READ | JH_MEM_WRITE |
						JH_MEM_EXECUTE);
			at = holes.v[h].end;
		}
		if (at < end)
			add_mem(jc, at, at, end - at,
				JH_MEM_READ | JH_MEM_WRITE | JH_MEM_EXECUTE);
	}
	free(holes.v);
	add_shared(e, jc, e->root);

	/* Devices: the root's own, and every other cell's, grouped by owner. */
	first = jc->nmem;
	add_device_group(e, jc, (int)e->root);
	for (i = 0; i < s->ncells; i++)
		if (i != e->root)
			add_device_group(e, jc, (int)i);
	add_shared_devices(e, jc, -1);
	for (i = 0; i < s->ncells; i++)
		add_raw_mmio(e, jc, i);
	sort_from(jc, first);

	for (id = 32; id < 32 + b->gic.spis; id++)
		add_intid(jc, id);
}

/* The lowest 2 MiB boundary above every guest-physical address @jc uses. */
static uint64_t comm_region_ipa(const struct jh_cell *jc)
{
	uint64_t top = 0, lo = JH_COMM_REGION_IPA, hi = lo + JH_PAGE;
	bool clash = false;
	size_t i;

	for (i = 0; i < jc->nmem; i++) {
		uint64_t v = jc->mem[i].virt, end = v + jc->mem[i].size;

		if (v < hi && end > lo)
			clash = true;
		if (end > top)
			top = end;
	}
	if (!clash)
		return lo;
	return (top + (2ULL << 20) - 1) & ~((2ULL << 20) - 1);
}

static void build_cell(struct emit *e, struct jh_cell *jc, size_t ci)
{
	const struct m_system *s = e->s;
	const struct m_cell *c = &s->cells[ci];
	const struct b_device *uart = NULL;
	uint64_t comm;
	size_t j, k;

	jc->name = c->name;
	jc->cpus = c->cpumask;
	jc->flags = JH_CELL_PASSIVE_COMMREG | JH_CELL_VIRTUAL_CONSOLE_PERMITTED;
	for (j = 0; j < c->nregions; j++) {
		const struct m_place *pl = &c->regions[j].place;

		add_mem(jc, pl->pa, pl->ipa, page_up(c->regions[j].size),
			JH_MEM_READ | JH_MEM_WRITE | JH_MEM_EXECUTE |
				JH_MEM_DMA | JH_MEM_LOADABLE);
	}
	jc->reset = c->entry_node ? c->entry
		    : c->nregions ? c->regions[0].place.ipa
				  : 0;
	add_shared(e, jc, ci);
	k = jc->nmem;
	add_device_group(e, jc, (int)ci);
	add_shared_devices(e, jc, (int)ci);
	add_raw_mmio(e, jc, ci);
	sort_from(jc, k);

	for (j = 0; j < c->ndevices; j++) {
		const struct b_device *d = c->devices[j].dev;

		if (!d)
			continue;
		/* A device in shared use brings no interrupt. */
		for (k = 0; !c->devices[j].shared_use && k < d->nirqs; k++)
			add_intid(jc, d->irqs[k].intid);
		if (!uart && jailhouse_console_type(d) != JH_CON_TYPE_NONE)
			uart = d;
	}
	for (j = 0; j < c->nirqs; j++)
		add_intid(jc, c->irqs[j].intid);

	if (uart) {
		jc->console = console_of(uart);
	} else {
		/* No UART of its own: inmates print through the hypervisor. */
		jc->flags |= JH_CELL_VIRTUAL_CONSOLE_ACTIVE;
	}

	comm = comm_region_ipa(jc);
	if (comm != JH_COMM_REGION_IPA)
		diag_report(
			e->dl, RULE_TARGET_UNSUPPORTED, loc_of(s, c->name_node),
			"cell '%s' uses guest-physical 0x%" PRIx64
			", where Jailhouse's inmate library expects the communication region; it goes to 0x%" PRIx64
			" instead",
			c->name, (uint64_t)JH_COMM_REGION_IPA, comm);
	add_mem(jc, 0, comm, JH_PAGE,
		JH_MEM_READ | JH_MEM_WRITE | JH_MEM_COMM_REGION);
}

/* --- what Jailhouse cannot express ---------------------------------------- */

static bool any_colors(const struct m_system *s)
{
	size_t i;

	if (!colorset_empty(&s->hyp.colorset))
		return true;
	for (i = 0; i < s->ncells; i++)
		if (!colorset_empty(&s->cells[i].colorset))
			return true;
	return false;
}

/* A copy of a system with its own resolved fields. */
struct plain_copy {
	struct m_system s;
	struct m_cell *cells;
	struct m_shared *shared;
};

static void clear_colors(struct m_idset *set, colorset_t *resolved)
{
	memset(set, 0, sizeof(*set));
	memset(resolved, 0, sizeof(*resolved));
}

/* Report the item of @s that holds [start, end), for overlap errors. */
struct owned_range {
	uint64_t start, end;
	const char *owner;
	const struct ynode *node;
};

static int owned_cmp(const void *a, const void *b)
{
	const struct owned_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/*
 * Colored regions of cells with disjoint colors share physical ranges;
 * without colors they would overlap. Re-place the memory as if nothing
 * were colored (the resolve stage, on a copy) and make sure it still fits.
 */
static int place_without_colors(struct emit *e, struct plain_copy *pc)
{
	const struct m_system *s = e->s;
	struct owned_range *v;
	struct diag_list scratch;
	size_t i, j, n = 0;
	int errors = 0;

	pc->s = *s;
	pc->cells = xcalloc(s->ncells + 1, sizeof(*pc->cells));
	pc->shared = xcalloc(s->nshared + 1, sizeof(*pc->shared));
	for (i = 0; i < s->ncells; i++) {
		struct m_cell *c = &pc->cells[i];

		*c = s->cells[i];
		c->regions = xcalloc(c->nregions + 1, sizeof(*c->regions));
		if (c->nregions)
			memcpy(c->regions, s->cells[i].regions,
			       c->nregions * sizeof(*c->regions));
		clear_colors(&c->colors, &c->colorset);
		c->cpumask = 0;
	}
	if (s->nshared)
		memcpy(pc->shared, s->shared, s->nshared * sizeof(*pc->shared));
	clear_colors(&pc->s.hyp.colors, &pc->s.hyp.colorset);
	pc->s.cells = pc->cells;
	pc->s.shared = pc->shared;

	diag_init(&scratch);
	resolve_system(&pc->s, e->b, &scratch);
	for (i = 0; i < scratch.n; i++) {
		if (scratch.v[i].severity != DIAG_ERROR)
			continue;
		diag_report(e->dl, RULE_TARGET_LIMIT, scratch.v[i].loc,
			    "without cache colors, which Jailhouse lacks: %s",
			    scratch.v[i].msg);
		errors++;
	}
	diag_free(&scratch);
	if (errors)
		return errors;

	/* Items with a base stay put: those may now overlap. */
	v = xcalloc(1 + s->nshared + 1, sizeof(*v));
	v[n++] =
		(struct owned_range){ pc->s.hyp.memory.place.pa,
				      pc->s.hyp.memory.place.pa +
					      pc->s.hyp.memory.size,
				      "the hypervisor", pc->s.hyp.memory.node };
	for (i = 0; i < pc->s.ncells; i++)
		for (j = 0; j < pc->cells[i].nregions; j++) {
			const struct m_region *r = &pc->cells[i].regions[j];

			v = xrealloc(v, (n + 2 + s->nshared) * sizeof(*v));
			v[n++] = (struct owned_range){ r->place.pa,
						       r->place.pa + r->size,
						       pc->cells[i].name,
						       r->node };
		}
	for (i = 0; i < s->nshared; i++)
		v[n++] = (struct owned_range){ pc->shared[i].place.pa,
					       pc->shared[i].place.pa +
						       pc->shared[i].size,
					       pc->shared[i].name,
					       pc->shared[i].node };
	qsort(v, n, sizeof(*v), owned_cmp);
	for (i = 1; i < n; i++) {
		if (v[i].start >= v[i - 1].end)
			continue;
		diag_report(
			e->dl, RULE_TARGET_LIMIT, loc_of(s, v[i].node),
			"without cache colors, which Jailhouse lacks, memory of %s at 0x%" PRIx64
			" overlaps memory of %s",
			v[i].owner, v[i].start, v[i - 1].owner);
		diag_note(e->dl, loc_of(s, v[i - 1].node), "%s's memory",
			  v[i - 1].owner);
		errors++;
	}
	free(v);
	return errors;
}

static void free_copy(struct plain_copy *pc)
{
	size_t i;

	for (i = 0; pc->cells && i < pc->s.ncells; i++)
		free(pc->cells[i].regions);
	free(pc->cells);
	free(pc->shared);
}

static void warn_unsupported(struct emit *e)
{
	const struct m_system *s = e->s;
	const struct m_cell *root = &s->cells[e->root];
	size_t i;

	if (!colorset_empty(&s->hyp.colorset))
		diag_report(
			e->dl, RULE_TARGET_UNSUPPORTED,
			loc_of(s, s->hyp.colors.node),
			"Jailhouse has no cache coloring: the hypervisor's colors are dropped");
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		if (!colorset_empty(&c->colorset))
			diag_report(
				e->dl, RULE_TARGET_UNSUPPORTED,
				loc_of(s, c->colors.node),
				"Jailhouse has no cache coloring: the colors of cell '%s' are dropped and its memory is placed without them",
				c->name);
		if (c->initrd || c->bootargs)
			diag_report(
				e->dl, RULE_TARGET_INEXACT,
				loc_of(s, c->initrd ? c->initrd_node
						    : c->bootargs_node),
				"a Jailhouse cell config has no kernel command line or initrd: give those of cell '%s' to 'jailhouse cell linux' (-i INITRD, -c \"BOOTARGS\")",
				c->name);
		if (c->critical && i != e->root)
			diag_report(
				e->dl, RULE_TARGET_UNSUPPORTED,
				loc_of(s, ymap_get(c->node, "critical")),
				"Jailhouse creates cell '%s' from the root cell '%s' once that has booted, so this critical cell does not boot first",
				c->name, root->name);
	}
	for (i = 0; i < root->nregions; i++)
		if (root->regions[i].has_ipa &&
		    root->regions[i].ipa != root->regions[i].place.pa)
			diag_report(
				e->dl, RULE_TARGET_UNSUPPORTED,
				loc_of(s,
				       ymap_get(root->regions[i].node, "ipa")),
				"Jailhouse's root cell '%s' sees memory at its physical address; this ipa is ignored",
				root->name);
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].doorbell_intid)
			diag_report(
				e->dl, RULE_TARGET_UNSUPPORTED,
				loc_of(s, s->shared[i].doorbell_node),
				"Jailhouse's plain shared memory has no doorbell: the doorbell of shared region '%s' (INTID %u) is dropped",
				s->shared[i].name, s->shared[i].doorbell_intid);
	if (s->hyp.console_dev &&
	    jailhouse_console_type(s->hyp.console_dev) == JH_CON_TYPE_NONE)
		diag_report(e->dl, RULE_TARGET_UNSUPPORTED,
			    loc_of(s, s->hyp.console_node ? s->hyp.console_node
							  : s->hyp.node),
			    "Jailhouse has no driver for console '%s'; the "
			    "hypervisor's debug console is left empty",
			    s->hyp.console);
}

static int check_limits(struct emit *e, int revision)
{
	const struct m_system *s = e->s;
	const struct m_board *b = e->b;
	int errors = 0;
	size_t i;

	if (revision < 12 || revision > 14) {
		diag_report(
			e->dl, RULE_TARGET_LIMIT, loc_of(s, NULL),
			"Jailhouse configuration revision %d is not supported (12, 13 or 14)",
			revision);
		errors++;
	}
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		if (strlen(c->name) >= JH_CELL_NAME_LEN) {
			diag_report(e->dl, RULE_TARGET_LIMIT,
				    loc_of(s, c->name_node),
				    "Jailhouse cell names have at most %d "
				    "characters; '%s' has %zu",
				    JH_CELL_NAME_LEN - 1, c->name,
				    strlen(c->name));
			errors++;
		}
		if (i != e->root && !strcmp(c->name, "system")) {
			diag_report(
				e->dl, RULE_TARGET_LIMIT,
				loc_of(s, c->name_node),
				"a cell named 'system' would be written over jailhouse/system.cell, the root cell's system config");
			errors++;
		}
	}
	if (b->gic.version == 2 && (!b->gic.virtual_control.size ||
				    !b->gic.virtual_cpu_interface.size)) {
		diag_report(
			e->dl, RULE_TARGET_LIMIT, loc_of(s, s->board_node),
			"Jailhouse needs the GICv2 virtual interface, but board '%s' gives no gic.virtual-control or gic.virtual-cpu-interface",
			b->name);
		errors++;
	}
	return errors;
}

/* --- files ---------------------------------------------------------------- */

/* Where the files go: a directory, sphc build's struct out, or nowhere. */
struct sink {
	const char *dir; /* NULL: @out */
	struct out *out; /* NULL too: nowhere (sphc check) */
};

/* Write jailhouse/@name. Returns 0, or -1 after reporting the failure. */
static int write_file(struct emit *e, const struct sink *k, const char *name,
		      const struct buf *b)
{
	char *path;
	FILE *f;
	int bad;

	if (!k->dir && !k->out)
		return 0;
	if (!k->dir) {
		path = xasprintf("jailhouse/%s", name);
		bad = out_write(k->out, path, b->p, b->n, false);
		if (bad) {
			diag_report(
				e->dl, RULE_IO_ERROR, loc_of(e->s, NULL), "%s",
				k->out->error
					? k->out->error
					: "cannot write the Jailhouse configs");
			e->errors++;
		}
		free(path);
		return bad ? -1 : 0;
	}
	path = xasprintf("%s/jailhouse/%s", k->dir, name);
	f = fopen(path, "wb");
	bad = !f;
	if (f) {
		bad = fwrite(b->p, 1, b->n, f) != b->n;
		bad |= fclose(f) != 0;
	}
	if (bad) {
		diag_report(e->dl, RULE_IO_ERROR, loc_of(e->s, NULL),
			    "cannot write '%s': %s", path, strerror(errno));
		e->errors++;
	}
	free(path);
	return bad ? -1 : 0;
}

static void platform_of(struct emit *e, struct jh_platform *pf)
{
	const struct m_system *s = e->s;
	const struct m_board *b = e->b;

	memset(pf, 0, sizeof(*pf));
	pf->arch = b->arm32 ? JH_ARCH_ARM : JH_ARCH_ARM64;
	pf->hyp_pa = s->hyp.memory.place.pa;
	pf->hyp_size = page_up(s->hyp.memory.size);
	if (s->hyp.console_dev)
		pf->debug = console_of(s->hyp.console_dev);
	pf->maintenance_irq = (uint8_t)b->gic.maintenance_irq;
	pf->gic_version = (uint8_t)b->gic.version;
	pf->gicd = b->gic.distributor.base;
	if (b->gic.version >= 3) {
		pf->gicr = b->gic.redistributor.base;
	} else {
		pf->gicc = b->gic.cpu_interface.base;
		pf->gich = b->gic.virtual_control.base;
		pf->gicv = b->gic.virtual_cpu_interface.base;
	}
}

static int emit(const struct m_system *s, const struct m_board *b, int revision,
		const struct sink *k, struct diag_list *dl)
{
	struct emit e = { s, b, dl, 0, NULL, 0 };
	struct plain_copy pc = { 0 };
	struct jh_platform pf;
	struct jh_cell *cells;
	struct buf out = { 0 };
	char *dir, *name;
	size_t i;

	if (!s->ncells)
		return 0;
	e.root = jailhouse_root_cell(s);
	e.errors = check_limits(&e, revision);
	warn_unsupported(&e);
	if (any_colors(s)) {
		e.errors += place_without_colors(&e, &pc);
		e.s = &pc.s;
	}
	if (e.errors) {
		free_copy(&pc);
		return e.errors;
	}
	find_owners(&e);
	cells = xcalloc(s->ncells, sizeof(*cells));
	build_root(&e, &cells[e.root]);
	for (i = 0; i < s->ncells; i++)
		if (i != e.root)
			build_cell(&e, &cells[i], i);
	platform_of(&e, &pf);

	dir = k->dir ? xasprintf("%s/jailhouse", k->dir) : NULL;
	if (dir && mkdir(dir, 0777) && errno != EEXIST) {
		diag_report(dl, RULE_IO_ERROR, loc_of(s, NULL),
			    "cannot create '%s': %s", dir, strerror(errno));
		e.errors++;
	} else {
		put_system(&out, &pf, &cells[e.root], revision);
		write_file(&e, k, "system.cell", &out);
		for (i = 0; i < s->ncells && !e.errors; i++) {
			if (i == e.root)
				continue;
			out.n = 0;
			put_cell(&out, &cells[i], revision, false, &pf);
			name = xasprintf("%s.cell", cells[i].name);
			write_file(&e, k, name, &out);
			free(name);
		}
	}
	free(out.p);
	free(dir);
	for (i = 0; i < s->ncells; i++)
		free(cells[i].mem);
	free(cells);
	free(e.owner);
	free_copy(&pc);
	return e.errors;
}

int jailhouse_check(const struct m_system *s, const struct m_board *b,
		    int revision, struct diag_list *dl)
{
	struct sink k = { NULL, NULL };

	return emit(s, b, revision, &k, dl);
}

int jailhouse_emit(const struct m_system *s, const struct m_board *b,
		   int revision, const char *outdir, struct diag_list *dl)
{
	struct sink k = { outdir, NULL };

	return emit(s, b, revision, &k, dl);
}

int jailhouse_emit_out(const struct m_system *s, const struct m_board *b,
		       int revision, struct out *o, struct diag_list *dl)
{
	struct sink k = { NULL, o };

	return emit(s, b, revision, &k, dl);
}
