// SPDX-License-Identifier: MIT
/*
 * The device tree reader (`sphc board import`): a flattened device tree (what
 * the firmware, QEMU's dumpdtb or dtc produce) read with libfdt's read-only API
 * and written as a board description: cpus      /cpus/cpu@* with device_type
 * "cpu", by MPIDR (their reg) memory    every node with device_type "memory"
 *   gic       the arm,gic-v3 / GIC-400 style interrupt controller: its reg
 *             entries (v3: GICD, GICR; v2: GICD, GICC, GICH, GICV) and its
 *             own interrupt, the maintenance PPI
 *   timer     the arm,armv8-timer's four PPIs
 *   devices   every other enabled node with a reg that translates to a CPU
 *             address (through each parent's ranges), with its interrupts
 *             as INTIDs and triggers when the GIC is their parent
 *   console   /chosen stdout-path, through /aliases
 *   cache     from the cache nodes the CPUs' next-level-cache leads to; a
 *             tree without them (QEMU's) gets a comment instead
 * The DT does not say how many SPIs the GIC wires; the import writes the
 * smallest GIC size that holds every interrupt the tree uses, and says so.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/dtb/board_import.h"
#include "front/number.h"
#include "lib/util.h"

#define MAX_REGS 16
#define MAX_IRQS 32

struct dreg {
	uint64_t base, size;
};

struct dirq {
	uint32_t intid;
	int trigger; /* 0 unknown, 1 edge, 2 level */
};

struct ddev {
	int node;
	char *path;
	char *name;
	const char *prefix; /* naming: a friendly prefix, or NULL */
	struct dreg reg[MAX_REGS];
	int nreg;
	struct dirq irq[MAX_IRQS];
	int nirq;
	bool foreign_irqs; /* interrupts through another controller */
};

struct bimp {
	const void *fdt;
	int gic; /* node offset, -1 when none */
	uint32_t gic_phandle;
	struct ddev *dev;
	size_t ndev, cap;
	uint32_t max_intid;
};

/* --- cells and addresses -------------------------------------------------- */

static uint64_t cells_at(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

static int addr_cells(const void *fdt, int node)
{
	int n = fdt_address_cells(fdt, node);

	return n < 0 ? 2 : n;
}

static int size_cells(const void *fdt, int node)
{
	int n = fdt_size_cells(fdt, node);

	return n < 0 ? 1 : n;
}

/*
 * translate - a bus address of a child of @bus as a CPU address, through
 * the ranges of @bus and each of its ancestors. False when some ancestor has
 * no ranges (the child's reg is not a memory-mapped address) or the
 * address is outside every range.
 */
static bool translate(const void *fdt, int bus, uint64_t *addr)
{
	while (bus > 0) {
		int parent = fdt_parent_offset(fdt, bus), len, ca, pa, sc, i,
		    step;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		bool hit = false;

		if (parent < 0 || !r)
			return false;
		ca = addr_cells(fdt, bus);
		sc = size_cells(fdt, bus);
		pa = addr_cells(fdt, parent);
		step = ca + pa + sc;
		for (i = 0; len > 0 && step > 0 &&
			    (i + step) * (int)sizeof(fdt32_t) <= len;
		     i += step) {
			uint64_t child = cells_at(r + i, ca),
				 up = cells_at(r + i + ca, pa),
				 size = cells_at(r + i + ca + pa, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = up + (*addr - child);
				hit = true;
				break;
			}
		}
		if (len > 0 && !hit)
			return false;
		bus = parent;
	}
	return true;
}

/* The CPU-address reg entries of @node; -1 when they are not MMIO. */
static int regs_of(const void *fdt, int node, struct dreg *out, int max)
{
	int parent = fdt_parent_offset(fdt, node), len, ac, sc, i, n = 0;
	const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);

	if (!r || parent < 0)
		return -1;
	ac = addr_cells(fdt, parent);
	sc = size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	for (i = 0; (i + ac + sc) * (int)sizeof(fdt32_t) <= len && n < max;
	     i += ac + sc) {
		uint64_t base = cells_at(r + i, ac),
			 size = cells_at(r + i + ac, sc);

		if (!translate(fdt, parent, &base))
			return -1;
		out[n++] = (struct dreg){ base, size };
	}
	return n;
}

