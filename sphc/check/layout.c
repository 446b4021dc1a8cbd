// SPDX-License-Identifier: MIT
/*
 * The build-layout rules (build-layout, build-image, build-boot-area): the
 * boot layout of layout.h, computed here for `sphc check` and reused as it
 * is by `sphc build`.
 *
 * Sizes the check cannot know exactly (the device trees and the blob are
 * written by backends) are bounded from above, structure by structure, in
 * the flattened device tree format (header, reserve map, struct block of
 * 4-byte tokens and padded names and values, strings block) and the blob
 * layout of sph/abi.h (8-byte aligned arrays). tests/property/layout.c
 * holds the written sizes to these bounds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/internal.h"
#include "check/layout.h"
#include "front/number.h"
#include "sph/abi.h"
#include "lib/util.h"

static uint64_t up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* --- device-tree size bound ---------------------------------------------- */

#define FDT_HEADER 40
#define FDT_RSVMAP 16 /* the terminating empty entry */
#define FDT_TOKEN 4
#define HEX_MAX 16 /* digits of a 64-bit unit address */

/* Every property name a cell tree uses, each stored once at most. */
static const char *const fdt_names[] = {
	"#address-cells",
	"#size-cells",
	"compatible",
	"model",
	"interrupt-parent",
	"sphc,cell-name",
	"stdout-path",
	"device_type",
	"reg",
	"enable-method",
	"method",
	"ranges",
	"sphc,access",
	"interrupts",
	"#interrupt-cells",
	"interrupt-controller",
	"phandle",
	"bootargs",
	"linux,initrd-start",
	"linux,initrd-end",
	"no-map",
	"serial0",
	"#clock-cells",
	"clock-frequency",
	"clocks",
	"clock-names",
};

/* A node named @len bytes (plus "@" and a unit address when @addr). */
static uint64_t fdt_node(uint64_t len, bool addr)
{
	return FDT_TOKEN + up(len + (addr ? 1 + HEX_MAX : 0) + 1, 4) +
	       FDT_TOKEN;
}

/* A property with a value of @len bytes. */
static uint64_t fdt_prop(uint64_t len)
{
	return 3 * FDT_TOKEN + up(len, 4);
}

static uint64_t fdt_strprop(const char *s)
{
	return fdt_prop(strlen(s) + 1);
}

static uint64_t dtb_device(const struct b_device *d)
{
	uint64_t n = fdt_node(strlen(d->name), d->nregs > 0), len = 0;
	size_t i;

	for (i = 0; i < d->ncompatible; i++)
		len += strlen(d->compatible[i]) + 1;
	if (d->ncompatible)
		n += fdt_prop(len);
	if (d->nregs)
		n += fdt_prop(16 * (uint64_t)d->nregs);
	if (d->nirqs)
		n += fdt_prop(12 * (uint64_t)d->nirqs);
	return n;
}

