// SPDX-License-Identifier: MIT
/* The Xen dom0less backend (see xen.h). */
#include <inttypes.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backends/dtb/dtree.h"
#include "front/number.h"
#include "backends/tgt.h"
#include "lib/quote.h"
#include "lib/util.h"
#include "backends/xen/xen.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

/* Where Xen puts a non-direct-mapped domU's RAM (public/arch-arm.h). */
#define XEN_GUEST_RAM0_BASE 0x40000000ULL
#define XEN_GUEST_RAM0_SIZE 0xC0000000ULL
#define XEN_GUEST_RAM1_BASE 0x200000000ULL
/* QEMU's -kernel boot puts the DTB at most this far into RAM. */
#define XEN_QEMU_DTB_MAX (128ULL << 20)
/* xen,shm-id holds at most 15 characters and the NUL. */
#define XEN_SHM_ID_MAX 15

struct xen_cell {
	const struct m_cell *c;
	char *node; /* domU-<cell> */
	bool static_mem, direct_map;
	uint64_t kib;
	char *image;	    /* path of the payload, NULL: placeholder */
	int64_t image_size; /* -1: unknown */
	uint64_t kernel_addr;
	char *initrd;	     /* path of its initrd, NULL: none */
	int64_t initrd_size; /* -1: unknown */
	uint64_t ramdisk_addr;
	struct dt_node *pt; /* passthrough tree, NULL without devices */
	void *pt_blob;
	size_t pt_len;
	uint64_t dtb_addr;
};

/* What a Xen release may lack (see xen.h and the README's target table). */
enum xen_feature {
	XF_SHM,
	XF_STATIC_MEM,
	XF_COLORS,
	XF_VCPU_PIN,
	XF_SCHED_NULL,
	XF_COUNT
};

static const struct {
	const char *what;
	enum xen_version since;
	const char *option; /* NULL: in every build of @since */
} xen_features[XF_COUNT] = {
	[XF_SHM] = { "static shared memory (xen,domain-shared-memory-v1)",
		     XEN_4_17, "CONFIG_STATIC_SHM (needs CONFIG_UNSUPPORTED)" },
	[XF_STATIC_MEM] = { "static memory (xen,static-mem)", XEN_4_17,
			    "CONFIG_STATIC_MEMORY (needs CONFIG_UNSUPPORTED)" },
	[XF_COLORS] = { "LLC coloring (llc-colors)", 420,
			"CONFIG_LLC_COLORING (needs CONFIG_EXPERT)" },
	[XF_VCPU_PIN] = { "vCPU pinning (xen,vcpu nodes)", 421, NULL },
	[XF_SCHED_NULL] = { "the null scheduler (sched=null)", XEN_4_17,
			    "CONFIG_SCHED_NULL (needs CONFIG_UNSUPPORTED)" },
};

struct xen_ctx;
static int xen_write(const struct xen_ctx *x, const char *path, const void *buf,
		     size_t len);
static int xen_text(const struct xen_ctx *x, struct tgt_text *t,
		    const char *path);

struct xen_ctx {
	const struct m_system *s;
	const struct m_board *b;
	struct diag_list *dl;
	char *dir;
	bool dry; /* no output directory: findings only (sphc check) */
	enum xen_version version;
	bool coloring;
	struct xen_cell *cells;
	size_t *order; /* cell indices in boot order */
	char *bootargs;
	int errors;
};

/* Whether the chosen Xen has @f: XEN_4_17 stands for its default build. */
static bool xen_has(const struct xen_ctx *x, enum xen_feature f)
{
	if ((int)x->version < (int)xen_features[f].since)
		return false;
	return !xen_features[f].option || x->version != XEN_4_17;
}