static bool has_compatible(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

/* A string property, or NULL when absent or not NUL-terminated. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	return v && len > 0 && v[len - 1] == '\0' ? v : NULL;
}

static bool enabled(const void *fdt, int node)
{
	const char *st = prop_str(fdt, node, "status");

	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

static const char *device_type(const void *fdt, int node)
{
	return prop_str(fdt, node, "device_type");
}

/* --- interrupts ----------------------------------------------------------- */

static uint32_t interrupt_parent(const void *fdt, int node)
{
	while (node >= 0) {
		const fdt32_t *p =
			fdt_getprop(fdt, node, "interrupt-parent", NULL);

		if (p)
			return fdt32_to_cpu(*p);
		node = fdt_parent_offset(fdt, node);
	}
	return 0;
}

/* A GIC specifier <type num flags> as an INTID; false for other types. */
static bool gic_intid(const fdt32_t *spec, struct dirq *out)
{
	uint32_t type = fdt32_to_cpu(spec[0]), num = fdt32_to_cpu(spec[1]),
		 flags = fdt32_to_cpu(spec[2]) & 0xf;

	if (type == 0)
		out->intid = num + 32;
	else if (type == 1)
		out->intid = num + 16;
	else
		return false;
	out->trigger = flags & 3 ? 1 : flags & 0xc ? 2 : 0;
	return true;
}

/* The interrupts of @node that go to the GIC. */
static void irqs_of(struct bimp *bi, int node, struct ddev *d)
{
	const void *fdt = bi->fdt;
	const fdt32_t *p;
	int len, i;

	p = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (p) {
		for (i = 0; (i + 1) * 4 <= len;) {
			uint32_t ph = fdt32_to_cpu(p[i]);
			int ctl = fdt_node_offset_by_phandle(fdt, ph),
			    cells = 1;
			const fdt32_t *c =
				ctl >= 0 ? fdt_getprop(fdt, ctl,
						       "#interrupt-cells", NULL)
					 : NULL;

			if (c)
				cells = (int)fdt32_to_cpu(*c);
			/* A specifier has a few cells; more is a broken tree.
			 */
			if (cells < 0 || cells > 16 ||
			    (i + 1 + cells) * 4 > len)
				break;
			if (ph == bi->gic_phandle && cells == 3 &&
			    d->nirq < MAX_IRQS) {
				if (gic_intid(p + i + 1, &d->irq[d->nirq]))
					d->nirq++;
			} else {
				d->foreign_irqs = true;
			}
			i += 1 + cells;
		}
		return;
	}
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p)
		return;
	if (interrupt_parent(fdt, node) != bi->gic_phandle || bi->gic < 0) {
		d->foreign_irqs = true;
		return;
	}
	for (i = 0; (i + 3) * 4 <= len && d->nirq < MAX_IRQS; i += 3)
		if (gic_intid(p + i, &d->irq[d->nirq]))
			d->nirq++;
}

/* --- naming --------------------------------------------------------------- */

/*
 * Friendly names for common devices, numbered in address order: by
 * compatible (QEMU names its nodes after the IP, "pl011@..."), else by
 * the generic node names of the DT specification ("serial@...").
 */
static const char *prefix_of(const void *fdt, int node)
{
	static const struct {
		const char *compat, *prefix;
	} table[] = {
		{ "arm,pl011", "uart" },
		{ "arm,pl031", "rtc" },
		{ "arm,pl061", "gpio" },
		{ "virtio,mmio", "virtio" },
	};
	static const struct {
		const char *node, *prefix;
	} names[] = {
		{ "serial", "uart" },
		{ "uart", "uart" },
		{ "gpio", "gpio" },
		{ "rtc", "rtc" },
		{ "i2c", "i2c" },
		{ "spi", "spi" },
		{ "mmc", "mmc" },
		{ "ethernet", "eth" },
		{ "virtio_mmio", "virtio" },
	};
	const char *name = fdt_get_name(fdt, node, NULL);
	size_t i, n = name ? strcspn(name, "@") : 0;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (has_compatible(fdt, node, table[i].compat))
			return table[i].prefix;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (n == strlen(names[i].node) &&
		    !strncmp(name, names[i].node, n))
			return names[i].prefix;
	return NULL;
}