/* An upper bound of the size of the device tree of cell @ci (backends/dtb). */
static uint64_t dtb_bound(const struct m_system *s, const struct m_board *b,
			  size_t ci)
{
	const struct m_cell *c = &s->cells[ci];
	uint64_t n = FDT_HEADER + FDT_RSVMAP + FDT_TOKEN, longest = 0;
	unsigned int vcpus = (unsigned int)__builtin_popcountll(c->cpumask);
	bool any_shared = false;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(fdt_names); i++)
		n += strlen(fdt_names[i]) + 1;
	/* The root: cells, compatible, model, interrupt-parent. */
	n += fdt_node(0, false) + 2 * fdt_prop(4) + fdt_strprop("sphc,cell") +
	     fdt_prop(strlen("sphc cell  of system  on ") + strlen(c->name) +
		      strlen(s->name) + strlen(b->name) + 1) +
	     fdt_prop(4);
	/* /chosen: the name, stdout-path "/DEVICE@ADDR" of a UART. */
	for (i = 0; i < c->ndevices; i++)
		if (c->devices[i].dev &&
		    strlen(c->devices[i].dev->name) > longest)
			longest = strlen(c->devices[i].dev->name);
	if (longest < strlen("serial"))
		longest = strlen("serial"); /* the console page's node */
	n += fdt_node(strlen("chosen"), false) + fdt_strprop(c->name);
	n += fdt_prop(1 + longest + 1 + HEX_MAX + 1);
	if (c->bootargs)
		n += fdt_strprop(c->bootargs);
	if (c->initrd)
		n += 2 * fdt_prop(8);
	/* The console page: /aliases, the clock, the node. */
	n += fdt_node(strlen("aliases"), false) +
	     fdt_prop(1 + strlen("serial") + 1 + HEX_MAX + 1) +
	     fdt_node(strlen("apb-pclk"), false) + fdt_strprop("fixed-clock") +
	     3 * fdt_prop(4) + fdt_node(strlen("serial"), true) +
	     fdt_prop(sizeof("arm,pl011") + sizeof("arm,primecell")) +
	     fdt_prop(16) + fdt_prop(12) + fdt_prop(8) +
	     fdt_prop(sizeof("uartclk") + sizeof("apb_pclk"));
	/* /cpus and a node per vCPU. */
	n += fdt_node(strlen("cpus"), false) + 2 * fdt_prop(4);
	n += vcpus *
	     (fdt_node(strlen("cpu"), true) + fdt_strprop("cpu") +
	      fdt_strprop("arm,armv8") + fdt_prop(4) + fdt_strprop("psci"));
	n += fdt_node(strlen("psci"), false) +
	     fdt_prop(sizeof("arm,psci-1.0") + sizeof("arm,psci-0.2")) +
	     fdt_strprop("hvc");
	n += c->nregions * (fdt_node(strlen("memory"), true) +
			    fdt_strprop("memory") + fdt_prop(16));
	for (i = 0; i < s->nshared; i++) {
		for (j = 0; j < s->shared[i].naccess; j++) {
			if (s->shared[i].access[j].cell_index != (int)ci)
				continue;
			any_shared = true;
			n += fdt_node(strlen(s->shared[i].name), true) +
			     fdt_strprop("sphc,shared-memory") + fdt_prop(16) +
			     fdt_prop(0) + fdt_strprop("rw") + fdt_prop(12);
		}
	}
	if (any_shared)
		n += fdt_node(strlen("reserved-memory"), false) +
		     2 * fdt_prop(4) + fdt_prop(0);
	n += fdt_node(strlen("interrupt-controller"), true) +
	     fdt_strprop("arm,cortex-a15-gic") + fdt_prop(32) +
	     2 * fdt_prop(4) + fdt_prop(0) + fdt_prop(4);
	n += fdt_node(strlen("timer"), false) + fdt_strprop("arm,armv8-timer") +
	     fdt_prop(4 * 12);
	for (i = 0; i < c->ndevices; i++)
		if (c->devices[i].dev)
			n += dtb_device(c->devices[i].dev);
	return up(n, 8);
}

/* --- blob size bound -------------------------------------------------------
 */

static uint64_t blob_bound(const struct m_system *s, const struct m_board *b,
			   const struct layout *l)
{
	uint64_t regions = 0, irqs = 0, access = 0, strings = 1, data = 0, n;
	size_t i, j, k;

	strings += strlen(b->name) + 1;
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		strings += strlen(c->name) + 1;
		regions += c->nregions;
		irqs += c->nirqs;
		for (j = 0; j < c->ndevices; j++) {
			const struct b_device *d = c->devices[j].dev;

			if (!d)
				continue;
			regions += d->nregs;
			irqs += d->nirqs;
			strings += d->nregs * (strlen(d->name) + 1);
		}
		data += up(l->cells[i].dtb_bound, 8);
	}
	for (i = 0; i < s->nshared; i++) {
		strings += strlen(s->shared[i].name) + 1;
		for (k = 0; k < s->shared[i].naccess; k++)
			if (s->shared[i].access[k].cell_index >= 0)
				access++;
	}
	regions += access;
	/* Each of the ten arrays starts 8-byte aligned. */
	n = sizeof(struct sph_header) + 10 * 8 + sizeof(struct sph_platform) +
	    sizeof(struct sph_hypervisor) + b->ncpus * sizeof(struct sph_cpu) +
	    s->ncells * sizeof(struct sph_cell) +
	    regions * sizeof(struct sph_region) +
	    irqs * sizeof(struct sph_irq) +
	    s->nshared * sizeof(struct sph_shared) +
	    access * sizeof(struct sph_access) + strings + data;
	return up(n, 8);
}

