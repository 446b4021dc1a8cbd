// SPDX-License-Identifier: MIT
/*
 * The dt backend: build/cells/<cell>.dtb, the device tree a cell boots
 * with, in guest-physical addresses (libfdt, sequential-write API).
 *
 *   /                 #address-cells = #size-cells = 2, interrupt-parent: the
 * GIC /chosen           sphc,cell-name = the cell's name; bootargs; the initrd
 *                     (linux,initrd-start/end); stdout-path: a UART the cell
 *                     owns, or its console page
 *   /aliases, /apb-pclk, /serial@ADDR   the console page (sph_cell.vuart_ipa)
 *                     the runtime emulates: arm,pl011 + arm,primecell, a
 *                     24 MHz fixed clock, the board console's interrupt
 *   /cpus/cpu@N       N = 0 .. vCPUs-1: the runtime gives a cell's vCPUs the
 *                     MPIDRs 0 .. n-1 (see abi.h); enable-method "psci"
 *   /psci             arm,psci-1.0, method "hvc"
 *   /memory@IPA       one per RAM region
 *   /reserved-memory/NAME@IPA   one per shared region the cell accesses:
 *                     compatible "sphc,shared-memory", no-map, sphc,access
 *                     "rw" or "ro", and interrupts = the doorbell if any
 *   /interrupt-controller@GICD  GICv3: arm,gic-v3, reg = distributor and
 *                     the redistributor frames of the cell's vCPUs only;
 *                     GICv2: arm,cortex-a15-gic, distributor + CPU interface
 *   /timer            arm,armv8-timer with the board's PPIs
 *   /DEVICE@BASE      each device the cell owns, compatible, reg and
 *                     interrupts as in the board file
 * Interrupt specifiers are GIC triples <type number flags>: SPI (INTID
 * 32..1019) type 0 number INTID-32, PPI (16..31) type 1 number INTID-16;
 * flags 1 edge, 4 level.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "lib/util.h"

#define GIC_PHANDLE 1
#define IRQ_EDGE 1
#define IRQ_LEVEL 4

struct dtw {
	void *fdt;
	int err;
};

/* Each step is skipped once one failed; the first error is kept. */
#define DT(w, call)                                                            \
	do {                                                                   \
		if (!(w)->err) {                                               \
			int rc_ = (call);                                      \
			if (rc_ < 0)                                           \
				(w)->err = rc_;                                \
		}                                                              \
	} while (0)

/* A property value of 32-bit cells, as long as a device needs. */
struct cells {
	fdt32_t *v;
	size_t n, cap;
};

static void cell_add(struct cells *c, uint32_t v)
{
	VEC_RESERVE(c->v, c->n, c->cap);
	c->v[c->n++] = cpu_to_fdt32(v);
}

static void cell_add64(struct cells *c, uint64_t v)
{
	cell_add(c, (uint32_t)(v >> 32));
	cell_add(c, (uint32_t)v);
}