/* Report that @f is left out: what it needs, then what is lost (@fmt). */
static void xen_drop(struct xen_ctx *x, enum xen_feature f, struct loc at,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void xen_drop(struct xen_ctx *x, enum xen_feature f, struct loc at,
		     const char *fmt, ...)
{
	unsigned int since = xen_features[f].since;
	char *lost, *need;
	va_list ap;

	va_start(ap, fmt);
	lost = xvasprintf(fmt, ap);
	va_end(ap);
	need = xen_features[f].option
		       ? xasprintf("Xen %u.%u or later built with %s",
				   since / 100, since % 100,
				   xen_features[f].option)
		       : xasprintf("Xen %u.%u or later", since / 100,
				   since % 100);
	diag_report(x->dl, RULE_TARGET_UNSUPPORTED, at,
		    "Xen %u.%u%s lacks %s, which needs %s: %s",
		    (unsigned int)x->version / 100,
		    (unsigned int)x->version % 100,
		    x->version == XEN_4_17 ? " (default build options)" : "",
		    xen_features[f].what, need, lost);
	free(need);
	free(lost);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

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

static const char *shm_id(const struct m_shared *sh, size_t index, char *buf,
			  size_t len)
{
	if (strlen(sh->name) <= XEN_SHM_ID_MAX)
		return sh->name;
	snprintf(buf, len, "sphc-shm-%zu", index);
	return buf;
}

/* --- per-cell decisions ------------------------------------------------- */

static void plan_memory(struct xen_ctx *x, struct xen_cell *xc)
{
	const struct m_cell *c = xc->c;
	uint64_t total = tgt_cell_memory(c), at;
	size_t i;

	xc->kib = (total + 1023) / 1024;
	if (total % 1024)
		diag_report(
			x->dl, RULE_TARGET_INEXACT, tgt_cell_loc(c, false),
			"Xen sizes domain memory in KiB: cell '%s' gets %" PRIu64
			" KiB for its %" PRIu64 " bytes",
			c->name, xc->kib, total);
	if (tgt_cell_pinned(c)) {
		if (x->coloring)
			diag_report(
				x->dl, RULE_TARGET_INEXACT,
				tgt_cell_loc(c, false),
				"Xen cannot combine LLC coloring with static memory: the memory of cell '%s' is allocated by Xen, not at its base",
				c->name);
		else if (!xen_has(x, XF_STATIC_MEM))
			xen_drop(
				x, XF_STATIC_MEM, tgt_cell_loc(c, false),
				"the memory of cell '%s' is allocated by Xen, not at its base",
				c->name);
		else
			xc->static_mem = true;
	}
	xc->direct_map = xc->static_mem;
	for (i = 0; i < c->nregions; i++)
		if (c->regions[i].place.ipa != c->regions[i].place.pa)
			xc->direct_map = false;
	if (xc->direct_map)
		return;
	/* Xen fills its guest RAM banks with the regions, in order. */
	for (i = 0, at = 0; i < c->nregions; at += c->regions[i++].size) {
		uint64_t guest = XEN_GUEST_RAM0_BASE + at;

		if (at >= XEN_GUEST_RAM0_SIZE)
			guest = XEN_GUEST_RAM1_BASE + at - XEN_GUEST_RAM0_SIZE;

		if (c->regions[i].has_ipa && c->regions[i].ipa != guest)
			diag_report(
				x->dl, RULE_TARGET_INEXACT,
				ynode_loc(c->regions[i].node),
				"Xen lays out the guest memory of cell '%s' itself: this region is at 0x%" PRIx64
				" in the guest, not at ipa 0x%" PRIx64,
				c->name, guest, c->regions[i].ipa);
	}
}

static uint32_t irq_flags(enum b_trigger t)
{
	return t == TRIGGER_EDGE ? 1 : 4; /* rising edge, high level */
}

/* DT interrupt specifier of INTID @intid: <type number flags>. */
static void irq_spec(uint32_t intid, enum b_trigger t, uint32_t out[3])
{
	if (intid >= 32) {
		out[0] = 0;
		out[1] = intid - 32;
	} else {
		out[0] = 1;
		out[1] = intid >= 16 ? intid - 16 : intid;
	}
	out[2] = irq_flags(t);
}

/*
 * The device's node in the host DT: Xen routes its interrupts by it (and
 * 4.18+ refuses a domain whose xen,path does not exist).
 */
static char *host_path(struct xen_ctx *x, const struct b_device *d,
		       const struct ynode *use)
{
	if (d->dt_path)
		return xstrdup(d->dt_path);
	diag_report(
		x->dl, RULE_TARGET_INEXACT, ynode_loc(use),
		"board '%s' does not record the device-tree path of device '%s' (dt-path:): Xen gets a guess, check it against the host device tree",
		x->b->name, d->name);
	return d->nregs
		       ? xasprintf("/soc/%s@%" PRIx64, d->name, d->regs[0].base)
		       : xasprintf("/soc/%s", d->name);
}

static void add_passthrough_device(struct xen_ctx *x, struct dt_node *bus,
				   const struct m_devref *ref, uint64_t page)
{
	const struct b_device *d = ref->dev;
	uint64_t *reg = xcalloc(2 * d->nregs + 1, sizeof(*reg));
	uint64_t *xreg = xcalloc(3 * d->nregs + 1, sizeof(*xreg));
	uint32_t *irqs = xcalloc(3 * d->nirqs + 1, sizeof(*irqs));
	struct dt_cell parent = { 0, "gic" };
	uint64_t base = d->nregs ? d->regs[0].base : 0;
	struct dt_node *n;
	char *path;
	size_t i;

	n = d->nregs ? dt_add_node(bus, "%s@%" PRIx64, d->name, base)
		     : dt_add_node(bus, "%s", d->name);
	if (d->ncompatible)
		dt_prop_strings(n, "compatible", d->compatible, d->ncompatible);
	for (i = 0; i < d->nregs; i++) {
		uint64_t start = d->regs[i].base & ~(page - 1);
		uint64_t end =
			tgt_align_up(d->regs[i].base + d->regs[i].size, page);

		reg[2 * i] = d->regs[i].base;
		reg[2 * i + 1] = d->regs[i].size;
		xreg[3 * i] = start;
		xreg[3 * i + 1] = end - start;
		xreg[3 * i + 2] = start; /* guest address: the same */
	}
	if (d->nregs)
		dt_prop_u64s(n, "reg", reg, 2 * d->nregs);
	/* A device in shared use brings no interrupt. */
	if (d->nirqs && !ref->shared_use) {
		dt_prop_refcells(n, "interrupt-parent", &parent, 1);
		for (i = 0; i < d->nirqs; i++)
			irq_spec(d->irqs[i].intid, d->irqs[i].trigger,
				 &irqs[3 * i]);
		dt_prop_cells(n, "interrupts", irqs, 3 * d->nirqs, true);
	}
	if (d->nregs) {
		dt_prop_u64s(n, "xen,reg", xreg, 3 * d->nregs);
		dt_prop_comment(n, "<PA size IPA>, page-rounded");
	}
	path = host_path(x, d, ref->node);
	dt_prop_string(n, "xen,path", path);
	if (!d->dt_path)
		dt_prop_comment(
			n, "guessed: check it against the host device tree");
	dt_prop_empty(n, "xen,force-assign-without-iommu");
	free(path);
	free(reg);
	free(xreg);
	free(irqs);
}

/*
 * Whether a cell's device is passed through. Xen's own console, listed by
 * a cell that shares it, is not: Xen keeps its UART, and every domain has
 * its virtual PL011 (vpl011), whose output Xen prints.
 */
static bool passed_through(const struct xen_ctx *x, const struct m_devref *ref)
{
	return ref->dev && ref->dev != x->s->hyp.console_dev;
}

static void plan_passthrough(struct xen_ctx *x, struct xen_cell *xc)
{
	const struct m_cell *c = xc->c;
	uint64_t page = x->b->page_size ? x->b->page_size : 4096;
	struct dt_node *root, *gic, *bus;
	size_t i, n;
	int err;

	for (i = 0; i < c->nirqs; i++)
		diag_report(
			x->dl, RULE_TARGET_INEXACT, ynode_loc(c->irqs[i].node),
			"Xen dom0less passes interrupts through only with a device: INTID %u is not given to cell '%s'",
			c->irqs[i].intid, c->name);
	/* handle_passthrough_prop() wants xen,path with xen,reg. */
	for (i = 0; i < c->nmmio; i++)
		diag_report(
			x->dl, RULE_TARGET_UNSUPPORTED,
			ynode_loc(c->mmio[i].node),
			"Xen dom0less maps MMIO only with a node of the host device tree (xen,path): raw MMIO [0x%" PRIx64
			", 0x%" PRIx64 ") is not given to cell '%s'",
			c->mmio[i].base, c->mmio[i].base + c->mmio[i].size,
			c->name);
	for (i = 0, n = 0; i < c->ndevices; i++)
		n += passed_through(x, &c->devices[i]);
	if (!n)
		return;
	root = dt_node_new("/");
	dt_comment(
		root,
		"Passthrough devices of cell '%s' (system '%s', board '%s').\n"
		"Generated by sphc %s; do not edit.",
		c->name, x->s->name, x->b->name, SPHC_VERSION);
	dt_prop_u32(root, "#address-cells", 2);
	dt_prop_u32(root, "#size-cells", 2);
	gic = dt_add_node(root, "gic");
	dt_label(gic, "gic");
	dt_comment(gic,
		   "Placeholder: Xen substitutes the domain's virtual GIC.");
	dt_prop_u32(gic, "#interrupt-cells", 3);
	dt_prop_u32(gic, "#address-cells", 0);
	dt_prop_empty(gic, "interrupt-controller");
	bus = dt_add_node(root, "passthrough");
	dt_prop_string(bus, "compatible", "simple-bus");
	dt_prop_empty(bus, "ranges");
	dt_prop_u32(bus, "#address-cells", 2);
	dt_prop_u32(bus, "#size-cells", 2);
	for (i = 0; i < c->ndevices; i++)
		if (passed_through(x, &c->devices[i]))
			add_passthrough_device(x, bus, &c->devices[i], page);
	err = dt_write_fdt(root, &xc->pt_blob, &xc->pt_len);
	if (err) {
		diag_report(
			x->dl, RULE_IO_ERROR, tgt_cell_loc(c, false),
			"internal error: the passthrough tree of cell '%s' does not flatten: %s",
			c->name, fdt_strerror(err));
		x->errors++;
	}
	xc->pt = root;
}

/* The room a kernel module takes (1 byte for a missing image). */
static uint64_t module_size(const struct xen_cell *xc)
{
	return xc->image_size > 0 ? (uint64_t)xc->image_size : 1;
}

/* The room a ramdisk module takes (1 byte for a missing file). */
static uint64_t initrd_size(const struct xen_cell *xc)
{
	return xc->initrd_size > 0 ? (uint64_t)xc->initrd_size : 1;
}

/* Staging addresses of the boot modules, 2 MiB apart, low in free RAM. */
static void plan_modules(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	struct tgt_ranges taken = { 0 };
	uint64_t total = 0, at;
	size_t i;

	for (i = 0; i < s->ncells; i++) {
		struct xen_cell *xc = &x->cells[i];
		uint64_t size = module_size(xc);

		total += tgt_align_up(size, SZ_2M);
		if (xc->initrd)
			total += tgt_align_up(initrd_size(xc), SZ_2M);
		if (xc->pt)
			total += tgt_align_up(xc->pt_len, SZ_2M);
	}
	tgt_ranges_add_system(&taken, s);
	/*
	 * Not where the boot loads Xen and its DTB: Xen's Image (text_offset
	 * 0) at the start of RAM, and QEMU's -kernel boot puts the DTB at RAM
	 * + min(RAM / 2, 128 MiB) (hw/arm/boot.c, no initrd).
	 */
	if (x->b->nram) {
		const struct b_reg *r = &x->b->ram[0];
		uint64_t half = r->size / 2 < XEN_QEMU_DTB_MAX
					? r->size / 2
					: XEN_QEMU_DTB_MAX;

		tgt_ranges_add(&taken, r->base, SZ_2M);
		tgt_ranges_add(&taken, r->base + (half & ~(SZ_2M - 1)), SZ_2M);
	}
	if (!tgt_ranges_fit(&taken, x->b, total, SZ_2M, &at)) {
		diag_report(
			x->dl, RULE_TARGET_INEXACT, ynode_loc(s->root),
			"no free RAM left on board '%s' for Xen's boot modules: their addresses in dom0less.dtsi are placeholders",
			x->b->name);
		at = x->b->nram ? x->b->ram[0].base : 0;
	}
	tgt_ranges_free(&taken);
	for (i = 0; i < s->ncells; i++) {
		struct xen_cell *xc = &x->cells[i];
		uint64_t size = module_size(xc);

		xc->kernel_addr = at;
		at += tgt_align_up(size, SZ_2M);
		if (xc->initrd) {
			xc->ramdisk_addr = at;
			at += tgt_align_up(initrd_size(xc), SZ_2M);
		}
		if (xc->pt) {
			xc->dtb_addr = at;
			at += tgt_align_up(xc->pt_len, SZ_2M);
		}
	}
}

/* --- /chosen ------------------------------------------------------------- */

static char *make_bootargs(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	const struct m_board *b = x->b;
	char *args, *more, colors[128];

	/* console: none: Xen keeps off every UART (they are the cells'). */
	args = xstrdup(s->hyp.no_console ? "console=none" : "console=dtuart");
	if (s->hyp.console_dev && b->console &&
	    strcmp(s->hyp.console_dev->name, b->console)) {
		char *path = host_path(x, s->hyp.console_dev,
				       s->hyp.console_node ? s->hyp.console_node
							   : s->root);

		more = xasprintf("%s dtuart=%s", args, path);
		free(path);
		free(args);
		args = more;
	}
	more = xasprintf("%s bootscrub=0 vwfi=native", args);
	free(args);
	args = more;
	if (xen_has(x, XF_SCHED_NULL)) {
		more = xasprintf("%s sched=null", args);
		free(args);
		args = more;
	} else {
		xen_drop(x, XF_SCHED_NULL, ynode_loc(s->root),
			 "Xen's default scheduler runs the vCPUs");
	}
	if (x->coloring) {
		/* Xen reads a bare llc-size as KiB: always give the unit. */
		bool kib = !(b->llc_size % 1024);

		more = xasprintf("%s llc-coloring=on llc-size=%" PRIu64
				 "%c llc-nr-ways=%" PRIu64,
				 args, kib ? b->llc_size / 1024 : b->llc_size,
				 kib ? 'K' : 'B', b->llc_ways);
		free(args);
		args = more;
		if (!colorset_empty(&s->hyp.colorset)) {
			colorset_format(&s->hyp.colorset, colors,
					sizeof(colors));
			more = xasprintf("%s xen-llc-colors=%s", args, colors);
			free(args);
			args = more;
		}
	}
	return args;
}

static struct dt_node *add_module(struct dt_node *dom, uint64_t addr,
				  uint64_t size, const char *kind,
				  const char *what)
{
	const char *compat[] = { kind, "multiboot,module" };
	uint64_t reg[2] = { addr, size };
	struct dt_node *m = dt_add_node(dom, "module@%" PRIx64, addr);

	dt_comment(m, "%s", what);
	dt_prop_strings(m, "compatible", compat, 2);
	dt_prop_u64s(m, "reg", reg, 2);
	return m;
}

/* Cell @cell's access to @sh (NULL: none); *@owner: the first writer. */
static const struct m_access *shm_access(const struct m_shared *sh, size_t cell,
					 const struct m_access **owner)
{
	const struct m_access *mine = NULL;
	size_t j;

	*owner = NULL;
	for (j = 0; j < sh->naccess; j++) {
		if (!*owner && sh->access[j].writable)
			*owner = &sh->access[j];
		if (sh->access[j].cell_index == (int)cell)
			mine = &sh->access[j];
	}
	return mine;
}

/* The xen,domain-shared-memory-v1 node of region @index under @dom. */
static void shm_node(const struct m_system *s, struct dt_node *dom,
		     size_t index, size_t cell)
{
	const struct m_shared *sh = &s->shared[index];
	const struct m_access *owner, *mine = shm_access(sh, cell, &owner);
	uint64_t prop[3] = { sh->place.pa, sh->place.ipa, sh->size };
	struct dt_node *n;
	char idbuf[32];

	n = dt_add_node(dom, "shm-%s", sh->name);
	dt_comment(n, "shared region '%s' (%s in sphc)", sh->name,
		   mine->writable ? "rw" : "ro");
	dt_prop_string(n, "compatible", "xen,domain-shared-memory-v1");
	dt_prop_string(n, "role", mine == owner ? "owner" : "borrower");
	dt_prop_string(n, "xen,shm-id",
		       shm_id(sh, index, idbuf, sizeof(idbuf)));
	dt_prop_u64s(n, "xen,shared-mem", prop, 3);
	dt_prop_comment(n, "<PA IPA size>");
}

static void add_shared(struct xen_ctx *x, struct dt_node *dom,
		       const struct xen_cell *xc, size_t cell)
{
	const struct m_system *s = x->s;
	size_t i;

	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];
		const struct m_access *owner,
			*mine = shm_access(sh, cell, &owner);

		if (!mine)
			continue;
		shm_node(s, dom, i, cell);
		if (!mine->writable)
			diag_report(
				x->dl, RULE_TARGET_INEXACT,
				ynode_loc(mine->node),
				"Xen maps static shared memory read-write: cell '%s' can write shared region '%s' on Xen",
				mine->cell, sh->name);
		if (sh->doorbell_intid && mine == &sh->access[0])
			diag_report(
				x->dl, RULE_TARGET_INEXACT,
				ynode_loc(sh->doorbell_node ? sh->doorbell_node
							    : sh->node),
				"Xen has no doorbell interrupt for shared memory: shared region '%s' gets none on Xen (use an event channel)",
				sh->name);
		if (!xc->direct_map &&
		    sh->place.ipa + sh->size > XEN_GUEST_RAM0_BASE &&
		    sh->place.ipa < XEN_GUEST_RAM0_BASE + xc->kib * 1024)
			diag_report(
				x->dl, RULE_TARGET_INEXACT,
				ynode_loc(mine->node),
				"shared region '%s' at 0x%" PRIx64
				" falls into the guest RAM Xen gives cell '%s' (from 0x%llx)",
				sh->name, sh->place.ipa, xc->c->name,
				XEN_GUEST_RAM0_BASE);
	}
}

