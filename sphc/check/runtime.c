// SPDX-License-Identifier: MIT
/*
 * What sphc's own runtime (hypervisor/) can drive on a board, so that a
 * build for it refuses a board it would hang on instead of writing an
 * image: the console must be a UART of drivers/uart.c and the GIC one of
 * arch/aarch64/gicv2.c or gicv3.c (a GICv2 only with its virtualization
 * frames). Only builds that include the runtime (the sph and fit
 * targets, and every build without --target) ask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "diag/diag.h"
#include "lib/util.h"
#include "sph/abi.h"

uint32_t runtime_console_type(const struct b_device *d)
{
	size_t i;

	for (i = 0; d && i < d->ncompatible; i++) {
		const char *c = d->compatible[i];

		if (!strcmp(c, "arm,pl011"))
			return SPH_CONSOLE_PL011;
		if (!strncmp(c, "cdns,uart", 9) || !strcmp(c, "xlnx,xuartps"))
			return SPH_CONSOLE_XUARTPS;
		if (!strncmp(c, "ns16550", 7) || !strcmp(c, "ns8250") ||
		    !strcmp(c, "snps,dw-apb-uart"))
			return SPH_CONSOLE_8250;
	}
	return SPH_CONSOLE_NONE;
}

static const struct ynode *console_node(const struct m_system *s,
					const struct m_board *b)
{
	if (s->hyp.console_node)
		return s->hyp.console_node;
	return b->console_node ? b->console_node : b->root;
}

static bool runtime_drives(const struct b_device *d)
{
	uint32_t type = runtime_console_type(d);

	return type == SPH_CONSOLE_PL011 || type == SPH_CONSOLE_XUARTPS;
}

/* A device of @b the runtime could use as its console, or NULL. */
static const struct b_device *drivable_uart(const struct m_board *b)
{
	size_t i;

	for (i = 0; i < b->ndevices; i++)
		if (runtime_drives(&b->devices[i]))
			return &b->devices[i];
	return NULL;
}

/*
 * The runtime's address spaces (hypervisor/README.md): a cell's stage 2
 * maps guest-physical addresses below 512 GiB (39 bits, one root table),
 * and the runtime's own map covers physical addresses below 511 GiB: its
 * last GiB is the window the runtime runs in.
 */
#define RUNTIME_IPA_LIMIT (1ULL << 39)
#define RUNTIME_PA_LIMIT (511ULL << 30)

static void check_range(struct diag_list *dl, const struct ynode *node,
			const char *what, const char *name, uint64_t pa,
			uint64_t ipa, uint64_t size)
{
	if (ipa + size > RUNTIME_IPA_LIMIT || ipa + size < ipa)
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(node),
			"sph's runtime maps guest-physical addresses below 512 GiB: %s '%s' at IPA [0x%llx, 0x%llx) is beyond",
			what, name, (unsigned long long)ipa,
			(unsigned long long)(ipa + size));
	else if (pa + size > RUNTIME_PA_LIMIT || pa + size < pa)
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(node),
			"sph's runtime reaches physical memory below 511 GiB (its last GiB is its own window): %s '%s' at [0x%llx, 0x%llx) is beyond",
			what, name, (unsigned long long)pa,
			(unsigned long long)(pa + size));
}

static void check_addresses(const struct m_system *s, struct diag_list *dl)
{
	size_t i, j;

	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nregions; j++)
			if (c->regions[j].place.placed)
				check_range(dl, c->regions[j].node,
					    "memory of cell", c->name,
					    c->regions[j].place.pa,
					    c->regions[j].place.ipa,
					    c->regions[j].size);
	}
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].place.placed)
			check_range(dl, s->shared[i].node, "shared region",
				    s->shared[i].name, s->shared[i].place.pa,
				    s->shared[i].place.ipa, s->shared[i].size);
}

/*
 * The runtime maps raw MMIO by whole pages (backends/plan.c), as it maps
 * devices: a raw range sharing a page with another owner's device or raw
 * range would hand each the other's registers. Devices among themselves
 * are device-page-conflict for every target already (check/mem.c); here
 * every pair with a raw range in it. Owners: a cell's index, or the
 * hypervisor's (its console).
 */
#define OWNER_HYP SIZE_MAX

struct page_item {
	uint64_t start, end; /* page-rounded */
	uint64_t base, size; /* as declared */
	size_t owner, order;
	const char *device; /* NULL: raw MMIO */
	const struct ynode *node;
};

static int page_item_cmp(const void *a, const void *b)
{
	const struct page_item *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	/* Equal pages: the order added, so reports do not depend on qsort. */
	return x->order < y->order ? -1 : x->order > y->order;
}

static void owner_str(const struct m_system *s, size_t owner, char *buf,
		      size_t n)
{
	if (owner == OWNER_HYP)
		snprintf(buf, n, "the hypervisor");
	else
		snprintf(buf, n, "cell '%s'", s->cells[owner].name);
}

static void what_str(const struct page_item *it, char *buf, size_t n)
{
	if (it->device)
		snprintf(buf, n, "device '%s'", it->device);
	else
		snprintf(buf, n, "raw MMIO [0x%llx, 0x%llx)",
			 (unsigned long long)it->base,
			 (unsigned long long)(it->base + it->size));
}