/* Write @c as property @name and empty it. */
static void prop_cells(struct dtw *w, const char *name, struct cells *c)
{
	DT(w, fdt_property(w->fdt, name, c->v, (int)(c->n * sizeof(fdt32_t))));
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void prop_reg(struct dtw *w, uint64_t base, uint64_t size)
{
	struct cells c = { 0 };

	cell_add64(&c, base);
	cell_add64(&c, size);
	prop_cells(w, "reg", &c);
}

static void irq_spec(struct cells *c, uint32_t intid, uint32_t flags)
{
	if (intid < 32) {
		cell_add(c, 1);
		cell_add(c, intid - 16);
	} else {
		cell_add(c, 0);
		cell_add(c, intid - 32);
	}
	cell_add(c, flags);
}

/* A string list property: @n NUL-separated strings. */
static void prop_strings(struct dtw *w, const char *name, const char *const *s,
			 size_t n)
{
	size_t i, len = 0;
	char *buf;

	for (i = 0; i < n; i++)
		len += strlen(s[i]) + 1;
	buf = xmalloc(len ? len : 1);
	len = 0;
	for (i = 0; i < n; i++) {
		memcpy(buf + len, s[i], strlen(s[i]) + 1);
		len += strlen(s[i]) + 1;
	}
	DT(w, fdt_property(w->fdt, name, buf, (int)len));
	free(buf);
}

static void begin_node(struct dtw *w, const char *name, uint64_t addr,
		       bool has_addr)
{
	char *n = has_addr
			  ? xasprintf("%s@%llx", name, (unsigned long long)addr)
			  : xstrdup(name);

	DT(w, fdt_begin_node(w->fdt, n));
	free(n);
}

static bool is_uart(const struct b_device *d)
{
	static const char *const uarts[] = {
		"arm,pl011", "cdns,uart",	 "xlnx,xuartps",  "ns16550",
		"ns8250",    "snps,dw-apb-uart", "arm,sbsa-uart",
	};
	size_t i, j;

	for (i = 0; i < d->ncompatible; i++)
		for (j = 0; j < ARRAY_SIZE(uarts); j++)
			if (!strncmp(d->compatible[i], uarts[j],
				     strlen(uarts[j])))
				return true;
	return false;
}

#define CLOCK_PHANDLE 2
#define CONSOLE_NODE "serial"

/* The path of the cell's console page's node. */
static char *console_path(const struct sph_cell *sc)
{
	return xasprintf("/" CONSOLE_NODE "@%llx",
			 (unsigned long long)sc->vuart_ipa);
}

static void dt_chosen(struct dtw *w, const struct plan *p, size_t ci)
{
	const struct m_cell *c = &p->sys->cells[ci];
	const struct sph_cell *sc = &p->cells[ci];
	const struct b_device *d;
	char *path = NULL;
	size_t i;

	begin_node(w, "chosen", 0, false);
	DT(w, fdt_property_string(w->fdt, "sphc,cell-name", c->name));
	if (c->bootargs)
		DT(w, fdt_property_string(w->fdt, "bootargs", c->bootargs));
	if (sc->initrd_size) {
		DT(w, fdt_property_u64(w->fdt, "linux,initrd-start",
				       sc->initrd_ipa));
		DT(w, fdt_property_u64(w->fdt, "linux,initrd-end",
				       sc->initrd_ipa + sc->initrd_size));
	}
	for (i = 0; i < c->ndevices && !path; i++) {
		d = plan_mapped_device(p, &c->devices[i]);
		if (!d || !is_uart(d))
			continue;
		path = d->nregs ? xasprintf("/%s@%llx", d->name,
					    (unsigned long long)d->regs[0].base)
				: xasprintf("/%s", d->name);
	}
	if (!path && sc->vuart_ipa)
		path = console_path(sc);
	if (path)
		DT(w, fdt_property_string(w->fdt, "stdout-path", path));
	free(path);
	DT(w, fdt_end_node(w->fdt));
}

/*
 * The console page the runtime emulates (hypervisor/core/vuart.c): an
 * arm,pl011 that Linux's amba-pl011 driver and earlycon take. The AMBA bus
 * wants an apb_pclk clock; the interrupt is the board console's, which
 * the runtime never raises (transmit only, the FIFO always has room).
 */
static void dt_console(struct dtw *w, const struct plan *p, size_t ci)
{
	static const char *const compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clocks[] = { "uartclk", "apb_pclk" };
	const struct sph_cell *sc = &p->cells[ci];
	struct cells c = { 0 };
	char *path;

	if (!sc->vuart_ipa)
		return;
	path = console_path(sc);
	begin_node(w, "aliases", 0, false);
	DT(w, fdt_property_string(w->fdt, "serial0", path));
	DT(w, fdt_end_node(w->fdt));
	free(path);
	begin_node(w, "apb-pclk", 0, false);
	DT(w, fdt_property_string(w->fdt, "compatible", "fixed-clock"));
	DT(w, fdt_property_u32(w->fdt, "#clock-cells", 0));
	DT(w, fdt_property_u32(w->fdt, "clock-frequency", 24000000));
	DT(w, fdt_property_u32(w->fdt, "phandle", CLOCK_PHANDLE));
	DT(w, fdt_end_node(w->fdt));
	begin_node(w, CONSOLE_NODE, sc->vuart_ipa, true);
	prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	prop_reg(w, sc->vuart_ipa, 0x1000);
	if (p->platform.console_irq >= 32) {
		irq_spec(&c, p->platform.console_irq, IRQ_LEVEL);
		prop_cells(w, "interrupts", &c);
	}
	cell_add(&c, CLOCK_PHANDLE);
	cell_add(&c, CLOCK_PHANDLE);
	prop_cells(w, "clocks", &c);
	prop_strings(w, "clock-names", clocks, ARRAY_SIZE(clocks));
	DT(w, fdt_end_node(w->fdt));
}

static void dt_cpus(struct dtw *w, uint32_t n)
{
	uint32_t i;

	begin_node(w, "cpus", 0, false);
	DT(w, fdt_property_u32(w->fdt, "#address-cells", 1));
	DT(w, fdt_property_u32(w->fdt, "#size-cells", 0));
	for (i = 0; i < n; i++) {
		begin_node(w, "cpu", i, true);
		DT(w, fdt_property_string(w->fdt, "device_type", "cpu"));
		DT(w, fdt_property_string(w->fdt, "compatible", "arm,armv8"));
		DT(w, fdt_property_u32(w->fdt, "reg", i));
		DT(w, fdt_property_string(w->fdt, "enable-method", "psci"));
		DT(w, fdt_end_node(w->fdt));
	}
	DT(w, fdt_end_node(w->fdt));
}

static void dt_psci(struct dtw *w)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2" };

	begin_node(w, "psci", 0, false);
	prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	DT(w, fdt_property_string(w->fdt, "method", "hvc"));
	DT(w, fdt_end_node(w->fdt));
}