/* --- cells -----------------------------------------------------------------
 */

char *layout_file_path(const char *file, const struct ynode *node)
{
	const char *from = ynode_source(node) ? ynode_source(node)->path : NULL;
	const char *slash = from ? strrchr(from, '/') : NULL;

	if (file[0] == '/' || !slash)
		return xstrdup(file);
	return xasprintf("%.*s/%s", (int)(slash - from), from, file);
}

char *layout_image_path(const struct m_cell *cell)
{
	return layout_file_path(cell->image, cell->image_node);
}

/* The image's size; -1 when there is none or it is not a regular file
 * (image-missing reports that). */
static int64_t image_size(const struct m_cell *c)
{
	struct stat st;
	char *path;
	int rc;

	if (!c->image || !c->image_node)
		return -1;
	path = layout_image_path(c);
	rc = stat(path, &st);
	free(path);
	if (rc || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

/* The size of @file named at @node; -1 when it is not a regular file. */
static int64_t file_size(const char *file, const struct ynode *node)
{
	struct stat st;
	char *path;
	int rc;

	if (!file || !node)
		return -1;
	path = layout_file_path(file, node);
	rc = stat(path, &st);
	free(path);
	if (rc || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

/*
 * How much of its region an image takes once it runs: an arm64 Linux
 * Image says so in its header (text_offset + image_size, .bss included);
 * anything else takes its file size.
 */
static uint64_t image_extent(const struct m_cell *c, uint64_t file)
{
	uint8_t h[64];
	uint64_t text_offset = 0, size = 0;
	char *path = layout_image_path(c);
	FILE *f = fopen(path, "rb");
	int i;

	free(path);
	if (!f)
		return file;
	if (fread(h, 1, sizeof(h), f) == sizeof(h) && h[56] == 'A' &&
	    h[57] == 'R' && h[58] == 'M' && h[59] == 0x64)
		for (i = 7; i >= 0; i--) {
			text_offset = text_offset << 8 | h[8 + i];
			size = size << 8 | h[16 + i];
		}
	fclose(f);
	return text_offset + size > file && text_offset + size >= size
		       ? text_offset + size
		       : file;
}

static struct loc loc_of(const struct ynode *n, const struct m_system *s)
{
	return ynode_loc(n ? n : s->root);
}

/* The initrd at the top of the payload's part, below the stacks. */
static bool initrd_layout(struct layout *l, const struct m_system *s,
			  const struct m_board *b, size_t ci,
			  struct diag_list *dl)
{
	const struct m_cell *c = &s->cells[ci];
	struct layout_cell *lc = &l->cells[ci];
	uint64_t page = b->page_size, base = c->regions[0].place.ipa, top,
		 floor;
	int64_t size = file_size(c->initrd, c->initrd_node);
	char room[32], kernel[32];

	if (size < 0 || !lc->image_size)
		return true; /* image-missing says why */
	if (!size) {
		if (dl)
			diag_report(
				dl, RULE_BUILD_IMAGE, loc_of(c->initrd_node, s),
				"the initrd of cell '%s' is empty", c->name);
		return false;
	}
	top = lc->dtb_ipa -
	      (uint64_t)__builtin_popcountll(c->cpumask) * LAYOUT_STACK_PER_CPU;
	floor = base + up(image_extent(c, lc->image_size), page);
	if ((uint64_t)size > top - base ||
	    (top - (uint64_t)size) / page * page < floor) {
		if (dl) {
			num_format_size(top > floor ? top - floor : 0, room,
					sizeof(room));
			num_format_size(floor - base, kernel, sizeof(kernel));
			diag_report(
				dl, RULE_BUILD_IMAGE, loc_of(c->initrd_node, s),
				"the initrd of cell '%s' (%llu bytes) does not fit between its image, which takes %s of the first region, and the stacks below its device tree: %s is left",
				c->name, (unsigned long long)size, kernel,
				room);
			diag_note(
				dl, loc_of(c->regions[0].node, s),
				"the region it is loaded into is declared here");
		}
		return false;
	}
	lc->initrd_size = (uint64_t)size;
	lc->initrd_ipa = (top - (uint64_t)size) / page * page;
	return true;
}

static bool cell_layout(struct layout *l, const struct m_system *s,
			const struct m_board *b, size_t ci,
			struct diag_list *dl)
{
	const struct m_cell *c = &s->cells[ci];
	struct layout_cell *lc = &l->cells[ci];
	uint64_t page = b->page_size, vcpus, size, need;
	char have[32], want[32], tree[32];
	int64_t image;

	lc->dtb_bound = dtb_bound(s, b, ci);
	lc->dtb_area = up(lc->dtb_bound, page);
	if (lc->dtb_area < LAYOUT_DTB_MIN)
		lc->dtb_area = LAYOUT_DTB_MIN;
	if (!c->nregions || !c->regions[0].place.placed)
		return true;
	vcpus = (uint64_t)__builtin_popcountll(c->cpumask);
	size = c->regions[0].size;
	need = lc->dtb_area + page + vcpus * LAYOUT_STACK_PER_CPU;
	if (size < need) {
		if (dl) {
			num_format_size(size, have, sizeof(have));
			num_format_size(need, want, sizeof(want));
			num_format_size(lc->dtb_area, tree, sizeof(tree));
			diag_report(
				dl, RULE_BUILD_LAYOUT,
				loc_of(c->regions[0].node, s),
				"the first memory region of cell '%s' (%s) is too small for its device tree (%s), a page of payload and %u stack%s of 16K; it needs at least %s",
				c->name, have, tree, (unsigned int)vcpus,
				vcpus == 1 ? "" : "s", want);
		}
		return false;
	}
	lc->dtb_ipa =
		(c->regions[0].place.ipa + size - lc->dtb_area) / page * page;
	lc->payload_size = lc->dtb_ipa - c->regions[0].place.ipa;
	image = image_size(c);
	if (!image) {
		if (dl)
			diag_report(dl, RULE_BUILD_IMAGE,
				    loc_of(c->image_node, s),
				    "the image of cell '%s' is empty", c->name);
		return false;
	}
	lc->image_size = image < 0 ? 0 : (uint64_t)image;
	lc->staged = lc->image_size && c->regions[0].place.colored;
	/* Larger than the region itself is image-too-big's. */
	if (lc->image_size > lc->payload_size && lc->image_size <= size) {
		if (dl) {
			num_format_size(lc->payload_size, want, sizeof(want));
			num_format_size(lc->dtb_area, tree, sizeof(tree));
			diag_report(
				dl, RULE_BUILD_IMAGE, loc_of(c->image_node, s),
				"the image of cell '%s' (%llu bytes) does not fit below its device tree: its first memory region leaves %s after the %s of the tree",
				c->name, (unsigned long long)lc->image_size,
				want, tree);
			diag_note(
				dl, loc_of(c->regions[0].node, s),
				"the region it is loaded into is declared here");
		}
		return false;
	}
	return initrd_layout(l, s, b, ci, dl);
}

/* --- the runtime's own memory ----------------------------------------------
 * The runtime runs on the pages of the hypervisor's colors below the boot
 * area (every page when it has none; hypervisor.ld, relocate.c): its image,
 * its own page tables, and a pool for the CPUs' stacks, the cells' stage-2
 * tables and interrupt tables and a copy of the blob. The pool is counted
 * the way the runtime allocates (core/mem.c, core/cell.c, arch/aarch64/
 * stage2.c and vgic.c), each allocation rounded up to a page: a bound that
 * is never below what it takes.
 */
#define RUNTIME_IMAGE_BOUND (256ULL << 10) /* code, data, .bss */
#define RUNTIME_STACK (8ULL << 10)	   /* STACK_SIZE, per CPU */
#define RUNTIME_CELL_PAGES 3 /* stage-2 root, priorities, routes */
#define SZ_2M (2ULL << 20)

struct chunks {
	uint64_t *v;
	size_t n, cap;
};

static void chunk_add(struct chunks *c, uint64_t x)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t chunks_distinct(struct chunks *c)
{
	size_t i, n = 0;

	if (c->n)
		qsort(c->v, c->n, sizeof(*c->v), cmp_u64);
	for (i = 0; i < c->n; i++)
		n += !i || c->v[i] != c->v[i - 1];
	return n;
}

/*
 * The level-2 (per GiB) and level-3 (per 2M) tables a mapping of [ipa, ipa
 * + size) to pa needs: 2M blocks where a whole 2M of IPA maps to 2M-aligned
 * memory (never for colored or device memory: @pages), 4K pages elsewhere.
 */
static void stage2_range(struct chunks *l2, struct chunks *l3, uint64_t ipa,
			 uint64_t pa, uint64_t size, bool pages)
{
	uint64_t c, end = ipa + size;

	if (!size || end < ipa)
		return;
	for (c = ipa & ~(SZ_2M - 1); c < end; c += SZ_2M) {
		bool whole = c >= ipa && end - c >= SZ_2M;

		chunk_add(l2, c >> 30);
		if (pages || !whole || (ipa - pa) & (SZ_2M - 1))
			chunk_add(l3, c >> 21);
	}
}

/* Pool pages the runtime takes for cell @ci. */
static uint64_t cell_pool_pages(const struct m_system *s,
				const struct m_board *b, size_t ci)
{
	const struct m_cell *c = &s->cells[ci];
	struct chunks l2 = { 0 }, l3 = { 0 };
	uint64_t pages;
	size_t i, j;

	for (i = 0; i < c->nregions; i++) {
		const struct m_place *p = &c->regions[i].place;

		if (p->placed)
			stage2_range(&l2, &l3, p->ipa, p->pa,
				     c->regions[i].size, p->colored);
	}
	for (i = 0; i < s->nshared; i++)
		for (j = 0; j < s->shared[i].naccess; j++)
			if (s->shared[i].access[j].cell_index == (int)ci &&
			    s->shared[i].place.placed)
				stage2_range(&l2, &l3, s->shared[i].place.ipa,
					     s->shared[i].place.pa,
					     s->shared[i].size, true);
	for (i = 0; i < c->ndevices; i++) {
		const struct b_device *d = c->devices[i].dev;

		for (j = 0; d && j < d->nregs; j++)
			stage2_range(&l2, &l3, d->regs[j].base, d->regs[j].base,
				     d->regs[j].size, true);
	}
	if (b->gic.version == 2)
		stage2_range(&l2, &l3, b->gic.cpu_interface.base,
			     b->gic.virtual_cpu_interface.base,
			     b->gic.virtual_cpu_interface.size, true);
	pages = RUNTIME_CELL_PAGES + chunks_distinct(&l2) +
		chunks_distinct(&l3) +
		(uint64_t)__builtin_popcountll(c->cpumask) *
			(RUNTIME_STACK / 4096);
	free(l2.v);
	free(l3.v);
	return pages;
}

/* Bytes of the pages of the hypervisor's colors in [pa, end). */
static uint64_t hyp_color_bytes(const struct m_system *s,
				const struct m_board *b, uint64_t pa,
				uint64_t end)
{
	uint32_t n = board_colors(b), per = 0, c;
	uint64_t periods, bytes, at;

	for (c = 0; c < n && c < SPHC_MAX_COLORS; c++)
		per += colorset_has(&s->hyp.colorset, c);
	if (!per || end <= pa)
		return end > pa ? end - pa : 0;
	/* Whole periods of n pages hold per pages each; then count. */
	periods = (end - pa) / 4096 / n;
	bytes = periods * per * 4096;
	for (at = pa + periods * n * 4096; at + 4096 <= end; at += 4096)
		bytes += colorset_has(&s->hyp.colorset,
				      (uint32_t)(at / 4096 % n)) *
			 4096;
	return bytes;
}

static bool runtime_memory(const struct layout *l, const struct m_system *s,
			   const struct m_board *b, struct diag_list *dl,
			   struct loc where)
{
	uint64_t window, pool = 0, need, tables, hyp = s->hyp.memory.size;
	uint64_t bytes_per, suggest;
	char w[32], n[32], m[32];
	size_t i;

	if (!s->hyp.memory.place.placed || hyp <= l->boot_area)
		return true;
	window = hyp_color_bytes(s, b, s->hyp.memory.place.pa,
				 s->hyp.memory.place.pa + hyp - l->boot_area);
	/* Every cell: one without an image now usually gets one later. */
	for (i = 0; i < s->ncells; i++)
		pool += cell_pool_pages(s, b, i) * 4096;
	pool += up(l->blob_bound, 4096);
	tables = (4 + (window + SZ_2M - 1) / SZ_2M) * 4096;
	need = RUNTIME_IMAGE_BOUND + tables + pool;
	if (need <= window)
		return true;
	if (dl) {
		/* Memory per byte of the runtime's: all colors over its own. */
		bytes_per = window ? (hyp - l->boot_area) / window : 1;
		suggest = up(need * (bytes_per ? bytes_per : 1) + l->boot_area +
				     SZ_2M,
			     1ULL << 20);
		num_format_size(window, w, sizeof(w));
		num_format_size(need, n, sizeof(n));
		num_format_size(suggest, m, sizeof(m));
		diag_report(
			dl, RULE_RUNTIME_MEMORY, where,
			"the runtime runs on %s below its boot area: %s, but it needs up to %s (its image, its page tables, and for the cells stage-2 tables, stacks and the blob); give the hypervisor about %s of memory",
			colorset_empty(&s->hyp.colorset)
				? "the hypervisor's memory"
				: "the pages of the hypervisor's colors",
			w, n, m);
	}
	return false;
}

/* --- the boot area ------------------------------------------------------- */

static bool boot_layout(struct layout *l, const struct m_system *s,
			const struct m_board *b, struct diag_list *dl)
{
	struct loc where = loc_of(
		s->hyp.memory.node ? s->hyp.memory.node : s->hyp.node, s);
	uint64_t at, hyp = s->hyp.memory.size;
	char a[32], h[32];
	size_t i;

	l->blob_bound = blob_bound(s, b, l);
	at = up(l->blob_bound, b->page_size);
	for (i = 0; i < s->ncells; i++)
		if (l->cells[i].staged)
			at += up(l->cells[i].image_size, b->page_size) +
			      up(l->cells[i].initrd_size, b->page_size);
	l->staged_bound = at;
	l->boot_area = up(at, LAYOUT_BOOT_MIN);
	if (l->blob_bound > LAYOUT_BLOB_MAX) {
		if (dl) {
			num_format_size(l->blob_bound, a, sizeof(a));
			diag_report(
				dl, RULE_BUILD_BOOT_AREA, where,
				"the system blob may take up to %s, more than the 1M the runtime accepts",
				a);
		}
		return false;
	}
	if (!s->hyp.memory.place.placed || hyp > l->boot_area)
		return runtime_memory(l, s, b, dl, where);
	if (dl) {
		num_format_size(hyp, h, sizeof(h));
		num_format_size(l->boot_area, a, sizeof(a));
		diag_report(
			dl, RULE_BUILD_BOOT_AREA, where,
			l->boot_area == LAYOUT_BOOT_MIN
				? "the hypervisor's memory (%s) must be larger than the %s boot area at its end"
				: "the hypervisor's memory (%s) must be larger than the %s boot area at its end (the system blob and the images of colored cells, staged there for the runtime to copy)",
			h, a);
	}
	return false;
}

void layout_compute(struct layout *l, const struct m_system *s,
		    const struct m_board *b, struct diag_list *dl)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	l->ok = true;
	l->cells = xcalloc(s->ncells + 1, sizeof(*l->cells));
	for (i = 0; i < s->ncells; i++)
		if (!cell_layout(l, s, b, i, dl))
			l->ok = false;
	if (!boot_layout(l, s, b, dl))
		l->ok = false;
}

void layout_free(struct layout *l)
{
	free(l->cells);
	memset(l, 0, sizeof(*l));
}

void check_layout(struct check_ctx *c)
{
	struct layout l;

	layout_compute(&l, c->sys, c->board, c->dl);
	layout_free(&l);
}