static struct dt_node *make_chosen(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	struct dt_node *chosen = dt_node_new("chosen");
	char colors[128];
	size_t i, j, k;
	bool statics = false, pin = xen_has(x, XF_VCPU_PIN);

	for (i = 0; i < s->ncells; i++)
		statics |= x->cells[i].static_mem;
	dt_prop_string(chosen, "xen,xen-bootargs", x->bootargs);
	if (statics) {
		/* xen,static-mem is read with the cells of /chosen. */
		dt_prop_u32(chosen, "#address-cells", 2);
		dt_prop_u32(chosen, "#size-cells", 2);
	}
	for (k = 0; k < s->ncells; k++) {
		struct xen_cell *xc = &x->cells[x->order[k]];
		const struct m_cell *c = xc->c;
		uint64_t kib = xc->kib;
		uint32_t mem[2] = { (uint32_t)(kib >> 32), (uint32_t)kib };
		struct dt_node *dom = dt_add_node(chosen, "%s", xc->node),
			       *kernel;
		unsigned int id, v = 0;
		char *what;

		dt_comment(dom, "cell '%s'%s", c->name,
			   c->critical ? " (critical)" : "");
		dt_prop_string(dom, "compatible", "xen,domain");
		dt_prop_u32(dom, "#address-cells", 2);
		dt_prop_u32(dom, "#size-cells", 2);
		dt_prop_u32(dom, "cpus", tgt_cpu_count(c->cpumask));
		dt_prop_cells(dom, "memory", mem, 2, true);
		dt_prop_comment(dom, "KiB");
		if (x->coloring && !colorset_empty(&c->colorset)) {
			colorset_format(&c->colorset, colors, sizeof(colors));
			dt_prop_string(dom, "llc-colors", colors);
		}
		if (xc->static_mem) {
			uint64_t *pairs =
				xcalloc(2 * c->nregions, sizeof(*pairs));

			for (j = 0; j < c->nregions; j++) {
				pairs[2 * j] = c->regions[j].place.pa;
				pairs[2 * j + 1] = c->regions[j].size;
			}
			dt_prop_u64s(dom, "xen,static-mem", pairs,
				     2 * c->nregions);
			free(pairs);
			if (xc->direct_map)
				dt_prop_empty(dom, "direct-map");
		}
		dt_prop_empty(dom, "vpl011");
		for (id = 0; pin && id < 64; id++) {
			struct dt_node *vcpu;

			if (!(c->cpumask >> id & 1))
				continue;
			vcpu = dt_add_node(dom, "vcpu%u", v);
			dt_prop_string(vcpu, "compatible", "xen,vcpu");
			dt_prop_u32(vcpu, "id", v++);
			what = xasprintf("%u", id);
			dt_prop_string(vcpu, "hard-affinity", what);
			free(what);
		}
		if (xc->image) {
			char *image = quote_comment(c->image);

			what = xasprintf("kernel: %s%s", image,
					 xc->image_size < 0
						 ? " (not found: size 0)"
						 : "");
			free(image);
		} else
			what = xasprintf(
				"kernel: placeholder %s.bin (the cell has no image:)",
				c->name);
		kernel = add_module(
			dom, xc->kernel_addr,
			xc->image_size > 0 ? (uint64_t)xc->image_size : 0,
			"multiboot,kernel", what);
		free(what);
		/* Xen reads a domain's command line from its kernel. */
		if (c->bootargs)
			dt_prop_string(kernel, "bootargs", c->bootargs);
		if (xc->initrd) {
			char *initrd = quote_comment(c->initrd);

			what = xasprintf("ramdisk: %s", initrd);
			free(initrd);
			add_module(dom, xc->ramdisk_addr,
				   xc->initrd_size > 0
					   ? (uint64_t)xc->initrd_size
					   : 0,
				   "multiboot,ramdisk", what);
			free(what);
		}
		if (xc->pt) {
			what = xasprintf(
				"passthrough devices: %s-passthrough.dtb",
				c->name);
			add_module(dom, xc->dtb_addr, xc->pt_len,
				   "multiboot,device-tree", what);
			free(what);
		}
		if (xen_has(x, XF_SHM))
			add_shared(x, dom, xc, x->order[k]);
	}
	if (!pin && s->ncells)
		xen_drop(x, XF_VCPU_PIN,
			 tgt_cell_loc(x->cells[x->order[0]].c, false),
			 "vCPUs are not pinned to the cells' CPUs");
	return chosen;
}