static char *clean_name(const char *raw)
{
	size_t n = strcspn(raw, "@"), i;
	char *out = xmalloc(n + 2), *p = out;

	if (!n || !((raw[0] >= 'a' && raw[0] <= 'z') ||
		    (raw[0] >= 'A' && raw[0] <= 'Z') || raw[0] == '_'))
		*p++ = '_';
	for (i = 0; i < n; i++) {
		char ch = raw[i];
		bool ok = (ch >= 'a' && ch <= 'z') ||
			  (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
			  ch == '.';

		*p++ = ok ? ch : '-';
	}
	*p = '\0';
	return out;
}

static int dev_addr_cmp(const void *a, const void *b)
{
	const struct ddev *x = a, *y = b;
	uint64_t p = x->nreg ? x->reg[0].base : 0,
		 q = y->nreg ? y->reg[0].base : 0;

	if (p != q)
		return p < q ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void name_devices(struct bimp *bi)
{
	size_t i, j, count, index;

	if (bi->ndev)
		qsort(bi->dev, bi->ndev, sizeof(*bi->dev), dev_addr_cmp);
	for (i = 0; i < bi->ndev; i++) {
		struct ddev *d = &bi->dev[i];
		const char *base = strrchr(d->path, '/');
		char *stem = d->prefix ? xstrdup(d->prefix)
				       : clean_name(base ? base + 1 : d->path);

		for (j = 0, count = 0, index = 0; j < bi->ndev; j++) {
			const struct ddev *o = &bi->dev[j];
			const char *ob = strrchr(o->path, '/');
			char *os = o->prefix
					   ? xstrdup(o->prefix)
					   : clean_name(ob ? ob + 1 : o->path);

			if (!strcmp(os, stem)) {
				count++;
				if (j < i)
					index++;
			}
			free(os);
		}
		if (d->prefix || count > 1)
			d->name = xasprintf("%s%zu", stem, index);
		else
			d->name = xstrdup(stem);
		free(stem);
	}
}

/* --- collecting ----------------------------------------------------------- */

static bool in_subtree(const void *fdt, int node, int top)
{
	while (node >= 0) {
		if (node == top)
			return true;
		node = fdt_parent_offset(fdt, node);
	}
	return false;
}

static int find_gic(const void *fdt)
{
	static const char *const compats[] = {
		"arm,gic-v3",	     "arm,gic-400",	  "arm,cortex-a15-gic",
		"arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-v2",
	};
	size_t i;
	int node;

	for (i = 0; i < ARRAY_SIZE(compats); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, compats[i]);
		if (node >= 0)
			return node;
	}
	return -1;
}

static void collect_devices(struct bimp *bi)
{
	const void *fdt = bi->fdt;
	int cpus = fdt_path_offset(fdt, "/cpus");
	int chosen = fdt_path_offset(fdt, "/chosen");
	int reserved = fdt_path_offset(fdt, "/reserved-memory");
	int node, depth = 0;

	for (node = fdt_next_node(fdt, 0, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = device_type(fdt, node);
		struct ddev d;
		char path[512];

		if (!fdt_getprop(fdt, node, "reg", NULL) || !enabled(fdt, node))
			continue;
		if ((cpus >= 0 && in_subtree(fdt, node, cpus)) ||
		    (chosen >= 0 && in_subtree(fdt, node, chosen)) ||
		    (reserved >= 0 && in_subtree(fdt, node, reserved)) ||
		    (bi->gic >= 0 && in_subtree(fdt, node, bi->gic)) ||
		    (type && !strcmp(type, "memory")))
			continue;
		memset(&d, 0, sizeof(d));
		d.nreg = regs_of(fdt, node, d.reg, MAX_REGS);
		if (d.nreg <= 0)
			continue;
		if (fdt_get_path(fdt, node, path, sizeof(path)))
			continue;
		d.node = node;
		d.path = xstrdup(path);
		d.prefix = prefix_of(fdt, node);
		irqs_of(bi, node, &d);
		VEC_RESERVE(bi->dev, bi->ndev, bi->cap);
		bi->dev[bi->ndev++] = d;
	}
}

/* --- writing -------------------------------------------------------------- */

static void put_hex(FILE *f, uint64_t v)
{
	char digits[24];
	int n, i;

	n = snprintf(digits, sizeof(digits), "%" PRIX64, v);
	if (n <= 4) {
		fprintf(f, "0x%s", digits);
		return;
	}
	n = snprintf(digits, sizeof(digits), "%08" PRIX64, v);
	fputs("0x", f);
	for (i = 0; i < n; i++) {
		fputc(digits[i], f);
		if ((n - i - 1) % 4 == 0 && i != n - 1)
			fputc('_', f);
	}
}

/* 4K, 64M, 1G for powers of two from 4K; hex for the rest (0xF6_0000). */
static void put_size(FILE *f, uint64_t v)
{
	char buf[32];

	num_format_size(v, buf, sizeof(buf));
	if (v < 4096 || v & (v - 1) || (buf[0] == '0' && buf[1] == 'x'))
		put_hex(f, v);
	else
		fputs(buf, f);
}

/*
 * clean - @s with every byte that is not printable ASCII as '?': device
 * tree strings go into YAML comments and strings, and a YAML file may not
 * hold control characters or invalid UTF-8. Returns a static buffer.
 */
static const char *clean(const char *s)
{
	static char buf[512];
	size_t i;

	for (i = 0; s[i] && i + 1 < sizeof(buf); i++)
		buf[i] =
			(unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e
				? '?'
				: s[i];
	buf[i] = '\0';
	return buf;
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (s = clean(s); *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_reg(FILE *f, const struct dreg *r)
{
	fputs("{ base: ", f);
	put_hex(f, r->base);
	fputs(", size: ", f);
	put_size(f, r->size);
	fputs(" }", f);
}

struct cpu_entry {
	uint64_t mpidr;
	char path[256];
};

static int cpu_cmp(const void *a, const void *b)
{
	const struct cpu_entry *x = a, *y = b;

	return x->mpidr < y->mpidr ? -1 : x->mpidr > y->mpidr;
}

/*
 * Whether the device tree is a 32-bit ARM board: a CPU of an Armv7-A core,
 * or the Armv7 generic timer without the Armv8 one. An arm64 board's GIC
 * may well say "arm,cortex-a15-gic": that says nothing.
 */
static bool armv7(const void *fdt)
{
	static const char *const cores[] = {
		"arm,cortex-a5",  "arm,cortex-a7",  "arm,cortex-a8",
		"arm,cortex-a9",  "arm,cortex-a12", "arm,cortex-a15",
		"arm,cortex-a17", "qcom,krait",	    "marvell,pj4b",
	};
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	size_t i;

	if (cpus >= 0)
		fdt_for_each_subnode(node, fdt, cpus)
		{
			for (i = 0; i < ARRAY_SIZE(cores); i++)
				if (has_compatible(fdt, node, cores[i]))
					return true;
		}
	return fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer") >= 0 &&
	       fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer") < 0;
}

static void write_cpus(const void *fdt, FILE *f)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, ac, len;
	struct cpu_entry *v = NULL;
	size_t n = 0, cap = 0, i;

	fputs("# /cpus: one entry per cpu node, by MPIDR (the node's reg).\ncpus:\n",
	      f);
	if (cpus < 0)
		return;
	ac = addr_cells(fdt, cpus);
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = device_type(fdt, node);
		const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);

		if (!type || strcmp(type, "cpu") || !r || len < ac * 4 ||
		    !enabled(fdt, node))
			continue;
		VEC_RESERVE(v, n, cap);
		v[n].mpidr = cells_at(r, ac);
		fdt_get_path(fdt, node, v[n].path, sizeof(v[n].path));
		n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), cpu_cmp);
	for (i = 0; i < n; i++) {
		fprintf(f, "  - { id: %zu, mpidr: 0x%" PRIx64 " }", i,
			v[i].mpidr);
		fprintf(f, "    # %s\n", clean(v[i].path));
	}
	free(v);
}

static void write_memory(const void *fdt, FILE *f)
{
	int node, depth = 0, n, i, count = 0;
	struct dreg r[MAX_REGS];

	for (node = fdt_next_node(fdt, 0, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = device_type(fdt, node);

		if (type && !strcmp(type, "memory") && enabled(fdt, node)) {
			n = regs_of(fdt, node, r, MAX_REGS);
			count += n > 0 ? n : 0;
		}
	}
	fputs("\n# Every device_type = \"memory\" node. Leave out what firmware keeps\n"
	      "# (secure monitor, reserved-memory) before giving it to cells.\nmemory:\n",
	      f);
	depth = 0;
	for (node = fdt_next_node(fdt, 0, &depth), i = 0; node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = device_type(fdt, node);
		char path[256];
		int k;

		if (!type || strcmp(type, "memory") || !enabled(fdt, node))
			continue;
		n = regs_of(fdt, node, r, MAX_REGS);
		fdt_get_path(fdt, node, path, sizeof(path));
		for (k = 0; k < n; k++, i++) {
			if (count == 1)
				fputs("  - { name: ram, base: ", f);
			else
				fprintf(f, "  - { name: ram%d, base: ", i);
			put_hex(f, r[k].base);
			fputs(", size: ", f);
			put_size(f, r[k].size);
			fprintf(f, " }    # %s\n", clean(path));
		}
	}
}

/* The last cache the first CPU's next-level-cache chain leads to. */
static void write_cache(const void *fdt, FILE *f)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node = -1, llc = -1, hops;
	const fdt32_t *p;

	if (cpus >= 0)
		fdt_for_each_subnode(node, fdt, cpus)
		{
			const char *type = device_type(fdt, node);

			if (type && !strcmp(type, "cpu"))
				break;
		}
	for (hops = 0; node >= 0 && hops < 8; hops++) {
		p = fdt_getprop(fdt, node, "next-level-cache", NULL);
		if (!p)
			break;
		node = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p));
		if (node >= 0)
			llc = node;
	}
	if (llc >= 0) {
		const fdt32_t *size = fdt_getprop(fdt, llc, "cache-size", NULL);
		const fdt32_t *sets = fdt_getprop(fdt, llc, "cache-sets", NULL);
		const fdt32_t *line =
			fdt_getprop(fdt, llc, "cache-line-size", NULL);
		uint32_t sz, st, ln;
		char path[256];

		if (size && sets && line) {
			sz = fdt32_to_cpu(*size);
			st = fdt32_to_cpu(*sets);
			ln = fdt32_to_cpu(*line);
			if (st && ln && sz % (st * ln) == 0) {
				fdt_get_path(fdt, llc, path, sizeof(path));
				fprintf(f,
					"\n# %s: cache-size %u, cache-sets %u, cache-line-size %u.\n",
					clean(path), sz, st, ln);
				fputs("cache:\n  llc-size: ", f);
				put_size(f, sz);
				fprintf(f,
					"\n  llc-ways: %u\n  line-size: %u\n",
					sz / (st * ln), ln);
				return;
			}
		}
	}
	fputs("\n# The device tree has no cache nodes with cache-size, cache-sets and\n"
	      "# cache-line-size (QEMU's never has), so the last-level cache geometry is\n"
	      "# unknown and cache coloring is off. Add it from the SoC's manual:\n"
	      "# cache: { llc-size: 1M, llc-ways: 16, line-size: 64 }\n",
	      f);
}