static void dt_memory(struct dtw *w, const struct plan *p, size_t ci)
{
	const struct sph_cell *c = &p->cells[ci];
	const struct sph_region *r;
	uint32_t i;

	for (i = 0; i < c->num_regions; i++) {
		r = &p->regions[c->first_region + i];
		if (r->flags & (SPH_REGION_IO | SPH_REGION_SHARED))
			continue;
		begin_node(w, "memory", r->ipa, true);
		DT(w, fdt_property_string(w->fdt, "device_type", "memory"));
		prop_reg(w, r->ipa, r->size);
		DT(w, fdt_end_node(w->fdt));
	}
}

static void dt_shared(struct dtw *w, const struct plan *p, size_t ci)
{
	const struct sph_cell *c = &p->cells[ci];
	const struct sph_region *r;
	const struct sph_shared *s;
	struct cells irq = { 0 };
	bool any = false;
	uint32_t i;

	for (i = 0; i < c->num_regions; i++) {
		r = &p->regions[c->first_region + i];
		if (!(r->flags & SPH_REGION_SHARED))
			continue;
		if (!any) {
			begin_node(w, "reserved-memory", 0, false);
			DT(w, fdt_property_u32(w->fdt, "#address-cells", 2));
			DT(w, fdt_property_u32(w->fdt, "#size-cells", 2));
			DT(w, fdt_property(w->fdt, "ranges", NULL, 0));
			any = true;
		}
		s = &p->shared[r->shared];
		begin_node(w, plan_string(p, s->name), r->ipa, true);
		DT(w, fdt_property_string(w->fdt, "compatible",
					  "sphc,shared-memory"));
		prop_reg(w, r->ipa, r->size);
		/* Never RAM of the cell's OS: Linux must not map it. */
		DT(w, fdt_property(w->fdt, "no-map", NULL, 0));
		DT(w, fdt_property_string(w->fdt, "sphc,access",
					  r->flags & SPH_REGION_WRITE ? "rw"
								      : "ro"));
		if (s->doorbell_irq) {
			irq_spec(&irq, s->doorbell_irq, IRQ_EDGE);
			prop_cells(w, "interrupts", &irq);
		}
		DT(w, fdt_end_node(w->fdt));
	}
	if (any)
		DT(w, fdt_end_node(w->fdt));
}

static void dt_gic(struct dtw *w, const struct plan *p, uint32_t nvcpus)
{
	const struct sph_platform *pf = &p->platform;
	struct cells reg = { 0 };

	begin_node(w, "interrupt-controller", pf->gicd_base, true);
	if (pf->gic_version >= 3) {
		DT(w, fdt_property_string(w->fdt, "compatible", "arm,gic-v3"));
		cell_add64(&reg, pf->gicd_base);
		cell_add64(&reg, pf->gicd_size);
		cell_add64(&reg, pf->gicr_base);
		cell_add64(&reg, (uint64_t)nvcpus * pf->gicr_stride);
	} else {
		DT(w, fdt_property_string(w->fdt, "compatible",
					  "arm,cortex-a15-gic"));
		cell_add64(&reg, pf->gicd_base);
		cell_add64(&reg, pf->gicd_size);
		cell_add64(&reg, pf->gicc_base);
		cell_add64(&reg, pf->gicc_size);
	}
	prop_cells(w, "reg", &reg);
	DT(w, fdt_property_u32(w->fdt, "#interrupt-cells", 3));
	DT(w, fdt_property_u32(w->fdt, "#address-cells", 0));
	DT(w, fdt_property(w->fdt, "interrupt-controller", NULL, 0));
	DT(w, fdt_property_u32(w->fdt, "phandle", GIC_PHANDLE));
	DT(w, fdt_end_node(w->fdt));
}