static int write_dtsi(struct xen_ctx *x, struct dt_node *chosen)
{
	char *label = tgt_system_label(x->s);
	struct dt_node *root = dt_node_new("/");
	struct tgt_text t;
	char *path;
	int errors;

	tgt_text_open(&t);
	fprintf(t.f,
		"// SPDX-License-Identifier: MIT\n"
		"/*\n"
		" * Xen dom0less domains of system '%s' for board '%s'.\n"
		" * Generated by sphc %s from %s; do not edit.\n"
		" *\n"
		" * Include it at the end of the host device tree source\n"
		" * (/include/ \"dom0less.dtsi\"), or apply dom0less.dtbo to the host\n"
		" * DTB. Load each module at the address its reg gives.\n"
		" */\n",
		x->s->name, x->b->name, SPHC_VERSION, label);
	free(label);
	VEC_RESERVE(root->kids, root->nkids, root->kids_cap);
	root->kids[root->nkids++] = chosen;
	dt_write_dts(t.f, root, 0);
	root->nkids = 0;
	dt_node_free(root);
	path = xasprintf("%s/dom0less.dtsi", x->dir);
	errors = xen_text(x, &t, path);
	free(path);
	return errors;
}

/*
 * fdtoverlay and U-Boot's `fdt apply` (libfdt's fdt_add_subnode) insert a
 * new node before its siblings: list every level in reverse so that the
 * applied tree has @n's order (Xen creates domains in node order).
 */