static void write_gic(struct bimp *bi, FILE *f)
{
	const void *fdt = bi->fdt;
	struct dreg r[MAX_REGS];
	struct ddev self;
	uint32_t spis;
	char path[256];
	int n;

	if (bi->gic < 0) {
		fputs("\n# No GIC (arm,gic-v3 or a GICv2) found in the device tree.\n",
		      f);
		return;
	}
	n = regs_of(fdt, bi->gic, r, MAX_REGS);
	fdt_get_path(fdt, bi->gic, path, sizeof(path));
	fprintf(f, "\n# %s: reg gives, in order, ", clean(path));
	if (has_compatible(fdt, bi->gic, "arm,gic-v3")) {
		const fdt32_t *stride =
			fdt_getprop(fdt, bi->gic, "redistributor-stride", NULL);
		const fdt32_t *regions = fdt_getprop(
			fdt, bi->gic, "#redistributor-regions", NULL);

		fputs("GICD and GICR.\n", f);
		if (regions && fdt32_to_cpu(*regions) > 1)
			fputs("# Only the first of its redistributor regions is described.\n",
			      f);
		fputs("gic:\n  version: 3\n", f);
		if (n >= 1) {
			fputs("  distributor: ", f);
			put_reg(f, &r[0]);
			fputc('\n', f);
		}
		if (n >= 2) {
			fputs("  redistributor: { base: ", f);
			put_hex(f, r[1].base);
			fputs(", size: ", f);
			put_size(f, r[1].size);
			fputs(", stride: ", f);
			/* RD_base + SGI_base, 64K each, without VLPI frames. */
			put_size(f, stride ? (uint64_t)fdt32_to_cpu(*stride)
					   : 128 << 10);
			fputs(" }\n", f);
		}
	} else {
		fputs("GICD, GICC, GICH and GICV.\ngic:\n  version: 2\n", f);
		if (n >= 1) {
			fputs("  distributor: ", f);
			put_reg(f, &r[0]);
			fputc('\n', f);
		}
		if (n >= 2) {
			fputs("  cpu-interface: ", f);
			put_reg(f, &r[1]);
			fputc('\n', f);
		}
		if (n >= 3) {
			fputs("  virtual-control: ", f);
			put_reg(f, &r[2]);
			fputc('\n', f);
		}
		if (n >= 4) {
			fputs("  virtual-cpu-interface: ", f);
			put_reg(f, &r[3]);
			fputc('\n', f);
		}
	}
	memset(&self, 0, sizeof(self));
	irqs_of(bi, bi->gic, &self);
	if (self.nirq && self.irq[0].intid >= 16 && self.irq[0].intid < 32)
		fprintf(f, "  maintenance-irq: %u\n", self.irq[0].intid);
	spis = bi->max_intid >= 32 ? ((bi->max_intid + 1 + 31) / 32) * 32 - 32
				   : 32;
	fprintf(f,
		"  # The DT does not give the number of SPIs; this is the smallest GIC\n"
		"  # size holding every interrupt it uses (the highest is INTID %u).\n"
		"  # GICD_TYPER on the real hardware may report more.\n"
		"  spis: %u\n",
		bi->max_intid, spis);
}