static void add_page_item(struct page_item **v, size_t *n, size_t *cap,
			  uint64_t page, uint64_t base, uint64_t size,
			  size_t owner, const char *device,
			  const struct ynode *node)
{
	uint64_t end = base + size;

	if (!size || end < base)
		return;
	VEC_RESERVE(*v, *n, *cap);
	(*v)[*n] = (struct page_item){ base - base % page,
				       end + (page - end % page) % page,
				       base,
				       size,
				       owner,
				       *n,
				       device,
				       node };
	(*n)++;
}

static void report_mmio_page(const struct m_system *s,
			     const struct page_item *raw,
			     const struct page_item *other,
			     struct diag_list *dl)
{
	char ro[128], oo[128], ow[128];
	uint64_t page = raw->start > other->start ? raw->start : other->start;

	owner_str(s, raw->owner, ro, sizeof(ro));
	owner_str(s, other->owner, oo, sizeof(oo));
	what_str(other, ow, sizeof(ow));
	diag_report(
		dl, RULE_DEVICE_PAGE_CONFLICT, ynode_loc(raw->node),
		"sph's runtime maps raw MMIO by whole pages: [0x%llx, 0x%llx) of %s shares the page at 0x%llx with %s of %s",
		(unsigned long long)raw->base,
		(unsigned long long)(raw->base + raw->size), ro,
		(unsigned long long)page, ow, oo);
	if (other->device)
		diag_note(dl, ynode_loc(other->node), "%s gets '%s' here", oo,
			  other->device);
	else
		diag_note(dl, ynode_loc(other->node), "%s gets %s here", oo,
			  ow + strlen("raw MMIO "));
}

static void check_mmio_pages(const struct m_system *s, const struct m_board *b,
			     struct diag_list *dl)
{
	uint64_t page = b->page_size ? b->page_size : 4096;
	const struct b_device *con = s->hyp.console_dev;
	struct page_item *v = NULL;
	size_t n = 0, cap = 0, i, j, k, nraw = 0;
	bool *done;

	for (i = 0; i < s->ncells; i++)
		nraw += s->cells[i].nmmio;
	if (!nraw)
		return;
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		for (j = 0; j < c->nmmio; j++)
			add_page_item(&v, &n, &cap, page, c->mmio[j].base,
				      c->mmio[j].size, i, NULL,
				      c->mmio[j].node);
		for (j = 0; j < c->ndevices; j++) {
			const struct b_device *d = c->devices[j].dev;

			/* The console, shared, is the cell's console page. */
			for (k = 0; d && d != con && k < d->nregs; k++)
				add_page_item(&v, &n, &cap, page,
					      d->regs[k].base, d->regs[k].size,
					      i, d->name, c->devices[j].node);
		}
	}
	for (k = 0; con && k < con->nregs; k++)
		add_page_item(&v, &n, &cap, page, con->regs[k].base,
			      con->regs[k].size, OWNER_HYP, con->name,
			      s->hyp.console_node ? s->hyp.console_node
						  : b->console_node);
	qsort(v, n, sizeof(*v), page_item_cmp);
	done = xcalloc(n + 1, sizeof(*done));
	/* Pairs on common pages: each later item against the earlier ones
	 * still open (sorted by start, so only those reach it). */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && v[j].start < v[i].end; j++) {
			const struct page_item *raw, *other;

			if (v[i].owner == v[j].owner ||
			    (v[i].device && v[j].device))
				continue;
			/* Report at the raw one; both raw: the later one. */
			raw = v[j].device ? &v[i] : &v[j];
			other = raw == &v[i] ? &v[j] : &v[i];
			if (done[raw - v])
				continue;
			done[raw - v] = true;
			report_mmio_page(s, raw, other, dl);
		}
	free(done);
	free(v);
}

void check_runtime(const struct m_system *s, const struct m_board *b,
		   struct diag_list *dl)
{
	const struct b_device *con = s->hyp.console_dev, *other;
	const struct b_gic *g = &b->gic;

	if (con && !runtime_drives(con)) {
		other = drivable_uart(b);
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED,
			ynode_loc(console_node(s, b)),
			"sph's runtime cannot drive the console '%s' of "
			"board %s (%s): it drives a PL011 (arm,pl011) or a "
			"Cadence UART (cdns,uart, xlnx,xuartps); choose "
			"another console%s%s%s, or build for other "
			"hypervisors only (--target jailhouse,bao,xen)",
			con->name, b->name,
			con->ncompatible ? con->compatible[0] : "no compatible",
			other ? " (this board's: hypervisor: { console: " : "",
			other ? other->name : "", other ? " })" : "");
	}
	check_mmio_pages(s, b, dl);
	check_addresses(s, dl);
	if (g->version == 2 &&
	    (!g->virtual_control.size || !g->virtual_cpu_interface.size))
		diag_report(
			dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(g->node),
			"sph's runtime cannot virtualize the GICv2 of board "
			"%s: it needs the virtual interface control (GICH, "
			"virtual-control:) and the virtual CPU interface "
			"(GICV, virtual-cpu-interface:)",
			b->name);
	else if (g->version != 2 && g->version != 3)
		diag_report(dl, RULE_RUNTIME_UNSUPPORTED, ynode_loc(g->node),
			    "sph's runtime drives GICv2 and GICv3, not the "
			    "GICv%u of board %s",
			    g->version, b->name);
}
