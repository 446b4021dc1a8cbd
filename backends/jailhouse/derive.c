// SPDX-License-Identifier: MIT
/* A board derived from Jailhouse configurations (see derive.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backends/jailhouse/derive.h"
#include "backends/jailhouse/layout.h"
#include "lib/atomic.h"
#include "lib/quote.h"
#include "lib/util.h"

static int range_cmp(const void *a, const void *b)
{
	const struct jh_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* The compatible of a Jailhouse console type, or NULL. */
static const char *console_compatible(uint16_t type)
{
	switch (type) {
	case JH_CON_TYPE_PL011:
		return "arm,pl011";
	case JH_CON_TYPE_8250:
		return "ns16550a";
	case JH_CON_TYPE_XUARTPS:
		return "cdns,uart-r1p12";
	case JH_CON_TYPE_IMX:
		return "fsl,imx6q-uart";
	case JH_CON_TYPE_IMX_LPUART:
		return "fsl,imx8qxp-lpuart";
	case JH_CON_TYPE_MVEBU:
		return "marvell,armada-3700-uart";
	case JH_CON_TYPE_HSCIF:
		return "renesas,hscif";
	case JH_CON_TYPE_SCIFA:
		return "renesas,scifa";
	case JH_CON_TYPE_SCIF:
		return "renesas,scif";
	default:
		return NULL;
	}
}

/* Whether @path holds a file this module did not write. */
static bool foreign_file(const char *path)
{
	char line[sizeof(JH_DERIVED_MARK)];
	FILE *f = fopen(path, "r");
	bool foreign;

	if (!f)
		return errno != ENOENT;
	foreign = !fgets(line, sizeof(line), f) ||
		  strncmp(line, JH_DERIVED_MARK, strlen(JH_DERIVED_MARK));
	fclose(f);
	return foreign;
}

static void put_ram(FILE *out, const struct jh_board_facts *f)
{
	struct jh_range *v = xcalloc(f->nram + 1, sizeof(*v));
	size_t i, n = 0;

	memcpy(v, f->ram, f->nram * sizeof(*v));
	qsort(v, f->nram, sizeof(*v), range_cmp);
	for (i = 0; i < f->nram; i++) {
		if (n && v[i].base <= v[n - 1].base + v[n - 1].size) {
			uint64_t end = v[i].base + v[i].size;

			if (end > v[n - 1].base + v[n - 1].size)
				v[n - 1].size = end - v[n - 1].base;
		} else if (v[i].size) {
			v[n++] = v[i];
		}
	}
	fputs("# Every cell's RAM and the hypervisor's, merged: the board may have more.\n"
	      "memory:\n",
	      out);
	for (i = 0; i < n; i++)
		fprintf(out,
			"  - { name: ram%zu, base: 0x%" PRIx64
			", size: 0x%" PRIx64 " }\n",
			i, v[i].base, v[i].size);
	free(v);
}

static void put_gic(FILE *out, const struct jh_board_facts *f, unsigned ncpus)
{
	fprintf(out, "gic:\n  version: %u\n", f->gic_version);
	if (f->gic_version == 3) {
		fprintf(out,
			"  distributor: { base: 0x%" PRIx64 ", size: 64K }\n"
			"  # A 128K frame for each CPU the configs name.\n"
			"  redistributor: { base: 0x%" PRIx64
			", size: %uK, stride: 128K }\n",
			f->gicd, f->gicr, 128 * ncpus);
	} else {
		fprintf(out,
			"  distributor: { base: 0x%" PRIx64 ", size: 4K }\n"
			"  cpu-interface: { base: 0x%" PRIx64 ", size: 8K }\n",
			f->gicd, f->gicc);
		if (f->gich)
			fprintf(out,
				"  virtual-control: { base: 0x%" PRIx64
				", size: 8K }\n",
				f->gich);
		if (f->gicv)
			fprintf(out,
				"  virtual-cpu-interface: { base: 0x%" PRIx64
				", size: 8K }\n",
				f->gicv);
	}
	if (f->maintenance_irq)
		fprintf(out, "  maintenance-irq: %u\n", f->maintenance_irq);
}

static void put_board(FILE *out, const struct jh_board_facts *f)
{
	const char *compat = console_compatible(f->con_type);
	unsigned int id, ncpus = 0;
	size_t i;

	char *origin = quote_comment(f->origin), *root = quote_comment(f->root);
	char *desc = xasprintf(
		"Derived from Jailhouse's configuration of root cell '%s'",
		f->root);

	fprintf(out,
		JH_DERIVED_MARK
		" from %s (root cell '%s'):\n"
		"# no built-in board fits. What the configs do not say is marked as a\n"
		"# guess; check it against the board's device tree, or replace this\n"
		"# file with `sphc board import BOARD.dtb`.\n",
		origin, root);
	free(origin);
	free(root);
	fprintf(out, "sphc-board: 1\nname: %s\n", f->name);
	fputs("description: ", out);
	fput_yaml_string(out, desc);
	free(desc);
	fputs("\n", out);
	fprintf(out, "arch: %s\npage-size: 4K\n\n",
		f->arm32 ? "arm" : "aarch64");
	fputs("# The CPUs the configs name. Guess: MPIDR Aff0 = the CPU's number.\n"
	      "cpus:\n",
	      out);
	for (id = 0; id < 64; id++)
		if (f->cpus >> id & 1) {
			fprintf(out, "  - { id: %u, mpidr: 0x%x }\n", id, id);
			ncpus = id + 1;
		}
	fputs("\n", out);
	put_ram(out, f);
	fputs("\n", out);
	put_gic(out, f, ncpus);
	fputs("\n# Guess: the architected timer's usual PPIs (the configs do not say).\n"
	      "timer:\n  irqs: { hyp: 26, virt: 27, phys: 30, secure: 29 }\n",
	      out);
	if (f->con_addr) {
		fputs("\n# Jailhouse's debug console, shared by the cells that map it. Its\n"
		      "# interrupt is not in the configs.\nconsole: uart0\ndevices:\n"
		      "  - name: uart0\n",
		      out);
		if (compat)
			fprintf(out, "    compatible: \"%s\"\n", compat);
		fprintf(out,
			"    reg: [ { base: 0x%" PRIx64 ", size: 4K } ]\n"
			"    shareable: true\n",
			f->con_addr);
	}
	if (f->niommu) {
		fputs("\n# The system configuration's IOMMU units: no cell may map them.\n"
		      "iommus:\n",
		      out);
		for (i = 0; i < f->niommu; i++)
			fprintf(out,
				"  - { name: iommu%zu, base: 0x%" PRIx64
				", size: 0x%" PRIx64 " }\n",
				i, f->iommu[i].base, f->iommu[i].size);
	}
}

int jh_board_write(const struct jh_board_facts *f, const char *path,
		   struct loc at, struct diag_list *dl)
{
	char *tmp = NULL;
	FILE *out;

	if (foreign_file(path)) {
		diag_report(
			dl, RULE_IO_ERROR, at,
			"no built-in board fits, and '%s' exists but was not derived by sphc: not overwritten; remove it, or name a board with --board",
			path);
		return -1;
	}
	out = atomic_open(path, &tmp);
	if (!out) {
		diag_report(dl, RULE_IO_ERROR, at, "cannot write '%s': %s",
			    path, strerror(errno));
		return -1;
	}
	put_board(out, f);
	if (atomic_commit(out, tmp, path)) {
		diag_report(dl, RULE_IO_ERROR, at, "cannot write '%s': %s",
			    path, strerror(errno));
		return -1;
	}
	return 0;
}