static void write_timer(struct bimp *bi, FILE *f)
{
	static const char *const compats[] = { "arm,armv8-timer",
					       "arm,armv7-timer" };
	const char *names[4] = { "secure", "phys", "virt", "hyp" };
	struct ddev t;
	size_t i;
	int node = -1;

	for (i = 0; i < ARRAY_SIZE(compats) && node < 0; i++)
		node = fdt_node_offset_by_compatible(bi->fdt, -1, compats[i]);
	if (node < 0)
		return;
	memset(&t, 0, sizeof(t));
	irqs_of(bi, node, &t);
	if (t.nirq < 4)
		return;
	fputs("\n# The timer's interrupts are secure phys, NS phys, virtual and hyp phys.\n"
	      "timer:\n  irqs: {",
	      f);
	fprintf(f, " %s: %u, %s: %u, %s: %u, %s: %u }\n", names[3],
		t.irq[3].intid, names[2], t.irq[2].intid, names[1],
		t.irq[1].intid, names[0], t.irq[0].intid);
}

static const struct ddev *console_of(const struct bimp *bi)
{
	const void *fdt = bi->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen"), node;
	const char *sp;
	char path[256];
	size_t n, i;

	if (chosen < 0)
		return NULL;
	sp = prop_str(fdt, chosen, "stdout-path");
	if (!sp)
		sp = prop_str(fdt, chosen, "linux,stdout-path");
	if (!sp)
		return NULL;
	n = strcspn(sp, ":");
	if (n >= sizeof(path))
		return NULL;
	memcpy(path, sp, n);
	path[n] = '\0';
	/* fdt_path_offset resolves a leading alias too. */
	node = fdt_path_offset(fdt, path);
	for (i = 0; node >= 0 && i < bi->ndev; i++)
		if (bi->dev[i].node == node)
			return &bi->dev[i];
	return NULL;
}