static void dt_timer(struct dtw *w, const struct m_board *b)
{
	struct cells irq = { 0 };

	/* Secure physical, non-secure physical, virtual, hypervisor. */
	irq_spec(&irq, b->timer_secure, IRQ_LEVEL);
	irq_spec(&irq, b->timer_phys, IRQ_LEVEL);
	irq_spec(&irq, b->timer_virt, IRQ_LEVEL);
	irq_spec(&irq, b->timer_hyp, IRQ_LEVEL);
	begin_node(w, "timer", 0, false);
	DT(w, fdt_property_string(w->fdt, "compatible", "arm,armv8-timer"));
	prop_cells(w, "interrupts", &irq);
	DT(w, fdt_end_node(w->fdt));
}

/* A device in shared use gets no interrupts: the cells sharing it poll. */
static void dt_device(struct dtw *w, const struct b_device *d, bool shared_use)
{
	struct cells c = { 0 };
	size_t i;

	begin_node(w, d->name, d->nregs ? d->regs[0].base : 0, d->nregs > 0);
	if (d->ncompatible)
		prop_strings(w, "compatible", d->compatible, d->ncompatible);
	if (d->nregs) {
		for (i = 0; i < d->nregs; i++) {
			cell_add64(&c, d->regs[i].base);
			cell_add64(&c, d->regs[i].size);
		}
		prop_cells(w, "reg", &c);
	}
	if (d->nirqs && !shared_use) {
		for (i = 0; i < d->nirqs; i++)
			irq_spec(&c, d->irqs[i].intid,
				 d->irqs[i].trigger == TRIGGER_EDGE
					 ? IRQ_EDGE
					 : IRQ_LEVEL);
		prop_cells(w, "interrupts", &c);
	}
	DT(w, fdt_end_node(w->fdt));
}

uint8_t *dt_cell_make(const struct plan *p, size_t ci, size_t *len)
{
	const struct m_cell *c = &p->sys->cells[ci];
	static const char *const compat[] = { "sphc,cell" };
	size_t area = p->pc[ci].dtb_area;
	struct dtw w = { xcalloc(1, area), 0 };
	char *model;
	size_t i;

	DT(&w, fdt_create(w.fdt, (int)area));
	DT(&w, fdt_finish_reservemap(w.fdt));
	DT(&w, fdt_begin_node(w.fdt, ""));
	DT(&w, fdt_property_u32(w.fdt, "#address-cells", 2));
	DT(&w, fdt_property_u32(w.fdt, "#size-cells", 2));
	prop_strings(&w, "compatible", compat, 1);
	model = xasprintf("sphc cell %s of system %s on %s", c->name,
			  p->sys->name, p->board->name);
	DT(&w, fdt_property_string(w.fdt, "model", model));
	free(model);
	DT(&w, fdt_property_u32(w.fdt, "interrupt-parent", GIC_PHANDLE));
	dt_chosen(&w, p, ci);
	dt_cpus(&w, p->pc[ci].nvcpus);
	dt_psci(&w);
	dt_memory(&w, p, ci);
	dt_shared(&w, p, ci);
	dt_gic(&w, p, p->pc[ci].nvcpus);
	dt_timer(&w, p->board);
	dt_console(&w, p, ci);
	for (i = 0; i < c->ndevices; i++)
		if (plan_mapped_device(p, &c->devices[i]))
			dt_device(&w, c->devices[i].dev,
				  c->devices[i].shared_use);
	DT(&w, fdt_end_node(w.fdt));
	DT(&w, fdt_finish(w.fdt));
	if (w.err) {
		free(w.fdt);
		return NULL;
	}
	*len = fdt_totalsize(w.fdt);
	return w.fdt;
}

int backend_dt(const struct plan *p, struct out *o)
{
	size_t i;
	char *path;
	int rc = 0;

	for (i = 0; !rc && i < p->ncells; i++) {
		if (!p->pc[i].laid_out)
			continue;
		path = xasprintf("cells/%s.dtb", p->sys->cells[i].name);
		rc = out_write(o, path, p->pc[i].dtb, p->pc[i].dtb_size, false);
		free(path);
	}
	return rc;
}