static void reverse_kids(struct dt_node *n)
{
	size_t i;

	for (i = 0; i < n->nkids / 2; i++) {
		struct dt_node *t = n->kids[i];

		n->kids[i] = n->kids[n->nkids - 1 - i];
		n->kids[n->nkids - 1 - i] = t;
	}
	for (i = 0; i < n->nkids; i++)
		reverse_kids(n->kids[i]);
}

/* Write @overlay (its children, put under /chosen) as @dir/@name. */
static int write_overlay(struct xen_ctx *x, struct dt_node *overlay,
			 const char *name)
{
	struct dt_node *root = dt_node_new("/"), *frag;
	void *blob;
	size_t len;
	char *path;
	int err, errors = 0;

	frag = dt_add_node(root, "fragment@0");
	dt_prop_string(frag, "target-path", "/chosen");
	free(overlay->name);
	overlay->name = xstrdup("__overlay__");
	reverse_kids(overlay);
	VEC_RESERVE(frag->kids, frag->nkids, frag->kids_cap);
	frag->kids[frag->nkids++] = overlay;
	err = dt_write_fdt(root, &blob, &len);
	frag->nkids = 0;
	dt_node_free(root);
	path = xasprintf("%s/%s", x->dir, name);
	if (err) {
		diag_report(x->dl, RULE_IO_ERROR, ynode_loc(x->s->root),
			    "internal error: cannot build '%s': %s", path,
			    fdt_strerror(err));
		errors++;
	} else {
		errors += xen_write(x, path, blob, len);
		free(blob);
	}
	free(path);
	return errors;
}