static void write_devices(struct bimp *bi, FILE *f)
{
	const void *fdt = bi->fdt;
	size_t i;
	int k, len;

	fputs("\n# Every enabled node with a reg that maps to CPU addresses. Interrupts are\n"
	      "# INTIDs: DT <0 n flags> is SPI n = INTID n+32, <1 n flags> is PPI n =\n"
	      "# INTID n+16; flags 1 and 2 are edge, 4 and 8 level.\ndevices:\n",
	      f);
	for (i = 0; i < bi->ndev; i++) {
		const struct ddev *d = &bi->dev[i];
		const char *c = fdt_getprop(fdt, d->node, "compatible", &len);
		int off;

		fprintf(f, "  # %s%s\n", clean(d->path),
			d->foreign_irqs
				? " (interrupts through another controller left out)"
				: "");
		fprintf(f, "  - name: %s\n    dt-path: ", d->name);
		put_string(f, d->path);
		fputc('\n', f);
		if (c && len > 0 && c[len - 1] == '\0') {
			fputs("    compatible: [", f);
			for (off = 0; off < len && c[off];
			     off +=
			     (int)strnlen(c + off, (size_t)(len - off)) + 1) {
				if (off)
					fputs(", ", f);
				put_string(f, c + off);
			}
			fputs("]\n", f);
		}
		fputs("    reg: [ ", f);
		for (k = 0; k < d->nreg; k++) {
			if (k)
				fputs(", ", f);
			put_reg(f, &d->reg[k]);
		}
		fputs(" ]\n", f);
		if (!d->nirq)
			continue;
		fputs("    irqs:\n", f);
		for (k = 0; k < d->nirq; k++) {
			fprintf(f, "      - { irq: %u", d->irq[k].intid);
			if (d->irq[k].trigger)
				fprintf(f, ", trigger: %s",
					d->irq[k].trigger == 1 ? "edge"
							       : "level");
			fputs(" }\n", f);
		}
	}
}

