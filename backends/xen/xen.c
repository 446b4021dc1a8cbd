// SPDX-License-Identifier: MIT
/* The Xen dom0less backend (see xen.h). */
#include <inttypes.h>
#include <libfdt.h>
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
	struct dt_node *pt; /* passthrough tree, NULL without devices */
	void *pt_blob;
	size_t pt_len;
	uint64_t dtb_addr;
};

struct xen_ctx {
	const struct m_system *s;
	const struct m_board *b;
	struct diag_list *dl;
	char *dir;
	bool coloring;
	struct xen_cell *cells;
	char *bootargs;
	int errors;
};

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

static void add_passthrough_device(struct dt_node *bus,
				   const struct b_device *d, uint64_t page)
{
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
	if (d->nirqs) {
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
	path = d->nregs ? xasprintf("/soc/%s@%" PRIx64, d->name, base)
			: xasprintf("/soc/%s", d->name);
	dt_prop_string(n, "xen,path", path);
	dt_prop_comment(n, "derived: check it against the host device tree");
	dt_prop_empty(n, "xen,force-assign-without-iommu");
	free(path);
	free(reg);
	free(xreg);
	free(irqs);
}

static void plan_passthrough(struct xen_ctx *x, struct xen_cell *xc)
{
	const struct m_cell *c = xc->c;
	uint64_t page = x->b->page_size ? x->b->page_size : 4096;
	struct dt_node *root, *gic, *bus;
	size_t i;
	int err;

	for (i = 0; i < c->nirqs; i++)
		diag_report(
			x->dl, RULE_TARGET_INEXACT, ynode_loc(c->irqs[i].node),
			"Xen dom0less passes interrupts through only with a device: INTID %u is not given to cell '%s'",
			c->irqs[i].intid, c->name);
	if (!c->ndevices)
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
		if (c->devices[i].dev)
			add_passthrough_device(bus, c->devices[i].dev, page);
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
		if (xc->pt)
			total += tgt_align_up(xc->pt_len, SZ_2M);
	}
	tgt_ranges_add_system(&taken, s);
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

	args = xstrdup("console=dtuart");
	if (s->hyp.console_dev && b->console &&
	    strcmp(s->hyp.console_dev->name, b->console) &&
	    s->hyp.console_dev->nregs) {
		more = xasprintf("%s dtuart=/soc/%s@%" PRIx64, args,
				 s->hyp.console_dev->name,
				 s->hyp.console_dev->regs[0].base);
		free(args);
		args = more;
	}
	more = xasprintf("%s bootscrub=0 vwfi=native sched=null", args);
	free(args);
	args = more;
	if (x->coloring) {
		more = xasprintf("%s llc-coloring=on llc-size=%" PRIu64
				 " llc-nr-ways=%" PRIu64,
				 args, b->llc_size, b->llc_ways);
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

static void add_module(struct dt_node *dom, uint64_t addr, uint64_t size,
		       const char *kind, const char *what)
{
	const char *compat[] = { kind, "multiboot,module" };
	uint64_t reg[2] = { addr, size };
	struct dt_node *m = dt_add_node(dom, "module@%" PRIx64, addr);

	dt_comment(m, "%s", what);
	dt_prop_strings(m, "compatible", compat, 2);
	dt_prop_u64s(m, "reg", reg, 2);
}

static void add_shared(struct xen_ctx *x, struct dt_node *dom,
		       const struct xen_cell *xc, size_t cell)
{
	const struct m_system *s = x->s;
	size_t i, j;
	char idbuf[32];

	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];
		const struct m_access *owner = NULL, *mine = NULL;
		uint64_t prop[3] = { sh->place.pa, sh->place.ipa, sh->size };
		struct dt_node *n;

		for (j = 0; j < sh->naccess; j++) {
			if (!owner && sh->access[j].writable)
				owner = &sh->access[j];
			if (sh->access[j].cell_index == (int)cell)
				mine = &sh->access[j];
		}
		if (!mine)
			continue;
		n = dt_add_node(dom, "shm-%s", sh->name);
		dt_comment(n, "shared region '%s' (%s in sphc)", sh->name,
			   mine->writable ? "rw" : "ro");
		dt_prop_string(n, "compatible", "xen,domain-shared-memory-v1");
		dt_prop_string(n, "role", mine == owner ? "owner" : "borrower");
		dt_prop_string(n, "xen,shm-id",
			       shm_id(sh, i, idbuf, sizeof(idbuf)));
		dt_prop_u64s(n, "xen,shared-mem", prop, 3);
		dt_prop_comment(n, "<PA IPA size>");
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
	size_t i, j;
	bool statics = false;

	for (i = 0; i < s->ncells; i++)
		statics |= x->cells[i].static_mem;
	dt_prop_string(chosen, "xen,xen-bootargs", x->bootargs);
	if (statics) {
		/* xen,static-mem is read with the cells of /chosen. */
		dt_prop_u32(chosen, "#address-cells", 2);
		dt_prop_u32(chosen, "#size-cells", 2);
	}
	for (i = 0; i < s->ncells; i++) {
		struct xen_cell *xc = &x->cells[i];
		const struct m_cell *c = xc->c;
		uint64_t kib = xc->kib;
		uint32_t mem[2] = { (uint32_t)(kib >> 32), (uint32_t)kib };
		struct dt_node *dom = dt_add_node(chosen, "%s", xc->node);
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
		for (id = 0; id < 64; id++) {
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
		add_module(dom, xc->kernel_addr,
			   xc->image_size > 0 ? (uint64_t)xc->image_size : 0,
			   "multiboot,kernel", what);
		free(what);
		if (xc->pt) {
			what = xasprintf(
				"passthrough devices: %s-passthrough.dtb",
				c->name);
			add_module(dom, xc->dtb_addr, xc->pt_len,
				   "multiboot,device-tree", what);
			free(what);
		}
		add_shared(x, dom, xc, i);
	}
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
	errors = tgt_text_write(&t, path, x->dl);
	free(path);
	return errors;
}

static int write_dtbo(struct xen_ctx *x, struct dt_node *chosen)
{
	struct dt_node *root = dt_node_new("/"), *frag;
	void *blob;
	size_t len;
	char *path;
	int err, errors = 0;

	frag = dt_add_node(root, "fragment@0");
	dt_prop_string(frag, "target-path", "/chosen");
	free(chosen->name);
	chosen->name = xstrdup("__overlay__");
	VEC_RESERVE(frag->kids, frag->nkids, frag->kids_cap);
	frag->kids[frag->nkids++] = chosen;
	err = dt_write_fdt(root, &blob, &len);
	frag->nkids = 0;
	dt_node_free(root);
	path = xasprintf("%s/dom0less.dtbo", x->dir);
	if (err) {
		diag_report(x->dl, RULE_IO_ERROR, ynode_loc(x->s->root),
			    "internal error: cannot build '%s': %s", path,
			    fdt_strerror(err));
		errors++;
	} else {
		errors += tgt_write(path, blob, len, x->dl);
		free(blob);
	}
	free(path);
	return errors;
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
	errors = tgt_text_write(&t, path, x->dl);
	free(path);
	path = xasprintf("%s/%s-passthrough.dtb", x->dir, xc->c->name);
	errors += tgt_write(path, xc->pt_blob, xc->pt_len, x->dl);
	free(path);
	return errors;
}

/* --- ImageBuilder --------------------------------------------------------- */

static int write_imagebuilder(struct xen_ctx *x)
{
	const struct m_system *s = x->s;
	const struct m_board *b = x->b;
	char *label = tgt_system_label(s);
	struct tgt_text t;
	char colors[128], idbuf[32], *path;
	size_t i, j, k;
	int errors;
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
		"# prefer dom0less.dtbo (llc-colors, vCPU pinning, every shared region).\n",
		s->name, b->name, SPHC_VERSION, label);
	free(label);
	if (b->nram)
		fprintf(f,
			"MEMORY_START=\"0x%" PRIx64
			"\"\nMEMORY_END=\"0x%" PRIx64 "\"\n",
			b->ram[0].base, b->ram[0].base + b->ram[0].size);
	fprintf(f,
		"DEVICE_TREE=\"%s.dtb\"\t# placeholder: the board's host device tree\n",
		b->name);
	fputs("XEN=\"xen\"\t# placeholder: the Xen binary\n", f);
	fprintf(f, "XEN_CMD=\"%s\"\n", x->bootargs);
	fputs("# No DOM0_KERNEL: dom0less.\n", f);
	fprintf(f, "NUM_DOMUS=%zu\n", s->ncells);
	for (i = 0; i < s->ncells; i++) {
		const struct xen_cell *xc = &x->cells[i];
		const struct m_cell *c = xc->c;
		char *kernel;
		bool first_shm = true;

		fprintf(f, "\n# cell '%s'\n", c->name);
		if (xc->image) {
			kernel = tgt_relpath(x->dir, xc->image);
			fprintf(f, "DOMU_KERNEL[%zu]=", i);
			fput_sh_word(f, kernel);
			fputc('\n', f);
			free(kernel);
		} else {
			fprintf(f,
				"DOMU_KERNEL[%zu]=\"%s.bin\"\t# placeholder: no image:\n",
				i, c->name);
		}
		fprintf(f, "DOMU_MEM[%zu]=%" PRIu64 "\t# MiB%s\n", i,
			(xc->kib + 1023) / 1024,
			xc->kib % 1024 ? " (rounded up)" : "");
		fprintf(f, "DOMU_VCPUS[%zu]=%u\n", i,
			tgt_cpu_count(c->cpumask));
		if (x->coloring && !colorset_empty(&c->colorset)) {
			colorset_format(&c->colorset, colors, sizeof(colors));
			fprintf(f, "DOMU_COLORS[%zu]=\"%s\"\n", i, colors);
		}
		if (xc->static_mem) {
			fprintf(f, "DOMU_STATIC_MEM[%zu]=\"", i);
			for (j = 0; j < c->nregions; j++)
				fprintf(f, "%s0x%" PRIx64 " 0x%" PRIx64,
					j ? " " : "", c->regions[j].place.pa,
					c->regions[j].size);
			fputs("\"\n", f);
			fprintf(f, "DOMU_DIRECT_MAP[%zu]=%d\n", i,
				xc->direct_map ? 1 : 0);
		}
		if (xc->pt)
			fprintf(f,
				"DOMU_PASSTHROUGH_DTB[%zu]=\"%s-passthrough.dtb\"\n",
				i, c->name);
		for (j = 0; j < s->nshared; j++) {
			const struct m_shared *sh = &s->shared[j];

			for (k = 0; k < sh->naccess; k++) {
				if (sh->access[k].cell_index != (int)i)
					continue;
				fprintf(f,
					"%sDOMU_SHARED_MEM[%zu]=\"%s 0x%" PRIx64
					" 0x%" PRIx64 " 0x%" PRIx64 "\"\n",
					first_shm
						? ""
						: "# ImageBuilder takes one region per domain: ",
					i, shm_id(sh, j, idbuf, sizeof(idbuf)),
					sh->place.pa, sh->place.ipa, sh->size);
				first_shm = false;
			}
		}
	}
	path = xasprintf("%s/imagebuilder.cfg", x->dir);
	errors = tgt_text_write(&t, path, x->dl);
	free(path);
	return errors;
}

int xen_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, struct diag_list *dl)
{
	struct xen_ctx x = { s, b, dl, NULL, false, NULL, NULL, 0 };
	uint32_t ncolors = board_colors(b);
	struct dt_node *chosen;
	size_t i;

	x.dir = tgt_dir(outdir, "xen", dl);
	if (!x.dir)
		return 1;
	if (any_colors(s)) {
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
		free(x.cells[i].pt_blob);
		dt_node_free(x.cells[i].pt);
	}
	free(x.cells);
	free(x.bootargs);
	free(x.dir);
	return x.errors;
}