static int write_dtbo(struct xen_ctx *x, struct dt_node *chosen)
{
	return write_overlay(x, chosen, "dom0less.dtbo");
}

static int write_passthrough(struct xen_ctx *x, const struct xen_cell *xc)
{
	struct tgt_text t;
	char *path;
	int errors;

	if (!xc->pt || !xc->pt_blob)
		return 0;
	tgt_text_open(&t);
	fputs("/dts-v1/;\n\n", t.f);
	dt_write_dts(t.f, xc->pt, 0);
	path = xasprintf("%s/%s-passthrough.dts", x->dir, xc->c->name);
	errors = xen_text(x, &t, path);
	free(path);
	path = xasprintf("%s/%s-passthrough.dtb", x->dir, xc->c->name);
	errors += xen_write(x, path, xc->pt_blob, xc->pt_len);
	free(path);
	return errors;
}

/* --- ImageBuilder --------------------------------------------------------- */

/*
 * ImageBuilder takes one shared region per domain and no role: every
 * region goes into an overlay on its /chosen/domU<k> nodes instead.
 */
static int write_imagebuilder_shm(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	struct dt_node *chosen = dt_node_new("chosen");
	size_t k, i, n = s->ncells;
	int errors;

	for (k = 0; k < n; k++) {
		size_t cell = x->order[n - 1 - k];
		struct dt_node *dom = NULL;

		for (i = 0; i < s->nshared; i++) {
			const struct m_access *owner;

			if (!shm_access(&s->shared[i], cell, &owner))
				continue;
			if (!dom) {
				dom = dt_add_node(chosen, "domU%zu", k);
				dt_comment(dom, "cell '%s'",
					   s->cells[cell].name);
			}
			shm_node(s, dom, i, cell);
		}
	}
	errors = write_overlay(x, chosen, "imagebuilder-shm.dtbo");
	dt_node_free(chosen);
	return errors;
}