static void write_board(struct bimp *bi, FILE *f, const char *name,
			const char *source)
{
	const void *fdt = bi->fdt;
	const char *model = prop_str(fdt, 0, "model");
	const struct ddev *con;

	fprintf(f, "# Imported by sphc board import from %s", clean(source));
	if (model)
		fprintf(f, " (model \"%s\")", clean(model));
	fputs(".\n", f);
	fputs("# Check the result against the SoC's manual: a device tree describes what\n"
	      "# the OS should use, not everything a hypervisor must know.\n",
	      f);
	fprintf(f, "sphc-board: 1\nname: %s\n", name);
	if (model) {
		fputs("description: ", f);
		put_string(f, model);
		fputc('\n', f);
	}
	fprintf(f, "arch: %s\npage-size: 4K\n\n",
		armv7(fdt) ? "arm" : "aarch64");
	write_cpus(fdt, f);
	write_memory(fdt, f);
	write_cache(fdt, f);
	write_gic(bi, f);
	write_timer(bi, f);
	con = console_of(bi);
	if (con)
		fprintf(f, "\n# /chosen stdout-path.\nconsole: %s\n",
			con->name);
	write_devices(bi, f);
}

/* --- the reader's entry points ----------------------------------------- */

const char *board_import_check(const void *dtb, size_t len)
{
	int err = len < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED
						  : fdt_check_header(dtb);

	if (!err && fdt_totalsize(dtb) > len)
		err = -FDT_ERR_TRUNCATED;
	/* The read-only API trusts the structure block: check all of it. */
	if (!err)
		err = fdt_check_full(dtb, len);
	return err ? fdt_strerror(err) : NULL;
}

char *board_import_name(const char *name, const char *output, const char *path)
{
	char *stem, *clean;

	if (name)
		return clean_name(name);
	stem = path_stem(output ? output : path);
	clean = clean_name(stem);
	free(stem);
	return clean;
}

void board_import(const void *dtb, const char *name, const char *source,
		  FILE *f)
{
	struct bimp bi = { 0 };
	size_t i;
	int k;

	bi.fdt = dtb;
	bi.gic = find_gic(dtb);
	bi.gic_phandle = bi.gic >= 0 ? fdt_get_phandle(dtb, bi.gic) : 0;
	if (!bi.gic_phandle)
		bi.gic_phandle = 0xffffffff;
	collect_devices(&bi);
	name_devices(&bi);
	for (i = 0; i < bi.ndev; i++)
		for (k = 0; k < bi.dev[i].nirq; k++)
			if (bi.dev[i].irq[k].intid > bi.max_intid)
				bi.max_intid = bi.dev[i].irq[k].intid;
	write_board(&bi, f, name, source);
	for (i = 0; i < bi.ndev; i++) {
		free(bi.dev[i].path);
		free(bi.dev[i].name);
	}
	free(bi.dev);
}
