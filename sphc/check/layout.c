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
	n += fdt_node(strlen("chosen"), false) + fdt_strprop(c->name);
	if (c->ndevices)
		n += fdt_prop(1 + longest + 1 + HEX_MAX + 1);
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
			     fdt_strprop("rw") + fdt_prop(12);
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

char *layout_image_path(const struct m_cell *cell)
{
	const char *from = ynode_source(cell->image_node)
				   ? ynode_source(cell->image_node)->path
				   : NULL;
	const char *slash = from ? strrchr(from, '/') : NULL;

	if (cell->image[0] == '/' || !slash)
		return xstrdup(cell->image);
	return xasprintf("%.*s/%s", (int)(slash - from), from, cell->image);
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

static struct loc loc_of(const struct ynode *n, const struct m_system *s)
{
	return ynode_loc(n ? n : s->root);
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
	return true;
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
			at += up(l->cells[i].image_size, b->page_size);
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
		return true;
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
	for (i = 0; i < s->ncells; i++) {
		l->cells[i].fits = cell_layout(l, s, b, i, dl);
		if (!l->cells[i].fits)
			l->ok = false;
	}
	if (!boot_layout(l, s, b, dl))
		l->ok = false;
}

void layout_free(struct layout *l)
{
	free(l->cells);
	memset(l, 0, sizeof(*l));
}

void check_layout(const struct m_system *s, const struct m_board *b,
		  struct diag_list *dl)
{
	struct layout l;

	layout_compute(&l, s, b, dl);
	layout_free(&l);
}