static int write_imagebuilder(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	const struct m_board *b = x->b;
	char *label = tgt_system_label(s);
	bool shm = xen_has(x, XF_SHM) && s->nshared;
	struct tgt_text t;
	char colors[128], idbuf[32], *path, *name;
	size_t i, j, k, n = s->ncells;
	int errors = 0;
	FILE *f;

	tgt_text_open(&t);
	f = t.f;
	fprintf(f,
		"# Xen dom0less boot of system '%s' for board '%s', as an ImageBuilder\n"
		"# configuration. Generated by sphc %s from %s; do not edit.\n"
		"#\n"
		"#   scripts/uboot-script-gen -c imagebuilder.cfg -d . -t sd -o boot\n"
		"#\n"
		"# run in this directory, with xen, the board's DTB and the payloads at the\n"
		"# paths below. ImageBuilder writes its own /chosen from these lines; its\n"
		"# DOMU_COLORS becomes an older 'colors' binding, so with LLC coloring\n"
		"# prefer dom0less.dtbo (llc-colors, vCPU pinning).\n"
		"# U-Boot's fdt mknod puts each new domU node before the others, and Xen\n"
		"# creates domains in node order: the domains are listed last-booted\n"
		"# first, so the critical cells start first.\n",
		s->name, b->name, SPHC_VERSION, label);
	free(label);
	if (b->nram)
		fprintf(f,
			"MEMORY_START=\"0x%" PRIx64
			"\"\nMEMORY_END=\"0x%" PRIx64 "\"\n",
			b->ram[0].base, b->ram[0].base + b->ram[0].size);
	name = xasprintf("%s.dtb", b->name);
	fputs("DEVICE_TREE=", f);
	fput_sh_word(f, name);
	free(name);
	fputs("\t# placeholder: the board's host device tree\n", f);
	fputs("XEN=\"xen\"\t# placeholder: the Xen binary\n", f);
	fputs("XEN_CMD=", f);
	fput_sh_word(f, x->bootargs);
	fputs("\n# No DOM0_KERNEL: dom0less.\n", f);
	if (shm)
		fputs("# ImageBuilder's DOMU_SHARED_MEM takes one region per domain and no\n"
		      "# role: every region, with its role, is in this overlay instead.\n"
		      "NUM_DT_OVERLAY=1\n"
		      "DT_OVERLAY[0]=\"imagebuilder-shm.dtbo\"\n",
		      f);
	fprintf(f, "NUM_DOMUS=%zu\n", n);
	for (k = 0; k < n; k++) {
		i = x->order[n - 1 - k];
		const struct xen_cell *xc = &x->cells[i];
		const struct m_cell *c = xc->c;

		fprintf(f, "\n# cell '%s'%s, boot order %u\n", c->name,
			c->critical ? " (critical)" : "", c->boot_order);
		fprintf(f, "DOMU_KERNEL[%zu]=", k);
		if (xc->image) {
			name = tgt_relpath(x->dir, xc->image);
			fput_sh_word(f, name);
			free(name);
			fputc('\n', f);
		} else {
			fprintf(f, "\"%s.bin\"\t# placeholder: no image:\n",
				c->name);
		}
		if (xc->initrd) {
			fprintf(f, "DOMU_RAMDISK[%zu]=", k);
			name = tgt_relpath(x->dir, xc->initrd);
			fput_sh_word(f, name);
			free(name);
			fputc('\n', f);
		}
		if (c->bootargs) {
			fprintf(f, "DOMU_CMD[%zu]=", k);
			fput_sh_word(f, c->bootargs);
			fputc('\n', f);
		}
		fprintf(f, "DOMU_MEM[%zu]=%" PRIu64 "\t# MiB%s\n", k,
			(xc->kib + 1023) / 1024,
			xc->kib % 1024 ? " (rounded up)" : "");
		fprintf(f, "DOMU_VCPUS[%zu]=%u\n", k,
			tgt_cpu_count(c->cpumask));
		if (x->coloring && !colorset_empty(&c->colorset)) {
			colorset_format(&c->colorset, colors, sizeof(colors));
			fprintf(f, "DOMU_COLORS[%zu]=\"%s\"\n", k, colors);
		}
		if (xc->static_mem) {
			fprintf(f, "DOMU_STATIC_MEM[%zu]=\"", k);
			for (j = 0; j < c->nregions; j++)
				fprintf(f, "%s0x%" PRIx64 " 0x%" PRIx64,
					j ? " " : "", c->regions[j].place.pa,
					c->regions[j].size);
			fputs("\"\n", f);
			fprintf(f, "DOMU_DIRECT_MAP[%zu]=%d\n", k,
				xc->direct_map ? 1 : 0);
		}
		if (xc->pt)
			fprintf(f,
				"DOMU_PASSTHROUGH_DTB[%zu]=\"%s-passthrough.dtb\"\n",
				k, c->name);
		for (j = 0; shm && j < s->nshared; j++) {
			const struct m_shared *sh = &s->shared[j];
			const struct m_access *owner,
				*mine = shm_access(sh, i, &owner);

			if (mine)
				fprintf(f,
					"# shared region '%s' (xen,shm-id %s): %s, <PA IPA size> = <0x%" PRIx64
					" 0x%" PRIx64 " 0x%" PRIx64
					">, in imagebuilder-shm.dtbo\n",
					sh->name,
					shm_id(sh, j, idbuf, sizeof(idbuf)),
					mine == owner ? "owner" : "borrower",
					sh->place.pa, sh->place.ipa, sh->size);
		}
	}
	path = xasprintf("%s/imagebuilder.cfg", x->dir);
	errors += xen_text(x, &t, path);
	free(path);
	if (shm)
		errors += write_imagebuilder_shm(x);
	return errors;
}

/* Where a finding about the system's colors points: the first given. */
static struct loc colors_loc(const struct m_system *s)
{
	size_t i;

	if (s->hyp.colors.node)
		return ynode_loc(s->hyp.colors.node);
	for (i = 0; i < s->ncells; i++)
		if (s->cells[i].colors.node)
			return ynode_loc(s->cells[i].colors.node);
	return ynode_loc(s->root);
}

/* Static shared memory left out: one warning naming every region. */
static void drop_shared(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	char *names = xstrdup(""), *more;
	size_t i;

	for (i = 0; i < s->nshared; i++) {
		more = xasprintf("%s%s'%s'", names,
				 !i		       ? ""
				 : i + 1 == s->nshared ? " and "
						       : ", ",
				 s->shared[i].name);
		free(names);
		names = more;
	}
	xen_drop(x, XF_SHM, ynode_loc(s->shared[0].node),
		 "shared region%s %s %s left out", s->nshared > 1 ? "s" : "",
		 names, s->nshared > 1 ? "are" : "is");
	free(names);
}

static int xen_write(const struct xen_ctx *x, const char *path, const void *buf,
		     size_t len)
{
	return x->dry ? 0 : tgt_write(path, buf, len, x->dl);
}

static int xen_text(const struct xen_ctx *x, struct tgt_text *t,
		    const char *path)
{
	if (!x->dry)
		return tgt_text_write(t, path, x->dl);
	fclose(t->f);
	free(t->buf);
	t->buf = NULL;
	return 0;
}

int xen_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, enum xen_version version, struct diag_list *dl)
{
	struct xen_ctx x = { .s = s, .b = b, .dl = dl, .version = version };
	uint32_t ncolors = board_colors(b);
	struct dt_node *chosen;
	size_t i;

	if (tgt_arm32_refused(
		    b, "sphc writes Xen's AArch64 dom0less configuration", dl))
		return 1;
	/* No @outdir: everything but the writing, for sphc check. */
	x.dry = !outdir;
	x.dir = outdir ? tgt_dir(outdir, "xen", dl) : xstrdup("xen");
	if (!x.dir)
		return 1;
	x.order = xcalloc(s->ncells + 1, sizeof(*x.order));
	for (i = 0; i < s->ncells; i++)
		if (s->cells[i].boot_order < s->ncells)
			x.order[s->cells[i].boot_order] = i;
	if (any_colors(s) && !xen_has(&x, XF_COLORS)) {
		xen_drop(
			&x, XF_COLORS, colors_loc(s),
			"the colors of the hypervisor and of every cell are left out");
	} else if (any_colors(s)) {
		if (ncolors >= 2 && is_pow2(ncolors))
			x.coloring = true;
		else
			diag_report(
				dl, RULE_TARGET_INEXACT, ynode_loc(s->root),
				"Xen colors need a power of two of at least 2 colors; board '%s' has %u: no coloring on Xen",
				b->name, ncolors);
	}
	x.cells = xcalloc(s->ncells + 1, sizeof(*x.cells));
	for (i = 0; i < s->ncells; i++) {
		struct xen_cell *xc = &x.cells[i];

		xc->c = &s->cells[i];
		xc->node = xasprintf("domU-%s", xc->c->name);
		xc->image = tgt_image_path(s, xc->c);
		xc->image_size = xc->image ? tgt_file_size(xc->image) : -1;
		xc->initrd = tgt_file_path(s, xc->c->initrd);
		xc->initrd_size = xc->initrd ? tgt_file_size(xc->initrd) : -1;
		plan_memory(&x, xc);
		plan_passthrough(&x, xc);
		for (size_t j = 0; j < xc->c->nirqs; j++)
			if (xc->c->irqs[j].has_priority)
				diag_report(
					dl, RULE_TARGET_INEXACT,
					ynode_loc(xc->c->irqs[j].node),
					"Xen dom0less has no interrupt priorities: the priority of INTID %u is not kept",
					xc->c->irqs[j].intid);
	}
	plan_modules(&x);
	if (s->nshared && !xen_has(&x, XF_SHM))
		drop_shared(&x);
	x.bootargs = make_bootargs(&x);
	chosen = make_chosen(&x);
	x.errors += write_dtsi(&x, chosen);
	x.errors += write_dtbo(&x, chosen);
	dt_node_free(chosen);
	for (i = 0; i < s->ncells; i++)
		x.errors += write_passthrough(&x, &x.cells[i]);
	x.errors += write_imagebuilder(&x);
	for (i = 0; i < s->ncells; i++) {
		free(x.cells[i].node);
		free(x.cells[i].image);
		free(x.cells[i].initrd);
		free(x.cells[i].pt_blob);
		dt_node_free(x.cells[i].pt);
	}
	free(x.cells);
	free(x.order);
	free(x.bootargs);
	free(x.dir);
	return x.errors;
}
